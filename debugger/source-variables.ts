// Source-level variables from DWARF for one paused Wasm frame: the C/C++/Rust parameters and
// locals in scope, their values read through the machine, and the children of structs, arrays and
// pointers for the Variables view.
import {
  byteSizeOf, childSlots, formatValue, pointerTarget, resolveType, typeName,
  type DwarfType, type SourceVariable, type WasmScalar, type WasmStateAccessor,
} from '../core/debuginfo';
import type { DebugTarget, Value } from './engine';

/** A value of a source type: its bytes, and where they live when that is memory (for children). */
export interface SourceValue {
  name: string;
  type: DwarfType;
  bytes?: Uint8Array;
  address?: number;
  reason?: string;
}

function scalar(v: Value | undefined): WasmScalar | undefined {
  if (!v || v.type === 'funcref' || v.type === 'externref') return undefined;
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
  const out: SourceValue = { name: v.name, type: v.type };
  if (r.bytes) out.bytes = r.bytes;
  if (r.location.kind === 'memory') out.address = r.location.address;
  if (r.reason) out.reason = r.reason;
  return out;
}

export function showValue(sv: SourceValue, accessor: WasmStateAccessor): string {
  if (!sv.bytes) return `<${sv.reason ?? 'unavailable'}>`;
  const text = formatValue(sv.type, sv.bytes, { readMemory: accessor.readMemory, maxElements: 16, maxDepth: 2 });
  return sv.reason ? `${text} (${sv.reason})` : text;
}

/** Whether the Variables view can expand it: structs, arrays, and pointers to something. */
export function hasChildren(sv: SourceValue): boolean {
  if (!sv.bytes) return false;
  const t = resolveType(sv.type);
  if (t.kind === 'struct' || t.kind === 'array') return childSlots(t, 1).length > 0;
  return pointerTarget(t, sv.bytes) !== undefined && pointerTarget(t, sv.bytes)!.address !== 0;
}

/** Members, elements, or what a pointer points to (`*name`). */
export function childrenOf(sv: SourceValue, accessor: WasmStateAccessor, max = 100): SourceValue[] {
  if (!sv.bytes) return [];
  const t = resolveType(sv.type);
  const target = pointerTarget(t, sv.bytes);
  if (target) {
    const size = byteSizeOf(target.type);
    const bytes = size > 0 ? accessor.readMemory(target.address, size) : undefined;
    const child: SourceValue = { name: `*${sv.name}`, type: target.type, address: target.address };
    if (bytes) child.bytes = bytes;
    else child.reason = `cannot read ${size} bytes at 0x${target.address.toString(16)}`;
    return [child];
  }
  return childSlots(t, max).map((slot) => {
    const size = byteSizeOf(slot.type);
    const child: SourceValue = { name: slot.name, type: slot.type };
    if (sv.address !== undefined) child.address = sv.address + slot.offset;
    if (slot.offset + size <= sv.bytes!.length) {
      let bytes: Uint8Array = sv.bytes!.slice(slot.offset, slot.offset + size);
      if (slot.bitSize !== undefined) bytes = extractBits(bytes, slot.bitOffset ?? 0, slot.bitSize);
      child.bytes = bytes;
    } else child.reason = 'unavailable';
    return child;
  });
}

/** A bit-field as the low bits of its container's bytes (little-endian), so base formatting applies. */
function extractBits(bytes: Uint8Array, bitOffset: number, bitSize: number): Uint8Array {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  n = (n >> BigInt(bitOffset)) & ((1n << BigInt(bitSize)) - 1n);
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

export function typeNameOf(sv: SourceValue): string {
  return typeName(sv.type);
}
