//! Visits in the JSON Lines interchange format (SPEC §4) and their line-numbered problems.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};
use sirr_checklist::ChecklistKey;

/// Is `s` a valid branch, team, region or shopper code (`[A-Za-z0-9][A-Za-z0-9._-]*`, §9.2)?
pub fn is_valid_code(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// A visit as read from one line of a JSON Lines file.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    /// Visit id, unique in the file.
    pub id: String,
    /// The checklist it was filled against.
    pub checklist: ChecklistKey,
    /// The exact checklist version.
    pub checklist_version: u32,
    /// Branch code.
    pub branch: String,
    /// Team within the branch, if any.
    pub team: Option<String>,
    /// Region code, if given.
    pub region: Option<String>,
    /// Shopper code.
    pub shopper: String,
    /// Scenario played, if any.
    pub scenario: Option<String>,
    /// When the visit happened, RFC 3339 with the local offset.
    pub visited_at: String,
    /// Visit duration in seconds.
    pub duration_s: Option<f64>,
    /// Answers by item key, as JSON.
    pub answers: Map<String, Value>,
    /// Shoppers' comments by item key.
    pub comments: BTreeMap<String, String>,
    /// Attachment references by item key (photo evidence).
    pub evidence: Option<Map<String, Value>>,
    /// Visits sharing this value rated the same encounter.
    pub calibration: Option<String>,
}

/// A problem with one line of a visits file, naming the line and the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct VisitProblem {
    /// 1-based line number.
    pub line: usize,
    /// The field (`branch`) or answer (`answers/wait_minutes`) concerned; empty for the line.
    pub key: String,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for VisitProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "line {}: {}", self.line, self.problem)
        } else {
            write!(f, "line {}: {}: {}", self.line, self.key, self.problem)
        }
    }
}

const FIELDS: &[&str] = &[
    "id",
    "checklist",
    "checklist_version",
    "branch",
    "team",
    "region",
    "shopper",
    "scenario",
    "visited_at",
    "duration_s",
    "answers",
    "comments",
    "evidence",
    "calibration",
];

struct LineReader<'a> {
    line: usize,
    obj: &'a Map<String, Value>,
    problems: Vec<VisitProblem>,
}

impl LineReader<'_> {
    fn fail(&mut self, key: &str, problem: impl Into<String>) {
        self.problems.push(VisitProblem {
            line: self.line,
            key: key.to_owned(),
            problem: problem.into(),
        });
    }

    fn string(&mut self, key: &str, required: bool) -> Option<String> {
        match self.obj.get(key) {
            None | Some(Value::Null) if required => {
                self.fail(key, "missing");
                None
            }
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(Value::String(_)) => {
                self.fail(key, "must not be empty");
                None
            }
            Some(_) => {
                self.fail(key, "expected a string");
                None
            }
        }
    }

    fn code(&mut self, key: &str, required: bool) -> Option<String> {
        let s = self.string(key, required)?;
        if is_valid_code(&s) {
            Some(s)
        } else {
            self.fail(key, format!("'{s}' is not a valid code: letters, digits, '.', '_' and '-' only, starting with a letter or digit"));
            None
        }
    }
}

/// A well-formed line, read straight into typed fields (borrowing where it can). Anything this
/// refuses — an unknown field, a wrong type, a duplicate key — goes to the thorough reader,
/// which names every problem.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FastLine<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    checklist: Cow<'a, str>,
    checklist_version: u32,
    #[serde(borrow)]
    branch: Cow<'a, str>,
    #[serde(borrow, default)]
    team: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    region: Option<Cow<'a, str>>,
    #[serde(borrow)]
    shopper: Cow<'a, str>,
    #[serde(borrow, default)]
    scenario: Option<Cow<'a, str>>,
    #[serde(borrow)]
    visited_at: Cow<'a, str>,
    #[serde(default)]
    duration_s: Option<f64>,
    answers: Map<String, Value>,
    #[serde(default)]
    comments: Option<BTreeMap<String, String>>,
    #[serde(default)]
    evidence: Option<Map<String, Value>>,
    #[serde(borrow, default)]
    calibration: Option<Cow<'a, str>>,
}

/// The common case of a valid line, quickly; `None` sends the line to the thorough reader.
fn parse_valid(text: &str) -> Option<Visit> {
    let l: FastLine<'_> = serde_json::from_str(text).ok()?;
    let text_ok = |s: &str| !s.trim().is_empty();
    let code_ok = |s: &Option<Cow<'_, str>>| s.as_deref().is_none_or(is_valid_code);
    let valid = text_ok(&l.id)
        && l.checklist_version >= 1
        && is_valid_code(&l.branch)
        && is_valid_code(&l.shopper)
        && code_ok(&l.team)
        && code_ok(&l.region)
        && l.scenario.as_deref().is_none_or(text_ok)
        && l.calibration.as_deref().is_none_or(text_ok)
        && l.duration_s.is_none_or(|d| d >= 0.0 && d.is_finite())
        && sirr_checklist::answer::is_rfc3339(&l.visited_at);
    if !valid {
        return None;
    }
    Some(Visit {
        id: l.id.into_owned(),
        checklist: ChecklistKey::parse(&l.checklist).ok()?,
        checklist_version: l.checklist_version,
        branch: l.branch.into_owned(),
        team: l.team.map(Cow::into_owned),
        region: l.region.map(Cow::into_owned),
        shopper: l.shopper.into_owned(),
        scenario: l.scenario.map(Cow::into_owned),
        visited_at: l.visited_at.into_owned(),
        duration_s: l.duration_s,
        answers: l.answers,
        comments: l.comments.unwrap_or_default(),
        evidence: l.evidence,
        calibration: l.calibration.map(Cow::into_owned),
    })
}

/// Parses one line. `line` is 1-based, for messages. Every problem of the line is returned.
pub fn parse_line(text: &str, line: usize) -> Result<Visit, Vec<VisitProblem>> {
    if let Some(visit) = parse_valid(text) {
        return Ok(visit);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        vec![VisitProblem {
            line,
            key: String::new(),
            problem: format!("not valid JSON: {e}"),
        }]
    })?;
    let Value::Object(mut obj) = value else {
        return Err(vec![VisitProblem {
            line,
            key: String::new(),
            problem: "expected a JSON object".into(),
        }]);
    };
    // Answers and evidence are moved out rather than copied: they are most of the line.
    let answers_value = obj.remove("answers");
    let evidence_value = obj.remove("evidence");
    let obj = &obj;
    let mut r = LineReader {
        line,
        obj,
        problems: Vec::new(),
    };
    for key in obj.keys() {
        if !FIELDS.contains(&key.as_str()) {
            r.fail(key, "unknown field");
        }
    }
    let id = r.string("id", true);
    let checklist = r
        .string("checklist", true)
        .and_then(|s| match ChecklistKey::parse(&s) {
            Ok(k) => Some(k),
            Err(e) => {
                r.fail("checklist", e);
                None
            }
        });
    let checklist_version = match obj.get("checklist_version").map(Value::as_u64) {
        Some(Some(v)) if v >= 1 && v <= u64::from(u32::MAX) => u32::try_from(v).ok(),
        Some(_) => {
            r.fail("checklist_version", "expected a whole number ≥ 1");
            None
        }
        None => {
            r.fail("checklist_version", "missing");
            None
        }
    };
    let branch = r.code("branch", true);
    let team = r.code("team", false);
    let region = r.code("region", false);
    let shopper = r.code("shopper", true);
    let scenario = r.string("scenario", false);
    let calibration = r.string("calibration", false);
    let visited_at = r.string("visited_at", true).filter(|s| {
        let ok = sirr_checklist::answer::is_rfc3339(s);
        if !ok {
            r.fail(
                "visited_at",
                format!(
                    "'{s}' is not an RFC 3339 date-time with offset, e.g. 2026-10-03T14:12:00+03:00"
                ),
            );
        }
        ok
    });
    let duration_s = match obj.get("duration_s") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_f64() {
            Some(d) if d >= 0.0 && d.is_finite() => Some(d),
            _ => {
                r.fail("duration_s", "expected a number of seconds ≥ 0");
                None
            }
        },
    };
    let answers = match answers_value {
        Some(Value::Object(m)) => Some(m),
        Some(_) => {
            r.fail("answers", "expected an object of answers by item key");
            None
        }
        None => {
            r.fail("answers", "missing");
            None
        }
    };
    let mut comments = BTreeMap::new();
    match obj.get("comments") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            for (k, v) in m {
                match v.as_str() {
                    Some(s) => {
                        comments.insert(k.clone(), s.to_owned());
                    }
                    None => r.fail(&format!("comments/{k}"), "expected a string"),
                }
            }
        }
        Some(_) => r.fail("comments", "expected an object of comments by item key"),
    }
    let evidence = match evidence_value {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m),
        Some(_) => {
            r.fail(
                "evidence",
                "expected an object of attachment lists by item key",
            );
            None
        }
    };
    let problems = r.problems;
    match (
        id,
        checklist,
        checklist_version,
        branch,
        shopper,
        visited_at,
        answers,
    ) {
        (
            Some(id),
            Some(checklist),
            Some(checklist_version),
            Some(branch),
            Some(shopper),
            Some(visited_at),
            Some(answers),
        ) if problems.is_empty() => Ok(Visit {
            id,
            checklist,
            checklist_version,
            branch,
            team,
            region,
            shopper,
            scenario,
            visited_at,
            duration_s,
            answers,
            comments,
            evidence,
            calibration,
        }),
        _ => Err(problems),
    }
}

impl Visit {
    /// The visit as a SPEC §4 JSON Lines object: fields in the contract's order, optional
    /// fields omitted when `None` or empty, `duration_s` as an integer when it is whole.
    /// [`parse_line`] reads it back to an equal `Visit`.
    pub fn to_json(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("id".into(), Value::from(self.id.as_str()));
        obj.insert("checklist".into(), Value::from(self.checklist.as_str()));
        obj.insert(
            "checklist_version".into(),
            Value::from(self.checklist_version),
        );
        obj.insert("branch".into(), Value::from(self.branch.as_str()));
        if let Some(team) = &self.team {
            obj.insert("team".into(), Value::from(team.as_str()));
        }
        if let Some(region) = &self.region {
            obj.insert("region".into(), Value::from(region.as_str()));
        }
        obj.insert("shopper".into(), Value::from(self.shopper.as_str()));
        if let Some(scenario) = &self.scenario {
            obj.insert("scenario".into(), Value::from(scenario.as_str()));
        }
        obj.insert("visited_at".into(), Value::from(self.visited_at.as_str()));
        if let Some(d) = self.duration_s {
            let n = if d.fract() == 0.0 && (0.0..9_007_199_254_740_992.0).contains(&d) {
                Value::from(d as u64)
            } else {
                serde_json::Number::from_f64(d).map_or(Value::Null, Value::Number)
            };
            obj.insert("duration_s".into(), n);
        }
        obj.insert("answers".into(), Value::Object(self.answers.clone()));
        if !self.comments.is_empty() {
            let comments = self
                .comments
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                .collect();
            obj.insert("comments".into(), Value::Object(comments));
        }
        if let Some(evidence) = self.evidence.as_ref().filter(|e| !e.is_empty()) {
            obj.insert("evidence".into(), Value::Object(evidence.clone()));
        }
        if let Some(calibration) = &self.calibration {
            obj.insert("calibration".into(), Value::from(calibration.as_str()));
        }
        Value::Object(obj)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC_LINE: &str = r#"{"id": "v-000123", "checklist": "bank-branch-visit", "checklist_version": 3, "branch": "RUH-017", "team": "tellers", "shopper": "S-0041", "scenario": "card-enquiry", "visited_at": "2026-10-03T14:12:00+03:00", "duration_s": 1260, "answers": {"greeted_30s": "yes", "wait_minutes": 7, "id_checked": "yes", "offered_card": "asked", "card_benefits": 4}, "comments": {"wait_minutes": "Two counters closed at noon"}}"#;

    #[test]
    fn reads_the_spec_example() {
        let v = parse_line(SPEC_LINE, 1).unwrap();
        assert_eq!(v.branch, "RUH-017");
        assert_eq!(v.team.as_deref(), Some("tellers"));
        assert_eq!(v.checklist_version, 3);
        assert_eq!(v.comments["wait_minutes"], "Two counters closed at noon");
    }

    #[test]
    fn reports_every_problem_of_a_line() {
        let e = parse_line(r#"{"id": "v1", "checklist": "x", "checklist_version": 0, "branch": "RUH/017", "visited_at": "yesterday", "answers": [], "mood": 1}"#, 7).unwrap_err();
        let keys: Vec<&str> = e.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "mood",
                "checklist_version",
                "branch",
                "shopper",
                "visited_at",
                "answers"
            ],
            "{e:?}"
        );
        assert!(e.iter().all(|p| p.line == 7));
        assert_eq!(parse_line("{oops", 2).unwrap_err()[0].line, 2);
    }
}
