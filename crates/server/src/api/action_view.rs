//! A branch's actions as the API serves them: the `ActionItem` resource, shared by the action
//! plans' handlers and the reports, which show a period's plan.

use diesel::QueryResult;
use serde::Serialize;
use sirr_store::DbConnection;
use sirr_store::action_items::{self, ActionRow};
use sirr_store::status::ActionStatus;
use utoipa::ToSchema;

use super::types::time;

/// One action of a branch's plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActionItem {
    /// Action id.
    pub id: String,
    /// Branch id.
    pub branch_id: String,
    /// The period it answers: `YYYY-MM`, `YYYY-Qn` or `YYYY-Www`.
    pub period: String,
    /// The checklist item it is about, if any.
    pub item_key: Option<String>,
    /// The checklist section it is about, if any.
    pub section_key: Option<String>,
    /// What will be done.
    pub action: String,
    /// Who will do it (a name or a role, as the branch calls them).
    pub owner: String,
    /// Due date, `YYYY-MM-DD`.
    pub due_on: String,
    /// Where it stands.
    pub status: ActionStatus,
    /// When it was marked done, RFC 3339 UTC; `null` unless done.
    pub done_at: Option<String>,
    /// Recorded, RFC 3339 UTC.
    pub created_at: String,
    /// Last changed, RFC 3339 UTC.
    pub updated_at: String,
}

/// The resource of a stored action.
pub fn to_item(r: ActionRow) -> ActionItem {
    ActionItem {
        id: r.id.into(),
        branch_id: r.branch_id.into(),
        period: r.period,
        item_key: r.item_key,
        section_key: r.section_key,
        action: r.action,
        owner: r.owner,
        due_on: r.due_on.format("%Y-%m-%d").to_string(),
        status: r.status,
        done_at: r.done_at.map(time),
        created_at: time(r.created_at),
        updated_at: time(r.updated_at),
    }
}

/// The actions of branch `branch_id` for `period` (any accepted label form; an invalid label
/// has none; `None` for every period), by period and due date — what reports show.
pub fn actions_for(
    conn: &mut DbConnection,
    branch_id: &str,
    period: Option<&str>,
) -> QueryResult<Vec<ActionItem>> {
    let label = match period.map(sirr_scoring::period::parse_label) {
        None => None,
        Some(Ok((_, label))) => Some(label),
        Some(Err(_)) => return Ok(Vec::new()),
    };
    Ok(
        action_items::of_branch(conn, &branch_id.into(), label.as_deref())?
            .into_iter()
            .map(to_item)
            .collect(),
    )
}
