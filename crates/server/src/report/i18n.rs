//! The report's fixed wording in English and Arabic, and number formats.
//!
//! Arabic strings avoid tashkeel (vowel marks): they render fine but poppler extracts marked
//! text out of order, and the report must stay searchable. Percentages are percentages (SPEC
//! §4: fractions in machine formats, percentages in PDFs).
//!
//! **Numbers in Arabic lines are isolated** (LRI … PDI, U+2066/U+2069): each number, interval or
//! code is one left-to-right unit that the rest of the line treats as a neutral, so `87.5%`
//! reads as written (not `%87.5`) and two numbers of one line never merge into one
//! left-to-right run. (A left-to-right mark before each number was not enough: between two
//! marked numbers, `·` and spaces resolve to left to right, and "pass rate 100.0% · 13
//! answers" displayed — and was extracted — as "pass rate 13 · 100.0% answers".)
//!
//! **Counted nouns** take their CLDR plural form ([`Lang::count`]): Arabic has six (zero, one, two, few: n % 100 in 3–10, many: n % 100 in 11–99, other), so
//! "of 3 branches" is «من 3 فروع» and "of 11 branches" «من 11 فرعا».

use serde::Serialize;

/// The report's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English, left to right.
    En,
    /// Arabic, right to left.
    Ar,
}

impl Lang {
    /// `en` or `ar`.
    ///
    /// # Errors
    /// A message naming the accepted values.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim() {
            "en" => Ok(Self::En),
            "ar" => Ok(Self::Ar),
            other => Err(format!("unknown language {other:?}; expected en or ar")),
        }
    }

    /// The BCP-47 tag (`en`, `ar`): also the key of checklist and organisation texts.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ar => "ar",
        }
    }

    /// The labels in this language.
    pub fn labels(self) -> &'static Labels {
        match self {
            Self::En => &EN,
            Self::Ar => &AR,
        }
    }

    /// A fraction as a percentage with one decimal (`0.875` → `87.5%`), `–` for none.
    pub fn pct(self, x: Option<f64>) -> String {
        match x {
            Some(x) => self.ltr(&format!("{:.1}%", x * 100.0)),
            None => "–".to_owned(),
        }
    }

    /// The interval's label and value: `90% interval: 72.0–84.5%`,
    /// «نطاق الثقة 90% من 72.0% إلى 84.5%».
    pub fn labelled_interval(self, ci: Option<[f64; 2]>) -> String {
        self.labelled(self.labels().interval, &self.interval(ci))
    }

    /// A label and its value: `label: value` in English; in Arabic without the colon, which
    /// text extraction (poppler) moves to the far side of a number.
    pub fn labelled(self, label: &str, value: &str) -> String {
        match self {
            Self::En => format!("{label}: {value}"),
            Self::Ar => format!("{label} {value}"),
        }
    }

    /// A 90% interval as percentages: `72.0–84.5%`; in Arabic «من 72.0% إلى 84.5%», so that a
    /// word stands between any two numbers (numbers joined only by punctuation and spaces run
    /// together, in the bidi algorithm's view of a plain text as in poppler's).
    pub fn interval(self, ci: Option<[f64; 2]>) -> String {
        match (self, ci) {
            (Self::En, Some([lo, hi])) => format!("{:.1}–{:.1}%", lo * 100.0, hi * 100.0),
            (Self::Ar, Some([lo, hi])) => {
                format!("من {} إلى {}", self.pct(Some(lo)), self.pct(Some(hi)))
            }
            (_, None) => "–".to_owned(),
        }
    }

    /// An item's pass rate and the answers behind it: `pass rate 87.5% of 8 answers`.
    pub fn pass_rate_of(self, pass: Option<f64>, answers: usize) -> String {
        let l = self.labels();
        l.pass_rate_of
            .replace("{pct}", &self.pct(pass))
            .replace("{answers}", &self.count(&l.answers, answers))
    }

    /// A change in percentage points with its sign (`+2.3`).
    pub fn points(self, delta: f64) -> String {
        let rounded = (delta * 1000.0).round() / 10.0;
        let sign = if rounded > 0.0 { "+" } else { "" };
        self.ltr(&format!("{sign}{rounded:.1}"))
    }

    /// A plain number, kept left to right in Arabic.
    pub fn num(self, n: usize) -> String {
        self.ltr(&n.to_string())
    }

    /// `text` isolated as one left-to-right unit inside Arabic (LRI … PDI; a no-op in English).
    pub fn ltr(self, text: &str) -> String {
        match self {
            Self::En => text.to_owned(),
            Self::Ar => format!("\u{2066}{text}\u{2069}"),
        }
    }

    /// The CLDR cardinal plural category of the integer `n` in this language.
    ///
    /// The rules are CLDR's (`plurals.xml`), written out for the two languages: Project Fluent's
    /// `intl_pluralrules` 7.0.2 drops the `% 100` of Arabic's `few` and `many` (it calls 103
    /// "other" where CLDR says "few"), and ICU4X's data is far larger than two rules.
    pub fn plural(self, n: usize) -> Category {
        match self {
            Self::En if n == 1 => Category::One,
            Self::En => Category::Other,
            Self::Ar => match (n, n % 100) {
                (0, _) => Category::Zero,
                (1, _) => Category::One,
                (2, _) => Category::Two,
                (_, 3..=10) => Category::Few,
                (_, 11..=99) => Category::Many,
                _ => Category::Other,
            },
        }
    }

    /// `n` with its counted noun in the right plural form (`{n}` in the form is the number).
    pub fn count(self, forms: &Plural, n: usize) -> String {
        let form = match self.plural(n) {
            Category::Zero => forms.zero,
            Category::One => forms.one,
            Category::Two => forms.two,
            Category::Few => forms.few,
            Category::Many => forms.many,
            Category::Other => forms.other,
        };
        form.replace("{n}", &self.num(n))
    }

    /// The name of an owning function (`training` → `Training` / `التدريب`).
    pub fn owner(self, owner: &str) -> String {
        let known = OWNERS
            .iter()
            .find(|(key, _, _)| *key == owner.to_lowercase());
        match (self, known) {
            (Self::En, Some((_, en, _))) => (*en).to_owned(),
            (Self::Ar, Some((_, _, ar))) => (*ar).to_owned(),
            (_, None) => owner.to_owned(),
        }
    }

    /// An action plan status (`in_progress` → `In progress` / `قيد التنفيذ`).
    pub fn status(self, status: &str) -> String {
        let l = self.labels();
        match status {
            "open" => l.status_open,
            "in_progress" => l.status_in_progress,
            "done" => l.status_done,
            other => other,
        }
        .to_owned()
    }
}

const OWNERS: [(&str, &str, &str); 10] = [
    ("operations", "Operations", "العمليات"),
    ("training", "Training", "التدريب"),
    ("facilities", "Facilities", "المرافق"),
    ("it", "IT", "تقنية المعلومات"),
    ("product", "Product", "المنتجات"),
    ("policy", "Policy", "السياسات"),
    ("compliance", "Compliance", "الالتزام"),
    ("marketing", "Marketing", "التسويق"),
    ("hr", "Human resources", "الموارد البشرية"),
    ("security", "Security", "الأمن"),
];

/// A CLDR plural category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Category {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

/// A counted noun in the six CLDR plural forms (English uses `one` and `other`). `{n}` is the
/// number; a form may leave it out (Arabic «إجابتين», "two answers"). Arabic forms are the
/// genitive, as after «من» ("of"), where the report uses them.
#[derive(Debug)]
#[allow(missing_docs)]
pub struct Plural {
    pub zero: &'static str,
    pub one: &'static str,
    pub two: &'static str,
    pub few: &'static str,
    pub many: &'static str,
    pub other: &'static str,
}

impl Plural {
    /// English: singular for 1, plural otherwise.
    const fn en(one: &'static str, other: &'static str) -> Self {
        Self {
            zero: other,
            one,
            two: other,
            few: other,
            many: other,
            other,
        }
    }
}

/// Every fixed text of the report. `{…}` placeholders are filled by the layout.
#[derive(Debug)]
#[allow(missing_docs)]
pub struct Labels {
    pub title: &'static str,
    pub subtitle: &'static str,
    pub organisation: &'static str,
    pub branch: &'static str,
    pub team: &'static str,
    pub region: &'static str,
    pub period: &'static str,
    pub language: &'static str,
    pub language_name: &'static str,
    pub all_visits: &'static str,
    pub fair_score: &'static str,
    pub raw_score: &'static str,
    pub interval: &'static str,
    pub visits: &'static str,
    pub change: &'static str,
    pub no_previous: &'static str,
    pub points: &'static str,
    pub rank: &'static str,
    pub rank_of: &'static str,
    pub region_rank: &'static str,
    pub no_visits: &'static str,
    pub trend_title: &'static str,
    pub sections_title: &'static str,
    pub this_branch: &'static str,
    pub this_team: &'static str,
    pub region_average: &'static str,
    pub branch_average: &'static str,
    pub organisation_average: &'static str,
    pub went_well: &'static str,
    pub strongest: &'static str,
    pub appreciated: &'static str,
    pub no_positive: &'static str,
    pub gaps: &'static str,
    pub no_gaps: &'static str,
    pub pass_rate: &'static str,
    pub pass_rate_of: &'static str,
    pub answers: Plural,
    pub comments: &'static str,
    pub issues_title: &'static str,
    pub systemic: &'static str,
    pub systemic_note: &'static str,
    pub branch_specific: &'static str,
    pub failing_branches: &'static str,
    /// A list cut to fit: `{n}` shown of `{of}`.
    pub shown_of: &'static str,
    pub branches_counted: Plural,
    pub owner: &'static str,
    pub critical_title: &'static str,
    pub critical_line: &'static str,
    pub visits_counted: Plural,
    pub no_critical: &'static str,
    pub none: &'static str,
    pub method_title: &'static str,
    pub method: &'static str,
    pub actions_title: &'static str,
    pub actions_note: &'static str,
    pub col_topic: &'static str,
    pub col_action: &'static str,
    pub col_owner: &'static str,
    pub col_due: &'static str,
    pub col_status: &'static str,
    pub general: &'static str,
    pub status_open: &'static str,
    pub status_in_progress: &'static str,
    pub status_done: &'static str,
    pub page: &'static str,
    pub footer: &'static str,
}

static EN: Labels = Labels {
    title: "Coaching report",
    subtitle: "Mystery shopping results for the coaching session",
    organisation: "Organisation",
    branch: "Branch",
    team: "Team",
    region: "Region",
    period: "Period",
    language: "Language",
    language_name: "English",
    all_visits: "All approved visits",
    fair_score: "Fair score",
    raw_score: "Raw score",
    interval: "90% interval",
    visits: "Visits",
    change: "Change since {period}",
    no_previous: "No earlier period to compare",
    points: "points",
    rank: "Rank among branches",
    rank_of: "{rank} of {of}",
    region_rank: "in the region: {rank} of {of}",
    no_visits: "No approved visits in this period.",
    trend_title: "Fair score over the last periods",
    sections_title: "Sections against the averages",
    this_branch: "This branch",
    this_team: "This team",
    region_average: "Region average",
    branch_average: "Branch average",
    organisation_average: "Organisation average",
    went_well: "What went well",
    strongest: "Strongest items",
    appreciated: "What shoppers appreciated",
    no_positive: "No positive comments were recorded this period.",
    gaps: "Failed and weak items",
    no_gaps: "No item is failing or weak this period.",
    pass_rate: "pass rate",
    pass_rate_of: "pass rate {pct} of {answers}",
    answers: Plural::en("{n} answer", "{n} answers"),
    comments: "Shoppers' comments",
    issues_title: "Systemic and branch-specific issues",
    systemic: "Systemic issues (for the owning function)",
    systemic_note: "These items fail across many branches: they call for a fix in policy, training or systems by the function that owns them, not for blame on one branch.",
    branch_specific: "Specific to this branch",
    failing_branches: "failing in {n} of {of}",
    shown_of: "{n} of {of} shown; all in the web app",
    branches_counted: Plural::en("{n} branch", "{n} branches"),
    owner: "owner",
    critical_title: "Critical-item failures",
    critical_line: "failed in {n} of {of}",
    visits_counted: Plural::en("{n} visit", "{n} visits"),
    no_critical: "No critical item failed this period.",
    none: "None.",
    method_title: "How these scores are made",
    method: "Each visit is scored against the checklist: every item scores from 0 to 1, sections and the visit are weighted averages of their items, and a failed critical item zeroes or caps the visit. The raw score is the mean of the visits. Shoppers differ in strictness, scenarios and visiting times differ in difficulty, and a branch with few visits can land high or low by luck. The fair score corrects for all three: it estimates the score this branch would get from an average shopper under average conditions, and pulls thin evidence toward the average by the right amount. The 90% interval shows how sure the estimate is; it narrows as visits accumulate. Ranks are by fair score, 1 = best. Items disputed and overturned by QA do not count.",
    actions_title: "Action plan",
    actions_note: "Existing actions with their status; the empty rows are for this session.",
    col_topic: "Topic",
    col_action: "Action",
    col_owner: "Owner",
    col_due: "Due",
    col_status: "Status",
    general: "General",
    status_open: "Open",
    status_in_progress: "In progress",
    status_done: "Done",
    page: "Page {n} of {of}",
    footer: "Shopper identities are never shown in this report.",
};

static AR: Labels = Labels {
    title: "تقرير التوجيه",
    subtitle: "نتائج التسوق الخفي لجلسة التوجيه",
    organisation: "المؤسسة",
    branch: "الفرع",
    team: "الفريق",
    region: "المنطقة",
    period: "الفترة",
    language: "اللغة",
    language_name: "العربية",
    all_visits: "جميع الزيارات المعتمدة",
    fair_score: "الدرجة العادلة",
    raw_score: "الدرجة الخام",
    interval: "نطاق الثقة \u{2066}90%\u{2069}",
    visits: "الزيارات",
    change: "التغير منذ {period}",
    no_previous: "لا توجد فترة سابقة للمقارنة",
    points: "نقطة",
    rank: "الترتيب بين الفروع",
    rank_of: "{rank} من {of}",
    region_rank: "في المنطقة {rank} من {of}",
    no_visits: "لا توجد زيارات معتمدة في هذه الفترة.",
    trend_title: "الدرجة العادلة خلال الفترات الأخيرة",
    sections_title: "الأقسام مقارنة بالمتوسطات",
    this_branch: "هذا الفرع",
    this_team: "هذا الفريق",
    region_average: "متوسط المنطقة",
    branch_average: "متوسط الفرع",
    organisation_average: "متوسط المؤسسة",
    went_well: "ما تم بشكل جيد",
    strongest: "أقوى البنود",
    appreciated: "ما أشاد به المتسوقون",
    no_positive: "لم تسجل تعليقات إيجابية في هذه الفترة.",
    gaps: "البنود غير المستوفاة والضعيفة",
    no_gaps: "لا يوجد بند غير مستوفى أو ضعيف في هذه الفترة.",
    pass_rate: "نسبة الاستيفاء",
    pass_rate_of: "نسبة الاستيفاء {pct} من {answers}",
    answers: Plural {
        zero: "{n} إجابة",
        one: "إجابة واحدة",
        two: "إجابتين",
        few: "{n} إجابات",
        many: "{n} إجابة",
        other: "{n} إجابة",
    },
    comments: "تعليقات المتسوقين",
    issues_title: "المشكلات العامة والمشكلات الخاصة بالفرع",
    systemic: "مشكلات عامة (للجهة المسؤولة)",
    systemic_note: "هذه البنود تتعثر في فروع كثيرة: علاجها تعديل في السياسات أو التدريب أو الأنظمة من الجهة المسؤولة عنها، وليس لوم فرع واحد.",
    branch_specific: "خاصة بهذا الفرع",
    failing_branches: "غير مستوفى في {n} من {of}",
    shown_of: "يظهر هنا {n} من {of}؛ القائمة كاملة في تطبيق الويب",
    // After «من» (genitive): 1 «فرع واحد», 2 «فرعين», 3–10 «فروع», 11–99 «فرعا», 100… «فرع».
    branches_counted: Plural {
        zero: "{n} فرع",
        one: "فرع واحد",
        two: "فرعين",
        few: "{n} فروع",
        many: "{n} فرعا",
        other: "{n} فرع",
    },
    owner: "الجهة المسؤولة",
    critical_title: "إخفاقات البنود الحرجة",
    critical_line: "لم يستوف في {n} من {of}",
    visits_counted: Plural {
        zero: "{n} زيارة",
        one: "زيارة واحدة",
        two: "زيارتين",
        few: "{n} زيارات",
        many: "{n} زيارة",
        other: "{n} زيارة",
    },
    no_critical: "لم يخفق أي بند حرج في هذه الفترة.",
    none: "لا يوجد.",
    method_title: "كيف تحسب هذه الدرجات",
    method: "تقيم كل زيارة وفق قائمة التحقق: يحصل كل بند على درجة من 0 إلى 1، ودرجة القسم والزيارة متوسط مرجح لبنودهما، والإخفاق في بند حرج يصفر درجة الزيارة أو يحد منها. الدرجة الخام هي متوسط درجات الزيارات. يختلف المتسوقون في تشددهم، وتختلف السيناريوهات وأوقات الزيارة في صعوبتها، وقد يحصل فرع قليل الزيارات على نتيجة مرتفعة أو منخفضة بالمصادفة. تصحح الدرجة العادلة ذلك كله: فهي تقدر الدرجة التي يحصل عليها الفرع لو زاره متسوق متوسط في ظروف متوسطة، وتقرب النتائج المبنية على زيارات قليلة من المتوسط بالقدر المناسب. ويبين نطاق الثقة \u{2066}90%\u{2069} مدى دقة التقدير، ويضيق كلما زادت الزيارات. الترتيب حسب الدرجة العادلة، والمرتبة 1 هي الأفضل. البنود التي اعترض عليها وقبل فريق الجودة الاعتراض لا تحتسب.",
    actions_title: "خطة العمل",
    actions_note: "الإجراءات القائمة وحالتها؛ الصفوف الفارغة لهذه الجلسة.",
    col_topic: "الموضوع",
    col_action: "الإجراء",
    col_owner: "المسؤول",
    col_due: "الموعد",
    col_status: "الحالة",
    general: "عام",
    status_open: "مفتوح",
    status_in_progress: "قيد التنفيذ",
    status_done: "منجز",
    page: "صفحة {n} من {of}",
    footer: "لا تظهر هويات المتسوقين في هذا التقرير أبدا.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_percentages_marked_in_arabic() {
        assert_eq!(Lang::En.pct(Some(0.875)), "87.5%");
        assert_eq!(Lang::Ar.pct(Some(0.875)), "\u{2066}87.5%\u{2069}");
        assert_eq!(Lang::En.interval(Some([0.7, 0.85])), "70.0–85.0%");
        assert_eq!(
            Lang::Ar.labelled_interval(Some([0.7, 0.85])),
            "نطاق الثقة \u{2066}90%\u{2069} من \u{2066}70.0%\u{2069} إلى \u{2066}85.0%\u{2069}"
        );
        assert_eq!(
            Lang::En.pass_rate_of(Some(1.0), 1),
            "pass rate 100.0% of 1 answer"
        );
        assert_eq!(Lang::En.points(0.023), "+2.3");
        assert_eq!(Lang::En.points(-0.01), "-1.0");
        assert_eq!(Lang::En.pct(None), "–");
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
        let ar = |n| {
            Lang::Ar
                .count(&AR.branches_counted, n)
                .replace(['\u{2066}', '\u{2069}'], "")
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
        assert_eq!(Lang::En.count(&EN.answers, 1), "1 answer");
        assert_eq!(Lang::En.count(&EN.answers, 13), "13 answers");
        assert_eq!(Lang::En.count(&EN.visits_counted, 0), "0 visits");
        let answers = |n| {
            Lang::Ar
                .count(&AR.answers, n)
                .replace(['\u{2066}', '\u{2069}'], "")
        };
        assert_eq!(answers(2), "إجابتين");
        assert_eq!(answers(5), "5 إجابات");
        assert_eq!(answers(13), "13 إجابة");
    }

    #[test]
    fn languages_parse_and_name_the_choices() {
        assert_eq!(Lang::parse("ar"), Ok(Lang::Ar));
        assert!(Lang::parse("fr").unwrap_err().contains("en or ar"));
    }
}
