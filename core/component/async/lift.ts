// Calling an async-lifted export (CanonicalABI.md `canon_lift` with the async option): the core
// function starts the task; with a callback it returns a code (EXIT, YIELD, WAIT on a waitable
// set) and the event loop calls the callback with each event until EXIT. The loop is a step
// machine: `next()` says which core call to run (on any Machine, so the debugger can step it)
// or what to await, `finished()` takes the core results. The result is what task.return gave.
import { Trap } from '../../errors';
import type { FuncInstance, Value } from '../../interp';
import { coreSignature } from '../abi';
import { allocate, lowerFlat, storeTuple, tupleLayout, type CallContext, type Flat } from '../canon';
import type { FuncType } from '../types';
import { Task, type AsyncRuntime } from './runtime';
import { EventCode, WaitableSet, type Event } from './waitables';

export const enum CallbackCode {
  EXIT = 0,
  YIELD = 1,
  WAIT = 2,
}

export type AsyncStep =
  | { kind: 'call'; core: FuncInstance; args: Value[] }
  | { kind: 'wait'; until: Promise<void> }
  | { kind: 'done'; result: unknown };

export interface AsyncLifted {
  type: FuncType;
  name: string;
  core: FuncInstance;
  callback: FuncInstance | undefined;
  cx: CallContext;
}

/** One running call of an async-lifted function. */
export class AsyncCall {
  readonly task: Task;
  private state: 'start' | 'running' | 'exit' | 'yield' | 'wait' | 'done' = 'start';
  private waitSet = 0;
  /** The host asked to cancel and the task has not had its TASK_CANCELLED event yet. */
  private cancelPending = false;
  private readonly args: Value[];

  constructor(private readonly f: AsyncLifted, args: unknown[], private readonly rt: AsyncRuntime, toValue: (t: number, v: Flat) => Value) {
    this.task = new Task(f.type, f.name);
    const sig = coreSignature(f.type, 'lift', { callback: f.callback !== undefined });
    const paramTypes = f.type.params.map((p) => p.type);
    let flat: Flat[];
    if (sig.paramsInMemory) {
      const { size, align } = tupleLayout(paramTypes);
      const ptr = allocate(f.cx, align, size);
      storeTuple(f.cx, paramTypes, args, ptr);
      flat = [ptr];
    } else {
      flat = paramTypes.flatMap((t, i) => lowerFlat(f.cx, t, args[i]));
    }
    this.args = flat.map((v, i) => toValue(f.core.type.params[i]!, v));
  }

  /** The next thing to do. Call it again after a 'wait' resolves; after a 'call', pass the results to finished(). */
  next(): AsyncStep {
    this.rt.checkFailure();
    switch (this.state) {
      case 'start':
        this.state = 'running';
        this.rt.current = this.task;
        return { kind: 'call', core: this.f.core, args: this.args };
      case 'yield':
        if (this.cancelPending) return this.cancelEvent();
        return this.callback([EventCode.NONE, 0, 0]);
      case 'wait': {
        const set = this.f.cx.handles.getItem(this.waitSet, WaitableSet, 'waitable set');
        if (this.cancelPending) {
          set.numWaiting = 0;
          return this.cancelEvent();
        }
        if (set.hasPendingEvent()) {
          set.numWaiting = 0;
          return this.callback(set.getPendingEvent());
        }
        set.numWaiting = 1;
        return { kind: 'wait', until: this.rt.progress(`${this.f.name} waits on waitable set ${this.waitSet}`) };
      }
      case 'exit':
        this.state = 'done';
        if (this.rt.current === this.task) this.rt.current = undefined;
        if (!this.task.returned && !this.task.cancelled) throw new Trap(`${this.f.name}: the task exited without calling task.return`);
        return { kind: 'done', result: this.task.result };
      case 'running':
        throw new Error('AsyncCall.next: the last core call has not finished');
      case 'done':
        throw new Error('AsyncCall.next: the call is done');
    }
  }

  /**
   * The caller (the host: a request dropped, SIGINT) asks the task to stop: at its next event the
   * callback gets TASK_CANCELLED, and may then call task.cancel (or still return normally).
   * Nothing happens to a task that already returned, was cancelled or exited.
   */
  requestCancel(): void {
    if (this.task.cancelRequested || this.task.returned || this.task.cancelled || this.state === 'exit' || this.state === 'done') return;
    this.task.cancelRequested = true;
    if (!this.f.callback) return;
    this.cancelPending = true;
    this.rt.wake();
  }

  private cancelEvent(): AsyncStep {
    this.cancelPending = false;
    return this.callback([EventCode.TASK_CANCELLED, 0, 0]);
  }

  /**
   * While the task waits (its last core call returned WAIT): the waitable set and what is joined
   * to it, e.g. `waitable set 2: subtask 1, stream readable end 3`; undefined otherwise.
   */
  waitingOn(): string | undefined {
    if (this.state !== 'wait') return undefined;
    const set = this.f.cx.handles.getItem(this.waitSet, WaitableSet, 'waitable set');
    const on = [...set.elems].map((w) => (w.index > 0 ? `${w.describe()} ${w.index}` : w.describe()));
    return `waitable set ${this.waitSet}${on.length > 0 ? `: ${on.join(', ')}` : ''}`;
  }

  /** Takes the results of the core call next() asked for. */
  finished(results: Value[]): void {
    if (this.state !== 'running') throw new Error('AsyncCall.finished: no core call is running');
    if (!this.f.callback) {
      this.state = 'exit';
      return;
    }
    const r = results[0];
    const packed = r && r.type === 'i32' ? r.value >>> 0 : 0;
    const code = packed & 0xf;
    this.waitSet = packed >>> 4;
    switch (code) {
      case CallbackCode.EXIT: this.state = 'exit'; break;
      case CallbackCode.YIELD: this.state = 'yield'; break;
      case CallbackCode.WAIT:
        this.f.cx.handles.getItem(this.waitSet, WaitableSet, 'waitable set');
        this.state = 'wait';
        break;
      default: throw new Trap(`${this.f.name}: the callback returned an unknown code ${code} (0x${packed.toString(16)})`);
    }
  }

  private callback(e: Event): AsyncStep {
    this.state = 'running';
    // Tasks of one instance interleave between core calls: each call runs as its own task.
    this.rt.current = this.task;
    const cb = this.f.callback!;
    return { kind: 'call', core: cb, args: e.map((v) => ({ type: 'i32', value: v | 0 }) as Value) };
  }
}
