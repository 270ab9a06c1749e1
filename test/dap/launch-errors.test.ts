// Launch configurations that cannot start get a clear error response, and the adapter keeps running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClient } from './dap-harness';

async function launchError(args: Record<string, unknown>): Promise<string> {
  const dc = await startClient();
  try {
    await dc.initializeRequest({ adapterID: 'wasmscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const message = await dc.launch(args).then(() => '', (err: Error) => err.message);
    assert.match(message, /^Wasmscope: /);
    // Still answering after the failure.
    const threads = await dc.threadsRequest();
    assert.equal(threads.success, true);
    return message;
  } finally {
    await dc.stop();
  }
}

test('a missing "program" says what to set', async () => {
  assert.match(await launchError({}), /Set "program"/);
});

test('a program that does not exist names the path', async () => {
  assert.match(await launchError({ program: '/nonexistent/x.wasm' }), /Cannot find the program '\/nonexistent\/x\.wasm'/);
});

test('an invalid binary reports the decoder message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-dap-'));
  const bad = join(dir, 'bad.wasm');
  writeFileSync(bad, Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]));
  assert.match(await launchError({ program: bad }), /not a valid WebAssembly module: .*version/i);
});

test('a file that is neither binary nor text is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-dap-'));
  const junk = join(dir, 'junk.bin');
  writeFileSync(junk, 'hello world');
  assert.match(await launchError({ program: junk }), /neither a WebAssembly binary/);
});

test('attributes of the wrong type are named', async () => {
  assert.match(await launchError({ program: 42 }), /"program" must be the path/);
  assert.match(await launchError({ program: '/nonexistent/x.wasm', cwd: 7 }), /"cwd" must be/);
  assert.match(await launchError({ program: '/nonexistent/x.wasm', dirs: 'data' }), /"dirs" must be an array/);
  assert.match(await launchError({ program: '/nonexistent/x.wasm', args: 'a b' }), /"args" must be an array of strings/);
  assert.match(await launchError({ program: '/nonexistent/x.wasm', invoke: 'main' }), /"invoke" must be/);
});

test('malformed WebAssembly text reports the file, line and column', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-dap-'));
  const bad = join(dir, 'bad.wat');
  writeFileSync(bad, '(module\n  (func $f (result i32)\n    i32.const 1\n    i32.frob))\n');
  assert.match(await launchError({ program: bad }), /bad\.wat:4:\d+: /);
});
