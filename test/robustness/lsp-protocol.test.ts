// Malformed and out-of-order LSP traffic to the bundled server (node dist/server.js --stdio): garbage
// on the wire, invalid params, positions out of range, unopened and 10 MB documents, notifications
// with bad params, requests after shutdown. Each request is answered (result or error), the server
// keeps working, and it exits after shutdown+exit, after a bare exit, and when its input closes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { WireClient, type Message } from './wire-client';

const root = join(import.meta.dirname, '..', '..');
const server = join(root, 'dist', 'server.js');

let nextId = 1;
function request(c: WireClient, method: string, params?: unknown, timeoutMs?: number): Promise<Message> {
  const id = nextId++;
  c.send(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
  return c.waitFor((m) => m.id === id && ('result' in m || 'error' in m), `${method} (id ${id})`, timeoutMs);
}

function notify(c: WireClient, method: string, params?: unknown): void {
  c.send(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
}

async function startServer(): Promise<WireClient> {
  const c = WireClient.start(server, ['--stdio']);
  // Answer the server's own requests (configuration, capability registration) as an editor would.
  const answered = new Set<unknown>();
  const timer = setInterval(() => {
    for (const m of c.messages) {
      if (m.method !== undefined && m.id !== undefined && !answered.has(m.id)) {
        answered.add(m.id);
        c.send({ jsonrpc: '2.0', id: m.id, result: m.method === 'workspace/configuration' ? [{}] : null });
      }
    }
  }, 20);
  void c.exited.then(() => clearInterval(timer));
  const init = await request(c, 'initialize', { processId: null, rootUri: null, capabilities: {} });
  assert.ok('result' in init, JSON.stringify(init));
  notify(c, 'initialized', {});
  return c;
}

/** A request that must still work after whatever came before it. */
async function assertAlive(c: WireClient, what: string): Promise<void> {
  const uri = `file:///tmp/alive-${nextId}.wat`;
  notify(c, 'textDocument/didOpen', { textDocument: { uri, languageId: 'wat', version: 1, text: '(module (func $f))' } });
  const r = await request(c, 'textDocument/documentSymbol', { textDocument: { uri } });
  assert.ok(Array.isArray(r.result) && r.result.length > 0, `${what}: ${JSON.stringify(r)}`);
  notify(c, 'textDocument/didClose', { textDocument: { uri } });
}

const uri = 'file:///tmp/robust.wat';
const text = '(module\n  (func $add (param $a i32) (param $b i32) (result i32)\n    (i32.add (local.get $a) (local.get $b)))\n  (export "add" (func $add)))\n';

const POSITION_METHODS = [
  'textDocument/hover', 'textDocument/completion', 'textDocument/definition', 'textDocument/documentHighlight',
  'textDocument/prepareRename', 'textDocument/signatureHelp',
];

test('invalid JSON bodies are skipped; a header that is not framing ends the server instead of leaving it deaf', async () => {
  const c = await startServer();
  try {
    c.send('{ this is not json');
    c.send('[]');
    c.send('42');
    c.send({ jsonrpc: '2.0' });
    c.send({ jsonrpc: '2.0', id: 'x', method: 42 });
    c.send({ jsonrpc: '2.0', id: 777, result: 'an answer to nothing' });
    const bad = await request(c, 'textDocument/hover', 'not an object');
    assert.ok('error' in bad || 'result' in bad);
    await assertAlive(c, 'after invalid JSON bodies');
  } finally {
    c.child.stdin.end();
    await c.exit();
  }
  // The reader cannot find the next message after a broken header; before the fix it stayed stuck
  // (alive, answering nothing). Now the process ends so the editor restarts it.
  for (const junk of ['hello there\r\n\r\n', 'Content-Length: abc\r\n\r\n{}', 'X-Other: 1\r\n\r\n', Buffer.from([0xff, 0xfe, 0x00, 0x0d, 0x0a, 0x0d, 0x0a])]) {
    const s = await startServer();
    s.raw(junk);
    const end = await s.exit();
    assert.equal(end.code, 1, `${JSON.stringify(junk.toString())}: ${s.stderr}`);
    assert.match(s.stderr, /unreadable LSP input/);
  }
});

test('invalid params, positions out of range, unknown methods and bad notifications', async () => {
  const c = await startServer();
  try {
    notify(c, 'textDocument/didOpen', { textDocument: { uri, languageId: 'wat', version: 1, text } });
    const positions = [
      { line: -1, character: -1 }, { line: 1e9, character: 0 }, { line: 0, character: 1e9 }, { line: 2.5, character: 0.5 },
      { line: 'one', character: null }, null, 'start', {},
    ];
    for (const method of POSITION_METHODS) {
      for (const position of positions) {
        const r = await request(c, method, { textDocument: { uri }, position });
        assert.ok('result' in r || 'error' in r, method);
      }
      for (const params of [null, [], 'x', 7, {}, { textDocument: { uri: 42 } }, { textDocument: null, position: { line: 0, character: 0 } }]) {
        const r = await request(c, method, params);
        assert.ok('result' in r || 'error' in r, `${method} ${JSON.stringify(params)}`);
      }
    }
    for (const [method, params] of [
      ['textDocument/references', { textDocument: { uri }, position: { line: 1, character: 10 } }],
      ['textDocument/references', { textDocument: { uri }, position: { line: 1, character: 10 }, context: 'x' }],
      ['textDocument/rename', { textDocument: { uri }, position: { line: 1, character: 10 }, newName: 42 }],
      ['textDocument/rename', { textDocument: { uri }, position: { line: 1, character: 10 } }],
      ['textDocument/formatting', { textDocument: { uri }, options: 'tabs' }],
      ['textDocument/formatting', { textDocument: { uri }, options: { tabSize: -4, insertSpaces: 'no' } }],
      ['textDocument/rangeFormatting', { textDocument: { uri }, range: { start: { line: 9, character: 0 }, end: { line: 0, character: 0 } }, options: { tabSize: 1e9, insertSpaces: true } }],
      ['textDocument/semanticTokens/range', { textDocument: { uri }, range: null }],
      ['textDocument/selectionRange', { textDocument: { uri }, positions: 'all' }],
      ['textDocument/selectionRange', { textDocument: { uri }, positions: [{ line: -5, character: 3 }, null] }],
      ['textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 1e9, character: 0 }, end: { line: -1, character: 0 } } }],
      ['textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: 'none' } }],
      ['textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [{ range: null, message: 42 }] } }],
      ['workspace/symbol', { query: 42 }],
      ['workspace/symbol', null],
      ['wasmscope/moduleTree', { textDocument: { uri: 'file:///never/opened.wat' } }],
      ['wasmscope/noSuchRequest', {}],
      ['$/noSuchRequest', null],
      ['initialize', { capabilities: {} }],
    ] as [string, unknown][]) {
      const r = await request(c, method, params);
      assert.ok('result' in r || 'error' in r, `${method} ${JSON.stringify(params)}`);
    }
    for (const [method, params] of [
      ['textDocument/didOpen', {}],
      ['textDocument/didOpen', { textDocument: { uri: 'file:///tmp/no-text.wat', languageId: 'wat', version: 1 } }],
      ['textDocument/didOpen', { textDocument: { uri: 42, text: 42 } }],
      ['textDocument/didChange', { textDocument: { uri: 'file:///never/opened.wat', version: 2 }, contentChanges: [{ text: '(module)' }] }],
      ['textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: 'everything' }],
      ['textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: { line: 99, character: 0 }, end: { line: -1, character: 0 } }, text: ';; x' }] }],
      ['textDocument/didChange', { textDocument: { uri, version: 1 }, contentChanges: [{ text }] }],
      ['textDocument/didClose', { textDocument: { uri: 'file:///never/opened.wat' } }],
      ['textDocument/didClose', null],
      ['textDocument/didSave', { textDocument: {} }],
      ['workspace/didChangeConfiguration', { settings: 'none' }],
      ['workspace/didChangeConfiguration', null],
      ['workspace/didChangeWorkspaceFolders', { event: { added: 'x', removed: null } }],
      ['$/cancelRequest', { id: 'nothing' }],
      ['$/setTrace', { value: 42 }],
      ['wasmscope/unknownNotification', [1, 2]],
    ] as [string, unknown][]) {
      notify(c, method, params);
    }
    await assertAlive(c, 'after bad notifications');
    const hover = await request(c, 'textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 5 } });
    assert.ok('result' in hover, JSON.stringify(hover));

    // Orderly end: requests after shutdown are refused, exit ends the process with 0.
    const down = await request(c, 'shutdown');
    assert.ok('result' in down);
    const late = await request(c, 'textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    assert.equal((late.error as { code?: number } | undefined)?.code, -32600, `a request after shutdown is an InvalidRequest error: ${JSON.stringify(late)}`);
    notify(c, 'exit');
    assert.equal((await c.exit()).code, 0);
  } finally {
    if (c.child.exitCode === null) c.child.kill('SIGKILL');
  }
});

test('a 10 MB document is answered and does not hold up a small one', async () => {
  const c = await startServer();
  try {
    // Mostly data and comments (a 4 MB all-code document is test/lsp/robustness's): the size is the point,
    // through the transport, the line index, tokens and every feature, without a minute of parsing.
    const lines: string[] = ['(module', '  (memory 1)'];
    let size = 0;
    for (let i = 0; size < 10 * 1024 * 1024; i++) {
      const line = i % 50 === 0
        ? `  (func $f${i} (param $x i32) (result i32) (i32.add (local.get $x) (i32.const ${i})))`
        : i % 2 === 0 ? `  ;; ${'comment '.repeat(12)}${i}` : `  (data (i32.const ${i % 1000}) "${'\\00abc'.repeat(16)}")`;
      lines.push(line);
      size += line.length + 1;
    }
    lines.push(')');
    const big = 'file:///tmp/ten-megabytes.wat';
    notify(c, 'textDocument/didOpen', { textDocument: { uri: big, languageId: 'wat', version: 1, text: lines.join('\n') } });
    const middle = Math.floor(lines.length / 2);
    for (const [method, params] of [
      ['textDocument/hover', { textDocument: { uri: big }, position: { line: middle, character: 12 } }],
      ['textDocument/foldingRange', { textDocument: { uri: big } }],
      ['textDocument/documentSymbol', { textDocument: { uri: big } }],
      ['textDocument/hover', { textDocument: { uri: big }, position: { line: lines.length + 10, character: 0 } }],
    ] as [string, unknown][]) {
      const r = await request(c, method, params, 180_000);
      assert.ok('result' in r || 'error' in r, method);
    }
    await assertAlive(c, 'after the 10 MB document');
    notify(c, 'textDocument/didClose', { textDocument: { uri: big } });
    const down = await request(c, 'shutdown');
    assert.ok('result' in down);
    notify(c, 'exit');
    assert.equal((await c.exit(30_000)).code, 0);
  } finally {
    if (c.child.exitCode === null) c.child.kill('SIGKILL');
  }
});

test('exit without shutdown and a closed input both end the server', async () => {
  const bare = await startServer();
  notify(bare, 'exit');
  // LSP: exit without a prior shutdown ends with status 1.
  assert.equal((await bare.exit()).code, 1);

  const orphan = await startServer();
  notify(orphan, 'textDocument/didOpen', { textDocument: { uri, languageId: 'wat', version: 1, text } });
  await request(orphan, 'textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 10 } });
  orphan.child.stdin.end();
  assert.notEqual((await orphan.exit()).signal, 'SIGKILL');
});
