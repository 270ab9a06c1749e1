// Value, reference and heap types as small integers, so operand stacks, local lists and signatures
// stay plain number arrays and type equality stays `===`. The same encoding holds module-relative
// type indices (the decoded Module) and canonical type ids (the validator and the runtime):
// `canonValType` maps one to the other.

/** Abstract heap types, by their binary codes (also the nullable shorthand's code). */
export const enum HeapCode {
  exn = 0x69,
  array = 0x6a,
  struct = 0x6b,
  i31 = 0x6c,
  eq = 0x6d,
  any = 0x6e,
  extern = 0x6f,
  func = 0x70,
  none = 0x71,
  noextern = 0x72,
  nofunc = 0x73,
  noexn = 0x74,
}

/** Packed storage types of struct fields and array elements. */
export const PACKED_I8 = 0x78;
export const PACKED_I16 = 0x77;

/**
 * A value type:
 * - 0x7b..0x7f: v128, f64, f32, i64, i32 (their binary codes);
 * - 0x69..0x74: `(ref null <abstract>)`, the shorthand's code (0x70 funcref, 0x6f externref, ...);
 * - 0x100 | code: `(ref <abstract>)`;
 * - 0x200 + 2·index + nullable: `(ref null? <index>)`, a type index or a canonical id.
 */
export type ValTypeCode = number;

/** A heap type: an abstract code (< 0x100) or CONCRETE + index. */
export type HeapType = number;
export const CONCRETE = 0x100;
const NONNULL_ABSTRACT = 0x100;
const CONCRETE_REF = 0x200;

export function isAbstractCode(b: number): boolean {
  return b >= HeapCode.exn && b <= HeapCode.noexn;
}

export function isRef(t: ValTypeCode): boolean {
  return t >= NONNULL_ABSTRACT || (t >= HeapCode.exn && t <= HeapCode.noexn);
}

export function isNullable(t: ValTypeCode): boolean {
  return t < NONNULL_ABSTRACT || (t >= CONCRETE_REF && (t & 1) === 1);
}

export function refOf(nullable: boolean, heap: HeapType): ValTypeCode {
  if (heap < CONCRETE) return nullable ? heap : heap | NONNULL_ABSTRACT;
  return CONCRETE_REF + 2 * (heap - CONCRETE) + (nullable ? 1 : 0);
}

export function heapOf(t: ValTypeCode): HeapType {
  if (t < NONNULL_ABSTRACT) return t;
  if (t < CONCRETE_REF) return t & 0xff;
  return CONCRETE + ((t - CONCRETE_REF) >> 1);
}

/** The type index (or canonical id) of a concrete reference type, -1 for an abstract one. */
export function typeIndexOf(t: ValTypeCode): number {
  return t >= CONCRETE_REF ? (t - CONCRETE_REF) >> 1 : -1;
}

export function concreteHeap(index: number): HeapType {
  return CONCRETE + index;
}

export function isConcreteHeap(h: HeapType): boolean {
  return h >= CONCRETE;
}

/** The same type with nullability set as given. */
export function withNullable(t: ValTypeCode, nullable: boolean): ValTypeCode {
  return refOf(nullable, heapOf(t));
}

/** Rewrites the type indices in `t` through `map` (module index → canonical id, or back). */
export function mapTypeIndex(t: ValTypeCode, map: (index: number) => number): ValTypeCode {
  if (t < CONCRETE_REF) return t;
  return CONCRETE_REF + 2 * map((t - CONCRETE_REF) >> 1) + (t & 1);
}

const ABSTRACT_NAMES: Record<number, string> = {
  [HeapCode.exn]: 'exn', [HeapCode.array]: 'array', [HeapCode.struct]: 'struct', [HeapCode.i31]: 'i31', [HeapCode.eq]: 'eq',
  [HeapCode.any]: 'any', [HeapCode.extern]: 'extern', [HeapCode.func]: 'func', [HeapCode.none]: 'none',
  [HeapCode.noextern]: 'noextern', [HeapCode.nofunc]: 'nofunc', [HeapCode.noexn]: 'noexn',
};
const SHORTHANDS: Record<number, string> = {
  [HeapCode.exn]: 'exnref', [HeapCode.array]: 'arrayref', [HeapCode.struct]: 'structref', [HeapCode.i31]: 'i31ref',
  [HeapCode.eq]: 'eqref', [HeapCode.any]: 'anyref', [HeapCode.extern]: 'externref', [HeapCode.func]: 'funcref',
  [HeapCode.none]: 'nullref', [HeapCode.noextern]: 'nullexternref', [HeapCode.nofunc]: 'nullfuncref', [HeapCode.noexn]: 'nullexnref',
};
const NUM_NAMES: Record<number, string> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', [PACKED_I8]: 'i8', [PACKED_I16]: 'i16' };

/** Abstract heap types by text name, and the shorthand reference types by name. */
export const HEAP_BY_NAME: Readonly<Record<string, HeapCode>> = Object.fromEntries(
  Object.entries(ABSTRACT_NAMES).map(([c, n]) => [n, Number(c) as HeapCode]),
);
export const SHORTHAND_BY_NAME: Readonly<Record<string, HeapCode>> = Object.fromEntries(
  Object.entries(SHORTHANDS).map(([c, n]) => [n, Number(c) as HeapCode]),
);

/** Text of a heap type; `name` gives a concrete index its `$name` when known. */
export function formatHeapType(h: HeapType, name?: (index: number) => string | undefined): string {
  if (h < CONCRETE) return ABSTRACT_NAMES[h] ?? `<heap 0x${h.toString(16)}>`;
  const i = h - CONCRETE;
  return name?.(i) ?? String(i);
}

/** The one text form of a value (or storage) type: `i32`, `funcref`, `(ref $t)`, `(ref null 3)`. */
export function formatType(t: ValTypeCode, name?: (index: number) => string | undefined): string {
  const n = NUM_NAMES[t];
  if (n !== undefined) return n;
  if (!isRef(t)) return `<type 0x${t.toString(16)}>`;
  if (t < NONNULL_ABSTRACT) return SHORTHANDS[t]!;
  return `(ref ${isNullable(t) ? 'null ' : ''}${formatHeapType(heapOf(t), name)})`;
}
