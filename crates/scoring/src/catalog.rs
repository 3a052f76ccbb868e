//! The checklist versions a scoring run knows, and the scoring of one visit against them.

use std::collections::HashMap;
use std::sync::Arc;

use sirr_checklist::{Answer, AnswerChecker, AnswerState, Checklist, Completeness, ItemKind};

use crate::period::{LocalDateTime, local_date};
use crate::score::{VisitScore, score_visit_with_na};
use crate::visit::{Visit, VisitProblem, parse_line};

/// The checklist versions of a run, each with its answer checker built once.
pub struct Catalog<'c> {
    entries: Vec<Entry<'c>>,
    index: HashMap<(String, u32), usize>,
}

/// One checklist version of a [`Catalog`].
pub struct Entry<'c> {
    /// The checklist.
    pub checklist: &'c Checklist,
    checker: AnswerChecker<'c>,
    /// Section keys in order, shared by every visit's result.
    pub section_keys: Arc<[String]>,
    /// Index of this version's first item in the catalog-wide item numbering.
    pub first_item: usize,
}

impl<'c> Catalog<'c> {
    /// Builds a catalog. Two documents with the same key and version are refused.
    ///
    /// # Errors
    /// A message naming the duplicated checklist key and version.
    pub fn new(checklists: &'c [Checklist]) -> Result<Self, String> {
        let mut entries = Vec::with_capacity(checklists.len());
        let mut index = HashMap::new();
        let mut first_item = 0;
        for checklist in checklists {
            let id = (checklist.key.as_str().to_owned(), checklist.version);
            if index.insert(id, entries.len()).is_some() {
                return Err(format!(
                    "checklist '{}' version {} is given twice",
                    checklist.key, checklist.version
                ));
            }
            let section_keys: Arc<[String]> = checklist
                .sections
                .iter()
                .map(|s| s.key.as_str().to_owned())
                .collect();
            entries.push(Entry {
                checklist,
                checker: AnswerChecker::new(checklist),
                section_keys,
                first_item,
            });
            first_item += checklist.items().count();
        }
        Ok(Self { entries, index })
    }

    /// The entries, in the order given.
    pub fn entries(&self) -> &[Entry<'c>] {
        &self.entries
    }

    /// Total number of items over all versions.
    pub fn item_count(&self) -> usize {
        self.entries
            .last()
            .map_or(0, |e| e.first_item + e.checklist.items().count())
    }

    /// The entry for `key` at `version`.
    pub fn find(&self, key: &str, version: u32) -> Option<usize> {
        self.index.get(&(key.to_owned(), version)).copied()
    }

    fn versions_of(&self, key: &str) -> Vec<u32> {
        let mut versions: Vec<u32> = self
            .entries
            .iter()
            .filter(|e| e.checklist.key.as_str() == key)
            .map(|e| e.checklist.version)
            .collect();
        versions.sort_unstable();
        versions
    }
}

/// One rater's rating of one item, as inter-rater agreement compares it.
#[derive(Debug, Clone, PartialEq)]
pub enum Rating {
    /// A category: yes/no, the chosen option, or the set of selected options.
    Nominal(String),
    /// A number on an interval scale: a scale point, a count or a duration.
    Interval(f64),
}

/// A visit that passed every check, with its scores.
#[derive(Debug, Clone)]
pub struct ScoredVisit {
    /// The visit, without its answers (they are reduced to scores and ratings).
    pub visit: Visit,
    /// Its checklist version in the catalog.
    pub entry: usize,
    /// Local date and time of the visit.
    pub local: LocalDateTime,
    /// The scores.
    pub score: VisitScore,
    /// For calibration visits only: each item's rating, in item order.
    pub ratings: Vec<Option<Rating>>,
}

/// How [`score_with`] checks and scores a visit. The default is what [`score`] does.
#[derive(Debug, Clone, Copy)]
pub struct ScoreOptions<'a> {
    /// How complete the answers must be: [`Completeness::Scoring`] (the default) for visits
    /// read from a file — required answers present, evidence not demanded again (SPEC
    /// §10.41); [`Completeness::Draft`] for visits a server already checked in full
    /// when they were submitted (their photo evidence lives elsewhere and is not re-checked).
    pub completeness: Completeness,
    /// Item keys scored N/A whatever the answer — items whose result was overturned in a
    /// dispute (see [`crate::score::score_visit_with_na`]). Keys the checklist lacks are ignored.
    pub na_items: &'a [String],
}

impl Default for ScoreOptions<'_> {
    fn default() -> Self {
        Self {
            completeness: Completeness::Scoring,
            na_items: &[],
        }
    }
}

/// Checks one visit against its checklist version and scores it. All problems are returned,
/// each naming `line` and the key (`answers/<item>` for answers).
///
/// # Errors
/// Every problem found with the visit.
pub fn score(
    catalog: &Catalog<'_>,
    visit: Visit,
    line: usize,
) -> Result<ScoredVisit, Vec<VisitProblem>> {
    score_with(catalog, visit, line, ScoreOptions::default())
}

/// As [`score`], with the answers checked to `options.completeness` and the items of
/// `options.na_items` scored N/A (their ratings are left out of agreement too).
///
/// # Errors
/// Every problem found with the visit.
pub fn score_with(
    catalog: &Catalog<'_>,
    mut visit: Visit,
    line: usize,
    options: ScoreOptions<'_>,
) -> Result<ScoredVisit, Vec<VisitProblem>> {
    let problem = |key: String, problem: String| VisitProblem { line, key, problem };
    let Some(entry) = catalog.find(visit.checklist.as_str(), visit.checklist_version) else {
        let versions = catalog.versions_of(visit.checklist.as_str());
        return Err(vec![if versions.is_empty() {
            problem(
                "checklist".into(),
                format!(
                    "unknown checklist '{}': no such checklist was given",
                    visit.checklist
                ),
            )
        } else {
            problem(
                "checklist_version".into(),
                format!(
                    "checklist '{}' has no version {} here (given: {})",
                    visit.checklist,
                    visit.checklist_version,
                    versions
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        }]);
    };
    let mut problems = Vec::new();
    let local = match local_date(&visit.visited_at) {
        Ok(local) => Some(local),
        Err(e) => {
            problems.push(problem("visited_at".into(), e));
            None
        }
    };
    let e = &catalog.entries[entry];
    let checked = match e.checker.check(
        &visit.answers,
        visit.evidence.as_ref(),
        options.completeness,
    ) {
        Ok(checked) => Some(checked),
        Err(found) => {
            problems.extend(
                found
                    .into_iter()
                    .map(|p| problem(format!("answers/{}", p.key), p.problem)),
            );
            None
        }
    };
    let (Some(local), Some(checked), true) = (local, checked, problems.is_empty()) else {
        return Err(problems);
    };
    let forced_na = |key: &str| options.na_items.iter().any(|k| k == key);
    let score = score_visit_with_na(e.checklist, &checked, forced_na);
    let ratings = if visit.calibration.is_some() {
        e.checker
            .items()
            .iter()
            .zip(checked.states())
            .map(|(item, state)| match state {
                AnswerState::Given(answer) if !forced_na(item.key.as_str()) => {
                    rating(&item.kind, answer)
                }
                _ => None,
            })
            .collect()
    } else {
        Vec::new()
    };
    visit.answers = serde_json::Map::new();
    visit.evidence = None;
    visit.comments.clear();
    Ok(ScoredVisit {
        visit,
        entry,
        local,
        score,
        ratings,
    })
}

/// Parses and scores one line of a visits file.
///
/// # Errors
/// Every problem of the line.
pub fn score_line(
    catalog: &Catalog<'_>,
    text: &str,
    line: usize,
) -> Result<ScoredVisit, Vec<VisitProblem>> {
    score(catalog, parse_line(text, line)?, line)
}

/// The rating agreement compares for an answer: nominal for categories, interval for numbers;
/// `None` for unscored free-form answers and N/A.
fn rating(kind: &ItemKind, answer: &Answer) -> Option<Rating> {
    match (kind, answer) {
        (_, Answer::Na) => None,
        (ItemKind::YesNo, Answer::YesNo(yes)) => {
            Some(Rating::Nominal(if *yes { "yes" } else { "no" }.to_owned()))
        }
        (ItemKind::Choice { .. }, Answer::Choice(option)) => Some(Rating::Nominal(option.clone())),
        (ItemKind::MultiChoice { .. }, Answer::MultiChoice(options)) => {
            let mut sorted = options.clone();
            sorted.sort();
            sorted.dedup();
            Some(Rating::Nominal(sorted.join("\u{1f}")))
        }
        (ItemKind::Scale { .. }, Answer::Scale(v)) => Some(Rating::Interval(*v as f64)),
        (ItemKind::Number(_) | ItemKind::Duration(_), Answer::Number(v)) => {
            Some(Rating::Interval(*v))
        }
        _ => None,
    }
}
