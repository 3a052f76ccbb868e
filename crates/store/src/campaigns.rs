//! The `campaigns` table (a planned round of visits) and `campaign_branches` (the branches it
//! covers): its row, the list with what it refers to, and a new campaign.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{BranchId, CampaignId, ChecklistId, UserId};
use crate::schema::campaigns;
use crate::status::AssignmentStatus;

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

/// Whether campaign `id` exists.
pub fn exists(conn: &mut DbConnection, id: &CampaignId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(campaigns::table.find(id))).get_result(conn)
}

/// Campaign `id`, if it exists.
pub fn find(conn: &mut DbConnection, id: &CampaignId) -> QueryResult<Option<CampaignRow>> {
    campaigns::table
        .find(id)
        .select(CampaignRow::as_select())
        .first(conn)
        .optional()
}

/// A campaign with its checklist version's key and number.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// The campaign.
    pub campaign: CampaignRow,
    /// Its checklist's key.
    pub checklist_key: String,
    /// Its checklist's version.
    pub checklist_version: i32,
}

/// Every campaign, or the one with `id`, latest start first.
pub fn list(conn: &mut DbConnection, id: Option<&CampaignId>) -> QueryResult<Vec<Listed>> {
    use crate::schema::checklists;
    let mut query = campaigns::table
        .inner_join(checklists::table)
        .select((
            CampaignRow::as_select(),
            checklists::key,
            checklists::version,
        ))
        .order((campaigns::starts_on.desc(), campaigns::id))
        .into_boxed();
    if let Some(id) = id {
        query = query.filter(campaigns::id.eq(id.clone()));
    }
    Ok(query
        .load::<(CampaignRow, String, i32)>(conn)?
        .into_iter()
        .map(|(campaign, checklist_key, checklist_version)| Listed {
            campaign,
            checklist_key,
            checklist_version,
        })
        .collect())
}

/// A branch a campaign covers.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct Member {
    /// The campaign.
    pub campaign_id: CampaignId,
    /// The branch.
    pub branch_id: BranchId,
}

/// The branches the campaigns among `ids` cover, by branch id.
pub fn members(conn: &mut DbConnection, ids: &[&CampaignId]) -> QueryResult<Vec<Member>> {
    use crate::schema::campaign_branches;
    campaign_branches::table
        .filter(campaign_branches::campaign_id.eq_any(ids))
        .select((campaign_branches::campaign_id, campaign_branches::branch_id))
        .order(campaign_branches::branch_id)
        .load(conn)
}

/// How many of a campaign's assignments are in one status.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct Tally {
    /// The campaign.
    pub campaign_id: CampaignId,
    /// The status.
    pub status: AssignmentStatus,
    /// How many.
    pub count: i64,
}

/// The assignments of the campaigns among `ids`, counted by status.
pub fn tallies(conn: &mut DbConnection, ids: &[&CampaignId]) -> QueryResult<Vec<Tally>> {
    use crate::schema::assignments;
    assignments::table
        .filter(assignments::campaign_id.eq_any(ids))
        .group_by((assignments::campaign_id, assignments::status))
        .select((
            assignments::campaign_id.assume_not_null(),
            assignments::status,
            diesel::dsl::count_star(),
        ))
        .load(conn)
}

/// Stores `row` and the branches it covers.
pub fn insert(
    conn: &mut DbConnection,
    row: &CampaignRow,
    branches: &[BranchId],
) -> QueryResult<()> {
    use crate::schema::campaign_branches;
    diesel::insert_into(campaigns::table)
        .values((
            campaigns::id.eq(&row.id),
            campaigns::name.eq(&row.name),
            campaigns::checklist_id.eq(&row.checklist_id),
            campaigns::starts_on.eq(row.starts_on),
            campaigns::ends_on.eq(row.ends_on),
            campaigns::visits_per_branch.eq(row.visits_per_branch),
            campaigns::scenarios.eq(&row.scenarios),
            campaigns::created_by.eq(&row.created_by),
            campaigns::created_at.eq(row.created_at),
            campaigns::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    for branch in branches {
        diesel::insert_into(campaign_branches::table)
            .values((
                campaign_branches::campaign_id.eq(&row.id),
                campaign_branches::branch_id.eq(branch),
            ))
            .execute(conn)?;
    }
    Ok(())
}
