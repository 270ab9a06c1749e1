// `wasmscope run --allow-net`: a malformed entry is a one-line usage error naming it (before the
// program is even read), and the flag appears in run's help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'run', ...args], { encoding: 'utf8' });

test('a malformed --allow-net entry is a one-line error naming it', () => {
  for (const [entry, message] of [
    ['127.0.0.1:99999', /--allow-net: bad port '99999' in '127\.0\.0\.1:99999'/],
    ['10.0.0.0/33', /--allow-net: bad prefix length '\/33'/],
    ['not a host', /--allow-net: 'not a host' is not HOST\[:PORT\]/],
  ] as const) {
    const r = run(`--allow-net=${entry}`, 'missing.wasm');
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});

test('run --help documents --allow-net', () => {
  const r = run('--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /--allow-net\[=LIST\] +let sockets and HTTP reach the network/);
});
