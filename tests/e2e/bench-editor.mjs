// The checklist editor on a 500-item checklist (issue 19's target: ≤ 16 ms per keystroke with the
// CPU throttled 4×), for docs/benchmarks.md. Run:
//   E2E_SIRR_BIN=/path/to/sirr node bench-editor.mjs
// A 500-item checklist (25 sections × 20 items, every type, a show_if on every fifth item) is
// opened in the editor at 1280×800; with Chromium's CPU throttled 4×
// (Emulation.setCPUThrottlingRate), the script types into an item's English text and into a
// show_if field, one key every 120 ms, and reads in the page, per keystroke:
// - keydown → next frame: from the keydown event's timestamp until a task queued from the next
//   animation frame runs (the handlers, style, layout and paint of that keystroke are done);
// - the Event Timing API's duration of the keystroke's interaction (input delay + handlers +
//   next paint, 8 ms resolution, 16 ms threshold: shorter ones are not reported, counted as ≤ 16);
// then, after typing stops, the work done after the pause (validation, diff, working copy,
// preview), each as its own task, and every long task (> 50 ms) the page reported.
import { launch, settled, signIn, startServer } from './lib.mjs';
import { cpus } from 'node:os';

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

async function typeAndMeasure(page, selector, text) {
  await page.focus(selector);
  await page.evaluate(() => {
    window.benchKeys = [];
    window.benchEvents = [];
    window.benchLong = [];
    window.sirrEditor.passTimes.length = 0;
    if (window.benchInstalled) return;
    window.benchInstalled = true;
    document.addEventListener('keydown', (e) => {
      const t0 = e.timeStamp;
      requestAnimationFrame(() => setTimeout(() => window.benchKeys.push(performance.now() - t0), 0));
    }, { capture: true });
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.interactionId) window.benchEvents.push({ name: e.name, id: e.interactionId, d: e.duration }); })
      .observe({ type: 'event', durationThreshold: 16, buffered: false });
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.benchLong.push(e.duration); }).observe({ type: 'longtask' });
  });
  for (const ch of text) {
    await page.keyboard.type(ch);
    await page.waitForTimeout(120);
  }
  // The work after the pause, and its long tasks.
  await page.waitForTimeout(4000);
  return page.evaluate(() => {
    const byInteraction = new Map();
    for (const e of window.benchEvents) byInteraction.set(e.id, Math.max(byInteraction.get(e.id) || 0, e.d));
    return { keys: window.benchKeys, slowInteractions: [...byInteraction.values()], long: window.benchLong, passes: window.sirrEditor.passTimes };
  });
}

const server = await startServer();
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(300000);
  const page = await context.newPage();
  await signIn(page, server.url, 'qa@demo.sirr');
  // The checklist as a new version's working copy (what "New version from" makes).
  await page.evaluate((doc) => {
    const me = JSON.parse(localStorage.getItem('sirr.me'));
    localStorage.setItem(`sirr.editor.${me.id}.bench-editor@1`, JSON.stringify({ doc, at: new Date().toISOString(), fresh: true }));
  }, checklist500());
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const t0 = Date.now();
  await page.goto(`${server.url}/#/qa/editor/bench-editor@1`);
  await settled(page);
  await page.waitForSelector('#editor');
  const openMs = Date.now() - t0;
  const items = await page.$$eval('.ed-item', (xs) => xs.length);
  await page.waitForTimeout(3000);
  const textSel = `.ed-section:nth-child(${Math.ceil(SECTIONS / 2)}) .ed-item:nth-child(10) textarea[id$="-text-en"]`;
  const condSel = `.ed-section:nth-child(${Math.ceil(SECTIONS * 0.8)}) .ed-item:nth-child(10) input[id$="-show_if"]`;
  await page.$eval(condSel, (e) => { e.value = ''; e.dispatchEvent(new Event('input')); });
  await page.waitForTimeout(2000);
  const text = await typeAndMeasure(page, textSel, ' and a little more to say here, typed.'.slice(0, KEYS));
  const cs = Math.ceil(SECTIONS * 0.8) - 1;
  const cond = await typeAndMeasure(page, condSel, `s${cs}_i0 == 'yes' and s${cs}_i3 != 'c' or s0_i4 > 2`.slice(0, KEYS));
  const report = (name, r) => {
    const passes = {};
    for (const p of r.passes) (passes[p.kind] ||= []).push(p.ms);
    console.log(`${name}: ${r.keys.length} keystrokes; keydown→next frame median ${quantile(r.keys, 0.5).toFixed(1)} ms, p95 ${quantile(r.keys, 0.95).toFixed(1)} ms, max ${Math.max(...r.keys).toFixed(1)} ms;`
      + ` Event Timing interactions over 16 ms: ${r.slowInteractions.length} (${r.slowInteractions.join(', ') || '—'} ms)`);
    console.log(`  after the pause: ${Object.entries(passes).map(([k, v]) => `${k} ${Math.max(...v).toFixed(1)} ms`).join(', ')}; long tasks (> 50 ms) while typing and after: ${r.long.length ? r.long.map((x) => x.toFixed(0)).join(', ') + ' ms' : 'none'}`);
  };
  console.log(`machine: ${cpus().length} × ${cpus()[0].model}; Chromium CPU throttling 4×; 1280×800`);
  console.log(`editor opened with ${items} items in ${openMs} ms (navigation to the form built, throttled)`);
  report('item text', text);
  report('show_if', cond);
} finally {
  await browser.close();
  await server.stop();
}
