//! The field workflow: assignments, drafts, idempotent submission (retries, concurrency),
//! validation, QA review with returns and resubmission, plausibility flags, rotation rules.

use diesel::prelude::*;
use serde_json::{Value, json};
use sirr_server::auth::{Role, ScopeKind};
use sirr_store::schema::{idempotency_keys, visit_revisions, visits};

use crate::helpers::TestApp;

pub struct Field {
    pub app: TestApp,
    pub admin: String,
    pub qa: String,
    pub shopper: String,
    pub shopper_id: String,
    pub other_shopper: String,
    pub branch: String,
    pub region: String,
}

fn read_json(relative: &str) -> Value {
    let path = format!("{}/../../{relative}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// An organisation with one branch, QA, two shoppers and the SPEC §3 checklist published.
pub fn field() -> Field {
    field_with(|_| {})
}

/// As [`field`], on a server with adjusted settings.
pub fn field_with(adjust: impl FnOnce(&mut sirr_server::config::Settings)) -> Field {
    let app = crate::helpers::spawn_with(adjust);
    let admin = app.admin();
    let region = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let branch = app.branch(&admin, "RUH-017", &region);
    app.add_user("qa@test.sirr", Role::Qa, &[]);
    let shopper_id = app.add_user("shopper1@test.sirr", Role::Shopper, &[]);
    app.add_user("shopper2@test.sirr", Role::Shopper, &[]);
    let (status, body) = app.post(
        "/api/v1/checklists",
        Some(&admin),
        &read_json("tests/fixtures/checklists/spec-example.json"),
    );
    assert_eq!(status, 201, "{body}");
    let (status, body) = app.post(
        "/api/v1/checklists/bank-branch-visit/versions/3/publish",
        Some(&admin),
        &json!({}),
    );
    assert_eq!(status, 200, "{body}");
    Field {
        qa: app.token("qa@test.sirr"),
        shopper: app.token("shopper1@test.sirr"),
        other_shopper: app.token("shopper2@test.sirr"),
        admin,
        shopper_id,
        branch,
        region,
        app,
    }
}

impl Field {
    pub fn assign(&self, start: &str, end: &str) -> (u16, Value) {
        self.app.post(
            "/api/v1/assignments",
            Some(&self.qa),
            &json!({"shopper_id": self.shopper_id, "branch_id": self.branch,
                    "checklist": {"key": "bank-branch-visit", "version": 3},
                    "window_start": start, "window_end": end, "scenario": "card-enquiry"}),
        )
    }

    pub fn assignment(&self) -> String {
        let (status, body) = self.assign("2026-10-01T00:00:00+03:00", "2026-10-08T00:00:00+03:00");
        assert_eq!(status, 201, "{body}");
        body["id"].as_str().unwrap().to_owned()
    }

    pub fn submit(&self, assignment: &str, key: &str, body: &Value) -> (u16, Value) {
        self.app.post_with_headers(
            &format!("/api/v1/assignments/{assignment}/submission"),
            Some(&self.shopper),
            &[("Idempotency-Key", key)],
            body,
        )
    }
}

/// The SPEC §4 example visit as a submission.
pub fn good_visit() -> Value {
    json!({"answers": {"greeted_30s": "yes", "wait_minutes": 7, "id_checked": "yes",
                       "offered_card": "asked", "card_benefits": 4},
           "comments": {"wait_minutes": "Two counters closed at noon"},
           "checked_in_at": "2026-10-03T14:12:00+03:00",
           "location": {"lat": 24.69, "lon": 46.68},
           "duration_s": 1260})
}

fn count_visits(app: &TestApp) -> (i64, i64) {
    let mut conn = app.db();
    let v: i64 = visits::table.count().get_result(&mut conn).unwrap();
    let r: i64 = visit_revisions::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    (v, r)
}

#[test]
fn shoppers_see_only_their_own_assignments_and_accept_or_decline() {
    let f = field();
    let a = f.assignment();
    let (status, list) = f.app.get("/api/v1/assignments", Some(&f.shopper));
    assert_eq!(status, 200);
    let item = &list[0];
    assert_eq!(item["id"], a.as_str());
    assert_eq!(item["status"], "offered");
    assert_eq!(item["branch"]["code"], "RUH-017");
    assert_eq!(item["branch"]["names"]["ar"], "فرع RUH-017");
    assert_eq!(
        item["checklist"],
        json!({"key": "bank-branch-visit", "version": 3})
    );
    assert_eq!(item["window"]["start"], "2026-09-30T21:00:00.000000Z");
    assert!(
        item.get("shopper").is_none(),
        "a shopper's list names no shopper"
    );
    // Another shopper neither lists nor reads it.
    assert_eq!(
        f.app.get("/api/v1/assignments", Some(&f.other_shopper)).1,
        json!([])
    );
    let url = format!("/api/v1/assignments/{a}");
    assert_eq!(f.app.get(&url, Some(&f.other_shopper)).0, 404);
    // QA sees the shopper; managers do not see assignments at all.
    assert_eq!(
        f.app.get(&url, Some(&f.qa)).1["shopper"]["id"],
        f.shopper_id.as_str()
    );
    f.app.add_user(
        "m@test.sirr",
        Role::Manager,
        &[(ScopeKind::Region, &f.region)],
    );
    let manager = f.app.token("m@test.sirr");
    assert_eq!(f.app.get("/api/v1/assignments", Some(&manager)).0, 403);
    assert_eq!(f.app.get(&url, Some(&manager)).0, 404);

    let (status, body) = f
        .app
        .post(&format!("{url}/accept"), Some(&f.shopper), &json!({}));
    assert_eq!((status, body["status"].as_str()), (200, Some("accepted")));
    assert_eq!(
        f.app
            .post(&format!("{url}/accept"), Some(&f.shopper), &json!({}))
            .0,
        409
    );
    assert_eq!(
        f.app
            .post(
                &format!("{url}/decline"),
                Some(&f.other_shopper),
                &json!({})
            )
            .0,
        404
    );
    let (status, body) = f.app.post(
        &format!("{url}/decline"),
        Some(&f.shopper),
        &json!({"reason": "travelling"}),
    );
    assert_eq!((status, body["status"].as_str()), (200, Some("declined")));
}

#[test]
fn the_list_filters_by_several_statuses_and_names_an_unknown_one() {
    let f = field();
    let offered = f.assignment();
    let declined = f.assignment();
    let url = format!("/api/v1/assignments/{declined}/decline");
    assert_eq!(f.app.post(&url, Some(&f.shopper), &json!({})).0, 200);
    let ids = |query: &str| -> Vec<String> {
        let (status, list) = f
            .app
            .get(&format!("/api/v1/assignments{query}"), Some(&f.shopper));
        assert_eq!(status, 200, "{query}: {list}");
        list.as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids("").len(), 2);
    // What the shopper app asks for: the work still open.
    assert_eq!(
        ids("?status=offered,accepted,returned,submitted"),
        [offered.as_str()]
    );
    assert_eq!(ids("?status=declined"), [declined.as_str()]);
    assert_eq!(ids("?status=offered,%20declined").len(), 2);
    let (status, body) = f
        .app
        .get("/api/v1/assignments?status=offered,opne", Some(&f.shopper));
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["details"][0]["path"], "status");
    assert!(
        body["error"]["details"][0]["problem"]
            .as_str()
            .unwrap()
            .starts_with("unknown status 'opne'; one of offered, accepted"),
        "{body}"
    );
}

#[test]
fn a_retried_submission_stores_exactly_one_visit() {
    let f = field();
    let a = f.assignment();
    let (status, first) = f.submit(&a, "k-1", &good_visit());
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["status"], "submitted");
    assert_eq!(first["revision"], 1);
    assert_eq!(first["answers"]["offered_card"], "asked");
    assert!(
        first.get("flags").is_none(),
        "shoppers do not see plausibility flags"
    );
    // The same key and body, members in another order: the same answer.
    let mut reordered = serde_json::Map::new();
    for (k, v) in good_visit().as_object().unwrap().iter().rev() {
        reordered.insert(k.clone(), v.clone());
    }
    let (status, again) = f.submit(&a, "k-1", &Value::Object(reordered));
    assert_eq!((status, &again), (201, &first));
    assert_eq!(count_visits(&f.app), (1, 1));
    // The same key with other answers: 409; a new key on a submitted assignment: 409.
    let mut other = good_visit();
    other["answers"]["wait_minutes"] = json!(12);
    assert_eq!(f.submit(&a, "k-1", &other).0, 409);
    let (status, body) = f.submit(&a, "k-2", &good_visit());
    assert_eq!(status, 409, "{body}");
    assert_eq!(count_visits(&f.app), (1, 1));
    // No key: 400.
    let (status, body) = f.app.post(
        &format!("/api/v1/assignments/{a}/submission"),
        Some(&f.shopper),
        &good_visit(),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["details"][0]["path"], "Idempotency-Key");
    // Keys belong to their user: another shopper's key k-1 is theirs alone.
    let (status, _) = f.app.post_with_headers(
        &format!("/api/v1/assignments/{a}/submission"),
        Some(&f.other_shopper),
        &[("Idempotency-Key", "k-1")],
        &good_visit(),
    );
    assert_eq!(status, 404);
}

#[test]
fn invalid_answers_come_back_in_one_422_and_nothing_is_stored() {
    let f = field();
    let a = f.assignment();
    let mut bad = good_visit();
    bad["answers"] = json!({"greeted_30s": "maybe", "wait_minutes": "seven",
                            "offered_card": "no", "card_benefits": 4, "mood": "ok"});
    bad["checked_in_at"] = json!("yesterday");
    let (status, body) = f.submit(&a, "k-bad", &bad);
    assert_eq!(status, 422, "{body}");
    let paths: Vec<&str> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    for expected in [
        "/answers/greeted_30s",
        "/answers/wait_minutes",
        "/answers/card_benefits",
        "/answers/mood",
        "/checked_in_at",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from {paths:?}"
        );
    }
    assert_eq!(count_visits(&f.app), (0, 0));
    let mut conn = f.app.db();
    let keys: i64 = idempotency_keys::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(keys, 0, "a refused submission does not use up its key");
    // Fixed, under the same key: accepted.
    assert_eq!(f.submit(&a, "k-bad", &good_visit()).0, 201);
}

#[test]
fn concurrent_submissions_to_one_assignment_store_one_visit() {
    let f = field();
    let a = f.assignment();
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|i| {
                let (f, a) = (&f, &a);
                s.spawn(move || f.submit(a, &format!("k-{i}"), &good_visit()).0)
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(count_visits(&f.app), (1, 1));

    // Concurrent retries of one key all get the one visit.
    let b = {
        let (status, body) = f.assign("2026-11-01T00:00:00+03:00", "2026-11-08T00:00:00+03:00");
        assert_eq!(status, 201, "{body}");
        body["id"].as_str().unwrap().to_owned()
    };
    let answers: Vec<(u16, Value)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|_| {
                let (f, b) = (&f, &b);
                s.spawn(move || f.submit(b, "same", &good_visit()))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (status, body) in &answers {
        assert_eq!(*status, 201, "{body}");
        assert_eq!(body["id"], answers[0].1["id"]);
    }
    assert_eq!(count_visits(&f.app), (2, 2));
}

#[test]
fn a_returned_visit_is_fixed_resubmitted_and_every_revision_is_kept() {
    let f = field();
    let a = f.assignment();
    let (_, visit) = f.submit(&a, "k-1", &good_visit());
    let id = visit["id"].as_str().unwrap();
    // QA's queue shows it.
    let (status, queue) = f.app.get("/api/v1/reviews", Some(&f.qa));
    assert_eq!(status, 200);
    assert_eq!(queue[0]["visit_id"], id);
    assert_eq!(f.app.get("/api/v1/reviews", Some(&f.shopper)).0, 403);
    // Returned with a comment on one item; unknown items are refused.
    let url = format!("/api/v1/visits/{id}");
    assert_eq!(
        f.app
            .post(
                &format!("{url}/return"),
                Some(&f.qa),
                &json!({"item_comments": {"nope": "x"}})
            )
            .0,
        422
    );
    let (status, body) = f.app.post(
        &format!("{url}/return"),
        Some(&f.qa),
        &json!({"note": "Please check the wait", "item_comments": {"wait_minutes": "Was it 7 or 17?"}}),
    );
    assert_eq!(status, 200, "{body}");
    let (_, mine) = f.app.get(&url, Some(&f.shopper));
    assert_eq!(mine["status"], "returned");
    assert_eq!(
        mine["reviews"][0]["item_comments"]["wait_minutes"],
        "Was it 7 or 17?"
    );
    let (_, assignment) = f
        .app
        .get(&format!("/api/v1/assignments/{a}"), Some(&f.shopper));
    assert_eq!(assignment["status"], "returned");
    // Approving a returned visit is refused until it is resubmitted.
    assert_eq!(
        f.app
            .post(&format!("{url}/approve"), Some(&f.qa), &json!({}))
            .0,
        409
    );
    // The old key replays the old answer; a new key resubmits.
    assert_eq!(f.submit(&a, "k-1", &good_visit()).1["revision"], 1);
    let mut fixed = good_visit();
    fixed["answers"]["wait_minutes"] = json!(17);
    let (status, body) = f.submit(&a, "k-2", &fixed);
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["revision"], 2);
    let (_, revisions) = f.app.get(&format!("{url}/revisions"), Some(&f.qa));
    assert_eq!(revisions.as_array().unwrap().len(), 2);
    assert_eq!(revisions[0]["answers"]["wait_minutes"], 7);
    assert_eq!(revisions[1]["answers"]["wait_minutes"], 17);
    // Each revision keeps the flags it was submitted with, for QA comparing them (never the shopper).
    let (_, visit) = f.app.get(&url, Some(&f.qa));
    assert_eq!(revisions[1]["flags"], visit["flags"], "{revisions}");
    assert!(revisions[0]["flags"].is_array(), "{revisions}");
    let (_, theirs) = f.app.get(&format!("{url}/revisions"), Some(&f.shopper));
    assert!(theirs[0].get("flags").is_none(), "{theirs}");
    // The visit's score, by the scoring crate's rules, for QA; the shopper never sees it.
    let score = visit["score"]["score"].as_f64().expect("a score");
    assert!((0.0..=1.0).contains(&score), "{visit}");
    assert!(visit["score"]["critical_failed"].is_boolean(), "{visit}");
    assert!(f.app.get(&url, Some(&f.shopper)).1.get("score").is_none());
    let (status, body) = f
        .app
        .post(&format!("{url}/approve"), Some(&f.qa), &json!({}));
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("approved")),
        "{body}"
    );
    assert_eq!(f.submit(&a, "k-3", &good_visit()).0, 409);
}

#[test]
fn a_rejected_visit_never_counts_cannot_be_resubmitted_and_tells_the_shopper_why() {
    let f = field();
    let a = f.assignment();
    let (_, visit) = f.submit(&a, "k-1", &good_visit());
    let id = visit["id"].as_str().unwrap();
    let url = format!("/api/v1/visits/{id}/reject");
    // A reason is required; shoppers cannot reject.
    let (status, body) = f.app.post(&url, Some(&f.qa), &json!({"reason": "  "}));
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["details"][0]["path"], "/reason");
    assert_eq!(
        f.app
            .post(&url, Some(&f.shopper), &json!({"reason": "x"}))
            .0,
        403
    );
    let reason = "الصور ليست من هذا الفرع";
    let (status, body) = f.app.post(&url, Some(&f.qa), &json!({"reason": reason}));
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("rejected")),
        "{body}"
    );
    // The shopper reads why, on the visit and the assignment.
    let (_, mine) = f.app.get(&format!("/api/v1/visits/{id}"), Some(&f.shopper));
    assert_eq!(mine["status"], "rejected");
    assert_eq!(mine["reviews"][0]["decision"], "rejected");
    assert_eq!(mine["reviews"][0]["note"], reason);
    let (_, assignment) = f
        .app
        .get(&format!("/api/v1/assignments/{a}"), Some(&f.shopper));
    assert_eq!(assignment["status"], "rejected");
    let (_, listed) = f
        .app
        .get("/api/v1/assignments?status=rejected", Some(&f.shopper));
    assert_eq!(listed[0]["id"], a.as_str());
    // Decided once: neither a second decision nor a resubmission.
    assert_eq!(
        f.app.post(&url, Some(&f.qa), &json!({"reason": "again"})).0,
        409
    );
    assert_eq!(
        f.app
            .post(
                &format!("/api/v1/visits/{id}/approve"),
                Some(&f.qa),
                &json!({})
            )
            .0,
        409
    );
    assert_eq!(f.submit(&a, "k-2", &good_visit()).0, 409);
    // QA finds it among the rejected; the audit log says who and why.
    let (_, rejected) = f.app.get("/api/v1/reviews?status=rejected", Some(&f.qa));
    assert_eq!(rejected[0]["visit_id"], id);
    let (_, audit) = f.app.get("/api/v1/audit?entity=visit", Some(&f.admin));
    let entry = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "reject")
        .expect("an audit entry for the rejection");
    assert_eq!(entry["entity_id"], id);
    assert_eq!(entry["details"]["note"], reason);
    // It never counts: beside an approved visit of the same branch and month, the branch's
    // score rests on one visit.
    let b = f.assignment();
    let (_, other) = f.submit(&b, "k-b", &good_visit());
    let other = other["id"].as_str().unwrap();
    let approve = format!("/api/v1/visits/{other}/approve");
    assert_eq!(f.app.post(&approve, Some(&f.qa), &json!({})).0, 200);
    let (status, scores) = f.app.get(
        &format!("/api/v1/scores/branches/{}?period=2026-10", f.branch),
        Some(&f.admin),
    );
    assert_eq!(status, 200, "{scores}");
    assert_eq!(scores["visits"], 1, "{scores}");
}

#[test]
fn qa_sees_plausibility_flags_that_say_why() {
    let f = field();
    let a = f.assignment();
    let mut far = good_visit();
    far["location"] = json!({"lat": 24.80, "lon": 46.68});
    far["duration_s"] = json!(60);
    far["checked_in_at"] = json!("2026-10-10T14:12:00+03:00");
    let (status, body) = f.submit(&a, "k-1", &far);
    assert_eq!(status, 201, "{body}");
    let (_, queue) = f.app.get("/api/v1/reviews?flagged=true", Some(&f.qa));
    let flags = queue[0]["flags"].as_array().unwrap();
    let codes: Vec<&str> = flags.iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "far_from_branch",
            "too_short",
            "outside_window",
            "late_submission"
        ]
    );
    assert!(
        flags[0]["message"].as_str().unwrap().contains("12.2 km"),
        "{flags:?}"
    );
    let (_, visit) = f.app.get(
        &format!("/api/v1/visits/{}", body["id"].as_str().unwrap()),
        Some(&f.qa),
    );
    assert_eq!(visit["flags"].as_array().unwrap().len(), 4);
}

#[test]
fn drafts_keep_partial_answers_and_refuse_what_does_not_fit() {
    let f = field();
    let a = f.assignment();
    let url = format!("/api/v1/assignments/{a}/draft");
    let (status, body) = f.app.send(
        "PUT",
        &url,
        Some(&f.shopper),
        &json!({"answers": {"greeted_30s": "yes"}, "checked_in_at": "2026-10-03T14:12:00+03:00"}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "draft");
    assert_eq!(body["revision"], 0);
    let (status, body) = f.app.send(
        "PUT",
        &url,
        Some(&f.shopper),
        &json!({"answers": {"greeted_30s": "yes", "wait_minutes": -3, "card_benefits": 9}}),
    );
    assert_eq!(status, 422, "{body}");
    let (_, assignment) = f
        .app
        .get(&format!("/api/v1/assignments/{a}"), Some(&f.shopper));
    assert_eq!(
        assignment["status"], "accepted",
        "starting a draft accepts the assignment"
    );
    assert_eq!(assignment["visit"]["status"], "draft");
    assert_eq!(f.submit(&a, "k-1", &good_visit()).0, 201);
    assert_eq!(
        f.app
            .send("PUT", &url, Some(&f.shopper), &json!({"answers": {}}))
            .0,
        409
    );
}

#[test]
fn rotation_rules_and_bars_are_enforced_with_reasons() {
    let f = field();
    f.assignment();
    let (status, body) = f.app.send(
        "PUT",
        "/api/v1/rotation",
        Some(&f.qa),
        &json!({"revisit_days": 30}),
    );
    assert_eq!(status, 200, "{body}");
    let (status, body) = f.assign("2026-10-20T00:00:00+03:00", "2026-10-21T00:00:00+03:00");
    assert_eq!(status, 422, "{body}");
    assert!(
        body["error"]["details"][0]["problem"]
            .as_str()
            .unwrap()
            .contains("30 days"),
        "{body}"
    );
    assert_eq!(
        f.assign("2026-11-20T00:00:00+03:00", "2026-11-21T00:00:00+03:00")
            .0,
        201
    );
    let (status, _) = f.app.post(
        &format!("/api/v1/shoppers/{}/bars", f.shopper_id),
        Some(&f.qa),
        &json!({"branch_id": f.branch, "reason": "sister works there"}),
    );
    assert_eq!(status, 201);
    let (status, body) = f.assign("2027-03-01T00:00:00+03:00", "2027-03-02T00:00:00+03:00");
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("conflict of interest"), "{body}");
    assert_eq!(
        f.app
            .get(
                &format!("/api/v1/shoppers/{}/bars", f.shopper_id),
                Some(&f.shopper)
            )
            .0,
        403
    );
    let _ = &f.admin;
}

#[test]
fn a_campaign_is_assigned_across_shoppers_within_the_rules() {
    let f = field();
    let mut branches = vec![f.branch.clone()];
    for code in ["RUH-018", "RUH-019", "RUH-020"] {
        branches.push(f.app.branch(&f.admin, code, &f.region));
    }
    let third = f.app.add_user("shopper3@test.sirr", Role::Shopper, &[]);
    f.app.add_user("shopper4@test.sirr", Role::Shopper, &[]);
    // Shopper 3 may never visit RUH-017; nobody visits a branch twice within 30 days.
    assert_eq!(
        f.app
            .post(
                &format!("/api/v1/shoppers/{third}/bars"),
                Some(&f.qa),
                &json!({"branch_id": f.branch, "reason": "former employee"}),
            )
            .0,
        201
    );
    f.app.send(
        "PUT",
        "/api/v1/rotation",
        Some(&f.qa),
        &json!({"revisit_days": 30}),
    );
    let plan = json!({"name": "Q4 wave 1", "checklist": {"key": "bank-branch-visit", "version": 3},
                      "starts_on": "2026-10-01", "ends_on": "2026-10-28", "branch_ids": branches,
                      "visits_per_branch": 2, "scenarios": ["card-enquiry", "complaint"]});
    assert_eq!(
        f.app.post("/api/v1/campaigns", Some(&f.shopper), &plan).0,
        403
    );
    let (status, campaign) = f.app.post("/api/v1/campaigns", Some(&f.qa), &plan);
    assert_eq!(status, 201, "{campaign}");
    let id = campaign["id"].as_str().unwrap();
    let (status, result) = f.app.post(
        &format!("/api/v1/campaigns/{id}/assignments"),
        Some(&f.qa),
        &json!({}),
    );
    assert_eq!(status, 201, "{result}");
    assert_eq!(result["created"].as_array().unwrap().len(), 8, "{result}");
    assert_eq!(result["unfilled"], json!([]));
    let (_, list) = f.app.get(
        &format!("/api/v1/assignments?campaign_id={id}"),
        Some(&f.qa),
    );
    let list = list.as_array().unwrap();
    let mut per_shopper = std::collections::BTreeMap::new();
    let mut pairs = std::collections::BTreeSet::new();
    for a in list {
        let shopper = a["shopper"]["id"].as_str().unwrap().to_owned();
        let branch = a["branch"]["id"].as_str().unwrap().to_owned();
        assert!(
            !(shopper == third && branch == f.branch),
            "a barred shopper was assigned"
        );
        assert!(
            pairs.insert((shopper.clone(), branch)),
            "a shopper got one branch twice"
        );
        *per_shopper.entry(shopper).or_insert(0) += 1;
        assert!(["card-enquiry", "complaint"].contains(&a["scenario"].as_str().unwrap()));
    }
    assert_eq!(
        per_shopper.values().collect::<Vec<_>>(),
        [&2, &2, &2, &2],
        "{per_shopper:?}"
    );
    let (_, campaign) = f.app.get(&format!("/api/v1/campaigns/{id}"), Some(&f.qa));
    assert_eq!(campaign["assignments"]["offered"], 8);
    // Running it again fills only open visits: there are none.
    let (_, same) = f.app.post(
        &format!("/api/v1/campaigns/{id}/assignments"),
        Some(&f.qa),
        &json!({}),
    );
    assert_eq!(same, json!({"created": [], "unfilled": []}));
    // A second wave over the same branches and days may only use shoppers who have not been to
    // a branch within 30 days: in 28 days, nobody twice at one branch, and the bar still holds.
    let mut second = plan.clone();
    second["name"] = json!("Q4 wave 2");
    let (status, wave) = f.app.post("/api/v1/campaigns", Some(&f.qa), &second);
    assert_eq!(status, 201, "{wave}");
    let wave = wave["id"].as_str().unwrap();
    let (_, again) = f.app.post(
        &format!("/api/v1/campaigns/{wave}/assignments"),
        Some(&f.qa),
        &json!({}),
    );
    let mut list = f
        .app
        .get(
            &format!("/api/v1/assignments?campaign_id={id}"),
            Some(&f.qa),
        )
        .1;
    let (_, other) = f.app.get(
        &format!("/api/v1/assignments?campaign_id={wave}"),
        Some(&f.qa),
    );
    list.as_array_mut()
        .unwrap()
        .extend(other.as_array().unwrap().iter().cloned());
    let mut pairs = std::collections::BTreeSet::new();
    for a in list.as_array().unwrap() {
        let shopper = a["shopper"]["id"].as_str().unwrap().to_owned();
        let branch = a["branch"]["id"].as_str().unwrap().to_owned();
        assert!(
            !(shopper == third && branch == f.branch),
            "a barred shopper was assigned"
        );
        assert!(
            pairs.insert((shopper, branch)),
            "a shopper got one branch twice in 30 days"
        );
    }
    let created = again["created"].as_array().unwrap().len();
    let unfilled = again["unfilled"].as_array().unwrap();
    assert_eq!(created + unfilled.len(), 8, "{again}");
    // RUH-017 has had two of the four shoppers and bars the third: one visit is left unfilled.
    assert!(!unfilled.is_empty(), "{again}");
    assert!(
        unfilled.iter().any(|u| u["reason"]
            .as_str()
            .unwrap()
            .contains("conflict of interest")),
        "{again}"
    );
}
