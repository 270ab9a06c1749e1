// Runtime objects of the engine: function, table, memory and global instances and instances. Reference
// values live on the numeric value stack as handles of the instance's store (store.ts).
import { Trap } from '../errors';
import { ValType, valTypeName, type FuncType, type Module, type RefType } from '../binary/module';
import type { ModuleContext } from '../validate/context';
import type { Store } from './store';
import { canonFuncTypeId, canonType, HeapCode, heapOf, isRef, topOf, typeAnchor, type CanonType } from '../types';
import type { ExceptionPackage, Handler, TagInstance } from './exceptions';
import type { Features } from '../features';
import type { Value } from './values';

export const PAGE_SIZE = 65536;

/** Returned by a host function: "not ready, call me again" (the machine stops with `blocked`). */
export const WOULD_BLOCK: unique symbol = Symbol('WOULD_BLOCK');

/** A host function with the WebAssembly JS-API convention (i64 as bigint, f32/f64 as number). */
export type HostFunction = (...args: never[]) => unknown;

/** A function type's canonical id (core/types): the validator's copies carry it; a host function's
 * signature (canonical value types) gets the id its lone `(type (func ...))` has. */
export function typeIdOf(t: FuncType): number {
  return t.id ?? canonFuncTypeId(t.params, t.results);
}

/** One function compiled to internal code (shared by every instance of its module). */
export interface CompiledFunc {
  funcIndex: number;
  type: FuncType;
  code: Int32Array;
  paramWords: number;
  /** Words of params + declared locals. */
  localsWords: number;
  /** localsWords + maximum operand height, for the stack-overflow check at call. */
  frameWords: number;
  resultWords: number;
  /** Type and word offset of each local (params first); empty while a lazy stub (`ensureCompiled`). */
  localTypes: ValType[];
  localOffsets: number[];
  /** Code index of each emitted instruction and its byte offset relative to `offsetBase` (both
   * ascending; 16-bit when they fit, which keeps the maps at 4 bytes per instruction). */
  pcs: Uint16Array | Int32Array;
  offsets: Uint16Array | Int32Array;
  /** Module-relative byte offset that `offsets` count from (the body's start). */
  offsetBase: number;
  /** Fused instructions that can trap: code index → module-relative offset of the trapping access. */
  trapOffsets: ReadonlyMap<number, number>;
  /** Original opcodes under patched BREAKs: code index → opcode, with a count of users (read-only
   * while the function is a lazy stub: `ensureCompiled` before patching). */
  patched: Map<number, { op: number; users: number }>;
  /** Exception handlers (try_table, legacy try/delegate), innermost first; empty for most functions. */
  handlers: readonly Handler[];
  /** Legacy try blocks in the body: each keeps its caught exception in a slot of the frame. */
  caughtSlots: number;
  /** Not compiled yet: the module to compile the body from on first call (compile.ts
   * `ensureCompiled`); null once compiled. Until then `code` is a lone Op.COMPILE. */
  lazy: CompiledModule | null;
  /** `code` and its maps are the fused form: a stop position is only a fused group's start. A
   * debugger switches a function to its unfused form (Machine.unfuse) before it needs every
   * instruction; code indices a debugger keeps (MachinePoint) are the unfused form's (forms.ts). */
  fused: boolean;
  /** The unfused form, once asked for (forms.ts `plainForm`); the live one after Machine.unfuse. */
  plain: CodeForm | null;
  /** The module the body compiles from (its unfused form is compiled on demand). */
  source: CompiledModule | null;
}

/** One compiled form of a body: the code and the maps that belong to it. */
export interface CodeForm {
  code: Int32Array;
  offsetBase: number;
  pcs: Uint16Array | Int32Array;
  offsets: Uint16Array | Int32Array;
  trapOffsets: ReadonlyMap<number, number>;
  handlers: readonly Handler[];
  caughtSlots: number;
}

export interface CompiledModule {
  module: Module;
  ctx: ModuleContext;
  /** By module-defined function (index − importedFuncs). */
  funcs: CompiledFunc[];
  typeIds: number[];
  options: EngineOptions;
}

export interface EngineOptions {
  /** Deepest Wasm call nesting before `call stack exhausted` (default 50000). */
  maxCallDepth?: number;
  /** Upper bound on any memory's pages (default 65536). */
  maxMemoryPages?: number;
  /** Upper bound on any table's elements (default 10,000,000). */
  maxTablePages?: number;
  /** Value-stack size in bytes (default 64 MiB). */
  maxStackBytes?: number;
  /** Compile each function body on its first call (default true); validation is eager either way. */
  lazy?: boolean;
  /** Fuse common instruction sequences into super-instructions (default true). Fused sequences
   * are one stop position for breakpoints and steps; debuggers wanting every instruction pass false. */
  fuse?: boolean;
  /** Proposals modules may use (default: the engine's, all of Wasm 3.0); compileModule validates with them. */
  features?: Features;
  /** instantiate: the store the instance joins (default: that of the instances it imports from,
   * else a new one). */
  store?: Store;
}

export class FuncInstance {
  readonly kind = 'func';
  readonly typeId: number;
  /** Keeps the signature's canonical type registered while the function lives (core/types). */
  readonly canon: CanonType;
  constructor(
    readonly type: FuncType,
    /** Owning instance (undefined for host functions). */
    readonly instance: Instance | undefined,
    /** Index in its module's function space (-1 for host functions). */
    readonly index: number,
    readonly compiled: CompiledFunc | undefined,
    readonly host: HostFunction | undefined,
  ) {
    this.typeId = typeIdOf(type);
    this.canon = canonType(this.typeId);
  }
  get name(): string | undefined {
    return this.instance?.module.names.functions.get(this.index);
  }
}

/** The little of the host's WebAssembly.Memory that MemoryInstance uses (ES2022 does not declare it). */
interface HostMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}
const HostWasm = (globalThis as unknown as { WebAssembly?: { Memory: new (d: { initial: number; maximum: number }) => HostMemory } }).WebAssembly;

export class MemoryInstance {
  readonly kind = 'memory';
  /** memory64: addresses, memory.size and memory.grow are i64 (set before the memory is shared). */
  i64 = false;
  /** threads: a shared memory (wait/notify work on it; imports must agree on it). */
  shared = false;
  buffer!: ArrayBuffer;
  u8!: Uint8Array;
  dv!: DataView;
  /** The engine's cap in pages: at most 65536 (4 GiB), also for memory64 memories, so an i64
   * address at or past 2^32 is always out of bounds (memory64.ts relies on it). */
  readonly limit: number;
  /**
   * The backing store, where the host has WebAssembly: a WebAssembly.Memory used as a growable
   * buffer (nothing runs on it). It grows in place, where a plain ArrayBuffer is copied to a new
   * one: a C program's malloc grows memory a few pages at a time, and each copy left a dead buffer
   * of the whole memory for the GC (yosys peaked at 2.4 GB for 30 MB of memory). Its buffer is an
   * ordinary ArrayBuffer, as fast to view as any (a resizable ArrayBuffer's views are 10x slower).
   */
  private store: HostMemory | undefined;
  constructor(initialPages: number, readonly max: number | undefined, limit = 65536) {
    this.limit = Math.min(limit, 65536);
    if (initialPages > this.limit) throw new Trap('memory size exceeds the engine limit');
    this.allocate(initialPages);
  }
  /** A fresh zeroed backing store of `pages` pages (a Trap when the host cannot give it). */
  private allocate(pages: number): void {
    this.store = undefined;
    if (HostWasm !== undefined) {
      try {
        this.store = new HostWasm.Memory({ initial: pages, maximum: Math.min(this.max ?? this.limit, this.limit) });
        this.setBuffer(this.store.buffer);
        return;
      } catch {
        this.store = undefined; // no room for its reservation: a plain buffer
      }
    }
    try {
      this.setBuffer(new ArrayBuffer(pages * PAGE_SIZE));
    } catch {
      // Within the limit but more than the host can give (e.g. 65536 pages under a ulimit): a Trap
      // from instantiate, like other instantiation failures, not a RangeError from deep inside.
      throw new Trap(`out of memory: cannot allocate ${pages} pages`);
    }
  }
  private setBuffer(buf: ArrayBuffer): void {
    this.buffer = buf;
    this.u8 = new Uint8Array(buf);
    this.dv = new DataView(buf);
  }
  get pages(): number {
    return this.buffer.byteLength / PAGE_SIZE;
  }
  /** Grows by `delta` pages; returns the old size or -1 (no trap, as memory.grow). The old
   * buffer is detached (length 0) when the store grows in place: views must be re-read. */
  grow(delta: number): number {
    const old = this.pages;
    const next = old + delta;
    if (next > (this.max ?? 65536) || next > this.limit) return -1;
    if (delta === 0) return old;
    if (this.store !== undefined) {
      try {
        this.store.grow(delta);
      } catch {
        return -1;
      }
      this.setBuffer(this.store.buffer);
      return old;
    }
    let buf: ArrayBuffer;
    try {
      buf = new ArrayBuffer(next * PAGE_SIZE);
    } catch {
      return -1;
    }
    new Uint8Array(buf).set(this.u8);
    this.setBuffer(buf);
    return old;
  }
  /** Back to `pages` zeroed pages, smaller or larger (time travel to before a memory.grow). */
  reset(pages: number): void {
    this.allocate(pages);
  }
}

export class TableInstance {
  readonly kind = 'table';
  /** table64: indices and sizes are i64. */
  i64 = false;
  elements: unknown[];
  /** Keeps a concrete element type registered while the table lives. */
  readonly anchor: CanonType | undefined;
  constructor(readonly elemType: RefType, initial: number, readonly max: number | undefined, init: unknown = null,
    readonly limit = 10_000_000) {
    this.anchor = typeAnchor(elemType);
    if (initial > limit) throw new Trap('table size exceeds the engine limit');
    this.elements = new Array<unknown>(initial).fill(init);
  }
  get size(): number {
    return this.elements.length;
  }
  grow(delta: number, init: unknown): number {
    const old = this.elements.length;
    const next = old + delta;
    if (next > (this.max ?? 0xffffffff) || next > this.limit) return -1;
    for (let i = 0; i < delta; i++) this.elements.push(init);
    return old;
  }
}

export class GlobalInstance {
  readonly kind = 'global';
  /** The value as words (lo, hi for 64-bit; 4 for v128; refs as a handle of `store` in w[0]). */
  readonly w = new Int32Array(4);
  /** The store its reference handle belongs to: the defining instance's, or for a host global made
   * without one, the store of the first instance that imports it (until then the value waits here). */
  store: Store | undefined;
  private pending: Value | undefined;
  /** Keeps a concrete reference type registered while the global lives. */
  readonly anchor: CanonType | undefined;
  constructor(readonly type: ValType, readonly mutable: boolean, value?: Value, store?: Store) {
    this.anchor = typeAnchor(type);
    this.store = store;
    if (value !== undefined) this.value = value;
  }
  get value(): Value {
    if (this.store === undefined && this.pending !== undefined) return this.pending;
    return readWords(this.type, this.w, 0, this.store);
  }
  set value(v: Value) {
    if (this.store === undefined && isRef(this.type)) {
      if (typeName(this.type) !== v.type) throw new TypeError(`expected a ${typeName(this.type)} value, got ${v.type}`);
      this.pending = v;
      return;
    }
    writeWords(this.type, this.w, 0, v, this.store);
  }
  /** A host reference global joins the store of the instance that links it first. */
  bind(store: Store): void {
    if (this.store !== undefined || !isRef(this.type)) return;
    this.store = store;
    if (this.pending !== undefined) writeWords(this.type, this.w, 0, this.pending, store);
    this.pending = undefined;
  }
}

export type Extern = FuncInstance | TableInstance | MemoryInstance | GlobalInstance | TagInstance;
export type ImportValue = Extern | HostFunction;
export type Imports = Record<string, Record<string, ImportValue>>;

export class Instance {
  funcs: FuncInstance[] = [];
  tables: TableInstance[] = [];
  memories: MemoryInstance[] = [];
  globals: GlobalInstance[] = [];
  /** Tags (exception handling), imports first. */
  tags: TagInstance[] = [];
  exports: Record<string, Extern> = Object.create(null) as Record<string, Extern>;
  /** Element segments as reference values (null once dropped). */
  elemSegs: (unknown[] | null)[] = [];
  /** Data segments (null once dropped). */
  dataSegs: (Uint8Array | null)[] = [];
  /** Canonical type id of each of the module's type indices (call_indirect). */
  typeIds: number[];
  constructor(readonly compiled: CompiledModule, readonly store: Store) {
    this.typeIds = compiled.typeIds;
  }
  get module(): Module {
    return this.compiled.module;
  }
}

const scratch = new DataView(new ArrayBuffer(16));

/** Reads a tagged Value of type `t` from 32-bit words at `w` (works on the value stack too);
 * a reference handle is one of `store` (only numeric types may go without one). */
export function readWords(t: ValType, words: Int32Array, w: number, store: Store | undefined): Value {
  switch (t) {
    case ValType.i32: return { type: 'i32', value: words[w]! };
    case ValType.i64: return { type: 'i64', value: (BigInt(words[w + 1]!) << 32n) | BigInt(words[w]! >>> 0) };
    case ValType.f32: return { type: 'f32', bits: words[w]! >>> 0 };
    case ValType.f64: return { type: 'f64', bits: (BigInt(words[w + 1]! >>> 0) << 32n) | BigInt(words[w]! >>> 0) };
    case ValType.v128: {
      for (let i = 0; i < 4; i++) scratch.setInt32(i * 4, words[w + i]!, true);
      return { type: 'v128', bytes: new Uint8Array(scratch.buffer.slice(0)) };
    }
    default: {
      const value = words[w] === 0 ? null : storeOf(store).value(words[w]!);
      switch (typeName(t)) {
        case 'funcref': return { type: 'funcref', value: value as FuncInstance | null };
        case 'exnref': return { type: 'exnref', value: value as ExceptionPackage | null };
        case 'anyref': return { type: 'anyref', value };
        default: return { type: 'externref', value };
      }
    }
  }
}

function storeOf(store: Store | undefined): Store {
  if (store === undefined) throw new Error('internal error: a reference value without a store');
  return store;
}

export function writeWords(t: ValType, words: Int32Array, w: number, v: Value, store: Store | undefined): void {
  switch (v.type) {
    case 'i32': words[w] = v.value | 0; break;
    case 'i64': case 'f64': {
      const x = v.type === 'i64' ? v.value : v.bits;
      words[w] = Number(BigInt.asIntN(32, x));
      words[w + 1] = Number(BigInt.asIntN(32, x >> 32n));
      break;
    }
    case 'f32': words[w] = v.bits | 0; break;
    case 'v128':
      for (let i = 0; i < 4; i++) words[w + i] = (v.bytes[i * 4]! | (v.bytes[i * 4 + 1]! << 8) | (v.bytes[i * 4 + 2]! << 16) | (v.bytes[i * 4 + 3]! << 24));
      break;
    case 'funcref': case 'externref': case 'exnref': case 'anyref': words[w] = v.value === null ? 0 : storeOf(store).handle(v.value); break;
  }
  if (typeName(t) !== v.type) throw new TypeError(`expected a ${typeName(t)} value, got ${v.type}`);
}

/** The tagged Value's `type` for a value type: a reference's hierarchy (func, extern, exn, any). */
export function typeName(t: ValType): Value['type'] {
  if (!isRef(t)) return valTypeName(t) as Value['type'];
  switch (topOf(heapOf(t))) {
    case HeapCode.func: return 'funcref';
    case HeapCode.extern: return 'externref';
    case HeapCode.exn: return 'exnref';
    default: return 'anyref';
  }
}
