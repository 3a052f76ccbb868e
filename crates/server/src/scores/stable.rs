//! Stable past periods (docs/scoring.md §3.7, "A period's estimates stay put").
//!
//! A joint fit re-estimates every period at once, so without this rule approving one December
//! visit would move October's fair scores and ranks, and a PDF downloaded last week would no
//! longer match the page. The rule: **a period's stored estimates are recomputed only when the
//! period's own input changes** — its approved visits (one approved, rejected or changed), an
//! overturned item on one of them, the checklist version they were filled against, or the
//! region or team their branch belongs to. Everything else — visits of other periods, a new
//! shopper's severity, a new month's period effect — leaves a closed period's numbers alone.
//!
//! Each period's input is summarised in a fingerprint (SHA-256 over its visits in load order,
//! with the fit's method and [`VERSION`], so a new model re-estimates everything once). After a
//! joint fit, every period whose fingerprint equals the one stored in `period_estimates` takes
//! the stored estimates in place of the new fit's; every other period's new estimates are
//! stored. The table is shared by every process (SPEC §9.23); a computation never overwrites a
//! row written at a later generation (both change counters only grow), and of two computations
//! at the same generation — whose fits are identical, the fit being deterministic — the first
//! row stays.

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use sirr_scoring::period::{PeriodKind, label, local_date};

use super::{Input, Period, Scores};
use crate::error::ServiceError;
use sirr_store::period_estimates::PeriodRow;
use sirr_store::{self as db, DbConnection};

/// Bumped when what a stored estimate means changes (its fields, the fit), so that every period
/// is estimated afresh once.
pub const VERSION: &str = "1";

/// Field and record separators of the hashed text (never in ids, JSON or timestamps unescaped).
const FIELD: &[u8] = &[0x1f];
const RECORD: &[u8] = &[0x1e];

/// The fingerprint of every period (of `kind`) that has approved visits in `input`, by label.
pub fn fingerprints(input: &Input, kind: PeriodKind) -> HashMap<String, String> {
    let checklist_hash: HashMap<&str, String> = input
        .checklists
        .iter()
        .map(|(id, document)| (id.as_str(), hex(&Sha256::digest(document.as_bytes()))))
        .collect();
    let region_code: HashMap<&str, &str> = input
        .regions
        .iter()
        .map(|(id, code)| (id.as_str(), code.as_str()))
        .collect();
    let branch: HashMap<&str, (&str, &str)> = input
        .branches
        .iter()
        .map(|(id, code, region)| {
            let region = region_code.get(region.as_str()).copied().unwrap_or("");
            (id.as_str(), (code.as_str(), region))
        })
        .collect();
    let team_code: HashMap<&str, &str> = input
        .teams
        .iter()
        .map(|(id, _, code)| (id.as_str(), code.as_str()))
        .collect();

    let mut hashers: HashMap<String, Sha256> = HashMap::new();
    for row in &input.visits {
        // A visit without a readable check-in time is in no period (and is not scored).
        let Some(period) = row
            .checked_in_at
            .as_deref()
            .and_then(|at| local_date(at).ok())
            .map(|d| label(&d, kind))
        else {
            continue;
        };
        let (branch_code, region) = branch
            .get(row.branch_id.as_str())
            .copied()
            .unwrap_or(("", ""));
        let mut overturned: Vec<&str> = input
            .overturned
            .get(row.id.as_str())
            .map(|items| items.iter().map(String::as_str).collect())
            .unwrap_or_default();
        overturned.sort_unstable();
        let duration = row
            .duration_s
            .map(|d| d.to_bits().to_string())
            .unwrap_or_default();
        let h = hashers.entry(period).or_default();
        for field in [
            row.id.as_str(),
            checklist_hash
                .get(row.checklist_id.as_str())
                .map_or("", String::as_str),
            branch_code,
            region,
            row.team_id
                .as_deref()
                .and_then(|t| team_code.get(t).copied())
                .unwrap_or(""),
            row.shopper_id.as_str(),
            row.scenario.as_deref().unwrap_or(""),
            row.checked_in_at.as_deref().unwrap_or(""),
            duration.as_str(),
            row.answers.as_str(),
            row.calibration.as_deref().unwrap_or(""),
            overturned.join(",").as_str(),
        ] {
            h.update(field.as_bytes());
            h.update(FIELD);
        }
        h.update(RECORD);
    }
    hashers
        .into_iter()
        .map(|(period, h)| (period, hex(&h.finalize())))
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Keeps the stored estimates of every period of the joint fit `scores` whose input did not
/// change, and stores the others' (see the module docs). Returns how many periods were kept.
///
/// # Errors
/// Database failures.
pub fn freeze(
    conn: &mut DbConnection,
    scores: &mut Scores,
    fingerprints: &HashMap<String, String>,
) -> Result<usize, ServiceError> {
    let (organisation, counter) = counters(&scores.generation);
    let labels: Vec<String> = scores.periods.iter().map(|p| p.period.clone()).collect();
    let mut stored: HashMap<String, PeriodRow> = db::period_estimates::of_periods(conn, &labels)?
        .into_iter()
        .map(|row| (row.period.clone(), row))
        .collect();
    let method = scores.model.method.clone();
    let mut kept = 0;
    for period in &mut scores.periods {
        let Some(input) = fingerprints.get(&period.period) else {
            continue;
        };
        let fingerprint = hex(&Sha256::digest(
            format!("{VERSION}\u{1f}{method}\u{1f}{input}").as_bytes(),
        ));
        let mut row = stored.remove(&period.period);
        if row.is_none() && insert(conn, period, &fingerprint, organisation, counter)? {
            continue;
        }
        if row.is_none() {
            // Another process stored it just now: read what it stored.
            row = db::period_estimates::find(conn, &period.period)?;
        }
        let Some(theirs) = row else {
            continue;
        };
        if theirs.fingerprint == fingerprint {
            match serde_json::from_str::<Period>(&theirs.body) {
                Ok(old) if old.period == period.period => {
                    *period = old;
                    kept += 1;
                    continue;
                }
                // Written by another version, or damaged: store the new estimates instead.
                _ => tracing::warn!(period = %period.period, "stored period estimates unreadable"),
            }
        } else if theirs.organisation_counter > organisation || theirs.scores_counter > counter {
            // Stored by a computation at a later generation: this result is already stale and
            // will be replaced; leave the newer row alone.
            continue;
        }
        update(conn, period, &fingerprint, organisation, counter)?;
    }
    if kept > 0 {
        scores.model.notes.push(format!(
            "{kept} of {} periods kept the estimates stored when their visits last changed",
            scores.periods.len()
        ));
    }
    Ok(kept)
}

/// The change counters of a generation `O.S`.
fn counters(generation: &str) -> (i64, i64) {
    let mut parts = generation.split('.').map(|p| p.parse::<i64>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

fn body(period: &Period) -> Result<String, ServiceError> {
    serde_json::to_string(period)
        .map_err(|e| ServiceError::Internal(format!("cannot serialize period estimates: {e}")))
}

/// The row that stores `period`'s estimates at generation (`organisation`, `counter`).
fn row(
    period: &Period,
    fingerprint: &str,
    organisation: i64,
    counter: i64,
) -> Result<PeriodRow, ServiceError> {
    Ok(PeriodRow {
        period: period.period.clone(),
        fingerprint: fingerprint.to_owned(),
        body: body(period)?,
        organisation_counter: organisation,
        scores_counter: counter,
        computed_at: db::now(),
    })
}

/// Inserts a period's row; `false` when one exists already.
fn insert(
    conn: &mut DbConnection,
    period: &Period,
    fingerprint: &str,
    organisation: i64,
    counter: i64,
) -> Result<bool, ServiceError> {
    let row = row(period, fingerprint, organisation, counter)?;
    Ok(db::period_estimates::insert(conn, &row)?)
}

/// Replaces a period's row unless a later generation wrote it meanwhile.
fn update(
    conn: &mut DbConnection,
    period: &Period,
    fingerprint: &str,
    organisation: i64,
    counter: i64,
) -> Result<(), ServiceError> {
    let row = row(period, fingerprint, organisation, counter)?;
    Ok(db::period_estimates::replace_unless_newer(conn, &row)?)
}
