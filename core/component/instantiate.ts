// Instantiation of a validated component on our engine: core modules are compiled and
// instantiated with core/interp, `canon lower` turns component functions into host functions the
// machine calls (lifting their arguments out of guest memory), and `canon lift` makes core
// exports callable with component values. Every core instruction still runs on a Machine, so a
// debugger can stop anywhere inside the component's core modules.
import { LinkError, Trap } from '../errors';
import { ValType as CoreValType, type FuncType as CoreFuncType } from '../binary/module';
import {
  FuncInstance, GlobalInstance, Machine, MemoryInstance, TableInstance, WOULD_BLOCK, compileModule, instantiate as instantiateCore,
  type CompiledModule, type EngineOptions, type Extern, type Imports, type Instance, type Value,
} from '../interp';
import { coreSignature, type CoreNum } from './abi';
import {
  HandleTable, allocate, liftFlatValues, loadTuple, lowerFlat, storeTuple, tupleLayout, type CallContext, type CoreCall, type Flat,
} from './canon';
import type { CanonOpts } from './model';
import { asyncBuiltin, type BuiltinEnv } from './async/builtins';
import { AsyncCall } from './async/lift';
import { AsyncRuntime, CANCELLED, type HostPromise } from './async/runtime';
import { EventCode, Subtask, SubtaskState, type Event } from './async/waitables';
import type { ExternType, FuncType, InstanceType, ResourceType, TypeEntry } from './types';
import type { ComponentInfo } from './validate';

/** A host implementation of a component function: component values in, the result out. */
export type HostFunc = (...args: unknown[]) => unknown;

/** A function at the component level. */
export type ComponentFunc =
  | { kind: 'host'; type: FuncType; name: string; impl: HostFunc }
  | { kind: 'lifted'; type: FuncType; name: string; core: FuncInstance; opts: RuntimeOpts; owner: ComponentInstance };

export interface RuntimeOpts {
  memory: MemoryInstance | undefined;
  realloc: FuncInstance | undefined;
  postReturn: FuncInstance | undefined;
  encoding: CanonOpts['stringEncoding'];
  async: boolean;
  callback: FuncInstance | undefined;
}

/** Anything that can sit in a component-level index space at run time. */
export type RuntimeItem =
  | { kind: 'func'; func: ComponentFunc }
  | { kind: 'instance'; exports: Map<string, RuntimeItem> }
  | { kind: 'type'; type: TypeEntry }
  | { kind: 'component'; info: ComponentInfo; outer: RuntimeScope }
  | { kind: 'module'; compiled: CompiledModule }
  | { kind: 'value'; value: unknown };

export interface RuntimeScope {
  parent: RuntimeScope | undefined;
  types: TypeEntry[];
  components: { info: ComponentInfo; outer: RuntimeScope }[];
  coreModules: CompiledModule[];
}

export interface ComponentInstance {
  exports: Map<string, RuntimeItem>;
  handles: HandleTable;
  /** Tasks, host operations in flight and wake-ups of the async ABI. */
  rt: AsyncRuntime;
  /** Every core instance made, in order (the debugger lists their modules). */
  coreInstances: Instance[];
}

/** What the host supplies for one imported interface: function implementations by name. */
export type HostInterface = Record<string, HostFunc>;

export interface HostImports {
  /** The implementation of an import (e.g. `wasi:cli/stdout@0.2.12`), or undefined when the host has none. */
  resolve(name: string): HostInterface | undefined;
  /** Called when the guest drops its last own handle of a host resource. */
  onDrop?(resource: ResourceType, rep: unknown): void;
}

export interface ComponentEngineOptions extends EngineOptions {
  /** The async runtime to use (a WASI 0.3 host makes its own, so its streams and timers wake the same one). */
  runtime?: AsyncRuntime;
  /** Called for each core instance as it is made (the debugger arms breakpoints there). */
  onCoreInstance?: (instance: Instance, moduleIndex: number) => void;
  /** Called after each call a core module makes through `canon lower`, with the component values (the debugger shows the last). */
  onLoweredCall?: (call: LoweredCall) => void;
}

/** A finished call across the canonical ABI from core code: the component function, its arguments and result. */
export interface LoweredCall {
  name: string;
  type: FuncType;
  args: unknown[];
  result: unknown;
}

/** Runs a core function to completion on a machine of its own (realloc, post-return, destructors, start functions). */
export function callCore(options: EngineOptions): CoreCall {
  return (f, args) => {
    const m = new Machine(options);
    m.startFunc(f, args.map((a, i) => toValue(f.type.params[i]!, a)));
    for (;;) {
      const r = m.run();
      if (r.reason === 'finished') return r.results.map(fromValue);
      if (r.reason === 'trap') throw r.trap;
      if (r.reason === 'blocked') throw new Trap('a host call blocked inside a canonical ABI helper');
    }
  };
}

export function toValue(t: number, v: Flat): Value {
  switch (t) {
    case CoreValType.i32: return { type: 'i32', value: Number(v) | 0 };
    case CoreValType.i64: return { type: 'i64', value: BigInt.asIntN(64, BigInt(v)) };
    case CoreValType.f32: {
      const b = new DataView(new ArrayBuffer(4));
      b.setFloat32(0, Number(v), true);
      return { type: 'f32', bits: b.getUint32(0, true) };
    }
    default: {
      const b = new DataView(new ArrayBuffer(8));
      b.setFloat64(0, Number(v), true);
      return { type: 'f64', bits: b.getBigUint64(0, true) };
    }
  }
}

export function fromValue(v: Value): Flat {
  switch (v.type) {
    case 'i32': return v.value;
    case 'i64': return v.value;
    case 'f32': {
      const b = new DataView(new ArrayBuffer(4));
      b.setUint32(0, v.bits, true);
      return b.getFloat32(0, true);
    }
    case 'f64': {
      const b = new DataView(new ArrayBuffer(8));
      b.setBigUint64(0, v.bits, true);
      return b.getFloat64(0, true);
    }
    default: throw new Trap(`canonical ABI: a ${v.type} is not a flat component value`);
  }
}

const CORE_TYPES: Record<CoreNum, CoreValType> = { i32: CoreValType.i32, i64: CoreValType.i64, f32: CoreValType.f32, f64: CoreValType.f64 };

/** Instantiates the root component: each import is resolved through `host`. */
export function instantiateComponent(info: ComponentInfo, host: HostImports, options: ComponentEngineOptions = {}): ComponentInstance {
  const args = new Map<string, RuntimeItem>();
  for (const imp of info.imports) {
    args.set(imp.name, hostItem(imp.name, imp.type, host));
  }
  const handles = new HandleTable();
  return new Instantiator(options, host, handles, options.runtime ?? new AsyncRuntime()).run(info, args, undefined);
}

/** A host instance (or function) for an import, its functions taken from the host by name. */
function hostItem(name: string, t: ExternType, host: HostImports): RuntimeItem {
  switch (t.kind) {
    case 'instance': {
      const impl = host.resolve(name);
      if (!impl) throw new LinkError('unknown import (this host does not provide the interface)', name, '');
      const exports = new Map<string, RuntimeItem>();
      for (const [n, e] of t.type.exports) {
        if (e.kind === 'func') {
          const f = impl[n];
          exports.set(n, {
            kind: 'func',
            func: {
              kind: 'host', type: e.type, name: `${name}#${n}`,
              impl: f ?? (() => {
                throw new Trap(`${name}#${n} is not implemented by this host`);
              }),
            },
          });
        } else if (e.kind === 'type') exports.set(n, { kind: 'type', type: e.type });
        else if (e.kind === 'instance') exports.set(n, hostItem(`${name}/${n}`, e, host));
      }
      return { kind: 'instance', exports };
    }
    case 'func': {
      const impl = host.resolve(name);
      const f = impl?.[name];
      if (!f) throw new LinkError('unknown import', name, '');
      return { kind: 'func', func: { kind: 'host', type: t.type, name, impl: f } };
    }
    case 'type':
      return { kind: 'type', type: t.type };
    default:
      throw new LinkError(`cannot import a ${t.kind} from the host`, name, '');
  }
}

class Instantiator {
  private readonly call: CoreCall;
  constructor(private readonly options: ComponentEngineOptions, private readonly host: HostImports, private readonly handles: HandleTable, private readonly rt: AsyncRuntime) {
    this.call = callCore(options);
  }

  run(info: ComponentInfo, args: Map<string, RuntimeItem>, outer: RuntimeScope | undefined): ComponentInstance {
    const scope: RuntimeScope = { parent: outer, types: [], components: [], coreModules: [] };
    const inst: ComponentInstance = { exports: new Map(), handles: this.handles, rt: this.rt, coreInstances: [] };
    const funcs: ComponentFunc[] = [];
    const instances: Map<string, RuntimeItem>[] = [];
    const values: unknown[] = [];
    const coreFuncs: FuncInstance[] = [];
    const coreTables: TableInstance[] = [];
    const coreMemories: MemoryInstance[] = [];
    const coreGlobals: GlobalInstance[] = [];
    const coreInstances: Record<string, Extern>[] = [];
    let moduleCount = 0;

    const push = (item: RuntimeItem): void => {
      switch (item.kind) {
        case 'func': funcs.push(item.func); break;
        case 'instance': instances.push(item.exports); break;
        case 'type': scope.types.push(item.type); break;
        case 'component': scope.components.push({ info: item.info, outer: item.outer }); break;
        case 'module': scope.coreModules.push(item.compiled); break;
        case 'value': values.push(item.value); break;
      }
    };
    const item = (sort: import('./model').Sort, index: number): RuntimeItem => {
      const missing = (): never => {
        throw new LinkError(`internal: no ${typeof sort === 'string' ? sort : `core ${sort.core}`} ${index} at run time`, '', '');
      };
      if (typeof sort !== 'string') {
        if (sort.core === 'module') return { kind: 'module', compiled: scope.coreModules[index] ?? missing() };
        return missing();
      }
      switch (sort) {
        case 'func': return { kind: 'func', func: funcs[index] ?? missing() };
        case 'instance': return { kind: 'instance', exports: instances[index] ?? missing() };
        case 'type': return { kind: 'type', type: scope.types[index] ?? missing() };
        case 'component': {
          const c = scope.components[index] ?? missing();
          return { kind: 'component', info: c.info, outer: c.outer };
        }
        case 'value': return { kind: 'value', value: values[index] };
      }
    };
    const coreExtern = (sort: string, index: number): Extern => {
      const space: Extern[] | undefined = sort === 'func' ? coreFuncs : sort === 'table' ? coreTables : sort === 'memory' ? coreMemories : sort === 'global' ? coreGlobals : undefined;
      const e = space?.[index];
      if (!e) throw new LinkError(`internal: no core ${sort} ${index} at run time`, '', '');
      return e;
    };
    const pushCore = (e: Extern): void => {
      switch (e.kind) {
        case 'func': coreFuncs.push(e); break;
        case 'table': coreTables.push(e); break;
        case 'memory': coreMemories.push(e); break;
        case 'global': coreGlobals.push(e); break;
      }
    };
    const opts = (o: CanonOpts): RuntimeOpts => ({
      memory: o.memory === undefined ? undefined : coreMemories[o.memory],
      realloc: o.realloc === undefined ? undefined : coreFuncs[o.realloc],
      postReturn: o.postReturn === undefined ? undefined : coreFuncs[o.postReturn],
      encoding: o.stringEncoding,
      async: o.async,
      callback: o.callback === undefined ? undefined : coreFuncs[o.callback],
    });
    const builtinEnv: BuiltinEnv = {
      rt: this.rt, handles: this.handles, memories: coreMemories,
      context: (o) => this.context(o ? opts(o) : { memory: undefined, realloc: undefined, postReturn: undefined, encoding: 'utf8', async: false, callback: undefined }),
    };

    info.component.definitions.forEach((d, defIndex) => {
      switch (d.kind) {
        case 'core-module':
          scope.coreModules.push(compileModule(d.module, this.options));
          break;
        case 'core-type':
          break;
        case 'core-instance': {
          if (d.def.kind === 'exports') {
            const rec: Record<string, Extern> = Object.create(null) as Record<string, Extern>;
            for (const e of d.def.exports) rec[e.name] = coreExtern(e.item.sort, e.item.index);
            coreInstances.push(rec);
            break;
          }
          const compiled = scope.coreModules[d.def.module]!;
          const imports: Imports = {};
          for (const a of d.def.args) imports[a.name] = coreInstances[a.instance]!;
          const ci = instantiateCore(compiled, imports, this.options);
          inst.coreInstances.push(ci);
          this.options.onCoreInstance?.(ci, moduleCount++);
          coreInstances.push(ci.exports);
          break;
        }
        case 'component':
          scope.components.push({ info: info.nested.get(scope.components.length)!, outer: scope });
          break;
        case 'instance': {
          if (d.def.kind === 'exports') {
            const m = new Map<string, RuntimeItem>();
            for (const e of d.def.exports) m.set(e.name.name, item(e.item.sort, e.item.index));
            instances.push(m);
            break;
          }
          const c = scope.components[d.def.component]!;
          const a = new Map<string, RuntimeItem>();
          for (const arg of d.def.args) a.set(arg.name, item(arg.item.sort, arg.item.index));
          const child = this.run(c.info, a, c.outer);
          inst.coreInstances.push(...child.coreInstances);
          instances.push(child.exports);
          break;
        }
        case 'alias': {
          const al = d.alias;
          if (al.kind === 'export') {
            const e = instances[al.instance]!.get(al.name);
            if (!e) throw new LinkError('instance has no such export', String(al.instance), al.name);
            push(e);
          } else if (al.kind === 'core-export') {
            const e = coreInstances[al.instance]![al.name];
            if (!e) throw new LinkError('core instance has no such export', String(al.instance), al.name);
            pushCore(e);
          } else {
            let s: RuntimeScope | undefined = scope;
            for (let i = 0; i < al.count && s; i++) s = s.parent;
            // Type aliases inside type declarators never reach run time; these are component-level.
            if (!s) throw new LinkError('outer alias beyond the outermost component', '', '');
            if (al.sort === 'type') scope.types.push(s.types[al.index]!);
            else if (al.sort === 'component') scope.components.push(s.components[al.index]!);
            else if (typeof al.sort !== 'string' && al.sort.core === 'module') scope.coreModules.push(s.coreModules[al.index]!);
          }
          break;
        }
        case 'type':
          scope.types.push(info.scope.types[scope.types.length]!);
          break;
        case 'canon': {
          const def = d.def;
          switch (def.kind) {
            case 'lift': {
              const ft = info.canonTypes.get(defIndex)!;
              funcs.push({ kind: 'lifted', type: ft, name: coreFuncs[def.coreFunc]!.name ?? 'lifted', core: coreFuncs[def.coreFunc]!, opts: opts(def.opts), owner: inst });
              break;
            }
            case 'lower': {
              const ft = info.canonTypes.get(defIndex)!;
              coreFuncs.push(this.lower(funcs[def.func]!, ft, opts(def.opts)));
              break;
            }
            case 'resource.new': case 'resource.rep': case 'resource.drop':
              coreFuncs.push(this.resourceBuiltin(def.kind, info.canonResources.get(defIndex)!, coreFuncs));
              break;
            case 'builtin':
              coreFuncs.push(asyncBuiltin(def, info.canonBuiltins.get(defIndex)!, builtinEnv));
              break;
          }
          break;
        }
        case 'start':
          throw new LinkError('component start functions (value definitions) are not supported', '', '');
        case 'import': {
          const a = args.get(d.name.name);
          if (!a) throw new LinkError('missing instantiation argument', d.name.name, '');
          push(a);
          break;
        }
        case 'export': {
          const it = item(d.item.sort, d.item.index);
          inst.exports.set(d.name.name, it);
          push(it);
          break;
        }
      }
    });
    return inst;
  }

  private context(o: RuntimeOpts): CallContext {
    return { memory: o.memory, realloc: o.realloc, encoding: o.encoding, handles: this.handles, call: this.call, onDrop: this.host.onDrop?.bind(this.host) };
  }

  /** `canon lower`: a core function the machine calls as a host function. */
  private lower(f: ComponentFunc, ft: FuncType, o: RuntimeOpts): FuncInstance {
    if (o.async) return this.lowerAsync(f, ft, o);
    const sig = coreSignature(ft, 'lower');
    const coreType: CoreFuncType = { params: sig.params.map((p) => CORE_TYPES[p]), results: sig.results.map((p) => CORE_TYPES[p]) };
    const paramTypes = ft.params.map((p) => p.type);
    // A host function that returns a promise blocks this (synchronous) call: the machine stops
    // before it (WOULD_BLOCK) and calls again once the driver saw progress; the second call
    // takes the settled value instead of calling the host again.
    let waiting: { cx: CallContext; args: unknown[]; settled: boolean; value: unknown } | undefined;
    const call = (...flat: Flat[]): unknown => {
      let cx: CallContext;
      let args: unknown[];
      let result: unknown;
      if (waiting) {
        if (!waiting.settled) return WOULD_BLOCK;
        ({ cx, args, value: result } = waiting);
        waiting = undefined;
        if (result === CANCELLED) throw new Trap(`${f.name}: the host cancelled a synchronous call`);
      } else {
        cx = this.context(o);
        args = sig.paramsInMemory ? loadTuple(cx, paramTypes, Number(flat[0]) >>> 0) : liftFlatValues(cx, paramTypes, flat);
        result = this.invoke(f, args);
        if (result === WOULD_BLOCK) return WOULD_BLOCK;
        if (result instanceof Promise) {
          const w = { cx, args, settled: false, value: undefined as unknown };
          waiting = w;
          this.rt.track(result, (v) => {
            w.settled = true;
            w.value = v;
          });
          return WOULD_BLOCK;
        }
      }
      this.options.onLoweredCall?.({ name: f.name, type: ft, args, result });
      if (ft.result === undefined) return undefined;
      if (sig.resultsInMemory) {
        storeTuple(cx, [ft.result], [result], Number(flat[flat.length - 1]) >>> 0);
        return undefined;
      }
      return lowerFlat(cx, ft.result, result)[0];
    };
    return new FuncInstance(coreType, undefined, -1, undefined, call as (...a: never[]) => unknown);
  }

  /**
   * `canon lower` with the async option: the arguments are lifted at once; a host result that is
   * not a promise returns RETURNED with the result stored through the out-pointer, a promise makes
   * a subtask (STARTED | index << 4) whose SUBTASK event comes when it settles.
   */
  private lowerAsync(f: ComponentFunc, ft: FuncType, o: RuntimeOpts): FuncInstance {
    if (f.kind !== 'host') {
      throw new LinkError(`async-lowered calls of another component's export (${f.name}) are not supported yet`, f.name, '');
    }
    const sig = coreSignature(ft, 'lower', { callback: false });
    const coreType: CoreFuncType = { params: sig.params.map((p) => CORE_TYPES[p]), results: sig.results.map((p) => CORE_TYPES[p]) };
    const paramTypes = ft.params.map((p) => p.type);
    const call = (...flat: Flat[]): number => {
      const cx = this.context(o);
      const args = sig.paramsInMemory ? loadTuple(cx, paramTypes, Number(flat[0]) >>> 0) : liftFlatValues(cx, paramTypes, flat.slice(0, sig.resultsInMemory ? -1 : undefined));
      const retptr = sig.resultsInMemory ? Number(flat[flat.length - 1]) >>> 0 : 0;
      const deliver = (v: unknown): void => {
        if (ft.result !== undefined) storeTuple(cx, [ft.result], [v], retptr);
      };
      const endBorrows = (): void => {
        for (const b of cx.borrows ?? []) this.handles.endBorrow(b);
      };
      const result = this.invoke(f, args);
      if (!(result instanceof Promise)) {
        deliver(result);
        endBorrows();
        return SubtaskState.RETURNED;
      }
      const subtask = new Subtask(this.rt);
      subtask.state = SubtaskState.STARTED;
      subtask.lenders = [endBorrows];
      const i = (subtask.index = this.handles.add(subtask));
      const cancel = (result as HostPromise<unknown>).cancel;
      if (cancel) subtask.onCancel = cancel;
      const event = (): Event => {
        if (subtask.resolved()) subtask.deliverResolve();
        return [EventCode.SUBTASK, i, subtask.state];
      };
      this.rt.track(result, (v) => {
        if (v === CANCELLED) subtask.resolve(SubtaskState.CANCELLED_BEFORE_RETURNED);
        else {
          deliver(v);
          subtask.resolve(SubtaskState.RETURNED);
        }
        subtask.setPendingEvent(event);
      });
      return (SubtaskState.STARTED | (i << 4)) >>> 0 | 0;
    };
    return new FuncInstance(coreType, undefined, -1, undefined, call as (...a: never[]) => unknown);
  }

  /** Calls a component function with component values (host directly; a lifted one on a machine of its own). */
  invoke(f: ComponentFunc, args: unknown[]): unknown {
    if (f.kind === 'host') return f.impl(...args);
    if (f.opts.async) throw new Trap(`calling ${f.name}, an async-lifted export of another component, is not supported yet`);
    return callLifted(f, args, this.call);
  }

  private resourceBuiltin(kind: 'resource.new' | 'resource.rep' | 'resource.drop', r: ResourceType, coreFuncs: FuncInstance[]): FuncInstance {
    const i32 = CoreValType.i32;
    if (kind === 'resource.new') {
      return new FuncInstance({ params: [i32], results: [i32] }, undefined, -1, undefined,
        ((rep: number) => this.handles.add({ resource: r, rep, own: true, lends: 0 })) as (...a: never[]) => unknown);
    }
    if (kind === 'resource.rep') {
      return new FuncInstance({ params: [i32], results: [i32] }, undefined, -1, undefined,
        ((h: number) => this.handles.get(h, r).rep) as (...a: never[]) => unknown);
    }
    return new FuncInstance({ params: [i32], results: [] }, undefined, -1, undefined, ((h: number) => {
      const e = this.handles.remove(h, r);
      if (!e.own) return;
      if (r.local) {
        const dtor = r.local.dtor === undefined ? undefined : coreFuncs[r.local.dtor];
        if (dtor) this.call(dtor, [Number(e.rep)]);
      } else {
        this.host.onDrop?.(r, e.rep);
      }
    }) as (...a: never[]) => unknown);
  }
}

/** A prepared call of a lifted function: run `core` with `args` on any machine, then `finish` with its results. */
export interface PreparedCall {
  core: FuncInstance;
  args: Value[];
  /** Lifts the core results to the component result, runs post-return and releases the call's borrows. */
  finish(results: Value[]): unknown;
}

/** Starts a call of an async-lifted function: the returned AsyncCall says which core calls to run and what to await. */
export function prepareAsyncLifted(f: Extract<ComponentFunc, { kind: 'lifted' }>, args: unknown[], call: CoreCall): AsyncCall {
  if (!f.opts.async) throw new Error(`prepareAsyncLifted: ${f.name} is not lifted with the async option`);
  const cx: CallContext = { memory: f.opts.memory, realloc: f.opts.realloc, encoding: f.opts.encoding, handles: f.owner.handles, call };
  return new AsyncCall({ type: f.type, name: f.name, core: f.core, callback: f.opts.callback, cx }, args, f.owner.rt, toValue);
}

/** Lowers component arguments for a lifted function, leaving the core call to the caller (a CLI run loop or the debugger). */
export function prepareLifted(f: Extract<ComponentFunc, { kind: 'lifted' }>, args: unknown[], call: CoreCall): PreparedCall {
  const cx: CallContext = { memory: f.opts.memory, realloc: f.opts.realloc, encoding: f.opts.encoding, handles: f.owner.handles, call };
  const sig = coreSignature(f.type, 'lift');
  const paramTypes = f.type.params.map((p) => p.type);
  let flat: Flat[];
  if (sig.paramsInMemory) {
    const { size, align } = tupleLayout(paramTypes);
    const ptr = allocate(cx, align, size);
    storeTuple(cx, paramTypes, args, ptr);
    flat = [ptr];
  } else {
    flat = paramTypes.flatMap((t, i) => lowerFlat(cx, t, args[i]));
  }
  return {
    core: f.core,
    args: flat.map((v, i) => toValue(f.core.type.params[i]!, v)),
    finish(results: Value[]): unknown {
      const out = results.map(fromValue);
      let result: unknown;
      if (f.type.result !== undefined) {
        result = sig.resultsInMemory ? loadTuple(cx, [f.type.result], Number(out[0]) >>> 0)[0] : liftFlatValues(cx, [f.type.result], out)[0];
      }
      if (f.opts.postReturn) call(f.opts.postReturn, out);
      for (const b of cx.borrows ?? []) f.owner.handles.endBorrow(b);
      return result;
    },
  };
}

function callLifted(f: Extract<ComponentFunc, { kind: 'lifted' }>, args: unknown[], call: CoreCall): unknown {
  const p = prepareLifted(f, args, call);
  const results = call(p.core, p.args.map(fromValue));
  return p.finish(results.map((r, i) => toValue(p.core.type.results[i]!, r)));
}

/** Finds an exported function: `wasi:cli/run@0.2.3` + `run`, or a plain function export. */
export function findExportFunc(inst: ComponentInstance, path: readonly string[]): Extract<ComponentFunc, { kind: 'lifted' }> | undefined {
  let items = inst.exports;
  for (let i = 0; i < path.length; i++) {
    const it = items.get(path[i]!);
    if (!it) return undefined;
    if (i === path.length - 1) return it.kind === 'func' && it.func.kind === 'lifted' ? it.func : undefined;
    if (it.kind !== 'instance') return undefined;
    items = it.exports;
  }
  return undefined;
}

export type { InstanceType };
