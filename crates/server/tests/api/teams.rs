//! Teams: admin changes, validation, duplicates, and what each role and scope can see.

use serde_json::{Value, json};
use sirr_server::auth::{Role, ScopeKind};

use crate::helpers::{TestApp, spawn_app};

/// Creates a team and returns its id.
fn team(app: &TestApp, token: &str, branch_id: &str, code: &str) -> String {
    let (status, body) = app.post(
        "/api/v1/teams",
        Some(token),
        &json!({"branch_id": branch_id, "code": code,
                "names": {"en": format!("Team {code}"), "ar": format!("فريق {code}")}}),
    );
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

fn detail_paths(body: &Value) -> Vec<&str> {
    body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect()
}

fn keys(app: &TestApp, path: &str, token: &str) -> Vec<String> {
    let (status, body) = app.get(path, Some(token));
    assert_eq!(status, 200, "{body}");
    body.as_array()
        .unwrap()
        .iter()
        .map(|t| t["key"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn admin_creates_reads_changes_and_deletes_teams() {
    let app = spawn_app();
    let admin = app.admin();
    let ruh = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let branch = app.branch(&admin, "RUH-017", &ruh);

    let (status, created) = app.post(
        "/api/v1/teams",
        Some(&admin),
        &json!({"branch_id": branch, "code": "tellers",
                "names": {"en": "Tellers", "ar": "الصرّافون"}}),
    );
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["branch_id"], branch.as_str());
    assert_eq!(created["branch_code"], "RUH-017");
    assert_eq!(created["code"], "tellers");
    assert_eq!(created["key"], "RUH-017/tellers");
    assert_eq!(created["names"], json!({"ar": "الصرّافون", "en": "Tellers"}));
    assert!(created["created_at"].as_str().unwrap().ends_with('Z'));

    let (status, body) = app.get(&format!("/api/v1/teams/{id}"), Some(&admin));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, created);

    let (status, body) = app.patch(
        &format!("/api/v1/teams/{id}"),
        Some(&admin),
        &json!({"names": {"ar": "خدمة العملاء"}}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["names"], json!({"ar": "خدمة العملاء"}));
    assert_eq!(body["code"], "tellers", "untouched fields stay");
    assert_eq!(body["created_at"], created["created_at"]);

    let (status, body) = app.patch(
        &format!("/api/v1/teams/{id}"),
        Some(&admin),
        &json!({"code": "service"}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["key"], "RUH-017/service");
    assert_eq!(body["names"], json!({"ar": "خدمة العملاء"}));

    assert_eq!(keys(&app, "/api/v1/teams", &admin), ["RUH-017/service"]);

    assert_eq!(
        app.delete(&format!("/api/v1/teams/{id}"), Some(&admin)).0,
        204
    );
    assert_eq!(app.get(&format!("/api/v1/teams/{id}"), Some(&admin)).0, 404);
    assert_eq!(
        app.delete(&format!("/api/v1/teams/{id}"), Some(&admin)).0,
        404
    );
    let (status, body) = app.patch(
        &format!("/api/v1/teams/{id}"),
        Some(&admin),
        &json!({"code": "again"}),
    );
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"]["code"], "not_found");
    assert!(keys(&app, "/api/v1/teams", &admin).is_empty());
}

#[test]
fn teams_list_by_branch_code_then_team_code_and_filter_by_branch() {
    let app = spawn_app();
    let admin = app.admin();
    let ruh = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let b2 = app.branch(&admin, "RUH-002", &ruh);
    let b1 = app.branch(&admin, "RUH-001", &ruh);
    team(&app, &admin, &b2, "tellers");
    team(&app, &admin, &b1, "tellers");
    team(&app, &admin, &b1, "lobby");
    team(&app, &admin, &b2, "advisors");
    assert_eq!(
        keys(&app, "/api/v1/teams", &admin),
        [
            "RUH-001/lobby",
            "RUH-001/tellers",
            "RUH-002/advisors",
            "RUH-002/tellers"
        ]
    );
    assert_eq!(
        keys(&app, &format!("/api/v1/teams?branch_id={b2}"), &admin),
        ["RUH-002/advisors", "RUH-002/tellers"]
    );
    assert!(keys(&app, "/api/v1/teams?branch_id=nope", &admin).is_empty());
}

#[test]
fn invalid_teams_list_every_problem_with_its_path() {
    let app = spawn_app();
    let admin = app.admin();
    let ruh = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let branch = app.branch(&admin, "RUH-017", &ruh);

    let (status, body) = app.post(
        "/api/v1/teams",
        Some(&admin),
        &json!({"branch_id": "nope", "code": "bad/code", "names": {}}),
    );
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "validation_failed");
    let paths = detail_paths(&body);
    for expected in ["/branch_id", "/code", "/names"] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from {paths:?}"
        );
    }
    let branch_problem = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "/branch_id")
        .unwrap();
    assert_eq!(branch_problem["problem"], "no such branch");

    let (status, body) = app.post(
        "/api/v1/teams",
        Some(&admin),
        &json!({"branch_id": branch, "code": "-lead", "names": {"xx-!!": " "}}),
    );
    assert_eq!(status, 422, "{body}");
    let paths = detail_paths(&body);
    assert!(paths.contains(&"/code"), "{paths:?}");
    assert!(paths.contains(&"/names/xx-!!"), "{paths:?}");
    assert!(!paths.contains(&"/branch_id"), "{paths:?}");

    let id = team(&app, &admin, &branch, "tellers");
    let (status, body) = app.patch(
        &format!("/api/v1/teams/{id}"),
        Some(&admin),
        &json!({"code": "", "names": {}}),
    );
    assert_eq!(status, 422, "{body}");
    let paths = detail_paths(&body);
    assert!(paths.contains(&"/code"), "{paths:?}");
    assert!(paths.contains(&"/names"), "{paths:?}");

    // Unknown fields are malformed requests (a team does not move between branches).
    let (status, body) = app.patch(
        &format!("/api/v1/teams/{id}"),
        Some(&admin),
        &json!({"branch_id": branch}),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "bad_request");

    let (_, body) = app.get(&format!("/api/v1/teams/{id}"), Some(&admin));
    assert_eq!(body["code"], "tellers", "rejected changes leave no trace");
}

#[test]
fn team_codes_are_unique_within_a_branch() {
    let app = spawn_app();
    let admin = app.admin();
    let ruh = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let b1 = app.branch(&admin, "RUH-001", &ruh);
    let b2 = app.branch(&admin, "RUH-002", &ruh);
    team(&app, &admin, &b1, "tellers");
    let lobby = team(&app, &admin, &b1, "lobby");
    // The same code in another branch is a different team.
    team(&app, &admin, &b2, "tellers");

    let (status, body) = app.post(
        "/api/v1/teams",
        Some(&admin),
        &json!({"branch_id": b1, "code": "tellers", "names": {"en": "Again"}}),
    );
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "conflict");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("tellers"),
        "{body}"
    );

    let (status, body) = app.patch(
        &format!("/api/v1/teams/{lobby}"),
        Some(&admin),
        &json!({"code": "tellers"}),
    );
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "conflict");
    let (_, body) = app.get(&format!("/api/v1/teams/{lobby}"), Some(&admin));
    assert_eq!(body["code"], "lobby");

    // Renaming a team to its own code is no conflict.
    let (status, body) = app.patch(
        &format!("/api/v1/teams/{lobby}"),
        Some(&admin),
        &json!({"code": "lobby"}),
    );
    assert_eq!(status, 200, "{body}");
}

#[test]
fn deleting_a_branch_deletes_its_teams() {
    let app = spawn_app();
    let admin = app.admin();
    let ruh = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let b1 = app.branch(&admin, "RUH-001", &ruh);
    let b2 = app.branch(&admin, "RUH-002", &ruh);
    let gone = team(&app, &admin, &b1, "tellers");
    team(&app, &admin, &b2, "tellers");
    assert_eq!(
        app.delete(&format!("/api/v1/branches/{b1}"), Some(&admin))
            .0,
        204
    );
    assert_eq!(
        app.get(&format!("/api/v1/teams/{gone}"), Some(&admin)).0,
        404
    );
    assert_eq!(keys(&app, "/api/v1/teams", &admin), ["RUH-002/tellers"]);
}

#[test]
fn roles_and_scopes_decide_which_teams_are_visible() {
    let app = spawn_app();
    let admin = app.admin();
    let ruh = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let jed = app.region(&admin, "JED", "Jeddah", "جدة");
    let ruh1 = app.branch(&admin, "RUH-001", &ruh);
    let ruh2 = app.branch(&admin, "RUH-002", &ruh);
    let jed1 = app.branch(&admin, "JED-001", &jed);
    let ruh1_tellers = team(&app, &admin, &ruh1, "tellers");
    let ruh1_lobby = team(&app, &admin, &ruh1, "lobby");
    let ruh2_tellers = team(&app, &admin, &ruh2, "tellers");
    let jed1_tellers = team(&app, &admin, &jed1, "tellers");
    let jed1_lobby = team(&app, &admin, &jed1, "lobby");

    app.add_user(
        "m.region@test.sirr",
        Role::Manager,
        &[(ScopeKind::Region, &ruh)],
    );
    app.add_user(
        "m.branch@test.sirr",
        Role::Manager,
        &[(ScopeKind::Branch, &jed1)],
    );
    app.add_user(
        "m.team@test.sirr",
        Role::Manager,
        &[(ScopeKind::Team, &ruh1_lobby)],
    );
    app.add_user("qa@test.sirr", Role::Qa, &[]);
    app.add_user("shopper@test.sirr", Role::Shopper, &[]);
    let region_manager = app.token("m.region@test.sirr");
    let branch_manager = app.token("m.branch@test.sirr");
    let team_manager = app.token("m.team@test.sirr");
    let qa = app.token("qa@test.sirr");
    let shopper = app.token("shopper@test.sirr");

    let everything = [
        "JED-001/lobby",
        "JED-001/tellers",
        "RUH-001/lobby",
        "RUH-001/tellers",
        "RUH-002/tellers",
    ];
    assert_eq!(keys(&app, "/api/v1/teams", &admin), everything);
    assert_eq!(keys(&app, "/api/v1/teams", &qa), everything);
    assert_eq!(
        keys(&app, "/api/v1/teams", &region_manager),
        ["RUH-001/lobby", "RUH-001/tellers", "RUH-002/tellers"]
    );
    assert_eq!(
        keys(&app, "/api/v1/teams", &branch_manager),
        ["JED-001/lobby", "JED-001/tellers"]
    );
    assert_eq!(
        keys(&app, "/api/v1/teams", &team_manager),
        ["RUH-001/lobby"]
    );
    assert_eq!(
        keys(
            &app,
            &format!("/api/v1/teams?branch_id={ruh1}"),
            &team_manager
        ),
        ["RUH-001/lobby"],
        "a team scope does not open the rest of its branch"
    );
    assert!(
        keys(
            &app,
            &format!("/api/v1/teams?branch_id={jed1}"),
            &region_manager
        )
        .is_empty()
    );
    assert!(keys(&app, "/api/v1/teams", &shopper).is_empty());

    // Reading one: in scope 200, out of scope 404 (its existence does not leak).
    let visible = |token: &str, id: &str| app.get(&format!("/api/v1/teams/{id}"), Some(token)).0;
    assert_eq!(visible(&region_manager, &ruh2_tellers), 200);
    assert_eq!(visible(&region_manager, &jed1_tellers), 404);
    assert_eq!(visible(&branch_manager, &jed1_lobby), 200);
    assert_eq!(visible(&branch_manager, &ruh1_tellers), 404);
    assert_eq!(visible(&team_manager, &ruh1_lobby), 200);
    assert_eq!(visible(&team_manager, &ruh1_tellers), 404);
    assert_eq!(visible(&qa, &jed1_lobby), 200);
    assert_eq!(visible(&shopper, &ruh1_lobby), 404);
    let (status, body) = app.get(
        &format!("/api/v1/teams/{jed1_tellers}"),
        Some(&team_manager),
    );
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");

    // Only admins change teams, even within their own scope.
    for token in [
        &qa,
        &region_manager,
        &branch_manager,
        &team_manager,
        &shopper,
    ] {
        let (status, body) = app.post(
            "/api/v1/teams",
            Some(token),
            &json!({"branch_id": ruh1, "code": "new", "names": {"en": "New"}}),
        );
        assert_eq!(status, 403, "{body}");
        assert_eq!(body["error"]["code"], "forbidden");
        assert_eq!(
            app.patch(
                &format!("/api/v1/teams/{ruh1_lobby}"),
                Some(token),
                &json!({"names": {"en": "Renamed"}}),
            )
            .0,
            403
        );
        assert_eq!(
            app.delete(&format!("/api/v1/teams/{ruh1_lobby}"), Some(token))
                .0,
            403
        );
    }
    assert_eq!(visible(&admin, &ruh1_lobby), 200, "nothing was deleted");
    assert_eq!(keys(&app, "/api/v1/teams", &admin), everything);

    // No token, no teams.
    for (status, body) in [
        app.get("/api/v1/teams", None),
        app.get(&format!("/api/v1/teams/{ruh1_lobby}"), None),
        app.post(
            "/api/v1/teams",
            None,
            &json!({"branch_id": ruh1, "code": "new", "names": {"en": "New"}}),
        ),
        app.patch(
            &format!("/api/v1/teams/{ruh1_lobby}"),
            None,
            &json!({"code": "x"}),
        ),
        app.delete(&format!("/api/v1/teams/{ruh1_lobby}"), None),
    ] {
        assert_eq!(status, 401, "{body}");
        assert_eq!(body["error"]["code"], "unauthorized");
    }
}

#[test]
fn openapi_document_lists_the_team_operations() {
    let app = spawn_app();
    let (status, doc) = app.get("/api/v1/openapi.json", None);
    assert_eq!(status, 200);
    for (path, method, operation) in [
        ("/api/v1/teams", "get", "list_teams"),
        ("/api/v1/teams", "post", "create_team"),
        ("/api/v1/teams/{id}", "get", "get_team"),
        ("/api/v1/teams/{id}", "patch", "update_team"),
        ("/api/v1/teams/{id}", "delete", "delete_team"),
    ] {
        let op = &doc["paths"][path][method];
        assert_eq!(
            op["operationId"], operation,
            "{method} {path} missing or misnamed"
        );
        assert_eq!(op["tags"], json!(["organisation"]));
    }
    let params = doc["paths"]["/api/v1/teams"]["get"]["parameters"]
        .as_array()
        .unwrap();
    assert!(params.iter().any(|p| p["name"] == "branch_id"));
    for schema in ["Team", "NewTeam", "TeamPatch"] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "{schema} schema missing"
        );
    }
    assert!(doc["components"]["schemas"]["Team"]["properties"]["key"].is_object());
}

/// The ids of a list endpoint's entries.
fn ids(app: &TestApp, path: &str, token: &str) -> Vec<String> {
    let (status, body) = app.get(path, Some(token));
    assert_eq!(status, 200, "{body}");
    let mut out: Vec<String> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn lists_and_single_records_apply_one_reach_for_every_mix_of_scopes() {
    // The lists come from the in-memory directory, a single record from the database: both
    // must apply the same rule, for every kind of scope and their mixes.
    let app = spawn_app();
    let admin = app.admin();
    let ruh = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let jed = app.region(&admin, "JED", "Jeddah", "جدة");
    let dmm = app.region(&admin, "DMM", "Dammam", "الدمام");
    let ruh1 = app.branch(&admin, "RUH-001", &ruh);
    let ruh2 = app.branch(&admin, "RUH-002", &ruh);
    let jed1 = app.branch(&admin, "JED-001", &jed);
    let jed2 = app.branch(&admin, "JED-002", &jed);
    let dmm1 = app.branch(&admin, "DMM-001", &dmm);
    let _ = team(&app, &admin, &ruh1, "tellers");
    let _ = team(&app, &admin, &ruh2, "tellers");
    let jed1_lobby = team(&app, &admin, &jed1, "lobby");
    let _ = team(&app, &admin, &jed1, "tellers");
    let _ = team(&app, &admin, &jed2, "tellers");
    let dmm1_lobby = team(&app, &admin, &dmm1, "lobby");
    let _ = team(&app, &admin, &dmm1, "tellers");

    let mixes: Vec<(&str, Vec<(ScopeKind, &str)>)> = vec![
        ("region", vec![(ScopeKind::Region, &ruh)]),
        ("branch", vec![(ScopeKind::Branch, &jed2)]),
        ("team", vec![(ScopeKind::Team, &jed1_lobby)]),
        (
            "region+team elsewhere",
            vec![(ScopeKind::Region, &ruh), (ScopeKind::Team, &dmm1_lobby)],
        ),
        (
            "branch+team of another branch in its region",
            vec![(ScopeKind::Branch, &jed2), (ScopeKind::Team, &jed1_lobby)],
        ),
        (
            "empty region",
            vec![(ScopeKind::Region, &dmm), (ScopeKind::Branch, &ruh2)],
        ),
        ("nothing", vec![]),
    ];
    for (i, (what, scopes)) in mixes.iter().enumerate() {
        let email = format!("m{i}@test.sirr");
        let scopes: Vec<(ScopeKind, &str)> = scopes.clone();
        app.add_user(&email, Role::Manager, &scopes);
        let manager = app.token(&email);
        for kind in ["regions", "branches", "teams"] {
            let listed = ids(&app, &format!("/api/v1/{kind}"), &manager);
            let readable: Vec<String> = ids(&app, &format!("/api/v1/{kind}"), &admin)
                .into_iter()
                .filter(|id| {
                    let status = app.get(&format!("/api/v1/{kind}/{id}"), Some(&manager)).0;
                    assert!(
                        status == 200 || status == 404,
                        "{what}: {kind}/{id}: {status}"
                    );
                    status == 200
                })
                .collect();
            assert_eq!(listed, readable, "{what}: {kind}");
        }
    }
}
