// The server speaks LSP over node IPC (how VS Code's language client runs it) and over stdio with or without `--stdio`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import {
  createProtocolConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type InitializeResult,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { serverScript } from './harness';

async function roundTrip(connection: ProtocolConnection): Promise<void> {
  connection.listen();
  const init = await connection.sendRequest<InitializeResult>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  assert.equal(init.serverInfo?.name, 'wasmscope');
  assert.ok(init.capabilities.hoverProvider);
  await connection.sendNotification('initialized', {});
  const diagnostics = new Promise<unknown[]>((resolve) => connection.onNotification('textDocument/publishDiagnostics', (p: { diagnostics: unknown[] }) => resolve(p.diagnostics)));
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///t.wat', languageId: 'wat', version: 1, text: '(module (func (result i32) (i64.const 0)))' } });
  assert.equal((await diagnostics).length, 1);
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
}

test('node IPC (--node-ipc), as VS Code launches it', async () => {
  const child = fork(serverScript, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  await roundTrip(connection);
  assert.equal(await exited, 0);
  connection.dispose();
});

test('stdio without any transport argument (a user starting it by hand)', async () => {
  const child = spawn(process.execPath, [serverScript], { stdio: 'pipe' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  await roundTrip(connection);
  assert.equal(await exited, 0);
  connection.dispose();
});
