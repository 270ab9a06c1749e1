// Resource limits: call depth ends in the `call stack exhausted` trap (never a JS RangeError), declared
// memory and table sizes are checked before anything is allocated, grow past a limit answers -1,
// `wasmscope run --fuel N` stops runaway code (its start function too), and an infinite loop under
// `wasmscope spec` or the debugger can be stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModule } from '../../core/binary/index';
import { DecodeError, Exhaustion, Trap, ValidationError } from '../../core/errors';
import { compileModule, instantiate, invoke, Machine, i32, type EngineOptions, type Imports, type Instance } from '../../core/interp/index';
import { watToBinary } from '../../core/text/index';
import { launch, startClient } from '../dap/dap-harness';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'wasmscope-limits-'));

function load(wat: string, imports: Imports = {}, options: EngineOptions = {}): Instance {
  return instantiate(compileModule(decodeModule(watToBinary(wat).bytes), options), imports, options);
}

function file(name: string, text: string): string {
  const p = join(work, name);
  writeFileSync(p, text);
  return p;
}

/** Runs `f`, which must throw exactly `call stack exhausted` as an Exhaustion (a Trap), not a RangeError. */
function assertExhausted(f: () => unknown): void {
  assert.throws(f, (err: unknown) => {
    assert.ok(err instanceof Exhaustion, `expected Exhaustion, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    assert.ok(err instanceof Trap);
    assert.equal(err.message, 'call stack exhausted');
    return true;
  });
}

test('direct, mutual and call_indirect recursion exhaust the call stack with a trap', () => {
  assertExhausted(() => invoke(load('(module (func $f (export "f") (call $f)))'), 'f', []));
  assertExhausted(() => invoke(load('(module (func $f (export "f") (call $g)) (func $g (call $f)))'), 'f', []));
  assertExhausted(() => invoke(load(`(module (type $t (func)) (table funcref (elem $f))
    (func $f (export "f") (call_indirect (type $t) (i32.const 0))))`), 'f', []));
  // Frames with many locals run out of value stack before the depth limit: the same trap.
  const locals = Array.from({ length: 2000 }, () => '(local i64)').join(' ');
  assertExhausted(() => invoke(load(`(module (func $f (export "f") ${locals} (call $f)))`), 'f', []));
});

test('the depth limit is the configured one, and the machine reports the trap as a run result', () => {
  const wat = `(module (func $down (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))`;
  const inst = load(wat, {}, { maxCallDepth: 100 });
  assert.deepEqual(invoke(inst, 'down', [i32(50)]), [i32(50)]);
  assertExhausted(() => invoke(inst, 'down', [i32(200)]));
  const m = new Machine({ maxCallDepth: 100 });
  m.start(inst, 'down', [i32(1000)]);
  const r = m.run();
  assert.equal(r.reason, 'trap');
  assert.ok(r.reason === 'trap' && r.trap instanceof Exhaustion);
  // The default depth (50000) is reachable without overflowing the JS stack.
  assert.deepEqual(invoke(load(wat), 'down', [i32(49_000)]), [i32(49_000)]);
});

test('re-entering Wasm from a host function without end exhausts the stack as a trap', () => {
  const self: { instance?: Instance } = {};
  const host = { h: { h: () => invoke(self.instance as Instance, 'f', []) } };
  const inst = load('(module (import "h" "h" (func $h)) (func (export "f") (call $h)))', host);
  self.instance = inst;
  assertExhausted(() => invoke(inst, 'f', []));
  const m = new Machine();
  m.start(inst, 'f', []);
  const r = m.run();
  assert.ok(r.reason === 'trap' && r.trap instanceof Exhaustion, r.reason);
});

test('declared memory and table sizes are checked before allocation', () => {
  assert.throws(() => load('(module (memory 65537))'), ValidationError);
  assert.throws(() => load('(module (memory 0 65537))'), ValidationError);
  assert.throws(() => load('(module (memory 101))', {}, { maxMemoryPages: 100 }), (e: unknown) => e instanceof Trap && /memory size exceeds the engine limit/.test(e.message));
  assert.throws(() => load('(module (table 0xffffffff funcref))'), (e: unknown) => e instanceof Trap && /table size exceeds the engine limit/.test(e.message));
  assert.throws(() => load('(module (table 1001 externref))', {}, { maxTablePages: 1000 }), (e: unknown) => e instanceof Trap && /table size/.test(e.message));
  // A maximum above the engine limit is fine as long as the memory does not grow past the limit.
  const inst = load('(module (memory (export "m") 1 65536))', {}, { maxMemoryPages: 4 });
  assert.equal(inst.memories[0]?.pages, 1);
});

test('a memory the host cannot allocate is a clear trap, not an internal error', { skip: process.platform === 'win32' }, () => {
  // 65536 pages (4 GiB) is within the spec's limit; under a 3 GB address-space limit it cannot be had.
  const wat = file('big-memory.wat', '(module (memory 65536) (func (export "_start")))');
  const r = spawnSync('sh', ['-c', `ulimit -v 3000000 && exec "${process.execPath}" "${cli}" run "${wat}"`], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 134, r.stderr);
  assert.match(r.stderr, /trap: out of memory: cannot allocate 65536 pages/);
  assert.doesNotMatch(r.stderr, /internal error|RangeError/);
});

test('memory.grow and table.grow answer -1 past the declared maximum or the engine limit', () => {
  const grow = '(func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))';
  const capped = load(`(module (memory 1 3) ${grow})`);
  assert.deepEqual(invoke(capped, 'grow', [i32(2)]), [i32(1)]);
  assert.deepEqual(invoke(capped, 'grow', [i32(1)]), [i32(-1)]);
  assert.deepEqual(invoke(capped, 'grow', [i32(-1)]), [i32(-1)]);
  const limited = load(`(module (memory 1) ${grow})`, {}, { maxMemoryPages: 8 });
  assert.deepEqual(invoke(limited, 'grow', [i32(7)]), [i32(1)]);
  assert.deepEqual(invoke(limited, 'grow', [i32(1)]), [i32(-1)]);
  assert.deepEqual(invoke(limited, 'grow', [i32(65536)]), [i32(-1)]);
  assert.equal(limited.memories[0]?.pages, 8);
  const table = load('(module (table 1 funcref) (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))', {}, { maxTablePages: 10 });
  assert.deepEqual(invoke(table, 'grow', [i32(9)]), [i32(1)]);
  assert.deepEqual(invoke(table, 'grow', [i32(1)]), [i32(-1)]);
  assert.deepEqual(invoke(table, 'grow', [i32(-1)]), [i32(-1)]);
});

test('huge declared counts in a binary are refused without allocating them', () => {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const u32max = [0xff, 0xff, 0xff, 0xff, 0x0f];
  const cases: [string, number[]][] = [
    ['2^32-1 types', [...header, 0x01, 0x05, ...u32max]],
    ['2^32-1 functions', [...header, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x05, ...u32max]],
    // one body declaring 2^32-1 locals
    ['2^32-1 locals', [...header, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x0a, 0x01, 0x08, 0x01, ...u32max, 0x7f, 0x0b]],
    ['2^32-1 data segments', [...header, 0x0b, 0x05, ...u32max]],
  ];
  for (const [what, bytes] of cases) {
    const t0 = performance.now();
    assert.throws(() => compileModule(decodeModule(Uint8Array.from(bytes))), (e: unknown) => e instanceof DecodeError || e instanceof ValidationError, what);
    assert.ok(performance.now() - t0 < 1000, `${what}: took ${Math.round(performance.now() - t0)} ms`);
  }
});

test('the fuel budget stops runaway code and resumes where it stopped', () => {
  const inst = load('(module (global $n (export "n") (mut i32) (i32.const 0)) (func (export "spin") (loop (global.set $n (i32.add (global.get $n) (i32.const 1))) (br 0))))');
  const m = new Machine();
  m.start(inst, 'spin', []);
  assert.equal(m.run(1000).reason, 'budget');
  const after = (inst.exports.n as { value: { value: number } }).value.value;
  assert.ok(after > 0 && after <= 1001, `iterations after 1000 fuel: ${after}`);
  assert.equal(m.run(1000).reason, 'budget');
  assert.ok((inst.exports.n as { value: { value: number } }).value.value > after);
});

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('wasmscope run --fuel: edges of the budget and of its argument', () => {
  const loop = file('loop.wat', '(module (func (export "_start") (loop (br 0))) (func (export "f") (result i32) (loop (br 0)) (i32.const 1)))');
  const empty = file('empty.wat', '(module (func (export "_start")))');
  const startLoop = file('start-loop.wat', '(module (func $l (loop (br 0))) (start $l) (func (export "_start")))');
  const startTrap = file('start-trap.wat', '(module (func $t unreachable) (start $t) (func (export "_start")))');
  const stopped = /trap: all fuel consumed: stopped after (\d+) units of fuel \(--fuel/;

  for (const fuel of ['0', '1000']) {
    const r = runCli(['run', '--fuel', fuel, loop]);
    assert.equal(r.status, 134, `--fuel ${fuel}: ${r.stderr}`);
    assert.equal(stopped.exec(r.stderr)?.[1], fuel);
  }
  assert.equal(runCli(['run', '--fuel', '0', empty]).status, 0, 'a program that needs no fuel finishes with none');
  // The start function runs under the budget too (it used to hang here).
  const s = runCli(['run', '--fuel', '100', startLoop]);
  assert.equal(s.status, 134, s.stderr);
  assert.match(s.stderr, stopped);
  // ... after validation: a start function that takes parameters is still an invalid module.
  const startParam = file('start-param.wat', '(module (func $s (param i32)) (start $s) (func (export "_start")))');
  const p = runCli(['run', '--fuel', '100', startParam]);
  assert.equal(p.status, 2, p.stderr);
  assert.match(p.stderr, /invalid module: start function/);
  const t = runCli(['run', '--fuel', '100', startTrap]);
  assert.equal(t.status, 134);
  assert.match(t.stderr, /trap: unreachable/);

  for (const bad of ['-1', '1e3']) {
    const r = runCli(['run', '--fuel', bad, loop]);
    assert.equal(r.status, 2, `--fuel ${bad}`);
    assert.match(r.stderr, /expected a number of fuel units/);
  }
  assert.match(runCli(['run', '--fuel']).stderr, /--fuel needs a value/);
});

test('an infinite loop under wasmscope spec stops on SIGINT and SIGTERM', async () => {
  const script = file('loop.wast', '(module (func (export "spin") (loop (br 0))))\n(assert_return (invoke "spin"))\n');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const child = spawn(process.execPath, [cli, 'spec', script], { stdio: 'ignore' });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // let it reach the loop (no output to wait for)
    assert.equal(child.exitCode, null, 'still spinning before the signal');
    const t0 = Date.now();
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const r = await exited;
    clearTimeout(timer);
    assert.ok(Date.now() - t0 < 10_000, `${signal}: the process did not stop`);
    assert.ok(r.signal === signal || (r.code !== null && r.code !== 0), `${signal}: ${JSON.stringify(r)}`);
  }
});

test('a start function that never ends runs on the debugged machine: the adapter answers and pause stops in it', async () => {
  const program = file('start-loop-debug.wat', '(module (func $l (loop (br 0))) (start $l) (func (export "_start")))');
  const dc = await startClient();
  try {
    await launch(dc, { program });
    assert.equal((await dc.threadsRequest()).body.threads.length, 1, 'the adapter still answers');
    const stopped = dc.waitForEvent('stopped');
    await dc.pauseRequest({ threadId: 1 });
    assert.equal((await stopped).body.reason, 'pause');
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.equal(st.body.stackFrames[0]?.name, 'l');
    await dc.disconnectRequest({});
  } finally {
    await dc.stop();
  }
  const dc2 = await startClient();
  try {
    const startParam = file('start-param-debug.wat', '(module (func $s (param i32)) (start $s) (func (export "_start")))');
    await assert.rejects(launch(dc2, { program: startParam }), /invalid module: start function/);
  } finally {
    await dc2.stop();
  }
});
