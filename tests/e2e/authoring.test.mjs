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
  await page.setInputFiles('#checklist-file', join(ROOT, 'examples/checklists/retail-store-visit.xlsx'));
  await page.waitForSelector('#publish', { timeout: 30000 });
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
  await page.setInputFiles('#checklist-file', join(ROOT, 'tests/fixtures/imports/broken-xlsform.xlsx'));
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
