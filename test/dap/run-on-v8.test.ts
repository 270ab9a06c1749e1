// Run Without Debugging on V8 ("engine": "v8" | "auto" in a noDebug launch, from the setting
// wasmscope.run.engine): the same output, exit codes and trap text as the interpreter, stdin from
// the Debug Console, and a clear word when V8 cannot take the program.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectOutput, fixture, launch, withClient } from './dap-harness';

/** Launches without debugging on `engine` and waits for the end; the exit code and the output. */
type Client = Parameters<Parameters<typeof withClient>[0]>[0];
type Output = ReturnType<typeof collectOutput>;

/** Resolves once the output so far satisfies `pred` (a condition, never a fixed sleep). */
function outputWhere(dc: Client, out: Output, pred: (o: Output) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!pred(out)) return;
      dc.off('output', check);
      resolve();
    };
    dc.on('output', check);
    check();
  });
}

async function runToEnd(args: Record<string, unknown>, whileRunning?: (dc: Client, out: Output) => Promise<void>) {
  let result: { code: number; stdout: string; stderr: string; console: string } | undefined;
  await withClient(async (dc) => {
    const out = collectOutput(dc);
    const exited = dc.waitForEvent('exited');
    const terminated = dc.waitForEvent('terminated');
    await launch(dc, { noDebug: true, ...args });
    await whileRunning?.(dc, out);
    const code = (await exited).body.exitCode as number;
    await terminated;
    result = { code, stdout: out.text('stdout'), stderr: out.text('stderr'), console: out.text('console') };
  });
  return result!;
}

test('a program prints and exits the same on V8 as on the interpreter', async () => {
  const onV8 = await runToEnd({ program: fixture('basics.wat'), engine: 'v8' });
  const onInterp = await runToEnd({ program: fixture('basics.wat'), engine: 'interp' });
  assert.equal(onV8.code, 7);
  assert.equal(onV8.stdout, 'hello\nhello\n');
  assert.match(onV8.console, /^Running on V8 \S+ \(Node's WebAssembly\), without debugging\.\n/);
  assert.doesNotMatch(onInterp.console, /Running on V8/);
  assert.deepEqual({ ...onV8, console: '' }, { ...onInterp, console: '' });
});

test('a trap on V8 ends the run as on the interpreter: "wasm trap: ...", exit code 134', async () => {
  const onV8 = await runToEnd({ program: fixture('trap.wat'), engine: 'v8' });
  const onInterp = await runToEnd({ program: fixture('trap.wat'), engine: 'interp' });
  assert.equal(onV8.code, 134);
  assert.match(onV8.console, /Running on V8/);
  assert.match(onV8.stderr, /^wasm trap: /);
  assert.equal(onV8.stderr, onInterp.stderr);
});

test('--invoke-style launches on V8 report the results in the interpreter\'s words', async () => {
  const r = await runToEnd({ program: fixture('fib.wat'), engine: 'auto', invoke: { export: 'fib', args: [20] } });
  assert.equal(r.code, 0);
  assert.match(r.console, /Running on V8/);
  assert.match(r.console, /fib\(20\) returned 6765/);
  assert.doesNotMatch(r.console, /Running on the Wasmscope interpreter/);
});

test('stdin on V8 comes from the Debug Console; ^D ends it', async () => {
  const r = await runToEnd({ program: fixture('echo.wat'), engine: 'v8' }, async (dc, out) => {
    await outputWhere(dc, out, (o) => /waiting for input/.test(o.text('console')));
    await dc.evaluateRequest({ expression: 'first line', context: 'repl' });
    await dc.evaluateRequest({ expression: '^D', context: 'repl' });
  });
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'got: first line\n');
  assert.match(r.console, /Running on V8/);
  assert.match(r.console, /waiting for input/);
});

test('what V8 cannot run: "auto" falls back to the interpreter and says so once, "v8" is a launch error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-v8-'));
  try {
    const program = join(dir, 'v128.wat');
    writeFileSync(program, '(module (func (export "v") (param i32) (result v128) (i32x4.splat (local.get 0))))');
    const auto = await runToEnd({ program, engine: 'auto', invoke: { export: 'v', args: [1] } });
    assert.equal(auto.code, 0);
    assert.doesNotMatch(auto.console, /Running on V8/);
    assert.equal(auto.console.match(/Running on the Wasmscope interpreter: export "v": a v128 cannot cross the JavaScript API/g)?.length, 1);
    await withClient(async (dc) => {
      await dc.initializeRequest({ adapterID: 'wasmscope', pathFormat: 'path' });
      await assert.rejects(dc.launchRequest({ program, noDebug: true, engine: 'v8', invoke: { export: 'v', args: [1] } } as never), /cannot run on V8: export "v"/);
    });
    // A program error is the interpreter launch's message whatever the engine.
    const bad = join(dir, 'bad.wat');
    writeFileSync(bad, '(module (func (export "_start") (result i32) i64.const 1))');
    await withClient(async (dc) => {
      await dc.initializeRequest({ adapterID: 'wasmscope', pathFormat: 'path' });
      await assert.rejects(dc.launchRequest({ program: bad, noDebug: true, engine: 'v8' } as never), /invalid module: type mismatch/);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('terminate stops a program spinning on V8 (the worker is ended)', async () => {
  await withClient(async (dc) => {
    const out = collectOutput(dc);
    await launch(dc, { program: fixture('spin.wat'), noDebug: true, engine: 'v8' });
    await outputWhere(dc, out, (o) => /Running on V8/.test(o.text('console')));
    const terminated = dc.waitForEvent('terminated');
    await dc.terminateRequest({});
    await terminated;
  });
});
