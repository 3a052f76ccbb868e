//! The `disputes` table (a manager's challenge of one item of an approved visit): its row.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::disputes;

/// A stored dispute.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = disputes)]
pub struct DisputeRow {
    /// Id.
    pub id: String,
    /// The visit disputed.
    pub visit_id: String,
    /// The item disputed.
    pub item_key: String,
    /// Why, in the manager's words.
    pub reason: String,
    /// What the manager offers as evidence.
    pub evidence: Option<String>,
    /// One of [`crate::status::dispute`].
    pub status: String,
    /// The manager who raised it.
    pub raised_by: String,
    /// QA's answer, once resolved.
    pub resolution: Option<String>,
    /// Who resolved it.
    pub resolved_by: Option<String>,
    /// When it was resolved.
    pub resolved_at: Option<NaiveDateTime>,
    /// Raised.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}
