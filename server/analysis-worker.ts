// Runs the {@link AnalysisHost} in a worker thread (or in process as a fallback) and forwards documents and requests to it.
import { Worker } from 'node:worker_threads';
import { ResponseError } from 'vscode-languageserver/node';
import { AnalysisHost, type RequestFailure } from './analysis-host';
import { parseCounts } from './documents';
import { heapUsed } from './heap-used';

/** The analysis thread's heap and how its versions were answered and parsed. */
export interface AnalysisStats {
  heapUsed: number | undefined;
  staleAnswers: number;
  incremental: number;
  full: number;
}

type ToWorker =
  | { type: 'open'; uri: string; languageId: string; version: number; text: string }
  | { type: 'change'; uri: string; version: number; text: string }
  | { type: 'close'; uri: string }
  | { type: 'roots'; uris: string[] }
  | { type: 'request'; id: number; method: string; params: unknown }
  | { type: 'stats'; id: number }
  | { type: 'idle'; uri: string; version: number };

type FromWorker = { type: 'result'; id: number; result: unknown } | { type: 'failure'; id: number; failure: RequestFailure } | { type: 'log'; message: string };

interface Port {
  on(event: 'message', listener: (m: unknown) => void): void;
  postMessage(m: FromWorker): void;
}

/** The worker side: a host answering the messages posted by {@link AnalysisWorker}. */
export function serveAnalysis(port: Port): void {
  const host = new AnalysisHost((message) => port.postMessage({ type: 'log', message }));
  port.on('message', (raw) => {
    const m = raw as ToWorker;
    switch (m.type) {
      case 'open':
        host.open(m.uri, m.languageId, m.version, m.text);
        break;
      case 'change':
        host.change(m.uri, m.version, m.text);
        break;
      case 'close':
        host.close(m.uri);
        break;
      case 'roots':
        host.setRoots(m.uris);
        break;
      case 'idle':
        host.parseWhenIdle(m.uri, m.version);
        break;
      case 'stats':
        port.postMessage({ type: 'result', id: m.id, result: { heapUsed: heapUsed(), staleAnswers: host.staleAnswers, ...parseCounts } });
        break;
      case 'request':
        try {
          port.postMessage({ type: 'result', id: m.id, result: host.handle(m.method, m.params) });
        } catch (failure) {
          port.postMessage({ type: 'failure', id: m.id, failure: failure as RequestFailure });
        }
        break;
    }
  });
}

/** The main-thread side. Messages are ordered, so a request always sees the edits sent before it. */
export class AnalysisWorker {
  private worker: Worker | undefined;
  private host: AnalysisHost | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { method: string; resolve(v: unknown): void; reject(e: unknown): void }>();
  /** The latest text of every open document, to replay into a restarted worker. */
  private readonly open = new Map<string, { languageId: string; version: number; text: string }>();
  private roots: string[] = [];

  constructor(
    private readonly script: string | undefined,
    private readonly log: (message: string) => void,
  ) {
    if (script === undefined) this.host = new AnalysisHost(log);
  }

  didOpen(uri: string, languageId: string, version: number, text: string): void {
    this.open.set(uri, { languageId, version, text });
    this.send({ type: 'open', uri, languageId, version, text });
  }

  didChange(uri: string, version: number, text: string): void {
    const entry = this.open.get(uri);
    // TextDocuments reports the open as a change too; the worker already has that version.
    if (entry?.version === version && entry.text === text) return;
    this.open.set(uri, { languageId: entry?.languageId ?? 'wat', version, text });
    this.send({ type: 'change', uri, version, text });
  }

  /** The document's diagnostics are out: parse it if no edit follows shortly (see AnalysisHost.parseWhenIdle). */
  idle(uri: string, version: number): void {
    this.send({ type: 'idle', uri, version });
  }

  setRoots(uris: string[]): void {
    this.roots = uris;
    this.send({ type: 'roots', uris });
  }

  didClose(uri: string): void {
    this.open.delete(uri);
    this.send({ type: 'close', uri });
  }

  request(method: string, params: unknown): Promise<unknown> {
    if (this.host) {
      try {
        return Promise.resolve(this.host.handle(method, params));
      } catch (failure) {
        return Promise.reject(toResponseError(failure as RequestFailure));
      }
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      this.send({ type: 'request', id, method, params });
    });
  }

  /** Starts the worker now, so the first request does not pay for its start-up. */
  warmUp(): void {
    if (!this.host) this.ensureWorker();
  }

  /** Heap used by the worker's isolate (undefined when the host runs in process), and how many
   * requests were answered from a previous version's parse. */
  async stats(): Promise<AnalysisStats> {
    if (this.host) return { heapUsed: undefined, staleAnswers: this.host.staleAnswers, ...parseCounts };
    const id = this.nextId++;
    const result = await new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { method: 'stats', resolve, reject });
      this.ensureWorker().postMessage({ type: 'stats', id } satisfies ToWorker);
    });
    const r = result as Record<string, unknown> | null;
    const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
    return { heapUsed: typeof r?.heapUsed === 'number' ? r.heapUsed : undefined, staleAnswers: n(r?.staleAnswers), incremental: n(r?.incremental), full: n(r?.full) };
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private send(message: ToWorker): void {
    if (this.host) {
      if (message.type === 'open') this.host.open(message.uri, message.languageId, message.version, message.text);
      else if (message.type === 'change') this.host.change(message.uri, message.version, message.text);
      else if (message.type === 'close') this.host.close(message.uri);
      else if (message.type === 'roots') this.host.setRoots(message.uris);
      else if (message.type === 'idle') this.host.parseWhenIdle(message.uri, message.version);
      return;
    }
    this.ensureWorker().postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script as string, { workerData: { wasmscopeRole: 'analysis-worker' } });
    worker.unref();
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'log') {
        this.log(m.message);
        return;
      }
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!p) return;
      if (m.type === 'result') p.resolve(m.result);
      else p.reject(toResponseError(m.failure));
    });
    const fail = (why: string): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.log(`wasmscope: the analysis worker stopped (${why}); restarting it`);
      for (const p of this.pending.values()) p.resolve(null);
      this.pending.clear();
    };
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => fail(`exit code ${code}`));
    this.worker = worker;
    // A restarted worker starts empty: give it the workspace folders and every open document again.
    worker.postMessage({ type: 'roots', uris: this.roots } satisfies ToWorker);
    for (const [uri, d] of this.open) worker.postMessage({ type: 'open', uri, ...d } satisfies ToWorker);
    return worker;
  }
}

function toResponseError(failure: RequestFailure): ResponseError<void> {
  return new ResponseError(failure.code, failure.message);
}
