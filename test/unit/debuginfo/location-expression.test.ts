// DWARF expression evaluation for Wasm on hand-assembled expressions: every Wasm location kind,
// frame-base arithmetic, values, pieces, memory reads, branches, and what cannot be resolved.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateLocation, formatExpression, readLocation } from '../../../core/debuginfo';
import { FakeMachine } from './fixture-loader';

const e = (...bytes: number[]) => new Uint8Array(bytes);
const WASM = 0xed;

test('DW_OP_WASM_location names a local, a global (LEB and u32 forms) or an operand-stack slot', () => {
  assert.deepEqual(evaluateLocation(e(WASM, 0, 5)), { kind: 'local', index: 5 });
  assert.deepEqual(evaluateLocation(e(WASM, 0, 0x80, 0x01, 0x9f)), { kind: 'local', index: 128 });
  assert.deepEqual(evaluateLocation(e(WASM, 1, 2)), { kind: 'global', index: 2 });
  assert.deepEqual(evaluateLocation(e(WASM, 3, 0x01, 0x01, 0, 0, 0x9f)), { kind: 'global', index: 257 });
  assert.deepEqual(evaluateLocation(e(WASM, 2, 3, 0x9f)), { kind: 'stack', index: 3 });
  assert.deepEqual(evaluateLocation(e(WASM, 9, 0)), { kind: 'unavailable', reason: 'unknown DW_OP_WASM_location kind 9' });
  assert.equal(formatExpression(e(WASM, 3, 0, 0, 0, 0, 0x9f)), 'DW_OP_WASM_location 0x3 0x0, DW_OP_stack_value');
});

test('DW_OP_fbreg adds to a frame base held in a Wasm local or the stack-pointer global', () => {
  const m = new FakeMachine();
  m.locals.set(2, 1000);
  m.globals.set(0, 4096);
  const local = e(WASM, 0, 2, 0x9f);
  const global = e(WASM, 3, 0, 0, 0, 0, 0x9f);
  assert.deepEqual(evaluateLocation(e(0x91, 12), { frameBase: local, accessor: m }), { kind: 'memory', address: 1012 });
  assert.deepEqual(evaluateLocation(e(0x91, 0x70), { frameBase: global, accessor: m }), { kind: 'memory', address: 4080 });
  assert.deepEqual(evaluateLocation(e(0x91, 12), { accessor: m }), { kind: 'unavailable', reason: 'no frame base' });
  assert.deepEqual(evaluateLocation(e(0x91, 12), { frameBase: e(WASM, 0, 7), accessor: m }), {
    kind: 'unavailable',
    reason: 'frame base: Wasm local 7 is not available',
  });
  // a pointer in a local, dereferenced with an offset: *(local1 + 8)
  m.locals.set(1, 200);
  m.view().setUint32(208, 0xabc, true);
  assert.deepEqual(evaluateLocation(e(WASM, 0, 1, 0x23, 8, 0x06), { accessor: m }), { kind: 'memory', address: 0xabc });
});

test('constants, arithmetic and stack values', () => {
  assert.deepEqual(evaluateLocation(e(0x11, 0x7f, 0x9f)), { kind: 'value', value: -1n }); // consts -1
  assert.deepEqual(evaluateLocation(e(0x10, 0xe5, 0x8e, 0x26, 0x9f)), { kind: 'value', value: 624485n }); // constu
  assert.deepEqual(evaluateLocation(e(0x35, 0x23, 0x10, 0x9f)), { kind: 'value', value: 21n }); // lit5 plus_uconst 16
  assert.deepEqual(evaluateLocation(e(0x3a, 0x33, 0x1e, 0x34, 0x1c, 0x9f)), { kind: 'value', value: 26n }); // 10*3-4
  assert.deepEqual(evaluateLocation(e(0x03, 0x50, 0x04, 0, 0)), { kind: 'memory', address: 0x450 }); // addr
  assert.deepEqual(evaluateLocation(e(0xa1, 0x00), { addrx: (i) => (i === 0 ? 0x1234 : undefined) }), { kind: 'memory', address: 0x1234 });
  assert.deepEqual(evaluateLocation(e(0x0e, 1, 0, 0, 0, 0, 0, 0, 0x80, 0x9f)), { kind: 'value', value: 0x8000000000000001n });
  // a DW_OP_bra over a literal: 1 ? 7 : 9
  assert.deepEqual(evaluateLocation(e(0x31, 0x28, 4, 0, 0x39, 0x2f, 1, 0, 0x37, 0x9f)), { kind: 'value', value: 7n });
  assert.deepEqual(evaluateLocation(e(0x30, 0x28, 4, 0, 0x39, 0x2f, 1, 0, 0x37, 0x9f)), { kind: 'value', value: 9n });
});

test('values read back as little-endian bytes of the variable size', () => {
  const m = new FakeMachine();
  m.locals.set(0, -2);
  assert.deepEqual(readLocation({ kind: 'local', index: 0 }, 4, m), e(0xfe, 0xff, 0xff, 0xff));
  assert.deepEqual(readLocation({ kind: 'value', value: -1n }, 8, m), e(255, 255, 255, 255, 255, 255, 255, 255));
  m.memory.set([1, 2, 3], 10);
  assert.deepEqual(readLocation({ kind: 'memory', address: 10 }, 3, m), e(1, 2, 3));
  assert.equal(readLocation({ kind: 'memory', address: 70000 }, 4, m), undefined);
  const f64 = { local: () => ({ type: 'f64' as const, bits: 0x3ff0000000000000n }), global: () => undefined, stack: () => undefined, readMemory: () => undefined };
  assert.deepEqual(readLocation({ kind: 'local', index: 0 }, 8, f64), e(0, 0, 0, 0, 0, 0, 0xf0, 0x3f));
});

test('pieces assemble a value from several places; missing pieces read as zero', () => {
  const m = new FakeMachine();
  m.locals.set(1, 7);
  m.stackSlots.set(0, 9);
  const loc = evaluateLocation(e(WASM, 0, 1, 0x9f, 0x93, 4, WASM, 2, 0, 0x9f, 0x93, 4));
  assert.deepEqual(loc, {
    kind: 'pieces',
    pieces: [
      { size: 4, location: { kind: 'local', index: 1 } },
      { size: 4, location: { kind: 'stack', index: 0 } },
    ],
  });
  assert.deepEqual(readLocation(loc, 8, m), e(7, 0, 0, 0, 9, 0, 0, 0));
  const partial = evaluateLocation(e(0x93, 4, WASM, 0, 1, 0x9f, 0x93, 4));
  assert.deepEqual(readLocation(partial, 8, m), e(0, 0, 0, 0, 7, 0, 0, 0));
  assert.deepEqual(readLocation(evaluateLocation(e(0x9e, 2, 0x34, 0x12)), 2, m), e(0x34, 0x12)); // implicit_value
});

test('what cannot be resolved is reported, never thrown', () => {
  const reason = (bytes: Uint8Array) => {
    const r = evaluateLocation(bytes);
    return r.kind === 'unavailable' ? r.reason : r.kind;
  };
  assert.equal(reason(e()), 'optimized out');
  assert.equal(reason(e(0x50)), 'machine registers do not exist in WebAssembly');
  assert.equal(reason(e(0x71, 4)), 'machine registers do not exist in WebAssembly');
  assert.equal(reason(e(0x9c)), 'no call frame information in WebAssembly');
  assert.equal(reason(e(0xa3, 1, 0x50, 0x9f)), 'optimized out (entry value)');
  assert.equal(reason(e(0x22)), 'DWARF stack underflow');
  assert.equal(reason(e(WASM, 0)), 'malformed expression: expression: read past end at offset 0x2');
  assert.equal(reason(e(0xfe)), 'malformed expression: unknown DWARF operation 0xfe');
  assert.equal(reason(e(WASM, 0, 1, 0x23, 4)), 'needs the value of a Wasm local');
  assert.equal(reason(e(0x30, 0x30, 0x1b)), 'division by zero');
  assert.equal(reason(e(0x2f, 0x10, 0)), 'branch into the middle of an operation');
  assert.equal(reason(e(0x2f, 0xfd, 0xff)), 'expression does not terminate'); // skip -3: itself
  // random bytes: never a throw
  let seed = 1;
  for (let i = 0; i < 2000; i++) {
    const bytes = new Uint8Array(1 + (i % 12)).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
    const m = new FakeMachine();
    evaluateLocation(bytes, { accessor: m, frameBase: bytes });
    formatExpression(bytes);
  }
});
