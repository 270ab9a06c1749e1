// Host cancellation of an async export (cancel.wat): the host requests cancellation while the
// task waits on a subtask; the callback gets TASK_CANCELLED, calls task.cancel, waits for the
// subtask and exits without task.return. Without a request the same task returns the sum, and
// task.cancel without a request traps (builtins), so the cancelled run is the request's doing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AsyncRuntime, callCore, decodeComponent, findExportFunc, instantiateComponent, prepareAsyncLifted, validateComponent,
  type AsyncCall, type HostImports,
} from '../../../../core/component';
import { Machine } from '../../../../core/interp';

const file = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'component', 'async', 'cancel.wasm');

/** Runs cancel.wasm's run(a, b); `afterFirst` is told the call once the export's core call returned. */
async function run(afterFirst: (call: AsyncCall) => void): Promise<{ call: AsyncCall; result: unknown; events: number[] }> {
  const info = validateComponent(decodeComponent(readFileSync(file)));
  const rt = new AsyncRuntime();
  const host = { add: (a: unknown, b: unknown) => new Promise((resolve) => setTimeout(() => resolve((a as number) + (b as number)), 20)) };
  const imports: HostImports = { resolve: (n) => (n === 'host' ? host : undefined) };
  const inst = instantiateComponent(info, imports, { runtime: rt });
  const f = findExportFunc(inst, ['run']);
  assert.ok(f);
  const call = prepareAsyncLifted(f, [40, 2], callCore({}));
  const m = new Machine();
  const events: number[] = [];
  let first = true;
  for (let i = 0; i < 100; i++) {
    const step = call.next();
    if (step.kind === 'done') return { call, result: step.result, events };
    if (step.kind === 'wait') {
      await step.until;
      continue;
    }
    const ev = step.args[0];
    if (!first && ev?.type === 'i32') events.push(ev.value);
    m.startFunc(step.core, step.args);
    const r = m.run();
    if (r.reason === 'trap') throw r.trap;
    assert.equal(r.reason, 'finished');
    if (r.reason === 'finished') call.finished(r.results);
    if (first) afterFirst(call);
    first = false;
  }
  throw new Error('the event loop did not end');
}

test('without a cancel request the task waits for its subtask and returns the sum', async () => {
  const { call, result, events } = await run(() => undefined);
  assert.equal(result, 42);
  assert.deepEqual(events, [1], 'one SUBTASK event');
  assert.equal(call.task.cancelled, false);
});

test('a host cancel request reaches a waiting task as TASK_CANCELLED; it calls task.cancel and exits', async () => {
  const { call, result, events } = await run((c) => c.requestCancel());
  assert.deepEqual(events, [6, 1], 'TASK_CANCELLED first, then the subtask it still waited for');
  assert.equal(call.task.cancelRequested, true);
  assert.equal(call.task.cancelled, true);
  assert.equal(result, undefined, 'no task.return');
});

test('a cancel request after the task exited changes nothing', async () => {
  const { call, result } = await run(() => undefined);
  call.requestCancel();
  assert.equal(call.task.cancelRequested, false);
  assert.equal(result, 42);
});
