//! The organisation's own name per language — what the PDF reports print at their top and the
//! app shows its users: read by anyone signed in, set by admins (audited).

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::error::{ApiError, ErrorEnvelope};
use super::types::{Names, check_names, detail};
use crate::audit;
use crate::auth::{AuthUser, roles};
use crate::startup::AppState;
use sirr_store::organisation;

/// Longest name in one language, in characters.
pub const MAX_NAME: usize = 200;

super::routes! {
    handlers: [get, put],
    schemas: [Organisation],
}

/// The organisation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Its name per language, for example `{"en": "Gulf Bank", "ar": "بنك الخليج"}`; empty
    /// until an admin names it.
    pub names: Names,
}

/// The organisation's name (anyone signed in).
#[utoipa::path(operation_id = "get_organisation", get, path = "/api/v1/organisation", tag = "organisation", security(("bearer" = [])),
    responses((status = 200, description = "The organisation", body = Organisation),
              (status = 401, description = "Not signed in", body = ErrorEnvelope)))]
pub async fn get(state: web::Data<AppState>, _user: AuthUser) -> Result<HttpResponse, ApiError> {
    let names = state.db(|conn| Ok(organisation::names(conn)?)).await?;
    Ok(HttpResponse::Ok().json(Organisation { names }))
}

/// Name the organisation (admins): `names` replaces every language's name.
#[utoipa::path(operation_id = "set_organisation", put, path = "/api/v1/organisation", tag = "organisation", security(("bearer" = [])),
    request_body = Organisation,
    responses((status = 200, description = "Named", body = Organisation),
              (status = 403, description = "Not an admin", body = ErrorEnvelope),
              (status = 422, description = "A name missing, empty or too long, or a bad language tag", body = ErrorEnvelope)))]
pub async fn put(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<Organisation>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let names: Names = body
        .into_inner()
        .names
        .into_iter()
        .map(|(lang, name)| (lang, name.trim().to_owned()))
        .collect();
    let mut problems = Vec::new();
    check_names("/names", &names, &mut problems);
    for (lang, name) in &names {
        if name.chars().count() > MAX_NAME {
            problems.push(detail(
                &format!("/names/{lang}"),
                crate::msg!("at-most-characters", max = MAX_NAME),
            ));
        }
        if name.chars().any(char::is_control) {
            problems.push(detail(
                &format!("/names/{lang}"),
                crate::msg!("field-required"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(
            crate::msg!("changes-not-valid"),
            problems,
        ));
    }
    let actor = user.id;
    let stored = names.clone();
    state
        .db_write(move |conn| {
            let before = organisation::names(conn)?;
            organisation::set_names(conn, &stored)?;
            audit::record(
                conn,
                Some(&actor),
                "update",
                "organisation",
                "organisation",
                json!({"before": before, "after": stored}),
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().json(Organisation { names }))
}
