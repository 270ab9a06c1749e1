// Linear memory growth: memory.grow keeps the contents and grows the store in place (no copy of
// the whole memory per grow, no dead copy left for the GC: a C program's malloc grows a few pages
// at a time); the limits hold; time travel can shrink a memory back (reset).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { watToBinary } from '../../../core/text';
import { MemoryInstance, PAGE_SIZE, compileModule, instantiate, invoke } from '../../../core/interp';

test('grow keeps the bytes, returns the old size, and refuses past the maximum', () => {
  const mem = new MemoryInstance(1, 3);
  mem.u8[0] = 7;
  mem.dv.setInt32(PAGE_SIZE - 4, -2, true);
  assert.equal(mem.grow(1), 1);
  assert.equal(mem.pages, 2);
  assert.equal(mem.u8.length, 2 * PAGE_SIZE);
  assert.equal(mem.u8[0], 7);
  assert.equal(mem.dv.getInt32(PAGE_SIZE - 4, true), -2);
  assert.equal(mem.u8[2 * PAGE_SIZE - 1], 0, 'new pages are zero');
  assert.equal(mem.grow(0), 2);
  assert.equal(mem.grow(2), -1, 'past the maximum');
  assert.equal(mem.grow(1), 2);
  assert.equal(mem.grow(1), -1);
  assert.equal(mem.pages, 3);
});

test('grow is in place: the old buffer is detached, not left behind as a copy', () => {
  const mem = new MemoryInstance(1, undefined);
  const before = mem.buffer;
  mem.grow(1);
  assert.notEqual(mem.buffer, before);
  assert.equal(before.byteLength, 0, 'the store grew in place (a copy would leave the old buffer whole)');
  // page by page to 512 pages (32 MiB): each grow is cheap, whatever the size already reached
  const t0 = performance.now();
  for (let i = 0; i < 510; i++) mem.grow(1);
  assert.equal(mem.pages, 512);
  assert.ok(performance.now() - t0 < 2000, `510 grows took ${performance.now() - t0} ms`);
});

test('reset gives a zeroed memory of any size, and it grows again', () => {
  const mem = new MemoryInstance(2, 4);
  mem.u8[5] = 1;
  mem.reset(1);
  assert.equal(mem.pages, 1);
  assert.equal(mem.u8[5], 0);
  assert.equal(mem.grow(3), 1);
  assert.equal(mem.grow(1), -1, 'the maximum still holds');
});

test('memory.grow in a program: contents, sizes and loads past the old end', () => {
  const wat = `(module (memory 1 10)
    (func (export "run") (result i32)
      (i32.store (i32.const 100) (i32.const 42))
      (drop (memory.grow (i32.const 2)))
      (i32.store (i32.const 131072) (i32.const 5))
      (i32.add (i32.add (i32.load (i32.const 100)) (i32.load (i32.const 131072))) (memory.size))))`;
  const instance = instantiate(compileModule(decodeModule(watToBinary(wat).bytes)), {});
  assert.deepEqual(invoke(instance, 'run', []), [{ type: 'i32', value: 42 + 5 + 3 }]);
});
