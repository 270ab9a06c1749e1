// A debugger's machine on fused code (forms.ts): functions run fused until a breakpoint, a step or
// a replay needs their every instruction, then unfused; stops, frames, steps and time travel land on
// the same instructions with the same state as on code compiled unfused from the start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule, type Module } from '../../../core/binary';
import { watToBinary } from '../../../core/text';
import { Machine, Recorder, compileModule, instantiate, type HostFunction, type Instance, type Value } from '../../../core/interp';
import { funcIndexByName, offsetsOf } from './debug-helpers';

const WAT = `(module
  (import "host" "next" (func $next (result i32)))
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func $step (param $i i32) (result i32)
    (local $t i32)
    (local.set $t (i32.add (local.get $i) (i32.const 3)))
    (i32.store (i32.mul (local.get $i) (i32.const 4)) (local.get $t))
    (global.set $g (i32.add (global.get $g) (local.get $t)))
    (i32.add (local.get $t) (call $next)))
  (func (export "main") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.sub (local.get $s) (i32.const 1)))
      (local.set $s (i32.add (local.get $s) (call $step (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s)))`;

const module: Module = decodeModule(watToBinary(WAT).bytes);
const STEP = funcIndexByName(module, 'step');
const MAIN = 2;
const i32 = (value: number): Value => ({ type: 'i32', value });

interface Setup {
  m: Machine;
  instance: Instance;
  rec: Recorder;
}

function setup(fuse: boolean): Setup {
  const holder: { rec?: Recorder } = {};
  let calls = 0;
  const next = (): number => ++calls * 10;
  const imports = { host: { next: ((...a: never[]) => holder.rec!.wrapHost(next as HostFunction)(...a)) as HostFunction } };
  const instance = instantiate(compileModule(module, { fuse }), imports);
  const m = new Machine();
  holder.rec = new Recorder(m, instance, { minIntervalMs: 0 });
  return { m, instance, rec: holder.rec };
}

const compiled = (s: Setup, f: number) => s.instance.funcs[f]!.compiled!;

/** Where the machine is and what it holds: what must agree between the forms. */
function view(s: Setup): unknown {
  const p = s.m.position();
  return {
    at: p && { ticks: p.ticks, depth: p.depth, func: p.func.index, pc: p.pc },
    frames: s.m.frames().map((f) => [f.funcIndex, f.offset]),
    locals: s.m.frames().map((f) => s.m.locals(f).map((l) => l.value)),
    stack: s.m.operandStack(0),
    g: s.instance.globals[0]!.value,
    mem: Array.from(s.instance.memories[0]!.u8.subarray(0, 64)),
  };
}

test('the two forms agree on results and ticks, however the run is sliced', () => {
  const a = setup(true);
  a.m.start(a.instance, 'main', [i32(30)]);
  const whole = a.m.run();
  const b = setup(false);
  b.m.start(b.instance, 'main', [i32(30)]);
  let r;
  do r = b.m.run(2); while (r.reason === 'budget');
  assert.deepEqual(r, whole);
  assert.equal(a.m.ticks, b.m.ticks);
  assert.equal(compiled(a, MAIN).fused, true, 'no debugging: the code stays fused');
});

test('a breakpoint inside a fused group stops at that very instruction; only its function goes unfused', () => {
  // `local.get $i; i32.const 3; i32.add; local.set $t` is one fused instruction: break at the add.
  const addAt = offsetsOf(module, STEP, 'i32.add')[0]!;
  const fused = setup(true);
  const plain = setup(false);
  for (const s of [fused, plain]) {
    s.m.start(s.instance, 'main', [i32(5)]);
    assert.equal(s.m.setBreakpoint(STEP, addAt), addAt);
  }
  assert.equal(compiled(fused, STEP).fused, false);
  assert.equal(compiled(fused, MAIN).fused, true);
  for (let hit = 0; hit < 5; hit++) {
    assert.equal(fused.m.run().reason, 'breakpoint');
    assert.equal(plain.m.run().reason, 'breakpoint');
    assert.equal(fused.m.frames()[0]!.offset, addAt);
    assert.deepEqual(fused.m.operandStack(0), [i32(hit), i32(3)]);
    assert.deepEqual(view(fused), view(plain));
  }
  assert.equal(compiled(fused, MAIN).fused, true, 'the caller never needed every instruction');
  assert.deepEqual(fused.m.run(), plain.m.run());
});

test('a breakpoint at the start of a fused group keeps the code fused and stops there on every pass', () => {
  // `local.get $s; i32.const 1; i32.sub; local.set $s` starts the loop as one fused instruction
  const groupAt = offsetsOf(module, MAIN, 'local.get')[0]!;
  // the `local.get $t` that re-reads a `local.tee`'s local is no stop of the fused code: the tee's
  // write went into the group before it
  const fused = setup(true);
  const plain = setup(false);
  for (const s of [fused, plain]) {
    s.m.start(s.instance, 'main', [i32(6)]);
    s.rec.snapshot();
    assert.equal(s.m.setBreakpoint(MAIN, groupAt), groupAt);
  }
  assert.equal(compiled(fused, MAIN).fused, true);
  // the run starts on the loop's first instruction, and a run resumes past where it stands
  for (let hit = 1; hit < 6; hit++) {
    assert.equal(fused.m.run().reason, 'breakpoint');
    assert.equal(plain.m.run().reason, 'breakpoint');
    assert.deepEqual(view(fused), view(plain), `pass ${hit}`);
  }
  assert.equal(compiled(fused, MAIN).fused, true);
  // going back from a stop in fused code: every pass before, in the unfused form from then on
  const back = (s: Setup) => [...s.rec.hitsBefore([{ funcIndex: MAIN, offsets: [groupAt] }])].map((h) => [h.ticks, h.depth, h.pc]);
  const passes = back(fused);
  assert.equal(passes.length, 5); // the start is a pass too
  assert.deepEqual(passes, back(plain));
  assert.equal(compiled(fused, MAIN).fused, false);
  for (const s of [fused, plain]) s.m.clearBreakpoint(MAIN, groupAt);
  assert.deepEqual(fused.m.run(), plain.m.run());
});

test('a local.tee split by fusion is no fused stop: a breakpoint there unfuses its function', () => {
  const w = `(module (func (export "f") (param $a i32) (result i32) (local $t i32)
    (i32.add (local.tee $t (i32.add (local.get $a) (i32.const 1))) (local.get $t))))`;
  const mod = decodeModule(watToBinary(w).bytes);
  const teeAt = offsetsOf(mod, 0, 'local.tee')[0]!;
  const inst = instantiate(compileModule(mod), {});
  const m = new Machine();
  m.start(inst, 'f', [i32(4)]);
  assert.equal(m.setBreakpoint(0, teeAt), teeAt);
  assert.equal(inst.funcs[0]!.compiled!.fused, false);
  assert.equal(m.run().reason, 'breakpoint');
  assert.deepEqual(m.operandStack(0), [i32(5)]);
  assert.deepEqual(m.locals(0).map((l) => l.value), [i32(4), i32(0)]);
  assert.deepEqual(m.run(), { reason: 'finished', results: [i32(10)] });
});

test("a breakpoint set in a fused caller while stopped in its callee moves the caller's return address", () => {
  const [firstAt] = offsetsOf(module, STEP, 'local.get');
  // `i32.add; local.set $s` after the call fuse into one instruction: break at the set.
  const setAt = offsetsOf(module, MAIN, 'local.set')[1]!;
  const fused = setup(true);
  const plain = setup(false);
  for (const s of [fused, plain]) {
    s.m.start(s.instance, 'main', [i32(4)]);
    s.m.setBreakpoint(STEP, firstAt!);
    assert.equal(s.m.run().reason, 'breakpoint');
    assert.equal(s.m.run().reason, 'breakpoint'); // the second call of $step
  }
  assert.equal(compiled(fused, MAIN).fused, true);
  for (const s of [fused, plain]) {
    assert.equal(s.m.setBreakpoint(MAIN, setAt), setAt);
    s.m.clearBreakpoint(STEP, firstAt!);
  }
  assert.equal(compiled(fused, MAIN).fused, false);
  assert.deepEqual(view(fused), view(plain));
  assert.equal(fused.m.run().reason, 'breakpoint');
  assert.equal(plain.m.run().reason, 'breakpoint');
  assert.equal(fused.m.frames()[0]!.offset, setAt);
  // s = (-1 + 0 + 3 + 10) - 1 + (1 + 3 + 20): the add ran, the set did not yet
  assert.deepEqual(fused.m.operandStack(0), [i32(35)]);
  assert.deepEqual(view(fused), view(plain));
  assert.deepEqual(fused.m.run(), { reason: 'breakpoint' });
  plain.m.run();
  fused.m.clearBreakpoint(MAIN, setAt);
  plain.m.clearBreakpoint(MAIN, setAt);
  assert.deepEqual(fused.m.run(), plain.m.run());
});

test('stepping out into a fused caller stops after the call; stepping on there walks every instruction', () => {
  const [firstAt] = offsetsOf(module, STEP, 'local.get');
  const fused = setup(true);
  const plain = setup(false);
  for (const s of [fused, plain]) {
    s.m.start(s.instance, 'main', [i32(3)]);
    s.m.setBreakpoint(STEP, firstAt!);
    assert.equal(s.m.run().reason, 'breakpoint');
    s.m.clearBreakpoint(STEP, firstAt!);
    assert.equal(s.m.stepOut().reason, 'step');
  }
  assert.equal(compiled(fused, MAIN).fused, true, 'a step out only waits at the return address');
  assert.deepEqual(view(fused), view(plain));
  let steps = 0;
  for (;;) {
    const a = fused.m.stepOver();
    const b = plain.m.stepOver();
    assert.deepEqual(a, b);
    if (a.reason !== 'step') break;
    assert.deepEqual(view(fused), view(plain), `after step ${++steps}`);
  }
  assert.equal(compiled(fused, MAIN).fused, false);
  assert.ok(steps > 20);
});

test('time travel over fused code finds the same passes and goes back to the same states', () => {
  const setAt = offsetsOf(module, MAIN, 'local.set')[1]!;
  const storeAt = offsetsOf(module, STEP, 'i32.store')[0]!;
  const runs = [setup(true), setup(false)];
  for (const s of runs) {
    s.m.start(s.instance, 'main', [i32(30)]);
    s.rec.snapshot();
    // small slices with a snapshot after each: on fused code they end at loop heads and calls
    let r;
    do {
      r = s.m.run(3);
      s.rec.snapshot(); // not ran(): its interval scales with how long the last snapshot took
    } while (r.reason === 'budget' && s.m.ticks < 40);
    assert.equal(r.reason, 'budget');
  }
  const [fused, plain] = runs as [Setup, Setup];
  assert.ok(fused.rec.snapshotCount > 5);
  assert.equal(compiled(fused, MAIN).fused, true);
  assert.deepEqual(view(fused), view(plain));
  const sites = [{ funcIndex: MAIN, offsets: [setAt] }, { funcIndex: STEP, offsets: [storeAt] }];
  const hitsOf = (s: Setup) => [...s.rec.hitsBefore(sites)].map((h) => ({ ticks: h.ticks, depth: h.depth, pc: h.pc, funcIndex: h.funcIndex, offset: h.offset }));
  const hits = hitsOf(fused);
  assert.deepEqual(hits, hitsOf(plain));
  assert.ok(hits.length > 10);
  assert.equal(compiled(fused, MAIN).fused, false, 'a replay that looks at every pass of a site unfuses its function');
  for (const k of [0, 3, hits.length - 1]) {
    const h = hits[k]!;
    for (const s of runs) s.rec.goTo({ ...h, func: s.instance.funcs[h.funcIndex]! });
    assert.equal(fused.m.frames()[0]!.offset, h.offset);
    assert.deepEqual(view(fused), view(plain), `hit ${k}`);
  }
  // and forward again from there: the same results
  assert.deepEqual(fused.m.run(), plain.m.run());
});

test('going back to a point recorded while its function ran fused lands there after it is unfused', () => {
  const storeAt = offsetsOf(module, STEP, 'i32.store')[0]!;
  const runs = [setup(true), setup(false)];
  const marks = runs.map((s) => {
    s.m.start(s.instance, 'main', [i32(8)]);
    s.rec.snapshot();
    // one tick at a time: stops before each call and at the loop head, in both functions
    const points = [];
    for (let k = 0; k < 12; k++) {
      assert.equal(s.m.run(1).reason, 'budget');
      s.rec.snapshot(); // not ran(): its interval scales with how long the last snapshot took
      points.push(s.m.position()!);
    }
    return points;
  });
  const [fused, plain] = runs as [Setup, Setup];
  const at = (p: { ticks: number; depth: number; pc: number; func: { index: number } }) => [p.ticks, p.depth, p.func.index, p.pc];
  assert.deepEqual(marks[0]!.map(at), marks[1]!.map(at), 'points keep unfused code indices');
  assert.notDeepEqual(
    [compiled(fused, STEP).pcs, compiled(fused, MAIN).pcs].map((x) => x.length),
    [compiled(plain, STEP).pcs, compiled(plain, MAIN).pcs].map((x) => x.length),
  );
  // a breakpoint unfuses $step and a replay looking at every instruction of main unfuses main
  for (const s of runs) s.m.setBreakpoint(STEP, storeAt);
  for (const s of runs) [...s.rec.hitsBefore([{ funcIndex: MAIN }])].slice(0, 2);
  assert.equal(compiled(fused, MAIN).fused, false);
  for (const k of [2, 7, 4]) {
    for (const [j, s] of runs.entries()) s.rec.goTo(marks[j]![k]!);
    assert.deepEqual(view(fused), view(plain), `mark ${k}`);
  }
  assert.deepEqual(fused.m.run(), plain.m.run());
  assert.deepEqual(view(fused), view(plain));
});
