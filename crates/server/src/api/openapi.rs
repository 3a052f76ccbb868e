//! The OpenAPI 3 document, generated from the handlers' annotations and served at
//! `/api/v1/openapi.json`. A test checks that every registered route is in it.

use actix_web::{HttpResponse, web};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    account, action_plans, assignments, attachments, audit_log, auth, branch_visits, branches,
    campaigns, checklists, disputes, error, exports, health, import_templates, imports,
    organisation, password_reset, regions, reports, reviews, scores, teams, tokens, types, users,
    visits, webhooks,
};

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "sirr API", description = "Mystery-shopping evaluation: organisation, checklists, visits, scores and reports. Errors use the envelope {\"error\": {\"code\", \"message\", \"details\"}}."),
    paths(document, health::healthz, health::readyz),
    components(schemas(error::ErrorEnvelope, error::ErrorBody, error::Detail, types::Location)),
    modifiers(&BearerAuth),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Sign in, tokens, the current user"),
        (name = "organisation", description = "Regions, branches, teams"),
        (name = "users", description = "Users, roles and scopes"),
        (name = "checklists", description = "Checklist drafts, published versions"),
        (name = "field", description = "Campaigns, assignments, visits, attachments, QA review"),
        (name = "scores", description = "Scores of the organisation, regions, branches and teams"),
        (name = "follow-up", description = "Disputes and action plans"),
        (name = "audit", description = "The audit log"),
        (name = "exports", description = "Visits, answers and scores as CSV, XLSX and JSON Lines"),
        (name = "events", description = "Webhooks: signed deliveries of domain events, their log and redelivery"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Registers the route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/openapi.json", web::get().to(document));
}

/// The whole document: [`ApiDoc`] with each resource module's own part merged in.
pub fn document_value() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(auth::Doc::openapi());
    doc.merge(regions::Doc::openapi());
    doc.merge(branches::Doc::openapi());
    doc.merge(teams::Doc::openapi());
    doc.merge(users::Doc::openapi());
    doc.merge(checklists::Doc::openapi());
    doc.merge(campaigns::Doc::openapi());
    doc.merge(assignments::Doc::openapi());
    doc.merge(visits::Doc::openapi());
    doc.merge(branch_visits::Doc::openapi());
    doc.merge(attachments::Doc::openapi());
    doc.merge(reviews::Doc::openapi());
    doc.merge(scores::Doc::openapi());
    doc.merge(reports::Doc::openapi());
    doc.merge(disputes::Doc::openapi());
    doc.merge(action_plans::Doc::openapi());
    doc.merge(audit_log::Doc::openapi());
    doc.merge(imports::Doc::openapi());
    doc.merge(import_templates::Doc::openapi());
    doc.merge(account::Doc::openapi());
    doc.merge(password_reset::Doc::openapi());
    doc.merge(exports::Doc::openapi());
    doc.merge(tokens::Doc::openapi());
    doc.merge(webhooks::Doc::openapi());
    doc.merge(organisation::Doc::openapi());
    super::limits::document(&mut doc);
    document_common_responses(&mut doc);
    doc
}

/// Answers that every operation of a kind can give, added where an operation does not document
/// them itself (the schema-driven test in `.ci/run` holds the server to this document):
/// - 400 where there are parameters or a JSON body (malformed JSON, a bad parameter, NUL or
///   invalid UTF-8 in the path or query, refused by `api::input` before any handler);
/// - 415 where the body is JSON (another `Content-Type`);
/// - 401 and 403 on operations that need a bearer token (no or a bad token; a role or scope
///   that does not allow it), except `GET /api/v1/me`, which every signed-in user may call;
/// - 503 on everything under `/api/v1` that reads the database (it is unavailable).
fn document_common_responses(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
    let envelope = || Content::new(Some(Ref::from_schema_name("ErrorEnvelope")));
    for (path, item) in doc.paths.paths.iter_mut() {
        for (method, op) in [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("patch", &mut item.patch),
            ("delete", &mut item.delete),
        ] {
            let Some(op) = op.as_mut() else { continue };
            let json_body = matches!(&op.request_body, Some(RefOr::T(body))
                if body.content.keys().any(|c| c == "application/json"));
            let parameters = op.parameters.as_ref().is_some_and(|p| {
                p.iter()
                    .any(|p| matches!(p, RefOr::T(p) if matches!(p.parameter_in, ParameterIn::Path | ParameterIn::Query)))
            });
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let mut add = Vec::new();
            if json_body || parameters {
                add.push((
                    "400",
                    "A malformed body or parameter, or text with NUL or invalid UTF-8",
                ));
            }
            if json_body {
                add.push(("415", "The body is not application/json"));
            }
            if secured {
                add.push(("401", "No valid bearer token"));
                if !(method == "get" && path == "/api/v1/me") {
                    add.push(("403", "The caller's role or scope does not allow this"));
                }
            }
            if path.starts_with("/api/v1/") && path != "/api/v1/openapi.json" {
                add.push(("503", "The database is unavailable"));
            }
            for (status, description) in add {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| {
                        RefOr::T(
                            ResponseBuilder::new()
                                .description(description)
                                .content("application/json", envelope())
                                .build(),
                        )
                    });
            }
        }
    }
}

/// This OpenAPI document.
#[utoipa::path(operation_id = "openapi", get, path = "/api/v1/openapi.json", tag = "health",
    responses((status = 200, description = "The OpenAPI 3 document of this API")))]
pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(document_value())
}
