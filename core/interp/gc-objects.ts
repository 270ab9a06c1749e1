// GC values: structs and arrays (their fields as 32-bit words, laid out as on the value stack:
// 2 words a scalar or reference handle, 4 a v128), and i31 references, which live in the handle
// word itself (high bit set) so they are never interned and compare by value.
import { PACKED_I16, PACKED_I8, type CanonType, type FieldType } from '../types';
import type { Store } from './store';

export function fieldWords(t: number): number {
  return t === 0x7b ? 4 : 2;
}

/** Word offset of each field of a struct type, and the total (cached on the canonical type). */
export function structLayout(t: CanonType): { offsets: number[]; words: number } {
  let l = t.layout;
  if (l === undefined) {
    const fields = t.comp.kind === 'struct' ? t.comp.fields : [];
    const offsets: number[] = [];
    let w = 0;
    for (const f of fields) {
      offsets.push(w);
      w += fieldWords(f.type);
    }
    l = { offsets, words: w };
    t.layout = l;
  }
  return l;
}

/** Structs and arrays made so far. Each object is numbered in allocation order (`serial`); a
 * recorder restores the count when it goes back, so a replay numbers its objects as the first run
 * did and a debugger can follow one object across time travel. */
let allocations = 0;

export function allocationCount(): number {
  return allocations;
}

export function setAllocationCount(n: number): void {
  allocations = n;
}

/** A struct or array: it knows its store and its handle there (Store.alloc sets both), so turning
 * it back into a handle word costs no lookup. */
export class GcObject {
  store: Store | undefined = undefined;
  handle = 0;
}

export class GcStruct extends GcObject {
  readonly words: Int32Array;
  readonly serial = ++allocations;
  constructor(readonly type: CanonType) {
    super();
    this.words = new Int32Array(structLayout(type).words);
  }
  override toString(): string {
    return `struct ${this.type.id}`;
  }
}

export class GcArray extends GcObject {
  readonly words: Int32Array;
  readonly serial = ++allocations;
  /** Words per element: 2, or 4 for v128. */
  readonly stride: number;
  constructor(readonly type: CanonType, readonly length: number) {
    super();
    const f = (type.comp as { field: FieldType }).field;
    this.stride = fieldWords(f.type);
    this.words = new Int32Array(length * this.stride);
  }
  get elemType(): FieldType {
    return (this.type.comp as { field: FieldType }).field;
  }
  override toString(): string {
    return `array ${this.type.id}[${this.length}]`;
  }
}

/** An i31 reference at the API boundary; on the stack it is its handle word. */
export class I31Ref {
  constructor(readonly value: number) {}
  toString(): string {
    return `i31 ${this.value}`;
  }
}

/** The handle word of an i31 holding `v` (its low 31 bits). */
export function i31Word(v: number): number {
  return (v & 0x7fffffff) | 0x80000000 | 0;
}

export function isI31Word(w: number): boolean {
  return w < 0;
}

/** Stores an unpacked value's low word into a packed field (i8/i16 wrap). */
export function packWord(t: number, w: number): number {
  return t === PACKED_I8 ? w & 0xff : t === PACKED_I16 ? w & 0xffff : w;
}

/** Reads a packed field as i32: sign- or zero-extended. */
export function unpackWord(t: number, w: number, signed: boolean): number {
  if (t === PACKED_I8) return signed ? (w << 24) >> 24 : w & 0xff;
  if (t === PACKED_I16) return signed ? (w << 16) >> 16 : w & 0xffff;
  return w;
}

