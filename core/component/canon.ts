// The dynamic half of the Canonical ABI (CanonicalABI.md, `definitions.py`): lifting and lowering
// every component value type between JS values and core values or linear memory, strings in
// UTF-8/UTF-16/latin1+UTF-16, realloc for what the callee allocates, and resource handle tables.
//
// Component values on the JS side: bool → boolean; integers up to 32 bits, f32, f64 → number;
// s64/u64 → bigint; char and string → string; list<u8> → Uint8Array, other lists and tuples →
// arrays; record → object by field name; variant/option/result → { tag, val? } (option: 'none' |
// 'some', result: 'ok' | 'err'); enum → its case name; flags → object of booleans; own/borrow →
// the resource's representation (a host object, or the i32 rep of a resource this component defines).
import { Trap } from '../errors';
import type { FuncInstance, MemoryInstance } from '../interp/runtime';
import { alignTo, alignment, discriminantSize, elemSize, flatten, layout, variantCases, type CoreNum } from './abi';
import type { ResourceType, ValType } from './types';
import { CopyEnd, CopyState, ErrorContext, SharedFuture, SharedStream, Waitable, WaitableSet } from './async/waitables';

const MAX_TABLE_LENGTH = 2 ** 28 - 1;

/** A flat core value with the JS-API convention: i32/f32/f64 as number, i64 as bigint. */
export type Flat = number | bigint;

export interface Variant {
  tag: string;
  val?: unknown;
}

export const UTF16_TAG = 0x80000000;

/** Calls a core function to completion (realloc, post-return, destructors): supplied by the instantiator. */
export type CoreCall = (f: FuncInstance, args: Flat[]) => Flat[];

/** One entry of a component instance's handle table. */
export interface HandleEntry {
  resource: ResourceType;
  rep: unknown;
  own: boolean;
  /** Borrows lent out of this own handle that are still live (it cannot be dropped meanwhile). */
  lends: number;
}

/** What else a handle table holds (CanonicalABI.md: one table per instance for every kind of handle). */
export type TableItem = HandleEntry | Waitable | WaitableSet | ErrorContext;

function itemKind(e: TableItem): string {
  if (e instanceof Waitable) return e.describe();
  if (e instanceof WaitableSet) return 'waitable set';
  if (e instanceof ErrorContext) return 'error-context';
  return e.resource.name ?? 'resource';
}

function isResourceEntry(e: TableItem): e is HandleEntry {
  return !(e instanceof Waitable || e instanceof WaitableSet || e instanceof ErrorContext);
}

/** The handle table of one component instance (index 0 is never used, as in the spec). */
export class HandleTable {
  private readonly entries: (TableItem | undefined)[] = [undefined];
  private readonly free: number[] = [];

  add(e: TableItem): number {
    if (this.entries.length - this.free.length > MAX_TABLE_LENGTH) throw new Trap('handle table is full');
    const i = this.free.pop();
    if (i !== undefined) {
      this.entries[i] = e;
      return i;
    }
    this.entries.push(e);
    return this.entries.length - 1;
  }

  get(i: number, resource: ResourceType): HandleEntry {
    const e = this.entries[i];
    if (i === 0 || e === undefined) throw new Trap(`unknown handle index ${i}`);
    if (!isResourceEntry(e) || e.resource !== resource) throw new Trap(`handle ${i} is a ${itemKind(e)}, not a ${resource.name ?? 'resource'}`);
    return e;
  }

  /** Any entry, checked to be of a class (a waitable set, a stream end, ...); `what` names it in the trap. */
  getItem<T extends TableItem>(i: number, cls: abstract new (...a: never[]) => T, what: string): T {
    const e = this.entries[i];
    if (i === 0 || e === undefined) throw new Trap(`unknown handle index ${i} (expected a ${what})`);
    if (!(e instanceof cls)) throw new Trap(`handle ${i} is a ${itemKind(e)}, not a ${what}`);
    return e;
  }

  /** Removes an entry checked as getItem does. */
  removeItem<T extends TableItem>(i: number, cls: abstract new (...a: never[]) => T, what: string): T {
    const e = this.getItem(i, cls, what);
    this.entries[i] = undefined;
    this.free.push(i);
    return e;
  }

  remove(i: number, resource: ResourceType): HandleEntry {
    const e = this.get(i, resource);
    if (e.lends > 0) throw new Trap(`handle ${i} still has ${e.lends} outstanding borrow(s)`);
    this.entries[i] = undefined;
    this.free.push(i);
    return e;
  }

  /** Ends a borrow lent for a call: gone already when the callee dropped it itself. */
  endBorrow(i: number): void {
    const e = this.entries[i];
    if (e === undefined || !isResourceEntry(e) || e.own) return;
    this.entries[i] = undefined;
    this.free.push(i);
  }

  /** Live handles, for the debugger. */
  live(): { index: number; entry: HandleEntry }[] {
    const out: { index: number; entry: HandleEntry }[] = [];
    this.entries.forEach((e, index) => {
      if (e && isResourceEntry(e)) out.push({ index, entry: e });
    });
    return out;
  }
}

/** What a lift or lower needs: canonical options resolved to instances, plus the handle table. */
export interface CallContext {
  memory: MemoryInstance | undefined;
  realloc: FuncInstance | undefined;
  encoding: 'utf8' | 'utf16' | 'latin1+utf16';
  handles: HandleTable;
  call: CoreCall;
  /** Called when a host resource's last own handle is dropped. */
  onDrop?: (resource: ResourceType, rep: unknown) => void;
  /** Borrows created for this call (lowered to a guest), released when it returns. */
  borrows?: number[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf16 = new TextDecoder('utf-16le', { fatal: true });
const encoder = new TextEncoder();

function mem(cx: CallContext): MemoryInstance {
  if (!cx.memory) throw new Trap('canonical ABI: no memory option for a value that lives in memory');
  return cx.memory;
}

function check(cx: CallContext, ptr: number, size: number, align: number): DataView {
  const m = mem(cx);
  if (ptr % align !== 0) throw new Trap(`canonical ABI: misaligned pointer 0x${ptr.toString(16)} (alignment ${align})`);
  if (ptr + size > m.buffer.byteLength) throw new Trap('out of bounds memory access');
  return m.dv;
}

function realloc(cx: CallContext, align: number, size: number): number {
  if (!cx.realloc) throw new Trap('canonical ABI: no realloc option to allocate guest memory');
  const [p] = cx.call(cx.realloc, [0, 0, align, size]);
  const ptr = Number(p) >>> 0;
  check(cx, ptr, size, align);
  return ptr;
}

const f32buf = new DataView(new ArrayBuffer(8));
function f32ToBits(x: number): number {
  f32buf.setFloat32(0, x, true);
  return f32buf.getInt32(0, true);
}
function bitsToF32(b: number): number {
  f32buf.setInt32(0, b, true);
  return f32buf.getFloat32(0, true);
}
function f64ToBits(x: number): bigint {
  f32buf.setFloat64(0, x, true);
  return f32buf.getBigInt64(0, true);
}
function bitsToF64(b: bigint): number {
  f32buf.setBigInt64(0, BigInt.asIntN(64, b), true);
  return f32buf.getFloat64(0, true);
}

function charOf(code: number): string {
  if (code >= 0x110000 || (code >= 0xd800 && code <= 0xdfff)) throw new Trap(`canonical ABI: invalid char 0x${code.toString(16)}`);
  return String.fromCodePoint(code);
}

function codeOf(v: unknown): number {
  if (typeof v !== 'string' || v.length === 0) throw new TypeError('char value must be a one-character string');
  return v.codePointAt(0)!;
}

function caseIndex(t: ValType, v: unknown): { index: number; val: unknown } {
  const tag = (v as Variant | null)?.tag;
  let index: number;
  switch (t.kind) {
    case 'option': index = tag === 'none' ? 0 : tag === 'some' ? 1 : -1; break;
    case 'result': index = tag === 'ok' ? 0 : tag === 'err' ? 1 : -1; break;
    case 'variant': index = t.cases.findIndex((c) => c.name === tag); break;
    default: index = -1;
  }
  if (index < 0) throw new TypeError(`not a case of the ${t.kind}: ${String(tag)}`);
  return { index, val: (v as Variant).val };
}

function caseValue(t: ValType, index: number, val: unknown): Variant {
  const tag = t.kind === 'option' ? (index === 0 ? 'none' : 'some') : t.kind === 'result' ? (index === 0 ? 'ok' : 'err')
    : t.kind === 'variant' ? t.cases[index]!.name : '';
  return val === undefined ? { tag } : { tag, val };
}

// ---- strings ----

export function loadString(cx: CallContext, ptr: number, taggedLen: number): string {
  const m = mem(cx);
  let bytes: Uint8Array;
  try {
    switch (cx.encoding) {
      case 'utf8':
        check(cx, ptr, taggedLen, 1);
        bytes = m.u8.subarray(ptr, ptr + taggedLen);
        return utf8.decode(bytes);
      case 'utf16':
        check(cx, ptr, taggedLen * 2, 2);
        return utf16.decode(m.u8.subarray(ptr, ptr + taggedLen * 2));
      case 'latin1+utf16':
        if ((taggedLen & UTF16_TAG) !== 0) {
          const n = (taggedLen ^ UTF16_TAG) >>> 0;
          check(cx, ptr, n * 2, 2);
          return utf16.decode(m.u8.subarray(ptr, ptr + n * 2));
        }
        check(cx, ptr, taggedLen, 1);
        return String.fromCharCode(...m.u8.subarray(ptr, ptr + taggedLen));
    }
  } catch (err) {
    if (err instanceof Trap) throw err;
    throw new Trap(`canonical ABI: invalid ${cx.encoding} string`);
  }
}

function storeString(cx: CallContext, s: unknown): [number, number] {
  if (typeof s !== 'string') throw new TypeError('string value must be a JS string');
  switch (cx.encoding) {
    case 'utf8': {
      const b = encoder.encode(s);
      const ptr = realloc(cx, 1, b.length);
      mem(cx).u8.set(b, ptr);
      return [ptr, b.length];
    }
    case 'utf16': {
      const ptr = realloc(cx, 2, s.length * 2);
      const dv = mem(cx).dv;
      for (let i = 0; i < s.length; i++) dv.setUint16(ptr + i * 2, s.charCodeAt(i), true);
      return [ptr, s.length];
    }
    case 'latin1+utf16': {
      let latin1 = true;
      for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) latin1 = false;
      if (latin1) {
        const ptr = realloc(cx, 2, s.length);
        const u8 = mem(cx).u8;
        for (let i = 0; i < s.length; i++) u8[ptr + i] = s.charCodeAt(i);
        return [ptr, s.length];
      }
      const ptr = realloc(cx, 2, s.length * 2);
      const dv = mem(cx).dv;
      for (let i = 0; i < s.length; i++) dv.setUint16(ptr + i * 2, s.charCodeAt(i), true);
      return [ptr, (s.length | UTF16_TAG) >>> 0];
    }
  }
}

// ---- handles ----

function liftHandle(cx: CallContext, t: Extract<ValType, { kind: 'own' | 'borrow' }>, i: number): unknown {
  if (t.kind === 'own') return cx.handles.remove(i, t.resource).rep;
  return cx.handles.get(i, t.resource).rep;
}

function lowerHandle(cx: CallContext, t: Extract<ValType, { kind: 'own' | 'borrow' }>, rep: unknown): number {
  const i = cx.handles.add({ resource: t.resource, rep, own: t.kind === 'own', lends: 0 });
  if (t.kind === 'borrow') (cx.borrows ??= []).push(i);
  return i;
}

// ---- streams, futures and error contexts ----

/** lift_async_value: the guest gives away the readable end `i`; the value is the shared stream or future. */
function liftAsync(cx: CallContext, t: Extract<ValType, { kind: 'stream' | 'future' }>, i: number): SharedStream | SharedFuture {
  const e = cx.handles.getItem(i, CopyEnd, `${t.kind} readable end`);
  if (!e.readable || e.isStream() !== (t.kind === 'stream')) throw new Trap(`handle ${i} is a ${e.describe()}, not a ${t.kind} readable end`);
  if (e.state !== CopyState.IDLE) throw new Trap(`${t.kind} handle ${i} cannot be passed while a copy is in progress or after it is done`);
  if (e.wset) throw new Trap(`${t.kind} handle ${i} cannot be passed while it is in a waitable set`);
  cx.handles.removeItem(i, CopyEnd, `${t.kind} readable end`);
  return e.shared;
}

function lowerAsync(cx: CallContext, t: Extract<ValType, { kind: 'stream' | 'future' }>, v: unknown): number {
  const want = t.kind === 'stream' ? SharedStream : SharedFuture;
  if (!(v instanceof want)) throw new TypeError(`a ${t.kind} value must be a ${want.name}`);
  if (!v.typed) {
    // Made by the host, which leaves the element type to the function type it is passed through.
    v.elem = t.elem;
    v.typed = true;
  }
  const end = new CopyEnd(v, true);
  end.index = cx.handles.add(end);
  return end.index;
}

function liftErrorContext(cx: CallContext, i: number): ErrorContext {
  return cx.handles.getItem(i, ErrorContext, 'error-context');
}

function lowerErrorContext(cx: CallContext, v: unknown): number {
  if (!(v instanceof ErrorContext)) throw new TypeError('an error-context value must be an ErrorContext');
  return cx.handles.add(v);
}

// ---- memory ----

export function load(cx: CallContext, t: ValType, ptr: number): unknown {
  const { size, align } = layout(t);
  const dv = check(cx, ptr, size, align);
  switch (t.kind) {
    case 'prim':
      switch (t.prim) {
        case 'bool': return dv.getUint8(ptr) !== 0;
        case 's8': return dv.getInt8(ptr);
        case 'u8': return dv.getUint8(ptr);
        case 's16': return dv.getInt16(ptr, true);
        case 'u16': return dv.getUint16(ptr, true);
        case 's32': return dv.getInt32(ptr, true);
        case 'u32': return dv.getUint32(ptr, true);
        case 's64': return dv.getBigInt64(ptr, true);
        case 'u64': return dv.getBigUint64(ptr, true);
        case 'f32': return dv.getFloat32(ptr, true);
        case 'f64': return dv.getFloat64(ptr, true);
        case 'char': return charOf(dv.getUint32(ptr, true));
        case 'string': return loadString(cx, dv.getUint32(ptr, true), dv.getUint32(ptr + 4, true));
        case 'error-context': return liftErrorContext(cx, dv.getUint32(ptr, true));
      }
      break;
    case 'stream': case 'future': return liftAsync(cx, t, dv.getUint32(ptr, true));
    case 'list':
      if (t.length !== undefined) return loadList(cx, t.elem, ptr, t.length);
      return loadList(cx, t.elem, dv.getUint32(ptr, true), dv.getUint32(ptr + 4, true));
    case 'record': {
      const out: Record<string, unknown> = {};
      let p = ptr;
      for (const f of t.fields) {
        p = alignTo(p, alignment(f.type));
        out[f.name] = load(cx, f.type, p);
        p += elemSize(f.type);
      }
      return out;
    }
    case 'tuple': {
      const out: unknown[] = [];
      let p = ptr;
      for (const e of t.elems) {
        p = alignTo(p, alignment(e));
        out.push(load(cx, e, p));
        p += elemSize(e);
      }
      return out;
    }
    case 'variant': case 'option': case 'result': {
      const cases = variantCases(t);
      const d = discriminantSize(cases.length);
      const index = d === 1 ? dv.getUint8(ptr) : d === 2 ? dv.getUint16(ptr, true) : dv.getUint32(ptr, true);
      if (index >= cases.length) throw new Trap(`canonical ABI: variant case ${index} out of range`);
      const ct = cases[index];
      const payload = ptr + alignTo(d, maxAlign(cases));
      return caseValue(t, index, ct === undefined ? undefined : load(cx, ct, payload));
    }
    case 'enum': {
      const d = discriminantSize(t.names.length);
      const index = d === 1 ? dv.getUint8(ptr) : d === 2 ? dv.getUint16(ptr, true) : dv.getUint32(ptr, true);
      const name = t.names[index];
      if (name === undefined) throw new Trap(`canonical ABI: enum case ${index} out of range`);
      return name;
    }
    case 'flags': {
      const out: Record<string, boolean> = {};
      t.names.forEach((n, i) => {
        out[n] = (dv.getUint8(ptr + (i >> 3)) & (1 << (i & 7))) !== 0;
      });
      return out;
    }
    case 'own': case 'borrow': return liftHandle(cx, t, dv.getUint32(ptr, true));
    default: break;
  }
  throw new Trap(`canonical ABI: ${t.kind} values are not supported`);
}

function maxAlign(cases: (ValType | undefined)[]): number {
  let a = 1;
  for (const c of cases) if (c) a = Math.max(a, alignment(c));
  return a;
}

function loadList(cx: CallContext, elem: ValType, ptr: number, n: number): unknown {
  const { size, align } = layout(elem);
  check(cx, ptr, n * size, align);
  if (elem.kind === 'prim' && elem.prim === 'u8') return mem(cx).u8.slice(ptr, ptr + n);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(load(cx, elem, ptr + i * size));
  return out;
}

export function store(cx: CallContext, t: ValType, v: unknown, ptr: number): void {
  const { size, align } = layout(t);
  const dv = check(cx, ptr, size, align);
  switch (t.kind) {
    case 'prim':
      switch (t.prim) {
        case 'bool': dv.setUint8(ptr, v ? 1 : 0); return;
        case 's8': case 'u8': dv.setUint8(ptr, Number(v) & 0xff); return;
        case 's16': case 'u16': dv.setUint16(ptr, Number(v) & 0xffff, true); return;
        case 's32': case 'u32': dv.setUint32(ptr, Number(v) >>> 0, true); return;
        case 's64': case 'u64': dv.setBigUint64(ptr, BigInt.asUintN(64, BigInt(v as bigint)), true); return;
        case 'f32': dv.setFloat32(ptr, Number(v), true); return;
        case 'f64': dv.setFloat64(ptr, Number(v), true); return;
        case 'char': dv.setUint32(ptr, codeOf(v), true); return;
        case 'string': {
          const [p, n] = storeString(cx, v);
          mem(cx).dv.setUint32(ptr, p, true);
          mem(cx).dv.setUint32(ptr + 4, n, true);
          return;
        }
        case 'error-context': dv.setUint32(ptr, lowerErrorContext(cx, v), true); return;
      }
      break;
    case 'stream': case 'future': dv.setUint32(ptr, lowerAsync(cx, t, v), true); return;
    case 'list': {
      if (t.length !== undefined) {
        storeListAt(cx, t.elem, v, ptr);
        return;
      }
      const [p, n] = storeList(cx, t.elem, v);
      mem(cx).dv.setUint32(ptr, p, true);
      mem(cx).dv.setUint32(ptr + 4, n, true);
      return;
    }
    case 'record': {
      let p = ptr;
      const obj = v as Record<string, unknown>;
      for (const f of t.fields) {
        p = alignTo(p, alignment(f.type));
        store(cx, f.type, obj[f.name], p);
        p += elemSize(f.type);
      }
      return;
    }
    case 'tuple': {
      let p = ptr;
      const arr = v as unknown[];
      t.elems.forEach((e, i) => {
        p = alignTo(p, alignment(e));
        store(cx, e, arr[i], p);
        p += elemSize(e);
      });
      return;
    }
    case 'variant': case 'option': case 'result': {
      const cases = variantCases(t);
      const { index, val } = caseIndex(t, v);
      const d = discriminantSize(cases.length);
      if (d === 1) dv.setUint8(ptr, index);
      else if (d === 2) dv.setUint16(ptr, index, true);
      else dv.setUint32(ptr, index, true);
      const ct = cases[index];
      if (ct !== undefined) store(cx, ct, val, ptr + alignTo(d, maxAlign(cases)));
      return;
    }
    case 'enum': {
      const index = t.names.indexOf(v as string);
      if (index < 0) throw new TypeError(`not a case of the enum: ${String(v)}`);
      const d = discriminantSize(t.names.length);
      if (d === 1) dv.setUint8(ptr, index);
      else if (d === 2) dv.setUint16(ptr, index, true);
      else dv.setUint32(ptr, index, true);
      return;
    }
    case 'flags': {
      const obj = (v ?? {}) as Record<string, boolean>;
      for (let b = 0; b < size; b++) dv.setUint8(ptr + b, 0);
      t.names.forEach((n, i) => {
        if (obj[n]) dv.setUint8(ptr + (i >> 3), dv.getUint8(ptr + (i >> 3)) | (1 << (i & 7)));
      });
      return;
    }
    case 'own': case 'borrow': dv.setUint32(ptr, lowerHandle(cx, t, v), true); return;
    default: break;
  }
  throw new Trap(`canonical ABI: ${t.kind} values are not supported`);
}

function storeList(cx: CallContext, elem: ValType, v: unknown): [number, number] {
  const { size, align } = layout(elem);
  const n = v instanceof Uint8Array ? v.length : (v as unknown[]).length;
  const ptr = realloc(cx, align, n * size);
  storeListAt(cx, elem, v, ptr);
  return [ptr, n];
}

function storeListAt(cx: CallContext, elem: ValType, v: unknown, ptr: number): void {
  if (v instanceof Uint8Array) {
    if (elem.kind !== 'prim' || (elem.prim !== 'u8' && elem.prim !== 's8')) throw new TypeError('a byte array is only a list<u8>');
    mem(cx).u8.set(v, ptr);
    return;
  }
  const size = elemSize(elem);
  (v as unknown[]).forEach((e, i) => store(cx, elem, e, ptr + i * size));
}

// ---- flat values ----

/** Reads flat values in order, coercing where a variant joined different core types. */
class FlatReader {
  i = 0;
  constructor(private readonly values: readonly Flat[]) {}
  next(want: CoreNum, have: CoreNum): Flat {
    const v = this.values[this.i++];
    if (v === undefined) throw new Trap('canonical ABI: too few core values');
    if (want === have) return v;
    // Joined slots (CanonicalABI.md lift_flat_variant): narrow back to the case's type.
    switch (`${have}>${want}`) {
      case 'i32>f32': return bitsToF32(Number(v));
      case 'i64>i32': return Number(BigInt.asIntN(32, BigInt(v)));
      case 'i64>f32': return bitsToF32(Number(BigInt.asIntN(32, BigInt(v))));
      case 'i64>f64': return bitsToF64(BigInt(v));
      default: return v;
    }
  }
}

function liftFlatWith(cx: CallContext, t: ValType, r: FlatReader, types: CoreNum[] | undefined): unknown {
  // `types` are the slot types the values actually have (a variant's joined types), else t's own.
  const own = flatten(t);
  let k = 0;
  const next = (want: CoreNum): Flat => r.next(want, types ? types[k++]! : (k++, want));
  const u32 = (): number => Number(next('i32')) >>> 0;
  switch (t.kind) {
    case 'prim':
      switch (t.prim) {
        case 'bool': return u32() !== 0;
        case 's8': return (u32() << 24) >> 24;
        case 'u8': return u32() & 0xff;
        case 's16': return (u32() << 16) >> 16;
        case 'u16': return u32() & 0xffff;
        case 's32': return u32() | 0;
        case 'u32': return u32();
        case 's64': return BigInt.asIntN(64, BigInt(next('i64')));
        case 'u64': return BigInt.asUintN(64, BigInt(next('i64')));
        case 'f32': return Number(next('f32'));
        case 'f64': return Number(next('f64'));
        case 'char': return charOf(u32());
        case 'string': {
          const p = u32();
          return loadString(cx, p, u32());
        }
        case 'error-context': return liftErrorContext(cx, u32());
      }
      break;
    case 'stream': case 'future': return liftAsync(cx, t, u32());
    case 'list': {
      if (t.length !== undefined) {
        const out: unknown[] = [];
        const sub = types?.slice(k);
        for (let i = 0; i < t.length; i++) out.push(liftFlatWith(cx, t.elem, r, sub?.splice(0, flatten(t.elem).length)));
        return out;
      }
      const p = u32();
      return loadList(cx, t.elem, p, u32());
    }
    case 'record': case 'tuple': {
      const parts = t.kind === 'record' ? t.fields.map((f) => f.type) : t.elems;
      const vals: unknown[] = [];
      let off = 0;
      for (const p of parts) {
        const n = flatten(p).length;
        vals.push(liftFlatWith(cx, p, r, types?.slice(off, off + n)));
        off += n;
      }
      if (t.kind === 'tuple') return vals;
      const out: Record<string, unknown> = {};
      t.fields.forEach((f, i) => {
        out[f.name] = vals[i];
      });
      return out;
    }
    case 'variant': case 'option': case 'result': {
      const cases = variantCases(t);
      const slotTypes = types ?? own;
      const index = Number(r.next('i32', slotTypes[0]!)) >>> 0;
      if (index >= cases.length) throw new Trap(`canonical ABI: variant case ${index} out of range`);
      const start = r.i;
      const ct = cases[index];
      const val = ct === undefined ? undefined : liftFlatWith(cx, ct, r, slotTypes.slice(1, 1 + flatten(ct).length));
      // Skip the padding slots of shorter cases.
      r.i = start + own.length - 1;
      return caseValue(t, index, val);
    }
    case 'enum': {
      const index = u32();
      const name = t.names[index];
      if (name === undefined) throw new Trap(`canonical ABI: enum case ${index} out of range`);
      return name;
    }
    case 'flags': {
      const words: number[] = [];
      for (let i = 0; i < own.length; i++) words.push(u32());
      const out: Record<string, boolean> = {};
      t.names.forEach((n, i) => {
        out[n] = ((words[i >> 5]! >>> (i & 31)) & 1) !== 0;
      });
      return out;
    }
    case 'own': case 'borrow': return liftHandle(cx, t, u32());
    default: break;
  }
  throw new Trap(`canonical ABI: ${t.kind} values are not supported`);
}

function coerce(v: Flat, have: CoreNum, want: CoreNum): Flat {
  if (have === want) return v;
  switch (`${have}>${want}`) {
    case 'f32>i32': return f32ToBits(Number(v));
    case 'i32>i64': return BigInt(Number(v) >>> 0);
    case 'f32>i64': return BigInt(f32ToBits(Number(v)) >>> 0);
    case 'f64>i64': return f64ToBits(Number(v));
    default: return v;
  }
}

function zero(t: CoreNum): Flat {
  return t === 'i64' ? 0n : 0;
}

export function lowerFlat(cx: CallContext, t: ValType, v: unknown): Flat[] {
  switch (t.kind) {
    case 'prim':
      switch (t.prim) {
        case 'bool': return [v ? 1 : 0];
        case 's8': case 'u8': case 's16': case 'u16': case 's32': case 'u32': {
          if (typeof v !== 'number') throw new TypeError(`${t.prim} value must be a number`);
          return [v | 0];
        }
        case 's64': case 'u64': return [BigInt.asIntN(64, BigInt(v as bigint))];
        case 'f32': case 'f64': return [Number(v)];
        case 'char': return [codeOf(v)];
        case 'string': return storeString(cx, v).map((x) => x | 0);
        case 'error-context': return [lowerErrorContext(cx, v)];
      }
      break;
    case 'stream': case 'future': return [lowerAsync(cx, t, v)];
    case 'list':
      if (t.length !== undefined) return (v as unknown[]).flatMap((e) => lowerFlat(cx, t.elem, e));
      return storeList(cx, t.elem, v).map((x) => x | 0);
    case 'record': return t.fields.flatMap((f) => lowerFlat(cx, f.type, (v as Record<string, unknown>)[f.name]));
    case 'tuple': return t.elems.flatMap((e, i) => lowerFlat(cx, e, (v as unknown[])[i]));
    case 'variant': case 'option': case 'result': {
      const joined = flatten(t);
      const cases = variantCases(t);
      const { index, val } = caseIndex(t, v);
      const ct = cases[index];
      const out: Flat[] = [index];
      if (ct !== undefined) {
        const payload = lowerFlat(cx, ct, val);
        const have = flatten(ct);
        payload.forEach((p, i) => out.push(coerce(p, have[i]!, joined[i + 1]!)));
      }
      while (out.length < joined.length) out.push(zero(joined[out.length]!));
      return out;
    }
    case 'enum': {
      const index = t.names.indexOf(v as string);
      if (index < 0) throw new TypeError(`not a case of the enum: ${String(v)}`);
      return [index];
    }
    case 'flags': {
      const words = Array<number>(flatten(t).length).fill(0);
      const obj = (v ?? {}) as Record<string, boolean>;
      t.names.forEach((n, i) => {
        if (obj[n]) words[i >> 5] = (words[i >> 5]! | (1 << (i & 31))) | 0;
      });
      return words;
    }
    case 'own': case 'borrow': return [lowerHandle(cx, t, v)];
    default: break;
  }
  throw new Trap(`canonical ABI: ${t.kind} values are not supported`);
}

/** Lifts each value of `types` from flat core values. */
export function liftFlatValues(cx: CallContext, types: readonly ValType[], values: readonly Flat[]): unknown[] {
  const r = new FlatReader(values);
  return types.map((t) => liftFlatWith(cx, t, r, undefined));
}

/** Loads the fields of a tuple of `types` stored at `ptr` (spilled parameters or results). */
export function loadTuple(cx: CallContext, types: readonly ValType[], ptr: number): unknown[] {
  const out: unknown[] = [];
  let p = ptr;
  for (const t of types) {
    p = alignTo(p, alignment(t));
    out.push(load(cx, t, p));
    p += elemSize(t);
  }
  return out;
}

/** Stores values as a tuple of `types` at `ptr`. */
export function storeTuple(cx: CallContext, types: readonly ValType[], values: readonly unknown[], ptr: number): void {
  let p = ptr;
  types.forEach((t, i) => {
    p = alignTo(p, alignment(t));
    store(cx, t, values[i], p);
    p += elemSize(t);
  });
}

/** Size and alignment of a tuple of `types`. */
export function tupleLayout(types: readonly ValType[]): { size: number; align: number } {
  let size = 0;
  let align = 1;
  for (const t of types) {
    const l = layout(t);
    size = alignTo(size, l.align) + l.size;
    align = Math.max(align, l.align);
  }
  return { size: alignTo(size, align), align };
}

/** Allocates guest memory through the context's realloc. */
export function allocate(cx: CallContext, align: number, size: number): number {
  return realloc(cx, align, size);
}
