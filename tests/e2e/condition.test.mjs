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
