//! One input policy for both backends: text that either database would refuse or store
//! differently never reaches a handler. NUL characters (PostgreSQL's text cannot hold them,
//! SQLite stores them) and percent-encodings that are not UTF-8 are refused with 400 and a
//! message naming where, in the path, the query string and every string (and key) of a JSON
//! body — the same on SQLite and PostgreSQL. Wrapped around the whole application in
//! [`crate::startup`], so no handler has to remember it.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web;
use serde_json::Value;

use super::error::ApiError;
use crate::startup::AppState;

/// Percent-decodes `text` (and `+` as a space in a query); `None` when the result is not UTF-8.
fn decode(text: &str, plus: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' if plus => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn text_problem(where_: &str, decoded: Option<String>) -> Option<ApiError> {
    match decoded {
        None => Some(ApiError::bad_request(where_, crate::msg!("utf8-required"))),
        Some(t) if t.contains('\0') => {
            Some(ApiError::bad_request(where_, crate::msg!("nul-character")))
        }
        Some(_) => None,
    }
}

fn uri_problem(req: &ServiceRequest) -> Option<ApiError> {
    if let Some(p) = text_problem("path", decode(req.path(), false)) {
        return Some(p);
    }
    for pair in req.query_string().split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let shown = decode(name, true).unwrap_or_else(|| "query".to_owned());
        let shown = if shown.contains('\0') {
            "query".to_owned()
        } else {
            shown
        };
        if let Some(p) = text_problem(&shown, decode(name, true))
            .or_else(|| text_problem(&shown, decode(value, true)))
        {
            return Some(p);
        }
    }
    None
}

/// The JSON pointer of the first string or key holding a NUL.
fn nul_in(value: &Value, path: &mut String) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().enumerate().any(|(i, v)| {
            let len = path.len();
            path.push_str(&format!("/{i}"));
            let found = nul_in(v, path);
            if !found {
                path.truncate(len);
            }
            found
        }),
        Value::Object(map) => map.iter().any(|(k, v)| {
            let len = path.len();
            path.push('/');
            path.push_str(
                &k.replace('~', "~0")
                    .replace('/', "~1")
                    .replace('\0', "\\u0000"),
            );
            let found = k.contains('\0') || nul_in(v, path);
            if !found {
                path.truncate(len);
            }
            found
        }),
        _ => false,
    }
}

fn is_json(req: &ServiceRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("json"))
}

/// The middleware: refuses invalid text before any handler runs.
pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if let Some(problem) = uri_problem(&req) {
        return Ok(req.error_response(problem));
    }
    if is_json(&req) {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map_or(1 << 20, |s| s.settings.server.json_limit);
        let payload = req.extract::<web::Payload>().await?;
        let body = match payload.to_bytes_limited(limit).await {
            Ok(Ok(body)) => body,
            Ok(Err(e)) => {
                return Ok(req.error_response(ApiError::bad_request(
                    "body",
                    crate::msg!("body-unreadable", problem = e.to_string()),
                )));
            }
            Err(_) => {
                return Ok(req.error_response(super::error::json_error(
                    actix_web::error::JsonPayloadError::Overflow { limit },
                )));
            }
        };
        if let Ok(value) = serde_json::from_slice::<Value>(&body) {
            // Every JSON body of the API is an object; serde would read `[null, null]` as a
            // struct of two absent fields. Checklist documents are the exception: their
            // handlers validate any JSON and answer 422 with every problem's path.
            if !value.is_object() && !req.path().starts_with("/api/v1/checklists") {
                return Ok(req.error_response(ApiError::bad_request(
                    "body",
                    crate::msg!("expected-json-object"),
                )));
            }
            let mut path = String::new();
            if nul_in(&value, &mut path) {
                let at = if path.is_empty() {
                    "body".to_owned()
                } else {
                    path
                };
                return Ok(
                    req.error_response(ApiError::bad_request(&at, crate::msg!("nul-character")))
                );
            }
        }
        req.set_payload(actix_web::dev::Payload::from(body));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_finds_nul_and_non_utf8() {
        assert_eq!(decode("a%00b", false).as_deref(), Some("a\0b"));
        assert_eq!(decode("%FF", false), None);
        assert_eq!(decode("a+b%2", true).as_deref(), Some("a b%2"));
        let mut path = String::new();
        assert!(nul_in(
            &serde_json::json!({"a": [1, {"b": "x\u{0}"}]}),
            &mut path
        ));
        assert_eq!(path, "/a/1/b");
    }
}
