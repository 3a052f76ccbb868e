//! The `score_reports` table: the score cache's stored computations, one per selection, valid
//! for the generation (the change counters) they were computed at — what lets several
//! processes share one computation.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::score_reports;

/// The stored body of selection `key` if it was computed at `generation`.
pub fn body(conn: &mut DbConnection, key: &str, generation: &str) -> QueryResult<Option<String>> {
    score_reports::table
        .filter(score_reports::key.eq(key))
        .filter(score_reports::generation.eq(generation))
        .select(score_reports::body)
        .first(conn)
        .optional()
}

/// Stores `body` as selection `key`'s computation at `generation`, replacing an older one.
/// Another process storing the same selection at the same time is not an error: either row
/// serves.
pub fn save(
    conn: &mut DbConnection,
    key: &str,
    generation: &str,
    body: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let updated = diesel::update(score_reports::table.find(key))
        .set((
            score_reports::generation.eq(generation),
            score_reports::body.eq(body),
            score_reports::computed_at.eq(now),
        ))
        .execute(conn)?;
    if updated > 0 {
        return Ok(());
    }
    let inserted = diesel::insert_into(score_reports::table)
        .values((
            score_reports::key.eq(key),
            score_reports::generation.eq(generation),
            score_reports::body.eq(body),
            score_reports::computed_at.eq(now),
        ))
        .execute(conn);
    crate::inserted(inserted).map(|_| ())
}
