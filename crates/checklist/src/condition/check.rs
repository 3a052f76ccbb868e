//! Type checking of conditions against the items that come before them.

use std::fmt;

use super::{CmpOp, Expr, Literal, Operand, RESERVED_WORDS};
use crate::model::ItemKind;

/// A problem found while checking a condition; the message names the offending part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckError {
    /// What is wrong, quoting the part of the condition concerned.
    pub message: String,
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What the checker needs to know about a referenced item.
#[derive(Debug, Clone, Copy)]
pub struct ItemRef<'a> {
    /// Position of the item in document order (across all sections).
    pub position: usize,
    /// Its type.
    pub kind: &'a ItemKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Str,
    Num,
    Bool,
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Str => "text",
            Ty::Num => "a number",
            Ty::Bool => "true/false",
        }
    }
}

struct Checker<'a, 'f> {
    current: usize,
    lookup: &'f dyn Fn(&str) -> Option<ItemRef<'a>>,
    errors: Vec<CheckError>,
}

/// The value domain of a referenced item: its type and, for closed sets, the allowed strings.
struct Domain<'a> {
    key: &'a str,
    ty: Ty,
    values: Option<Vec<&'a str>>,
}

impl<'a> Checker<'a, '_> {
    fn fail(&mut self, message: String) {
        self.errors.push(CheckError { message });
    }

    /// Resolves a reference, reporting unknown, later and reserved keys.
    fn resolve(&mut self, key: &str) -> Option<ItemRef<'a>> {
        if RESERVED_WORDS.contains(&key) {
            self.fail(format!(
                "'{key}' is a reserved word and cannot name an item in a condition"
            ));
            return None;
        }
        match (self.lookup)(key) {
            None => {
                self.fail(format!("unknown item '{key}'"));
                None
            }
            Some(r) if r.position == self.current => {
                self.fail(format!(
                    "the item cannot depend on its own answer ('{key}')"
                ));
                None
            }
            Some(r) if r.position > self.current => {
                self.fail(format!(
                    "'{key}' comes later in the checklist: conditions may only use earlier answers"
                ));
                None
            }
            Some(r) => Some(r),
        }
    }

    fn domain(&mut self, key: &'a str, context: &str) -> Option<Domain<'a>> {
        let r = self.resolve(key)?;
        let (ty, values) = match r.kind {
            ItemKind::YesNo => (Ty::Str, Some(vec!["yes", "no"])),
            ItemKind::Choice { options } => (
                Ty::Str,
                Some(options.iter().map(|o| o.key.as_str()).collect()),
            ),
            ItemKind::Scale { .. } | ItemKind::Number(_) | ItemKind::Duration(_) => (Ty::Num, None),
            ItemKind::Text | ItemKind::Timestamp => (Ty::Str, None),
            ItemKind::MultiChoice { .. } => {
                self.fail(format!("in `{context}`: '{key}' is a multi_choice item; test it with selected({key}, 'option')"));
                return None;
            }
            ItemKind::Photo => {
                self.fail(format!(
                    "in `{context}`: '{key}' is a photo item; test it with answered({key})"
                ));
                return None;
            }
            ItemKind::Note => {
                self.fail(format!(
                    "in `{context}`: '{key}' is a note and is never answered"
                ));
                return None;
            }
        };
        Some(Domain { key, ty, values })
    }

    fn check_literal_in(&mut self, domain: &Domain<'_>, lit: &Literal, context: &str) {
        let ty = literal_type(lit);
        if ty != domain.ty {
            self.fail(format!(
                "in `{context}`: '{}' holds {}, but {lit} is {}",
                domain.key,
                domain.ty.name(),
                ty.name()
            ));
            return;
        }
        if let (Some(values), Literal::Str(s)) = (&domain.values, lit)
            && !values.contains(&s.as_str())
        {
            self.fail(format!(
                "in `{context}`: {lit} is not an answer of '{}' (answers: {})",
                domain.key,
                values.join(", ")
            ));
        }
    }

    fn expr(&mut self, e: &'a Expr) {
        match e {
            Expr::Or(a, b) | Expr::And(a, b) => {
                self.expr(a);
                self.expr(b);
            }
            Expr::Not(inner) => self.expr(inner),
            Expr::Answered(key) => {
                if let Some(r) = self.resolve(key.as_str())
                    && matches!(r.kind, ItemKind::Note)
                {
                    self.fail(format!("in `{e}`: '{key}' is a note and is never answered"));
                }
            }
            Expr::Selected(key, option) => {
                if let Some(r) = self.resolve(key.as_str()) {
                    match r.kind.options() {
                        Some(options) if options.iter().any(|o| o.key == *option) => {}
                        Some(options) => self.fail(format!(
                            "in `{e}`: '{option}' is not an option of '{key}' (options: {})",
                            options.iter().map(|o| o.key.as_str()).collect::<Vec<_>>().join(", ")
                        )),
                        None => self.fail(format!(
                            "in `{e}`: selected() needs a choice or multi_choice item, but '{key}' is {}",
                            r.kind.type_name()
                        )),
                    }
                }
            }
            Expr::Compare { left, op, right } => {
                let context = e.to_string();
                match (left, right) {
                    (Operand::Literal(_), Operand::Literal(_)) => {
                        self.fail(format!("in `{context}`: compares two constants, which is always true or always false"));
                    }
                    (Operand::Item(k), Operand::Literal(lit))
                    | (Operand::Literal(lit), Operand::Item(k)) => {
                        if let Some(d) = self.domain(k.as_str(), &context) {
                            self.check_literal_in(&d, lit, &context);
                            self.check_ordering(*op, d.ty, &context);
                        }
                    }
                    (Operand::Item(a), Operand::Item(b)) => {
                        let da = self.domain(a.as_str(), &context);
                        let db = self.domain(b.as_str(), &context);
                        if let (Some(da), Some(db)) = (da, db) {
                            if da.ty != db.ty {
                                self.fail(format!(
                                    "in `{context}`: '{a}' holds {} but '{b}' holds {}",
                                    da.ty.name(),
                                    db.ty.name()
                                ));
                            } else {
                                self.check_ordering(*op, da.ty, &context);
                            }
                        }
                    }
                }
            }
            Expr::In { operand, list, .. } => {
                let context = e.to_string();
                match operand {
                    Operand::Literal(_) => {
                        self.fail(format!(
                            "in `{context}`: the left side of 'in' must be an item key"
                        ));
                    }
                    Operand::Item(k) => {
                        if let Some(d) = self.domain(k.as_str(), &context) {
                            for lit in list {
                                self.check_literal_in(&d, lit, &context);
                            }
                        }
                    }
                }
            }
        }
    }

    fn check_ordering(&mut self, op: CmpOp, ty: Ty, context: &str) {
        if !matches!(op, CmpOp::Eq | CmpOp::Ne) && ty != Ty::Num {
            self.fail(format!(
                "in `{context}`: '{op}' compares numbers, not {}",
                ty.name()
            ));
        }
    }
}

fn literal_type(lit: &Literal) -> Ty {
    match lit {
        Literal::Str(_) => Ty::Str,
        Literal::Num(_) => Ty::Num,
        Literal::Bool(_) => Ty::Bool,
    }
}

/// Checks `expr`, the condition of the item at document position `current`, against the items
/// `lookup` knows. Returns every problem found (empty when the condition is well typed).
pub fn check<'a>(
    expr: &'a Expr,
    current: usize,
    lookup: &dyn Fn(&str) -> Option<ItemRef<'a>>,
) -> Vec<CheckError> {
    let mut checker = Checker {
        current,
        lookup,
        errors: Vec::new(),
    };
    checker.expr(expr);
    checker.errors
}
