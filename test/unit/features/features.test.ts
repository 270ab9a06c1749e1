// One feature set reaches the decoder, the validator, the compiler and the assembler: a module
// using a proposal that is off is rejected with a message naming it, where it is used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { DecodeError, ValidationError } from '../../../core/errors';
import { DEFAULT_FEATURES, FeatureError, featureByName, requireFeature, resolveFeatures } from '../../../core/features';
import { compileModule } from '../../../core/interp';
import { ParseError, watToBinary } from '../../../core/text';

const tailCall = `(module
  (func $f (result i32) (i32.const 1))
  (func (export "g") (result i32) (return_call $f)))`;

test('a disabled instruction is a FeatureError naming the feature, the instruction and its offset', () => {
  const { bytes, sourceMap } = watToBinary(tailCall);
  decodeModule(bytes); // engine defaults: all of Wasm 3.0
  assert.throws(() => decodeModule(bytes, { features: { tailCall: false } }), (e: unknown) => {
    assert.ok(e instanceof FeatureError && e instanceof DecodeError);
    assert.equal(e.feature, 'tailCall');
    const at = sourceMap.instrs.find((m) => m.op === 'return_call')!.offset;
    assert.equal(e.offset, at);
    assert.equal(e.message, `tail calls are disabled: return_call at 0x${at.toString(16)}`);
    return true;
  });
});

test('the assembler reports a disabled feature at the text that uses it', () => {
  assert.throws(() => watToBinary(tailCall, { features: { tailCall: false } }), (e: unknown) => {
    assert.ok(e instanceof ParseError);
    assert.match(e.reason, /^tail calls are disabled: return_call at 0x[0-9a-f]+$/);
    assert.equal(e.range.start.line, 2);
    return true;
  });
});

test('memory64 limits and multiple memories follow their flags', () => {
  const m64 = watToBinary('(module (memory i64 1))').bytes;
  assert.equal(decodeModule(m64).memories[0]!.limits.i64, true);
  assert.throws(() => decodeModule(m64, { features: { memory64: false } }), /memory64 is disabled: an i64 memory type at 0x/);
  const two = watToBinary('(module (memory 1) (memory 1))').bytes;
  compileModule(decodeModule(two));
  assert.throws(() => compileModule(decodeModule(two, { features: DEFAULT_FEATURES }), { features: DEFAULT_FEATURES }),
    (e: unknown) => e instanceof ValidationError && e.reason === 'multiple memories');
});

test('with Wasm 2.0 features the reserved memory byte stays a zero byte', () => {
  // memory.size 1: an index in 3.0, "zero byte expected" (malformed) in 2.0
  const bytes = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 5, 5, 2, 0, 1, 0, 1,
    10, 6, 1, 4, 0, 0x3f, 1, 0x0b]);
  assert.throws(() => decodeModule(bytes, { features: DEFAULT_FEATURES }), /zero byte expected/);
  assert.equal(decodeModule(bytes).memories.length, 2);
});

test('extended constant expressions need their feature', () => {
  const bytes = watToBinary('(module (global i32 (i32.add (i32.const 1) (i32.const 2))))').bytes;
  compileModule(decodeModule(bytes));
  assert.throws(() => compileModule(decodeModule(bytes), { features: { extendedConst: false } }), /constant expression required/);
});

test('requireFeature and featureByName', () => {
  assert.throws(() => requireFeature(resolveFeatures({ relaxedSimd: false }), 'relaxedSimd', 'f32x4.relaxed_madd', 0x20),
    /^FeatureError: relaxed SIMD is disabled: f32x4.relaxed_madd at 0x20$/);
  requireFeature(resolveFeatures(), 'relaxedSimd', 'f32x4.relaxed_madd', 0x20);
  assert.equal(featureByName('tail-call'), 'tailCall');
  assert.equal(featureByName('tail_call'), 'tailCall');
  assert.equal(featureByName('memory64'), 'memory64');
  assert.equal(featureByName('nope'), undefined);
});
