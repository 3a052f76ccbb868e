//! Validated identifiers: checklist, section and item keys, and language tags.
//!
//! Keys are parsed once at the boundary; code holding a `ItemKey` knows it is well formed.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Is `s` a valid checklist, section or item key (`[a-z0-9][a-z0-9_-]*`, SPEC §9.2)?
pub fn is_valid_key(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// The reason a key was refused, in plain words.
pub const KEY_RULE: &str =
    "must start with a lower-case letter or digit and contain only a-z, 0-9, '_' and '-'";

macro_rules! key_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Parses a key, refusing anything outside `[a-z0-9][a-z0-9_-]*`.
            pub fn parse(s: &str) -> Result<Self, String> {
                if is_valid_key(s) {
                    Ok(Self(s.to_owned()))
                } else {
                    Err(format!("{s:?} is not a valid key: it {KEY_RULE}"))
                }
            }

            /// The key as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

key_type!(
    /// The stable key of a checklist (`bank-branch-visit`).
    ChecklistKey
);
key_type!(
    /// The key of a section, unique within its checklist.
    SectionKey
);
key_type!(
    /// The key of an item, unique within its checklist across all sections.
    ItemKey
);

/// A BCP-47 language tag such as `en`, `ar` or `ar-SA` (checked for shape, not against a registry).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LangTag(String);

impl LangTag {
    /// Parses a tag: a 2–8 letter primary subtag, then `-`-separated alphanumeric subtags of 1–8.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut parts = s.split('-');
        let primary_ok = parts.next().is_some_and(|p| {
            (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic())
        });
        let rest_ok = parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
        if primary_ok && rest_ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(format!(
                "{s:?} is not a BCP-47 language tag (for example en, ar, ar-SA)"
            ))
        }
    }

    /// The tag as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Is this a right-to-left language (Arabic, Persian, Urdu, Hebrew, …)?
    pub fn is_rtl(&self) -> bool {
        let primary = self
            .0
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        matches!(
            primary.as_str(),
            "ar" | "fa" | "ur" | "he" | "ps" | "sd" | "ckb" | "dv" | "yi"
        )
    }
}

impl fmt::Display for LangTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for LangTag {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Serialize for LangTag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_spec_pattern() {
        for ok in ["a", "greeted_30s", "0day", "bank-branch-visit"] {
            assert!(is_valid_key(ok), "{ok}");
        }
        for bad in ["", "_a", "-a", "Greeted", "a b", "a.b", "مرحبا"] {
            assert!(!is_valid_key(bad), "{bad}");
        }
    }

    #[test]
    fn language_tags() {
        assert!(LangTag::parse("ar").is_ok_and(|t| t.is_rtl()));
        assert!(LangTag::parse("ar-SA").is_ok_and(|t| t.is_rtl()));
        assert!(LangTag::parse("en").is_ok_and(|t| !t.is_rtl()));
        assert!(LangTag::parse("zh-Hant-TW").is_ok());
        assert!(LangTag::parse("e").is_err());
        assert!(LangTag::parse("English").is_ok()); // shape only; registry checks are not our job
        assert!(LangTag::parse("en_US").is_err());
    }
}
