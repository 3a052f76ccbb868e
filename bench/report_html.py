#!/usr/bin/env python3
"""The same coaching report through an HTML-to-PDF route (WeasyPrint), for comparison.

Reads the report model `sirr report --model FILE.json` writes (exactly what sirr's own PDF
shows), builds equivalent HTML — the same sections, the same two charts as inline SVG (vector),
the same table, the same four Noto fonts via @font-face, `dir="rtl"` for Arabic — and renders it
with WeasyPrint N times in this process, printing the median time and the PDF's size as JSON.

    report_html.py MODEL.json OUT.pdf [RUNS]

Only rendering (HTML string -> PDF bytes) is timed; Python start-up and imports are not.
"""

import html
import json
import statistics
import sys
import time
from pathlib import Path

from weasyprint import HTML

FONTS = Path(__file__).resolve().parent.parent / "crates/server/assets/fonts"

LABELS = {
    "en": dict(title="Coaching report", subtitle="Mystery shopping results for the coaching session",
               organisation="Organisation", branch="Branch", region="Region", period="Period",
               fair="Fair score", raw="Raw score", interval="90% interval", change="Change since",
               rank="Rank among branches", trend="Fair score over the last periods",
               sections="Sections against the averages", went_well="What went well",
               strongest="Strongest items", appreciated="What shoppers appreciated",
               gaps="Failed and weak items", issues="Systemic and branch-specific issues",
               systemic="Systemic issues (for the owning function)", specific="Specific to this branch",
               critical="Critical-item failures", method="How these scores are made",
               actions="Action plan", cols=["Topic", "Action", "Owner", "Due", "Status"],
               method_text="Each visit is scored against the checklist: every item scores from 0 to 1, sections and the visit are weighted averages of their items, and a failed critical item zeroes or caps the visit. The raw score is the mean of the visits. Shoppers differ in strictness, scenarios and visiting times differ in difficulty, and a branch with few visits can land high or low by luck. The fair score corrects for all three: it estimates the score this branch would get from an average shopper under average conditions, and pulls thin evidence toward the average by the right amount. The 90% interval shows how sure the estimate is; it narrows as visits accumulate. Ranks are by fair score, 1 = best."),
    "ar": dict(title="تقرير التوجيه", subtitle="نتائج التسوق الخفي لجلسة التوجيه",
               organisation="المؤسسة", branch="الفرع", region="المنطقة", period="الفترة",
               fair="الدرجة العادلة", raw="الدرجة الخام", interval="نطاق الثقة 90%", change="التغير منذ",
               rank="الترتيب بين الفروع", trend="الدرجة العادلة خلال الفترات الأخيرة",
               sections="الأقسام مقارنة بالمتوسطات", went_well="ما تم بشكل جيد",
               strongest="أقوى البنود", appreciated="ما أشاد به المتسوقون",
               gaps="البنود غير المستوفاة والضعيفة", issues="المشكلات العامة والمشكلات الخاصة بالفرع",
               systemic="مشكلات عامة (للجهة المسؤولة)", specific="خاصة بهذا الفرع",
               critical="إخفاقات البنود الحرجة", method="كيف تحسب هذه الدرجات",
               actions="خطة العمل", cols=["الموضوع", "الإجراء", "المسؤول", "الموعد", "الحالة"],
               method_text="تقيم كل زيارة وفق قائمة التحقق: يحصل كل بند على درجة من 0 إلى 1، ودرجة القسم والزيارة متوسط مرجح لبنودهما، والإخفاق في بند حرج يصفر درجة الزيارة أو يحد منها. الدرجة الخام هي متوسط درجات الزيارات. تصحح الدرجة العادلة اختلاف المتسوقين والسيناريوهات وقلة الزيارات، ويبين نطاق الثقة 90% مدى دقة التقدير."),
}


def pct(x):
    return "–" if x is None else f"{x * 100:.1f}%"


def ci(c):
    return "–" if not c else f"{c[0] * 100:.1f}–{c[1] * 100:.1f}%"


def e(s):
    return html.escape(str(s))


def trend_svg(points, rtl):
    w, h, axis = 515, 140, 34
    if not points:
        return ""
    vals = [v for p in points for v in (p["fair"], p["raw"]) if v is not None] or [1.0]
    lo = max(0.0, int((min(vals) - 0.05) * 10) / 10)
    top, bottom = 8, h - 18
    step = (w - axis) / len(points)

    def x(i):
        off = axis + step * (i + 0.5)
        return w - off if rtl else off

    def y(v):
        return bottom - (v - lo) / (1 - lo) * (bottom - top)

    out = [f'<svg width="{w}pt" height="{h}pt" viewBox="0 0 {w} {h}">']
    t = lo
    while t <= 1.0001:
        out.append(f'<line x1="{w - axis if rtl else axis}" x2="{0 if rtl else w}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#d1d6dd" stroke-dasharray="3 2" stroke-width="0.4"/>')
        out.append(f'<text x="{w - 2 if rtl else 2}" y="{y(t) + 2.5:.1f}" font-size="7.5" fill="#666" text-anchor="{"end" if rtl else "start"}">{round(t * 100)}%</text>')
        t += 0.1
    for i, p in enumerate(points):
        out.append(f'<text x="{x(i):.1f}" y="{h - 4}" font-size="7.5" fill="#666" text-anchor="middle">{e(p["period"])}</text>')
    for key, style in (("raw", 'stroke="#666" stroke-dasharray="3 2" stroke-width="1"'), ("fair", 'stroke="#0f5480" stroke-width="2"')):
        pts = " ".join(f"{x(i):.1f},{y(p[key]):.1f}" for i, p in enumerate(points) if p[key] is not None)
        out.append(f'<polyline points="{pts}" fill="none" {style}/>')
    for i, p in enumerate(points):
        if p["fair"] is not None:
            out.append(f'<rect x="{x(i) - 2.5:.1f}" y="{y(p["fair"]) - 2.5:.1f}" width="5" height="5" fill="#0f5480"/>')
    out.append("</svg>")
    return "".join(out)


def section_svg(sections, rtl):
    w, label_w = 515, 150
    bars_start, bars_w = label_w + 10, 515 - label_w - 10 - 44
    row = 30
    h = row * len(sections) + 16
    out = [f'<svg width="{w}pt" height="{h}pt" viewBox="0 0 {w} {h}">']
    for k, s in enumerate(sections):
        y0 = k * row + 4
        lx = w if rtl else 0
        out.append(f'<text x="{lx}" y="{y0 + 10}" font-size="8" text-anchor="{"end" if rtl else "start"}">{e(s["title"])}</text>')
        yy = y0
        for key, color, thick in (("own", "#0f5480", 9), ("group", "#73a8cc", 5), ("organisation", "#b8bfc9", 5)):
            v = s[key] or 0
            length = v * bars_w
            x0 = (w - bars_start - length) if rtl else bars_start
            out.append(f'<rect x="{x0:.1f}" y="{yy}" width="{length:.1f}" height="{thick}" fill="{color}"/>')
            if key == "own":
                tx = (w - bars_start - length - 3) if rtl else bars_start + length + 3
                out.append(f'<text x="{tx:.1f}" y="{yy + 7}" font-size="7.5" fill="#0f5480" text-anchor="{"end" if rtl else "start"}">{pct(s[key])}</text>')
            yy += thick + 1.5
    out.append("</svg>")
    return "".join(out)


def build(m):
    lang = m["lang"]
    rtl = lang == "ar"
    L = LABELS[lang]
    s = m["summary"]
    faces = "".join(
        f'@font-face {{ font-family: "{fam}"; font-weight: {wt}; src: url("file://{FONTS / f}"); }}'
        for fam, wt, f in (("Naskh", 400, "NotoNaskhArabic-Regular.ttf"), ("Naskh", 700, "NotoNaskhArabic-Bold.ttf"),
                           ("NSans", 400, "NotoSans-Regular.ttf"), ("NSans", 700, "NotoSans-Bold.ttf")))
    family = '"Naskh", "NSans"' if rtl else '"NSans", "Naskh"'
    css = f"""{faces}
@page {{ size: A4; margin: 40pt 40pt 60pt 40pt; @bottom-center {{ content: counter(page) " / " counter(pages); font-size: 7.5pt; }} }}
body {{ font-family: {family}; font-size: 9pt; color: #1f242e; }}
header {{ background: #0f5480; color: white; padding: 14pt; margin: -40pt -40pt 10pt -40pt; }}
h1 {{ font-size: 20pt; margin: 0; }} h2 {{ font-size: 13pt; color: #0f5480; border-bottom: 0.8pt solid #73a8cc; }}
h3 {{ font-size: 10pt; }} .boxes {{ display: flex; gap: 8pt; }} .box {{ flex: 1; background: #eff4f7; padding: 8pt; }}
.big {{ font-size: 17pt; font-weight: bold; }} .note {{ font-size: 7.5pt; color: #666; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border: 0.5pt solid #d1d6dd; padding: 4pt; font-size: 8pt; height: 18pt; }}
th {{ background: #0f5480; color: white; }}"""
    rank = m["rank"]
    prev = m["previous"]
    rank_text = f"{rank['rank']} / {rank['of']}" if rank else "–"
    if prev and prev["fair_score"] is not None and s["fair_score"] is not None:
        change = f"{(s['fair_score'] - prev['fair_score']) * 100:+.1f}"
    else:
        change = "–"
    parts = [f'<!doctype html><html lang="{lang}" dir="{"rtl" if rtl else "ltr"}"><head><meta charset="utf-8"><style>{css}</style></head><body>',
             f'<header><h1>{L["title"]}</h1><div>{L["subtitle"]}</div></header>',
             f'<p>{L["organisation"]}: <b>{e(m["organisation"])}</b> · {L["branch"]}: <b>{e(m["name"])} · {e(m["code"])}</b> · '
             f'{L["region"]}: <b>{e(m["parent"] or "–")}</b> · {L["period"]}: <b>{e(m["period"] or "all")}</b></p>',
             '<div class="boxes">',
             f'<div class="box"><div class="note">{L["fair"]}</div><div class="big">{pct(s["fair_score"])}</div><div class="note">{L["interval"]} {ci(s["fair_ci"])}</div></div>',
             f'<div class="box"><div class="note">{L["raw"]}</div><div class="big">{pct(s["raw_score"])}</div><div class="note">{L["interval"]} {ci(s["raw_ci"])}</div></div>',
             f'<div class="box"><div class="note">{L["change"]} {e(prev["period"]) if prev else "–"}</div><div class="big">{change}</div></div>',
             f'<div class="box"><div class="note">{L["rank"]}</div><div class="big">{rank_text}</div></div>',
             "</div>",
             f'<h2>{L["trend"]}</h2>{trend_svg(m["trend"][-12:], rtl)}',
             f'<h2>{L["sections"]}</h2>{section_svg(m["sections"], rtl)}',
             f'<h2>{L["went_well"]}</h2><h3>{L["strongest"]}</h3><ul>']
    parts += [f'<li>{e(i["text"])}<div class="note">{e(i["section"])} · {pct(i["pass_rate"])} · {i["answers"]}</div></li>' for i in m["strengths"]]
    parts.append(f'</ul><h3>{L["appreciated"]}</h3><ul>')
    parts += [f'<li>— {e(q["text"])}<div class="note">{e(q["item"])}</div></li>' for q in m["praise"]]
    parts.append(f'</ul><h2>{L["gaps"]}</h2><ul>')
    for g in m["gaps"]:
        parts.append(f'<li><b>{e(g["item"]["text"])}</b><div class="note">{e(g["item"]["section"])} · {pct(g["item"]["pass_rate"])} · {g["item"]["answers"]}</div>')
        parts += [f'<div>— {e(c)}</div>' for c in g["comments"]]
        parts.append("</li>")
    parts.append(f'</ul><h2>{L["issues"]}</h2><h3>{L["systemic"]}</h3><ul>')
    parts += [f'<li><b>{e(x["item"]["text"])}</b><div class="note">{e(x["item"]["owner"] or "")} · {pct(x["item"]["pass_rate"])} · {x["failing_branches"]}/{x["branches"]}</div></li>' for x in m["systemic"]]
    parts.append(f'</ul><h3>{L["specific"]}</h3><ul>')
    parts += [f'<li><b>{e(i["text"])}</b><div class="note">{pct(i["pass_rate"])}</div></li>' for i in m["branch_specific"]]
    parts.append(f'</ul><h3>{L["critical"]}</h3><ul>')
    parts += [f'<li><b>{e(c["item"])}</b> {c["failed"]}/{c["scored"]}</li>' for c in m["critical"]]
    parts.append(f'</ul><h2>{L["method"]}</h2><p>{L["method_text"]}</p><h2>{L["actions"]}</h2><table><tr>')
    parts += [f"<th>{c}</th>" for c in L["cols"]]
    parts.append("</tr>")
    for a in m["actions"]:
        parts.append("<tr>" + "".join(f"<td>{e(a[k])}</td>" for k in ("topic", "action", "owner", "due", "status")) + "</tr>")
    parts += ["<tr>" + "<td></td>" * 5 + "</tr>"] * 4
    parts.append("</table></body></html>")
    return "".join(parts)


def main():
    model = json.loads(Path(sys.argv[1]).read_text())
    out = Path(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    times = []
    pdf = b""
    for _ in range(runs + 1):
        t0 = time.perf_counter()
        pdf = HTML(string=build(model)).write_pdf()
        times.append(time.perf_counter() - t0)
    out.write_bytes(pdf)
    # The first run warms WeasyPrint's caches (fonts, CSS); it is left out of the median.
    print(json.dumps({"lang": model["lang"], "runs": runs, "median_ms": statistics.median(times[1:]) * 1000,
                      "first_ms": times[0] * 1000, "bytes": len(pdf)}))


if __name__ == "__main__":
    main()
