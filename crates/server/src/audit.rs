//! The audit log: who did what to which record, and when. Every change writes one entry in the
//! same transaction as the change itself, so the log never misses a change nor records one that
//! was rolled back.

use diesel::prelude::*;
use serde_json::Value;

use crate::db::schema::audit_log;
use crate::db::{self, DbConnection, ids};

/// Records one change. `details` is a JSON object of what changed (never a password or token).
pub fn record(
    conn: &mut DbConnection,
    actor: Option<&str>,
    action: &str,
    entity: &str,
    entity_id: &str,
    details: Value,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(ids::new_id()),
            audit_log::at.eq(db::now()),
            audit_log::actor_id.eq(actor),
            audit_log::action.eq(action),
            audit_log::entity.eq(entity),
            audit_log::entity_id.eq(entity_id),
            audit_log::details.eq(details.to_string()),
        ))
        .execute(conn)
        .map(|_| ())
}
