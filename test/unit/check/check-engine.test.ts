// The engine-side checker for text wabt cannot read: which of our parser's errors are the text's
// own, and where validation errors land (the instruction, its function, or the module).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkWithEngine } from '../../../core/check/check-engine';
import { ENGINE_DEFAULT_FEATURES } from '../../../core/features';
import { parseWat } from '../../../core/text';

const check = (text: string, features = ENGINE_DEFAULT_FEATURES) => checkWithEngine(parseWat(text).module, features);

test('a valid module has no diagnostics', () => {
  assert.deepEqual(check('(module (func (result i32) (i32.const 1)))'), { kind: 'checked', diagnostics: [] });
});

test('a validation error inside a body lands on its instruction, with the instruction named', () => {
  const r = check('(module\n  (func (result i64)\n    (i32.const 1)\n    (i64.const 2)\n    (i64.add)\n    (i32.eqz)))');
  assert.equal(r.kind, 'checked');
  const d = r.kind === 'checked' ? r.diagnostics[0] : undefined;
  assert.equal(d?.message, 'type mismatch in i64.add, expected [i64, i64] but got [i32, i64]'); // it pops an i32
  assert.deepEqual(d?.range.start, { line: 4, character: 5 });
});

test('errors outside bodies land on their field: a global initializer, a segment, a duplicate export', () => {
  const first = (text: string) => {
    const r = check(text);
    return r.kind === 'checked' ? r.diagnostics[0] : undefined;
  };
  const g = first('(module\n  (global $ok i32 (i32.const 0))\n  (global i32 (i64.const 0)))');
  assert.match(g?.message ?? '', /type mismatch/);
  assert.deepEqual(g?.range.start, { line: 2, character: 2 });
  const e = first('(module\n  (table 1 funcref)\n  (func $f)\n  (elem (i64.const 0) $f))');
  assert.match(e?.message ?? '', /type mismatch/);
  assert.deepEqual(e?.range.start, { line: 3, character: 2 });
  const x = first('(module\n  (func (export "a"))\n  (func (export "b"))\n  (func (export "a")))');
  assert.equal(x?.message, 'duplicate export name');
  assert.deepEqual(x?.range.start, { line: 3, character: 2 }); // the func holding the inline export
  // No byte offset: the text the error concerns (the start function's reference).
  const s = first('(module\n  (func $f (param i32))\n  (start $f))');
  assert.equal(s?.message, 'start function');
  assert.deepEqual(s?.range.start, { line: 2, character: 9 });
});

test('unknown names are the text\'s errors; an unexpected token may be syntax we do not read', () => {
  const names = check('(module (func (call $nope)) (func $a) (func $a))');
  assert.equal(names.kind, 'checked');
  assert.deepEqual(names.kind === 'checked' ? names.diagnostics.map((d) => d.message) : [], ['unknown func $nope', 'duplicate func $a']);
  const unread = check('(module (type (func (param (ref (exact $t))))))');
  assert.equal(unread.kind, 'unparsed');
});

test('a proposal that is off is an error at the instruction that uses it', () => {
  const r = check('(module (func\n  (return_call 0)))', { ...ENGINE_DEFAULT_FEATURES, tailCall: false });
  assert.equal(r.kind, 'checked');
  const d = r.kind === 'checked' ? r.diagnostics[0] : undefined;
  assert.match(d?.message ?? '', /^tail calls are disabled: return_call at 0x/);
  assert.deepEqual(d?.range.start, { line: 1, character: 3 });
});
