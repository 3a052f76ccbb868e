//! Regression and concurrency tests for issue 16 (findings 2, 3, 4, 6, 7, 8, 9): each failed on the
//! main branch before the fix. They run on SQLite and, with SIRR_TEST_DATABASE_URL, PostgreSQL.

use serde_json::{Value, json};
use sirr_server::auth::{Role, ScopeKind};

use crate::helpers::{PASSWORD, TestApp, spawn_app, spawn_with};

const KEY: &str = "hardening-visit";

fn id_of(body: &Value) -> String {
    body["id"].as_str().unwrap().to_owned()
}

/// A published visit checklist (SPEC §4's example) under `KEY`.
fn publish(app: &TestApp, admin: &str) {
    let path = format!(
        "{}/../../tests/fixtures/checklists/spec-example.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["key"] = json!(KEY);
    doc["version"] = json!(1);
    let (status, body) = app.post("/api/v1/checklists", Some(admin), &doc);
    assert_eq!(status, 201, "{body}");
    let (status, body) = app.post(
        &format!("/api/v1/checklists/{KEY}/versions/1/publish"),
        Some(admin),
        &json!({}),
    );
    assert!((200..300).contains(&status), "{body}");
}

fn assign(app: &TestApp, admin: &str, shopper: &str, branch: &str, team: Option<&str>) -> String {
    let mut body = json!({"shopper_id": shopper, "branch_id": branch,
        "checklist": {"key": KEY, "version": 1},
        "window_start": "2026-10-01T00:00:00+03:00", "window_end": "2026-10-08T00:00:00+03:00"});
    if let Some(team) = team {
        body["team_id"] = json!(team);
    }
    let (status, reply) = app.post("/api/v1/assignments", Some(admin), &body);
    assert_eq!(status, 201, "{reply}");
    id_of(&reply)
}

fn visit() -> Value {
    json!({"answers": {"greeted_30s": "yes", "wait_minutes": 7, "id_checked": "yes",
                       "offered_card": "asked", "card_benefits": 4},
           "comments": {"wait_minutes": "Two counters closed at noon"},
           "checked_in_at": "2026-10-03T14:12:00+03:00",
           "location": {"lat": 24.69, "lon": 46.68}, "duration_s": 1260})
}

fn submit(app: &TestApp, token: &str, assignment: &str, key: &str) -> (u16, Value) {
    app.post_with_headers(
        &format!("/api/v1/assignments/{assignment}/submission"),
        Some(token),
        &[("Idempotency-Key", key)],
        &visit(),
    )
}

fn team(app: &TestApp, admin: &str, branch: &str, code: &str) -> String {
    let (status, body) = app.post(
        "/api/v1/teams",
        Some(admin),
        &json!({"branch_id": branch, "code": code, "names": {"en": "T", "ar": "ت"}}),
    );
    assert_eq!(status, 201, "{body}");
    id_of(&body)
}

/// Finding 2: 40 parallel wrong passwords cost 40 attempts; at most the limit are verified
/// (401), the rest are throttled (429), and the right password is refused afterwards.
#[test]
fn parallel_wrong_passwords_are_throttled() {
    let app = spawn_with(|s| {
        s.auth.max_failures_per_account = 5;
        s.auth.max_failures_per_address = 1000;
        s.server.workers = 4;
    });
    app.add_user("victim@test.sirr", Role::Shopper, &[]);
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..40)
            .map(|_| scope.spawn(|| app.login("victim@test.sirr", "wrong-password-9").0))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let verified = statuses.iter().filter(|s| **s == 401).count();
    assert!(
        verified <= 5,
        "{verified} wrong guesses verified: {statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| matches!(s, 401 | 429)),
        "{statuses:?}"
    );
    assert_eq!(app.login("victim@test.sirr", PASSWORD).0, 429);
}

/// Finding 2, per address: 40 parallel wrong passwords for 40 different accounts from one
/// address cost 40 attempts; at most the address limit are verified, and the address is
/// throttled afterwards even for a right password.
#[test]
fn parallel_wrong_passwords_from_one_address_are_throttled() {
    let app = spawn_with(|s| {
        s.auth.max_failures_per_account = 1000;
        s.auth.max_failures_per_address = 5;
        s.server.workers = 4;
    });
    for n in 0..40 {
        app.add_user(&format!("u{n}@test.sirr"), Role::Shopper, &[]);
    }
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..40)
            .map(|n| {
                let app = &app;
                scope.spawn(move || app.login(&format!("u{n}@test.sirr"), "wrong-password-9").0)
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let verified = statuses.iter().filter(|s| **s == 401).count();
    assert!(
        verified <= 5,
        "{verified} wrong guesses verified: {statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| matches!(s, 401 | 429)),
        "{statuses:?}"
    );
    assert_eq!(app.login("u0@test.sirr", PASSWORD).0, 429);
}

/// Finding 7: one refresh token used by 24 requests at once: one 200, the rest 401 (a replay),
/// never a 500; and the winner's new token is revoked with the family.
#[test]
fn parallel_refreshes_of_one_token() {
    let app = spawn_with(|s| {
        s.server.workers = 4;
        s.database.pool_size = 8;
    });
    app.add_user("phone@test.sirr", Role::Shopper, &[]);
    // Three rounds: the race is not won every time.
    for _ in 0..3 {
        let (status, body) = app.login("phone@test.sirr", PASSWORD);
        assert_eq!(status, 200, "{body}");
        let token = body["refresh_token"].clone();
        let replies: Vec<(u16, Value)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..24)
                .map(|_| {
                    let token = token.clone();
                    let app = &app;
                    scope.spawn(move || {
                        app.post(
                            "/api/v1/auth/refresh",
                            None,
                            &json!({"refresh_token": token}),
                        )
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let ok: Vec<&(u16, Value)> = replies.iter().filter(|r| r.0 == 200).collect();
        assert_eq!(ok.len(), 1, "{replies:?}");
        assert!(
            replies.iter().all(|r| matches!(r.0, 200 | 401)),
            "{replies:?}"
        );
        let (status, _) = app.post(
            "/api/v1/auth/refresh",
            None,
            &json!({"refresh_token": ok[0].1["refresh_token"]}),
        );
        assert_eq!(status, 401, "the family is revoked after the replay");
    }
}

/// Finding 4: the same key and body on another assignment is 409, never A's visit; parallel
/// submissions with one key store one visit.
#[test]
fn idempotency_keys_are_bound_to_the_assignment() {
    let app = spawn_with(|s| s.server.workers = 4);
    let admin = app.admin();
    publish(&app, &admin);
    let region = app.region(&admin, "HR", "Region", "منطقة");
    let branch = app.branch(&admin, "HR-1", &region);
    let shopper = app.add_user("s@test.sirr", Role::Shopper, &[]);
    let token = app.token("s@test.sirr");
    let a = assign(&app, &admin, &shopper, &branch, None);
    let b = assign(&app, &admin, &shopper, &branch, None);
    let replies: Vec<(u16, Value)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6)
            .map(|_| scope.spawn(|| submit(&app, &token, &a, "one-key")))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(replies.iter().all(|r| r.0 == 201), "{replies:?}");
    let first = id_of(&replies[0].1);
    assert!(replies.iter().all(|r| id_of(&r.1) == first), "{replies:?}");
    let (status, body) = submit(&app, &token, &b, "one-key");
    assert_eq!(status, 409, "{body}");
    let (status, body) = submit(&app, &token, &b, "another-key");
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["assignment_id"], json!(b));
}

/// Finding 8: declining another shopper's assignment (with a visit) is 404, not 409.
#[test]
fn declining_another_shoppers_assignment_is_404() {
    let app = spawn_app();
    let admin = app.admin();
    publish(&app, &admin);
    let region = app.region(&admin, "HD", "Region", "منطقة");
    let branch = app.branch(&admin, "HD-1", &region);
    let owner = app.add_user("owner@test.sirr", Role::Shopper, &[]);
    app.add_user("nosy@test.sirr", Role::Shopper, &[]);
    let a = assign(&app, &admin, &owner, &branch, None);
    let (status, body) = submit(&app, &app.token("owner@test.sirr"), &a, "k1");
    assert_eq!(status, 201, "{body}");
    let (status, body) = app.post(
        &format!("/api/v1/assignments/{a}/decline"),
        Some(&app.token("nosy@test.sirr")),
        &json!({"reason": "x"}),
    );
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"]["code"], "not_found");
}

/// Finding 3: a team scope reads its branch's action plan but every write route refuses it
/// (403); it disputes its own team's visits only.
#[test]
fn a_team_scope_reads_its_branch_but_writes_only_its_team() {
    let app = spawn_app();
    let admin = app.admin();
    publish(&app, &admin);
    let region = app.region(&admin, "HT", "Region", "منطقة");
    let branch = app.branch(&admin, "HT-1", &region);
    let mine = team(&app, &admin, &branch, "tellers");
    let theirs = team(&app, &admin, &branch, "loans");
    app.add_user("team@test.sirr", Role::Manager, &[(ScopeKind::Team, &mine)]);
    let manager = app.token("team@test.sirr");
    let shopper = app.add_user("s@test.sirr", Role::Shopper, &[]);
    let shopper_token = app.token("s@test.sirr");
    let qa = admin.clone();
    let action = json!({"period": "2026-10", "action": "Open a second counter",
                        "owner": "Branch manager", "due_on": "2026-11-15"});
    let (status, body) = app.post(
        &format!("/api/v1/branches/{branch}/actions"),
        Some(&admin),
        &action,
    );
    assert_eq!(status, 201, "{body}");
    let action_id = id_of(&body);
    let (status, body) = app.get(
        &format!("/api/v1/branches/{branch}/actions"),
        Some(&manager),
    );
    assert_eq!(status, 200, "reads the branch's plan: {body}");
    let (status, body) = app.post(
        &format!("/api/v1/branches/{branch}/actions"),
        Some(&manager),
        &action,
    );
    assert_eq!(status, 403, "creates: {body}");
    let (status, body) = app.patch(
        &format!("/api/v1/actions/{action_id}"),
        Some(&manager),
        &json!({"status": "done"}),
    );
    assert_eq!(status, 403, "rewrites: {body}");
    let (status, body) = app.delete(&format!("/api/v1/actions/{action_id}"), Some(&manager));
    assert_eq!(status, 403, "deletes: {body}");
    // Disputes: an approved visit of each team.
    let mut visits = Vec::new();
    for (n, team_id) in [&mine, &theirs].into_iter().enumerate() {
        let a = assign(&app, &admin, &shopper, &branch, Some(team_id));
        let (status, body) = submit(&app, &shopper_token, &a, &format!("t{n}"));
        assert_eq!(status, 201, "{body}");
        let visit = id_of(&body);
        let (status, body) = app.post(
            &format!("/api/v1/visits/{visit}/approve"),
            Some(&qa),
            &json!({}),
        );
        assert_eq!(status, 200, "{body}");
        visits.push(visit);
    }
    let dispute = json!({"item_key": "greeted_30s", "reason": "The recording says otherwise"});
    let (status, body) = app.post(
        &format!("/api/v1/visits/{}/disputes", visits[1]),
        Some(&manager),
        &dispute,
    );
    assert_eq!(status, 403, "another team's visit: {body}");
    let (status, body) = app.post(
        &format!("/api/v1/visits/{}/disputes", visits[0]),
        Some(&manager),
        &dispute,
    );
    assert_eq!(status, 201, "its own team's visit: {body}");
}

/// Finding 6: NUL in the login e-mail, a filter, an id or a text is 400 with a message on
/// both backends (PostgreSQL used to answer 500, SQLite stored it).
#[test]
fn nul_characters_are_refused_with_400() {
    let app = spawn_app();
    let admin = app.admin();
    let cases: Vec<(u16, Value)> = vec![
        app.post(
            "/api/v1/auth/login",
            None,
            &json!({"email": "admin\u{0}@test.sirr", "password": PASSWORD}),
        ),
        app.get("/api/v1/branches?region_id=a%00b", Some(&admin)),
        app.get("/api/v1/branches/a%00b", Some(&admin)),
        app.post(
            "/api/v1/regions",
            Some(&admin),
            &json!({"code": "NUL", "names": {"en": "a\u{0}b", "ar": "ب"}}),
        ),
    ];
    for (status, body) in cases {
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error"]["code"], "bad_request", "{body}");
        assert!(
            body["error"]["message"].as_str().unwrap().contains("NUL"),
            "{body}"
        );
    }
    assert_eq!(app.login(crate::helpers::ADMIN_EMAIL, PASSWORD).0, 200);
}

/// Finding 9: PostgreSQL connections terminated under the server's feet give 503 (or a fresh
/// connection's 200), never 500, and the server recovers. PostgreSQL only.
#[test]
fn terminated_postgresql_connections_give_503_not_500() {
    use diesel::prelude::*;
    let Some(base) = crate::helpers::postgres_url() else {
        return;
    };
    let name = format!("sirr_t9_{}", std::process::id());
    let app_name = name.clone();
    let app = spawn_with(move |s| {
        s.database.url = format!("{}&application_name={app_name}", s.database.url);
    });
    let admin = app.admin();
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/users", Some(&admin)).0, 200);
    }
    let mut conn = diesel::PgConnection::establish(&base).unwrap();
    diesel::sql_query(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{name}'"
    ))
    .execute(&mut conn)
    .unwrap();
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(app.get("/api/v1/users", Some(&admin)).0);
        statuses.push(app.get("/readyz", None).0);
    }
    assert!(
        statuses.iter().all(|s| matches!(s, 200 | 503)),
        "{statuses:?}"
    );
    assert_eq!(statuses.last(), Some(&200), "{statuses:?}");
}

/// Finding 9, the retry: every pooled connection is closed by the server between two requests
/// (PostgreSQL restarted, an administrator terminated them); the next GET is retried once on a
/// fresh connection and answers 200 — without the retry the first GETs answered 503, one per
/// dead connection. PostgreSQL only.
#[test]
fn a_safe_request_is_retried_on_a_fresh_connection() {
    use diesel::prelude::*;
    let Some(base) = crate::helpers::postgres_url() else {
        return;
    };
    let name = format!("sirr_t9r_{}", std::process::id());
    let app_name = name.clone();
    let app = spawn_with(move |s| {
        s.database.url = format!("{}&application_name={app_name}", s.database.url);
        s.database.pool_size = 4;
    });
    let admin = app.admin();
    // Users are read from the database on every request (regions come from memory).
    assert_eq!(app.get("/api/v1/users", Some(&admin)).0, 200);
    let mut conn = diesel::PgConnection::establish(&base).unwrap();
    for round in 0..3 {
        let terminated: Vec<TerminatedRow> = diesel::sql_query(format!(
            "SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity \
             WHERE application_name = '{name}'"
        ))
        .load(&mut conn)
        .unwrap();
        assert!(
            !terminated.is_empty(),
            "round {round}: no connection to end"
        );
        for _ in 0..3 {
            let (status, body) = app.get("/api/v1/users", Some(&admin));
            assert_eq!(status, 200, "round {round}: {body}");
        }
    }
}

#[derive(diesel::QueryableByName)]
struct TerminatedRow {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    #[allow(dead_code)]
    done: bool,
}
