//! Health, readiness, and the error envelope for unknown routes and bad bodies.

use serde_json::json;

use diesel::prelude::*;
use sirr_store::ids;

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

#[test]
fn lost_postgresql_connections_leave_the_pool() {
    // The pool does not ping a connection on every check-out; a connection found dead after a
    // failed call is dropped instead. Only PostgreSQL connections can be lost like this.
    let Some(base) = postgres_url() else {
        eprintln!("lost_postgresql_connections_leave_the_pool: PostgreSQL only, skipped");
        return;
    };
    let name = format!("sirr_{}", ids::new_id());
    let app = spawn_with(|s| {
        s.database
            .url
            .push_str(&format!("&application_name={name}"))
    });
    for _ in 0..4 {
        assert_eq!(app.get("/readyz", None).0, 200);
    }
    // What a PostgreSQL restart does to every open connection.
    let mut admin = PgConnection::establish(&base).unwrap();
    let killed = diesel::sql_query(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{name}'"
    ))
    .execute(&mut admin)
    .unwrap();
    assert!(killed >= 1, "no connection of the app was found");
    let pool_size = 2; // helpers::test_settings
    let statuses: Vec<u16> = (0..pool_size + 4)
        .map(|_| app.get("/readyz", None).0)
        .collect();
    assert!(
        statuses[pool_size..].iter().all(|s| *s == 200),
        "each lost connection may fail one call, then the pool replaces it: {statuses:?}"
    );
}
