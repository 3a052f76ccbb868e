//! The outbox's rules over the store's statements ([`sirr_store::outbox`]): fanning events out
//! to deliveries (who gets a letter is [`super::mail::recipients`]), the periodic
//! `action_plan.due` scan and the e-mail digests, and the webhook registry's audited changes.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::Value;

use super::EventType;
use sirr_store::ids::{EventId, UserId, WebhookId};
use sirr_store::status::DeliveryKind;
use sirr_store::{self as db, DbConnection, outbox};

pub use sirr_store::outbox::{
    Attempt, Claimed, LoggedDelivery, Webhook, claim, deliveries_of, has_work, insert_event,
    list_webhooks, record,
};

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
        let rows = outbox::claim_new_events(conn, FAN_OUT_BATCH)?;
        if rows.is_empty() {
            return Ok(0);
        }
        let hooks = outbox::subscriptions(conn)?;
        let now = db::now();
        for event in &rows {
            let give_up_at = event.occurred_at.max(now) + window;
            for (hook, types) in &hooks {
                if types.contains(&event.event_type) {
                    outbox::insert_delivery(
                        conn,
                        &event.id,
                        DeliveryKind::Webhook,
                        Some(hook),
                        None,
                        now,
                        give_up_at,
                    )?;
                }
            }
            if let (true, Some(kind)) = (mail, EventType::parse(&event.event_type)) {
                let data: Value = serde_json::from_str(&event.data).unwrap_or(Value::Null);
                for user in super::mail::recipients(conn, kind, &data)? {
                    let user = UserId::from(user);
                    if outbox::takes_mail(conn, &user)? {
                        outbox::insert_delivery(
                            conn,
                            &event.id,
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
        let ids: Vec<&EventId> = rows.iter().map(|r| &r.id).collect();
        outbox::mark_fanned_out(conn, &ids)?;
        Ok(rows.len())
    })
}

/// Writes one `action_plan.due` event per plan that is not done and whose due date has come
/// (`due_on <= today`, UTC), once per plan and due date (the event's `dedup_key`). Returns how
/// many events it wrote.
pub fn scan_due_plans(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<usize> {
    conn.transaction(|conn| {
        db::lock_for_write(conn)?;
        let plans = db::action_items::due_undone(conn, today)?;
        if plans.is_empty() {
            return Ok(0);
        }
        let keys: Vec<String> = plans.iter().map(|p| due_key(&p.0, p.3)).collect();
        let known = outbox::known_dedup_keys(conn, &keys)?;
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
fn emit_once(
    conn: &mut DbConnection,
    kind: EventType,
    data: &Value,
    key: &str,
) -> QueryResult<bool> {
    outbox::insert_event_once(conn, kind.as_str(), &data.to_string(), key, db::now())
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
    conn.transaction(|conn| {
        db::lock_for_write(conn)?;
        let mut written = 0;
        let waiting = db::visits::waiting_since(conn)?;
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
            let approved = db::visits::approved_in_month(conn, &period)?;
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

/// The webhook body of a claimed delivery: `{"id", "type", "timestamp", "data"}`, the same bytes
/// on every attempt.
pub fn body(claimed: &Claimed) -> String {
    let data: Value = serde_json::from_str(&claimed.data).unwrap_or(Value::Null);
    serde_json::json!({
        "id": claimed.event_id,
        "type": claimed.event_type,
        "timestamp": sirr_store::rfc3339(claimed.occurred_at),
        "data": data,
    })
    .to_string()
}

/// Registers a webhook (checked by the caller), with its audit entry.
pub fn create_webhook(
    conn: &mut DbConnection,
    actor: &str,
    url: &str,
    types: &[String],
    secret: &str,
) -> QueryResult<Webhook> {
    let id = WebhookId::generate();
    let now = db::now();
    outbox::insert_webhook(conn, &id, url, types, secret, &actor.into(), now)?;
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

/// Removes a webhook and its pending deliveries, with its audit entry; `false` when there is
/// none.
pub fn delete_webhook(conn: &mut DbConnection, actor: &str, id: &str) -> QueryResult<bool> {
    let gone = outbox::delete_webhook(conn, &id.into())?;
    if gone {
        crate::audit::record(conn, Some(actor), "delete", "webhook", id, Value::Null)?;
    }
    Ok(gone)
}

/// Queues a delivery of `webhook` again, now, with a fresh retry window (the same event id and
/// body), with its audit entry; `false` when the webhook has no such delivery.
pub fn redeliver(
    conn: &mut DbConnection,
    actor: &str,
    webhook: &str,
    delivery: &str,
    window: chrono::Duration,
) -> QueryResult<bool> {
    let now = db::now();
    let requeued = outbox::requeue(conn, &webhook.into(), &delivery.into(), now, now + window)?;
    if requeued {
        crate::audit::record(
            conn,
            Some(actor),
            "redeliver",
            "webhook_delivery",
            delivery,
            serde_json::json!({"webhook_id": webhook}),
        )?;
    }
    Ok(requeued)
}
