// Whole programs under the bundled adapter: traps, pause in an infinite loop, standard input from
// the console and from a file, `invoke` with v128 values, a clang-built C program, .wasm disassembly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { collectOutput, evaluate, fixture, launch, lineOf, scopeValues, startClient, stopped, withClient } from './dap-harness';

/** Resolves when the collected output of `category` matches. */
function outputMatching(dc: DebugClient, category: string, re: RegExp): Promise<string> {
  let text = '';
  return new Promise((resolve) => {
    const on = (e: DebugProtocol.OutputEvent) => {
      if (e.body.category !== category) return;
      text += e.body.output;
      if (re.test(text)) {
        dc.removeListener('output', on);
        resolve(text);
      }
    };
    dc.on('output', on);
  });
}

test('a trap stops at the trapping instruction with its message (break on trap is on by default)', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  const s = stopped(dc, 'exception');
  await launch(dc, { program: fixture('trap.wat') });
  const { event, frame } = await s;
  assert.equal(event.body.text, 'integer divide by zero');
  assert.equal(frame.name, 'divide');
  assert.equal(frame.line, lineOf('trap.wat', 'div'));
  const src = (await import('node:fs')).readFileSync(fixture('trap.wat'), 'utf8').split('\n')[frame.line - 1]!;
  assert.equal(frame.column, src.indexOf('i32.div_s') + 1, 'at the i32.div_s itself');
  const info = await dc.exceptionInfoRequest({ threadId: 1 });
  assert.equal(info.body.exceptionId, 'trap');
  assert.equal(info.body.description, 'integer divide by zero');
  const exited = dc.waitForEvent('exited');
  await dc.continueRequest({ threadId: 1 });
  assert.notEqual((await exited).body.exitCode, 0);
  assert.match(out.text('stderr'), /integer divide by zero/);
}));

test('with break on trap off, the trap ends the program with its message', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  const exited = dc.waitForEvent('exited');
  await launch(dc, { program: fixture('trap.wat') }, () => dc.setExceptionBreakpointsRequest({ filters: [] }));
  assert.notEqual((await exited).body.exitCode, 0);
  assert.match(out.text('stderr'), /integer divide by zero/);
}));

test('pause works inside an infinite loop, and the adapter answers while it runs', () => withClient(async (dc) => {
  await launch(dc, { program: fixture('spin.wat') });
  const threads = await dc.threadsRequest();
  assert.equal(threads.body.threads.length, 1);
  const p = stopped(dc, 'pause');
  await dc.pauseRequest({ threadId: 1 });
  const { frame } = await p;
  assert.equal(frame.name, 'main');
  const ticks = BigInt(await evaluate(dc, '$ticks'));
  await dc.continueRequest({ threadId: 1 });
  const p2 = stopped(dc, 'pause');
  await dc.pauseRequest({ threadId: 1 });
  await p2;
  assert.ok(BigInt(await evaluate(dc, '$ticks')) > ticks, 'it ran in between');
  const term = dc.waitForEvent('terminated');
  await dc.terminateRequest({});
  await term;
}));

test('standard input: lines typed in the debug console while the program waits', () => withClient(async (dc) => {
  const waiting = outputMatching(dc, 'console', /waiting for input/);
  await launch(dc, { program: fixture('echo.wat') });
  await waiting;
  const echoed = outputMatching(dc, 'stdout', /got: first line\n/);
  await dc.evaluateRequest({ expression: 'first line', context: 'repl' });
  await echoed;
  const again = outputMatching(dc, 'stdout', /got: second\n$/);
  await dc.evaluateRequest({ expression: 'second', context: 'repl' });
  await again;
  // `^D` ends the input: the program sees end of file and finishes.
  const exited = dc.waitForEvent('exited');
  await dc.evaluateRequest({ expression: '^D', context: 'repl' });
  assert.equal((await exited).body.exitCode, 0);
}));

test('stepping over a read that waits for input completes when the input comes', () => withClient(async (dc) => {
  const program = fixture('echo.wat');
  const first = stopped(dc, 'breakpoint');
  await launch(dc, { program }, () => dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: lineOf('echo.wat', 'read') }] }));
  await first;
  const waiting = outputMatching(dc, 'console', /waiting for input/);
  const step = stopped(dc, 'step');
  await dc.nextRequest({ threadId: 1 });
  await waiting;
  await dc.evaluateRequest({ expression: 'typed', context: 'repl' });
  const { frame } = await step;
  assert.equal(frame.line, lineOf('echo.wat', 'after-read'));
  assert.equal(await evaluate(dc, 'i32.load 40'), '6', '"typed\\n" was read');
}));

test('standard input from a file, then end of file and exit 0', () => withClient(async (dc) => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-dap-'));
  const input = join(dir, 'input.txt');
  writeFileSync(input, 'one\ntwo\n');
  const out = collectOutput(dc);
  const exited = dc.waitForEvent('exited');
  await launch(dc, { program: fixture('echo.wat'), stdin: input });
  assert.equal((await exited).body.exitCode, 0);
  assert.match(out.text('stdout'), /^got: one\ntwo\n$|^got: one\ngot: two\n$/);
}));

test('many small writes arrive complete and in order, in far fewer events', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  const exited = dc.waitForEvent('exited');
  await launch(dc, { program: fixture('chatty.wat') });
  assert.equal((await exited).body.exitCode, 0);
  assert.equal(out.text('stdout'), 'line\n'.repeat(20000));
  const streams = out.events.filter((e) => e.body.category === 'stdout' || e.body.category === 'stderr');
  assert.ok(streams.length < 2000, `${streams.length} events for 20001 writes`);
  assert.deepEqual(streams.at(-1)?.body, { category: 'stderr', output: 'done\n' }, 'stderr after all of stdout');
}));

test('without "cwd", relative paths resolve against the program\'s directory', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  const exited = dc.waitForEvent('exited');
  await launch(dc, { program: fixture('echo.wat'), stdin: 'data/note.txt' });
  assert.equal((await exited).body.exitCode, 0);
  assert.match(out.text('stdout'), /^got: first\n(got: )?second\n$/);
}));

test('invoke an export with arguments and show what it returned', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  const exited = dc.waitForEvent('exited');
  await launch(dc, { program: fixture('basics.wat'), invoke: { export: 'sum', args: [5] } });
  assert.equal((await exited).body.exitCode, 0);
  assert.match(out.text('console'), /sum\(5\) returned 30/);
}));

test('v128 locals show their lanes; f64 locals their value', async (t) => {
  const program = fixture('simd.wat');
  // The engine's decoder may not have the 0xFD (SIMD) opcodes yet: say so rather than fail.
  const probe = await startClient();
  await probe.initializeRequest({ adapterID: 'wasmscope', pathFormat: 'path' });
  const err = await probe.launch({ program, invoke: { export: 'lanes', args: [7] } }).then(() => '', (e: Error) => e.message);
  await probe.stop();
  if (/illegal opcode|unsupported instruction/.test(err)) {
    t.skip(`the engine cannot run SIMD (0xFD) instructions yet: ${err}`);
    return;
  }
  await withClient(async (dc) => {
    const out = collectOutput(dc);
    const s = stopped(dc, 'breakpoint');
    await launch(dc, { program, invoke: { export: 'lanes', args: [7] } }, () =>
      dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: lineOf('simd.wat', 'extract') }] }));
    await s;
    const locals = await scopeValues(dc, 'Locals');
    assert.equal(locals.get('$f')?.value, '2.5');
    const v = locals.get('$v')!;
    assert.ok(v.variablesReference > 0);
    const lanes = await dc.variablesRequest({ variablesReference: v.variablesReference });
    const byShape = new Map(lanes.body.variables.map((x) => [x.name, x.value]));
    assert.equal(byShape.get('i32x4'), '7 7 7 7');
    assert.equal(byShape.get('i8x16'), '7 0 0 0 7 0 0 0 7 0 0 0 7 0 0 0');
    assert.equal(byShape.get('f64x2')?.split(' ').length, 2);
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exited).body.exitCode, 0);
    assert.match(out.text('console'), /lanes\(7\) returned 7/);
  });
});

test('invoke of an export that does not exist names the exports there are', () => withClient(async (dc) => {
  await dc.initializeRequest({ adapterID: 'wasmscope', pathFormat: 'path' });
  await assert.rejects(dc.launch({ program: fixture('basics.wat'), invoke: { export: 'nope' } }), /no exported function 'nope'.*sum, _start/);
}));

test('a C program built with clang for wasm32-wasi runs to completion with its output', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  const exited = dc.waitForEvent('exited');
  const terminated = dc.waitForEvent('terminated');
  await launch(dc, { program: fixture('sum.wasm'), args: ['alpha', 'beta'] });
  assert.equal((await exited).body.exitCode, 0);
  await terminated;
  assert.equal(out.text('stdout'), 'primes below 100: 25, sum 1060\narg 1: alpha\narg 2: beta\n');
  assert.equal(out.text('stderr'), 'args: 3\n');
}));

test('env, cwd and preopened dirs ("HOST::GUEST") reach a C program', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  const exited = dc.waitForEvent('exited');
  await launch(dc, { program: 'files.wasm', cwd: fixture('.'), env: { WHO: 'tester' }, dirs: ['data::/data'] });
  assert.equal((await exited).body.exitCode, 0);
  assert.equal(out.text('stdout'), 'hello tester\nnote: first\nnote: second\n');
}));

test('a directory that does not exist in "dirs" is a launch error', () => withClient(async (dc) => {
  await dc.initializeRequest({ adapterID: 'wasmscope', pathFormat: 'path' });
  await assert.rejects(dc.launch({ program: fixture('files.wasm'), dirs: ['nope::/data'] }), /"dirs": 'nope' is not a directory/);
}));

test('a .wasm gets a generated disassembly source and feeds the disassembly view', () => withClient(async (dc) => {
  const entry = stopped(dc, 'entry');
  await launch(dc, { program: fixture('sum.wasm'), stopOnEntry: true });
  const { frame } = await entry;
  assert.match(frame.name, /^_start/);
  const ref = frame.source?.sourceReference;
  assert.ok(ref && ref > 0, 'the frame points at generated source');
  const src = await dc.sourceRequest({ sourceReference: ref, source: frame.source });
  const lines = src.body.content.split('\n');
  assert.match(lines[frame.line - 1] ?? '', /^[0-9a-f]+:\s+\S/, 'one instruction per line with its offset');
  assert.equal(parseInt(lines[frame.line - 1]!, 16), parseInt(frame.instructionPointerReference!, 16));
  // Breakpoints on the generated source bind to the instruction on that line.
  const target = frame.line + 2;
  const bps = await dc.setBreakpointsRequest({ source: frame.source!, breakpoints: [{ line: target }] });
  assert.equal(bps.body.breakpoints[0]?.verified, true);
  const dis = await dc.disassembleRequest({ memoryReference: frame.instructionPointerReference!, instructionCount: 8, instructionOffset: -2 });
  const ins = dis.body!.instructions;
  assert.equal(ins.length, 8);
  assert.equal(parseInt(ins[2]!.address, 16), parseInt(frame.instructionPointerReference!, 16));
  // Stepping in a .wasm goes by instruction (one per line).
  const s = stopped(dc, 'step');
  await dc.nextRequest({ threadId: 1 });
  const next = (await s).frame;
  assert.equal(next.line, frame.line + 1);
}));

test('restart runs the program again from the start, keeping breakpoints', () => withClient(async (dc) => {
  const program = fixture('basics.wat');
  const line = lineOf('basics.wat', 'call-sum');
  const first = stopped(dc, 'breakpoint');
  let ids: (number | undefined)[] = [];
  await launch(dc, { program }, async () => {
    ids = (await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line }] })).body.breakpoints.map((b) => b.id);
  });
  await first;
  const changed: DebugProtocol.BreakpointEvent[] = [];
  dc.on('breakpoint', (e: DebugProtocol.BreakpointEvent) => changed.push(e));
  await dc.setVariableRequest({ variablesReference: (await dc.scopesRequest({ frameId: (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!.id })).body.scopes.find((s) => s.name === 'Globals')!.variablesReference, name: '$counter', value: '99' });
  const again = stopped(dc, 'breakpoint');
  await dc.restartRequest({ arguments: { program } } as DebugProtocol.RestartArguments);
  const { frame, event } = await again;
  assert.equal(frame.line, line);
  assert.deepEqual(changed.map((e) => e.body.breakpoint.id), ids, 'rebound under the ids the client knows');
  assert.deepEqual(event.body.hitBreakpointIds, ids);
  assert.equal(await evaluate(dc, '$counter'), '0', 'a fresh instance');
}));
