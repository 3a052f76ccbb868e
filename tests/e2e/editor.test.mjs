// QA writes and changes checklists in the editor (issue 19): a checklist from scratch with several
// item types, both languages side by side, a show_if checked as it is typed, saved, kept over a
// reload, published and read back through the API field by field; a published version copied
// into a new one whose changes are listed, published without moving the scores of the visits
// made on the old one; the same in Arabic; missing translations counted; axe-core clean.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { apiAs, launch, settled, signIn, startServer } from './lib.mjs';

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

async function desktop(locale = 'en-US', { viewport = { width: 1280, height: 800 }, bypassCSP = false } = {}) {
  const context = await browser.newContext({ viewport, locale, bypassCSP, acceptDownloads: true });
  context.setDefaultTimeout(60000);
  const page = await context.newPage();
  if (locale.startsWith('ar')) {
    await page.goto(server.url);
    await page.evaluate(() => localStorage.setItem('sirr.lang', 'ar'));
  }
  await signIn(page, server.url, 'qa@demo.sirr');
  await page.goto(`${server.url}/#/qa/checklists`);
  await settled(page);
  return { context, page };
}

// Fields by their place: ids carry a per-page number, so tests find them by structure.
const head = (page) => page.locator('.ed-head');
const section = (page, n) => page.locator('.ed-section').nth(n);
const item = (page, s, n) => section(page, s).locator('.ed-item').nth(n);
const field = (scope, name) => scope.locator(`[id$="-${name}"]`).first();
/** A condition's message once it says `re` (a show_if is checked when typing pauses briefly). */
async function says(msg, re) {
  await msg.waitFor();
  await msg.page().waitForFunction(([el, src]) => new RegExp(src).test(el.textContent), [await msg.elementHandle(), re.source]);
  const text = await msg.textContent();
  assert.match(text, re);
  return text;
}
/** Waits for the work done after a pause in typing (validation, diff, preview) to have run. */
const pause = (page) => page.waitForTimeout(900);

/** Opens an item's card as the author does, with a click on its line (an open card stays open). */
async function openCard(card) {
  const toggle = card.locator('.ed-card-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await card.locator('.ed-card-body').waitFor();
}
async function closeCard(card) {
  const toggle = card.locator('.ed-card-toggle');
  if ((await toggle.getAttribute('aria-expanded')) === 'true') await toggle.click();
  assert.equal(await card.locator('.ed-card-body').count(), 0, 'a closed card has no fields');
}

async function pair(scope, name, en, ar) {
  if (en !== undefined) await field(scope, `${name}-en`).fill(en);
  if (ar !== undefined) await field(scope, `${name}-ar`).fill(ar);
}

async function addItem(page, s, type) {
  const sec = section(page, s);
  const n = await sec.locator('.ed-item').count();
  await sec.locator('.ed-add-item select').selectOption(type);
  await sec.locator('.ed-add-item button').click();
  return sec.locator('.ed-item').nth(n);
}

async function addOption(it, key, score, en, ar) {
  await it.locator('[id$="-add-option"]').click();
  const row = it.locator('.ed-opt').last();
  await field(row, 'key').fill(key);
  if (score !== undefined) await field(row, 'score').fill(String(score));
  await pair(row, 'text', en, ar);
}

async function addBand(it, max, score) {
  await it.locator('[id$="-add-band"]').click();
  const row = it.locator('.ed-band').last();
  if (max !== undefined) await field(row, 'max').fill(String(max));
  await field(row, 'score').fill(String(score));
}

const missingCount = (page) => page.$eval('#ed-missing-count', (e) => Number(e.dataset.count));

test('QA writes a checklist from scratch: types, options, bands, both languages, a show_if fixed as typed; saved, kept over a reload, published, stored as entered', async () => {
  const { context, page } = await desktop();
  await page.click('#new-checklist');
  await settled(page);
  assert.equal(await page.evaluate(() => location.hash), '#/qa/editor/new');
  // The blank first item's problem is at its field from the start, not only in the list.
  assert.equal(await field(item(page, 0, 0), 'text-en').getAttribute('aria-invalid'), 'true');
  assert.match(await item(page, 0, 0).locator('[id$="-text-en-msg"]').textContent(), /no text in any language/);
  // The checklist.
  await field(head(page), 'key').fill('editor-journey');
  await pair(head(page), 'title', 'Editor journey', 'رحلة المحرر');
  assert.equal(await field(head(page), 'title-ar').getAttribute('dir'), 'rtl');
  assert.equal(await field(head(page), 'title-ar').getAttribute('lang'), 'ar');
  await head(page).locator('select').selectOption('cap');
  await field(head(page), 'cap').fill('0.4');
  // Section 1 and its first item (yes/no, critical, owned by training, with help).
  await field(section(page, 0), 'key').fill('welcome');
  await pair(section(page, 0), 'title', 'Welcome', 'الاستقبال');
  await field(section(page, 0), 'weight').fill('2');
  const greeted = item(page, 0, 0);
  await field(greeted, 'key').fill('greeted');
  await pair(greeted, 'text', 'Greeted within 30 seconds', 'تم الترحيب خلال 30 ثانية');
  await greeted.locator('[id$="-critical"]').check();
  await field(greeted, 'owner').fill('training');
  await field(greeted, 'tags').fill('greeting, speed');
  await greeted.locator('details.ed-help summary').click();
  await pair(greeted, 'help', 'Count from the door', 'احسب من الباب');
  // A single choice with scored options, texts in both languages.
  const offered = await addItem(page, 0, 'choice');
  // The new item's key has the focus with its made-up key selected: typing replaces it.
  await page.keyboard.type('offered');
  assert.equal(await field(offered, 'key').inputValue(), 'offered');
  // With no text yet, the problem says so under the English text itself (not in the grid cell
  // beside it, under the weight); the buttons are named after the new key.
  const noText = offered.locator('[id$="-text-en-msg"]');
  await says(noText, /no text in any language/);
  assert.equal(await noText.evaluate((m) => m.parentElement.matches('.ed-field') && m.parentElement.querySelector('textarea')?.id === m.id.replace(/-msg$/, '')), true);
  assert.equal(await offered.locator('[data-act="move"]').getAttribute('aria-label'), 'Move item offered to the chosen section');
  assert.equal(await offered.locator('label[for$="-move-to"]').textContent(), 'Move item offered to section');
  // "Up" on the very first item says why nothing moves.
  await greeted.locator('[data-act="up"]').click();
  assert.equal(await page.textContent('#ed-status'), 'Item greeted is already the first of the checklist.');
  await pair(offered, 'text', 'Offered the card', 'عرض البطاقة');
  await addOption(offered, 'proactive', 1, 'Without asking', 'دون طلب');
  await addOption(offered, 'asked', 0.5, 'When asked', 'عند الطلب');
  await addOption(offered, 'no', 0, 'Not at all', 'لم يعرض');
  await offered.locator('[id$="-na_allowed"]').check();
  // A number scored by bands, with a photo when it fails.
  const wait = await addItem(page, 0, 'number');
  await field(wait, 'key').fill('wait');
  await pair(wait, 'text', 'Minutes waited', 'دقائق الانتظار');
  await addBand(wait, 5, 1);
  await addBand(wait, 10, 0.5);
  await addBand(wait, undefined, 0);
  await wait.locator('[id$="-evidence"]').selectOption('on_fail');
  // A second section with a scale shown only under a condition, typed wrong first.
  await page.click('#ed-add-section');
  await field(section(page, 1), 'key').fill('service');
  await pair(section(page, 1), 'title', 'Service', 'الخدمة');
  const benefits = item(page, 1, 0);
  await field(benefits, 'type').selectOption('scale');
  await field(benefits, 'key').fill('benefits');
  await pair(benefits, 'text', 'Explained the benefits', 'شرح المزايا');
  const cond = field(benefits, 'show_if');
  await cond.fill("offered == 'never'");
  const msg = benefits.locator('[id$="-show_if-msg"]');
  await says(msg, /'never' is not an answer of 'offered' \(answers: proactive, asked, no\)/);
  assert.equal(await cond.getAttribute('aria-invalid'), 'true');
  // A key typed in it: until the next check its message is about the text before, so it is greyed
  // and no longer tells a screen reader the field is invalid or described by it.
  const typing = await cond.evaluate((el) => {
    el.value += ' ';
    el.dispatchEvent(new Event('input', { bubbles: true }));
    return { invalid: el.getAttribute('aria-invalid'), describedBy: el.getAttribute('aria-describedby'), stale: document.getElementById(`${el.id}-msg`)?.classList.contains('stale') };
  });
  assert.deepEqual(typing, { invalid: null, describedBy: null, stale: true });
  await says(msg, /'never' is not an answer of 'offered'/);
  await page.waitForFunction((el) => el.getAttribute('aria-invalid') === 'true' && el.getAttribute('aria-describedby') === `${el.id}-msg`, await cond.elementHandle());
  await cond.fill("offered = 'no'");
  await says(msg, /at column 9: '=' is not an operator here/);
  await cond.fill('benefits > 2');
  await says(msg, /cannot depend on its own answer/);
  await cond.fill("offered != 'no' and wait <= 10");
  await page.waitForFunction(() => !document.querySelector('.ed-section:nth-child(2) .ed-item [id$="-show_if-msg"]'));
  assert.equal(await cond.getAttribute('aria-invalid'), null);
  // An item added to section 1 and moved with the keyboard to section 2, then up above the scale.
  const note = await addItem(page, 0, 'note');
  await field(note, 'key').fill('closing');
  await pair(note, 'text', 'Thank the staff', 'اشكر الموظفين');
  await note.locator('select.ed-move-to').focus();
  await note.locator('select.ed-move-to').selectOption({ index: 1 });
  await note.locator('[data-act=move]').press('Enter');
  await page.locator('.ed-section').nth(1).locator('.ed-item').nth(1).locator('[data-act=up]').press('Enter');
  assert.deepEqual(await page.$$eval('.ed-section:nth-child(2) .ed-item .ed-key-echo', (xs) => xs.map((x) => x.textContent)), ['closing', 'benefits']);
  // Nothing is left to fix or translate; the preview shows the section being edited.
  await pause(page);
  assert.match(await page.textContent('#ed-problems-head'), /No problems/);
  assert.equal(await missingCount(page), 0);
  assert.ok(await page.$('.ed-preview .phone[lang=ar] #ar-item-benefits'), 'the Arabic preview shows the scale');
  // Publishing waits for the server's word.
  assert.equal(await page.$eval('#ed-publish', (b) => b.disabled), true);
  await page.click('#ed-save');
  await page.waitForSelector('#ed-status .msg.ok');
  await page.waitForFunction(() => location.hash === '#/qa/editor/editor-journey@1' && document.body.dataset.route === location.hash);
  assert.equal(await page.$eval('#ed-publish', (b) => b.disabled), false);
  assert.equal(await page.isVisible('#ed-unsaved'), false, 'saved: no "unsaved changes" chip');
  // An edit not saved survives a reload: offered back, restored.
  await field(item(page, 0, 0), 'text-en').fill('Greeted within 30 seconds of entering');
  await pause(page);
  assert.equal(await page.$eval('#ed-publish', (b) => b.disabled), true, 'an unsaved edit withdraws publishing');
  await page.reload();
  await settled(page);
  await page.waitForSelector('#ed-restore-offer');
  // A saved checklist opens with its cards closed: one line each, the text in the reader's language.
  assert.equal(await item(page, 0, 0).locator('.ed-sum-text').textContent(), 'Greeted within 30 seconds');
  await openCard(item(page, 0, 0));
  assert.equal(await field(item(page, 0, 0), 'text-en').inputValue(), 'Greeted within 30 seconds', 'the saved draft, until restored');
  await page.click('#ed-restore');
  await openCard(item(page, 0, 0));
  assert.equal(await field(item(page, 0, 0), 'text-en').inputValue(), 'Greeted within 30 seconds of entering');
  await page.click('#ed-save');
  await page.waitForSelector('#ed-status .msg.ok');
  await page.click('#ed-publish');
  await page.click('#confirm-yes');
  await page.waitForSelector('#ed-back-to-list');
  assert.equal(await page.isVisible('#ed-unsaved'), false, 'published: no "unsaved changes" chip');
  // Published: the page no longer edits (a walkthrough typed on and got a bare 409 from "Save
  // draft"), the focus is on what happened, and the way on is a new version.
  assert.equal(await page.evaluate(() => document.activeElement?.closest('#ed-status') !== null), true, 'the focus is on the outcome');
  assert.equal(await page.$eval('#ed-save', (b) => b.disabled), true);
  assert.equal(await page.evaluate(() => document.querySelector('.ed-sections').closest('[inert]') !== null), true, 'the form is inert');
  await page.click('#ed-new-version');
  await page.waitForFunction(() => location.hash === '#/qa/editor/editor-journey@2' && document.body.dataset.route === location.hash);
  await settled(page);
  assert.equal(await page.isVisible('#ed-unsaved'), true, 'version 2 is a copy on this device');
  // The published version's own address says what it is and offers the same way on.
  await page.goto(`${server.url}/#/qa/editor/editor-journey@1`);
  await settled(page);
  assert.match(await page.textContent('main'), /A published version never changes/);
  assert.equal(await page.isVisible('#ed-new-version'), true);

  const qa = await apiAs(server.url, 'qa@demo.sirr');
  const stored = await qa('/api/v1/checklists/editor-journey/versions/1');
  assert.equal(stored.status, 'published');
  const doc = stored.document;
  assert.equal(doc.key, 'editor-journey');
  assert.equal(doc.version, 1);
  assert.deepEqual(doc.title, { en: 'Editor journey', ar: 'رحلة المحرر' });
  assert.deepEqual(doc.critical_rule, { cap: 0.4 });
  assert.deepEqual(doc.sections.map((s) => [s.key, s.title, s.weight ?? 1]), [['welcome', { en: 'Welcome', ar: 'الاستقبال' }, 2], ['service', { en: 'Service', ar: 'الخدمة' }, 1]]);
  const [g, o, w] = doc.sections[0].items;
  assert.deepEqual(g, {
    key: 'greeted', type: 'yes_no', critical: true, owner: 'training', tags: ['greeting', 'speed'],
    text: { en: 'Greeted within 30 seconds of entering', ar: 'تم الترحيب خلال 30 ثانية' }, help: { en: 'Count from the door', ar: 'احسب من الباب' },
  });
  assert.deepEqual(o, {
    key: 'offered', type: 'choice', na_allowed: true, text: { en: 'Offered the card', ar: 'عرض البطاقة' },
    options: [
      { key: 'proactive', score: 1, text: { en: 'Without asking', ar: 'دون طلب' } },
      { key: 'asked', score: 0.5, text: { en: 'When asked', ar: 'عند الطلب' } },
      { key: 'no', score: 0, text: { en: 'Not at all', ar: 'لم يعرض' } }],
  });
  assert.deepEqual(w, { key: 'wait', type: 'number', text: { en: 'Minutes waited', ar: 'دقائق الانتظار' }, bands: [{ max: 5, score: 1 }, { max: 10, score: 0.5 }, { score: 0 }], evidence: { photo: 'on_fail' } });
  assert.deepEqual(doc.sections[1].items, [
    { key: 'closing', type: 'note', text: { en: 'Thank the staff', ar: 'اشكر الموظفين' } },
    { key: 'benefits', type: 'scale', min: 1, max: 5, text: { en: 'Explained the benefits', ar: 'شرح المزايا' }, show_if: "offered != 'no' and wait <= 10" },
  ]);
  await context.close();
});

test('a published version becomes a new version: the changes are listed, version 2 is published, version-1 visits keep their scores', async () => {
  const qa = await apiAs(server.url, 'qa@demo.sirr');
  // A visit the demo scored on the checklist's published version, and its branch's scores.
  const visits = (await qa('/odata/v4/Visits?$top=50')).value.filter((v) => v.score !== null);
  assert.ok(visits.length, 'the demo has scored visits');
  const visitRef = visits[0];
  const key = visitRef.checklist;
  const list = await qa('/api/v1/checklists');
  const versions = list.find((c) => c.key === key).versions;
  const published = versions.filter((v) => v.status === 'published').sort((a, b) => b.version - a.version)[0];
  assert.equal(visitRef.checklist_version, published.version, 'the visit was made on the version copied');
  const v1 = (await qa(`/api/v1/checklists/${key}/versions/${published.version}`)).document;
  const visitBefore = await qa(`/api/v1/visits/${visitRef.visit_id}`);
  const branchPath = `/api/v1/scores/branches/${visitRef.branch_id}?period=${visitRef.period}`;
  const branchBefore = await qa(branchPath);
  // The first scored item's weight goes up by one; the second item's Arabic text changes.
  const items = v1.sections.flatMap((s) => s.items);
  const weighted = items.find((i) => ['yes_no', 'scale', 'choice'].includes(i.type));
  const retexted = items.find((i) => i !== weighted && i.text?.ar);

  const { context, page } = await desktop();
  await page.click(`#checklist-list tr[data-key="${key}"] li[data-version="${published.version}"] .new-version`);
  // The copy is made (the published document fetched) before the editor opens.
  await page.waitForFunction(() => location.hash.startsWith('#/qa/editor/'));
  await settled(page);
  const next = Math.max(...versions.map((v) => v.version)) + 1;
  assert.equal(await page.evaluate(() => location.hash), `#/qa/editor/${key}@${next}`);
  await page.waitForSelector('#ed-diff-none');
  const card = (k) => page.locator('.ed-item').filter({ has: page.locator(`.ed-key-echo:text-is("${k}")`) });
  await openCard(card(weighted.key));
  await openCard(card(retexted.key));
  await field(card(weighted.key), 'weight').fill(String((weighted.weight ?? 1) + 1));
  await field(card(retexted.key), 'text-ar').fill(`${retexted.text.ar} (معدل)`);
  await page.waitForSelector('#ed-diff-list');
  await pause(page);
  const changes = await page.$$eval('#ed-diff-list li', (lis) => lis.map((li) => li.textContent));
  assert.deepEqual(changes, [`Item '${weighted.key}': weight ${weighted.weight ?? 1} → ${(weighted.weight ?? 1) + 1}`, `Item '${retexted.key}': text (Arabic) changed`].sort((a, b) => (items.findIndex((i) => a.includes(`'${i.key}'`)) - items.findIndex((i) => b.includes(`'${i.key}'`)))));
  await page.click('#ed-save');
  await page.waitForSelector('#ed-status .msg.ok');
  await page.click('#ed-publish');
  await page.click('#confirm-yes');
  await page.waitForSelector('#ed-back-to-list');
  await context.close();

  const v2 = await qa(`/api/v1/checklists/${key}/versions/${next}`);
  assert.equal(v2.status, 'published');
  const expected = structuredClone(v1);
  expected.version = next;
  for (const s of expected.sections) {
    for (const i of s.items) {
      if (i.key === weighted.key) i.weight = (weighted.weight ?? 1) + 1;
      if (i.key === retexted.key) i.text.ar = `${retexted.text.ar} (معدل)`;
    }
  }
  assert.deepEqual(v2.document, expected, 'version 2 is version 1 with exactly the two changes');
  // Visits made on the old version keep their version and their scores.
  const visitAfter = await qa(`/api/v1/visits/${visitRef.visit_id}`);
  assert.deepEqual(visitAfter.checklist, visitBefore.checklist);
  assert.deepEqual(visitAfter.score, visitBefore.score);
  const branchAfter = await qa(branchPath);
  const visitLine = (await qa('/odata/v4/Visits?$top=50')).value.find((v) => v.visit_id === visitRef.visit_id);
  assert.deepEqual([visitLine.checklist_version, visitLine.score], [visitRef.checklist_version, visitRef.score]);
  assert.equal(branchAfter.raw_score, branchBefore.raw_score);
  assert.equal(branchAfter.fair_score, branchBefore.fair_score);
});

test('a new version started from an older version, then asked from the newest, is not silently the older one (walkthrough)', async () => {
  const qa = await apiAs(server.url, 'qa@demo.sirr');
  const [summary] = await qa('/api/v1/checklists');
  const key = summary.key;
  const older = summary.latest_published_version;
  // A newer published version whose English title says so.
  const source = (await qa(`/api/v1/checklists/${key}/versions/${older}`)).document;
  const newer = Math.max(...summary.versions.map((v) => v.version)) + 1;
  const newTitle = `${source.title.en} (newer)`;
  await qa('/api/v1/checklists', { method: 'POST', body: JSON.stringify({ ...source, version: newer, title: { ...source.title, en: newTitle } }) });
  await qa(`/api/v1/checklists/${key}/versions/${newer}/publish`, { method: 'POST' });
  const next = newer + 1;
  const { context, page } = await desktop();
  const start = async (v) => {
    await page.goto(`${server.url}/#/qa/checklists`);
    await settled(page);
    await page.click(`#checklist-list tr[data-key="${key}"] li[data-version="${v}"] .new-version`);
  };
  const title = () => page.locator('.ed-head [id$="-title-en"]').inputValue();
  // From the older version, opened and left untouched.
  await start(older);
  await page.waitForFunction((n) => location.hash.endsWith(`@${n}`), next);
  await page.waitForSelector('#editor');
  assert.equal(await title(), source.title.en);
  // Nothing of it is on the server yet: said at once, and again after a reload.
  assert.equal(await page.isVisible('#ed-unsaved'), true);
  await page.reload();
  await settled(page);
  await page.waitForSelector('#editor');
  assert.equal(await page.isVisible('#ed-unsaved'), true, 'still unsaved after a reload');
  // From the newest: the author is asked, with "open the copy" focused, and can start again.
  await start(newer);
  await page.waitForSelector('dialog.confirm[open]');
  assert.match(await page.textContent('#confirm-text'), new RegExp(`^Version ${next} is already being prepared on this device from another version\\. Start it again from version ${newer}\\?`));
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'confirm-no');
  await page.click('#confirm-yes');
  await page.waitForFunction((n) => location.hash.endsWith(`@${n}`), next);
  await page.waitForSelector('#editor');
  assert.equal(await title(), newTitle, 'the copy of the version asked for');
  // Asked again from the same version: the copy is opened, no question.
  await start(newer);
  await page.waitForSelector('#editor');
  assert.equal(await page.$('dialog.confirm'), null);
  assert.equal(await title(), newTitle);
  await context.close();
});

test('the core journey in Arabic: right to left, problems and the condition check in Arabic, published as entered', async () => {
  const { context, page } = await desktop('ar-SA');
  await page.click('#new-checklist');
  await settled(page);
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  await field(head(page), 'key').fill('arabic-journey');
  await pair(head(page), 'title', 'Arabic journey', 'رحلة عربية');
  await field(section(page, 0), 'key').fill('main');
  await pair(section(page, 0), 'title', 'Main', 'الرئيسي');
  const first = item(page, 0, 0);
  await field(first, 'key').fill('clean');
  await pair(first, 'text', 'The branch is clean', 'الفرع نظيف');
  const second = await addItem(page, 0, 'multi_choice');
  await field(second, 'key').fill('extras');
  await pair(second, 'text', 'Extras offered', 'الإضافات المعروضة');
  await addOption(second, 'water', 1, 'Water', 'ماء');
  await addOption(second, 'coffee', 1, 'Coffee', 'قهوة');
  const third = await addItem(page, 0, 'text');
  await field(third, 'key').fill('remarks');
  await pair(third, 'text', 'Remarks', 'ملاحظات');
  const cond = field(third, 'show_if');
  await cond.fill("extras == 'water'");
  const msg = third.locator('[id$="-show_if-msg"]');
  const said = await says(msg, /بند اختيار متعدد/);
  assert.match(said, /selected\(extras, 'option'\)/);
  await cond.fill("selected(extras, 'tea')");
  await says(msg, /ليس من خيارات/);
  await cond.fill("clean = 'no'");
  await says(msg, /في العمود ٧/);
  // Code inside the Arabic sentence is isolated left to right: '>' and '(' are not mirrored.
  await cond.fill('clean >> 5');
  await says(msg, /والموجود \u2066'>'\u2069/);
  await cond.fill('clean');
  await says(msg, /\u2066>=\u2069/);
  // An answer written without quotes reads as an item's key: the message says to quote it.
  await cond.fill('clean == no');
  await says(msg, /بند غير معروف «\u2068no\u2069» — إن قصدت إجابة للبند «\u2068clean\u2069» فاكتبها بين علامتي اقتباس/);
  await cond.fill("selected(extras, 'coffee') or clean == 'no'");
  await page.waitForFunction(() => !document.querySelector('.ed-item [id$="-show_if-msg"]'));
  // The English phone answered on an Arabic page: its count stays English, and the Arabic phone
  // shows the same answer at once. The Arabic phone comes first, and each is named in Arabic.
  await pause(page);
  assert.deepEqual(await page.$$eval('.ed-preview .phone', (ps) => ps.map((p) => [p.lang, p.getAttribute('aria-label')])), [['ar', 'معاينة (العربية)'], ['en', 'معاينة (الإنجليزية)']]);
  // A question is isolated in its own direction (an English fallback on the Arabic phone keeps its '?' at its end).
  assert.equal(await page.textContent('.ed-preview .phone[lang=ar] #ar-item-clean .q > bdi'), 'الفرع نظيف');
  await page.click('.ed-preview .phone[lang=en] #en-item-clean label:has(input[value=yes])');
  assert.match(await page.textContent('.ed-preview .phone[lang=en] .count'), /^1 \/ \d+ answered$/);
  assert.equal(await page.isChecked('.ed-preview .phone[lang=ar] #ar-item-clean input[value=yes]'), true);
  // An invalid key is refused in Arabic, at its field and in the list; clicking the entry focuses it.
  await field(first, 'key').fill('Clean!');
  await pause(page);
  // A closed card says it needs fixing; clicking the problem opens it at the field.
  await closeCard(first);
  assert.equal(await first.locator('.ed-problem-badge').isVisible(), true);
  const entry = page.locator('#ed-problems li').first();
  assert.match(await entry.textContent(), /ليس مفتاحاً صالحاً/);
  await entry.locator('button').click();
  assert.equal(await page.evaluate(() => document.activeElement.value), 'Clean!');
  assert.equal(await field(first, 'key').getAttribute('aria-invalid'), 'true', 'the problem is marked at the field of the card opened');
  await field(first, 'key').fill('clean');
  await pause(page);
  assert.match(await page.textContent('#ed-problems-head'), /لم تُوجد مشكلات/);
  await page.click('#ed-save');
  await page.waitForSelector('#ed-status .msg.ok');
  await page.click('#ed-publish');
  await page.click('#confirm-yes');
  await page.waitForSelector('#ed-back-to-list');
  assert.doesNotMatch((await page.textContent('.ed-bar')).replace(/XLSForm|JSON/g, ''), /[A-Za-z]{4,}/, 'the bar is in Arabic');
  const qa = await apiAs(server.url, 'qa@demo.sirr');
  const doc = (await qa('/api/v1/checklists/arabic-journey/versions/1')).document;
  assert.deepEqual(doc.sections[0].items, [
    { key: 'clean', type: 'yes_no', text: { en: 'The branch is clean', ar: 'الفرع نظيف' } },
    { key: 'extras', type: 'multi_choice', text: { en: 'Extras offered', ar: 'الإضافات المعروضة' }, options: [{ key: 'water', score: 1, text: { en: 'Water', ar: 'ماء' } }, { key: 'coffee', score: 1, text: { en: 'Coffee', ar: 'قهوة' } }] },
    { key: 'remarks', type: 'text', text: { en: 'Remarks', ar: 'ملاحظات' }, show_if: "selected(extras, 'coffee') or clean == 'no'" },
  ]);
  await context.close();
});

test('published from another tab meanwhile: the save is refused with the way on, and version 2 starts with the edits; the preview keeps its answers across sections', async () => {
  const qa = await apiAs(server.url, 'qa@demo.sirr');
  const doc = {
    key: 'two-tabs', version: 1, languages: ['en', 'ar'], title: { en: 'Two tabs', ar: 'تبويبان' },
    sections: [
      { key: 'door', title: { en: 'Door', ar: 'الباب' }, items: [{ key: 'greeted', type: 'yes_no', text: { en: 'Greeted', ar: 'رُحّب به' } }] },
      { key: 'desk', title: { en: 'Desk', ar: 'المكتب' }, items: [{ key: 'why', type: 'text', text: { en: 'Why not?', ar: 'لماذا لا؟' }, show_if: "greeted == 'no'" }] },
    ],
  };
  await qa('/api/v1/checklists', { method: 'POST', body: JSON.stringify(doc) });
  const { context, page } = await desktop();
  await page.goto(`${server.url}/#/qa/editor/two-tabs@1`);
  await settled(page);
  assert.equal(await page.$eval('#ed-publish', (b) => b.disabled), false, 'a stored draft, unchanged, may be published at once');
  // The preview: "no" on the first section's question, then the second section shows its
  // follow-up — and still does after a redraw and a way back (a walkthrough's answers were lost).
  await page.click('.ed-preview .phone[lang=en] #en-item-greeted label:has(input[value=no])');
  assert.equal(await page.isChecked('.ed-preview .phone[lang=ar] #ar-item-greeted input[value=no]'), true, 'the Arabic phone shows the answer too');
  await page.selectOption('#ed-preview-section', '1');
  await page.locator('.ed-preview .phone[lang=en] #en-item-why').waitFor();
  assert.equal(await page.isVisible('.ed-preview .phone[lang=en] #en-item-why'), true, 'the follow-up shows');
  await page.selectOption('#ed-preview-section', '0');
  assert.equal(await page.isChecked('.ed-preview .phone[lang=en] #en-item-greeted input[value=no]'), true, 'the answer is kept');
  // Meanwhile the version is published elsewhere; this tab edits on and saves.
  await qa('/api/v1/checklists/two-tabs/versions/1/publish', { method: 'POST', body: '{}' });
  const first = page.locator('.ed-item').first();
  await openCard(first);
  await field(first, 'text-en').fill('Greeted at the door');
  await page.click('#ed-save');
  await page.waitForSelector('#ed-carry-edits');
  assert.match(await page.textContent('#ed-status'), /^Version 1 has been published meanwhile, and a published version never changes\. Your edits are kept on this device\./);
  await page.click('#ed-carry-edits');
  await page.waitForFunction(() => location.hash === '#/qa/editor/two-tabs@2' && document.body.dataset.route === location.hash);
  await openCard(page.locator('.ed-item').first());
  assert.equal(await field(page.locator('.ed-item').first(), 'text-en').inputValue(), 'Greeted at the door', 'the edit came along');
  await page.click('#ed-save');
  await page.waitForSelector('#ed-status .msg.ok');
  const v2 = (await qa('/api/v1/checklists/two-tabs/versions/2')).document;
  assert.deepEqual(v2, { ...doc, version: 2, sections: [{ ...doc.sections[0], items: [{ ...doc.sections[0].items[0], text: { en: 'Greeted at the door', ar: 'رُحّب به' } }] }, doc.sections[1]] });
  // A colleague saves the draft meanwhile; this tab's next save replaces nothing unseen (a
  // walkthrough's two tabs each said "Saved" while erasing the other's edits).
  await qa('/api/v1/checklists/two-tabs/versions/2', { method: 'PUT', body: JSON.stringify({ ...v2, title: { en: 'Two tabs (colleague)', ar: 'تبويبان (زميل)' } }) });
  await openCard(page.locator('.ed-item').first());
  await field(page.locator('.ed-item').first(), 'text-ar').fill('رُحّب به عند الباب');
  await page.click('#ed-save');
  await page.waitForSelector('#ed-reopen');
  assert.match(await page.textContent('#ed-status'), /^Someone else saved the draft of version 2 after you opened it, so nothing was replaced\. Your edits are kept on this device\./);
  assert.equal((await qa('/api/v1/checklists/two-tabs/versions/2')).document.title.en, 'Two tabs (colleague)', 'theirs stays');
  // Opened again: their draft, with these edits offered back. Restored, only these edits are
  // replayed on it (a walkthrough's restore brought back the whole older copy, undoing the
  // colleague's title): both stay.
  await page.click('#ed-reopen');
  await page.waitForSelector('#ed-restore-offer');
  assert.equal(await field(page.locator('.ed-head'), 'title-en').inputValue(), 'Two tabs (colleague)');
  await page.click('#ed-restore');
  await page.waitForSelector('#ed-status .msg.ok');
  assert.match(await page.textContent('#ed-status'), /replayed on the draft saved meanwhile: its other changes stay/);
  assert.equal(await field(page.locator('.ed-head'), 'title-en').inputValue(), 'Two tabs (colleague)');
  await page.click('#ed-save');
  await page.waitForFunction(() => /^Saved/.test(document.querySelector('#ed-status')?.textContent || ''));
  const merged = (await qa('/api/v1/checklists/two-tabs/versions/2')).document;
  assert.deepEqual(merged.title, { en: 'Two tabs (colleague)', ar: 'تبويبان (زميل)' }, 'their title stays');
  assert.deepEqual(merged.sections[0].items[0].text, { en: 'Greeted at the door', ar: 'رُحّب به عند الباب' }, 'my edit is there');
  await context.close();
});

test('missing translations are counted, marked, filtered and reached one by one; a refused save keeps the edits at their fields', async () => {
  const { context, page } = await desktop('en-US', { viewport: { width: 820, height: 1180 } });
  await page.click('#new-checklist');
  await settled(page);
  // A blank checklist: its title, the section's title and the item's text, each in two languages.
  assert.equal(await missingCount(page), 6);
  assert.match(await page.textContent('#ed-missing-count'), /^6 missing translations$/);
  await field(head(page), 'title-en').fill('Counting');
  assert.equal(await missingCount(page), 5);
  await pair(section(page, 0), 'title', 'Section', 'القسم');
  assert.equal(await missingCount(page), 3);
  const first = item(page, 0, 0);
  await pair(first, 'text', 'First', 'الأول');
  assert.equal(await missingCount(page), 1);
  // Optional texts count once one language has text.
  await first.locator('details.ed-help summary').click();
  await field(first, 'help-ar').fill('إرشاد');
  assert.equal(await missingCount(page), 2);
  assert.equal(await first.locator('label[for$="-help-en"] .missing-tr').isVisible(), true, 'the missing English help is marked');
  // Only the gaps are marked: fields with their text show no badge (a walkthrough once saw
  // every field marked while the count said 0).
  for (const f of ['text-en', 'text-ar', 'help-ar']) {
    assert.equal(await first.locator(`label[for$="-${f}"] .missing-tr`).isVisible(), false, `${f} is filled: no badge`);
  }
  const marked = await first.locator('.missing-tr:not(.item-missing)').evaluateAll((els) => els.filter((e) => e.getClientRects().length).length);
  assert.equal(marked, 1, 'one field of this item lacks its text: one badge');
  const second = await addItem(page, 0, 'choice');
  await pair(second, 'text', 'Second', 'الثاني');
  assert.equal(await missingCount(page), 2);
  await addOption(second, 'a', 1, 'Option A');
  assert.equal(await missingCount(page), 3);
  const third = await addItem(page, 0, 'yes_no');
  await pair(third, 'text', 'Third', 'الثالث');
  // Closed cards keep their counts and badges.
  await closeCard(first);
  await closeCard(third);
  assert.equal(await missingCount(page), 3);
  assert.equal(await first.locator('.item-missing').isVisible(), true);
  assert.equal(await third.locator('.item-missing').isVisible(), false);
  // Only the parts with a gap stay in view.
  await page.check('#ed-only-missing');
  assert.equal(await first.isVisible(), true);
  assert.equal(await second.isVisible(), true);
  assert.equal(await third.isVisible(), false);
  await page.uncheck('#ed-only-missing');
  // "Next missing translation" walks the gaps in order, opening a closed card on the way.
  await page.click('#ed-next-missing');
  assert.match(await page.evaluate(() => document.activeElement.id), /-title-ar$/);
  await page.click('#ed-next-missing');
  assert.match(await page.evaluate(() => document.activeElement.id), /-help-en$/);
  assert.equal(await first.locator('.ed-card-toggle').getAttribute('aria-expanded'), 'true');
  await page.click('#ed-next-missing');
  assert.equal(await page.evaluate(() => document.activeElement.closest('.ed-opt') !== null && document.activeElement.id.endsWith('-text-ar')), true, 'then the option\'s Arabic text');
  // With "only missing" on, the card being filled stays in view while its gap closes: every key is
  // kept (a walkthrough lost all but the first letter); it leaves the view with the focus.
  await page.check('#ed-only-missing');
  const optionAr = second.locator('.ed-opt [id$="-text-ar"]');
  await optionAr.focus();
  await page.keyboard.type('الخيار أ', { delay: 30 });
  assert.equal(await optionAr.inputValue(), 'الخيار أ');
  assert.equal(await page.evaluate(() => document.activeElement.closest('.ed-opt') !== null), true, 'the focus stays in the field');
  assert.equal(await missingCount(page), 2);
  await page.focus('#ed-next-missing');
  assert.equal(await second.isVisible(), false, 'complete, and hidden once left');
  await page.uncheck('#ed-only-missing');
  // Removing an option with words in it is asked first (Escape keeps it); removed, its gap
  // leaves the count.
  await second.locator('.ed-opt button.danger').click();
  await page.waitForSelector('dialog.confirm[open]');
  assert.match(await page.textContent('#confirm-text'), /^Remove option .+ and its texts\? This cannot be undone\.$/);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('dialog.confirm'));
  assert.equal(await second.locator('.ed-opt').count(), 1, 'Escape keeps the option');
  await second.locator('.ed-opt button.danger').click();
  await page.click('#confirm-yes');
  await page.waitForFunction(() => !document.querySelector('dialog.confirm'));
  assert.equal(await second.locator('.ed-opt').count(), 0);
  assert.equal(await missingCount(page), 2);
  // A save the server refuses (the key is missing) keeps every edit, and says where.
  await page.click('#ed-save');
  await page.waitForSelector('#ed-server-list li');
  assert.ok(await page.$$eval('#ed-server-list li', (lis) => lis.some((li) => li.dataset.path === '/key')));
  await openCard(third);
  assert.equal(await field(third, 'text-ar').inputValue(), 'الثالث');
  assert.equal(await field(head(page), 'key').getAttribute('aria-invalid'), 'true');
  // Removing a section is asked first, with the focus on "cancel": Enter keeps it.
  await page.click('#ed-add-section');
  const sections = () => page.locator('.ed-section').count();
  assert.equal(await sections(), 2);
  await page.locator('.ed-section').nth(1).locator('[data-act=sec-remove]').click();
  await page.waitForSelector('dialog.confirm[open]');
  assert.match(await page.textContent('#confirm-text'), /^Remove section section-2 and its 1 item\? This cannot be undone\.$/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'confirm-no');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.querySelector('dialog.confirm'));
  assert.equal(await sections(), 2, 'kept');
  await page.locator('.ed-section').nth(1).locator('[data-act=sec-remove]').click();
  await page.click('dialog.confirm[open] #confirm-yes');
  await page.waitForFunction(() => document.querySelectorAll('.ed-section').length === 1);
  await context.close();
});

test('"Download as XLSForm" asks the server for the version\'s workbook', async () => {
  const { context, page } = await desktop();
  const [request] = await Promise.all([
    page.waitForRequest((r) => /\/api\/v1\/checklists\/[a-z0-9_-]+\/versions\/\d+\/xlsform$/.test(r.url())),
    page.locator('.download-xlsform').first().click(),
  ]);
  assert.match(request.headers().authorization || '', /^Bearer /);
  await context.close();
});

test('the editor has no serious or critical accessibility violations, in English and Arabic (axe-core)', async () => {
  const axePath = require.resolve('axe-core');
  const failures = [];
  for (const locale of ['en-US', 'ar-SA']) {
    const { context, page } = await desktop(locale, { bypassCSP: true });
    await page.click('#new-checklist');
    await settled(page);
    const it = await addItem(page, 0, 'choice');
    await addOption(it, 'x', 2, 'X');
    const band = await addItem(page, 0, 'duration');
    await addBand(band, 60, 1);
    await field(band, 'show_if').fill('nothing == 1');
    await closeCard(it); // a closed card's line, with its badges, is checked too
    await pause(page);
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    for (const v of result.violations.filter((x) => ['serious', 'critical'].includes(x.impact))) {
      failures.push(`${locale}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    }
    await context.close();
  }
  assert.deepEqual(failures, []);
});
