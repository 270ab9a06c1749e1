// DWARF that clang does not produce for these fixtures, assembled by hand: a DWARF 3 line program
// with define_file and every standard opcode, and a 64-bit-format DWARF 4 unit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { childSlots, formatValue, readDwarf } from '../../../core/debuginfo';
import { loadFixture } from './fixture-loader';

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
  // no functions known (no .debug_info): every entry is its own breakpoint
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

const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
};
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};

test('DWARF 5 forms and lists clang 14 does not emit: strx1-4, addrx1, DW_OP_addrx, data16, implicit_const, ref_addr, indirect, listx tables', () => {
  // .debug_str: the strings, and .debug_str_offsets (v5 header) indexing them
  const strings = ['cu.c', '/w', 'f', 'g', 'int', 'x', 'y', 'big'];
  const str: number[] = [];
  const strOffsets: number[] = [];
  for (const s of strings) {
    strOffsets.push(...u32(str.length));
    str.push(...cstr(s));
  }
  const strOffsetsSec = unit32([...u16(5), 0, 0, ...strOffsets]);
  // .debug_addr: header then addresses 0x100 (f), 0x200 (g), 0x5000 (a static in memory)
  const addrSec = unit32([...u16(5), 4, 0, ...u32(0x100), ...u32(0x200), ...u32(0x5000)]);
  // .debug_rnglists: header with one offset entry → [base_addressx 1, offset_pair 0..0x10, startx_length 0 len 8, end]
  const rnglist = [0x01, ...uleb(1), 0x04, ...uleb(0), ...uleb(0x10), 0x03, ...uleb(0), ...uleb(8), 0x00];
  const rnglistsSec = unit32([...u16(5), 4, 0, ...u32(1), ...u32(4), ...rnglist]);
  // .debug_loclists: one list: [startx_length 0 len 4: local 3] [default_location: lit7 stack_value]
  const loclist = [0x03, ...uleb(0), ...uleb(4), ...uleb(3), 0xed, 0, 3, 0x05, ...uleb(2), 0x37, 0x9f, 0x00];
  const loclistsSec = unit32([...u16(5), 4, 0, ...u32(1), ...u32(4), ...loclist]);

  const abbrev = [
    ...uleb(1), 0x11, 1, // compile_unit
    0x03, 0x26, // name strx2
    0x1b, 0x27, // comp_dir strx3
    0x72, 0x17, // str_offsets_base sec_offset
    0x73, 0x17, // addr_base
    0x74, 0x17, // rnglists_base
    0x8c, 0x01, 0x17, // loclists_base (0x8c as ULEB)
    0x11, 0x29, // low_pc addrx1 (the base address)
    0, 0,
    ...uleb(2), 0x2e, 1, // subprogram f
    0x03, 0x28, // name strx4
    0x55, 0x23, // ranges rnglistx
    0x3a, 0x21, ...sleb(1), // decl_file implicit_const 1
    0x3b, 0x16, // decl_line indirect
    0x40, 0x18, // frame_base exprloc
    0, 0,
    ...uleb(3), 0x34, 0, // variable with a loclistx location
    0x03, 0x25, // name strx1
    0x49, 0x10, // type ref_addr (into the second unit)
    0x02, 0x22, // location loclistx
    0, 0,
    ...uleb(4), 0x34, 0, // variable: constant (data16), static flag
    0x03, 0x25,
    0x49, 0x10,
    0x1c, 0x1e, // const_value data16
    0x3f, 0x0c, // external flag
    0, 0,
    ...uleb(5), 0x34, 0, // variable in memory at a DW_OP_addrx address
    0x03, 0x25,
    0x49, 0x10,
    0x02, 0x0a, // location block1
    0, 0,
    ...uleb(6), 0x24, 0, // base_type
    0x03, 0x25,
    0x0b, 0x0b,
    0x3e, 0x0b,
    0, 0,
    0,
  ];
  const unit1 = (typeRef: number) => [
    ...u16(5), 0x01, 4, ...u32(0), // version, unit_type compile, address_size, abbrev offset
    ...uleb(1), ...u16(0), 1, 0, 0, ...u32(8), ...u32(8), ...u32(12), ...u32(12), 2, // CU: strx2 0, strx3 1, bases, low_pc addrx1 2 (0x5000 is not code; only the base)
    ...uleb(2), ...u32(2), ...uleb(0), 0x0f, ...uleb(42), 3, 0xed, 0, 2, // f: strx4 2, rnglistx 0, decl_line via indirect udata 42, frame base local 2
    ...uleb(3), 5, ...u32(typeRef), ...uleb(0), // x: strx1 5, ref_addr, loclistx 0
    ...uleb(4), 7, ...u32(typeRef), ...Array.from({ length: 16 }, (_, i) => (i === 0 ? 0xfe : 0xff)), 1, // big = -2 as 16 bytes
    ...uleb(5), 6, ...u32(typeRef), 2, 0xa1, 2, // y at DW_OP_addrx 2 → 0x5000
    0, // end of f's children
    0, // end of CU's children
  ];
  // the second unit only holds `int`, referenced from the first through DW_FORM_ref_addr
  const unit2Body = [...u16(5), 0x01, 4, ...u32(0), ...uleb(6), 4, 4, 0x05];
  const firstLength = unit32(unit1(0)).length;
  const intOffset = firstLength + 4 + 8; // after unit 2's length and header
  const info = [...unit32(unit1(intOffset)), ...unit32(unit2Body)];

  const dwarf = readDwarf(
    [
      { name: '.debug_info', bytes: new Uint8Array(info) },
      { name: '.debug_abbrev', bytes: new Uint8Array(abbrev) },
      { name: '.debug_str', bytes: new Uint8Array(str) },
      { name: '.debug_str_offsets', bytes: new Uint8Array(strOffsetsSec) },
      { name: '.debug_addr', bytes: new Uint8Array(addrSec) },
      { name: '.debug_rnglists', bytes: new Uint8Array(rnglistsSec) },
      { name: '.debug_loclists', bytes: new Uint8Array(loclistsSec) },
    ],
    0,
  )!;
  assert.deepEqual(dwarf.warnings, []);
  assert.equal(dwarf.compileUnits()[0]!.name, 'cu.c');
  assert.equal(dwarf.compileUnits()[0]!.compDir, '/w');
  const f = dwarf.functionAt(0x204)!.function;
  assert.equal(f.name, 'f');
  assert.equal(f.declLine, 42);
  // offset_pair from the base address (addrx 1 = 0x200), then startx_length from addrx 0 = 0x100
  assert.deepEqual(f.ranges, [
    { start: 0x200, end: 0x210 },
    { start: 0x100, end: 0x108 },
  ]);
  assert.equal(dwarf.functionAt(0x104)?.function.name, 'f');
  const vars = (pc: number) => new Map(dwarf.variablesAt(pc)[0]!.variables.map((v) => [v.name, v]));
  const x = vars(0x102).get('x')!;
  assert.equal(x.typeName, 'int');
  assert.deepEqual(x.locate(), { kind: 'local', index: 3 });
  assert.deepEqual(vars(0x204).get('x')!.locate(), { kind: 'value', value: 7n }, 'the default location');
  const big = vars(0x204).get('big')!;
  // a data16 constant, cut to the variable's 4-byte type
  const none = { local: () => undefined, global: () => undefined, stack: () => undefined, readMemory: () => undefined };
  assert.equal(formatValue(big.type, big.read(none).bytes!), '-2');
  assert.deepEqual(vars(0x204).get('y')!.locate(), { kind: 'memory', address: 0x5000 });
});

test('a corrupt chain of 20000 type qualifiers and a throwing accessor do not escape', () => {
  const n = 20000;
  const abbrev = [
    1, 0x11, 1, 0x03, 0x08, 0, 0, // compile_unit: name string
    2, 0x2e, 1, 0x03, 0x08, 0x11, 0x01, 0x12, 0x06, 0, 0, // subprogram: name, low_pc, high_pc
    3, 0x34, 0, 0x03, 0x08, 0x49, 0x13, 0x02, 0x18, 0, 0, // variable: name, type ref4, location
    4, 0x26, 0, 0x49, 0x13, 0, 0, // const_type → ref4
    0,
  ];
  const header = [...u16(4), ...u32(0), 4];
  const cu = [1, ...cstr('deep.c')];
  const sub = [2, ...cstr('f'), ...u32(0), ...u32(0x10)];
  const variableLength = 1 + 2 + 4 + 1 + 3; // code, "v", ref4, exprloc length, expression
  const firstType = 4 + header.length + cu.length + sub.length + variableLength + 1; // after f's closing null
  const variable = [3, ...cstr('v'), ...u32(firstType), 3, 0xed, 0, 0];
  const types: number[] = [];
  for (let i = 0; i < n; i++) types.push(4, ...u32(firstType + (i + 1) * 5));
  const body = [...header, ...cu, ...sub, ...variable, 0, ...types, 0];
  assert.equal(4 + header.length + cu.length + sub.length + variable.length + 1, firstType);
  const info = readDwarf(
    [
      { name: '.debug_info', bytes: new Uint8Array(unit32(body)) },
      { name: '.debug_abbrev', bytes: new Uint8Array(abbrev) },
    ],
    0,
  )!;
  const v = info.variablesAt(4)[0]!.variables[0]!;
  assert.equal(v.name, 'v');
  assert.match(v.typeName, /^(const )+…$/, 'type names stop at a fixed depth');
  const throwing = {
    local: (): undefined => {
      throw new Error('frame is gone');
    },
    global: () => undefined,
    stack: () => undefined,
    readMemory: () => undefined,
  };
  assert.deepEqual(v.locate(throwing), { kind: 'local', index: 0 });
  assert.match(v.read(throwing).reason!, /^unknown size of/);
  // an `int` in Wasm local 0: locating needs no state, reading calls the accessor, which throws
  const square = loadFixture('O2', 5).info;
  const fn = square.functions().find((f) => f.name === 'square')!;
  const param = square.variablesAt(fn.ranges[0]!.start)[0]!.variables[0]!;
  assert.deepEqual(param.locate(throwing), { kind: 'local', index: 0 });
  assert.equal(param.read(throwing).reason, 'frame is gone');
});

test('a Rust enum (DW_TAG_variant_part) formats as its live variant', () => {
  // abbreviations: the tags rustc uses for `Option<u32>`
  const abbrev = [
    1, 0x11, 1, 0x03, 0x08, 0x13, 0x0b, 0, 0, // compile_unit: name, language data1
    2, 0x24, 0, 0x03, 0x08, 0x0b, 0x0b, 0x3e, 0x0b, 0, 0, // base_type
    3, 0x13, 1, 0x03, 0x08, 0x0b, 0x0b, 0, 0, // structure_type with children
    4, 0x13, 0, 0x03, 0x08, 0x0b, 0x0b, 0, 0, // structure_type, no children
    5, 0x0d, 0, 0x03, 0x08, 0x49, 0x13, 0x38, 0x0b, 0, 0, // member: name, type, offset
    6, 0x33, 1, 0x15, 0x13, 0, 0, // variant_part: discr ref4
    7, 0x19, 1, 0x16, 0x0b, 0, 0, // variant: discr_value data1
    8, 0x2e, 1, 0x03, 0x08, 0x11, 0x01, 0x12, 0x06, 0, 0, // subprogram
    9, 0x34, 0, 0x03, 0x08, 0x49, 0x13, 0x02, 0x18, 0, 0, // variable: name, type, exprloc
    0,
  ];
  // DIEs with 4-byte references patched once every offset is known
  const bytes: number[] = [...u16(4), ...u32(0), 4];
  const at: Record<string, number> = {};
  const patches: [number, string][] = [];
  const die = (label: string | undefined, ...parts: (number | { ref: string })[]) => {
    if (label) at[label] = 4 + bytes.length; // unit-relative offset (after the 4-byte unit_length)
    for (const p of parts) {
      if (typeof p === 'number') bytes.push(p);
      else {
        patches.push([bytes.length, p.ref]);
        bytes.push(0, 0, 0, 0);
      }
    }
  };
  const s = (text: string) => cstr(text);
  die('cu', 1, ...s('lib.rs'), 0x1c);
  die('u32', 2, ...s('u32'), 4, 0x07);
  die('option', 3, ...s('Option<u32>'), 8);
  die('none', 4, ...s('None'), 8);
  die('some', 3, ...s('Some'), 8);
  die(undefined, 5, ...s('__0'), { ref: 'u32' }, 4);
  die(undefined, 0);
  die(undefined, 6, { ref: 'discr' });
  die('discr', 5, ...s(''), { ref: 'u32' }, 0);
  die(undefined, 7, 0);
  die(undefined, 5, ...s('None'), { ref: 'none' }, 0);
  die(undefined, 0);
  die(undefined, 7, 1);
  die(undefined, 5, ...s('Some'), { ref: 'some' }, 0);
  die(undefined, 0);
  die(undefined, 0); // end of variant_part
  die(undefined, 0); // end of Option
  die(undefined, 8, ...s('f'), ...u32(0), ...u32(0x10));
  die(undefined, 9, ...s('a'), { ref: 'option' }, 5, 0x03, ...u32(0x100));
  die(undefined, 9, ...s('b'), { ref: 'option' }, 5, 0x03, ...u32(0x108));
  die(undefined, 0);
  die(undefined, 0);
  for (const [pos, label] of patches) bytes.splice(pos, 4, ...u32(at[label]!));
  const info = readDwarf(
    [
      { name: '.debug_info', bytes: new Uint8Array(unit32(bytes)) },
      { name: '.debug_abbrev', bytes: new Uint8Array(abbrev) },
    ],
    0,
  )!;
  assert.deepEqual(info.warnings, []);
  const vars = new Map(info.variablesAt(4)[0]!.variables.map((v) => [v.name, v]));
  const memory = new Uint8Array(0x200);
  memory.set([1, 0, 0, 0, 42, 0, 0, 0], 0x100); // Some(42)
  memory.set([0, 0, 0, 0, 0, 0, 0, 0], 0x108); // None
  const accessor = { local: () => undefined, global: () => undefined, stack: () => undefined, readMemory: (a: number, n: number) => memory.slice(a, a + n) };
  const a = vars.get('a')!;
  assert.equal(a.typeName, 'Option<u32>');
  assert.equal(formatValue(a.type, a.read(accessor).bytes!), 'Some(42)');
  assert.equal(formatValue(vars.get('b')!.type, vars.get('b')!.read(accessor).bytes!), 'None');
  assert.deepEqual(childSlots(a.type, 10, a.read(accessor).bytes).map((c) => `${c.name}@${c.offset}`), ['__0@4']);
  assert.deepEqual(childSlots(a.type).map((c) => c.name), ['None', 'Some']);
});

test('variables optimised away from a concrete copy still appear, from the abstract function, in order', () => {
  const abbrev = [
    1, 0x11, 1, 0x03, 0x08, 0, 0, // compile_unit
    2, 0x24, 0, 0x03, 0x08, 0x0b, 0x0b, 0x3e, 0x0b, 0, 0, // base_type
    3, 0x2e, 1, 0x03, 0x08, 0x20, 0x0b, 0, 0, // abstract subprogram: name, inline
    4, 0x05, 0, 0x03, 0x08, 0x49, 0x13, 0, 0, // formal_parameter: name, type
    5, 0x34, 0, 0x03, 0x08, 0x49, 0x13, 0, 0, // variable: name, type
    6, 0x2e, 1, 0x31, 0x13, 0x11, 0x01, 0x12, 0x06, 0, 0, // concrete subprogram: abstract_origin, low, high
    7, 0x05, 0, 0x31, 0x13, 0x02, 0x18, 0, 0, // concrete parameter: abstract_origin, location
    0,
  ];
  const bytes: number[] = [...u16(4), ...u32(0), 4];
  const at: Record<string, number> = {};
  const patches: [number, string][] = [];
  const die = (label: string | undefined, ...parts: (number | { ref: string })[]) => {
    if (label) at[label] = 4 + bytes.length;
    for (const p of parts) {
      if (typeof p === 'number') bytes.push(p);
      else {
        patches.push([bytes.length, p.ref]);
        bytes.push(0, 0, 0, 0);
      }
    }
  };
  die(undefined, 1, ...cstr('cu.c'));
  die('int', 2, ...cstr('int'), 4, 0x05);
  die('abstract', 3, ...cstr('g'), 1);
  die(undefined, 4, ...cstr('a'), { ref: 'int' });
  die('b', 4, ...cstr('b'), { ref: 'int' });
  die(undefined, 5, ...cstr('c'), { ref: 'int' });
  die(undefined, 0);
  die(undefined, 6, { ref: 'abstract' }, ...u32(0x40), ...u32(0x20));
  die(undefined, 7, { ref: 'b' }, 3, 0xed, 0, 1); // only `b` survived, in Wasm local 1
  die(undefined, 0);
  die(undefined, 0);
  for (const [pos, label] of patches) bytes.splice(pos, 4, ...u32(at[label]!));
  const info = readDwarf(
    [
      { name: '.debug_info', bytes: new Uint8Array(unit32(bytes)) },
      { name: '.debug_abbrev', bytes: new Uint8Array(abbrev) },
    ],
    0,
  )!;
  assert.deepEqual(info.warnings, []);
  assert.equal(info.functionAt(0x44)?.function.name, 'g');
  const vars = info.variablesAt(0x44)[0]!.variables;
  assert.deepEqual(
    vars.map((v) => `${v.isParameter ? 'param' : 'local'} ${v.typeName} ${v.name}: ${JSON.stringify(v.locate())}`),
    [
      'param int a: {"kind":"unavailable","reason":"optimized out"}',
      'param int b: {"kind":"local","index":1}',
      'local int c: {"kind":"unavailable","reason":"optimized out"}',
    ],
  );
});
