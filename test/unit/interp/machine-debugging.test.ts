// The Machine's debugging API: breakpoints, steps, inspection, writes, budget, blocking host
// calls, and traps — each checked against an uninterrupted run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Exhaustion, Trap } from '../../../core/errors';
import { Machine, WOULD_BLOCK, invoke, type Imports, type Value } from '../../../core/interp';
import { funcIndexByName, loadFixture, offsetsOf } from './debug-helpers';

function host(extra: Partial<Record<string, unknown>> = {}): Imports {
  return { host: { next: () => 7, log: () => undefined, ...extra } as Imports[string] };
}

const i32 = (value: number): Value => ({ type: 'i32', value });

test('a breakpoint stops inside a loop on every iteration, and resuming finishes with the plain result', () => {
  const { module, instance } = loadFixture('debug.wasm', host());
  const expected = invoke(instance, 'sum', [i32(5)]);
  assert.deepEqual(expected, [i32(10)]);

  const sum = funcIndexByName(module, 'sum');
  const addAt = offsetsOf(module, sum, 'i32.add')[0]!;
  const m = new Machine();
  m.start(instance, 'sum', [i32(5)]);
  assert.equal(m.setBreakpoint(sum, addAt), addAt);
  let hits = 0;
  for (;;) {
    const r = m.run();
    if (r.reason === 'finished') {
      assert.deepEqual(r.results, expected);
      break;
    }
    assert.equal(r.reason, 'breakpoint');
    const [top] = m.frames();
    assert.equal(top!.funcIndex, sum);
    assert.equal(top!.name, 'sum');
    assert.equal(top!.offset, addAt);
    // Before `s + i`, the operand stack holds s and i.
    const locals = m.locals(0);
    assert.deepEqual(locals.map((l) => l.name), ['n', 'i', 's']);
    const i = (locals[1]!.value as { value: number }).value;
    assert.equal(i, hits);
    assert.deepEqual(m.operandStack(0), [locals[2]!.value, locals[1]!.value]);
    hits++;
  }
  assert.equal(hits, 5);
});

test('on fused code a breakpoint at the start of a fused group stops there, and stepping walks every instruction', () => {
  const { module, instance } = loadFixture('debug.wasm', host(), true);
  const sum = funcIndexByName(module, 'sum');
  // `local.get s; local.get i; i32.add` is one fused instruction until the breakpoint unfuses `sum`
  // (two-forms.test.ts has breakpoints inside a group).
  const groupAt = offsetsOf(module, sum, 'local.get')[2]!;
  const m = new Machine();
  m.start(instance, 'sum', [i32(3)]);
  assert.equal(m.setBreakpoint(sum, groupAt), groupAt);
  let hits = 0;
  let r = m.run();
  while (r.reason === 'breakpoint') {
    assert.equal(m.frames()[0]!.offset, groupAt);
    assert.deepEqual(m.operandStack(0), []);
    hits++;
    r = m.run();
  }
  assert.equal(hits, 3);
  assert.deepEqual(r, { reason: 'finished', results: [i32(3)] });
  // Stepping still walks the whole function and ends with the same result.
  const m2 = new Machine();
  m2.start(instance, 'sum', [i32(3)]);
  let steps = 0;
  while ((r = m2.stepInstruction()).reason === 'step') steps++;
  assert.deepEqual(r, { reason: 'finished', results: [i32(3)] });
  assert.ok(steps > 10);
});

test('a breakpoint that is never hit changes nothing; clearing one lets the run finish', () => {
  const { module, instance } = loadFixture('debug.wasm', host());
  const m = new Machine();
  m.start(instance, 'sum', [i32(100)]);
  const sum = funcIndexByName(module, 'sum');
  const fac = funcIndexByName(module, 'fac');
  m.setBreakpoint(fac, offsetsOf(module, fac, 'i64.mul')[0]!);
  const at = offsetsOf(module, sum, 'i32.add')[0]!;
  m.setBreakpoint(sum, at);
  assert.equal(m.run().reason, 'breakpoint');
  m.clearBreakpoint(sum, at);
  assert.deepEqual(m.run(), { reason: 'finished', results: [i32(4950)] });
});

test('stepInstruction walks into calls and out again, ending with the same result', () => {
  const { module, instance } = loadFixture('debug.wasm', host());
  const fac = funcIndexByName(module, 'fac');
  const m = new Machine();
  m.start(instance, 'fac', [{ type: 'i64', value: 3n }]);
  let steps = 0;
  let maxDepth = 0;
  const offsets = new Set<number>();
  for (;;) {
    const r = m.stepInstruction();
    if (r.reason === 'finished') {
      assert.deepEqual(r.results, [{ type: 'i64', value: 6n }]);
      break;
    }
    assert.equal(r.reason, 'step');
    const frames = m.frames();
    maxDepth = Math.max(maxDepth, frames.length);
    for (const f of frames) assert.equal(f.funcIndex, fac);
    offsets.add(frames[0]!.offset);
    steps++;
    assert.ok(steps < 1000, 'stepping must terminate');
  }
  assert.equal(maxDepth, 4, 'fac(3) recurses to fac(0)');
  assert.ok(steps > 20);
  // Every stop is at an instruction of the function body.
  const f = module.funcs[fac - module.importedFuncs]!;
  for (const o of offsets) assert.ok(o >= f.bodyStart && o < f.bodyEnd);
});

test('stepOver runs a call to completion; stepOut returns to the caller', () => {
  const { module, instance } = loadFixture('debug.wasm', host());
  const fac = funcIndexByName(module, 'fac');
  const callAt = offsetsOf(module, fac, 'call')[0]!;
  const m = new Machine();
  m.start(instance, 'fac', [{ type: 'i64', value: 4n }]);
  m.setBreakpoint(fac, callAt);
  assert.equal(m.run().reason, 'breakpoint');
  m.clearBreakpoint(fac, callAt);
  assert.equal(m.frames().length, 1);
  assert.equal(m.stepOver().reason, 'step');
  let frames = m.frames();
  assert.equal(frames.length, 1, 'still in the outer frame');
  assert.ok(frames[0]!.offset > callAt);
  // The call's result (fac 3 = 6) is now on top of the stack, above n.
  assert.deepEqual(m.operandStack(0), [{ type: 'i64', value: 4n }, { type: 'i64', value: 6n }]);

  const m2 = new Machine();
  m2.start(instance, 'fac', [{ type: 'i64', value: 4n }]);
  m2.setBreakpoint(fac, callAt);
  m2.run();
  assert.equal(m2.stepInstruction().reason, 'step');
  assert.equal(m2.frames().length, 2, 'stepped into the call');
  m2.clearBreakpoint(fac, callAt);
  assert.equal(m2.stepOut().reason, 'step');
  frames = m2.frames();
  assert.equal(frames.length, 1);
  assert.deepEqual(m2.run(), { reason: 'finished', results: [{ type: 'i64', value: 24n }] });
});

test('setLocal, setStackValue and setGlobal change what the program computes', () => {
  const { module, instance } = loadFixture('debug.wasm', host());
  const add = funcIndexByName(module, 'add');
  const m = new Machine();
  m.start(instance, 'add', [i32(1), i32(2)]);
  m.setBreakpoint(add, offsetsOf(module, add, 'local.get')[1]!);
  assert.equal(m.run().reason, 'breakpoint');
  assert.deepEqual(m.operandStack(0), [i32(1)]);
  m.setStackValue(0, 0, i32(40));
  m.setLocal(0, 1, i32(2));
  assert.deepEqual(m.run(), { reason: 'finished', results: [i32(42)] });

  const sum = funcIndexByName(module, 'sum');
  const m2 = new Machine();
  m2.start(instance, 'sum', [i32(3)]);
  m2.setBreakpoint(sum, offsetsOf(module, sum, 'global.get')[0]!);
  m2.run();
  m2.setGlobal(instance, 0, i32(1000));
  m2.clearAllBreakpoints();
  m2.run();
  assert.deepEqual(instance.globals[0]!.value, i32(1003));
});

test('run(budget) returns "budget" and resumes where it stopped', () => {
  const { instance } = loadFixture('debug.wasm', host());
  const m = new Machine();
  m.start(instance, 'sum', [i32(10000)]);
  let stops = 0;
  for (;;) {
    const r = m.run(100);
    if (r.reason === 'finished') {
      assert.deepEqual(r.results, [i32(49995000)]);
      break;
    }
    assert.equal(r.reason, 'budget');
    stops++;
  }
  assert.ok(stops >= 99, `stopped ${stops} times`);
});

test('loops closed by a (fused) conditional branch spend fuel too', () => {
  for (const fuse of [false, true]) {
    const { instance } = loadFixture('debug.wasm', host(), fuse);
    const m = new Machine();
    m.start(instance, 'count', [i32(1000)]);
    let stops = 0;
    let r = m.run(10);
    while (r.reason === 'budget') {
      stops++;
      r = m.run(10);
    }
    assert.deepEqual(r, { reason: 'finished', results: [i32(1000)] });
    assert.ok(stops >= 99, `fuse=${fuse}: stopped ${stops} times`);
  }
});

test('a host function returning WOULD_BLOCK stops the machine; the next run calls it again', () => {
  let calls = 0;
  const { instance } = loadFixture('debug.wasm', host({ next: () => (++calls < 3 ? WOULD_BLOCK : 5) }));
  const m = new Machine();
  m.start(instance, 'poll', []);
  assert.equal(m.run().reason, 'blocked');
  assert.equal(m.run().reason, 'blocked');
  assert.deepEqual(m.run(), { reason: 'finished', results: [i32(105)] });
  assert.equal(calls, 3);
});

test('a step over a blocking host call stays armed: the next run completes the step', () => {
  let calls = 0;
  const { module, instance } = loadFixture('debug.wasm', host({ next: () => (++calls < 2 ? WOULD_BLOCK : 1) }));
  const poll = funcIndexByName(module, 'poll');
  const m = new Machine();
  m.start(instance, 'poll', []);
  const callAt = offsetsOf(module, poll, 'call')[0]!;
  assert.equal(m.frames()[0]!.offset, callAt);
  assert.equal(m.stepOver().reason, 'blocked');
  assert.equal(m.frames()[0]!.offset, callAt, 'the call has not happened yet');
  assert.equal(m.run().reason, 'step');
  assert.ok(m.frames()[0]!.offset > callAt);
  assert.deepEqual(m.operandStack(0), [i32(1)]);
  assert.deepEqual(m.run(), { reason: 'finished', results: [i32(101)] });
});

test('plain JS imports get JS-API values: number, bigint, number, number', () => {
  let got: unknown[] = [];
  const { instance } = loadFixture('debug.wasm', host({ log: (...a: unknown[]) => { got = a; } }));
  invoke(instance, 'logit', []);
  assert.deepEqual(got, [-1, -2n, 1.5, -0.25]);
});

test('traps carry the function, byte offset and a backtrace', () => {
  const { module, instance } = loadFixture('debug.wasm', host());
  const div = funcIndexByName(module, 'div');
  const outer = funcIndexByName(module, 'outer');
  const m = new Machine();
  m.start(instance, 'outer', [i32(1)]);
  const r = m.run();
  assert.equal(r.reason, 'trap');
  if (r.reason !== 'trap') return;
  assert.ok(r.trap instanceof Trap);
  assert.equal(r.trap.message, 'integer divide by zero');
  assert.equal(r.trap.funcIndex, div);
  assert.equal(r.trap.offset, offsetsOf(module, div, 'i32.div_s')[0]);
  assert.deepEqual(r.trap.frames.map((f) => f.funcIndex), [div, outer]);
  assert.equal(r.trap.frames[1]!.offset, offsetsOf(module, outer, 'call')[0]);
  assert.throws(() => invoke(instance, 'div', [i32(1), i32(0)]), Trap);
});

test('a trap inside a fused instruction reports the trapping access, not the group start', () => {
  const { module, instance } = loadFixture('debug.wasm', host(), true);
  const load = funcIndexByName(module, 'load');
  const m = new Machine();
  m.start(instance, 'load', [i32(65533)]);
  const r = m.run();
  assert.equal(r.reason, 'trap');
  if (r.reason !== 'trap') return;
  assert.equal(r.trap.message, 'out of bounds memory access');
  const at = offsetsOf(module, load, 'i32.load')[0];
  assert.equal(r.trap.offset, at);
  assert.equal(m.frames()[0]!.offset, at);
});

test('unbounded recursion is an Exhaustion trap, never a JS RangeError', () => {
  const { instance } = loadFixture('debug.wasm', host());
  assert.throws(() => invoke(instance, 'recurse', []), (e: unknown) => {
    assert.ok(e instanceof Exhaustion);
    assert.ok(e instanceof Trap);
    assert.equal(e.message, 'call stack exhausted');
    assert.equal(typeof e.offset, 'number');
    return true;
  });
  // The engine is still usable afterwards.
  assert.deepEqual(invoke(instance, 'add', [i32(2), i32(3)]), [i32(5)]);
});

test('memory exports behave like WebAssembly.Memory: buffer replaced on growth', () => {
  const { instance } = loadFixture('debug.wasm', host());
  const mem = instance.exports.memory;
  assert.ok(mem !== undefined && mem.kind === 'memory');
  const before = mem.buffer;
  assert.equal(before.byteLength, 65536);
  assert.equal(mem.grow(1), 1);
  assert.notEqual(mem.buffer, before);
  assert.equal(mem.buffer.byteLength, 131072);
});

test('a machine can be started again after finishing, while other machines run', () => {
  const { instance } = loadFixture('debug.wasm', host());
  const m = new Machine();
  m.start(instance, 'sum', [i32(4)]);
  assert.deepEqual(m.run(), { reason: 'finished', results: [i32(6)] });
  // Another machine created meanwhile (taking the finished one's spare stack) must not share the
  // restarted machine's stack.
  const other = new Machine();
  m.start(instance, 'sum', [i32(5)]);
  other.start(instance, 'add', [i32(100), i32(200)]);
  assert.deepEqual(m.run(), { reason: 'finished', results: [i32(10)] });
  assert.deepEqual(other.run(), { reason: 'finished', results: [i32(300)] });
});
