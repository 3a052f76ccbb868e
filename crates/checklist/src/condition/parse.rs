//! Lexer and recursive-descent parser for conditions.

use std::fmt;

use super::{CmpOp, Expr, Literal, Operand, RESERVED_WORDS};
use crate::key::{ItemKey, is_valid_key};

/// A syntax error, with the 1-based column (in characters) where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based character column in the condition text.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Cmp(CmpOp),
    Str(String),
    Num(f64),
    Word(String),
    End,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::LParen => "'('".into(),
            Tok::RParen => "')'".into(),
            Tok::LBracket => "'['".into(),
            Tok::RBracket => "']'".into(),
            Tok::Comma => "','".into(),
            Tok::Cmp(op) => format!("'{op}'"),
            Tok::Str(s) => format!("string {}", Literal::Str(s.clone())),
            Tok::Num(n) => format!("number {n}"),
            Tok::Word(w) => format!("'{w}'"),
            Tok::End => "the end of the condition".into(),
        }
    }
}

fn err<T>(column: usize, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        column,
        message: message.into(),
    })
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
}

fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
}

/// Splits the text into tokens with their 1-based columns.
fn lex(text: &str) -> Result<Vec<(Tok, usize)>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        let next = chars.get(i + 1).copied();
        let (tok, len) = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => (Tok::LParen, 1),
            ')' => (Tok::RParen, 1),
            '[' => (Tok::LBracket, 1),
            ']' => (Tok::RBracket, 1),
            ',' => (Tok::Comma, 1),
            '=' if next == Some('=') => (Tok::Cmp(CmpOp::Eq), 2),
            '=' => return err(col, "'=' is not an operator here: compare with '=='"),
            '!' if next == Some('=') => (Tok::Cmp(CmpOp::Ne), 2),
            '!' => {
                return err(
                    col,
                    "'!' is not an operator: negate with 'not', compare with '!='",
                );
            }
            '<' if next == Some('=') => (Tok::Cmp(CmpOp::Le), 2),
            '<' => (Tok::Cmp(CmpOp::Lt), 1),
            '>' if next == Some('=') => (Tok::Cmp(CmpOp::Ge), 2),
            '>' => (Tok::Cmp(CmpOp::Gt), 1),
            '"' => return err(col, "strings are written in single quotes: 'like this'"),
            '\'' => {
                let mut s = String::new();
                let mut j = i + 1;
                loop {
                    match chars.get(j) {
                        None => return err(col, "this string is never closed with a \"'\""),
                        Some('\\') => match chars.get(j + 1) {
                            Some(e @ ('\'' | '\\')) => {
                                s.push(*e);
                                j += 2;
                            }
                            _ => return err(j + 1, "only \\' and \\\\ may follow a backslash"),
                        },
                        Some('\'') => break,
                        Some(ch) => {
                            s.push(*ch);
                            j += 1;
                        }
                    }
                }
                (Tok::Str(s), j + 1 - i)
            }
            c if is_word_char(c) => {
                let mut j = i + 1;
                while j < chars.len() && is_word_char(chars[j]) {
                    j += 1;
                }
                let word: String = chars[i..j].iter().collect();
                let tok = if is_number(&word) {
                    match word.parse::<f64>() {
                        Ok(n) if n.is_finite() => Tok::Num(n),
                        _ => return err(col, format!("{word} is not a usable number")),
                    }
                } else if RESERVED_WORDS.contains(&word.as_str()) || is_valid_key(&word) {
                    Tok::Word(word)
                } else if word.chars().any(|c| c.is_ascii_uppercase()) {
                    return err(
                        col,
                        format!("'{word}' is not a valid item key: keys are lower case"),
                    );
                } else {
                    return err(
                        col,
                        format!("'{word}' is neither a number nor a valid item key"),
                    );
                };
                (tok, j - i)
            }
            other => return err(col, format!("unexpected character '{other}'")),
        };
        out.push((tok, col));
        i += len;
    }
    out.push((Tok::End, chars.len() + 1));
    Ok(out)
}

/// How deep `not` and parentheses may nest. The parser, the checker, the evaluator and the
/// printer recurse over the tree, so nesting is bounded to keep every one of them far from the
/// end of a thread's stack whatever text is given (`((((…` ten thousand deep would overflow it).
pub const MAX_NESTING: usize = 64;

/// How many `and`/`or` one condition may hold: chains build trees as deep as they are long.
pub const MAX_OPERATORS: usize = 256;

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    depth: usize,
    operators: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].0
    }

    fn col(&self) -> usize {
        self.toks[self.pos.min(self.toks.len() - 1)].1
    }

    fn bump(&mut self) -> Tok {
        let tok = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        tok
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Word(x) if x == w)
    }

    fn expect(&mut self, want: &Tok, what: &str) -> Result<(), ParseError> {
        if self.peek() == want {
            self.bump();
            Ok(())
        } else {
            err(
                self.col(),
                format!("expected {what}, found {}", self.peek().describe()),
            )
        }
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.and()?;
        while self.is_word("or") {
            self.operator()?;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        while self.is_word("and") {
            self.operator()?;
            let right = self.unary()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    /// Takes an `and`/`or`, refusing more than [`MAX_OPERATORS`].
    fn operator(&mut self) -> Result<(), ParseError> {
        self.operators += 1;
        if self.operators > MAX_OPERATORS {
            return err(
                self.col(),
                format!("more than {MAX_OPERATORS} 'and'/'or' in one condition"),
            );
        }
        self.bump();
        Ok(())
    }

    /// Enters one level of nesting, refusing more than [`MAX_NESTING`].
    fn nest(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return err(
                self.col(),
                format!("nested more than {MAX_NESTING} levels deep"),
            );
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.is_word("not") {
            self.bump();
            self.nest()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.atom()
    }

    fn key(&mut self) -> Result<ItemKey, ParseError> {
        let col = self.col();
        match self.bump() {
            Tok::Word(w) if !RESERVED_WORDS.contains(&w.as_str()) => {
                ItemKey::parse(&w).map_err(|m| ParseError {
                    column: col,
                    message: m,
                })
            }
            other => err(
                col,
                format!("expected an item key, found {}", other.describe()),
            ),
        }
    }

    fn atom(&mut self) -> Result<Expr, ParseError> {
        match self.peek() {
            Tok::LParen => {
                self.bump();
                self.nest()?;
                let inner = self.or()?;
                self.expect(&Tok::RParen, "')'")?;
                self.depth -= 1;
                Ok(inner)
            }
            Tok::Word(w) if w == "answered" => {
                self.bump();
                self.expect(&Tok::LParen, "'(' after answered")?;
                let key = self.key()?;
                self.expect(&Tok::RParen, "')'")?;
                Ok(Expr::Answered(key))
            }
            Tok::Word(w) if w == "selected" => {
                self.bump();
                self.expect(&Tok::LParen, "'(' after selected")?;
                let key = self.key()?;
                self.expect(&Tok::Comma, "',' between the item key and the option")?;
                let col = self.col();
                let option = match self.bump() {
                    Tok::Str(s) => s,
                    other => {
                        return err(
                            col,
                            format!("expected an option in quotes, found {}", other.describe()),
                        );
                    }
                };
                self.expect(&Tok::RParen, "')'")?;
                Ok(Expr::Selected(key, option))
            }
            _ => self.comparison(),
        }
    }

    fn operand(&mut self) -> Result<Operand, ParseError> {
        let col = self.col();
        match self.peek().clone() {
            Tok::Word(w) if w == "true" || w == "false" => {
                self.bump();
                Ok(Operand::Literal(Literal::Bool(w == "true")))
            }
            Tok::Str(_) | Tok::Num(_) => Ok(Operand::Literal(self.literal()?)),
            Tok::Word(w) if !RESERVED_WORDS.contains(&w.as_str()) => Ok(Operand::Item(self.key()?)),
            other => err(
                col,
                format!(
                    "expected an item key or a value, found {}",
                    other.describe()
                ),
            ),
        }
    }

    fn literal(&mut self) -> Result<Literal, ParseError> {
        let col = self.col();
        match self.bump() {
            Tok::Str(s) => Ok(Literal::Str(s)),
            Tok::Num(n) => Ok(Literal::Num(n)),
            Tok::Word(w) if w == "true" => Ok(Literal::Bool(true)),
            Tok::Word(w) if w == "false" => Ok(Literal::Bool(false)),
            other => err(
                col,
                format!(
                    "expected a value ('text', number, true or false), found {}",
                    other.describe()
                ),
            ),
        }
    }

    fn comparison(&mut self) -> Result<Expr, ParseError> {
        let left = self.operand()?;
        let col = self.col();
        match self.peek().clone() {
            Tok::Cmp(op) => {
                self.bump();
                let right = self.operand()?;
                Ok(Expr::Compare { left, op, right })
            }
            Tok::Word(w) if w == "in" || w == "not" => {
                self.bump();
                let negated = w == "not";
                if negated {
                    let col = self.col();
                    if !self.is_word("in") {
                        return err(
                            col,
                            format!(
                                "expected 'in' after 'not', found {}",
                                self.peek().describe()
                            ),
                        );
                    }
                    self.bump();
                }
                self.expect(&Tok::LBracket, "'[' to start the list")?;
                let mut list = vec![self.literal()?];
                while *self.peek() == Tok::Comma {
                    self.bump();
                    list.push(self.literal()?);
                }
                self.expect(&Tok::RBracket, "',' or ']'")?;
                Ok(Expr::In {
                    operand: left,
                    negated,
                    list,
                })
            }
            other => err(
                col,
                format!(
                    "expected a comparison (==, !=, <, <=, >, >=) or 'in' after {left}, found {}",
                    other.describe()
                ),
            ),
        }
    }
}

/// Parses a condition.
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    let toks = lex(text)?;
    if toks.len() == 1 {
        return err(1, "the condition is empty");
    }
    let mut parser = Parser {
        toks,
        pos: 0,
        depth: 0,
        operators: 0,
    };
    let expr = parser.or()?;
    if *parser.peek() != Tok::End {
        return err(
            parser.col(),
            format!(
                "unexpected {} after a complete condition",
                parser.peek().describe()
            ),
        );
    }
    Ok(expr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> ItemKey {
        ItemKey::parse(s).unwrap()
    }

    #[test]
    fn precedence_or_and_not() {
        let e = parse("a == 'x' or not b == 1 and answered(c)").unwrap();
        assert_eq!(
            e,
            Expr::Or(
                Box::new(Expr::Compare {
                    left: Operand::Item(k("a")),
                    op: CmpOp::Eq,
                    right: Operand::Literal(Literal::Str("x".into()))
                }),
                Box::new(Expr::And(
                    Box::new(Expr::Not(Box::new(Expr::Compare {
                        left: Operand::Item(k("b")),
                        op: CmpOp::Eq,
                        right: Operand::Literal(Literal::Num(1.0))
                    }))),
                    Box::new(Expr::Answered(k("c")))
                ))
            )
        );
    }

    #[test]
    fn in_lists_and_selected() {
        let e = parse("x not in ['a', 'b'] and selected(y, 'ر')").unwrap();
        assert_eq!(e.to_string(), "x not in ['a', 'b'] and selected(y, 'ر')");
        assert_eq!(
            parse("wait_minutes <= -2.5").unwrap().to_string(),
            "wait_minutes <= -2.5"
        );
    }

    #[test]
    fn errors_carry_columns() {
        let e = parse("offered_card = 'no'").unwrap_err();
        assert_eq!(e.column, 14);
        assert!(e.message.contains("=="), "{e}");
        let e = parse("a == 'x' and").unwrap_err();
        assert_eq!(e.column, 13);
        let e = parse("(a == 1").unwrap_err();
        assert!(e.message.contains("')'"), "{e}");
        let e = parse("a == \"x\"").unwrap_err();
        assert_eq!(e.column, 6);
        let e = parse("Offered == 1").unwrap_err();
        assert!(e.message.contains("lower case"), "{e}");
        let e = parse("a == 'x' b").unwrap_err();
        assert_eq!(e.column, 10);
        assert!(parse("").is_err());
        assert!(parse("a").is_err());
        assert!(parse("a in []").is_err());
    }

    #[test]
    fn escapes_round_trip() {
        let e = parse(r"note_text == 'it\'s a \\ test'").unwrap();
        assert_eq!(parse(&e.to_string()).unwrap(), e);
    }
}
