// Debugging .wat programs through DebugClient against the bundled adapter: breakpoints on flat and
// folded code, stepping, locals, operand stack, setVariable, evaluate, memory, function and
// instruction breakpoints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { collectOutput, evaluate, fixture, launch, lineOf, scopeValues, stopped, withClient } from './dap-harness';

const basics = fixture('basics.wat');

/** Launches basics.wat with the given line breakpoints and waits for the first stop. */
async function stopAtLines(dc: DebugClient, lines: { line: number; column?: number; condition?: string }[], program = basics) {
  const first = stopped(dc);
  let bps: Awaited<ReturnType<DebugClient['setBreakpointsRequest']>> | undefined;
  await launch(dc, { program }, async () => {
    bps = await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: lines });
  });
  return { bps: bps!, ...(await first) };
}

test('a breakpoint on a flat .wat line stops there, with locals and the operand stack', () => withClient(async (dc) => {
  const line = lineOf('basics.wat', 'add-sum');
  const { bps, event, frame } = await stopAtLines(dc, [{ line, condition: '$b == 4' }]);
  assert.equal(bps.body.breakpoints[0]?.verified, true);
  assert.equal(bps.body.breakpoints[0]?.line, line);
  assert.equal(event.body.reason, 'breakpoint');
  assert.deepEqual(event.body.hitBreakpointIds, [bps.body.breakpoints[0]?.id]);
  assert.equal(frame.name, 'add');
  assert.equal(frame.line, line);
  assert.equal(frame.source?.path, basics);
  assert.match(frame.instructionPointerReference ?? '', /^0x[0-9a-f]+$/);

  const locals = await scopeValues(dc, 'Locals');
  assert.match(locals.get('$a')?.value ?? '', /^1\b/);
  assert.match(locals.get('$b')?.value ?? '', /^4\b/);
  assert.match(locals.get('$a')?.type ?? '', /i32/);
  const stack = await scopeValues(dc, 'Operand Stack');
  assert.equal(stack.get('[0]')?.value, '4');
  assert.equal(stack.get('[1]')?.value, '1');

  const tables = await scopeValues(dc, 'Tables');
  const fns = tables.get('$fns')!;
  assert.equal(fns.value, 'funcref[2]');
  const elems = await dc.variablesRequest({ variablesReference: fns.variablesReference });
  assert.deepEqual(elems.body.variables.map((v) => `${v.name}=${v.value}`), ['[0]=func $add', '[1]=func $square']);

  const st = await dc.stackTraceRequest({ threadId: 1 });
  assert.deepEqual(st.body.stackFrames.map((f) => f.name), ['add', 'sum', 'main']);
  assert.equal(st.body.stackFrames[1]?.line, lineOf('basics.wat', 'set-acc') + 1, 'the caller shows the line of its call');
}));

test('a breakpoint on a line without code moves to the next one and says so', () => withClient(async (dc) => {
  const blank = lineOf('basics.wat', 'add-first') + 1;
  const { bps, frame } = await stopAtLines(dc, [{ line: blank }]);
  const bp = bps.body.breakpoints[0]!;
  assert.equal(bp.verified, true);
  assert.equal(bp.line, lineOf('basics.wat', 'add-second'));
  assert.match(bp.message ?? '', /moved to line/);
  assert.equal(frame.line, lineOf('basics.wat', 'add-second'));
}));

test('breakpoints in folded code bind to the first instruction of the line to run', () => withClient(async (dc) => {
  const line = lineOf('basics.wat', 'call-square');
  const { frame } = await stopAtLines(dc, [{ line }]);
  assert.equal(frame.line, line);
  assert.equal(frame.name, 'sum');
  // `(call $square (local.get $i))`: the local.get runs first, so that is where it stops.
  const text = (await import('node:fs')).readFileSync(basics, 'utf8').split('\n')[line - 1]!;
  assert.equal(frame.column, text.indexOf('local.get $i') + 1);
  assert.equal(await evaluate(dc, 'stack[0]').catch(() => 'empty'), '0', 'the $acc operand is already on the stack');
}));

test('stepping by line: over, into a call, out again', () => withClient(async (dc) => {
  const test = lineOf('basics.wat', 'loop-test');
  const set = lineOf('basics.wat', 'set-acc');
  const square = lineOf('basics.wat', 'call-square');
  await stopAtLines(dc, [{ line: test }]);
  await dc.setBreakpointsRequest({ source: { path: basics }, breakpoints: [] });
  const step = async (kind: 'next' | 'stepIn' | 'stepOut') => {
    const s = stopped(dc, 'step');
    if (kind === 'next') await dc.nextRequest({ threadId: 1 });
    else if (kind === 'stepIn') await dc.stepInRequest({ threadId: 1 });
    else await dc.stepOutRequest({ threadId: 1 });
    return (await s).frame;
  };
  assert.equal((await step('next')).line, set + 2, '(local.get $acc) runs first');
  assert.equal((await step('next')).line, square);
  const inSquare = await step('stepIn');
  assert.equal(inSquare.name, 'square');
  assert.equal(inSquare.line, lineOf('basics.wat', 'square'));
  const back = await step('stepOut');
  assert.equal(back.name, 'sum');
  assert.equal(back.line, set + 1, 'back at (call $add ...)');
  const over = await step('next');
  assert.equal(over.name, 'sum', 'next steps over the call to $add');
  assert.equal(over.line, set);
  assert.equal((await step('next')).line, lineOf('basics.wat', 'inc'));
}));

test('instruction stepping moves one instruction', () => withClient(async (dc) => {
  const { frame } = await stopAtLines(dc, [{ line: lineOf('basics.wat', 'add-first') }]);
  const s = stopped(dc, 'step');
  await dc.nextRequest({ threadId: 1, granularity: 'instruction' });
  const next = (await s).frame;
  assert.equal(next.line, lineOf('basics.wat', 'add-second'));
  assert.notEqual(next.instructionPointerReference, frame.instructionPointerReference);
  assert.ok(parseInt(next.instructionPointerReference!, 16) > parseInt(frame.instructionPointerReference!, 16));
}));

test('evaluate: names, local/global forms, memory reads and arithmetic', () => withClient(async (dc) => {
  await stopAtLines(dc, [{ line: lineOf('basics.wat', 'add-sum'), condition: '$b == 4' }]);
  assert.equal(await evaluate(dc, '$a + $b * 2'), '9');
  assert.equal(await evaluate(dc, 'local 1'), '4');
  assert.equal(await evaluate(dc, 'global $counter'), '2');
  assert.equal(await evaluate(dc, '$limit'), '10');
  assert.equal(await evaluate(dc, 'i32.load8_u 1024'), String('h'.charCodeAt(0)));
  assert.equal(await evaluate(dc, '$a', 'hover'), '1');
  assert.match(await evaluate(dc, 'mem[1024..1030]', 'repl'), /68 65 6c 6c 6f 0a.*hello\./);
  await assert.rejects(evaluate(dc, '$nope'), /no local or global named \$nope/);
}));

test('setVariable changes locals, globals and stack values', () => withClient(async (dc) => {
  const { frame } = await stopAtLines(dc, [{ line: lineOf('basics.wat', 'add-sum'), condition: '$b == 4' }]);
  const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
  const ref = (name: string) => scopes.find((s) => s.name === name)!.variablesReference;
  const r1 = await dc.setVariableRequest({ variablesReference: ref('Locals'), name: '$b', value: '10' });
  assert.equal(r1.body.value, '10');
  assert.equal(await evaluate(dc, '$b'), '10');
  await dc.setVariableRequest({ variablesReference: ref('Operand Stack'), name: '[0]', value: '0x64' });
  assert.equal(await evaluate(dc, 'stack[0]'), '100');
  await dc.setVariableRequest({ variablesReference: ref('Globals'), name: '$counter', value: '42' });
  assert.equal(await evaluate(dc, 'global $counter'), '42');
  await assert.rejects(dc.setVariableRequest({ variablesReference: ref('Globals'), name: '$limit', value: '1' }), /immutable/);
  await assert.rejects(dc.setVariableRequest({ variablesReference: ref('Locals'), name: '$a', value: 'x' }), /not an integer/);
  // The stack value we wrote is what i32.add sees: 1 + 100.
  const s = stopped(dc, 'step');
  await dc.nextRequest({ threadId: 1, granularity: 'instruction' });
  await s;
  assert.equal(await evaluate(dc, 'stack[0]'), '101');
}));

test('memory: readMemory and writeMemory through the Memory scope reference', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  await stopAtLines(dc, [{ line: lineOf('basics.wat', 'call-sum') }]);
  const mem = await scopeValues(dc, 'Memory');
  const ref = mem.get('memory 0')?.memoryReference;
  assert.ok(ref, 'memory 0 has a memoryReference');
  const read = await dc.customRequest('readMemory', { memoryReference: ref, offset: 1024, count: 6 });
  assert.equal(Buffer.from(read.body.data, 'base64').toString(), 'hello\n');
  const past = await dc.customRequest('readMemory', { memoryReference: ref, offset: 65536 - 2, count: 4 });
  assert.equal(past.body.unreadableBytes, 2);
  const below = await dc.customRequest('readMemory', { memoryReference: ref, offset: -4, count: 8 });
  assert.equal(parseInt(below.body.address, 16), 0, 'nothing below address 0');
  assert.equal(Buffer.from(below.body.data, 'base64').length, 4);
  const invalidated = dc.waitForEvent('invalidated');
  await dc.customRequest('writeMemory', { memoryReference: ref, offset: 1024, data: Buffer.from('HELLO').toString('base64') });
  assert.deepEqual((await invalidated).body.areas, ['variables'], 'views showing memory refresh');
  const done = dc.waitForEvent('terminated');
  await dc.continueRequest({ threadId: 1 });
  await done;
  assert.equal(out.text('stdout'), 'hello\nHELLO\n', 'the program printed what we wrote');
}));

test('function breakpoints by name and export, instruction breakpoints by offset', () => withClient(async (dc) => {
  const first = stopped(dc, 'function breakpoint');
  let fbps: Awaited<ReturnType<DebugClient['setFunctionBreakpointsRequest']>> | undefined;
  await launch(dc, { program: basics }, async () => {
    fbps = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: '$square' }, { name: 'sum' }, { name: 'nope' }] });
  });
  assert.deepEqual(fbps!.body.breakpoints.map((b) => b.verified), [true, true, false]);
  assert.match(fbps!.body.breakpoints[2]?.message ?? '', /No function named 'nope'/);
  const sumStop = (await first).frame;
  assert.equal(sumStop.name, 'sum');
  assert.equal(sumStop.line, lineOf('basics.wat', 'loop-test'));

  const second = stopped(dc, 'function breakpoint');
  await dc.continueRequest({ threadId: 1 });
  const sq = (await second).frame;
  assert.equal(sq.name, 'square');
  assert.equal(sq.line, lineOf('basics.wat', 'square'));

  // An instruction breakpoint on the i32.add of $add, found through the disassembly.
  await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
  const dis = await dc.disassembleRequest({ memoryReference: sq.instructionPointerReference!, instructionCount: 20, instructionOffset: -12 });
  assert.equal(dis.body?.instructions.length, 20);
  const add = dis.body!.instructions.find((i) => i.instruction === 'i32.add');
  assert.ok(add, 'i32.add is in the disassembly before $square');
  const ibp = (await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: add.address }] })) as DebugProtocol.SetInstructionBreakpointsResponse;
  assert.equal(ibp.body.breakpoints[0]?.verified, true);
  const third = stopped(dc, 'instruction breakpoint');
  await dc.continueRequest({ threadId: 1 });
  const at = (await third).frame;
  assert.equal(at.name, 'add');
  assert.equal(parseInt(at.instructionPointerReference!, 16), parseInt(add.address, 16));
  assert.equal(at.line, lineOf('basics.wat', 'add-sum'));
}));

test('hit counts and logpoints', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  const line = lineOf('basics.wat', 'inc');
  const first = stopped(dc, 'breakpoint');
  await launch(dc, { program: basics }, async () => {
    await dc.setBreakpointsRequest({ source: { path: basics }, breakpoints: [
      { line: lineOf('basics.wat', 'square'), logMessage: 'square of {$x}' },
      { line, hitCondition: '3' },
    ] });
  });
  await first;
  assert.equal(await evaluate(dc, '$i'), '2', 'the third time round');
  assert.equal(out.text('console').match(/square of \d/g)?.join(','), 'square of 0,square of 1,square of 2');
}));

test('stop on entry, then run to the end: output in order and the exit code', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  const entry = stopped(dc, 'entry');
  await launch(dc, { program: basics, stopOnEntry: true });
  const { frame } = await entry;
  assert.equal(frame.name, 'main');
  assert.equal(frame.line, lineOf('basics.wat', 'print-out'));
  const exited = dc.waitForEvent('exited');
  const terminated = dc.waitForEvent('terminated');
  await dc.continueRequest({ threadId: 1 });
  assert.equal(((await exited) as { body: { exitCode: number } }).body.exitCode, 7);
  await terminated;
  assert.deepEqual(out.events.filter((e) => e.body.category === 'stdout' || e.body.category === 'stderr').map((e) => [e.body.category, e.body.output]),
    [['stdout', 'hello\n'], ['stderr', 'oops\n'], ['stdout', 'hello\n']]);
  assert.match(out.text('console'), /exited with code 7/);
}));

test('console completion offers the frame\'s names', () => withClient(async (dc) => {
  const { frame } = await stopAtLines(dc, [{ line: lineOf('basics.wat', 'add-sum') }]);
  const r = await dc.completionsRequest({ text: 'local.get 0 + $', column: 16, frameId: frame.id });
  const labels = r.body.targets.map((t) => t.label);
  assert.ok(labels.includes('$a') && labels.includes('$b') && labels.includes('$counter'), labels.join(' '));
  assert.equal(r.body.targets[0]?.start, 15, 'replaces the `$` typed so far');
  const loads = await dc.completionsRequest({ text: 'i32.lo', column: 7, frameId: frame.id });
  assert.ok(loads.body.targets.some((t) => t.label === 'i32.load8_u'));
}));

test('stepping over and out of recursive calls stays in the right frame', () => withClient(async (dc) => {
  const program = fixture('fib.wat');
  const first = stopped(dc, 'breakpoint');
  await launch(dc, { program, invoke: { export: 'fib', args: [6] } }, () =>
    dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: lineOf('fib.wat', 'first-call') }] }));
  await first;
  await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
  const depth = async () => (await dc.stackTraceRequest({ threadId: 1 })).body.totalFrames;
  assert.equal(await depth(), 1);
  const step = async (kind: 'next' | 'stepIn' | 'stepOut') => {
    const s = stopped(dc, 'step');
    if (kind === 'next') await dc.nextRequest({ threadId: 1 });
    else if (kind === 'stepIn') await dc.stepInRequest({ threadId: 1 });
    else await dc.stepOutRequest({ threadId: 1 });
    return (await s).frame;
  };
  // Over the whole fib(5) subtree, which runs this very line again deeper down.
  const over = await step('next');
  assert.equal(over.line, lineOf('fib.wat', 'second-call'));
  assert.equal(await depth(), 1);
  assert.equal(await evaluate(dc, 'stack[0]'), '5', 'fib(5) is on the stack');
  const inner = await step('stepIn');
  assert.equal(inner.line, lineOf('fib.wat', 'test'));
  assert.equal(await depth(), 2);
  assert.equal(await evaluate(dc, '$n'), '4');
  const back = await step('stepOut');
  assert.equal(await depth(), 1);
  assert.equal(back.name, 'fib');
  assert.equal(await evaluate(dc, 'stack[0]'), '3', 'fib(4) returned onto the stack');
}));
