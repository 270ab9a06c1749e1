// The opcode table shared by the decoder, validator/compiler, disassembler and assembler: every
// instruction's text name and the shape of its immediates. Keys: single-byte opcodes are the byte;
// prefixed ones are (prefix << 16) | subopcode, e.g. 0xfc0008 for memory.init.

export const enum Imm {
  None,
  Block, // block type (s33)
  Label,
  BrTable,
  Func,
  CallIndirect, // type index, table index
  Local,
  Global,
  Table,
  MemArg, // align, offset
  MemZero, // reserved 0x00 byte (memory.size/grow/fill)
  I32,
  I64,
  F32,
  F64,
  SelectT, // vec(valtype)
  RefType,
  TableInit, // elem index, table index
  TableCopy, // dst table, src table
  MemoryInit, // data index, 0x00
  Data,
  MemoryCopy, // 0x00, 0x00
  Elem,
  MemArgLane, // memarg + lane byte (SIMD)
  Shuffle, // 16 lane bytes
  Lane, // one lane byte
  V128, // 16 bytes
}

export interface OpInfo {
  code: number;
  name: string;
  imm: Imm;
  /** Natural alignment (log2 bytes) of memory accesses, for memarg validation. */
  align?: number;
}

export const PREFIX_FC = 0xfc;
export const PREFIX_FD = 0xfd;

const table: OpInfo[] = [];
const byCode = new Map<number, OpInfo>();
/** Single-byte opcodes by byte: the decoder's hot lookup avoids the Map. */
const byByte: (OpInfo | undefined)[] = new Array<OpInfo | undefined>(256).fill(undefined);
const byName = new Map<string, OpInfo>();

function op(code: number, name: string, imm: Imm = Imm.None, align?: number): void {
  const info: OpInfo = align === undefined ? { code, name, imm } : { code, name, imm, align };
  table.push(info);
  byCode.set(code, info);
  if (code < 256) byByte[code] = info;
  byName.set(name, info);
}

op(0x00, 'unreachable');
op(0x01, 'nop');
op(0x02, 'block', Imm.Block);
op(0x03, 'loop', Imm.Block);
op(0x04, 'if', Imm.Block);
op(0x05, 'else');
op(0x0b, 'end');
op(0x0c, 'br', Imm.Label);
op(0x0d, 'br_if', Imm.Label);
op(0x0e, 'br_table', Imm.BrTable);
op(0x0f, 'return');
op(0x10, 'call', Imm.Func);
op(0x11, 'call_indirect', Imm.CallIndirect);
op(0x1a, 'drop');
op(0x1b, 'select');
op(0x1c, 'select', Imm.SelectT);
byName.set('select', byCode.get(0x1b)!);
op(0x20, 'local.get', Imm.Local);
op(0x21, 'local.set', Imm.Local);
op(0x22, 'local.tee', Imm.Local);
op(0x23, 'global.get', Imm.Global);
op(0x24, 'global.set', Imm.Global);
op(0x25, 'table.get', Imm.Table);
op(0x26, 'table.set', Imm.Table);
const loads: [number, string, number][] = [
  [0x28, 'i32.load', 2], [0x29, 'i64.load', 3], [0x2a, 'f32.load', 2], [0x2b, 'f64.load', 3],
  [0x2c, 'i32.load8_s', 0], [0x2d, 'i32.load8_u', 0], [0x2e, 'i32.load16_s', 1], [0x2f, 'i32.load16_u', 1],
  [0x30, 'i64.load8_s', 0], [0x31, 'i64.load8_u', 0], [0x32, 'i64.load16_s', 1], [0x33, 'i64.load16_u', 1],
  [0x34, 'i64.load32_s', 2], [0x35, 'i64.load32_u', 2],
  [0x36, 'i32.store', 2], [0x37, 'i64.store', 3], [0x38, 'f32.store', 2], [0x39, 'f64.store', 3],
  [0x3a, 'i32.store8', 0], [0x3b, 'i32.store16', 1], [0x3c, 'i64.store8', 0], [0x3d, 'i64.store16', 1],
  [0x3e, 'i64.store32', 2],
];
for (const [c, n, a] of loads) op(c, n, Imm.MemArg, a);
op(0x3f, 'memory.size', Imm.MemZero);
op(0x40, 'memory.grow', Imm.MemZero);
op(0x41, 'i32.const', Imm.I32);
op(0x42, 'i64.const', Imm.I64);
op(0x43, 'f32.const', Imm.F32);
op(0x44, 'f64.const', Imm.F64);
const plain = [
  'i32.eqz', 'i32.eq', 'i32.ne', 'i32.lt_s', 'i32.lt_u', 'i32.gt_s', 'i32.gt_u', 'i32.le_s', 'i32.le_u', 'i32.ge_s', 'i32.ge_u',
  'i64.eqz', 'i64.eq', 'i64.ne', 'i64.lt_s', 'i64.lt_u', 'i64.gt_s', 'i64.gt_u', 'i64.le_s', 'i64.le_u', 'i64.ge_s', 'i64.ge_u',
  'f32.eq', 'f32.ne', 'f32.lt', 'f32.gt', 'f32.le', 'f32.ge',
  'f64.eq', 'f64.ne', 'f64.lt', 'f64.gt', 'f64.le', 'f64.ge',
  'i32.clz', 'i32.ctz', 'i32.popcnt', 'i32.add', 'i32.sub', 'i32.mul', 'i32.div_s', 'i32.div_u', 'i32.rem_s', 'i32.rem_u',
  'i32.and', 'i32.or', 'i32.xor', 'i32.shl', 'i32.shr_s', 'i32.shr_u', 'i32.rotl', 'i32.rotr',
  'i64.clz', 'i64.ctz', 'i64.popcnt', 'i64.add', 'i64.sub', 'i64.mul', 'i64.div_s', 'i64.div_u', 'i64.rem_s', 'i64.rem_u',
  'i64.and', 'i64.or', 'i64.xor', 'i64.shl', 'i64.shr_s', 'i64.shr_u', 'i64.rotl', 'i64.rotr',
  'f32.abs', 'f32.neg', 'f32.ceil', 'f32.floor', 'f32.trunc', 'f32.nearest', 'f32.sqrt',
  'f32.add', 'f32.sub', 'f32.mul', 'f32.div', 'f32.min', 'f32.max', 'f32.copysign',
  'f64.abs', 'f64.neg', 'f64.ceil', 'f64.floor', 'f64.trunc', 'f64.nearest', 'f64.sqrt',
  'f64.add', 'f64.sub', 'f64.mul', 'f64.div', 'f64.min', 'f64.max', 'f64.copysign',
  'i32.wrap_i64', 'i32.trunc_f32_s', 'i32.trunc_f32_u', 'i32.trunc_f64_s', 'i32.trunc_f64_u',
  'i64.extend_i32_s', 'i64.extend_i32_u', 'i64.trunc_f32_s', 'i64.trunc_f32_u', 'i64.trunc_f64_s', 'i64.trunc_f64_u',
  'f32.convert_i32_s', 'f32.convert_i32_u', 'f32.convert_i64_s', 'f32.convert_i64_u', 'f32.demote_f64',
  'f64.convert_i32_s', 'f64.convert_i32_u', 'f64.convert_i64_s', 'f64.convert_i64_u', 'f64.promote_f32',
  'i32.reinterpret_f32', 'i64.reinterpret_f64', 'f32.reinterpret_i32', 'f64.reinterpret_i64',
  'i32.extend8_s', 'i32.extend16_s', 'i64.extend8_s', 'i64.extend16_s', 'i64.extend32_s',
];
plain.forEach((n, i) => op(0x45 + i, n));
op(0xd0, 'ref.null', Imm.RefType);
op(0xd1, 'ref.is_null');
op(0xd2, 'ref.func', Imm.Func);

const fc = (sub: number): number => (PREFIX_FC << 16) | sub;
const sat = ['i32.trunc_sat_f32_s', 'i32.trunc_sat_f32_u', 'i32.trunc_sat_f64_s', 'i32.trunc_sat_f64_u',
  'i64.trunc_sat_f32_s', 'i64.trunc_sat_f32_u', 'i64.trunc_sat_f64_s', 'i64.trunc_sat_f64_u'];
sat.forEach((n, i) => op(fc(i), n));
op(fc(8), 'memory.init', Imm.MemoryInit);
op(fc(9), 'data.drop', Imm.Data);
op(fc(10), 'memory.copy', Imm.MemoryCopy);
op(fc(11), 'memory.fill', Imm.MemZero);
op(fc(12), 'table.init', Imm.TableInit);
op(fc(13), 'elem.drop', Imm.Elem);
op(fc(14), 'table.copy', Imm.TableCopy);
op(fc(15), 'table.grow', Imm.Table);
op(fc(16), 'table.size', Imm.Table);
op(fc(17), 'table.fill', Imm.Table);

export function opInfo(code: number): OpInfo | undefined {
  return code < 256 ? byByte[code] : byCode.get(code);
}

export function opByName(name: string): OpInfo | undefined {
  return byName.get(name);
}

export const allOps: readonly OpInfo[] = table;
