// Managers in a real browser (issue 14): the league table and heat map of a region, one truth
// between the page and the API (SPEC §10.30), the period in the URL, loading and error states,
// the team page, failed items grouped by item, action plans done and tied to an item, and the
// evidence photos of an approved visit — in English and Arabic, on a phone and a desktop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, fillToReview, jpeg, launch, phone, settled, signIn, startServer, until } from './lib.mjs';

let server;
let browser;
const REGIONAL = 'manager.riyadh@demo.sirr';
const BRANCH = 'manager.ruh-001@demo.sirr';

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function desktop(locale = 'en-US') {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale, acceptDownloads: true });
  context.setDefaultTimeout(60000);
  return context;
}

/** The number a page shows ("79.5%", "٧٩٫٥٪", "+1.2 points", "−٣٫٦ نقاط"), as a JS number. */
function shown(text) {
  const ascii = String(text).replace(/[٠-٩]/g, (d) => String('٠١٢٣٤٥٦٧٨٩'.indexOf(d))).replace('٫', '.').replace(/[−-]/, '-').replace(/\u061C|\u200E|\u200F/g, '');
  const m = /[-+]?\d+(?:\.\d+)?/.exec(ascii);
  assert.ok(m, `a number in ${JSON.stringify(text)}`);
  return Number(m[0]) + 0;
}
/** What the page must show for a fraction: a percentage rounded to one decimal. */
const asPct = (f) => Math.round(f * 1000) / 10;

/** Waits for a screen to settle (route on screen, nothing loading). */
const ready = (page) => page.waitForFunction(() => document.body.dataset.route === location.hash && !document.getElementById('loading'));

async function goto(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await ready(page);
}

test('the regional manager: league table sorted and drilled into, the heat map holds the API numbers (English, desktop)', async () => {
  const mgr = await apiAs(server.url, REGIONAL);
  const me = await mgr('/api/v1/me');
  const region = me.scopes.find((s) => s.kind === 'region').id;
  const context = await desktop();
  const page = await context.newPage();
  await signIn(page, server.url, REGIONAL);
  // A regional manager lands on the league of the region, with the period in the address.
  await ready(page);
  assert.match(await page.evaluate(() => location.hash), /^#\/league\?period=\d{4}-\d{2}$/);
  const period = await page.$eval('#period', (s) => s.value);
  assert.equal(new URLSearchParams((await page.evaluate(() => location.hash)).split('?')[1]).get('period'), period);
  const api = await mgr(`/api/v1/scores/regions/${region}?period=${period}`);
  const rows = await page.$$eval('#league tbody tr', (trs) => trs.map((tr) => ({ key: tr.dataset.key, fair: tr.querySelector('td.fair strong').textContent })));
  assert.equal(rows.length, api.branches.length, 'one row per branch of the region');
  for (const r of rows) {
    const b = api.branches.find((x) => x.key === r.key);
    assert.equal(shown(r.fair), asPct(b.fair_score), `${r.key} fair score`);
  }
  // Sort by fair score (best first), then the other way.
  await page.click('#league th[data-sort=fair] a');
  await ready(page);
  const byFair = await page.$$eval('#league tbody tr td.fair strong', (tds) => tds.map((td) => td.textContent));
  const values = byFair.map(shown);
  assert.deepEqual(values, [...values].sort((a, b) => b - a), 'descending by fair score');
  assert.equal(await page.getAttribute('#league th[data-sort=fair]', 'aria-sort'), 'descending');
  await page.click('#league th[data-sort=fair] a');
  await ready(page);
  const asc = (await page.$$eval('#league tbody tr td.fair strong', (tds) => tds.map((td) => td.textContent))).map(shown);
  assert.deepEqual(asc, [...asc].sort((a, b) => a - b), 'ascending after a second click');
  assert.ok((await page.evaluate(() => location.hash)).includes(`period=${period}`), 'sorting keeps the period');
  // The heat map: a cell per branch and section, equal to that branch's own section score.
  await page.waitForSelector('#heat[data-ready=true] #heatmap');
  const first = api.branches[0];
  const bs = await mgr(`/api/v1/scores/branches/${first.branch_id}?period=${period}`);
  for (const s of bs.sections.slice(0, 4)) {
    const cell = await page.textContent(`#heatmap td[data-branch="${first.key}"][data-section="${s.checklist}/${s.key}"]`);
    assert.equal(shown(cell), asPct(s.score), `${first.key} ${s.key}`);
  }
  // A row opens the branch for the same period.
  await page.click(`#league tbody tr[data-key="${first.key}"] td.visits`);
  await ready(page);
  assert.equal(await page.evaluate(() => location.hash), `#/dashboard/${first.branch_id}?period=${period}`);
  assert.equal(shown(await page.textContent('#headline-fair .big')), asPct(first.fair_score));
  await context.close();
});

test('one truth on the page (SPEC §10.30): headline, trend point, league row and change equal the API for several branches and periods', async () => {
  const mgr = await apiAs(server.url, REGIONAL);
  const me = await mgr('/api/v1/me');
  const region = me.scopes.find((s) => s.kind === 'region').id;
  const months = (await mgr(`/api/v1/scores/regions/${region}`)).trend.map((p) => p.period);
  const periods = months.slice(-3);
  for (const locale of ['en-US', 'ar-SA']) {
    const context = await desktop(locale);
    const page = await context.newPage();
    await signIn(page, server.url, REGIONAL);
    for (const period of locale === 'en-US' ? periods : periods.slice(-1)) {
      const now = await mgr(`/api/v1/scores/regions/${region}?period=${period}`);
      const prevPeriod = months[months.indexOf(period) - 1];
      const prev = await mgr(`/api/v1/scores/regions/${region}?period=${prevPeriod}`);
      await goto(page, `#/league?period=${period}`);
      for (const b of now.branches.slice(0, 4)) {
        const sc = await mgr(`/api/v1/scores/branches/${b.branch_id}?period=${period}`);
        const point = sc.trend.find((p) => p.period === period);
        const before = prev.branches.find((x) => x.branch_id === b.branch_id);
        // the API agrees with itself first
        assert.equal(point.fair_score, sc.fair_score);
        assert.equal(b.fair_score, sc.fair_score);
        // the league row
        const row = `#league tbody tr[data-branch="${b.branch_id}"]`;
        assert.equal(shown(await page.textContent(`${row} td.fair strong`)), asPct(sc.fair_score), `${b.key} ${period} league row`);
        const change = Math.round((sc.fair_score - before.fair_score) * 1000) / 10 + 0;
        assert.equal(shown(await page.textContent(`${row} td.change`)), change, `${b.key} ${period} change`);
      }
      for (const b of now.branches.slice(0, 4)) {
        const sc = await mgr(`/api/v1/scores/branches/${b.branch_id}?period=${period}`);
        await goto(page, `#/dashboard/${b.branch_id}?period=${period}`);
        assert.equal(shown(await page.textContent('#headline-fair .big')), asPct(sc.fair_score), `${b.key} ${period} headline`);
        // the point's own text is "<month>: <score>"
        const pointText = await page.textContent(`svg.chart.trend circle[data-period="${period}"] title`);
        assert.equal(shown(pointText.split(':').pop()), asPct(sc.fair_score), `${b.key} ${period} trend point`);
        assert.equal(shown(await page.textContent(`svg.chart.trend text.point-label[data-period="${period}"]`)), asPct(sc.fair_score));
        const i = sc.trend.findIndex((p) => p.period === period);
        if (i > 0) {
          const change = Math.round((sc.trend[i].fair_score - sc.trend[i - 1].fair_score) * 1000) / 10 + 0;
          assert.equal(shown(await page.textContent('#headline-fair .change')), change, `${b.key} ${period} change on the dashboard`);
        }
      }
    }
    await context.close();
  }
});

test('the period lives in the URL: switching shows a loading state, reload keeps it, back and forward work (Arabic, phone)', async () => {
  const context = await phone(browser, { locale: 'ar-SA' });
  const page = await context.newPage();
  await signIn(page, server.url, BRANCH);
  await ready(page);
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  const first = await page.$eval('#period', (s) => s.value);
  assert.ok((await page.evaluate(() => location.hash)).endsWith(`period=${first}`));
  const other = await page.$eval('#period', (s) => s.options[2].value);
  const oldHeadline = await page.textContent('#headline-fair .big');
  // Hold the new period's scores back: the old numbers must be marked as stale meanwhile.
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(`**/api/v1/scores/branches/*?period=${other}`, async (route) => { await held; await route.continue(); });
  await page.selectOption('#period', other);
  await page.waitForSelector('#loading');
  assert.equal(await page.getAttribute('main', 'aria-busy'), 'true');
  assert.match(await page.textContent('#loading'), /جارٍ التحميل/);
  const opacity = await page.$eval('#headline-fair', (el) => Number(getComputedStyle(el.closest('main > *')).opacity));
  assert.ok(opacity < 0.6, `old numbers are dimmed (opacity ${opacity})`);
  assert.equal(await page.textContent('#headline-fair .big'), oldHeadline);
  release();
  await ready(page);
  await page.unroute(`**/api/v1/scores/branches/*?period=${other}`);
  assert.equal(await page.$eval('#period', (s) => s.value), other);
  assert.equal(await page.getAttribute('#unit-title', 'data-period'), other);
  // Reload keeps the period; back returns to the first one, forward to the other again.
  await page.reload();
  await ready(page);
  if (!(await page.$('#period'))) throw new Error(`after reload: ${await page.evaluate(() => `${location.hash} ${document.body.dataset.route} ${document.querySelector('main')?.textContent}`)}`);
  assert.equal(await page.$eval('#period', (s) => s.value), other);
  await page.goBack();
  await ready(page);
  assert.equal(await page.$eval('#period', (s) => s.value), first);
  assert.equal(await page.getAttribute('#unit-title', 'data-period'), first);
  await page.goForward();
  await ready(page);
  assert.equal(await page.$eval('#period', (s) => s.value), other);
  await context.close();
});

for (const [locale, language] of [['en-US', 'en'], ['ar-SA', 'ar']]) {
  test(`the branch manager (${language}, phone): team page, failed items grouped, an action plan tied to an item and marked done, the PDF's progress and its error with the server unreachable`, async () => {
    const mgr = await apiAs(server.url, BRANCH);
    const [branch] = await mgr('/api/v1/branches');
    const context = await phone(browser, { locale });
    const page = await context.newPage();
    await signIn(page, server.url, BRANCH);
    await ready(page);
    const period = await page.$eval('#period', (s) => s.value);
    // Failed items: one collapsed group per item, with its count; the total matches the answers.
    const groups = await page.$$eval('#failed details.failed-group', (ds) => ds.map((d) => ({ key: d.dataset.key, count: Number(d.dataset.count), open: d.open })));
    assert.ok(groups.length > 0, 'some failed items');
    assert.ok(groups.every((g) => !g.open), 'collapsed at first');
    assert.equal(new Set(groups.map((g) => g.key)).size, groups.length, 'one group per item');
    const failedHeight = await page.$eval('#failed', (el) => el.getBoundingClientRect().height);
    assert.ok(failedHeight < 2500, `the failed items fit a few screens (${failedHeight} px)`);
    const sc = await mgr(`/api/v1/scores/branches/${branch.id}?period=${period}`);
    const top = groups[0];
    const item = sc.items.find((i) => i.key === top.key);
    const summary = await page.textContent(`#item-group-${top.key} summary`);
    assert.ok(summary.includes(await page.evaluate((f) => (f === null ? '—' : `${new Intl.NumberFormat(document.documentElement.lang === 'ar' ? 'ar-SA-u-ca-gregory' : 'en-GB', { maximumFractionDigits: 1 }).format(f * 100)}%`), item.pass_rate)), 'the pass rate is the API\'s');
    await page.click(`#item-group-${top.key} summary`);
    assert.ok(await page.$eval(`#item-group-${top.key}`, (d) => d.open));
    assert.equal(await page.$$eval(`#item-group-${top.key} li.failed-answer`, (l) => l.length), top.count);
    // An action plan for that item, then marked done: read back through the API.
    await page.click('#actions details.add-action summary');
    const text = language === 'ar' ? 'تدريب الفريق على الترحيب' : 'Coach the team on this item';
    await page.fill('#new-action', text);
    await page.selectOption('#new-item', top.key);
    await page.fill('#new-owner', language === 'ar' ? 'مدير الفرع' : 'Branch manager');
    await page.fill('#new-due', '2026-12-31');
    await page.click('#actions form button[type=submit]');
    await page.waitForFunction((t) => [...document.querySelectorAll('#actions tbody tr')].some((tr) => tr.textContent.includes(t)), text);
    const stored = (await mgr(`/api/v1/branches/${branch.id}/actions?period=${period}`)).find((a) => a.action === text);
    assert.equal(stored.item_key, top.key);
    assert.equal(stored.status, 'open');
    await page.click(`#actions tr[data-id="${stored.id}"] button[data-action]`);
    await page.waitForSelector(`#actions tr[data-id="${stored.id}"][data-status=done]`);
    const done = (await mgr(`/api/v1/branches/${branch.id}/actions?period=${period}`)).find((a) => a.id === stored.id);
    assert.equal(done.status, 'done');
    assert.ok(done.done_at);
    // The item it addresses is named, in the page's language, and opens its group.
    assert.ok((await page.textContent(`#actions tr[data-id="${stored.id}"] td.addresses`)).length > 3);
    // The team page: its headline is the team API's.
    const teams = await mgr(`/api/v1/teams?branch_id=${branch.id}`);
    await page.click(`#teams a[href^="#/team/${teams[0].id}"]`);
    await ready(page);
    const ts = await mgr(`/api/v1/scores/teams/${teams[0].id}?period=${period}`);
    assert.equal(await page.$eval('#period', (s) => s.value), period, 'the team page keeps the period');
    assert.equal(shown(await page.textContent('#headline-fair .big')), asPct(ts.fair_score));
    assert.ok(await page.$('svg.chart.trend'));
    await page.goBack();
    await ready(page);
    // The PDF: a progress line while it is made, then a clear message when the server is unreachable.
    let hold;
    const held = new Promise((r) => { hold = r; });
    await page.route('**/api/v1/reports/branches/**', async (route) => { await held; await route.abort('connectionrefused'); });
    await page.click(`#pdf-${language}`);
    await page.waitForSelector('#pdf-status .loading');
    assert.ok(await page.$eval(`#pdf-${language}`, (b) => b.disabled), 'the button waits for the report');
    hold();
    await page.waitForSelector('#pdf-status .msg.error');
    const msg = await page.textContent('#pdf-status .msg.error');
    assert.doesNotMatch(msg, /TypeError|Failed to fetch/);
    assert.match(msg, language === 'ar' ? /تعذّر الوصول إلى الخادم/ : /server cannot be reached/);
    await context.close();
  });
}

test('evidence: an approved visit\'s photos are visible to the manager of its branch, with no shopper identity on the page', async () => {
  // A shopper submits a visit with photos; QA approves it.
  const context = await phone(browser);
  const sp = await context.newPage();
  await signIn(sp, server.url, 'shopper2@demo.sirr');
  await sp.waitForSelector('.card.assignment');
  const id = await sp.$eval('.card.assignment a.btn[href^="#/visit/"]', (a) => a.getAttribute('href').split('/')[2]);
  await sp.goto(`${server.url}/#/visit/${id}/0`);
  await settled(sp);
  await sp.click('main button.btn.big');
  await sp.waitForSelector('.checklist');
  await fillToReview(sp, await jpeg(sp));
  await sp.click('.review button.btn.big');
  await sp.waitForSelector('#visit-sent', { timeout: 90000 });
  const qa = await apiAs(server.url, 'qa@demo.sirr');
  const [entry] = (await qa('/api/v1/reviews?status=submitted')).filter((q) => q.assignment_id === id);
  await qa(`/api/v1/visits/${entry.visit_id}/approve`, { method: 'POST', body: '{}' });
  const visit = await qa(`/api/v1/visits/${entry.visit_id}`);
  const photos = Object.values(visit.answers).filter((a) => Array.isArray(a) && a.some((r) => typeof r === 'string' && !r.includes(' '))).flat();
  assert.ok(photos.length, 'the visit has photo answers');
  const admin = await apiAs(server.url, 'admin@demo.sirr');
  const branch = (await admin('/api/v1/branches')).find((b) => b.id === visit.branch_id);
  const shopper = (await admin('/api/v1/users')).find((u) => u.email === 'shopper2@demo.sirr');
  await context.close();
  // The branch's manager opens it (Arabic, desktop): thumbnails load, one opens full screen.
  const mctx = await desktop('ar-SA');
  const page = await mctx.newPage();
  await signIn(page, server.url, `manager.${branch.code.toLowerCase()}@demo.sirr`);
  await goto(page, `#/visit-report/${entry.visit_id}`);
  await page.waitForSelector('.review-photos img');
  await until(page, () => [...document.querySelectorAll('.review-photos img')].some((i) => i.complete && i.naturalWidth > 0));
  await page.click('.review-photos .thumb-btn');
  await page.waitForSelector('dialog.viewer[open] img');
  assert.ok(await page.$eval('dialog.viewer[open] img', (i) => i.src.startsWith('blob:')));
  await page.click('#viewer-close');
  const text = await page.textContent('body');
  for (const secret of [shopper.email, shopper.name, shopper.id]) assert.ok(!text.includes(secret), `no ${secret} on the manager's page`);
  const html = await page.content();
  assert.ok(!html.includes(shopper.id), 'no shopper id in the markup');
  await mctx.close();
});

test('QA reads the organisation\'s league table: every branch, the API\'s numbers, a tab beside the review queue (English, desktop)', async () => {
  const qa = await apiAs(server.url, 'qa@demo.sirr');
  const context = await desktop();
  const page = await context.newPage();
  await signIn(page, server.url, 'qa@demo.sirr');
  await page.click('nav.tabs a[href="#/league"]');
  await ready(page);
  const period = await page.$eval('#period', (s) => s.value);
  const org = await qa(`/api/v1/scores/organisation?period=${period}`);
  const rows = await page.$$eval('#league tbody tr', (trs) => trs.map((tr) => ({ id: tr.dataset.branch, fair: tr.querySelector('td.fair strong').textContent })));
  assert.equal(rows.length, org.branches.length, 'every branch of the organisation');
  for (const r of rows.slice(0, 8)) assert.equal(shown(r.fair), asPct(org.branches.find((b) => b.branch_id === r.id).fair_score));
  assert.equal(shown(await page.textContent('#headline-fair .big')), asPct(org.fair_score));
  // The tabs are not clipped on a desktop: the last one is inside the viewport.
  await page.goto(`${server.url}/#/qa/reviews`);
  await ready(page);
  const box = await page.$eval('nav.tabs a:last-child', (a) => { const r = a.getBoundingClientRect(); return { right: r.right, width: innerWidth }; });
  assert.ok(box.right <= box.width, 'the last QA tab is fully visible');
  await context.close();
});

/**
 * What a phone shows wrongly: elements that stick out of the viewport sideways (outside a
 * sideways-scrolling box, whose own box must fit), and controls smaller than 44×44 px.
 */
async function phoneProblems(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    const name = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${(el.textContent || el.value || '').trim().slice(0, 30)}"`;
    const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el); return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('[hidden], details:not([open]) > :not(summary)'); };
    const inScroller = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
    if (document.documentElement.scrollWidth > width + 1) out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    // A box that must be scrolled sideways hides part of what it holds (in RTL, the start of a
    // row is off to the right): only the heat map, a grid of many branches, may do so.
    for (const el of document.querySelectorAll('main *')) {
      if (!visible(el) || el.closest('#heat')) continue;
      const o = getComputedStyle(el).overflowX;
      if ((o === 'auto' || o === 'scroll') && el.scrollWidth > el.clientWidth + 1) out.push(`scrolls sideways ${el.scrollWidth} > ${el.clientWidth}: ${name(el)}`);
    }
    for (const el of document.querySelectorAll('main *, header *')) {
      if (!visible(el) || inScroller(el) || el.closest('svg')) continue;
      const r = el.getBoundingClientRect();
      if (r.left < -1 || r.right > width + 1) out.push(`off-screen ${Math.round(r.left)}..${Math.round(r.right)}: ${name(el)}`);
    }
    for (const el of document.querySelectorAll('main a[href], main button, main input, main select, main textarea, main summary, header a[href], header button')) {
      if (!visible(el)) continue;
      // A control inside a label takes the label's box as its hit area.
      const box = (el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')) || el;
      const r = box.getBoundingClientRect();
      if (r.width < 44 || r.height < 44) out.push(`small ${Math.round(r.width)}×${Math.round(r.height)}: ${name(el)}`);
    }
    return out;
  });
}

test('manager screens on a 390×844 phone in Arabic: nothing off-screen sideways, every control at least 44×44 px (issue 14)', async () => {
  const context = await phone(browser, { locale: 'ar-SA' });
  const page = await context.newPage();
  const mgr = await apiAs(server.url, BRANCH);
  const [branch] = await mgr('/api/v1/branches');
  const months = (await mgr(`/api/v1/scores/branches/${branch.id}`)).trend.map((p) => p.period);
  const period = months[months.length - 1];
  // An action plan to lay out (with a long Arabic text).
  const sc = await mgr(`/api/v1/scores/branches/${branch.id}?period=${period}`);
  await mgr(`/api/v1/branches/${branch.id}/actions`, { method: 'POST', body: JSON.stringify({ period, action: 'تدريب فريق الاستقبال على الترحيب بالعملاء خلال ثلاثين ثانية من دخولهم', owner: 'مدير الفرع', due_on: '2026-12-31', item_key: sc.items[0].key }) });
  const problems = {};
  await signIn(page, server.url, BRANCH);
  await ready(page);
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  // Every group and form open, as a manager working through them would have it.
  await page.$$eval('#failed details, #actions details', (ds) => ds.forEach((d) => { d.open = true; }));
  problems.dashboard = await phoneProblems(page);
  await page.screenshot({ path: '/tmp/sirr-14w-dashboard-ar-phone.png', fullPage: true });
  const teams = await mgr(`/api/v1/teams?branch_id=${branch.id}`);
  await goto(page, `#/team/${teams[0].id}?period=${period}`);
  problems.team = await phoneProblems(page);
  const visits = await mgr(`/api/v1/branches/${branch.id}/visits?period=${period}`);
  await goto(page, `#/visit-report/${visits[0].id}?period=${period}`);
  problems.visit = await phoneProblems(page);
  await context.close();
  // The regional manager's league table and heat map.
  const rctx = await phone(browser, { locale: 'ar-SA' });
  const rp = await rctx.newPage();
  await signIn(rp, server.url, REGIONAL);
  await ready(rp);
  await rp.waitForSelector('#heat[data-ready=true]');
  problems.league = await phoneProblems(rp);
  await rp.screenshot({ path: '/tmp/sirr-14w-league-ar-phone.png', fullPage: true });
  await rctx.close();
  assert.deepEqual(problems, { dashboard: [], team: [], visit: [], league: [] });
});

for (const [locale, language] of [['en-US', 'en'], ['ar-SA', 'ar']]) {
  test(`items below full marks say so without contradiction: n of m visits below full marks, the share with full marks the API's pass rate (${language})`, async () => {
    const mgr = await apiAs(server.url, BRANCH);
    const [branch] = await mgr('/api/v1/branches');
    const context = await phone(browser, { locale });
    const page = await context.newPage();
    await signIn(page, server.url, BRANCH);
    await ready(page);
    const period = await page.$eval('#period', (s) => s.value);
    const sc = await mgr(`/api/v1/scores/branches/${branch.id}?period=${period}`);
    const groups = await page.$$eval('#failed details.failed-group', (ds) => ds.map((d) => ({ key: d.dataset.key, count: Number(d.dataset.count), summary: d.querySelector('summary').textContent })));
    assert.ok(groups.length > 0);
    const note = await page.textContent('#partial-note');
    assert.match(note, language === 'ar' ? /جزءاً من نقاطه/ : /part of its points/);
    const digits = (s) => s.replace(/[٠-٩]/g, (d) => String('٠١٢٣٤٥٦٧٨٩'.indexOf(d))).replace('٫', '.');
    for (const g of groups) {
      const item = sc.items.find((i) => i.key === g.key);
      const text = digits(g.summary);
      // "below full marks in n of m visits" and "full marks: p% of visits" are one number's two sides.
      const m = (language === 'ar' ? /دون الدرجة الكاملة في (\d+) من (\d+)/ : /below full marks in (\d+) of (\d+) visits?/).exec(text);
      assert.ok(m, text);
      assert.equal(Number(m[1]), g.count);
      const share = Math.round(((Number(m[2]) - Number(m[1])) / Number(m[2])) * 1000) / 10;
      assert.equal(share, Math.round(item.pass_rate * 1000) / 10, `${g.key}: ${text} against pass_rate ${item.pass_rate}`);
      assert.doesNotMatch(text, language === 'ar' ? /لم يُستوفَ|نسبة الاستيفاء/ : /failed|pass rate/i, text);
    }
    // Each visit says what it got: a partial answer its share of the points.
    await page.$$eval('#failed details.failed-group', (ds) => ds.forEach((d) => { d.open = true; }));
    const answers = await page.$$eval('#failed li.failed-answer', (lis) => lis.map((li) => ({ score: Number(li.dataset.score), got: li.querySelector('.got').textContent })));
    for (const a of answers) {
      if (a.score > 0) assert.match(a.got, language === 'ar' ? /نال .* من نقاط البند/ : /earned .* of the item's points/, a.got);
      else assert.match(a.got, language === 'ar' ? /بلا نقاط/ : /no points/, a.got);
      assert.doesNotMatch(a.got, /"/);
    }
    await context.close();
  });
}

test('names in the reader\'s language: the region\'s Arabic name on the league, a team\'s Arabic name on the dashboard and its page (Arabic, phone)', async () => {
  const admin = await apiAs(server.url, 'admin@demo.sirr');
  const mgr = await apiAs(server.url, REGIONAL);
  const region = (await mgr('/api/v1/me')).scopes.find((s) => s.kind === 'region').id;
  const r = await admin(`/api/v1/regions/${region}`);
  assert.ok(r.names.ar, 'the demo region has an Arabic name');
  const context = await phone(browser, { locale: 'ar-SA' });
  const page = await context.newPage();
  await signIn(page, server.url, REGIONAL);
  await ready(page);
  assert.ok((await page.textContent('#unit-title')).includes(r.names.ar), await page.textContent('#unit-title'));
  assert.ok((await page.textContent('header h1')).includes(r.names.ar));
  await context.close();
  // A team with an Arabic name (the admin gives it one): shown in Arabic, its English name in English.
  const bm = await apiAs(server.url, BRANCH);
  const [branch] = await bm('/api/v1/branches');
  const [team] = await bm(`/api/v1/teams?branch_id=${branch.id}`);
  const names = { en: team.names.en || team.code, ar: 'فريق الاستقبال' };
  await admin(`/api/v1/teams/${team.id}`, { method: 'PATCH', body: JSON.stringify({ names }) });
  try {
    for (const [locale, expected] of [['ar-SA', names.ar], ['en-US', names.en]]) {
      const ctx = await phone(browser, { locale });
      const p = await ctx.newPage();
      await signIn(p, server.url, BRANCH);
      await ready(p);
      const link = `#teams a[href^="#/team/${team.id}"]`;
      assert.equal((await p.textContent(link)).trim(), expected);
      await p.click(link);
      await ready(p);
      assert.ok((await p.textContent('#unit-title')).includes(expected));
      assert.ok(!(await p.textContent('#unit-title')).includes('undefined'));
      await ctx.close();
    }
  } finally {
    await admin(`/api/v1/teams/${team.id}`, { method: 'PATCH', body: JSON.stringify({ names: team.names }) });
  }
});

test('evidence photos of a non-photo item (the visit\'s `evidence`) show as thumbnails in the manager\'s visit view; without the field the view still works', async () => {
  // An approved visit with a stored photo (the evidence test above approved one).
  const qa = await apiAs(server.url, 'qa@demo.sirr');
  let visit = null;
  let photo = null;
  const token = await qaToken();
  for (const q of (await qa('/api/v1/reviews?status=approved')).reverse()) {
    const v = await qa(`/api/v1/visits/${q.visit_id}`);
    for (const ref of Object.values(v.answers).filter(Array.isArray).flat()) {
      if (typeof ref !== 'string') continue;
      const res = await fetch(`${server.url}/api/v1/attachments/${ref}`, { headers: { Authorization: `Bearer ${token}` } });
      if (res.ok) { visit = v; photo = ref; break; }
    }
    if (visit) break;
  }
  assert.ok(visit, 'an approved visit with a stored photo');
  const doc = (await qa(`/api/v1/checklists/${visit.checklist.key}/versions/${visit.checklist.version}`)).document;
  const item = doc.sections.flatMap((s) => s.items).find((i) => i.type !== 'photo' && i.type !== 'note' && visit.answers[i.key] !== undefined && !i.evidence);
  const admin = await apiAs(server.url, 'admin@demo.sirr');
  const branch = (await admin('/api/v1/branches')).find((b) => b.id === visit.branch_id);
  // No service worker: the visit's answer is rewritten below by the page's own request routing.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ar-SA', serviceWorkers: 'block' });
  context.setDefaultTimeout(60000);
  const page = await context.newPage();
  await signIn(page, server.url, `manager.${branch.code.toLowerCase()}@demo.sirr`);
  await ready(page);
  // Without `evidence` (today's server): the answer is there, with no thumbnail.
  await goto(page, `#/visit-report/${visit.id}`);
  await page.waitForSelector(`#answer-${item.key}`);
  assert.equal(await page.$(`#answer-${item.key} .review-photos`), null);
  // With `evidence` on that item: its thumbnail, loaded, opening full screen.
  await page.route(`**/api/v1/visits/${visit.id}`, async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    await route.fulfill({ response: res, json: { ...body, evidence: { [item.key]: [photo] } } });
  });
  await page.reload();
  await ready(page);
  await page.waitForSelector(`#answer-${item.key} .review-photos img`);
  await until(page, (k) => [...document.querySelectorAll(`#answer-${k} .review-photos img`)].some((i) => i.complete && i.naturalWidth > 0), item.key);
  await page.click(`#answer-${item.key} .review-photos .thumb-btn`);
  await page.waitForSelector('dialog.viewer[open] img');
  await context.close();
});

/** A QA access token, for fetching attachments from node. */
async function qaToken() {
  const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'qa@demo.sirr', password: 'demo-password' }) });
  return (await res.json()).access_token;
}

/** A branch of the regional manager's with a failed critical item in its default period (from the API). */
async function criticalFailure(mgr) {
  const docs = new Map();
  const doc = async (c) => {
    const k = `${c.key}@${c.version}`;
    if (!docs.has(k)) docs.set(k, (await mgr(`/api/v1/checklists/${c.key}/versions/${c.version}`)).document);
    return docs.get(k);
  };
  for (const branch of await mgr('/api/v1/branches')) {
    const period = (await mgr(`/api/v1/scores/branches/${branch.id}`)).default_period;
    if (!period) continue;
    const overturned = new Set((await mgr(`/api/v1/disputes?branch_id=${branch.id}`)).filter((x) => x.status === 'overturned').map((x) => `${x.visit_id}/${x.item_key}`));
    for (const v of await mgr(`/api/v1/branches/${branch.id}/visits?period=${period}`)) {
      for (const s of (await doc(v.checklist)).sections) {
        const item = s.items.find((i) => i.critical && i.type === 'yes_no' && v.answers[i.key] === 'no' && !overturned.has(`${v.id}/${i.key}`));
        if (item) return { branch, period, visit: v, item };
      }
    }
  }
  return null;
}

test('critical failures come first, in their own group, with the badge on the dashboard and the visit; a failed item opens the visit at that item; the title wraps (Arabic, phone; issue 14w)', async () => {
  const mgr = await apiAs(server.url, REGIONAL);
  const found = await criticalFailure(mgr);
  assert.ok(found, 'the demo has a failed critical item in some branch');
  const { branch, period, visit, item } = found;
  const context = await phone(browser, { locale: 'ar-SA' });
  const page = await context.newPage();
  await signIn(page, server.url, REGIONAL);
  await goto(page, `#/dashboard/${branch.id}?period=${period}`);
  // Critical groups first, in their own group (never under "more items"), each with the badge.
  const order = await page.$$eval('#failed details.failed-group', (ds) => ds.map((d) => ({ key: d.dataset.key, critical: d.dataset.critical === 'true', more: !!d.closest('.more-groups'), inOwn: !!d.closest('#critical-failed') })));
  const mine = order.find((g) => g.key === item.key);
  assert.ok(mine, `${item.key} is among the failed items`);
  assert.ok(mine.critical && mine.inOwn && !mine.more, JSON.stringify(mine));
  const firstOrdinary = order.findIndex((g) => !g.critical);
  const lastCritical = order.map((g) => g.critical).lastIndexOf(true);
  assert.ok(firstOrdinary === -1 || lastCritical < firstOrdinary, 'every critical group comes before the others');
  assert.match(await page.textContent('#critical-failed > h3'), /حرجة/);
  assert.equal((await page.textContent(`#item-group-${item.key} summary .pill.critical`)).trim(), 'حرج');
  // "Open the visit" lands on the item, not at the top of the page.
  await page.click(`#item-group-${item.key} summary`);
  await page.click(`#item-group-${item.key} a[href^="#/visit-report/${visit.id}"]`);
  await ready(page);
  assert.match(await page.evaluate(() => location.hash), new RegExp(`item=${item.key}`));
  await until(page, (k) => document.activeElement?.dataset?.targetItem === k, item.key);
  const box = await page.$eval(`[data-target-item="${item.key}"]`, (el) => { const r = el.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; });
  assert.ok(box.top >= 0 && box.top < 844, `the item is on screen (${box.top})`);
  assert.equal((await page.textContent(`[data-target-item="${item.key}"] .pill.critical`)).trim(), 'حرج');
  assert.ok(await page.$(`#critical-failed a[href*="item=${item.key}"]`), 'the visit names its failed critical items first');
  // The page says which branch and when, and the title is not cut off.
  const title = await page.$eval('.bar h1', (el) => ({ text: el.textContent, cut: el.scrollWidth > el.clientWidth + 1 || getComputedStyle(el).textOverflow === 'ellipsis' }));
  assert.ok(title.text.includes(branch.code), title.text);
  assert.equal(title.cut, false, 'the title wraps instead of ending in "…"');
  assert.ok((await page.textContent('#visit-facts')).includes(branch.code));
  await context.close();
});

for (const [locale, language] of [['en-US', 'en'], ['ar-SA', 'ar']]) {
  test(`an open action past its due date says it is overdue, in words; a required field empty says so in the page's language (${language}; issue 14w)`, async () => {
    const mgr = await apiAs(server.url, BRANCH);
    const [branch] = await mgr('/api/v1/branches');
    const context = await phone(browser, { locale });
    const page = await context.newPage();
    await signIn(page, server.url, BRANCH);
    await ready(page);
    const period = await page.$eval('#period', (s) => s.value);
    const day = (n) => page.evaluate((d) => { const x = new Date(); x.setDate(x.getDate() - d); return `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}-${String(x.getDate()).padStart(2, '0')}`; }, n);
    const late = await mgr(`/api/v1/branches/${branch.id}/actions`, { method: 'POST', body: JSON.stringify({ period, action: `late ${language}`, owner: 'x', due_on: await day(7) }) });
    const lateDone = await mgr(`/api/v1/branches/${branch.id}/actions`, { method: 'POST', body: JSON.stringify({ period, action: `late done ${language}`, owner: 'x', due_on: await day(7) }) });
    await mgr(`/api/v1/actions/${lateDone.id}`, { method: 'PATCH', body: JSON.stringify({ status: 'done' }) });
    const future = await mgr(`/api/v1/branches/${branch.id}/actions`, { method: 'POST', body: JSON.stringify({ period, action: `future ${language}`, owner: 'x', due_on: await day(-7) }) });
    await page.reload();
    await ready(page);
    assert.equal(await page.getAttribute(`#actions tr[data-id="${late.id}"]`, 'data-overdue'), 'true');
    assert.match(await page.textContent(`#actions tr[data-id="${late.id}"] .pill.overdue`), language === 'ar' ? /متأخر ٧ أيام/ : /Overdue by 7 days/);
    assert.equal(await page.$(`#actions tr[data-id="${lateDone.id}"] .pill.overdue`), null, 'done is never overdue');
    assert.equal(await page.$(`#actions tr[data-id="${future.id}"] .pill.overdue`), null, 'not yet due');
    // An empty required field: the app's own message in the page's language, not the browser's bubble.
    await page.click('#add-action summary');
    await page.click('#add-action-form button[type=submit]');
    await page.waitForSelector('#new-action-err');
    assert.equal(await page.$eval('#add-action-form', (f) => f.noValidate), true);
    assert.match(await page.textContent('#new-action-err'), language === 'ar' ? /املأ هذا الحقل/ : /Fill in this field/);
    assert.equal(await page.getAttribute('#new-action', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'new-action');
    await page.fill('#new-action', 'x');
    assert.equal(await page.$('#new-action-err'), null, 'the message goes once the field is filled');
    await context.close();
  });
}

test('typed work survives an expired session: the same manager signs in again and finds the action text; another user never sees it (Arabic, desktop; issue 14w)', async () => {
  const context = await desktop('ar-SA');
  const page = await context.newPage();
  await signIn(page, server.url, BRANCH);
  await ready(page);
  const route = await page.evaluate(() => location.hash);
  await page.click('#add-action summary');
  const text = 'إعادة تدريب الصرافين على الترحيب';
  await page.fill('#new-action', text);
  await page.fill('#new-owner', 'مدير الفرع');
  await page.fill('#new-due', '2026-12-31');
  // The session ends behind the page's back: both tokens are refused.
  await page.evaluate(() => localStorage.setItem('sirr.tokens', JSON.stringify({ access: 'expired', refresh: 'expired' })));
  await page.click('#add-action-form button[type=submit]');
  await page.waitForSelector('#password');
  await page.fill('#password', 'demo-password');
  await page.click('button[type=submit]');
  await page.waitForFunction((r) => location.hash === r && document.body.dataset.route === r && !document.getElementById('loading'), route);
  await page.waitForSelector('#form-restored');
  assert.equal(await page.inputValue('#new-action'), text);
  assert.equal(await page.inputValue('#new-owner'), 'مدير الفرع');
  assert.equal(await page.inputValue('#new-due'), '2026-12-31');
  assert.equal(await page.$eval('#add-action', (d) => d.open), true, 'the form is open again');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('sirr.stash')), null, 'given back once');
  // Typed again, the session ends again, and someone else signs in: it is gone.
  await page.fill('#new-action', 'سر لا يراه غيري');
  await page.evaluate(() => localStorage.setItem('sirr.tokens', JSON.stringify({ access: 'expired', refresh: 'expired' })));
  await page.click('#add-action-form button[type=submit]');
  await page.waitForSelector('#password');
  assert.ok(await page.evaluate(() => sessionStorage.getItem('sirr.stash')));
  await page.fill('#email', REGIONAL);
  await page.fill('#password', 'demo-password');
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.body.dataset.route && document.body.dataset.route !== '#/login' && !document.getElementById('loading'));
  assert.equal(await page.evaluate(() => sessionStorage.getItem('sirr.stash')), null);
  assert.ok(!(await page.textContent('body')).includes('سر لا يراه غيري'));
  await context.close();
});
