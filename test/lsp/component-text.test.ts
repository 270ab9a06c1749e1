// A .wat holding (component ...) in the language server: diagnostics from the component parser,
// encoder and validator (none for a valid component, each error at its line), an outline of the
// component's items with nested components under theirs, and no failure of the other features.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentSymbol, Hover } from 'vscode-languageserver-protocol';
import { messageOf, startServer, type LspClient } from './harness';

const path = join(import.meta.dirname, '..', 'fixtures', 'component', 'text', 'run-result.wat');
const uri = pathToFileURL(path).href;
const text = readFileSync(path, 'utf8');
let client: LspClient;

before(async () => {
  client = await startServer();
  await client.open(uri, text);
});
after(async () => {
  await client.stop();
});

test('a valid component .wat has no diagnostics; an edit that breaks it gets the error at its line', async () => {
  assert.deepEqual(await client.diagnostics(uri), []);
  await client.change(uri, text.replace('(with "run" (func $run))', '(with "run" (func $nope))'));
  const found = await client.diagnostics(uri);
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.match(messageOf(found[0]), /unknown func \$nope/);
  assert.equal(found[0]!.range.start.line, text.split('\n').findIndex((l) => l.includes('(with "run"')));
  await client.change(uri, text);
  assert.deepEqual(await client.diagnostics(uri), []);
});

test('the outline lists the component\'s items, a nested component\'s under it', async () => {
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.deepEqual(symbols.map((s) => s.name), ['$main', '$m', '$run-result', '$run', '$shim', '$cli', '"wasi:cli/run@0.2.3"']);
  assert.deepEqual(symbols[4]!.children?.map((s) => s.name), ['$r', '"run"', '"run"']);
  assert.equal(symbols[0]!.detail, 'core module');
});

test('hover and completion on component text answer without failing', async () => {
  const line = text.split('\n').findIndex((l) => l.includes('global.get'));
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character: 40 } });
  assert.ok(hover === null || typeof hover === 'object');
  const items = await client.request<unknown>('textDocument/completion', { textDocument: { uri }, position: { line, character: 40 } });
  assert.ok(items !== undefined);
});
