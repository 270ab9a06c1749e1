// Parser and model: abbreviations, folded and flat code, symbols, and tolerance of broken input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTree, parseWat } from '../../../core/text';

test('garbage never throws and yields errors', () => {
  const inputs = [')))', '(((', '(module (func (i32.add', '(module (func $f (param i32) (local.get $nope)))', '"', '(; x', '(module (type (func (param $x))))',
    '(module (func block))', '(module (func end))', '(module (memory (data "\\zz")))', '\u0000\u0001', '(module (func (i32.const 0x1_)))'];
  for (const src of inputs) {
    const d = parseWat(src);
    assert.ok(d.errors.length > 0, src);
  }
  // every prefix of a real module parses without throwing
  const src = '(module (type $t (func (param i32))) (func $f (type $t) (local $x i64) (block $b (br_if $b (local.get 0)))) (export "f" (func $f)))';
  for (let i = 0; i <= src.length; i++) parseWat(src.slice(0, i));
});

test('unclosed lists are closed with an error', () => {
  const t = parseTree('(module (func');
  assert.equal(t.errors.length, 2);
  const m = t.nodes[0];
  assert.ok(m && m.kind === 'list' && m.close === undefined);
});

test('module fields and abbreviations', () => {
  const d = parseWat(`(module
    (import "m" "f" (func $imp (param i32)))
    (func $g (import "m" "g") (result i32))
    (table $t (export "tab") funcref (elem $a $b))
    (memory (data "abc"))
    (global $gl (export "gl") (mut i64) (i64.const -1))
    (func $a (export "a") (export "a2") (param $x i32) (param f32) (result i32) (local $l i32) (local.get $x))
    (func $b)
    (elem (i32.const 0) $a)
    (elem declare func $b)
    (data (memory 0) (offset (i32.const 8)) "x" "yz")
    (start $b))`);
  assert.deepEqual(d.errors, []);
  const m = d.module;
  assert.deepEqual(m.funcs.map((f) => [f.def.name, f.index, f.import?.name]), [['$imp', 0, 'f'], ['$g', 1, 'g'], ['$a', 2, undefined], ['$b', 3, undefined]]);
  assert.deepEqual(m.tables[0]?.limits, { min: 2, max: 2 });
  assert.deepEqual(m.memories[0]?.limits, { min: 1, max: 1 });
  assert.deepEqual(m.exports.map((e) => e.name), ['tab', 'gl', 'a', 'a2']);
  assert.equal(m.elems.length, 3);
  assert.deepEqual(m.elems.map((e) => e.mode), ['active', 'active', 'declarative']);
  assert.deepEqual([...(m.datas[1]?.bytes ?? [])], [120, 121, 122]);
  assert.deepEqual(m.types.map((t) => [t.type.params, t.type.results]), [[['i32'], []], [[], ['i32']], [['i32', 'f32'], ['i32']], [[], []]]);
  const a = m.funcs[2];
  assert.ok(a);
  assert.deepEqual(a.params.map((p) => p.def.name), ['$x', undefined]);
  assert.equal(a.locals[0]?.def.index, 2);
  assert.equal(m.start?.index, 3);
});

test('folded and flat instructions in emission order with their own ranges', () => {
  const src = '(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 2)) (else i32.const 3))))';
  const d = parseWat(src);
  assert.deepEqual(d.errors, []);
  const body = d.module.funcs[0]?.body ?? [];
  assert.deepEqual(body.map((i) => i.op), ['i32.const', 'if', 'i32.const', 'else', 'i32.const', 'end', 'end']);
  const first = body[0];
  assert.ok(first);
  assert.equal(src.slice(first.start, first.end), 'i32.const 1');
  assert.equal(src.slice(body[1]?.start, body[1]?.end), 'if (result i32)');
  assert.equal(src.slice(body[5]?.start, body[5]?.end), ')');
});

test('symbols: definitions and references, labels by depth', () => {
  const src = `(module
  (global $g i32 (i32.const 0))
  (func $f (param $p i32) (local $l i32)
    (block $out
      (loop $top
        (br_if $out (local.get $p))
        local.get $l
        global.get $g
        br_if $top
        call $f2))
  )
  (func $f2 (call $f (i32.const 1))))`;
  const d = parseWat(src);
  assert.deepEqual(d.errors, []);
  const refs = d.module.symbols.refs.map((r) => `${r.space}:${r.text}=${r.index}`);
  assert.deepEqual(refs, ['label:$out=1', 'local:$p=0', 'local:$l=1', 'global:$g=0', 'label:$top=0', 'func:$f2=1', 'func:$f=0']);
  const f = d.module.symbols.defs.find((x) => x.name === '$f');
  assert.equal(f?.references.length, 1);
  assert.equal(src.slice(f?.nameStart, f?.nameEnd), '$f');
  const p = d.module.symbols.defs.find((x) => x.name === '$p');
  assert.equal(p?.kind, 'param');
  assert.equal(p?.valType, 'i32');
});

test('unknown and duplicate names are errors', () => {
  assert.match(parseWat('(module (func (call $nope)))').errors[0]?.message ?? '', /unknown func \$nope/);
  assert.match(parseWat('(module (func $a) (func $a))').errors[0]?.message ?? '', /duplicate func/);
  assert.match(parseWat('(module (func (br $x)))').errors[0]?.message ?? '', /unknown label/);
  assert.match(parseWat('(module (func) (import "a" "b" (func)))').errors[0]?.message ?? '', /import after function/);
});

test('mutated real modules never make the parser, the .wast parser or the assembler throw', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { parseWast, assemble, ParseError } = await import('../../../core/text');
  const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'text');
  const sources = ['features.wat', 'flat.wat', 'simd.wat'].map((f) => readFileSync(join(dir, f), 'utf8'));
  const pieces = ['(', ')', '$x', '0', 'i32', 'func', 'block', 'end', '"s"', 'local.get', '(type 0)', '(param i32)', '(result i32)', 'if', 'else',
    'offset=1', 'nan:0x1', '(elem', '(data', '(table', 'funcref', '(item', 'declare', '(memory', '(@a', ';;', '(;', 'v128.const', 'i8x16'];
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let iter = 0; iter < 400; iter++) {
    let s = sources[rnd(sources.length)] as string;
    for (let k = 0, n = 1 + rnd(5); k < n; k++) {
      const at = rnd(s.length + 1);
      s = rnd(2) ? `${s.slice(0, at)} ${pieces[rnd(pieces.length)]} ${s.slice(at)}` : s.slice(0, at) + s.slice(at + rnd(30));
    }
    parseWast(s);
    const d = parseWat(s);
    try {
      assemble(d.module);
    } catch (e) {
      assert.ok(e instanceof ParseError && d.errors.length > 0, String(e));
    }
  }
});

test('a label repeated after end/else is a reference to its block', () => {
  const d = parseWat('(module (func block $b nop end $b (if $c (i32.const 1) (then)) i32.const 0 if $d else $d end $d))');
  assert.deepEqual(d.errors, []);
  const b = d.module.symbols.defs.find((x) => x.name === '$b');
  assert.equal(b?.references.length, 1);
  const dd = d.module.symbols.defs.find((x) => x.name === '$d');
  assert.equal(dd?.references.length, 2);
  assert.match(parseWat('(module (func block $b end $x))').errors[0]?.message ?? '', /mismatching label/);
});

test('a label definition spans its whole block, folded or flat', () => {
  const src = '(module (func (block $a (nop)) loop $b nop end $b))';
  const d = parseWat(src);
  const a = d.module.symbols.defs.find((x) => x.name === '$a');
  const b = d.module.symbols.defs.find((x) => x.name === '$b');
  assert.equal(src.slice(a?.start, a?.end), '(block $a (nop))');
  assert.equal(src.slice(b?.start, b?.end), 'loop $b nop end $b');
});

test('quoted identifiers: $"name" is $name, escapes resolved; empty or non-UTF-8 names are errors', () => {
  const d = parseWat(`(module
  (func $fh) (func (call $"fh"))
  (func $"\\41B") (func (call $AB) (call $"A\\42") (call $"\\u{41}\\u{42}"))
  (func $" x ") (func (call $" \\78 ")))`);
  assert.deepEqual(d.errors.map((e) => e.message), []);
  const calls = d.module.funcs.flatMap((f) => f.body).filter((i) => i.op === 'call');
  assert.equal(calls.length, 5);
  assert.equal(parseWat('(module (func $"\\"))').errors.length > 0, true);
  assert.deepEqual(parseWat('(module (func $""))').errors.map((e) => e.message), ['empty identifier']);
  assert.deepEqual(parseWat('(module (func $"\\ef"))').errors.map((e) => e.message), ['malformed UTF-8 encoding']);
  assert.deepEqual(parseWat('(module (func $fh) (func (call $"fi")))').errors.map((e) => e.message), ['unknown func $fi']);
});

test('annotations may stand between any tokens, hold reserved tokens, and are kept aside', () => {
  const src = `((@a) module (@a) $m (@"str id" x)
  ((@a) func (@a) $f (@a) ((@a) param (@a) i32) (@a , ; ] [ }} ({) ,{{};}]) (result i32) (@a)
    (local.get 0) (@x (y (z))) (i32.const 1) i32.add))`;
  const d = parseWat(src);
  assert.deepEqual(d.errors.map((e) => e.message), []);
  assert.deepEqual(d.module.funcs[0]?.body.map((i) => i.op).filter((op) => op !== 'end'), ['local.get', 'i32.const', 'i32.add']);
  assert.deepEqual(d.tree.annotations.map((a) => a.annotation).slice(0, 3), ['a', 'a', 'str id']);
  assert.ok(parseWat('(module (@"" x))').errors.some((e) => e.message === 'empty annotation id'));
  assert.ok(parseWat('(module (@ x))').errors.some((e) => e.message === 'empty annotation id'));
  assert.ok(parseWat('(module (@x (y)').errors.some((e) => e.message === 'unclosed annotation'));
  // Reserved characters outside annotations are still an error where a field or instruction goes.
  assert.ok(parseWat('(module (func , ))').errors.length > 0);
});
