// The editor's model functions without a browser: the live validation agrees with the crate on
// the documents it judges (paths and kinds of problem), the changes against a published version
// are listed exactly, missing translations are counted as the editor counts them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

globalThis.localStorage ??= { getItem: () => null, setItem: () => {}, removeItem: () => {} };
globalThis.document ??= { documentElement: {} };
const { validateDoc, diffDocs, cleanDoc, missingIn, whereWords } = await import('../../crates/server/web/js/editor.js');
const { setLang } = await import('../../crates/server/web/js/i18n.js');
setLang('en');

const spec = JSON.parse(readFileSync(new URL('../fixtures/checklists/spec-example.json', import.meta.url)));
const examples = ['bank-branch-visit', 'government-service-centre-visit', 'retail-store-visit']
  .map((f) => JSON.parse(readFileSync(new URL(`../../examples/checklists/${f}.json`, import.meta.url))));
const errors = (doc) => validateDoc(doc).filter((p) => p.severity === 'error').map((p) => `${p.path} ${p.code}`);

test('the valid documents the crate accepts have no errors here either', () => {
  for (const doc of [spec, ...examples]) assert.deepEqual(errors(doc), [], doc.key);
});

test('problems by path, as the crate names them (tests/documents.rs cases)', () => {
  const v = structuredClone(spec);
  v.sections[0].items[1].bands = [{ max: 10, score: 1 }, { max: 5, score: 0 }];
  v.sections[0].items[3].options.push({ key: 'asked', score: 1.5 });
  v.sections[0].items[4].min = 5;
  v.sections[0].items[4].show_if = 'card_benefits > 2';
  v.sections[0].items[0].key = 'Bad Key';
  v.sections[0].weight = 0;
  v.critical_rule = { cap: 1 };
  assert.deepEqual(errors(v), [
    '/critical_rule/cap capRange',
    '/sections/0/weight weightPositive',
    '/sections/0/items/0/key keyPattern',
    '/sections/0/items/1/bands/1/max bandsAscending',
    '/sections/0/items/3/options/3/key duplicateOption',
    '/sections/0/items/3/options/3/score scoreRange',
    '/sections/0/items/4/max scaleBounds',
    '/sections/0/items/4/show_if condition',
  ]);
  const w = structuredClone(spec);
  w.sections[0].items[3].critical = true;
  w.sections[0].items[3].options = [{ key: 'proactive', score: 1 }, { key: 'asked', score: 0.5 }];
  w.sections[0].items.push({ key: 'remarks', type: 'text', critical: true, text: { en: 'Remarks', ar: 'ملاحظات' } });
  w.sections[0].items.push({ key: 'greeted_30s', type: 'note', required: true, text: { en: 'x' } });
  w.sections[0].items[1].bands = [{ score: 1 }, { max: 10, score: 0 }];
  assert.deepEqual(errors(w), [
    '/sections/0/items/1/bands/0 bandWithoutMax',
    '/sections/0/items/3/critical criticalCannotFail',
    '/sections/0/items/5/critical criticalNeverScored',
    '/sections/0/items/6/key duplicateItem',
    '/sections/0/items/6/required noteFlag',
    // 'no' is no longer an option of offered_card, which card_benefits' show_if compares with.
    '/sections/0/items/4/show_if condition',
  ]);
  assert.equal(whereWords(w, '/sections/0/items/3/critical'), 'Section 1 (welcome) › item 4 (offered_card) › critical');
});

test('the changes against the published version, exactly', () => {
  const before = structuredClone(spec);
  const after = structuredClone(spec);
  const items = after.sections[0].items;
  items[0].weight = 3;
  items[0].text.ar = 'نص آخر';
  items[3].options[1].score = 0.25;
  items[3].options[2].text = { en: 'Never' };
  [items[1], items[2]] = [items[2], items[1]];
  items.push({ key: 'remarks', type: 'text', text: { en: 'Remarks' } });
  after.sections.push({ key: 'extra', title: { en: 'Extra' }, items: [items.splice(4, 1)[0]] });
  const said = diffDocs(before, after).map((c) => [c.code, c.args]);
  assert.deepEqual(said, [
    ['sectionAdded', { key: 'extra' }],
    ['itemAdded', { key: 'remarks', section: 'welcome' }],
    ['textChanged', { key: 'greeted_30s', lang: 'ar' }],
    ['field', { key: 'greeted_30s', field: 'weight', from: '2', to: '3' }],
    ['itemMoved', { key: 'id_checked', from: 3, to: 2 }],
    ['itemMoved', { key: 'wait_minutes', from: 2, to: 3 }],
    ['optionScore', { key: 'offered_card', option: 'asked', from: '0.5', to: '0.25' }],
    ['optionText', { key: 'offered_card', option: 'no', lang: 'en' }],
    ['itemMovedSection', { key: 'card_benefits', from: 'welcome', to: 'extra' }],
  ]);
  assert.deepEqual(diffDocs(spec, structuredClone(spec)), []);
});

test('missing translations: needed texts always, optional ones once a language has text; cleaning drops empty parts', () => {
  assert.equal(missingIn({}, 'ar', true), true);
  assert.equal(missingIn({ en: 'x' }, 'ar', true), true);
  assert.equal(missingIn({ en: 'x', ar: 'س' }, 'ar', true), false);
  assert.ok(!missingIn({}, 'ar', false));
  assert.ok(!missingIn(undefined, 'en', false));
  assert.equal(missingIn({ ar: 'س' }, 'en', false), true);
  const d = cleanDoc({ key: 'k', version: 1, languages: ['en', 'ar'], title: { en: 'T' }, description: {}, sections: [{ key: 's', title: { en: 'S' }, items: [{ key: 'i', type: 'choice', text: { en: 'I' }, help: {}, tags: [], show_if: ' ', options: [{ key: 'a', text: {} }] }] }] });
  assert.deepEqual(d.sections[0].items[0], { key: 'i', type: 'choice', text: { en: 'I' }, options: [{ key: 'a' }] });
  assert.equal('description' in d, false);
});

test('restoring edits over a draft someone else saved meanwhile replays only those edits (three-way merge)', async () => {
  const { mergeDocs } = await import('../../crates/server/web/js/editor.js');
  const base = structuredClone(examples[0]);
  const [s0, s1] = [base.sections[0], base.sections[1]];
  // Theirs: the English title, one item's Arabic text, an item removed, an item added.
  const theirs = structuredClone(base);
  theirs.title.en = 'Bank branch visit (colleague)';
  theirs.sections[0].items[0].text.ar = 'نص الزميل';
  theirs.sections[1].items.splice(1, 1);
  theirs.sections[0].items.push({ key: 'colleague_item', type: 'yes_no', text: { en: 'Theirs', ar: 'لهم' } });
  // Mine: another item's English text, an option's score, a new item after the first, a section weight.
  const mine = structuredClone(base);
  mine.sections[0].items[1].text.en = 'Mine';
  const choice = mine.sections.flatMap((s) => s.items).find((i) => i.options?.length);
  choice.options[0].score = 0.25;
  mine.sections[1].items.splice(1, 0, { key: 'my_item', type: 'yes_no', text: { en: 'Mine too', ar: 'لي' } });
  mine.sections[0].weight = 3;
  const { doc, conflicts } = mergeDocs(base, mine, theirs);
  assert.deepEqual(conflicts, []);
  assert.equal(doc.title.en, 'Bank branch visit (colleague)', 'their title stays');
  assert.equal(doc.sections[0].items[0].text.ar, 'نص الزميل', 'their text stays');
  assert.equal(doc.sections[0].items[1].text.en, 'Mine', 'my text is replayed');
  assert.equal(doc.sections[0].weight, 3);
  assert.equal(doc.sections.flatMap((s) => s.items).find((i) => i.key === choice.key).options[0].score, 0.25);
  assert.deepEqual(doc.sections[0].items.map((i) => i.key), [...s0.items.map((i) => i.key), 'colleague_item']);
  assert.deepEqual(doc.sections[1].items.map((i) => i.key), [s1.items[0].key, 'my_item', ...s1.items.slice(2).map((i) => i.key)], 'their removal and my insertion both stay');
  // The same value changed on both sides: mine is kept, and the place is named.
  const both = structuredClone(mine);
  both.title.en = 'Bank branch visit (mine)';
  const clash = mergeDocs(base, both, theirs);
  assert.equal(clash.doc.title.en, 'Bank branch visit (mine)');
  assert.deepEqual(clash.conflicts, ['/title/en']);
  // Nothing changed here: theirs, as it is.
  assert.deepEqual(mergeDocs(base, structuredClone(base), theirs).doc, theirs);
});
