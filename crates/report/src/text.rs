//! Text for the PDF: bidirectional ordering (unicode-bidi), shaping (rustybuzz), per-character
//! font fallback, measuring and line breaking, and the glyph operations printpdf writes.
//!
//! printpdf does not shape: its `TextItem::Text` maps characters one by one, which leaves
//! Arabic as isolated letters in reversed order. So every string goes through [`Fonts::shape`]:
//! the bidi algorithm splits it into runs in visual order, each run is split by font coverage
//! (Noto Naskh Arabic has no Latin letters, `-` or `%`; those come from Noto Sans), and each
//! piece is shaped in its direction. The glyphs are written with their glyph ids, and every
//! glyph carries the characters it stands for, so printpdf's ToUnicode map lets `pdftotext`,
//! browsers and copy-paste recover the text in logical order. No `/ActualText` is used: poppler
//! reverses Arabic a second time when it is present (research/rust-stack.md, pitfalls 8 and 9).

use printpdf::{
    Codepoint, FontId, Op, ParsedFont, PdfDocument, PdfFontHandle, Pt, TextItem, TextMatrix,
};
use std::collections::{HashMap, VecDeque};
use std::sync::OnceLock;

use rustybuzz::{Direction, Face, UnicodeBuffer};
use unicode_bidi::{BidiInfo, Level};

use super::Error;

const NASKH_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoNaskhArabic-Regular.ttf");
const NASKH_BOLD: &[u8] = include_bytes!("../assets/fonts/NotoNaskhArabic-Bold.ttf");
const SANS_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSans-Regular.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../assets/fonts/NotoSans-Bold.ttf");

/// Paragraph direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// Left to right (English).
    Ltr,
    /// Right to left (Arabic).
    Rtl,
}

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// Body text.
    Regular,
    /// Headings and emphasis.
    Bold,
}

/// One embedded font: its id in the document and its face for shaping.
struct Font {
    id: FontId,
    face: Face<'static>,
}

/// The four embedded fonts. In each weight the Arabic face comes first: Arabic letters must
/// come from it, everything it lacks falls back to Noto Sans (whose digits and punctuation are
/// also what the English report uses).
pub struct Fonts {
    regular: [Font; 2],
    bold: [Font; 2],
}

/// A shaped glyph, positioned relative to the start (left end) of its line.
#[derive(Debug, Clone)]
struct Glyph {
    font: usize,
    gid: u16,
    x: f32,
    y: f32,
    advance: f32,
    text: String,
}

/// A shaped line: glyphs in visual order, ready to draw at any position.
#[derive(Debug, Clone)]
pub struct Shaped {
    weight: Weight,
    size: f32,
    glyphs: Vec<Glyph>,
    /// Width in points.
    pub width: f32,
}

impl Shaped {
    /// The text of the glyphs in visual (left-to-right drawing) order.
    pub fn visual_text(&self) -> String {
        self.glyphs.iter().map(|g| g.text.as_str()).collect()
    }
}

/// Bidi controls and marks steer ordering only; fonts have no glyphs for them.
fn is_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
}

const FILES: [&[u8]; 4] = [NASKH_REGULAR, SANS_REGULAR, NASKH_BOLD, SANS_BOLD];

/// printpdf's parse of the four fonts, made once per process: parsing the glyph tables costs
/// far more than a report's layout, and the fonts never change.
fn parsed() -> Result<&'static [ParsedFont; 4], Error> {
    static PARSED: OnceLock<Option<[ParsedFont; 4]>> = OnceLock::new();
    PARSED
        .get_or_init(|| {
            let parse = |bytes: &[u8]| ParsedFont::from_bytes(bytes, 0, &mut Vec::new());
            Some([
                parse(FILES[0])?,
                parse(FILES[1])?,
                parse(FILES[2])?,
                parse(FILES[3])?,
            ])
        })
        .as_ref()
        .ok_or(Error::Font)
}

fn load(doc: &mut PdfDocument, parsed: &ParsedFont, bytes: &'static [u8]) -> Result<Font, Error> {
    let face = Face::from_slice(bytes, 0).ok_or(Error::Font)?;
    Ok(Font {
        id: doc.add_font(parsed),
        face,
    })
}

impl Fonts {
    /// Adds the four fonts to `doc` (printpdf subsets them to the glyphs used when saving).
    ///
    /// # Errors
    /// [`Error::Font`] when an embedded font cannot be parsed (a broken build).
    pub fn embed(doc: &mut PdfDocument) -> Result<Self, Error> {
        let p = parsed()?;
        Ok(Self {
            regular: [load(doc, &p[0], FILES[0])?, load(doc, &p[1], FILES[1])?],
            bold: [load(doc, &p[2], FILES[2])?, load(doc, &p[3], FILES[3])?],
        })
    }

    fn set(&self, weight: Weight) -> &[Font; 2] {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// Which font of the set draws `c`: Arabic from Naskh, the rest from Noto Sans when Naskh
    /// lacks it (and from Naskh when neither has it, which draws a box rather than nothing).
    fn font_for(set: &[Font; 2], c: char) -> usize {
        let arabic = matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF);
        if arabic || set[1].face.glyph_index(c).is_none() {
            0
        } else {
            1
        }
    }

    /// Shapes one line of `text` (no line breaks) in a paragraph of direction `dir`.
    pub fn shape(&self, text: &str, size: f32, weight: Weight, dir: Dir) -> Shaped {
        let set = self.set(weight);
        let level = match dir {
            Dir::Ltr => Level::ltr(),
            Dir::Rtl => Level::rtl(),
        };
        let mut glyphs = Vec::new();
        let mut pen = 0.0f32;
        if !text.is_empty() {
            let bidi = BidiInfo::new(text, Some(level));
            for para in &bidi.paragraphs {
                let (levels, runs) = bidi.visual_runs(para, para.range.clone());
                for run in runs {
                    let rtl = levels[run.start].is_rtl();
                    for (font, range) in Self::split_by_font(set, text, run, rtl) {
                        pen =
                            Self::shape_piece(set, font, &text[range], rtl, size, pen, &mut glyphs);
                    }
                }
            }
        }
        Shaped {
            weight,
            size,
            glyphs,
            width: pen,
        }
    }

    /// A run's pieces by font, in visual order. Spaces and controls stay with the font before
    /// them so that words are not cut into pieces at every space.
    fn split_by_font(
        set: &[Font; 2],
        text: &str,
        run: std::ops::Range<usize>,
        rtl: bool,
    ) -> Vec<(usize, std::ops::Range<usize>)> {
        let mut pieces: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        for (i, c) in text[run.clone()].char_indices() {
            let start = run.start + i;
            let end = start + c.len_utf8();
            let font = if c.is_whitespace() || is_control(c) {
                pieces.last().map_or(Self::font_for(set, c), |p| p.0)
            } else {
                Self::font_for(set, c)
            };
            match pieces.last_mut() {
                Some((f, r)) if *f == font => r.end = end,
                _ => pieces.push((font, start..end)),
            }
        }
        if rtl {
            pieces.reverse();
        }
        pieces
    }

    fn shape_piece(
        set: &[Font; 2],
        font: usize,
        piece: &str,
        rtl: bool,
        size: f32,
        mut pen: f32,
        glyphs: &mut Vec<Glyph>,
    ) -> f32 {
        // Controls are dropped before shaping (they would become .notdef boxes); the bidi
        // algorithm has already used them.
        let clean: String = piece.chars().filter(|&c| !is_control(c)).collect();
        if clean.is_empty() {
            return pen;
        }
        let face = &set[font].face;
        let scale = size / face.units_per_em() as f32;
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(&clean);
        buffer.set_direction(if rtl {
            Direction::RightToLeft
        } else {
            Direction::LeftToRight
        });
        let out = rustybuzz::shape(face, &[], buffer);
        let texts = glyph_texts(face, &clean, &out);
        for ((info, pos), text) in out
            .glyph_infos()
            .iter()
            .zip(out.glyph_positions())
            .zip(texts)
        {
            glyphs.push(Glyph {
                font,
                gid: u16::try_from(info.glyph_id).unwrap_or(0),
                x: pen + pos.x_offset as f32 * scale,
                y: pos.y_offset as f32 * scale,
                advance: pos.x_advance as f32 * scale,
                text,
            });
            pen += pos.x_advance as f32 * scale;
        }
        pen
    }

    /// Width of `text` shaped on one line.
    pub fn width(&self, text: &str, size: f32, weight: Weight, dir: Dir) -> f32 {
        self.shape(text, size, weight, dir).width
    }

    /// Breaks `text` into lines no wider than `max` (at spaces; a word wider than `max` is cut
    /// into lines of their own). Explicit newlines start new lines. Lines are returned in
    /// logical order, each to be shaped on its own.
    pub fn wrap(&self, text: &str, size: f32, weight: Weight, dir: Dir, max: f32) -> Vec<String> {
        let space = self.width(" ", size, weight, dir);
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut width = 0.0;
            for word in paragraph.split_whitespace() {
                let w = self.width(word, size, weight, dir);
                if w > max {
                    // A run without spaces wider than the line (a pasted code, a flood of one
                    // letter): cut it into pieces of about a line each, by its mean character
                    // width, so that it stays on the page and costs time linear in its length.
                    if !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        width = 0.0;
                    }
                    let chars: Vec<char> = word.chars().collect();
                    let per = ((chars.len() as f32 * max / w * 0.9) as usize).max(1);
                    let mut pieces = chars.chunks(per).map(|c| c.iter().collect::<String>());
                    let last = pieces.next_back();
                    lines.extend(pieces);
                    if let Some(last) = last {
                        width = self.width(&last, size, weight, dir);
                        line = last;
                    }
                    continue;
                }
                if !line.is_empty() && width + space + w > max {
                    lines.push(std::mem::take(&mut line));
                    width = 0.0;
                }
                if !line.is_empty() {
                    line.push(' ');
                    width += space;
                }
                line.push_str(word);
                width += w;
            }
            lines.push(line);
        }
        lines
    }

    /// The operations drawing `line` with its left end at `x` and its baseline at `y`.
    pub fn draw(&self, line: &Shaped, x: f32, y: f32, ops: &mut Vec<Op>) {
        if line.glyphs.is_empty() {
            return;
        }
        let set = self.set(line.weight);
        let size = line.size;
        ops.push(Op::StartTextSection);
        let mut current = usize::MAX;
        let mut run: Vec<Codepoint> = Vec::new();
        let mut expect: Option<f32> = None;
        let flush = |run: &mut Vec<Codepoint>, ops: &mut Vec<Op>| {
            if !run.is_empty() {
                ops.push(Op::ShowText {
                    items: vec![TextItem::GlyphIds(std::mem::take(run))],
                });
            }
        };
        for g in &line.glyphs {
            let font = &set[g.font];
            let (gx, gy) = (x + g.x, y + g.y);
            if g.font != current {
                flush(&mut run, ops);
                current = g.font;
                expect = None;
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(font.id.clone()),
                    size: Pt(size),
                });
            }
            // A glyph off the running pen (a mark, a kerned pair) gets its own text matrix.
            if g.y != 0.0 || expect.is_none_or(|e| (gx - e).abs() > 0.01) {
                flush(&mut run, ops);
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Raw([1.0, 0.0, 0.0, 1.0, gx, gy]),
                });
            }
            let upem = font.face.units_per_em() as f32;
            let nominal = font
                .face
                .glyph_hor_advance(ttf_parser::GlyphId(g.gid))
                .map_or(0.0, |a| f32::from(a) * size / upem);
            // TJ offsets are in thousandths of an em, positive moves left.
            run.push(Codepoint {
                gid: g.gid,
                offset: (nominal - g.advance) * 1000.0 / size,
                cid: Some(g.text.clone()),
            });
            expect = Some(gx + g.advance);
            if g.y != 0.0 {
                flush(&mut run, ops);
                expect = None;
            }
        }
        flush(&mut run, ops);
        ops.push(Op::EndTextSection);
    }
}

/// The characters each glyph stands for, for the ToUnicode map.
///
/// printpdf keeps one string per glyph id for the whole font, so a glyph must map to exactly
/// its own characters: a nominal glyph to its character (found through the cmap), a contextual
/// form or ligature to the letters of its cluster, a mark to the mark. Putting a whole cluster
/// on one glyph would leak marks into other words; leaving it empty would let printpdf guess
/// from the cmap, which fails for contextual forms (research/rust-stack.md, pitfall 9).
fn glyph_texts(face: &Face<'_>, text: &str, out: &rustybuzz::GlyphBuffer) -> Vec<String> {
    let (infos, positions) = (out.glyph_infos(), out.glyph_positions());
    // Glyph indices grouped by cluster (a stable sort keeps glyph order inside a cluster), so
    // every cluster is handled once with its own members: linear in the text, however long a
    // run without spaces is (issue 16, finding 1: scanning every glyph per cluster was
    // quadratic).
    let mut order: Vec<usize> = (0..infos.len()).collect();
    order.sort_by_key(|&i| infos[i].cluster);
    let mut texts = vec![String::new(); infos.len()];
    let mut n = 0;
    while n < order.len() {
        let start = infos[order[n]].cluster as usize;
        let mut m = n;
        while m < order.len() && infos[order[m]].cluster as usize == start {
            m += 1;
        }
        let members = &order[n..m];
        let end = order
            .get(m)
            .map_or(text.len(), |&i| infos[i].cluster as usize);
        cluster_texts(
            face,
            text.get(start..end).unwrap_or(""),
            members,
            infos,
            positions,
            &mut texts,
        );
        n = m;
    }
    texts
}

/// [`glyph_texts`] for one cluster: `members` are its glyphs in order, `chars` its text.
fn cluster_texts(
    face: &Face<'_>,
    chars: &str,
    members: &[usize],
    infos: &[rustybuzz::GlyphInfo],
    positions: &[rustybuzz::GlyphPosition],
    texts: &mut [String],
) {
    let chars: Vec<char> = chars.chars().collect();
    let nominal: Vec<Option<u32>> = chars
        .iter()
        .map(|&c| face.glyph_index(c).map(|g| u32::from(g.0)))
        .collect();
    let mut used = vec![false; chars.len()];
    let mut done = vec![false; members.len()];
    // Each glyph takes the first unused character whose nominal glyph it is. Small clusters
    // (nearly all) scan; large ones queue characters per nominal glyph, so a cluster of any
    // size costs one cmap lookup per character.
    let mut queues: Option<HashMap<u32, VecDeque<usize>>> = (chars.len() > 16).then(|| {
        let mut queues: HashMap<u32, VecDeque<usize>> = HashMap::new();
        for (p, g) in nominal.iter().enumerate() {
            if let Some(g) = g {
                queues.entry(*g).or_default().push_back(p);
            }
        }
        queues
    });
    for (k, &gi) in members.iter().enumerate() {
        let glyph = infos[gi].glyph_id;
        let found = match &mut queues {
            Some(queues) => queues.get_mut(&glyph).and_then(VecDeque::pop_front),
            None => (0..chars.len()).find(|&p| !used[p] && nominal[p] == Some(glyph)),
        };
        if let Some(p) = found {
            texts[gi] = chars[p].to_string();
            used[p] = true;
            done[k] = true;
        }
    }
    let (marks, letters): (Vec<char>, Vec<char>) = chars
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(&c, _)| c)
        .partition(|&c| is_mark(c));
    let free: Vec<usize> = (0..members.len()).filter(|&k| !done[k]).collect();
    if !letters.is_empty() {
        // The widest free glyph; a letter whose cluster has only a zero-width glyph (the
        // alef of Naskh's lam-alef, drawn by the lam's glyph) goes on that one.
        let widest = free
            .iter()
            .max_by_key(|&&k| positions[members[k]].x_advance);
        if let Some(&k) = widest {
            texts[members[k]] = letters.iter().collect();
            done[k] = true;
        }
    }
    if !marks.is_empty() {
        let zero = free
            .iter()
            .find(|&&k| !done[k] && positions[members[k]].x_advance == 0);
        if let Some(&k) = zero {
            texts[members[k]] = marks.iter().collect();
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use proptest::strategy::Strategy as _;

    fn fonts() -> Fonts {
        let mut doc = PdfDocument::new("test");
        Fonts::embed(&mut doc).unwrap()
    }

    #[test]
    fn arabic_letters_take_joined_forms_in_visual_order() {
        let f = fonts();
        let word = "تقرير";
        let shaped = f.shape(word, 10.0, Weight::Regular, Dir::Rtl);
        // Joined letters are contextual glyphs, not the isolated forms the cmap gives.
        let face = &f.regular[0].face;
        let contextual = shaped
            .glyphs
            .iter()
            .filter(|g| {
                let c = g.text.chars().next().unwrap();
                face.glyph_index(c).map(|n| n.0) != Some(g.gid)
            })
            .count();
        assert!(contextual >= 4, "{shaped:?}");
        // Drawn right to left: the leftmost glyph is the last letter; the text reads back.
        let logical: String = shaped.visual_text().chars().rev().collect();
        assert_eq!(logical, word);
    }

    #[test]
    fn latin_inside_arabic_keeps_its_order_and_font() {
        let f = fonts();
        let shaped = f.shape("فرع RUH-017 اليوم", 10.0, Weight::Regular, Dir::Rtl);
        let visual = shaped.visual_text();
        // The Arabic words swap sides; the code reads left to right in the middle.
        assert!(visual.contains("RUH-017"), "{visual}");
        let code = visual.find("RUH").unwrap();
        let first_word_visual: String = "فرع".chars().rev().collect();
        assert!(visual.find(&first_word_visual).unwrap() > code, "{visual}");
        // Naskh has no Latin: the code's glyphs come from Noto Sans.
        assert!(shaped.glyphs.iter().any(|g| g.font == 1));
        assert!(shaped.glyphs.iter().any(|g| g.font == 0));
    }

    #[test]
    fn a_marked_percentage_reads_left_to_right_in_arabic() {
        let f = fonts();
        let shaped = f.shape("النتيجة \u{200E}87.5%", 10.0, Weight::Regular, Dir::Rtl);
        assert!(
            shaped.visual_text().starts_with("87.5%"),
            "{}",
            shaped.visual_text()
        );
    }

    #[test]
    fn isolated_numbers_keep_their_labels_in_arabic() {
        let f = fonts();
        let (i, o) = ("\u{2066}", "\u{2069}");
        // "pass rate 100.0% · 13 answers": right to left, 100.0% sits by its label (at the
        // right), 13 by its noun (at the left).
        let line = format!("نسبة الاستيفاء {i}100.0%{o} · {i}13{o} إجابة");
        let visual = f
            .shape(&line, 10.0, Weight::Regular, Dir::Rtl)
            .visual_text();
        let (thirteen, hundred) = (visual.find("13").unwrap(), visual.find("100.0%").unwrap());
        assert!(thirteen < hundred, "{visual}");
        // With left-to-right marks the two numbers merged into one run and swapped places.
        let marked = "نسبة الاستيفاء \u{200E}100.0% · \u{200E}13 إجابة";
        let visual = f
            .shape(marked, 10.0, Weight::Regular, Dir::Rtl)
            .visual_text();
        assert!(
            visual.find("13").unwrap() > visual.find("100.0%").unwrap(),
            "{visual}"
        );
    }

    #[test]
    fn wrapping_respects_the_width() {
        let f = fonts();
        let text = "The staff member did not mention this at all and had to be asked twice";
        let lines = f.wrap(text, 10.0, Weight::Regular, Dir::Ltr, 120.0);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(f.width(l, 10.0, Weight::Regular, Dir::Ltr) <= 120.0 || !l.contains(' '));
        }
        assert_eq!(lines.join(" "), text);
    }

    /// Issue 16, finding 1: shaping was quadratic in a run without spaces (100k characters took
    /// 14 s in release, far longer in a debug build). Linear, a debug build shapes 100k
    /// characters of Latin, Arabic and one cluster of marks in well under the bound.
    #[test]
    fn a_long_run_without_spaces_shapes_in_linear_time() {
        let f = fonts();
        for (text, dir) in [
            ("a".repeat(100_000), Dir::Ltr),
            ("بحث".repeat(33_334), Dir::Rtl),
            (format!("ب{}", "\u{064E}".repeat(20_000)), Dir::Rtl),
        ] {
            let started = std::time::Instant::now();
            let shaped = f.shape(&text, 10.0, Weight::Regular, dir);
            let took = started.elapsed();
            assert!(took < std::time::Duration::from_secs(10), "{took:?}");
            // Every character is still carried by some glyph (the ToUnicode text).
            let carried: usize = shaped.glyphs.iter().map(|g| g.text.chars().count()).sum();
            assert_eq!(carried, text.chars().count());
        }
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut_into_lines_that_fit() {
        let f = fonts();
        let word = "x".repeat(5_000);
        let lines = f.wrap(
            &format!("before {word} after"),
            10.0,
            Weight::Regular,
            Dir::Ltr,
            200.0,
        );
        assert!(lines.len() > 10, "{}", lines.len());
        for l in &lines {
            assert!(f.width(l, 10.0, Weight::Regular, Dir::Ltr) <= 200.0, "{l}");
        }
        assert_eq!(
            lines.concat().replace(' ', ""),
            format!("before{word}after")
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]

        /// Any text — Arabic, Latin, marks, bidi controls, emoji, unassigned code points, long
        /// runs — shapes and wraps without a panic, in bounded time, and every character but
        /// the bidi controls (which steer, never show) is carried by a glyph.
        #[test]
        fn any_text_shapes_and_wraps(
            text in proptest::prop_oneof![
                "\\PC{0,200}",
                "[\u{0600}-\u{06FF}\u{064B}-\u{065F}a-z0-9 %.\u{200E}\u{200F}\u{202A}-\u{202E}]{0,300}",
                ("[a-zب]", 1usize..20_000).prop_map(|(c, n)| c.repeat(n)),
            ],
            rtl in proptest::prelude::any::<bool>(),
        ) {
            let f = fonts();
            let dir = if rtl { Dir::Rtl } else { Dir::Ltr };
            let started = std::time::Instant::now();
            let line = text.replace('\n', " ");
            let shaped = f.shape(&line, 10.0, Weight::Regular, dir);
            let _ = f.wrap(&text, 10.0, Weight::Bold, dir, 150.0);
            let took = started.elapsed();
            proptest::prop_assert!(took < std::time::Duration::from_secs(10), "{took:?}");
            let visible = line.chars().filter(|&c| !is_control(c)).count();
            let carried: usize = shaped.glyphs.iter().map(|g| g.text.chars().count()).sum();
            proptest::prop_assert!(carried <= visible, "{carried} > {visible}");
        }
    }
}
