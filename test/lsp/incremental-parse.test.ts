// Through the stdio JSON-RPC server: a document edited step by step (re-parsed and re-checked
// incrementally) answers exactly as the same text opened fresh (parsed and checked whole):
// diagnostics, document symbols, hover, definition and references, over a randomized edit sequence.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir, startServer, type LspClient } from './harness';
import { serverStatusRequest, sendCustomRequest } from '../../server/lsp-ext';
import { LineIndex } from '../../core/text/index';

let client: LspClient;
before(async () => {
  client = await startServer();
});
after(async () => {
  await client.stop();
});

const original = readFileSync(join(fixturesDir, '..', 'text', 'features.wat'), 'utf8');
const WORDS = ['i32.const 1', 'drop', 'i64.const 2', 'local.get $a', 'call $add', 'global.get $count', 'nop', 'i32.ad', '(i32.const 3)', 'br 0', '$nothing'];

interface Pos {
  line: number;
  character: number;
}

/** The answer with the document's URI taken out, so two documents' answers compare. */
const normal = (value: unknown, uri: string): string => JSON.stringify(value).split(uri).join('<doc>');

const sortedDiagnostics = (ds: { range: unknown; message: unknown }[]): string[] => ds.map((d) => JSON.stringify([d.range, d.message])).sort();

test('an edited document answers like the same text opened fresh, over 25 random edits inside bodies', async () => {
  const uri = 'file:///tmp/incremental-parse.wat';
  await client.open(uri, original);
  await client.request('textDocument/documentSymbol', { textDocument: { uri } });
  await client.diagnostics(uri);
  const status0 = await sendCustomRequest(client.connection, serverStatusRequest);
  let text = original;
  let seed = 5;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let k = 0; k < 25; k++) {
    // An edit inside a function body: after a `\n    ` indentation of an instruction line.
    const starts = [...text.matchAll(/\n {4}(?=[a-z(])/g)].map((m) => (m.index ?? 0) + m[0].length);
    const at = starts[Math.floor(random() * starts.length)] ?? 0;
    const lines = new LineIndex(text);
    const removeLen = random() < 0.3 ? (/^[\w.$]+/.exec(text.slice(at))?.[0].length ?? 0) : 0;
    const insert = `${WORDS[Math.floor(random() * WORDS.length)]} `;
    const range = { start: lines.positionAt(at), end: lines.positionAt(at + removeLen) };
    text = text.slice(0, at) + insert + text.slice(at + removeLen);
    await client.change(uri, insert, { start: { line: range.start.line, character: range.start.character }, end: { line: range.end.line, character: range.end.character } });

    // The same text, fresh.
    const freshUri = `file:///tmp/incremental-parse-fresh-${k}.wat`;
    await client.open(freshUri, text);
    const now = new LineIndex(text);
    const positions: Pos[] = [];
    const words = [...text.matchAll(/\$[\w.]+|[a-z]\w*\.[a-z_0-9]+/g)];
    for (let p = 0; p < 8; p++) {
      const m = words[Math.floor(random() * words.length)];
      const pos = now.positionAt((m?.index ?? 0) + 1);
      positions.push({ line: pos.line, character: pos.character });
    }
    for (const position of positions) {
      for (const method of ['textDocument/hover', 'textDocument/definition', 'textDocument/references']) {
        const params = (u: string): unknown => ({ textDocument: { uri: u }, position, context: { includeDeclaration: true } });
        const edited = await client.request(method, params(uri));
        const fresh = await client.request(method, params(freshUri));
        assert.equal(normal(edited, uri), normal(fresh, freshUri), `edit ${k}: ${method} at ${JSON.stringify(position)}`);
      }
    }
    const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    const freshSymbols = await client.request('textDocument/documentSymbol', { textDocument: { uri: freshUri } });
    assert.equal(normal(symbols, uri), normal(freshSymbols, freshUri), `edit ${k}: documentSymbol`);
    assert.deepEqual(sortedDiagnostics(await client.diagnostics(uri)), sortedDiagnostics(await client.diagnostics(freshUri)), `edit ${k}: diagnostics`);
    await client.close(freshUri);
  }
  const status = await sendCustomRequest(client.connection, serverStatusRequest);
  // Nearly every edit lay inside a body (a few land in a multi-line segment or global): those
  // versions of the edited document were parsed incrementally.
  assert.ok((status.incrementalParses ?? 0) - (status0.incrementalParses ?? 0) >= 20, JSON.stringify(status));
  await client.close(uri);
});
