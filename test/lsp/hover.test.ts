// textDocument/hover: instruction signatures and docs (every instruction), names with their types, numbers in decimal and hex.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { allInstructions } from '../../core/text/index';
import { fixture, positionOf, startServer, type LspClient } from './harness';

let client: LspClient;
const { uri, text } = fixture('features.wat');
const hoverAt = async (needle: string, delta = 1, nth = 0): Promise<string> => {
  const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, needle, delta, nth) });
  return h ? (h.contents as MarkupContent).value : '';
};

before(async () => {
  client = await startServer();
  await client.open(uri, text);
});
after(async () => {
  await client.stop();
});

test('an instruction shows its stack signature, a line of docs and its opcode', async () => {
  const h = await hoverAt('i32.ge_u', 2);
  assert.match(h, /i32\.ge_u \[i32 i32\] -> \[i32\]/);
  assert.match(h, /Greater than or equal \(unsigned\)/);
  assert.match(h, /0x4f/);
  assert.match(await hoverAt('call_indirect', 3), /table/);
});

test('names show their definition: function type, local type, global mutability, label block, import and export', async () => {
  assert.match(await hoverAt('(call $add', 7), /\(func \$add \(param \$lhs i32\) \(param \$rhs i32\) \(result i32\)\)/);
  assert.match(await hoverAt('(call $add', 7), /Exported as `"add"`/);
  assert.match(await hoverAt('call $log', 6), /Imported from `"env" "log"`/);
  assert.match(await hoverAt('local.get $tmp', 11), /\(local \$tmp i32\)/);
  assert.match(await hoverAt('local.get $n', 11), /\(param \$n i32\)/);
  assert.match(await hoverAt('global.get $counter', 12), /\(global \$counter \(mut i32\)\)/);
  assert.match(await hoverAt('br_if $done', 7), /label \$done: block/);
  assert.match(await hoverAt('(type $binop) (local', 7), /\(type \$binop \(func \(param \$lhs i32\) \(param \$rhs i32\) \(result i32\)\)\)/);
});

test('numbers show decimal and hex', async () => {
  assert.match(await hoverAt('0x10', 1), /`16` · hex `0x10`/);
  assert.match(await hoverAt('(i32.const 16)', 11), /`16` · hex `0x10`/);
});

test('every instruction of the table has a signature and a line of docs', async () => {
  const uri2 = 'file:///tmp/all-instructions.wat';
  const names = allInstructions().map((i) => i.name);
  const body = names.join('\n');
  await client.open(uri2, body);
  const lines = body.split('\n');
  for (let line = 0; line < lines.length; line++) {
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uri2 }, position: { line, character: 1 } });
    const value = h ? (h.contents as MarkupContent).value : '';
    assert.match(value, /```wasm\n.+\n```\n\S.+/, `hover for ${lines[line]}`);
  }
  await client.close(uri2);
});

test('field keywords and value types have a line of docs too', async () => {
  assert.match(await hoverAt('(memory $mem 1)', 2), /linear memory, sized in 64 KiB pages/);
  assert.match(await hoverAt('(local $tmp i32)', 2), /zero-initialized/);
  assert.match(await hoverAt('(mut i32)', 6), /32-bit integer/);
});

test('memarg immediates explain offset and alignment', async () => {
  const uri2 = 'file:///tmp/memarg.wat';
  const body = '(module (memory 1) (func (drop (i32.load offset=16 align=4 (i32.const 0)))))';
  await client.open(uri2, body);
  const at = async (needle: string): Promise<string> => {
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uri2 }, position: { line: 0, character: body.indexOf(needle) + 1 } });
    return h ? (h.contents as MarkupContent).value : '';
  };
  assert.match(await at('offset=16'), /Static offset 16 \(0x10\)/);
  assert.match(await at('align=4'), /Alignment hint of 4 bytes/);
  await client.close(uri2);
});
