//! Campaign planning: scenarios with briefs in both languages (and the shopper reading them),
//! the shoppers a planner picks from, reassignment in one transaction, and the progress board.

use serde_json::{Value, json};
use sirr_server::auth::Role;

use crate::workflow::{Field, field, good_visit};

const EN: &str = "Ask about a credit card for a student; say you have no salary transfer.";
const AR: &str = "اسأل عن بطاقة ائتمان لطالب، وقل إنه ليس لديك تحويل راتب.";

fn plan(branches: &[String], starts: &str, ends: &str, scenarios: Value) -> Value {
    json!({"name": "Wave", "checklist": {"key": "bank-branch-visit", "version": 3},
           "starts_on": starts, "ends_on": ends, "branch_ids": branches,
           "visits_per_branch": 1, "scenarios": scenarios})
}

fn campaign(f: &Field, body: &Value) -> String {
    let (status, c) = f.app.post("/api/v1/campaigns", Some(&f.qa), body);
    assert_eq!(status, 201, "{c}");
    c["id"].as_str().unwrap().to_owned()
}

fn assign_all(f: &Field, id: &str) -> Value {
    let (status, r) = f.app.post(
        &format!("/api/v1/campaigns/{id}/assignments"),
        Some(&f.qa),
        &json!({}),
    );
    assert_eq!(status, 201, "{r}");
    r
}

#[test]
fn scenario_briefs_are_stored_in_both_languages_and_reach_the_shopper() {
    let f = field();
    let scenarios = json!([
        {"code": "card-enquiry", "brief": {"en": EN, "ar": AR}},
        "complaint"
    ]);
    let id = campaign(
        &f,
        &plan(
            std::slice::from_ref(&f.branch),
            "2030-01-01",
            "2030-01-10",
            scenarios,
        ),
    );
    let (_, c) = f.app.get(&format!("/api/v1/campaigns/{id}"), Some(&f.qa));
    assert_eq!(c["scenarios"], json!(["card-enquiry", "complaint"]));
    assert_eq!(
        c["scenario_briefs"],
        json!({"card-enquiry": {"en": EN, "ar": AR}})
    );
    // Only one shopper, so the one visit is theirs and plays the first scenario.
    let (status, body) = f.app.post(
        &format!("/api/v1/campaigns/{id}/assignments"),
        Some(&f.qa),
        &json!({"shopper_ids": [f.shopper_id]}),
    );
    assert_eq!(status, 201, "{body}");
    let (_, mine) = f.app.get("/api/v1/assignments", Some(&f.shopper));
    let a = &mine[0];
    assert_eq!(a["scenario"], "card-enquiry");
    assert_eq!(a["scenario_brief"], json!({"en": EN, "ar": AR}));
    // An assignment without a campaign has no brief.
    let single = f.assignment();
    let (_, one) = f
        .app
        .get(&format!("/api/v1/assignments/{single}"), Some(&f.shopper));
    assert_eq!(one["scenario_brief"], Value::Null);
}

#[test]
fn scenario_briefs_are_refused_where_they_are_wrong_in_the_readers_language() {
    let f = field();
    let long = "x".repeat(2001);
    let body = plan(
        std::slice::from_ref(&f.branch),
        "2030-01-01",
        "2030-01-10",
        json!([
            {"code": "a", "brief": {"en": "Only English"}},
            {"code": "a", "brief": {}},
            {"code": "b", "brief": {"en": long, "ar": "نص"}},
            {"code": "c", "brief": {"fr": "Bonjour"}},
            {"code": "bad code"},
            {"code": "k".repeat(65)}
        ]),
    );
    let (status, e) = f
        .app
        .send_lang("POST", "/api/v1/campaigns", Some(&f.qa), "en", Some(&body));
    assert_eq!(status, 422, "{e}");
    let problems: Vec<(String, String)> = e["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["problem"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let at = |path: &str| {
        problems
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| panic!("nothing at {path}: {problems:?}"))
    };
    assert!(at("/scenarios/0/brief/ar").contains("both Arabic and English"));
    assert!(at("/scenarios/1/code").contains("repeats scenario 1"));
    assert!(at("/scenarios/2/brief/en").contains("2000"));
    assert!(at("/scenarios/3/brief/fr").contains("en (English)"));
    assert!(at("/scenarios/4/code").contains("letters, digits"));
    assert!(at("/scenarios/5/code").contains("at most 64"));
    let (_, e) = f
        .app
        .send_lang("POST", "/api/v1/campaigns", Some(&f.qa), "ar", Some(&body));
    assert!(
        e.to_string().contains("اكتب الموجز بالعربية والإنجليزية"),
        "{e}"
    );
    // Nothing was stored.
    let (_, list) = f.app.get("/api/v1/campaigns", Some(&f.qa));
    assert_eq!(list, json!([]));
}

#[test]
fn planners_list_the_active_shoppers() {
    let f = field();
    let (status, list) = f.app.get("/api/v1/shoppers", Some(&f.qa));
    assert_eq!(status, 200, "{list}");
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{list}");
    assert!(ids.contains(&f.shopper_id.as_str()));
    assert!(list[0]["name"].is_string());
    assert_eq!(f.app.get("/api/v1/shoppers", Some(&f.shopper)).0, 403);
}

#[test]
fn a_reassignment_cancels_and_offers_again_in_one_transaction() {
    let f = field();
    let scenarios = json!([{"code": "card-enquiry", "brief": {"en": EN, "ar": AR}}]);
    let id = campaign(
        &f,
        &plan(
            std::slice::from_ref(&f.branch),
            "2030-01-01",
            "2030-01-10",
            scenarios,
        ),
    );
    let (_, r) = f.app.post(
        &format!("/api/v1/campaigns/{id}/assignments"),
        Some(&f.qa),
        &json!({"shopper_ids": [f.shopper_id]}),
    );
    let old = r["created"][0].as_str().unwrap().to_owned();
    let third = f.app.add_user("shopper3@test.sirr", Role::Shopper, &[]);
    let (_, others) = f.app.get("/api/v1/shoppers", Some(&f.qa));
    let second = others
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .find(|s| *s != f.shopper_id && *s != third)
        .unwrap();
    let url = format!("/api/v1/assignments/{old}/reassign");
    // Shoppers may not; the same shopper is refused by name.
    assert_eq!(
        f.app
            .post(&url, Some(&f.shopper), &json!({"shopper_id": second}))
            .0,
        403
    );
    let (status, e) = f
        .app
        .post(&url, Some(&f.qa), &json!({"shopper_id": f.shopper_id}));
    assert_eq!(status, 422, "{e}");
    assert_eq!(e["error"]["details"][0]["path"], "/shopper_id");
    // A barred shopper is refused, and the old assignment is left as it was.
    f.app.post(
        &format!("/api/v1/shoppers/{third}/bars"),
        Some(&f.qa),
        &json!({"branch_id": f.branch, "reason": "cousin is the manager"}),
    );
    let (status, e) = f.app.post(
        &format!("/api/v1/shoppers/{third}/bars"),
        Some(&f.qa),
        &json!({"branch_id": f.branch, "reason": "y".repeat(501)}),
    );
    assert_eq!(status, 422, "{e}");
    assert_eq!(e["error"]["details"][0]["path"], "/reason");
    let (status, e) = f.app.post(&url, Some(&f.qa), &json!({"shopper_id": third}));
    assert_eq!(status, 422, "{e}");
    assert!(e.to_string().contains("cousin is the manager"), "{e}");
    let (_, still) = f
        .app
        .get(&format!("/api/v1/assignments/{old}"), Some(&f.qa));
    assert_eq!(still["status"], "offered");
    // To the second shopper: the old one is cancelled, the new one is the same visit.
    let (status, new) = f
        .app
        .post(&url, Some(&f.qa), &json!({"shopper_id": second}));
    assert_eq!(status, 201, "{new}");
    assert_eq!(new["status"], "offered");
    assert_eq!(new["shopper"]["id"], second.as_str());
    assert_eq!(new["campaign_id"], id.as_str());
    assert_eq!(new["branch"]["id"], still["branch"]["id"]);
    assert_eq!(new["window"], still["window"]);
    assert_eq!(new["scenario"], "card-enquiry");
    assert_eq!(new["scenario_brief"]["ar"], AR);
    let (_, was) = f
        .app
        .get(&format!("/api/v1/assignments/{old}"), Some(&f.qa));
    assert_eq!(was["status"], "cancelled");
    // Once cancelled it cannot be given away again.
    let (status, _) = f.app.post(&url, Some(&f.qa), &json!({"shopper_id": third}));
    assert_eq!(status, 409);
    let (_, c) = f.app.get(&format!("/api/v1/campaigns/{id}"), Some(&f.qa));
    assert_eq!(c["assignments"], json!({"cancelled": 1, "offered": 1}));
}

#[test]
fn the_progress_board_counts_per_branch_and_shopper_and_marks_the_overdue() {
    let f = field();
    let second_branch = f.app.branch(&f.admin, "RUH-018", &f.region);
    let idle_branch = f.app.branch(&f.admin, "RUH-019", &f.region);
    let branches = vec![f.branch.clone(), second_branch.clone(), idle_branch.clone()];
    // A campaign whose window has ended (2020): whatever is not submitted is overdue.
    let id = campaign(&f, &plan(&branches, "2020-03-01", "2020-03-10", json!([])));
    let (_, r) = f.app.post(
        &format!("/api/v1/campaigns/{id}/assignments"),
        Some(&f.qa),
        &json!({"shopper_ids": [f.shopper_id]}),
    );
    assert_eq!(r["created"].as_array().unwrap().len(), 3, "{r}");
    let (_, list) = f.app.get(
        &format!("/api/v1/assignments?campaign_id={id}"),
        Some(&f.qa),
    );
    let of = |branch: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|a| a["branch"]["id"] == branch)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // First branch: accepted, submitted, approved. Second: accepted only (overdue).
    // Third: cancelled (not overdue).
    let first = of(&f.branch);
    for a in [&first, &of(&second_branch)] {
        let (s, b) = f.app.post(
            &format!("/api/v1/assignments/{a}/accept"),
            Some(&f.shopper),
            &json!({}),
        );
        assert_eq!(s, 200, "{b}");
    }
    let (s, visit) = f.submit(&first, "p-1", &good_visit());
    assert_eq!(s, 201, "{visit}");
    let (s, b) = f.app.post(
        &format!("/api/v1/visits/{}/approve", visit["id"].as_str().unwrap()),
        Some(&f.qa),
        &json!({}),
    );
    assert_eq!(s, 200, "{b}");
    f.app.delete(
        &format!("/api/v1/assignments/{}", of(&idle_branch)),
        Some(&f.qa),
    );

    let url = format!("/api/v1/campaigns/{id}/progress");
    assert_eq!(f.app.get(&url, Some(&f.shopper)).0, 403);
    assert_eq!(
        f.app.get("/api/v1/campaigns/nope/progress", Some(&f.qa)).0,
        404
    );
    let (status, board) = f.app.get(&url, Some(&f.qa));
    assert_eq!(status, 200, "{board}");
    assert_eq!(board["campaign_id"], id.as_str());
    assert_eq!(
        board["totals"],
        json!({"counts": {"approved": 1, "accepted": 1, "cancelled": 1}, "overdue": 1})
    );
    let lines: Vec<(String, Value, i64)> = board["branches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["code"].as_str().unwrap().to_owned(),
                b["counts"].clone(),
                b["overdue"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            ("RUH-017".to_owned(), json!({"approved": 1}), 0),
            ("RUH-018".to_owned(), json!({"accepted": 1}), 1),
            ("RUH-019".to_owned(), json!({"cancelled": 1}), 0),
        ]
    );
    assert!(board["branches"][0]["names"]["ar"].is_string());
    assert_eq!(board["shoppers"].as_array().unwrap().len(), 1);
    assert_eq!(board["shoppers"][0]["shopper_id"], f.shopper_id.as_str());
    assert_eq!(board["shoppers"][0]["overdue"], 1);
    assert_eq!(
        board["shoppers"][0]["counts"],
        json!({"approved": 1, "accepted": 1, "cancelled": 1})
    );
    // A campaign still running has nothing overdue; a branch nobody took shows empty counts.
    let later = campaign(
        &f,
        &plan(
            std::slice::from_ref(&f.branch),
            "2030-01-01",
            "2030-01-10",
            json!([]),
        ),
    );
    let (_, board) = f
        .app
        .get(&format!("/api/v1/campaigns/{later}/progress"), Some(&f.qa));
    assert_eq!(board["totals"], json!({"counts": {}, "overdue": 0}));
    assert_eq!(board["branches"][0]["counts"], json!({}));
    assert_eq!(board["shoppers"], json!([]));
    let _ = assign_all(&f, &later);
    let (_, board) = f
        .app
        .get(&format!("/api/v1/campaigns/{later}/progress"), Some(&f.qa));
    assert_eq!(board["totals"]["overdue"], 0);
    assert_eq!(board["totals"]["counts"]["offered"], 1);
}

#[test]
fn assigning_a_campaign_again_fills_only_its_open_visits() {
    let f = field();
    let mut body = plan(
        std::slice::from_ref(&f.branch),
        "2030-02-01",
        "2030-02-28",
        json!([]),
    );
    body["visits_per_branch"] = json!(2);
    let id = campaign(&f, &body);
    let first = assign_all(&f, &id);
    assert_eq!(first["created"].as_array().unwrap().len(), 2, "{first}");
    // Again at once: every visit is held, nothing is added.
    let again = assign_all(&f, &id);
    assert_eq!(again, json!({"created": [], "unfilled": []}));
    // QA withdraws one: the next run offers exactly that visit again, in the same window.
    let withdrawn = first["created"][1].as_str().unwrap();
    let (_, was) = f
        .app
        .get(&format!("/api/v1/assignments/{withdrawn}"), Some(&f.qa));
    let (status, _) = f
        .app
        .delete(&format!("/api/v1/assignments/{withdrawn}"), Some(&f.qa));
    assert_eq!(status, 200);
    let refill = assign_all(&f, &id);
    let created = refill["created"].as_array().unwrap();
    assert_eq!(created.len(), 1, "{refill}");
    let (_, new) = f.app.get(
        &format!("/api/v1/assignments/{}", created[0].as_str().unwrap()),
        Some(&f.qa),
    );
    assert_eq!(new["window"], was["window"]);
    assert_eq!(new["branch"]["id"], was["branch"]["id"]);
    // A reassigned visit is still held by its new assignment.
    let kept = first["created"][0].as_str().unwrap();
    let (_, k) = f
        .app
        .get(&format!("/api/v1/assignments/{kept}"), Some(&f.qa));
    let (_, others) = f.app.get("/api/v1/shoppers", Some(&f.qa));
    let other = others
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .find(|s| *s != k["shopper"]["id"].as_str().unwrap())
        .unwrap();
    let (status, moved) = f.app.post(
        &format!("/api/v1/assignments/{kept}/reassign"),
        Some(&f.qa),
        &json!({"shopper_id": other}),
    );
    assert_eq!(status, 201, "{moved}");
    assert_eq!(assign_all(&f, &id), json!({"created": [], "unfilled": []}));
    let (_, c) = f.app.get(&format!("/api/v1/campaigns/{id}"), Some(&f.qa));
    assert_eq!(c["assignments"], json!({"cancelled": 2, "offered": 2}));
}
