// The scheduler side of the async Canonical ABI: which task is running, the host operations in
// flight (promises) and the wake-ups that let a waiting driver look again. Guest code never runs
// from here: the driver (the CLI's run loop, or the debugger) runs every core call on a Machine
// and only awaits `progress()` when all guest code is waiting.
import { Trap } from '../../errors';
import type { FuncType } from '../types';
import type { Wake } from './waitables';

/** What an async host function's promise resolves to when the call was cancelled. */
export const CANCELLED: unique symbol = Symbol('cancelled');

/** A host operation that can be asked to stop early (its promise then resolves to CANCELLED). */
export type HostPromise<T> = Promise<T | typeof CANCELLED> & { cancel?: () => void };

/** One call of an async-lifted export (CanonicalABI.md "Task State"). */
export class Task {
  /** context.get / context.set slots of its (implicit) thread. */
  readonly context = [0, 0];
  returned = false;
  result: unknown;
  cancelRequested = false;
  cancelled = false;
  /** Told when task.return gives the result (the task itself may go on until it exits). */
  onReturn: ((value: unknown) => void) | undefined;

  constructor(readonly ft: FuncType, readonly name: string) {}

  return_(value: unknown): void {
    if (this.returned || this.cancelled) throw new Trap(`${this.name}: task.return called after the task already returned or was cancelled`);
    this.returned = true;
    this.result = value;
    this.onReturn?.(value);
  }
}

export class AsyncRuntime implements Wake {
  /** The task whose core code is running (undefined in a synchronous export). */
  current: Task | undefined;
  /** context.get/set outside any async task. */
  readonly syncContext = [0, 0];
  /** backpressure.inc/dec counter of the instance. */
  backpressure = 0;
  private waiters: (() => void)[] = [];
  private inFlight = 0;
  private failure: { error: unknown } | undefined;

  wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Runs host work in the background; `then` applies its value (it may set events); settling wakes the driver. */
  track<T>(p: Promise<T>, then: (v: T) => void): void {
    this.inFlight++;
    p.then(
      (v) => {
        this.inFlight--;
        try {
          then(v);
        } catch (e) {
          this.failure ??= { error: e };
        }
        this.wake();
      },
      (e: unknown) => {
        this.inFlight--;
        this.failure ??= { error: e };
        this.wake();
      },
    );
  }

  /** Host operations still in flight. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Rethrows a failure of background host work (a trap or exit raised while applying a result). */
  checkFailure(): void {
    const f = this.failure;
    if (f) {
      this.failure = undefined;
      throw f.error;
    }
  }

  /**
   * Resolves once something may have changed. All guest code is waiting when this is called, so
   * with no host operation in flight nothing ever could: that is a deadlock, reported as a trap.
   */
  progress(what: string): Promise<void> {
    this.checkFailure();
    if (this.inFlight === 0) throw new Trap(`deadlock: ${what}, and no host operation is in flight that could wake it`);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
