// Exception breakpoints through DebugClient: filters for caught and uncaught Wasm exceptions beside
// traps, stopping at the throw with the tag and payload shown; an uncaught one ends the program
// with a message naming the tag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { after, collectOutput, fixture, launch, lineOf, scopeValues, stopped, withClient } from './dap-harness';

const program = fixture('exceptions.wat');
const line = (marker: string): number => lineOf('exceptions.wat', marker);

async function start(dc: DebugClient, filters: string[], fail: number) {
  const first = stopped(dc);
  await launch(dc, { program, invoke: { export: 'main', args: [fail] } }, () => dc.setExceptionBreakpointsRequest({ filters }));
  return first;
}

test('the adapter offers caught and uncaught exception filters beside traps', () => withClient(async (dc) => {
  const r = await dc.initializeRequest({ adapterID: 'wasmscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const filters = r.body?.exceptionBreakpointFilters ?? [];
  assert.deepEqual(filters.map((f) => [f.filter, f.default]), [['trap', true], ['uncaught', true], ['caught', false]]);
}));

test('the caught filter stops at the throw with the tag and payload; continuing runs the handler', () => withClient(async (dc) => {
  const { event, frame } = await start(dc, ['caught'], 0);
  assert.equal(event.body.reason, 'exception');
  assert.equal(event.body.text, 'Exception $oops (i32 7) (f64 1.5) (caught)');
  assert.equal(frame.name, 'inner');
  assert.equal(frame.line, line('throw'));
  const ex = await scopeValues(dc, 'Exception');
  assert.equal(ex.get('tag')!.value, '$oops');
  assert.equal(ex.get('[0]')!.value, '7');
  assert.equal(ex.get('[1]')!.value, '1.5');
  const info = await dc.exceptionInfoRequest({ threadId: 1 });
  assert.equal(info.body.exceptionId, '$oops');
  assert.match(info.body.description ?? '', /caught by a handler/);
  const exited = dc.waitForEvent('exited');
  await dc.continueRequest({ threadId: 1 });
  assert.equal((await exited).body.exitCode, 0);
}));

test('without the caught filter a caught exception does not stop', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  const exited = dc.waitForEvent('exited');
  await launch(dc, { program, invoke: { export: 'main', args: [0] } }, () => dc.setExceptionBreakpointsRequest({ filters: ['uncaught'] }));
  assert.equal((await exited).body.exitCode, 0);
  assert.match(out.text('console'), /main\(0\) returned 7/);
}));

test('the uncaught filter stops at the throw nothing catches; continuing ends the program naming the tag', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  const { event, frame } = await start(dc, ['uncaught'], 1);
  assert.equal(event.body.reason, 'exception');
  assert.equal(event.body.text, 'Uncaught exception $fatal (i32 107)');
  assert.equal(frame.name, 'main');
  assert.equal(frame.line, line('fatal'));
  assert.equal((await scopeValues(dc, 'Exception')).get('[0]')!.value, '107');
  const info = await dc.exceptionInfoRequest({ threadId: 1 });
  assert.equal(info.body.breakMode, 'unhandled');
  const exited = dc.waitForEvent('exited');
  await dc.continueRequest({ threadId: 1 });
  assert.equal((await exited).body.exitCode, 134);
  assert.match(out.text('stderr'), /uncaught exception: tag \$fatal \(i32 107\)/);
}));

test('caught and uncaught together: first the caught throw, then the uncaught one', () => withClient(async (dc) => {
  const first = await start(dc, ['caught', 'uncaught'], 1);
  assert.equal(first.frame.name, 'inner');
  const second = await after(dc, () => dc.continueRequest({ threadId: 1 }), 'exception');
  assert.equal(second.event.body.text, 'Uncaught exception $fatal (i32 107)');
}));

test('with no exception filter an uncaught exception ends the program with its tag', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  const exited = dc.waitForEvent('exited');
  await launch(dc, { program, invoke: { export: 'main', args: [1] } }, () => dc.setExceptionBreakpointsRequest({ filters: [] }));
  assert.equal((await exited).body.exitCode, 134);
  assert.match(out.text('stderr'), /wasm exception: uncaught exception: tag \$fatal \(i32 107\)/);
}));

test('Reverse Continue with the caught filter goes back to the throw', () => withClient(async (dc) => {
  const first = stopped(dc, 'exception');
  await launch(dc, { program, invoke: { export: 'main', args: [0] } }, async () => {
    await dc.setExceptionBreakpointsRequest({ filters: ['caught'] });
    await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: line('caught') }] });
  });
  assert.equal((await first).frame.line, line('throw'));
  const bp = await after(dc, () => dc.continueRequest({ threadId: 1 }), 'breakpoint');
  assert.equal(bp.frame.line, line('caught'));
  const back = await after(dc, () => dc.reverseContinueRequest({ threadId: 1 }), 'exception');
  assert.equal(back.event.body.text, 'Exception $oops (i32 7) (f64 1.5) (caught)');
  assert.equal(back.frame.line, line('throw'));
  assert.equal((await scopeValues(dc, 'Exception')).get('[0]')!.value, '7');
}));
