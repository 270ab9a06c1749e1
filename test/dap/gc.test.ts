// GC references in the debugger through DebugClient: structs by field name, arrays by element
// (paged), i31 by value, nulls with their type, funcrefs by name; one entry per object; setVariable
// on mutable fields; hover and watch expand the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble, parseWat } from '../../core/text';
import { after, fixture, launch, launchAt, lineOf, scopeValues, stopped, topFrame, withClient } from './dap-harness';

const program = fixture('gc.wat');
const start = (dc: DebugClient, markers: string[]) => launchAt(dc, program, markers, { invoke: { export: 'main', args: [] } });

async function childrenOf(dc: DebugClient, ref: number, extra: Partial<DebugProtocol.VariablesArguments> = {}): Promise<Map<string, DebugProtocol.Variable>> {
  const r = await dc.variablesRequest({ variablesReference: ref, ...extra });
  return new Map(r.body.variables.map((v) => [v.name, v]));
}

test('a struct expands to its fields by name, with their types and values', () => withClient(async (dc) => {
  await start(dc, ['inspect']);
  const locals = await scopeValues(dc, 'Locals');
  const p = locals.get('$p')!;
  assert.equal(p.value, '$point {x: 3, y: 2.5, tag: 255}');
  assert.equal(p.type, '(ref $point)');
  assert.ok(p.variablesReference > 0);
  assert.equal(p.namedVariables, 3);
  const fields = await childrenOf(dc, p.variablesReference);
  assert.deepEqual([...fields.keys()], ['x', 'y', 'tag']);
  assert.equal(fields.get('x')!.value, '3');
  assert.equal(fields.get('x')!.type, 'i32');
  assert.equal(fields.get('y')!.value, '2.5');
  assert.deepEqual(fields.get('y')!.presentationHint?.attributes, ['readOnly'], 'an immutable field');
  assert.equal(fields.get('tag')!.type, 'i8');
  assert.equal(fields.get('tag')!.value, '255');
}));

test('the same object reached twice is the same entry; references nest', () => withClient(async (dc) => {
  await start(dc, ['inspect']);
  const locals = await scopeValues(dc, 'Locals');
  const pair = locals.get('$pair')!;
  assert.equal(pair.value, '$pair {left: $point {…}, right: $point {…}}');
  const sides = await childrenOf(dc, pair.variablesReference);
  const p = locals.get('$p')!.variablesReference;
  assert.equal(sides.get('left')!.variablesReference, p);
  assert.equal(sides.get('right')!.variablesReference, p);
  const globals = await scopeValues(dc, 'Globals');
  assert.equal(globals.get('$origin')!.variablesReference, p, 'through a global too');
  assert.equal(globals.get('$origin')!.type, 'mut (ref $point)');
}));

test('an array shows its length and pages its elements; i31, null and funcref show their value', () => withClient(async (dc) => {
  await start(dc, ['inspect']);
  const locals = await scopeValues(dc, 'Locals');
  const v = locals.get('$v')!;
  assert.equal(v.value, '$vec[3] [10, 20, 30]');
  assert.equal(v.indexedVariables, 3);
  assert.deepEqual([...(await childrenOf(dc, v.variablesReference)).values()].map((e) => e.value), ['10', '20', '30']);
  const big = locals.get('$big')!;
  assert.equal(big.indexedVariables, 2500);
  assert.match(big.value, /^\$vec\[2500\] \[1, 1, 1, 1, 1, 1, 1, 1, …\]$/);
  const page = await dc.variablesRequest({ variablesReference: big.variablesReference, filter: 'indexed', start: 2000, count: 100 });
  assert.equal(page.body.variables.length, 100);
  assert.equal(page.body.variables[0]!.name, '[2000]');
  assert.equal(locals.get('$small')!.value, 'i31 42');
  assert.equal(locals.get('$none')!.value, 'null (ref null $point)');
  assert.equal(locals.get('$none')!.type, '(ref null $point)');
  assert.equal(locals.get('$f')!.value, 'func $seven');
}));

test('setVariable writes a mutable field and refuses an immutable one', () => withClient(async (dc) => {
  await start(dc, ['inspect']);
  const p = (await scopeValues(dc, 'Locals')).get('$p')!;
  const r = await dc.setVariableRequest({ variablesReference: p.variablesReference, name: 'x', value: '41' });
  assert.equal(r.body.value, '41');
  assert.equal((await childrenOf(dc, p.variablesReference)).get('x')!.value, '41');
  await assert.rejects(dc.setVariableRequest({ variablesReference: p.variablesReference, name: 'y', value: '1' }), /immutable/);
  const v = (await scopeValues(dc, 'Locals')).get('$v')!;
  await dc.setVariableRequest({ variablesReference: v.variablesReference, name: '[2]', value: '-7' });
  assert.equal((await childrenOf(dc, v.variablesReference)).get('[2]')!.value, '-7');
}));

test('hover and watch expand a struct; a null shows its type', () => withClient(async (dc) => {
  await start(dc, ['inspect']);
  const frame = await topFrame(dc);
  const hover = await dc.evaluateRequest({ expression: '$p', frameId: frame.id, context: 'hover' });
  assert.equal(hover.body.result, '$point {x: 3, y: 2.5, tag: 255}');
  const fields = await childrenOf(dc, hover.body.variablesReference);
  assert.equal(fields.get('x')!.value, '3');
  const none = await dc.evaluateRequest({ expression: '$none', frameId: frame.id, context: 'watch' });
  assert.equal(none.body.result, 'null (ref null $point)');
}));

test('a data breakpoint on a struct field stops after each write to that object\'s field, old → new', () => withClient(async (dc) => {
  await start(dc, ['inspect']);
  const p = (await scopeValues(dc, 'Locals')).get('$p')!;
  const info = await dc.dataBreakpointInfoRequest({ variablesReference: p.variablesReference, name: 'x' });
  assert.ok(info.body.dataId, info.body.description);
  assert.equal(info.body.description, '$point.x');
  const immutable = await dc.dataBreakpointInfoRequest({ variablesReference: p.variablesReference, name: 'y' });
  assert.equal(immutable.body.dataId, null);
  await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
  let s = await after(dc, () => dc.continueRequest({ threadId: 1 }), 'data breakpoint');
  assert.equal(s.event.body.text, '$point.x: 3 → 4');
  assert.equal(s.frame.line, lineOf('gc.wat', 'set2'));
  s = await after(dc, () => dc.continueRequest({ threadId: 1 }), 'data breakpoint');
  assert.equal(s.event.body.text, '$point.x: 4 → 5');
  // Reverse Continue finds the write before.
  s = await after(dc, () => dc.reverseContinueRequest({ threadId: 1 }), 'data breakpoint');
  assert.equal(s.event.body.text, '$point.x: 3 → 4');
}));

test('Step Back across struct.set and array.set restores the fields exactly', () => withClient(async (dc) => {
  await start(dc, ['result']);
  const fields = async () => {
    const locals = await scopeValues(dc, 'Locals');
    const p = await childrenOf(dc, locals.get('$p')!.variablesReference);
    const v = await childrenOf(dc, locals.get('$v')!.variablesReference);
    return [p.get('x')!.value, v.get('[1]')!.value];
  };
  assert.deepEqual(await fields(), ['5', '21']);
  const back = () => after(dc, () => dc.stepBackRequest({ threadId: 1 }));
  let s = await back();
  assert.equal(s.frame.line, lineOf('gc.wat', 'aset'));
  assert.deepEqual(await fields(), ['5', '20']);
  s = await back();
  assert.equal(s.frame.line, lineOf('gc.wat', 'set2'));
  assert.deepEqual(await fields(), ['4', '20']);
  s = await back();
  assert.deepEqual(await fields(), ['3', '20']);
  // Forward again replays to the same values.
  await after(dc, () => dc.nextRequest({ threadId: 1 }));
  await after(dc, () => dc.nextRequest({ threadId: 1 }));
  await after(dc, () => dc.nextRequest({ threadId: 1 }));
  assert.deepEqual(await fields(), ['5', '21']);
}));

test('a data breakpoint on an array element stops at each write and read of that object\'s element, across Reverse Continue', () => withClient(async (dc) => {
  const file = fixture('gc-arrays.wat');
  await launchAt(dc, file, ['ready'], { invoke: { export: 'main', args: [] } });
  const locals = await scopeValues(dc, 'Locals');
  const v = locals.get('$v')!;
  const info = await dc.dataBreakpointInfoRequest({ variablesReference: v.variablesReference, name: '[3]' });
  assert.ok(info.body.dataId, info.body.description);
  assert.equal(info.body.description, '$vec[3]');
  // An immutable array's elements and an index past the end cannot be watched.
  const k = locals.get('$k')!;
  assert.equal((await dc.dataBreakpointInfoRequest({ variablesReference: k.variablesReference, name: '[0]' })).body.dataId, null);
  assert.equal((await dc.dataBreakpointInfoRequest({ variablesReference: v.variablesReference, name: '[8]' })).body.dataId, null);
  await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'readWrite' }] });
  const line = (m: string) => lineOf('gc-arrays.wat', m);
  const next = async (text: string, marker: string) => {
    const s = await after(dc, () => dc.continueRequest({ threadId: 1 }), 'data breakpoint');
    assert.equal(s.event.body.text, text);
    // A write stops after the instruction (on the next line), a read before it.
    assert.equal(s.frame.line, line(marker));
  };
  await next('$vec[3]: 0 → 7', 'fill');
  await next('$vec[3]: 7 → 9', 'get-other');
  await next('read $vec[3] = 9', 'get');
  await next('$vec[3]: 9 → 6', 'init');
  await next('$vec[3]: 6 → 67305985', 'end');
  await next('read $vec[3] = 67305985', 'end');
  // Reverse Continue finds the accesses before, on the same object after the replay.
  let s = await after(dc, () => dc.reverseContinueRequest({ threadId: 1 }), 'data breakpoint');
  assert.equal(s.event.body.text, '$vec[3]: 6 → 67305985');
  s = await after(dc, () => dc.reverseContinueRequest({ threadId: 1 }), 'data breakpoint');
  assert.equal(s.event.body.text, '$vec[3]: 9 → 6');
  await next('$vec[3]: 6 → 67305985', 'end');
}));

test('a .wasm\'s generated listing and the disassembly view name struct fields from the name section', () => withClient(async (dc) => {
  const wasm = join(mkdtempSync(join(tmpdir(), 'wasmscope-gc-')), 'gc.wasm');
  writeFileSync(wasm, assemble(parseWat(readFileSync(program, 'utf8')).module).bytes);
  const entry = stopped(dc, 'entry');
  await launch(dc, { program: wasm, stopOnEntry: true, invoke: { export: 'main', args: [] } });
  const { frame } = await entry;
  const src = await dc.sourceRequest({ sourceReference: frame.source!.sourceReference!, source: frame.source });
  const text = src.body.content;
  assert.match(text, /\(type \$point \(struct \(field \$x \(mut i32\)\) \(field \$y f64\) \(field \$tag i8\)\)\)/);
  assert.match(text, /struct\.set \$point \$x\n/);
  assert.match(text, /struct\.get \$point \$x\n/);
  const dis = await dc.disassembleRequest({ memoryReference: frame.instructionPointerReference!, instructionCount: 200 });
  assert.ok(dis.body!.instructions.some((i) => i.instruction === 'struct.set $point $x'), dis.body!.instructions.map((i) => i.instruction).join('\n'));
}));
