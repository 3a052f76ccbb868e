//! The OData v4 feed (SPEC §10.35, 45), as Excel's and Power BI's connectors use it: HTTP
//! Basic with a personal access token, `$metadata`, and server-driven paging to the end.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use diesel::prelude::*;
use serde_json::{Value, json};
use sirr_store::schema::{branches, visits};

use crate::helpers::{TestApp, spawn_demo};

struct Client<'a> {
    app: &'a TestApp,
    agent: ureq::Agent,
    auth: String,
}

impl Client<'_> {
    /// GET a path or an absolute link: status, headers we care about, body text.
    fn get(&self, target: &str, prefer: Option<&str>) -> (u16, BTreeMap<String, String>, String) {
        let url = if target.starts_with("http") {
            target.to_owned()
        } else {
            format!("{}{target}", self.app.url)
        };
        let mut req = self.agent.get(url).header("Authorization", &self.auth);
        if let Some(p) = prefer {
            req = req.header("Prefer", p);
        }
        let mut response = req.call().unwrap();
        let mut headers = BTreeMap::new();
        for name in [
            "content-type",
            "odata-version",
            "preference-applied",
            "www-authenticate",
        ] {
            if let Some(v) = response.headers().get(name) {
                headers.insert(name.to_owned(), v.to_str().unwrap().to_owned());
            }
        }
        let status = response.status().as_u16();
        (
            status,
            headers,
            response.body_mut().read_to_string().unwrap_or_default(),
        )
    }

    fn json(&self, target: &str, prefer: Option<&str>) -> Value {
        let (status, _, body) = self.get(target, prefer);
        assert_eq!(status, 200, "{target}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// Every row of a set, following nextLink to the end; returns rows and pages.
    fn all(&self, first: &str, prefer: Option<&str>) -> (Vec<Value>, usize) {
        let mut rows = Vec::new();
        let mut next = Some(first.to_owned());
        let mut pages = 0;
        while let Some(link) = next {
            let page = self.json(&link, prefer);
            rows.extend(page["value"].as_array().unwrap().iter().cloned());
            next = page["@odata.nextLink"].as_str().map(str::to_owned);
            pages += 1;
            assert!(pages < 10_000, "paging never ends");
        }
        (rows, pages)
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// A Basic credential with a new personal access token of `email` (demo password).
fn pat_client<'a>(app: &'a TestApp, email: &str) -> Client<'a> {
    let (status, body) = app.login(email, "demo-password");
    assert_eq!(status, 200, "{body}");
    let jwt = body["access_token"].as_str().unwrap();
    let (status, made) = app.post("/api/v1/me/tokens", Some(jwt), &json!({"name": "excel"}));
    assert_eq!(status, 201, "{made}");
    let secret = made["token"].as_str().unwrap();
    Client {
        app,
        agent: agent(),
        auth: format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{email}:{secret}"))
        ),
    }
}

/// Property names of each entity type in the CSDL.
fn properties(xml: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for part in xml.split("<EntityType Name=\"").skip(1) {
        let name = part.split('"').next().unwrap().to_owned();
        let body = part.split("</EntityType>").next().unwrap();
        let props = body
            .split("<Property Name=\"")
            .skip(1)
            .map(|p| p.split('"').next().unwrap().to_owned())
            .collect();
        out.insert(name, props);
    }
    out
}

fn keys(row: &Value) -> Vec<String> {
    row.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn an_odata_client_pages_through_every_visit_and_answer() {
    let app = spawn_demo();
    let qa = pat_client(&app, "qa@demo.sirr");

    // Service document and $metadata.
    let service = qa.json("/odata/v4/", None);
    let names: Vec<&str> = service["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Visits", "Answers", "BranchScores"]);
    let (status, headers, xml) = qa.get("/odata/v4/$metadata", None);
    assert_eq!(status, 200);
    assert!(headers["content-type"].contains("xml"));
    assert_eq!(headers["odata-version"], "4.0");
    let types = properties(&xml);
    assert_eq!(types.len(), 3);

    // Every approved visit, once, in pages of at most 1,000 (fewer when the client prefers).
    let approved: BTreeSet<String> = visits::table
        .filter(visits::status.eq("approved"))
        .select(visits::id)
        .load::<String>(&mut app.db())
        .unwrap()
        .into_iter()
        .collect();
    assert!(approved.len() > 300, "{} approved visits", approved.len());
    let first = qa.json("/odata/v4/Visits?$count=true", None);
    assert_eq!(first["@odata.count"], approved.len());
    let page = first["value"].as_array().unwrap();
    assert!(page.len() <= 1000);
    let (_, headers, _) = qa.get("/odata/v4/Visits?$top=1", Some("odata.maxpagesize=5000"));
    assert_eq!(headers["preference-applied"], "odata.maxpagesize=1000");
    let (rows, pages) = qa.all("/odata/v4/Visits", Some("odata.maxpagesize=97"));
    assert!(pages > 3);
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r["visit_id"].as_str().unwrap().to_owned())
        .collect();
    let unique: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(ids.len(), unique.len(), "no visit twice");
    assert_eq!(unique, approved, "every visit");
    for row in &rows {
        assert_eq!(
            keys(row),
            types["Visit"],
            "a row's properties are $metadata's"
        );
        assert_eq!(row["period"], row["visited_at"].as_str().unwrap()[..7]);
    }

    // $filter, $select, $top, $skip.
    let branch: String = branches::table
        .filter(branches::code.eq("RUH-001"))
        .select(branches::id)
        .first(&mut app.db())
        .unwrap();
    let filtered = qa.json(
        &format!(
            "/odata/v4/Visits?$filter=period%20eq%20'2026-10'%20and%20branch_id%20eq%20'{branch}'&$select=visit_id,score,period"
        ),
        None,
    );
    let filtered = filtered["value"].as_array().unwrap();
    assert!(!filtered.is_empty());
    for row in filtered {
        assert_eq!(keys(row), ["visit_id", "score", "period"]);
        assert_eq!(row["period"], "2026-10");
    }
    let top = qa.json("/odata/v4/Visits?$top=5&$skip=3", None);
    assert_eq!(top["value"].as_array().unwrap().len(), 5);
    assert!(top.get("@odata.nextLink").is_none());
    assert_eq!(top["value"][0]["visit_id"], rows[3]["visit_id"]);
    let (rows_top, _) = qa.all("/odata/v4/Visits?$top=150", Some("odata.maxpagesize=40"));
    assert_eq!(rows_top.len(), 150);
    let (status, _, body) = qa.get("/odata/v4/Visits?$filter=score%20gt%200.5", None);
    assert_eq!(status, 400, "{body}");
    let (status, _, _) = qa.get("/odata/v4/Nope", None);
    assert_eq!(status, 404);

    // Answers of one branch's month, paged inside visits: every answer once.
    let q = format!("/odata/v4/Answers?$filter=branch_id%20eq%20'{branch}'");
    let count = qa.json(&format!("{q}&$count=true&$top=0"), None);
    let (answers, pages) = qa.all(&q, Some("odata.maxpagesize=7"));
    assert!(pages > 3);
    assert_eq!(count["@odata.count"], answers.len());
    let pairs: BTreeSet<(String, String)> = answers
        .iter()
        .map(|r| {
            (
                r["visit_id"].as_str().unwrap().to_owned(),
                r["item"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(pairs.len(), answers.len(), "no answer twice");
    for row in &answers {
        assert_eq!(keys(row), types["Answer"]);
    }

    // Branch scores: the score screens' numbers.
    let scores = qa.json(
        &format!("/odata/v4/BranchScores?$filter=period%20eq%20'2026-10'%20and%20branch_id%20eq%20'{branch}'"),
        None,
    );
    let row = &scores["value"][0];
    assert_eq!(keys(row), types["BranchScore"]);
    let admin = app.login("admin@demo.sirr", "demo-password").1["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, screen) = app.get(
        &format!("/api/v1/scores/branches/{branch}?period=2026-10"),
        Some(&admin),
    );
    assert_eq!(row["fair_score"], screen["fair_score"]);
    assert_eq!(row["visits"], screen["visits"]);
}

#[test]
fn the_feed_is_scoped_and_asks_for_credentials() {
    let app = spawn_demo();
    let manager = pat_client(&app, "manager.ruh-001@demo.sirr");
    let branch: String = branches::table
        .filter(branches::code.eq("RUH-001"))
        .select(branches::id)
        .first(&mut app.db())
        .unwrap();
    let (rows, _) = manager.all("/odata/v4/Visits", None);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["branch_id"] == branch.as_str()));
    let scores = manager.json("/odata/v4/BranchScores", None);
    assert!(
        scores["value"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["branch_id"] == branch.as_str())
    );
    let shopper = pat_client(&app, "shopper1@demo.sirr");
    assert_eq!(shopper.get("/odata/v4/Visits", None).0, 403);
    let nobody = Client {
        app: &app,
        agent: agent(),
        auth: String::new(),
    };
    let (status, headers, _) = nobody.get("/odata/v4/$metadata", None);
    assert_eq!(status, 401);
    assert!(headers["www-authenticate"].starts_with("Basic"));
}
