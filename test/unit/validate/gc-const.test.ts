// Validation of GC constant expressions (struct.new*, array.new*, ref.i31, any/extern conversions in
// globals, table initializers and element items), of try_table catch labels by subtyping, and of
// element segment types: `funcref (ref.func ...)` is nullable, function indices are `(ref func)`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { ValidationError } from '../../../core/errors';
import { FeatureError } from '../../../core/features';
import { compileModule } from '../../../core/interp';
import { watToBinary } from '../../../core/text';

function invalid(wat: string, reason: RegExp, features = {}): void {
  const bytes = watToBinary(wat).bytes;
  assert.throws(() => compileModule(decodeModule(bytes, { features }), { features }), (e: unknown) => {
    assert.ok(e instanceof ValidationError, `expected ValidationError, got ${String(e)}`);
    assert.match(e.reason, reason);
    return true;
  });
}
const valid = (wat: string): void => assert.doesNotThrow(() => compileModule(decodeModule(watToBinary(wat).bytes)));

const TYPES = '(type $p (struct (field i32) (field (mut f64)))) (type $v (array (mut i8))) (type $r (array (ref null $p)))';

test('GC allocations are constant: in globals, table initializers and element items', () => {
  valid(`(module ${TYPES}
    (global $a (ref $p) (struct.new $p (i32.const 1) (f64.const 2)))
    (global (ref $p) (struct.new_default $p))
    (global (ref $v) (array.new $v (i32.const 7) (i32.const 3)))
    (global (ref $v) (array.new_default $v (i32.const 3)))
    (global (ref $r) (array.new_fixed $r 2 (global.get $a) (ref.null $p)))
    (global (ref i31) (ref.i31 (i32.const 5)))
    (global externref (extern.convert_any (global.get $a)))
    (table 1 (ref null $p) (struct.new_default $p))
    (elem (ref $p) (item (struct.new_default $p))))`);
});

test('non-constant GC instructions and ill-typed allocations in constant expressions', () => {
  invalid(`(module ${TYPES} (global $a (ref $p) (struct.new_default $p)) (global i32 (struct.get $p 0 (global.get $a))))`,
    /constant expression required/);
  invalid(`(module ${TYPES} (global (ref $p) (struct.new $p (i32.const 1) (i32.const 2))))`, /type mismatch/);
  invalid(`(module ${TYPES} (global (ref $v) (array.new_fixed $v 2 (i32.const 1))))`, /type mismatch/);
  invalid(`(module ${TYPES} (global (ref $v) (struct.new_default $p)))`, /type mismatch/);
  invalid('(module (type $n (struct (field (ref any)))) (global (ref $n) (struct.new_default $n)))', /type mismatch/);
  assert.throws(() => decodeModule(watToBinary(`(module ${TYPES} (global (ref $p) (struct.new_default $p)))`).bytes, { features: { gc: false } }),
    (e: unknown) => e instanceof FeatureError && /garbage collection is disabled/.test(e.message));
});

test('try_table: a catch clause fits its label by subtyping, and catch_ref hands a non-null exnref', () => {
  valid(`(module (type $t (func)) (tag $e (param (ref $t)))
    (func (result (ref null $t)) (block $l (result (ref null $t)) (try_table (catch $e $l) (nop)) (unreachable))))`);
  valid(`(module (tag $e)
    (func (result (ref exn)) (block $l (result (ref exn)) (try_table (catch_all_ref $l) (nop)) (unreachable))))`);
  invalid(`(module (type $t (func)) (tag $e (param (ref null $t)))
    (func (result (ref $t)) (block $l (result (ref $t)) (try_table (catch $e $l) (nop)) (unreachable))))`, /type mismatch/);
});

test('element segments: funcref expressions do not fit a (ref func) table, function indices do', () => {
  valid('(module (func $f) (table 1 (ref func) (ref.func $f)) (elem (i32.const 0) func $f))');
  invalid('(module (func $f) (table 1 (ref func) (ref.func $f)) (elem (i32.const 0) funcref (ref.func $f)))', /type mismatch/);
});
