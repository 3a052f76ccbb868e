//! The `audit_log` table (who changed what, when): writing entries (the server's `audit` module
//! does, in the transaction of the change) and the admin's filtered, paged read of them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{AuditEntryId, UserId};
use crate::schema::{audit_log, users};

/// A new entry.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewEntry<'a> {
    /// Its key.
    pub id: AuditEntryId,
    /// When.
    pub at: NaiveDateTime,
    /// Who (none for the system).
    pub actor_id: Option<UserId>,
    /// `create`, `update`, `delete`, …
    pub action: &'a str,
    /// The kind of thing changed (`branch`, `visit`, …).
    pub entity: &'a str,
    /// Its id.
    pub entity_id: &'a str,
    /// What changed (JSON).
    pub details: String,
}

/// Writes one entry.
pub fn insert(conn: &mut DbConnection, entry: &NewEntry<'_>) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values(entry)
        .execute(conn)
        .map(|_| ())
}

/// Writes many entries in multi-row statements (an import of 10,000 branches writes 30,000).
pub fn insert_many(conn: &mut DbConnection, entries: &[NewEntry<'_>]) -> QueryResult<()> {
    crate::insert_all!(conn, audit_log::table, entries);
    Ok(())
}

/// An entry as the log's reader sees it: with its actor's e-mail, when the actor still exists.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct EntryRow {
    /// Id.
    pub id: AuditEntryId,
    /// When.
    pub at: NaiveDateTime,
    /// Who (none for the system).
    pub actor_id: Option<UserId>,
    /// The actor's e-mail.
    pub actor_email: Option<String>,
    /// `create`, `update`, `delete`, …
    pub action: String,
    /// The kind of thing changed (`branch`, `visit`, …).
    pub entity: String,
    /// Its id.
    pub entity_id: String,
    /// What changed (JSON).
    pub details: String,
}

/// Which entries to read; every field that is set must match.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The kind of thing changed.
    pub entity: Option<String>,
    /// Its id.
    pub entity_id: Option<String>,
    /// Who changed it.
    pub actor_id: Option<UserId>,
    /// The action.
    pub action: Option<String>,
    /// At or after.
    pub since: Option<NaiveDateTime>,
    /// Before.
    pub until: Option<NaiveDateTime>,
}

/// Where a page starts.
#[derive(Debug, Clone)]
pub enum Cursor {
    /// Strictly older than this time.
    Time(NaiveDateTime),
    /// Strictly after this entry in the log's order (time, then id, both descending).
    Entry(NaiveDateTime, AuditEntryId),
}

/// The time of entry `id`, if it exists (a page cursor names an entry).
pub fn time_of(conn: &mut DbConnection, id: &AuditEntryId) -> QueryResult<Option<NaiveDateTime>> {
    audit_log::table
        .find(id)
        .select(audit_log::at)
        .first(conn)
        .optional()
}

/// Up to `limit` entries matching `filter`, newest first, after `cursor`.
pub fn page(
    conn: &mut DbConnection,
    filter: Filter,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<EntryRow>> {
    let mut query = audit_log::table
        .left_join(users::table.on(audit_log::actor_id.eq(users::id.nullable())))
        .select((
            audit_log::id,
            audit_log::at,
            audit_log::actor_id,
            users::email.nullable(),
            audit_log::action,
            audit_log::entity,
            audit_log::entity_id,
            audit_log::details,
        ))
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(v) = filter.entity {
        query = query.filter(audit_log::entity.eq(v));
    }
    if let Some(v) = filter.entity_id {
        query = query.filter(audit_log::entity_id.eq(v));
    }
    if let Some(v) = filter.actor_id {
        query = query.filter(audit_log::actor_id.eq(v));
    }
    if let Some(v) = filter.action {
        query = query.filter(audit_log::action.eq(v));
    }
    if let Some(t) = filter.since {
        query = query.filter(audit_log::at.ge(t));
    }
    if let Some(t) = filter.until {
        query = query.filter(audit_log::at.lt(t));
    }
    match cursor {
        Some(Cursor::Time(t)) => query = query.filter(audit_log::at.lt(t)),
        Some(Cursor::Entry(t, id)) => {
            query = query.filter(
                audit_log::at
                    .lt(t)
                    .or(audit_log::at.eq(t).and(audit_log::id.lt(id))),
            )
        }
        None => {}
    }
    query.load(conn)
}
