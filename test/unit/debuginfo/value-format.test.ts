// Type spelling and value formatting on hand-built types: every base encoding, enums, pointers
// (with the string a char* points to), bit-fields, nested aggregates, and the expandable children.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteSizeOf, childSlots, type DwarfType, formatValue, pointerTarget, typeName } from '../../../core/debuginfo';

const int: DwarfType = { kind: 'base', name: 'int', byteSize: 4, encoding: 'signed' };
const uint: DwarfType = { kind: 'base', name: 'unsigned int', byteSize: 4, encoding: 'unsigned' };
const char: DwarfType = { kind: 'base', name: 'char', byteSize: 1, encoding: 'signed-char' };
const f32: DwarfType = { kind: 'base', name: 'float', byteSize: 4, encoding: 'float' };
const f64: DwarfType = { kind: 'base', name: 'double', byteSize: 8, encoding: 'float' };
const bool: DwarfType = { kind: 'base', name: '_Bool', byteSize: 1, encoding: 'boolean' };
const i64: DwarfType = { kind: 'base', name: 'long long', byteSize: 8, encoding: 'signed' };
const charPtr: DwarfType = { kind: 'pointer', byteSize: 4, target: char };
const constChar: DwarfType = { kind: 'qualified', qualifier: 'const', target: char };

function bytes(...parts: [number, 'i8' | 'i32' | 'f32' | 'f64' | 'i64'][]): Uint8Array {
  const size = parts.reduce((n, [, t]) => n + (t === 'i8' ? 1 : t === 'i32' || t === 'f32' ? 4 : 8), 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let at = 0;
  for (const [v, t] of parts) {
    if (t === 'i8') dv.setInt8(at, v);
    else if (t === 'i32') dv.setInt32(at, v, true);
    else if (t === 'f32') dv.setFloat32(at, v, true);
    else if (t === 'f64') dv.setFloat64(at, v, true);
    else dv.setBigInt64(at, BigInt(v), true);
    at += t === 'i8' ? 1 : t === 'i32' || t === 'f32' ? 4 : 8;
  }
  return out;
}

test('base types', () => {
  assert.equal(formatValue(int, bytes([-5, 'i32'])), '-5');
  assert.equal(formatValue(uint, bytes([-5, 'i32'])), '4294967291');
  assert.equal(formatValue(i64, bytes([-5, 'i64'])), '-5');
  assert.equal(formatValue(char, bytes([65, 'i8'])), "65 'A'");
  assert.equal(formatValue(char, bytes([-1, 'i8'])), "-1 '\\xff'");
  assert.equal(formatValue(f32, bytes([0.1, 'f32'])), '0.1');
  assert.equal(formatValue(f64, bytes([-2.5, 'f64'])), '-2.5');
  assert.equal(formatValue(f64, bytes([NaN, 'f64'])), 'nan');
  assert.equal(formatValue(bool, bytes([1, 'i8'])), 'true');
  // long double on wasm32 is IEEE binary128: 1.5 = sign 0, exponent 0x3fff, fraction 0x8000…
  const quad = new Uint8Array(16);
  quad[15] = 0x3f;
  quad[14] = 0xff;
  quad[13] = 0x80;
  const f128: DwarfType = { kind: 'base', name: 'long double', byteSize: 16, encoding: 'float' };
  assert.equal(formatValue(f128, quad), '1.5');
  quad[15] = 0xbf;
  assert.equal(formatValue(f128, quad), '-1.5');
  assert.equal(formatValue(int, new Uint8Array(2)), '<unavailable>');
});

test('type names spell C declarators', () => {
  const point: DwarfType = { kind: 'struct', keyword: 'struct', name: 'point', byteSize: 8, members: [] };
  assert.equal(typeName(charPtr), 'char *');
  assert.equal(typeName({ kind: 'pointer', byteSize: 4, target: charPtr }), 'char **');
  assert.equal(typeName({ kind: 'pointer', byteSize: 4, target: constChar }), 'const char *');
  assert.equal(typeName({ kind: 'qualified', qualifier: 'const', target: charPtr }), 'char *const');
  assert.equal(typeName({ kind: 'array', element: int, counts: [2, 3] }), 'int[2][3]');
  assert.equal(typeName({ kind: 'array', element: charPtr, counts: [4] }), 'char *[4]');
  assert.equal(typeName({ kind: 'pointer', byteSize: 4, target: { kind: 'array', element: int, counts: [4] } }), 'int (*)[4]');
  assert.equal(
    typeName({ kind: 'pointer', byteSize: 4, target: { kind: 'function', returnType: int, params: [int, charPtr], variadic: true } }),
    'int (*)(int, char *, ...)',
  );
  assert.equal(typeName({ kind: 'typedef', name: 'point_t', target: point }), 'point_t');
  assert.equal(typeName(point), 'struct point');
  assert.equal(typeName({ kind: 'pointer', byteSize: 4, target: { kind: 'void' } }), 'void *');
});

test('structs, unions, bit-fields, enums and arrays', () => {
  const color: DwarfType = {
    kind: 'enum',
    name: 'color',
    byteSize: 4,
    underlying: uint,
    enumerators: [
      { name: 'RED', value: 0n },
      { name: 'GREEN', value: 5n },
    ],
  };
  assert.equal(formatValue(color, bytes([5, 'i32'])), 'GREEN');
  assert.equal(formatValue(color, bytes([9, 'i32'])), '9');
  const flags: DwarfType = {
    kind: 'struct',
    keyword: 'struct',
    name: 'flags',
    byteSize: 4,
    members: [
      { name: 'a', type: uint, offset: 0, bitSize: 3, bitOffset: 0 },
      { name: 'b', type: int, offset: 0, bitSize: 4, bitOffset: 3 },
    ],
  };
  // a = 5 (101), b = -2 (1110 in 4 bits) → bits 1110101 = 0x75
  assert.equal(formatValue(flags, bytes([0x75, 'i32'])), '{a = 5, b = -2}');
  const rec: DwarfType = {
    kind: 'struct',
    keyword: 'struct',
    name: 'rec',
    byteSize: 16,
    members: [
      { name: 'name', type: { kind: 'array', element: char, counts: [4] }, offset: 0 },
      { name: 'xs', type: { kind: 'array', element: int, counts: [2] }, offset: 4 },
      { name: 'c', type: color, offset: 12 },
    ],
  };
  const b = new Uint8Array(16);
  b.set([104, 105, 0, 0], 0);
  new DataView(b.buffer).setInt32(4, 1, true);
  new DataView(b.buffer).setInt32(8, -1, true);
  assert.equal(formatValue(rec, b), '{name = "hi", xs = [1, -1], c = RED}');
  assert.equal(byteSizeOf(rec), 16);
  assert.deepEqual(
    childSlots(rec).map((c) => [c.name, typeName(c.type), c.offset]),
    [
      ['name', 'char[4]', 0],
      ['xs', 'int[2]', 4],
      ['c', 'enum color', 12],
    ],
  );
  assert.deepEqual(
    childSlots({ kind: 'array', element: int, counts: [3] }).map((c) => [c.name, c.offset]),
    [
      ['[0]', 0],
      ['[1]', 4],
      ['[2]', 8],
    ],
  );
  const matrix: DwarfType = { kind: 'array', element: int, counts: [2, 2] };
  assert.equal(formatValue(matrix, bytes([1, 'i32'], [2, 'i32'], [3, 'i32'], [4, 'i32'])), '[[1, 2], [3, 4]]');
  assert.equal(formatValue({ kind: 'array', element: int, counts: [40] }, new Uint8Array(160), { maxElements: 2 }), 'len=40 [0, 0, …]');
});

test('pointers: hex address, the string behind a char *, and the pointee for expansion', () => {
  const memory = new Uint8Array(256);
  memory.set(new TextEncoder().encode('hello\0'), 100);
  const readMemory = (a: number, n: number) => memory.slice(a, Math.min(a + n, memory.length));
  assert.equal(formatValue(charPtr, bytes([100, 'i32']), { readMemory }), '0x00000064 "hello"');
  assert.equal(formatValue(charPtr, bytes([0, 'i32']), { readMemory }), '0x00000000');
  const intPtr: DwarfType = { kind: 'pointer', byteSize: 4, target: int };
  assert.equal(formatValue(intPtr, bytes([100, 'i32']), { readMemory }), '0x00000064');
  assert.deepEqual(pointerTarget(intPtr, bytes([100, 'i32'])), { address: 100, type: int });
  assert.equal(pointerTarget({ kind: 'pointer', byteSize: 4, target: { kind: 'void' } }, bytes([100, 'i32'])), undefined);
  // a self-referential struct formats without recursing forever
  const node: Extract<DwarfType, { kind: 'struct' }> = { kind: 'struct', keyword: 'struct', name: 'node', byteSize: 4, members: [] };
  node.members.push({ name: 'next', type: { kind: 'pointer', byteSize: 4, target: node }, offset: 0 });
  assert.equal(formatValue(node, bytes([8, 'i32'])), '{next = 0x00000008}');
  assert.equal(typeName(node.members[0]!.type), 'struct node *');
});
