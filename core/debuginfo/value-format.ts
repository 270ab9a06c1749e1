// Renders source values from their bytes and DWARF type — through the language formatters
// (formatters/) where a row takes the type, C-debugger style otherwise — and lists the children a
// Variables view expands (formatted elements and entries, or members, elements and the pointee).

import { findFormatter } from './formatters';
import { extractBits, liveVariant, type FormatContext, type NamedValue, type TypedValue } from './formatters/formatter';
import { byteSizeOf, type DwarfType, type Member, resolveType, typeName } from './types';

export { liveVariant };

export interface FormatOptions {
  /** Reads linear memory, to show the string a `char *` points to. */
  readMemory?: (address: number, length: number) => Uint8Array | undefined;
  /** Elements shown before an array is cut with `…`. */
  maxElements?: number;
  /** Struct/array nesting shown before `{…}`. */
  maxDepth?: number;
  /** false: plain layout only, no language formatters (the `[raw]` view). */
  formatters?: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function readUint(bytes: Uint8Array, offset: number, size: number): bigint {
  let x = 0n;
  for (let i = Math.min(size, bytes.length - offset) - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[offset + i]!);
  return x;
}

function hex(v: bigint | number, size: number): string {
  return '0x' + v.toString(16).padStart(size * 2, '0');
}

function charLiteral(code: number): string {
  if (code === 0) return "'\\0'";
  if (code === 10) return "'\\n'";
  if (code === 9) return "'\\t'";
  if (code === 13) return "'\\r'";
  if (code === 39) return "'\\''";
  if (code === 92) return "'\\\\'";
  if (code >= 32 && code < 127) return `'${String.fromCharCode(code)}'`;
  return `'\\x${code.toString(16).padStart(2, '0')}'`;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function isCharType(t: DwarfType): boolean {
  const r = resolveType(t);
  return r.kind === 'base' && r.byteSize === 1 && (r.encoding === 'signed-char' || r.encoding === 'unsigned-char');
}

/** Formats a value of `type` held in `bytes` (little-endian, `byteSizeOf(type)` long). */
export function formatValue(type: DwarfType, bytes: Uint8Array, options: FormatOptions = {}): string {
  return format(type, bytes, 0, options, 0, options.formatters === false);
}

/** The value column for a value: its formatter's summary, or its layout (`raw` values: always the layout). */
export function summarize(v: TypedValue, options: FormatOptions = {}): string {
  if (!v.bytes) return `<${v.reason ?? 'unavailable'}>`;
  return format(v.type, v.bytes, 0, options, 0, v.raw === true || options.formatters === false);
}

function context(o: FormatOptions, depth: number): FormatContext {
  return {
    readMemory: o.readMemory ?? (() => undefined),
    summary: (v) => (v.bytes ? format(v.type, v.bytes, 0, o, depth + 1, v.raw === true) : `<${v.reason ?? 'unavailable'}>`),
    children: (v, max) => valueChildren(v, { ...o }, max, 'value'),
    maxElements: o.maxElements ?? 16,
    depth,
  };
}

/** A formatter's summary, or undefined when none takes the type or the layout is not as it expects. */
function formatted(t: DwarfType, bytes: Uint8Array, o: FormatOptions, depth: number): string | undefined {
  const f = findFormatter(t);
  if (!f) return undefined;
  try {
    return f.summary({ type: t, bytes }, context(o, depth));
  } catch {
    // a corrupt heap (a dangling pointer, a freed node) shows the raw layout rather than failing
    return undefined;
  }
}

function format(type: DwarfType, bytes: Uint8Array, offset: number, o: FormatOptions, depth: number, raw = false): string {
  const t = resolveType(type);
  const size = byteSizeOf(t);
  if (size > 0 && offset + size > bytes.length && t.kind !== 'array') return '<unavailable>';
  if (!raw && o.formatters !== false) {
    if (depth > (o.maxDepth ?? 3) + 1) return '…';
    const s = formatted(t, offset === 0 && bytes.length === size ? bytes : bytes.subarray(offset, offset + size), o, depth);
    if (s !== undefined) return s;
  }
  switch (t.kind) {
    case 'base':
      return formatBase(t, bytes, offset);
    case 'enum': {
      const raw = readUint(bytes, offset, t.byteSize);
      const under = t.underlying ? resolveType(t.underlying) : undefined;
      const signed = !(under?.kind === 'base' && (under.encoding === 'unsigned' || under.encoding === 'unsigned-char'));
      const value = signed ? BigInt.asIntN(t.byteSize * 8, raw) : raw;
      const hit = t.enumerators.find((e) => e.value === value || BigInt.asUintN(t.byteSize * 8, e.value) === raw);
      return hit ? hit.name : `${value}`;
    }
    case 'pointer': {
      const v = readUint(bytes, offset, t.byteSize);
      if (t.reference) return `@${hex(v, t.byteSize)}`;
      if (v !== 0n && o.readMemory && isCharType(t.target)) {
        const s = readCString(Number(v), o.readMemory);
        if (s !== undefined) return `${hex(v, t.byteSize)} ${quote(s)}`;
      }
      return hex(v, t.byteSize);
    }
    case 'struct': {
      if (depth >= (o.maxDepth ?? 3)) return '{…}';
      if (t.variants) {
        const live = liveVariant(t.variants, bytes, offset);
        if (!live) return '<unknown variant>';
        return formatVariant(live, bytes, offset, o, depth);
      }
      const parts = t.members.map((m) => `${m.name ?? '<anonymous>'} = ${formatMember(m, bytes, offset, o, depth)}`);
      return `{${parts.join(', ')}}`;
    }
    case 'array': {
      const count = t.counts[0];
      const elemType: DwarfType = t.counts.length > 1 ? { kind: 'array', element: t.element, counts: t.counts.slice(1) } : t.element;
      const elemSize = byteSizeOf(elemType);
      const available = elemSize > 0 ? Math.floor((bytes.length - offset) / elemSize) : 0;
      const n = Math.min(count ?? available, available);
      if (isCharType(elemType) && t.counts.length === 1) {
        let end = offset;
        while (end < offset + n && bytes[end] !== 0) end++;
        return quote(utf8.decode(bytes.subarray(offset, end)));
      }
      if (depth >= (o.maxDepth ?? 3)) return '[…]';
      const max = o.maxElements ?? 16;
      const parts: string[] = [];
      for (let i = 0; i < Math.min(n, max); i++) parts.push(format(elemType, bytes, offset + i * elemSize, o, depth + 1));
      if (n > max) parts.push('…');
      return `[${parts.join(', ')}]`;
    }
    case 'function':
      return hex(readUint(bytes, offset, 4), 4);
    case 'void':
      return 'void';
    default:
      return `<${typeName(t)}>`;
  }
}

/** `Some(5)` for tuple-like variants (fields `__0`, `__1`…), `Point{x = 1, y = 2}` otherwise, `None` when empty. */
function formatVariant(m: Member, bytes: Uint8Array, base: number, o: FormatOptions, depth: number): string {
  const name = m.name ?? '?';
  const t = resolveType(m.type);
  if (t.kind !== 'struct' || t.variants) return `${name}(${format(m.type, bytes, base + m.offset, o, depth + 1)})`;
  if (t.members.length === 0) return name;
  const at = base + m.offset;
  if (t.members.every((f) => /^__\d+$/.test(f.name ?? ''))) {
    return `${name}(${t.members.map((f) => formatMember(f, bytes, at, o, depth)).join(', ')})`;
  }
  return `${name}{${t.members.map((f) => `${f.name ?? '<anonymous>'} = ${formatMember(f, bytes, at, o, depth)}`).join(', ')}}`;
}

function formatMember(m: Member, bytes: Uint8Array, base: number, o: FormatOptions, depth: number): string {
  if (m.bitSize === undefined) return format(m.type, bytes, base + m.offset, o, depth + 1);
  const t = resolveType(m.type);
  const storage = Math.max(1, Math.ceil(((m.bitOffset ?? 0) + m.bitSize) / 8));
  let v = (readUint(bytes, base + m.offset, storage) >> BigInt(m.bitOffset ?? 0)) & ((1n << BigInt(m.bitSize)) - 1n);
  const signed = t.kind === 'base' && (t.encoding === 'signed' || t.encoding === 'signed-char');
  if (signed) v = BigInt.asIntN(m.bitSize, v);
  return `${v}`;
}

function formatBase(t: Extract<DwarfType, { kind: 'base' }>, bytes: Uint8Array, offset: number): string {
  const size = t.byteSize;
  const raw = readUint(bytes, offset, size);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, Math.min(size, bytes.length - offset));
  switch (t.encoding) {
    case 'float':
      if (size === 4) return formatFloat32(view.getFloat32(0, true));
      if (size === 8) return formatFloat(view.getFloat64(0, true));
      if (size === 16) return formatFloat(quadToNumber(raw));
      return `<${size * 8}-bit float ${hex(raw, size)}>`;
    case 'boolean':
      return raw === 0n ? 'false' : raw === 1n ? 'true' : `true (${raw})`;
    case 'signed-char':
    case 'unsigned-char': {
      const v = t.encoding === 'signed-char' ? BigInt.asIntN(size * 8, raw) : raw;
      return `${v} ${charLiteral(Number(raw & 0xffn))}`;
    }
    case 'signed':
      return `${BigInt.asIntN(size * 8, raw)}`;
    case 'utf':
      return `${raw} ${raw < 0x110000n ? quote(String.fromCodePoint(Number(raw))) : ''}`.trim();
    case 'address':
      return hex(raw, size);
    default:
      return `${raw}`;
  }
}

function formatFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return String(v);
}

/** An IEEE binary128 (`long double` on wasm32) rounded to the nearest double. */
function quadToNumber(bits: bigint): number {
  const sign = bits >> 127n ? -1 : 1;
  const exponent = Number((bits >> 112n) & 0x7fffn);
  const fraction = bits & ((1n << 112n) - 1n);
  if (exponent === 0x7fff) return fraction === 0n ? sign * Infinity : NaN;
  // a double holds 52 fraction bits: the top 60 of the 112 are plenty to round from
  const top = Number(fraction >> 52n) / 2 ** 60;
  if (exponent === 0) return sign * top * 2 ** -16382;
  return sign * (1 + top) * 2 ** (exponent - 16383);
}

/** The shortest decimal that reads back as the same f32 (JS's own printing is for f64). */
function formatFloat32(v: number): string {
  if (!Number.isFinite(v)) return formatFloat(v);
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

function readCString(address: number, readMemory: (a: number, n: number) => Uint8Array | undefined): string | undefined {
  const chunk = readMemory(address, 64);
  if (!chunk) return undefined;
  const end = chunk.indexOf(0);
  const s = utf8.decode(chunk.subarray(0, end < 0 ? chunk.length : end));
  return end < 0 ? s + '…' : s;
}

/** A child a Variables view can expand to: its name, type and byte offset within the parent. */
export interface ChildSlot {
  name: string;
  type: DwarfType;
  offset: number;
  bitSize?: number;
  bitOffset?: number;
}

/**
 * The children of a value of `type` that live inside its own bytes: struct members and array
 * elements (first dimension, up to `max`); for a Rust enum, the live variant's fields when
 * `bytes` is given. Pointers have none here; see `pointerTarget`.
 */
export function childSlots(type: DwarfType, max = 100, bytes?: Uint8Array): ChildSlot[] {
  const t = resolveType(type);
  if (t.kind === 'struct' && t.variants) {
    // a Rust enum: the live variant's fields when the bytes are known, else every variant
    const live = bytes && liveVariant(t.variants, bytes);
    if (live) return childSlots(live.type, max).map((c) => ({ ...c, offset: c.offset + live.offset }));
    return t.variants.cases.map((c, i) => ({ name: c.member.name ?? `<variant ${i}>`, type: c.member.type, offset: c.member.offset }));
  }
  if (t.kind === 'struct') {
    return t.members.map((m, i) => {
      const slot: ChildSlot = { name: m.name ?? `<anonymous ${i}>`, type: m.type, offset: m.offset };
      if (m.bitSize !== undefined) {
        slot.bitSize = m.bitSize;
        slot.bitOffset = m.bitOffset ?? 0;
      }
      return slot;
    });
  }
  if (t.kind === 'array') {
    const elemType: DwarfType = t.counts.length > 1 ? { kind: 'array', element: t.element, counts: t.counts.slice(1) } : t.element;
    const size = byteSizeOf(elemType);
    const n = Math.min(t.counts[0] ?? 0, max);
    return Array.from({ length: n }, (_, i) => ({ name: `[${i}]`, type: elemType, offset: i * size }));
  }
  return [];
}

/** For a pointer value: the address it holds and the type it points to (undefined for void*). */
export function pointerTarget(type: DwarfType, bytes: Uint8Array): { address: number; type: DwarfType } | undefined {
  const t = resolveType(type);
  if (t.kind !== 'pointer') return undefined;
  const target = resolveType(t.target);
  if (target.kind === 'void' || target.kind === 'function') return undefined;
  return { address: Number(readUint(bytes, 0, t.byteSize)), type: t.target };
}

/**
 * What a Variables view shows under a value: a formatter's children (elements, entries `[key]`,
 * the live variant's fields) followed by `[raw]`, the value's own layout; for a raw or unformatted
 * value its members, elements (up to `max`), or the pointee named `*name`.
 */
export function valueChildren(v: TypedValue, options: FormatOptions, max = 100, name = 'value'): NamedValue[] {
  if (!v.bytes) return [];
  const t = resolveType(v.type);
  if (!v.raw && options.formatters !== false) {
    const f = findFormatter(t);
    if (f) {
      const val = v.address !== undefined ? { type: t, bytes: v.bytes, address: v.address } : { type: t, bytes: v.bytes };
      let kids: NamedValue[] | undefined;
      try {
        kids = f.summary(val, context(options, 0)) === undefined ? undefined : (f.children?.(val, context(options, 0), max) ?? (f.plain ? layoutChildren(v, options, max, name) : []));
      } catch {
        kids = undefined;
      }
      if (kids) return f.plain ? kids : [...kids, { ...v, name: '[raw]', raw: true }];
    }
  }
  return layoutChildren(v, options, max, name);
}

/** The element count `len()` / `size()` give in expressions: the formatter's, or a C array's; undefined when it has none. */
export function valueLength(v: TypedValue, options: FormatOptions = {}): number | undefined {
  if (!v.bytes) return undefined;
  const t = resolveType(v.type);
  const f = v.raw || options.formatters === false ? undefined : findFormatter(t);
  if (f?.length) {
    const val = v.address !== undefined ? { type: t, bytes: v.bytes, address: v.address } : { type: t, bytes: v.bytes };
    try {
      const n = f.length(val, context(options, 0));
      if (n !== undefined) return n;
    } catch {
      return undefined; // a corrupt layout has no length to tell
    }
  }
  return t.kind === 'array' ? t.counts[0] : undefined;
}

/** Whether `valueChildren` has anything to show (cheap: asks for one child). */
export function hasValueChildren(v: TypedValue, options: FormatOptions): boolean {
  if (!v.bytes) return false;
  const t = resolveType(v.type);
  if (!v.raw && options.formatters !== false && findFormatter(t)) return valueChildren(v, options, 1).length > 0;
  if (t.kind === 'struct' || t.kind === 'array') return childSlots(t, 1, v.bytes).length > 0;
  const p = pointerTarget(t, v.bytes);
  return p !== undefined && p.address !== 0;
}

function layoutChildren(v: TypedValue, o: FormatOptions, max: number, name: string): NamedValue[] {
  const bytes = v.bytes;
  if (!bytes) return [];
  const t = resolveType(v.type);
  const target = pointerTarget(t, bytes);
  if (target) {
    const size = byteSizeOf(target.type);
    const read = size > 0 ? o.readMemory?.(target.address, size) : undefined;
    const child: NamedValue = { name: `*${name}`, type: target.type, address: target.address };
    if (read) child.bytes = read;
    else child.reason = `cannot read ${size} bytes at 0x${target.address.toString(16)}`;
    return [child];
  }
  return childSlots(t, max, bytes).map((slot) => {
    const size = slot.bitSize !== undefined ? Math.max(1, Math.ceil(((slot.bitOffset ?? 0) + slot.bitSize) / 8)) : byteSizeOf(slot.type);
    const child: NamedValue = { name: slot.name, type: slot.type };
    if (v.address !== undefined) child.address = v.address + slot.offset;
    if (slot.offset + size <= bytes.length) {
      let b: Uint8Array = bytes.slice(slot.offset, slot.offset + size);
      if (slot.bitSize !== undefined) b = extractBits(b, slot.bitOffset ?? 0, slot.bitSize);
      child.bytes = b;
    } else child.reason = 'unavailable';
    return child;
  });
}
