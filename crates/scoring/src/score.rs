//! Visit scoring (SPEC §4 "Scoring rules", §9.11): item → section → visit, N/A and the critical rule.

use serde::Serialize;
use sirr_checklist::{AnswerState, CheckedAnswers, Checklist, CriticalRule};

/// The scores of one visit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitScore {
    /// Visit score in [0, 1] after the critical rule; `None` when every section is N/A.
    pub score: Option<f64>,
    /// Whether a critical item scored 0.
    pub critical_failed: bool,
    /// Section scores in checklist order, before the critical rule; `None` = N/A.
    pub sections: Vec<Option<f64>>,
    /// Item scores in document order (sections flattened); `None` = N/A.
    pub items: Vec<Option<f64>>,
}

/// Σ(wᵢ·sᵢ)/Σwᵢ over the parts that are not N/A, summed in order; `None` when all are N/A.
pub fn weighted_mean(parts: impl IntoIterator<Item = (f64, Option<f64>)>) -> Option<f64> {
    let (mut num, mut den) = (0.0, 0.0);
    for (w, s) in parts {
        if let Some(s) = s {
            num += w * s;
            den += w;
        }
    }
    (den > 0.0).then(|| num / den)
}

/// Scores one visit whose answers were checked against `checklist`.
pub fn score_visit(checklist: &Checklist, answers: &CheckedAnswers) -> VisitScore {
    let states = answers.states();
    let items = checklist
        .items()
        .enumerate()
        .map(|(position, (_, item))| match states.get(position) {
            Some(AnswerState::Given(answer)) => item.kind.score(answer),
            _ => None,
        })
        .collect();
    score_items(checklist, items)
}

/// Scores one visit whose answers were checked against `checklist`, with every item for which
/// `na` returns true scored N/A whatever its answer — for example an item whose failure was
/// overturned in a dispute. Only the item's score changes: conditions (`show_if`) of other
/// items still see the answer as it was given. Section scores, the critical rule and the visit
/// score follow from the remaining items exactly as in [`score_visit`], so a critical item made
/// N/A no longer fails the visit.
pub fn score_visit_with_na(
    checklist: &Checklist,
    answers: &CheckedAnswers,
    mut na: impl FnMut(&str) -> bool,
) -> VisitScore {
    let mut scored = score_visit(checklist, answers);
    let mut changed = false;
    for (score, (_, item)) in scored.items.iter_mut().zip(checklist.items()) {
        if score.is_some() && na(item.key.as_str()) {
            *score = None;
            changed = true;
        }
    }
    if changed {
        score_items(checklist, scored.items)
    } else {
        scored
    }
}

/// Section scores, the critical rule and the visit score from item scores given in document
/// order (sections flattened; `None` = N/A), as SPEC §4 defines them.
///
/// # Panics
/// Never; missing trailing item scores count as N/A.
pub fn score_items(checklist: &Checklist, mut items: Vec<Option<f64>>) -> VisitScore {
    let total: usize = checklist.sections.iter().map(|s| s.items.len()).sum();
    items.resize(total, None);
    let mut sections = Vec::with_capacity(checklist.sections.len());
    let mut critical_failed = false;
    let mut position = 0;
    for section in &checklist.sections {
        let start = position;
        for item in &section.items {
            critical_failed |= item.critical && items[position] == Some(0.0);
            position += 1;
        }
        let scores = &items[start..position];
        sections.push(weighted_mean(
            section
                .items
                .iter()
                .zip(scores)
                .map(|(i, s)| (i.weight, *s)),
        ));
    }
    let raw = weighted_mean(
        checklist
            .sections
            .iter()
            .zip(&sections)
            .map(|(s, v)| (s.weight, *v)),
    );
    let score = match (raw, critical_failed, checklist.critical_rule) {
        (Some(_), true, CriticalRule::Zero) => Some(0.0),
        (Some(s), true, CriticalRule::Cap(cap)) => Some(s.min(cap)),
        (s, _, _) => s,
    };
    VisitScore {
        score,
        critical_failed,
        sections,
        items,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use sirr_checklist::{AnswerChecker, Completeness};

    use super::*;

    fn spec_checklist() -> Checklist {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/checklists/spec-example.json"
        );
        sirr_checklist::from_json_str(&std::fs::read_to_string(path).unwrap())
            .unwrap()
            .0
    }

    fn score(c: &Checklist, answers: serde_json::Value) -> VisitScore {
        let checked = AnswerChecker::new(c)
            .check(answers.as_object().unwrap(), None, Completeness::Draft)
            .unwrap();
        score_visit(c, &checked)
    }

    #[test]
    fn golden_spec_example_is_exact() {
        let c = spec_checklist();
        let s = score(
            &c,
            json!({"greeted_30s": "yes", "wait_minutes": 7, "id_checked": "yes", "offered_card": "asked", "card_benefits": 4}),
        );
        assert_eq!(s.score, Some(0.7916666666666666));
        assert_eq!(s.score, Some(4.75 / 6.0));
        assert_eq!(s.sections, vec![Some(0.7916666666666666)]);
        assert!(!s.critical_failed);
    }

    #[test]
    fn critical_rule_and_all_na() {
        let c = spec_checklist();
        let s = score(&c, json!({"greeted_30s": "yes", "id_checked": "no"}));
        assert!(s.critical_failed);
        assert_eq!(s.score, Some(0.0));
        assert_eq!(s.sections, vec![Some(2.0 / 3.0)]); // before the critical rule

        let mut capped = c.clone();
        capped.critical_rule = CriticalRule::Cap(0.5);
        let s = score(&capped, json!({"greeted_30s": "yes", "id_checked": "no"}));
        assert_eq!(s.score, Some(0.5));
        let s = score(
            &capped,
            json!({"greeted_30s": "no", "wait_minutes": 20, "id_checked": "no"}),
        );
        assert_eq!(s.score, Some(0.0));

        let s = score(&c, json!({"offered_card": "na"}));
        assert_eq!(s.score, None);
        assert_eq!(s.sections, vec![None]);
        assert!(!s.critical_failed);
    }

    #[test]
    fn items_forced_to_na_drop_out_of_sections_and_the_critical_rule() {
        let c = spec_checklist();
        let answers = json!({"greeted_30s": "no", "wait_minutes": 7, "id_checked": "yes", "offered_card": "asked", "card_benefits": 4});
        let checked = AnswerChecker::new(&c)
            .check(answers.as_object().unwrap(), None, Completeness::Draft)
            .unwrap();
        // greeted_30s (weight 2) fails: (0·2 + 0.5 + 1 + 0.5 + 0.75) / 6.
        let plain = score_visit(&c, &checked);
        assert_eq!(plain.score, Some(2.75 / 6.0));
        let overturned = score_visit_with_na(&c, &checked, |k| k == "greeted_30s");
        assert_eq!(overturned.items[0], None);
        assert_eq!(overturned.score, Some(2.75 / 4.0));
        assert_eq!(overturned.sections, vec![Some(2.75 / 4.0)]);
        assert_eq!(score_visit_with_na(&c, &checked, |_| false), plain);

        let answers = json!({"greeted_30s": "yes", "id_checked": "no"});
        let checked = AnswerChecker::new(&c)
            .check(answers.as_object().unwrap(), None, Completeness::Draft)
            .unwrap();
        assert_eq!(score_visit(&c, &checked).score, Some(0.0));
        let s = score_visit_with_na(&c, &checked, |k| k == "id_checked");
        assert!(!s.critical_failed);
        assert_eq!(s.score, Some(1.0));
    }
}
