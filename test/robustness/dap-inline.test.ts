// The debug session as the extension runs it: inline, in the extension host (client/debug.ts), where
// an exception escaping a request handler would land in the editor's process. Mistyped requests in
// every phase must come back as responses through onDidSendMessage, and nothing may throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { WasmDebugSession } from '../../debugger/session';
import { CONTROL, MISTYPED } from './dap-requests';

const program = join(import.meta.dirname, '..', 'fixtures', 'dap', 'basics.wat');

test('the inline session answers mistyped requests before launch, while stopped and after exit', async () => {
  const session = new WasmDebugSession();
  const sent: DebugProtocol.ProtocolMessage[] = [];
  const waiters: (() => void)[] = [];
  session.onDidSendMessage((m) => {
    sent.push(m as DebugProtocol.ProtocolMessage);
    for (const w of waiters.splice(0)) w();
  });
  let seq = 1;
  const waitFor = async (match: (m: DebugProtocol.ProtocolMessage) => boolean, what: string): Promise<DebugProtocol.ProtocolMessage> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = sent.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`${what}: no message`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  };
  const request = async (command: string, args: unknown): Promise<DebugProtocol.Response> => {
    const id = seq++;
    session.handleMessage({ seq: id, type: 'request', command, arguments: args } as DebugProtocol.Request);
    return (await waitFor((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === id, `${command} #${id}`)) as DebugProtocol.Response;
  };
  const mistyped = async (phase: string, only: (c: string) => boolean = () => true): Promise<void> => {
    for (const [command, args] of MISTYPED.filter(([c]) => only(c))) {
      const r = await request(command, args);
      assert.equal(typeof r.success, 'boolean', `${phase} ${command}`);
    }
  };
  try {
    await mistyped('before initialize:');
    assert.equal((await request('initialize', { adapterID: 'wasmscope', linesStartAt1: true, pathFormat: 'path' })).success, true);
    await mistyped('before launch:');
    assert.equal((await request('launch', { program: 42 })).success, false);
    assert.equal((await request('launch', { program, stopOnEntry: true })).success, true);
    await request('configurationDone', {});
    await waitFor((m) => m.type === 'event' && (m as DebugProtocol.Event).event === 'stopped', 'stopped');
    await mistyped('while stopped:', (c) => !CONTROL.has(c));
    await mistyped('stepping:', (c) => CONTROL.has(c));
    await request('continue', { threadId: 1 });
    await waitFor((m) => m.type === 'event' && (m as DebugProtocol.Event).event === 'terminated', 'terminated');
    await mistyped('after exit:');
    assert.equal((await request('disconnect', {})).success, true);
    await mistyped('after disconnect:');
  } finally {
    session.dispose();
  }
});
