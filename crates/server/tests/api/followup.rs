//! Follow-up after approval: disputes (filing, scope, QA's decision, the score moving with an
//! overturn, shopper anonymity), action plans, and the audit log that records all of it.

use serde_json::{Value, json};
use sirr_server::auth::{Role, ScopeKind};

use crate::workflow::{Field, field, good_visit};

/// The visit score of `good_visit()` (SPEC §4 golden example) and the same with `wait_minutes`
/// (weight 1, scored 0.5) set aside as N/A.
const GOLDEN: f64 = 4.75 / 6.0;
const WAIT_OVERTURNED: f64 = 4.25 / 5.0;

/// A manager of the field's region and one of a branch elsewhere.
struct Managers {
    inside: String,
    inside_id: String,
    outside: String,
    other_branch: String,
}

fn managers(f: &Field) -> Managers {
    let inside_id = f.app.add_user(
        "manager@test.sirr",
        Role::Manager,
        &[(ScopeKind::Region, &f.region)],
    );
    let jeddah = f.app.region(&f.admin, "JED", "Jeddah", "جدة");
    let other_branch = f.app.branch(&f.admin, "JED-001", &jeddah);
    f.app.add_user(
        "outsider@test.sirr",
        Role::Manager,
        &[(ScopeKind::Branch, &other_branch)],
    );
    Managers {
        inside: f.app.token("manager@test.sirr"),
        inside_id,
        outside: f.app.token("outsider@test.sirr"),
        other_branch,
    }
}

/// Submits `good_visit()` and returns the visit id (not yet approved).
fn submitted_visit(f: &Field) -> String {
    let a = f.assignment();
    let (status, visit) = f.submit(&a, "k-1", &good_visit());
    assert_eq!(status, 201, "{visit}");
    visit["id"].as_str().unwrap().to_owned()
}

fn approve(f: &Field, visit: &str) {
    let (status, body) = f.app.post(
        &format!("/api/v1/visits/{visit}/approve"),
        Some(&f.qa),
        &json!({}),
    );
    assert_eq!(status, 200, "{body}");
}

fn user_id(f: &Field, email: &str) -> String {
    let (status, users) = f.app.get("/api/v1/users", Some(&f.admin));
    assert_eq!(status, 200);
    users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email)
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .unwrap()
}

fn raw_score(f: &Field, token: &str) -> (u16, Value) {
    let (status, body) = f.app.get(
        &format!("/api/v1/scores/branches/{}", f.branch),
        Some(token),
    );
    (status, body["raw_score"].clone())
}

fn assert_close(found: &Value, expected: f64, what: &str) {
    let x = found
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {found}"));
    assert!((x - expected).abs() < 1e-9, "{what}: {x} != {expected}");
}

/// Every manager-facing body is kept here and scanned for shopper identity at the end.
struct Seen(Vec<(String, Value)>);

impl Seen {
    fn keep(&mut self, what: &str, reply: (u16, Value)) -> (u16, Value) {
        self.0.push((what.to_owned(), reply.1.clone()));
        reply
    }
}

#[test]
fn managers_dispute_items_and_qa_overturns_them_with_the_score_following() {
    let f = field();
    let m = managers(&f);
    let qa_id = user_id(&f, "qa@test.sirr");
    let mut seen = Seen(Vec::new());
    let visit = submitted_visit(&f);
    let url = format!("/api/v1/visits/{visit}/disputes");
    let claim = json!({"item_key": "wait_minutes",
                       "reason": "Two tellers were on their prayer break; the wait was 4 minutes",
                       "evidence": "https://cctv.example/ruh-017/2026-10-03T14:10"});

    // Not approved yet: managers do not know the visit.
    let (status, _) = seen.keep("early", f.app.post(&url, Some(&m.inside), &claim));
    assert_eq!(status, 404);
    approve(&f, &visit);

    // Out of scope: 404; other roles: 403.
    assert_eq!(f.app.post(&url, Some(&m.outside), &claim).0, 404);
    assert_eq!(f.app.post(&url, Some(&f.shopper), &claim).0, 403);
    assert_eq!(f.app.post(&url, Some(&f.qa), &claim).0, 403);
    let missing = format!("/api/v1/visits/{}/disputes", "0123456789abcdef");
    assert_eq!(f.app.post(&missing, Some(&m.inside), &claim).0, 404);

    // Invalid: an item the checklist does not have, and no reason.
    let (status, body) = seen.keep(
        "invalid",
        f.app.post(
            &url,
            Some(&m.inside),
            &json!({"item_key": "smiled", "reason": "  "}),
        ),
    );
    assert_eq!(status, 422, "{body}");
    let paths: Vec<&str> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"/item_key") && paths.contains(&"/reason"),
        "{body}"
    );

    let (_, before) = seen.keep("scores before", raw_score(&f, &m.inside));
    assert_close(&before, GOLDEN, "raw score before");

    // Filed.
    let (status, dispute) = seen.keep("filed", f.app.post(&url, Some(&m.inside), &claim));
    assert_eq!(status, 201, "{dispute}");
    let id = dispute["id"].as_str().unwrap().to_owned();
    assert_eq!(dispute["status"], "open");
    assert_eq!(dispute["visit_id"], visit.as_str());
    assert_eq!(dispute["branch_id"], f.branch.as_str());
    assert_eq!(dispute["branch_code"], "RUH-017");
    assert_eq!(dispute["item_key"], "wait_minutes");
    assert_eq!(dispute["section_key"], "welcome");
    assert_eq!(dispute["answer"], 7);
    assert_eq!(dispute["comment"], "Two counters closed at noon");
    assert_eq!(dispute["evidence"], claim["evidence"]);
    assert_eq!(dispute["resolution"], Value::Null);
    assert!(dispute.get("raised_by").is_none() && dispute.get("resolved_by").is_none());

    // One open dispute per visit and item.
    let (status, body) = seen.keep("duplicate", f.app.post(&url, Some(&m.inside), &claim));
    assert_eq!(status, 409, "{body}");

    // Reading: the manager in scope lists and reads it; the outsider does not; shoppers 403.
    let (status, list) = seen.keep("list", f.app.get("/api/v1/disputes", Some(&m.inside)));
    assert_eq!(status, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (status, list) = seen.keep(
        "list open",
        f.app.get("/api/v1/disputes?status=open", Some(&m.inside)),
    );
    assert_eq!((status, list.as_array().unwrap().len()), (200, 1));
    assert_eq!(f.app.get("/api/v1/disputes", Some(&m.outside)).1, json!([]));
    assert_eq!(
        f.app
            .get(
                &format!("/api/v1/disputes?branch_id={}", m.other_branch),
                Some(&f.qa)
            )
            .1,
        json!([])
    );
    let one = format!("/api/v1/disputes/{id}");
    assert_eq!(f.app.get(&one, Some(&m.outside)).0, 404);
    assert_eq!(f.app.get(&one, Some(&f.shopper)).0, 403);
    assert_eq!(f.app.get("/api/v1/disputes", Some(&f.shopper)).0, 403);
    assert_eq!(
        f.app.get("/api/v1/disputes?status=closed", Some(&f.qa)).0,
        400
    );
    let (status, for_qa) = f.app.get(&one, Some(&f.qa));
    assert_eq!(status, 200);
    assert_eq!(for_qa["raised_by"]["id"], m.inside_id.as_str());

    // Only QA and admins decide, with a known outcome and a reason.
    let resolve = format!("/api/v1/disputes/{id}/resolve");
    let decision = json!({"outcome": "overturned",
                          "reason": "CCTV shows a 4-minute wait; the shopper's clock was off"});
    assert_eq!(f.app.post(&resolve, Some(&m.inside), &decision).0, 403);
    assert_eq!(f.app.post(&resolve, Some(&f.shopper), &decision).0, 403);
    let (status, body) = f.app.post(
        &resolve,
        Some(&f.qa),
        &json!({"outcome": "maybe", "reason": ""}),
    );
    assert_eq!(status, 422, "{body}");
    let (status, resolved) = f.app.post(&resolve, Some(&f.qa), &decision);
    assert_eq!(status, 200, "{resolved}");
    assert_eq!(resolved["status"], "overturned");
    assert_eq!(resolved["resolved_by"]["id"], qa_id.as_str());
    assert!(resolved["resolved_at"].is_string());
    assert_eq!(f.app.post(&resolve, Some(&f.qa), &decision).0, 409);

    // The manager sees the outcome and QA's reason, not who decided.
    let (status, outcome) = seen.keep("outcome", f.app.get(&one, Some(&m.inside)));
    assert_eq!(status, 200);
    assert_eq!(outcome["status"], "overturned");
    assert_eq!(outcome["resolution"], decision["reason"]);
    assert!(outcome["resolved_at"].is_string());
    assert!(outcome.get("resolved_by").is_none());

    // The overturned item is N/A for the visit: the branch's score moves.
    let (status, after) = seen.keep("scores after", raw_score(&f, &m.inside));
    assert_eq!(status, 200);
    assert_close(&after, WAIT_OVERTURNED, "raw score after the overturn");

    // An overturned item is not disputed again; another item can be, and QA may uphold it.
    let (status, _) = seen.keep("again", f.app.post(&url, Some(&m.inside), &claim));
    assert_eq!(status, 409);
    let (status, second) = seen.keep(
        "second",
        f.app.post(
            &url,
            Some(&m.inside),
            &json!({"item_key": "greeted_30s", "reason": "The greeter was at the door"}),
        ),
    );
    assert_eq!(status, 201, "{second}");
    let second_id = second["id"].as_str().unwrap();
    let (status, upheld) = f.app.post(
        &format!("/api/v1/disputes/{second_id}/resolve"),
        Some(&f.app.admin()),
        &json!({"outcome": "upheld", "reason": "The shopper's notes are specific"}),
    );
    assert_eq!((status, upheld["status"].as_str()), (200, Some("upheld")));
    let (_, unchanged) = seen.keep("scores upheld", raw_score(&f, &m.inside));
    assert_close(
        &unchanged,
        WAIT_OVERTURNED,
        "an upheld dispute changes nothing",
    );
    let (_, all) = seen.keep("list all", f.app.get("/api/v1/disputes", Some(&m.inside)));
    assert_eq!(all.as_array().unwrap().len(), 2);

    // Nothing a manager received names the shopper or the QA who decided.
    for (what, body) in &seen.0 {
        let text = body.to_string();
        for secret in [
            f.shopper_id.as_str(),
            "shopper1@test.sirr",
            qa_id.as_str(),
            "qa@test.sirr",
        ] {
            assert!(!text.contains(secret), "{what} reveals {secret}: {text}");
        }
    }
}

#[test]
fn action_plans_are_recorded_per_period_and_marked_done() {
    let f = field();
    let m = managers(&f);
    let url = format!("/api/v1/branches/{}/actions", f.branch);
    let plan = json!({"period": "2026-10", "item_key": "wait_minutes",
                      "action": "Open a second counter from 12:00 to 14:00",
                      "owner": "Branch operations lead", "due_on": "2026-11-15"});

    let (status, item) = f.app.post(&url, Some(&m.inside), &plan);
    assert_eq!(status, 201, "{item}");
    let id = item["id"].as_str().unwrap().to_owned();
    assert_eq!(item["status"], "open");
    assert_eq!(item["period"], "2026-10");
    assert_eq!(item["due_on"], "2026-11-15");
    assert_eq!(item["done_at"], Value::Null);
    assert_eq!(item["branch_id"], f.branch.as_str());

    let (status, quarter) = f.app.post(
        &url,
        Some(&f.qa),
        &json!({"period": "2026-Q4", "section_key": "welcome",
                "action": "Coach greeting at the door", "owner": "Team leader",
                "due_on": "2026-12-01"}),
    );
    assert_eq!(status, 201, "{quarter}");
    let (status, week) = f.app.post(
        &url,
        Some(&f.admin),
        &json!({"period": "2026-W41", "action": "Review the queue display",
                "owner": "Branch manager", "due_on": "2026-10-20"}),
    );
    assert_eq!((status, week["period"].as_str()), (201, Some("2026-W41")));

    // Validation: a bad period, date, both keys, an unknown item.
    let (status, body) = f.app.post(
        &url,
        Some(&m.inside),
        &json!({"period": "2026-13", "item_key": "smiled", "section_key": "welcome",
                "action": "", "owner": "x", "due_on": "15/11/2026"}),
    );
    assert_eq!(status, 422, "{body}");
    let paths: Vec<&str> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    for path in ["/period", "/section_key", "/action", "/due_on", "/item_key"] {
        assert!(paths.contains(&path), "{path} missing: {body}");
    }

    // Listed per period.
    let (status, october) = f.app.get(&format!("{url}?period=2026-10"), Some(&m.inside));
    assert_eq!(status, 200);
    assert_eq!(october.as_array().unwrap().len(), 1);
    assert_eq!(october[0]["id"], id.as_str());
    let (_, q4) = f.app.get(&format!("{url}?period=2026-Q4"), Some(&m.inside));
    assert_eq!(q4.as_array().unwrap().len(), 1);
    assert_eq!(q4[0]["section_key"], "welcome");
    let (_, every) = f.app.get(&url, Some(&m.inside));
    assert_eq!(every.as_array().unwrap().len(), 3);
    assert_eq!(
        f.app
            .get(&format!("{url}?period=october"), Some(&m.inside))
            .0,
        400
    );

    // Marked done: done_at set; reopened: cleared.
    let one = format!("/api/v1/actions/{id}");
    let (status, done) = f
        .app
        .patch(&one, Some(&m.inside), &json!({"status": "done"}));
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["status"], "done");
    assert!(done["done_at"].is_string());
    let (_, still) = f
        .app
        .patch(&one, Some(&m.inside), &json!({"owner": "Deputy manager"}));
    assert_eq!(
        still["done_at"], done["done_at"],
        "done_at stays while done"
    );
    assert_eq!(still["owner"], "Deputy manager");
    let (_, reopened) = f
        .app
        .patch(&one, Some(&m.inside), &json!({"status": "open"}));
    assert_eq!(reopened["done_at"], Value::Null);
    let (status, moving) = f.app.patch(
        &one,
        Some(&m.inside),
        &json!({"status": "in_progress", "due_on": "2026-11-30"}),
    );
    assert_eq!(status, 200, "{moving}");
    assert_eq!(moving["due_on"], "2026-11-30");
    assert_eq!(moving["done_at"], Value::Null);
    let (status, _) = f
        .app
        .patch(&one, Some(&m.inside), &json!({"status": "finished"}));
    assert_eq!(status, 422);
    let (_, done) = f
        .app
        .patch(&one, Some(&m.inside), &json!({"status": "done"}));
    let (_, october) = f.app.get(&format!("{url}?period=2026-10"), Some(&m.inside));
    assert_eq!(october[0]["done_at"], done["done_at"]);

    // Out of scope: 404 for everything; shoppers: 403.
    assert_eq!(f.app.get(&url, Some(&m.outside)).0, 404);
    assert_eq!(f.app.post(&url, Some(&m.outside), &plan).0, 404);
    assert_eq!(
        f.app
            .patch(&one, Some(&m.outside), &json!({"status": "open"}))
            .0,
        404
    );
    assert_eq!(f.app.delete(&one, Some(&m.outside)).0, 404);
    assert_eq!(f.app.get(&url, Some(&f.shopper)).0, 403);
    assert_eq!(f.app.post(&url, Some(&f.shopper), &plan).0, 403);
    let nowhere = "/api/v1/branches/0123456789abcdef/actions";
    assert_eq!(f.app.get(nowhere, Some(&f.admin)).0, 404);
    let elsewhere = format!("/api/v1/branches/{}/actions", m.other_branch);
    assert_eq!(f.app.get(&elsewhere, Some(&m.outside)).1, json!([]));

    // Deleted.
    assert_eq!(f.app.delete(&one, Some(&m.inside)).0, 204);
    assert_eq!(f.app.delete(&one, Some(&m.inside)).0, 404);
    let (_, every) = f.app.get(&url, Some(&m.inside));
    assert_eq!(every.as_array().unwrap().len(), 2);
}

fn audit(f: &Field, query: &str) -> Value {
    let (status, page) = f.app.get(&format!("/api/v1/audit{query}"), Some(&f.admin));
    assert_eq!(status, 200, "{query}: {page}");
    page
}

fn entries(page: &Value) -> Vec<Value> {
    page["entries"].as_array().unwrap().clone()
}

fn actions_of(list: &[Value]) -> Vec<&str> {
    list.iter().map(|e| e["action"].as_str().unwrap()).collect()
}

#[test]
fn the_audit_log_records_every_change_for_admins() {
    let f = field();
    let m = managers(&f);
    let admin_id = user_id(&f, "admin@test.sirr");
    let qa_id = user_id(&f, "qa@test.sirr");

    // Organisation and user changes through the API.
    let (status, _) = f.app.patch(
        &format!("/api/v1/regions/{}", f.region),
        Some(&f.admin),
        &json!({"code": "RYD"}),
    );
    assert_eq!(status, 200);
    let (status, team) = f.app.post(
        "/api/v1/teams",
        Some(&f.admin),
        &json!({"branch_id": f.branch, "code": "tellers", "names": {"en": "Tellers"}}),
    );
    assert_eq!(status, 201, "{team}");
    let secret = "a-very-secret-password-42";
    let (status, user) = f.app.post(
        "/api/v1/users",
        Some(&f.admin),
        &json!({"email": "new.qa@test.sirr", "name": "New QA", "role": "qa",
                "password": secret}),
    );
    assert_eq!(status, 201, "{user}");
    let new_user = user["id"].as_str().unwrap().to_owned();
    let user_url = format!("/api/v1/users/{new_user}");
    assert_eq!(
        f.app
            .patch(&user_url, Some(&f.admin), &json!({"name": "Renamed QA"}))
            .0,
        200
    );
    assert_eq!(
        f.app
            .post(
                &format!("{user_url}/password"),
                Some(&f.admin),
                &json!({"password": "another-secret-password-43"})
            )
            .0,
        204
    );

    // A dispute filed and resolved.
    let visit = submitted_visit(&f);
    approve(&f, &visit);
    let (status, dispute) = f.app.post(
        &format!("/api/v1/visits/{visit}/disputes"),
        Some(&m.inside),
        &json!({"item_key": "wait_minutes", "reason": "The wait was shorter"}),
    );
    assert_eq!(status, 201, "{dispute}");
    let dispute_id = dispute["id"].as_str().unwrap().to_owned();
    let (status, _) = f.app.post(
        &format!("/api/v1/disputes/{dispute_id}/resolve"),
        Some(&f.qa),
        &json!({"outcome": "overturned", "reason": "Confirmed on CCTV"}),
    );
    assert_eq!(status, 200);

    // The dispute's history, newest first, with actor and time.
    let history = entries(&audit(
        &f,
        &format!("?entity=dispute&entity_id={dispute_id}"),
    ));
    assert_eq!(actions_of(&history), ["resolve", "create"]);
    assert_eq!(history[0]["actor_id"], qa_id.as_str());
    assert_eq!(history[0]["actor_email"], "qa@test.sirr");
    assert_eq!(history[0]["details"]["outcome"], "overturned");
    assert_eq!(history[1]["actor_id"], m.inside_id.as_str());
    assert_eq!(history[1]["details"]["item_key"], "wait_minutes");
    for e in &history {
        assert_eq!(e["entity"], "dispute");
        assert_eq!(e["entity_id"], dispute_id.as_str());
        assert!(e["at"].as_str().unwrap().ends_with('Z'), "{e}");
        assert!(e["id"].is_string());
    }
    assert!(history[0]["at"].as_str() >= history[1]["at"].as_str());

    // Region, branch, team, user and checklist changes.
    let region = entries(&audit(
        &f,
        &format!("?entity=region&entity_id={}", f.region),
    ));
    assert_eq!(actions_of(&region), ["update", "create"]);
    assert_eq!(
        region[0]["details"]["code"],
        json!({"from": "RUH", "to": "RYD"})
    );
    assert_eq!(region[1]["actor_id"], admin_id.as_str());
    assert_eq!(region[1]["actor_email"], "admin@test.sirr");
    let branch = entries(&audit(
        &f,
        &format!("?entity=branch&entity_id={}", f.branch),
    ));
    assert_eq!(actions_of(&branch), ["create"]);
    assert_eq!(branch[0]["details"]["code"], "RUH-017");
    let teams = entries(&audit(&f, "?entity=team"));
    assert_eq!(actions_of(&teams), ["create"]);
    assert_eq!(teams[0]["entity_id"], team["id"]);
    let user_log = audit(&f, &format!("?entity=user&entity_id={new_user}"));
    let user_entries = entries(&user_log);
    assert_eq!(
        actions_of(&user_entries),
        ["set_password", "update", "create"]
    );
    assert_eq!(
        user_entries[1]["details"]["name"],
        json!({"from": "New QA", "to": "Renamed QA"})
    );
    assert_eq!(user_entries[2]["details"]["password"], "given");
    let text = user_log.to_string();
    assert!(!text.contains(secret) && !text.contains("another-secret"));
    assert!(!text.contains("argon2") && !text.contains("password_hash"));
    let checklist = entries(&audit(
        &f,
        "?entity=checklist&entity_id=bank-branch-visit/3",
    ));
    assert_eq!(actions_of(&checklist), ["publish", "create"]);
    assert_eq!(
        checklist[0]["details"]["content_hash"]
            .as_str()
            .unwrap()
            .len(),
        64
    );

    // Other filters.
    let by_qa = entries(&audit(&f, &format!("?actor_id={qa_id}")));
    assert!(by_qa.iter().all(|e| e["actor_id"] == qa_id.as_str()));
    assert!(actions_of(&by_qa).contains(&"approve"));
    let creates = entries(&audit(&f, "?action=create&entity=region"));
    assert_eq!(creates.len(), 2, "RUH and JED");
    let since = history[0]["at"].as_str().unwrap();
    let recent = entries(&audit(&f, &format!("?since={since}")));
    assert!(recent.iter().any(|e| e["id"] == history[0]["id"]));
    assert!(recent.iter().all(|e| e["at"].as_str() >= Some(since)));
    let until = entries(&audit(&f, &format!("?until={since}")));
    assert!(until.iter().all(|e| e["at"].as_str() < Some(since)));

    // Admins only.
    for token in [&f.qa, &m.inside, &f.shopper] {
        assert_eq!(f.app.get("/api/v1/audit", Some(token)).0, 403);
    }
    assert_eq!(f.app.get("/api/v1/audit", None).0, 401);
    for bad in [
        "?limit=0",
        "?limit=1001",
        "?before=nonsense",
        "?since=yesterday",
    ] {
        assert_eq!(
            f.app.get(&format!("/api/v1/audit{bad}"), Some(&f.admin)).0,
            400,
            "{bad}"
        );
    }

    // Paging with `before`: the same entries in the same order, none twice, none missing.
    let whole = audit(&f, "?limit=1000");
    assert_eq!(whole["next_before"], Value::Null);
    let all: Vec<String> = entries(&whole)
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(all.len() > 12, "{}", all.len());
    let mut walked = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let query = match &before {
            Some(b) => format!("?limit=5&before={b}"),
            None => "?limit=5".to_owned(),
        };
        let page = audit(&f, &query);
        let list = entries(&page);
        assert!(list.len() <= 5);
        walked.extend(list.iter().map(|e| e["id"].as_str().unwrap().to_owned()));
        match page["next_before"].as_str() {
            Some(next) => {
                assert_eq!(list.last().unwrap()["id"], next);
                before = Some(next.to_owned());
            }
            None => break,
        }
    }
    assert_eq!(walked, all);
    let default = entries(&audit(&f, ""));
    assert_eq!(default.len(), all.len().min(100));

    // `before` as a time: strictly older entries.
    let pivot = entries(&whole)[all.len() / 2]["at"]
        .as_str()
        .unwrap()
        .to_owned();
    let older = entries(&audit(&f, &format!("?before={pivot}&limit=1000")));
    assert!(!older.is_empty());
    assert!(
        older
            .iter()
            .all(|e| e["at"].as_str().unwrap() < pivot.as_str())
    );
}
