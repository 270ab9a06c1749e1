// The module tree of a component: its world's imports and exports as interfaces with their WIT
// types and functions, then its core modules with their own imports and exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeComponent, describeWorld, validateComponent } from '../../core/component';
import { modelFromComponent, type TreeNode } from '../../client/module-tree/model';

const p2 = join(import.meta.dirname, '..', '..', '..', 'shared', 'wasi-testsuite', 'p2', 'c');
const file = readdirSync(p2).filter((f) => f.endsWith('.wasm')).sort()[0]!;
const world = describeWorld(validateComponent(decodeComponent(new Uint8Array(readFileSync(join(p2, file))))));

const byLabel = (nodes: TreeNode[], label: string): TreeNode => {
  const n = nodes.find((x) => x.label === label);
  assert.ok(n, `${label} among ${nodes.map((x) => x.label).join(', ')}`);
  return n;
};

test('a p2 component: Imports, Exports and Core modules; an interface expands to its WIT functions and resources', () => {
  const model = modelFromComponent(world);
  assert.deepEqual(model.roots.map((r) => r.label), ['Imports', 'Exports', 'Core modules']);
  const imports = byLabel(model.roots, 'Imports').children!();
  assert.equal(imports.length, world.imports.length);
  const streams = imports.find((n) => /^wasi:io\/streams@0\.2\./.test(n.label))!;
  assert.equal(streams.description, 'interface');
  const output = byLabel(streams.children!(), 'output-stream');
  assert.equal(output.description, 'resource');
  assert.match(byLabel(output.children!(), 'blocking-write-and-flush').description ?? '', /^func\(contents: list<u8>\) -> result<_, stream-error>$/);
  const exports = byLabel(model.roots, 'Exports').children!();
  const run = exports.find((n) => /^wasi:cli\/run@0\.2\./.test(n.label))!;
  assert.deepEqual(run.children!().map((f) => [f.label, f.description]), [['run', 'func() -> result']]);
});

test('core modules show their size and offset, and their own imports and exports', () => {
  const cores = byLabel(modelFromComponent(world).roots, 'Core modules').children!();
  assert.equal(cores.length, world.coreModules.length);
  const main = cores.find((c) => c.children!().some((g) => g.label === 'Exports' && g.children!().some((e) => e.label === '_start')))!;
  assert.match(main.label, /^core module \d+/);
  assert.match(main.description ?? '', /^\d+ functions, \d+ bytes at 0x[0-9a-f]+$/);
  const imports = byLabel(main.children!(), 'Imports').children!();
  assert.ok(imports.some((i) => i.label.startsWith('wasi_snapshot_preview1.')), imports.map((i) => i.label).join(', '));
});
