//! `/api/v1/webhooks` (admins): registering receivers of domain events, their delivery log and
//! manual redelivery (SPEC §10.36, §10.46; delivery itself is [`crate::events`]). The secret is
//! shown once, in the answer to the registration; afterwards only its last four characters.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, Detail, ErrorEnvelope};
use super::types::{detail, time};
use crate::auth::{AuthUser, roles};
use crate::events::store::{self, LoggedDelivery};
use crate::events::{EventType, sign, webhook};
use crate::startup::AppState;
use sirr_store::status::DeliveryStatus;

super::routes! {
    handlers: [list, create, delete, deliveries, redeliver],
    schemas: [NewWebhook, Webhook, Delivery, DeliveryAttempt],
}

/// Most event types one webhook may name (there are nine).
const MAX_TYPES: usize = 20;
/// Most deliveries listed at once.
const MAX_LIST: i64 = 1000;

/// A receiver to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Where events are POSTed: `http://` or `https://`, at most 2000 characters.
    #[schema(example = "https://hooks.example.org/sirr")]
    pub url: String,
    /// The event types it receives (`visit.submitted`, …; SPEC §10.36).
    pub events: Vec<String>,
    /// The signing secret: `whsec_<base64>` (decoded: 16–64 bytes) or any text of 16–200 bytes.
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub secret: String,
}

/// A registered webhook.
#[derive(Debug, Serialize, ToSchema)]
pub struct Webhook {
    /// Id.
    pub id: String,
    /// Receiver URL.
    pub url: String,
    /// Event types it receives.
    pub events: Vec<String>,
    /// The secret: in full only in the answer to the registration, masked (`whsec_…LaSw`) after.
    pub secret: String,
    /// When it was registered.
    pub created_at: String,
}

/// One attempt of a delivery.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryAttempt {
    /// When it was made (`webhook-timestamp`).
    pub at: String,
    /// The receiver's HTTP status, when it answered.
    pub status_code: Option<i32>,
    /// Why it failed.
    pub error: Option<String>,
    /// How long it took.
    pub duration_ms: i64,
}

/// One event's delivery to the webhook.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    /// Delivery id (for redelivery).
    pub id: String,
    /// The event id: the `webhook-id` header, the same on every attempt.
    pub event_id: String,
    /// The event type.
    pub event_type: String,
    /// Pending, delivered or failed (retried for 24 hours without success).
    pub status: DeliveryStatus,
    /// Attempts so far.
    pub attempts: i32,
    /// When the next attempt is due (pending deliveries).
    pub next_attempt_at: Option<String>,
    /// When the receiver took it.
    pub delivered_at: Option<String>,
    /// The last HTTP status.
    pub last_status: Option<i32>,
    /// The last error.
    pub last_error: Option<String>,
    /// When the delivery was queued.
    pub created_at: String,
    /// Every attempt, oldest first.
    pub log: Vec<DeliveryAttempt>,
}

fn view(w: store::Webhook, reveal: bool) -> Webhook {
    Webhook {
        secret: if reveal {
            w.secret
        } else {
            sign::masked(&w.secret)
        },
        id: w.id.into(),
        url: w.url,
        events: w.events,
        created_at: time(w.created_at),
    }
}

fn delivery_view(d: LoggedDelivery) -> Delivery {
    Delivery {
        next_attempt_at: (d.status == DeliveryStatus::Pending).then(|| time(d.next_attempt_at)),
        delivered_at: d.delivered_at.map(time),
        log: d
            .log
            .into_iter()
            .map(|(at, status_code, error, duration_ms)| DeliveryAttempt {
                at: time(at),
                status_code,
                error,
                duration_ms,
            })
            .collect(),
        id: d.id.into(),
        event_id: d.event_id.into(),
        event_type: d.event_type,
        status: d.status,
        attempts: d.attempts,
        last_status: d.last_status,
        last_error: d.last_error,
        created_at: time(d.created_at),
    }
}

/// Checks a registration; the event types come back without duplicates, in the SPEC's order.
fn check(body: &NewWebhook) -> Result<Vec<String>, ApiError> {
    let mut problems: Vec<Detail> = Vec::new();
    if let Err(problem) = webhook::check_url(body.url.trim()) {
        problems.push(detail("/url", problem));
    }
    if body.events.is_empty() {
        problems.push(detail("/events", crate::msg!("webhook-events-none")));
    }
    if body.events.len() > MAX_TYPES {
        problems.push(detail(
            "/events",
            crate::msg!("webhook-events-too-many", max = MAX_TYPES),
        ));
    }
    let mut kinds = Vec::new();
    for (i, name) in body.events.iter().enumerate() {
        // Mail-only types (a review backlog, reports ready) are not webhook events.
        match EventType::parse(name).filter(|k| EventType::ALL.contains(k)) {
            Some(kind) => kinds.push(kind),
            None => problems.push(detail(
                &format!("/events/{i}"),
                crate::msg!(
                    "webhook-event-unknown",
                    values = EventType::ALL.map(EventType::as_str).join(", ")
                ),
            )),
        }
    }
    if let Err(problem) = sign::key_of(&body.secret) {
        problems.push(detail("/secret", problem));
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(
            crate::msg!("webhook-not-valid"),
            problems,
        ));
    }
    Ok(EventType::ALL
        .into_iter()
        .filter(|k| kinds.contains(k))
        .map(|k| k.as_str().to_owned())
        .collect())
}

/// Every webhook (admins), oldest first; secrets masked.
#[utoipa::path(operation_id = "list_webhooks", get, path = "/api/v1/webhooks", tag = "events", security(("bearer" = [])),
    responses((status = 200, description = "The webhooks", body = [Webhook]),
              (status = 403, description = "Not an admin", body = ErrorEnvelope)))]
pub async fn list(state: web::Data<AppState>, user: AuthUser) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let hooks = state.db(|conn| Ok(store::list_webhooks(conn)?)).await?;
    Ok(HttpResponse::Ok().json(
        hooks
            .into_iter()
            .map(|w| view(w, false))
            .collect::<Vec<_>>(),
    ))
}

/// Register a webhook (admins): events of the named types are POSTed to the URL from now on,
/// signed per Standard Webhooks with the secret (SPEC §10.36).
#[utoipa::path(operation_id = "create_webhook", post, path = "/api/v1/webhooks", tag = "events", security(("bearer" = [])),
    request_body = NewWebhook,
    responses((status = 201, description = "Registered; the only answer that shows the secret", body = Webhook),
              (status = 403, description = "Not an admin", body = ErrorEnvelope),
              (status = 422, description = "A bad URL, an unknown event type or an unusable secret", body = ErrorEnvelope)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<NewWebhook>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let body = body.into_inner();
    let types = check(&body)?;
    let created = state
        .db_write(move |conn| {
            Ok(store::create_webhook(
                conn,
                &user.id,
                body.url.trim(),
                &types,
                &body.secret,
            )?)
        })
        .await?;
    Ok(HttpResponse::Created().json(view(created, true)))
}

/// Remove a webhook (admins): nothing more is sent to it, pending deliveries included.
#[utoipa::path(operation_id = "delete_webhook", delete, path = "/api/v1/webhooks/{id}", tag = "events", security(("bearer" = [])),
    params(("id" = String, Path, description = "Webhook id")),
    responses((status = 204, description = "Removed"),
              (status = 403, description = "Not an admin", body = ErrorEnvelope),
              (status = 404, description = "No such webhook", body = ErrorEnvelope)))]
pub async fn delete(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let id = id.into_inner();
    let gone = state
        .db_write(move |conn| Ok(store::delete_webhook(conn, &user.id, &id)?))
        .await?;
    if !gone {
        return Err(ApiError::NotFound("webhook"));
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Which deliveries to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeliveryQuery {
    /// Only deliveries in this state: `pending`, `delivered`, `failed`.
    pub status: Option<String>,
    /// At most this many, newest first (default and maximum 1000).
    pub limit: Option<i64>,
}

/// A webhook's delivery log (admins), newest first, with every attempt.
#[utoipa::path(operation_id = "list_webhook_deliveries", get, path = "/api/v1/webhooks/{id}/deliveries", tag = "events", security(("bearer" = [])),
    params(("id" = String, Path, description = "Webhook id"), DeliveryQuery),
    responses((status = 200, description = "The deliveries", body = [Delivery]),
              (status = 400, description = "Unknown status or bad limit", body = ErrorEnvelope),
              (status = 403, description = "Not an admin", body = ErrorEnvelope),
              (status = 404, description = "No such webhook", body = ErrorEnvelope)))]
pub async fn deliveries(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<String>,
    q: web::Query<DeliveryQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let id = id.into_inner();
    let q = q.into_inner();
    // A webhook's deliveries are never skipped (only letters are): it is not a filter.
    const LISTED: [DeliveryStatus; 3] = [
        DeliveryStatus::Pending,
        DeliveryStatus::Delivered,
        DeliveryStatus::Failed,
    ];
    let status = match q.status.as_deref() {
        None => None,
        Some(s) => Some(
            LISTED
                .into_iter()
                .find(|listed| listed.as_str() == s)
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "status",
                        crate::msg!(
                            "one-of",
                            values = LISTED.map(DeliveryStatus::as_str).join(", ")
                        ),
                    )
                })?,
        ),
    };
    let limit = q.limit.unwrap_or(MAX_LIST);
    if !(1..=MAX_LIST).contains(&limit) {
        return Err(ApiError::bad_request(
            "limit",
            crate::msg!("between", min = 1, max = MAX_LIST),
        ));
    }
    let log = state
        .db(move |conn| {
            let known = store::list_webhooks(conn)?.iter().any(|w| w.id == id);
            if !known {
                return Err(ApiError::NotFound("webhook"));
            }
            Ok(store::deliveries_of(
                conn,
                &id.as_str().into(),
                status,
                limit,
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(log.into_iter().map(delivery_view).collect::<Vec<_>>()))
}

/// Send a delivery again now (admins): the same event id and body, a fresh 24-hour retry
/// window — for a receiver that lost or refused an event, or one that failed for a day.
#[utoipa::path(operation_id = "redeliver_webhook_delivery", post, path = "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver", tag = "events", security(("bearer" = [])),
    params(("id" = String, Path, description = "Webhook id"),
           ("delivery_id" = String, Path, description = "Delivery id")),
    responses((status = 202, description = "Queued; the dispatcher sends it shortly"),
              (status = 403, description = "Not an admin", body = ErrorEnvelope),
              (status = 404, description = "No such delivery of this webhook", body = ErrorEnvelope)))]
pub async fn redeliver(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    user.require(roles::ADMINS)?;
    let (id, delivery) = path.into_inner();
    let window = crate::config::span(state.settings.events.retry_window_s);
    let queued = state
        .db_write(move |conn| Ok(store::redeliver(conn, &user.id, &id, &delivery, window)?))
        .await?;
    if !queued {
        return Err(ApiError::NotFound("delivery"));
    }
    Ok(HttpResponse::Accepted().finish())
}
