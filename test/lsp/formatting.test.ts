// textDocument/formatting and rangeFormatting: indentation by nesting, comments kept, idempotent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { lex } from '../../core/text/index';
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

test('annotations keep the space after their name', async () => {
  const text = '(module\n(@custom x y) (@a   "s")\n)\n';
  assert.equal(await format('file:///tmp/annot.wat', text), '(module\n  (@custom x y) (@a "s")\n)\n');
});

test('a line comment right after ( keeps its space (else `(;;` would open a block comment)', async () => {
  assert.equal(await format('file:///tmp/paren-comment.wat', '( ;;c\nmodule)\n'), '( ;;c\n  module)\n');
});

test('the spec suites format idempotently, with every token and comment kept', async (t) => {
  const suite = join(import.meta.dirname, '..', '..', '..', 'shared', 'testsuite');
  if (!existsSync(suite)) {
    t.skip(`${suite} not present`);
    return;
  }
  const files = readdirSync(suite, { recursive: true }).map(String).filter((f) => f.endsWith('.wast')).map((f) => join(suite, f));
  const words = (s: string): string[] => {
    const lexed = lex(s);
    return [...lexed.tokens, ...lexed.comments].sort((a, b) => a.start - b.start).map((tok) => tok.text.replace(/\s+/g, ' '));
  };
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const uri = pathToFileURL(file).href;
    const once = await format(uri, text);
    assert.deepEqual(words(once), words(text), file);
    assert.equal(await format(uri, once), once, file);
  }
});
