//! Problems with a checklist document (the 422 of an upload, its warnings, an XLSForm import's
//! validation problems) as messages, so that QA reads them in their language (SPEC §10.31).
//! The checklist crate says what is wrong as data ([`ProblemReason`]); this names the messages.
//! Keys, fields, values and conditions as the document wrote them are passed as they are —
//! Arabic isolates them.

use sirr_checklist::condition::{CheckReason, SyntaxReason, Token, ValueType, Want};
use sirr_checklist::problem::{Expected, Found, Keyed, ListOf, Part, Scored, Titled};
use sirr_checklist::{Problem, ProblemReason};

use crate::api::error::Detail;
use crate::i18n::Msg;
use crate::msg;

/// The 422 details (or warnings) of checklist problems: the JSON pointer and the message.
pub fn details(problems: impl IntoIterator<Item = Problem>) -> Vec<Detail> {
    problems
        .into_iter()
        .map(|p| Detail {
            problem: message(&p.reason).into(),
            path: p.path,
        })
        .collect()
}

/// The message of one reason.
pub fn message(reason: &ProblemReason) -> Msg {
    use ProblemReason as R;
    match reason.clone() {
        R::WrongType { expected: e, found } => {
            msg!(
                "checklist-wrong-type",
                expected = expected(&e),
                found = found_msg(found)
            )
        }
        R::UnknownField {
            field,
            suggestion: None,
        } => msg!("checklist-unknown-field", field = field),
        R::UnknownField {
            field,
            suggestion: Some(suggestion),
        } => msg!(
            "checklist-unknown-field-suggestion",
            field = field,
            suggestion = suggestion
        ),
        R::MissingField { field } => msg!("checklist-missing-field", field = field),
        R::Empty => msg!("checklist-empty"),
        R::EmptyList(of) => match of {
            ListOf::LanguageTags => msg!("checklist-empty-languages", example = "[\"en\", \"ar\"]"),
            ListOf::Sections => msg!("checklist-empty-sections"),
            ListOf::Items => msg!("checklist-empty-items"),
            ListOf::Strings => msg!("checklist-empty-strings"),
            ListOf::Options => msg!("checklist-empty-options"),
            ListOf::Bands => msg!("checklist-empty-bands"),
        },
        R::InvalidKey { found } => msg!("checklist-invalid-key", found = format!("{found:?}")),
        R::InvalidLanguageTag { found } => {
            msg!(
                "checklist-invalid-language-tag",
                found = format!("{found:?}")
            )
        }
        R::TextWithoutLanguages => {
            msg!(
                "checklist-text-without-languages",
                example = "{\"en\": \"…\"}"
            )
        }
        R::LanguageTwice { lang } => msg!("checklist-language-twice", lang = lang),
        R::InvalidVersion { found } => {
            msg!("checklist-invalid-version", found = found_msg(found))
        }
        R::WeightNotPositive { found: Some(found) } => {
            msg!("checklist-weight-not-positive", found = found)
        }
        R::WeightNotPositive { found: None } => msg!("checklist-weight-not-positive-number"),
        R::FieldNotForType { field, item_type } => {
            msg!(
                "checklist-field-not-for-type",
                field = field,
                item_type = item_type
            )
        }
        R::UnknownItemType { found, types } => {
            msg!("checklist-unknown-item-type", found = found, types = types)
        }
        R::OptionWithoutKey => msg!("checklist-option-without-key"),
        R::ConditionSyntax {
            condition,
            column,
            reason,
        } => msg!(
            "checklist-condition-syntax",
            column = column,
            problem = syntax(reason),
            condition = condition
        ),
        R::Condition {
            context: None,
            reason,
        } => check(reason),
        R::Condition {
            context: Some(context),
            reason,
        } => msg!(
            "checklist-condition-in",
            context = context,
            problem = check(reason)
        ),
        R::NoText(Titled::Checklist) => msg!("checklist-no-title-checklist"),
        R::NoText(Titled::Section) => msg!("checklist-no-title-section"),
        R::NoText(Titled::Item) => msg!("checklist-no-text-item"),
        R::CapOutOfRange { found } => msg!("checklist-cap-out-of-range", found = found),
        R::DuplicateKey { of, key, first } => {
            let of = match of {
                Keyed::Section => "section",
                Keyed::Item => "item",
                Keyed::Option => "option",
            };
            msg!("checklist-duplicate-key", of = of, key = key, first = first)
        }
        R::MissingTranslation { lang } => msg!("checklist-missing-translation", lang = lang),
        R::UndeclaredLanguage { lang } => msg!("checklist-undeclared-language", lang = lang),
        R::ScaleBounds { min, max } => msg!(
            "checklist-scale-bounds",
            min = min.to_string(),
            max = max.to_string()
        ),
        R::ScoreOutOfRange { of, found } => {
            let of = match of {
                Scored::Option => "option",
                Scored::Band => "band",
            };
            msg!("checklist-score-out-of-range", of = of, found = found)
        }
        R::NoteFlag { flag } => msg!("checklist-note-flag", flag = flag),
        R::NoteWeight => msg!("checklist-note-weight"),
        R::CriticalNeverScored { item_type } => {
            msg!("checklist-critical-never-scored", item_type = item_type)
        }
        R::CriticalCannotFail => msg!("checklist-critical-cannot-fail"),
        R::EvidenceNotForType { item_type } => {
            msg!("checklist-evidence-not-for-type", item_type = item_type)
        }
        R::OnFailCannotFail => msg!("checklist-on-fail-cannot-fail"),
        R::OwnerSpaces => msg!("checklist-owner-spaces"),
        R::MinNotBelowMax { min, max } => msg!("checklist-min-not-below-max", min = min, max = max),
        R::NegativeDuration => msg!("checklist-negative-duration"),
        R::BandWithoutMax => msg!("checklist-band-without-max"),
        R::BandsOverlap { max } => msg!("checklist-bands-overlap", max = max),
        R::BandsUnsorted { max, previous } => {
            msg!("checklist-bands-unsorted", max = max, previous = previous)
        }
        R::BandBelowMin => msg!("checklist-band-below-min"),
        R::BandGap { last, max } => msg!("checklist-band-gap", last = last, max = max),
        R::NothingScored => msg!("checklist-nothing-scored"),
        R::Unreadable { message } => msg!("checklist-unreadable", problem = message),
    }
}

fn found_msg(found: Found) -> crate::i18n::Arg {
    match found {
        Found::Null => msg!("json-null").into(),
        Found::Bool => msg!("json-bool").into(),
        Found::Number => msg!("json-number").into(),
        Found::String => msg!("json-string").into(),
        Found::List => msg!("json-list").into(),
        Found::Object => msg!("json-object").into(),
        Found::Value(v) => v.into(),
    }
}

fn expected(e: &Expected) -> Msg {
    match e {
        Expected::Object(part) => {
            let part = match part {
                Part::Checklist => msg!("checklist-part-checklist"),
                Part::Section => msg!("checklist-part-section"),
                Part::Item => msg!("checklist-part-item"),
                Part::Evidence => {
                    msg!(
                        "checklist-part-evidence",
                        example = "{\"photo\": \"on_fail\"}"
                    )
                }
                Part::Option => msg!("checklist-part-option"),
                Part::Band => msg!(
                    "checklist-part-band",
                    example = "{\"max\": 5, \"score\": 1}"
                ),
            };
            msg!("checklist-expected-object", part = part)
        }
        Expected::String => msg!("checklist-expected-string"),
        Expected::Bool => msg!("checklist-expected-bool"),
        Expected::Number => msg!("checklist-expected-number"),
        Expected::WholeNumber => msg!("checklist-expected-whole-number"),
        Expected::TextPerLanguage => msg!(
            "checklist-expected-text-per-language",
            example = "{\"en\": \"…\", \"ar\": \"…\"}"
        ),
        Expected::List(of) => match of {
            ListOf::LanguageTags => msg!("checklist-list-language-tags"),
            ListOf::Sections => msg!("checklist-list-sections"),
            ListOf::Items => msg!("checklist-list-items"),
            ListOf::Strings => msg!("checklist-list-strings"),
            ListOf::Options => msg!("checklist-list-options"),
            ListOf::Bands => msg!("checklist-list-bands"),
        },
        Expected::CriticalRule => {
            msg!(
                "checklist-expected-critical-rule",
                example = "{\"cap\": 0.5}"
            )
        }
        Expected::PhotoRule => msg!("checklist-expected-photo-rule"),
    }
}

fn syntax(reason: SyntaxReason) -> Msg {
    use SyntaxReason as S;
    match reason {
        S::SingleEquals => msg!("condition-single-equals"),
        S::Bang => msg!("condition-bang"),
        S::DoubleQuote => msg!("condition-double-quote"),
        S::UnclosedString => msg!("condition-unclosed-string"),
        S::BadEscape => msg!("condition-bad-escape"),
        S::UnusableNumber { word } => msg!("condition-unusable-number", word = word),
        S::UpperCaseKey { word } => msg!("condition-upper-case-key", word = word),
        S::NotNumberNorKey { word } => msg!("condition-not-number-nor-key", word = word),
        S::UnexpectedChar { found } => msg!("condition-unexpected-char", found = found),
        S::Expected { want: w, found } => {
            msg!("condition-expected", want = want(w), found = token(found))
        }
        S::TooManyOperators { max } => msg!("condition-too-many-operators", max = max),
        S::TooDeep { max } => msg!("condition-too-deep", max = max),
        S::InvalidKey { found } => msg!("checklist-invalid-key", found = format!("{found:?}")),
        S::Empty => msg!("condition-empty"),
        S::Trailing { found } => msg!("condition-trailing", found = token(found)),
    }
}

fn want(w: Want) -> Msg {
    match w {
        Want::CloseParen => msg!("condition-want-close-paren"),
        Want::OpenParenAfterAnswered => msg!("condition-want-open-paren", after = "answered"),
        Want::OpenParenAfterSelected => msg!("condition-want-open-paren", after = "selected"),
        Want::CommaBeforeOption => msg!("condition-want-comma-before-option"),
        Want::OpenBracket => msg!("condition-want-open-bracket"),
        Want::CommaOrCloseBracket => msg!("condition-want-comma-or-close-bracket"),
        Want::ItemKey => msg!("condition-want-item-key"),
        Want::QuotedOption => msg!("condition-want-quoted-option"),
        Want::Operand => msg!("condition-want-operand"),
        Want::Value => msg!("condition-want-value"),
        Want::InAfterNot => msg!("condition-want-in-after-not"),
        Want::Comparison { after } => msg!("condition-want-comparison", after = after),
    }
}

fn token(t: Token) -> crate::i18n::Arg {
    match t {
        Token::Symbol(s) => s.into(),
        Token::Str(s) => msg!("condition-token-string", text = s).into(),
        Token::Num(n) => msg!("condition-token-number", number = n).into(),
        Token::End => msg!("condition-token-end").into(),
    }
}

fn value_type(t: ValueType) -> Msg {
    match t {
        ValueType::Text => msg!("value-type-text"),
        ValueType::Number => msg!("value-type-number"),
        ValueType::Bool => msg!("value-type-bool"),
    }
}

fn check(reason: CheckReason) -> Msg {
    use CheckReason as C;
    match reason {
        C::ReservedWord { key } => msg!("condition-reserved-word", key = key),
        C::UnknownItem { key } => msg!("condition-unknown-item", key = key),
        C::SelfReference { key } => msg!("condition-self-reference", key = key),
        C::LaterItem { key } => msg!("condition-later-item", key = key),
        C::MultiChoiceCompared { key } => msg!("condition-multi-choice-compared", key = key),
        C::PhotoCompared { key } => msg!("condition-photo-compared", key = key),
        C::NoteNeverAnswered { key } => msg!("condition-note-never-answered", key = key),
        C::TypeMismatch {
            key,
            holds,
            literal,
            is,
        } => msg!(
            "condition-type-mismatch",
            key = key,
            holds = value_type(holds),
            literal = literal,
            is = value_type(is)
        ),
        C::NotAnAnswer {
            literal,
            key,
            answers,
        } => msg!(
            "condition-not-an-answer",
            literal = literal,
            key = key,
            answers = answers
        ),
        C::NotAnOption {
            option,
            key,
            options,
        } => msg!(
            "condition-not-an-option",
            option = option,
            key = key,
            options = options
        ),
        C::SelectedNeedsChoice { key, item_type } => {
            msg!(
                "condition-selected-needs-choice",
                key = key,
                item_type = item_type
            )
        }
        C::ConstantComparison => msg!("condition-constant-comparison"),
        C::ItemsDiffer {
            left,
            left_holds,
            right,
            right_holds,
        } => msg!(
            "condition-items-differ",
            left = left,
            left_holds = value_type(left_holds),
            right = right,
            right_holds = value_type(right_holds)
        ),
        C::InNeedsItem => msg!("condition-in-needs-item"),
        C::OrderingNotNumber { op, ty } => {
            msg!(
                "condition-ordering-not-number",
                op = op,
                ty = value_type(ty)
            )
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::i18n::Lang;

    pub(crate) fn is_arabic(text: &str) -> bool {
        text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
    }

    /// Three or more English words in a row outside the isolated arguments (FSI … PDI).
    pub(crate) fn english_run(text: &str) -> Option<String> {
        let mut outside = String::new();
        let mut depth = 0usize;
        for c in text.chars() {
            match c {
                '\u{2068}' => depth += 1,
                '\u{2069}' => depth = depth.saturating_sub(1),
                c if depth == 0 => outside.push(c),
                _ => outside.push(' '),
            }
        }
        let mut run = Vec::new();
        for word in outside.split_whitespace() {
            let letters = word.chars().filter(char::is_ascii_alphabetic).count();
            if letters >= 2 && !is_arabic(word) {
                run.push(word);
                if run.len() >= 3 {
                    return Some(run.join(" "));
                }
            } else {
                run.clear();
            }
        }
        None
    }

    /// English says exactly what the checklist crate says (the CLI's sentence, and what API
    /// clients always read); Arabic is Arabic, with the document's words as arguments.
    #[test]
    fn every_reason_is_worded_in_both_languages_and_english_is_unchanged() {
        for reason in ProblemReason::examples() {
            let m = message(&reason);
            assert_eq!(m.render(Lang::En), reason.to_string(), "{reason:?}");
            let ar = m.render(Lang::Ar);
            assert!(is_arabic(&ar), "{reason:?}: {ar}");
            assert!(
                english_run(&ar).is_none(),
                "{reason:?}: {ar}: {:?}",
                english_run(&ar)
            );
        }
    }
}
