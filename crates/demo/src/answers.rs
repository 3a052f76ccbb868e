//! Answer generation for one checklist version: every item's answer has a known expectation.
//!
//! Each item draws from its own small random stream, seeded from the encounter and the item's
//! position, so raters of one calibration encounter can share draws item by item.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use serde_json::{Map, Value};
use sirr_checklist::condition::{Lookup, Lookups};
use sirr_checklist::{Checklist, Item, ItemKind, Measure, PhotoRule};

use super::names::{self, Phrases};
use super::rng::{SplitMix64, derive, ln};
use super::time::format_local;

/// Chance that a shown optional item is answered.
const OPTIONAL_ANSWERED: f64 = 0.92;
/// Chance that an item allowing N/A is answered `"na"`.
const NA_SHARE: f64 = 0.05;
/// Chance that a calibration rater redraws an item instead of sharing the encounter's draws.
const REDRAW: f64 = 0.15;
/// Chance of a comment on a failed item.
const COMMENT_SHARE: f64 = 0.3;

/// FNV-1a: item keys are short and trusted, and conditions look them up once per visit.
#[derive(Debug, Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

type Index<'c> = HashMap<&'c str, usize, BuildHasherDefault<Fnv>>;

/// A group of answer values sharing one score.
#[derive(Debug)]
struct Level<T> {
    score: f64,
    members: Vec<T>,
}

/// A range of values inside one band.
#[derive(Debug, Clone, Copy)]
struct Interval {
    lo: f64,
    lo_inclusive: bool,
    hi: f64,
}

#[derive(Debug)]
enum Gen<'c> {
    Never,
    YesNo,
    Scale {
        min: i64,
        max: i64,
    },
    Options {
        multi: bool,
        levels: Vec<Level<&'c str>>,
    },
    FreeChoice {
        options: Vec<&'c str>,
    },
    FreeMulti {
        options: Vec<&'c str>,
        none: Option<&'c str>,
    },
    Banded {
        measure: &'c Measure,
        levels: Vec<Level<Interval>>,
    },
    FreeNumber {
        lo: f64,
        hi: f64,
        mean: f64,
    },
    Text,
    Timestamp,
    Photo,
}

#[derive(Debug)]
struct ItemGen<'c> {
    item: &'c Item,
    kind: Gen<'c>,
    /// Some condition refers to this item, so its answer must be visible to `show_if`.
    referenced: bool,
    /// Critical and able to score 0.
    can_fail: bool,
    /// `"na"` can mean N/A (it is not the key of an option).
    na_possible: bool,
}

/// Which language free text is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextLanguage {
    English,
    Arabic,
    /// The shopper's own preference.
    Either,
}

/// One checklist version prepared for generation.
#[derive(Debug)]
pub(crate) struct Form<'c> {
    pub(crate) checklist: &'c Checklist,
    items: Vec<ItemGen<'c>>,
    index: Index<'c>,
    language: TextLanguage,
}

/// What one visit needs besides the form.
pub(crate) struct VisitDraw<'a> {
    pub(crate) id: &'a str,
    /// Latent compliance probability of this rater on this encounter.
    pub(crate) p: f64,
    /// Seed shared by every rater of the encounter.
    pub(crate) shared_seed: u64,
    /// The rater's own seed when the encounter is a calibration encounter.
    pub(crate) own_seed: Option<u64>,
    pub(crate) arabic: bool,
    pub(crate) visited_at: i64,
    pub(crate) duration_s: u32,
    pub(crate) critical_failure_scale: f64,
}

/// A visit's generated answers, comments and evidence.
pub(crate) struct Generated {
    pub(crate) answers: Map<String, Value>,
    pub(crate) comments: BTreeMap<String, String>,
    pub(crate) evidence: Option<Map<String, Value>>,
}

/// Buffers reused from one visit to the next.
#[derive(Debug, Default)]
pub(crate) struct Scratch<'c> {
    slots: Vec<Slot<'c>>,
    answers: Vec<(String, Value)>,
}

/// An answer as conditions see it.
#[derive(Debug, Clone)]
pub(crate) enum Slot<'c> {
    Missing,
    Str(&'c str),
    Owned(String),
    Num(f64),
    Many(Vec<String>),
}

struct Look<'s, 'c> {
    index: &'s Index<'c>,
    slots: &'s [Slot<'c>],
}

impl Lookups for Look<'_, '_> {
    fn lookup(&self, key: &str) -> Lookup<'_> {
        match self.index.get(key).and_then(|&i| self.slots.get(i)) {
            Some(Slot::Str(s)) => Lookup::Str(s),
            Some(Slot::Owned(s)) => Lookup::Str(s),
            Some(Slot::Num(n)) => Lookup::Num(*n),
            Some(Slot::Many(list)) => Lookup::Many(list),
            Some(Slot::Missing) | None => Lookup::Missing,
        }
    }
}

fn levels_of<T: Copy>(mut scored: Vec<(f64, T)>) -> Vec<Level<T>> {
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut levels: Vec<Level<T>> = Vec::new();
    for (score, member) in scored {
        match levels.last_mut() {
            Some(level) if level.score == score => level.members.push(member),
            _ => levels.push(Level {
                score,
                members: vec![member],
            }),
        }
    }
    levels
}

/// The value ranges of each band, clipped to the item's `min`/`max` (empty ones dropped).
fn band_levels(m: &Measure, duration: bool) -> Vec<Level<Interval>> {
    let Some(bands) = &m.bands else {
        return Vec::new();
    };
    let floor = m.min.or(duration.then_some(0.0));
    let mut prev: Option<f64> = None;
    let mut out = Vec::new();
    for band in bands {
        let (lo, lo_inclusive) = match (prev, floor) {
            (Some(pm), Some(f)) if f > pm => (f, true),
            (Some(pm), _) => (pm, false),
            (None, Some(f)) => (f, true),
            (None, None) => (
                band.max
                    .map_or(0.0, |mx| if mx >= 0.0 { 0.0 } else { mx - 10.0 }),
                true,
            ),
        };
        let hi = match band.max {
            Some(mx) => mx,
            None => lo + (lo.abs() * 0.5).max(10.0),
        };
        let hi = m.max.map_or(hi, |mx| hi.min(mx));
        if lo < hi || (lo_inclusive && lo == hi) {
            out.push((
                band.score,
                Interval {
                    lo,
                    lo_inclusive,
                    hi,
                },
            ));
        }
        match band.max {
            Some(mx) => prev = Some(mx),
            None => break,
        }
    }
    levels_of(out)
}

impl<'c> Form<'c> {
    /// Prepares `checklist` for generation.
    pub(crate) fn new(checklist: &'c Checklist) -> Self {
        let items: Vec<&Item> = checklist.items().map(|(_, i)| i).collect();
        let index: Index<'c> = items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.key.as_str(), i))
            .collect();
        let mut referenced = vec![false; items.len()];
        for item in &items {
            if let Some(cond) = &item.show_if {
                for key in cond.references() {
                    if let Some(&i) = index.get(key.as_str()) {
                        referenced[i] = true;
                    }
                }
            }
        }
        let items = items
            .into_iter()
            .zip(referenced)
            .map(|(item, referenced)| {
                let kind = gen_of(item);
                let can_fail = item.critical
                    && match &kind {
                        Gen::YesNo | Gen::Scale { .. } => true,
                        Gen::Options { levels, .. } => {
                            levels.first().is_some_and(|l| l.score == 0.0)
                        }
                        Gen::Banded { levels, .. } => {
                            levels.first().is_some_and(|l| l.score == 0.0)
                        }
                        _ => false,
                    };
                let na_possible = item.na_allowed
                    && !item
                        .kind
                        .options()
                        .is_some_and(|o| o.iter().any(|o| o.key == "na"));
                ItemGen {
                    item,
                    kind,
                    referenced,
                    can_fail,
                    na_possible,
                }
            })
            .collect();
        let has = |l: &str| checklist.languages.iter().any(|t| t.as_str() == l);
        let language = match (has("en"), has("ar")) {
            (true, true) => TextLanguage::Either,
            (false, true) => TextLanguage::Arabic,
            _ => TextLanguage::English,
        };
        Form {
            checklist,
            items,
            index,
            language,
        }
    }

    /// The language free text is written in.
    pub(crate) fn language(&self) -> TextLanguage {
        self.language
    }

    /// Generates one visit's answers. `slots` is scratch space reused between visits.
    pub(crate) fn generate(&self, draw: &VisitDraw<'_>, scratch: &mut Scratch<'c>) -> Generated {
        let slots = &mut scratch.slots;
        slots.clear();
        slots.resize(self.items.len(), Slot::Missing);
        // Collected first so that the map is allocated at its exact size (visits are many).
        let answers = &mut scratch.answers;
        answers.clear();
        let mut comments = BTreeMap::new();
        let mut evidence = Map::new();
        let mut attachments = 0u32;
        let n_items = self.items.len().max(1) as i64;
        let p = draw.p;
        for (pos, ig) in self.items.iter().enumerate() {
            let item = ig.item;
            if matches!(ig.kind, Gen::Never) {
                continue;
            }
            if let Some(cond) = &item.show_if {
                let look = Look {
                    index: &self.index,
                    slots,
                };
                if !cond.eval(&look) {
                    continue;
                }
            }
            let mut r = item_stream(draw, pos as u64);
            let u_answer = r.f64();
            let u_na = r.f64();
            if !item.required && u_answer >= OPTIONAL_ANSWERED {
                continue;
            }
            let key = item.key.as_str();
            if ig.na_possible && u_na < NA_SHARE {
                answers.push((key.to_owned(), Value::from("na")));
                continue;
            }
            let mut attach = |count: u32| -> Vec<Value> {
                (0..count)
                    .map(|_| {
                        attachments += 1;
                        Value::from(format!("att-{}-{attachments}", draw.id))
                    })
                    .collect()
            };
            let (value, score, slot) = match &ig.kind {
                Gen::Never => continue,
                Gen::YesNo => {
                    let yes = if ig.can_fail {
                        !fails(&mut r, draw)
                    } else {
                        r.f64() < p
                    };
                    let s = if yes { "yes" } else { "no" };
                    (Value::from(s), Some(f64::from(u8::from(yes))), Slot::Str(s))
                }
                Gen::Scale { min, max } => {
                    let v = if ig.can_fail {
                        if fails(&mut r, draw) { *min } else { *max }
                    } else {
                        min.saturating_add(binomial(&mut r, max.saturating_sub(*min), p))
                    };
                    let score = (v - min) as f64 / (max - min) as f64;
                    (Value::from(v), Some(score), Slot::Num(v as f64))
                }
                Gen::Options { multi, levels } => {
                    let level = if ig.can_fail {
                        if fails(&mut r, draw) {
                            0
                        } else {
                            levels.len() - 1
                        }
                    } else {
                        pick_level(levels, p, &mut r)
                    };
                    let l = &levels[level];
                    let k = l.members[r.below(l.members.len())];
                    if *multi {
                        let slot = if ig.referenced {
                            Slot::Many(vec![k.to_owned()])
                        } else {
                            Slot::Missing
                        };
                        (Value::Array(vec![Value::from(k)]), Some(l.score), slot)
                    } else {
                        (Value::from(k), Some(l.score), Slot::Str(k))
                    }
                }
                Gen::FreeChoice { options } => {
                    let k = options[r.below(options.len())];
                    (Value::from(k), None, Slot::Str(k))
                }
                Gen::FreeMulti { options, none } => {
                    let mut chosen: Vec<&str> =
                        options.iter().copied().filter(|_| r.f64() < 0.3).collect();
                    if chosen.is_empty() {
                        chosen.push(match none {
                            Some(n) => n,
                            None => options[r.below(options.len())],
                        });
                    }
                    let slot = if ig.referenced {
                        Slot::Many(chosen.iter().map(|s| (*s).to_owned()).collect())
                    } else {
                        Slot::Missing
                    };
                    let value = Value::Array(chosen.into_iter().map(Value::from).collect());
                    (value, None, slot)
                }
                Gen::Banded { measure, levels } => {
                    let level = if ig.can_fail {
                        if fails(&mut r, draw) {
                            0
                        } else {
                            levels.len() - 1
                        }
                    } else {
                        pick_level(levels, p, &mut r)
                    };
                    let l = &levels[level];
                    let iv = l.members[r.below(l.members.len())];
                    let mut v = draw_in(iv, r.f64());
                    let valid = |v: f64| {
                        measure.band_score(v) == Some(l.score)
                            && measure.min.is_none_or(|m| v >= m)
                            && measure.max.is_none_or(|m| v <= m)
                    };
                    if !valid(v) {
                        v = iv.hi;
                    }
                    (number(v), Some(l.score), Slot::Num(v))
                }
                Gen::FreeNumber { lo, hi, mean } => {
                    let v = (lo + (-mean * ln(1.0 - r.f64())).floor()).min(*hi).max(*lo);
                    (number(v), None, Slot::Num(v))
                }
                Gen::Text => {
                    let text = free_text(key, p, draw.arabic, &mut r);
                    (Value::from(text), None, Slot::Str(text))
                }
                Gen::Timestamp => {
                    let offset = i64::from(draw.duration_s) * pos as i64 / n_items;
                    let s = format_local(draw.visited_at + offset);
                    let slot = if ig.referenced {
                        Slot::Owned(s.clone())
                    } else {
                        Slot::Missing
                    };
                    (Value::from(s), None, slot)
                }
                Gen::Photo => {
                    let u = r.f64();
                    let refs = attach(1 + u32::from(u < 0.35) + u32::from(u < 0.1));
                    let slot = if ig.referenced {
                        Slot::Many(
                            refs.iter()
                                .filter_map(|v| v.as_str().map(str::to_owned))
                                .collect(),
                        )
                    } else {
                        Slot::Missing
                    };
                    (Value::Array(refs), None, slot)
                }
            };
            if let Some(rule) = item.evidence {
                let needed = match rule.photo {
                    PhotoRule::Required => true,
                    PhotoRule::OnFail => score == Some(0.0),
                };
                if needed {
                    let count = 1 + u32::from(r.f64() < 0.2);
                    evidence.insert(key.to_owned(), Value::Array(attach(count)));
                }
            }
            if score.is_some_and(|s| s < 0.3) && r.f64() < COMMENT_SHARE {
                comments.insert(
                    key.to_owned(),
                    pick(names::fail_phrases(key), draw.arabic, &mut r).to_owned(),
                );
            }
            answers.push((key.to_owned(), value));
            if ig.referenced {
                slots[pos] = slot;
            }
        }
        Generated {
            answers: answers.drain(..).collect(),
            comments,
            evidence: (!evidence.is_empty()).then_some(evidence),
        }
    }
}

fn gen_of(item: &Item) -> Gen<'_> {
    match &item.kind {
        ItemKind::Note => Gen::Never,
        ItemKind::YesNo => Gen::YesNo,
        ItemKind::Scale { min, max } if max > min => Gen::Scale {
            min: *min,
            max: *max,
        },
        ItemKind::Scale { .. } => Gen::Never,
        ItemKind::Choice { options } | ItemKind::MultiChoice { options } => {
            let multi = matches!(item.kind, ItemKind::MultiChoice { .. });
            let scored: Vec<(f64, &str)> = options
                .iter()
                .filter_map(|o| o.score.map(|s| (s, o.key.as_str())))
                .collect();
            if !scored.is_empty() {
                Gen::Options {
                    multi,
                    levels: levels_of(scored),
                }
            } else if options.is_empty() {
                Gen::Never
            } else if multi {
                let none = options
                    .iter()
                    .map(|o| o.key.as_str())
                    .find(|k| *k == "none" || k.starts_with("none_"));
                Gen::FreeMulti {
                    options: options
                        .iter()
                        .map(|o| o.key.as_str())
                        .filter(|k| Some(*k) != none)
                        .collect(),
                    none,
                }
            } else {
                Gen::FreeChoice {
                    options: options.iter().map(|o| o.key.as_str()).collect(),
                }
            }
        }
        ItemKind::Number(m) | ItemKind::Duration(m) => {
            let duration = matches!(item.kind, ItemKind::Duration(_));
            if m.bands.is_some() {
                let levels = band_levels(m, duration);
                if levels.is_empty() {
                    Gen::Never
                } else {
                    Gen::Banded { measure: m, levels }
                }
            } else {
                let lo = match m.min {
                    Some(min) if duration => min.max(0.0),
                    Some(min) => min,
                    None => 0.0,
                };
                let hi = m.max.unwrap_or(lo + 1000.0).max(lo);
                let mean = if duration {
                    ((hi - lo) * 0.05).clamp(30.0, 600.0)
                } else {
                    ((hi - lo) * 0.05).clamp(1.0, 50.0)
                };
                Gen::FreeNumber { lo, hi, mean }
            }
        }
        ItemKind::Text => Gen::Text,
        ItemKind::Photo => Gen::Photo,
        ItemKind::Timestamp => Gen::Timestamp,
    }
}

/// The random stream of item `pos`: the encounter's shared stream, or — for a calibration
/// rater, with probability [`REDRAW`] — the rater's own.
fn item_stream(draw: &VisitDraw<'_>, pos: u64) -> SplitMix64 {
    if let Some(own) = draw.own_seed {
        let mut mine = SplitMix64::new(derive(own, pos));
        if mine.f64() < REDRAW {
            return mine;
        }
    }
    SplitMix64::new(derive(draw.shared_seed, pos))
}

/// Does a critical item fail? Probability `scale·(1 − p)`.
fn fails(r: &mut SplitMix64, draw: &VisitDraw<'_>) -> bool {
    r.f64() < draw.critical_failure_scale * (1.0 - draw.p)
}

/// Binomial(n, p) by counting Bernoulli draws; for very long scales, a two-point mix of
/// ⌊np⌋ and ⌈np⌉ (still mean np).
fn binomial(r: &mut SplitMix64, n: i64, p: f64) -> i64 {
    if n <= 64 {
        (0..n).map(|_| i64::from(r.f64() < p)).sum()
    } else {
        let x = n as f64 * p;
        let base = x.floor();
        (base as i64).saturating_add(i64::from(r.f64() < x - base))
    }
}

/// Picks a level so that the expected level score is `p` (when `p` lies within the scores):
/// with probability ½ a mix of the lowest and highest level, otherwise a mix of the two
/// levels adjacent to `p`. Both mixes have mean `p`, so the mixture does too.
fn pick_level<T>(levels: &[Level<T>], p: f64, r: &mut SplitMix64) -> usize {
    let k = levels.len();
    let u_strategy = r.f64();
    let u_mix = r.f64();
    if k <= 1 {
        return 0;
    }
    let (lo, hi) = if u_strategy < 0.5 {
        (0, k - 1)
    } else {
        let j = levels.iter().rposition(|l| l.score <= p).unwrap_or(0);
        if j + 1 >= k {
            (k - 1, k - 1)
        } else {
            (j, j + 1)
        }
    };
    if lo == hi {
        return lo;
    }
    let (a, b) = (levels[lo].score, levels[hi].score);
    let w = ((p - a) / (b - a)).clamp(0.0, 1.0);
    if u_mix < w { hi } else { lo }
}

/// A value inside the interval: a whole number when the interval holds one.
fn draw_in(iv: Interval, u: f64) -> f64 {
    let ilo = if iv.lo_inclusive {
        iv.lo.ceil()
    } else {
        iv.lo.floor() + 1.0
    };
    let ihi = iv.hi.floor();
    if ilo <= ihi {
        (ilo + (u * (ihi - ilo + 1.0)).floor()).min(ihi)
    } else if iv.lo == iv.hi {
        iv.lo
    } else {
        iv.lo + (iv.hi - iv.lo) * (0.05 + 0.9 * u)
    }
}

/// A JSON number, written as an integer when it is one.
fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
        Value::from(v as i64)
    } else {
        serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
    }
}

fn pick(phrases: &'static Phrases, arabic: bool, r: &mut SplitMix64) -> &'static str {
    let list = if arabic { phrases.ar } else { phrases.en };
    list.get(r.below(list.len())).copied().unwrap_or("")
}

/// A short remark for a text item: praise for "best practice"-like items, criticism for
/// "reason"/"low point"-like items, otherwise positive with probability `p`.
fn free_text(key: &str, p: f64, arabic: bool, r: &mut SplitMix64) -> &'static str {
    let has = |words: &[&str]| words.iter().any(|w| key.contains(w));
    let u = r.f64();
    let positive = if has(&["best", "praise", "strength", "positive"]) {
        true
    } else if has(&["reason", "low", "example", "issue", "complain", "improv"]) {
        false
    } else {
        u < p
    };
    pick(
        if positive {
            &names::POSITIVE
        } else {
            &names::NEGATIVE
        },
        arabic,
        r,
    )
}
