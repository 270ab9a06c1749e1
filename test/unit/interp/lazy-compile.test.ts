// Lazy compilation: bodies compile on first call, validation stays eager, and a lazily compiled
// module behaves exactly like an eagerly compiled one (results, traps, breakpoints, steps).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../../core/errors';
import { ValType, decodeModule, type Module } from '../../../core/binary';
import { Machine, compileModule, instantiate, invoke, type Value } from '../../../core/interp';
import { watToBinary } from '../../../core/text';
import { offsetsOf } from './debug-helpers';

const WAT = `(module
  (func $h (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func $g (param i32) (result i32) (call $h (i32.add (local.get 0) (i32.const 1))))
  (func $unused (result i32) (i32.const 99))
  (func $div (param i32) (result i32) (i32.div_s (i32.const 10) (local.get 0)))
  (func (export "main") (param i32) (result i32) (call $g (local.get 0)))
  (func (export "divide") (param i32) (result i32) (call $div (local.get 0)))
  (func (export "loop") (param i32) (result i32) (local i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 1 (i32.add (local.get 1) (call $h (local.get 0))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0)))
    (local.get 1)))`;

const i32 = (value: number): Value => ({ type: 'i32', value });

function load(lazy: boolean): { module: Module; run: (name: string, arg: number) => Value[]; compiled: ReturnType<typeof compileModule> } {
  const module = decodeModule(watToBinary(WAT).bytes);
  const compiled = compileModule(module, { lazy, fuse: false });
  const instance = instantiate(compiled, {});
  return { module, compiled, run: (name, arg) => invoke(instance, name, [i32(arg)]) };
}

test('functions compile on their first call; the ones never called stay stubs', () => {
  const { compiled, run } = load(true);
  assert.ok(compiled.funcs.every((f) => f.lazy !== null), 'nothing is compiled before a call');
  assert.deepEqual(run('main', 4), [i32(15)]);
  const compiledNow = compiled.funcs.filter((f) => f.lazy === null).map((f) => f.funcIndex);
  assert.deepEqual(compiledNow, [0, 1, 4]); // $h, $g, main
  assert.equal(compiled.funcs[2]!.lazy, compiled, '$unused is still waiting');
});

test('a stub keeps no per-local arrays; compiling fills in the types and offsets of its locals', () => {
  const { compiled, run } = load(true);
  const loop = compiled.funcs[6]!; // "loop": (param i32) (local i32)
  assert.deepEqual([loop.localTypes.length, loop.localOffsets.length], [0, 0]);
  run('loop', 3);
  assert.deepEqual(loop.localTypes, [ValType.i32, ValType.i32]);
  assert.deepEqual(loop.localOffsets, [0, 2]);
  assert.deepEqual(load(false).compiled.funcs[6]!.localTypes, loop.localTypes, 'as an eager compile has them');
});

test('a lazily compiled module gives the same results and traps as an eager one', () => {
  const lazy = load(true);
  const eager = load(false);
  assert.ok(eager.compiled.funcs.every((f) => f.lazy === null));
  for (const [name, arg] of [['main', 0], ['main', -7], ['loop', 10], ['divide', 3]] as const) {
    assert.deepEqual(lazy.run(name, arg), eager.run(name, arg), `${name}(${arg})`);
  }
  assert.throws(() => lazy.run('divide', 0), /integer divide by zero/);
  // Compiled code is the same whichever way it was compiled.
  for (let i = 0; i < eager.compiled.funcs.length; i++) {
    const l = lazy.compiled.funcs[i]!;
    if (l.lazy !== null) continue;
    assert.deepEqual([...l.code], [...eager.compiled.funcs[i]!.code], `function ${i}`);
  }
});

test('validation stays eager: an invalid body that is never called still fails compileModule', () => {
  const bad = watToBinary('(module (func (export "ok") (result i32) (i32.const 1)) (func (result i32) (i64.const 1)))').bytes;
  assert.throws(() => compileModule(decodeModule(bad)), ValidationError);
});

test('a breakpoint in a function not compiled yet binds and is hit', () => {
  const { module, compiled } = load(true);
  const instance = instantiate(compiled, {});
  const mulAt = offsetsOf(module, 0, 'i32.mul')[0]!;
  const m = new Machine({ fuse: false });
  m.start(instance, 'main', [i32(2)]);
  assert.equal(m.setBreakpoint(0, mulAt), mulAt);
  assert.equal(m.run().reason, 'breakpoint');
  assert.deepEqual(m.frames().map((f) => f.funcIndex), [0, 1, 4]);
  assert.equal(m.frames()[0]!.offset, mulAt);
  const r = m.run();
  assert.deepEqual(r.reason === 'finished' ? r.results : r, [i32(9)]);
});

test('stepping into a function not compiled yet stops at its first instruction', () => {
  const { module, compiled } = load(true);
  const instance = instantiate(compiled, {});
  const m = new Machine({ fuse: false });
  m.start(instance, 'main', [i32(1)]);
  const callAt = offsetsOf(module, 4, 'call')[0]!;
  // local.get, then the call, then into $g.
  let r = m.stepInstruction();
  assert.equal(r.reason, 'step');
  assert.equal(m.frames()[0]!.offset, callAt);
  r = m.stepInstruction();
  assert.equal(r.reason, 'step');
  const top = m.frames()[0]!;
  assert.equal(top.funcIndex, 1);
  assert.equal(top.offset, offsetsOf(module, 1, 'local.get')[0]);
  assert.deepEqual(m.locals(0).map((l) => l.value), [i32(1)]);
  r = m.run();
  assert.deepEqual(r.reason === 'finished' ? r.results : r, [i32(6)]);
});
