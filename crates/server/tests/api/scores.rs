//! Scores: values against hand-computed means, periods (month, quarter, ISO week, local date),
//! trend, ranks and peers, scopes and shopper anonymity, overturned disputes, the cache
//! following changes, and a second process reading the stored report.

use diesel::prelude::*;
use serde_json::{Value, json};
use sirr_server::auth::{Role, ScopeKind};
use sirr_store::schema::{assignments, checklists, disputes, visits};
use sirr_store::{self as db, DbConnection, ids};

use crate::helpers::{TestApp, spawn_sharing, spawn_with};

/// The §3 example checklist's visit scores used below (weights: greeted 2, the rest 1).
const GOLDEN: f64 = 4.75 / 6.0;
/// `greeted_30s` failed, the rest as in the golden visit.
const NOT_GREETED: f64 = 2.75 / 6.0;
/// The same visit with the `greeted_30s` failure overturned (N/A).
const NOT_GREETED_OVERTURNED: f64 = 2.75 / 4.0;

fn answers(kind: &str) -> Value {
    match kind {
        "golden" => json!({"greeted_30s": "yes", "wait_minutes": 7, "id_checked": "yes",
                           "offered_card": "asked", "card_benefits": 4}),
        "not_greeted" => json!({"greeted_30s": "no", "wait_minutes": 7, "id_checked": "yes",
                                "offered_card": "asked", "card_benefits": 4}),
        "perfect" => json!({"greeted_30s": "yes", "wait_minutes": 3, "id_checked": "yes",
                            "offered_card": "proactive", "card_benefits": 5}),
        other => panic!("no answers {other}"),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

fn assert_score(body: &Value, field: &str, expected: f64) {
    let got = body[field]
        .as_f64()
        .unwrap_or_else(|| panic!("{field} missing: {body}"));
    assert!(close(got, expected), "{field}: {got} != {expected}");
}

struct Org {
    app: TestApp,
    admin: String,
    riyadh: String,
    jeddah: String,
    /// RUH-001, RUH-002, JED-001, JED-002.
    branches: [String; 4],
    tellers: String,
    checklist_id: String,
    shoppers: [String; 2],
    manager: String,
}

fn conn(app: &TestApp) -> DbConnection {
    db::Manager::new(&app.database_url, std::time::Duration::from_secs(5))
        .open()
        .unwrap()
}

/// Adds an assignment and its visit straight to the database; returns the visit id.
#[allow(clippy::too_many_arguments)]
fn add_visit(
    app: &TestApp,
    org: &OrgIds,
    branch: usize,
    team: Option<&str>,
    shopper: usize,
    at: &str,
    kind: &str,
    status: &str,
) -> String {
    let mut conn = conn(app);
    let now = db::now();
    let utc = chrono::DateTime::parse_from_rfc3339(at)
        .unwrap()
        .naive_utc();
    let assignment = ids::new_id();
    diesel::insert_into(assignments::table)
        .values((
            assignments::id.eq(&assignment),
            assignments::shopper_id.eq(&org.shoppers[shopper]),
            assignments::branch_id.eq(&org.branches[branch]),
            assignments::team_id.eq(team),
            assignments::checklist_id.eq(&org.checklist_id),
            assignments::window_start.eq(utc - chrono::Duration::hours(4)),
            assignments::window_end.eq(utc + chrono::Duration::hours(4)),
            assignments::scenario.eq(Some("card-enquiry")),
            assignments::status.eq(status),
            assignments::created_at.eq(now),
            assignments::updated_at.eq(now),
        ))
        .execute(&mut conn)
        .unwrap();
    let id = ids::new_id();
    diesel::insert_into(visits::table)
        .values((
            visits::id.eq(&id),
            visits::assignment_id.eq(&assignment),
            visits::shopper_id.eq(&org.shoppers[shopper]),
            visits::branch_id.eq(&org.branches[branch]),
            visits::team_id.eq(team),
            visits::checklist_id.eq(&org.checklist_id),
            visits::status.eq(status),
            visits::revision.eq(1),
            visits::answers.eq(answers(kind).to_string()),
            visits::comments.eq("{}"),
            visits::checked_in_at.eq(Some(at)),
            visits::checked_in_utc.eq(Some(utc)),
            visits::duration_s.eq(Some(900.0)),
            visits::flags.eq("[]"),
            visits::submitted_at.eq(Some(now)),
            visits::approved_at.eq((status == "approved").then_some(now)),
            visits::created_at.eq(now),
            visits::updated_at.eq(now),
        ))
        .execute(&mut conn)
        .unwrap();
    id
}

/// What `add_visit` needs (the app is borrowed separately).
struct OrgIds {
    branches: [String; 4],
    checklist_id: String,
    shoppers: [String; 2],
}

impl Org {
    fn ids(&self) -> OrgIds {
        OrgIds {
            branches: self.branches.clone(),
            checklist_id: self.checklist_id.clone(),
            shoppers: self.shoppers.clone(),
        }
    }

    fn visit(&self, branch: usize, team: bool, shopper: usize, at: &str, kind: &str) -> String {
        let team = team.then_some(self.tellers.as_str());
        add_visit(
            &self.app,
            &self.ids(),
            branch,
            team,
            shopper,
            at,
            kind,
            "approved",
        )
    }

    fn get(&self, path: &str, token: &str) -> Value {
        let (status, body) = self.app.get(path, Some(token));
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    fn branch_scores(&self, branch: usize, period: Option<&str>) -> Value {
        let query = period.map_or(String::new(), |p| format!("?period={p}"));
        self.get(
            &format!("/api/v1/scores/branches/{}{query}", self.branches[branch]),
            &self.admin,
        )
    }
}

/// Two regions, four branches, a team at RUH-001, the §3 checklist published, two shoppers,
/// a manager of RUH-001, and seven approved visits:
///
/// | branch  | visits (local time)                                                  |
/// |---------|----------------------------------------------------------------------|
/// | RUH-001 | 2026-10-03 golden (team, s0), 2026-10-20 not greeted (s1), 2026-09-15 perfect (s0) |
/// | RUH-002 | 2026-10-05 perfect (s1), 2026-09-10 golden (s0)                      |
/// | JED-001 | 2026-10-07 not greeted (s0), 2026-10-08 golden (s1)                 |
/// | JED-002 | 2026-10-31 23:30 −05:00 perfect (s1): October locally, November in UTC |
///
/// The server reads the change counters on every request (`directory_max_age_ms = 0`), so
/// changes written straight to the database show at once.
fn organisation() -> (Org, Vec<String>) {
    let app = spawn_with(|s| s.server.directory_max_age_ms = std::time::Duration::ZERO);
    let admin = app.admin();
    let riyadh = app.region(&admin, "RUH", "Riyadh", "الرياض");
    let jeddah = app.region(&admin, "JED", "Jeddah", "جدة");
    let branches = [
        app.branch(&admin, "RUH-001", &riyadh),
        app.branch(&admin, "RUH-002", &riyadh),
        app.branch(&admin, "JED-001", &jeddah),
        app.branch(&admin, "JED-002", &jeddah),
    ];
    let (status, body) = app.post(
        "/api/v1/teams",
        Some(&admin),
        &json!({"branch_id": branches[0], "code": "tellers",
                "names": {"en": "Tellers", "ar": "الصرافون"}}),
    );
    assert_eq!(status, 201, "{body}");
    let tellers = body["id"].as_str().unwrap().to_owned();

    let path = format!(
        "{}/../../tests/fixtures/checklists/spec-example.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (status, body) = app.post("/api/v1/checklists", Some(&admin), &doc);
    assert_eq!(status, 201, "{body}");
    let (status, body) = app.post(
        "/api/v1/checklists/bank-branch-visit/versions/3/publish",
        Some(&admin),
        &json!({}),
    );
    assert_eq!(status, 200, "{body}");
    let checklist_id: String = checklists::table
        .filter(checklists::key.eq("bank-branch-visit"))
        .filter(checklists::version.eq(3))
        .select(checklists::id)
        .first(&mut conn(&app))
        .unwrap();

    let shoppers = [
        app.add_user("shopper.one@test.sirr", Role::Shopper, &[]),
        app.add_user("shopper.two@test.sirr", Role::Shopper, &[]),
    ];
    let manager = app.add_user(
        "manager.ruh-001@test.sirr",
        Role::Manager,
        &[(ScopeKind::Branch, branches[0].as_str())],
    );
    let org = Org {
        app,
        admin,
        riyadh,
        jeddah,
        branches,
        tellers,
        checklist_id,
        shoppers,
        manager,
    };
    let visits = vec![
        org.visit(0, true, 0, "2026-10-03T14:12:00+03:00", "golden"),
        org.visit(0, false, 1, "2026-10-20T10:00:00+03:00", "not_greeted"),
        org.visit(0, false, 0, "2026-09-15T10:00:00+03:00", "perfect"),
        org.visit(1, false, 1, "2026-10-05T11:00:00+03:00", "perfect"),
        org.visit(1, false, 0, "2026-09-10T11:00:00+03:00", "golden"),
        org.visit(2, false, 0, "2026-10-07T12:00:00+03:00", "not_greeted"),
        org.visit(2, false, 1, "2026-10-08T12:00:00+03:00", "golden"),
        org.visit(3, false, 1, "2026-10-31T23:30:00-05:00", "perfect"),
    ];
    (org, visits)
}

#[test]
fn branch_scores_are_the_hand_computed_means_per_period_with_trend_and_peers() {
    let (org, _) = organisation();

    let all = org.branch_scores(0, None);
    assert_eq!(all["branch_id"], org.branches[0].as_str());
    assert_eq!(all["key"], "RUH-001");
    assert_eq!(all["region_id"], org.riyadh.as_str());
    assert_eq!(all["period"], Value::Null);
    assert_eq!(all["visits"], 3);
    assert_score(&all, "raw_score", (GOLDEN + NOT_GREETED + 1.0) / 3.0);
    for field in ["raw_ci", "fair_ci"] {
        let ci = all[field].as_array().unwrap();
        assert_eq!(ci.len(), 2, "{field}");
        assert!(ci[0].as_f64().unwrap() <= ci[1].as_f64().unwrap());
    }
    assert!(all["fair_score"].is_f64(), "{all}");
    assert!(all["computed_at"].is_string());
    // Trend: per month, all of them for `all`.
    let trend = all["trend"].as_array().unwrap();
    assert_eq!(
        trend
            .iter()
            .map(|t| t["period"].clone())
            .collect::<Vec<_>>(),
        vec![json!("2026-09"), json!("2026-10")]
    );
    assert_eq!(trend[0]["visits"], 1);
    assert_score(&trend[0], "raw_score", 1.0);
    assert_eq!(trend[1]["visits"], 2);
    assert_score(&trend[1], "raw_score", (GOLDEN + NOT_GREETED) / 2.0);
    assert!(trend[1]["fair_score"].is_f64());
    // Sections against region and organisation; items with pass rates.
    let welcome = &all["sections"][0];
    assert_eq!(welcome["key"], "welcome");
    assert_eq!(welcome["checklist"], "bank-branch-visit");
    assert_eq!(welcome["visits"], 3);
    assert_score(welcome, "score", (GOLDEN + NOT_GREETED + 1.0) / 3.0);
    assert!(welcome["region"].is_f64() && welcome["organisation"].is_f64());
    let greeted = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "greeted_30s")
        .unwrap();
    assert_eq!(greeted["answers"], 3);
    assert_score(greeted, "pass_rate", 2.0 / 3.0);
    assert_eq!(greeted["owner"], "training");
    assert_eq!(greeted["failing"], false);
    assert!(all["systemic"].is_array() && all["branch_specific"].is_array());

    // Month, quarter and ISO week labels select by the visit's local date.
    let october = org.branch_scores(0, Some("2026-10"));
    assert_eq!(october["period"], "2026-10");
    assert_eq!(october["visits"], 2);
    assert_score(&october, "raw_score", (GOLDEN + NOT_GREETED) / 2.0);
    assert_eq!(october["trend"].as_array().unwrap().len(), 2);
    let q3 = org.branch_scores(0, Some("2026-Q3"));
    assert_eq!(q3["visits"], 1);
    assert_score(&q3, "raw_score", 1.0);
    assert_eq!(q3["raw_ci"], Value::Null, "one visit has no interval");
    assert_eq!(
        q3["trend"].as_array().unwrap().len(),
        1,
        "trend stops at Q3"
    );
    let week = sirr_scoring::period::period_of(
        "2026-10-03T14:12:00+03:00",
        sirr_scoring::period::PeriodKind::Week,
    )
    .unwrap();
    assert_eq!(week, "2026-W40");
    let w40 = org.branch_scores(0, Some("2026-w40"));
    assert_eq!(w40["period"], "2026-W40");
    assert_eq!(w40["visits"], 1);
    assert_score(&w40, "raw_score", GOLDEN);
    let q4 = org.branch_scores(0, Some("2026-Q4"));
    assert_eq!(q4["visits"], 2);

    // 23:30 at −05:00 on 31 October is October, although November in UTC.
    assert_eq!(org.branch_scores(3, Some("2026-10"))["visits"], 1);
    let november = org.branch_scores(3, Some("2026-11"));
    assert_eq!(november["visits"], 0);
    assert_eq!(november["raw_score"], Value::Null);
    assert_eq!(november["fair_score"], Value::Null);
    assert_eq!(november["rank"], Value::Null);
    assert_eq!(november["trend"].as_array().unwrap().len(), 1);

    // Ranks: a permutation of 1..=4 by fair score; region ranks within each region.
    let bodies: Vec<Value> = (0..4).map(|b| org.branch_scores(b, None)).collect();
    let mut ranks: Vec<u64> = bodies.iter().map(|b| b["rank"].as_u64().unwrap()).collect();
    for b in &bodies {
        assert_eq!(b["peers"]["rank"], b["rank"]);
        assert_eq!(b["peers"]["of"], 4);
        assert_eq!(b["peers"]["region_of"], 2);
    }
    let fair: Vec<f64> = bodies
        .iter()
        .map(|b| b["fair_score"].as_f64().unwrap())
        .collect();
    for i in 0..4 {
        for j in 0..4 {
            if fair[i] > fair[j] {
                assert!(ranks[i] < ranks[j], "higher fair score ranks better");
            }
        }
    }
    for region in [[0, 1], [2, 3]] {
        let (x, y) = (&bodies[region[0]]["peers"], &bodies[region[1]]["peers"]);
        let mut rr = [
            x["region_rank"].as_u64().unwrap(),
            y["region_rank"].as_u64().unwrap(),
        ];
        assert_eq!(
            rr[0] < rr[1],
            ranks[region[0]] < ranks[region[1]],
            "region ranks follow overall ranks"
        );
        rr.sort();
        assert_eq!(rr, [1, 2]);
    }
    ranks.sort();
    assert_eq!(ranks, vec![1, 2, 3, 4]);

    // Bad periods are 400 naming the parameter; unknown branches 404.
    for bad in ["2026-13", "last-month", "2026-Q5", "2026-W60"] {
        let (status, body) = org.app.get(
            &format!("/api/v1/scores/branches/{}?period={bad}", org.branches[0]),
            Some(&org.admin),
        );
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(body["error"]["details"][0]["path"], "period");
    }
    let (status, _) = org.app.get(
        &format!("/api/v1/scores/branches/{}", ids::new_id()),
        Some(&org.admin),
    );
    assert_eq!(status, 404);

    // Organisation, region and team endpoints.
    let whole = org.get("/api/v1/scores/organisation", &org.admin);
    assert_eq!(whole["visits"], 8);
    assert_eq!(whole["branches"].as_array().unwrap().len(), 4);
    assert_eq!(whole["regions"].as_array().unwrap().len(), 2);
    assert!(whole["model"]["method"].is_string());
    let jeddah = org.get(
        &format!("/api/v1/scores/regions/{}?period=2026-10", org.jeddah),
        &org.admin,
    );
    assert_eq!(jeddah["visits"], 3);
    assert_score(&jeddah, "raw_score", (NOT_GREETED + GOLDEN + 1.0) / 3.0);
    assert_eq!(jeddah["branches"].as_array().unwrap().len(), 2);
    let team = org.get(&format!("/api/v1/scores/teams/{}", org.tellers), &org.admin);
    assert_eq!(team["key"], "RUH-001/tellers");
    assert_eq!(team["visits"], 1);
    assert_score(&team, "raw_score", GOLDEN);
}

#[test]
fn managers_see_their_scope_and_never_a_shopper() {
    let (org, _) = organisation();
    let manager = org.app.token("manager.ruh-001@test.sirr");
    let secrets = [
        org.shoppers[0].as_str(),
        org.shoppers[1].as_str(),
        "shopper.one",
        "shopper.two",
    ];
    let in_scope = [
        format!("/api/v1/scores/branches/{}", org.branches[0]),
        format!("/api/v1/scores/branches/{}?period=2026-10", org.branches[0]),
        format!("/api/v1/scores/regions/{}", org.riyadh),
        format!("/api/v1/scores/teams/{}", org.tellers),
        "/api/v1/scores/organisation".to_owned(),
    ];
    for path in &in_scope {
        let (status, body) = org.app.get(path, Some(&manager));
        assert_eq!(status, 200, "{path}: {body}");
        let text = body.to_string();
        for secret in secrets {
            assert!(!text.contains(secret), "{path} reveals {secret}: {text}");
        }
        // No other branch's id or code.
        for other in &org.branches[1..] {
            assert!(
                !text.contains(other.as_str()),
                "{path} names another branch"
            );
        }
        for code in ["RUH-002", "JED-001", "JED-002"] {
            assert!(!text.contains(code), "{path} names {code}");
        }
    }
    let whole = org.get("/api/v1/scores/organisation", &manager);
    assert!(whole.get("branches").is_none() && whole.get("regions").is_none());
    let region = org.get(&format!("/api/v1/scores/regions/{}", org.riyadh), &manager);
    assert_eq!(region["branches"].as_array().unwrap().len(), 1);
    assert_eq!(
        region["visits"], 5,
        "the region's scores cover all its branches"
    );
    let branch = org.get(
        &format!("/api/v1/scores/branches/{}", org.branches[0]),
        &manager,
    );
    assert_eq!(branch["peers"]["of"], 4);

    for path in [
        format!("/api/v1/scores/branches/{}", org.branches[1]),
        format!("/api/v1/scores/branches/{}", org.branches[2]),
        format!("/api/v1/scores/regions/{}", org.jeddah),
    ] {
        let (status, body) = org.app.get(&path, Some(&manager));
        assert_eq!(status, 404, "{path}: {body}");
    }
    for path in ["/api/v1/scores/shoppers", "/api/v1/scores/agreement"] {
        let (status, _) = org.app.get(path, Some(&manager));
        assert_eq!(status, 403, "{path}");
    }

    org.app
        .add_user("shopper.three@test.sirr", Role::Shopper, &[]);
    let shopper = org.app.token("shopper.three@test.sirr");
    for path in in_scope
        .iter()
        .map(String::as_str)
        .chain(["/api/v1/scores/shoppers", "/api/v1/scores/agreement"])
    {
        let (status, _) = org.app.get(path, Some(&shopper));
        assert_eq!(status, 403, "{path}");
    }
    let (status, _) = org.app.get("/api/v1/scores/organisation", None);
    assert_eq!(status, 401);

    org.app.add_user("qa@test.sirr", Role::Qa, &[]);
    let qa = org.app.token("qa@test.sirr");
    let shoppers = org.get("/api/v1/scores/shoppers", &qa);
    let list = shoppers["shoppers"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["user_id"], org.shoppers[0].as_str());
    assert_eq!(list[0]["name"], "shopper.one@test.sirr");
    assert_eq!(list[0]["visits"], 4);
    assert!(list[0].get("severity").is_some() && list[0].get("flag").is_some());
    let agreement = org.get("/api/v1/scores/agreement?period=2026-10", &qa);
    assert_eq!(agreement["period"], "2026-10");
    assert_eq!(agreement["agreement"], Value::Null, "no calibration visits");
    let _ = org.manager;
}

#[test]
fn an_overturned_dispute_makes_the_item_na_and_raises_the_branch_score() {
    let (org, visits) = organisation();
    let before = org.branch_scores(0, Some("2026-10"));
    assert_score(&before, "raw_score", (GOLDEN + NOT_GREETED) / 2.0);

    // The manager disputes the failed greeting of the 20 October visit; QA overturns it.
    let mut conn = conn(&org.app);
    let now = db::now();
    let dispute = ids::new_id();
    diesel::insert_into(disputes::table)
        .values((
            disputes::id.eq(&dispute),
            disputes::visit_id.eq(&visits[1]),
            disputes::item_key.eq("greeted_30s"),
            disputes::reason.eq("The greeter was at the door"),
            disputes::status.eq("open"),
            disputes::raised_by.eq(&org.manager),
            disputes::created_at.eq(now),
            disputes::updated_at.eq(now),
        ))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        org.branch_scores(0, Some("2026-10"))["raw_score"],
        before["raw_score"],
        "an open dispute changes nothing"
    );
    diesel::update(disputes::table.find(&dispute))
        .set((
            disputes::status.eq("overturned"),
            disputes::resolved_at.eq(Some(now)),
        ))
        .execute(&mut conn)
        .unwrap();

    let after = org.branch_scores(0, Some("2026-10"));
    assert_score(&after, "raw_score", (GOLDEN + NOT_GREETED_OVERTURNED) / 2.0);
    let greeted = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "greeted_30s")
        .unwrap()
        .clone();
    assert_eq!(greeted["answers"], 1, "the overturned answer is N/A");
    assert_score(&greeted, "pass_rate", 1.0);
    assert_score(
        &after["sections"][0],
        "score",
        (GOLDEN + NOT_GREETED_OVERTURNED) / 2.0,
    );
    let whole = org.get("/api/v1/scores/organisation?period=2026-10", &org.admin);
    assert_score(
        &whole,
        "raw_score",
        (GOLDEN + NOT_GREETED_OVERTURNED + 1.0 + NOT_GREETED + GOLDEN + 1.0) / 6.0,
    );
}

#[test]
fn the_cache_follows_changes_and_a_second_process_reads_the_stored_scores() {
    let (org, _) = organisation();
    let first = org.branch_scores(0, None);
    let again = org.branch_scores(0, None);
    assert_eq!(
        first["computed_at"], again["computed_at"],
        "served from memory"
    );

    // A visit that is not approved yet changes nothing.
    let pending = add_visit(
        &org.app,
        &org.ids(),
        0,
        None,
        1,
        "2026-10-25T09:00:00+03:00",
        "perfect",
        "submitted",
    );
    let unchanged = org.branch_scores(0, None);
    assert_eq!(unchanged["visits"], 3);
    assert_eq!(unchanged["computed_at"], first["computed_at"]);

    // Approving it does, at the next read.
    diesel::update(visits::table.find(&pending))
        .set(visits::status.eq("approved"))
        .execute(&mut conn(&org.app))
        .unwrap();
    let changed = org.branch_scores(0, None);
    assert_eq!(changed["visits"], 4);
    assert_score(
        &changed,
        "raw_score",
        (GOLDEN + NOT_GREETED + 1.0 + 1.0) / 4.0,
    );
    assert_eq!(changed["trend"][1]["visits"], 3);

    // Another process on the same database (checking the counters at most every 500 ms, the
    // default) serves the same numbers from the stored report.
    let second = spawn_sharing(&org.app, |s| {
        s.server.directory_max_age_ms = std::time::Duration::from_millis(500)
    });
    let admin = second.admin();
    for period in ["", "?period=2026-10"] {
        let path = format!("/api/v1/scores/branches/{}{period}", org.branches[0]);
        let here = org.get(&path, &org.admin);
        let (status, there) = second.get(&path, Some(&admin));
        assert_eq!(status, 200, "{there}");
        assert_eq!(there, here, "{period}");
    }

    // A change written by someone else reaches it within the counters' max age.
    let later = add_visit(
        &org.app,
        &org.ids(),
        0,
        None,
        0,
        "2026-10-26T09:00:00+03:00",
        "golden",
        "approved",
    );
    let path = format!("/api/v1/scores/branches/{}", org.branches[0]);
    let started = std::time::Instant::now();
    loop {
        let (_, body) = second.get(&path, Some(&admin));
        if body["visits"] == 5 {
            break;
        }
        assert_eq!(body["visits"], 4);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(3),
            "the change did not show within the max age"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = (&org.riyadh, later);
}
