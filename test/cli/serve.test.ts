// `wasmscope serve`: the first stderr line names the URL (port 0 → the chosen port), requests
// reach the handler, SIGINT and SIGTERM stop it with status 0; a core module, a component
// without a wasi:http handler export and a bad --addr are clear one-line errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const fixture = join(root, 'test', 'fixtures', 'net', 'serve-js.ts');
const p2Component = join(root, '..', 'shared', 'wasi-testsuite', 'p2', 'c', 'lseek.wasm');

async function servedBy(signal: NodeJS.Signals): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, '127.0.0.1:0'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const lines = createInterface({ input: child.stderr! });
  const it = lines[Symbol.asyncIterator]();
  const first = (await it.next()).value as string;
  const m = /^Serving HTTP on (http:\/\/127\.0\.0\.1:(\d+)\/)$/.exec(first);
  assert.ok(m, `first stderr line: ${first}`);
  assert.notEqual(m[2], '0');
  const r = await fetch(`${m[1]}path?x=1`, { method: 'POST', body: 'data' });
  assert.equal(r.status, 200);
  assert.equal(await r.text(), 'POST /path?x=1 data');
  assert.equal((await fetch(`${m[1]}teapot`)).status, 418);
  const exited = once(child, 'exit');
  child.kill(signal);
  const [code] = await exited;
  assert.equal(code, 0);
  assert.equal((await it.next()).value, 'stopped');
}

test('serve prints its URL first, answers requests and stops on SIGINT with status 0', () => servedBy('SIGINT'));
test('serve stops on SIGTERM with status 0', () => servedBy('SIGTERM'));

test('serve refuses what it cannot serve, in one line', { skip: !existsSync(cli) && 'dist/cli.js is missing (npm run build)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-serve-'));
  const core = join(dir, 'core.wasm');
  writeFileSync(core, new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  let r = spawnSync(process.execPath, [cli, 'serve', '--addr=127.0.0.1:0', core], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^wasmscope serve: .*core\.wasm: not a component: serve runs components that export wasi:http\/handler/);
  r = spawnSync(process.execPath, [cli, 'serve', '--addr=localhost', core], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--addr localhost: expected HOST:PORT/);
  if (existsSync(p2Component)) {
    r = spawnSync(process.execPath, [cli, 'serve', '--addr', '127.0.0.1:0', p2Component], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /does not export wasi:http\/handler .*; it exports wasi:cli\/run@0\.2\.\d+/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});
