//! The report's wording in the reader's language, through Project Fluent, and its number formats.
//!
//! The words are messages in `locales/{en,ar}/report.ftl` ([`Lang::say`] with a [`Msg`]); a
//! sentence with numbers in it is one message with arguments, so the translator orders the
//! words. What stays here is how numbers are written: percentages (SPEC §4: fractions in
//! machine formats, percentages in PDFs), changes in points and counts.
//!
//! Arabic messages avoid tashkeel (vowel marks): they render fine but poppler extracts marked
//! text out of order, and the report must stay searchable.
//!
//! **Numbers in Arabic lines are isolated** (LRI … PDI, U+2066/U+2069): each number, interval or
//! code is one left-to-right unit that the rest of the line treats as a neutral, so `87.5%`
//! reads as written (not `%87.5`) and two numbers of one line never merge into one
//! left-to-right run. (A left-to-right mark before each number was not enough: between two
//! marked numbers, `·` and spaces resolve to left to right, and "pass rate 100.0% · 13
//! answers" displayed — and was extracted — as "pass rate 13 · 100.0% answers".)
//!
//! **Fluent's own isolation is off** for the report's bundles, in both languages. The arguments
//! that need isolating arrive isolated: numbers, percentages, periods and codes with LRI (their
//! direction fixed, not guessed), an owner outside the known list with FSI (it may be written in
//! either script). The other arguments are words in the line's own language, where an isolate
//! changes nothing. Left on, Fluent's FSI … PDI would wrap every argument again, nested messages
//! included, for no visible change; and since the layout may break a line inside an argument,
//! an isolate would only hold up to the line break anyway.
//!
//! **Counted nouns** take their CLDR plural form: a numeric argument `n` comes with `n-plural`,
//! its category from [`Lang::plural`] (the convention of the server's messages, see
//! `sirr_i18n`). Arabic has six (zero, one, two, few: n % 100 in 3–10, many: n % 100 in
//! 11–99, other), so "of 3 branches" is «من 3 فروع» and "of 11 branches" «من 11 فرعا».

use std::sync::OnceLock;

use fluent_bundle::{FluentArgs, FluentValue};

use sirr_i18n::{Arg, Bundle, Msg, msg};
pub use sirr_i18n::{Category, Lang};

/// The English messages of the report.
pub const EN_FTL: &str = include_str!("../locales/en/report.ftl");
/// The Arabic messages of the report.
pub const AR_FTL: &str = include_str!("../locales/ar/report.ftl");

/// The confidence level of the report's intervals, as the method note and the labels say it.
const INTERVAL_LEVEL: &str = "90%";

fn bundles() -> &'static [Bundle; 2] {
    static BUNDLES: OnceLock<[Bundle; 2]> = OnceLock::new();
    // Isolation off in both: see the module documentation.
    BUNDLES.get_or_init(|| {
        [
            sirr_i18n::bundle("en", EN_FTL, false),
            sirr_i18n::bundle("ar", AR_FTL, false),
        ]
    })
}

/// The report's wording and number formats in a language: `Lang::En.pct(Some(0.875))`.
pub trait Wording: Copy {
    /// One of the report's messages (`locales/*/report.ftl`) in this language.
    fn say(self, msg: &Msg) -> String;
    /// A count or other number as the report writes it.
    fn number(self, n: f64) -> String;
    /// A fraction as a percentage with one decimal.
    fn pct(self, x: Option<f64>) -> String;
    /// The 90% interval as a label and two percentages.
    fn interval(self, ci: Option<[f64; 2]>) -> String;
    /// The plain-words note on how the scores are made.
    fn method(self) -> String;
    /// A pass rate with the number of answers it rests on.
    fn pass_rate_of(self, pass: Option<f64>, answers: usize) -> String;
    /// A period's name in words.
    fn period_name(self, label: &str) -> String;
    /// A change in points.
    fn points(self, delta: f64) -> String;
    /// A count.
    fn num(self, n: usize) -> String;
    /// Text that must read left to right.
    fn ltr(self, text: &str) -> String;
    /// An owning function's name.
    fn owner(self, owner: &str) -> String;
    /// An action plan status.
    fn status(self, status: &str) -> String;
}

impl Wording for Lang {
    /// One of the report's messages (`locales/*/report.ftl`) in this language. A numeric
    /// argument is written as a count ([`Lang::num`]) and brings its plural category along;
    /// text arguments are used as they are.
    fn say(self, msg: &Msg) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in &msg.args {
            match value {
                Arg::Num(n) => {
                    args.set(
                        format!("{name}-plural"),
                        FluentValue::from(sirr_i18n::plural(self, *n)),
                    );
                    args.set(name.as_ref(), FluentValue::from(self.number(*n)));
                }
                Arg::Str(s) => args.set(name.as_ref(), FluentValue::from(s.as_str())),
                Arg::Msg(m) => args.set(name.as_ref(), FluentValue::from(self.say(m))),
            }
        }
        sirr_i18n::format(bundles(), self, &msg.id, &args)
    }

    /// A count or other number as the report writes it: whole numbers without decimals,
    /// isolated in Arabic.
    fn number(self, n: f64) -> String {
        if n.fract() == 0.0 && n.abs() < 1e15 {
            #[allow(clippy::cast_possible_truncation)]
            self.ltr(&(n as i64).to_string())
        } else {
            self.ltr(&n.to_string())
        }
    }

    /// A fraction as a percentage with one decimal (`0.875` → `87.5%`), `–` for none.
    fn pct(self, x: Option<f64>) -> String {
        match x {
            Some(x) => self.ltr(&format!("{:.1}%", x * 100.0)),
            None => "–".to_owned(),
        }
    }

    /// The 90% interval as a label and two percentages: `90% interval: 72.0%–84.5%`,
    /// «نطاق الثقة 90% من 72.0% إلى 84.5%» (a word stands between the Arabic numbers: numbers
    /// joined only by punctuation and spaces run together, in the bidi algorithm's view of a
    /// plain text as in poppler's); `–` for none.
    fn interval(self, ci: Option<[f64; 2]>) -> String {
        match ci {
            Some([low, high]) => self.say(&msg!(
                "report-interval",
                level = self.ltr(INTERVAL_LEVEL),
                low = self.pct(Some(low)),
                high = self.pct(Some(high)),
            )),
            None => "–".to_owned(),
        }
    }

    /// The method note, which names the intervals' level.
    fn method(self) -> String {
        self.say(&msg!("report-method", level = self.ltr(INTERVAL_LEVEL)))
    }

    /// An item's pass rate and the answers behind it: `pass rate 87.5% of 8 answers`.
    fn pass_rate_of(self, pass: Option<f64>, answers: usize) -> String {
        self.say(&msg!(
            "report-pass-rate-of",
            rate = self.pct(pass),
            answers = answers
        ))
    }

    /// A period as a reader names it: `2026-10` → "October 2026" / «أكتوبر 2026», as the web app
    /// does; quarters, weeks and anything else keep their label (isolated in Arabic).
    fn period_name(self, label: &str) -> String {
        let month = label
            .split_once('-')
            .filter(|(y, m)| y.len() == 4 && m.len() == 2)
            .and_then(|(y, m)| Some((y, m.parse::<u32>().ok()?)))
            .filter(|(_, m)| (1..=12).contains(m));
        match month {
            Some((year, month)) => self.say(&msg!(
                "report-month",
                // A key, not a number: a number argument comes formatted (and isolated).
                month = format!("m{month}"),
                year = self.ltr(year)
            )),
            None => self.ltr(label),
        }
    }

    /// A change in percentage points with its sign (`+2.3`).
    fn points(self, delta: f64) -> String {
        let rounded = (delta * 1000.0).round() / 10.0;
        let sign = if rounded > 0.0 { "+" } else { "" };
        self.ltr(&format!("{sign}{rounded:.1}"))
    }

    /// A plain number, kept left to right in Arabic.
    fn num(self, n: usize) -> String {
        self.ltr(&n.to_string())
    }

    /// `text` isolated as one left-to-right unit inside Arabic (LRI … PDI; a no-op in English).
    fn ltr(self, text: &str) -> String {
        match self {
            Self::En => text.to_owned(),
            Self::Ar => format!("\u{2066}{text}\u{2069}"),
        }
    }

    /// The name of an owning function (`training` → `Training` / `التدريب`) from its
    /// `owner-…` message; an owner without one is shown as written, isolated (FSI … PDI: it may
    /// be in either script), since checklists may name any function.
    fn owner(self, owner: &str) -> String {
        let id = format!("owner-{}", owner.trim().to_lowercase());
        // The English file defines the known owners; the coverage test keeps Arabic level.
        if bundles()[0].has_message(&id) {
            self.say(&Msg {
                id: id.into(),
                args: Vec::new(),
            })
        } else {
            format!("\u{2068}{owner}\u{2069}")
        }
    }

    /// An action plan status (`in_progress` → `In progress` / `قيد التنفيذ`); another is shown
    /// as written.
    fn status(self, status: &str) -> String {
        match status {
            "open" => self.say(&msg!("report-status-open")),
            "in_progress" => self.say(&msg!("report-status-in-progress")),
            "done" => self.say(&msg!("report-status-done")),
            other => other.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The PDF names months as the web app does (a manager saw "2026-10" in the PDF and
    /// «أكتوبر ٢٠٢٦» on the screen).
    #[test]
    fn months_are_named_in_the_readers_language() {
        assert_eq!(Lang::En.period_name("2026-10"), "October 2026");
        assert_eq!(Lang::En.period_name("2026-01"), "January 2026");
        assert_eq!(
            Lang::Ar.period_name("2026-12"),
            "ديسمبر \u{2066}2026\u{2069}"
        );
        assert_eq!(Lang::En.period_name("2026-Q3"), "2026-Q3");
        assert_eq!(Lang::En.period_name("2026-13"), "2026-13");
    }

    #[test]
    fn numbers_are_percentages_marked_in_arabic() {
        assert_eq!(Lang::En.pct(Some(0.875)), "87.5%");
        assert_eq!(Lang::Ar.pct(Some(0.875)), "\u{2066}87.5%\u{2069}");
        assert_eq!(
            Lang::En.interval(Some([0.7, 0.85])),
            "90% interval: 70.0%–85.0%"
        );
        assert_eq!(
            Lang::Ar.interval(Some([0.7, 0.85])),
            "نطاق الثقة \u{2066}90%\u{2069} من \u{2066}70.0%\u{2069} إلى \u{2066}85.0%\u{2069}"
        );
        assert_eq!(Lang::Ar.interval(None), "–");
        assert_eq!(
            Lang::En.pass_rate_of(Some(1.0), 1),
            "pass rate 100.0% of 1 answer"
        );
        assert_eq!(
            Lang::Ar.pass_rate_of(Some(1.0), 13),
            "نسبة الاستيفاء \u{2066}100.0%\u{2069} من \u{2066}13\u{2069} إجابة"
        );
        assert_eq!(Lang::En.points(0.023), "+2.3");
        assert_eq!(Lang::En.points(-0.01), "-1.0");
        assert_eq!(Lang::En.pct(None), "–");
        assert!(
            Lang::Ar
                .method()
                .contains("نطاق الثقة \u{2066}90%\u{2069} مدى")
        );
    }

    #[test]
    fn sentences_with_numbers_are_messages_with_arguments() {
        let shown = msg!("report-shown-of", shown = 6usize, total = 18usize);
        assert_eq!(Lang::En.say(&shown), "6 of 18 shown; all in the web app");
        assert_eq!(
            Lang::Ar.say(&shown),
            "يظهر هنا \u{2066}6\u{2069} من \u{2066}18\u{2069}؛ القائمة كاملة في تطبيق الويب"
        );
        let change = msg!("report-change-since", period = Lang::Ar.ltr("2026-09"));
        assert_eq!(Lang::Ar.say(&change), "التغير منذ \u{2066}2026-09\u{2069}");
        let points = msg!("report-points", points = Lang::En.points(-0.036));
        assert_eq!(Lang::En.say(&points), "-3.6 points");
        let page = msg!("report-page", page = 2usize, pages = 5usize);
        assert_eq!(Lang::En.say(&page), "Page 2 of 5");
        assert_eq!(
            Lang::Ar.say(&page),
            "صفحة \u{2066}2\u{2069} من \u{2066}5\u{2069}"
        );
    }

    #[test]
    fn plural_categories_are_cldrs() {
        use Category::*;
        // CLDR's own samples (plurals.xml, ar): few 3~10, 103~110, 1003; many 11~26, 111,
        // 1011; other 100~102, 200~202, 1000.
        let cases = [
            (0, Zero),
            (1, One),
            (2, Two),
            (3, Few),
            (10, Few),
            (103, Few),
            (110, Few),
            (1003, Few),
            (11, Many),
            (26, Many),
            (99, Many),
            (111, Many),
            (1011, Many),
            (100, Other),
            (101, Other),
            (102, Other),
            (200, Other),
            (1000, Other),
        ];
        for (n, want) in cases {
            assert_eq!(Lang::Ar.plural(n), want, "ar {n}");
        }
        assert_eq!(Lang::En.plural(1), One);
        assert_eq!(Lang::En.plural(0), Other);
        assert_eq!(Lang::En.plural(2), Other);
    }

    #[test]
    fn counted_nouns_take_their_cldr_plural() {
        let plain = |s: String| s.replace(['\u{2066}', '\u{2069}'], "");
        let branches = |lang: Lang, n: usize| {
            plain(lang.say(&msg!(
                "report-failing-branches",
                failing = 1usize,
                branches = n
            )))
        };
        let ar = |n| {
            branches(Lang::Ar, n)
                .strip_prefix("غير مستوفى في 1 من ")
                .unwrap()
                .to_owned()
        };
        assert_eq!(ar(0), "0 فرع");
        assert_eq!(ar(1), "فرع واحد");
        assert_eq!(ar(2), "فرعين");
        assert_eq!(ar(3), "3 فروع");
        assert_eq!(ar(10), "10 فروع");
        assert_eq!(ar(11), "11 فرعا");
        assert_eq!(ar(99), "99 فرعا");
        assert_eq!(ar(100), "100 فرع");
        assert_eq!(ar(103), "103 فروع");
        assert_eq!(branches(Lang::En, 1), "failing in 1 of 1 branch");
        assert_eq!(branches(Lang::En, 11), "failing in 1 of 11 branches");
        let visits = |lang: Lang, n: usize| {
            plain(lang.say(&msg!("report-critical-line", failed = 1usize, visits = n)))
        };
        assert_eq!(visits(Lang::En, 0), "failed in 1 of 0 visits");
        assert_eq!(visits(Lang::Ar, 2), "لم يستوف في 1 من زيارتين");
        assert_eq!(visits(Lang::Ar, 4), "لم يستوف في 1 من 4 زيارات");
        assert_eq!(visits(Lang::Ar, 12), "لم يستوف في 1 من 12 زيارة");
        let answers = |n| plain(Lang::Ar.pass_rate_of(None, n));
        assert_eq!(answers(1), "نسبة الاستيفاء – من إجابة واحدة");
        assert_eq!(answers(2), "نسبة الاستيفاء – من إجابتين");
        assert_eq!(answers(5), "نسبة الاستيفاء – من 5 إجابات");
        assert_eq!(answers(13), "نسبة الاستيفاء – من 13 إجابة");
        assert_eq!(
            plain(Lang::En.pass_rate_of(None, 13)),
            "pass rate – of 13 answers"
        );
    }

    #[test]
    fn known_owners_are_translated_and_others_shown_as_written() {
        assert_eq!(Lang::En.owner("training"), "Training");
        assert_eq!(Lang::Ar.owner("training"), "التدريب");
        assert_eq!(Lang::Ar.owner("HR"), "الموارد البشرية");
        assert_eq!(Lang::En.owner("it"), "IT");
        // An open vocabulary: an unknown owner keeps its spelling, isolated either way.
        assert_eq!(
            Lang::Ar.owner("Branch manager"),
            "\u{2068}Branch manager\u{2069}"
        );
        assert_eq!(Lang::En.owner("المالية"), "\u{2068}المالية\u{2069}");
        assert_eq!(Lang::Ar.status("in_progress"), "قيد التنفيذ");
        assert_eq!(Lang::En.status("blocked"), "blocked");
    }

    /// The text of every message (variant texts included, placeables left out).
    fn fixed_texts(source: &'static str) -> Vec<(String, String)> {
        use fluent_syntax::ast;
        fn walk(p: &ast::Pattern<&str>, out: &mut String) {
            for e in &p.elements {
                match e {
                    ast::PatternElement::TextElement { value } => out.push_str(value),
                    ast::PatternElement::Placeable {
                        expression: ast::Expression::Select { variants, .. },
                    } => {
                        for v in variants {
                            out.push(' ');
                            walk(&v.value, out);
                        }
                    }
                    ast::PatternElement::Placeable { .. } => out.push(' '),
                }
            }
        }
        let resource = fluent_syntax::parser::parse(source).unwrap();
        resource
            .body
            .iter()
            .filter_map(|e| match e {
                ast::Entry::Message(m) => {
                    let mut text = String::new();
                    walk(m.value.as_ref()?, &mut text);
                    Some((m.id.name.to_owned(), text))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn english_wording_has_no_arabic_and_arabic_no_latin_words_or_tashkeel() {
        let arabic = |c: char| ('\u{0600}'..='\u{06FF}').contains(&c);
        for (id, text) in fixed_texts(EN_FTL) {
            assert!(!text.chars().any(arabic), "en {id}: {text}");
        }
        for (id, text) in fixed_texts(AR_FTL) {
            // "IT" would be the one Latin word, and Arabic says تقنية المعلومات.
            assert!(
                !text.chars().any(|c| c.is_ascii_alphabetic()),
                "ar {id}: {text}"
            );
            assert!(
                !text
                    .chars()
                    .any(|c| matches!(c as u32, 0x064B..=0x065F | 0x0670)),
                "ar {id} has tashkeel: {text}"
            );
            assert!(text.chars().any(arabic), "ar {id} is not Arabic: {text}");
        }
    }

    #[test]
    fn languages_parse_and_name_the_choices() {
        assert_eq!(Lang::parse("ar"), Ok(Lang::Ar));
        assert!(Lang::parse("fr").unwrap_err().contains("en or ar"));
    }
}
