//! Disputes (SPEC §6): a branch manager appeals one item of one approved visit with a reason and
//! optional evidence; QA (or an admin) upholds the original result or overturns it, with a
//! reason. An overturned item counts as N/A for that visit, so its section, the visit, the
//! branch and everything derived from them change: resolving updates `disputes.status`, whose
//! trigger bumps the `scores` change counter, and [`crate::scores::warm`] recomputes after the
//! commit.
//!
//! Who does what:
//!
//! - **Managers** file disputes on approved visits of branches in their scope (any other visit is
//!   404, as for reading it) and read the disputes of those branches. They see the outcome and
//!   its reason, never who the shopper was nor who resolved it.
//! - **QA and admins** read every dispute, with who raised and who resolved it, and resolve open
//!   ones. They do not file: the dispute is the branch's appeal against QA's approval, and the
//!   people who decide it do not raise it.
//! - **Shoppers** get 403 everywhere here.
//!
//! One open dispute per visit and item (409 for a second); an overturned item cannot be
//! disputed again (it already counts as N/A). Every step writes an audit entry in the same
//! transaction.

use std::collections::{BTreeSet, HashMap};

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, Detail, ErrorEnvelope};
use super::types::ChecklistRef;
use super::types::{Names, detail, time};
use super::visit_view::{self, Reader};
use crate::audit;
use crate::auth::{AuthUser, Role, access, roles};
use crate::startup::AppState;
use crate::workflow;
use sirr_store::status::{AssignmentStatus, DisputeStatus};

use sirr_store::ids::VisitId;
use sirr_store::{self as db, DbConnection};

super::routes! {
    handlers: [create, list, get, resolve],
    schemas: [Dispute, NewDispute, Resolution, Person],
}

/// Longest reason or resolution reason accepted, in characters.
const MAX_REASON: usize = 4000;
/// Longest evidence text accepted, in characters.
const MAX_EVIDENCE: usize = 4000;

/// A dispute as its reader may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Dispute {
    /// Dispute id.
    pub id: String,
    /// The disputed visit.
    pub visit_id: String,
    /// The visit's branch id.
    pub branch_id: String,
    /// The visit's branch code.
    pub branch_code: String,
    /// The checklist version the visit was filled against.
    pub checklist: ChecklistRef,
    /// The disputed item.
    pub item_key: String,
    /// The item's section.
    pub section_key: String,
    /// The item's text per language.
    pub item_text: Names,
    /// The visit's answer to the item (SPEC §9.10): a string, number, list or `null`, as the
    /// item's type says.
    #[schema(value_type = Value)]
    pub answer: Value,
    /// The visit's comment on the item, if any.
    pub comment: Option<String>,
    /// Why the manager disputes it.
    pub reason: String,
    /// Evidence the manager gave (free text or a link), if any.
    pub evidence: Option<String>,
    /// `open`, `upheld` (the original result stands) or `overturned` (the item counts as N/A
    /// for this visit).
    pub status: DisputeStatus,
    /// QA's reason for the outcome, once resolved.
    pub resolution: Option<String>,
    /// Who filed it (QA and admins only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raised_by: Option<Person>,
    /// Who resolved it (QA and admins only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<Person>,
    /// Filed, RFC 3339 UTC.
    pub created_at: String,
    /// Resolved, RFC 3339 UTC.
    pub resolved_at: Option<String>,
    /// Last changed, RFC 3339 UTC.
    pub updated_at: String,
}

/// A user named on a dispute (shown to QA and admins only).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Person {
    /// User id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Email address.
    pub email: String,
}

/// A new dispute.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDispute {
    /// The item of the visit's checklist version to dispute.
    pub item_key: String,
    /// Why the result is wrong.
    pub reason: String,
    /// Supporting evidence: free text or a link (optional).
    pub evidence: Option<String>,
}

/// QA's decision on an open dispute.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// `upheld` (the original result stands) or `overturned` (the item counts as N/A for the
    /// visit, and scores are recomputed).
    #[schema(example = "overturned")]
    pub outcome: String,
    /// Why; shown to the manager.
    pub reason: String,
}

/// Filters of the list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DisputeQuery {
    /// `open`, `upheld` or `overturned`.
    pub status: Option<String>,
    /// Only disputes on visits of this branch.
    pub branch_id: Option<String>,
    /// Only disputes on this visit.
    pub visit_id: Option<String>,
}

/// Who reads a dispute decides what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    /// QA and admins: who raised and resolved it, too.
    Reviewer,
    /// A manager in scope: the dispute, the outcome and its reason.
    Manager,
}

fn view_of(user: &AuthUser) -> Result<View, ApiError> {
    match user.role {
        Role::Admin | Role::Qa => Ok(View::Reviewer),
        Role::Manager => Ok(View::Manager),
        Role::Shopper => Err(ApiError::Forbidden(
            crate::msg!("disputes-not-for-shoppers").into(),
        )),
    }
}

type Row = db::disputes::Listed;

/// What a dispute needs to know about its item.
struct ItemInfo {
    checklist: ChecklistRef,
    section_key: String,
    text: Names,
}

/// Renders rows for `view`, reading each checklist version and each named user once.
fn render_rows(
    conn: &mut DbConnection,
    rows: Vec<Row>,
    view: View,
) -> Result<Vec<Dispute>, ApiError> {
    let mut checklists: HashMap<String, (ChecklistRef, sirr_checklist::Checklist)> = HashMap::new();
    let mut people: HashMap<String, Person> = HashMap::new();
    if view == View::Reviewer {
        let wanted: BTreeSet<&str> = rows
            .iter()
            .flat_map(|r| {
                std::iter::once(r.dispute.raised_by.as_str())
                    .chain(r.dispute.resolved_by.as_deref())
            })
            .collect();
        if !wanted.is_empty() {
            let wanted: Vec<&str> = wanted.into_iter().collect();
            for c in db::users::contacts(conn, &wanted)? {
                let id = c.id.to_string();
                people.insert(
                    id.clone(),
                    Person {
                        id,
                        name: c.name,
                        email: c.email,
                    },
                );
            }
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        if !checklists.contains_key(r.checklist_id.as_str()) {
            let loaded = workflow::checklist_by_id(conn, &r.checklist_id)?;
            let (key, version, checklist) = (loaded.key.clone(), loaded.version, &loaded.checklist);
            checklists.insert(
                r.checklist_id.to_string(),
                (ChecklistRef { key, version }, checklist.clone()),
            );
        }
        let info = checklists
            .get(r.checklist_id.as_str())
            .map(|(reference, checklist)| item_info(reference, checklist, &r.dispute.item_key))
            .ok_or_else(|| ApiError::Internal("checklist cache".into()))?;
        let answers: Map<String, Value> = serde_json::from_str(&r.answers).unwrap_or_default();
        let comments: Map<String, Value> = serde_json::from_str(&r.comments).unwrap_or_default();
        let person = |id: Option<&str>| {
            id.filter(|_| view == View::Reviewer)
                .and_then(|id| people.get(id).cloned())
        };
        out.push(Dispute {
            raised_by: person(Some(r.dispute.raised_by.as_str())),
            resolved_by: person(r.dispute.resolved_by.as_deref()),
            answer: answers
                .get(&r.dispute.item_key)
                .cloned()
                .unwrap_or(Value::Null),
            comment: comments
                .get(&r.dispute.item_key)
                .and_then(Value::as_str)
                .map(str::to_owned),
            id: r.dispute.id.into(),
            visit_id: r.dispute.visit_id.into(),
            branch_id: r.branch_id.into(),
            branch_code: r.branch_code,
            checklist: info.checklist,
            section_key: info.section_key,
            item_text: info.text,
            item_key: r.dispute.item_key,
            reason: r.dispute.reason,
            evidence: r.dispute.evidence,
            status: r.dispute.status,
            resolution: r.dispute.resolution,
            created_at: time(r.dispute.created_at),
            resolved_at: r.dispute.resolved_at.map(time),
            updated_at: time(r.dispute.updated_at),
        });
    }
    Ok(out)
}

fn item_info(
    reference: &ChecklistRef,
    checklist: &sirr_checklist::Checklist,
    key: &str,
) -> ItemInfo {
    let found = checklist.items().find(|(_, item)| item.key.as_str() == key);
    ItemInfo {
        checklist: reference.clone(),
        section_key: found
            .and_then(|(si, _)| checklist.sections.get(si))
            .map(|s| s.key.as_str().to_owned())
            .unwrap_or_default(),
        text: found
            .map(|(_, item)| {
                item.text
                    .0
                    .iter()
                    .map(|(lang, text)| (lang.as_str().to_owned(), text.clone()))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Dispute `id` for `view`, or 404.
fn one(conn: &mut DbConnection, id: &str, view: View) -> Result<Dispute, ApiError> {
    let found = db::disputes::list(
        conn,
        db::disputes::Filter {
            id: Some(id.into()),
            ..Default::default()
        },
    )?;
    render_rows(conn, found, view)?
        .pop()
        .ok_or(ApiError::NotFound("dispute"))
}

/// Dispute `id` as `user` may see it: QA and admins any, managers those on branches in scope
/// (404 for the rest), shoppers 403.
fn visible(conn: &mut DbConnection, user: &AuthUser, id: &str) -> Result<Dispute, ApiError> {
    let view = view_of(user)?;
    let dispute = one(conn, id, view)?;
    if view == View::Manager && !access::branches(conn, user)?.contains(&dispute.branch_id) {
        return Err(ApiError::NotFound("dispute"));
    }
    Ok(dispute)
}

fn check_text(path: &str, text: &str, max: usize, required: bool, problems: &mut Vec<Detail>) {
    if required && text.trim().is_empty() {
        problems.push(detail(path, crate::msg!("field-required")));
    } else if text.chars().count() > max {
        problems.push(detail(path, crate::msg!("field-too-long", max = max)));
    }
}

/// File a dispute on one item of an approved visit (a manager whose scope covers the visit's
/// branch). Any other visit is 404 for managers; shoppers, QA and admins get 403.
#[utoipa::path(operation_id = "create_dispute", post, path = "/api/v1/visits/{id}/disputes", tag = "follow-up", security(("bearer" = [])),
    params(("id" = String, Path, description = "Visit id")),
    request_body = NewDispute,
    responses((status = 201, description = "Filed", body = Dispute),
              (status = 403, description = "Not a manager, or a team scope and another team's visit", body = ErrorEnvelope),
              (status = 404, description = "No such approved visit in scope", body = ErrorEnvelope),
              (status = 409, description = "An open dispute on this item exists, or it was overturned already", body = ErrorEnvelope),
              (status = 422, description = "No such item in the visit's checklist, nothing to dispute, or no reason", body = ErrorEnvelope)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<NewDispute>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::MANAGERS)?;
    let visit_id = id.into_inner();
    let new = body.into_inner();
    let reason = new.reason.trim().to_owned();
    let evidence = new
        .evidence
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty());
    let mut problems = Vec::new();
    check_text("/reason", &reason, MAX_REASON, true, &mut problems);
    if let Some(e) = &evidence {
        check_text("/evidence", e, MAX_EVIDENCE, false, &mut problems);
    }
    let dispute = state
        .db_write(move |conn| {
            if visit_view::reader_of(conn, &user, &visit_id)? != Reader::Manager {
                return Err(ApiError::NotFound("visit"));
            }
            let visit_key: VisitId = visit_id.as_str().into();
            db::visits::lock(conn, &visit_key)?;
            let db::visits::VisitRow {
                checklist_id,
                answers,
                branch_id,
                team_id,
                ..
            } = db::visits::find(conn, &visit_key)?.ok_or(ApiError::NotFound("visit"))?;
            // Seeing a visit (a team scope sees its whole branch) is not disputing it.
            if !access::may_write_unit(conn, &user, &branch_id, team_id.as_deref())? {
                return Err(ApiError::Forbidden(
                    crate::msg!("dispute-team-scope-own-team").into(),
                ));
            }
            let loaded = workflow::checklist_by_id(conn, &checklist_id)?;
            let checklist = &loaded.checklist;
            let item = new.item_key.as_str();
            if checklist.items().all(|(_, i)| i.key.as_str() != item) {
                problems.push(detail("/item_key", crate::msg!("dispute-no-such-item")));
            } else {
                let answers: Map<String, Value> =
                    serde_json::from_str(&answers).unwrap_or_default();
                match answers.get(item) {
                    None | Some(Value::Null) => {
                        problems.push(detail("/item_key", crate::msg!("dispute-item-unanswered")))
                    }
                    Some(Value::String(s)) if s == "na" => {
                        problems.push(detail("/item_key", crate::msg!("dispute-item-na")))
                    }
                    Some(_) => {}
                }
            }
            if !problems.is_empty() {
                return Err(ApiError::invalid(
                    crate::msg!("dispute-not-valid"),
                    problems,
                ));
            }
            let earlier = db::disputes::standing(conn, &visit_key, item)?;
            if earlier.contains(&DisputeStatus::Overturned) {
                return Err(ApiError::Conflict(
                    crate::msg!("conflict-dispute-overturned", item = item).into(),
                ));
            }
            if !earlier.is_empty() {
                return Err(ApiError::Conflict(
                    crate::msg!("conflict-dispute-open", item = item).into(),
                ));
            }
            let id = sirr_store::ids::DisputeId::generate();
            let now = db::now();
            db::disputes::insert(
                conn,
                &db::disputes::DisputeRow {
                    id: id.clone(),
                    visit_id: visit_key,
                    item_key: item.to_owned(),
                    reason: reason.clone(),
                    evidence: evidence.clone(),
                    status: DisputeStatus::Open.to_owned(),
                    raised_by: user.id.clone(),
                    resolution: None,
                    resolved_by: None,
                    resolved_at: None,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            audit::record(
                conn,
                Some(&user.id),
                "create",
                "dispute",
                &id,
                json!({"visit_id": visit_id, "branch_id": branch_id, "item_key": item,
                           "reason": reason, "evidence": evidence}),
            )?;
            crate::events::emit(
                conn,
                crate::events::EventType::DisputeFiled,
                json!({"dispute_id": id, "visit_id": visit_id, "branch_id": branch_id,
                           "item_key": item, "raised_by": user.id}),
            )?;
            one(conn, &id, View::Manager)
        })
        .await?;
    Ok(HttpResponse::Created().json(dispute))
}

/// Disputes, newest first: QA and admins see all, managers those on branches in their scope.
#[utoipa::path(operation_id = "list_disputes", get, path = "/api/v1/disputes", tag = "follow-up", security(("bearer" = [])),
    params(DisputeQuery),
    responses((status = 200, description = "Disputes, newest first", body = [Dispute]),
              (status = 400, description = "Unknown status", body = ErrorEnvelope),
              (status = 403, description = "A shopper", body = ErrorEnvelope)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<DisputeQuery>,
) -> Result<HttpResponse, ApiError> {
    let view = view_of(&user)?;
    let q = query.into_inner();
    let status = q
        .status
        .as_deref()
        .map(str::parse::<DisputeStatus>)
        .transpose()
        .map_err(|_| {
            ApiError::bad_request(
                "status",
                crate::msg!("one-of", values = DisputeStatus::choices()),
            )
        })?;
    let list = state
        .db(move |conn| {
            let branches = match access::branches(conn, &user)? {
                access::Visible::All => None,
                access::Visible::Only(set) => Some(set),
            };
            let found = db::disputes::list(
                conn,
                db::disputes::Filter {
                    id: None,
                    status,
                    branch: q.branch_id.map(Into::into),
                    visit: q.visit_id.map(Into::into),
                    branches: branches.map(|set| set.into_iter().map(Into::into).collect()),
                },
            )?;
            render_rows(conn, found, view)
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One dispute (QA, admins; managers for branches in scope, else 404).
#[utoipa::path(operation_id = "get_dispute", get, path = "/api/v1/disputes/{id}", tag = "follow-up", security(("bearer" = [])),
    params(("id" = String, Path, description = "Dispute id")),
    responses((status = 200, description = "The dispute", body = Dispute),
              (status = 403, description = "A shopper", body = ErrorEnvelope),
              (status = 404, description = "No such dispute in scope", body = ErrorEnvelope)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let dispute = state.db(move |conn| visible(conn, &user, &id)).await?;
    Ok(HttpResponse::Ok().json(dispute))
}

/// The events of a resolution, in its transaction: `dispute.resolved` (to the manager who filed
/// it), and `scores.updated` when an overturned item changed the branch's scores for the month.
fn emit_resolution(
    conn: &mut DbConnection,
    id: &str,
    visit_id: &str,
    item_key: &str,
    outcome: DisputeStatus,
) -> Result<(), ApiError> {
    use crate::events::{EventType, emit, month_of};
    let raised_by = db::disputes::find(conn, &id.into())?
        .ok_or(diesel::NotFound)?
        .raised_by;
    let visit = db::visits::find(conn, &visit_id.into())?.ok_or(diesel::NotFound)?;
    let (branch, checked_in, state) = (visit.branch_id, visit.checked_in_at, visit.status);
    emit(
        conn,
        EventType::DisputeResolved,
        json!({"dispute_id": id, "visit_id": visit_id, "branch_id": branch,
               "item_key": item_key, "outcome": outcome, "raised_by": raised_by}),
    )?;
    if outcome == DisputeStatus::Overturned
        && state == AssignmentStatus::Approved
        && let Some(period) = checked_in.as_deref().and_then(month_of)
    {
        emit(
            conn,
            EventType::ScoresUpdated,
            json!({"branch_id": branch, "period": period, "visit_id": visit_id}),
        )?;
    }
    Ok(())
}

/// Resolve an open dispute (QA, admin): `upheld` keeps the original result, `overturned` makes
/// the item N/A for the visit and recomputes the scores that depend on it.
#[utoipa::path(operation_id = "resolve_dispute", post, path = "/api/v1/disputes/{id}/resolve", tag = "follow-up", security(("bearer" = [])),
    params(("id" = String, Path, description = "Dispute id")),
    request_body = Resolution,
    responses((status = 200, description = "Resolved", body = Dispute),
              (status = 403, description = "Not QA or admin", body = ErrorEnvelope),
              (status = 404, description = "No such dispute", body = ErrorEnvelope),
              (status = 409, description = "Already resolved", body = ErrorEnvelope),
              (status = 422, description = "Unknown outcome, or no reason", body = ErrorEnvelope)))]
pub async fn resolve(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<Resolution>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let id = id.into_inner();
    let Resolution { outcome, reason } = body.into_inner();
    let reason = reason.trim().to_owned();
    let mut problems = Vec::new();
    let outcome = DisputeStatus::OUTCOMES
        .into_iter()
        .find(|o| o.as_str() == outcome);
    if outcome.is_none() {
        problems.push(detail(
            "/outcome",
            crate::msg!(
                "one-of",
                values = DisputeStatus::OUTCOMES
                    .map(DisputeStatus::as_str)
                    .join(", ")
            ),
        ));
    }
    check_text("/reason", &reason, MAX_REASON, true, &mut problems);
    let (Some(outcome), true) = (outcome, problems.is_empty()) else {
        return Err(ApiError::invalid(
            crate::msg!("resolution-not-valid"),
            problems,
        ));
    };
    let dispute = state
        .db_write(move |conn| {
            let Some(found) = db::disputes::find(conn, &id.as_str().into())? else {
                return Err(ApiError::NotFound("dispute"));
            };
            let (current, visit_id, item_key) = (found.status, found.visit_id, found.item_key);
            if current != DisputeStatus::Open {
                return Err(ApiError::Conflict(
                    crate::msg!("conflict-dispute-resolved", status = current.as_str()).into(),
                ));
            }
            let now = db::now();
            // Conditional: of two concurrent decisions only one finds it open.
            let decision = db::disputes::Decision {
                outcome,
                reason: &reason,
                by: &user.id,
                at: now,
            };
            if !db::disputes::resolve(conn, &found.id, &decision)? {
                return Err(ApiError::Conflict(
                    crate::msg!("conflict-dispute-resolved-meanwhile").into(),
                ));
            }
            audit::record(
                conn,
                Some(&user.id),
                "resolve",
                "dispute",
                &id,
                json!({"outcome": outcome, "reason": reason, "visit_id": visit_id,
                           "item_key": item_key}),
            )?;
            emit_resolution(conn, &id, &visit_id, &item_key, outcome)?;
            one(conn, &id, View::Reviewer)
        })
        .await?;
    // The status change bumped the scores counter; recompute in the background.
    state.warm_scores();
    Ok(HttpResponse::Ok().json(dispute))
}
