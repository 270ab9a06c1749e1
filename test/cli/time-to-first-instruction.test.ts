// `wasmscope run --time-to-first-instruction`: one stderr line, printed once, just before the first
// instruction runs (the start function's, when there is one) and never when nothing runs; the
// program's own output is unchanged. bench/realprog.mjs reads it for the real-program figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const fixtures = join(root, 'test', 'fixtures', 'wasi');
const LINE = /^wasmscope: first instruction at (\d+\.\d) ms \(from process start\), (\d+\.\d) ms CPU$/gm;

function run(args: string[], cwd = fixtures) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'run', ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, wallMs: performance.now() - t0 };
}

test('one line on stderr with a time below the process\'s own; output and status unchanged, on both engines', () => {
  for (const engine of ['interp', 'v8']) {
    const plain = run(['--engine', engine, 'hello.wasm', 'a']);
    const timed = run(['--engine', engine, '--time-to-first-instruction', 'hello.wasm', 'a']);
    assert.equal(timed.stdout, plain.stdout, engine);
    assert.equal(timed.status, plain.status, engine);
    const lines = [...timed.stderr.matchAll(LINE)];
    assert.equal(lines.length, 1, `${engine}: ${timed.stderr}`);
    const ms = Number(lines[0]![1]);
    assert.ok(ms > 0 && ms < timed.wallMs, `${engine}: ${ms} ms of a ${timed.wallMs} ms process`);
    assert.ok(Number(lines[0]![2]) > 0, `${engine}: CPU ${lines[0]![2]} ms`);
    assert.equal(timed.stderr.replace(LINE, '').replace(/^\n/, ''), plain.stderr, engine);
  }
});

test('printed before a start function runs (it traps after the line), never for a module that does not run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-ttfi-'));
  try {
    writeFileSync(join(dir, 'start-traps.wat'), '(module (func $s unreachable) (start $s) (func (export "_start")))');
    writeFileSync(join(dir, 'invalid.wat'), '(module (func (export "_start") (result i32) i64.const 1))');
    const trapped = run(['--time-to-first-instruction', 'start-traps.wat'], dir);
    assert.equal(trapped.status, 134);
    assert.match(trapped.stderr, /^wasmscope: first instruction at \d+\.\d ms \(from process start\), \d+\.\d ms CPU\nwasmscope run: trap: unreachable\n/);
    const invalid = run(['--time-to-first-instruction', 'invalid.wat'], dir);
    assert.notEqual(invalid.status, 0);
    assert.doesNotMatch(invalid.stderr, /first instruction/);
    assert.match(run(['--time-to-first-instruction=1', 'start-traps.wat'], dir).stderr, /--time-to-first-instruction takes no value/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
