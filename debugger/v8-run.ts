// Run Without Debugging on V8 (setting wasmscope.run.engine, launch attribute "engine"): decides
// whether V8 can run the launch's program, and runs it in a worker (v8-worker.ts) with our WASI
// host, turning the worker's messages into the runtime's output, exit and trap.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { decodeModule, moduleFuncType, type FuncType, type Module } from '../core/binary';
import { featuresFromSettings } from '../core/features';
import { jsCallBarrier, v8Rejects } from '../core/v8/engine';
import { validateModule } from '../core/validate';
import type { Value } from '../core/interp/values';
import { WASI_SIGNATURES } from '../core/wasi';
import { parseDirs, validateLaunchConfig, type LaunchConfig } from './program';
import { StdinQueue } from './stdin-queue';
import { formatValue, parseValue, valueKindOf } from './value-format';
import { STDIN_CAPACITY, type V8Job, type V8WorkerMessage } from './v8-worker';
import { watToBinary } from '../core/text';

export type EngineSetting = 'interp' | 'v8' | 'auto';

/** V8 can run it (job), cannot (reason), or the program has an error the interpreter's launch words best. */
export type V8Plan = { job: V8Job; describe(results: Value[]): string | undefined } | { reason: string } | { useInterp: true };


function exportType(module: Module, name: string): FuncType | undefined {
  const e = module.exports.find((x) => x.kind === 'func' && x.name === name);
  return e && moduleFuncType(module, e.index);
}

/** Whether (and how) a launch runs on V8; any problem with the program itself is left to the interpreter's launch. */
export async function planV8Run(config: LaunchConfig): Promise<V8Plan> {
  let programPath: string;
  let cwd: string;
  let bytes: Uint8Array;
  let module: Module;
  const features = featuresFromSettings(config.features);
  try {
    ({ programPath, cwd } = validateLaunchConfig(config));
    const raw = new Uint8Array(await fs.promises.readFile(programPath));
    const isBinary = raw.length >= 4 && raw[0] === 0 && raw[1] === 0x61 && raw[2] === 0x73 && raw[3] === 0x6d;
    bytes = isBinary ? raw : watToBinary(new TextDecoder().decode(raw), { features }).bytes;
    module = decodeModule(bytes, { features });
  } catch {
    return { useInterp: true };
  }
  for (const imp of module.imports) {
    if (imp.module !== 'wasi_snapshot_preview1' || imp.desc.kind !== 'func' || !WASI_SIGNATURES[imp.name]) return { useInterp: true };
  }
  const rejected = await v8Rejects(bytes);
  const ours = (): boolean => {
    try {
      validateModule(module, undefined, undefined, features);
      return true;
    } catch {
      return false;
    }
  };
  // An invalid module is the user's error, which the interpreter's launch reports in its words.
  if (rejected !== undefined) return ours() ? { reason: `V8 ${process.versions.v8} cannot compile it (${rejected})` } : { useInterp: true };
  if (Object.values(config.features ?? {}).includes(false) && !ours()) return { useInterp: true };

  const entry = config.invoke?.export ?? '_start';
  const type = exportType(module, entry);
  if (!type) return { useInterp: true };
  const initType = config.invoke ? exportType(module, '_initialize') : undefined;
  for (const [name, t] of [[entry, type], ['_initialize', initType]] as const) {
    const barrier = t && jsCallBarrier(t);
    if (barrier) return { reason: `export "${name}": ${barrier}` };
  }
  const given = config.invoke?.args ?? [];
  if (given.length !== type.params.length) return { useInterp: true };
  let values: Value[];
  try {
    values = type.params.map((t, i) => parseValue(valueKindOf(t), String(given[i])));
  } catch {
    return { useInterp: true };
  }
  let preopens;
  try {
    preopens = parseDirs(config.dirs ?? [], cwd);
  } catch {
    return { useInterp: true };
  }
  const stdin = new SharedArrayBuffer(8 + STDIN_CAPACITY);
  const job: V8Job = {
    bytes, args: [path.basename(programPath), ...(config.args ?? [])], env: config.env ?? {}, preopens, entry, type,
    initType: initType && initType.params.length === 0 ? initType : undefined, values, stdin,
  };
  // Same wording as the interpreter's launch (machine-target.ts).
  const describe = (results: Value[]): string | undefined => {
    if (!config.invoke) return undefined;
    const shown = results.length ? results.map((v) => (v.type === 'externref' && typeof v.value === 'string' ? v.value : formatValue(v))).join(', ') : 'nothing';
    return `${entry}(${values.map(formatValue).join(', ')}) returned ${shown}`;
  };
  if (config.stdin !== undefined) {
    try {
      stdinFiles.set(job, fs.readFileSync(path.resolve(cwd, config.stdin)));
    } catch {
      return { useInterp: true };
    }
  }
  return { job, describe };
}

/** A launch's "stdin" file, by job (kept out of the job: the worker asks for input as it reads). */
const stdinFiles = new WeakMap<V8Job, Uint8Array>();

export interface V8RunHooks {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The program reads stdin and there is none yet. */
  waiting(): void;
  /** The program ended: proc_exit, _start returning (0), a trap (134) or an engine failure (70). */
  ended(outcome: { code: number; trap?: string; failure?: string; results?: Value[] }): void;
}

/** The program running on V8 in a worker; stdin from the Debug Console or the launch's file. */
export class V8Run {
  private worker: Worker | undefined;
  private readonly stdin = new StdinQueue();
  private readonly ctrl: Int32Array;
  private readonly data: Uint8Array;
  private waiting = false;
  private done = false;
  private readonly decoders = { 1: new TextDecoder(), 2: new TextDecoder() };

  constructor(private readonly job: V8Job, private readonly hooks: V8RunHooks) {
    this.ctrl = new Int32Array(job.stdin, 0, 2);
    this.data = new Uint8Array(job.stdin, 8);
    const file = stdinFiles.get(job);
    if (file) {
      this.stdin.push(file);
      this.stdin.close();
    }
  }

  start(): void {
    // Beside the adapter's bundle (dist/extension.js or dist/debugAdapter.js): esbuild builds it there.
    const worker = new Worker(path.join(__dirname, 'v8Worker.js'), { workerData: this.job });
    this.worker = worker;
    worker.on('message', (m: V8WorkerMessage) => this.onMessage(m));
    worker.on('error', (err) => this.finish({ code: 70, failure: err.stack ?? err.message }));
    worker.on('exit', () => this.finish({ code: 70, failure: 'the V8 worker stopped without a result' }));
  }

  /** A Debug Console line while the program runs: its standard input (`^D` alone ends it). */
  feedStdin(line: string): void {
    if (line.trim() === '^D') this.stdin.close();
    else this.stdin.pushLine(line);
    if (this.waiting) this.answerRead();
  }

  get isWaitingForInput(): boolean {
    return this.waiting;
  }

  terminate(): void {
    this.done = true;
    void this.worker?.terminate();
  }

  private onMessage(m: V8WorkerMessage): void {
    switch (m.kind) {
      case 'output': {
        const text = this.decoders[m.fd].decode(m.bytes, { stream: true });
        if (text) (m.fd === 1 ? this.hooks.stdout : this.hooks.stderr)(text);
        break;
      }
      case 'read':
        this.waiting = true;
        this.answerRead();
        break;
      case 'exit':
        this.finish({ code: m.code });
        break;
      case 'trap':
        this.finish({ code: 134, trap: m.message });
        break;
      case 'finished':
        this.finish({ code: 0, results: m.results });
        break;
      case 'failed':
        this.finish({ code: 70, failure: m.message });
        break;
    }
  }

  /** Hands the waiting worker what input there is; with none yet (and not at EOF) it keeps waiting. */
  private answerRead(): void {
    if (!this.stdin.poll().ready) {
      this.hooks.waiting();
      return;
    }
    const n = this.stdin.read(this.data.subarray(0, STDIN_CAPACITY)) ?? 0;
    this.waiting = false;
    Atomics.store(this.ctrl, 0, n === 0 ? -1 : n);
    Atomics.notify(this.ctrl, 0);
  }

  private finish(outcome: Parameters<V8RunHooks['ended']>[0]): void {
    if (this.done) return;
    this.done = true;
    void this.worker?.terminate();
    this.hooks.ended(outcome);
  }
}
