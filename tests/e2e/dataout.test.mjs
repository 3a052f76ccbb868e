// Getting data out of sirr from the browser (issue 18), against `sirr serve --demo`: a regional
// manager downloads her visits as a workbook from the dashboard (Arabic intact, only her
// region's branches); a user turns notification e-mail off; a personal access token is made,
// signs in to the OData feed as the password of HTTP Basic, is revoked and refused; an admin
// registers a webhook pointing at a receiver started here, sees the delivery in the log and
// delivers it again with the same `webhook-id`; the new screens pass axe-core in both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiAs, keyboardReachable, launch, PASSWORD, phone, settled, startServer } from './lib.mjs';

const require = createRequire(import.meta.url);
const REGIONAL = 'manager.riyadh@demo.sirr';
const ADMIN = 'admin@demo.sirr';
const QA = 'qa@demo.sirr';
const ARABIC = /[\u0600-\u06FF]/;

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

/** A page in `lang` (phone by default, 1280×800 with `desktop`), axe allowed in. */
async function open({ lang = 'en', desktop = false } = {}) {
  const context = desktop
    ? await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: lang === 'ar' ? 'ar-SA' : 'en-US', acceptDownloads: true, bypassCSP: true })
    : await phone(browser, { locale: lang === 'ar' ? 'ar-SA' : 'en-US', bypassCSP: true });
  context.setDefaultTimeout(60000);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(server.url, { waitUntil: 'domcontentloaded' });
  await page.evaluate((l) => localStorage.setItem('sirr.lang', l), lang);
  return { context, page };
}

async function signInAs(page, email) {
  await page.goto(`${server.url}/#/login`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#email');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.body.dataset.route && document.body.dataset.route !== '#/login' && document.body.dataset.route === location.hash, null, { timeout: 60000 });
}

/** Opens `hash` and waits until it is on the screen (a screen may add its period: `?period=…`). */
async function go(page, hash) {
  await page.evaluate((x) => { location.hash = x; }, hash);
  await page.waitForFunction((x) => (location.hash === x || location.hash.startsWith(`${x}?`)) && document.body.dataset.route === location.hash, hash);
}

async function axe(page, what, failures) {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  for (const v of result.violations.filter((x) => ['serious', 'critical'].includes(x.impact))) {
    failures.push(`${what}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  }
}


/** Polls `fn` (here, in node) until it returns something truthy. */
async function waitFor(fn, what, timeout = 60000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`still waiting after ${timeout} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** RFC 4180 rows of a CSV text (after its byte-order mark). */
function csvRows(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) { row.push(cell); rows.push(row); row = []; cell = ''; if (c === '\r') i++; } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** Every string of a workbook's first sheet (shared and inline), and its rows' first cells. */
function workbook(file) {
  const unzip = (entry) => execFileSync('unzip', ['-p', file, entry], { maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8');
  const decode = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const texts = (xml) => [...xml.matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)].map((m) => decode(m[1]));
  let shared = [];
  try { shared = [...unzip('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => texts(m[1]).join('')); } catch { /* inline strings only */ }
  const sheet = unzip('xl/worksheets/sheet1.xml');
  const rows = [...sheet.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)].map((r) => [...r[1].matchAll(/<c([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((c) => {
    const attrs = c[1];
    const inner = c[2] || '';
    if (/t="s"/.test(attrs)) return shared[Number(/<v>([^<]*)<\/v>/.exec(inner)?.[1])] ?? '';
    if (/t="inlineStr"/.test(attrs)) return texts(inner).join('');
    return decode(/<v>([^<]*)<\/v>/.exec(inner)?.[1] ?? '');
  }));
  return rows;
}

test('a regional manager downloads her visits as a workbook from the dashboard: Arabic intact, only her region', async () => {
  const { context, page } = await open({ lang: 'ar' });
  await signInAs(page, REGIONAL);
  await go(page, '#/dashboard');
  await settled(page);
  const period = await page.getAttribute('#unit-title', 'data-period');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-visits-xlsx')]);
  assert.equal(download.suggestedFilename(), `sirr-visits-${period}.xlsx`);
  await page.waitForSelector('#export-status .msg.ok');
  const file = join(mkdtempSync(join(tmpdir(), 'sirr-e2e-export-')), 'visits.xlsx');
  await download.saveAs(file);
  const rows = workbook(file);
  // Asked from an Arabic page, the sheet reads right to left.
  assert.match(execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml']).toString(), /rightToLeft="(1|true)"/);
  // Three header rows: keys, English, Arabic; then one row per visit.
  assert.equal(rows[0][0], 'visit_id');
  assert.equal(rows[0][1], 'branch_code');
  assert.ok(rows[2].some((s) => ARABIC.test(s)), `no Arabic in the Arabic header row: ${rows[2].slice(0, 8)}`);
  const visits = rows.slice(3).filter((r) => r[0]);
  assert.ok(visits.length > 0, 'the export holds visits');

  // Only her region's branches, and exactly the approved visits of the period the API lists.
  const manager = await apiAs(server.url, REGIONAL);
  const admin = await apiAs(server.url, ADMIN);
  const mine = await manager('/api/v1/branches');
  const all = await admin('/api/v1/branches');
  const region = (await manager('/api/v1/me')).scopes.find((s) => s.kind === 'region');
  assert.ok(mine.every((b) => b.region_id === region.id));
  assert.ok(all.length > mine.length, 'other regions exist in the demo');
  const mineCodes = new Set(mine.map((b) => b.code));
  const codes = new Set(visits.map((r) => r[1]));
  assert.deepEqual([...codes].filter((c) => !mineCodes.has(c)), [], 'branches outside her region');
  // The Arabic text of the checklist survives the round trip: the workbook's Arabic labels are the checklist's own.
  const arabicLabels = rows[2].filter((s) => ARABIC.test(s));
  const qa = await apiAs(server.url, QA);
  const list = await qa('/api/v1/checklists');
  const docs = await Promise.all(list.flatMap((c) => c.versions.filter((v) => v.status === 'published').map((v) => qa(`/api/v1/checklists/${c.key}/versions/${v.version}`))));
  const known = new Set(docs.flatMap((d) => d.document.sections.flatMap((s) => s.items.map((i) => i.text?.ar).filter(Boolean))));
  assert.ok(arabicLabels.some((s) => known.has(s)), `Arabic labels ${arabicLabels.slice(0, 3)} are none of the checklists' texts`);
  let expected = 0;
  for (const b of mine) expected += (await manager(`/api/v1/branches/${b.id}/visits?period=${period}`)).filter((v) => (v.status ?? 'approved') === 'approved').length;
  assert.equal(visits.length, expected, 'one row per approved visit of her branches in the period');

  // The CSV variant has the same visits.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-visits-csv')]);
  const csvFile = join(mkdtempSync(join(tmpdir(), 'sirr-e2e-export-')), 'visits.csv');
  await csv.saveAs(csvFile);
  const text = readFileSync(csvFile, 'utf8');
  assert.equal(text.charCodeAt(0), 0xfeff, 'CSV starts with a byte-order mark');
  const ids = new Set(csvRows(text.slice(1)).slice(1).map((r) => r[0]).filter(Boolean));
  assert.deepEqual([...ids].sort(), visits.map((r) => r[0]).sort());
  await context.close();
});

test('a user turns notification e-mail off, and it stays off after a reload; the account screen fits a phone', async () => {
  const { context, page } = await open({ lang: 'ar' });
  await signInAs(page, 'shopper3@demo.sirr');
  const api = await apiAs(server.url, 'shopper3@demo.sirr');
  assert.equal((await api('/api/v1/me')).email_notifications, true);
  await go(page, '#/account');
  await settled(page);
  assert.match(await page.textContent('#email-letters'), ARABIC);
  assert.equal(await page.isChecked('#email-notifications'), true);
  // By keyboard: the switch is a real checkbox.
  await page.focus('#email-notifications');
  await page.keyboard.press('Space');
  await page.waitForSelector('#email-status .msg.ok');
  assert.equal((await api('/api/v1/me')).email_notifications, false);
  await page.reload({ waitUntil: 'domcontentloaded' });
  await settled(page);
  await page.waitForSelector('#email-notifications');
  assert.equal(await page.isChecked('#email-notifications'), false);
  await keyboardReachable(page, 'account (shopper, phone)');
  // Every control of the account screen is a tap target of at least 44 × 44 CSS pixels.
  const small = await page.$$eval('main button, main input, main select, main a[href], main label.opt', (els) => els
    .filter((e) => e.getClientRects().length && !(e.tagName === 'INPUT' && e.type === 'checkbox'))
    .map((e) => ({ id: e.id || e.textContent.trim().slice(0, 30), r: e.getBoundingClientRect() }))
    .filter(({ r }) => r.height < 44 || r.width < 44)
    .map(({ id, r }) => `${id} ${Math.round(r.width)}×${Math.round(r.height)}`));
  assert.deepEqual(small, []);
  // And back on.
  await page.click('label[for=email-notifications]');
  await page.waitForSelector('#email-status .msg.ok');
  assert.equal((await api('/api/v1/me')).email_notifications, true);
  await context.close();
});

test('a personal access token signs in to the OData feed with HTTP Basic until it is revoked', async () => {
  const { context, page } = await open({ lang: 'en' });
  await signInAs(page, QA);
  await go(page, '#/account');
  await settled(page);
  await page.fill('#token-name', 'Power BI');
  await page.click('#token-create');
  await page.waitForSelector('#token-value');
  const token = await page.inputValue('#token-value');
  assert.match(token, /^sirr_pat_/);
  assert.equal(await page.textContent('#odata-url'), `${server.url}/odata/v4/`);
  const id = await page.getAttribute('.token-once', 'data-token');
  await page.waitForSelector(`#tokens-table tr[data-token="${id}"]`);
  const listed = await (await apiAs(server.url, QA))('/api/v1/me/tokens');
  assert.equal(listed.find((x) => x.id === id)?.name, 'Power BI');

  const basic = { Authorization: `Basic ${Buffer.from(`${QA}:${token}`).toString('base64')}` };
  const ok = await fetch(`${server.url}/odata/v4/Visits?$top=1`, { headers: basic });
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).value.length, 1);

  await page.click(`#tokens-table tr[data-token="${id}"] button.revoke`);
  await page.click('#confirm-yes');
  await page.waitForSelector(`#tokens-table tr[data-token="${id}"]`, { state: 'detached' });
  await page.waitForSelector('#token-status .msg.ok');
  assert.equal(await page.$('#token-value'), null, 'the secret is no longer on the screen');
  const refused = await fetch(`${server.url}/odata/v4/Visits?$top=1`, { headers: basic });
  assert.equal(refused.status, 401);
  assert.ok((await (await apiAs(server.url, QA))('/api/v1/me/tokens')).find((x) => x.id === id).revoked_at);
  await context.close();
});

test('an admin registers a webhook, sees its delivery in the log, and delivers it again with the same webhook-id', async () => {
  const received = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { received.push({ headers: req.headers, body }); res.writeHead(204).end(); });
  });
  await new Promise((ok) => receiver.listen(0, '127.0.0.1', ok));
  const hookUrl = `http://127.0.0.1:${receiver.address().port}/sirr`;
  try {
    const { context, page } = await open({ lang: 'ar', desktop: true });
    await signInAs(page, ADMIN);
    await go(page, '#/admin/webhooks');
    await settled(page);
    await keyboardReachable(page, 'webhooks');
    // A refusal is shown in Arabic where it belongs: no events chosen.
    await page.fill('#webhook-url', hookUrl);
    await page.click('#webhook-generate');
    const secret = await page.inputValue('#webhook-secret');
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    await page.click('#webhook-save');
    await page.waitForSelector('#webhook-events .field-error');
    assert.match(await page.textContent('#webhook-form-status'), ARABIC);
    await page.check('#webhook-events input[value="assignment.offered"]');
    await page.click('#webhook-save');
    await page.waitForSelector('#webhooks tr[data-webhook]');
    const admin = await apiAs(server.url, ADMIN);
    const [hook] = (await admin('/api/v1/webhooks')).filter((w) => w.url === hookUrl);
    assert.deepEqual(hook.events, ['assignment.offered']);
    assert.notEqual(hook.secret, secret, 'the list masks the secret');
    assert.equal(await page.$eval(`#webhooks tr[data-webhook="${hook.id}"] td:nth-child(4)`, (td) => td.textContent), hook.secret);

    // An assignment is offered through the API.
    const users = await admin('/api/v1/users');
    const shopper = (users.items || users).find((u) => u.email === 'shopper4@demo.sirr');
    const [branch] = await admin('/api/v1/branches');
    const qa = await apiAs(server.url, QA);
    const made = await qa('/api/v1/assignments', {
      method: 'POST',
      body: JSON.stringify({
        shopper_id: shopper.id, branch_id: branch.id, checklist: { key: 'bank-branch-visit', version: 1 },
        window_start: new Date(Date.now() - 3600e3).toISOString(), window_end: new Date(Date.now() + 7 * 86400e3).toISOString(),
      }),
    });
    const first = await waitFor(() => received.find((r) => JSON.parse(r.body).data.assignment_id === made.id), 'the assignment.offered delivery');
    const event = JSON.parse(first.body);
    assert.equal(event.type, 'assignment.offered');
    assert.equal(first.headers['webhook-id'], event.id);
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`${first.headers['webhook-id']}.${first.headers['webhook-timestamp']}.${first.body}`).digest('base64');
    assert.equal(first.headers['webhook-signature'], `v1,${expected}`);

    // The log shows it delivered.
    await page.click(`#webhooks tr[data-webhook="${hook.id}"] a.btn`);
    await page.waitForFunction((x) => location.hash === `#/admin/webhook/${x}` && document.body.dataset.route === location.hash, hook.id);
    await keyboardReachable(page, 'delivery log');
    const row = `#deliveries tr[data-event="${event.id}"]`;
    for (let i = 0; i < 60 && (await page.getAttribute(row, 'data-status').catch(() => null)) !== 'delivered'; i++) {
      await page.click('#deliveries-refresh');
      await settled(page);
      await page.waitForTimeout(500);
    }
    assert.equal(await page.getAttribute(row, 'data-status'), 'delivered');
    assert.equal(await page.getAttribute(row, 'data-attempts'), '1');
    assert.match(await page.textContent(`${row} td:nth-child(2)`), ARABIC);

    // Deliver again: the same event id and body arrive a second time.
    await page.click(`${row} button.redeliver`);
    await page.waitForSelector('#delivery-status .msg.ok');
    const again = await waitFor(() => received.filter((r) => r.headers['webhook-id'] === event.id)[1], 'the second delivery');
    assert.equal(again.body, first.body);
    for (let i = 0; i < 60 && (await page.getAttribute(row, 'data-attempts').catch(() => null)) !== '2'; i++) {
      await page.click('#deliveries-refresh');
      await settled(page);
      await page.waitForTimeout(500);
    }
    assert.equal(await page.getAttribute(row, 'data-attempts'), '2');
    assert.equal(await page.getAttribute(row, 'data-status'), 'delivered');

    // Deleting asks first, then the webhook is gone.
    await go(page, '#/admin/webhooks');
    await settled(page);
    await page.click(`#webhooks tr[data-webhook="${hook.id}"] button.btn.danger`);
    await page.click('#confirm-yes');
    await page.waitForSelector(`#webhooks tr[data-webhook="${hook.id}"]`, { state: 'detached' });
    assert.deepEqual((await admin('/api/v1/webhooks')).filter((w) => w.id === hook.id), []);
    await context.close();
  } finally {
    await new Promise((ok) => receiver.close(ok));
  }
});

test('QA downloads answers of one checklist from the Exports panel; a refusal says why in Arabic', async () => {
  const { context, page } = await open({ lang: 'ar', desktop: true });
  await signInAs(page, QA);
  await go(page, '#/qa/exports');
  await settled(page);
  await keyboardReachable(page, 'exports');
  await page.selectOption('#export-checklist', 'bank-branch-visit');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-answers-csv')]);
  const file = join(mkdtempSync(join(tmpdir(), 'sirr-e2e-export-')), 'answers.csv');
  await download.saveAs(file);
  const text = readFileSync(file, 'utf8');
  assert.equal(text.charCodeAt(0), 0xfeff);
  const rows = csvRows(text.slice(1));
  assert.deepEqual(rows[0].slice(0, 5), ['visit_id', 'item', 'answer', 'score', 'checklist']);
  assert.ok(rows.length > 1);
  // Every row is of the chosen checklist.
  assert.deepEqual([...new Set(rows.slice(1).map((r) => r[4]))], ['bank-branch-visit']);
  // Disputes of that checklist: the rows the API lists for it.
  const [got] = await Promise.all([page.waitForEvent('download'), page.click('#export-disputes-csv')]);
  const disputesFile = join(mkdtempSync(join(tmpdir(), 'sirr-e2e-export-')), 'disputes.csv');
  await got.saveAs(disputesFile);
  const disputes = csvRows(readFileSync(disputesFile, 'utf8').slice(1));
  assert.deepEqual(disputes[0].slice(0, 3), ['dispute_id', 'branch_code', 'visit_id']);
  const qaApi = await apiAs(server.url, 'qa@demo.sirr');
  const listed = (await qaApi('/api/v1/disputes')).filter((d) => d.checklist.key === 'bank-branch-visit').map((d) => d.id).sort();
  assert.deepEqual(disputes.slice(1).filter((r) => r.length > 1).map((r) => r[0]).sort(), listed);
  // A period the server refuses (only reachable by a stale list): the reason in Arabic.
  await page.$eval('#export-period', (s) => s.append(new Option('2020-13', '2020-13')));
  await page.selectOption('#export-period', '2020-13');
  await page.click('#export-visits-csv');
  await page.waitForSelector('#export-status .msg.error');
  assert.match(await page.textContent('#export-status'), ARABIC);
  await context.close();
});

test('the new screens have no serious or critical accessibility violations in Arabic or English (axe-core)', async () => {
  const failures = [];
  const admin = await apiAs(server.url, ADMIN);
  const hook = await admin('/api/v1/webhooks', { method: 'POST', body: JSON.stringify({ url: 'http://127.0.0.1:9/none', events: ['visit.approved'], secret: 'a secret of some length' }) });
  for (const lang of ['ar', 'en']) {
    const { context, page } = await open({ lang, desktop: true });
    await signInAs(page, ADMIN);
    for (const hash of ['#/admin/exports', '#/admin/webhooks', `#/admin/webhook/${hook.id}`, '#/account']) {
      await go(page, hash);
      await settled(page);
      await axe(page, `${lang} ${hash}`, failures);
    }
    // With a fresh token on the screen, and a refused webhook form.
    await page.fill('#token-name', `axe ${lang}`);
    await page.click('#token-create');
    await page.waitForSelector('#token-value');
    await axe(page, `${lang} #/account with a new token`, failures);
    await go(page, '#/admin/webhooks');
    await settled(page);
    await page.click('#webhook-save');
    await page.waitForSelector('#webhook-form-status .msg.error');
    await axe(page, `${lang} webhook form with problems`, failures);
    await context.close();

    const m = await open({ lang });
    await signInAs(m.page, REGIONAL);
    for (const hash of ['#/dashboard', '#/account']) {
      await go(m.page, hash);
      await settled(m.page);
      await axe(m.page, `${lang} manager ${hash}`, failures);
    }
    await m.context.close();
    const q = await open({ lang, desktop: true });
    await signInAs(q.page, QA);
    await go(q.page, '#/qa/exports');
    await settled(q.page);
    await axe(q.page, `${lang} #/qa/exports`, failures);
    await q.context.close();
  }
  assert.deepEqual(failures, []);
});
