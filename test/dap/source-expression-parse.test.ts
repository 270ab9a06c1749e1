// The expression language's source-place syntax on its own: what parses to places, derefs and
// address-of, and that Wasm expressions keep their meaning (`2 * 3`, `$a.b`, `mem[..]`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateExpression, ExpressionError, parseExpression, renderResult, type EvalScope, type Place } from '../../debugger/expression';
import type { Value } from '../../debugger/engine';
import type { SourceValue } from '../../debugger/source-variables';

/** A toy place over a JS object tree: numbers are scalars, arrays index, objects have members. */
function place(name: string, v: unknown, address = 0x100): Place {
  const fail = (m: string): never => { throw new ExpressionError(m); };
  return {
    source: { name } as SourceValue,
    field: (m) => (v && typeof v === 'object' && m in v ? place(`${name}.${m}`, (v as Record<string, unknown>)[m], address + 4) : fail(`${name} has no member ${m}`)),
    index: (i) => (Array.isArray(v) && i < v.length ? place(`${name}[${i}]`, v[i], address + 4 * i) : fail(`${name} has no element [${i}]`)),
    key: (k) => (v instanceof Map && v.has(k) ? place(`${name}[${k}]`, v.get(k)) : fail(`no entry ${k}`)),
    deref: () => (v && typeof v === 'object' && 'ptr' in v ? place(`*${name}`, (v as { ptr: unknown }).ptr) : fail(`${name} is not a pointer`)),
    call: (m) => (m === 'len' && Array.isArray(v) ? { type: 'i32', value: v.length } : fail(`${m}() is not known`)),
    scalar: (): Value => (typeof v === 'number' ? { type: 'i32', value: v } : fail(`${name} is not a number`)),
    address: () => address,
    render: () => JSON.stringify(v instanceof Map ? [...v] : v),
  };
}

const vars: Record<string, unknown> = { p: { x: 1, y: 2 }, v: [10, 20, 30], m: new Map([['ann', 31]]), ptr: { ptr: 7 }, t: { 0: 5, 1: { 0: 6 } }, pp: { ptr: { x: 9 } } };
const wasm: Record<string, Value> = { x: { type: 'i32', value: 4 }, 'a.b': { type: 'i32', value: 8 } };
const scope: EvalScope = {
  local: () => { throw new ExpressionError('no locals'); },
  global: () => { throw new ExpressionError('no globals'); },
  stack: () => { throw new ExpressionError('no stack'); },
  name: (n) => wasm[n] ?? (() => { throw new ExpressionError(`no $${n}`); })(),
  memory: () => new Uint8Array(16),
  place: (n) => (n in vars ? place(n, vars[n]) : undefined),
};
const ev = (s: string) => renderResult(evaluateExpression(s, scope));

test('places: members, elements, keys, tuple fields, derefs, arrows, method calls', () => {
  assert.equal(ev('p.x + 1'), '2');
  assert.equal(ev('v[2]'), '30');
  assert.equal(ev('v[p.y]'), '30');
  assert.equal(ev('v[1] * v[0]'), '200');
  assert.equal(ev('m["ann"]'), '31');
  assert.equal(ev('t.0 + t.1.0'), '11');
  assert.equal(ev('*ptr * 2'), '14');
  assert.equal(ev('2 * *ptr'), '14');
  assert.equal(ev('pp->x'), '9');
  assert.equal(ev('(*pp).x'), '9');
  assert.equal(ev('v.len()'), '3');
  assert.equal(ev('v'), '[10,20,30]');
  assert.equal(ev('&v[1]'), '0x00000104');
  assert.equal(ev('&p.x + 0'), '260');
});

test('Wasm expressions keep their meaning; a bare non-source word is a Wasm name', () => {
  assert.equal(ev('2 * 3'), '6');
  assert.equal(ev('x + 1'), '5');
  assert.equal(ev('a.b'), '8');
  assert.equal(ev('x & 1'), '0');
  assert.deepEqual(parseExpression('$a.b'), { kind: 'name', name: 'a.b' });
});

test('errors say what is wrong', () => {
  assert.throws(() => ev('nope[1]'), /no source variable named nope/);
  assert.throws(() => ev('*x'), /'\*' needs a source variable/);
  assert.throws(() => ev('&3'), /'&' needs a source variable/);
  assert.throws(() => ev('"s"'), /a string can only be a map key/);
  assert.throws(() => ev('v.len().x'), /gives a number/);
  assert.throws(() => ev('v["a'), /unterminated string/);
  assert.throws(() => ev('v[0].'), /expected a member name/);
  assert.throws(() => ev('v[1.5]'), /an index must be an integer/);
});
