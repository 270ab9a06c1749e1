// SIMD lanes where a plausible implementation goes wrong: NaN bits through moves and sign ops,
// saturation and wrap-around at lane edges, out-of-range shuffle indices, v128 in globals, select,
// calls and deep stacks (views over a replaced stack buffer), traps, validation, and inspection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { ValidationError } from '../../../core/errors';
import { Machine, compileModule, instantiate, invoke, type Instance, type Value } from '../../../core/interp';
import { watToBinary } from '../../../core/text';

function load(wat: string): Instance {
  return instantiate(compileModule(decodeModule(watToBinary(wat).bytes)));
}

const I32 = (value: number): Value => ({ type: 'i32', value });
const V = (...lanes: number[]): Value => {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 4; i++) new DataView(bytes.buffer).setInt32(i * 4, lanes[i]!, true);
  return { type: 'v128', bytes };
};
/** The v128 result as four unsigned 32-bit words. */
function words(v: Value | undefined): number[] {
  assert.equal(v?.type, 'v128');
  const dv = new DataView((v as { bytes: Uint8Array }).bytes.slice().buffer);
  return [0, 4, 8, 12].map((o) => dv.getUint32(o, true));
}

const ops = load(`(module
  (memory 1)
  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
  (func (export "unary") (param $op i32) (param v128) (result v128)
    (block $f (block $e (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d $e $f (local.get $op)))
      (return (f32x4.abs (local.get 1))))
      (return (f32x4.neg (local.get 1))))
      (return (f64x2.ceil (local.get 1))))
      (return (f32x4.splat (f32x4.extract_lane 2 (local.get 1)))))
      (return (i16x8.extend_high_i8x16_s (local.get 1))))
    (i32x4.trunc_sat_f64x2_u_zero (local.get 1)))
  (func (export "binary") (param $op i32) (param v128 v128) (result v128)
    (block $h (block $g (block $f (block $e (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d $e $f $g $h (local.get $op)))
      (return (f32x4.pmin (local.get 1) (local.get 2))))
      (return (i16x8.q15mulr_sat_s (local.get 1) (local.get 2))))
      (return (i32x4.dot_i16x8_s (local.get 1) (local.get 2))))
      (return (i8x16.narrow_i16x8_s (local.get 1) (local.get 2))))
      (return (i8x16.swizzle (local.get 1) (local.get 2))))
      (return (i64x2.mul (local.get 1) (local.get 2))))
      (return (i32x4.extmul_high_i16x8_u (local.get 1) (local.get 2))))
    (i8x16.shuffle 31 0 16 15 1 2 3 4 5 6 7 8 9 10 11 12 (local.get 1) (local.get 2)))
  (func (export "shl8") (param v128 i32) (result v128) (i8x16.shl (local.get 0) (local.get 1)))
  (func (export "shr64") (param v128 i32) (result v128) (i64x2.shr_s (local.get 0) (local.get 1)))
  (func (export "bitmask") (param v128) (result i32) (i16x8.bitmask (local.get 0)))
  (func (export "select") (param v128 v128 i32) (result v128) (select (local.get 0) (local.get 1) (local.get 2)))
  (func (export "global") (param v128) (result v128)
    (global.get $g) (global.set $g (local.get 0)))
  (func (export "store-lane") (param i32 v128)
    (v128.store32_lane offset=4 3 (local.get 0) (local.get 1)))
  (func (export "load-lane") (param i32 v128) (result v128)
    (v128.load16_lane 1 (local.get 0) (local.get 1)))
  ;; Recursion deep enough to replace the machine's stack buffer, with a v128 live in every frame.
  (func $deep (export "deep") (param $n i32) (param $v v128) (result v128)
    (if (result v128) (i32.eqz (local.get $n))
      (then (local.get $v))
      (else (i32x4.add (call $deep (i32.sub (local.get $n) (i32.const 1)) (local.get $v)) (v128.const i32x4 1 0 0 -1)))))
)`);

const u = (op: number, v: Value) => words(invoke(ops, 'unary', [I32(op), v])[0]);
const b = (op: number, x: Value, y: Value) => words(invoke(ops, 'binary', [I32(op), x, y])[0]);

test('f32 lanes: abs/neg touch only the sign bit, splat/extract move NaN bits unchanged', () => {
  // A signalling NaN with a payload, a negative quiet NaN, -0 and 1.
  const v = V(0x7fa00001, 0xffc12345 | 0, 0x80000000 | 0, 0x3f800000);
  assert.deepEqual(u(0, v), [0x7fa00001, 0x7fc12345, 0, 0x3f800000]);
  assert.deepEqual(u(1, v), [0xffa00001, 0x7fc12345, 0, 0xbf800000]);
  assert.deepEqual(u(3, v), [0x80000000, 0x80000000, 0x80000000, 0x80000000]);
  assert.deepEqual(u(3, V(0, 0, 0x7f800001, 0)), [0x7f800001, 0x7f800001, 0x7f800001, 0x7f800001]);
});

test('f64x2.ceil quiets a signalling NaN; pmin returns an operand bit for bit', () => {
  for (const hi of [0x7ff40000, 0xfff40000 | 0]) {
    const [, hi0, , hi1] = u(2, V(0, hi, 0, hi));
    assert.equal(hi0! & 0x7ff80000, 0x7ff80000);
    assert.equal(hi1! & 0x7ff80000, 0x7ff80000);
  }
  // pmin(a, b) = b < a ? b : a: NaN in a comes back as a's exact bits, NaN in b gives a.
  assert.deepEqual(b(0, V(0x7fa00001, 0x40000000, 0x80000000 | 0, 0), V(0, 0x7fa00002, 0, 0x80000000 | 0)),
    [0x7fa00001, 0x40000000, 0x80000000, 0]);
});

test('integer lanes saturate and wrap at their edges', () => {
  // q15mulr_sat_s: -32768 * -32768 saturates to 32767; 0x4000 * 0x4000 rounds to 0x2000.
  assert.deepEqual(b(1, V(0x40008000, 0, 0, 0), V(0x40008000, 0, 0, 0)), [0x20007fff, 0, 0, 0]);
  // dot: (-32768)^2 * 2 = 2^31 wraps to -2^31.
  assert.deepEqual(b(2, V(0x80008000 | 0, 0, 0, 0), V(0x80008000 | 0, 0, 0, 0)), [0x80000000, 0, 0, 0]);
  // narrow_s: 300 → 127, -300 → -128, lanes from the second operand land in the high half.
  assert.deepEqual(b(3, V(0xfed4012c | 0, 0, 0, 0), V(0x00050006, 0, 0, 0)), [0x807f, 0, 0x0506, 0]);
  // i64x2.mul wraps modulo 2^64.
  assert.deepEqual(b(5, V(-1, 0x7fffffff, 2, 0), V(2, 0, -1, -1)), [0xfffffffe, 0xffffffff, 0xfffffffe, 0xffffffff]);
  // extmul_high_u: 65535 * 65535 does not fit i32 and keeps its unsigned bits.
  assert.deepEqual(b(6, V(0, 0, 0xffff, 0), V(0, 0, 0xffff, 0)), [0xfffe0001, 0, 0, 0]);
  // extend_high_s of bytes 8..15.
  assert.deepEqual(u(4, V(0, 0, 0x7f80ff01, 0)), [0xffff0001, 0x007fff80, 0, 0]);
  // trunc_sat_f64x2_u_zero: NaN → 0, -1 → 0, upper lanes zero.
  assert.deepEqual(u(5, V(0, 0x7ff80000, 0, 0xbff00000 | 0)), [0, 0, 0, 0]);
});

test('shuffle and swizzle pick lanes across both operands; out-of-range swizzle indices give 0', () => {
  const x = V(0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c);
  const y = V(0x13121110, 0x17161514, 0x1b1a1918, 0x1f1e1d1c);
  assert.deepEqual(b(7, x, y), [0x0f10001f, 0x04030201, 0x08070605, 0x0c0b0a09]);
  assert.deepEqual(b(4, x, V(0x10ff0f00, 0, 0x80808080 | 0, 0x01010101)), [0x00000f00, 0, 0, 0x01010101]);
});

test('shift counts are taken modulo the lane width; bitmask reads the sign bits', () => {
  assert.deepEqual(words(invoke(ops, 'shl8', [V(0x01010101, 0, 0, 0), I32(9)])[0]), [0x02020202, 0, 0, 0]);
  assert.deepEqual(words(invoke(ops, 'shr64', [V(0, 0x80000000 | 0, 0, 1), I32(65)])[0]), [0, 0xc0000000, 0x80000000, 0]);
  assert.deepEqual(invoke(ops, 'bitmask', [V(0x80000001 | 0, 0, 0xffff, -1)]), [I32(0b11010010)]);
});

test('v128 through select, a mutable global, lane loads/stores and deep recursion', () => {
  assert.deepEqual(words(invoke(ops, 'select', [V(1, 2, 3, 4), V(5, 6, 7, 8), I32(0)])[0]), [5, 6, 7, 8]);
  assert.deepEqual(words(invoke(ops, 'global', [V(9, 9, 9, 9)])[0]), [1, 2, 3, 4]);
  assert.deepEqual(words(invoke(ops, 'global', [V(0, 0, 0, 0)])[0]), [9, 9, 9, 9]);
  invoke(ops, 'store-lane', [I32(8), V(1, 2, 3, 0x11223344)]);
  assert.deepEqual(words(invoke(ops, 'load-lane', [I32(12), V(0, 0, 0, 0)])[0]), [0x33440000, 0, 0, 0]);
  assert.throws(() => invoke(ops, 'load-lane', [I32(65535), V(0, 0, 0, 0)]), /out of bounds memory access/);
  assert.throws(() => invoke(ops, 'store-lane', [I32(65530), V(0, 0, 0, 0)]), /out of bounds memory access/);
  const n = 5000; // ~30 words a frame: well past the initial 64K-word stack
  assert.deepEqual(words(invoke(ops, 'deep', [I32(n), V(0, 5, 6, 0)])[0]), [n, 5, 6, (-n) >>> 0]);
});

test('the Machine shows and writes v128 locals as bytes', () => {
  const m = new Machine();
  m.start(ops, 'shl8', [V(0x01010101, 0, 0, 0), I32(1)]);
  const [v] = m.locals(0);
  assert.equal(v!.type, 'v128');
  assert.deepEqual(words(v!.value), [0x01010101, 0, 0, 0]);
  m.setLocal(0, 0, V(0x10, 0, 0, 0x40));
  const r = m.run();
  assert.equal(r.reason, 'finished');
  assert.deepEqual(words((r as { results: Value[] }).results[0]), [0x20, 0, 0, 0x80]);
});

test('stepping stops on every SIMD instruction, a breakpoint on one binds to it, and the run still finishes', () => {
  const wat = `(module (func (export "f") (param i32) (result i32)
    (i32x4.extract_lane 3 (i32x4.add (v128.const i32x4 1 2 3 4) (i32x4.splat (local.get 0))))))`;
  const module = decodeModule(watToBinary(wat).bytes);
  const inst = instantiate(compileModule(module, { fuse: false }));
  const f = module.funcs[0]!;
  const m = new Machine({ fuse: false });
  m.start(inst, 'f', [I32(10)]);
  const offsets: number[] = [];
  for (;;) {
    offsets.push(m.frames()[0]!.offset);
    const r = m.stepInstruction();
    if (r.reason === 'finished') {
      assert.deepEqual(r.results, [I32(14)]);
      break;
    }
    assert.equal(r.reason, 'step');
  }
  // v128.const, local.get, splat, add, extract_lane (then the function's end).
  assert.ok(offsets.length >= 5, String(offsets));
  assert.ok(offsets.every((o) => o >= f.bodyStart && o < f.bodyEnd));
  const m2 = new Machine({ fuse: false });
  m2.start(inst, 'f', [I32(1)]);
  const at = m2.setBreakpoint(0, offsets[3]!);
  assert.equal(at, offsets[3]);
  assert.equal(m2.run().reason, 'breakpoint');
  assert.equal(m2.operandStack(0).length, 2);
  assert.equal(m2.operandStack(0)[1]!.type, 'v128');
  const r = m2.run();
  assert.deepEqual(r.reason === 'finished' && r.results, [I32(5)]);
});

test('validation: lane indices, alignment and operand types', () => {
  const invalid = (body: string, msg: RegExp) =>
    assert.throws(() => compileModule(decodeModule(watToBinary(`(module (memory 1) (func ${body}))`).bytes)),
      (e: unknown) => e instanceof ValidationError && msg.test(e.message));
  invalid('(drop (i8x16.extract_lane_s 16 (v128.const i64x2 0 0)))', /invalid lane index/);
  invalid('(drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 32 (v128.const i64x2 0 0) (v128.const i64x2 0 0)))', /invalid lane index/);
  invalid('(drop (v128.load32_lane 4 (i32.const 0) (v128.const i64x2 0 0)))', /invalid lane index/);
  invalid('(drop (v128.load align=32 (i32.const 0)))', /alignment must not be larger than natural/);
  invalid('(drop (i32x4.add (v128.const i64x2 0 0) (i32.const 0)))', /type mismatch/);
  invalid('(drop (i32x4.shl (v128.const i64x2 0 0) (i64.const 0)))', /type mismatch/);
});
