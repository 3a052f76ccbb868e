// The phone's show_if evaluator against the cases of the Rust crate
// (crates/checklist/src/condition/{parse,eval}.rs tests): same results, same error columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, evaluate, visibleItems, ConditionError } from '../../crates/server/web/js/condition.js';

const answers = { offered_card: 'asked', wait: 7, extras: [] };
const lookup = (k) => {
  const v = answers[k];
  return Array.isArray(v) ? v : v;
};
const ev = (s) => evaluate(parse(s), lookup);

test('evaluates with missing answers false (eval.rs)', () => {
  assert.ok(ev("offered_card != 'no'"));
  assert.ok(ev('wait > 5 and wait <= 7'));
  assert.ok(!ev('wait < 7'));
  assert.ok(ev("offered_card in ['asked', 'proactive']"));
  assert.ok(!ev("offered_card not in ['asked']"));
  assert.ok(!ev('card_benefits == 3'));
  assert.ok(!ev('card_benefits != 3'));
  assert.ok(ev('not card_benefits == 3'));
  assert.ok(!ev('card_benefits not in [1]'));
  assert.ok(!ev('answered(card_benefits)'));
  assert.ok(ev('answered(offered_card)'));
  assert.ok(!ev("selected(extras, 'a')"));
  assert.ok(ev("selected(offered_card, 'asked')"));
});

test('precedence: or < and < not (parse.rs)', () => {
  const e = parse("a == 'x' or not b == 1 and answered(c)");
  assert.equal(e.op, 'or');
  assert.equal(e.b.op, 'and');
  assert.equal(e.b.a.op, 'not');
  assert.equal(e.b.b.op, 'answered');
});

test('in lists, selected, negative numbers', () => {
  const e = parse("x not in ['a', 'b'] and selected(y, 'ر')");
  assert.equal(e.a.op, 'in');
  assert.equal(e.a.negated, true);
  assert.equal(e.b.option, 'ر');
  assert.equal(parse('wait_minutes <= -2.5').right.lit, -2.5);
});

test('errors carry columns (parse.rs)', () => {
  const col = (s) => { try { parse(s); } catch (e) { assert.ok(e instanceof ConditionError); return e; } assert.fail(`${s} parsed`); };
  let e = col("offered_card = 'no'");
  assert.equal(e.column, 14);
  assert.match(e.problem, /==/);
  assert.equal(col("a == 'x' and").column, 13);
  assert.match(col('(a == 1').problem, /'\)'/);
  assert.equal(col('a == "x"').column, 6);
  assert.match(col('Offered == 1').problem, /lower case/);
  assert.equal(col("a == 'x' b").column, 10);
  col('');
  col('a');
  col('a in []');
});

test('escapes', () => {
  const e = parse("note_text == 'it\\'s a \\\\ test'");
  assert.equal(e.right.lit, "it's a \\ test");
});

test('N/A, hidden and unanswered make comparisons false; not is plain negation', () => {
  const cl = { sections: [{ key: 's', items: [
    { key: 'x', type: 'yes_no', na_allowed: true },
    { key: 'a', type: 'yes_no', show_if: "x == 'no'" },
    { key: 'b', type: 'yes_no', show_if: "not (x == 'no')" },
    { key: 'c', type: 'yes_no', show_if: "a == 'yes'" },
    { key: 'd', type: 'yes_no', show_if: 'answered(a)' },
  ] }] };
  let shown = visibleItems(cl, { x: 'na', a: 'yes' });
  assert.deepEqual([...shown], ['x', 'b']); // a is hidden, so c and d (which read a) are hidden too
  shown = visibleItems(cl, { x: 'no', a: 'yes' });
  assert.deepEqual([...shown], ['x', 'a', 'c', 'd']);
  shown = visibleItems(cl, {});
  assert.deepEqual([...shown], ['x', 'b']);
});

test('every show_if of the example checklists parses', () => {
  for (const f of ['bank-branch-visit', 'government-service-centre-visit', 'retail-store-visit']) {
    const doc = JSON.parse(readFileSync(new URL(`../../examples/checklists/${f}.json`, import.meta.url)));
    for (const s of doc.sections) for (const i of s.items) if (i.show_if) parse(i.show_if);
    assert.ok(visibleItems(doc, {}).size > 0);
  }
});

// ---- The type checker (crates/checklist/src/condition/check.rs), as the editor runs it ----
import { check, exprText } from '../../crates/server/web/js/condition.js';

const spec = JSON.parse(readFileSync(new URL('../fixtures/checklists/spec-example.json', import.meta.url)));
/** Problems of `show_if` on the item at `at` (document position) of `doc`, in the crate's words. */
function problemsAt(doc, at, showIf) {
  const items = doc.sections.flatMap((s) => s.items);
  const index = new Map();
  items.forEach((item, position) => { if (!index.has(item.key)) index.set(item.key, { position, item }); });
  return check(parse(showIf), at, (k) => index.get(k)).map((e) => e.message);
}

test('check: the crate\'s cases (tests/documents.rs conditions_refer_only_to_known_earlier_items_of_the_right_type)', () => {
  const cases = [
    ["greeted_30s == 'yes' and nobody == 1", "unknown item 'nobody'"],
    ['card_benefits > 2', 'the item cannot depend on its own answer'],
    ["wait_minutes == 'five'", 'holds a number'],
    ["greeted_30s > 'no'", 'compares numbers'],
  ];
  for (const [cond, expected] of cases) {
    const got = problemsAt(spec, 4, cond);
    assert.ok(got.some((m) => m.includes(expected)), `${cond}: ${got.join(' | ')}`);
  }
  assert.ok(problemsAt(spec, 0, "id_checked == 'yes'").some((m) => m.includes('comes later')));
});

test('check: exact sentences, as the crate writes them', () => {
  const doc = { sections: [{ items: [
    { key: 'yn', type: 'yes_no' },
    { key: 'ch', type: 'choice', options: [{ key: 'proactive' }, { key: 'asked' }, { key: 'no' }] },
    { key: 'mc', type: 'multi_choice', options: [{ key: 'a' }, { key: 'b' }] },
    { key: 'num', type: 'number' },
    { key: 'sc', type: 'scale', min: 1, max: 5 },
    { key: 'ph', type: 'photo' },
    { key: 'nt', type: 'note' },
    { key: 'tx', type: 'text' },
    { key: 'here', type: 'yes_no' },
    { key: 'later', type: 'yes_no' },
  ] }] };
  const at = 8;
  const cases = [
    ["yn == 'yes'", []],
    ["yn == 'maybe'", ["in `yn == 'maybe'`: 'maybe' is not an answer of 'yn' (answers: yes, no)"]],
    ['yn == 1', ["in `yn == 1`: 'yn' holds text, but 1 is a number"]],
    ['num == true', ["in `num == true`: 'num' holds a number, but true is true/false"]],
    ["ch in ['asked', 'never']", ["in `ch in ['asked', 'never']`: 'never' is not an answer of 'ch' (answers: proactive, asked, no)"]],
    ["selected(ch, 'nope')", ["in `selected(ch, 'nope')`: 'nope' is not an option of 'ch' (options: proactive, asked, no)"]],
    ["selected(mc, 'a')", []],
    ["selected(yn, 'yes')", ["in `selected(yn, 'yes')`: selected() needs a choice or multi_choice item, but 'yn' is yes_no"]],
    ["mc == 'a'", ["in `mc == 'a'`: 'mc' is a multi_choice item; test it with selected(mc, 'option')"]],
    ["ph == 'x'", ["in `ph == 'x'`: 'ph' is a photo item; test it with answered(ph)"]],
    ['answered(ph)', []],
    ['answered(nt)', ["in `answered(nt)`: 'nt' is a note and is never answered"]],
    ['1 == 1', ['in `1 == 1`: compares two constants, which is always true or always false']],
    ['yn == num', ["in `yn == num`: 'yn' holds text but 'num' holds a number"]],
    ['num < sc', []],
    ["tx < 'b'", ["in `tx < 'b'`: '<' compares numbers, not text"]],
    ['1 in [1, 2]', ["in `1 in [1, 2]`: the left side of 'in' must be an item key"]],
    ["here == 'yes'", ["the item cannot depend on its own answer ('here')"]],
    ["later == 'yes'", ["'later' comes later in the checklist: conditions may only use earlier answers"]],
    ['answered(ghost)', ["unknown item 'ghost'"]],
    ["not (yn == 'no') and (num > 2 or sc >= 3)", []],
    ["3 < num and 'yes' == yn", []],
  ];
  for (const [cond, expected] of cases) assert.deepEqual(problemsAt(doc, at, cond), expected, cond);
});

test('check: every show_if of the example checklists type checks', () => {
  for (const f of ['bank-branch-visit', 'government-service-centre-visit', 'retail-store-visit']) {
    const doc = JSON.parse(readFileSync(new URL(`../../examples/checklists/${f}.json`, import.meta.url)));
    doc.sections.flatMap((s) => s.items).forEach((item, i) => {
      if (item.show_if) assert.deepEqual(problemsAt(doc, i, item.show_if), [], `${f} ${item.key}`);
    });
  }
});

test('a condition written back parses to the same tree (Display round trip)', () => {
  for (const s of ["a == 'x' or not b == 1 and answered(c)", "(a == 1 or b == 2) and not (c in ['x', 'it\\'s'])", "not not selected(m, 'q')", 'x not in [1, -2.5, true]']) {
    const e = parse(s);
    assert.deepEqual(parse(exprText(e)), e, s);
  }
  assert.equal(exprText(parse("(a == 1 or b == 2) and c == 3")), '(a == 1 or b == 2) and c == 3');
  assert.equal(exprText(parse("a == 1 or (b == 2 and c == 3)")), 'a == 1 or b == 2 and c == 3');
});

// The crate's own verdicts on 38 conditions (every kind of type error, and well-typed ones), as
// `sirr checklist validate --format json tests/fixtures/checklists/condition-cases.json` printed
// them into condition-cases.problems.json: the port must say exactly the same, in the same order.
// (Regenerate that file with the command above when the crate's wording changes.)
test('check: the same problems, word for word, as `sirr checklist validate` on condition-cases.json', () => {
  const doc = JSON.parse(readFileSync(new URL('../fixtures/checklists/condition-cases.json', import.meta.url)));
  const rust = JSON.parse(readFileSync(new URL('../fixtures/checklists/condition-cases.problems.json', import.meta.url)));
  const items = doc.sections[0].items;
  const got = [];
  items.forEach((item, i) => {
    if (!item.show_if) return;
    for (const m of problemsAt(doc, i, item.show_if)) got.push({ path: `/sections/0/items/${i}/show_if`, problem: m });
  });
  const want = rust.problems.filter((p) => p.path.endsWith('/show_if')).map(({ path, problem }) => ({ path, problem }));
  assert.ok(want.length >= 25, 'the fixture holds the crate\'s answers');
  assert.deepEqual(got, want);
});

// The same for syntax errors: columns and sentences as the crate reports them
// (`sirr checklist validate --format json tests/fixtures/checklists/condition-syntax.json`).
test('parse: the same columns and sentences as `sirr checklist validate` on condition-syntax.json', () => {
  const doc = JSON.parse(readFileSync(new URL('../fixtures/checklists/condition-syntax.json', import.meta.url)));
  const rust = JSON.parse(readFileSync(new URL('../fixtures/checklists/condition-syntax.problems.json', import.meta.url)));
  const items = doc.sections[0].items;
  const got = [];
  items.forEach((item, i) => {
    // An empty condition is refused by the document loader ("must not be empty"), before parsing.
    if (item.show_if === undefined || item.show_if === '') return;
    const path = `/sections/0/items/${i}/show_if`;
    try { parse(item.show_if); } catch (e) { got.push({ path, problem: `${e.message} in \`${item.show_if}\`` }); return; }
    for (const m of problemsAt(doc, i, item.show_if)) got.push({ path, problem: m });
  });
  const want = rust.problems.filter((p) => p.path.endsWith('/show_if') && p.problem !== 'must not be empty').map(({ path, problem }) => ({ path, problem }));
  assert.ok(want.length >= 20);
  assert.deepEqual(got, want);
});
