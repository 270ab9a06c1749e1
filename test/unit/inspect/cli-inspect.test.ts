// `wasmscope inspect` on .wat and .wasm inputs, run from source so it does not depend on a fresh build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWabt } from '../../../core/check/wabt-loader';
import { watToWasm, wasmToWat, ConversionError } from '../../../core/inspect/wabt-convert';

const root = join(import.meta.dirname, '..', '..', '..');
const fixture = join(root, 'test', 'fixtures', 'client', 'sample.wat');

function inspect(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'cli', 'cli.ts'), 'inspect', ...args], { cwd: root, encoding: 'utf8' });
}

test('inspect FILE.wat prints sections, imports and exports', () => {
  const r = inspect(fixture);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^module \$sample: \d+ bytes/);
  assert.match(r.stdout, /imports \(2\):\n {2}"wasi_snapshot_preview1" "fd_write" {2}func \$fd_write {2}\(param i32 i32 i32 i32\) \(result i32\)/);
  assert.match(r.stdout, /"add" {2}func \$add {2}\(param i32 i32\) \(result i32\)/);
  assert.doesNotMatch(r.stdout, /local\.get/);
});

test('inspect --disassemble FILE.wasm adds the code with offsets; --json gives the summary as data', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-inspect-'));
  try {
    const wasm = join(dir, 'sample.wasm');
    const { readFileSync } = await import('node:fs');
    writeFileSync(wasm, watToWasm(await loadWabt(), readFileSync(fixture, 'utf8'), 'sample.wat'));
    const r = inspect('--disassemble', wasm);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\n[0-9a-f]{6}: {3}local\.get \$a\n/);
    const j = inspect('--json', wasm);
    assert.equal(j.status, 0, j.stderr);
    const summary = JSON.parse(j.stdout) as { exports: { name: string }[] };
    assert.deepEqual(summary.exports.map((e) => e.name), ['add', 'count', 'tab', 'counter']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inspect reports invalid input in one line, without a stack trace', () => {
  const r = inspect(join(root, 'package.json'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not a valid WebAssembly module: magic header not detected/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
  assert.equal(inspect().status, 2);
});

test('wat ↔ wasm conversions keep names and report wabt errors', async () => {
  const wabt = await loadWabt();
  const bytes = watToWasm(wabt, '(module (func $hello (export "hi") (param $x i32)))', 'a.wat');
  const text = wasmToWat(wabt, bytes);
  assert.match(text, /\(func \$hello \(export "hi"\)( \(type \$?\w+\))? \(param \$x i32\)/);
  assert.throws(() => watToWasm(wabt, '(module (func (i32.add)))', 'bad.wat'), (err: unknown) => err instanceof ConversionError && /type mismatch|error/.test(err.message));
  assert.throws(() => wasmToWat(wabt, new Uint8Array([0, 97, 115, 109, 9, 0, 0, 0])), ConversionError);
});

test('inspect FILE.wat reports a syntax error at its line and column', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-inspect-'));
  try {
    const bad = join(dir, 'bad.wat');
    writeFileSync(bad, '(module\n  (func (i32.const 1) (i32.frob)))\n');
    const r = inspect(bad);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /bad\.wat:2:\d+: /);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inspect gives the same offsets for a .wat as for the binary wat2wasm makes of it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-inspect-'));
  try {
    const { readFileSync } = await import('node:fs');
    const wasm = join(dir, 'sample.wasm');
    writeFileSync(wasm, watToWasm(await loadWabt(), readFileSync(fixture, 'utf8'), 'sample.wat'));
    const fromText = inspect('--disassemble', fixture);
    const fromBinary = inspect('--disassemble', wasm);
    assert.equal(fromText.status, 0, fromText.stderr);
    assert.equal(fromText.stdout, fromBinary.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inspect --text prints a component as (component ...) text and a core module as WAT', () => {
  const small = join(root, 'test', 'fixtures', 'component', 'print', 'small.wasm');
  const r = inspect('--text', small);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, readFileSync(join(root, 'test', 'fixtures', 'component', 'print', 'small.txt'), 'utf8'));
  const core = inspect('--text', fixture);
  assert.equal(core.status, 0, core.stderr);
  assert.match(core.stdout, /^\(module \$sample\n/);
  const both = inspect('--text', '--json', small);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /--text cannot be combined with --json/);
});
