//! Server-originated text in the reader's language (SPEC §10.31): `lang`, else the saved
//! language, else `Accept-Language`, else English; codes and paths never change.

use serde_json::{Value, json};
use sirr_server::auth::Role;

use crate::helpers::{ADMIN_EMAIL, spawn_app};

fn arabic(s: &Value) -> bool {
    s.as_str()
        .is_some_and(|s| s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)))
}

#[test]
fn refusals_follow_accept_language_and_keep_codes_and_paths() {
    let app = spawn_app();
    // A failed sign-in.
    let (status, en) = app.send_lang(
        "POST",
        "/api/v1/auth/login",
        None,
        "en",
        Some(&json!({"email": ADMIN_EMAIL, "password": "wrong"})),
    );
    assert_eq!(status, 401, "{en}");
    assert_eq!(en["error"]["message"], "wrong email or password");
    let (status, ar) = app.send_lang(
        "POST",
        "/api/v1/auth/login",
        None,
        "ar-SA,ar;q=0.9,en;q=0.5",
        Some(&json!({"email": ADMIN_EMAIL, "password": "wrong"})),
    );
    assert_eq!(status, 401, "{ar}");
    assert_eq!(ar["error"]["code"], "unauthorized");
    assert!(arabic(&ar["error"]["message"]), "{ar}");
    // No header: English.
    let (_, plain) = app.login(ADMIN_EMAIL, "wrong");
    assert_eq!(plain["error"]["message"], "wrong email or password");

    // 404 and 403.
    let admin = app.admin();
    let (status, body) = app.send_lang("GET", "/api/v1/branches/nope", Some(&admin), "ar", None);
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"]["code"], "not_found");
    assert!(arabic(&body["error"]["message"]), "{body}");
    app.add_user("shopper.lang@example.test", Role::Shopper, &[]);
    let shopper = app.token("shopper.lang@example.test");
    let (status, body) = app.send_lang("GET", "/api/v1/users", Some(&shopper), "ar", None);
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["code"], "forbidden");
    assert!(arabic(&body["error"]["message"]), "{body}");
    let (_, body) = app.send_lang("GET", "/api/v1/users", Some(&shopper), "en", None);
    assert_eq!(body["error"]["message"], "the shopper role may not do this");

    // A 422 with details: the same paths in both languages, the problems in Arabic.
    let bad = json!({"language": "fr", "colour": "blue"});
    let (status, en) = app.send_lang("PATCH", "/api/v1/me", Some(&admin), "en", Some(&bad));
    assert_eq!(status, 422, "{en}");
    let (status, ar) = app.send_lang("PATCH", "/api/v1/me", Some(&admin), "ar", Some(&bad));
    assert_eq!(status, 422, "{ar}");
    assert_eq!(ar["error"]["code"], "validation_failed");
    assert!(arabic(&ar["error"]["message"]), "{ar}");
    let paths = |b: &Value| -> Vec<Value> {
        b["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["path"].clone())
            .collect()
    };
    assert_eq!(paths(&en), paths(&ar));
    assert_eq!(paths(&ar), vec![json!("/language"), json!("/colour")]);
    for d in ar["error"]["details"].as_array().unwrap() {
        assert!(arabic(&d["problem"]), "{ar}");
    }
}

#[test]
fn the_saved_language_is_patched_validated_and_beats_accept_language() {
    let app = spawn_app();
    let admin = app.admin();
    let (status, me) = app.get("/api/v1/me", Some(&admin));
    assert_eq!(status, 200);
    assert_eq!(me["language"], Value::Null);
    for bad in [
        json!({"language": "fr"}),
        json!({"language": 5}),
        json!({"language": "AR"}),
    ] {
        let (status, body) = app.patch("/api/v1/me", Some(&admin), &bad);
        assert_eq!(status, 422, "{bad}: {body}");
        assert_eq!(body["error"]["details"][0]["path"], "/language");
    }
    let (status, body) = app.patch("/api/v1/me", Some(&admin), &json!(["ar"]));
    assert_eq!(status, 400, "{body}");

    let (status, me) = app.patch("/api/v1/me", Some(&admin), &json!({"language": "ar"}));
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["language"], "ar");
    assert_eq!(app.get("/api/v1/me", Some(&admin)).1["language"], "ar");

    // Saved Arabic wins over Accept-Language: en, and over no header at all.
    let (status, body) = app.send_lang("GET", "/api/v1/branches/nope", Some(&admin), "en", None);
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
    assert!(arabic(&body["error"]["message"]), "{body}");
    let (_, body) = app.get("/api/v1/regions/nope", Some(&admin));
    assert!(arabic(&body["error"]["message"]), "{body}");

    // Back to English, and forgetting it lets the header decide again.
    let (status, me) = app.patch("/api/v1/me", Some(&admin), &json!({"language": "en"}));
    assert_eq!((status, &me["language"]), (200, &json!("en")));
    let (_, body) = app.send_lang("GET", "/api/v1/branches/nope", Some(&admin), "ar", None);
    assert_eq!(body["error"]["message"], "branch not found");
    let (status, me) = app.patch("/api/v1/me", Some(&admin), &json!({"language": null}));
    assert_eq!((status, &me["language"]), (200, &Value::Null));
    let (_, body) = app.send_lang("GET", "/api/v1/branches/nope", Some(&admin), "ar", None);
    assert!(arabic(&body["error"]["message"]), "{body}");
}
