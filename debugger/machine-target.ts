// Instantiates a decoded module under WASI on core/interp's Machine and wraps the machine as the
// runtime's DebugTarget (frames, locals, stack, globals, memory, breakpoints, run/step).
import { featuresFromSettings } from '../core/features';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Module } from '../core/binary';
import { Exhaustion, LinkError, Trap, ValidationError, type WasmException } from '../core/errors';
import {
  Machine, Profiler, Recorder, compileModule, instantiate, WOULD_BLOCK, MemoryInstance, FuncInstance, readWords, type TagInstance,
  type CompiledModule, type EngineOptions, type Hit, type HostFunction, type Imports, type Instance, type MachinePoint, type RunResult,
} from '../core/interp';
import { ThreadScheduler, Wasi, WasiExit, NodeFileSystem, WASI_WRITES, nodeClock, nodeRandom, usesWasiThreads, type WasiIO } from '../core/wasi';
import { HostLog, ThreadedTarget } from './threads-target';
import type { DebugTarget, GlobalView, HitView, LocalView, StepResult, TableView, ThrownView, TimeTravel, Value } from './engine';
import { LaunchError, parseDirs, type LaunchConfig, type OutputHooks } from './program';
import { StdinQueue } from './stdin-queue';
import { formatValue, parseValue, valueKindOf, ValueSyntaxError } from './value-format';
import type { RefNames } from './gc-values';

/** The module's names for GC types (canonical ids back to its type indices), fields and tags. */
export function moduleRefNames(module: Module, instance: Instance): RefNames {
  const index = new Map<number, number>();
  instance.typeIds.forEach((id, i) => {
    if (!index.has(id)) index.set(id, i);
  });
  return {
    typeIndex: (id) => index.get(id),
    type: (id) => {
      const i = index.get(id);
      return i === undefined ? undefined : module.names.types.get(i);
    },
    field: (id, k) => {
      const i = index.get(id);
      return i === undefined ? undefined : module.names.fields.get(i)?.get(k);
    },
    tag: (pkg) => {
      // A tag of this module by its name here; an imported one's own name is `$name` already.
      const i = instance.tags.indexOf(pkg.tag);
      const name = i >= 0 ? module.names.tags.get(i) : undefined;
      return name !== undefined ? `$${name}` : pkg.tag.name ?? (i >= 0 ? `tag ${i}` : 'tag ?');
    },
  };
}

export interface TargetOptions {
  module: Module;
  bytes: Uint8Array;
  config: LaunchConfig;
  cwd: string;
  programPath: string;
  hooks: OutputHooks;
  funcName(index: number): string;
}

/** Fuel for a threaded module's start function (calls + loop iterations; a few seconds at most). */
const START_FUEL = 20_000_000;

/** Runs the start function of a threaded program before it is debugged; LaunchError when it traps, exits or does not end. */
function runStartFunction(start: FuncInstance, limits: EngineOptions): void {
  const m = new Machine(limits);
  m.startFunc(start, []);
  let r: RunResult;
  try {
    r = m.run(START_FUEL);
  } catch (err) {
    if (err instanceof WasiExit) throw new LaunchError(`the start function exited with code ${err.code} before anything could be debugged`);
    throw err;
  }
  if (r.reason === 'trap') throw new LaunchError(`trap in the start function: ${r.trap.message}`);
  if (r.reason === 'exception') throw new LaunchError(`${r.exception.message} in the start function`);
  if (r.reason === 'budget') {
    throw new LaunchError(`the start function did not finish after ${START_FUEL} calls and loop iterations (an infinite loop?); it runs before anything can be debugged`);
  }
  if (r.reason !== 'finished') throw new LaunchError(`the start function stopped (${r.reason}) before anything could be debugged`);
}

export interface StartedTarget {
  target: DebugTarget;
  stdin: StdinQueue;
  describeResults(results: Value[]): string | undefined;
}

const WASI_MODULE = 'wasi_snapshot_preview1';

/** A sink that turns each write into text for an output event, keeping split UTF-8 sequences whole. */
function textSink(emit: (text: string) => void): { write(bytes: Uint8Array): void } {
  const decoder = new TextDecoder();
  return {
    write(bytes) {
      const text = decoder.decode(bytes, { stream: true });
      if (text) emit(text);
    },
  };
}

/** The program's WASI I/O under the debugger: output to the Debug Console, stdin from it (or a file). */
export function debugIO(config: LaunchConfig, cwd: string, hooks: OutputHooks): { io: WasiIO; stdin: StdinQueue } {
  const stdin = new StdinQueue();
  if (config.stdin !== undefined) {
    stdin.push(fs.readFileSync(path.resolve(cwd, config.stdin)));
    stdin.close();
  }
  const io: WasiIO = {
    stdin,
    stdout: textSink(hooks.stdout),
    stderr: textSink(hooks.stderr),
    fs: new NodeFileSystem(),
    clock: nodeClock,
    random: nodeRandom,
  };
  return { io, stdin };
}

/** Engine limits under the debugger: the launch's limits and features. With `fuse`, functions run
 * fused until a breakpoint, a step or time travel needs one's every instruction (Machine.unfuse
 * switches it, on the one machine that runs it); without, every instruction is a stop position
 * from the start (programs that run on several machines: threads, components). */
export function debugLimits(config: LaunchConfig, fuse = false): EngineOptions {
  const limits: EngineOptions = { fuse, features: featuresFromSettings(config.features) };
  if (config.maxCallDepth !== undefined) limits.maxCallDepth = config.maxCallDepth;
  if (config.maxMemoryPages !== undefined) limits.maxMemoryPages = config.maxMemoryPages;
  return limits;
}

export function startTarget(o: TargetOptions): StartedTarget {
  const { module, config, cwd } = o;
  const { io, stdin } = debugIO(config, cwd, o.hooks);
  const invoke = config.invoke;
  const wasi = new Wasi({
    args: [path.basename(o.programPath), ...(config.args ?? [])],
    env: config.env ?? {},
    preopens: parseDirs(config.dirs ?? [], cwd),
    io,
    // stdin that is not ready stops the machine ('blocked') instead of blocking the adapter.
    wouldBlock: WOULD_BLOCK,
  });

  const threaded = usesWasiThreads(module);
  for (const imp of module.imports) {
    // wasi-threads: the scheduler provides thread-spawn and makes the imported shared memory.
    if (threaded && ((imp.module === 'wasi' && imp.name === 'thread-spawn') || (imp.desc.kind === 'memory' && imp.desc.type.limits.shared))) continue;
    const provided = imp.module === WASI_MODULE && imp.desc.kind === 'func' && imp.name in wasi.imports.wasi_snapshot_preview1;
    if (!provided) {
      throw new LaunchError(`unknown import "${imp.module}" "${imp.name}" (${imp.desc.kind}): the debugger provides only ${WASI_MODULE} functions.`);
    }
  }

  // Time travel: every WASI call's results are logged, so going back replays them instead of
  // calling the host again. Off under noDebug (nothing can go back there).
  const holder: { recorder?: Recorder } = {};
  const recording = config.noDebug !== true && config.timeTravel !== false;
  // Threaded programs are recorded as their host calls in order: going back replays the program
  // from its start (threads-target.ts), and the scheduler's memory is where the calls wrote.
  const threadLog = threaded && recording ? new HostLog(() => wasi.memory as MemoryInstance | undefined) : undefined;
  const wasiImports: Record<string, HostFunction> = {};
  for (const [name, fn] of Object.entries(wasi.imports.wasi_snapshot_preview1)) {
    if (threadLog !== undefined) {
      wasiImports[name] = threadLog.wrap(fn, WASI_WRITES[name]);
      continue;
    }
    if (!recording || threaded) {
      wasiImports[name] = fn;
      continue;
    }
    let wrapped: HostFunction | undefined;
    wasiImports[name] = ((...args: never[]) => {
      wrapped ??= holder.recorder!.wrapHost(fn, WASI_WRITES[name]);
      return (wrapped as (...a: never[]) => unknown)(...args);
    }) as HostFunction;
  }

  // One machine runs the program fused, unfusing a function before a breakpoint, step or replay
  // needs its every instruction; threads run on several machines (one function's code shared by
  // all), so there every instruction stays a stop position from the start.
  const limits = debugLimits(config, !threaded);
  let instance: Instance;
  let scheduler: ThreadScheduler | undefined;
  let compiledModule: CompiledModule | undefined;
  try {
    // Instantiate, then start: the start function runs on the debugged machine as an ordinary call
    // (breakpoints and stopOnEntry work in it), not inside instantiate.
    // Compiled (so validated, the start function's type included) as it is; only instantiation skips the start.
    const compiled = compileModule(module, limits);
    compiledModule = compiled;
    let imports: Imports = { [WASI_MODULE]: wasiImports };
    if (threaded) {
      scheduler = new ThreadScheduler(compiled, { ...wasi.imports, [WASI_MODULE]: wasiImports }, { engine: limits, seed: config.seed, quantum: config.quantum });
      imports = scheduler.imports;
      if (scheduler.memory !== undefined) wasi.memory = scheduler.memory;
    }
    instance = instantiate({ ...compiled, module: { ...module, start: undefined } }, imports, limits);
  } catch (err) {
    if (err instanceof ValidationError) throw new LaunchError(`invalid module: ${err.message}`);
    if (err instanceof LinkError) throw new LaunchError(err.message);
    if (err instanceof WasiExit) throw new LaunchError(`the start function exited with code ${err.code} before anything could be debugged`);
    if (err instanceof Trap) throw new LaunchError(`trap in the start function: ${err.message}`);
    throw err;
  }
  const memory = instance.exports.memory;
  // Unthreaded, WASI sees the memory once the start function has returned (as when start runs
  // inside instantiation, and on V8): WASI from a start function traps the same everywhere.
  const bindMemory = (): void => {
    if (memory?.kind === 'memory') wasi.memory = memory;
  };
  if (threaded) bindMemory();
  const start = module.start === undefined ? undefined : instance.funcs[module.start];

  const entry = invoke?.export ?? '_start';
  const fn = instance.exports[entry];
  if (fn === undefined || fn.kind !== 'func') {
    const funcs = Object.entries(instance.exports).filter(([, e]) => e.kind === 'func').map(([n]) => n);
    const list = funcs.length ? `; it exports ${funcs.join(', ')}` : '; it exports no functions';
    throw new LaunchError(invoke
      ? `the module has no exported function '${entry}'${list}.`
      : `the module has no _start function: set "invoke": { "export": NAME, "args": [...] } in the launch configuration${list}.`);
  }
  const params = fn.type.params;
  const given = invoke?.args ?? [];
  if (given.length !== params.length) {
    throw new LaunchError(`'${entry}' takes ${params.length} argument(s), "invoke.args" has ${given.length}.`);
  }
  const args: Value[] = params.map((t, i) => {
    const type = valueKindOf(t);
    try {
      return parseValue(type, String(given[i]));
    } catch (err) {
      if (err instanceof ValueSyntaxError) throw new LaunchError(`"invoke.args"[${i}]: ${err.message} (expected ${type})`);
      throw err;
    }
  });

  let target: DebugTarget;
  if (scheduler !== undefined) {
    // Threads run on the scheduler's machines: the start function runs first, then main (no recording).
    if (start !== undefined) runStartFunction(start, limits);
    scheduler.addMain(instance, entry, args);
    const compiled = compiledModule!;
    const bind = (sch: ThreadScheduler): void => {
      const m = sch.memory ?? sch.threads[0]?.instance.exports.memory;
      if (m instanceof MemoryInstance) wasi.memory = m;
    };
    // The program anew for a replay: the same steps as above, its host calls answered from the log.
    const build = (): ThreadScheduler => {
      const sch = new ThreadScheduler(compiled, { ...wasi.imports, [WASI_MODULE]: wasiImports }, { engine: limits, seed: config.seed, quantum: config.quantum });
      bind(sch);
      const inst = instantiate({ ...compiled, module: { ...module, start: undefined } }, sch.imports, limits);
      const s0 = module.start === undefined ? undefined : inst.funcs[module.start];
      if (s0 !== undefined) runStartFunction(s0, limits);
      sch.addMain(inst, entry, args);
      bind(sch);
      return sch;
    };
    target = new ThreadedTarget(scheduler, module, threadLog ? { build, bind, log: threadLog } : undefined);
  } else {
    const machine = new Machine(limits);
    const recorder = recording ? new Recorder(machine, instance, config.historyMB !== undefined ? { maxBytes: config.historyMB * 1024 * 1024 } : {}) : undefined;
    holder.recorder = recorder;
    const profiler = config.profile !== undefined ? new Profiler(machine, instance) : undefined;
    target = new MachineTarget(machine, instance, module, { start, entry, args, bindMemory }, recorder, profiler);
  }
  return {
    target,
    stdin,
    describeResults: (results) => {
      if (!invoke) return undefined;
      const shown = results.length ? results.map(formatValue).join(', ') : 'nothing';
      return `${entry}(${args.map(formatValue).join(', ')}) returned ${shown}`;
    },
  };
}


/** A machine's RunResult as the runtime's StepResult: traps and uncaught exceptions become traps,
 * and proc_exit (a WasiExit thrown out of the run) the program's exit. */
export function settleRun(f: () => RunResult): StepResult {
  try {
    const r = f();
    if (r.reason === 'trap') return { reason: 'trap', message: r.trap.message, funcIndex: r.trap.funcIndex, offset: r.trap.offset, ...(r.trap instanceof Exhaustion ? { exhausted: true } : {}) };
    if (r.reason === 'exception') return exceptionResult(r.exception);
    return r;
  } catch (err) {
    if (err instanceof WasiExit) return { reason: 'exit', code: err.code };
    throw err;
  }
}

/** An uncaught Wasm exception as a StepResult: the tag by name (or index) and the payload. */
export function exceptionResult(e: WasmException, message = e.message): StepResult {
  const tag = e.tag as Partial<TagInstance>;
  const name = tag.name ?? /^uncaught exception: tag (\S+)/.exec(e.message)?.[1] ?? '?';
  return { reason: 'exception', message, thrown: { tag: name, payload: e.payload, types: tag.type?.params ?? [], caught: false } };
}

/** The Machine as a DebugTarget: WasiExit and traps become results, indices become views. */
export class MachineTarget implements DebugTarget {
  /** 0 = in the start function, 1 = in the entry function. */
  private phase: 0 | 1;
  readonly history: TimeTravel | undefined;

  constructor(
    private readonly m: Machine, private readonly instance: Instance, private readonly module: Module,
    /** The program's calls (start function, entry); absent for a view of a machine started elsewhere (a thread). */
    private readonly calls?: { start: FuncInstance | undefined; entry: string; args: Value[]; bindMemory(): void },
    private readonly recorder?: Recorder,
    readonly profiler?: Profiler,
  ) {
    profiler?.start();
    this.phase = calls?.start !== undefined ? 0 : 1;
    if (calls?.start !== undefined) m.startFunc(calls.start, []);
    else if (calls !== undefined) {
      calls.bindMemory();
      m.start(instance, calls.entry, calls.args);
    }
    if (recorder !== undefined) {
      recorder.extra = { save: () => this.phase, restore: (p) => { this.phase = p as 0 | 1; }, next: () => this.nextCall() };
      recorder.snapshot();
      this.history = new RecorderHistory(recorder);
    }
  }

  /** After a call finished: starts the entry function after the start function (true), or false. */
  private nextCall(): boolean {
    if (this.phase === 1 || this.calls === undefined) return false;
    this.phase = 1;
    this.calls.bindMemory();
    this.m.start(this.instance, this.calls.entry, this.calls.args);
    return true;
  }

  private settle(f: () => RunResult): StepResult {
    const t0 = performance.now();
    const r = settleRun(f);
    // The start function returned: the entry function is next, as one program.
    if (r.reason === 'finished' && this.nextCall()) {
      this.recorder?.ran(performance.now() - t0);
      return { reason: 'entered' };
    }
    if (this.recorder !== undefined && (r.reason === 'budget' || r.reason === 'step' || r.reason === 'breakpoint' || r.reason === 'blocked')) {
      this.recorder.ran(performance.now() - t0);
    }
    return r;
  }

  run(budget: number): StepResult {
    return this.settle(() => this.m.run(budget));
  }

  stepInstruction(budget: number): StepResult {
    return this.settle(() => this.m.stepInstruction(budget));
  }

  stepOver(budget: number): StepResult {
    return this.settle(() => this.m.stepOver(budget));
  }

  stepOut(budget: number): StepResult {
    return this.settle(() => this.m.stepOut(budget));
  }

  setBreakpoint(funcIndex: number, offset: number): number | undefined {
    return this.m.setBreakpoint(funcIndex, offset, this.instance);
  }

  clearBreakpoint(funcIndex: number, offset: number): void {
    this.m.clearBreakpoint(funcIndex, offset, this.instance);
  }

  frames() {
    return this.m.frames().map((f) => ({ funcIndex: f.funcIndex, offset: f.offset, ...(f.tailCallOf !== undefined ? { tailCallOf: f.tailCallOf.funcIndex } : {}) }));
  }

  depth(): number {
    return this.m.frames().length;
  }

  locals(frame: number): LocalView[] {
    const f = this.m.frames()[frame];
    if (!f) return [];
    const paramCount = this.paramCount(f.funcIndex);
    const types = this.instance.funcs[f.funcIndex]?.compiled?.localTypes;
    return this.m.locals(frame).map((l) => {
      const view: LocalView = { ...l, isParam: l.index < paramCount };
      const t = types?.[l.index];
      if (t !== undefined) view.valType = t;
      return view;
    });
  }

  private paramCount(funcIndex: number): number {
    const fn = this.instance.funcs[funcIndex];
    return fn?.type.params.length ?? 0;
  }

  operandStack(frame: number): Value[] {
    return this.m.operandStack(frame);
  }

  thrownHere(): ThrownView | undefined {
    const t = this.m.peekThrow();
    if (t === undefined) return undefined;
    const pkg = t.exception;
    const types = pkg.tag.type.params;
    const payload: Value[] = [];
    let w = 0;
    for (const ty of types) {
      payload.push(readWords(ty, pkg.words, w, pkg.store));
      w += ty === 0x7b ? 4 : 2;
    }
    return { tag: this.refNames.tag(pkg), payload, types, caught: t.caught };
  }

  operandTypes(frame: number): number[] {
    return this.m.operandTypes(frame);
  }

  private names: RefNames | undefined;
  get refNames(): RefNames {
    this.names ??= moduleRefNames(this.module, this.instance);
    return this.names;
  }

  setLocal(frame: number, index: number, value: Value): void {
    this.recorder?.forgetFuture();
    this.m.setLocal(frame, index, value);
  }

  setStackValue(frame: number, index: number, value: Value): void {
    this.recorder?.forgetFuture();
    this.m.setStackValue(frame, index, value);
  }

  globals(): GlobalView[] {
    return this.instance.globals.map((g, index) => {
      const view: GlobalView = { index, type: g.value.type, mutable: g.mutable, value: g.value, valType: g.type };
      const name = this.module.names.globals.get(index);
      if (name !== undefined) view.name = name;
      return view;
    });
  }

  setGlobal(index: number, value: Value): void {
    this.recorder?.forgetFuture();
    this.m.setGlobal(this.instance, index, value);
  }

  memoryChanged(): void {
    this.recorder?.forgetFuture();
  }

  memory(index: number): Uint8Array | undefined {
    const mem = this.instance.memories[index];
    return mem instanceof MemoryInstance ? mem.u8 : undefined;
  }

  memoryCount(): number {
    return this.instance.memories.length;
  }

  memoryIs64(index: number): boolean {
    return this.instance.memories[index]?.i64 === true;
  }

  memoryIndex(name: string): number | undefined {
    for (const [i, n] of this.module.names.memories) if (n === name) return i;
    return undefined;
  }

  entryFunction(): number | undefined {
    if (this.calls === undefined) return undefined;
    if (this.phase === 0) return this.calls.start?.index;
    const e = this.instance.exports[this.calls.entry];
    return e?.kind === 'func' ? e.index : undefined;
  }

  tables(): TableView[] {
    return this.instance.tables.map((t, index) => {
      const elemType = t.elemType === 0x70 ? 'funcref' : 'externref';
      const view: TableView = {
        index,
        elemType,
        elements: t.elements.map((e): Value => (elemType === 'funcref'
          ? { type: 'funcref', value: e instanceof FuncInstance ? e : null }
          : { type: 'externref', value: e ?? null })),
      };
      const name = this.module.names.tables.get(index);
      if (name !== undefined) view.name = name;
      return view;
    });
  }
}

/** The recorder as the runtime's TimeTravel; depths in frames (1 = the entry function). */
class RecorderHistory implements TimeTravel {
  constructor(private readonly r: Recorder) {}

  *hitsBefore(sites: { funcIndex: number; offsets?: readonly number[] }[], maxDepth?: number, tail = false): Generator<HitView> {
    for (const h of this.r.hitsBefore(sites, maxDepth === undefined ? Infinity : maxDepth - 1, tail)) {
      yield { funcIndex: h.funcIndex, offset: h.offset, depth: h.depth + 1, ticks: h.ticks, point: h };
    }
  }

  goTo(hit: HitView): void {
    this.r.goTo(hit.point as Hit);
  }

  goToStart(): void {
    this.r.goToStart();
  }

  now(): unknown {
    return this.r.machine.position();
  }

  samePlace(a: unknown, b: unknown): boolean {
    const p = a as MachinePoint | undefined;
    const q = b as MachinePoint | undefined;
    return p !== undefined && q !== undefined && p.ticks === q.ticks && p.depth === q.depth && p.func === q.func && p.pc === q.pc;
  }

  get truncatedStart(): boolean {
    return this.r.truncatedStart;
  }

  get replaying(): boolean {
    return this.r.replaying;
  }
}
