// Defined types (func/struct/array composites under `sub`/`sub final`), recursion groups and their
// canonical ids. Iso-recursive equality (spec valid/match.ml): two defined types are equal when
// their rec groups are structurally equal with references inside a group taken relative to it and
// references outside by canonical id. Equal types get equal ids across modules, so type equality
// everywhere (call_indirect, imports, casts) is `===` on ids.
import { mapTypeIndex, PACKED_I16, PACKED_I8, typeIndexOf, type ValTypeCode } from './value-types';

export interface FieldType {
  /** A value type, or PACKED_I8 / PACKED_I16. */
  type: ValTypeCode;
  mutable: boolean;
}

export type CompositeType =
  | { kind: 'func'; params: ValTypeCode[]; results: ValTypeCode[] }
  | { kind: 'struct'; fields: FieldType[] }
  | { kind: 'array'; field: FieldType };

/** A type-section entry as written: its composite type, finality and declared supertypes. */
export interface SubType {
  final: boolean;
  supers: number[];
  comp: CompositeType;
}

/** A type after canonicalisation: every index in it is a canonical id. */
export interface CanonType extends SubType {
  id: number;
  /** Supertype chain length (0 for a type without supertypes). */
  depth: number;
  /** Its registered rec group: holding a type keeps the group (and the groups it refers to)
   * registered, so its id stays the id of its structure. */
  readonly group?: RecGroupEntry;
  /** A struct type's field layout in 32-bit words, filled in by the interpreter on first use
   * (core/interp/gc-objects.ts structLayout), so a field access costs no lookup. */
  layout?: { offsets: number[]; words: number };
}

/** One registered rec group: its structural key, its types, and the groups they mention. */
class RecGroupEntry {
  constructor(readonly key: string, readonly types: CanonType[], readonly deps: readonly RecGroupEntry[]) {}
}

/**
 * The canonical types: one registry for the engine, since ids must agree across every module that
 * links with another (compiled code carries the ids, and a compiled module may be instantiated in
 * any store). It holds its groups weakly: whatever uses an id holds its CanonType (a module's
 * context, a GC object, a function or tag instance), and a group nothing holds any more leaves the
 * registry, so a language server or debug session that makes many modules does not grow with
 * them. Ids are never reused: a stale id names no type rather than another one.
 */
const groups = new Map<string, WeakRef<RecGroupEntry>>();
const byId = new Map<number, WeakRef<CanonType>>();
let nextId = 0;
const finalizer = new FinalizationRegistry<{ key: string; first: number; size: number }>(({ key, first, size }) => {
  if (groups.get(key)?.deref() === undefined) groups.delete(key);
  for (let i = 0; i < size; i++) byId.delete(first + i);
});

export function canonType(id: number): CanonType {
  const t = byId.get(id)?.deref();
  if (t === undefined) throw new RangeError(`no canonical type ${id}`);
  return t;
}

/** What a runtime object whose value type is `t` holds so the type's id stays registered (the
 * canonical type of a concrete reference type; undefined for other types). */
export function typeAnchor(t: ValTypeCode): CanonType | undefined {
  const i = typeIndexOf(t);
  return i >= 0 ? canonType(i) : undefined;
}

/** Registered rec groups and types (for tests and diagnostics: the registry stays bounded). */
export function canonRegistrySize(): { groups: number; types: number } {
  return { groups: groups.size, types: byId.size };
}

/** Registers a new group of types whose ids start at nextId; returns them. */
function register(key: string, types: CanonType[], deps: Set<number>): CanonType[] {
  const entry = new RecGroupEntry(key, types, [...deps].map((id) => canonType(id).group!));
  for (const t of types) {
    (t as { group?: RecGroupEntry }).group = entry;
    byId.set(t.id, new WeakRef(t));
  }
  groups.set(key, new WeakRef(entry));
  finalizer.register(entry, { key, first: types[0]!.id, size: types.length });
  return types;
}

/** The live group registered under `key`, if any. */
function lookup(key: string): RecGroupEntry | undefined {
  return groups.get(key)?.deref();
}

export class TypeDefError extends Error {}

type IdOf = (index: number) => number;

function storageKey(t: ValTypeCode, start: number, size: number, ids: IdOf): string {
  const i = typeIndexOf(t);
  if (i < 0) return String(t);
  const nul = (t & 1) === 1 ? 'n' : '';
  if (i >= start && i < start + size) return `r${i - start}${nul}`;
  return `c${ids(i)}${nul}`;
}

function subKey(s: SubType, start: number, size: number, ids: IdOf): string {
  const k = (t: ValTypeCode): string => storageKey(t, start, size, ids);
  const ref = (i: number): string => (i >= start && i < start + size ? `r${i - start}` : `c${ids(i)}`);
  const head = `${s.final ? 'F' : 'S'}[${s.supers.map(ref).join(',')}]`;
  const c = s.comp;
  switch (c.kind) {
    case 'func': return `${head}func(${c.params.map(k).join(',')};${c.results.map(k).join(',')})`;
    case 'struct': return `${head}struct(${c.fields.map((f) => `${f.mutable ? 'm' : ''}${k(f.type)}`).join(',')})`;
    case 'array': return `${head}array(${c.field.mutable ? 'm' : ''}${k(c.field.type)})`;
  }
}

function mapComp(c: CompositeType, f: (i: number) => number): CompositeType {
  const m = (t: ValTypeCode): ValTypeCode => mapTypeIndex(t, f);
  switch (c.kind) {
    case 'func': return { kind: 'func', params: c.params.map(m), results: c.results.map(m) };
    case 'struct': return { kind: 'struct', fields: c.fields.map((x) => ({ type: m(x.type), mutable: x.mutable })) };
    case 'array': return { kind: 'array', field: { type: m(c.field.type), mutable: c.field.mutable } };
  }
}

/** Every type index a composite type mentions. */
function indicesOf(c: CompositeType): number[] {
  const ts = c.kind === 'func' ? [...c.params, ...c.results] : c.kind === 'struct' ? c.fields.map((f) => f.type) : [c.field.type];
  return ts.map(typeIndexOf).filter((i) => i >= 0);
}

export interface RecGroup {
  start: number;
  size: number;
}

/**
 * Canonical ids of a module's types, group by group. Throws with the spec's message when a type
 * refers to a later group ("unknown type") or a declared subtype does not match its supertype
 * ("sub type ... does not match super type", "type is final").
 */
export function canonicalize(types: readonly SubType[], groups: readonly RecGroup[]): number[] {
  const ids: number[] = [];
  for (const g of groups) {
    const end = g.start + g.size;
    for (let i = g.start; i < end; i++) {
      const s = types[i]!;
      for (const j of [...indicesOf(s.comp), ...s.supers]) if (j >= end) throw new TypeDefError(`unknown type ${j}: type ${i} refers to a type after its rec group`);
      for (const j of s.supers) if (j >= i) throw new TypeDefError(`unknown type ${j}: type ${i} declares a later type as its supertype`);
    }
    const key = types.slice(g.start, end).map((s) => subKey(s, g.start, g.size, (i) => ids[i]!)).join('|');
    const found = lookup(key);
    const first = found !== undefined ? found.types[0]!.id : nextId;
    if (found === undefined) {
      nextId += g.size;
      const deps = new Set<number>();
      const local = (i: number): number => {
        if (i >= g.start && i < end) return first + (i - g.start);
        deps.add(ids[i]!);
        return ids[i]!;
      };
      const made: CanonType[] = [];
      for (let i = g.start; i < end; i++) {
        const s = types[i]!;
        const supers = s.supers.map(local);
        made.push({ id: first + (i - g.start), final: s.final, supers, comp: mapComp(s.comp, local), depth: 0 });
      }
      for (const t of made) {
        const sup = t.supers[0];
        t.depth = sup === undefined ? 0 : (sup >= first ? made[sup - first]! : canonType(sup)).depth + 1;
      }
      register(key, made, deps);
    }
    for (let i = 0; i < g.size; i++) ids.push(first + i);
  }
  return ids;
}

/** The canonical id of a lone final function type whose value types are already canonical (a host
 * function's signature): the id a module gets for the same `(type (func ...))`. */
export function canonFuncTypeId(params: readonly ValTypeCode[], results: readonly ValTypeCode[]): number {
  const s: SubType = { final: true, supers: [], comp: { kind: 'func', params: [...params], results: [...results] } };
  const key = subKey(s, -1, 0, (i) => i);
  const found = lookup(key);
  if (found !== undefined) return found.types[0]!.id;
  const deps = new Set<number>();
  for (const t of [...params, ...results]) if (typeIndexOf(t) >= 0) deps.add(typeIndexOf(t));
  const id = nextId++;
  register(key, [{ id, final: true, supers: [], comp: s.comp, depth: 0 }], deps);
  return id;
}

/** Checks each type's declared supertype: not final, and the composite types match (spec
 * `sub` rule). Run after canonicalize (ids are canonical) and with its `matchComposite`. */
export function checkSubtypeDecls(ids: readonly number[], matchComp: (a: CompositeType, b: CompositeType) => boolean): void {
  for (const [i, id] of ids.entries()) {
    const t = canonType(id);
    if (t.supers.length > 1) throw new TypeDefError(`multiple supertypes: type ${i}`);
    for (const s of t.supers) {
      const sup = canonType(s);
      // The module's index of the supertype, for the message.
      const j = ids.indexOf(s);
      if (sup.final) throw new TypeDefError(`sub type ${i}: super type ${j} is final`);
      if (!matchComp(t.comp, sup.comp)) throw new TypeDefError(`sub type ${i} does not match super type ${j}`);
    }
  }
}

export function isPacked(t: ValTypeCode): boolean {
  return t === PACKED_I8 || t === PACKED_I16;
}

/** The value type a storage type unpacks to. */
export function unpacked(t: ValTypeCode): ValTypeCode {
  return isPacked(t) ? 0x7f : t;
}

