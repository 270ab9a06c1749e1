// .wast parser: command kinds with lines, NaN patterns and references, and clean errors (never a
// crash) on Wasm 3.0 scripts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseWast } from '../../../core/text';

test('commands with their lines', () => {
  const s = parseWast(`(module $M (func (export "f") (result i32) (i32.const 1)))
(register "m" $M)
(module binary "\\00asm" "\\01\\00\\00\\00")
(module quote "(func)")
(assert_return (invoke $M "f") (i32.const 1))
(assert_return (invoke "g" (f32.const 1.5) (ref.null extern) (ref.extern 3)) (f64.const nan:canonical) (ref.func) (ref.extern))
(assert_return (invoke "v") (v128.const f32x4 nan:arithmetic 1 2 -0))
(assert_trap (invoke "t") "unreachable")
(assert_trap (module (func)) "x")
(assert_exhaustion (invoke "r") "call stack exhausted")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_malformed (module quote "(func (i32.const 0x))") "unknown operator")
(assert_unlinkable (module (import "x" "y" (func))) "unknown import")
(assert_uninstantiable (module (func unreachable) (start 0)) "unreachable")
(get "g")
(invoke "h" (i64.const -1))`);
  assert.deepEqual(s.errors, []);
  assert.deepEqual(
    s.commands.map((c) => `${c.line}:${c.kind}`),
    ['0:module', '1:register', '2:module', '3:module', '4:assert_return', '5:assert_return', '6:assert_return', '7:assert_trap',
      '8:assert_trap_module', '9:assert_exhaustion', '10:assert_invalid', '11:assert_malformed', '12:assert_unlinkable',
      '13:assert_uninstantiable', '14:action', '15:action'],
  );
  const ret = s.commands[5];
  assert.ok(ret?.kind === 'assert_return');
  assert.equal(ret.action.kind, 'invoke');
  assert.deepEqual(ret.expected, [{ type: 'f64', nan: 'canonical' }, { type: 'ref.func', index: undefined }, { type: 'ref.extern', value: undefined }]);
  const bin = s.commands[2];
  assert.ok(bin?.kind === 'module' && bin.module.kind === 'binary');
  assert.deepEqual([...bin.module.bytes], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  const v = s.commands[6];
  assert.ok(v?.kind === 'assert_return');
  const e = v.expected[0];
  assert.ok(e && e.type === 'v128' && 'nanLanes' in e);
  assert.deepEqual(e.nanLanes, ['arithmetic', undefined, undefined, undefined]);
});

test('unknown commands and garbage give errors, not exceptions', () => {
  const s = parseWast('(assert_suspension (invoke "x")) (module instance $i $d extra) (frobnicate) ) (assert_return (invoke "f") (i31.ref 1)) "stray"');
  assert.ok(s.errors.length >= 5);
  assert.ok(s.commands.every((c) => c.kind === 'unsupported'));
});

const suite3 = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'testsuite', 'wasm-3.0');
test('every Wasm 3.0 script parses without throwing', { skip: existsSync(suite3) ? false : `${suite3} is absent` }, () => {
  for (const f of readdirSync(suite3).filter((x) => x.endsWith('.wast'))) {
    const s = parseWast(readFileSync(join(suite3, f), 'utf8'));
    assert.ok(s.commands.length > 0, f);
  }
});
