// DWARF that clang does not produce for these fixtures, assembled by hand: a DWARF 3 line program
// with define_file and every standard opcode, and a 64-bit-format DWARF 4 unit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDwarf } from '../../../core/debuginfo';

const enc = new TextEncoder();
const cstr = (s: string) => [...enc.encode(s), 0];
const u16 = (v: number) => [v & 0xff, v >> 8];
const u32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];
const u64 = (v: number) => [...u32(v), 0, 0, 0, 0];

/** A 32-bit-format unit: unit_length then the body. */
const unit32 = (body: number[]) => [...u32(body.length), ...body];
/** A 64-bit-format unit: 0xffffffff, a 64-bit length, then the body. */
const unit64 = (body: number[]) => [0xff, 0xff, 0xff, 0xff, ...u64(body.length), ...body];

test('a DWARF 3 line program: standard opcodes, define_file, min_inst_length 2, two sequences', () => {
  const header = [
    2, // minimum_instruction_length: addresses advance in pairs
    1, // default_is_stmt
    0xfb, // line_base -5
    14, // line_range
    13, // opcode_base
    0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, // standard_opcode_lengths
    ...cstr('inc'), 0, // include_directories
    ...cstr('a.c'), 0, 0, 0, // file 1 in the comp dir
    ...cstr('b.h'), 1, 0, 0, // file 2 in inc/
    0,
  ];
  const program = [
    0, 5, 2, ...u32(0x10), // set_address 0x10
    0x05, 3, // set_column 3
    0x01, // copy: 0x10 a.c:1:3
    0x03, 4, // advance_line +4
    0x02, 2, // advance_pc 2 (×2 bytes)
    0x01, // copy: 0x14 a.c:5
    0x04, 2, // set_file b.h
    0x06, // negate_stmt
    0x09, ...u16(6), // fixed_advance_pc 6 → 0x1a
    0x01, // copy: 0x1a b.h:5, not a statement
    0x06, // negate_stmt back
    0, 8, 3, ...cstr('c.c'), 0, 0, 0, // define_file c.c (file 3): name, dir, mtime, length
    0x04, 3,
    0x08, // const_add_pc: (255-13)/14 = 17 ops ×2 = 34 → 0x3c
    0x0a, // set_prologue_end
    0x01, // copy: 0x3c c.c:5
    13 + 14 * 1 + 6, // special: +1 op (2 bytes) → 0x3e, line += -5 + 6 = +1 → 6
    0x02, 1, // advance_pc → 0x40
    0, 1, 1, // end_sequence at 0x40
    0, 5, 2, ...u32(0x100),
    0x01, // copy: 0x100 a.c:1 (registers reset)
    0x02, 4,
    0, 1, 1, // end_sequence at 0x108
  ];
  const line = unit32([...u16(3), ...u32(header.length), ...header, ...program]);
  // no .debug_info: the reader walks .debug_line on its own
  const info = readDwarf([{ name: '.debug_line', bytes: new Uint8Array(line) }], 1000)!;
  const at = (a: number) => {
    const l = info.lineForOffset(1000 + a);
    return l && `${l.file}:${l.line}:${l.column}${l.isStmt ? '' : ' (not stmt)'}`;
  };
  assert.deepEqual(info.warnings, []);
  assert.equal(at(0x10), 'a.c:1:3');
  assert.equal(at(0x13), 'a.c:1:3');
  assert.equal(at(0x14), 'a.c:5:3');
  assert.equal(at(0x1a), 'inc/b.h:5:3 (not stmt)');
  assert.equal(at(0x3c), 'c.c:5:3');
  assert.equal(at(0x3e), 'c.c:6:3');
  assert.equal(at(0x40), undefined);
  assert.equal(at(0x100), 'a.c:1:0');
  assert.equal(at(0x108), undefined);
  assert.deepEqual(info.offsetsForLine('a.c', 1)!.offsets, [1000 + 0x10, 1000 + 0x100]);
  assert.equal(info.offsetsForLine('b.h', 5), undefined, 'only non-statement rows: no breakpoint');
  assert.deepEqual(info.files(), ['a.c', 'c.c'], 'files where a breakpoint can bind');
  assert.equal(info.bodyStart({ ranges: [{ start: 1000 + 0x10, end: 1000 + 0x40 }] } as never), 1000 + 0x3c);
});

test('a 64-bit DWARF 4 unit: 8-byte offsets for strp, sec_offset and the abbrev offset', () => {
  const abbrev = [
    1, 0x11, 1, // code 1: compile_unit, children
    0x03, 0x0e, // name: strp
    0x1b, 0x08, // comp_dir: string
    0x10, 0x17, // stmt_list: sec_offset
    0x11, 0x01, // low_pc: addr
    0x12, 0x06, // high_pc: data4 (a length)
    0, 0,
    2, 0x2e, 0, // code 2: subprogram, no children
    0x03, 0x08, // name: string
    0x11, 0x01,
    0x12, 0x06,
    0x40, 0x18, // frame_base: exprloc
    0, 0,
    0,
  ];
  const str = [...cstr('unused'), ...cstr('wide.c')];
  const dies = [
    1, ...u64(7), ...cstr('/src'), ...u64(0), ...u32(0), ...u32(0x20),
    2, ...cstr('wide_fn'), ...u32(0x4), ...u32(0x10), 3, 0xed, 0, 1,
    0,
  ];
  const info = unit64([...u16(4), ...u64(0), 4, ...dies]);
  const lineHeader = [1, 1, 0xfb, 14, 13, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, ...cstr('wide.c'), 0, 0, 0, 0];
  const lineProgram = [0, 5, 2, ...u32(4), 0x01, 0x02, 0x10, 0, 1, 1];
  const line = unit64([...u16(4), ...u64(lineHeader.length + 1), ...[1], ...lineHeader, ...lineProgram]);
  const dwarf = readDwarf(
    [
      { name: '.debug_info', bytes: new Uint8Array(info) },
      { name: '.debug_abbrev', bytes: new Uint8Array(abbrev) },
      { name: '.debug_str', bytes: new Uint8Array(str) },
      { name: '.debug_line', bytes: new Uint8Array(line) },
    ],
    50,
  )!;
  assert.deepEqual(dwarf.warnings, []);
  assert.deepEqual(dwarf.compileUnits(), [{ name: 'wide.c', compDir: '/src', producer: undefined, language: undefined, version: 4 }]);
  const fn = dwarf.functionAt(50 + 0x8)!.function;
  assert.equal(fn.name, 'wide_fn');
  assert.deepEqual(fn.ranges, [{ start: 54, end: 70 }]);
  assert.equal(dwarf.lineForOffset(54)?.file, '/src/wide.c');
  assert.equal(dwarf.lineForOffset(54)?.line, 1);
});
