// Every interface string exists in both languages, and no Arabic string is left in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
globalThis.document ??= { documentElement: {} };
const { MESSAGES, setLang } = await import('../../crates/server/web/js/i18n.js');
setLang('ar');

test('every message has an English and an Arabic text', () => {
  const en = Object.keys(MESSAGES.en).sort();
  const ar = Object.keys(MESSAGES.ar).sort();
  assert.deepEqual(en.filter((k) => !ar.includes(k)), [], 'missing in Arabic');
  assert.deepEqual(ar.filter((k) => !en.includes(k)), [], 'missing in English');
});

test('Arabic messages are written in Arabic', () => {
  const latinOnly = Object.entries(MESSAGES.ar)
    .map(([k, v]) => [k, typeof v === 'function' ? v(3, 7) : v])
    .filter(([, v]) => /[A-Za-z]{4,}/.test(v.replace(/PDF|JSON/g, '')) && !/[\u0600-\u06FF]/.test(v));
  assert.deepEqual(latinOnly, []);
});

test('Arabic counts take the plural form CLDR gives each number', () => {
  const secs = MESSAGES.ar.secondsN;
  assert.equal(secs(1), 'ثانية واحدة');
  assert.equal(secs(2), 'ثانيتان');
  assert.equal(secs(3), '٣ ثوانٍ');
  assert.equal(secs(10), '١٠ ثوانٍ');
  assert.equal(secs(11), '١١ ثانية');
  assert.equal(secs(100), '١٠٠ ثانية');
  // Minutes too (a visit's length on QA's review): "٤ دقائق", never "٤ دقيقة".
  assert.equal(MESSAGES.ar.minutes(4), '٤ دقائق');
  assert.equal(MESSAGES.ar.minutes(2), 'دقيقتان');
  assert.equal(MESSAGES.ar.minutes(1), 'دقيقة واحدة');
  assert.equal(MESSAGES.ar.minutes(15), '١٥ دقيقة');
  setLang('en');
  assert.equal(MESSAGES.en.secondsN(1), '1 second');
  assert.equal(MESSAGES.en.secondsN(3), '3 seconds');
  setLang('ar');
});

test('an action is never worded as another one: overturning a rating is not "cancel"', () => {
  // «إلغاء» is the word of every Cancel button; a QA member reading it on a dispute would not
  // know that it overturns the shopper's rating (issue 14, point 4).
  const cancelWords = new Set(['إلغاء', 'ملغى']);
  for (const key of ['overturned', 'status_overturned']) {
    assert.ok(!cancelWords.has(MESSAGES.ar[key]), `${key}: ${MESSAGES.ar[key]}`);
  }
});

test('known owners are named in the reader\'s language, others are left as written', async () => {
  const { ownerLabel } = await import('../../crates/server/web/js/i18n.js');
  setLang('ar');
  assert.equal(ownerLabel('training'), 'التدريب');
  assert.equal(ownerLabel('HR'), 'الموارد البشرية');
  assert.equal(ownerLabel('Branch manager'), null);
  setLang('en');
  assert.equal(ownerLabel('it'), 'IT');
  assert.equal(ownerLabel('x'), null);
  setLang('ar');
});
