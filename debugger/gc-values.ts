// GC references as the debugger shows them: structs by field name, arrays by element, i31 by value,
// null with its static type, exceptions by tag and payload. Types are canonical ids (core/types);
// RefNames turns them back into the module's `$names` (name section, or the .wat).
import type { Value } from './engine';
import { formatHeapType, formatType, heapOf, isNullable, isRef, unpacked, type CanonType, type FieldType } from '../core/types';
import { ExceptionPackage, GcArray, GcStruct, I31Ref, readWords, structLayout, unpackWord, writeWords, type Store } from '../core/interp';
import { formatValue, parseValue } from './value-format';

/** Names of the module's types (by canonical id), struct fields and tags. */
export interface RefNames {
  /** `point` for the type the module calls `$point`; undefined when it has no name. */
  type(canonId: number): string | undefined;
  /** The module's index for a canonical type, when the module defines it. */
  typeIndex(canonId: number): number | undefined;
  field(canonId: number, field: number): string | undefined;
  tag(pkg: ExceptionPackage): string;
}

/** An object the Variables view can expand (one handle per object per stop). */
export type GcObject = GcStruct | GcArray | ExceptionPackage;

/** A value type as text with the module's names: `(ref null $point)`, `i32`. */
export function typeText(t: number, names: RefNames | undefined): string {
  return formatType(t, (id) => typeName(id, names));
}

function typeName(id: number, names: RefNames | undefined): string {
  const n = names?.type(id);
  if (n !== undefined) return `$${n}`;
  const i = names?.typeIndex(id);
  return i !== undefined ? String(i) : `<canonical type ${id}>`;
}

/** The name of field `k` of a struct type: `x` (for `$x`), or its index. */
export function fieldLabel(t: CanonType, k: number, names: RefNames | undefined): string {
  return names?.field(t.id, k) ?? String(k);
}

export function isGcObject(v: unknown): v is GcObject {
  return v instanceof GcStruct || v instanceof GcArray || v instanceof ExceptionPackage;
}

/** The object a reference Value points at, when the view can expand it. */
export function gcObjectOf(v: Value): GcObject | undefined {
  if (v.type !== 'anyref' && v.type !== 'exnref' && v.type !== 'externref') return undefined;
  return isGcObject(v.value) ? v.value : undefined;
}

/** The dynamic type of an object: `(ref $point)`. */
export function objectType(o: GcObject, names: RefNames | undefined): string {
  if (o instanceof ExceptionPackage) return 'exnref';
  return `(ref ${typeName(o.type.id, names)})`;
}

/** A field's (or element's) value, packed fields read as an unsigned i32 (a reference field's
 * handle is one of the object's store). */
export function fieldValue(f: FieldType, words: Int32Array, at: number, store: Store | undefined): Value {
  if (f.type === 0x78 || f.type === 0x77) return { type: 'i32', value: unpackWord(f.type, words[at]!, false) };
  return readWords(f.type, words, at, store);
}

/** The children of an object: fields, elements (from `start`, `count` of them) or payload. */
export function children(o: GcObject, names: RefNames | undefined, start = 0, count = Infinity): { name: string; value: Value; type: number; mutable: boolean }[] {
  if (o instanceof GcStruct) {
    const fields = o.type.comp.kind === 'struct' ? o.type.comp.fields : [];
    const offsets = structLayout(o.type).offsets;
    return fields.map((f, k) => ({ name: fieldLabel(o.type, k, names), value: fieldValue(f, o.words, offsets[k]!, o.store), type: f.type, mutable: f.mutable }));
  }
  if (o instanceof GcArray) {
    const out = [];
    const end = Math.min(o.length, start + count);
    for (let i = start; i < end; i++) out.push({ name: `[${i}]`, value: fieldValue(o.elemType, o.words, i * o.stride, o.store), type: o.elemType.type, mutable: o.elemType.mutable });
    return out;
  }
  const params = o.tag.type.params;
  const out = [];
  let w = 0;
  for (let i = 0; i < params.length; i++) {
    const t = params[i]!;
    out.push({ name: `[${i}]`, value: readWords(t, o.words, w, o.store), type: t, mutable: false });
    w += t === 0x7b ? 4 : 2;
  }
  return out;
}

/** How many children `children` gives. */
export function childCount(o: GcObject): number {
  if (o instanceof GcStruct) return o.type.comp.kind === 'struct' ? o.type.comp.fields.length : 0;
  if (o instanceof GcArray) return o.length;
  return o.tag.type.params.length;
}

/** Elements an array preview lists before `…`. */
const PREVIEW = 8;

/**
 * A value as one line: `$point {x: 3, y: 2.5}`, `$vec[3] [10, 20, 30]`, `i31 42`, `null (ref null $t)`
 * (`staticType` gives nulls their type), `func $f`. `depth` bounds how far previews nest.
 */
export function showValue(v: Value, staticType: number | undefined, names: RefNames | undefined, depth = 1): string {
  const isNull = (v.type === 'anyref' || v.type === 'funcref' || v.type === 'externref' || v.type === 'exnref') && v.value === null;
  if (isNull) return staticType !== undefined && isRef(staticType) ? `null ${nullType(staticType, names)}` : 'null';
  if (v.type === 'anyref' && v.value instanceof I31Ref) return `i31 ${v.value.value}`;
  const o = gcObjectOf(v);
  if (o === undefined) return formatValue(v);
  if (o instanceof ExceptionPackage) {
    const payload = depth > 0 ? children(o, names).map((c) => showValue(c.value, c.type, names, depth - 1)).join(', ') : '…';
    return `exn ${names?.tag(o) ?? '?'} (${payload})`;
  }
  const head = o instanceof GcArray ? `${typeName(o.type.id, names)}[${o.length}]` : typeName(o.type.id, names);
  if (depth <= 0) return o instanceof GcArray ? head : `${head} {…}`;
  if (o instanceof GcArray) {
    const items = children(o, names, 0, PREVIEW).map((c) => showValue(c.value, c.type, names, depth - 1));
    return `${head} [${items.join(', ')}${o.length > PREVIEW ? ', …' : ''}]`;
  }
  return `${head} {${children(o, names).map((c) => `${c.name}: ${showValue(c.value, c.type, names, depth - 1)}`).join(', ')}}`;
}

/** A null's type as written: `(ref null $point)`, `(ref null func)` for funcref. */
function nullType(t: number, names: RefNames | undefined): string {
  if (!isNullable(t)) return typeText(t, names);
  return `(ref null ${formatHeapType(heapOf(t), (id) => typeName(id, names))})`;
}

/** Writes `text` into field `name` of a struct (or element `[i]` of an array); the value as shown after. */
export function setChild(o: GcObject, name: string, text: string, names: RefNames | undefined): { value: Value; type: number } {
  if (o instanceof ExceptionPackage) throw new Error('An exception\'s payload cannot be changed.');
  let f: FieldType;
  let at: number;
  if (o instanceof GcStruct) {
    const fields = o.type.comp.kind === 'struct' ? o.type.comp.fields : [];
    const k = fields.findIndex((_, i) => fieldLabel(o.type, i, names) === name);
    if (k < 0) throw new Error(`No field ${name}.`);
    f = fields[k]!;
    at = structLayout(o.type).offsets[k]!;
  } else {
    const i = Number(/^\[(\d+)\]$/.exec(name)?.[1] ?? NaN);
    if (!(i >= 0 && i < o.length)) throw new Error(`No element ${name}.`);
    f = o.elemType;
    at = i * o.stride;
  }
  if (!f.mutable) throw new Error(`${name} is immutable (not declared mut).`);
  const t = unpacked(f.type);
  const value = parseValue(valueTypeName(t), text);
  if (f.type !== t) {
    // i8 / i16: stored wrapped to their width
    const v = (value as { value: number }).value;
    o.words[at] = f.type === 0x78 ? v & 0xff : v & 0xffff;
  } else writeWords(t, o.words, at, value, o.store);
  return { value: fieldValue(f, o.words, at, o.store), type: f.type };
}

function valueTypeName(t: number): Value['type'] {
  switch (t) {
    case 0x7f: return 'i32';
    case 0x7e: return 'i64';
    case 0x7d: return 'f32';
    case 0x7c: return 'f64';
    case 0x7b: return 'v128';
  }
  const v = readWords(t, new Int32Array(4), 0, undefined);
  return v.type;
}
