// QA plans a campaign and follows it to completion from the browser (issue 19), at 1280×800
// against `sirr serve --demo`: sets the rotation rule and bars a shopper from a branch; plans a
// campaign for one whole region with two scenarios whose briefs are written in Arabic and
// English; runs the assignment and reads what it did; a shopper sees their brief in Arabic; a
// single assignment (first refused by the bar, in words) and a reassignment are made; the
// shopper submits, QA approves; at each step the progress board shows what the API stores, and
// the visits whose window has ended are highlighted as overdue. Screenshots in both languages go
// to target/screenshots/campaigns-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { apiAs, fillToReview, jpeg, launch, phone, PASSWORD, ROOT, settled, signIn, startServer } from './lib.mjs';

const require = createRequire(import.meta.url);
const DESKTOP = { width: 1280, height: 800 };
const SHOTS = resolve(ROOT, process.env.CARGO_TARGET_DIR || 'target', 'screenshots');
const QA = 'qa@demo.sirr';
const SCENARIOS = [
  { code: 'student-card', en: 'Ask about a credit card for a student; say you have no salary transfer.', ar: 'اسأل عن بطاقة ائتمان لطالب، وقل إنه ليس لديك تحويل راتب.' },
  { code: 'lost-card', en: 'Report a lost debit card and ask how soon a new one arrives.', ar: 'أبلغ عن فقدان بطاقة الخصم واسأل متى تصل البطاقة الجديدة.' },
];
let server;
let browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function desktop(lang, { axe = false } = {}) {
  // bypassCSP only where axe-core is injected (an inline script).
  const context = await browser.newContext({ viewport: DESKTOP, locale: lang === 'ar' ? 'ar-SA' : 'en-US', bypassCSP: axe });
  context.setDefaultTimeout(60000);
  context.setDefaultNavigationTimeout(90000);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(server.url, { waitUntil: 'domcontentloaded' });
  await page.evaluate((l) => localStorage.setItem('sirr.lang', l), lang);
  await signIn(page, server.url, QA);
  return { context, page };
}

async function go(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.waitForFunction((h) => document.body.dataset.route === h && location.hash === h, hash);
}

/** The board counted again (the page stays where it is). */
async function recount(page) {
  const before = await page.getAttribute('#board', 'data-as-of');
  await page.click('#board-refresh');
  await page.waitForFunction((b) => document.querySelector('#board')?.dataset.asOf !== b, before);
}

/** After an action that reloads the screen: wait for the status line it leaves. */
const said = (page) => page.waitForSelector('#planning-status');

const day = (offset) => new Date(Date.now() + offset * 86400e3).toISOString().slice(0, 10);

/** The campaign's assignments counted as the board counts them, from the API's own list. */
function expectedBoard(list) {
  const now = Date.now();
  const totals = { counts: {}, overdue: 0 };
  const branches = {};
  for (const a of list) {
    const b = (branches[a.branch.code] ??= { counts: {}, overdue: 0 });
    for (const line of [totals, b]) {
      line.counts[a.status] = (line.counts[a.status] || 0) + 1;
      if (['offered', 'accepted'].includes(a.status) && new Date(a.window.end).getTime() < now) line.overdue += 1;
    }
  }
  return { totals, branches };
}

/** The board as the page shows it: each branch line's numbers by status, and which are highlighted. */
async function boardOnScreen(page) {
  return page.$eval('#board', (board) => {
    const digits = (s) => Number(s.replace(/[٠-٩]/g, (d) => '٠١٢٣٤٥٦٧٨٩'.indexOf(d)).replace(/[^0-9]/g, '') || 0);
    const line = (tr) => {
      const counts = {};
      let overdue = 0;
      for (const td of tr.querySelectorAll('td[data-status]')) {
        const n = digits(td.textContent);
        if (td.dataset.status === 'overdue') overdue = n; else if (n) counts[td.dataset.status] = n;
      }
      return { counts, overdue, highlighted: tr.classList.contains('overdue') };
    };
    const totals = { counts: {}, overdue: 0 };
    for (const li of board.querySelectorAll('#board-totals li')) {
      const n = digits(li.textContent.split(':').pop());
      if (li.dataset.status === 'overdue') totals.overdue = n; else if (n) totals.counts[li.dataset.status] = n;
    }
    const branches = {};
    for (const tr of board.querySelectorAll('#board-branches tbody tr')) branches[tr.dataset.key] = line(tr);
    return { totals, branches };
  });
}

async function assertBoardMatches(page, qa, campaignId, step) {
  await page.waitForSelector('#board');
  const list = await qa(`/api/v1/assignments?campaign_id=${campaignId}`);
  const want = expectedBoard(list);
  const got = await boardOnScreen(page);
  assert.deepEqual(got.totals, want.totals, `${step}: totals`);
  for (const [code, line] of Object.entries(got.branches)) {
    const w = want.branches[code] || { counts: {}, overdue: 0 };
    assert.deepEqual(line.counts, w.counts, `${step}: ${code}`);
    assert.equal(line.overdue, w.overdue, `${step}: ${code} overdue`);
    assert.equal(line.highlighted, w.overdue > 0, `${step}: ${code} highlighted when overdue`);
  }
  // The server's own board says the same.
  const p = await qa(`/api/v1/campaigns/${campaignId}/progress`);
  assert.deepEqual({ counts: p.totals.counts, overdue: p.totals.overdue }, want.totals, `${step}: progress endpoint`);
  return list;
}

test('QA plans a campaign and follows it to completion', async () => {
  const qa = await apiAs(server.url, QA);
  const admin = await apiAs(server.url, 'admin@demo.sirr');
  const users = await admin('/api/v1/users?role=shopper');
  const emailOf = new Map((users.items || users).map((u) => [u.id, u.email]));
  const regions = await qa('/api/v1/regions');
  const branches = await qa('/api/v1/branches');
  const region = regions[0];
  const inRegion = branches.filter((b) => b.region_id === region.id).sort((a, b) => a.code.localeCompare(b.code));
  assert.ok(inRegion.length >= 2);
  const shoppers = await qa('/api/v1/shoppers');
  const barred = shoppers[0];
  const barredBranch = inRegion[0];

  const { context, page } = await desktop('en');
  // 1. Rotation rule and a bar, read back from the API.
  await go(page, '#/qa/rotation');
  await page.fill('#revisit-days', '0');
  await page.click('#rotation-form button[type=submit]');
  await page.waitForSelector('#rotation-form .msg.ok');
  assert.deepEqual(await qa('/api/v1/rotation'), { revisit_days: 0 });
  await page.selectOption('#bar-shopper', barred.id);
  await page.waitForSelector('#bar-form');
  await page.selectOption('#bar-branch', barredBranch.id);
  await page.fill('#bar-reason', 'Her brother is the branch manager');
  await page.click('#bar-form button[type=submit]');
  await said(page);
  const bars = await qa(`/api/v1/shoppers/${barred.id}/bars`);
  assert.deepEqual(bars.map((b) => [b.branch_id, b.reason]), [[barredBranch.id, 'Her brother is the branch manager']]);
  assert.equal(await page.textContent(`#bar-list tr[data-branch="${barredBranch.code}"] td:nth-child(2)`), 'Her brother is the branch manager');

  // 2. A new campaign: one whole region, two scenarios with both briefs. Its first window has
  // ended, so what is not submitted in it is overdue.
  await go(page, '#/qa/campaigns/new');
  const name = `Q1 ${region.code} wave`;
  await page.fill('#c-name', name);
  const option = await page.$eval('#c-checklist', (s) => [...s.options].find((o) => o.value.startsWith('bank-branch-visit@')).value);
  await page.selectOption('#c-checklist', option);
  await page.fill('#c-start', day(-20));
  await page.fill('#c-end', day(9));
  await page.fill('#c-per', '2');
  for (const s of SCENARIOS) {
    await page.click('#add-scenario');
    const row = page.locator('fieldset.scenario').last();
    await row.locator('.sc-code').fill(s.code);
    await row.locator('.sc-ar').fill(s.ar);
    await row.locator('.sc-en').fill(s.en);
  }
  // The whole region in one tick; the count says how many.
  await page.check(`fieldset.region-group[data-region="${region.code}"] input.whole-region`);
  assert.match(await page.textContent('#branch-count'), new RegExp(`^${inRegion.length} branches selected$`));
  await page.screenshot({ path: join(SHOTS, 'campaigns-new-en.png'), fullPage: true });
  await page.click('#create-campaign');
  await page.waitForSelector('#assign-result');
  const campaigns = await qa('/api/v1/campaigns');
  const campaign = campaigns.find((c) => c.name === name);
  assert.ok(campaign, 'the campaign is stored');
  // Stored as entered.
  assert.deepEqual(campaign.checklist, { key: 'bank-branch-visit', version: Number(option.split('@')[1]) });
  assert.equal(campaign.starts_on, day(-20));
  assert.equal(campaign.ends_on, day(9));
  assert.equal(campaign.visits_per_branch, 2);
  assert.deepEqual([...campaign.branch_ids].sort(), inRegion.map((b) => b.id).sort());
  assert.deepEqual(campaign.scenarios, SCENARIOS.map((s) => s.code));
  assert.deepEqual(campaign.scenario_briefs, Object.fromEntries(SCENARIOS.map((s) => [s.code, { en: s.en, ar: s.ar }])));
  let list = await qa(`/api/v1/assignments?campaign_id=${campaign.id}`);
  assert.equal(await page.textContent('#assigned-count'), `${list.length} visits assigned`);
  assert.ok(list.length > 0);
  assert.ok(!list.some((a) => a.shopper.id === barred.id && a.branch.id === barredBranch.id), 'the bar holds');

  // 3. The board: counts as stored, the first window's visits overdue and highlighted.
  await page.click('#open-board');
  await page.waitForSelector('#board');
  list = await assertBoardMatches(page, qa, campaign.id, 'after assignment');
  assert.ok(await page.$('#board-branches tr.overdue'), 'an overdue line is highlighted');
  assert.ok(await page.$('#campaign-assignments tr.overdue .pill.overdue'), 'an overdue assignment is marked');
  await page.screenshot({ path: join(SHOTS, 'campaigns-board-en.png'), fullPage: true });

  // 4. A shopper whose window is open now reads the brief in Arabic.
  const now = Date.now();
  const current = list.find((a) => new Date(a.window.start).getTime() <= now && now < new Date(a.window.end).getTime());
  assert.ok(current, 'a visit is due now');
  const brief = SCENARIOS.find((s) => s.code === current.scenario);
  const email = emailOf.get(current.shopper.id);
  const sc = await phone(browser, { locale: 'ar-SA' });
  const sp = await sc.newPage();
  await sp.goto(server.url, { waitUntil: 'domcontentloaded' });
  await sp.evaluate(() => localStorage.setItem('sirr.lang', 'ar'));
  await signIn(sp, server.url, email);
  await sp.goto(`${server.url}/#/assignments`);
  await settled(sp);
  const card = `li.assignment[data-id="${current.id}"]`;
  await sp.waitForSelector(card);
  assert.equal(await sp.textContent(`${card} .scenario-brief`), brief.ar);
  await sp.screenshot({ path: join(SHOTS, 'campaigns-shopper-brief-ar.png') });

  // 5. A single assignment: the barred shopper is refused in words, another is assigned.
  const target = inRegion[0];
  await page.selectOption('#sa-branch', target.id);
  await page.selectOption('#sa-shopper', barred.id);
  await page.selectOption('#sa-scenario', SCENARIOS[1].code);
  await page.click('#single-assignment button[type=submit]');
  await page.waitForSelector('#single-assignment .field-error.server-error');
  assert.match(await page.textContent('#single-assignment'), /Her brother is the branch manager/);
  const other = shoppers.find((s) => s.id !== barred.id && s.id !== current.shopper.id);
  await page.selectOption('#sa-shopper', other.id);
  await page.click('#single-assignment button[type=submit]');
  await said(page);
  let after = await qa(`/api/v1/assignments?campaign_id=${campaign.id}`);
  const single = after.find((a) => !list.some((b) => b.id === a.id));
  assert.ok(single, 'the single assignment is stored');
  assert.equal(single.shopper.id, other.id);
  assert.equal(single.branch.id, target.id);
  assert.equal(single.scenario, SCENARIOS[1].code);
  assert.deepEqual(single.scenario_brief, { en: SCENARIOS[1].en, ar: SCENARIOS[1].ar });
  await assertBoardMatches(page, qa, campaign.id, 'after a single assignment');

  // 6. Reassign it to a third shopper: the old one cancelled, the new one offered.
  const third = shoppers.find((s) => ![barred.id, other.id].includes(s.id));
  await page.selectOption(`#re-${single.id}`, third.id);
  await page.click(`#campaign-assignments tr[data-id="${single.id}"] button.reassign`);
  await said(page);
  after = await qa(`/api/v1/assignments?campaign_id=${campaign.id}`);
  assert.equal(after.find((a) => a.id === single.id).status, 'cancelled');
  const moved = after.find((a) => a.branch.id === target.id && a.shopper.id === third.id && a.status === 'offered' && a.scenario === SCENARIOS[1].code && a.window.start === single.window.start);
  assert.ok(moved, 'the visit is offered to the third shopper');
  await assertBoardMatches(page, qa, campaign.id, 'after a reassignment');

  // 7. The shopper accepts by starting, submits; QA approves.
  await sp.goto(`${server.url}/#/visit/${current.id}/0`);
  await settled(sp);
  assert.equal(await sp.textContent('.scenario-brief'), `الموجز: ${brief.ar}`);
  await sp.click('main button.btn.big');
  await sp.waitForSelector('.checklist');
  await fillToReview(sp, await jpeg(sp));
  await sp.click('.review button.btn.big');
  await sp.waitForSelector('#visit-sent', { timeout: 60000 });
  await recount(page);
  await assertBoardMatches(page, qa, campaign.id, 'after submission');
  assert.equal(await page.textContent(`#campaign-assignments tr[data-id="${current.id}"] .pill`), 'Submitted');
  const visit = (await qa(`/api/v1/assignments/${current.id}`)).visit;
  await go(page, `#/qa/review/${visit.id}`);
  await page.click('#approve');
  await page.waitForFunction(() => location.hash === '#/qa/reviews');
  await go(page, `#/qa/campaigns/${campaign.id}`);
  await assertBoardMatches(page, qa, campaign.id, 'after approval');
  const approved = await boardOnScreen(page);
  assert.equal(approved.totals.counts.approved, 1);
  assert.equal(approved.branches[current.branch.code].counts.approved, 1);

  // 8. The same board in Arabic, right to left.
  const ar = await desktop('ar');
  await go(ar.page, `#/qa/campaigns/${campaign.id}`);
  await ar.page.waitForSelector('#board');
  assert.equal(await ar.page.getAttribute('html', 'dir'), 'rtl');
  await assertBoardMatches(ar.page, qa, campaign.id, 'in Arabic');
  assert.match(await ar.page.textContent('#board h2'), /التقدم/);
  await ar.page.screenshot({ path: join(SHOTS, 'campaigns-board-ar.png'), fullPage: true });
  await go(ar.page, '#/qa/campaigns/new');
  await ar.page.click('#add-scenario');
  await ar.page.screenshot({ path: join(SHOTS, 'campaigns-new-ar.png'), fullPage: true });
  await go(ar.page, `#/qa/rotation/${barred.id}`);
  await ar.page.waitForSelector('#bar-list');
  await ar.page.screenshot({ path: join(SHOTS, 'campaigns-rotation-ar.png'), fullPage: true });
  // The new-campaign form refuses in Arabic, beside the field: a brief in one language only.
  await go(ar.page, '#/qa/campaigns/new');
  await ar.page.fill('#c-name', 'حملة ناقصة');
  await ar.page.fill('#c-start', day(1));
  await ar.page.fill('#c-end', day(5));
  await ar.page.click('#add-scenario');
  await ar.page.locator('.sc-code').fill('walk-in');
  await ar.page.locator('.sc-en').fill('Walk in and ask for the branch manager.');
  await ar.page.check(`fieldset.region-group[data-region="${region.code}"] input.whole-region`);
  await ar.page.click('#create-campaign');
  await ar.page.waitForSelector('.sc-ar[aria-invalid="true"]');
  assert.match(await ar.page.textContent('.scenario .server-error'), /اكتب الموجز بالعربية والإنجليزية/);
  await ar.page.screenshot({ path: join(SHOTS, 'campaigns-refused-ar.png'), fullPage: true });
  assert.equal((await qa('/api/v1/campaigns')).filter((c) => c.name === 'حملة ناقصة').length, 0);
  await ar.context.close();
  await sc.close();
  await context.close();
  void PASSWORD;
});

/** A campaign planned through the API: one branch, `per` visits, assigned across the shoppers. */
async function plannedCampaign(qa, name, per) {
  const [branch] = await qa('/api/v1/branches');
  const list = await qa('/api/v1/checklists');
  const bank = list.find((c) => c.key === 'bank-branch-visit');
  const version = Math.max(...bank.versions.filter((v) => v.status === 'published').map((v) => v.version));
  const campaign = await qa('/api/v1/campaigns', { method: 'POST', body: JSON.stringify({ name, checklist: { key: bank.key, version }, starts_on: day(30), ends_on: day(60), branch_ids: [branch.id], visits_per_branch: per, scenarios: [] }) });
  const run = await qa(`/api/v1/campaigns/${campaign.id}/assignments`, { method: 'POST', body: '{}' });
  return { campaign, run };
}

test('a withdrawn visit is offered again by "Assign the open visit", and assigning never doubles a campaign', async () => {
  const qa = await apiAs(server.url, QA);
  const { campaign, run } = await plannedCampaign(qa, 'Refill wave', 3);
  assert.equal(run.created.length, 3);
  const { context, page } = await desktop('en');
  await go(page, `#/qa/campaigns/${campaign.id}`);
  await page.waitForSelector('#board');
  assert.equal(await page.$('#assign-all'), null, 'every visit is held: nothing to assign');
  await qa(`/api/v1/assignments/${run.created[1]}`, { method: 'DELETE' });
  await page.reload();
  await page.waitForSelector('#assign-all');
  assert.equal(await page.textContent('#assign-all'), 'Assign the 1 open visit');
  await page.click('#assign-all');
  await said(page);
  const list = await qa(`/api/v1/assignments?campaign_id=${campaign.id}`);
  const held = list.filter((a) => !['declined', 'cancelled'].includes(a.status));
  assert.equal(held.length, 3, 'three visits held again, not four');
  assert.equal(list.length, 4, 'the withdrawn one stays on record');
  assert.deepEqual(new Set(held.map((a) => a.window.start)).size, 3, 'one assignment per window');
  await page.waitForSelector('#board');
  assert.equal(await page.$('#assign-all'), null);
  // The Arabic wording of the same offer.
  await qa(`/api/v1/assignments/${held[0].id}`, { method: 'DELETE' });
  await qa(`/api/v1/assignments/${held[1].id}`, { method: 'DELETE' });
  const ar = await desktop('ar');
  await go(ar.page, `#/qa/campaigns/${campaign.id}`);
  await ar.page.waitForSelector('#assign-all');
  assert.equal(await ar.page.textContent('#assign-all'), 'أسند الزيارتين المفتوحتين');
  await ar.context.close();
  await context.close();
});

test('the campaign screens have no serious or critical accessibility violations in Arabic or English (axe-core)', async () => {
  const qa = await apiAs(server.url, QA);
  const { campaign } = await plannedCampaign(qa, 'Axe wave', 1);
  const [shopper] = await qa('/api/v1/shoppers');
  const failures = [];
  for (const lang of ['ar', 'en']) {
    const { context, page } = await desktop(lang, { axe: true });
    for (const hash of ['#/qa/campaigns', '#/qa/campaigns/new', `#/qa/campaigns/${campaign.id}`, '#/qa/rotation', `#/qa/rotation/${shopper.id}`]) {
      await go(page, hash);
      await settled(page);
      await page.addScriptTag({ path: require.resolve('axe-core') });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      for (const v of result.violations.filter((x) => ['serious', 'critical'].includes(x.impact))) {
        failures.push(`${lang} ${hash}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      }
    }
    await context.close();
  }
  assert.deepEqual(failures, []);
});
