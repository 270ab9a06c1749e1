// Per-command results of a .wast run (what the Testing view and `spec --json` show) and the list
// of a script's tests, which must name the same commands by the same lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listWastTests, runWast, type SpecOutcome } from '../../../core/wast';

const SCRIPT = `(module $m
  (func (export "add") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
;; a wrong expectation, over three lines
(assert_return
  (invoke "add" (i32.const 1) (i32.const 2))
  (i32.const 4))
(register "m" $m)
(assert_trap (invoke "add" (i32.const 0) (i32.const 0)) "unreachable")
(assert_invalid (module (func (result i32))) "type mismatch")
`;

test('each counted command reports its lines, kind and result; failures carry expected and actual', () => {
  const outcomes: SpecOutcome[] = [];
  const r = runWast(SCRIPT, 't.wast', { onCommand: (o) => outcomes.push(o) });
  assert.equal(r.passed, 3);
  assert.equal(r.failed, 2);
  assert.deepEqual(outcomes.map((o) => [o.kind, o.line, o.endLine, o.ok]), [
    ['module', 1, 3, true],
    ['assert_return', 4, 4, true],
    ['assert_return', 6, 8, false],
    ['assert_trap', 10, 10, false],
    ['assert_invalid', 11, 11, true],
  ]);
  const wrong = outcomes[2]!;
  assert.equal(wrong.expected, 'i32:4');
  assert.equal(wrong.actual, 'i32:3');
  assert.match(wrong.message ?? '', /expected i32:4, got i32:3/);
  // A trap assertion's failure shows as a diff too: the trap it expected against what came.
  assert.equal(outcomes[3]!.expected, 'trap "unreachable"');
  assert.equal(outcomes[3]!.actual, 'i32:0');
  assert.match(outcomes[3]!.message ?? '', /expected trap "unreachable"/);
});

test('the test list names the same commands (not register), labelled as written', () => {
  const tests = listWastTests(SCRIPT);
  assert.deepEqual(tests.map((t) => t.id), ['module@1', 'assert_return@4', 'assert_return@6', 'assert_trap@10', 'assert_invalid@11']);
  assert.equal(tests[0]!.label, 'module $m');
  assert.equal(tests[2]!.label, 'assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 4)');
  assert.equal(tests[2]!.endLine, 8);
  assert.equal(tests[4]!.label, 'assert_invalid "type mismatch"');
});

test('a script-level syntax error is an outcome of its own, and the list keeps what parsed', () => {
  const text = '(module)\n(assert_return (invoke "f")\n';
  const outcomes: SpecOutcome[] = [];
  runWast(text, 'bad.wast', { onCommand: (o) => outcomes.push(o) });
  assert.ok(outcomes.some((o) => !o.ok), 'the unclosed command fails');
  assert.ok(listWastTests(text).some((t) => t.kind === 'module' && t.line === 1));
  assert.deepEqual(listWastTests(''), []);
});
