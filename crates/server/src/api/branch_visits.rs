//! The approved visits of one branch, for the manager's dashboard: the failed items with the
//! shoppers' comments come from them, and a dispute is filed against one of them
//! (`POST /api/v1/visits/{id}/disputes`). Managers see them as they see one visit (answers and
//! comments, never the shopper, flags or QA's notes); QA and admins see their reviewer view.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::{ApiError, ErrorEnvelope};
use super::visit_view::{Reader, Visit, render};
use crate::auth::{AuthUser, Role, access, roles};
use crate::i18n::ReaderLang;
use crate::startup::AppState;
use sirr_store as db;

super::routes! {
    handlers: [list],
}

/// Which visits.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BranchVisitsQuery {
    /// Only visits of this period (`YYYY-MM`, `YYYY-Qn`, `YYYY-Www`, by the visit's own local
    /// date); absent for all.
    pub period: Option<String>,
}

/// A branch's approved visits, oldest check-in first (managers in scope, QA, admins).
#[utoipa::path(operation_id = "list_branch_visits", get, path = "/api/v1/branches/{id}/visits", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Branch id"), BranchVisitsQuery),
    responses((status = 200, description = "The approved visits", body = [Visit]),
              (status = 400, description = "Not a period label", body = ErrorEnvelope),
              (status = 403, description = "A shopper", body = ErrorEnvelope),
              (status = 404, description = "No such branch in scope", body = ErrorEnvelope)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    query: web::Query<BranchVisitsQuery>,
    ReaderLang(lang): ReaderLang,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::READERS)?;
    let branch_id = id.into_inner();
    let period = match query.into_inner().period {
        Some(p) => Some(sirr_scoring::period::parse_label(p.trim()).map_err(|e| {
            ApiError::bad_request("period", crate::msg!("period-invalid", problem = e))
        })?),
        None => None,
    };
    let list = state
        .db(move |conn| {
            let exists = db::branches::exists(conn, &branch_id.as_str().into())?;
            if !exists || !access::branches(conn, &user)?.contains(&branch_id) {
                return Err(ApiError::NotFound("branch"));
            }
            let reader = if user.role == Role::Manager {
                Reader::Manager
            } else {
                Reader::Reviewer
            };
            let rows = db::visits::approved_of_branch(conn, &branch_id.as_str().into())?;
            rows.into_iter()
                .filter(|(_, at)| match (&period, at) {
                    (None, _) => true,
                    (Some((kind, label)), Some(at)) => {
                        sirr_scoring::period::period_of(at, *kind).is_ok_and(|l| &l == label)
                    }
                    (Some(_), None) => false,
                })
                .map(|(id, _)| render(conn, &id, reader).map(|v| v.localized(lang)))
                .collect::<Result<Vec<Visit>, ApiError>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}
