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

/// Issue 14: a flagged visit's flags, a submission's answer problems (422) and a refused review
/// (409) in Arabic and English; codes and paths are the same in both.
#[test]
fn flags_answer_problems_and_conflicts_are_in_the_readers_language() {
    use crate::workflow::{field, good_visit};
    let f = field();
    let a = f.assignment();

    // 422: answers that do not fit the checklist.
    let mut bad = good_visit();
    bad["answers"]["greeted_30s"] = json!("maybe");
    bad["answers"]["card_benefits"] = json!(9);
    let submit = |lang: &str, key: &str, body: &Value| {
        f.app.post_with_headers(
            &format!("/api/v1/assignments/{a}/submission"),
            Some(&f.shopper),
            &[("Idempotency-Key", key), ("Accept-Language", lang)],
            body,
        )
    };
    let (status, en) = submit("en", "k-bad-en", &bad);
    assert_eq!(status, 422, "{en}");
    let (status, ar) = submit("ar", "k-bad-ar", &bad);
    assert_eq!(status, 422, "{ar}");
    assert_eq!(en["error"]["code"], ar["error"]["code"]);
    let problems = |b: &Value| -> Vec<(String, String)> {
        b["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["path"].as_str().unwrap().to_owned(),
                    d["problem"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let (en_p, ar_p) = (problems(&en), problems(&ar));
    assert_eq!(
        en_p.iter().map(|p| &p.0).collect::<Vec<_>>(),
        ar_p.iter().map(|p| &p.0).collect::<Vec<_>>(),
        "the same paths"
    );
    assert!(en_p.contains(&(
        "/answers/greeted_30s".into(),
        "expected \"yes\" or \"no\", found \"maybe\"".into()
    )));
    assert!(
        en["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2 problems"),
        "{en}"
    );
    for (path, problem) in &ar_p {
        assert!(arabic(&json!(problem)), "{path}: {problem}");
    }
    assert!(arabic(&ar["error"]["message"]), "{ar}");
    let scale = &ar_p
        .iter()
        .find(|p| p.0 == "/answers/card_benefits")
        .unwrap()
        .1;
    assert!(
        scale.contains("\u{2068}9\u{2069}"),
        "the value isolated: {scale:?}"
    );

    // Flags: far, short, late.
    let mut far = good_visit();
    far["location"] = json!({"lat": 24.80, "lon": 46.68});
    far["duration_s"] = json!(60);
    far["checked_in_at"] = json!("2026-10-10T14:12:00+03:00");
    let (status, visit) = submit("en", "k-1", &far);
    assert_eq!(status, 201, "{visit}");
    let id = visit["id"].as_str().unwrap().to_owned();
    let flags = |lang: &str| -> Vec<Value> {
        let (status, body) = f.app.send_lang(
            "GET",
            &format!("/api/v1/visits/{id}"),
            Some(&f.qa),
            lang,
            None,
        );
        assert_eq!(status, 200, "{body}");
        body["flags"].as_array().unwrap().clone()
    };
    let (en_f, ar_f) = (flags("en"), flags("ar"));
    let codes = |list: &[Value]| -> Vec<Value> { list.iter().map(|x| x["code"].clone()).collect() };
    assert_eq!(codes(&en_f), codes(&ar_f));
    assert_eq!(en_f.len(), 4, "{en_f:?}");
    assert_eq!(
        en_f[0]["message"],
        "Checked in 12.2 km from the branch (more than 300 m) — check the shopper was at this \
         branch."
    );
    for flag in &ar_f {
        assert!(arabic(&flag["message"]), "{flag}");
        assert!(flag.get("text").is_none(), "{flag}");
    }
    assert!(
        ar_f[0]["message"]
            .as_str()
            .unwrap()
            .contains("\u{2068}12.2\u{2069} كم"),
        "{}",
        ar_f[0]
    );
    // The saved language decides for the queue when no header is sent.
    let (status, _) = f
        .app
        .patch("/api/v1/me", Some(&f.qa), &json!({"language": "ar"}));
    assert_eq!(status, 200);
    let (_, queue) = f.app.get("/api/v1/reviews", Some(&f.qa));
    assert!(arabic(&queue[0]["flags"][0]["message"]), "{queue}");

    // 409: reviewing a visit twice.
    let (status, _) = f.app.post(
        &format!("/api/v1/visits/{id}/approve"),
        Some(&f.qa),
        &json!({}),
    );
    assert_eq!(status, 200);
    let (status, _) = f
        .app
        .patch("/api/v1/me", Some(&f.qa), &json!({"language": null}));
    assert_eq!(status, 200);
    let again = |lang: &str| {
        f.app.send_lang(
            "POST",
            &format!("/api/v1/visits/{id}/approve"),
            Some(&f.qa),
            lang,
            Some(&json!({})),
        )
    };
    let (status, en) = again("en");
    assert_eq!(status, 409, "{en}");
    assert_eq!(
        en["error"]["message"],
        "the visit is approved; only a submitted visit can be reviewed"
    );
    let (status, ar) = again("ar");
    assert_eq!(status, 409, "{ar}");
    assert_eq!(ar["error"]["code"], "conflict");
    let text = ar["error"]["message"].as_str().unwrap();
    assert!(text.contains("معتمدة"), "the state in Arabic: {text}");
    assert!(!text.contains("approved"), "{text}");
}
