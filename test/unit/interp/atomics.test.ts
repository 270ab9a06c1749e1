// Atomic instructions where an implementation goes wrong: narrow rmw forms wrap at their width and
// zero-extend the old value, cmpxchg compares the wrapped expected value, i64 halves, the trap order
// (bounds before alignment), wait on unshared memory, wait/notify through ThreadHooks, the
// alignment rule of the validator, shared-ness in import matching, and the feature switch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { FeatureError } from '../../../core/features';
import { LinkError, ValidationError } from '../../../core/errors';
import { Machine, MemoryInstance, compileModule, instantiate, invoke, type Instance, type ThreadHooks, type Value } from '../../../core/interp';
import { watToBinary } from '../../../core/text';
import { runWast } from '../../../core/wast';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function load(wat: string, imports?: Parameters<typeof instantiate>[1]): Instance {
  return instantiate(compileModule(decodeModule(watToBinary(wat).bytes)), imports);
}
const I32 = (value: number): Value => ({ type: 'i32', value });
const I64 = (value: bigint): Value => ({ type: 'i64', value });

const m = load(`(module
  (memory 1 1 shared)
  (func (export "add8") (param i32 i32) (result i32) (i32.atomic.rmw8.add_u (local.get 0) (local.get 1)))
  (func (export "sub16_64") (param i32 i64) (result i64) (i64.atomic.rmw16.sub_u (local.get 0) (local.get 1)))
  (func (export "xchg64") (param i32 i64) (result i64) (i64.atomic.rmw.xchg (local.get 0) (local.get 1)))
  (func (export "cas8") (param i32 i32 i32) (result i32) (i32.atomic.rmw8.cmpxchg_u (local.get 0) (local.get 1) (local.get 2)))
  (func (export "cas64") (param i32 i64 i64) (result i64) (i64.atomic.rmw.cmpxchg (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load64") (param i32) (result i64) (i64.atomic.load (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.atomic.load8_u (local.get 0)))
  (func (export "store32") (param i32 i64) (i64.atomic.store32 (local.get 0) (local.get 1)))
  (func (export "wait32") (param i32 i32 i64) (result i32) (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1)))
  (func (export "fence") (atomic.fence)))`);

test('narrow rmw wraps at its width and returns the old value zero-extended', () => {
  assert.deepEqual(invoke(m, 'add8', [I32(0), I32(0xff)]), [I32(0)]);
  assert.deepEqual(invoke(m, 'add8', [I32(0), I32(2)]), [I32(0xff)]);
  assert.deepEqual(invoke(m, 'load8', [I32(0)]), [I32(1)]);
  assert.deepEqual(invoke(m, 'load8', [I32(1)]), [I32(0)], 'the carry does not reach the next byte');
  assert.deepEqual(invoke(m, 'sub16_64', [I32(8), I64(1n)]), [I64(0n)]);
  assert.deepEqual(invoke(m, 'load64', [I32(8)]), [I64(0xffffn)]);
});

test('i64 rmw and store32 keep both halves', () => {
  assert.deepEqual(invoke(m, 'xchg64', [I32(16), I64(0x1234567890abcdefn)]), [I64(0n)]);
  assert.deepEqual(invoke(m, 'xchg64', [I32(16), I64(-1n)]), [I64(0x1234567890abcdefn)]);
  invoke(m, 'store32', [I32(16), I64(0x1_0000_0005n)]);
  assert.deepEqual(invoke(m, 'load64', [I32(16)]), [I64(BigInt.asIntN(64, 0xffffffff00000005n))]);
});

test('cmpxchg compares the expected value wrapped to the access width', () => {
  invoke(m, 'cas8', [I32(24), I32(0), I32(0x7f)]);
  assert.deepEqual(invoke(m, 'cas8', [I32(24), I32(0x17f), I32(9)]), [I32(0x7f)]);
  assert.deepEqual(invoke(m, 'load8', [I32(24)]), [I32(9)]);
  assert.deepEqual(invoke(m, 'cas64', [I32(32), I64(1n), I64(5n)]), [I64(0n)], 'mismatch: no write');
  assert.deepEqual(invoke(m, 'load64', [I32(32)]), [I64(0n)]);
});

test('traps: bounds before alignment, unaligned atomic', () => {
  assert.throws(() => invoke(m, 'load64', [I32(65535)]), /out of bounds memory access/);
  assert.throws(() => invoke(m, 'load64', [I32(4)]), /unaligned atomic/);
  assert.throws(() => invoke(m, 'xchg64', [I32(1), I64(0n)]), /unaligned atomic/);
});

test('wait without a scheduler: not-equal, timed out, deadlock without a timeout; notify wakes none', () => {
  assert.deepEqual(invoke(m, 'wait32', [I32(40), I32(1), I64(-1n)]), [I32(1)]);
  assert.deepEqual(invoke(m, 'wait32', [I32(40), I32(0), I64(1000n)]), [I32(2)]);
  assert.throws(() => invoke(m, 'wait32', [I32(40), I32(0), I64(-1n)]), /deadlock/);
  assert.deepEqual(invoke(m, 'notify', [I32(40), I32(5)]), [I32(0)]);
  assert.deepEqual(invoke(m, 'fence', []), []);
});

test('wait on an unshared memory traps', () => {
  const u = load(`(module (memory 1)
    (func (export "w") (result i32) (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 0))))`);
  assert.throws(() => invoke(u, 'w', []), /expected shared memory/);
});

test('a parked wait resumes through finishWait with the scheduler\'s result', () => {
  const calls: string[] = [];
  const hooks: ThreadHooks = {
    wait: (_mem, addr, timeout) => { calls.push(`wait ${addr} ${timeout}`); return true; },
    notify: (_mem, addr, count) => { calls.push(`notify ${addr} ${count}`); return 3; },
  };
  const machine = new Machine();
  machine.threads = hooks;
  machine.start(m, 'wait32', [I32(44), I32(0), I64(-1n)]);
  assert.equal(machine.run().reason, 'blocked');
  assert.equal(machine.run().reason, 'blocked', 'running again without finishWait waits again');
  machine.finishWait(0);
  assert.deepEqual(machine.run(), { reason: 'finished', results: [I32(0)] });
  assert.deepEqual(calls, ['wait 44 -1', 'wait 44 -1']);
  const n = new Machine();
  n.threads = hooks;
  n.start(m, 'notify', [I32(44), I32(2)]);
  assert.deepEqual(n.run(), { reason: 'finished', results: [I32(3)] });
});

test('atomics on memory 1 and on an i64 memory (test/fixtures/engine/threads/multi-memory-atomics.wast)', () => {
  const file = join(import.meta.dirname, '..', '..', 'fixtures', 'engine', 'threads', 'multi-memory-atomics.wast');
  const r = runWast(readFileSync(file, 'utf8'), 'multi-memory-atomics.wast');
  assert.equal(r.failed, 0, r.failures.map((f) => `${f.line}: ${f.message}`).join('\n'));
  assert.ok(r.passed >= 40);
});

test('a parked wait on memory 1 or an i64 memory gives the scheduler that memory and the address', () => {
  const two = load(`(module (memory 1 1 shared) (memory $b 1 1 shared) (memory $c i64 1 1 shared)
    (export "b" (memory $b)) (export "c" (memory $c))
    (func (export "wait_b") (result i32) (memory.atomic.wait32 $b (i32.const 12) (i32.const 0) (i64.const -1)))
    (func (export "wait_c") (result i32) (memory.atomic.wait64 $c (i64.const 16) (i64.const 0) (i64.const -1)))
    (func (export "notify_c") (result i32) (memory.atomic.notify $c offset=8 (i64.const 8) (i32.const 1))))`);
  const seen: [MemoryInstance, number][] = [];
  const hooks: ThreadHooks = {
    wait: (mem, addr) => { seen.push([mem, addr]); return true; },
    notify: (mem, addr) => { seen.push([mem, addr]); return 1; },
  };
  for (const name of ['wait_b', 'wait_c']) {
    const machine = new Machine();
    machine.threads = hooks;
    machine.start(two, name, []);
    assert.equal(machine.run().reason, 'blocked');
    machine.finishWait(0);
    assert.deepEqual(machine.run(), { reason: 'finished', results: [I32(0)] });
  }
  const n = new Machine();
  n.threads = hooks;
  n.start(two, 'notify_c', []);
  assert.deepEqual(n.run(), { reason: 'finished', results: [I32(1)] });
  const b = two.exports.b;
  const c = two.exports.c;
  assert.deepEqual(seen, [[b, 12], [c, 16], [c, 16]]);
});

test('validation: atomic alignment must equal the natural alignment; shared needs a maximum', () => {
  const bad = (wat: string, msg: RegExp): void => {
    assert.throws(() => compileModule(decodeModule(watToBinary(wat).bytes)), (e: unknown) => e instanceof ValidationError && msg.test(e.message));
  };
  bad('(module (memory 1 1 shared) (func (drop (i32.atomic.load align=2 (i32.const 0)))))', /natural alignment/);
  bad('(module (memory 1 1 shared) (func (drop (i64.atomic.load align=4 (i32.const 0)))))', /natural alignment/);
  bad('(module (memory 1 shared))', /shared memory must have maximum/);
  bad('(module (memory 1 1 shared) (func (drop (i32.atomic.rmw.add (i32.const 0) (i64.const 0)))))', /type mismatch/);
});

test('shared-ness must match on import', () => {
  const shared = new MemoryInstance(1, 2);
  shared.shared = true;
  const plain = new MemoryInstance(1, 2);
  load('(module (import "m" "mem" (memory 1 2 shared)))', { m: { mem: shared } });
  assert.throws(() => load('(module (import "m" "mem" (memory 1 2 shared)))', { m: { mem: plain } }), LinkError);
  assert.throws(() => load('(module (import "m" "mem" (memory 1 2)))', { m: { mem: shared } }), LinkError);
});

test('with threads off, a shared memory and an atomic instruction are named in the error', () => {
  const sharedBytes = watToBinary('(module (memory 1 1 shared))').bytes;
  assert.throws(() => decodeModule(sharedBytes, { features: { threads: false } }),
    (e: unknown) => e instanceof FeatureError && /threads are disabled: a shared memory at 0x/.test(e.message));
  const fence = watToBinary('(module (func (atomic.fence)))').bytes;
  assert.throws(() => decodeModule(fence, { features: { threads: false } }),
    (e: unknown) => e instanceof FeatureError && /threads are disabled: atomic.fence at 0x/.test(e.message));
});
