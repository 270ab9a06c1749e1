// textDocument/documentSymbol, workspace/symbol and the custom wasmscope/moduleTree request.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentSymbol, WorkspaceSymbol } from 'vscode-languageserver-protocol';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { moduleTreeRequest, sendCustomRequest, type ModuleTree } from '../../server/lsp-ext';
import { fixture, positionOf, startServer, type LspClient } from './harness';

let client: LspClient;
const features = fixture('features.wat');
const script = fixture('script.wast');

before(async () => {
  client = await startServer();
  await client.open(features.uri, features.text);
  await client.open(script.uri, script.text);
});
after(async () => {
  await client.stop();
});

test('the outline lists fields in source order with params and locals under functions', async () => {
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: features.uri } });
  const names = symbols.map((s) => s.name);
  assert.deepEqual(names.slice(0, 8), ['$binop', '$log', '$mem', '$counter', '$limit', '$fns', 'elem 0', 'data 0']);
  const mul = symbols.find((s) => s.name === '$mul');
  assert.deepEqual(mul?.children?.map((c) => c.name), ['$a', '$b', '$tmp']);
  assert.equal(mul?.detail, '(param $a i32) (param $b i32) (result i32)');
  assert.deepEqual(mul?.selectionRange.start, positionOf(features.text, '(func $mul', 6));
  assert.ok(symbols.some((s) => s.name === '"run"'));
});

test('a .wast outline has one entry per module', async () => {
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: script.uri } });
  // Modules under assert_invalid are listed too: navigation inside them works like anywhere else.
  assert.deepEqual(symbols.map((s) => s.name), ['$ok', 'module 1', '$broken', 'module 3']);
  assert.ok(symbols[0]?.children?.some((c) => c.name === '"add"'));
});

test('workspace symbols search every open document', async () => {
  const found = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'cnt' });
  assert.ok(found.some((s) => s.name === '$counter' && 'range' in s.location && s.location.uri === features.uri), JSON.stringify(found));
  const add = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'add' });
  assert.ok(add.some((s) => s.location.uri === script.uri));
});

test('wasmscope/moduleTree lists imports, exports and fields with signatures and ranges', async () => {
  const tree = await sendCustomRequest(client.connection, moduleTreeRequest, { textDocument: { uri: features.uri } });
  assert.ok(tree);
  const m = (tree as ModuleTree).modules[0];
  assert.ok(m);
  assert.deepEqual(
    m.imports.map((i) => [i.module, i.name, i.kind, i.index, i.signature]),
    [
      ['env', 'log', 'func', 0, '(param $value i32)'],
      ['env', 'mem', 'memory', 0, '1'],
    ],
  );
  assert.deepEqual(
    m.exports.map((e) => [e.name, e.kind, e.index, e.id, e.signature]),
    [
      ['add', 'func', 1, '$add', '(param $lhs i32) (param $rhs i32) (result i32)'],
      ['run', 'func', 3, '$run', '(param $n i32) (result i32)'],
    ],
  );
  assert.deepEqual(m.exports[0]?.range.start, positionOf(features.text, '(export "add")'));
  assert.deepEqual(m.functions.map((f) => f.id), ['$log', '$add', '$mul', '$run']);
  assert.deepEqual(m.functions[0]?.import, { module: 'env', name: 'log' });
  assert.deepEqual(m.globals.map((g) => [g.id, g.signature]), [['$counter', '(mut i32)'], ['$limit', 'i64']]);
  assert.deepEqual(m.tables.map((t) => t.signature), ['2 funcref']);
  assert.equal(m.data.length, 1);
  assert.match(m.data[0]?.signature ?? '', /active memory 0, 11 bytes/);
  assert.equal(m.elements.length, 1);
  assert.equal(m.types[0]?.id, '$binop');
  assert.deepEqual(m.functions[2]?.selectionRange.start, positionOf(features.text, '(func $mul', 6));
});

test('moduleTree of a script has every text module; an unknown document gives null', async () => {
  const tree = await sendCustomRequest(client.connection, moduleTreeRequest, { textDocument: { uri: script.uri } });
  assert.deepEqual(tree?.modules.map((m) => m.id), ['$ok', undefined, '$broken', undefined]);
  assert.equal(await sendCustomRequest(client.connection, moduleTreeRequest, { textDocument: { uri: 'file:///nope.wat' } }), null);
});

test('workspace symbols include .wat files on disk that are not open', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-ws-'));
  mkdirSync(join(dir, 'lib'));
  writeFileSync(join(dir, 'lib', 'math.wat'), '(module (func $square_root (param f64) (result f64) (f64.sqrt (local.get 0))))');
  writeFileSync(join(dir, 'script.wast'), '(module $m (global $pi f64 (f64.const 3.14)))');
  mkdirSync(join(dir, 'node_modules'));
  writeFileSync(join(dir, 'node_modules', 'skip.wat'), '(module (func $square_skipped))');
  const ws = await startServer({ rootUri: pathToFileURL(dir).href });
  try {
    const found = await ws.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'square' });
    assert.deepEqual(found.map((s) => s.name), ['$square_root']);
    assert.equal(found[0]?.location.uri, pathToFileURL(join(dir, 'lib', 'math.wat')).href);
    const pi = await ws.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'pi' });
    assert.deepEqual(pi.map((s) => [s.name, s.containerName]), [['$pi', '$m']]);
  } finally {
    await ws.stop();
  }
});
