//! Exports (SPEC §10.33, 41–44): wide visit CSV, XLSX read back with calamine (Arabic intact,
//! the sheet right to left), JSON Lines scored again by `sirr score`, answers and scores;
//! scoped like the screens, with shopper pseudonyms for managers and QA.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;

use diesel::prelude::*;
use sirr_store::schema::{branches, checklists, users, visits};

use crate::helpers::{TestApp, spawn_demo};

const DEMO_PASSWORD: &str = "demo-password";
const BOM: &[u8] = b"\xef\xbb\xbf";

fn token(app: &TestApp, email: &str) -> String {
    let (status, body) = app.login(email, DEMO_PASSWORD);
    assert_eq!(status, 200, "{email}: {body}");
    body["access_token"].as_str().unwrap().to_owned()
}

/// Parses a CSV export: checks the byte-order mark, returns the header and the rows.
fn csv_rows(body: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(
        body.starts_with(BOM),
        "CSV starts with a UTF-8 byte-order mark"
    );
    let mut reader = csv::Reader::from_reader(&body[BOM.len()..]);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn approved_visits(app: &TestApp, branch: Option<&str>) -> BTreeSet<String> {
    let mut conn = app.db();
    let mut q = visits::table
        .filter(visits::status.eq("approved"))
        .select(visits::id)
        .into_boxed();
    if let Some(b) = branch {
        q = q.filter(visits::branch_id.eq(b.to_owned()));
    }
    q.load::<String>(&mut conn).unwrap().into_iter().collect()
}

fn branch_id(app: &TestApp, code: &str) -> String {
    branches::table
        .filter(branches::code.eq(code))
        .select(branches::id)
        .first(&mut app.db())
        .unwrap()
}

#[test]
fn visits_export_is_wide_complete_and_scores_again_with_sirr_score() {
    let app = spawn_demo();
    let admin = token(&app, "admin@demo.sirr");

    let csv = app.get_bytes("/api/v1/exports/visits.csv", Some(&admin));
    assert_eq!(csv.status, 200);
    assert!(
        csv.content_type.starts_with("text/csv"),
        "{}",
        csv.content_type
    );
    assert!(
        csv.disposition.contains("sirr-visits.csv"),
        "{}",
        csv.disposition
    );
    let (header, rows) = csv_rows(&csv.body);
    assert_eq!(
        header[..6],
        [
            "visit_id",
            "branch_code",
            "checklist",
            "checklist_version",
            "visited_at",
            "score"
        ]
    );
    // Every item of every checklist version used, once.
    let mut conn = app.db();
    let documents: Vec<String> = checklists::table
        .filter(checklists::status.eq("published"))
        .select(checklists::document)
        .load(&mut conn)
        .unwrap();
    let ids: BTreeSet<String> = rows.iter().map(|r| r[0].clone()).collect();
    assert_eq!(
        ids,
        approved_visits(&app, None),
        "every approved visit, once"
    );
    assert_eq!(ids.len(), rows.len());
    let columns: BTreeSet<&String> = header[6..].iter().collect();
    assert_eq!(columns.len(), header.len() - 6, "no item column twice");
    for row in &rows {
        assert_eq!(row.len(), header.len(), "no row shifted");
    }

    // JSON Lines: SPEC §4 lines that `sirr score` reads back, to the same visit scores.
    let jsonl = app.get_bytes("/api/v1/exports/visits.jsonl", Some(&admin));
    assert_eq!(jsonl.status, 200);
    let text = String::from_utf8(jsonl.body).unwrap();
    assert_eq!(text.lines().count(), rows.len());
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert!(
        first["region"].is_string(),
        "server exports carry region: {first}"
    );
    let dir = tempfile::tempdir().unwrap();
    let visits_file = dir.path().join("visits.jsonl");
    std::fs::write(&visits_file, &text).unwrap();
    // `sirr score` in process: the binary in a shared target directory may be another
    // checkout's build by the time this runs.
    let mut files = Vec::new();
    for (i, doc) in documents.iter().enumerate() {
        let path = dir.path().join(format!("checklist-{i}.json"));
        std::fs::write(&path, doc).unwrap();
        files.push(path);
    }
    let out_file = dir.path().join("scores.json");
    let status = sirr_server::commands::score::run(&sirr_server::commands::score::ScoreArgs {
        checklists: files,
        visits: visits_file.clone(),
        period: sirr_scoring::period::PeriodKind::Month,
        out: Some(out_file.clone()),
        skip_invalid: false,
    });
    assert_eq!(
        status,
        std::process::ExitCode::SUCCESS,
        "sirr score refused the export (problems on standard error)"
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    let scored: HashMap<String, Option<f64>> = report["visits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["id"].as_str().unwrap().to_owned(), v["score"].as_f64()))
        .collect();
    assert_eq!(scored.len(), rows.len());
    let mut compared = 0;
    for row in &rows {
        let offline = scored[&row[0]];
        // Overturned dispute items are N/A on the server; `sirr score` does not know them.
        let disputed: i64 = sirr_store::schema::disputes::table
            .filter(sirr_store::schema::disputes::visit_id.eq(&row[0]))
            .filter(sirr_store::schema::disputes::status.eq("overturned"))
            .count()
            .get_result(&mut conn)
            .unwrap();
        if disputed > 0 {
            continue;
        }
        let exported: Option<f64> = (!row[5].is_empty()).then(|| row[5].parse().unwrap());
        match (exported, offline) {
            (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "{}: {a} vs {b}", row[0]),
            (a, b) => assert_eq!(a, b, "{}", row[0]),
        }
        compared += 1;
    }
    assert!(compared > 100, "compared {compared} visits");

    // A period: only visits of that local month.
    let oct = app.get_bytes("/api/v1/exports/visits.csv?period=2026-10", Some(&admin));
    let (_, oct_rows) = csv_rows(&oct.body);
    assert!(!oct_rows.is_empty() && oct_rows.len() < rows.len());
    for row in &oct_rows {
        assert!(row[4].starts_with("2026-10"), "{}", row[4]);
    }
    let bad = app.get("/api/v1/exports/visits.csv?period=October", Some(&admin));
    assert_eq!(bad.0, 400, "{}", bad.1);
    assert_eq!(bad.1["error"]["details"][0]["path"], "period");

    // Answers: one row per answered item.
    let answers = app.get_bytes("/api/v1/exports/answers.csv?period=2026-10", Some(&admin));
    assert_eq!(answers.status, 200);
    let (header, answer_rows) = csv_rows(&answers.body);
    assert_eq!(header[..4], ["visit_id", "item", "answer", "score"]);
    let visits_answered: BTreeSet<&String> = answer_rows.iter().map(|r| &r[0]).collect();
    assert_eq!(visits_answered.len(), oct_rows.len());
    assert!(answer_rows.len() > oct_rows.len() * 3);
}

#[test]
fn exports_are_scoped_and_never_name_a_shopper_to_managers() {
    let app = spawn_demo();
    let mut conn = app.db();
    let shoppers: Vec<(String, String, String)> = users::table
        .filter(users::role.eq("shopper"))
        .select((users::id, users::email, users::name))
        .load(&mut conn)
        .unwrap();
    let ruh = branch_id(&app, "RUH-001");
    let other: String = branches::table
        .filter(branches::code.ne("RUH-001"))
        .filter(branches::code.not_like("RUH%"))
        .select(branches::id)
        .first(&mut conn)
        .unwrap();

    // A branch manager: only their branch; another branch is 404.
    let manager = token(&app, "manager.ruh-001@demo.sirr");
    let csv = app.get_bytes("/api/v1/exports/visits.csv", Some(&manager));
    assert_eq!(csv.status, 200);
    let (_, rows) = csv_rows(&csv.body);
    let ids: BTreeSet<String> = rows.iter().map(|r| r[0].clone()).collect();
    assert_eq!(ids, approved_visits(&app, Some(&ruh)));
    assert!(rows.iter().all(|r| r[1] == "RUH-001"));
    for path in [
        format!("/api/v1/exports/visits.csv?branch_id={other}"),
        format!("/api/v1/exports/scores.csv?branch_id={other}"),
        "/api/v1/exports/visits.csv?branch_id=nope".to_owned(),
    ] {
        let (status, body) = app.get(&path, Some(&manager));
        assert_eq!(status, 404, "{path}: {body}");
    }

    // No identity in a manager's file; a pseudonym per file, the same within it.
    let pseudonyms = |t: &str| -> BTreeMap<String, String> {
        let body = app.get_bytes("/api/v1/exports/visits.jsonl", Some(t)).body;
        let text = String::from_utf8(body).unwrap();
        for (id, email, name) in &shoppers {
            assert!(
                !text.contains(id.as_str())
                    && !text.contains(email.as_str())
                    && !text.contains(name.as_str())
            );
        }
        text.lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                (
                    v["id"].as_str().unwrap().to_owned(),
                    v["shopper"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let first = pseudonyms(&manager);
    let second = pseudonyms(&manager);
    let shopper_of: BTreeMap<String, String> = visits::table
        .filter(visits::branch_id.eq(&ruh))
        .filter(visits::status.eq("approved"))
        .select((visits::id, visits::shopper_id))
        .load::<(String, String)>(&mut conn)
        .unwrap()
        .into_iter()
        .collect();
    // Same shopper, same pseudonym within a file; different shoppers, different ones.
    let mut map: BTreeMap<&String, &String> = BTreeMap::new();
    for (visit, p) in &first {
        let s = &shopper_of[visit];
        assert_eq!(*map.entry(s).or_insert(p), p);
    }
    let distinct: BTreeSet<&String> = map.values().copied().collect();
    assert_eq!(distinct.len(), map.len());
    assert!(
        first.iter().all(|(v, p)| &second[v] != p),
        "a new file, new pseudonyms"
    );

    // QA: a stable pseudonymous code, not the identity; admins: the identity.
    let qa = token(&app, "qa@demo.sirr");
    let a = pseudonyms(&qa);
    let b = pseudonyms(&qa);
    assert_eq!(a, b, "QA's codes are stable");
    let admin = token(&app, "admin@demo.sirr");
    let text = String::from_utf8(
        app.get_bytes("/api/v1/exports/visits.jsonl", Some(&admin))
            .body,
    )
    .unwrap();
    let line: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert!(
        shoppers
            .iter()
            .any(|(id, ..)| line["shopper"] == id.as_str())
    );

    // A regional manager's scores: the organisation, their region, its branches and teams.
    let regional = token(&app, "manager.riyadh@demo.sirr");
    let scores = app.get_bytes("/api/v1/exports/scores.csv?period=2026-10", Some(&regional));
    assert_eq!(scores.status, 200);
    let (header, rows) = csv_rows(&scores.body);
    assert_eq!(
        header[..8],
        [
            "period",
            "level",
            "code",
            "visits",
            "raw_score",
            "fair_score",
            "fair_ci_low",
            "fair_ci_high"
        ]
    );
    assert!(rows.iter().any(|r| r[1] == "organisation"));
    for r in rows.iter().filter(|r| r[1] == "branch" || r[1] == "team") {
        assert!(r[2].starts_with("RUH-"), "{r:?}");
        assert_eq!(r[0], "2026-10");
    }
    // One truth: the branch's row is its score screen's.
    let (_, screen) = app.get(
        &format!("/api/v1/scores/branches/{ruh}?period=2026-10"),
        Some(&regional),
    );
    let row = rows
        .iter()
        .find(|r| r[1] == "branch" && r[2] == "RUH-001")
        .unwrap();
    assert_eq!(
        row[5].parse::<f64>().unwrap(),
        screen["fair_score"].as_f64().unwrap()
    );
    assert_eq!(row[3], screen["visits"].to_string());

    // Shoppers: 403 everywhere; nobody: 401.
    let shopper = token(&app, "shopper1@demo.sirr");
    for path in [
        "/api/v1/exports/visits.csv",
        "/api/v1/exports/visits.xlsx",
        "/api/v1/exports/visits.jsonl",
        "/api/v1/exports/answers.csv",
        "/api/v1/exports/scores.csv",
        "/api/v1/exports/scores.xlsx",
    ] {
        assert_eq!(app.get(path, Some(&shopper)).0, 403, "{path}");
        assert_eq!(app.get(path, None).0, 401, "{path}");
    }
    // Filters that do not apply to scores.
    let (status, body) = app.get("/api/v1/exports/scores.csv?checklist=x", Some(&admin));
    assert_eq!(status, 400, "{body}");
}

/// The sheet's XML, to check what calamine does not report (the right-to-left flag).
fn sheet_xml(xlsx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[test]
fn a_regional_manager_opens_her_regions_visits_as_xlsx_with_arabic_intact() {
    use calamine::{Data, Reader, Xlsx};
    let app = spawn_demo();
    let manager = token(&app, "manager.riyadh@demo.sirr");
    let xlsx = app.get_bytes("/api/v1/exports/visits.xlsx?lang=ar", Some(&manager));
    assert_eq!(xlsx.status, 200);
    assert!(
        xlsx.content_type.contains("spreadsheetml"),
        "{}",
        xlsx.content_type
    );
    assert!(
        sheet_xml(&xlsx.body).contains("rightToLeft=\"1\""),
        "Arabic sheet is right to left"
    );
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.body.clone())).unwrap();
    let range = book.worksheet_range("visits").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    assert_eq!(
        rows[0][..6],
        [
            "visit_id",
            "branch_code",
            "checklist",
            "checklist_version",
            "visited_at",
            "score"
        ]
    );
    assert_eq!(rows[1][0], "Visit");
    assert_eq!(rows[2][0], "الزيارة");
    // Item labels in Arabic, as the checklist has them.
    let documents: Vec<String> = checklists::table
        .select(checklists::document)
        .load(&mut app.db())
        .unwrap();
    let arabic_label = &rows[2][6];
    assert!(
        arabic_label
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "{arabic_label}"
    );
    assert!(
        documents.iter().any(|d| d.contains(arabic_label.as_str())),
        "{arabic_label} is a checklist's text"
    );
    // Every data row is a visit of the region.
    let data = &rows[3..];
    assert!(!data.is_empty());
    assert!(data.iter().all(|r| r[1].starts_with("RUH-")));
    let csv = app.get_bytes("/api/v1/exports/visits.csv", Some(&manager));
    let (_, csv_rows) = csv_rows(&csv.body);
    assert_eq!(data.len(), csv_rows.len());

    // English readers: left to right; scores as a workbook too.
    let en = app.get_bytes("/api/v1/exports/scores.xlsx?lang=en", Some(&manager));
    assert_eq!(en.status, 200);
    assert!(!sheet_xml(&en.body).contains("rightToLeft=\"1\""));
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(en.body)).unwrap();
    let range = book.worksheet_range("scores").unwrap();
    assert_eq!(range.get_value((0, 5)).unwrap().to_string(), "fair_score");
    assert_eq!(
        range.get_value((2, 5)).unwrap().to_string(),
        "الدرجة العادلة"
    );
}

#[test]
fn sirr_export_writes_the_same_files_from_the_database() {
    let app = spawn_demo();
    let admin = token(&app, "admin@demo.sirr");
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_sirr"))
            .arg("export")
            .args(args)
            .arg("--database-url")
            .arg(&app.database_url)
            .arg("--data-dir")
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let out = dir.path().join("v.csv");
    run(&[
        "visits",
        "--format",
        "csv",
        "--period",
        "2026-10",
        "--out",
        out.to_str().unwrap(),
    ]);
    let cli = std::fs::read(&out).unwrap();
    let api = app
        .get_bytes("/api/v1/exports/visits.csv?period=2026-10", Some(&admin))
        .body;
    assert_eq!(
        cli, api,
        "the command line writes what the API sends an admin"
    );
    let scores = dir.path().join("s.xlsx");
    run(&[
        "scores",
        "--format",
        "xlsx",
        "--out",
        scores.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&scores).unwrap().starts_with(b"PK"));
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_sirr"))
        .args(["export", "answers", "--format", "xlsx", "--out"])
        .arg(dir.path().join("a.xlsx"))
        .arg("--database-url")
        .arg(&app.database_url)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn disputes_and_action_plans_export_what_their_screens_list_in_scope() {
    use calamine::{Reader, Xlsx};
    let app = spawn_demo();
    let ids_of = |list: &serde_json::Value| -> BTreeSet<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_owned())
            .collect()
    };
    for email in [
        "admin@demo.sirr",
        "qa@demo.sirr",
        "manager.riyadh@demo.sirr",
        "manager.ruh-001@demo.sirr",
    ] {
        let t = token(&app, email);
        // Disputes: the rows are the disputes the screen lists to this reader.
        let (status, listed) = app.get("/api/v1/disputes", Some(&t));
        assert_eq!(status, 200, "{email}: {listed}");
        let csv = app.get_bytes("/api/v1/exports/disputes.csv", Some(&t));
        assert_eq!(csv.status, 200, "{email}");
        let (header, rows) = csv_rows(&csv.body);
        assert_eq!(
            header,
            [
                "dispute_id",
                "branch_code",
                "visit_id",
                "visited_at",
                "checklist",
                "checklist_version",
                "item",
                "status",
                "reason",
                "evidence",
                "resolution",
                "filed_at",
                "resolved_at"
            ]
        );
        let exported: BTreeSet<String> = rows.iter().map(|r| r[0].clone()).collect();
        assert_eq!(exported, ids_of(&listed), "{email}: disputes");
        for d in listed.as_array().unwrap() {
            let row = rows.iter().find(|r| r[0] == d["id"]).unwrap();
            assert_eq!(
                (&row[1], &row[2], &row[6], &row[7], &row[8]),
                (
                    &d["branch_code"].as_str().unwrap().to_owned(),
                    &d["visit_id"].as_str().unwrap().to_owned(),
                    &d["item_key"].as_str().unwrap().to_owned(),
                    &d["status"].as_str().unwrap().to_owned(),
                    &d["reason"].as_str().unwrap().to_owned()
                ),
                "{email}: dispute {} as listed",
                d["id"]
            );
        }
        // Action plans: every action of every branch the reader may see.
        let (_, branches) = app.get("/api/v1/branches", Some(&t));
        let mut actions = BTreeSet::new();
        for b in branches.as_array().unwrap() {
            let (status, list) = app.get(
                &format!("/api/v1/branches/{}/actions", b["id"].as_str().unwrap()),
                Some(&t),
            );
            assert_eq!(status, 200, "{list}");
            actions.extend(ids_of(&list));
        }
        let csv = app.get_bytes("/api/v1/exports/action_plans.csv", Some(&t));
        assert_eq!(csv.status, 200, "{email}");
        let (header, rows) = csv_rows(&csv.body);
        assert_eq!(header[..3], ["action_id", "branch_code", "period"]);
        let exported: BTreeSet<String> = rows.iter().map(|r| r[0].clone()).collect();
        assert_eq!(exported, actions, "{email}: action plans");
    }
    // The demo has both, so the comparisons above compared something.
    let admin = token(&app, "admin@demo.sirr");
    let (_, all) = app.get("/api/v1/disputes", Some(&admin));
    assert!(!all.as_array().unwrap().is_empty());
    let (_, rows) = csv_rows(
        &app.get_bytes("/api/v1/exports/action_plans.csv", Some(&admin))
            .body,
    );
    assert!(!rows.is_empty());
    // A period keeps that period's plans only.
    let period = rows[0][2].clone();
    let (_, in_period) = csv_rows(
        &app.get_bytes(
            &format!("/api/v1/exports/action_plans.csv?period={period}"),
            Some(&admin),
        )
        .body,
    );
    assert!(!in_period.is_empty() && in_period.iter().all(|r| r[2] == period));
    assert_eq!(
        in_period.len(),
        rows.iter().filter(|r| r[2] == period).count()
    );
    // Filters that do not apply are refused by name.
    for path in [
        "/api/v1/exports/disputes.csv?campaign_id=x",
        "/api/v1/exports/action_plans.csv?checklist=bank-branch-visit",
    ] {
        let (status, body) = app.get(path, Some(&admin));
        assert_eq!(status, 400, "{path}: {body}");
    }
    // The workbook in Arabic: right to left, its header rows in both languages.
    let xlsx = app.get_bytes("/api/v1/exports/disputes.xlsx?lang=ar", Some(&admin));
    assert_eq!(xlsx.status, 200);
    assert!(sheet_xml(&xlsx.body).contains("rightToLeft=\"1\""));
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.body)).unwrap();
    let range = book.worksheet_range("disputes").unwrap();
    assert_eq!(range.get_value((0, 0)).unwrap().to_string(), "dispute_id");
    assert_eq!(range.get_value((2, 8)).unwrap().to_string(), "السبب");
    assert_eq!(
        range.height() - 3,
        all.as_array().unwrap().len(),
        "one row per dispute under the three header rows"
    );
}
