// Rust and C++ names in the debugger: the Call Stack and the disassembly read demangled, and
// function breakpoints take the names programmers write (`values::checked_total`, `Shape::sides`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, stopped, withClient } from './dap-harness';
import { langFixture, markerLine } from './lang-harness';

const rust = langFixture('values-rs.wasm');
const cpp = langFixture('values-cpp.wasm');
const MANGLED = /_ZN|17h[0-9a-f]{16}E|^_R/;

test('a function breakpoint by Rust path stops there; the whole Call Stack and the disassembly read demangled', () => withClient(async (dc) => {
  const hit = stopped(dc);
  let bps: { verified: boolean }[] = [];
  await launch(dc, { program: rust }, async () => {
    bps = (await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'values::checked_total' }, { name: 'values::no_such_fn' }] })).body.breakpoints;
  });
  assert.deepEqual(bps.map((b) => b.verified), [true, false]);
  const { frame } = await hit;
  assert.equal(frame.name, 'values::checked_total');
  const st = await dc.stackTraceRequest({ threadId: 1 });
  const names = st.body.stackFrames.map((f) => f.name);
  assert.deepEqual(names.slice(0, 2), ['values::checked_total', 'values::main']);
  assert.equal(st.body.stackFrames[1]?.line, markerLine(langFixture('src/values.rs'), 'main-panic'));
  // std's frames (their sources are not on this machine) keep their demangled names
  assert.ok(names.includes('std::rt::lang_start_internal'), names.join('\n'));
  for (const n of names) assert.doesNotMatch(n, MANGLED, n);
  const dis = await dc.disassembleRequest({ memoryReference: frame.instructionPointerReference!, instructionCount: 110, instructionOffset: -100 });
  const symbols = dis.body!.instructions.map((i) => i.symbol).filter((s): s is string => s !== undefined);
  assert.ok(symbols.includes('values::checked_total'), symbols.join(', '));
  for (const s of symbols) assert.doesNotMatch(s, MANGLED, s);
}));

test('function breakpoints by C++ path tail and template name', () => withClient(async (dc) => {
  const hit = stopped(dc);
  let bps: { verified: boolean }[] = [];
  await launch(dc, { program: cpp }, async () => {
    bps = (await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'Shape::sides' }, { name: 'geo::scaled<double>' }] })).body.breakpoints;
  });
  assert.deepEqual(bps.map((b) => b.verified), [true, true]);
  // main calls scaled<int> first, then sides, then scaled<double>
  assert.equal((await hit).frame.name, 'geo::Shape::sides');
  const next = stopped(dc);
  await dc.continueRequest({ threadId: 1 });
  const { frame } = await next;
  assert.match(frame.name, /^geo::scaled/);
  const st = await dc.stackTraceRequest({ threadId: 1 });
  assert.equal(st.body.stackFrames[1]?.name, 'main');
}));

test('`main` finds the C++ program\'s main through DWARF (wasm-ld renames it __original_main)', () => withClient(async (dc) => {
  const hit = stopped(dc);
  await launch(dc, { program: cpp }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'main' }] }));
  assert.equal((await hit).frame.name, 'main');
}));
