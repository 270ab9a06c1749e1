// The wasi-threads tests of ../shared/wasi-testsuite/threads through `wasmscope run` (the bundled
// CLI, dist/cli.js), judged by their .json expectations (exit code, stdout) as specification.md
// says. Stdin is a pipe held open and never written, as the suite's runner leaves it: a thread
// reading it waits forever while the others go on. Then the scheduler's own fixtures: a seed
// replays a race exactly, deadlock and a trap in a spawned thread end the program with a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readSpec } from './testsuite-runner';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const suite = join(root, '..', 'shared', 'wasi-testsuite', 'threads');
const fixtures = join(root, 'test', 'fixtures', 'wasi', 'threads');

/** Runs `wasmscope run ARGS` with stdin open but silent; resolves when the process exits. */
function run(args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'run', ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

if (!existsSync(suite)) {
  test('wasi-testsuite threads', { skip: `${suite} is absent (get it from WebAssembly/wasi-testsuite prebuilt tests)` }, () => {});
} else {
  for (const file of readdirSync(suite).filter((f) => f.endsWith('.wasm')).sort()) {
    test(`wasi-testsuite threads/${file} through wasmscope run`, async () => {
      const spec = readSpec(join(suite, file));
      const r = await run([file, ...spec.args], suite);
      assert.equal(r.status, spec.exitCode, `exit ${r.status}, expected ${spec.exitCode}\nstderr: ${r.stderr}`);
      if (spec.stdout !== null && spec.stdout !== '') assert.equal(r.stdout, spec.stdout);
    });
  }
}

test('a seed replays the same interleaving; another seed or quantum gives another', async () => {
  const once = await run(['--seed', '1', '--quantum', '50', 'racy.wat'], fixtures);
  const again = await run(['--seed', '1', '--quantum', '50', 'racy.wat'], fixtures);
  assert.equal(once.status, 0, once.stderr);
  assert.match(once.stdout, /^\d+\n$/);
  assert.equal(again.stdout, once.stdout, 'same seed, same output');
  const other = await run(['--seed', '2', '--quantum', '50', 'racy.wat'], fixtures);
  assert.notEqual(other.stdout, once.stdout, 'another seed interleaves differently');
  // The race is real: some turn ended between a load and its store, so updates were lost.
  assert.ok(Number(once.stdout) < 600, once.stdout);
  // Without a seed, turns are round robin: the same output every time.
  const rr = await run(['--quantum', '7', 'racy.wat'], fixtures);
  assert.equal((await run(['--quantum', '7', 'racy.wat'], fixtures)).stdout, rr.stdout);
});

test('every thread waiting without a timeout is reported as a deadlock, naming each thread', async () => {
  const r = await run(['deadlock.wat'], fixtures);
  assert.equal(r.status, 134);
  assert.match(r.stderr, /^wasmscope run: deadlock: every thread waits in memory\.atomic\.wait with no timeout \(main at 0x4 .*; thread 1 at 0x8 /);
});

test('a trap in a spawned thread ends the program with its message and backtrace', async () => {
  const r = await run(['trap-in-thread.wat'], fixtures);
  assert.equal(r.status, 134);
  assert.match(r.stderr, /^wasmscope run: trap: integer divide by zero \(in thread 1\)\n {4}at \(func 1\) @ 0x[0-9a-f]+ trap-in-thread\.wat:6:/);
});

test('--seed and --quantum take whole numbers', async () => {
  const r = await run(['--quantum', '0', 'racy.wat'], fixtures);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--quantum 0: expected a positive whole number/);
});
