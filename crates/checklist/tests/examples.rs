//! The example checklists shipped in `examples/checklists/` are valid, complete and bilingual.

use std::collections::BTreeSet;

use sirr_checklist::{ItemKind, Severity};

use crate::support::repo;

const EXAMPLES: [&str; 3] = [
    "bank-branch-visit",
    "retail-store-visit",
    "government-service-centre-visit",
];

#[test]
fn every_example_is_valid_without_warnings_and_uses_every_feature() {
    for name in EXAMPLES {
        let path = repo().join(format!("examples/checklists/{name}.json"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let outcome = sirr_checklist::from_value(&serde_json::from_str(&text).unwrap());
        let problems: Vec<String> = outcome.problems.iter().map(ToString::to_string).collect();
        assert!(problems.is_empty(), "{name}: {problems:#?}");
        let c = outcome.checklist.unwrap();
        assert_eq!(c.key.as_str(), name);
        assert_eq!(
            c.languages.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
            ["en", "ar"]
        );

        let items: Vec<_> = c.items().map(|(_, i)| i).collect();
        assert!(items.len() >= 25, "{name}: only {} items", items.len());
        let types: BTreeSet<&str> = items.iter().map(|i| i.kind.type_name()).collect();
        assert_eq!(types.len(), 10, "{name}: types used {types:?}");
        assert!(
            items.iter().filter(|i| i.critical).count() >= 2,
            "{name}: needs two critical items"
        );
        assert!(
            items.iter().filter(|i| i.show_if.is_some()).count() >= 3,
            "{name}: needs show_if conditions"
        );
        assert!(
            items.iter().any(|i| i.weight != 1.0),
            "{name}: needs weights"
        );
        for item in items.iter().filter(|i| i.kind.is_scored()) {
            assert!(
                item.owner.is_some(),
                "{name}: scored item {} has no owner",
                item.key
            );
        }
        for item in &items {
            for lang in ["en", "ar"] {
                assert!(
                    item.text.get(lang).is_some(),
                    "{name}: {} has no {lang} text",
                    item.key
                );
                assert!(
                    item.help.get(lang).is_some() || matches!(item.kind, ItemKind::Note),
                    "{name}: {} has no {lang} help",
                    item.key
                );
            }
        }
        // Arabic text is real Arabic script.
        assert!(
            c.title
                .get("ar")
                .unwrap()
                .chars()
                .any(|ch| ('\u{0600}'..='\u{06FF}').contains(&ch))
        );
        assert!(
            outcome
                .problems
                .iter()
                .all(|p| p.severity != Severity::Error)
        );
    }
}
