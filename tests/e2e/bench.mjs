// Page-load and answer-update figures for docs/benchmarks.md. Run:
//   node bench.mjs            (after cargo build -p sirr-server --bin sirr; debug binary)
// 1. First load of the shopper app at 390×844 on loopback, cold (fresh browser context): bytes
//    transferred as the page sees them (CDP Network.loadingFinished encodedDataLength, headers
//    included) and the service worker's precache (the other modules, fetched in the background),
//    and time to interactive (navigation start until the sign-in form accepts input).
// 2. Answering an item: time from the input event to the screen updated (handler, show_if over
//    the whole checklist, progress, then forced style and layout), for every choice-like item of
//    the three example checklists. Medians over RUNS runs.
import { writeFileSync, existsSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { apiAs, launch, phone, startServer } from './lib.mjs';

const RUNS = 7;
const LOCK = '/tmp/sirr-bench-web.lock';
while (existsSync('/tmp/sirr-bench.lock')) await new Promise((r) => setTimeout(r, 15000));
writeFileSync(LOCK, String(process.pid));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const server = await startServer();
const browser = await launch();
const out = { machine: `${cpus().length} × ${cpus()[0].model}`, load: [], answer: {} };
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await phone(browser);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    let bytes = 0;
    let requests = 0;
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; requests += 1; });
    await page.goto(server.url);
    await page.waitForSelector('#email');
    const tti = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
    // The worker's precache, fetched in the background after the first paint.
    const sw = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      const c = await caches.open('sirr-shell-v1');
      return (await c.keys()).length;
    });
    out.load.push({ bytes, requests, tti, swFiles: sw });
    await context.close();
  }
  // gzip size of everything the worker precaches (what a full install transfers, bodies only)
  const swList = (await (await fetch(`${server.url}/sw.js`)).text()).match(/'\/[^']*'/g).map((s) => s.slice(1, -1));
  let precache = 0;
  for (const p of swList) {
    const r = await fetch(`${server.url}${p}`, { headers: { 'Accept-Encoding': 'gzip' } });
    precache += Number(r.headers.get('content-length') || (await r.arrayBuffer()).byteLength);
  }
  out.precacheBytes = precache;

  const qa = await apiAs(server.url, 'qa@demo.sirr');
  const lists = await qa('/api/v1/checklists');
  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForSelector('#email');
  for (const c of lists.filter((x) => x.latest_published_version)) {
    const doc = (await qa(`/api/v1/checklists/${c.key}/versions/${c.latest_published_version}`)).document;
    const times = await page.evaluate(async ({ doc, runs }) => {
      const { renderSection } = (await import('/app/bundle.js')).checklist;
      const all = [];
      for (let run = 0; run < runs; run++) {
        const ctx = {
          answers: {}, comments: {}, now: () => '', toRfc3339: (x) => x, onComment: () => {}, photoRefs: () => [],
          onPhotoListChange: () => {}, thumb: () => document.createElement('span'), onPhoto: () => {},
        };
        const main = document.getElementById('app');
        for (let si = 0; si < doc.sections.length; si++) {
          let view;
          ctx.onAnswer = (k, v) => { if (v === undefined) delete ctx.answers[k]; else ctx.answers[k] = v; view.update(); };
          view = renderSection(doc, si, ctx);
          main.replaceChildren(view.el);
          view.update();
          for (const input of main.querySelectorAll('.opts input')) {
            if (input.closest('[hidden]')) continue;
            const t0 = performance.now();
            input.click();
            void document.body.offsetHeight; // style and layout of the change
            all.push(performance.now() - t0);
          }
        }
      }
      return all;
    }, { doc, runs: RUNS });
    out.answer[c.key] = { n: times.length, median: median(times), p95: [...times].sort((a, b) => a - b)[Math.floor(times.length * 0.95)], max: Math.max(...times) };
  }
  await context.close();
} finally {
  await browser.close();
  await server.stop();
  rmSync(LOCK, { force: true });
}
out.summary = {
  bytes: median(out.load.map((l) => l.bytes)),
  requests: median(out.load.map((l) => l.requests)),
  tti: median(out.load.map((l) => l.tti)),
};
console.log(JSON.stringify(out, null, 2));
