// Decoder: LEB128 edge cases, the module model (names, custom sections, element and data forms),
// and malformed inputs failing with a DecodeError at the right byte offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteReader, decodeModule, opByName, opInfo, Imm } from '../../../core/binary';
import { DecodeError } from '../../../core/errors';
import { DEFAULT_FEATURES } from '../../../core/features';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'engine');
const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const mod = (...bytes: number[]) => new Uint8Array([...header, ...bytes]);

function decodeError(bytes: Uint8Array): DecodeError {
  try {
    decodeModule(bytes);
  } catch (e) {
    assert.ok(e instanceof DecodeError, `expected DecodeError, got ${String(e)}`);
    return e;
  }
  assert.fail('decoded without error');
}

test('LEB128: limits, sign extension and over-long encodings', () => {
  const r = (...b: number[]) => new ByteReader(new Uint8Array(b));
  assert.equal(r(0xff, 0xff, 0xff, 0xff, 0x0f).u32(), 0xffffffff);
  assert.equal(r(0x7f).s32(), -1);
  assert.equal(r(0x80, 0x80, 0x80, 0x80, 0x78).s32(), -2147483648);
  assert.equal(r(0x80, 0x7f).s32(), -128);
  assert.throws(() => r(0xff, 0xff, 0xff, 0xff, 0x1f).u32(), /integer too large/);
  assert.throws(() => r(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).u32(), /integer representation too long/);
  assert.throws(() => r(0xff, 0xff, 0xff, 0xff, 0x4f).s32(), /integer too large/);
  assert.equal(r(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f).s64Big(), -(1n << 63n));
  assert.equal(r(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00).s64Big(), (1n << 63n) - 1n);
  assert.throws(() => r(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).s64Big(), /integer too large/);
  assert.equal(r(0x40).s33(), -64);
  assert.throws(() => r(0x80).u32(), /unexpected end/);
});

test('malformed headers and sections report their byte offset', () => {
  assert.equal(decodeError(new Uint8Array([0, 0x61, 0x73, 0x6e, 1, 0, 0, 0])).offset, 0);
  assert.match(decodeError(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])).message, /unknown binary version/);
  const badId = decodeError(mod(0x0d, 0x00));
  assert.equal(badId.reason, 'malformed section id');
  assert.equal(badId.offset, 8);
  // Type section declaring a bad value type at byte 12.
  const badType = decodeError(mod(0x01, 0x05, 0x01, 0x60, 0x01, 0x55, 0x00));
  assert.equal(badType.reason, 'malformed value type');
  assert.equal(badType.offset, 13);
  // A section whose content is shorter than its size.
  assert.equal(decodeError(mod(0x01, 0x05, 0x01, 0x60, 0x00, 0x00)).reason, 'length out of bounds');
  // Sections out of order (function section after code section).
  assert.match(decodeError(mod(0x0a, 0x01, 0x00, 0x03, 0x01, 0x00)).reason, /unexpected content after last section|inconsistent/);
});

test('bodies: illegal opcodes and missing end are malformed at the instruction', () => {
  // type ()->(), one func, body: [0 locals] 0xff
  const body = (...ins: number[]) => mod(0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
    0x0a, ins.length + 3, 0x01, ins.length + 1, 0x00, ...ins);
  const illegal = decodeError(body(0xff, 0x0b));
  assert.equal(illegal.reason, 'illegal opcode');
  assert.equal(illegal.offset, 23);
  assert.equal(decodeError(body(0x01)).reason, 'END opcode expected');
  // memory.size 1: a memory index since multi-memory, a reserved zero byte in Wasm 2.0
  assert.throws(() => decodeModule(body(0x3f, 0x01, 0x0b), { features: DEFAULT_FEATURES }), /zero byte expected/);
  decodeModule(body(0x3f, 0x01, 0x1a, 0x0b));
  decodeModule(body(0x01, 0x0b));
});

test('the name section, custom sections and the module model of a real binary', () => {
  const m = decodeModule(readFileSync(join(fixtures, 'debug.wasm')));
  assert.equal(m.importedFuncs, 2);
  assert.equal(m.names.functions.get(2), 'add');
  assert.equal(m.names.locals.get(4)?.get(2), 's');
  assert.ok(m.customSections.some((c) => c.name === 'name'));
  assert.deepEqual(m.exports.find((e) => e.name === 'sum'), { name: 'sum', kind: 'func', index: 4 });
  assert.equal(m.globals[0]!.type.mutable, true);
  assert.deepEqual(m.memories[0]!.limits, { min: 1 });
});

test('element segment forms and passive data decode with their modes', () => {
  // table 1 funcref; elem flags 1 (passive funcidx) and 7 (declarative exprs); data flags 1 (passive).
  const bytes = mod(
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x03, 0x02, 0x01, 0x00,
    0x04, 0x04, 0x01, 0x70, 0x00, 0x01,
    0x05, 0x03, 0x01, 0x00, 0x01,
    0x09, 0x0b, 0x02, 0x01, 0x00, 0x01, 0x00, 0x07, 0x70, 0x01, 0xd2, 0x00, 0x0b,
    0x0c, 0x01, 0x01,
    0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
    0x0b, 0x05, 0x01, 0x01, 0x02, 0xaa, 0xbb,
  );
  const m = decodeModule(bytes);
  assert.equal(m.elems.length, 2);
  assert.equal(m.elems[0]!.mode.kind, 'passive');
  assert.deepEqual(m.elems[0]!.init, [0]);
  assert.equal(m.elems[1]!.mode.kind, 'declarative');
  assert.equal(m.elems[1]!.funcIndices, false);
  assert.equal(m.dataCount, 1);
  assert.equal(m.datas[0]!.mode.kind, 'passive');
  assert.deepEqual([...m.bytes.subarray(m.datas[0]!.start, m.datas[0]!.end)], [0xaa, 0xbb]);
  assert.ok(m.declaredFuncRefs.has(0));
});

test('the opcode table is shared by name and by code', () => {
  assert.equal(opByName('i32.add')!.code, 0x6a);
  assert.equal(opInfo(0xfc000a)!.name, 'memory.copy');
  assert.equal(opInfo(0x28)!.imm, Imm.MemArg);
  assert.equal(opInfo(0x28)!.align, 2);
});
