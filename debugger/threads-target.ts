// A wasi-threads program as one DebugTarget: the scheduler (core/wasi/threads.ts) runs every
// thread; a stop in any thread stops them all (all-stop) and selects it; inspection and steps go
// to the selected thread's machine, the others stay where they are while it steps.
import type { Module } from '../core/binary';
import type { Instance } from '../core/interp';
import { WasiExit, type ProgramResult, type ThreadScheduler, type WasmThread } from '../core/wasi';
import type { DebugTarget, GlobalView, LocalView, StepResult, TableView, ThreadView, Value } from './engine';
import { MachineTarget, exceptionResult, settleRun } from './machine-target';

export class ThreadedTarget implements DebugTarget {
  private selected: WasmThread;
  private readonly views = new Map<WasmThread, MachineTarget>();
  /** Breakpoints the runtime set, applied to every thread's machine (new threads too). */
  private readonly bps: [number, number][] = [];
  /** A step of the selected thread is under way (it ran out of fuel): `run` carries it on alone. */
  private stepping = false;

  constructor(private readonly scheduler: ThreadScheduler, private readonly module: Module) {
    this.selected = scheduler.threads[0]!;
    scheduler.onSpawn = (t) => {
      for (const [f, o] of this.bps) t.machine.setBreakpoint(f, o, t.instance);
    };
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

  /** One step (or its continuation) of the selected thread alone. */
  private stepSelected(budget: number, kind: 'run' | 'in' | 'over' | 'out'): StepResult {
    const t = this.selected;
    // Parked in memory.atomic.wait, it cannot move until notified: the others run meanwhile.
    if (t.state === 'waiting') {
      this.stepping = false;
      return this.program(() => this.scheduler.run(budget));
    }
    const r = settleRun(() => this.scheduler.runOn(t, (m) => (kind === 'run' ? m.run(budget) : kind === 'in' ? m.stepInstruction(budget)
      : kind === 'over' ? m.stepOver(budget) : m.stepOut(budget))));
    this.stepping = r.reason === 'budget';
    if (r.reason === 'finished' && t.id !== 0) {
      // The spawned thread returned from wasi_thread_start: the step ends in main.
      this.selected = this.scheduler.threads[0]!;
      return { reason: 'step' };
    }
    if (r.reason === 'blocked') {
      // It waits (memory.atomic.wait or input): the others run meanwhile, until something stops.
      return this.program(() => this.scheduler.run(budget));
    }
    return r;
  }

  run(budget: number): StepResult {
    if (this.stepping) return this.stepSelected(budget, 'run');
    return this.program(() => this.scheduler.run(budget));
  }

  stepInstruction(budget: number): StepResult {
    return this.stepSelected(budget, 'in');
  }

  stepOver(budget: number): StepResult {
    return this.stepSelected(budget, 'over');
  }

  stepOut(budget: number): StepResult {
    return this.stepSelected(budget, 'out');
  }

  setBreakpoint(funcIndex: number, offset: number): number | undefined {
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
  setLocal(frame: number, index: number, value: Value): void { this.view().setLocal(frame, index, value); }
  setStackValue(frame: number, index: number, value: Value): void { this.view().setStackValue(frame, index, value); }
  /** Globals are per instance, so per thread (the stack pointer differs); memory is one. */
  globals(): GlobalView[] { return this.view().globals(); }
  setGlobal(index: number, value: Value): void { this.view().setGlobal(index, value); }
  memory(index: number): Uint8Array | undefined { return this.view().memory(index); }
  memoryCount(): number { return this.view().memoryCount(); }
  tables(): TableView[] { return this.view().tables(); }
}
