// Numeric edge cases of the interpreter: wrap-around, traps with the spec's messages, 64-bit
// arithmetic on 32-bit halves, single rounding of i64→f32, ties-to-even, NaN bits kept on moves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../../core/binary';
import { compileModule, f32, f64, instantiate, invoke, type Value } from '../../../core/interp';
import { fixtureDir } from './debug-helpers';

const inst = instantiate(compileModule(decodeModule(readFileSync(join(fixtureDir, 'numerics.wasm')))));
const I32 = (value: number): Value => ({ type: 'i32', value });
const I64 = (value: bigint): Value => ({ type: 'i64', value });
const F32 = (bits: number): Value => ({ type: 'f32', bits });
const F64 = (bits: bigint): Value => ({ type: 'f64', bits });
const call = (name: string, ...args: Value[]): Value => invoke(inst, name, args)[0]!;
const trapMessage = (name: string, ...args: Value[]): string => {
  try {
    invoke(inst, name, args);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no trap';
};

test('i32 division traps and wrap-around', () => {
  assert.equal(trapMessage('i32.div_s', I32(1), I32(0)), 'integer divide by zero');
  assert.equal(trapMessage('i32.div_s', I32(-2147483648), I32(-1)), 'integer overflow');
  assert.deepEqual(call('i32.rem_s', I32(-2147483648), I32(-1)), I32(0));
  assert.deepEqual(call('i32.rem_s', I32(-7), I32(2)), I32(-1));
  assert.deepEqual(call('i32.rotl', I32(0x80000001 | 0), I32(33)), I32(3));
});

test('i64.mul matches BigInt on random operands (the int32-only high-word carry)', () => {
  const M = (x: bigint) => BigInt.asIntN(64, x);
  // A fixed-seed xorshift, so a failure reproduces.
  let s = 0x2545f491;
  const next32 = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), s >>> 0);
  for (let i = 0; i < 3000; i++) {
    const a = M((BigInt(next32()) << 32n) | BigInt(next32()));
    // Every limb pattern: full words, 16-bit halves all ones, small values.
    const b = i % 3 === 0 ? M(BigInt(next32()) | 0xffff0000n) : i % 3 === 1 ? BigInt(next32() & 0xffff) : M((BigInt(next32()) << 32n) | BigInt(next32()));
    assert.deepEqual(call('i64.mul', I64(a), I64(b)), I64(M(a * b)), `mul ${a} ${b}`);
  }
});

test('i64 arithmetic on 32-bit halves matches BigInt', () => {
  const M = (x: bigint) => BigInt.asIntN(64, x);
  const samples = [0n, 1n, -1n, 0x7fffffffffffffffn, -0x8000000000000000n, 0x123456789abcdefn, -0xfedcba987654321n,
    0xffffffffn, 0x100000000n, 3n, -3n, 0x9e3779b97f4a7c15n];
  for (const a0 of samples) {
    for (const b0 of samples) {
      const a = M(a0), b = M(b0);
      assert.deepEqual(call('i64.mul', I64(a), I64(b)), I64(M(a * b)), `mul ${a} ${b}`);
      assert.deepEqual(call('i64.add', I64(a), I64(b)), I64(M(a + b)));
      assert.deepEqual(call('i64.sub', I64(a), I64(b)), I64(M(a - b)));
      assert.deepEqual(call('i64.lt_u', I64(a), I64(b)), I32(BigInt.asUintN(64, a) < BigInt.asUintN(64, b) ? 1 : 0));
      if (b !== 0n) {
        if (!(a === -(1n << 63n) && b === -1n)) assert.deepEqual(call('i64.div_s', I64(a), I64(b)), I64(a / b));
        assert.deepEqual(call('i64.div_u', I64(a), I64(b)), I64(M(BigInt.asUintN(64, a) / BigInt.asUintN(64, b))));
        assert.deepEqual(call('i64.rem_s', I64(a), I64(b)), I64(a % b));
      }
      const n = BigInt.asUintN(64, b) & 63n;
      assert.deepEqual(call('i64.shr_s', I64(a), I64(b)), I64(a >> n));
      const u = BigInt.asUintN(64, a);
      assert.deepEqual(call('i64.rotr', I64(a), I64(b)), I64(M((u >> n) | (u << ((64n - n) & 63n)))));
    }
  }
  assert.equal(trapMessage('i64.div_s', I64(-(1n << 63n)), I64(-1n)), 'integer overflow');
  assert.equal(trapMessage('i64.rem_s', I64(1n), I64(0n)), 'integer divide by zero');
  assert.deepEqual(call('i64.clz', I64(1n)), I64(63n));
});

test('i64 → f32 rounds once (no double rounding through f64)', () => {
  // 2^60 + 2^36 + 1: exactly halfway-plus-a-bit between two f32s; via f64 it would round to even.
  assert.deepEqual(call('f32.convert_i64_s', I64(0x1000001000000001n)), f32(Number(0x1000002000000000n)));
  assert.deepEqual(call('f32.convert_i64_u', I64(-1n)), f32(2 ** 64));
  assert.deepEqual(call('f32.convert_i64_s', I64(-(1n << 63n))), f32(-(2 ** 63)));
  assert.deepEqual(call('f64.convert_i64_u', I64(-1n)), f64(2 ** 64));
});

test('nearest rounds ties to even and keeps the sign of zero', () => {
  assert.deepEqual(call('f32.nearest', f32(2.5)), f32(2));
  assert.deepEqual(call('f32.nearest', f32(-0.5)), f32(-0));
  assert.deepEqual(call('f64.nearest', f64(3.5)), f64(4));
  assert.deepEqual(call('f64.nearest', f64(-2.5)), f64(-2));
  assert.deepEqual(call('f64.nearest', f64(4503599627370497)), f64(4503599627370497));
});

test('float results: f32 rounding, min of zeros, NaN payloads kept by moves and neg', () => {
  assert.deepEqual(call('f32.add', f32(16777216), f32(1)), f32(16777216));
  assert.deepEqual(call('f64.min', f64(0), f64(-0)), f64(-0));
  assert.deepEqual(call('f32.neg', F32(0x7fa00001)), F32(0xffa00001));
  assert.deepEqual(call('f32.reinterpret_i32', I32(0x7f800001)), F32(0x7f800001));
  assert.deepEqual(call('f64.reinterpret_i64', I64(0x7ff0000000000001n)), F64(0x7ff0000000000001n));
  assert.deepEqual(call('f32.sel', F32(0x7f800001), F32(0), I32(1)), F32(0x7f800001));
  assert.deepEqual(invoke(inst, 'pair', [I64(-5n), F64(0xfff0000000000abcn)]), [F64(0xfff0000000000abcn), I64(-5n)]);
});

test('truncations trap or saturate as the spec says', () => {
  assert.equal(trapMessage('i32.trunc_f32_s', F32(0x7fc00000)), 'invalid conversion to integer');
  assert.equal(trapMessage('i32.trunc_f32_s', f32(2147483648)), 'integer overflow');
  assert.deepEqual(call('i32.trunc_f32_s', f32(-2147483648)), I32(-2147483648));
  assert.equal(trapMessage('i64.trunc_f64_u', f64(-1)), 'integer overflow');
  assert.deepEqual(call('i64.trunc_f64_u', f64(-0.9)), I64(0n));
  assert.deepEqual(call('i64.trunc_f64_u', f64(18446744073709549568)), I64(-2048n));
  assert.deepEqual(call('i64.trunc_sat_f64_s', f64(1e300)), I64(0x7fffffffffffffffn));
  assert.deepEqual(call('i64.trunc_sat_f64_s', f64(NaN)), I64(0n));
});

test('i64 division by divisors below 2^32 (the BigInt-free path) matches BigInt', () => {
  const dividends = [0x7fffffffffffffffn, -0x8000000000000000n, 0x123456789abcdef0n, -0x123456789abcdef0n, 0xfffffffffn, -1n, 5n];
  const divisors = [1n, -1n, 3n, -3n, 7n, 0xffffffffn, -0xffffffffn, 0x80000000n, -0x80000000n, 10n, 65537n];
  for (const a of dividends) {
    for (const b of divisors) {
      if (!(a === -(1n << 63n) && b === -1n)) assert.deepEqual(call('i64.div_s', I64(a), I64(b)), I64(a / b), `${a} / ${b}`);
      assert.deepEqual(call('i64.rem_s', I64(a), I64(b)), I64(a % b), `${a} % ${b}`);
      const ua = BigInt.asUintN(64, a), ub = BigInt.asUintN(64, b);
      assert.deepEqual(call('i64.div_u', I64(a), I64(b)), I64(BigInt.asIntN(64, ua / ub)), `${ua} /u ${ub}`);
      assert.deepEqual(call('i64.rem_u', I64(a), I64(b)), I64(BigInt.asIntN(64, ua % ub)), `${ua} %u ${ub}`);
    }
  }
  assert.equal(trapMessage('i64.div_s', I64(-(1n << 63n)), I64(-1n)), 'integer overflow');
});
