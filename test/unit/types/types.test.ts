// The type layer: the value-type encoding, the abstract heap-type lattice, declared subtyping, and
// canonical (iso-recursive) equality of recursion groups within and across modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalize, concreteHeap, formatType, HeapCode, heapOf, isNullable, isRef, matchHeap, matchValType, refOf,
  type SubType, type RecGroup,
} from '../../../core/types';
import { decodeModule } from '../../../core/binary';
import { buildContext } from '../../../core/validate/context';
import { ValidationError } from '../../../core/errors';

const ANY = HeapCode.any, EQ = HeapCode.eq, I31 = HeapCode.i31, STRUCT = HeapCode.struct, ARRAY = HeapCode.array;
const NONE = HeapCode.none, FUNC = HeapCode.func, NOFUNC = HeapCode.nofunc, EXTERN = HeapCode.extern, NOEXTERN = HeapCode.noextern;

test('value-type encoding: shorthands, non-null and concrete references round-trip', () => {
  assert.equal(refOf(true, FUNC), 0x70);
  assert.equal(formatType(refOf(true, FUNC)), 'funcref');
  assert.equal(formatType(refOf(false, EXTERN)), '(ref extern)');
  const t = refOf(true, concreteHeap(5));
  assert.ok(isRef(t) && isNullable(t));
  assert.equal(heapOf(t), concreteHeap(5));
  assert.equal(formatType(refOf(false, concreteHeap(5)), (i) => (i === 5 ? '$t' : undefined)), '(ref $t)');
  assert.ok(!isRef(0x7f));
  assert.equal(formatType(0x7e), 'i64');
});

test('abstract heap-type lattice: any > eq > i31/struct/array > none; func > nofunc; extern > noextern', () => {
  for (const [a, b] of [[EQ, ANY], [I31, EQ], [STRUCT, EQ], [ARRAY, ANY], [NONE, I31], [NONE, ANY], [NOFUNC, FUNC], [NOEXTERN, EXTERN]]) {
    assert.ok(matchHeap(a!, b!), `${a} <: ${b}`);
    assert.ok(!matchHeap(b!, a!), `not ${b} <: ${a}`);
  }
  assert.ok(!matchHeap(FUNC, ANY), 'func is its own hierarchy');
  assert.ok(!matchHeap(NONE, FUNC), 'none is not a function bottom');
  assert.ok(!matchHeap(I31, STRUCT));
  assert.ok(matchValType(refOf(false, I31), refOf(true, ANY)), 'non-null <: nullable');
  assert.ok(!matchValType(refOf(true, I31), refOf(false, ANY)), 'nullable is not <: non-null');
  assert.ok(!matchValType(0x7f, 0x7e));
});

const struct = (fields: number[], supers: number[] = [], final = false): SubType =>
  ({ final, supers, comp: { kind: 'struct', fields: fields.map((type) => ({ type, mutable: false })) } });
const func = (params: number[], results: number[]): SubType => ({ final: true, supers: [], comp: { kind: 'func', params, results } });
const one = (n: number): RecGroup[] => Array.from({ length: n }, (_, i) => ({ start: i, size: 1 }));

test('declared subtypes: a struct with more fields below its supertype, concrete types below the abstract ones', () => {
  const ids = canonicalize([struct([0x7f]), struct([0x7f, 0x7e], [0]), func([], [])], one(3));
  const [a, b, f] = ids.map(concreteHeap) as [number, number, number];
  assert.ok(matchHeap(b, a));
  assert.ok(!matchHeap(a, b));
  assert.ok(matchHeap(a, STRUCT) && matchHeap(a, EQ) && matchHeap(a, ANY) && !matchHeap(a, ARRAY));
  assert.ok(matchHeap(NONE, b) && !matchHeap(NOFUNC, b));
  assert.ok(matchHeap(f, FUNC) && matchHeap(NOFUNC, f) && !matchHeap(f, ANY));
});

test('canonical equality: equal rec groups get equal ids across modules; group shape and position matter', () => {
  // (rec (type $a (struct (field (ref null $b)))) (type $b (struct (field (ref null $a)))))
  const pair = (): SubType[] => [struct([refOf(true, concreteHeap(1))], [], true), struct([refOf(true, concreteHeap(0))], [], true)];
  const m1 = canonicalize(pair(), [{ start: 0, size: 2 }]);
  const m2 = canonicalize([func([], []), ...pair().map((s) => ({ ...s, comp: shift(s.comp, 1) }))], [{ start: 0, size: 1 }, { start: 1, size: 2 }]);
  assert.deepEqual(m2.slice(1), m1, 'the same group in another module, at another index');
  assert.equal(m1[0] === m1[1], false, 'two members of one group are distinct types');
  // The same two structs as separate groups are not the recursive pair.
  const apart = canonicalize([struct([0x7f], [], true), struct([0x7f], [], true)], one(2));
  assert.equal(apart[0], apart[1], 'identical lone types are one type');
});

function shift(c: SubType['comp'], by: number): SubType['comp'] {
  if (c.kind !== 'struct') return c;
  return { kind: 'struct', fields: c.fields.map((f) => ({ ...f, type: f.type >= 0x200 ? f.type + 2 * by : f.type })) };
}

test('decoder: rec/sub/struct/array type section forms, and a final supertype is a validation error', () => {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  // type section: rec { sub [] struct (field (mut i32)) ; sub final [0] struct (field (mut i32)) (field i8) } ; array (ref null 0)
  const body = [0x02, 0x4e, 0x02, 0x50, 0x00, 0x5f, 0x01, 0x7f, 0x01, 0x4f, 0x01, 0x00, 0x5f, 0x02, 0x7f, 0x01, 0x78, 0x00,
    0x5e, 0x63, 0x00, 0x01];
  const m = decodeModule(new Uint8Array([...header, 0x01, body.length, ...body]));
  assert.equal(m.subTypes.length, 3);
  assert.deepEqual(m.recGroups, [{ start: 0, size: 2 }, { start: 2, size: 1 }]);
  assert.equal(m.subTypes[1]!.final, true);
  assert.deepEqual(m.subTypes[1]!.supers, [0]);
  assert.equal(m.subTypes[2]!.comp.kind, 'array');
  const ctx = buildContext(m);
  assert.ok(matchHeap(concreteHeap(ctx.canon[1]!), concreteHeap(ctx.canon[0]!)));

  // sub final [] struct ; sub [0] struct: the supertype is final.
  const bad = [0x02, 0x4f, 0x00, 0x5f, 0x00, 0x50, 0x01, 0x00, 0x5f, 0x00];
  assert.throws(() => buildContext(decodeModule(new Uint8Array([...header, 0x01, bad.length, ...bad]))), ValidationError);
});
