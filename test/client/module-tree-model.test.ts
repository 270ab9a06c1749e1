// The module tree's model: groups and items from a binary and from the server's answer, reveal
// targets, lazy pages, and speed on a 5 MB module.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule, type Module } from '../../core/binary';
import { loadWabt } from '../../core/check/wabt-loader';
import { disassemble, openDisassembly } from '../../core/inspect';
import { watToWasm } from '../../core/inspect/wabt-convert';
import { modelFromServer, modelFromWasm, paged, PAGE_SIZE, type TreeNode } from '../../client/module-tree/model';
import type { ModuleTree } from '../../server/lsp-ext';
import { bigModule } from './big-module';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'client', 'sample.wat');
let sample: Module;

before(async () => {
  sample = decodeModule(watToWasm(await loadWabt(), readFileSync(fixture, 'utf8'), 'sample.wat'));
});

function child(nodes: TreeNode[], label: string): TreeNode {
  const found = nodes.find((n) => n.label === label);
  assert.ok(found, `no node '${label}' among ${nodes.map((n) => n.label).join(', ')}`);
  return found;
}

test('a binary lists imports and exports first, then its definitions and custom sections', () => {
  const { roots, message } = modelFromWasm(sample);
  assert.equal(message, undefined);
  assert.deepEqual(roots.map((n) => `${n.label} ${n.description}`), [
    'Imports 2', 'Exports 4', 'Types 3', 'Functions 3', 'Tables 1', 'Memories 1', 'Globals 2', 'Data Segments 1', 'Element Segments 1', 'Custom Sections 1',
  ]);
  const imports = child(roots, 'Imports').children!();
  assert.deepEqual(imports.map((n) => `${n.label} | ${n.description}`), [
    'wasi_snapshot_preview1.fd_write | func $fd_write (param i32 i32 i32 i32) (result i32)',
    'env.mem | memory $imem 1',
  ]);
  const exports = child(roots, 'Exports').children!();
  assert.deepEqual(exports.map((n) => `${n.label} | ${n.description}`), [
    'add | func 1 $add (param i32 i32) (result i32)',
    'count | func 2 $loop (param i32) (result i32)',
    'tab | table 0 $tab 2 funcref',
    'counter | global 0 $counter (mut i32)',
  ]);
  const funcs = child(roots, 'Functions').children!();
  assert.deepEqual(funcs.map((n) => n.label), ['$fd_write', '$add', '$loop']);
  assert.match(funcs[0]!.description!, /imported/);
  assert.match(funcs[1]!.description!, /^\(param i32 i32\) \(result i32\) {2}\d+ bytes$/);
  assert.deepEqual(child(roots, 'Globals').children!().map((n) => `${n.label} ${n.description}`), [
    '$counter (mut i32) = i32.const 42',
    '$pi f64 = f64.const 3.14159',
  ]);
  assert.equal(child(roots, 'Data Segments').children!()[0]!.description, 'active memory 0 at i32.const 16, 7 bytes');
  assert.equal(child(roots, 'Element Segments').children!()[0]!.description, 'active table 0 at i32.const 0, 2 elements');
  const custom = child(roots, 'Custom Sections').children!()[0]!;
  assert.equal(custom.label, 'name');
  assert.match(custom.description!, /^\d+ bytes$/);
});

test('clicking a binary item lands on its line of the .wasm view', () => {
  const { roots } = modelFromWasm(sample);
  const d = disassemble(sample);
  const add = child(child(roots, 'Exports').children!(), 'add');
  assert.deepEqual(add.target, { kind: 'wasm', anchor: 'func:1' });
  assert.match(d.lines[d.anchors.get('func:1')!]!, /\(func \$add/);
  // An imported item is defined by its import.
  const fdWrite = child(child(roots, 'Functions').children!(), '$fd_write');
  assert.deepEqual(fdWrite.target, { kind: 'wasm', anchor: 'import:0' });
  // Every target of every node has a line.
  const walk = (nodes: TreeNode[]): void => {
    for (const n of nodes) {
      if (n.target?.kind === 'wasm') assert.ok(d.anchors.has(n.target.anchor), `${n.id} → ${n.target.anchor}`);
      if (n.children) walk(n.children());
    }
  };
  walk(roots);
});

const range = (line: number, a: number, b: number) => ({ start: { line, character: a }, end: { line, character: b } });

const serverTree: ModuleTree = {
  uri: 'file:///a.wat',
  version: 3,
  modules: [{
    range: range(0, 0, 40),
    imports: [{ module: 'env', name: 'log', kind: 'func', index: 0, id: '$log', signature: '(param i32)', range: range(1, 2, 50), selectionRange: range(1, 30, 34) }],
    exports: [
      { name: 'main', kind: 'func', index: 1, id: '$main', signature: '(result i32)', range: range(3, 15, 30), selectionRange: range(3, 23, 29) },
      { name: 'broken', kind: 'func', index: -1, signature: '', range: range(9, 2, 30), selectionRange: range(9, 10, 18) },
    ],
    types: [],
    functions: [
      { kind: 'func', index: 0, id: '$log', signature: '(param i32)', range: range(1, 2, 50), selectionRange: range(1, 30, 34), import: { module: 'env', name: 'log' } },
      { kind: 'func', index: 1, id: '$main', signature: '(result i32)', range: range(3, 2, 8), selectionRange: range(3, 8, 13), exportNames: ['main'] },
    ],
    tables: [],
    memories: [{ kind: 'memory', index: 0, signature: '1', range: range(2, 2, 12), selectionRange: range(2, 3, 9) }],
    globals: [],
    tags: [],
    data: [],
    elements: [],
  }],
};

test('a .wat tree comes from the server, and an export reveals the definition it names', () => {
  const { roots, message } = modelFromServer(serverTree);
  assert.equal(message, undefined);
  assert.deepEqual(roots.map((n) => n.label), ['Imports', 'Exports', 'Functions', 'Memories']);
  const imp = child(roots, 'Imports').children!()[0]!;
  assert.equal(imp.label, 'env.log');
  assert.equal(imp.description, 'func $log (param i32)');
  const exports = child(roots, 'Exports').children!();
  assert.equal(exports[0]!.description, 'func 1 $main (result i32)');
  assert.deepEqual(exports[0]!.target, { kind: 'text', range: range(3, 8, 13) });
  assert.equal(exports[1]!.description, 'func (unresolved)');
  assert.deepEqual(exports[1]!.target, { kind: 'text', range: range(9, 10, 18) });
  const funcs = child(roots, 'Functions').children!();
  assert.equal(funcs[0]!.description, '(param i32)  import "env" "log"');
  assert.equal(funcs[1]!.description, '(result i32)  export "main"');
  assert.equal(child(roots, 'Memories').children!()[0]!.label, 'memory 0');
});

test('scripts with several modules get one node per module; empty or unknown documents get a message', () => {
  const two = modelFromServer({ ...serverTree, modules: [serverTree.modules[0]!, { ...serverTree.modules[0]!, id: '$M2', range: range(20, 0, 5) }] });
  assert.deepEqual(two.roots.map((n) => `${n.label} ${n.description}`), ['module 0 line 1', 'module $M2 line 21']);
  assert.deepEqual(two.roots[1]!.children!().map((n) => n.label), ['Imports', 'Exports', 'Functions', 'Memories']);
  assert.match(modelFromServer(null).message!, /no structure/);
  assert.match(modelFromServer({ ...serverTree, modules: [] }).message!, /No module/);
});

test('long lists are split into pages, nested when needed', () => {
  const make = (i: number): TreeNode => ({ id: `x:${i}`, label: String(i), icon: 'func' });
  assert.equal(paged('x', PAGE_SIZE, make).length, PAGE_SIZE);
  const pages = paged('x', 1234, make);
  assert.deepEqual(pages.map((p) => p.label), ['[0 … 499]', '[500 … 999]', '[1000 … 1233]']);
  assert.deepEqual(pages[2]!.children!().map((n) => n.label).slice(0, 2), ['1000', '1001']);
  const huge = paged('x', PAGE_SIZE * PAGE_SIZE + 1, make);
  assert.equal(huge.length, 2);
  assert.equal(huge[0]!.children!().length, PAGE_SIZE);
  assert.equal(huge[0]!.children!()[1]!.children!()[0]!.label, String(PAGE_SIZE));
});

test('a 5 MB module shows its top level and a page of functions quickly', () => {
  const bytes = bigModule(100_000, 16);
  assert.ok(bytes.length > 5_000_000, `${bytes.length} bytes`);
  const t0 = performance.now();
  const module = decodeModule(bytes);
  const t1 = performance.now();
  const { roots } = modelFromWasm(module);
  const funcs = child(roots, 'Functions');
  const pages = funcs.children!();
  const first = pages[0]!.children!();
  const exports = child(roots, 'Exports').children!();
  const t2 = performance.now();
  assert.equal(funcs.description, '100000');
  assert.equal(pages.length, 200);
  assert.equal(first[3]!.label, '$func_3');
  assert.deepEqual(exports.map((p) => p.label), ['[0 … 499]', '[500 … 999]']);
  // Building the model must not walk the module: it stays far below the decode time.
  assert.ok(t2 - t1 < 100, `model took ${(t2 - t1).toFixed(1)} ms (decode ${(t1 - t0).toFixed(0)} ms)`);
});

test('the .wasm view of a 5 MB module formats only the lines on screen', () => {
  const module = decodeModule(bigModule(100_000, 16));
  const listing = openDisassembly(module);
  assert.equal(listing.lineCount > 3_000_000, true);
  const line = listing.lineOfAnchor('func:54321')!;
  const t0 = performance.now();
  const lines = listing.lines(line, line + 100);
  const t1 = performance.now();
  assert.match(lines[0]!, /\(func \$func_54321 \(;54321;\) \(type 0\) \(param i32\) \(result i32\)$/);
  assert.match(lines[1]!, /^[0-9a-f]{6}: {3}local\.get 0$/);
  assert.ok(t1 - t0 < 100, `${(t1 - t0).toFixed(1)} ms for 100 lines`);
});
