//! The HTTP API under `/api/v1` (plus `/healthz` and `/readyz`). One module per resource; each
//! exports `configure`, so the whole URL table reads here.
//!
//! **A route is declared once**, in its handler's `#[utoipa::path]` annotation (method and path).
//! A module lists its handlers once, in `routes!`, which makes both its `configure` (each
//! handler registered under its annotation's method and path) and its OpenAPI `Doc`.

/// A resource module's routes: `routes! { handlers: [list, create, …], schemas: [Team, …] }`
/// makes `configure` (every handler registered, in this order, under the method and path of its
/// `#[utoipa::path]` annotation; actix tries them in order) and `Doc` (the OpenAPI paths of the
/// same handlers and the named schemas).
macro_rules! routes {
    (handlers: [$($handler:ident),+ $(,)?] $(, schemas: [$($schema:path),* $(,)?])? $(,)?) => {
        /// Registers the routes, each under its annotation's method and path.
        pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
            $( ::paste::paste! { $crate::api::route::<[<__path_ $handler>], _, _>(cfg, $handler); } )+
        }

        /// This module's part of the OpenAPI document.
        #[derive(::utoipa::OpenApi)]
        #[openapi(paths($($handler),+) $(, components(schemas($($schema),*)))?)]
        pub struct Doc;
    };
}
pub(crate) use routes;

pub mod account;
pub mod action_plans;
pub mod action_view;
pub mod answer_problems;
pub mod assignments;
pub mod attachments;
pub mod audit_log;
pub mod auth;
pub mod branch_visits;
pub mod branches;
pub mod campaigns;
pub mod checklist_problems;
pub mod checklists;
pub mod disputes;
pub mod error;
pub mod exports;
pub mod health;
pub mod import_templates;
pub mod imports;
pub mod in_scope;
pub mod input;
pub mod limits;
pub mod odata;
pub mod openapi;
pub mod org_unit;
pub mod organisation;
pub mod password_reset;
pub mod regions;
pub mod reports;
pub mod reviews;
pub mod scores;
pub mod session;
pub mod sheet_problems;
pub mod teams;
pub mod tokens;
pub mod types;
pub mod users;
pub mod visit_view;
pub mod visits;
pub mod webhooks;

use actix_web::web;
use diesel::QueryResult;
use sirr_store::DbConnection;

use crate::directory::{Entry, Lists};

/// The organisation directory's lists (see [`crate::directory`]): every region, branch and team
/// as its API resource, in API order (by code; teams by branch code, then code).
pub fn directory_lists(conn: &mut DbConnection) -> QueryResult<Lists> {
    let mut regions = regions::load_all(conn)?;
    regions.sort_by(|a, b| a.code.cmp(&b.code));
    let mut branches = branches::load_all(conn)?;
    branches.sort_by(|a, b| a.code.cmp(&b.code));
    let mut teams = teams::load_all(conn)?;
    teams.sort_by(|a, b| (&a.branch_code, &a.code).cmp(&(&b.branch_code, &b.code)));
    Ok(Lists {
        regions: regions
            .iter()
            .map(|r| Entry::new(&r.id, "", r))
            .collect::<QueryResult<_>>()?,
        branches: branches
            .iter()
            .map(|b| Entry::new(&b.id, &b.region_id, b))
            .collect::<QueryResult<_>>()?,
        teams: teams
            .iter()
            .map(|t| Entry::new(&t.id, &t.branch_id, t))
            .collect::<QueryResult<_>>()?,
    })
}

/// Registers `handler` under the method(s) and path of its `#[utoipa::path]` annotation `P`
/// (the path relative to the `/api/v1` scope the API's modules are configured in).
pub fn route<P, F, Args>(cfg: &mut web::ServiceConfig, handler: F)
where
    P: utoipa::Path,
    F: actix_web::Handler<Args>,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    use utoipa::openapi::path::HttpMethod;
    let documented = P::path();
    let path = documented.strip_prefix("/api/v1").unwrap_or(&documented);
    for method in P::methods() {
        let method = match method {
            HttpMethod::Get => actix_web::http::Method::GET,
            HttpMethod::Post => actix_web::http::Method::POST,
            HttpMethod::Put => actix_web::http::Method::PUT,
            HttpMethod::Patch => actix_web::http::Method::PATCH,
            HttpMethod::Delete => actix_web::http::Method::DELETE,
            HttpMethod::Options => actix_web::http::Method::OPTIONS,
            HttpMethod::Head => actix_web::http::Method::HEAD,
            HttpMethod::Trace => actix_web::http::Method::TRACE,
        };
        cfg.route(path, web::method(method).to(handler.clone()));
    }
}

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    odata::configure(cfg);
    cfg.service(
        // actix tries routes in order and matches each dynamic one with a regex: the
        // submission and draft routes phones hit hardest come first.
        web::scope("/api/v1")
            .wrap(actix_web::middleware::from_fn(limits::json_bodies))
            .configure(visits::configure)
            .configure(openapi::configure)
            .configure(auth::configure)
            .configure(account::configure)
            .configure(password_reset::configure)
            .configure(tokens::configure)
            .configure(organisation::configure)
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
            .configure(webhooks::configure)
            .configure(audit_log::configure)
            .configure(imports::configure)
            .configure(import_templates::configure)
            .configure(exports::configure)
            .default_service(web::to(unmatched)),
    );
}

/// What no route under `/api/v1` takes: 405 with `Allow` when the path is an operation of the
/// OpenAPI document under another method, otherwise 404 — both in the error envelope.
async fn unmatched(
    req: actix_web::HttpRequest,
) -> Result<actix_web::HttpResponse, error::ApiError> {
    static OPERATIONS: std::sync::OnceLock<Vec<(String, Vec<&'static str>)>> =
        std::sync::OnceLock::new();
    let operations = OPERATIONS.get_or_init(|| {
        let doc = openapi::document_value();
        doc.paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ];
                let allowed = methods
                    .into_iter()
                    .filter_map(|(m, present)| present.then_some(m))
                    .collect();
                (path.clone(), allowed)
            })
            .collect()
    });
    let path = req.path();
    let allowed: Vec<&str> = operations
        .iter()
        .filter(|(template, _)| path_matches(template, path))
        .flat_map(|(_, methods)| methods.iter().copied())
        .collect();
    Err(if allowed.is_empty() {
        error::ApiError::NotFound("route")
    } else {
        error::ApiError::MethodNotAllowed(allowed.join(", "))
    })
}

/// Whether `path` is an instance of the OpenAPI path `template` (`{id}` stands for one
/// non-empty segment, `{id}.pdf` for one that ends in `.pdf`).
fn path_matches(template: &str, path: &str) -> bool {
    let (mut t, mut p) = (template.split('/'), path.split('/'));
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(t), Some(p)) => {
                let fits = match (t.find('{'), t.find('}')) {
                    (Some(open), Some(close)) if open < close => {
                        let (prefix, suffix) = (&t[..open], &t[close + 1..]);
                        p.len() > prefix.len() + suffix.len()
                            && p.starts_with(prefix)
                            && p.ends_with(suffix)
                    }
                    _ => t == p,
                };
                if !fits {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_match_their_templates() {
        use super::path_matches;
        assert!(path_matches("/api/v1/regions/{id}", "/api/v1/regions/r1"));
        assert!(!path_matches("/api/v1/regions/{id}", "/api/v1/regions/"));
        assert!(!path_matches(
            "/api/v1/regions/{id}",
            "/api/v1/regions/r1/x"
        ));
        assert!(path_matches(
            "/api/v1/reports/branches/{id}.pdf",
            "/api/v1/reports/branches/b1.pdf"
        ));
        assert!(!path_matches(
            "/api/v1/reports/branches/{id}.pdf",
            "/api/v1/reports/branches/b1"
        ));
    }
}
