// A Rust panic and a C abort() stop the debugger as an exception with the panic message, at the
// source line that panicked: the runtime's machinery above it is marked subtle, so the editor
// selects the user's frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { join } from 'node:path';
import { launch, root, stopped, withClient } from './dap-harness';
import { langFixture, markerLine } from './lang-harness';

/** The frame VS Code focuses: the first that is neither subtle nor has a deemphasized source. */
function focused(frames: DebugProtocol.StackFrame[]): DebugProtocol.StackFrame | undefined {
  return frames.find((f) => f.presentationHint !== 'subtle' && f.source?.presentationHint !== 'deemphasize' && f.source?.path !== undefined);
}

async function runToException(dc: DebugClient, program: string) {
  const hit = stopped(dc, 'exception');
  await launch(dc, { program }, () => dc.setExceptionBreakpointsRequest({ filters: ['trap'] }));
  const { event } = await hit;
  const st = await dc.stackTraceRequest({ threadId: 1 });
  return { event, frames: st.body.stackFrames };
}

test('a Rust panic stops with its message, the panicking line focused below std\'s panic machinery', () => withClient(async (dc) => {
  const { event, frames } = await runToException(dc, langFixture('values-rs.wasm'));
  const source = langFixture('src/values.rs');
  assert.equal(event.body.text, 'total 60 is over the limit 23');
  assert.equal(event.body.description, 'Paused on panic: total 60 is over the limit 23');
  const user = frames.findIndex((f) => f.name === 'values::checked_total');
  assert.ok(user > 0, frames.map((f) => f.name).join('\n'));
  assert.ok(frames.slice(0, user).every((f) => f.presentationHint === 'subtle'), 'the panic machinery is subtle');
  assert.ok(frames.slice(0, user).some((f) => f.name === 'std::panicking::rust_panic_with_hook'));
  const f = focused(frames);
  assert.equal(f?.name, 'values::checked_total');
  assert.equal(f?.source?.path, source);
  assert.equal(f?.line, markerLine(source, 'panic'));
  assert.equal(frames[user + 1]?.presentationHint, undefined, 'callers are ordinary frames');
  const info = await dc.exceptionInfoRequest({ threadId: 1 });
  assert.equal(info.body.exceptionId, 'panic');
  assert.equal(info.body.description, 'total 60 is over the limit 23 (at src/values.rs:34:9)');
  assert.equal(info.body.details?.typeName, 'Rust panic');
  assert.match(info.body.details?.fullTypeName ?? '', /WebAssembly trap: unreachable/);
  // the user's frame has its variables
  const scopes = await dc.scopesRequest({ frameId: f!.id });
  const locals = scopes.body.scopes.find((s) => s.name === 'Source Locals');
  const vars = await dc.variablesRequest({ variablesReference: locals!.variablesReference });
  assert.equal(vars.body.variables.find((v) => v.name === 'limit')?.value, '23');
}));

test('a C abort() stops as an abort with the C frame that called it focused', () => withClient(async (dc) => {
  const { event, frames } = await runToException(dc, langFixture('values-cpp.wasm'));
  assert.equal(event.body.text, 'abort() called');
  assert.equal(frames[0]?.name, 'abort');
  assert.equal(frames[0]?.presentationHint, 'subtle');
  const f = focused(frames);
  assert.equal(f?.name, 'c_strings');
  assert.equal(f?.line, markerLine(langFixture('cstrings.c'), 'abort'));
  const info = await dc.exceptionInfoRequest({ threadId: 1 });
  assert.equal(info.body.exceptionId, 'abort');
}));

test('an ordinary trap is still a trap, with nothing marked subtle', () => withClient(async (dc) => {
  const { event, frames } = await runToException(dc, join(root, 'examples', 'trap.wat'));
  assert.equal(event.body.text, 'integer divide by zero');
  assert.equal(event.body.description, 'Paused on trap: integer divide by zero');
  assert.notEqual(frames[0]?.presentationHint, 'subtle');
  assert.equal((await dc.exceptionInfoRequest({ threadId: 1 })).body.exceptionId, 'trap');
}));
