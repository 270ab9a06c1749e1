// A wasi-threads program as one DebugTarget: the scheduler (core/wasi/threads.ts) runs every
// thread; a stop in any thread stops them all (all-stop) and selects it; inspection goes to the
// selected thread's machine. A step arms the selected thread's machine and lets the scheduler run
// on, so the other threads take their turns as they would without the debugger: the interleaving
// never depends on where the program was stopped. That makes time travel exact by replay: going
// back rebuilds the program and runs it from the start (host calls answered from the log) to the
// moment wanted, and the same future follows.
import type { Module } from '../core/binary';
import {
  captureHostCall, offsetAt, replayHostCall, siteSet, type CompiledFunc, type HostEntry, type HostFunction, type HostWrites, type Instance,
  type MemoryInstance, type Tracer,
} from '../core/interp';
import { WasiExit, type ProgramResult, type ThreadScheduler, type WasmThread } from '../core/wasi';
import type { DebugTarget, GlobalView, HitView, LocalView, StepResult, TableView, ThreadView, TimeTravel, Value } from './engine';
import { MachineTarget, exceptionResult } from './machine-target';

/** The program's host calls in the order the threads made them, answered again in a replay. */
export class HostLog {
  private readonly entries: HostEntry[] = [];
  /** Index of the next call. */
  cursor = 0;

  constructor(private readonly memory: () => MemoryInstance | undefined) {}

  /** In recorded time: calls are answered from the log. */
  get replaying(): boolean {
    return this.cursor < this.entries.length;
  }

  /** `fn` logged: live calls are captured (WOULD_BLOCK answers too: they shape the interleaving). */
  wrap(fn: HostFunction, writes?: HostWrites): HostFunction {
    const call = fn as (...a: unknown[]) => unknown;
    return ((...args: unknown[]): unknown => {
      const logged = this.entries[this.cursor];
      if (logged !== undefined) {
        this.cursor++;
        return replayHostCall(logged, this.memory());
      }
      const entry = captureHostCall(call, args, this.memory(), writes);
      this.entries.push(entry);
      this.cursor++;
      if (entry.threw) throw entry.threw.error;
      return entry.result;
    }) as HostFunction;
  }
}

/** How the launch makes the program again for a replay: a fresh scheduler whose main thread is at its entry. */
export interface Rebuild {
  build(): ThreadScheduler;
  /** Points the WASI host at this scheduler's shared memory. */
  bind(s: ThreadScheduler): void;
  log: HostLog;
}

/** A moment of a threaded program: where one thread's machine is (ticks, depth, function, code index). */
interface ThreadPoint {
  thread: number;
  ticks: number;
  depth: number;
  funcIndex: number;
  pc: number;
}

/** Fuel beyond the program's own for a replay to reach its point (a replay that does not has diverged). */
const REPLAY_SLACK = 1_000_000;

export class ThreadedTarget implements DebugTarget {
  private selected: WasmThread;
  private views = new Map<WasmThread, MachineTarget>();
  /** Breakpoints the runtime set, applied to every thread's machine (new threads too). */
  private readonly bps: [number, number][] = [];
  /** The thread whose step is armed, until it completes or another thread stops first. */
  private stepper: WasmThread | undefined;
  private readonly travel: ThreadsHistory | undefined;
  /** The program was changed by hand (a variable, memory): a replay would not reach this state. */
  private edited = false;

  constructor(private scheduler: ThreadScheduler, private readonly module: Module, rebuild?: Rebuild) {
    this.selected = scheduler.threads[0]!;
    this.hook(scheduler);
    this.travel = rebuild ? new ThreadsHistory(this, rebuild) : undefined;
  }

  get history(): TimeTravel | undefined {
    return this.edited ? undefined : this.travel;
  }

  private hook(s: ThreadScheduler): void {
    s.onSpawn = (t) => {
      for (const [f, o] of this.bps) t.machine.setBreakpoint(f, o, t.instance);
    };
    s.onTurn = (t, reason) => {
      // The stepping thread returned from wasi_thread_start: the step ends (in main).
      if (t === this.stepper && reason === 'finished' && t.id !== 0) s.requestStop();
    };
  }

  /** Takes over a scheduler a replay made (time travel): its threads, with the breakpoints set. */
  adopt(s: ThreadScheduler, select: number): void {
    this.scheduler = s;
    this.views = new Map();
    this.stepper = undefined;
    this.hook(s);
    for (const t of s.threads) for (const [f, o] of this.bps) t.machine.setBreakpoint(f, o, t.instance);
    this.selected = s.threads.find((t) => t.id === select && t.state !== 'finished') ?? s.threads[0]!;
  }

  get current(): ThreadScheduler {
    return this.scheduler;
  }

  get selectedWasmThread(): WasmThread {
    return this.selected;
  }

  private view(t: WasmThread = this.selected): MachineTarget {
    let v = this.views.get(t);
    if (v === undefined) this.views.set(t, (v = new MachineTarget(t.machine, t.instance as Instance, this.module)));
    return v;
  }

  private live(): WasmThread[] {
    return this.scheduler.threads.filter((t) => t.state !== 'finished');
  }

  /** The whole program's outcome as the runtime's StepResult; a stopping thread becomes the selected one. */
  private program(f: () => ProgramResult): StepResult {
    let r: ProgramResult;
    try {
      r = f();
    } catch (err) {
      if (err instanceof WasiExit) return { reason: 'exit', code: err.code };
      throw err;
    }
    if (r.reason !== 'budget' && r.reason !== 'blocked') {
      // Another thread stopped first (or the program ended): the armed step is dropped.
      if (this.stepper !== undefined && !(r.reason === 'step' && r.thread === this.stepper)) this.stepper.machine.cancelStep();
      this.stepper = undefined;
    }
    switch (r.reason) {
      case 'finished': return { reason: 'finished', results: r.results };
      case 'trap':
        this.selected = r.thread;
        return { reason: 'trap', message: r.thread.id === 0 ? r.trap.message : `${r.trap.message} (in ${r.thread.name})`, funcIndex: r.trap.funcIndex, offset: r.trap.offset };
      case 'exception':
        this.selected = r.thread;
        return exceptionResult(r.exception, r.thread.id === 0 ? r.exception.message : `${r.exception.message} (in ${r.thread.name})`);
      case 'deadlock': return { reason: 'trap', message: r.message };
      case 'breakpoint': case 'step':
        this.selected = r.thread;
        return { reason: r.reason };
      case 'blocked': return { reason: 'blocked' };
      case 'budget': return { reason: 'budget' };
    }
  }

  /** A step of the selected thread: armed on its machine, carried out in its turns. Parked in
   * memory.atomic.wait (or finished), it cannot move: the others run until something stops. */
  private step(budget: number, kind: 'in' | 'over' | 'out'): StepResult {
    const t = this.selected;
    if (t.state === 'runnable' || t.state === 'io') {
      this.stepper?.machine.cancelStep();
      t.machine.armStep(kind);
      this.stepper = t;
    }
    return this.program(() => this.scheduler.run(budget));
  }

  run(budget: number): StepResult {
    return this.program(() => this.scheduler.run(budget));
  }

  stepInstruction(budget: number): StepResult {
    return this.step(budget, 'in');
  }

  stepOver(budget: number): StepResult {
    return this.step(budget, 'over');
  }

  stepOut(budget: number): StepResult {
    return this.step(budget, 'out');
  }

  setBreakpoint(funcIndex: number, offset: number, temporary = false): number | undefined {
    // A line step's waypoint stops the stepping thread only: the others pass it in their turns.
    if (temporary) return this.selected.machine.setBreakpoint(funcIndex, offset, this.selected.instance);
    let bound: number | undefined;
    for (const t of this.scheduler.threads) {
      const b = t.machine.setBreakpoint(funcIndex, offset, t.instance);
      bound ??= b;
    }
    if (bound !== undefined && !this.bps.some(([f, o]) => f === funcIndex && o === bound)) this.bps.push([funcIndex, bound]);
    return bound;
  }

  clearBreakpoint(funcIndex: number, offset: number): void {
    for (const t of this.scheduler.threads) t.machine.clearBreakpoint(funcIndex, offset, t.instance);
    const i = this.bps.findIndex(([f, o]) => f === funcIndex && o === offset);
    if (i >= 0) this.bps.splice(i, 1);
  }

  threads(): ThreadView[] {
    return this.live().map((t) => ({ id: t.id, name: t.name }));
  }

  selectedThread(): number {
    return this.selected.id;
  }

  selectThread(id: number): void {
    const t = this.live().find((x) => x.id === id);
    if (t !== undefined) this.selected = t;
  }

  frames() { return this.view().frames(); }
  depth(): number { return this.view().depth(); }
  locals(frame: number): LocalView[] { return this.view().locals(frame); }
  operandStack(frame: number): Value[] { return this.view().operandStack(frame); }
  setLocal(frame: number, index: number, value: Value): void { this.edited = true; this.view().setLocal(frame, index, value); }
  setStackValue(frame: number, index: number, value: Value): void { this.edited = true; this.view().setStackValue(frame, index, value); }
  /** Globals are per instance, so per thread (the stack pointer differs); memory is one. */
  globals(): GlobalView[] { return this.view().globals(); }
  setGlobal(index: number, value: Value): void { this.edited = true; this.view().setGlobal(index, value); }
  memory(index: number): Uint8Array | undefined { return this.view().memory(index); }
  memoryCount(): number { return this.view().memoryCount(); }
  memoryIndex(name: string): number | undefined { return this.view().memoryIndex?.(name); }
  tables(): TableView[] { return this.view().tables(); }
  memoryChanged(): void { this.edited = true; }
}

/** Time travel over a threaded program by replay from its start (see the file comment). */
class ThreadsHistory implements TimeTravel {
  readonly truncatedStart = false;

  constructor(private readonly target: ThreadedTarget, private readonly rebuild: Rebuild) {}

  get replaying(): boolean {
    return this.rebuild.log.replaying;
  }

  now(): ThreadPoint | undefined {
    const t = this.target.selectedWasmThread;
    const p = t.machine.position();
    return p === undefined ? undefined : { thread: t.id, ticks: p.ticks, depth: p.depth, funcIndex: p.func.index, pc: p.pc };
  }

  samePlace(a: unknown, b: unknown): boolean {
    const p = a as ThreadPoint | undefined;
    const q = b as ThreadPoint | undefined;
    return p !== undefined && q !== undefined && p.thread === q.thread && p.ticks === q.ticks && p.depth === q.depth && p.funcIndex === q.funcIndex && p.pc === q.pc;
  }

  *hitsBefore(sites: { funcIndex: number; offsets?: readonly number[] }[], maxDepth?: number): Generator<HitView> {
    const here = this.now();
    if (here === undefined) return;
    const hits: HitView[] = [];
    // A look back leaves the program where it is: the log's place and the host's memory come back.
    const cursor = this.rebuild.log.cursor;
    try {
      this.replayTo(here, { sites, maxDepth: maxDepth === undefined ? Infinity : maxDepth - 1, hits });
    } finally {
      this.rebuild.log.cursor = cursor;
      this.rebuild.bind(this.target.current);
    }
    for (let i = hits.length - 1; i >= 0; i--) yield hits[i]!;
  }

  goTo(hit: HitView): void {
    const p = hit.point as ThreadPoint;
    this.target.adopt(this.replayTo(p), p.thread);
  }

  goToStart(): void {
    this.rebuild.log.cursor = 0;
    const s = this.rebuild.build();
    this.target.adopt(s, 0);
  }

  /**
   * Builds the program anew and runs it from the start until thread `to.thread` is at `to`,
   * collecting that thread's passes of `look.sites` on the way (depth ≤ maxDepth). The scheduler
   * returned is the program at that moment.
   */
  private replayTo(to: ThreadPoint, look?: { sites: { funcIndex: number; offsets?: readonly number[] }[]; maxDepth: number; hits: HitView[] }): ThreadScheduler {
    this.rebuild.log.cursor = 0;
    const s = this.rebuild.build();
    let arrived = false;
    const removers: (() => void)[] = [];
    const arm = (t: WasmThread): void => {
      if (t.id !== to.thread) return;
      const inst = t.instance as Instance;
      const target = inst.funcs[to.funcIndex]?.compiled;
      const lookSet = look ? siteSet(inst, look.sites) : new Map<CompiledFunc, Set<number>>();
      const funcOf = new Map<CompiledFunc, number>();
      for (const c of lookSet.keys()) funcOf.set(c, inst.funcs.findIndex((f) => f.compiled === c));
      const patches: [CompiledFunc, number][] = [...lookSet].flatMap(([c, pcs]) => [...pcs].map((pc): [CompiledFunc, number] => [c, pc]));
      if (target !== undefined) patches.push([target, to.pc]);
      const tracer: Tracer = {
        hit: (c, pc, depth, ticks) => {
          if (c === target && pc === to.pc && depth === to.depth && ticks === to.ticks) {
            arrived = true;
            return true;
          }
          if (look && depth <= look.maxDepth && lookSet.get(c)?.has(pc)) {
            const funcIndex = funcOf.get(c)!;
            look.hits.push({ funcIndex, offset: offsetAt(c, pc), depth: depth + 1, ticks, point: { thread: t.id, ticks, depth, funcIndex, pc } });
          }
          return false;
        },
      };
      removers.push(t.machine.pushTracer(tracer, patches));
    };
    for (const t of s.threads) arm(t);
    s.onSpawn = arm;
    const fuel = this.target.current.threads.reduce((n, t) => n + t.machine.ticks, 0) + REPLAY_SLACK;
    try {
      for (;;) {
        const r = s.run(fuel);
        if (arrived && r.reason === 'step') break;
        // Every thread waited on input here before: the log answers the retries, then the input.
        if (r.reason === 'blocked' && this.rebuild.log.replaying) continue;
        throw new Error(`time travel: the replay did not reach the moment (${r.reason}): it diverged`);
      }
    } catch (err) {
      if (err instanceof WasiExit) throw new Error('time travel: the replay ended the program before reaching the moment (it diverged)');
      throw err;
    } finally {
      for (const remove of removers) remove();
      s.onSpawn = undefined;
    }
    return s;
  }
}
