//! A visit as each of its readers may see it: the `Visit` resource and how it is read from the
//! database. The visit, review, dispute and branch-visit handlers all serve it, so it lives here
//! rather than in one of them.

use std::collections::{BTreeMap, HashSet};

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::error::ApiError;
use super::types::ChecklistRef;
use super::types::{Location, time};
use crate::auth::{AuthUser, Role, access};
use crate::plausibility::Flag;
use crate::workflow;
use sirr_store::DbConnection;
use sirr_store::status::AssignmentStatus;

/// A visit as its reader may see it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Visit {
    /// Visit id.
    pub id: String,
    /// The assignment it fulfils.
    pub assignment_id: String,
    /// Branch id.
    pub branch_id: String,
    /// The checklist version it was filled against.
    #[schema(value_type = Object)]
    pub checklist: Value,
    /// `draft`, `submitted`, `returned` or `approved`.
    pub status: AssignmentStatus,
    /// Submissions so far (1 after the first).
    pub revision: i32,
    /// Answers by item key (SPEC §4).
    #[schema(value_type = Object)]
    pub answers: Value,
    /// Comments by item key.
    pub comments: BTreeMap<String, String>,
    /// Check-in time with the shopper's offset, as sent.
    pub checked_in_at: Option<String>,
    /// Check-in place.
    pub location: Option<Location>,
    /// Visit length in seconds, as reported.
    pub duration_s: Option<f64>,
    /// Submitted, RFC 3339 UTC.
    pub submitted_at: Option<String>,
    /// Approved, RFC 3339 UTC.
    pub approved_at: Option<String>,
    /// QA's notes when it was returned, newest first (shopper, QA, admin).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviews: Vec<ReviewNote>,
    /// Plausibility flags (QA and admins only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<Vec<Flag>>,
    /// Photos given as evidence on items that are not photo items (a failed yes/no item with
    /// `{"photo": "on_fail"}`, …): item key → attachment ids, each readable with
    /// `GET /api/v1/attachments/{id}` by whoever reads this visit (managers once it is approved,
    /// in scope). Photo items list theirs in `answers`. Absent when there are none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub evidence: BTreeMap<String, Vec<String>>,
    /// The visit's score by the scoring rules every other score uses (SPEC §4: N/A, the
    /// critical rule, an item whose failure was overturned in a dispute counting as N/A), for
    /// QA, admins and managers. Absent for the shopper and for a draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<VisitScore>,
    /// Created, RFC 3339 UTC.
    pub created_at: String,
    /// Last changed, RFC 3339 UTC.
    pub updated_at: String,
}

/// One visit's score (see [`Visit::score`]).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VisitScore {
    /// In [0, 1] after the critical rule; `null` when every section is N/A.
    pub score: Option<f64>,
    /// Whether a critical item scored 0 (the visit then scores 0).
    pub critical_failed: bool,
}

impl Visit {
    /// The visit with its flags' messages in `lang` (SPEC §10.31); call before serving it.
    pub fn localized(mut self, lang: crate::i18n::Lang) -> Self {
        if let Some(flags) = &mut self.flags {
            crate::plausibility::localize(flags, lang);
        }
        self
    }
}

/// A QA decision with its comments.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReviewNote {
    /// The revision reviewed.
    pub revision: i32,
    /// `approved` or `returned`.
    pub decision: AssignmentStatus,
    /// General note.
    pub note: String,
    /// Comments by item key.
    pub item_comments: BTreeMap<String, String>,
    /// When, RFC 3339 UTC.
    pub at: String,
}

/// Who reads a visit decides what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The shopper who made it: answers, comments, QA's notes.
    Shopper,
    /// QA and admins: everything, flags included.
    Reviewer,
    /// A manager in scope: answers and comments only (approved visits).
    Manager,
}

/// The visit `id` rendered for `reader`.
pub fn render(conn: &mut DbConnection, id: &str, reader: Reader) -> Result<Visit, ApiError> {
    let r = sirr_store::visits::find(conn, &id.into())?.ok_or(ApiError::NotFound("visit"))?;
    let evidence = evidence_of(conn, &r.assignment_id, &r.answers, r.evidence.as_deref())?;
    let sirr_store::checklists::ChecklistRow { key, version, .. } =
        sirr_store::checklists::by_id(conn, &r.checklist_id)?;
    let score = if reader == Reader::Shopper || r.status == AssignmentStatus::Draft {
        None
    } else {
        score_of(conn, &r.id, &r.checklist_id, &r.answers)?
    };
    let notes = if reader == Reader::Manager {
        Vec::new()
    } else {
        sirr_store::reviews::of_visit(conn, &id.into())?
            .into_iter()
            .map(|r| ReviewNote {
                revision: r.revision,
                decision: r.decision,
                note: r.note,
                item_comments: serde_json::from_str(&r.item_comments).unwrap_or_default(),
                at: time(r.created_at),
            })
            .collect()
    };
    Ok(Visit {
        id: r.id.into(),
        assignment_id: r.assignment_id.into(),
        branch_id: r.branch_id.into(),
        checklist: json!(ChecklistRef { key, version }),
        status: r.status,
        revision: r.revision,
        answers: serde_json::from_str(&r.answers).unwrap_or(Value::Null),
        comments: serde_json::from_str(&r.comments).unwrap_or_default(),
        checked_in_at: r.checked_in_at,
        location: r.lat.zip(r.lon).map(|(lat, lon)| Location { lat, lon }),
        duration_s: r.duration_s,
        submitted_at: r.submitted_at.map(time),
        approved_at: r.approved_at.map(time),
        reviews: notes,
        flags: (reader == Reader::Reviewer)
            .then(|| serde_json::from_str(&r.flags).unwrap_or_default()),
        evidence,
        score,
        created_at: time(r.created_at),
        updated_at: time(r.updated_at),
    })
}

/// The score of visit `id` (answers as stored) against its checklist version, by the scoring
/// crate's visit scoring; `None` when the stored answers no longer check (never expected).
fn score_of(
    conn: &mut DbConnection,
    id: &str,
    checklist_id: &str,
    answers: &str,
) -> Result<Option<VisitScore>, ApiError> {
    let loaded = workflow::checklist_by_id(conn, checklist_id)?;
    let checklist = &loaded.checklist;
    let answers: Map<String, Value> = serde_json::from_str(answers).unwrap_or_default();
    let Ok(checked) = sirr_checklist::AnswerChecker::new(checklist).check(
        &answers,
        None,
        sirr_checklist::Completeness::Draft,
    ) else {
        return Ok(None);
    };
    let overturned = sirr_store::disputes::overturned_items(conn, &id.into())?;
    let scored = sirr_scoring::score::score_visit_with_na(checklist, &checked, |key| {
        overturned.iter().any(|o| o == key)
    });
    Ok(Some(VisitScore {
        score: scored.score,
        critical_failed: scored.critical_failed,
    }))
}

/// The evidence of a visit: what its submission named (`stored`), or — for a visit submitted
/// before submissions were kept with their evidence — its assignment's attachments by item,
/// except the photo answers' own (an item whose answer lists attachment ids is a photo item;
/// its photos are in `answers`). Exports write the same (`evidence` of SPEC §10.41).
fn evidence_of(
    conn: &mut DbConnection,
    assignment: &str,
    answers: &str,
    stored: Option<&str>,
) -> QueryResult<BTreeMap<String, Vec<String>>> {
    if let Some(stored) = stored {
        return Ok(serde_json::from_str(stored).unwrap_or_default());
    }
    let rows: Vec<(String, String)> =
        sirr_store::attachments::of_assignment(conn, &assignment.into())?
            .into_iter()
            .map(|a| (a.item_key, a.id.into()))
            .collect();
    if rows.is_empty() {
        return Ok(BTreeMap::new());
    }
    let answers: Map<String, Value> = serde_json::from_str(answers).unwrap_or_default();
    let ids: HashSet<&str> = rows.iter().map(|(_, id)| id.as_str()).collect();
    let photo_item = |key: &str| {
        answers
            .get(key)
            .and_then(Value::as_array)
            .is_some_and(|list| {
                list.iter()
                    .any(|v| v.as_str().is_some_and(|s| ids.contains(s)))
            })
    };
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (item, id) in &rows {
        if !photo_item(item) {
            out.entry(item.clone()).or_default().push(id.clone());
        }
    }
    Ok(out)
}

/// The evidence a submission names, as stored with the visit: the lists of attachment ids of
/// items that are not photo items (a photo item's answer already lists its photos).
pub fn named_evidence(
    evidence: &Map<String, Value>,
    checklist: &sirr_checklist::Checklist,
) -> BTreeMap<String, Vec<String>> {
    evidence
        .iter()
        .filter(|(key, _)| {
            checklist.items().any(|(_, item)| {
                item.key.as_str() == key.as_str()
                    && !matches!(item.kind, sirr_checklist::ItemKind::Photo)
            })
        })
        .map(|(key, ids)| {
            let ids: Vec<String> = ids
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|id| id.as_str().map(str::to_owned))
                .collect();
            (key.clone(), ids)
        })
        .filter(|(_, ids)| !ids.is_empty())
        .collect()
}

/// How `user` may read visit `id`, or 404: shoppers their own, QA and admins all, managers
/// approved visits of branches in scope.
pub fn reader_of(conn: &mut DbConnection, user: &AuthUser, id: &str) -> Result<Reader, ApiError> {
    let Some(sirr_store::visits::VisitAccess {
        shopper_id: shopper,
        branch_id: branch,
        status: state,
    }) = sirr_store::visits::access_of(conn, &id.into())?
    else {
        return Err(ApiError::NotFound("visit"));
    };
    match user.role {
        Role::Admin | Role::Qa => Ok(Reader::Reviewer),
        Role::Shopper if shopper == user.id => Ok(Reader::Shopper),
        Role::Manager
            if state == AssignmentStatus::Approved
                && access::branches(conn, user)?.contains(&branch) =>
        {
            Ok(Reader::Manager)
        }
        _ => Err(ApiError::NotFound("visit")),
    }
}
