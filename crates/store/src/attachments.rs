//! The `attachments` table (photos and files uploaded for an assignment's items): its row and
//! the reads that filing a visit makes of it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{AssignmentId, AttachmentId, UserId};
use crate::schema::attachments;

/// A stored attachment (its bytes are in the object store under `storage_key`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = attachments)]
pub struct AttachmentRow {
    /// Id.
    pub id: AttachmentId,
    /// The assignment it was uploaded for.
    pub assignment_id: AssignmentId,
    /// The item it belongs to.
    pub item_key: String,
    /// Its media type, as sniffed.
    pub content_type: String,
    /// Its size.
    pub size_bytes: i64,
    /// SHA-256 of its bytes (hex).
    pub sha256: String,
    /// Where its bytes are in the object store.
    pub storage_key: String,
    /// When the photo was taken, as the phone reported it.
    pub captured_at: Option<String>,
    /// Where the photo was taken.
    pub captured_lat: Option<f64>,
    /// Where the photo was taken.
    pub captured_lon: Option<f64>,
    /// Who uploaded it.
    pub uploaded_by: UserId,
    /// Uploaded.
    pub created_at: NaiveDateTime,
}

/// What a submission checks of an upload: its id, item and capture facts.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct Upload {
    /// Id.
    pub id: AttachmentId,
    /// The item it belongs to.
    pub item_key: String,
    /// When the photo was taken, as the phone reported it.
    pub captured_at: Option<String>,
    /// Where the photo was taken.
    pub captured_lat: Option<f64>,
    /// Where the photo was taken.
    pub captured_lon: Option<f64>,
}

/// The uploads of assignment `assignment`, oldest first.
pub fn uploads(conn: &mut DbConnection, assignment: &AssignmentId) -> QueryResult<Vec<Upload>> {
    attachments::table
        .filter(attachments::assignment_id.eq(assignment))
        .select((
            attachments::id,
            attachments::item_key,
            attachments::captured_at,
            attachments::captured_lat,
            attachments::captured_lon,
        ))
        .order(attachments::created_at)
        .load(conn)
}

/// Attachment `id`, if it exists.
pub fn find(conn: &mut DbConnection, id: &AttachmentId) -> QueryResult<Option<AttachmentRow>> {
    attachments::table
        .find(id)
        .select(AttachmentRow::as_select())
        .first(conn)
        .optional()
}

/// Every attachment of assignment `assignment`, oldest first.
pub fn of_assignment(
    conn: &mut DbConnection,
    assignment: &AssignmentId,
) -> QueryResult<Vec<AttachmentRow>> {
    attachments::table
        .filter(attachments::assignment_id.eq(assignment))
        .select(AttachmentRow::as_select())
        .order((attachments::created_at, attachments::id))
        .load(conn)
}

/// Stores a new attachment.
pub fn insert(conn: &mut DbConnection, row: &AttachmentRow) -> QueryResult<()> {
    diesel::insert_into(attachments::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// How many attachments assignment `id` holds.
pub fn count_of_assignment(conn: &mut DbConnection, id: &AssignmentId) -> QueryResult<i64> {
    attachments::table
        .filter(attachments::assignment_id.eq(id))
        .count()
        .get_result(conn)
}

/// How many attachments `uploader` stored after `since`, and when the oldest of them was.
pub fn uploaded_since(
    conn: &mut DbConnection,
    uploader: &UserId,
    since: NaiveDateTime,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    attachments::table
        .filter(attachments::uploaded_by.eq(uploader))
        .filter(attachments::created_at.gt(since))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(attachments::created_at),
        ))
        .first(conn)
}

/// Advisory-lock class of an uploader's attachment inserts (the login throttle uses 7405141
/// and 7405142).
const LOCK_UPLOADER: i32 = 7_405_143;

/// Serializes the uploads of `uploader` until the caller's transaction ends, so that counting
/// them and inserting one more are one step. SQLite: the database's write lock, taken before
/// anything is read; PostgreSQL: a transaction-scoped advisory lock on the uploader.
pub fn lock_uploader(conn: &mut DbConnection, uploader: &UserId) -> QueryResult<()> {
    if let DbConnection::Postgresql(_) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind::<diesel::sql_types::Integer, _>(LOCK_UPLOADER)
            .bind::<diesel::sql_types::Text, _>(uploader)
            .execute(conn)?;
        Ok(())
    } else {
        crate::lock_for_write(conn)
    }
}
