// Rust values in the Variables view (rustc 1.63 fixture, test/fixtures/lang/src/values.rs): each
// std formatter's summary, its children, and the raw layout one click away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { scopeValues, withClient } from './dap-harness';
import { children, langFixture, stopAtMarker } from './lang-harness';

const program = langFixture('values-rs.wasm');
const source = langFixture('src/values.rs');

/** name → [summary, type?] for the locals at @main-values. */
const SUMMARIES: Record<string, [string, string?]> = {
  text: ['"hello"', 'alloc::string::String'],
  word: ['"world"', '&str'],
  numbers: ['len=3 [10, 20, 30]', 'alloc::vec::Vec<i32, alloc::alloc::Global>'],
  tail: ['len=2 [20, 30]', '&[i32]'],
  array: ['len=4 [1, 2, 3, 4]'],
  queue: ['len=3 [1, 2, 3]'],
  ordered: ['len=3 {1: "one", 2: "two", 3: "three"}'],
  tags: ['len=2 {"a", "b"}'],
  some: ['Some(7)', 'core::option::Option<i32>'],
  none: ['None'],
  ok: ['Ok(1)'],
  err: ['Err("bad")'],
  rect: ['Rect { w: 3, h: 4 }', 'values::Rect'],
  square: ['Square(Rect { w: 3, h: 4 })', 'values::Shape'],
  circle: ['Circle(1.5)'],
  named: ['Named { name: "tri", sides: 3 }'],
  empty: ['Empty'],
  boxed: ['42'],
  shared: ['strong=2, weak=0 "shared"'],
  atomic: ['strong=1, weak=0 5'],
  cells: ['RefCell { value: len=2 [1, 2] }'],
  counter: ['Cell { value: 9 }'],
  tuple: ['(1, "two", 3.5)', '(i32, &str, f64)'],
  add: ['closure { offset: &10 }'],
  maybe_rect: ['Some(&Rect { w: 3, h: 4 })'],
  maybe_box: ['Some(8)'],
  no_box: ['None'],
};

async function kids(dc: DebugClient, vars: Map<string, DebugProtocol.Variable>, name: string): Promise<[string, string][]> {
  return [...(await children(dc, vars.get(name))).values()].filter((c) => c.name !== '[raw]').map((c) => [c.name, c.value]);
}

test('Rust std values: summaries for String, &str, slices, Vec, VecDeque, maps, sets, BTreeSet, Option, Result, enums, Box, Rc, Arc, cells, tuples, closures', () => withClient(async (dc) => {
  const frame = await stopAtMarker(dc, program, source, 'main-values');
  assert.equal(frame.name, 'values::main');
  const vars = await scopeValues(dc, 'Source Locals');
  for (const [name, [value, type]] of Object.entries(SUMMARIES)) {
    assert.equal(vars.get(name)?.value, value, name);
    if (type) assert.equal(vars.get(name)?.type, type, `${name}'s type`);
  }
  assert.match(vars.get('ptr')?.value ?? '', /^0x[0-9a-f]{8}$/);
  // HashMap/HashSet iterate in their RandomState's order: only the entries are fixed
  assert.match(vars.get('ages')?.value ?? '', /^len=2 \{("ann": 31, "bob": 42|"bob": 42, "ann": 31)\}$/);
  assert.match(vars.get('primes')?.value ?? '', /^len=2 \{(5, 7|7, 5)\}$/);
}));

test('Rust std values expand: elements, entries key → value, the active variant, the pointee, and [raw]', () => withClient(async (dc) => {
  await stopAtMarker(dc, program, source, 'main-values');
  const vars = await scopeValues(dc, 'Source Locals');
  assert.deepEqual(await kids(dc, vars, 'numbers'), [['[0]', '10'], ['[1]', '20'], ['[2]', '30']]);
  assert.deepEqual(await kids(dc, vars, 'tail'), [['[0]', '20'], ['[1]', '30']]);
  assert.deepEqual(await kids(dc, vars, 'queue'), [['[0]', '1'], ['[1]', '2'], ['[2]', '3']]);
  assert.deepEqual((await kids(dc, vars, 'ages')).sort(), [['["ann"]', '31'], ['["bob"]', '42']]);
  assert.deepEqual((await kids(dc, vars, 'primes')).map(([, v]) => v).sort(), ['5', '7']);
  assert.deepEqual(await kids(dc, vars, 'ordered'), [['[1]', '"one"'], ['[2]', '"two"'], ['[3]', '"three"']]);
  assert.deepEqual((await kids(dc, vars, 'tags')).map(([, v]) => v), ['"a"', '"b"']);
  assert.deepEqual(await kids(dc, vars, 'some'), [['0', '7']]);
  assert.deepEqual(await kids(dc, vars, 'none'), []);
  assert.deepEqual(await kids(dc, vars, 'err'), [['0', '"bad"']]);
  assert.deepEqual(await kids(dc, vars, 'square'), [['0', 'Rect { w: 3, h: 4 }']]);
  assert.deepEqual(await kids(dc, vars, 'named'), [['name', '"tri"'], ['sides', '3']]);
  assert.deepEqual(await kids(dc, vars, 'boxed'), [['*', '42']]);
  assert.deepEqual(await kids(dc, vars, 'shared'), [['value', '"shared"']]);
  assert.deepEqual(await kids(dc, vars, 'atomic'), [['value', '5']]);
  assert.deepEqual(await kids(dc, vars, 'cells'), [['value', 'len=2 [1, 2]'], ['borrow', '0']]);
  assert.deepEqual(await kids(dc, vars, 'counter'), [['value', '9']]);
  assert.deepEqual(await kids(dc, vars, 'tuple'), [['0', '1'], ['1', '"two"'], ['2', '3.5']]);
  assert.deepEqual(await kids(dc, vars, 'add'), [['offset', '&10']]);
  assert.deepEqual(await kids(dc, vars, 'ptr'), [['*ptr', '30']]);
  // the raw layout is one click away
  const raw = (await children(dc, vars.get('numbers'))).get('[raw]');
  assert.match(raw?.value ?? '', /^\{buf = RawVec .*, len = 3\}$/);
  const rawKids = await children(dc, raw);
  assert.deepEqual([...rawKids.keys()], ['buf', 'len']);
}));
