//! The audit log (SPEC §6): who did what to which record, and when. Entries are written by
//! [`crate::audit::record`] in the same transaction as each change; this module lets admins read
//! them, filtered, newest first, a page at a time.
//!
//! Pages are ordered by `(at, id)` descending, so entries written in the same microsecond still
//! have one fixed order. `next_before` of a page is the id of its last entry; passing it as
//! `before` continues strictly after that entry, so walking the pages never repeats or skips an
//! entry. `before` may also be a time (RFC 3339): entries strictly older than it.

use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ErrorEnvelope};
use super::types::time;
use crate::auth::{AuthUser, roles};
use crate::startup::AppState;
use crate::workflow;
use sirr_store::{self as db, audit_log::Cursor};

super::routes! {
    handlers: [list],
    schemas: [AuditEntry, AuditPage],
}

/// Entries per page unless `limit` says otherwise.
const DEFAULT_LIMIT: i64 = 100;
/// The largest `limit` accepted.
const MAX_LIMIT: i64 = 1000;

/// One audit entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    /// Entry id.
    pub id: String,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Who (a user id); `null` when no signed-in user caused it.
    pub actor_id: Option<String>,
    /// The actor's current email; `null` without an actor (or once the user is gone).
    pub actor_email: Option<String>,
    /// What: `create`, `update`, `delete`, `publish`, `set_password`, `submit`, `approve`,
    /// `resolve`, …
    pub action: String,
    /// The kind of record: `region`, `branch`, `team`, `user`, `checklist`, `visit`,
    /// `dispute`, `action_item`, …
    pub entity: String,
    /// The record's id (checklists: `key/version`).
    pub entity_id: String,
    /// What changed (an update lists `{field: {"from", "to"}}`); never a password or a token.
    #[schema(value_type = Object)]
    pub details: Value,
}

/// A page of entries, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// The entries.
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next page; `null` on the last page.
    pub next_before: Option<String>,
}

/// Filters and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only this kind of record (`dispute`, `branch`, …).
    pub entity: Option<String>,
    /// Only this record.
    pub entity_id: Option<String>,
    /// Only changes by this user.
    pub actor_id: Option<String>,
    /// Only this action (`create`, `update`, …).
    pub action: Option<String>,
    /// Only entries at or after this time (RFC 3339).
    pub since: Option<String>,
    /// Only entries before this time (RFC 3339).
    pub until: Option<String>,
    /// Entries per page, 1 to 1000 (default 100).
    pub limit: Option<i64>,
    /// Continue after this entry id (a page's `next_before`), or before this time (RFC 3339).
    pub before: Option<String>,
}

fn instant(name: &str, text: &str) -> Result<NaiveDateTime, ApiError> {
    workflow::parse_time(name, text)
        .map(|t| t.naive_utc())
        .map_err(|d| ApiError::bad_request(name, d.problem))
}

/// The audit log, newest first, filtered (admin only).
#[utoipa::path(operation_id = "list_audit_entries", get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, description = "A page of entries, newest first", body = AuditPage),
              (status = 400, description = "A bad time, limit or cursor", body = ErrorEnvelope),
              (status = 403, description = "Not an admin", body = ErrorEnvelope)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let q = query.into_inner();
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(
            "limit",
            crate::msg!("between", min = 1, max = MAX_LIMIT),
        ));
    }
    let since = q
        .since
        .as_deref()
        .map(|t| instant("since", t))
        .transpose()?;
    let until = q
        .until
        .as_deref()
        .map(|t| instant("until", t))
        .transpose()?;
    let page = state
        .db(move |conn| {
            let cursor = match q.before.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(b) if chrono::DateTime::parse_from_rfc3339(b).is_ok() => {
                    Some(Cursor::Time(instant("before", b)?))
                }
                Some(b) => {
                    let at = db::audit_log::time_of(conn, &b.into())?;
                    let at = at.ok_or_else(|| {
                        ApiError::bad_request("before", crate::msg!("audit-cursor-invalid"))
                    })?;
                    Some(Cursor::Entry(at, b.into()))
                }
            };
            let filter = db::audit_log::Filter {
                entity: q.entity,
                entity_id: q.entity_id,
                actor_id: q.actor_id.map(Into::into),
                action: q.action,
                since,
                until,
            };
            let mut rows = db::audit_log::page(conn, filter, cursor, limit + 1)?;
            let more = rows.len() as i64 > limit;
            rows.truncate(usize::try_from(limit).unwrap_or(0));
            let entries: Vec<AuditEntry> = rows
                .into_iter()
                .map(|r| AuditEntry {
                    id: r.id.into(),
                    at: time(r.at),
                    actor_id: r.actor_id.map(Into::into),
                    actor_email: r.actor_email,
                    action: r.action,
                    entity: r.entity,
                    entity_id: r.entity_id,
                    details: serde_json::from_str(&r.details).unwrap_or(Value::Null),
                })
                .collect();
            Ok(AuditPage {
                next_before: entries.last().filter(|_| more).map(|e| e.id.clone()),
                entries,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}
