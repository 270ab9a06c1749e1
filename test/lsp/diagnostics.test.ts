// textDocument/publishDiagnostics: wabt's errors at exact UTF-16 ranges, per-module in scripts, feature flags from settings.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, messageOf, positionOf, startServer, type LspClient } from './harness';

let client: LspClient;
before(async () => {
  client = await startServer();
});
after(async () => {
  await client.stop();
});

test('errors after non-ASCII text (é, 中文, emoji) land on the exact token', async () => {
  const { uri, text } = fixture('non-ascii.wat');
  await client.open(uri, text);
  const found = await client.diagnostics(uri);
  assert.equal(found.length, 2, JSON.stringify(found));
  const [add, result] = found;
  assert.match(messageOf(add), /type mismatch in i32\.add/);
  assert.deepEqual(add?.range.start, positionOf(text, 'i32.add'));
  assert.deepEqual(add?.range.end, positionOf(text, 'i32.add', 'i32.add'.length));
  assert.match(messageOf(result), /type mismatch/);
  // wabt points at the offending instruction, which follows a block comment holding two emoji.
  assert.equal(result?.range.start.line, positionOf(text, '(i32.const 0)').line);
  assert.equal(result?.source, 'wabt');
});

test('every validation error is reported at once', async () => {
  const { uri, text } = fixture('two-errors.wat');
  await client.open(uri, text);
  const found = await client.diagnostics(uri);
  assert.equal(found.length, 2, JSON.stringify(found));
  assert.equal(found[0]?.range.start.line, 2);
  assert.deepEqual(found[1]?.range.start, positionOf(text, 'f32.add'));
  void text;
});

test('a .wast script checks each module on its own; assert_invalid/assert_malformed modules are expected to fail', async () => {
  const { uri, text } = fixture('script.wast');
  await client.open(uri, text);
  const found = await client.diagnostics(uri);
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.match(messageOf(found[0]), /type mismatch/);
  assert.deepEqual(found[0]?.range.start, positionOf(text, 'f32.const 0'));
});

test('GC syntax wabt cannot parse gets no false errors, only a note', async () => {
  const { uri, text } = fixture('gc.wat');
  await client.open(uri, text);
  const found = await client.diagnostics(uri);
  assert.deepEqual(
    found.map((d) => d.severity),
    [3],
    JSON.stringify(found),
  );
});

test('an edit brings fresh diagnostics for the new version', async () => {
  const uri = 'file:///tmp/edit.wat';
  await client.open(uri, '(module (func (result i32) (i32.const 1)))');
  assert.deepEqual(await client.diagnostics(uri), []);
  await client.change(uri, 'i64', { start: { line: 0, character: 28 }, end: { line: 0, character: 31 } });
  const found = await client.diagnostics(uri);
  assert.equal(found.length, 1);
  assert.match(messageOf(found[0]), /type mismatch/);
  await client.close(uri);
});

test('garbage text gets diagnostics and the server keeps answering', async () => {
  const uri = 'file:///tmp/garbage.wat';
  await client.open(uri, ')))(((\u0000\uffff 😀 "unterminated\n(;');
  const found = await client.diagnostics(uri);
  assert.ok(found.length > 0);
  const status = (await client.request('wasmscope/serverStatus', undefined)) as { rss: number };
  assert.ok(status.rss > 0);
});

test('feature flags come from settings (wasmscope.features.tailCall)', async () => {
  const { uri, text } = fixture('tail-call.wat');
  const withFlag = await startServer({ configuration: { features: { tailCall: true } } });
  try {
    await withFlag.open(uri, text);
    assert.deepEqual(await withFlag.diagnostics(uri), []);
  } finally {
    await withFlag.stop();
  }
  await client.open(uri, text);
  const found = await client.diagnostics(uri);
  assert.equal(found.length, 1);
  assert.match(messageOf(found[0]), /return_call/);
});

test('a shared memory with atomics checks clean by default; threads: false in settings makes them errors', async () => {
  const { uri, text } = fixture('threads.wat');
  await client.open(uri, text);
  assert.deepEqual(await client.diagnostics(uri), []);
  const without = await startServer({ configuration: { features: { threads: false } } });
  try {
    await without.open(uri, text);
    const found = await without.diagnostics(uri);
    assert.ok(found.length > 0);
    assert.match(messageOf(found[0]), /shared|atomic/);
  } finally {
    await without.stop();
  }
});

test('Wasm 3.0 text (typed references, $"ids", annotations with any tokens) gets a note, not false errors', async () => {
  const { uri, text } = fixture('wasm3.wast');
  await client.open(uri, text);
  const found = await client.diagnostics(uri);
  assert.deepEqual(found.map((d) => [d.severity, d.range.start.line]), [[3, 1]], JSON.stringify(found));
  assert.match(messageOf(found[0]), /Wasm 3\.0 syntax/);
});

test('clients without workspace/configuration can pass the flags in initializationOptions', async () => {
  const { uri, text } = fixture('tail-call.wat');
  const viaInit = await startServer({ initializationOptions: { wasmscope: { features: { tailCall: true } } } });
  try {
    await viaInit.open(uri, text);
    assert.deepEqual(await viaInit.diagnostics(uri), []);
    // A pushed didChangeConfiguration (the old model) turns the flag off again.
    await viaInit.connection.sendNotification('workspace/didChangeConfiguration', { settings: { wasmscope: { features: { tailCall: false } } } });
    const version = await viaInit.change(uri, text + ' ');
    assert.ok(version > 1);
    assert.match(messageOf((await viaInit.diagnostics(uri))[0]), /return_call/);
  } finally {
    await viaInit.stop();
  }
});

test('Wasm 3.0 text wabt cannot read is checked by our validator: errors on the failing instruction', async () => {
  const { uri, text } = fixture('wasm3-errors.wast');
  await client.open(uri, text);
  const found = await client.diagnostics(uri);
  const errors = found.filter((d) => d.severity === 1);
  assert.deepEqual(errors.map((d) => [messageOf(d), d.source]), [
    ['type mismatch in i32.add, expected [i32, i32] but got [i32, f32]', 'wasmscope'],
    ['unknown func $"no such func"', 'wasmscope'],
  ], JSON.stringify(found));
  assert.deepEqual(errors[0]?.range.start, positionOf(text, 'i32.add'));
  assert.deepEqual(errors[0]?.range.end, positionOf(text, 'i32.add', 'i32.add'.length));
  assert.deepEqual(errors[1]?.range.start, positionOf(text, '$"no such func"'));
  // Each module wabt could not check says who checked it instead.
  const notes = found.filter((d) => d.severity === 3);
  assert.equal(notes.length, 3);
  assert.ok(notes.every((d) => /Wasmscope's own parser and validator checked it/.test(messageOf(d))));
});
