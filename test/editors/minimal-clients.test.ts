// Clients that declare less than VS Code: one that renders no markdown (eglot without markdown-mode) gets plain
// text; one without hierarchical outlines (Vim's vim-lsp) gets SymbolInformation[]. Fuller clients are unaffected.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CompletionItem,
  type DocumentSymbol,
  type Hover,
  type MarkupContent,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type SymbolInformation,
} from 'vscode-languageserver-protocol/node';
import { fixtures, serverScript } from './editor-process';

const path = join(fixtures, 'program.wat');
const uri = pathToFileURL(path).href;
const text = readFileSync(path, 'utf8');
const children: ChildProcessWithoutNullStreams[] = [];

after(() => {
  for (const child of children) child.kill();
});

async function start(formats: string[], hierarchicalDocumentSymbolSupport?: boolean, initializationOptions?: unknown): Promise<ProtocolConnection> {
  const child = spawn(process.execPath, [serverScript, '--stdio'], { stdio: 'pipe' });
  children.push(child);
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    initializationOptions,
    capabilities: {
      textDocument: {
        hover: { contentFormat: formats },
        completion: { completionItem: { documentationFormat: formats } },
        documentSymbol: { hierarchicalDocumentSymbolSupport },
      },
    },
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

test('client without hierarchical outlines: flat SymbolInformation[], children naming their container', async () => {
  const connection = await start(['markdown'], false);
  const symbols = await connection.sendRequest<SymbolInformation[]>('textDocument/documentSymbol', { textDocument: { uri } });
  const functions = symbols.filter((s) => s.kind === 12);
  assert.deepEqual(functions.map((s) => [s.name, s.location.uri, s.location.range.start.line]), [['$square', uri, 2], ['$sum_squares', uri, 5]]);
  const total = symbols.find((s) => s.name === '$total');
  assert.deepEqual({ container: total?.containerName, line: total?.location.range.start.line }, { container: '$sum_squares', line: 6 });
  assert.ok(symbols.every((s) => !('children' in s)));
});

test('client with hierarchical outlines: DocumentSymbol[] with children', async () => {
  const connection = await start(['markdown'], true);
  const symbols = await connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  const sum = symbols.find((s) => s.name === '$sum_squares');
  assert.deepEqual(sum?.children?.map((c) => c.name), ['$count', '$total', '$i']);
});

test('client without workspace/configuration: settings from initializationOptions reach wabt', async () => {
  // tail-call.wat is valid only with tailCall on; the client offers no workspace/configuration.
  const connection = await start(['markdown'], true, { wasmscope: { features: { tailCall: true } } });
  const tail = pathToFileURL(join(fixtures, 'tail-call.wat')).href;
  const published = new Promise<PublishDiagnosticsParams>((resolve) =>
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      if (p.uri === tail) resolve(p);
    }),
  );
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: tail, languageId: 'wat', version: 1, text: readFileSync(join(fixtures, 'tail-call.wat'), 'utf8') } });
  assert.deepEqual((await published).diagnostics, []);
});
