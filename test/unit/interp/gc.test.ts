// GC casts across the hierarchies the differential fuzzer found wanting: an exnref and an
// externalized value pass ref.test/ref.cast to their hierarchy's top, and never to its bottom.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { compileModule, i32, instantiate, invoke } from '../../../core/interp';
import { watToBinary } from '../../../core/text';

const inst = instantiate(compileModule(decodeModule(watToBinary(`(module
  (tag $t)
  (type $s (struct))
  (func $exn (result (ref exn))
    (block $b (result (ref exn)) (try_table (catch_all_ref $b) (throw $t)) (unreachable)))
  (func (export "test-exn") (result i32) (ref.test (ref exn) (call $exn)))
  (func (export "test-noexn") (result i32) (ref.test nullexnref (call $exn)))
  (func (export "cast-exn") (result i32) (ref.is_null (ref.cast (ref exn) (call $exn))))
  (func (export "test-extern") (result i32) (ref.test (ref extern) (extern.convert_any (struct.new $s))))
  (func (export "test-extern-i31") (result i32) (ref.test (ref extern) (extern.convert_any (ref.i31 (i32.const 7)))))
  (func (export "test-noextern") (result i32) (ref.test nullexternref (extern.convert_any (ref.i31 (i32.const 7)))))
  (func (export "round-trip") (result i32)
    (ref.test (ref i31) (any.convert_extern (extern.convert_any (ref.i31 (i32.const 7)))))))`).bytes)));

test('exnref casts: a caught exception is an exn, not a noexn', () => {
  assert.deepEqual(invoke(inst, 'test-exn', []), [i32(1)]);
  assert.deepEqual(invoke(inst, 'test-noexn', []), [i32(0)]);
  assert.deepEqual(invoke(inst, 'cast-exn', []), [i32(0)]);
});

test('externalized values are externs, not noexterns, and internalize back to what they were', () => {
  assert.deepEqual(invoke(inst, 'test-extern', []), [i32(1)]);
  assert.deepEqual(invoke(inst, 'test-extern-i31', []), [i32(1)]);
  assert.deepEqual(invoke(inst, 'test-noextern', []), [i32(0)]);
  assert.deepEqual(invoke(inst, 'round-trip', []), [i32(1)]);
});
