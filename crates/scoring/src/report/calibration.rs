//! Calibration encounters: consistency checks and inter-rater agreement.

use std::collections::BTreeMap;

use sirr_checklist::ItemKind;

use super::{Agreement, ItemAgreement, ItemRef};
use crate::agreement::{Metric, krippendorff_alpha};
use crate::catalog::{Catalog, Rating, ScoredVisit};

/// The raters of each calibration encounter.
#[derive(Debug, Default)]
pub(super) struct Calibration {
    index: super::hash::FastMap<String, u32>,
    groups: Vec<Group>,
}

#[derive(Debug)]
struct Group {
    branch: String,
    checklist: String,
    first_line: usize,
    shoppers: Vec<(String, usize)>,
    members: Vec<usize>,
    ratings: Vec<Rater>,
}

#[derive(Debug)]
struct Rater {
    entry: usize,
    ratings: Vec<Option<Rating>>,
    scores: Vec<Option<f64>>,
}

impl Calibration {
    /// Whether `scored` may join encounter `group`: same branch and checklist, a new shopper.
    pub(super) fn check(&self, group: &str, scored: &ScoredVisit) -> Result<(), String> {
        let Some(&g) = self.index.get(group) else {
            return Ok(());
        };
        let g = &self.groups[g as usize];
        let v = &scored.visit;
        if g.branch != v.branch {
            return Err(format!(
                "calibration encounter '{group}' is at branch '{}' (line {}), not '{}'",
                g.branch, g.first_line, v.branch
            ));
        }
        if g.checklist != v.checklist.as_str() {
            return Err(format!(
                "calibration encounter '{group}' was rated with checklist '{}' (line {}), not '{}'",
                g.checklist, g.first_line, v.checklist
            ));
        }
        if let Some((_, line)) = g.shoppers.iter().find(|(s, _)| *s == v.shopper) {
            return Err(format!(
                "shopper '{}' already rated calibration encounter '{group}' on line {line}",
                v.shopper
            ));
        }
        Ok(())
    }

    /// Adds a checked visit to its encounter; returns the encounter's number.
    pub(super) fn add(
        &mut self,
        group: &str,
        row: usize,
        line: usize,
        scored: &ScoredVisit,
    ) -> u32 {
        let v = &scored.visit;
        let next = self.groups.len() as u32;
        let g = *self.index.entry(group.to_owned()).or_insert(next);
        if g == next {
            self.groups.push(Group {
                branch: v.branch.clone(),
                checklist: v.checklist.as_str().to_owned(),
                first_line: 0,
                shoppers: Vec::new(),
                members: Vec::new(),
                ratings: Vec::new(),
            });
        }
        let group = &mut self.groups[g as usize];
        if group.members.is_empty() {
            group.first_line = line;
        }
        group.shoppers.push((v.shopper.clone(), line));
        group.members.push(row);
        group.ratings.push(Rater {
            entry: scored.entry,
            ratings: scored.ratings.clone(),
            scores: scored.score.items.clone(),
        });
        g
    }

    /// The report rows of encounter `group`, in input order.
    pub(super) fn members(&self, group: u32) -> &[usize] {
        &self.groups[group as usize].members
    }
}

/// Krippendorff's alpha over encounters rated by two or more shoppers: per item with the metric
/// its type calls for, and overall on item scores (interval). `None` without such encounters.
pub(super) fn agreement(calibration: &Calibration, catalog: &Catalog<'_>) -> Option<Agreement> {
    let rated: Vec<&Group> = calibration
        .groups
        .iter()
        .filter(|g| g.members.len() >= 2)
        .collect();
    if rated.is_empty() {
        return None;
    }
    // Number every rated item (checklist key, item key) once, over all versions, and map each
    // version's item positions to those numbers.
    let mut ids: BTreeMap<ItemRef, (usize, Metric)> = BTreeMap::new();
    let positions: Vec<Vec<Option<(usize, Metric)>>> = catalog
        .entries()
        .iter()
        .map(|entry| {
            entry
                .checklist
                .items()
                .map(|(_, item)| {
                    let metric = match item.kind {
                        ItemKind::YesNo
                        | ItemKind::Choice { .. }
                        | ItemKind::MultiChoice { .. } => Metric::Nominal,
                        ItemKind::Scale { .. } | ItemKind::Number(_) | ItemKind::Duration(_) => {
                            Metric::Interval
                        }
                        _ => return None,
                    };
                    let key = ItemRef {
                        key: item.key.as_str().to_owned(),
                        checklist: entry.checklist.key.as_str().to_owned(),
                    };
                    let next = ids.len();
                    Some(*ids.entry(key).or_insert((next, metric)))
                })
                .collect()
        })
        .collect();
    let count = ids.len();
    // Per item, per encounter: the raters' values.
    let mut per_item: Vec<Vec<Vec<f64>>> = vec![Vec::new(); count];
    let mut overall: Vec<Vec<f64>> = Vec::new();
    let mut codes: super::hash::FastMap<String, f64> = Default::default();
    let mut ratings: Vec<Vec<f64>> = vec![Vec::new(); count];
    let mut scores: Vec<Vec<f64>> = vec![Vec::new(); count];
    let mut touched: Vec<bool> = vec![false; count];
    for group in &rated {
        let mut used = Vec::new();
        for rater in &group.ratings {
            for (position, slot) in positions[rater.entry].iter().enumerate() {
                let Some((id, _)) = *slot else { continue };
                if !touched[id] {
                    touched[id] = true;
                    used.push(id);
                }
                match rater.ratings.get(position) {
                    Some(Some(Rating::Nominal(category))) => {
                        let code = match codes.get(category.as_str()) {
                            Some(&code) => code,
                            None => {
                                let code = codes.len() as f64;
                                codes.insert(category.clone(), code);
                                code
                            }
                        };
                        ratings[id].push(code);
                    }
                    Some(Some(Rating::Interval(v))) => ratings[id].push(*v),
                    _ => {}
                }
                if let Some(Some(score)) = rater.scores.get(position) {
                    scores[id].push(*score);
                }
            }
        }
        used.sort_unstable();
        for id in used {
            touched[id] = false;
            per_item[id].push(std::mem::take(&mut ratings[id]));
            overall.push(std::mem::take(&mut scores[id]));
        }
    }
    let per_item: BTreeMap<ItemRef, (Metric, Vec<Vec<f64>>)> = ids
        .into_iter()
        .map(|(key, (id, metric))| (key, (metric, std::mem::take(&mut per_item[id]))))
        .filter(|(_, (_, units))| !units.is_empty())
        .collect();
    let items = per_item
        .into_iter()
        .map(|(item, (metric, units))| ItemAgreement {
            encounters: units.iter().filter(|u| u.len() >= 2).count(),
            alpha: krippendorff_alpha(&units, metric),
            metric,
            checklist: item.checklist,
            key: item.key,
        })
        .collect();
    Some(Agreement {
        encounters: rated.len(),
        alpha: krippendorff_alpha(&overall, Metric::Interval),
        items,
    })
}
