//! XLSForm import: spreadsheet-designed forms (the format of ODK and KoboToolbox) as checklists.
//!
//! The `survey` sheet becomes sections and items (`begin_group`/`end_group` → sections,
//! `relevant` → `show_if`), the `choices` sheet gives options, and `settings` gives the key,
//! version, title and default language. sirr's own optional columns carry what XLSForm has no
//! place for: `weight`, `critical`, `owner`, `na_allowed`, `evidence`, `bands`, `tags` on the
//! survey and `score` on choices, `critical_rule` and `description` in the settings, and a
//! `show_if` column holding a condition in sirr's own language, which wins over `relevant`
//! (the exporter writes it where XPath cannot say a condition exactly). [`export`] writes a
//! checklist back as a workbook this module reads into the same checklist. Every problem names its sheet, row and column; every row
//! either becomes part of the checklist, is skipped with a warning (metadata, calculations), or
//! makes the import fail — nothing is dropped silently.

mod expr;
mod lang;
pub mod reason;
pub mod sheet;
mod write;

pub use write::export;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Serialize;

use crate::error::Error;
use crate::key::{ChecklistKey, ItemKey, LangTag, SectionKey, is_valid_key};
use crate::model::{
    Band, Checklist, ChoiceOption, CriticalRule, Evidence, Item, ItemKind, LocalizedText, Measure,
    PhotoRule, Section,
};
use crate::problem::{Keyed, ProblemReason, Severity};
use crate::validate;
use expr::RefKind;
use reason::{GroupProblem, Missing, NotImported, SheetReason, TypeOutcome, Wanted};
use sheet::{Row, Sheet};

/// A problem in a workbook: sheet, row and column, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetProblem {
    /// Sheet name as written in the workbook.
    pub sheet: String,
    /// 1-based row number, when the problem concerns a row.
    pub row: Option<u32>,
    /// Column header, when the problem concerns a column.
    pub column: Option<String>,
    /// Spreadsheet cell reference such as `F12`, when known.
    pub cell: Option<String>,
    /// What is wrong, in plain (English) words.
    pub problem: String,
    /// Error (the import fails) or warning.
    pub severity: Severity,
    /// What is wrong as data: for wording it in another language.
    #[serde(skip)]
    pub reason: SheetReason,
}

impl SheetProblem {
    /// Is this an error (as opposed to a warning)?
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for SheetProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = if self.is_error() { "error" } else { "warning" };
        write!(f, "{level}: sheet '{}'", self.sheet)?;
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column '{column}'")?;
        }
        if let Some(cell) = &self.cell {
            write!(f, " ({cell})")?;
        }
        write!(f, ": {}", self.problem)
    }
}

const METADATA_TYPES: &[&str] = &[
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "uri:deviceid",
    "uri:subscriberid",
    "uri:simserial",
    "uri:phonenumber",
    "uri:username",
    "uri:email",
    "start-geopoint",
    "background-audio",
    "imei",
    "instanceid",
];
const SKIPPED_TYPES: &[&str] = &["calculate", "hidden"];
const REFUSED_TYPES: &[&str] = &[
    "geopoint",
    "geotrace",
    "geoshape",
    "audio",
    "video",
    "file",
    "barcode",
    "acknowledge",
    "time",
    "osm",
    "rank",
    "trigger",
    "xml-external",
    "csv-external",
    "background-geopoint",
    "begin_repeat",
    "begin repeat",
    "end_repeat",
    "end repeat",
    "begin_loop",
    "end_loop",
    "end loop",
];
/// Presentation and engine columns with no meaning for a checklist, ignored without comment.
const IGNORED_COLUMNS: &[&str] = &[
    "appearance",
    "default",
    "read_only",
    "autoplay",
    "rows",
    "buttontext",
    "noapperrorstring",
    "intent",
    "repeat_count",
    "trigger",
    "big-image",
    "image",
    "audio",
    "video",
    "style",
    "instance_name",
    "body",
    "note",
    "list_name",
    "name",
    "type",
    "filter",
];

/// Imports an XLSForm workbook. `fallback_key` is used as the checklist key when the settings
/// sheet has no `form_id` (pass the file name). Returns the checklist and warnings, or
/// [`Error::Xlsform`] with every problem.
pub fn import(bytes: &[u8], fallback_key: &str) -> Result<(Checklist, Vec<SheetProblem>), Error> {
    let mut importer = Importer::default();
    let checklist = importer.run(bytes, fallback_key);
    let mut problems = importer.problems;
    problems.sort_by_key(|p| (p.severity, sheet_order(&p.sheet), p.row.unwrap_or(0)));
    match checklist {
        Some(c) if !problems.iter().any(SheetProblem::is_error) => Ok((c, problems)),
        _ => Err(Error::Xlsform(problems)),
    }
}

fn sheet_order(sheet: &str) -> u8 {
    match sheet.to_lowercase().as_str() {
        "settings" => 0,
        "survey" => 1,
        "choices" => 2,
        _ => 3,
    }
}

/// Where a part of the checklist came from, to send validation problems back to their cell.
#[derive(Debug, Clone, Default)]
struct Origin {
    row: u32,
    options: Vec<u32>,
    /// The condition came from the row's `show_if` cell rather than `relevant`.
    show_if_cell: bool,
}

#[derive(Debug, Default)]
struct Importer {
    problems: Vec<SheetProblem>,
    default_language: Option<LangTag>,
    languages: Vec<LangTag>,
}

#[derive(Debug)]
struct Choice {
    key: String,
    score: Option<f64>,
    /// The score cell says `none`: unscored on purpose (so a yes/no list stays a choice).
    unscored: bool,
    text: LocalizedText,
    row: u32,
}

struct ItemDraft {
    item: Item,
    origin: Origin,
    /// `relevant` expressions to AND together: the item's own and its groups', with their rows.
    relevant: Vec<(String, u32)>,
    /// sirr's own `show_if` cell (a condition in sirr's language) with its row: it replaces the
    /// item's own `relevant`.
    show_if: Option<(String, u32)>,
    /// Name in the form, as `${name}` references spell it.
    form_name: String,
}

struct SectionDraft {
    key: String,
    title: LocalizedText,
    weight: f64,
    row: u32,
    items: Vec<ItemDraft>,
}

struct Group {
    name: String,
    row: u32,
    relevant: Option<String>,
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "yes" | "true" | "true()" | "1" => Some(true),
        "no" | "false" | "false()" | "0" | "" => Some(false),
        _ => None,
    }
}

fn type_reason(found: &str, outcome: TypeOutcome) -> SheetReason {
    SheetReason::Type {
        found: found.to_owned(),
        outcome,
    }
}

fn group_reason(name: &str, problem: GroupProblem) -> SheetReason {
    SheetReason::Group {
        name: name.to_owned(),
        problem,
    }
}

/// Turns an XLSForm name into a sirr key: lower case, `.` → `_`, leading `_`/`-` dropped.
fn name_to_key(name: &str) -> Option<String> {
    let key = name.trim().to_lowercase().replace(['.', ' '], "_");
    let key = key.trim_start_matches(['_', '-']).to_owned();
    is_valid_key(&key).then_some(key)
}

/// Parses `5:1; 10:0.5; *:0` into bands.
fn parse_bands(text: &str) -> Result<Vec<Band>, SheetReason> {
    let mut bands = Vec::new();
    for part in text
        .split([';', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let value = |found: &str, wanted: Wanted| SheetReason::Value {
            found: found.to_owned(),
            wanted,
        };
        let (max, score) = part
            .split_once(':')
            .ok_or_else(|| value(part, Wanted::Band))?;
        let score: f64 = score.trim().parse().map_err(|_| {
            value(
                score,
                Wanted::ScoreIn {
                    part: part.to_owned(),
                },
            )
        })?;
        let max = match max.trim() {
            "*" => None,
            m => Some(m.parse::<f64>().map_err(|_| {
                value(
                    m,
                    Wanted::NumberIn {
                        part: part.to_owned(),
                    },
                )
            })?),
        };
        bands.push(Band { max, score });
    }
    if bands.is_empty() {
        return Err(SheetReason::Missing(Missing::Bands));
    }
    Ok(bands)
}

/// Parses `start=1 end=5 step=1` (the `range` question's `parameters`).
fn parse_parameters(text: &str) -> Result<HashMap<String, f64>, SheetReason> {
    let mut out = HashMap::new();
    for part in text
        .split([' ', ';', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (k, v) = part.split_once('=').ok_or_else(|| SheetReason::Value {
            found: part.to_owned(),
            wanted: Wanted::NameValue,
        })?;
        let v: f64 = v.trim().parse().map_err(|_| SheetReason::Value {
            found: v.to_owned(),
            wanted: Wanted::NumberIn {
                part: part.to_owned(),
            },
        })?;
        out.insert(k.trim().to_lowercase(), v);
    }
    Ok(out)
}

impl Importer {
    fn problem(
        &mut self,
        sheet: &Sheet,
        row: Option<u32>,
        column: Option<&str>,
        severity: Severity,
        reason: SheetReason,
    ) {
        // A language-specific column (`label::Arabic (ar)`) stands in for its base name.
        let column = column.map(|c| {
            if sheet.has(c) {
                c.to_owned()
            } else {
                let prefix = format!("{c}:");
                sheet
                    .headers
                    .iter()
                    .find(|h| h.norm.starts_with(&prefix))
                    .map_or_else(|| c.to_owned(), |h| h.norm.clone())
            }
        });
        let column = column.as_deref();
        let cell = match (column.and_then(|c| sheet.letter(c)), row) {
            (Some(letter), Some(row)) => Some(format!("{letter}{row}")),
            (Some(letter), None) => Some(letter),
            _ => None,
        };
        let column = column.map(|c| {
            sheet
                .headers
                .iter()
                .find(|h| h.norm == c)
                .map_or_else(|| c.to_owned(), |h| h.text.clone())
        });
        self.problems.push(SheetProblem {
            sheet: sheet.name.clone(),
            row,
            column,
            cell,
            problem: reason.to_string(),
            severity,
            reason,
        });
    }

    fn error(&mut self, sheet: &Sheet, row: &Row, column: &str, reason: SheetReason) {
        self.problem(
            sheet,
            Some(row.number),
            Some(column),
            Severity::Error,
            reason,
        );
    }

    fn warn(&mut self, sheet: &Sheet, row: &Row, column: &str, reason: SheetReason) {
        self.problem(
            sheet,
            Some(row.number),
            Some(column),
            Severity::Warning,
            reason,
        );
    }

    /// Per-language text from `base`, `base::Lang (xx)` and `base:lang` columns of a row.
    fn texts(&mut self, sheet: &Sheet, row: &Row, base: &str) -> LocalizedText {
        let mut out = BTreeMap::new();
        for header in &sheet.headers {
            let Some(lang) = self.column_language(sheet, &header.norm, base) else {
                continue;
            };
            let text = row.get(&header.norm);
            if !text.is_empty() {
                out.insert(lang, text.to_owned());
            }
        }
        LocalizedText(out)
    }

    /// The language of a `base[::lang]` column, or `None` when the column is not one.
    fn column_language(&self, sheet: &Sheet, norm: &str, base: &str) -> Option<LangTag> {
        let default = || {
            self.default_language
                .clone()
                .or_else(|| LangTag::parse("en").ok())
        };
        if norm == base {
            return default();
        }
        let rest = norm.strip_prefix(base)?;
        let lang = rest.strip_prefix("::").or_else(|| rest.strip_prefix(':'))?;
        let header = sheet.headers.iter().find(|h| h.norm == norm)?;
        // Use the header as written so that a code in parentheses keeps its case.
        let written = header
            .text
            .get(header.text.len() - lang.len()..)
            .unwrap_or(lang);
        lang::parse(written).ok()
    }

    /// Records the languages of every label/hint column and reports columns it cannot map.
    fn collect_languages(&mut self, sheet: &Sheet) {
        for header in sheet.headers.clone() {
            for base in ["label", "hint"] {
                let Some(rest) = header.norm.strip_prefix(base) else {
                    continue;
                };
                let Some(lang) = rest.strip_prefix("::").or_else(|| rest.strip_prefix(':')) else {
                    if rest.is_empty()
                        && let Some(d) = self
                            .default_language
                            .clone()
                            .or_else(|| LangTag::parse("en").ok())
                    {
                        self.add_language(d);
                    }
                    continue;
                };
                let written = header
                    .text
                    .get(header.text.len() - lang.len()..)
                    .unwrap_or(lang)
                    .to_owned();
                match lang::parse(&written) {
                    Ok(tag) => self.add_language(tag),
                    Err(msg) => {
                        self.problem(sheet, Some(1), Some(&header.norm), Severity::Error, msg)
                    }
                }
            }
        }
    }

    fn add_language(&mut self, tag: LangTag) {
        if !self.languages.contains(&tag) {
            self.languages.push(tag);
        }
    }

    fn run(&mut self, bytes: &[u8], fallback_key: &str) -> Option<Checklist> {
        let sheets = match sheet::read_workbook(bytes) {
            Ok(s) => s,
            Err(reason) => {
                self.problems.push(SheetProblem {
                    sheet: String::new(),
                    row: None,
                    column: None,
                    cell: None,
                    problem: reason.to_string(),
                    severity: Severity::Error,
                    reason,
                });
                return None;
            }
        };
        let find = |name: &str| {
            sheets
                .iter()
                .find(|s| s.name.trim().eq_ignore_ascii_case(name))
        };
        let Some(survey) = find("survey") else {
            let reason = SheetReason::NoSurveySheet {
                sheets: sheets
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            self.problems.push(SheetProblem {
                sheet: "survey".into(),
                row: None,
                column: None,
                cell: None,
                problem: reason.to_string(),
                severity: Severity::Error,
                reason,
            });
            return None;
        };
        let settings = find("settings");
        let setting = |name: &str| -> Option<(&Sheet, &Row, String)> {
            let s = settings?;
            let row = s.rows.first()?;
            let v = row.get(name);
            (!v.is_empty()).then(|| (s, row, v.to_owned()))
        };

        if let Some((s, row, lang)) = setting("default_language") {
            match lang::parse(&lang) {
                Ok(tag) => self.default_language = Some(tag),
                Err(msg) => self.error(s, row, "default_language", msg),
            }
        }
        if let Some(d) = self.default_language.clone() {
            self.add_language(d);
        }
        self.collect_languages(survey);
        let choices_sheet = find("choices");
        if let Some(c) = choices_sheet {
            self.collect_languages(c);
        }
        if self.languages.is_empty() {
            self.add_language(
                self.default_language
                    .clone()
                    .or_else(|| LangTag::parse("en").ok())?,
            );
        }
        // The default language leads.
        if let Some(d) = &self.default_language {
            self.languages.retain(|l| l != d);
            self.languages.insert(0, d.clone());
        }

        let choices = choices_sheet
            .map(|c| self.read_choices(c))
            .unwrap_or_default();

        // Settings: key, version, title, critical rule.
        let key_source = setting("form_id")
            .map(|(_, _, v)| v)
            .unwrap_or_else(|| fallback_key.to_owned());
        let key_text: String = key_source
            .trim()
            .to_lowercase()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .trim_matches(['-', '_'])
            .to_owned();
        let key = match ChecklistKey::parse(&key_text) {
            Ok(k) => Some(k),
            Err(_) => {
                let invalid = ProblemReason::InvalidKey { found: key_text };
                match setting("form_id") {
                    Some((s, row, _)) => {
                        self.error(s, row, "form_id", SheetReason::Checklist(invalid))
                    }
                    None => self.problem(
                        survey,
                        None,
                        None,
                        Severity::Error,
                        SheetReason::NoKey(invalid),
                    ),
                }
                None
            }
        };
        let version = match setting("version") {
            Some((s, row, v)) => match v.trim().parse::<u32>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    self.warn(
                        s,
                        row,
                        "version",
                        SheetReason::Value {
                            found: v,
                            wanted: Wanted::Version,
                        },
                    );
                    1
                }
            },
            None => 1,
        };
        let mut title = match settings {
            Some(s) => match s.rows.first() {
                Some(row) => self.texts(s, row, "form_title"),
                None => LocalizedText::default(),
            },
            None => LocalizedText::default(),
        };
        if title.is_empty() {
            for lang in &self.languages {
                title.0.insert(lang.clone(), key_source.clone());
            }
        }
        let description = match settings.and_then(|s| s.rows.first().map(|row| (s, row))) {
            Some((s, row)) => self.texts(s, row, "description"),
            None => LocalizedText::default(),
        };
        let critical_rule = match setting("critical_rule") {
            None => CriticalRule::Zero,
            Some((s, row, v)) => {
                let v = v.trim().to_lowercase();
                let cap = v
                    .strip_prefix("cap")
                    .map(|c| c.trim_start_matches([':', ' ', '=']).trim().parse::<f64>());
                match (v.as_str(), cap) {
                    ("zero", _) => CriticalRule::Zero,
                    (_, Some(Ok(c))) => CriticalRule::Cap(c),
                    _ => {
                        self.error(
                            s,
                            row,
                            "critical_rule",
                            SheetReason::Value {
                                found: v.clone(),
                                wanted: Wanted::CriticalRule,
                            },
                        );
                        CriticalRule::Zero
                    }
                }
            }
        };

        let sections = self.read_survey(survey, &choices);
        let sections = self.resolve_conditions(survey, sections);

        let (sections, origins): (Vec<Section>, Vec<(u32, Vec<Origin>)>) = sections
            .into_iter()
            .filter_map(|s| {
                let key = SectionKey::parse(&s.key).ok()?;
                let (items, origins): (Vec<Item>, Vec<Origin>) =
                    s.items.into_iter().map(|d| (d.item, d.origin)).unzip();
                Some((
                    Section {
                        key,
                        title: s.title,
                        weight: s.weight,
                        items,
                    },
                    (s.row, origins),
                ))
            })
            .unzip();

        let checklist = Checklist {
            key: key?,
            version,
            languages: self.languages.clone(),
            title,
            description,
            critical_rule,
            sections,
        };
        if checklist.sections.is_empty() {
            self.problem(
                survey,
                None,
                Some("type"),
                Severity::Error,
                SheetReason::Missing(Missing::Questions),
            );
            return None;
        }

        for p in validate::validate(&checklist) {
            self.place_validation_problem(
                survey,
                choices_sheet,
                settings,
                &origins,
                p.path,
                p.reason,
                p.severity,
            );
        }
        Some(checklist)
    }

    #[allow(clippy::too_many_arguments)]
    fn place_validation_problem(
        &mut self,
        survey: &Sheet,
        choices: Option<&Sheet>,
        settings: Option<&Sheet>,
        origins: &[(u32, Vec<Origin>)],
        path: String,
        reason: ProblemReason,
        severity: Severity,
    ) {
        let placed = SheetReason::Checklist;
        let parts: Vec<&str> = path.split('/').skip(1).collect();
        let index = |i: usize| parts.get(i).and_then(|p| p.parse::<usize>().ok());
        match (
            parts.first().copied(),
            index(1),
            parts.get(2).copied(),
            index(3),
        ) {
            (Some("sections"), Some(si), Some("items"), Some(ii)) => {
                let Some(origin) = origins.get(si).and_then(|(_, o)| o.get(ii)) else {
                    return;
                };
                let field = parts.get(4).copied().unwrap_or("");
                if field == "options"
                    && let (Some(sheet), Some(row)) =
                        (choices, index(5).and_then(|oi| origin.options.get(oi)))
                {
                    let col = if parts.get(6) == Some(&"text") {
                        "label"
                    } else {
                        "name"
                    };
                    self.problem(sheet, Some(*row), Some(col), severity, placed(reason));
                    return;
                }
                let column = match field {
                    "show_if" if origin.show_if_cell => "show_if",
                    "show_if" => "relevant",
                    "text" => "label",
                    "help" => "hint",
                    "key" => "name",
                    "min" | "max" => "parameters",
                    "" | "options" => "type",
                    other => other,
                };
                self.problem(
                    survey,
                    Some(origin.row),
                    Some(column),
                    severity,
                    placed(reason),
                );
            }
            (Some("sections"), Some(si), field, _) => {
                let row = origins.get(si).map(|(r, _)| *r);
                let column = match field {
                    Some("title") => "label",
                    Some("key") => "name",
                    Some("weight") => "weight",
                    _ => "type",
                };
                self.problem(survey, row, Some(column), severity, placed(reason));
            }
            (Some("title"), ..) => match settings {
                Some(s) => self.problem(s, Some(2), Some("form_title"), severity, placed(reason)),
                None => self.problem(survey, None, None, severity, SheetReason::FormTitle(reason)),
            },
            _ => self.problem(survey, None, None, severity, placed(reason)),
        }
    }

    fn read_choices(&mut self, sheet: &Sheet) -> HashMap<String, Vec<Choice>> {
        let mut lists: HashMap<String, Vec<Choice>> = HashMap::new();
        for row in &sheet.rows {
            let list = row.get("list_name");
            let name = row.get("name");
            if list.is_empty() {
                self.error(
                    sheet,
                    row,
                    "list_name",
                    SheetReason::Missing(Missing::ListName),
                );
                continue;
            }
            if name.is_empty() {
                self.error(
                    sheet,
                    row,
                    "name",
                    SheetReason::Missing(Missing::ChoiceName {
                        list: list.to_owned(),
                    }),
                );
                continue;
            }
            let unscored = row.get("score").eq_ignore_ascii_case("none");
            let score = match row.get("score") {
                "" => None,
                _ if unscored => None,
                s => match s.parse::<f64>() {
                    Ok(v) => Some(v),
                    Err(_) => {
                        self.error(
                            sheet,
                            row,
                            "score",
                            SheetReason::Value {
                                found: s.to_owned(),
                                wanted: Wanted::Score,
                            },
                        );
                        None
                    }
                },
            };
            let text = self.texts(sheet, row, "label");
            let entries = lists.entry(list.to_owned()).or_default();
            if let Some(first) = entries.iter().find(|c| c.key == name) {
                // Cascading selects repeat names under different filters; identical ones merge.
                let merged =
                    first.text == text && first.score == score && first.unscored == unscored;
                let reason = SheetReason::ChoiceRepeated {
                    name: name.to_owned(),
                    list: list.to_owned(),
                    first_row: first.row,
                    merged,
                };
                if merged {
                    self.warn(sheet, row, "name", reason);
                } else {
                    self.error(sheet, row, "name", reason);
                }
                continue;
            }
            entries.push(Choice {
                key: name.to_owned(),
                score,
                unscored,
                text,
                row: row.number,
            });
        }
        lists
    }

    fn options_for(
        &mut self,
        sheet: &Sheet,
        row: &Row,
        list: &str,
        choices: &HashMap<String, Vec<Choice>>,
    ) -> Option<(Vec<ChoiceOption>, Vec<u32>)> {
        match choices.get(list) {
            Some(entries) => Some((
                entries
                    .iter()
                    .map(|c| ChoiceOption {
                        key: c.key.clone(),
                        score: c.score,
                        text: c.text.clone(),
                    })
                    .collect(),
                entries.iter().map(|c| c.row).collect(),
            )),
            None => {
                self.error(
                    sheet,
                    row,
                    "type",
                    SheetReason::Missing(Missing::List {
                        list: list.to_owned(),
                    }),
                );
                None
            }
        }
    }

    /// Maps a row's type to an item kind (and its option rows), or reports why it cannot.
    /// `Ok(None)` means the row is skipped with a warning.
    fn kind(
        &mut self,
        sheet: &Sheet,
        row: &Row,
        type_text: &str,
        choices: &HashMap<String, Vec<Choice>>,
    ) -> Result<Option<(ItemKind, Vec<u32>, bool)>, ()> {
        let words: Vec<&str> = type_text.split_whitespace().collect();
        let lower = type_text.to_lowercase();
        let lower_words: Vec<String> = lower.split_whitespace().map(str::to_owned).collect();
        let first = lower_words.first().map(String::as_str).unwrap_or("");
        let or_other = lower_words.last().is_some_and(|w| w == "or_other")
            || lower.ends_with("or specify other");

        // select_one LIST / select one from LIST / select_multiple LIST / select all that apply from LIST
        let select = if matches!(first, "select_one" | "select_multiple") && words.len() >= 2 {
            Some((first == "select_multiple", words[1]))
        } else if lower.starts_with("select one from ")
            || lower.starts_with("select all that apply from ")
        {
            let multi = lower.starts_with("select all");
            let idx = if multi { 5 } else { 3 };
            words.get(idx).map(|list| (multi, *list))
        } else {
            None
        };
        if let Some((multi, list)) = select {
            let (mut options, rows) = self.options_for(sheet, row, list, choices).ok_or(())?;
            if or_other && !options.iter().any(|o| o.key == "other") {
                let mut text = BTreeMap::new();
                for lang in &self.languages {
                    let word = if lang.as_str().starts_with("ar") {
                        "أخرى"
                    } else {
                        "Other"
                    };
                    text.insert(lang.clone(), word.to_owned());
                }
                options.push(ChoiceOption {
                    key: "other".into(),
                    score: None,
                    text: LocalizedText(text),
                });
            }
            let marked_unscored = choices
                .get(list)
                .is_some_and(|entries| entries.iter().any(|c| c.unscored));
            let is_yes_no = !multi
                && !marked_unscored
                && options.len() == 2
                && options.iter().all(|o| o.score.is_none())
                && options.iter().any(|o| o.key == "yes")
                && options.iter().any(|o| o.key == "no");
            let kind = if is_yes_no {
                ItemKind::YesNo
            } else if multi {
                ItemKind::MultiChoice { options }
            } else {
                ItemKind::Choice { options }
            };
            return Ok(Some((
                kind,
                if is_yes_no { Vec::new() } else { rows },
                or_other,
            )));
        }
        if first.starts_with("select_one")
            || first.starts_with("select_multiple")
            || first.starts_with("select")
        {
            self.error(
                sheet,
                row,
                "type",
                type_reason(type_text, TypeOutcome::SelectWithoutList),
            );
            return Err(());
        }

        let measure = |this: &mut Self| -> Result<Measure, ()> {
            let bands = match row.get("bands") {
                "" => None,
                text => match parse_bands(text) {
                    Ok(b) => Some(b),
                    Err(msg) => {
                        this.error(sheet, row, "bands", msg);
                        return Err(());
                    }
                },
            };
            let min = this.number_cell(sheet, row, "min");
            let max = this.number_cell(sheet, row, "max");
            Ok(Measure { bands, min, max })
        };
        let kind = match lower.as_str() {
            "integer" | "int" | "decimal" | "number" => ItemKind::Number(measure(self)?),
            "duration" => ItemKind::Duration(measure(self)?),
            "text" | "string" | "phone number" => {
                if lower == "phone number" {
                    self.warn(
                        sheet,
                        row,
                        "type",
                        type_reason("phone number", TypeOutcome::BecomesText),
                    );
                }
                ItemKind::Text
            }
            "image" | "photo" => ItemKind::Photo,
            "note" => ItemKind::Note,
            "date" | "datetime" | "timestamp" => ItemKind::Timestamp,
            "yes_no" => ItemKind::YesNo,
            "range" | "scale" => {
                let params = match parse_parameters(row.get("parameters")) {
                    Ok(p) => p,
                    Err(msg) => {
                        self.error(sheet, row, "parameters", msg);
                        return Err(());
                    }
                };
                let start = params.get("start").copied().unwrap_or(1.0);
                let end = params.get("end").copied().unwrap_or(10.0);
                let step = params.get("step").copied().unwrap_or(1.0);
                if step == 1.0 && start.fract() == 0.0 && end.fract() == 0.0 && start < end {
                    ItemKind::Scale {
                        min: start as i64,
                        max: end as i64,
                    }
                } else {
                    let mut m = measure(self)?;
                    m.min = Some(start.min(end));
                    m.max = Some(start.max(end));
                    self.warn(
                        sheet,
                        row,
                        "parameters",
                        SheetReason::NotImported(NotImported::FractionalRange),
                    );
                    ItemKind::Number(m)
                }
            }
            t if METADATA_TYPES.contains(&t) => {
                self.warn(
                    sheet,
                    row,
                    "type",
                    type_reason(type_text, TypeOutcome::Metadata),
                );
                return Ok(None);
            }
            t if SKIPPED_TYPES.contains(&t) => {
                self.warn(
                    sheet,
                    row,
                    "type",
                    type_reason(type_text, TypeOutcome::Computed),
                );
                return Ok(None);
            }
            t if REFUSED_TYPES.contains(&t)
                || t.starts_with("begin loop")
                || t.starts_with("begin_loop") =>
            {
                self.error(
                    sheet,
                    row,
                    "type",
                    type_reason(type_text, TypeOutcome::NoPlace),
                );
                return Err(());
            }
            _ => {
                self.error(
                    sheet,
                    row,
                    "type",
                    type_reason(type_text, TypeOutcome::Unknown),
                );
                return Err(());
            }
        };
        Ok(Some((kind, Vec::new(), false)))
    }

    fn read_survey(
        &mut self,
        sheet: &Sheet,
        choices: &HashMap<String, Vec<Choice>>,
    ) -> Vec<SectionDraft> {
        self.check_columns(sheet);
        let mut sections: Vec<SectionDraft> = Vec::new();
        let mut groups: Vec<Group> = Vec::new();
        let mut implicit_open = false;
        let mut skip_depth = 0usize;
        let mut implicit_count = 0;

        for row in &sheet.rows {
            let type_text = row.get("type");
            let lower = type_text.to_lowercase();
            let lower = lower.split_whitespace().collect::<Vec<_>>().join(" ");
            if type_text.is_empty() {
                if !row.get("name").is_empty() || !row.get("label").is_empty() {
                    self.error(sheet, row, "type", SheetReason::Missing(Missing::Type));
                }
                continue;
            }
            // Inside a refused repeat or loop, only its nesting is tracked.
            if skip_depth > 0 {
                if lower.starts_with("begin") {
                    skip_depth += 1;
                } else if lower.starts_with("end") {
                    skip_depth -= 1;
                }
                continue;
            }
            match lower.as_str() {
                "begin group" | "begin_group" => {
                    let name = row.get("name");
                    let top = groups.is_empty();
                    if top {
                        implicit_open = false;
                        let key = match name_to_key(name) {
                            Some(k) => k,
                            None => {
                                self.error(
                                    sheet,
                                    row,
                                    "name",
                                    SheetReason::BadName {
                                        name: name.to_owned(),
                                        of: Keyed::Section,
                                    },
                                );
                                format!("invalid-{}", row.number)
                            }
                        };
                        let mut title = self.texts(sheet, row, "label");
                        if title.is_empty() {
                            self.warn(
                                sheet,
                                row,
                                "label",
                                group_reason(name, GroupProblem::NoLabel),
                            );
                            for lang in &self.languages {
                                title.0.insert(lang.clone(), name.to_owned());
                            }
                        }
                        let weight = self.number_cell(sheet, row, "weight").unwrap_or(1.0);
                        sections.push(SectionDraft {
                            key,
                            title,
                            weight,
                            row: row.number,
                            items: Vec::new(),
                        });
                    } else {
                        self.warn(sheet, row, "type", group_reason(name, GroupProblem::Nested));
                    }
                    let relevant = Some(row.get("relevant").to_owned()).filter(|r| !r.is_empty());
                    groups.push(Group {
                        name: name.to_owned(),
                        row: row.number,
                        relevant,
                    });
                }
                "end group" | "end_group" => {
                    if groups.pop().is_none() {
                        self.error(
                            sheet,
                            row,
                            "type",
                            SheetReason::Missing(Missing::BeginGroup),
                        );
                    }
                }
                t if t.starts_with("begin repeat")
                    || t.starts_with("begin_repeat")
                    || t.starts_with("begin loop")
                    || t.starts_with("begin_loop") =>
                {
                    self.error(
                        sheet,
                        row,
                        "type",
                        type_reason(type_text, TypeOutcome::RepeatOrLoop),
                    );
                    skip_depth = 1;
                }
                _ => {
                    let Ok(Some((kind, option_rows, or_other))) =
                        self.kind(sheet, row, type_text, choices)
                    else {
                        continue;
                    };
                    let Some(draft) = self.item(sheet, row, kind, option_rows, &groups) else {
                        continue;
                    };
                    if groups.is_empty() && !implicit_open {
                        implicit_count += 1;
                        let key = if implicit_count == 1 {
                            "general".to_owned()
                        } else {
                            format!("general-{implicit_count}")
                        };
                        let mut title = BTreeMap::new();
                        for lang in &self.languages {
                            let word = if lang.as_str().starts_with("ar") {
                                "عام"
                            } else {
                                "General"
                            };
                            title.insert(lang.clone(), word.to_owned());
                        }
                        sections.push(SectionDraft {
                            key,
                            title: LocalizedText(title),
                            weight: 1.0,
                            row: row.number,
                            items: Vec::new(),
                        });
                        implicit_open = true;
                    }
                    let Some(section) = sections.last_mut() else {
                        continue;
                    };
                    let other = or_other.then(|| self.other_item(&draft));
                    section.items.push(draft);
                    if let Some(other) = other {
                        section.items.push(other);
                    }
                }
            }
        }
        for group in &groups {
            self.problem(
                sheet,
                Some(group.row),
                Some("type"),
                Severity::Error,
                group_reason(&group.name, GroupProblem::NeverClosed),
            );
        }
        for s in &sections {
            if s.items.is_empty() {
                self.problem(
                    sheet,
                    Some(s.row),
                    Some("type"),
                    Severity::Error,
                    group_reason(&s.key, GroupProblem::Empty),
                );
            }
        }
        sections.retain(|s| !s.items.is_empty());
        sections
    }

    /// The free-text follow-up of an `or_other` select, shown when "other" is chosen.
    fn other_item(&self, base: &ItemDraft) -> ItemDraft {
        let mut text = BTreeMap::new();
        for lang in &self.languages {
            let word = if lang.as_str().starts_with("ar") {
                "حدد الإجابة الأخرى"
            } else {
                "Specify other"
            };
            text.insert(lang.clone(), word.to_owned());
        }
        let key = format!("{}_other", base.item.key);
        let mut relevant = base.relevant.clone();
        relevant.push((
            format!("selected(${{{}}}, 'other')", base.form_name),
            base.origin.row,
        ));
        ItemDraft {
            item: Item {
                key: ItemKey::parse(&key).unwrap_or_else(|_| base.item.key.clone()),
                kind: ItemKind::Text,
                text: LocalizedText(text),
                help: LocalizedText::default(),
                weight: 1.0,
                critical: false,
                na_allowed: false,
                required: false,
                show_if: None,
                evidence: None,
                owner: None,
                tags: Vec::new(),
            },
            origin: Origin {
                row: base.origin.row,
                options: Vec::new(),
                show_if_cell: base.origin.show_if_cell,
            },
            relevant,
            show_if: base.show_if.clone(),
            form_name: format!("{}_other", base.form_name),
        }
    }

    fn number_cell(&mut self, sheet: &Sheet, row: &Row, column: &str) -> Option<f64> {
        match row.get(column) {
            "" => None,
            s => match s.parse::<f64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    self.error(
                        sheet,
                        row,
                        column,
                        SheetReason::Value {
                            found: s.to_owned(),
                            wanted: Wanted::Number,
                        },
                    );
                    None
                }
            },
        }
    }

    fn bool_cell(&mut self, sheet: &Sheet, row: &Row, column: &str) -> bool {
        let v = row.get(column);
        parse_bool(v).unwrap_or_else(|| {
            self.error(
                sheet,
                row,
                column,
                SheetReason::Value {
                    found: v.to_owned(),
                    wanted: Wanted::YesNo,
                },
            );
            false
        })
    }

    fn item(
        &mut self,
        sheet: &Sheet,
        row: &Row,
        kind: ItemKind,
        option_rows: Vec<u32>,
        groups: &[Group],
    ) -> Option<ItemDraft> {
        let name = row.get("name");
        let key = match name_to_key(name) {
            Some(k) => ItemKey::parse(&k).ok()?,
            None if name.is_empty() => {
                self.error(sheet, row, "name", SheetReason::Missing(Missing::Name));
                return None;
            }
            None => {
                self.error(
                    sheet,
                    row,
                    "name",
                    SheetReason::BadName {
                        name: name.to_owned(),
                        of: Keyed::Item,
                    },
                );
                return None;
            }
        };
        let text = self.texts(sheet, row, "label");
        if text.is_empty() {
            let missing = if matches!(kind, ItemKind::Note) {
                Missing::NoteText
            } else {
                Missing::Label
            };
            self.error(sheet, row, "label", SheetReason::Missing(missing));
            return None;
        }
        let help = self.texts(sheet, row, "hint");
        let required = match parse_bool(row.get("required")) {
            Some(b) => b,
            None => {
                self.warn(
                    sheet,
                    row,
                    "required",
                    SheetReason::NotImported(NotImported::ConditionalRequired {
                        value: row.get("required").to_owned(),
                    }),
                );
                false
            }
        };
        if !row.get("constraint").is_empty() {
            self.warn(
                sheet,
                row,
                "constraint",
                SheetReason::NotImported(NotImported::Constraint),
            );
        }
        if !row.get("choice_filter").is_empty() {
            self.warn(
                sheet,
                row,
                "choice_filter",
                SheetReason::NotImported(NotImported::ChoiceFilter),
            );
        }
        if !row.get("calculation").is_empty() {
            self.warn(
                sheet,
                row,
                "calculation",
                SheetReason::NotImported(NotImported::Calculation),
            );
        }
        let evidence = match row.get("evidence").to_lowercase().as_str() {
            "" => None,
            "required" => Some(Evidence {
                photo: PhotoRule::Required,
            }),
            "on_fail" | "on fail" => Some(Evidence {
                photo: PhotoRule::OnFail,
            }),
            other => {
                self.error(
                    sheet,
                    row,
                    "evidence",
                    SheetReason::Value {
                        found: other.to_owned(),
                        wanted: Wanted::EvidenceRule,
                    },
                );
                None
            }
        };
        let tags = row
            .get("tags")
            .split([',', ' '])
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        let owner = Some(row.get("owner").to_owned()).filter(|o| !o.is_empty());
        let mut relevant: Vec<(String, u32)> = groups
            .iter()
            .filter_map(|g| g.relevant.clone().map(|r| (r, g.row)))
            .collect();
        let show_if = Some(row.get("show_if"))
            .filter(|s| !s.is_empty())
            .map(|s| (s.to_owned(), row.number));
        if show_if.is_none() && !row.get("relevant").is_empty() {
            relevant.push((row.get("relevant").to_owned(), row.number));
        }
        let item = Item {
            key,
            kind,
            text,
            help,
            weight: self.number_cell(sheet, row, "weight").unwrap_or(1.0),
            critical: self.bool_cell(sheet, row, "critical"),
            na_allowed: self.bool_cell(sheet, row, "na_allowed"),
            required,
            show_if: None,
            evidence,
            owner,
            tags,
        };
        Some(ItemDraft {
            item,
            origin: Origin {
                row: row.number,
                options: option_rows,
                show_if_cell: show_if.is_some(),
            },
            relevant,
            show_if,
            form_name: name.to_owned(),
        })
    }

    /// Translates `relevant` expressions in document order, so that each may only refer to
    /// questions before it.
    fn resolve_conditions(
        &mut self,
        sheet: &Sheet,
        mut sections: Vec<SectionDraft>,
    ) -> Vec<SectionDraft> {
        let mut table: HashMap<String, (ItemKey, RefKind)> = HashMap::new();
        let mut keys_seen: HashMap<String, u32> = HashMap::new();
        for section in &mut sections {
            for draft in &mut section.items {
                let mut conditions = Vec::new();
                for (text, row_number) in &draft.relevant {
                    let resolve = expr::resolver(&table);
                    match expr::translate(text, &resolve) {
                        Ok(Some(e)) => conditions.push(e),
                        Ok(None) => {}
                        Err(e) => {
                            let msg = SheetReason::Relevant {
                                expression: text.clone(),
                                position: e.position,
                                reason: e.reason,
                            };
                            self.problem(
                                sheet,
                                Some(*row_number),
                                Some("relevant"),
                                Severity::Error,
                                msg,
                            );
                        }
                    }
                }
                if let Some((text, row_number)) = &draft.show_if {
                    match crate::condition::parse(text) {
                        Ok(e) => conditions.push(e),
                        Err(e) => {
                            let msg = SheetReason::Checklist(ProblemReason::ConditionSyntax {
                                condition: text.clone(),
                                column: e.column,
                                reason: e.reason,
                            });
                            self.problem(
                                sheet,
                                Some(*row_number),
                                Some("show_if"),
                                Severity::Error,
                                msg,
                            );
                        }
                    }
                }
                draft.item.show_if = conditions
                    .into_iter()
                    .reduce(|a, b| crate::condition::Expr::And(Box::new(a), Box::new(b)));
                let kind = write::ref_kind(&draft.item.kind);
                if let Some(first) = keys_seen.insert(draft.item.key.to_string(), draft.origin.row)
                {
                    let msg = SheetReason::KeyReused {
                        name: draft.form_name.clone(),
                        key: draft.item.key.to_string(),
                        first_row: first,
                    };
                    self.problem(
                        sheet,
                        Some(draft.origin.row),
                        Some("name"),
                        Severity::Error,
                        msg,
                    );
                }
                if let Some(kind) = kind {
                    table.insert(draft.form_name.clone(), (draft.item.key.clone(), kind));
                }
            }
        }
        sections
    }

    /// Warns about columns that mean nothing to a checklist, so none is ignored unnoticed.
    fn check_columns(&mut self, sheet: &Sheet) {
        if !sheet.has("type") || !sheet.has("name") {
            self.problem(
                sheet,
                Some(1),
                None,
                Severity::Error,
                SheetReason::Missing(Missing::SurveyColumns),
            );
        }
        const USED: &[&str] = &[
            "type",
            "name",
            "relevant",
            "show_if",
            "required",
            "constraint",
            "choice_filter",
            "calculation",
            "parameters",
            "weight",
            "critical",
            "owner",
            "na_allowed",
            "evidence",
            "bands",
            "tags",
            "min",
            "max",
        ];
        for header in sheet.headers.clone() {
            let norm = header.norm.as_str();
            let base = norm.split(':').next().unwrap_or(norm);
            let known = USED.contains(&norm)
                || IGNORED_COLUMNS.contains(&base)
                || matches!(
                    base,
                    "label"
                        | "hint"
                        | "media"
                        | "constraint_message"
                        | "required_message"
                        | "guidance_hint"
                        | "requiredmsg"
                        | "jr"
                        | "bind"
                        | "instance"
                        | "body"
                );
            if !known {
                self.problem(
                    sheet,
                    Some(1),
                    Some(norm),
                    Severity::Warning,
                    SheetReason::NotImported(NotImported::Column {
                        column: header.text.clone(),
                    }),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_and_names() {
        assert_eq!(
            parse_bands("5:1; 10:0.5; *:0").unwrap(),
            vec![
                Band {
                    max: Some(5.0),
                    score: 1.0
                },
                Band {
                    max: Some(10.0),
                    score: 0.5
                },
                Band {
                    max: None,
                    score: 0.0
                }
            ]
        );
        assert!(parse_bands("5").is_err());
        assert_eq!(name_to_key("Skip_To.End").as_deref(), Some("skip_to_end"));
        assert_eq!(name_to_key("_1").as_deref(), Some("1"));
        assert_eq!(name_to_key("=FALSE()"), None);
    }
}
