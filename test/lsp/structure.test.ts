// textDocument/foldingRange, selectionRange and semanticTokens on folded and flat code.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FoldingRange, SelectionRange, SemanticTokens } from 'vscode-languageserver-protocol';
import { fixture, positionOf, startServer, type LspClient } from './harness';

let client: LspClient;
const { uri, text } = fixture('features.wat');
const lineOf = (needle: string, nth = 0): number => positionOf(text, needle, 0, nth).line;

before(async () => {
  client = await startServer();
  await client.open(uri, text);
});
after(async () => {
  await client.stop();
});

test('folding: the module, multi-line folded lists, flat block/loop ... end', async () => {
  const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
  const has = (start: number, end: number): boolean => ranges.some((r) => r.startLine === start && r.endLine === end);
  // `(module` .. the line before the lone `)`.
  assert.ok(has(1, text.split('\n').length - 3), JSON.stringify(ranges));
  assert.ok(has(lineOf('(func $mul'), lineOf('    (local.get $tmp))\n')));
  // A flat `end` alone on its line stays visible, like a closing brace.
  assert.ok(has(lineOf('block $exit'), lineOf('    end\n    (call $add') - 1));
  assert.ok(has(lineOf('loop $top'), lineOf('      end') - 1));
  assert.ok(has(lineOf('(block $done'), lineOf('(br $again)))')));
});

test('selection ranges grow from the token through each enclosing list', async () => {
  const [sel] = await client.request<SelectionRange[]>('textDocument/selectionRange', { textDocument: { uri }, positions: [positionOf(text, '$lhs) (local.get', 1)] });
  const chain: string[] = [];
  const lines = text.split('\n');
  for (let r: SelectionRange | undefined = sel; r; r = r.parent) {
    if (r.range.start.line === r.range.end.line) chain.push(lines[r.range.start.line]?.slice(r.range.start.character, r.range.end.character) ?? '');
    else chain.push(`lines ${r.range.start.line}-${r.range.end.line}`);
  }
  assert.deepEqual(chain.slice(0, 3), ['$lhs', '(local.get $lhs)', '(i32.add (local.get $lhs) (local.get $rhs))']);
  assert.match(chain[chain.length - 1] ?? '', /^lines 1-/);
});

test('semantic tokens colour names by what they resolve to', async () => {
  const legend = ['function', 'parameter', 'variable', 'type', 'label', 'struct', 'string', 'enumMember'];
  const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
  const decoded: { line: number; character: number; length: number; type: string; mods: number }[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < tokens.data.length; i += 5) {
    const [dl, dc, length, type, mods] = tokens.data.slice(i, i + 5) as [number, number, number, number, number];
    line += dl;
    character = dl === 0 ? character + dc : dc;
    decoded.push({ line, character, length, type: legend[type] ?? '?', mods });
  }
  const at = (needle: string, delta: number) => {
    const p = positionOf(text, needle, delta);
    return decoded.find((d) => d.line === p.line && d.character === p.character);
  };
  assert.equal(at('call $log', 5)?.type, 'function');
  assert.equal(at('call $log', 5)?.mods, 8); // imported: defaultLibrary
  assert.equal(at('local.get $lhs', 10)?.type, 'parameter');
  assert.equal(at('local.get $tmp', 10)?.type, 'variable');
  assert.equal(at('global.get $counter', 11)?.mods, 4); // static, mutable
  assert.equal(at('br $top', 3)?.type, 'label');
  assert.equal(at('(type $binop (func', 6)?.mods, 1); // declaration
  const ranged = await client.request<SemanticTokens>('textDocument/semanticTokens/range', {
    textDocument: { uri },
    range: { start: { line: lineOf('(func $run'), character: 0 }, end: { line: lineOf('(func $run') + 1, character: 0 } },
  });
  assert.ok(ranged.data.length > 0 && ranged.data.length < tokens.data.length);
});
