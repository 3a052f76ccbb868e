//! A read-only OData v4 feed (SPEC §10.35, 45) for Excel's and Power BI's OData connectors:
//! the entity sets `Visits`, `Answers` and `BranchScores`, their CSDL (`$metadata`), and the
//! query options those clients send — `$select`, `$filter` (`eq` joined by `and`, on the period
//! and ids), `$top`, `$skip`, `$count` — with server-driven paging (at most [`MAX_PAGE`] rows
//! per page, fewer when the client prefers `odata.maxpagesize`) continued by
//! `@odata.nextLink` with a `$skiptoken`. No HTTP here: [`crate::api::odata`] serves it.
//!
//! Visits and answers are read with the exports' walk ([`crate::export::each_visit`]), so they
//! are scoped, scored and pseudonymous exactly as the exports are (the feed carries no shopper
//! at all). A page of visits continues from a keyset cursor (check-in time and id), so every
//! page costs the same however deep it is; answers continue inside a visit. Branch scores come
//! from the joint monthly fit ([`crate::scores`]), as the score screens' trends do.

use serde_json::{Map, Value};

use crate::auth::access::Visible;
use crate::export::{self, Filter, Flow, Shoppers, Walk};
use crate::scores::Scores;
use sirr_store::DbConnection;

/// The most rows a page holds.
pub const MAX_PAGE: usize = 1000;

/// An OData primitive type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edm {
    /// `Edm.String`.
    String,
    /// `Edm.Int32`.
    Int32,
    /// `Edm.Double`.
    Double,
    /// `Edm.DateTimeOffset`.
    DateTimeOffset,
}

impl Edm {
    fn name(self) -> &'static str {
        match self {
            Self::String => "Edm.String",
            Self::Int32 => "Edm.Int32",
            Self::Double => "Edm.Double",
            Self::DateTimeOffset => "Edm.DateTimeOffset",
        }
    }
}

/// An entity set and its type.
#[derive(Debug)]
pub struct EntitySet {
    /// Set name (`Visits`).
    pub name: &'static str,
    /// Entity type name (`Visit`).
    pub type_name: &'static str,
    /// Key properties.
    pub key: &'static [&'static str],
    /// Properties: name, type, nullable.
    pub properties: &'static [(&'static str, Edm, bool)],
    /// Properties `$filter` takes (with `eq`).
    pub filterable: &'static [&'static str],
}

/// The three entity sets.
pub const SETS: &[EntitySet] = &[
    EntitySet {
        name: "Visits",
        type_name: "Visit",
        key: &["visit_id"],
        properties: &[
            ("visit_id", Edm::String, false),
            ("branch_id", Edm::String, false),
            ("branch_code", Edm::String, false),
            ("region_id", Edm::String, true),
            ("team_id", Edm::String, true),
            ("checklist", Edm::String, false),
            ("checklist_version", Edm::Int32, false),
            ("period", Edm::String, false),
            ("visited_at", Edm::DateTimeOffset, false),
            ("duration_s", Edm::Double, true),
            ("score", Edm::Double, true),
        ],
        filterable: &["period", "visit_id", "branch_id", "region_id", "checklist"],
    },
    EntitySet {
        name: "Answers",
        type_name: "Answer",
        key: &["visit_id", "item"],
        properties: &[
            ("visit_id", Edm::String, false),
            ("item", Edm::String, false),
            ("answer", Edm::String, true),
            ("score", Edm::Double, true),
            ("checklist", Edm::String, false),
            ("checklist_version", Edm::Int32, false),
            ("branch_id", Edm::String, false),
            ("region_id", Edm::String, true),
            ("period", Edm::String, false),
        ],
        filterable: &[
            "period",
            "visit_id",
            "branch_id",
            "region_id",
            "checklist",
            "item",
        ],
    },
    EntitySet {
        name: "BranchScores",
        type_name: "BranchScore",
        key: &["branch_id", "period"],
        properties: &[
            ("branch_id", Edm::String, false),
            ("branch_code", Edm::String, false),
            ("region_id", Edm::String, true),
            ("period", Edm::String, false),
            ("visits", Edm::Int32, false),
            ("raw_score", Edm::Double, true),
            ("fair_score", Edm::Double, true),
            ("fair_ci_low", Edm::Double, true),
            ("fair_ci_high", Edm::Double, true),
            ("raw_ci_low", Edm::Double, true),
            ("raw_ci_high", Edm::Double, true),
        ],
        filterable: &["period", "branch_id", "region_id"],
    },
];

/// The set called `name`.
pub fn set(name: &str) -> Option<&'static EntitySet> {
    SETS.iter().find(|s| s.name == name)
}

/// The CSDL document (`$metadata`).
pub fn metadata() -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Sirr" xmlns="http://docs.oasis-open.org/odata/ns/edm">
"#,
    );
    for set in SETS {
        xml.push_str(&format!(
            "      <EntityType Name=\"{}\">\n        <Key>\n",
            set.type_name
        ));
        for key in set.key {
            xml.push_str(&format!("          <PropertyRef Name=\"{key}\"/>\n"));
        }
        xml.push_str("        </Key>\n");
        for (name, edm, nullable) in set.properties {
            xml.push_str(&format!(
                "        <Property Name=\"{name}\" Type=\"{}\" Nullable=\"{nullable}\"/>\n",
                edm.name()
            ));
        }
        xml.push_str("      </EntityType>\n");
    }
    xml.push_str("      <EntityContainer Name=\"Container\">\n");
    for set in SETS {
        xml.push_str(&format!(
            "        <EntitySet Name=\"{}\" EntityType=\"Sirr.{}\"/>\n",
            set.name, set.type_name
        ));
    }
    xml.push_str("      </EntityContainer>\n    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n");
    xml
}

/// A bad query option: its name and what is wrong (400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad {
    /// `$filter`, `$top`, …
    pub option: &'static str,
    /// What is wrong.
    pub problem: String,
}

fn bad(option: &'static str, problem: impl Into<String>) -> Bad {
    Bad {
        option,
        problem: problem.into(),
    }
}

/// The query options of a request, checked.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `$select`: the properties to return (all when empty).
    pub select: Vec<&'static str>,
    /// `$filter`: property = value pairs.
    pub filter: Vec<(&'static str, String)>,
    /// `$top`.
    pub top: Option<usize>,
    /// `$skip`.
    pub skip: usize,
    /// `$count=true`.
    pub count: bool,
    /// `$skiptoken` (from a nextLink).
    pub skiptoken: Option<String>,
}

/// Parses the query options of `set` (unknown `$` options are refused; others ignored).
///
/// # Errors
/// [`Bad`] naming the option.
pub fn options(set: &EntitySet, pairs: &[(String, String)]) -> Result<Options, Bad> {
    let mut o = Options::default();
    let property = |name: &str, option: &'static str| {
        set.properties
            .iter()
            .map(|p| p.0)
            .find(|p| *p == name)
            .ok_or_else(|| {
                bad(
                    option,
                    format!("{} has no property '{name}'", set.type_name),
                )
            })
    };
    for (key, value) in pairs {
        match key.as_str() {
            "$select" => {
                for name in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    if name == "*" {
                        o.select.clear();
                        break;
                    }
                    o.select.push(property(name, "$select")?);
                }
            }
            "$filter" => {
                for (name, v) in parse_filter(value)? {
                    let name = property(&name, "$filter")?;
                    if !set.filterable.contains(&name) {
                        return Err(bad(
                            "$filter",
                            format!("filters on {} take {}", set.name, set.filterable.join(", ")),
                        ));
                    }
                    o.filter.push((name, v));
                }
            }
            "$top" => {
                o.top = Some(
                    value
                        .trim()
                        .parse()
                        .map_err(|_| bad("$top", "a whole number of rows"))?,
                );
            }
            "$skip" => {
                o.skip = value
                    .trim()
                    .parse()
                    .map_err(|_| bad("$skip", "a whole number of rows"))?;
            }
            "$count" => {
                o.count = match value.trim() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(bad("$count", "true or false")),
                }
            }
            "$skiptoken" => o.skiptoken = Some(value.clone()),
            "$format"
                if !value.trim().starts_with("json") && !value.contains("application/json") =>
            {
                return Err(bad("$format", "only JSON is served"));
            }
            "$format" => {}
            other if other.starts_with('$') => {
                return Err(bad(
                    "$filter",
                    format!("the query option {other} is not supported"),
                ));
            }
            _ => {}
        }
    }
    Ok(o)
}

/// `a eq 'x' and b eq 'y'` → pairs (string literals, or bare numbers as text).
fn parse_filter(text: &str) -> Result<Vec<(String, String)>, Bad> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    loop {
        let (name, after) = rest
            .split_once(char::is_whitespace)
            .ok_or_else(|| bad("$filter", "expected: property eq 'value' [and …]"))?;
        let after = after.trim_start();
        let after = after
            .strip_prefix("eq")
            .filter(|a| a.starts_with(char::is_whitespace))
            .ok_or_else(|| {
                bad(
                    "$filter",
                    "only 'eq' comparisons joined by 'and' are supported",
                )
            })?
            .trim_start();
        let (value, tail) = if let Some(quoted) = after.strip_prefix('\'') {
            let mut value = String::new();
            let mut chars = quoted.char_indices().peekable();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                if c == '\'' {
                    if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                        chars.next();
                        value.push('\'');
                    } else {
                        end = Some(i + 1);
                        break;
                    }
                } else {
                    value.push(c);
                }
            }
            let end = end.ok_or_else(|| bad("$filter", "unterminated string"))?;
            (value, &quoted[end..])
        } else {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            (after[..end].to_owned(), &after[end..])
        };
        out.push((name.trim().to_owned(), value));
        let tail = tail.trim_start();
        if tail.is_empty() {
            return Ok(out);
        }
        rest = tail
            .strip_prefix("and")
            .filter(|t| t.starts_with(char::is_whitespace))
            .ok_or_else(|| {
                bad(
                    "$filter",
                    "only 'eq' comparisons joined by 'and' are supported",
                )
            })?
            .trim_start();
    }
}

/// One page of a set.
#[derive(Debug, Default)]
pub struct Page {
    /// The rows, with every property (projection is the caller's).
    pub rows: Vec<Map<String, Value>>,
    /// `$count`: every matching row, ignoring paging.
    pub count: Option<u64>,
    /// Where the next page starts, when there is one, and the `$top` still to serve.
    pub next: Option<(String, Option<usize>)>,
}

/// The filter of `options` as the exports' [`Filter`], with what it does not cover.
fn export_filter(options: &Options) -> Result<(Filter, Option<String>, Option<String>), Bad> {
    let mut filter = Filter::default();
    let (mut visit, mut item) = (None, None);
    for (name, value) in &options.filter {
        match *name {
            "period" => {
                let parsed = sirr_scoring::period::parse_label(value)
                    .map_err(|e| bad("$filter", format!("period: {e}")))?;
                if parsed.0 != sirr_scoring::period::PeriodKind::Month {
                    return Err(bad("$filter", "period is a month, 'YYYY-MM'"));
                }
                filter.period = Some(parsed);
            }
            "branch_id" => filter.branch_id = Some(value.clone()),
            "region_id" => filter.region_id = Some(value.clone()),
            "checklist" => filter.checklist = Some(value.clone()),
            "visit_id" => visit = Some(value.clone()),
            "item" => item = Some(value.clone()),
            _ => {}
        }
    }
    Ok((filter, visit, item))
}

fn cursor_token(r: &export::Record<'_>, n: usize) -> Option<String> {
    let at = r.row.checked_in_utc?;
    Some(format!(
        "{}~{}~{n}",
        at.and_utc().timestamp_micros(),
        r.row.id
    ))
}

fn parse_token(token: &str) -> Result<(sirr_store::exports::Cursor, usize), Bad> {
    let wrong = || bad("$skiptoken", "not a token this server gave");
    let mut parts = token.split('~');
    let (Some(micros), Some(id), Some(n), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(wrong());
    };
    let at = micros
        .parse::<i64>()
        .ok()
        .and_then(chrono::DateTime::from_timestamp_micros)
        .ok_or_else(wrong)?;
    let n = n.parse().map_err(|_| wrong())?;
    Ok(((at.naive_utc(), id.to_owned()), n))
}

/// An error of a page: a bad option, or the exports' own.
#[derive(Debug)]
pub enum PageError {
    /// A bad option (400).
    Bad(Bad),
    /// The walk failed.
    Export(export::Error),
}

impl From<export::Error> for PageError {
    fn from(e: export::Error) -> Self {
        Self::Export(e)
    }
}

impl From<Bad> for PageError {
    fn from(e: Bad) -> Self {
        Self::Bad(e)
    }
}

/// One page of `Visits` or `Answers` for a reader who sees `visible` branches, at most `size`
/// rows.
///
/// A visits token names the last visit served (the next page starts after it); an answers
/// token names a visit and how many of its answers were served (the next page starts inside
/// it).
///
/// # Errors
/// Bad options; database failures.
pub fn visits_page(
    conn: &mut DbConnection,
    set: &EntitySet,
    options: &Options,
    visible: &Visible,
    size: usize,
) -> Result<Page, PageError> {
    let answers = set.name == "Answers";
    let (mut filter, visit, item) = export_filter(options)?;
    filter.visit_id = visit;
    let (from, mut resume) = match &options.skiptoken {
        Some(t) => {
            let (cursor, n) = parse_token(t)?;
            let id = cursor.1.clone();
            (Some(cursor), Some((id, n)))
        }
        None => (None, None),
    };
    // No shopper is served: the name is never used.
    let shoppers = Shoppers::PerFile(String::new());
    let want = options.top.map_or(size, |t| t.min(size));
    let mut skip = if options.skiptoken.is_some() {
        0
    } else {
        options.skip
    };
    let mut page = Page::default();
    let mut next: Option<String> = None;
    let mut last_served: Option<String> = None;
    let walk = Walk {
        from,
        inclusive: answers,
        score: true,
        attachments: false,
    };
    if want > 0 {
        export::each_visit(conn, &filter, visible, &shoppers, &walk, &mut |r| {
            let base = |m: &mut Map<String, Value>| {
                m.insert("visit_id".into(), Value::from(r.line.id.clone()));
                m.insert("branch_id".into(), Value::from(r.row.branch_id.to_string()));
                m.insert(
                    "region_id".into(),
                    Value::from(r.region_id.map(str::to_owned)),
                );
                m.insert("checklist".into(), Value::from(r.line.checklist.clone()));
                m.insert(
                    "checklist_version".into(),
                    Value::from(r.line.checklist_version),
                );
                m.insert(
                    "period".into(),
                    Value::from(r.line.visited_at.get(..7).unwrap_or("")),
                );
            };
            if !answers {
                if skip > 0 {
                    skip -= 1;
                    return Ok(Flow::Continue);
                }
                if page.rows.len() == want {
                    next = last_served.take();
                    return Ok(Flow::Stop);
                }
                let mut m = Map::new();
                base(&mut m);
                m.insert("branch_code".into(), Value::from(r.line.branch.clone()));
                m.insert(
                    "team_id".into(),
                    Value::from(r.row.team_id.as_ref().map(ToString::to_string)),
                );
                m.insert("visited_at".into(), Value::from(r.line.visited_at.clone()));
                m.insert("duration_s".into(), Value::from(r.line.duration_s));
                m.insert("score".into(), Value::from(r.score));
                page.rows.push(m);
                last_served = cursor_token(&r, 0);
                return Ok(Flow::Continue);
            }
            // Answers already served of the visit the token names.
            let already = match resume.take() {
                Some((id, n)) if r.row.id == id => n,
                _ => 0,
            };
            let mut seen = 0usize;
            for (n, (_, it)) in r.checklist.items().enumerate() {
                let key = it.key.as_str();
                let Some(answer) = r.line.answers.get(key) else {
                    continue;
                };
                if item.as_deref().is_some_and(|i| i != key) {
                    continue;
                }
                seen += 1;
                if seen <= already {
                    continue;
                }
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                if page.rows.len() == want {
                    next = cursor_token(&r, seen - 1);
                    return Ok(Flow::Stop);
                }
                let mut m = Map::new();
                base(&mut m);
                m.insert("item".into(), Value::from(key));
                m.insert("answer".into(), answer_text(answer));
                m.insert(
                    "score".into(),
                    Value::from(r.items.get(n).copied().flatten()),
                );
                page.rows.push(m);
            }
            Ok(Flow::Continue)
        })?;
    }
    let top_left = options.top.map(|t| t.saturating_sub(page.rows.len()));
    if top_left != Some(0) {
        page.next = next.map(|t| (t, top_left));
    }
    if options.count {
        let mut n = 0u64;
        export::each_visit(
            conn,
            &filter,
            visible,
            &shoppers,
            &Walk::default(),
            &mut |r| {
                n += if answers {
                    r.checklist
                        .items()
                        .filter(|(_, it)| r.line.answers.contains_key(it.key.as_str()))
                        .filter(|(_, it)| item.as_deref().is_none_or(|i| i == it.key.as_str()))
                        .count() as u64
                } else {
                    1
                };
                Ok(Flow::Continue)
            },
        )?;
        page.count = Some(n);
    }
    Ok(page)
}

fn answer_text(answer: &Value) -> Value {
    match answer {
        Value::String(s) => Value::from(s.clone()),
        Value::Null => Value::Null,
        Value::Array(items) => Value::from(
            items
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(";"),
        ),
        other => Value::from(other.to_string()),
    }
}

/// One page of `BranchScores` from the joint monthly fit.
///
/// # Errors
/// Bad options.
pub fn branch_scores_page(
    scores: &Scores,
    options: &Options,
    visible: &Visible,
    size: usize,
) -> Result<Page, PageError> {
    let (filter, ..) = export_filter(options)?;
    let mut all = Vec::new();
    for p in &scores.periods {
        if filter.period.as_ref().is_some_and(|(_, l)| *l != p.period) {
            continue;
        }
        for e in &p.branches {
            let Some(b) = scores.branch(&e.id) else {
                continue;
            };
            if !visible.contains(&e.id)
                || filter.branch_id.as_deref().is_some_and(|x| x != e.id)
                || filter
                    .region_id
                    .as_deref()
                    .is_some_and(|r| b.region_id.as_deref() != Some(r))
            {
                continue;
            }
            let s = &e.summary;
            let mut m = Map::new();
            m.insert("branch_id".into(), Value::from(e.id.clone()));
            m.insert("branch_code".into(), Value::from(b.key.clone()));
            m.insert("region_id".into(), Value::from(b.region_id.clone()));
            m.insert("period".into(), Value::from(p.period.clone()));
            m.insert("visits".into(), Value::from(s.visits));
            m.insert("raw_score".into(), Value::from(s.raw_score));
            m.insert("fair_score".into(), Value::from(s.fair_score));
            m.insert("fair_ci_low".into(), Value::from(s.fair_ci.map(|c| c[0])));
            m.insert("fair_ci_high".into(), Value::from(s.fair_ci.map(|c| c[1])));
            m.insert("raw_ci_low".into(), Value::from(s.raw_ci.map(|c| c[0])));
            m.insert("raw_ci_high".into(), Value::from(s.raw_ci.map(|c| c[1])));
            all.push(m);
        }
    }
    let offset = match &options.skiptoken {
        Some(t) => t
            .parse::<usize>()
            .map_err(|_| bad("$skiptoken", "not a token this server gave"))?,
        None => options.skip,
    };
    let want = options.top.map_or(size, |t| t.min(size));
    let total = all.len();
    let end = (offset + want).min(total);
    let rows: Vec<_> = all
        .into_iter()
        .skip(offset)
        .take(end.saturating_sub(offset))
        .collect();
    let served = rows.len();
    let top_left = options.top.map(|t| t.saturating_sub(served));
    let next = (end < total && top_left != Some(0)).then(|| (end.to_string(), top_left));
    Ok(Page {
        rows,
        count: options.count.then_some(total as u64),
        next,
    })
}
