// The web app in a real browser (Debian's Chromium, headless, 390×844) against
// `sirr serve --demo` on a free port. Offline is a stopped server (SPEC §9.26: setOffline does
// not cut a service worker's own fetches), restarted later on the same port and data directory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { apiAs, expectedSubmission, fillSection, fillToReview, jpeg, launch, phone, settled, signIn, startServer, withoutPhotos } from './lib.mjs';

const require = createRequire(import.meta.url);
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

async function firstOpenAssignment(page) {
  await page.waitForSelector('.card.assignment');
  return page.$eval('.card.assignment a.btn[href^="#/visit/"]', (a) => a.getAttribute('href').split('/')[2]);
}

async function startVisit(page, id) {
  await page.goto(`${server.url}/#/visit/${id}/0`);
  await settled(page);
  await page.click('main button.btn.big');
  await page.waitForSelector('.checklist');
}

async function submitAndWait(page) {
  await page.waitForSelector('.review');
  await page.click('.review button.btn.big');
  await page.waitForSelector('#visit-sent, #visit-failed', { timeout: 60000 });
  const failed = await page.$('#visit-failed');
  assert.equal(failed && await page.textContent('main'), null, 'the server accepted the visit');
}

async function storedVisits(qa, assignmentId) {
  const queue = await qa('/api/v1/reviews?status=submitted');
  return queue.filter((q) => q.assignment_id === assignmentId);
}

/** A shopper signs in, starts their first open assignment and answers it to the review screen. */
async function visitToReview(email) {
  const context = await phone(browser);
  const page = await context.newPage();
  await signIn(page, server.url, email);
  const id = await firstOpenAssignment(page);
  await startVisit(page, id);
  const photo = await jpeg(page);
  await fillToReview(page, photo);
  return { context, page, id, photo };
}

test('a shopper signs in, fills the checklist and submits', async () => {
  const { context, page, id } = await visitToReview('shopper1@demo.sirr');
  assert.ok(await page.$('.review .msg.ok'), 'the review screen says nothing is missing');
  const expected = await expectedSubmission(page, id);
  await submitAndWait(page);
  const qa = await apiAs(server.url, 'qa@demo.sirr');
  const stored = await storedVisits(qa, id);
  assert.equal(stored.length, 1);
  const visit = await qa(`/api/v1/visits/${stored[0].visit_id}`);
  assert.deepEqual(withoutPhotos(visit.answers), withoutPhotos(expected.answers));
  assert.equal(visit.revision, 1);
  await context.close();
});

test('offline mid-visit, a reload, then online again: exactly one visit with every answer', async () => {
  const context = await phone(browser);
  const page = await context.newPage();
  await signIn(page, server.url, 'shopper2@demo.sirr');
  // The service worker must control the page before the connection goes.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  const id = await firstOpenAssignment(page);
  await startVisit(page, id);
  const photo = await jpeg(page);
  // Answer the first section online, then lose the server.
  await fillSection(page, photo);
  const { port, dataDir } = server;
  await server.stop();
  await page.click('nav.steps a.btn:not(.secondary)');
  await settled(page);
  // A reload without a server: the shell and the checklist come from the service worker,
  // the answers from IndexedDB.
  await page.reload();
  await settled(page);
  await page.waitForSelector('.checklist .item');
  await fillToReview(page, photo);
  const expected = await expectedSubmission(page, id);
  await page.click('.review button.btn.big');
  await page.waitForSelector('#sync-badge[data-state="waiting"]');
  // Closing the tab and coming back must not lose or duplicate it either.
  await page.reload();
  await page.waitForSelector('#sync-badge[data-state="waiting"]');
  server = await startServer({ port, dataDir });
  await page.waitForSelector('#sync-badge[data-state="sent"]', { timeout: 60000 });
  const qa = await apiAs(server.url, 'qa@demo.sirr');
  const stored = await storedVisits(qa, id);
  assert.equal(stored.length, 1, 'exactly one visit stored');
  const visit = await qa(`/api/v1/visits/${stored[0].visit_id}`);
  assert.equal(visit.revision, 1);
  assert.deepEqual(withoutPhotos(visit.answers), withoutPhotos(expected.answers));
  assert.deepEqual(Object.keys(visit.answers).sort(), Object.keys(expected.answers).sort());
  await context.close();
});

test('QA returns a visit with an item comment and the shopper fixes it', async () => {
  // shopper3 submits through the page first
  const { context: shopperCtx, page: sp, id, photo } = await visitToReview('shopper3@demo.sirr');
  await submitAndWait(sp);
  const qa = await apiAs(server.url, 'qa@demo.sirr');
  const [entry] = await storedVisits(qa, id);
  const visit = await qa(`/api/v1/visits/${entry.visit_id}`);
  const itemKey = Object.keys(visit.answers).find((k) => typeof visit.answers[k] === 'string' && ['yes', 'no'].includes(visit.answers[k]));

  const qaCtx = await phone(browser);
  const qp = await qaCtx.newPage();
  await signIn(qp, server.url, 'qa@demo.sirr');
  await qp.goto(`${server.url}/#/qa/review/${entry.visit_id}`);
  await qp.waitForSelector('#return');
  // The visit's facts and its evidence: the branch, the check-in, and every photo as a picture.
  const facts = await qp.textContent('#visit-facts');
  const assignment = await qa(`/api/v1/assignments/${id}`);
  assert.ok(facts.includes(assignment.branch.code), facts);
  const photoRefs = Object.values(visit.answers).filter((v) => Array.isArray(v) && v.length && !v.some((r) => typeof r !== 'string' || !/^[0-9a-f]{16,}$/.test(r))).flat();
  const uploads = await qa(`/api/v1/assignments/${id}/attachments`);
  assert.ok(uploads.length >= 1, 'the visit has photos to show');
  await qp.waitForFunction((n) => [...document.querySelectorAll('.review-photos img')].filter((i) => i.src.startsWith('blob:') && i.complete && i.naturalWidth > 0).length >= n, Math.max(1, photoRefs.length));
  await qp.click('.review-photos .thumb-btn');
  await qp.waitForSelector('dialog.viewer[open] img');
  // Full screen: the photo takes the screen's width, not its own small size.
  const [w, vw] = await qp.$eval('dialog.viewer[open] img', (i) => [i.getBoundingClientRect().width, innerWidth]);
  assert.ok(w >= 0.9 * vw, `the photo is ${w} px wide on a ${vw} px screen`);
  await qp.click('#viewer-close');
  // Sections keep their headings.
  assert.ok((await qp.$$('.review-section h2')).length >= 2);
  await qp.click(`#review-${itemKey} button.item-comment`);
  await qp.fill(`#review-${itemKey} textarea`, 'Please check this answer again.');
  await qp.fill('#return-note', 'One item needs another look.');
  await qp.click('#return');
  await qp.waitForFunction(() => location.hash === '#/qa/reviews');
  assert.equal((await qa(`/api/v1/visits/${entry.visit_id}`)).status, 'returned');

  await sp.goto(`${server.url}/#/assignments`);
  await sp.reload();
  await sp.waitForSelector(`.card[data-id="${id}"] a.btn`);
  await sp.click(`.card[data-id="${id}"] a.btn`);
  await settled(sp);
  await sp.waitForSelector('.checklist');
  // QA's comment is shown at the item (on whichever section it is)
  let found = false;
  for (let i = 0; i < 20 && !found; i++) {
    found = !!(await sp.$(`#item-${itemKey} .qa-note`));
    if (!found) { await sp.click('nav.steps a.btn:not(.secondary)'); await settled(sp); }
  }
  assert.ok(found, 'QA comment shown at the item');
  assert.match(await sp.textContent(`#item-${itemKey} .qa-note`), /check this answer again/);
  await sp.check(`#item-${itemKey} input[value=no]`).catch(() => sp.check(`#item-${itemKey} input[value=yes]`));
  await fillToReview(sp, photo);
  await submitAndWait(sp);
  const after = await qa(`/api/v1/visits/${entry.visit_id}`);
  assert.equal(after.status, 'submitted');
  assert.equal(after.revision, 2);
  // QA sees what changed since the return: the item the shopper fixed, with its old answer.
  await qp.goto(`${server.url}/#/qa/review/${entry.visit_id}`);
  await qp.waitForSelector('#return');
  const changed = await qp.$$eval('.card.changed', (cards) => cards.map((c) => c.dataset.key));
  if (JSON.stringify(after.answers[itemKey]) !== JSON.stringify(visit.answers[itemKey])) {
    assert.ok(changed.includes(itemKey), `${itemKey} marked as changed: ${changed}`);
    assert.ok(await qp.$(`#review-${itemKey} .was`));
  }
  for (const key of changed) assert.notDeepEqual(after.answers[key], visit.answers[key], `${key} did change`);
  await shopperCtx.close();
  await qaCtx.close();
});

test('QA rejects a fabricated visit with a reason; it never counts and the shopper reads why, in Arabic', async () => {
  const { context: shopperCtx, page: sp, id } = await visitToReview('shopper9@demo.sirr');
  await submitAndWait(sp);
  const qa = await apiAs(server.url, 'qa@demo.sirr');
  const [entry] = await storedVisits(qa, id);
  const qaCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ar-SA' });
  const qp = await qaCtx.newPage();
  await signIn(qp, server.url, 'qa@demo.sirr');
  await qp.goto(`${server.url}/#/qa/review/${entry.visit_id}`);
  await qp.waitForSelector('#reject');
  // No reason, no rejection: the shopper must be told why.
  await qp.click('#reject');
  await qp.waitForSelector('.msg.error');
  assert.equal((await qa(`/api/v1/visits/${entry.visit_id}`)).status, 'submitted');
  const reason = 'الصور ليست من هذا الفرع، والزيارة لم تتم.';
  await qp.fill('#return-note', reason);
  // The request for a reason goes once the reason is typed.
  assert.equal(await qp.$('#decision-error .msg'), null, 'no stale "write the reason first"');
  await qp.click('#reject');
  // Asked first, with the focus on "cancel": Enter keeps the visit as it is, and so does the button.
  await qp.waitForSelector('dialog.confirm[open]');
  assert.equal(await qp.evaluate(() => document.activeElement?.id), 'confirm-no', 'the safe answer has the focus');
  await qp.keyboard.press('Enter');
  await qp.waitForFunction(() => !document.querySelector('dialog.confirm'));
  assert.equal((await qa(`/api/v1/visits/${entry.visit_id}`)).status, 'submitted');
  await qp.click('#reject');
  await qp.click('dialog.confirm[open] #confirm-no');
  assert.equal((await qa(`/api/v1/visits/${entry.visit_id}`)).status, 'submitted');
  await qp.click('#reject');
  await qp.click('dialog.confirm[open] #confirm-yes');
  await qp.waitForFunction(() => location.hash === '#/qa/reviews');
  assert.equal((await qa(`/api/v1/visits/${entry.visit_id}`)).status, 'rejected');
  // The shopper's card says so, and the visit screen gives the reason.
  await sp.evaluate(() => localStorage.setItem('sirr.lang', 'ar'));
  await sp.goto(`${server.url}/#/assignments`);
  await sp.reload();
  await sp.waitForSelector(`.card[data-id="${id}"] .pill.rejected`);
  assert.match(await sp.textContent(`.card[data-id="${id}"] .pill.rejected`), /رفضها فريق الجودة/);
  await sp.click(`.card[data-id="${id}"] a.btn`);
  await sp.waitForSelector('#visit-rejected');
  assert.ok((await sp.textContent('#visit-rejected')).includes(reason));
  assert.equal(await sp.$('.checklist'), null, 'a rejected visit offers no form');
  await shopperCtx.close();
  await qaCtx.close();
});

test('a manager opens the dashboard and downloads the Arabic PDF', async (t) => {
  const context = await phone(browser, { locale: 'ar-SA' });
  const page = await context.newPage();
  await signIn(page, server.url, 'manager.riyadh@demo.sirr');
  // A regional manager lands on the league table; the branch dashboard is a tab away.
  await page.waitForSelector('#league');
  await page.click('nav.tabs a[href^="#/dashboard"]');
  await page.waitForSelector('#headline-fair');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl', 'Accept-Language ar gives the Arabic page');
  assert.ok(await page.$('svg.chart'));
  const mgr = await apiAs(server.url, 'manager.riyadh@demo.sirr');
  const [branch] = await mgr('/api/v1/branches');
  // File a dispute on a failed answer shown with the shopper's comment.
  const before = (await mgr(`/api/v1/disputes?branch_id=${branch.id}`)).length;
  // Failed answers are grouped by item, each group collapsed at first.
  await page.locator('#failed details.failed-group > summary').first().click();
  const form = page.locator('.failed-answer details').first();
  await form.locator('summary').click();
  await form.locator('textarea').fill('CCTV shows the greeting happened.');
  await form.locator('button[type=submit]').click();
  await page.waitForFunction((n) => document.querySelectorAll('#disputes .card').length >= Math.min(10, n + 1), before);
  assert.equal((await mgr(`/api/v1/disputes?branch_id=${branch.id}`)).length, before + 1);
  let asked = null;
  context.on('request', (request) => {
    if (request.url().includes('/api/v1/reports/branches/')) asked = request;
  });
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120000 }), page.click('#pdf-ar')]);
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  const pdf = readFileSync(path);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.ok(pdf.length > 10000, `a whole report, not ${pdf.length} bytes`);
  assert.match(download.suggestedFilename(), new RegExp(`${branch.code}.*-ar\\.pdf$`));
  assert.ok(asked, 'the page asked the server for the report');
  assert.match(asked.url(), new RegExp(`/api/v1/reports/branches/${branch.id}\\.pdf\\?period=\\d{4}-\\d{2}&lang=ar$`));
  assert.match(asked.headers().authorization || '', /^Bearer /);
  await context.close();
});

test('no serious or critical accessibility violations on the main pages (axe-core)', async () => {
  const axePath = require.resolve('axe-core');
  const pages = [
    ['shopper4@demo.sirr', ['#/assignments', 'visit', 'review']],
    ['manager.riyadh@demo.sirr', ['#/dashboard', '#/league']],
    ['qa@demo.sirr', ['#/qa/reviews', '#/qa/checklists', '#/qa/severity']],
  ];
  const failures = [];
  for (const lang of ['en', 'ar']) {
    for (const [email, hashes] of pages) {
      const context = await phone(browser, { locale: lang === 'ar' ? 'ar-SA' : 'en-US', bypassCSP: true });
      const page = await context.newPage();
      await page.goto(server.url);
      if (lang === 'ar') await page.evaluate(() => localStorage.setItem('sirr.lang', 'ar'));
      const check = async (what) => {
        await page.addScriptTag({ path: axePath });
        const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        for (const v of result.violations.filter((x) => ['serious', 'critical'].includes(x.impact))) {
          failures.push(`${lang} ${what}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
        }
      };
      await page.reload();
      await page.waitForSelector('#email');
      await check('login');
      await signIn(page, server.url, email);
      for (const hash of hashes) {
        if (hash === 'visit') {
          const id = await firstOpenAssignment(page);
          await startVisit(page, id);
          await check(`visit section 1 (${email})`);
        } else if (hash === 'review') {
          await page.goto(page.url().replace(/\/\d+$/, '/review'));
          await settled(page);
          await check(`review screen (${email})`);
        } else {
          await page.goto(`${server.url}/${hash}`);
          await settled(page);
          await check(`${hash} (${email})`);
        }
      }
      await context.close();
    }
  }
  assert.deepEqual(failures, []);
});

/** The page's own percentage of a fraction (as `pct` in i18n.js). */
const pagePct = (page, f) => page.evaluate((x) => `${new Intl.NumberFormat(document.documentElement.lang === 'ar' ? 'ar-SA-u-ca-gregory' : 'en-GB', { maximumFractionDigits: 1 }).format(x * 100)}%`, f);

test('QA reviews in Arabic (desktop): the visit score at the top, failed items marked, a real comment button, a status line on the queue; revision 2 against 1 shows place, length, flags and QA\'s own comments (issue 14w)', async () => {
  const { context: shopperCtx, page: sp, id, photo } = await visitToReview('shopper10@demo.sirr');
  await submitAndWait(sp);
  await shopperCtx.close();
  const qa = await apiAs(server.url, 'qa@demo.sirr');
  const [entry] = await storedVisits(qa, id);
  const visit = await qa(`/api/v1/visits/${entry.visit_id}`);
  const assignment = await qa(`/api/v1/assignments/${id}`);
  const doc = (await qa(`/api/v1/checklists/${visit.checklist.key}/versions/${visit.checklist.version}`)).document;
  // An item answered "yes" that nothing else depends on and that asks for no photo or comment when it fails.
  const text = JSON.stringify(doc);
  const item = doc.sections.flatMap((s) => s.items).find((i) => i.type === 'yes_no' && visit.answers[i.key] === 'yes' && !i.photo && !i.evidence && !i.comment && text.split(i.key).length === 2);
  assert.ok(item, 'a yes/no item to change');
  assert.ok(visit.score && typeof visit.score.score === 'number', `the API scores the visit: ${JSON.stringify(visit.score)}`);

  const qaCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ar-SA' });
  const qp = await qaCtx.newPage();
  await signIn(qp, server.url, 'qa@demo.sirr');
  await qp.goto(`${server.url}/#/qa/review/${entry.visit_id}`);
  await qp.waitForSelector('#return');
  assert.equal((await qp.textContent('#visit-score .big')).trim(), await pagePct(qp, visit.score.score));
  // The item comment is a button that opens its box.
  const toggle = `#review-${item.key} button.item-comment`;
  assert.equal(await qp.getAttribute(toggle, 'aria-expanded'), 'false');
  assert.equal(await qp.isVisible(`#review-${item.key} textarea`), false);
  await qp.click(toggle);
  assert.equal(await qp.getAttribute(toggle, 'aria-expanded'), 'true');
  const comment = 'راجع هذا البند مرة أخرى.';
  await qp.fill(`#review-${item.key} textarea`, comment);
  await qp.fill('#return-note', 'بند واحد يحتاج إلى مراجعة.');
  await qp.click('#return');
  await qp.waitForFunction(() => location.hash === '#/qa/reviews' && document.body.dataset.route === location.hash);
  // The queue says what was done, naming the branch.
  await qp.waitForSelector('#decision-status');
  const said = await qp.textContent('#decision-status');
  assert.ok(said.includes(assignment.branch.code) && /أُعيدت/.test(said), said);

  // Revision 2, from the branch this time, long enough, with the item now failed. Two new
  // photos are uploaded for an item with photo evidence; the submission names only one (the
  // other the shopper discarded): QA must see the named one and never the other.
  const shopper = await apiAs(server.url, 'shopper10@demo.sirr');
  const b = assignment.branch.location;
  const evItem = doc.sections.flatMap((s) => s.items).find((i) => i.type === 'yes_no' && i.evidence?.photo && i.key !== item.key);
  assert.ok(evItem, 'an item with photo evidence');
  const upload = (name) => shopper(`/api/v1/assignments/${id}/attachments?item=${evItem.key}&captured_at=${encodeURIComponent(visit.checked_in_at)}`, {
    method: 'POST', headers: { 'Content-Type': 'image/jpeg' }, body: photo.buffer,
  }).then((a) => a.id);
  const kept = await upload('kept');
  const discarded = await upload('discarded');
  await shopper(`/api/v1/assignments/${id}/submission`, {
    method: 'POST', headers: { 'Idempotency-Key': `rev2-${id}` },
    body: JSON.stringify({ answers: { ...visit.answers, [item.key]: 'no', [evItem.key]: 'no' }, comments: visit.comments, checked_in_at: visit.checked_in_at, location: b, duration_s: 1800,
      evidence: { ...(visit.evidence || {}), [evItem.key]: [kept] } }),
  });
  const revisions = await qa(`/api/v1/visits/${entry.visit_id}/revisions`);
  assert.equal(revisions.length, 2);
  assert.ok(Array.isArray(revisions[0].flags), 'each revision keeps its flags');
  const now = await qa(`/api/v1/visits/${entry.visit_id}`);
  const gone = revisions[0].flags.map((f) => f.code).filter((c) => !now.flags.some((f) => f.code === c));
  assert.ok(gone.length, `a flag cleared by revision 2 (before: ${revisions[0].flags.map((f) => f.code)}, now: ${now.flags.map((f) => f.code)})`);

  await qp.goto(`${server.url}/#/qa/review/${entry.visit_id}`);
  await qp.waitForSelector('#compare');
  // Before and after: place, length, flags (a cleared one says so).
  const where = await qp.textContent('#compare [data-now=distance]');
  assert.match(where, /[٠-٩]+ م/, where);
  assert.notEqual(await qp.textContent('#compare [data-before=duration]'), await qp.textContent('#compare [data-now=duration]'));
  assert.match(await qp.textContent('#compare [data-now=duration]'), /٣٠ دقيقة/);
  for (const code of gone) assert.match(await qp.textContent(`#compare [data-before=flags] li[data-code="${code}"]`), /لم يعد مؤشراً/);
  // QA's own comment from the return, at its item; the item now failed, marked.
  assert.ok((await qp.textContent(`#review-${item.key} .qa-said`)).includes(comment));
  assert.equal(await qp.getAttribute(`#review-${item.key}`, 'data-failed'), 'true');
  assert.match(await qp.textContent(`#review-${item.key} .pill.bad`), /لم يُستوفَ/);
  const failedCards = await qp.$$eval('.qa-answers [data-failed=true]', (l) => l.map((c) => c.dataset.key));
  for (const i of doc.sections.flatMap((s) => s.items)) {
    if (i.type === 'yes_no' && now.answers[i.key] === 'no') assert.ok(failedCards.includes(i.key), `${i.key} marked`);
    if (i.type === 'yes_no' && now.answers[i.key] === 'yes') assert.ok(!failedCards.includes(i.key), `${i.key} not marked`);
  }
  assert.equal((await qp.textContent('#visit-score .big')).trim(), await pagePct(qp, now.score.score));
  // The evidence shown is what the submission named, marked as changed.
  assert.deepEqual(now.evidence[evItem.key], [kept]);
  const shownPhotos = await qp.$$eval(`#review-${evItem.key} [data-ref]`, (l) => l.map((e) => e.dataset.ref));
  assert.ok(shownPhotos.includes(kept), `the named photo is shown: ${shownPhotos}`);
  assert.ok(!shownPhotos.includes(discarded), `the discarded photo is not: ${shownPhotos}`);
  assert.match(await qp.getAttribute(`#review-${evItem.key}`, 'class'), /changed/);
  // A question left open when the reader goes elsewhere does not stay over the next screen.
  await qp.fill('#return-note', 'سبب الرفض');
  await qp.click('#reject');
  await qp.waitForSelector('dialog.confirm[open]');
  await qp.evaluate(() => { location.hash = '#/qa/disputes'; });
  await qp.waitForFunction(() => document.body.dataset.route === location.hash);
  assert.equal(await qp.$('dialog.confirm'), null, 'the reject question closed on leaving');
  await qp.goto(`${server.url}/#/qa/review/${entry.visit_id}`);
  await qp.waitForSelector('#approve');
  await qp.click('#approve');
  await qp.waitForSelector('#decision-status');
  assert.ok((await qp.textContent('#decision-status')).includes(assignment.branch.code));
  await qaCtx.close();
});

test('QA judges a dispute from its screen: the visit at the item, the shopper\'s comment, overturning asked first, decided disputes kept under "resolved"; the agreement names items by their text (Arabic; issue 14w)', async () => {
  const mgr = await apiAs(server.url, 'manager.ruh-001@demo.sirr');
  const [branch] = await mgr('/api/v1/branches');
  const period = (await mgr(`/api/v1/scores/branches/${branch.id}`)).default_period;
  const disputed = new Set((await mgr(`/api/v1/disputes?branch_id=${branch.id}`)).map((x) => `${x.visit_id}/${x.item_key}`));
  let target = null;
  for (const v of await mgr(`/api/v1/branches/${branch.id}/visits?period=${period}`)) {
    const key = Object.keys(v.answers).find((k) => v.answers[k] === 'no' && !disputed.has(`${v.id}/${k}`));
    if (key) { target = { visit: v, key }; break; }
  }
  assert.ok(target, 'a failed item to dispute');
  const d = await mgr(`/api/v1/visits/${target.visit.id}/disputes`, { method: 'POST', body: JSON.stringify({ item_key: target.key, reason: 'كان الموظف موجوداً.' }) });
  const qaCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ar-SA' });
  const qp = await qaCtx.newPage();
  await signIn(qp, server.url, 'qa@demo.sirr');
  await qp.goto(`${server.url}/#/qa/disputes`);
  await qp.waitForSelector(`#disputes .dispute[data-id="${d.id}"]`);
  const card = `#disputes .dispute[data-id="${d.id}"]`;
  assert.match(await qp.getAttribute(`${card} a.open-at-item`, 'href'), new RegExp(`#/qa/review/${target.visit.id}\\?item=${target.key}`));
  if (target.visit.comments[target.key]) assert.ok((await qp.textContent(`${card} .shopper-comment`)).includes(target.visit.comments[target.key]));
  // Overturning is asked first; "cancel" leaves it open.
  await qp.fill(`#reason-${d.id}`, 'الصورة تُظهر الموظف.');
  await qp.click(`${card} button[data-outcome=overturned]`);
  await qp.waitForSelector('dialog.confirm[open]');
  await qp.click('dialog.confirm[open] #confirm-no');
  assert.equal((await qa1(server.url)).find((x) => x.id === d.id).status, 'open');
  await qp.click(`${card} button[data-outcome=overturned]`);
  await qp.click('dialog.confirm[open] #confirm-yes');
  await qp.waitForSelector('#decision-status');
  assert.equal(await qp.$(card), null, 'gone from the open list');
  // Still reachable: the resolved list has it, with its decision.
  await qp.click('#dispute-filter a[data-status=resolved]');
  await qp.waitForSelector(card);
  assert.equal(await qp.getAttribute(card, 'data-status'), 'overturned');
  assert.ok((await qp.textContent(card)).includes('الصورة تُظهر الموظف.'));
  // The link lands on the item of the visit.
  await qp.click(`${card} a.open-at-item`);
  await qp.waitForFunction((k) => document.activeElement?.dataset?.targetItem === k, target.key);
  // Calibration agreement: items by their Arabic text, never "checklist key".
  await qp.goto(`${server.url}/#/qa/severity`);
  await qp.waitForSelector('#agreement-items tr');
  const rows = await qp.$$eval('#agreement-items tr', (trs) => trs.map((tr) => ({ key: tr.dataset.key, text: tr.cells[0].textContent })));
  for (const r of rows) {
    assert.ok(!r.text.includes(r.key), `${r.key} named by its text: ${r.text}`);
    assert.match(r.text, /[\u0600-\u06FF]/, r.text);
  }
  await qaCtx.close();
});

async function qa1(url) {
  return (await apiAs(url, 'qa@demo.sirr'))('/api/v1/disputes');
}
