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

/** The wastResult events of debugging the assertion at `marker` to its end, and the order of the
 * event and the exit. */
async function debugToEnd(marker: string): Promise<{ results: unknown[]; order: string[] }> {
  const results: unknown[] = [];
  const order: string[] = [];
  await withClient(async (dc) => {
    dc.on('wastResult', (e: { body: unknown }) => { results.push(e.body); order.push('wastResult'); });
    dc.on('exited', () => order.push('exited'));
    // A trap stops first (the trap filter is on by default); the assertion ends when it runs on.
    dc.on('stopped', () => void dc.continueRequest({ threadId: 1 }));
    const ended = dc.waitForEvent('exited');
    await launch(dc, { program, wastLine: line(marker) });
    await ended;
  });
  return { results, order };
}

test('the assertion\'s result goes to the Testing view as a wastResult event before the exit', async () => {
  const pass = await debugToEnd('pass');
  assert.deepEqual(pass.results, [{ line: line('pass'), kind: 'assert_return', ok: true }]);
  assert.deepEqual(pass.order, ['wastResult', 'exited']);
  assert.deepEqual((await debugToEnd('fail')).results, [{
    line: line('fail'), kind: 'assert_return', ok: false,
    message: 'invoke "twice": result 0: expected i32:5, got i32:3', expected: 'i32:5', actual: 'i32:3',
  }]);
  assert.deepEqual((await debugToEnd('trap')).results, [{ line: line('trap'), kind: 'assert_trap', ok: true }]);
  assert.deepEqual((await debugToEnd('no-trap')).results, [{
    line: line('no-trap'), kind: 'assert_trap', ok: false,
    message: 'invoke "twice": expected trap "unreachable", got i32:7', expected: 'trap "unreachable"', actual: 'i32:7',
  }]);
});

test('a session ended before its assertion finished reports no result', () => withClient(async (dc) => {
  const results: unknown[] = [];
  dc.on('wastResult', (e: { body: unknown }) => results.push(e.body));
  const first = stopped(dc, 'breakpoint');
  await launch(dc, { program, wastLine: line('pass') }, () => dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: line('twice') }] }));
  await first;
  await dc.disconnectRequest({});
  assert.deepEqual(results, []);
}));
