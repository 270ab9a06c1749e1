// What a language's value formatter is (a type-name pattern → a summary and children), and the
// helpers formatters share to walk a library type's layout by member name and read its heap data.

import { byteSizeOf, resolveType, type DwarfType, type Member, type SourceLanguage, type VariantPart } from '../types';

/** A value of a source type: its bytes and, when it lives in memory, where. */
export interface TypedValue {
  type: DwarfType;
  /** The value's own bytes, `byteSizeOf(type)` long. */
  bytes?: Uint8Array;
  address?: number;
  /** Why the bytes are missing (or only partly there). */
  reason?: string;
  /** Show by layout, without formatters: the `[raw]` child. */
  raw?: boolean;
}

export interface NamedValue extends TypedValue {
  name: string;
}

/** A value a formatter works on: type resolved (typedefs, qualifiers stripped), bytes present. */
export interface Val {
  type: DwarfType;
  bytes: Uint8Array;
  address?: number;
}

export interface FormatContext {
  readMemory(address: number, length: number): Uint8Array | undefined;
  /** The summary of a nested value, formatters applied, one nesting level deeper. */
  summary(v: TypedValue): string;
  /** The children of a nested value (formatters applied), for formatters that are transparent (Box). */
  children(v: TypedValue, max: number): NamedValue[];
  /** Elements listed in a summary before `…`. */
  maxElements: number;
  /** Nesting level of this value in the summary being built (0 = the value the user looks at). */
  depth: number;
}

export interface TypeFormatter {
  /** What it shows, as the user knows the type: `Vec<T>`, `std::map`. */
  name: string;
  language: SourceLanguage;
  /** Matched against the spelling of the type with typedefs and qualifiers stripped. */
  pattern: RegExp;
  /** A further check on the resolved type (e.g. that a struct is a Rust enum). */
  accepts?(t: DwarfType): boolean;
  /** The value column; undefined when the layout is not the expected one (then it shows raw). */
  summary(v: Val, cx: FormatContext): string | undefined;
  /** Children when expanded (without `[raw]`, which is added for every formatted value). */
  children?(v: Val, cx: FormatContext, max: number): NamedValue[] | undefined;
  /** A plain struct shown another way: its children are already its layout, so no `[raw]` child. */
  plain?: boolean;
  /** The element count, for `.len()` / `.size()` in expressions. */
  length?(v: Val, cx: FormatContext): number | undefined;
}

// ---- reading ----------------------------------------------------------------------------------

export function readUint(bytes: Uint8Array, offset = 0, size = bytes.length): bigint {
  let x = 0n;
  for (let i = Math.min(size, bytes.length - offset) - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[offset + i]!);
  return x;
}

/** An unsigned integer or pointer value as a JS number (sizes and addresses fit). */
export function uintOf(v: Val): number {
  return Number(readUint(v.bytes, 0, Math.min(8, v.bytes.length)));
}

export function intOf(v: Val): number {
  const size = Math.min(8, v.bytes.length);
  return Number(BigInt.asIntN(size * 8, readUint(v.bytes, 0, size)));
}

/** A bit-field as the low bits of its container's bytes (little-endian), so it reads as an integer. */
export function extractBits(bytes: Uint8Array, bitOffset: number, bitSize: number): Uint8Array {
  let n = readUint(bytes);
  n = (n >> BigInt(bitOffset)) & ((1n << BigInt(bitSize)) - 1n);
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/** The member's value inside `v`. */
export function memberValue(v: Val, m: Member): Val | undefined {
  const size = m.bitSize !== undefined ? Math.max(1, Math.ceil(((m.bitOffset ?? 0) + m.bitSize) / 8)) : byteSizeOf(m.type);
  if (m.offset + size > v.bytes.length) return undefined;
  let bytes = v.bytes.subarray(m.offset, m.offset + size);
  if (m.bitSize !== undefined) bytes = extractBits(bytes, m.bitOffset ?? 0, m.bitSize);
  const out: Val = { type: resolveType(m.type), bytes };
  if (v.address !== undefined) out.address = v.address + m.offset;
  return out;
}

/**
 * The member called `name`: a direct one first, then one inside a base-class subobject or an
 * anonymous member (C++ libraries hide fields in bases and unions), depth first.
 */
export function member(v: Val, name: string, depth = 0): Val | undefined {
  const t = v.type;
  if (t.kind !== 'struct' || depth > 12) return undefined;
  const direct = t.members.find((m) => m.name === name);
  if (direct) return memberValue(v, direct);
  for (const m of t.members) {
    if (!m.isBase && m.name !== undefined) continue;
    const inner = memberValue(v, m);
    const hit = inner && member(inner, name, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}

/** `a.b.c` through `member`. */
export function path(v: Val, dotted: string): Val | undefined {
  let cur: Val | undefined = v;
  for (const part of dotted.split('.')) cur = cur && member(cur, part);
  return cur;
}

/**
 * The raw pointer inside a chain of one-field wrappers (Rust `Unique<T>` → `NonNull<T>` → `*const T`,
 * libc++'s compressed pairs): its address and the type it points to.
 */
export function innerPointer(v: Val | undefined): { address: number; target: DwarfType } | undefined {
  let cur = v;
  for (let i = 0; cur && i < 8; i++) {
    if (cur.type.kind === 'pointer') return { address: uintOf(cur), target: cur.type.target };
    if (cur.type.kind !== 'struct') return undefined;
    // the one member with a size: `pointer`, `__value_`, or a wrapper's only field
    const m = cur.type.members.find((x) => byteSizeOf(x.type) === byteSizeOf(cur!.type) && !x.isBase) ?? cur.type.members.find((x) => x.isBase && byteSizeOf(x.type) > 0);
    cur = m && memberValue(cur, m);
  }
  return undefined;
}

/** A value of `type` read from memory at `address`. */
export function at(cx: FormatContext, type: DwarfType, address: number): Val | undefined {
  const size = byteSizeOf(type);
  if (address === 0) return undefined;
  const bytes = size === 0 ? new Uint8Array(0) : cx.readMemory(address, size);
  return bytes ? { type: resolveType(type), bytes, address } : undefined;
}

/** `count` elements of `type` from `address`, as children `[0]`, `[1]`, … (at most `max`). */
export function elements(cx: FormatContext, type: DwarfType, address: number, count: number, max: number, from = 0): NamedValue[] {
  const size = byteSizeOf(type);
  const out: NamedValue[] = [];
  for (let i = from; i < Math.min(count, from + max); i++) out.push(element(cx, `[${i}]`, type, address + i * size));
  return out;
}

/** A named child in memory; unreadable memory is a child with a reason, not a missing one. */
export function element(cx: FormatContext, name: string, type: DwarfType, address: number): NamedValue {
  const size = byteSizeOf(type);
  const bytes = size === 0 ? new Uint8Array(0) : cx.readMemory(address, size);
  return bytes ? { name, type, bytes, address } : { name, type, address, reason: `cannot read ${size} bytes at 0x${address.toString(16)}` };
}

/** A child made from a value already read. */
export function child(name: string, v: Val): NamedValue {
  const out: NamedValue = { name, type: v.type, bytes: v.bytes };
  if (v.address !== undefined) out.address = v.address;
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Longest text read for a string summary. */
export const MAX_STRING = 512;

/** `length` bytes of UTF-8 text at `address`, quoted, cut with `…` past MAX_STRING. */
export function quotedText(cx: FormatContext, address: number, length: number): string | undefined {
  if (length === 0) return '""';
  if (length < 0 || address === 0) return undefined;
  const n = Math.min(length, MAX_STRING);
  const bytes = cx.readMemory(address, n);
  if (!bytes) return undefined;
  return JSON.stringify(utf8.decode(bytes)) + (length > n ? '…' : '');
}

export function quotedBytes(bytes: Uint8Array): string {
  return JSON.stringify(utf8.decode(bytes));
}

/** `[a, b, c]` from up to `maxElements` summaries, `…` when there are more. */
export function list(cx: FormatContext, items: readonly TypedValue[], total: number, open = '[', close = ']'): string {
  const shown = items.slice(0, cx.maxElements).map((x) => cx.summary(x));
  if (total > shown.length) shown.push('…');
  return `${open}${shown.join(', ')}${close}`;
}

/** `{k: v, …}` from key/value pairs. */
export function entries(cx: FormatContext, pairs: readonly { key: TypedValue; value?: TypedValue }[], total: number): string {
  const shown = pairs.slice(0, cx.maxElements).map((p) => (p.value ? `${cx.summary(p.key)}: ${cx.summary(p.value)}` : cx.summary(p.key)));
  if (total > shown.length) shown.push('…');
  return `{${shown.join(', ')}}`;
}

/** Alignment of a type on wasm32 (what a container's node layout pads its payload to). */
export function alignOf(t: DwarfType): number {
  const r = resolveType(t);
  switch (r.kind) {
    case 'base':
    case 'pointer':
    case 'enum':
      return Math.max(1, Math.min(8, r.byteSize));
    case 'array':
      return alignOf(r.element);
    case 'struct':
      return r.members.reduce((a, m) => Math.max(a, alignOf(m.type)), 1);
    default:
      return 1;
  }
}

export function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

/** The first type argument of a template struct, or of one nested by `path` inside it. */
export function templateArg(t: DwarfType, i: number): DwarfType | undefined {
  const r = resolveType(t);
  return r.kind === 'struct' ? r.templateArgs?.[i] : undefined;
}

/** The case of a Rust enum that the discriminant selects (the only case when there is none). */
export function liveVariant(part: VariantPart, bytes: Uint8Array, offset = 0): Member | undefined {
  const d = part.discriminant;
  if (!d) return part.cases.length === 1 ? part.cases[0]!.member : undefined;
  const size = byteSizeOf(d.type);
  if (offset + d.offset + size > bytes.length) return undefined;
  const raw = readUint(bytes, offset + d.offset, size);
  const hit = part.cases.find((c) => c.values?.some((v) => BigInt.asUintN(size * 8, v) === raw));
  return (hit ?? part.cases.find((c) => c.values === undefined))?.member;
}
