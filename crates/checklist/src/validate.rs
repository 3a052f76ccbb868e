//! Semantic validation of a checklist: everything that needs the whole document to judge.
//!
//! Structural problems (wrong JSON types, unknown fields) are found while reading
//! ([`crate::load`]); this module finds duplicate keys, bad bands, conditions that do not type
//! check, critical items that can never fail, missing translations and the like.

use std::collections::{HashMap, HashSet};

use crate::condition::{self, ItemRef};
use crate::model::{
    Band, Checklist, CriticalRule, Item, ItemKind, LocalizedText, Measure, PhotoRule,
};
use crate::problem::{Keyed, Problem, ProblemReason as Why, Scored, Titled};

/// Every semantic problem of `checklist`, errors and warnings, in document order.
pub fn validate(checklist: &Checklist) -> Vec<Problem> {
    validate_partial(checklist, &Positions::default())
}

/// Where the sections and items of a partially read document stood in the original, so that
/// paths stay true when some parts could not be read (and were reported already).
#[derive(Debug, Clone, Default)]
pub struct Positions {
    /// Original index of each section; empty means "same as in the model".
    pub sections: Vec<usize>,
    /// Original index of each item, per section; empty means "same as in the model".
    pub items: Vec<Vec<usize>>,
    /// Keys of items that could not be read: conditions naming them are checked once they are.
    pub unreadable_items: HashSet<String>,
}

impl Positions {
    fn section(&self, si: usize) -> usize {
        self.sections.get(si).copied().unwrap_or(si)
    }

    fn item(&self, si: usize, ii: usize) -> usize {
        self.items
            .get(si)
            .and_then(|v| v.get(ii))
            .copied()
            .unwrap_or(ii)
    }
}

/// [`validate`] for a model read from a document in which some parts could not be read.
pub fn validate_partial(checklist: &Checklist, positions: &Positions) -> Vec<Problem> {
    let mut out = Vec::new();
    if checklist.title.is_empty() {
        out.push(Problem::error("/title", Why::NoText(Titled::Checklist)));
    }
    translations(&mut out, checklist, "/title", &checklist.title, true);
    if let CriticalRule::Cap(cap) = checklist.critical_rule
        && !(0.0..1.0).contains(&cap)
    {
        out.push(Problem::error(
            "/critical_rule/cap",
            Why::CapOutOfRange {
                found: cap.to_string(),
            },
        ));
    }
    translations(
        &mut out,
        checklist,
        "/description",
        &checklist.description,
        false,
    );

    let mut section_keys: HashMap<&str, usize> = HashMap::new();
    let mut item_refs: HashMap<&str, ItemRef<'_>> = HashMap::new();
    let mut item_paths: HashMap<&str, String> = HashMap::new();
    let mut position = 0;
    let mut any_scored = false;

    for (si, section) in checklist.sections.iter().enumerate() {
        let spath = format!("/sections/{}", positions.section(si));
        if let Some(first) = section_keys.insert(section.key.as_str(), si) {
            out.push(Problem::error(
                format!("{spath}/key"),
                Why::DuplicateKey {
                    of: Keyed::Section,
                    key: section.key.to_string(),
                    first: format!("/sections/{}", positions.section(first)),
                },
            ));
        }
        if !(section.weight > 0.0 && section.weight.is_finite()) {
            out.push(Problem::error(
                format!("{spath}/weight"),
                Why::WeightNotPositive { found: None },
            ));
        }
        if section.title.is_empty() {
            out.push(Problem::error(
                format!("{spath}/title"),
                Why::NoText(Titled::Section),
            ));
        }
        translations(
            &mut out,
            checklist,
            &format!("{spath}/title"),
            &section.title,
            true,
        );

        for (ii, item) in section.items.iter().enumerate() {
            let path = format!("{spath}/items/{}", positions.item(si, ii));
            match item_paths.get(item.key.as_str()) {
                Some(first) => out.push(Problem::error(
                    format!("{path}/key"),
                    Why::DuplicateKey {
                        of: Keyed::Item,
                        key: item.key.to_string(),
                        first: first.clone(),
                    },
                )),
                None => {
                    item_paths.insert(item.key.as_str(), path.clone());
                    item_refs.insert(
                        item.key.as_str(),
                        ItemRef {
                            position,
                            kind: &item.kind,
                        },
                    );
                }
            }
            any_scored |= item.kind.is_scored();
            check_item(&mut out, checklist, item, &path);
            position += 1;
        }
    }

    // Conditions are checked once every item is known, so that a reference to a later item is
    // reported as "comes later" rather than "unknown".
    let mut position = 0;
    for (si, section) in checklist.sections.iter().enumerate() {
        for (ii, item) in section.items.iter().enumerate() {
            let names_unreadable = |e: &condition::Expr| {
                e.references()
                    .iter()
                    .any(|k| positions.unreadable_items.contains(k.as_str()))
            };
            if let Some(expr) = item.show_if.as_ref().filter(|e| !names_unreadable(e)) {
                let lookup = |k: &str| item_refs.get(k).copied();
                for e in condition::check(expr, position, &lookup) {
                    out.push(Problem::error(
                        format!(
                            "/sections/{}/items/{}/show_if",
                            positions.section(si),
                            positions.item(si, ii)
                        ),
                        Why::Condition {
                            context: e.context,
                            reason: e.reason,
                        },
                    ));
                }
            }
            position += 1;
        }
    }

    if !any_scored {
        out.push(Problem::warning("/sections", Why::NothingScored));
    }
    out
}

fn translations(
    out: &mut Vec<Problem>,
    c: &Checklist,
    path: &str,
    text: &LocalizedText,
    needed: bool,
) {
    if text.is_empty() && !needed {
        return;
    }
    for lang in &c.languages {
        if text.get(lang.as_str()).is_none() {
            out.push(Problem::warning(
                path,
                Why::MissingTranslation {
                    lang: lang.to_string(),
                },
            ));
        }
    }
    for lang in text.0.keys() {
        if !c.languages.contains(lang) {
            out.push(Problem::warning(
                format!("{path}/{lang}"),
                Why::UndeclaredLanguage {
                    lang: lang.to_string(),
                },
            ));
        }
    }
}

fn check_item(out: &mut Vec<Problem>, c: &Checklist, item: &Item, path: &str) {
    let at = |field: &str| format!("{path}/{field}");
    if item.text.is_empty() {
        out.push(Problem::error(at("text"), Why::NoText(Titled::Item)));
    } else {
        translations(out, c, &at("text"), &item.text, true);
    }
    translations(out, c, &at("help"), &item.help, false);
    if !(item.weight > 0.0 && item.weight.is_finite()) {
        out.push(Problem::error(
            at("weight"),
            Why::WeightNotPositive { found: None },
        ));
    }

    match &item.kind {
        ItemKind::Scale { min, max } if min >= max => {
            out.push(Problem::error(
                at("max"),
                Why::ScaleBounds {
                    min: *min,
                    max: *max,
                },
            ));
        }
        ItemKind::Choice { options } | ItemKind::MultiChoice { options } => {
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for (oi, option) in options.iter().enumerate() {
                if let Some(first) = seen.insert(option.key.as_str(), oi) {
                    out.push(Problem::error(
                        format!("{path}/options/{oi}/key"),
                        Why::DuplicateKey {
                            of: Keyed::Option,
                            key: option.key.clone(),
                            first: format!("{path}/options/{first}"),
                        },
                    ));
                }
                if let Some(score) = option.score.filter(|s| !(0.0..=1.0).contains(s)) {
                    out.push(Problem::error(
                        format!("{path}/options/{oi}/score"),
                        Why::ScoreOutOfRange {
                            of: Scored::Option,
                            found: score.to_string(),
                        },
                    ));
                }
                translations(
                    out,
                    c,
                    &format!("{path}/options/{oi}/text"),
                    &option.text,
                    false,
                );
            }
        }
        ItemKind::Number(m) | ItemKind::Duration(m) => check_measure(out, m, path, &item.kind),
        _ => {}
    }

    let type_name = item.kind.type_name();
    let is_note = matches!(item.kind, ItemKind::Note);
    if is_note {
        for (flag, set) in [("required", item.required), ("na_allowed", item.na_allowed)] {
            if set {
                out.push(Problem::error(
                    at(flag),
                    Why::NoteFlag {
                        flag: flag.to_owned(),
                    },
                ));
            }
        }
        if item.weight != 1.0 {
            out.push(Problem::warning(at("weight"), Why::NoteWeight));
        }
    }

    if item.critical {
        if !item.kind.is_scored() {
            out.push(Problem::error(
                at("critical"),
                Why::CriticalNeverScored {
                    item_type: type_name.to_owned(),
                },
            ));
        } else if !item.kind.can_score_zero() {
            out.push(Problem::error(at("critical"), Why::CriticalCannotFail));
        }
    }

    if let Some(evidence) = &item.evidence {
        if matches!(item.kind, ItemKind::Photo | ItemKind::Note) {
            out.push(Problem::error(
                at("evidence"),
                Why::EvidenceNotForType {
                    item_type: type_name.to_owned(),
                },
            ));
        } else if evidence.photo == PhotoRule::OnFail && !item.kind.can_score_zero() {
            out.push(Problem::error(at("evidence/photo"), Why::OnFailCannotFail));
        }
    }

    if let Some(owner) = &item.owner
        && (owner.trim() != owner || owner.is_empty())
    {
        out.push(Problem::error(at("owner"), Why::OwnerSpaces));
    }
}

fn check_measure(out: &mut Vec<Problem>, m: &Measure, path: &str, kind: &ItemKind) {
    if let (Some(min), Some(max)) = (m.min, m.max)
        && min >= max
    {
        out.push(Problem::error(
            format!("{path}/max"),
            Why::MinNotBelowMax {
                min: min.to_string(),
                max: max.to_string(),
            },
        ));
    }
    if matches!(kind, ItemKind::Duration(_)) && m.min.is_some_and(|min| min < 0.0) {
        out.push(Problem::error(format!("{path}/min"), Why::NegativeDuration));
    }
    let Some(bands) = &m.bands else { return };
    let mut previous: Option<f64> = None;
    for (bi, band) in bands.iter().enumerate() {
        let bpath = format!("{path}/bands/{bi}");
        if !(0.0..=1.0).contains(&band.score) {
            out.push(Problem::error(
                format!("{bpath}/score"),
                Why::ScoreOutOfRange {
                    of: Scored::Band,
                    found: band.score.to_string(),
                },
            ));
        }
        match band.max {
            None if bi + 1 != bands.len() => {
                out.push(Problem::error(bpath.to_string(), Why::BandWithoutMax))
            }
            None => {}
            Some(max) => {
                if let Some(prev) = previous {
                    if max == prev {
                        out.push(Problem::error(
                            format!("{bpath}/max"),
                            Why::BandsOverlap {
                                max: max.to_string(),
                            },
                        ));
                    } else if max < prev {
                        out.push(Problem::error(
                            format!("{bpath}/max"),
                            Why::BandsUnsorted {
                                max: max.to_string(),
                                previous: prev.to_string(),
                            },
                        ));
                    }
                }
                if m.min.is_some_and(|min| max < min) {
                    out.push(Problem::warning(format!("{bpath}/max"), Why::BandBelowMin));
                }
                previous = Some(max);
            }
        }
    }
    // A gap is a value range no band covers: with a bounded answer range, the last band must
    // reach the item's max (or be a catch-all); otherwise valid answers would have no score.
    if let (
        Some(max),
        Some(Band {
            max: Some(last), ..
        }),
    ) = (m.max, bands.last())
        && *last < max
    {
        out.push(Problem::error(
            format!("{path}/bands"),
            Why::BandGap {
                last: last.to_string(),
                max: max.to_string(),
            },
        ));
    }
}
