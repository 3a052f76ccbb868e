//! One truth (SPEC §10.30, issue 14): for every unit and period there is one estimate, and the
//! headline, the trend point, the rank, the change since the previous period and the PDF all
//! show it. Over the demo data: every branch, region and team in every month (and the
//! branches in a quarter) through the API, and the PDF text (read back with `pdftotext`) of
//! every month of one branch and of every branch in the last month, in English and Arabic.
//!
//! The web page reads the same API fields (`fair_score`, `trend[].fair_score`); a browser check
//! of the rendered page is not part of this file.

use diesel::prelude::*;
use serde_json::Value;
use sirr_store::schema::{branches, teams};

use crate::helpers::{TestApp, spawn_demo};
use crate::reports::{check_pdf, pct, poppler, token};

/// The fields every summary and trend point carries.
const FIELDS: [&str; 5] = ["visits", "raw_score", "raw_ci", "fair_score", "fair_ci"];

fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let (status, body) = app.get(path, Some(token));
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// The headline of `body` (`period` = `label`) equals the trend's entry for `label`, which is
/// the trend's last; returns that entry's predecessor in the trend (if any) for the change.
fn headline_is_trend_point<'a>(what: &str, body: &'a Value, label: &str) -> Option<&'a Value> {
    assert_eq!(body["period"], label, "{what}");
    let trend = body["trend"].as_array().unwrap();
    let last = trend
        .last()
        .unwrap_or_else(|| panic!("{what} {label}: empty trend"));
    assert_eq!(
        last["period"], label,
        "{what}: the trend must end at {label}"
    );
    for field in FIELDS {
        assert_eq!(
            body[field], last[field],
            "{what} {label}: headline {field} {} but trend point {}",
            body[field], last[field]
        );
    }
    let mut labels: Vec<&str> = trend
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    labels.dedup();
    assert_eq!(labels.len(), trend.len(), "{what}: periods repeat");
    trend.iter().rev().nth(1)
}

/// `+2.3` / `-3.6`, as the report writes a change in points.
fn points(delta: f64) -> String {
    let rounded = (delta * 1000.0).round() / 10.0;
    let sign = if rounded > 0.0 { "+" } else { "" };
    format!("{sign}{rounded:.1}")
}

#[test]
fn every_unit_and_period_reads_one_estimate() {
    let app = spawn_demo();
    let admin = token(&app, "admin@demo.sirr");
    let all = get(&app, &admin, "/api/v1/scores/organisation");
    let months: Vec<String> = all["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["period"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        months.len() >= 3,
        "the demo has months of visits: {months:?}"
    );
    let team_ids: Vec<String> = {
        let mut conn = app.db();
        teams::table.select(teams::id).load(&mut conn).unwrap()
    };

    for month in &months {
        let org = get(
            &app,
            &admin,
            &format!("/api/v1/scores/organisation?period={month}"),
        );
        headline_is_trend_point("organisation", &org, month);

        // Branches: the organisation's list, the branch page and its trend agree; ranks follow
        // the fair scores.
        let mut ranked: Vec<(f64, String, u64)> = Vec::new();
        for line in org["branches"].as_array().unwrap() {
            let id = line["branch_id"].as_str().unwrap();
            let b = get(
                &app,
                &admin,
                &format!("/api/v1/scores/branches/{id}?period={month}"),
            );
            let what = format!("branch {}", b["key"]);
            let before = headline_is_trend_point(&what, &b, month);
            for field in FIELDS {
                assert_eq!(
                    line[field], b[field],
                    "{what} {month}: list vs page {field}"
                );
            }
            assert_eq!(line["rank"], b["rank"], "{what} {month}: rank");
            // Systemic issues are those of the checklists this branch was visited with.
            let used: Vec<&Value> = b["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| &i["checklist"])
                .collect();
            for issue in b["systemic"].as_array().unwrap() {
                assert!(
                    used.contains(&&issue["checklist"]),
                    "{what} {month}: systemic issue of an unused checklist: {issue}"
                );
            }
            assert_eq!(b["peers"]["rank"], b["rank"], "{what} {month}: peers");
            if let (Some(fair), Some(rank)) = (b["fair_score"].as_f64(), b["rank"].as_u64()) {
                ranked.push((fair, b["key"].as_str().unwrap().to_owned(), rank));
            }
            // The earlier point is that month's own headline.
            if let Some(p) = before {
                let earlier = p["period"].as_str().unwrap();
                let then = get(
                    &app,
                    &admin,
                    &format!("/api/v1/scores/branches/{id}?period={earlier}"),
                );
                assert_eq!(then["fair_score"], p["fair_score"], "{what} {earlier}");
            }
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let ranks: Vec<u64> = ranked.iter().map(|r| r.2).collect();
        let expected: Vec<u64> = (1..=ranked.len() as u64).collect();
        assert_eq!(ranks, expected, "{month}: ranks follow the fair scores");

        for line in org["regions"].as_array().unwrap() {
            let id = line["region_id"].as_str().unwrap();
            let r = get(
                &app,
                &admin,
                &format!("/api/v1/scores/regions/{id}?period={month}"),
            );
            headline_is_trend_point(&format!("region {}", r["key"]), &r, month);
            for field in FIELDS {
                assert_eq!(
                    line[field], r[field],
                    "region {month}: list vs page {field}"
                );
            }
        }
        for id in &team_ids {
            let t = get(
                &app,
                &admin,
                &format!("/api/v1/scores/teams/{id}?period={month}"),
            );
            if t["visits"] != 0 {
                headline_is_trend_point(&format!("team {}", t["key"]), &t, month);
            }
        }
    }

    // A quarter reads the quarterly joint fit: its trend is in quarters.
    let last = months.last().unwrap();
    let quarter = format!(
        "{}-Q{}",
        &last[..4],
        (last[5..7].parse::<u32>().unwrap() - 1) / 3 + 1
    );
    let org = get(
        &app,
        &admin,
        &format!("/api/v1/scores/organisation?period={quarter}"),
    );
    headline_is_trend_point("organisation", &org, &quarter);
    for line in org["branches"].as_array().unwrap() {
        let id = line["branch_id"].as_str().unwrap();
        let b = get(
            &app,
            &admin,
            &format!("/api/v1/scores/branches/{id}?period={quarter}"),
        );
        headline_is_trend_point(&format!("branch {}", b["key"]), &b, &quarter);
    }
}

/// What the report of one branch and period must show.
struct Expected {
    fair: String,
    raw: String,
    change: Option<String>,
    then: Option<String>,
}

fn expected(b: &Value, month: &str) -> Expected {
    let before = headline_is_trend_point("branch", b, month);
    let fair = b["fair_score"].as_f64().unwrap();
    let then = before
        .filter(|p| {
            // The change compares with the month just before, when the branch had visits then.
            let earlier = p["period"].as_str().unwrap();
            let (y, m): (i32, u32) = (month[..4].parse().unwrap(), month[5..].parse().unwrap());
            let prev = if m == 1 {
                format!("{}-12", y - 1)
            } else {
                format!("{y}-{:02}", m - 1)
            };
            earlier == prev
        })
        .and_then(|p| p["fair_score"].as_f64());
    Expected {
        fair: pct(fair),
        raw: pct(b["raw_score"].as_f64().unwrap()),
        change: then.map(|t| points(fair - t)),
        then: then.map(pct),
    }
}

/// The text of the key figures and the trend chart: from the title to the sections chart.
fn figures<'t>(text: &'t str, lang: &str) -> &'t str {
    let end = match lang {
        "en" => "Sections against the averages",
        _ => "الأقسام مقارنة بالمتوسطات",
    };
    &text[..text.find(end).unwrap_or(text.len())]
}

#[test]
fn the_pdf_shows_the_same_numbers() {
    let app = spawn_demo();
    if !poppler() {
        return;
    }
    let admin = token(&app, "admin@demo.sirr");
    let all = get(&app, &admin, "/api/v1/scores/organisation");
    let months: Vec<String> = all["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["period"].as_str().unwrap().to_owned())
        .collect();
    let ruh: String = {
        let mut conn = app.db();
        branches::table
            .filter(branches::code.eq("RUH-001"))
            .select(branches::id)
            .first(&mut conn)
            .unwrap()
    };
    let last = months.last().unwrap().clone();
    // Every month of RUH-001, and every branch in the last month.
    let mut cases: Vec<(String, String)> =
        months.iter().map(|m| (ruh.clone(), m.clone())).collect();
    for line in get(
        &app,
        &admin,
        &format!("/api/v1/scores/organisation?period={last}"),
    )["branches"]
        .as_array()
        .unwrap()
    {
        let id = line["branch_id"].as_str().unwrap().to_owned();
        if id != ruh {
            cases.push((id, last.clone()));
        }
    }

    let dir = tempfile::tempdir().unwrap();
    for (id, month) in &cases {
        let b = get(
            &app,
            &admin,
            &format!("/api/v1/scores/branches/{id}?period={month}"),
        );
        if b["visits"] == 0 {
            continue;
        }
        let want = expected(&b, month);
        let code = b["key"].as_str().unwrap();
        let langs: &[&str] = if id == &ruh || month == &last && code.ends_with('1') {
            &["en", "ar"]
        } else {
            &["en"]
        };
        for lang in langs {
            let r = app.get_bytes(
                &format!("/api/v1/reports/branches/{id}.pdf?period={month}&lang={lang}"),
                Some(&admin),
            );
            assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
            let pdf = check_pdf(dir.path(), &format!("{code}-{month}-{lang}"), &r.body);
            let top = figures(&pdf.text, lang);
            let case = format!("{code} {month} {lang}");
            assert!(
                top.contains(&want.fair),
                "{case}: fair {} not in\n{top}",
                want.fair
            );
            assert!(
                top.contains(&want.raw),
                "{case}: raw {} not in\n{top}",
                want.raw
            );
            // The trend chart labels its last point: the headline again, and no other
            // fair score of this month.
            let chart = match lang {
                &"en" => "Fair score over the last periods",
                _ => "الدرجة العادلة خلال الفترات الأخيرة",
            };
            let chart = &top[top
                .find(chart)
                .unwrap_or_else(|| panic!("{case}: no chart"))..];
            assert!(
                chart.contains(&want.fair),
                "{case}: the trend's last point is not {}:\n{chart}",
                want.fair
            );
            if let (&"en", Some(rank), Some(of)) =
                (lang, b["rank"].as_u64(), b["peers"]["of"].as_u64())
            {
                let rank = format!("{rank} of {of}");
                assert!(top.contains(&rank), "{case}: rank {rank} not in\n{top}");
            }
            if let (Some(change), Some(then)) = (&want.change, &want.then) {
                assert!(
                    top.contains(change.as_str()),
                    "{case}: change {change} not in\n{top}"
                );
                assert!(top.contains(then.as_str()), "{case}: {then} not in\n{top}");
            }
        }
    }
}

/// Every month's organisation figures, branch list (fair scores, intervals, ranks) and the
/// trend of one branch as that month's page shows it.
fn snapshot(app: &TestApp, token: &str, months: &[String], branch: &str) -> Vec<(String, Value)> {
    months
        .iter()
        .map(|month| {
            let org = get(
                app,
                token,
                &format!("/api/v1/scores/organisation?period={month}"),
            );
            let page = get(
                app,
                token,
                &format!("/api/v1/scores/branches/{branch}?period={month}"),
            );
            let keep = |v: &Value, fields: &[&str]| -> Value {
                fields.iter().map(|f| ((*f).to_owned(), v[*f].clone())).collect()
            };
            let mut fields = FIELDS.to_vec();
            fields.extend(["rank", "trend", "peers"]);
            let value = serde_json::json!({
                "organisation": keep(&org, &FIELDS),
                "branches": org["branches"].as_array().unwrap().iter()
                    .map(|b| keep(b, &["branch_id", "fair_score", "fair_ci", "raw_score", "visits", "rank"]))
                    .collect::<Vec<_>>(),
                "regions": org["regions"].as_array().unwrap().iter()
                    .map(|r| keep(r, &["region_id", "fair_score", "fair_ci", "visits"]))
                    .collect::<Vec<_>>(),
                "page": keep(&page, &fields),
            });
            (month.clone(), value)
        })
        .collect()
}

/// Issue 14: approving a visit of the latest month moves that month only. Every earlier month's
/// fair scores, intervals, ranks and trend points are bit-identical before and after (a PDF
/// downloaded last week still matches the page), also as a second process on the same database
/// reads them; the latest month moved.
#[test]
fn approving_a_visit_moves_its_own_period_only() {
    use sirr_store::schema::{assignments, reviews, visits};
    let app = spawn_demo();
    let admin = token(&app, "admin@demo.sirr");
    let qa = token(&app, "qa@demo.sirr");
    let all = get(&app, &admin, "/api/v1/scores/organisation");
    let months: Vec<String> = all["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["period"].as_str().unwrap().to_owned())
        .collect();
    let last = months.last().unwrap().clone();
    // The demo's last month has ended and has visits to every branch: screens open on it.
    assert_eq!(
        all["default_period"],
        last.as_str(),
        "{}",
        all["default_period"]
    );

    // One visit of the last month goes back to QA's queue, as if it had just been submitted.
    let (visit, branch): (String, String) = {
        let mut conn = app.db();
        let found: (String, String, String) = visits::table
            .filter(visits::checked_in_at.like(format!("{last}-%")))
            .filter(visits::status.eq("approved"))
            .order(visits::id)
            .select((visits::id, visits::assignment_id, visits::branch_id))
            .first(&mut conn)
            .unwrap();
        diesel::delete(reviews::table.filter(reviews::visit_id.eq(&found.0)))
            .execute(&mut conn)
            .unwrap();
        diesel::update(visits::table.find(&found.0))
            .set((
                visits::status.eq("submitted"),
                visits::approved_at.eq(None::<chrono::NaiveDateTime>),
            ))
            .execute(&mut conn)
            .unwrap();
        diesel::update(assignments::table.find(&found.1))
            .set(assignments::status.eq("submitted"))
            .execute(&mut conn)
            .unwrap();
        (found.0, found.2)
    };
    let before = snapshot(&app, &admin, &months, &branch);

    let (status, body) = app.post(
        &format!("/api/v1/visits/{visit}/approve"),
        Some(&qa),
        &serde_json::json!({}),
    );
    assert_eq!(status, 200, "{body}");

    let second = crate::helpers::spawn_sharing(&app, |_| {});
    for (who, reader) in [("this process", &app), ("another process", &second)] {
        let after = snapshot(reader, &admin, &months, &branch);
        for ((month, then), (_, now)) in before.iter().zip(&after) {
            if month == &last {
                assert_eq!(
                    now["organisation"]["visits"].as_u64(),
                    then["organisation"]["visits"].as_u64().map(|v| v + 1),
                    "{who}: {month} counts the approved visit"
                );
                assert_ne!(
                    now["page"]["fair_score"], then["page"]["fair_score"],
                    "{who}: {month}: the branch's own month moved"
                );
            } else {
                assert_eq!(
                    now, then,
                    "{who}: {month} moved although none of its visits changed"
                );
            }
        }
        // The latest month's trend carries the earlier months unchanged.
        let now_trend = &after.last().unwrap().1["page"]["trend"];
        let then_trend = &before.last().unwrap().1["page"]["trend"];
        let n = now_trend.as_array().unwrap().len();
        assert_eq!(
            now_trend.as_array().unwrap()[..n - 1],
            then_trend.as_array().unwrap()[..n - 1],
            "{who}: earlier trend points"
        );
    }
}
