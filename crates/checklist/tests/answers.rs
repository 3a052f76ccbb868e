//! Checking one visit's answers against one checklist version.

use serde_json::{Value, json};
use sirr_checklist::{Answer, AnswerChecker, AnswerState, Completeness};

use crate::support::{spec_example, spec_value};

fn check(answers: Value) -> Result<Vec<AnswerState>, Vec<(String, String)>> {
    check_with(&spec_example(), answers, None, Completeness::Submission)
}

fn check_with(
    c: &sirr_checklist::Checklist,
    answers: Value,
    evidence: Option<Value>,
    completeness: Completeness,
) -> Result<Vec<AnswerState>, Vec<(String, String)>> {
    AnswerChecker::new(c)
        .check(
            answers.as_object().unwrap(),
            evidence.as_ref().and_then(Value::as_object),
            completeness,
        )
        .map(|a| a.states().to_vec())
        .map_err(|ps| ps.into_iter().map(|p| (p.key, p.problem)).collect())
}

#[test]
fn the_spec_example_visit_is_valid_and_typed() {
    let states = check(json!({"greeted_30s": "yes", "wait_minutes": 7, "id_checked": "yes", "offered_card": "asked", "card_benefits": 4})).unwrap();
    assert_eq!(states[0], AnswerState::Given(Answer::YesNo(true)));
    assert_eq!(states[1], AnswerState::Given(Answer::Number(7.0)));
    assert_eq!(
        states[3],
        AnswerState::Given(Answer::Choice("asked".into()))
    );
    assert_eq!(states[4], AnswerState::Given(Answer::Scale(4)));
}

#[test]
fn every_problem_names_its_item() {
    let problems = check(json!({
        "greeted_30s": "Yes", "wait_minutes": "7", "id_checked": "na",
        "offered_card": "maybe", "card_benefits": 9, "mood": "happy"
    }))
    .unwrap_err();
    let keys: Vec<&str> = problems.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "mood",
            "greeted_30s",
            "wait_minutes",
            "id_checked",
            "offered_card",
            "card_benefits"
        ],
        "{problems:#?}"
    );
    let msg = |k: &str| problems.iter().find(|(key, _)| key == k).unwrap().1.clone();
    assert!(msg("mood").contains("no item with this key"));
    assert!(msg("greeted_30s").contains("\"yes\" or \"no\""));
    assert!(msg("wait_minutes").contains("expected a number"));
    assert!(msg("id_checked").contains("\"na\" is not allowed"));
    assert!(msg("offered_card").contains("proactive, asked, no"));
    assert!(msg("card_benefits").contains("outside the scale 1..5"));
}

#[test]
fn answers_to_hidden_items_are_rejected_and_hidden_items_are_not_required() {
    let problems = check(json!({"greeted_30s": "yes", "wait_minutes": 3, "id_checked": "yes", "offered_card": "no", "card_benefits": 2})).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].0, "card_benefits");
    assert!(problems[0].1.contains("hidden"), "{}", problems[0].1);

    let states = check(json!({"greeted_30s": "yes", "offered_card": "no"})).unwrap();
    assert_eq!(states[4], AnswerState::Hidden);
    assert_eq!(states[1], AnswerState::Unanswered);
    // N/A is allowed where na_allowed; a comparison on an N/A item is false, so the scale hides.
    let states = check(json!({"offered_card": "na"})).unwrap();
    assert_eq!(states[3], AnswerState::Given(Answer::Na));
    assert_eq!(states[4], AnswerState::Hidden);
}

#[test]
fn an_invalid_answer_does_not_cascade_into_blame_for_its_dependants() {
    let problems = check(json!({"offered_card": "maybe", "card_benefits": 3})).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, "offered_card");
}

#[test]
fn required_items_and_evidence() {
    let mut v = spec_value();
    let items = &mut v["sections"][0]["items"];
    items[0]["required"] = json!(true);
    items[2]["evidence"] = json!({"photo": "on_fail"});
    items[1]["evidence"] = json!({"photo": "required"});
    let c = sirr_checklist::from_value(&v).checklist.unwrap();

    let problems = check_with(
        &c,
        json!({"wait_minutes": 4, "id_checked": "no"}),
        None,
        Completeness::Submission,
    )
    .unwrap_err();
    assert_eq!(
        problems.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        ["greeted_30s", "wait_minutes", "id_checked"],
        "{problems:#?}"
    );
    assert!(problems[0].1.contains("required"));
    assert!(problems[2].1.contains("when this item fails"));

    let ok = check_with(
        &c,
        json!({"greeted_30s": "no", "wait_minutes": 4, "id_checked": "no"}),
        Some(json!({"wait_minutes": ["att-1"], "id_checked": ["att-2", "att-3"]})),
        Completeness::Submission,
    );
    assert!(ok.is_ok(), "{ok:?}");
    // A passing on_fail item needs no photo; drafts need neither required answers nor photos.
    assert!(
        check_with(
            &c,
            json!({"greeted_30s": "yes", "wait_minutes": 4, "id_checked": "yes"}),
            Some(json!({"wait_minutes": ["a"]})),
            Completeness::Submission
        )
        .is_ok()
    );
    assert!(check_with(&c, json!({"id_checked": "no"}), None, Completeness::Draft).is_ok());

    let problems = check_with(
        &c,
        json!({}),
        Some(json!({"nope": ["a"], "wait_minutes": "a"})),
        Completeness::Draft,
    )
    .unwrap_err();
    assert_eq!(problems.len(), 2, "{problems:?}");
}

#[test]
fn types_of_every_item_kind() {
    let v = json!({
        "key": "kinds", "version": 1, "languages": ["ar"], "title": {"ar": "أنواع"},
        "sections": [{"key": "s", "title": {"ar": "قسم"}, "items": [
            {"key": "multi", "type": "multi_choice", "text": {"ar": "متعدد"},
             "options": [{"key": "a", "score": 1}, {"key": "b", "score": 0}, {"key": "c"}]},
            {"key": "secs", "type": "duration", "text": {"ar": "مدة"}, "bands": [{"max": 60, "score": 1}, {"max": 120, "score": 0}]},
            {"key": "remark", "type": "text", "text": {"ar": "ملاحظة"}},
            {"key": "when", "type": "timestamp", "text": {"ar": "وقت"}},
            {"key": "shots", "type": "photo", "text": {"ar": "صور"}},
            {"key": "info", "type": "note", "text": {"ar": "معلومة"}},
            {"key": "count", "type": "number", "min": 0, "max": 10, "text": {"ar": "عدد"}}
        ]}]
    });
    let c = sirr_checklist::from_value(&v).checklist.unwrap();
    let good = json!({"multi": ["a", "c"], "secs": 90, "remark": "الموظف كان لطيفاً", "when": "2026-10-03T14:12:00+03:00", "shots": ["att-1"], "count": 3});
    let states = check_with(&c, good, None, Completeness::Submission).unwrap();
    assert_eq!(
        states[0],
        AnswerState::Given(Answer::MultiChoice(vec!["a".into(), "c".into()]))
    );
    assert_eq!(
        c.sections[0].items[0].kind.score(&Answer::MultiChoice(vec![
            "a".into(),
            "b".into(),
            "c".into()
        ])),
        Some(0.5)
    );
    assert_eq!(
        c.sections[0].items[0]
            .kind
            .score(&Answer::MultiChoice(vec!["c".into()])),
        None
    );
    assert_eq!(
        c.sections[0].items[1].kind.score(&Answer::Number(90.0)),
        Some(0.0)
    );

    // An empty selection is no answer: the item is N/A, and `answered` is false.
    let states = check_with(
        &c,
        json!({"multi": [], "shots": []}),
        None,
        Completeness::Submission,
    )
    .unwrap();
    assert_eq!(
        (&states[0], &states[4]),
        (&AnswerState::Unanswered, &AnswerState::Unanswered)
    );

    let bad = json!({"multi": ["a", "a"], "secs": 500, "remark": 5, "when": "yesterday", "shots": "x.jpg", "info": "hi", "count": 11});
    let problems = check_with(&c, bad, None, Completeness::Submission).unwrap_err();
    assert_eq!(problems.len(), 7, "{problems:#?}");
    assert!(
        problems
            .iter()
            .any(|(k, m)| k == "secs" && m.contains("above the last band"))
    );
    assert!(
        problems
            .iter()
            .any(|(k, m)| k == "info" && m.contains("display only"))
    );
    assert!(
        problems
            .iter()
            .any(|(k, m)| k == "count" && m.contains("above the maximum 10"))
    );
}
