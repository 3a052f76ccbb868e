//! Health, readiness, and the error envelope for unknown routes and bad bodies.

use serde_json::json;

use crate::helpers::{postgres_url, spawn_app, spawn_with};

#[test]
fn health_and_readiness() {
    let app = spawn_app();
    assert_eq!(app.get("/healthz", None), (200, json!({"status": "ok"})));
    let (status, body) = app.get("/readyz", None);
    assert_eq!(status, 200);
    let backend = if postgres_url().is_some() {
        "postgresql"
    } else {
        "sqlite"
    };
    assert_eq!(body, json!({"status": "ok", "database": backend}));
}

#[test]
fn malformed_and_oversized_bodies_get_the_envelope() {
    let app = spawn_with(|s| s.server.json_limit = 2048);
    let (status, body) = app.post("/api/v1/auth/login", None, &json!({"email": "x"}));
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "bad_request");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("password"),
        "{body}"
    );

    let big = "x".repeat(4096);
    let (status, body) = app.post(
        "/api/v1/auth/login",
        None,
        &json!({"email": big, "password": "y"}),
    );
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"]["code"], "payload_too_large");
}
