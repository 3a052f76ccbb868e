//! The `period_estimates` table (a period's estimates from the joint fit, kept while the
//! period's own visits do not change): its row and reads.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::period_estimates;

/// A period's stored estimates.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
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
