// Multi-memory, memory64 and table64 in the interpreter: i64 addresses bounds-checked exactly at
// 2^32 and 2^64 (no wrap-around, no precision loss), memory.copy across memories, i64 results of
// memory.size/grow and table.size/grow, call_indirect on a table64, SIMD on another memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { Trap, ValidationError } from '../../../core/errors';
import { Machine, compileModule, instantiate, invoke, type Value } from '../../../core/interp';
import { watToBinary } from '../../../core/text';

const i32 = (value: number): Value => ({ type: 'i32', value });
const i64 = (value: bigint): Value => ({ type: 'i64', value });
const load = (wat: string) => instantiate(compileModule(decodeModule(watToBinary(wat).bytes)), {});
const traps = (f: () => unknown, message: string) =>
  assert.throws(f, (e: unknown) => e instanceof Trap && e.message.includes(message));

const mem64 = `(module
  (memory i64 1 4)
  (data (i64.const 0) "\\01\\02\\03\\04\\05\\06\\07\\08")
  (data (i64.const 65528) "\\aa\\bb\\cc\\dd\\ee\\ff\\11\\22")
  (func (export "load8") (param i64) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load64") (param i64) (result i64) (i64.load (local.get 0)))
  (func (export "load8_off") (param i64) (result i32) (i32.load8_u offset=0xffff_ffff_ffff_ffff (local.get 0)))
  (func (export "load8_off32") (param i64) (result i32) (i32.load8_u offset=0x1_0000_0000 (local.get 0)))
  (func (export "store") (param i64 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "size") (result i64) (memory.size))
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
  (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2))))`;

test('memory64: loads and stores at i64 addresses, the last bytes of the memory included', () => {
  const inst = load(mem64);
  assert.deepEqual(invoke(inst, 'load8', [i64(3n)]), [i32(4)]);
  assert.deepEqual(invoke(inst, 'load64', [i64(0n)]), [i64(0x0807060504030201n)]);
  assert.deepEqual(invoke(inst, 'load64', [i64(65528n)]), [i64(0x2211ffeeddccbbaan)]);
  invoke(inst, 'store', [i64(100n), i32(-2)]);
  assert.deepEqual(invoke(inst, 'load8', [i64(101n)]), [i32(255)]);
});

test('memory64: an address at 2^32 does not wrap to 0, and 2^64-1 is out of bounds', () => {
  const inst = load(mem64);
  traps(() => invoke(inst, 'load8', [i64(1n << 32n)]), 'out of bounds memory access');
  traps(() => invoke(inst, 'load8', [i64((1n << 32n) + 3n)]), 'out of bounds memory access');
  traps(() => invoke(inst, 'load8', [i64(-1n)]), 'out of bounds memory access');
  traps(() => invoke(inst, 'load64', [i64(65529n)]), 'out of bounds memory access');
  traps(() => invoke(inst, 'store', [i64((1n << 53n) + 1n), i32(1)]), 'out of bounds memory access');
  // address + offset past 2^64 must trap, not wrap around to a small address
  traps(() => invoke(inst, 'load8_off', [i64(1n)]), 'out of bounds memory access');
  traps(() => invoke(inst, 'load8_off', [i64(0n)]), 'out of bounds memory access');
  traps(() => invoke(inst, 'load8_off32', [i64(0n)]), 'out of bounds memory access');
  // an offset of 2^32 and an address of 2^64 - 2^32 + 3 sum to 2^64 + 3
  traps(() => invoke(inst, 'load8_off32', [i64(-(1n << 32n) + 3n)]), 'out of bounds memory access');
});

test('memory64: memory.size and memory.grow are i64; a delta past any memory fails with -1', () => {
  const inst = load(mem64);
  assert.deepEqual(invoke(inst, 'size', []), [i64(1n)]);
  assert.deepEqual(invoke(inst, 'grow', [i64(1n)]), [i64(1n)]);
  assert.deepEqual(invoke(inst, 'size', []), [i64(2n)]);
  assert.deepEqual(invoke(inst, 'grow', [i64(1n << 32n)]), [i64(-1n)]);
  assert.deepEqual(invoke(inst, 'grow', [i64(-1n)]), [i64(-1n)]);
  assert.deepEqual(invoke(inst, 'grow', [i64(3n)]), [i64(-1n)]); // the maximum is 4 pages
  assert.deepEqual(invoke(inst, 'size', []), [i64(2n)]);
  assert.deepEqual(invoke(inst, 'load8', [i64(131071n)]), [i32(0)]);
  invoke(inst, 'fill', [i64(131070n), i32(0x1ff), i64(2n)]);
  assert.deepEqual(invoke(inst, 'load8', [i64(131071n)]), [i32(255)]);
  traps(() => invoke(inst, 'fill', [i64(131070n), i32(1), i64(3n)]), 'out of bounds memory access');
  traps(() => invoke(inst, 'fill', [i64(1n), i32(1), i64(-1n)]), 'out of bounds memory access');
});

const multi = `(module
  (memory $a 1)
  (memory $b 2)
  (memory $c i64 1)
  (data (memory $b) (i32.const 16) "wasm")
  (func (export "load_a") (param i32) (result i32) (i32.load8_u $a (local.get 0)))
  (func (export "load_b") (param i32) (result i32) (i32.load8_u $b (local.get 0)))
  (func (export "load_c") (param i64) (result i32) (i32.load8_u $c (local.get 0)))
  (func (export "store_b") (param i32 i32) (i32.store8 $b (local.get 0) (local.get 1)))
  (func (export "copy_b_to_a") (param i32 i32 i32) (memory.copy $a $b (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy_c_to_b") (param i32 i64 i32) (memory.copy $b $c (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy_b_to_c") (param i64 i32 i32) (memory.copy $c $b (local.get 0) (local.get 1) (local.get 2)))
  (func (export "sizes") (result i32 i32 i64) (memory.size $a) (memory.size $b) (memory.size $c))
  (func (export "grow_b") (param i32) (result i32) (memory.grow $b (local.get 0)))
  (func (export "v128_b") (param i32) (result i32) (i32x4.extract_lane 0 (v128.load $b (local.get 0)))))`;

test('multi-memory: each memory has its own bytes and size; memory.copy works across memories', () => {
  const inst = load(multi);
  assert.deepEqual(invoke(inst, 'load_b', [i32(16)]), [i32(0x77)]);
  assert.deepEqual(invoke(inst, 'load_a', [i32(16)]), [i32(0)]);
  invoke(inst, 'copy_b_to_a', [i32(0), i32(16), i32(4)]);
  assert.deepEqual(invoke(inst, 'load_a', [i32(3)]), [i32(0x6d)]);
  invoke(inst, 'copy_b_to_c', [i64(65532n), i32(16), i32(4)]);
  assert.deepEqual(invoke(inst, 'load_c', [i64(65535n)]), [i32(0x6d)]);
  invoke(inst, 'copy_c_to_b', [i32(131068), i64(65532n), i32(4)]);
  assert.deepEqual(invoke(inst, 'load_b', [i32(131068)]), [i32(0x77)]);
  assert.deepEqual(invoke(inst, 'v128_b', [i32(16)]), [i32(0x6d736177)]);
  // the source range is checked against the source memory, the destination against the destination
  traps(() => invoke(inst, 'copy_b_to_a', [i32(65535), i32(0), i32(2)]), 'out of bounds memory access');
  traps(() => invoke(inst, 'copy_c_to_b', [i32(0), i64(65535n), i32(2)]), 'out of bounds memory access');
  traps(() => invoke(inst, 'load_a', [i32(65536)]), 'out of bounds memory access');
  assert.deepEqual(invoke(inst, 'load_b', [i32(65536)]), [i32(0)]);
  traps(() => invoke(inst, 'v128_b', [i32(131065)]), 'out of bounds memory access');
  assert.deepEqual(invoke(inst, 'grow_b', [i32(1)]), [i32(2)]);
  assert.deepEqual(invoke(inst, 'sizes', []), [i32(1), i32(3), i64(1n)]);
  invoke(inst, 'store_b', [i32(196607), i32(9)]);
  assert.deepEqual(invoke(inst, 'load_b', [i32(196607)]), [i32(9)]);
});

test('a memory index that does not exist is a ValidationError naming it, at its byte offset', () => {
  const bytes = watToBinary('(module (memory 1) (memory 1) (func (drop (i32.load 1 (i32.const 0)))))').bytes;
  // patch the load's memory index (1) to 5: the text format would not let us name it
  const at = bytes.findIndex((b, i) => b === 0x28 && bytes[i + 1] === 0x42 && bytes[i + 2] === 0x01);
  assert.ok(at > 0);
  bytes[at + 2] = 5;
  assert.throws(() => compileModule(decodeModule(bytes)), (e: unknown) =>
    e instanceof ValidationError && /unknown memory 5/.test(e.message) && e.offset === at);
});

test('table64: i64 indices for get/set/size/grow/fill, and call_indirect through a table64', () => {
  const inst = load(`(module
    (type $r (func (result i32)))
    (table $t i64 2 10 funcref)
    (func $seven (result i32) (i32.const 7))
    (elem (table $t) (i64.const 1) func $seven)
    (func (export "call") (param i64) (result i32) (call_indirect $t (type $r) (local.get 0)))
    (func (export "size") (result i64) (table.size $t))
    (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
    (func (export "is_null") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
    (func (export "fill") (param i64 i64) (table.fill $t (local.get 0) (ref.func $seven) (local.get 1))))`);
  assert.deepEqual(invoke(inst, 'call', [i64(1n)]), [i32(7)]);
  traps(() => invoke(inst, 'call', [i64(0n)]), 'uninitialized element');
  traps(() => invoke(inst, 'call', [i64((1n << 32n) + 1n)]), 'undefined element');
  traps(() => invoke(inst, 'call', [i64(-1n)]), 'undefined element');
  assert.deepEqual(invoke(inst, 'size', []), [i64(2n)]);
  assert.deepEqual(invoke(inst, 'grow', [i64(3n)]), [i64(2n)]);
  assert.deepEqual(invoke(inst, 'grow', [i64(1n << 40n)]), [i64(-1n)]);
  assert.deepEqual(invoke(inst, 'size', []), [i64(5n)]);
  assert.deepEqual(invoke(inst, 'is_null', [i64(4n)]), [i32(1)]);
  traps(() => invoke(inst, 'is_null', [i64(1n << 32n)]), 'out of bounds table access');
  invoke(inst, 'fill', [i64(2n), i64(3n)]);
  assert.deepEqual(invoke(inst, 'call', [i64(4n)]), [i32(7)]);
  traps(() => invoke(inst, 'fill', [i64(2n), i64(-1n)]), 'out of bounds table access');
});

test('stepping: an i64-address load or store and a table64 call_indirect are one stop each', () => {
  const inst = load(`(module
    (type $r (func (result i32)))
    (memory i64 1)
    (table i64 1 funcref)
    (func $one (result i32) (i32.const 1))
    (elem (i64.const 0) func $one)
    (func (export "f") (result i32)
      (i64.store (i64.const 8) (i64.const 5))
      (i32.add (i32.load (i64.const 8)) (call_indirect (type $r) (i64.const 0)))))`);
  const m = new Machine({ fuse: false });
  m.start(inst, 'f', []);
  const offsets: number[] = [];
  let r;
  while ((r = m.stepInstruction()).reason === 'step') offsets.push(m.frames()[0]!.offset);
  assert.deepEqual(r, { reason: 'finished', results: [i32(6)] });
  // every stop is at a distinct instruction of the body (none repeats for a split instruction)
  const inF = offsets.filter((o, i) => i === 0 || o !== offsets[i - 1]);
  assert.deepEqual(inF, offsets);
});
