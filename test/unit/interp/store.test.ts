// References and GC objects live in the store of the instances that made them: one store per
// linked set of instances, freed with it. Also GC constant expressions: globals, tables and
// element segments whose initializers allocate structs and arrays at instantiation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { decodeModule } from '../../../core/binary';
import { LinkError } from '../../../core/errors';
import { compileModule, i32, instantiate, invoke, GlobalInstance, Store, type Imports, type Instance } from '../../../core/interp';
import { watToBinary } from '../../../core/text';
import { ValType } from '../../../core/binary/module';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function load(wat: string, imports: Imports = {}, store?: Store): Instance {
  return instantiate(compileModule(decodeModule(watToBinary(wat).bytes)), imports, store !== undefined ? { store } : undefined);
}

const MAKER = `(module
  (type $p (struct (field $x (mut i32)) (field $y i64)))
  (type $v (array (mut i8)))
  (global $origin (export "origin") (ref $p) (struct.new $p (i32.const 3) (i64.const -4)))
  (global $bytes (ref $v) (array.new_fixed $v 3 (i32.const 1) (i32.const 258) (i32.const -1)))
  (global $zeros (ref $v) (array.new_default $v (i32.const 5)))
  (global $i (ref i31) (ref.i31 (i32.const -1)))
  (table $t 2 (ref null $p) (struct.new_default $p))
  (elem $e (ref $p) (item (struct.new $p (i32.const 9) (i64.const 9))) (item (global.get $origin)))
  (func (export "make") (param i32) (result i32)
    (local $n i32)
    (loop $l
      (drop (struct.new $p (local.get 0) (i64.const 0)))
      (br_if $l (i32.lt_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (local.get 0))))
    (local.get $n))
  (func (export "fresh") (result anyref) (struct.new $p (i32.const 1) (i64.const 2)))
  (func (export "origin-x") (result i32) (struct.get $p $x (global.get $origin)))
  (func (export "origin-y") (result i64) (struct.get $p $y (global.get $origin)))
  (func (export "byte") (param i32) (result i32) (array.get_u $v (global.get $bytes) (local.get 0)))
  (func (export "zeros-len") (result i32) (array.len (global.get $zeros)))
  (func (export "i31") (result i32) (i31.get_s (global.get $i)))
  (func (export "table-x") (param i32) (result i32) (struct.get $p $x (table.get $t (local.get 0))))
  (func (export "elem-x") (param i32) (result i32)
    (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 2))
    (struct.get $p $x (table.get $t (local.get 0))))
  (func (export "same-origin") (result i32)
    (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 2))
    (ref.eq (table.get $t (i32.const 1)) (global.get $origin))))`;

test('GC constant expressions allocate at instantiation: globals, table initializers, element items', () => {
  const inst = load(MAKER);
  assert.deepEqual(invoke(inst, 'origin-x', []), [i32(3)]);
  assert.deepEqual(invoke(inst, 'origin-y', []), [{ type: 'i64', value: -4n }]);
  assert.deepEqual([0, 1, 2].map((k) => invoke(inst, 'byte', [i32(k)])[0]), [i32(1), i32(2), i32(255)], 'i8 fields wrap');
  assert.deepEqual(invoke(inst, 'zeros-len', []), [i32(5)]);
  assert.deepEqual(invoke(inst, 'i31', []), [i32(-1)]);
  assert.deepEqual(invoke(inst, 'table-x', [i32(1)]), [i32(0)], 'struct.new_default fills the table');
  assert.deepEqual(invoke(inst, 'elem-x', [i32(0)]), [i32(9)]);
  assert.deepEqual(invoke(inst, 'same-origin', []), [i32(1)], 'global.get in an element item is the global\'s object');
});

test('each unlinked instance has its own store; allocation grows only that one', () => {
  const a = load(MAKER);
  const b = load(MAKER);
  assert.notEqual(a.store, b.store);
  const before = b.store.size;
  invoke(a, 'make', [i32(1000)]);
  assert.ok(a.store.size >= 1000);
  assert.equal(b.store.size, before);
});

test('instances linked by imports share a store; imports from two stores do not link', () => {
  const a = load(MAKER);
  const user = `(module (type $p (struct (field $x (mut i32)) (field $y i64)))
    (import "m" "origin" (global $o (ref $p)))
    (func (export "x") (result i32) (struct.get $p $x (global.get $o))))`;
  const b = load(user, { m: a.exports as Imports[string] });
  assert.equal(b.store, a.store);
  assert.deepEqual(invoke(b, 'x', []), [i32(3)]);
  const other = load(MAKER);
  const both = `(module (type $p (struct (field $x (mut i32)) (field $y i64)))
    (import "m" "origin" (global (ref $p))) (import "n" "origin" (global (ref $p))))`;
  assert.throws(() => load(both, { m: a.exports as Imports[string], n: other.exports as Imports[string] }),
    (e: unknown) => e instanceof LinkError && /another store: n\.origin/.test(e.message));
  const shared = new Store();
  assert.equal(load(MAKER, {}, shared).store, shared, 'an explicit store is used');
});

test('a host reference global joins the store of the instance that imports it', () => {
  const host = { marker: true };
  const g = new GlobalInstance(ValType.externref, false, { type: 'externref', value: host });
  assert.equal(g.store, undefined);
  const inst = load(`(module (import "h" "g" (global $g externref))
    (func (export "is-null") (result i32) (ref.is_null (global.get $g))))`, { h: { g } });
  assert.equal(g.store, inst.store);
  assert.deepEqual(invoke(inst, 'is-null', []), [i32(0)]);
  assert.deepEqual(g.value, { type: 'externref', value: host });
});

/** Runs an instance, then lets go of it: weak references to its store and to a struct it made. */
function runAndDrop(): { store: WeakRef<Store>; object: WeakRef<object> } {
  const inst = load(MAKER);
  invoke(inst, 'make', [i32(100)]);
  const fresh = invoke(inst, 'fresh', [])[0]!;
  assert.equal(fresh.type, 'anyref');
  return { store: new WeakRef(inst.store), object: new WeakRef((fresh as { value: object }).value) };
}

test('a dropped store takes its GC objects with it', async () => {
  const { store, object } = runAndDrop();
  // (A WeakRef's target survives the turn that made or read it, so collect on later turns.)
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setImmediate(r));
    gc();
  }
  assert.equal(store.deref(), undefined, 'nothing global keeps the store alive');
  assert.equal(object.deref(), undefined, 'nor a struct it allocated');
});
