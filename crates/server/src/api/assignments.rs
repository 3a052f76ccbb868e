//! Assignments: which shopper visits which branch, with which checklist version, when and with
//! what scenario. QA creates them (one by one here, in bulk per campaign in `campaigns`);
//! shoppers see only their own and accept or decline them. Rotation rules (revisit window,
//! conflict-of-interest bars) are checked on every creation.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, Detail, ErrorEnvelope};
use super::types::ChecklistRef;
use super::types::{Location, Names, detail, names_from_db, time};
use crate::audit;
use crate::auth::{AuthUser, Role, roles};
use crate::error::ServiceError;
use crate::startup::AppState;
use crate::workflow;
use sirr_store::assignments::AssignmentRow;
use sirr_store::status::AssignmentStatus;
use sirr_store::{self as db, DbConnection};

super::routes! {
    handlers: [list, create, get, cancel, accept, decline, reassign, list_shoppers, get_rotation, set_rotation, list_bars, add_bar, remove_bar],
    schemas: [Assignment, BranchRef, TeamRef, ChecklistRef, Window, VisitRef, ShopperRef, NewAssignment, Decline, Reassign, Rotation, Bar, NewBar],
}

/// The longest reason of a bar, in characters.
pub const BAR_REASON_MAX: usize = 500;

/// The branch of an assignment, as a shopper needs it to get there.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BranchRef {
    /// Branch id.
    pub id: String,
    /// Branch code.
    pub code: String,
    /// Name per language.
    pub names: Names,
    /// City per language.
    pub city: Names,
    /// Where it is.
    pub location: Option<Location>,
}

/// The team whose service is evaluated, if the assignment names one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamRef {
    /// Team id.
    pub id: String,
    /// Team code.
    pub code: String,
    /// Name per language.
    pub names: Names,
}

/// When the visit is to happen, RFC 3339 UTC.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Window {
    /// From.
    pub start: String,
    /// Until.
    pub end: String,
}

/// The visit filed against an assignment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VisitRef {
    /// Visit id.
    pub id: String,
    /// `draft`, `submitted`, `returned` or `approved`.
    pub status: AssignmentStatus,
    /// Submissions so far.
    pub revision: i32,
}

/// The shopper of an assignment (QA and admins only).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShopperRef {
    /// User id.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// An assignment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Assignment {
    /// Id: the `{id}` of the submission URL.
    pub id: String,
    /// The campaign it belongs to, if any.
    pub campaign_id: Option<String>,
    /// The branch to visit.
    pub branch: BranchRef,
    /// The team evaluated, if any.
    pub team: Option<TeamRef>,
    /// The checklist version to fill.
    pub checklist: ChecklistRef,
    /// When.
    pub window: Window,
    /// The scenario to play, if any.
    pub scenario: Option<String>,
    /// The scenario's brief per language, when its campaign gives one: what the shopper reads.
    pub scenario_brief: Option<Names>,
    /// `offered`, `accepted`, `declined`, `submitted`, `returned`, `approved` or `cancelled`.
    pub status: AssignmentStatus,
    /// The visit, once a draft is saved or it is submitted.
    pub visit: Option<VisitRef>,
    /// The shopper (only in answers to QA and admins).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shopper: Option<ShopperRef>,
    /// Created, RFC 3339 UTC.
    pub created_at: String,
    /// Last changed, RFC 3339 UTC.
    pub updated_at: String,
}

/// A new assignment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssignment {
    /// The shopper's user id.
    pub shopper_id: String,
    /// Branch id.
    pub branch_id: String,
    /// Team id (a team of that branch), if one team is evaluated.
    pub team_id: Option<String>,
    /// The published checklist version to fill.
    pub checklist: ChecklistRef,
    /// Window start, RFC 3339.
    pub window_start: String,
    /// Window end, RFC 3339.
    pub window_end: String,
    /// Scenario key.
    pub scenario: Option<String>,
    /// Campaign id.
    pub campaign_id: Option<String>,
    /// Calibration group: assignments sharing it rate one encounter (inter-rater agreement).
    pub calibration: Option<String>,
}

/// Why a shopper declines.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decline {
    /// The reason (for QA).
    pub reason: Option<String>,
}

/// Give an assignment to another shopper.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reassign {
    /// The new shopper's user id.
    pub shopper_id: String,
    /// A new window start, RFC 3339; default: the old one.
    pub window_start: Option<String>,
    /// A new window end, RFC 3339; default: the old one.
    pub window_end: Option<String>,
}

/// Filters of the list (QA and admins; shoppers always get their own).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AssignmentQuery {
    /// Only these statuses, comma-separated (`offered,accepted,returned`): the shopper app asks
    /// only for the work still open, not the whole history.
    pub status: Option<String>,
    /// Only this campaign.
    pub campaign_id: Option<String>,
    /// Only this branch.
    pub branch_id: Option<String>,
    /// Only this shopper (QA and admins).
    pub shopper_id: Option<String>,
}

/// Rotation rules.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rotation {
    /// A shopper may not visit the same branch again within this many days (0 = no rule).
    pub revisit_days: i64,
}

/// A conflict-of-interest bar: the shopper is never assigned to the branch.
#[derive(Debug, Serialize, ToSchema)]
pub struct Bar {
    /// Branch id.
    pub branch_id: String,
    /// Why.
    pub reason: String,
    /// Since, RFC 3339 UTC.
    pub created_at: String,
}

/// A new bar.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBar {
    /// Branch id.
    pub branch_id: String,
    /// Why (a relative works there, a former employee, …), at most 500 characters.
    pub reason: String,
}

/// Turns rows into assignments, looking up what they refer to in a few batched queries.
/// `with_shopper` adds the shopper (never for shoppers' own lists).
pub fn describe(
    conn: &mut DbConnection,
    rows: Vec<AssignmentRow>,
    with_shopper: bool,
) -> QueryResult<Vec<Assignment>> {
    let related = db::assignments::related(conn, &rows, with_shopper)?;
    let branch_map: HashMap<String, BranchRef> = related
        .branches
        .into_iter()
        .map(|b| {
            (
                b.id.to_string(),
                BranchRef {
                    location: b.lat.zip(b.lon).map(|(lat, lon)| Location { lat, lon }),
                    names: names_from_db(&b.names),
                    city: names_from_db(&b.city),
                    id: b.id.into(),
                    code: b.code,
                },
            )
        })
        .collect();
    let team_map: HashMap<String, TeamRef> = related
        .teams
        .into_iter()
        .map(|t| {
            (
                t.id.to_string(),
                TeamRef {
                    id: t.id.into(),
                    code: t.code,
                    names: names_from_db(&t.names),
                },
            )
        })
        .collect();
    let checklist_map: HashMap<String, ChecklistRef> = related
        .checklists
        .into_iter()
        .map(|c| {
            (
                c.id.into(),
                ChecklistRef {
                    key: c.key,
                    version: c.version,
                },
            )
        })
        .collect();
    let visit_map: HashMap<String, VisitRef> = related
        .visits
        .into_iter()
        .map(|v| {
            (
                v.assignment_id.into(),
                VisitRef {
                    id: v.id.into(),
                    status: v.status,
                    revision: v.revision,
                },
            )
        })
        .collect();
    // Scenario briefs: (campaign id, scenario key) → brief.
    let mut briefs: HashMap<(String, String), Names> = HashMap::new();
    for campaign in related.campaigns {
        for s in super::types::scenarios_from_db(&campaign.scenarios) {
            if !s.brief.is_empty() {
                briefs.insert((campaign.id.to_string(), s.code), s.brief);
            }
        }
    }
    let shopper_map: HashMap<String, String> = related
        .shoppers
        .into_iter()
        .map(|u| (u.id.into(), u.name))
        .collect();
    rows.into_iter()
        .map(|r| {
            let branch = branch_map
                .get(r.branch_id.as_str())
                .cloned()
                .ok_or(diesel::NotFound)?;
            let checklist = checklist_map
                .get(r.checklist_id.as_str())
                .cloned()
                .ok_or(diesel::NotFound)?;
            let scenario_brief = r
                .campaign_id
                .as_deref()
                .map(str::to_owned)
                .zip(r.scenario.clone())
                .and_then(|key| briefs.get(&key).cloned());
            Ok(Assignment {
                scenario_brief,
                visit: visit_map.get(r.id.as_str()).cloned(),
                shopper: with_shopper.then(|| ShopperRef {
                    name: shopper_map
                        .get(r.shopper_id.as_str())
                        .cloned()
                        .unwrap_or_default(),
                    id: r.shopper_id.clone().into(),
                }),
                id: r.id.into(),
                campaign_id: r.campaign_id.map(Into::into),
                branch,
                team: r.team_id.and_then(|t| team_map.get(t.as_str()).cloned()),
                checklist,
                window: Window {
                    start: time(r.window_start),
                    end: time(r.window_end),
                },
                scenario: r.scenario,
                status: r.status,
                created_at: time(r.created_at),
                updated_at: time(r.updated_at),
            })
        })
        .collect()
}

/// The assignment `id` as `user` may see it: shoppers only their own, planners all; everyone
/// else, and anything out of reach, gets 404.
pub fn visible_row(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: &str,
) -> Result<AssignmentRow, ApiError> {
    if !(user.role == Role::Shopper || roles::QUALITY.contains(&user.role)) {
        return Err(ApiError::NotFound("assignment"));
    }
    match db::assignments::find(conn, &id.into())? {
        Some(r) if user.role != Role::Shopper || r.shopper_id == user.id => Ok(r),
        _ => Err(ApiError::NotFound("assignment")),
    }
}

fn one(conn: &mut DbConnection, user: &AuthUser, id: &str) -> Result<Assignment, ApiError> {
    let row = visible_row(conn, user, id)?;
    describe(conn, vec![row], user.role != Role::Shopper)?
        .pop()
        .ok_or(ApiError::NotFound("assignment"))
}

/// The statuses of a `status` filter; an unknown one is refused (a typo would list nothing).
fn statuses(list: &str) -> Result<Vec<AssignmentStatus>, ApiError> {
    // A draft is a visit's state only: no assignment is ever in it.
    let known = || {
        AssignmentStatus::ALL
            .iter()
            .copied()
            .filter(|s| *s != AssignmentStatus::Draft)
    };
    list.split(',')
        .map(|s| {
            known().find(|k| k.as_str() == s.trim()).ok_or_else(|| {
                ApiError::bad_request(
                    "status",
                    crate::msg!(
                        "status-unknown",
                        status = s.trim().chars().take(40).collect::<String>(),
                        values = known()
                            .map(AssignmentStatus::as_str)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
        })
        .collect()
}

/// Assignments: a shopper's own (every status), or all for QA and admins, by window start.
#[utoipa::path(operation_id = "list_assignments", get, path = "/api/v1/assignments", tag = "field", security(("bearer" = [])),
    params(AssignmentQuery),
    responses((status = 200, description = "Assignments", body = [Assignment]),
              (status = 400, description = "An unknown status in the filter", body = ErrorEnvelope),
              (status = 403, description = "Managers do not see assignments (they name shoppers)", body = ErrorEnvelope)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<AssignmentQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY_AND_SHOPPERS)?;
    let q = query.into_inner();
    let statuses = q.status.as_deref().map(statuses).transpose()?;
    let list = state
        .db(move |conn| {
            let shopper = if user.role == Role::Shopper {
                Some(user.id.clone())
            } else {
                q.shopper_id.map(Into::into)
            };
            let rows = db::assignments::list(
                conn,
                db::assignments::Filter {
                    shopper,
                    statuses,
                    campaign: q.campaign_id.map(Into::into),
                    branch: q.branch_id.map(Into::into),
                },
            )?;
            Ok(describe(conn, rows, user.role != Role::Shopper)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One assignment (shoppers: their own; 404 otherwise).
#[utoipa::path(operation_id = "get_assignment", get, path = "/api/v1/assignments/{id}", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Assignment id")),
    responses((status = 200, description = "The assignment", body = Assignment),
              (status = 404, description = "No such assignment of yours", body = ErrorEnvelope)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let a = state.db(move |conn| one(conn, &user, &id)).await?;
    Ok(HttpResponse::Ok().json(a))
}

/// Whether `id` is an active shopper.
pub fn is_shopper(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    Ok(db::users::role_of(conn, &id.into())?
        .is_some_and(|(role, active)| role == Role::Shopper && active))
}

fn check_new(conn: &mut DbConnection, body: &NewAssignment) -> Result<workflow::Planned, ApiError> {
    let mut problems: Vec<Detail> = Vec::new();
    if !is_shopper(conn, &body.shopper_id)? {
        problems.push(detail(
            "/shopper_id",
            crate::msg!("no-active-shopper-with-id"),
        ));
    }
    if !db::branches::exists(conn, &body.branch_id.as_str().into())? {
        problems.push(detail("/branch_id", crate::msg!("no-branch-with-id")));
    }
    if let Some(team) = &body.team_id {
        let owner = db::teams::branch_of(conn, &team.as_str().into())?;
        if owner.as_deref() != Some(body.branch_id.as_str()) {
            problems.push(detail("/team_id", crate::msg!("no-team-in-branch")));
        }
    }
    let checklist =
        match workflow::published_checklist(conn, &body.checklist.key, body.checklist.version) {
            Ok((id, _)) => Some(id),
            Err(ServiceError::Invalid { details, .. }) => {
                problems.extend(details);
                None
            }
            Err(e) => return Err(e.into()),
        };
    let start = workflow::parse_time("/window_start", &body.window_start)
        .map_err(|d| problems.push(d))
        .ok();
    let end = workflow::parse_time("/window_end", &body.window_end)
        .map_err(|d| problems.push(d))
        .ok();
    if let (Some(s), Some(e)) = (start, end)
        && e <= s
    {
        problems.push(detail("/window_end", crate::msg!("window-end-after-start")));
    }
    if let Some(c) = &body.campaign_id
        && !db::campaigns::exists(conn, &c.as_str().into())?
    {
        problems.push(detail("/campaign_id", crate::msg!("no-campaign-with-id")));
    }
    for (path, code) in [
        ("/scenario", &body.scenario),
        ("/calibration", &body.calibration),
    ] {
        if let Some(s) = code
            && !sirr_scoring::visit::is_valid_code(s)
        {
            problems.push(detail(path, crate::msg!("code-invalid")));
        }
    }
    if problems.is_empty()
        && let (Some(start), Some(_)) = (start, end)
    {
        let days = workflow::revisit_days(conn)?;
        if let Some(problem) = workflow::rotation_problem(
            conn,
            &body.shopper_id,
            &body.branch_id,
            start.naive_utc(),
            days,
            None,
        )? {
            problems.push(detail("/shopper_id", problem));
        }
    }
    match (checklist, start, end) {
        (Some(checklist_id), Some(start), Some(end)) if problems.is_empty() => {
            Ok(workflow::Planned {
                shopper_id: body.shopper_id.clone(),
                branch_id: body.branch_id.clone(),
                team_id: body.team_id.clone(),
                checklist_id,
                start: start.naive_utc(),
                end: end.naive_utc(),
                scenario: body.scenario.clone(),
                campaign_id: body.campaign_id.clone(),
                calibration: body.calibration.clone(),
            })
        }
        _ => Err(ApiError::invalid(
            crate::msg!("assignment-not-valid"),
            problems,
        )),
    }
}

/// Assign one visit (QA, admin). Rotation rules and bars are enforced (422 naming the rule).
#[utoipa::path(operation_id = "create_assignment", post, path = "/api/v1/assignments", tag = "field", security(("bearer" = [])),
    request_body = NewAssignment,
    responses((status = 201, description = "Created", body = Assignment),
              (status = 422, description = "Invalid, or against a rotation rule or bar", body = ErrorEnvelope)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewAssignment>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let body = body.into_inner();
    let created = state
        .db_write(move |conn| {
            let planned = check_new(conn, &body)?;
            let id = workflow::offer(conn, &user.id, &planned)?;
            one(conn, &user, &id)
        })
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Moves assignment `id` from one of `from` to `to` and records it, in the caller's write
/// transaction ([`AppState::db_write`]).
fn transition(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: &str,
    from: &[AssignmentStatus],
    to: AssignmentStatus,
    action: &str,
    details: serde_json::Value,
) -> Result<Assignment, ApiError> {
    let row = visible_row(conn, user, id)?;
    if !db::assignments::move_status(conn, &row.id, from, to, db::now())? {
        return Err(ApiError::Conflict(
            crate::msg!(
                "conflict-assignment-state",
                status = row.status.as_str(),
                to = to.as_str()
            )
            .into(),
        ));
    }
    audit::record(conn, Some(&user.id), action, "assignment", id, details)?;
    one(conn, user, id)
}

/// Accept an offered assignment (its shopper).
#[utoipa::path(operation_id = "accept_assignment", post, path = "/api/v1/assignments/{id}/accept", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Assignment id")),
    responses((status = 200, description = "Accepted", body = Assignment),
              (status = 404, description = "No such assignment of yours", body = ErrorEnvelope),
              (status = 409, description = "Not offered any more", body = ErrorEnvelope)))]
pub async fn accept(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::SHOPPERS)?;
    let id = id.into_inner();
    let a = state
        .db_write(move |conn| {
            transition(
                conn,
                &user,
                &id,
                &[AssignmentStatus::Offered],
                AssignmentStatus::Accepted,
                "accept",
                json!({}),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(a))
}

/// Decline an offered or accepted assignment (its shopper), with an optional reason.
#[utoipa::path(operation_id = "decline_assignment", post, path = "/api/v1/assignments/{id}/decline", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Assignment id")),
    request_body = Decline,
    responses((status = 200, description = "Declined", body = Assignment),
              (status = 404, description = "No such assignment of yours", body = ErrorEnvelope),
              (status = 409, description = "Already under way", body = ErrorEnvelope)))]
pub async fn decline(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<Decline>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::SHOPPERS)?;
    let id = id.into_inner();
    let reason = body.into_inner().reason;
    let a = state
        .db_write(move |conn| {
            // Not yours is 404 before anything else: no hint that it exists or has a visit.
            let row = visible_row(conn, &user, &id)?;
            if db::assignments::has_visit(conn, &row.id)? {
                return Err(ApiError::Conflict(
                    crate::msg!("conflict-visit-recorded").into(),
                ));
            }
            transition(
                conn,
                &user,
                &id,
                &[AssignmentStatus::Offered, AssignmentStatus::Accepted],
                AssignmentStatus::Declined,
                "decline",
                json!({"reason": reason}),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(a))
}

/// Withdraw an assignment that has no submitted visit (QA, admin).
#[utoipa::path(operation_id = "cancel_assignment", delete, path = "/api/v1/assignments/{id}", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Assignment id")),
    responses((status = 200, description = "Cancelled", body = Assignment),
              (status = 404, description = "No such assignment", body = ErrorEnvelope),
              (status = 409, description = "Already submitted", body = ErrorEnvelope)))]
pub async fn cancel(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let id = id.into_inner();
    let a = state
        .db_write(move |conn| {
            transition(
                conn,
                &user,
                &id,
                &[
                    AssignmentStatus::Offered,
                    AssignmentStatus::Accepted,
                    AssignmentStatus::Declined,
                ],
                AssignmentStatus::Cancelled,
                "cancel",
                json!({}),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(a))
}

/// Give an assignment to another shopper (QA, admin), in one transaction: the assignment is
/// cancelled and a new one offered to the shopper, with the same branch, team, checklist
/// version, scenario, campaign and calibration group, and the same window unless a new one is
/// given. The rules of a new assignment apply (rotation, bars); if any refuses, nothing changes.
#[utoipa::path(operation_id = "reassign_assignment", post, path = "/api/v1/assignments/{id}/reassign", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Assignment id")),
    request_body = Reassign,
    responses((status = 201, description = "The new assignment", body = Assignment),
              (status = 404, description = "No such assignment", body = ErrorEnvelope),
              (status = 409, description = "Already submitted or withdrawn", body = ErrorEnvelope),
              (status = 422, description = "The same shopper, or against a rotation rule or bar", body = ErrorEnvelope)))]
pub async fn reassign(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<Reassign>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let id = id.into_inner();
    let body = body.into_inner();
    let created = state
        .db_write(move |conn| {
            let row = visible_row(conn, &user, &id)?;
            if row.shopper_id == body.shopper_id {
                return Err(ApiError::invalid(
                    crate::msg!("assignment-not-valid"),
                    vec![detail("/shopper_id", crate::msg!("reassign-same-shopper"))],
                ));
            }
            let checklist = db::checklists::by_id(conn, &row.checklist_id)?;
            transition(
                conn,
                &user,
                &id,
                &[
                    AssignmentStatus::Offered,
                    AssignmentStatus::Accepted,
                    AssignmentStatus::Declined,
                ],
                AssignmentStatus::Cancelled,
                "reassign",
                json!({"shopper_id": body.shopper_id}),
            )?;
            let planned = check_new(
                conn,
                &NewAssignment {
                    shopper_id: body.shopper_id,
                    branch_id: row.branch_id.into(),
                    team_id: row.team_id.map(Into::into),
                    checklist: ChecklistRef {
                        key: checklist.key,
                        version: checklist.version,
                    },
                    window_start: body.window_start.unwrap_or_else(|| time(row.window_start)),
                    window_end: body.window_end.unwrap_or_else(|| time(row.window_end)),
                    scenario: row.scenario,
                    campaign_id: row.campaign_id.map(Into::into),
                    calibration: row.calibration,
                },
            )?;
            let new = workflow::offer(conn, &user.id, &planned)?;
            one(conn, &user, &new)
        })
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// The active shoppers, by name (QA, admin): whom a visit can be given to.
#[utoipa::path(operation_id = "list_shoppers", get, path = "/api/v1/shoppers", tag = "field", security(("bearer" = [])),
    responses((status = 200, description = "Active shoppers", body = [ShopperRef]),
              (status = 403, description = "Not QA or an admin", body = ErrorEnvelope)))]
pub async fn list_shoppers(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let list = state
        .db(|conn| Ok(sirr_store::planning::active_shoppers(conn)?))
        .await?;
    Ok(HttpResponse::Ok().json(
        list.into_iter()
            .map(|u| ShopperRef {
                id: u.id.into(),
                name: u.name,
            })
            .collect::<Vec<_>>(),
    ))
}

/// The rotation rules (QA, admin).
#[utoipa::path(operation_id = "get_rotation", get, path = "/api/v1/rotation", tag = "field", security(("bearer" = [])),
    responses((status = 200, description = "The rules", body = Rotation)))]
pub async fn get_rotation(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let days = state.db(|conn| Ok(workflow::revisit_days(conn)?)).await?;
    Ok(HttpResponse::Ok().json(Rotation { revisit_days: days }))
}

/// Change the rotation rules (QA, admin); they apply to assignments made from now on.
#[utoipa::path(operation_id = "set_rotation", put, path = "/api/v1/rotation", tag = "field", security(("bearer" = [])),
    request_body = Rotation,
    responses((status = 200, description = "The rules", body = Rotation),
              (status = 422, description = "Invalid", body = ErrorEnvelope)))]
pub async fn set_rotation(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<Rotation>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let days = body.into_inner().revisit_days;
    if !(0..=3650).contains(&days) {
        return Err(ApiError::invalid(
            crate::msg!("rotation-not-valid"),
            vec![detail(
                "/revisit_days",
                crate::msg!("import-out-of-range", min = "0", max = "3650"),
            )],
        ));
    }
    state
        .db_write(move |conn| {
            db::organisation::set_revisit_days(conn, days)?;
            audit::record(
                conn,
                Some(&user.id),
                "update",
                "rotation",
                "revisit_days",
                json!({"revisit_days": days}),
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().json(Rotation { revisit_days: days }))
}

fn shopper_exists(conn: &mut DbConnection, id: &str) -> Result<(), ApiError> {
    match db::users::role_of(conn, &id.into())? {
        Some((Role::Shopper, _)) => Ok(()),
        _ => Err(ApiError::NotFound("shopper")),
    }
}

/// A shopper's conflict-of-interest bars (QA, admin).
#[utoipa::path(operation_id = "list_bars", get, path = "/api/v1/shoppers/{id}/bars", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Shopper's user id")),
    responses((status = 200, description = "Bars", body = [Bar]),
              (status = 404, description = "No such shopper", body = ErrorEnvelope)))]
pub async fn list_bars(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let id = id.into_inner();
    let bars = state
        .db(move |conn| {
            shopper_exists(conn, &id)?;
            Ok(db::shopper_bars::of_shopper(conn, &id.as_str().into())?
                .into_iter()
                .map(|bar| Bar {
                    branch_id: bar.branch_id.into(),
                    reason: bar.reason,
                    created_at: time(bar.created_at),
                })
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(bars))
}

/// Bar a shopper from a branch (QA, admin).
#[utoipa::path(operation_id = "add_bar", post, path = "/api/v1/shoppers/{id}/bars", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Shopper's user id")),
    request_body = NewBar,
    responses((status = 201, description = "Barred", body = Bar),
              (status = 404, description = "No such shopper", body = ErrorEnvelope),
              (status = 409, description = "Already barred", body = ErrorEnvelope),
              (status = 422, description = "Invalid", body = ErrorEnvelope)))]
pub async fn add_bar(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<NewBar>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let id = id.into_inner();
    let body = body.into_inner();
    let bar = state
        .db_write(move |conn| {
            shopper_exists(conn, &id)?;
            let mut problems = Vec::new();
            if body.reason.trim().is_empty() {
                problems.push(detail("/reason", crate::msg!("say-why")));
            } else if body.reason.trim().chars().count() > BAR_REASON_MAX {
                problems.push(detail(
                    "/reason",
                    crate::msg!("field-too-long", max = BAR_REASON_MAX),
                ));
            }
            if !db::branches::exists(conn, &body.branch_id.as_str().into())? {
                problems.push(detail("/branch_id", crate::msg!("no-branch-with-id")));
            }
            if !problems.is_empty() {
                return Err(ApiError::invalid(crate::msg!("bar-not-valid"), problems));
            }
            let now = db::now();
            // write lock: a savepoint inside db_write, which holds it.
            conn.transaction(|conn| {
                let bar = db::shopper_bars::BarRow {
                    shopper_id: id.as_str().into(),
                    branch_id: body.branch_id.as_str().into(),
                    reason: body.reason.trim().to_owned(),
                    created_at: now,
                };
                db::shopper_bars::insert(conn, &bar).map_err(|e| {
                    ApiError::conflict_or(e, || crate::msg!("shopper-already-barred"))
                })?;
                audit::record(
                    conn,
                    Some(&user.id),
                    "create",
                    "shopper_bar",
                    &format!("{id}/{}", body.branch_id),
                    json!({"reason": body.reason.trim()}),
                )?;
                Ok(Bar {
                    branch_id: bar.branch_id.into(),
                    reason: bar.reason,
                    created_at: time(now),
                })
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(bar))
}

/// Lift a bar (QA, admin).
#[utoipa::path(operation_id = "remove_bar", delete, path = "/api/v1/shoppers/{id}/bars/{branch_id}", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Shopper's user id"),
           ("branch_id" = String, Path, description = "Branch id")),
    responses((status = 204, description = "Lifted"),
              (status = 404, description = "No such bar", body = ErrorEnvelope)))]
pub async fn remove_bar(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let (id, branch) = path.into_inner();
    state
        .db_write(move |conn| {
            if !db::shopper_bars::delete(conn, &id.as_str().into(), &branch.as_str().into())? {
                return Err(ApiError::NotFound("bar"));
            }
            audit::record(
                conn,
                Some(&user.id),
                "delete",
                "shopper_bar",
                &format!("{id}/{branch}"),
                json!({}),
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
