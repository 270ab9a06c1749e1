// Decoding multi-memory and memory64: limits flags (0x04 = i64 addresses, 0x01 = a maximum), memarg
// flag bit 6 (a memory index follows), u64 offsets, memory indices of the bulk instructions, and the
// errors when the encoding is bad or the feature is off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteReader, decodeModule, InstrReader } from '../../../core/binary';
import { DecodeError } from '../../../core/errors';
import { FeatureError, resolveFeatures } from '../../../core/features';

const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const mod = (...bytes: number[]) => new Uint8Array([...header, ...bytes]);

test('limits: flag 0x04 is an i64 memory or table with u64 bounds; 0x05 adds a maximum', () => {
  // memory section: 2 memories: i64 min 2^33 (no max) and i64 min 1 max 3
  const m = decodeModule(mod(0x05, 0x0a, 0x02, 0x04, 0x80, 0x80, 0x80, 0x80, 0x20, 0x05, 0x01, 0x03));
  assert.deepEqual(m.memories.map((x) => x.limits), [{ min: 2 ** 33, i64: true }, { min: 1, max: 3, i64: true }]);
  // table section: funcref, i64, min 1
  const t = decodeModule(mod(0x04, 0x04, 0x01, 0x70, 0x04, 0x01));
  assert.deepEqual(t.tables[0]!.limits, { min: 1, i64: true });
  assert.throws(() => decodeModule(mod(0x05, 0x03, 0x01, 0x04, 0x01), { features: { memory64: false } }),
    (e: unknown) => e instanceof FeatureError && e.feature === 'memory64' && /memory64 is disabled: an i64 memory type at 0xb/.test(e.message));
  assert.throws(() => decodeModule(mod(0x05, 0x03, 0x01, 0x08, 0x01)), (e: unknown) => e instanceof DecodeError && e.offset === 11);
  // an i32 memory's bounds are u64s too (Wasm 3.0); without memory64 they are u32s
  const wide = mod(0x05, 0x07, 0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10);
  assert.deepEqual(decodeModule(wide).memories[0]!.limits, { min: 2 ** 32 });
  assert.throws(() => decodeModule(wide, { features: { memory64: false } }), /integer too large/);
});

function read(bytes: number[], features = resolveFeatures()): InstrReader {
  const ir = new InstrReader(new ByteReader(new Uint8Array(bytes)), features);
  ir.read();
  return ir;
}

test('memarg: bit 6 says a memory index follows; the offset is a u64', () => {
  // i32.load align=2 memory 3 offset=2^32 + 5
  let ir = read([0x28, 0x42, 0x03, 0x85, 0x80, 0x80, 0x80, 0x10]);
  assert.deepEqual([ir.a, ir.mem, ir.b, ir.offHi], [2, 3, 5, 1]);
  // offset 2^64 - 1
  ir = read([0x28, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  assert.deepEqual([ir.mem, ir.b, ir.offHi], [0, 0xffffffff, 0xffffffff]);
  assert.throws(() => read([0x28, 0x80, 0x01, 0x00]), /malformed memop flags/);
  // without multi-memory, bit 6 is part of the alignment (which validation then rejects)
  ir = read([0x28, 0x42, 0x00], resolveFeatures({ multiMemory: false, memory64: false }));
  assert.deepEqual([ir.a, ir.mem, ir.b], [0x42, 0, 0]);
});

test('memory indices of memory.size/grow/init/copy/fill', () => {
  assert.equal(read([0x3f, 0x02]).a, 2);
  assert.equal(read([0x40, 0x01]).a, 1);
  let ir = read([0xfc, 0x08, 0x04, 0x02]); // memory.init data 4, memory 2
  assert.deepEqual([ir.a, ir.b], [4, 2]);
  ir = read([0xfc, 0x0a, 0x01, 0x02]); // memory.copy dst 1 src 2
  assert.deepEqual([ir.a, ir.b], [1, 2]);
  assert.equal(read([0xfc, 0x0b, 0x03]).a, 3);
  assert.throws(() => read([0x3f, 0x01], resolveFeatures({ multiMemory: false })), /zero byte expected/);
});
