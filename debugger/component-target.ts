// A wasi:cli/command component as the runtime's DebugTarget: one Machine runs the component's
// `run` export (every core module's code on our interpreter, host calls through the canonical ABI
// answered by the WASI 0.2/0.3 host), and frames, breakpoints and locals move between each core
// instance's own indices and the combined space of ComponentCodeMap. A 0.3 `run` is an async
// task: the machine runs its core calls one after another (the export, then its callback per
// event), so breakpoints and steps work inside the task; while the task waits for the host the
// target answers 'blocked' and hostWait() gives the runtime the wake-up to await (no polling).
import type { AsyncCall, AsyncRuntime, FuncType, LoweredCall, PreparedCall } from '../core/component';
import { runStatus } from '../core/component';
import { Trap } from '../core/errors';
import { FuncInstance, Machine, MemoryInstance, type Instance, type RunResult } from '../core/interp';
import type { CoreModulePart } from './component-code-map';
import type { ComponentCallView, DebugTarget, FrameView, GlobalView, LocalView, StepResult, TableView, ThreadView, Value } from './engine';
import { settleRun } from './machine-target';
import { formatWitValue, witTypeName } from './component-values';

export interface ComponentPart extends CoreModulePart {
  instance: Instance;
}

/** The entry's call: one core call (a 0.2 `run`), or an async task with its runtime (a 0.3 `run`). */
export type EntryCall = { kind: 'sync'; call: PreparedCall } | { kind: 'async'; call: AsyncCall; rt: AsyncRuntime };

export class ComponentTarget implements DebugTarget {
  private readonly byInstance = new Map<Instance, ComponentPart>();
  private lastCall: LoweredCall | undefined;
  /** An async task waiting for the host: set until the runtime's wake-up comes. */
  private waiting: { woken: boolean } | undefined;
  /** What the last 'blocked' answer waits for: the async runtime's next wake-up. */
  private wake: Promise<void> | undefined;
  /** The task is blocked in a host call that waits on a host operation in flight. */
  private inHostCall = false;

  constructor(
    private readonly m: Machine,
    private readonly parts: readonly ComponentPart[],
    private readonly entry: { name: string; type: FuncType; args: unknown[]; call: EntryCall },
  ) {
    for (const p of parts) this.byInstance.set(p.instance, p);
    const c = entry.call;
    if (c.kind === 'sync') m.startFunc(c.call.core, c.call.args);
    else {
      const step = c.call.next();
      if (step.kind !== 'call') throw new Error('internal: an async call starts with a core call');
      m.startFunc(step.core, step.args);
    }
  }

  /**
   * The async task's next step after a core call finished (or a wait): the next core call starts
   * on the machine ('budget': the runtime goes on), a wait leaves 'budget' until woken, done exits.
   */
  private advance(c: Extract<EntryCall, { kind: 'async' }>): StepResult {
    try {
      const step = c.call.next();
      if (step.kind === 'done') return { reason: 'exit', code: runStatus(step.result) };
      if (step.kind === 'wait') {
        const w = { woken: false };
        this.waiting = w;
        this.wake = step.until.then(() => {
          w.woken = true;
        });
        return { reason: 'blocked' };
      }
      this.m.startFunc(step.core, step.args);
      // A run resumes past a breakpoint on the instruction it starts at: a breakpoint on the
      // callback's first instruction stops here, before it runs.
      return this.m.atBreakpoint ? { reason: 'breakpoint' } : { reason: 'budget' };
    } catch (err) {
      if (err instanceof Trap) return { reason: 'trap', message: err.message };
      throw err;
    }
  }

  /**
   * After a 'blocked' answer for an async task: resolves when the host operation it waits on
   * settled (then run again); undefined when the wait is not the async runtime's (stdin, 0.2 I/O).
   */
  hostWait(): Promise<void> | undefined {
    const w = this.wake;
    this.wake = undefined;
    return w;
  }

  /**
   * A 0.3 `run` is task 1 (the Call Stack's one thread), named with what it waits on while it
   * waits: the waitable set its callback returned WAIT on, or the host call it is blocked in.
   */
  threads(): ThreadView[] {
    const c = this.entry.call;
    if (c.kind === 'sync') return [{ id: 0, name: 'main' }];
    let wait = c.call.waitingOn();
    if (wait === undefined && this.inHostCall) wait = `the host${this.lastCall ? ` (${this.lastCall.name})` : ''}`;
    return [{ id: 0, name: `task 1: ${this.entry.name}${wait !== undefined ? ` (waiting on ${wait})` : ''}` }];
  }

  selectedThread(): number {
    return 0;
  }

  selectThread(): void {
    // One task: it is always the selected one.
  }

  /** The component's lowered-call hook (set before instantiation): remembers the last call out. */
  static recordCalls(holder: { target?: ComponentTarget }): (call: LoweredCall) => void {
    return (call) => {
      if (holder.target) holder.target.lastCall = call;
    };
  }

  /** The program's own module (the first part): its globals, memory and tables are the ones shown. */
  private get main(): ComponentPart {
    return this.parts[0]!;
  }

  private settle(f: () => RunResult): StepResult {
    const c = this.entry.call;
    if (this.waiting) {
      // The task waits for the host: nothing runs until the runtime woke it.
      if (!this.waiting.woken) return { reason: 'blocked' };
      this.waiting = undefined;
      if (c.kind === 'async') return this.advance(c);
    }
    this.inHostCall = false;
    const r = settleRun(f);
    if (r.reason === 'finished') {
      if (c.kind === 'async') {
        try {
          c.call.finished(r.results);
        } catch (err) {
          if (err instanceof Trap) return { reason: 'trap', message: err.message };
          throw err;
        }
        return this.advance(c);
      }
      // `run` returned: lift its result (post-return runs) and end with its exit status.
      try {
        return { reason: 'exit', code: runStatus(c.call.finish(r.results)) };
      } catch (err) {
        if (err instanceof Trap) return { reason: 'trap', message: `after ${this.entry.name} returned: ${err.message}` };
        throw err;
      }
    }
    if (r.reason === 'blocked' && c.kind === 'async' && c.rt.busy) {
      // A host call waits for a host operation in flight (not for input): run on once it settled.
      try {
        this.wake = c.rt.progress(`${this.entry.name} waits for the host`);
        this.inHostCall = true;
      } catch (err) {
        if (err instanceof Trap) return { reason: 'trap', message: err.message };
        throw err;
      }
      return { reason: 'blocked' };
    }
    if (r.reason === 'trap') {
      // The trap's indices are its instance's: the machine stays at the trap, so frame 0 says where.
      const at = this.frames()[0];
      return at ? { reason: 'trap', message: r.message, funcIndex: at.funcIndex, offset: at.offset } : { reason: 'trap', message: r.message };
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

  private partOf(funcIndex: number): ComponentPart | undefined {
    return this.parts.find((p) => funcIndex >= p.funcBase && funcIndex < p.funcBase + p.funcCount);
  }

  setBreakpoint(funcIndex: number, offset: number): number | undefined {
    const p = this.partOf(funcIndex);
    if (!p) return undefined;
    const bound = this.m.setBreakpoint(funcIndex - p.funcBase, offset - p.offsetBase, p.instance);
    return bound === undefined ? undefined : bound + p.offsetBase;
  }

  clearBreakpoint(funcIndex: number, offset: number): void {
    const p = this.partOf(funcIndex);
    if (p) this.m.clearBreakpoint(funcIndex - p.funcBase, offset - p.offsetBase, p.instance);
  }

  frames(): FrameView[] {
    return this.m.frames().map((f) => {
      const p = this.byInstance.get(f.instance);
      const t = f.tailCallOf && this.byInstance.get(f.tailCallOf.instance);
      const tail = t ? { tailCallOf: f.tailCallOf!.funcIndex + t.funcBase } : {};
      return p ? { funcIndex: f.funcIndex + p.funcBase, offset: f.offset + p.offsetBase, ...tail } : { funcIndex: -1, offset: f.offset };
    });
  }

  depth(): number {
    return this.m.frames().length;
  }

  locals(frame: number): LocalView[] {
    const f = this.m.frames()[frame];
    if (!f) return [];
    const params = f.instance.funcs[f.funcIndex]?.type.params.length ?? 0;
    return this.m.locals(frame).map((l) => ({ ...l, isParam: l.index < params }));
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
    const { instance } = this.main;
    const names = instance.compiled.module.names.globals;
    return instance.globals.map((g, index) => {
      const view: GlobalView = { index, type: g.value.type, mutable: g.mutable, value: g.value };
      const name = names.get(index);
      if (name !== undefined) view.name = name;
      return view;
    });
  }

  setGlobal(index: number, value: Value): void {
    this.m.setGlobal(this.main.instance, index, value);
  }

  memory(index: number): Uint8Array | undefined {
    const mem = this.main.instance.memories[index];
    return mem instanceof MemoryInstance ? mem.u8 : undefined;
  }

  memoryCount(): number {
    return this.main.instance.memories.length;
  }

  tables(): TableView[] {
    const { instance } = this.main;
    return instance.tables.map((t, index) => {
      const elemType = t.elemType === 0x70 ? 'funcref' : 'externref';
      const view: TableView = {
        index,
        elemType,
        elements: t.elements.map((e): Value => (elemType === 'funcref'
          ? { type: 'funcref', value: e instanceof FuncInstance ? e : null }
          : { type: 'externref', value: e ?? null })),
      };
      const name = instance.compiled.module.names.tables.get(index);
      if (name !== undefined) view.name = name;
      return view;
    });
  }

  componentCalls(): ComponentCallView[] {
    const out: ComponentCallView[] = [{
      role: 'export',
      name: this.entry.name,
      params: this.entry.type.params.map((p, i) => ({ name: p.name, type: witTypeName(p.type), value: formatWitValue(p.type, this.entry.args[i]) })),
    }];
    const c = this.lastCall;
    if (c) {
      out.push({
        role: 'last host call',
        name: c.name,
        params: c.type.params.map((p, i) => ({ name: p.name, type: witTypeName(p.type), value: formatWitValue(p.type, c.args[i]) })),
        ...(c.type.result !== undefined ? { result: { type: witTypeName(c.type.result), value: formatWitValue(c.type.result, c.result) } } : {}),
      });
    }
    return out;
  }
}
