//! PDF coaching reports over the demo data, checked with the real poppler tools: `pdftotext`
//! finds the headings, names, scores and Arabic phrases in logical order, `pdfinfo` reports A4
//! pages, `pdftoppm` renders every page, and no shopper identity is in the text.
//!
//! Without poppler-utils the PDF checks fail under `CI=true` (`.ci/run` installs them) and are
//! skipped with a notice otherwise.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use diesel::prelude::*;
use sirr_store::schema::{branches, teams, users};

use crate::helpers::{TestApp, spawn_demo};

const DEMO_PASSWORD: &str = "demo-password";
const PERIOD: &str = "2026-10";

pub(crate) fn token(app: &TestApp, email: &str) -> String {
    let (status, body) = app.login(email, DEMO_PASSWORD);
    assert_eq!(status, 200, "{email}: {body}");
    body["access_token"].as_str().unwrap().to_owned()
}

/// Whether poppler-utils is installed; under CI its absence fails the test.
pub(crate) fn poppler() -> bool {
    let found = Command::new("pdfinfo").arg("-v").output().is_ok();
    if !found {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "poppler-utils (pdftotext, pdfinfo, pdftoppm) is required under CI"
        );
        eprintln!("notice: poppler-utils is not installed; the PDF checks are skipped");
    }
    found
}

pub(crate) fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// What poppler says about one PDF.
pub(crate) struct Checked {
    pub(crate) text: String,
    pub(crate) layout: String,
    pub(crate) pages: usize,
}

/// Checks the PDF with pdfinfo (A4, page count) and pdftoppm (every page renders), and
/// returns its text.
pub(crate) fn check_pdf(dir: &Path, name: &str, bytes: &[u8]) -> Checked {
    let pdf = dir.join(format!("{name}.pdf"));
    std::fs::write(&pdf, bytes).unwrap();
    // SIRR_KEEP_REPORTS=DIR keeps a copy to look at (docs/report-*.png are made from these).
    if let Ok(keep) = std::env::var("SIRR_KEEP_REPORTS") {
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::write(Path::new(&keep).join(format!("{name}.pdf")), bytes).unwrap();
    }
    let pdf = pdf.to_str().unwrap();
    let info = run("pdfinfo", &[pdf]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!((2..=6).contains(&pages), "{pages} pages:\n{info}");
    let size = info.lines().find(|l| l.starts_with("Page size:")).unwrap();
    assert!(size.ends_with("pts (A4)"), "not A4:\n{info}");
    let prefix = dir.join(name);
    run(
        "pdftoppm",
        &["-png", "-r", "30", pdf, prefix.to_str().unwrap()],
    );
    let rendered = std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            let n = e.as_ref().unwrap().file_name();
            let n = n.to_str().unwrap();
            n.starts_with(&format!("{name}-")) && n.ends_with(".png")
        })
        .count();
    assert_eq!(
        rendered, pages,
        "pdftoppm rendered {rendered} of {pages} pages"
    );
    Checked {
        text: run("pdftotext", &[pdf, "-"]),
        layout: run("pdftotext", &["-layout", pdf, "-"]),
        pages,
    }
}

fn names(text: &str) -> BTreeMap<String, String> {
    serde_json::from_str(text).unwrap()
}

pub(crate) fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn forbidden(app: &TestApp) -> Vec<String> {
    let mut conn = app.db();
    let shoppers: Vec<(String, String, String)> = users::table
        .filter(users::role.eq("shopper"))
        .select((users::id, users::email, users::name))
        .load(&mut conn)
        .unwrap();
    assert!(shoppers.len() >= 10);
    shoppers
        .into_iter()
        .flat_map(|(id, email, name)| [id, email, name])
        .collect()
}

#[test]
fn branch_reports_in_english_and_arabic() {
    let app = spawn_demo();
    let mut conn = app.db();
    let (id, stored): (String, String) = branches::table
        .filter(branches::code.eq("RUH-001"))
        .select((branches::id, branches::names))
        .first(&mut conn)
        .unwrap();
    let branch_names = names(&stored);
    let manager = token(&app, "manager.ruh-001@demo.sirr");
    let (status, scores) = app.get(
        &format!("/api/v1/scores/branches/{id}?period={PERIOD}"),
        Some(&manager),
    );
    assert_eq!(status, 200, "{scores}");
    let fair = pct(scores["fair_score"].as_f64().unwrap());
    let raw = pct(scores["raw_score"].as_f64().unwrap());

    let dir = tempfile::tempdir().unwrap();
    let have_poppler = poppler();
    let shoppers = forbidden(&app);
    for lang in ["en", "ar"] {
        let url = format!("/api/v1/reports/branches/{id}.pdf?period={PERIOD}&lang={lang}");
        let r = app.get_bytes(&url, Some(&manager));
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        assert_eq!(r.content_type, "application/pdf");
        assert_eq!(
            r.disposition,
            format!("attachment; filename=\"sirr-report-RUH-001-{PERIOD}-{lang}.pdf\"")
        );
        assert!(r.body.starts_with(b"%PDF-"));
        assert!(r.body.len() < 250 * 1024, "{} bytes", r.body.len());
        if !have_poppler {
            continue;
        }
        let pdf = check_pdf(dir.path(), lang, &r.body);
        let expected: Vec<&str> = match lang {
            "en" => vec![
                "Coaching report",
                "Sirr Demo Bank",
                branch_names["en"].as_str(),
                "RUH-001",
                "Fair score",
                "What went well",
                "Failed and weak items",
                "Systemic and branch-specific issues",
                "Critical-item failures",
                "How these scores are made",
                "Action plan",
                PERIOD,
            ],
            _ => vec![
                "تقرير التوجيه",
                "بنك سر التجريبي",
                branch_names["ar"].as_str(),
                "RUH-001",
                "الدرجة العادلة",
                "ما تم بشكل جيد",
                "البنود غير المستوفاة والضعيفة",
                "المشكلات العامة والمشكلات الخاصة بالفرع",
                "إخفاقات البنود الحرجة",
                "كيف تحسب هذه الدرجات",
                "خطة العمل",
                "الجهة المسؤولة",
                PERIOD,
            ],
        };
        for phrase in expected {
            assert!(
                pdf.text.contains(phrase),
                "{lang}: {phrase:?} not found in:\n{}",
                pdf.text
            );
        }
        // Critical failures come first among what needs work (a manager found them on page 3,
        // after the weak items and the systemic issues).
        let order: [&str; 3] = match lang {
            "en" => [
                "Critical-item failures",
                "Other failing and weak items",
                "Systemic and branch-specific issues",
            ],
            _ => [
                "إخفاقات البنود الحرجة",
                "بنود أخرى غير مستوفاة أو ضعيفة",
                "المشكلات العامة والمشكلات الخاصة بالفرع",
            ],
        };
        let at: Vec<usize> = order
            .iter()
            .map(|p| {
                pdf.text
                    .find(p)
                    .unwrap_or_else(|| panic!("{lang}: {p:?} missing"))
            })
            .collect();
        assert!(
            at.windows(2).all(|w| w[0] < w[1]),
            "{lang}: order {order:?} at {at:?}"
        );
        for score in [&fair, &raw] {
            assert!(
                pdf.text.contains(score.as_str()),
                "{lang}: score {score} not found in:\n{}",
                pdf.text
            );
        }
        // A whole Arabic line reads in logical word order.
        if lang == "ar" {
            assert!(
                pdf.layout.contains("نتائج التسوق الخفي لجلسة التوجيه"),
                "{}",
                pdf.layout
            );
        }
        for f in &shoppers {
            assert!(
                !pdf.text.contains(f.as_str()),
                "{lang}: the report names a shopper ({f})"
            );
        }
        assert!(pdf.pages >= 2);
    }
}

#[test]
fn team_reports_and_refusals() {
    let app = spawn_demo();
    let mut conn = app.db();
    let ruh: String = branches::table
        .filter(branches::code.eq("RUH-001"))
        .select(branches::id)
        .first(&mut conn)
        .unwrap();
    let team: String = teams::table
        .filter(teams::branch_id.eq(&ruh))
        .select(teams::id)
        .first(&mut conn)
        .unwrap();
    let other: String = branches::table
        .filter(branches::code.ne("RUH-001"))
        .select(branches::id)
        .first(&mut conn)
        .unwrap();
    let manager = token(&app, "manager.ruh-001@demo.sirr");

    let r = app.get_bytes(
        &format!("/api/v1/reports/teams/{team}.pdf?period={PERIOD}&lang=ar"),
        Some(&manager),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.content_type, "application/pdf");
    if poppler() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = check_pdf(dir.path(), "team", &r.body);
        assert!(pdf.text.contains("هذا الفريق"), "{}", pdf.text);
        assert!(pdf.text.contains("متوسط الفرع"), "{}", pdf.text);
    }

    // Every visit, no period: still a report.
    let r = app.get_bytes(
        &format!("/api/v1/reports/branches/{ruh}.pdf"),
        Some(&manager),
    );
    assert_eq!(r.status, 200);
    assert!(r.disposition.contains("-all-en.pdf"), "{}", r.disposition);

    let (status, body) = app.get(
        &format!("/api/v1/reports/branches/{ruh}.pdf?lang=fr"),
        Some(&manager),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["details"][0]["path"], "lang");
    let (status, body) = app.get(
        &format!("/api/v1/reports/branches/{ruh}.pdf?period=2026-13"),
        Some(&manager),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["details"][0]["path"], "period");
    let (status, _) = app.get(
        &format!("/api/v1/reports/branches/{other}.pdf"),
        Some(&manager),
    );
    assert_eq!(status, 404);
    let shopper = token(&app, "shopper1@demo.sirr");
    let (status, _) = app.get(
        &format!("/api/v1/reports/branches/{ruh}.pdf"),
        Some(&shopper),
    );
    assert_eq!(status, 403);
    let (status, _) = app.get(&format!("/api/v1/reports/branches/{ruh}.pdf"), None);
    assert_eq!(status, 401);
}

/// `pdftotext`'s text without the bidi controls it adds around runs, as lines of tokens: a run
/// of digits (with `.`, `%`, `–`, `-`, `+`) is a token of its own even where poppler leaves out
/// the space between it and a word.
fn token_lines(text: &str) -> Vec<Vec<String>> {
    let is_bidi = |c: char| matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    let numeric = |c: char| c.is_ascii_digit() || matches!(c, '.' | '%' | '–' | '-' | '+');
    text.lines()
        .map(|line| {
            let mut tokens: Vec<String> = Vec::new();
            let mut current = String::new();
            let mut in_number = false;
            for c in line.chars().filter(|&c| !is_bidi(c)) {
                let number = numeric(c) && (c.is_ascii_digit() || in_number || current.is_empty());
                if (c.is_whitespace() || number != in_number) && !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
                if !c.is_whitespace() {
                    in_number = number;
                    current.push(c);
                }
            }
            if !current.is_empty() {
                tokens.push(current);
            }
            tokens
        })
        .collect()
}

/// `pdftotext`'s text as one line of [`token_lines`]' tokens: poppler wraps runs in bidi
/// controls and moves a space from one side of a number to the other.
fn words(text: &str) -> String {
    token_lines(text)
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Arabic counted noun after «من» for `n`, by CLDR's plural category.
fn arabic_count(n: u32, one: &str, two: &str, few: &str, singular: &str) -> Vec<String> {
    match (n, n % 100) {
        (1, _) => vec![singular.to_owned(), one.to_owned()],
        (2, _) => vec![two.to_owned()],
        (_, 3..=10) => vec![n.to_string(), few.to_owned()],
        _ => vec![n.to_string(), singular.to_owned()],
    }
}

fn is_pct(t: &str) -> bool {
    t.ends_with('%') && t[..t.len() - 1].parse::<f64>().is_ok()
}

#[test]
fn arabic_numbers_read_back_next_to_their_labels() {
    let app = spawn_demo();
    if !poppler() {
        return;
    }
    let mut conn = app.db();
    let id: String = branches::table
        .filter(branches::code.eq("RUH-001"))
        .select(branches::id)
        .first(&mut conn)
        .unwrap();
    let manager = token(&app, "manager.ruh-001@demo.sirr");
    let (status, scores) = app.get(
        &format!("/api/v1/scores/branches/{id}?period={PERIOD}"),
        Some(&manager),
    );
    assert_eq!(status, 200, "{scores}");
    let r = app.get_bytes(
        &format!("/api/v1/reports/branches/{id}.pdf?period={PERIOD}&lang=ar"),
        Some(&manager),
    );
    assert_eq!(r.status, 200);
    let dir = tempfile::tempdir().unwrap();
    let pdf = check_pdf(dir.path(), "pairs", &r.body);
    let lines = token_lines(&pdf.text);
    let show = |l: &[String]| l.join(" ");

    // "pass rate 100.0% of 13 answers": the percentage right after its label, then «من», the
    // count and its noun in the plural the count calls for.
    let mut pass_rates = 0;
    for line in &lines {
        let Some(at) = line.iter().position(|t| t == "الاستيفاء") else {
            continue;
        };
        let rest = &line[at + 1..];
        assert!(
            rest.first().is_some_and(|t| is_pct(t)),
            "the pass rate does not follow its label: {}",
            show(line)
        );
        if rest.len() < 4 {
            continue; // wrapped
        }
        assert_eq!(rest[1], "من", "{}", show(line));
        let n: u32 = match rest[2].parse() {
            Ok(n) => n,
            Err(_) => {
                if rest[2] == "إجابتين" {
                    2
                } else {
                    1
                }
            }
        };
        let want = arabic_count(n, "واحدة", "إجابتين", "إجابات", "إجابة");
        assert_eq!(&rest[2..2 + want.len()], want.as_slice(), "{}", show(line));
        pass_rates += 1;
    }
    assert!(pass_rates >= 3, "too few pass rates found:\n{}", pdf.text);

    // "90% interval 75.5–83.3%": «نطاق الثقة 90% من 75.5% إلى 83.3%», for the fair score
    // the API's interval.
    let intervals: Vec<&Vec<String>> = lines
        .iter()
        .filter(|l| l.windows(2).any(|w| w[0] == "نطاق" && w[1] == "الثقة"))
        .filter(|l| l.len() >= 7 && l[0] == "نطاق")
        .collect();
    assert_eq!(intervals.len(), 2, "fair and raw intervals:\n{}", pdf.text);
    for l in &intervals {
        let ok = l[1] == "الثقة"
            && l[2] == "90%"
            && l[3] == "من"
            && is_pct(&l[4])
            && l[5] == "إلى"
            && is_pct(&l[6]);
        assert!(ok, "{}", show(l));
    }
    let ci = scores["fair_ci"].as_array().unwrap();
    let fair = intervals
        .iter()
        .any(|l| l[4] == pct(ci[0].as_f64().unwrap()) && l[6] == pct(ci[1].as_f64().unwrap()));
    assert!(
        fair,
        "the fair interval {ci:?} is not read back:\n{}",
        pdf.text
    );

    // "failed in 1 of 8 visits", "failing in 5 of 11 branches": the count's noun agrees.
    let mut counted = 0;
    for line in &lines {
        for w in line.windows(3) {
            if w[0] != "من" {
                continue;
            }
            let Ok(n) = w[1].parse::<u32>() else { continue };
            let (few, singular) = match w[2].as_str() {
                "زيارة" | "زيارات" => ("زيارات", "زيارة"),
                "فرع" | "فروع" | "فرعا" => {
                    ("فروع", if n % 100 > 10 { "فرعا" } else { "فرع" })
                }
                "إجابة" | "إجابات" => ("إجابات", "إجابة"),
                _ => continue,
            };
            let want = if (3..=10).contains(&(n % 100)) {
                few
            } else {
                singular
            };
            assert_eq!(w[2], want, "{n}: {}", show(line));
            counted += 1;
        }
    }
    assert!(counted >= 3, "too few counted nouns found:\n{}", pdf.text);
}

/// Issue 14: a list cut to fit the page says so ("6 of 18 shown; all in the web app"), in
/// both languages; the count is that of the branch's weak items.
#[test]
fn a_shortened_list_says_how_many_it_shows() {
    let app = spawn_demo();
    if !poppler() {
        return;
    }
    let admin = token(&app, "admin@demo.sirr");
    let (status, org) = app.get(
        &format!("/api/v1/scores/organisation?period={PERIOD}"),
        Some(&admin),
    );
    assert_eq!(status, 200, "{org}");
    // The report's rule for a gap: judged (3+ answers), and failing or passed under 70%.
    let weak = |b: &serde_json::Value| -> usize {
        b["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| {
                i["answers"].as_u64().unwrap() >= 3
                    && i["pass_rate"]
                        .as_f64()
                        .is_some_and(|p| i["failing"].as_bool().unwrap() || p < 0.7)
            })
            .count()
    };
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for line in org["branches"].as_array().unwrap() {
        let id = line["branch_id"].as_str().unwrap();
        let (_, b) = app.get(
            &format!("/api/v1/scores/branches/{id}?period={PERIOD}"),
            Some(&admin),
        );
        let n = weak(&b);
        if n <= 6 || checked == 2 {
            continue;
        }
        checked += 1;
        for lang in ["en", "ar"] {
            let r = app.get_bytes(
                &format!("/api/v1/reports/branches/{id}.pdf?period={PERIOD}&lang={lang}"),
                Some(&admin),
            );
            assert_eq!(r.status, 200);
            let pdf = check_pdf(dir.path(), &format!("cut-{id}-{lang}"), &r.body);
            let text = words(&pdf.text);
            let want = match lang {
                "en" => format!("6 of {n} shown; all in the web app"),
                _ => format!("يظهر هنا 6 من {n}؛ القائمة كاملة في تطبيق الويب"),
            };
            assert!(
                text.contains(&words(&want)),
                "{} {lang}: no «{want}» in\n{text}",
                b["key"]
            );
        }
    }
    assert!(
        checked > 0,
        "no branch in {PERIOD} has more than 6 weak items"
    );
}

/// The messages of a report message file that are plain text (no arguments, one line).
fn fixed_labels(ftl: &str) -> Vec<(String, String)> {
    ftl.lines()
        .filter_map(|l| l.split_once(" = "))
        .filter(|(id, text)| !id.starts_with('#') && !text.contains('{'))
        .map(|(id, text)| (id.to_owned(), text.to_owned()))
        .collect()
}

/// Issue 14: the owner of a systemic issue reads in Arabic («الجهة المسؤولة: التدريب», not
/// "training"), its "failing in 5 of 11 branches" reads in order with the noun in the plural its
/// count calls for, and no fixed label of one language is in the other language's report.
#[test]
fn report_wording_is_in_the_readers_language_only() {
    use sirr_report::i18n::{AR_FTL, EN_FTL};
    let app = spawn_demo();
    if !poppler() {
        return;
    }
    let admin = token(&app, "admin@demo.sirr");
    let (status, org) = app.get(
        &format!("/api/v1/scores/organisation?period={PERIOD}"),
        Some(&admin),
    );
    assert_eq!(status, 200, "{org}");
    let systemic: Vec<(String, u64, u64)> = org["systemic"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["owner"].as_str().unwrap_or("").to_owned(),
                i["failing_branches"].as_u64().unwrap(),
                i["branches"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        !systemic.is_empty(),
        "the demo has systemic issues in {PERIOD}"
    );
    // Items of every list carry their owner, not only the systemic ones.
    let in_use: Vec<String> = org["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["owner"].as_str().map(str::to_owned))
        .collect();
    let owners = |ftl: &str| -> BTreeMap<String, String> {
        fixed_labels(ftl)
            .into_iter()
            .filter_map(|(id, text)| Some((id.strip_prefix("owner-")?.to_owned(), text)))
            .collect()
    };
    let (en_owners, ar_owners) = (owners(EN_FTL), owners(AR_FTL));
    // A branch whose report lists a systemic issue: one it does not pass at the strength line
    // (3+ answers, 80%+), which the report would list as a strength instead.
    let strong = |b: &serde_json::Value, checklist: &str, key: &str| {
        b["items"].as_array().unwrap().iter().any(|i| {
            i["checklist"] == checklist
                && i["key"] == key
                && i["answers"].as_u64().unwrap() >= 3
                && i["pass_rate"].as_f64().is_some_and(|p| p >= 0.8)
        })
    };
    let id = org["branches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line["branch_id"].as_str().unwrap().to_owned())
        .find(|id| {
            let (_, b) = app.get(
                &format!("/api/v1/scores/branches/{id}?period={PERIOD}"),
                Some(&admin),
            );
            org["systemic"].as_array().unwrap().iter().any(|i| {
                !strong(
                    &b,
                    i["checklist"].as_str().unwrap(),
                    i["key"].as_str().unwrap(),
                )
            })
        })
        .expect("a branch with a systemic issue in its report");

    let dir = tempfile::tempdir().unwrap();
    let mut texts = BTreeMap::new();
    for lang in ["en", "ar"] {
        let r = app.get_bytes(
            &format!("/api/v1/reports/branches/{id}.pdf?period={PERIOD}&lang={lang}"),
            Some(&admin),
        );
        assert_eq!(r.status, 200);
        let pdf = check_pdf(dir.path(), &format!("wording-{lang}"), &r.body);
        texts.insert(lang, pdf.text);
    }
    // Without colons: poppler puts the one after «الجهة المسؤولة» on either side of the space.
    let (en, ar) = (
        words(&texts["en"].replace(':', " ")),
        words(&texts["ar"].replace(':', " ")),
    );

    // The owners: named in the report's language after their label, never by their key.
    let named = |text: &str, label: &str, names: &BTreeMap<String, String>| -> usize {
        in_use
            .iter()
            .filter_map(|owner| names.get(&owner.to_lowercase()))
            .map(|name| text.matches(&format!("{label} {name}")).count())
            .sum()
    };
    assert!(named(&ar, "الجهة المسؤولة", &ar_owners) > 0, "{ar}");
    assert!(named(&en, "owner", &en_owners) > 0, "{en}");
    for (key, name) in &en_owners {
        for written in [key, name] {
            assert!(
                !ar.contains(&format!("الجهة المسؤولة {written}")),
                "the owner {written} is not in Arabic in the Arabic report"
            );
        }
    }

    // "failing in 5 of 11 branches": the pair the API gives, the noun in its plural form.
    let mut pairs = 0;
    for line in token_lines(&texts["ar"]) {
        let Some(at) = line
            .windows(2)
            .position(|w| w[0] == "مستوفى" && w[1] == "في")
        else {
            continue;
        };
        let rest = &line[at + 2..];
        if rest.len() < 3 {
            continue; // wrapped
        }
        let failing: u64 = rest[0].parse().unwrap();
        assert_eq!(rest[1], "من", "{}", line.join(" "));
        let (branches, noun) = match rest[2].parse::<u64>() {
            Ok(n) => (n, rest.get(3).cloned().unwrap_or_default()),
            Err(_) if rest[2] == "فرعين" => (2, rest[2].clone()),
            Err(_) => (1, rest[2..].join(" ")),
        };
        let want = match (branches, branches % 100) {
            (1, _) => "فرع واحد",
            (2, _) => "فرعين",
            (_, 3..=10) => "فروع",
            (_, 11..=99) => "فرعا",
            _ => "فرع",
        };
        assert!(
            noun.starts_with(want),
            "{branches} {noun}: {}",
            line.join(" ")
        );
        assert!(
            systemic
                .iter()
                .any(|&(_, f, b)| f == failing && b == branches),
            "{failing} of {branches} is no systemic item's: {}",
            line.join(" ")
        );
        pairs += 1;
    }
    assert!(
        pairs > 0,
        "no «غير مستوفى في … من …» read back:\n{}",
        texts["ar"]
    );

    // No fixed label of the other language (labels of two words or more: a single word could
    // be part of a name, a shopper's comment or an action written in the other language).
    let label_words = |label: &str| words(&label.replace(':', " "));
    for (id, label) in fixed_labels(AR_FTL) {
        if label.contains(' ') {
            let label = label_words(&label);
            assert!(
                !en.contains(&label),
                "{id} «{label}» is in the English report"
            );
        }
    }
    for (id, label) in fixed_labels(EN_FTL) {
        if label.contains(' ') {
            let label = label_words(&label);
            assert!(
                !ar.contains(&label),
                "{id} {label:?} is in the Arabic report"
            );
        }
    }
    assert!(en.contains("Coaching report") && ar.contains("تقرير التوجيه"));
}
