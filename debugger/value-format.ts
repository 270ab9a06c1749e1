// Shows engine Values as debugger text and reads text typed by the user back into Values
// (setVariable, expression literals); v128 is split into lanes for the Variables view.
import type { Value } from './engine';
import { formatType, type ValTypeCode } from '../core/types';

const scratch = new DataView(new ArrayBuffer(8));

export function f32FromBits(bits: number): number {
  scratch.setUint32(0, bits >>> 0, true);
  return scratch.getFloat32(0, true);
}

export function f64FromBits(bits: bigint): number {
  scratch.setBigUint64(0, BigInt.asUintN(64, bits), true);
  return scratch.getFloat64(0, true);
}

export function bitsFromF32(x: number): number {
  scratch.setFloat32(0, x, true);
  return scratch.getUint32(0, true);
}

export function bitsFromF64(x: number): bigint {
  scratch.setFloat64(0, x, true);
  return scratch.getBigUint64(0, true);
}

/** A float as Wasm text writes it: `nan`, `-inf`, with the payload when it is not canonical. */
function formatFloat(x: number, payload: bigint, canonical: bigint): string {
  if (Number.isNaN(x)) {
    const sign = payload < 0n ? '-' : '';
    const bits = payload < 0n ? -payload : payload;
    return bits === canonical ? `${sign}nan` : `${sign}nan:0x${bits.toString(16)}`;
  }
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

export function formatValue(v: Value): string {
  switch (v.type) {
    case 'i32':
      return String(v.value | 0);
    case 'i64':
      return String(BigInt.asIntN(64, v.value));
    case 'f32': {
      const x = f32FromBits(v.bits);
      const payload = BigInt(v.bits & 0x7fffff) * (v.bits & 0x80000000 ? -1n : 1n);
      return formatFloat(x, payload, 0x400000n);
    }
    case 'f64': {
      const b = BigInt.asUintN(64, v.bits);
      const payload = (b & 0xfffffffffffffn) * (b >> 63n ? -1n : 1n);
      return formatFloat(f64FromBits(b), payload, 0x8000000000000n);
    }
    case 'v128':
      return `i32x4 ${v128Lanes(v.bytes, 'i32x4').join(' ')}`;
    case 'funcref':
      return v.value === null ? 'null' : describeFuncRef(v.value);
    case 'externref':
      return v.value === null ? 'null' : `externref ${typeof v.value === 'object' ? 'object' : String(v.value)}`;
    case 'exnref':
      return v.value === null ? 'null' : `exnref (tag ${v.value.tag.name ?? '?'})`;
    case 'anyref':
      return v.value === null ? 'null' : `anyref ${String(v.value)}`;
  }
}

function describeFuncRef(ref: unknown): string {
  if (ref && typeof ref === 'object') {
    const r = ref as { funcIndex?: unknown; index?: unknown; name?: unknown };
    if (typeof r.name === 'string') return `func $${r.name}`;
    const idx = typeof r.funcIndex === 'number' ? r.funcIndex : typeof r.index === 'number' ? r.index : undefined;
    if (idx !== undefined) return `func ${idx}`;
  }
  return 'func';
}

/** The hex form shown beside an integer, so addresses and bit patterns are readable too. */
export function hexOf(v: Value): string | undefined {
  if (v.type === 'i32') return `0x${(v.value >>> 0).toString(16).padStart(8, '0')}`;
  if (v.type === 'i64') return `0x${BigInt.asUintN(64, v.value).toString(16).padStart(16, '0')}`;
  return undefined;
}

export type LaneShape = 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2';
export const laneShapes: readonly LaneShape[] = ['i8x16', 'i16x8', 'i32x4', 'i64x2', 'f32x4', 'f64x2'];

export function v128Lanes(bytes: Uint8Array, shape: LaneShape): string[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const out: string[] = [];
  switch (shape) {
    case 'i8x16':
      for (let i = 0; i < 16; i++) out.push(String(dv.getInt8(i)));
      break;
    case 'i16x8':
      for (let i = 0; i < 8; i++) out.push(String(dv.getInt16(i * 2, true)));
      break;
    case 'i32x4':
      for (let i = 0; i < 4; i++) out.push(String(dv.getInt32(i * 4, true)));
      break;
    case 'i64x2':
      for (let i = 0; i < 2; i++) out.push(String(dv.getBigInt64(i * 8, true)));
      break;
    case 'f32x4':
      for (let i = 0; i < 4; i++) out.push(formatValue({ type: 'f32', bits: dv.getUint32(i * 4, true) }));
      break;
    case 'f64x2':
      for (let i = 0; i < 2; i++) out.push(formatValue({ type: 'f64', bits: dv.getBigUint64(i * 8, true) }));
      break;
  }
  return out;
}

export class ValueSyntaxError extends Error {}

function parseInteger(text: string): bigint {
  const t = text.trim().replace(/_/g, '');
  const m = /^([+-]?)(0x[0-9a-f]+|\d+)$/i.exec(t);
  if (!m) throw new ValueSyntaxError(`'${text}' is not an integer`);
  const mag = BigInt(m[2]!);
  return m[1] === '-' ? -mag : mag;
}

function parseFloatText(text: string): number {
  const t = text.trim().replace(/_/g, '').toLowerCase();
  if (t === 'nan' || t === '+nan') return NaN;
  if (t === 'inf' || t === '+inf' || t === 'infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (/^[+-]?0x[0-9a-f]+$/.test(t)) return Number(parseInteger(t));
  const x = Number(t);
  if (t === '' || Number.isNaN(x)) throw new ValueSyntaxError(`'${text}' is not a number`);
  return x;
}

/**
 * Reads a value of the given type from text typed in the Variables view. Integers accept decimal
 * or hex and wrap the way Wasm stores them (so 0xffffffff is i32 -1); v128 takes `i32x4 a b c d`
 * style text or 16 byte values.
 */
const VALUE_KINDS: ReadonlySet<string> = new Set<Value['type']>(['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref', 'exnref', 'anyref']);

/** The value kind a parameter of type `t` takes (core/types' name for it); other references are written as externref (null only). */
export function valueKindOf(t: ValTypeCode): Value['type'] {
  const name = formatType(t);
  return VALUE_KINDS.has(name) ? (name as Value['type']) : 'externref';
}

export function parseValue(type: Value['type'], text: string): Value {
  switch (type) {
    case 'i32': {
      const n = parseInteger(text);
      if (n < -(1n << 31n) || n >= 1n << 32n) throw new ValueSyntaxError(`${text} does not fit in i32`);
      return { type: 'i32', value: Number(BigInt.asIntN(32, n)) };
    }
    case 'i64': {
      const n = parseInteger(text);
      if (n < -(1n << 63n) || n >= 1n << 64n) throw new ValueSyntaxError(`${text} does not fit in i64`);
      return { type: 'i64', value: BigInt.asIntN(64, n) };
    }
    case 'f32':
      return { type: 'f32', bits: bitsFromF32(parseFloatText(text)) };
    case 'f64':
      return { type: 'f64', bits: bitsFromF64(parseFloatText(text)) };
    case 'v128':
      return { type: 'v128', bytes: parseV128(text) };
    case 'funcref':
    case 'externref':
    case 'exnref':
    case 'anyref':
      if (text.trim() === 'null') return { type, value: null };
      throw new ValueSyntaxError(`only null can be written to a ${type}`);
  }
}

function parseV128(text: string): Uint8Array {
  const parts = text.trim().split(/\s+/);
  let shape: LaneShape = 'i8x16';
  if ((laneShapes as readonly string[]).includes(parts[0] ?? '')) shape = parts.shift() as LaneShape;
  const count = { i8x16: 16, i16x8: 8, i32x4: 4, i64x2: 2, f32x4: 4, f64x2: 2 }[shape];
  if (parts.length !== count) throw new ValueSyntaxError(`${shape} needs ${count} lanes, got ${parts.length}`);
  const bytes = new Uint8Array(16);
  const dv = new DataView(bytes.buffer);
  parts.forEach((p, i) => {
    switch (shape) {
      case 'i8x16': dv.setUint8(i, Number(BigInt.asUintN(8, parseInteger(p)))); break;
      case 'i16x8': dv.setUint16(i * 2, Number(BigInt.asUintN(16, parseInteger(p))), true); break;
      case 'i32x4': dv.setUint32(i * 4, Number(BigInt.asUintN(32, parseInteger(p))), true); break;
      case 'i64x2': dv.setBigUint64(i * 8, BigInt.asUintN(64, parseInteger(p)), true); break;
      case 'f32x4': dv.setFloat32(i * 4, parseFloatText(p), true); break;
      case 'f64x2': dv.setFloat64(i * 8, parseFloatText(p), true); break;
    }
  });
  return bytes;
}
