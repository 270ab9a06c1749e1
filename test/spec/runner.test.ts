// The spec runner itself: counting, NaN patterns, failure lines, linking through register, and the
// `wasmscope spec` command's output and exit status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runWast } from '../../core/wast';

const root = join(import.meta.dirname, '..', '..');

test('counts modules, actions and assertions; reports failures with their lines', () => {
  const r = runWast(
    `(module $A (func (export "f") (result i32) (i32.const 7)) (global (export "g") i32 (i32.const 5)))
(register "a" $A)
(module (import "a" "f" (func $f (result i32))) (import "spectest" "global_i32" (global i32))
  (func (export "twice") (result i32) (i32.add (call $f) (call $f)))
  (func (export "boom") unreachable)
  (func $deep (export "deep") (call $deep))
  (func (export "v") (result f64 f64) (f64.const -nan) (f64.const 1)))
(assert_return (invoke "twice") (i32.const 14))
(assert_return (get $A "g") (i32.const 5))
(assert_trap (invoke "boom") "unreachable")
(assert_exhaustion (invoke "deep") "call stack exhausted")
(assert_return (invoke "v") (f64.const nan:canonical) (f64.const 1))
(assert_unlinkable (module (import "a" "missing" (func))) "unknown import")
(assert_malformed (module quote "(func (i32.const 0x))") "unknown operator")
(assert_return (invoke "twice") (i32.const 15))`,
    'inline.wast',
  );
  assert.equal(r.passed, 9);
  assert.equal(r.failed, 1);
  assert.deepEqual(r.failures.map((f) => f.line), [15]);
  assert.match(r.failures[0]?.message ?? '', /expected i32:15, got i32:14/);
});

test('wasmscope spec prints file:line failures and the closing line, and exits 1', () => {
  const file = join('test', 'fixtures', 'text', 'failing.wast');
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'cli', 'cli.ts'), 'spec', file], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[lines.length - 1], '3 passed, 4 failed');
  assert.doesNotMatch(r.stdout, /failing\.wast:6:/);
  assert.match(r.stdout, new RegExp(`^${file.replace(/\./g, '\\.')}:7: invoke "add": result 0: expected i32:4, got i32:3$`, 'm'));
  assert.match(r.stdout, /failing\.wast:8: invoke "nan": result 0: expected f32:nan:canonical/);
  assert.match(r.stdout, /failing\.wast:9: invoke "add": expected trap "unreachable", got i32:3/);
  assert.match(r.stdout, /failing\.wast:10: expected invalid module "type mismatch", but it validated/);
});
