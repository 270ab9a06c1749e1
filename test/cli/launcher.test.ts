// dist/cli.js (cli/launcher.ts): on glibc, `wasmscope run` runs in a child with MALLOC_ARENA_MAX=1
// (one malloc arena: the peak memory of long runs) and passes its end on; a MALLOC_ARENA_MAX
// already set keeps the run in the one process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const glibc = process.platform === 'linux'
  && typeof (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime === 'string';
const skip = !existsSync(cli) ? 'dist/cli.js is missing (npm run build)'
  : !glibc ? 'the launcher re-executes on glibc only'
    : !existsSync(`/proc/${process.pid}/task/${process.pid}/children`) ? 'no /proc/PID/task/PID/children here' : false;

/** A program that loops until it is killed. */
const LOOP = '(module (memory (export "memory") 1) (func (export "_start") (loop $l (br $l))))';

/** Starts `run --time-to-first-instruction LOOP` and resolves once its first instruction has run. */
function startLoop(dir: string, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const file = join(dir, 'loop.wat');
  writeFileSync(file, LOOP);
  const p = spawn(process.execPath, [cli, 'run', '--time-to-first-instruction', file], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    p.stderr!.setEncoding('utf8').on('data', (s: string) => {
      err += s;
      if (/first instruction at/.test(err)) resolve(p);
    });
    p.on('exit', (code) => reject(new Error(`run ended (${code}) before its first instruction: ${err}`)));
  });
}

const childrenOf = (pid: number): number[] =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);

const ended = (p: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  new Promise((resolve) => p.on('exit', (code, signal) => resolve({ code, signal })));

test('run goes to a child with MALLOC_ARENA_MAX=1; SIGTERM to the launcher ends both, with that signal', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-launcher-'));
  try {
    const env = { ...process.env };
    delete env.MALLOC_ARENA_MAX;
    const p = await startLoop(dir, env);
    const kids = childrenOf(p.pid!);
    assert.equal(kids.length, 1, `one child: ${kids.join(' ')}`);
    const environ = readFileSync(`/proc/${kids[0]}/environ`, 'utf8').split('\0');
    assert.ok(environ.includes('MALLOC_ARENA_MAX=1'), 'the child has one arena');
    const end = ended(p);
    p.kill('SIGTERM');
    assert.deepEqual(await end, { code: null, signal: 'SIGTERM' });
    assert.equal(existsSync(`/proc/${kids[0]}/cmdline`) && readFileSync(`/proc/${kids[0]}/cmdline`, 'utf8').includes('loop.wat'), false, 'the child is gone');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a MALLOC_ARENA_MAX already set keeps run in one process', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-launcher-'));
  try {
    const p = await startLoop(dir, { ...process.env, MALLOC_ARENA_MAX: '4' });
    assert.deepEqual(childrenOf(p.pid!), []);
    const end = ended(p);
    p.kill('SIGTERM');
    assert.equal((await end).signal, 'SIGTERM');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
