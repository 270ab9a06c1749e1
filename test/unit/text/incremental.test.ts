// Incremental re-parsing equals a fresh parse: over randomized edit sequences on real modules, the
// tree (tokens, comments, lists, errors) and the model (fields, instructions, symbols, errors) of
// the re-parsed version match parseWat's of the same text, offset for offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isList, parseWat, type SNode, type SymbolDef, type SymbolRef, type TextModule } from '../../../core/text/index';
import { reparseIncrementally, type ParsedText } from '../../../core/text/incremental';
import type { Instr } from '../../../core/text/model';

const root = join(import.meta.dirname, '..', '..', '..');
const fixture = (p: string): string => readFileSync(join(root, 'test', 'fixtures', p), 'utf8');

const defKey = (d: SymbolDef | undefined): unknown => (d ? [d.kind, d.index, d.name, d.nameStart, d.nameEnd, d.start, d.end, d.funcIndex] : null);
const refKey = (r: SymbolRef | undefined): unknown => (r ? [r.space, r.text, r.index, r.start, r.end, r.funcIndex, defKey(r.def)] : null);
const instrKey = (i: Instr): unknown => [
  i.op, i.start, i.end, i.folded, i.implicit ?? false, i.refs?.map(refKey) ?? [], i.blockType ?? null, defKey(i.label), i.typeIndex ?? null,
  i.memarg ? [i.memarg.align, String(i.memarg.offset)] : null, i.value === undefined ? null : String(i.value), i.fieldIndex ?? null,
  i.catches?.map((c) => [c.kind, refKey(c.tag), refKey(c.label)]) ?? [],
];
const nodeKey = (n: SNode): unknown => (isList(n) ? [n.start, n.end, n.close?.start ?? null, n.annotation ?? null, n.children.map(nodeKey)] : [n.kind, n.start, n.end, n.text]);
const byStart = <T extends { start: number }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => a.start - b.start);

/** Everything the language server reads, as plain data (object identity and order of the symbol table aside). */
function snapshot(p: ParsedText): unknown {
  const { tree } = p;
  const m: TextModule = p.module;
  return {
    text: tree.text,
    lines: tree.lines.lineStarts,
    tokens: tree.tokens.map((t) => [t.kind, t.start, t.end, t.text]),
    comments: tree.comments.map((t) => [t.start, t.end]),
    nodes: tree.nodes.map(nodeKey),
    errors: byStart(tree.errors).map((e) => [e.message, e.start, e.end]),
    annotations: tree.annotations.map((a) => [a.start, a.end, a.annotation]),
    // A function's callers come in source order (call hierarchy lists them so); a type's references
    // made in pass 2's deferred work may not, and every reader of them sorts.
    defs: byStart(m.symbols.defs).map((d) => [defKey(d), d.valType ?? null, JSON.stringify(d.funcType ?? null), (d.kind === 'func' ? d.references : byStart(d.references)).map((r) => [r.start, r.end]), d.exports]),
    refs: byStart(m.symbols.refs).map(refKey),
    modelErrors: byStart(m.errors).map((e) => [e.message, e.start, e.end]),
    types: m.types.map((t) => [t.index, t.node.start, t.node.end, t.implicit, JSON.stringify(t.type), defKey(t.def)]),
    funcs: m.funcs.map((f) => [
      f.index, f.typeIndex, f.node.start, f.node.end, defKey(f.def), f.params.map((x) => defKey(x.def)), f.locals.map((x) => defKey(x.def)),
      f.body.map(instrKey), f.labels.map(defKey), f.exports,
    ]),
    globals: m.globals.map((g) => [defKey(g.def), g.init.map(instrKey)]),
    exports: m.exports.map((e) => [e.name, e.kind, e.node.start, e.node.end, refKey(e.ref)]),
    elems: m.elems.map((e) => [defKey(e.def), e.offset.map(instrKey), e.items.map((i) => i.map(instrKey)), refKey(e.table)]),
    datas: m.datas.map((d) => [defKey(d.def), d.offset.map(instrKey), refKey(d.memory)]),
    start: refKey(m.start),
  };
}

const WORDS = ['i32.const 1', 'i64.const 2', 'drop', 'i32.add', 'i32.ad', 'local.get 0', 'local.get $a', 'nop', '$x', 'call $nothing', 'call 0',
  '\n', 'f64.const 1.5', '(i32.const 3)', '(block $b (br $b))', 'block $l', 'end', 'br 0', '(local $y i64)', 'global.get 0', ';; note\n', '(; c ;)', '(@note x)', 'é'];
const BREAKING = ['(', ')', '"', '(param i32)', '(result i32 i32)'];

function randomEdits(text: string, seed: number, count: number): string[] {
  let s = seed;
  const random = (): number => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const out: string[] = [];
  let current = text;
  for (let k = 0; k < count; k++) {
    const funcs = parseWat(current).module.funcs.filter((f) => !f.import && f.body.length > 1);
    const f = funcs[Math.floor(random() * funcs.length)];
    const first = f?.body.find((i) => !i.implicit);
    const at = f && first && random() < 0.85 ? first.start + Math.floor(random() * (f.node.end - 1 - first.start)) : Math.floor(random() * current.length);
    const remove = random() < 0.4 ? Math.floor(random() * 6) : 0;
    const words = random() < 0.07 ? BREAKING : WORDS;
    const insert = random() < 0.8 ? ` ${words[Math.floor(random() * words.length)]} ` : '';
    current = random() < 0.08 ? text : current.slice(0, at) + insert + current.slice(Math.min(current.length, at + remove));
    out.push(current);
  }
  return out;
}

for (const [name, file] of [['a Wasm 2.0 module', 'text/features.wat'], ['a GC module', 'lsp/gc-shapes.wat'], ['a flat module', 'text/flat.wat']] as const) {
  test(`incremental re-parses equal fresh parses over 200 random edits on ${name}`, () => {
    let reparsed = 0;
    for (const seed of [11, 12]) {
      let parsed: ParsedText = parseWat(fixture(file));
      for (const [k, text] of randomEdits(fixture(file), seed, 100).entries()) {
        if (reparseIncrementally(parsed, text)) reparsed++;
        else parsed = parseWat(text);
        assert.deepEqual(snapshot(parsed), snapshot(parseWat(text)), `seed ${seed}, edit ${k}: ${JSON.stringify(text)}`);
      }
    }
    assert.ok(reparsed >= 80, `only ${reparsed} of 200 edits were re-parsed incrementally`);
  });
}

test('an edit to a header, to another field or across functions is not re-parsed incrementally', () => {
  const text = '(module\n  (global $g (mut i32) (i32.const 0))\n  (func $a (param $x i32) (result i32)\n    (local.get $x))\n  (func $b (result i32)\n    (call $a (i32.const 1))))\n';
  const refuse = (edited: string): void => {
    const parsed = parseWat(text);
    const before = snapshot(parsed);
    assert.equal(reparseIncrementally(parsed, edited), false, edited);
    assert.deepEqual(snapshot(parsed), before, 'a refused re-parse changes nothing');
  };
  refuse(text.replace('(param $x i32)', '(param $x i64)'));
  refuse(text.replace('(i32.const 0)', '(i32.const 9)'));
  refuse(text.replace('(local.get $x))\n  (func $b', '(local.get $x)\n  (func $b'));
  refuse(text.replace('(call $a', '(call $a (param i32)'));
  // A body edit is re-parsed; the later function moved by the edit's length.
  const parsed = parseWat(text);
  const edited = text.replace('(local.get $x))', '(i32.add (local.get $x) (i32.const 10)))');
  assert.equal(reparseIncrementally(parsed, edited), true);
  assert.deepEqual(snapshot(parsed), snapshot(parseWat(edited)));
  assert.equal(parsed.module.funcs[1]?.def.nameStart, edited.indexOf('$b'));
});

/** Applies each edit ([find, replacement] in the current text) in turn, incrementally when possible, and
 * compares with a fresh parse after every one; returns how each was parsed. */
function editInTurn(text: string, edits: readonly (readonly [string, string])[]): ('incremental' | 'full')[] {
  let parsed: ParsedText = parseWat(text);
  let current = text;
  const kinds: ('incremental' | 'full')[] = [];
  for (const [find, replacement] of edits) {
    const at = current.indexOf(find);
    assert.ok(at >= 0, `${JSON.stringify(find)} is in the text`);
    current = current.slice(0, at) + replacement + current.slice(at + find.length);
    if (reparseIncrementally(parsed, current)) kinds.push('incremental');
    else {
      parsed = parseWat(current);
      kinds.push('full');
    }
    assert.deepEqual(snapshot(parsed), snapshot(parseWat(current)), `after ${JSON.stringify([find, replacement])}:\n${current}`);
  }
  return kinds;
}

const THREE = [
  '(module',
  '  (type $bin (func (param i32 i32) (result i32)))',
  '  (memory $m 1)',
  '  (global $g (mut i32) (i32.const 0))',
  '  ;; between fields',
  '  (func $a (param $x i32) (result i32)',
  '    (local $t i32)',
  '    local.get $x',
  '    local.tee $t',
  '    (call $b (local.get $t)))',
  '  (func $b (param $y i32) (result i32)',
  '    (block $out (result i32)',
  '      (br_if $out (local.get $y) (i32.eqz (local.get $y)))',
  '      (memory.size)))',
  '  (@note "an annotation between fields")',
  '  (func $c (export "c") (result i32)',
  '    (call_indirect (type $bin) (i32.const 1) (i32.const 2) (global.get $g)))',
  '  (table 1 funcref)',
  '  (elem (i32.const 0) $a $b)',
  '  (export "a" (func $a)))',
  '',
].join('\n');

test('length-changing edits in one body after another move every later field: each equals a fresh parse', () => {
  const kinds = editInTurn(THREE, [
    // Inside the middle function, longer then shorter; inside the first (everything after moves); inside the last.
    ['(i32.eqz (local.get $y))', '(i32.eqz (i32.add (local.get $y) (i32.const 100)))'],
    ['local.tee $t', 'local.tee $t\n    drop\n    local.get $x'],
    ['(i32.const 1) (i32.const 2)', '(i32.const 1)  (i32.const 22222)'],
    ['    drop\n    local.get $x', ''],
    // Two edits at once in one body (one changed region), and a new line in the middle of a word.
    ['(local.get $t)))\n  (func $b', '(local.get $x)))\n  (func $b'],
    ['local.get $x\n    local.tee', 'local.get $x\n    nop\n    nop\n    local.tee'],
    ['memory.size', 'memory\n.size'],
    ['memory\n.size', 'memory.size'],
  ]);
  assert.deepEqual(kinds, ['incremental', 'incremental', 'incremental', 'incremental', 'incremental', 'incremental', 'incremental', 'incremental']);
});

test('edits before, between and after the functions, across two of them, or merging and splitting them, equal a fresh parse', () => {
  const kinds = editInTurn(THREE, [
    ['(mut i32) (i32.const 0)', '(mut i32) (i32.const 12345)'], // a field before the functions
    [';; between fields', ';; between the fields, longer'], // a comment between fields
    ['(table 1 funcref)', '(table 2 funcref)'], // a field after them
    ['local.tee $t', 'local.tee $t nop'], // back to a body edit, after the full parses
    ['(local.get $t)))\n  (func $b (param $y i32) (result i32)\n    (block', '(local.get $t))\n    (block'], // merges $a and $b
    ['(local.get $t))\n    (block', '(local.get $t)))\n  (func $b (param $y i32) (result i32)\n    (block'], // splits them again
    ['local.get $x', '(i32.const 1))\n  (func $d\n    local.get $x'], // a new function out of a body
    ['    (local $t i32)', '    (local $t i32) (local $u i64)'], // locals
    ['(result i32)\n    (local $t', '(result i64)\n    (local $t'], // a header
  ]);
  assert.deepEqual(kinds.slice(0, 4), ['full', 'full', 'full', 'incremental']);
  assert.equal(kinds[4], 'full', 'merging two functions parses in full');
  assert.equal(kinds[5], 'full', 'splitting a function parses in full');
  assert.equal(kinds[8], 'full', 'a header edit parses in full');
});

test('an unclosed module and a file of bare fields are re-parsed incrementally too', () => {
  const unclosed = THREE.replace(/\)\n$/, '\n');
  assert.deepEqual(editInTurn(unclosed, [['(global.get $g)', '(global.get $g) (i32.const 7) drop'], ['local.tee $t', 'local.tee $t\n\n']]), ['incremental', 'incremental']);
  // Unclosed, with a function last: the module ends where that function does, wherever it moves.
  const lastFunc = '(module\n  (func $a\n    nop)\n  (func $z (result i32)\n    i32.const 1)\n';
  assert.deepEqual(editInTurn(lastFunc, [['i32.const 1', 'i32.const 1 i32.const 2 i32.add'], ['nop', 'nop nop nop']]), ['incremental', 'incremental']);
  const bare = THREE.replace('(module\n', '').replace(/\)\n$/, '\n');
  assert.deepEqual(editInTurn(bare, [['local.tee $t', 'local.tee $t nop'], ['(memory.size)', '(memory.size) (drop) (i32.const 0)'], ['(i32.const 2)', '(i32.const 3)']]), ['incremental', 'incremental', 'incremental']);
});
