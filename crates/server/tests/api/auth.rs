//! Login, refresh rotation with reuse detection, logout, throttling, /me.

use jsonwebtoken::Algorithm;
use serde_json::{Value, json};
use sirr_server::auth::{Role, ScopeKind};

use crate::helpers::{ADMIN_EMAIL, PASSWORD, TestApp, spawn_app, spawn_with};

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

// ---- forged and damaged access tokens -------------------------------------------------------

/// base64url without padding, as in JWT segments.
fn b64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// The inverse of [`b64url`].
fn un_b64url(text: &str) -> Vec<u8> {
    let sextet = |c: u8| match c {
        b'A'..=b'Z' => u32::from(c - b'A'),
        b'a'..=b'z' => u32::from(c - b'a') + 26,
        b'0'..=b'9' => u32::from(c - b'0') + 52,
        b'-' => 62,
        b'_' => 63,
        other => panic!("not base64url: {other}"),
    };
    let mut out = Vec::new();
    for chunk in text.as_bytes().chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0, |n, (i, &c)| n | (sextet(c) << (18 - 6 * i)));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

/// Claims as the server writes them, for `sub` with `role`, valid from now for `ttl` seconds
/// (negative: expired that long ago).
fn claims(sub: &str, role: &str, ttl: i64) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({"sub": sub, "role": role, "scopes": [], "iat": now - 900, "exp": now + ttl})
}

fn sign(alg: Algorithm, key: &[u8], claims: &Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(alg),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(key),
    )
    .unwrap()
}

/// Asserts a 401 with the error envelope, for `GET /api/v1/me` and the admin-only user list.
fn assert_refused(app: &TestApp, token: &str, why: &str) -> Value {
    let mut first = Value::Null;
    for path in ["/api/v1/me", "/api/v1/users"] {
        let (status, body) = app.get(path, Some(token));
        assert_eq!(status, 401, "{why}: GET {path} answered {body}");
        assert_eq!(body["error"]["code"], "unauthorized", "{why}: {body}");
        assert!(body["error"]["message"].is_string(), "{why}: {body}");
        assert!(body["error"]["details"].is_array(), "{why}: {body}");
        if first.is_null() {
            first = body;
        }
    }
    first
}

/// The same claims signed the server's way are accepted: what the forgeries change is what
/// gets them refused.
fn assert_control_accepted(app: &TestApp, key: &[u8], id: &str) {
    let genuine = sign(Algorithm::HS256, key, &claims(id, "admin", 600));
    let (status, body) = app.get("/api/v1/users", Some(&genuine));
    assert_eq!(status, 200, "control token refused: {body}");
}

#[test]
fn base64url_round_trips() {
    for text in ["", "a", "ab", "abc", "abcd", "{\"alg\":\"HS256\"}", "ü?>~"] {
        assert_eq!(un_b64url(&b64url(text.as_bytes())), text.as_bytes());
    }
    assert_eq!(b64url(b"\xfb\xff"), "-_8");
}

#[test]
fn expired_access_tokens_are_refused() {
    let app = spawn_app();
    let id = app.add_user("admin2@test.sirr", Role::Admin, &[]);
    let key = app.signing_key();
    assert_control_accepted(&app, &key, &id);

    // Past the server's 5 s leeway.
    let expired = sign(Algorithm::HS256, &key, &claims(&id, "admin", -60));
    let body = assert_refused(&app, &expired, "expired a minute ago");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{body}"
    );
}

#[test]
fn access_tokens_stop_working_after_their_ttl() {
    let app = spawn_with(|s| s.auth.access_token_ttl_s = std::time::Duration::from_secs(1));
    let (status, body) = app.login(ADMIN_EMAIL, PASSWORD);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["expires_in"], 1);
    let token = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/v1/me", Some(&token)).0, 200);
    // One second of life plus the server's five seconds of leeway for clock skew.
    std::thread::sleep(std::time::Duration::from_millis(7_200));
    assert_refused(&app, &token, "a token past its TTL");
    // The refresh token still gets a new one.
    let refresh = body["refresh_token"].as_str().unwrap();
    let (status, renewed) = app.post(
        "/api/v1/auth/refresh",
        None,
        &json!({"refresh_token": refresh}),
    );
    assert_eq!(status, 200, "{renewed}");
    assert_eq!(
        app.get("/api/v1/me", renewed["access_token"].as_str()).0,
        200
    );
}

#[test]
fn a_tampered_payload_is_refused() {
    let app = spawn_app();
    app.add_user("shopper@test.sirr", Role::Shopper, &[]);
    let token = app.token("shopper@test.sirr");
    assert_eq!(app.get("/api/v1/me", Some(&token)).0, 200);
    assert_eq!(app.get("/api/v1/users", Some(&token)).0, 403);

    // Upgrade the role to admin, keep header and signature.
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let mut payload: Value = serde_json::from_slice(&un_b64url(parts[1])).unwrap();
    assert_eq!(payload["role"], "shopper");
    payload["role"] = json!("admin");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64url(payload.to_string().as_bytes()),
        parts[2]
    );
    assert_refused(&app, &forged, "role upgraded to admin");

    // Extending the expiry is tampering too.
    let mut payload: Value = serde_json::from_slice(&un_b64url(parts[1])).unwrap();
    payload["exp"] = json!(payload["exp"].as_i64().unwrap() + 86_400);
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64url(payload.to_string().as_bytes()),
        parts[2]
    );
    assert_refused(&app, &forged, "expiry extended");

    // A flipped signature byte.
    let mut signature = un_b64url(parts[2]);
    signature[0] ^= 1;
    let forged = format!("{}.{}.{}", parts[0], parts[1], b64url(&signature));
    assert_refused(&app, &forged, "signature changed");
}

#[test]
fn a_token_signed_with_another_key_is_refused() {
    let app = spawn_app();
    let id = app.add_user("admin2@test.sirr", Role::Admin, &[]);
    let key = app.signing_key();
    assert_control_accepted(&app, &key, &id);
    let mut other = key.clone();
    other[0] ^= 1;
    let forged = sign(Algorithm::HS256, &other, &claims(&id, "admin", 600));
    assert_refused(&app, &forged, "signed with another key");
    let forged = sign(
        Algorithm::HS256,
        b"a-key-an-attacker-might-guess-32-bytes",
        &claims(&id, "admin", 600),
    );
    assert_refused(&app, &forged, "signed with a guessed key");
}

#[test]
fn a_token_without_an_expiry_is_refused() {
    let app = spawn_app();
    let id = app.add_user("admin2@test.sirr", Role::Admin, &[]);
    let key = app.signing_key();
    assert_control_accepted(&app, &key, &id);
    let mut forever = claims(&id, "admin", 600);
    forever.as_object_mut().unwrap().remove("exp");
    let forged = sign(Algorithm::HS256, &key, &forever);
    assert_refused(&app, &forged, "no exp claim");
}

#[test]
fn the_none_algorithm_is_refused() {
    let app = spawn_app();
    let id = app.add_user("admin2@test.sirr", Role::Admin, &[]);
    assert_control_accepted(&app, &app.signing_key(), &id);
    let payload = b64url(claims(&id, "admin", 600).to_string().as_bytes());
    let real = app.admin();
    let real_signature = real.rsplit('.').next().unwrap();
    for alg in ["none", "None", "NONE", "nOnE"] {
        let header = b64url(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#).as_bytes());
        for token in [
            format!("{header}.{payload}."),
            format!("{header}.{payload}"),
            format!("{header}.{payload}.{real_signature}"),
        ] {
            assert_refused(&app, &token, &format!("alg {alg}: {token}"));
        }
    }
}

#[test]
fn another_hmac_algorithm_with_the_right_key_is_refused() {
    let app = spawn_app();
    let id = app.add_user("admin2@test.sirr", Role::Admin, &[]);
    let key = app.signing_key();
    assert_control_accepted(&app, &key, &id);
    for alg in [Algorithm::HS384, Algorithm::HS512] {
        let forged = sign(alg, &key, &claims(&id, "admin", 600));
        assert_refused(&app, &forged, &format!("{alg:?} with the server's key"));
    }
}

#[test]
fn garbage_tokens_are_refused() {
    let app = spawn_app();
    let real = app.admin();
    let header = real.split('.').next().unwrap();
    let long = "x".repeat(8_000);
    let garbage = [
        "garbage",
        "not.a.token",
        "..",
        "a.b.c.d",
        "eyJhbGciOiJIUzI1NiJ9.e30",
        "eyJ.eyJ.eyJ",
        long.as_str(),
        &format!("{header}.{}.", b64url(b"not json")),
        &format!("{header}.{}.", b64url(b"[1, 2, 3]")),
        &format!("{real}x"),
        &format!("{real}.{real}"),
    ];
    for token in garbage {
        assert_refused(&app, token, &format!("garbage {:.40}", token));
    }
    // A token in the wrong scheme, or with none at all.
    for header in [
        format!("Basic {real}"),
        format!("bearer{real}"),
        real.clone(),
    ] {
        let (status, body) = app.get_with_authorization("/api/v1/me", &header);
        assert_eq!(status, 401, "Authorization: {header:.40}: {body}");
        assert_eq!(body["error"]["code"], "unauthorized");
    }
}
