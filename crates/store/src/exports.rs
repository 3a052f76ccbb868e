//! The reads of exports: which approved visits a selection holds (in keyset chunks, so memory
//! stays flat whatever the programme's size), the checklist versions they use, their
//! attachments and overturned disputes, codes of the organisation, and the key behind QA's
//! stable pseudonyms. The server's `export` module turns a request into a [`Selection`].

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{
    AssignmentId, BranchId, CampaignId, ChecklistId, RegionId, TeamId, UserId, VisitId,
};
use crate::schema::{
    assignments, attachments, branches, checklists, disputes, regions, teams, visits,
};
use crate::status::{AssignmentStatus, DisputeStatus};

/// Which approved visits an export reads; every field that is set must match.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only visits of these branches (the reader's reach); `None` for every branch.
    pub branches: Option<Vec<String>>,
    /// Only this visit.
    pub visit_id: Option<VisitId>,
    /// Only this branch's.
    pub branch_id: Option<BranchId>,
    /// Only the visits of this region's branches.
    pub region_id: Option<RegionId>,
    /// Only this campaign's.
    pub campaign_id: Option<CampaignId>,
    /// Only this checklist's (every version).
    pub checklist: Option<String>,
    /// Only visits whose local check-in date falls in this month (`YYYY-MM`).
    pub month: Option<String>,
    /// Only visits checked in (UTC) within `[from, to)`: a coarse window around a period, whose
    /// exact local dates the caller checks.
    pub utc_window: Option<(NaiveDateTime, NaiveDateTime)>,
}

/// One approved visit as stored, with what its assignment adds.
#[derive(Debug, Clone, Queryable)]
pub struct ExportedVisit {
    /// Visit id.
    pub id: VisitId,
    /// Assignment id (attachments hang off it).
    pub assignment_id: AssignmentId,
    /// Checklist version row id.
    pub checklist_id: ChecklistId,
    /// Branch id.
    pub branch_id: BranchId,
    /// Team id.
    pub team_id: Option<TeamId>,
    /// Shopper's user id.
    pub shopper_id: UserId,
    /// Check-in time as sent (RFC 3339 with the local offset).
    pub checked_in_at: Option<String>,
    /// The same in UTC: the keyset's order.
    pub checked_in_utc: Option<NaiveDateTime>,
    /// Duration in seconds.
    pub duration_s: Option<f64>,
    /// Answers, JSON text.
    pub answers: String,
    /// Comments, JSON text.
    pub comments: String,
    /// The assignment's scenario.
    pub scenario: Option<String>,
    /// The assignment's calibration code.
    pub calibration: Option<String>,
    /// The evidence its submission named (JSON: item key → attachment ids); `None` for a visit
    /// submitted before submissions kept it.
    pub evidence: Option<String>,
}

/// Where a chunk starts: after this check-in time and id.
pub type Cursor = (NaiveDateTime, String);

type Boxed<'a> = visits::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend>;

/// The selected approved visits (without order or limit).
fn selected(filter: &Selection) -> Boxed<'_> {
    let mut q = visits::table
        .filter(visits::status.eq(AssignmentStatus::Approved))
        .filter(visits::checked_in_utc.is_not_null())
        .into_boxed();
    if let Some(ids) = &filter.branches {
        q = q.filter(visits::branch_id.eq_any(ids.clone()));
    }
    if let Some(visit) = &filter.visit_id {
        q = q.filter(visits::id.eq(visit.clone()));
    }
    if let Some(branch) = &filter.branch_id {
        q = q.filter(visits::branch_id.eq(branch.clone()));
    }
    if let Some(region) = &filter.region_id {
        q = q.filter(
            visits::branch_id.eq_any(
                branches::table
                    .filter(branches::region_id.eq(region.clone()))
                    .select(branches::id),
            ),
        );
    }
    if let Some(campaign) = &filter.campaign_id {
        q = q.filter(
            visits::assignment_id.eq_any(
                assignments::table
                    .filter(assignments::campaign_id.eq(campaign.clone()))
                    .select(assignments::id),
            ),
        );
    }
    if let Some(key) = &filter.checklist {
        q = q.filter(
            visits::checklist_id.eq_any(
                checklists::table
                    .filter(checklists::key.eq(key.clone()))
                    .select(checklists::id),
            ),
        );
    }
    if let Some(label) = &filter.month {
        // The local date is the start of the stored RFC 3339 text: exact for months.
        q = q.filter(visits::checked_in_at.like(format!("{label}-%")));
    }
    if let Some((from, to)) = filter.utc_window {
        q = q
            .filter(visits::checked_in_utc.ge(from))
            .filter(visits::checked_in_utc.lt(to));
    }
    q
}

/// The checklist versions (id, document) the selected visits use, by key and version.
///
/// # Errors
/// Database failures.
pub fn checklists_used(
    conn: &mut DbConnection,
    filter: &Selection,
) -> QueryResult<Vec<(String, String)>> {
    let ids: Vec<String> = selected(filter)
        .select(visits::checklist_id)
        .distinct()
        .load(conn)?;
    checklists::table
        .filter(checklists::id.eq_any(&ids))
        .order((checklists::key, checklists::version))
        .select((checklists::id, checklists::document))
        .load(conn)
}

/// The columns [`chunk`] reads of a visit, in its `select` order.
#[derive(Queryable)]
struct ChunkRow {
    id: VisitId,
    assignment_id: AssignmentId,
    checklist_id: ChecklistId,
    branch_id: BranchId,
    team_id: Option<TeamId>,
    shopper_id: UserId,
    checked_in_at: Option<String>,
    checked_in_utc: Option<NaiveDateTime>,
    duration_s: Option<f64>,
    answers: String,
    comments: String,
    evidence: Option<String>,
}

/// Up to `limit` selected visits after `cursor` (or from it, when `inclusive`), by check-in
/// time and id.
///
/// # Errors
/// Database failures.
pub fn chunk(
    conn: &mut DbConnection,
    filter: &Selection,
    cursor: Option<&Cursor>,
    inclusive: bool,
    limit: i64,
) -> QueryResult<Vec<ExportedVisit>> {
    let mut q = selected(filter);
    if let Some((at, id)) = cursor {
        let same = visits::checked_in_utc.eq(*at);
        q = if inclusive {
            q.filter(
                visits::checked_in_utc
                    .gt(*at)
                    .or(same.and(visits::id.ge(id.clone()))),
            )
        } else {
            q.filter(
                visits::checked_in_utc
                    .gt(*at)
                    .or(same.and(visits::id.gt(id.clone()))),
            )
        };
    }
    let rows: Vec<ChunkRow> = q
        .select((
            visits::id,
            visits::assignment_id,
            visits::checklist_id,
            visits::branch_id,
            visits::team_id,
            visits::shopper_id,
            visits::checked_in_at,
            visits::checked_in_utc,
            visits::duration_s,
            visits::answers,
            visits::comments,
            visits::evidence,
        ))
        .order((visits::checked_in_utc.asc(), visits::id.asc()))
        .limit(limit)
        .load(conn)?;
    let ids: Vec<&AssignmentId> = rows.iter().map(|r| &r.assignment_id).collect();
    let extra: HashMap<AssignmentId, (Option<String>, Option<String>)> = assignments::table
        .filter(assignments::id.eq_any(ids))
        .select((
            assignments::id,
            assignments::scenario,
            assignments::calibration,
        ))
        .load::<(AssignmentId, Option<String>, Option<String>)>(conn)?
        .into_iter()
        .map(|(id, s, c)| (id, (s, c)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let (scenario, calibration) = extra.get(&r.assignment_id).cloned().unwrap_or_default();
            ExportedVisit {
                id: r.id,
                assignment_id: r.assignment_id,
                checklist_id: r.checklist_id,
                branch_id: r.branch_id,
                team_id: r.team_id,
                shopper_id: r.shopper_id,
                checked_in_at: r.checked_in_at,
                checked_in_utc: r.checked_in_utc,
                duration_s: r.duration_s,
                answers: r.answers,
                comments: r.comments,
                evidence: r.evidence,
                scenario: scenario.filter(|s| !s.trim().is_empty()),
                calibration: calibration.filter(|c| !c.trim().is_empty()),
            }
        })
        .collect())
}

/// Attachment ids by assignment and item key, oldest first.
///
/// # Errors
/// Database failures.
pub fn attachments_of(
    conn: &mut DbConnection,
    assignment_ids: &[&str],
) -> QueryResult<Vec<(String, String, String)>> {
    attachments::table
        .filter(attachments::assignment_id.eq_any(assignment_ids))
        .order((attachments::created_at, attachments::id))
        .select((
            attachments::assignment_id,
            attachments::item_key,
            attachments::id,
        ))
        .load(conn)
}

/// Items whose failure was overturned in a dispute, by visit.
///
/// # Errors
/// Database failures.
pub fn overturned(
    conn: &mut DbConnection,
    visit_ids: &[&str],
) -> QueryResult<HashMap<String, Vec<String>>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (visit, item) in disputes::table
        .filter(disputes::status.eq(DisputeStatus::Overturned))
        .filter(disputes::visit_id.eq_any(visit_ids))
        .select((disputes::visit_id, disputes::item_key))
        .load::<(String, String)>(conn)?
    {
        out.entry(visit).or_default().push(item);
    }
    Ok(out)
}

/// Codes of the organisation: regions (id → code), branches (id → code, region id) and teams
/// (id → code). Small tables, read once per export.
pub struct Codes {
    /// Region codes by id.
    pub regions: HashMap<String, String>,
    /// Branch code and region id by id.
    pub branches: HashMap<String, (String, String)>,
    /// Team codes by id.
    pub teams: HashMap<String, String>,
}

/// Reads [`Codes`].
///
/// # Errors
/// Database failures.
pub fn codes(conn: &mut DbConnection) -> QueryResult<Codes> {
    Ok(Codes {
        regions: regions::table
            .select((regions::id, regions::code))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect(),
        branches: branches::table
            .select((branches::id, branches::code, branches::region_id))
            .load::<(String, String, String)>(conn)?
            .into_iter()
            .map(|(id, code, region)| (id, (code, region)))
            .collect(),
        teams: teams::table
            .select((teams::id, teams::code))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect(),
    })
}

/// The region of a branch, if the branch exists.
///
/// # Errors
/// Database failures.
pub fn branch_region(conn: &mut DbConnection, branch_id: &str) -> QueryResult<Option<String>> {
    branches::table
        .find(branch_id)
        .select(branches::region_id)
        .first(conn)
        .optional()
}

/// Whether a region exists.
///
/// # Errors
/// Database failures.
pub fn region_exists(conn: &mut DbConnection, region_id: &str) -> QueryResult<bool> {
    Ok(regions::table
        .find(region_id)
        .select(regions::id)
        .first::<String>(conn)
        .optional()?
        .is_some())
}

/// Whether a campaign exists.
///
/// # Errors
/// Database failures.
pub fn campaign_exists(conn: &mut DbConnection, campaign_id: &str) -> QueryResult<bool> {
    use crate::schema::campaigns;
    Ok(campaigns::table
        .find(campaign_id)
        .select(campaigns::id)
        .first::<String>(conn)
        .optional()?
        .is_some())
}

/// The secret behind QA's stable shopper pseudonyms, created by the first export that needs it
/// (kept in `settings`, so every process and the command line agree).
///
/// # Errors
/// Database failures.
pub fn pseudonym_key(conn: &mut DbConnection) -> QueryResult<String> {
    const KEY: &str = "shopper_pseudonym_key";
    let fresh = crate::ids::random_hex(32)
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
    crate::organisation::setting_or_insert(conn, KEY, &fresh)
}

/// The branch of every team (team id → branch id).
///
/// # Errors
/// Database failures.
pub fn team_branches(conn: &mut DbConnection) -> QueryResult<HashMap<String, String>> {
    Ok(teams::table
        .select((teams::id, teams::branch_id))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}
