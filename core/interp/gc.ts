// The interpreter's GC instructions, dispatched from the machine's one switch as Op.GC with a
// sub-opcode (the 0xFB one) and immediates: canonical type ids, field indices, segment indices.
// Structs and arrays are gc-objects.ts values, referenced from the value stack by handle.
import { Trap } from '../errors';
import { canonType, CONCRETE, HeapCode, heapOf, isNullable, matchHeap, topOf, type FieldType, type HeapType } from '../types';
import { GcArray, GcStruct, fieldWords, i31Word, isI31Word, packWord, structLayout, unpackWord } from './gc-objects';
import { FuncInstance, type Instance } from './runtime';
import type { Store } from './store';

/** Code words of each GC sub-opcode (itself and its immediates). */
export const GC_WIDTH = new Uint8Array(32).fill(1);
for (const sub of [0, 1, 6, 7, 11, 12, 13, 14, 16, 20, 21, 22, 23]) GC_WIDTH[sub] = 2;
for (const sub of [2, 3, 4, 5, 8, 9, 10, 17, 18, 19, 24, 25]) GC_WIDTH[sub] = 3;

/** The largest array the engine allocates (elements), so a huge length traps instead of throwing. */
const MAX_ARRAY = 1 << 27;

function struct(store: Store, w: number): GcStruct {
  if (w === 0) throw new Trap('null structure reference');
  return store.value(w) as GcStruct;
}

function array(store: Store, w: number): GcArray {
  if (w === 0) throw new Trap('null array reference');
  return store.value(w) as GcArray;
}

function newArray(id: number, n: number): GcArray {
  if (n > MAX_ARRAY) throw new Trap('out of memory: array too large');
  return new GcArray(canonType(id), n);
}

/** Whether the reference in handle word `w` is of type `(ref null? ht)` (`nullable`). */
export function refMatches(store: Store, w: number, ht: HeapType, nullable: boolean): boolean {
  if (w === 0) return nullable;
  // Validation put the operand in ht's hierarchy; in extern's, every non-null reference is an
  // extern (host values and extern.convert_any's internal ones alike) and none a noextern; in
  // exn's, every non-null one is an exn.
  const top = topOf(ht);
  if (top === HeapCode.extern || top === HeapCode.exn) return ht === top;
  if (isI31Word(w)) return matchHeap(HeapCode.i31, ht);
  const v = store.value(w);
  if (v instanceof GcStruct || v instanceof GcArray) return matchHeap(CONCRETE + v.type.id, ht);
  if (v instanceof FuncInstance) return matchHeap(CONCRETE + v.typeId, ht);
  // A host reference (externref, or internalized by any.convert_extern): only the tops match.
  return ht === HeapCode.any || ht === HeapCode.extern;
}

/** Copies an element's words (2 or 4) from the stack into an array, packing i8/i16. */
function storeElem(a: GcArray, i: number, i32: Int32Array, at: number): void {
  const t = a.elemType.type;
  const o = i * a.stride;
  a.words[o] = packWord(t, i32[at]!);
  a.words[o + 1] = i32[at + 1]!;
  if (a.stride === 4) {
    a.words[o + 2] = i32[at + 2]!;
    a.words[o + 3] = i32[at + 3]!;
  }
}

/** Bytes of one array element in a data segment (array.new_data, array.init_data). */
function elemBytes(t: number): number {
  return t === 0x78 ? 1 : t === 0x77 ? 2 : t === 0x7f || t === 0x7d ? 4 : t === 0x7b ? 16 : 8;
}

function fillFromSegment(inst: Instance, a: GcArray, d: number, dataOrElem: 'data' | 'elem', seg: number, s: number, n: number): void {
  if (dataOrElem === 'elem') {
    const items = inst.elemSegs[seg] ?? [];
    if (s + n > items.length || s + n < s) throw new Trap('out of bounds table access');
    if (d + n > a.length) throw new Trap('out of bounds array access');
    for (let k = 0; k < n; k++) a.words[(d + k) * 2] = inst.store.handle(items[s + k]);
    return;
  }
  const bytes = inst.dataSegs[seg] ?? new Uint8Array(0);
  const size = elemBytes(a.elemType.type);
  if (s + n * size > bytes.length) throw new Trap('out of bounds memory access');
  if (d + n > a.length) throw new Trap('out of bounds array access');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let k = 0; k < n; k++) {
    const at = s + k * size;
    const o = (d + k) * a.stride;
    if (size === 1) a.words[o] = bytes[at]!;
    else if (size === 2) a.words[o] = dv.getUint16(at, true);
    else if (size === 4) a.words[o] = dv.getInt32(at, true);
    else if (size === 8) {
      a.words[o] = dv.getInt32(at, true);
      a.words[o + 1] = dv.getInt32(at + 4, true);
    } else for (let q = 0; q < 4; q++) a.words[o + q] = dv.getInt32(at + q * 4, true);
  }
}

/** Runs one GC instruction at `code[pc]` (its sub-opcode); returns the new stack pointer. */
export function execGc(code: Int32Array, pc: number, sp: number, i32: Int32Array, inst: Instance): number {
  const sub = code[pc]!;
  switch (sub) {
    case 0: case 1: { // struct.new, struct.new_default
      const t = canonType(code[pc + 1]!);
      const s = new GcStruct(t);
      if (sub === 0) {
        const words = structLayout(t).words;
        sp -= words;
        const fields = t.comp.kind === 'struct' ? t.comp.fields : [];
        s.words.set(i32.subarray(sp, sp + words));
        structLayout(t).offsets.forEach((o, k) => { s.words[o] = packWord(fields[k]!.type, s.words[o]!); });
      }
      i32[sp] = inst.store.alloc(s);
      i32[sp + 1] = 0;
      return sp + 2;
    }
    case 2: case 3: case 4: { // struct.get, _s, _u
      const s = struct(inst.store, i32[sp - 2]!);
      const k = code[pc + 2]!;
      const f = (s.type.comp as { fields: { type: number }[] }).fields[k]!;
      const o = structLayout(s.type).offsets[k]!;
      const n = fieldWords(f.type);
      i32[sp - 2] = unpackWord(f.type, s.words[o]!, sub === 3);
      i32[sp - 1] = s.words[o + 1]!;
      if (n === 4) {
        i32[sp] = s.words[o + 2]!;
        i32[sp + 1] = s.words[o + 3]!;
        return sp + 2;
      }
      return sp;
    }
    case 5: { // struct.set
      const k = code[pc + 2]!;
      const t = canonType(code[pc + 1]!);
      const f = (t.comp as { fields: { type: number }[] }).fields[k]!;
      const n = fieldWords(f.type);
      sp -= n + 2;
      const s = struct(inst.store, i32[sp]!);
      const o = structLayout(s.type).offsets[k]!;
      s.words[o] = packWord(f.type, i32[sp + 2]!);
      s.words[o + 1] = i32[sp + 3]!;
      if (n === 4) {
        s.words[o + 2] = i32[sp + 4]!;
        s.words[o + 3] = i32[sp + 5]!;
      }
      return sp;
    }
    case 6: { // array.new: value, length
      const id = code[pc + 1]!;
      const stride = fieldWords((canonType(id).comp as { field: { type: number } }).field.type);
      const n = i32[sp - 2]! >>> 0;
      sp -= 2 + stride;
      const a = newArray(id, n);
      for (let k = 0; k < n; k++) storeElem(a, k, i32, sp);
      i32[sp] = inst.store.alloc(a);
      return sp + 2;
    }
    case 7: { // array.new_default
      const a = newArray(code[pc + 1]!, i32[sp - 2]! >>> 0);
      i32[sp - 2] = inst.store.alloc(a);
      return sp;
    }
    case 8: { // array.new_fixed
      const id = code[pc + 1]!;
      const n = code[pc + 2]!;
      const a = newArray(id, n);
      sp -= n * a.stride;
      for (let k = 0; k < n; k++) storeElem(a, k, i32, sp + k * a.stride);
      i32[sp] = inst.store.alloc(a);
      return sp + 2;
    }
    case 9: case 10: { // array.new_data, array.new_elem: offset, length
      sp -= 4;
      const s = i32[sp]! >>> 0, n = i32[sp + 2]! >>> 0;
      // The segment's bounds come first: a length past the segment traps as its access, not as memory.
      const id = code[pc + 1]!, seg = code[pc + 2]!;
      if (sub === 9) {
        const size = elemBytes((canonType(id).comp as { field: FieldType }).field.type);
        if (s + n * size > (inst.dataSegs[seg]?.length ?? 0)) throw new Trap('out of bounds memory access');
      } else if (s + n > (inst.elemSegs[seg]?.length ?? 0)) throw new Trap('out of bounds table access');
      const a = newArray(id, n);
      fillFromSegment(inst, a, 0, sub === 9 ? 'data' : 'elem', seg, s, n);
      i32[sp] = inst.store.alloc(a);
      return sp + 2;
    }
    case 11: case 12: case 13: { // array.get, _s, _u
      sp -= 2;
      const a = array(inst.store, i32[sp - 2]!);
      const i = i32[sp]! >>> 0;
      if (i >= a.length) throw new Trap('out of bounds array access');
      const o = i * a.stride;
      i32[sp - 2] = unpackWord(a.elemType.type, a.words[o]!, sub === 12);
      i32[sp - 1] = a.words[o + 1]!;
      if (a.stride === 4) {
        i32[sp] = a.words[o + 2]!;
        i32[sp + 1] = a.words[o + 3]!;
        return sp + 2;
      }
      return sp;
    }
    case 14: { // array.set: ref, index, value
      const stride = fieldWords((canonType(code[pc + 1]!).comp as { field: { type: number } }).field.type);
      sp -= 4 + stride;
      const a = array(inst.store, i32[sp]!);
      const i = i32[sp + 2]! >>> 0;
      if (i >= a.length) throw new Trap('out of bounds array access');
      storeElem(a, i, i32, sp + 4);
      return sp;
    }
    case 15: { // array.len
      const a = array(inst.store, i32[sp - 2]!);
      i32[sp - 2] = a.length;
      i32[sp - 1] = 0;
      return sp;
    }
    case 16: { // array.fill: ref, offset, value, n
      const stride = fieldWords((canonType(code[pc + 1]!).comp as { field: { type: number } }).field.type);
      sp -= 6 + stride;
      const a = array(inst.store, i32[sp]!);
      const d = i32[sp + 2]! >>> 0, n = i32[sp + 4 + stride]! >>> 0;
      if (d + n > a.length) throw new Trap('out of bounds array access');
      for (let k = 0; k < n; k++) storeElem(a, d + k, i32, sp + 4);
      return sp;
    }
    case 17: { // array.copy: dst, d, src, s, n
      sp -= 10;
      const dst = array(inst.store, i32[sp]!);
      const src = array(inst.store, i32[sp + 4]!);
      const d = i32[sp + 2]! >>> 0, s = i32[sp + 6]! >>> 0, n = i32[sp + 8]! >>> 0;
      if (d + n > dst.length || s + n > src.length) throw new Trap('out of bounds array access');
      if (dst === src) dst.words.copyWithin(d * dst.stride, s * src.stride, (s + n) * src.stride);
      else dst.words.set(src.words.subarray(s * src.stride, (s + n) * src.stride), d * dst.stride);
      return sp;
    }
    case 18: case 19: { // array.init_data, array.init_elem: ref, d, s, n
      sp -= 8;
      const a = array(inst.store, i32[sp]!);
      const d = i32[sp + 2]! >>> 0, s = i32[sp + 4]! >>> 0, n = i32[sp + 6]! >>> 0;
      if (d + n > a.length) throw new Trap('out of bounds array access');
      fillFromSegment(inst, a, d, sub === 18 ? 'data' : 'elem', code[pc + 2]!, s, n);
      return sp;
    }
    case 20: case 21: { // ref.test (null)
      const t = code[pc + 1]!;
      i32[sp - 2] = refMatches(inst.store, i32[sp - 2]!, heapOf(t), isNullable(t)) ? 1 : 0;
      return sp;
    }
    case 22: case 23: { // ref.cast (null)
      const t = code[pc + 1]!;
      if (!refMatches(inst.store, i32[sp - 2]!, heapOf(t), isNullable(t))) throw new Trap('cast failure');
      return sp;
    }
    case 24: case 25: { // br_on_cast(_fail): the ref stays; a condition for the BR_IF that follows
      const t = code[pc + 2]!;
      const ok = refMatches(inst.store, i32[sp - 2]!, heapOf(t), isNullable(t));
      i32[sp] = ok === (sub === 24) ? 1 : 0;
      return sp + 2;
    }
    case 26: case 27: // any.convert_extern, extern.convert_any: the same reference
      return sp;
    case 28: // ref.i31
      i32[sp - 2] = i31Word(i32[sp - 2]!);
      return sp;
    case 29: case 30: { // i31.get_s, i31.get_u
      const w = i32[sp - 2]!;
      if (w === 0) throw new Trap('null i31 reference');
      i32[sp - 2] = sub === 29 ? (w << 1) >> 1 : w & 0x7fffffff;
      return sp;
    }
  }
  throw new Error(`internal error: bad GC sub-opcode ${sub}`);
}


/** GC allocation in a constant expression (struct.new*, array.new* in a global, table or element
 * initializer): pops the operands, 4 words each as const-expr values, and returns the new handle. */
export function constGcNew(inst: Instance, op: number, id: number, count: number, stack: Int32Array[]): number {
  const t = canonType(id);
  const write = (words: Int32Array, o: number, ft: number, v: Int32Array): void => {
    words[o] = packWord(ft, v[0]!);
    words[o + 1] = v[1]!;
    if (fieldWords(ft) === 4) {
      words[o + 2] = v[2]!;
      words[o + 3] = v[3]!;
    }
  };
  switch (op) {
    case 0xfb0000: case 0xfb0001: { // struct.new, struct.new_default
      const s = new GcStruct(t);
      if (op === 0xfb0000) {
        const fields = t.comp.kind === 'struct' ? t.comp.fields : [];
        const offsets = structLayout(t).offsets;
        const vals = stack.splice(stack.length - fields.length, fields.length);
        fields.forEach((f, k) => { write(s.words, offsets[k]!, f.type, vals[k]!); });
      }
      return inst.store.alloc(s);
    }
    case 0xfb0006: case 0xfb0007: { // array.new: value, length; array.new_default: length
      const n = stack.pop()![0]! >>> 0;
      const v = op === 0xfb0006 ? stack.pop()! : undefined;
      const a = newArray(id, n);
      if (v !== undefined) for (let k = 0; k < n; k++) write(a.words, k * a.stride, a.elemType.type, v);
      return inst.store.alloc(a);
    }
    case 0xfb0008: { // array.new_fixed
      const a = newArray(id, count);
      const vals = stack.splice(stack.length - count, count);
      vals.forEach((v, k) => { write(a.words, k * a.stride, a.elemType.type, v); });
      return inst.store.alloc(a);
    }
  }
  throw new Error(`internal error: not a GC allocation 0x${op.toString(16)}`);
}
