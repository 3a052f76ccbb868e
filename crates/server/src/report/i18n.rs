//! The report's fixed wording in English and Arabic, and number formats.
//!
//! Arabic strings avoid tashkeel (vowel marks): they render fine but poppler extracts marked
//! text out of order, and the report must stay searchable. Percentages are percentages (SPEC
//! §4: fractions in machine formats, percentages in PDFs); in Arabic a left-to-right mark goes
//! before each number so that `87.5%` reads as written instead of `%87.5` (the bidi rules turn
//! digits after Arabic letters into Arabic numbers, which the percent sign does not follow).

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

    /// A 90% interval as percentages (`72.0–84.5%`).
    pub fn interval(self, ci: Option<[f64; 2]>) -> String {
        match ci {
            Some([lo, hi]) => self.ltr(&format!("{:.1}–{:.1}%", lo * 100.0, hi * 100.0)),
            None => "–".to_owned(),
        }
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

    /// `text` marked to run left to right inside Arabic (a no-op in English).
    pub fn ltr(self, text: &str) -> String {
        match self {
            Self::En => text.to_owned(),
            Self::Ar => format!("\u{200E}{text}"),
        }
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
    pub answers: &'static str,
    pub comments: &'static str,
    pub issues_title: &'static str,
    pub systemic: &'static str,
    pub systemic_note: &'static str,
    pub branch_specific: &'static str,
    pub failing_branches: &'static str,
    pub owner: &'static str,
    pub critical_title: &'static str,
    pub critical_line: &'static str,
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
    answers: "answers",
    comments: "Shoppers' comments",
    issues_title: "Systemic and branch-specific issues",
    systemic: "Systemic issues (for the owning function)",
    systemic_note: "These items fail across many branches: they call for a fix in policy, training or systems by the function that owns them, not for blame on one branch.",
    branch_specific: "Specific to this branch",
    failing_branches: "failing in {n} of {of} branches",
    owner: "owner",
    critical_title: "Critical-item failures",
    critical_line: "failed in {n} of {of} visits",
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
    interval: "نطاق الثقة \u{200E}90%",
    visits: "الزيارات",
    change: "التغير منذ {period}",
    no_previous: "لا توجد فترة سابقة للمقارنة",
    points: "نقطة",
    rank: "الترتيب بين الفروع",
    rank_of: "{rank} من {of}",
    region_rank: "في المنطقة: {rank} من {of}",
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
    answers: "إجابة",
    comments: "تعليقات المتسوقين",
    issues_title: "المشكلات العامة والمشكلات الخاصة بالفرع",
    systemic: "مشكلات عامة (للجهة المسؤولة)",
    systemic_note: "هذه البنود تتعثر في فروع كثيرة: علاجها تعديل في السياسات أو التدريب أو الأنظمة من الجهة المسؤولة عنها، وليس لوم فرع واحد.",
    branch_specific: "خاصة بهذا الفرع",
    failing_branches: "غير مستوفى في {n} من {of} فرعا",
    owner: "الجهة المسؤولة",
    critical_title: "إخفاقات البنود الحرجة",
    critical_line: "لم يستوف في {n} من {of} زيارة",
    no_critical: "لم يخفق أي بند حرج في هذه الفترة.",
    none: "لا يوجد.",
    method_title: "كيف تحسب هذه الدرجات",
    method: "تقيم كل زيارة وفق قائمة التحقق: يحصل كل بند على درجة من 0 إلى 1، ودرجة القسم والزيارة متوسط مرجح لبنودهما، والإخفاق في بند حرج يصفر درجة الزيارة أو يحد منها. الدرجة الخام هي متوسط درجات الزيارات. يختلف المتسوقون في تشددهم، وتختلف السيناريوهات وأوقات الزيارة في صعوبتها، وقد يحصل فرع قليل الزيارات على نتيجة مرتفعة أو منخفضة بالمصادفة. تصحح الدرجة العادلة ذلك كله: فهي تقدر الدرجة التي يحصل عليها الفرع لو زاره متسوق متوسط في ظروف متوسطة، وتقرب النتائج المبنية على زيارات قليلة من المتوسط بالقدر المناسب. ويبين نطاق الثقة \u{200E}90% مدى دقة التقدير، ويضيق كلما زادت الزيارات. الترتيب حسب الدرجة العادلة، والمرتبة 1 هي الأفضل. البنود التي اعترض عليها وقبل فريق الجودة الاعتراض لا تحتسب.",
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
        assert_eq!(Lang::Ar.pct(Some(0.875)), "\u{200E}87.5%");
        assert_eq!(Lang::En.interval(Some([0.7, 0.85])), "70.0–85.0%");
        assert_eq!(Lang::En.points(0.023), "+2.3");
        assert_eq!(Lang::En.points(-0.01), "-1.0");
        assert_eq!(Lang::En.pct(None), "–");
    }

    #[test]
    fn languages_parse_and_name_the_choices() {
        assert_eq!(Lang::parse("ar"), Ok(Lang::Ar));
        assert!(Lang::parse("fr").unwrap_err().contains("en or ar"));
    }
}
