// Validation of multi-memory, memory64 and table64: the address type of each memory or table types
// every load, store, bulk and table operation; limits ranges; the multiple-memories rule of Wasm 2.0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { ValidationError } from '../../../core/errors';
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
const valid = (wat: string) => assert.doesNotThrow(() => compileModule(decodeModule(watToBinary(wat).bytes)));

test('an i64 memory takes i64 addresses and sizes; an i32 memory takes i32 ones', () => {
  valid('(module (memory i64 1) (func (result i64) (i64.load (i64.const 0)) (drop) (memory.grow (i64.const 1))))');
  invalid('(module (memory i64 1) (func (drop (i32.load (i32.const 0)))))', /type mismatch/);
  invalid('(module (memory 1) (memory i64 1) (func (drop (i32.load 1 (i32.const 0)))))', /type mismatch/);
  invalid('(module (memory 1) (memory i64 1) (func (result i32) (memory.size 1)))', /type mismatch/);
  invalid('(module (memory i64 1) (func (memory.fill (i64.const 0) (i32.const 0) (i32.const 1))))', /type mismatch/);
  invalid('(module (memory i64 1) (data $d "") (func (memory.init $d (i64.const 0) (i64.const 0) (i32.const 0))))', /type mismatch/);
});

test('memory.copy between an i32 and an i64 memory: each address its own type, the length the smaller', () => {
  valid('(module (memory $a 1) (memory $b i64 1) (func (memory.copy $a $b (i32.const 0) (i64.const 0) (i32.const 1))))');
  valid('(module (memory $a 1) (memory $b i64 1) (func (memory.copy $b $a (i64.const 0) (i32.const 0) (i32.const 1))))');
  invalid('(module (memory $a 1) (memory $b i64 1) (func (memory.copy $b $a (i64.const 0) (i32.const 0) (i64.const 1))))', /type mismatch/);
});

test('a table64 takes i64 indices, also in call_indirect', () => {
  valid('(module (type $t (func)) (table i64 1 funcref) (func (call_indirect (type $t) (i64.const 0)) (drop (table.grow (ref.null func) (i64.const 1)))))');
  invalid('(module (type $t (func)) (table i64 1 funcref) (func (call_indirect (type $t) (i32.const 0))))', /type mismatch/);
  invalid('(module (table i64 1 funcref) (func (result i32) (table.size 0)))', /type mismatch/);
});

test('limits: an i64 memory may have more than 65536 pages; unknown memories are named', () => {
  valid('(module (memory i64 0 0x1_0000_0000))');
  invalid('(module (memory 0 65537))', /memory size must be at most 65536 pages/);
  invalid('(module (memory i64 0 0x1_0000_0000_0001))', /memory size must be at most/);
  // Wasm 3.0 writes every bound as a u64: an i32 memory or table past 2^32 is invalid, not malformed
  invalid('(module (memory 0x1_0000_0000))', /memory size must be at most 65536 pages/);
  invalid('(module (memory (import "M" "m") 0 0x1_0000_0000))', /memory size must be at most 65536 pages/);
  invalid('(module (table 0x1_0000_0000 funcref))', /table size must be at most 2\^32-1/);
  valid('(module (table 0xffff_ffff funcref) (table i64 0x1_0000_0000 funcref))');
});

test('more than one memory needs multi-memory', () => {
  valid('(module (memory 1) (memory 1))');
  invalid('(module (memory 1) (memory 1))', /multiple memories/, { multiMemory: false });
});
