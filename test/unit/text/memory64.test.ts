// The text format of multi-memory and memory64/table64: address types in memory and table
// fields, inline data, memory index immediates, and u64 offsets and alignments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteReader, decodeModule, InstrReader } from '../../../core/binary';
import { ValidationError } from '../../../core/errors';
import { compileModule } from '../../../core/interp';
import { ParseError, watToBinary } from '../../../core/text';

/** The instructions of function 0, as [name, a, b, mem, offHi] rows. */
function body(bytes: Uint8Array): (string | number)[][] {
  const m = decodeModule(bytes);
  const f = m.funcs[0]!;
  const ir = new InstrReader(new ByteReader(m.bytes.subarray(0, f.bodyEnd)));
  ir.r.pos = f.bodyStart;
  const out: (string | number)[][] = [];
  while (ir.r.pos < f.bodyEnd) {
    ir.read();
    out.push([ir.info!.name, ir.a, ir.b, ir.mem, ir.offHi]);
  }
  return out;
}

test('(memory i64 ...), (table i64 ...) and inline data in an i64 memory', () => {
  const m = decodeModule(watToBinary(`(module
    (memory $a i64 1 5) (memory $b i64 (data "abc")) (table i64 3 funcref) (memory 1))`).bytes);
  assert.deepEqual(m.memories.map((x) => x.limits), [{ min: 1, max: 5, i64: true }, { min: 1, max: 1, i64: true }, { min: 1 }]);
  assert.deepEqual(m.tables[0]!.limits, { min: 3, i64: true });
  assert.equal(m.datas[0]!.mode.kind === 'active' && m.datas[0]!.mode.memory, 1);
  // the inline data's offset is an i64.const
  const d = m.datas[0]!;
  assert.equal(d.mode.kind === 'active' ? m.bytes[d.mode.offset.start] : -1, 0x42);
});

test('memory index immediates in loads, stores, SIMD and bulk instructions', () => {
  const rows = body(watToBinary(`(module (memory $a 1) (memory $b i64 1) (data $d "x")
    (func
      (drop (i32.load $b offset=0x1_0000_0002 (i64.const 0)))
      (i64.store8 1 (i64.const 0) (i64.const 0))
      (drop (v128.load $b (i64.const 0)))
      (drop (v128.load8_lane $b 3 (i64.const 0) (v128.const i64x2 0 0)))
      (memory.copy $a $b (i32.const 0) (i64.const 0) (i32.const 0))
      (memory.init $b $d (i64.const 0) (i32.const 0) (i32.const 1))
      (drop (memory.size $b)) (drop (memory.grow 1 (i64.const 0))) (memory.fill $b (i64.const 0) (i32.const 0) (i64.const 0))))`).bytes);
  const find = (name: string) => rows.find((r) => r[0] === name)!;
  assert.deepEqual(find('i32.load'), ['i32.load', 2, 2, 1, 1]);
  assert.deepEqual(find('i64.store8').slice(3), [1, 0]);
  assert.equal(find('v128.load')[3], 1);
  assert.equal(find('v128.load8_lane')[3], 1);
  assert.deepEqual(find('memory.copy').slice(1, 3), [0, 1]);
  assert.deepEqual(find('memory.init').slice(1, 3), [0, 1]);
  assert.equal(find('memory.size')[1], 1);
  assert.equal(find('memory.grow')[1], 1);
  assert.equal(find('memory.fill')[1], 1);
});

test('offsets past 2^32 on an i32 memory: invalid with memory64 on, malformed with it off', () => {
  const src = '(module (memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0)))))';
  const bytes = watToBinary(src).bytes;
  assert.throws(() => compileModule(decodeModule(bytes)), (e: unknown) => e instanceof ValidationError && e.reason === 'offset out of range');
  assert.throws(() => watToBinary(src, { features: { memory64: false } }), (e: unknown) => e instanceof ParseError && /i32 constant out of range/.test(e.message));
  // on an i64 memory the same offset is fine, and so is 2^64 - 1
  const ok = watToBinary('(module (memory i64 1) (func (drop (i32.load offset=0xffff_ffff_ffff_ffff (i64.const 0)))))').bytes;
  assert.doesNotThrow(() => compileModule(decodeModule(ok)));
  const big = watToBinary('(module (memory 1) (func (drop (i32.load offset=0xFFFF_FFFF_FFFF_FFFF align=0x8000_0000_0000_0000 (i32.const 0)))))').bytes;
  assert.throws(() => compileModule(decodeModule(big)), (e: unknown) => e instanceof ValidationError && e.reason === 'alignment must not be larger than natural');
  assert.throws(() => watToBinary('(module (memory 1) (func (drop (i32.load align=3 (i32.const 0)))))'), /alignment must be a power of two/);
});
