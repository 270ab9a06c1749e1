// Wasm 3.0 (GC, exceptions, typed references, memory64, multi-memory) through the server: every error
// class at its token with types and names, hover, completion, navigation, rename, outline and tokens.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, messageOf, positionOf, startServer, type LspClient } from './harness';
import { modelFromServer } from '../../client/module-tree/model';
import { moduleTreeRequest, sendCustomRequest } from '../../server/lsp-ext';

const WASM3 = { gc: true, exceptions: true, tailCall: true, functionReferences: true, memory64: true, multiMemory: true, extendedConst: true };

let client: LspClient;
before(async () => {
  client = await startServer({ configuration: { features: WASM3 } });
});
after(async () => {
  await client.stop();
});

interface BadModule {
  name: string;
  text: string;
  /** The token the error must cover exactly (its first occurrence, or the `nth`). */
  at: string;
  nth?: number;
  message: RegExp;
}

/** One small bad module per error class of issue 17, with the token and the message it must produce. */
const BAD: BadModule[] = [
  { name: 'unknown type', text: '(module (func (drop (struct.new $nope))))', at: '$nope', message: /^unknown type \$nope$/ },
  { name: 'duplicate type', text: '(module (type $t (struct)) (type $t (array i8)))', at: '$t', nth: 1, message: /^duplicate type \$t$/ },
  { name: 'unknown field', text: '(module (type $p (struct (field $x f64))) (func (param (ref $p)) (result f64) (struct.get $p $y (local.get 0))))', at: '$y', message: /^unknown field \$y in type \$p$/ },
  { name: 'duplicate field', text: '(module (type $p (struct (field $x f64) (field $x i32))))', at: '$x', nth: 1, message: /^duplicate field \$x in type \$p$/ },
  { name: 'unknown tag', text: '(module (type $s (struct)) (func (throw $e)))', at: '$e', message: /^unknown tag \$e$/ },
  { name: 'duplicate tag', text: '(module (type $s (struct)) (tag $e) (tag $e (param i32)))', at: '$e', nth: 1, message: /^duplicate tag \$e$/ },
  { name: 'unknown label', text: '(module (type $s (struct)) (func (block $b (br $c))))', at: '$c', message: /^unknown label \$c$/ },
  { name: 'unknown memory', text: '(module (type $s (struct)) (memory $m 1) (func (drop (i32.load $n (i32.const 0)))))', at: '$n', message: /^unknown memory \$n$/ },
  { name: 'duplicate memory', text: '(module (type $s (struct)) (memory $m 1) (memory $m 1))', at: '$m', nth: 1, message: /^duplicate memory \$m$/ },
  { name: 'subtype does not match', text: '(module (type $a (sub (struct (field i32)))) (type $b (sub $a (struct (field f32)))))', at: '$a', nth: 1, message: /^sub type \$b does not match super type \$a$/ },
  { name: 'supertype is final', text: '(module (type $a (struct (field i32))) (type $b (sub $a (struct (field i32) (field i64)))))', at: '$a', nth: 1, message: /^sub type \$b: super type \$a is final$/ },
  { name: 'reference past the rec group', text: '(module (type $a (struct (field (ref $b)))) (type $b (struct)))', at: '$b', message: /type \$a refers to type \$b, defined after its rec group/ },
  { name: 'ref.cast across hierarchies', text: '(module (type $a (struct)) (func (param funcref) (drop (ref.cast (ref $a) (local.get 0)))))', at: 'ref.cast (ref $a)', message: /^type mismatch in ref\.cast, expected \[anyref\] but got \[funcref\]$/ },
  { name: 'br_on_cast into a label of the wrong type', text: '(module (type $a (struct)) (func (param anyref) (result anyref) (block $l (result (ref $a)) (br_on_cast $l anyref (ref null $a) (local.get 0)) (return)) (unreachable)))', at: 'br_on_cast $l anyref (ref null $a)', message: /^type mismatch in br_on_cast: the label takes \(ref \$a\) but the branch passes \(ref null \$a\)$/ },
  { name: 'non-defaultable local read before set', text: '(module (type $a (struct)) (func (local $x (ref $a)) (drop (local.get $x))))', at: 'local.get $x', message: /^uninitialized local \$x of non-defaultable type \(ref \$a\)/ },
  { name: 'try_table catch label of the wrong type', text: '(module (type $s (struct)) (tag $e (param i32)) (func (block $h (result i64) (try_table (catch $e $h) (nop)) (unreachable)) (drop)))', at: 'try_table (catch $e $h)', message: /^type mismatch in try_table: catch clause 0 passes \[i32\] but its label takes \[i64\]$/ },
  { name: 'tail call result mismatch', text: '(module (type $s (struct)) (func $g (result i64) (i64.const 0)) (func (result i32) (return_call $g)))', at: 'return_call $g', message: /^type mismatch in return_call: the callee returns \[i64\] but the function returns \[i32\]$/ },
  { name: 'memory64 address operand', text: '(module (type $s (struct)) (memory i64 1) (func (drop (i32.load (i32.const 0)))))', at: 'i32.load', message: /^type mismatch in i32\.load, expected \[i64\] but got \[i32\]$/ },
  { name: 'memory32 offset out of range', text: '(module (type $s (struct)) (memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0)))))', at: 'i32.load offset=4294967296', message: /offset/ },
  { name: 'alignment larger than natural', text: '(module (type $s (struct)) (memory i64 1) (func (drop (i32.load align=8 (i64.const 0)))))', at: 'i32.load align=8', message: /^alignment must not be larger than natural/ },
  { name: 'constant expression calls', text: '(module (type $s (struct)) (global i32 (call 0)) (func (result i32) (i32.const 0)))', at: '(global i32 (call 0))', message: /constant|initializer/ },
  { name: 'struct.set of an immutable field', text: '(module (type $p (struct (field $x f64))) (func (param (ref $p)) (struct.set $p $x (local.get 0) (f64.const 1))))', at: 'struct.set $p $x', message: /^field \$x of type \$p is immutable in struct\.set$/ },
  { name: 'struct.get result mismatch', text: '(module (type $p (struct (field $x f64))) (func (param (ref $p)) (result i32) (struct.get $p $x (local.get 0))))', at: ')', nth: 8, message: /^type mismatch at the end of the block or function, expected \[i32\] but got \[f64\]$/ },
];

for (const bad of BAD) {
  test(`3.0 diagnostics: ${bad.name}`, async () => {
    const uri = `file:///tmp/wasm3-${bad.name.replace(/\W+/g, '-')}.wat`;
    await client.open(uri, bad.text);
    const errors = (await client.diagnostics(uri)).filter((d) => d.severity === 1);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    const [d] = errors;
    assert.match(messageOf(d), bad.message);
    assert.deepEqual(d?.range, { start: positionOf(bad.text, bad.at, 0, bad.nth ?? 0), end: positionOf(bad.text, bad.at, bad.at.length, bad.nth ?? 0) }, messageOf(d));
    await client.close(uri);
  });
}

const gc = fixture('gc-shapes.wat');

async function hoverText(needle: string, delta = 1, nth = 0): Promise<string> {
  const h = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: gc.uri }, position: positionOf(gc.text, needle, delta, nth) });
  return h?.contents.value ?? '';
}

test('the GC fixture is valid: only the note that our validator checked it', async () => {
  await client.open(gc.uri, gc.text);
  const found = await client.diagnostics(gc.uri);
  assert.deepEqual(found.map((d) => d.severity), [3], JSON.stringify(found));
});

test('hover on a type: its full definition, one field per line, rec group, supertype, subtypes', async () => {
  const point = await hoverText('$point (sub');
  assert.ok(point.includes('(type $point (sub final $shape (struct\n    (field $id i32)\n    (field $x (mut f64))\n    (field $y f64))))'), point);
  assert.match(point, /In a rec group of 2: `\$shape`, `\$point`\./);
  assert.match(point, /Final; subtype of `\$shape`\./);
  const shape = await hoverText('$shape (sub');
  assert.match(shape, /Open \(not final\)\./);
  assert.match(shape, /Subtypes: `\$point`\./);
  const bytes = await hoverText('$bytes (array');
  assert.match(bytes, /\(type \$bytes \(array \(mut i8\)\)\)/);
});

test('hover on a field (definition or use): its type, mutability and owner', async () => {
  for (const [needle, nth] of [['$x (mut', 0], ['$x (local', 0], ['$x (local', 1]] as const) {
    const text = await hoverText(needle, 1, nth);
    assert.match(text, /\(field \$x \(mut f64\)\) ;; field 1 of \$point/, needle);
    assert.match(text, /Field 1 of struct `\$point`: `f64`, mutable\./);
  }
  assert.match(await hoverText('$y f64'), /`f64`, immutable/);
});

test('hover on a tag: its parameters', async () => {
  assert.match(await hoverText('$oops (local'), /\(tag \$oops \(param i32 f64\)\)/);
});

test('hover on a 3.0 instruction: its stack signature with the immediates resolved', async () => {
  const cases: [string, string][] = [
    ['struct.get $point $x', 'struct.get $point $x : [(ref null $point)] -> [f64]'],
    ['struct.set $point $x', 'struct.set $point $x : [(ref null $point) f64] -> []'],
    ['array.new_data', 'array.new_data $bytes $hello : [i32 i32] -> [(ref $bytes)]'],
    ['throw $oops', 'throw $oops : [i32 f64] -> [t*]'],
    ['i32.load $big', 'i32.load $big : [i64] -> [i32]'],
    ['call_ref $callback', 'call_ref $callback : [i32 (ref null $callback)] -> [i32]'],
  ];
  for (const [needle, want] of cases) {
    const text = await hoverText(needle, 1);
    assert.ok(text.includes(want), `${needle}: ${text}`);
  }
});

async function labels(needle: string, delta: number, nth = 0): Promise<string[]> {
  const items = await client.request<{ label: string }[]>('textDocument/completion', { textDocument: { uri: gc.uri }, position: positionOf(gc.text, needle, delta, nth) });
  return items.map((i) => i.label);
}

test('completion: struct types after struct.get, fields after `struct.get $t `, array types, tags, labels, memories, data', async () => {
  assert.deepEqual(await labels('struct.get $point', 'struct.get $'.length), ['$shape', '$point']);
  assert.deepEqual(await labels('$point $x (local', '$point $'.length), ['$id', '$x', '$y']);
  assert.deepEqual(await labels('array.new_data $bytes', 'array.new_data $'.length), ['$bytes']);
  assert.deepEqual(await labels('$bytes $hello', '$bytes $'.length), ['$hello']);
  assert.deepEqual(await labels('throw $oops', 'throw $'.length), ['$oops']);
  assert.deepEqual(await labels('(catch $oops', '(catch $'.length), ['$oops']);
  // A catch clause branches outward: the try_table's own (unnamed) label is not offered.
  assert.deepEqual(await labels('$oops $handler', '$oops $'.length), ['$handler']);
  assert.deepEqual(await labels('i32.load $big', 'i32.load $'.length), ['$small', '$big']);
  assert.deepEqual(await labels('call_ref $callback', 'call_ref $'.length), ['$callback']);
  assert.deepEqual(await labels('(ref null $point)', '(ref null $'.length), ['$shape', '$point', '$bytes', '$callback']);
});

test('definition, references and rename of a field stay within its struct type', async () => {
  const use = positionOf(gc.text, '$x (local', 1);
  const def = await client.request<{ range: { start: unknown } }>('textDocument/definition', { textDocument: { uri: gc.uri }, position: use });
  assert.deepEqual(def.range.start, positionOf(gc.text, '$x (mut'));
  const refs = await client.request<{ range: { start: unknown } }[]>('textDocument/references', { textDocument: { uri: gc.uri }, position: use, context: { includeDeclaration: true } });
  assert.deepEqual(refs.map((r) => r.range.start), [positionOf(gc.text, '$x (mut'), positionOf(gc.text, '$x (local'), positionOf(gc.text, '$x (local', 0, 1)]);
  // $id exists in both $shape and $point: renaming $point's leaves $shape's alone.
  const edit = await client.request<{ changes: Record<string, { range: { start: unknown } }[]> }>('textDocument/rename', {
    textDocument: { uri: gc.uri }, position: positionOf(gc.text, '$id i32) (field $x', 1), newName: 'ident',
  });
  assert.deepEqual(edit.changes[gc.uri]?.map((e) => e.range.start), [positionOf(gc.text, '$id i32) (field $x')]);
  await assert.rejects(
    client.request('textDocument/rename', { textDocument: { uri: gc.uri }, position: positionOf(gc.text, '$x (mut', 1), newName: '$y' }),
    /already defined in this struct/,
  );
});

test('references and rename of types, tags, memories and data segments', async () => {
  const refsOf = async (needle: string, nth = 0): Promise<number> =>
    (await client.request<unknown[]>('textDocument/references', { textDocument: { uri: gc.uri }, position: positionOf(gc.text, needle, 1, nth), context: { includeDeclaration: true } })).length;
  assert.equal(await refsOf('$point (sub'), 5); // definition, 2 params, struct.get, struct.set
  assert.equal(await refsOf('$shape (sub'), 2);
  assert.equal(await refsOf('$oops (param'), 3);
  assert.equal(await refsOf('$big i64'), 2);
  assert.equal(await refsOf('$hello "'), 2);
  const edit = await client.request<{ changes: Record<string, unknown[]> }>('textDocument/rename', { textDocument: { uri: gc.uri }, position: positionOf(gc.text, '$oops (param', 1), newName: 'failure' });
  assert.equal(edit.changes[gc.uri]?.length, 3);
});

test('the outline lists struct fields under their type, and tags', async () => {
  const symbols = await client.request<{ name: string; children?: { name: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri: gc.uri } });
  const point = symbols.find((s) => s.name === '$point');
  assert.deepEqual(point?.children?.map((c) => c.name), ['$id', '$x', '$y']);
  assert.ok(symbols.some((s) => s.name === '$oops'));
});

test('semantic tokens colour fields as properties (immutable ones readonly) and tags as events', async () => {
  const legend = ['function', 'parameter', 'variable', 'type', 'label', 'struct', 'string', 'enumMember', 'property', 'event'];
  const tokens = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: gc.uri } });
  const lines = gc.text.split('\n');
  const found = new Map<string, { type: string; mods: number }>();
  let line = 0;
  let char = 0;
  for (let i = 0; i < tokens.data.length; i += 5) {
    const [dl, dc, len, type, mods] = tokens.data.slice(i, i + 5) as [number, number, number, number, number];
    line += dl;
    char = dl === 0 ? char + dc : dc;
    found.set(`${line}:${lines[line]?.slice(char, char + len)}`, { type: legend[type] ?? '?', mods });
  }
  const at = (needle: string, nth = 0): { type: string; mods: number } | undefined => {
    const p = positionOf(gc.text, needle, 0, nth);
    return found.get(`${p.line}:${needle.split(' ')[0]}`);
  };
  assert.equal(at('$x (mut')?.type, 'property');
  assert.equal(at('$y f64')?.type, 'property');
  assert.equal((at('$y f64')?.mods ?? 0) & 2, 2); // readonly
  assert.equal(at('$oops (param')?.type, 'event');
  assert.equal(at('$x (local')?.type, 'property');
});

test('wasmscope/moduleTree and the module view: rec groups, sub/final, struct fields, arrays, tags, memories with i64', async () => {
  const tree = await sendCustomRequest(client.connection, moduleTreeRequest, { textDocument: { uri: gc.uri } });
  const m = tree?.modules[0];
  assert.ok(m);
  assert.deepEqual(m.types.map((t) => [t.id, t.recGroup, t.signature]), [
    ['$shape', 0, '(sub (struct (field $id i32)))'],
    ['$point', 0, '(sub final $shape (struct (field $id i32) (field $x (mut f64)) (field $y f64)))'],
    ['$bytes', undefined, '(array (mut i8))'],
    ['$callback', undefined, '(func (param i32) (result i32))'],
  ]);
  assert.deepEqual(m.types[1]?.fields?.map((f) => `${f.id} ${f.signature}`), ['$id i32', '$x (mut f64)', '$y f64']);
  assert.deepEqual(m.tags.map((t) => `${t.id} ${t.signature}`), ['$oops (param i32 f64)']);
  assert.deepEqual(m.memories.map((t) => `${t.id} ${t.signature}`), ['$small 1', '$big i64 1']);
  const roots = modelFromServer(tree).roots;
  const types = roots.find((n) => n.label === 'Types')?.children?.() ?? [];
  assert.deepEqual(types.map((n) => `${n.label} | ${n.description}`), [
    'rec | 2 types: $shape, $point',
    '$bytes | (array (mut i8))',
    '$callback | (func (param i32) (result i32))',
  ]);
  const point = types[0]?.children?.().find((n) => n.label === '$point');
  assert.deepEqual(point?.children?.().map((n) => `${n.label} | ${n.description}`), ['$id | i32', '$x | (mut f64)', '$y | f64']);
  assert.deepEqual(roots.find((n) => n.label === 'Tags')?.children?.().map((n) => n.label), ['$oops']);
});

test('formatting puts each field of a long struct and each type of a long rec group on its own line, and is stable', async () => {
  const uri = 'file:///tmp/wasm3-format.wat';
  const text = [
    '(module',
    '(rec (type $shape (sub (struct (field $id i32)))) (type $point (sub final $shape (struct (field $id i32) (field $x (mut f64)) (field $y f64)))))',
    '  (type $pair (struct (field i32) (field i64)))',
    '(func (result i32)',
    'try_table (catch_all 0)',
    'nop',
    'end',
    'i32.const 0))',
    '',
  ].join('\n');
  await client.open(uri, text);
  const options = { tabSize: 2, insertSpaces: true };
  const edits = await client.request<{ newText: string }[]>('textDocument/formatting', { textDocument: { uri }, options });
  const formatted = edits[0]?.newText ?? '';
  assert.equal(formatted, [
    '(module',
    '  (rec',
    '    (type $shape (sub (struct (field $id i32))))',
    '    (type $point (sub final $shape (struct',
    '          (field $id i32)',
    '          (field $x (mut f64))',
    '          (field $y f64)))))',
    '  (type $pair (struct (field i32) (field i64)))',
    '  (func (result i32)',
    '    try_table (catch_all 0)',
    '      nop',
    '    end',
    '    i32.const 0))',
    '',
  ].join('\n'));
  await client.change(uri, formatted);
  assert.deepEqual(await client.request('textDocument/formatting', { textDocument: { uri }, options }), []);
  await client.close(uri);
});

test('quick fixes: make a field mut for struct.set, declare a missing field in its struct, declare a missing tag with its params', async () => {
  const uri = 'file:///tmp/wasm3-fixes.wat';
  const text = [
    '(module',
    '  (type $p (struct (field $x f64)))',
    '  (func (param (ref $p)) (struct.set $p $x (local.get 0) (f64.const 1)))',
    '  (func (param (ref $p)) (result i32) (struct.get $p $count (local.get 0)))',
    '  (func (throw $oops (i32.const 1) (f64.const 2))))',
  ].join('\n');
  await client.open(uri, text);
  const diagnostics = await client.diagnostics(uri);
  const actionsOn = async (line: number): Promise<{ title: string; edit?: { changes: Record<string, { range: { start: unknown }; newText: string }[]> } }[]> =>
    client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line, character: 0 }, end: { line, character: 100 } }, context: { diagnostics } });
  const mut = (await actionsOn(2)).find((a) => a.title === 'Make field $x mutable');
  assert.deepEqual(mut?.edit?.changes[uri]?.map((e) => [e.range.start, e.newText]), [[positionOf(text, 'f64)))'), '(mut f64)']]);
  const field = (await actionsOn(3)).find((a) => a.title.startsWith('Declare (field $count'));
  assert.equal(field?.title, 'Declare (field $count i32) in $p');
  assert.deepEqual(field?.edit?.changes[uri]?.map((e) => [e.range.start, e.newText]), [[positionOf(text, 'f64)))', 4), ' (field $count i32)']]);
  const tag = (await actionsOn(4)).find((a) => a.title === 'Declare (tag $oops)');
  assert.equal(tag?.edit?.changes[uri]?.[0]?.newText, '\n  (tag $oops (param i32 f64))');
  await client.close(uri);
});

test('constant expressions: global.get of an earlier immutable global is valid in 3.0 (wabt 1.0.39 says otherwise), of a mutable one is not', async () => {
  const uri = 'file:///tmp/wasm3-const.wat';
  const text = '(module (global $g i32 (i32.const 1)) (global i32 (global.get $g)) (global $m (mut i32) (i32.const 0)) (global i32 (global.get $m)))';
  await client.open(uri, text);
  const errors = (await client.diagnostics(uri)).filter((d) => d.severity === 1);
  assert.deepEqual(errors.map((d) => messageOf(d)), ['constant expression required: global $m is mutable']);
  assert.deepEqual(errors[0]?.range.start, positionOf(text, '(global i32 (global.get $m))'));
  await client.close(uri);
});

test('completion of field and element types offers the packed i8/i16 and the GC reference types; a global\'s (mut offers value types only', async () => {
  const uri = 'file:///tmp/wasm3-types.wat';
  const text = '(module (type $s (struct (field $a ))) (type $v (array (mut ))) (global $g (mut ) (i32.const 0)))';
  await client.open(uri, text);
  const at = async (needle: string): Promise<string[]> =>
    (await client.request<{ label: string }[]>('textDocument/completion', { textDocument: { uri }, position: positionOf(text, needle, needle.length - 1) })).map((i) => i.label);
  const field = await at('(field $a )');
  assert.ok(field.includes('i8') && field.includes('i16') && field.includes('structref') && field.includes('i31ref'), field.join(' '));
  assert.ok((await at('(array (mut )')).includes('i8'));
  const global = await at('(global $g (mut )');
  assert.ok(global.includes('i32') && !global.includes('i8'), global.join(' '));
  await client.close(uri);
});
