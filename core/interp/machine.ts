// The resumable machine: runs compiled code on an explicit frame stack (no JS recursion per Wasm
// call) in one dispatch loop, and stops on breakpoints, finished steps, spent fuel, traps and
// blocked host calls. Breakpoints and steps are BREAK opcodes patched into the code, so they cost
// nothing until hit.
// `exec` must stay under V8's optimisation limit for one function (60 KB of bytecode; measure with
// `node --print-bytecode --print-bytecode-filter=exec`): SIMD lives in its own dispatch function
// (simd.ts) behind the single Op.SIMD case, cold numerics in cold-ops.ts behind the default case.
import { Exhaustion, Trap, WasmException, type TrapFrame } from '../errors';
import { ValType } from '../binary/module';
import { slotWords, validateFunctionBody, type CodeSink, type FunctionValidator, type StackType } from '../validate/function-body';
import { ensureCompiled } from './compile';
import { NOT_RARE, RARE_IMMS, execCold, execRare } from './cold-ops';
import { canonicalPc, fusedStopAt, instrIndexAt, livePc, livePcAt, pcAtOffset, plainForm, translatePc } from './forms';
import { Op } from './ops';
import { SIMD_WIDTH, execSimd } from './simd';
import { MEM_EXT_WIDTH, execMemExt } from './memory64';
import { ATOMIC_BLOCKED, ATOMIC_WIDTH, execAtomic, type ThreadHooks } from './atomics';
import { EhOp, ExceptionPackage, TagInstance, findCatch, payloadText } from './exceptions';
import { concreteHeap, matchHeap } from '../types';
import { execGc, GC_WIDTH } from './gc';
import { Store } from './store';
import {
  FuncInstance, MemoryInstance, WOULD_BLOCK, readWords, writeWords,
  type CodeForm, type CompiledFunc, type EngineOptions, type Instance,
} from './runtime';
import { i64DivRem, i64Mul, i64MulTo, i64ShiftTo } from './numerics';
import type { Value } from './values';

export type RunResult =
  | { reason: 'finished'; results: Value[] }
  | { reason: 'breakpoint' }
  | { reason: 'step' }
  | { reason: 'budget' }
  | { reason: 'trap'; trap: Trap }
  /** An exception no handler caught; the machine stays at the throw (frames() show it), like a trap. */
  | { reason: 'exception'; exception: WasmException }
  | { reason: 'blocked' };

export interface FrameInfo {
  /** 0 = innermost. */
  index: number;
  instance: Instance;
  funcIndex: number;
  name?: string;
  /** Module-relative byte offset of the current instruction (for callers: the call). */
  offset: number;
  /** The frame was entered by a tail call (return_call*): the index of the function whose frame it
   * replaced (the first of a chain of tail calls, the one its caller called). */
  tailCallOf?: { instance: Instance; funcIndex: number };
}

/** A point in time: after `ticks` ticks, at code index `pc` of `func` at frame depth `depth`. Within
 * one tick (no calls, no backward branches) depth only falls and pc only grows, so it is unique.
 * `pc` (here, in MachineState and for tracers) is the unfused form's, whichever form runs (forms.ts). */
export interface MachinePoint {
  ticks: number;
  depth: number;
  func: FuncInstance;
  pc: number;
}

/** A view of BREAKs (replay, profiling): true stops the machine (as a step), false runs on,
 * undefined leaves the decision to the breakpoints and steps. `ticks` is exact at the hit. */
export interface Tracer {
  hit(c: CompiledFunc, pc: number, depth: number, ticks: number): boolean | undefined;
}

export interface MachineState {
  stack: Int32Array;
  fFunc: FuncInstance[];
  fPc: number[];
  fFp: number[];
  fTail: (FuncInstance | null)[];
  tail0: FuncInstance | null;
  func: FuncInstance | null;
  pc: number;
  fp: number;
  sp: number;
  depth: number;
  status: 'idle' | 'ready' | 'finished' | 'trapped' | 'aborted';
  entry: FuncInstance | null;
  hostEntryDone: boolean;
  instance: Instance | null;
  pending: ExceptionPackage | null;
  caught: (ExceptionPackage | undefined)[][];
  ticks: number;
}

export interface LocalInfo {
  index: number;
  name?: string;
  type: Value['type'];
  value: Value;
}

const NO_MEMORY = new MemoryInstance(0, 0);
const INITIAL_STACK_WORDS = 1 << 16;
let spareStack: ArrayBuffer | null = null;

const FINISHED_NONE: Value[] = [];
/** Largest fuel one run takes (an unbounded run is this many ticks: years). */
const MAX_FUEL = 2 ** 52;
/** callHost's result when the host function threw a WasmException. */
const THREW = -2;

/** A tag without a name, as the throwing instance numbers it (`0`), or `?` from elsewhere. */
function tagIndexName(f: FuncInstance | null, tag: TagInstance): string {
  const i = f?.instance?.tags.indexOf(tag) ?? -1;
  return i >= 0 ? String(i) : '?';
}

/** The package for a WasmException a host function threw (its payload checked against the tag). */
function packageOf(e: WasmException, store: Store): ExceptionPackage {
  const tag = e.tag;
  if (!(tag instanceof TagInstance)) throw new TypeError('a WasmException thrown into Wasm needs a TagInstance as its tag');
  const params = tag.type.params;
  if (e.payload.length !== params.length) throw new TypeError(`tag expects ${params.length} payload values, got ${e.payload.length}`);
  const words = new Int32Array(tag.words);
  let w = 0;
  for (let i = 0; i < params.length; i++) {
    writeWords(params[i]!, words, w, e.payload[i]!, store);
    w += slotWords(params[i]!);
  }
  return new ExceptionPackage(tag, words, store);
}

/** Words of a list of value types. */
function wordsOf(ts: readonly ValType[]): number {
  let n = 0;
  for (const t of ts) n += slotWords(t);
  return n;
}

type Status = MachineState['status'];

export class Machine {
  private buf: ArrayBuffer;
  private i32: Int32Array;
  private f32: Float32Array;
  private f64: Float64Array;
  private readonly maxStackWords: number;
  private readonly maxDepth: number;

  private readonly fFunc: FuncInstance[] = [];
  private readonly fPc: number[] = [];
  private readonly fFp: number[] = [];
  /** fTail[d]: the function whose frame at depth d + 1 a tail call replaced (null: entered by a
   * plain call, which clears it); tail0 the same for the frame at depth 0. Only tail calls set them. */
  private readonly fTail: (FuncInstance | null)[] = [];
  private tail0: FuncInstance | null = null;

  private func: FuncInstance | null = null;
  private pc = 0;
  private fp = 0;
  private sp = 0;
  private depth = 0;
  private status: Status = 'idle';
  /** The stack buffer was handed to `spareStack` when this machine finished. */
  private lent = false;
  private entry: FuncInstance | null = null;
  private hostEntryDone = false;
  private instance: Instance | null = null;

  /** This machine's breakpoints: compiled function → code indices. */
  private readonly breakpoints = new Map<CompiledFunc, Set<number>>();
  /** Pending step: stop at any patched step site at depth ≤ stepDepth. */
  private stepping = false;
  private stepDepth = 0;
  private stepIn = false;
  private stepPatches: [CompiledFunc, number][] = [];

  /** wait/notify of a thread scheduler (core/wasi/threads.ts); null: a lone thread. */
  threads: ThreadHooks | null = null;

  /** A Wasm exception a host function threw, raised by THROW_PENDING at the call. */
  private pending: ExceptionPackage | null = null;
  /** For a host function run as the entry (it has no instance, so no store of its own). */
  private hostStore: Store | undefined;
  /** Caught packages of legacy catch blocks, by frame depth and the try's slot (for rethrow). */
  private readonly caught: (ExceptionPackage | undefined)[][] = [];

  /** Ticks (calls and loop iterations: the units of fuel) executed so far, exact across runs:
   * with the frame depth and code index it names a point in time (time travel, recorder.ts). */
  private ticksDone = 0;
  private fuelIn = 0;
  private fuelLeft = 0;
  /** While set (replay), every BREAK asks it instead of the breakpoints and steps. */
  private tracer: Tracer | null = null;

  constructor(private readonly options: EngineOptions = {}) {
    this.maxStackWords = Math.floor((options.maxStackBytes ?? 64 * 1024 * 1024) / 4);
    this.maxDepth = options.maxCallDepth ?? 50000;
    const b = spareStack ?? new ArrayBuffer(INITIAL_STACK_WORDS * 4);
    spareStack = null;
    this.buf = b;
    this.i32 = new Int32Array(b);
    this.f32 = new Float32Array(b);
    this.f64 = new Float64Array(b);
  }

  /** Prepares a call of an exported function (by name) or a function index of `instance`. */
  start(instance: Instance, exportNameOrFuncIndex: string | number, args: Value[]): void {
    let f: FuncInstance | undefined;
    if (typeof exportNameOrFuncIndex === 'string') {
      const e = instance.exports[exportNameOrFuncIndex];
      if (e === undefined || e.kind !== 'func') throw new TypeError(`no exported function "${exportNameOrFuncIndex}"`);
      f = e;
    } else {
      f = instance.funcs[exportNameOrFuncIndex];
      if (f === undefined) throw new TypeError(`no function ${exportNameOrFuncIndex}`);
    }
    this.startFunc(f, args);
    this.instance = instance;
  }

  /** Prepares a call of any function instance (e.g. a start function or a table entry). */
  startFunc(f: FuncInstance, args: Value[]): void {
    const params = f.type.params;
    if (args.length !== params.length) throw new TypeError(`expected ${params.length} arguments, got ${args.length}`);
    this.clearStep();
    // A finished machine lent its stack to the next machine; take it back, or take a new one if
    // another machine has it now.
    if (this.lent) {
      this.lent = false;
      if (spareStack === this.buf) spareStack = null;
      else this.setStack(new ArrayBuffer(INITIAL_STACK_WORDS * 4));
    }
    let w = 0;
    for (let i = 0; i < params.length; i++) {
      writeWords(params[i]!, this.i32, w, args[i]!, this.storeOf(f));
      w += slotWords(params[i]!);
    }
    this.entry = f;
    this.instance = f.instance ?? null;
    this.depth = 0;
    this.tail0 = null;
    this.fp = 0;
    this.hostEntryDone = false;
    if (f.compiled !== undefined) {
      const c = f.compiled;
      // Compiled now rather than by its COMPILE, so a stop before the first step shows real code.
      ensureCompiled(c);
      this.ensureStack(c.frameWords);
      for (let k = w; k < c.localsWords; k++) this.i32[k] = 0;
      this.sp = c.localsWords;
      this.func = f;
      this.pc = 0;
    } else {
      this.sp = w;
      this.func = f;
      this.pc = 0;
    }
    this.status = 'ready';
  }

  get state(): Status {
    return this.status;
  }

  /** Runs until something stops it; `budget` is fuel, spent one unit per call and per loop iteration. */
  run(budget = Infinity): RunResult {
    if (this.status !== 'ready') throw new Error(`machine is ${this.status}`);
    const f = this.func!;
    if (f.compiled === undefined) return this.runHostEntry(f);
    // Finite fuel keeps the tick count exact (Infinity - Infinity is NaN).
    const b = budget > MAX_FUEL ? MAX_FUEL : budget;
    this.fuelIn = b;
    let r: RunResult;
    try {
      r = this.exec(b);
    } finally {
      this.ticksDone += b - this.fuelLeft;
    }
    // A step interrupted by fuel or a blocked host call stays armed: the next run finishes it.
    if (r.reason !== 'budget' && r.reason !== 'blocked') this.clearStep();
    // After a trap the stack stays with the machine so frames and locals can still be inspected.
    if (r.reason === 'finished') this.release();
    return r;
  }

  /** Executes one instruction (entering calls). */
  stepInstruction(budget = Infinity): RunResult {
    return this.step('in', budget);
  }

  /** Executes one instruction, running calls to completion. */
  stepOver(budget = Infinity): RunResult {
    return this.step('over', budget);
  }

  /** Runs until the current function returns to its caller. */
  stepOut(budget = Infinity): RunResult {
    return this.step('out', budget);
  }

  private step(kind: 'in' | 'over' | 'out', budget: number): RunResult {
    if (this.status !== 'ready') throw new Error(`machine is ${this.status}`);
    const f = this.func!;
    if (f.compiled === undefined) return this.runHostEntry(f);
    this.armStep(kind);
    return this.run(budget);
  }

  /** Arms a step without running: the next `run` carries it out (a scheduler runs the machine in
   * its turns, so a debugger's step of one thread leaves the interleaving as it would be). */
  armStep(kind: 'in' | 'over' | 'out'): void {
    if (this.status !== 'ready') throw new Error(`machine is ${this.status}`);
    const f = this.func!;
    if (f.compiled === undefined) return;
    this.clearStep();
    this.stepping = true;
    this.stepIn = kind === 'in';
    this.stepDepth = kind === 'out' ? this.depth - 1 : this.depth;
    if (kind !== 'out') {
      const c = f.compiled;
      this.unfuse(c);
      for (const p of c.pcs) this.patch(c, p, true);
    }
    if (this.depth > 0) {
      const caller = this.fFunc[this.depth - 1]!.compiled!;
      this.patch(caller, this.fPc[this.depth - 1]!, true);
    }
  }

  /** Drops an armed step (another thread stopped first). */
  cancelStep(): void {
    this.clearStep();
  }

  private patch(c: CompiledFunc, pc: number, forStep: boolean): void {
    ensureCompiled(c); // a lazy stub's code and maps are shared: never patch them
    const e = c.patched.get(pc);
    if (e !== undefined) e.users++;
    else {
      c.patched.set(pc, { op: c.code[pc]!, users: 1 });
      c.code[pc] = Op.BREAK;
    }
    if (forStep) this.stepPatches.push([c, pc]);
  }

  private unpatch(c: CompiledFunc, pc: number): void {
    const e = c.patched.get(pc);
    if (e === undefined) return;
    if (--e.users === 0) {
      c.code[pc] = e.op;
      c.patched.delete(pc);
    }
  }

  /**
   * Switches `c` to its unfused form for good, so every Wasm instruction is a stop position (before
   * a breakpoint, a step through it or a tracer's sites there). The machine is paused at a fused
   * group's start (or trapped) and callers wait at return addresses, which are group starts too:
   * this machine's frames, the BREAKs patched into `c` and armed steps move to the same instructions.
   */
  unfuse(c: CompiledFunc): void {
    ensureCompiled(c);
    if (!c.fused) return;
    const from: CodeForm = {
      code: c.code, offsetBase: c.offsetBase, pcs: c.pcs, offsets: c.offsets, trapOffsets: c.trapOffsets, handlers: c.handlers, caughtSlots: c.caughtSlots,
    };
    const to = plainForm(c);
    if (this.func?.compiled === c && (this.status === 'ready' || this.status === 'trapped')) {
      if (this.status === 'trapped') {
        // inside a group: the access that trapped, which the unfused form has as its own instruction
        const at = from.pcs[instrIndexAt(from, this.pc)]!;
        this.pc = pcAtOffset(to, from.trapOffsets.get(at) ?? from.offsetBase + from.offsets[instrIndexAt(from, at)]!);
      } else this.pc = translatePc(from, to, this.pc);
    }
    for (let d = 0; d < this.depth; d++) if (this.fFunc[d]!.compiled === c) this.fPc[d] = translatePc(from, to, this.fPc[d]!);
    const patched = new Map<number, { op: number; users: number }>();
    for (const [pc, e] of c.patched) {
      const at = translatePc(from, to, pc);
      patched.set(at, { op: to.code[at]!, users: e.users });
      to.code[at] = Op.BREAK;
    }
    for (const p of this.stepPatches) if (p[0] === c) p[1] = translatePc(from, to, p[1]);
    const bps = this.breakpoints.get(c);
    if (bps !== undefined) this.breakpoints.set(c, new Set([...bps].map((pc) => translatePc(from, to, pc))));
    c.code = to.code;
    c.pcs = to.pcs;
    c.offsets = to.offsets;
    c.trapOffsets = to.trapOffsets;
    c.handlers = to.handlers;
    c.caughtSlots = to.caughtSlots;
    c.patched = patched;
    c.fused = false;
    c.plain = null;
  }

  private clearStep(): void {
    for (const [c, pc] of this.stepPatches) this.unpatch(c, pc);
    this.stepPatches = [];
    this.stepping = false;
    this.stepIn = false;
  }

  private compiledOf(funcIndex: number, instance?: Instance): CompiledFunc | undefined {
    const inst = instance ?? this.instance;
    const c = inst?.funcs[funcIndex]?.compiled;
    if (c !== undefined) ensureCompiled(c);
    return c;
  }

  /** Sets a breakpoint at the first instruction at or after `byteOffset` in the function;
   * returns the byte offset it resolved to, or undefined when there is none. On fused code it is
   * patched where that instruction's fused group starts; one inside a group unfuses the function. */
  setBreakpoint(funcIndex: number, byteOffset: number, instance?: Instance): number | undefined {
    const c = this.compiledOf(funcIndex, instance);
    if (c === undefined) return undefined;
    const plain = plainForm(c);
    const i = instrAtOrAfter(plain, byteOffset);
    if (i < 0) return undefined;
    const at = plain.offsetBase + plain.offsets[i]!;
    if (c.fused && !fusedStopAt(c, at)) this.unfuse(c);
    const pc = livePcAt(c, at);
    let set = this.breakpoints.get(c);
    if (set === undefined) this.breakpoints.set(c, (set = new Set()));
    if (!set.has(pc)) {
      set.add(pc);
      this.patch(c, pc, false);
    }
    return at;
  }

  clearBreakpoint(funcIndex: number, byteOffset: number, instance?: Instance): void {
    const c = this.compiledOf(funcIndex, instance);
    if (c === undefined) return;
    const plain = plainForm(c);
    const i = instrAtOrAfter(plain, byteOffset);
    if (i < 0) return;
    const pc = livePcAt(c, plain.offsetBase + plain.offsets[i]!);
    const set = this.breakpoints.get(c);
    if (pc < 0 || set === undefined || !set.has(pc)) return;
    set.delete(pc);
    this.unpatch(c, pc);
  }

  clearAllBreakpoints(): void {
    for (const [c, set] of this.breakpoints) for (const pc of set) this.unpatch(c, pc);
    this.breakpoints.clear();
  }

  /** Whether one of this machine's breakpoints is on the instruction it stands on (a run resumes
   * past that one, so a scheduler checks it before a thread's first run). */
  get atBreakpoint(): boolean {
    const c = this.func?.compiled;
    return c !== undefined && this.breakpoints.get(c)?.has(this.pc) === true;
  }

  /** Called by BREAK: should this machine stop here? */
  private stopReason(c: CompiledFunc, pc: number, depth: number): 'step' | 'breakpoint' | null {
    if (this.tracer !== null) {
      const stop = this.tracer.hit(c, canonicalPc(c, pc), depth, this.ticksDone + this.fuelIn - this.fuelLeft);
      if (stop !== undefined) return stop ? 'step' : null;
    }
    if (this.stepping && depth <= this.stepDepth && this.stepPatches.some(([sc, sp]) => sc === c && sp === pc)) return 'step';
    if (this.breakpoints.get(c)?.has(pc)) return 'breakpoint';
    return null;
  }

  private ensureStack(words: number): void {
    if (words <= this.i32.length) return;
    let n = this.i32.length;
    while (n < words) n *= 2;
    if (n > this.maxStackWords) {
      if (words > this.maxStackWords) throw new Exhaustion();
      n = this.maxStackWords;
    }
    const b = new ArrayBuffer(n * 4);
    new Int32Array(b).set(this.i32);
    this.buf = b;
    this.i32 = new Int32Array(b);
    this.f32 = new Float32Array(b);
    this.f64 = new Float64Array(b);
  }

  private release(): void {
    if (this.buf.byteLength === INITIAL_STACK_WORDS * 4) {
      spareStack = this.buf;
      this.lent = true;
    }
  }

  private setStack(b: ArrayBuffer): void {
    this.buf = b;
    this.i32 = new Int32Array(b);
    this.f32 = new Float32Array(b);
    this.f64 = new Float64Array(b);
  }

  private runHostEntry(f: FuncInstance): RunResult {
    if (this.hostEntryDone) throw new Error('machine is finished');
    try {
      const sp = this.callHost(f, this.sp, this.storeOf(f));
      if (sp === THREW) {
        this.status = 'trapped';
        return { reason: 'exception', exception: this.uncaught(this.pending!) };
      }
      if (sp < 0) return { reason: 'blocked' };
      this.hostEntryDone = true;
      this.status = 'finished';
      return { reason: 'finished', results: this.readResults(f) };
    } catch (e) {
      if (e instanceof Trap) {
        this.status = 'trapped';
        return { reason: 'trap', trap: e };
      }
      this.status = 'aborted';
      throw e;
    }
  }

  private readResults(f: FuncInstance): Value[] {
    const rs = f.type.results;
    if (rs.length === 0) return FINISHED_NONE.slice();
    const out: Value[] = [];
    let w = 0;
    for (const t of rs) {
      out.push(readWords(t, this.i32, w, this.storeOf(f)));
      w += slotWords(t);
    }
    return out;
  }

  /** The store of a function's instance; a host function called as the entry has none, so its
   * reference arguments and results get one of the machine's own. */
  private storeOf(f: FuncInstance): Store {
    return f.instance?.store ?? (this.hostStore ??= new Store());
  }

  /** Calls a host function with the JS-API convention; its arguments end at `sp`. Returns the new
   * stack top (results written in place of the arguments), -1 when it returned WOULD_BLOCK, or
   * THREW when it threw a WasmException (kept in `pending`). */
  private callHost(f: FuncInstance, sp: number, store: Store): number {
    const { params, results } = f.type;
    const base = sp - wordsOf(params);
    const args: unknown[] = new Array(params.length);
    let w = base;
    for (let i = 0; i < params.length; i++) {
      const t = params[i]!;
      args[i] = toJS(t, this.i32, this.f32, this.f64, w, store);
      w += slotWords(t);
    }
    let r: unknown;
    try {
      r = (f.host as (...a: unknown[]) => unknown)(...args);
    } catch (e) {
      // A host function raises a Wasm exception by throwing a WasmException with a tag instance.
      if (!(e instanceof WasmException)) throw e;
      this.pending = packageOf(e, store);
      return THREW;
    }
    if (r === WOULD_BLOCK) return -1;
    w = base;
    if (results.length === 1) {
      fromJS(results[0]!, this.i32, this.f32, this.f64, w, r, store);
      return w + slotWords(results[0]!);
    }
    if (results.length > 1) {
      const list = [...(r as Iterable<unknown>)];
      for (let i = 0; i < results.length; i++) {
        fromJS(results[i]!, this.i32, this.f32, this.f64, w, list[i], store);
        w += slotWords(results[i]!);
      }
    }
    return w;
  }

  /** Ends a memory.atomic.wait the machine is parked at (it returned 'blocked' there): the wait
   * returns `result` (0 notified, 2 timed out) and the next run continues after it. */
  finishWait(result: number): void {
    const f = this.func!;
    const code = f.compiled!.code;
    const at = this.pc;
    const op = code[at] === Op.BREAK ? f.compiled!.patched.get(at)!.op : code[at];
    if (op !== Op.ATOMIC) throw new Error('finishWait: the machine is not parked at memory.atomic.wait');
    // [address, expected, timeout] (2 words each) become the i32 result.
    this.sp -= 4;
    this.i32[this.sp - 2] = result;
    this.i32[this.sp - 1] = 0;
    this.pc = at + 1 + ATOMIC_WIDTH;
  }

  // ---- inspection -------------------------------------------------------------------------

  /** Frames, innermost first. */
  frames(): FrameInfo[] {
    const out: FrameInfo[] = [];
    if (this.func === null || this.func.compiled === undefined || this.status === 'finished' || this.status === 'idle') return out;
    const push = (f: FuncInstance, pc: number): void => {
      const c = f.compiled!;
      const info: FrameInfo = { index: out.length, instance: f.instance!, funcIndex: f.index, offset: offsetAt(c, pc) };
      const name = f.name;
      if (name !== undefined) info.name = name;
      const d = this.depth - out.length;
      const replaced = d === 0 ? this.tail0 : this.fTail[d - 1];
      if (replaced) info.tailCallOf = { instance: replaced.instance!, funcIndex: replaced.index };
      out.push(info);
    };
    push(this.func, this.pc);
    const c = this.func.compiled;
    if (this.status === 'trapped' && c.trapOffsets.size > 0) {
      // Inside a fused instruction the trapping access is not the group's first instruction.
      const at = c.trapOffsets.get(instructionStart(c, this.pc));
      if (at !== undefined) out[0]!.offset = at;
    }
    for (let d = this.depth - 1; d >= 0; d--) push(this.fFunc[d]!, this.fPc[d]! - 1);
    return out;
  }

  private frameAt(frame: FrameInfo | number): { f: FuncInstance; fp: number; top: number; pc: number } {
    const i = typeof frame === 'number' ? frame : frame.index;
    if (i < 0 || i > this.depth || this.func === null) throw new RangeError(`no frame ${i}`);
    if (i === 0) return { f: this.func, fp: this.fp, top: this.sp, pc: this.pc };
    const d = this.depth - i;
    // A caller's operands end where its callee's frame (starting with the arguments) begins.
    const calleeFp = i === 1 ? this.fp : this.fFp[d + 1]!;
    return { f: this.fFunc[d]!, fp: this.fFp[d]!, top: calleeFp, pc: this.fPc[d]! - 1 };
  }

  locals(frame: FrameInfo | number): LocalInfo[] {
    const { f, fp } = this.frameAt(frame);
    const c = f.compiled!;
    const names = f.instance?.module.names.locals.get(f.index);
    return c.localTypes.map((t, index) => {
      const value = readWords(t, this.i32, fp + c.localOffsets[index]!, this.storeOf(f));
      const info: LocalInfo = { index, type: value.type, value };
      const name = names?.get(index);
      if (name !== undefined) info.name = name;
      return info;
    });
  }

  /** The frame's operand stack, bottom first (the last element is the top). */
  operandStack(frame: FrameInfo | number): Value[] {
    const { f, fp, top } = this.frameAt(frame);
    const c = f.compiled!;
    const out: Value[] = [];
    let w = fp + c.localsWords;
    for (const vt of this.operandTypes(frame)) {
      if (w >= top) break;
      out.push(readWords(vt, this.i32, w, this.storeOf(f)));
      w += slotWords(vt);
    }
    return out;
  }

  /** The static types of the frame's operands, bottom first (canonical type ids in references;
   * may list more than the stack holds right at a trap). */
  operandTypes(frame: FrameInfo | number): ValType[] {
    const { f, pc } = this.frameAt(frame);
    return operandTypesAt(f, offsetAt(f.compiled!, pc)).map((t) => (t === 0 ? ValType.i64 : (t as ValType)));
  }

  setLocal(frame: FrameInfo | number, index: number, value: Value): void {
    const { f, fp } = this.frameAt(frame);
    const c = f.compiled!;
    const t = c.localTypes[index];
    if (t === undefined) throw new RangeError(`no local ${index}`);
    writeWords(t, this.i32, fp + c.localOffsets[index]!, value, this.storeOf(f));
  }

  setStackValue(frame: FrameInfo | number, i: number, value: Value): void {
    const { f, fp, top, pc } = this.frameAt(frame);
    const c = f.compiled!;
    const types = operandTypesAt(f, offsetAt(c, pc));
    let w = fp + c.localsWords;
    for (let k = 0; k < types.length && w < top; k++) {
      const t = types[k]! === 0 ? ValType.i64 : (types[k] as ValType);
      if (k === i) {
        writeWords(t, this.i32, w, value, this.storeOf(f));
        return;
      }
      w += slotWords(t);
    }
    throw new RangeError(`no operand ${i}`);
  }

  setGlobal(instance: Instance, index: number, value: Value): void {
    const g = instance.globals[index];
    if (g === undefined) throw new RangeError(`no global ${index}`);
    g.value = value;
  }

  // ---- time travel (driven by recorder.ts) ---------------------------------------------------

  /** Where the machine is in time: ticks, depth (0 = entry frame), function and code index. */
  position(): MachinePoint | undefined {
    const f = this.func;
    if (f === null || f.compiled === undefined || (this.status !== 'ready' && this.status !== 'trapped')) return undefined;
    // A trap leaves pc inside the instruction; its start is the point replay can stop at.
    const pc = this.status === 'trapped' ? instructionStart(f.compiled, this.pc) : this.pc;
    return { ticks: this.ticksDone, depth: this.depth, func: f, pc: canonicalPc(f.compiled, pc) };
  }

  get ticks(): number {
    return this.ticksDone;
  }

  /** Everything a run changes on the machine itself (instances are the recorder's business). */
  saveState(): MachineState {
    const fPc = this.fPc.slice(0, this.depth);
    for (let d = 0; d < fPc.length; d++) fPc[d] = canonicalPc(this.fFunc[d]!.compiled!, fPc[d]!);
    const c = this.func?.compiled;
    const live = this.status === 'ready' || this.status === 'trapped';
    const pc = c === undefined || !live ? this.pc : canonicalPc(c, this.status === 'trapped' ? instructionStart(c, this.pc) : this.pc);
    return {
      stack: this.i32.slice(0, this.sp),
      fFunc: this.fFunc.slice(0, this.depth), fPc, fFp: this.fFp.slice(0, this.depth),
      fTail: this.fTail.slice(0, this.depth), tail0: this.tail0,
      func: this.func, pc, fp: this.fp, sp: this.sp, depth: this.depth, status: this.status,
      entry: this.entry, hostEntryDone: this.hostEntryDone, instance: this.instance,
      pending: this.pending, caught: this.caught.map((c) => c.slice()), ticks: this.ticksDone,
    };
  }

  restoreState(s: MachineState): void {
    this.clearStep();
    if (this.lent) {
      this.lent = false;
      if (spareStack === this.buf) spareStack = null;
      else this.setStack(new ArrayBuffer(INITIAL_STACK_WORDS * 4));
    }
    this.ensureStack(s.sp);
    this.i32.set(s.stack);
    this.fFunc.length = 0; this.fPc.length = 0; this.fFp.length = 0; this.fTail.length = 0;
    this.fFunc.push(...s.fFunc); this.fFp.push(...s.fFp); this.fTail.push(...s.fTail);
    for (let d = 0; d < s.fPc.length; d++) this.fPc.push(livePc(s.fFunc[d]!.compiled!, s.fPc[d]!));
    this.tail0 = s.tail0;
    const c = s.func?.compiled;
    const live = s.status === 'ready' || s.status === 'trapped';
    this.func = s.func; this.pc = c === undefined || !live ? s.pc : livePc(c, s.pc); this.fp = s.fp; this.sp = s.sp; this.depth = s.depth; this.status = s.status;
    this.entry = s.entry; this.hostEntryDone = s.hostEntryDone; this.instance = s.instance;
    this.pending = s.pending;
    this.caught.length = 0;
    for (const c of s.caught) this.caught.push(c.slice());
    this.ticksDone = s.ticks;
  }

  /** Installs a tracer that every BREAK asks first, with BREAKs at `sites` (unfused code indices:
   * their functions are unfused); the returned function takes them out and puts the previous tracer
   * back (replay inside a profiled run nests). */
  pushTracer(tracer: Tracer, sites: Iterable<[CompiledFunc, number]> = []): () => void {
    const prev = this.tracer;
    const patches: [CompiledFunc, number][] = [];
    for (const [c, pc] of sites) {
      this.unfuse(c);
      this.patch(c, pc, false);
      patches.push([c, pc]);
    }
    this.tracer = tracer;
    return () => {
      for (const [c, pc] of patches) this.unpatch(c, pc);
      this.tracer = prev;
    };
  }

  // ---- the dispatch loop ------------------------------------------------------------------

  private exec(budget: number): RunResult {
    let i32 = this.i32;
    let f32 = this.f32;
    let f64 = this.f64;
    let fuel = budget;
    let func = this.func!;
    let cf = func.compiled!;
    let code = cf.code;
    let pc = this.pc;
    let fp = this.fp;
    let sp = this.sp;
    let depth = this.depth;
    let inst = func.instance!;
    let mem = inst.memories[0] ?? NO_MEMORY;
    let dv = mem.dv;
    let u8 = mem.u8;
    let memLen = u8.length;
    let callee: FuncInstance = func;
    let callStart = 0;
    let callSp = 0;
    // Scratch for the cases (generated ones included: gen-fused.mjs SCRATCH). Declared once here,
    // each is one register for the whole function instead of one per `const` in every case
    // (438 registers were 77): smaller bytecode and deoptimisation frames, cheaper recompiles of
    // exec (first runs 2-22% less CPU). A new case assigns these rather than declaring its own.
    let a = 0, al = 0, ah = 0, at = 0, b = 0, bl = 0, bh = 0, count = 0, d = 0, dst = 0, dstRel = 0, e = 0, ea = 0;
    let end = 0, hi = 0, idx = 0, imms = 0, k = 0, l = 0, lo = 0, n = 0, nfp = 0, nh = 0, r = 0, src = 0, target = 0;
    let t = 0, ti = 0, v = 0;

    let op = code[pc]!;
    if (op === Op.BREAK) op = cf.patched.get(pc)!.op;
    pc++;
    try {
      // Every exit for spent fuel breaks out here (one copy of the state write-back, not one per branch op).
      budget: for (;;) {
        switch (op) {
          case Op.UNREACHABLE: throw new Trap('unreachable');
          case Op.NOP: break;
          case Op.COMPILE:
            // First entry of a lazily compiled function (its stub's only instruction): compile the
            // body in place, then fetch its first real instruction.
            ensureCompiled(cf);
            code = cf.code;
            pc = 0;
            break;
          case Op.BREAK: {
            at = pc - 1;
            this.fuelLeft = fuel;
            const why = this.stopReason(cf, at, depth);
            if (why !== null) {
              this.pc = at; this.sp = sp; this.fp = fp; this.depth = depth; this.func = func;
              return { reason: why };
            }
            op = cf.patched.get(at)!.op;
            continue;
          }
          case Op.BR: pc = code[pc]!; break;
          case Op.BR_LOOP:
            pc = code[pc]!;
            if (--fuel <= 0) {
              break budget;
            }
            break;
          case Op.BR_MOVE: {
            dst = fp + code[pc + 1]!;
            n = code[pc + 2]!;
            src = sp - n;
            for (k = 0; k < n; k++) i32[dst + k] = i32[src + k]!;
            sp = dst + n;
            pc = code[pc]!;
            break;
          }
          case Op.BR_IF:
            sp -= 2;
            pc = i32[sp] !== 0 ? code[pc]! : pc + 1;
            break;
          case Op.BR_IF_LOOP:
            sp -= 2;
            if (i32[sp] !== 0) {
              pc = code[pc]!;
              if (--fuel <= 0) {
                break budget;
              }
            } else pc++;
            break;
          case Op.BR_IF_MOVE:
            sp -= 2;
            if (i32[sp] !== 0) {
              dst = fp + code[pc + 1]!;
              n = code[pc + 2]!;
              src = sp - n;
              for (k = 0; k < n; k++) i32[dst + k] = i32[src + k]!;
              sp = dst + n;
              pc = code[pc]!;
            } else pc += 3;
            break;
          case Op.BR_UNLESS:
            sp -= 2;
            pc = i32[sp] === 0 ? code[pc]! : pc + 1;
            break;
          case Op.BR_TABLE: {
            count = code[pc]!;
            sp -= 2;
            idx = i32[sp]! >>> 0;
            e = pc + 1 + 3 * (idx < count ? idx : count);
            dstRel = code[e + 1]!;
            if (dstRel >= 0) {
              dst = fp + dstRel;
              n = code[e + 2]!;
              src = sp - n;
              for (k = 0; k < n; k++) i32[dst + k] = i32[src + k]!;
              sp = dst + n;
            }
            target = code[e]!;
            if (target < pc && --fuel <= 0) {
              pc = target;
              break budget;
            }
            pc = target;
            break;
          }
          case Op.RETURN_L1:
          case Op.RETURN: {
            if (op === Op.RETURN_L1) {
              // `local.get l; return` (compile.ts emitReturn): push the local, then return as
              // RETURN does, with the result words after it
              i32[sp] = i32[fp + code[pc++]!]!;
              sp += 2;
            }
            n = code[pc]!;
            src = sp - n;
            if (src !== fp) for (k = 0; k < n; k++) i32[fp + k] = i32[src + k]!;
            sp = fp + n;
            if (depth === 0) {
              this.pc = pc; this.sp = sp; this.fp = fp; this.depth = depth; this.func = func;
              this.status = 'finished';
              return { reason: 'finished', results: this.readResults(func) };
            }
            depth--;
            func = this.fFunc[depth]!;
            pc = this.fPc[depth]!;
            fp = this.fFp[depth]!;
            cf = func.compiled!;
            code = cf.code;
            // The memory views need reloading only with another instance's memory: a callee that
            // grew this one refreshed them (memory.grow in execRare, host calls after they return).
            if (func.instance !== inst) {
              inst = func.instance!;
              mem = inst.memories[0] ?? NO_MEMORY;
              dv = mem.dv;
              u8 = mem.u8;
              memLen = u8.length;
            }
            break;
          }
          case Op.CALL: {
            // The whole call sequence is inlined here (and repeated in DO_CALL for call_indirect) to save a dispatch per call.
            callStart = pc - 1;
            callSp = sp;
            const f = inst.funcs[code[pc++]!]!;
            if (--fuel <= 0) {
              fuel++; // the call runs again on resume: its tick is not spent
              pc = callStart; sp = callSp;
              break budget;
            }
            const c = f.compiled;
            if (c === undefined) {
              this.sp = sp;
              r = this.callHost(f, sp, inst.store);
              if (r < 0) {
                if (r === THREW) {
                  op = Op.THROW_PENDING;
                  continue;
                }
                fuel++;
                this.pc = callStart; this.sp = callSp; this.fp = fp; this.depth = depth; this.func = func;
                return { reason: 'blocked' };
              }
              sp = r;
              dv = mem.dv;
              u8 = mem.u8;
              memLen = u8.length;
              break;
            }
            if (depth >= this.maxDepth) throw new Exhaustion();
            nfp = sp - c.paramWords;
            if (nfp + c.frameWords > i32.length) {
              this.ensureStack(nfp + c.frameWords);
              i32 = this.i32;
              f32 = this.f32;
              f64 = this.f64;
            }
            this.fFunc[depth] = func;
            this.fPc[depth] = pc;
            this.fFp[depth] = fp;
            this.fTail[depth] = null;
            depth++;
            fp = nfp;
            end = fp + c.localsWords;
            for (k = sp; k < end; k++) i32[k] = 0;
            sp = end;
            func = f;
            cf = c;
            code = c.code;
            pc = 0;
            if (f.instance !== inst) {
              inst = f.instance!;
              mem = inst.memories[0] ?? NO_MEMORY;
              dv = mem.dv;
              u8 = mem.u8;
              memLen = u8.length;
            }
            if (this.stepIn) {
              ensureCompiled(c); // the stop shows the callee's first real instruction
              this.pc = pc; this.sp = sp; this.fp = fp; this.depth = depth; this.func = func;
              return { reason: 'step' };
            }
            break;
          }
          case Op.CALL_INDIRECT: {
            callStart = pc - 1;
            callSp = sp;
            ti = code[pc]!;
            const tab = inst.tables[code[pc + 1]!]!;
            pc += 2;
            sp -= 2;
            idx = i32[sp]! >>> 0;
            if (idx >= tab.elements.length) throw new Trap('undefined element');
            const f = tab.elements[idx] as FuncInstance | null;
            if (f === null) throw new Trap(`uninitialized element ${idx}`);
            if (f.typeId !== inst.typeIds[ti] && !matchHeap(concreteHeap(f.typeId), concreteHeap(inst.typeIds[ti]!))) {
              throw new Trap('indirect call type mismatch');
            }
            callee = f;
            op = Op.DO_CALL;
            continue;
          }
          case Op.DO_CALL: {
            const f = callee;
            if (--fuel <= 0) {
              fuel++; // the call runs again on resume: its tick is not spent
              pc = callStart; sp = callSp;
              break budget;
            }
            const c = f.compiled;
            if (c === undefined) {
              this.sp = sp;
              r = this.callHost(f, sp, inst.store);
              if (r < 0) {
                if (r === THREW) {
                  op = Op.THROW_PENDING;
                  continue;
                }
                fuel++;
                this.pc = callStart; this.sp = callSp; this.fp = fp; this.depth = depth; this.func = func;
                return { reason: 'blocked' };
              }
              sp = r;
              dv = mem.dv;
              u8 = mem.u8;
              memLen = u8.length;
              break;
            }
            if (depth >= this.maxDepth) throw new Exhaustion();
            nfp = sp - c.paramWords;
            if (nfp + c.frameWords > i32.length) {
              this.ensureStack(nfp + c.frameWords);
              i32 = this.i32;
              f32 = this.f32;
              f64 = this.f64;
            }
            this.fFunc[depth] = func;
            this.fPc[depth] = pc;
            this.fFp[depth] = fp;
            this.fTail[depth] = null;
            depth++;
            fp = nfp;
            end = fp + c.localsWords;
            for (k = sp; k < end; k++) i32[k] = 0;
            sp = end;
            func = f;
            cf = c;
            code = c.code;
            pc = 0;
            if (f.instance !== inst) {
              inst = f.instance!;
              mem = inst.memories[0] ?? NO_MEMORY;
              dv = mem.dv;
              u8 = mem.u8;
              memLen = u8.length;
            }
            if (this.stepIn) {
              ensureCompiled(c); // the stop shows the callee's first real instruction
              this.pc = pc; this.sp = sp; this.fp = fp; this.depth = depth; this.func = func;
              return { reason: 'step' };
            }
            break;
          }
          case Op.RETURN_CALL:
            callStart = pc - 1;
            callSp = sp;
            callee = inst.funcs[code[pc]!]!;
            pc += 2;
            op = Op.DO_TAIL_CALL;
            continue;
          case Op.RETURN_CALL_INDIRECT: {
            callStart = pc - 1;
            callSp = sp;
            ti = code[pc]!;
            const tab = inst.tables[code[pc + 1]!]!;
            pc += 3;
            sp -= 2;
            idx = i32[sp]! >>> 0;
            if (idx >= tab.elements.length) throw new Trap('undefined element');
            const f = tab.elements[idx] as FuncInstance | null;
            if (f === null) throw new Trap(`uninitialized element ${idx}`);
            if (f.typeId !== inst.typeIds[ti] && !matchHeap(concreteHeap(f.typeId), concreteHeap(inst.typeIds[ti]!))) {
              throw new Trap('indirect call type mismatch');
            }
            callee = f;
            op = Op.DO_TAIL_CALL;
            continue;
          }
          case Op.DO_TAIL_CALL: {
            // The callee takes over this frame: its arguments move down to fp, the depth stays, so a
            // tail-recursive loop runs in constant stack.
            const f = callee;
            if (--fuel <= 0) {
              fuel++; // the call runs again on resume: its tick is not spent
              pc = callStart; sp = callSp;
              break budget;
            }
            const c = f.compiled;
            if (c === undefined) {
              this.sp = sp;
              r = this.callHost(f, sp, inst.store);
              if (r < 0) {
                fuel++;
                this.pc = callStart; this.sp = callSp; this.fp = fp; this.depth = depth; this.func = func;
                return { reason: 'blocked' };
              }
              sp = r;
              dv = mem.dv;
              u8 = mem.u8;
              memLen = u8.length;
              // A host callee returns normally; its results go to this frame's caller: RETURN reads
              // the result words from the tail call's last immediate.
              pc--;
              op = Op.RETURN;
              continue;
            }
            if (fp + c.frameWords > i32.length) {
              this.ensureStack(fp + c.frameWords);
              i32 = this.i32;
              f32 = this.f32;
              f64 = this.f64;
            }
            src = sp - c.paramWords;
            for (k = 0; k < c.paramWords; k++) i32[fp + k] = i32[src + k]!;
            // The Call Stack marks the frame with the function it replaced (the first of a chain).
            if (depth === 0) this.tail0 ??= func;
            else this.fTail[depth - 1] ??= func;
            end = fp + c.localsWords;
            for (k = fp + c.paramWords; k < end; k++) i32[k] = 0;
            sp = end;
            func = f;
            cf = c;
            code = c.code;
            pc = 0;
            if (f.instance !== inst) {
              inst = f.instance!;
              mem = inst.memories[0] ?? NO_MEMORY;
              dv = mem.dv;
              u8 = mem.u8;
              memLen = u8.length;
            }
            if (this.stepIn) {
              this.pc = pc; this.sp = sp; this.fp = fp; this.depth = depth; this.func = func;
              return { reason: 'step' };
            }
            break;
          }
          case Op.DROP: sp -= code[pc++]!; break;
          case Op.SELECT: {
            sp -= 4;
            if (i32[sp + 2] === 0) {
              i32[sp - 2] = i32[sp]!;
              i32[sp - 1] = i32[sp + 1]!;
            }
            break;
          }
          case Op.SELECT4: {
            sp -= 6;
            if (i32[sp + 4] === 0) {
              i32[sp - 4] = i32[sp]!; i32[sp - 3] = i32[sp + 1]!; i32[sp - 2] = i32[sp + 2]!; i32[sp - 1] = i32[sp + 3]!;
            }
            break;
          }
          case Op.LOCAL_GET1: i32[sp] = i32[fp + code[pc++]!]!; sp += 2; break;
          case Op.LOCAL_GET2: {
            l = fp + code[pc++]!;
            i32[sp] = i32[l]!; i32[sp + 1] = i32[l + 1]!; sp += 2;
            break;
          }
          case Op.LOCAL_GET4: {
            l = fp + code[pc++]!;
            i32[sp] = i32[l]!; i32[sp + 1] = i32[l + 1]!; i32[sp + 2] = i32[l + 2]!; i32[sp + 3] = i32[l + 3]!; sp += 4;
            break;
          }
          case Op.LOCAL_SET1: sp -= 2; i32[fp + code[pc++]!] = i32[sp]!; break;
          case Op.LOCAL_SET2: {
            sp -= 2;
            l = fp + code[pc++]!;
            i32[l] = i32[sp]!; i32[l + 1] = i32[sp + 1]!;
            break;
          }
          case Op.LOCAL_SET4: {
            sp -= 4;
            l = fp + code[pc++]!;
            i32[l] = i32[sp]!; i32[l + 1] = i32[sp + 1]!; i32[l + 2] = i32[sp + 2]!; i32[l + 3] = i32[sp + 3]!;
            break;
          }
          case Op.LOCAL_TEE1: i32[fp + code[pc++]!] = i32[sp - 2]!; break;
          case Op.LOCAL_TEE2: {
            l = fp + code[pc++]!;
            i32[l] = i32[sp - 2]!; i32[l + 1] = i32[sp - 1]!;
            break;
          }
          case Op.LOCAL_TEE4: {
            l = fp + code[pc++]!;
            i32[l] = i32[sp - 4]!; i32[l + 1] = i32[sp - 3]!; i32[l + 2] = i32[sp - 2]!; i32[l + 3] = i32[sp - 1]!;
            break;
          }
          case Op.GLOBAL_GET: {
            const g = inst.globals[code[pc++]!]!.w;
            i32[sp] = g[0]!; i32[sp + 1] = g[1]!; sp += 2;
            break;
          }
          case Op.GLOBAL_SET: {
            const g = inst.globals[code[pc++]!]!.w;
            sp -= 2;
            g[0] = i32[sp]!; g[1] = i32[sp + 1]!;
            break;
          }
          case Op.I32_LOAD: {
            ea = (i32[sp - 2]! >>> 0) + (code[pc++]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            i32[sp - 2] = dv.getInt32(ea, true);
            break;
          }
          case Op.I64_LOAD: {
            ea = (i32[sp - 2]! >>> 0) + (code[pc++]! >>> 0);
            if (ea + 8 > memLen) throw new Trap('out of bounds memory access');
            i32[sp - 2] = dv.getInt32(ea, true);
            i32[sp - 1] = dv.getInt32(ea + 4, true);
            break;
          }
          case Op.I32_LOAD8_S: {
            ea = (i32[sp - 2]! >>> 0) + (code[pc++]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            i32[sp - 2] = (u8[ea]! << 24) >> 24;
            break;
          }
          case Op.I32_LOAD8_U: {
            ea = (i32[sp - 2]! >>> 0) + (code[pc++]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            i32[sp - 2] = u8[ea]!;
            break;
          }
          case Op.I32_LOAD16_S: {
            ea = (i32[sp - 2]! >>> 0) + (code[pc++]! >>> 0);
            if (ea + 2 > memLen) throw new Trap('out of bounds memory access');
            i32[sp - 2] = dv.getInt16(ea, true);
            break;
          }
          case Op.I32_LOAD16_U: {
            ea = (i32[sp - 2]! >>> 0) + (code[pc++]! >>> 0);
            if (ea + 2 > memLen) throw new Trap('out of bounds memory access');
            i32[sp - 2] = dv.getUint16(ea, true);
            break;
          }
          case Op.I64_LOAD8_S: {
            ea = (i32[sp - 2]! >>> 0) + (code[pc++]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            v = (u8[ea]! << 24) >> 24;
            i32[sp - 2] = v; i32[sp - 1] = v >> 31;
            break;
          }
          case Op.I64_LOAD8_U: {
            ea = (i32[sp - 2]! >>> 0) + (code[pc++]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            i32[sp - 2] = u8[ea]!; i32[sp - 1] = 0;
            break;
          }
          case Op.I64_LOAD16_S: {
            ea = (i32[sp - 2]! >>> 0) + (code[pc++]! >>> 0);
            if (ea + 2 > memLen) throw new Trap('out of bounds memory access');
            v = dv.getInt16(ea, true);
            i32[sp - 2] = v; i32[sp - 1] = v >> 31;
            break;
          }
          case Op.I64_LOAD16_U: {
            ea = (i32[sp - 2]! >>> 0) + (code[pc++]! >>> 0);
            if (ea + 2 > memLen) throw new Trap('out of bounds memory access');
            i32[sp - 2] = dv.getUint16(ea, true); i32[sp - 1] = 0;
            break;
          }
          case Op.I64_LOAD32_S: {
            ea = (i32[sp - 2]! >>> 0) + (code[pc++]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            v = dv.getInt32(ea, true);
            i32[sp - 2] = v; i32[sp - 1] = v >> 31;
            break;
          }
          case Op.I64_LOAD32_U: {
            ea = (i32[sp - 2]! >>> 0) + (code[pc++]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            i32[sp - 2] = dv.getInt32(ea, true); i32[sp - 1] = 0;
            break;
          }
          case Op.I32_STORE: {
            sp -= 4;
            ea = (i32[sp]! >>> 0) + (code[pc++]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            dv.setInt32(ea, i32[sp + 2]!, true);
            break;
          }
          case Op.I64_STORE: {
            sp -= 4;
            ea = (i32[sp]! >>> 0) + (code[pc++]! >>> 0);
            if (ea + 8 > memLen) throw new Trap('out of bounds memory access');
            dv.setInt32(ea, i32[sp + 2]!, true);
            dv.setInt32(ea + 4, i32[sp + 3]!, true);
            break;
          }
          case Op.I32_STORE8: case Op.I64_STORE8: {
            sp -= 4;
            ea = (i32[sp]! >>> 0) + (code[pc++]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            u8[ea] = i32[sp + 2]!;
            break;
          }
          case Op.I32_STORE16: case Op.I64_STORE16: {
            sp -= 4;
            ea = (i32[sp]! >>> 0) + (code[pc++]! >>> 0);
            if (ea + 2 > memLen) throw new Trap('out of bounds memory access');
            dv.setInt16(ea, i32[sp + 2]!, true);
            break;
          }
          case Op.I64_STORE32: {
            sp -= 4;
            ea = (i32[sp]! >>> 0) + (code[pc++]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            dv.setInt32(ea, i32[sp + 2]!, true);
            break;
          }
          case Op.I32_CONST: i32[sp] = code[pc++]!; sp += 2; break;
          case Op.I64_CONST: i32[sp] = code[pc]!; i32[sp + 1] = code[pc + 1]!; pc += 2; sp += 2; break;

          case Op.I32_EQZ: i32[sp - 2] = i32[sp - 2] === 0 ? 1 : 0; break;
          case Op.I32_EQ: sp -= 2; i32[sp - 2] = i32[sp - 2] === i32[sp] ? 1 : 0; break;
          case Op.I32_NE: sp -= 2; i32[sp - 2] = i32[sp - 2] !== i32[sp] ? 1 : 0; break;
          case Op.I32_LT_S: sp -= 2; i32[sp - 2] = i32[sp - 2]! < i32[sp]! ? 1 : 0; break;
          case Op.I32_LT_U: sp -= 2; i32[sp - 2] = i32[sp - 2]! >>> 0 < i32[sp]! >>> 0 ? 1 : 0; break;
          case Op.I32_GT_S: sp -= 2; i32[sp - 2] = i32[sp - 2]! > i32[sp]! ? 1 : 0; break;
          case Op.I32_GT_U: sp -= 2; i32[sp - 2] = i32[sp - 2]! >>> 0 > i32[sp]! >>> 0 ? 1 : 0; break;
          case Op.I32_LE_S: sp -= 2; i32[sp - 2] = i32[sp - 2]! <= i32[sp]! ? 1 : 0; break;
          case Op.I32_LE_U: sp -= 2; i32[sp - 2] = i32[sp - 2]! >>> 0 <= i32[sp]! >>> 0 ? 1 : 0; break;
          case Op.I32_GE_S: sp -= 2; i32[sp - 2] = i32[sp - 2]! >= i32[sp]! ? 1 : 0; break;
          case Op.I32_GE_U: sp -= 2; i32[sp - 2] = i32[sp - 2]! >>> 0 >= i32[sp]! >>> 0 ? 1 : 0; break;

          case Op.I64_EQZ: i32[sp - 2] = (i32[sp - 2]! | i32[sp - 1]!) === 0 ? 1 : 0; break;
          case Op.I64_EQ: sp -= 2; i32[sp - 2] = i32[sp - 2] === i32[sp] && i32[sp - 1] === i32[sp + 1] ? 1 : 0; break;
          case Op.I64_NE: sp -= 2; i32[sp - 2] = i32[sp - 2] !== i32[sp] || i32[sp - 1] !== i32[sp + 1] ? 1 : 0; break;

          case Op.F32_EQ: sp -= 2; i32[sp - 2] = f32[sp - 2] === f32[sp] ? 1 : 0; break;
          case Op.F32_NE: sp -= 2; i32[sp - 2] = f32[sp - 2] !== f32[sp] ? 1 : 0; break;
          case Op.F32_LT: sp -= 2; i32[sp - 2] = f32[sp - 2]! < f32[sp]! ? 1 : 0; break;
          case Op.F32_GT: sp -= 2; i32[sp - 2] = f32[sp - 2]! > f32[sp]! ? 1 : 0; break;
          case Op.F32_LE: sp -= 2; i32[sp - 2] = f32[sp - 2]! <= f32[sp]! ? 1 : 0; break;
          case Op.F32_GE: sp -= 2; i32[sp - 2] = f32[sp - 2]! >= f32[sp]! ? 1 : 0; break;
          case Op.F64_EQ: sp -= 2; i32[sp - 2] = f64[(sp - 2) >> 1] === f64[sp >> 1] ? 1 : 0; break;
          case Op.F64_NE: sp -= 2; i32[sp - 2] = f64[(sp - 2) >> 1] !== f64[sp >> 1] ? 1 : 0; break;
          case Op.F64_LT: sp -= 2; i32[sp - 2] = f64[(sp - 2) >> 1]! < f64[sp >> 1]! ? 1 : 0; break;
          case Op.F64_GT: sp -= 2; i32[sp - 2] = f64[(sp - 2) >> 1]! > f64[sp >> 1]! ? 1 : 0; break;
          case Op.F64_LE: sp -= 2; i32[sp - 2] = f64[(sp - 2) >> 1]! <= f64[sp >> 1]! ? 1 : 0; break;
          case Op.F64_GE: sp -= 2; i32[sp - 2] = f64[(sp - 2) >> 1]! >= f64[sp >> 1]! ? 1 : 0; break;

          case Op.I32_CLZ: i32[sp - 2] = Math.clz32(i32[sp - 2]!); break;
          case Op.I32_ADD: sp -= 2; i32[sp - 2] = (i32[sp - 2]! + i32[sp]!) | 0; break;
          case Op.I32_SUB: sp -= 2; i32[sp - 2] = (i32[sp - 2]! - i32[sp]!) | 0; break;
          case Op.I32_MUL: sp -= 2; i32[sp - 2] = Math.imul(i32[sp - 2]!, i32[sp]!); break;
          case Op.I32_DIV_S: {
            sp -= 2;
            a = i32[sp - 2]!; b = i32[sp]!;
            if (b === 0) throw new Trap('integer divide by zero');
            if (a === -2147483648 && b === -1) throw new Trap('integer overflow');
            i32[sp - 2] = (a / b) | 0;
            break;
          }
          case Op.I32_DIV_U: {
            sp -= 2;
            b = i32[sp]! >>> 0;
            if (b === 0) throw new Trap('integer divide by zero');
            i32[sp - 2] = ((i32[sp - 2]! >>> 0) / b) | 0;
            break;
          }
          case Op.I32_REM_S: {
            sp -= 2;
            b = i32[sp]!;
            if (b === 0) throw new Trap('integer divide by zero');
            i32[sp - 2] = (i32[sp - 2]! % b) | 0;
            break;
          }
          case Op.I32_REM_U: {
            sp -= 2;
            b = i32[sp]! >>> 0;
            if (b === 0) throw new Trap('integer divide by zero');
            i32[sp - 2] = ((i32[sp - 2]! >>> 0) % b) | 0;
            break;
          }
          case Op.I32_AND: sp -= 2; i32[sp - 2] = i32[sp - 2]! & i32[sp]!; break;
          case Op.I32_OR: sp -= 2; i32[sp - 2] = i32[sp - 2]! | i32[sp]!; break;
          case Op.I32_XOR: sp -= 2; i32[sp - 2] = i32[sp - 2]! ^ i32[sp]!; break;
          case Op.I32_SHL: sp -= 2; i32[sp - 2] = i32[sp - 2]! << i32[sp]!; break;
          case Op.I32_SHR_S: sp -= 2; i32[sp - 2] = i32[sp - 2]! >> i32[sp]!; break;
          case Op.I32_SHR_U: sp -= 2; i32[sp - 2] = i32[sp - 2]! >>> i32[sp]!; break;
          case Op.I32_ROTL: {
            sp -= 2;
            a = i32[sp - 2]!; n = i32[sp]! & 31;
            i32[sp - 2] = (a << n) | (a >>> (32 - n));
            break;
          }
          case Op.I32_ROTR: {
            sp -= 2;
            a = i32[sp - 2]!; n = i32[sp]! & 31;
            i32[sp - 2] = (a >>> n) | (a << (32 - n));
            break;
          }

          case Op.I64_ADD: {
            sp -= 2;
            al = i32[sp - 2]!; lo = (al + i32[sp]!) | 0;
            i32[sp - 1] = (i32[sp - 1]! + i32[sp + 1]! + (lo >>> 0 < al >>> 0 ? 1 : 0)) | 0;
            i32[sp - 2] = lo;
            break;
          }
          case Op.I64_SUB: {
            sp -= 2;
            al = i32[sp - 2]!; bl = i32[sp]!;
            i32[sp - 1] = (i32[sp - 1]! - i32[sp + 1]! - (al >>> 0 < bl >>> 0 ? 1 : 0)) | 0;
            i32[sp - 2] = (al - bl) | 0;
            break;
          }
          case Op.I64_MUL: sp -= 2; i64Mul(i32, sp - 2, sp); break;
          case Op.I64_DIV_S: sp -= 2; i64DivRem(i32, sp - 2, sp, true, false); break;
          case Op.I64_DIV_U: sp -= 2; i64DivRem(i32, sp - 2, sp, false, false); break;
          case Op.I64_REM_S: sp -= 2; i64DivRem(i32, sp - 2, sp, true, true); break;
          case Op.I64_REM_U: sp -= 2; i64DivRem(i32, sp - 2, sp, false, true); break;
          case Op.I64_AND: sp -= 2; i32[sp - 2] = i32[sp - 2]! & i32[sp]!; i32[sp - 1] = i32[sp - 1]! & i32[sp + 1]!; break;
          case Op.I64_OR: sp -= 2; i32[sp - 2] = i32[sp - 2]! | i32[sp]!; i32[sp - 1] = i32[sp - 1]! | i32[sp + 1]!; break;
          case Op.I64_XOR: sp -= 2; i32[sp - 2] = i32[sp - 2]! ^ i32[sp]!; i32[sp - 1] = i32[sp - 1]! ^ i32[sp + 1]!; break;
          case Op.I64_SHL: {
            sp -= 2;
            n = i32[sp]! & 63;
            lo = i32[sp - 2]!; hi = i32[sp - 1]!;
            if (n === 0) break;
            if (n < 32) {
              i32[sp - 1] = (hi << n) | (lo >>> (32 - n));
              i32[sp - 2] = lo << n;
            } else {
              i32[sp - 1] = lo << (n - 32);
              i32[sp - 2] = 0;
            }
            break;
          }
          case Op.I64_SHR_S: {
            sp -= 2;
            n = i32[sp]! & 63;
            lo = i32[sp - 2]!; hi = i32[sp - 1]!;
            if (n === 0) break;
            if (n < 32) {
              i32[sp - 2] = (lo >>> n) | (hi << (32 - n));
              i32[sp - 1] = hi >> n;
            } else {
              i32[sp - 2] = hi >> (n - 32);
              i32[sp - 1] = hi >> 31;
            }
            break;
          }
          case Op.I64_SHR_U: {
            sp -= 2;
            n = i32[sp]! & 63;
            lo = i32[sp - 2]!; hi = i32[sp - 1]!;
            if (n === 0) break;
            if (n < 32) {
              i32[sp - 2] = (lo >>> n) | (hi << (32 - n));
              i32[sp - 1] = hi >>> n;
            } else {
              i32[sp - 2] = hi >>> (n - 32);
              i32[sp - 1] = 0;
            }
            break;
          }
          case Op.I64_ROTL: case Op.I64_ROTR: {
            sp -= 2;
            n = i32[sp]! & 63;
            if (op === Op.I64_ROTR) n = (64 - n) & 63;
            lo = i32[sp - 2]!; hi = i32[sp - 1]!;
            if (n >= 32) {
              t = lo; lo = hi; hi = t; n -= 32;
            }
            if (n !== 0) {
              nh = (hi << n) | (lo >>> (32 - n));
              lo = (lo << n) | (hi >>> (32 - n));
              hi = nh;
            }
            i32[sp - 2] = lo; i32[sp - 1] = hi;
            break;
          }

          case Op.F32_SQRT: f32[sp - 2] = Math.sqrt(f32[sp - 2]!); break;
          case Op.F32_ADD: sp -= 2; f32[sp - 2] = f32[sp - 2]! + f32[sp]!; break;
          case Op.F32_SUB: sp -= 2; f32[sp - 2] = f32[sp - 2]! - f32[sp]!; break;
          case Op.F32_MUL: sp -= 2; f32[sp - 2] = f32[sp - 2]! * f32[sp]!; break;
          case Op.F32_DIV: sp -= 2; f32[sp - 2] = f32[sp - 2]! / f32[sp]!; break;
          case Op.F64_SQRT: f64[(sp - 2) >> 1] = Math.sqrt(f64[(sp - 2) >> 1]!); break;
          case Op.F64_ADD: sp -= 2; f64[(sp - 2) >> 1] = f64[(sp - 2) >> 1]! + f64[sp >> 1]!; break;
          case Op.F64_SUB: sp -= 2; f64[(sp - 2) >> 1] = f64[(sp - 2) >> 1]! - f64[sp >> 1]!; break;
          case Op.F64_MUL: sp -= 2; f64[(sp - 2) >> 1] = f64[(sp - 2) >> 1]! * f64[sp >> 1]!; break;
          case Op.F64_DIV: sp -= 2; f64[(sp - 2) >> 1] = f64[(sp - 2) >> 1]! / f64[sp >> 1]!; break;

          case Op.I64_EXTEND_I32_S: i32[sp - 1] = i32[sp - 2]! >> 31; break;
          case Op.I64_EXTEND_I32_U: i32[sp - 1] = 0; break;
          case Op.F64_CONVERT_I32_S: f64[(sp - 2) >> 1] = i32[sp - 2]!; break;
          case Op.F64_CONVERT_I32_U: f64[(sp - 2) >> 1] = i32[sp - 2]! >>> 0; break;
          case Op.F64_PROMOTE_F32: f64[(sp - 2) >> 1] = f32[sp - 2]!; break;
          case Op.I32_EXTEND8_S: i32[sp - 2] = (i32[sp - 2]! << 24) >> 24; break;
          case Op.I32_EXTEND16_S: i32[sp - 2] = (i32[sp - 2]! << 16) >> 16; break;

          case Op.CALL_REF: case Op.RETURN_CALL_REF: {
            callStart = pc - 1;
            callSp = sp;
            sp -= 2;
            const f = inst.store.value(i32[sp]!) as FuncInstance | null;
            if (f === null) throw new Trap('null function reference');
            callee = f;
            if (op === Op.RETURN_CALL_REF) {
              pc += 1;
              op = Op.DO_TAIL_CALL;
            } else op = Op.DO_CALL;
            continue;
          }
          case Op.LOCAL_SET1_C: i32[fp + code[pc]!] = code[pc + 1]!; pc += 2; break;
          case Op.LOCAL_COPY1: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]!; pc += 2; break;
          case Op.I32_LOAD_L_SET: {
            ea = (i32[fp + code[pc + 1]!]! >>> 0) + (code[pc + 2]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            i32[fp + code[pc]!] = dv.getInt32(ea, true);
            pc += 3;
            break;
          }
          // <generated by gen-fused.mjs>
          case Op.I32_ADD_LL: i32[sp] = (i32[fp + code[pc + 0]!]! + i32[fp + code[pc + 1]!]!) | 0; pc += 2; sp += 2; break;
          case Op.I32_ADD_LC: i32[sp] = (i32[fp + code[pc + 0]!]! + code[pc + 1]!) | 0; pc += 2; sp += 2; break;
          case Op.I32_ADD_SC: i32[sp - 2] = (i32[sp - 2]! + code[pc + 0]!) | 0; pc++; break;
          case Op.I32_ADD_SL: i32[sp - 2] = (i32[sp - 2]! + i32[fp + code[pc + 0]!]!) | 0; pc++; break;
          case Op.I32_SUB_LL: i32[sp] = (i32[fp + code[pc + 0]!]! - i32[fp + code[pc + 1]!]!) | 0; pc += 2; sp += 2; break;
          case Op.I32_SUB_SL: i32[sp - 2] = (i32[sp - 2]! - i32[fp + code[pc + 0]!]!) | 0; pc++; break;
          case Op.I32_MUL_LL: i32[sp] = Math.imul(i32[fp + code[pc + 0]!]!, i32[fp + code[pc + 1]!]!); pc += 2; sp += 2; break;
          case Op.I32_MUL_LC: i32[sp] = Math.imul(i32[fp + code[pc + 0]!]!, code[pc + 1]!); pc += 2; sp += 2; break;
          case Op.I32_MUL_SC: i32[sp - 2] = Math.imul(i32[sp - 2]!, code[pc + 0]!); pc++; break;
          case Op.I32_MUL_SL: i32[sp - 2] = Math.imul(i32[sp - 2]!, i32[fp + code[pc + 0]!]!); pc++; break;
          case Op.I32_AND_LL: i32[sp] = i32[fp + code[pc + 0]!]! & i32[fp + code[pc + 1]!]!; pc += 2; sp += 2; break;
          case Op.I32_AND_LC: i32[sp] = i32[fp + code[pc + 0]!]! & code[pc + 1]!; pc += 2; sp += 2; break;
          case Op.I32_AND_SC: i32[sp - 2] = i32[sp - 2]! & code[pc + 0]!; pc++; break;
          case Op.I32_AND_SL: i32[sp - 2] = i32[sp - 2]! & i32[fp + code[pc + 0]!]!; pc++; break;
          case Op.I32_OR_LL: i32[sp] = i32[fp + code[pc + 0]!]! | i32[fp + code[pc + 1]!]!; pc += 2; sp += 2; break;
          case Op.I32_OR_LC: i32[sp] = i32[fp + code[pc + 0]!]! | code[pc + 1]!; pc += 2; sp += 2; break;
          case Op.I32_OR_SC: i32[sp - 2] = i32[sp - 2]! | code[pc + 0]!; pc++; break;
          case Op.I32_OR_SL: i32[sp - 2] = i32[sp - 2]! | i32[fp + code[pc + 0]!]!; pc++; break;
          case Op.I32_XOR_LL: i32[sp] = i32[fp + code[pc + 0]!]! ^ i32[fp + code[pc + 1]!]!; pc += 2; sp += 2; break;
          case Op.I32_XOR_LC: i32[sp] = i32[fp + code[pc + 0]!]! ^ code[pc + 1]!; pc += 2; sp += 2; break;
          case Op.I32_XOR_SC: i32[sp - 2] = i32[sp - 2]! ^ code[pc + 0]!; pc++; break;
          case Op.I32_XOR_SL: i32[sp - 2] = i32[sp - 2]! ^ i32[fp + code[pc + 0]!]!; pc++; break;
          case Op.I32_SHL_LL: i32[sp] = i32[fp + code[pc + 0]!]! << i32[fp + code[pc + 1]!]!; pc += 2; sp += 2; break;
          case Op.I32_SHL_LC: i32[sp] = i32[fp + code[pc + 0]!]! << code[pc + 1]!; pc += 2; sp += 2; break;
          case Op.I32_SHL_SC: i32[sp - 2] = i32[sp - 2]! << code[pc + 0]!; pc++; break;
          case Op.I32_SHL_SL: i32[sp - 2] = i32[sp - 2]! << i32[fp + code[pc + 0]!]!; pc++; break;
          case Op.I32_SHR_S_LL: i32[sp] = i32[fp + code[pc + 0]!]! >> i32[fp + code[pc + 1]!]!; pc += 2; sp += 2; break;
          case Op.I32_SHR_S_LC: i32[sp] = i32[fp + code[pc + 0]!]! >> code[pc + 1]!; pc += 2; sp += 2; break;
          case Op.I32_SHR_S_SC: i32[sp - 2] = i32[sp - 2]! >> code[pc + 0]!; pc++; break;
          case Op.I32_SHR_S_SL: i32[sp - 2] = i32[sp - 2]! >> i32[fp + code[pc + 0]!]!; pc++; break;
          case Op.I32_SHR_U_LL: i32[sp] = i32[fp + code[pc + 0]!]! >>> i32[fp + code[pc + 1]!]!; pc += 2; sp += 2; break;
          case Op.I32_SHR_U_LC: i32[sp] = i32[fp + code[pc + 0]!]! >>> code[pc + 1]!; pc += 2; sp += 2; break;
          case Op.I32_SHR_U_SC: i32[sp - 2] = i32[sp - 2]! >>> code[pc + 0]!; pc++; break;
          case Op.I32_SHR_U_SL: i32[sp - 2] = i32[sp - 2]! >>> i32[fp + code[pc + 0]!]!; pc++; break;
          case Op.I32_ADD_LL_SET: i32[fp + code[pc]!] = (i32[fp + code[pc + 1]!]! + i32[fp + code[pc + 2]!]!) | 0; pc += 3; break;
          case Op.I32_ADD_LC_SET: i32[fp + code[pc]!] = (i32[fp + code[pc + 1]!]! + code[pc + 2]!) | 0; pc += 3; break;
          case Op.I32_ADD_SC_SET: sp -= 2; i32[fp + code[pc]!] = (i32[sp]! + code[pc + 1]!) | 0; pc += 2; break;
          case Op.I32_ADD_SL_SET: sp -= 2; i32[fp + code[pc]!] = (i32[sp]! + i32[fp + code[pc + 1]!]!) | 0; pc += 2; break;
          case Op.I32_ADD_SS_SET: sp -= 4; i32[fp + code[pc]!] = (i32[sp]! + i32[sp + 2]!) | 0; pc++; break;
          case Op.I32_SUB_LL_SET: i32[fp + code[pc]!] = (i32[fp + code[pc + 1]!]! - i32[fp + code[pc + 2]!]!) | 0; pc += 3; break;
          case Op.I32_SUB_SL_SET: sp -= 2; i32[fp + code[pc]!] = (i32[sp]! - i32[fp + code[pc + 1]!]!) | 0; pc += 2; break;
          case Op.I32_SUB_SS_SET: sp -= 4; i32[fp + code[pc]!] = (i32[sp]! - i32[sp + 2]!) | 0; pc++; break;
          case Op.I32_MUL_LL_SET: i32[fp + code[pc]!] = Math.imul(i32[fp + code[pc + 1]!]!, i32[fp + code[pc + 2]!]!); pc += 3; break;
          case Op.I32_MUL_LC_SET: i32[fp + code[pc]!] = Math.imul(i32[fp + code[pc + 1]!]!, code[pc + 2]!); pc += 3; break;
          case Op.I32_MUL_SC_SET: sp -= 2; i32[fp + code[pc]!] = Math.imul(i32[sp]!, code[pc + 1]!); pc += 2; break;
          case Op.I32_MUL_SL_SET: sp -= 2; i32[fp + code[pc]!] = Math.imul(i32[sp]!, i32[fp + code[pc + 1]!]!); pc += 2; break;
          case Op.I32_MUL_SS_SET: sp -= 4; i32[fp + code[pc]!] = Math.imul(i32[sp]!, i32[sp + 2]!); pc++; break;
          case Op.I32_AND_LL_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! & i32[fp + code[pc + 2]!]!; pc += 3; break;
          case Op.I32_AND_LC_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! & code[pc + 2]!; pc += 3; break;
          case Op.I32_AND_SC_SET: sp -= 2; i32[fp + code[pc]!] = i32[sp]! & code[pc + 1]!; pc += 2; break;
          case Op.I32_AND_SL_SET: sp -= 2; i32[fp + code[pc]!] = i32[sp]! & i32[fp + code[pc + 1]!]!; pc += 2; break;
          case Op.I32_AND_SS_SET: sp -= 4; i32[fp + code[pc]!] = i32[sp]! & i32[sp + 2]!; pc++; break;
          case Op.I32_OR_LL_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! | i32[fp + code[pc + 2]!]!; pc += 3; break;
          case Op.I32_OR_LC_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! | code[pc + 2]!; pc += 3; break;
          case Op.I32_OR_SC_SET: sp -= 2; i32[fp + code[pc]!] = i32[sp]! | code[pc + 1]!; pc += 2; break;
          case Op.I32_OR_SL_SET: sp -= 2; i32[fp + code[pc]!] = i32[sp]! | i32[fp + code[pc + 1]!]!; pc += 2; break;
          case Op.I32_OR_SS_SET: sp -= 4; i32[fp + code[pc]!] = i32[sp]! | i32[sp + 2]!; pc++; break;
          case Op.I32_XOR_LL_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! ^ i32[fp + code[pc + 2]!]!; pc += 3; break;
          case Op.I32_XOR_LC_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! ^ code[pc + 2]!; pc += 3; break;
          case Op.I32_XOR_SC_SET: sp -= 2; i32[fp + code[pc]!] = i32[sp]! ^ code[pc + 1]!; pc += 2; break;
          case Op.I32_XOR_SL_SET: sp -= 2; i32[fp + code[pc]!] = i32[sp]! ^ i32[fp + code[pc + 1]!]!; pc += 2; break;
          case Op.I32_XOR_SS_SET: sp -= 4; i32[fp + code[pc]!] = i32[sp]! ^ i32[sp + 2]!; pc++; break;
          case Op.I32_SHL_LL_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! << i32[fp + code[pc + 2]!]!; pc += 3; break;
          case Op.I32_SHL_LC_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! << code[pc + 2]!; pc += 3; break;
          case Op.I32_SHL_SC_SET: sp -= 2; i32[fp + code[pc]!] = i32[sp]! << code[pc + 1]!; pc += 2; break;
          case Op.I32_SHL_SL_SET: sp -= 2; i32[fp + code[pc]!] = i32[sp]! << i32[fp + code[pc + 1]!]!; pc += 2; break;
          case Op.I32_SHL_SS_SET: sp -= 4; i32[fp + code[pc]!] = i32[sp]! << i32[sp + 2]!; pc++; break;
          case Op.I32_SHR_S_LL_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! >> i32[fp + code[pc + 2]!]!; pc += 3; break;
          case Op.I32_SHR_S_LC_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! >> code[pc + 2]!; pc += 3; break;
          case Op.I32_SHR_S_SC_SET: sp -= 2; i32[fp + code[pc]!] = i32[sp]! >> code[pc + 1]!; pc += 2; break;
          case Op.I32_SHR_S_SL_SET: sp -= 2; i32[fp + code[pc]!] = i32[sp]! >> i32[fp + code[pc + 1]!]!; pc += 2; break;
          case Op.I32_SHR_S_SS_SET: sp -= 4; i32[fp + code[pc]!] = i32[sp]! >> i32[sp + 2]!; pc++; break;
          case Op.I32_SHR_U_LL_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! >>> i32[fp + code[pc + 2]!]!; pc += 3; break;
          case Op.I32_SHR_U_LC_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! >>> code[pc + 2]!; pc += 3; break;
          case Op.I32_SHR_U_SC_SET: sp -= 2; i32[fp + code[pc]!] = i32[sp]! >>> code[pc + 1]!; pc += 2; break;
          case Op.I32_SHR_U_SL_SET: sp -= 2; i32[fp + code[pc]!] = i32[sp]! >>> i32[fp + code[pc + 1]!]!; pc += 2; break;
          case Op.I32_SHR_U_SS_SET: sp -= 4; i32[fp + code[pc]!] = i32[sp]! >>> i32[sp + 2]!; pc++; break;
          case Op.I64_ADD_LL: { a = fp + code[pc]!; b = fp + code[pc + 1]!; al = i32[a]!; ah = i32[a + 1]!; bl = i32[b]!; bh = i32[b + 1]!; d = sp; lo = (al + bl) | 0; i32[d + 1] = (ah + bh + (lo >>> 0 < al >>> 0 ? 1 : 0)) | 0; i32[d] = lo; pc += 2; sp += 2; } break;
          case Op.I64_ADD_SC: { d = sp - 2; al = i32[d]!; ah = i32[d + 1]!; bl = code[pc]!; bh = code[pc + 1]!; lo = (al + bl) | 0; i32[d + 1] = (ah + bh + (lo >>> 0 < al >>> 0 ? 1 : 0)) | 0; i32[d] = lo; pc += 2; } break;
          case Op.I64_ADD_SL: { d = sp - 2; b = fp + code[pc]!; al = i32[d]!; ah = i32[d + 1]!; bl = i32[b]!; bh = i32[b + 1]!; lo = (al + bl) | 0; i32[d + 1] = (ah + bh + (lo >>> 0 < al >>> 0 ? 1 : 0)) | 0; i32[d] = lo; pc++; } break;
          case Op.I64_SUB_LL: { a = fp + code[pc]!; b = fp + code[pc + 1]!; al = i32[a]!; ah = i32[a + 1]!; bl = i32[b]!; bh = i32[b + 1]!; d = sp; i32[d + 1] = (ah - bh - (al >>> 0 < bl >>> 0 ? 1 : 0)) | 0; i32[d] = (al - bl) | 0; pc += 2; sp += 2; } break;
          case Op.I64_SUB_SC: { d = sp - 2; al = i32[d]!; ah = i32[d + 1]!; bl = code[pc]!; bh = code[pc + 1]!; i32[d + 1] = (ah - bh - (al >>> 0 < bl >>> 0 ? 1 : 0)) | 0; i32[d] = (al - bl) | 0; pc += 2; } break;
          case Op.I64_SUB_SL: { d = sp - 2; b = fp + code[pc]!; al = i32[d]!; ah = i32[d + 1]!; bl = i32[b]!; bh = i32[b + 1]!; i32[d + 1] = (ah - bh - (al >>> 0 < bl >>> 0 ? 1 : 0)) | 0; i32[d] = (al - bl) | 0; pc++; } break;
          case Op.I64_MUL_LL: { a = fp + code[pc]!; b = fp + code[pc + 1]!; al = i32[a]!; ah = i32[a + 1]!; bl = i32[b]!; bh = i32[b + 1]!; d = sp; i64MulTo(i32, d, al, ah, bl, bh); pc += 2; sp += 2; } break;
          case Op.I64_MUL_SC: { d = sp - 2; al = i32[d]!; ah = i32[d + 1]!; bl = code[pc]!; bh = code[pc + 1]!; i64MulTo(i32, d, al, ah, bl, bh); pc += 2; } break;
          case Op.I64_MUL_SL: { d = sp - 2; b = fp + code[pc]!; al = i32[d]!; ah = i32[d + 1]!; bl = i32[b]!; bh = i32[b + 1]!; i64MulTo(i32, d, al, ah, bl, bh); pc++; } break;
          case Op.I64_AND_LL: { a = fp + code[pc]!; b = fp + code[pc + 1]!; al = i32[a]!; ah = i32[a + 1]!; bl = i32[b]!; bh = i32[b + 1]!; d = sp; i32[d] = al & bl; i32[d + 1] = ah & bh; pc += 2; sp += 2; } break;
          case Op.I64_AND_SC: { d = sp - 2; al = i32[d]!; ah = i32[d + 1]!; bl = code[pc]!; bh = code[pc + 1]!; i32[d] = al & bl; i32[d + 1] = ah & bh; pc += 2; } break;
          case Op.I64_AND_SL: { d = sp - 2; b = fp + code[pc]!; al = i32[d]!; ah = i32[d + 1]!; bl = i32[b]!; bh = i32[b + 1]!; i32[d] = al & bl; i32[d + 1] = ah & bh; pc++; } break;
          case Op.I64_OR_LL: { a = fp + code[pc]!; b = fp + code[pc + 1]!; al = i32[a]!; ah = i32[a + 1]!; bl = i32[b]!; bh = i32[b + 1]!; d = sp; i32[d] = al | bl; i32[d + 1] = ah | bh; pc += 2; sp += 2; } break;
          case Op.I64_OR_SC: { d = sp - 2; al = i32[d]!; ah = i32[d + 1]!; bl = code[pc]!; bh = code[pc + 1]!; i32[d] = al | bl; i32[d + 1] = ah | bh; pc += 2; } break;
          case Op.I64_OR_SL: { d = sp - 2; b = fp + code[pc]!; al = i32[d]!; ah = i32[d + 1]!; bl = i32[b]!; bh = i32[b + 1]!; i32[d] = al | bl; i32[d + 1] = ah | bh; pc++; } break;
          case Op.I64_XOR_LL: { a = fp + code[pc]!; b = fp + code[pc + 1]!; al = i32[a]!; ah = i32[a + 1]!; bl = i32[b]!; bh = i32[b + 1]!; d = sp; i32[d] = al ^ bl; i32[d + 1] = ah ^ bh; pc += 2; sp += 2; } break;
          case Op.I64_XOR_SC: { d = sp - 2; al = i32[d]!; ah = i32[d + 1]!; bl = code[pc]!; bh = code[pc + 1]!; i32[d] = al ^ bl; i32[d + 1] = ah ^ bh; pc += 2; } break;
          case Op.I64_XOR_SL: { d = sp - 2; b = fp + code[pc]!; al = i32[d]!; ah = i32[d + 1]!; bl = i32[b]!; bh = i32[b + 1]!; i32[d] = al ^ bl; i32[d + 1] = ah ^ bh; pc++; } break;
          case Op.I64_SHL_LL: { a = fp + code[pc]!; b = fp + code[pc + 1]!; al = i32[a]!; ah = i32[a + 1]!; bl = i32[b]!; d = sp; i64ShiftTo(i32, d, al, ah, bl, 0); pc += 2; sp += 2; } break;
          case Op.I64_SHL_SC: { d = sp - 2; al = i32[d]!; ah = i32[d + 1]!; bl = code[pc]!; i64ShiftTo(i32, d, al, ah, bl, 0); pc += 2; } break;
          case Op.I64_SHL_SL: { d = sp - 2; b = fp + code[pc]!; al = i32[d]!; ah = i32[d + 1]!; bl = i32[b]!; i64ShiftTo(i32, d, al, ah, bl, 0); pc++; } break;
          case Op.I64_SHR_S_LL: { a = fp + code[pc]!; b = fp + code[pc + 1]!; al = i32[a]!; ah = i32[a + 1]!; bl = i32[b]!; d = sp; i64ShiftTo(i32, d, al, ah, bl, 1); pc += 2; sp += 2; } break;
          case Op.I64_SHR_S_SC: { d = sp - 2; al = i32[d]!; ah = i32[d + 1]!; bl = code[pc]!; i64ShiftTo(i32, d, al, ah, bl, 1); pc += 2; } break;
          case Op.I64_SHR_S_SL: { d = sp - 2; b = fp + code[pc]!; al = i32[d]!; ah = i32[d + 1]!; bl = i32[b]!; i64ShiftTo(i32, d, al, ah, bl, 1); pc++; } break;
          case Op.I64_SHR_U_LL: { a = fp + code[pc]!; b = fp + code[pc + 1]!; al = i32[a]!; ah = i32[a + 1]!; bl = i32[b]!; d = sp; i64ShiftTo(i32, d, al, ah, bl, 2); pc += 2; sp += 2; } break;
          case Op.I64_SHR_U_SC: { d = sp - 2; al = i32[d]!; ah = i32[d + 1]!; bl = code[pc]!; i64ShiftTo(i32, d, al, ah, bl, 2); pc += 2; } break;
          case Op.I64_SHR_U_SL: { d = sp - 2; b = fp + code[pc]!; al = i32[d]!; ah = i32[d + 1]!; bl = i32[b]!; i64ShiftTo(i32, d, al, ah, bl, 2); pc++; } break;
          case Op.I64_ROTL_LL: { a = fp + code[pc]!; b = fp + code[pc + 1]!; al = i32[a]!; ah = i32[a + 1]!; bl = i32[b]!; d = sp; i64ShiftTo(i32, d, al, ah, bl, 3); pc += 2; sp += 2; } break;
          case Op.I64_ROTL_SC: { d = sp - 2; al = i32[d]!; ah = i32[d + 1]!; bl = code[pc]!; i64ShiftTo(i32, d, al, ah, bl, 3); pc += 2; } break;
          case Op.I64_ROTL_SL: { d = sp - 2; b = fp + code[pc]!; al = i32[d]!; ah = i32[d + 1]!; bl = i32[b]!; i64ShiftTo(i32, d, al, ah, bl, 3); pc++; } break;
          case Op.I32_EQ_LL: i32[sp] = i32[fp + code[pc + 0]!]! === i32[fp + code[pc + 1]!]! ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_EQ_LC: i32[sp] = i32[fp + code[pc + 0]!]! === code[pc + 1]! ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_EQ_SC: i32[sp - 2] = i32[sp - 2]! === code[pc + 0]! ? 1 : 0; pc++; break;
          case Op.BRIF_I32_EQ_SS:
          sp -= 4;
          if ((i32[sp]! === i32[sp + 2]!)) {
            t = code[pc + 0]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 1;
          break;
          case Op.BRIF_I32_EQ_SC:
          sp -= 2;
          if ((i32[sp]! === code[pc + 0]!)) {
            t = code[pc + 1]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 2;
          break;
          case Op.BRIF_I32_EQ_LL:
          if ((i32[fp + code[pc + 0]!]! === i32[fp + code[pc + 1]!]!)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.BRIF_I32_EQ_LC:
          if ((i32[fp + code[pc + 0]!]! === code[pc + 1]!)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.I32_NE_LL: i32[sp] = i32[fp + code[pc + 0]!]! !== i32[fp + code[pc + 1]!]! ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_NE_LC: i32[sp] = i32[fp + code[pc + 0]!]! !== code[pc + 1]! ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_NE_SC: i32[sp - 2] = i32[sp - 2]! !== code[pc + 0]! ? 1 : 0; pc++; break;
          case Op.BRIF_I32_NE_SS:
          sp -= 4;
          if ((i32[sp]! !== i32[sp + 2]!)) {
            t = code[pc + 0]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 1;
          break;
          case Op.BRIF_I32_NE_SC:
          sp -= 2;
          if ((i32[sp]! !== code[pc + 0]!)) {
            t = code[pc + 1]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 2;
          break;
          case Op.BRIF_I32_NE_LL:
          if ((i32[fp + code[pc + 0]!]! !== i32[fp + code[pc + 1]!]!)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.BRIF_I32_NE_LC:
          if ((i32[fp + code[pc + 0]!]! !== code[pc + 1]!)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.I32_LT_S_LL: i32[sp] = i32[fp + code[pc + 0]!]! < i32[fp + code[pc + 1]!]! ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_LT_S_LC: i32[sp] = i32[fp + code[pc + 0]!]! < code[pc + 1]! ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_LT_S_SC: i32[sp - 2] = i32[sp - 2]! < code[pc + 0]! ? 1 : 0; pc++; break;
          case Op.BRIF_I32_LT_S_SS:
          sp -= 4;
          if ((i32[sp]! < i32[sp + 2]!)) {
            t = code[pc + 0]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 1;
          break;
          case Op.BRIF_I32_LT_S_SC:
          sp -= 2;
          if ((i32[sp]! < code[pc + 0]!)) {
            t = code[pc + 1]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 2;
          break;
          case Op.BRIF_I32_LT_S_LL:
          if ((i32[fp + code[pc + 0]!]! < i32[fp + code[pc + 1]!]!)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.BRIF_I32_LT_S_LC:
          if ((i32[fp + code[pc + 0]!]! < code[pc + 1]!)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.I32_LT_U_LL: i32[sp] = i32[fp + code[pc + 0]!]! >>> 0 < i32[fp + code[pc + 1]!]! >>> 0 ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_LT_U_LC: i32[sp] = i32[fp + code[pc + 0]!]! >>> 0 < code[pc + 1]! >>> 0 ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_LT_U_SC: i32[sp - 2] = i32[sp - 2]! >>> 0 < code[pc + 0]! >>> 0 ? 1 : 0; pc++; break;
          case Op.BRIF_I32_LT_U_SS:
          sp -= 4;
          if ((i32[sp]! >>> 0 < i32[sp + 2]! >>> 0)) {
            t = code[pc + 0]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 1;
          break;
          case Op.BRIF_I32_LT_U_SC:
          sp -= 2;
          if ((i32[sp]! >>> 0 < code[pc + 0]! >>> 0)) {
            t = code[pc + 1]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 2;
          break;
          case Op.BRIF_I32_LT_U_LL:
          if ((i32[fp + code[pc + 0]!]! >>> 0 < i32[fp + code[pc + 1]!]! >>> 0)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.BRIF_I32_LT_U_LC:
          if ((i32[fp + code[pc + 0]!]! >>> 0 < code[pc + 1]! >>> 0)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.I32_GT_S_LL: i32[sp] = i32[fp + code[pc + 0]!]! > i32[fp + code[pc + 1]!]! ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_GT_S_LC: i32[sp] = i32[fp + code[pc + 0]!]! > code[pc + 1]! ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_GT_S_SC: i32[sp - 2] = i32[sp - 2]! > code[pc + 0]! ? 1 : 0; pc++; break;
          case Op.BRIF_I32_GT_S_SS:
          sp -= 4;
          if ((i32[sp]! > i32[sp + 2]!)) {
            t = code[pc + 0]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 1;
          break;
          case Op.BRIF_I32_GT_S_SC:
          sp -= 2;
          if ((i32[sp]! > code[pc + 0]!)) {
            t = code[pc + 1]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 2;
          break;
          case Op.BRIF_I32_GT_S_LL:
          if ((i32[fp + code[pc + 0]!]! > i32[fp + code[pc + 1]!]!)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.BRIF_I32_GT_S_LC:
          if ((i32[fp + code[pc + 0]!]! > code[pc + 1]!)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.I32_GT_U_LL: i32[sp] = i32[fp + code[pc + 0]!]! >>> 0 > i32[fp + code[pc + 1]!]! >>> 0 ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_GT_U_LC: i32[sp] = i32[fp + code[pc + 0]!]! >>> 0 > code[pc + 1]! >>> 0 ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_GT_U_SC: i32[sp - 2] = i32[sp - 2]! >>> 0 > code[pc + 0]! >>> 0 ? 1 : 0; pc++; break;
          case Op.BRIF_I32_GT_U_SS:
          sp -= 4;
          if ((i32[sp]! >>> 0 > i32[sp + 2]! >>> 0)) {
            t = code[pc + 0]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 1;
          break;
          case Op.BRIF_I32_GT_U_SC:
          sp -= 2;
          if ((i32[sp]! >>> 0 > code[pc + 0]! >>> 0)) {
            t = code[pc + 1]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 2;
          break;
          case Op.BRIF_I32_GT_U_LL:
          if ((i32[fp + code[pc + 0]!]! >>> 0 > i32[fp + code[pc + 1]!]! >>> 0)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.BRIF_I32_GT_U_LC:
          if ((i32[fp + code[pc + 0]!]! >>> 0 > code[pc + 1]! >>> 0)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.I32_LE_S_LL: i32[sp] = i32[fp + code[pc + 0]!]! <= i32[fp + code[pc + 1]!]! ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_LE_S_LC: i32[sp] = i32[fp + code[pc + 0]!]! <= code[pc + 1]! ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_LE_S_SC: i32[sp - 2] = i32[sp - 2]! <= code[pc + 0]! ? 1 : 0; pc++; break;
          case Op.BRIF_I32_LE_S_SS:
          sp -= 4;
          if ((i32[sp]! <= i32[sp + 2]!)) {
            t = code[pc + 0]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 1;
          break;
          case Op.BRIF_I32_LE_S_SC:
          sp -= 2;
          if ((i32[sp]! <= code[pc + 0]!)) {
            t = code[pc + 1]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 2;
          break;
          case Op.BRIF_I32_LE_S_LL:
          if ((i32[fp + code[pc + 0]!]! <= i32[fp + code[pc + 1]!]!)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.BRIF_I32_LE_S_LC:
          if ((i32[fp + code[pc + 0]!]! <= code[pc + 1]!)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.I32_LE_U_LL: i32[sp] = i32[fp + code[pc + 0]!]! >>> 0 <= i32[fp + code[pc + 1]!]! >>> 0 ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_LE_U_LC: i32[sp] = i32[fp + code[pc + 0]!]! >>> 0 <= code[pc + 1]! >>> 0 ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_LE_U_SC: i32[sp - 2] = i32[sp - 2]! >>> 0 <= code[pc + 0]! >>> 0 ? 1 : 0; pc++; break;
          case Op.BRIF_I32_LE_U_SS:
          sp -= 4;
          if ((i32[sp]! >>> 0 <= i32[sp + 2]! >>> 0)) {
            t = code[pc + 0]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 1;
          break;
          case Op.BRIF_I32_LE_U_SC:
          sp -= 2;
          if ((i32[sp]! >>> 0 <= code[pc + 0]! >>> 0)) {
            t = code[pc + 1]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 2;
          break;
          case Op.BRIF_I32_LE_U_LL:
          if ((i32[fp + code[pc + 0]!]! >>> 0 <= i32[fp + code[pc + 1]!]! >>> 0)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.BRIF_I32_LE_U_LC:
          if ((i32[fp + code[pc + 0]!]! >>> 0 <= code[pc + 1]! >>> 0)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.I32_GE_S_LL: i32[sp] = i32[fp + code[pc + 0]!]! >= i32[fp + code[pc + 1]!]! ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_GE_S_LC: i32[sp] = i32[fp + code[pc + 0]!]! >= code[pc + 1]! ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_GE_S_SC: i32[sp - 2] = i32[sp - 2]! >= code[pc + 0]! ? 1 : 0; pc++; break;
          case Op.BRIF_I32_GE_S_SS:
          sp -= 4;
          if ((i32[sp]! >= i32[sp + 2]!)) {
            t = code[pc + 0]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 1;
          break;
          case Op.BRIF_I32_GE_S_SC:
          sp -= 2;
          if ((i32[sp]! >= code[pc + 0]!)) {
            t = code[pc + 1]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 2;
          break;
          case Op.BRIF_I32_GE_S_LL:
          if ((i32[fp + code[pc + 0]!]! >= i32[fp + code[pc + 1]!]!)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.BRIF_I32_GE_S_LC:
          if ((i32[fp + code[pc + 0]!]! >= code[pc + 1]!)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.I32_GE_U_LL: i32[sp] = i32[fp + code[pc + 0]!]! >>> 0 >= i32[fp + code[pc + 1]!]! >>> 0 ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_GE_U_LC: i32[sp] = i32[fp + code[pc + 0]!]! >>> 0 >= code[pc + 1]! >>> 0 ? 1 : 0; pc += 2; sp += 2; break;
          case Op.I32_GE_U_SC: i32[sp - 2] = i32[sp - 2]! >>> 0 >= code[pc + 0]! >>> 0 ? 1 : 0; pc++; break;
          case Op.BRIF_I32_GE_U_SS:
          sp -= 4;
          if ((i32[sp]! >>> 0 >= i32[sp + 2]! >>> 0)) {
            t = code[pc + 0]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 1;
          break;
          case Op.BRIF_I32_GE_U_SC:
          sp -= 2;
          if ((i32[sp]! >>> 0 >= code[pc + 0]! >>> 0)) {
            t = code[pc + 1]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 2;
          break;
          case Op.BRIF_I32_GE_U_LL:
          if ((i32[fp + code[pc + 0]!]! >>> 0 >= i32[fp + code[pc + 1]!]! >>> 0)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.BRIF_I32_GE_U_LC:
          if ((i32[fp + code[pc + 0]!]! >>> 0 >= code[pc + 1]! >>> 0)) {
            t = code[pc + 2]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 3;
          break;
          case Op.BRIF_EQZ:
          sp -= 2;
          if (i32[sp] === 0) {
            t = code[pc + 0]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 1;
          break;
          case Op.BRIF_L:
          if (i32[fp + code[pc + 0]!]! !== 0) {
            t = code[pc + 1]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 2;
          break;
          case Op.BRIFNOT_L:
          if (i32[fp + code[pc + 0]!]! === 0) {
            t = code[pc + 1]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 2;
          break;
          case Op.I32_LOAD_L: {
            ea = (i32[fp + code[pc + 0]!]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            i32[sp] = dv.getInt32(ea, true);
            pc += 2; sp += 2;
            break;
          }
          case Op.I32_LOAD_A: {
            ea = ((i32[fp + code[pc + 0]!]! + code[pc + 1]!) >>> 0) + (code[pc + 2]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            i32[sp] = dv.getInt32(ea, true);
            pc += 3; sp += 2;
            break;
          }
          case Op.I64_LOAD_L: {
            ea = (i32[fp + code[pc + 0]!]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea + 8 > memLen) throw new Trap('out of bounds memory access');
            i32[sp] = dv.getInt32(ea, true); i32[sp + 1] = dv.getInt32(ea + 4, true);
            pc += 2; sp += 2;
            break;
          }
          case Op.I64_LOAD_A: {
            ea = ((i32[fp + code[pc + 0]!]! + code[pc + 1]!) >>> 0) + (code[pc + 2]! >>> 0);
            if (ea + 8 > memLen) throw new Trap('out of bounds memory access');
            i32[sp] = dv.getInt32(ea, true); i32[sp + 1] = dv.getInt32(ea + 4, true);
            pc += 3; sp += 2;
            break;
          }
          case Op.I32_LOAD8_U_L: {
            ea = (i32[fp + code[pc + 0]!]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            i32[sp] = u8[ea]!;
            pc += 2; sp += 2;
            break;
          }
          case Op.I32_LOAD8_U_A: {
            ea = ((i32[fp + code[pc + 0]!]! + code[pc + 1]!) >>> 0) + (code[pc + 2]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            i32[sp] = u8[ea]!;
            pc += 3; sp += 2;
            break;
          }
          case Op.I32_LOAD8_S_L: {
            ea = (i32[fp + code[pc + 0]!]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            i32[sp] = (u8[ea]! << 24) >> 24;
            pc += 2; sp += 2;
            break;
          }
          case Op.I32_LOAD8_S_A: {
            ea = ((i32[fp + code[pc + 0]!]! + code[pc + 1]!) >>> 0) + (code[pc + 2]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            i32[sp] = (u8[ea]! << 24) >> 24;
            pc += 3; sp += 2;
            break;
          }
          case Op.I32_LOAD16_U_L: {
            ea = (i32[fp + code[pc + 0]!]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea + 2 > memLen) throw new Trap('out of bounds memory access');
            i32[sp] = dv.getUint16(ea, true);
            pc += 2; sp += 2;
            break;
          }
          case Op.I32_LOAD16_U_A: {
            ea = ((i32[fp + code[pc + 0]!]! + code[pc + 1]!) >>> 0) + (code[pc + 2]! >>> 0);
            if (ea + 2 > memLen) throw new Trap('out of bounds memory access');
            i32[sp] = dv.getUint16(ea, true);
            pc += 3; sp += 2;
            break;
          }
          case Op.I32_LOAD16_S_L: {
            ea = (i32[fp + code[pc + 0]!]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea + 2 > memLen) throw new Trap('out of bounds memory access');
            i32[sp] = dv.getInt16(ea, true);
            pc += 2; sp += 2;
            break;
          }
          case Op.I32_LOAD16_S_A: {
            ea = ((i32[fp + code[pc + 0]!]! + code[pc + 1]!) >>> 0) + (code[pc + 2]! >>> 0);
            if (ea + 2 > memLen) throw new Trap('out of bounds memory access');
            i32[sp] = dv.getInt16(ea, true);
            pc += 3; sp += 2;
            break;
          }
          case Op.I64_LOAD8_U_L: {
            ea = (i32[fp + code[pc + 0]!]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            i32[sp] = u8[ea]!; i32[sp + 1] = 0;
            pc += 2; sp += 2;
            break;
          }
          case Op.I64_LOAD8_U_A: {
            ea = ((i32[fp + code[pc + 0]!]! + code[pc + 1]!) >>> 0) + (code[pc + 2]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            i32[sp] = u8[ea]!; i32[sp + 1] = 0;
            pc += 3; sp += 2;
            break;
          }
          case Op.I64_LOAD32_U_L: {
            ea = (i32[fp + code[pc + 0]!]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            i32[sp] = dv.getInt32(ea, true); i32[sp + 1] = 0;
            pc += 2; sp += 2;
            break;
          }
          case Op.I64_LOAD32_U_A: {
            ea = ((i32[fp + code[pc + 0]!]! + code[pc + 1]!) >>> 0) + (code[pc + 2]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            i32[sp] = dv.getInt32(ea, true); i32[sp + 1] = 0;
            pc += 3; sp += 2;
            break;
          }
          case Op.I64_LOAD32_S_L: {
            ea = (i32[fp + code[pc + 0]!]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            { v = dv.getInt32(ea, true); i32[sp] = v; i32[sp + 1] = v >> 31; }
            pc += 2; sp += 2;
            break;
          }
          case Op.I64_LOAD32_S_A: {
            ea = ((i32[fp + code[pc + 0]!]! + code[pc + 1]!) >>> 0) + (code[pc + 2]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            { v = dv.getInt32(ea, true); i32[sp] = v; i32[sp + 1] = v >> 31; }
            pc += 3; sp += 2;
            break;
          }
          case Op.I32_STORE_LL: {
            ea = (i32[fp + code[pc + 0]!]! >>> 0) + (code[pc + 2]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            dv.setInt32(ea, i32[fp + code[pc + 1]!]!, true);
            pc += 3;
            break;
          }
          case Op.I32_STORE_LC: {
            ea = (i32[fp + code[pc + 0]!]! >>> 0) + (code[pc + 2]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            dv.setInt32(ea, code[pc + 1]!, true);
            pc += 3;
            break;
          }
          case Op.I32_STORE_SL: {
            sp -= 2;
            ea = (i32[sp]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            dv.setInt32(ea, i32[fp + code[pc + 0]!]!, true);
            pc += 2;
            break;
          }
          case Op.I32_STORE_SC: {
            sp -= 2;
            ea = (i32[sp]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            dv.setInt32(ea, code[pc + 0]!, true);
            pc += 2;
            break;
          }
          case Op.I32_STORE_AL: {
            ea = ((i32[fp + code[pc + 0]!]! + code[pc + 1]!) >>> 0) + (code[pc + 3]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            dv.setInt32(ea, i32[fp + code[pc + 2]!]!, true);
            pc += 4;
            break;
          }
          case Op.I32_STORE_AC: {
            ea = ((i32[fp + code[pc + 0]!]! + code[pc + 1]!) >>> 0) + (code[pc + 3]! >>> 0);
            if (ea + 4 > memLen) throw new Trap('out of bounds memory access');
            dv.setInt32(ea, code[pc + 2]!, true);
            pc += 4;
            break;
          }
          case Op.I32_STORE8_LL: {
            ea = (i32[fp + code[pc + 0]!]! >>> 0) + (code[pc + 2]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            u8[ea] = i32[fp + code[pc + 1]!]!;
            pc += 3;
            break;
          }
          case Op.I32_STORE8_LC: {
            ea = (i32[fp + code[pc + 0]!]! >>> 0) + (code[pc + 2]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            u8[ea] = code[pc + 1]!;
            pc += 3;
            break;
          }
          case Op.I32_STORE8_SL: {
            sp -= 2;
            ea = (i32[sp]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            u8[ea] = i32[fp + code[pc + 0]!]!;
            pc += 2;
            break;
          }
          case Op.I32_STORE8_SC: {
            sp -= 2;
            ea = (i32[sp]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            u8[ea] = code[pc + 0]!;
            pc += 2;
            break;
          }
          case Op.I32_STORE8_AL: {
            ea = ((i32[fp + code[pc + 0]!]! + code[pc + 1]!) >>> 0) + (code[pc + 3]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            u8[ea] = i32[fp + code[pc + 2]!]!;
            pc += 4;
            break;
          }
          case Op.I32_STORE8_AC: {
            ea = ((i32[fp + code[pc + 0]!]! + code[pc + 1]!) >>> 0) + (code[pc + 3]! >>> 0);
            if (ea >= memLen) throw new Trap('out of bounds memory access');
            u8[ea] = code[pc + 2]!;
            pc += 4;
            break;
          }
          case Op.I32_STORE16_LL: {
            ea = (i32[fp + code[pc + 0]!]! >>> 0) + (code[pc + 2]! >>> 0);
            if (ea + 2 > memLen) throw new Trap('out of bounds memory access');
            dv.setInt16(ea, i32[fp + code[pc + 1]!]!, true);
            pc += 3;
            break;
          }
          case Op.I32_STORE16_LC: {
            ea = (i32[fp + code[pc + 0]!]! >>> 0) + (code[pc + 2]! >>> 0);
            if (ea + 2 > memLen) throw new Trap('out of bounds memory access');
            dv.setInt16(ea, code[pc + 1]!, true);
            pc += 3;
            break;
          }
          case Op.I32_STORE16_SL: {
            sp -= 2;
            ea = (i32[sp]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea + 2 > memLen) throw new Trap('out of bounds memory access');
            dv.setInt16(ea, i32[fp + code[pc + 0]!]!, true);
            pc += 2;
            break;
          }
          case Op.I32_STORE16_SC: {
            sp -= 2;
            ea = (i32[sp]! >>> 0) + (code[pc + 1]! >>> 0);
            if (ea + 2 > memLen) throw new Trap('out of bounds memory access');
            dv.setInt16(ea, code[pc + 0]!, true);
            pc += 2;
            break;
          }
          case Op.I32_STORE16_AL: {
            ea = ((i32[fp + code[pc + 0]!]! + code[pc + 1]!) >>> 0) + (code[pc + 3]! >>> 0);
            if (ea + 2 > memLen) throw new Trap('out of bounds memory access');
            dv.setInt16(ea, i32[fp + code[pc + 2]!]!, true);
            pc += 4;
            break;
          }
          case Op.I32_STORE16_AC: {
            ea = ((i32[fp + code[pc + 0]!]! + code[pc + 1]!) >>> 0) + (code[pc + 3]! >>> 0);
            if (ea + 2 > memLen) throw new Trap('out of bounds memory access');
            dv.setInt16(ea, code[pc + 2]!, true);
            pc += 4;
            break;
          }
          case Op.I32_ADD_LL_SET_BRNZ: {
            v = (i32[fp + code[pc + 1]!]! + i32[fp + code[pc + 2]!]!) | 0;
            i32[fp + code[pc]!] = v;
            if (v !== 0) {
            t = code[pc + 3]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 4;
            break;
          }
          case Op.I32_ADD_LL_SET_BR_EQ: {
            v = (i32[fp + code[pc + 1]!]! + i32[fp + code[pc + 2]!]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v === code[pc + 3]!)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LL_SET_BR_NE: {
            v = (i32[fp + code[pc + 1]!]! + i32[fp + code[pc + 2]!]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v !== code[pc + 3]!)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LL_SET_BR_LT_S: {
            v = (i32[fp + code[pc + 1]!]! + i32[fp + code[pc + 2]!]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v < code[pc + 3]!)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LL_SET_BR_LT_U: {
            v = (i32[fp + code[pc + 1]!]! + i32[fp + code[pc + 2]!]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v >>> 0 < code[pc + 3]! >>> 0)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LL_SET_BR_GT_S: {
            v = (i32[fp + code[pc + 1]!]! + i32[fp + code[pc + 2]!]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v > code[pc + 3]!)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LL_SET_BR_GT_U: {
            v = (i32[fp + code[pc + 1]!]! + i32[fp + code[pc + 2]!]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v >>> 0 > code[pc + 3]! >>> 0)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LL_SET_BR_LE_S: {
            v = (i32[fp + code[pc + 1]!]! + i32[fp + code[pc + 2]!]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v <= code[pc + 3]!)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LL_SET_BR_LE_U: {
            v = (i32[fp + code[pc + 1]!]! + i32[fp + code[pc + 2]!]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v >>> 0 <= code[pc + 3]! >>> 0)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LL_SET_BR_GE_S: {
            v = (i32[fp + code[pc + 1]!]! + i32[fp + code[pc + 2]!]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v >= code[pc + 3]!)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LL_SET_BR_GE_U: {
            v = (i32[fp + code[pc + 1]!]! + i32[fp + code[pc + 2]!]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v >>> 0 >= code[pc + 3]! >>> 0)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LC_SET_BRNZ: {
            v = (i32[fp + code[pc + 1]!]! + code[pc + 2]!) | 0;
            i32[fp + code[pc]!] = v;
            if (v !== 0) {
            t = code[pc + 3]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 4;
            break;
          }
          case Op.I32_ADD_LC_SET_BR_EQ: {
            v = (i32[fp + code[pc + 1]!]! + code[pc + 2]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v === code[pc + 3]!)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LC_SET_BR_NE: {
            v = (i32[fp + code[pc + 1]!]! + code[pc + 2]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v !== code[pc + 3]!)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LC_SET_BR_LT_S: {
            v = (i32[fp + code[pc + 1]!]! + code[pc + 2]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v < code[pc + 3]!)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LC_SET_BR_LT_U: {
            v = (i32[fp + code[pc + 1]!]! + code[pc + 2]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v >>> 0 < code[pc + 3]! >>> 0)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LC_SET_BR_GT_S: {
            v = (i32[fp + code[pc + 1]!]! + code[pc + 2]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v > code[pc + 3]!)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LC_SET_BR_GT_U: {
            v = (i32[fp + code[pc + 1]!]! + code[pc + 2]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v >>> 0 > code[pc + 3]! >>> 0)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LC_SET_BR_LE_S: {
            v = (i32[fp + code[pc + 1]!]! + code[pc + 2]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v <= code[pc + 3]!)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LC_SET_BR_LE_U: {
            v = (i32[fp + code[pc + 1]!]! + code[pc + 2]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v >>> 0 <= code[pc + 3]! >>> 0)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LC_SET_BR_GE_S: {
            v = (i32[fp + code[pc + 1]!]! + code[pc + 2]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v >= code[pc + 3]!)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_ADD_LC_SET_BR_GE_U: {
            v = (i32[fp + code[pc + 1]!]! + code[pc + 2]!) | 0;
            i32[fp + code[pc]!] = v;
            if ((v >>> 0 >= code[pc + 3]! >>> 0)) {
            t = code[pc + 4]!;
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += 5;
            break;
          }
          case Op.I32_EQ_LC_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! === code[pc + 2]! ? 1 : 0; pc += 3; break;
          case Op.I32_NE_LC_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! !== code[pc + 2]! ? 1 : 0; pc += 3; break;
          case Op.I32_LT_S_LC_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! < code[pc + 2]! ? 1 : 0; pc += 3; break;
          case Op.I32_LT_U_LC_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! >>> 0 < code[pc + 2]! >>> 0 ? 1 : 0; pc += 3; break;
          case Op.I32_GT_S_LC_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! > code[pc + 2]! ? 1 : 0; pc += 3; break;
          case Op.I32_GT_U_LC_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! >>> 0 > code[pc + 2]! >>> 0 ? 1 : 0; pc += 3; break;
          case Op.I32_LE_S_LC_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! <= code[pc + 2]! ? 1 : 0; pc += 3; break;
          case Op.I32_LE_U_LC_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! >>> 0 <= code[pc + 2]! >>> 0 ? 1 : 0; pc += 3; break;
          case Op.I32_GE_S_LC_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! >= code[pc + 2]! ? 1 : 0; pc += 3; break;
          case Op.I32_GE_U_LC_SET: i32[fp + code[pc]!] = i32[fp + code[pc + 1]!]! >>> 0 >= code[pc + 2]! >>> 0 ? 1 : 0; pc += 3; break;
          case Op.F64_ADD_LL: f64[sp >> 1] = f64[(fp + code[pc + 0]!) >> 1]! + f64[(fp + code[pc + 1]!) >> 1]!; pc += 2; sp += 2; break;
          case Op.F64_ADD_SL: f64[(sp - 2) >> 1] = f64[(sp - 2) >> 1]! + f64[(fp + code[pc + 0]!) >> 1]!; pc++; break;
          case Op.F64_SUB_LL: f64[sp >> 1] = f64[(fp + code[pc + 0]!) >> 1]! - f64[(fp + code[pc + 1]!) >> 1]!; pc += 2; sp += 2; break;
          case Op.F64_SUB_SL: f64[(sp - 2) >> 1] = f64[(sp - 2) >> 1]! - f64[(fp + code[pc + 0]!) >> 1]!; pc++; break;
          case Op.F64_MUL_LL: f64[sp >> 1] = f64[(fp + code[pc + 0]!) >> 1]! * f64[(fp + code[pc + 1]!) >> 1]!; pc += 2; sp += 2; break;
          case Op.F64_MUL_SL: f64[(sp - 2) >> 1] = f64[(sp - 2) >> 1]! * f64[(fp + code[pc + 0]!) >> 1]!; pc++; break;
          case Op.F64_DIV_LL: f64[sp >> 1] = f64[(fp + code[pc + 0]!) >> 1]! / f64[(fp + code[pc + 1]!) >> 1]!; pc += 2; sp += 2; break;
          case Op.F64_DIV_SL: f64[(sp - 2) >> 1] = f64[(sp - 2) >> 1]! / f64[(fp + code[pc + 0]!) >> 1]!; pc++; break;
          // </generated by gen-fused.mjs>
          case Op.EH: case Op.THROW_PENDING: {
            // Throwing is out of line (exceptions.ts, throwAt): find the handler, unwind to it, reload.
            this.pc = pc; this.sp = sp; this.fp = fp; this.depth = depth; this.func = func;
            const thrown = this.throwAt(op === Op.EH ? pc - 1 : callStart, op === Op.EH ? code[pc]! : -1);
            if (thrown !== null) return thrown;
            pc = this.pc; sp = this.sp; fp = this.fp; depth = this.depth; func = this.func;
            cf = func.compiled!;
            code = cf.code;
            inst = func.instance!;
            mem = inst.memories[0] ?? NO_MEMORY;
            dv = mem.dv;
            u8 = mem.u8;
            memLen = u8.length;
            break;
          }
          case Op.ADDR64:
            // An i64 address on memory 0: at or past 2^32 it is beyond any memory (at most 4 GiB).
            if (i32[sp - code[pc++]! + 1] !== 0) throw new Trap('out of bounds memory access');
            break;
          case Op.MEM_EXT:
            sp = execMemExt(code, pc, sp, i32, inst);
            pc += MEM_EXT_WIDTH[code[pc]!]!;
            // memory 0 may be the same instance as the one just grown (a memory imported twice)
            dv = mem.dv;
            u8 = mem.u8;
            memLen = u8.length;
            break;
          case Op.SIMD:
            sp = execSimd(code, pc, sp, i32, mem, inst.globals);
            pc += SIMD_WIDTH[code[pc]!]!;
            break;
          case Op.GC:
            sp = execGc(code, pc, sp, i32, inst);
            pc += GC_WIDTH[code[pc]!]!;
            break;
          case Op.ATOMIC: {
            r = execAtomic(code, pc, sp, i32, inst, this.threads);
            if (r === ATOMIC_BLOCKED) {
              // Parked in memory.atomic.wait: stay at the wait until the scheduler calls finishWait.
              this.pc = pc - 1; this.sp = sp; this.fp = fp; this.depth = depth; this.func = func;
              return { reason: 'blocked' };
            }
            sp = r;
            pc += ATOMIC_WIDTH;
            break;
          }
          default: {
            // everything not handled above: references, tables, bulk memory and memory.size/grow
            // (execRare, which reads its immediates), and cold numerics (an unknown opcode is an
            // internal error there)
            imms = RARE_IMMS[op]!;
            if (imms === NOT_RARE) sp = execCold(op, sp, i32, f32, f64);
            else {
              sp = execRare(op, code, pc, sp, i32, inst, mem);
              pc += imms;
              // memory.grow replaces the buffer
              dv = mem.dv;
              u8 = mem.u8;
              memLen = u8.length;
            }
            break;
          }
        }
        op = code[pc++]!;
      }
      this.pc = pc; this.sp = sp; this.fp = fp; this.depth = depth; this.func = func;
      return { reason: 'budget' };
    } catch (e) {
      this.pc = pc - 1; this.sp = sp; this.fp = fp; this.depth = depth; this.func = func;
      let trap: Trap;
      if (e instanceof Trap) trap = e;
      // No regex here: at the brink of a JS stack overflow (host functions re-entering Wasm) compiling
      // one threw "SyntaxError: Invalid regular expression: Stack overflow" instead of trapping.
      else if (e instanceof RangeError && e.message.includes('call stack')) trap = new Exhaustion();
      else {
        this.status = 'aborted';
        throw e;
      }
      this.status = 'trapped';
      this.annotate(trap);
      return { reason: 'trap', trap };
    } finally {
      this.fuelLeft = fuel;
    }
  }

  /**
   * Raises an exception at code index `at` of the current frame: `sub` is the EhOp of an Op.EH there,
   * or -1 for the package a host function threw (THROW_PENDING). Searches the handler tables of this
   * frame and its callers first, so an uncaught exception leaves the machine at the throw; when a
   * handler catches it, unwinds to that frame and continues at the catch (returns null).
   */
  private throwAt(at: number, sub: number): RunResult | null {
    let pkg: ExceptionPackage;
    if (sub < 0) {
      pkg = this.pending!;
      this.pending = null;
    } else pkg = this.packageAt(at, sub);
    const found = this.handlerFor(pkg, at);
    if (found === undefined) {
      this.pc = at;
      this.status = 'trapped';
      return { reason: 'exception', exception: this.uncaught(pkg) };
    }
    const { d, fn, clause } = found;
    const fc = fn.compiled!;
    const fp = d === this.depth ? this.fp : this.fFp[d]!;
    let sp = fp + fc.localsWords + clause.base;
    if (clause.tag >= 0) {
      this.i32.set(pkg.words, sp);
      sp += pkg.words.length;
    }
    if (clause.ref) {
      this.i32[sp] = this.storeOf(fn).handle(pkg);
      this.i32[sp + 1] = 0;
      sp += 2;
    }
    if (clause.slot >= 0) (this.caught[d] ??= [])[clause.slot] = pkg;
    this.depth = d;
    this.func = fn;
    this.fp = fp;
    this.sp = sp;
    this.pc = clause.target;
    return null;
  }

  /** The package the throw, throw_ref or rethrow (EhOp `sub`) at code index `at` raises. */
  private packageAt(at: number, sub: number): ExceptionPackage {
    const f = this.func!;
    const c = f.compiled!;
    if (sub === EhOp.Throw) {
      const tag = f.instance!.tags[c.code[at + 2]!]!;
      return new ExceptionPackage(tag, this.i32.slice(this.sp - tag.words, this.sp), this.storeOf(f));
    }
    if (sub === EhOp.ThrowRef) {
      const h = this.i32[this.sp - 2]!;
      if (h === 0) throw new Trap('null exception reference');
      return this.storeOf(f).value(h) as ExceptionPackage;
    }
    const p = this.caught[this.depth]?.[c.code[at + 2]!];
    if (p === undefined) throw new Error('internal error: rethrow without a caught exception');
    return p;
  }

  /** The innermost handler (frame depth, function, clause) that catches `pkg` thrown at code index `at`. */
  private handlerFor(pkg: ExceptionPackage, at: number): { d: number; fn: FuncInstance; clause: NonNullable<ReturnType<typeof findCatch>> } | undefined {
    let d = this.depth;
    let fn = this.func!;
    let pos = at;
    for (;;) {
      const fc = fn.compiled!;
      const clause = fc.handlers.length === 0 ? undefined : findCatch(fc.handlers, fn.instance!.tags, pkg.tag, pos);
      if (clause !== undefined) return { d, fn, clause };
      if (d === 0) return undefined;
      d--;
      fn = this.fFunc[d]!;
      pos = this.fPc[d]! - 1;
    }
  }

  /** For a debugger stopped before a throw, throw_ref or rethrow: what it throws and whether a
   * handler in the stack catches it (nothing changes); undefined elsewhere, or for a null exnref. */
  peekThrow(): { exception: ExceptionPackage; caught: boolean } | undefined {
    const f = this.func;
    if (f === null || f.compiled === undefined || this.status !== 'ready') return undefined;
    const c = f.compiled;
    const at = this.pc;
    const op = c.code[at] === Op.BREAK ? c.patched.get(at)?.op : c.code[at];
    if (op !== Op.EH) return undefined;
    const sub = c.code[at + 1]!;
    if (sub === EhOp.ThrowRef && this.i32[this.sp - 2] === 0) return undefined;
    const exception = this.packageAt(at, sub);
    return { exception, caught: this.handlerFor(exception, at) !== undefined };
  }

  /** The WasmException for a package no handler caught, with the backtrace of the throw. */
  private uncaught(pkg: ExceptionPackage): WasmException {
    const payload: Value[] = [];
    let w = 0;
    for (const t of pkg.tag.type.params) {
      payload.push(readWords(t, pkg.words, w, pkg.store));
      w += slotWords(t);
    }
    const name = pkg.tag.name ?? tagIndexName(this.func, pkg.tag);
    const e = new WasmException(pkg.tag, payload, `tag ${name}${payload.length > 0 ? ` ${payloadText(payload)}` : ''}`);
    if (this.func?.compiled !== undefined) {
      e.frames = this.frames().map((fr) => {
        const t: TrapFrame = { funcIndex: fr.funcIndex, offset: fr.offset };
        if (fr.name !== undefined) t.name = fr.name;
        return t;
      });
      if (e.frames[0] !== undefined) {
        e.funcIndex = e.frames[0].funcIndex;
        e.offset = e.frames[0].offset;
      }
    }
    return e;
  }

  private annotate(trap: Trap): void {
    const frames: TrapFrame[] = this.frames().map((fr) => {
      const t: TrapFrame = { funcIndex: fr.funcIndex, offset: fr.offset };
      if (fr.name !== undefined) t.name = fr.name;
      return t;
    });
    if (trap.funcIndex === undefined && frames[0] !== undefined) {
      trap.funcIndex = frames[0].funcIndex;
      trap.offset = frames[0].offset;
    }
    if (trap.frames.length === 0) trap.frames = frames;
  }
}

/** Code index where the instruction containing code index `pc` starts. */
function instructionStart(c: CompiledFunc, pc: number): number {
  return c.pcs[instrIndexAt(c, pc)] ?? 0;
}

/** Byte offset of the instruction containing code index `pc`. */
/** Index of the function's first instruction at or after module offset `byteOffset`, or -1.
 * A binary search: offsets ascend, and arming every instruction of a large function must not be quadratic. */
export function instrAtOrAfter(c: Pick<CodeForm, 'offsets' | 'offsetBase'>, byteOffset: number): number {
  const offs = c.offsets;
  const target = byteOffset - c.offsetBase;
  let lo = 0;
  let hi = offs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offs[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo < offs.length ? lo : -1;
}

export function offsetAt(c: Pick<CodeForm, 'pcs' | 'offsets' | 'offsetBase'>, pc: number): number {
  const pcs = c.pcs;
  let lo = 0;
  let hi = pcs.length - 1;
  if (hi < 0) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pcs[mid]! <= pc) lo = mid;
    else hi = mid - 1;
  }
  return c.offsetBase + c.offsets[lo]!;
}

/** Operand types just before the instruction at `offset` (recomputed by re-validating the body). */
function operandTypesAt(f: FuncInstance, offset: number): StackType[] {
  const inst = f.instance!;
  let found: StackType[] | null = null;
  const stopAt: CodeSink = {
    instr(ir, v: FunctionValidator) {
      if (ir.start === offset && found === null) {
        found = v.vals.slice();
        throw STOP;
      }
    },
  };
  try {
    validateFunctionBody(inst.compiled.ctx, f.index, stopAt);
  } catch (e) {
    if (e !== STOP) throw e;
  }
  return found ?? [];
}
const STOP = Symbol('stop');

function toJS(t: ValType, i32: Int32Array, f32: Float32Array, f64: Float64Array, w: number, store: Store): unknown {
  switch (t) {
    case ValType.i32: return i32[w];
    case ValType.i64: return (BigInt(i32[w + 1]!) << 32n) | BigInt(i32[w]! >>> 0);
    case ValType.f32: return f32[w];
    case ValType.f64: return f64[w >> 1];
    case ValType.v128: return readWords(t, i32, w, store);
    default: return store.value(i32[w]!);
  }
}

function fromJS(t: ValType, i32: Int32Array, f32: Float32Array, f64: Float64Array, w: number, x: unknown, store: Store): void {
  switch (t) {
    case ValType.i32: i32[w] = Number(x) | 0; break;
    case ValType.i64: {
      const b = BigInt.asIntN(64, BigInt(x as bigint));
      i32[w] = Number(BigInt.asIntN(32, b));
      i32[w + 1] = Number(b >> 32n);
      break;
    }
    case ValType.f32: f32[w] = Number(x); break;
    case ValType.f64: f64[w >> 1] = Number(x); break;
    case ValType.v128: writeWords(t, i32, w, x as Value, store); break;
    default: i32[w] = store.handle(x ?? null); break;
  }
}
