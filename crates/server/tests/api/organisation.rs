//! Regions and branches: admin changes, validation, and what each role and scope can see.

use serde_json::json;
use sirr_server::auth::{Role, ScopeKind};

use crate::helpers::spawn_app;

#[test]
fn admin_manages_regions_and_branches() {
    let app = spawn_app();
    let admin = app.admin();
    let ruh = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let branch = app.branch(&admin, "RUH-017", &ruh);
    let (status, body) = app.get(&format!("/api/v1/branches/{branch}"), Some(&admin));
    assert_eq!(status, 200);
    assert_eq!(body["code"], "RUH-017");
    assert_eq!(body["region_code"], "RUH");
    assert_eq!(body["names"]["ar"], "فرع RUH-017");
    assert_eq!(body["location"], json!({"lat": 24.69, "lon": 46.68}));

    let (status, body) = app.patch(
        &format!("/api/v1/branches/{branch}"),
        Some(&admin),
        &json!({"names": {"en": "Al Olaya", "ar": "العليا"}, "location": null}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["names"], json!({"ar": "العليا", "en": "Al Olaya"}));
    assert_eq!(body["location"], json!(null));
    assert_eq!(body["code"], "RUH-017", "untouched fields stay");

    // Duplicates conflict; a region with branches cannot go.
    let (status, body) = app.post(
        "/api/v1/regions",
        Some(&admin),
        &json!({"code": "RUH", "names": {"en": "x"}}),
    );
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("conflict"))
    );
    let (status, _) = app.delete(&format!("/api/v1/regions/{ruh}"), Some(&admin));
    assert_eq!(status, 409);
    assert_eq!(
        app.delete(&format!("/api/v1/branches/{branch}"), Some(&admin))
            .0,
        204
    );
    assert_eq!(
        app.delete(&format!("/api/v1/regions/{ruh}"), Some(&admin))
            .0,
        204
    );
    assert_eq!(
        app.get(&format!("/api/v1/regions/{ruh}"), Some(&admin)).0,
        404
    );
}

#[test]
fn invalid_branches_list_every_problem_with_its_path() {
    let app = spawn_app();
    let admin = app.admin();
    let (status, body) = app.post(
        "/api/v1/branches",
        Some(&admin),
        &json!({"code": "bad code", "region_id": "nope", "names": {}, "city": {"xx-!!": " "},
                "location": {"lat": 91.0, "lon": 0.0}}),
    );
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "validation_failed");
    let paths: Vec<&str> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    for expected in [
        "/code",
        "/names",
        "/city/xx-!!",
        "/location/lat",
        "/region_id",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from {paths:?}"
        );
    }
}

#[test]
fn roles_and_scopes_decide_what_is_visible() {
    let app = spawn_app();
    let admin = app.admin();
    let ruh = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let jed = app.region(&admin, "JED", "Jeddah", "جدة");
    let ruh1 = app.branch(&admin, "RUH-001", &ruh);
    let ruh2 = app.branch(&admin, "RUH-002", &ruh);
    let jed1 = app.branch(&admin, "JED-001", &jed);
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
    app.add_user("qa@test.sirr", Role::Qa, &[]);
    app.add_user("shopper@test.sirr", Role::Shopper, &[]);

    let codes = |token: &str| -> Vec<String> {
        let (status, body) = app.get("/api/v1/branches", Some(token));
        assert_eq!(status, 200);
        body.as_array()
            .unwrap()
            .iter()
            .map(|b| b["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let region_manager = app.token("m.region@test.sirr");
    let branch_manager = app.token("m.branch@test.sirr");
    let qa = app.token("qa@test.sirr");
    let shopper = app.token("shopper@test.sirr");
    assert_eq!(codes(&admin), ["JED-001", "RUH-001", "RUH-002"]);
    assert_eq!(codes(&qa), ["JED-001", "RUH-001", "RUH-002"]);
    assert_eq!(codes(&region_manager), ["RUH-001", "RUH-002"]);
    assert_eq!(codes(&branch_manager), ["JED-001"]);
    assert!(codes(&shopper).is_empty());

    // Out of scope is "not found", not "forbidden": its existence does not leak.
    let (status, body) = app.get(&format!("/api/v1/branches/{jed1}"), Some(&region_manager));
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(
        app.get(&format!("/api/v1/branches/{ruh2}"), Some(&branch_manager))
            .0,
        404
    );
    assert_eq!(
        app.get(&format!("/api/v1/branches/{ruh1}"), Some(&region_manager))
            .0,
        200
    );
    let (_, regions) = app.get("/api/v1/regions", Some(&branch_manager));
    assert_eq!(regions.as_array().unwrap().len(), 1);
    assert_eq!(regions[0]["code"], "JED");
    assert_eq!(
        app.get(&format!("/api/v1/regions/{ruh}"), Some(&branch_manager))
            .0,
        404
    );

    // Only admins change the organisation.
    for token in [&qa, &region_manager, &shopper] {
        let (status, body) = app.post(
            "/api/v1/regions",
            Some(token),
            &json!({"code": "DMM", "names": {"en": "Dammam"}}),
        );
        assert_eq!(status, 403, "{body}");
        assert_eq!(body["error"]["code"], "forbidden");
        assert_eq!(
            app.delete(&format!("/api/v1/branches/{ruh1}"), Some(token))
                .0,
            403
        );
    }
    assert_eq!(app.get("/api/v1/branches", None).0, 401);
}

#[test]
fn an_admin_names_the_organisation_in_both_languages_and_everyone_reads_it() {
    use diesel::prelude::*;
    use sirr_store::schema::audit_log;
    let app = spawn_app();
    let admin = app.admin();
    app.add_user("qa@org.example", Role::Qa, &[]);
    let qa = app.token("qa@org.example");
    // Unnamed at first.
    let (status, body) = app.get("/api/v1/organisation", Some(&qa));
    assert_eq!((status, &body), (200, &json!({"names": {}})));
    let names = json!({"names": {"en": "  Gulf Bank ", "ar": "بنك الخليج"}});
    assert_eq!(
        app.send("PUT", "/api/v1/organisation", Some(&qa), &names).0,
        403
    );
    let (status, body) = app.send("PUT", "/api/v1/organisation", Some(&admin), &names);
    assert_eq!(status, 200, "{body}");
    // Stored as given, trimmed; read back by anyone signed in.
    let want = json!({"names": {"en": "Gulf Bank", "ar": "بنك الخليج"}});
    assert_eq!(body, want);
    assert_eq!(app.get("/api/v1/organisation", Some(&qa)).1, want);
    assert_eq!(app.get("/api/v1/organisation", None).0, 401);
    // Refusals name the language, in the reader's language; nothing changes.
    let (status, body) = app.send_lang(
        "PUT",
        "/api/v1/organisation",
        Some(&admin),
        "ar",
        Some(&json!({"names": {"en": "", "ar": "ب".repeat(201)}})),
    );
    assert_eq!(status, 422, "{body}");
    let paths: Vec<&str> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["/names/en", "/names/ar"]);
    assert!(
        body["error"]["details"][1]["problem"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "{body}"
    );
    assert_eq!(app.get("/api/v1/organisation", Some(&qa)).1, want);
    // Audited with what it was and what it became.
    let details: Vec<String> = audit_log::table
        .filter(audit_log::entity.eq("organisation"))
        .select(audit_log::details)
        .load(&mut app.db())
        .unwrap();
    assert_eq!(details.len(), 1);
    let d: serde_json::Value = serde_json::from_str(&details[0]).unwrap();
    assert_eq!((&d["before"], &d["after"]), (&json!({}), &want["names"]));
}
