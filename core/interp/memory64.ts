// Multi-memory, memory64 and table64 in the interpreter: memory instructions on a memory other than
// memory 0 or on an i64 memory, and table instructions on an i64 table, compile to one Op.MEM_EXT
// (a sub-opcode, then its immediates) that runs here, outside the main dispatch loop, so the i32
// memory-0 fast path keeps its size and speed.
//
// i64 addresses are read as JS numbers (hi * 2^32 + lo): exact below 2^53, and rounding is
// monotonic, so an address or end at or beyond 2^53 stays beyond every real memory (whose length
// is far below 2^53) and traps — bounds checks are exact up to 2^64 and past it, with no BigInt.
import { Imm } from '../binary/opcodes';
import type { InstrReader } from '../binary/instructions';
import { Trap, ValidationError } from '../errors';
import type { ModuleContext } from '../validate/context';
import { type Instance, type MemoryInstance, type TableInstance } from './runtime';
import { execSimd } from './simd';

/** Sub-opcodes of Op.MEM_EXT. 0–22 are the scalar loads and stores (Wasm opcode - 0x28). */
export const enum MemExt {
  // 0..22: [sub, memory, offset lo, offset hi, i64 address (0/1)]
  MemorySize = 23, // memory
  MemoryGrow, // memory
  MemoryInit, // memory, data index
  MemoryCopy, // dst memory, src memory
  MemoryFill, // memory
  TableGet, // table
  TableSet, // table
  TableSize, // table
  TableGrow, // table
  TableFill, // table
  TableCopy, // dst table, src table
  TableInit, // table, elem index
  /** call_indirect / return_call_indirect on a table64: the i64 index at sp-2 becomes the u32 the
   * plain call op reads (an index at or beyond 2^32 becomes 0xffffffff, beyond any table). */
  NarrowIndex,
  /** A SIMD load/store on another memory or an i64 one: [sub, memory, offset lo, offset hi, i64,
   * the SIMD sub-opcode, 0 (its offset), lane]; the checked effective address replaces the operand
   * and simd.ts does the access. */
  Simd,
  Count,
}

/** Words of each sub-opcode, itself included. */
export const MEM_EXT_WIDTH = new Uint8Array(MemExt.Count);
MEM_EXT_WIDTH.fill(5, 0, 23);
MEM_EXT_WIDTH.set([2, 2, 3, 3, 2, 2, 2, 2, 2, 2, 3, 3, 1, 8], 23);

const TWO32 = 4294967296;

/** Bytes accessed by each scalar load/store (Wasm opcode - 0x28). */
const ACCESS = [4, 8, 4, 8, 1, 1, 2, 2, 1, 1, 2, 2, 4, 4, 4, 8, 4, 8, 1, 2, 1, 2, 4];

/** Bytes accessed by the SIMD memory instructions, by sub-opcode (0 = not a memory access). */
const SIMD_ACCESS = new Uint8Array(0x100);
SIMD_ACCESS.set([16, 8, 8, 8, 8, 8, 8, 1, 2, 4, 8, 16]);
SIMD_ACCESS.set([1, 2, 4, 8, 1, 2, 4, 8, 4, 8], 84);

/** Is memory `i` anything but an i32 memory 0? */
function extMemory(ctx: ModuleContext, i: number): boolean {
  return i !== 0 || ctx.memories[i]?.limits.i64 === true;
}

export function mem64(ctx: ModuleContext, i: number): number {
  return ctx.memories[i]?.limits.i64 === true ? 1 : 0;
}

function table64(ctx: ModuleContext, i: number): boolean {
  return ctx.tables[i]?.limits.i64 === true;
}

/**
 * For a scalar load or store on an i64 memory 0 with an offset below 2^32: where its address is
 * (2 words below the top for a load, 4 for a store), so the compiler emits Op.ADDR64 (which traps
 * when the address's high half is not 0) and then the plain i32 op. 0 when this does not apply.
 * Exact because a memory is at most 2^32 bytes (MemoryInstance caps it at 65536 pages): an
 * address at or past 2^32 is out of bounds whatever the offset and size.
 */
export function addr64Slot(ir: InstrReader, ctx: ModuleContext): number {
  const op = ir.op;
  if (op < 0x28 || op > 0x3e || ir.mem !== 0 || ir.offHi !== 0 || ctx.memories[0]?.limits.i64 !== true) return 0;
  return op >= 0x36 ? 4 : 2;
}

/**
 * The Op.MEM_EXT immediates for a validated instruction that needs them, or null when the plain
 * internal op does (an i32 memory 0, an i32 table). For call_indirect on a table64 the caller
 * emits MemExt.NarrowIndex before its ordinary call op.
 */
export function lowerMemExt(ir: InstrReader, ctx: ModuleContext, funcIndex: number): number[] | null {
  const op = ir.op;
  const imm = ir.info!.imm;
  if (imm === Imm.MemArg || imm === Imm.MemArgLane) {
    if (!extMemory(ctx, ir.mem)) return null;
    if (op >>> 16 === 0xfd) {
      const sub = op & 0xffff;
      return [MemExt.Simd, ir.mem, ir.b | 0, ir.offHi | 0, mem64(ctx, ir.mem), sub, 0, imm === Imm.MemArgLane ? ir.lo : 0];
    }
    if (op >= 0x28 && op <= 0x3e) return [op - 0x28, ir.mem, ir.b | 0, ir.offHi | 0, mem64(ctx, ir.mem)];
    // Atomics (threads) carry their memory and address type in Op.ATOMIC's own immediates.
    if (op >>> 16 === 0xfe) return null;
    throw new ValidationError(`unsupported instruction ${ir.info!.name} on ${ir.mem !== 0 ? `memory ${ir.mem}` : 'an i64 memory'}`, ir.start, funcIndex);
  }
  switch (op) {
    case 0x3f: return extMemory(ctx, ir.a) ? [MemExt.MemorySize, ir.a] : null;
    case 0x40: return extMemory(ctx, ir.a) ? [MemExt.MemoryGrow, ir.a] : null;
    case 0xfc0008: return extMemory(ctx, ir.b) ? [MemExt.MemoryInit, ir.b, ir.a] : null;
    case 0xfc000a: return extMemory(ctx, ir.a) || extMemory(ctx, ir.b) ? [MemExt.MemoryCopy, ir.a, ir.b] : null;
    case 0xfc000b: return extMemory(ctx, ir.a) ? [MemExt.MemoryFill, ir.a] : null;
    case 0x25: return table64(ctx, ir.a) ? [MemExt.TableGet, ir.a] : null;
    case 0x26: return table64(ctx, ir.a) ? [MemExt.TableSet, ir.a] : null;
    case 0xfc0010: return table64(ctx, ir.a) ? [MemExt.TableSize, ir.a] : null;
    case 0xfc000f: return table64(ctx, ir.a) ? [MemExt.TableGrow, ir.a] : null;
    case 0xfc0011: return table64(ctx, ir.a) ? [MemExt.TableFill, ir.a] : null;
    case 0xfc000e: return table64(ctx, ir.a) || table64(ctx, ir.b) ? [MemExt.TableCopy, ir.a, ir.b] : null;
    case 0xfc000c: return table64(ctx, ir.b) ? [MemExt.TableInit, ir.b, ir.a] : null;
    case 0x11: case 0x13: return table64(ctx, ir.b) ? [MemExt.NarrowIndex] : null;
  }
  return null;
}

/** The address-typed operand at word `w`: a u32, or a u64 as a number (see the file comment). */
function addr(i32: Int32Array, w: number, is64: boolean | number): number {
  return is64 ? (i32[w + 1]! >>> 0) * TWO32 + (i32[w]! >>> 0) : i32[w]! >>> 0;
}

/** Writes a size or old size (or -1) as the address type: i64 results are sign-extended -1. */
function putAddr(i32: Int32Array, w: number, v: number, is64: boolean): void {
  if (v < 0) {
    i32[w] = -1;
    if (is64) i32[w + 1] = -1;
    return;
  }
  i32[w] = v >>> 0;
  if (is64) i32[w + 1] = Math.floor(v / TWO32);
}

/** The checked effective address of an `n`-byte access at `base` + `offset`. */
function effective(mem: MemoryInstance, base: number, offLo: number, offHi: number, n: number): number {
  const a = base + offHi * TWO32 + (offLo >>> 0);
  if (a + n > mem.u8.length) throw new Trap('out of bounds memory access');
  return a;
}

/** Runs the Op.MEM_EXT at `pc` (its sub-opcode); returns the new sp. Traps as the plain ops do. */
export function execMemExt(code: Int32Array, pc: number, sp: number, i32: Int32Array, inst: Instance): number {
  const sub = code[pc]!;
  if (sub < 23) {
    const mem = inst.memories[code[pc + 1]!]!;
    const is64 = code[pc + 4]!;
    const store = sub >= 14;
    const w = store ? sp - 4 : sp - 2;
    const ea = effective(mem, addr(i32, w, is64), code[pc + 2]!, code[pc + 3]! >>> 0, ACCESS[sub]!);
    const dv = mem.dv;
    switch (sub) {
      case 0: case 2: i32[w] = dv.getInt32(ea, true); break;
      case 1: case 3: i32[w] = dv.getInt32(ea, true); i32[w + 1] = dv.getInt32(ea + 4, true); break;
      case 4: i32[w] = dv.getInt8(ea); break;
      case 5: i32[w] = dv.getUint8(ea); break;
      case 6: i32[w] = dv.getInt16(ea, true); break;
      case 7: i32[w] = dv.getUint16(ea, true); break;
      case 8: { const v = dv.getInt8(ea); i32[w] = v; i32[w + 1] = v >> 31; break; }
      case 9: i32[w] = dv.getUint8(ea); i32[w + 1] = 0; break;
      case 10: { const v = dv.getInt16(ea, true); i32[w] = v; i32[w + 1] = v >> 31; break; }
      case 11: i32[w] = dv.getUint16(ea, true); i32[w + 1] = 0; break;
      case 12: { const v = dv.getInt32(ea, true); i32[w] = v; i32[w + 1] = v >> 31; break; }
      case 13: i32[w] = dv.getInt32(ea, true); i32[w + 1] = 0; break;
      case 14: case 16: case 22: dv.setInt32(ea, i32[w + 2]!, true); break;
      case 15: case 17: dv.setInt32(ea, i32[w + 2]!, true); dv.setInt32(ea + 4, i32[w + 3]!, true); break;
      case 18: case 20: dv.setInt8(ea, i32[w + 2]!); break;
      case 19: case 21: dv.setInt16(ea, i32[w + 2]!, true); break;
    }
    return store ? sp - 4 : sp;
  }
  switch (sub as MemExt) {
    case MemExt.MemorySize: {
      const mem = inst.memories[code[pc + 1]!]!;
      i32[sp + 1] = 0;
      putAddr(i32, sp, mem.pages, mem.i64);
      return sp + 2;
    }
    case MemExt.MemoryGrow: {
      const mem = inst.memories[code[pc + 1]!]!;
      const delta = addr(i32, sp - 2, mem.i64);
      putAddr(i32, sp - 2, mem.grow(delta), mem.i64);
      return sp;
    }
    case MemExt.MemoryInit: {
      const mem = inst.memories[code[pc + 1]!]!;
      const seg = inst.dataSegs[code[pc + 2]!];
      sp -= 6;
      const d = addr(i32, sp, mem.i64), s = i32[sp + 2]! >>> 0, n = i32[sp + 4]! >>> 0;
      const len = seg === null || seg === undefined ? 0 : seg.length;
      if (s + n > len || d + n > mem.u8.length) throw new Trap('out of bounds memory access');
      if (n > 0) mem.u8.set(seg!.subarray(s, s + n), d);
      return sp;
    }
    case MemExt.MemoryCopy: {
      const md = inst.memories[code[pc + 1]!]!;
      const ms = inst.memories[code[pc + 2]!]!;
      sp -= 6;
      const d = addr(i32, sp, md.i64), s = addr(i32, sp + 2, ms.i64), n = addr(i32, sp + 4, md.i64 && ms.i64);
      if (s + n > ms.u8.length || d + n > md.u8.length) throw new Trap('out of bounds memory access');
      if (md === ms) md.u8.copyWithin(d, s, s + n);
      else md.u8.set(ms.u8.subarray(s, s + n), d);
      return sp;
    }
    case MemExt.MemoryFill: {
      const mem = inst.memories[code[pc + 1]!]!;
      sp -= 6;
      const d = addr(i32, sp, mem.i64), v = i32[sp + 2]!, n = addr(i32, sp + 4, mem.i64);
      if (d + n > mem.u8.length) throw new Trap('out of bounds memory access');
      mem.u8.fill(v & 255, d, d + n);
      return sp;
    }
    case MemExt.TableGet: {
      const t = inst.tables[code[pc + 1]!]!;
      const i = addr(i32, sp - 2, t.i64);
      if (i >= t.elements.length) throw new Trap('out of bounds table access');
      i32[sp - 2] = inst.store.handle(t.elements[i]);
      i32[sp - 1] = 0;
      return sp;
    }
    case MemExt.TableSet: {
      const t = inst.tables[code[pc + 1]!]!;
      sp -= 4;
      const i = addr(i32, sp, t.i64);
      if (i >= t.elements.length) throw new Trap('out of bounds table access');
      t.elements[i] = inst.store.value(i32[sp + 2]!);
      return sp;
    }
    case MemExt.TableSize: {
      const t = inst.tables[code[pc + 1]!]!;
      i32[sp + 1] = 0;
      putAddr(i32, sp, t.elements.length, t.i64);
      return sp + 2;
    }
    case MemExt.TableGrow: {
      const t = inst.tables[code[pc + 1]!]!;
      sp -= 2;
      const n = addr(i32, sp, t.i64);
      putAddr(i32, sp - 2, growTable(t, n, inst.store.value(i32[sp - 2]!)), t.i64);
      return sp;
    }
    case MemExt.TableFill: {
      const t = inst.tables[code[pc + 1]!]!;
      sp -= 6;
      const d = addr(i32, sp, t.i64), v = inst.store.value(i32[sp + 2]!), n = addr(i32, sp + 4, t.i64);
      if (d + n > t.elements.length) throw new Trap('out of bounds table access');
      t.elements.fill(v, d, d + n);
      return sp;
    }
    case MemExt.TableCopy: {
      const td = inst.tables[code[pc + 1]!]!;
      const ts = inst.tables[code[pc + 2]!]!;
      sp -= 6;
      const d = addr(i32, sp, td.i64), s = addr(i32, sp + 2, ts.i64), n = addr(i32, sp + 4, td.i64 && ts.i64);
      if (s + n > ts.elements.length || d + n > td.elements.length) throw new Trap('out of bounds table access');
      if (td === ts) td.elements.copyWithin(d, s, s + n);
      else for (let k = 0; k < n; k++) td.elements[d + k] = ts.elements[s + k];
      return sp;
    }
    case MemExt.TableInit: {
      const t = inst.tables[code[pc + 1]!]!;
      const seg = inst.elemSegs[code[pc + 2]!];
      sp -= 6;
      const d = addr(i32, sp, t.i64), s = i32[sp + 2]! >>> 0, n = i32[sp + 4]! >>> 0;
      const len = seg === null || seg === undefined ? 0 : seg.length;
      if (s + n > len || d + n > t.elements.length) throw new Trap('out of bounds table access');
      for (let k = 0; k < n; k++) t.elements[d + k] = seg![s + k];
      return sp;
    }
    case MemExt.NarrowIndex: {
      if (i32[sp - 1] !== 0) i32[sp - 2] = -1;
      i32[sp - 1] = 0;
      return sp;
    }
    case MemExt.Simd: {
      const mem = inst.memories[code[pc + 1]!]!;
      const simdSub = code[pc + 5]!;
      // Plain loads (and load*_zero) take the address on top; a store and the lane forms have a v128 above it.
      const w = simdSub <= 10 || simdSub >= 92 ? sp - 2 : sp - 6;
      i32[w] = effective(mem, addr(i32, w, code[pc + 4]!), code[pc + 2]!, code[pc + 3]! >>> 0, SIMD_ACCESS[simdSub]!);
      return execSimd(code, pc + 5, sp, i32, mem, inst.globals);
    }
  }
  throw new Error(`internal error: bad MEM_EXT sub-opcode ${sub}`);
}

/** table.grow with an i64 delta: a delta no table could take fails (-1) before any allocation. */
function growTable(t: TableInstance, delta: number, init: unknown): number {
  if (delta > t.limit) return -1;
  return t.grow(delta, init);
}
