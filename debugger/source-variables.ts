// Source-level variables from DWARF for one paused Wasm frame: the C/C++/Rust parameters and
// locals in scope, their values read through the machine, and the children of structs, arrays and
// pointers for the Variables view.
import {
  byteSizeOf, hasValueChildren, resolveType, summarize, typeName, valueChildren,
  type DwarfInfo, type DwarfType, type FormatOptions, type Location, type SourceVariable, type WasmScalar, type WasmStateAccessor,
} from '../core/debuginfo';
import type { DebugTarget, Value } from './engine';
import { parseValue, ValueSyntaxError } from './value-format';

/** A value of a source type: its bytes, and where they live when that is memory (for children). */
export interface SourceValue {
  name: string;
  type: DwarfType;
  bytes?: Uint8Array;
  address?: number;
  reason?: string;
  /** Where a variable itself lives (members and pointees: `address`). */
  location?: Location;
  /** Shown by its layout, without the language formatters (the `[raw]` child). */
  raw?: boolean;
}

function formatOptions(accessor: WasmStateAccessor): FormatOptions {
  return { readMemory: accessor.readMemory, maxElements: 16, maxDepth: 2 };
}

function scalar(v: Value | undefined): WasmScalar | undefined {
  if (!v || v.type === 'funcref' || v.type === 'externref' || v.type === 'exnref' || v.type === 'anyref') return undefined;
  return v;
}

/** Machine state as the DWARF reader asks for it, for frame `frame`. */
export function frameAccessor(t: DebugTarget, frame: number): WasmStateAccessor {
  return {
    local: (i) => scalar(t.locals(frame).find((l) => l.index === i)?.value),
    global: (i) => scalar(t.globals().find((g) => g.index === i)?.value),
    stack: (i) => scalar(t.operandStack(frame)[i]),
    readMemory: (address, length) => {
      const mem = t.memory(0);
      if (!mem || address < 0 || address + length > mem.length) return undefined;
      return mem.slice(address, address + length);
    },
  };
}

/** The variables in scope, innermost block first; a name shadowed by an inner one is left out. */
export function variablesInScope(scopes: { variables: SourceVariable[] }[]): SourceVariable[] {
  const seen = new Set<string>();
  const out: SourceVariable[] = [];
  for (const s of scopes) {
    for (const v of s.variables) {
      if (seen.has(v.name)) continue;
      seen.add(v.name);
      out.push(v);
    }
  }
  // Parameters first, as the source declares them.
  return [...out.filter((v) => v.isParameter), ...out.filter((v) => !v.isParameter)];
}

export function readVariable(v: SourceVariable, accessor: WasmStateAccessor): SourceValue {
  const r = v.read(accessor);
  const out: SourceValue = { name: v.name, type: v.type, location: r.location };
  if (r.bytes) out.bytes = r.bytes;
  if (r.location.kind === 'memory') out.address = r.location.address;
  if (r.reason) out.reason = r.reason;
  return out;
}

export function showValue(sv: SourceValue, accessor: WasmStateAccessor): string {
  if (!sv.bytes) return `<${sv.reason ?? 'unavailable'}>`;
  const text = summarize(sv, formatOptions(accessor));
  return sv.reason ? `${text} (${sv.reason})` : text;
}

/** Whether the Variables view can expand it: formatted values, structs, arrays, and pointers to something. */
export function hasChildren(sv: SourceValue, accessor: WasmStateAccessor): boolean {
  return hasValueChildren(sv, formatOptions(accessor));
}

/** Elements and entries of formatted values (then `[raw]`), members, elements, or what a pointer points to (`*name`). */
export function childrenOf(sv: SourceValue, accessor: WasmStateAccessor, max = 100): SourceValue[] {
  return valueChildren(sv, formatOptions(accessor), max, sv.name);
}

export function typeNameOf(sv: SourceValue): string {
  return typeName(sv.type);
}

/** A scalar source value (integer, float, bool, char, enum, pointer) as an engine Value, for expressions. */
export function scalarValue(sv: SourceValue): Value | undefined {
  if (!sv.bytes) return undefined;
  const t = resolveType(sv.type);
  const size = byteSizeOf(t);
  if (size === 0 || size > 8 || sv.bytes.length < size) return undefined;
  const dv = new DataView(sv.bytes.buffer, sv.bytes.byteOffset, size);
  if (t.kind === 'base' && t.encoding === 'float') {
    if (size === 4) return { type: 'f32', bits: dv.getUint32(0, true) };
    if (size === 8) return { type: 'f64', bits: dv.getBigUint64(0, true) };
    return undefined;
  }
  if (t.kind !== 'base' && t.kind !== 'enum' && t.kind !== 'pointer') return undefined;
  const signed = t.kind === 'base' ? t.encoding === 'signed' || t.encoding === 'signed-char' : t.kind === 'enum';
  if (size === 8) return { type: 'i64', value: signed ? dv.getBigInt64(0, true) : BigInt.asIntN(64, dv.getBigUint64(0, true)) };
  const n = size === 1 ? (signed ? dv.getInt8(0) : dv.getUint8(0)) : size === 2 ? (signed ? dv.getInt16(0, true) : dv.getUint16(0, true)) : dv.getInt32(0, true);
  return { type: 'i32', value: n | 0 };
}

/** Finds `name` or `name.member.member` among the frame's source variables (then the unit's globals). */
export function findSourceValue(info: DwarfInfo, t: DebugTarget, frame: number, inlineDepth: number, path: string): SourceValue | undefined {
  const at = t.frames()[frame];
  if (!at) return undefined;
  const [head, ...members] = path.split('.');
  const accessor = frameAccessor(t, frame);
  const found = variablesInScope(info.variablesAt(at.offset, inlineDepth)).find((v) => v.name === head)
    ?? info.globalsAt(at.offset).find((v) => v.name === head);
  if (!found) return undefined;
  let value: SourceValue | undefined = readVariable(found, accessor);
  for (const m of members) value = value && childrenOf(value, accessor).find((c) => c.name === m);
  return value;
}

/**
 * Writes a scalar source variable from text (setVariable): into its Wasm local, global or memory,
 * wherever DWARF says it lives now. Returns the new value as shown.
 */
export function writeSourceValue(t: DebugTarget, frame: number, sv: SourceValue, location: Location, text: string): void {
  const current = scalarValue(sv);
  if (!current) throw new Error(`${sv.name} is not a number, so it cannot be set from text`);
  const size = byteSizeOf(resolveType(sv.type));
  let next: Value;
  try {
    next = parseValue(current.type, text.trim());
  } catch (err) {
    throw new Error(err instanceof ValueSyntaxError ? err.message : String(err));
  }
  const bytes = new Uint8Array(8);
  const dv = new DataView(bytes.buffer);
  if (next.type === 'i32') dv.setInt32(0, next.value, true);
  else if (next.type === 'i64') dv.setBigInt64(0, next.value, true);
  else if (next.type === 'f32') dv.setUint32(0, next.bits, true);
  else if (next.type === 'f64') dv.setBigUint64(0, next.bits, true);
  switch (location.kind) {
    case 'memory': {
      const mem = t.memory(0);
      if (!mem || location.address + size > mem.length) throw new Error(`${sv.name} is outside memory`);
      mem.set(bytes.subarray(0, size), location.address);
      return;
    }
    case 'local': {
      const local = t.locals(frame).find((l) => l.index === location.index);
      if (!local) throw new Error(`Wasm local ${location.index} of ${sv.name} is not there`);
      t.setLocal(frame, location.index, widen(next, local.type));
      return;
    }
    case 'global': {
      const g = t.globals().find((x) => x.index === location.index);
      if (!g || !g.mutable) throw new Error(`${sv.name} lives in an immutable global`);
      t.setGlobal(location.index, widen(next, g.type));
      return;
    }
    default:
      throw new Error(`${sv.name} cannot be written (${location.kind === 'unavailable' ? location.reason : `it is a ${location.kind} location`})`);
  }
}

/** A narrow C value stored in a wider Wasm slot (an int in an i64 local, say). */
function widen(v: Value, type: Value['type']): Value {
  if (v.type === type) return v;
  if (v.type === 'i32' && type === 'i64') return { type: 'i64', value: BigInt(v.value) };
  if (v.type === 'i64' && type === 'i32') return { type: 'i32', value: Number(BigInt.asIntN(32, v.value)) };
  throw new Error(`cannot store a ${v.type} in a ${type} slot`);
}
