//! The `show_if` condition language (SPEC §9.7): a small, typed language over earlier answers.
//!
//! ```text
//! expr    := or
//! or      := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | atom
//! atom    := "(" expr ")" | "answered(" KEY ")" | "selected(" KEY "," STRING ")"
//!          | operand (CMP operand | ["not"] "in" "[" literal ("," literal)* "]")
//! CMP     := "==" | "!=" | "<" | "<=" | ">" | ">="
//! operand := KEY | literal
//! literal := 'single-quoted string' | number | true | false
//! ```
//!
//! [`parse`] builds an [`Expr`], whose `Display` prints it back in a form that parses to the same
//! tree; [`check`] types it against the items before it; [`Expr::eval`] evaluates it with
//! two-valued logic where anything touching an unanswered, N/A or hidden item is false.

mod check;
mod eval;
mod parse;

use std::fmt;

use serde::{Serialize, Serializer};

use crate::key::ItemKey;

pub use check::{CheckError, CheckReason, ItemRef, ValueType, check};
pub use eval::{Lookup, Lookups};
pub use parse::{MAX_NESTING, MAX_OPERATORS, ParseError, SyntaxReason, Token, Want, parse};

/// Words with a meaning of their own; items with these keys cannot be named in a condition.
pub const RESERVED_WORDS: [&str; 8] = [
    "and", "or", "not", "in", "true", "false", "answered", "selected",
];

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Either side holds.
    Or(Box<Expr>, Box<Expr>),
    /// Both sides hold.
    And(Box<Expr>, Box<Expr>),
    /// The inner condition does not hold.
    Not(Box<Expr>),
    /// The item was answered (not N/A, not hidden).
    Answered(ItemKey),
    /// A choice or multi-choice item has this option selected.
    Selected(ItemKey, String),
    /// A comparison of two operands.
    Compare {
        /// Left operand.
        left: Operand,
        /// Comparison operator.
        op: CmpOp,
        /// Right operand.
        right: Operand,
    },
    /// Membership in a list of literals.
    In {
        /// The tested operand.
        operand: Operand,
        /// `not in` instead of `in`.
        negated: bool,
        /// The literals.
        list: Vec<Literal>,
    },
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// The answer to an earlier item.
    Item(ItemKey),
    /// A constant.
    Literal(Literal),
}

/// A constant.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `'text'`
    Str(String),
    /// `12`, `-3.5`
    Num(f64),
    /// `true` / `false`
    Bool(bool),
}

impl Expr {
    /// Every item key the condition refers to, in order of appearance.
    pub fn references(&self) -> Vec<&ItemKey> {
        let mut out = Vec::new();
        self.collect_references(&mut out);
        out
    }

    fn collect_references<'a>(&'a self, out: &mut Vec<&'a ItemKey>) {
        match self {
            Expr::Or(a, b) | Expr::And(a, b) => {
                a.collect_references(out);
                b.collect_references(out);
            }
            Expr::Not(e) => e.collect_references(out),
            Expr::Answered(k) | Expr::Selected(k, _) => out.push(k),
            Expr::Compare { left, right, .. } => {
                for side in [left, right] {
                    if let Operand::Item(k) = side {
                        out.push(k);
                    }
                }
            }
            Expr::In { operand, .. } => {
                if let Operand::Item(k) = operand {
                    out.push(k);
                }
            }
        }
    }

    /// Binding strength, for printing with the fewest parentheses that keep the tree.
    fn precedence(&self) -> u8 {
        match self {
            Expr::Or(..) => 0,
            Expr::And(..) => 1,
            Expr::Not(_) => 2,
            _ => 3,
        }
    }

    fn fmt_at(&self, f: &mut fmt::Formatter<'_>, min: u8) -> fmt::Result {
        if self.precedence() < min {
            f.write_str("(")?;
            self.fmt_at(f, 0)?;
            return f.write_str(")");
        }
        match self {
            Expr::Or(a, b) => {
                a.fmt_at(f, 0)?;
                f.write_str(" or ")?;
                b.fmt_at(f, 1)
            }
            Expr::And(a, b) => {
                a.fmt_at(f, 1)?;
                f.write_str(" and ")?;
                b.fmt_at(f, 2)
            }
            Expr::Not(e) => {
                f.write_str("not ")?;
                e.fmt_at(f, 2)
            }
            Expr::Answered(k) => write!(f, "answered({k})"),
            Expr::Selected(k, s) => write!(f, "selected({k}, {})", Literal::Str(s.clone())),
            Expr::Compare { left, op, right } => write!(f, "{left} {op} {right}"),
            Expr::In {
                operand,
                negated,
                list,
            } => {
                write!(f, "{operand} {}in [", if *negated { "not " } else { "" })?;
                for (i, lit) in list.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{lit}")?;
                }
                f.write_str("]")
            }
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_at(f, 0)
    }
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for CmpOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        })
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Item(k) => write!(f, "{k}"),
            Operand::Literal(l) => write!(f, "{l}"),
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Str(s) => {
                f.write_str("'")?;
                for c in s.chars() {
                    if c == '\'' || c == '\\' {
                        f.write_str("\\")?;
                    }
                    write!(f, "{c}")?;
                }
                f.write_str("'")
            }
            // Rust prints the shortest representation that parses back to the same f64.
            Literal::Num(n) => write!(f, "{n}"),
            Literal::Bool(b) => write!(f, "{b}"),
        }
    }
}
