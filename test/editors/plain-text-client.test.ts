// A client that renders no markdown (eglot without markdown-mode says `contentFormat: ["plaintext"]`) gets
// plain-text hovers and completion docs; one that lists markdown still gets markdown.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type CompletionItem, type Hover, type MarkupContent, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import { fixtures, serverScript } from './editor-process';

const path = join(fixtures, 'program.wat');
const uri = pathToFileURL(path).href;
const text = readFileSync(path, 'utf8');
const children: ChildProcessWithoutNullStreams[] = [];

after(() => {
  for (const child of children) child.kill();
});

async function start(formats: string[]): Promise<ProtocolConnection> {
  const child = spawn(process.execPath, [serverScript, '--stdio'], { stdio: 'pipe' });
  children.push(child);
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: { textDocument: { hover: { contentFormat: formats }, completion: { completionItem: { documentationFormat: formats } } } },
  });
  await connection.sendNotification('initialized', {});
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'wat', version: 1, text } });
  return connection;
}

/** 0-based line and UTF-16 character of `needle` plus `delta` (program.wat's lines before it are ASCII-safe here). */
function at(needle: string, delta: number): { textDocument: { uri: string }; position: { line: number; character: number } } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  return { textDocument: { uri }, position: { line, character: (lines[line] ?? '').indexOf(needle) + delta } };
}

test('plaintext-only client: hover and completion docs come without ``` fences or backticks', async () => {
  const connection = await start(['plaintext']);
  const hover = await connection.sendRequest<Hover>('textDocument/hover', at('i32.ge_u', 2));
  assert.deepEqual(hover.contents, { kind: 'plaintext', value: 'i32.ge_u [i32 i32] -> [i32]\nGreater than or equal (unsigned). Opcode 0x4f.' });
  const items = await connection.sendRequest<CompletionItem[] | { items: CompletionItem[] }>('textDocument/completion', at('local.get $count', 11));
  const total = (Array.isArray(items) ? items : items.items).find((i) => i.label === '$total');
  assert.deepEqual(total?.documentation, { kind: 'plaintext', value: '(local $total i32)' });
});

test('markdown client: the same hover stays markdown', async () => {
  const connection = await start(['markdown', 'plaintext']);
  const hover = await connection.sendRequest<Hover>('textDocument/hover', at('i32.ge_u', 2));
  assert.equal((hover.contents as MarkupContent).kind, 'markdown');
  assert.match((hover.contents as MarkupContent).value, /^```wasm\ni32\.ge_u/);
});
