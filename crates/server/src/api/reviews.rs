//! QA review: the queue of submitted visits with their plausibility flags; approve, or return
//! to the shopper with per-item comments. Only approved visits count in scores; every decision
//! is kept with the revision it judged.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, Detail, ErrorEnvelope};
use super::types::time;
use super::visit_view::{self, Reader, Visit};
use crate::audit;
use crate::auth::{AuthUser, roles};
use crate::i18n::ReaderLang;
use crate::plausibility::Flag;
use crate::startup::AppState;
use crate::workflow;
use sirr_store::ids::VisitId;
use sirr_store::status::AssignmentStatus;
use sirr_store::{self as db, DbConnection};

super::routes! {
    handlers: [queue, approve, send_back, reject],
    schemas: [QueueEntry, Approval, Return, Rejection],
}

/// One visit waiting for review.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueEntry {
    /// Visit id.
    pub visit_id: String,
    /// Assignment id.
    pub assignment_id: String,
    /// Branch id.
    pub branch_id: String,
    /// Branch code.
    pub branch_code: String,
    /// Checklist key.
    pub checklist_key: String,
    /// Checklist version.
    pub checklist_version: i32,
    /// The shopper's user id.
    pub shopper_id: String,
    /// The shopper's name.
    pub shopper_name: String,
    /// Submission count (2 and more: resubmitted after a return).
    pub revision: i32,
    /// Check-in time as sent.
    pub checked_in_at: Option<String>,
    /// Submitted, RFC 3339 UTC.
    pub submitted_at: Option<String>,
    /// Plausibility flags, each saying why.
    pub flags: Vec<Flag>,
}

/// Filters of the queue.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    /// `submitted` (default: waiting for review), `returned` or `approved`.
    pub status: Option<String>,
    /// Only visits with at least one flag.
    pub flagged: Option<bool>,
    /// Only this branch.
    pub branch_id: Option<String>,
}

/// Approving a visit.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// Optional note.
    #[serde(default)]
    pub note: String,
}

/// Returning a visit to its shopper.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Return {
    /// What to fix, overall.
    #[serde(default)]
    pub note: String,
    /// What to fix, by item key.
    #[serde(default)]
    pub item_comments: BTreeMap<String, String>,
}

/// Rejecting a visit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    /// Why the visit cannot be used (the shopper reads it).
    pub reason: String,
}

/// Visits waiting for review (QA, admin), oldest submission first, with their flags.
#[utoipa::path(operation_id = "review_queue", get, path = "/api/v1/reviews", tag = "field", security(("bearer" = [])),
    params(QueueQuery),
    responses((status = 200, description = "The queue", body = [QueueEntry])))]
pub async fn queue(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<QueueQuery>,
    ReaderLang(lang): ReaderLang,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let q = query.into_inner();
    // A queue holds filed visits: waiting for review, or decided.
    const QUEUES: [AssignmentStatus; 4] = [
        AssignmentStatus::Submitted,
        AssignmentStatus::Returned,
        AssignmentStatus::Approved,
        AssignmentStatus::Rejected,
    ];
    let wanted = match q.status.as_deref() {
        None => AssignmentStatus::Submitted,
        Some(s) => QUEUES
            .into_iter()
            .find(|w| w.as_str() == s)
            .ok_or_else(|| {
                ApiError::bad_request(
                    "status",
                    crate::msg!(
                        "one-of",
                        values = QUEUES.map(AssignmentStatus::as_str).join(", ")
                    ),
                )
            })?,
    };
    let entries = state
        .db(move |conn| {
            let rows = db::visits::queue(conn, wanted, q.branch_id.map(Into::into).as_ref())?;
            Ok(rows
                .into_iter()
                .map(|r| QueueEntry {
                    visit_id: r.id.into(),
                    assignment_id: r.assignment_id.into(),
                    branch_id: r.branch_id.into(),
                    branch_code: r.branch_code,
                    checklist_key: r.checklist_key,
                    checklist_version: r.checklist_version,
                    shopper_id: r.shopper_id.into(),
                    shopper_name: r.shopper_name,
                    revision: r.revision,
                    checked_in_at: r.checked_in_at,
                    submitted_at: r.submitted_at.map(time),
                    flags: {
                        let mut flags: Vec<Flag> =
                            serde_json::from_str(&r.flags).unwrap_or_default();
                        crate::plausibility::localize(&mut flags, lang);
                        flags
                    },
                })
                .filter(|e| !q.flagged.unwrap_or(false) || !e.flags.is_empty())
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(entries))
}

/// Moves a submitted visit and its assignment to `to`, recording the review, in the caller's
/// write transaction ([`AppState::db_write`]).
fn decide(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: &str,
    to: AssignmentStatus,
    note: &str,
    item_comments: &BTreeMap<String, String>,
) -> Result<Visit, ApiError> {
    let visit_id: VisitId = id.into();
    let Some(visit) = db::visits::find(conn, &visit_id)? else {
        return Err(ApiError::NotFound("visit"));
    };
    let (assignment, current, revision, checklist_id) = (
        visit.assignment_id,
        visit.status,
        visit.revision,
        visit.checklist_id,
    );
    if !item_comments.is_empty() {
        let loaded = workflow::checklist_by_id(conn, &checklist_id)?;
        let checklist = &loaded.checklist;
        let problems: Vec<Detail> = item_comments
            .keys()
            .filter(|k| {
                checklist
                    .items()
                    .all(|(_, item)| item.key.as_str() != k.as_str())
            })
            .map(|k| Detail {
                path: format!("/item_comments/{k}"),
                problem: crate::msg!("review-no-such-item").into(),
            })
            .collect();
        if !problems.is_empty() {
            return Err(ApiError::invalid(crate::msg!("unknown-items"), problems));
        }
    }
    let now = db::now();
    if !db::visits::decide(conn, &visit_id, &assignment, to, now)? {
        return Err(ApiError::Conflict(
            crate::msg!("conflict-review-state", status = current.as_str()).into(),
        ));
    }
    db::reviews::insert(
        conn,
        &db::reviews::ReviewRow {
            id: db::ids::ReviewId::generate(),
            visit_id: visit_id.clone(),
            revision,
            reviewer_id: user.id.clone(),
            decision: to,
            note: note.to_owned(),
            item_comments: json!(item_comments).to_string(),
            created_at: now,
        },
    )?;
    let action = match to {
        AssignmentStatus::Approved => "approve",
        AssignmentStatus::Rejected => "reject",
        _ => "return",
    };
    audit::record(
        conn,
        Some(&user.id),
        action,
        "visit",
        id,
        json!({"revision": revision, "note": note, "item_comments": item_comments}),
    )?;
    emit_decision(conn, id, &assignment, to, revision, note)?;
    visit_view::render(conn, id, Reader::Reviewer)
}

/// The events of a review decision, in its transaction: `visit.approved|returned|rejected`, and
/// `scores.updated` for the visit's branch and month when an approval made it count.
fn emit_decision(
    conn: &mut DbConnection,
    id: &str,
    assignment: &str,
    to: AssignmentStatus,
    revision: i32,
    note: &str,
) -> Result<(), ApiError> {
    use crate::events::{EventType, emit, month_of};
    let visit = db::visits::find(conn, &id.into())?.ok_or(diesel::NotFound)?;
    let (shopper, branch, checked_in) = (visit.shopper_id, visit.branch_id, visit.checked_in_at);
    let kind = match to {
        AssignmentStatus::Approved => EventType::VisitApproved,
        AssignmentStatus::Rejected => EventType::VisitRejected,
        _ => EventType::VisitReturned,
    };
    let mut data = json!({"visit_id": id, "assignment_id": assignment, "shopper_id": shopper,
                          "branch_id": branch, "revision": revision});
    if kind == EventType::VisitReturned {
        // The shopper reads QA's note to fix the visit; it goes into their letter.
        data["note"] = json!(note);
    }
    emit(conn, kind, data)?;
    if kind == EventType::VisitApproved
        && let Some(period) = checked_in.as_deref().and_then(month_of)
    {
        emit(
            conn,
            EventType::ScoresUpdated,
            json!({"branch_id": branch, "period": period, "visit_id": id}),
        )?;
    }
    Ok(())
}

/// Approve a submitted visit (QA, admin): from now on it counts in scores.
#[utoipa::path(operation_id = "approve_visit", post, path = "/api/v1/visits/{id}/approve", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Visit id")),
    request_body = Approval,
    responses((status = 200, description = "Approved", body = Visit),
              (status = 404, description = "No such visit", body = ErrorEnvelope),
              (status = 409, description = "Not waiting for review", body = ErrorEnvelope)))]
pub async fn approve(
    state: web::Data<AppState>,
    user: AuthUser,
    ReaderLang(lang): ReaderLang,
    id: web::Path<String>,
    body: Option<web::Json<Approval>>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let id = id.into_inner();
    let note = body.map(|b| b.into_inner().note).unwrap_or_default();
    let visit = state
        .db_write(move |conn| {
            decide(
                conn,
                &user,
                &id,
                AssignmentStatus::Approved,
                &note,
                &BTreeMap::new(),
            )
        })
        .await?;
    // The visit now counts: recompute in the background so the next score read is ready.
    state.warm_scores();
    Ok(HttpResponse::Ok().json(visit.localized(lang)))
}

/// Return a submitted visit to its shopper with what to fix (QA, admin); the shopper resubmits
/// at the same submission URL with a new Idempotency-Key.
#[utoipa::path(operation_id = "return_visit", post, path = "/api/v1/visits/{id}/return", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Visit id")),
    request_body = Return,
    responses((status = 200, description = "Returned", body = Visit),
              (status = 404, description = "No such visit", body = ErrorEnvelope),
              (status = 409, description = "Not waiting for review", body = ErrorEnvelope),
              (status = 422, description = "Nothing said, or unknown items", body = ErrorEnvelope)))]
pub async fn send_back(
    state: web::Data<AppState>,
    user: AuthUser,
    ReaderLang(lang): ReaderLang,
    id: web::Path<String>,
    body: web::Json<Return>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let id = id.into_inner();
    let body = body.into_inner();
    if body.note.trim().is_empty() && body.item_comments.is_empty() {
        return Err(ApiError::invalid(
            crate::msg!("review-say-what-to-fix"),
            vec![super::types::detail(
                "/note",
                crate::msg!("review-note-or-comment"),
            )],
        ));
    }
    let visit = state
        .db_write(move |conn| {
            decide(
                conn,
                &user,
                &id,
                AssignmentStatus::Returned,
                body.note.trim(),
                &body.item_comments,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(visit.localized(lang)))
}

/// Reject a submitted visit (QA, admin): it never counts in scores and cannot be resubmitted;
/// the shopper sees the reason. For a visit that can be fixed, return it instead.
#[utoipa::path(operation_id = "reject_visit", post, path = "/api/v1/visits/{id}/reject", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Visit id")),
    request_body = Rejection,
    responses((status = 200, description = "Rejected", body = Visit),
              (status = 404, description = "No such visit", body = ErrorEnvelope),
              (status = 409, description = "Not waiting for review", body = ErrorEnvelope),
              (status = 422, description = "No reason given", body = ErrorEnvelope)))]
pub async fn reject(
    state: web::Data<AppState>,
    user: AuthUser,
    ReaderLang(lang): ReaderLang,
    id: web::Path<String>,
    body: web::Json<Rejection>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::QUALITY)?;
    let id = id.into_inner();
    let reason = body.into_inner().reason.trim().to_owned();
    if reason.is_empty() {
        return Err(ApiError::invalid(
            crate::msg!("say-why"),
            vec![super::types::detail(
                "/reason",
                crate::msg!("review-reason-for-shopper"),
            )],
        ));
    }
    let visit = state
        .db_write(move |conn| {
            decide(
                conn,
                &user,
                &id,
                AssignmentStatus::Rejected,
                &reason,
                &BTreeMap::new(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(visit.localized(lang)))
}
