//! Property tests of the condition language: printing and parsing again gives the same tree.

use proptest::prelude::*;
use sirr_checklist::ItemKey;
use sirr_checklist::condition::{CmpOp, Expr, Literal, Operand, RESERVED_WORDS, parse};

fn key() -> impl Strategy<Value = ItemKey> {
    "[a-z][a-z0-9_-]{0,8}"
        .prop_filter("reserved words are not keys in conditions", |k| {
            !RESERVED_WORDS.contains(&k.as_str())
        })
        .prop_map(|k| ItemKey::parse(&k).unwrap())
}

fn literal() -> impl Strategy<Value = Literal> {
    prop_oneof![
        // Any text, including quotes, backslashes and Arabic.
        prop_oneof!["\\PC*", "[ا-ي ]{0,12}", "[a-z'\\\\ ]{0,8}"].prop_map(Literal::Str),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Literal::Num),
        (-1000i64..1000).prop_map(|n| Literal::Num(n as f64)),
        any::<bool>().prop_map(Literal::Bool),
    ]
}

fn operand() -> impl Strategy<Value = Operand> {
    prop_oneof![
        key().prop_map(Operand::Item),
        literal().prop_map(Operand::Literal)
    ]
}

fn op() -> impl Strategy<Value = CmpOp> {
    prop_oneof![
        Just(CmpOp::Eq),
        Just(CmpOp::Ne),
        Just(CmpOp::Lt),
        Just(CmpOp::Le),
        Just(CmpOp::Gt),
        Just(CmpOp::Ge)
    ]
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        key().prop_map(Expr::Answered),
        (key(), "\\PC*").prop_map(|(k, s)| Expr::Selected(k, s)),
        (operand(), op(), operand()).prop_map(|(left, op, right)| Expr::Compare {
            left,
            op,
            right
        }),
        (
            operand(),
            any::<bool>(),
            prop::collection::vec(literal(), 1..4)
        )
            .prop_map(|(operand, negated, list)| Expr::In {
                operand,
                negated,
                list
            }),
    ];
    leaf.prop_recursive(5, 40, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::Or(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::And(Box::new(a), Box::new(b))),
            inner.prop_map(|e| Expr::Not(Box::new(e))),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn print_then_parse_gives_the_same_tree(e in expr()) {
        let printed = e.to_string();
        let parsed = parse(&printed).map_err(|err| TestCaseError::fail(format!("{printed}: {err}")))?;
        prop_assert_eq!(&parsed, &e, "printed as {}", printed);
        // And printing is stable.
        prop_assert_eq!(parsed.to_string(), printed);
    }

    #[test]
    fn parsing_arbitrary_text_never_panics(text in "\\PC{0,60}") {
        let _ = parse(&text);
    }
}

#[test]
fn parentheses_are_kept_only_where_needed() {
    let e = parse("(a == 1 or b == 2) and not (c == 3 and d == 4)").unwrap();
    assert_eq!(
        e.to_string(),
        "(a == 1 or b == 2) and not (c == 3 and d == 4)"
    );
    let e = parse("a == 1 or (b == 2 or c == 3)").unwrap();
    assert_eq!(e.to_string(), "a == 1 or (b == 2 or c == 3)");
    let e = parse("((a == 1))").unwrap();
    assert_eq!(e.to_string(), "a == 1");
}
