//! Login, refresh rotation with reuse detection, logout, throttling, /me.

use serde_json::json;
use sirr_server::auth::{Role, ScopeKind};

use crate::helpers::{ADMIN_EMAIL, PASSWORD, spawn_app, spawn_with};

#[test]
fn login_returns_tokens_and_me_describes_the_user() {
    let app = spawn_app();
    let (status, body) = app.login("  Admin@Test.SIRR ", PASSWORD);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert!(body["refresh_token"].as_str().unwrap().len() >= 64);
    let token = body["access_token"].as_str().unwrap();
    let (status, me) = app.get("/api/v1/me", Some(token));
    assert_eq!(status, 200);
    assert_eq!(me["email"], ADMIN_EMAIL);
    assert_eq!(me["role"], "admin");
    assert_eq!(me["scopes"], json!([]));
    assert!(me["id"].is_string());

    let (status, body) = app.get("/api/v1/me", None);
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "unauthorized");
    assert_eq!(app.get("/api/v1/me", Some("not.a.token")).0, 401);
}

#[test]
fn wrong_passwords_and_unknown_emails_look_alike() {
    let app = spawn_app();
    let (a, body_a) = app.login(ADMIN_EMAIL, "wrong-password");
    let (b, body_b) = app.login("nobody@test.sirr", "wrong-password");
    assert_eq!((a, b), (401, 401));
    assert_eq!(body_a, body_b);
}

#[test]
fn manager_scopes_appear_in_me() {
    let app = spawn_app();
    let admin = app.admin();
    let region = app.region(&admin, "RUH", "Riyadh", "الرياض");
    app.add_user(
        "manager@test.sirr",
        Role::Manager,
        &[(ScopeKind::Region, &region)],
    );
    let token = app.token("manager@test.sirr");
    let (_, me) = app.get("/api/v1/me", Some(&token));
    assert_eq!(me["role"], "manager");
    assert_eq!(me["scopes"], json!([{"kind": "region", "id": region}]));
}

#[test]
fn refresh_rotates_and_a_replay_revokes_the_family() {
    let app = spawn_app();
    let (_, first) = app.login(ADMIN_EMAIL, PASSWORD);
    let r1 = first["refresh_token"].as_str().unwrap().to_owned();
    let (status, second) = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": r1}));
    assert_eq!(status, 200, "{second}");
    let r2 = second["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(r1, r2);
    assert_eq!(
        app.get("/api/v1/me", second["access_token"].as_str()).0,
        200
    );

    // Replaying r1 (as a thief would) ends the whole sign-in, r2 included.
    let (status, body) = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": r1}));
    assert_eq!(status, 401);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already used")
    );
    let (status, _) = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": r2}));
    assert_eq!(status, 401);

    // Another sign-in is unaffected, until it logs out.
    let (_, other) = app.login(ADMIN_EMAIL, PASSWORD);
    let r3 = other["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.post("/api/v1/auth/logout", None, &json!({"refresh_token": r3}))
            .0,
        204
    );
    assert_eq!(
        app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": r3}))
            .0,
        401
    );
    assert_eq!(
        app.post(
            "/api/v1/auth/refresh",
            None,
            &json!({"refresh_token": "nonsense"})
        )
        .0,
        401
    );
}

#[test]
fn repeated_failures_are_throttled_per_account() {
    let app = spawn_with(|s| s.auth.max_failures_per_account = 3);
    for _ in 0..3 {
        assert_eq!(app.login(ADMIN_EMAIL, "wrong-password").0, 401);
    }
    let (status, body) = app.login(ADMIN_EMAIL, PASSWORD);
    assert_eq!(status, 429, "even the right password waits: {body}");
    assert_eq!(body["error"]["code"], "too_many_requests");
    // Other accounts are not locked out by it.
    app.add_user("qa@test.sirr", Role::Qa, &[]);
    assert_eq!(app.login("qa@test.sirr", PASSWORD).0, 200);
}

#[test]
fn repeated_failures_are_throttled_per_address() {
    let app = spawn_with(|s| s.auth.max_failures_per_address = 4);
    for i in 0..4 {
        assert_eq!(
            app.login(&format!("guess{i}@test.sirr"), "wrong-password")
                .0,
            401
        );
    }
    assert_eq!(app.login(ADMIN_EMAIL, PASSWORD).0, 429);
}
