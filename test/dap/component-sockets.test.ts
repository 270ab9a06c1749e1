// F5 on a component that uses wasi:sockets@0.2 (test/fixtures/component/sockets/tcp-client.wat,
// assembled with `jco parse`): with "allowNet" it connects to this test's loopback server while the
// adapter keeps running the machine between network events, and its output and exit status come
// back; without "allowNet" the connect is refused with access-denied.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { collectOutput, launch, root, withClient } from './dap-harness';

let dir: string;
let component: string;
let server: net.Server;
let port: number;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wasmscope-dap-sockets-'));
  component = join(dir, 'tcp-client.wasm');
  execFileSync(process.execPath, [join(root, 'node_modules', '.bin', 'jco'), 'parse', join(root, 'test', 'fixtures', 'component', 'sockets', 'tcp-client.wat'), '-o', component], { stdio: 'pipe' });
  server = net.createServer((c) => c.on('data', (d) => c.end(`reply:${d.toString()}`)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as net.AddressInfo).port;
});

after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function runToExit(allowNet: unknown): Promise<{ stdout: string; exitCode: number }> {
  let result = { stdout: '', exitCode: -1 };
  await withClient(async (dc) => {
    const out = collectOutput(dc);
    const exited = dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
    const terminated = dc.waitForEvent('terminated');
    await launch(dc, { program: component, args: [String(port)], ...(allowNet === undefined ? {} : { allowNet }) });
    const code = (await exited).body.exitCode;
    await terminated;
    result = { stdout: out.text('stdout'), exitCode: code };
  });
  return result;
}

test('a component with "allowNet" talks to a loopback server under the debugger', async () => {
  const r = await runToExit([`127.0.0.1:${port}`]);
  assert.equal(r.stdout, 'reply:hello');
  assert.equal(r.exitCode, 0);
});

test('without "allowNet" the debugged component gets access-denied', async () => {
  const r = await runToExit(undefined);
  assert.equal(r.stdout, 'error b\n');
  assert.equal(r.exitCode, 1);
});

test('a bad "allowNet" is a launch error', () => withClient(async (dc) => {
  await assert.rejects(launch(dc, { program: component, allowNet: ['127.0.0.1:99999'] }), /allowNet.*bad port/);
}));
