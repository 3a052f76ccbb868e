//! The `checklists` table (every version of every checklist, draft or published): its row and
//! the reads the checklist handlers share.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::ids::{ChecklistId, UserId};
use crate::schema::checklists;
use crate::{DbConnection, status};

/// A stored checklist version.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = checklists)]
pub struct ChecklistRow {
    /// Row id (assignments refer to it).
    pub id: ChecklistId,
    /// Checklist key.
    pub key: String,
    /// Version, ≥ 1.
    pub version: i32,
    /// One of [`status::checklist`].
    pub status: String,
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
        self.status == status::checklist::PUBLISHED
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
        query = query.filter(checklists::status.eq(status::checklist::PUBLISHED));
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
