// wasi-threads in the debugger: every Wasm thread is a DAP thread (main = 1, tid N = N + 1); a
// breakpoint in a spawned thread stops it and pauses main (all-stop); the Call Stack and
// Variables are per thread; continuing runs both to the program's end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { fixture, launch, lineOf, withClient } from './dap-harness';

const program = fixture('threads.wat');

test('a breakpoint in a spawned thread stops there, listing both threads with their own stacks and locals', () => withClient(async (dc) => {
  const stop = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await launch(dc, { program }, async () => {
    const r = await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: lineOf('threads.wat', 'in-thread') }] });
    assert.equal(r.body.breakpoints[0]?.verified, true);
  });
  const ev = await stop;
  assert.equal(ev.body.reason, 'breakpoint');
  assert.equal(ev.body.threadId, 2, 'the spawned thread (tid 1) stopped');
  assert.equal(ev.body.allThreadsStopped, true);

  const threads = await dc.threadsRequest();
  assert.deepEqual(threads.body.threads.map((t) => [t.id, t.name]), [[1, 'main'], [2, 'thread 1']]);

  const inThread = await dc.stackTraceRequest({ threadId: 2 });
  const top = inThread.body.stackFrames[0]!;
  assert.equal(top.name, 'worker');
  assert.equal(top.line, lineOf('threads.wat', 'in-thread'));
  assert.equal(inThread.body.stackFrames.length, 1);

  const inMain = await dc.stackTraceRequest({ threadId: 1 });
  assert.equal(inMain.body.stackFrames[0]?.name, 'main');
  assert.equal(inMain.body.stackFrames[0]?.line, lineOf('threads.wat', 'main-wait'), 'main is parked in its wait');

  // Locals of each thread's frame, asked in the other order than the stacks were.
  const localsOf = async (frameId: number): Promise<Map<string, string>> => {
    const scopes = await dc.scopesRequest({ frameId });
    const locals = scopes.body.scopes.find((s) => s.name === 'Locals')!;
    const vars = await dc.variablesRequest({ variablesReference: locals.variablesReference });
    // i32 values show as `1 (0x00000001)`: the decimal is enough here.
    return new Map(vars.body.variables.map((v) => [v.name, v.value.split(' ')[0]!]));
  };
  const mainLocals = await localsOf(inMain.body.stackFrames[0]!.id);
  const threadLocals = await localsOf(top.id);
  assert.equal(threadLocals.get('$tid'), '1');
  assert.equal(threadLocals.get('$arg'), '40');
  assert.equal(mainLocals.get('$t'), '1', 'main holds the tid thread-spawn returned');

  // Stepping the spawned thread leaves main where it is.
  const stepped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await dc.nextRequest({ threadId: 2 });
  assert.equal((await stepped).body.threadId, 2);
  assert.equal((await dc.stackTraceRequest({ threadId: 2 })).body.stackFrames[0]?.line, lineOf('threads.wat', 'in-thread') + 1);
  assert.equal((await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]?.line, lineOf('threads.wat', 'main-wait'));

  const exited = dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
  await dc.continueRequest({ threadId: 2 });
  assert.equal((await exited).body.exitCode, 41);
}));
