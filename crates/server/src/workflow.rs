//! Rules of the field workflow shared by its handlers: assignment and visit states, the rotation
//! rules, published checklist versions, and the one way an assignment is offered (single and
//! bulk creation alike).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::QueryResult;
use serde_json::json;
use sirr_store::ids::{AssignmentId, BranchId, CampaignId, TeamId, UserId};
use sirr_store::status::AssignmentStatus;
use sirr_store::{self as db, DbConnection};

use crate::audit;
use crate::error::{ServiceError, detail};
use sirr_store::rfc3339 as time;

/// A published checklist version: its row id and the checklist.
pub fn published_checklist(
    conn: &mut DbConnection,
    key: &str,
    version: i32,
) -> Result<(String, sirr_checklist::Checklist), ServiceError> {
    match db::checklists::find(conn, key, version)? {
        Some(row) if row.is_published() => Ok((row.id.into(), parse_checklist(&row.document)?)),
        Some(_) => Err(ServiceError::invalid(
            crate::msg!(
                "checklist-version-draft",
                key = key,
                version = version.to_string()
            ),
            vec![detail("/checklist", crate::msg!("checklist-not-published"))],
        )),
        None => Err(ServiceError::invalid(
            crate::msg!(
                "checklist-version-missing",
                key = key,
                version = version.to_string()
            ),
            vec![detail(
                "/checklist",
                crate::msg!("checklist-no-such-version"),
            )],
        )),
    }
}

/// A loaded checklist version.
#[derive(Debug)]
pub struct Loaded {
    /// Its key.
    pub key: String,
    /// Its version.
    pub version: i32,
    /// The checklist.
    pub checklist: sirr_checklist::Checklist,
}

/// A loaded checklist version, shared by the requests that read it.
pub type LoadedChecklist = Arc<Loaded>;

/// Published versions never change (SPEC §9.6), so each process parses and validates one at
/// most once; drafts are read afresh every time.
static PUBLISHED: OnceLock<RwLock<HashMap<String, LoadedChecklist>>> = OnceLock::new();

/// The checklist stored under a row id.
pub fn checklist_by_id(conn: &mut DbConnection, id: &str) -> Result<LoadedChecklist, ServiceError> {
    let cache = PUBLISHED.get_or_init(Default::default);
    if let Some(hit) = cache.read().unwrap_or_else(|e| e.into_inner()).get(id) {
        return Ok(hit.clone());
    }
    let row = db::checklists::by_id(conn, &id.into())?;
    let published = row.is_published();
    let loaded = Arc::new(Loaded {
        checklist: parse_checklist(&row.document)?,
        key: row.key,
        version: row.version,
    });
    if published {
        cache
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id.to_owned(), loaded.clone());
    }
    Ok(loaded)
}

fn parse_checklist(document: &str) -> Result<sirr_checklist::Checklist, ServiceError> {
    sirr_checklist::from_json_str(document)
        .map(|(checklist, _)| checklist)
        .map_err(|e| ServiceError::Internal(format!("a stored checklist no longer loads: {e}")))
}

/// An RFC 3339 time as UTC, or a problem for `path`.
pub fn parse_time(path: &str, text: &str) -> Result<DateTime<Utc>, crate::error::Detail> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| detail(path, crate::msg!("time-rfc3339-required")))
}

/// Days within which a shopper may not visit the same branch again (0 = no rule).
pub fn revisit_days(conn: &mut DbConnection) -> QueryResult<i64> {
    db::organisation::revisit_days(conn)
}

/// Why `shopper` may not take a visit to `branch` starting at `start`, if anything forbids it:
/// a conflict-of-interest bar, or another live assignment to the same branch within the
/// revisit window (`except` leaves one assignment out, for re-checks of itself).
pub fn rotation_problem(
    conn: &mut DbConnection,
    shopper: &str,
    branch: &str,
    start: NaiveDateTime,
    revisit_days: i64,
    except: Option<&str>,
) -> QueryResult<Option<crate::i18n::Msg>> {
    let (shopper, branch) = (UserId::from(shopper), BranchId::from(branch));
    if let Some(reason) = db::shopper_bars::reason(conn, &shopper, &branch)? {
        return Ok(Some(crate::msg!("rotation-barred", reason = reason)));
    }
    if revisit_days <= 0 {
        return Ok(None);
    }
    let except = except.map(AssignmentId::from);
    let clash = db::assignments::live_near(
        conn,
        &shopper,
        &branch,
        start,
        chrono::Duration::days(revisit_days),
        except.as_ref(),
    )?;
    Ok(clash.map(|other| {
        crate::msg!(
            "rotation-too-soon",
            date = other.format("%Y-%m-%d").to_string(),
            days = revisit_days
        )
    }))
}

/// What a new assignment needs checked, in one place for single and bulk creation.
pub struct Planned {
    /// Shopper id.
    pub shopper_id: String,
    /// Branch id.
    pub branch_id: String,
    /// Team id.
    pub team_id: Option<String>,
    /// Checklist row id.
    pub checklist_id: String,
    /// Window.
    pub start: NaiveDateTime,
    /// Window end.
    pub end: NaiveDateTime,
    /// Scenario.
    pub scenario: Option<String>,
    /// Campaign.
    pub campaign_id: Option<String>,
    /// Calibration group.
    pub calibration: Option<String>,
}

/// Offers a checked assignment: stores it, its audit entry and its `assignment.offered` event
/// (single creation and a campaign's bulk creation both come here); returns its id.
pub fn offer(conn: &mut DbConnection, actor: &str, p: &Planned) -> QueryResult<AssignmentId> {
    let id = AssignmentId::generate();
    let now = db::now();
    db::assignments::insert(
        conn,
        &db::assignments::NewAssignment {
            id: &id,
            campaign_id: p.campaign_id.clone().map(CampaignId::from).as_ref(),
            shopper_id: &p.shopper_id.as_str().into(),
            branch_id: &p.branch_id.as_str().into(),
            team_id: p.team_id.clone().map(TeamId::from).as_ref(),
            checklist_id: &p.checklist_id.as_str().into(),
            window_start: p.start,
            window_end: p.end,
            scenario: p.scenario.as_deref(),
            status: AssignmentStatus::Offered,
            calibration: p.calibration.as_deref(),
            created_by: &actor.into(),
            created_at: now,
            updated_at: now,
        },
    )?;
    audit::record(
        conn,
        Some(actor),
        "create",
        "assignment",
        &id,
        json!({"shopper_id": p.shopper_id, "branch_id": p.branch_id, "team_id": p.team_id,
               "checklist_id": p.checklist_id, "campaign_id": p.campaign_id,
               "window_start": time(p.start), "window_end": time(p.end), "scenario": p.scenario,
               "calibration": p.calibration}),
    )?;
    crate::events::emit(
        conn,
        crate::events::EventType::AssignmentOffered,
        json!({"assignment_id": id, "shopper_id": p.shopper_id, "branch_id": p.branch_id,
               "team_id": p.team_id, "checklist_id": p.checklist_id,
               "campaign_id": p.campaign_id, "window_start": time(p.start),
               "window_end": time(p.end)}),
    )?;
    Ok(id)
}
