// Tagged values at the engine's API boundary (invoke, inspection, host calls through the Machine).
// Floats travel as raw bits so NaN payloads survive; i64 as bigint.
import type { ExceptionPackage } from './exceptions';
import type { FuncInstance } from './runtime';

export type FuncRef = FuncInstance;

export type Value =
  | { type: 'i32'; value: number }
  | { type: 'i64'; value: bigint }
  | { type: 'f32'; bits: number }
  | { type: 'f64'; bits: bigint }
  | { type: 'v128'; bytes: Uint8Array }
  | { type: 'funcref'; value: FuncRef | null }
  | { type: 'externref'; value: unknown }
  | { type: 'exnref'; value: ExceptionPackage | null }
  /** The any hierarchy (GC): structs, arrays, i31s and internalized externs. */
  | { type: 'anyref'; value: unknown };

export type ValueTypeName = Value['type'];

const scratch = new DataView(new ArrayBuffer(8));

export const i32 = (value: number): Value => ({ type: 'i32', value: value | 0 });
export const i64 = (value: bigint | number): Value => ({ type: 'i64', value: BigInt.asIntN(64, BigInt(value)) });
export const f32 = (x: number): Value => {
  scratch.setFloat32(0, x, true);
  return { type: 'f32', bits: scratch.getUint32(0, true) };
};
export const f64 = (x: number): Value => {
  scratch.setFloat64(0, x, true);
  return { type: 'f64', bits: scratch.getBigUint64(0, true) };
};
export const f32bits = (bits: number): Value => ({ type: 'f32', bits: bits >>> 0 });
export const f64bits = (bits: bigint): Value => ({ type: 'f64', bits: BigInt.asUintN(64, bits) });

/** The JS number of an f32/f64 value (NaN payloads are lost here, by design of JS numbers). */
export function floatOf(v: Value): number {
  if (v.type === 'f32') {
    scratch.setUint32(0, v.bits, true);
    return scratch.getFloat32(0, true);
  }
  if (v.type === 'f64') {
    scratch.setBigUint64(0, v.bits, true);
    return scratch.getFloat64(0, true);
  }
  throw new TypeError(`not a float: ${v.type}`);
}

/** A short human form: `i32:42`, `f64:1.5`, `funcref:null`... */
export function formatValue(v: Value): string {
  switch (v.type) {
    case 'i32': case 'i64': return `${v.type}:${v.value}`;
    case 'f32': case 'f64': return `${v.type}:${floatOf(v)}`;
    case 'v128': return `v128:${[...v.bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`;
    case 'funcref': return `funcref:${v.value === null ? 'null' : `func ${v.value.index}`}`;
    case 'externref': return `externref:${v.value === null ? 'null' : String(v.value)}`;
    case 'exnref': return `exnref:${v.value === null ? 'null' : `exception ${v.value.tag.name ?? '?'}`}`;
    case 'anyref': return `anyref:${v.value === null ? 'null' : String(v.value)}`;
  }
}
