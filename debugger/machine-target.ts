// Instantiates a decoded module under WASI on core/interp's Machine and wraps the machine as the
// runtime's DebugTarget (frames, locals, stack, globals, memory, breakpoints, run/step).
import { featuresFromSettings } from '../core/features';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Module } from '../core/binary';
import { LinkError, Trap, ValidationError } from '../core/errors';
import {
  Machine, compileModule, instantiate, WOULD_BLOCK, MemoryInstance, FuncInstance, type EngineOptions, type Imports, type Instance, type RunResult,
} from '../core/interp';
import { ThreadScheduler, Wasi, WasiExit, NodeFileSystem, nodeClock, nodeRandom, usesWasiThreads, type WasiIO } from '../core/wasi';
import { ThreadedTarget } from './threads-target';
import type { DebugTarget, GlobalView, LocalView, StepResult, TableView, Value } from './engine';
import { LaunchError, parseDirs, type LaunchConfig, type OutputHooks } from './program';
import { StdinQueue } from './stdin-queue';
import { formatValue, parseValue, ValueSyntaxError } from './value-format';

export interface TargetOptions {
  module: Module;
  bytes: Uint8Array;
  config: LaunchConfig;
  cwd: string;
  programPath: string;
  hooks: OutputHooks;
  funcName(index: number): string;
}

/** Fuel for a module's start function (calls + loop iterations; a few seconds at most). */
const START_FUEL = 20_000_000;

/** Runs the start function before the program is debugged; LaunchError when it traps, exits or does not end. */
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

export function startTarget(o: TargetOptions): StartedTarget {
  const { module, config, cwd } = o;
  const stdin = new StdinQueue();
  if (config.stdin !== undefined) {
    stdin.push(fs.readFileSync(path.resolve(cwd, config.stdin)));
    stdin.close();
  }
  const io: WasiIO = {
    stdin,
    stdout: textSink(o.hooks.stdout),
    stderr: textSink(o.hooks.stderr),
    fs: new NodeFileSystem(),
    clock: nodeClock,
    random: nodeRandom,
  };
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

  // Every instruction must stay a stop position (breakpoints, steps, the operand stack between
  // them), so the engine's fusion of instruction sequences is off under the debugger.
  const limits: EngineOptions = { fuse: false, features: featuresFromSettings(config.features) };
  if (config.maxCallDepth !== undefined) limits.maxCallDepth = config.maxCallDepth;
  if (config.maxMemoryPages !== undefined) limits.maxMemoryPages = config.maxMemoryPages;
  let instance: Instance;
  let scheduler: ThreadScheduler | undefined;
  try {
    // The start function runs below under a budget: inside instantiate it would run unbounded and
    // an infinite loop there would hang the adapter before any request could stop it.
    // Compiled (so validated, the start function's type included) as it is; only instantiation skips the start.
    const compiled = compileModule(module, limits);
    let imports: Imports = wasi.imports;
    if (threaded) {
      scheduler = new ThreadScheduler(compiled, wasi.imports, { engine: limits });
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
  if (memory?.kind === 'memory') wasi.memory = memory;
  const start = module.start === undefined ? undefined : instance.funcs[module.start];
  if (start !== undefined) runStartFunction(start, limits);

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
    const type = typeNameOf(t);
    try {
      return parseValue(type, String(given[i]));
    } catch (err) {
      if (err instanceof ValueSyntaxError) throw new LaunchError(`"invoke.args"[${i}]: ${err.message} (expected ${type})`);
      throw err;
    }
  });

  let target: DebugTarget;
  if (scheduler !== undefined) {
    scheduler.addMain(instance, entry, args);
    target = new ThreadedTarget(scheduler, module);
  } else {
    const machine = new Machine(limits);
    machine.start(instance, entry, args);
    target = new MachineTarget(machine, instance, module);
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

function typeNameOf(t: number): Value['type'] {
  switch (t) {
    case 0x7f: return 'i32';
    case 0x7e: return 'i64';
    case 0x7d: return 'f32';
    case 0x7c: return 'f64';
    case 0x7b: return 'v128';
    case 0x70: return 'funcref';
    default: return 'externref';
  }
}

/** A machine's RunResult as the runtime's StepResult: traps and uncaught exceptions become traps,
 * and proc_exit (a WasiExit thrown out of the run) the program's exit. */
export function settleRun(f: () => RunResult): StepResult {
  try {
    const r = f();
    if (r.reason === 'trap') return { reason: 'trap', message: r.trap.message, funcIndex: r.trap.funcIndex, offset: r.trap.offset };
    // An uncaught Wasm exception stops like a trap, at its throw.
    if (r.reason === 'exception') {
      const e = r.exception;
      return { reason: 'trap', message: e.message, funcIndex: e.funcIndex, offset: e.offset };
    }
    return r;
  } catch (err) {
    if (err instanceof WasiExit) return { reason: 'exit', code: err.code };
    throw err;
  }
}

/** The Machine as a DebugTarget: WasiExit and traps become results, indices become views. */
export class MachineTarget implements DebugTarget {
  constructor(private readonly m: Machine, private readonly instance: Instance, private readonly module: Module) {}

  private settle(f: () => RunResult): StepResult {
    return settleRun(f);
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
    return this.m.frames().map((f) => ({ funcIndex: f.funcIndex, offset: f.offset }));
  }

  depth(): number {
    return this.m.frames().length;
  }

  locals(frame: number): LocalView[] {
    const f = this.m.frames()[frame];
    if (!f) return [];
    const paramCount = this.paramCount(f.funcIndex);
    return this.m.locals(frame).map((l) => ({ ...l, isParam: l.index < paramCount }));
  }

  private paramCount(funcIndex: number): number {
    const fn = this.instance.funcs[funcIndex];
    return fn?.type.params.length ?? 0;
  }

  operandStack(frame: number): Value[] {
    return this.m.operandStack(frame);
  }

  setLocal(frame: number, index: number, value: Value): void {
    this.m.setLocal(frame, index, value);
  }

  setStackValue(frame: number, index: number, value: Value): void {
    this.m.setStackValue(frame, index, value);
  }

  globals(): GlobalView[] {
    return this.instance.globals.map((g, index) => {
      const view: GlobalView = { index, type: g.value.type, mutable: g.mutable, value: g.value };
      const name = this.module.names.globals.get(index);
      if (name !== undefined) view.name = name;
      return view;
    });
  }

  setGlobal(index: number, value: Value): void {
    this.m.setGlobal(this.instance, index, value);
  }

  memory(index: number): Uint8Array | undefined {
    const mem = this.instance.memories[index];
    return mem instanceof MemoryInstance ? mem.u8 : undefined;
  }

  memoryCount(): number {
    return this.instance.memories.length;
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
