//! Language names in XLSForm column headers (`label::Arabic (ar)`, `label:english`, `label::EN`).

use crate::key::LangTag;

use super::reason::SheetReason;

const NAMES: &[(&str, &str)] = &[
    ("english", "en"),
    ("arabic", "ar"),
    ("french", "fr"),
    ("spanish", "es"),
    ("portuguese", "pt"),
    ("chinese", "zh"),
    ("hindi", "hi"),
    ("urdu", "ur"),
    ("swahili", "sw"),
    ("german", "de"),
    ("italian", "it"),
    ("turkish", "tr"),
    ("persian", "fa"),
    ("farsi", "fa"),
    ("russian", "ru"),
    ("indonesian", "id"),
    ("malay", "ms"),
    ("bengali", "bn"),
    ("amharic", "am"),
    ("somali", "so"),
    ("hausa", "ha"),
    ("yoruba", "yo"),
    ("tagalog", "tl"),
    ("dutch", "nl"),
    ("japanese", "ja"),
    ("korean", "ko"),
    ("thai", "th"),
    ("vietnamese", "vi"),
    ("hebrew", "he"),
    ("greek", "el"),
    ("polish", "pl"),
    ("kurdish", "ku"),
    ("pashto", "ps"),
    ("nepali", "ne"),
    ("burmese", "my"),
    ("tigrinya", "ti"),
    ("oromo", "om"),
    ("ukrainian", "uk"),
    ("romanian", "ro"),
    ("czech", "cs"),
];

/// The English name of a language code from the table (`en` → `English`), for column headers.
pub fn name_of(code: &str) -> Option<String> {
    let (name, _) = NAMES.iter().find(|(_, c)| *c == code)?;
    let mut chars = name.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// Maps an XLSForm language label to a BCP-47 tag: `English (en)` → `en`, `english` → `en`,
/// `EN` → `en`. Returns what is wrong when the label cannot be mapped.
pub fn parse(label: &str) -> Result<LangTag, SheetReason> {
    let label = label.trim();
    // "Name (code)": the code in parentheses decides.
    if let Some(open) = label.rfind('(')
        && let Some(code) = label[open + 1..].strip_suffix(')')
    {
        return LangTag::parse(code.trim()).map_err(|_| SheetReason::Language {
            label: label.to_owned(),
            code: Some(code.trim().to_owned()),
        });
    }
    let lower = label.to_lowercase();
    if let Some((_, code)) = NAMES.iter().find(|(name, _)| *name == lower) {
        return LangTag::parse(code).map_err(|_| SheetReason::Language {
            label: label.to_owned(),
            code: Some((*code).to_owned()),
        });
    }
    // A bare code such as "EN", "ar" or "ar-SA".
    let (primary, rest) = label
        .split_once('-')
        .map_or((label, None), |(p, r)| (p, Some(r)));
    if (2..=3).contains(&primary.len()) {
        let code = match rest {
            Some(rest) => format!("{}-{rest}", primary.to_lowercase()),
            None => primary.to_lowercase(),
        };
        if let Ok(tag) = LangTag::parse(&code) {
            return Ok(tag);
        }
    }
    Err(SheetReason::Language {
        label: label.to_owned(),
        code: None,
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn maps_common_spellings() {
        for (label, tag) in [
            ("English (en)", "en"),
            ("Arabic (ar)", "ar"),
            ("english", "en"),
            ("EN", "en"),
            ("Chinese", "zh"),
            ("French", "fr"),
            ("ar-SA", "ar-SA"),
        ] {
            assert_eq!(parse(label).unwrap().as_str(), tag, "{label}");
        }
        assert!(parse("Klingonese").is_err());
        for (_, code) in super::NAMES {
            let name = super::name_of(code).unwrap();
            assert_eq!(parse(&name).unwrap().as_str(), *code, "{name}");
        }
    }
}
