// The shopper's journeys on a 390×844 phone, as a person does them, and what the server stored
// compared with what was entered, item by item (issue 13). The answers come from a seeded random
// walk over each example checklist: several ticks in one multi-choice (and an untick), yes
// flipped to no and back, N/A, numbers at their limits, Arabic text, photos taken, replaced and
// removed, a stopwatch, back and forth between sections, a reload in the middle.
//
// Offline is a stopped server or a request aborted at the network layer (SPEC §9.26).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, jpeg, launch, PHONE, settled, signIn, startServer, until } from './lib.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const TZ = 'Asia/Riyadh';
const OFFSET = '+03:00';

// Tests that cut requests with page.route block the service worker: Playwright cannot intercept
// what a service worker fetches (its documentation says as much).
async function shopperPhone({ lang = 'ar', routes = false } = {}) {
  const context = await browser.newContext({
    viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: lang === 'ar' ? 'ar-SA' : 'en-US', timezoneId: TZ, serviceWorkers: routes ? 'block' : 'allow',
  });
  context.setDefaultTimeout(60000);
  context.setDefaultNavigationTimeout(90000);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  if (process.env.E2E_DEBUG) {
    page.on('console', (m) => console.error('console:', m.type(), m.text()));
    page.on('response', (r) => {
      if (r.url().includes('/api/v1/') && r.request().method() !== 'GET') console.error('api:', r.request().method(), r.url().replace(/^.*\/api/, ''), r.status());
    });
  }
  return { context, page };
}

// ---- the server's side (behind the page's back) ----

const admin = () => apiAs(server.url, 'admin@demo.sirr');
const qaApi = () => apiAs(server.url, 'qa@demo.sirr');

/** A fresh assignment of `checklistKey` for a demo shopper, open now. */
async function assign(email, checklistKey, branchIndex = 0) {
  const a = await admin();
  const users = await a('/api/v1/users');
  const shopper = (users.items || users).find((u) => u.email === email);
  const branches = await a('/api/v1/branches');
  const qa = await qaApi();
  const start = new Date(Date.now() - 3600e3).toISOString();
  const end = new Date(Date.now() + 7 * 86400e3).toISOString();
  const created = await qa('/api/v1/assignments', {
    method: 'POST',
    body: JSON.stringify({
      shopper_id: shopper.id, branch_id: branches[branchIndex].id, checklist: { key: checklistKey, version: 1 },
      window_start: start, window_end: end,
    }),
  });
  return created.id;
}

async function checklistDoc(key) {
  const qa = await qaApi();
  return (await qa(`/api/v1/checklists/${key}/versions/1`)).document;
}

/** Visits stored for an assignment (any status), read as QA. */
async function visitsOf(assignmentId) {
  const qa = await qaApi();
  const a = await qa(`/api/v1/assignments/${assignmentId}`);
  if (!a.visit || a.visit.status === 'draft') return [];
  return [await qa(`/api/v1/visits/${a.visit.id}`)];
}

// ---- a seeded random shopper ----

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ARABIC = [
  'استقبلني الموظف بابتسامة وشرح الخطوات بوضوح.',
  'كان الانتظار طويلاً لأن نافذتين كانتا مغلقتين وقت الظهر.',
  'لم يُذكر رسم الخدمة إلا بعد أن سألت عنه (١٥ ريالاً).',
  'المكان نظيف، لكن لوحة المواعيد غير محدثة.',
];

function itemsOf(doc) {
  return new Map(doc.sections.flatMap((s) => s.items.map((i) => [i.key, i])));
}

/** Integer bounds a number/duration answer may take (the last band without `max` or `max`). */
function bounds(item) {
  const lo = item.min ?? 0;
  let hi = item.max ?? 100;
  if (item.bands && item.bands.every((b) => b.max !== undefined && b.max !== null)) hi = Math.min(hi, item.bands.at(-1).max);
  return [lo, hi];
}

class Shopper {
  constructor(page, doc, seed, photo) {
    this.page = page;
    this.doc = doc;
    this.items = itemsOf(doc);
    this.r = rng(seed);
    this.photo = photo;
    /** What the shopper meant: item key → answer (photos: their count). */
    this.intended = {};
    this.comments = {};
  }

  pick(list) { return list[Math.floor(this.r() * list.length)]; }

  card(key) { return `.item[data-key="${key}"]`; }

  async tick(key, value) { await this.page.check(`${this.card(key)} input[value="${value}"]`); }

  async answer(key) {
    const item = this.items.get(key);
    const { page } = this;
    const card = this.card(key);
    const na = item.na_allowed && this.r() < 0.2;
    switch (item.type) {
      case 'yes_no': {
        const v = na ? 'na' : this.pick(['yes', 'no']);
        // Change the answer there and back, as a hesitating shopper does.
        if (this.r() < 0.4) { await this.tick(key, v === 'yes' ? 'no' : 'yes'); }
        await this.tick(key, v);
        this.intended[key] = v;
        break;
      }
      case 'choice': {
        const v = na ? 'na' : this.pick(item.options.map((o) => o.key));
        if (this.r() < 0.3) await this.tick(key, this.pick(item.options.map((o) => o.key)));
        await this.tick(key, v);
        this.intended[key] = v;
        break;
      }
      case 'scale': {
        const lo = item.min ?? 1;
        const hi = item.max ?? 5;
        const v = na ? 'na' : lo + Math.floor(this.r() * (hi - lo + 1));
        await this.tick(key, v);
        this.intended[key] = v;
        break;
      }
      case 'multi_choice': {
        const keys = item.options.map((o) => o.key);
        const n = Math.min(keys.length, 2 + Math.floor(this.r() * 2));
        const chosen = [...keys].sort(() => this.r() - 0.5).slice(0, n);
        // Several ticks, one at a time, and one tick taken back.
        const extra = keys.find((k) => !chosen.includes(k));
        for (const k of chosen) await page.check(`${card} .opts input[value="${k}"]`);
        if (extra && this.r() < 0.5) {
          await page.check(`${card} .opts input[value="${extra}"]`);
          await page.uncheck(`${card} .opts input[value="${extra}"]`);
        }
        this.intended[key] = keys.filter((k) => chosen.includes(k));
        break;
      }
      case 'number': case 'duration': {
        if (na) {
          await page.check(`${card} input[value=na]`);
          // Not applicable: the number box (and a stopwatch) rest until it is unticked.
          assert.equal(await page.isDisabled(`${card} input[type=number]`), true, `${key}: the box rests under N/A`);
          this.intended[key] = 'na';
          break;
        }
        if (item.type === 'duration' && this.r() < 0.25) {
          // The stopwatch: start, wait, stop; the answer is what it measured.
          await page.click(`${card} button.stopwatch`);
          await page.waitForTimeout(1100);
          await page.click(`${card} button.stopwatch`);
          this.intended[key] = Number(await page.inputValue(`${card} input[type=number]`));
          assert.ok(this.intended[key] >= 1, 'the stopwatch measured the wait');
          break;
        }
        const [lo, hi] = bounds(item);
        const roll = this.r();
        const v = roll < 0.15 ? lo : roll < 0.3 ? hi : lo + Math.floor(this.r() * (hi - lo + 1));
        await page.fill(`${card} input[type=number]`, String(v));
        this.intended[key] = v;
        break;
      }
      case 'text': {
        const v = na ? 'na' : `${this.pick(ARABIC)} ${this.r() < 0.3 ? this.pick(ARABIC).repeat(8) : ''}`.trim();
        if (na) { await page.check(`${card} input[value=na]`); } else await page.fill(`${card} textarea.answer`, v);
        this.intended[key] = v;
        break;
      }
      case 'timestamp': {
        const day = 1 + Math.floor(this.r() * 4);
        const local = `2026-12-0${day}T1${day}:${String(Math.floor(this.r() * 60)).padStart(2, '0')}`;
        await page.fill(`${card} input[type=datetime-local]`, local);
        this.intended[key] = `${local}:00${OFFSET}`;
        break;
      }
      case 'photo': {
        // Take one, sometimes a second that is then removed again.
        await this.addPhoto(`${card} > .photo`);
        if (this.r() < 0.5) {
          await this.addPhoto(`${card} > .photo`, 2);
          // Removing asks first: "keep" keeps it, then it goes for real.
          await page.click(`${card} > .photo .thumbs li:last-child button.remove`);
          await page.click('dialog.confirm[open] #confirm-no');
          assert.equal(await page.$$eval(`${card} > .photo .thumbs li`, (l) => l.length), 2, 'kept when the shopper says keep');
          await page.click(`${card} > .photo .thumbs li:last-child button.remove`);
          await page.click('dialog.confirm[open] #confirm-yes');
          await page.waitForFunction((sel) => document.querySelectorAll(`${sel} .thumbs li`).length === 1, `${card} > .photo`);
        }
        this.intended[key] = { photos: 1 };
        break;
      }
      default: throw new Error(`no strategy for ${item.type}`);
    }
    if (item.type !== 'photo' && this.r() < 0.15) {
      const c = this.pick(ARABIC);
      await page.click(`${card} details.comment summary`);
      await page.fill(`${card} textarea[name="c-${key}"]`, c);
      this.comments[key] = c;
    }
  }

  async addPhoto(scope, expect = 1) {
    await this.page.setInputFiles(`${scope} input[type=file]`, this.photo);
    await this.page.waitForFunction(([sel, n]) => document.querySelectorAll(`${sel} .thumbs li`).length >= n, [scope, expect]);
  }

  /** Answers every shown item of the section on the screen (new ones may appear as it goes). */
  async fillSection() {
    for (let round = 0; round < 80; round++) {
      const shown = await this.page.$$eval('.checklist .item:not([hidden]):not(.note)', (cards) => cards.map((c) => ({
        key: c.dataset.key,
        needsEvidence: !!c.querySelector('.evidence:not([hidden])') && !c.querySelector('.evidence .thumbs li'),
      })));
      const next = shown.find((x) => !(x.key in this.intended));
      if (next) { await this.answer(next.key); continue; }
      const evidence = shown.find((x) => x.needsEvidence);
      if (evidence) { await this.addPhoto(`${this.card(evidence.key)} .evidence`); continue; }
      return;
    }
    throw new Error('the section never got complete');
  }

  /** Every section to the review screen: back and forth once, a reload in the middle. */
  async fillToReview(id) {
    const last = this.doc.sections.length - 1;
    for (let si = 0; si <= last; si++) {
      await this.fillSection();
      if (si === 1) {
        // Back, then forward again: nothing may change.
        await this.page.click('nav.steps a.btn.secondary');
        await settled(this.page);
        await this.page.click('nav.steps a.btn:not(.secondary)');
        await settled(this.page);
        await this.fillSection();
      }
      if (si === Math.floor(last / 2)) {
        // Reload once the status says the last answer is on the device, as a shopper would.
        await this.page.waitForTimeout(300);
        await this.page.waitForFunction(() => document.querySelector('#sync-badge')?.dataset.draft === 'saved');
        await this.page.reload();
        await settled(this.page);
        await this.page.waitForSelector('.checklist .item', { state: 'attached' });
        await this.checkScreenMatches();
      }
      await this.page.click('nav.steps a.btn:not(.secondary)');
      await settled(this.page);
    }
    await this.page.waitForSelector('.review');
    assert.ok(await this.page.$('.review .msg.ok'), `nothing missing on the review screen of ${id}`);
  }

  /** Every section from `from` to the review screen, straight through. */
  async fillToReviewFrom(from) {
    for (let si = from; si < this.doc.sections.length; si++) {
      await this.fillSection();
      await this.page.click('nav.steps a.btn:not(.secondary)');
      await settled(this.page);
    }
    await this.page.waitForSelector('.review');
  }

  /** The controls on the screen show what was entered (after a reload, say). */
  async checkScreenMatches() {
    const screen = await this.page.$$eval('.checklist .item:not(.note)', (cards) => cards.map((c) => ({
      key: c.dataset.key,
      ticked: [...c.querySelectorAll(':scope > .opts input:checked, :scope > .opts-na input:checked')].map((i) => i.value),
    })));
    for (const { key, ticked } of screen) {
      const v = this.intended[key];
      const item = this.items.get(key);
      if (v === undefined || !['yes_no', 'choice', 'scale', 'multi_choice'].includes(item.type)) continue;
      const want = Array.isArray(v) ? v : [String(v)];
      assert.deepEqual(ticked, want, `the screen shows ${key} as entered`);
    }
  }

  /** Which items are shown at the end (the `hidden` attribute, SPEC §10.28), section by section. */
  async finalVisibility(id) {
    const shown = new Set();
    for (let si = 0; si < this.doc.sections.length; si++) {
      await this.page.goto(`${server.url}/#/visit/${id}/${si}`);
      await settled(this.page);
      await this.page.waitForSelector('.checklist .item', { state: 'attached' });
      for (const k of await this.page.$$eval('.checklist .item:not([hidden])', (c) => c.map((x) => x.dataset.key))) shown.add(k);
    }
    await this.page.goto(`${server.url}/#/visit/${id}/review`);
    await settled(this.page);
    return shown;
  }

  /** What must be stored: the intended answers of the items shown at the end. */
  expected(shown) {
    const answers = {};
    for (const [k, v] of Object.entries(this.intended)) if (shown.has(k)) answers[k] = v;
    const comments = {};
    for (const [k, v] of Object.entries(this.comments)) if (shown.has(k)) comments[k] = v;
    return { answers, comments };
  }
}

/** The stored visit equals what was entered, item by item, and holds nothing for hidden items. */
function assertStored(visit, expected, doc) {
  const items = itemsOf(doc);
  const stored = {};
  for (const [k, v] of Object.entries(visit.answers)) stored[k] = items.get(k)?.type === 'photo' ? { photos: v.length } : v;
  for (const key of new Set([...Object.keys(stored), ...Object.keys(expected.answers)])) {
    assert.deepEqual(stored[key], expected.answers[key], `item ${key}: stored ${JSON.stringify(stored[key])}, entered ${JSON.stringify(expected.answers[key])}`);
  }
  assert.deepEqual(visit.comments, expected.comments, 'comments as entered');
}

async function openVisit(page, id) {
  await page.goto(`${server.url}/#/visit/${id}/0`);
  await settled(page);
  await page.click('#check-in');
  await page.waitForSelector('.checklist');
}

async function waitOutcome(page, id) {
  await page.goto(`${server.url}/#/visit/${id}/0`);
  await settled(page);
  await page.waitForSelector('#visit-sent, #visit-waiting, #visit-gone, #visit-invalid, #visit-failed');
}

const SEEDS = { 'bank-branch-visit': 11, 'government-service-centre-visit': 23, 'retail-store-visit': 37 };

for (const [key, seed] of Object.entries(SEEDS)) {
  test(`${key}: a shopper's random walk over every item type is stored exactly as entered (Arabic)`, async () => {
    const id = await assign('shopper5@demo.sirr', key);
    const doc = await checklistDoc(key);
    const { context, page } = await shopperPhone({ lang: 'ar' });
    await signIn(page, server.url, 'shopper5@demo.sirr');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await openVisit(page, id);
    const shopper = new Shopper(page, doc, seed, await jpeg(page));
    await shopper.fillToReview(id);
    const expected = shopper.expected(await shopper.finalVisibility(id));
    await page.click('#submit-visit');
    await page.waitForSelector('#visit-sent', { timeout: 60000 });
    const [visit, ...more] = await visitsOf(id);
    assert.equal(more.length, 0);
    assert.equal(visit.revision, 1);
    assertStored(visit, expected, doc);
    await context.close();
  });
}

test('multi-choice: every tick is kept, and the follow-up on the first tick appears', async () => {
  const id = await assign('shopper6@demo.sirr', 'bank-branch-visit');
  const { context, page } = await shopperPhone({ lang: 'en' });
  await signIn(page, server.url, 'shopper6@demo.sirr');
  await openVisit(page, id);
  const doc = await checklistDoc('bank-branch-visit');
  // The stopwatch times a duration item: start, wait — a reload meanwhile loses nothing — stop.
  await page.click('#item-greeting_time_s button.stopwatch');
  await page.waitForSelector('#sync-badge[data-draft="saved"]');
  await page.waitForTimeout(1000);
  await page.reload();
  await settled(page);
  await page.waitForSelector('#item-greeting_time_s button.stopwatch[aria-pressed="true"]');
  await page.waitForTimeout(1000);
  await page.click('#item-greeting_time_s button.stopwatch');
  assert.ok(Number(await page.inputValue('#item-greeting_time_s input[type=number]')) >= 2, 'the timing ran on through the reload');
  assert.equal(await page.getAttribute('#item-greeting_time_s button.stopwatch', 'aria-pressed'), 'false');
  const si = doc.sections.findIndex((s) => s.items.some((i) => i.key === 'other_products_mentioned'));
  await page.goto(`${server.url}/#/visit/${id}/${si}`);
  await settled(page);
  const box = (v) => `#item-other_products_mentioned input[value="${v}"]`;
  await page.check(box('insurance'));
  await page.check(box('savings'));
  await page.check(box('mobile_app'));
  await page.waitForSelector('#item-insurance_optional:not([hidden])');
  const draft = () => page.evaluate(async (aid) => {
    const { getItem, own } = (await import('/app/bundle.js')).store;
    const me = JSON.parse(localStorage.getItem('sirr.me'));
    return (await getItem('drafts', own(me.id, aid))).answers.other_products_mentioned;
  }, id);
  assert.deepEqual(await draft(), ['savings', 'insurance', 'mobile_app']);
  await page.uncheck(box('savings'));
  assert.deepEqual(await draft(), ['insurance', 'mobile_app']);
  await page.reload();
  await settled(page);
  assert.deepEqual(await page.$$eval('#item-other_products_mentioned .opts input:checked', (x) => x.map((i) => i.value)), ['insurance', 'mobile_app']);
  assert.equal(await page.$eval('#item-insurance_optional', (c) => c.hidden), false);
  // Clearing the answer hides the follow-up again.
  await page.click('#item-other_products_mentioned .item-tools .clear');
  await page.waitForSelector('#item-insurance_optional[hidden]', { state: 'attached' });
  assert.equal(await draft(), undefined);
  // A number above the checklist's maximum is caught on the phone, before it can be queued.
  await page.goto(`${server.url}/#/visit/${id}/0`);
  await settled(page);
  await page.fill('#item-greeting_time_s input[type=number]', '999999');
  await page.goto(`${server.url}/#/visit/${id}/review`);
  await settled(page);
  assert.match(await page.textContent('.missing a[href*="item=greeting_time_s"] >> xpath=..'), /from 0 to 1,800/);
  assert.equal(await page.$eval('#submit-visit', (b) => b.disabled), true);
  await context.close();
});

test('cold offline start: a visit never opened is filled, queued, reloaded offline and sent once', async () => {
  const id = await assign('shopper7@demo.sirr', 'government-service-centre-visit', 3);
  const doc = await checklistDoc('government-service-centre-visit');
  const { context, page } = await shopperPhone({ lang: 'ar' });
  await signIn(page, server.url, 'shopper7@demo.sirr');
  // Every open assignment becomes ready offline without being opened.
  await page.waitForSelector(`.card[data-id="${id}"][data-ready="true"]`);
  // The others too (each card is marked as its checklist is kept, not all at once: asserting at
  // once failed when a loaded machine kept this one's first).
  await page.waitForFunction(() => document.querySelectorAll('.card.assignment').length > 0 && document.querySelectorAll('.card.assignment[data-ready="false"]').length === 0, null, { timeout: 30000 });
  await page.evaluate(() => navigator.serviceWorker.ready);
  const photo = await jpeg(page);
  const { port, dataDir } = server;
  await server.stop();
  try {
    await page.click(`.card[data-id="${id}"] a.btn`);
    await settled(page);
    // Nothing entered yet: the status claims nothing.
    assert.equal(await page.$eval('#sync-badge', (b) => b.hidden), true, 'no status before anything is saved');
    await page.click('#check-in');
    await page.waitForSelector('.checklist');
    // Filling a new visit offline: the status is about this draft, never "sent".
    const shopper = new Shopper(page, doc, 5, photo);
    await shopper.fillSection();
    await page.waitForSelector('#sync-badge[data-draft="saved"]');
    assert.notEqual(await page.getAttribute('#sync-badge', 'data-state'), 'sent');
    await page.click('nav.steps a.btn:not(.secondary)');
    await settled(page);
    await shopper.fillToReviewFrom(1);
    const expected = shopper.expected(await shopper.finalVisibility(id));
    await page.click('#submit-visit');
    await page.waitForSelector('#visit-waiting');
    await page.waitForSelector('#sync-badge[data-state="waiting"]');
    assert.match(await page.textContent('#sync-badge'), /بانتظار الإرسال/);
    // "Send now" with the server still down says so, in Arabic, rather than nothing.
    await page.click('#send-now');
    await page.waitForSelector('#send-now-outcome .error');
    assert.match(await page.textContent('#send-now-outcome'), /تعذّر الوصول إلى الخادم/);
    await page.reload();
    await page.waitForSelector('#visit-waiting');
    server = await startServer({ port, dataDir });
    await page.waitForSelector('#sync-badge[data-state="sent"]', { timeout: 90000 });
    const visits = await visitsOf(id);
    assert.equal(visits.length, 1, 'exactly one visit');
    assert.equal(visits[0].revision, 1);
    assertStored(visits[0], expected, doc);
  } finally {
    if (server.proc.exitCode !== null) server = await startServer({ port, dataDir });
  }
  await context.close();
});


test('opening the app asks for the open assignments once, before its script has run; an expired token is refreshed', async () => {
  const id = await assign('shopper6@demo.sirr', 'retail-store-visit', 2);
  const { context, page } = await shopperPhone({ lang: 'en' });
  await signIn(page, server.url, 'shopper6@demo.sirr');
  await page.waitForSelector(`.card[data-id="${id}"]`);
  const lists = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/assignments?')) lists.push(r.url().replace(server.url, '')); });
  await page.reload();
  await page.waitForSelector(`.card[data-id="${id}"] a.btn`);
  await settled(page);
  // Only the open work, asked for once: the early request's answer is the one the list shows.
  assert.deepEqual(lists, ['/api/v1/assignments?status=offered,accepted,returned,submitted,rejected']);
  assert.equal(await page.evaluate(() => window.sirrEarly), null, 'the app took the early answer');
  // An access token that expired while the phone was away: the early request gets a 401, the
  // app refreshes the token and asks again, and the list is there.
  await page.evaluate(() => {
    const tokens = JSON.parse(localStorage.getItem('sirr.tokens'));
    localStorage.setItem('sirr.tokens', JSON.stringify({ ...tokens, access: 'expired.token.value' }));
  });
  lists.length = 0;
  await page.reload();
  await page.waitForSelector(`.card[data-id="${id}"] a.btn`);
  assert.equal(lists.length, 2, `the early request and the retry after refreshing: ${lists}`);
  assert.notEqual(JSON.parse(await page.evaluate(() => localStorage.getItem('sirr.tokens'))).access, 'expired.token.value');
  await context.close();
});

test('a shared phone: A\'s queued visit is kept from B, and sent when A signs in again', async () => {
  const idA = await assign('shopper8@demo.sirr', 'retail-store-visit');
  const doc = await checklistDoc('retail-store-visit');
  const { context, page } = await shopperPhone({ lang: 'en', routes: true });
  await signIn(page, server.url, 'shopper8@demo.sirr');
  await openVisit(page, idA);
  const a = new Shopper(page, doc, 8, await jpeg(page));
  await a.fillToReviewFrom(0);
  const expected = a.expected(await a.finalVisibility(idA));
  // The connection drops as A submits: the visit waits on the phone.
  await page.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));
  await page.click('#submit-visit');
  await page.waitForSelector('#visit-waiting');
  // Signing out warns, in words, and keeps the visit.
  await page.click('header button.link');
  await page.waitForSelector('dialog.confirm[open]');
  assert.match(await page.textContent('#confirm-text'), /not sent yet/);
  await page.click('#confirm-no');
  assert.ok(await page.$('#visit-waiting'), 'staying signed in keeps the screen');
  await page.click('header button.link');
  await page.click('#confirm-yes');
  await page.waitForSelector('#email');
  await page.unroute('**/api/v1/**');
  // B signs in on the same phone: nothing of A's is sent, shown or counted.
  await signIn(page, server.url, 'shopper9@demo.sirr');
  await page.waitForSelector('.card.assignment');
  await page.waitForTimeout(4000);
  assert.equal(await page.$eval('#sync-badge', (b) => b.hidden), true, 'B has nothing on the device');
  assert.equal(await page.$$eval('.pill.device', (p) => p.length), 0);
  assert.equal(await page.$(`.card[data-id="${idA}"]`), null);
  assert.equal((await visitsOf(idA)).length, 0, 'A\'s visit was not sent with B\'s token');
  await page.click('header button.link');
  await page.waitForSelector('#email');
  // A signs in again: the visit is sent, once, with every answer.
  await signIn(page, server.url, 'shopper8@demo.sirr');
  await until(page, async (aid) => {
    const { getItem, own } = (await import('/app/bundle.js')).store;
    const me = JSON.parse(localStorage.getItem('sirr.me'));
    return (await getItem('queue', own(me.id, aid)))?.state === 'sent';
  }, idA);
  const visits = await visitsOf(idA);
  const entry = await page.evaluate(async (aid) => {
    const { getItem, own } = (await import('/app/bundle.js')).store;
    const me = JSON.parse(localStorage.getItem('sirr.me'));
    const e = await getItem('queue', own(me.id, aid));
    return { state: e.state, visitId: e.visitId, reconciled: e.reconciled };
  }, idA);
  assert.equal(visits.length, 1, `queue entry ${JSON.stringify(entry)}, assignment ${JSON.stringify(await (await qaApi())(`/api/v1/assignments/${idA}`))}`);
  assertStored(visits[0], expected, doc);
  await context.close();
});

/** A visit answered to the review screen, submitted while requests are cut, so it waits queued. */
async function queuedVisit(email, key, seed, { lang = 'ar' } = {}) {
  const id = await assign(email, key);
  const doc = await checklistDoc(key);
  const { context, page } = await shopperPhone({ lang, routes: true });
  await signIn(page, server.url, email);
  await openVisit(page, id);
  const s = new Shopper(page, doc, seed, await jpeg(page));
  await s.fillToReviewFrom(0);
  await page.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));
  await page.click('#submit-visit');
  await page.waitForSelector('#visit-waiting');
  return { id, doc, context, page, s };
}

const flushNow = (page) => page.evaluate(async () => { const { flush } = (await import('/app/bundle.js')).sync; await flush({ now: true }); });

test('a queued visit whose assignment is cancelled: kept readable, explained in Arabic, removed only on request', async () => {
  const { id, context, page } = await queuedVisit('shopper10@demo.sirr', 'bank-branch-visit', 3);
  const qa = await qaApi();
  await qa(`/api/v1/assignments/${id}`, { method: 'DELETE' });
  await page.unroute('**/api/v1/**');
  await flushNow(page);
  await waitOutcome(page, id);
  assert.ok(await page.$('#visit-gone'));
  const text = await page.textContent('main');
  assert.match(text, /فريق الجودة/, 'tells the shopper to contact the quality team, in Arabic');
  assert.doesNotMatch(text, /cancelled|assignment|Fix returned/i, 'no raw English server text');
  assert.ok(await page.$('dl.answers dd'), 'the answers stay readable');
  // The list still shows it, withdrawn; nothing loops.
  await page.goto(`${server.url}/#/assignments`);
  await settled(page);
  await page.waitForSelector(`.card[data-id="${id}"] .pill.cancelled`);
  assert.equal(await page.getAttribute('#sync-badge', 'data-state'), 'attention');
  await page.click(`.card[data-id="${id}"] a.btn`);
  await settled(page);
  await page.click('#remove-visit');
  await page.click('#confirm-no');
  assert.ok(await page.$('#visit-gone'), 'kept when the shopper says keep');
  await page.click('#remove-visit');
  await page.click('#confirm-yes');
  await page.waitForFunction(() => location.hash === '#/assignments');
  await settled(page);
  assert.equal(await page.$(`.card[data-id="${id}"]`), null);
  assert.equal((await visitsOf(id)).length, 0);
  await context.close();
});

test('a queued visit the server finds invalid opens at the failing item with the server\'s words', async () => {
  const { id, context, page } = await queuedVisit('shopper11@demo.sirr', 'bank-branch-visit', 4, { lang: 'en' });
  // A stale phone's answer the checklist does not allow (scale 1..5): the real server refuses it.
  await page.evaluate(async (aid) => {
    const { getItem, putItem, own } = (await import('/app/bundle.js')).store;
    const me = JSON.parse(localStorage.getItem('sirr.me'));
    const key = own(me.id, aid);
    const q = await getItem('queue', key);
    q.submission.answers.needs_discovery = 9;
    await putItem('queue', key, q);
  }, id);
  await page.unroute('**/api/v1/**');
  await flushNow(page);
  await waitOutcome(page, id);
  assert.ok(await page.$('#visit-invalid'));
  await page.click('#fix-invalid');
  await settled(page);
  await page.waitForSelector('#item-needs_discovery.problem-at .problem-msg');
  // The draft kept its valid answer; the shopper picks another, and the server's words go.
  const current = await page.$eval('#item-needs_discovery', (c) => c.querySelector('input:checked')?.value);
  const chosen = current === '4' ? '3' : '4';
  await page.check(`#item-needs_discovery input[value="${chosen}"]`);
  assert.equal(await page.$('#item-needs_discovery .problem-msg'), null);
  await page.goto(`${server.url}/#/visit/${id}/review`);
  await settled(page);
  await page.click('#submit-visit');
  await page.waitForSelector('#visit-sent', { timeout: 60000 });
  const [visit] = await visitsOf(id);
  assert.equal(visit.answers.needs_discovery, Number(chosen));
  await context.close();
});

test('a visit sent from elsewhere meanwhile (409) is reconciled, and an expired token (401) is refreshed', async () => {
  const { id, context, page, s } = await queuedVisit('shopper12@demo.sirr', 'government-service-centre-visit', 9, { lang: 'en' });
  // The same shopper's other device submits the same visit first, photos and all.
  const other = await apiAs(server.url, 'shopper12@demo.sirr');
  const body = await page.evaluate(async (aid) => {
    const { getItem, own } = (await import('/app/bundle.js')).store;
    const me = JSON.parse(localStorage.getItem('sirr.me'));
    return (await getItem('queue', own(me.id, aid))).submission;
  }, id);
  const photoBytes = (await jpeg(page)).buffer;
  const upload = async (item) => (await other(`/api/v1/assignments/${id}/attachments?item=${item}`, { method: 'POST', headers: { 'Content-Type': 'image/jpeg' }, body: photoBytes })).id;
  for (const [k, v] of Object.entries(body.answers)) if (s.items.get(k).type === 'photo') body.answers[k] = [await upload(k)];
  for (const [k, v] of Object.entries(body.evidence || {})) body.evidence[k] = v.length ? [await upload(k)] : [];
  await other(`/api/v1/assignments/${id}/submission`, { method: 'POST', headers: { 'Idempotency-Key': 'other-device-1' }, body: JSON.stringify(body) });
  // An expired access token: the app refreshes it and goes on.
  await page.evaluate(() => {
    const tk = JSON.parse(localStorage.getItem('sirr.tokens'));
    tk.access = 'expired.token.value';
    localStorage.setItem('sirr.tokens', JSON.stringify(tk));
  });
  await page.unroute('**/api/v1/**');
  await flushNow(page);
  await waitOutcome(page, id);
  assert.ok(await page.$('#visit-sent'), 'reconciled with the stored visit');
  assert.match(await page.textContent('#visit-sent'), /already received/);
  assert.equal((await visitsOf(id)).length, 1);
  await context.close();
});

test('resubmitting a returned visit keeps its check-in and length, and a removed photo is no evidence', async () => {
  const id = await assign('shopper4@demo.sirr', 'retail-store-visit', 2);
  const doc = await checklistDoc('retail-store-visit');
  const { context, page } = await shopperPhone({ lang: 'en' });
  await signIn(page, server.url, 'shopper4@demo.sirr');
  await openVisit(page, id);
  // A believable visit: the check-in is set back 40 minutes.
  await page.evaluate(async (aid) => {
    const { getItem, putItem, own } = (await import('/app/bundle.js')).store;
    const me = JSON.parse(localStorage.getItem('sirr.me'));
    const d = await getItem('drafts', own(me.id, aid));
    d.started_ms -= 40 * 60e3;
    await putItem('drafts', own(me.id, aid), d);
  }, id);
  await page.reload();
  await settled(page);
  const s = new Shopper(page, doc, 21, await jpeg(page));
  await s.fillToReviewFrom(0);
  await page.click('#submit-visit');
  await page.waitForSelector('#visit-sent', { timeout: 60000 });
  const [first] = await visitsOf(id);
  assert.ok(first.duration_s >= 2400);
  const qa = await qaApi();
  await qa(`/api/v1/visits/${first.id}/return`, { method: 'POST', body: JSON.stringify({ note: 'Please retake the storefront photo.', item_comments: {} }) });
  // The shopper fixes it: replaces the storefront photo.
  await page.goto(`${server.url}/#/assignments`);
  await settled(page);
  await page.click(`.card[data-id="${id}"] a.btn`);
  await settled(page);
  await page.waitForSelector('#item-storefront_photo .thumbs li');
  await page.click('#item-storefront_photo .thumbs li button.remove');
  await page.click('dialog.confirm[open] #confirm-yes');
  await page.waitForFunction(() => !document.querySelector('#item-storefront_photo .thumbs li'));
  await s.addPhoto('#item-storefront_photo > .photo');
  // Preview the new photo full screen, then close it.
  await page.click('#item-storefront_photo .thumb-btn');
  await page.waitForSelector('dialog.viewer[open] img');
  await page.click('#viewer-close');
  await page.goto(`${server.url}/#/visit/${id}/review`);
  await settled(page);
  await page.click('#submit-visit');
  await page.waitForSelector('#visit-sent', { timeout: 60000 });
  const [second] = await visitsOf(id);
  assert.equal(second.revision, 2);
  assert.equal(second.checked_in_at, first.checked_in_at, 'the same check-in');
  assert.equal(second.duration_s, first.duration_s, 'the same length');
  assert.ok(!(second.flags || []).some((f) => f.code === 'too_short'), `no "too short" flag: ${JSON.stringify(second.flags)}`);
  assert.notDeepEqual(second.answers.storefront_photo, first.answers.storefront_photo, 'the photo was replaced');
  await context.close();
});

/** Every visible interactive element on the screen, measured. */
function smallTargets(page) {
  return page.evaluate(() => {
    const out = [];
    const els = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, label.opt');
    for (const el of els) {
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height || el.closest('[hidden]') || el.classList.contains('visually-hidden')) continue;
      // A radio or checkbox is tapped through its label, which is measured instead.
      if ((el.type === 'radio' || el.type === 'checkbox') && el.closest('label.opt')) continue;
      if (r.width < 44 - 0.5 || r.height < 44 - 0.5) out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className} "${(el.textContent || el.value || '').trim().slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  });
}

/** Option labels that break inside a word. */
function midWordBreaks(page) {
  return page.evaluate(() => {
    const out = [];
    for (const span of document.querySelectorAll('.item:not([hidden]) label.opt bdi, .btn, .pill')) {
      const node = span.firstChild;
      if (!node || node.nodeType !== 3) continue;
      const text = node.textContent;
      const re = /\S+/g;
      let m;
      while ((m = re.exec(text))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) out.push(`"${m[0]}" in "${text}"`);
      }
    }
    return out;
  });
}

test('touch targets ≥ 44×44 and no mid-word breaks on every shopper screen, in English and Arabic', async () => {
  const failures = [];
  for (const lang of ['en', 'ar']) {
    const email = lang === 'en' ? 'shopper2@demo.sirr' : 'shopper3@demo.sirr';
    const id = await assign(email, 'government-service-centre-visit');
    const doc = await checklistDoc('government-service-centre-visit');
    const { context, page } = await shopperPhone({ lang, routes: true });
    const measure = async (what) => {
      for (const x of await smallTargets(page)) failures.push(`${lang} ${what}: small target ${x}`);
      for (const x of await midWordBreaks(page)) failures.push(`${lang} ${what}: mid-word break ${x}`);
    };
    await page.goto(server.url);
    await page.waitForSelector('#email');
    await measure('sign-in');
    await signIn(page, server.url, email);
    await page.waitForSelector('.card.assignment');
    await measure('assignments');
    await page.goto(`${server.url}/#/visit/${id}/0`);
    await settled(page);
    await measure('check-in');
    await page.click('#check-in');
    await page.waitForSelector('.checklist');
    const s = new Shopper(page, doc, 2, await jpeg(page));
    for (let si = 0; si < doc.sections.length; si++) {
      await s.fillSection();
      // Open every help text: its "?" is a target too.
      for (const help of await page.$$('.item:not([hidden]) .help-btn')) await help.click();
      await measure(`section ${si + 1}`);
      await page.click('nav.steps a.btn:not(.secondary)');
      await settled(page);
    }
    await measure('review');
    await page.route('**/api/v1/**', (route) => route.abort('internetdisconnected'));
    await page.click('#submit-visit');
    await page.waitForSelector('#visit-waiting');
    await measure('queued');
    await page.unroute('**/api/v1/**');
    await context.close();
  }
  assert.deepEqual(failures, []);
});
