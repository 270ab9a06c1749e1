// Drives the bundled server (dist/server.js --stdio) through a real JSON-RPC connection, as an editor would.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

const root = join(import.meta.dirname, '..', '..');
export const serverScript = join(root, 'dist', 'server.js');
export const fixturesDir = join(root, 'test', 'fixtures', 'lsp');

export function fixture(name: string): { uri: string; text: string } {
  const path = join(fixturesDir, name);
  return { uri: pathToFileURL(path).href, text: readFileSync(path, 'utf8') };
}

export interface StartOptions {
  /** What `workspace/configuration` answers for section `wasmscope`; when absent the client does not offer it. */
  configuration?: unknown;
  initializationOptions?: unknown;
  /** The workspace folder (a file URI). */
  rootUri?: string;
}

export class LspClient {
  private readonly versions = new Map<string, number>();
  private readonly published = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: (() => void)[] = [];
  stderr = '';
  /** `window/logMessage` texts: the server reports a failed feature there. */
  readonly logs: string[] = [];

  constructor(
    readonly connection: ProtocolConnection,
    readonly child: ChildProcessWithoutNullStreams,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.set(p.uri, p);
      for (const w of this.waiters.splice(0)) w();
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
  }

  async open(uri: string, text: string, languageId = uri.endsWith('.wast') ? 'wast' : 'wat'): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text (or applies one ranged edit); returns the new version. */
  async change(uri: string, text: string, range?: { start: { line: number; character: number }; end: { line: number; character: number } }): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [range ? { range, text } : { text }],
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Waits for the diagnostics of the document's current version (the server drops stale ones). */
  async diagnostics(uri: string, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const want = this.versions.get(uri) ?? 1;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = this.published.get(uri);
      if (p && (p.version === undefined || p.version >= want)) return p.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no diagnostics for ${uri} version ${want} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends a request; a server that never answers fails the test (with the method named) instead of hanging it. */
  request<R>(method: string, params: unknown, timeoutMs = 60_000): Promise<R> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${method}: no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([this.connection.sendRequest(method, params) as Promise<R>, timeout]).finally(() => clearTimeout(timer));
  }

  /** shutdown + exit, then waits for the process to end (no server left behind). */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    // The kill is armed first: a server that ignores shutdown must not hang the suite.
    const timer = setTimeout(() => this.child.kill(), 5000);
    try {
      await this.request('shutdown', undefined, 4000);
      await this.connection.sendNotification('exit');
    } catch {
      // Already gone, or not answering; the kill makes sure.
    }
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}

export async function startServer(options: StartOptions = {}): Promise<LspClient> {
  const child = spawn(process.execPath, [serverScript, '--stdio'], { stdio: 'pipe' });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const client = new LspClient(connection, child);
  connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
    params.items.map((i) => (i.section === 'wasmscope' ? (options.configuration ?? {}) : null)),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: options.rootUri ?? null,
    capabilities: {
      workspace: { configuration: options.configuration !== undefined },
      textDocument: {
        hover: { contentFormat: ['markdown', 'plaintext'] },
        completion: { completionItem: { snippetSupport: true } },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        rename: { prepareSupport: true },
        publishDiagnostics: { versionSupport: true },
      },
    },
    initializationOptions: options.initializationOptions,
  });
  await connection.sendNotification('initialized', {});
  return client;
}

/** Position of the `nth` occurrence of `needle` in `text` (0-based line / UTF-16 character), plus `delta` characters. */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' (#${nth}) not in text`);
  }
  at += delta;
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  return { line, character: at - (before.lastIndexOf('\n') + 1) };
}

/** A diagnostic's message as text (LSP 3.18 allows markup there too). */
export function messageOf(d: Diagnostic | undefined): string {
  if (d === undefined) return '';
  return typeof d.message === 'string' ? d.message : d.message.value;
}
