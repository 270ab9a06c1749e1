// `run`'s one error → status chain (cli/commands/run-failure.ts) as core modules, wasi-threads
// programs and components meet it: invalid programs and missing entries are usage errors naming
// the file, traps print a backtrace and exit 134.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'wasmscope-run-failure-'));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [cli, 'run', ...args], { encoding: 'utf8' });
}

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

test('a core module: invalid → "invalid module", no _start → the hint, a trap → 134 with its backtrace', () => {
  const invalid = run(write('invalid.wat', '(module (func (export "_start") (i32.add (i32.const 1))))'));
  assert.equal(invalid.status, 2);
  assert.match(invalid.stderr, /invalid\.wat: invalid module: /);
  const none = run(write('none.wat', '(module (func (export "other")))'));
  assert.equal(none.status, 2);
  assert.match(none.stderr, /none\.wat: no _start function \(use --invoke NAME to call an export\)/);
  const trap = run(write('trap.wat', '(module (func $boom (export "_start") unreachable))'));
  assert.equal(trap.status, 134);
  assert.match(trap.stderr, /trap: unreachable[\s\S]*at \$?boom/);
});

test('a wasi-threads program: the same statuses (no _start, a trap in main)', () => {
  const memory = '(import "env" "memory" (memory 1 1 shared))';
  const none = run(write('threads-none.wat', `(module ${memory} (func (export "other")))`));
  assert.equal(none.status, 2, none.stderr);
  assert.match(none.stderr, /threads-none\.wat: no _start function$/m);
  const trap = run(write('threads-trap.wat', `(module ${memory} (func (export "_start") unreachable))`));
  assert.equal(trap.status, 134, trap.stderr);
  assert.match(trap.stderr, /trap: unreachable/);
});

test('a component: a truncated one is an "invalid component" naming the file, as a module would be', () => {
  const p2 = join(root, '..', 'shared', 'wasi-testsuite', 'p2', 'c');
  const first = readdirSync(p2).find((f) => f.endsWith('.wasm'))!;
  const bytes = readFileSync(join(p2, first));
  const truncated = join(dir, 'truncated.wasm');
  writeFileSync(truncated, bytes.subarray(0, bytes.length >> 1));
  const r = run(truncated);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /truncated\.wasm: invalid component: .*\(at byte 0x[0-9a-f]+\)/);
});
