// textDocument/definition, references, documentHighlight, prepareRename and rename over the symbol table.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentHighlight, Location, Range, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { fixture, positionOf, startServer, type LspClient } from './harness';

let client: LspClient;
const { uri, text } = fixture('features.wat');
const at = (needle: string, delta = 1, nth = 0) => ({ textDocument: { uri }, position: positionOf(text, needle, delta, nth) });

before(async () => {
  client = await startServer();
  await client.open(uri, text);
});
after(async () => {
  await client.stop();
});

test('definition: call $add (flat and folded) goes to the function name', async () => {
  const loc = await client.request<Location>('textDocument/definition', at('(call $add', 7));
  assert.equal(loc.uri, uri);
  assert.deepEqual(loc.range.start, positionOf(text, '(func $add', 6));
});

test('definition: locals, params, globals, labels and types', async () => {
  const cases: [string, number, string][] = [
    ['local.get $tmp', 11, '(local $tmp'],
    ['local.get $n', 11, '(param $n'],
    ['global.get $counter', 12, '(global $counter'],
    ['br_if $done', 7, 'block $done'],
    ['br $top', 4, 'loop $top'],
    ['(type $binop) (local.get $n)', 7, '(type $binop (func'],
  ];
  for (const [needle, delta, target] of cases) {
    const loc = await client.request<Location>('textDocument/definition', at(needle, delta));
    const name = target.slice(target.indexOf('$'));
    const nameEnd = name.search(/[\s)]|$/);
    assert.deepEqual(loc?.range.start, positionOf(text, target, target.indexOf('$')), `${needle} -> ${target}`);
    assert.equal(loc.range.end.character - loc.range.start.character, nameEnd === -1 ? name.length : nameEnd, needle);
  }
});

test('references: $add in the elem segment, the folded call and its definition', async () => {
  const locs = await client.request<Location[]>('textDocument/references', { ...at('func $add $mul', 6), context: { includeDeclaration: true } });
  assert.equal(locs.length, 3, JSON.stringify(locs));
  const without = await client.request<Location[]>('textDocument/references', { ...at('func $add $mul', 6), context: { includeDeclaration: false } });
  assert.equal(without.length, 2);
});

test('documentHighlight marks the definition as write and uses as read', async () => {
  const hs = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', at('local.get $i', 11));
  assert.equal(hs.length, 5, JSON.stringify(hs)); // (local $i) + 3 gets + 1 set
  assert.equal(hs.filter((h) => h.kind === 3).length, 1);
});

test('prepareRename gives the name; rename edits the definition and every named use', async () => {
  const prep = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', at('(local.get $tmp))', 12));
  assert.equal(prep.placeholder, '$tmp');
  const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at('(local.get $tmp))', 12), newName: 'product' });
  const edits = edit.changes?.[uri] ?? [];
  assert.equal(edits.length, 6);
  assert.ok(edits.every((e) => e.newText === '$product'));
});

test('rename refuses a clash and an invalid name; prepareRename refuses a keyword', async () => {
  await assert.rejects(client.request('textDocument/rename', { ...at('(local.get $tmp))', 12), newName: '$a' }), /already defined/);
  await assert.rejects(client.request('textDocument/rename', { ...at('(local.get $tmp))', 12), newName: 'no spaces' }), /not a valid/);
  assert.equal(await client.request('textDocument/prepareRename', at('i32.mul', 2)), null);
});

test('in a .wast script, (invoke "add") goes to and describes the exported function of the current module', async () => {
  const script = fixture('script.wast');
  await client.open(script.uri, script.text);
  const position = positionOf(script.text, '(invoke "add"', 9);
  const loc = await client.request<Location>('textDocument/definition', { textDocument: { uri: script.uri }, position });
  assert.equal(loc.uri, script.uri);
  assert.deepEqual(loc.range.start, positionOf(script.text, '(func (export "add")', 0));
  const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: script.uri }, position });
  assert.match(hover.contents.value, /\(func \(param i32 i32\) \(result i32\)\) ;; index 0/);
  assert.match(hover.contents.value, /by module \$ok/);
});

test('call hierarchy: incoming and outgoing calls of $add and $run', async () => {
  type Item = { name: string; data?: unknown; uri: string };
  const [add] = await client.request<Item[]>('textDocument/prepareCallHierarchy', at('(func $add', 7));
  assert.equal(add?.name, '$add');
  const incoming = await client.request<{ from: Item; fromRanges: Range[] }[]>('callHierarchy/incomingCalls', { item: add });
  assert.deepEqual(incoming.map((c) => [c.from.name, c.fromRanges.length]), [['$run', 1]]);
  const [run] = await client.request<Item[]>('textDocument/prepareCallHierarchy', at('(func $run', 7));
  const outgoing = await client.request<{ to: Item }[]>('callHierarchy/outgoingCalls', { item: run });
  assert.deepEqual(outgoing.map((c) => c.to.name).sort(), ['$add', '$log']);
});

test('type definition: from a function or call_indirect to its (type ...); declaration equals definition', async () => {
  const fromFunc = await client.request<Location>('textDocument/typeDefinition', at('(func $add', 7));
  assert.deepEqual(fromFunc.range.start, positionOf(text, '(type $binop (func', 6));
  const fromIndirect = await client.request<Location>('textDocument/typeDefinition', at('(call_indirect', 3));
  assert.deepEqual(fromIndirect.range.start, positionOf(text, '(type $binop (func', 6));
  // $mul's inline signature equals $binop's, so (as in the binary) it uses that type; $log's is an implicit new one.
  assert.deepEqual((await client.request<Location>('textDocument/typeDefinition', at('(func $mul', 7))).range.start, positionOf(text, '(type $binop (func', 6));
  assert.equal(await client.request('textDocument/typeDefinition', at('(func $log', 7)), null);
  const decl = await client.request<Location>('textDocument/declaration', at('call $log', 7));
  assert.deepEqual(decl.range.start, positionOf(text, '(func $log', 6));
});
