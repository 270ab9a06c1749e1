// The .wasm module view and disassembly of a Wasm 3.0 binary: rec groups, sub/final, structs and
// arrays by their type names, tags, and memories with their address type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../core/binary';
import { ENGINE_DEFAULT_FEATURES } from '../../core/features';
import { disassemble } from '../../core/inspect';
import { watToBinary } from '../../core/text';
import { modelFromWasm } from '../../client/module-tree/model';

const text = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'lsp', 'gc-shapes.wat'), 'utf8');
const features = { ...ENGINE_DEFAULT_FEATURES, gc: true, exceptions: true, memory64: true, multiMemory: true, functionReferences: true };
const module = decodeModule(watToBinary(text, { features }).bytes, { features });

test('the module view of a GC binary: types with rec groups and sub/final, tags, i64 memories', () => {
  const { roots } = modelFromWasm(module);
  const group = (label: string): string[] => (roots.find((n) => n.label === label)?.children?.() ?? []).map((n) => `${n.label} | ${n.description}`);
  assert.deepEqual(group('Types').slice(0, 4), [
    '$shape | rec 0–1  (sub (struct (field $id i32)))',
    '$point | rec 0–1  (sub final $shape (struct (field $id i32) (field $x (mut f64)) (field $y f64)))',
    '$bytes | (array (mut i8))',
    '$callback | (func (param i32) (result i32))',
  ]);
  assert.deepEqual(group('Tags'), ['$oops | (param i32 f64)']);
  assert.deepEqual(group('Memories'), ['$small | 1', '$big | i64 1']);
});

test('the disassembly writes a rec group around its types and GC types in full', () => {
  const lines = disassemble(module).lines;
  const at = lines.findIndex((l) => l.includes('(rec'));
  assert.ok(at >= 0, lines.slice(0, 20).join('\n'));
  assert.match(lines[at + 1] ?? '', /\(type \$shape \(sub \(struct \(field \$id i32\)\)\)\)/);
  assert.match(lines[at + 2] ?? '', /\(type \$point \(sub final \$shape \(struct \(field \$id i32\) \(field \$x \(mut f64\)\) \(field \$y f64\)\)\)\)/);
  assert.match(lines[at + 3] ?? '', /^\s*\)$/);
  assert.ok(lines.some((l) => /\(type \$bytes \(array \(mut i8\)\)\)/.test(l)));
});

test('the disassembly writes GC instructions with their types, fields, segments and casts by name', () => {
  const lines = disassemble(module).lines;
  const has = (re: RegExp): void => assert.ok(lines.some((l) => re.test(l)), `${re} not in\n${lines.join('\n')}`);
  has(/\(func \$getx .*\(param \$p \(ref null \$point\)\) \(result f64\)/);
  has(/struct\.get \$point \$x$/);
  has(/struct\.set \$point \$x$/);
  has(/array\.new_data \$bytes \$hello$/);
  has(/call_ref \$callback$/);
  has(/try_table \(catch \$oops 0\)/);
  has(/i32\.load \$big$/);
});
