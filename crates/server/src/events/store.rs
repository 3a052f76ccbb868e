//! The outbox's SQL: fanning events out to deliveries, claiming due deliveries, recording
//! attempts, the periodic `action_plan.due` scan, and the webhook registry.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::Value;

use super::EventType;
use sirr_store::schema::{action_items, deliveries, delivery_attempts, events, users, webhooks};
use sirr_store::status::{ActionStatus, AssignmentStatus, DeliveryKind, DeliveryStatus};
use sirr_store::{self as db, DbConnection, ids};

/// Events fanned out per transaction.
const FAN_OUT_BATCH: i64 = 500;

/// Turns up to `FAN_OUT_BATCH` new events into deliveries: one per webhook subscribed to the
/// event's type, and — when `mail` (SMTP is configured) — one per recipient of its letter who
/// takes notification e-mail. One transaction marks the events done, so an event is fanned out
/// once however many processes try. Returns how many events it handled.
pub fn fan_out(
    conn: &mut DbConnection,
    mail: bool,
    window: chrono::Duration,
) -> QueryResult<usize> {
    conn.transaction(|conn| {
        let pending = events::table
            .filter(events::fanned_out.eq(false))
            .order((events::occurred_at, events::id))
            .select((
                events::id,
                events::event_type,
                events::occurred_at,
                events::data,
            ))
            .limit(FAN_OUT_BATCH);
        let rows: Vec<(String, String, NaiveDateTime, String)> = match conn {
            DbConnection::Postgresql(pg) => pending.for_update().skip_locked().load(pg)?,
            DbConnection::Sqlite(_) => {
                sirr_store::lock_for_write(conn)?;
                pending.load(conn)?
            }
        };
        if rows.is_empty() {
            return Ok(0);
        }
        let hooks: Vec<(String, String)> = webhooks::table
            .select((webhooks::id, webhooks::events))
            .load(conn)?;
        let hooks: Vec<(String, Vec<String>)> = hooks
            .into_iter()
            .map(|(id, types)| (id, serde_json::from_str(&types).unwrap_or_default()))
            .collect();
        let now = db::now();
        for (event_id, event_type, occurred_at, data) in &rows {
            let give_up_at = (*occurred_at).max(now) + window;
            for (hook, types) in &hooks {
                if types.iter().any(|t| t == event_type) {
                    insert_delivery(
                        conn,
                        event_id,
                        DeliveryKind::Webhook,
                        Some(hook),
                        None,
                        now,
                        give_up_at,
                    )?;
                }
            }
            if let (true, Some(kind)) = (mail, EventType::parse(event_type)) {
                let data: Value = serde_json::from_str(data).unwrap_or(Value::Null);
                for user in super::mail::recipients(conn, kind, &data)? {
                    let wants: Option<bool> = users::table
                        .find(&user)
                        .select(users::email_notifications)
                        .first(conn)
                        .optional()?;
                    if wants == Some(true) {
                        insert_delivery(
                            conn,
                            event_id,
                            DeliveryKind::Email,
                            None,
                            Some(&user),
                            now,
                            give_up_at,
                        )?;
                    }
                }
            }
        }
        let ids: Vec<&String> = rows.iter().map(|r| &r.0).collect();
        diesel::update(events::table.filter(events::id.eq_any(ids)))
            .set(events::fanned_out.eq(true))
            .execute(conn)?;
        Ok(rows.len())
    })
}

fn insert_delivery(
    conn: &mut DbConnection,
    event_id: &str,
    kind: DeliveryKind,
    webhook: Option<&str>,
    recipient: Option<&str>,
    now: NaiveDateTime,
    give_up_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(deliveries::table)
        .values((
            deliveries::id.eq(ids::new_id()),
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

/// Writes one `action_plan.due` event per plan that is not done and whose due date has come
/// (`due_on <= today`, UTC), once per plan and due date (the event's `dedup_key`). Returns how
/// many events it wrote.
pub fn scan_due_plans(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<usize> {
    conn.transaction(|conn| {
        sirr_store::lock_for_write(conn)?;
        let plans: Vec<(String, String, String, NaiveDate)> = action_items::table
            .filter(action_items::status.ne(ActionStatus::Done))
            .filter(action_items::due_on.le(today))
            .select((
                action_items::id,
                action_items::branch_id,
                action_items::period,
                action_items::due_on,
            ))
            .load(conn)?;
        if plans.is_empty() {
            return Ok(0);
        }
        let keys: Vec<String> = plans.iter().map(|p| due_key(&p.0, p.3)).collect();
        let known: std::collections::HashSet<String> = events::table
            .filter(events::dedup_key.eq_any(&keys))
            .select(events::dedup_key.assume_not_null())
            .load::<String>(conn)?
            .into_iter()
            .collect();
        let mut written = 0;
        for ((id, branch, period, due_on), key) in plans.iter().zip(keys) {
            if known.contains(&key) {
                continue;
            }
            let data = serde_json::json!({
                "action_id": id, "branch_id": branch, "period": period,
                "due_on": due_on.to_string()
            });
            if emit_once(conn, EventType::ActionPlanDue, &data, &key)? {
                written += 1;
            }
        }
        Ok(written)
    })
}

/// Writes an event under a `dedup_key` unless one with that key exists; `true` when written.
/// Another process may write the same key meanwhile: the unique key refuses the second, in a
/// savepoint of its own, so the caller's transaction goes on.
fn emit_once(
    conn: &mut DbConnection,
    kind: EventType,
    data: &Value,
    key: &str,
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
                events::id.eq(format!("evt_{}", ids::new_id())),
                events::event_type.eq(kind.as_str()),
                events::occurred_at.eq(db::now()),
                events::data.eq(data.to_string()),
                events::dedup_key.eq(key),
                events::fanned_out.eq(false),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The e-mail digests, written at most once each (their `dedup_key`), whichever process scans:
/// `review.backlog` once a UTC day while a submitted visit has waited longer than `backlog_after`
/// for review, and `report.ready` for the month before `now` once `now` has reached day
/// `ready_day` of its month, when that month has approved visits. Returns how many it wrote.
pub fn scan_digests(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    backlog_after: chrono::Duration,
    ready_day: u32,
) -> QueryResult<usize> {
    use chrono::Datelike;
    use sirr_store::schema::visits;
    conn.transaction(|conn| {
        sirr_store::lock_for_write(conn)?;
        let mut written = 0;
        let waiting: Vec<NaiveDateTime> = visits::table
            .filter(visits::status.eq(AssignmentStatus::Submitted))
            .select(visits::submitted_at.assume_not_null())
            .filter(visits::submitted_at.is_not_null())
            .load(conn)?;
        let overdue = waiting
            .iter()
            .filter(|t| **t <= now - backlog_after)
            .count();
        if overdue > 0 {
            let oldest = waiting.iter().min().copied().unwrap_or(now);
            let data = serde_json::json!({
                "waiting": waiting.len(),
                "overdue": overdue,
                "oldest_submitted_at": oldest.and_utc().to_rfc3339(),
                "after_h": backlog_after.num_hours(),
            });
            let key = format!("review.backlog:{}", now.date());
            written += usize::from(emit_once(conn, EventType::ReviewBacklog, &data, &key)?);
        }
        if now.day() >= ready_day {
            let first = now.date().with_day(1).unwrap_or(now.date());
            let last_month = first - chrono::Duration::days(1);
            let period = last_month.format("%Y-%m").to_string();
            // The period of a visit is its own local date (SPEC §9.14), written first in the text.
            let approved: i64 = visits::table
                .filter(visits::status.eq(AssignmentStatus::Approved))
                .filter(visits::checked_in_at.like(format!("{period}-%")))
                .count()
                .get_result(conn)?;
            if approved > 0 {
                let data = serde_json::json!({ "period": period, "visits": approved });
                let key = format!("report.ready:{period}");
                written += usize::from(emit_once(conn, EventType::ReportReady, &data, &key)?);
            }
        }
        Ok(written)
    })
}

fn due_key(action_id: &str, due_on: NaiveDate) -> String {
    format!("action_plan.due:{action_id}:{due_on}")
}

/// A claimed delivery as read, before the claim token is attached.
#[derive(Queryable)]
struct ClaimedRow {
    id: String,
    kind: DeliveryKind,
    recipient_id: Option<String>,
    attempts: i32,
    give_up_at: NaiveDateTime,
    event_id: String,
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
    pub id: String,
    /// This claim's token: the result is recorded only while the claim is still ours.
    pub claim: String,
    /// Webhook or e-mail.
    pub kind: DeliveryKind,
    /// The recipient (e-mail).
    pub recipient_id: Option<String>,
    /// Attempts before this one.
    pub attempts: i32,
    /// When retrying stops.
    pub give_up_at: NaiveDateTime,
    /// The event id (`webhook-id`).
    pub event_id: String,
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

impl Claimed {
    /// The webhook body: `{"id", "type", "timestamp", "data"}`, the same bytes on every attempt.
    pub fn body(&self) -> String {
        let data: Value = serde_json::from_str(&self.data).unwrap_or(Value::Null);
        serde_json::json!({
            "id": self.event_id,
            "type": self.event_type,
            "timestamp": sirr_store::rfc3339(self.occurred_at),
            "data": data,
        })
        .to_string()
    }
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
        let now = db::now();
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
        let ids: Vec<String> = match conn {
            DbConnection::Postgresql(pg) => due.for_update().skip_locked().load(pg)?,
            DbConnection::Sqlite(_) => {
                sirr_store::lock_for_write(conn)?;
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
        sirr_store::lock_for_write(conn)?;
        let now = db::now();
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
    pub id: String,
    /// Receiver URL.
    pub url: String,
    /// Subscribed event types.
    pub events: Vec<String>,
    /// The secret as given.
    pub secret: String,
    /// When it was registered.
    pub created_at: NaiveDateTime,
}

/// Registers a webhook (checked by the caller).
pub fn create_webhook(
    conn: &mut DbConnection,
    actor: &str,
    url: &str,
    types: &[String],
    secret: &str,
) -> QueryResult<Webhook> {
    let id = ids::new_id();
    let now = db::now();
    diesel::insert_into(webhooks::table)
        .values((
            webhooks::id.eq(&id),
            webhooks::url.eq(url),
            webhooks::events.eq(serde_json::json!(types).to_string()),
            webhooks::secret.eq(secret),
            webhooks::created_by.eq(actor),
            webhooks::created_at.eq(now),
        ))
        .execute(conn)?;
    crate::audit::record(
        conn,
        Some(actor),
        "create",
        "webhook",
        &id,
        serde_json::json!({"url": url, "events": types}),
    )?;
    Ok(Webhook {
        id,
        url: url.to_owned(),
        events: types.to_vec(),
        secret: secret.to_owned(),
        created_at: now,
    })
}

/// Every webhook, oldest first.
pub fn list_webhooks(conn: &mut DbConnection) -> QueryResult<Vec<Webhook>> {
    let rows: Vec<(String, String, String, String, NaiveDateTime)> = webhooks::table
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

/// Removes a webhook and its pending deliveries; `false` when there is none.
pub fn delete_webhook(conn: &mut DbConnection, actor: &str, id: &str) -> QueryResult<bool> {
    diesel::delete(deliveries::table.filter(deliveries::webhook_id.eq(id))).execute(conn)?;
    let gone = diesel::delete(webhooks::table.find(id)).execute(conn)? > 0;
    if gone {
        crate::audit::record(conn, Some(actor), "delete", "webhook", id, Value::Null)?;
    }
    Ok(gone)
}

/// One delivery of the log, with its attempts.
#[derive(Debug, Clone)]
pub struct LoggedDelivery {
    /// Delivery id.
    pub id: String,
    /// The event id (`webhook-id`).
    pub event_id: String,
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
    id: String,
    event_id: String,
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
    delivery_id: String,
    attempted_at: NaiveDateTime,
    status_code: Option<i32>,
    error: Option<String>,
    duration_ms: i64,
}

/// A webhook's deliveries, newest first, at most `limit`, optionally of one status.
pub fn deliveries_of(
    conn: &mut DbConnection,
    webhook: &str,
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
    let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
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

/// Queues a delivery of `webhook` again, now, with a fresh retry window (the same event id and
/// body); `false` when the webhook has no such delivery.
pub fn redeliver(
    conn: &mut DbConnection,
    actor: &str,
    webhook: &str,
    delivery: &str,
    window: chrono::Duration,
) -> QueryResult<bool> {
    let now = db::now();
    let changed = diesel::update(
        deliveries::table
            .filter(deliveries::id.eq(delivery))
            .filter(deliveries::webhook_id.eq(webhook)),
    )
    .set((
        deliveries::status.eq(DeliveryStatus::Pending),
        deliveries::next_attempt_at.eq(now),
        deliveries::give_up_at.eq(now + window),
        deliveries::claim.eq(None::<String>),
        deliveries::claimed_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    if changed > 0 {
        crate::audit::record(
            conn,
            Some(actor),
            "redeliver",
            "webhook_delivery",
            delivery,
            serde_json::json!({"webhook_id": webhook}),
        )?;
    }
    Ok(changed > 0)
}
