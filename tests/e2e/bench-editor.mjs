// The checklist editor on a 500-item checklist (issue 19's target: ≤ 16 ms per keystroke with the
// CPU throttled 4×), for docs/benchmarks.md. Run:
//   E2E_SIRR_BIN=/path/to/sirr node bench-editor.mjs
// A 500-item checklist (25 sections × 20 items, every type, a show_if on every fifth item) is
// opened in the editor at 1280×800; with Chromium's CPU throttled 4×
// (Emulation.setCPUThrottlingRate), the script opens an item's card and types into its English
// text, then into another item's show_if, one key every 120 ms; and, in the same run and under the
// same throttling, the same keys into an <input> and a <textarea> of a bare page (the floor: what a keystroke
// costs this machine and browser with no page around it). Per keystroke it reads:
// - handlers: the time spent in the page's event handlers (from a window capture listener to a
//   window bubble listener, summed over keydown, keypress, beforeinput, input and keyup);
// - Event Timing processing: processingEnd − processingStart summed over the keystroke's events,
//   and Event Timing duration: key press to the next paint (8 ms resolution). Chromium reports only
//   events of 16 ms and more: a keystroke with no entry took less than 16 ms, counted as "< 16";
// - keydown → next frame: from the keydown event's timestamp until a task queued from the next
//   animation frame runs;
// then, after typing stops, the work done after the pause (validation, diff, working copy,
// preview), each as its own task, and every long task (> 50 ms) the page reported.
// WEB_DIR=dir serves app.css from dir instead of the binary; with WEB_BASE=base (the web directory
// the binary was built from) the binary's bundle.js gets the changes of dir/js over base/js too.
import { launch, settled, signIn, startServer } from './lib.mjs';
import { cpus } from 'node:os';
import { execSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';

const KEYS = Number(process.env.KEYS ?? 40);
/** SECTIONS=1 measures the same keystrokes on a 20-item checklist (the baseline of the browser itself). */
const SECTIONS = Number(process.env.SECTIONS ?? 25);
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * q))] : NaN; };
const TYPES = ['yes_no', 'scale', 'choice', 'multi_choice', 'number', 'duration', 'text', 'photo', 'timestamp', 'note'];

/** 25 sections × 20 items of every type, texts in both languages, a show_if on every fifth item. */
export function checklist500() {
  const sections = [];
  for (let s = 0; s < SECTIONS; s++) {
    const items = [];
    for (let i = 0; i < 20; i++) {
      const key = `s${s}_i${i}`;
      const type = TYPES[i % TYPES.length];
      const item = { key, type, text: { en: `Item ${s}.${i}: an observable behaviour`, ar: `البند ${s}.${i}: سلوك يمكن ملاحظته` } };
      if (type === 'scale') Object.assign(item, { min: 1, max: 5 });
      if (type === 'choice' || type === 'multi_choice') item.options = [{ key: 'a', score: 1, text: { en: 'A', ar: 'أ' } }, { key: 'b', score: 0.5, text: { en: 'B', ar: 'ب' } }, { key: 'c', score: 0 }];
      if (type === 'number' || type === 'duration') item.bands = [{ max: 5, score: 1 }, { max: 10, score: 0.5 }, { score: 0 }];
      if (i % 5 === 4) item.show_if = `s${s}_i0 == 'yes' and s${s}_i1 >= 3`;
      if (i % 7 === 0) item.help = { en: 'What good looks like', ar: 'ما يبدو عليه الأداء الجيد' };
      items.push(item);
    }
    sections.push({ key: `sec${s}`, title: { en: `Section ${s + 1}`, ar: `القسم ${s + 1}` }, items });
  }
  return { key: 'bench-editor', version: 1, languages: ['en', 'ar'], title: { en: 'Editor bench', ar: 'قياس المحرر' }, sections };
}

const PROBE_EVENTS = ['keydown', 'keypress', 'beforeinput', 'input', 'keyup'];

/** Installs the per-keystroke probes in a page (once). */
async function instrument(page) {
  await page.evaluate((names) => {
    if (window.benchInstalled) return;
    window.benchInstalled = true;
    window.bench = { keys: [], downs: [], handlers: [], events: [], long: [] };
    let t0 = 0;
    for (const name of names) {
      window.addEventListener(name, () => { t0 = performance.now(); }, { capture: true });
      window.addEventListener(name, () => {
        const b = window.bench;
        if (name === 'keydown') b.handlers.push(0);
        if (b.handlers.length) b.handlers[b.handlers.length - 1] += performance.now() - t0;
      });
    }
    document.addEventListener('keydown', (e) => {
      const ts = e.timeStamp;
      window.bench.downs.push(ts);
      requestAnimationFrame(() => setTimeout(() => window.bench.keys.push(performance.now() - ts), 0));
    }, { capture: true });
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) if (names.includes(e.name)) window.bench.events.push({ name: e.name, start: e.startTime, d: e.duration, ps: e.processingStart, pe: e.processingEnd });
    }).observe({ type: 'event', durationThreshold: 16, buffered: false });
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.bench.long.push({ start: e.startTime, d: e.duration }); }).observe({ type: 'longtask' });
  }, PROBE_EVENTS);
}

/**
 * TRACE=1: Chromium's own trace of the typing (devtools.timeline), summed per event name on the
 * page's main thread and divided by the keystrokes: where a keystroke's task time goes beyond
 * script, style and layout (paint, pre-paint, layerization, hit testing, commit).
 */
const TRACE = process.env.TRACE === '1';
let traceCount = 0;
async function startTrace(browser, page) {
  if (TRACE) await browser.startTracing(page, { categories: (process.env.TRACE_CATEGORIES || 'devtools.timeline,disabled-by-default-devtools.timeline').split(',') });
}
async function stopTrace(browser, keystrokes) {
  if (!TRACE) return null;
  const raw = (await browser.stopTracing()).toString();
  if (process.env.TRACE_FILE) writeFileSync(`${process.env.TRACE_FILE}.${++traceCount}.json`, raw);
  const events = JSON.parse(raw).traceEvents;
  const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const totals = {};
  for (const e of events) {
    if (e.ph !== 'X' || !main.has(`${e.pid}:${e.tid}`) || !e.dur) continue;
    totals[e.name] = (totals[e.name] || 0) + e.dur / 1000 / keystrokes;
  }
  return Object.entries(totals).sort((a, b) => b[1] - a[1]).slice(0, 30);
}

const METRICS = ['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration', 'RecalcStyleCount', 'LayoutCount'];
const metrics = async (cdp) => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.filter((m) => METRICS.includes(m.name)).map((m) => [m.name, m.value]));

async function typeAndMeasure(browser, page, cdp, selector, text) {
  await instrument(page);
  await cdp.send('Performance.enable');
  await page.focus(selector);
  await page.evaluate(() => {
    window.bench.keys = []; window.bench.downs = []; window.bench.handlers = []; window.bench.events = []; window.bench.long = [];
    window.benchStart = performance.now();
    window.sirrEditor?.passTimes.splice(0);
  });
  const m0 = await metrics(cdp);
  await startTrace(browser, page);
  for (const ch of text) {
    await page.keyboard.type(ch);
    await page.waitForTimeout(120);
  }
  const trace = await stopTrace(browser, text.length);
  const m1 = await metrics(cdp);
  const typedAt = await page.evaluate(() => performance.now());
  // Chromium's own accounting while typing, per keystroke (throttled milliseconds).
  const chromium = Object.fromEntries(METRICS.map((k) => [k, ((m1[k] - m0[k]) * (k.endsWith('Count') ? 1 : 1000)) / text.length]));
  // The work after the pause, and its long tasks.
  await page.waitForTimeout(4000);
  const r = await page.evaluate((typedAt) => {
    const b = window.bench;
    // Event Timing per keystroke: the events from one keydown to the next.
    // (Event Timing's startTime is the event's timeStamp; a keystroke with no entry was < 16 ms.)
    const downs = b.downs;
    const keystrokes = downs.length;
    const perKey = downs.map((start, i) => {
      const end = downs[i + 1] ?? Infinity;
      const mine = b.events.filter((e) => e.start >= start - 0.5 && e.start < end - 0.5);
      // Processing: the union of the events' processing spans (keypress's default action dispatches input inside it).
      const spans = mine.map((e) => [e.ps, e.pe]).sort((x, y) => x[0] - y[0]);
      let p = 0; let reached = -Infinity;
      for (const [a, z] of spans) { if (z <= reached) continue; p += z - Math.max(a, reached); reached = z; }
      return mine.length ? { d: Math.max(...mine.map((e) => e.d)), p } : { d: NaN, p: NaN };
    });
    const longWhile = b.long.filter((l) => l.start < typedAt).map((l) => l.d);
    const longAfter = b.long.filter((l) => l.start >= typedAt).map((l) => l.d);
    return { keys: b.keys, handlers: b.handlers, et: perKey, keystrokes, longWhile, longAfter, passes: window.sirrEditor?.passTimes || [] };
  }, typedAt);
  return { ...r, chromium, trace };
}

/** Median or p95 where keystrokes without an Event Timing entry (< 16 ms) rank lowest. */
const etQuantile = (values, keystrokes, q) => {
  const missing = Math.max(0, keystrokes - values.length);
  const all = [...Array(missing).fill(-1), ...values].sort((a, b) => a - b);
  const v = all[Math.min(all.length - 1, Math.floor(all.length * q))];
  return v === undefined ? '—' : v < 0 ? '< 16' : v.toFixed(0);
};

/** [old text, new text, where] for each hunk of the modules that differ between two web directories. */
function bundlePatches(base, dir) {
  const out = [];
  for (const file of readdirSync(`${dir}/js`).filter((f) => f.endsWith('.js'))) {
    let diff = '';
    try { execSync(`diff -U3 ${base}/js/${file} ${dir}/js/${file}`); continue; } catch (e) { if (e.status !== 1) throw e; diff = e.stdout.toString(); }
    for (const hunk of diff.split(/^@@.*@@$/m).slice(1)) {
      const lines = hunk.replace(/^\n/, '').replace(/\n$/, '').split('\n').filter((l) => !l.startsWith('\\'));
      if (lines.some((l) => /^[-+](import|export) /.test(l))) throw new Error(`${file}: a hunk changes an import or export line; rebuild the server instead`);
      const from = lines.filter((l) => !l.startsWith('+')).map((l) => l.slice(1)).join('\n');
      const to = lines.filter((l) => !l.startsWith('-')).map((l) => l.slice(1)).join('\n');
      out.push([from, to, `js/${file} hunk ${out.length + 1}`]);
    }
  }
  return out;
}

const server = await startServer();
const browser = await launch();
try {
  // WEB_DIR: serve the app's scripts and style sheet from this directory instead of the binary's
  // (to measure a change to the editor without rebuilding the server; no service worker then).
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...(process.env.WEB_DIR ? { serviceWorkers: 'block' } : {}) });
  if (process.env.WEB_DIR) {
    await context.route(/\/(js\/[a-z0-9-]+\.js|app\.css)(\?.*)?$/, (route) => {
      const file = /(js\/[a-z0-9-]+\.js|app\.css)$/.exec(new URL(route.request().url()).pathname)[1];
      route.fulfill({ path: `${process.env.WEB_DIR}/${file}`, contentType: file.endsWith('.css') ? 'text/css' : 'text/javascript' });
    });
    // The page loads its modules joined, as /app/bundle.js (src/web/bundle.rs), so a changed module
    // under WEB_DIR reaches it only by patching the binary's bundle: WEB_BASE is the directory
    // with the web files the binary embeds; each hunk of `diff WEB_BASE/js/x.js WEB_DIR/js/x.js`
    // is replaced in the bundle, and a hunk that is not found exactly once stops the run.
    if (process.env.WEB_BASE) {
      const patches = bundlePatches(process.env.WEB_BASE, process.env.WEB_DIR);
      console.log(`bundle.js: ${patches.length} hunks from ${process.env.WEB_DIR}/js over ${process.env.WEB_BASE}/js`);
      await context.route(/\/app\/bundle\.js(\?.*)?$/, async (route) => {
        const response = await route.fetch();
        let body = await response.text();
        for (const [from, to, where] of patches) {
          const at = body.indexOf(from);
          if (at < 0 || body.indexOf(from, at + 1) >= 0) throw new Error(`bundle.js: ${where} is not found exactly once in the binary's bundle`);
          body = body.slice(0, at) + to + body.slice(at + from.length);
        }
        const headers = Object.fromEntries(Object.entries(response.headers()).filter(([k]) => !['content-length', 'content-encoding', 'etag'].includes(k)));
        route.fulfill({ status: response.status(), body, headers });
      });
    }
  }
  context.setDefaultTimeout(300000);
  const page = await context.newPage();
  await signIn(page, server.url, 'qa@demo.sirr');
  // The checklist as a new version's working copy (what "New version from" makes).
  await page.evaluate((doc) => {
    const me = JSON.parse(localStorage.getItem('sirr.me'));
    localStorage.setItem(`sirr.editor.${me.id}.bench-editor@1`, JSON.stringify({ doc, at: new Date().toISOString(), fresh: true }));
  }, checklist500());
  const loadBefore = execSync('uptime').toString().trim();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const t0 = Date.now();
  await page.goto(`${server.url}/#/qa/editor/bench-editor@1`);
  await settled(page);
  await page.waitForSelector('#editor');
  const openMs = Date.now() - t0;
  // EXTRA_CSS: a style sheet added to the editor page, to try a layout change under the same bench
  // (EXTRA_CSS_AT=open: once the two cards are open, for a style that would move their toggles).
  const extraCss = async (at) => { if (process.env.EXTRA_CSS && (process.env.EXTRA_CSS_AT || 'load') === at) await page.addStyleTag({ content: process.env.EXTRA_CSS }); };
  await extraCss('load');
  const items = await page.$$eval('.ed-item', (xs) => xs.length);
  const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
  await page.waitForTimeout(3000);
  const card = (s) => `.ed-section:nth-child(${s}) .ed-item:nth-child(10)`;
  const textCard = card(Math.ceil(SECTIONS / 2));
  const condCard = card(Math.ceil(SECTIONS * 0.8));
  // The cards are opened as an author opens them: a click on the card's line.
  await page.locator(`${textCard} .ed-card-toggle`).scrollIntoViewIfNeeded();
  // From the click to the frame that shows the card's fields, in the page.
  const cardMs = await page.evaluate((sel) => new Promise((resolve) => {
    const t0 = performance.now();
    document.querySelector(`${sel} .ed-card-toggle`).click();
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
  }), textCard);
  await page.waitForSelector(`${textCard} textarea[id$="-text-en"]`);
  // (With SECTIONS=1 both are the same card, already open.)
  if (await page.getAttribute(`${condCard} .ed-card-toggle`, 'aria-expanded') !== 'true') await page.click(`${condCard} .ed-card-toggle`);
  const textSel = `${textCard} textarea[id$="-text-en"]`;
  const condSel = `${condCard} input[id$="-show_if"]`;
  await page.$eval(condSel, (e) => { e.value = ''; e.dispatchEvent(new Event('input')); });
  await extraCss('open');
  await page.waitForTimeout(2000);
  const elementsOpen = await page.evaluate(() => document.getElementsByTagName('*').length);
  // LAYERS=1: the composited layers of the page as typed into (Chromium's LayerTree domain), each
  // with the element that owns it: what a keystroke's layerization and commit work over.
  if (process.env.LAYERS === '1') {
    await cdp.send('DOM.getDocument', { depth: 0 });
    const tree = new Promise((resolve) => cdp.on('LayerTree.layerTreeDidChange', (e) => { if (e.layers?.length) resolve(e.layers); }));
    await cdp.send('LayerTree.enable');
    await page.focus(textSel);
    await page.keyboard.type('x');
    const layers = await tree;
    await cdp.send('LayerTree.disable');
    console.log(`composited layers: ${layers.length}`);
    for (const l of layers) {
      let owner = '';
      if (l.backendNodeId) {
        try {
          const { node } = await cdp.send('DOM.describeNode', { backendNodeId: l.backendNodeId });
          const attr = (n) => { const a = node.attributes || []; const i = a.indexOf(n); return i >= 0 ? a[i + 1] : ''; };
          owner = `${node.nodeName.toLowerCase()}${attr('id') ? `#${attr('id')}` : ''}${attr('class') ? `.${attr('class').split(' ').join('.')}` : ''}`;
        } catch { owner = '?'; }
      }
      const why = await cdp.send('LayerTree.compositingReasons', { layerId: l.layerId }).then((r) => [...(r.compositingReasonIds || r.compositingReasons || [])].join(', ')).catch((e) => `(${e.message.slice(0, 60)})`);
      console.log(`  ${l.layerId} ${owner || '(no node)'} ${l.width}×${l.height}${l.drawsContent ? ' draws' : ''}${l.invisible ? ' invisible' : ''}${why ? `: ${why}` : ''}`);
    }
  }
  const text = await typeAndMeasure(browser, page, cdp, textSel, ' and a little more to say here, typed.'.slice(0, KEYS));
  // SNAPSHOT=1: the editor's page as it stands (the two cards open), copied without its scripts
  // into a page of its own: the same DOM and style with no handlers, typed into the same field.
  // Which side of the floor it falls on says whether the rest is the page's script or the
  // browser's work on this DOM.
  const snapshots = [];
  if (process.env.SNAPSHOT) {
    // The field by its id, which stays when a variant takes the parts around it away.
    const targetSel = `#${await page.$eval(textSel, (e) => CSS.escape(e.id))}`;
    const html = await page.evaluate((base) => {
      const root = document.documentElement.cloneNode(true);
      root.querySelectorAll('script, link[rel=manifest], link[rel=modulepreload]').forEach((e) => e.remove());
      root.querySelector('head').prepend(Object.assign(document.createElement('base'), { href: base }));
      return `<!doctype html>${root.outerHTML}`;
    }, `${server.url}/`);
    // SNAPSHOT_JS: variants, separated by '||', each a script run on its own copy before typing
    // (to take parts of the copy away one at a time).
    for (const variant of (process.env.SNAPSHOT_JS || '').split('||')) {
    const still = await context.newPage();
    await still.setContent(html, { waitUntil: 'load' });
    if (variant.trim()) await still.evaluate(variant);
    const stillCdp = await context.newCDPSession(still);
    await stillCdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    // The mouse where it was on the editor's page (over the page: Chromium hit-tests for hover
    // after each layout while it is).
    const box = await page.locator(`${condCard} .ed-card-toggle`).boundingBox();
    await still.focus(targetSel);
    if (box) await still.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await still.waitForTimeout(2000);
    snapshots.push([variant.trim() || 'as is', await typeAndMeasure(browser, still, stillCdp, targetSel, ' and a little more to say here, typed.'.slice(0, KEYS))]);
    await still.close();
    }
  }
  const cs = Math.ceil(SECTIONS * 0.8) - 1;
  const cond = await typeAndMeasure(browser, page, cdp, condSel, `s${cs}_i0 == 'yes' and s${cs}_i3 != 'c' or s0_i4 > 2`.slice(0, KEYS));
  // The floor: one <input> on a bare page, the same throttling, the same keys.
  const bare = await context.newPage();
  const bareCdp = await context.newCDPSession(bare);
  await bareCdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  // An <input> (as the show_if) and a two-row <textarea> (as the item's text), each typed into.
  await bare.setContent('<!doctype html><html lang="en"><title>floor</title><input id="f" aria-label="floor"><p><textarea id="g" rows="2" aria-label="floor, multi-line"></textarea>');
  // The mouse over the page, as on the editor's (Chromium then hit-tests for hover after each
  // layout), unless FLOOR_MOUSE=0.
  if (process.env.FLOOR_MOUSE !== '0') { const box = await bare.locator('#f').boundingBox(); await bare.mouse.move(box.x + box.width / 2, box.y + box.height / 2); }
  await bare.waitForTimeout(1000);
  const floor = await typeAndMeasure(browser, bare, bareCdp, '#f', ' and a little more to say here, typed.'.slice(0, KEYS));
  const floorArea = await typeAndMeasure(browser, bare, bareCdp, '#g', ' and a little more to say here, typed.'.slice(0, KEYS));
  const loadAfter = execSync('uptime').toString().trim();
  const ms = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—');
  const report = (name, r) => {
    const passes = {};
    for (const p of r.passes) (passes[p.kind] ||= []).push(p.ms);
    const et = r.et.filter((e) => Number.isFinite(e.d));
    console.log(`${name}: ${r.keys.length} keystrokes`);
    console.log(`  handlers (window capture → bubble, summed): median ${ms(quantile(r.handlers, 0.5))} ms, p95 ${ms(quantile(r.handlers, 0.95))} ms`);
    console.log(`  Event Timing processing: median ${etQuantile(et.map((e) => e.p), r.keystrokes, 0.5)} ms, p95 ${etQuantile(et.map((e) => e.p), r.keystrokes, 0.95)} ms;`
      + ` duration (key → next paint): median ${etQuantile(et.map((e) => e.d), r.keystrokes, 0.5)} ms, p95 ${etQuantile(et.map((e) => e.d), r.keystrokes, 0.95)} ms (${et.length} of ${r.keystrokes} keystrokes ≥ 16 ms)`);
    console.log(`  keydown → next frame: median ${ms(quantile(r.keys, 0.5))} ms, p95 ${ms(quantile(r.keys, 0.95))} ms, max ${ms(Math.max(...r.keys))} ms`);
    if (r.passes.length) console.log(`  after the pause: ${Object.entries(passes).map(([k, v]) => `${k} ${Math.max(...v).toFixed(1)} ms`).join(', ')}`);
    const c = r.chromium;
    console.log(`  Chromium per keystroke (Performance.getMetrics, throttled): tasks ${ms(c.TaskDuration)} ms, script ${ms(c.ScriptDuration)} ms, style ${ms(c.RecalcStyleDuration)} ms (${c.RecalcStyleCount.toFixed(1)}×), layout ${ms(c.LayoutDuration)} ms (${c.LayoutCount.toFixed(1)}×)`);
    const longs = (xs) => (xs.length ? xs.map((x) => x.toFixed(0)).join(', ') + ' ms' : 'none');
    if (r.trace) console.log(`  trace, main thread, ms per keystroke (nested events overlap): ${r.trace.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
    console.log(`  long tasks (> 50 ms) while typing: ${longs(r.longWhile)}; after the pause: ${longs(r.longAfter)}`);
  };
  console.log(`machine: ${cpus().length} × ${cpus()[0].model}; Chromium CPU throttling 4×; 1280×800`);
  console.log(`load before: ${loadBefore}`);
  console.log(`load after:  ${loadAfter}`);
  console.log(`editor opened with ${items} items in ${openMs} ms (navigation to the form built, throttled); ${elements} elements; a card opened in ${cardMs.toFixed(0)} ms (click to its fields); ${elementsOpen} elements with two cards open`);
  report('item text', text);
  report('show_if', cond);
  report('floor (bare page, one <input>)', floor);
  report('floor (bare page, one two-row <textarea>)', floorArea);
  for (const [variant, r] of snapshots) report(`item text on a copy of the page without its scripts (SNAPSHOT: ${variant})`, r);
} finally {
  await browser.close();
  await server.stop();
}
