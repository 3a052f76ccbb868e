// The administrator runs the organisation from the browser (issue 19), in Arabic on a 1280×800
// screen against `sirr serve --demo`: onboards 300 branches and 60 users from the workbooks in
// tests/fixtures/imports (make.py), sees a refused row, fixes the file and uploads it again
// (nothing to change); creates a region, a branch with teams and a manager scoped to it, who
// signs in and sees only that branch until deactivated; changes their own password. What is
// stored is read back through the API and compared with what was entered, field by field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiAs, keyboardReachable, launch, PASSWORD, ROOT, settled, startServer } from './lib.mjs';

const require = createRequire(import.meta.url);
const DESKTOP = { width: 1280, height: 800 };
const FIXTURES = join(ROOT, 'tests/fixtures/imports');
const ADMIN = 'admin@demo.sirr';
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

async function desktop({ lang = 'ar' } = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: lang === 'ar' ? 'ar-SA' : 'en-US', acceptDownloads: true, bypassCSP: true });
  context.setDefaultTimeout(60000);
  context.setDefaultNavigationTimeout(90000);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(server.url, { waitUntil: 'domcontentloaded' });
  await page.evaluate((l) => localStorage.setItem('sirr.lang', l), lang);
  return { context, page };
}

async function signInAs(page, email, password = PASSWORD) {
  await page.goto(`${server.url}/#/login`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#email');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.body.dataset.route && document.body.dataset.route !== '#/login' && document.body.dataset.route === location.hash, null, { timeout: 60000 });
}

async function go(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.waitForFunction((h) => document.body.dataset.route === h && location.hash === h, hash);
}

/** The branches make.py writes, as the API must store them. */
function fixtureBranches() {
  const regions = [['RUH', 'الرياض', 24.71, 46.67], ['JED', 'جدة', 21.54, 39.17], ['DMM', 'الدمام', 26.42, 50.09], ['MED', 'المدينة', 24.47, 39.61]];
  const arabicDigits = (n) => String(n).replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[d]);
  const title = (s) => s[0] + s.slice(1).toLowerCase();
  return Array.from({ length: 300 }, (_, i) => {
    const [code, ar, lat, lon] = regions[i % 4];
    const n = Math.floor(i / 4) + 1;
    return {
      code: `${code}-${String(n).padStart(3, '0')}`, region: code,
      names: { en: `${title(code)} branch ${n}`, ar: `فرع ${ar} ${arabicDigits(n)}` },
      lat: lat + n / 1000, lon: lon - n / 1000,
      teams: i % 3 ? ['service', 'tellers'] : ['service', 'tellers', 'vip'],
    };
  });
}

/** Uploads `file` in the import panel `kind`, checks it, and returns the verdict's state. */
async function check(page, kind, file) {
  await page.setInputFiles(`#${kind}-file`, file);
  await page.click(`#${kind}-check`);
  await page.waitForSelector(`#${kind}-verdict`, { timeout: 120000 });
  // Nothing stray under the verdict (a null once showed as the word "null").
  assert.doesNotMatch(await page.textContent(`#${kind}-result`), /\bnull\b|undefined/);
  return page.getAttribute(`#${kind}-verdict`, 'data-state');
}

const countOf = (page, kind, what) => page.$eval(`#${kind}-counts [data-count=${what}]`, (li) => li.textContent);
const arabicNumber = (n) => new Intl.NumberFormat('ar-SA').format(n);


async function axe(page, what, failures) {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  for (const v of result.violations.filter((x) => ['serious', 'critical'].includes(x.impact))) {
    failures.push(`${what}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  }
}


test('an admin onboards 300 branches and 60 users from the workbooks, fixes a refused row, and a second upload changes nothing', async () => {
  const { context, page } = await desktop();
  await signInAs(page, ADMIN);
  assert.equal(await page.evaluate(() => location.hash), '#/admin/org', 'an admin starts at the organisation');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  // Reached by keyboard, a new screen puts the focus on its main area for screen readers, without
  // drawing a focus ring around the whole screen.
  await page.keyboard.press('Tab');
  await go(page, '#/admin/import');
  await settled(page);
  assert.deepEqual(await page.evaluate(() => ({ focus: document.activeElement?.id, ring: getComputedStyle(document.activeElement).outlineStyle })), { focus: 'main', ring: 'none' });

  // The templates download as XLSX files in both languages.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#branches-template-ar')]);
  assert.equal(download.suggestedFilename(), 'sirr-branches-ar.xlsx');

  // Branches: the dry run counts, nothing is stored until applied.
  const before = await (await apiAs(server.url, ADMIN))('/api/v1/branches');
  assert.equal(await check(page, 'branches', join(FIXTURES, 'branches.xlsx')), 'ready');
  const expected = fixtureBranches();
  const existing = new Set(before.map((b) => b.code));
  const toCreate = expected.filter((b) => !existing.has(b.code)).length;
  assert.match(await countOf(page, 'branches', 'create'), new RegExp(arabicNumber(toCreate)));
  assert.equal((await (await apiAs(server.url, ADMIN))('/api/v1/branches')).length, before.length, 'a dry run stores nothing');
  await page.click('#branches-apply');
  await page.waitForSelector('#branches-verdict[data-state=applied]', { timeout: 120000 });

  const admin = await apiAs(server.url, ADMIN);
  const [branches, regions, teams] = await Promise.all([admin('/api/v1/branches'), admin('/api/v1/regions'), admin('/api/v1/teams')]);
  const byCode = new Map(branches.map((b) => [b.code, b]));
  const regionCode = new Map(regions.map((r) => [r.id, r.code]));
  const teamsOf = new Map();
  for (const x of teams) teamsOf.set(x.branch_id, [...(teamsOf.get(x.branch_id) || []), x.code].sort());
  for (const want of expected) {
    const got = byCode.get(want.code);
    assert.ok(got, `${want.code} stored`);
    assert.deepEqual(got.names, want.names, want.code);
    assert.equal(regionCode.get(got.region_id), want.region, want.code);
    assert.ok(Math.abs(got.location.lat - want.lat) < 1e-6 && Math.abs(got.location.lon - want.lon) < 1e-6, `${want.code} location ${JSON.stringify(got.location)}`);
    // Teams a branch had before stay (the import only adds the listed ones).
    if (existing.has(want.code)) assert.ok(want.teams.every((k) => teamsOf.get(got.id)?.includes(k)), `${want.code} teams: ${teamsOf.get(got.id)} want ${want.teams}`);
    else assert.deepEqual(teamsOf.get(got.id), want.teams, `${want.code} teams`);
  }

  // The same workbook again: nothing to change.
  assert.equal(await check(page, 'branches', join(FIXTURES, 'branches.xlsx')), 'nothing');
  assert.equal(await page.isHidden('#branches-apply'), true);

  // Users: the 60 of the workbook.
  assert.equal(await check(page, 'users', join(FIXTURES, 'users.xlsx')), 'ready');
  await page.click('#users-apply');
  await page.waitForSelector('#users-verdict[data-state=applied]', { timeout: 120000 });
  const users = await admin('/api/v1/users');
  const email = new Map(users.map((u) => [u.email, u]));
  for (let i = 1; i <= 40; i++) {
    const u = email.get(`shopper${i}@bank.example`);
    assert.equal(u?.role, 'shopper');
    assert.equal(u.name, `متسوق ${i}`);
  }
  const teamByKey = new Map(teams.map((x) => [x.key, x.id]));
  assert.deepEqual(email.get('manager9@bank.example').scopes, [{ kind: 'team', id: teamByKey.get('RUH-005/tellers') }]);
  assert.deepEqual(email.get('manager5@bank.example').scopes, [{ kind: 'branch', id: byCode.get('RUH-001').id }]);
  assert.equal(email.get('qa3@bank.example').role, 'qa');
  assert.equal(await check(page, 'users', join(FIXTURES, 'users.xlsx')), 'nothing');

  // A file with a refused row: the problem at its sheet, row and column, in Arabic; nothing stored.
  const dir = mkdtempSync(join(tmpdir(), 'sirr-admin-'));
  const file = join(dir, 'more-users.csv');
  writeFileSync(file, 'email,name,role,scope_kind,scope_code,language\nnoura@bank.example,نورة,manager,branch,RUH-002,ar\nfahad@bank.example,فهد,manager,branch,RUH-999,ar\n');
  assert.equal(await check(page, 'users', file), 'problems');
  const rows = await page.$$eval('#users-problems tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.equal(rows.length, 1, JSON.stringify(rows));
  assert.deepEqual(rows[0].slice(0, 3), ['more-users.csv', arabicNumber(3), 'scope_code']);
  assert.match(rows[0][3], /لا توجد منطقة أو فرع أو فريق/, 'the reason in Arabic');
  assert.equal(await page.isHidden('#users-apply'), true, 'no apply while a row is refused');
  assert.equal((await admin('/api/v1/users')).length, users.length);
  // Fixed, applied, and uploaded once more: nothing to change.
  writeFileSync(file, 'email,name,role,scope_kind,scope_code,language\nnoura@bank.example,نورة,manager,branch,RUH-002,ar\nfahad@bank.example,فهد,manager,branch,RUH-003,ar\n');
  assert.equal(await check(page, 'users', file), 'ready');
  await page.click('#users-apply');
  await page.waitForSelector('#users-verdict[data-state=applied]');
  const fahad = (await admin('/api/v1/users')).find((u) => u.email === 'fahad@bank.example');
  assert.deepEqual([fahad.name, fahad.role, fahad.scopes], ['فهد', 'manager', [{ kind: 'branch', id: byCode.get('RUH-003').id }]]);
  assert.equal(await check(page, 'users', file), 'nothing');
  assert.match(await page.textContent('#users-verdict'), /لا شيء يتغير/);
  await context.close();
});


test('an admin builds a region, a branch with teams and a scoped manager, who sees only that branch until deactivated', async () => {
  const { context, page } = await desktop();
  await signInAs(page, ADMIN);
  const admin = await apiAs(server.url, ADMIN);

  // The organisation's own name, in both languages; an empty Arabic name is refused at its field.
  await go(page, '#/admin/org');
  await page.fill('#org-name-form [data-path="/names/en"]', 'Gulf Savings Bank');
  await page.fill('#org-name-form [data-path="/names/ar"]', 'بنك الخليج للادخار');
  await page.click('#org-name-save');
  await page.waitForSelector('#org-name-form .form-status .msg.ok');
  assert.deepEqual(await admin('/api/v1/organisation'), { names: { en: 'Gulf Savings Bank', ar: 'بنك الخليج للادخار' } });
  await page.reload();
  await settled(page);
  assert.equal(await page.inputValue('#org-name-form [data-path="/names/ar"]'), 'بنك الخليج للادخار');
  await page.fill('#org-name-form [data-path="/names/en"]', '');
  await page.fill('#org-name-form [data-path="/names/ar"]', '');
  await page.click('#org-name-save');
  await page.waitForSelector('#org-name-form .form-status .msg.error');
  assert.deepEqual(await admin('/api/v1/organisation'), { names: { en: 'Gulf Savings Bank', ar: 'بنك الخليج للادخار' } });

  // A region.
  await page.click('#new-region');
  await page.waitForSelector('#region-form');
  await keyboardReachable(page, 'region form');
  await page.fill('#region-form [data-path="/code"]', 'TBK');
  await page.fill('#region-form [data-path="/names/en"]', 'Tabuk');
  await page.fill('#region-form [data-path="/names/ar"]', 'تبوك');
  await page.click('#region-form #save');
  await page.waitForFunction(() => /^#\/admin\/region\/[^n]/.test(location.hash) && document.body.dataset.route === location.hash);
  const region = (await admin('/api/v1/regions')).find((r) => r.code === 'TBK');
  assert.deepEqual(region.names, { en: 'Tabuk', ar: 'تبوك' });

  // A branch: first a mistake the server refuses, shown at the field in Arabic.
  await go(page, '#/admin/org');
  await page.click('#new-branch');
  await page.waitForSelector('#branch-form');
  await page.fill('#branch-form [data-path="/code"]', 'TBK-001');
  await page.selectOption('#branch-form [data-path="/region_id"]', region.id);
  await page.fill('#branch-form [data-path="/names/en"]', 'Tabuk Centre');
  await page.fill('#branch-form [data-path="/names/ar"]', 'فرع تبوك المركزي');
  await page.fill('#branch-form [data-path="/city/ar"]', 'تبوك');
  await page.fill('#branch-form [data-path="/location/lat"]', '95');
  await page.fill('#branch-form [data-path="/location/lon"]', '36.57');
  await page.click('#branch-form #save');
  const latError = await page.waitForSelector('#branch-form [data-path="/location/lat"][aria-invalid=true] + .field-error');
  assert.match(await latError.textContent(), /يجب أن يكون بين −90 و90/);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.path), '/location/lat', 'the focus goes to the field');
  assert.equal((await admin('/api/v1/branches')).some((b) => b.code === 'TBK-001'), false, 'nothing stored');
  await page.fill('#branch-form [data-path="/location/lat"]', '28.3835');
  await page.click('#branch-form #save');
  await page.waitForSelector('#teams');
  // Two teams.
  for (const [code, en, ar] of [['tellers', 'Tellers', 'الصرافون'], ['vip', 'Private banking', 'الخدمات المصرفية الخاصة']]) {
    const form = '#teams .team-row[data-team=new]';
    await page.fill(`${form} [data-path="/code"]`, code);
    await page.fill(`${form} [data-path="/names/en"]`, en);
    await page.fill(`${form} [data-path="/names/ar"]`, ar);
    await page.click(`${form} button[type=submit]`);
    await page.waitForSelector(`#teams .team-row[data-team="${code}"]`);
  }
  await keyboardReachable(page, 'branch screen');
  const branch = (await admin('/api/v1/branches')).find((b) => b.code === 'TBK-001');
  assert.deepEqual([branch.region_id, branch.names, branch.city, branch.location],
    [region.id, { en: 'Tabuk Centre', ar: 'فرع تبوك المركزي' }, { ar: 'تبوك' }, { lat: 28.3835, lon: 36.57 }]);
  // The organisation's list gives its coordinates in Arabic digits, as the rest of the screen.
  await go(page, '#/admin/org');
  await page.fill('#branch-search', 'TBK-001');
  assert.equal((await page.textContent('tr[data-branch="TBK-001"] td:nth-child(4)')).trim(), '٢٨٫٣٨٣٥، ٣٦٫٥٧');
  const teams = await admin(`/api/v1/teams?branch_id=${branch.id}`);
  assert.deepEqual(teams.map((x) => [x.key, x.names]).sort(), [
    ['TBK-001/tellers', { en: 'Tellers', ar: 'الصرافون' }], ['TBK-001/vip', { en: 'Private banking', ar: 'الخدمات المصرفية الخاصة' }]]);

  // A manager limited to that branch, with a password the admin gives.
  await go(page, '#/admin/users');
  // Nobody is invited on a server without e-mail: the filter says so, not bare headers.
  await page.selectOption('#user-state', 'invited');
  assert.equal((await page.textContent('#users tbody')).trim(), 'لا يطابق أي مستخدم هذه المرشحات.');
  assert.equal((await page.textContent('#user-count')).trim(), 'لا مستخدمين');
  await page.selectOption('#user-state', '');
  await page.click('#new-user');
  await page.waitForSelector('#user-form');
  // This server sends no e-mail: no invitation is offered that it would refuse.
  assert.equal(await page.$('#invite'), null, 'no invite box without [smtp]');
  await page.fill('#new-email', 'Reem@Bank.example');
  await page.fill('#user-name', 'ريم العتيبي');
  await page.selectOption('#role', 'manager');
  await page.click('#add-scope');
  await page.selectOption('#scope-0-kind', 'branch');
  await page.selectOption('#scope-0-id', branch.id);
  await page.fill('#new-password', 'short');
  await keyboardReachable(page, 'user form');
  await page.click('#user-form #save');
  const pwError = await page.waitForSelector('#new-password[aria-invalid=true] + .field-error');
  assert.match(await pwError.textContent(), /يجب ألا تقل عن/);
  const reemPassword = 'tabuk-manager-2026';
  await page.fill('#new-password', reemPassword);
  await page.click('#user-form #save');
  await page.waitForSelector('#user-created');
  assert.equal(await page.evaluate(() => document.activeElement?.closest('#user-created') !== null), true, 'the focus is on the outcome, not the page');
  const reem = (await admin('/api/v1/users')).find((u) => u.email === 'reem@bank.example');
  assert.deepEqual([reem.name, reem.role, reem.active, reem.scopes], ['ريم العتيبي', 'manager', true, [{ kind: 'branch', id: branch.id }]]);

  // She signs in and sees that branch only.
  const other = await desktop();
  await signInAs(other.page, 'reem@bank.example', reemPassword);
  await other.page.waitForSelector('#branch');
  assert.deepEqual(await other.page.$$eval('#branch option', (os) => os.map((o) => o.value)), [branch.id]);

  // Her address was mistyped: the admin mends it (a taken one is refused, in Arabic), and she
  // signs in with the new one only.
  await page.click('#open-user');
  await page.waitForSelector('#user-email');
  assert.equal(await page.inputValue('#user-email'), 'reem@bank.example');
  await page.fill('#user-email', 'qa@demo.sirr');
  await page.click('#user-form #save');
  await page.waitForSelector('#user-form .form-status .msg.error');
  assert.equal((await page.textContent('#user-form .form-status')).trim(), 'يوجد مستخدم بالبريد الإلكتروني \u2068qa@demo.sirr\u2069', 'the address isolated inside the Arabic sentence');
  await page.fill('#user-email', ' Reem.Otaibi@Bank.example ');
  await page.click('#user-form #save');
  await page.waitForSelector('#user-form .form-status .msg.ok');
  assert.match(await page.textContent('#user-form .form-status'), /reem\.otaibi@bank\.example/);
  assert.equal((await admin(`/api/v1/users/${reem.id}`)).email, 'reem.otaibi@bank.example');
  const signInStatus = async (address) => (await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: address, password: reemPassword }),
  })).status;
  assert.deepEqual([await signInStatus('reem@bank.example'), await signInStatus('reem.otaibi@bank.example')], [401, 200]);

  // Deactivated, she cannot sign in again.
  await page.waitForSelector('#deactivate');
  await page.click('#deactivate');
  await page.click('#confirm-yes');
  await page.waitForSelector('#activate');
  assert.equal((await admin(`/api/v1/users/${reem.id}`)).active, false);
  await other.page.goto(`${other.page.url().split('#')[0]}#/login`);
  await other.page.evaluate(() => localStorage.clear());
  await other.page.reload();
  await other.page.waitForSelector('#email');
  await other.page.fill('#email', 'reem.otaibi@bank.example');
  await other.page.fill('#password', reemPassword);
  await other.page.click('button[type=submit]');
  await other.page.waitForSelector('.login [role=alert]');
  assert.equal(await other.page.evaluate(() => document.body.dataset.route), '#/login');
  await other.context.close();

  // The audit log shows what the admin did, filtered by record.
  await go(page, '#/admin/audit');
  await page.selectOption('#audit-entity', 'branch');
  await page.click('#audit-apply');
  await page.waitForFunction(() => location.hash.includes('entity=branch') && document.body.dataset.route === location.hash);
  const entities = await page.$$eval('#audit tbody tr', (trs) => trs.map((tr) => tr.dataset.entity));
  assert.ok(entities.length > 0 && entities.every((e) => e === 'branch'), JSON.stringify(entities));
  // Actions in the reader's words (this page is Arabic), never the bare code.
  const actions = await page.$$eval('#audit tbody tr', (trs) => trs.map((tr) => [tr.dataset.action, tr.children[2].textContent]));
  for (const [code, shown] of actions) assert.ok(/[\u0600-\u06FF]/.test(shown) && shown !== code, `${code} shown as ${shown}`);
  await keyboardReachable(page, 'audit log');
  await context.close();
});

test('anyone changes their own password; the old one stops working and other sessions end', async () => {
  const email = 'qa@demo.sirr';
  const elsewhere = await desktop({ lang: 'en' });
  await signInAs(elsewhere.page, email);
  const { context, page } = await desktop();
  await signInAs(page, email);
  await page.click('.bar .account-link');
  await page.waitForFunction(() => document.body.dataset.route === '#/account');
  await keyboardReachable(page, 'account');
  const fresh = 'a much longer passphrase';
  // A wrong current password is named at its field, in Arabic.
  await page.fill('#current-password', 'not my password');
  await page.fill('#new-password', fresh);
  await page.fill('#repeat-password', fresh);
  await page.click('#change-password');
  const wrong = await page.waitForSelector('#current-password[aria-invalid=true] + .field-error');
  assert.equal(await wrong.textContent(), 'كلمة المرور الحالية خاطئة');
  await page.fill('#current-password', PASSWORD);
  await page.fill('#new-password', fresh);
  await page.fill('#repeat-password', fresh);
  await page.click('#change-password');
  await page.waitForSelector('#password-form .msg.ok');
  // This session carries on (its tokens were replaced); the other one is ended at its next refresh.
  await go(page, '#/qa/reviews');
  const tokens = await elsewhere.page.evaluate(() => JSON.parse(localStorage.getItem('sirr.tokens')));
  const res = await fetch(`${server.url}/api/v1/auth/refresh`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh_token: tokens.refresh }) });
  assert.equal(res.status, 401, 'the other session ended');
  const login = (password) => fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
  assert.equal((await login(PASSWORD)).status, 401);
  // Signed out and in again with the new password.
  await page.click('.bar button.link');
  await page.waitForSelector('#email');
  await signInAs(page, email, fresh);
  assert.equal(await page.evaluate(() => location.hash), '#/qa/reviews');
  await elsewhere.context.close();
  await context.close();
});

test('the admin screens have no serious or critical accessibility violations in Arabic or English (axe-core)', async () => {
  const failures = [];
  for (const lang of ['ar', 'en']) {
    const { context, page } = await desktop({ lang });
    await signInAs(page, ADMIN);
    const admin = await apiAs(server.url, ADMIN);
    const [branch] = await admin('/api/v1/branches');
    const [user] = await admin('/api/v1/users');
    for (const hash of ['#/admin/org', `#/admin/branch/${branch.id}`, '#/admin/branch/new', '#/admin/region/new', '#/admin/users', `#/admin/user/${user.id}`, '#/admin/user/new', '#/admin/import', '#/admin/audit', '#/account']) {
      await go(page, hash);
      await settled(page);
      await axe(page, `${lang} ${hash}`, failures);
    }
    // With problems on the screen.
    await go(page, '#/admin/user/new');
    await page.click('#user-form #save');
    await page.waitForSelector('#user-form .field-error');
    await axe(page, `${lang} user form with problems`, failures);
    await context.close();
  }
  assert.deepEqual(failures, []);
});
