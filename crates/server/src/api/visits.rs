//! Visits: drafts saved as the shopper goes, and the idempotent submission offline clients
//! retry (SPEC §6, §9.19).
//!
//! A submission is read and checked first (the assignment, the answers against its exact
//! checklist version, the plausibility flags), then written in one transaction: the visit, its
//! revision, its flags, the assignment's state, the audit entry and the key's stored answer
//! together — or nothing. A retry with the same key and the same body (compared as canonical
//! JSON) gets the first answer again, status and body; the same key with another body is 409.

use std::collections::{BTreeMap, HashSet};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::error::{ApiError, Detail, ErrorEnvelope};
use super::types::ChecklistRef;
use super::types::{Location, check_location, detail, time};
use super::visit_view::{Reader, ReviewNote, Visit, VisitScore, named_evidence, reader_of, render};
use crate::audit;
use crate::auth::{AuthUser, Role, roles};
use crate::i18n::ReaderLang;
use crate::plausibility::{self, Flag, PhotoFact};
use crate::startup::AppState;
use crate::workflow;
use sirr_store::ids::{AssignmentId, BranchId, ChecklistId, TeamId, UserId, VisitId};
use sirr_store::status::AssignmentStatus;
use sirr_store::{self as db, DbConnection};

super::routes! {
    handlers: [save_draft, submit, get, revisions],
    schemas: [Visit, VisitScore, Submission, Draft, Revision, ReviewNote, Flag],
}

/// Longest idempotency key accepted.
const MAX_KEY: usize = 200;

/// A submission (SPEC §6): answers as in §4.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// Answers by item key.
    #[schema(value_type = Object)]
    pub answers: Map<String, Value>,
    /// Comments by item key.
    #[serde(default)]
    pub comments: BTreeMap<String, String>,
    /// Check-in time, RFC 3339 with the local offset.
    pub checked_in_at: String,
    /// Check-in place.
    pub location: Option<Location>,
    /// How long the visit took, in seconds.
    pub duration_s: Option<f64>,
    /// Attachment references by item key for items that need photo evidence; when absent, the
    /// attachments uploaded for the assignment are used, by item.
    #[schema(value_type = Option<Object>)]
    pub evidence: Option<Map<String, Value>>,
}

/// A draft: whatever has been answered so far.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    /// Answers so far.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub answers: Map<String, Value>,
    /// Comments so far.
    #[serde(default)]
    pub comments: BTreeMap<String, String>,
    /// Check-in time, once checked in.
    pub checked_in_at: Option<String>,
    /// Check-in place.
    pub location: Option<Location>,
    /// Visit length so far, in seconds.
    pub duration_s: Option<f64>,
}

/// One submitted revision, kept whole.
#[derive(Debug, Serialize, ToSchema)]
pub struct Revision {
    /// 1, 2, …
    pub revision: i32,
    /// Answers.
    #[schema(value_type = Object)]
    pub answers: Value,
    /// Comments.
    pub comments: BTreeMap<String, String>,
    /// Check-in time as sent.
    pub checked_in_at: String,
    /// Check-in place.
    pub location: Option<Location>,
    /// Visit length in seconds.
    pub duration_s: Option<f64>,
    /// Submitted, RFC 3339 UTC.
    pub submitted_at: String,
    /// The plausibility flags this revision was submitted with, in the reader's language (QA
    /// and admins only; empty for a revision stored before they were kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flags: Option<Vec<Flag>>,
    /// The evidence this revision's submission named (item key → attachment ids); empty for a
    /// revision stored before submissions kept it.
    pub evidence: BTreeMap<String, Vec<String>>,
}

/// One visit (shoppers: their own; managers: approved visits in scope, without flags).
#[utoipa::path(operation_id = "get_visit", get, path = "/api/v1/visits/{id}", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Visit id")),
    responses((status = 200, description = "The visit", body = Visit),
              (status = 404, description = "No such visit in reach", body = ErrorEnvelope)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    ReaderLang(lang): ReaderLang,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let visit = state
        .db(move |conn| {
            let reader = reader_of(conn, &user, &id)?;
            render(conn, &id, reader)
        })
        .await?;
    Ok(HttpResponse::Ok().json(visit.localized(lang)))
}

/// Every submitted revision of a visit, oldest first (its shopper, QA, admins).
#[utoipa::path(operation_id = "list_visit_revisions", get, path = "/api/v1/visits/{id}/revisions", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Visit id")),
    responses((status = 200, description = "Revisions", body = [Revision]),
              (status = 404, description = "No such visit in reach", body = ErrorEnvelope)))]
pub async fn revisions(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    ReaderLang(lang): ReaderLang,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let list = state
        .db(move |conn| {
            let reader = reader_of(conn, &user, &id)?;
            if reader == Reader::Manager {
                return Err(ApiError::NotFound("visit"));
            }
            let rows = db::visits::revisions(conn, &id.as_str().into())?;
            Ok(rows
                .into_iter()
                .map(|r| Revision {
                    revision: r.revision,
                    answers: serde_json::from_str(&r.answers).unwrap_or(Value::Null),
                    comments: serde_json::from_str(&r.comments).unwrap_or_default(),
                    checked_in_at: r.checked_in_at,
                    location: r.lat.zip(r.lon).map(|(lat, lon)| Location { lat, lon }),
                    duration_s: r.duration_s,
                    submitted_at: time(r.submitted_at),
                    // Flags are QA's (as on the visit); a revision stored before they were
                    // kept has none.
                    flags: (reader == Reader::Reviewer).then(|| {
                        let mut flags: Vec<Flag> =
                            serde_json::from_str(&r.flags).unwrap_or_default();
                        plausibility::localize(&mut flags, lang);
                        flags
                    }),
                    evidence: r
                        .evidence
                        .as_deref()
                        .and_then(|e| serde_json::from_str(e).ok())
                        .unwrap_or_default(),
                })
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// What the submission and draft handlers need to know about an assignment.
struct Target {
    id: AssignmentId,
    shopper_id: UserId,
    branch_id: BranchId,
    team_id: Option<TeamId>,
    checklist_id: ChecklistId,
    window: (DateTime<Utc>, DateTime<Utc>),
    status: AssignmentStatus,
    branch_location: Option<(f64, f64)>,
    /// The visit filed so far (draft or earlier revision): id and revision.
    visit: Option<(VisitId, i32)>,
    /// Whether anything was uploaded for the assignment (most visits have no photos: their
    /// submission then skips reading the uploads).
    has_uploads: bool,
}

fn target(conn: &mut DbConnection, user: &AuthUser, id: &str) -> Result<Target, ApiError> {
    let row = db::assignments::filing_target(conn, &id.into())?;
    // Only the assignment's shopper files its visit; anyone else learns nothing.
    let Some(r) = row.filter(|r| user.role == Role::Shopper && r.shopper_id == user.id) else {
        return Err(ApiError::NotFound("assignment"));
    };
    Ok(Target {
        id: r.id,
        shopper_id: r.shopper_id,
        branch_id: r.branch_id,
        team_id: r.team_id,
        checklist_id: r.checklist_id,
        window: (r.window_start.and_utc(), r.window_end.and_utc()),
        status: r.status,
        branch_location: r.branch_lat.zip(r.branch_lon),
        visit: r.visit_id.zip(r.visit_revision),
        has_uploads: r.has_uploads,
    })
}

fn answer_problems(found: Vec<sirr_checklist::AnswerProblem>) -> Vec<Detail> {
    crate::api::answer_problems::details(found)
}

/// Attachment references in photo answers and evidence must name this assignment's uploads.
fn check_references(
    answers: &Map<String, Value>,
    evidence: &Map<String, Value>,
    known: &HashSet<&str>,
    checklist: &sirr_checklist::Checklist,
    problems: &mut Vec<Detail>,
) {
    let photo_items: HashSet<&str> = checklist
        .items()
        .filter(|(_, item)| matches!(item.kind, sirr_checklist::ItemKind::Photo))
        .map(|(_, item)| item.key.as_str())
        .collect();
    let mut check = |path: String, refs: &Value| {
        if let Some(list) = refs.as_array() {
            for r in list.iter().filter_map(Value::as_str) {
                if !known.contains(r) {
                    problems.push(Detail {
                        path: path.clone(),
                        problem: crate::msg!("not-an-attachment-of-assignment", reference = r)
                            .into(),
                    });
                }
            }
        }
    };
    for (key, value) in answers {
        if photo_items.contains(key.as_str()) {
            check(format!("/answers/{key}"), value);
        }
    }
    for (key, value) in evidence {
        check(format!("/evidence/{key}"), value);
    }
}

/// The attachment ids the answers use: photo items' answers and the evidence lists.
fn referenced_attachments<'a>(
    answers: &'a Map<String, Value>,
    evidence: &'a Map<String, Value>,
    checklist: &sirr_checklist::Checklist,
) -> HashSet<&'a str> {
    let photo_items: HashSet<&str> = checklist
        .items()
        .filter(|(_, item)| matches!(item.kind, sirr_checklist::ItemKind::Photo))
        .map(|(_, item)| item.key.as_str())
        .collect();
    answers
        .iter()
        .filter(|(key, _)| photo_items.contains(key.as_str()))
        .chain(evidence.iter())
        .filter_map(|(_, refs)| refs.as_array())
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn check_common(location: Option<&Location>, duration: Option<f64>, problems: &mut Vec<Detail>) {
    if let Some(l) = location {
        check_location("/location", l, problems);
    }
    if let Some(d) = duration
        && !(d.is_finite() && (0.0..=86_400.0).contains(&d))
    {
        problems.push(detail("/duration_s", crate::msg!("duration-range")));
    }
}

fn bad_json(path: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(path, crate::msg!("bad-json", problem = e.to_string()))
}

/// Save answers so far (the assignment's shopper). Partial answers are fine; what is there
/// must fit the checklist version (422 naming each item). Accepts an offered assignment.
#[utoipa::path(operation_id = "save_visit_draft", put, path = "/api/v1/assignments/{id}/draft", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Assignment id")),
    request_body = Draft,
    responses((status = 200, description = "The visit as saved", body = Visit),
              (status = 404, description = "No such assignment of yours", body = ErrorEnvelope),
              (status = 409, description = "Already submitted", body = ErrorEnvelope),
              (status = 422, description = "Answers that do not fit the checklist", body = ErrorEnvelope)))]
pub async fn save_draft(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    body: web::Json<Draft>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::SHOPPERS)?;
    let id = id.into_inner();
    let draft = body.into_inner();
    let visit = state
        .db_write(move |conn| {
            let t = target(conn, &user, &id)?;
            if !AssignmentStatus::OPEN.contains(&t.status) {
                return Err(ApiError::Conflict(
                    crate::msg!("conflict-answers-closed", status = t.status.as_str()).into(),
                ));
            }
            let loaded = workflow::checklist_by_id(conn, &t.checklist_id)?;
            let checklist = &loaded.checklist;
            let mut problems = Vec::new();
            if let Err(found) = sirr_checklist::AnswerChecker::new(checklist).check(
                &draft.answers,
                None,
                sirr_checklist::Completeness::Draft,
            ) {
                problems.extend(answer_problems(found));
            }
            let checked_in = match draft.checked_in_at.as_deref() {
                Some(text) => match workflow::parse_time("/checked_in_at", text) {
                    Ok(t) => Some((text.to_owned(), t)),
                    Err(d) => {
                        problems.push(d);
                        None
                    }
                },
                None => None,
            };
            check_common(draft.location.as_ref(), draft.duration_s, &mut problems);
            if !problems.is_empty() {
                return Err(ApiError::invalid(
                    crate::msg!("draft-does-not-fit"),
                    problems,
                ));
            }
            let now = db::now();
            let existing = t.visit.clone();
            let answers = Value::Object(draft.answers.clone()).to_string();
            let comments = json!(draft.comments).to_string();
            let visit_id = existing
                .as_ref()
                .map_or_else(VisitId::generate, |(id, _)| id.clone());
            let content = db::visits::Draft {
                answers: &answers,
                comments: &comments,
                checked_in: checked_in
                    .as_ref()
                    .map(|(text, at)| (text.as_str(), at.naive_utc())),
                location: draft.location.as_ref().map(|l| (l.lat, l.lon)),
                duration_s: draft.duration_s,
            };
            db::visits::save_draft(
                conn,
                existing.as_ref().map(|(id, _)| id),
                &filing(&t, &visit_id),
                &content,
                now,
            )?;
            if t.status == AssignmentStatus::Offered {
                // Starting the visit accepts the assignment.
                db::assignments::move_status(
                    conn,
                    &t.id,
                    &[AssignmentStatus::Offered],
                    AssignmentStatus::Accepted,
                    now,
                )?;
            }
            audit::record(
                conn,
                Some(&user.id),
                "save_draft",
                "visit",
                &visit_id,
                json!({"assignment_id": t.id, "answers": draft.answers.len()}),
            )?;
            render(conn, &visit_id, Reader::Shopper)
        })
        .await?;
    Ok(HttpResponse::Ok().json(visit))
}

/// The stored answer to an idempotency key.
enum Stored {
    /// The same body: replay this status and body.
    Replay(u16, String),
    /// Another body under the same key.
    Mismatch,
    /// Not used yet.
    Fresh,
}

/// What a key is bound to: the user (the table's key), the assignment the request names and the
/// body as canonical JSON, hashed together, so the same key and body sent to another
/// assignment is another request (409), never a replay of the first one's visit.
fn request_hash(assignment: &str, body: &Value) -> String {
    crate::auth::tokens::token_hash(&sirr_checklist::canonical::to_canonical_string(
        &json!({"assignment": assignment, "body": body}),
    ))
}

/// The hash of keys stored before they were bound to the assignment: the body alone.
fn legacy_hash(body: &Value) -> String {
    crate::auth::tokens::token_hash(&sirr_checklist::canonical::to_canonical_string(body))
}

/// What a new visit of assignment `t` is filed as.
fn filing<'a>(t: &'a Target, visit_id: &'a VisitId) -> db::visits::Filing<'a> {
    db::visits::Filing {
        id: visit_id,
        assignment_id: &t.id,
        shopper_id: &t.shopper_id,
        branch_id: &t.branch_id,
        team_id: t.team_id.as_ref(),
        checklist_id: &t.checklist_id,
    }
}

fn stored(
    conn: &mut DbConnection,
    user: &str,
    key: &str,
    (hash, legacy, assignment): (&str, &str, &str),
) -> QueryResult<Stored> {
    let row = db::idempotency_keys::find(conn, &user.into(), key)?
        .map(|k| (k.request_hash, k.status, k.response));
    Ok(match row {
        None => Stored::Fresh,
        Some((h, s, body)) if h == hash => Stored::Replay(s as u16, body),
        // A key stored before the binding: a replay only for the assignment it answered.
        Some((h, s, body))
            if h == legacy
                && serde_json::from_str::<Value>(&body)
                    .ok()
                    .is_some_and(|v| v["assignment_id"] == assignment) =>
        {
            Stored::Replay(s as u16, body)
        }
        Some(_) => Stored::Mismatch,
    })
}

fn replay(status: u16, body: String) -> HttpResponse {
    HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
        .content_type(actix_web::http::header::ContentType::json())
        .insert_header(("Idempotent-Replayed", "true"))
        .body(body)
}

fn key_reused() -> ApiError {
    ApiError::Conflict(crate::msg!("conflict-key-reused").into())
}

/// Submit a visit (the assignment's shopper), idempotently: header `Idempotency-Key` required
/// (400 without); a retry with the same key and body returns the original answer; the same key
/// with another body, or on another assignment, is 409 (a key is bound to the user, the
/// assignment and the body); a new key on an already submitted assignment is 409; after QA
/// returns the visit, resubmit here with a new key. Invalid answers: one 422 naming every bad
/// key as `/answers/<item>`.
#[utoipa::path(operation_id = "submit_visit", post, path = "/api/v1/assignments/{id}/submission", tag = "field", security(("bearer" = [])),
    params(("id" = String, Path, description = "Assignment id"),
           ("Idempotency-Key" = String, Header, description = "Chosen by the client per submission attempt; retries reuse it")),
    request_body = Submission,
    responses((status = 201, description = "The visit, stored", body = Visit),
              (status = 400, description = "No Idempotency-Key, or a malformed body", body = ErrorEnvelope),
              (status = 404, description = "No such assignment of yours", body = ErrorEnvelope),
              (status = 409, description = "Key reused with another body, or already submitted", body = ErrorEnvelope),
              (status = 410, description = "The assignment was cancelled", body = ErrorEnvelope),
              (status = 422, description = "Answers that do not fit the checklist version", body = ErrorEnvelope)))]
pub async fn submit(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::SHOPPERS)?;
    let key = req
        .headers()
        .get("Idempotency-Key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            ApiError::bad_request("Idempotency-Key", crate::msg!("idempotency-key-missing"))
        })?
        .to_owned();
    if key.len() > MAX_KEY {
        return Err(ApiError::bad_request(
            "Idempotency-Key",
            crate::msg!("at-most-characters", max = MAX_KEY),
        ));
    }
    let body = body.into_inner();
    let id = id.into_inner();
    let hash = request_hash(&id, &body);
    let lookup = (
        user.id.clone(),
        key.clone(),
        hash.clone(),
        legacy_hash(&body),
        id.clone(),
    );

    // Everything that only reads (the assignment, its uploads, the answer check, the
    // plausibility flags, the texts to store) happens before the write transaction, so SQLite's
    // single writer spends its time on writes alone. Nothing read here can go stale in a way
    // that matters: the conditional update re-checks the assignment's state, a draft that
    // creates the visit meanwhile makes the insert fail, the key is guarded by its primary key
    // (each of these rolls the transaction back: nothing stored), and attachments are never
    // deleted.
    let written = match state
        .db(move |conn| {
            let t = target(conn, &user, &id)?;
            let submission: Submission =
                serde_json::from_value(body).map_err(|e| bad_json("body", e))?;
            prepare_submission(conn, user, t, submission, key, hash)
        })
        .await
    {
        Ok(write) => {
            state
                .db_write(move |conn| write_submission(conn, &write))
                .await
        }
        Err(e) => Err(e),
    };
    match written {
        Ok(response) => Ok(HttpResponse::Created()
            .content_type(actix_web::http::header::ContentType::json())
            .body(response)),
        // The key is looked up only when the submission cannot be stored — it is already
        // submitted, raced another, or does not fit — which keeps the usual path short: a retry
        // with the same key and body gets the first answer, another body under a used key 409.
        Err(e) => {
            let (user_id, key, hash, legacy, assignment) = lookup;
            match state
                .db(move |conn| Ok(stored(conn, &user_id, &key, (&hash, &legacy, &assignment))?))
                .await
            {
                Ok(Stored::Replay(status, body)) => Ok(replay(status, body)),
                Ok(Stored::Mismatch) => Err(key_reused()),
                Ok(Stored::Fresh) | Err(_) => Err(e),
            }
        }
    }
}

/// A valid submission with everything it writes, worked out before the write transaction.
struct Write {
    user_id: String,
    key: String,
    hash: String,
    target: Target,
    submission: Submission,
    checklist: ChecklistRef,
    answers: String,
    comments: String,
    flags: Vec<Flag>,
    flags_text: String,
    checked_in_utc: NaiveDateTime,
    /// The evidence named, as stored: item key → attachment ids, photo items left out.
    evidence: BTreeMap<String, Vec<String>>,
    evidence_text: String,
    now: NaiveDateTime,
}

/// Checks a submission against the assignment's checklist version and works out what it
/// writes: every problem in one 422.
fn prepare_submission(
    conn: &mut DbConnection,
    user: AuthUser,
    t: Target,
    s: Submission,
    key: String,
    hash: String,
) -> Result<Box<Write>, ApiError> {
    // A cancelled assignment is gone for good: the phone keeps the answers and tells the shopper
    // to contact the quality team (410), unlike a visit already submitted (409).
    if t.status == AssignmentStatus::Cancelled {
        return Err(ApiError::Gone(crate::msg!("assignment-cancelled").into()));
    }
    if !AssignmentStatus::OPEN.contains(&t.status) {
        return Err(ApiError::Conflict(
            crate::msg!("conflict-submitted-once", status = t.status.as_str()).into(),
        ));
    }
    let loaded = workflow::checklist_by_id(conn, &t.checklist_id)?;
    let checklist = &loaded.checklist;
    let uploads = if t.has_uploads {
        db::attachments::uploads(conn, &t.id)?
    } else {
        Vec::new()
    };
    let evidence: Map<String, Value> = match s.evidence.clone() {
        Some(e) => e,
        None => {
            let mut by_item: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for upload in &uploads {
                by_item
                    .entry(upload.item_key.clone())
                    .or_default()
                    .push(json!(upload.id));
            }
            by_item
                .into_iter()
                .map(|(k, v)| (k, Value::Array(v)))
                .collect()
        }
    };
    let mut problems = Vec::new();
    let checked = match sirr_checklist::AnswerChecker::new(checklist).check(
        &s.answers,
        Some(&evidence),
        sirr_checklist::Completeness::Submission,
    ) {
        Ok(c) => Some(c),
        Err(found) => {
            problems.extend(answer_problems(found));
            None
        }
    };
    let known: HashSet<&str> = uploads.iter().map(|u| u.id.as_str()).collect();
    check_references(&s.answers, &evidence, &known, checklist, &mut problems);
    let checked_in = workflow::parse_time("/checked_in_at", &s.checked_in_at)
        .map_err(|d| problems.push(d))
        .ok();
    check_common(s.location.as_ref(), s.duration_s, &mut problems);
    for key in s.comments.keys() {
        if checklist.items().all(|(_, item)| item.key.as_str() != key) {
            problems.push(Detail {
                path: format!("/comments/{key}"),
                problem: crate::msg!("answer-unknown-item").into(),
            });
        }
    }
    let (Some(checked), Some(checked_in), true) = (checked, checked_in, problems.is_empty()) else {
        let n = problems.len();
        return Err(ApiError::invalid(
            crate::msg!("visit-does-not-fit", count = n),
            problems,
        ));
    };
    let now = db::now();
    let answered = checked
        .states()
        .iter()
        .filter(|s| {
            matches!(s, sirr_checklist::AnswerState::Given(a) if *a != sirr_checklist::Answer::Na)
        })
        .count();
    let referenced = referenced_attachments(&s.answers, &evidence, checklist);
    let flags = plausibility::check(&plausibility::Facts {
        checked_in_at: chrono::DateTime::parse_from_rfc3339(&s.checked_in_at)
            .map_err(|e| ApiError::Internal(e.to_string()))?,
        location: s.location.as_ref().map(|l| (l.lat, l.lon)),
        branch_location: t.branch_location,
        duration_s: s.duration_s,
        answered_items: answered,
        window: t.window,
        submitted_at: now.and_utc(),
        // Only photos the final answers reference are evidence: one the shopper removed (or
        // replaced) before submitting raises no flag.
        photos: uploads
            .iter()
            .filter(|upload| referenced.contains(upload.id.as_str()))
            .map(|upload| PhotoFact {
                id: upload.id.clone().into(),
                item_key: upload.item_key.clone(),
                item_text: checklist
                    .items()
                    .find(|(_, it)| it.key.as_str() == upload.item_key)
                    .map(|(_, it)| {
                        it.text
                            .0
                            .iter()
                            .map(|(l, t)| (l.to_string(), t.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
                captured_at: upload.captured_at.clone(),
                location: upload.captured_lat.zip(upload.captured_lon),
            })
            .collect(),
    });
    let flags_text =
        serde_json::to_string(&flags).map_err(|e| ApiError::Internal(e.to_string()))?;
    let evidence = named_evidence(&evidence, checklist);
    let evidence_text =
        serde_json::to_string(&evidence).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Box::new(Write {
        evidence,
        evidence_text,
        user_id: user.id.into(),
        key,
        hash,
        checklist: ChecklistRef {
            key: loaded.key.clone(),
            version: loaded.version,
        },
        answers: Value::Object(s.answers.clone()).to_string(),
        comments: json!(s.comments).to_string(),
        flags,
        flags_text,
        checked_in_utc: checked_in.naive_utc(),
        now,
        target: t,
        submission: s,
    }))
}

/// Writes a prepared submission in the caller's transaction and returns the answer's body.
fn write_submission(conn: &mut DbConnection, w: &Write) -> Result<String, ApiError> {
    let (t, s, now) = (&w.target, &w.submission, w.now);
    // Only one submission may move the assignment on; a concurrent one finds it moved.
    if !db::assignments::submit(conn, &t.id, now)? {
        return Err(ApiError::Conflict(
            crate::msg!("conflict-submitted-meanwhile").into(),
        ));
    }
    let existing = t.visit.clone();
    let visit_id = existing
        .as_ref()
        .map(|e| e.0.clone())
        .unwrap_or_else(VisitId::generate);
    let revision = existing.as_ref().map_or(0, |e| e.1) + 1;
    let submitted = db::visits::Submitted {
        revision,
        answers: &w.answers,
        comments: &w.comments,
        checked_in_at: &s.checked_in_at,
        checked_in_utc: w.checked_in_utc,
        location: s.location.as_ref().map(|l| (l.lat, l.lon)),
        duration_s: s.duration_s,
        flags: &w.flags_text,
        evidence: &w.evidence_text,
    };
    db::visits::file_submission(
        conn,
        existing.as_ref().map(|(id, _)| id),
        &filing(t, &visit_id),
        &submitted,
        now,
    )?;
    audit::record(
        conn,
        Some(&w.user_id),
        "submit",
        "visit",
        &visit_id,
        json!({"assignment_id": t.id, "revision": revision,
               "flags": w.flags.iter().map(|f| &f.code).collect::<Vec<_>>()}),
    )?;
    crate::events::emit(
        conn,
        crate::events::EventType::VisitSubmitted,
        json!({"visit_id": visit_id, "assignment_id": t.id, "shopper_id": t.shopper_id,
               "branch_id": t.branch_id, "revision": revision,
               "checked_in_at": s.checked_in_at}),
    )?;
    // A first submission is answered from what was just written; a resubmission reads the
    // stored visit back for QA's earlier notes and its first creation time.
    let visit = if existing.is_some() {
        render(conn, &visit_id, Reader::Shopper)?
    } else {
        Visit {
            id: visit_id.to_string(),
            assignment_id: t.id.to_string(),
            branch_id: t.branch_id.to_string(),
            checklist: json!(w.checklist),
            status: AssignmentStatus::Submitted.to_owned(),
            revision,
            answers: Value::Object(s.answers.clone()),
            comments: s.comments.clone(),
            checked_in_at: Some(s.checked_in_at.clone()),
            location: s.location,
            duration_s: s.duration_s,
            submitted_at: Some(time(now)),
            approved_at: None,
            reviews: Vec::new(),
            flags: None,
            evidence: w.evidence.clone(),
            score: None,
            created_at: time(now),
            updated_at: time(now),
        }
    };
    let response = serde_json::to_string(&visit).map_err(|e| ApiError::Internal(e.to_string()))?;
    // A key stored meanwhile (by a concurrent submission) fails this insert: 409, rolled back.
    db::idempotency_keys::insert(
        conn,
        &db::idempotency_keys::KeyRow {
            user_id: w.user_id.as_str().into(),
            key: w.key.clone(),
            request_hash: w.hash.clone(),
            status: 201,
            response: response.clone(),
            created_at: now,
        },
    )?;
    Ok(response)
}
