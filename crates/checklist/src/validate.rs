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
use crate::problem::Problem;

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
        out.push(Problem::error(
            "/title",
            "the checklist has no title in any language",
        ));
    }
    translations(&mut out, checklist, "/title", &checklist.title, true);
    if let CriticalRule::Cap(cap) = checklist.critical_rule
        && !(0.0..1.0).contains(&cap)
    {
        out.push(Problem::error(
            "/critical_rule/cap",
            format!("the cap must be at least 0 and below 1, found {cap}"),
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
                format!(
                    "duplicate section key '{}' (first used at /sections/{})",
                    section.key,
                    positions.section(first)
                ),
            ));
        }
        if !(section.weight > 0.0 && section.weight.is_finite()) {
            out.push(Problem::error(
                format!("{spath}/weight"),
                "weight must be a number greater than 0",
            ));
        }
        if section.title.is_empty() {
            out.push(Problem::error(
                format!("{spath}/title"),
                "the section has no title in any language",
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
                    format!("duplicate item key '{}' (first used at {first})", item.key),
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
                        e.message,
                    ));
                }
            }
            position += 1;
        }
    }

    if !any_scored {
        out.push(Problem::warning(
            "/sections",
            "no item in this checklist is scored, so every visit will score N/A",
        ));
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
                format!("no '{lang}' text, although the checklist declares '{lang}'"),
            ));
        }
    }
    for lang in text.0.keys() {
        if !c.languages.contains(lang) {
            out.push(Problem::warning(
                format!("{path}/{lang}"),
                format!("text in '{lang}', which is not among the checklist's languages"),
            ));
        }
    }
}

fn check_item(out: &mut Vec<Problem>, c: &Checklist, item: &Item, path: &str) {
    let at = |field: &str| format!("{path}/{field}");
    if item.text.is_empty() {
        out.push(Problem::error(
            at("text"),
            "the item has no text in any language, so a shopper would see nothing",
        ));
    } else {
        translations(out, c, &at("text"), &item.text, true);
    }
    translations(out, c, &at("help"), &item.help, false);
    if !(item.weight > 0.0 && item.weight.is_finite()) {
        out.push(Problem::error(
            at("weight"),
            "weight must be a number greater than 0",
        ));
    }

    match &item.kind {
        ItemKind::Scale { min, max } if min >= max => {
            out.push(Problem::error(
                at("max"),
                format!("a scale needs min < max, found min {min} and max {max}"),
            ));
        }
        ItemKind::Choice { options } | ItemKind::MultiChoice { options } => {
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for (oi, option) in options.iter().enumerate() {
                if let Some(first) = seen.insert(option.key.as_str(), oi) {
                    out.push(Problem::error(
                        format!("{path}/options/{oi}/key"),
                        format!(
                            "duplicate option key '{}' (first used at {path}/options/{first})",
                            option.key
                        ),
                    ));
                }
                if let Some(score) = option.score.filter(|s| !(0.0..=1.0).contains(s)) {
                    out.push(Problem::error(
                        format!("{path}/options/{oi}/score"),
                        format!("an option's score must be between 0 and 1, found {score}"),
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
                    format!("a note is never answered, so it cannot be {flag}"),
                ));
            }
        }
        if item.weight != 1.0 {
            out.push(Problem::warning(
                at("weight"),
                "a note is not scored, so its weight has no effect",
            ));
        }
    }

    if item.critical {
        if !item.kind.is_scored() {
            out.push(Problem::error(
                at("critical"),
                format!("a critical item must be able to fail, but this {type_name} item is never scored"),
            ));
        } else if !item.kind.can_score_zero() {
            out.push(Problem::error(
                at("critical"),
                "a critical item must be able to fail, but no answer scores 0 (give an option or band the score 0)",
            ));
        }
    }

    if let Some(evidence) = &item.evidence {
        if matches!(item.kind, ItemKind::Photo | ItemKind::Note) {
            out.push(Problem::error(
                at("evidence"),
                format!("a {type_name} item cannot require photo evidence"),
            ));
        } else if evidence.photo == PhotoRule::OnFail && !item.kind.can_score_zero() {
            out.push(Problem::error(
                at("evidence/photo"),
                "\"on_fail\" needs an item that can score 0; use \"required\" or give a failing answer a score of 0",
            ));
        }
    }

    if let Some(owner) = &item.owner
        && (owner.trim() != owner || owner.is_empty())
    {
        out.push(Problem::error(
            at("owner"),
            "the owner must not start or end with spaces",
        ));
    }
}

fn check_measure(out: &mut Vec<Problem>, m: &Measure, path: &str, kind: &ItemKind) {
    if let (Some(min), Some(max)) = (m.min, m.max)
        && min >= max
    {
        out.push(Problem::error(
            format!("{path}/max"),
            format!("min ({min}) must be below max ({max})"),
        ));
    }
    if matches!(kind, ItemKind::Duration(_)) && m.min.is_some_and(|min| min < 0.0) {
        out.push(Problem::error(
            format!("{path}/min"),
            "a duration is never negative",
        ));
    }
    let Some(bands) = &m.bands else { return };
    let mut previous: Option<f64> = None;
    for (bi, band) in bands.iter().enumerate() {
        let bpath = format!("{path}/bands/{bi}");
        if !(0.0..=1.0).contains(&band.score) {
            out.push(Problem::error(
                format!("{bpath}/score"),
                format!(
                    "a band's score must be between 0 and 1, found {}",
                    band.score
                ),
            ));
        }
        match band.max {
            None if bi + 1 != bands.len() => out.push(Problem::error(
                bpath.to_string(),
                "only the last band may leave out 'max' (it catches every larger value)",
            )),
            None => {}
            Some(max) => {
                if let Some(prev) = previous {
                    if max == prev {
                        out.push(Problem::error(
                            format!("{bpath}/max"),
                            format!("bands overlap: two bands end at {max}"),
                        ));
                    } else if max < prev {
                        out.push(Problem::error(
                            format!("{bpath}/max"),
                            format!(
                                "bands must be sorted by ascending 'max', but {max} follows {prev}"
                            ),
                        ));
                    }
                }
                if m.min.is_some_and(|min| max < min) {
                    out.push(Problem::warning(
                        format!("{bpath}/max"),
                        "this band ends below the item's min, so no answer falls in it",
                    ));
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
                format!("gap: answers from {last} up to the item's max ({max}) fall in no band; add a catch-all band"),
            ));
    }
}
