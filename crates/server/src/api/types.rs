//! Shared wire types and their checks: names per language, codes, locations.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::Detail;

pub use sirr_store::names::{Names, names_from_db, names_to_db};

/// A point on the map.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Latitude, −90..90.
    pub lat: f64,
    /// Longitude, −180..180.
    pub lon: f64,
}

/// Problems with a names object at `path`.
pub fn check_names(path: &str, names: &Names, problems: &mut Vec<Detail>) {
    if names.is_empty() {
        problems.push(detail(path, crate::msg!("names-missing")));
    }
    for (lang, text) in names {
        if sirr_checklist::LangTag::parse(lang).is_err() {
            problems.push(detail(
                &format!("{path}/{lang}"),
                crate::msg!("language-tag-invalid"),
            ));
        }
        if text.trim().is_empty() {
            problems.push(detail(
                &format!("{path}/{lang}"),
                crate::msg!("field-required"),
            ));
        }
    }
}

/// Problems with an organisation code (`RUH-017`, SPEC §9.2).
pub fn check_code(path: &str, code: &str, problems: &mut Vec<Detail>) {
    if !sirr_scoring::visit::is_valid_code(code) {
        problems.push(detail(path, crate::msg!("code-invalid")));
    }
}

/// Problems with a location.
pub fn check_location(path: &str, location: &Location, problems: &mut Vec<Detail>) {
    if !(-90.0..=90.0).contains(&location.lat) {
        problems.push(detail(
            &format!("{path}/lat"),
            crate::msg!("latitude-range"),
        ));
    }
    if !(-180.0..=180.0).contains(&location.lon) {
        problems.push(detail(
            &format!("{path}/lon"),
            crate::msg!("longitude-range"),
        ));
    }
}

pub use crate::error::detail;

/// A time as sent: RFC 3339 in UTC.
pub use sirr_store::rfc3339 as time;

/// A 200 answer whose body is already JSON text (the directory's ready-made arrays).
pub fn json_array(body: String) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .body(body)
}

/// A checklist version.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistRef {
    /// Checklist key.
    pub key: String,
    /// Version.
    pub version: i32,
}

/// A scenario as stored: its key, and the brief the shopper reads (`{}` when none).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Key (`card-enquiry`): what visits and exports carry.
    pub code: String,
    /// The brief per language (`en`, `ar`; both or neither, at most 2,000 characters each).
    #[serde(default)]
    pub brief: Names,
}

/// A campaign's scenarios from their stored JSON: the list of keys of campaigns planned before
/// briefs, or the list of scenarios (an empty list if the column is damaged).
pub fn scenarios_from_db(text: &str) -> Vec<Scenario> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Code(String),
        Full(Scenario),
    }
    serde_json::from_str::<Vec<Stored>>(text)
        .unwrap_or_default()
        .into_iter()
        .map(|s| match s {
            Stored::Code(code) => Scenario {
                code,
                brief: Names::new(),
            },
            Stored::Full(s) => s,
        })
        .collect()
}

/// The raw bytes of a file.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(pub Vec<u8>);
