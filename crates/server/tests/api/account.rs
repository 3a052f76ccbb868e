//! Administration from the browser, server side: changing one's own password (every role), the
//! import templates to download in Arabic and English, and import problems worded in the
//! reader's language.

use diesel::prelude::*;
use serde_json::{Value, json};
use sirr_server::auth::Role;
use sirr_store::schema::audit_log;

use crate::helpers::*;

const NEW_PASSWORD: &str = "a new password, long enough";

fn refresh(app: &TestApp, token: &str) -> Reply {
    app.post(
        "/api/v1/auth/refresh",
        None,
        &json!({"refresh_token": token}),
    )
}

fn problem_at<'a>(body: &'a Value, path: &str) -> &'a str {
    body["error"]["details"]
        .as_array()
        .unwrap_or_else(|| panic!("details in {body}"))
        .iter()
        .find(|d| d["path"] == path)
        .and_then(|d| d["problem"].as_str())
        .unwrap_or_else(|| panic!("a problem at {path} in {body}"))
}

#[test]
fn everyone_changes_their_own_password_and_every_other_session_ends() {
    let app = spawn_app();
    let email = "shopper@change.example";
    let id = app.add_user(email, Role::Shopper, &[]);
    // Two sessions: a phone and a laptop.
    let (_, phone) = app.login(email, PASSWORD);
    let (_, laptop) = app.login(email, PASSWORD);
    let access = laptop["access_token"].as_str().unwrap();
    let path = "/api/v1/me/password";

    // Not signed in.
    let (status, _) = app.post(
        path,
        None,
        &json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
    );
    assert_eq!(status, 401);

    // A wrong current password, named at its field, in the reader's language.
    let wrong = json!({"current_password": "not it at all", "new_password": NEW_PASSWORD});
    let (status, body) = app.send_lang("POST", path, Some(access), "en", Some(&wrong));
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        problem_at(&body, "/current_password"),
        "the current password is wrong"
    );
    let (status, body) = app.send_lang("POST", path, Some(access), "ar", Some(&wrong));
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        problem_at(&body, "/current_password"),
        "كلمة المرور الحالية خاطئة"
    );

    // The policy: at least 10 characters, at most 1024, not the same again.
    for (new, problem) in [
        ("short", "must be at least 10 characters"),
        (&"x".repeat(1025) as &str, "must be at most 1024 characters"),
        (
            PASSWORD,
            "the new password must differ from the current one",
        ),
    ] {
        let (status, body) = app.post(
            path,
            Some(access),
            &json!({"current_password": PASSWORD, "new_password": new}),
        );
        assert_eq!(status, 422, "{body}");
        assert_eq!(problem_at(&body, "/new_password"), problem);
    }
    // Unknown fields are refused, not ignored.
    let (status, _) = app.post(
        path,
        Some(access),
        &json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD, "also": 1}),
    );
    assert!(status == 400 || status == 422, "{status}");
    // Nothing changed so far.
    assert_eq!(app.login(email, PASSWORD).0, 200);

    let (status, tokens) = app.post(
        path,
        Some(access),
        &json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
    );
    assert_eq!(status, 200, "{tokens}");
    // Every earlier session ended; the answer's tokens carry on for this one.
    for old in [&phone, &laptop] {
        let (status, _) = refresh(&app, old["refresh_token"].as_str().unwrap());
        assert_eq!(status, 401);
    }
    let (status, _) = refresh(&app, tokens["refresh_token"].as_str().unwrap());
    assert_eq!(status, 200);
    let (status, me) = app.get("/api/v1/me", tokens["access_token"].as_str());
    assert_eq!((status, me["id"].as_str()), (200, Some(id.as_str())));
    // The old password is gone, the new one signs in.
    assert_eq!(app.login(email, PASSWORD).0, 401);
    assert_eq!(app.login(email, NEW_PASSWORD).0, 200);

    // Audited as the user's own act, without the password.
    let rows: Vec<(Option<String>, String, String)> = audit_log::table
        .filter(audit_log::action.eq("change_password"))
        .select((
            audit_log::actor_id,
            audit_log::entity_id,
            audit_log::details,
        ))
        .load(&mut app.db())
        .unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].0.as_deref(), Some(id.as_str()));
    assert_eq!(rows[0].1, id);
    assert!(!rows[0].2.contains(NEW_PASSWORD) && !rows[0].2.contains("argon2"));
}

#[test]
fn guessing_the_current_password_is_throttled_like_signing_in() {
    let app = spawn_app();
    let email = "guess@change.example";
    app.add_user(email, Role::Qa, &[]);
    let token = app.token(email);
    let mut statuses = Vec::new();
    for i in 0..12 {
        let (status, _) = app.post(
            "/api/v1/me/password",
            Some(&token),
            &json!({"current_password": format!("guess number {i}"), "new_password": NEW_PASSWORD}),
        );
        statuses.push(status);
    }
    assert_eq!(statuses[0], 422);
    assert_eq!(*statuses.last().unwrap(), 429, "{statuses:?}");
    // The right password is refused while throttled: guessing stays expensive.
    let (status, _) = app.post(
        "/api/v1/me/password",
        Some(&token),
        &json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
    );
    assert_eq!(status, 429);
}

#[test]
fn templates_download_in_both_languages_and_import_nothing_as_they_are() {
    let app = spawn_app();
    let admin = app.admin();
    for kind in ["branches", "users"] {
        for lang in ["en", "ar"] {
            let file = app.get_bytes(
                &format!("/api/v1/imports/templates/{kind}.xlsx?lang={lang}"),
                Some(&admin),
            );
            assert_eq!(file.status, 200);
            assert_eq!(
                file.content_type,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            );
            assert!(
                file.disposition
                    .contains(&format!("sirr-{kind}-{lang}.xlsx")),
                "{}",
                file.disposition
            );
            assert!(file.body.starts_with(b"PK"));
            // Uploaded as it is: nothing to create, nothing refused.
            let (status, body) = app.post_raw(
                &format!("/api/v1/imports/{kind}?dry_run=true"),
                Some(&admin),
                &[],
                &file.body,
            );
            assert_eq!(status, 200, "{body}");
            assert_eq!(
                (&body["create"], &body["update"], &body["unchanged"]),
                (&json!(0), &json!(0), &json!(0))
            );
            assert_eq!(body["problems"], json!([]));
        }
    }
    let qa = {
        app.add_user("qa@templates.example", Role::Qa, &[]);
        app.token("qa@templates.example")
    };
    let forbidden = app.get_bytes("/api/v1/imports/templates/users.xlsx", Some(&qa));
    assert_eq!(forbidden.status, 403);
    let unknown = app.get_bytes("/api/v1/imports/templates/visits.xlsx", Some(&admin));
    assert_eq!(unknown.status, 404);
    let (status, body) = app.get("/api/v1/imports/templates/users.xlsx?lang=fr", Some(&admin));
    assert_eq!(status, 400, "{body}");
}

#[test]
fn import_problems_are_worded_in_the_readers_language_with_the_same_codes() {
    let app = spawn_app();
    let admin = app.admin();
    let csv = b"code,name_en,region_code,lat,lon\nAB-1,One,RUH,95,46\nAB-1,Again,RUH,,\n";
    let upload = |lang: &str| {
        app.post_raw(
            "/api/v1/imports/branches?dry_run=true",
            Some(&admin),
            &[
                ("Accept-Language", lang),
                (
                    "Content-Disposition",
                    "attachment; filename=\"branches.csv\"",
                ),
            ],
            csv,
        )
    };
    let (status, en) = upload("en");
    assert_eq!(status, 200, "{en}");
    let (status, ar) = upload("ar");
    assert_eq!(status, 200, "{ar}");
    let words = |body: &Value| -> Vec<(String, String, String)> {
        body["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    format!("{}:{}:{}", p["sheet"], p["row"], p["column"]),
                    p["code"].as_str().unwrap().to_owned(),
                    p["problem"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let (en, ar) = (words(&en), words(&ar));
    assert_eq!(en.len(), 2, "{en:?}");
    assert_eq!(
        en.iter().map(|p| (&p.0, &p.1)).collect::<Vec<_>>(),
        ar.iter().map(|p| (&p.0, &p.1)).collect::<Vec<_>>(),
        "the same places and codes"
    );
    let by_code = |list: &[(String, String, String)], code: &str| {
        list.iter().find(|p| p.1 == code).unwrap().2.clone()
    };
    assert_eq!(
        by_code(&en, "import-out-of-range"),
        "must be between -90 and 90"
    );
    assert!(by_code(&ar, "import-out-of-range").starts_with("يجب أن يكون بين"));
    assert_eq!(by_code(&en, "import-duplicate"), "repeats row 2");
    assert!(by_code(&ar, "import-duplicate").contains("يكرر الصف"));

    // Applying refuses in the reader's language too.
    let (status, body) = app.post_raw(
        "/api/v1/imports/branches",
        Some(&admin),
        &[("Accept-Language", "ar")],
        csv,
    );
    assert_eq!(status, 422, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("لم يستورد شيء"),
        "{body}"
    );
}
