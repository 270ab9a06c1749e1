// The Canonical ABI (core/component/abi.ts + canon.ts) on its own: layouts and flattening from
// CanonicalABI.md's rules, every WIT type lowered and lifted back (flat and through memory), the
// three string encodings byte for byte, realloc's arguments, and handle-table rules for resources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coreSignature, flatten, layout } from '../../../core/component/abi';
import {
  HandleTable, UTF16_TAG, liftFlatValues, load, loadTuple, lowerFlat, store, storeTuple, type CallContext, type Flat,
} from '../../../core/component/canon';
import type { FuncType, ResourceType, ValType } from '../../../core/component/types';
import { Trap } from '../../../core/errors';
import { FuncInstance, MemoryInstance } from '../../../core/interp';

const prim = (p: string): ValType => ({ kind: 'prim', prim: p } as ValType);
const u8 = prim('u8');
const u32 = prim('u32');
const s64 = prim('s64');
const f32 = prim('f32');
const f64 = prim('f64');
const str = prim('string');
const record = (...fields: [string, ValType][]): ValType => ({ kind: 'record', fields: fields.map(([name, type]) => ({ name, type })) });
const variant = (...cases: [string, ValType | undefined][]): ValType => ({ kind: 'variant', cases: cases.map(([name, type]) => ({ name, type })) });
const list = (elem: ValType): ValType => ({ kind: 'list', elem });

/** A context over one page of memory whose realloc is a bump allocator that records its calls. */
function context(encoding: CallContext['encoding'] = 'utf8'): { cx: CallContext; reallocs: Flat[][] } {
  const memory = new MemoryInstance(1, undefined);
  const realloc = new FuncInstance({ params: [0x7f, 0x7f, 0x7f, 0x7f], results: [0x7f] }, undefined, -1, undefined, undefined);
  const reallocs: Flat[][] = [];
  let next = 1024;
  const cx: CallContext = {
    memory, realloc, encoding, handles: new HandleTable(),
    call: (f, args) => {
      assert.equal(f, realloc);
      reallocs.push(args);
      const align = Number(args[2]);
      next = Math.ceil(next / align) * align;
      const p = next;
      next += Number(args[3]);
      return [p];
    },
  };
  return { cx, reallocs };
}

test('layout: sizes and alignments follow CanonicalABI.md', () => {
  assert.deepEqual(layout(record(['a', u8], ['b', u32], ['c', u8])), { size: 12, align: 4 });
  assert.deepEqual(layout(record(['a', u8], ['b', s64])), { size: 16, align: 8 });
  assert.deepEqual(layout(str), { size: 8, align: 4 });
  assert.deepEqual(layout({ kind: 'option', elem: f64 }), { size: 16, align: 8 });
  assert.deepEqual(layout({ kind: 'result', ok: undefined, err: undefined }), { size: 1, align: 1 });
  assert.deepEqual(layout({ kind: 'flags', names: Array.from({ length: 9 }, (_, i) => `f${i}`) }), { size: 2, align: 2 });
  assert.deepEqual(layout({ kind: 'flags', names: Array.from({ length: 33 }, (_, i) => `f${i}`) }), { size: 8, align: 4 });
  const wide = variant(...Array.from({ length: 257 }, (_, i): [string, ValType | undefined] => [`c${i}`, undefined]));
  assert.deepEqual(layout(wide), { size: 2, align: 2 });
  assert.deepEqual(layout({ kind: 'enum', names: ['a', 'b'] }), { size: 1, align: 1 });
});

test('flatten: variants join their cases slot by slot (i32+f32 → i32, anything else wider → i64)', () => {
  assert.deepEqual(flatten(variant(['a', u32], ['b', f32])), ['i32', 'i32']);
  assert.deepEqual(flatten(variant(['a', f32], ['b', s64])), ['i32', 'i64']);
  assert.deepEqual(flatten(variant(['a', f64], ['b', { kind: 'tuple', elems: [u32, u32] }])), ['i32', 'i64', 'i32']);
  assert.deepEqual(flatten({ kind: 'result', ok: str, err: undefined }), ['i32', 'i32', 'i32']);
});

test('coreSignature: more than 16 flat params go through memory; more than one result spills', () => {
  const many: FuncType = { kind: 'func', async: false, params: Array.from({ length: 17 }, (_, i) => ({ name: `p${i}`, type: u32 })), result: str };
  assert.deepEqual(coreSignature(many, 'lift'), { params: ['i32'], results: ['i32'], paramsInMemory: true, resultsInMemory: true });
  assert.deepEqual(coreSignature(many, 'lower'), { params: ['i32', 'i32'], results: [], paramsInMemory: true, resultsInMemory: true });
  const one: FuncType = { kind: 'func', async: false, params: [{ name: 'x', type: f64 }], result: u32 };
  assert.deepEqual(coreSignature(one, 'lower'), { params: ['f64'], results: ['i32'], paramsInMemory: false, resultsInMemory: false });
});

test('flat round trip of records, variants with joined slots, options, results, enums, flags, tuples', () => {
  const { cx } = context();
  const cases: [ValType, unknown][] = [
    [record(['x', u8], ['y', s64], ['z', f32]), { x: 200, y: -5n, z: 1.5 }],
    [variant(['a', u32], ['b', f32], ['c', undefined]), { tag: 'b', val: 2.25 }],
    [variant(['a', f64], ['b', s64]), { tag: 'a', val: -0.5 }],
    [variant(['a', f32], ['b', s64]), { tag: 'a', val: 3.5 }],
    [{ kind: 'option', elem: u32 }, { tag: 'none' }],
    [{ kind: 'option', elem: u32 }, { tag: 'some', val: 0xffffffff }],
    [{ kind: 'result', ok: undefined, err: { kind: 'enum', names: ['x', 'y', 'z'] } }, { tag: 'err', val: 'z' }],
    [{ kind: 'flags', names: Array.from({ length: 40 }, (_, i) => `f${i}`) }, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, i % 3 === 0]))],
    [{ kind: 'tuple', elems: [prim('bool'), prim('char'), prim('s16')] }, [true, '😀', -2]],
  ];
  for (const [i, [t, v]] of cases.entries()) {
    const flat = lowerFlat(cx, t, v);
    assert.equal(flat.length, flatten(t).length, `case ${i}`);
    flat.forEach((f, i) => assert.equal(typeof f, flatten(t)[i] === 'i64' ? 'bigint' : 'number'));
    assert.deepEqual(liftFlatValues(cx, [t], flat)[0], v);
  }
});

test('memory round trip: a list of records with strings and variants, stored as a tuple', () => {
  const { cx } = context();
  const t = list(record(['name', str], ['size', { kind: 'option', elem: prim('u64') }], ['kind', variant(['file', undefined], ['link', str])]));
  const v = [
    { name: 'a.txt', size: { tag: 'some', val: 12n }, kind: { tag: 'file' } },
    { name: 'ünï', size: { tag: 'none' }, kind: { tag: 'link', val: '../b' } },
  ];
  storeTuple(cx, [t, u32], [v, 7], 64);
  assert.deepEqual(loadTuple(cx, [t, u32], 64), [v, 7]);
  const bytes = new Uint8Array([1, 2, 3]);
  store(cx, list(u8), bytes, 128);
  assert.deepEqual(load(cx, list(u8), 128), bytes);
});

test('strings: utf8, utf16 and latin1+utf16 bytes and lengths, realloc(0, 0, align, size)', () => {
  {
    const { cx, reallocs } = context('utf8');
    const [p, n] = lowerFlat(cx, str, 'héllo') as number[];
    assert.equal(n, 6);
    assert.deepEqual([...cx.memory!.u8.subarray(p!, p! + 6)], [0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f]);
    assert.deepEqual(reallocs, [[0, 0, 1, 6]]);
    assert.equal(liftFlatValues(cx, [str], [p!, n!])[0], 'héllo');
  }
  {
    const { cx, reallocs } = context('utf16');
    const [p, n] = lowerFlat(cx, str, 'a😀') as number[];
    assert.equal(n, 3); // code units
    assert.deepEqual(reallocs, [[0, 0, 2, 6]]);
    assert.deepEqual([...cx.memory!.u8.subarray(p!, p! + 2)], [0x61, 0]);
    assert.equal(liftFlatValues(cx, [str], [p!, n!])[0], 'a😀');
  }
  {
    const { cx } = context('latin1+utf16');
    const [p, n] = lowerFlat(cx, str, 'café') as number[];
    assert.equal(n, 4);
    assert.equal(cx.memory!.u8[p! + 3], 0xe9);
    assert.equal(liftFlatValues(cx, [str], [p!, n!])[0], 'café');
    const [q, m] = lowerFlat(cx, str, 'Ωmega') as number[];
    assert.equal(m, 5 | UTF16_TAG); // i32 with the JS-API convention: the tag is the sign bit
    assert.equal(liftFlatValues(cx, [str], [q!, m!])[0], 'Ωmega');
  }
  const { cx } = context('utf8');
  cx.memory!.u8.set([0xff, 0xfe], 10);
  assert.throws(() => liftFlatValues(cx, [str], [10, 2]), (e: unknown) => e instanceof Trap && /invalid utf8/.test(e.message));
  assert.throws(() => liftFlatValues(cx, [str], [65530, 100]), (e: unknown) => e instanceof Trap && /out of bounds/.test(e.message));
});

test('lifting rejects what the ABI forbids: bad discriminants, bad chars, misaligned pointers', () => {
  const { cx } = context();
  assert.throws(() => liftFlatValues(cx, [variant(['a', undefined], ['b', undefined])], [2]), Trap);
  assert.throws(() => liftFlatValues(cx, [prim('char')], [0xd800]), Trap);
  assert.throws(() => liftFlatValues(cx, [{ kind: 'enum', names: ['a'] }], [1]), Trap);
  assert.throws(() => load(cx, u32, 2), (e: unknown) => e instanceof Trap && /misaligned/.test(e.message));
});

test('handles: own moves out of the table, borrow leaves it, unknown or mistyped handles trap', () => {
  const { cx } = context();
  const res: ResourceType = { kind: 'resource', name: 'descriptor' };
  const other: ResourceType = { kind: 'resource', name: 'stream' };
  const host = { file: 'x' };
  const [h] = lowerFlat(cx, { kind: 'own', resource: res }, host) as number[];
  assert.ok(h! > 0);
  assert.equal(liftFlatValues(cx, [{ kind: 'borrow', resource: res }], [h!])[0], host);
  assert.throws(() => liftFlatValues(cx, [{ kind: 'own', resource: other }], [h!]), (e: unknown) => e instanceof Trap && /not a stream/.test(e.message));
  assert.equal(liftFlatValues(cx, [{ kind: 'own', resource: res }], [h!])[0], host);
  assert.throws(() => liftFlatValues(cx, [{ kind: 'borrow', resource: res }], [h!]), (e: unknown) => e instanceof Trap && /unknown handle/.test(e.message));
  const table = new HandleTable();
  const i = table.add({ resource: res, rep: 1, own: true, lends: 1 });
  assert.throws(() => table.remove(i, res), (e: unknown) => e instanceof Trap && /outstanding borrow/.test(e.message));
});
