// Shared by the browser tests, the screenshots and the page-load figures: start `sirr serve
// --demo` (the debug binary, built beforehand) on a free port, launch Debian's Chromium through
// playwright-core at a phone viewport, sign in through the page.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const BIN =
  process.env.E2E_SIRR_BIN || join(resolve(ROOT, process.env.CARGO_TARGET_DIR || 'target'), 'debug/sirr');
export const CHROMIUM = '/usr/bin/chromium';
export const PHONE = { width: 390, height: 844 };
export const PASSWORD = 'demo-password';

/** Starts the server; `port` 0 picks a free one (parsed from the `listening on` line); `env`
 * adds the test's own settings (`SIRR_SMTP__HOST`, …). */
export function startServer({ dataDir = mkdtempSync(join(tmpdir(), 'sirr-e2e-')), port = 0, env = {} } = {}) {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run cargo build -p sirr-server --bin sirr first`);
  const proc = spawn(BIN, ['serve', '--demo', '--bind', `127.0.0.1:${port}`, '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Only the test's own settings: no SIRR_* configuration from the caller's shell.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SIRR_'))), ...env },
  });
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`server did not start in 300 s\n${err}`)), 300000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        const url = m[1].trim();
        ok({ url, port: Number(new URL(url).port), dataDir, proc, stop: () => stop(proc) });
      }
    });
    proc.on('exit', (code) => { clearTimeout(timer); fail(new Error(`server exited with ${code}\n${err}`)); });
  });
}

/**
 * The SMTP sink the Rust e-mail tests use (crates/server/tests/support/smtp_sink.py: aiosmtpd,
 * a real SMTP server, writing each letter as a JSON line). Python comes from
 * SIRR_TEST_SMTP_PYTHON (`.ci/run` makes a virtualenv with aiosmtpd), else `python3` if it has
 * aiosmtpd. Without either: `null` (the caller skips) — except under CI=true, where it throws.
 */
export function startSmtpSink() {
  const python = process.env.SIRR_TEST_SMTP_PYTHON || 'python3';
  const probe = spawnSync(python, ['-c', 'import aiosmtpd'], { stdio: 'ignore' });
  if (probe.status !== 0) {
    if (process.env.CI === 'true') throw new Error(`CI=true but ${python} cannot import aiosmtpd (set SIRR_TEST_SMTP_PYTHON; .ci/run does)`);
    return null;
  }
  const out = join(mkdtempSync(join(tmpdir(), 'sirr-e2e-mail-')), 'mail.jsonl');
  const proc = spawn(python, [join(ROOT, 'crates/server/tests/support/smtp_sink.py'), out], { stdio: ['ignore', 'pipe', 'inherit'] });
  const letters = () => (existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
  return new Promise((ok, fail) => {
    let first = '';
    const timer = setTimeout(() => fail(new Error('the SMTP sink did not start in 30 s')), 30000);
    proc.stdout.on('data', (d) => {
      first += d;
      const m = /listening on (\d+)/.exec(first);
      if (m) {
        clearTimeout(timer);
        ok({
          port: Number(m[1]),
          letters,
          /** Waits for a letter matching `pred`, or throws after `timeout` ms. */
          async letter(pred, timeout = 30000) {
            const end = Date.now() + timeout;
            for (;;) {
              const found = letters().find(pred);
              if (found) return found;
              if (Date.now() > end) throw new Error(`no such letter within ${timeout} ms: ${JSON.stringify(letters(), null, 1)}`);
              await new Promise((r) => setTimeout(r, 100));
            }
          },
          stop: () => stop(proc),
        });
      }
    });
    proc.on('exit', (code) => { clearTimeout(timer); fail(new Error(`the SMTP sink exited with ${code}`)); });
  });
}

function stop(proc) {
  return new Promise((ok) => {
    if (proc.exitCode !== null) { ok(); return; }
    proc.removeAllListeners('exit');
    proc.on('exit', () => ok());
    proc.kill('SIGTERM');
  });
}

export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function phone(browser, { locale = 'en-US', bypassCSP = false } = {}) {
  // bypassCSP only for axe-core, which is injected as an inline script.
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale, acceptDownloads: true, bypassCSP });
  // The debug server shares two cores with its own score warm-up (and, on CI, with builds).
  context.setDefaultTimeout(60000);
  context.setDefaultNavigationTimeout(90000);
  return context;
}

/** Waits until the route in the address bar is the one on the screen. */
export const settled = (page) => page.waitForFunction(() => document.body.dataset.route === location.hash);

/** Signs in through the login form and waits for the role's home screen. */
export async function signIn(page, url, email) {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForFunction(() => document.body.dataset.route && document.body.dataset.route !== '#/login' && document.body.dataset.route === location.hash, null, { timeout: 60000 });
}

/** The JSON API as one user, from node (for checks behind the page's back). */
export async function apiAs(url, email) {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  if (!res.ok) throw new Error(`login ${email}: ${res.status}`);
  const { access_token: token } = await res.json();
  return async (path, init = {}) => {
    const r = await fetch(`${url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers || {}) } });
    const text = await r.text();
    if (!r.ok) throw new Error(`${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

/** A small real JPEG, drawn by the browser itself. */
export async function jpeg(page) {
  const data = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 640; c.height = 480;
    const g = c.getContext('2d');
    g.fillStyle = '#0b5d4b'; g.fillRect(0, 0, 640, 480);
    g.fillStyle = '#fff'; g.fillRect(100, 100, 200, 120);
    return c.toDataURL('image/jpeg', 0.8).split(',')[1];
  });
  return { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(data, 'base64') };
}

/**
 * Answers every shown, unanswered item of the current section (new items may appear as
 * answers change, so it loops), the way a shopper taps: the first option, "yes", a number
 * within range, a photo where one is asked for.
 */
export async function fillSection(page, photo, { exceptKeys = [] } = {}) {
  for (let round = 0; round < 30; round++) {
    const todo = await page.$$eval('.checklist .item:not([hidden]):not(.note)', (cards) => cards.map((c) => {
      const key = c.dataset.key;
      const type = c.dataset.type;
      const needsEvidence = !!c.querySelector('.evidence:not([hidden])') && !c.querySelector('.evidence .thumbs li');
      let answered;
      if (['yes_no', 'choice', 'scale', 'multi_choice'].includes(type)) answered = !!c.querySelector('.opts input:checked');
      else if (type === 'photo') answered = !!c.querySelector('.thumbs li');
      else answered = !!c.querySelector('input:not([type=checkbox]):not([type=file]), textarea:not([name^=c-])')?.value;
      return { key, type, answered, needsEvidence };
    }));
    const next = todo.find((x) => (!x.answered || x.needsEvidence) && !exceptKeys.includes(x.key));
    if (!next) return;
    const card = `.item[data-key="${next.key}"]`;
    if (!next.answered) {
      switch (next.type) {
        case 'yes_no': await page.check(`${card} input[value=yes]`); break;
        case 'choice': case 'multi_choice': await page.check(`${card} .opts input:not([value=na]) >> nth=0`); break;
        case 'scale': await page.check(`${card} .opts input:not([value=na]) >> nth=-1`); break;
        case 'number': case 'duration': {
          const min = Number(await page.getAttribute(`${card} input[type=number]`, 'min') || 0);
          const max = Number(await page.getAttribute(`${card} input[type=number]`, 'max') || 100);
          await page.fill(`${card} input[type=number]`, String(Math.min(max, Math.max(min, 3))));
          break;
        }
        case 'text': await page.fill(`${card} textarea:not([name^=c-])`, 'Clear and polite service.'); break;
        case 'timestamp': await page.click(`${card} button.small`); break;
        case 'photo': await page.setInputFiles(`${card} input[type=file]`, photo); await page.waitForSelector(`${card} .thumbs li`); break;
        default: break;
      }
    } else if (next.needsEvidence) {
      await page.setInputFiles(`${card} .evidence input[type=file]`, photo);
      await page.waitForSelector(`${card} .evidence .thumbs li`);
    }
  }
  throw new Error('the section never got complete');
}

/**
 * Waits until `fn(arg)`, evaluated in the page, resolves to something truthy. Unlike
 * `page.waitForFunction`, this awaits an async `fn` (Playwright takes the pending promise itself
 * for a truthy answer and returns at once).
 */
export async function until(page, fn, arg, { timeout = 60000, every = 250 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await page.evaluate(fn, arg);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`until: still false after ${timeout} ms: ${fn}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Fills every section from the current one to the review screen. */
export async function fillToReview(page, photo, opts) {
  for (let i = 0; i < 40; i++) {
    await page.waitForSelector('.checklist, .review');
    if (await page.$('.review')) return;
    await fillSection(page, photo, opts);
    await page.click('nav.steps a.btn:not(.secondary)');
    await settled(page);
  }
  throw new Error('never reached the review screen');
}

/** What the page will submit for an assignment (read from its IndexedDB draft). */
export function expectedSubmission(page, assignmentId) {
  return page.evaluate(async (id) => {
    const { getItem, own } = (await import('/app/bundle.js')).store;
    const { submissionOf } = (await import('/app/bundle.js')).shopper;
    const { checklistUrl } = (await import('/app/bundle.js')).offline;
    const { get } = (await import('/app/bundle.js')).api;
    const a = await get(`/api/v1/assignments/${id}`);
    const doc = (await get(checklistUrl(a.checklist))).document;
    const me = JSON.parse(localStorage.getItem('sirr.me'));
    return submissionOf(doc, await getItem('drafts', own(me.id, id)));
  }, assignmentId);
}

/** Answers as the server must have stored them: photo references aside, the same values. */
export function withoutPhotos(answers) {
  return Object.fromEntries(Object.entries(answers).filter(([, v]) => !(Array.isArray(v) && v.some((r) => typeof r === 'string' && (r.startsWith('local:') || /^[0-9a-f-]{16,}$/.test(r))))));
}

/** Every control in `main` is reached by Tab, and every input has a label. */
export async function keyboardReachable(page, what) {
  const controls = await page.$$eval('main input:not([type=hidden]), main select, main button, main a[href], main textarea',
    (els) => els.filter((e) => e.getClientRects().length && !e.disabled && !e.closest('[hidden]')).map((e) => {
      e.dataset.probe = Math.random().toString(36).slice(2);
      return e.dataset.probe;
    }));
  const unlabelled = await page.$$eval('main input:not([type=hidden]), main select, main textarea',
    (els) => els.filter((e) => e.getClientRects().length && !e.labels?.length && !e.getAttribute('aria-label')).map((e) => e.id || e.outerHTML.slice(0, 60)));
  assert.deepEqual(unlabelled, [], `${what}: inputs without a label`);
  await page.focus('#main');
  const reached = new Set();
  // Other tab stops (a summary, the page's own) come in between.
  const others = await page.$$eval('main summary, main [tabindex="0"]', (els) => els.length);
  for (let i = 0; i < controls.length + others + 40 && reached.size < controls.length; i++) {
    await page.keyboard.press('Tab');
    const probe = await page.evaluate(() => document.activeElement?.dataset?.probe);
    if (probe) reached.add(probe);
  }
  const missed = controls.filter((p) => !reached.has(p));
  assert.deepEqual(missed, [], `${what}: controls Tab never reaches`);
}
