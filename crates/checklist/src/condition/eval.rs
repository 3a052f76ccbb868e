//! Evaluation of conditions over a visit's answers.

use super::{CmpOp, Expr, Literal, Operand};

/// An answer as a condition sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lookup<'a> {
    /// Unanswered, answered `"na"`, or hidden: every comparison on it is false.
    Missing,
    /// A text-like answer (`yes`/`no`, an option key, text, a timestamp).
    Str(&'a str),
    /// A numeric answer.
    Num(f64),
    /// The selected options of a multi-choice item.
    Many(&'a [String]),
}

/// Gives conditions access to answers by item key.
pub trait Lookups {
    /// The answer to `key`, or [`Lookup::Missing`].
    fn lookup(&self, key: &str) -> Lookup<'_>;
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Value<'a> {
    Str(&'a str),
    Num(f64),
    Bool(bool),
}

fn value<'a>(operand: &'a Operand, answers: &'a impl Lookups) -> Option<Value<'a>> {
    match operand {
        Operand::Literal(lit) => Some(literal_value(lit)),
        Operand::Item(key) => match answers.lookup(key.as_str()) {
            Lookup::Str(s) => Some(Value::Str(s)),
            Lookup::Num(n) => Some(Value::Num(n)),
            Lookup::Missing | Lookup::Many(_) => None,
        },
    }
}

fn literal_value(lit: &Literal) -> Value<'_> {
    match lit {
        Literal::Str(s) => Value::Str(s),
        Literal::Num(n) => Value::Num(*n),
        Literal::Bool(b) => Value::Bool(*b),
    }
}

fn compare(a: Value<'_>, op: CmpOp, b: Value<'_>) -> bool {
    let ord = match (a, b) {
        (Value::Str(x), Value::Str(y)) => x.partial_cmp(y),
        (Value::Num(x), Value::Num(y)) => x.partial_cmp(&y),
        (Value::Bool(x), Value::Bool(y)) => x.partial_cmp(&y),
        _ => None,
    };
    let Some(ord) = ord else { return false };
    match op {
        CmpOp::Eq => ord.is_eq(),
        CmpOp::Ne => ord.is_ne(),
        CmpOp::Lt => ord.is_lt(),
        CmpOp::Le => ord.is_le(),
        CmpOp::Gt => ord.is_gt(),
        CmpOp::Ge => ord.is_ge(),
    }
}

impl Expr {
    /// Evaluates the condition. Any comparison, `in` or `selected` that touches a missing answer
    /// is false, as is `answered` of one; `and`/`or`/`not` are ordinary two-valued logic.
    pub fn eval(&self, answers: &impl Lookups) -> bool {
        match self {
            Expr::Or(a, b) => a.eval(answers) || b.eval(answers),
            Expr::And(a, b) => a.eval(answers) && b.eval(answers),
            Expr::Not(e) => !e.eval(answers),
            Expr::Answered(key) => !matches!(answers.lookup(key.as_str()), Lookup::Missing),
            Expr::Selected(key, option) => match answers.lookup(key.as_str()) {
                Lookup::Str(s) => s == option,
                Lookup::Many(selected) => selected.iter().any(|s| s == option),
                Lookup::Missing | Lookup::Num(_) => false,
            },
            Expr::Compare { left, op, right } => {
                match (value(left, answers), value(right, answers)) {
                    (Some(a), Some(b)) => compare(a, *op, b),
                    _ => false,
                }
            }
            Expr::In {
                operand,
                negated,
                list,
            } => match value(operand, answers) {
                Some(v) => {
                    let found = list
                        .iter()
                        .any(|lit| compare(v, CmpOp::Eq, literal_value(lit)));
                    found != *negated
                }
                None => false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::super::parse;
    use super::*;

    struct Map(HashMap<&'static str, Lookup<'static>>);

    impl Lookups for Map {
        fn lookup(&self, key: &str) -> Lookup<'_> {
            self.0.get(key).copied().unwrap_or(Lookup::Missing)
        }
    }

    static MULTI: [String; 0] = [];

    fn answers() -> Map {
        Map(HashMap::from([
            ("offered_card", Lookup::Str("asked")),
            ("wait", Lookup::Num(7.0)),
            ("extras", Lookup::Many(&MULTI)),
        ]))
    }

    #[test]
    fn evaluates_with_missing_answers_false() {
        let a = answers();
        let t = |s: &str| parse(s).unwrap().eval(&a);
        assert!(t("offered_card != 'no'"));
        assert!(t("wait > 5 and wait <= 7"));
        assert!(!t("wait < 7"));
        assert!(t("offered_card in ['asked', 'proactive']"));
        assert!(!t("offered_card not in ['asked']"));
        // missing answers make comparisons false, and `not` is plain negation
        assert!(!t("card_benefits == 3"));
        assert!(!t("card_benefits != 3"));
        assert!(t("not card_benefits == 3"));
        assert!(!t("card_benefits not in [1]"));
        assert!(!t("answered(card_benefits)"));
        assert!(t("answered(offered_card)"));
        assert!(!t("selected(extras, 'a')"));
        assert!(t("selected(offered_card, 'asked')"));
    }
}
