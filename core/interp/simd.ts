// Execution of the 0xFD (SIMD) instructions, kept out of the machine's main dispatch function so
// that one stays small enough for V8 to optimise (see machine.ts). Reached through Op.SIMD.
import { Trap } from '../errors';
import { Imm, allOps } from '../binary/opcodes';
import { nearest, popcnt32, truncSatI32 } from './numerics';
import { fmaF32, fmaF64 } from './fma';
import type { GlobalInstance, MemoryInstance } from './runtime';

/** Internal sub-opcodes beyond the 0xFD space in use (relaxed SIMD ends at 0x113): global.get/set
 * of a v128 global (4 words). */
export const SIMD_GLOBAL_GET = 0x200;
export const SIMD_GLOBAL_SET = 0x201;

/** Code words an Op.SIMD instruction takes after its opcode (the sub-opcode and its immediates). */
export const SIMD_WIDTH = new Uint8Array(0x202).fill(1);
for (const info of allOps) {
  if (info.code >>> 16 !== 0xfd) continue;
  const w = info.imm === Imm.MemArg || info.imm === Imm.Lane ? 2 : info.imm === Imm.MemArgLane ? 3
    : info.imm === Imm.V128 || info.imm === Imm.Shuffle ? 5 : 1;
  SIMD_WIDTH[info.code & 0xffff] = w;
}
SIMD_WIDTH[SIMD_GLOBAL_GET] = 2;
SIMD_WIDTH[SIMD_GLOBAL_SET] = 2;

// Lane views over the machine's value stack, rebuilt when the stack buffer is replaced. Raw bits
// move through the integer views; the float views are only used where a float is computed.
let buf: ArrayBufferLike | null = null;
let I8!: Int8Array;
let U8!: Uint8Array;
let I16!: Int16Array;
let U16!: Uint16Array;
let I32!: Int32Array;
let U32!: Uint32Array;
let F32!: Float32Array;
let F64!: Float64Array;
let I64!: BigInt64Array;
let U64!: BigUint64Array;

function setViews(b: ArrayBufferLike): void {
  buf = b;
  I8 = new Int8Array(b);
  U8 = new Uint8Array(b);
  I16 = new Int16Array(b);
  U16 = new Uint16Array(b);
  I32 = new Int32Array(b);
  U32 = new Uint32Array(b);
  F32 = new Float32Array(b);
  F64 = new Float64Array(b);
  I64 = new BigInt64Array(b);
  U64 = new BigUint64Array(b);
}

// A 16-byte scratch for lane operations whose result lanes overlap other input lanes.
const T = new ArrayBuffer(16);
const tI8 = new Int8Array(T);
const tI16 = new Int16Array(T);
const tI32 = new Int32Array(T);
const tI64 = new BigInt64Array(T);

/** Copies the scratch into the v128 at word `w`. */
function fromScratch(w: number): void {
  I32[w] = tI32[0]!; I32[w + 1] = tI32[1]!; I32[w + 2] = tI32[2]!; I32[w + 3] = tI32[3]!;
}

/** The effective address of an `n`-byte access, or the out-of-bounds trap. */
function ea(mem: MemoryInstance, base: number, offset: number, n: number): number {
  const a = (base >>> 0) + (offset >>> 0);
  if (a + n > mem.u8.length) throw new Trap('out of bounds memory access');
  return a;
}

/** Lane comparison: kind 0 eq, 1 ne, 2 lt, 3 gt, 4 le, 5 ge; the result lane is all ones or zero. */
function compare(kind: number, x: number, y: number): boolean {
  switch (kind) {
    case 0: return x === y;
    case 1: return x !== y;
    case 2: return x < y;
    case 3: return x > y;
    case 4: return x <= y;
    default: return x >= y;
  }
}

function compareLanes(
  view: Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array,
  out: Int8Array | Int16Array | Int32Array, per: number, a: number, b: number, n: number, kind: number,
): void {
  const ai = a * per, bi = b * per;
  for (let i = 0; i < n; i++) out[ai + i] = compare(kind, view[ai + i]!, view[bi + i]!) ? -1 : 0;
}

/** Kind and signedness of the integer comparisons laid out eq, ne, lt_s, lt_u, gt_s, gt_u, ... */
function intCompare(r: number): [number, boolean] {
  return r < 2 ? [r, true] : [2 + ((r - 2) >> 1), (r & 1) === 0];
}

/** Math.ceil/floor/trunc hand a signalling NaN back unchanged; Wasm wants it quiet (arithmetic). */
const quiet = (x: number): number => (x !== x ? NaN : x);

const sat = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/** x86 cvttps2dq / cvttpd2dq: NaN and values outside i32 give INT32_MIN ("integer indefinite"). */
const truncX86 = (x: number): number => (x > -2147483649 && x < 2147483648 ? Math.trunc(x) | 0 : -0x80000000);

/** pmaddubsw on one pair: a's two bytes signed times b's two bytes unsigned, summed with signed
 * saturation to i16 (byte offsets into the stack). */
function dotPair(x: number, y: number): number {
  return sat(I8[x]! * U8[y]! + I8[x + 1]! * U8[y + 1]!, -32768, 32767);
}

/**
 * Executes the SIMD instruction whose sub-opcode is at `code[pc]` (immediates follow it) on the
 * value stack `i32` with top `sp` (in words); returns the new `sp`. Traps throw.
 */
export function execSimd(code: Int32Array, pc: number, sp: number, i32: Int32Array, mem: MemoryInstance, globals: GlobalInstance[]): number {
  if (i32.buffer !== buf) setViews(i32.buffer);
  const sub = code[pc]!;
  // Operands: `a` is the v128 below the top one (binary ops), `b` the top v128.
  const a = sp - 8, b = sp - 4;
  switch (sub) {
    // ---- memory ----
    case 0: { // v128.load
      const e = ea(mem, i32[sp - 2]!, code[pc + 1]!, 16);
      U8.set(mem.u8.subarray(e, e + 16), (sp - 2) * 4);
      return sp + 2;
    }
    case 1: case 2: case 3: case 4: case 5: case 6: { // v128.loadNxM_s/u
      const e = ea(mem, i32[sp - 2]!, code[pc + 1]!, 8);
      const w = sp - 2, m = mem.u8, dv = mem.dv;
      if (sub === 1) for (let i = 0; i < 8; i++) I16[w * 2 + i] = (m[e + i]! << 24) >> 24;
      else if (sub === 2) for (let i = 0; i < 8; i++) I16[w * 2 + i] = m[e + i]!;
      else if (sub === 3) for (let i = 0; i < 4; i++) I32[w + i] = dv.getInt16(e + 2 * i, true);
      else if (sub === 4) for (let i = 0; i < 4; i++) I32[w + i] = dv.getUint16(e + 2 * i, true);
      else {
        const lo = dv.getInt32(e, true), hi = dv.getInt32(e + 4, true);
        I32[w] = lo; I32[w + 1] = sub === 5 ? lo >> 31 : 0;
        I32[w + 2] = hi; I32[w + 3] = sub === 5 ? hi >> 31 : 0;
      }
      return sp + 2;
    }
    case 7: { const e = ea(mem, i32[sp - 2]!, code[pc + 1]!, 1); U8.fill(mem.u8[e]!, (sp - 2) * 4, (sp + 2) * 4); return sp + 2; }
    case 8: { const e = ea(mem, i32[sp - 2]!, code[pc + 1]!, 2); U16.fill(mem.dv.getUint16(e, true), (sp - 2) * 2, (sp + 2) * 2); return sp + 2; }
    case 9: { const e = ea(mem, i32[sp - 2]!, code[pc + 1]!, 4); I32.fill(mem.dv.getInt32(e, true), sp - 2, sp + 2); return sp + 2; }
    case 10: case 93: { // load64_splat, load64_zero
      const e = ea(mem, i32[sp - 2]!, code[pc + 1]!, 8);
      const lo = mem.dv.getInt32(e, true), hi = mem.dv.getInt32(e + 4, true);
      const w = sp - 2;
      I32[w] = lo; I32[w + 1] = hi;
      I32[w + 2] = sub === 10 ? lo : 0; I32[w + 3] = sub === 10 ? hi : 0;
      return sp + 2;
    }
    case 92: { // load32_zero
      const e = ea(mem, i32[sp - 2]!, code[pc + 1]!, 4);
      const w = sp - 2;
      I32[w] = mem.dv.getInt32(e, true); I32[w + 1] = 0; I32[w + 2] = 0; I32[w + 3] = 0;
      return sp + 2;
    }
    case 11: { // v128.store
      sp -= 6;
      const e = ea(mem, i32[sp]!, code[pc + 1]!, 16);
      mem.u8.set(U8.subarray((sp + 2) * 4, (sp + 6) * 4), e);
      return sp;
    }
    case 84: case 85: case 86: case 87: { // load*_lane: [addr][v128] → v128
      const size = 1 << (sub - 84);
      const e = ea(mem, i32[sp - 6]!, code[pc + 1]!, size);
      const lane = code[pc + 2]!;
      const w = sp - 6;
      I32[w] = I32[w + 2]!; I32[w + 1] = I32[w + 3]!; I32[w + 2] = I32[w + 4]!; I32[w + 3] = I32[w + 5]!;
      const dv = mem.dv;
      if (sub === 84) U8[w * 4 + lane] = mem.u8[e]!;
      else if (sub === 85) U16[w * 2 + lane] = dv.getUint16(e, true);
      else if (sub === 86) I32[w + lane] = dv.getInt32(e, true);
      else { I32[w + 2 * lane] = dv.getInt32(e, true); I32[w + 2 * lane + 1] = dv.getInt32(e + 4, true); }
      return sp - 2;
    }
    case 88: case 89: case 90: case 91: { // store*_lane
      sp -= 6;
      const size = 1 << (sub - 88);
      const e = ea(mem, i32[sp]!, code[pc + 1]!, size);
      const lane = code[pc + 2]!;
      const w = sp + 2;
      const dv = mem.dv;
      if (sub === 88) mem.u8[e] = U8[w * 4 + lane]!;
      else if (sub === 89) dv.setUint16(e, U16[w * 2 + lane]!, true);
      else if (sub === 90) dv.setInt32(e, I32[w + lane]!, true);
      else { dv.setInt32(e, I32[w + 2 * lane]!, true); dv.setInt32(e + 4, I32[w + 2 * lane + 1]!, true); }
      return sp;
    }
    case SIMD_GLOBAL_GET: {
      const g = globals[code[pc + 1]!]!.w;
      I32[sp] = g[0]!; I32[sp + 1] = g[1]!; I32[sp + 2] = g[2]!; I32[sp + 3] = g[3]!;
      return sp + 4;
    }
    case SIMD_GLOBAL_SET: {
      const g = globals[code[pc + 1]!]!.w;
      sp -= 4;
      g[0] = I32[sp]!; g[1] = I32[sp + 1]!; g[2] = I32[sp + 2]!; g[3] = I32[sp + 3]!;
      return sp;
    }

    // ---- constants, shuffles, splats, lanes ----
    case 12:
      I32[sp] = code[pc + 1]!; I32[sp + 1] = code[pc + 2]!; I32[sp + 2] = code[pc + 3]!; I32[sp + 3] = code[pc + 4]!;
      return sp + 4;
    case 13: { // i8x16.shuffle: lane indices packed 4 per immediate word
      for (let i = 0; i < 16; i++) {
        const l = (code[pc + 1 + (i >> 2)]! >>> ((i & 3) * 8)) & 0xff;
        tI8[i] = l < 16 ? I8[a * 4 + l]! : I8[b * 4 + l - 16]!;
      }
      fromScratch(a);
      return sp - 4;
    }
    case 14: { // i8x16.swizzle
      for (let i = 0; i < 16; i++) {
        const l = U8[b * 4 + i]!;
        tI8[i] = l < 16 ? I8[a * 4 + l]! : 0;
      }
      fromScratch(a);
      return sp - 4;
    }
    case 15: U8.fill(i32[sp - 2]! & 0xff, (sp - 2) * 4, (sp + 2) * 4); return sp + 2;
    case 16: U16.fill(i32[sp - 2]! & 0xffff, (sp - 2) * 2, (sp + 2) * 2); return sp + 2;
    case 17: case 19: I32.fill(i32[sp - 2]!, sp - 2, sp + 2); return sp + 2;
    case 18: case 20: I32[sp] = I32[sp - 2]!; I32[sp + 1] = I32[sp - 1]!; return sp + 2;
    case 21: I32[b] = I8[b * 4 + code[pc + 1]!]!; return sp - 2;
    case 22: I32[b] = U8[b * 4 + code[pc + 1]!]!; return sp - 2;
    case 23: sp -= 2; U8[(sp - 4) * 4 + code[pc + 1]!] = I32[sp]! & 0xff; return sp;
    case 24: I32[b] = I16[b * 2 + code[pc + 1]!]!; return sp - 2;
    case 25: I32[b] = U16[b * 2 + code[pc + 1]!]!; return sp - 2;
    case 26: sp -= 2; U16[(sp - 4) * 2 + code[pc + 1]!] = I32[sp]! & 0xffff; return sp;
    case 27: case 31: I32[b] = I32[b + code[pc + 1]!]!; return sp - 2;
    case 28: case 32: sp -= 2; I32[sp - 4 + code[pc + 1]!] = I32[sp]!; return sp;
    case 29: case 33: {
      const l = code[pc + 1]!;
      const lo = I32[b + 2 * l]!, hi = I32[b + 2 * l + 1]!;
      I32[b] = lo; I32[b + 1] = hi;
      return sp - 2;
    }
    case 30: case 34: {
      sp -= 2;
      const l = code[pc + 1]!;
      I32[sp - 4 + 2 * l] = I32[sp]!; I32[sp - 4 + 2 * l + 1] = I32[sp + 1]!;
      return sp;
    }

    // ---- comparisons ----
    case 35: case 36: case 37: case 38: case 39: case 40: case 41: case 42: case 43: case 44: {
      const [k, s] = intCompare(sub - 35);
      compareLanes(s ? I8 : U8, I8, 4, a, b, 16, k);
      return sp - 4;
    }
    case 45: case 46: case 47: case 48: case 49: case 50: case 51: case 52: case 53: case 54: {
      const [k, s] = intCompare(sub - 45);
      compareLanes(s ? I16 : U16, I16, 2, a, b, 8, k);
      return sp - 4;
    }
    case 55: case 56: case 57: case 58: case 59: case 60: case 61: case 62: case 63: case 64: {
      const [k, s] = intCompare(sub - 55);
      compareLanes(s ? I32 : U32, I32, 1, a, b, 4, k);
      return sp - 4;
    }
    case 65: case 66: case 67: case 68: case 69: case 70:
      compareLanes(F32, I32, 1, a, b, 4, sub - 65);
      return sp - 4;
    case 71: case 72: case 73: case 74: case 75: case 76:
      for (let i = 0; i < 2; i++) {
        const r = compare(sub - 71, F64[(a >> 1) + i]!, F64[(b >> 1) + i]!) ? -1 : 0;
        I32[a + 2 * i] = r; I32[a + 2 * i + 1] = r;
      }
      return sp - 4;
    case 214: case 215: case 216: case 217: case 218: case 219:
      for (let i = 0; i < 2; i++) {
        const x = I64[(a >> 1) + i]!, y = I64[(b >> 1) + i]!;
        const k = sub - 214;
        const t = k === 0 ? x === y : k === 1 ? x !== y : k === 2 ? x < y : k === 3 ? x > y : k === 4 ? x <= y : x >= y;
        I32[a + 2 * i] = t ? -1 : 0; I32[a + 2 * i + 1] = t ? -1 : 0;
      }
      return sp - 4;

    // ---- bitwise ----
    case 77: for (let i = 0; i < 4; i++) I32[b + i] = ~I32[b + i]!; return sp;
    case 78: for (let i = 0; i < 4; i++) I32[a + i] = I32[a + i]! & I32[b + i]!; return sp - 4;
    case 79: for (let i = 0; i < 4; i++) I32[a + i] = I32[a + i]! & ~I32[b + i]!; return sp - 4;
    case 80: for (let i = 0; i < 4; i++) I32[a + i] = I32[a + i]! | I32[b + i]!; return sp - 4;
    case 81: for (let i = 0; i < 4; i++) I32[a + i] = I32[a + i]! ^ I32[b + i]!; return sp - 4;
    case 82: { // bitselect v1 v2 c
      const v1 = sp - 12;
      for (let i = 0; i < 4; i++) {
        const c = I32[b + i]!;
        I32[v1 + i] = (I32[v1 + i]! & c) | (I32[a + i]! & ~c);
      }
      return sp - 8;
    }
    case 83: I32[b] = (I32[b]! | I32[b + 1]! | I32[b + 2]! | I32[b + 3]!) !== 0 ? 1 : 0; return sp - 2;
    case 99: case 131: case 163: case 195: { // all_true
      const per = sub === 99 ? 16 : sub === 131 ? 8 : sub === 163 ? 4 : 2;
      let all = 1;
      for (let i = 0; i < per; i++) {
        const v = per === 16 ? U8[b * 4 + i]! : per === 8 ? U16[b * 2 + i]! : per === 4 ? I32[b + i]! : I32[b + 2 * i]! | I32[b + 2 * i + 1]!;
        if (v === 0) { all = 0; break; }
      }
      I32[b] = all;
      return sp - 2;
    }
    case 100: case 132: case 164: case 196: { // bitmask
      const per = sub === 100 ? 16 : sub === 132 ? 8 : sub === 164 ? 4 : 2;
      let m = 0;
      for (let i = 0; i < per; i++) {
        const neg = per === 16 ? I8[b * 4 + i]! < 0 : per === 8 ? I16[b * 2 + i]! < 0 : per === 4 ? I32[b + i]! < 0 : I32[b + 2 * i + 1]! < 0;
        if (neg) m |= 1 << i;
      }
      I32[b] = m;
      return sp - 2;
    }

    // ---- i8x16 ----
    case 96: for (let i = 0; i < 16; i++) { const v = I8[b * 4 + i]!; I8[b * 4 + i] = v < 0 ? -v : v; } return sp;
    case 97: for (let i = 0; i < 16; i++) I8[b * 4 + i] = -I8[b * 4 + i]!; return sp;
    case 98: for (let i = 0; i < 16; i++) U8[b * 4 + i] = popcnt32(U8[b * 4 + i]!); return sp;
    case 101: case 102: { // narrow_i16x8_s/u
      const lo = sub === 101 ? -128 : 0, hi = sub === 101 ? 127 : 255;
      for (let i = 0; i < 8; i++) {
        tI8[i] = sat(I16[a * 2 + i]!, lo, hi);
        tI8[i + 8] = sat(I16[b * 2 + i]!, lo, hi);
      }
      fromScratch(a);
      return sp - 4;
    }
    case 107: case 108: case 109: { // shifts
      sp -= 2;
      const s = I32[sp]! & 7, w = (sp - 4) * 4;
      if (sub === 107) for (let i = 0; i < 16; i++) I8[w + i] = I8[w + i]! << s;
      else if (sub === 108) for (let i = 0; i < 16; i++) I8[w + i] = I8[w + i]! >> s;
      else for (let i = 0; i < 16; i++) U8[w + i] = U8[w + i]! >>> s;
      return sp;
    }
    // add/sub/mul of each shape have their own loops: the common case skips the per-lane switch.
    case 110: for (let i = a * 4; i < a * 4 + 16; i++) I8[i] = I8[i]! + I8[i + 16]!; return sp - 4;
    case 113: for (let i = a * 4; i < a * 4 + 16; i++) I8[i] = I8[i]! - I8[i + 16]!; return sp - 4;
    case 111: case 112: case 114: case 115:
    case 118: case 119: case 120: case 121: case 123: {
      const x = a * 4, y = b * 4;
      for (let i = 0; i < 16; i++) {
        const si = I8[x + i]!, sj = I8[y + i]!, ui = U8[x + i]!, uj = U8[y + i]!;
        let r: number;
        switch (sub) {
          case 111: r = sat(si + sj, -128, 127); break;
          case 112: r = sat(ui + uj, 0, 255); break;
          case 114: r = sat(si - sj, -128, 127); break;
          case 115: r = sat(ui - uj, 0, 255); break;
          case 118: r = si < sj ? si : sj; break;
          case 119: r = ui < uj ? ui : uj; break;
          case 120: r = si > sj ? si : sj; break;
          case 121: r = ui > uj ? ui : uj; break;
          default: r = (ui + uj + 1) >>> 1;
        }
        I8[x + i] = r;
      }
      return sp - 4;
    }

    // ---- i16x8 ----
    case 124: case 125: // extadd_pairwise_i8x16_s/u
      for (let i = 0; i < 8; i++) {
        tI16[i] = sub === 124 ? I8[b * 4 + 2 * i]! + I8[b * 4 + 2 * i + 1]! : U8[b * 4 + 2 * i]! + U8[b * 4 + 2 * i + 1]!;
      }
      fromScratch(b);
      return sp;
    case 128: for (let i = 0; i < 8; i++) { const v = I16[b * 2 + i]!; I16[b * 2 + i] = v < 0 ? -v : v; } return sp;
    case 129: for (let i = 0; i < 8; i++) I16[b * 2 + i] = -I16[b * 2 + i]!; return sp;
    case 133: case 134: { // narrow_i32x4_s/u
      const lo = sub === 133 ? -32768 : 0, hi = sub === 133 ? 32767 : 65535;
      for (let i = 0; i < 4; i++) {
        tI16[i] = sat(I32[a + i]!, lo, hi);
        tI16[i + 4] = sat(I32[b + i]!, lo, hi);
      }
      fromScratch(a);
      return sp - 4;
    }
    case 135: case 136: case 137: case 138: { // extend_low/high_i8x16_s/u
      const off = b * 4 + (sub === 136 || sub === 138 ? 8 : 0);
      for (let i = 0; i < 8; i++) tI16[i] = sub <= 136 ? I8[off + i]! : U8[off + i]!;
      fromScratch(b);
      return sp;
    }
    case 139: case 140: case 141: {
      sp -= 2;
      const s = I32[sp]! & 15, w = (sp - 4) * 2;
      if (sub === 139) for (let i = 0; i < 8; i++) I16[w + i] = I16[w + i]! << s;
      else if (sub === 140) for (let i = 0; i < 8; i++) I16[w + i] = I16[w + i]! >> s;
      else for (let i = 0; i < 8; i++) U16[w + i] = U16[w + i]! >>> s;
      return sp;
    }
    case 142: for (let i = a * 2; i < a * 2 + 8; i++) I16[i] = I16[i]! + I16[i + 8]!; return sp - 4;
    case 145: for (let i = a * 2; i < a * 2 + 8; i++) I16[i] = I16[i]! - I16[i + 8]!; return sp - 4;
    case 149: for (let i = a * 2; i < a * 2 + 8; i++) I16[i] = Math.imul(I16[i]!, I16[i + 8]!); return sp - 4;
    case 130: case 143: case 144: case 146: case 147:
    case 150: case 151: case 152: case 153: case 155: {
      const x = a * 2, y = b * 2;
      for (let i = 0; i < 8; i++) {
        const si = I16[x + i]!, sj = I16[y + i]!, ui = U16[x + i]!, uj = U16[y + i]!;
        let r: number;
        switch (sub) {
          case 130: r = sat((si * sj + 0x4000) >> 15, -32768, 32767); break;
          case 143: r = sat(si + sj, -32768, 32767); break;
          case 144: r = sat(ui + uj, 0, 65535); break;
          case 146: r = sat(si - sj, -32768, 32767); break;
          case 147: r = sat(ui - uj, 0, 65535); break;
          case 150: r = si < sj ? si : sj; break;
          case 151: r = ui < uj ? ui : uj; break;
          case 152: r = si > sj ? si : sj; break;
          case 153: r = ui > uj ? ui : uj; break;
          default: r = (ui + uj + 1) >>> 1;
        }
        I16[x + i] = r;
      }
      return sp - 4;
    }
    case 156: case 157: case 158: case 159: { // extmul_low/high_i8x16_s/u
      const off = sub === 157 || sub === 159 ? 8 : 0;
      const signed = sub <= 157;
      for (let i = 0; i < 8; i++) {
        const x = a * 4 + off + i, y = b * 4 + off + i;
        tI16[i] = signed ? I8[x]! * I8[y]! : U8[x]! * U8[y]!;
      }
      fromScratch(a);
      return sp - 4;
    }

    // ---- i32x4 ----
    case 126: case 127: // extadd_pairwise_i16x8_s/u
      for (let i = 0; i < 4; i++) {
        tI32[i] = sub === 126 ? I16[b * 2 + 2 * i]! + I16[b * 2 + 2 * i + 1]! : U16[b * 2 + 2 * i]! + U16[b * 2 + 2 * i + 1]!;
      }
      fromScratch(b);
      return sp;
    case 160: for (let i = 0; i < 4; i++) { const v = I32[b + i]!; I32[b + i] = v < 0 ? -v : v; } return sp;
    case 161: for (let i = 0; i < 4; i++) I32[b + i] = -I32[b + i]!; return sp;
    case 167: case 168: case 169: case 170: {
      const off = b * 2 + (sub === 168 || sub === 170 ? 4 : 0);
      for (let i = 0; i < 4; i++) tI32[i] = sub <= 168 ? I16[off + i]! : U16[off + i]!;
      fromScratch(b);
      return sp;
    }
    case 171: case 172: case 173: {
      sp -= 2;
      const s = I32[sp]! & 31, w = sp - 4;
      if (sub === 171) for (let i = 0; i < 4; i++) I32[w + i] = I32[w + i]! << s;
      else if (sub === 172) for (let i = 0; i < 4; i++) I32[w + i] = I32[w + i]! >> s;
      else for (let i = 0; i < 4; i++) I32[w + i] = I32[w + i]! >>> s;
      return sp;
    }
    case 174: I32[a] = I32[a]! + I32[b]!; I32[a + 1] = I32[a + 1]! + I32[b + 1]!; I32[a + 2] = I32[a + 2]! + I32[b + 2]!; I32[a + 3] = I32[a + 3]! + I32[b + 3]!; return sp - 4;
    case 177: I32[a] = I32[a]! - I32[b]!; I32[a + 1] = I32[a + 1]! - I32[b + 1]!; I32[a + 2] = I32[a + 2]! - I32[b + 2]!; I32[a + 3] = I32[a + 3]! - I32[b + 3]!; return sp - 4;
    case 181: for (let i = a; i < a + 4; i++) I32[i] = Math.imul(I32[i]!, I32[i + 4]!); return sp - 4;
    case 182: case 183: case 184: case 185:
      for (let i = 0; i < 4; i++) {
        const si = I32[a + i]!, sj = I32[b + i]!, ui = U32[a + i]!, uj = U32[b + i]!;
        let r: number;
        switch (sub) {
          case 182: r = si < sj ? si : sj; break;
          case 183: r = ui < uj ? ui : uj; break;
          case 184: r = si > sj ? si : sj; break;
          default: r = ui > uj ? ui : uj;
        }
        I32[a + i] = r;
      }
      return sp - 4;
    case 186: // dot_i16x8_s
      for (let i = 0; i < 4; i++) {
        const x = a * 2 + 2 * i, y = b * 2 + 2 * i;
        tI32[i] = I16[x]! * I16[y]! + I16[x + 1]! * I16[y + 1]!;
      }
      fromScratch(a);
      return sp - 4;
    case 188: case 189: case 190: case 191: {
      const off = sub === 189 || sub === 191 ? 4 : 0;
      const signed = sub <= 189;
      for (let i = 0; i < 4; i++) {
        const x = a * 2 + off + i, y = b * 2 + off + i;
        tI32[i] = signed ? I16[x]! * I16[y]! : U16[x]! * U16[y]!;
      }
      fromScratch(a);
      return sp - 4;
    }

    // ---- i64x2 ----
    case 192: for (let i = 0; i < 2; i++) { const v = I64[(b >> 1) + i]!; I64[(b >> 1) + i] = v < 0n ? -v : v; } return sp;
    case 193: for (let i = 0; i < 2; i++) I64[(b >> 1) + i] = -I64[(b >> 1) + i]!; return sp;
    case 199: case 200: case 201: case 202: {
      const off = b + (sub === 200 || sub === 202 ? 2 : 0);
      const lo0 = I32[off]!, lo1 = I32[off + 1]!;
      const signed = sub <= 200;
      I32[b] = lo0; I32[b + 1] = signed ? lo0 >> 31 : 0;
      I32[b + 2] = lo1; I32[b + 3] = signed ? lo1 >> 31 : 0;
      return sp;
    }
    case 203: case 204: case 205: {
      sp -= 2;
      const s = BigInt(I32[sp]! & 63), w = (sp - 4) >> 1;
      if (sub === 203) for (let i = 0; i < 2; i++) I64[w + i] = I64[w + i]! << s;
      else if (sub === 204) for (let i = 0; i < 2; i++) I64[w + i] = I64[w + i]! >> s;
      else for (let i = 0; i < 2; i++) U64[w + i] = U64[w + i]! >> s;
      return sp;
    }
    case 206: case 209: case 213:
      for (let i = 0; i < 2; i++) {
        const x = I64[(a >> 1) + i]!, y = I64[(b >> 1) + i]!;
        I64[(a >> 1) + i] = sub === 206 ? x + y : sub === 209 ? x - y : x * y;
      }
      return sp - 4;
    case 220: case 221: case 222: case 223: {
      const off = sub === 221 || sub === 223 ? 2 : 0;
      const signed = sub <= 221;
      for (let i = 0; i < 2; i++) {
        const x = a + off + i, y = b + off + i;
        tI64[i] = signed ? BigInt(I32[x]!) * BigInt(I32[y]!) : BigInt(U32[x]!) * BigInt(U32[y]!);
      }
      fromScratch(a);
      return sp - 4;
    }

    // ---- f32x4 ----
    case 103: for (let i = 0; i < 4; i++) F32[b + i] = quiet(Math.ceil(F32[b + i]!)); return sp;
    case 104: for (let i = 0; i < 4; i++) F32[b + i] = quiet(Math.floor(F32[b + i]!)); return sp;
    case 105: for (let i = 0; i < 4; i++) F32[b + i] = quiet(Math.trunc(F32[b + i]!)); return sp;
    case 106: for (let i = 0; i < 4; i++) F32[b + i] = nearest(F32[b + i]!); return sp;
    // abs and neg only touch the sign bit: NaN payloads pass through unchanged.
    case 224: for (let i = 0; i < 4; i++) I32[b + i] = I32[b + i]! & 0x7fffffff; return sp;
    case 225: for (let i = 0; i < 4; i++) I32[b + i] = I32[b + i]! ^ -0x80000000; return sp;
    case 227: for (let i = 0; i < 4; i++) F32[b + i] = Math.sqrt(F32[b + i]!); return sp;
    // f32 arithmetic through doubles rounds once more on the store; for + - * / and sqrt that
    // double rounding is exact (53 >= 2*24 + 2).
    case 228: for (let i = 0; i < 4; i++) F32[a + i] = F32[a + i]! + F32[b + i]!; return sp - 4;
    case 229: for (let i = 0; i < 4; i++) F32[a + i] = F32[a + i]! - F32[b + i]!; return sp - 4;
    case 230: for (let i = 0; i < 4; i++) F32[a + i] = F32[a + i]! * F32[b + i]!; return sp - 4;
    case 231: for (let i = 0; i < 4; i++) F32[a + i] = F32[a + i]! / F32[b + i]!; return sp - 4;
    case 232: for (let i = 0; i < 4; i++) F32[a + i] = Math.min(F32[a + i]!, F32[b + i]!); return sp - 4;
    case 233: for (let i = 0; i < 4; i++) F32[a + i] = Math.max(F32[a + i]!, F32[b + i]!); return sp - 4;
    // pmin/pmax return one operand as is (NaN bits included): select through the integer view.
    case 234: for (let i = 0; i < 4; i++) if (F32[b + i]! < F32[a + i]!) I32[a + i] = I32[b + i]!; return sp - 4;
    case 235: for (let i = 0; i < 4; i++) if (F32[a + i]! < F32[b + i]!) I32[a + i] = I32[b + i]!; return sp - 4;
    case 94: { // f32x4.demote_f64x2_zero
      const x = F64[b >> 1]!, y = F64[(b >> 1) + 1]!;
      F32[b] = x; F32[b + 1] = y; I32[b + 2] = 0; I32[b + 3] = 0;
      return sp;
    }
    case 248: case 249: for (let i = 0; i < 4; i++) I32[b + i] = truncSatI32(F32[b + i]!, sub === 248); return sp;
    case 250: for (let i = 0; i < 4; i++) F32[b + i] = I32[b + i]!; return sp;
    case 251: for (let i = 0; i < 4; i++) F32[b + i] = U32[b + i]!; return sp;

    // ---- f64x2 ----
    case 116: for (let i = 0; i < 2; i++) F64[(b >> 1) + i] = quiet(Math.ceil(F64[(b >> 1) + i]!)); return sp;
    case 117: for (let i = 0; i < 2; i++) F64[(b >> 1) + i] = quiet(Math.floor(F64[(b >> 1) + i]!)); return sp;
    case 122: for (let i = 0; i < 2; i++) F64[(b >> 1) + i] = quiet(Math.trunc(F64[(b >> 1) + i]!)); return sp;
    case 148: for (let i = 0; i < 2; i++) F64[(b >> 1) + i] = nearest(F64[(b >> 1) + i]!); return sp;
    case 236: I32[b + 1] = I32[b + 1]! & 0x7fffffff; I32[b + 3] = I32[b + 3]! & 0x7fffffff; return sp;
    case 237: I32[b + 1] = I32[b + 1]! ^ -0x80000000; I32[b + 3] = I32[b + 3]! ^ -0x80000000; return sp;
    case 239: for (let i = 0; i < 2; i++) F64[(b >> 1) + i] = Math.sqrt(F64[(b >> 1) + i]!); return sp;
    case 240: case 241: case 242: case 243: case 244: case 245:
      for (let i = 0; i < 2; i++) {
        const x = F64[(a >> 1) + i]!, y = F64[(b >> 1) + i]!;
        F64[(a >> 1) + i] = sub === 240 ? x + y : sub === 241 ? x - y : sub === 242 ? x * y : sub === 243 ? x / y
          : sub === 244 ? Math.min(x, y) : Math.max(x, y);
      }
      return sp - 4;
    case 246: case 247:
      for (let i = 0; i < 2; i++) {
        const x = F64[(a >> 1) + i]!, y = F64[(b >> 1) + i]!;
        if (sub === 246 ? y < x : x < y) { I32[a + 2 * i] = I32[b + 2 * i]!; I32[a + 2 * i + 1] = I32[b + 2 * i + 1]!; }
      }
      return sp - 4;
    case 95: { // f64x2.promote_low_f32x4
      const x = F32[b]!, y = F32[b + 1]!;
      F64[b >> 1] = x; F64[(b >> 1) + 1] = y;
      return sp;
    }
    case 252: case 253: {
      const x = F64[b >> 1]!, y = F64[(b >> 1) + 1]!;
      I32[b] = truncSatI32(x, sub === 252); I32[b + 1] = truncSatI32(y, sub === 252); I32[b + 2] = 0; I32[b + 3] = 0;
      return sp;
    }
    case 254: case 255: {
      const x = sub === 254 ? I32[b]! : U32[b]!, y = sub === 254 ? I32[b + 1]! : U32[b + 1]!;
      F64[b >> 1] = x; F64[(b >> 1) + 1] = y;
      return sp;
    }

    // ---- relaxed SIMD (0x100–0x113) ----
    // Each instruction has one deterministic behaviour: the one V8 has on x86-64 with SSE4.1/AVX2
    // and FMA3 (checked against Node's WebAssembly in test/unit/interp/relaxed-simd.test.ts):
    //   i8x16.relaxed_swizzle          pshufb: index >= 128 gives 0, otherwise lane (index & 15)
    //   i32x4.relaxed_trunc_f32x4_s    cvttps2dq: NaN and out of range give INT32_MIN
    //   i32x4.relaxed_trunc_f32x4_u    saturating (as trunc_sat_f32x4_u): NaN gives 0
    //   i32x4.relaxed_trunc_f64x2_s_zero  cvttpd2dq: NaN and out of range give INT32_MIN
    //   i32x4.relaxed_trunc_f64x2_u_zero  saturating (as trunc_sat_f64x2_u_zero)
    //   f32x4/f64x2.relaxed_madd/nmadd fused multiply-add, one rounding (vfmadd / vfnmadd)
    //   i8x16.relaxed_laneselect       pblendvb: each lane by its mask lane's top bit
    //   i16x8/i32x4/i64x2.relaxed_laneselect  bitselect. V8 uses pblendvb for these too, which
    //                                  selects each *byte* by its top bit: for a mask lane whose
    //                                  bytes disagree that is neither of the spec's two results
    //                                  (bitselect, or the lane by its top bit); the two agree
    //                                  whenever every mask lane is all ones or all zeros
    //   f32x4/f64x2.relaxed_min/max    minps/maxps: (a < b ? a : b) / (a > b ? a : b), so a NaN in
    //                                  either operand or equal zeros give b
    //   i16x8.relaxed_q15mulr_s        pmulhrsw: -32768 * -32768 wraps to -32768
    //   i16x8.relaxed_dot_i8x16_i7x16_s    pmaddubsw: b's bytes unsigned, a's signed, pairs
    //                                  summed with signed saturation
    //   i32x4.relaxed_dot_i8x16_i7x16_add_s  the same, then pairs of i16 summed (pmaddwd) plus c
    case 0x100: // i8x16.relaxed_swizzle
      for (let i = 0; i < 16; i++) {
        const l = U8[b * 4 + i]!;
        tI8[i] = l < 128 ? I8[a * 4 + (l & 15)]! : 0;
      }
      fromScratch(a);
      return sp - 4;
    case 0x101: for (let i = 0; i < 4; i++) I32[b + i] = truncX86(F32[b + i]!); return sp;
    case 0x102: for (let i = 0; i < 4; i++) I32[b + i] = truncSatI32(F32[b + i]!, false); return sp;
    case 0x103: case 0x104: {
      const x = F64[b >> 1]!, y = F64[(b >> 1) + 1]!;
      I32[b] = sub === 0x103 ? truncX86(x) : truncSatI32(x, false);
      I32[b + 1] = sub === 0x103 ? truncX86(y) : truncSatI32(y, false);
      I32[b + 2] = 0; I32[b + 3] = 0;
      return sp;
    }
    case 0x105: case 0x106: { // f32x4.relaxed_madd / nmadd: [a][b][c] → ±(a*b) + c
      const x = sp - 12, neg = sub === 0x106;
      for (let i = 0; i < 4; i++) {
        const p = F32[x + i]!;
        F32[x + i] = fmaF32(neg ? -p : p, F32[a + i]!, F32[b + i]!);
      }
      return sp - 8;
    }
    case 0x107: case 0x108: {
      const x = (sp - 12) >> 1, neg = sub === 0x108;
      for (let i = 0; i < 2; i++) {
        const p = F64[x + i]!;
        F64[x + i] = fmaF64(neg ? -p : p, F64[(a >> 1) + i]!, F64[(b >> 1) + i]!);
      }
      return sp - 8;
    }
    case 0x109: { // i8x16.relaxed_laneselect v1 v2 m: each lane by its mask lane's top bit
      const v1 = (sp - 12) * 4, v2 = a * 4, m = b * 4;
      for (let i = 0; i < 16; i++) if (I8[m + i]! >= 0) I8[v1 + i] = I8[v2 + i]!;
      return sp - 8;
    }
    case 0x10a: case 0x10b: case 0x10c: { // i16x8 / i32x4 / i64x2.relaxed_laneselect: bitselect
      const v1 = sp - 12;
      for (let i = 0; i < 4; i++) {
        const c = I32[b + i]!;
        I32[v1 + i] = (I32[v1 + i]! & c) | (I32[a + i]! & ~c);
      }
      return sp - 8;
    }
    // minps/maxps keep b unless a is strictly smaller (larger): select through the integer view
    // so NaN bits pass as they are.
    case 0x10d: for (let i = 0; i < 4; i++) if (!(F32[a + i]! < F32[b + i]!)) I32[a + i] = I32[b + i]!; return sp - 4;
    case 0x10e: for (let i = 0; i < 4; i++) if (!(F32[a + i]! > F32[b + i]!)) I32[a + i] = I32[b + i]!; return sp - 4;
    case 0x10f: case 0x110:
      for (let i = 0; i < 2; i++) {
        const x = F64[(a >> 1) + i]!, y = F64[(b >> 1) + i]!;
        if (!(sub === 0x10f ? x < y : x > y)) { I32[a + 2 * i] = I32[b + 2 * i]!; I32[a + 2 * i + 1] = I32[b + 2 * i + 1]!; }
      }
      return sp - 4;
    case 0x111: // i16x8.relaxed_q15mulr_s (pmulhrsw: no saturation)
      for (let i = a * 2; i < a * 2 + 8; i++) I16[i] = (I16[i]! * I16[i + 8]! + 0x4000) >> 15;
      return sp - 4;
    case 0x112: // i16x8.relaxed_dot_i8x16_i7x16_s
      for (let i = 0; i < 8; i++) tI16[i] = dotPair(a * 4 + 2 * i, b * 4 + 2 * i);
      fromScratch(a);
      return sp - 4;
    case 0x113: { // i32x4.relaxed_dot_i8x16_i7x16_add_s: [a][b][c]
      const x = sp - 12;
      for (let i = 0; i < 4; i++) {
        tI32[i] = dotPair(x * 4 + 4 * i, a * 4 + 4 * i) + dotPair(x * 4 + 4 * i + 2, a * 4 + 4 * i + 2) + I32[b + i]!;
      }
      fromScratch(x);
      return sp - 8;
    }
    default:
      throw new Error(`internal error: bad SIMD opcode ${sub}`);
  }
}
