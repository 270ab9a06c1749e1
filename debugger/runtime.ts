// The debugger's runtime: drives a loaded program in time slices, resolves breakpoints, steps by
// source line or instruction, and reports what happens as typed events. It knows nothing of DAP.
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import type { DebugTarget, FrameView, HitView, StepResult, ThrownView, TimeTravel, Value } from './engine';
import type { CodeIndex, Instruction, Mapped, ProgramSource } from './code-map';
import type { ProgramLocations } from './locations';
import { evaluateExpression, ExpressionError, type EvalResult, type EvalScope } from './expression';
import { BreakpointTable, type BoundBreakpoint } from './breakpoints';
import type { StdinQueue } from './stdin-queue';
import { LaunchError, loadProgram, type LaunchConfig } from './program';
import { planV8Run, V8Run } from './v8-run';
import { findSourceValue, frameAccessor, scalarValue } from './source-variables';
import { sourcePlace } from './source-places';
import { detectPanic, OutputTail, type PanicInfo } from '../core/debuginfo';
import { ByteReader, InstrReader, decodeModule } from '../core/binary';
import { DataBreakpoints, type Watch } from './data-breakpoints';
import { payloadText } from '../core/interp/exceptions';
import { ENGINE_CALL_TICKS, withoutOsr } from '../core/interp/engine-calls';
import type { WastEnd, WastVerdict } from '../core/wast';

/** What a launch produced: the program's code map and a started target (see program.ts). */
export interface LoadedProgram {
  kind: 'wat' | 'wasm';
  path: string;
  bytes: Uint8Array;
  /** Every instruction, and the .wat or disassembly positions (breakpoint binding, disassembly). */
  codeMap: CodeIndex;
  /** The user's view of positions: DWARF source lines first when the module has them. */
  locations: ProgramLocations;
  /** The .wat file, or the generated disassembly of a .wasm. */
  mainSource: ProgramSource;
  target: DebugTarget;
  stdin: StdinQueue;
  funcName(index: number): string;
  /** A component: the core module a function belongs to (`core module 0`), which the Call Stack names. */
  frameModule?(index: number): string | undefined;
  /** A function by export name, name-section name (with or without `$`) or index. */
  findFunction(name: string): number | undefined;
  /** Offset of a function's first instruction (function breakpoints bind there). */
  funcEntry(index: number): number | undefined;
  globalName(index: number): string | undefined;
  /** Called when the entry function returns normally (a `_start` that returns exits with 0). */
  describeResults(results: Value[]): string | undefined;
  /** Where to write the profile of the run (the `profile` launch option). */
  profilePath?: string;
  /** A .wast assertion under the debugger: whether it holds, given how its invoke ended. */
  judge?(end: WastEnd): WastAssertionResult;
  /** After a 'blocked' stop: what the program waits for when it is the network, not stdin. */
  waitForIO?(): Promise<void> | undefined;
}

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'function breakpoint' | 'instruction breakpoint' | 'data breakpoint' | 'pause' | 'exception';

type OutputCategory = 'stdout' | 'stderr' | 'console' | 'important';

/** The result of the .wast assertion a session debugged (the `wastResult` DAP event's body). */
export interface WastAssertionResult extends WastVerdict {
  line: number;
  kind: string;
}

export interface RuntimeEvents {
  stopped: [{ reason: StopReason; text?: string; hitBreakpointIds?: number[] }];
  wastResult: [WastAssertionResult];
  output: [{ category: OutputCategory; text: string }];
  exited: [{ code: number }];
  end: [];
}

export interface StackFrameInfo {
  /** The Wasm frame (0 = innermost); several source frames share one when code was inlined. */
  index: number;
  /** 0 = the innermost inlined function at this frame's offset. */
  inlineDepth: number;
  funcIndex: number;
  name: string;
  offset: number;
  location?: Mapped;
  /** Part of the runtime's panic/abort machinery above the frame that panicked. */
  runtimeMachinery?: boolean;
  /** The frame is a tail call's (return_call): it replaced the frame of this function. */
  tailCallOf?: number;
}

type Mode =
  | { kind: 'run' }
  | {
    kind: 'step';
    step: 'in' | 'over' | 'out';
    granularity: 'line' | 'instruction';
    /** Frame depth, inlined-function depth (1 = none) and source line where the step began. */
    depth: number;
    inline: number;
    line: string | undefined;
    /** The engine ran out of fuel mid-step; `run` carries on with that step. */
    pending: boolean;
    /** Line steps: temporary breakpoints where the line may end (see armLineStep). */
    temps?: Set<number>;
    /** Stopped at a call on the starting line while stepping in: enter it next. */
    enterCall?: boolean;
  };

type State = 'idle' | 'running' | 'stopped' | 'blocked' | 'trapped' | 'ended';

/** Fuel (calls and loop iterations) per engine call; a slice is several calls until SLICE_MS has passed.
 * Small, so that the engine's loop is entered often: see drive(). */
const RUN_BUDGET = ENGINE_CALL_TICKS;
const STEP_BUDGET = 10_000;
/** Longest the runtime keeps the event loop before yielding to pending requests (pause, evaluate). */
const SLICE_MS = 10;

export class WasmRuntime extends EventEmitter<RuntimeEvents> {
  private state: State = 'idle';
  private mode: Mode = { kind: 'run' };
  private pauseRequested = false;
  private scheduled: NodeJS.Immediate | undefined;
  private breakOnTrap = true;
  /** Exception filters: stop at a throw that a handler catches, and at one none catches. */
  private breakOnCaught = false;
  private breakOnUncaught = true;
  /** The instructions that throw (throw, throw_ref, rethrow), armed while breakOnCaught is set. */
  private throwSites: { funcIndex: number; offset: number }[] | undefined;
  private lastTrap: string | undefined;
  private lastTrapExhausted = false;
  private judged = false;
  /** The exception the program is stopped at (its throw), if it is. */
  private lastThrown: ThrownView | undefined;
  /** The panic or abort the last trap was, if it was one (read from the frames and stderr). */
  private lastPanic: PanicInfo | undefined;
  /** The end of the program's stderr: a Rust panic prints its message there just before trapping. */
  private readonly stderrTail = new OutputTail();
  private waitingNoticeShown = false;

  private loaded: LoadedProgram | undefined;
  private breakpoints!: BreakpointTable;
  /** Set when a noDebug launch runs on V8 (v8-run.ts) instead of on the interpreter. */
  private v8: V8Run | undefined;

  /** Loads the program a launch configuration names (LaunchError when it cannot). */
  static async launch(config: LaunchConfig): Promise<WasmRuntime> {
    const rt = new WasmRuntime();
    const engine = config.engine ?? 'interp';
    if (config.noDebug === true && engine !== 'interp') {
      const plan = await planV8Run(config);
      if ('job' in plan) {
        rt.v8 = new V8Run(plan.job, {
          stdout: (text) => (rt.output('stdout', text), rt.flushOutput()),
          stderr: (text) => (rt.output('stderr', text), rt.flushOutput()),
          waiting: () => {
            if (rt.waitingNoticeShown) return;
            rt.waitingNoticeShown = true;
            rt.output('console', 'The program is waiting for input: type a line in the Debug Console (^D alone ends the input).\n');
            rt.flushOutput();
          },
          ended: (o) => {
            if (o.trap !== undefined) return rt.finishWithTrap(o.trap);
            if (o.failure !== undefined) rt.output('stderr', `wasmscope: internal error: ${o.failure}\n`);
            const text = o.results && plan.describe(o.results);
            if (text) rt.output('console', `${text}\n`);
            rt.exit(o.code);
          },
        });
        rt.output('console', `Running on V8 ${process.versions.v8} (Node's WebAssembly), without debugging.\n`);
        return rt;
      }
      if ('reason' in plan) {
        if (engine === 'v8') throw new LaunchError(`cannot run on V8: ${plan.reason} (set "engine" to "auto" or "interp")`);
        rt.output('console', `Running on the Wasmscope interpreter: ${plan.reason}.\n`);
      }
    }
    rt.loaded = await loadProgram(config, {
      stdout: (text) => rt.output('stdout', text),
      stderr: (text) => {
        rt.stderrTail.push(text);
        rt.output('stderr', text);
      },
    });
    rt.breakpoints = new BreakpointTable(rt.loaded);
    return rt;
  }

  get program(): LoadedProgram {
    if (!this.loaded) throw new Error(this.v8 ? 'the program runs on V8 (no debugging)' : 'no program loaded');
    return this.loaded;
  }

  /** A noDebug run on V8: nothing to inspect, no breakpoints. */
  get onV8(): boolean {
    return this.v8 !== undefined;
  }

  /**
   * Output in the order it was written; adjacent writes to the same stream within one slice go
   * out as one event, so a program printing in a tight loop does not flood the client.
   */
  private readonly pendingOutput: { category: OutputCategory; text: string }[] = [];

  /** Whether the console is at the start of a line (the program may end without a newline). */
  private atLineStart = true;

  private output(category: OutputCategory, text: string): void {
    if (text) this.atLineStart = text.endsWith('\n');
    const last = this.pendingOutput[this.pendingOutput.length - 1];
    if (last && last.category === category && last.text.length < 1 << 16) last.text += text;
    else this.pendingOutput.push({ category, text });
  }

  private flushOutput(): void {
    for (const o of this.pendingOutput.splice(0)) this.emit('output', o);
  }

  get isStopped(): boolean {
    return this.state === 'stopped' || this.state === 'trapped';
  }

  get hasEnded(): boolean {
    return this.state === 'ended';
  }

  get trapMessage(): string | undefined {
    return this.lastTrap;
  }

  /** The Wasm exception the program is stopped at, before its throw (caught or not). */
  get thrown(): ThrownView | undefined {
    return this.isStopped ? this.lastThrown : undefined;
  }

  /** The panic or abort the program stopped on (undefined for an ordinary trap). */
  get panic(): PanicInfo | undefined {
    return this.state === 'trapped' ? this.lastPanic : undefined;
  }

  // ---- control ----------------------------------------------------------------------------

  /** Begins execution (after configurationDone); stops at the first instruction when asked. */
  start(stopOnEntry: boolean): void {
    if (this.state !== 'idle') return;
    if (this.v8) {
      this.state = 'running';
      this.flushOutput();
      this.v8.start();
      return;
    }
    if (stopOnEntry) {
      this.state = 'stopped';
      this.later(() => this.emit('stopped', { reason: 'entry' }));
      return;
    }
    // A run resumes past the instruction it stands on, so a breakpoint on the entry function's
    // first instruction (a function breakpoint on `_start`) is checked here or never.
    if (this.checkStopsHere()) return;
    this.resume({ kind: 'run' });
  }

  continue(): void {
    this.resume({ kind: 'run' });
  }

  step(step: 'in' | 'over' | 'out', granularity: 'line' | 'instruction'): void {
    const top = this.program.target.frames()[0];
    const line = top ? this.program.locations.lineKey(top.offset) : undefined;
    const inline = top ? this.program.locations.inlineCount(top.offset) : 1;
    // In generated disassembly every instruction is a line: a line step is an instruction step,
    // and taking it as one spares arming a breakpoint on every instruction of (say) printf_core.
    const perInstruction = granularity === 'instruction' || (top !== undefined && this.program.locations.linePerInstruction(top.offset));
    this.resume({
      kind: 'step', step, granularity: perInstruction ? 'instruction' : 'line', depth: this.program.target.depth(), inline, line, pending: false,
    });
  }

  pause(): void {
    if (this.state === 'running') this.pauseRequested = true;
    else if (this.state === 'blocked') {
      this.disarmLineStep();
      this.state = 'stopped';
      this.later(() => this.emit('stopped', { reason: 'pause' }));
    }
  }

  // ---- going back (time travel) ---------------------------------------------------------------

  /** Whether Step Back and Reverse Continue can work (the execution is recorded). */
  get canGoBack(): boolean {
    return this.program.target.history !== undefined;
  }

  /**
   * Step Back: the reverse of step over. By instruction, to the previous instruction this frame (or,
   * at its first, its caller) executed; by line, to the start of the previous line executed, the way
   * gdb's reverse-next lands. Calls in between are stepped over backwards.
   */
  stepBack(granularity: 'line' | 'instruction'): void {
    withoutOsr(() => this.stepBackNow(granularity));
  }

  private stepBackNow(granularity: 'line' | 'instruction'): void {
    const h = this.history();
    const t = this.program.target;
    const frames = t.frames();
    const top = frames[0];
    if (h === undefined || top === undefined) return;
    const depth = t.depth();
    const sites = [{ funcIndex: top.funcIndex }];
    if (frames[1]) sites.push({ funcIndex: frames[1].funcIndex });
    const locations = this.program.locations;
    const perInstruction = granularity === 'instruction' || locations.linePerInstruction(top.offset);
    const lineNow = locations.lineKey(top.offset);
    let best: HitView | undefined;
    let runKey: string | undefined;
    let runDepth = depth;
    for (const hit of h.hitsBefore(sites, depth, true)) {
      if (perInstruction) {
        best = hit;
        break;
      }
      const key = locations.stopKey(hit.offset);
      if (best === undefined) {
        if (key === undefined || (hit.depth === depth && key === lineNow)) continue;
        best = hit;
        runKey = key;
        runDepth = hit.depth;
        continue;
      }
      // Deeper calls and positions that are not statements do not end the line's run.
      if (hit.depth > runDepth || key === undefined) continue;
      if (hit.depth === runDepth && key === runKey) {
        best = hit;
        continue;
      }
      break;
    }
    this.arriveBack(h, best, 'step');
  }

  /** Reverse Continue: back to the last time a breakpoint (its condition true) was passed. */
  reverseContinue(): void {
    withoutOsr(() => this.reverseContinueNow());
  }

  private reverseContinueNow(): void {
    const h = this.history();
    if (h === undefined) return;
    const t = this.program.target;
    const sites = this.breakpoints.places();
    const data = this.data?.active ? this.data : undefined;
    for (const d of data?.offsets() ?? []) sites.push({ funcIndex: d.funcIndex, offsets: [d.offset] });
    // With the caught-exception filter, throws are stops going back too.
    if (this.breakOnCaught) for (const s of this.allThrowSites()) sites.push({ funcIndex: s.funcIndex, offsets: [s.offset] });
    // Stopped just after a write, that write is where going back starts from, not where it ends.
    const from = h.now();
    for (const hit of h.hitsBefore(sites)) {
      h.goTo(hit);
      const stop = this.breakpoints.has(hit.offset) ? this.breakpoints.checkBackward(hit.offset, () => this.scope(0)) : undefined;
      if (stop) {
        this.arriveBack(h, 'here', stop.reason, { hitBreakpointIds: stop.ids });
        return;
      }
      const thrown = this.breakOnCaught && this.isThrowSite(hit.offset) ? t.thrownHere?.() : undefined;
      if (thrown?.caught && !h.samePlace(h.now(), from)) {
        this.arriveBack(h, 'here', 'exception', { text: `Exception ${describeThrown(thrown)} (caught)` });
        this.lastThrown = thrown;
        return;
      }
      // The last write of a watched place: stops just after it, as going forward would.
      const dh = data?.has(hit.offset) ? data.check(t, hit.offset, () => t.stepOver(STEP_BUDGET).reason === 'step') : undefined;
      if (dh && !h.samePlace(h.now(), from)) {
        this.arriveBack(h, 'here', 'data breakpoint', { text: dh.text, hitBreakpointIds: dh.ids });
        return;
      }
    }
    this.arriveBack(h, undefined, 'step');
  }

  private history(): TimeTravel | undefined {
    if (!this.isStopped) return undefined;
    this.disarmLineStep();
    return this.program.target.history;
  }

  /** Stops at `hit` (already there when it was just checked), or at the start of the history. */
  private arriveBack(h: TimeTravel, hit: HitView | 'here' | undefined, reason: StopReason, extra: { text?: string; hitBreakpointIds?: number[] } = {}): void {
    let text = extra.text;
    if (hit === 'here') { /* already there */ } else if (hit) h.goTo(hit);
    else {
      h.goToStart();
      text = h.truncatedStart
        ? 'Reached the start of the recorded history: older history was dropped to stay within "historyMB".'
        : 'Reached the start of the program.';
      this.output('console', `${text}\n`);
    }
    this.lastTrap = undefined;
    this.lastPanic = undefined;
    this.lastThrown = undefined;
    this.state = 'stopped';
    this.later(() => {
      this.flushOutput();
      this.emit('stopped', { reason, ...extra, ...(text !== undefined ? { text } : {}) });
    });
  }

  /** Stops for good: no more events but `end`. */
  terminate(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.v8?.terminate();
    this.flushOutput();
    this.later(() => this.emit('end'));
  }

  /** Console input while the program runs or waits: it becomes the program's standard input. */
  feedStdin(line: string): void {
    if (this.v8) {
      this.waitingNoticeShown = false;
      this.v8.feedStdin(line);
      return;
    }
    // The console cannot send Ctrl-D, so a line `^D` alone stands for end of input.
    if (line.trim() === '^D') this.program.stdin.close();
    else this.program.stdin.pushLine(line);
    this.waitingNoticeShown = false;
    if (this.state === 'blocked') {
      this.state = 'running';
      this.schedule();
    }
  }

  private resume(mode: Mode): void {
    if (this.state === 'trapped') {
      // The trap is fatal: continuing past it ends the program the way it would without a debugger.
      if (this.lastThrown) this.finishWithException(this.lastTrap ?? 'uncaught exception');
      else this.finishWithTrap(this.lastTrap ?? 'trap');
      return;
    }
    this.lastThrown = undefined;
    if (this.state !== 'stopped' && this.state !== 'idle') return;
    this.mode = mode;
    this.state = 'running';
    this.pauseRequested = false;
    this.schedule();
  }

  private currentOffset(): number | undefined {
    return this.program.target.frames()[0]?.offset;
  }

  private later(f: () => void): void {
    setImmediate(f);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = undefined;
      this.drive();
    });
  }

  private drive(): void {
    if (this.state !== 'running') return;
    try {
      withoutOsr(() => this.driveSlice());
    } finally {
      this.flushOutput();
    }
  }

  private driveSlice(): void {
    const deadline = performance.now() + SLICE_MS;
    try {
      for (;;) {
        if (this.pauseRequested) {
          this.pauseRequested = false;
          this.stop('pause');
          return;
        }
        const m = this.mode;
        // Stepping out of an inlined function stays in the Wasm frame: that is a line step too.
        const done = m.kind === 'run' ? this.runSlice()
          : m.granularity === 'line' && (m.step !== 'out' || m.inline > 1) ? this.lineStepSlice(m) : this.stepSlice(m);
        if (done || this.state !== 'running') return;
        if (performance.now() >= deadline) {
          this.schedule();
          return;
        }
      }
    } catch (err) {
      // An engine bug must not take the editor down: report it and end the session.
      this.output('stderr', `wasmscope: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      this.exit(70);
    }
  }

  private stop(reason: StopReason, extra: { text?: string; hitBreakpointIds?: number[] } = {}): void {
    if (reason !== 'exception') this.lastThrown = undefined;
    this.disarmLineStep();
    this.state = 'stopped';
    this.flushOutput();
    this.emit('stopped', { reason, ...extra });
  }

  /** Handles results other than progress; true when the slice must end. */
  private settle(r: StepResult): boolean {
    switch (r.reason) {
      case 'finished': {
        this.judgeEnd({ kind: 'results', results: r.results });
        const text = this.program.describeResults(r.results);
        if (text) this.output('console', `${text}\n`);
        this.exit(0);
        return true;
      }
      case 'exit':
        this.exit(r.code);
        return true;
      case 'trap':
        this.lastTrap = r.message;
        this.lastTrapExhausted = r.exhausted === true;
        if (this.breakOnTrap) {
          this.disarmLineStep();
          this.state = 'trapped';
          this.flushOutput();
          const names = this.program.target.frames().map((f) => this.program.funcName(f.funcIndex));
          this.lastPanic = detectPanic(names, this.stderrTail.toString());
          this.emit('stopped', { reason: 'exception', text: this.lastPanic?.message ?? r.message });
        } else {
          this.finishWithTrap(r.message);
        }
        return true;
      case 'exception':
        this.lastTrap = r.message;
        if (this.breakOnUncaught) {
          this.disarmLineStep();
          this.state = 'trapped';
          this.lastThrown = r.thrown;
          this.flushOutput();
          this.emit('stopped', { reason: 'exception', text: `Uncaught exception ${describeThrown(r.thrown)}` });
        } else {
          this.finishWithException(r.message);
        }
        return true;
      case 'blocked': {
        this.state = 'blocked';
        // A socket call waits for the network: run on once it can (a pause meanwhile stops as usual).
        const io = this.program.waitForIO?.();
        if (io) {
          io.then(() => {
            if (this.state !== 'blocked') return;
            this.state = 'running';
            this.schedule();
          }, (e: unknown) => this.finishWithTrap(e instanceof Error ? e.message : String(e)));
          return true;
        }
        if (!this.waitingNoticeShown) {
          this.waitingNoticeShown = true;
          this.output('console', 'The program is waiting for input: type a line in the Debug Console (^D alone ends the input).\n');
        }
        return true;
      }
      default:
        return false;
    }
  }

  private finishWithTrap(message: string): void {
    this.judgeEnd({ kind: 'trap', message, exhaustion: this.lastTrapExhausted });
    this.output('stderr', `wasm trap: ${message}\n`);
    this.exit(134);
  }

  /** The program ends on an exception nothing caught; `message` names its tag and payload. */
  private finishWithException(message: string): void {
    this.judgeEnd({ kind: 'exception', message });
    this.output('stderr', `wasm exception: ${message}\n`);
    this.exit(134);
  }

  /** A debugged .wast assertion: its result goes out before the exit (once). */
  private judgeEnd(end: WastEnd): void {
    if (this.state === 'ended' || this.judged) return;
    this.judged = true;
    // A V8 run has no loaded program (and no .wast assertion to judge).
    const result = this.loaded?.judge?.(end);
    if (result) this.emit('wastResult', result);
  }

  private exit(code: number): void {
    this.disarmLineStep();
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.writeProfile();
    this.output('console', `${this.atLineStart ? '' : '\n'}The program exited with code ${code}.\n`);
    this.flushOutput();
    this.emit('exited', { code });
    this.emit('end');
  }

  private runSlice(): boolean {
    // The engine resumes past a breakpoint it stopped at, so a plain run moves on.
    const r = this.program.target.run(RUN_BUDGET);
    // A new call (the entry after the start function) may have a breakpoint on its first instruction.
    if (r.reason === 'breakpoint' || r.reason === 'entered') return this.checkStopsHere();
    // A step left pending by a pause reports once; it is spent now.
    if (r.reason === 'step') return false;
    return this.settle(r);
  }

  /**
   * Instruction steps (any kind) and step out: one engine step, or the rest of one that ran out of
   * fuel. Stepping over from inside a callee (a breakpoint stopped there) first returns to the
   * frame the step began in; breakpoints inside stepped-over calls stop.
   */
  private stepSlice(mode: Extract<Mode, { kind: 'step' }>): boolean {
    const t = this.program.target;
    let r: StepResult;
    if (mode.pending) r = t.run(STEP_BUDGET);
    else {
      const leave = mode.step === 'out' || (mode.step === 'over' && t.depth() > mode.depth);
      r = leave ? t.stepOut(STEP_BUDGET) : mode.step === 'in' ? t.stepInstruction(STEP_BUDGET) : t.stepOver(STEP_BUDGET);
    }
    mode.pending = r.reason === 'budget';
    if (mode.pending) return false;
    if (r.reason === 'entered') return this.checkBreakpointHere() || this.stepDone();
    if (r.reason === 'breakpoint' && this.checkBreakpointHere()) return true;
    if (r.reason !== 'breakpoint' && r.reason !== 'step' && this.settle(r)) return true;

    const depth = t.depth();
    if (depth < mode.depth) return this.stepDone();
    if (mode.step === 'out') return false;
    if (depth > mode.depth) return mode.step === 'in' ? this.stepDone() : false;
    return this.stepDone();
  }

  /**
   * Steps by line the way native debuggers do: temporary breakpoints on every place in the
   * function where another line may begin (and, stepping in, on the calls of this line), then the
   * engine runs at full speed until one is hit at this depth or the function returns. Loops on one
   * line and calls stepped over cost no per-instruction work.
   */
  private lineStepSlice(mode: Extract<Mode, { kind: 'step' }>): boolean {
    const t = this.program.target;
    if (!mode.temps) this.armLineStep(mode);
    let r: StepResult;
    if (mode.pending) r = t.run(STEP_BUDGET);
    else if (mode.enterCall) {
      mode.enterCall = false;
      r = t.stepInstruction(STEP_BUDGET);
    } else r = t.stepOut(STEP_BUDGET);
    mode.pending = r.reason === 'budget';
    if (mode.pending) return false;
    // Stepping off the end of the start function arrives at the entry function.
    if (r.reason === 'entered') return this.checkBreakpointHere() || this.stepDone();
    if (r.reason !== 'breakpoint' && r.reason !== 'step' && this.settle(r)) return true;

    const depth = t.depth();
    const top = t.frames()[0];
    if (!top) return false;
    if (depth < mode.depth) return this.stepDone();
    const offset = top.offset;
    const locations = this.program.locations;
    if (depth > mode.depth) {
      // A user breakpoint in a callee stops; entering a callee with source stops stepping in.
      if (r.reason === 'breakpoint') return this.breakpoints.has(offset) && this.checkBreakpointHere();
      if (mode.step === 'in' && locations.stepsInto(top.funcIndex) && locations.lineKey(offset) !== undefined) {
        if (locations.stopKey(offset) !== undefined) return this.stepDone();
        // In a callee with source but not yet at a statement (its prologue): carry on to the first one.
        this.disarmLineStep();
        mode.depth = depth;
        mode.line = undefined;
      }
      return false;
    }
    // Back at this depth on a waypoint, by a breakpoint or by returning from a deeper call onto it.
    if (mode.temps?.has(offset)) {
      if (locations.lineKey(offset) === mode.line && this.isCall(offset)) {
        // A call on the starting line: enter it when stepping in; else it is only a waypoint.
        if (mode.step === 'in') mode.enterCall = true;
        else if (this.breakpoints.has(offset) && this.checkBreakpointHere()) return true;
        return false;
      }
      return this.stepDone();
    }
    return r.reason === 'breakpoint' && this.breakpoints.has(offset) && this.checkBreakpointHere();
  }

  private isCall(offset: number): boolean {
    const text = this.program.codeMap.instruction(offset)?.text ?? '';
    return /^(call|call_indirect|call_ref)\b/.test(text);
  }

  /** The offsets a line step may end at in the current function, armed as engine breakpoints. */
  private armLineStep(mode: Extract<Mode, { kind: 'step' }>): void {
    const t = this.program.target;
    const top = t.frames()[0];
    mode.temps = new Set();
    if (!top) return;
    const locations = this.program.locations;
    for (const ins of this.instructionsOf(top.funcIndex)) {
      const stop = locations.stopKey(ins.offset);
      // Inlined calls count as calls: stepping over does not stop inside one, stepping out leaves it.
      const inline = stop === undefined || mode.inline === 1 && mode.step === 'in' ? 1 : locations.inlineCount(ins.offset);
      const endsLine = stop !== undefined && (mode.step === 'out'
        ? inline < mode.inline
        : stop !== mode.line && (mode.step === 'in' || inline <= mode.inline));
      const callHere = mode.step === 'in' && this.isCall(ins.offset) && locations.lineKey(ins.offset) === mode.line;
      if (!endsLine && !callHere) continue;
      const actual = t.setBreakpoint(top.funcIndex, ins.offset, true);
      if (actual === ins.offset) mode.temps.add(actual);
      else if (actual !== undefined && !this.userArmed(actual)) t.clearBreakpoint(top.funcIndex, actual);
    }
    this.armed = { funcIndex: top.funcIndex, offsets: mode.temps };
  }

  private armed: { funcIndex: number; offsets: Set<number> } | undefined;

  /** Takes the temporary breakpoints out again, leaving the user's where they coincide. */
  private disarmLineStep(): void {
    const armed = this.armed;
    this.armed = undefined;
    if (!armed) return;
    for (const offset of armed.offsets) {
      if (!this.userArmed(offset)) this.program.target.clearBreakpoint(armed.funcIndex, offset);
    }
    if (this.mode.kind === 'step') this.mode.temps = undefined;
  }

  /** The `profile` launch option: the exact counts of the run, as a .cpuprofile. */
  private writeProfile(): void {
    if (!this.loaded) return; // a run on V8 has no interpreter to count
    const p = this.loaded;
    const profiler = p.target.profiler;
    if (!profiler || !p.profilePath) return;
    profiler.stop();
    const profile = profiler.toCpuProfile((funcIndex) => {
      const entry = p.funcEntry(funcIndex);
      const at = entry === undefined ? undefined : p.locations.position(entry) ?? p.codeMap.positionAtOrBefore(entry);
      return {
        name: p.funcName(funcIndex),
        url: at?.source.path ?? p.path,
        line: at ? at.range.line : 0,
        column: at ? at.range.column : entry ?? 0,
      };
    });
    try {
      writeFileSync(p.profilePath, JSON.stringify(profile));
      this.output('console', `Profile written to ${p.profilePath}: ${profiler.total} instructions counted (exact counts; 1 µs in the profile = 1 instruction).\n`);
    } catch (err) {
      this.output('stderr', `wasmscope: cannot write the profile ${p.profilePath}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }

  // ---- data breakpoints ---------------------------------------------------------------------

  private data: DataBreakpoints | undefined;

  /** Replaces the data breakpoints; their instructions become engine breakpoints. */
  setDataBreakpoints(watches: Watch[]): void {
    const t = this.program.target;
    this.data ??= new DataBreakpoints(decodeModule(this.program.bytes));
    for (const d of this.data.offsets()) if (!this.breakpoints.has(d.offset)) t.clearBreakpoint(d.funcIndex, d.offset);
    this.data.set(watches);
    this.armData();
  }

  /** A memory address typed as a number (`0x800`, `2048`) or an expression (`$p + 4`, `&x`). */
  addressOf(text: string): number {
    const t = text.trim();
    if (/^(0x[0-9a-f]+|\d+)$/i.test(t)) return Number(t);
    const r = this.evaluate(t, 0);
    if (r.kind === 'value' && r.address !== undefined) return r.address;
    if (r.kind === 'bytes') return r.address;
    if (r.kind === 'place') return r.place.address();
    if (r.value.type === 'i32') return r.value.value >>> 0;
    if (r.value.type === 'i64') return Number(r.value.value);
    throw new ExpressionError(`${t} is not an address`);
  }

  /** What a watch expression names: a global or local by `$name`, else the memory at its address. */
  watchPlaceOf(expression: string, bytes?: number): Watch['place'] | undefined {
    const name = expression.trim();
    const m = /^\$(.+)$/.exec(name);
    if (m) {
      const t = this.program.target;
      const l = t.locals(0).find((x) => x.name === m[1]);
      const f = t.frames()[0];
      if (l && f) return { kind: 'local', funcIndex: f.funcIndex, index: l.index, depth: t.depth(), name };
      const g = t.globals().find((x) => x.name === m[1]);
      if (g) return g.mutable ? { kind: 'global', index: g.index, name } : undefined;
    }
    const r = this.evaluate(name, 0);
    if (r.kind === 'value' && r.address === undefined) return undefined;
    if (r.kind === 'bytes') return { kind: 'memory', address: r.address, length: bytes ?? r.bytes.length };
    const address = r.kind === 'place' ? r.place.address() : r.address!;
    return { kind: 'memory', address, length: bytes ?? 4 };
  }

  /** (Re)arms the data sites (a user breakpoint cleared at the same place takes the engine's with it). */
  private armData(): void {
    for (const d of this.data?.offsets() ?? []) this.program.target.setBreakpoint(d.funcIndex, d.offset);
  }

  /** A user, data or exception breakpoint owns the engine breakpoint at this offset. */
  private userArmed(offset: number): boolean {
    return this.breakpoints.has(offset) || this.data?.has(offset) === true || (this.breakOnCaught && this.isThrowSite(offset));
  }

  // ---- exception breakpoints ----------------------------------------------------------------

  /** Sets the exception filters; a caught-exception filter arms every throwing instruction. */
  setExceptionFilters(f: { trap: boolean; caught: boolean; uncaught: boolean }): void {
    this.breakOnTrap = f.trap;
    this.breakOnUncaught = f.uncaught;
    if (!this.loaded || f.caught === this.breakOnCaught) {
      this.breakOnCaught = f.caught;
      return;
    }
    this.breakOnCaught = f.caught;
    const t = this.program.target;
    for (const s of this.allThrowSites()) {
      if (f.caught) t.setBreakpoint(s.funcIndex, s.offset);
      else if (!this.userArmed(s.offset)) t.clearBreakpoint(s.funcIndex, s.offset);
    }
  }

  private allThrowSites(): { funcIndex: number; offset: number }[] {
    if (this.throwSites === undefined) {
      const code = this.program.codeMap;
      const m = decodeModule(this.program.bytes);
      this.throwSites = [];
      for (let i = 0; i < m.funcs.length; i++) {
        const funcIndex = m.importedFuncs + i;
        for (const ins of code.instructionsOf(funcIndex)) {
          if (/^(throw|throw_ref|rethrow)\b/.test(ins.text)) this.throwSites.push({ funcIndex, offset: ins.offset });
        }
      }
    }
    return this.throwSites;
  }

  private isThrowSite(offset: number): boolean {
    return this.allThrowSites().some((s) => s.offset === offset);
  }

  /** Before a throw that a handler will catch (the caught filter): stops there. True = stopped. */
  private checkThrowHere(): boolean {
    if (!this.breakOnCaught) return false;
    const offset = this.currentOffset();
    if (offset === undefined || !this.isThrowSite(offset)) return false;
    const thrown = this.program.target.thrownHere?.();
    // An uncaught one stops (with the uncaught filter) when it is thrown, as the program's end.
    if (!thrown?.caught) return false;
    this.lastThrown = thrown;
    this.stop('exception', { text: `Exception ${describeThrown(thrown)} (caught)` });
    return true;
  }

  /** At a breakpoint place: user breakpoints, a throw that is caught, then data breakpoints. True = stopped. */
  private checkStopsHere(): boolean {
    if (this.checkBreakpointHere()) return true;
    if (this.checkThrowHere()) return true;
    const d = this.data;
    if (!d?.active) return false;
    const t = this.program.target;
    // After a write that did not touch a watched place, the next instruction may be a site too.
    for (let n = 0; n < 64; n++) {
      const offset = this.currentOffset();
      if (offset === undefined || !d.has(offset)) return false;
      let stepped: StepResult | undefined;
      const hit = d.check(t, offset, () => (stepped = t.stepOver(STEP_BUDGET)).reason === 'step');
      if (hit) {
        this.stop('data breakpoint', { text: hit.text, hitBreakpointIds: hit.ids });
        return true;
      }
      if (stepped === undefined) return false;
      const r: StepResult = stepped;
      if (r.reason !== 'step') return r.reason === 'breakpoint' ? this.checkBreakpointHere() : this.settle(r);
      if (this.checkBreakpointHere()) return true;
    }
    return false;
  }

  private instructionsOf(funcIndex: number): Instruction[] {
    return this.program.codeMap.instructionsOf(funcIndex);
  }

  private stepDone(): boolean {
    this.stop('step');
    return true;
  }

  /** At a location with breakpoints: logs, counts and decides whether to stop. True = stopped. */
  private checkBreakpointHere(): boolean {
    const offset = this.currentOffset();
    if (offset === undefined || !this.breakpoints.has(offset)) return false;
    const r = this.breakpoints.check(offset, () => this.scope(0));
    for (const line of r.messages) this.output('console', `${line}\n`);
    if (!r.stop) return false;
    this.stop(r.stop.reason, { hitBreakpointIds: r.stop.ids });
    return true;
  }

  // ---- breakpoints ------------------------------------------------------------------------

  setLineBreakpoints(...args: Parameters<BreakpointTable['setLine']>): BoundBreakpoint[] {
    const bound = this.breakpoints.setLine(...args);
    this.armData();
    return bound;
  }

  setFunctionBreakpoints(...args: Parameters<BreakpointTable['setFunction']>): BoundBreakpoint[] {
    const bound = this.breakpoints.setFunction(...args);
    this.armData();
    return bound;
  }

  setInstructionBreakpoints(...args: Parameters<BreakpointTable['setInstruction']>): BoundBreakpoint[] {
    const bound = this.breakpoints.setInstruction(...args);
    this.armData();
    return bound;
  }

  // ---- inspection -------------------------------------------------------------------------

  /** Source frames, innermost first: one per Wasm frame, or several where DWARF shows inlining. */
  stack(): StackFrameInfo[] {
    const out: StackFrameInfo[] = [];
    const userFrame = this.panic?.userFrame ?? 0;
    const t = this.program.target;
    const frames = t.frames();
    frames.forEach((f: FrameView, index) => {
      // The machine marks frames its tail calls entered (self and indirect ones too); for targets
      // that do not, a frame running another function than its caller's `call` named was entered by
      // a tail call (one module's targets: offsets are bytes of program.bytes there).
      const called = f.tailCallOf !== undefined || t.entryFunction === undefined ? undefined
        : index + 1 < frames.length ? this.directCallee(frames[index + 1]!.offset) : t.entryFunction();
      const tailCallOf = f.tailCallOf ?? (called !== undefined && called !== f.funcIndex ? called : undefined);
      const machinery = {
        ...(index < userFrame ? { runtimeMachinery: true } : {}),
        ...(tailCallOf !== undefined ? { tailCallOf } : {}),
      };
      const inlined = this.program.locations.inlineFrames(f.offset);
      const module = this.program.frameModule?.(f.funcIndex);
      const named = (name: string): string => (module !== undefined ? `${name} [${module}]` : name);
      if (inlined) {
        inlined.forEach((fr, inlineDepth) => out.push({
          index, inlineDepth, funcIndex: f.funcIndex, name: named(fr.name), offset: f.offset,
          location: fr.position ?? (inlineDepth === 0 ? this.program.locations.position(f.offset) : undefined),
          ...machinery,
        }));
        return;
      }
      out.push({
        ...machinery,
        index,
        inlineDepth: 0,
        funcIndex: f.funcIndex,
        name: named(this.program.locations.functionName(f.offset) ?? this.program.funcName(f.funcIndex)),
        offset: f.offset,
        location: this.program.locations.position(f.offset) ?? this.nearestPosition(f.offset),
      });
    });
    return out;
  }

  /** The function a direct `call` at `offset` calls (undefined for other calls: their callee is not
   * known afterwards). */
  private directCallee(offset: number): number | undefined {
    const ins = this.program.codeMap.instruction(offset);
    if (ins === undefined || !/^call\b/.test(ins.text)) return undefined;
    try {
      const ir = new InstrReader(new ByteReader(this.program.bytes, ins.offset, ins.end));
      ir.read();
      return ir.info?.name === 'call' ? ir.a : undefined;
    } catch {
      return undefined;
    }
  }

  /** Outer frames sit after their call; show the call's line when the return point has none. */
  private nearestPosition(offset: number): Mapped | undefined {
    return this.program.codeMap.positionAtOrBefore(offset);
  }

  /** What expressions see in frame `frame` (0 = innermost); with DWARF, source variables too. */
  scope(frame: number, inlineDepth = 0): EvalScope {
    const t = this.program.target;
    const dwarf = this.program.locations.dwarf?.info;
    const sourceScalar = (name: string): Value | undefined => {
      const sv = dwarf ? findSourceValue(dwarf, t, frame, inlineDepth, name) : undefined;
      return sv ? scalarValue(sv) : undefined;
    };
    const findLocal = (ref: number | string): Value => {
      const locals = t.locals(frame);
      const l = typeof ref === 'number' ? locals.find((x) => x.index === ref) : locals.find((x) => x.name === ref);
      if (!l) throw new ExpressionError(typeof ref === 'number' ? `no local ${ref}` : `no local $${ref}`);
      return l.value;
    };
    const findGlobal = (ref: number | string): Value => {
      const globals = t.globals();
      const g = typeof ref === 'number' ? globals.find((x) => x.index === ref) : globals.find((x) => x.name === ref);
      if (!g) throw new ExpressionError(typeof ref === 'number' ? `no global ${ref}` : `no global $${ref}`);
      return g.value;
    };
    return {
      local: findLocal,
      global: findGlobal,
      stack(index) {
        const s = t.operandStack(frame);
        const v = s[s.length - 1 - index];
        if (!v) throw new ExpressionError(`the operand stack has ${s.length} value(s)`);
        return v;
      },
      name(name) {
        const l = t.locals(frame).find((x) => x.name === name);
        if (l) return l.value;
        const g = t.globals().find((x) => x.name === name);
        if (g) return g.value;
        const sv = sourceScalar(name);
        if (sv) return sv;
        throw new ExpressionError(`no local or global named $${name}`);
      },
      memory(ref = 0) {
        const index = typeof ref === 'number' ? ref : t.memoryIndex?.(ref);
        if (index === undefined) throw new ExpressionError(`no memory $${String(ref)}`);
        const m = t.memory(index);
        if (!m) throw new ExpressionError(index === 0 ? 'the module has no memory' : `no memory ${index} (the module has ${t.memoryCount()})`);
        return m;
      },
      place(name) {
        const sv = dwarf ? findSourceValue(dwarf, t, frame, inlineDepth, name) : undefined;
        return sv ? sourcePlace(sv, frameAccessor(t, frame)) : undefined;
      },
    };
  }

  evaluate(expression: string, frame: number, inlineDepth = 0): EvalResult {
    return evaluateExpression(expression, this.scope(frame, inlineDepth));
  }
}

/** `$tag (i32 42)`: an exception's tag and payload, as a stop shows it. */
export function describeThrown(t: ThrownView): string {
  return `${t.tag}${t.payload.length ? ` ${payloadText(t.payload)}` : ''}`;
}
