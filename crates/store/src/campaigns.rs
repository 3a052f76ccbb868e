//! The `campaigns` table (a planned round of visits): its row.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::ids::{CampaignId, ChecklistId, UserId};
use crate::schema::campaigns;

/// A stored campaign.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = campaigns)]
pub struct CampaignRow {
    /// Id.
    pub id: CampaignId,
    /// Its name.
    pub name: String,
    /// The checklist version's row id.
    pub checklist_id: ChecklistId,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Visits planned per branch.
    pub visits_per_branch: i32,
    /// Its scenarios as stored (JSON).
    pub scenarios: String,
    /// Who planned it.
    pub created_by: Option<UserId>,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}
