// Real-toolchain programs that use Wasm 3.0 features, run by `wasmscope run` (dist/cli.js) on our
// interpreter and cross-checked against `--engine v8` (Node's V8). Fixtures and their sources:
// test/fixtures/engine/toolchain (build.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../core/binary';
import { disassemble } from '../../core/inspect';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const fixtures = join(root, 'test', 'fixtures', 'engine', 'toolchain');

function run(file: string, engine: 'interp' | 'v8', nodeFlags: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeFlags, cli, 'run', '--engine', engine, file], { cwd: fixtures, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The summary lines (globals, segments) of a fixture's listing. */
function summary(file: string): string[] {
  return disassemble(decodeModule(readFileSync(join(fixtures, file))), { functions: false }).lines;
}

/** How many times each instruction name occurs in a fixture's disassembled code. */
function count(file: string, name: string): number {
  const text = disassemble(decodeModule(readFileSync(join(fixtures, file)))).lines.join('\n');
  return (text.match(new RegExp(`^\\S+:\\s+${name}\\b`, 'gm')) ?? []).length;
}

const TAIL_OUT = `is_even(10000000) = 1
is_odd(10000001) = 1
is_even(10000003) = 0
10000000 bytes: 1428572 runs, longest 7
`;

test('C with musttail (-mtail-call): even/odd and a state machine 10 million calls deep', () => {
  assert.ok(count('tail-calls.wasm', 'return_call') >= 5, 'tail-calls.wasm uses return_call');
  const r = run('tail-calls.wasm', 'interp');
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, TAIL_OUT);
  assert.equal(r.status, 0);
  const v8 = run('tail-calls.wasm', 'v8');
  assert.equal(v8.stdout, TAIL_OUT);
  assert.equal(v8.status, 0);
  const off = spawnSync(process.execPath, [cli, 'run', '--disable-tail-call', 'tail-calls.wasm'], { cwd: fixtures, encoding: 'utf8' });
  assert.equal(off.status, 2);
  assert.match(off.stderr, /invalid module: tail calls are disabled: return_call at 0x[0-9a-f]+\n$/);
});

const SIMD_OUT = `f32 dot = 0.5 (scalar 0.5)
i8 dot = 12860916 (scalar 12860916)
hex = deadbeef0123456789abcdef10325476
clamped = -100 -100 -99 0 42 100 100 100
`;

test('C with relaxed SIMD intrinsics (-mrelaxed-simd): madd dot product, i8 dot, swizzle, laneselect', () => {
  for (const name of ['f32x4.relaxed_madd', 'i32x4.relaxed_dot_i8x16_i7x16_add_s', 'i8x16.relaxed_swizzle', 'i32x4.relaxed_laneselect']) {
    assert.ok(count('relaxed-simd.wasm', name) > 0, `relaxed-simd.wasm has no ${name}`);
  }
  const r = run('relaxed-simd.wasm', 'interp');
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, SIMD_OUT);
  assert.equal(r.status, 0);
});

test('V8 (with --experimental-wasm-relaxed-simd) agrees on the relaxed SIMD program but for its i8 dot', () => {
  const v8 = run('relaxed-simd.wasm', 'v8', ['--experimental-wasm-relaxed-simd']);
  assert.equal(v8.status, 0, v8.stderr);
  // Node 20's V8 11.3 gets i32x4.relaxed_dot_i8x16_i7x16_add_s wrong: it returns dot(a, b) * 2
  // and drops the addend c (splat 1 · splat 1 + splat 100 gives 8, not 104), so this program
  // prints twice the last chunk's dot product, 153472, instead of the accumulated 12860916 that
  // the scalar loop confirms. Every other line must match.
  const lines = (s: string) => s.split('\n').filter((l) => !l.startsWith('i8 dot'));
  assert.deepEqual(lines(v8.stdout), lines(SIMD_OUT));
});

const AS_OUT = `rect 12.00
circle 3.14
rect 5.00
circle 19.63
total area 39.777
rpn 7 1000000016000000063
repeated: fox=2 the=3
kept item-0-0,item-20000-975e0,item-40000-12ebc0,item-60000-1c61a0,item-80000-25d780,item-100000-2f4d60,item-120000-38c340,item-140000-423920,item-160000-4baf00,item-180000-5524e0 checksum 1019578084
memory pages 1
poly(3), poly(-2) = 49.0, 59.0
q15 8192 -8192 32766 1000 -32766 -2048 1 -1
min 1.5 -3.0 7.0 0.25 max 2.0 -2.0 8.0 0.5
out of bounds next
abort: Index out of range at ~lib/array.ts:114:42
`;

test('AssemblyScript (npx asc): classes, strings, Map, incremental GC, relaxed SIMD; a bounds check aborts with 134', () => {
  for (const name of ['f64x2.relaxed_madd', 'i16x8.relaxed_q15mulr_s', 'f32x4.relaxed_min', 'f32x4.relaxed_max']) {
    assert.ok(count('assemblyscript.wasm', name) > 0, `assemblyscript.wasm has no ${name}`);
  }
  const r = run('assemblyscript.wasm', 'interp');
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, AS_OUT);
  assert.equal(r.status, 134);
  const v8 = run('assemblyscript.wasm', 'v8', ['--experimental-wasm-relaxed-simd']);
  assert.equal(v8.stdout, AS_OUT);
  assert.equal(v8.status, 134);
});

const EXT_OUT = `extended-const PIE
sum of primes 77
weighted 29
names two three five
ops 39
`;

test('C PIE with -mextended-const: data at __memory_base + N, function pointers at __table_base, relocated data', () => {
  const lines = summary('extended-const.wasm');
  // The .data segment's address is an extended constant expression over a defined global.
  assert.ok(lines.some((l) => /\(data \$\.data .*\(offset global\.get 0\) \(i32\.const \d+\) \(i32\.add\)/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /\(global \(;0;\) i32 \(i32\.const 1024\)\)/.test(l)));
  assert.ok(lines.some((l) => /\(elem .*\(offset global\.get 1\) funcref \$add \$mul \$sub\)/.test(l)), 'ops is in the table at __table_base');
  assert.ok(!lines.some((l) => /\(import "env"/.test(l)), 'the loader globals are merged in');
  const r = run('extended-const.wasm', 'interp');
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, EXT_OUT);
  assert.equal(r.status, 0);
  // Node 20's V8 needs both flags: global.get of a defined global (GC) and i32.add (extended-const).
  const v8 = run('extended-const.wasm', 'v8', ['--experimental-wasm-gc', '--experimental-wasm-extended-const']);
  assert.equal(v8.stdout, EXT_OUT);
  assert.equal(v8.status, 0);
});
