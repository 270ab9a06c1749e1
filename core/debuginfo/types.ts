// Source-language types from DWARF type DIEs (base, pointer, typedef, qualifiers, struct/union/
// class, array, enum, function), built once per DIE so recursive types share one object.

import { DW_AT, DW_ATE, DW_TAG } from './dwarf-constants';
import type { Die } from './units';

/** The source language of the unit a struct comes from; value formatters are chosen by it. */
export type SourceLanguage = 'c' | 'c++' | 'rust' | 'other';

export type BaseEncoding = 'signed' | 'unsigned' | 'float' | 'boolean' | 'signed-char' | 'unsigned-char' | 'address' | 'utf' | 'other';

export interface Member {
  name: string | undefined;
  type: DwarfType;
  /** Byte offset in the enclosing struct. */
  offset: number;
  /** Bit-field width and offset from the start of the member's storage (DWARF 4 data_bit_offset). */
  bitSize?: number;
  bitOffset?: number;
  /** A C++ base-class subobject (DW_TAG_inheritance), named `<Base>` as debuggers show it. */
  isBase?: boolean;
}

export type DwarfType =
  | { kind: 'base'; name: string; byteSize: number; encoding: BaseEncoding }
  | { kind: 'pointer'; name?: string; byteSize: number; target: DwarfType; reference?: 'lvalue' | 'rvalue' }
  | { kind: 'typedef'; name: string; target: DwarfType; fullName?: string }
  | { kind: 'qualified'; qualifier: 'const' | 'volatile' | 'restrict' | 'atomic'; target: DwarfType }
  | {
      kind: 'struct';
      keyword: 'struct' | 'union' | 'class';
      name?: string;
      /** C++/Rust spelling with enclosing namespaces and types (`geo::Vec`), used instead of `struct Vec`. */
      fullName?: string;
      byteSize: number;
      members: Member[];
      /** A forward declaration with no members known. */
      declaration?: boolean;
      /** A Rust enum (DW_TAG_variant_part): which member is live depends on a discriminant. */
      variants?: VariantPart;
      /** Template type arguments in order (C++ `map<K, V>`, Rust `Vec<T, A>`): element types for formatters. */
      templateArgs?: DwarfType[];
      language?: SourceLanguage;
    }
  | { kind: 'array'; element: DwarfType; /** element counts per dimension; undefined = unknown (flexible) */ counts: (number | undefined)[] }
  | { kind: 'enum'; name?: string; fullName?: string; byteSize: number; underlying?: DwarfType; enumerators: { name: string; value: bigint }[] }
  | { kind: 'function'; returnType: DwarfType; params: DwarfType[]; variadic: boolean }
  | { kind: 'void' }
  | { kind: 'unknown'; name?: string };

/** A discriminated union: `discriminant` selects the case whose `values` hold it (none: default). */
export interface VariantPart {
  discriminant: Member | undefined;
  cases: { values: bigint[] | undefined; member: Member }[];
}

export const VOID: DwarfType = { kind: 'void' };

const ENCODINGS: Record<number, BaseEncoding> = {
  [DW_ATE.signed]: 'signed',
  [DW_ATE.unsigned]: 'unsigned',
  [DW_ATE.float]: 'float',
  [DW_ATE.boolean]: 'boolean',
  [DW_ATE.signed_char]: 'signed-char',
  [DW_ATE.unsigned_char]: 'unsigned-char',
  [DW_ATE.address]: 'address',
  [DW_ATE.UTF]: 'utf',
};

/** Builds DwarfTypes on demand, keyed by DIE offset, across all units of a module. */
export class TypeBuilder {
  private readonly cache = new Map<number, DwarfType>();

  /** The type a DIE's DW_AT_type names; `void` when absent. */
  typeOf(die: Die): DwarfType {
    const t = die.unit.ref(die, DW_AT.type);
    return t ? this.build(t) : VOID;
  }

  private depth = 0;

  /** rustc's enums: a variant_part with a discriminant member and one variant per case. */
  private variantPart(die: Die): VariantPart {
    const u = die.unit;
    const member = (m: Die): Member => ({ name: u.string(m, DW_AT.name), type: this.typeOf(m), offset: memberOffset(m) });
    const discrDie = u.ref(die, DW_AT.discr);
    const part: VariantPart = { discriminant: discrDie ? member(discrDie) : undefined, cases: [] };
    for (const v of die.children) {
      if (v.tag !== DW_TAG.variant) continue;
      const m = v.children.find((c) => c.tag === DW_TAG.member);
      if (!m) continue;
      const a = u.attr(v, DW_AT.discr_value);
      const values = a === undefined ? undefined : typeof a.value === 'number' || typeof a.value === 'bigint' ? [BigInt(a.value)] : [];
      part.cases.push({ values, member: member(m) });
    }
    return part;
  }

  build(die: Die): DwarfType {
    const cached = this.cache.get(die.offset);
    if (cached) return cached;
    // real types nest a few levels; a corrupt chain of thousands must not exhaust the JS stack
    if (this.depth > 256) return { kind: 'unknown', name: '<type nesting too deep>' };
    this.depth++;
    try {
      return this.buildUncached(die);
    } finally {
      this.depth--;
    }
  }

  private buildUncached(die: Die): DwarfType {
    const u = die.unit;
    // a declaration standing for a type unit's type (DW_AT_signature → DW_FORM_ref_sig8)
    if (u.attr(die, DW_AT.signature)) {
      const target = u.ref(die, DW_AT.signature);
      if (target && target !== die) {
        const t = this.build(target);
        this.cache.set(die.offset, t);
        return t;
      }
    }
    const name = u.string(die, DW_AT.name);
    const byteSize = u.uint(die, DW_AT.byte_size);
    switch (die.tag) {
      case DW_TAG.base_type: {
        const t: DwarfType = {
          kind: 'base',
          name: name ?? '?',
          byteSize: byteSize ?? 0,
          encoding: ENCODINGS[u.uint(die, DW_AT.encoding) ?? 0] ?? 'other',
        };
        this.cache.set(die.offset, t);
        return t;
      }
      case DW_TAG.pointer_type:
      case DW_TAG.reference_type:
      case DW_TAG.rvalue_reference_type:
      case DW_TAG.ptr_to_member_type: {
        const t: DwarfType = { kind: 'pointer', byteSize: byteSize ?? u.addressSize, target: VOID };
        if (name) t.name = name;
        if (die.tag === DW_TAG.reference_type) t.reference = 'lvalue';
        if (die.tag === DW_TAG.rvalue_reference_type) t.reference = 'rvalue';
        this.cache.set(die.offset, t);
        t.target = this.typeOf(die);
        return t;
      }
      case DW_TAG.typedef: {
        const t: DwarfType = { kind: 'typedef', name: name ?? '?', target: VOID };
        const full = scopedName(die);
        if (full) t.fullName = full;
        this.cache.set(die.offset, t);
        t.target = this.typeOf(die);
        return t;
      }
      case DW_TAG.const_type:
      case DW_TAG.volatile_type:
      case DW_TAG.restrict_type:
      case DW_TAG.atomic_type: {
        const qualifier =
          die.tag === DW_TAG.const_type ? 'const' : die.tag === DW_TAG.volatile_type ? 'volatile' : die.tag === DW_TAG.restrict_type ? 'restrict' : 'atomic';
        const t: DwarfType = { kind: 'qualified', qualifier, target: VOID };
        this.cache.set(die.offset, t);
        t.target = this.typeOf(die);
        return t;
      }
      case DW_TAG.structure_type:
      case DW_TAG.union_type:
      case DW_TAG.class_type: {
        const keyword = die.tag === DW_TAG.union_type ? 'union' : die.tag === DW_TAG.class_type ? 'class' : 'struct';
        const t: Extract<DwarfType, { kind: 'struct' }> = { kind: 'struct', keyword, byteSize: byteSize ?? 0, members: [] };
        if (name) t.name = name;
        const full = scopedName(die);
        if (full) t.fullName = full;
        if (u.flag(die, DW_AT.declaration)) t.declaration = true;
        const language = unitLanguage(die);
        if (language) t.language = language;
        this.cache.set(die.offset, t);
        for (const child of die.children) {
          if (child.tag === DW_TAG.template_type_parameter) {
            (t.templateArgs ??= []).push(this.typeOf(child));
            continue;
          }
          if (child.tag === DW_TAG.inheritance) {
            const base = this.typeOf(child);
            t.members.push({ name: `<${typeName(base)}>`, type: base, offset: memberOffset(child), isBase: true });
            continue;
          }
          if (child.tag === DW_TAG.variant_part) {
            t.variants = this.variantPart(child);
            continue;
          }
          if (child.tag !== DW_TAG.member) continue;
          // static members are declarations without a data location
          if (u.flag(child, DW_AT.external) && u.flag(child, DW_AT.declaration)) continue;
          const m: Member = { name: u.string(child, DW_AT.name), type: this.typeOf(child), offset: memberOffset(child) };
          const bitSize = u.uint(child, DW_AT.bit_size);
          if (bitSize !== undefined) {
            m.bitSize = bitSize;
            const dataBitOffset = u.uint(child, DW_AT.data_bit_offset);
            if (dataBitOffset !== undefined) {
              m.offset = Math.floor(dataBitOffset / 8);
              m.bitOffset = dataBitOffset % 8;
            } else {
              // DWARF 2/3 bit_offset counts from the most significant bit of the storage unit
              const storage = u.uint(child, DW_AT.byte_size) ?? byteSizeOf(m.type);
              const old = u.uint(child, DW_AT.bit_offset) ?? 0;
              m.bitOffset = storage * 8 - old - bitSize;
            }
          }
          t.members.push(m);
        }
        return t;
      }
      case DW_TAG.array_type: {
        const t: Extract<DwarfType, { kind: 'array' }> = { kind: 'array', element: VOID, counts: [] };
        this.cache.set(die.offset, t);
        t.element = this.typeOf(die);
        for (const child of die.children) {
          if (child.tag !== DW_TAG.subrange_type && child.tag !== DW_TAG.enumeration_type) continue;
          const count = u.uint(child, DW_AT.count);
          const upperAttr = u.attr(child, DW_AT.upper_bound);
          const upper = upperAttr && typeof upperAttr.value === 'number' ? upperAttr.value : undefined;
          const lower = u.uint(child, DW_AT.lower_bound) ?? 0;
          t.counts.push(count ?? (upper !== undefined ? upper - lower + 1 : undefined));
        }
        if (t.counts.length === 0) t.counts.push(undefined);
        return t;
      }
      case DW_TAG.enumeration_type: {
        const t: Extract<DwarfType, { kind: 'enum' }> = { kind: 'enum', byteSize: byteSize ?? 4, enumerators: [] };
        if (name) t.name = name;
        const full = scopedName(die);
        if (full) t.fullName = full;
        this.cache.set(die.offset, t);
        if (u.attr(die, DW_AT.type)) t.underlying = this.typeOf(die);
        for (const child of die.children) {
          if (child.tag !== DW_TAG.enumerator) continue;
          const a = u.attr(child, DW_AT.const_value);
          const v = a?.value;
          const value = typeof v === 'number' ? BigInt(v) : typeof v === 'bigint' ? v : 0n;
          t.enumerators.push({ name: u.string(child, DW_AT.name) ?? '?', value });
        }
        return t;
      }
      case DW_TAG.subroutine_type: {
        const t: Extract<DwarfType, { kind: 'function' }> = { kind: 'function', returnType: VOID, params: [], variadic: false };
        this.cache.set(die.offset, t);
        t.returnType = this.typeOf(die);
        for (const child of die.children) {
          if (child.tag === DW_TAG.formal_parameter) t.params.push(this.typeOf(child));
          else if (child.tag === DW_TAG.unspecified_parameters) t.variadic = true;
        }
        return t;
      }
      case DW_TAG.unspecified_type: {
        const t: DwarfType = name === 'decltype(nullptr)' ? { kind: 'pointer', byteSize: u.addressSize, target: VOID, name } : { kind: 'void' };
        this.cache.set(die.offset, t);
        return t;
      }
      default: {
        const t: DwarfType = name ? { kind: 'unknown', name } : { kind: 'unknown' };
        this.cache.set(die.offset, t);
        return t;
      }
    }
  }
}

const C_LANGUAGES = new Set([0x01, 0x02, 0x0c, 0x1d, 0x2c]); // C89, C, C99, C11, C17
const CXX_LANGUAGES = new Set([0x04, 0x19, 0x1a, 0x21, 0x2a, 0x2b]); // C++, 03, 11, 14, 17, 20

function unitLanguage(die: Die): SourceLanguage | undefined {
  const root = die.unit.root();
  const code = root ? die.unit.uint(root, DW_AT.language) : undefined;
  if (code === undefined) return undefined;
  if (code === 0x1c) return 'rust';
  if (CXX_LANGUAGES.has(code)) return 'c++';
  if (C_LANGUAGES.has(code)) return 'c';
  return 'other';
}

/** Languages whose type names are written without `struct`/`enum` and with `::` scopes. */
const SCOPED_LANGUAGES = new Set([
  0x04, // C_plus_plus
  0x19, // C_plus_plus_03
  0x1a, // C_plus_plus_11
  0x1c, // Rust
  0x21, // C_plus_plus_14
]);

/**
 * `a::b::Name` for a named DIE of a C++ or Rust unit (namespaces, enclosing types), or undefined
 * in other languages, where types are spelled `struct Name`.
 */
export function scopedName(die: Die): string | undefined {
  const u = die.unit;
  const root = u.root();
  // newer C++ standards have language codes registered after DWARF 5; a namespace also tells
  const scoped = (root && SCOPED_LANGUAGES.has(u.uint(root, DW_AT.language) ?? 0)) || die.parent?.tag === DW_TAG.namespace;
  if (!scoped) return undefined;
  const name = u.string(die, DW_AT.name);
  if (name === undefined) return undefined;
  const parts = [name];
  for (let p = die.parent; p && p.tag !== DW_TAG.compile_unit; p = p.parent) {
    if (p.tag === DW_TAG.namespace) parts.unshift(p.unit.string(p, DW_AT.name) ?? '(anonymous namespace)');
    else if (p.tag === DW_TAG.structure_type || p.tag === DW_TAG.class_type || p.tag === DW_TAG.union_type || p.tag === DW_TAG.enumeration_type) {
      // a type-unit skeleton carries only DW_AT_signature; its name is in the type unit
      const named = p.unit.attr(p, DW_AT.name) ? p : (p.unit.ref(p, DW_AT.signature) ?? p);
      parts.unshift(named.unit.string(named, DW_AT.name) ?? '(anonymous)');
    } else if (p.tag === DW_TAG.subprogram) break; // a local type: its function is not part of the name
  }
  return parts.join('::');
}

function memberOffset(die: Die): number {
  const a = die.unit.attr(die, DW_AT.data_member_location);
  if (!a) return 0;
  if (typeof a.value === 'number') return a.value;
  // DWARF 2 style: an expression `DW_OP_plus_uconst n`
  if (a.value instanceof Uint8Array && a.value[0] === 0x23) {
    let n = 0;
    let mul = 1;
    for (let i = 1; i < a.value.length; i++) {
      const b = a.value[i]!;
      n += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) break;
      mul *= 128;
    }
    return n;
  }
  return 0;
}

/** Strips typedefs and qualifiers. */
export function resolveType(t: DwarfType): DwarfType {
  let cur = t;
  for (let i = 0; i < 64 && (cur.kind === 'typedef' || cur.kind === 'qualified'); i++) cur = cur.target;
  return cur;
}

/** Size in bytes of a value of the type (0 when unknown). */
export function byteSizeOf(t: DwarfType): number {
  const r = resolveType(t);
  switch (r.kind) {
    case 'base':
    case 'pointer':
    case 'struct':
    case 'enum':
      return r.byteSize;
    case 'array': {
      const n = r.counts.reduce<number>((acc, c) => acc * (c ?? 0), 1);
      return n * byteSizeOf(r.element);
    }
    default:
      return 0;
  }
}

/** C-style spelling of a type: `const char *`, `struct record`, `int[4]`, `int (*)(int)`. */
export function typeName(t: DwarfType): string {
  return declarator(t, '').trim();
}

function declarator(t: DwarfType, inner: string, depth = 0): string {
  if (depth > 32) return '…' + inner;
  switch (t.kind) {
    case 'base':
      return t.name + inner;
    case 'void':
      return 'void' + inner;
    case 'unknown':
      return (t.name ?? '?') + inner;
    case 'typedef':
      return (t.fullName ?? t.name) + inner;
    case 'struct':
      if (t.fullName) return t.fullName + inner;
      return (t.name ? `${t.keyword} ${t.name}` : `${t.keyword} <anonymous>`) + inner;
    case 'enum':
      if (t.fullName) return t.fullName + inner;
      return (t.name ? `enum ${t.name}` : 'enum <anonymous>') + inner;
    case 'qualified': {
      const target = t.target;
      // `const` binds to the pointer itself when it qualifies a pointer: `char *const`
      if (target.kind === 'pointer') return declarator(target, ` ${t.qualifier}${inner}`, depth + 1);
      return `${t.qualifier} ${declarator(target, inner, depth + 1)}`;
    }
    case 'pointer': {
      // Rust names every pointer type (`&str`, `*const u8`, `alloc::boxed::Box<i32, …>`); C never does
      if (t.name) return t.name + inner;
      const sigil = t.reference === 'lvalue' ? '&' : t.reference === 'rvalue' ? '&&' : '*';
      const needsParens = t.target.kind === 'array' || t.target.kind === 'function';
      // stacked declarators share one space: `char **`, `char *const *`
      const rest = inner.startsWith(' ') && !inner.startsWith(' (') ? inner.slice(1) : inner;
      const next = needsParens ? ` (${sigil}${rest})` : ` ${sigil}${rest}`;
      return declarator(t.target, next, depth + 1);
    }
    case 'array': {
      const dims = t.counts.map((c) => `[${c ?? ''}]`).join('');
      return declarator(t.element, inner + dims, depth + 1);
    }
    case 'function': {
      const params = t.params.map((p) => typeName(p));
      if (t.variadic) params.push('...');
      return declarator(t.returnType, `${inner}(${params.join(', ') || (t.variadic ? '' : 'void')})`, depth + 1);
    }
  }
}
