// `wasmscope check`: the language server's checker on the command line, with compiler-style lines and exit status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturesDir } from './harness';

const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

function check(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [cli, 'check', ...args], { encoding: 'utf8' });
}

test('prints file:line:col: error: message for every error and exits 1', () => {
  const file = join(fixturesDir, 'non-ascii.wat');
  const r = check(file);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  // Columns are characters, not UTF-8 bytes: the emoji earlier on the line count once each.
  assert.equal(lines[0], `${file}:4:6: error: type mismatch in i32.add, expected [i32, i32] but got [i32]`);
  assert.match(lines[1] ?? '', /:5:54: error: type mismatch in implicit return/);
});

test('a valid module exits 0 silently; a .wast script is checked module by module', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-check-'));
  const ok = join(dir, 'ok.wat');
  writeFileSync(ok, '(module (func (export "f") (result i32) (i32.const 1)))');
  const r = check(ok);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stdout, '');
  const script = check(join(fixturesDir, 'script.wast'));
  assert.equal(script.status, 1);
  assert.match(script.stdout, /script\.wast:16:6: error: type mismatch/);
  assert.equal(script.stdout.trim().split('\n').length, 1);
});

test('threads are on by default: a shared memory with atomics checks clean, as .wat and as .wasm; --disable-threads refuses it', () => {
  const file = join(fixturesDir, 'threads.wat');
  assert.equal(check(file).status, 0);
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-check-'));
  const wasm = join(dir, 'threads.wasm');
  // (memory 1 1 shared) and a function doing i32.atomic.load
  writeFileSync(wasm, Uint8Array.from([
    0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 6, 1, 0x60, 1, 0x7f, 1, 0x7f, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1,
    10, 10, 1, 8, 0, 0x20, 0, 0xfe, 0x10, 2, 0, 0x0b,
  ]));
  const r = check(wasm);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const off = check('--disable-threads', file);
  assert.equal(off.status, 1);
  assert.match(off.stdout, /threads\.wat:\d+:\d+: error: /);
});

test('.wasm input is validated, with byte offsets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-check-'));
  const good = join(dir, 'good.wasm');
  writeFileSync(good, Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0]));
  assert.equal(check(good).status, 0);
  const bad = join(dir, 'bad.wasm');
  // A function typed () -> i32 whose body is empty.
  writeFileSync(bad, Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 10, 4, 1, 2, 0, 0x0b]));
  const r = check(bad);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /bad\.wasm:0x17: error: type mismatch in implicit return/);
});

test('feature flags: --enable-tail-call accepts return_call; unknown flags are a usage error', () => {
  const file = join(fixturesDir, 'tail-call.wat');
  assert.equal(check(file).status, 1);
  assert.equal(check('--enable-tail-call', file).status, 0);
  const r = check('--enable-warp-drive', file);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown feature/);
  assert.equal(check().status, 2);
  assert.equal(check('/nonexistent/x.wat').status, 1);
});

test('a (module quote ...) outside assert_malformed is checked too, reported at its keyword', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-check-'));
  const file = join(dir, 'quote.wast');
  writeFileSync(file, '(module quote "(func (result i32)" "(i64.const 1))")\n(assert_malformed (module quote "(func") "unexpected end")\n');
  const r = check(file);
  assert.equal(r.status, 1);
  assert.equal(r.stdout.trim(), `${file}:1:1: error: in the quoted module, line 1, column 21: type mismatch in implicit return, expected [i32] but got [i64]`);
});

test('the WebAssembly 2.0 spec suite checks clean: no false errors in 146 scripts', (t) => {
  const suite = join(import.meta.dirname, '..', '..', '..', 'shared', 'testsuite', 'wasm-2.0');
  if (!existsSync(suite)) {
    t.skip(`${suite} not present`);
    return;
  }
  const files = readdirSync(suite).filter((f) => f.endsWith('.wast')).map((f) => join(suite, f));
  assert.ok(files.length > 100);
  const r = check(...files);
  assert.equal(r.stdout, '');
  assert.equal(r.status, 0, r.stderr);
});
