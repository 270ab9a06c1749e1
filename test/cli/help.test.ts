// The CLI lists its commands and rejects unknown ones with a clear message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

test('wasmscope --help lists run, spec, check and inspect', () => {
  const r = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  for (const name of ['run', 'spec', 'check', 'inspect']) assert.match(r.stdout, new RegExp(`^  ${name} `, 'm'));
});

test('an unknown command exits 2 with a one-line reason', () => {
  const r = spawnSync(process.execPath, [cli, 'frobnicate'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
});
