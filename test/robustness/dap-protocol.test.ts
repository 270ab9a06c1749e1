// Malformed and out-of-order DAP traffic to the bundled adapter (node dist/debugAdapter.js): garbage
// and lying headers on the wire, unknown commands, missing or mistyped arguments before launch,
// while stopped and after termination. Every request gets a response, the adapter keeps working,
// and the process ends after disconnect or when its input closes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CONTROL, MISTYPED } from './dap-requests';
import { WireClient, type Message } from './wire-client';

const root = join(import.meta.dirname, '..', '..');
const adapter = join(root, 'dist', 'debugAdapter.js');
const program = join(root, 'test', 'fixtures', 'dap', 'basics.wat');

let seq = 1;
function request(c: WireClient, command: string, args?: unknown): Promise<Message> {
  const id = seq++;
  c.send(args === undefined ? { seq: id, type: 'request', command } : { seq: id, type: 'request', command, arguments: args });
  return c.waitFor((m) => m.type === 'response' && m.request_seq === id, `${command} (seq ${id})`);
}

async function sendMistyped(c: WireClient, phase: string, only: (command: string) => boolean = () => true): Promise<void> {
  for (const [command, args] of MISTYPED.filter(([command]) => only(command))) {
    const r = await request(c, command, args);
    // A response of either kind is right; what matters is that one came and that it is well formed.
    assert.equal(typeof r.success, 'boolean', `${phase} ${command}: ${JSON.stringify(r)}`);
    if (!r.success) assert.equal(typeof r.message, 'string', `${phase} ${command}: a failure says why`);
  }
}

async function initialize(c: WireClient): Promise<void> {
  const r = await request(c, 'initialize', { adapterID: 'wasmscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  assert.equal(r.success, true, JSON.stringify(r));
}

test('garbage and lying headers on the wire are survived; the next request is answered', async () => {
  const c = WireClient.start(adapter);
  try {
    c.raw('hello there\r\n\r\n');
    c.raw('Content-Length: abc\r\n\r\n{}');
    c.raw('Content-Length: -5\r\n\r\n');
    c.raw('X-Other: 1\r\n\r\n');
    c.send('{ this is not json');
    c.send('[1, 2, 3]');
    c.send('42');
    c.send('null');
    c.send({ type: 'request' });
    c.send({ seq: 'x', type: 'request', command: 42 });
    c.send({ seq: 9999, type: 'response', request_seq: 1, success: true, command: 'initialize' });
    c.send({ seq: 9998, type: 'event', event: 'stopped' });
    c.raw(Buffer.from([0xff, 0xfe, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]));
    await initialize(c);
  } finally {
    c.child.stdin.end();
    await c.exit();
  }
});

test('mistyped and unknown requests before launch, while stopped and after termination all get responses', async () => {
  const c = WireClient.start(adapter);
  try {
    await sendMistyped(c, 'before initialize:');
    await initialize(c);
    await sendMistyped(c, 'before launch:');
    for (const args of [null, {}, { program: 42 }, { program: program, args: 'x', env: [1], dirs: 7, stopOnEntry: 'yes' }, { program: '/no/such.wat' }]) {
      const r = await request(c, 'launch', args);
      assert.equal(r.success, false, `launch ${JSON.stringify(args)} must fail`);
    }

    const launched = await request(c, 'launch', { program, stopOnEntry: true });
    assert.equal(launched.success, true, JSON.stringify(launched));
    await request(c, 'configurationDone', {});
    await c.waitFor((m) => m.type === 'event' && m.event === 'stopped', 'stopped on entry');
    await sendMistyped(c, 'while stopped:', (command) => !CONTROL.has(command));
    // Still debuggable after all that: a real stack trace.
    const st = await request(c, 'stackTrace', { threadId: 1 });
    assert.equal(st.success, true);
    assert.ok(((st.body as { stackFrames: unknown[] }).stackFrames).length > 0, 'a stack while stopped');
    const second = await request(c, 'launch', { program });
    assert.equal(typeof second.success, 'boolean', 'a second launch is answered');
    // The mistyped steps and continues resume the program (or are refused); it then runs to its end.
    await sendMistyped(c, 'stepping:', (command) => CONTROL.has(command));
    await request(c, 'continue', { threadId: 1 });
    await c.waitFor((m) => m.type === 'event' && m.event === 'terminated', 'terminated');

    await sendMistyped(c, 'after exit:');
    await request(c, 'terminate', {});
    await sendMistyped(c, 'after terminate:');
    const d = await request(c, 'disconnect', {});
    assert.equal(d.success, true);
    const after = await c.exit();
    assert.equal(after.signal, null, 'the adapter ended on its own after disconnect');
  } finally {
    if (c.child.exitCode === null) c.child.kill('SIGKILL');
  }
});

test('disconnect while a program runs and closing stdin both end the adapter', async () => {
  const spin = join(root, 'test', 'fixtures', 'dap', 'spin.wat');
  const running = WireClient.start(adapter);
  await initialize(running);
  await request(running, 'launch', { program: spin });
  await request(running, 'configurationDone', {});
  await request(running, 'disconnect', { terminateDebuggee: true });
  assert.equal((await running.exit()).signal, null);

  const orphan = WireClient.start(adapter);
  await initialize(orphan);
  await request(orphan, 'launch', { program: spin });
  await request(orphan, 'configurationDone', {});
  orphan.child.stdin.end();
  assert.equal((await orphan.exit()).signal, null, 'an editor that dies leaves no adapter spinning');
});
