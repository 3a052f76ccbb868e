//! The `checklists` table (every version of every checklist, draft or published): its row and
//! the reads the checklist handlers share.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{ChecklistId, UserId};
use crate::schema::checklists;
use crate::status::ChecklistStatus;

/// A stored checklist version.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = checklists)]
pub struct ChecklistRow {
    /// Row id (assignments refer to it).
    pub id: ChecklistId,
    /// Checklist key.
    pub key: String,
    /// Version, ≥ 1.
    pub version: i32,
    /// Draft or published.
    pub status: ChecklistStatus,
    /// The document as stored (JSON).
    pub document: String,
    /// Its content hash, once published.
    pub content_hash: Option<String>,
    /// Who created it.
    pub created_by: Option<UserId>,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
    /// When it was published.
    pub published_at: Option<NaiveDateTime>,
}

impl ChecklistRow {
    /// Whether it is published (and so never changes again).
    pub fn is_published(&self) -> bool {
        self.status == ChecklistStatus::Published
    }
}

/// Version `version` of checklist `key`, if it exists.
pub fn find(conn: &mut DbConnection, key: &str, version: i32) -> QueryResult<Option<ChecklistRow>> {
    checklists::table
        .filter(checklists::key.eq(key))
        .filter(checklists::version.eq(version))
        .select(ChecklistRow::as_select())
        .first(conn)
        .optional()
}

/// Every version (only published ones when `published_only`), by key and version.
pub fn all(conn: &mut DbConnection, published_only: bool) -> QueryResult<Vec<ChecklistRow>> {
    let mut query = checklists::table
        .select(ChecklistRow::as_select())
        .order((checklists::key, checklists::version))
        .into_boxed();
    if published_only {
        query = query.filter(checklists::status.eq(ChecklistStatus::Published));
    }
    query.load(conn)
}

/// The version stored under row id `id`.
pub fn by_id(conn: &mut DbConnection, id: &ChecklistId) -> QueryResult<ChecklistRow> {
    checklists::table
        .find(id)
        .select(ChecklistRow::as_select())
        .first(conn)
}

/// The documents of every published version (JSON as stored).
pub fn published_documents(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    checklists::table
        .filter(checklists::status.eq(ChecklistStatus::Published))
        .select(checklists::document)
        .load(conn)
}

/// The id and document of every version, draft or published.
pub fn documents(conn: &mut DbConnection) -> QueryResult<Vec<(ChecklistId, String)>> {
    checklists::table
        .select((checklists::id, checklists::document))
        .load(conn)
}

/// The id and document of each of the versions `ids`.
pub fn documents_of(
    conn: &mut DbConnection,
    ids: &[&ChecklistId],
) -> QueryResult<Vec<(ChecklistId, String)>> {
    checklists::table
        .filter(checklists::id.eq_any(ids))
        .select((checklists::id, checklists::document))
        .load(conn)
}

/// A new draft version.
#[derive(Debug, Clone)]
pub struct NewDraft<'a> {
    /// Id.
    pub id: &'a ChecklistId,
    /// Checklist key.
    pub key: &'a str,
    /// Version.
    pub version: i32,
    /// The document (JSON).
    pub document: &'a str,
    /// Who made it.
    pub created_by: &'a UserId,
    /// When.
    pub now: NaiveDateTime,
}

/// Stores a new draft. A version that exists already fails with the database's unique
/// violation, for the caller to word.
pub fn insert_draft(conn: &mut DbConnection, new: &NewDraft<'_>) -> QueryResult<()> {
    diesel::insert_into(checklists::table)
        .values((
            checklists::id.eq(new.id),
            checklists::key.eq(new.key),
            checklists::version.eq(new.version),
            checklists::status.eq(ChecklistStatus::Draft),
            checklists::document.eq(new.document),
            checklists::created_by.eq(Some(new.created_by)),
            checklists::created_at.eq(new.now),
            checklists::updated_at.eq(new.now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The drafts among `key`'s `version` (one or none): the filter of every write below, which
/// must never touch a published version.
type ByKey<'a> = diesel::dsl::Filter<checklists::table, diesel::dsl::Eq<checklists::key, &'a str>>;
type ByVersion<'a> = diesel::dsl::Filter<ByKey<'a>, diesel::dsl::Eq<checklists::version, i32>>;
type Draft<'a> =
    diesel::dsl::Filter<ByVersion<'a>, diesel::dsl::Eq<checklists::status, ChecklistStatus>>;

fn draft(key: &str, version: i32) -> Draft<'_> {
    checklists::table
        .filter(checklists::key.eq(key))
        .filter(checklists::version.eq(version))
        .filter(checklists::status.eq(ChecklistStatus::Draft))
}

/// Replaces the document of draft `key` `version`; whether it was (still) a draft.
///
/// With `expected`, only while the stored document is still exactly that text (the one the
/// writer read): a compare-and-set in one statement, so of two concurrent writers from the same
/// revision only one succeeds.
pub fn update_draft(
    conn: &mut DbConnection,
    key: &str,
    version: i32,
    document: &str,
    now: NaiveDateTime,
    expected: Option<&str>,
) -> QueryResult<bool> {
    let target = draft(key, version);
    let changes = (
        checklists::document.eq(document),
        checklists::updated_at.eq(now),
    );
    let changed = match expected {
        Some(expected) => diesel::update(target.filter(checklists::document.eq(expected)))
            .set(changes)
            .execute(conn)?,
        None => diesel::update(target).set(changes).execute(conn)?,
    };
    Ok(changed > 0)
}

/// Publishes draft `key` `version` with its content hash; whether it was still a draft (of two
/// concurrent publications only one finds it so).
pub fn publish(
    conn: &mut DbConnection,
    key: &str,
    version: i32,
    content_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(draft(key, version))
        .set((
            checklists::status.eq(ChecklistStatus::Published),
            checklists::content_hash.eq(content_hash),
            checklists::published_at.eq(now),
            checklists::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(changed > 0)
}

/// Deletes draft `key` `version`; whether it was still a draft.
pub fn delete_draft(conn: &mut DbConnection, key: &str, version: i32) -> QueryResult<bool> {
    Ok(diesel::delete(draft(key, version)).execute(conn)? > 0)
}

/// Stores a version as it stands (the demo's published checklists); authoring goes through
/// [`insert_draft`] and [`publish`].
pub fn insert(conn: &mut DbConnection, row: &ChecklistRow) -> QueryResult<()> {
    diesel::insert_into(checklists::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}
