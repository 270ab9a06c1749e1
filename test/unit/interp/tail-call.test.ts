// Tail calls: the callee replaces the caller's frame, so a deep tail-recursive loop runs in
// constant call depth; host callees return straight to the caller's caller; fuel still runs out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { Exhaustion } from '../../../core/errors';
import { Machine, compileModule, instantiate, invoke, type Value } from '../../../core/interp';
import { watToBinary } from '../../../core/text';

const i64 = (value: bigint): Value => ({ type: 'i64', value });
const load = (wat: string, imports = {}, maxCallDepth = 100) =>
  instantiate(compileModule(decodeModule(watToBinary(wat).bytes), { maxCallDepth }), imports);

const loops = `(module
  (type $t (func (param i64 i64) (result i64)))
  (table funcref (elem $sum))
  (func $sum (export "sum") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call $sum (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n))))))
  (func $isum (export "isum") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call_indirect (type $t) (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n)) (i32.const 0)))))
  (func $plain (export "plain") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (call $plain (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n)))))))`;

test('a million tail calls run within a call depth of 100; plain recursion does not', () => {
  const inst = load(loops);
  assert.deepEqual(invoke(inst, 'sum', [i64(1_000_000n), i64(0n)]), [i64(500000500000n)]);
  assert.deepEqual(invoke(inst, 'isum', [i64(100_000n), i64(0n)]), [i64(5000050000n)]);
  assert.throws(() => invoke(inst, 'plain', [i64(1000n), i64(0n)]), (e: unknown) => e instanceof Exhaustion);
});

test('a tail call to a host function returns its results to the caller of the caller', () => {
  const inst = load(`(module
    (import "host" "twice" (func $twice (param i32) (result i32)))
    (func $mid (param i32) (result i32) (return_call $twice (i32.add (local.get 0) (i32.const 1))))
    (func (export "run") (param i32) (result i32) (i32.add (call $mid (local.get 0)) (i32.const 100))))`,
  { host: { twice: (x: number) => x * 2 } });
  assert.deepEqual(invoke(inst, 'run', [{ type: 'i32', value: 4 }]), [{ type: 'i32', value: 110 }]);
});

test('an endless tail-call loop spends fuel and stops with budget, then resumes', () => {
  const inst = load(`(module (func $f (export "spin") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 7)) (else (return_call $f (i32.sub (local.get 0) (i32.const 1)))))))`);
  const m = new Machine();
  m.start(inst, 'spin', [{ type: 'i32', value: 5000 }]);
  assert.equal(m.run(1000).reason, 'budget');
  assert.equal(m.frames().length, 1);
  const r = m.run();
  assert.equal(r.reason, 'finished');
  assert.deepEqual(r.reason === 'finished' ? r.results : [], [{ type: 'i32', value: 7 }]);
});
