// The module worker (dist/moduleWorker.js): a worker thread that decodes .wasm files and answers
// the module tree and the .wasm view (protocol.ts), so the extension host only posts messages.
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { ModuleService } from './service';
import type { HostToWorker, WorkerToHost } from './protocol';

const port = parentPort;
if (!port) throw new Error('moduleWorker.js runs as a worker thread (started by client/module-worker/client.ts)');
const post = (m: WorkerToHost): void => port.postMessage(m);
const service = new ModuleService((key, lineCount, done) => post({ event: 'lineCount', key, lineCount, done }));

async function answer(m: HostToWorker): Promise<unknown> {
  switch (m.op) {
    case 'open': {
      const { key, path, bytes } = m.args;
      const data = bytes ?? (path !== undefined ? new Uint8Array(await readFile(path)) : undefined);
      if (!data) throw new Error('open needs a path or bytes');
      return service.open(key, data);
    }
    case 'children': return service.children(m.args.key, m.args.id);
    case 'listing': return service.listing(m.args.key);
    case 'lines': return service.lines(m.args.key, m.args.start, m.args.end);
    case 'anchor': return service.anchor(m.args.key, m.args.anchor);
    case 'function': return service.function(m.args.key, m.args.index);
    case 'close': return service.close(m.args.key);
  }
}

port.on('message', (m: HostToWorker) => {
  answer(m).then(
    (value) => post({ id: m.id, ok: true, value }),
    (err: unknown) => post({ id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});

post({ event: 'ready' });
