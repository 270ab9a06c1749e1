// textDocument/signatureHelp and textDocument/inlayHint at call sites.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { InlayHint, SignatureHelp } from 'vscode-languageserver-protocol';
import { fixture, positionOf, startServer, type LspClient } from './harness';

let client: LspClient;
const { uri, text } = fixture('features.wat');

before(async () => {
  client = await startServer();
  await client.open(uri, text);
});
after(async () => {
  await client.stop();
});

test('signature help inside (call $add ...) shows the params, the active one after each operand', async () => {
  const first = await client.request<SignatureHelp>('textDocument/signatureHelp', { textDocument: { uri }, position: positionOf(text, '(local.get $n) (i32.const 2))', 0) });
  assert.equal(first.signatures[0]?.label, '$add((param $lhs i32), (param $rhs i32)) (result i32)');
  assert.equal(first.activeParameter, 0);
  const second = await client.request<SignatureHelp>('textDocument/signatureHelp', { textDocument: { uri }, position: positionOf(text, '(i32.const 2))', 0) });
  assert.equal(second.activeParameter, 1);
  const indirect = await client.request<SignatureHelp>('textDocument/signatureHelp', { textDocument: { uri }, position: positionOf(text, '(i32.const 3)', 0) });
  assert.match(indirect.signatures[0]?.label ?? '', /^call_indirect \$binop\(\(param \$lhs i32\), \(param \$rhs i32\)\)/);
  assert.equal(indirect.activeParameter, 1);
  assert.equal(await client.request('textDocument/signatureHelp', { textDocument: { uri }, position: positionOf(text, 'i32.ge_u', 0) }), null);
});

test('inlay hints: parameter names at folded calls, the function type after call_indirect', async () => {
  const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } } });
  const labels = hints.map((h) => `${h.position.line}:${h.position.character} ${typeof h.label === 'string' ? h.label : ''}`);
  const call = positionOf(text, '(local.get $n) (i32.const 2))');
  assert.ok(labels.includes(`${call.line}:${call.character} lhs:`), labels.join('\n'));
  const two = positionOf(text, '(i32.const 2))');
  assert.ok(labels.includes(`${two.line}:${two.character} rhs:`));
  const ci = positionOf(text, '(call_indirect (type $binop)', '(call_indirect (type $binop)'.length);
  assert.ok(labels.includes(`${ci.line}:${ci.character} : (param i32 i32) (result i32)`), labels.join('\n'));
});
