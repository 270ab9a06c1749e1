// C++ (libc++) values in the Variables view (clang-19 fixture, test/fixtures/lang/values.cpp):
// each libc++ formatter's summary, its children, and the raw layout one click away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { scopeValues, withClient } from './dap-harness';
import { children, langFixture, stopAtMarker } from './lang-harness';

const program = langFixture('values-cpp.wasm');
const source = langFixture('values.cpp');

const SUMMARIES: Record<string, [string, string?]> = {
  small: ['"hi"', 'std::__2::string'],
  large: ['"a string too long for the short buffer"'],
  view: ['"a string too long for the short buffer"', 'std::__2::string_view'],
  numbers: ['size=3 [10, 20, 30]'],
  fixed: ['size=3 [1, 2, 3]'],
  names: ['size=3 {1: "one", 2: "two", 3: "three"}'],
  primes: ['size=3 {2, 5, 7}'],
  some: ['7', 'std::__2::optional<int>'],
  none: ['nullopt'],
  alt: ['[1] 2.5'],
  owned: ['42'],
  empty_owned: ['nullptr'],
  point: ['strong=2, weak=0 {x = 3, y = 4}', 'std::__2::shared_ptr<geo::Point>'],
  p: ['{x = 1, y = 2}', 'geo::Point'],
  shape: ['{name_ = "triangle"}'],
};

async function kids(dc: DebugClient, vars: Map<string, DebugProtocol.Variable>, name: string): Promise<[string, string][]> {
  return [...(await children(dc, vars.get(name))).values()].filter((c) => c.name !== '[raw]').map((c) => [c.name, c.value]);
}

test('libc++ values: summaries for string (short and long), string_view, vector, array, map, unordered_map, set, optional, variant, unique_ptr, shared_ptr', () => withClient(async (dc) => {
  const frame = await stopAtMarker(dc, program, source, 'main-values');
  assert.equal(frame.name, 'main');
  const vars = await scopeValues(dc, 'Source Locals');
  for (const [name, [value, type]] of Object.entries(SUMMARIES)) {
    assert.equal(vars.get(name)?.value, value, name);
    if (type) assert.equal(vars.get(name)?.type, type, `${name}'s type`);
  }
  // unordered_map keeps its bucket order: only the set of entries is fixed
  assert.match(vars.get('ages')?.value ?? '', /^size=2 \{("ann": 31, "bob": 42|"bob": 42, "ann": 31)\}$/);
}));

test('libc++ values expand: elements, entries key → value, the engaged value, the pointee, and [raw]', () => withClient(async (dc) => {
  await stopAtMarker(dc, program, source, 'main-values');
  const vars = await scopeValues(dc, 'Source Locals');
  assert.deepEqual(await kids(dc, vars, 'numbers'), [['[0]', '10'], ['[1]', '20'], ['[2]', '30']]);
  assert.deepEqual(await kids(dc, vars, 'fixed'), [['[0]', '1'], ['[1]', '2'], ['[2]', '3']]);
  assert.deepEqual(await kids(dc, vars, 'names'), [['[1]', '"one"'], ['[2]', '"two"'], ['[3]', '"three"']]);
  assert.deepEqual((await kids(dc, vars, 'ages')).sort(), [['["ann"]', '31'], ['["bob"]', '42']]);
  assert.deepEqual(await kids(dc, vars, 'primes'), [['[0]', '2'], ['[1]', '5'], ['[2]', '7']]);
  assert.deepEqual(await kids(dc, vars, 'some'), [['value', '7']]);
  assert.deepEqual(await kids(dc, vars, 'none'), []);
  assert.deepEqual(await kids(dc, vars, 'alt'), [['value', '2.5'], ['index', '1']]);
  assert.deepEqual(await kids(dc, vars, 'owned'), [['*', '42']]);
  assert.deepEqual(await kids(dc, vars, 'point'), [['*', '{x = 3, y = 4}']]);
  assert.deepEqual(await kids(dc, vars, 'raw'), [['*raw', '20']]);
  const raw = (await children(dc, vars.get('view'))).get('[raw]');
  assert.equal(raw?.value, '{__data_ = 0x00011660 "a string too long for the short buffer", __size_ = 38}');
}));
