//! Action plans (SPEC §1, §6): for a branch and a period, what the branch will do about its
//! results — on one checklist item, one section or in general — who owns it, by when, and how
//! far it got. Managers keep the plans of branches in their scope; QA and admins of every
//! branch; shoppers get 403. A branch out of scope is 404, as one that does not exist.
//!
//! Periods are the score periods' labels (`YYYY-MM`, `YYYY-Qn`, ISO week `YYYY-Www`, SPEC §9.14),
//! stored in their canonical form; a plan belongs to exactly the period it was recorded for.
//! Reports read them with [`super::action_view::actions_for`]. Every change writes an audit entry in the same
//! transaction.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::action_view::{ActionItem, to_item};
use super::error::{ApiError, Detail, ErrorEnvelope};
use super::types::detail;
use crate::audit;
use crate::auth::access::{self, Access};
use crate::auth::{AuthUser, roles};
use crate::startup::AppState;
use sirr_store::status::ActionStatus;
use sirr_store::{self as db, DbConnection};

super::routes! {
    handlers: [list, create, update, delete],
    schemas: [ActionItem, NewAction, ActionPatch],
}

/// Longest action text accepted, in characters.
const MAX_ACTION: usize = 2000;
/// Longest owner accepted, in characters.
const MAX_OWNER: usize = 200;

/// A new action.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAction {
    /// `YYYY-MM`, `YYYY-Qn` or ISO week `YYYY-Www`.
    pub period: String,
    /// A checklist item (of any published checklist); at most one of `item_key`, `section_key`.
    pub item_key: Option<String>,
    /// A checklist section (of any published checklist).
    pub section_key: Option<String>,
    /// What will be done.
    pub action: String,
    /// Who owns it.
    pub owner: String,
    /// Due date, `YYYY-MM-DD`.
    pub due_on: String,
}

/// Changes to an action; absent fields stay. `status: done` sets `done_at`; any other status
/// clears it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionPatch {
    /// New text.
    pub action: Option<String>,
    /// New owner.
    pub owner: Option<String>,
    /// New due date, `YYYY-MM-DD`.
    pub due_on: Option<String>,
    /// `open`, `in_progress` or `done`.
    pub status: Option<String>,
}

/// Filters of the list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ActionQuery {
    /// Only this period (`YYYY-MM`, `YYYY-Qn`, `YYYY-Www`); absent for every period.
    pub period: Option<String>,
}

fn fetch(conn: &mut DbConnection, id: &str) -> Result<ActionItem, ApiError> {
    db::action_items::find(conn, &id.into())?
        .map(to_item)
        .ok_or(ApiError::NotFound("action"))
}

/// 404 unless `user` may see the plans of `branch_id` (and the branch exists); for
/// [`Access::Write`], 403 when it may see but not keep them (a team scope reads its branch).
fn check_branch(
    conn: &mut DbConnection,
    user: &AuthUser,
    branch_id: &str,
    want: Access,
) -> Result<(), ApiError> {
    let exists = db::branches::exists(conn, &branch_id.into())?;
    if !exists || !access::branches(conn, user)?.contains(branch_id) {
        return Err(ApiError::NotFound("branch"));
    }
    check_write(conn, user, branch_id, want)
}

/// 403 unless `user` may keep the plan of `branch_id` (when `want` is a write).
fn check_write(
    conn: &mut DbConnection,
    user: &AuthUser,
    branch_id: &str,
    want: Access,
) -> Result<(), ApiError> {
    if want == Access::Write
        && !access::branches_for(conn, user, Access::Write)?.contains(branch_id)
    {
        return Err(ApiError::Forbidden(
            crate::msg!("action-plan-team-scope-reads").into(),
        ));
    }
    Ok(())
}

/// The action `id` if `user` may see it (else 404) and, for a write, change it (else 403).
fn reachable(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: &str,
    want: Access,
) -> Result<ActionItem, ApiError> {
    let item = fetch(conn, id)?;
    if !access::branches(conn, user)?.contains(&item.branch_id) {
        return Err(ApiError::NotFound("action"));
    }
    check_write(conn, user, &item.branch_id, want)?;
    Ok(item)
}

fn check_text(path: &str, text: &str, max: usize, problems: &mut Vec<Detail>) {
    if text.trim().is_empty() {
        problems.push(detail(path, crate::msg!("field-required")));
    } else if text.chars().count() > max {
        problems.push(detail(path, crate::msg!("field-too-long", max = max)));
    }
}

fn parse_date(path: &str, text: &str, problems: &mut Vec<Detail>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| problems.push(detail(path, crate::msg!("date-invalid"))))
        .ok()
}

/// Whether some published checklist has an item (or a section) with this key.
fn known_keys(
    conn: &mut DbConnection,
    item: Option<&str>,
    section: Option<&str>,
    problems: &mut Vec<Detail>,
) -> QueryResult<()> {
    if item.is_none() && section.is_none() {
        return Ok(());
    }
    let documents = db::checklists::published_documents(conn)?;
    let loaded: Vec<sirr_checklist::Checklist> = documents
        .iter()
        .filter_map(|d| sirr_checklist::from_json_str(d).ok().map(|(c, _)| c))
        .collect();
    if let Some(key) = item
        && !loaded
            .iter()
            .any(|c| c.items().any(|(_, i)| i.key.as_str() == key))
    {
        problems.push(detail(
            "/item_key",
            crate::msg!("no-item-in-published-checklists"),
        ));
    }
    if let Some(key) = section
        && !loaded
            .iter()
            .any(|c| c.sections.iter().any(|s| s.key.as_str() == key))
    {
        problems.push(detail(
            "/section_key",
            crate::msg!("no-section-in-published-checklists"),
        ));
    }
    Ok(())
}

/// A branch's action plan, by period and due date (managers in scope, QA, admins).
#[utoipa::path(operation_id = "list_actions", get, path = "/api/v1/branches/{id}/actions", tag = "follow-up", security(("bearer" = [])),
    params(("id" = String, Path, description = "Branch id"), ActionQuery),
    responses((status = 200, description = "The actions", body = [ActionItem]),
              (status = 400, description = "Not a period label", body = ErrorEnvelope),
              (status = 403, description = "A shopper", body = ErrorEnvelope),
              (status = 404, description = "No such branch in scope", body = ErrorEnvelope)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    query: web::Query<ActionQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::READERS)?;
    let branch_id = id.into_inner();
    let period = match query.into_inner().period {
        Some(p) => Some(
            sirr_scoring::period::parse_label(p.trim())
                .map(|(_, label)| label)
                .map_err(|e| {
                    ApiError::bad_request("period", crate::msg!("period-invalid", problem = e))
                })?,
        ),
        None => None,
    };
    let list = state
        .db(move |conn| {
            check_branch(conn, &user, &branch_id, Access::Read)?;
            Ok(
                db::action_items::of_branch(conn, &branch_id.as_str().into(), period.as_deref())?
                    .into_iter()
                    .map(to_item)
                    .collect::<Vec<_>>(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Record an action for a branch and period (managers in scope, QA, admins). It starts `open`.
#[utoipa::path(operation_id = "create_action", post, path = "/api/v1/branches/{id}/actions", tag = "follow-up", security(("bearer" = [])),
    params(("id" = String, Path, description = "Branch id")),
    request_body = NewAction,
    responses((status = 201, description = "Recorded", body = ActionItem),
              (status = 403, description = "A shopper, or a team scope (it reads its branch's plan, never changes it)", body = ErrorEnvelope),
              (status = 404, description = "No such branch in scope", body = ErrorEnvelope),
              (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<NewAction>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::READERS)?;
    let branch_id = id.into_inner();
    let new = body.into_inner();
    let mut problems = Vec::new();
    let period = sirr_scoring::period::parse_label(new.period.trim())
        .map(|(_, label)| label)
        .map_err(|_| problems.push(detail("/period", crate::msg!("period-label-expected"))))
        .ok();
    let item_key = new.item_key.map(|k| k.trim().to_owned());
    let section_key = new.section_key.map(|k| k.trim().to_owned());
    if item_key.is_some() && section_key.is_some() {
        problems.push(detail("/section_key", crate::msg!("item-or-section-key")));
    }
    let action = new.action.trim().to_owned();
    let owner = new.owner.trim().to_owned();
    check_text("/action", &action, MAX_ACTION, &mut problems);
    check_text("/owner", &owner, MAX_OWNER, &mut problems);
    let due_on = parse_date("/due_on", new.due_on.trim(), &mut problems);
    let item = state
        .db_write(move |conn| {
            check_branch(conn, &user, &branch_id, Access::Write)?;
            known_keys(
                conn,
                item_key.as_deref(),
                section_key.as_deref(),
                &mut problems,
            )?;
            let (Some(period), Some(due_on), true) = (period, due_on, problems.is_empty()) else {
                return Err(ApiError::invalid(crate::msg!("action-not-valid"), problems));
            };
            let id = sirr_store::ids::ActionId::generate();
            let now = db::now();
            db::action_items::insert(
                conn,
                &db::action_items::NewAction {
                    id: &id,
                    branch_id: &branch_id.as_str().into(),
                    period: &period,
                    item_key: item_key.as_deref(),
                    section_key: section_key.as_deref(),
                    action: &action,
                    owner: &owner,
                    due_on,
                    status: ActionStatus::Open,
                    done_at: None,
                    created_by: Some(&user.id),
                    created_at: now,
                    updated_at: now,
                },
            )?;
            let item = fetch(conn, &id)?;
            audit::record(
                conn,
                Some(&user.id),
                "create",
                "action_item",
                &id,
                snapshot(&item),
            )?;
            Ok(item)
        })
        .await?;
    Ok(HttpResponse::Created().json(item))
}

/// The audited fields of an action.
fn snapshot(item: &ActionItem) -> Value {
    json!({"branch_id": item.branch_id, "period": item.period, "item_key": item.item_key,
           "section_key": item.section_key, "action": item.action, "owner": item.owner,
           "due_on": item.due_on, "status": item.status})
}

/// Change an action: its text, owner, due date or status (`done` sets `done_at`, any other
/// status clears it). Managers in scope, QA, admins; others' branches are 404.
#[utoipa::path(operation_id = "update_action", patch, path = "/api/v1/actions/{id}", tag = "follow-up", security(("bearer" = [])),
    params(("id" = String, Path, description = "Action id")),
    request_body = ActionPatch,
    responses((status = 200, description = "Changed", body = ActionItem),
              (status = 403, description = "A shopper, or a team scope (it reads its branch's plan, never changes it)", body = ErrorEnvelope),
              (status = 404, description = "No such action in scope", body = ErrorEnvelope),
              (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<ActionPatch>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::READERS)?;
    let id = id.into_inner();
    let patch = body.into_inner();
    let mut problems = Vec::new();
    let action = patch.action.map(|a| a.trim().to_owned());
    let owner = patch.owner.map(|o| o.trim().to_owned());
    if let Some(a) = &action {
        check_text("/action", a, MAX_ACTION, &mut problems);
    }
    if let Some(o) = &owner {
        check_text("/owner", o, MAX_OWNER, &mut problems);
    }
    let due_on = patch
        .due_on
        .as_deref()
        .and_then(|d| parse_date("/due_on", d.trim(), &mut problems));
    let new_status = match patch.status.as_deref().map(str::parse::<ActionStatus>) {
        Some(Ok(status)) => Some(status),
        Some(Err(_)) => {
            problems.push(detail(
                "/status",
                crate::msg!("one-of", values = ActionStatus::choices()),
            ));
            None
        }
        None => None,
    };
    if !problems.is_empty() {
        return Err(ApiError::invalid(
            crate::msg!("changes-not-valid"),
            problems,
        ));
    }
    let item = state
        .db_write(move |conn| {
            let before = reachable(conn, &user, &id, Access::Write)?;
            let now = db::now();
            let new_status = new_status.unwrap_or(before.status);
            let done_at = match (
                new_status == ActionStatus::Done,
                before.status == ActionStatus::Done,
            ) {
                // Already done: keep when it was first done.
                (true, true) => db::action_items::find(conn, &id.as_str().into())?
                    .and_then(|row| row.done_at)
                    .or(Some(now)),
                (true, false) => Some(now),
                (false, _) => None,
            };
            let patch = db::action_items::ActionPatch {
                action: action.as_deref().unwrap_or(&before.action),
                owner: owner.as_deref().unwrap_or(&before.owner),
                status: new_status,
                done_at,
                due_on,
                updated_at: now,
            };
            db::action_items::update(conn, &id.as_str().into(), &patch)?;
            let after = fetch(conn, &id)?;
            audit::record(
                conn,
                Some(&user.id),
                "update",
                "action_item",
                &id,
                audit::changes(&snapshot(&before), &snapshot(&after)),
            )?;
            Ok(after)
        })
        .await?;
    Ok(HttpResponse::Ok().json(item))
}

/// Delete an action (managers in scope, QA, admins).
#[utoipa::path(operation_id = "delete_action", delete, path = "/api/v1/actions/{id}", tag = "follow-up", security(("bearer" = [])),
    params(("id" = String, Path, description = "Action id")),
    responses((status = 204, description = "Deleted"),
              (status = 403, description = "A shopper, or a team scope (it reads its branch's plan, never changes it)", body = ErrorEnvelope),
              (status = 404, description = "No such action in scope", body = ErrorEnvelope)))]
pub async fn delete(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::READERS)?;
    let id = id.into_inner();
    state
        .db_write(move |conn| {
            let before = reachable(conn, &user, &id, Access::Write)?;
            db::action_items::delete(conn, &id.as_str().into())?;
            audit::record(
                conn,
                Some(&user.id),
                "delete",
                "action_item",
                &id,
                snapshot(&before),
            )
            .map_err(ApiError::from)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
