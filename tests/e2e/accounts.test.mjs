// Accounts (issue 19): a shopper who forgot their password resets it by e-mail link, in Arabic,
// on a 390×844 phone, against `sirr serve --demo` with e-mail going to the real SMTP sink the
// Rust tests use (aiosmtpd). The letter is read from the sink, its link opened, a new password
// set; the new password signs in, the old one is refused, and the link does not work twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { launch, PASSWORD, phone, ROOT, signIn, startServer, startSmtpSink } from './lib.mjs';

const require = createRequire(import.meta.url);
const SHOPPER = 'shopper2@demo.sirr';
const NEW_PASSWORD = 'كلمة مرور جديدة 2026';
const SHOTS = join(ROOT, 'target/e2e-screenshots');
let sink;
let server;
let browser;

before(async () => {
  sink = await startSmtpSink();
  if (!sink) return;
  server = await startServer({
    env: { SIRR_SMTP__HOST: '127.0.0.1', SIRR_SMTP__PORT: String(sink.port), SIRR_SMTP__FROM: 'sirr <no-reply@demo.sirr>' },
  });
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.stop();
});

const onScreen = (page, route) => page.waitForFunction((r) => document.body.dataset.route === r, route);

/** Nothing wider than the phone: no sideways scrolling. */
async function fitsThePhone(page, what) {
  const wide = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(wide <= 390, `${what}: ${wide}px wide on a 390px screen`);
}

async function signInWith(page, password) {
  await page.goto(`${server.url}/#/login`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#email');
  await page.fill('#email', SHOPPER);
  await page.fill('#password', password);
  await page.click('form.login button[type=submit]');
}

test('a forgotten password is reset through an e-mailed link, in Arabic, once', async (t) => {
  if (!sink) { t.skip('no aiosmtpd (set SIRR_TEST_SMTP_PYTHON to a python that has it)'); return; }
  const context = await phone(browser, { locale: 'ar-SA' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url, { waitUntil: 'domcontentloaded' });
  await page.evaluate(() => localStorage.setItem('sirr.lang', 'ar'));
  await page.goto(`${server.url}/#/login`, { waitUntil: 'domcontentloaded' });

  // The sign-in screen offers the way, in Arabic, right to left.
  await page.waitForSelector('#forgot');
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal((await page.textContent('#forgot')).trim(), 'نسيت كلمة المرور؟');
  await page.click('#forgot');
  await onScreen(page, '#/forgot');
  assert.equal((await page.textContent('.bar h1')).trim(), 'إعادة تعيين كلمة المرور');
  // An empty address is named in Arabic before anything is sent.
  await page.click('#send-link');
  assert.equal((await page.textContent('#forgot-email-err')).trim(), 'املأ هذا الحقل.');
  await page.fill('#forgot-email', `  ${SHOPPER.toUpperCase()} `);
  await fitsThePhone(page, 'the forgot screen');
  await page.screenshot({ path: join(SHOTS, 'reset-forgot-ar.png') });
  await page.click('#send-link');
  await page.waitForSelector('#reset-sent');
  assert.match(await page.textContent('#reset-sent'), /^إن كان للعنوان حساب فالرابط في طريقه إليه/);

  // The letter, in Arabic (the page's language: the shopper saved none), with the link.
  const letter = await sink.letter((l) => l.rcpt_tos.includes(SHOPPER));
  assert.equal(letter.subject, 'إعادة تعيين كلمة المرور في سِرّ');
  assert.match(letter.body, /افتح هذا الرابط لتختار كلمة مرور جديدة/);
  const link = new RegExp(`^${server.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/#/reset/[0-9a-f]{64}$`, 'm').exec(letter.body)?.[0];
  assert.ok(link, `a link on a line of its own in:\n${letter.body}`);

  // The link opens the screen that sets the password.
  await page.goto(link, { waitUntil: 'domcontentloaded' });
  await onScreen(page, '#/reset');
  assert.equal((await page.textContent('.bar h1')).trim(), 'اختر كلمة مرور جديدة');
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  // Two different passwords: said under the second, in Arabic; nothing sent.
  await page.fill('#reset-new', NEW_PASSWORD);
  await page.fill('#reset-repeat', `${NEW_PASSWORD}x`);
  await page.click('#set-password');
  assert.equal((await page.textContent('#reset-repeat-err')).trim(), 'كلمتا المرور الجديدتان مختلفتان.');
  // Too short: the server's rule, in the reader's language, under the field.
  await page.fill('#reset-new', 'قصيرة');
  await page.fill('#reset-repeat', 'قصيرة');
  await page.click('#set-password');
  await page.waitForSelector('#reset-new-err');
  assert.match(await page.textContent('#reset-new-err'), /١٠|10/);
  // The problem is under its field only: nothing stray (such as "null") in the form's status.
  assert.equal((await page.textContent('#reset-form .form-status')).trim(), '');
  await fitsThePhone(page, 'the reset screen');
  await page.screenshot({ path: join(SHOTS, 'reset-new-password-ar.png') });
  await page.fill('#reset-new', NEW_PASSWORD);
  await page.fill('#reset-repeat', NEW_PASSWORD);
  await page.click('#set-password');

  // Back at sign-in, told so, the address filled in; the link has left the address bar.
  await onScreen(page, '#/login');
  await page.waitForSelector('#password-set');
  assert.equal((await page.textContent('#password-set')).trim(), 'عُيّنت كلمة مرورك. سجّل الدخول بها.');
  assert.equal(await page.inputValue('#email'), SHOPPER);
  assert.ok(!(await page.evaluate(() => location.href)).includes('/reset/'));
  await page.screenshot({ path: join(SHOTS, 'reset-done-ar.png') });

  // The old password is refused, in Arabic; the new one signs in.
  await signInWith(page, PASSWORD);
  await page.waitForSelector('form.login .msg.error');
  assert.equal((await page.textContent('form.login .msg.error')).trim(), 'البريد الإلكتروني أو كلمة المرور غير صحيحة.');
  await signInWith(page, NEW_PASSWORD);
  await page.waitForFunction(() => document.body.dataset.route === '#/assignments');
  // What is stored is what was typed: the API signs in with exactly that password.
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: SHOPPER, password: NEW_PASSWORD }),
  });
  assert.equal(res.status, 200);

  // The link works once: opened again, it says so in Arabic at once, before anything is typed,
  // and offers a new one instead of the password fields.
  await page.goto(link, { waitUntil: 'domcontentloaded' });
  await onScreen(page, '#/reset');
  await page.waitForSelector('#ask-again');
  assert.match(await page.textContent('#reset-form .form-status'), /^استُعمل هذا الرابط من قبل/);
  assert.ok(!(await page.isVisible('#reset-new')) && !(await page.isVisible('#set-password')), 'no password fields for a used link');
  await fitsThePhone(page, 'the used link');
  await page.screenshot({ path: join(SHOTS, 'reset-used-ar.png') });
  // Looking used nothing and changed nothing: the password set above still signs in.
  const again = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: SHOPPER, password: NEW_PASSWORD }),
  });
  assert.equal(again.status, 200);
  assert.deepEqual(errors, []);
  await context.close();
});

test('in English, an address without an account hears the same as one with', async (t) => {
  if (!sink) { t.skip('no aiosmtpd (set SIRR_TEST_SMTP_PYTHON to a python that has it)'); return; }
  const context = await phone(browser, { locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(server.url, { waitUntil: 'domcontentloaded' });
  await page.evaluate(() => localStorage.setItem('sirr.lang', 'en'));
  const said = [];
  for (const address of ['nobody@demo.sirr', 'shopper3@demo.sirr']) {
    await page.goto(`${server.url}/#/login`, { waitUntil: 'domcontentloaded' });
    await page.click('#forgot');
    await onScreen(page, '#/forgot');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    await page.fill('#forgot-email', address);
    await page.click('#send-link');
    await page.waitForSelector('#reset-sent');
    said.push((await page.textContent('#reset-sent')).trim());
  }
  assert.deepEqual(said, Array(2).fill('If the address has an account, a link is on its way. Check your e-mail, and its spam folder.'));
  // The account's letter is in English (the page's language), and the unknown address got none.
  const letter = await sink.letter((l) => l.rcpt_tos.includes('shopper3@demo.sirr'));
  assert.equal(letter.subject, 'Reset your sirr password');
  assert.ok(!sink.letters().some((l) => l.rcpt_tos.includes('nobody@demo.sirr')));
  await context.close();
});

test('the sign-in, forgot and new-password screens have no serious or critical accessibility violations (axe-core)', async (t) => {
  if (!sink) { t.skip('no aiosmtpd (set SIRR_TEST_SMTP_PYTHON to a python that has it)'); return; }
  const failures = [];
  for (const l of ['ar', 'en']) {
    const context = await phone(browser, { locale: l === 'ar' ? 'ar-SA' : 'en-US', bypassCSP: true });
    const page = await context.newPage();
    await page.goto(server.url, { waitUntil: 'domcontentloaded' });
    await page.evaluate((x) => localStorage.setItem('sirr.lang', x), l);
    for (const [hash, route] of [['#/login', '#/login'], ['#/forgot', '#/forgot'], [`#/reset/${'0'.repeat(64)}`, '#/reset']]) {
      await page.goto(`${server.url}/${hash}`, { waitUntil: 'domcontentloaded' });
      await page.reload({ waitUntil: 'domcontentloaded' });
      await onScreen(page, route);
      // With a refusal on screen too (an unknown link says so on opening).
      if (route === '#/reset') await page.waitForSelector('#ask-again');
      await page.addScriptTag({ path: require.resolve('axe-core') });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      for (const v of result.violations.filter((x) => ['serious', 'critical'].includes(x.impact))) {
        failures.push(`${l} ${route}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      }
    }
    await context.close();
  }
  assert.deepEqual(failures, []);
});


test('staff imported from a spreadsheet with "invite" choose their own password from the letter, each in their language', async (t) => {
  if (!sink) { t.skip('no aiosmtpd (set SIRR_TEST_SMTP_PYTHON to a python that has it)'); return; }
  const admin = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await admin.newPage();
  await page.goto(server.url, { waitUntil: 'domcontentloaded' });
  await page.evaluate(() => localStorage.setItem('sirr.lang', 'en'));
  await signIn(page, server.url, 'admin@demo.sirr');
  await page.evaluate(() => { location.hash = '#/admin/import'; });
  await page.waitForSelector('#users-invite');
  const csv = 'email,name,role,scope_kind,scope_code,language\nhessa@import.demo,حصة,shopper,,,ar\nliam@import.demo,Liam,shopper,,,en\n';
  await page.setInputFiles('#users-file', { name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.click('#users-check');
  await page.waitForSelector('#users-verdict[data-state="ready"]');
  await page.check('#users-invite');
  await page.click('#users-apply');
  await page.waitForSelector('#users-verdict[data-state="applied"]');
  assert.equal((await page.textContent('#users-counts [data-count="invited"]')).trim(), '2 invitation letters on their way');
  await admin.close();

  // Hessa's letter is in Arabic; its link sets her first password on her phone.
  const letter = await sink.letter((l) => l.rcpt_tos.includes('hessa@import.demo'));
  assert.equal(letter.subject, 'حسابك في سِرّ');
  assert.equal((await sink.letter((l) => l.rcpt_tos.includes('liam@import.demo'))).subject, 'Your sirr account');
  const link = /^http\S+\/#\/reset\/[0-9a-f]{64}$/m.exec(letter.body)?.[0];
  assert.ok(link, letter.body);
  const context = await phone(browser, { locale: 'ar-SA' });
  const hessa = await context.newPage();
  await hessa.goto(server.url, { waitUntil: 'domcontentloaded' });
  await hessa.evaluate(() => localStorage.setItem('sirr.lang', 'ar'));
  await hessa.goto(link, { waitUntil: 'domcontentloaded' });
  await onScreen(hessa, '#/reset');
  // An invitation welcomes her to a first password; it is not worded as a reset.
  await hessa.waitForFunction(() => document.querySelector('.bar h1')?.textContent === 'أهلا بك في سِرّ: اختر كلمة مرورك');
  assert.match(await hessa.textContent('#reset-new-hint'), /ثم سجّل الدخول ببريدك الإلكتروني/);
  await hessa.fill('#reset-new', NEW_PASSWORD);
  await hessa.fill('#reset-repeat', NEW_PASSWORD);
  await hessa.click('#set-password');
  await onScreen(hessa, '#/login');
  await hessa.waitForSelector('#password-set');
  await hessa.fill('#email', 'hessa@import.demo');
  await hessa.fill('#password', NEW_PASSWORD);
  await hessa.click('form.login button[type=submit]');
  await hessa.waitForFunction(() => document.body.dataset.route === '#/assignments');
  await context.close();

  // Liam lost his letter. The admin sees who is still invited, and sends his again; the old
  // link stops working, the new one sets his password, and he is then active.
  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const adminPage = await desk.newPage();
  await adminPage.goto(server.url, { waitUntil: 'domcontentloaded' });
  await adminPage.evaluate(() => localStorage.setItem('sirr.lang', 'en'));
  await signIn(adminPage, server.url, 'admin@demo.sirr');
  const usersList = async () => {
    await adminPage.evaluate(() => { location.hash = '#/admin/users'; });
    await adminPage.waitForSelector('#users tr[data-user="liam@import.demo"]');
    return adminPage;
  };
  await usersList();
  const stateOf = (email) => adminPage.$eval(`#users tr[data-user="${email}"]`, (tr) => [tr.dataset.state, tr.lastElementChild.textContent.trim()]);
  assert.deepEqual(await stateOf('liam@import.demo'), ['invited', 'Invited']);
  assert.deepEqual(await stateOf('hessa@import.demo'), ['active', 'Active']);
  await adminPage.selectOption('#user-state', 'invited');
  const invited = await adminPage.$$eval('#users tbody tr', (trs) => trs.map((tr) => tr.dataset.user));
  assert.ok(invited.includes('liam@import.demo') && !invited.includes('hessa@import.demo'), invited.join(', '));
  await adminPage.click('#users tr[data-user="liam@import.demo"] a');
  await adminPage.waitForSelector('#resend-invitation');
  // Back to the list: still only the invited.
  await adminPage.goBack();
  await adminPage.waitForSelector('#users tr[data-user="liam@import.demo"]');
  assert.equal(await adminPage.inputValue('#user-state'), 'invited');
  assert.ok(!(await adminPage.$('#users tr[data-user="hessa@import.demo"]')), 'the filter is kept');
  await adminPage.click('#users tr[data-user="liam@import.demo"] a');
  await adminPage.waitForSelector('#resend-invitation');
  assert.equal((await adminPage.textContent('#user-state-word')).trim(), 'Invited');
  const oldLink = /^http\S+\/#\/reset\/[0-9a-f]{64}$/m.exec((await sink.letter((l) => l.rcpt_tos.includes('liam@import.demo'))).body)[0];
  await adminPage.click('#resend-invitation');
  await adminPage.waitForSelector('#user-after .msg.ok');
  assert.match((await adminPage.textContent('#user-after .msg.ok')).trim(), /^A new invitation is on its way to liam@import\.demo; its link works until .+ (UTC|GMT\S*)\. The links of the earlier letters no longer work\.$/);
  // Said where the admin looks, and not sent twice by a second click.
  assert.equal(await adminPage.evaluate(() => document.activeElement?.closest('#user-after') !== null), true, 'the confirmation takes the focus');
  assert.equal(await adminPage.$eval('#resend-invitation', (b) => b.disabled), true);
  const deadline = Date.now() + 30000;
  let liamLetters = [];
  while ((liamLetters = sink.letters().filter((l) => l.rcpt_tos.includes('liam@import.demo'))).length < 2) {
    assert.ok(Date.now() < deadline, 'a second letter to Liam');
    await adminPage.waitForTimeout(100);
  }
  const newLink = /^http\S+\/#\/reset\/[0-9a-f]{64}$/m.exec(liamLetters[1].body)[0];
  assert.notEqual(newLink, oldLink);
  const liamContext = await phone(browser, { locale: 'en-US' });
  const liam = await liamContext.newPage();
  await liam.goto(server.url, { waitUntil: 'domcontentloaded' });
  await liam.evaluate(() => localStorage.setItem('sirr.lang', 'en'));
  await liam.goto(oldLink, { waitUntil: 'domcontentloaded' });
  await liam.waitForSelector('#ask-again');
  assert.match(await liam.textContent('#reset-form .form-status'), /^this link is not valid/);
  await liam.goto(newLink, { waitUntil: 'domcontentloaded' });
  await onScreen(liam, '#/reset');
  await liam.waitForTimeout(500);
  assert.equal(await liam.$('#ask-again'), null);
  await liam.fill('#reset-new', 'Liam chose this one');
  await liam.fill('#reset-repeat', 'Liam chose this one');
  await liam.click('#set-password');
  await onScreen(liam, '#/login');
  await liamContext.close();
  await usersList();
  assert.deepEqual(await stateOf('liam@import.demo'), ['active', 'Active']);
  await desk.close();
});
