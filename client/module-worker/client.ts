// The extension host's side of the module worker: posts requests, matches answers, and replaces a
// worker that crashed, exited or stopped answering. No `vscode` import, so tests and the bench
// drive it headless.
import { Worker } from 'node:worker_threads';
import type { HostToWorker, Op, Requests, WorkerToHost } from './protocol';

export interface ModuleWorkerOptions {
  /** A request unanswered this long, with no progress from the worker meanwhile, kills the worker
   * (the next request starts a new one). */
  timeoutMs?: number;
  /** Receives the listing's growing line count. */
  onLineCount?: (key: string, lineCount: number, done: boolean) => void;
  /** The worker's heap limit: a module too big for it crashes the worker, not the extension host. */
  maxHeapMb?: number;
  /** Told why a worker was replaced (for the log). */
  onRestart?: (reason: string) => void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  /** Armed once the worker says it is ready: starting one is not its answering late. */
  timer: ReturnType<typeof setTimeout> | undefined;
  arm: () => void;
}

export class ModuleWorkerClient {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Workers lost so far: documents opened before the last loss are gone. */
  private lost = 0;
  private online = false;
  private disposed = false;

  constructor(private readonly script: string, private readonly options: ModuleWorkerOptions = {}) {}

  /** Increases each time a worker is lost (crashed, hung, exited): documents opened in an earlier generation must be opened again. */
  get generation(): number {
    return this.lost;
  }

  /** Starts a worker unless one runs; returns its generation. */
  ensureStarted(): number {
    if (!this.worker && !this.disposed) this.start();
    return this.lost;
  }

  /** `transfer`: buffers handed to the worker without a copy; `timeoutMs`: this request's own timeout. */
  request<K extends Op>(op: K, args: Requests[K]['args'], options: { transfer?: ArrayBuffer[]; timeoutMs?: number } = {}): Promise<Requests[K]['result']> {
    if (this.disposed) return Promise.reject(new Error('the module worker is shut down'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<Requests[K]['result']>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? 60_000;
      const p: Pending = {
        resolve: resolve as (v: unknown) => void,
        reject,
        timer: undefined,
        arm: () => (p.timer ??= setTimeout(() => this.fail(worker, `the module worker did not answer "${op}" within ${timeoutMs} ms and was restarted`), timeoutMs)),
      };
      this.pending.set(id, p);
      if (this.online) p.arm();
      worker.postMessage({ id, op, args } as HostToWorker, options.transfer ?? []);
    });
  }

  /** Stops the worker; pending requests fail. */
  dispose(): void {
    this.disposed = true;
    if (this.worker) this.fail(this.worker, 'the module worker is shut down');
  }

  private start(): Worker {
    const limit = this.options.maxHeapMb;
    const worker = new Worker(this.script, limit !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: limit } } : {});
    this.worker = worker;
    this.online = false;
    // An idle worker must not keep a process (the CLI, a test) alive.
    worker.unref();
    worker.on('message', (m: WorkerToHost) => {
      if ('event' in m && m.event === 'ready') {
        this.online = true;
        for (const p of this.pending.values()) p.arm();
        return;
      }
      if ('event' in m) {
        // A worker reporting progress is alive: requests waiting for its count (an anchor or lines
        // far into a huge module) get a new timeout, and only a silent worker is replaced.
        for (const p of this.pending.values()) {
          if (p.timer === undefined) continue;
          clearTimeout(p.timer);
          p.timer = undefined;
          p.arm();
        }
        this.options.onLineCount?.(m.key, m.lineCount, m.done);
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.error));
    });
    worker.on('error', (err) => this.fail(worker, `the module worker failed: ${err.message}`));
    worker.on('exit', (code) => this.fail(worker, `the module worker stopped (exit code ${code})`));
    return worker;
  }

  /** Rejects every pending request with `reason` and drops the worker, so the next request starts a fresh one. */
  private fail(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.lost++;
    void worker.terminate();
    if (!this.disposed) this.options.onRestart?.(reason);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(new Error(reason));
    }
  }
}
