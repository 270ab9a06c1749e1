// Linking between instances: shared memory, table and mutable global; calls through imports and
// a shared table; link errors; Wasm 2.0 segment initialisation that traps part-way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../../core/binary';
import { LinkError, Trap } from '../../../core/errors';
import { GlobalInstance, compileModule, instantiate, invoke, type Imports, type Instance, type Value } from '../../../core/interp';
import { fixtureDir } from './debug-helpers';

const compiled = (name: string) => compileModule(decodeModule(readFileSync(join(fixtureDir, name))));
const i32 = (value: number): Value => ({ type: 'i32', value });
const exportsOf = (inst: Instance): Imports[string] => ({ ...inst.exports });

test('an instance links to another one: calls, memory, table and global are shared', () => {
  const ex = instantiate(compiled('exporter.wasm'));
  const im = instantiate(compiled('importer.wasm'), { ex: exportsOf(ex) });
  assert.deepEqual(invoke(im, 'quad', [i32(5)]), [i32(20)]);
  // The importer's data segment landed in the exporter's memory.
  assert.deepEqual(invoke(ex, 'load', [i32(16)]), [i32(42)]);
  invoke(im, 'store', [i32(32), i32(-9)]);
  assert.deepEqual(invoke(ex, 'load', [i32(32)]), [i32(-9)]);
  // call_indirect through the exporter's table reaches the exporter's function.
  assert.deepEqual(invoke(im, 'via_table', [i32(21), i32(0)]), [i32(42)]);
  assert.throws(() => invoke(im, 'via_table', [i32(1), i32(1)]), (e: unknown) => e instanceof Trap && e.message.startsWith('uninitialized element'));
  assert.throws(() => invoke(im, 'via_table', [i32(1), i32(9)]), (e: unknown) => e instanceof Trap && e.message === 'undefined element');
  invoke(ex, 'bump', []);
  assert.deepEqual(invoke(im, 'get_g', []), [i32(8)]);
});

test('missing or mismatched imports are LinkErrors naming the import', () => {
  const ex = instantiate(compiled('exporter.wasm'));
  const imports = exportsOf(ex);
  assert.throws(() => instantiate(compiled('importer.wasm'), { ex: { ...imports, g: undefined as never } }),
    (e: unknown) => e instanceof LinkError && e.message.startsWith('unknown import') && e.field === 'g');
  assert.throws(() => instantiate(compiled('importer.wasm'), { ex: { ...imports, g: new GlobalInstance(0x7f, false, i32(1)) } }),
    (e: unknown) => e instanceof LinkError && e.message.startsWith('incompatible import type'));
  assert.throws(() => instantiate(compiled('importer.wasm'), { ex: { ...imports, double: imports.bump! } }),
    (e: unknown) => e instanceof LinkError && e.module === 'ex' && e.field === 'double');
});

test('a data segment out of bounds traps instantiation after earlier segments were written', () => {
  const ex = instantiate(compiled('exporter.wasm'));
  assert.throws(() => instantiate(compiled('bad-segments.wasm'), { ex: exportsOf(ex) }),
    (e: unknown) => e instanceof Trap && e.message === 'out of bounds memory access');
  assert.deepEqual(invoke(ex, 'load', [i32(100)]), [i32(0x0201)]);
});
