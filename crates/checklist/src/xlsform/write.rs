//! XLSForm export: a checklist as a workbook that [`super::import`] reads back into the same
//! checklist (the same canonical JSON and content hash).
//!
//! The workbook is an ordinary XLSForm (`survey`, `choices`, `settings`), so that it opens in ODK
//! and KoboToolbox tools, plus sirr's own columns for what XLSForm has no place for (the ones the
//! importer reads: `weight`, `critical`, `na_allowed`, `evidence`, `owner`, `bands`, `tags`,
//! `min`, `max` on the survey, `score` on choices, `critical_rule` and `description` in the
//! settings). `show_if` becomes an XPath `relevant`; the few conditions XPath as the importer
//! reads it cannot say exactly (a value on the left of a comparison, `in`, `selected` on a single
//! choice, a comparison with `''`, text holding both quote characters) are also written verbatim
//! in a `show_if` column, which the importer prefers to `relevant`.

use std::collections::{BTreeSet, HashMap};

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::condition::{CmpOp, Expr, Literal, Operand};
use crate::error::Error;
use crate::key::{ItemKey, LangTag};
use crate::model::{Band, Checklist, CriticalRule, Item, ItemKind, LocalizedText, PhotoRule};

use super::expr::{self, RefKind};
use super::lang;

/// Writes `checklist` as an XLSForm workbook (`.xlsx` bytes).
///
/// # Errors
/// [`Error::XlsformWrite`] when the workbook cannot be written, for example when a text is longer
/// than a spreadsheet cell holds (32,767 characters).
pub fn export(checklist: &Checklist) -> Result<Vec<u8>, Error> {
    write(checklist).map_err(|e| Error::XlsformWrite(e.to_string()))
}

/// A cell value.
#[derive(Debug, Clone)]
enum Cell {
    Text(String),
    Number(f64),
}

/// One sheet as columns (in order) and rows of named cells; a column is written only when it is
/// `always` or some row has a value in it.
struct Table {
    columns: Vec<(String, bool)>,
    rows: Vec<HashMap<String, Cell>>,
}

impl Table {
    fn new() -> Self {
        Self {
            columns: Vec::new(),
            rows: Vec::new(),
        }
    }

    fn column(&mut self, name: impl Into<String>, always: bool) {
        self.columns.push((name.into(), always));
    }

    fn write(&self, sheet: &mut Worksheet, bold: &Format) -> Result<(), XlsxError> {
        let used: Vec<&str> = self
            .columns
            .iter()
            .filter(|(name, always)| *always || self.rows.iter().any(|r| r.contains_key(name)))
            .map(|(name, _)| name.as_str())
            .collect();
        for (c, name) in used.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            sheet.write_string_with_format(0, c, *name, bold)?;
            let width = if name.starts_with("label") || name.starts_with("hint") {
                40
            } else if matches!(*name, "type" | "relevant" | "show_if" | "bands") {
                24
            } else {
                14
            };
            sheet.set_column_width(c, width)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, name) in used.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                match row.get(*name) {
                    Some(Cell::Text(s)) if !s.is_empty() => {
                        sheet.write_string(r, c, s)?;
                    }
                    Some(Cell::Number(n)) => {
                        sheet.write_number(r, c, *n)?;
                    }
                    _ => {}
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(())
    }
}

/// `label::English (en)`-style language part of a column header.
fn language_label(tag: &LangTag) -> String {
    let name = lang::name_of(tag.as_str()).unwrap_or_else(|| tag.to_string());
    format!("{name} ({tag})")
}

/// The name a key has in the form: XLSForm names cannot start with a digit, so such keys get a
/// leading `_`, which the importer drops again.
fn form_name(key: &str) -> String {
    if key.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{key}")
    } else {
        key.to_owned()
    }
}

/// How the importer types references to an item in `relevant` (`None`: cannot be referenced).
pub(super) fn ref_kind(kind: &ItemKind) -> Option<RefKind> {
    match kind {
        ItemKind::Scale { .. } | ItemKind::Number(_) | ItemKind::Duration(_) => {
            Some(RefKind::Number)
        }
        ItemKind::MultiChoice { .. } => Some(RefKind::Multi),
        ItemKind::Photo => Some(RefKind::Opaque),
        ItemKind::Note => None,
        _ => Some(RefKind::Text),
    }
}

/// Shortest text that reads back as the same number (never exponent notation).
fn number(n: f64) -> String {
    format!("{n}")
}

/// `5:1; 10:0.5; *:0`
fn bands_text(bands: &[Band]) -> String {
    bands
        .iter()
        .map(|b| {
            let max = b.max.map_or_else(|| "*".to_owned(), number);
            format!("{max}:{}", number(b.score))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Writes an XPath string literal, or `None` when it holds both quote characters (XPath 1.0
/// has no escapes).
fn xpath_string(s: &str) -> Option<String> {
    if !s.contains('\'') {
        Some(format!("'{s}'"))
    } else if !s.contains('"') {
        Some(format!("\"{s}\""))
    } else {
        None
    }
}

struct XPath<'a> {
    names: &'a HashMap<&'a str, (String, Option<RefKind>)>,
}

impl XPath<'_> {
    fn reference(&self, key: &ItemKey) -> String {
        let name = self
            .names
            .get(key.as_str())
            .map_or_else(|| form_name(key.as_str()), |(n, _)| n.clone());
        format!("${{{name}}}")
    }

    fn literal(&self, lit: &Literal) -> Option<String> {
        match lit {
            Literal::Str(s) => xpath_string(s),
            Literal::Num(n) => Some(number(*n)),
            Literal::Bool(b) => Some(format!("{b}()")),
        }
    }

    fn operand(&self, o: &Operand) -> Option<String> {
        match o {
            Operand::Item(k) => Some(self.reference(k)),
            Operand::Literal(l) => self.literal(l),
        }
    }

    fn op(op: CmpOp) -> &'static str {
        match op {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    /// `min` is the loosest binding allowed without parentheses (0 `or`, 1 `and`, 2 atom).
    fn expr(&self, e: &Expr, min: u8) -> Option<String> {
        let (prec, text) = match e {
            Expr::Or(a, b) => (0, format!("{} or {}", self.expr(a, 0)?, self.expr(b, 1)?)),
            Expr::And(a, b) => (1, format!("{} and {}", self.expr(a, 1)?, self.expr(b, 2)?)),
            Expr::Not(inner) => (2, format!("not({})", self.expr(inner, 0)?)),
            Expr::Answered(k) => {
                let multi = self
                    .names
                    .get(k.as_str())
                    .is_some_and(|(_, kind)| *kind == Some(RefKind::Multi));
                let text = if multi {
                    format!("count-selected({}) > 0", self.reference(k))
                } else {
                    format!("{} != ''", self.reference(k))
                };
                (2, text)
            }
            Expr::Selected(k, option) => (
                2,
                format!("selected({}, {})", self.reference(k), xpath_string(option)?),
            ),
            Expr::Compare { left, op, right } => (
                2,
                format!(
                    "{} {} {}",
                    self.operand(left)?,
                    Self::op(*op),
                    self.operand(right)?
                ),
            ),
            Expr::In {
                operand,
                negated,
                list,
            } => {
                let subject = self.operand(operand)?;
                let parts = list
                    .iter()
                    .map(|l| Some(format!("{subject} = {}", self.literal(l)?)))
                    .collect::<Option<Vec<_>>>()?;
                let any = parts.join(" or ");
                if *negated {
                    (2, format!("not({any})"))
                } else {
                    (2, format!("({any})"))
                }
            }
        };
        Some(if prec < min {
            format!("({text})")
        } else {
            text
        })
    }
}

/// The `relevant` XPath for a condition, and the condition itself when the importer would not
/// read the XPath back as exactly this condition.
fn relevant(
    e: &Expr,
    names: &HashMap<&str, (String, Option<RefKind>)>,
) -> (Option<String>, Option<String>) {
    let xpath = XPath { names }.expr(e, 0);
    let table: HashMap<String, (ItemKey, RefKind)> = names
        .iter()
        .filter_map(|(key, (name, kind))| {
            Some((name.clone(), (ItemKey::parse(key).ok()?, (*kind)?)))
        })
        .collect();
    let resolve = expr::resolver(&table);
    let exact = xpath
        .as_deref()
        .is_some_and(|x| matches!(expr::translate(x, &resolve), Ok(Some(back)) if back == *e));
    let show_if = (!exact).then(|| e.to_string());
    (xpath, show_if)
}

fn text_cells(
    row: &mut HashMap<String, Cell>,
    base: &str,
    text: &LocalizedText,
    labels: &HashMap<&LangTag, String>,
) {
    for (lang, value) in &text.0 {
        if let Some(label) = labels.get(lang) {
            row.insert(format!("{base}::{label}"), Cell::Text(value.clone()));
        }
    }
}

fn yes_no_words(lang: &str) -> (&'static str, &'static str) {
    match lang.split('-').next().unwrap_or(lang) {
        "ar" => ("نعم", "لا"),
        "fr" => ("Oui", "Non"),
        "es" => ("Sí", "No"),
        "pt" => ("Sim", "Não"),
        "de" => ("Ja", "Nein"),
        "ur" => ("ہاں", "نہیں"),
        _ => ("Yes", "No"),
    }
}

/// Would the importer mistake these options for a `yes_no` question (two unscored options
/// `yes` and `no`)? Then their scores are written as `none`.
fn looks_like_yes_no(kind: &ItemKind) -> bool {
    match kind {
        ItemKind::Choice { options } => {
            options.len() == 2
                && options.iter().all(|o| o.score.is_none())
                && options.iter().any(|o| o.key == "yes")
                && options.iter().any(|o| o.key == "no")
        }
        _ => false,
    }
}

fn item_type(item: &Item, list: &str, yes_no_list: &str) -> String {
    match &item.kind {
        ItemKind::YesNo => format!("select_one {yes_no_list}"),
        ItemKind::Scale { .. } => "range".into(),
        ItemKind::Choice { .. } => format!("select_one {list}"),
        ItemKind::MultiChoice { .. } => format!("select_multiple {list}"),
        ItemKind::Number(_) => "decimal".into(),
        ItemKind::Duration(_) => "duration".into(),
        ItemKind::Text => "text".into(),
        ItemKind::Photo => "image".into(),
        ItemKind::Timestamp => "datetime".into(),
        ItemKind::Note => "note".into(),
    }
}

fn write(c: &Checklist) -> Result<Vec<u8>, XlsxError> {
    // Languages: the declared ones in order, then any a text uses without declaring it (a
    // validation warning), so that no text is lost.
    let mut languages: Vec<LangTag> = c.languages.clone();
    let mut extra = BTreeSet::new();
    for s in &c.sections {
        extra.extend(s.title.0.keys());
        for item in &s.items {
            extra.extend(item.text.0.keys());
            extra.extend(item.help.0.keys());
            for o in item.kind.options().unwrap_or_default() {
                extra.extend(o.text.0.keys());
            }
        }
    }
    for lang in extra {
        if !languages.contains(lang) {
            languages.push(lang.clone());
        }
    }
    let labels: HashMap<&LangTag, String> =
        languages.iter().map(|l| (l, language_label(l))).collect();

    let names: HashMap<&str, (String, Option<RefKind>)> = c
        .items()
        .map(|(_, i)| {
            (
                i.key.as_str(),
                (form_name(i.key.as_str()), ref_kind(&i.kind)),
            )
        })
        .collect();
    // One choice list per select question, named like it; yes/no questions share one list.
    let lists: BTreeSet<String> = c
        .items()
        .filter(|(_, i)| i.kind.options().is_some())
        .map(|(_, i)| form_name(i.key.as_str()))
        .collect();
    let mut yes_no_list = "yes_no".to_owned();
    while lists.contains(&yes_no_list) {
        yes_no_list.push('_');
    }

    // survey
    let mut survey = Table::new();
    survey.column("type", true);
    survey.column("name", true);
    for l in &languages {
        survey.column(format!("label::{}", labels[l]), true);
    }
    for l in &languages {
        survey.column(format!("hint::{}", labels[l]), false);
    }
    for col in [
        "required",
        "relevant",
        "show_if",
        "parameters",
        "min",
        "max",
        "bands",
        "weight",
        "critical",
        "na_allowed",
        "evidence",
        "owner",
        "tags",
    ] {
        survey.column(col, false);
    }
    let mut choices = Table::new();
    choices.column("list_name", true);
    choices.column("name", true);
    for l in &languages {
        choices.column(format!("label::{}", labels[l]), true);
    }
    choices.column("score", false);
    let text = |s: &str| Cell::Text(s.to_owned());
    let yes = |b: bool| b.then(|| Cell::Text("yes".into()));

    let mut any_yes_no = false;
    for section in &c.sections {
        let mut row = HashMap::new();
        row.insert("type".into(), text("begin_group"));
        row.insert("name".into(), Cell::Text(form_name(section.key.as_str())));
        text_cells(&mut row, "label", &section.title, &labels);
        if section.weight != 1.0 {
            row.insert("weight".into(), Cell::Number(section.weight));
        }
        survey.rows.push(row);
        for item in &section.items {
            let name = form_name(item.key.as_str());
            let mut row = HashMap::new();
            row.insert(
                "type".into(),
                Cell::Text(item_type(item, &name, &yes_no_list)),
            );
            row.insert("name".into(), Cell::Text(name.clone()));
            text_cells(&mut row, "label", &item.text, &labels);
            text_cells(&mut row, "hint", &item.help, &labels);
            let mut put = |col: &str, cell: Option<Cell>| {
                if let Some(cell) = cell {
                    row.insert(col.to_owned(), cell);
                }
            };
            put("required", yes(item.required));
            if let Some(e) = &item.show_if {
                let (xpath, show_if) = relevant(e, &names);
                put("relevant", xpath.map(Cell::Text));
                put("show_if", show_if.map(Cell::Text));
            }
            match &item.kind {
                ItemKind::Scale { min, max } => {
                    put(
                        "parameters",
                        Some(Cell::Text(format!("start={min} end={max} step=1"))),
                    );
                }
                ItemKind::Number(m) | ItemKind::Duration(m) => {
                    put("min", m.min.map(Cell::Number));
                    put("max", m.max.map(Cell::Number));
                    put(
                        "bands",
                        m.bands.as_deref().map(|b| Cell::Text(bands_text(b))),
                    );
                }
                ItemKind::YesNo => any_yes_no = true,
                ItemKind::Choice { options } | ItemKind::MultiChoice { options } => {
                    let explicit = looks_like_yes_no(&item.kind);
                    for o in options {
                        let mut crow = HashMap::new();
                        crow.insert("list_name".into(), Cell::Text(name.clone()));
                        crow.insert("name".into(), Cell::Text(o.key.clone()));
                        text_cells(&mut crow, "label", &o.text, &labels);
                        match o.score {
                            Some(s) => {
                                crow.insert("score".into(), Cell::Number(s));
                            }
                            None if explicit => {
                                crow.insert("score".into(), text("none"));
                            }
                            None => {}
                        }
                        choices.rows.push(crow);
                    }
                }
                _ => {}
            }
            put(
                "weight",
                (item.weight != 1.0).then_some(Cell::Number(item.weight)),
            );
            put("critical", yes(item.critical));
            put("na_allowed", yes(item.na_allowed));
            put(
                "evidence",
                item.evidence.map(|e| {
                    text(match e.photo {
                        PhotoRule::Required => "required",
                        PhotoRule::OnFail => "on_fail",
                    })
                }),
            );
            put("owner", item.owner.clone().map(Cell::Text));
            put(
                "tags",
                (!item.tags.is_empty()).then(|| Cell::Text(item.tags.join(", "))),
            );
            survey.rows.push(row);
        }
        let mut end = HashMap::new();
        end.insert("type".into(), text("end_group"));
        survey.rows.push(end);
    }
    if any_yes_no {
        for key in ["yes", "no"] {
            let mut row = HashMap::new();
            row.insert("list_name".into(), Cell::Text(yes_no_list.clone()));
            row.insert("name".into(), text(key));
            for l in &languages {
                let (y, n) = yes_no_words(l.as_str());
                row.insert(
                    format!("label::{}", labels[l]),
                    text(if key == "yes" { y } else { n }),
                );
            }
            choices.rows.push(row);
        }
    }

    // settings
    let mut settings = Table::new();
    let mut row = HashMap::new();
    settings.column("form_id", true);
    row.insert("form_id".into(), Cell::Text(c.key.to_string()));
    settings.column("version", true);
    row.insert("version".into(), Cell::Number(f64::from(c.version)));
    // A bare `form_title` (what ODK shows) in the default language, the others per language.
    let default = c.languages.first();
    settings.column("form_title", true);
    let mut title_langs: Vec<&LangTag> = languages.iter().collect();
    title_langs.extend(c.title.0.keys().filter(|l| !languages.contains(*l)));
    for (lang, value) in &c.title.0 {
        if Some(lang) == default {
            row.insert("form_title".into(), Cell::Text(value.clone()));
        }
    }
    for lang in &title_langs {
        if Some(*lang) != default {
            let col = format!("form_title::{}", language_label(lang));
            settings.column(col.clone(), false);
            if let Some(value) = c.title.get(lang.as_str()) {
                row.insert(col, Cell::Text(value.to_owned()));
            }
        }
    }
    settings.column("default_language", true);
    if let Some(d) = default {
        row.insert("default_language".into(), Cell::Text(language_label(d)));
    }
    settings.column("critical_rule", true);
    row.insert(
        "critical_rule".into(),
        Cell::Text(match c.critical_rule {
            CriticalRule::Zero => "zero".into(),
            CriticalRule::Cap(cap) => format!("cap:{}", number(cap)),
        }),
    );
    let mut description_langs = title_langs.clone();
    for lang in c.description.0.keys() {
        if !description_langs.contains(&lang) {
            description_langs.push(lang);
        }
    }
    for lang in description_langs {
        let col = format!("description::{}", language_label(lang));
        settings.column(col.clone(), false);
        if let Some(value) = c.description.get(lang.as_str()) {
            row.insert(col, Cell::Text(value.to_owned()));
        }
    }
    settings.rows.push(row);

    let bold = Format::new().set_bold();
    let mut workbook = Workbook::new();
    for (name, table) in [
        ("survey", &survey),
        ("choices", &choices),
        ("settings", &settings),
    ] {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        table.write(sheet, &bold)?;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_bands() {
        assert_eq!(xpath_string("it's").as_deref(), Some("\"it's\""));
        assert_eq!(xpath_string("a'b\"c"), None);
        assert_eq!(
            bands_text(&[
                Band {
                    max: Some(5.0),
                    score: 1.0
                },
                Band {
                    max: Some(0.25),
                    score: 0.5
                },
                Band {
                    max: None,
                    score: 0.0
                }
            ]),
            "5:1; 0.25:0.5; *:0"
        );
        assert_eq!(form_name("1st"), "_1st");
        assert_eq!(form_name("first"), "first");
    }
}
