//! Text per language as stored: a JSON object of BCP-47 tag → text in a TEXT column.

use std::collections::BTreeMap;

/// Text per language: BCP-47 tag → text (`{"en": "Al Olaya", "ar": "العليا"}`).
pub type Names = BTreeMap<String, String>;

/// Names from their stored JSON (an empty map if the column is damaged).
pub fn names_from_db(text: &str) -> Names {
    serde_json::from_str(text).unwrap_or_default()
}

/// Names as stored.
pub fn names_to_db(names: &Names) -> String {
    serde_json::to_string(names).unwrap_or_else(|_| "{}".to_owned())
}
