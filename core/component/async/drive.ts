// Runs an async call to its end on a Machine of its own: each core call (the export, then its
// callback per event) under the instance's lock, so tasks of one instance (concurrent HTTP
// requests) never run core code at the same time; between calls the task waits without it.
import type { EngineOptions } from '../../interp';
import { Machine, type FuncInstance, type Value } from '../../interp';
import type { AsyncCall } from './lift';
import type { AsyncRuntime } from './runtime';

/** A FIFO lock: one holder at a time. */
export class InstanceLock {
  private tail: Promise<void> = Promise.resolve();

  async hold<T>(f: () => Promise<T>): Promise<T> {
    const prev = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => {
      release = r;
    });
    await prev;
    try {
      return await f();
    } finally {
      release();
    }
  }
}

/** One core call of a task, run to its end by whoever drives the task: its results, or a stop
 * (the driver's own outcome, e.g. an exit status after a reported trap) that ends the task. */
export type CoreCallOutcome<S> = { kind: 'results'; results: Value[] } | { kind: 'stop'; stop: S };

/**
 * The one loop every driver of an async task shares (the CLI's run, serve, driveAsyncCall): ask the
 * task for its next step, await its waits, run its core calls through `runCore` and hand their
 * results back, until it is done (its task.return value) or `runCore` stops it.
 */
export async function driveTask<S>(
  call: AsyncCall,
  runCore: (core: FuncInstance, args: Value[]) => Promise<CoreCallOutcome<S>>,
): Promise<{ kind: 'done'; result: unknown } | { kind: 'stop'; stop: S }> {
  for (;;) {
    const step = call.next();
    if (step.kind === 'done') return { kind: 'done', result: step.result };
    if (step.kind === 'wait') {
      await step.until;
      continue;
    }
    const out = await runCore(step.core, step.args);
    if (out.kind === 'stop') return out;
    call.finished(out.results);
  }
}

/** Drives `call` until it exits on a Machine of its own, each core call under `lock`; resolves to
 * task.return's value; rejects with a Trap or the host's error. */
export async function driveAsyncCall(call: AsyncCall, rt: AsyncRuntime, lock: InstanceLock, options: EngineOptions = {}): Promise<unknown> {
  const m = new Machine(options);
  const out = await driveTask<never>(call, (core, args) =>
    lock.hold(async () => {
      rt.current = call.task;
      m.startFunc(core, args);
      for (;;) {
        const r = m.run();
        if (r.reason === 'finished') return { kind: 'results', results: r.results };
        if (r.reason === 'trap') throw r.trap;
        if (r.reason === 'exception') throw new Error(`uncaught exception in ${call.task.name}: ${r.exception.message}`);
        if (r.reason === 'blocked') await rt.progress(`${call.task.name} waits for the host`);
      }
    }),
  );
  if (out.kind === 'stop') throw new Error('internal: a lock-held core call does not stop');
  return out.result;
}
