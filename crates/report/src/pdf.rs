//! Pages: the A4 layout of the coaching report, its charts and its action-plan table, drawn
//! with printpdf operations (vector lines, rectangles and shaped text; no images).
//!
//! Everything is placed in *logical* coordinates — an offset from the start side of the line
//! and a width — and [`Layout::x`] turns them into page coordinates: in Arabic the start side is
//! the right margin, so headings, lists, the key figures, the table's first column and the
//! charts' axes all mirror without separate code. The trend chart's time axis runs from right
//! to left in Arabic too, as Arabic readers expect.

use printpdf::{
    Color, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, Rgb,
};

use super::model::{Kind, Report};
use super::text::{Dir, Fonts, Weight};
use super::{Budget, Error};
use crate::i18n::Lang;
use crate::i18n::Wording;
use sirr_i18n::msg;

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 40.0;
/// Space kept free at the bottom of each page for the footer.
const FOOTER: f32 = 30.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;

const BODY: f32 = 9.0;
const SMALL: f32 = 7.5;

#[derive(Clone, Copy)]
struct Rgb3(f32, f32, f32);

const INK: Rgb3 = Rgb3(0.12, 0.14, 0.18);
const MUTED: Rgb3 = Rgb3(0.40, 0.43, 0.48);
const ACCENT: Rgb3 = Rgb3(0.06, 0.33, 0.50);
const GROUP: Rgb3 = Rgb3(0.45, 0.66, 0.80);
const ORG: Rgb3 = Rgb3(0.72, 0.75, 0.79);
const LIGHT: Rgb3 = Rgb3(0.94, 0.96, 0.97);
const GRID: Rgb3 = Rgb3(0.82, 0.84, 0.87);
const GOOD: Rgb3 = Rgb3(0.11, 0.50, 0.29);
const BAD: Rgb3 = Rgb3(0.72, 0.16, 0.16);
const WHITE: Rgb3 = Rgb3(1.0, 1.0, 1.0);

fn color(c: Rgb3) -> Color {
    Color::Rgb(Rgb {
        r: c.0,
        g: c.1,
        b: c.2,
        icc_profile: None,
    })
}

fn pt(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

/// Where text sits in its box, relative to the reading direction.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Start,
    End,
    Center,
}

/// A text style.
#[derive(Clone, Copy)]
struct Style {
    size: f32,
    weight: Weight,
    color: Rgb3,
}

const fn style(size: f32, weight: Weight, color: Rgb3) -> Style {
    Style {
        size,
        weight,
        color,
    }
}

const TEXT: Style = style(BODY, Weight::Regular, INK);
const NOTE: Style = style(SMALL, Weight::Regular, MUTED);
const STRONG: Style = style(BODY, Weight::Bold, INK);

/// The page writer: a cursor that flows down the pages.
struct Layout<'f> {
    fonts: &'f Fonts,
    budget: &'f Budget,
    dir: Dir,
    lang: Lang,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// Top of the free space on the current page.
    y: f32,
}

impl<'f> Layout<'f> {
    fn new(fonts: &'f Fonts, lang: Lang, budget: &'f Budget) -> Self {
        Self {
            fonts,
            budget,
            dir: match lang {
                Lang::En => Dir::Ltr,
                Lang::Ar => Dir::Rtl,
            },
            lang,
            pages: Vec::new(),
            ops: Vec::new(),
            y: PAGE_H - MARGIN,
        }
    }

    /// Page x of a box `start` points from the start margin, `width` wide.
    fn x(&self, start: f32, width: f32) -> f32 {
        match self.dir {
            Dir::Ltr => MARGIN + start,
            Dir::Rtl => PAGE_W - MARGIN - start - width,
        }
    }

    fn line_height(&self, size: f32) -> f32 {
        match self.lang {
            // Naskh has tall ascenders and deep descenders.
            Lang::Ar => size * 1.7,
            Lang::En => size * 1.4,
        }
    }

    fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.ops));
        self.y = PAGE_H - MARGIN;
    }

    /// Starts a new page unless `height` fits above the footer.
    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN + FOOTER {
            self.new_page();
        }
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Rgb3) {
        self.ops.push(Op::SetFillColor { col: color(fill) });
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(y),
                width: Pt(w),
                height: Pt(h),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        });
    }

    fn frame(&mut self, x: f32, y: f32, w: f32, h: f32, stroke: Rgb3) {
        self.ops.push(Op::SetOutlineColor { col: color(stroke) });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(y),
                width: Pt(w),
                height: Pt(h),
                mode: Some(PaintMode::Stroke),
                winding_order: None,
            },
        });
    }

    fn polyline(&mut self, points: Vec<LinePoint>, stroke: Rgb3, width: f32, dashed: bool) {
        self.ops.push(Op::SetOutlineColor { col: color(stroke) });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(width) });
        if dashed {
            self.ops.push(Op::SetLineDashPattern {
                dash: LineDashPattern::new(0.0, &[3.0, 2.0]),
            });
        }
        self.ops.push(Op::DrawLine {
            line: Line {
                points,
                is_closed: false,
            },
        });
        if dashed {
            self.ops.push(Op::SetLineDashPattern {
                dash: LineDashPattern::new(0.0, &[]),
            });
        }
    }

    /// One line of text in the logical box (`start`, `width`) with its baseline at `baseline`.
    fn text(&mut self, text: &str, s: Style, start: f32, width: f32, align: Align, baseline: f32) {
        if text.trim().is_empty() || self.budget.exceeded() {
            return;
        }
        let shaped = self.fonts.shape(text, s.size, s.weight, self.dir);
        let left = self.x(start, width);
        let free = width - shaped.width;
        let x = match (align, self.dir) {
            (Align::Center, _) => left + free / 2.0,
            (Align::Start, Dir::Ltr) | (Align::End, Dir::Rtl) => left,
            (Align::Start, Dir::Rtl) | (Align::End, Dir::Ltr) => left + free,
        };
        self.ops.push(Op::SetFillColor {
            col: color(s.color),
        });
        self.fonts.draw(&shaped, x, baseline, &mut self.ops);
    }

    fn wrap(&self, text: &str, s: Style, width: f32) -> Vec<String> {
        self.fonts.wrap(text, s.size, s.weight, self.dir, width)
    }

    /// Wrapped text flowing down from the cursor, `indent` from the start margin.
    fn paragraph(&mut self, text: &str, s: Style, indent: f32) {
        let width = CONTENT_W - indent;
        let lh = self.line_height(s.size);
        if self.budget.exceeded() {
            return;
        }
        for line in self.wrap(text, s, width) {
            if self.budget.exceeded() {
                return;
            }
            self.room(lh);
            let baseline = self.y - s.size * 1.05;
            self.text(&line, s, indent, width, Align::Start, baseline);
            self.y -= lh;
        }
    }

    fn gap(&mut self, h: f32) {
        self.y -= h;
    }

    fn heading(&mut self, text: &str) {
        // A heading keeps its first lines with it (a subheading and an entry): one left alone
        // at the foot of a page, its content on the next, read as an empty section.
        self.room(100.0);
        self.gap(8.0);
        let size = 13.0;
        let baseline = self.y - size;
        self.text(
            text,
            style(size, Weight::Bold, ACCENT),
            0.0,
            CONTENT_W,
            Align::Start,
            baseline,
        );
        let rule = baseline - 5.0;
        self.polyline(
            vec![pt(MARGIN, rule), pt(PAGE_W - MARGIN, rule)],
            GROUP,
            0.8,
            false,
        );
        self.y = rule - 6.0;
    }

    fn subheading(&mut self, text: &str) {
        self.room(60.0);
        self.gap(3.0);
        self.paragraph(text, style(10.0, Weight::Bold, INK), 0.0);
        self.gap(1.0);
    }

    /// A bullet item: a first line in `first`, then notes below it, indented.
    fn bullet(&mut self, first: &str, first_style: Style, notes: &[(String, Style)]) {
        let lh = self.line_height(first_style.size);
        self.room(lh * 2.0);
        let baseline = self.y - first_style.size * 1.05;
        self.text(
            "•",
            style(first_style.size, Weight::Bold, ACCENT),
            2.0,
            8.0,
            Align::Start,
            baseline,
        );
        self.paragraph(first, first_style, 12.0);
        for (note, s) in notes {
            self.paragraph(note, *s, 12.0);
        }
        self.gap(2.0);
    }
}

/// Renders the report as PDF bytes, checking `budget` between lines and sections.
///
/// # Errors
/// [`Error::Font`] when the embedded fonts cannot be read; [`Error::OverBudget`].
pub fn render(report: &Report, budget: &Budget) -> Result<Vec<u8>, Error> {
    let lang = report.lang;
    let mut doc = PdfDocument::new(&lang.say(&msg!(
        "report-document-title",
        name = &report.name,
        code = &report.code
    )));
    let fonts = Fonts::embed(&mut doc)?;
    let mut page = Layout::new(&fonts, report.lang, budget);
    let check = |page: &Layout<'_>| {
        if page.budget.exceeded() {
            Err(Error::OverBudget)
        } else {
            Ok(())
        }
    };

    header(&mut page, report);
    key_figures(&mut page, report);
    check(&page)?;
    trend_chart(&mut page, report);
    section_chart(&mut page, report);
    check(&page)?;
    went_well(&mut page, report);
    gaps(&mut page, report);
    check(&page)?;
    issues(&mut page, report);
    method(&mut page, lang);
    action_plan(&mut page, report);
    check(&page)?;

    page.new_page();
    let total = page.pages.len();
    let mut pages = Vec::with_capacity(total);
    for (n, mut ops) in std::mem::take(&mut page.pages).into_iter().enumerate() {
        footer(&mut page, report, n + 1, total);
        ops.append(&mut page.ops);
        pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    }
    check(&page)?;
    doc.with_pages(pages);
    let mut warnings = Vec::new();
    let bytes = doc.save(&PdfSaveOptions::default(), &mut warnings);
    check(&page)?;
    Ok(bytes)
}

fn footer(page: &mut Layout<'_>, report: &Report, n: usize, total: usize) {
    let lang = report.lang;
    let y = MARGIN - 6.0;
    page.polyline(
        vec![pt(MARGIN, y + 12.0), pt(PAGE_W - MARGIN, y + 12.0)],
        GRID,
        0.5,
        false,
    );
    let left = format!("{} · {}", report.code, lang.say(&msg!("report-footer")));
    page.text(&left, NOTE, 0.0, CONTENT_W * 0.7, Align::Start, y);
    let number = lang.say(&msg!("report-page", page = n, pages = total));
    page.text(
        &number,
        NOTE,
        CONTENT_W * 0.7,
        CONTENT_W * 0.3,
        Align::End,
        y,
    );
}

fn header(page: &mut Layout<'_>, r: &Report) {
    let lang = r.lang;
    let band = 74.0;
    page.rect(0.0, PAGE_H - band, PAGE_W, band, ACCENT);
    let title_base = PAGE_H - 36.0;
    page.text(
        &lang.say(&msg!("report-title")),
        style(20.0, Weight::Bold, WHITE),
        0.0,
        CONTENT_W,
        Align::Start,
        title_base,
    );
    page.text(
        &lang.say(&msg!("report-subtitle")),
        style(10.0, Weight::Regular, WHITE),
        0.0,
        CONTENT_W,
        Align::Start,
        title_base - 22.0,
    );
    page.y = PAGE_H - band - 12.0;

    let (subject, parent) = match r.kind {
        Kind::Branch => (msg!("report-branch"), msg!("report-region")),
        Kind::Team => (msg!("report-team"), msg!("report-branch")),
    };
    let period = r.period.as_ref().map_or_else(
        || lang.say(&msg!("report-all-visits")),
        |p| lang.period_name(p),
    );
    let name = format!("{} · {}", r.name, r.code);
    let cells: [(String, String); 6] = [
        (
            lang.say(&msg!("report-organisation")),
            r.organisation.clone(),
        ),
        (lang.say(&subject), name),
        (
            lang.say(&parent),
            r.parent.clone().unwrap_or_else(|| "–".to_owned()),
        ),
        (lang.say(&msg!("report-period")), period),
        (
            lang.say(&msg!("report-language")),
            lang.say(&msg!("report-language-name")),
        ),
        (lang.say(&msg!("report-visits")), lang.num(r.summary.visits)),
    ];
    let col = CONTENT_W / 3.0;
    let row_h = page.line_height(SMALL) + page.line_height(10.5) + 2.0;
    for (i, (label, value)) in cells.iter().enumerate() {
        let start = col * (i % 3) as f32;
        let top = page.y - row_h * (i / 3) as f32;
        page.text(
            label,
            NOTE,
            start,
            col - 6.0,
            Align::Start,
            top - SMALL * 1.1,
        );
        let base = top - page.line_height(SMALL) - 10.5;
        page.text(
            value,
            style(10.5, Weight::Bold, INK),
            start,
            col - 6.0,
            Align::Start,
            base,
        );
    }
    page.y -= row_h * 2.0 + 6.0;
}

fn key_figures(page: &mut Layout<'_>, r: &Report) {
    let lang = r.lang;
    let s = &r.summary;
    let no_previous = || lang.say(&msg!("report-no-previous"));
    let (change_label, change_value, change_note, change_color) = match &r.previous {
        Some(p) => {
            let label = lang.say(&msg!(
                "report-change-since",
                period = lang.period_name(&p.period)
            ));
            match (s.fair_score, p.fair_score) {
                (Some(now), Some(then)) => {
                    let d = now - then;
                    let c = if d > 0.0005 {
                        GOOD
                    } else if d < -0.0005 {
                        BAD
                    } else {
                        INK
                    };
                    (
                        label,
                        lang.say(&msg!("report-points", points = lang.points(d))),
                        lang.say(&msg!("report-was", score = lang.pct(Some(then)))),
                        c,
                    )
                }
                _ => (label, "–".to_owned(), no_previous(), INK),
            }
        }
        None => (
            lang.say(&msg!("report-change-since", period = "–")),
            "–".to_owned(),
            no_previous(),
            INK,
        ),
    };
    let rank_value = r.rank.map_or("–".to_owned(), |k| {
        lang.say(&msg!("report-rank-of", rank = k.rank, of = k.of))
    });
    let rank_note = r.region_rank.map_or(String::new(), |k| {
        lang.say(&msg!("report-region-rank", rank = k.rank, of = k.of))
    });
    let boxes: [(String, String, String, Rgb3); 4] = [
        (
            lang.say(&msg!("report-fair-score")),
            lang.pct(s.fair_score),
            lang.interval(s.fair_ci),
            ACCENT,
        ),
        (
            lang.say(&msg!("report-raw-score")),
            lang.pct(s.raw_score),
            lang.interval(s.raw_ci),
            INK,
        ),
        (change_label, change_value, change_note, change_color),
        (lang.say(&msg!("report-rank")), rank_value, rank_note, INK),
    ];
    let gap = 8.0;
    let w = (CONTENT_W - gap * 3.0) / 4.0;
    let h = 66.0;
    page.room(h + 10.0);
    let bottom = page.y - h;
    for (i, (label, value, note, c)) in boxes.iter().enumerate() {
        let start = (w + gap) * i as f32;
        let x = page.x(start, w);
        page.rect(x, bottom, w, h, LIGHT);
        let inner = (start + 8.0, w - 16.0);
        page.text(label, NOTE, inner.0, inner.1, Align::Start, page.y - 14.0);
        page.text(
            value,
            style(17.0, Weight::Bold, *c),
            inner.0,
            inner.1,
            Align::Start,
            page.y - 38.0,
        );
        page.text(note, NOTE, inner.0, inner.1, Align::Start, page.y - 56.0);
    }
    page.y = bottom - 6.0;
    if s.visits == 0 {
        let none = lang.say(&msg!("report-no-visits"));
        page.paragraph(&none, style(BODY, Weight::Bold, BAD), 0.0);
    }
}

/// Legend entries: a colour swatch (solid or dashed line, or a box) and a label.
fn legend(page: &mut Layout<'_>, entries: &[(&str, Rgb3, bool)], baseline: f32) {
    let mut start = 0.0;
    for (label, c, dashed) in entries {
        let x = page.x(start, 14.0);
        if *dashed {
            page.polyline(
                vec![pt(x, baseline + 3.0), pt(x + 14.0, baseline + 3.0)],
                *c,
                1.2,
                true,
            );
        } else {
            page.rect(x, baseline, 14.0, 6.0, *c);
        }
        let w = page.fonts.width(label, SMALL, Weight::Regular, page.dir) + 4.0;
        page.text(label, NOTE, start + 18.0, w, Align::Start, baseline);
        start += 18.0 + w + 12.0;
    }
}

fn trend_chart(page: &mut Layout<'_>, r: &Report) {
    let lang = r.lang;
    let points: Vec<_> = r.trend.iter().rev().take(12).rev().collect();
    page.heading(&lang.say(&msg!("report-trend-title")));
    if points.is_empty() {
        page.paragraph(&lang.say(&msg!("report-no-visits")), TEXT, 0.0);
        return;
    }
    let h = 150.0;
    page.room(h + 20.0);
    let lh = page.line_height(SMALL);
    let baseline = page.y - SMALL;
    let (fair, raw) = (
        lang.say(&msg!("report-fair-score")),
        lang.say(&msg!("report-raw-score")),
    );
    legend(
        page,
        &[(fair.as_str(), ACCENT, false), (raw.as_str(), MUTED, true)],
        baseline,
    );
    page.y -= lh + 4.0;
    let axis = 34.0;
    let plot_w = CONTENT_W - axis;
    let top = page.y - 6.0;
    let bottom = page.y - h + 18.0;
    let values = points
        .iter()
        .flat_map(|p| [p.fair, p.raw])
        .flatten()
        .fold(1.0f64, f64::min);
    // The scale starts at the tenth below the lowest value, so that changes are visible.
    let lo = ((values - 0.05) * 10.0).floor().max(0.0) / 10.0;
    let y_of = |v: f64| bottom + ((v - lo) / (1.0 - lo)) as f32 * (top - bottom);
    let mut tick = lo;
    while tick <= 1.0001 {
        let y = y_of(tick);
        let (x0, x1) = (page.x(axis, 0.0), page.x(CONTENT_W, 0.0));
        page.polyline(vec![pt(x0, y), pt(x1, y)], GRID, 0.4, true);
        page.text(
            &r.lang.pct(Some(tick)).replace(".0%", "%"),
            NOTE,
            0.0,
            axis - 4.0,
            Align::End,
            y - 2.5,
        );
        tick += 0.1;
    }
    let step = plot_w / points.len() as f32;
    let x_of = |page: &Layout<'_>, i: usize| page.x(axis + step * (i as f32 + 0.5), 0.0);
    for (i, p) in points.iter().enumerate() {
        let label = r.lang.ltr(&p.period);
        page.text(
            &label,
            NOTE,
            axis + step * i as f32,
            step,
            Align::Center,
            bottom - 11.0,
        );
    }
    let series = |page: &Layout<'_>, pick: &dyn Fn(&super::model::Point) -> Option<f64>| {
        points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| pick(p).map(|v| (x_of(page, i), y_of(v))))
            .collect::<Vec<_>>()
    };
    let raw = series(page, &|p| p.raw);
    let fair = series(page, &|p| p.fair);
    if raw.len() > 1 {
        page.polyline(
            raw.iter().map(|&(x, y)| pt(x, y)).collect(),
            MUTED,
            1.0,
            true,
        );
    }
    if fair.len() > 1 {
        page.polyline(
            fair.iter().map(|&(x, y)| pt(x, y)).collect(),
            ACCENT,
            2.0,
            false,
        );
    }
    for &(x, y) in &fair {
        page.rect(x - 2.5, y - 2.5, 5.0, 5.0, ACCENT);
    }
    if let (Some(&(x, y)), Some(last)) = (fair.last(), points.last()) {
        let label = r.lang.pct(last.fair);
        let w = page.fonts.width(&label, SMALL, Weight::Bold, page.dir);
        page.ops.push(Op::SetFillColor { col: color(ACCENT) });
        let shaped = page.fonts.shape(&label, SMALL, Weight::Bold, page.dir);
        page.fonts
            .draw(&shaped, x - w / 2.0, y + 6.0, &mut page.ops);
    }
    // The axis line.
    let x = page.x(axis, 0.0);
    page.polyline(vec![pt(x, bottom), pt(x, top)], MUTED, 0.6, false);
    page.y = bottom - 20.0;
}

fn section_chart(page: &mut Layout<'_>, r: &Report) {
    let lang = r.lang;
    page.heading(&lang.say(&msg!("report-sections-title")));
    if r.sections.is_empty() {
        page.paragraph(&lang.say(&msg!("report-no-visits")), TEXT, 0.0);
        return;
    }
    let (own, group) = match r.kind {
        Kind::Branch => (msg!("report-this-branch"), msg!("report-region-average")),
        Kind::Team => (msg!("report-this-team"), msg!("report-branch-average")),
    };
    let (own, group, organisation) = (
        lang.say(&own),
        lang.say(&group),
        lang.say(&msg!("report-organisation-average")),
    );
    page.room(40.0);
    let baseline = page.y - SMALL;
    legend(
        page,
        &[
            (own.as_str(), ACCENT, false),
            (group.as_str(), GROUP, false),
            (organisation.as_str(), ORG, false),
        ],
        baseline,
    );
    page.y -= page.line_height(SMALL) + 6.0;
    let label_w = 150.0;
    let bars_start = label_w + 10.0;
    let bars_w = CONTENT_W - bars_start - 44.0;
    let lh = page.line_height(8.0);
    let label_style = style(8.0, Weight::Regular, INK);
    for s in &r.sections {
        let lines = page.wrap(&s.title, label_style, label_w);
        let row_h = (lines.len() as f32 * lh).max(22.0) + 6.0;
        page.room(row_h);
        let top = page.y;
        for (k, line) in lines.iter().enumerate() {
            page.text(
                line,
                label_style,
                0.0,
                label_w,
                Align::Start,
                top - 8.0 - lh * k as f32,
            );
        }
        let bars = [
            (s.own, ACCENT, 9.0),
            (s.group, GROUP, 5.0),
            (s.organisation, ORG, 5.0),
        ];
        let mut y = top - 2.0;
        for (k, (value, c, thickness)) in bars.iter().enumerate() {
            y -= thickness;
            let len = value.map_or(0.0, |v| v as f32 * bars_w);
            if len > 0.0 {
                let x = page.x(bars_start, len);
                page.rect(x, y, len, *thickness, *c);
            }
            if k == 0 {
                let label = r.lang.pct(*value);
                page.text(
                    &label,
                    style(SMALL, Weight::Bold, ACCENT),
                    bars_start + len + 3.0,
                    40.0,
                    Align::Start,
                    y + 1.5,
                );
            }
            y -= 1.5;
        }
        page.y -= row_h;
    }
    // Scale under the bars.
    let ticks = [0.0, 0.25, 0.5, 0.75, 1.0];
    for t in ticks {
        let start = bars_start + t * bars_w;
        let x = page.x(start, 0.0);
        page.polyline(
            vec![pt(x, page.y + 2.0), pt(x, page.y + 5.0)],
            MUTED,
            0.5,
            false,
        );
        page.text(
            &r.lang.pct(Some(f64::from(t))).replace(".0%", "%"),
            NOTE,
            start - 15.0,
            30.0,
            Align::Center,
            page.y - 6.0,
        );
    }
    let (x0, x1) = (page.x(bars_start, 0.0), page.x(bars_start + bars_w, 0.0));
    page.polyline(
        vec![pt(x0, page.y + 2.0), pt(x1, page.y + 2.0)],
        MUTED,
        0.5,
        false,
    );
    page.y -= 14.0;
}

fn item_note(
    lang: Lang,
    pass: Option<f64>,
    answers: usize,
    section: &str,
    owner: Option<&str>,
) -> String {
    let mut parts = Vec::new();
    if !section.is_empty() {
        parts.push(section.to_owned());
    }
    parts.push(lang.pass_rate_of(pass, answers));
    if let Some(owner) = owner {
        parts.push(lang.say(&msg!("report-owner-line", owner = owner)));
    }
    parts.join(" · ")
}

fn went_well(page: &mut Layout<'_>, r: &Report) {
    let lang = r.lang;
    page.heading(&lang.say(&msg!("report-went-well")));
    page.subheading(&lang.say(&msg!("report-strongest")));
    if r.strengths.is_empty() {
        page.paragraph(&lang.say(&msg!("report-none")), TEXT, 0.0);
    }
    for i in &r.strengths {
        let note = item_note(lang, i.pass_rate, i.answers, &i.section, None);
        page.bullet(&i.text, TEXT, &[(note, NOTE)]);
    }
    shown_of(page, r, r.strengths.len(), r.totals.strengths);
    page.subheading(&lang.say(&msg!("report-appreciated")));
    if r.praise.is_empty() {
        page.paragraph(&lang.say(&msg!("report-no-positive")), NOTE, 0.0);
    }
    for q in &r.praise {
        page.bullet(&format!("— {}", q.text), TEXT, &[(q.item.clone(), NOTE)]);
    }
}

/// Critical failures first: a coach starts with what zeroes or caps a visit (a manager found them
/// on page 3, after the weak items and the systemic issues).
fn critical_failures(page: &mut Layout<'_>, r: &Report) {
    let lang = r.lang;
    page.subheading(&lang.say(&msg!("report-critical-title")));
    if r.critical.is_empty() {
        page.paragraph(&lang.say(&msg!("report-no-critical")), TEXT, 0.0);
    }
    for c in &r.critical {
        let note = lang.say(&msg!(
            "report-critical-line",
            failed = c.failed,
            visits = c.scored
        ));
        page.bullet(&c.item, style(BODY, Weight::Bold, BAD), &[(note, NOTE)]);
    }
}

fn gaps(page: &mut Layout<'_>, r: &Report) {
    let lang = r.lang;
    page.heading(&lang.say(&msg!("report-gaps")));
    critical_failures(page, r);
    page.subheading(&lang.say(&msg!("report-weak-items")));
    if r.gaps.is_empty() {
        // Too few answers to call an item weak is not "nothing failed" when a critical item did.
        let none = if r.critical.is_empty() {
            msg!("report-no-gaps")
        } else {
            msg!("report-no-gaps-but-critical")
        };
        page.paragraph(&lang.say(&none), TEXT, 0.0);
    }
    for g in &r.gaps {
        let note = item_note(
            lang,
            g.item.pass_rate,
            g.item.answers,
            &g.item.section,
            g.item.owner.as_deref(),
        );
        let mut notes = vec![(note, NOTE)];
        if !g.comments.is_empty() {
            notes.push((
                lang.say(&msg!("report-comments")),
                style(SMALL, Weight::Bold, MUTED),
            ));
            for c in &g.comments {
                notes.push((format!("— {c}"), style(8.5, Weight::Regular, INK)));
            }
        }
        let first = style(BODY, Weight::Bold, if g.failing { BAD } else { INK });
        page.bullet(&g.item.text, first, &notes);
    }
    shown_of(page, r, r.gaps.len(), r.totals.gaps);
}

/// Says that a list was cut to fit ("6 of 18 shown; all in the web app"), when it was.
fn shown_of(page: &mut Layout<'_>, r: &Report, shown: usize, total: usize) {
    if total > shown {
        let text = r
            .lang
            .say(&msg!("report-shown-of", shown = shown, total = total));
        page.paragraph(&text, NOTE, 0.0);
    }
}

fn issues(page: &mut Layout<'_>, r: &Report) {
    let lang = r.lang;
    let none = lang.say(&msg!("report-none"));
    page.heading(&lang.say(&msg!("report-issues-title")));
    page.subheading(&lang.say(&msg!("report-systemic")));
    page.paragraph(&lang.say(&msg!("report-systemic-note")), NOTE, 0.0);
    page.gap(2.0);
    if r.systemic.is_empty() {
        page.paragraph(&none, TEXT, 0.0);
    }
    for s in &r.systemic {
        let mut note = item_note(
            lang,
            s.item.pass_rate,
            s.item.answers,
            &s.item.section,
            s.item.owner.as_deref(),
        );
        note.push_str(" · ");
        note.push_str(&lang.say(&msg!(
            "report-failing-branches",
            failing = s.failing_branches,
            branches = s.branches
        )));
        let mut notes = vec![(note, NOTE)];
        if s.here.is_some() {
            let here = match r.kind {
                Kind::Branch => msg!("report-this-branch-rate", rate = lang.pct(s.here)),
                Kind::Team => msg!("report-this-team-rate", rate = lang.pct(s.here)),
            };
            notes.push((lang.say(&here), NOTE));
        }
        page.bullet(&s.item.text, STRONG, &notes);
    }
    shown_of(page, r, r.systemic.len(), r.totals.systemic);
    page.subheading(&lang.say(&msg!("report-branch-specific")));
    if r.branch_specific.is_empty() {
        page.paragraph(&none, TEXT, 0.0);
    }
    for i in &r.branch_specific {
        let note = item_note(lang, i.pass_rate, i.answers, &i.section, i.owner.as_deref());
        page.bullet(&i.text, STRONG, &[(note, NOTE)]);
    }
}

fn method(page: &mut Layout<'_>, lang: Lang) {
    page.heading(&lang.say(&msg!("report-method-title")));
    page.paragraph(&lang.method(), TEXT, 0.0);
}

fn action_plan(page: &mut Layout<'_>, r: &Report) {
    let lang = r.lang;
    page.heading(&lang.say(&msg!("report-actions-title")));
    page.paragraph(&lang.say(&msg!("report-actions-note")), NOTE, 0.0);
    page.gap(4.0);
    let widths = [112.0, 190.0, 85.0, 60.0, CONTENT_W - 447.0];
    let header = [
        msg!("report-col-topic"),
        msg!("report-col-action"),
        msg!("report-col-owner"),
        msg!("report-col-due"),
        msg!("report-col-status"),
    ];
    let cell = style(8.0, Weight::Regular, INK);
    let head = style(8.0, Weight::Bold, WHITE);
    let lh = page.line_height(8.0);
    let pad = 4.0;
    let mut rows: Vec<([String; 5], Style)> = vec![(header.map(|m| lang.say(&m)), head)];
    for a in &r.actions {
        rows.push((
            [
                a.topic.clone(),
                a.action.clone(),
                a.owner.clone(),
                lang.ltr(&a.due),
                a.status.clone(),
            ],
            cell,
        ));
    }
    for _ in 0..4 {
        rows.push((Default::default(), cell));
    }
    for (k, (row, s)) in rows.iter().enumerate() {
        let wrapped: Vec<Vec<String>> = row
            .iter()
            .zip(widths)
            .map(|(t, w)| page.wrap(t, *s, w - 2.0 * pad))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let h = if k > r.actions.len() {
            26.0
        } else {
            lines as f32 * lh + 2.0 * pad
        };
        page.room(h);
        let bottom = page.y - h;
        let mut start = 0.0;
        for (text, w) in wrapped.iter().zip(widths) {
            let x = page.x(start, w);
            if k == 0 {
                page.rect(x, bottom, w, h, ACCENT);
            }
            page.frame(x, bottom, w, h, GRID);
            for (n, line) in text.iter().enumerate() {
                let base = page.y - pad - 8.0 - lh * n as f32 + 1.0;
                page.text(line, *s, start + pad, w - 2.0 * pad, Align::Start, base);
            }
            start += w;
        }
        page.y = bottom;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The English interval writes both ends as percentages ("72.0%–84.5%", as the Arabic one
    /// always has); even at its widest it stays inside its key-figure box.
    #[test]
    fn the_widest_english_interval_fits_its_key_figure_box() {
        let mut doc = PdfDocument::new("test");
        let fonts = Fonts::embed(&mut doc).unwrap();
        // As in `key_figures`: four boxes with 8 pt between them and 8 pt of padding inside.
        let inner = (CONTENT_W - 8.0 * 3.0) / 4.0 - 16.0;
        let note = Lang::En.interval(Some([1.0, 1.0]));
        let width = fonts.width(&note, SMALL, Weight::Regular, Dir::Ltr);
        assert!(width <= inner, "{note}: {width} > {inner}");
    }
}
