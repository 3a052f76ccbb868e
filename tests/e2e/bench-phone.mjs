// The shopper app on a slow phone (issue 13's targets), for docs/benchmarks.md. Run:
//   node bench-phone.mjs          (after cargo build -p sirr-server --bin sirr)
// Chromium's CPU throttled 4× (Emulation.setCPUThrottlingRate) and DevTools' "Fast 3G" network
// (562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up):
// 1. first load to an interactive assignment list: a signed-in shopper opens the app in a fresh
//    browser profile (no HTTP cache, no service worker); from navigation start until the list's
//    cards are in the page, the next frame has started and the main thread is free again (a
//    task queued after that frame runs), all read from the page's own clock;
// 2. a 200-item checklist: answer-to-screen (input event → draft written → show_if, progress and
//    controls updated → style and layout) for every choice on every section, and opening a
//    section (hash change → the section in the page, laid out, and the next frame started),
//    medians and p95 over every sample. Both are timed inside the page: the test driver's own
//    round trips (tens of ms on a throttled CPU) are not the app's.
import { apiAs, launch, PASSWORD, PHONE, startServer } from './lib.mjs';
import { cpus } from 'node:os';

const RUNS = Number(process.env.RUNS ?? 5);
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (750 * 1024 * 0.9) / 8 };
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * q))]; };

/** A published 200-item checklist: 10 sections of 20 items, with show_if chains. */
function bigChecklist() {
  const sections = [];
  for (let s = 0; s < 10; s++) {
    const items = [];
    for (let i = 0; i < 20; i++) {
      const key = `s${s}_i${i}`;
      const kind = i % 4;
      const item = kind === 0 ? { key, type: 'yes_no', na_allowed: true }
        : kind === 1 ? { key, type: 'choice', options: [{ key: 'a', score: 1 }, { key: 'b', score: 0.5 }, { key: 'c', score: 0 }] }
          : kind === 2 ? { key, type: 'multi_choice', options: [{ key: 'x', score: 1 }, { key: 'y', score: 0 }, { key: 'z' }] }
            : { key, type: 'scale', min: 1, max: 5 };
      if (i > 0 && i % 5 === 0) item.show_if = `s${s}_i${Math.floor((i - 1) / 4) * 4} != 'no'`;
      items.push({ ...item, text: { en: `Item ${s}.${i}: an observable behaviour`, ar: `البند ${s}.${i}: سلوك يمكن ملاحظته` } });
    }
    sections.push({ key: `sec${s}`, title: { en: `Section ${s + 1}`, ar: `القسم ${s + 1}` }, items });
  }
  return { key: 'bench-200', version: 1, languages: ['en', 'ar'], title: { en: 'Bench 200', ar: 'مئتا بند' }, sections };
}

async function slowPhone(browser, { signInAs, url } = {}) {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'ar-SA' });
  context.setDefaultTimeout(120000);
  if (signInAs) {
    const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: signInAs, password: PASSWORD }) });
    const pair = await res.json();
    const me = await (await fetch(`${url}/api/v1/me`, { headers: { Authorization: `Bearer ${pair.access_token}` } })).json();
    await context.addInitScript(([tokens, who]) => {
      if (!localStorage.getItem('sirr.tokens')) {
        localStorage.setItem('sirr.tokens', tokens);
        localStorage.setItem('sirr.me', who);
      }
    }, [JSON.stringify({ access: pair.access_token, refresh: pair.refresh_token }), JSON.stringify(me)]);
  }
  // The moment the first assignment card is in the page, then the next frame, then a task.
  await context.addInitScript(() => {
    const seen = new MutationObserver(() => {
      if (!document.querySelector('.card.assignment a.btn')) return;
      seen.disconnect();
      requestAnimationFrame(() => setTimeout(() => { window.benchInteractiveAt = performance.now(); }, 0));
    });
    seen.observe(document, { subtree: true, childList: true });
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', FAST_3G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return { context, page };
}

const server = await startServer();
const browser = await launch();
const out = { machine: `${cpus().length} × ${cpus()[0].model}`, firstLoadMs: [], answerMs: [], sectionMs: [] };
try {
  // 1. first load
  for (let i = 0; i < RUNS; i++) {
    const { context, page } = await slowPhone(browser, { signInAs: 'shopper1@demo.sirr', url: server.url });
    await page.goto(`${server.url}/#/assignments`, { waitUntil: 'commit' });
    await page.waitForSelector('.card.assignment a.btn');
    out.firstLoadMs.push(await page.evaluate(() => window.benchInteractiveAt));
    await context.close();
  }

  // 2. the 200-item checklist, published and assigned to a shopper
  const adminApi = await apiAs(server.url, 'admin@demo.sirr');
  const doc = bigChecklist();
  await adminApi('/api/v1/checklists', { method: 'POST', body: JSON.stringify(doc) });
  await adminApi('/api/v1/checklists/bench-200/versions/1/publish', { method: 'POST', body: '{}' });
  const users = await adminApi('/api/v1/users');
  const shopper = (users.items || users).find((u) => u.email === 'shopper2@demo.sirr');
  const [branch] = await adminApi('/api/v1/branches');
  const a = await adminApi('/api/v1/assignments', {
    method: 'POST',
    body: JSON.stringify({ shopper_id: shopper.id, branch_id: branch.id, checklist: { key: 'bench-200', version: 1 }, window_start: new Date(Date.now() - 3600e3).toISOString(), window_end: new Date(Date.now() + 86400e3).toISOString() }),
  });
  const { context, page } = await slowPhone(browser, { signInAs: 'shopper2@demo.sirr', url: server.url });
  await page.goto(`${server.url}/#/assignments`);
  await page.waitForSelector(`.card[data-id="${a.id}"][data-ready="true"]`);
  await page.goto(`${server.url}/#/visit/${a.id}/0`);
  await page.waitForSelector('#check-in');
  await page.click('#check-in');
  await page.waitForSelector('.checklist');
  for (let run = 0; run < 2; run++) {
    // Section 0 is on the screen after check-in: open 1, 2, …, then 0 again (a hash that does
    // not change opens nothing).
    for (const si of [...doc.sections.keys()].slice(1).concat([0])) {
      out.sectionMs.push(await page.evaluate((hash) => new Promise((resolve) => {
        const t0 = performance.now();
        // The router sets data-route once the section is in the page (SPEC §10).
        const opened = new MutationObserver(() => {
          if (document.body.dataset.route !== hash || !document.querySelector('.checklist')) return;
          opened.disconnect();
          void document.body.offsetHeight; // style and layout of the new section
          requestAnimationFrame(() => resolve(performance.now() - t0));
        });
        opened.observe(document.body, { attributes: true, attributeFilter: ['data-route'] });
        location.hash = hash;
      }), `#/visit/${a.id}/${si}`));
      const times = await page.evaluate(async () => {
        const all = [];
        for (const input of document.querySelectorAll('.checklist .item:not([hidden]) .opts input')) {
          if (input.closest('[hidden]')) continue;
          const t = performance.now();
          input.click();
          void document.body.offsetHeight; // style and layout of the change
          all.push(performance.now() - t);
          await new Promise((r) => setTimeout(r, 0));
        }
        return all;
      });
      out.answerMs.push(...times);
    }
  }
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
out.summary = {
  firstLoadMedianMs: quantile(out.firstLoadMs, 0.5),
  firstLoadMaxMs: Math.max(...out.firstLoadMs),
  answerSamples: out.answerMs.length,
  answerMedianMs: quantile(out.answerMs, 0.5),
  answerP95Ms: quantile(out.answerMs, 0.95),
  sectionMedianMs: quantile(out.sectionMs, 0.5),
  sectionP95Ms: quantile(out.sectionMs, 0.95),
};
console.log(JSON.stringify(out.summary, null, 2));
