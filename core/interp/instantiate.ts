// instantiate and invoke: linking imports (type-checked), allocating tables/memories/globals,
// and initialising in the Wasm 2.0 order — element segments, then data segments, each bounds-checked
// as it is applied (earlier writes stay, like the spec), then the start function.
import { runTicks, withoutOsr } from './engine-calls';
import { LinkError, Trap } from '../errors';
import { type ConstExpr, type Limits, type Module } from '../binary/module';
import { TagInstance } from './exceptions';
import { evalConstExpr, type ConstEnv } from '../validate/const-expr';
import { Machine } from './machine';
import { constGcNew } from './gc';
import { Store } from './store';
import {
  FuncInstance, GlobalInstance, Instance, MemoryInstance, TableInstance, typeIdOf,
  type CompiledModule, type EngineOptions, type Extern, type Imports,
} from './runtime';
import type { Value } from './values';
import { concreteHeap, isRef, matchHeap, matchValType } from '../types';

function limitsMatch(size: number, max: number | undefined, want: Limits, i64: boolean): boolean {
  if ((want.i64 ?? false) !== i64) return false;
  if (size < want.min) return false;
  if (want.max === undefined) return true;
  return max !== undefined && max <= want.max;
}

/** The store a new instance joins: the one asked for, else that of its imports from other
 * instances (a linked set shares one store), else a new one. Imports from two stores do not link. */
function storeFor(m: Module, imports: Imports, wanted: Store | undefined): Store {
  let store = wanted;
  for (const imp of m.imports) {
    const v = imports[imp.module]?.[imp.name];
    const s = v instanceof FuncInstance ? v.instance?.store : v instanceof GlobalInstance && isRef(v.type) ? v.store : undefined;
    if (s === undefined || s === store) continue;
    if (store !== undefined) throw new LinkError('import from an instance of another store', imp.module, imp.name);
    store = s;
  }
  store ??= new Store();
  for (const imp of m.imports) {
    const v = imports[imp.module]?.[imp.name];
    if (v instanceof GlobalInstance) v.bind(store);
  }
  return store;
}

export function instantiate(compiled: CompiledModule, imports: Imports = {}, options?: EngineOptions): Instance {
  const m = compiled.module;
  const opts = { ...compiled.options, ...options };
  const inst = new Instance(compiled, storeFor(m, imports, options?.store));
  const ctx = compiled.ctx;
  const store = inst.store;
  let importedTables = 0;
  let importedGlobals = 0;
  for (const imp of m.imports) {
    const v = imports[imp.module]?.[imp.name];
    if (v === undefined) throw new LinkError('unknown import', imp.module, imp.name);
    const bad = (): never => {
      throw new LinkError('incompatible import type', imp.module, imp.name);
    };
    switch (imp.desc.kind) {
      case 'func': {
        const type = ctx.types[imp.desc.typeIndex]!;
        if (typeof v === 'function') inst.funcs.push(new FuncInstance(type, undefined, -1, undefined, v));
        else if (v instanceof FuncInstance) {
          const want = typeIdOf(type);
          if (v.typeId !== want && !matchHeap(concreteHeap(v.typeId), concreteHeap(want))) bad();
          inst.funcs.push(v);
        } else bad();
        break;
      }
      case 'table': {
        const want = ctx.tables[importedTables++]!;
        if (!(v instanceof TableInstance) || v.elemType !== want.elemType || !limitsMatch(v.size, v.max, want.limits, v.i64)) bad();
        inst.tables.push(v as TableInstance);
        break;
      }
      case 'memory': {
        if (!(v instanceof MemoryInstance) || !limitsMatch(v.pages, v.max, imp.desc.type.limits, v.i64)) bad();
        // threads: a shared memory matches only a shared import, an unshared one only an unshared one.
        if ((v as MemoryInstance).shared !== (imp.desc.type.limits.shared === true)) bad();
        inst.memories.push(v as MemoryInstance);
        break;
      }
      case 'global': {
        const want = ctx.globals[importedGlobals++]!;
        if (!(v instanceof GlobalInstance) || v.mutable !== want.mutable) bad();
        const g = v as GlobalInstance;
        if (g.type !== want.type && (want.mutable || !matchValType(g.type, want.type))) bad();
        inst.globals.push(v as GlobalInstance);
        break;
      }
      case 'tag': {
        // Tags match by type (and keep their identity: the importer throws and catches the exporter's tag).
        if (!(v instanceof TagInstance) || v.typeId !== typeIdOf(ctx.types[imp.desc.typeIndex]!)) bad();
        inst.tags.push(v as TagInstance);
        break;
      }
    }
  }
  m.tags.forEach((t, i) => {
    const index = m.importedTags + i;
    const name = m.names.tags.get(index);
    inst.tags.push(new TagInstance(ctx.types[t.typeIndex]!, name !== undefined ? `$${name}` : undefined));
  });
  m.funcs.forEach((f, i) => {
    const index = m.importedFuncs + i;
    inst.funcs.push(new FuncInstance(ctx.types[f.typeIndex]!, inst, index, compiled.funcs[i], undefined));
  });
  const maxPages = opts.maxMemoryPages ?? 65536;
  const maxElems = opts.maxTablePages ?? 10_000_000;
  const tableInits: [TableInstance, ConstExpr][] = [];
  m.tables.forEach((t, i) => {
    if (t.limits.min > maxElems) throw new Trap('table size exceeds the engine limit');
    const table = new TableInstance(ctx.tables[importedTables + i]!.elemType, t.limits.min, t.limits.max, null, maxElems);
    if (t.limits.i64) table.i64 = true;
    inst.tables.push(table);
    if (t.init !== undefined) tableInits.push([table, t.init]);
  });
  for (const mem of m.memories) {
    if (mem.limits.min > maxPages) throw new Trap('memory size exceeds the engine limit');
    const mi = new MemoryInstance(mem.limits.min, mem.limits.max, maxPages);
    if (mem.limits.i64) mi.i64 = true;
    if (mem.limits.shared) mi.shared = true;
    inst.memories.push(mi);
  }
  const env: ConstEnv = {
    global: (i) => inst.globals[i]!.w,
    funcRef: (i) => store.handle(inst.funcs[i]!),
    gcNew: (op, typeIndex, count, stack) => constGcNew(inst, op, inst.typeIds[typeIndex]!, count, stack),
  };
  const evalConst = (x: ConstExpr, out: Int32Array): void => evalConstExpr(m.bytes, x, env, out);
  m.globals.forEach((g, i) => {
    const gi = new GlobalInstance(ctx.globals[importedGlobals + i]!.type, g.type.mutable, undefined, store);
    evalConst(g.init, gi.w);
    inst.globals.push(gi);
  });
  for (const [table, init] of tableInits) {
    const w = new Int32Array(4);
    evalConst(init, w);
    table.elements.fill(store.value(w[0]!));
  }
  const scratch = new Int32Array(4);
  /** An i32 or i64 offset (memory64/table64) as a number; i64 ones beyond 2^53 stay out of bounds. */
  const offsetOf = (x: ConstExpr, i64: boolean | undefined): number => {
    evalConst(x, scratch);
    return i64 ? (scratch[1]! >>> 0) * 2 ** 32 + (scratch[0]! >>> 0) : scratch[0]! >>> 0;
  };
  for (const e of m.elems) {
    if (e.funcIndices) inst.elemSegs.push((e.init as number[]).map((f) => inst.funcs[f]!));
    else {
      inst.elemSegs.push((e.init as ConstExpr[]).map((x) => {
        evalConst(x, scratch);
        return store.value(scratch[0]!);
      }));
    }
  }
  for (const d of m.datas) inst.dataSegs.push(m.bytes.subarray(d.start, d.end));
  for (const e of m.exports) {
    const space: Extern[] = e.kind === 'func' ? inst.funcs : e.kind === 'table' ? inst.tables
      : e.kind === 'memory' ? inst.memories : e.kind === 'tag' ? inst.tags : inst.globals;
    inst.exports[e.name] = space[e.index]!;
  }

  m.elems.forEach((e, i) => {
    if (e.mode.kind === 'active') {
      const t = inst.tables[e.mode.table]!;
      const d = offsetOf(e.mode.offset, t.i64);
      const seg = inst.elemSegs[i]!;
      if (d + seg.length > t.size) throw new Trap('out of bounds table access');
      for (let k = 0; k < seg.length; k++) t.elements[d + k] = seg[k];
      inst.elemSegs[i] = null;
    } else if (e.mode.kind === 'declarative') {
      inst.elemSegs[i] = null;
    }
  });
  m.datas.forEach((d, i) => {
    if (d.mode.kind === 'active') {
      const mem = inst.memories[d.mode.memory]!;
      const at = offsetOf(d.mode.offset, mem.i64);
      const bytes = inst.dataSegs[i]!;
      if (at + bytes.length > mem.u8.length) throw new Trap('out of bounds memory access');
      mem.u8.set(bytes, at);
      inst.dataSegs[i] = null;
    }
  });
  if (m.start !== undefined) {
    const machine = new Machine(opts);
    machine.startFunc(inst.funcs[m.start]!, []);
    const r = machine.run();
    if (r.reason === 'trap') throw r.trap;
    if (r.reason === 'exception') throw r.exception;
    if (r.reason !== 'finished') throw new Error(`start function stopped: ${r.reason}`);
  }
  return inst;
}

/** Calls an export to completion. Traps and uncaught exceptions (WasmException) throw; a host function that would block is an error here. */
export function invoke(instance: Instance, exportName: string, args: Value[]): Value[] {
  const machine = new Machine(instance.compiled.options);
  machine.start(instance, exportName, args);
  const r = withoutOsr(() => runTicks(machine));
  switch (r.reason) {
    case 'finished': return r.results;
    case 'trap': throw r.trap;
    case 'exception': throw r.exception;
    default: throw new Error(`invoke stopped: ${r.reason}`);
  }
}

