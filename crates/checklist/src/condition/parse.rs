//! Lexer and recursive-descent parser for conditions.

use std::fmt;

use super::{CmpOp, Expr, Literal, Operand, RESERVED_WORDS};
use crate::key::{ItemKey, is_valid_key};

/// A syntax error, with the 1-based column (in characters) where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based character column in the condition text.
    pub column: usize,
    /// What is wrong, in English (the reason's [`fmt::Display`]).
    pub message: String,
    /// What is wrong, as data.
    pub reason: SyntaxReason,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Why a condition does not parse; [`fmt::Display`] is the English sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxReason {
    /// A single `=`.
    SingleEquals,
    /// A `!` not followed by `=`.
    Bang,
    /// A string in double quotes.
    DoubleQuote,
    /// A string never closed.
    UnclosedString,
    /// A backslash followed by something other than `'` or `\`.
    BadEscape,
    /// A number that does not fit a double.
    UnusableNumber {
        /// The number as written.
        word: String,
    },
    /// A word with upper-case letters.
    UpperCaseKey {
        /// The word.
        word: String,
    },
    /// A word that is neither a number nor a key.
    NotNumberNorKey {
        /// The word.
        word: String,
    },
    /// A character the language does not use.
    UnexpectedChar {
        /// The character.
        found: String,
    },
    /// Something else than what the grammar needs here.
    Expected {
        /// What was needed.
        want: Want,
        /// What was found.
        found: Token,
    },
    /// More than [`MAX_OPERATORS`] `and`/`or`.
    TooManyOperators {
        /// The limit.
        max: usize,
    },
    /// Nested deeper than [`MAX_NESTING`].
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// A word that is not a valid item key.
    InvalidKey {
        /// The word.
        found: String,
    },
    /// Nothing but spaces.
    Empty,
    /// More text after a complete condition.
    Trailing {
        /// The first token after it.
        found: Token,
    },
}

/// What the grammar needed where it found something else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Want {
    /// `)`.
    CloseParen,
    /// `(` after `answered`.
    OpenParenAfterAnswered,
    /// `(` after `selected`.
    OpenParenAfterSelected,
    /// `,` between the key and the option of `selected`.
    CommaBeforeOption,
    /// `[` to start a list.
    OpenBracket,
    /// `,` or `]` in a list.
    CommaOrCloseBracket,
    /// An item key.
    ItemKey,
    /// An option in quotes.
    QuotedOption,
    /// An item key or a value.
    Operand,
    /// A value.
    Value,
    /// `in` after `not`.
    InAfterNot,
    /// A comparison operator or `in` after an operand.
    Comparison {
        /// The operand, as written back.
        after: String,
    },
}

/// A token as an error message names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A symbol or word, quoted: `'('`, `'=='`, `'and'`.
    Symbol(String),
    /// A string literal, as written back (`'x'`).
    Str(String),
    /// A number.
    Num(String),
    /// The end of the text.
    End,
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Symbol(s) => f.write_str(s),
            Self::Str(s) => write!(f, "string {s}"),
            Self::Num(n) => write!(f, "number {n}"),
            Self::End => f.write_str("the end of the condition"),
        }
    }
}

impl fmt::Display for Want {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CloseParen => f.write_str("')'"),
            Self::OpenParenAfterAnswered => f.write_str("'(' after answered"),
            Self::OpenParenAfterSelected => f.write_str("'(' after selected"),
            Self::CommaBeforeOption => f.write_str("',' between the item key and the option"),
            Self::OpenBracket => f.write_str("'[' to start the list"),
            Self::CommaOrCloseBracket => f.write_str("',' or ']'"),
            Self::ItemKey => f.write_str("an item key"),
            Self::QuotedOption => f.write_str("an option in quotes"),
            Self::Operand => f.write_str("an item key or a value"),
            Self::Value => f.write_str("a value ('text', number, true or false)"),
            Self::InAfterNot => f.write_str("'in' after 'not'"),
            Self::Comparison { after } => {
                write!(
                    f,
                    "a comparison (==, !=, <, <=, >, >=) or 'in' after {after}"
                )
            }
        }
    }
}

impl fmt::Display for SyntaxReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SingleEquals => f.write_str("'=' is not an operator here: compare with '=='"),
            Self::Bang => {
                f.write_str("'!' is not an operator: negate with 'not', compare with '!='")
            }
            Self::DoubleQuote => f.write_str("strings are written in single quotes: 'like this'"),
            Self::UnclosedString => f.write_str("this string is never closed with a \"'\""),
            Self::BadEscape => f.write_str("only \\' and \\\\ may follow a backslash"),
            Self::UnusableNumber { word } => write!(f, "{word} is not a usable number"),
            Self::UpperCaseKey { word } => {
                write!(f, "'{word}' is not a valid item key: keys are lower case")
            }
            Self::NotNumberNorKey { word } => {
                write!(f, "'{word}' is neither a number nor a valid item key")
            }
            Self::UnexpectedChar { found } => write!(f, "unexpected character '{found}'"),
            Self::Expected { want, found } => write!(f, "expected {want}, found {found}"),
            Self::TooManyOperators { max } => {
                write!(f, "more than {max} 'and'/'or' in one condition")
            }
            Self::TooDeep { max } => write!(f, "nested more than {max} levels deep"),
            Self::InvalidKey { found } => write!(
                f,
                "{found:?} is not a valid key: it {}",
                crate::key::KEY_RULE
            ),
            Self::Empty => f.write_str("the condition is empty"),
            Self::Trailing { found } => write!(f, "unexpected {found} after a complete condition"),
        }
    }
}

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
    fn describe(&self) -> Token {
        match self {
            Tok::LParen => Token::Symbol("'('".into()),
            Tok::RParen => Token::Symbol("')'".into()),
            Tok::LBracket => Token::Symbol("'['".into()),
            Tok::RBracket => Token::Symbol("']'".into()),
            Tok::Comma => Token::Symbol("','".into()),
            Tok::Cmp(op) => Token::Symbol(format!("'{op}'")),
            Tok::Str(s) => Token::Str(Literal::Str(s.clone()).to_string()),
            Tok::Num(n) => Token::Num(n.to_string()),
            Tok::Word(w) => Token::Symbol(format!("'{w}'")),
            Tok::End => Token::End,
        }
    }
}

fn err<T>(column: usize, reason: SyntaxReason) -> Result<T, ParseError> {
    Err(ParseError {
        column,
        message: reason.to_string(),
        reason,
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
            '=' => return err(col, SyntaxReason::SingleEquals),
            '!' if next == Some('=') => (Tok::Cmp(CmpOp::Ne), 2),
            '!' => {
                return err(col, SyntaxReason::Bang);
            }
            '<' if next == Some('=') => (Tok::Cmp(CmpOp::Le), 2),
            '<' => (Tok::Cmp(CmpOp::Lt), 1),
            '>' if next == Some('=') => (Tok::Cmp(CmpOp::Ge), 2),
            '>' => (Tok::Cmp(CmpOp::Gt), 1),
            '"' => return err(col, SyntaxReason::DoubleQuote),
            '\'' => {
                let mut s = String::new();
                let mut j = i + 1;
                loop {
                    match chars.get(j) {
                        None => return err(col, SyntaxReason::UnclosedString),
                        Some('\\') => match chars.get(j + 1) {
                            Some(e @ ('\'' | '\\')) => {
                                s.push(*e);
                                j += 2;
                            }
                            _ => return err(j + 1, SyntaxReason::BadEscape),
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
                        _ => return err(col, SyntaxReason::UnusableNumber { word }),
                    }
                } else if RESERVED_WORDS.contains(&word.as_str()) || is_valid_key(&word) {
                    Tok::Word(word)
                } else if word.chars().any(|c| c.is_ascii_uppercase()) {
                    return err(col, SyntaxReason::UpperCaseKey { word });
                } else {
                    return err(col, SyntaxReason::NotNumberNorKey { word });
                };
                (tok, j - i)
            }
            other => {
                return err(
                    col,
                    SyntaxReason::UnexpectedChar {
                        found: other.to_string(),
                    },
                );
            }
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

    fn expect(&mut self, want: &Tok, what: Want) -> Result<(), ParseError> {
        if self.peek() == want {
            self.bump();
            Ok(())
        } else {
            self.expected(self.col(), what, self.peek().describe())
        }
    }

    fn expected<T>(&self, column: usize, want: Want, found: Token) -> Result<T, ParseError> {
        err(column, SyntaxReason::Expected { want, found })
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
                SyntaxReason::TooManyOperators { max: MAX_OPERATORS },
            );
        }
        self.bump();
        Ok(())
    }

    /// Enters one level of nesting, refusing more than [`MAX_NESTING`].
    fn nest(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return err(self.col(), SyntaxReason::TooDeep { max: MAX_NESTING });
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
                ItemKey::parse(&w).or_else(|_| err(col, SyntaxReason::InvalidKey { found: w }))
            }
            other => self.expected(col, Want::ItemKey, other.describe()),
        }
    }

    fn atom(&mut self) -> Result<Expr, ParseError> {
        match self.peek() {
            Tok::LParen => {
                self.bump();
                self.nest()?;
                let inner = self.or()?;
                self.expect(&Tok::RParen, Want::CloseParen)?;
                self.depth -= 1;
                Ok(inner)
            }
            Tok::Word(w) if w == "answered" => {
                self.bump();
                self.expect(&Tok::LParen, Want::OpenParenAfterAnswered)?;
                let key = self.key()?;
                self.expect(&Tok::RParen, Want::CloseParen)?;
                Ok(Expr::Answered(key))
            }
            Tok::Word(w) if w == "selected" => {
                self.bump();
                self.expect(&Tok::LParen, Want::OpenParenAfterSelected)?;
                let key = self.key()?;
                self.expect(&Tok::Comma, Want::CommaBeforeOption)?;
                let col = self.col();
                let option = match self.bump() {
                    Tok::Str(s) => s,
                    other => {
                        return self.expected(col, Want::QuotedOption, other.describe());
                    }
                };
                self.expect(&Tok::RParen, Want::CloseParen)?;
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
            other => self.expected(col, Want::Operand, other.describe()),
        }
    }

    fn literal(&mut self) -> Result<Literal, ParseError> {
        let col = self.col();
        match self.bump() {
            Tok::Str(s) => Ok(Literal::Str(s)),
            Tok::Num(n) => Ok(Literal::Num(n)),
            Tok::Word(w) if w == "true" => Ok(Literal::Bool(true)),
            Tok::Word(w) if w == "false" => Ok(Literal::Bool(false)),
            other => self.expected(col, Want::Value, other.describe()),
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
                        return self.expected(col, Want::InAfterNot, self.peek().describe());
                    }
                    self.bump();
                }
                self.expect(&Tok::LBracket, Want::OpenBracket)?;
                let mut list = vec![self.literal()?];
                while *self.peek() == Tok::Comma {
                    self.bump();
                    list.push(self.literal()?);
                }
                self.expect(&Tok::RBracket, Want::CommaOrCloseBracket)?;
                Ok(Expr::In {
                    operand: left,
                    negated,
                    list,
                })
            }
            other => self.expected(
                col,
                Want::Comparison {
                    after: left.to_string(),
                },
                other.describe(),
            ),
        }
    }
}

/// Parses a condition.
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    let toks = lex(text)?;
    if toks.len() == 1 {
        return err(1, SyntaxReason::Empty);
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
            SyntaxReason::Trailing {
                found: parser.peek().describe(),
            },
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
