// Point requests right after an edit, before the new version is parsed: answered from the previous
// parse with positions mapped through the edit, or from a fresh parse when the edit could matter.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { positionOf, startServer, type LspClient } from './harness';
import { serverStatusRequest, sendCustomRequest } from '../../server/lsp-ext';

let client: LspClient;
before(async () => {
  client = await startServer();
});
after(async () => {
  await client.stop();
});

const text = [
  '(module',
  '  (func $first (result i32)',
  '    i32.const 1)',
  '  (func $second (param $n i32) (result i32)',
  '    (call $first))',
  '  (func $third (result i32) (call $second (i32.const 2))))',
].join('\n');

const stale = async (): Promise<number> => (await sendCustomRequest(client.connection, serverStatusRequest)).staleAnswers;

// A `.wat` module's edited function is parsed again on its own (core/text/incremental.ts) and every
// answer comes from the new version; a `.wast` script is not re-parsed incrementally, so there the
// previous parse answers away from the edit.
for (const ext of ['wat', 'wast'] as const) test(`after an edit inside a body of a .${ext}, hover and definition elsewhere answer at once, mapped through the edit`, async () => {
  const uri = `file:///tmp/incremental-a.${ext}`;
  const incremental = async (): Promise<number> => (await sendCustomRequest(client.connection, serverStatusRequest)).incrementalParses ?? 0;
  const parsedBefore = await incremental();
  await client.open(uri, text);
  // Parse version 1.
  await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, '$first') });
  const before = await stale();
  // `i32.const 1` → `i32.const 1000`: three characters more on line 2.
  const edited = text.replace('i32.const 1)', 'i32.const 1000)');
  await client.change(uri, '000', { start: positionOf(text, 'i32.const 1)', 11), end: positionOf(text, 'i32.const 1)', 11) });
  const def = await client.request<{ range: { start: unknown; end: unknown } }>('textDocument/definition', { textDocument: { uri }, position: positionOf(edited, '$second (i32', 2) });
  assert.deepEqual(def.range.start, positionOf(edited, '$second (param'));
  const hover = await client.request<{ contents: { value: string }; range: { start: unknown } }>('textDocument/hover', { textDocument: { uri }, position: positionOf(edited, '$first))', 2) });
  assert.match(hover.contents.value, /\(func \$first \(result i32\)\)/);
  assert.deepEqual(hover.range.start, positionOf(edited, '$first))'));
  const answeredStale = ext === 'wat' ? 0 : 2;
  assert.equal(await stale(), before + answeredStale);
  assert.equal(await incremental(), parsedBefore + (ext === 'wat' ? 1 : 0));
  // In the edited function the new version is parsed: the hover at the edit reads the new literal.
  const atEdit = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: positionOf(edited, '1000', 1) });
  assert.match(atEdit.contents.value, /`1000`/);
  assert.equal(await stale(), before + answeredStale);
  await client.close(uri);
});

test('an edit that changes structure or a name is never answered from the previous parse', async () => {
  const uri = 'file:///tmp/incremental-b.wat';
  await client.open(uri, text);
  await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, '$first') });
  const before = await stale();
  // A new function before $second: every later index moves, so nothing old may answer.
  const added = '\n  (func $inserted)';
  const edited = text.replace('    i32.const 1)', `    i32.const 1)${added}`);
  await client.change(uri, added, { start: positionOf(text, 'i32.const 1)', 12), end: positionOf(text, 'i32.const 1)', 12) });
  const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: positionOf(edited, '$second (i32', 2) });
  assert.match(hover.contents.value, /Func index 2\./);
  // Renaming a use inside a body: the whole function is off limits to the old parse.
  const renamed = edited.replace('(call $first)', '(call $firsx)');
  await client.change(uri, 'x', { start: positionOf(edited, '$first))', 5), end: positionOf(edited, '$first))', 6) });
  const unknown = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: positionOf(renamed, '$firsx', 2) });
  assert.match(unknown.contents.value, /Unknown func `\$firsx`/);
  assert.equal(await stale(), before);
  await client.close(uri);
});
