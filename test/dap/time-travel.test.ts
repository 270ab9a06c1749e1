// Time travel through DebugClient: Step Back by line and instruction, Reverse Continue to breakpoints,
// replayed host calls (no output twice, no input read twice), a breakpoint and stopOnEntry in the
// start function, and stdin typed while stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { after, collectOutput, evaluate, fixture, launchAt, lineOf, topFrame, withClient } from './dap-harness';

const program = fixture('timetravel.wat');
const line = (marker: string): number => lineOf('timetravel.wat', marker);

const start = (dc: DebugClient, lines: string[], extra: Record<string, unknown> = {}) => launchAt(dc, program, lines, extra);

const back = (dc: DebugClient, granularity?: DebugProtocol.SteppingGranularity) => after(dc, () => dc.stepBackRequest({ threadId: 1, ...(granularity ? { granularity } : {}) }));
const reverse = (dc: DebugClient) => after(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
const cont = (dc: DebugClient) => after(dc, () => dc.continueRequest({ threadId: 1 }));
const ticks = (text: string): number => text.split('tick\n').length - 1;

test('the adapter offers Step Back', () => withClient(async (dc) => {
  const r = await dc.initializeRequest({ adapterID: 'wasmscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  assert.equal(r.body?.supportsStepBack, true);
}));

test('Step Back by line walks the loop backwards with the state of each moment, and running on replays output', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  await start(dc, ['inc']);
  assert.equal(await evaluate(dc, '$i'), '0');
  const second = await cont(dc);
  assert.equal(second.frame.line, line('inc'));
  assert.equal(await evaluate(dc, '$i'), '1');
  assert.equal(ticks(out.text('stdout')), 2);

  // Back over the call of $print (not into it), then line by line to the top of the loop.
  let s = await back(dc);
  assert.equal(s.event.body.reason, 'step');
  assert.equal(s.frame.line, line('print'));
  assert.equal(s.frame.name, 'work');
  s = await back(dc);
  assert.equal(s.frame.line, line('total'));
  assert.equal(await evaluate(dc, '$total'), '1', 'the global as it was before this iteration wrote it');
  s = await back(dc);
  assert.equal(s.frame.line, line('store'));
  assert.equal(await evaluate(dc, 'i32.load8_u 2049'), '0', 'memory before the store');
  s = await back(dc);
  assert.equal(s.frame.line, line('acc'));
  s = await back(dc);
  assert.equal(s.frame.line, line('test'));
  assert.equal(await evaluate(dc, '$i'), '1');
  s = await back(dc);
  assert.equal(s.frame.line, line('inc') + 1, 'the previous iteration\'s `br $next`');
  s = await back(dc);
  assert.equal(s.frame.line, line('inc'));
  assert.equal(await evaluate(dc, '$i'), '0');

  // Forward again: the recorded part replays (no tick printed twice), then runs live.
  s = await cont(dc);
  assert.equal(await evaluate(dc, '$i'), '1');
  assert.equal(ticks(out.text('stdout')), 2, 'replayed output is not printed again');
  s = await cont(dc);
  assert.equal(await evaluate(dc, '$i'), '2');
  assert.equal(ticks(out.text('stdout')), 3);
}));

test('Step Back by instruction goes to the previous instruction of the frame, over calls', () => withClient(async (dc) => {
  await start(dc, ['inc']);
  const at = await topFrame(dc);
  const s = await back(dc, 'instruction');
  assert.equal(s.frame.line, line('print'));
  assert.notEqual(s.frame.instructionPointerReference, at.instructionPointerReference);
  const dis = await dc.disassembleRequest({ memoryReference: s.frame.instructionPointerReference!, instructionCount: 1 });
  assert.match(dis.body?.instructions[0]?.instruction ?? '', /^call\b/);
  const again = await back(dc, 'instruction');
  const dis2 = await dc.disassembleRequest({ memoryReference: again.frame.instructionPointerReference!, instructionCount: 1 });
  assert.match(dis2.body?.instructions[0]?.instruction ?? '', /^i32\.const\b/, 'the call\'s last argument');
}));

test('Reverse Continue goes back to earlier breakpoint hits, then to the start of the program', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  await start(dc, ['total']);
  await cont(dc);
  await cont(dc);
  assert.equal(await evaluate(dc, '$i'), '2');
  let s = await reverse(dc);
  assert.equal(s.event.body.reason, 'breakpoint');
  assert.equal(s.frame.line, line('total'));
  assert.equal(await evaluate(dc, '$i'), '1');
  s = await reverse(dc);
  assert.equal(await evaluate(dc, '$i'), '0');
  assert.equal(await evaluate(dc, '$total'), '0');
  s = await reverse(dc);
  assert.match(s.event.body.text ?? '', /start of the program/);
  // The start of the program is the start function, before it ran.
  assert.equal(s.frame.name, 'init');
  assert.equal(await evaluate(dc, '$ready'), '0');
  assert.match(out.text('console'), /Reached the start of the program/);
}));

test('a breakpoint in the start function stops there, before _start runs', () => withClient(async (dc) => {
  const { event, frame } = await start(dc, ['init']);
  assert.equal(event.body.reason, 'breakpoint');
  assert.equal(frame.name, 'init');
  assert.equal(frame.line, line('init'));
  const st = await dc.stackTraceRequest({ threadId: 1 });
  assert.deepEqual(st.body.stackFrames.map((f) => f.name), ['init']);
  // Stepping out of it arrives at _start's first instruction.
  const s = await after(dc, () => dc.nextRequest({ threadId: 1 }));
  assert.equal(s.frame.name, 'main');
  assert.equal(s.frame.line, line('call-work'));
}));

test('stopOnEntry stops at the start function\'s first instruction', () => withClient(async (dc) => {
  const { event, frame } = await start(dc, [], { stopOnEntry: true });
  assert.equal(event.body.reason, 'entry');
  assert.equal(frame.name, 'init');
}));

test('stdin typed while stopped is queued for the program, and a replayed read does not read again', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  await start(dc, ['read', 'echo']);
  const r = await dc.evaluateRequest({ expression: '> hello', context: 'repl' });
  assert.match(r.body.result, /queued/);
  const s = await cont(dc);
  assert.equal(s.frame.line, line('echo'));
  assert.equal(await evaluate(dc, 'i32.load 24'), '6', 'fd_read read the queued line');
  // Back before the read, then forward: the read is replayed, so nothing waits for input.
  const b = await reverse(dc);
  assert.equal(b.frame.line, line('read'));
  const again = await cont(dc);
  assert.equal(again.frame.line, line('echo'));
  assert.equal(await evaluate(dc, 'i32.load 24'), '6');
  const exited = dc.waitForEvent('exited');
  await dc.continueRequest({ threadId: 1 });
  await exited;
  assert.equal(out.text('stdout').split('hello\n').length - 1, 1, 'echoed once');
}));

test('^D typed while stopped ends the input: the read sees end of file', () => withClient(async (dc) => {
  await start(dc, ['echo'], { stopOnEntry: true });
  const r = await dc.evaluateRequest({ expression: '^D', context: 'repl' });
  assert.match(r.body.result, /end of input/);
  const s = await cont(dc);
  assert.equal(s.frame.line, line('echo'));
  assert.equal(await evaluate(dc, 'i32.load 24'), '0');
}));
