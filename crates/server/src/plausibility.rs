//! Proof-of-visit plausibility: explainable flags on a submitted visit, for QA's review queue.
//!
//! Each check compares what the shopper's phone reported with what the visit should look like
//! and, when they disagree, says so in numbers: how far from the branch, how much shorter than
//! the checklist can take, how far outside the window, which photo was taken when and where,
//! how long after the visit the answers came. Flags never block a submission; QA decides.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::{Arg, Lang, Msg};
use crate::msg;

/// Check-in farther than this from the branch is flagged, in metres (GPS in a mall or a tower
/// is often off by 100–200 m).
pub const MAX_CHECK_IN_DISTANCE_M: f64 = 300.0;
/// A photo taken farther than this from the branch is flagged, in metres.
pub const MAX_PHOTO_DISTANCE_M: f64 = 500.0;
/// Seconds an honest shopper needs per answered item, plus [`BASE_VISIT_S`] to get served.
pub const SECONDS_PER_ITEM: f64 = 10.0;
/// The part of a visit that does not depend on the checklist (waiting, being served), seconds.
pub const BASE_VISIT_S: f64 = 120.0;
/// A photo taken this long before check-in or after the visit ended is flagged, in seconds.
pub const PHOTO_SLACK_S: i64 = 30 * 60;
/// Answers submitted more than this after check-in are flagged, in hours (memory fades).
pub const LATE_SUBMISSION_H: i64 = 48;

/// One plausibility flag: a stable code and a sentence that says why and what to check.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ToSchema)]
pub struct Flag {
    /// `far_from_branch`, `no_location`, `too_short`, `outside_window`, `photo_time`,
    /// `photo_place` or `late_submission`; the same in every language.
    pub code: String,
    /// Why, with the numbers, and what to check, in the reader's language (SPEC §10.31).
    pub message: String,
    /// The message to render in the reader's language: stored with the visit, never served
    /// (the handlers call [`Flag::localize`], which takes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(ignore)]
    pub text: Option<FlagText>,
}

/// A flag's message before the reader's language is known.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct FlagText {
    /// The message (`flag-…` in `locales/*/server.ftl`).
    pub msg: Msg,
    /// The text of the item a photo documents, per language (argument `item`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub item: BTreeMap<String, String>,
}

impl FlagText {
    /// The sentence in `lang`, the item named by its checklist text in that language.
    pub fn render(&self, lang: Lang) -> String {
        let mut msg = self.msg.clone();
        if !self.item.is_empty() {
            let name = self
                .item
                .get(lang.tag())
                .or_else(|| self.item.get("en"))
                .or_else(|| self.item.values().next())
                .cloned()
                .unwrap_or_default();
            msg.args.push(("item".into(), Arg::Str(name)));
        }
        msg.render(lang)
    }
}

impl Flag {
    fn new(code: &str, msg: Msg, item: BTreeMap<String, String>) -> Self {
        let text = FlagText { msg, item };
        Self {
            code: code.to_owned(),
            message: text.render(Lang::En),
            text: Some(text),
        }
    }

    /// Puts the message in `lang` and drops what it was made from (before serving the flag).
    /// A flag stored before messages were kept keeps its English sentence.
    pub fn localize(&mut self, lang: Lang) {
        if let Some(text) = self.text.take() {
            self.message = text.render(lang);
        }
    }
}

/// Puts every flag of a visit in `lang` (see [`Flag::localize`]).
pub fn localize(flags: &mut [Flag], lang: Lang) {
    for f in flags {
        f.localize(lang);
    }
}

/// Where and when a photo says it was taken (read by the phone before it downscaled).
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoFact {
    /// Attachment id.
    pub id: String,
    /// Item it documents.
    pub item_key: String,
    /// The item's text per language (`en`, `ar`), from the checklist.
    pub item_text: BTreeMap<String, String>,
    /// Capture time, RFC 3339.
    pub captured_at: Option<String>,
    /// Capture place.
    pub location: Option<(f64, f64)>,
}

/// What a submission tells about the visit.
#[derive(Debug, Clone)]
pub struct Facts {
    /// Check-in time with the shopper's offset.
    pub checked_in_at: DateTime<FixedOffset>,
    /// Check-in place, if the phone had one.
    pub location: Option<(f64, f64)>,
    /// The branch's place, if known.
    pub branch_location: Option<(f64, f64)>,
    /// How long the shopper says the visit took, in seconds.
    pub duration_s: Option<f64>,
    /// Answered items (not N/A, not hidden).
    pub answered_items: usize,
    /// The assignment's window, UTC.
    pub window: (DateTime<Utc>, DateTime<Utc>),
    /// When the answers reached the server.
    pub submitted_at: DateTime<Utc>,
    /// The visit's photos.
    pub photos: Vec<PhotoFact>,
}

/// Great-circle distance in metres (haversine, mean Earth radius).
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().min(1.0).asin()
}

/// A whole number with thousands separators (`1,229`).
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A distance as the message `distance` (`850 m`, `12.2 km`, `1,229 km`).
fn metres(m: f64) -> Msg {
    if m < 1000.0 {
        msg!("distance-m", n = m.round())
    } else if m < 100_000.0 {
        msg!("distance-km", n = format!("{:.1}", m / 1000.0))
    } else {
        msg!("distance-km", n = grouped((m / 1000.0).round() as u64))
    }
}

/// A time span as the message `span-…` (`25 min`, `1.5 h`, `3.0 days`).
fn span(seconds: i64) -> Msg {
    let s = seconds.abs();
    if s >= 86_400 {
        msg!("span-days", n = format!("{:.1}", s as f64 / 86_400.0))
    } else if s >= 3600 {
        msg!("span-hours", n = format!("{:.1}", s as f64 / 3600.0))
    } else {
        msg!("span-minutes", n = (s + 59) / 60)
    }
}

/// Every flag the facts raise, in a fixed order.
pub fn check(f: &Facts) -> Vec<Flag> {
    let mut flags = Vec::new();
    let none = BTreeMap::<String, String>::new;
    let mut flag = |code: &str, msg: Msg, item: BTreeMap<String, String>| {
        flags.push(Flag::new(code, msg, item));
    };
    match (f.location, f.branch_location) {
        (None, _) => flag("no_location", msg!("flag-no-location"), none()),
        (Some(at), Some(branch)) => {
            let d = distance_m(at, branch);
            if d > MAX_CHECK_IN_DISTANCE_M {
                flag(
                    "far_from_branch",
                    msg!(
                        "flag-far-from-branch",
                        distance = metres(d),
                        limit = metres(MAX_CHECK_IN_DISTANCE_M)
                    ),
                    none(),
                );
            }
        }
        (Some(_), None) => {}
    }
    let needed = BASE_VISIT_S + SECONDS_PER_ITEM * f.answered_items as f64;
    if let Some(d) = f.duration_s
        && d < needed
    {
        flag(
            "too_short",
            msg!(
                "flag-too-short",
                taken = d.round(),
                items = f.answered_items,
                needed = needed.round(),
                base = BASE_VISIT_S,
                per = SECONDS_PER_ITEM
            ),
            none(),
        );
    }
    let at = f.checked_in_at.with_timezone(&Utc);
    let (start, end) = f.window;
    if at < start {
        flag(
            "outside_window",
            msg!(
                "flag-before-window",
                span = span((start - at).num_seconds()),
                opened = start.format("%Y-%m-%d %H:%M UTC").to_string()
            ),
            none(),
        );
    } else if at > end {
        flag(
            "outside_window",
            msg!(
                "flag-after-window",
                span = span((at - end).num_seconds()),
                closed = end.format("%Y-%m-%d %H:%M UTC").to_string()
            ),
            none(),
        );
    }
    let visit_end = at + chrono::Duration::seconds(f.duration_s.unwrap_or(0.0).max(0.0) as i64);
    for photo in &f.photos {
        // The item by its text (its key when the checklist has none): never the photo's id.
        let mut item = photo.item_text.clone();
        item.retain(|_, t| !t.trim().is_empty());
        if item.is_empty() {
            item.insert("en".into(), photo.item_key.clone());
        }
        if let Some(taken) = photo
            .captured_at
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        {
            let taken = taken.with_timezone(&Utc);
            let slack = chrono::Duration::seconds(PHOTO_SLACK_S);
            if taken < at - slack {
                flag(
                    "photo_time",
                    msg!(
                        "flag-photo-before-check-in",
                        span = span((at - taken).num_seconds())
                    ),
                    item.clone(),
                );
            } else if taken > visit_end + slack {
                flag(
                    "photo_time",
                    msg!(
                        "flag-photo-after-visit",
                        span = span((taken - visit_end).num_seconds())
                    ),
                    item.clone(),
                );
            }
        }
        if let (Some(place), Some(branch)) = (photo.location, f.branch_location) {
            let d = distance_m(place, branch);
            if d > MAX_PHOTO_DISTANCE_M {
                flag(
                    "photo_place",
                    msg!("flag-photo-place", distance = metres(d)),
                    item.clone(),
                );
            }
        }
    }
    let delay = (f.submitted_at - at).num_seconds();
    if delay > LATE_SUBMISSION_H * 3600 {
        flag(
            "late_submission",
            msg!(
                "flag-late-submission",
                span = span(delay),
                limit = LATE_SUBMISSION_H
            ),
            none(),
        );
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        let at = DateTime::parse_from_rfc3339("2026-10-03T14:12:00+03:00").unwrap();
        Facts {
            checked_in_at: at,
            location: Some((24.7136, 46.6753)),
            branch_location: Some((24.7137, 46.6754)),
            duration_s: Some(1260.0),
            answered_items: 10,
            window: (
                DateTime::parse_from_rfc3339("2026-10-01T00:00:00Z")
                    .unwrap()
                    .to_utc(),
                DateTime::parse_from_rfc3339("2026-10-07T00:00:00Z")
                    .unwrap()
                    .to_utc(),
            ),
            submitted_at: at.to_utc() + chrono::Duration::minutes(40),
            photos: vec![PhotoFact {
                id: "p1".into(),
                item_key: "counter_clean".into(),
                item_text: [
                    ("en".to_owned(), "The counter is clean".to_owned()),
                    ("ar".to_owned(), "الكاونتر نظيف".to_owned()),
                ]
                .into(),
                captured_at: Some("2026-10-03T14:20:00+03:00".into()),
                location: Some((24.7136, 46.6753)),
            }],
        }
    }

    fn codes(f: &Facts) -> Vec<String> {
        check(f).into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn an_honest_visit_raises_nothing() {
        assert!(check(&facts()).is_empty(), "{:?}", check(&facts()));
    }

    #[test]
    fn distance_matches_a_known_pair() {
        // Riyadh to Jeddah, about 845 km as the crow flies.
        let d = distance_m((24.7136, 46.6753), (21.4858, 39.1925));
        assert!((d - 846_000.0).abs() < 5_000.0, "{d}");
    }

    #[test]
    fn each_check_says_why() {
        let mut f = facts();
        f.location = Some((24.74, 46.70));
        let flags = check(&f);
        assert_eq!(flags[0].code, "far_from_branch");
        assert!(flags[0].message.contains("km from the branch"), "{flags:?}");

        let mut f = facts();
        f.location = None;
        assert_eq!(codes(&f), ["no_location"]);

        let mut f = facts();
        f.duration_s = Some(90.0);
        let flags = check(&f);
        assert_eq!(flags[0].code, "too_short");
        assert!(flags[0].message.contains("90 s"), "{flags:?}");
        assert!(flags[0].message.contains("220 s"), "{flags:?}");

        let mut f = facts();
        f.window.1 = DateTime::parse_from_rfc3339("2026-10-02T00:00:00Z")
            .unwrap()
            .to_utc();
        let flags = check(&f);
        assert_eq!(flags[0].code, "outside_window");
        assert!(
            flags[0]
                .message
                .contains("after the assigned window closed")
        );

        let mut f = facts();
        f.photos[0].captured_at = Some("2026-09-30T10:00:00+03:00".into());
        f.photos[0].location = Some((24.80, 46.70));
        assert_eq!(codes(&f), ["photo_time", "photo_place"]);

        let mut f = facts();
        f.submitted_at = f.checked_in_at.to_utc() + chrono::Duration::days(3);
        let flags = check(&f);
        assert_eq!(flags[0].code, "late_submission");
        assert!(flags[0].message.contains("3.0 days"), "{flags:?}");
    }

    #[test]
    fn a_photo_taken_during_the_visit_or_without_metadata_is_fine() {
        let mut f = facts();
        f.photos[0].captured_at = Some("2026-10-03T14:30:00+03:00".into());
        f.photos.push(PhotoFact {
            id: "p2".into(),
            item_key: "receipt".into(),
            item_text: BTreeMap::new(),
            captured_at: None,
            location: None,
        });
        assert!(check(&f).is_empty());
    }
}
