//! The follow-up of visits as files: disputes (one row per dispute) and action plans (one row per
//! action), CSV or XLSX, scoped like the screens that list them (branches in the caller's
//! scope). Disputes are read in keyset chunks; action plans (a handful per branch and period)
//! are read at once and sorted as a branch's plan reads before they are written.
//!
//! Neither names a person: a dispute was filed by a branch's manager and resolved by QA, which
//! the branch knows; the files carry what was decided and why, not who.

use std::io::Write;

use chrono::NaiveDateTime;

use super::sheet::{self, Cell, Header, Sink};
use super::{Error, Format, Plan};
use sirr_store::exports;
use sirr_store::ids::DisputeId;
use sirr_store::{self as db, DbConnection};

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
fn branch_wanted(plan: &Plan, codes: &exports::Codes, branch_id: &str) -> bool {
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
    let codes = exports::codes(conn)?;
    let mut sink = sink(plan, out)?;
    sink.header(&header(&DISPUTE_COLUMNS))?;
    let mut after: Option<(NaiveDateTime, DisputeId)> = None;
    let mut written = 0u64;
    loop {
        let rows = db::disputes::page_with_visits(
            conn,
            after.as_ref(),
            plan.filter.checklist.as_deref(),
            CHUNK,
        )?;
        let Some((last, _)) = rows.last() else { break };
        after = Some((last.created_at, last.id.clone()));
        for (d, v) in &rows {
            let branch_id = &v.branch_id;
            let visited_at = &v.checked_in_at;
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
                .get(branch_id.as_str())
                .map_or("", |(code, _)| code.as_str());
            sink.row(&[
                Cell::text(&d.id),
                Cell::text(branch),
                Cell::text(&v.id),
                text(visited_at),
                Cell::text(&v.checklist_key),
                Cell::Number(f64::from(v.checklist_version)),
                Cell::text(&d.item_key),
                Cell::text(d.status.as_str()),
                Cell::text(&d.reason),
                text(&d.evidence),
                text(&d.resolution),
                Cell::Text(stamp(d.created_at).into()),
                d.resolved_at
                    .map_or(Cell::Empty, |t| Cell::Text(stamp(t).into())),
            ])?;
            written += 1;
        }
    }
    sink.finish()?;
    Ok(written)
}

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
    let codes = exports::codes(conn)?;
    let mut sink = sink(plan, out)?;
    sink.header(&header(&ACTION_COLUMNS))?;
    // A programme has a handful of actions per branch and period: read them at once and sort
    // them as a branch's plan reads (by branch code, period, due date).
    let code = |branch_id: &str| {
        codes
            .branches
            .get(branch_id)
            .map_or(String::new(), |(code, _)| code.clone())
    };
    let period = plan.filter.period.as_ref().map(|(_, label)| label.as_str());
    let mut rows: Vec<_> = db::action_items::all(conn, period)?
        .into_iter()
        .filter(|r| branch_wanted(plan, &codes, &r.branch_id))
        .collect();
    rows.sort_by_cached_key(|r| (code(&r.branch_id), r.period.clone(), r.due_on, r.id.clone()));
    let mut written = 0u64;
    for r in &rows {
        sink.row(&[
            Cell::text(&r.id),
            Cell::Text(code(&r.branch_id).into()),
            Cell::text(&r.period),
            text(&r.item_key),
            text(&r.section_key),
            Cell::text(&r.action),
            Cell::text(&r.owner),
            Cell::Text(r.due_on.format("%Y-%m-%d").to_string().into()),
            Cell::text(r.status.as_str()),
            r.done_at
                .map_or(Cell::Empty, |t| Cell::Text(stamp(t).into())),
            Cell::Text(stamp(r.created_at).into()),
            Cell::Text(stamp(r.updated_at).into()),
        ])?;
        written += 1;
    }
    sink.finish()?;
    Ok(written)
}
