// The opcode table shared by the decoder, validator/compiler, disassembler and assembler: every
// instruction's text name and the shape of its immediates. Keys: single-byte opcodes are the byte;
// prefixed ones are (prefix << 16) | subopcode, e.g. 0xfc0008 for memory.init.
import type { FeatureName } from '../features';
import { ATOMICS, AtomicKind, PREFIX_FE } from '../isa/threads';

export { PREFIX_FE };

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
  Tag, // tag index (throw, legacy catch)
  TryTable, // block type, vec(catch clause): InstrReader.list holds [kind, tag, label] triples
  HeapType, // a heap type (ref.test, ref.cast): InstrReader.a
  TypeIdx, // a type index (call_ref, struct.new, array.*)
  TypeField, // type index, then a field index / count / data or elem index / second type index
  LabelHeapTypes, // br_on_cast(_fail): flags, label (a), source and target ref types (lo, hi)
  Zero, // one reserved 0x00 byte (atomic.fence)
}

/** try_table catch clause kinds, as encoded. */
export const enum CatchKind {
  Catch = 0,
  CatchRef = 1,
  CatchAll = 2,
  CatchAllRef = 3,
}

export interface OpInfo {
  code: number;
  name: string;
  imm: Imm;
  /** Natural alignment (log2 bytes) of memory accesses, for memarg validation. */
  align?: number;
  /** The proposal the instruction belongs to, when it is one that can be switched off
   * (core/features.ts); the decoder rejects it when that feature is off. */
  feature?: FeatureName;
}

export const PREFIX_FB = 0xfb;
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
// Exception handling: Wasm 3.0's throw/throw_ref/try_table, and the legacy try/catch/catch_all/
// rethrow/delegate that clang and emscripten still emit.
op(0x06, 'try', Imm.Block);
op(0x07, 'catch', Imm.Tag);
op(0x08, 'throw', Imm.Tag);
op(0x09, 'rethrow', Imm.Label);
op(0x0a, 'throw_ref');
op(0x18, 'delegate', Imm.Label);
op(0x19, 'catch_all');
op(0x1f, 'try_table', Imm.TryTable);
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

// SIMD (0xFD prefix): names, immediates and natural alignments; core/interp/simd.ts executes them.
const fd = (sub: number): number => (PREFIX_FD << 16) | sub;
op(fd(0), 'v128.load', Imm.MemArg, 4);
op(fd(1), 'v128.load8x8_s', Imm.MemArg, 3);
op(fd(2), 'v128.load8x8_u', Imm.MemArg, 3);
op(fd(3), 'v128.load16x4_s', Imm.MemArg, 3);
op(fd(4), 'v128.load16x4_u', Imm.MemArg, 3);
op(fd(5), 'v128.load32x2_s', Imm.MemArg, 3);
op(fd(6), 'v128.load32x2_u', Imm.MemArg, 3);
op(fd(7), 'v128.load8_splat', Imm.MemArg, 0);
op(fd(8), 'v128.load16_splat', Imm.MemArg, 1);
op(fd(9), 'v128.load32_splat', Imm.MemArg, 2);
op(fd(10), 'v128.load64_splat', Imm.MemArg, 3);
op(fd(11), 'v128.store', Imm.MemArg, 4);
op(fd(92), 'v128.load32_zero', Imm.MemArg, 2);
op(fd(93), 'v128.load64_zero', Imm.MemArg, 3);
op(fd(12), 'v128.const', Imm.V128);
op(fd(13), 'i8x16.shuffle', Imm.Shuffle);
op(fd(14), 'i8x16.swizzle', Imm.None);
op(fd(15), 'i8x16.splat', Imm.None);
op(fd(16), 'i16x8.splat', Imm.None);
op(fd(17), 'i32x4.splat', Imm.None);
op(fd(18), 'i64x2.splat', Imm.None);
op(fd(19), 'f32x4.splat', Imm.None);
op(fd(20), 'f64x2.splat', Imm.None);
op(fd(21), 'i8x16.extract_lane_s', Imm.Lane);
op(fd(22), 'i8x16.extract_lane_u', Imm.Lane);
op(fd(23), 'i8x16.replace_lane', Imm.Lane);
op(fd(24), 'i16x8.extract_lane_s', Imm.Lane);
op(fd(25), 'i16x8.extract_lane_u', Imm.Lane);
op(fd(26), 'i16x8.replace_lane', Imm.Lane);
op(fd(27), 'i32x4.extract_lane', Imm.Lane);
op(fd(28), 'i32x4.replace_lane', Imm.Lane);
op(fd(29), 'i64x2.extract_lane', Imm.Lane);
op(fd(30), 'i64x2.replace_lane', Imm.Lane);
op(fd(31), 'f32x4.extract_lane', Imm.Lane);
op(fd(32), 'f32x4.replace_lane', Imm.Lane);
op(fd(33), 'f64x2.extract_lane', Imm.Lane);
op(fd(34), 'f64x2.replace_lane', Imm.Lane);
op(fd(35), 'i8x16.eq', Imm.None);
op(fd(36), 'i8x16.ne', Imm.None);
op(fd(37), 'i8x16.lt_s', Imm.None);
op(fd(38), 'i8x16.lt_u', Imm.None);
op(fd(39), 'i8x16.gt_s', Imm.None);
op(fd(40), 'i8x16.gt_u', Imm.None);
op(fd(41), 'i8x16.le_s', Imm.None);
op(fd(42), 'i8x16.le_u', Imm.None);
op(fd(43), 'i8x16.ge_s', Imm.None);
op(fd(44), 'i8x16.ge_u', Imm.None);
op(fd(45), 'i16x8.eq', Imm.None);
op(fd(46), 'i16x8.ne', Imm.None);
op(fd(47), 'i16x8.lt_s', Imm.None);
op(fd(48), 'i16x8.lt_u', Imm.None);
op(fd(49), 'i16x8.gt_s', Imm.None);
op(fd(50), 'i16x8.gt_u', Imm.None);
op(fd(51), 'i16x8.le_s', Imm.None);
op(fd(52), 'i16x8.le_u', Imm.None);
op(fd(53), 'i16x8.ge_s', Imm.None);
op(fd(54), 'i16x8.ge_u', Imm.None);
op(fd(55), 'i32x4.eq', Imm.None);
op(fd(56), 'i32x4.ne', Imm.None);
op(fd(57), 'i32x4.lt_s', Imm.None);
op(fd(58), 'i32x4.lt_u', Imm.None);
op(fd(59), 'i32x4.gt_s', Imm.None);
op(fd(60), 'i32x4.gt_u', Imm.None);
op(fd(61), 'i32x4.le_s', Imm.None);
op(fd(62), 'i32x4.le_u', Imm.None);
op(fd(63), 'i32x4.ge_s', Imm.None);
op(fd(64), 'i32x4.ge_u', Imm.None);
op(fd(65), 'f32x4.eq', Imm.None);
op(fd(66), 'f32x4.ne', Imm.None);
op(fd(67), 'f32x4.lt', Imm.None);
op(fd(68), 'f32x4.gt', Imm.None);
op(fd(69), 'f32x4.le', Imm.None);
op(fd(70), 'f32x4.ge', Imm.None);
op(fd(71), 'f64x2.eq', Imm.None);
op(fd(72), 'f64x2.ne', Imm.None);
op(fd(73), 'f64x2.lt', Imm.None);
op(fd(74), 'f64x2.gt', Imm.None);
op(fd(75), 'f64x2.le', Imm.None);
op(fd(76), 'f64x2.ge', Imm.None);
op(fd(77), 'v128.not', Imm.None);
op(fd(78), 'v128.and', Imm.None);
op(fd(79), 'v128.andnot', Imm.None);
op(fd(80), 'v128.or', Imm.None);
op(fd(81), 'v128.xor', Imm.None);
op(fd(82), 'v128.bitselect', Imm.None);
op(fd(83), 'v128.any_true', Imm.None);
op(fd(84), 'v128.load8_lane', Imm.MemArgLane, 0);
op(fd(85), 'v128.load16_lane', Imm.MemArgLane, 1);
op(fd(86), 'v128.load32_lane', Imm.MemArgLane, 2);
op(fd(87), 'v128.load64_lane', Imm.MemArgLane, 3);
op(fd(88), 'v128.store8_lane', Imm.MemArgLane, 0);
op(fd(89), 'v128.store16_lane', Imm.MemArgLane, 1);
op(fd(90), 'v128.store32_lane', Imm.MemArgLane, 2);
op(fd(91), 'v128.store64_lane', Imm.MemArgLane, 3);
op(fd(94), 'f32x4.demote_f64x2_zero', Imm.None);
op(fd(95), 'f64x2.promote_low_f32x4', Imm.None);
op(fd(96), 'i8x16.abs', Imm.None);
op(fd(97), 'i8x16.neg', Imm.None);
op(fd(98), 'i8x16.popcnt', Imm.None);
op(fd(99), 'i8x16.all_true', Imm.None);
op(fd(100), 'i8x16.bitmask', Imm.None);
op(fd(101), 'i8x16.narrow_i16x8_s', Imm.None);
op(fd(102), 'i8x16.narrow_i16x8_u', Imm.None);
op(fd(103), 'f32x4.ceil', Imm.None);
op(fd(104), 'f32x4.floor', Imm.None);
op(fd(105), 'f32x4.trunc', Imm.None);
op(fd(106), 'f32x4.nearest', Imm.None);
op(fd(107), 'i8x16.shl', Imm.None);
op(fd(108), 'i8x16.shr_s', Imm.None);
op(fd(109), 'i8x16.shr_u', Imm.None);
op(fd(110), 'i8x16.add', Imm.None);
op(fd(111), 'i8x16.add_sat_s', Imm.None);
op(fd(112), 'i8x16.add_sat_u', Imm.None);
op(fd(113), 'i8x16.sub', Imm.None);
op(fd(114), 'i8x16.sub_sat_s', Imm.None);
op(fd(115), 'i8x16.sub_sat_u', Imm.None);
op(fd(116), 'f64x2.ceil', Imm.None);
op(fd(117), 'f64x2.floor', Imm.None);
op(fd(118), 'i8x16.min_s', Imm.None);
op(fd(119), 'i8x16.min_u', Imm.None);
op(fd(120), 'i8x16.max_s', Imm.None);
op(fd(121), 'i8x16.max_u', Imm.None);
op(fd(122), 'f64x2.trunc', Imm.None);
op(fd(123), 'i8x16.avgr_u', Imm.None);
op(fd(124), 'i16x8.extadd_pairwise_i8x16_s', Imm.None);
op(fd(125), 'i16x8.extadd_pairwise_i8x16_u', Imm.None);
op(fd(126), 'i32x4.extadd_pairwise_i16x8_s', Imm.None);
op(fd(127), 'i32x4.extadd_pairwise_i16x8_u', Imm.None);
op(fd(128), 'i16x8.abs', Imm.None);
op(fd(129), 'i16x8.neg', Imm.None);
op(fd(130), 'i16x8.q15mulr_sat_s', Imm.None);
op(fd(131), 'i16x8.all_true', Imm.None);
op(fd(132), 'i16x8.bitmask', Imm.None);
op(fd(133), 'i16x8.narrow_i32x4_s', Imm.None);
op(fd(134), 'i16x8.narrow_i32x4_u', Imm.None);
op(fd(135), 'i16x8.extend_low_i8x16_s', Imm.None);
op(fd(136), 'i16x8.extend_high_i8x16_s', Imm.None);
op(fd(137), 'i16x8.extend_low_i8x16_u', Imm.None);
op(fd(138), 'i16x8.extend_high_i8x16_u', Imm.None);
op(fd(139), 'i16x8.shl', Imm.None);
op(fd(140), 'i16x8.shr_s', Imm.None);
op(fd(141), 'i16x8.shr_u', Imm.None);
op(fd(142), 'i16x8.add', Imm.None);
op(fd(143), 'i16x8.add_sat_s', Imm.None);
op(fd(144), 'i16x8.add_sat_u', Imm.None);
op(fd(145), 'i16x8.sub', Imm.None);
op(fd(146), 'i16x8.sub_sat_s', Imm.None);
op(fd(147), 'i16x8.sub_sat_u', Imm.None);
op(fd(148), 'f64x2.nearest', Imm.None);
op(fd(149), 'i16x8.mul', Imm.None);
op(fd(150), 'i16x8.min_s', Imm.None);
op(fd(151), 'i16x8.min_u', Imm.None);
op(fd(152), 'i16x8.max_s', Imm.None);
op(fd(153), 'i16x8.max_u', Imm.None);
op(fd(155), 'i16x8.avgr_u', Imm.None);
op(fd(156), 'i16x8.extmul_low_i8x16_s', Imm.None);
op(fd(157), 'i16x8.extmul_high_i8x16_s', Imm.None);
op(fd(158), 'i16x8.extmul_low_i8x16_u', Imm.None);
op(fd(159), 'i16x8.extmul_high_i8x16_u', Imm.None);
op(fd(160), 'i32x4.abs', Imm.None);
op(fd(161), 'i32x4.neg', Imm.None);
op(fd(163), 'i32x4.all_true', Imm.None);
op(fd(164), 'i32x4.bitmask', Imm.None);
op(fd(167), 'i32x4.extend_low_i16x8_s', Imm.None);
op(fd(168), 'i32x4.extend_high_i16x8_s', Imm.None);
op(fd(169), 'i32x4.extend_low_i16x8_u', Imm.None);
op(fd(170), 'i32x4.extend_high_i16x8_u', Imm.None);
op(fd(171), 'i32x4.shl', Imm.None);
op(fd(172), 'i32x4.shr_s', Imm.None);
op(fd(173), 'i32x4.shr_u', Imm.None);
op(fd(174), 'i32x4.add', Imm.None);
op(fd(177), 'i32x4.sub', Imm.None);
op(fd(181), 'i32x4.mul', Imm.None);
op(fd(182), 'i32x4.min_s', Imm.None);
op(fd(183), 'i32x4.min_u', Imm.None);
op(fd(184), 'i32x4.max_s', Imm.None);
op(fd(185), 'i32x4.max_u', Imm.None);
op(fd(186), 'i32x4.dot_i16x8_s', Imm.None);
op(fd(188), 'i32x4.extmul_low_i16x8_s', Imm.None);
op(fd(189), 'i32x4.extmul_high_i16x8_s', Imm.None);
op(fd(190), 'i32x4.extmul_low_i16x8_u', Imm.None);
op(fd(191), 'i32x4.extmul_high_i16x8_u', Imm.None);
op(fd(192), 'i64x2.abs', Imm.None);
op(fd(193), 'i64x2.neg', Imm.None);
op(fd(195), 'i64x2.all_true', Imm.None);
op(fd(196), 'i64x2.bitmask', Imm.None);
op(fd(199), 'i64x2.extend_low_i32x4_s', Imm.None);
op(fd(200), 'i64x2.extend_high_i32x4_s', Imm.None);
op(fd(201), 'i64x2.extend_low_i32x4_u', Imm.None);
op(fd(202), 'i64x2.extend_high_i32x4_u', Imm.None);
op(fd(203), 'i64x2.shl', Imm.None);
op(fd(204), 'i64x2.shr_s', Imm.None);
op(fd(205), 'i64x2.shr_u', Imm.None);
op(fd(206), 'i64x2.add', Imm.None);
op(fd(209), 'i64x2.sub', Imm.None);
op(fd(213), 'i64x2.mul', Imm.None);
op(fd(214), 'i64x2.eq', Imm.None);
op(fd(215), 'i64x2.ne', Imm.None);
op(fd(216), 'i64x2.lt_s', Imm.None);
op(fd(217), 'i64x2.gt_s', Imm.None);
op(fd(218), 'i64x2.le_s', Imm.None);
op(fd(219), 'i64x2.ge_s', Imm.None);
op(fd(220), 'i64x2.extmul_low_i32x4_s', Imm.None);
op(fd(221), 'i64x2.extmul_high_i32x4_s', Imm.None);
op(fd(222), 'i64x2.extmul_low_i32x4_u', Imm.None);
op(fd(223), 'i64x2.extmul_high_i32x4_u', Imm.None);
op(fd(224), 'f32x4.abs', Imm.None);
op(fd(225), 'f32x4.neg', Imm.None);
op(fd(227), 'f32x4.sqrt', Imm.None);
op(fd(228), 'f32x4.add', Imm.None);
op(fd(229), 'f32x4.sub', Imm.None);
op(fd(230), 'f32x4.mul', Imm.None);
op(fd(231), 'f32x4.div', Imm.None);
op(fd(232), 'f32x4.min', Imm.None);
op(fd(233), 'f32x4.max', Imm.None);
op(fd(234), 'f32x4.pmin', Imm.None);
op(fd(235), 'f32x4.pmax', Imm.None);
op(fd(236), 'f64x2.abs', Imm.None);
op(fd(237), 'f64x2.neg', Imm.None);
op(fd(239), 'f64x2.sqrt', Imm.None);
op(fd(240), 'f64x2.add', Imm.None);
op(fd(241), 'f64x2.sub', Imm.None);
op(fd(242), 'f64x2.mul', Imm.None);
op(fd(243), 'f64x2.div', Imm.None);
op(fd(244), 'f64x2.min', Imm.None);
op(fd(245), 'f64x2.max', Imm.None);
op(fd(246), 'f64x2.pmin', Imm.None);
op(fd(247), 'f64x2.pmax', Imm.None);
op(fd(248), 'i32x4.trunc_sat_f32x4_s', Imm.None);
op(fd(249), 'i32x4.trunc_sat_f32x4_u', Imm.None);
op(fd(250), 'f32x4.convert_i32x4_s', Imm.None);
op(fd(251), 'f32x4.convert_i32x4_u', Imm.None);
op(fd(252), 'i32x4.trunc_sat_f64x2_s_zero', Imm.None);
op(fd(253), 'i32x4.trunc_sat_f64x2_u_zero', Imm.None);
op(fd(254), 'f64x2.convert_low_i32x4_s', Imm.None);
op(fd(255), 'f64x2.convert_low_i32x4_u', Imm.None);

// Wasm 3.0: tail calls. The machine runs them in place of the caller's frame (machine.ts DO_TAIL_CALL).
op(0x12, 'return_call', Imm.Func);
op(0x13, 'return_call_indirect', Imm.CallIndirect);

// Wasm 3.0: relaxed SIMD (0xFD 0x100–0x113); simd.ts gives each one deterministic behaviour.
const relaxed = [
  'i8x16.relaxed_swizzle', 'i32x4.relaxed_trunc_f32x4_s', 'i32x4.relaxed_trunc_f32x4_u',
  'i32x4.relaxed_trunc_f64x2_s_zero', 'i32x4.relaxed_trunc_f64x2_u_zero', 'f32x4.relaxed_madd', 'f32x4.relaxed_nmadd',
  'f64x2.relaxed_madd', 'f64x2.relaxed_nmadd', 'i8x16.relaxed_laneselect', 'i16x8.relaxed_laneselect',
  'i32x4.relaxed_laneselect', 'i64x2.relaxed_laneselect', 'f32x4.relaxed_min', 'f32x4.relaxed_max', 'f64x2.relaxed_min',
  'f64x2.relaxed_max', 'i16x8.relaxed_q15mulr_s', 'i16x8.relaxed_dot_i8x16_i7x16_s', 'i32x4.relaxed_dot_i8x16_i7x16_add_s',
];
relaxed.forEach((n, i) => op(fd(0x100 + i), n));

// Wasm 3.0: typed function references.
op(0x14, 'call_ref', Imm.TypeIdx);
op(0x15, 'return_call_ref', Imm.TypeIdx);
op(0xd3, 'ref.eq');
op(0xd4, 'ref.as_non_null');
op(0xd5, 'br_on_null', Imm.Label);
op(0xd6, 'br_on_non_null', Imm.Label);

// Wasm 3.0: GC (0xFB prefix).
const fb = (sub: number): number => (PREFIX_FB << 16) | sub;
const gcOps: [number, string, Imm][] = [
  [0, 'struct.new', Imm.TypeIdx], [1, 'struct.new_default', Imm.TypeIdx], [2, 'struct.get', Imm.TypeField],
  [3, 'struct.get_s', Imm.TypeField], [4, 'struct.get_u', Imm.TypeField], [5, 'struct.set', Imm.TypeField],
  [6, 'array.new', Imm.TypeIdx], [7, 'array.new_default', Imm.TypeIdx], [8, 'array.new_fixed', Imm.TypeField],
  [9, 'array.new_data', Imm.TypeField], [10, 'array.new_elem', Imm.TypeField], [11, 'array.get', Imm.TypeIdx],
  [12, 'array.get_s', Imm.TypeIdx], [13, 'array.get_u', Imm.TypeIdx], [14, 'array.set', Imm.TypeIdx], [15, 'array.len', Imm.None],
  [16, 'array.fill', Imm.TypeIdx], [17, 'array.copy', Imm.TypeField], [18, 'array.init_data', Imm.TypeField],
  [19, 'array.init_elem', Imm.TypeField], [20, 'ref.test', Imm.HeapType], [21, 'ref.test', Imm.HeapType],
  [22, 'ref.cast', Imm.HeapType], [23, 'ref.cast', Imm.HeapType], [24, 'br_on_cast', Imm.LabelHeapTypes],
  [25, 'br_on_cast_fail', Imm.LabelHeapTypes], [26, 'any.convert_extern', Imm.None], [27, 'extern.convert_any', Imm.None],
  [28, 'ref.i31', Imm.None], [29, 'i31.get_s', Imm.None], [30, 'i31.get_u', Imm.None],
];
for (const [sub, name, imm] of gcOps) op(fb(sub), name, imm);
// The text names ref.test/ref.cast take the non-null opcode; `null` in the immediate picks the other.
byName.set('ref.test', byCode.get(fb(20))!);
byName.set('ref.cast', byCode.get(fb(22))!);

// Threads (0xFE prefix): the atomic instructions of core/isa/threads.ts.
const fe = (sub: number): number => (PREFIX_FE << 16) | sub;
for (const a of ATOMICS) op(fe(a.sub), a.name, a.kind === AtomicKind.Fence ? Imm.Zero : Imm.MemArg, a.kind === AtomicKind.Fence ? undefined : a.align);

/** Marks the instructions of a proposal that can be switched off. */
function tag(feature: FeatureName, test: (info: OpInfo) => boolean): void {
  for (const info of table) if (info.feature === undefined && test(info)) info.feature = feature;
}
tag('threads', (i) => i.code >>> 16 === PREFIX_FE);
tag('relaxedSimd', (i) => i.code >= fd(0x100) && i.code <= fd(0x1ff));
tag('simd', (i) => i.code >>> 16 === PREFIX_FD);
tag('satFloatToInt', (i) => i.code >= fc(0) && i.code <= fc(7));
tag('bulkMemory', (i) => i.code >= fc(8) && i.code <= fc(14));
tag('referenceTypes', (i) => (i.code >= fc(15) && i.code <= fc(17)) || i.code === 0x25 || i.code === 0x26 || i.code === 0x1c
  || (i.code >= 0xd0 && i.code <= 0xd2));
tag('signExtension', (i) => i.code >= 0xc0 && i.code <= 0xc4);
tag('tailCall', (i) => i.code === 0x12 || i.code === 0x13);
tag('gc', (i) => i.code >>> 16 === PREFIX_FB || i.code === 0xd3);
tag('functionReferences', (i) => i.code === 0x14 || i.code === 0x15 || (i.code >= 0xd4 && i.code <= 0xd6));
tag('exceptions', (i) => (i.code >= 0x06 && i.code <= 0x0a) || i.code === 0x18 || i.code === 0x19 || i.code === 0x1f);

export function opInfo(code: number): OpInfo | undefined {
  return code < 256 ? byByte[code] : byCode.get(code);
}

export function opByName(name: string): OpInfo | undefined {
  return byName.get(name);
}

export const allOps: readonly OpInfo[] = table;
