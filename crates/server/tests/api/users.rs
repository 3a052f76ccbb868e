//! Users and role assignment: creation, validation, role and scope changes that end sessions,
//! deactivation, password resets, and that only admins — never managers — see users.

use diesel::prelude::*;
use serde_json::{Value, json};
use sirr_server::auth::{Role, ScopeKind};
use sirr_store::schema::teams;
use sirr_store::{self as db, ids};

use crate::helpers::{ADMIN_EMAIL, PASSWORD, TestApp, spawn_app};

/// Creates a user through the API and returns the 201 body.
fn create(app: &TestApp, admin: &str, body: Value) -> Value {
    let (status, created) = app.post("/api/v1/users", Some(admin), &body);
    assert_eq!(status, 201, "{created}");
    created
}

/// Signs in and returns (access token, refresh token).
fn sign_in(app: &TestApp, email: &str, password: &str) -> (String, String) {
    let (status, body) = app.login(email, password);
    assert_eq!(status, 200, "{body}");
    (
        body["access_token"].as_str().unwrap().to_owned(),
        body["refresh_token"].as_str().unwrap().to_owned(),
    )
}

fn refresh(app: &TestApp, token: &str) -> (u16, Value) {
    app.post(
        "/api/v1/auth/refresh",
        None,
        &json!({"refresh_token": token}),
    )
}

fn paths(body: &Value) -> Vec<String> {
    body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_owned())
        .collect()
}

/// Adds a team straight to the database (the teams API has its own tests); returns its id.
fn insert_team(app: &TestApp, branch_id: &str) -> String {
    let mut conn = db::Manager::new(&app.database_url, std::time::Duration::from_secs(5))
        .open()
        .unwrap();
    let id = ids::new_id();
    let now = db::now();
    diesel::insert_into(teams::table)
        .values((
            teams::id.eq(&id),
            teams::branch_id.eq(branch_id),
            teams::code.eq("FLOOR"),
            teams::names.eq(r#"{"en": "Floor", "ar": "الصالة"}"#),
            teams::created_at.eq(now),
            teams::updated_at.eq(now),
        ))
        .execute(&mut conn)
        .unwrap();
    id
}

fn id_of(body: &Value) -> String {
    body["id"].as_str().unwrap().to_owned()
}

#[test]
fn admin_creates_a_user_with_an_arabic_name_and_a_generated_password() {
    let app = spawn_app();
    let admin = app.admin();
    let created = create(
        &app,
        &admin,
        json!({"email": "  Sara.Q@Example.COM ", "name": " سارة القحطاني ", "role": "shopper"}),
    );
    assert_eq!(
        created["email"], "sara.q@example.com",
        "trimmed, lower case"
    );
    assert_eq!(created["name"], "سارة القحطاني");
    assert_eq!(created["role"], "shopper");
    assert_eq!(created["active"], true);
    assert_eq!(created["scopes"], json!([]));
    assert!(created["created_at"].as_str().unwrap().ends_with('Z'));
    let generated = created["password"].as_str().unwrap().to_owned();
    assert_eq!(generated.len(), 20);
    assert!(created.get("password_hash").is_none());

    // The generated password signs in (under any case of the email).
    let (token, _) = sign_in(&app, "SARA.Q@example.com", &generated);
    let (_, me) = app.get("/api/v1/me", Some(&token));
    assert_eq!(me["name"], "سارة القحطاني");
    assert_eq!(me["role"], "shopper");

    // Read back: never a password or its hash.
    let id = id_of(&created);
    let (status, one) = app.get(&format!("/api/v1/users/{id}"), Some(&admin));
    assert_eq!(status, 200, "{one}");
    assert_eq!(one["email"], "sara.q@example.com");
    assert!(one.get("password").is_none() && one.get("password_hash").is_none());
    let keys: Vec<&String> = one.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "email",
            "name",
            "role",
            "active",
            "invitation_pending",
            "scopes",
            "created_at",
            "updated_at"
        ]
    );

    // A given password is used and not echoed.
    let qa = create(
        &app,
        &admin,
        json!({"email": "a.qa@test.sirr", "name": "QA", "role": "qa", "password": "long-enough-1"}),
    );
    assert!(qa.get("password").is_none(), "{qa}");
    sign_in(&app, "a.qa@test.sirr", "long-enough-1");

    // The list is sorted by email and filters by role.
    let (status, all) = app.get("/api/v1/users", Some(&admin));
    assert_eq!(status, 200);
    let emails: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        emails,
        ["a.qa@test.sirr", ADMIN_EMAIL, "sara.q@example.com"]
    );
    assert!(!all.to_string().contains("argon2"), "no hashes in the list");
    let (_, shoppers) = app.get("/api/v1/users?role=shopper", Some(&admin));
    assert_eq!(shoppers.as_array().unwrap().len(), 1);
    assert_eq!(shoppers[0]["id"], id.as_str());
    let (status, body) = app.get("/api/v1/users?role=owner", Some(&admin));
    assert_eq!(status, 400, "{body}");
    assert_eq!(app.get("/api/v1/users/no-such-user", Some(&admin)).0, 404);
}

#[test]
fn invalid_users_list_every_problem_with_its_path() {
    let app = spawn_app();
    let admin = app.admin();
    let (status, body) = app.post(
        "/api/v1/users",
        Some(&admin),
        &json!({"email": "not an address", "name": "  ", "role": "shopper",
                "password": "short", "scopes": [{"kind": "region", "id": "x"}]}),
    );
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "validation_failed");
    assert_eq!(paths(&body), ["/email", "/name", "/password", "/scopes"]);

    for email in [
        "no-at-sign",
        "two@@test.sirr",
        "@test.sirr",
        "a@nodot",
        "a b@test.sirr",
    ] {
        let (status, body) = app.post(
            "/api/v1/users",
            Some(&admin),
            &json!({"email": email, "name": "X", "role": "qa"}),
        );
        assert_eq!(status, 422, "{email}: {body}");
        assert_eq!(paths(&body), ["/email"], "{email}");
    }

    // Scopes must name existing targets of their kind.
    let region = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let (status, body) = app.post(
        "/api/v1/users",
        Some(&admin),
        &json!({"email": "m@test.sirr", "name": "M", "role": "manager",
                "scopes": [{"kind": "branch", "id": region}, {"kind": "region", "id": region},
                           {"kind": "team", "id": "nope"}]}),
    );
    assert_eq!(status, 422, "{body}");
    let details = &body["error"]["details"];
    assert_eq!(
        details,
        &json!([{"path": "/scopes/0/id", "problem": "no such branch"},
                {"path": "/scopes/2/id", "problem": "no such team"}])
    );

    // Unknown roles, scope kinds and fields are malformed requests.
    for bad in [
        json!({"email": "x@test.sirr", "name": "X", "role": "owner"}),
        json!({"email": "x@test.sirr", "name": "X", "role": "manager",
               "scopes": [{"kind": "city", "id": region}]}),
        json!({"email": "x@test.sirr", "name": "X", "role": "qa", "is_admin": true}),
    ] {
        let (status, body) = app.post("/api/v1/users", Some(&admin), &bad);
        assert_eq!(status, 400, "{bad}: {body}");
    }
    // Nothing was created along the way.
    let (_, all) = app.get("/api/v1/users", Some(&admin));
    assert_eq!(all.as_array().unwrap().len(), 1);
}

#[test]
fn a_taken_email_conflicts_whatever_its_case() {
    let app = spawn_app();
    let admin = app.admin();
    create(
        &app,
        &admin,
        json!({"email": "dup@test.sirr", "name": "One", "role": "qa"}),
    );
    let (status, body) = app.post(
        "/api/v1/users",
        Some(&admin),
        &json!({"email": "DUP@test.sirr", "name": "Two", "role": "shopper"}),
    );
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "conflict");
    let (status, _) = app.post(
        "/api/v1/users",
        Some(&admin),
        &json!({"email": ADMIN_EMAIL, "name": "Admin again", "role": "admin"}),
    );
    assert_eq!(status, 409);
}

#[test]
fn manager_scopes_are_validated_stored_and_shown_in_me() {
    let app = spawn_app();
    let admin = app.admin();
    let ruh = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let jed = app.region(&admin, "JED", "Jeddah", "جدة");
    let jed1 = app.branch(&admin, "JED-001", &jed);
    let team = insert_team(&app, &jed1);
    let created = create(
        &app,
        &admin,
        json!({"email": "manager@test.sirr", "name": "مدير", "role": "manager",
               "password": PASSWORD,
               "scopes": [{"kind": "team", "id": team}, {"kind": "region", "id": ruh},
                          {"kind": "branch", "id": jed1}, {"kind": "region", "id": ruh}]}),
    );
    let expected = json!([{"kind": "region", "id": ruh}, {"kind": "branch", "id": jed1},
                          {"kind": "team", "id": team}]);
    assert_eq!(created["scopes"], expected, "sorted, without repeats");
    let id = id_of(&created);
    let (_, one) = app.get(&format!("/api/v1/users/{id}"), Some(&admin));
    assert_eq!(one["scopes"], expected);
    let (_, managers) = app.get("/api/v1/users?role=manager", Some(&admin));
    assert_eq!(managers[0]["scopes"], expected);

    let token = app.token("manager@test.sirr");
    let (_, me) = app.get("/api/v1/me", Some(&token));
    assert_eq!(me["role"], "manager");
    assert_eq!(me["scopes"], expected);
    // The scopes are in force: the region's branches and the scoped branch are visible.
    let (_, visible) = app.get("/api/v1/branches", Some(&token));
    assert_eq!(visible.as_array().unwrap().len(), 1);
    assert_eq!(visible[0]["id"], jed1.as_str());

    // PATCH validates the same way.
    let (status, body) = app.patch(
        &format!("/api/v1/users/{id}"),
        Some(&admin),
        &json!({"scopes": [{"kind": "region", "id": ruh}, {"kind": "branch", "id": "gone"}]}),
    );
    assert_eq!(status, 422, "{body}");
    assert_eq!(paths(&body), ["/scopes/1/id"]);
    let (status, body) = app.patch(
        &format!("/api/v1/users/{id}"),
        Some(&admin),
        &json!({"role": "qa", "scopes": [{"kind": "region", "id": ruh}]}),
    );
    assert_eq!(status, 422, "{body}");
    assert_eq!(paths(&body), ["/scopes"]);
    let (_, unchanged) = app.get(&format!("/api/v1/users/{id}"), Some(&admin));
    assert_eq!(unchanged["role"], "manager");
    assert_eq!(unchanged["scopes"], expected);
}

#[test]
fn a_new_role_or_new_scopes_end_the_users_sessions() {
    let app = spawn_app();
    let admin = app.admin();
    let ruh = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let jed = app.region(&admin, "JED", "Jeddah", "جدة");
    let id = app.add_user(
        "manager@test.sirr",
        Role::Manager,
        &[(ScopeKind::Region, &ruh)],
    );
    let url = format!("/api/v1/users/{id}");

    // A new name leaves sessions alone.
    let (_, r1) = sign_in(&app, "manager@test.sirr", PASSWORD);
    let (status, body) = app.patch(&url, Some(&admin), &json!({"name": "Noura"}));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "Noura");
    assert_eq!(body["scopes"], json!([{"kind": "region", "id": ruh}]));
    let (status, rotated) = refresh(&app, &r1);
    assert_eq!(status, 200, "{rotated}");
    let r2 = rotated["refresh_token"].as_str().unwrap().to_owned();

    // New scopes revoke the refresh token; signing in again gives the new scopes.
    let (status, body) = app.patch(
        &url,
        Some(&admin),
        &json!({"scopes": [{"kind": "region", "id": jed}]}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scopes"], json!([{"kind": "region", "id": jed}]));
    assert_eq!(refresh(&app, &r2).0, 401);
    let (token, r3) = sign_in(&app, "manager@test.sirr", PASSWORD);
    let (_, me) = app.get("/api/v1/me", Some(&token));
    assert_eq!(me["scopes"], json!([{"kind": "region", "id": jed}]));

    // Setting the same scopes again changes nothing and ends nothing.
    let (status, _) = app.patch(
        &url,
        Some(&admin),
        &json!({"scopes": [{"kind": "region", "id": jed}], "active": true}),
    );
    assert_eq!(status, 200);
    let (status, rotated) = refresh(&app, &r3);
    assert_eq!(status, 200, "{rotated}");
    let r4 = rotated["refresh_token"].as_str().unwrap().to_owned();

    // A new role revokes too; leaving the manager role drops the scopes.
    let (status, body) = app.patch(&url, Some(&admin), &json!({"role": "qa"}));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["role"], "qa");
    assert_eq!(body["scopes"], json!([]));
    assert_eq!(refresh(&app, &r4).0, 401);
    let (token, _) = sign_in(&app, "manager@test.sirr", PASSWORD);
    let (_, me) = app.get("/api/v1/me", Some(&token));
    assert_eq!(
        (me["role"].as_str(), &me["scopes"]),
        (Some("qa"), &json!([]))
    );

    assert_eq!(
        app.patch(
            "/api/v1/users/no-such-user",
            Some(&admin),
            &json!({"name": "X"})
        )
        .0,
        404
    );
    let (status, body) = app.patch(&url, Some(&admin), &json!({"name": ""}));
    assert_eq!((status, paths(&body)), (422, vec!["/name".to_owned()]));
    let (status, body) = app.patch(&url, Some(&admin), &json!({"email": "not an address"}));
    assert_eq!((status, paths(&body)), (422, vec!["/email".to_owned()]));
    let (status, body) = app.patch(&url, Some(&admin), &json!({"id": "x"}));
    assert_eq!(status, 400, "unknown fields are refused: {body}");
}

#[test]
fn an_admin_mends_a_users_email_and_the_user_signs_in_with_the_new_one() {
    let app = spawn_app();
    let admin = app.admin();
    let id = app.add_user("typo@test.sirr", Role::Qa, &[]);
    app.add_user("taken@test.sirr", Role::Qa, &[]);
    let url = format!("/api/v1/users/{id}");
    // Someone else's address, whatever its case: 409, and nothing changes.
    let (status, body) = app.patch(
        &url,
        Some(&admin),
        &json!({"email": "Taken@Test.sirr", "name": "Renamed"}),
    );
    assert_eq!(status, 409, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("taken@test.sirr"),
        "{body}"
    );
    let (_, same) = app.get(&url, Some(&admin));
    assert_eq!(
        (&same["email"], &same["name"]),
        (&json!("typo@test.sirr"), &json!("typo@test.sirr"))
    );
    // Mended: trimmed and lower-cased; the old address no longer signs in, the new one does.
    let (status, body) = app.patch(&url, Some(&admin), &json!({"email": "  Fixed@Test.sirr "}));
    assert_eq!(
        (status, &body["email"]),
        (200, &json!("fixed@test.sirr")),
        "{body}"
    );
    assert_eq!(app.login("typo@test.sirr", PASSWORD).0, 401);
    assert_eq!(app.login("fixed@test.sirr", PASSWORD).0, 200);
    // Its own address again is no change and no conflict; the audit log has the change.
    let (status, _) = app.patch(&url, Some(&admin), &json!({"email": "fixed@test.sirr"}));
    assert_eq!(status, 200);
    let details: Vec<String> = sirr_store::schema::audit_log::table
        .filter(sirr_store::schema::audit_log::entity_id.eq(&id))
        .filter(sirr_store::schema::audit_log::action.eq("update"))
        .select(sirr_store::schema::audit_log::details)
        .load(&mut app.db())
        .unwrap();
    let changed: Vec<Value> = details
        .iter()
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    assert!(
        changed
            .iter()
            .any(|d| d["email"] == json!({"from": "typo@test.sirr", "to": "fixed@test.sirr"})),
        "{changed:?}"
    );
    // The first admin mends their own address too.
    let me: String = sirr_store::schema::users::table
        .filter(sirr_store::schema::users::email.eq(ADMIN_EMAIL))
        .select(sirr_store::schema::users::id)
        .first(&mut app.db())
        .unwrap();
    let (status, body) = app.patch(
        &format!("/api/v1/users/{me}"),
        Some(&admin),
        &json!({"email": "root@test.sirr"}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.login("root@test.sirr", PASSWORD).0, 200);
}

#[test]
fn a_deactivated_user_can_neither_sign_in_nor_refresh() {
    let app = spawn_app();
    let admin = app.admin();
    let id = app.add_user("shopper@test.sirr", Role::Shopper, &[]);
    let (_, refresh_token) = sign_in(&app, "shopper@test.sirr", PASSWORD);
    let url = format!("/api/v1/users/{id}");
    let (status, body) = app.patch(&url, Some(&admin), &json!({"active": false}));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["active"], false);
    assert_eq!(refresh(&app, &refresh_token).0, 401);
    assert_eq!(app.login("shopper@test.sirr", PASSWORD).0, 401);

    // Reactivated, they sign in again (old sessions stay ended).
    let (status, body) = app.patch(&url, Some(&admin), &json!({"active": true}));
    assert_eq!((status, &body["active"]), (200, &json!(true)));
    sign_in(&app, "shopper@test.sirr", PASSWORD);
    assert_eq!(refresh(&app, &refresh_token).0, 401);
}

#[test]
fn admins_cannot_deactivate_or_demote_themselves_or_the_last_admin() {
    let app = spawn_app();
    let admin = app.admin();
    let (_, me) = app.get("/api/v1/me", Some(&admin));
    let my_url = format!("/api/v1/users/{}", me["id"].as_str().unwrap());
    for change in [
        json!({"active": false}),
        json!({"role": "qa"}),
        json!({"role": "manager", "scopes": []}),
    ] {
        let (status, body) = app.patch(&my_url, Some(&admin), &change);
        assert_eq!(status, 409, "{change}: {body}");
        assert_eq!(body["error"]["code"], "conflict");
    }
    // Harmless changes to oneself are fine.
    let (status, body) = app.patch(
        &my_url,
        Some(&admin),
        &json!({"name": "المدير العام", "role": "admin", "active": true}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "المدير العام");
    sign_in(&app, ADMIN_EMAIL, PASSWORD);

    // Another admin may be demoted by this one ...
    let second = create(
        &app,
        &admin,
        json!({"email": "second@test.sirr", "name": "Second", "role": "admin", "password": PASSWORD}),
    );
    let second_token = app.token("second@test.sirr");
    let second_url = format!("/api/v1/users/{}", id_of(&second));
    let (status, body) = app.patch(&second_url, Some(&admin), &json!({"active": false}));
    assert_eq!(status, 200, "{body}");
    // ... but the deactivated admin's still-valid access token cannot take out the last one.
    let (status, body) = app.patch(&my_url, Some(&second_token), &json!({"active": false}));
    assert_eq!(status, 409, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("last active admin")
    );
    let (_, me) = app.get(&my_url, Some(&admin));
    assert_eq!(
        (me["role"].as_str(), &me["active"]),
        (Some("admin"), &json!(true))
    );
}

#[test]
fn password_reset_sets_or_generates_and_ends_sessions() {
    let app = spawn_app();
    let admin = app.admin();
    let id = app.add_user("qa@test.sirr", Role::Qa, &[]);
    let url = format!("/api/v1/users/{id}/password");
    let (_, old_refresh) = sign_in(&app, "qa@test.sirr", PASSWORD);

    let (status, body) = app.post(&url, Some(&admin), &json!({"password": "brand-new-pass"}));
    assert_eq!(status, 204, "{body}");
    assert_eq!(body, Value::Null, "a given password is not echoed");
    assert_eq!(refresh(&app, &old_refresh).0, 401);
    assert_eq!(app.login("qa@test.sirr", PASSWORD).0, 401);
    let (_, new_refresh) = sign_in(&app, "qa@test.sirr", "brand-new-pass");

    let (status, body) = app.post(&url, Some(&admin), &json!({}));
    assert_eq!(status, 200, "{body}");
    let generated = body["password"].as_str().unwrap().to_owned();
    assert_eq!(body.as_object().unwrap().len(), 1);
    assert_eq!(refresh(&app, &new_refresh).0, 401);
    assert_eq!(app.login("qa@test.sirr", "brand-new-pass").0, 401);
    sign_in(&app, "qa@test.sirr", &generated);

    let (status, body) = app.post(&url, Some(&admin), &json!({"password": "short"}));
    assert_eq!(status, 422, "{body}");
    assert_eq!(paths(&body), ["/password"]);
    sign_in(&app, "qa@test.sirr", &generated);
    assert_eq!(
        app.post(
            "/api/v1/users/no-such-user/password",
            Some(&admin),
            &json!({})
        )
        .0,
        404
    );
}

#[test]
fn only_admins_manage_users() {
    let app = spawn_app();
    let admin = app.admin();
    let region = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let target = app.add_user("target@test.sirr", Role::Qa, &[]);
    app.add_user("qa@test.sirr", Role::Qa, &[]);
    app.add_user(
        "manager@test.sirr",
        Role::Manager,
        &[(ScopeKind::Region, &region)],
    );
    app.add_user("shopper@test.sirr", Role::Shopper, &[]);
    for email in ["qa@test.sirr", "manager@test.sirr", "shopper@test.sirr"] {
        let token = app.token(email);
        let (_, me) = app.get("/api/v1/me", Some(&token));
        let own = format!("/api/v1/users/{}", me["id"].as_str().unwrap());
        let replies = [
            app.get("/api/v1/users", Some(&token)),
            app.get(&format!("/api/v1/users/{target}"), Some(&token)),
            app.get(&own, Some(&token)),
            app.post(
                "/api/v1/users",
                Some(&token),
                &json!({"email": "new@test.sirr", "name": "New", "role": "admin",
                        "password": PASSWORD}),
            ),
            app.patch(&own, Some(&token), &json!({"role": "admin"})),
            app.patch(
                &format!("/api/v1/users/{target}"),
                Some(&token),
                &json!({"active": false}),
            ),
            app.post(
                &format!("/api/v1/users/{target}/password"),
                Some(&token),
                &json!({"password": "taken-over-1"}),
            ),
        ];
        for (i, (status, body)) in replies.iter().enumerate() {
            assert_eq!(*status, 403, "{email}, request {i}: {body}");
            assert_eq!(body["error"]["code"], "forbidden");
        }
        let (_, me) = app.get("/api/v1/me", Some(&token));
        assert_ne!(me["role"], "admin", "{email} did not promote themself");
    }
    assert_eq!(app.get("/api/v1/users", None).0, 401);
    assert_eq!(
        app.post(
            "/api/v1/users",
            None,
            &json!({"email": "x@test.sirr", "name": "X", "role": "admin"})
        )
        .0,
        401
    );
    // Nothing changed: no new user, the target is untouched and keeps its password.
    let (_, all) = app.get("/api/v1/users", Some(&admin));
    assert_eq!(all.as_array().unwrap().len(), 5);
    assert_eq!(app.login("target@test.sirr", "taken-over-1").0, 401);
    sign_in(&app, "target@test.sirr", PASSWORD);
}

#[test]
fn managers_never_obtain_a_shoppers_identity() {
    let app = spawn_app();
    let admin = app.admin();
    let region = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let branch = app.branch(&admin, "RUH-001", &region);
    let shopper = create(
        &app,
        &admin,
        json!({"email": "hidden.shopper@test.sirr", "name": "ريم السرية", "role": "shopper"}),
    );
    let shopper_id = id_of(&shopper);
    for (email, scope) in [
        ("region.manager@test.sirr", (ScopeKind::Region, &region)),
        ("branch.manager@test.sirr", (ScopeKind::Branch, &branch)),
    ] {
        app.add_user(email, Role::Manager, &[(scope.0, scope.1.as_str())]);
        let token = app.token(email);
        let replies = [
            app.get("/api/v1/users", Some(&token)),
            app.get("/api/v1/users?role=shopper", Some(&token)),
            app.get(&format!("/api/v1/users/{shopper_id}"), Some(&token)),
            app.patch(
                &format!("/api/v1/users/{shopper_id}"),
                Some(&token),
                &json!({}),
            ),
            app.patch(
                &format!("/api/v1/users/{shopper_id}"),
                Some(&token),
                &json!({"name": "renamed"}),
            ),
            app.post(
                &format!("/api/v1/users/{shopper_id}/password"),
                Some(&token),
                &json!({}),
            ),
            // A duplicate-email probe must not reveal that the address exists either.
            app.post(
                "/api/v1/users",
                Some(&token),
                &json!({"email": "hidden.shopper@test.sirr", "name": "X", "role": "shopper"}),
            ),
        ];
        for (i, (status, body)) in replies.iter().enumerate() {
            assert_eq!(*status, 403, "{email}, request {i}: {body}");
            let text = body.to_string();
            for secret in ["hidden.shopper", "ريم", "السرية", shopper_id.as_str()] {
                assert!(
                    !text.contains(secret),
                    "{email}, request {i} leaks {secret}: {text}"
                );
            }
        }
    }
    // The shopper is untouched.
    let (_, one) = app.get(&format!("/api/v1/users/{shopper_id}"), Some(&admin));
    assert_eq!(one["name"], "ريم السرية");
    sign_in(
        &app,
        "hidden.shopper@test.sirr",
        shopper["password"].as_str().unwrap(),
    );
}

#[test]
fn openapi_lists_the_user_operations() {
    let app = spawn_app();
    let (status, doc) = app.get("/api/v1/openapi.json", None);
    assert_eq!(status, 200);
    for (path, method, operation) in [
        ("/api/v1/users", "get", "list_users"),
        ("/api/v1/users", "post", "create_user"),
        ("/api/v1/users/{id}", "get", "get_user"),
        ("/api/v1/users/{id}", "patch", "update_user"),
        ("/api/v1/users/{id}/password", "post", "set_user_password"),
    ] {
        let op = &doc["paths"][path][method];
        assert_eq!(op["operationId"], operation, "{method} {path}: {op}");
        assert_eq!(op["tags"], json!(["users"]));
        assert!(
            op["security"].is_array(),
            "{method} {path} needs a bearer token"
        );
    }
    let schemas = &doc["components"]["schemas"];
    for schema in [
        "User",
        "CreatedUser",
        "NewUser",
        "UserPatch",
        "PasswordRequest",
    ] {
        assert!(schemas[schema].is_object(), "{schema} missing");
    }
    let fields: Vec<&String> = schemas["User"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert!(
        !fields.iter().any(|f| f.contains("password")),
        "the user schema has no password field: {fields:?}"
    );
}
