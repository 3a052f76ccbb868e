//! The follow-up of visits as files: disputes (one row per dispute) and action plans (one row per
//! action), CSV or XLSX, scoped like the screens that list them (branches in the caller's
//! scope). Disputes are read in keyset chunks; action plans (a handful per branch and period)
//! are read at once and sorted as a branch's plan reads before they are written.
//!
//! Neither names a person: a dispute was filed by a branch's manager and resolved by QA, which
//! the branch knows; the files carry what was decided and why, not who.

use std::io::Write;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::sheet::{self, Cell, Header, Sink};
use super::{Error, Format, Plan, query};
use sirr_store::DbConnection;
use sirr_store::schema::{action_items, checklists, disputes, visits};

/// Rows read per query.
const CHUNK: i64 = 1000;

/// The columns of `disputes.csv|xlsx`: key, English, Arabic.
pub const DISPUTE_COLUMNS: [(&str, &str, &str); 13] = [
    ("dispute_id", "Dispute", "الاعتراض"),
    ("branch_code", "Branch", "الفرع"),
    ("visit_id", "Visit", "الزيارة"),
    ("visited_at", "Visited at", "وقت الزيارة"),
    ("checklist", "Checklist", "قائمة التحقق"),
    ("checklist_version", "Version", "الإصدار"),
    ("item", "Item", "البند"),
    ("status", "Status", "الحالة"),
    ("reason", "Reason", "السبب"),
    ("evidence", "Evidence", "الدليل"),
    ("resolution", "Resolution", "القرار"),
    ("filed_at", "Filed at", "وقت الاعتراض"),
    ("resolved_at", "Resolved at", "وقت القرار"),
];

/// The columns of `action_plans.csv|xlsx`: key, English, Arabic.
pub const ACTION_COLUMNS: [(&str, &str, &str); 12] = [
    ("action_id", "Action", "الإجراء"),
    ("branch_code", "Branch", "الفرع"),
    ("period", "Period", "الفترة"),
    ("item", "Item", "البند"),
    ("section", "Section", "القسم"),
    ("action", "What will be done", "ما سيُفعل"),
    ("owner", "Owner", "المسؤول"),
    ("due_on", "Due", "الموعد"),
    ("status", "Status", "الحالة"),
    ("done_at", "Done at", "وقت الإنجاز"),
    ("created_at", "Recorded at", "وقت التسجيل"),
    ("updated_at", "Changed at", "وقت التعديل"),
];

fn header(columns: &[(&str, &str, &str)]) -> Header {
    let mut header = Header::default();
    for (key, en, ar) in columns {
        header.push(key, en, ar);
    }
    header
}

/// A cell for an optional text: empty when there is none.
fn text(s: &Option<String>) -> Cell<'_> {
    s.as_deref().map_or(Cell::Empty, Cell::text)
}

fn stamp(t: NaiveDateTime) -> String {
    t.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn sink<'a>(plan: &Plan, out: &'a mut dyn Write) -> Result<Box<dyn Sink + 'a>, Error> {
    Ok(match plan.format {
        Format::Xlsx => Box::new(sheet::Xlsx::new(plan.dataset.name(), plan.rtl, out)?),
        _ => Box::new(sheet::Csv::new(out)?),
    })
}

/// Whether a branch is in the file: in the caller's scope and the filter's region or branch.
fn branch_wanted(plan: &Plan, codes: &query::Codes, branch_id: &str) -> bool {
    let f = &plan.filter;
    plan.branches.contains(branch_id)
        && f.branch_id.as_deref().is_none_or(|b| b == branch_id)
        && f.region_id.as_deref().is_none_or(|r| {
            codes
                .branches
                .get(branch_id)
                .is_some_and(|(_, region)| region == r)
        })
}

/// A dispute as stored, with its visit's branch, time and checklist version.
type DisputeRow = (
    (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    ),
    (Option<NaiveDateTime>, NaiveDateTime),
    (String, Option<String>, String, String, i32),
);

/// Writes `disputes.csv|xlsx`: every dispute on a visit of a branch in scope (and the filter's
/// region, branch, checklist key and period of the visit), oldest first. Returns the rows written.
///
/// # Errors
/// Database and output failures.
pub fn write_disputes(
    conn: &mut DbConnection,
    plan: &Plan,
    out: &mut dyn Write,
) -> Result<u64, Error> {
    let codes = query::codes(conn)?;
    let mut sink = sink(plan, out)?;
    sink.header(&header(&DISPUTE_COLUMNS))?;
    let mut after: Option<(NaiveDateTime, String)> = None;
    let mut written = 0u64;
    loop {
        let mut q = disputes::table
            .inner_join(visits::table.inner_join(checklists::table))
            .select((
                (
                    disputes::id,
                    disputes::item_key,
                    disputes::status,
                    disputes::reason,
                    disputes::evidence,
                    disputes::resolution,
                ),
                (disputes::resolved_at, disputes::created_at),
                (
                    visits::id,
                    visits::checked_in_at,
                    visits::branch_id,
                    checklists::key,
                    checklists::version,
                ),
            ))
            .order((disputes::created_at, disputes::id))
            .limit(CHUNK)
            .into_boxed();
        if let Some((at, id)) = &after {
            q = q.filter(
                disputes::created_at.gt(*at).or(disputes::created_at
                    .eq(*at)
                    .and(disputes::id.gt(id.clone()))),
            );
        }
        if let Some(key) = &plan.filter.checklist {
            q = q.filter(checklists::key.eq(key.clone()));
        }
        let rows: Vec<DisputeRow> = q.load(conn)?;
        let Some(last) = rows.last() else { break };
        after = Some((last.1.1, last.0.0.clone()));
        for ((id, item, status, reason, evidence, resolution), (resolved_at, created_at), v) in
            &rows
        {
            let (visit_id, visited_at, branch_id, key, version) = v;
            if !branch_wanted(plan, &codes, branch_id) {
                continue;
            }
            if !visited_at
                .as_deref()
                .is_some_and(|at| plan.filter.contains(at))
            {
                continue;
            }
            let branch = codes
                .branches
                .get(branch_id)
                .map_or("", |(code, _)| code.as_str());
            sink.row(&[
                Cell::text(id),
                Cell::text(branch),
                Cell::text(visit_id),
                text(visited_at),
                Cell::text(key),
                Cell::Number(f64::from(*version)),
                Cell::text(item),
                Cell::text(status),
                Cell::text(reason),
                text(evidence),
                text(resolution),
                Cell::Text(stamp(*created_at).into()),
                resolved_at.map_or(Cell::Empty, |t| Cell::Text(stamp(t).into())),
            ])?;
            written += 1;
        }
    }
    sink.finish()?;
    Ok(written)
}

/// An action as stored.
type ActionRow = (
    (String, String, String, Option<String>, Option<String>),
    (String, String, chrono::NaiveDate, String),
    (Option<NaiveDateTime>, NaiveDateTime, NaiveDateTime),
);

/// Writes `action_plans.csv|xlsx`: every action of a branch in scope (and the filter's region,
/// branch and period label), by branch, period and due date. Returns the rows written.
///
/// # Errors
/// Database and output failures.
pub fn write_actions(
    conn: &mut DbConnection,
    plan: &Plan,
    out: &mut dyn Write,
) -> Result<u64, Error> {
    let codes = query::codes(conn)?;
    let mut sink = sink(plan, out)?;
    sink.header(&header(&ACTION_COLUMNS))?;
    // A programme has a handful of actions per branch and period: read them at once and sort
    // them as a branch's plan reads (by branch code, period, due date).
    let mut q = action_items::table
        .select((
            (
                action_items::id,
                action_items::branch_id,
                action_items::period,
                action_items::item_key,
                action_items::section_key,
            ),
            (
                action_items::action,
                action_items::owner,
                action_items::due_on,
                action_items::status,
            ),
            (
                action_items::done_at,
                action_items::created_at,
                action_items::updated_at,
            ),
        ))
        .into_boxed();
    if let Some((_, label)) = &plan.filter.period {
        q = q.filter(action_items::period.eq(label.clone()));
    }
    let code = |branch_id: &str| {
        codes
            .branches
            .get(branch_id)
            .map_or(String::new(), |(code, _)| code.clone())
    };
    let mut rows: Vec<ActionRow> = q
        .load::<ActionRow>(conn)?
        .into_iter()
        .filter(|r| branch_wanted(plan, &codes, &r.0.1))
        .collect();
    rows.sort_by_cached_key(|r| (code(&r.0.1), r.0.2.clone(), r.1.2, r.0.0.clone()));
    let mut written = 0u64;
    for ((id, branch_id, period, item, section), (action, owner, due_on, status), times) in &rows {
        let (done_at, created_at, updated_at) = times;
        sink.row(&[
            Cell::text(id),
            Cell::Text(code(branch_id).into()),
            Cell::text(period),
            text(item),
            text(section),
            Cell::text(action),
            Cell::text(owner),
            Cell::Text(due_on.format("%Y-%m-%d").to_string().into()),
            Cell::text(status),
            done_at.map_or(Cell::Empty, |t| Cell::Text(stamp(t).into())),
            Cell::Text(stamp(*created_at).into()),
            Cell::Text(stamp(*updated_at).into()),
        ])?;
        written += 1;
    }
    sink.finish()?;
    Ok(written)
}
