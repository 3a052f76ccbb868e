//! XLSForm export (issue 19): every example and every generated checklist survives
//! `import(export(doc))` with the same canonical JSON and content hash, and the workbook is an
//! XLSForm a person (and ODK) can read: the right types, `relevant` in XPath, languages as
//! `label::Language (code)` columns.

use std::io::Cursor;

use calamine::{Data, Reader};
use proptest::prelude::*;
use serde_json::{Value, json};
use sirr_checklist::Checklist;
use sirr_checklist::xlsform::{export, import};

use crate::support::repo;

fn load(path: &str) -> Checklist {
    let path = repo().join(path);
    let text = std::fs::read_to_string(&path).unwrap();
    let outcome = if path.extension().is_some_and(|e| e == "json") {
        sirr_checklist::from_value(&serde_json::from_str(&text).unwrap())
    } else {
        match sirr_checklist::from_yaml_str(&text) {
            Ok((c, _)) => return c,
            Err(e) => panic!("{}: {e}", path.display()),
        }
    };
    outcome
        .checklist
        .unwrap_or_else(|| panic!("{}: {:#?}", path.display(), outcome.problems))
}

/// `import(export(doc))`, failing with the import's problems.
fn round_trip(doc: &Checklist) -> Checklist {
    let bytes = export(doc).unwrap();
    match import(&bytes, "fallback") {
        Ok((back, _warnings)) => back,
        Err(e) => panic!("{e}: {e:#?}"),
    }
}

fn assert_same(doc: &Checklist, back: &Checklist, what: &str) {
    let (want, got) = (doc.to_pretty_json(), back.to_pretty_json());
    if want != got {
        // Name the first line that differs, not two pages of JSON.
        let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
        let at = w
            .iter()
            .zip(&g)
            .position(|(a, b)| a != b)
            .unwrap_or(w.len().min(g.len()));
        let from = at.saturating_sub(6);
        panic!(
            "{what}: the checklist changed on the way through XLSForm at line {}:\nwant:\n{}\ngot:\n{}",
            at + 1,
            w[from..(at + 3).min(w.len())].join("\n"),
            g[from..(at + 3).min(g.len())].join("\n"),
        );
    }
    assert_eq!(back.content_hash(), doc.content_hash(), "{what}");
}

/// Every cell of a sheet as text, rows in order (the header first).
fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// The cells of the row whose `name` column is `name`, by header.
fn row_of(rows: &[Vec<String>], name: &str) -> std::collections::HashMap<String, String> {
    let header = &rows[0];
    let name_col = header.iter().position(|h| h == "name").unwrap();
    let row = rows
        .iter()
        .find(|r| r.get(name_col).map(String::as_str) == Some(name))
        .unwrap_or_else(|| panic!("no row named {name}"));
    header.iter().cloned().zip(row.iter().cloned()).collect()
}

fn example_files() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(repo().join("examples/checklists"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") || n.ends_with(".yaml") || n.ends_with(".yml"))
        .map(|n| format!("examples/checklists/{n}"))
        .collect();
    out.push("tests/fixtures/checklists/spec-example.json".into());
    out.sort();
    out
}

#[test]
fn every_example_checklist_survives_the_round_trip() {
    let files = example_files();
    assert!(files.len() >= 4, "{files:?}");
    for file in files {
        let doc = load(&file);
        assert_same(&doc, &round_trip(&doc), &file);
    }
}

#[test]
fn the_example_workbook_survives_import_export_import() {
    let bytes = std::fs::read(repo().join("examples/checklists/retail-store-visit.xlsx")).unwrap();
    let (first, _) = import(&bytes, "retail-store-visit").unwrap();
    let again = round_trip(&first);
    assert_same(&first, &again, "retail-store-visit.xlsx");
}

#[test]
fn real_world_forms_that_import_also_survive_export_and_import() {
    let Some(dir) = crate::xlsform::pyxform_dir() else {
        return;
    };
    let mut survived = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        if let Ok((first, _)) = import(&bytes, "form") {
            assert_same(&first, &round_trip(&first), &path.display().to_string());
            survived += 1;
        }
    }
    assert!(survived >= 5, "only {survived} forms imported");
}

#[test]
fn the_workbook_is_a_readable_xlsform() {
    let doc = load("examples/checklists/bank-branch-visit.json");
    let bytes = export(&doc).unwrap();

    let survey = sheet(&bytes, "survey");
    let header = &survey[0];
    for col in [
        "type",
        "name",
        "label::English (en)",
        "label::Arabic (ar)",
        "hint::English (en)",
        "hint::Arabic (ar)",
        "relevant",
        "weight",
        "critical",
        "owner",
        "bands",
    ] {
        assert!(header.iter().any(|h| h == col), "no {col} in {header:?}");
    }
    // Sections are groups; the first row opens the first one.
    assert_eq!(survey[1][0], "begin_group");
    assert_eq!(survey[1][1], doc.sections[0].key.as_str());
    assert_eq!(survey.last().unwrap()[0], "end_group");

    let first = &doc.sections[0].items[0];
    let row = row_of(&survey, first.key.as_str());
    assert_eq!(row["label::English (en)"], first.text.get("en").unwrap());
    assert_eq!(row["label::Arabic (ar)"], first.text.get("ar").unwrap());

    let row = row_of(&survey, "long_wait_acknowledged");
    assert_eq!(row["relevant"], "${wait_minutes} > 10");
    let row = row_of(&survey, "card_offer");
    assert!(row["type"].starts_with("select_one "), "{row:?}");
    // `not in` has no XPath spelling the importer maps back, so it also goes in show_if.
    let negated = doc
        .items()
        .map(|(_, i)| i)
        .find(|i| {
            i.show_if
                .as_ref()
                .is_some_and(|e| e.to_string().contains("not in"))
        })
        .unwrap();
    let row = row_of(&survey, negated.key.as_str());
    assert_eq!(
        row["relevant"],
        "not(${card_offer} = 'not_offered' or ${card_offer} = 'not_eligible')"
    );
    assert_eq!(
        row["show_if"],
        "card_offer not in ['not_offered', 'not_eligible']"
    );
    let row = row_of(&survey, "wait_minutes");
    assert_eq!(row["type"], "decimal");
    assert!(!row["bands"].is_empty());
    for (_, item) in doc.items() {
        let row = row_of(&survey, item.key.as_str());
        let want = match item.kind.type_name() {
            "yes_no" => "select_one yes_no",
            "scale" => "range",
            "number" => "decimal",
            "duration" => "duration",
            "text" => "text",
            "photo" => "image",
            "timestamp" => "datetime",
            "note" => "note",
            "choice" => "select_one",
            _ => "select_multiple",
        };
        assert!(
            row["type"].starts_with(want),
            "{}: {}",
            item.key,
            row["type"]
        );
        if item.critical {
            assert_eq!(row["critical"], "yes", "{}", item.key);
        }
    }

    let choices = sheet(&bytes, "choices");
    assert_eq!(&choices[0][..2], ["list_name", "name"]);
    assert!(choices[0].iter().any(|h| h == "score"));
    assert!(
        choices
            .iter()
            .any(|r| r[0] == "yes_no" && r[1] == "yes" && r.iter().any(|c| c == "نعم"))
    );

    let settings = sheet(&bytes, "settings");
    let s: std::collections::HashMap<_, _> = settings[0]
        .iter()
        .cloned()
        .zip(settings[1].clone())
        .collect();
    assert_eq!(s["form_id"], doc.key.as_str());
    assert_eq!(s["version"], doc.version.to_string());
    assert_eq!(s["form_title"], doc.title.get("en").unwrap());
    assert_eq!(s["form_title::Arabic (ar)"], doc.title.get("ar").unwrap());
    assert_eq!(s["default_language"], "English (en)");
}

#[test]
fn a_different_checklist_does_not_compare_equal() {
    let doc = load("examples/checklists/bank-branch-visit.json");
    let mut changed = doc.clone();
    changed.sections[0].items[0]
        .text
        .0
        .insert("ar".parse_lang(), "نص آخر".into());
    let back = round_trip(&changed);
    assert_ne!(back.content_hash(), doc.content_hash());
    assert_eq!(back.content_hash(), changed.content_hash());
    // A weight, a score and a condition also make it through, and a change to them shows.
    let mut changed = doc.clone();
    changed.sections[1].weight = 0.375;
    let back = round_trip(&changed);
    assert_eq!(back.sections[1].weight, 0.375);
    assert_ne!(back.content_hash(), doc.content_hash());
}

trait ParseLang {
    fn parse_lang(&self) -> sirr_checklist::LangTag;
}

impl ParseLang for str {
    fn parse_lang(&self) -> sirr_checklist::LangTag {
        sirr_checklist::LangTag::parse(self).unwrap()
    }
}

#[test]
fn what_only_the_model_has_comes_back_too() {
    // Description, a critical cap, a choice that looks like yes/no but is unscored, keys that
    // start with a digit, conditions XPath cannot say exactly.
    let doc = json!({
        "key": "9-lives", "version": 12, "languages": ["ar", "en", "fr"],
        "title": {"ar": "عنوان", "en": "Title", "fr": "Titre"},
        "description": {"en": "What it is for", "ar": "الغرض"},
        "critical_rule": {"cap": 0.4},
        "sections": [{"key": "1st", "title": {"en": "First"}, "weight": 2.5, "items": [
            {"key": "2nd", "type": "choice", "text": {"en": "Plain yes or no"},
             "options": [{"key": "yes"}, {"key": "no"}]},
            {"key": "q", "type": "text", "text": {"en": "It's \"quoted\""}, "required": true},
            {"key": "n", "type": "number", "text": {"en": "N"}, "min": -3.5, "max": 100,
             "bands": [{"max": 0.1, "score": 1}, {"max": 100, "score": 0.3333333333333333}]},
            {"key": "m", "type": "multi_choice", "text": {"en": "M"},
             "options": [{"key": "a b", "score": 0.5, "text": {"fr": "A et B"}}, {"key": "it's"}]},
            {"key": "shown", "type": "yes_no", "text": {"en": "Shown"}, "critical": true,
             "evidence": {"photo": "on_fail"}, "owner": "IT", "tags": ["x", "y-z"],
             "na_allowed": true, "weight": 0.1,
             "show_if": "selected(2nd, 'yes') and 5 < n and q in ['a', 'b\\'\"c'] or q == '' or not answered(m) or selected(m, 'it\\'s')"}
        ]}]
    });
    let outcome = sirr_checklist::from_value(&doc);
    let doc = outcome
        .checklist
        .unwrap_or_else(|| panic!("{:#?}", outcome.problems));
    let back = round_trip(&doc);
    assert_same(&doc, &back, "hand-made");
    assert_eq!(back.key.as_str(), "9-lives");
    assert!(matches!(
        back.sections[0].items[0].kind,
        sirr_checklist::ItemKind::Choice { .. }
    ));
    let bytes = export(&doc).unwrap();
    let survey = sheet(&bytes, "survey");
    let row = row_of(&survey, "_2nd");
    assert_eq!(row["type"], "select_one _2nd");
}

/// A workbook written cell by cell, as a person would in a spreadsheet.
fn workbook(survey: &[&[&str]], choices: &[&[&str]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in [("survey", survey), ("choices", choices)] {
        let sheet = wb.add_worksheet();
        sheet.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string(r as u32, c as u16, *cell).unwrap();
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_show_if_cell_wins_over_relevant_and_is_checked() {
    let choices: &[&[&str]] = &[
        &["list_name", "name", "label"],
        &["yn", "yes", "Yes"],
        &["yn", "no", "No"],
    ];
    let survey = |show_if: &str| -> Vec<u8> {
        workbook(
            &[
                &["type", "name", "label", "relevant", "show_if"],
                &["select_one yn", "a", "A", "", ""],
                &["text", "b", "B", "${a} = 'yes'", show_if],
                &["text", "c", "C", "${a} = 'yes'", ""],
            ],
            choices,
        )
    };
    let (c, warnings) = import(&survey("a == 'no' or answered(a)"), "form").unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let shown = |key: &str| c.item(key).unwrap().show_if.as_ref().unwrap().to_string();
    assert_eq!(shown("b"), "a == 'no' or answered(a)");
    assert_eq!(shown("c"), "a == 'yes'");

    // A show_if that does not parse is an error at its cell, in the sheet's terms.
    let err = import(&survey("a = 'no'"), "form").unwrap_err();
    let sirr_checklist::Error::Xlsform(problems) = err else {
        panic!("{err}")
    };
    let p = problems.iter().find(|p| p.is_error()).unwrap();
    assert_eq!(
        (
            p.sheet.as_str(),
            p.row,
            p.column.as_deref(),
            p.cell.as_deref()
        ),
        ("survey", Some(3), Some("show_if"), Some("E3")),
        "{p}"
    );
    // One that parses but names a later question is refused by validation, at the same cell.
    let err = import(&survey("answered(c)"), "form").unwrap_err();
    let sirr_checklist::Error::Xlsform(problems) = err else {
        panic!("{err}")
    };
    let p = problems.iter().find(|p| p.is_error()).unwrap();
    assert_eq!(p.cell.as_deref(), Some("E3"), "{p}");
    assert!(p.problem.contains("later"), "{p}");
}

#[test]
fn a_score_of_none_keeps_a_yes_no_list_an_unscored_choice() {
    let survey: &[&[&str]] = &[&["type", "name", "label"], &["select_one yn", "a", "A"]];
    let plain: &[&[&str]] = &[
        &["list_name", "name", "score"],
        &["yn", "yes", ""],
        &["yn", "no", ""],
    ];
    let marked: &[&[&str]] = &[
        &["list_name", "name", "score"],
        &["yn", "yes", "none"],
        &["yn", "no", "None"],
    ];
    let (c, _) = import(&workbook(survey, plain), "f").unwrap();
    assert_eq!(c.item("a").unwrap().kind.type_name(), "yes_no");
    let (c, _) = import(&workbook(survey, marked), "f").unwrap();
    assert_eq!(c.item("a").unwrap().kind.type_name(), "choice");
    assert!(
        c.item("a")
            .unwrap()
            .kind
            .options()
            .unwrap()
            .iter()
            .all(|o| o.score.is_none())
    );
}

// --- generated checklists ------------------------------------------------------------------

/// A small deterministic generator (splitmix64): proptest picks the seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.below(from.len())]
    }

    /// Text as people write it: Arabic, Latin, digits, quotes, XML's special characters,
    /// emoji and inner spaces or line breaks (never at the ends: cells are trimmed).
    fn text(&mut self) -> String {
        const POOL: &[&str] = &[
            "a", "Z", "é", "ب", "ع", "ش", "ى", "٣", "7", " ", "'", "\"", "<", "&", ">", "\\", "😀",
            "\n", "_", "-", ".", ",", ":", ";", "$", "{", "}", "(", ")", "%", "ـ",
        ];
        let n = 1 + self.below(14);
        let s: String = (0..n).map(|_| *self.pick(POOL)).collect();
        let s = s.trim().to_owned();
        if s.is_empty() { "t".into() } else { s }
    }

    fn key(&mut self, n: usize) -> String {
        let start = *self.pick(&["q", "x", "0", "9", "and", "item", "a-b", "c_"]);
        format!("{start}{n}")
    }

    fn fraction(&mut self) -> f64 {
        match self.below(4) {
            0 => 0.0,
            1 => 1.0,
            2 => self.below(9) as f64 / 8.0,
            _ => self.below(1000) as f64 / 999.0,
        }
    }

    fn localized(&mut self, langs: &[&str], needed: bool) -> Value {
        let mut m = serde_json::Map::new();
        for l in langs {
            if self.chance(80) {
                m.insert((*l).to_owned(), Value::String(self.text()));
            }
        }
        if needed && m.is_empty() {
            m.insert(langs[0].to_owned(), Value::String(self.text()));
        }
        Value::Object(m)
    }
}

/// A literal of the sirr condition language.
fn lit_str(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// A condition over `earlier` (key, item JSON), type-correct, or `None` when nothing can be
/// referred to.
fn condition(g: &mut Gen, earlier: &[(String, Value)], depth: u32) -> Option<String> {
    if depth > 0 && g.chance(40) {
        let a = condition(g, earlier, depth - 1)?;
        let b = condition(g, earlier, depth - 1)?;
        return Some(match g.below(3) {
            0 => format!("({a}) and ({b})"),
            1 => format!("({a}) or ({b})"),
            _ => format!("not ({a})"),
        });
    }
    // A key that starts with a digit reads as a number in a condition: only the others are named.
    let usable: Vec<&(String, Value)> = earlier
        .iter()
        .filter(|(k, i)| i["type"] != "note" && k.starts_with(|c: char| c.is_ascii_lowercase()))
        .collect();
    if usable.is_empty() {
        return None;
    }
    let (key, item) = *g.pick(&usable);
    let ops = ["==", "!=", "<", "<=", ">", ">="];
    let eq = ["==", "!="];
    let num = |g: &mut Gen| {
        let n = (g.below(4001) as f64 - 2000.0) / 8.0;
        format!("{n}")
    };
    let text = match item["type"].as_str().unwrap() {
        "yes_no" | "choice" => {
            let values: Vec<String> = match item.get("options") {
                Some(o) => o
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|o| o["key"].as_str().unwrap().to_owned())
                    .collect(),
                None => vec!["yes".into(), "no".into()],
            };
            let v = lit_str(g.pick::<String>(&values));
            match g.below(5) {
                0 => format!("{key} {} {v}", g.pick(&eq)),
                1 => format!("{v} {} {key}", g.pick(&eq)),
                2 if item["type"] == "choice" => format!("selected({key}, {v})"),
                3 => {
                    let w = lit_str(g.pick::<String>(&values));
                    let not = if g.chance(50) { "not " } else { "" };
                    format!("{key} {not}in [{v}, {w}]")
                }
                _ => format!("answered({key})"),
            }
        }
        "multi_choice" => {
            let options = item["options"].as_array().unwrap();
            let o = options[g.below(options.len())]["key"].as_str().unwrap();
            if g.chance(70) {
                format!("selected({key}, {})", lit_str(o))
            } else {
                format!("answered({key})")
            }
        }
        "scale" | "number" | "duration" => match g.below(4) {
            0 => format!("{key} {} {}", g.pick(&ops), num(g)),
            1 => format!("{} {} {key}", num(g), g.pick(&ops)),
            2 => format!("{key} in [{}, {}]", num(g), num(g)),
            _ => format!("answered({key})"),
        },
        "text" | "timestamp" => {
            let s = if g.chance(20) {
                String::new()
            } else {
                g.text()
            };
            match g.below(3) {
                0 => format!("{key} {} {}", g.pick(&eq), lit_str(&s)),
                1 => format!("{key} not in [{}]", lit_str(&s)),
                _ => format!("answered({key})"),
            }
        }
        _ => format!("answered({key})"),
    };
    Some(text)
}

fn bands(g: &mut Gen, non_negative: bool) -> (Value, f64) {
    let mut out = Vec::new();
    let mut max = (g.below(200) as f64 - if non_negative { 0.0 } else { 100.0 }) / 4.0;
    for _ in 0..1 + g.below(3) {
        out.push(json!({"max": max, "score": g.fraction()}));
        max += 1.0 + g.below(50) as f64 / 3.0;
    }
    let last = out.last().unwrap()["max"].as_f64().unwrap();
    if g.chance(50) {
        out.push(json!({"score": g.fraction()}));
    }
    (Value::Array(out), last)
}

/// A valid checklist document using every feature, from a seed.
fn generated(seed: u64) -> Value {
    let mut g = Gen(seed);
    let all = ["en", "ar", "fr", "ar-SA", "sw", "tlh"];
    let mut langs: Vec<&str> = Vec::new();
    for _ in 0..1 + g.below(3) {
        let l = *g.pick(&all);
        if !langs.contains(&l) {
            langs.push(l);
        }
    }
    let mut n = 0;
    let mut earlier: Vec<(String, Value)> = Vec::new();
    let mut sections = Vec::new();
    for s in 0..1 + g.below(3) {
        let mut items = Vec::new();
        for _ in 0..1 + g.below(5) {
            n += 1;
            let key = g.key(n);
            let kind = *g.pick(&[
                "yes_no",
                "scale",
                "choice",
                "multi_choice",
                "number",
                "duration",
                "text",
                "photo",
                "timestamp",
                "note",
            ]);
            let mut item = json!({"key": key, "type": kind, "text": g.localized(&langs, true)});
            let m = item.as_object_mut().unwrap();
            if g.chance(40) {
                m.insert("help".into(), g.localized(&langs, false));
            }
            match kind {
                "scale" => {
                    let min = g.below(11) as i64 - 5;
                    m.insert("min".into(), json!(min));
                    m.insert("max".into(), json!(min + 1 + g.below(10) as i64));
                }
                "choice" | "multi_choice" => {
                    let mut options = Vec::new();
                    if kind == "choice" && g.chance(25) {
                        options.push(json!({"key": "yes"}));
                        options.push(json!({"key": "no"}));
                    } else {
                        for o in 0..1 + g.below(4) {
                            let mut opt = json!({"key": format!("{}{o}", g.text())});
                            if g.chance(70) {
                                opt["score"] = json!(g.fraction());
                            }
                            if g.chance(60) {
                                opt["text"] = g.localized(&langs, false);
                            }
                            options.push(opt);
                        }
                    }
                    m.insert("options".into(), Value::Array(options));
                }
                "number" | "duration" => {
                    if g.chance(70) {
                        let (b, last) = bands(&mut g, kind == "duration");
                        let catch_all = b.as_array().unwrap().last().unwrap().get("max").is_none();
                        m.insert("bands".into(), b);
                        if g.chance(50) && (catch_all || g.chance(50)) {
                            m.insert(
                                "max".into(),
                                json!(if catch_all { last + 7.5 } else { last }),
                            );
                        }
                    }
                    // A minimum only below the maximum: a duration's bands may end at 0.
                    let min = if kind == "duration" { 0.0 } else { -1000.25 };
                    let below_max = m
                        .get("max")
                        .and_then(Value::as_f64)
                        .is_none_or(|max| max > min);
                    if g.chance(40) && below_max {
                        m.insert("min".into(), json!(min));
                    }
                }
                _ => {}
            }
            let can_fail = matches!(kind, "yes_no" | "scale");
            if kind != "note" {
                if g.chance(30) {
                    m.insert("required".into(), json!(true));
                }
                if g.chance(30) {
                    m.insert("na_allowed".into(), json!(true));
                }
                if g.chance(30) {
                    m.insert("weight".into(), json!(g.below(40) as f64 / 8.0 + 0.125));
                }
            }
            if can_fail && g.chance(30) {
                m.insert("critical".into(), json!(true));
            }
            if can_fail && g.chance(30) {
                m.insert("evidence".into(), json!({"photo": "on_fail"}));
            } else if !matches!(kind, "photo" | "note") && g.chance(15) {
                m.insert("evidence".into(), json!({"photo": "required"}));
            }
            if g.chance(30) {
                m.insert(
                    "owner".into(),
                    json!(g.pick(&["training", "IT", "operations"])),
                );
            }
            if g.chance(30) {
                let tags: Vec<&str> = (0..1 + g.below(3))
                    .map(|_| *g.pick(&["a", "b-c", "x_1"]))
                    .collect();
                m.insert("tags".into(), json!(tags));
            }
            if g.chance(50)
                && let Some(c) = condition(&mut g, &earlier, 2)
            {
                m.insert("show_if".into(), json!(c));
            }
            earlier.push((key, item.clone()));
            items.push(item);
        }
        let mut section =
            json!({"key": g.key(s), "title": g.localized(&langs, true), "items": items});
        if g.chance(40) {
            section["weight"] = json!(g.below(20) as f64 / 4.0 + 0.25);
        }
        sections.push(section);
    }
    let mut doc = json!({
        "key": format!("{}{}", g.key(0), "k"),
        "version": 1 + g.below(500),
        "languages": langs,
        "title": g.localized(&langs, true),
        "sections": sections,
    });
    if g.chance(40) {
        doc["description"] = g.localized(&langs, false);
    }
    if g.chance(40) {
        doc["critical_rule"] = json!({"cap": g.below(100) as f64 / 101.0});
    }
    doc
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn generated_checklists_survive_the_round_trip(seed in any::<u64>()) {
        let value = generated(seed);
        let outcome = sirr_checklist::from_value(&value);
        let doc = outcome.checklist.ok_or_else(|| TestCaseError::fail(format!(
            "the generator made an invalid document: {:#?}\n{value:#}", outcome.problems)))?;
        let bytes = export(&doc).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back = import(&bytes, "fallback")
            .map_err(|e| TestCaseError::fail(format!("{e}: {e:#?}\n{value:#}")))?
            .0;
        assert_same(&doc, &back, &format!("{value:#}"));
    }
}
