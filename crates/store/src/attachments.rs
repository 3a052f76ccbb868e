//! The `attachments` table (photos and files uploaded for an assignment's items): its row and
//! the reads that filing a visit makes of it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{AssignmentId, AttachmentId, UserId};
use crate::schema::attachments;

/// A stored attachment (its bytes are in the object store under `storage_key`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
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
