//! The checklist definition model (SPEC §3): plain data, serialisable to the canonical JSON form.
//!
//! Values are built by [`crate::load`] (JSON/YAML) or [`crate::xlsform`], both of which validate.
//! Serialisation omits fields that hold their default, so the canonical form — and with it the
//! content hash — does not change when a document spells out a default.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::condition::Expr;
use crate::key::{ChecklistKey, ItemKey, LangTag, SectionKey};

/// Text in several languages, keyed by BCP-47 tag.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct LocalizedText(pub BTreeMap<LangTag, String>);

impl LocalizedText {
    /// The text in `lang`, falling back to the first language that has one.
    pub fn get_or_any(&self, lang: &str) -> Option<&str> {
        self.0
            .get(lang)
            .or_else(|| self.0.values().next())
            .map(String::as_str)
    }

    /// The text in exactly `lang`.
    pub fn get(&self, lang: &str) -> Option<&str> {
        self.0.get(lang).map(String::as_str)
    }

    /// True when no language has text.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What a failed critical item does to the visit score.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum CriticalRule {
    /// The visit scores 0.
    #[default]
    Zero,
    /// The visit score is capped: `min(score, cap)`.
    Cap(f64),
}

impl Serialize for CriticalRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            CriticalRule::Zero => s.serialize_str("zero"),
            CriticalRule::Cap(cap) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("cap", cap)?;
                map.end()
            }
        }
    }
}

/// A versioned checklist: sections of items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Checklist {
    /// Stable key shared by all versions.
    pub key: ChecklistKey,
    /// Version number, ≥ 1.
    pub version: u32,
    /// Languages the checklist is written in; the first is the default.
    pub languages: Vec<LangTag>,
    /// Title per language.
    pub title: LocalizedText,
    /// Optional description per language.
    #[serde(skip_serializing_if = "LocalizedText::is_empty")]
    pub description: LocalizedText,
    /// What a failed critical item does.
    #[serde(skip_serializing_if = "is_default_rule")]
    pub critical_rule: CriticalRule,
    /// The sections, in display order.
    pub sections: Vec<Section>,
}

fn is_default_rule(rule: &CriticalRule) -> bool {
    *rule == CriticalRule::Zero
}

fn is_one(w: &f64) -> bool {
    *w == 1.0
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A section: a titled, weighted group of items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Key, unique within the checklist.
    pub key: SectionKey,
    /// Title per language.
    pub title: LocalizedText,
    /// Weight in the visit score (default 1, > 0).
    #[serde(skip_serializing_if = "is_one")]
    pub weight: f64,
    /// The items, in display order.
    pub items: Vec<Item>,
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// Key, unique within the checklist.
    pub key: ItemKey,
    /// The item type and its type-specific settings.
    #[serde(flatten)]
    pub kind: ItemKind,
    /// The question or observable behaviour, per language.
    pub text: LocalizedText,
    /// "What good looks like" guidance, per language.
    #[serde(skip_serializing_if = "LocalizedText::is_empty")]
    pub help: LocalizedText,
    /// Weight in its section (default 1, > 0).
    #[serde(skip_serializing_if = "is_one")]
    pub weight: f64,
    /// A failed critical item triggers the checklist's critical rule.
    #[serde(skip_serializing_if = "is_false")]
    pub critical: bool,
    /// May be answered `"na"`.
    #[serde(skip_serializing_if = "is_false")]
    pub na_allowed: bool,
    /// Must be answered when shown.
    #[serde(skip_serializing_if = "is_false")]
    pub required: bool,
    /// Shown only when this condition over earlier answers holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Expr>,
    /// Photo evidence rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    /// The function that owns a systemic failure of this item (operations, training, IT, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Free-form tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// When a photo must accompany an item's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The photo rule.
    pub photo: PhotoRule,
}

/// Photo evidence rule (SPEC §9.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhotoRule {
    /// Always required when the item is shown and answered.
    Required,
    /// Required when the item scores 0.
    OnFail,
}

/// A score band for `number` and `duration` items: values up to `max` (inclusive) score `score`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Band {
    /// Upper bound (inclusive); `None` catches every larger value and must come last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Score in [0, 1].
    pub score: f64,
}

/// An option of a `choice` or `multi_choice` item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceOption {
    /// The answer value.
    pub key: String,
    /// Score in [0, 1]; `None` makes the option unscored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Label per language (the key is shown when missing).
    #[serde(skip_serializing_if = "LocalizedText::is_empty")]
    pub text: LocalizedText,
}

/// Settings of a numeric (`number` or `duration`) item.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Measure {
    /// Score bands in ascending `max`; `None` makes the item unscored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bands: Option<Vec<Band>>,
    /// Smallest allowed answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest allowed answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// The item type with its type-specific settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ItemKind {
    /// Answered `yes` (1) or `no` (0).
    YesNo,
    /// An integer in `min..=max`, scored `(v − min)/(max − min)`.
    Scale {
        /// Lowest value.
        min: i64,
        /// Highest value.
        max: i64,
    },
    /// One option.
    Choice {
        /// The options.
        options: Vec<ChoiceOption>,
    },
    /// Any number of options; scored as the mean of the selected scored options.
    MultiChoice {
        /// The options.
        options: Vec<ChoiceOption>,
    },
    /// A number scored by bands.
    Number(Measure),
    /// A duration in seconds scored by bands.
    Duration(Measure),
    /// Free text (unscored).
    Text,
    /// Photos as evidence (unscored).
    Photo,
    /// A date and time (RFC 3339, unscored).
    Timestamp,
    /// Display only; never answered.
    Note,
}

impl ItemKind {
    /// The `type` name used in documents.
    pub fn type_name(&self) -> &'static str {
        match self {
            ItemKind::YesNo => "yes_no",
            ItemKind::Scale { .. } => "scale",
            ItemKind::Choice { .. } => "choice",
            ItemKind::MultiChoice { .. } => "multi_choice",
            ItemKind::Number(_) => "number",
            ItemKind::Duration(_) => "duration",
            ItemKind::Text => "text",
            ItemKind::Photo => "photo",
            ItemKind::Timestamp => "timestamp",
            ItemKind::Note => "note",
        }
    }

    /// The options of a choice item, if it has any.
    pub fn options(&self) -> Option<&[ChoiceOption]> {
        match self {
            ItemKind::Choice { options } | ItemKind::MultiChoice { options } => Some(options),
            _ => None,
        }
    }

    /// Can an answer to this item ever produce a score (as opposed to always N/A)?
    pub fn is_scored(&self) -> bool {
        match self {
            ItemKind::YesNo | ItemKind::Scale { .. } => true,
            ItemKind::Choice { options } | ItemKind::MultiChoice { options } => {
                options.iter().any(|o| o.score.is_some())
            }
            ItemKind::Number(m) | ItemKind::Duration(m) => m.bands.is_some(),
            ItemKind::Text | ItemKind::Photo | ItemKind::Timestamp | ItemKind::Note => false,
        }
    }

    /// Can some valid answer score 0 (so that a critical item can fail)?
    pub fn can_score_zero(&self) -> bool {
        match self {
            ItemKind::YesNo | ItemKind::Scale { .. } => true,
            ItemKind::Choice { options } | ItemKind::MultiChoice { options } => {
                options.iter().any(|o| o.score == Some(0.0))
            }
            ItemKind::Number(m) | ItemKind::Duration(m) => m
                .bands
                .as_ref()
                .is_some_and(|bands| bands.iter().any(|b| b.score == 0.0)),
            ItemKind::Text | ItemKind::Photo | ItemKind::Timestamp | ItemKind::Note => false,
        }
    }
}

impl Measure {
    /// The score of `value` by the bands: the first band whose `max` is ≥ `value`, else the
    /// catch-all. `None` when unscored or when the value lies above every band.
    pub fn band_score(&self, value: f64) -> Option<f64> {
        self.bands
            .as_ref()?
            .iter()
            .find(|b| b.max.is_none_or(|max| value <= max))
            .map(|b| b.score)
    }
}

impl Checklist {
    /// All items in document order, with their section index.
    pub fn items(&self) -> impl Iterator<Item = (usize, &Item)> {
        self.sections
            .iter()
            .enumerate()
            .flat_map(|(si, s)| s.items.iter().map(move |item| (si, item)))
    }

    /// The item with this key.
    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items().map(|(_, i)| i).find(|i| i.key.as_str() == key)
    }

    /// The default (first) language.
    pub fn default_language(&self) -> &str {
        self.languages.first().map(LangTag::as_str).unwrap_or("en")
    }
}
