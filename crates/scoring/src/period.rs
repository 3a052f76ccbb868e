//! Reporting periods of visits: months, quarters and ISO 8601 weeks (SPEC §9.14).
//!
//! A visit belongs to the period of its own **local** date: the date written in its RFC 3339
//! `visited_at`, interpreted with the offset it carries. `2026-12-31T23:30:00-05:00` is in
//! December 2026 even though it is already January in UTC. No timezone database is involved.
//!
//! Labels are `YYYY-MM` (month), `YYYY-Qn` (quarter) and `YYYY-Www` (ISO week, with the ISO
//! week-numbering year, so `2027-01-01` is in `2026-W53` and `2024-12-30` in `2025-W01`). Labels
//! of one kind sort chronologically as plain strings.
//!
//! ```
//! use sirr_scoring::period::{label, local_date, previous, PeriodKind};
//! let d = local_date("2027-01-01T09:30:00+03:00").unwrap();
//! assert_eq!(label(&d, PeriodKind::Week), "2026-W53");
//! assert_eq!(label(&d, PeriodKind::Quarter), "2027-Q1");
//! assert_eq!(previous("2027-01").unwrap(), "2026-12");
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The length of a reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodKind {
    /// ISO 8601 week (Monday to Sunday), labelled `YYYY-Www` with the ISO week-numbering year.
    Week,
    /// Calendar month, labelled `YYYY-MM`.
    Month,
    /// Calendar quarter, labelled `YYYY-Qn` (`n` = 1..=4).
    Quarter,
}

impl PeriodKind {
    /// The lowercase name: `"week"`, `"month"` or `"quarter"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Week => "week",
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
        }
    }
}

impl fmt::Display for PeriodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PeriodKind {
    type Err = String;

    /// Parses `"week"`, `"month"` or `"quarter"` (exactly, lowercase).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "week" => Ok(PeriodKind::Week),
            "month" => Ok(PeriodKind::Month),
            "quarter" => Ok(PeriodKind::Quarter),
            other => Err(format!(
                "expected a period kind \"week\", \"month\" or \"quarter\", found {other:?}"
            )),
        }
    }
}

/// The local date and time written in an RFC 3339 timestamp, with its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LocalDateTime {
    /// Calendar year (0000..=9999).
    pub year: i32,
    /// Month, 1..=12.
    pub month: u32,
    /// Day of the month, 1..=31.
    pub day: u32,
    /// Hour, 0..=23.
    pub hour: u32,
    /// Minute, 0..=59.
    pub minute: u32,
    /// Second, 0..=60 (60 only for a leap second); fractions are dropped.
    pub second: u32,
    /// ISO weekday of the local date: Monday = 1 … Sunday = 7.
    pub weekday: u32,
    /// Offset from UTC in minutes (`+03:00` → 180, `Z` → 0).
    pub offset_minutes: i32,
}

impl LocalDateTime {
    /// The quarter of the local date, 1..=4.
    #[must_use]
    pub fn quarter(&self) -> u32 {
        (self.month - 1) / 3 + 1
    }

    /// The ISO 8601 week-numbering year and week (1..=53) of the local date.
    #[must_use]
    pub fn iso_week(&self) -> (i32, u32) {
        iso_week(self.year, self.month, self.day)
    }
}

/// Parses an RFC 3339 timestamp and returns the local date and time it writes, with its weekday
/// and offset.
///
/// The string is validated strictly (see [`sirr_checklist::answer::is_rfc3339`]): field ranges,
/// real calendar dates (leap years included) and an explicit `Z` or `±HH:MM` offset.
///
/// # Errors
/// A message quoting the string when it is not a valid RFC 3339 date-time.
pub fn local_date(visited_at: &str) -> Result<LocalDateTime, String> {
    let invalid = || {
        format!(
            "expected an RFC 3339 date-time such as \"2026-10-03T14:12:00+03:00\", found {visited_at:?}"
        )
    };
    if !sirr_checklist::answer::is_rfc3339(visited_at) {
        return Err(invalid());
    }
    let num = |from: usize, to: usize| -> Result<u32, String> {
        visited_at
            .get(from..to)
            .and_then(|s| s.parse::<u32>().ok())
            .ok_or_else(invalid)
    };
    let year = i32::try_from(num(0, 4)?).map_err(|_| invalid())?;
    let (month, day) = (num(5, 7)?, num(8, 10)?);
    let (hour, minute, second) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    // The offset is the last six characters unless the string ends in Z.
    let offset_minutes = if visited_at.ends_with(['Z', 'z']) {
        0
    } else {
        let len = visited_at.len();
        let sign = match visited_at.as_bytes().get(len - 6) {
            Some(b'-') => -1,
            _ => 1,
        };
        let h = i32::try_from(num(len - 5, len - 3)?).map_err(|_| invalid())?;
        let m = i32::try_from(num(len - 2, len)?).map_err(|_| invalid())?;
        sign * (h * 60 + m)
    };
    Ok(LocalDateTime {
        year,
        month,
        day,
        hour,
        minute,
        second,
        weekday: weekday(days_from_civil(year, month, day)),
        offset_minutes,
    })
}

/// The label of the period of `kind` containing the local date of `date`.
///
/// `YYYY-MM`, `YYYY-Qn`, or `YYYY-Www` with the ISO week-numbering year.
#[must_use]
pub fn label(date: &LocalDateTime, kind: PeriodKind) -> String {
    match kind {
        PeriodKind::Month => month_label(date.year, date.month),
        PeriodKind::Quarter => quarter_label(date.year, date.quarter()),
        PeriodKind::Week => {
            let (y, w) = date.iso_week();
            week_label(y, w)
        }
    }
}

/// The label of the period of `kind` containing the local date of the RFC 3339 `visited_at`.
///
/// # Errors
/// As [`local_date`].
pub fn period_of(visited_at: &str, kind: PeriodKind) -> Result<String, String> {
    Ok(label(&local_date(visited_at)?, kind))
}

/// Parses a period label of any kind and returns its kind and canonical form.
///
/// Accepts `YYYY-MM` (month 01..=12), `YYYY-Qn` (quarter 1..=4) and `YYYY-Www` (week 01..=53,
/// and week 53 only in years that have one). The `Q`/`W` may be lowercase; the canonical form
/// returned uses uppercase.
///
/// # Errors
/// A message quoting the input when it is not a valid label.
pub fn parse_label(s: &str) -> Result<(PeriodKind, String), String> {
    let (kind, year, n) = parse_parts(s)?;
    Ok((kind, format_label(kind, year, n)))
}

/// The label of the period just before `label` (same kind), across year boundaries:
/// `2026-01` → `2025-12`, `2026-Q1` → `2025-Q4`, `2027-W01` → `2026-W53`.
///
/// # Errors
/// When `label` is not a valid label, or for the first period of year 0000.
pub fn previous(label: &str) -> Result<String, String> {
    let (kind, year, n) = parse_parts(label)?;
    let (year, n) = if n > 1 {
        (year, n - 1)
    } else {
        let y = year - 1;
        let last = match kind {
            PeriodKind::Month => 12,
            PeriodKind::Quarter => 4,
            PeriodKind::Week => weeks_in_year(y),
        };
        (y, last)
    };
    if year < 0 {
        return Err(format!("there is no period before {label:?}"));
    }
    Ok(format_label(kind, year, n))
}

/// The label of the period just after `label` (same kind), across year boundaries:
/// `2025-12` → `2026-01`, `2025-Q4` → `2026-Q1`, `2026-W53` → `2027-W01`.
///
/// # Errors
/// When `label` is not a valid label, or for the last period of year 9999.
pub fn next(label: &str) -> Result<String, String> {
    let (kind, year, n) = parse_parts(label)?;
    let last = match kind {
        PeriodKind::Month => 12,
        PeriodKind::Quarter => 4,
        PeriodKind::Week => weeks_in_year(year),
    };
    let (year, n) = if n < last {
        (year, n + 1)
    } else {
        (year + 1, 1)
    };
    if year > 9999 {
        return Err(format!("there is no period after {label:?}"));
    }
    Ok(format_label(kind, year, n))
}

/// The first and last local dates (`YYYY-MM-DD`, inclusive) of the period `label`.
///
/// Dates of one format compare chronologically as strings, so a visit is in the period when its
/// local date `d` satisfies `first <= d && d <= last`. The ISO weeks that straddle the ends of
/// the RFC 3339 range (0000-01-01 to 9999-12-31) are cut at those dates.
///
/// # Errors
/// When `label` is not a valid label.
pub fn bounds(label: &str) -> Result<(String, String), String> {
    let (kind, year, n) = parse_parts(label)?;
    let (first, last) = match kind {
        PeriodKind::Month => (
            days_from_civil(year, n, 1),
            days_from_civil(year, n, days_in_month(year, n)),
        ),
        PeriodKind::Quarter => {
            let (m1, m3) = (3 * n - 2, 3 * n);
            (
                days_from_civil(year, m1, 1),
                days_from_civil(year, m3, days_in_month(year, m3)),
            )
        }
        PeriodKind::Week => {
            let monday = week_one_monday(year) + 7 * (i64::from(n) - 1);
            (monday, monday + 6)
        }
    };
    // RFC 3339 dates lie in 0000..=9999; an ISO week at either end is cut at that range, which
    // keeps the bounds comparable as strings.
    let range = days_from_civil(0, 1, 1)..=days_from_civil(9999, 12, 31);
    let clamp = |d: i64| d.clamp(*range.start(), *range.end());
    Ok((format_date(clamp(first)), format_date(clamp(last))))
}

// ---------------------------------------------------------------------------------------------
// Labels

fn month_label(year: i32, month: u32) -> String {
    format!("{year:04}-{month:02}")
}

fn quarter_label(year: i32, quarter: u32) -> String {
    format!("{year:04}-Q{quarter}")
}

fn week_label(year: i32, week: u32) -> String {
    format!("{year:04}-W{week:02}")
}

fn format_label(kind: PeriodKind, year: i32, n: u32) -> String {
    match kind {
        PeriodKind::Month => month_label(year, n),
        PeriodKind::Quarter => quarter_label(year, n),
        PeriodKind::Week => week_label(year, n),
    }
}

/// Splits a label into kind, year and the month, quarter or week number, validating ranges.
fn parse_parts(s: &str) -> Result<(PeriodKind, i32, u32), String> {
    let invalid = || {
        format!(
            "expected a period such as \"2026-10\" (month), \"2026-Q4\" (quarter) or \"2026-W40\" (ISO week), found {s:?}"
        )
    };
    let digits = |part: &str| -> Option<u32> {
        if !part.is_empty() && part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (year_part, rest) = s.split_once('-').ok_or_else(invalid)?;
    if year_part.len() != 4 {
        return Err(invalid());
    }
    let year = digits(year_part)
        .and_then(|y| i32::try_from(y).ok())
        .ok_or_else(invalid)?;
    let bytes = rest.as_bytes();
    match bytes.first() {
        Some(b'Q' | b'q') if rest.len() == 2 => {
            let q = digits(&rest[1..]).ok_or_else(invalid)?;
            if !(1..=4).contains(&q) {
                return Err(format!("quarter must be 1 to 4 in {s:?}"));
            }
            Ok((PeriodKind::Quarter, year, q))
        }
        Some(b'W' | b'w') if rest.len() == 3 => {
            let w = digits(&rest[1..]).ok_or_else(invalid)?;
            let max = weeks_in_year(year);
            if w < 1 || w > max {
                return Err(format!(
                    "week must be 01 to {max:02} in {s:?} ({year:04} has {max} ISO weeks)"
                ));
            }
            Ok((PeriodKind::Week, year, w))
        }
        Some(b'0'..=b'9') if rest.len() == 2 => {
            let m = digits(rest).ok_or_else(invalid)?;
            if !(1..=12).contains(&m) {
                return Err(format!("month must be 01 to 12 in {s:?}"));
            }
            Ok((PeriodKind::Month, year, m))
        }
        _ => Err(invalid()),
    }
}

// ---------------------------------------------------------------------------------------------
// Proleptic Gregorian calendar arithmetic (days counted from 1970-01-01).

fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // The ranges are bounded (day ≤ 31, month ≤ 12); the year fits for any date a label can name.
    (
        i32::try_from(year).unwrap_or(i32::MAX),
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// ISO weekday (Monday = 1 … Sunday = 7) of a day count; 1970-01-01 was a Thursday.
fn weekday(days: i64) -> u32 {
    // rem_euclid(7) is in 0..7, so the conversion cannot fail.
    u32::try_from((days + 3).rem_euclid(7)).unwrap_or(0) + 1
}

/// The day count of the Monday of ISO week 1 of `year` (the week containing January 4th).
fn week_one_monday(year: i32) -> i64 {
    let jan4 = days_from_civil(year, 1, 4);
    jan4 - i64::from(weekday(jan4) - 1)
}

/// Number of ISO weeks (52 or 53) in the ISO week-numbering year `year`.
fn weeks_in_year(year: i32) -> u32 {
    let jan1 = weekday(days_from_civil(year, 1, 1));
    if jan1 == 4 || (jan1 == 3 && is_leap(year)) {
        53
    } else {
        52
    }
}

/// ISO week-numbering year and week of a date.
fn iso_week(year: i32, month: u32, day: u32) -> (i32, u32) {
    let days = days_from_civil(year, month, day);
    let ordinal = days - days_from_civil(year, 1, 1) + 1;
    let week = (ordinal - i64::from(weekday(days)) + 10).div_euclid(7);
    if week < 1 {
        (year - 1, weeks_in_year(year - 1))
    } else if week > i64::from(weeks_in_year(year)) {
        (year + 1, 1)
    } else {
        // 1 ≤ week ≤ 53 here.
        (year, u32::try_from(week).unwrap_or(1))
    }
}

fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// (local date, ISO weekday, ISO week label, quarter label), checked against Python's
    /// `datetime.date.isocalendar()`.
    const DATES: &[(&str, u32, &str, &str)] = &[
        ("2026-10-03", 6, "2026-W40", "2026-Q4"),
        ("2026-12-31", 4, "2026-W53", "2026-Q4"),
        ("2027-01-01", 5, "2026-W53", "2027-Q1"),
        ("2027-01-03", 7, "2026-W53", "2027-Q1"),
        ("2027-01-04", 1, "2027-W01", "2027-Q1"),
        ("2024-12-30", 1, "2025-W01", "2024-Q4"),
        ("2024-12-29", 7, "2024-W52", "2024-Q4"),
        ("2024-02-29", 4, "2024-W09", "2024-Q1"),
        ("2023-02-28", 2, "2023-W09", "2023-Q1"),
        ("2023-03-01", 3, "2023-W09", "2023-Q1"),
        ("2021-01-03", 7, "2020-W53", "2021-Q1"),
        ("2021-01-04", 1, "2021-W01", "2021-Q1"),
        ("2020-12-31", 4, "2020-W53", "2020-Q4"),
        ("2008-12-29", 1, "2009-W01", "2008-Q4"),
        ("2010-01-03", 7, "2009-W53", "2010-Q1"),
        ("2005-01-01", 6, "2004-W53", "2005-Q1"),
        ("2000-02-29", 2, "2000-W09", "2000-Q1"),
        ("2000-01-01", 6, "1999-W52", "2000-Q1"),
        ("1900-03-01", 4, "1900-W09", "1900-Q1"),
        ("1999-12-31", 5, "1999-W52", "1999-Q4"),
        ("2015-12-31", 4, "2015-W53", "2015-Q4"),
        ("2016-01-03", 7, "2015-W53", "2016-Q1"),
        ("2032-12-31", 5, "2032-W53", "2032-Q4"),
        ("2037-12-31", 4, "2037-W53", "2037-Q4"),
        ("2100-02-28", 7, "2100-W08", "2100-Q1"),
        ("2100-03-01", 1, "2100-W09", "2100-Q1"),
        ("1970-01-01", 4, "1970-W01", "1970-Q1"),
        ("2026-01-01", 4, "2026-W01", "2026-Q1"),
        ("2026-06-15", 1, "2026-W25", "2026-Q2"),
        ("2019-12-30", 1, "2020-W01", "2019-Q4"),
        ("2018-12-31", 1, "2019-W01", "2018-Q4"),
        ("2400-02-29", 2, "2400-W09", "2400-Q1"),
        ("1600-01-01", 6, "1599-W52", "1600-Q1"),
        ("9999-12-31", 5, "9999-W52", "9999-Q4"),
        ("0001-01-01", 1, "0001-W01", "0001-Q1"),
        ("2026-03-31", 2, "2026-W14", "2026-Q1"),
        ("2026-04-01", 3, "2026-W14", "2026-Q2"),
        ("2026-09-30", 3, "2026-W40", "2026-Q3"),
        ("2026-07-01", 3, "2026-W27", "2026-Q3"),
    ];

    #[test]
    fn real_dates() {
        for &(date, wd, week, quarter) in DATES {
            let d = local_date(&format!("{date}T12:00:00Z")).unwrap();
            assert_eq!(d.weekday, wd, "{date}");
            assert_eq!(label(&d, PeriodKind::Week), week, "{date}");
            assert_eq!(label(&d, PeriodKind::Quarter), quarter, "{date}");
            assert_eq!(label(&d, PeriodKind::Month), date[..7], "{date}");
            for l in [week, quarter, &date[..7]] {
                assert_eq!(parse_label(l).unwrap().1, l);
            }
            let (first, last) = bounds(week).unwrap();
            assert!(
                first.as_str() <= date && date <= last.as_str(),
                "{date} in {week}"
            );
        }
    }

    #[test]
    fn local_date_uses_the_written_date_and_offset() {
        let d = local_date("2026-10-03T14:12:00+03:00").unwrap();
        assert_eq!(
            d,
            LocalDateTime {
                year: 2026,
                month: 10,
                day: 3,
                hour: 14,
                minute: 12,
                second: 0,
                weekday: 6,
                offset_minutes: 180,
            }
        );
        // Already January in UTC, but the visit happened on New Year's Eve locally.
        let d = local_date("2026-12-31T23:30:00-05:00").unwrap();
        assert_eq!(
            (d.year, d.month, d.day, d.offset_minutes),
            (2026, 12, 31, -300)
        );
        assert_eq!(label(&d, PeriodKind::Month), "2026-12");
        // Still December 31st in UTC, but already 2027 locally.
        let d = local_date("2027-01-01T00:15:00+14:00").unwrap();
        assert_eq!(label(&d, PeriodKind::Quarter), "2027-Q1");
        assert_eq!(label(&d, PeriodKind::Week), "2026-W53");
        assert_eq!(
            local_date("2026-01-05T08:00:00.250Z")
                .unwrap()
                .offset_minutes,
            0
        );
        assert_eq!(local_date("2026-01-05t08:00:00z").unwrap().weekday, 1);
        assert_eq!(
            local_date("2026-01-05T08:00:00-09:30")
                .unwrap()
                .offset_minutes,
            -570
        );
        assert_eq!(
            local_date("2026-01-05T08:00:00+05:45")
                .unwrap()
                .offset_minutes,
            345
        );
        assert_eq!(local_date("2016-12-31T23:59:60Z").unwrap().second, 60);
        assert_eq!(
            period_of("2024-02-29T10:00:00+01:00", PeriodKind::Week).unwrap(),
            "2024-W09"
        );
    }

    #[test]
    fn local_date_rejects_bad_strings() {
        for bad in [
            "",
            "2026-10-03",
            "2026-10-03T14:12",
            "2026-10-03T14:12:00",
            "2023-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-10-03T24:00:00Z",
            "2026-10-03T14:12:00+3:00",
            "2026-10-03T14:12:00+0300",
            "2026-10-03T14:12:00+24:00",
            "2026-10-03T14:12:00.Z",
            "+2026-10-03T14:12:00Z",
            "2026-10-03T14:12:00Z ",
        ] {
            let err = local_date(bad).unwrap_err();
            assert!(err.contains("RFC 3339"), "{bad}: {err}");
        }
    }

    #[test]
    fn period_kind_parsing_and_serde() {
        assert_eq!("week".parse::<PeriodKind>(), Ok(PeriodKind::Week));
        assert_eq!("month".parse::<PeriodKind>(), Ok(PeriodKind::Month));
        assert_eq!("quarter".parse::<PeriodKind>(), Ok(PeriodKind::Quarter));
        assert!("Month".parse::<PeriodKind>().is_err());
        assert!("year".parse::<PeriodKind>().is_err());
        assert_eq!(
            serde_json::to_string(&PeriodKind::Quarter).unwrap(),
            "\"quarter\""
        );
        assert_eq!(
            serde_json::from_str::<PeriodKind>("\"week\"").unwrap(),
            PeriodKind::Week
        );
        assert_eq!(PeriodKind::Month.to_string(), "month");
    }

    #[test]
    fn parse_label_accepts_all_three_forms() {
        assert_eq!(
            parse_label("2026-10").unwrap(),
            (PeriodKind::Month, "2026-10".into())
        );
        assert_eq!(
            parse_label("2026-Q4").unwrap(),
            (PeriodKind::Quarter, "2026-Q4".into())
        );
        assert_eq!(
            parse_label("2026-q4").unwrap(),
            (PeriodKind::Quarter, "2026-Q4".into())
        );
        assert_eq!(
            parse_label("2026-W53").unwrap(),
            (PeriodKind::Week, "2026-W53".into())
        );
        assert_eq!(
            parse_label("2020-w53").unwrap(),
            (PeriodKind::Week, "2020-W53".into())
        );
        assert_eq!(parse_label("2004-W53").unwrap().1, "2004-W53");
    }

    #[test]
    fn parse_label_rejects_out_of_range_and_malformed() {
        for bad in [
            "2026-00",
            "2026-13",
            "2026-Q0",
            "2026-Q5",
            "2026-W00",
            "2026-W54",
            "2025-W53",
            "2021-W53",
            "2100-W53",
            "2026-1",
            "2026-001",
            "26-10",
            "20260-10",
            "2026-10-01",
            "2026/10",
            "2026-Q",
            "2026-W1",
            "2026-W001",
            "2026-M10",
            "",
            "2026",
            "-026-10",
            "2026-+1",
            "2026-Q+1",
            "２０２６-10",
        ] {
            assert!(parse_label(bad).is_err(), "{bad} should be rejected");
        }
        assert!(
            parse_label("2025-W53")
                .unwrap_err()
                .contains("52 ISO weeks")
        );
    }

    #[test]
    fn previous_and_next_cross_year_boundaries() {
        let cases = [
            ("2026-01", "2025-12"),
            ("2026-12", "2026-11"),
            ("2026-Q1", "2025-Q4"),
            ("2026-Q3", "2026-Q2"),
            ("2027-W01", "2026-W53"),
            ("2026-W01", "2025-W52"),
            ("2021-W01", "2020-W53"),
            ("2026-W53", "2026-W52"),
            ("2026-W10", "2026-W09"),
            ("2001-01", "2000-12"),
        ];
        for (label, before) in cases {
            assert_eq!(previous(label).unwrap(), before, "previous({label})");
            assert_eq!(next(before).unwrap(), label, "next({before})");
        }
        assert_eq!(previous("2026-q1").unwrap(), "2025-Q4");
        assert!(previous("0000-01").is_err());
        assert!(previous("0000-Q1").is_err());
        assert!(next("9999-12").is_err());
        assert!(previous("2026-13").is_err());
        assert!(previous("nonsense").is_err());
    }

    #[test]
    fn bounds_of_periods() {
        let b = |l: &str| bounds(l).unwrap();
        assert_eq!(b("2024-02"), ("2024-02-01".into(), "2024-02-29".into()));
        assert_eq!(b("2023-02"), ("2023-02-01".into(), "2023-02-28".into()));
        assert_eq!(b("2026-Q4"), ("2026-10-01".into(), "2026-12-31".into()));
        assert_eq!(b("2026-Q2"), ("2026-04-01".into(), "2026-06-30".into()));
        assert_eq!(b("2026-W53"), ("2026-12-28".into(), "2027-01-03".into()));
        assert_eq!(b("2025-W01"), ("2024-12-30".into(), "2025-01-05".into()));
        assert_eq!(b("2026-W40"), ("2026-09-28".into(), "2026-10-04".into()));
        assert_eq!(b("9999-W52"), ("9999-12-27".into(), "9999-12-31".into()));
    }

    #[test]
    fn weeks_per_year() {
        for y in [2004, 2009, 2015, 2020, 2026, 2032, 2037] {
            assert_eq!(weeks_in_year(y), 53, "{y}");
        }
        for y in [1900, 2000, 2021, 2024, 2025, 2100] {
            assert_eq!(weeks_in_year(y), 52, "{y}");
        }
    }

    #[test]
    fn calendar_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        for days in (-719_528..2_932_897).step_by(97) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    /// Days from 1970-01-01 to 0001-01-01 and to 9999-12-24.
    const FIRST_DAY: i64 = -719_162;
    const LAST_DAY: i64 = 2_932_889;

    fn date_at(days: i64) -> LocalDateTime {
        let (y, m, d) = civil_from_days(days);
        local_date(&format!("{y:04}-{m:02}-{d:02}T10:00:00+03:00")).unwrap()
    }

    proptest! {
        #[test]
        fn consecutive_days_never_go_backwards(days in FIRST_DAY..LAST_DAY) {
            let (a, b) = (date_at(days), date_at(days + 1));
            for kind in [PeriodKind::Week, PeriodKind::Month, PeriodKind::Quarter] {
                let (la, lb) = (label(&a, kind), label(&b, kind));
                prop_assert!(la <= lb, "{} then {}", la, lb);
                // Either the same period or the very next one.
                if la != lb {
                    prop_assert_eq!(next(&la).unwrap(), lb.clone());
                    prop_assert_eq!(previous(&lb).unwrap(), la);
                }
            }
            // A new ISO week starts exactly on Mondays.
            let (wa, wb) = (label(&a, PeriodKind::Week), label(&b, PeriodKind::Week));
            prop_assert_eq!(wa != wb, b.weekday == 1);
        }

        #[test]
        fn previous_of_a_week_later_is_this_week(days in FIRST_DAY + 7..LAST_DAY) {
            let d = date_at(days);
            let later = date_at(days + 7);
            prop_assert_eq!(
                previous(&label(&later, PeriodKind::Week)).unwrap(),
                label(&d, PeriodKind::Week)
            );
            prop_assert_eq!(later.weekday, d.weekday);
        }

        #[test]
        fn labels_parse_back_and_bound_their_dates(days in FIRST_DAY + 7..LAST_DAY) {
            let d = date_at(days);
            let text = format!("{:04}-{:02}-{:02}", d.year, d.month, d.day);
            for kind in [PeriodKind::Week, PeriodKind::Month, PeriodKind::Quarter] {
                let l = label(&d, kind);
                prop_assert_eq!(parse_label(&l).unwrap(), (kind, l.clone()));
                prop_assert_eq!(next(&previous(&l).unwrap()).unwrap(), l.clone());
                let (first, last) = bounds(&l).unwrap();
                prop_assert!(first <= text && text <= last);
            }
        }
    }
}
