// SVG charts drawn from numbers (no library): a trend line with its interval band and a
// horizontal bar chart of sections against the region and the organisation. Under dir="rtl"
// the time axis runs right to left and labels sit on the right, as Arabic readers expect; the
// SVG itself is laid out with direction="ltr" so that text-anchor keeps one meaning and every
// position is computed here.

import { lang, pct, t } from './i18n.js';

const NS = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Tick step and bounds that fit the numbers: the axis shows change instead of a flat line at 0–100%. */
export function axisRange(values) {
  const v = values.filter((x) => x !== null && x !== undefined && Number.isFinite(x));
  if (!v.length) return { lo: 0, hi: 1, step: 0.25 };
  let lo = Math.min(...v); let hi = Math.max(...v);
  if (hi - lo < 0.04) { const mid = (hi + lo) / 2; lo = mid - 0.02; hi = mid + 0.02; }
  const span = hi - lo;
  const step = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25].find((x) => span / x <= 5) || 0.25;
  lo = Math.max(0, Math.floor((lo - 1e-9) / step) * step);
  hi = Math.min(1, Math.ceil((hi + 1e-9) / step) * step);
  return { lo, hi, step };
}

/**
 * points: [{period, label, value, low, high}] with values in [0, 1]. The value axis spans the
 * data (with its interval band), not 0–100%, and says so under the chart; each point carries its
 * period and its value as text (`<title>`), and the selected period's point is labelled.
 */
export function trendChart(points, title, { selected, name = (p) => p } = {}) {
  const W = 360; const H = 190; const T = 14; const B = 28;
  const rtl = lang() === 'ar';
  // the axis labels' side gets the wide margin
  // (and the far side room for half a month's name)
  const L = rtl ? 24 : 40; const R = rtl ? 40 : 24;
  const { lo, hi, step } = axisRange(points.flatMap((p) => [p.value, p.low, p.high]));
  const figure = document.createElement('figure');
  figure.className = 'chart-figure';
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart trend', role: 'img', 'aria-label': title, direction: 'ltr', 'data-lo': lo, 'data-hi': hi });
  svg.append(s('title', {}, title));
  const n = points.length;
  const x = (i) => { const f = n > 1 ? i / (n - 1) : 0.5; return rtl ? W - R - f * (W - L - R) : L + f * (W - L - R); };
  // (L and R are already swapped for RTL, so the plot area is [L, W - R] either way.)
  const y = (v) => T + (1 - (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * (H - T - B);
  for (let g = lo; g <= hi + 1e-9; g += step) {
    svg.append(s('line', { x1: L, x2: W - R, y1: y(g), y2: y(g), stroke: '#d0d5da' }));
    svg.append(s('text', { x: rtl ? W - 2 : 2, y: y(g) + 4, 'text-anchor': rtl ? 'end' : 'start' }, pct(Math.round(g * 1000) / 1000)));
  }
  const ok = points.map((p, i) => ({ ...p, i })).filter((p) => p.value !== null && p.value !== undefined);
  const band = ok.filter((p) => p.low !== null && p.low !== undefined);
  if (band.length > 1) {
    const d = [...band.map((p) => `${x(p.i)},${y(p.high)}`), ...band.reverse().map((p) => `${x(p.i)},${y(p.low)}`)].join(' ');
    svg.append(s('polygon', { points: d, fill: '#0b5d4b', 'fill-opacity': 0.15 }));
  }
  if (ok.length) svg.append(s('polyline', { points: ok.map((p) => `${x(p.i)},${y(p.value)}`).join(' '), fill: 'none', stroke: '#0b5d4b', 'stroke-width': 2.5 }));
  for (const p of ok) {
    const on = p.period === selected;
    const c = s('circle', { cx: x(p.i), cy: y(p.value), r: on ? 5.5 : 3.5, fill: on ? '#c77700' : '#0b5d4b', 'data-period': p.period || '', class: on ? 'selected' : '' });
    c.append(s('title', {}, `${name(p.period)}: ${pct(p.value)}`));
    svg.append(c);
    if (on) {
      const above = y(p.value) > T + 16;
      svg.append(s('text', { x: Math.min(W - R - 18, Math.max(L + 18, x(p.i))), y: above ? y(p.value) - 9 : y(p.value) + 17, 'text-anchor': 'middle', class: 'point-label', 'data-period': p.period }, pct(p.value)));
    }
  }
  points.forEach((p, i) => {
    if (n > 6 && i % 2 && i !== n - 1) return;
    svg.append(s('text', { x: x(i), y: H - 8, 'text-anchor': 'middle' }, p.label));
  });
  const cap = document.createElement('figcaption');
  cap.className = 'meta axis-note';
  cap.textContent = t('axisNote', pct(lo), pct(hi));
  figure.append(svg, cap);
  return figure;
}

/** rows: [{label, value, region, organisation}] in [0, 1]. */
export function sectionChart(rows, title, legend) {
  const W = 360; const row = 46; const H = rows.length * row + 24; const L = 8; const R = 48;
  const rtl = lang() === 'ar';
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title, direction: 'ltr' });
  svg.append(s('title', {}, title));
  const w = (v) => Math.max(0, v) * (W - L - R);
  // bars grow from the reading side: the right edge in Arabic
  const x0 = rtl ? W - L : L;
  const bar = (yy, v, color, hgt) => {
    if (v === null || v === undefined) return;
    svg.append(s('rect', { x: rtl ? x0 - w(v) : x0, y: yy, width: w(v), height: hgt, fill: color, rx: 2 }));
  };
  rows.forEach((r, i) => {
    const top = i * row;
    svg.append(s('text', { x: rtl ? W - L : L, y: top + 12, 'text-anchor': rtl ? 'end' : 'start' }, r.label));
    bar(top + 16, r.value, '#0b5d4b', 10);
    bar(top + 28, r.region, '#8fb9ae', 5);
    bar(top + 35, r.organisation, '#b9c0c7', 5);
    svg.append(s('text', { x: rtl ? 4 : W - 4, y: top + 25, 'text-anchor': rtl ? 'start' : 'end' }, pct(r.value)));
  });
  legend.forEach((l, i) => {
    const lx = rtl ? W - L - i * 110 : L + i * 110;
    svg.append(s('rect', { x: rtl ? lx - 10 : lx, y: H - 14, width: 10, height: 10, fill: ['#0b5d4b', '#8fb9ae', '#b9c0c7'][i] }));
    svg.append(s('text', { x: rtl ? lx - 14 : lx + 14, y: H - 5, 'text-anchor': rtl ? 'end' : 'start' }, l));
  });
  return svg;
}
