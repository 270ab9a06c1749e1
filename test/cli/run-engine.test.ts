// `wasmscope run --engine v8|interp|auto`: on V8 a program prints the same output, the same trap
// messages and backtraces, and exits with the same status as on our interpreter; what only the
// interpreter can do (--fuel, components) is a clear error on v8 and a one-line note on auto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const fixtures = join(root, 'test', 'fixtures', 'wasi');

function run(args: string[], input = '') {
  const r = spawnSync(process.execPath, [cli, 'run', ...args], { cwd: fixtures, encoding: 'utf8', input, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs on both engines and asserts they agree on everything the user sees. */
function same(args: string[], input = '') {
  const interp = run(['--engine', 'interp', ...args], input);
  const v8 = run(['--engine', 'v8', ...args], input);
  assert.deepEqual(v8, interp, `wasmscope run ${args.join(' ')}`);
  return v8;
}

test('a C program: args, env, stdout, stderr and exit status are the same on V8', () => {
  const r = same(['--env', 'GREETING=hi', 'hello.wasm', '3', 'two words']);
  assert.equal(r.stdout, 'hello from wasi\narg 1: 3\narg 2: two words\nGREETING=hi\n');
  assert.equal(r.status, 3);
  assert.equal(same(['cat.wasm'], 'some input\n').stdout, 'SOME INPUT\n');
  assert.equal(same(['hello.wat']).stdout, 'hello from wat\n');
  assert.equal(same(['exit-big.wat']).status, 1);
});

test('--dir preopens and the sandbox hold on V8 (the same WASI host)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-engine-'));
  try {
    writeFileSync(join(dir, 'existing'), 'x');
    const r = run(['--engine', 'v8', '--dir', `${dir}::/data`, 'files.wasm', '/data']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /read back: written by files.wasm\n/);
    assert.match(r.stdout, /\/etc\/passwd: Capabilities insufficient/);
    assert.equal(run(['--engine', 'v8', 'files.wasm', '/data']).status, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a trap on V8 has the interpreter message and backtrace (names, offsets, .wat lines), status 134', () => {
  const wat = same(['trap.wat']);
  assert.equal(wat.status, 134);
  assert.match(wat.stderr, /^wasmscope run: trap: integer divide by zero\n {4}at inner \(func 0\) @ 0x[0-9a-f]+ trap\.wat:6:5\n/);
  const c = same(['trap.wasm']);
  assert.equal(c.stdout, 'about to trap\n');
  assert.match(c.stderr, /^wasmscope run: trap: unreachable\n {4}at crash /);
  // A WASI call from a start function: our host's trap, with the Wasm frame that made the call.
  assert.match(same(['start-calls-wasi.wat']).stderr, /WASI call without an exported memory.*\n {4}at init \(func 1\)/);
});

test('--invoke on V8: typed arguments and results, reactors initialised first', () => {
  assert.equal(same(['--invoke', 'add', 'calc.wat', '-2', '0x10']).stdout, '14\n');
  assert.equal(same(['--invoke', 'mul64', 'calc.wat', '4294967296', '3']).stdout, '12884901888\n');
  assert.equal(same(['--invoke', 'pair', 'calc.wat']).stdout, '-1\n1.5\n');
  assert.equal(same(['--invoke', 'get', 'reactor.wat']).stdout, '42\n');
  assert.match(same(['--invoke', 'add', 'calc.wat', '1']).stderr, /expects 2 arguments \(i32, i32\), got 1/);
  assert.match(same(['--invoke', 'nope', 'calc.wat']).stderr, /no exported function "nope"/);
  assert.match(same(['needs-import.wat']).stderr, /unknown import "env" "missing_function"/);
});

test('traps V8 words its own way come out in the spec wording', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-engine-'));
  try {
    const file = join(dir, 'traps.wat');
    writeFileSync(file, `(module (memory 1) (table 1 funcref)
      (func (export "div") (result i32) (i32.rem_u (i32.const 1) (i32.const 0)))
      (func (export "mem") (result i32) (i32.load (i32.const 70000)))
      (func (export "ovf") (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
      (func (export "tab") (result i32) (call_indirect (result i32) (i32.const 5)))
      (func $rec (export "rec") (result i32) (call $rec)))`);
    for (const [fn, message] of [['div', 'integer divide by zero'], ['mem', 'out of bounds memory access'], ['ovf', 'integer overflow'],
      ['tab', 'undefined element'], ['rec', 'call stack exhausted']]) {
      const r = run(['--engine', 'v8', '--invoke', fn!, file]);
      assert.equal(r.status, 134, fn);
      assert.equal(r.stderr.split('\n')[0], `wasmscope run: trap: ${message}`, fn);
      assert.match(r.stderr.split('\n')[1] ?? '', /^ {4}at .*\(func \d+\) @ 0x/, fn);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--engine v8 refuses what only the interpreter does; auto falls back and says so once', () => {
  const fuel = run(['--engine', 'v8', '--fuel', '100', 'spin.wat']);
  assert.equal(fuel.status, 2);
  assert.equal(fuel.stderr, 'wasmscope run: --fuel needs --engine interp (V8 has no fuel)\n');
  const auto = run(['--engine', 'auto', '--fuel', '100', 'spin.wat']);
  assert.equal(auto.status, 134);
  assert.equal(auto.stderr.match(/running on the Wasmscope interpreter/g)?.length, 1);
  assert.match(auto.stderr, /all fuel consumed/);
  assert.match(run(['--engine', 'fast', 'hello.wat']).stderr, /--engine fast: expected one of interp, v8, auto/);

  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-engine-'));
  try {
    // memory64 is not on in this Node's V8 (if a later one has it, the module runs there: both are right).
    const m64 = join(dir, 'm64.wat');
    writeFileSync(m64, '(module (memory (export "memory") i64 1) (func (export "_start")))');
    const onAuto = run(['--engine', 'auto', m64]);
    assert.equal(onAuto.status, 0, onAuto.stderr);
    const onV8 = run(['--engine', 'v8', m64]);
    if (onV8.status !== 0) {
      assert.match(onV8.stderr, /cannot run on V8: V8 \S+ cannot compile it \(.*\) \(use --engine interp\)\n$/);
      assert.match(onAuto.stderr, /^wasmscope run: running on the Wasmscope interpreter: V8 \S+ cannot compile it/);
    }
    // A v128 cannot cross the JS API: --invoke of such an export stays on the interpreter.
    const simd = join(dir, 'simd.wat');
    writeFileSync(simd, '(module (func (export "v") (result v128) (v128.const i32x4 1 2 3 4)))');
    assert.match(run(['--engine', 'v8', '--invoke', 'v', simd]).stderr, /export "v": a v128 cannot cross the JavaScript API/);
    const v = run(['--engine', 'auto', '--invoke', 'v', simd]);
    assert.equal(v.stdout, '0x00000004000000030000000200000001\n');
    assert.match(v.stderr, /running on the Wasmscope interpreter: export "v"/);
    // An invalid module is the interpreter's message on every engine.
    const bad = join(dir, 'bad.wat');
    writeFileSync(bad, '(module (func (export "_start") (result i32) i64.const 1))');
    for (const engine of ['interp', 'v8', 'auto']) assert.match(run(['--engine', engine, bad]).stderr, /bad\.wat: invalid module: type mismatch/, engine);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
