// QA on a desktop brings a checklist in from an XLSForm workbook, in the browser (issue 19): the
// workbook is converted on the server, problems are shown at their sheet, row and column in the
// reader's language, and publishing is offered only for a document without errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, apiAs, launch, settled, signIn, startServer } from './lib.mjs';

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

async function desktop(locale) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
  const page = await context.newPage();
  await signIn(page, server.url, 'qa@demo.sirr');
  await page.goto(`${server.url}/#/qa/checklists`);
  await settled(page);
  return { context, page };
}

test('an XLSForm workbook becomes a draft checklist, previewed, with publish offered', async () => {
  const { context, page } = await desktop('en-US');
  const drafts = '#checklist-list tr[data-key="retail-store-visit"] li[data-status="draft"]';
  assert.equal(await page.locator(drafts).count(), 0);
  await page.setInputFiles('#checklist-file', join(ROOT, 'examples/checklists/retail-store-visit.xlsx'));
  await page.waitForSelector('#publish', { timeout: 30000 });
  // A screen reader hears one line about it, not the whole preview; the list shows the new draft
  // at once (its row's actions were those of the old state).
  assert.match(await page.textContent('#checklist-upload-status'), /version 2/);
  assert.equal(await page.$('[aria-live] .previews'), null);
  await page.waitForSelector(drafts);
  const text = await page.textContent('main');
  assert.doesNotMatch(text, /Unexpected token/);
  assert.match(text, /version 2/, 'published version 1 stays; the upload becomes version 2');
  assert.ok(await page.$('.previews'), 'the phone preview is shown');
  // Uploading the corrected workbook again replaces that draft instead of piling up versions.
  await page.goto(`${server.url}/#/qa/checklists`);
  await settled(page);
  await page.setInputFiles('#checklist-file', join(ROOT, 'examples/checklists/retail-store-visit.xlsx'));
  await page.waitForSelector('#publish', { timeout: 30000 });
  assert.match(await page.textContent('main'), /version 2/);
  await context.close();
});

test('a broken workbook shows its problems by sheet and row, in Arabic, and cannot be published', async () => {
  const { context, page } = await desktop('ar-SA');
  // The file chooser speaks Arabic too (the browser's own control would say "Choose File"), and
  // names the chosen file.
  const picker = page.locator('.file-picker').first();
  assert.equal((await picker.locator('label').textContent()).trim(), 'اختر ملفاً…');
  assert.equal((await picker.locator('.file-name').textContent()).trim(), 'لم يُختر ملف');
  await page.setInputFiles('#checklist-file', join(ROOT, 'tests/fixtures/imports/broken-xlsform.xlsx'));
  assert.equal((await picker.locator('.file-name').textContent()).trim(), 'broken-xlsform.xlsx');
  await page.waitForSelector('#problems li', { timeout: 30000 });
  const problems = await page.$$eval('#problems li', (lis) => lis.map((li) => li.textContent));
  assert.ok(problems.some((p) => p.includes('الورقة') && p.includes('survey') && p.includes('4')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('5')), problems.join('\n'));
  assert.equal(await page.$('#publish'), null, 'no publish button for an invalid workbook');
  await context.close();
});

/** Polls a Node-side condition (the app saves the language in the background). */
async function eventually(check, timeout = 15000) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`still false after ${timeout} ms: ${check}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('switching the language in the app saves it on the server, so refusals come back in it (SPEC §10.31)', async () => {
  const { context, page } = await desktop('en-US');
  await page.click('header button.lang');
  await settled(page);
  const qa = await apiAs(server.url, 'qa@demo.sirr');
  await eventually(async () => (await qa('/api/v1/me')).language === 'ar');
  // A refusal asked for without Accept-Language follows the saved language.
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('sirr.tokens')).access);
  const res = await fetch(`${server.url}/api/v1/branches/no-such-branch`, { headers: { Authorization: `Bearer ${token}` } });
  const body = await res.json();
  assert.equal(res.status, 404);
  assert.match(body.error.message, /[\u0600-\u06FF]/, body.error.message);
  await page.click('header button.lang');
  await eventually(async () => (await qa('/api/v1/me')).language === 'en');
  await context.close();
  // Forgotten again: a saved language would decide the later tests' screens at sign-in.
  await qa('/api/v1/me', { method: 'PATCH', body: JSON.stringify({ language: null }) });
});

test('an ended session says so, keeps the e-mail and returns to the same screen after signing in', async () => {
  const { context, page } = await desktop('ar-SA');
  await page.goto(`${server.url}/#/qa/disputes`);
  await settled(page);
  // The server no longer knows either token (what an expiry or a revoked session looks like).
  await page.evaluate(() => localStorage.setItem('sirr.tokens', JSON.stringify({ access: 'expired', refresh: 'expired' })));
  await page.goto(`${server.url}/#/qa/campaigns`);
  await page.waitForSelector('#email');
  await settled(page);
  assert.equal(await page.inputValue('#email'), 'qa@demo.sirr');
  assert.match(await page.textContent('main'), /انتهت جلستك/);
  await page.fill('#password', 'demo-password');
  await page.click('form.login button[type=submit]');
  await page.waitForFunction(() => location.hash === '#/qa/campaigns' && document.body.dataset.route === location.hash);
  await context.close();
});

/** Latin words of four letters or more in a text (English left on an Arabic screen). */
const englishIn = (text, allowed = []) => (text.match(/[A-Za-z][A-Za-z_'-]{3,}/g) || []).filter((w) => !allowed.includes(w));

test('QA\'s Arabic screens are Arabic: checklist titles, status words, disputed answers in words, the refusal of a decision without a reason (issue 14)', async () => {
  const qa = await apiAs(server.url, 'qa@demo.sirr');
  const checklists = await qa('/api/v1/checklists');
  const { context, page } = await desktop('ar-SA');
  // The review queue names each checklist by its Arabic title, never by its key.
  const queue = await qa('/api/v1/reviews');
  await page.goto(`${server.url}/#/qa/reviews`);
  await settled(page);
  if (queue.length) {
    const titles = await page.$$eval('li.card[data-visit]', (cards) => cards.map((x) => x.textContent));
    const heads = await page.$$eval('li.card[data-visit] h2', (hs) => hs.map((x) => x.textContent));
    const branches = await qa('/api/v1/branches');
    for (const [i, q] of queue.slice(0, 5).entries()) {
      const c = checklists.find((x) => x.key === q.checklist_key);
      assert.ok(titles[i].includes(c.title.ar), `${titles[i]} names ${c.title.ar}`);
      assert.ok(!titles[i].includes(q.checklist_key), `${titles[i]} has no key ${q.checklist_key}`);
      // The branch by its Arabic name, with its code.
      const b = branches.find((x) => x.code === q.branch_code);
      assert.ok(heads[i].includes(b.names.ar) && heads[i].includes(q.branch_code), `${heads[i]} names ${b.names.ar}`);
    }
  }
  // The checklists' versions: their states in Arabic.
  await page.goto(`${server.url}/#/qa/checklists`);
  await settled(page);
  const versions = await page.$$eval('#checklist-list ul.versions li', (lis) => lis.map((li) => li.textContent));
  assert.ok(versions.length > 0);
  for (const v of versions) assert.deepEqual(englishIn(v, ['XLSForm']), [], v); // a format's name, like PDF
  // Open disputes: the disputed answer in words (yes/no → نعم/لا, an option by its text), the status in Arabic.
  const open = await qa('/api/v1/disputes?status=open');
  assert.ok(open.length > 0, 'the demo has open disputes');
  await page.goto(`${server.url}/#/qa/disputes`);
  await settled(page);
  for (const d of open.slice(0, 6)) {
    const card = `li.dispute[data-id="${d.id}"]`;
    const answer = await page.textContent(`${card} .answer`);
    const doc = (await qa(`/api/v1/checklists/${d.checklist.key}/versions/${d.checklist.version}`)).document;
    const item = doc.sections.flatMap((s) => s.items).find((i) => i.key === d.item_key);
    if (item.type === 'yes_no') assert.equal(answer, d.answer === 'yes' ? 'نعم' : d.answer === 'no' ? 'لا' : d.answer === 'na' ? 'لا ينطبق' : '—', `${d.id}: ${JSON.stringify(d.answer)}`);
    if (item.type === 'choice') assert.equal(answer, item.options.find((o) => o.key === d.answer).text.ar);
    assert.ok(!answer.includes('"'), `no raw JSON: ${answer}`);
    assert.deepEqual(englishIn(await page.textContent(`${card} .pill`)), []);
    assert.deepEqual(englishIn(answer), [], answer);
  }
  // Deciding without a reason: refused in Arabic, and nothing is sent.
  const first = open[0];
  let sent = 0;
  page.on('request', (r) => { if (r.url().includes(`/disputes/${first.id}/resolve`)) sent++; });
  await page.click(`li.dispute[data-id="${first.id}"] button[data-outcome=upheld]`);
  const refusal = await page.textContent(`li.dispute[data-id="${first.id}"] .dispute-error`);
  assert.match(refusal, /اكتب سبب قرارك/);
  assert.deepEqual(englishIn(refusal), []);
  assert.equal(sent, 0);
  assert.equal((await qa(`/api/v1/disputes/${first.id}`)).status, 'open');
  await context.close();
});

test('a saved draft checklist is opened again from the list, previewed and published (Arabic)', async () => {
  const qa = await apiAs(server.url, 'qa@demo.sirr');
  const [summary] = await qa('/api/v1/checklists');
  const latest = Math.max(...summary.versions.map((v) => v.version));
  const source = (await qa(`/api/v1/checklists/${summary.key}/versions/${summary.latest_published_version}`)).document;
  // A draft saved earlier (by this QA member, another day): a changed title, the next version.
  const version = summary.versions.find((v) => v.version === latest).status === 'draft' ? latest : latest + 1;
  const draft = { ...source, version, title: { ...source.title, ar: `${source.title.ar} (مسودة)` } };
  if (version === latest) await qa(`/api/v1/checklists/${summary.key}/versions/${version}`, { method: 'PUT', body: JSON.stringify(draft) });
  else await qa('/api/v1/checklists', { method: 'POST', body: JSON.stringify(draft) });
  const { context, page } = await desktop('ar-SA');
  const row = `#checklist-list tr[data-key="${summary.key}"] li[data-version="${version}"]`;
  assert.equal(await page.getAttribute(row, 'data-status'), 'draft');
  assert.match(await page.textContent(row), /مسودة/);
  await page.click(`${row} button.open-draft`);
  await page.waitForSelector('.previews .phone[lang=ar]');
  assert.match(await page.textContent('main'), /مسودة الإصدار/);
  // The preview is the saved draft's, not the published version's.
  assert.ok((await page.textContent('.previews')).includes(source.sections[0].title.ar));
  assert.ok(await page.$('#download-draft'));
  // Publishing is asked once more (it cannot be undone); "no" publishes nothing.
  await page.click('#publish');
  await page.waitForSelector('dialog.confirm[open]');
  assert.match(await page.textContent('#confirm-text'), /لا يمكن تغيير إصدار منشور/);
  await page.click('#confirm-no');
  assert.equal((await qa('/api/v1/checklists')).find((c) => c.key === summary.key).versions.find((v) => v.version === version).status, 'draft');
  await page.click('#publish');
  await page.click('#confirm-yes');
  await page.waitForSelector('#decision-status');
  assert.match(await page.textContent('#decision-status'), /نُشر/);
  // The page says what is now true: the list shows it published, and no draft banner remains.
  await page.waitForSelector(`${row}[data-status="published"]`);
  assert.doesNotMatch(await page.textContent('main'), /مسودة الإصدار/);
  const after = (await qa('/api/v1/checklists')).find((c) => c.key === summary.key);
  assert.equal(after.versions.find((v) => v.version === version).status, 'published');
  await context.close();
});

test('a new device adopts the language saved on the server: signed in from an English browser, the app turns Arabic and RTL (SPEC §10.31)', async () => {
  const email = 'manager.ruh-002@demo.sirr';
  const who = await apiAs(server.url, email);
  await who('/api/v1/me', { method: 'PATCH', body: JSON.stringify({ language: 'ar' }) });
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    context.setDefaultTimeout(60000);
    const page = await context.newPage();
    // Before signing in, the browser's language decides.
    await page.goto(server.url);
    await page.waitForSelector('#email');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.textContent('form.login button[type=submit]'), /Sign in/);
    await signIn(page, server.url, email);
    assert.equal(await page.getAttribute('html', 'lang'), 'ar');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.match(await page.textContent('header'), /تسجيل الخروج/);
    await page.waitForFunction(() => !document.getElementById('loading'));
    assert.match(await page.textContent('main'), /[\u0600-\u06FF]/);
    // It stays Arabic after a reload (kept on the device too).
    await page.reload();
    await settled(page);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await context.close();
    // An Arabic browser shows the sign-in screen in Arabic before anyone signs in.
    const arabic = await browser.newContext({ locale: 'ar-SA' });
    const p2 = await arabic.newPage();
    await p2.goto(server.url);
    await p2.waitForSelector('#email');
    assert.equal(await p2.getAttribute('html', 'dir'), 'rtl');
    assert.match(await p2.textContent('form.login'), /تسجيل الدخول/);
    await arabic.close();
  } finally {
    await who('/api/v1/me', { method: 'PATCH', body: JSON.stringify({ language: null }) });
  }
});
