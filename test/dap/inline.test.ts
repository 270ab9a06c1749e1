// The client runs the adapter inline (`new DebugAdapterInlineImplementation(new WasmDebugSession())`):
// the same session driven through handleMessage/onDidSendMessage, in this process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { WasmDebugSession } from '../../debugger/session';
import { fixture, lineOf } from './dap-harness';

test('inline session: launch, breakpoint, stack, output and exit without a process', async () => {
  const session = new WasmDebugSession();
  const messages: DebugProtocol.ProtocolMessage[] = [];
  const waiters: { match: (m: DebugProtocol.ProtocolMessage) => boolean; resolve: (m: DebugProtocol.ProtocolMessage) => void }[] = [];
  const listener = session.onDidSendMessage((m) => {
    const msg = m as DebugProtocol.ProtocolMessage;
    messages.push(msg);
    for (const w of waiters.splice(0)) {
      if (w.match(msg)) w.resolve(msg);
      else waiters.push(w);
    }
  });
  const next = (match: (m: DebugProtocol.ProtocolMessage) => boolean) => {
    const seen = messages.find(match);
    return seen ? Promise.resolve(seen) : new Promise<DebugProtocol.ProtocolMessage>((resolve) => waiters.push({ match, resolve }));
  };
  let seq = 1;
  const request = (command: string, args: unknown) => {
    const s = seq++;
    session.handleMessage({ seq: s, type: 'request', command, arguments: args } as DebugProtocol.Request);
    return next((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === s) as Promise<DebugProtocol.Response>;
  };
  const event = (name: string) => next((m) => m.type === 'event' && (m as DebugProtocol.Event).event === name) as Promise<DebugProtocol.Event>;

  try {
    await request('initialize', { adapterID: 'wasmscope', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    const program = fixture('basics.wat');
    const launched = request('launch', { program });
    await event('initialized');
    const bps = await request('setBreakpoints', { source: { path: program }, breakpoints: [{ line: lineOf('basics.wat', 'square') }] });
    assert.equal(bps.success, true);
    await request('configurationDone', {});
    assert.equal((await launched).success, true);
    await event('stopped');
    const st = (await request('stackTrace', { threadId: 1 })) as DebugProtocol.StackTraceResponse;
    assert.deepEqual(st.body.stackFrames.map((f) => f.name), ['square', 'sum', 'main']);
    await request('setBreakpoints', { source: { path: program }, breakpoints: [] });
    await request('continue', { threadId: 1 });
    const exited = (await event('exited')) as DebugProtocol.ExitedEvent;
    assert.equal(exited.body.exitCode, 7);
    await event('terminated');
    const out = messages.filter((m): m is DebugProtocol.OutputEvent => m.type === 'event' && (m as DebugProtocol.Event).event === 'output');
    assert.equal(out.filter((o) => o.body.category === 'stdout').map((o) => o.body.output).join(''), 'hello\nhello\n');
    assert.equal((await request('disconnect', {})).success, true);
  } finally {
    listener.dispose();
  }
});
