// Source-level debugging of a C program built with -g -O0 (DWARF): breakpoints in the .c file,
// stepping by C line, the call stack in C terms, source variables and expressions over them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { collectOutput, fixture, launch, scopeValues, stopped, withClient } from './dap-harness';

const program = fixture('dwarf.wasm');
const source = fixture('dwarf.c');
const cLine = (marker: string): number => readFileSync(source, 'utf8').split('\n').findIndex((l) => l.includes(`// @${marker}`)) + 1;

async function stopAt(dc: DebugClient, marker: string, extra: Record<string, unknown> = {}) {
  const first = stopped(dc, 'breakpoint');
  let verified: boolean | undefined;
  let line: number | undefined;
  await launch(dc, { program }, async () => {
    const r = await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: cLine(marker), ...extra }] });
    verified = r.body.breakpoints[0]?.verified;
    line = r.body.breakpoints[0]?.line;
  });
  assert.equal(verified, true);
  assert.equal(line, cLine(marker));
  return first;
}

async function step(dc: DebugClient, kind: 'next' | 'stepIn' | 'stepOut') {
  const s = stopped(dc, 'step');
  if (kind === 'next') await dc.nextRequest({ threadId: 1 });
  else if (kind === 'stepIn') await dc.stepInRequest({ threadId: 1 });
  else await dc.stepOutRequest({ threadId: 1 });
  return (await s).frame;
}

test('a breakpoint in the .c file stops there, with the C call stack and source locals', () => withClient(async (dc) => {
  const { frame } = await stopAt(dc, 'sum-loop');
  assert.equal(frame.name, 'sum_squares');
  assert.equal(frame.source?.path, source);
  assert.equal(frame.line, cLine('sum-loop'));
  const st = await dc.stackTraceRequest({ threadId: 1 });
  assert.deepEqual(st.body.stackFrames.slice(0, 2).map((f) => [f.name, f.line]), [['sum_squares', cLine('sum-loop')], ['main', cLine('main-call')]]);
  const vars = await scopeValues(dc, 'Source Locals');
  assert.equal(vars.get('limit')?.value, '7');
  assert.equal(vars.get('total')?.value, '0');
  assert.equal(vars.get('i')?.value, '1');
  assert.equal(vars.get('i')?.type, 'int');

  const again = stopped(dc, 'breakpoint');
  await dc.continueRequest({ threadId: 1 });
  await again;
  const next = await scopeValues(dc, 'Source Locals');
  assert.equal(next.get('i')?.value, '2');
  assert.equal(next.get('total')?.value, '1');
}));

test('stepping by C line: over a call, into it, out again', () => withClient(async (dc) => {
  await stopAt(dc, 'sum-loop');
  await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [] });
  const over = await step(dc, 'next');
  assert.equal(over.name, 'sum_squares', 'next does not enter square()');
  assert.equal(over.line, cLine('sum-loop') - 1, 'back to the for header (i++)');
  const back = await step(dc, 'next');
  assert.equal(back.name, 'sum_squares');
  const again = back.line === cLine('sum-loop') ? back : await step(dc, 'next');
  assert.equal(again.line, cLine('sum-loop'));
  const inside = await step(dc, 'stepIn');
  assert.equal(inside.name, 'square');
  assert.ok(inside.line === cLine('square-body') || inside.line === cLine('square-body') - 1, `in square at line ${inside.line}`);
  const out = await step(dc, 'stepOut');
  assert.equal(out.name, 'sum_squares');
  assert.equal(out.line, cLine('sum-loop'));
}));

test('source expressions: struct members, pointers to strings, hit counts in C', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  const { frame } = await stopAt(dc, 'main-call');
  assert.equal(frame.name, 'main');
  const ev = async (expression: string) => (await dc.evaluateRequest({ expression, frameId: frame.id, context: 'watch' })).body;
  assert.equal((await ev('p')).result, '{x = 3, y = 4}');
  assert.equal((await ev('p.y')).result, '4');
  assert.match((await ev('label')).result, /^0x[0-9a-f]+ "squares"$/);
  assert.match((await ev('*label')).result, /^115 's'$/);
  const p = await ev('p');
  assert.ok(p.variablesReference > 0, 'a struct expands');
  const members = await dc.variablesRequest({ variablesReference: p.variablesReference });
  assert.deepEqual(members.body.variables.map((v) => `${v.name}=${v.value}`), ['x=3', 'y=4']);
  await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: cLine('square-body'), condition: '' , hitCondition: '==5' }] });
  const fifth = stopped(dc, 'breakpoint');
  await dc.continueRequest({ threadId: 1 });
  const { frame: sq } = await fifth;
  assert.equal((await dc.evaluateRequest({ expression: 'n', frameId: sq.id, context: 'hover' })).body.result, '5');
  await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [] });
  const exited = dc.waitForEvent('exited');
  await dc.continueRequest({ threadId: 1 });
  assert.equal((await exited).body.exitCode, 0);
  assert.equal(out.text('stdout'), 'squares: 140\n');
}));

test('library code without sources on disk is shown as disassembly and stepped over', () => withClient(async (dc) => {
  await stopAt(dc, 'main-print');
  const over = await step(dc, 'stepIn');
  // printf's DWARF names musl sources that are not here: step in goes over it.
  assert.equal(over.name, 'main');
  assert.notEqual(over.line, cLine('main-print'));
  const st = await dc.stackTraceRequest({ threadId: 1 });
  const start = st.body.stackFrames.find((f) => f.name === '_start');
  assert.ok(start?.source?.sourceReference, 'crt1 (no source here) shows as disassembly');
}));

test('optimised (-O2) code: a line whose first row precedes the first instruction still binds', () => withClient(async (dc) => {
  const o2 = fixture('dwarf-o2.wasm');
  const s = stopped(dc, 'breakpoint');
  let bp: { verified: boolean; line?: number } | undefined;
  await launch(dc, { program: o2 }, async () => {
    bp = (await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: cLine('main-start') }] })).body.breakpoints[0];
  });
  assert.equal(bp?.verified, true);
  const { frame } = await s;
  assert.equal(frame.name, 'main');
  assert.equal(frame.source?.path, source);
  const vars = await scopeValues(dc, 'Source Locals');
  assert.match(vars.get('p')?.value ?? '', /optimized out|\{x = 3, y = 4\}/);
}));

test('inlined functions show as their own frames, with their own variables', () => withClient(async (dc) => {
  const inlineSource = fixture('inline.c');
  const line = (marker: string) => readFileSync(inlineSource, 'utf8').split('\n').findIndex((l) => l.includes(`// @${marker}`)) + 1;
  const s = stopped(dc, 'breakpoint');
  await launch(dc, { program: fixture('inline.wasm') }, () =>
    dc.setBreakpointsRequest({ source: { path: inlineSource }, breakpoints: [{ line: line('clamp-low') }] }));
  await s;
  const st = await dc.stackTraceRequest({ threadId: 1 });
  const [inner, outer] = st.body.stackFrames;
  assert.deepEqual([inner?.name, inner?.line], ['clamp', line('clamp-low')]);
  assert.deepEqual([outer?.name, outer?.line], ['main', line('call-clamp')]);
  assert.equal(inner?.instructionPointerReference, outer?.instructionPointerReference, 'one Wasm frame');
  const clampVars = await scopeValues(dc, 'Source Locals', inner!.id);
  assert.equal(clampVars.get('v')?.value, '37');
  assert.equal(clampVars.get('hi')?.value, '20');
  const mainVars = await scopeValues(dc, 'Source Locals', outer!.id);
  assert.ok(mainVars.has('argc'), 'main has its own scope');
  assert.equal((await dc.evaluateRequest({ expression: 'lo', frameId: inner!.id, context: 'watch' })).body.result, '10');
  // Stepping out of the inlined function stays in the same Wasm frame and lands in main.
  const out = stopped(dc, 'step');
  await dc.stepOutRequest({ threadId: 1 });
  const { frame } = await out;
  assert.equal(frame.name, 'main');
  assert.equal(frame.instructionPointerReference !== undefined, true);
  const after = await dc.stackTraceRequest({ threadId: 1 });
  assert.equal(after.body.totalFrames, (st.body.totalFrames ?? 0) - 1, 'one source frame fewer, same Wasm frames');
}));

test('C names in breakpoint conditions, and setVariable on a C local', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  const { frame } = await stopAt(dc, 'sum-loop', { condition: 'i == 3 && limit > 5' });
  const vars = await scopeValues(dc, 'Source Locals', frame.id);
  assert.equal(vars.get('i')?.value, '3');
  assert.equal(vars.get('total')?.value, '5');
  const scope = (await dc.scopesRequest({ frameId: frame.id })).body.scopes.find((s) => s.name === 'Source Locals')!;
  const set = await dc.setVariableRequest({ variablesReference: scope.variablesReference, name: 'total', value: '100' });
  assert.equal(set.body.value, '100');
  await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [] });
  const exited = dc.waitForEvent('exited');
  await dc.continueRequest({ threadId: 1 });
  await exited;
  assert.equal(out.text('stdout'), 'squares: 235\n', '100 + 9 + 16 + 25 + 36 + 49');
}));

test('file-scope variables, with large arrays paged', () => withClient(async (dc) => {
  const { frame } = await stopAt(dc, 'sum-return');
  const globals = await scopeValues(dc, 'Source Globals', frame.id);
  assert.equal(globals.get('calls')?.value, '7');
  const history = globals.get('history')!;
  assert.equal(history.indexedVariables, 200);
  const page = await dc.variablesRequest({ variablesReference: history.variablesReference, filter: 'indexed', start: 5, count: 3 });
  assert.deepEqual(page.body.variables.map((v) => `${v.name}=${v.value}`), ['[5]=25', '[6]=36', '[7]=49']);
  assert.equal((await dc.evaluateRequest({ expression: 'history[7]', frameId: frame.id, context: 'watch' })).body.result, '49');
}));

test('a C breakpoint between functions moves down to the next function and says so', () => withClient(async (dc) => {
  const between = cLine('sum-start') - 2; // the blank line after square()
  assert.equal(readFileSync(source, 'utf8').split('\n')[between - 1]?.trim(), '');
  const s = stopped(dc, 'breakpoint');
  let bp: { verified: boolean; line?: number; message?: string } | undefined;
  await launch(dc, { program }, async () => {
    bp = (await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: between }] })).body.breakpoints[0];
  });
  assert.equal(bp?.verified, true);
  assert.ok((bp?.line ?? 0) > between, `moved to ${bp?.line}`);
  assert.match(bp?.message ?? '', /moved to line/);
  const { frame } = await s;
  assert.equal(frame.name, 'sum_squares');
}));
