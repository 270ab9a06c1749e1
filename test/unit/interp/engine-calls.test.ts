// runTicks: a long run as engine calls of ENGINE_CALL_TICKS ticks gives what one call gives (the
// results, a trap, and under fuel the same tick count and stopping point); withoutOsr restores
// V8's flag whatever its function does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { watToBinary } from '../../../core/text';
import { Machine, compileModule, instantiate, type Value } from '../../../core/interp';
import { ENGINE_CALL_TICKS, runTicks, withoutOsr } from '../../../core/interp/engine-calls';

const WAT = `(module
  (func $sq (param $x i32) (result i32) (i32.mul (local.get $x) (local.get $x)))
  (func (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (call $sq (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s))
  (func (export "trap") (param $n i32) (result i32)
    (loop $l
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    unreachable))`;

const module = decodeModule(watToBinary(WAT).bytes);
const i32 = (value: number): Value => ({ type: 'i32', value });

function started(name: string, n: number): Machine {
  const m = new Machine();
  m.start(instantiate(compileModule(module), {}), name, [i32(n)]);
  return m;
}

test('a run of many engine calls finishes with the results of one call', () => {
  const n = 5 * ENGINE_CALL_TICKS + 17;
  const one = started('sum', n);
  const many = started('sum', n);
  const a = one.run();
  const b = withoutOsr(() => runTicks(many));
  assert.deepEqual(b, a);
  assert.equal(a.reason, 'finished');
  assert.equal(many.ticks, one.ticks);
});

test('under fuel: the same tick count and the same place as one call with that fuel', () => {
  for (const fuel of [1, ENGINE_CALL_TICKS - 1, ENGINE_CALL_TICKS, 3 * ENGINE_CALL_TICKS + 5]) {
    const one = started('sum', 100_000);
    const many = started('sum', 100_000);
    assert.equal(one.run(fuel).reason, 'budget');
    assert.equal(runTicks(many, fuel).reason, 'budget');
    assert.equal(many.ticks, one.ticks, `fuel ${fuel}`);
    assert.ok(one.ticks <= fuel && one.ticks >= fuel - 1, `fuel ${fuel}: ${one.ticks} ticks`);
    assert.deepEqual(many.frames().map((f) => [f.funcIndex, f.offset]), one.frames().map((f) => [f.funcIndex, f.offset]), `fuel ${fuel}`);
    assert.deepEqual(runTicks(many), one.run());
  }
});

test('a trap after many engine calls is the same trap', () => {
  const one = started('trap', 4 * ENGINE_CALL_TICKS);
  const many = started('trap', 4 * ENGINE_CALL_TICKS);
  const a = one.run();
  const b = withoutOsr(() => runTicks(many));
  assert.equal(a.reason, 'trap');
  assert.equal(b.reason, 'trap');
  assert.equal(b.reason === 'trap' && b.trap.message, a.reason === 'trap' && a.trap.message);
});

test('withoutOsr gives back what its function returns, and rethrows what it throws', () => {
  assert.equal(withoutOsr(() => 42), 42);
  assert.throws(() => withoutOsr(() => { throw new RangeError('inside'); }), /inside/);
});
