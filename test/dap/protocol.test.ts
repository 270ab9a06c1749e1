// Odd but legal client behaviour: requests before launch or after exit, unknown commands,
// imports the debugger cannot provide, "Run Without Debugging", interpreter limits.
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { adapter } from './dap-harness';
import assert from 'node:assert/strict';
import { collectOutput, fixture, launch, lineOf, root, startClient, stopped } from './dap-harness';
import { join } from 'node:path';

test('requests before launch get answers, unknown commands an error; the adapter keeps going', async () => {
  const dc = await startClient();
  try {
    await dc.initializeRequest({ adapterID: 'wasmscope', pathFormat: 'path' });
    assert.deepEqual((await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames, []);
    await assert.rejects(dc.continueRequest({ threadId: 1 }), /not running/);
    await assert.rejects(dc.evaluateRequest({ expression: '1 + 1', context: 'watch' }), /stopped/);
    await assert.rejects(dc.customRequest('frobnicate', {}), /unrecognized request|frobnicate/i);
    const bps = await dc.setBreakpointsRequest({ source: { path: fixture('basics.wat') }, breakpoints: [{ line: 3 }] });
    assert.equal(bps.body.breakpoints[0]?.verified, false);
    assert.equal((await dc.threadsRequest()).body.threads.length, 1);
  } finally {
    await dc.stop();
  }
});

test('a second launch in the same session is refused; the first program carries on', async () => {
  const dc = await startClient();
  try {
    await launch(dc, { program: fixture('spin.wat') });
    await assert.rejects(dc.launchRequest({ program: fixture('basics.wat') } as never), /already running/);
    const p = stopped(dc, 'pause');
    await dc.pauseRequest({ threadId: 1 });
    assert.equal((await p).frame.name, 'main');
  } finally {
    await dc.stop();
  }
});

test('an import the debugger cannot provide is named in the launch error', async () => {
  const dc = await startClient();
  try {
    await dc.initializeRequest({ adapterID: 'wasmscope', pathFormat: 'path' });
    await assert.rejects(dc.launch({ program: fixture('env-import.wat') }), /unknown import "env" "log"/);
  } finally {
    await dc.stop();
  }
});

test('after the program exits, state requests still answer', async () => {
  const dc = await startClient();
  try {
    const terminated = dc.waitForEvent('terminated');
    await launch(dc, { program: fixture('basics.wat') });
    await terminated;
    assert.deepEqual((await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames, []);
    await assert.rejects(dc.nextRequest({ threadId: 1 }), /not running/);
  } finally {
    await dc.stop();
  }
});

test('"Run Without Debugging" ignores breakpoints and stop on entry', async () => {
  const dc = await startClient();
  try {
    const out = collectOutput(dc);
    const exited = dc.waitForEvent('exited');
    const program = fixture('basics.wat');
    await launch(dc, { program, noDebug: true, stopOnEntry: true }, () =>
      dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: lineOf('basics.wat', 'square') }] }));
    assert.equal((await exited).body.exitCode, 7);
    assert.equal(out.text('stdout'), 'hello\nhello\n');
  } finally {
    await dc.stop();
  }
});

test('unbounded recursion stops with "call stack exhausted" at the configured depth', async () => {
  const dc = await startClient();
  try {
    const s = stopped(dc, 'exception');
    await launch(dc, { program: fixture('recurse.wat'), maxCallDepth: 500 });
    const { event, frame } = await s;
    assert.equal(event.body.text, 'call stack exhausted');
    assert.equal(frame.name, 'down');
    const st = await dc.stackTraceRequest({ threadId: 1, startFrame: 0, levels: 20 });
    assert.equal(st.body.stackFrames.length, 20, 'levels pages the stack');
    assert.ok((st.body.totalFrames ?? 0) >= 500 && (st.body.totalFrames ?? 0) <= 502);
  } finally {
    await dc.stop();
  }
});

test('disconnect while the program spins ends the adapter process (nothing left behind)', async () => {
  const child = spawn(process.execPath, [adapter], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let seq = 1;
  const send = (command: string, args: unknown) => {
    const body = JSON.stringify({ seq: seq++, type: 'request', command, arguments: args });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  let output = '';
  const saw = (re: RegExp) => new Promise<void>((resolve) => {
    const check = () => { if (re.test(output)) { child.stdout.off('data', on); resolve(); } };
    const on = (d: Buffer) => { output += d.toString(); check(); };
    child.stdout.on('data', on);
    check();
  });
  send('initialize', { adapterID: 'wasmscope', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
  send('launch', { program: fixture('spin.wat') });
  await saw(/"event":"initialized"/);
  send('configurationDone', {});
  await saw(/"command":"configurationDone"/);
  send('disconnect', { terminateDebuggee: true });
  assert.equal(await exited, 0);
});

test('.wast scripts are pointed at wasmscope spec', async () => {
  const dc = await startClient();
  try {
    await dc.initializeRequest({ adapterID: 'wasmscope', pathFormat: 'path' });
    await assert.rejects(dc.launch({ program: join(root, 'examples', 'spec.wast') }), /wasmscope spec/);
  } finally {
    await dc.stop();
  }
});
