//! Problems with a visit's answers (a 422's `details[].problem`) as messages, so that a shopper
//! reads them in their language (SPEC §10.31). The checklist crate says what is wrong as data
//! ([`Reason`]); this names the message. Values the shopper sent (`found`) and keys the checklist
//! defines (options, conditions) are passed as they are — Arabic isolates them.

use sirr_checklist::{AnswerProblem, Reason};

use crate::api::error::Detail;
use crate::i18n::Msg;
use crate::msg;

/// The message of one reason.
pub fn message(reason: &Reason) -> Msg {
    match reason.clone() {
        Reason::UnknownItem => msg!("answer-unknown-item"),
        Reason::EvidenceUnknownItem => msg!("answer-evidence-unknown-item"),
        Reason::EvidenceNotReferences => msg!("answer-evidence-not-references"),
        Reason::Hidden { condition } => msg!("answer-hidden", condition = condition),
        Reason::Required => msg!("answer-required"),
        Reason::PhotoRequired => msg!("answer-photo-required"),
        Reason::PhotoRequiredOnFail => msg!("answer-photo-required-on-fail"),
        Reason::NaNotAllowed => msg!("answer-na-not-allowed"),
        Reason::NotYesNo { found } => msg!("answer-not-yes-no", found = found),
        Reason::OutsideScale { value, min, max } => msg!(
            "answer-outside-scale",
            value = value,
            min = min.to_string(),
            max = max.to_string()
        ),
        Reason::NotScale { found, min, max } => msg!(
            "answer-not-scale",
            found = found,
            min = min.to_string(),
            max = max.to_string()
        ),
        Reason::NotAnOption { found, options } => {
            msg!("answer-not-an-option", found = found, options = options)
        }
        Reason::NotOptionList { found, options } => {
            msg!("answer-not-option-list", found = found, options = options)
        }
        Reason::OptionTwice { option } => msg!("answer-option-twice", option = option),
        Reason::NotNumber {
            found,
            seconds: false,
        } => msg!("answer-not-number", found = found),
        Reason::NotNumber {
            found,
            seconds: true,
        } => msg!("answer-not-seconds", found = found),
        Reason::NegativeDuration { value } => msg!("answer-negative-duration", value = value),
        Reason::BelowMinimum { value, min } => {
            msg!("answer-below-minimum", value = value, min = min)
        }
        Reason::AboveMaximum { value, max } => {
            msg!("answer-above-maximum", value = value, max = max)
        }
        Reason::AboveBands { value } => msg!("answer-above-bands", value = value),
        Reason::NotText { found } => msg!("answer-not-text", found = found),
        Reason::NotTimestamp { found } => msg!("answer-not-timestamp", found = found),
        Reason::NotReferences { found } => msg!("answer-not-references", found = found),
        Reason::NoteTakesNoAnswer => msg!("answer-note"),
    }
}

/// The 422 details of a visit's answer problems: `/answers/<key>` and the message.
pub fn details(found: Vec<AnswerProblem>) -> Vec<Detail> {
    found
        .into_iter()
        .map(|p| Detail {
            path: format!("/answers/{}", p.key),
            problem: message(&p.reason).into(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// The English message says what the checklist crate says, so nothing changes for English
    /// readers; the Arabic one is Arabic.
    #[test]
    fn english_messages_match_the_checklist_crate() {
        let reasons = [
            Reason::UnknownItem,
            Reason::Required,
            Reason::PhotoRequiredOnFail,
            Reason::NotYesNo {
                found: "\"maybe\"".into(),
            },
            Reason::OutsideScale {
                value: "7".into(),
                min: 1,
                max: 5,
            },
            Reason::NotAnOption {
                found: "\"x\"".into(),
                options: "a, b".into(),
            },
            Reason::NotNumber {
                found: "a list".into(),
                seconds: true,
            },
            Reason::BelowMinimum {
                value: "-1".into(),
                min: "0".into(),
            },
            Reason::Hidden {
                condition: "q1 == \"yes\"".into(),
            },
        ];
        for r in reasons {
            assert_eq!(message(&r).render(Lang::En), r.to_string());
            let ar = message(&r).render(Lang::Ar);
            assert!(
                ar.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                "{r:?}: {ar}"
            );
        }
    }
}
