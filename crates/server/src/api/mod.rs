//! The HTTP API under `/api/v1` (plus `/healthz` and `/readyz`). One module per resource; each
//! exports `configure`, so the whole URL table reads here.

pub mod auth;
pub mod branches;
pub mod checklists;
pub mod error;
pub mod health;
pub mod openapi;
pub mod regions;
pub mod teams;
pub mod types;
pub mod users;

use actix_web::web;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    cfg.service(
        web::scope("/api/v1")
            .configure(openapi::configure)
            .configure(auth::configure)
            .configure(regions::configure)
            .configure(branches::configure)
            .configure(teams::configure)
            .configure(users::configure)
            .configure(checklists::configure),
    );
}
