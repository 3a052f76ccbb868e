//! Item results across branches, and the systemic-issue rule.

use std::collections::{BTreeMap, HashMap};

use super::builder::ReportBuilder;
use super::{ItemRef, ItemResult};

/// Per-branch counts for every item of every checklist version.
#[derive(Debug)]
pub(super) struct ItemStats {
    items: usize,
    branches: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Cell {
    pub(super) answers: u32,
    pub(super) passes: u32,
    pub(super) sum: f64,
}

impl ItemStats {
    pub(super) fn new(items: usize) -> Self {
        Self {
            items,
            branches: Vec::new(),
        }
    }

    /// The counts of `group` (a branch, or a team for team statistics), empty when it has none.
    pub(super) fn cells(&self, group: usize) -> &[Cell] {
        self.branches.get(group).map_or(&[], Vec::as_slice)
    }

    /// Adds one visit's item scores (catalog items `first..`) to `branch`.
    pub(super) fn add(&mut self, branch: usize, first: usize, scores: &[Option<f64>]) {
        if self.branches.len() <= branch {
            self.branches.resize_with(branch + 1, Vec::new);
        }
        let cells = &mut self.branches[branch];
        if cells.is_empty() {
            cells.resize(self.items, Cell::default());
        }
        for (cell, score) in cells[first..].iter_mut().zip(scores) {
            if let Some(s) = *score {
                cell.answers += 1;
                cell.passes += u32::from(s == 1.0);
                cell.sum += s;
            }
        }
    }
}

pub(super) struct ItemsOutput {
    pub(super) items: Vec<ItemResult>,
    /// Per branch: the items it fails that are not systemic, sorted.
    pub(super) failing_by_branch: HashMap<u32, Vec<ItemRef>>,
}

/// Item results, merged over the versions of a checklist by item key.
pub(super) fn item_results(b: &ReportBuilder<'_>) -> ItemsOutput {
    let rule = b.options.systemic;
    // (item key, checklist key) → catalog item indices and the owner of the latest version.
    let mut items: BTreeMap<ItemRef, (Vec<usize>, Option<String>, u32)> = BTreeMap::new();
    for entry in b.catalog.entries() {
        for (position, (_, item)) in entry.checklist.items().enumerate() {
            if !item.kind.is_scored() {
                continue;
            }
            let key = ItemRef {
                key: item.key.as_str().to_owned(),
                checklist: entry.checklist.key.as_str().to_owned(),
            };
            let slot = items.entry(key).or_insert_with(|| (Vec::new(), None, 0));
            slot.0.push(entry.first_item + position);
            if entry.checklist.version >= slot.2 {
                slot.1.clone_from(&item.owner);
                slot.2 = entry.checklist.version;
            }
        }
    }
    let mut results = Vec::with_capacity(items.len());
    let mut failing_by_branch: HashMap<u32, Vec<ItemRef>> = HashMap::new();
    for (item, (indices, owner, _)) in items {
        let (mut answers, mut passes, mut sum) = (0u64, 0u64, 0.0);
        let mut judged = 0;
        let mut failing = Vec::new();
        for (branch, cells) in b.item_stats.branches.iter().enumerate() {
            if cells.is_empty() {
                continue;
            }
            let (mut n, mut p, mut s) = (0u64, 0u64, 0.0);
            for &i in &indices {
                n += u64::from(cells[i].answers);
                p += u64::from(cells[i].passes);
                s += cells[i].sum;
            }
            answers += n;
            passes += p;
            sum += s;
            if n as usize >= rule.min_answers.max(1) {
                judged += 1;
                if s / (n as f64) < rule.fail_below {
                    failing.push(branch as u32);
                }
            }
        }
        let systemic = failing.len() >= rule.min_branches
            && failing.len() as f64 >= rule.min_share * judged as f64;
        if !systemic {
            for &branch in &failing {
                failing_by_branch
                    .entry(branch)
                    .or_default()
                    .push(item.clone());
            }
        }
        results.push(ItemResult {
            checklist: item.checklist.clone(),
            key: item.key.clone(),
            owner,
            answers: answers as usize,
            pass_rate: (answers > 0).then(|| passes as f64 / answers as f64),
            mean_score: (answers > 0).then(|| sum / answers as f64),
            branches: judged,
            failing_branches: failing.len(),
            systemic,
        });
    }
    ItemsOutput {
        items: results,
        failing_by_branch,
    }
}
