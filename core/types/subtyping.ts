// Subtyping over canonical types (spec valid/match.ml): the abstract heap-type lattice, declared
// supertype chains of concrete types, and its lifting to value, field and composite types.
import { canonType, isPacked, type CompositeType, type FieldType } from './def-types';
import { CONCRETE, HeapCode, heapOf, isNullable, isRef, type HeapType, type ValTypeCode } from './value-types';

/** The top of the hierarchy a heap type belongs to: any, func, extern or exn. */
export function topOf(h: HeapType): HeapCode {
  if (h >= CONCRETE) return canonType(h - CONCRETE).comp.kind === 'func' ? HeapCode.func : HeapCode.any;
  switch (h) {
    case HeapCode.func: case HeapCode.nofunc: return HeapCode.func;
    case HeapCode.extern: case HeapCode.noextern: return HeapCode.extern;
    case HeapCode.exn: case HeapCode.noexn: return HeapCode.exn;
    default: return HeapCode.any;
  }
}

/** The bottom of a heap type's hierarchy: none, nofunc, noextern or noexn. */
export function bottomOf(h: HeapType): HeapCode {
  switch (topOf(h)) {
    case HeapCode.func: return HeapCode.nofunc;
    case HeapCode.extern: return HeapCode.noextern;
    case HeapCode.exn: return HeapCode.noexn;
    default: return HeapCode.none;
  }
}

function isBottom(h: HeapType): boolean {
  return h === HeapCode.none || h === HeapCode.nofunc || h === HeapCode.noextern || h === HeapCode.noexn;
}

/** a <: b on heap types (canonical ids for concrete ones). */
export function matchHeap(a: HeapType, b: HeapType): boolean {
  if (a === b) return true;
  if (isBottom(a)) return bottomOf(b) === a;
  if (a >= CONCRETE) {
    const t = canonType(a - CONCRETE);
    if (b >= CONCRETE) {
      const target = b - CONCRETE;
      const bt = canonType(target);
      if (bt.depth >= t.depth) return false;
      let cur = t;
      while (cur.depth > bt.depth) cur = canonType(cur.supers[0]!);
      return cur.id === target;
    }
    switch (t.comp.kind) {
      case 'func': return b === HeapCode.func;
      case 'struct': return b === HeapCode.struct || b === HeapCode.eq || b === HeapCode.any;
      case 'array': return b === HeapCode.array || b === HeapCode.eq || b === HeapCode.any;
    }
  }
  switch (a) {
    case HeapCode.i31: case HeapCode.struct: case HeapCode.array: return b === HeapCode.eq || b === HeapCode.any;
    case HeapCode.eq: return b === HeapCode.any;
    default: return false;
  }
}

/** a <: b on value types; 0 (the unknown type of unreachable code) matches everything. */
export function matchValType(a: ValTypeCode, b: ValTypeCode): boolean {
  if (a === b || a === 0) return true;
  if (!isRef(a) || !isRef(b)) return false;
  if (isNullable(a) && !isNullable(b)) return false;
  return matchHeap(heapOf(a), heapOf(b));
}

export function matchFieldType(a: FieldType, b: FieldType): boolean {
  if (a.mutable !== b.mutable) return false;
  if (isPacked(a.type) || isPacked(b.type)) return a.type === b.type;
  return a.mutable ? a.type === b.type : matchValType(a.type, b.type);
}

export function matchComposite(a: CompositeType, b: CompositeType): boolean {
  if (a.kind === 'func' && b.kind === 'func') {
    return a.params.length === b.params.length && a.results.length === b.results.length
      && a.params.every((t, i) => matchValType(b.params[i]!, t)) && a.results.every((t, i) => matchValType(t, b.results[i]!));
  }
  if (a.kind === 'struct' && b.kind === 'struct') {
    return a.fields.length >= b.fields.length && b.fields.every((f, i) => matchFieldType(a.fields[i]!, f));
  }
  if (a.kind === 'array' && b.kind === 'array') return matchFieldType(a.field, b.field);
  return false;
}

/** Each pair a[i] <: b[i]. */
export function matchTypes(a: readonly ValTypeCode[], b: readonly ValTypeCode[]): boolean {
  return a.length === b.length && a.every((t, i) => matchValType(t, b[i]!));
}
