// Every sub-command takes the same feature flags, and a module using a proposal that is off is
// rejected with a message naming it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'wasmscope-features-'));
const module = `(module
  (func (export "g") (result i32)
    (i32x4.extract_lane 1 (v128.const i32x4 1 7 3 4))))`;
const wat = join(dir, 'lanes.wat');
writeFileSync(wat, `${module}\n`);
const wast = join(dir, 'lanes.wast');
writeFileSync(wast, `${module}\n(assert_return (invoke "g") (i32.const 7))\n`);

const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('run: SIMD is on by default, and --disable-simd names the instruction', () => {
  const on = run('run', '--invoke', 'g', wat);
  assert.equal(on.status, 0, on.stderr);
  assert.match(on.stdout, /7/);
  const off = run('run', '--disable-simd', '--invoke', 'g', wat);
  assert.equal(off.status, 2);
  assert.match(off.stderr, /lanes\.wat:3:\d+: SIMD is disabled: v128\.const at 0x[0-9a-f]+/);
});

test('spec and inspect take --features=LIST', () => {
  assert.equal(run('spec', wast).status, 0);
  const off = run('spec', '--features=-simd', wast);
  assert.equal(off.status, 1);
  assert.match(off.stdout, /SIMD is disabled: v128\.const/);
  assert.equal(run('inspect', '--features=none', wat).status, 1);
  assert.equal(run('inspect', '--features=none,simd', wat).status, 0);
  const bad = run('spec', '--features=warp-drive', wast);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown feature 'warp-drive'/);
});

test('check: the flags reach wabt', () => {
  assert.equal(run('check', wat).status, 0);
  assert.equal(run('check', '--disable-simd', wat).status, 1);
});
