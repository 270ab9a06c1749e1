// The text-format instruction table: mnemonic → opcode bytes and immediate shape (Wasm 2.0, SIMD
// included). The assembler encodes from it; the language server lists and describes from it.

export type ImmKind =
  | 'none'
  | 'block' // block, loop, if: label? blocktype
  | 'label' // br, br_if
  | 'br_table'
  | 'func' // call, ref.func
  | 'call_indirect' // table? typeuse
  | 'local'
  | 'global'
  | 'table' // table.get/set/size/grow/fill: table? (default 0)
  | 'table.init' // table? elem
  | 'table.copy' // (table table)?
  | 'elem' // elem.drop
  | 'data' // data.drop
  | 'memory' // memory.size/grow/fill: memory? (encoded as a 0x00 byte)
  | 'memory.init' // memory? data
  | 'memory.copy' // (memory memory)?
  | 'memarg'
  | 'i32'
  | 'i64'
  | 'f32'
  | 'f64'
  | 'v128'
  | 'shuffle'
  | 'lane'
  | 'memarg_lane'
  | 'select'
  | 'heaptype'
  | 'else' // else / end: optional label repeating the block's
  | 'end';

export interface InstrInfo {
  readonly name: string;
  /** Encoded opcode: a single byte, or a prefix byte (0xFC / 0xFD) followed by a LEB128 u32. */
  readonly code: number;
  readonly prefix: 0 | 0xfc | 0xfd;
  readonly imm: ImmKind;
  /** Natural alignment in bytes for memory instructions. */
  readonly align?: number;
  /** Number of lanes for lane instructions. */
  readonly lanes?: number;
}

const table = new Map<string, InstrInfo>();

function def(name: string, code: number, imm: ImmKind = 'none', prefix: 0 | 0xfc | 0xfd = 0, extra: { align?: number; lanes?: number } = {}): void {
  table.set(name, { name, code, prefix, imm, ...extra });
}

def('unreachable', 0x00);
def('nop', 0x01);
def('block', 0x02, 'block');
def('loop', 0x03, 'block');
def('if', 0x04, 'block');
def('else', 0x05, 'else');
def('end', 0x0b, 'end');
def('br', 0x0c, 'label');
def('br_if', 0x0d, 'label');
def('br_table', 0x0e, 'br_table');
def('return', 0x0f);
def('call', 0x10, 'func');
def('call_indirect', 0x11, 'call_indirect');
def('drop', 0x1a);
def('select', 0x1b, 'select'); // 0x1c when typed
def('local.get', 0x20, 'local');
def('local.set', 0x21, 'local');
def('local.tee', 0x22, 'local');
def('global.get', 0x23, 'global');
def('global.set', 0x24, 'global');
def('table.get', 0x25, 'table');
def('table.set', 0x26, 'table');

const loads: [string, number, number][] = [
  ['i32.load', 0x28, 4], ['i64.load', 0x29, 8], ['f32.load', 0x2a, 4], ['f64.load', 0x2b, 8],
  ['i32.load8_s', 0x2c, 1], ['i32.load8_u', 0x2d, 1], ['i32.load16_s', 0x2e, 2], ['i32.load16_u', 0x2f, 2],
  ['i64.load8_s', 0x30, 1], ['i64.load8_u', 0x31, 1], ['i64.load16_s', 0x32, 2], ['i64.load16_u', 0x33, 2],
  ['i64.load32_s', 0x34, 4], ['i64.load32_u', 0x35, 4],
  ['i32.store', 0x36, 4], ['i64.store', 0x37, 8], ['f32.store', 0x38, 4], ['f64.store', 0x39, 8],
  ['i32.store8', 0x3a, 1], ['i32.store16', 0x3b, 2], ['i64.store8', 0x3c, 1], ['i64.store16', 0x3d, 2], ['i64.store32', 0x3e, 4],
];
for (const [n, c, a] of loads) def(n, c, 'memarg', 0, { align: a });
def('memory.size', 0x3f, 'memory');
def('memory.grow', 0x40, 'memory');
def('i32.const', 0x41, 'i32');
def('i64.const', 0x42, 'i64');
def('f32.const', 0x43, 'f32');
def('f64.const', 0x44, 'f64');

function seq(start: number, names: string[], prefix: 0 | 0xfc | 0xfd = 0): void {
  names.forEach((n, i) => {
    if (n) def(n, start + i, 'none', prefix);
  });
}
const icmp = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];
const fcmp = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'];
const ibin = ['clz', 'ctz', 'popcnt', 'add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'];
const fbin = ['abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt', 'add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'];
seq(0x45, ['i32.eqz', ...icmp.map((x) => 'i32.' + x)]);
seq(0x50, ['i64.eqz', ...icmp.map((x) => 'i64.' + x)]);
seq(0x5b, fcmp.map((x) => 'f32.' + x));
seq(0x61, fcmp.map((x) => 'f64.' + x));
seq(0x67, ibin.map((x) => 'i32.' + x));
seq(0x79, ibin.map((x) => 'i64.' + x));
seq(0x8b, fbin.map((x) => 'f32.' + x));
seq(0x99, fbin.map((x) => 'f64.' + x));
seq(0xa7, [
  'i32.wrap_i64', 'i32.trunc_f32_s', 'i32.trunc_f32_u', 'i32.trunc_f64_s', 'i32.trunc_f64_u',
  'i64.extend_i32_s', 'i64.extend_i32_u', 'i64.trunc_f32_s', 'i64.trunc_f32_u', 'i64.trunc_f64_s', 'i64.trunc_f64_u',
  'f32.convert_i32_s', 'f32.convert_i32_u', 'f32.convert_i64_s', 'f32.convert_i64_u', 'f32.demote_f64',
  'f64.convert_i32_s', 'f64.convert_i32_u', 'f64.convert_i64_s', 'f64.convert_i64_u', 'f64.promote_f32',
  'i32.reinterpret_f32', 'i64.reinterpret_f64', 'f32.reinterpret_i32', 'f64.reinterpret_i64',
  'i32.extend8_s', 'i32.extend16_s', 'i64.extend8_s', 'i64.extend16_s', 'i64.extend32_s',
]);
def('ref.null', 0xd0, 'heaptype');
def('ref.is_null', 0xd1);
def('ref.func', 0xd2, 'func');

seq(0, [
  'i32.trunc_sat_f32_s', 'i32.trunc_sat_f32_u', 'i32.trunc_sat_f64_s', 'i32.trunc_sat_f64_u',
  'i64.trunc_sat_f32_s', 'i64.trunc_sat_f32_u', 'i64.trunc_sat_f64_s', 'i64.trunc_sat_f64_u',
], 0xfc);
def('memory.init', 8, 'memory.init', 0xfc);
def('data.drop', 9, 'data', 0xfc);
def('memory.copy', 10, 'memory.copy', 0xfc);
def('memory.fill', 11, 'memory', 0xfc);
def('table.init', 12, 'table.init', 0xfc);
def('elem.drop', 13, 'elem', 0xfc);
def('table.copy', 14, 'table.copy', 0xfc);
def('table.grow', 15, 'table', 0xfc);
def('table.size', 16, 'table', 0xfc);
def('table.fill', 17, 'table', 0xfc);

// SIMD (0xFD prefix)
const simdMem: [string, number, number][] = [
  ['v128.load', 0, 16], ['v128.load8x8_s', 1, 8], ['v128.load8x8_u', 2, 8], ['v128.load16x4_s', 3, 8],
  ['v128.load16x4_u', 4, 8], ['v128.load32x2_s', 5, 8], ['v128.load32x2_u', 6, 8], ['v128.load8_splat', 7, 1],
  ['v128.load16_splat', 8, 2], ['v128.load32_splat', 9, 4], ['v128.load64_splat', 10, 8], ['v128.store', 11, 16],
  ['v128.load32_zero', 92, 4], ['v128.load64_zero', 93, 8],
];
for (const [n, c, a] of simdMem) def(n, c, 'memarg', 0xfd, { align: a });
def('v128.const', 12, 'v128', 0xfd);
def('i8x16.shuffle', 13, 'shuffle', 0xfd);
seq(14, ['i8x16.swizzle', 'i8x16.splat', 'i16x8.splat', 'i32x4.splat', 'i64x2.splat', 'f32x4.splat', 'f64x2.splat'], 0xfd);
const laneOps: [string, number, number][] = [
  ['i8x16.extract_lane_s', 21, 16], ['i8x16.extract_lane_u', 22, 16], ['i8x16.replace_lane', 23, 16],
  ['i16x8.extract_lane_s', 24, 8], ['i16x8.extract_lane_u', 25, 8], ['i16x8.replace_lane', 26, 8],
  ['i32x4.extract_lane', 27, 4], ['i32x4.replace_lane', 28, 4], ['i64x2.extract_lane', 29, 2], ['i64x2.replace_lane', 30, 2],
  ['f32x4.extract_lane', 31, 4], ['f32x4.replace_lane', 32, 4], ['f64x2.extract_lane', 33, 2], ['f64x2.replace_lane', 34, 2],
];
for (const [n, c, l] of laneOps) def(n, c, 'lane', 0xfd, { lanes: l });
seq(35, icmp.map((x) => 'i8x16.' + x), 0xfd);
seq(45, icmp.map((x) => 'i16x8.' + x), 0xfd);
seq(55, icmp.map((x) => 'i32x4.' + x), 0xfd);
seq(65, fcmp.map((x) => 'f32x4.' + x), 0xfd);
seq(71, fcmp.map((x) => 'f64x2.' + x), 0xfd);
seq(77, ['v128.not', 'v128.and', 'v128.andnot', 'v128.or', 'v128.xor', 'v128.bitselect', 'v128.any_true'], 0xfd);
const laneMem: [string, number, number, number][] = [
  ['v128.load8_lane', 84, 1, 16], ['v128.load16_lane', 85, 2, 8], ['v128.load32_lane', 86, 4, 4], ['v128.load64_lane', 87, 8, 2],
  ['v128.store8_lane', 88, 1, 16], ['v128.store16_lane', 89, 2, 8], ['v128.store32_lane', 90, 4, 4], ['v128.store64_lane', 91, 8, 2],
];
for (const [n, c, a, l] of laneMem) def(n, c, 'memarg_lane', 0xfd, { align: a, lanes: l });
seq(94, ['f32x4.demote_f64x2_zero', 'f64x2.promote_low_f32x4'], 0xfd);
seq(96, [
  'i8x16.abs', 'i8x16.neg', 'i8x16.popcnt', 'i8x16.all_true', 'i8x16.bitmask', 'i8x16.narrow_i16x8_s', 'i8x16.narrow_i16x8_u',
  'f32x4.ceil', 'f32x4.floor', 'f32x4.trunc', 'f32x4.nearest', 'i8x16.shl', 'i8x16.shr_s', 'i8x16.shr_u',
  'i8x16.add', 'i8x16.add_sat_s', 'i8x16.add_sat_u', 'i8x16.sub', 'i8x16.sub_sat_s', 'i8x16.sub_sat_u',
  'f64x2.ceil', 'f64x2.floor', 'i8x16.min_s', 'i8x16.min_u', 'i8x16.max_s', 'i8x16.max_u', 'f64x2.trunc', 'i8x16.avgr_u',
  'i16x8.extadd_pairwise_i8x16_s', 'i16x8.extadd_pairwise_i8x16_u', 'i32x4.extadd_pairwise_i16x8_s', 'i32x4.extadd_pairwise_i16x8_u',
  // 128
  'i16x8.abs', 'i16x8.neg', 'i16x8.q15mulr_sat_s', 'i16x8.all_true', 'i16x8.bitmask', 'i16x8.narrow_i32x4_s', 'i16x8.narrow_i32x4_u',
  'i16x8.extend_low_i8x16_s', 'i16x8.extend_high_i8x16_s', 'i16x8.extend_low_i8x16_u', 'i16x8.extend_high_i8x16_u',
  'i16x8.shl', 'i16x8.shr_s', 'i16x8.shr_u', 'i16x8.add', 'i16x8.add_sat_s', 'i16x8.add_sat_u',
  'i16x8.sub', 'i16x8.sub_sat_s', 'i16x8.sub_sat_u', 'f64x2.nearest', 'i16x8.mul', 'i16x8.min_s', 'i16x8.min_u',
  'i16x8.max_s', 'i16x8.max_u', '', 'i16x8.avgr_u',
  'i16x8.extmul_low_i8x16_s', 'i16x8.extmul_high_i8x16_s', 'i16x8.extmul_low_i8x16_u', 'i16x8.extmul_high_i8x16_u',
  // 160
  'i32x4.abs', 'i32x4.neg', '', 'i32x4.all_true', 'i32x4.bitmask', '', '',
  'i32x4.extend_low_i16x8_s', 'i32x4.extend_high_i16x8_s', 'i32x4.extend_low_i16x8_u', 'i32x4.extend_high_i16x8_u',
  'i32x4.shl', 'i32x4.shr_s', 'i32x4.shr_u', 'i32x4.add', '', '', 'i32x4.sub', '', '', '', 'i32x4.mul',
  'i32x4.min_s', 'i32x4.min_u', 'i32x4.max_s', 'i32x4.max_u', 'i32x4.dot_i16x8_s', '',
  'i32x4.extmul_low_i16x8_s', 'i32x4.extmul_high_i16x8_s', 'i32x4.extmul_low_i16x8_u', 'i32x4.extmul_high_i16x8_u',
  // 192
  'i64x2.abs', 'i64x2.neg', '', 'i64x2.all_true', 'i64x2.bitmask', '', '',
  'i64x2.extend_low_i32x4_s', 'i64x2.extend_high_i32x4_s', 'i64x2.extend_low_i32x4_u', 'i64x2.extend_high_i32x4_u',
  'i64x2.shl', 'i64x2.shr_s', 'i64x2.shr_u', 'i64x2.add', '', '', 'i64x2.sub', '', '', '', 'i64x2.mul',
  'i64x2.eq', 'i64x2.ne', 'i64x2.lt_s', 'i64x2.gt_s', 'i64x2.le_s', 'i64x2.ge_s',
  'i64x2.extmul_low_i32x4_s', 'i64x2.extmul_high_i32x4_s', 'i64x2.extmul_low_i32x4_u', 'i64x2.extmul_high_i32x4_u',
  // 224
  'f32x4.abs', 'f32x4.neg', '', 'f32x4.sqrt', 'f32x4.add', 'f32x4.sub', 'f32x4.mul', 'f32x4.div',
  'f32x4.min', 'f32x4.max', 'f32x4.pmin', 'f32x4.pmax',
  'f64x2.abs', 'f64x2.neg', '', 'f64x2.sqrt', 'f64x2.add', 'f64x2.sub', 'f64x2.mul', 'f64x2.div',
  'f64x2.min', 'f64x2.max', 'f64x2.pmin', 'f64x2.pmax',
  'i32x4.trunc_sat_f32x4_s', 'i32x4.trunc_sat_f32x4_u', 'f32x4.convert_i32x4_s', 'f32x4.convert_i32x4_u',
  'i32x4.trunc_sat_f64x2_s_zero', 'i32x4.trunc_sat_f64x2_u_zero', 'f64x2.convert_low_i32x4_s', 'f64x2.convert_low_i32x4_u',
], 0xfd);

/** The instruction named `name`, or undefined when the text format has no such instruction. */
export function instrInfo(name: string): InstrInfo | undefined {
  return table.get(name);
}

/** Every instruction, in table order (for completion lists). */
export function allInstructions(): readonly InstrInfo[] {
  return [...table.values()];
}
