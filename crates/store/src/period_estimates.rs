//! The `period_estimates` table (a period's estimates from the joint fit, kept while the
//! period's own visits do not change): its row and reads.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::period_estimates;

/// A period's stored estimates.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = period_estimates)]
pub struct PeriodRow {
    /// The period's label (`2026-11`, `2026-Q4`, …).
    pub period: String,
    /// What they were computed from (model version, method and the period's input).
    pub fingerprint: String,
    /// The estimates (JSON).
    pub body: String,
    /// The `organisation` change counter when they were stored.
    pub organisation_counter: i64,
    /// The `scores` change counter when they were stored.
    pub scores_counter: i64,
    /// Stored.
    pub computed_at: NaiveDateTime,
}

/// The stored estimates of the periods among `labels`.
pub fn of_periods(conn: &mut DbConnection, labels: &[String]) -> QueryResult<Vec<PeriodRow>> {
    period_estimates::table
        .filter(period_estimates::period.eq_any(labels))
        .select(PeriodRow::as_select())
        .load(conn)
}

/// The stored estimates of period `label`, if any.
pub fn find(conn: &mut DbConnection, label: &str) -> QueryResult<Option<PeriodRow>> {
    period_estimates::table
        .find(label)
        .select(PeriodRow::as_select())
        .first(conn)
        .optional()
}

/// Stores `row` as its period's estimates; `false` when the period has a row already.
pub fn insert(conn: &mut DbConnection, row: &PeriodRow) -> QueryResult<bool> {
    let inserted = diesel::insert_into(period_estimates::table)
        .values(row)
        .execute(conn);
    crate::inserted(inserted)
}

/// Replaces the period's row with `row` unless a later generation (larger counters) wrote it
/// meanwhile.
pub fn replace_unless_newer(conn: &mut DbConnection, row: &PeriodRow) -> QueryResult<()> {
    diesel::update(
        period_estimates::table
            .filter(period_estimates::period.eq(&row.period))
            .filter(period_estimates::organisation_counter.le(row.organisation_counter))
            .filter(period_estimates::scores_counter.le(row.scores_counter)),
    )
    .set((
        period_estimates::fingerprint.eq(&row.fingerprint),
        period_estimates::body.eq(&row.body),
        period_estimates::organisation_counter.eq(row.organisation_counter),
        period_estimates::scores_counter.eq(row.scores_counter),
        period_estimates::computed_at.eq(row.computed_at),
    ))
    .execute(conn)
    .map(|_| ())
}
