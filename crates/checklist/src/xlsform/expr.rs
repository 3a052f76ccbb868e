//! Translation of XLSForm `relevant` expressions (an XPath subset) into `show_if` conditions.
//!
//! Supported: `${q} = 'x'`, `!=`, `<`, `<=`, `>`, `>=`, `and`, `or`, `not(…)`, parentheses,
//! `selected(${q}, 'x')`, `${q} != ''` / `${q} = ''` (→ `answered`), `string-length(${q}) > 0`
//! and `count-selected(${q}) > 0` (→ `answered`), `true()`. Anything else is refused with the
//! character position, never silently dropped.

use std::collections::HashMap;

use crate::condition::{CmpOp, Expr, Literal, Operand};
use crate::key::ItemKey;

use super::reason::{Expected, ExprReason as Why};

/// What the translator knows about a referenced question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// Compared as text (`text`, `choice`, `yes_no`, `timestamp`).
    Text,
    /// Compared as a number (`integer`, `decimal`, `range`).
    Number,
    /// `select_multiple`: only `selected()` and emptiness tests apply.
    Multi,
    /// Photos: only emptiness tests apply.
    Opaque,
}

/// A translation failure, with the 1-based character position in the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    /// 1-based character position.
    pub position: usize,
    /// What is wrong.
    pub reason: Why,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ref(String),
    Str(String),
    Num(f64),
    Word(String),
    Op(CmpOp),
    LParen,
    RParen,
    Comma,
    End,
}

fn fail<T>(position: usize, reason: Why) -> Result<T, ExprError> {
    Err(ExprError { position, reason })
}

fn lex(text: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let pos = i + 1;
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let (tok, len) = match c {
            '(' => (Tok::LParen, 1),
            ')' => (Tok::RParen, 1),
            ',' => (Tok::Comma, 1),
            '=' => (Tok::Op(CmpOp::Eq), 1),
            '!' if next == Some('=') => (Tok::Op(CmpOp::Ne), 2),
            '<' if next == Some('=') => (Tok::Op(CmpOp::Le), 2),
            '<' => (Tok::Op(CmpOp::Lt), 1),
            '>' if next == Some('=') => (Tok::Op(CmpOp::Ge), 2),
            '>' => (Tok::Op(CmpOp::Gt), 1),
            '$' if next == Some('{') => {
                let Some(end) = chars[i..].iter().position(|&c| c == '}') else {
                    return fail(pos, Why::UnclosedReference);
                };
                let name: String = chars[i + 2..i + end].iter().collect();
                (Tok::Ref(name.trim().to_owned()), end + 1)
            }
            '\'' | '"' => {
                let Some(end) = chars[i + 1..].iter().position(|&q| q == c) else {
                    return fail(pos, Why::UnclosedString);
                };
                (
                    Tok::Str(chars[i + 1..i + 1 + end].iter().collect()),
                    end + 2,
                )
            }
            c if c.is_ascii_digit() || (c == '-' && next.is_some_and(|n| n.is_ascii_digit())) => {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                    j += 1;
                }
                let s: String = chars[i..j].iter().collect();
                match s.parse::<f64>() {
                    Ok(n) => (Tok::Num(n), j - i),
                    Err(_) => return fail(pos, Why::NotANumber { found: s }),
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut j = i + 1;
                while j < chars.len()
                    && (chars[j].is_alphanumeric() || matches!(chars[j], '_' | '-' | ':' | '.'))
                {
                    j += 1;
                }
                (Tok::Word(chars[i..j].iter().collect()), j - i)
            }
            '.' => {
                return fail(pos, Why::CurrentQuestion);
            }
            other => {
                return fail(
                    pos,
                    Why::UnsupportedCharacter {
                        found: other.to_string(),
                    },
                );
            }
        };
        out.push((tok, pos));
        i += len;
    }
    out.push((Tok::End, chars.len() + 1));
    Ok(out)
}

/// A value-level term before it is turned into a condition.
#[derive(Debug, Clone, PartialEq)]
enum Term {
    Ref(String, usize),
    Lit(Literal),
    StringLength(String, usize),
    CountSelected(String, usize),
    Cond(Expr),
}

struct Translator<'a> {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    refs: &'a dyn Fn(&str) -> Option<(ItemKey, RefKind)>,
}

impl Translator<'_> {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }

    fn at(&self) -> usize {
        self.toks[self.pos].1
    }

    fn bump(&mut self) -> Tok {
        let t = self.toks[self.pos].0.clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Word(x) if x == w)
    }

    fn expect(&mut self, t: &Tok, what: Expected) -> Result<(), ExprError> {
        if self.peek() == t {
            self.bump();
            Ok(())
        } else {
            fail(self.at(), Why::Expected(what))
        }
    }

    fn or(&mut self) -> Result<Term, ExprError> {
        let mut left = self.and()?;
        while self.is_word("or") {
            let at = self.at();
            self.bump();
            let right = self.and()?;
            left = Term::Cond(Expr::Or(
                Box::new(self.cond(left, at)?),
                Box::new(self.cond(right, at)?),
            ));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Term, ExprError> {
        let mut left = self.comparison()?;
        while self.is_word("and") {
            let at = self.at();
            self.bump();
            let right = self.comparison()?;
            left = Term::Cond(Expr::And(
                Box::new(self.cond(left, at)?),
                Box::new(self.cond(right, at)?),
            ));
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Result<Term, ExprError> {
        let left = self.primary()?;
        if let Tok::Op(op) = *self.peek() {
            let at = self.at();
            self.bump();
            let right = self.primary()?;
            return Ok(Term::Cond(self.compare(left, op, right, at)?));
        }
        Ok(left)
    }

    fn reference(&self, name: &str, at: usize) -> Result<(ItemKey, RefKind), ExprError> {
        (self.refs)(name).ok_or_else(|| ExprError {
            position: at,
            reason: Why::NotBefore {
                reference: reference(name),
            },
        })
    }

    fn ref_arg(&mut self, func: &str) -> Result<(String, usize), ExprError> {
        let at = self.at();
        match self.bump() {
            Tok::Ref(name) => Ok((name, at)),
            _ => fail(
                at,
                Why::NeedsReference {
                    function: func.to_owned(),
                },
            ),
        }
    }

    fn primary(&mut self) -> Result<Term, ExprError> {
        let at = self.at();
        match self.bump() {
            Tok::LParen => {
                let inner = self.or()?;
                self.expect(&Tok::RParen, Expected::CloseParen)?;
                Ok(inner)
            }
            Tok::Ref(name) => Ok(Term::Ref(name, at)),
            Tok::Str(s) => Ok(Term::Lit(Literal::Str(s))),
            Tok::Num(n) => Ok(Term::Lit(Literal::Num(n))),
            Tok::Word(w) => {
                self.expect(&Tok::LParen, Expected::OpenParenAfter { word: w.clone() })?;
                let term = match w.as_str() {
                    "not" => {
                        let inner = self.or()?;
                        Term::Cond(Expr::Not(Box::new(self.cond(inner, at)?)))
                    }
                    "selected" => {
                        let (name, rat) = self.ref_arg("selected")?;
                        self.expect(&Tok::Comma, Expected::SelectedComma)?;
                        let oat = self.at();
                        let option = match self.bump() {
                            Tok::Str(s) => s,
                            Tok::Num(n) => n.to_string(),
                            _ => return fail(oat, Why::SelectedNeedsOption),
                        };
                        let (key, kind) = self.reference(&name, rat)?;
                        match kind {
                            RefKind::Multi => Term::Cond(Expr::Selected(key, option)),
                            RefKind::Text => Term::Cond(Expr::Compare {
                                left: Operand::Item(key),
                                op: CmpOp::Eq,
                                right: Operand::Literal(Literal::Str(option)),
                            }),
                            _ => {
                                return fail(
                                    rat,
                                    Why::SelectedNeedsSelect {
                                        reference: reference(&name),
                                    },
                                );
                            }
                        }
                    }
                    "string-length" => {
                        let (name, rat) = self.ref_arg("string-length")?;
                        Term::StringLength(name, rat)
                    }
                    "count-selected" => {
                        let (name, rat) = self.ref_arg("count-selected")?;
                        Term::CountSelected(name, rat)
                    }
                    "true" | "false" => Term::Lit(Literal::Bool(w == "true")),
                    other => {
                        return fail(
                            at,
                            Why::UnknownFunction {
                                function: other.to_owned(),
                            },
                        );
                    }
                };
                self.expect(&Tok::RParen, Expected::CloseParen)?;
                Ok(term)
            }
            Tok::End => fail(at, Why::EndsEarly),
            other => fail(
                at,
                Why::Unexpected {
                    found: describe(&other),
                    after_condition: false,
                },
            ),
        }
    }

    /// A term used where a condition is needed.
    fn cond(&self, term: Term, at: usize) -> Result<Expr, ExprError> {
        match term {
            Term::Cond(e) => Ok(e),
            // In XPath a non-empty value is true.
            Term::Ref(name, rat) => Ok(Expr::Answered(self.reference(&name, rat)?.0)),
            Term::StringLength(name, rat) | Term::CountSelected(name, rat) => {
                Ok(Expr::Answered(self.reference(&name, rat)?.0))
            }
            Term::Lit(_) => fail(at, Why::ConstantAlone),
        }
    }

    fn compare(&self, left: Term, op: CmpOp, right: Term, at: usize) -> Result<Expr, ExprError> {
        // Normalise so that a reference or function is on the left.
        let (left, op, right) = match (&left, &right) {
            (Term::Lit(_), Term::Ref(..) | Term::StringLength(..) | Term::CountSelected(..)) => {
                (right, flip(op), left)
            }
            _ => (left, op, right),
        };
        match (left, right) {
            (
                Term::StringLength(name, rat) | Term::CountSelected(name, rat),
                Term::Lit(Literal::Num(n)),
            ) => {
                let key = self.reference(&name, rat)?.0;
                let answered = Expr::Answered(key);
                match (op, n) {
                    (CmpOp::Gt, 0.0) | (CmpOp::Ge, 1.0) | (CmpOp::Ne, 0.0) => Ok(answered),
                    (CmpOp::Eq, 0.0) | (CmpOp::Lt, 1.0) | (CmpOp::Le, 0.0) => {
                        Ok(Expr::Not(Box::new(answered)))
                    }
                    _ => fail(at, Why::OnlyEmptinessTests),
                }
            }
            (Term::Ref(name, rat), Term::Lit(lit)) => {
                let (key, kind) = self.reference(&name, rat)?;
                if lit == Literal::Str(String::new()) {
                    return match op {
                        CmpOp::Ne => Ok(Expr::Answered(key)),
                        CmpOp::Eq => Ok(Expr::Not(Box::new(Expr::Answered(key)))),
                        _ => fail(at, Why::OnlyEqualityWithEmpty),
                    };
                }
                let lit = match (kind, lit) {
                    (RefKind::Number, Literal::Str(s)) => match s.trim().parse::<f64>() {
                        Ok(n) => Literal::Num(n),
                        Err(_) => {
                            return fail(
                                at,
                                Why::NumberVersusText {
                                    reference: reference(&name),
                                    found: s,
                                },
                            );
                        }
                    },
                    (RefKind::Text, Literal::Num(n)) => Literal::Str(n.to_string()),
                    (RefKind::Multi, Literal::Str(s)) if op == CmpOp::Eq => {
                        return Ok(Expr::Selected(key, s));
                    }
                    (RefKind::Multi | RefKind::Opaque, _) => {
                        return fail(
                            at,
                            Why::OnlySelected {
                                reference: reference(&name),
                            },
                        );
                    }
                    (_, lit) => lit,
                };
                Ok(Expr::Compare {
                    left: Operand::Item(key),
                    op,
                    right: Operand::Literal(lit),
                })
            }
            (Term::Ref(a, aat), Term::Ref(b, bat)) => {
                let (ka, kinda) = self.reference(&a, aat)?;
                let (kb, kindb) = self.reference(&b, bat)?;
                if kinda != kindb || matches!(kinda, RefKind::Multi | RefKind::Opaque) {
                    return fail(
                        at,
                        Why::NotComparable {
                            left: reference(&a),
                            right: reference(&b),
                        },
                    );
                }
                Ok(Expr::Compare {
                    left: Operand::Item(ka),
                    op,
                    right: Operand::Item(kb),
                })
            }
            _ => fail(at, Why::UnsupportedComparison),
        }
    }
}

/// A reference as XLSForm writes it: `${name}`.
fn reference(name: &str) -> String {
    format!("${{{name}}}")
}

fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        other => other,
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Ref(n) => reference(n),
        Tok::Str(s) => format!("'{s}'"),
        Tok::Num(n) => n.to_string(),
        Tok::Word(w) => format!("'{w}'"),
        Tok::Op(op) => format!("'{op}'"),
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::Comma => "','".into(),
        Tok::End => "end".into(),
    }
}

/// Translates a `relevant` expression. `Ok(None)` means "always relevant" (`true()`).
pub fn translate(
    text: &str,
    refs: &dyn Fn(&str) -> Option<(ItemKey, RefKind)>,
) -> Result<Option<Expr>, ExprError> {
    let toks = lex(text)?;
    let mut t = Translator { toks, pos: 0, refs };
    let term = t.or()?;
    if *t.peek() != Tok::End {
        return fail(
            t.at(),
            Why::Unexpected {
                found: describe(t.peek()),
                after_condition: true,
            },
        );
    }
    match term {
        Term::Lit(Literal::Bool(true)) => Ok(None),
        Term::Lit(Literal::Bool(false)) => fail(1, Why::AlwaysFalse),
        other => t.cond(other, 1).map(Some),
    }
}

/// Builds the reference resolver from a name table.
pub fn resolver(
    table: &HashMap<String, (ItemKey, RefKind)>,
) -> impl Fn(&str) -> Option<(ItemKey, RefKind)> + '_ {
    move |name| table.get(name).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> HashMap<String, (ItemKey, RefKind)> {
        [
            ("q", RefKind::Text),
            ("age", RefKind::Number),
            ("extras", RefKind::Multi),
        ]
        .into_iter()
        .map(|(n, k)| (n.to_owned(), (ItemKey::parse(n).unwrap(), k)))
        .collect()
    }

    fn tr(s: &str) -> Result<String, ExprError> {
        let t = table();
        translate(s, &resolver(&t)).map(|e| e.map(|e| e.to_string()).unwrap_or_default())
    }

    #[test]
    fn common_forms() {
        assert_eq!(tr("${q} = 'x'").unwrap(), "q == 'x'");
        assert_eq!(
            tr("${q} != 'x' and ${age} >= '18'").unwrap(),
            "q != 'x' and age >= 18"
        );
        assert_eq!(
            tr("not(selected(${extras}, 'a')) or ${q}=\"y\"").unwrap(),
            "not selected(extras, 'a') or q == 'y'"
        );
        assert_eq!(tr("${q} != ''").unwrap(), "answered(q)");
        assert_eq!(tr("string-length(${q}) > 0").unwrap(), "answered(q)");
        assert_eq!(tr("18 < ${age}").unwrap(), "age > 18");
        assert_eq!(tr("selected(${q}, 'x')").unwrap(), "q == 'x'");
        assert_eq!(tr("true()").unwrap(), "");
    }

    #[test]
    fn refuses_with_position() {
        let e = tr("regex(${q}, 'a')").unwrap_err();
        assert_eq!(e.position, 1);
        assert!(e.reason.to_string().contains("regex"));
        let e = tr("${q} = 'x' and ${nope} = 1").unwrap_err();
        assert_eq!(e.position, 16);
        assert!(tr("${age} + 1 > 3").is_err());
    }
}
