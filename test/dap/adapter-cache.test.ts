// The adapter's process entry (dist/debugAdapter.js, debugger/adapter-loader.ts) runs the bundle
// from a V8 code cache beside it: the first process leaves the cache, the next ones take it as it
// is (V8 accepted it: it is not written again), and a program still runs to its end from it. In a
// copy of the two bundles, so other tests' adapters do not touch this cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { collectOutput, fixture, launch, root } from './dap-harness';

const caches = (dir: string): string[] => readdirSync(dir).filter((f) => /^\.debugAdapterMain\.[0-9a-f]{16}\.v8cache$/.test(f));

test('the first adapter process leaves a code cache that the next ones accept; a program runs from it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-adapter-cache-'));
  try {
    for (const f of ['debugAdapter.js', 'debugAdapterMain.js']) copyFileSync(join(root, 'dist', f), join(dir, f));
    // A cache of another bundle is removed when the new one is written.
    writeFileSync(join(dir, '.debugAdapterMain.0123456789abcdef.v8cache'), 'stale');
    const entry = join(dir, 'debugAdapter.js');
    // No client: stdin ends at once and the adapter exits.
    const first = spawnSync(process.execPath, [entry], { input: '', encoding: 'utf8' });
    assert.equal(first.status, 0, first.stderr);
    const made = caches(dir);
    assert.equal(made.length, 1, `caches: ${made.join(', ')}`);
    assert.notEqual(made[0], '.debugAdapterMain.0123456789abcdef.v8cache');
    const cache = join(dir, made[0]!);
    const before = statSync(cache);
    assert.ok(before.size > 10_000, `a cache of ${before.size} bytes`);

    // The next process takes it as it is (a rejected cache would be written again as it exits).
    const second = spawnSync(process.execPath, [entry], { input: '', encoding: 'utf8' });
    assert.equal(second.status, 0, second.stderr);
    assert.equal(statSync(cache).mtimeMs, before.mtimeMs, 'the cache was accepted, not written again');

    const dc = new DebugClient(process.execPath, entry, 'wasmscope');
    dc.defaultTimeout = 30000;
    await dc.start();
    try {
      const out = collectOutput(dc);
      const exited = dc.waitForEvent('exited');
      await launch(dc, { program: fixture('basics.wat') });
      assert.equal((await exited).body.exitCode, 7);
      assert.equal(out.text('stdout'), 'hello\nhello\n');
    } finally {
      await dc.stop();
    }
    assert.deepEqual(caches(dir), made);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
