// The time-travel recorder: exact tick counts, snapshots restored exactly (memory, globals, stack),
// host calls replayed from the log (never called twice), passes of sites found newest first, and
// the history bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { watToBinary } from '../../../core/text';
import { Machine, Recorder, compileModule, instantiate, type HostFunction, type Instance, type Value } from '../../../core/interp';

const WAT = `(module
  (import "host" "next" (func $next (result i32)))
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func $step (param $i i32)
    (i32.store (i32.mul (local.get $i) (i32.const 4)) (call $next))
    (global.set $g (i32.add (global.get $g) (local.get $i))))
  (func (export "main") (param $n i32) (result i32)
    (local $i i32)
    (loop $l
      (call $step (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (global.get $g)))`;

function setup(options: { maxBytes?: number; minIntervalMs?: number } = {}): { m: Machine; rec: Recorder; instance: Instance; calls: () => number } {
  let calls = 0;
  const holder: { rec?: Recorder } = {};
  const next = (): number => ++calls * 10;
  const module = decodeModule(watToBinary(WAT).bytes);
  const imports = { host: { next: ((...a: never[]) => holder.rec!.wrapHost(next as HostFunction)(...a)) as HostFunction } };
  const instance = instantiate(compileModule(module, { fuse: false }), imports);
  const m = new Machine();
  const rec = new Recorder(m, instance, { minIntervalMs: 0, ...options });
  holder.rec = rec;
  return { m, rec, instance, calls: () => calls };
}

const i32 = (value: number): Value => ({ type: 'i32', value });
const mem = (instance: Instance, i: number): number => instance.memories[0]!.dv.getInt32(i * 4, true);

test('ticks count calls and loop iterations exactly, however the run is sliced', () => {
  const a = setup();
  a.m.start(a.instance, 'main', [i32(100)]);
  assert.equal(a.m.run().reason, 'finished');
  const whole = a.m.ticks;
  const b = setup();
  b.m.start(b.instance, 'main', [i32(100)]);
  let r;
  do r = b.m.run(3); while (r.reason === 'budget');
  assert.equal(r.reason, 'finished');
  assert.equal(b.m.ticks, whole);
  // 100 calls of $step, 100 of $next, 99 loop back edges
  assert.equal(whole, 299);
});

test('going back restores memory, globals and the stack exactly, and replays host calls from the log', () => {
  const { m, rec, instance, calls } = setup();
  m.start(instance, 'main', [i32(50)]);
  rec.snapshot();
  const step = instance.funcs.findIndex((f) => f.name === 'step');
  // Stop at the entry of every 10th $step call, snapshotting on the way.
  const points = [];
  for (let k = 0; k < 5; k++) {
    const r = m.run(20);
    assert.equal(r.reason, 'budget');
    rec.snapshot();
    points.push({ at: m.position()!, g: instance.globals[0]!.value, mem: [mem(instance, 0), mem(instance, 5)] });
  }
  const callsSoFar = calls();
  // Look back for passes of $step's first instruction: newest first, each a real earlier time.
  const hits = [...rec.hitsBefore([{ funcIndex: step }], Infinity)].filter((h) => h.pc === 0);
  assert.ok(hits.length >= 30, `found ${hits.length}`);
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i]!.ticks < hits[i - 1]!.ticks);
  // Looked for from the end backwards (tail first), the same passes in the same order.
  rec.goTo(points.at(-1)!.at);
  const tailHits = [...rec.hitsBefore([{ funcIndex: step }], Infinity, true)].filter((h) => h.pc === 0);
  assert.deepEqual(tailHits.map((h) => h.ticks), hits.map((h) => h.ticks));
  rec.goTo(points.at(-1)!.at);
  for (const p of points.slice().reverse()) {
    rec.goTo(p.at);
    assert.deepEqual(instance.globals[0]!.value, p.g);
    assert.deepEqual([mem(instance, 0), mem(instance, 5)], p.mem);
    assert.deepEqual(m.position(), p.at);
  }
  assert.equal(calls(), callsSoFar, 'no host call was made again');
  // From the earliest point, running on replays the log then goes live: the same final result.
  rec.goToStart();
  assert.equal(mem(instance, 0), 0);
  const r = m.run();
  assert.equal(r.reason, 'finished');
  assert.deepEqual((r as { results: Value[] }).results, [i32(1225)]);
  assert.equal(calls(), 50, 'each host call made exactly once');
  assert.equal(mem(instance, 49), 500);
});

test('the history stays within its byte bound by dropping the oldest snapshots', () => {
  const { m, rec, instance } = setup({ maxBytes: 3 * 65536 });
  m.start(instance, 'main', [i32(1000)]);
  rec.snapshot();
  for (let k = 0; k < 20; k++) {
    m.run(10);
    rec.snapshot();
  }
  assert.ok(rec.size <= 3 * 65536, `size ${rec.size}`);
  assert.ok(rec.truncatedStart);
  assert.ok(rec.start!.ticks > 0);
  // The oldest kept point is still reachable.
  const start = rec.start!;
  rec.goToStart();
  assert.deepEqual(m.position(), start);
});

test('a hand-made change in the past drops the recorded future: host calls go live again', () => {
  const { m, rec, instance, calls } = setup();
  m.start(instance, 'main', [i32(10)]);
  rec.snapshot();
  m.run(8);
  rec.snapshot();
  const mid = m.position()!;
  m.run(8);
  rec.snapshot();
  const before = calls();
  rec.goTo(mid);
  assert.ok(rec.replaying);
  rec.forgetFuture();
  assert.ok(!rec.replaying);
  m.run(4);
  assert.ok(calls() > before);
});

test('going back restores GC struct fields and array elements exactly (the heap is in the snapshots)', () => {
  const module = decodeModule(watToBinary(`(module
    (type $box (struct (field $v (mut i32))))
    (type $arr (array (mut i64)))
    (global $b (mut (ref null $box)) (ref.null $box))
    (global $a (mut (ref null $arr)) (ref.null $arr))
    (func (export "main") (param $n i32)
      (local $i i32)
      (global.set $b (struct.new $box (i32.const 0)))
      (global.set $a (array.new $arr (i64.const 0) (i32.const 4)))
      (loop $l
        (struct.set $box $v (global.get $b) (local.get $i))
        (array.set $arr (global.get $a) (i32.const 2) (i64.extend_i32_u (i32.mul (local.get $i) (i32.const 3))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n))))))`).bytes);
  const instance = instantiate(compileModule(module, { fuse: false }), {});
  const m = new Machine();
  const rec = new Recorder(m, instance, { minIntervalMs: 0 });
  m.start(instance, 'main', [i32(40)]);
  rec.snapshot();
  const read = () => {
    const box = (instance.globals[0]!.value as { value: unknown }).value as { words: Int32Array };
    const arr = (instance.globals[1]!.value as { value: unknown }).value as { words: Int32Array };
    return [box.words[0], arr.words[4]];
  };
  // Past the allocation, snapshot every few iterations: later snapshots share unchanged objects.
  const points: { at: NonNullable<ReturnType<Machine['position']>>; fields: (number | undefined)[] }[] = [];
  for (let k = 0; k < 6; k++) {
    assert.equal(m.run(5).reason, 'budget');
    rec.snapshot();
    points.push({ at: m.position()!, fields: read() });
  }
  assert.equal(m.run().reason, 'finished');
  assert.deepEqual(read(), [39, 117]);
  for (const p of points.slice().reverse()) {
    rec.goTo(p.at);
    assert.deepEqual(read(), p.fields, `at tick ${p.at.ticks}`);
  }
  // The same objects were restored in place (references into them stay valid).
  assert.ok(points[0]!.fields[0]! < points.at(-1)!.fields[0]!);
});

test('a replay longer than one engine call (thousands of ticks from its snapshot) lands exactly and finds every pass', () => {
  const { m, rec, instance, calls } = setup({ minIntervalMs: 1e9 });
  m.start(instance, 'main', [i32(3000)]);
  rec.snapshot();
  assert.equal(m.run(5000).reason, 'budget');
  const at = m.position()!;
  const g = instance.globals[0]!.value;
  assert.equal(m.run(4000).reason, 'budget');
  assert.equal(rec.snapshotCount, 1, 'one snapshot, at the start: every replay runs from there');
  const callsSoFar = calls();
  rec.goTo(at);
  assert.deepEqual(m.position(), at);
  assert.deepEqual(instance.globals[0]!.value, g);
  const step = instance.funcs.findIndex((f) => f.name === 'step');
  const hits = [...rec.hitsBefore([{ funcIndex: step }], Infinity)].filter((h) => h.pc === 0);
  // $step's calls before tick 5000: each loop iteration is 3 ticks (two calls, one back edge).
  assert.equal(hits.length, Math.ceil(5000 / 3));
  for (let i = 1; i < hits.length; i++) assert.equal(hits[i - 1]!.ticks - hits[i]!.ticks, 3);
  assert.equal(calls(), callsSoFar, 'no host call was made again');
});
