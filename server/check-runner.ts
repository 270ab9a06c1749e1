// Runs wabt checks off the main thread, so hover or completion never wait behind a 50 ms validation.
import { Worker } from 'node:worker_threads';
import { loadWabt, type CheckDiagnostic, type CheckOptions, type Wabt } from '../core/check/index';
import { IncrementalChecker } from '../core/check/incremental-check';
import { componentTextDiagnostics, isComponentText } from '../core/component/text';
import { heapUsed as liveHeapUsed } from './heap-used';

export interface CheckRequest {
  /** The document, so its next version is checked incrementally (see core/check/incremental-check.ts); none: checked on its own. */
  uri?: string;
  text: string;
  options: CheckOptions;
}

/** Each open document's checker, holding what the next check of its next version can reuse. */
class Checkers {
  private readonly byUri = new Map<string, IncrementalChecker>();

  check(wabt: Wabt, request: CheckRequest): CheckDiagnostic[] {
    // Component text: our component parser, encoder and validator (wabt and core/check read core modules only).
    if (request.options.language === 'wat' && isComponentText(request.text)) return componentTextDiagnostics(request.text, { features: request.options.features });
    if (request.uri === undefined) return new IncrementalChecker().check(wabt, request.text, request.options);
    let checker = this.byUri.get(request.uri);
    if (!checker) this.byUri.set(request.uri, (checker = new IncrementalChecker()));
    return checker.check(wabt, request.text, request.options);
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }
}

export interface CheckRunner {
  check(request: CheckRequest): Promise<CheckDiagnostic[]>;
  /** The document closed: drop what its checks kept. */
  forget(uri: string): void;
  /** Loads wabt ahead of the first document, so its diagnostics do not wait for the instantiation. */
  warmUp(): void;
  /** Heap used by the checker's isolate, when it has its own. */
  heapUsed(): Promise<number | undefined>;
  loaded(): boolean;
  dispose(): void;
}

type WorkerReply = { id: number; diagnostics: CheckDiagnostic[] } | { id: number; error: string } | { id: number; heapUsed: number };

/** The worker thread side: answers check requests posted by {@link WorkerCheckRunner}. */
export function serveChecks(port: { on(event: 'message', listener: (m: unknown) => void): void; postMessage(m: WorkerReply): void }): void {
  const checkers = new Checkers();
  port.on('message', (message) => {
    const m = message as { id: number; request?: CheckRequest; stats?: boolean; forget?: string };
    if (m.forget !== undefined) {
      checkers.forget(m.forget);
      return;
    }
    if (m.stats) {
      port.postMessage({ id: m.id, heapUsed: liveHeapUsed() });
      return;
    }
    if (!m.request) return;
    const request = m.request;
    loadWabt().then(
      (wabt) => {
        try {
          port.postMessage({ id: m.id, diagnostics: checkers.check(wabt, request) });
        } catch (err) {
          port.postMessage({ id: m.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
        }
      },
      (err: unknown) => port.postMessage({ id: m.id, error: `cannot load wabt: ${String(err)}` }),
    );
  });
}

/** Checks in a worker thread started from this same bundle; restarts it if it dies. */
export class WorkerCheckRunner implements CheckRunner {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(r: WorkerReply): void; reject(e: Error): void }>();
  private answered = false;

  constructor(
    private readonly script: string,
    private readonly log: (message: string) => void,
  ) {}

  async check(request: CheckRequest): Promise<CheckDiagnostic[]> {
    const reply = await this.send({ request });
    this.answered = true;
    if ('error' in reply) {
      this.log(`wasmscope: check failed: ${reply.error}`);
      return [];
    }
    return 'diagnostics' in reply ? reply.diagnostics : [];
  }

  warmUp(): void {
    this.check({ text: '(module)', options: { language: 'wat', features: {} } }).catch(() => undefined);
  }

  forget(uri: string): void {
    this.worker?.postMessage({ id: 0, forget: uri });
  }

  async heapUsed(): Promise<number | undefined> {
    if (!this.worker) return undefined;
    const reply = await this.send({ stats: true });
    return 'heapUsed' in reply ? reply.heapUsed : undefined;
  }

  loaded(): boolean {
    return this.answered;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private send(message: { request?: CheckRequest; stats?: boolean }): Promise<WorkerReply> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { workerData: { wasmscopeRole: 'check-worker' } });
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      p?.resolve(reply);
    });
    const fail = (why: string): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.log(`wasmscope: the diagnostics worker stopped (${why}); it restarts on the next check`);
      for (const p of this.pending.values()) p.reject(new Error(why));
      this.pending.clear();
    };
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => fail(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }
}

/** Checks on the main thread; used where worker threads are unavailable. */
export class InProcessCheckRunner implements CheckRunner {
  private isLoaded = false;
  private readonly checkers = new Checkers();

  async check(request: CheckRequest): Promise<CheckDiagnostic[]> {
    const wabt = await loadWabt();
    this.isLoaded = true;
    return this.checkers.check(wabt, request);
  }

  forget(uri: string): void {
    this.checkers.forget(uri);
  }

  warmUp(): void {
    loadWabt().catch(() => undefined);
  }

  async heapUsed(): Promise<number | undefined> {
    return undefined;
  }

  loaded(): boolean {
    return this.isLoaded;
  }

  dispose(): void {}
}
