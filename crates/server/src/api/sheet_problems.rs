//! Problems of an XLSForm workbook as messages, so that QA reads them in their language (SPEC
//! §10.31). The checklist crate says what is wrong as data ([`SheetReason`]); this names the
//! messages. Types, names, expressions and the spreadsheet reader's own words are passed as
//! written — Arabic isolates them. The checklist's validation problems keep the messages of
//! [`super::checklist_problems`].

use sirr_checklist::ProblemReason;
use sirr_checklist::problem::Keyed;
use sirr_checklist::xlsform::reason::{
    BANDS_EXAMPLE, Expected, ExprReason, GroupProblem, Missing, NotImported, SELECTED_FORM,
    SheetReason, TypeOutcome, Wanted,
};

use super::checklist_problems::message as checklist;
use crate::i18n::Msg;
use crate::msg;

/// How a `${question}` reference is written, shown where a message asks for one.
const REFERENCE_FORM: &str = "${question}";

/// The message of one reason.
pub fn message(reason: &SheetReason) -> Msg {
    use SheetReason as R;
    match reason.clone() {
        R::Checklist(reason) => checklist(&reason),
        R::FormTitle(reason) => msg!("xlsform-form-title", problem = checklist(&reason)),
        R::Unreadable { sheet: None, cause } => msg!("xlsform-unreadable-file", cause = cause),
        R::Unreadable {
            sheet: Some(sheet),
            cause,
        } => msg!("xlsform-unreadable-sheet", sheet = sheet, cause = cause),
        R::NoSurveySheet { sheets } => msg!("xlsform-no-survey-sheet", sheets = sheets),
        R::NoKey(reason) => msg!("xlsform-no-key", problem = checklist(&reason)),
        R::Language { label, code: None } => msg!(
            "xlsform-language-unknown",
            label = label,
            form = "'Name (code)'",
            example = "'Arabic (ar)'"
        ),
        R::Language {
            label,
            code: Some(code),
        } => msg!(
            "xlsform-language-code",
            label = label,
            problem = checklist(&ProblemReason::InvalidLanguageTag { found: code })
        ),
        R::Missing(missing) => match missing {
            Missing::SurveyColumns => msg!("xlsform-missing-survey-columns"),
            Missing::Questions => msg!("xlsform-missing-questions"),
            Missing::Type => msg!("xlsform-missing-type"),
            Missing::Name => msg!("xlsform-missing-name"),
            Missing::Label => msg!("xlsform-missing-label"),
            Missing::NoteText => msg!("xlsform-missing-note-text"),
            Missing::ListName => msg!("xlsform-missing-list-name"),
            Missing::ChoiceName { list } => msg!("xlsform-missing-choice-name", list = list),
            Missing::List { list } => msg!("xlsform-missing-list", list = list),
            Missing::BeginGroup => msg!("xlsform-missing-begin-group"),
            Missing::Bands => msg!("xlsform-missing-bands", example = BANDS_EXAMPLE),
        },
        R::Value { found, wanted } => match wanted {
            Wanted::Number => msg!("xlsform-not-number", found = found),
            Wanted::NumberIn { part } => msg!("xlsform-not-number-in", found = found, part = part),
            Wanted::ScoreIn { part } => msg!("xlsform-not-score-in", found = found, part = part),
            Wanted::Score => msg!("xlsform-not-score", found = found),
            Wanted::YesNo => msg!("xlsform-not-yes-no", found = found),
            Wanted::EvidenceRule => msg!("xlsform-not-evidence-rule", found = found),
            Wanted::CriticalRule => msg!("xlsform-not-critical-rule", found = found),
            Wanted::Version => msg!("xlsform-not-version", found = found),
            Wanted::Band => msg!("xlsform-not-band", found = found, example = BANDS_EXAMPLE),
            Wanted::NameValue => msg!("xlsform-not-name-value", found = found),
        },
        R::Type { found, outcome } => match outcome {
            TypeOutcome::Unknown => msg!("xlsform-type-unknown", found = found),
            TypeOutcome::NoPlace => msg!("xlsform-type-no-place", found = found),
            TypeOutcome::RepeatOrLoop => msg!("xlsform-type-repeat", found = found),
            TypeOutcome::SelectWithoutList => {
                msg!(
                    "xlsform-type-select-without-list",
                    found = found,
                    one = "select_one LIST",
                    multiple = "select_multiple LIST"
                )
            }
            TypeOutcome::Metadata => msg!("xlsform-type-metadata", found = found),
            TypeOutcome::Computed => msg!("xlsform-type-computed", found = found),
            TypeOutcome::BecomesText => msg!("xlsform-type-becomes-text", found = found),
        },
        R::BadName {
            name,
            of: Keyed::Section,
        } => msg!("xlsform-bad-section-name", name = name),
        R::BadName { name, .. } => msg!("xlsform-bad-item-name", name = name),
        R::Group { name, problem } => match problem {
            GroupProblem::NoLabel => msg!("xlsform-group-no-label", name = name),
            GroupProblem::Nested => msg!("xlsform-group-nested", name = name),
            GroupProblem::NeverClosed => msg!("xlsform-group-never-closed", name = name),
            GroupProblem::Empty => msg!("xlsform-group-empty", name = name),
        },
        // Row numbers are places, not counts: passed as text, with no plural to agree with.
        R::ChoiceRepeated {
            name,
            list,
            first_row,
            merged: true,
        } => msg!(
            "xlsform-choice-merged",
            name = name,
            list = list,
            row = first_row.to_string()
        ),
        R::ChoiceRepeated {
            name,
            list,
            first_row,
            merged: false,
        } => msg!(
            "xlsform-choice-differs",
            name = name,
            list = list,
            row = first_row.to_string()
        ),
        R::KeyReused {
            name,
            key,
            first_row,
        } => msg!(
            "xlsform-key-reused",
            name = name,
            key = key,
            row = first_row.to_string()
        ),
        R::NotImported(what) => match what {
            NotImported::ConditionalRequired { value } => {
                msg!("xlsform-conditional-required", value = value)
            }
            NotImported::Constraint => msg!("xlsform-constraint-not-imported"),
            NotImported::ChoiceFilter => msg!("xlsform-choice-filter-not-imported"),
            NotImported::Calculation => msg!("xlsform-calculation-not-imported"),
            NotImported::FractionalRange => msg!("xlsform-fractional-range"),
            NotImported::Column { column } => msg!("xlsform-column-ignored", column = column),
        },
        R::Relevant {
            expression,
            position,
            reason,
        } => msg!(
            "xlsform-relevant",
            expression = expression,
            position = position.to_string(),
            problem = relevant(reason)
        ),
    }
}

fn relevant(reason: ExprReason) -> Msg {
    use ExprReason as E;
    match reason {
        E::UnclosedReference => msg!("relevant-unclosed-reference", open = "${", close = "}"),
        E::UnclosedString => msg!("relevant-unclosed-string"),
        E::NotANumber { found } => msg!("relevant-not-a-number", found = found),
        E::CurrentQuestion => msg!("relevant-current-question"),
        E::UnsupportedCharacter { found } => {
            msg!("relevant-unsupported-character", found = found)
        }
        E::Expected(Expected::CloseParen) => msg!("relevant-expected-close-paren"),
        E::Expected(Expected::OpenParenAfter { word }) => {
            msg!("relevant-expected-open-paren", word = word)
        }
        E::Expected(Expected::SelectedComma) => {
            msg!("relevant-expected-selected-comma", form = SELECTED_FORM)
        }
        E::NotBefore { reference } => msg!("relevant-not-before", reference = reference),
        E::NeedsReference { function } => msg!(
            "relevant-needs-reference",
            function = function,
            example = REFERENCE_FORM
        ),
        E::SelectedNeedsOption => msg!("relevant-selected-needs-option"),
        E::SelectedNeedsSelect { reference } => {
            msg!("relevant-selected-needs-select", reference = reference)
        }
        E::UnknownFunction { function } => msg!("relevant-unknown-function", function = function),
        E::EndsEarly => msg!("relevant-ends-early"),
        E::Unexpected {
            found,
            after_condition: false,
        } => msg!("relevant-unexpected", found = found),
        E::Unexpected {
            found,
            after_condition: true,
        } => msg!("relevant-unexpected-after", found = found),
        E::ConstantAlone => msg!("relevant-constant-alone"),
        E::OnlyEmptinessTests => msg!("relevant-only-emptiness"),
        E::OnlyEqualityWithEmpty => msg!("relevant-only-equality-with-empty"),
        E::NumberVersusText { reference, found } => msg!(
            "relevant-number-versus-text",
            reference = reference,
            found = found
        ),
        E::OnlySelected { reference } => msg!("relevant-only-selected", reference = reference),
        E::NotComparable { left, right } => {
            msg!("relevant-not-comparable", left = left, right = right)
        }
        E::UnsupportedComparison => {
            msg!("relevant-unsupported-comparison", example = REFERENCE_FORM)
        }
        E::AlwaysFalse => msg!("relevant-always-false"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::checklist_problems::tests::{english_run, is_arabic};
    use crate::i18n::Lang;

    /// English says exactly what the checklist crate says (the CLI's sentence, and what API
    /// clients always read); Arabic is Arabic, with the workbook's words as arguments.
    #[test]
    fn every_reason_is_worded_in_both_languages_and_english_is_unchanged() {
        for reason in SheetReason::examples() {
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
