// `wasmscope check` on Wasm 3.0 text wabt cannot read: our parser and validator check it, with
// the failing instruction's line and column, and the feature flags reach our validator too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'wasmscope-check3-'));
const check = (...args: string[]) => spawnSync(process.execPath, [cli, 'check', ...args], { encoding: 'utf8' });

test('a type error in 3.0 text is reported at its instruction, file:line:col', () => {
  const file = join(dir, 'bad.wat');
  writeFileSync(file, `(module
  (@custom "any" , tokens ; [ ])
  (func $"add one" (param i32) (result i32)
    (i32.add (local.get 0)
             (f32.const 1))))
`);
  const r = check(file);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(lines, [
    `${file}:4:6: error: type mismatch in i32.add, expected [i32, i32] but got [i32, f32]`,
    `${file}:1:1: information: wabt 1.0.39 cannot check this module's Wasm 3.0 syntax; Wasmscope's own parser and validator checked it.`,
  ]);
});

test('a valid 3.0 module passes (exit 0); a disabled proposal is an error at its instruction', () => {
  const file = join(dir, 'ok.wat');
  writeFileSync(file, `(module
  (func $"tail" (export "t") (param i32) (result i32)
    (return_call $"tail" (local.get 0))))
`);
  const ok = check(file);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.doesNotMatch(ok.stdout, /error/);
  const off = check('--disable-tail-call', file);
  assert.equal(off.status, 1, off.stdout + off.stderr);
  assert.match(off.stdout, /ok\.wat:3:6: error: tail calls are disabled: return_call at 0x[0-9a-f]+/);
});

test('a script: each module checked on its own lines; unknown names are errors, not notes', () => {
  const file = join(dir, 'bad.wast');
  writeFileSync(file, `(module definition $M
  (func $"f" (result i32)
    (i64.const 1)))
(module instance $M)
(module (func $"g" (call $"nope")))
`);
  const r = check(file);
  assert.equal(r.status, 1);
  const errors = r.stdout.split('\n').filter((l) => l.includes(': error: '));
  assert.deepEqual(errors, [
    `${file}:3:18: error: type mismatch at the end of the block or function, expected [i32] but got [i64]`,
    `${file}:5:26: error: unknown func $nope`,
  ]);
});

test('a quoted 3.0 module is checked by our validator too, at its line and column in the quote', () => {
  const file = join(dir, 'quote.wast');
  writeFileSync(file, `(module quote "(func $\\"a b\\" (result i32) (i32.const 1))")
(module quote "(func $\\"a b\\" (result i32)" "(i64.const 1))")
`);
  const r = check(file);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, `${file}:2:1: error: in the quoted module, line 1, column 40: type mismatch at the end of the block or function, expected [i32] but got [i64]\n`);
});
