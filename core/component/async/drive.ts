// Runs an async call to its end on a Machine of its own: each core call (the export, then its
// callback per event) under the instance's lock, so tasks of one instance (concurrent HTTP
// requests) never run core code at the same time; between calls the task waits without it.
import type { EngineOptions } from '../../interp';
import { Machine } from '../../interp';
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

/** Drives `call` until it exits; resolves to task.return's value; rejects with a Trap or the host's error. */
export async function driveAsyncCall(call: AsyncCall, rt: AsyncRuntime, lock: InstanceLock, options: EngineOptions = {}): Promise<unknown> {
  const m = new Machine(options);
  for (;;) {
    const step = call.next();
    if (step.kind === 'done') return step.result;
    if (step.kind === 'wait') {
      await step.until;
      continue;
    }
    const results = await lock.hold(async () => {
      rt.current = call.task;
      m.startFunc(step.core, step.args);
      for (;;) {
        const r = m.run();
        if (r.reason === 'finished') return r.results;
        if (r.reason === 'trap') throw r.trap;
        if (r.reason === 'exception') throw new Error(`uncaught exception in ${call.task.name}: ${r.exception.message}`);
        if (r.reason === 'blocked') await rt.progress(`${call.task.name} waits for the host`);
      }
    });
    call.finished(results);
  }
}
