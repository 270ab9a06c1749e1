// The wasi-threads scheduler on its own: spawn gives each thread its instance and tid over one
// shared memory, notify wakes waiters in the order they began waiting, timeouts follow the virtual
// clock, an idle program times out its first waiter or reports a deadlock, proc_exit from a
// spawned thread ends the run, too many threads make spawn fail, and a seed replays a trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { compileModule, type Imports } from '../../../core/interp';
import { WasiExit } from '../../../core/wasi';
import { ThreadScheduler } from '../../../core/wasi/threads';
import { watToBinary } from '../../../core/text';

function scheduler(wat: string, imports: Imports = {}, options: ConstructorParameters<typeof ThreadScheduler>[2] = {}): ThreadScheduler {
  return new ThreadScheduler(compileModule(decodeModule(watToBinary(wat).bytes)), imports, options);
}

const HEAD = `(import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "env" "log" (func $log (param i32)))
  (memory (import "env" "memory") 1 1 shared)`;

test('notify wakes waiters first come, first served; each thread has its own globals', () => {
  const log: number[] = [];
  const s = scheduler(`(module ${HEAD}
    (global $mine (mut i32) (i32.const 0))
    (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
      (global.set $mine (local.get $tid))
      (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
      (call $log (global.get $mine)))
    (func (export "_start")
      (drop (call $spawn (i32.const 0))) (drop (call $spawn (i32.const 0))) (drop (call $spawn (i32.const 0)))
      ;; let all three park, then wake two, then the last
      (drop (memory.atomic.wait32 (i32.const 4) (i32.const 0) (i64.const 1000000)))
      (call $log (memory.atomic.notify (i32.const 0) (i32.const 2)))
      (drop (memory.atomic.wait32 (i32.const 4) (i32.const 0) (i64.const 1000000)))
      (call $log (memory.atomic.notify (i32.const 0) (i32.const 5)))
      (drop (memory.atomic.wait32 (i32.const 4) (i32.const 0) (i64.const 1000000)))))`, { env: { log: (v: number) => { log.push(v); } } });
  s.startMain('_start', []);
  const r = s.run();
  assert.equal(r.reason, 'finished');
  assert.deepEqual(log, [2, 1, 2, 1, 3]);
  assert.deepEqual(s.threads.map((t) => [t.name, t.state]), [['main', 'finished'], ['thread 1', 'finished'], ['thread 2', 'finished'], ['thread 3', 'finished']]);
  assert.ok(s.now >= 3_000_000, 'three 1 ms timeouts passed on the virtual clock');
});

test('all waiting without a timeout is a deadlock naming each thread and address', () => {
  const s = scheduler(`(module ${HEAD}
    (func (export "wasi_thread_start") (param i32 i32) (drop (memory.atomic.wait32 (i32.const 16) (i32.const 0) (i64.const -1))))
    (func (export "_start") (drop (call $spawn (i32.const 0))) (drop (memory.atomic.wait32 (i32.const 8) (i32.const 0) (i64.const -1)))))`,
  { env: { log: () => {} } });
  s.startMain('_start', []);
  const r = s.run();
  assert.equal(r.reason, 'deadlock');
  assert.match((r as { message: string }).message, /main at 0x8 .*thread 1 at 0x10 /);
});

test('proc_exit in a spawned thread ends the whole run; a trap names its thread', () => {
  const exit = new WasiExit(7);
  const s = scheduler(`(module ${HEAD}
    (func (export "wasi_thread_start") (param i32 i32) (call $log (i32.const 1)))
    (func (export "_start") (drop (call $spawn (i32.const 0))) (loop $spin (br $spin))))`, { env: { log: () => { throw exit; } } });
  s.startMain('_start', []);
  assert.throws(() => s.run(), (e: unknown) => e === exit);

  const t = scheduler(`(module ${HEAD}
    (func (export "wasi_thread_start") (param i32 i32) unreachable)
    (func (export "_start") (drop (call $spawn (i32.const 0))) (loop $spin (br $spin))))`, { env: { log: () => {} } });
  t.startMain('_start', []);
  const r = t.run();
  assert.equal(r.reason, 'trap');
  assert.equal((r as { thread: { name: string } }).thread.name, 'thread 1');
});

test('spawn fails with a negative errno past maxThreads', () => {
  const log: number[] = [];
  const s = scheduler(`(module ${HEAD}
    (func (export "wasi_thread_start") (param i32 i32) (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))
    (func (export "_start")
      (call $log (call $spawn (i32.const 0))) (call $log (call $spawn (i32.const 0))) (call $log (call $spawn (i32.const 0)))))`,
  { env: { log: (v: number) => { log.push(v); } } }, { maxThreads: 2 });
  s.startMain('_start', []);
  assert.equal(s.run().reason, 'finished');
  assert.deepEqual(log, [1, 2, -6]);
});

test('a seed replays the interleaving; round robin without one', () => {
  const trace = (options: ConstructorParameters<typeof ThreadScheduler>[2]): string => {
    const out: number[] = [];
    const s = scheduler(`(module ${HEAD}
      (func $work (param $who i32) (local $i i32)
        (loop $l (call $log (local.get $who))
          (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 20)))))
      (func (export "wasi_thread_start") (param $tid i32) (param i32) (call $work (local.get $tid))
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1))) (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))
      (func (export "_start") (local $n i32)
        (drop (call $spawn (i32.const 0))) (drop (call $spawn (i32.const 0)))
        (call $work (i32.const 0))
        (block $done (loop $wait
          (br_if $done (i32.ge_u (local.tee $n (i32.atomic.load (i32.const 0))) (i32.const 2)))
          (drop (memory.atomic.wait32 (i32.const 0) (local.get $n) (i64.const -1))) (br $wait)))))`,
    { env: { log: (v: number) => { out.push(v); } } }, options);
    s.startMain('_start', []);
    assert.equal(s.run().reason, 'finished');
    assert.equal(out.length, 60);
    return out.join('');
  };
  assert.equal(trace({ seed: 11, quantum: 8 }), trace({ seed: 11, quantum: 8 }));
  assert.notEqual(trace({ seed: 11, quantum: 8 }), trace({ seed: 12, quantum: 8 }));
  // Round robin, 4 fuel a turn (a call and a loop iteration each take one): main's first turn goes
  // on its two spawns and the call to $work, each spawned thread logs on its first turn, then the
  // three take turns in order, two logs each.
  assert.match(trace({ quantum: 4 }), /^12(001122){9}/);
});
