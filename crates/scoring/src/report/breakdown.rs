//! Section and item results per group: the organisation, each region, branch and team.
//!
//! The report gives each visit's section scores and each item's results across the
//! organisation; a branch's coaching page needs the same per branch (and beside it, its region
//! and the organisation). Here:
//!
//! - a group's **section score** is the mean of its visits' section scores (each a weighted
//!   mean of the section's items, SPEC §4), over the visits where the section is not N/A;
//! - a group's **item result** counts the item's non-N/A answers, the share of them scoring 1
//!   (`pass_rate`, SPEC §9.15) and their mean score; the group **fails** the item when it has
//!   at least [`SystemicRule::min_answers`](super::SystemicRule::min_answers) answers and a
//!   mean below [`SystemicRule::fail_below`](super::SystemicRule::fail_below) — the same line
//!   the systemic rule judges branches by.
//!
//! Sections and items are merged over the versions of a checklist by key, as in the report's
//! `items`. Every rating counts (a calibration encounter's raters each count), as in `items`.
//! A group lists the sections and scored items of every checklist its visits used.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::builder::ReportBuilder;
use super::items::Cell;

/// Section and item results of every group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdowns {
    /// The organisation as a whole (no key).
    pub organisation: GroupBreakdown,
    /// Regions, by key.
    pub regions: Vec<GroupBreakdown>,
    /// Branches, by key.
    pub branches: Vec<GroupBreakdown>,
    /// Teams (`BRANCH/team`), by key.
    pub teams: Vec<GroupBreakdown>,
}

/// One group's section and item results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupBreakdown {
    /// The group's key (absent for the organisation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Sections, by checklist key, then in the order of the checklist's latest version.
    pub sections: Vec<SectionResult>,
    /// Scored items, by key then checklist.
    pub items: Vec<GroupItemResult>,
}

/// A section's score in a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionResult {
    /// Checklist key.
    pub checklist: String,
    /// Section key.
    pub key: String,
    /// Visits where the section is not N/A.
    pub visits: usize,
    /// Mean of those visits' section scores; `null` when there are none.
    pub score: Option<f64>,
}

/// An item's results in a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupItemResult {
    /// Checklist key.
    pub checklist: String,
    /// Item key.
    pub key: String,
    /// Non-N/A answers.
    pub answers: usize,
    /// Share of non-N/A answers whose item score is 1.
    pub pass_rate: Option<f64>,
    /// Mean item score over non-N/A answers.
    pub mean_score: Option<f64>,
    /// Enough answers to judge, and a mean below the failing line.
    pub failing: bool,
}

/// Sections and items merged over checklist versions.
struct Layout {
    /// (checklist key index, section key) in output order.
    sections: Vec<(usize, String)>,
    /// Per catalog entry: its sections' merged indices.
    entry_sections: Vec<Vec<usize>>,
    /// (item key, checklist key index) in output order, with their catalog item indices.
    items: Vec<(String, usize, Vec<usize>)>,
    /// Checklist keys, sorted.
    checklists: Vec<String>,
    /// Per catalog entry: its checklist key index.
    entry_checklist: Vec<usize>,
}

impl Layout {
    fn new(b: &ReportBuilder<'_>) -> Self {
        let entries = b.catalog.entries();
        let mut checklists: Vec<String> = entries
            .iter()
            .map(|e| e.checklist.key.as_str().to_owned())
            .collect();
        checklists.sort();
        checklists.dedup();
        let checklist_index = |key: &str| checklists.binary_search_by(|c| c.as_str().cmp(key));
        let entry_checklist: Vec<usize> = entries
            .iter()
            .map(|e| checklist_index(e.checklist.key.as_str()).unwrap_or(0))
            .collect();

        // Sections: newest version first within a checklist, so its order leads.
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_by(|&x, &y| {
            entry_checklist[x].cmp(&entry_checklist[y]).then(
                entries[y]
                    .checklist
                    .version
                    .cmp(&entries[x].checklist.version),
            )
        });
        let mut sections = Vec::new();
        let mut section_index: HashMap<(usize, String), usize> = HashMap::new();
        let mut entry_sections = vec![Vec::new(); entries.len()];
        for &e in &order {
            let c = entry_checklist[e];
            entry_sections[e] = entries[e]
                .section_keys
                .iter()
                .map(|key| {
                    *section_index.entry((c, key.clone())).or_insert_with(|| {
                        sections.push((c, key.clone()));
                        sections.len() - 1
                    })
                })
                .collect();
        }

        let mut items: BTreeMap<(String, usize), Vec<usize>> = BTreeMap::new();
        for (e, entry) in entries.iter().enumerate() {
            for (position, (_, item)) in entry.checklist.items().enumerate() {
                if item.kind.is_scored() {
                    items
                        .entry((item.key.as_str().to_owned(), entry_checklist[e]))
                        .or_default()
                        .push(entry.first_item + position);
                }
            }
        }
        Self {
            sections,
            entry_sections,
            items: items.into_iter().map(|((k, c), i)| (k, c, i)).collect(),
            checklists,
            entry_checklist,
        }
    }
}

/// Running sums of one group.
#[derive(Clone)]
struct Acc {
    /// Per merged section: sum of scores and visits.
    sections: Vec<(f64, usize)>,
    /// Which checklists the group's visits used.
    used: Vec<bool>,
}

impl Acc {
    fn new(layout: &Layout) -> Self {
        Self {
            sections: vec![(0.0, 0); layout.sections.len()],
            used: vec![false; layout.checklists.len()],
        }
    }

    fn add(&mut self, checklist: usize, merged: &[usize], scores: &[Option<f64>]) {
        self.used[checklist] = true;
        for (&m, score) in merged.iter().zip(scores) {
            if let Some(s) = score {
                self.sections[m].0 += s;
                self.sections[m].1 += 1;
            }
        }
    }
}

/// Computes every group's breakdown from the builder's visits.
pub(super) fn breakdowns(b: &ReportBuilder<'_>) -> Breakdowns {
    let layout = Layout::new(b);
    let nb = b.branches.len();
    let nt = b.teams.len();
    let nr = b.regions.len();
    let mut org = Acc::new(&layout);
    let mut branches = vec![Acc::new(&layout); nb];
    let mut teams = vec![Acc::new(&layout); nt];
    let mut regions = vec![Acc::new(&layout); nr];
    for row in &b.rows {
        let e = row.entry as usize;
        let (c, merged) = (layout.entry_checklist[e], &layout.entry_sections[e]);
        org.add(c, merged, &row.sections);
        branches[row.branch as usize].add(c, merged, &row.sections);
        if let Some(t) = row.team {
            teams[t as usize].add(c, merged, &row.sections);
        }
        if let Some(r) = b.branch_region_of(row.branch as usize) {
            regions[r as usize].add(c, merged, &row.sections);
        }
    }

    let rule = b.options.systemic;
    let items_of = |acc: &Acc, cells: &dyn Fn(usize) -> Cell| -> Vec<GroupItemResult> {
        layout
            .items
            .iter()
            .filter(|(_, c, _)| acc.used[*c])
            .map(|(key, c, indices)| {
                let (mut n, mut p, mut s) = (0u64, 0u64, 0.0);
                for &i in indices {
                    let cell = cells(i);
                    n += u64::from(cell.answers);
                    p += u64::from(cell.passes);
                    s += cell.sum;
                }
                let mean = (n > 0).then(|| s / n as f64);
                GroupItemResult {
                    checklist: layout.checklists[*c].clone(),
                    key: key.clone(),
                    answers: n as usize,
                    pass_rate: (n > 0).then(|| p as f64 / n as f64),
                    mean_score: mean,
                    failing: n as usize >= rule.min_answers.max(1)
                        && mean.is_some_and(|m| m < rule.fail_below),
                }
            })
            .collect()
    };
    let sections_of = |acc: &Acc| -> Vec<SectionResult> {
        layout
            .sections
            .iter()
            .zip(&acc.sections)
            .filter(|((c, _), _)| acc.used[*c])
            .map(|((c, key), &(sum, n))| SectionResult {
                checklist: layout.checklists[*c].clone(),
                key: key.clone(),
                visits: n,
                score: (n > 0).then(|| sum / n as f64),
            })
            .collect()
    };
    let sum_cells = |groups: &[usize], i: usize| -> Cell {
        let mut total = Cell::default();
        for &g in groups {
            if let Some(cell) = b.item_stats.cells(g).get(i) {
                total.answers += cell.answers;
                total.passes += cell.passes;
                total.sum += cell.sum;
            }
        }
        total
    };
    let branch_cell = |branch: usize, i: usize| -> Cell {
        b.item_stats
            .cells(branch)
            .get(i)
            .copied()
            .unwrap_or_default()
    };

    let all: Vec<usize> = (0..nb).collect();
    let mut region_branches: Vec<Vec<usize>> = vec![Vec::new(); nr];
    for branch in 0..nb {
        if let Some(r) = b.branch_region_of(branch) {
            region_branches[r as usize].push(branch);
        }
    }

    let organisation = GroupBreakdown {
        key: None,
        sections: sections_of(&org),
        items: items_of(&org, &|i| sum_cells(&all, i)),
    };
    let mut region_list: Vec<GroupBreakdown> = (0..nr)
        .map(|r| GroupBreakdown {
            key: Some(b.regions.names[r].clone()),
            sections: sections_of(&regions[r]),
            items: items_of(&regions[r], &|i| sum_cells(&region_branches[r], i)),
        })
        .collect();
    region_list.sort_by(|x, y| x.key.cmp(&y.key));
    let mut branch_list: Vec<GroupBreakdown> = (0..nb)
        .map(|g| GroupBreakdown {
            key: Some(b.branches.names[g].clone()),
            sections: sections_of(&branches[g]),
            items: items_of(&branches[g], &|i| branch_cell(g, i)),
        })
        .collect();
    branch_list.sort_by(|x, y| x.key.cmp(&y.key));
    let mut team_list: Vec<GroupBreakdown> = (0..nt)
        .map(|t| GroupBreakdown {
            key: Some(b.teams.names[t].clone()),
            sections: sections_of(&teams[t]),
            items: match &b.team_item_stats {
                Some(stats) => items_of(&teams[t], &|i| {
                    stats.cells(t).get(i).copied().unwrap_or_default()
                }),
                None => Vec::new(),
            },
        })
        .collect();
    team_list.sort_by(|x, y| x.key.cmp(&y.key));
    Breakdowns {
        organisation,
        regions: region_list,
        branches: branch_list,
        teams: team_list,
    }
}
