// The debug-console expression language on its own: parsing, Wasm-width integer arithmetic,
// memory reads, names and logpoint messages (the DAP tests cover it through evaluate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateExpression, isTruthy, parseLogMessage, renderResult, ExpressionError, type EvalScope } from '../../debugger/expression';
import { parseHitCondition } from '../../debugger/breakpoints';
import type { Value } from '../../debugger/engine';
import { formatValue, parseValue, v128Lanes } from '../../debugger/value-format';

const mem = new Uint8Array(256);
new DataView(mem.buffer).setInt32(16, -5, true);
new DataView(mem.buffer).setBigInt64(32, 0x1122334455667788n, true);
mem.set(new TextEncoder().encode('hello'), 64);

const locals: Record<string, Value> = { x: { type: 'i32', value: 7 }, big: { type: 'i64', value: 1n << 40n } };
const scope: EvalScope = {
  local: (ref) => {
    const v = typeof ref === 'number' ? Object.values(locals)[ref] : locals[ref];
    if (!v) throw new ExpressionError(`no local ${ref}`);
    return v;
  },
  global: (ref) => {
    if (ref === 0 || ref === 'g') return { type: 'i32', value: 100 };
    throw new ExpressionError(`no global ${ref}`);
  },
  stack: (i) => ({ type: 'i32', value: 42 + i }),
  name: (n) => locals[n] ?? (n === 'g' ? { type: 'i32', value: 100 } : (() => { throw new ExpressionError(`no $${n}`); })()),
  memory: () => mem,
};

const ev = (s: string) => renderResult(evaluateExpression(s, scope));

test('names, local and global references', () => {
  assert.equal(ev('$x'), '7');
  assert.equal(ev('x'), '7');
  assert.equal(ev('local 0'), '7');
  assert.equal(ev('local $x'), '7');
  assert.equal(ev('local.get 0'), '7');
  assert.equal(ev('global $g'), '100');
  assert.equal(ev('global 0'), '100');
  assert.equal(ev('stack[0]'), '42');
});

test('integer arithmetic wraps like Wasm: i32 unless an i64 is involved', () => {
  assert.equal(ev('$x * 6 + 1'), '43');
  assert.equal(ev('(1 + 2) * 3'), '9');
  assert.equal(ev('2147483647 + 1'), '-2147483648');
  assert.equal(ev('$big + 1'), String((1n << 40n) + 1n));
  assert.equal(ev('-7 / 2'), '-3');
  assert.equal(ev('-1 >>> 28'), '15');
  assert.equal(ev('1 << 33'), '2');
  assert.equal(ev('0x10 | 1'), '17');
  assert.equal(ev('$x == 7 && $g > 50'), '1');
  assert.equal(ev('!$x'), '0');
  assert.throws(() => ev('1 / 0'), /divide by zero/);
});

test('memory loads and ranges', () => {
  assert.equal(ev('i32.load 16'), '-5');
  assert.equal(ev('i32.load8_u 16'), '251');
  assert.equal(ev('i64.load 32'), String(0x1122334455667788n));
  assert.equal(ev('i32.load 8 + 8'), '8', 'a load binds tighter than +');
  assert.equal(ev('i32.load (8 + 8)'), '-5');
  assert.equal(ev('mem[64]'), String('h'.charCodeAt(0)));
  assert.match(ev('mem[64..69]'), /^0x00000040 {2}68 65 6c 6c 6f {2}.*hello$/);
  assert.throws(() => ev('i32.load 254'), /outside memory/);
});

test('errors are ExpressionErrors with a reason', () => {
  assert.throws(() => ev('$nope'), ExpressionError);
  assert.throws(() => ev('1 +'), /ends too early/);
  assert.throws(() => ev('(1'), /expected '\)'/);
  assert.throws(() => ev('1 2'), /unexpected '2'/);
});

test('conditions, hit counts and log messages', () => {
  assert.equal(isTruthy(evaluateExpression('$x > 3', scope)), true);
  assert.equal(isTruthy(evaluateExpression('$x > 30', scope)), false);
  const parts = parseLogMessage('x={$x} g={global 0} {{literal}}');
  assert.equal(parts.map((p) => (typeof p === 'string' ? p : renderResult(evaluateExpression(p, scope)))).join(''), 'x=7 g=100 {literal}');
  assert.equal(parseHitCondition('3')?.(2), false);
  assert.equal(parseHitCondition('3')?.(3), true);
  assert.equal(parseHitCondition('%2')?.(4), true);
  assert.equal(parseHitCondition('==1')?.(2), false);
  assert.equal(parseHitCondition('abc'), undefined);
});

test('values: formatting, parsing and v128 lanes', () => {
  assert.equal(formatValue(parseValue('i32', '0xffffffff')), '-1');
  assert.equal(formatValue(parseValue('f32', '1.5')), '1.5');
  assert.equal(formatValue(parseValue('f64', '-inf')), '-inf');
  assert.equal(formatValue({ type: 'f32', bits: 0x7fc00000 }), 'nan');
  assert.equal(formatValue({ type: 'f32', bits: 0x7fc00001 }), 'nan:0x400001');
  const v = parseValue('v128', 'i32x4 1 2 3 -1');
  assert.equal(v.type, 'v128');
  if (v.type === 'v128') {
    assert.deepEqual(v128Lanes(v.bytes, 'i32x4'), ['1', '2', '3', '-1']);
    assert.deepEqual(v128Lanes(v.bytes, 'i64x2'), [String(1n + (2n << 32n)), String(BigInt.asIntN(64, 3n + (0xffffffffn << 32n)))]);
  }
  assert.throws(() => parseValue('i32', '5000000000'), /does not fit/);
});

test('a memory before the address, as in WAT: `i32.load 1 8`, `i64.load $wide $x`, `memory 1[a]`; one operand is memory 0', () => {
  const second = new Uint8Array(64);
  second[8] = 0xee;
  new DataView(second.buffer).setBigInt64(24, 0x55n, true);
  const seen: unknown[] = [];
  const multi: EvalScope = {
    ...scope,
    memory: (ref) => {
      seen.push(ref);
      if (ref === undefined || ref === 0) return mem;
      if (ref === 1 || ref === 'wide') return second;
      throw new ExpressionError(`no memory ${String(ref)}`);
    },
  };
  const e = (s: string) => renderResult(evaluateExpression(s, multi));
  assert.equal(e('i32.load8_u 1 8'), '238');
  assert.equal(e('i64.load $wide ($x + 17)'), String(0x55n));
  assert.equal(e('memory 1[8]'), '238');
  assert.equal(e('mem $wide[8]'), '238');
  // One operand, or an operator after the first (the load binds first): the address in memory 0.
  seen.length = 0;
  assert.equal(e('i32.load 16'), '-5');
  assert.equal(e('i32.load 16 - 4'), '-9');
  assert.equal(e('i32.load ($x + 9)'), '-5');
  assert.equal(e('mem[64]'), String('h'.charCodeAt(0)));
  assert.deepEqual(seen, [undefined, undefined, undefined, undefined]);
  assert.throws(() => e('i32.load 3 0'), /no memory 3/);
});
