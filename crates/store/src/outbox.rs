//! The outbox (SPEC §10.36): the `events` a transaction writes, their `deliveries` to webhooks
//! and e-mail recipients, the `delivery_attempts`, and the `webhooks` registry — the
//! statements. What an event means, who gets a letter and when to scan live in the server's
//! `events` module; the delivery thread of each `sirr serve` claims rows here, so several
//! processes share the work row by row.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::ids::{self, DeliveryId, EventId, UserId, WebhookId};
use crate::schema::{deliveries, delivery_attempts, events, users, webhooks};
use crate::status::{DeliveryKind, DeliveryStatus};

/// Stores a new event (not yet fanned out).
pub fn insert_event(
    conn: &mut DbConnection,
    id: &EventId,
    event_type: &str,
    data: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(events::table)
        .values((
            events::id.eq(id),
            events::event_type.eq(event_type),
            events::occurred_at.eq(at),
            events::data.eq(data),
            events::fanned_out.eq(false),
        ))
        .execute(conn)
        .map(|_| ())
}

/// An event not yet fanned out.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct NewEvent {
    /// Its id (`webhook-id`).
    pub id: EventId,
    /// Its type (`visit.approved`, …).
    pub event_type: String,
    /// When it happened.
    pub occurred_at: NaiveDateTime,
    /// Its data (JSON text).
    pub data: String,
}

/// Up to `limit` events not yet fanned out, oldest first, held for the caller's transaction:
/// on PostgreSQL rows another process holds are skipped (`FOR UPDATE SKIP LOCKED`); SQLite takes
/// its write lock.
pub fn claim_new_events(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<NewEvent>> {
    let pending = events::table
        .filter(events::fanned_out.eq(false))
        .order((events::occurred_at, events::id))
        .select((
            events::id,
            events::event_type,
            events::occurred_at,
            events::data,
        ))
        .limit(limit);
    match conn {
        DbConnection::Postgresql(pg) => pending.for_update().skip_locked().load(pg),
        DbConnection::Sqlite(_) => {
            crate::lock_for_write(conn)?;
            pending.load(conn)
        }
    }
}

/// Marks the events `ids` fanned out.
pub fn mark_fanned_out(conn: &mut DbConnection, ids: &[&EventId]) -> QueryResult<()> {
    diesel::update(events::table.filter(events::id.eq_any(ids)))
        .set(events::fanned_out.eq(true))
        .execute(conn)
        .map(|_| ())
}

/// Every webhook's id and the event types it subscribes to.
pub fn subscriptions(conn: &mut DbConnection) -> QueryResult<Vec<(WebhookId, Vec<String>)>> {
    let hooks: Vec<(WebhookId, String)> = webhooks::table
        .select((webhooks::id, webhooks::events))
        .load(conn)?;
    Ok(hooks
        .into_iter()
        .map(|(id, types)| (id, serde_json::from_str(&types).unwrap_or_default()))
        .collect())
}

/// Whether user `id` takes notification e-mail (`false` when there is no such user).
pub fn takes_mail(conn: &mut DbConnection, id: &UserId) -> QueryResult<bool> {
    Ok(users::table
        .find(id)
        .select(users::email_notifications)
        .first::<bool>(conn)
        .optional()?
        == Some(true))
}

/// A pending delivery of event `event_id` to a webhook or a recipient.
pub fn insert_delivery(
    conn: &mut DbConnection,
    event_id: &EventId,
    kind: DeliveryKind,
    webhook: Option<&WebhookId>,
    recipient: Option<&UserId>,
    now: NaiveDateTime,
    give_up_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(deliveries::table)
        .values((
            deliveries::id.eq(DeliveryId::generate()),
            deliveries::event_id.eq(event_id),
            deliveries::kind.eq(kind),
            deliveries::webhook_id.eq(webhook),
            deliveries::recipient_id.eq(recipient),
            deliveries::status.eq(DeliveryStatus::Pending),
            deliveries::attempts.eq(0),
            deliveries::next_attempt_at.eq(now),
            deliveries::give_up_at.eq(give_up_at),
            deliveries::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Which of `keys` some event was written under already.
pub fn known_dedup_keys(conn: &mut DbConnection, keys: &[String]) -> QueryResult<HashSet<String>> {
    Ok(events::table
        .filter(events::dedup_key.eq_any(keys))
        .select(events::dedup_key.assume_not_null())
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

/// Writes an event under a `dedup_key` unless one with that key exists; `true` when written.
/// Another process may write the same key meanwhile: the unique key refuses the second, in a
/// savepoint of its own, so the caller's transaction goes on.
pub fn insert_event_once(
    conn: &mut DbConnection,
    event_type: &str,
    data: &str,
    key: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let known = diesel::select(diesel::dsl::exists(
        events::table.filter(events::dedup_key.eq(key)),
    ))
    .get_result::<bool>(conn)?;
    if known {
        return Ok(false);
    }
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(events::table)
            .values((
                events::id.eq(EventId::from(format!("evt_{}", ids::new_id()))),
                events::event_type.eq(event_type),
                events::occurred_at.eq(at),
                events::data.eq(data),
                events::dedup_key.eq(key),
                events::fanned_out.eq(false),
            ))
            .execute(conn)
    });
    crate::inserted(inserted)
}

/// A claimed delivery as read, before the claim token is attached.
#[derive(Queryable)]
struct ClaimedRow {
    id: DeliveryId,
    kind: DeliveryKind,
    recipient_id: Option<UserId>,
    attempts: i32,
    give_up_at: NaiveDateTime,
    event_id: EventId,
    event_type: String,
    occurred_at: NaiveDateTime,
    data: String,
    url: Option<String>,
    secret: Option<String>,
}

/// A delivery claimed by this process, with what it needs to send it.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// Delivery id.
    pub id: DeliveryId,
    /// This claim's token: the result is recorded only while the claim is still ours.
    pub claim: String,
    /// Webhook or e-mail.
    pub kind: DeliveryKind,
    /// The recipient (e-mail).
    pub recipient_id: Option<UserId>,
    /// Attempts before this one.
    pub attempts: i32,
    /// When retrying stops.
    pub give_up_at: NaiveDateTime,
    /// The event id (`webhook-id`).
    pub event_id: EventId,
    /// The event type.
    pub event_type: String,
    /// When it happened.
    pub occurred_at: NaiveDateTime,
    /// Its data (JSON text).
    pub data: String,
    /// The webhook's URL.
    pub url: Option<String>,
    /// The webhook's secret.
    pub secret: Option<String>,
}

/// Whether anything is waiting: new events or deliveries due now (a cheap read, so an idle
/// dispatcher does not take SQLite's write lock).
pub fn has_work(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<bool> {
    let new_event = diesel::select(diesel::dsl::exists(
        events::table.filter(events::fanned_out.eq(false)),
    ))
    .get_result::<bool>(conn)?;
    if new_event {
        return Ok(true);
    }
    diesel::select(diesel::dsl::exists(
        deliveries::table
            .filter(deliveries::status.eq(DeliveryStatus::Pending))
            .filter(deliveries::next_attempt_at.le(now))
            .filter(
                deliveries::claimed_until
                    .is_null()
                    .or(deliveries::claimed_until.le(now)),
            ),
    ))
    .get_result(conn)
}

/// Claims up to `limit` due deliveries for `lease`: rows another process holds are skipped
/// (`FOR UPDATE SKIP LOCKED` on PostgreSQL), and a claim whose lease ran out (its process died)
/// is due again.
pub fn claim(
    conn: &mut DbConnection,
    limit: i64,
    lease: chrono::Duration,
) -> QueryResult<Vec<Claimed>> {
    conn.transaction(|conn| {
        let now = crate::now();
        let due = deliveries::table
            .filter(deliveries::status.eq(DeliveryStatus::Pending))
            .filter(deliveries::next_attempt_at.le(now))
            .filter(
                deliveries::claimed_until
                    .is_null()
                    .or(deliveries::claimed_until.le(now)),
            )
            .order((deliveries::next_attempt_at, deliveries::id))
            .select(deliveries::id)
            .limit(limit);
        let ids: Vec<DeliveryId> = match conn {
            DbConnection::Postgresql(pg) => due.for_update().skip_locked().load(pg)?,
            DbConnection::Sqlite(_) => {
                crate::lock_for_write(conn)?;
                due.load(conn)?
            }
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let claim = ids::new_id();
        diesel::update(deliveries::table.filter(deliveries::id.eq_any(&ids)))
            .set((
                deliveries::claim.eq(&claim),
                deliveries::claimed_until.eq(now + lease),
            ))
            .execute(conn)?;
        let rows: Vec<ClaimedRow> = deliveries::table
            .inner_join(events::table)
            .left_join(webhooks::table)
            .filter(deliveries::claim.eq(&claim))
            .order((deliveries::next_attempt_at, deliveries::id))
            .select((
                deliveries::id,
                deliveries::kind,
                deliveries::recipient_id,
                deliveries::attempts,
                deliveries::give_up_at,
                events::id,
                events::event_type,
                events::occurred_at,
                events::data,
                webhooks::url.nullable(),
                webhooks::secret.nullable(),
            ))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|r| Claimed {
                id: r.id,
                claim: claim.clone(),
                kind: r.kind,
                recipient_id: r.recipient_id,
                attempts: r.attempts,
                give_up_at: r.give_up_at,
                event_id: r.event_id,
                event_type: r.event_type,
                occurred_at: r.occurred_at,
                data: r.data,
                url: r.url,
                secret: r.secret,
            })
            .collect())
    })
}

/// What one attempt came to.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// When it started.
    pub at: NaiveDateTime,
    /// How long it took.
    pub duration_ms: i64,
    /// The receiver's HTTP status, if it answered.
    pub status_code: Option<u16>,
    /// `None`: delivered. Else why not.
    pub error: Option<String>,
    /// Nothing was to be sent (an opted-out recipient): closes the delivery without an attempt.
    pub skipped: bool,
    /// When to try again after a failure.
    pub retry_in: chrono::Duration,
}

/// Records the attempts of one batch in one transaction. A delivery whose claim is no longer
/// ours (the lease ran out and someone else took it) keeps its newer state.
pub fn record(conn: &mut DbConnection, results: &[(Claimed, Attempt)]) -> QueryResult<()> {
    conn.transaction(|conn| {
        crate::lock_for_write(conn)?;
        let now = crate::now();
        for (d, a) in results {
            let mine = deliveries::table
                .filter(deliveries::id.eq(&d.id))
                .filter(deliveries::claim.eq(&d.claim));
            let last_status = a.status_code.map(i32::from);
            if a.skipped {
                diesel::update(mine)
                    .set((
                        deliveries::status.eq(DeliveryStatus::Skipped),
                        deliveries::last_error.eq(&a.error),
                        deliveries::claim.eq(None::<String>),
                        deliveries::claimed_until.eq(None::<NaiveDateTime>),
                    ))
                    .execute(conn)?;
                continue;
            }
            diesel::insert_into(delivery_attempts::table)
                .values((
                    delivery_attempts::id.eq(ids::new_id()),
                    delivery_attempts::delivery_id.eq(&d.id),
                    delivery_attempts::attempted_at.eq(a.at),
                    delivery_attempts::status_code.eq(last_status),
                    delivery_attempts::error.eq(&a.error),
                    delivery_attempts::duration_ms.eq(a.duration_ms),
                ))
                .execute(conn)?;
            let next = now + a.retry_in;
            let (state, delivered_at) = match (&a.error, next > d.give_up_at) {
                (None, _) => (DeliveryStatus::Delivered, Some(now)),
                (Some(_), true) => (DeliveryStatus::Failed, None),
                (Some(_), false) => (DeliveryStatus::Pending, None),
            };
            diesel::update(mine)
                .set((
                    deliveries::status.eq(state),
                    deliveries::attempts.eq(deliveries::attempts + 1),
                    deliveries::next_attempt_at.eq(next),
                    deliveries::last_status.eq(last_status),
                    deliveries::last_error.eq(&a.error),
                    deliveries::delivered_at.eq(delivered_at),
                    deliveries::claim.eq(None::<String>),
                    deliveries::claimed_until.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// A registered webhook, as stored.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// Id.
    pub id: WebhookId,
    /// Receiver URL.
    pub url: String,
    /// Subscribed event types.
    pub events: Vec<String>,
    /// The secret as given.
    pub secret: String,
    /// When it was registered.
    pub created_at: NaiveDateTime,
}

/// Registers webhook `id` (checked by the caller) at `now`.
pub fn insert_webhook(
    conn: &mut DbConnection,
    id: &WebhookId,
    url: &str,
    types: &[String],
    secret: &str,
    actor: &UserId,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(webhooks::table)
        .values((
            webhooks::id.eq(id),
            webhooks::url.eq(url),
            webhooks::events.eq(serde_json::json!(types).to_string()),
            webhooks::secret.eq(secret),
            webhooks::created_by.eq(actor),
            webhooks::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Every webhook, oldest first.
pub fn list_webhooks(conn: &mut DbConnection) -> QueryResult<Vec<Webhook>> {
    let rows: Vec<(WebhookId, String, String, String, NaiveDateTime)> = webhooks::table
        .order((webhooks::created_at, webhooks::id))
        .select((
            webhooks::id,
            webhooks::url,
            webhooks::events,
            webhooks::secret,
            webhooks::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, url, types, secret, created_at)| Webhook {
            id,
            url,
            events: serde_json::from_str(&types).unwrap_or_default(),
            secret,
            created_at,
        })
        .collect())
}

/// Removes a webhook and its deliveries; `false` when there is none.
pub fn delete_webhook(conn: &mut DbConnection, id: &WebhookId) -> QueryResult<bool> {
    diesel::delete(deliveries::table.filter(deliveries::webhook_id.eq(id))).execute(conn)?;
    Ok(diesel::delete(webhooks::table.find(id)).execute(conn)? > 0)
}

/// One delivery of the log, with its attempts.
#[derive(Debug, Clone)]
pub struct LoggedDelivery {
    /// Delivery id.
    pub id: DeliveryId,
    /// The event id (`webhook-id`).
    pub event_id: EventId,
    /// The event type.
    pub event_type: String,
    /// Pending, delivered, failed (or skipped).
    pub status: DeliveryStatus,
    /// Attempts so far.
    pub attempts: i32,
    /// Next attempt (pending).
    pub next_attempt_at: NaiveDateTime,
    /// Last HTTP status.
    pub last_status: Option<i32>,
    /// Last error.
    pub last_error: Option<String>,
    /// When it was delivered.
    pub delivered_at: Option<NaiveDateTime>,
    /// When it was created.
    pub created_at: NaiveDateTime,
    /// Attempts: time, status, error, duration in ms.
    pub log: Vec<(NaiveDateTime, Option<i32>, Option<String>, i64)>,
}

/// A delivery as its webhook's log reads it.
#[derive(Queryable)]
struct DeliveryRow {
    id: DeliveryId,
    event_id: EventId,
    event_type: String,
    status: DeliveryStatus,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    last_status: Option<i32>,
    last_error: Option<String>,
    delivered_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
}

/// One attempt of a delivery.
#[derive(Queryable)]
struct AttemptRow {
    delivery_id: DeliveryId,
    attempted_at: NaiveDateTime,
    status_code: Option<i32>,
    error: Option<String>,
    duration_ms: i64,
}

/// A webhook's deliveries, newest first, at most `limit`, optionally of one status.
pub fn deliveries_of(
    conn: &mut DbConnection,
    webhook: &WebhookId,
    state: Option<DeliveryStatus>,
    limit: i64,
) -> QueryResult<Vec<LoggedDelivery>> {
    let mut query = deliveries::table
        .inner_join(events::table)
        .filter(deliveries::webhook_id.eq(webhook))
        .order((deliveries::created_at.desc(), deliveries::id.desc()))
        .select((
            deliveries::id,
            events::id,
            events::event_type,
            deliveries::status,
            deliveries::attempts,
            deliveries::next_attempt_at,
            deliveries::last_status,
            deliveries::last_error,
            deliveries::delivered_at,
            deliveries::created_at,
        ))
        .limit(limit)
        .into_boxed();
    if let Some(state) = state {
        query = query.filter(deliveries::status.eq(state));
    }
    let rows: Vec<DeliveryRow> = query.load(conn)?;
    let ids: Vec<&DeliveryId> = rows.iter().map(|r| &r.id).collect();
    let attempts: Vec<AttemptRow> = delivery_attempts::table
        .filter(delivery_attempts::delivery_id.eq_any(ids))
        .order((delivery_attempts::attempted_at, delivery_attempts::id))
        .select((
            delivery_attempts::delivery_id,
            delivery_attempts::attempted_at,
            delivery_attempts::status_code,
            delivery_attempts::error,
            delivery_attempts::duration_ms,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| LoggedDelivery {
            log: attempts
                .iter()
                .filter(|a| a.delivery_id == r.id)
                .map(|a| {
                    (
                        a.attempted_at,
                        a.status_code,
                        a.error.clone(),
                        a.duration_ms,
                    )
                })
                .collect(),
            id: r.id,
            event_id: r.event_id,
            event_type: r.event_type,
            status: r.status,
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at,
            last_status: r.last_status,
            last_error: r.last_error,
            delivered_at: r.delivered_at,
            created_at: r.created_at,
        })
        .collect())
}

/// Queues delivery `delivery` of `webhook` again at `now`, with a retry window until `give_up_at`
/// (the same event id and body); `false` when the webhook has no such delivery.
pub fn requeue(
    conn: &mut DbConnection,
    webhook: &WebhookId,
    delivery: &DeliveryId,
    now: NaiveDateTime,
    give_up_at: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        deliveries::table
            .filter(deliveries::id.eq(delivery))
            .filter(deliveries::webhook_id.eq(webhook)),
    )
    .set((
        deliveries::status.eq(DeliveryStatus::Pending),
        deliveries::next_attempt_at.eq(now),
        deliveries::give_up_at.eq(give_up_at),
        deliveries::claim.eq(None::<String>),
        deliveries::claimed_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}
