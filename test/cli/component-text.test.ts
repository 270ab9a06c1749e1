// Component text in a .wat through the CLI: `run` runs it as the component it assembles to (the
// run export's result is the exit status), `inspect` shows its world, `check` reports errors at
// line:col naming the form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'wasmscope-component-text-'));
const fixture = join(root, 'test', 'fixtures', 'component', 'text', 'run-result.wat');

function wasmscope(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
}

test('run: a component .wat runs its wasi:cli/run export; an err result exits 1', () => {
  const ok = wasmscope('run', fixture);
  assert.equal(ok.status, 0, ok.stderr);
  const failing = join(dir, 'failing.wat');
  writeFileSync(failing, readFileSync(fixture, 'utf8').replace('(i32.const 0)', '(i32.const 1)'));
  assert.equal(wasmscope('run', failing).status, 1);
});

test('run: a component .wat whose core module uses GC and exnref (and its printed text) exits 0', () => {
  const gc = join(root, 'test', 'fixtures', 'component', 'text', 'gc-core.wat');
  const ok = wasmscope('run', gc);
  assert.equal(ok.status, 0, ok.stderr);
  const text = wasmscope('inspect', '--text', gc);
  assert.equal(text.status, 0, text.stderr);
  const printed = join(dir, 'gc-printed.wat');
  writeFileSync(printed, text.stdout);
  const again = wasmscope('run', printed);
  assert.equal(again.status, 0, again.stderr);
});

test('inspect: the world of a component .wat', () => {
  const r = wasmscope('inspect', fixture);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /export wasi:cli\/run@0\.2\.3;/);
});

test('check and run: an error at line:col naming the form', () => {
  const bad = join(dir, 'bad.wat');
  writeFileSync(bad, '(component\n  (core instance $i (instantiate $missing)))\n');
  const c = wasmscope('check', bad);
  assert.equal(c.status, 1);
  assert.match(c.stdout, /bad\.wat:2:34: error: unknown core module \$missing/);
  const r = wasmscope('run', bad);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.wat:2:34: unknown core module \$missing/);
});
