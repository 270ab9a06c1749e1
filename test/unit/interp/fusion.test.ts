// Superinstructions: loads and stores addressed by a local or a local plus a constant, loop tails
// (add into a local, then branch on it), compares stored into locals, local.get+eqz+br_if and
// x - c as x + (-c). Each program runs fused and unfused and must agree, edge values included
// (address wrap-around, out-of-bounds traps at the access, INT_MIN constants).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { compileModule, instantiate, invoke, type Value } from '../../../core/interp';
import { ensureCompiled } from '../../../core/interp/compile';
import { Trap } from '../../../core/errors';
import { watToBinary } from '../../../core/text';

const WAT = `(module
  (memory 1)
  (func (export "loads") (param $p i32) (result i32)
    (i32.add (i32.add (i32.load offset=4 (i32.add (local.get $p) (i32.const 8)))
                      (i32.load8_s (i32.add (local.get $p) (i32.const 1))))
             (i32.add (i32.load16_u offset=2 (local.get $p))
                      (i32.wrap_i64 (i64.load32_s (i32.add (local.get $p) (i32.const 12)))))))
  (func (export "stores") (param $p i32) (param $v i32) (result i32)
    (i32.store offset=4 (i32.add (local.get $p) (i32.const 8)) (local.get $v))
    (i32.store8 (i32.add (local.get $p) (i32.const 1)) (i32.const 0x1ff))
    (i32.store16 offset=2 (local.get $p) (local.get $v))
    (i32.store8 (i32.add (local.get $p) (local.get $v)) (i32.const 7))
    (i32.load offset=12 (local.get $p)))
  (func (export "wrap") (param $p i32) (result i32)
    ;; (p + c) wraps at 2^32, then the offset is added without wrapping
    (i32.load offset=16 (i32.add (local.get $p) (i32.const -8))))
  (func (export "count") (param $n i32) (param $step i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (local.get $step)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 100))))
    (loop $d
      (local.set $s (i32.xor (local.get $s) (local.get $n)))
      (br_if $d (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "cmpset") (param $a i32) (result i32) (local $c i32)
    (local.set $c (i32.gt_u (local.get $a) (i32.const 10)))
    (block (br_if 0 (i32.eqz (local.get $a))) (local.set $c (i32.add (local.get $c) (i32.const 2))))
    (i32.add (local.get $c) (i32.sub (local.get $a) (i32.const 0x80000000))))
)`;

const i32 = (value: number): Value => ({ type: 'i32', value });

function runner(fuse: boolean): (name: string, ...args: number[]) => number | string {
  const compiled = compileModule(decodeModule(watToBinary(WAT).bytes), { fuse, lazy: false });
  const inst = instantiate(compiled, {});
  const mem = inst.memories[0]!;
  for (let k = 0; k < 64; k++) mem.u8[k] = (k * 37 + 11) & 0xff;
  return (name, ...args) => {
    try {
      return (invoke(inst, name, args.map(i32))[0] as { value: number }).value;
    } catch (e) {
      if (e instanceof Trap) return `trap: ${e.message}`;
      throw e;
    }
  };
}

test('fused and unfused code agree on loads, stores, loop tails and compares', () => {
  const fused = runner(true);
  const plain = runner(false);
  const cases: [string, ...number[]][] = [
    ['loads', 0], ['loads', 3], ['loads', 65536 - 16], ['loads', 65536 - 15], ['loads', -4],
    ['stores', 0, 5], ['stores', 20, -1], ['stores', 65536 - 16, 3], ['stores', 65536 - 1, 0],
    ['wrap', 4], ['wrap', 8], ['wrap', 0], ['wrap', 65536 - 8], ['wrap', 65536 - 7],
    ['count', 5, 1], ['count', 1, 7], ['count', 3, 200],
    ['cmpset', 0], ['cmpset', 11], ['cmpset', 10], ['cmpset', -1],
  ];
  for (const [name, ...args] of cases) {
    assert.deepEqual(fused(name, ...args), plain(name, ...args), `${name}(${args.join(', ')})`);
  }
  assert.match(String(fused('wrap', 65536 - 7)), /out of bounds memory access/);
  // 0 + (-8) wraps to 2^32 - 8, and the offset is added after the wrap: past the end, not at 8
  assert.match(String(fused('wrap', 0)), /out of bounds memory access/);
  assert.equal(typeof fused('wrap', 8), 'number');
});

test('the peephole emits the fused forms', () => {
  const compiled = compileModule(decodeModule(watToBinary(WAT).bytes), { lazy: false });
  const fusedLen = (i: number): number => {
    const c = compiled.funcs[i]!;
    ensureCompiled(c);
    return c.pcs.length;
  };
  const plain = compileModule(decodeModule(watToBinary(WAT).bytes), { lazy: false, fuse: false });
  // every function has fewer dispatches fused than unfused; the loop function's two loop tails are one instruction each
  for (let i = 0; i < compiled.funcs.length; i++) assert.ok(fusedLen(i) < plain.funcs[i]!.pcs.length, `function ${i}`);
  assert.ok(fusedLen(3) <= 7, `count: ${fusedLen(3)} instructions`);
});
