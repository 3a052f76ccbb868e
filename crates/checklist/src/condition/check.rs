//! Type checking of conditions against the items that come before them.

use std::fmt;

use super::{CmpOp, Expr, Literal, Operand, RESERVED_WORDS};
use crate::model::ItemKind;

/// A problem found while checking a condition; the message names the offending part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckError {
    /// What is wrong, in English, quoting the part of the condition concerned.
    pub message: String,
    /// The part of the condition concerned, as written back (when the problem is about a part).
    pub context: Option<String>,
    /// What is wrong, as data.
    pub reason: CheckReason,
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The type of value an item holds, as conditions see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// Text (option keys, `yes`/`no`, free text, timestamps).
    Text,
    /// A number.
    Number,
    /// `true` or `false`.
    Bool,
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Text => "text",
            Self::Number => "a number",
            Self::Bool => "true/false",
        })
    }
}

/// Why a condition does not type check; [`fmt::Display`] is the English sentence (without the
/// `` in `…`: `` prefix naming the part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckReason {
    /// A reserved word used as an item key.
    ReservedWord {
        /// The word.
        key: String,
    },
    /// No item with this key.
    UnknownItem {
        /// The key.
        key: String,
    },
    /// The item's condition names the item itself.
    SelfReference {
        /// The key.
        key: String,
    },
    /// The item named comes later.
    LaterItem {
        /// The key.
        key: String,
    },
    /// A multi-choice item compared as a value.
    MultiChoiceCompared {
        /// The key.
        key: String,
    },
    /// A photo item compared as a value.
    PhotoCompared {
        /// The key.
        key: String,
    },
    /// A note named in a condition.
    NoteNeverAnswered {
        /// The key.
        key: String,
    },
    /// A constant of another type than the item holds.
    TypeMismatch {
        /// The item.
        key: String,
        /// What it holds.
        holds: ValueType,
        /// The constant, as written back.
        literal: String,
        /// The constant's type.
        is: ValueType,
    },
    /// A constant that is not one of the item's answers.
    NotAnAnswer {
        /// The constant, as written back.
        literal: String,
        /// The item.
        key: String,
        /// Its answers, comma separated.
        answers: String,
    },
    /// `selected` with an option the item does not have.
    NotAnOption {
        /// The option.
        option: String,
        /// The item.
        key: String,
        /// Its options, comma separated.
        options: String,
    },
    /// `selected` on an item without options.
    SelectedNeedsChoice {
        /// The item.
        key: String,
        /// Its type.
        item_type: String,
    },
    /// Two constants compared.
    ConstantComparison,
    /// Two items of different types compared.
    ItemsDiffer {
        /// The left item.
        left: String,
        /// What it holds.
        left_holds: ValueType,
        /// The right item.
        right: String,
        /// What it holds.
        right_holds: ValueType,
    },
    /// A constant on the left of `in`.
    InNeedsItem,
    /// `<`, `<=`, `>`, `>=` on something other than numbers.
    OrderingNotNumber {
        /// The operator.
        op: String,
        /// The type compared.
        ty: ValueType,
    },
}

impl fmt::Display for CheckReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ReservedWord { key } => write!(
                f,
                "'{key}' is a reserved word and cannot name an item in a condition"
            ),
            Self::UnknownItem { key } => write!(f, "unknown item '{key}'"),
            Self::SelfReference { key } => {
                write!(f, "the item cannot depend on its own answer ('{key}')")
            }
            Self::LaterItem { key } => write!(
                f,
                "'{key}' comes later in the checklist: conditions may only use earlier answers"
            ),
            Self::MultiChoiceCompared { key } => write!(
                f,
                "'{key}' is a multi_choice item; test it with selected({key}, 'option')"
            ),
            Self::PhotoCompared { key } => {
                write!(f, "'{key}' is a photo item; test it with answered({key})")
            }
            Self::NoteNeverAnswered { key } => {
                write!(f, "'{key}' is a note and is never answered")
            }
            Self::TypeMismatch {
                key,
                holds,
                literal,
                is,
            } => write!(f, "'{key}' holds {holds}, but {literal} is {is}"),
            Self::NotAnAnswer {
                literal,
                key,
                answers,
            } => write!(
                f,
                "{literal} is not an answer of '{key}' (answers: {answers})"
            ),
            Self::NotAnOption {
                option,
                key,
                options,
            } => write!(
                f,
                "'{option}' is not an option of '{key}' (options: {options})"
            ),
            Self::SelectedNeedsChoice { key, item_type } => write!(
                f,
                "selected() needs a choice or multi_choice item, but '{key}' is {item_type}"
            ),
            Self::ConstantComparison => {
                f.write_str("compares two constants, which is always true or always false")
            }
            Self::ItemsDiffer {
                left,
                left_holds,
                right,
                right_holds,
            } => write!(
                f,
                "'{left}' holds {left_holds} but '{right}' holds {right_holds}"
            ),
            Self::InNeedsItem => f.write_str("the left side of 'in' must be an item key"),
            Self::OrderingNotNumber { op, ty } => write!(f, "'{op}' compares numbers, not {ty}"),
        }
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

struct Checker<'a, 'f> {
    current: usize,
    lookup: &'f dyn Fn(&str) -> Option<ItemRef<'a>>,
    errors: Vec<CheckError>,
}

/// The value domain of a referenced item: its type and, for closed sets, the allowed strings.
struct Domain<'a> {
    key: &'a str,
    ty: ValueType,
    values: Option<Vec<&'a str>>,
}

impl<'a> Checker<'a, '_> {
    fn fail(&mut self, context: Option<&str>, reason: CheckReason) {
        let message = match context {
            Some(c) => format!("in `{c}`: {reason}"),
            None => reason.to_string(),
        };
        self.errors.push(CheckError {
            message,
            context: context.map(str::to_owned),
            reason,
        });
    }

    /// Resolves a reference, reporting unknown, later and reserved keys.
    fn resolve(&mut self, key: &str) -> Option<ItemRef<'a>> {
        if RESERVED_WORDS.contains(&key) {
            self.fail(None, CheckReason::ReservedWord { key: key.into() });
            return None;
        }
        match (self.lookup)(key) {
            None => {
                self.fail(None, CheckReason::UnknownItem { key: key.into() });
                None
            }
            Some(r) if r.position == self.current => {
                self.fail(None, CheckReason::SelfReference { key: key.into() });
                None
            }
            Some(r) if r.position > self.current => {
                self.fail(None, CheckReason::LaterItem { key: key.into() });
                None
            }
            Some(r) => Some(r),
        }
    }

    fn domain(&mut self, key: &'a str, context: &str) -> Option<Domain<'a>> {
        let r = self.resolve(key)?;
        let (ty, values) = match r.kind {
            ItemKind::YesNo => (ValueType::Text, Some(vec!["yes", "no"])),
            ItemKind::Choice { options } => (
                ValueType::Text,
                Some(options.iter().map(|o| o.key.as_str()).collect()),
            ),
            ItemKind::Scale { .. } | ItemKind::Number(_) | ItemKind::Duration(_) => {
                (ValueType::Number, None)
            }
            ItemKind::Text | ItemKind::Timestamp => (ValueType::Text, None),
            ItemKind::MultiChoice { .. } => {
                self.fail(
                    Some(context),
                    CheckReason::MultiChoiceCompared { key: key.into() },
                );
                return None;
            }
            ItemKind::Photo => {
                self.fail(
                    Some(context),
                    CheckReason::PhotoCompared { key: key.into() },
                );
                return None;
            }
            ItemKind::Note => {
                self.fail(
                    Some(context),
                    CheckReason::NoteNeverAnswered { key: key.into() },
                );
                return None;
            }
        };
        Some(Domain { key, ty, values })
    }

    fn check_literal_in(&mut self, domain: &Domain<'_>, lit: &Literal, context: &str) {
        let ty = literal_type(lit);
        if ty != domain.ty {
            self.fail(
                Some(context),
                CheckReason::TypeMismatch {
                    key: domain.key.into(),
                    holds: domain.ty,
                    literal: lit.to_string(),
                    is: ty,
                },
            );
            return;
        }
        if let (Some(values), Literal::Str(s)) = (&domain.values, lit)
            && !values.contains(&s.as_str())
        {
            self.fail(
                Some(context),
                CheckReason::NotAnAnswer {
                    literal: lit.to_string(),
                    key: domain.key.into(),
                    answers: values.join(", "),
                },
            );
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
                    self.fail(
                        Some(&e.to_string()),
                        CheckReason::NoteNeverAnswered {
                            key: key.to_string(),
                        },
                    );
                }
            }
            Expr::Selected(key, option) => {
                if let Some(r) = self.resolve(key.as_str()) {
                    match r.kind.options() {
                        Some(options) if options.iter().any(|o| o.key == *option) => {}
                        Some(options) => self.fail(
                            Some(&e.to_string()),
                            CheckReason::NotAnOption {
                                option: option.clone(),
                                key: key.to_string(),
                                options: options
                                    .iter()
                                    .map(|o| o.key.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            },
                        ),
                        None => self.fail(
                            Some(&e.to_string()),
                            CheckReason::SelectedNeedsChoice {
                                key: key.to_string(),
                                item_type: r.kind.type_name().to_string(),
                            },
                        ),
                    }
                }
            }
            Expr::Compare { left, op, right } => {
                let context = e.to_string();
                match (left, right) {
                    (Operand::Literal(_), Operand::Literal(_)) => {
                        self.fail(Some(&context), CheckReason::ConstantComparison);
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
                                self.fail(
                                    Some(&context),
                                    CheckReason::ItemsDiffer {
                                        left: a.to_string(),
                                        left_holds: da.ty,
                                        right: b.to_string(),
                                        right_holds: db.ty,
                                    },
                                );
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
                        self.fail(Some(&context), CheckReason::InNeedsItem);
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

    fn check_ordering(&mut self, op: CmpOp, ty: ValueType, context: &str) {
        if !matches!(op, CmpOp::Eq | CmpOp::Ne) && ty != ValueType::Number {
            self.fail(
                Some(context),
                CheckReason::OrderingNotNumber {
                    op: op.to_string(),
                    ty,
                },
            );
        }
    }
}

fn literal_type(lit: &Literal) -> ValueType {
    match lit {
        Literal::Str(_) => ValueType::Text,
        Literal::Num(_) => ValueType::Number,
        Literal::Bool(_) => ValueType::Bool,
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
