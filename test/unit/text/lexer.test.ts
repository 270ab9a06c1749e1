// Lexer: token kinds, ranges (UTF-16, 0-based), comments, annotations, strings and number forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeString, lex } from '../../../core/text';

const kinds = (src: string): string[] => lex(src).tokens.map((t) => `${t.kind}:${t.text}`);

test('basic tokens with ranges', () => {
  const r = lex('(module\n  (func $f (result i32) i32.const 1))');
  assert.deepEqual(r.errors, []);
  const f = r.tokens.find((t) => t.text === '$f');
  assert.ok(f);
  assert.equal(f.kind, 'id');
  assert.deepEqual(f.range.start, { line: 1, character: 8, offset: 16 });
  assert.deepEqual(f.range.end, { line: 1, character: 10, offset: 18 });
});

test('nested block comments, line comments and annotations', () => {
  const r = lex('(; a (; nested ;) b ;) x ;; tail\n(@custom "x" (y)) z');
  assert.deepEqual(r.comments.map((c) => c.kind), ['blockComment', 'lineComment']);
  assert.deepEqual(kinds('(@name a) b'), ['annot:(@name', 'keyword:a', 'rparen:)', 'keyword:b']);
  assert.ok(lex('(; unclosed').errors.length > 0);
});

test('every number form is a number token', () => {
  for (const n of ['0', '-1', '+7', '1_000', '0xFF_ff', '1.5', '1e10', '1.e-3', '0x1p-2', '0x1.8P+3', 'inf', '-inf', 'nan', 'nan:0x7f', '-nan:0x1_0']) {
    assert.deepEqual(kinds(n), [`number:${n}`], n);
  }
  assert.deepEqual(kinds('1x 0x nan:canonical'), ['reserved:1x', 'reserved:0x', 'keyword:nan:canonical']);
});

test('strings: escapes and adjacency', () => {
  assert.deepEqual([...decodeString('"a\\n\\t\\\\\\"\\41\\u{1F600}"').bytes], [97, 10, 9, 92, 34, 0x41, 0xf0, 0x9f, 0x98, 0x80]);
  assert.ok(decodeString('"\\q"').error);
  assert.deepEqual(kinds('(data"a")'), ['lparen:(', 'reserved:data"a"', 'rparen:)']);
  assert.ok(lex('"unterminated').errors.length > 0);
});

test('non-ASCII text: UTF-16 columns', () => {
  const r = lex(';; é 😀\n$x');
  const x = r.tokens[0];
  assert.ok(x);
  assert.deepEqual(x.range.start, { line: 1, character: 0, offset: 8 });
});
