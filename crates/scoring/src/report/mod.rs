//! The scoring report of SPEC §4: visits, aggregates with raw and fair scores, shopper severity,
//! item results with systemic issues, inter-rater agreement, periods and the model summary.
//!
//! Feed checked visits to a [`ReportBuilder`] in input order, then call
//! [`ReportBuilder::finish`]. Cross-visit problems (a repeated visit id, a branch placed in two
//! regions, an inconsistent calibration group) are refused at [`ReportBuilder::push`] before
//! anything is stored, so a refused visit leaves no trace.

mod breakdown;
mod builder;
mod calibration;
mod fairness;
mod hash;
mod items;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use breakdown::{Breakdowns, GroupBreakdown, GroupItemResult, SectionResult};
pub use builder::ReportBuilder;

use crate::fair::FitOptions;
use crate::period::PeriodKind;
use crate::visit::VisitProblem;

/// When an item counts as a systemic issue rather than a branch's own failure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SystemicRule {
    /// A branch fails an item when its mean item score is below this.
    pub fail_below: f64,
    /// Non-N/A answers a branch needs before its result on an item is judged.
    pub min_answers: usize,
    /// Failing branches an item needs to be systemic.
    pub min_branches: usize,
    /// Share of the judged branches that must fail the item for it to be systemic.
    pub min_share: f64,
}

impl Default for SystemicRule {
    fn default() -> Self {
        Self {
            fail_below: 0.5,
            min_answers: 2,
            min_branches: 3,
            min_share: 0.25,
        }
    }
}

/// Options of a report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReportOptions {
    /// Period length for the `periods` section (and the period factor of the fair model).
    pub period: PeriodKind,
    /// |severity| at or above which a shopper whose interval excludes 0 is flagged.
    pub severity_threshold: f64,
    /// The systemic-issue rule.
    pub systemic: SystemicRule,
    /// Options of the fair model's fit.
    pub fit: FitOptions,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            period: PeriodKind::Month,
            severity_threshold: 0.05,
            systemic: SystemicRule::default(),
            fit: FitOptions::default(),
        }
    }
}

/// The whole report (SPEC §4 output).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Every scored visit, in input order.
    pub visits: Vec<VisitResult>,
    /// The organisation as a whole.
    pub organisation: Aggregate,
    /// Regions, by key.
    pub regions: Vec<Aggregate>,
    /// Branches, by key.
    pub branches: Vec<BranchResult>,
    /// Teams (`BRANCH/team`), by key.
    pub teams: Vec<TeamResult>,
    /// Shoppers, by key.
    pub shoppers: Vec<ShopperResult>,
    /// Scored items of every checklist version, by key then checklist.
    pub items: Vec<ItemResult>,
    /// Inter-rater agreement; `null` without calibration data.
    pub agreement: Option<Agreement>,
    /// Per period, by label.
    pub periods: Vec<PeriodResult>,
    /// The fair model.
    pub model: ModelSummary,
    /// Lines refused (only when invalid lines were skipped), in line order.
    #[serde(default)]
    pub rejected: Vec<VisitProblem>,
}

/// Section scores keyed by section, in checklist order; N/A is `null`.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionScores {
    /// Section keys, shared by all visits of a checklist version.
    pub keys: Arc<[String]>,
    /// Scores in the same order.
    pub scores: Box<[Option<f64>]>,
}

impl Serialize for SectionScores {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.keys.len()))?;
        for (key, score) in self.keys.iter().zip(self.scores.iter()) {
            map.serialize_entry(key, score)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for SectionScores {
    /// Reads the map back in its order (the checklist's).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct InOrder;
        impl<'de> Visitor<'de> for InOrder {
            type Value = SectionScores;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map of section keys to scores or null")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut keys, mut scores) = (Vec::new(), Vec::new());
                while let Some((key, score)) = map.next_entry::<String, Option<f64>>()? {
                    keys.push(key);
                    scores.push(score);
                }
                Ok(SectionScores {
                    keys: keys.into(),
                    scores: scores.into(),
                })
            }
        }
        deserializer.deserialize_map(InOrder)
    }
}

/// One visit's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitResult {
    /// Visit id.
    pub id: String,
    /// Visit score after the critical rule; `null` when all sections are N/A.
    pub score: Option<f64>,
    /// Whether a critical item failed.
    pub critical_failed: bool,
    /// Section scores before the critical rule.
    pub sections: SectionScores,
}

/// Raw and fair scores of a group of visits (organisation, region, or a branch in a period).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    /// The group's key (absent for the organisation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Scored visits (a calibration encounter counts once).
    pub visits: usize,
    /// Mean visit score.
    pub raw_score: Option<f64>,
    /// 90% t-interval of the raw score, clipped to [0, 1]; `null` under 2 visits.
    pub raw_ci: Option<[f64; 2]>,
    /// Fairness-normalized score.
    pub fair_score: Option<f64>,
    /// 90% interval of the fair score.
    pub fair_ci: Option<[f64; 2]>,
}

impl Aggregate {
    /// The group's scores without its key.
    pub fn summary(&self) -> Summary {
        Summary {
            visits: self.visits,
            raw_score: self.raw_score,
            raw_ci: self.raw_ci,
            fair_score: self.fair_score,
            fair_ci: self.fair_ci,
        }
    }
}

/// A group's scores, raw and fair, with their 90% intervals and the visits behind them: what
/// every group of the report has, whatever names it (a code here, a database id in the server).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    /// Scored visits (a calibration encounter counts once).
    pub visits: usize,
    /// Mean visit score, in [0, 1]; `null` without visits.
    pub raw_score: Option<f64>,
    /// 90% t-interval of the raw score, clipped to [0, 1]; `null` under 2 visits.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<f64>>))]
    pub raw_ci: Option<[f64; 2]>,
    /// Fairness-normalized score (docs/scoring.md).
    pub fair_score: Option<f64>,
    /// 90% interval of the fair score.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<f64>>))]
    pub fair_ci: Option<[f64; 2]>,
}

/// An item, by checklist and key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ItemRef {
    /// Item key.
    pub key: String,
    /// Checklist key.
    pub checklist: String,
}

/// A branch's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BranchResult {
    /// Branch code.
    pub key: String,
    /// Region code, when the visits name one.
    pub region: Option<String>,
    /// Scored visits (a calibration encounter counts once).
    pub visits: usize,
    /// Distinct shoppers who visited.
    pub shoppers: usize,
    /// Mean visit score.
    pub raw_score: Option<f64>,
    /// 90% t-interval of the raw score.
    pub raw_ci: Option<[f64; 2]>,
    /// Fairness-normalized score.
    pub fair_score: Option<f64>,
    /// Its 90% interval.
    pub fair_ci: Option<[f64; 2]>,
    /// Rank by fair score among all branches, 1 = best.
    pub rank: Option<usize>,
    /// Items this branch fails that are not systemic: its own gaps.
    pub failing_items: Vec<ItemRef>,
}

impl BranchResult {
    /// The branch's scores without its key.
    pub fn summary(&self) -> Summary {
        Summary {
            visits: self.visits,
            raw_score: self.raw_score,
            raw_ci: self.raw_ci,
            fair_score: self.fair_score,
            fair_ci: self.fair_ci,
        }
    }
}

/// A team's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamResult {
    /// `BRANCH/team`.
    pub key: String,
    /// Scored visits.
    pub visits: usize,
    /// Mean visit score.
    pub raw_score: Option<f64>,
    /// 90% t-interval of the raw score.
    pub raw_ci: Option<[f64; 2]>,
    /// Fairness-normalized score.
    pub fair_score: Option<f64>,
    /// Its 90% interval.
    pub fair_ci: Option<[f64; 2]>,
}

impl TeamResult {
    /// The team's scores without its key.
    pub fn summary(&self) -> Summary {
        Summary {
            visits: self.visits,
            raw_score: self.raw_score,
            raw_ci: self.raw_ci,
            fair_score: self.fair_score,
            fair_ci: self.fair_ci,
        }
    }
}

/// A shopper's severity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopperResult {
    /// Shopper code.
    pub key: String,
    /// Visits rated (each calibration rating counts).
    pub visits: usize,
    /// Mean of the shopper's visit scores.
    pub raw_score: Option<f64>,
    /// Estimated offset on the score scale; negative = harsher than the average shopper.
    pub severity: Option<f64>,
    /// Its 90% interval.
    pub severity_ci: Option<[f64; 2]>,
    /// `"harsh"`, `"lenient"` or `null`.
    pub flag: Option<SeverityFlag>,
}

/// A shopper whose severity is clearly and substantially away from the average shopper's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeverityFlag {
    /// Scores lower than the average shopper would.
    Harsh,
    /// Scores higher than the average shopper would.
    Lenient,
}

impl SeverityFlag {
    /// `harsh` or `lenient`, as in the report.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Harsh => "harsh",
            Self::Lenient => "lenient",
        }
    }
}

/// An item's results across the organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = OrgItem))]
pub struct ItemResult {
    /// Checklist key.
    pub checklist: String,
    /// Item key.
    pub key: String,
    /// Who owns fixing it, from the checklist.
    pub owner: Option<String>,
    /// Non-N/A answers.
    pub answers: usize,
    /// Share of non-N/A answers whose item score is 1.
    pub pass_rate: Option<f64>,
    /// Mean item score over non-N/A answers.
    pub mean_score: Option<f64>,
    /// Branches with enough answers to judge.
    pub branches: usize,
    /// Judged branches whose mean item score is below the failing line.
    pub failing_branches: usize,
    /// Fails across many branches: a matter for the item's owner, not one branch.
    pub systemic: bool,
}

/// Inter-rater agreement over calibration encounters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// Encounters rated by at least two shoppers.
    pub encounters: usize,
    /// Krippendorff's alpha over all scored items (interval metric on item scores).
    pub alpha: Option<f64>,
    /// Per item, by key then checklist.
    pub items: Vec<ItemAgreement>,
}

/// Agreement on one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemAgreement {
    /// Checklist key.
    pub checklist: String,
    /// Item key.
    pub key: String,
    /// `"nominal"` or `"interval"`.
    pub metric: crate::agreement::Metric,
    /// Encounters where at least two shoppers rated the item.
    pub encounters: usize,
    /// Krippendorff's alpha; `null` when undefined (no variation).
    pub alpha: Option<f64>,
}

/// One period's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodResult {
    /// `YYYY-MM`, `YYYY-Qn` or `YYYY-Www`.
    pub period: String,
    /// The organisation in this period.
    pub organisation: Aggregate,
    /// Regions with visits in this period.
    pub regions: Vec<Aggregate>,
    /// Branches with visits in this period.
    pub branches: Vec<Aggregate>,
    /// Teams with visits in this period.
    pub teams: Vec<Aggregate>,
}

/// What the fair model did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSummary {
    /// The method, in words.
    pub method: String,
    /// Whether the fit converged.
    pub converged: bool,
    /// Variance-component iterations.
    pub iterations: usize,
    /// Passes over the data.
    pub passes: usize,
    /// Observations fitted (calibration raters count with weight 1/k).
    pub observations: usize,
    /// Intercept: expected score for the average branch, shopper and conditions.
    pub mean: f64,
    /// Residual standard deviation.
    pub sigma: f64,
    /// Standard deviation of each factor's effects (0 = left out).
    pub components: BTreeMap<String, f64>,
    /// Notes on the data and any fallback taken.
    pub notes: Vec<String>,
}
