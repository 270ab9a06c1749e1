// The debugger's value kind of a parameter type (launch "invoke.args", V8 runs): core/types' names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValType } from '../../../core/binary';
import { concreteHeap, refOf } from '../../../core/types';
import { valueKindOf } from '../../../debugger/value-format';

test('numbers, v128 and the abstract references take their own kind; typed references are written as externref', () => {
  assert.equal(valueKindOf(ValType.i32), 'i32');
  assert.equal(valueKindOf(ValType.i64), 'i64');
  assert.equal(valueKindOf(ValType.f32), 'f32');
  assert.equal(valueKindOf(ValType.f64), 'f64');
  assert.equal(valueKindOf(ValType.v128), 'v128');
  assert.equal(valueKindOf(ValType.funcref), 'funcref');
  assert.equal(valueKindOf(ValType.externref), 'externref');
  assert.equal(valueKindOf(ValType.exnref), 'exnref');
  assert.equal(valueKindOf(0x6e), 'anyref');
  // (ref null 0) and (ref func): only null can be written, as an externref
  assert.equal(valueKindOf(refOf(true, concreteHeap(0))), 'externref');
  assert.equal(valueKindOf(refOf(false, ValType.funcref)), 'externref');
});
