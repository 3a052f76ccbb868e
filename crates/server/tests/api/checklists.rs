//! Checklists: drafts, validation with JSON-pointer problems, publishing with the content hash,
//! immutability of published versions, and who sees and changes what.

use serde_json::{Value, json};
use sirr_server::auth::Role;

use crate::helpers::{TestApp, spawn_app, spawn_demo};

const EXAMPLES: [&str; 3] = [
    "bank-branch-visit",
    "government-service-centre-visit",
    "retail-store-visit",
];

fn read_json(relative: &str) -> Value {
    let path = format!("{}/../../{relative}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn example(name: &str) -> Value {
    read_json(&format!("examples/checklists/{name}.json"))
}

/// The §3 example: `bank-branch-visit` version 3.
fn spec_example() -> Value {
    read_json("tests/fixtures/checklists/spec-example.json")
}

/// What `sirr checklist canonical --hash` prints for the document.
fn content_hash(doc: &Value) -> String {
    let (checklist, _) = sirr_checklist::from_value(doc).into_result().unwrap();
    checklist.content_hash()
}

fn version_url(key: &str, version: i64) -> String {
    format!("/api/v1/checklists/{key}/versions/{version}")
}

fn detail_paths(body: &Value) -> Vec<&str> {
    body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect()
}

fn create(app: &TestApp, token: &str, doc: &Value) -> Value {
    let (status, body) = app.post("/api/v1/checklists", Some(token), doc);
    assert_eq!(status, 201, "{body}");
    body
}

fn publish(app: &TestApp, token: &str, key: &str, version: i64) -> Value {
    let (status, body) = app.post(
        &format!("{}/publish", version_url(key, version)),
        Some(token),
        &json!({}),
    );
    assert_eq!(status, 200, "{body}");
    body
}

#[test]
fn each_example_checklist_is_created_as_a_draft_and_round_trips_exactly() {
    let app = spawn_app();
    let admin = app.admin();
    for name in EXAMPLES {
        let doc = example(name);
        let body = create(&app, &admin, &doc);
        assert_eq!(body["key"], name);
        assert_eq!(body["version"], doc["version"]);
        assert_eq!(body["status"], "draft");
        assert_eq!(body["content_hash"], Value::Null);
        assert_eq!(body["published_at"], Value::Null);
        assert_eq!(body["warnings"], json!([]));
        assert_eq!(body["document"], doc);

        let (status, body) = app.get(
            &version_url(name, doc["version"].as_i64().unwrap()),
            Some(&admin),
        );
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body["document"], doc,
            "the stored document is the submitted one"
        );
        // Arabic text comes back character for character.
        let title_ar = doc["title"]["ar"].as_str().unwrap();
        assert!(
            title_ar
                .chars()
                .any(|c| ('\u{600}'..='\u{6ff}').contains(&c))
        );
        assert_eq!(body["document"]["title"]["ar"], title_ar);
        assert_eq!(
            body["document"]["sections"][0]["items"][0]["text"]["ar"],
            doc["sections"][0]["items"][0]["text"]["ar"]
        );
    }

    let (status, list) = app.get("/api/v1/checklists", Some(&admin));
    assert_eq!(status, 200, "{list}");
    let keys: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, EXAMPLES);
    for entry in list.as_array().unwrap() {
        assert_eq!(entry["latest_published_version"], Value::Null);
        assert_eq!(
            entry["title"],
            example(entry["key"].as_str().unwrap())["title"]
        );
        assert_eq!(
            entry["versions"],
            json!([{"version": 1, "status": "draft", "content_hash": null, "published_at": null}])
        );
    }
}

#[test]
fn invalid_documents_list_every_problem_with_its_path() {
    let app = spawn_app();
    let admin = app.admin();
    let mut doc = spec_example();
    doc["version"] = json!(0);
    doc["sections"][0]["weight"] = json!(-1);
    let items = &mut doc["sections"][0]["items"];
    items[0]["type"] = json!("yes_or_no");
    items[1]["bands"] = json!([{"max": 10, "score": 1}, {"max": 5, "score": 0.5}]);
    items[2]["show_if"] = json!("card_benefits == 3");
    let (status, body) = app.post("/api/v1/checklists", Some(&admin), &doc);
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "validation_failed");
    assert_eq!(
        detail_paths(&body),
        [
            "/sections/0/items/0/type",
            "/sections/0/items/1/bands/1/max",
            "/sections/0/items/2/show_if",
            "/sections/0/weight",
            "/version",
        ]
    );
    let show_if = &body["error"]["details"][2]["problem"];
    assert!(
        show_if.as_str().unwrap().contains("card_benefits"),
        "{show_if}"
    );

    // Not an object at all: one problem about the whole document.
    let (status, body) = app.post("/api/v1/checklists", Some(&admin), &json!([1, 2]));
    assert_eq!(status, 422, "{body}");
    assert_eq!(detail_paths(&body), [""]);

    // Nothing was stored.
    let (_, list) = app.get("/api/v1/checklists", Some(&admin));
    assert_eq!(list, json!([]));
}

#[test]
fn warnings_come_back_with_the_draft() {
    let app = spawn_app();
    let admin = app.admin();
    let mut doc = spec_example();
    doc["sections"][0]["items"][0]["text"] = json!({"en": "Greeted within 30 seconds"});
    let body = create(&app, &admin, &doc);
    let warnings = body["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w["path"]
            .as_str()
            .unwrap()
            .starts_with("/sections/0/items/0/text")),
        "{body}"
    );
}

pub(crate) fn is_arabic(text: &str) -> bool {
    text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// Three or more English words in a row outside the isolated arguments (FSI … PDI): a sentence
/// left in English.
pub(crate) fn english_run(text: &str) -> Option<String> {
    let mut outside = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '\u{2068}' => depth += 1,
            '\u{2069}' => depth = depth.saturating_sub(1),
            c if depth == 0 => outside.push(c),
            _ => outside.push(' '),
        }
    }
    let mut run = Vec::new();
    for word in outside.split_whitespace() {
        if word.chars().filter(char::is_ascii_alphabetic).count() >= 2 && !is_arabic(word) {
            run.push(word);
            if run.len() >= 3 {
                return Some(run.join(" "));
            }
        } else {
            run.clear();
        }
    }
    None
}

fn path_and_problem(list: &Value) -> Vec<(String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["problem"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Issue 14 (SPEC §10.31): a refused upload's problems and a draft's warnings are in the
/// reader's language, at the same paths; English says what it always said (the CLI's words).
#[test]
fn upload_problems_and_warnings_are_in_the_readers_language() {
    let app = spawn_app();
    let admin = app.admin();
    let mut doc = spec_example();
    let items = &mut doc["sections"][0]["items"];
    items[0]["critical"] = json!("yes");
    items[0]["show_if"] = json!("answered(id_checked)");
    items[1]["wieght"] = json!(2);
    let send =
        |lang: &str| app.send_lang("POST", "/api/v1/checklists", Some(&admin), lang, Some(&doc));
    let (status, en) = send("en");
    assert_eq!(status, 422, "{en}");
    let (status, ar) = send("ar");
    assert_eq!(status, 422, "{ar}");
    assert_eq!(en["error"]["code"], ar["error"]["code"]);
    let en_p = path_and_problem(&en["error"]["details"]);
    let ar_p = path_and_problem(&ar["error"]["details"]);
    let want: Vec<(String, String)> = [
        (
            "/sections/0/items/0/critical",
            "expected true or false, found a string",
        ),
        (
            "/sections/0/items/0/show_if",
            "'id_checked' comes later in the checklist: conditions may only use earlier answers",
        ),
        (
            "/sections/0/items/1/wieght",
            "unknown field 'wieght' (did you mean 'weight'?)",
        ),
    ]
    .map(|(p, t)| (p.to_owned(), t.to_owned()))
    .into();
    assert_eq!(en_p, want);
    // The same words as the checklist crate (and so `sirr checklist validate`).
    let crate_words: Vec<(String, String)> = sirr_checklist::from_value(&doc)
        .problems
        .into_iter()
        .map(|p| (p.path, p.problem))
        .collect();
    assert_eq!(en_p, crate_words);
    assert_eq!(
        en["error"]["message"],
        "the checklist is not valid (3 problems)"
    );

    assert_eq!(
        ar_p.iter().map(|p| &p.0).collect::<Vec<_>>(),
        en_p.iter().map(|p| &p.0).collect::<Vec<_>>(),
        "the same paths"
    );
    for (path, problem) in &ar_p {
        assert!(is_arabic(problem), "{path}: {problem}");
        assert!(english_run(problem).is_none(), "{path}: {problem}");
    }
    assert!(
        ar_p[1].1.contains("\u{2068}id_checked\u{2069}"),
        "{:?}",
        ar_p[1]
    );
    assert!(
        ar_p[2].1.contains("\u{2068}weight\u{2069}"),
        "{:?}",
        ar_p[2]
    );
    let message = ar["error"]["message"].as_str().unwrap();
    assert!(
        is_arabic(message) && english_run(message).is_none(),
        "{message}"
    );

    // A valid draft without the Arabic title of its first section: the warning in Arabic when
    // it is created, in English when it is read back in English.
    let mut doc = spec_example();
    doc["sections"][0]["title"]
        .as_object_mut()
        .unwrap()
        .remove("ar");
    let (status, created) =
        app.send_lang("POST", "/api/v1/checklists", Some(&admin), "ar", Some(&doc));
    assert_eq!(status, 201, "{created}");
    let ar_w = path_and_problem(&created["warnings"]);
    assert_eq!(ar_w.len(), 1, "{ar_w:?}");
    assert_eq!(ar_w[0].0, "/sections/0/title");
    assert!(is_arabic(&ar_w[0].1), "{:?}", ar_w[0]);
    assert!(english_run(&ar_w[0].1).is_none(), "{:?}", ar_w[0]);
    let (status, read) = app.send_lang(
        "GET",
        &version_url("bank-branch-visit", 3),
        Some(&admin),
        "en",
        None,
    );
    assert_eq!(status, 200, "{read}");
    assert_eq!(
        path_and_problem(&read["warnings"]),
        [(
            "/sections/0/title".to_owned(),
            "no 'ar' text, although the checklist declares 'ar'".to_owned()
        )]
    );
}

#[test]
fn publishing_freezes_the_version_with_its_content_hash() {
    let app = spawn_app();
    let qa_email = "qa@test.sirr";
    app.add_user(qa_email, Role::Qa, &[]);
    let qa = app.token(qa_email);
    let doc = spec_example();
    let key = "bank-branch-visit";
    create(&app, &qa, &doc);

    let published = publish(&app, &qa, key, 3);
    assert_eq!(published["status"], "published");
    assert_eq!(published["content_hash"], content_hash(&doc));
    assert_eq!(
        published["content_hash"].as_str().unwrap().len(),
        64,
        "SHA-256, hex"
    );
    assert!(published["published_at"].is_string());
    assert_eq!(published["document"], doc);

    // Publishing again is a no-op.
    let again = publish(&app, &qa, key, 3);
    assert_eq!(again["content_hash"], published["content_hash"]);
    assert_eq!(again["published_at"], published["published_at"]);

    // A published version never changes.
    let mut changed = doc.clone();
    changed["title"]["en"] = json!("Bank branch visit (revised)");
    let (status, body) = app.send("PUT", &version_url(key, 3), Some(&qa), &changed);
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "conflict");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("published versions are immutable")
    );
    let (status, body) = app.post("/api/v1/checklists", Some(&qa), &changed);
    assert_eq!(
        status, 409,
        "a different document under a published key and version: {body}"
    );
    let (status, _) = app.post("/api/v1/checklists", Some(&qa), &doc);
    assert_eq!(status, 409, "the same document is no new version either");
    let (status, _) = app.delete(&version_url(key, 3), Some(&qa));
    assert_eq!(status, 409);
    let (_, body) = app.get(&version_url(key, 3), Some(&qa));
    assert_eq!(body["document"], doc);
    assert_eq!(body["content_hash"], content_hash(&doc));

    // The change goes in as the next version.
    changed["version"] = json!(4);
    create(&app, &qa, &changed);
    let v4 = publish(&app, &qa, key, 4);
    assert_eq!(v4["content_hash"], content_hash(&changed));
    assert_ne!(v4["content_hash"], published["content_hash"]);
    let (_, list) = app.get("/api/v1/checklists", Some(&qa));
    assert_eq!(list[0]["latest_published_version"], 4);
    assert_eq!(list[0]["title"]["en"], "Bank branch visit (revised)");
    assert_eq!(
        list[0]["versions"],
        json!([
            {"version": 3, "status": "published", "content_hash": published["content_hash"],
             "published_at": published["published_at"]},
            {"version": 4, "status": "published", "content_hash": v4["content_hash"],
             "published_at": v4["published_at"]},
        ])
    );
}

#[test]
fn a_draft_saved_meanwhile_by_someone_else_is_not_replaced_unseen() {
    let app = spawn_app();
    let admin = app.admin();
    let doc = example("retail-store-visit");
    let key = "retail-store-visit";
    let url = version_url(key, 1);
    let created = create(&app, &admin, &doc);
    let read = created["revision"].as_str().unwrap().to_owned();
    let (_, got) = app.get(&url, Some(&admin));
    assert_eq!(
        got["revision"],
        read.as_str(),
        "the same stored text, the same revision"
    );

    // Two editors read revision `read`; the first saves.
    let mut first = doc.clone();
    first["title"]["en"] = json!("Store visit (first editor)");
    let if_match = format!("\"{read}\"");
    let (status, body) = app.send_with_headers(
        "PUT",
        &url,
        Some(&admin),
        &[("If-Match", &if_match)],
        &first,
    );
    assert_eq!(status, 200, "{body}");
    let after_first = body["revision"].as_str().unwrap().to_owned();
    assert_ne!(after_first, read);

    // The second, from the same revision, is refused — in the reader's language — and the
    // first one's save stays.
    let mut second = doc.clone();
    second["title"]["ar"] = json!("زيارة متجر (المحرر الثاني)");
    for (lang, words) in [("en", "saved by someone else"), ("ar", "حفظ شخص آخر")] {
        let (status, body) = app.send_with_headers(
            "PUT",
            &url,
            Some(&admin),
            &[("If-Match", &if_match), ("Accept-Language", lang)],
            &second,
        );
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (412, Some("precondition_failed")),
            "{body}"
        );
        assert!(
            body["error"]["message"].as_str().unwrap().contains(words),
            "{body}"
        );
    }
    let (_, stored) = app.get(&url, Some(&admin));
    assert_eq!(stored["document"], first);
    assert_eq!(stored["revision"], after_first.as_str());

    // From the revision it now has, the second editor's save goes through; so does a save that
    // names no revision (or `*`), as before.
    let now = format!("\"{after_first}\"");
    let (status, body) =
        app.send_with_headers("PUT", &url, Some(&admin), &[("If-Match", &now)], &second);
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.send("PUT", &url, Some(&admin), &first).0, 200);
    let (status, _) =
        app.send_with_headers("PUT", &url, Some(&admin), &[("If-Match", "*")], &second);
    assert_eq!(status, 200);
    // A published version stays 409 whatever the revision named.
    publish(&app, &admin, key, 1);
    let (_, published) = app.get(&url, Some(&admin));
    let named = format!("\"{}\"", published["revision"].as_str().unwrap());
    let (status, body) =
        app.send_with_headers("PUT", &url, Some(&admin), &[("If-Match", &named)], &first);
    assert_eq!(status, 409, "{body}");
}

#[test]
fn drafts_are_replaced_and_deleted_and_urls_must_match() {
    let app = spawn_app();
    let admin = app.admin();
    let doc = example("retail-store-visit");
    let key = "retail-store-visit";
    create(&app, &admin, &doc);

    let mut changed = doc.clone();
    changed["title"]["ar"] = json!("زيارة متجر (مراجعة)");
    let (status, body) = app.send("PUT", &version_url(key, 1), Some(&admin), &changed);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "draft");
    assert_eq!(body["document"], changed);
    let (_, body) = app.get(&version_url(key, 1), Some(&admin));
    assert_eq!(body["document"]["title"]["ar"], "زيارة متجر (مراجعة)");

    // The body's key and version are the URL's.
    let mut elsewhere = changed.clone();
    elsewhere["key"] = json!("other-checklist");
    elsewhere["version"] = json!(2);
    let (status, body) = app.send("PUT", &version_url(key, 1), Some(&admin), &elsewhere);
    assert_eq!(status, 422, "{body}");
    assert_eq!(detail_paths(&body), ["/key", "/version"]);
    // And an invalid replacement is refused with its problems.
    let mut invalid = changed.clone();
    invalid["sections"][0]["items"][0]["weight"] = json!(0);
    let (status, body) = app.send("PUT", &version_url(key, 1), Some(&admin), &invalid);
    assert_eq!(status, 422, "{body}");
    assert_eq!(detail_paths(&body), ["/sections/0/items/0/weight"]);
    let (_, body) = app.get(&version_url(key, 1), Some(&admin));
    assert_eq!(
        body["document"], changed,
        "refused changes leave the draft as it was"
    );

    // Creating the same key and version again conflicts.
    let (status, body) = app.post("/api/v1/checklists", Some(&admin), &doc);
    assert_eq!(status, 409, "{body}");

    // Unknown versions and malformed version numbers.
    let (status, _) = app.send("PUT", &version_url(key, 9), Some(&admin), &changed);
    assert_eq!(status, 404);
    for bad in ["0", "-1", "x", "1.5", "99999999999"] {
        let url = format!("/api/v1/checklists/{key}/versions/{bad}");
        let (status, body) = app.get(&url, Some(&admin));
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(body["error"]["code"], "bad_request");
        assert_eq!(app.delete(&url, Some(&admin)).0, 400);
    }

    assert_eq!(app.delete(&version_url(key, 1), Some(&admin)).0, 204);
    assert_eq!(app.get(&version_url(key, 1), Some(&admin)).0, 404);
    assert_eq!(app.delete(&version_url(key, 1), Some(&admin)).0, 404);
    let (_, list) = app.get("/api/v1/checklists", Some(&admin));
    assert_eq!(list, json!([]));
}

#[test]
fn managers_and_shoppers_see_published_versions_only() {
    let app = spawn_app();
    let admin = app.admin();
    app.add_user("manager@test.sirr", Role::Manager, &[]);
    app.add_user("shopper@test.sirr", Role::Shopper, &[]);
    app.add_user("qa@test.sirr", Role::Qa, &[]);

    let v3 = spec_example();
    let mut v4 = v3.clone();
    v4["version"] = json!(4);
    create(&app, &admin, &v3);
    let published = publish(&app, &admin, "bank-branch-visit", 3);
    create(&app, &admin, &v4);
    create(&app, &admin, &example("retail-store-visit"));

    for email in ["manager@test.sirr", "shopper@test.sirr"] {
        let token = app.token(email);
        let (status, list) = app.get("/api/v1/checklists", Some(&token));
        assert_eq!(status, 200, "{list}");
        assert_eq!(
            list,
            json!([{"key": "bank-branch-visit", "title": v3["title"],
                    "latest_published_version": 3,
                    "versions": [{"version": 3, "status": "published",
                                  "content_hash": published["content_hash"],
                                  "published_at": published["published_at"]}]}]),
            "{email}"
        );
        let (status, body) = app.get(&version_url("bank-branch-visit", 3), Some(&token));
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["document"], v3);
        assert_eq!(
            app.get(&version_url("bank-branch-visit", 4), Some(&token))
                .0,
            404
        );
        assert_eq!(
            app.get(&version_url("retail-store-visit", 1), Some(&token))
                .0,
            404
        );
    }

    let qa = app.token("qa@test.sirr");
    let (_, list) = app.get("/api/v1/checklists", Some(&qa));
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["versions"].as_array().unwrap().len(), 2);
    assert_eq!(list[0]["versions"][1]["status"], "draft");
    assert_eq!(
        app.get(&version_url("retail-store-visit", 1), Some(&qa)).0,
        200
    );
}

#[test]
fn only_admin_and_qa_change_checklists() {
    let app = spawn_app();
    let admin = app.admin();
    app.add_user("manager@test.sirr", Role::Manager, &[]);
    app.add_user("shopper@test.sirr", Role::Shopper, &[]);
    app.add_user("qa@test.sirr", Role::Qa, &[]);
    let doc = example("bank-branch-visit");
    let key = "bank-branch-visit";
    create(&app, &admin, &doc);
    let url = version_url(key, 1);
    let publish_url = format!("{url}/publish");

    for email in ["manager@test.sirr", "shopper@test.sirr"] {
        let token = app.token(email);
        let (status, body) = app.post("/api/v1/checklists", Some(&token), &doc);
        assert_eq!(status, 403, "{email}: {body}");
        assert_eq!(body["error"]["code"], "forbidden");
        assert_eq!(app.send("PUT", &url, Some(&token), &doc).0, 403);
        assert_eq!(app.post(&publish_url, Some(&token), &json!({})).0, 403);
        assert_eq!(app.delete(&url, Some(&token)).0, 403);
    }
    assert_eq!(app.get("/api/v1/checklists", None).0, 401);
    assert_eq!(app.get(&url, None).0, 401);
    assert_eq!(app.post("/api/v1/checklists", None, &doc).0, 401);
    assert_eq!(app.send("PUT", &url, None, &doc).0, 401);
    assert_eq!(app.post(&publish_url, None, &json!({})).0, 401);
    assert_eq!(app.delete(&url, None).0, 401);
    let (_, body) = app.get(&url, Some(&admin));
    assert_eq!(body["status"], "draft", "refused requests changed nothing");

    // QA does all of it.
    let qa = app.token("qa@test.sirr");
    let mut changed = doc.clone();
    changed["title"]["en"] = json!("Branch visit");
    assert_eq!(app.send("PUT", &url, Some(&qa), &changed).0, 200);
    assert_eq!(publish(&app, &qa, key, 1)["document"], changed);
    let mut next = changed.clone();
    next["version"] = json!(2);
    create(&app, &qa, &next);
    assert_eq!(app.delete(&version_url(key, 2), Some(&qa)).0, 204);
}

#[test]
fn the_openapi_document_lists_the_checklist_operations() {
    let app = spawn_app();
    let (status, doc) = app.get("/api/v1/openapi.json", None);
    assert_eq!(status, 200);
    let expected = [
        ("/api/v1/checklists", "post", "create_checklist"),
        ("/api/v1/checklists", "get", "list_checklists"),
        (
            "/api/v1/checklists/{key}/versions/{version}",
            "get",
            "get_checklist_version",
        ),
        (
            "/api/v1/checklists/{key}/versions/{version}",
            "put",
            "update_checklist_draft",
        ),
        (
            "/api/v1/checklists/{key}/versions/{version}",
            "delete",
            "delete_checklist_draft",
        ),
        (
            "/api/v1/checklists/{key}/versions/{version}/publish",
            "post",
            "publish_checklist",
        ),
        (
            "/api/v1/checklists/{key}/versions/{version}/xlsform",
            "get",
            "export_checklist_xlsform",
        ),
    ];
    for (path, method, id) in expected {
        let op = &doc["paths"][path][method];
        assert_eq!(op["operationId"], id, "{method} {path}");
        assert_eq!(op["tags"], json!(["checklists"]), "{method} {path}");
    }
    for schema in ["ChecklistVersion", "ChecklistSummary", "VersionSummary"] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "{schema} missing"
        );
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn demo_token(app: &TestApp, email: &str) -> String {
    let (status, body) = app.login(email, "demo-password");
    assert_eq!(status, 200, "{email}: {body}");
    body["access_token"].as_str().unwrap().to_owned()
}

#[test]
fn a_published_checklist_exports_to_xlsform_and_imports_back_the_same() {
    let app = spawn_demo();
    let qa = demo_token(&app, "qa@demo.sirr");
    let (status, list) = app.get("/api/v1/checklists", Some(&qa));
    assert_eq!(status, 200, "{list}");
    let published: Vec<(String, i64)> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| {
            Some((
                c["key"].as_str()?.to_owned(),
                c["latest_published_version"].as_i64()?,
            ))
        })
        .collect();
    assert!(
        !published.is_empty(),
        "the demo has a published checklist: {list}"
    );
    for (key, version) in published {
        let (status, stored) = app.get(&version_url(&key, version), Some(&qa));
        assert_eq!(status, 200, "{stored}");
        let stored_doc = stored["document"].clone();

        let file = app.get_bytes(
            &format!("{}/xlsform", version_url(&key, version)),
            Some(&qa),
        );
        assert_eq!(file.status, 200, "{}", String::from_utf8_lossy(&file.body));
        assert_eq!(file.content_type, XLSX);
        assert_eq!(
            file.disposition,
            format!("attachment; filename=\"{key}-v{version}.xlsx\"")
        );
        assert!(file.body.starts_with(b"PK"), "a zip (xlsx) file");

        // What a person does next: upload the workbook to the importer.
        let (status, imported) = app.post_raw(
            "/api/v1/checklists/import-xlsform",
            Some(&qa),
            &[(
                "Content-Disposition",
                &format!("attachment; filename=\"{key}-v{version}.xlsx\""),
            )],
            &file.body,
        );
        assert_eq!(status, 200, "{imported}");
        let back = imported["checklist"].clone();
        assert_eq!(back["key"], json!(key));
        assert_eq!(back["version"], json!(version));
        let canonical = |doc: &Value| {
            let (c, _) = sirr_checklist::from_value(doc).into_result().unwrap();
            c.to_json_value()
        };
        assert_eq!(canonical(&back), canonical(&stored_doc));
        assert_eq!(
            content_hash(&back),
            stored["content_hash"].as_str().unwrap()
        );
        // A different document does not compare equal (the comparison can fail).
        let mut other = back.clone();
        other["title"]["en"] = json!("Another title");
        assert_ne!(
            content_hash(&other),
            stored["content_hash"].as_str().unwrap()
        );
    }
}

#[test]
fn xlsform_export_is_for_qa_and_admins_and_names_unknown_versions() {
    let app = spawn_app();
    let admin = app.admin();
    app.add_user("manager@test.sirr", Role::Manager, &[]);
    app.add_user("shopper@test.sirr", Role::Shopper, &[]);
    app.add_user("qa@test.sirr", Role::Qa, &[]);
    let qa = app.token("qa@test.sirr");
    let doc = example("retail-store-visit");
    create(&app, &admin, &doc);
    let url = format!("{}/xlsform", version_url("retail-store-visit", 1));
    // Drafts too: a draft is what one edits in a spreadsheet.
    for token in [&admin, &qa] {
        let file = app.get_bytes(&url, Some(token));
        assert_eq!(file.status, 200);
        let (c, _) = sirr_checklist::xlsform::import(&file.body, "x").unwrap();
        assert_eq!(c.content_hash(), content_hash(&doc));
    }
    for email in ["manager@test.sirr", "shopper@test.sirr"] {
        let token = app.token(email);
        let (status, body) = app.get(&url, Some(&token));
        assert_eq!(status, 403, "{email}: {body}");
        assert_eq!(body["error"]["code"], "forbidden");
    }
    let (status, _) = app.get(&url, None);
    assert_eq!(status, 401);
    let (status, body) = app.get(
        &format!("{}/xlsform", version_url("no-such-checklist", 1)),
        Some(&qa),
    );
    assert_eq!(status, 404, "{body}");
    let (status, body) = app.get(
        &format!("{}/xlsform", version_url("retail-store-visit", 2)),
        Some(&qa),
    );
    assert_eq!(status, 404, "{body}");
    let (status, _) = app.get(
        "/api/v1/checklists/retail-store-visit/versions/0/xlsform",
        Some(&qa),
    );
    assert_eq!(status, 400);
}
