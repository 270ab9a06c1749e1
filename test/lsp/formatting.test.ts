// textDocument/formatting and rangeFormatting: indentation by nesting, comments kept, idempotent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { fixture, startServer, type LspClient } from './harness';

let client: LspClient;
const options = { tabSize: 2, insertSpaces: true };

before(async () => {
  client = await startServer();
});
after(async () => {
  await client.stop();
});

function apply(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }): number => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
    text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
  }
  return text;
}

async function format(uri: string, text: string): Promise<string> {
  await client.open(uri, text);
  const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options });
  await client.close(uri);
  return apply(text, edits);
}

test('messy code is re-indented by nesting (folded and flat), spacing normalized, comments and strings kept', async () => {
  const messy = fixture('messy.wat');
  const expected = fixture('messy.formatted.wat').text;
  assert.equal(await format(messy.uri, messy.text), expected);
});

test('formatting is idempotent and leaves well-formatted fixtures alone', async () => {
  for (const name of ['features.wat', 'messy.formatted.wat', 'non-ascii.wat', 'script.wast', 'gc.wat']) {
    const { uri, text } = fixture(name);
    const once = await format(uri, text);
    assert.equal(await format(uri, once), once, `${name} twice`);
    if (name !== 'non-ascii.wat' && name !== 'script.wast') assert.equal(once, text, name);
  }
});

test('range formatting touches only the lines in the range, indented in context', async () => {
  const { uri, text } = fixture('messy.wat');
  await client.open(uri, text);
  const edits = await client.request<TextEdit[]>('textDocument/rangeFormatting', {
    textDocument: { uri },
    range: { start: { line: 5, character: 0 }, end: { line: 7, character: 3 } },
    options,
  });
  await client.close(uri);
  assert.deepEqual(edits.map((e) => [e.range.start.line, e.newText]), [
    [5, '    block $b'],
    [6, '      loop $l'],
    [7, '        local.get $x'],
  ]);
});

test('unbalanced and garbage text still formats without losing a character of content', async () => {
  const garbage = ')) (func (block\n  end end ))) "str" ;; c\n(; open';
  const once = await format('file:///tmp/garbage-format.wat', garbage);
  assert.equal(once.replace(/\s+/g, ''), garbage.replace(/\s+/g, ''));
  assert.equal(await format('file:///tmp/garbage-format.wat', once), once);
});
