//! The report model: plain data, already in the report's language, that the layout draws.
//!
//! [`assemble`] makes it from [`Facts`] — the scores of one branch or team and its comparison
//! groups, the organisation's item verdicts, the checklists (for item and section texts), the
//! visits' [`Evidence`] and the action plan — and decides what the manager reads: which items
//! count as strengths, which as gaps, which issues are systemic. The server and `sirr report`
//! both fill `Facts` and share this.

use std::collections::HashMap;

use serde::Serialize;
use sirr_checklist::Checklist;

use super::evidence::Evidence;
use super::i18n::{Lang, Wording};
use sirr_scoring::report::{GroupItemResult, ItemResult, SectionResult, Summary};

/// Strengths: at most this many items, each passing at least this often.
const STRENGTHS: usize = 5;
const STRONG_PASS: f64 = 0.8;
/// Gaps: failing items, and weak ones (passing less often than this), at most this many.
const GAPS: usize = 6;
const WEAK_PASS: f64 = 0.7;
/// Comments quoted per gap, praise quoted in all.
const QUOTES_PER_GAP: usize = 3;
const PRAISE: usize = 5;
/// Systemic issues listed.
const SYSTEMIC: usize = 6;
/// Items need this many answers before they are called a strength or a gap.
const MIN_ANSWERS: usize = 3;

/// Branch or team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A branch, compared with its region.
    Branch,
    /// A team, compared with its branch.
    Team,
}

/// A rank: `rank` of `of`, 1 = best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rank {
    /// Position.
    pub rank: usize,
    /// Ranked peers.
    pub of: usize,
}

/// The earlier period and its fair score, for the change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Previous {
    /// Its label.
    pub period: String,
    /// Its fair score.
    pub fair_score: Option<f64>,
}

/// One point of the trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// Month label.
    pub period: String,
    /// Fair score.
    pub fair: Option<f64>,
    /// Raw score.
    pub raw: Option<f64>,
}

/// One section's bars.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionBars {
    /// Title in the report's language.
    pub title: String,
    /// This branch or team.
    pub own: Option<f64>,
    /// The region (branch reports) or branch (team reports).
    pub group: Option<f64>,
    /// The organisation.
    pub organisation: Option<f64>,
}

/// An item as a line of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemLine {
    /// Item text in the report's language.
    pub text: String,
    /// Its section's title.
    pub section: String,
    /// Pass rate here (organisation-wide for systemic issues).
    pub pass_rate: Option<f64>,
    /// Answers behind it.
    pub answers: usize,
    /// The owning function, in the report's language.
    pub owner: Option<String>,
}

/// A failed or weak item with what shoppers wrote about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// The item.
    pub item: ItemLine,
    /// Failing (not merely weak).
    pub failing: bool,
    /// Shoppers' own words (no shopper identity).
    pub comments: Vec<String>,
}

/// A shopper's praise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    /// The item it is about.
    pub item: String,
    /// The words.
    pub text: String,
}

/// A systemic issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Systemic {
    /// The item, with the organisation's pass rate and the owner.
    pub item: ItemLine,
    /// The pass rate here, when answered here.
    pub here: Option<f64>,
    /// Branches failing it.
    pub failing_branches: usize,
    /// Branches judged.
    pub branches: usize,
}

/// A critical item that failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Critical {
    /// Item text.
    pub item: String,
    /// Visits where it failed.
    pub failed: usize,
    /// Visits where it was scored.
    pub scored: usize,
}

/// One row of the action plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    /// The item or section it is about (text), or the general label.
    pub topic: String,
    /// What will be done.
    pub action: String,
    /// Who.
    pub owner: String,
    /// Due date, `YYYY-MM-DD`.
    pub due: String,
    /// Status, in the report's language.
    pub status: String,
}

/// The lengths of the lists before they were cut to fit the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Strong items.
    pub strengths: usize,
    /// Failed and weak items.
    pub gaps: usize,
    /// Systemic issues.
    pub systemic: usize,
}

/// Everything the layout draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Language (and so direction).
    pub lang: Lang,
    /// Branch or team.
    pub kind: Kind,
    /// The organisation's name.
    pub organisation: String,
    /// The branch's (or team's) name in the report's language.
    pub name: String,
    /// Its code (`RUH-017`, `RUH-017/tellers`).
    pub code: String,
    /// The region's (team reports: the branch's) name.
    pub parent: Option<String>,
    /// Period label; `None` for all approved visits.
    pub period: Option<String>,
    /// Scores.
    pub summary: Summary,
    /// The earlier period.
    pub previous: Option<Previous>,
    /// Rank among all branches.
    pub rank: Option<Rank>,
    /// Rank in the region.
    pub region_rank: Option<Rank>,
    /// Monthly trend up to the period.
    pub trend: Vec<Point>,
    /// Sections with the comparison groups.
    pub sections: Vec<SectionBars>,
    /// Highest items.
    pub strengths: Vec<ItemLine>,
    /// Shoppers' positive comments.
    pub praise: Vec<Quote>,
    /// Failed and weak items with comments.
    pub gaps: Vec<Gap>,
    /// The organisation's systemic issues.
    pub systemic: Vec<Systemic>,
    /// Items failing here that are not systemic.
    pub branch_specific: Vec<ItemLine>,
    /// Critical items that failed.
    pub critical: Vec<Critical>,
    /// The action plan.
    pub actions: Vec<Action>,
    /// How many items each shortened list had before it was cut (strengths, gaps, systemic
    /// issues), so the report can say that it shows only some.
    pub totals: Totals,
}

/// An action as stored, before translation.
#[derive(Debug, Clone)]
pub struct ActionFact {
    /// Item key, if about an item.
    pub item_key: Option<String>,
    /// Section key, if about a section.
    pub section_key: Option<String>,
    /// What will be done.
    pub action: String,
    /// Who.
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    /// `open`, `in_progress`, `done`.
    pub status: String,
}

/// What a report is made from.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// Language.
    pub lang: Lang,
    /// Branch or team.
    pub kind: Kind,
    /// The organisation's name.
    pub organisation: String,
    /// Name in the report's language.
    pub name: String,
    /// Code.
    pub code: String,
    /// Region (team: branch) name.
    pub parent: Option<String>,
    /// Period label, `None` for all visits.
    pub period: Option<String>,
    /// Scores of the period.
    pub summary: Summary,
    /// The earlier period.
    pub previous: Option<Previous>,
    /// Rank among all branches.
    pub rank: Option<Rank>,
    /// Rank in the region.
    pub region_rank: Option<Rank>,
    /// Monthly trend.
    pub trend: Vec<Point>,
    /// Section scores here.
    pub sections: &'a [SectionResult],
    /// Section scores of the comparison group (region, or branch for a team).
    pub group_sections: &'a [SectionResult],
    /// Section scores of the organisation.
    pub organisation_sections: &'a [SectionResult],
    /// Item results here.
    pub items: &'a [GroupItemResult],
    /// Items across the organisation, with the systemic verdict.
    pub organisation_items: &'a [ItemResult],
    /// Checklist documents, for texts (the newest version of a key wins).
    pub checklists: &'a [Checklist],
    /// Comments and critical failures of the visits here.
    pub evidence: &'a Evidence,
    /// The action plan.
    pub actions: &'a [ActionFact],
}

/// Texts of items and sections by key, in one language.
struct Texts<'a> {
    /// (checklist, item) → (item text, section title).
    items: HashMap<(&'a str, &'a str), (&'a str, &'a str)>,
    /// Item key alone (action plans name items without their checklist).
    items_by_key: HashMap<&'a str, &'a str>,
    /// (checklist, section) → title.
    sections: HashMap<(&'a str, &'a str), &'a str>,
    sections_by_key: HashMap<&'a str, &'a str>,
}

impl<'a> Texts<'a> {
    fn new(checklists: &'a [Checklist], lang: &'a str) -> Self {
        let mut newest: Vec<&Checklist> = checklists.iter().collect();
        // Older versions first, so the newest text of a key is inserted last and wins.
        newest.sort_by(|a, b| (a.key.as_str(), a.version).cmp(&(b.key.as_str(), b.version)));
        let mut t = Self {
            items: HashMap::new(),
            items_by_key: HashMap::new(),
            sections: HashMap::new(),
            sections_by_key: HashMap::new(),
        };
        for c in newest {
            for s in &c.sections {
                let title = s.title.get_or_any(lang).unwrap_or(s.key.as_str());
                t.sections.insert((c.key.as_str(), s.key.as_str()), title);
                t.sections_by_key.insert(s.key.as_str(), title);
                for i in &s.items {
                    let text = i.text.get_or_any(lang).unwrap_or(i.key.as_str());
                    t.items
                        .insert((c.key.as_str(), i.key.as_str()), (text, title));
                    t.items_by_key.insert(i.key.as_str(), text);
                }
            }
        }
        t
    }

    fn item(&self, checklist: &str, key: &str) -> (String, String) {
        match self.items.get(&(checklist, key)) {
            Some((text, section)) => ((*text).to_owned(), (*section).to_owned()),
            None => (key.to_owned(), String::new()),
        }
    }

    fn section(&self, checklist: &str, key: &str) -> String {
        self.sections
            .get(&(checklist, key))
            .map_or_else(|| key.to_owned(), |s| (*s).to_owned())
    }
}

fn find<'s>(list: &'s [SectionResult], checklist: &str, key: &str) -> Option<&'s SectionResult> {
    list.iter()
        .find(|s| s.checklist == checklist && s.key == key)
}

fn by_pass_rate(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    a.unwrap_or(0.0).total_cmp(&b.unwrap_or(0.0))
}

/// Builds the report model.
pub fn assemble(f: &Facts<'_>) -> Report {
    let texts = Texts::new(f.checklists, f.lang.tag());
    let org_item = |checklist: &str, key: &str| {
        f.organisation_items
            .iter()
            .find(|o| o.checklist == checklist && o.key == key)
    };
    let owner = |checklist: &str, key: &str| {
        org_item(checklist, key)
            .and_then(|o| o.owner.as_deref())
            .map(|o| f.lang.owner(o))
    };
    let line = |i: &GroupItemResult| {
        let (text, section) = texts.item(&i.checklist, &i.key);
        ItemLine {
            text,
            section,
            pass_rate: i.pass_rate,
            answers: i.answers,
            owner: owner(&i.checklist, &i.key),
        }
    };

    let sections = f
        .sections
        .iter()
        .map(|s| SectionBars {
            title: texts.section(&s.checklist, &s.key),
            own: s.score,
            group: find(f.group_sections, &s.checklist, &s.key).and_then(|g| g.score),
            organisation: find(f.organisation_sections, &s.checklist, &s.key).and_then(|g| g.score),
        })
        .collect();

    let judged: Vec<&GroupItemResult> = f
        .items
        .iter()
        .filter(|i| i.answers >= MIN_ANSWERS && i.pass_rate.is_some())
        .collect();
    // An item is a strength or an issue here, never both: one passed at the strength line is a
    // strength even when it fails across the organisation (a practice other branches can learn
    // from), and so it is left out of the systemic issues below.
    // A critical item that failed in a visit here is never a strength, however high its pass
    // rate: the report lists it under the critical failures, and a coach cannot present it as both.
    let failed_critical = |i: &GroupItemResult| {
        f.evidence
            .critical
            .get(&(i.checklist.clone(), i.key.clone()))
            .is_some_and(|c| c.failed > 0)
    };
    let is_strong = |i: &GroupItemResult| {
        i.answers >= MIN_ANSWERS
            && i.pass_rate.is_some_and(|p| p >= STRONG_PASS)
            && !failed_critical(i)
    };
    let mut strong: Vec<&GroupItemResult> =
        judged.iter().copied().filter(|i| is_strong(i)).collect();
    strong.sort_by(|a, b| by_pass_rate(b.pass_rate, a.pass_rate).then(b.answers.cmp(&a.answers)));
    let mut totals = Totals {
        strengths: strong.len(),
        ..Totals::default()
    };
    let strengths = strong.into_iter().take(STRENGTHS).map(line).collect();

    let mut weak: Vec<&GroupItemResult> = judged
        .iter()
        .copied()
        .filter(|i| i.failing || i.pass_rate.is_some_and(|p| p < WEAK_PASS))
        .collect();
    weak.sort_by(|a, b| {
        b.failing
            .cmp(&a.failing)
            .then(by_pass_rate(a.mean_score, b.mean_score))
            .then(a.key.cmp(&b.key))
    });
    let negative = |checklist: &str, key: &str| -> Vec<String> {
        let mut quotes: Vec<String> = Vec::new();
        for c in &f.evidence.comments {
            if c.checklist == checklist
                && c.item == key
                && c.score.is_some_and(|s| s < 1.0)
                && !quotes.contains(&c.text)
            {
                quotes.push(c.text.clone());
            }
            if quotes.len() == QUOTES_PER_GAP {
                break;
            }
        }
        quotes
    };
    totals.gaps = weak.len();
    let gaps = weak
        .into_iter()
        .take(GAPS)
        .map(|i| Gap {
            item: line(i),
            failing: i.failing,
            comments: negative(&i.checklist, &i.key),
        })
        .collect();

    let mut praise: Vec<Quote> = Vec::new();
    for c in f.evidence.comments.iter().filter(|c| c.score == Some(1.0)) {
        if praise.len() == PRAISE {
            break;
        }
        if !praise.iter().any(|q| q.text == c.text) {
            praise.push(Quote {
                item: texts.item(&c.checklist, &c.item).0,
                text: c.text.clone(),
            });
        }
    }

    let strong_here = |o: &ItemResult| {
        f.items
            .iter()
            .any(|i| i.checklist == o.checklist && i.key == o.key && is_strong(i))
    };
    // Only issues of the checklists this unit was visited with: a bank branch's report has no
    // use for a retail store's fitting-room item.
    let used_here = |o: &ItemResult| f.items.iter().any(|i| i.checklist == o.checklist);
    let mut systemic_items: Vec<&ItemResult> = f
        .organisation_items
        .iter()
        .filter(|i| i.systemic && used_here(i) && !strong_here(i))
        .collect();
    systemic_items.sort_by(|a, b| by_pass_rate(a.pass_rate, b.pass_rate));
    totals.systemic = systemic_items.len();
    let systemic = systemic_items
        .into_iter()
        .take(SYSTEMIC)
        .map(|o| {
            let (text, section) = texts.item(&o.checklist, &o.key);
            Systemic {
                item: ItemLine {
                    text,
                    section,
                    pass_rate: o.pass_rate,
                    answers: o.answers,
                    owner: o.owner.as_deref().map(|w| f.lang.owner(w)),
                },
                here: f
                    .items
                    .iter()
                    .find(|i| i.checklist == o.checklist && i.key == o.key)
                    .and_then(|i| i.pass_rate),
                failing_branches: o.failing_branches,
                branches: o.branches,
            }
        })
        .collect();

    let branch_specific = f
        .items
        .iter()
        .filter(|i| i.failing && !org_item(&i.checklist, &i.key).is_some_and(|o| o.systemic))
        .map(line)
        .collect();

    let mut critical: Vec<Critical> = f
        .evidence
        .critical
        .iter()
        .filter(|(_, c)| c.failed > 0)
        .map(|((checklist, key), c)| Critical {
            item: texts.item(checklist, key).0,
            failed: c.failed,
            scored: c.scored,
        })
        .collect();
    critical.sort_by(|a, b| b.failed.cmp(&a.failed).then(a.item.cmp(&b.item)));

    let general = f.lang.say(&sirr_i18n::msg!("report-general"));
    let actions = f
        .actions
        .iter()
        .map(|a| Action {
            topic: match (&a.item_key, &a.section_key) {
                (Some(item), _) => texts
                    .items_by_key
                    .get(item.as_str())
                    .map_or_else(|| item.clone(), |t| (*t).to_owned()),
                (None, Some(section)) => texts
                    .sections_by_key
                    .get(section.as_str())
                    .map_or_else(|| section.clone(), |t| (*t).to_owned()),
                (None, None) => general.clone(),
            },
            action: a.action.clone(),
            owner: a.owner.clone(),
            due: a.due_on.clone(),
            status: f.lang.status(&a.status),
        })
        .collect();

    Report {
        lang: f.lang,
        kind: f.kind,
        organisation: f.organisation.clone(),
        name: f.name.clone(),
        code: f.code.clone(),
        parent: f.parent.clone(),
        period: f.period.clone(),
        summary: f.summary.clone(),
        previous: f.previous.clone(),
        rank: f.rank,
        region_rank: f.region_rank,
        trend: f.trend.clone(),
        sections,
        strengths,
        praise,
        gaps,
        systemic,
        branch_specific,
        critical,
        actions,
        totals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::CriticalCount;

    fn group_item(key: &str, answers: usize, pass_rate: f64) -> GroupItemResult {
        GroupItemResult {
            checklist: "c".into(),
            key: key.into(),
            answers,
            pass_rate: Some(pass_rate),
            mean_score: Some(pass_rate),
            failing: pass_rate < 0.5,
        }
    }

    fn org_item(key: &str) -> ItemResult {
        ItemResult {
            checklist: "c".into(),
            key: key.into(),
            owner: Some("training".into()),
            answers: 100,
            pass_rate: Some(0.3),
            mean_score: Some(0.3),
            branches: 10,
            failing_branches: 6,
            systemic: true,
        }
    }

    fn branch_report(items: &[GroupItemResult], org: &[ItemResult], evidence: &Evidence) -> Report {
        assemble(&Facts {
            lang: Lang::En,
            kind: Kind::Branch,
            organisation: "o".into(),
            name: "n".into(),
            code: "B-1".into(),
            parent: None,
            period: Some("2026-10".into()),
            summary: Summary::default(),
            previous: None,
            rank: None,
            region_rank: None,
            trend: Vec::new(),
            sections: &[],
            group_sections: &[],
            organisation_sections: &[],
            items,
            organisation_items: org,
            checklists: &[],
            evidence,
            actions: &[],
        })
    }

    /// Found by a regional manager reading the PDF: a critical item passed in 13 of 15 visits was
    /// listed among the strengths and, below, among the critical failures.
    #[test]
    fn a_critical_item_that_failed_here_is_never_a_strength() {
        let items = [
            group_item("apr_disclosed", 15, 0.867),
            group_item("greeted", 15, 1.0),
        ];
        let mut evidence = Evidence::default();
        evidence.critical.insert(
            ("c".into(), "apr_disclosed".into()),
            CriticalCount {
                failed: 2,
                scored: 15,
            },
        );
        let report = branch_report(&items, &[], &evidence);
        let strengths: Vec<&str> = report.strengths.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(strengths, ["greeted"]);
        assert_eq!(report.critical.len(), 1);
    }

    /// Found by the same manager: a bank branch's report listed a retail store's fitting-room item
    /// as its systemic issue. Only the checklists a unit was visited with bring their issues.
    #[test]
    fn systemic_issues_come_from_the_checklists_used_here() {
        let items = [group_item("greeted", 15, 0.4)];
        let mut other = org_item("fitting_room");
        other.checklist = "retail".into();
        let org = [org_item("greeted"), other];
        let report = branch_report(&items, &org, &Evidence::default());
        let systemic: Vec<&str> = report
            .systemic
            .iter()
            .map(|s| s.item.text.as_str())
            .collect();
        assert_eq!(systemic, ["greeted"]);
    }

    #[test]
    fn an_item_is_a_strength_or_a_systemic_issue_never_both() {
        // Three systemic items: passed at 100% here, failed here, too few answers to judge.
        let items = [
            group_item("solved_here", 13, 1.0),
            group_item("failing_here_too", 13, 0.2),
            group_item("thin", 2, 1.0),
        ];
        let org = [
            org_item("solved_here"),
            org_item("failing_here_too"),
            org_item("thin"),
        ];
        let evidence = Evidence::default();
        let report = assemble(&Facts {
            lang: Lang::En,
            kind: Kind::Branch,
            organisation: "o".into(),
            name: "n".into(),
            code: "B-1".into(),
            parent: None,
            period: Some("2026-10".into()),
            summary: Summary::default(),
            previous: None,
            rank: None,
            region_rank: None,
            trend: Vec::new(),
            sections: &[],
            group_sections: &[],
            organisation_sections: &[],
            items: &items,
            organisation_items: &org,
            checklists: &[],
            evidence: &evidence,
            actions: &[],
        });
        let strengths: Vec<&str> = report.strengths.iter().map(|i| i.text.as_str()).collect();
        let systemic: Vec<&str> = report
            .systemic
            .iter()
            .map(|s| s.item.text.as_str())
            .collect();
        assert_eq!(strengths, ["solved_here"]);
        assert_eq!(systemic, ["failing_here_too", "thin"]);
        for s in &strengths {
            assert!(!systemic.contains(s), "{s} is both a strength and an issue");
        }
    }
}
