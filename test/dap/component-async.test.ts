// F5 on a WASI 0.3 component (rust-wasip3/monotonic-clock.wasm: its wasi:cli/run@0.3.0 export is
// an async task that waits on the host's monotonic-clock wait-for): a function breakpoint in the
// task's entry stops there; one in its callback stops after the host's timer settled and the
// event loop delivered the SUBTASK event (a breakpoint inside the async task, after a wait);
// the Component call scope names the 0.3 export; continuing ends the run with exit status 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, root, scopeValues, stopped, withClient } from './dap-harness';

const component = join(root, '..', 'shared', 'wasi-testsuite', 'rust-wasip3', 'monotonic-clock.wasm');
const ENTRY = '[async-lift]wasi:cli/run@0.3.0#run';
const CALLBACK = '[callback][async-lift]wasi:cli/run@0.3.0#run';

test('a 0.3 component: breakpoints in its async task\'s entry and in its callback after a host wait, then exit 0', { skip: !existsSync(component) && 'rust-wasip3 is absent' }, () => withClient(async (dc) => {
  const first = stopped(dc, 'function breakpoint');
  await launch(dc, { program: component }, async () => {
    const r = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: ENTRY }, { name: CALLBACK }] });
    assert.deepEqual(r.body.breakpoints.map((b) => b.verified), [true, true]);
  });
  const entry = (await first).frame;
  assert.ok(entry.name.startsWith(ENTRY), entry.name);
  const scope = await scopeValues(dc, 'Component call', entry.id);
  assert.match(scope.get('export')?.value ?? '', /^wasi:cli\/run@0\.3\.0#run\(\)$/);
  // The task waits for wait-for's timer (a subtask); the callback runs once the event comes.
  const inCallback = stopped(dc, 'function breakpoint');
  await dc.continueRequest({ threadId: 1 });
  const cb = (await inCallback).frame;
  assert.ok(cb.name.startsWith(CALLBACK), cb.name);
  const st = await dc.stackTraceRequest({ threadId: 1 });
  assert.equal(st.body.stackFrames.length, 1, 'the callback is the bottom of the core stack: the event loop called it');
  // Each later event calls the callback again; clear the breakpoints and run to the end.
  await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
  const exited = dc.waitForEvent('exited') as Promise<{ body: { exitCode: number } }>;
  await dc.continueRequest({ threadId: 1 });
  assert.equal((await exited).body.exitCode, 0);
}));

// sleep-2s.wasm: run waits on monotonic-clock wait-for(2 s). Paused during the wait, the Call
// Stack's thread is the task, named with the waitable set it waits on and the subtask joined to it.
const sleeper = join(root, 'test', 'fixtures', 'component', 'async', 'sleep-2s.wasm');

test('a 0.3 task paused while it waits: threads names the task and the waitable set and subtask it waits on', () => withClient(async (dc) => {
  await launch(dc, { program: sleeper });
  // Until the task is in its wait (the thread's name says what it waits on), not a fixed time.
  for (;;) {
    const th = await dc.threadsRequest();
    if (th.body.threads.some((t) => t.name.includes('waiting on'))) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  // Between core calls the task has no core frames, so wait for the event alone (not a top frame).
  const paused = dc.waitForEvent('stopped') as Promise<{ body: { reason: string } }>;
  await dc.pauseRequest({ threadId: 1 });
  assert.equal((await paused).body.reason, 'pause');
  const th = await dc.threadsRequest();
  assert.deepEqual(th.body.threads.map((t) => t.id), [1]);
  assert.match(th.body.threads[0]!.name, /^task 1: wasi:cli\/run@0\.3\.0#run \(waiting on waitable set \d+: subtask \d+\)$/);
  const exited = dc.waitForEvent('exited') as Promise<{ body: { exitCode: number } }>;
  await dc.continueRequest({ threadId: 1 });
  assert.equal((await exited).body.exitCode, 0);
  const after = await dc.threadsRequest();
  assert.ok(after.body.threads.every((t) => !t.name.includes('waiting')), 'the ended task waits on nothing');
}));
