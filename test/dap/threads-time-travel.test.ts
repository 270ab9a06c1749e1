// Time travel in a wasi-threads program (test/fixtures/dap/threads-race.wat, a lost-update race):
// steps of one thread let the other take its turns as it would without the debugger, so going back
// (a replay from the start with host calls answered from the log) and forth again meets the same
// interleaving — the same locals, the same racy counter in memory, the same output in the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { collectOutput, fixture, launch, lineOf, withClient } from './dap-harness';

const program = fixture('threads-race.wat');
/** Turns of 3 fuel: the threads interleave every iteration or two, and updates get lost. */
const config = { program, quantum: 3 };

interface Moment {
  thread: number;
  line: number;
  v: string;
  counter: string;
}

async function stoppedAfter(dc: DebugClient, request: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stop = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await request();
  return stop;
}

async function moment(dc: DebugClient, thread: number): Promise<Moment> {
  const st = await dc.stackTraceRequest({ threadId: thread });
  const top = st.body.stackFrames[0]!;
  const scopes = await dc.scopesRequest({ frameId: top.id });
  const locals = await dc.variablesRequest({ variablesReference: scopes.body.scopes.find((s) => s.name === 'Locals')!.variablesReference });
  const v = locals.body.variables.find((x) => x.name === '$v')?.value ?? '?';
  const r = await dc.evaluateRequest({ expression: 'i32.load 0', frameId: top.id, context: 'watch' });
  return { thread, line: top.line, v, counter: r.body.result };
}

async function runToEnd(dc: DebugClient, thread: number): Promise<number> {
  const exited = dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
  await dc.continueRequest({ threadId: thread });
  return (await exited).body.exitCode;
}

test('a racy threaded program: step back through turns of the other thread and forward again to the same values; the same output as a run without going back', async () => {
  // The reference: the same launch, no stops.
  let reference = '';
  let referenceCode = -1;
  await withClient(async (dc) => {
    const out = collectOutput(dc);
    const exited = dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
    const terminated = dc.waitForEvent('terminated');
    await launch(dc, config);
    referenceCode = (await exited).body.exitCode;
    await terminated;
    reference = out.text('stdout');
  });
  assert.match(reference, /^\d+\n$/);
  assert.ok(Number(reference) < 6000, `updates are lost (${reference.trim()})`);

  await withClient(async (dc) => {
    const out = collectOutput(dc);
    const first = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await launch(dc, config, () => dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: lineOf('threads-race.wat', 'race-store') }] }));
    // Several hits: into the spawned thread's turns.
    let ev = await first;
    for (let i = 0; i < 5; i++) ev = await stoppedAfter(dc, () => dc.continueRequest({ threadId: ev.body.threadId! }));
    await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
    const thread = ev.body.threadId!;
    const forward: Moment[] = [await moment(dc, thread)];
    for (let i = 0; i < 8; i++) {
      const s = await stoppedAfter(dc, () => dc.nextRequest({ threadId: thread }));
      assert.equal(s.body.threadId, thread, `step ${i} stopped in its thread (${s.body.reason})`);
      forward.push(await moment(dc, thread));
    }
    // The other thread ran during the steps: the counter moved by more than this thread's stores.
    assert.ok(new Set(forward.map((m) => m.counter)).size > 2, JSON.stringify(forward));

    for (let i = forward.length - 2; i >= 0; i--) {
      const s = await stoppedAfter(dc, () => dc.stepBackRequest({ threadId: thread }));
      assert.equal(s.body.threadId, thread, `step back to ${i} stopped in its thread (${s.body.reason}: ${s.body.text ?? ''})`);
      assert.deepEqual(await moment(dc, thread), forward[i], `back to step ${i}`);
    }
    for (let i = 1; i < forward.length; i++) {
      await stoppedAfter(dc, () => dc.nextRequest({ threadId: thread }));
      assert.deepEqual(await moment(dc, thread), forward[i], `forward again to step ${i}`);
    }
    const threads = await dc.threadsRequest();
    assert.deepEqual(threads.body.threads.map((t) => t.name), ['main', 'thread 1']);
    assert.equal(await runToEnd(dc, thread), referenceCode);
    assert.equal(out.text('stdout'), reference, 'the same interleaving: the same count, printed once');
  });
});
