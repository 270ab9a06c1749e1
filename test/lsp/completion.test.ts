// textDocument/completion: names in scope per index space, field keywords after `(`, instructions in code.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem } from 'vscode-languageserver-protocol';
import { fixture, positionOf, startServer, type LspClient } from './harness';

let client: LspClient;
const { text } = fixture('features.wat');
let version = 0;

/** Completes at `|` in a copy of the fixture with `insert` replacing the text at `needle`. */
async function completeIn(source: string): Promise<string[]> {
  const at = source.indexOf('|');
  const body = source.slice(0, at) + source.slice(at + 1);
  const uri = `file:///tmp/complete-${version++}.wat`;
  await client.open(uri, body);
  const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: positionOf(body + '\u0000', body.slice(at) + '\u0000') });
  await client.close(uri);
  return items.map((i) => i.label);
}

function inFixture(needle: string, replacement: string): string {
  return text.replace(needle, replacement);
}

before(async () => {
  client = await startServer();
});
after(async () => {
  await client.stop();
});

test('local.get $ offers the params and locals of the enclosing function only', async () => {
  const labels = await completeIn(inFixture('(local.set $tmp (i32.mul', '(local.get $|) (local.set $tmp (i32.mul'));
  assert.deepEqual(labels, ['$a', '$b', '$tmp']);
});

test('call $, global.get $ and (type $ offer functions, globals and declared types', async () => {
  assert.deepEqual(await completeIn(inFixture('call $log', 'call $|')), ['$log', '$add', '$mul', '$run']);
  assert.deepEqual(await completeIn(inFixture('global.get $counter', 'global.get $c|')), ['$counter', '$limit']);
  assert.deepEqual(await completeIn(inFixture('(call_indirect (type $binop)', '(call_indirect (type $|)')), ['$binop']);
});

test('br $ offers the labels open at the cursor, innermost first (flat and folded)', async () => {
  assert.deepEqual(await completeIn(inFixture('br $top', 'br $|')), ['$top', '$exit']);
  assert.deepEqual(await completeIn(inFixture('(br $again)', '(br $|)')), ['$again', '$done']);
  // After both blocks ended, none is in scope.
  assert.deepEqual(await completeIn(inFixture('(local.get $tmp))\n', '(local.get $tmp) (br $|))\n')), []);
});

test('instructions in a function body; field keywords after ( at module level', async () => {
  const inBody = await completeIn(inFixture('    i32.add)\n)', '    i32.add\n    i32.|)\n)'));
  assert.ok(inBody.includes('i32.add') && inBody.includes('f64.sqrt') && inBody.includes('memory.grow'));
  const fields = await completeIn(inFixture(';; Flat code.', '(|) ;; Flat code.'));
  assert.deepEqual(fields, ['func', 'type', 'import', 'export', 'memory', 'table', 'global', 'data', 'elem', 'start']);
});

test('a .wast script offers commands at top level', async () => {
  const uri = 'file:///tmp/complete.wast';
  await client.open(uri, '(module)\n(');
  const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 1 } });
  assert.ok(items.some((i) => i.label === 'assert_return'));
});

test('value types after (param $x, (result, (local $t and in a global before its type', async () => {
  const types = ['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref', 'exnref', 'anyref', 'eqref', 'i31ref', 'structref', 'arrayref', 'nullref', 'nullfuncref', 'nullexternref', 'nullexnref'];
  assert.deepEqual(await completeIn(inFixture('(param $a i32) (param $b i32)', '(param $a |) (param $b i32)')), types);
  assert.deepEqual(await completeIn(inFixture('(local $tmp i32)', '(local $tmp i|)')), types);
  assert.deepEqual(await completeIn(inFixture('(global $limit i64 (i64.const 0x10))', '(global $limit |)')), types);
  const init = await completeIn(inFixture('(global $limit i64 (i64.const 0x10))', '(global $limit i64 |)'));
  assert.ok(init.includes('i64.const') && init.includes('global.get') && !init.includes('call'));
});

test('function names after func in an element segment', async () => {
  assert.deepEqual(await completeIn(inFixture('func $add $mul)', 'func $add $|)')), ['$log', '$add', '$mul', '$run']);
});
