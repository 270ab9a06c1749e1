// Debugging one assertion of a .wast script ("wastLine"): the commands before it run, then its
// invoke stops at breakpoints on the script's lines in the module under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectOutput, evaluate, fixture, launch, lineOf, stopped, withClient } from './dap-harness';

const program = fixture('script.wast');
const line = (marker: string): number => lineOf('script.wast', marker);

test('an assertion runs under the debugger after the script\'s earlier commands, stopping in the module', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  const first = stopped(dc, 'breakpoint');
  await launch(dc, { program, wastLine: line('pass') }, () => dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: line('twice') }] }));
  const { frame } = await first;
  assert.equal(frame.name, 'twice');
  assert.equal(frame.source?.path, program);
  assert.equal(frame.line, line('twice'));
  assert.equal(await evaluate(dc, '$x'), '20');
  assert.equal(await evaluate(dc, '$count'), '1', 'the (invoke "bump") before it ran');
  const exited = dc.waitForEvent('exited');
  await dc.continueRequest({ threadId: 1 });
  await exited;
  assert.match(out.text('console'), /line \d+ \(assert_return\): twice\(20\) returned 41 — the assertion holds/);
}));

test('a failing assertion says what it expected', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  const exited = dc.waitForEvent('exited');
  await launch(dc, { program, wastLine: line('fail') });
  await exited;
  assert.match(out.text('console'), /line 14 \(assert_return\): twice\(1\) returned 3 — the assertion fails: expected i32:5, got i32:3/);
}));

test('a line that is not an invoking command is a clear launch error', () => withClient(async (dc) => {
  await assert.rejects(launch(dc, { program, wastLine: 4 }), /module does not call a function|no command/);
}));
