//! The HTTP API under `/api/v1` (plus `/healthz` and `/readyz`). One module per resource; each
//! exports `configure`, so the whole URL table reads here.

pub mod action_plans;
pub mod assignments;
pub mod attachments;
pub mod audit_log;
pub mod auth;
pub mod branch_visits;
pub mod branches;
pub mod campaigns;
pub mod checklists;
pub mod disputes;
pub mod error;
pub mod health;
pub mod input;
pub mod limits;
pub mod openapi;
pub mod regions;
pub mod reports;
pub mod reviews;
pub mod scores;
pub mod teams;
pub mod types;
pub mod users;
pub mod visits;

use actix_web::web;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    cfg.service(
        // actix tries routes in order and matches each dynamic one with a regex: the
        // submission and draft routes phones hit hardest come first.
        web::scope("/api/v1")
            .wrap(actix_web::middleware::from_fn(limits::json_bodies))
            .configure(visits::configure)
            .configure(openapi::configure)
            .configure(auth::configure)
            .configure(regions::configure)
            .configure(branches::configure)
            .configure(teams::configure)
            .configure(users::configure)
            .configure(checklists::configure)
            .configure(campaigns::configure)
            .configure(assignments::configure)
            .configure(branch_visits::configure)
            .configure(attachments::configure)
            .configure(reviews::configure)
            .configure(scores::configure)
            .configure(reports::configure)
            .configure(disputes::configure)
            .configure(action_plans::configure)
            .configure(audit_log::configure),
    );
}
