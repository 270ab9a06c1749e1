// Data breakpoints through DebugClient: on a global, a local and memory bytes, for writes and reads;
// the stop says old → new; Reverse Continue finds the last write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { after, evaluate, fixture, launchAt, lineOf, topFrame, withClient } from './dap-harness';

const program = fixture('timetravel.wat');
const line = (marker: string): number => lineOf('timetravel.wat', marker);

const start = (dc: DebugClient, lines: string[], extra: Record<string, unknown> = {}) => launchAt(dc, program, lines, extra);

const cont = (dc: DebugClient) => after(dc, () => dc.continueRequest({ threadId: 1 }), 'data breakpoint');

async function scopeRef(dc: DebugClient, name: string): Promise<number> {
  const frame = await topFrame(dc);
  const scopes = await dc.scopesRequest({ frameId: frame.id });
  return scopes.body.scopes.find((s) => s.name === name)!.variablesReference;
}

async function watch(dc: DebugClient, info: { name: string; variablesReference?: number; asAddress?: boolean; bytes?: number }, accessType: 'write' | 'read' | 'readWrite' = 'write') {
  const r = await dc.customRequest('dataBreakpointInfo', info);
  assert.ok(r.body.dataId, `no dataId: ${r.body.description}`);
  assert.deepEqual(r.body.accessTypes, ['write', 'read', 'readWrite']);
  const set = await dc.customRequest('setDataBreakpoints', { breakpoints: [{ dataId: r.body.dataId, accessType }] });
  assert.equal(set.body.breakpoints[0].verified, true);
  return set.body.breakpoints[0].id as number;
}

test('the adapter offers data breakpoints with byte ranges', () => withClient(async (dc) => {
  const r = await dc.initializeRequest({ adapterID: 'wasmscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  assert.equal(r.body?.supportsDataBreakpoints, true);
  assert.equal(r.body?.supportsDataBreakpointBytes, true);
}));

test('a write data breakpoint on a global stops after each write, saying old → new', () => withClient(async (dc) => {
  await start(dc, [], { stopOnEntry: true });
  const id = await watch(dc, { name: '$total', variablesReference: await scopeRef(dc, 'Globals') });
  let s = await cont(dc);
  assert.equal(s.event.body.text, '$total: 0 → 1');
  assert.deepEqual(s.event.body.hitBreakpointIds, [id]);
  assert.equal(s.frame.name, 'work');
  assert.equal(s.frame.line, line('print'), 'just after the global.set');
  s = await cont(dc);
  assert.equal(s.event.body.text, '$total: 1 → 2');
  assert.equal(await evaluate(dc, '$i'), '1');
}));

test('a read data breakpoint stops before the read', () => withClient(async (dc) => {
  await start(dc, [], { stopOnEntry: true });
  await watch(dc, { name: '$total', variablesReference: await scopeRef(dc, 'Globals') }, 'read');
  const s = await cont(dc);
  assert.equal(s.event.body.text, 'read $total = 0');
  assert.equal(s.frame.line, line('total'));
}));

test('a data breakpoint on a local watches that frame\'s local', () => withClient(async (dc) => {
  await start(dc, ['test']);
  await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
  await watch(dc, { name: '$acc', variablesReference: await scopeRef(dc, 'Locals') });
  let s = await cont(dc);
  assert.equal(s.event.body.text, '$acc: 0 → 0', 'a write of the same value still is a write');
  s = await cont(dc);
  assert.equal(s.event.body.text, '$acc: 0 → 1');
  s = await cont(dc);
  assert.equal(s.event.body.text, '$acc: 1 → 3');
}));

test('a data breakpoint on memory bytes stops at the store that writes them; Reverse Continue finds the last write', () => withClient(async (dc) => {
  await start(dc, [], { stopOnEntry: true });
  await watch(dc, { name: '0x802', asAddress: true, bytes: 1 });
  const s = await cont(dc);
  assert.equal(s.event.body.text, 'mem[0x802..0x803]: 00 → 66');
  assert.equal(await evaluate(dc, '$i'), '2');
  assert.equal(s.frame.line, line('total'));

  // Run on to the end of the loop, then ask who wrote the byte.
  await dc.setDataBreakpointsRequest({ breakpoints: [] });
  await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: line('result') }] });
  await after(dc, () => dc.continueRequest({ threadId: 1 }), 'breakpoint');
  await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
  await watch(dc, { name: '0x802', asAddress: true, bytes: 1 });
  const back = await after(dc, () => dc.reverseContinueRequest({ threadId: 1 }), 'data breakpoint');
  assert.equal(back.event.body.text, 'mem[0x802..0x803]: 00 → 66');
  assert.equal(await evaluate(dc, '$i'), '2');
  // Once more: no earlier write, so back to the start of the program.
  const start0 = await after(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
  assert.match(start0.event.body.text ?? '', /start of the program/);
}));
