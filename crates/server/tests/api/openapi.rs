//! The OpenAPI document: served, OpenAPI 3, and covering every route.

use crate::helpers::spawn_app;

#[test]
fn document_covers_every_route() {
    let app = spawn_app();
    let (status, doc) = app.get("/api/v1/openapi.json", None);
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let expected = [
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/regions", "get"),
        ("/api/v1/regions", "post"),
        ("/api/v1/regions/{id}", "get"),
        ("/api/v1/regions/{id}", "patch"),
        ("/api/v1/regions/{id}", "delete"),
        ("/api/v1/branches", "get"),
        ("/api/v1/branches", "post"),
        ("/api/v1/branches/{id}", "get"),
        ("/api/v1/branches/{id}", "patch"),
        ("/api/v1/branches/{id}", "delete"),
        ("/api/v1/teams", "get"),
        ("/api/v1/teams", "post"),
        ("/api/v1/teams/{id}", "get"),
        ("/api/v1/teams/{id}", "patch"),
        ("/api/v1/teams/{id}", "delete"),
        ("/api/v1/users", "get"),
        ("/api/v1/users", "post"),
        ("/api/v1/users/{id}", "get"),
        ("/api/v1/users/{id}", "patch"),
        ("/api/v1/users/{id}/password", "post"),
        ("/api/v1/checklists", "get"),
        ("/api/v1/checklists", "post"),
        ("/api/v1/checklists/{key}/versions/{version}", "get"),
        ("/api/v1/checklists/{key}/versions/{version}", "put"),
        ("/api/v1/checklists/{key}/versions/{version}", "delete"),
        (
            "/api/v1/checklists/{key}/versions/{version}/publish",
            "post",
        ),
        ("/api/v1/openapi.json", "get"),
        ("/api/v1/branches/{id}/visits", "get"),
        ("/api/v1/me/tokens", "get"),
        ("/api/v1/me/tokens", "post"),
        ("/api/v1/me/tokens/{id}", "delete"),
        ("/api/v1/exports/visits.csv", "get"),
        ("/api/v1/exports/visits.xlsx", "get"),
        ("/api/v1/exports/visits.jsonl", "get"),
        ("/api/v1/exports/answers.csv", "get"),
        ("/api/v1/exports/scores.csv", "get"),
        ("/api/v1/exports/scores.xlsx", "get"),
    ];
    for (path, method) in expected {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["schemas"]["ErrorEnvelope"].is_object());
}

#[test]
fn operation_ids_are_unique() {
    let doc = serde_json::to_value(sirr_server::api::openapi::document_value()).unwrap();
    let mut ids = Vec::new();
    for (_, item) in doc["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            if let Some(id) = op.get("operationId").and_then(|v| v.as_str()) {
                ids.push(id.to_owned());
            }
        }
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate operation ids");
}

/// What no route takes answers in the envelope: 405 with `Allow` for a path of the document
/// under another method, 404 for no such path (both were empty 404s), and a JSON body that is
/// not an object is 400 (`[null, null]` was read as a patch of absent fields). Schemathesis's
/// `unsupported_method` and `negative_data_rejection` checks found them.
#[test]
fn unmatched_methods_paths_and_non_object_bodies() {
    let app = spawn_app();
    let admin = app.admin();
    let (status, body) = app.send(
        "PUT",
        "/api/v1/regions",
        Some(&admin),
        &serde_json::json!({}),
    );
    assert_eq!(status, 405, "{body}");
    assert_eq!(body["error"]["code"], "method_not_allowed");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("GET, POST"),
        "{body}"
    );
    let (status, body) = app.send("POST", "/readyz", None, &serde_json::json!({}));
    assert_eq!(status, 405, "{body}");
    let (status, body) = app.get("/api/v1/no-such-thing", Some(&admin));
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"]["code"], "not_found");
    let (status, region) = app.post(
        "/api/v1/regions",
        Some(&admin),
        &serde_json::json!({"code": "AR", "names": {"en": "A", "ar": "ا"}}),
    );
    assert_eq!(status, 201, "{region}");
    let (status, body) = app.patch(
        &format!("/api/v1/regions/{}", region["id"].as_str().unwrap()),
        Some(&admin),
        &serde_json::json!([null, null]),
    );
    assert_eq!(status, 400, "{body}");
}

/// The stored vocabularies appear in the document with the words the API sends: a client that
/// validates answers against the schema accepts `"approved"`, `"in_progress"`, `"qa"`.
#[test]
fn stored_vocabularies_list_the_words_the_api_sends() {
    use sirr_store::status::{
        ActionStatus, AssignmentStatus, ChecklistStatus, DisputeStatus, Role, ScopeKind,
    };
    fn words<T: Copy>(all: &[T], word: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|v| word(*v)).collect()
    }
    let doc = serde_json::to_value(sirr_server::api::openapi::document_value()).unwrap();
    let vocabularies = [
        (
            "AssignmentStatus",
            words(AssignmentStatus::ALL, AssignmentStatus::as_str),
        ),
        (
            "ChecklistStatus",
            words(ChecklistStatus::ALL, ChecklistStatus::as_str),
        ),
        (
            "DisputeStatus",
            words(DisputeStatus::ALL, DisputeStatus::as_str),
        ),
        (
            "ActionStatus",
            words(ActionStatus::ALL, ActionStatus::as_str),
        ),
        ("Role", words(Role::ALL, Role::as_str)),
        ("ScopeKind", words(ScopeKind::ALL, ScopeKind::as_str)),
    ];
    for (name, expected) in vocabularies {
        let listed: Vec<&str> = doc["components"]["schemas"][name]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} has no enum in the document"))
            .iter()
            .map(|w| w.as_str().unwrap())
            .collect();
        assert_eq!(listed, expected, "{name}");
    }
    assert!(words(ActionStatus::ALL, ActionStatus::as_str).contains(&"in_progress"));
}
