// Expressions in the source language on the Rust and C++ fixtures: members, elements and entries
// through the formatters (`numbers[2]` on a Vec, `names[2]` on a std::map), `*ptr`, `p->y`, `&x`
// for the Memory view, `len()`/`size()`, arithmetic over them, and conditional breakpoints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launch, scopeValues, stopped, topFrame, withClient } from './dap-harness';
import { langFixture, markerLine, stopAtMarker } from './lang-harness';

async function ev(dc: DebugClient, expression: string, context = 'watch') {
  const frame = await topFrame(dc);
  return (await dc.evaluateRequest({ expression, frameId: frame.id, context })).body;
}

async function fails(dc: DebugClient, expression: string, message: RegExp): Promise<void> {
  await assert.rejects(ev(dc, expression), message, expression);
}

test('Rust: members, Vec/VecDeque/HashMap/BTreeMap elements, tuple fields, enum payloads, derefs, len()', () => withClient(async (dc) => {
  await stopAtMarker(dc, langFixture('values-rs.wasm'), langFixture('src/values.rs'), 'main-values');
  const cases: [string, string][] = [
    ['rect.w + 1', '4'], ['rect.w * rect.h', '12'],
    ['numbers[2]', '30'], ['numbers[1] * 2', '40'], ['numbers.len()', '3'], ['tail[0]', '20'], ['tail.len()', '2'],
    ['text.len()', '5'], ['word.len()', '5'], ['array[3]', '4'], ['array.len()', '4'],
    ['queue[0]', '1'], ['queue.len()', '3'], ['ages["bob"]', '42'], ['ages.len()', '2'], ['ordered[2]', '"two"'], ['primes.len()', '2'], ['tags.len()', '2'], ['tags[1]', '"b"'],
    ['tuple.0 + 1', '2'], ['tuple.1', '"two"'], ['some.0 + 1', '8'], ['err.0', '"bad"'],
    ['*ptr', '30'], ['*ptr + 1', '31'], ['*boxed + 1', '43'], ['maybe_rect.0.w', '3'], ['(*maybe_box.0) * 2', '16'],
    ['shared.len()', '6'], ['*atomic', '5'], ['cells.value[1]', '2'], ['counter.value', '9'], ['add.offset + 1', '11'],
    ['numbers.is_empty()', '0'],
  ];
  for (const [expr, want] of cases) assert.equal((await ev(dc, expr)).result, want, expr);
  // a formatted value keeps its children, as in the Variables view
  const vec = await ev(dc, 'numbers');
  assert.equal(vec.result, 'len=3 [10, 20, 30]');
  assert.ok(vec.variablesReference > 0);
  const kids = await dc.variablesRequest({ variablesReference: vec.variablesReference });
  assert.deepEqual(kids.body.variables.slice(0, 3).map((v) => v.value), ['10', '20', '30']);
  // children carry expressions that evaluate back to them (Add to Watch, Copy as Expression)
  const vars0 = await scopeValues(dc, 'Source Locals');
  for (const name of ['numbers', 'ages', 'some', 'named', 'boxed', 'tuple', 'ptr', 'cells', 'maybe_rect', 'ordered']) {
    const kidsOf = await dc.variablesRequest({ variablesReference: vars0.get(name)!.variablesReference });
    for (const k of kidsOf.body.variables) {
      if (k.name === '[raw]') {
        assert.equal(k.evaluateName, undefined);
        continue;
      }
      assert.ok(k.evaluateName, `${name} › ${k.name} has an evaluateName`);
      assert.equal((await ev(dc, k.evaluateName)).result, k.value, k.evaluateName);
    }
  }
  const deep = await dc.variablesRequest({ variablesReference: (await ev(dc, 'maybe_rect.0')).variablesReference });
  assert.deepEqual(deep.body.variables.map((v) => [v.name, v.evaluateName]), [['*', '*maybe_rect.0'], ['[raw]', undefined]]);
  // &x: the address, with a memory reference the Memory view opens at the variable
  const vars = await scopeValues(dc, 'Source Locals');
  const addr = await ev(dc, '&rect');
  assert.equal(addr.memoryReference, vars.get('rect')?.memoryReference);
  assert.equal(addr.result, vars.get('rect')?.memoryReference);
  const mem = (await dc.customRequest('readMemory', { memoryReference: addr.memoryReference!, count: 8 })) as DebugProtocol.ReadMemoryResponse;
  assert.deepEqual([...Buffer.from(mem.body!.data!, 'base64')], [3, 0, 0, 0, 4, 0, 0, 0]);
  assert.equal((await ev(dc, '&numbers[1]')).result, `0x${(Number((await ev(dc, '&numbers[0]')).memoryReference) + 4).toString(16).padStart(8, '0')}`);
  // clear errors, never a crash
  await fails(dc, 'numbers[3]', /index 3 is out of bounds: numbers has 3 element\(s\)/);
  await fails(dc, 'ages["carol"]', /ages has no entry "carol"/);
  await fails(dc, 'rect.depth', /rect has no member depth/);
  await fails(dc, '*rect', /rect \(values::Rect\) is not a pointer/);
  await fails(dc, 'numbers + 1', /numbers is a .*Vec.*, not a number/);
  await fails(dc, 'numbers.push()', /push\(\) is not known/);
}));

test('C++: struct members, vector/array/map/unordered_map elements, pointer indexing, smart pointers, size()', () => withClient(async (dc) => {
  await stopAtMarker(dc, langFixture('values-cpp.wasm'), langFixture('values.cpp'), 'main-values');
  const cases: [string, string][] = [
    ['p.x + 1', '2'], ['p.x + p.y', '3'], ['numbers[1]', '20'], ['numbers.size()', '3'], ['fixed[2]', '3'], ['fixed.size()', '3'],
    ['names[2]', '"two"'], ['names.size()', '3'], ['ages["ann"]', '31'], ['primes.size()', '3'],
    ['*raw', '20'], ['raw[1]', '30'], ['*owned + 1', '43'], ['point->y', '4'], ['(*point).x', '3'],
    ['small.size()', '2'], ['large.length()', '38'], ['view.size()', '38'], ['shape.name_.size()', '8'], ['some.value', '7'],
    ['numbers.empty()', '0'],
  ];
  for (const [expr, want] of cases) assert.equal((await ev(dc, expr)).result, want, expr);
  const vars = await scopeValues(dc, 'Source Locals');
  assert.equal((await ev(dc, '&p')).memoryReference, vars.get('p')?.memoryReference);
  await fails(dc, '*empty_owned', /not a pointer|null/);
}));

test('a conditional breakpoint in source terms: a false one is passed, a true one stops', () => withClient(async (dc) => {
  const program = langFixture('values-rs.wasm');
  const source = langFixture('src/values.rs');
  const panic = stopped(dc, 'exception');
  await launch(dc, { program }, async () => {
    await dc.setExceptionBreakpointsRequest({ filters: ['trap'] });
    const r = await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: markerLine(source, 'main-values'), condition: 'numbers.len() == 4 || numbers[1] != 20' }] });
    assert.equal(r.body.breakpoints[0]?.verified, true);
  });
  await panic; // the condition was false, so the program ran on to its panic
}));

test('…and the same breakpoint with a true condition stops there', () => withClient(async (dc) => {
  const program = langFixture('values-rs.wasm');
  const source = langFixture('src/values.rs');
  const hit = stopped(dc, 'breakpoint');
  await launch(dc, { program }, async () => {
    await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: markerLine(source, 'main-values'), condition: 'numbers[1] == 20 && rect.w + 1 == 4 && ages["ann"] == 31' }] });
  });
  assert.equal((await hit).frame.line, markerLine(source, 'main-values'));
}));
