// Run Without Debugging on V8: a worker thread (dist/v8Worker.js) that runs the program on Node's
// WebAssembly with our WASI host, so the adapter (often the extension host itself) never blocks.
// Output goes to the parent as messages; stdin is asked for and waited on through shared memory.
import { parentPort, workerData } from 'node:worker_threads';
import type { FuncType } from '../core/binary';
import { Trap } from '../core/errors';
import type { Value } from '../core/interp/values';
import { callOnV8, instantiateOnV8, isV8Exception } from '../core/v8/engine';
import { NodeFileSystem, Wasi, WasiExit, nodeClock, nodeRandom, type InputSource, type WasiMemory } from '../core/wasi';
import type { Preopen } from './program';

/** What the adapter hands the worker (structured-cloned). */
export interface V8Job {
  bytes: Uint8Array;
  args: string[];
  env: Record<string, string>;
  preopens: Preopen[];
  entry: string;
  type: FuncType;
  /** `_initialize`'s type when a reactor is invoked (it runs first). */
  initType?: FuncType;
  values: Value[];
  /** Stdin handshake: Int32 [0] = bytes ready (-1 = end of input, 0 = none yet), data from byte 8. */
  stdin: SharedArrayBuffer;
}

export type V8WorkerMessage =
  | { kind: 'output'; fd: 1 | 2; bytes: Uint8Array }
  | { kind: 'read' }
  | { kind: 'exit'; code: number }
  | { kind: 'trap'; message: string }
  | { kind: 'finished'; results: Value[] }
  | { kind: 'failed'; message: string };

export const STDIN_CAPACITY = 64 * 1024;

function post(m: V8WorkerMessage): void {
  parentPort!.postMessage(m);
}

/** Reads ask the adapter for input and sleep until it answers (the Debug Console, a file, or EOF). */
class SharedStdin implements InputSource {
  private readonly ctrl: Int32Array;
  private readonly data: Uint8Array;
  private ended = false;
  /** What the adapter sent beyond what a read asked for, served to the next reads. */
  private rest: Uint8Array | undefined;
  constructor(sab: SharedArrayBuffer) {
    this.ctrl = new Int32Array(sab, 0, 2);
    this.data = new Uint8Array(sab, 8);
  }
  read(buf: Uint8Array): number {
    if (buf.length === 0) return 0;
    if (!this.rest) {
      if (this.ended) return 0;
      Atomics.store(this.ctrl, 0, 0);
      post({ kind: 'read' });
      while (Atomics.load(this.ctrl, 0) === 0) Atomics.wait(this.ctrl, 0, 0);
      const n = Atomics.load(this.ctrl, 0);
      if (n < 0) {
        this.ended = true;
        return 0;
      }
      this.rest = this.data.slice(0, n);
    }
    const r = this.rest;
    const take = Math.min(r.length, buf.length);
    buf.set(r.subarray(0, take));
    this.rest = take < r.length ? r.subarray(take) : undefined;
    return take;
  }
}

async function main(job: V8Job): Promise<void> {
  const stdin = new SharedStdin(job.stdin);
  const sink = (fd: 1 | 2) => ({ write: (bytes: Uint8Array) => post({ kind: 'output', fd, bytes: bytes.slice() }) });
  const wasi = new Wasi({
    args: job.args,
    env: job.env,
    preopens: job.preopens,
    io: {
      stdin,
      stdout: sink(1),
      stderr: sink(2),
      fs: new NodeFileSystem(),
      clock: nodeClock,
      random: nodeRandom,
    },
  });
  try {
    const instance = await instantiateOnV8(job.bytes, wasi.imports);
    const memory = instance.exports.memory as WasiMemory | undefined;
    if (memory && memory.buffer instanceof ArrayBuffer) wasi.memory = memory;
    if (job.initType) callOnV8(instance.exports._initialize, job.initType, []);
    const results = callOnV8(instance.exports[job.entry], job.type, job.values);
    // References from V8 cannot cross to the adapter: only whether they are null does.
    post({ kind: 'finished', results: results.map((v) => (v.type === 'funcref' || v.type === 'externref' ? { type: 'externref', value: v.value === null ? null : `<${v.type}>` } : v)) });
  } catch (err) {
    if (err instanceof WasiExit) post({ kind: 'exit', code: err.code });
    else if (err instanceof Trap) post({ kind: 'trap', message: err.message });
    else if (isV8Exception(err)) post({ kind: 'trap', message: 'uncaught exception (V8 does not show its tag and payload)' });
    else post({ kind: 'failed', message: err instanceof Error ? err.stack ?? err.message : String(err) });
  } finally {
    wasi.dispose();
  }
}

if (parentPort && workerData) void main(workerData as V8Job);
