//! Proof-of-visit plausibility: explainable flags on a submitted visit, for QA's review queue.
//!
//! Each check compares what the shopper's phone reported with what the visit should look like
//! and, when they disagree, says so in numbers: how far from the branch, how much shorter than
//! the checklist can take, how far outside the window, which photo was taken when and where,
//! how long after the visit the answers came. Flags never block a submission; QA decides.

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;
use utoipa::ToSchema;

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

/// One plausibility flag: a stable code and a sentence that says why.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ToSchema)]
pub struct Flag {
    /// `far_from_branch`, `no_location`, `too_short`, `outside_window`, `photo_time`,
    /// `photo_place` or `late_submission`.
    pub code: String,
    /// Why, with the numbers.
    pub message: String,
}

/// Where and when a photo says it was taken (read by the phone before it downscaled).
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoFact {
    /// Attachment id.
    pub id: String,
    /// Item it documents.
    pub item_key: String,
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

fn metres(m: f64) -> String {
    if m >= 1000.0 {
        format!("{:.1} km", m / 1000.0)
    } else {
        format!("{m:.0} m")
    }
}

fn span(seconds: i64) -> String {
    let s = seconds.abs();
    if s >= 86_400 {
        format!("{:.1} days", s as f64 / 86_400.0)
    } else if s >= 3600 {
        format!("{:.1} h", s as f64 / 3600.0)
    } else {
        format!("{} min", (s + 59) / 60)
    }
}

/// Every flag the facts raise, in a fixed order.
pub fn check(f: &Facts) -> Vec<Flag> {
    let mut flags = Vec::new();
    let mut flag = |code: &str, message: String| {
        flags.push(Flag {
            code: code.to_owned(),
            message,
        })
    };
    match (f.location, f.branch_location) {
        (None, _) => flag(
            "no_location",
            "the check-in has no location, so presence at the branch cannot be confirmed".into(),
        ),
        (Some(at), Some(branch)) => {
            let d = distance_m(at, branch);
            if d > MAX_CHECK_IN_DISTANCE_M {
                flag(
                    "far_from_branch",
                    format!(
                        "checked in {} from the branch (more than {})",
                        metres(d),
                        metres(MAX_CHECK_IN_DISTANCE_M)
                    ),
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
            format!(
                "the visit took {:.0} s; {} answered items need at least {needed:.0} s ({BASE_VISIT_S:.0} s + {SECONDS_PER_ITEM:.0} s per item)",
                d, f.answered_items
            ),
        );
    }
    let at = f.checked_in_at.with_timezone(&Utc);
    let (start, end) = f.window;
    if at < start {
        flag(
            "outside_window",
            format!(
                "checked in {} before the assigned window opened ({})",
                span((start - at).num_seconds()),
                start.format("%Y-%m-%d %H:%M UTC")
            ),
        );
    } else if at > end {
        flag(
            "outside_window",
            format!(
                "checked in {} after the assigned window closed ({})",
                span((at - end).num_seconds()),
                end.format("%Y-%m-%d %H:%M UTC")
            ),
        );
    }
    let visit_end = at + chrono::Duration::seconds(f.duration_s.unwrap_or(0.0).max(0.0) as i64);
    for photo in &f.photos {
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
                    format!(
                        "photo {} for '{}' was taken {} before check-in",
                        photo.id,
                        photo.item_key,
                        span((at - taken).num_seconds())
                    ),
                );
            } else if taken > visit_end + slack {
                flag(
                    "photo_time",
                    format!(
                        "photo {} for '{}' was taken {} after the visit ended",
                        photo.id,
                        photo.item_key,
                        span((taken - visit_end).num_seconds())
                    ),
                );
            }
        }
        if let (Some(place), Some(branch)) = (photo.location, f.branch_location) {
            let d = distance_m(place, branch);
            if d > MAX_PHOTO_DISTANCE_M {
                flag(
                    "photo_place",
                    format!(
                        "photo {} for '{}' was taken {} from the branch",
                        photo.id,
                        photo.item_key,
                        metres(d)
                    ),
                );
            }
        }
    }
    let delay = (f.submitted_at - at).num_seconds();
    if delay > LATE_SUBMISSION_H * 3600 {
        flag(
            "late_submission",
            format!(
                "answers submitted {} after check-in (more than {LATE_SUBMISSION_H} h)",
                span(delay)
            ),
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
            captured_at: None,
            location: None,
        });
        assert!(check(&f).is_empty());
    }
}
