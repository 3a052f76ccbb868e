//! Reading checklist documents (JSON, YAML, or an already-parsed JSON value) into the model.
//!
//! The reader walks the JSON tree by hand instead of deriving `Deserialize`, so that it can
//! report every problem at once, each with its JSON-pointer path, rather than the first one.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::condition;
use crate::error::Error;
use crate::key::{ChecklistKey, ItemKey, LangTag, SectionKey};
use crate::model::{
    Band, Checklist, ChoiceOption, CriticalRule, Evidence, Item, ItemKind, LocalizedText, Measure,
    PhotoRule, Section,
};
use crate::problem::{Expected, Found, ListOf, Part, Problem, ProblemReason as Why, pointer, sort};
use crate::validate::{self, Positions};

/// The result of reading a document: the checklist when there is no error, and every problem.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The checklist, present exactly when no problem is an error.
    pub checklist: Option<Checklist>,
    /// Errors and warnings, sorted by path.
    pub problems: Vec<Problem>,
}

impl Outcome {
    /// The checklist and its warnings, or [`Error::Invalid`] with every problem.
    pub fn into_result(self) -> Result<(Checklist, Vec<Problem>), Error> {
        match self.checklist {
            Some(c) => Ok((c, self.problems)),
            None => Err(Error::Invalid(self.problems)),
        }
    }
}

/// Parses JSON text into a checklist, validating it fully.
pub fn from_json_str(text: &str) -> Result<(Checklist, Vec<Problem>), Error> {
    from_value(&parse_json(text)?).into_result()
}

/// Parses YAML text into a checklist, validating it fully.
pub fn from_yaml_str(text: &str) -> Result<(Checklist, Vec<Problem>), Error> {
    from_value(&parse_yaml(text)?).into_result()
}

/// Parses JSON text into a value, with line and column on syntax errors.
pub fn parse_json(text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::Syntax {
        format: "JSON",
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// Parses YAML text into a JSON value, with line and column on syntax errors.
pub fn parse_yaml(text: &str) -> Result<Value, Error> {
    serde_norway::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        Error::Syntax {
            format: "YAML",
            line,
            column,
            message: e.to_string(),
        }
    })
}

/// Reads and validates a checklist from a JSON value, collecting every problem.
pub fn from_value(doc: &Value) -> Outcome {
    let mut r = Reader {
        problems: Vec::new(),
        languages: Vec::new(),
        positions: Positions::default(),
    };
    let checklist = r.checklist(doc);
    let mut problems = r.problems;
    if let Some(c) = &checklist {
        problems.extend(validate::validate_partial(c, &r.positions));
    }
    sort(&mut problems);
    let ok = !problems.iter().any(Problem::is_error);
    Outcome {
        checklist: checklist.filter(|_| ok),
        problems,
    }
}

const CHECKLIST_FIELDS: &[&str] = &[
    "key",
    "version",
    "languages",
    "title",
    "description",
    "critical_rule",
    "sections",
];
const SECTION_FIELDS: &[&str] = &["key", "title", "weight", "items"];
const ITEM_FIELDS: &[&str] = &[
    "key",
    "type",
    "text",
    "help",
    "weight",
    "critical",
    "na_allowed",
    "required",
    "show_if",
    "evidence",
    "owner",
    "tags",
    "min",
    "max",
    "options",
    "bands",
];
const ITEM_TYPES: &[&str] = &[
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
];

struct Reader {
    problems: Vec<Problem>,
    languages: Vec<LangTag>,
    /// Where the readable parts stood, so that semantic checks still run on them.
    positions: Positions,
}

/// Edit distance, to suggest the field a typo meant.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

impl Reader {
    fn error(&mut self, path: &str, reason: Why) {
        self.problems.push(Problem::error(path, reason));
    }

    /// An error for a value of the wrong type (described by its kind).
    fn wrong_type(&mut self, path: &str, expected: Expected, v: &Value) {
        self.error(
            path,
            Why::WrongType {
                expected,
                found: Found::kind_of(v),
            },
        );
    }

    /// An error for a value of the wrong type or outside a fixed set (shown as written).
    fn wrong_value(&mut self, path: &str, expected: Expected, v: &Value) {
        self.error(
            path,
            Why::WrongType {
                expected,
                found: Found::value_of(v),
            },
        );
    }

    fn object<'v>(
        &mut self,
        v: &'v Value,
        path: &str,
        part: Part,
    ) -> Option<&'v Map<String, Value>> {
        match v {
            Value::Object(m) => Some(m),
            other => {
                self.wrong_type(path, Expected::Object(part), other);
                None
            }
        }
    }

    fn unknown_fields(&mut self, m: &Map<String, Value>, path: &str, known: &[&str]) {
        for name in m.keys() {
            if !known.contains(&name.as_str()) {
                let suggestion = known
                    .iter()
                    .filter(|k| distance(k, name) <= 2)
                    .min_by_key(|k| distance(k, name))
                    .map(|k| (*k).to_owned());
                self.error(
                    &pointer(path, name),
                    Why::UnknownField {
                        field: name.clone(),
                        suggestion,
                    },
                );
            }
        }
    }

    fn required<'v>(
        &mut self,
        m: &'v Map<String, Value>,
        path: &str,
        field: &str,
    ) -> Option<&'v Value> {
        let v = m.get(field);
        if v.is_none() {
            self.error(
                path,
                Why::MissingField {
                    field: field.to_owned(),
                },
            );
        }
        v
    }

    fn string(&mut self, v: &Value, path: &str) -> Option<String> {
        match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            Value::String(_) => {
                self.error(path, Why::Empty);
                None
            }
            other => {
                self.wrong_type(path, Expected::String, other);
                None
            }
        }
    }

    fn key<K>(&mut self, v: &Value, path: &str, parse: fn(&str) -> Result<K, String>) -> Option<K> {
        let s = self.string(v, path)?;
        parse(&s)
            .map_err(|_| self.error(path, Why::InvalidKey { found: s.clone() }))
            .ok()
    }

    fn lang_tag(&mut self, v: &Value, path: &str) -> Option<LangTag> {
        let s = self.string(v, path)?;
        LangTag::parse(&s)
            .map_err(|_| self.error(path, Why::InvalidLanguageTag { found: s.clone() }))
            .ok()
    }

    fn bool(&mut self, m: &Map<String, Value>, path: &str, field: &str) -> bool {
        match m.get(field) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                self.wrong_type(&pointer(path, field), Expected::Bool, other);
                false
            }
        }
    }

    fn number(&mut self, v: &Value, path: &str) -> Option<f64> {
        match v.as_f64() {
            Some(n) if n.is_finite() => Some(n),
            _ => {
                self.wrong_type(path, Expected::Number, v);
                None
            }
        }
    }

    fn integer(&mut self, v: &Value, path: &str) -> Option<i64> {
        match v.as_i64() {
            Some(n) => Some(n),
            None => {
                self.wrong_value(path, Expected::WholeNumber, v);
                None
            }
        }
    }

    fn weight(&mut self, m: &Map<String, Value>, path: &str) -> f64 {
        let Some(v) = m.get("weight") else { return 1.0 };
        let path = pointer(path, "weight");
        match self.number(v, &path) {
            Some(w) if w > 0.0 => w,
            Some(w) => {
                self.error(
                    &path,
                    Why::WeightNotPositive {
                        found: Some(w.to_string()),
                    },
                );
                1.0
            }
            None => 1.0,
        }
    }

    fn text(&mut self, v: &Value, path: &str) -> LocalizedText {
        let mut out = BTreeMap::new();
        match v {
            // A plain string is the text in the default language.
            Value::String(s) => {
                let lang = self.languages.first().cloned();
                match lang {
                    Some(lang) if !s.trim().is_empty() => {
                        out.insert(lang, s.clone());
                    }
                    Some(_) => self.error(path, Why::Empty),
                    None => self.error(path, Why::TextWithoutLanguages),
                }
            }
            Value::Object(m) => {
                for (lang, text) in m {
                    let p = pointer(path, lang);
                    let Ok(tag) = LangTag::parse(lang).map_err(|_| {
                        self.error(
                            &p,
                            Why::InvalidLanguageTag {
                                found: lang.clone(),
                            },
                        );
                    }) else {
                        continue;
                    };
                    match text {
                        Value::String(s) if s.trim().is_empty() => {} // reported as missing below
                        Value::String(s) => {
                            out.insert(tag, s.clone());
                        }
                        other => self.wrong_type(&p, Expected::String, other),
                    }
                }
            }
            other => self.wrong_type(path, Expected::TextPerLanguage, other),
        }
        LocalizedText(out)
    }

    fn checklist(&mut self, doc: &Value) -> Option<Checklist> {
        let m = self.object(doc, "", Part::Checklist)?;
        self.unknown_fields(m, "", CHECKLIST_FIELDS);

        let languages = match self.required(m, "", "languages") {
            Some(Value::Array(list)) if !list.is_empty() => {
                let mut tags: Vec<LangTag> = Vec::new();
                for (i, v) in list.iter().enumerate() {
                    let p = pointer("/languages", i);
                    if let Some(tag) = self.lang_tag(v, &p) {
                        if tags.contains(&tag) {
                            self.error(
                                &p,
                                Why::LanguageTwice {
                                    lang: tag.to_string(),
                                },
                            );
                        } else {
                            tags.push(tag);
                        }
                    }
                }
                tags
            }
            Some(Value::Array(_)) => {
                self.error("/languages", Why::EmptyList(ListOf::LanguageTags));
                Vec::new()
            }
            Some(other) => {
                self.wrong_type("/languages", Expected::List(ListOf::LanguageTags), other);
                Vec::new()
            }
            None => Vec::new(),
        };
        self.languages = languages.clone();

        let key = self
            .required(m, "", "key")
            .and_then(|v| self.key(v, "/key", ChecklistKey::parse));
        let version = self
            .required(m, "", "version")
            .and_then(|v| match v.as_u64() {
                Some(n) if (1..=u64::from(u32::MAX)).contains(&n) => u32::try_from(n).ok(),
                _ => {
                    self.error(
                        "/version",
                        Why::InvalidVersion {
                            found: Found::value_of(v),
                        },
                    );
                    None
                }
            });
        let title = self
            .required(m, "", "title")
            .map(|v| self.text(v, "/title"));
        let description = m
            .get("description")
            .map(|v| self.text(v, "/description"))
            .unwrap_or_default();
        let critical_rule = m
            .get("critical_rule")
            .map(|v| self.critical_rule(v))
            .unwrap_or_default();

        let sections = match self.required(m, "", "sections") {
            Some(Value::Array(list)) if !list.is_empty() => list
                .iter()
                .enumerate()
                .map(|(i, v)| self.section(v, &pointer("/sections", i)))
                .collect::<Vec<_>>(),
            Some(Value::Array(_)) => {
                self.error("/sections", Why::EmptyList(ListOf::Sections));
                Vec::new()
            }
            Some(other) => {
                self.wrong_type("/sections", Expected::List(ListOf::Sections), other);
                Vec::new()
            }
            None => Vec::new(),
        };

        // Keep what could be read, with its original positions, so that the semantic checks
        // can still report on it; the problems already found keep the document invalid.
        let mut kept = Vec::new();
        for (si, section) in sections.into_iter().enumerate() {
            if let Some((section, item_positions)) = section {
                self.positions.sections.push(si);
                self.positions.items.push(item_positions);
                kept.push(section);
            }
        }
        let placeholder = || ChecklistKey::parse("unreadable").ok();
        Some(Checklist {
            key: key.or_else(placeholder)?,
            version: version.unwrap_or(1),
            languages,
            title: title.unwrap_or_default(),
            description,
            critical_rule,
            sections: kept,
        })
    }

    fn critical_rule(&mut self, v: &Value) -> CriticalRule {
        let path = "/critical_rule";
        match v {
            Value::String(s) if s == "zero" => CriticalRule::Zero,
            Value::Object(m) if m.len() == 1 && m.contains_key("cap") => {
                let p = pointer(path, "cap");
                match self.number(&m["cap"], &p) {
                    Some(cap) => CriticalRule::Cap(cap),
                    None => CriticalRule::Zero,
                }
            }
            other => {
                self.wrong_value(path, Expected::CriticalRule, other);
                CriticalRule::Zero
            }
        }
    }

    /// A section and the original index of each of its readable items.
    fn section(&mut self, v: &Value, path: &str) -> Option<(Section, Vec<usize>)> {
        let m = self.object(v, path, Part::Section)?;
        self.unknown_fields(m, path, SECTION_FIELDS);
        let key = self
            .required(m, path, "key")
            .and_then(|v| self.key(v, &pointer(path, "key"), SectionKey::parse));
        let title = self
            .required(m, path, "title")
            .map(|v| self.text(v, &pointer(path, "title")));
        let weight = self.weight(m, path);
        let items_path = pointer(path, "items");
        let items = match self.required(m, path, "items") {
            Some(Value::Array(list)) if !list.is_empty() => list
                .iter()
                .enumerate()
                .map(|(i, v)| self.item(v, &pointer(&items_path, i)))
                .collect::<Vec<_>>(),
            Some(Value::Array(_)) => {
                self.error(&items_path, Why::EmptyList(ListOf::Items));
                Vec::new()
            }
            Some(other) => {
                self.wrong_type(&items_path, Expected::List(ListOf::Items), other);
                Vec::new()
            }
            None => Vec::new(),
        };
        let mut kept = Vec::new();
        let mut positions = Vec::new();
        for (ii, item) in items.into_iter().enumerate() {
            match item {
                Ok(item) => {
                    kept.push(item);
                    positions.push(ii);
                }
                Err(Some(key)) => {
                    self.positions.unreadable_items.insert(key);
                }
                Err(None) => {}
            }
        }
        Some((
            Section {
                key: key?,
                title: title.unwrap_or_default(),
                weight,
                items: kept,
            },
            positions,
        ))
    }

    /// An item, or on failure the item's key when it could be read (`Err(None)` otherwise).
    fn item(&mut self, v: &Value, path: &str) -> Result<Item, Option<String>> {
        let m = self.object(v, path, Part::Item).ok_or(None)?;
        self.unknown_fields(m, path, ITEM_FIELDS);
        let key = self
            .required(m, path, "key")
            .and_then(|v| self.key(v, &pointer(path, "key"), ItemKey::parse));
        let text = self
            .required(m, path, "text")
            .map(|v| self.text(v, &pointer(path, "text")));
        let help = m
            .get("help")
            .map(|v| self.text(v, &pointer(path, "help")))
            .unwrap_or_default();
        let weight = self.weight(m, path);
        let critical = self.bool(m, path, "critical");
        let na_allowed = self.bool(m, path, "na_allowed");
        let required = self.bool(m, path, "required");
        let show_if = m.get("show_if").and_then(|v| {
            let p = pointer(path, "show_if");
            let s = self.string(v, &p)?;
            condition::parse(&s)
                .map_err(|e| {
                    self.error(
                        &p,
                        Why::ConditionSyntax {
                            condition: s.clone(),
                            column: e.column,
                            reason: e.reason,
                        },
                    );
                })
                .ok()
        });
        let evidence = m
            .get("evidence")
            .and_then(|v| self.evidence(v, &pointer(path, "evidence")));
        let owner = m
            .get("owner")
            .and_then(|v| self.string(v, &pointer(path, "owner")));
        let tags = match m.get("tags") {
            None => Vec::new(),
            Some(Value::Array(list)) => list
                .iter()
                .enumerate()
                .filter_map(|(i, t)| self.string(t, &pointer(&pointer(path, "tags"), i)))
                .collect(),
            Some(other) => {
                self.wrong_type(
                    &pointer(path, "tags"),
                    Expected::List(ListOf::Strings),
                    other,
                );
                Vec::new()
            }
        };
        let kind = self
            .required(m, path, "type")
            .and_then(|t| self.kind(t, m, path));
        let (Some(key), Some(kind), Some(text)) = (key.clone(), kind, text) else {
            return Err(key.map(|k| k.to_string()));
        };
        Ok(Item {
            key,
            kind,
            text,
            help,
            weight,
            critical,
            na_allowed,
            required,
            show_if,
            evidence,
            owner,
            tags,
        })
    }

    fn evidence(&mut self, v: &Value, path: &str) -> Option<Evidence> {
        let m = self.object(v, path, Part::Evidence)?;
        self.unknown_fields(m, path, &["photo"]);
        let p = pointer(path, "photo");
        match m.get("photo") {
            Some(Value::String(s)) if s == "required" => Some(Evidence {
                photo: PhotoRule::Required,
            }),
            Some(Value::String(s)) if s == "on_fail" => Some(Evidence {
                photo: PhotoRule::OnFail,
            }),
            Some(other) => {
                self.wrong_value(&p, Expected::PhotoRule, other);
                None
            }
            None => {
                self.error(
                    path,
                    Why::MissingField {
                        field: "photo".into(),
                    },
                );
                None
            }
        }
    }

    /// Reports type-specific fields given to a type that does not take them.
    fn foreign_fields(
        &mut self,
        m: &Map<String, Value>,
        path: &str,
        type_name: &str,
        allowed: &[&str],
    ) {
        for field in ["min", "max", "options", "bands"] {
            if m.contains_key(field) && !allowed.contains(&field) {
                self.error(
                    &pointer(path, field),
                    Why::FieldNotForType {
                        field: field.to_owned(),
                        item_type: type_name.to_owned(),
                    },
                );
            }
        }
    }

    fn kind(&mut self, t: &Value, m: &Map<String, Value>, path: &str) -> Option<ItemKind> {
        let tp = pointer(path, "type");
        let name = self.string(t, &tp)?;
        let allowed: &[&str] = match name.as_str() {
            "scale" => &["min", "max"],
            "choice" | "multi_choice" => &["options"],
            "number" | "duration" => &["min", "max", "bands"],
            _ => &[],
        };
        self.foreign_fields(m, path, &name, allowed);
        Some(match name.as_str() {
            "yes_no" => ItemKind::YesNo,
            "text" => ItemKind::Text,
            "photo" => ItemKind::Photo,
            "timestamp" => ItemKind::Timestamp,
            "note" => ItemKind::Note,
            "scale" => {
                let min = self
                    .required(m, path, "min")
                    .and_then(|v| self.integer(v, &pointer(path, "min")));
                let max = self
                    .required(m, path, "max")
                    .and_then(|v| self.integer(v, &pointer(path, "max")));
                ItemKind::Scale {
                    min: min?,
                    max: max?,
                }
            }
            "choice" | "multi_choice" => {
                let options = self.options(m, path)?;
                if name == "choice" {
                    ItemKind::Choice { options }
                } else {
                    ItemKind::MultiChoice { options }
                }
            }
            "number" | "duration" => {
                let measure = self.measure(m, path)?;
                if name == "number" {
                    ItemKind::Number(measure)
                } else {
                    ItemKind::Duration(measure)
                }
            }
            other => {
                self.error(
                    &tp,
                    Why::UnknownItemType {
                        found: other.to_owned(),
                        types: ITEM_TYPES.join(", "),
                    },
                );
                return None;
            }
        })
    }

    fn options(&mut self, m: &Map<String, Value>, path: &str) -> Option<Vec<ChoiceOption>> {
        let op = pointer(path, "options");
        let list = match self.required(m, path, "options")? {
            Value::Array(list) if !list.is_empty() => list,
            Value::Array(_) => {
                self.error(&op, Why::EmptyList(ListOf::Options));
                return None;
            }
            other => {
                self.wrong_type(&op, Expected::List(ListOf::Options), other);
                return None;
            }
        };
        let mut out = Vec::new();
        let mut ok = true;
        for (i, v) in list.iter().enumerate() {
            let p = pointer(&op, i);
            let Some(om) = self.object(v, &p, Part::Option) else {
                ok = false;
                continue;
            };
            self.unknown_fields(om, &p, &["key", "score", "text"]);
            let key = match om.get("key") {
                Some(k) => self.string(k, &pointer(&p, "key")),
                None => {
                    self.error(&p, Why::OptionWithoutKey);
                    None
                }
            };
            let score = om
                .get("score")
                .and_then(|s| self.number(s, &pointer(&p, "score")));
            let text = om
                .get("text")
                .map(|t| self.text(t, &pointer(&p, "text")))
                .unwrap_or_default();
            match key {
                Some(key) => out.push(ChoiceOption { key, score, text }),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn measure(&mut self, m: &Map<String, Value>, path: &str) -> Option<Measure> {
        let min = m
            .get("min")
            .and_then(|v| self.number(v, &pointer(path, "min")));
        let max = m
            .get("max")
            .and_then(|v| self.number(v, &pointer(path, "max")));
        let bands = match m.get("bands") {
            None => None,
            Some(Value::Array(list)) if !list.is_empty() => {
                let bp = pointer(path, "bands");
                let mut bands = Vec::new();
                for (i, v) in list.iter().enumerate() {
                    let p = pointer(&bp, i);
                    let bm = self.object(v, &p, Part::Band)?;
                    self.unknown_fields(bm, &p, &["max", "score"]);
                    let max = bm
                        .get("max")
                        .and_then(|v| self.number(v, &pointer(&p, "max")));
                    let score = match bm.get("score") {
                        Some(s) => self.number(s, &pointer(&p, "score")),
                        None => {
                            self.error(
                                &p,
                                Why::MissingField {
                                    field: "score".into(),
                                },
                            );
                            None
                        }
                    };
                    if bm.contains_key("max") && max.is_none() {
                        return None;
                    }
                    bands.push(Band { max, score: score? });
                }
                Some(bands)
            }
            Some(Value::Array(_)) => {
                self.error(&pointer(path, "bands"), Why::EmptyList(ListOf::Bands));
                return None;
            }
            Some(other) => {
                self.wrong_type(
                    &pointer(path, "bands"),
                    Expected::List(ListOf::Bands),
                    other,
                );
                return None;
            }
        };
        Some(Measure { bands, min, max })
    }
}
