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
    let mut items = Vec::with_capacity(states.len());
    let mut sections = Vec::with_capacity(checklist.sections.len());
    let mut critical_failed = false;
    let mut position = 0;
    for section in &checklist.sections {
        let start = position;
        for item in &section.items {
            let score = match states.get(position) {
                Some(AnswerState::Given(answer)) => item.kind.score(answer),
                _ => None,
            };
            critical_failed |= item.critical && score == Some(0.0);
            items.push(score);
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
}
