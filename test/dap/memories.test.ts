// Tail calls in the call stack (as the frame they replaced, marked), every memory of a multi-memory
// module in the Memory view, and memory64 addresses with 64 bits in the view and in evaluate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { evaluate, fixture, launchAt, scopeValues, withClient } from './dap-harness';

const program = fixture('memories.wat');
const read = (dc: DebugClient, args: DebugProtocol.ReadMemoryArguments) => dc.customRequest('readMemory', args) as Promise<DebugProtocol.ReadMemoryResponse>;
const start = (dc: DebugClient, markers: string[]) => launchAt(dc, program, markers, { invoke: { export: 'main', args: [] } });

test('a tail call shows as the frame it replaced, marked; ordinary calls are not marked', () => withClient(async (dc) => {
  const first = await start(dc, ['helper', 'last']);
  assert.equal(first.frame.name, 'helper');
  let st = await dc.stackTraceRequest({ threadId: 1 });
  assert.deepEqual(st.body.stackFrames.map((f) => f.name), ['helper', 'start']);
  await Promise.all([dc.waitForEvent('stopped'), dc.continueRequest({ threadId: 1 })]);
  st = await dc.stackTraceRequest({ threadId: 1 });
  assert.deepEqual(st.body.stackFrames.map((f) => f.name), ['last (tail call from start)']);
  assert.equal(await evaluate(dc, '$n'), '2');
}));

test('each memory has its own memory reference; memory64 addresses are 64-bit', () => withClient(async (dc) => {
  await start(dc, ['last']);
  const memory = await scopeValues(dc, 'Memory');
  const m0 = memory.get('memory 0')!;
  const m1 = memory.get('memory 1')!;
  assert.equal(m0.memoryReference, '0x00000000');
  assert.equal(m1.memoryReference, 'memory 1 @ 0x0000000000000000');
  assert.match(m1.value, /2 pages .*i64 addresses/);
  const small = await read(dc, { memoryReference: m0.memoryReference!, offset: 8, count: 5 });
  assert.equal(Buffer.from(small.body!.data!, 'base64').toString(), 'small');
  const wide = await read(dc, { memoryReference: m1.memoryReference!, offset: 16, count: 4 });
  assert.equal(wide.body!.address, '0x0000000000000010');
  assert.deepEqual([...Buffer.from(wide.body!.data!, 'base64')], [0xaa, 0xbb, 0xcc, 0xdd]);
  await dc.customRequest('writeMemory', { memoryReference: m1.memoryReference!, offset: 16, data: Buffer.from([1]).toString('base64') });
  const again = await read(dc, { memoryReference: m1.memoryReference!, offset: 16, count: 1 });
  assert.deepEqual([...Buffer.from(again.body!.data!, 'base64')], [1]);
  const bad = read(dc, { memoryReference: 'memory 5 @ 0x0', count: 1 });
  await assert.rejects(bad, /no memory 5/);
}));

test('memory64: an i64 address opens the Memory view with 16 hex digits, and evaluate loads through it', () => withClient(async (dc) => {
  await launchAt(dc, fixture('memory64.wat'), ['load'], { invoke: { export: 'main', args: [] } });
  const p = (await scopeValues(dc, 'Locals')).get('$p')!;
  assert.equal(p.memoryReference, '0x0000000000000100');
  assert.equal(await evaluate(dc, 'i64.load $p'), String(0x1122334455667788n));
  assert.equal(await evaluate(dc, 'i32.load8_u (0x100 + 1)'), '119');
  const r = await read(dc, { memoryReference: p.memoryReference!, count: 2 });
  assert.equal(r.body!.address, '0x0000000000000100');
}));

test('self, indirect and call_ref tail calls are marked; a plain call after one is not', () => withClient(async (dc) => {
  const names = async () => (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.map((f) => f.name);
  const next = () => Promise.all([dc.waitForEvent('stopped'), dc.continueRequest({ threadId: 1 })]);
  await launchAt(dc, fixture('tail-calls.wat'), ['self', 'target'], { invoke: { export: 'main', args: [] } });
  assert.deepEqual(await names(), ['loop (tail call from loop)', 'main']);
  assert.equal(await evaluate(dc, '$n'), '0');
  await next();
  // The same call site again, now without a tail call: the frame is not marked.
  assert.deepEqual(await names(), ['loop', 'main']);
  await next();
  assert.deepEqual(await names(), ['target (tail call from viaTable)', 'main']);
  assert.equal(await evaluate(dc, '$x'), '7');
  await next();
  assert.deepEqual(await names(), ['target (tail call from viaRef)', 'main']);
  // Step Back returns to main's call, before the tail call: no mark; forward again, the mark is back.
  await Promise.all([dc.waitForEvent('stopped'), dc.customRequest('stepBack', { threadId: 1 })]);
  assert.deepEqual(await names(), ['main']);
  await next();
  assert.deepEqual(await names(), ['target (tail call from viaRef)', 'main']);
  await next();
  assert.deepEqual(await names(), ['target', 'main']);
}));

test('evaluate and watch read any memory: `i32.load 1 0x10`, `i64.load $wide a`, `memory 1[a]`; memory64 addresses keep 64 bits', () => withClient(async (dc) => {
  await start(dc, ['last']);
  // Memory 0 as before: a lone operand is the address.
  assert.equal(await evaluate(dc, 'i32.load 8'), String(0x6c616d73));
  assert.equal(await evaluate(dc, 'i32.load 0 8'), String(0x6c616d73));
  assert.equal(await evaluate(dc, 'i32.load8_u 1 16'), String(0xaa));
  assert.equal(await evaluate(dc, 'i32.load16_u $wide (0x10 + 1)'), String(0xccbb));
  assert.equal(await evaluate(dc, 'i64.load $wide 32'), String(0x1122334455667788n));
  assert.equal(await evaluate(dc, 'i64.load 1 (i64.load8_u $wide 16 - 138)'), String(0x1122334455667788n));
  assert.equal(await evaluate(dc, 'memory 1[0x11]'), String(0xbb));
  assert.equal(await evaluate(dc, 'mem $small[8]'), String('s'.charCodeAt(0)));
  assert.equal(await evaluate(dc, 'memory[8]'), String('s'.charCodeAt(0)));
  const frameId = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!.id;
  const fails = (expression: string, re: RegExp) => assert.rejects(dc.evaluateRequest({ expression, frameId, context: 'watch' }), re);
  await fails('i32.load 5 0', /no memory 5 \(the module has 2\)/);
  await fails('memory $nope[0]', /no memory \$nope/);
  // An i64 address past 4 GiB is not cut to 32 bits.
  await fails('i32.load8_u 1 0x100000000', /address 4294967296\+1 is outside memory \(131072 bytes\)/);
}));
