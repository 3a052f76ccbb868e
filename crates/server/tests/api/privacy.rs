//! Shopper anonymity: no response a manager can get — from any GET route of the API, over the
//! demo data — contains a shopper's name, email, user id or any other stable pseudonym.
//!
//! The routes come from the OpenAPI document, so a new route is scanned as soon as it exists;
//! a route with a path parameter this test does not know how to fill fails the test.

use std::collections::BTreeSet;

use diesel::prelude::*;
use serde_json::Value;
use sirr_store::schema::{
    action_items, branches, campaigns, checklists, disputes, regions, teams, users, visits,
};

use crate::helpers::{TestApp, spawn_demo};

const DEMO_PASSWORD: &str = "demo-password";

fn token(app: &TestApp, email: &str) -> String {
    let (status, body) = app.login(email, DEMO_PASSWORD);
    assert_eq!(status, 200, "{email}: {body}");
    body["access_token"].as_str().unwrap().to_owned()
}

/// Values to try for each path parameter, by the route's first segment after /api/v1.
struct Candidates {
    regions: Vec<String>,
    branches: Vec<String>,
    teams: Vec<String>,
    visits: Vec<String>,
    disputes: Vec<String>,
    actions: Vec<String>,
    campaigns: Vec<String>,
    users: Vec<String>,
    checklists: Vec<(String, i32)>,
}

fn candidates(app: &TestApp) -> Candidates {
    let mut conn = app.db();
    let branch_ids: Vec<String> = branches::table
        .select(branches::id)
        .order(branches::code)
        .load(&mut conn)
        .unwrap();
    // A few visits of every branch: in and out of any manager's scope.
    let mut visit_ids = Vec::new();
    for b in &branch_ids {
        let ids: Vec<String> = visits::table
            .filter(visits::branch_id.eq(b))
            .select(visits::id)
            .order(visits::id)
            .limit(3)
            .load(&mut conn)
            .unwrap();
        visit_ids.extend(ids);
    }
    // Disputed visits too, whatever their branch.
    let disputed: Vec<String> = disputes::table
        .select(disputes::visit_id)
        .load(&mut conn)
        .unwrap();
    visit_ids.extend(disputed);
    Candidates {
        regions: regions::table.select(regions::id).load(&mut conn).unwrap(),
        teams: teams::table.select(teams::id).load(&mut conn).unwrap(),
        branches: branch_ids,
        visits: visit_ids,
        disputes: disputes::table
            .select(disputes::id)
            .load(&mut conn)
            .unwrap(),
        actions: action_items::table
            .select(action_items::id)
            .load(&mut conn)
            .unwrap(),
        campaigns: campaigns::table
            .select(campaigns::id)
            .load(&mut conn)
            .unwrap(),
        users: users::table.select(users::id).load(&mut conn).unwrap(),
        checklists: checklists::table
            .select((checklists::key, checklists::version))
            .load(&mut conn)
            .unwrap(),
    }
}

/// Every concrete URL to try for a documented GET path.
fn urls(path: &str, c: &Candidates) -> Vec<String> {
    let Some(rest) = path.strip_prefix("/api/v1") else {
        return vec![path.to_owned()];
    };
    if !rest.contains('{') {
        let mut v = vec![path.to_owned()];
        if rest.starts_with("/scores/") {
            v.push(format!("{path}?period=2026-10"));
        }
        return v;
    }
    if rest.starts_with("/imports/templates/{kind}") {
        return ["branches", "users"]
            .iter()
            .map(|kind| path.replace("{kind}", kind))
            .collect();
    }
    if rest.starts_with("/checklists/{key}/versions/{version}") {
        return c
            .checklists
            .iter()
            .map(|(k, v)| {
                path.replace("{key}", k)
                    .replace("{version}", &v.to_string())
            })
            .collect();
    }
    let first = rest.split('/').nth(1).unwrap_or("");
    let second = rest.split('/').nth(2).unwrap_or("");
    let ids: &[String] = match (first, second) {
        ("regions", _) | ("scores", "regions") => &c.regions,
        // PDF reports: their text is checked with pdftotext in reports.rs.
        ("branches", _) | ("scores" | "reports", "branches") => &c.branches,
        ("teams", _) | ("scores" | "reports", "teams") => &c.teams,
        ("visits", _) => &c.visits,
        ("disputes", _) => &c.disputes,
        ("actions", _) => &c.actions,
        ("campaigns", _) => &c.campaigns,
        ("users", _) | ("shoppers", _) => &c.users,
        // Managers never reach assignments or attachments; try them with visit-related ids.
        ("assignments", _) | ("attachments", _) => &c.visits,
        // Webhooks are the admin's (the demo has none); any id is refused to a manager alike.
        ("webhooks", _) => &c.users,
        _ => panic!("the privacy scan does not know how to fill {path}; teach urls() about it"),
    };
    let params: Vec<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|p| p.split('}').next())
        .collect();
    assert_eq!(
        params.len(),
        1,
        "{path}: teach urls() about several parameters"
    );
    let mut out = Vec::new();
    for id in ids {
        let url = path.replace(&format!("{{{}}}", params[0]), id);
        if first == "scores" || first == "reports" {
            out.push(format!("{url}?period=2026-10"));
        }
        out.push(url);
    }
    out
}

#[test]
fn no_manager_response_names_a_shopper() {
    let app = spawn_demo();
    let mut conn = app.db();
    let shoppers: Vec<(String, String, String)> = users::table
        .filter(users::role.eq("shopper"))
        .select((users::id, users::email, users::name))
        .load(&mut conn)
        .unwrap();
    assert!(shoppers.len() >= 10, "the demo has shoppers");
    let mut forbidden: BTreeSet<String> = BTreeSet::new();
    for (id, email, name) in &shoppers {
        forbidden.insert(id.clone());
        forbidden.insert(email.clone());
        forbidden.insert(name.clone());
    }
    let c = candidates(&app);
    let doc = serde_json::to_value(sirr_server::api::openapi::document_value()).unwrap();
    let mut scanned = 0usize;
    let mut leaks = Vec::new();
    let managers = ["manager.riyadh@demo.sirr", "manager.ruh-001@demo.sirr"];
    for email in managers {
        let t = token(&app, email);
        for (path, item) in doc["paths"].as_object().unwrap() {
            if item.get("get").is_none() {
                continue;
            }
            for url in urls(path, &c) {
                let (status, body) = app.get(&url, Some(&t));
                if status != 200 {
                    continue;
                }
                scanned += 1;
                let text = match &body {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                for f in &forbidden {
                    if text.contains(f.as_str()) {
                        leaks.push(format!("{email} GET {url}: contains {f}"));
                    }
                }
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "shopper identities reached managers:\n{}",
        leaks.join("\n")
    );
    // The scan reached real data: organisation lists, scores, visits, disputes.
    assert!(scanned > 50, "only {scanned} responses scanned");
}
