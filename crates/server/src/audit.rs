//! The audit log: who did what to which record, and when. Every change writes one entry in the
//! same transaction as the change itself, so the log never misses a change nor records one that
//! was rolled back.

use diesel::QueryResult;
use serde::Serialize;
use serde_json::{Value, json};

use sirr_store::audit_log::NewEntry;
use sirr_store::ids::{AuditEntryId, UserId};
use sirr_store::{self as db, DbConnection};

/// Records one change. `details` is a JSON object of what changed (never a password or token).
pub fn record(
    conn: &mut DbConnection,
    actor: Option<&str>,
    action: &str,
    entity: &str,
    entity_id: &str,
    details: Value,
) -> QueryResult<()> {
    db::audit_log::insert(
        conn,
        &NewEntry {
            id: AuditEntryId::generate(),
            at: db::now(),
            actor_id: actor.map(UserId::from),
            action,
            entity,
            entity_id,
            details: details.to_string(),
        },
    )
}

/// One change, for [`record_all`].
#[derive(Debug, Clone)]
pub struct Entry {
    /// `create`, `update`, ….
    pub action: &'static str,
    /// `branch`, `user`, ….
    pub entity: &'static str,
    /// The record's id.
    pub entity_id: String,
    /// What changed (never a password or token).
    pub details: Value,
}

/// Records many changes by one actor in multi-row statements, as [`record`] would one by one: an
/// import of 10,000 branches writes 30,000 entries, and a round trip each took most of its time.
pub fn record_all(
    conn: &mut DbConnection,
    actor: Option<&str>,
    entries: Vec<Entry>,
) -> QueryResult<()> {
    let at = db::now();
    let rows: Vec<NewEntry<'_>> = entries
        .iter()
        .map(|entry| NewEntry {
            id: AuditEntryId::generate(),
            at,
            actor_id: actor.map(UserId::from),
            action: entry.action,
            entity: entry.entity,
            entity_id: &entry.entity_id,
            details: entry.details.to_string(),
        })
        .collect();
    db::audit_log::insert_many(conn, &rows)
}

/// `{field: {"from": …, "to": …}}` for every top-level field of two JSON objects that differs:
/// what the audit entry of an update records. Fields equal on both sides are left out.
pub fn changes(before: &Value, after: &Value) -> Value {
    let empty = serde_json::Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let keys: std::collections::BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    let mut out = serde_json::Map::new();
    for k in keys {
        let (from, to) = (b.get(k), a.get(k));
        if from != to {
            out.insert(
                k.clone(),
                json!({"from": from.cloned().unwrap_or(Value::Null),
                       "to": to.cloned().unwrap_or(Value::Null)}),
            );
        }
    }
    Value::Object(out)
}

/// A record's serialized form without its timestamps, for [`changes`] and delete entries.
pub fn snapshot<T: Serialize>(record: &T) -> Value {
    let mut value = serde_json::to_value(record).unwrap_or(Value::Null);
    if let Some(map) = value.as_object_mut() {
        map.remove("created_at");
        map.remove("updated_at");
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_lists_only_what_differs() {
        let before = json!({"code": "RUH", "names": {"en": "Riyadh"}, "same": 1});
        let after = json!({"code": "RYD", "names": {"en": "Riyadh"}, "same": 1, "new": true});
        assert_eq!(
            changes(&before, &after),
            json!({"code": {"from": "RUH", "to": "RYD"}, "new": {"from": null, "to": true}})
        );
    }
}
