// textDocument/codeAction: near-match fixes for undefined names, a missing export for a script action, export refactoring.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { fixture, messageOf, positionOf, startServer, type LspClient } from './harness';

let client: LspClient;

before(async () => {
  client = await startServer();
});
after(async () => {
  await client.stop();
});

async function actionsAt(uri: string, text: string, needle: string, delta = 1): Promise<CodeAction[]> {
  const diagnostics = await client.diagnostics(uri);
  const p = positionOf(text, needle, delta);
  return client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: p, end: p }, context: { diagnostics } });
}

test('an undefined name is fixed to its nearest definition in the same space and scope', async () => {
  const { uri, text } = fixture('typos.wat');
  await client.open(uri, text);
  const diagnostics = await client.diagnostics(uri);
  assert.ok(diagnostics.some((d) => /cuonter/.test(messageOf(d))), JSON.stringify(diagnostics));
  const global = await actionsAt(uri, text, '$cuonter');
  assert.equal(global[0]?.title, 'Change to $counter');
  assert.equal(global[0]?.isPreferred, true);
  assert.equal(global[0]?.diagnostics?.length, 1);
  assert.deepEqual(global[0]?.edit?.changes?.[uri]?.[0]?.newText, '$counter');
  const local = await actionsAt(uri, text, '$amuont');
  assert.deepEqual(local.map((a) => a.title), ['Change to $amount', 'Declare (local $amuont i32)']);
  assert.equal(local[1]?.edit?.changes?.[uri]?.[0]?.newText, ' (local $amuont i32)');
  assert.deepEqual(local[1]?.edit?.changes?.[uri]?.[0]?.range.start, positionOf(text, '(param $amount i32)', '(param $amount i32)'.length));
  assert.equal((await actionsAt(uri, text, '$incremnt'))[0]?.title, 'Change to $increment');
});

test('an invoke of a missing export offers to export the function of that name', async () => {
  const { uri, text } = fixture('missing-export.wast');
  await client.open(uri, text);
  const diagnostics = await client.diagnostics(uri);
  assert.deepEqual(diagnostics.map((d) => messageOf(d)), ['the module has no export "answer"']);
  const [fix] = await actionsAt(uri, text, '"answer"');
  assert.equal(fix?.title, 'Export $answer as "answer"');
  assert.equal(fix?.edit?.changes?.[uri]?.[0]?.newText, '\n  (export "answer" (func $answer))');
  assert.deepEqual(fix?.edit?.changes?.[uri]?.[0]?.range.start, positionOf(text, ')\n(assert_return', 0));
});

test('a named, unexported function can be exported inline', async () => {
  const { uri, text } = fixture('typos.wat');
  const actions = await actionsAt(uri, text, '$main');
  assert.deepEqual(actions.map((a) => a.title), ['Export $main as "main"']);
  assert.equal(actions[0]?.edit?.changes?.[uri]?.[0]?.newText, ' (export "main")');
});
