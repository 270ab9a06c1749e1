// Assembler: byte-exactness against Debian's wat2wasm on fixtures (when installed), the name
// section, and the instruction ↔ source map on flat and folded code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParseError, watToBinary } from '../../../core/text';
import { decodeModule } from '../../../core/binary';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'text');
const WAT2WASM = '/usr/bin/wat2wasm';

for (const name of ['features.wat', 'flat.wat', 'simd.wat']) {
  test(`${name} assembles byte-identically to wat2wasm --debug-names`, { skip: existsSync(WAT2WASM) ? false : `${WAT2WASM} not installed` }, () => {
    const src = join(fixtures, name);
    const dir = mkdtempSync(join(tmpdir(), 'wasmscope-asm-'));
    try {
      const out = join(dir, 'ref.wasm');
      execFileSync(WAT2WASM, ['--debug-names', src, '-o', out]);
      const ref = readFileSync(out);
      const ours = watToBinary(readFileSync(src, 'utf8')).bytes;
      assert.equal(Buffer.compare(Buffer.from(ours), ref), 0, `${name}: ${ours.length} bytes vs wat2wasm's ${ref.length}`);
      // and without names, identical to plain wat2wasm
      execFileSync(WAT2WASM, [src, '-o', out]);
      const plain = watToBinary(readFileSync(src, 'utf8'), { names: false }).bytes;
      assert.equal(Buffer.compare(Buffer.from(plain), readFileSync(out)), 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('the output decodes with our own decoder, names included', () => {
  const { bytes } = watToBinary(readFileSync(join(fixtures, 'flat.wat'), 'utf8'));
  const m = decodeModule(bytes);
  assert.equal(m.names.functions.get(0), 'fib');
  assert.equal(m.names.locals.get(0)?.get(3), 't');
});

test('malformed text throws ParseError with a range', () => {
  assert.throws(() => watToBinary('(module (func (i32.const 0x)))'), (e: unknown) => {
    assert.ok(e instanceof ParseError);
    assert.equal(e.range.start.line, 0);
    assert.equal(e.range.start.character, 25);
    return true;
  });
  assert.throws(() => watToBinary('(module (func (call $missing)))'), ParseError);
});

test('source map: folded operands come first, each instruction maps to its own text', () => {
  const src = [
    '(module',
    '  (func $f (param $x i32) (result i32)',
    '    (i32.add',
    '      (local.get $x)',
    '      (i32.mul (local.get $x) (i32.const 3)))',
    '  )',
    ')',
  ].join('\n');
  const { bytes, sourceMap } = watToBinary(src);
  const ops = sourceMap.instrs.map((m) => m.op);
  assert.deepEqual(ops, ['local.get', 'local.get', 'i32.const', 'i32.mul', 'i32.add', 'end']);
  for (const m of sourceMap.instrs) {
    // the opcode byte at each mapped offset is the instruction's own
    const expected = { 'local.get': 0x20, 'i32.const': 0x41, 'i32.mul': 0x6c, 'i32.add': 0x6a, end: 0x0b }[m.op];
    assert.equal(bytes[m.offset], expected, m.op);
  }
  const add = sourceMap.instrs.find((m) => m.op === 'i32.add');
  assert.ok(add);
  assert.deepEqual(sourceMap.rangeOf(add).start, { line: 2, character: 5, offset: src.indexOf('i32.add') });
  // lines → offsets
  assert.deepEqual(sourceMap.instructionsOnLine(4).map((m) => m.op), ['local.get', 'i32.const', 'i32.mul']);
  assert.deepEqual(sourceMap.offsetsOnLine(2), [add.offset]);
  assert.equal(sourceMap.nearestLineWithCode(1)?.line, 2);
  // offsets → ranges (an offset inside an instruction's immediates maps to that instruction)
  const c = sourceMap.instrs.find((m) => m.op === 'i32.const');
  assert.ok(c);
  assert.equal(sourceMap.instrAt(c.offset + 1)?.op, 'i32.const');
  assert.equal(sourceMap.rangeAt(c.offset)?.start.line, 4);
  // the function's final end sits on its closing parenthesis
  const end = sourceMap.instrs[sourceMap.instrs.length - 1];
  assert.ok(end?.implicit);
  assert.equal(sourceMap.rangeOf(end).start.line, 5);
  const fn = sourceMap.funcs[0];
  assert.ok(fn);
  assert.equal(fn.name, '$f');
  assert.equal(sourceMap.funcAt(add.offset)?.funcIndex, 0);
  assert.equal(sourceMap.instrAt(0), undefined);
});

test('source map: folded if/else and flat blocks', () => {
  const src = [
    '(module (func (param i32) (result i32)',
    '  (if (result i32) (local.get 0)',
    '    (then (i32.const 1))',
    '    (else (i32.const 2)))',
    '  block',
    '    nop',
    '  end',
    '))',
  ].join('\n');
  const { sourceMap } = watToBinary(src);
  assert.deepEqual(
    sourceMap.instrs.map((m) => `${m.op}@${sourceMap.rangeOf(m).start.line}`),
    ['local.get@1', 'if@1', 'i32.const@2', 'else@3', 'i32.const@3', 'end@3', 'block@4', 'nop@5', 'end@6', 'end@7'],
  );
});

test('source map positions are UTF-16 after non-ASCII comments and strings', () => {
  const src = ';; héllo 😀 wörld\n(module (func (export "é😀") (result i32)\n  (; ✓ ;) (i32.const 42)))';
  const { sourceMap } = watToBinary(src);
  const c = sourceMap.instrs.find((m) => m.op === 'i32.const');
  assert.ok(c);
  const r = sourceMap.rangeOf(c);
  assert.deepEqual(r.start, { line: 2, character: 11, offset: src.indexOf('i32.const') });
  assert.equal(src.slice(c.start, c.end), 'i32.const 42');
});

test('struct field names go into name subsection 10 and decode back by type and field index', () => {
  const { bytes } = watToBinary('(module (type $a (array i8)) (type $p (struct (field $x i32) (field f64) (field $z (mut i64)))))');
  const names = decodeModule(bytes).names;
  assert.equal(names.types.get(1), 'p');
  assert.deepEqual([...(names.fields.get(1) ?? [])], [[0, 'x'], [2, 'z']]);
  assert.equal(names.fields.has(0), false, 'an array has no field names');
});
