// Profile decorations: each function's share of a profiled run, from the .cpuprofile the adapter writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionShares, shareText, type ProfileFile } from '../../client/profile-model';

const node = (id: number, functionName: string, lineNumber: number, hitCount: number, children: number[] = []) => ({ id, callFrame: { functionName, url: '/w/a.wat', lineNumber }, hitCount, children });

test('self and inclusive shares per function, summed over call paths; recursion counted once', () => {
  const profile: ProfileFile = {
    nodes: [
      node(1, '(root)', 0, 0, [2]),
      node(2, 'main', 3, 10, [3, 5]),
      node(3, 'fib', 9, 30, [4]),
      node(4, 'fib', 9, 20),
      node(5, 'log', 14, 40),
    ],
  };
  const shares = functionShares(profile);
  assert.deepEqual(shares.map((s) => [s.name, s.self, s.total]), [['fib', 50, 50], ['log', 40, 40], ['main', 10, 100]]);
  assert.equal(shares[0]!.selfShare, 0.5);
  assert.equal(shareText(shares[2]!), '  ⏱ 10.0% of instructions (10), 100.0% with callees');
  assert.equal(shareText(shares[1]!), '  ⏱ 40.0% of instructions (40)');
});

test('a real profile from `wasmscope run --profile` adds up to 100%', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-profile-'));
  try {
    const out = join(dir, 'p.cpuprofile');
    const root = join(import.meta.dirname, '..', '..');
    const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'run', '--profile', out, '--invoke', 'fib', join(root, 'test', 'fixtures', 'dap', 'fib.wat'), '15'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const shares = functionShares(JSON.parse(readFileSync(out, 'utf8')) as ProfileFile);
    const sum = shares.reduce((s, x) => s + x.selfShare, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `shares add up to ${sum}`);
    assert.ok(shares.some((s) => s.name === 'fib' && s.self > 1000));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
