// Opens .wasm files in the module worker (client/module-worker), once per version on disk, for the
// tree view and the .wasm view: the extension host only stats the file and posts messages, so a
// 50 MB module never blocks it.
import * as vscode from 'vscode';
import { ModuleWorkerClient } from './module-worker/client';
import type { OpenResult, Op, Requests } from './module-worker/protocol';
import type { WasmscopeContext } from './context';

type Args<K extends Op> = Omit<Requests[K]['args'], 'key'>;

/** A .wasm file open in the worker; `call` opens it again if the worker was restarted since. */
export interface OpenedWasm {
  readonly key: string;
  readonly result: OpenResult;
  call<K extends Exclude<Op, 'open'>>(op: K, args: Args<K>): Promise<Requests[K]['result']>;
}

let worker: ModuleWorkerClient | undefined;
const lineCountListeners = new Set<(key: string, lineCount: number, done: boolean) => void>();
const opened = new Map<string, { stamp: string; key: string; generation: number; result: Promise<OpenResult> }>();

function moduleWorker(ctx: WasmscopeContext): ModuleWorkerClient {
  if (!worker) {
    const client = new ModuleWorkerClient(ctx.extension.asAbsolutePath('dist/moduleWorker.js'), {
      onLineCount: (key, lineCount, done) => lineCountListeners.forEach((l) => l(key, lineCount, done)),
      onRestart: (reason) => ctx.log.warn(reason),
      // Far above what a 50 MB module needs (about 200 MB), and a crash there spares the extension host.
      maxHeapMb: 4096,
    });
    worker = client;
    ctx.push({
      dispose: () => {
        client.dispose();
        if (worker === client) worker = undefined;
        opened.clear();
      },
    });
  }
  return worker;
}

/** Calls `listener` with the listing's line count of an open file as the worker counts it. */
export function onLineCount(listener: (key: string, lineCount: number, done: boolean) => void): vscode.Disposable {
  lineCountListeners.add(listener);
  return { dispose: () => lineCountListeners.delete(listener) };
}

export async function openWasm(ctx: WasmscopeContext, uri: vscode.Uri): Promise<OpenedWasm> {
  const client = moduleWorker(ctx);
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch (err) {
    const result: OpenResult = { kind: 'invalid', message: `Cannot read ${uri.fsPath}: ${err instanceof Error ? err.message : String(err)}` };
    return { key: uri.toString(), result, call: () => Promise.reject(new Error(result.message)) };
  }
  const name = uri.toString();
  const stamp = `${stat.mtime}:${stat.size}`;
  let entry = opened.get(name);
  if (!entry || entry.stamp !== stamp || entry.generation !== client.generation) {
    const key = `${name}@${stamp}`;
    // The old version is of no use to anyone: free it in the worker.
    if (entry && entry.key !== key && entry.generation === client.generation) void client.request('close', { key: entry.key }).catch(() => undefined);
    const generation = client.ensureStarted();
    const current = { stamp, key, generation, result: send(client, uri, key) };
    opened.set(name, current);
    current.result.catch(() => {
      if (opened.get(name) === current) opened.delete(name);
    });
    entry = current;
  }
  const result = await entry.result;
  const key = entry.key;
  let generation = entry.generation;
  return {
    key,
    result,
    async call(op, args) {
      const send = () => client.request(op, { ...args, key } as Requests[typeof op]['args']);
      // A restarted worker has forgotten the file: open it again first.
      if (client.generation !== generation) {
        await openWasm(ctx, uri);
        generation = client.generation;
      }
      try {
        return await send();
      } catch (err) {
        // The worker dropped it to make room for newer files (or was replaced meanwhile): open it again, once.
        if (!(err instanceof Error) || !err.message.endsWith(' is not open in the module worker')) throw err;
        if (opened.get(name)?.key === key) opened.delete(name);
        await openWasm(ctx, uri);
        generation = client.generation;
        return send();
      }
    },
  };
}

async function send(client: ModuleWorkerClient, uri: vscode.Uri, key: string): Promise<OpenResult> {
  // A local file is read by the worker itself; other schemes (remote, virtual) are read here and
  // their buffer handed over without a copy.
  if (uri.scheme === 'file') return client.request('open', { key, path: uri.fsPath });
  const bytes = await vscode.workspace.fs.readFile(uri);
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  return client.request('open', { key, bytes: own }, { transfer: [own.buffer as ArrayBuffer] });
}
