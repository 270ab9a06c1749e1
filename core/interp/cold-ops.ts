// The interpreter's rarely executed instructions, run from the dispatch loop's default case so
// `Machine.exec` stays under V8's optimisation size limit with room for the superinstructions that
// pay, and each of its (re)compilations is smaller: execCold runs numerics (i64 ordering, bit counts,
// float rounding, conversions, saturating truncations), pure operand-stack operations with no
// immediates; execRare the instructions with immediates or instance state (tables, references, bulk
// memory). Both return the new stack pointer.
import { Trap } from '../errors';
import { Op } from './ops';
import type { Instance, MemoryInstance } from './runtime';
import { ctz32, i64ToF32, i64ToF64, nearest, popcnt32, truncI32, truncI64, truncSatI32 } from './numerics';

export function execCold(op: number, sp: number, i32: Int32Array, f32: Float32Array, f64: Float64Array): number {
  switch (op) {
    case Op.I64_LT_S: case Op.I64_LT_U: case Op.I64_GT_S: case Op.I64_GT_U:
    case Op.I64_LE_S: case Op.I64_LE_U: case Op.I64_GE_S: case Op.I64_GE_U: {
      sp -= 2;
      const a = sp - 2;
      const ah = i32[a + 1]!, bh = i32[sp + 1]!;
      let c: number; // -1, 0, 1
      if (ah !== bh) {
        const signed = op === Op.I64_LT_S || op === Op.I64_GT_S || op === Op.I64_LE_S || op === Op.I64_GE_S;
        c = signed ? (ah < bh ? -1 : 1) : (ah >>> 0 < bh >>> 0 ? -1 : 1);
      } else {
        const al = i32[a]! >>> 0, bl = i32[sp]! >>> 0;
        c = al < bl ? -1 : al > bl ? 1 : 0;
      }
      let r: boolean;
      if (op === Op.I64_LT_S || op === Op.I64_LT_U) r = c < 0;
      else if (op === Op.I64_GT_S || op === Op.I64_GT_U) r = c > 0;
      else if (op === Op.I64_LE_S || op === Op.I64_LE_U) r = c <= 0;
      else r = c >= 0;
      i32[a] = r ? 1 : 0;
      break;
    }
    case Op.I32_CTZ: i32[sp - 2] = ctz32(i32[sp - 2]!); break;
    case Op.I32_POPCNT: i32[sp - 2] = popcnt32(i32[sp - 2]!); break;
    case Op.I64_CLZ: {
      const h = i32[sp - 1]!;
      i32[sp - 2] = h !== 0 ? Math.clz32(h) : 32 + Math.clz32(i32[sp - 2]!);
      i32[sp - 1] = 0;
      break;
    }
    case Op.I64_CTZ: {
      const l = i32[sp - 2]!;
      i32[sp - 2] = l !== 0 ? ctz32(l) : 32 + ctz32(i32[sp - 1]!);
      i32[sp - 1] = 0;
      break;
    }
    case Op.I64_POPCNT:
      i32[sp - 2] = popcnt32(i32[sp - 2]!) + popcnt32(i32[sp - 1]!);
      i32[sp - 1] = 0;
      break;
    case Op.F32_ABS: i32[sp - 2] = i32[sp - 2]! & 0x7fffffff; break;
    case Op.F32_NEG: i32[sp - 2] = i32[sp - 2]! ^ -0x80000000; break;
    case Op.F32_CEIL: { const x = f32[sp - 2]!; f32[sp - 2] = x !== x ? NaN : Math.ceil(x); break; }
    case Op.F32_FLOOR: { const x = f32[sp - 2]!; f32[sp - 2] = x !== x ? NaN : Math.floor(x); break; }
    case Op.F32_TRUNC: { const x = f32[sp - 2]!; f32[sp - 2] = x !== x ? NaN : Math.trunc(x); break; }
    case Op.F32_NEAREST: f32[sp - 2] = nearest(f32[sp - 2]!); break;
    case Op.F32_MIN: sp -= 2; f32[sp - 2] = Math.min(f32[sp - 2]!, f32[sp]!); break;
    case Op.F32_MAX: sp -= 2; f32[sp - 2] = Math.max(f32[sp - 2]!, f32[sp]!); break;
    case Op.F32_COPYSIGN: sp -= 2; i32[sp - 2] = (i32[sp - 2]! & 0x7fffffff) | (i32[sp]! & -0x80000000); break;
    case Op.F64_ABS: i32[sp - 1] = i32[sp - 1]! & 0x7fffffff; break;
    case Op.F64_NEG: i32[sp - 1] = i32[sp - 1]! ^ -0x80000000; break;
    case Op.F64_CEIL: { const x = f64[(sp - 2) >> 1]!; f64[(sp - 2) >> 1] = x !== x ? NaN : Math.ceil(x); break; }
    case Op.F64_FLOOR: { const x = f64[(sp - 2) >> 1]!; f64[(sp - 2) >> 1] = x !== x ? NaN : Math.floor(x); break; }
    case Op.F64_TRUNC: { const x = f64[(sp - 2) >> 1]!; f64[(sp - 2) >> 1] = x !== x ? NaN : Math.trunc(x); break; }
    case Op.F64_NEAREST: f64[(sp - 2) >> 1] = nearest(f64[(sp - 2) >> 1]!); break;
    case Op.F64_MIN: sp -= 2; f64[(sp - 2) >> 1] = Math.min(f64[(sp - 2) >> 1]!, f64[sp >> 1]!); break;
    case Op.F64_MAX: sp -= 2; f64[(sp - 2) >> 1] = Math.max(f64[(sp - 2) >> 1]!, f64[sp >> 1]!); break;
    case Op.F64_COPYSIGN: sp -= 2; i32[sp - 1] = (i32[sp - 1]! & 0x7fffffff) | (i32[sp + 1]! & -0x80000000); break;
    case Op.I32_TRUNC_F32_S: i32[sp - 2] = truncI32(f32[sp - 2]!, true); break;
    case Op.I32_TRUNC_F32_U: i32[sp - 2] = truncI32(f32[sp - 2]!, false); break;
    case Op.I32_TRUNC_F64_S: i32[sp - 2] = truncI32(f64[(sp - 2) >> 1]!, true); break;
    case Op.I32_TRUNC_F64_U: i32[sp - 2] = truncI32(f64[(sp - 2) >> 1]!, false); break;
    case Op.I64_TRUNC_F32_S: truncI64(i32, sp - 2, f32[sp - 2]!, true, false); break;
    case Op.I64_TRUNC_F32_U: truncI64(i32, sp - 2, f32[sp - 2]!, false, false); break;
    case Op.I64_TRUNC_F64_S: truncI64(i32, sp - 2, f64[(sp - 2) >> 1]!, true, false); break;
    case Op.I64_TRUNC_F64_U: truncI64(i32, sp - 2, f64[(sp - 2) >> 1]!, false, false); break;
    case Op.F32_CONVERT_I32_S: f32[sp - 2] = i32[sp - 2]!; break;
    case Op.F32_CONVERT_I32_U: f32[sp - 2] = i32[sp - 2]! >>> 0; break;
    case Op.F32_CONVERT_I64_S: f32[sp - 2] = i64ToF32(i32[sp - 2]!, i32[sp - 1]!, true); break;
    case Op.F32_CONVERT_I64_U: f32[sp - 2] = i64ToF32(i32[sp - 2]!, i32[sp - 1]!, false); break;
    case Op.F32_DEMOTE_F64: f32[sp - 2] = f64[(sp - 2) >> 1]!; break;
    case Op.F64_CONVERT_I64_S: f64[(sp - 2) >> 1] = i64ToF64(i32[sp - 2]!, i32[sp - 1]!, true); break;
    case Op.F64_CONVERT_I64_U: f64[(sp - 2) >> 1] = i64ToF64(i32[sp - 2]!, i32[sp - 1]!, false); break;
    case Op.I64_EXTEND8_S: { const v = (i32[sp - 2]! << 24) >> 24; i32[sp - 2] = v; i32[sp - 1] = v >> 31; break; }
    case Op.I64_EXTEND16_S: { const v = (i32[sp - 2]! << 16) >> 16; i32[sp - 2] = v; i32[sp - 1] = v >> 31; break; }
    case Op.I64_EXTEND32_S: i32[sp - 1] = i32[sp - 2]! >> 31; break;
    case Op.I32_TRUNC_SAT_F32_S: i32[sp - 2] = truncSatI32(f32[sp - 2]!, true); break;
    case Op.I32_TRUNC_SAT_F32_U: i32[sp - 2] = truncSatI32(f32[sp - 2]!, false); break;
    case Op.I32_TRUNC_SAT_F64_S: i32[sp - 2] = truncSatI32(f64[(sp - 2) >> 1]!, true); break;
    case Op.I32_TRUNC_SAT_F64_U: i32[sp - 2] = truncSatI32(f64[(sp - 2) >> 1]!, false); break;
    case Op.I64_TRUNC_SAT_F32_S: truncI64(i32, sp - 2, f32[sp - 2]!, true, true); break;
    case Op.I64_TRUNC_SAT_F32_U: truncI64(i32, sp - 2, f32[sp - 2]!, false, true); break;
    case Op.I64_TRUNC_SAT_F64_S: truncI64(i32, sp - 2, f64[(sp - 2) >> 1]!, true, true); break;
    case Op.I64_TRUNC_SAT_F64_U: truncI64(i32, sp - 2, f64[(sp - 2) >> 1]!, false, true); break;
    default:
      throw new Error(`internal error: bad opcode ${op}`);
  }
  return sp;
}

/** execRare's marker for an opcode it does not run. */
export const NOT_RARE = 255;

/** Immediates after each opcode execRare runs (the dispatch loop skips them); NOT_RARE elsewhere. */
export const RARE_IMMS = new Uint8Array(1024).fill(NOT_RARE);
for (const [op, n] of [
  [Op.TABLE_GET, 1], [Op.TABLE_SET, 1], [Op.MEMORY_SIZE, 0], [Op.MEMORY_GROW, 0],
  [Op.REF_NULL, 0], [Op.REF_IS_NULL, 0], [Op.REF_FUNC, 1], [Op.REF_AS_NON_NULL, 0], [Op.REF_EQ, 0],
  [Op.BR_ON_NULL_PRE, 0], [Op.BR_ON_NON_NULL_PRE, 0],
  [Op.MEMORY_INIT, 1], [Op.DATA_DROP, 1], [Op.MEMORY_COPY, 0], [Op.MEMORY_FILL, 0],
  [Op.TABLE_INIT, 2], [Op.ELEM_DROP, 1], [Op.TABLE_COPY, 2], [Op.TABLE_GROW, 1], [Op.TABLE_SIZE, 1], [Op.TABLE_FILL, 1],
] as const) RARE_IMMS[op] = n;

/**
 * The rarely executed instructions that read immediates (at `pc`, which the caller then moves past
 * them) or the instance: references, tables, bulk memory, memory.size and memory.grow on memory 0
 * (`mem`). Out of `Machine.exec` so every recompilation of the dispatch loop is smaller; the caller
 * reloads its memory views afterwards. Returns the new stack pointer.
 */
export function execRare(op: number, code: Int32Array, pc: number, sp: number, i32: Int32Array, inst: Instance, mem: MemoryInstance): number {
  switch (op) {
    case Op.TABLE_GET: {
      const t = inst.tables[code[pc]!]!;
      const i = i32[sp - 2]! >>> 0;
      if (i >= t.elements.length) throw new Trap('out of bounds table access');
      i32[sp - 2] = inst.store.handle(t.elements[i]);
      break;
    }
    case Op.TABLE_SET: {
      const t = inst.tables[code[pc]!]!;
      sp -= 4;
      const i = i32[sp]! >>> 0;
      if (i >= t.elements.length) throw new Trap('out of bounds table access');
      t.elements[i] = inst.store.value(i32[sp + 2]!);
      break;
    }
    case Op.MEMORY_SIZE: i32[sp] = mem.u8.length / 65536; sp += 2; break;
    case Op.MEMORY_GROW: {
      i32[sp - 2] = mem.grow(i32[sp - 2]! >>> 0);
      break;
    }
    case Op.REF_NULL: i32[sp] = 0; sp += 2; break;
    case Op.REF_IS_NULL: i32[sp - 2] = i32[sp - 2] === 0 ? 1 : 0; break;
    case Op.REF_FUNC: i32[sp] = inst.store.handle(inst.funcs[code[pc]!]!); sp += 2; break;
    case Op.REF_AS_NON_NULL: if (i32[sp - 2] === 0) throw new Trap('null reference'); break;
    case Op.REF_EQ: sp -= 2; i32[sp - 2] = i32[sp - 2] === i32[sp] ? 1 : 0; break;
    case Op.BR_ON_NULL_PRE:
      if (i32[sp - 2] === 0) i32[sp - 2] = 1;
      else { i32[sp] = 0; sp += 2; }
      break;
    case Op.BR_ON_NON_NULL_PRE:
      // a null's slot (0) is the condition: the ref is dropped and the branch not taken
      if (i32[sp - 2] !== 0) { i32[sp] = 1; sp += 2; }
      break;
    case Op.MEMORY_INIT: {
      sp -= 6;
      const seg = inst.dataSegs[code[pc]!];
      const d = i32[sp]! >>> 0, s = i32[sp + 2]! >>> 0, n = i32[sp + 4]! >>> 0;
      const len = seg === null || seg === undefined ? 0 : seg.length;
      if (s + n > len || d + n > mem.u8.length) throw new Trap('out of bounds memory access');
      if (n > 0) mem.u8.set(seg!.subarray(s, s + n), d);
      break;
    }
    case Op.DATA_DROP: inst.dataSegs[code[pc]!] = null; break;
    case Op.MEMORY_COPY: {
      sp -= 6;
      const d = i32[sp]! >>> 0, s = i32[sp + 2]! >>> 0, n = i32[sp + 4]! >>> 0;
      if (s + n > mem.u8.length || d + n > mem.u8.length) throw new Trap('out of bounds memory access');
      mem.u8.copyWithin(d, s, s + n);
      break;
    }
    case Op.MEMORY_FILL: {
      sp -= 6;
      const d = i32[sp]! >>> 0, v = i32[sp + 2]!, n = i32[sp + 4]! >>> 0;
      if (d + n > mem.u8.length) throw new Trap('out of bounds memory access');
      mem.u8.fill(v & 255, d, d + n);
      break;
    }
    case Op.TABLE_INIT: {
      sp -= 6;
      const seg = inst.elemSegs[code[pc]!];
      const t = inst.tables[code[pc + 1]!]!;
      const d = i32[sp]! >>> 0, s = i32[sp + 2]! >>> 0, n = i32[sp + 4]! >>> 0;
      const len = seg === null || seg === undefined ? 0 : seg.length;
      if (s + n > len || d + n > t.elements.length) throw new Trap('out of bounds table access');
      for (let k = 0; k < n; k++) t.elements[d + k] = seg![s + k];
      break;
    }
    case Op.ELEM_DROP: inst.elemSegs[code[pc]!] = null; break;
    case Op.TABLE_COPY: {
      sp -= 6;
      const td = inst.tables[code[pc]!]!;
      const ts = inst.tables[code[pc + 1]!]!;
      const d = i32[sp]! >>> 0, s = i32[sp + 2]! >>> 0, n = i32[sp + 4]! >>> 0;
      if (s + n > ts.elements.length || d + n > td.elements.length) throw new Trap('out of bounds table access');
      if (td === ts) td.elements.copyWithin(d, s, s + n);
      else for (let k = 0; k < n; k++) td.elements[d + k] = ts.elements[s + k];
      break;
    }
    case Op.TABLE_GROW: {
      const t = inst.tables[code[pc]!]!;
      sp -= 2;
      i32[sp - 2] = t.grow(i32[sp]! >>> 0, inst.store.value(i32[sp - 2]!));
      break;
    }
    case Op.TABLE_SIZE: i32[sp] = inst.tables[code[pc]!]!.elements.length; sp += 2; break;
    case Op.TABLE_FILL: {
      const t = inst.tables[code[pc]!]!;
      sp -= 6;
      const d = i32[sp]! >>> 0, v = inst.store.value(i32[sp + 2]!), n = i32[sp + 4]! >>> 0;
      if (d + n > t.elements.length) throw new Trap('out of bounds table access');
      for (let k = 0; k < n; k++) t.elements[d + k] = v;
      break;
    }
    default:
      throw new Error(`internal error: bad opcode ${op}`);
  }
  return sp;
}
