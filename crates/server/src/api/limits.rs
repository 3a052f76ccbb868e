//! Limits on what one request may carry (SPEC §10.32, docs/deployment.md "Limits and quotas").
//!
//! - **Free text**: every string a client sends — answers, comments, reasons, notes, names,
//!   titles, checklist texts, ids — holds at most [`MAX_TEXT_CHARS`] characters (Unicode scalar
//!   values). [`check_text`] is the one check; [`json_bodies`] applies it to every string and
//!   object key of every JSON body under `/api/v1`, before any handler runs, so no route can
//!   forget it. Too long → 422 with one detail per text, its `path` the JSON pointer
//!   (`/comments/greeting`, `/answers/notes`, `/names/en`).
//! - **Body size**: a JSON body larger than `server.json_limit` → 413 (here when the length is
//!   declared or the stream runs over, and again in the JSON extractor); attachments have their
//!   own limit (`storage.max_attachment_bytes`, `api/attachments.rs`).
//!
//! Bounding every text bounds the work that follows from it (shaping a comment for the PDF
//! report, scoring, exporting): issue 16, finding 1.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};
use serde_json::Value;

use super::error::{ApiError, Detail};
use crate::startup::AppState;

/// The most characters any one text of a request may hold.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// At most this many details are listed in one refusal.
const MAX_DETAILS: usize = 100;

/// The one length check of a free text: a problem at `path` when `text` is longer than
/// [`MAX_TEXT_CHARS`] characters.
pub fn check_text(path: &str, text: &str, problems: &mut Vec<Detail>) {
    // Bytes bound characters from above: short texts are never counted.
    if text.len() <= MAX_TEXT_CHARS {
        return;
    }
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS && problems.len() < MAX_DETAILS {
        problems.push(Detail {
            path: path.to_owned(),
            problem: crate::msg!("text-too-long", max = MAX_TEXT_CHARS, chars = chars).into(),
        });
    }
}

/// `segment` escaped for a JSON pointer (RFC 6901).
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// [`check_text`] on every string and object key in `value`, located from `path` (a JSON
/// pointer; `""` for the whole document).
pub fn check_json(path: &str, value: &Value, problems: &mut Vec<Detail>) {
    match value {
        Value::String(text) => check_text(path, text, problems),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_json(&format!("{path}/{i}"), item, problems);
            }
        }
        Value::Object(members) => {
            for (key, member) in members {
                if key.len() > MAX_TEXT_CHARS && key.chars().count() > MAX_TEXT_CHARS {
                    // Named by its start: echoing the whole key would echo the flood.
                    let start: String = key.chars().take(32).collect();
                    check_text(&format!("{path}/{}…", escape(&start)), key, problems);
                    continue;
                }
                check_json(&format!("{path}/{}", escape(key)), member, problems);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The 422 for `problems` (not empty).
pub fn too_long(problems: Vec<Detail>) -> ApiError {
    ApiError::invalid(
        crate::msg!(
            "texts-too-long",
            count = problems.len(),
            max = MAX_TEXT_CHARS
        ),
        problems,
    )
}

fn payload_too_large(limit: usize) -> HttpResponse {
    super::error::refusal(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        crate::msg!("body-over-limit", limit = limit).into(),
    )
}

fn is_json(req: &ServiceRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| v == "application/json" || v.ends_with("+json"))
}

/// Middleware on `/api/v1`: JSON bodies over `server.json_limit` get 413, JSON bodies with a
/// text over [`MAX_TEXT_CHARS`] get 422 naming each; anything else (including JSON that does
/// not parse, which the handler's extractor answers with 400) goes on to the handler with the
/// body as it came.
pub async fn json_bodies(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH) || !is_json(&req) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let limit = req
        .app_data::<web::Data<AppState>>()
        .map_or(1 << 20, |s| s.settings.server.json_limit);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Ok(req.into_response(payload_too_large(limit)));
    }
    let payload = req.extract::<web::Payload>().await?;
    let bytes = match payload.to_bytes_limited(limit).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) => return Err(e),
        Err(_) => return Ok(req.into_response(payload_too_large(limit))),
    };
    if let Ok(value) = serde_json::from_slice::<Value>(&bytes) {
        let mut problems = Vec::new();
        check_json("", &value, &mut problems);
        if !problems.is_empty() {
            let response = actix_web::ResponseError::error_response(&too_long(problems));
            return Ok(req.into_response(response));
        }
    }
    req.set_payload(Payload::from(bytes));
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

/// Documents what [`json_bodies`] may answer on every operation that takes a JSON body: 413
/// and 422 (when the operation does not document them already).
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
    let envelope = || Content::new(Some(Ref::from_schema_name("ErrorEnvelope")));
    for item in doc.paths.paths.values_mut() {
        for op in [&mut item.post, &mut item.put, &mut item.patch]
            .into_iter()
            .flatten()
        {
            let json_body = matches!(&op.request_body, Some(RefOr::T(body))
                if body.content.keys().any(|c| c == "application/json"));
            if !json_body {
                continue;
            }
            for (status, description) in [
                ("413", "The body is larger than server.json_limit"),
                (
                    "422",
                    "Invalid content; among others, a text longer than 10,000 characters (each named by its JSON pointer)",
                ),
            ] {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| {
                        RefOr::T(
                            ResponseBuilder::new()
                                .description(description)
                                .content("application/json", envelope())
                                .build(),
                        )
                    });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(value: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        check_json("", value, &mut problems);
        problems.into_iter().map(|d| d.path).collect()
    }

    #[test]
    fn texts_are_counted_in_characters_and_located_by_pointer() {
        let at_limit = "ب".repeat(MAX_TEXT_CHARS);
        let over = "x".repeat(MAX_TEXT_CHARS + 1);
        assert!(paths(&json!({"comments": {"greeting": at_limit}})).is_empty());
        assert_eq!(
            paths(&json!({"comments": {"greeting": over, "ok": "fine"},
                          "answers": {"tags": ["a", over]}, "a/b": over})),
            ["/comments/greeting", "/answers/tags/1", "/a~1b"]
        );
        assert_eq!(
            paths(&json!({over.clone(): 1})),
            [format!("/{}…", &over[..32])]
        );
    }
}
