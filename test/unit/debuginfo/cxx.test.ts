// C++ debug information: qualified function names through namespaces and classes, methods
// defined out of their class (DW_AT_specification), `this`, references and template names.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { byteSizeOf, childSlots, type DwarfType, formatValue, resolveType } from '../../../core/debuginfo';
import { FIXTURES, loadWasm } from './fixture-loader';

for (const file of ['geo-O0.wasm', 'geo-O0-type-units.wasm', 'geo-O0-dwarf4-type-units.wasm']) {
test(`${file}: C++ functions carry qualified names; types are spelled with scopes`, () => {
  const { info } = loadWasm(join(FIXTURES, file));
  const ours = info.functions().filter((f) => f.declFile === '/fixtures/geo.cpp');
  assert.deepEqual(
    ours.map((f) => [f.qualifiedName, f.name, f.declLine]).sort(),
    [
      ['geo::Vec::dot', 'dot', 6],
      ['geo::detail::scale', 'scale', 13],
      ['geo::twice<int>', 'twice<int>', 11],
      ['main', 'main', 21],
    ],
  );
  const dot = ours.find((f) => f.name === 'dot')!;
  assert.equal(dot.linkageName, '_ZNK3geo3Vec3dotERKS0_');
  const vars = (fn: typeof dot) => info.variablesAt(fn.ranges[0]!.start + 4).flatMap((s) => s.variables).map((v) => `${v.typeName} ${v.name}`);
  assert.deepEqual(vars(dot), ['const geo::Vec * this', 'const geo::Vec & o']);
  assert.deepEqual(vars(ours.find((f) => f.name === 'scale')!), ['geo::Vec & v', 'int k']);
  // the struct's layout is found even when it lives in a type unit
  const v = info.variablesAt(ours.find((f) => f.name === 'scale')!.ranges[0]!.start + 4)[0]!.variables[0]!;
  const vec = resolveType((resolveType(v.type) as { target: DwarfType }).target);
  assert.deepEqual(childSlots(vec).map((c) => `${c.name}@${c.offset}`), ['x@0', 'y@4']);
  assert.equal(byteSizeOf(vec), 8);
  // a derived struct lists its base subobject first, and formats like a C++ debugger
  const main = ours.find((f) => f.name === 'main')!;
  const l = info.variablesAt(main.ranges[0]!.start + 4)[0]!.variables.find((x) => x.name === 'l')!;
  assert.equal(l.typeName, 'geo::Labeled');
  assert.deepEqual(childSlots(l.type).map((c) => `${c.name}@${c.offset}`), ['<geo::Vec>@0', 'tag@8']);
  const bytes = new Uint8Array(12);
  new DataView(bytes.buffer).setInt32(0, 4, true);
  new DataView(bytes.buffer).setInt32(4, 5, true);
  bytes[8] = 76;
  assert.equal(formatValue(l.type, bytes), "{<geo::Vec> = {x = 4, y = 5}, tag = 76 'L'}");
  assert.deepEqual(info.warnings, []);
});
}

test('C functions keep C spellings', () => {
  const { info } = loadWasm(join(FIXTURES, 'shapes-O0-dwarf5.wasm'));
  const sum = info.functions().find((f) => f.name === 'sum_records')!;
  assert.equal(sum.qualifiedName, 'sum_records');
  const r = info.variablesAt(sum.ranges[0]!.start + 4)[0]!.variables[0]!;
  assert.equal(r.typeName, 'struct record *');
});
