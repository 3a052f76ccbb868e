//! Personal access tokens (SPEC §10.34): shown once, stored hashed, accepted as a bearer token
//! and as the password of HTTP Basic with the owner's e-mail, with the owner's role and scopes;
//! revoked tokens stop at once.

use base64::Engine as _;
use diesel::prelude::*;
use serde_json::json;
use sha2::Digest;
use sirr_server::auth::{Role, ScopeKind};
use sirr_store::schema::access_tokens;

use crate::helpers::{ADMIN_EMAIL, spawn_app};

fn basic(email: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{email}:{secret}"))
    )
}

#[test]
fn tokens_are_shown_once_stored_hashed_and_revocable() {
    let app = spawn_app();
    let admin = app.admin();
    let (status, made) = app.post(
        "/api/v1/me/tokens",
        Some(&admin),
        &json!({"name": "Power BI"}),
    );
    assert_eq!(status, 201, "{made}");
    let token = made["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("sirr_pat_") && token.len() > 60);
    assert_eq!(made["name"], "Power BI");

    // Listed without the secret; stored as its SHA-256 only.
    let (status, list) = app.get("/api/v1/me/tokens", Some(&admin));
    assert_eq!(status, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(!list.to_string().contains(&token));
    assert!(list[0]["revoked_at"].is_null());
    let stored: Vec<String> = access_tokens::table
        .select(access_tokens::token_hash)
        .load(&mut app.db())
        .unwrap();
    let hash: String = sha2::Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(stored, vec![hash]);

    // Accepted as Bearer and as the password of Basic with the owner's e-mail (any case).
    let (status, me) = app.get("/api/v1/me", Some(&token));
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["role"], "admin");
    let (status, me) =
        app.get_with_authorization("/api/v1/me", &basic(&ADMIN_EMAIL.to_uppercase(), &token));
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["email"], ADMIN_EMAIL);
    // Another e-mail, the account password, or a made-up token: 401.
    for auth in [
        basic("someone@else.sirr", &token),
        basic(ADMIN_EMAIL, crate::helpers::PASSWORD),
        basic(ADMIN_EMAIL, "sirr_pat_0000"),
        "Bearer sirr_pat_0000".to_owned(),
        "Basic !!!".to_owned(),
    ] {
        let (status, body) = app.get_with_authorization("/api/v1/me", &auth);
        assert_eq!(status, 401, "{auth}: {body}");
    }

    // Someone else cannot see or revoke it.
    let other = app.add_user("qa2@test.sirr", Role::Qa, &[]);
    let qa = app.token("qa2@test.sirr");
    assert_eq!(app.get("/api/v1/me/tokens", Some(&qa)).1, json!([]));
    let id = made["id"].as_str().unwrap();
    assert_eq!(
        app.delete(&format!("/api/v1/me/tokens/{id}"), Some(&qa)).0,
        404
    );
    assert!(!other.is_empty());

    // Revoked: 401 at once, both ways; the list says when.
    assert_eq!(
        app.delete(&format!("/api/v1/me/tokens/{id}"), Some(&admin))
            .0,
        204
    );
    assert_eq!(app.get("/api/v1/me", Some(&token)).0, 401);
    assert_eq!(
        app.get_with_authorization("/api/v1/me", &basic(ADMIN_EMAIL, &token))
            .0,
        401
    );
    let (_, list) = app.get("/api/v1/me/tokens", Some(&admin));
    assert!(list[0]["revoked_at"].is_string());

    // A name is required.
    let (status, body) = app.post("/api/v1/me/tokens", Some(&admin), &json!({"name": " "}));
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["details"][0]["path"], "/name");
}

#[test]
fn a_token_acts_with_its_owners_role_and_scopes() {
    let app = spawn_app();
    let admin = app.admin();
    let region = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let mine = app.branch(&admin, "RUH-001", &region);
    let other = app.branch(&admin, "RUH-002", &region);
    app.add_user("m@test.sirr", Role::Manager, &[(ScopeKind::Branch, &mine)]);
    let manager = app.token("m@test.sirr");
    let (_, made) = app.post(
        "/api/v1/me/tokens",
        Some(&manager),
        &json!({"name": "excel"}),
    );
    let token = made["token"].as_str().unwrap();
    let auth = basic("m@test.sirr", token);
    assert_eq!(
        app.get_with_authorization(&format!("/api/v1/branches/{mine}"), &auth)
            .0,
        200
    );
    assert_eq!(
        app.get_with_authorization(&format!("/api/v1/branches/{other}"), &auth)
            .0,
        404
    );
    assert_eq!(
        app.get_with_authorization(
            &format!("/api/v1/exports/visits.csv?branch_id={other}"),
            &auth
        )
        .0,
        404
    );
    // A manager's token cannot do what a manager cannot.
    let (status, _) = app.get_with_authorization("/api/v1/audit", &auth);
    assert_eq!(status, 403);
    // A shopper's token: 403 on exports.
    app.add_user("s@test.sirr", Role::Shopper, &[]);
    let shopper = app.token("s@test.sirr");
    let (_, made) = app.post("/api/v1/me/tokens", Some(&shopper), &json!({"name": "x"}));
    let auth = format!("Bearer {}", made["token"].as_str().unwrap());
    assert_eq!(
        app.get_with_authorization("/api/v1/exports/visits.csv", &auth)
            .0,
        403
    );
}
