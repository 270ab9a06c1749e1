// detectPanic: which traps are a runtime's panic/abort/assert, the message it printed, and the
// first frame outside the runtime's machinery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectPanic, isRuntimeFrame, OutputTail } from '../../../core/debuginfo';

const rustFrames = [
  '_ZN11panic_abort18__rust_start_panic5abort17h0123456789abcdefE',
  'rust_panic',
  '_ZN3std9panicking20rust_panic_with_hook17h6ac9000000000000E',
  '_ZN4core9panicking9panic_fmt17h1111111111111111E',
  '_ZN6values13checked_total17h2222222222222222E',
  '_ZN6values4main17h3333333333333333E',
];

test('a Rust 1.63 panic: message and location from stderr, user frame below the machinery', () => {
  const p = detectPanic(rustFrames, "out\nthread 'main' panicked at 'total 60 is over', src/values.rs:34:9\nnote: run with ...\n");
  assert.deepEqual(p, { kind: 'panic', message: 'total 60 is over', location: 'src/values.rs:34:9', userFrame: 4 });
});

test('a Rust 1.73+ panic message format', () => {
  const p = detectPanic(rustFrames, "thread 'main' panicked at src/lib.rs:3:5:\nindex out of bounds\n");
  assert.equal(p?.message, 'index out of bounds');
  assert.equal(p?.location, 'src/lib.rs:3:5');
});

test('a panic whose message never reached stderr still is a panic', () => {
  assert.equal(detectPanic(rustFrames, '')?.message, 'panicked (no message on stderr)');
});

test('C abort and assert', () => {
  assert.deepEqual(detectPanic(['abort', 'c_strings', 'main'], 'fatal\n'), { kind: 'abort', message: 'abort() called', userFrame: 1 });
  const a = detectPanic(['__assert_fail', 'check', 'main'], 'Assertion failed: n > 0 (main.c: check: 12)\n');
  assert.deepEqual(a, { kind: 'assert', message: 'assertion failed: n > 0', location: 'main.c:12', userFrame: 1 });
});

test('a trap in user code, or in library code that is not a terminal, is not a panic', () => {
  assert.equal(detectPanic(['average', 'main'], "thread 'main' panicked at 'x', a.rs:1:1\n"), undefined);
  assert.equal(detectPanic(['_ZN4core3fmt5write17h4444444444444444E', 'main'], ''), undefined);
  assert.equal(detectPanic([], ''), undefined);
});

test('isRuntimeFrame on demangled and plain names', () => {
  assert.ok(isRuntimeFrame('_ZN3std9panicking20rust_panic_with_hook17h6ac9000000000000E'));
  assert.ok(isRuntimeFrame('__cxa_throw'));
  assert.ok(!isRuntimeFrame('_ZN6values4main17h3333333333333333E'));
  assert.ok(!isRuntimeFrame(undefined));
});

test('OutputTail keeps the last bytes, across split UTF-8 sequences', () => {
  const t = new OutputTail(8);
  const bytes = new TextEncoder().encode('abcdefgh€');
  t.push(bytes.subarray(0, 9));
  t.push(bytes.subarray(9));
  assert.equal(t.toString(), 'bcdefgh€');
});
