// The interpreter's rarely executed numeric instructions (i64 ordering, bit counts, float rounding,
// conversions, saturating truncations): pure operand-stack operations with no immediates, run from
// the dispatch loop's default case so `Machine.exec` stays under V8's optimisation size limit with
// room for the superinstructions that pay. Returns the new stack pointer.
import { Op } from './ops';
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
