// Wasm 3.0 script commands: `module definition` compiles without instantiating, each `module
// instance` is a fresh instance (instantiation is generative), and `either` / `(ref.null)` results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runWast } from '../../../core/wast';

test('module definition + module instance: two instances of one definition have separate state', () => {
  const r = runWast(`(module definition $M
  (global $g (mut i32) (i32.const 0))
  (func (export "bump") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g)))
(module instance $I1 $M)
(module instance $I2 $M)
(assert_return (invoke $I1 "bump") (i32.const 1))
(assert_return (invoke $I1 "bump") (i32.const 2))
(assert_return (invoke $I2 "bump") (i32.const 1))
(module instance $M)
(assert_return (invoke "bump") (i32.const 1))
(module definition (memory 65536))
(module instance $X $nope)
`, 't.wast');
  assert.deepEqual(r.failures, [{ line: 12, message: 'module instance: unknown module definition $nope' }]);
  assert.equal(r.passed, 9);
});

test('a module definition is validated but never instantiated', () => {
  const r = runWast(`(module definition (func (result i32)))
(module definition (func unreachable) (start 0))
`, 't.wast');
  assert.equal(r.passed, 1);
  assert.match(r.failures[0]?.message ?? '', /module failed to load: ValidationError/);
});

test('either matches any one of its results; (ref.null) any null reference', () => {
  const r = runWast(`(module
  (func (export "one") (result i32) (i32.const 1))
  (func (export "null") (result externref) (ref.null extern)))
(assert_return (invoke "one") (either (i32.const 0) (i32.const 1)))
(assert_return (invoke "one") (either (i32.const 2) (i32.const 3)))
(assert_return (invoke "null") (ref.null))
`, 't.wast');
  assert.equal(r.passed, 3);
  assert.deepEqual(r.failures.map((f) => f.line), [5]);
  assert.match(r.failures[0]!.message, /expected either\(i32:2 \| i32:3\), got i32:1/);
});
