// wasi-threads on our single JavaScript thread: `wasi` `thread-spawn` makes a new instance of the
// same module over the same shared memory and runs its `wasi_thread_start(tid, start_arg)` as a
// thread of a deterministic scheduler. Each turn runs one thread for a quantum of fuel (calls and
// loop iterations), round robin; a seed makes turn lengths and the next thread pseudo-random, so
// a race can be replayed exactly. memory.atomic.wait parks only the waiting thread. Timeouts run on
// a virtual clock: it advances with the fuel spent, and jumps to the first deadline when no thread
// can run, so a run never sleeps and never depends on the host's speed.
import { LinkError, Trap, WasmException, type TrapFrame } from '../errors';
import type { Module } from '../binary/module';
import {
  Machine, MemoryInstance, instantiate, type CompiledModule, type EngineOptions, type Imports, type Instance,
  type RunResult, type ThreadHooks, type Value,
} from '../interp';

export interface SchedulerOptions {
  /** Fuel per turn (default 1000). */
  quantum?: number;
  /** When set: each turn's length (1..quantum) and the next thread come from this seed. */
  seed?: number;
  /** Virtual nanoseconds one unit of fuel takes (default 1000), for wait timeouts. */
  nsPerFuel?: number;
  /** At most this many threads alive at once besides main (default 1024); more spawns fail. */
  maxThreads?: number;
  engine?: EngineOptions;
}

export type ThreadState = 'runnable' | 'waiting' | 'io' | 'finished';

/** One Wasm thread: its instance (own globals and tables, shared memory) and its machine. */
export class WasmThread {
  state: ThreadState = 'runnable';
  /** While waiting: where, the virtual deadline (Infinity: none), and the order it started waiting. */
  waitAt: { memory: MemoryInstance; address: number; deadline: number; seq: number } | undefined;
  /** It has run at least once (before that, a breakpoint on its first instruction still stops it). */
  started = false;
  constructor(readonly id: number, readonly name: string, readonly machine: Machine, readonly instance: Instance) {}
}

export type ProgramResult =
  /** The main thread returned: the program is over, whatever the other threads were doing. */
  | { reason: 'finished'; results: Value[] }
  | { reason: 'trap'; trap: Trap; thread: WasmThread }
  | { reason: 'exception'; exception: WasmException; thread: WasmThread }
  /** Every thread waits in memory.atomic.wait without a timeout. */
  | { reason: 'deadlock'; message: string }
  /** Every live thread waits on input or a WASI clock: call run again when that may have changed. */
  | { reason: 'blocked' }
  /** The budget given to run is spent. */
  | { reason: 'budget' }
  /** A thread hit a breakpoint or finished a step; the others stay where they are (all-stop). */
  | { reason: 'breakpoint' | 'step'; thread: WasmThread };

/** The errno thread-spawn returns (negated) when no more threads can be made. */
const EAGAIN = 6;

/** mulberry32: a small PRNG whose whole state is one u32, so a seed replays exactly. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Does the module use wasi-threads: import thread-spawn or a shared memory? */
export function usesWasiThreads(m: Module): boolean {
  return m.imports.some((i) => (i.module === 'wasi' && i.name === 'thread-spawn')
    || (i.desc.kind === 'memory' && i.desc.type.limits.shared === true));
}

/**
 * The scheduler and the host side of wasi-threads for one program. `imports` are the program's
 * (WASI preview1); the scheduler adds `wasi.thread-spawn` and, for a memory import, the one shared
 * memory every instance gets (wasi-threads: the host creates it from the import's limits).
 */
export class ThreadScheduler implements ThreadHooks {
  readonly threads: WasmThread[] = [];
  readonly imports: Imports;
  /** The shared memory the host made for the module's memory import, if it has one. */
  readonly memory: MemoryInstance | undefined;
  /** Virtual time in nanoseconds. */
  now = 0;
  /** Called with each new thread before it runs (the debugger sets its breakpoints there). */
  onSpawn: ((t: WasmThread) => void) | undefined;
  /** Called after every turn (or debugger step) with the thread that ran and how it stopped: the
   * interleaving, for a recorder (time travel) to replay or to step back through exactly. */
  onTurn: ((t: WasmThread, reason: RunResult['reason']) => void) | undefined;
  private current: WasmThread | undefined;
  /** The turn under way and the fuel it has left: a turn cut short by a stop (breakpoint, step,
   * the caller's budget) goes on at the next run, so the interleaving never depends on where or
   * how often a debugger stops the program, and a replay from the start meets the same one. */
  private turnThread: WasmThread | undefined;
  private turnLeft = 0;
  private stopRequested = false;
  private nextId = 1;
  private turn = -1;
  private waitSeq = 0;
  private readonly quantum: number;
  private readonly nsPerFuel: number;
  private readonly maxThreads: number;
  private readonly random: (() => number) | undefined;

  constructor(readonly compiled: CompiledModule, imports: Imports, private readonly options: SchedulerOptions = {}) {
    this.quantum = Math.max(1, Math.floor(options.quantum ?? 1000));
    this.nsPerFuel = options.nsPerFuel ?? 1000;
    this.maxThreads = options.maxThreads ?? 1024;
    this.random = options.seed === undefined ? undefined : prng(options.seed);
    // Every thread is a new instance: a memory the module defines itself would be a new one each time.
    if (compiled.module.memories.length > 0 && compiled.module.imports.some((i) => i.module === 'wasi' && i.name === 'thread-spawn')) {
      throw new LinkError('wasi-threads needs the module to import its shared memory (it defines its own, which each thread would get anew)', 'wasi', 'thread-spawn');
    }
    const all: Imports = { ...imports, wasi: { ...imports.wasi, 'thread-spawn': (startArg: number) => this.spawn(startArg) } };
    for (const imp of compiled.module.imports) {
      if (imp.desc.kind !== 'memory' || all[imp.module]?.[imp.name] !== undefined) continue;
      const l = imp.desc.type.limits;
      const mem = new MemoryInstance(l.min, l.max);
      if (l.i64) mem.i64 = true;
      if (l.shared) mem.shared = true;
      all[imp.module] = { ...all[imp.module], [imp.name]: mem };
      this.memory = mem;
    }
    this.imports = all;
  }

  /** Instantiates the module as the main thread and starts `entry` there. */
  startMain(entry: string, args: Value[]): WasmThread {
    const instance = instantiate(this.compiled, this.imports, this.options.engine);
    return this.addMain(instance, entry, args);
  }

  /** Starts `entry` of an instance already made from `this.imports` as the main thread. */
  addMain(instance: Instance, entry: string, args: Value[]): WasmThread {
    const m = new Machine(this.options.engine);
    m.threads = this;
    m.start(instance, entry, args);
    const t = new WasmThread(0, 'main', m, instance);
    // A breakpoint on main's first instruction is its starter's to check (the debugger does at start).
    t.started = true;
    this.threads.unshift(t);
    return t;
  }

  /** `wasi` `thread-spawn`: a new instance sharing the memory, running wasi_thread_start(tid, arg).
   * Returns the new thread's id (> 0), or a negated errno when it cannot be made. */
  spawn(startArg: number): number {
    if (this.threads.filter((t) => t.state !== 'finished').length > this.maxThreads) return -EAGAIN;
    let instance: Instance;
    try {
      instance = instantiate(this.compiled, this.imports, this.options.engine);
    } catch (e) {
      if (e instanceof Trap) return -EAGAIN;
      throw e;
    }
    const start = instance.exports.wasi_thread_start;
    if (start?.kind !== 'func') throw new Trap('thread-spawn: the module exports no wasi_thread_start function');
    const tid = this.nextId++;
    const m = new Machine(this.options.engine);
    m.threads = this;
    m.start(instance, 'wasi_thread_start', [{ type: 'i32', value: tid }, { type: 'i32', value: startArg | 0 }]);
    const t = new WasmThread(tid, `thread ${tid}`, m, instance);
    this.threads.push(t);
    this.onSpawn?.(t);
    return tid;
  }

  /** The thread running now (during a host call or a wait), if any. */
  get running(): WasmThread | undefined {
    return this.current;
  }

  // ---- ThreadHooks --------------------------------------------------------------------------

  wait(memory: MemoryInstance, address: number, timeoutNs: number): boolean {
    const t = this.current;
    if (t === undefined) return false;
    t.state = 'waiting';
    t.waitAt = { memory, address, deadline: timeoutNs < 0 ? Infinity : this.now + timeoutNs, seq: this.waitSeq++ };
    return true;
  }

  notify(memory: MemoryInstance, address: number, count: number): number {
    const waiters = this.threads
      .filter((t) => t.state === 'waiting' && t.waitAt!.memory === memory && t.waitAt!.address === address)
      .sort((a, b) => a.waitAt!.seq - b.waitAt!.seq);
    let woken = 0;
    for (const t of waiters) {
      if (woken >= count) break;
      this.wake(t, 0);
      woken++;
    }
    return woken;
  }

  private wake(t: WasmThread, result: number): void {
    t.state = 'runnable';
    t.waitAt = undefined;
    t.machine.finishWait(result);
  }

  // ---- scheduling ---------------------------------------------------------------------------

  /** The next thread to run, in turn order (or by the seed); undefined when none can. */
  private pick(): WasmThread | undefined {
    const ready = this.threads.filter((t) => t.state === 'runnable' || t.state === 'io');
    if (!ready.some((t) => t.state === 'runnable')) return undefined;
    if (this.random !== undefined) return ready[Math.floor(this.random() * ready.length)];
    // Round robin over the thread list, starting after the last one that ran.
    const n = this.threads.length;
    for (let k = 1; k <= n; k++) {
      const t = this.threads[(this.turn + k) % n]!;
      if (t.state === 'runnable' || t.state === 'io') {
        this.turn = (this.turn + k) % n;
        return t;
      }
    }
    return undefined;
  }

  /** Wakes timed-out waiters (result 2), in deadline order. */
  private expire(): void {
    for (const t of this.threads) {
      if (t.state === 'waiting' && t.waitAt!.deadline <= this.now) this.wake(t, 2);
    }
  }

  /** Runs `f` (a run or a step of t's machine) as t's turn: wait, notify and thread-spawn see t as
   * the running thread, and t's state follows the outcome. The debugger steps one thread this way. */
  runOn(t: WasmThread, f: (m: Machine) => RunResult): RunResult {
    this.current = t;
    t.state = 'runnable';
    let r: RunResult;
    try {
      r = f(t.machine);
    } finally {
      this.current = undefined;
    }
    // Parked in wait (the hook set 'waiting'), or a host call has nothing yet (input, a WASI clock).
    if (r.reason === 'blocked' && t.state === 'runnable') t.state = 'io';
    if (r.reason === 'finished') t.state = 'finished';
    this.onTurn?.(t, r.reason);
    return r;
  }

  /** Runs one turn of `t`; a ProgramResult when the program stops, otherwise undefined. */
  private runTurn(t: WasmThread, slice: number): ProgramResult | undefined {
    if (!t.started) {
      t.started = true;
      if (t.machine.atBreakpoint) return { reason: 'breakpoint', thread: t };
    }
    const wasIo = t.state === 'io';
    const before = t.machine.ticks;
    const r = this.runOn(t, (m) => m.run(slice));
    const used = t.machine.ticks - before;
    // The turn ends with its fuel (a call is not begun on the last unit, so the machine may leave
    // one), or when the thread cannot go on. A stop, or the caller's budget cutting the slice,
    // leaves it under way: the rest of the turn then runs with the same fuel it would have had.
    const whole = slice >= this.turnLeft;
    this.turnLeft -= used;
    const goesOn = r.reason === 'breakpoint' || r.reason === 'step' || (r.reason === 'budget' && !whole);
    if (!goesOn || this.turnLeft <= 0) this.turnThread = undefined;
    switch (r.reason) {
      case 'budget':
        this.now += used * this.nsPerFuel;
        return undefined;
      case 'blocked':
        if (!wasIo) this.now += this.nsPerFuel;
        return undefined;
      case 'finished':
        if (t.id === 0) return { reason: 'finished', results: r.results };
        return undefined;
      case 'trap':
        return { reason: 'trap', trap: r.trap, thread: t };
      case 'exception':
        return { reason: 'exception', exception: r.exception, thread: t };
      case 'breakpoint':
      case 'step':
        // The fuel spent before the stop counts, as if the turn had run on.
        this.now += used * this.nsPerFuel;
        return { reason: r.reason, thread: t };
    }
  }

  /** Makes the current run return (a 'step' of main) once the turn under way has ended its piece:
   * the debugger's step of a thread that then finishes ends there. */
  requestStop(): void {
    this.stopRequested = true;
  }

  /** Runs threads until the program ends, stops, or `budget` fuel is spent. proc_exit in any
   * thread throws its WasiExit out of here: the whole program ends. */
  run(budget = Infinity): ProgramResult {
    let left = budget;
    for (;;) {
      if (this.stopRequested) {
        this.stopRequested = false;
        return { reason: 'step', thread: this.threads[0]! };
      }
      let t = this.turnThread;
      if (t === undefined || t.state !== 'runnable') {
        this.turnThread = undefined;
        this.expire();
        t = this.pick();
        if (t === undefined) {
          const stuck = this.idle();
          if (stuck !== undefined) return stuck;
          continue;
        }
        this.turnThread = t;
        this.turnLeft = this.random !== undefined ? 1 + Math.floor(this.random() * this.quantum) : this.quantum;
      }
      const slice = Math.min(left, this.turnLeft);
      const r = this.runTurn(t, slice);
      if (r !== undefined) return r;
      if (left !== Infinity && t.state !== 'io') {
        left -= slice;
        if (left <= 0) return { reason: 'budget' };
      }
    }
  }

  /** No thread is runnable: retry those waiting on the host, then time out the first waiter; else
   * the program is blocked on input (io) or deadlocked (everyone waits forever). */
  private idle(): ProgramResult | undefined {
    for (const t of this.threads.filter((x) => x.state === 'io')) {
      const r = this.runTurn(t, this.quantum);
      if (r !== undefined) return r;
      if (t.state !== 'io') return undefined;
    }
    let first: WasmThread | undefined;
    for (const t of this.threads) {
      if (t.state === 'waiting' && t.waitAt!.deadline !== Infinity && (first === undefined || t.waitAt!.deadline < first.waitAt!.deadline)) first = t;
    }
    if (first !== undefined) {
      this.now = Math.max(this.now, first.waitAt!.deadline);
      this.expire();
      return undefined;
    }
    if (this.threads.some((t) => t.state === 'io')) return { reason: 'blocked' };
    const where = this.threads.filter((t) => t.state === 'waiting').map((t) => {
      const f = t.machine.frames()[0];
      return `${t.name} at 0x${t.waitAt!.address.toString(16)}${f !== undefined ? ` (func ${f.funcIndex} @ 0x${f.offset.toString(16)})` : ''}`;
    });
    return { reason: 'deadlock', message: `deadlock: every thread waits in memory.atomic.wait with no timeout (${where.join('; ')})` };
  }

  /** The frames of a thread, for a trap's backtrace. */
  framesOf(t: WasmThread): TrapFrame[] {
    return t.machine.frames().map((f) => ({ funcIndex: f.funcIndex, offset: f.offset, name: f.name }));
  }
}
