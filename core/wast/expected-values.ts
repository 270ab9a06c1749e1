// Script constants → engine Values, and expected results matched bit-exactly (NaN patterns per the
// spec: canonical = quiet NaN with an empty payload, arithmetic = any quiet NaN, either sign).
import { GcArray, GcStruct, I31Ref } from '../interp/gc-objects';
import type { NanPattern, WastConst, WastExpected } from '../text';
import type { Value } from '../interp';

/** Host references `ref.extern N`: one object per N, so identity survives a round trip. */
export class ExternRefs {
  private readonly refs = new Map<number, { externref: number }>();
  get(n: number): { externref: number } {
    let r = this.refs.get(n);
    if (!r) this.refs.set(n, (r = { externref: n }));
    return r;
  }
}

export function toValue(c: WastConst, externs: ExternRefs): Value {
  switch (c.type) {
    case 'i32': return { type: 'i32', value: c.value };
    case 'i64': return { type: 'i64', value: c.value };
    case 'f32': return { type: 'f32', bits: c.bits };
    case 'f64': return { type: 'f64', bits: c.bits };
    case 'v128': return { type: 'v128', bytes: c.bytes };
    case 'ref.null': return { type: nullKind(c.heap) ?? 'anyref', value: null };
    case 'ref.extern': return { type: 'externref', value: externs.get(c.value) };
    case 'ref.host': return { type: 'anyref', value: externs.get(c.value) };
    case 'ref.func':
      throw new Error('ref.func arguments are not supported');
  }
}

/** The Value kind of a null of heap type `heap` (its hierarchy); undefined for `(ref.null)`. */
function nullKind(heap: string | undefined): 'funcref' | 'externref' | 'exnref' | 'anyref' | undefined {
  switch (heap) {
    case undefined: case '': return undefined;
    case 'func': case 'nofunc': return 'funcref';
    case 'extern': case 'noextern': return 'externref';
    case 'exn': case 'noexn': return 'exnref';
    default: return 'anyref';
  }
}

function f32Nan(bits: number, p: NanPattern): boolean {
  const b = bits & 0x7fffffff;
  return p === 'canonical' ? b === 0x7fc00000 : (b & 0x7fc00000) === 0x7fc00000;
}

function f64Nan(bits: bigint, p: NanPattern): boolean {
  const b = bits & 0x7fffffffffffffffn;
  return p === 'canonical' ? b === 0x7ff8000000000000n : (b & 0x7ff8000000000000n) === 0x7ff8000000000000n;
}

/** Whether an actual result matches the expectation. */
export function matches(actual: Value, e: WastExpected, externs: ExternRefs): boolean {
  switch (e.type) {
    case 'i32': return actual.type === 'i32' && (actual.value | 0) === (e.value | 0);
    case 'i64': return actual.type === 'i64' && BigInt.asIntN(64, actual.value) === BigInt.asIntN(64, e.value);
    case 'f32':
      if (actual.type !== 'f32') return false;
      return 'nan' in e ? f32Nan(actual.bits, e.nan) : actual.bits >>> 0 === e.bits >>> 0;
    case 'f64':
      if (actual.type !== 'f64') return false;
      return 'nan' in e ? f64Nan(actual.bits, e.nan) : BigInt.asUintN(64, actual.bits) === BigInt.asUintN(64, e.bits);
    case 'v128': {
      if (actual.type !== 'v128') return false;
      if (!('nanLanes' in e)) return actual.bytes.every((b, i) => b === e.bytes[i]);
      const dv = new DataView(actual.bytes.buffer, actual.bytes.byteOffset, 16);
      const ev = new DataView(e.bytes.buffer, e.bytes.byteOffset, 16);
      return e.nanLanes.every((nan, i) => {
        if (e.shape === 'f32x4') {
          const a = dv.getUint32(i * 4, true);
          return nan ? f32Nan(a, nan) : a === ev.getUint32(i * 4, true);
        }
        const a = dv.getBigUint64(i * 8, true);
        return nan ? f64Nan(a, nan) : a === ev.getBigUint64(i * 8, true);
      });
    }
    case 'ref.null': {
      const kind = nullKind(e.heap);
      const isRef = actual.type === 'funcref' || actual.type === 'externref' || actual.type === 'exnref' || actual.type === 'anyref';
      return isRef && actual.value === null && (kind === undefined || actual.type === kind);
    }
    case 'ref.extern':
      if (actual.type !== 'externref' || actual.value === null) return false;
      return e.value === undefined || actual.value === externs.get(e.value);
    case 'ref.host':
      return (actual.type === 'anyref' || actual.type === 'externref') && actual.value === externs.get(e.value);
    case 'ref.i31': case 'ref.struct': case 'ref.array': case 'ref.eq': case 'ref.any': {
      if ((actual.type !== 'anyref' && actual.type !== 'externref') || actual.value === null) return false;
      const v = actual.value;
      const i31 = v instanceof I31Ref, st = v instanceof GcStruct, ar = v instanceof GcArray;
      switch (e.type) {
        case 'ref.i31': return i31;
        case 'ref.struct': return st;
        case 'ref.array': return ar;
        case 'ref.eq': return i31 || st || ar;
        default: return actual.type === 'anyref';
      }
    }
    case 'ref.func':
      if (actual.type !== 'funcref' || actual.value === null) return false;
      return e.index === undefined || actual.value.index === e.index;
    case 'either':
      return e.options.some((o) => matches(actual, o, externs));
  }
}

const dv = new DataView(new ArrayBuffer(8));

/** A readable form of an expectation or a value, for failure messages. */
export function describeExpected(e: WastExpected): string {
  switch (e.type) {
    case 'i32': return `i32:${e.value}`;
    case 'i64': return `i64:${e.value}`;
    case 'f32':
      if ('nan' in e) return `f32:nan:${e.nan}`;
      dv.setUint32(0, e.bits, true);
      return `f32:${dv.getFloat32(0, true)} (0x${(e.bits >>> 0).toString(16)})`;
    case 'f64':
      if ('nan' in e) return `f64:nan:${e.nan}`;
      dv.setBigUint64(0, e.bits, true);
      return `f64:${dv.getFloat64(0, true)} (0x${e.bits.toString(16)})`;
    case 'v128': return `v128:${hex(e.bytes)}${'nanLanes' in e ? ` nan lanes ${e.nanLanes.map((n) => n ?? '-').join(',')}` : ''}`;
    case 'ref.null': return e.heap === undefined ? 'ref.null' : `ref.null ${e.heap}`;
    case 'ref.extern': return e.value === undefined ? 'ref.extern' : `ref.extern ${e.value}`;
    case 'ref.func': return e.index === undefined ? 'ref.func' : `ref.func ${e.index}`;
    case 'ref.host': return `ref.host ${e.value}`;
    case 'ref.i31': case 'ref.struct': case 'ref.array': case 'ref.eq': case 'ref.any': return e.type;
    case 'either': return `either(${e.options.map(describeExpected).join(' | ')})`;
  }
}

export function describeValue(v: Value): string {
  switch (v.type) {
    case 'i32': return `i32:${v.value}`;
    case 'i64': return `i64:${v.value}`;
    case 'f32':
      dv.setUint32(0, v.bits, true);
      return `f32:${dv.getFloat32(0, true)} (0x${(v.bits >>> 0).toString(16)})`;
    case 'f64':
      dv.setBigUint64(0, BigInt.asUintN(64, v.bits), true);
      return `f64:${dv.getFloat64(0, true)} (0x${BigInt.asUintN(64, v.bits).toString(16)})`;
    case 'v128': return `v128:${hex(v.bytes)}`;
    case 'funcref': return v.value === null ? 'ref.null func' : `ref.func ${v.value.index}`;
    case 'externref': {
      if (v.value === null) return 'ref.null extern';
      const r = v.value as { externref?: number };
      return typeof r === 'object' && r.externref !== undefined ? `ref.extern ${r.externref}` : 'ref.extern ?';
    }
    case 'exnref': return v.value === null ? 'ref.null exn' : `ref.exn ${v.value.tag.name ?? '?'}`;
    case 'anyref': return v.value === null ? 'ref.null any' : `ref.any ${String(v.value)}`;
  }
}

function hex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');
}
