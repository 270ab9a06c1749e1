// The wasi:http/handler@0.3 binding of `wasmscope serve`: one instance of the component with the
// WASI 0.3 host; each request is an async call of its `handle` export (a task), driven on our
// interpreter under the instance's lock; the response is streamed back as the task writes it.
import { basename } from 'node:path';
import { callCore, findExportFunc, instantiateComponent, prepareAsyncLifted, type AsyncCall, type ComponentInfo } from '../../core/component';
import { InstanceLock, driveAsyncCall } from '../../core/component/async/drive';
import { createNodeIO } from '../../core/wasi';
import type { HttpHandler } from '../../core/wasi/net';
import { WasiP3 } from '../../core/wasi/p3';
import { incomingRequest, outgoingResponse } from '../../core/wasi/p3/http';
import type { Response } from '../../core/wasi/p3/http-types';
import type { RunOptions } from './run';
import type { HttpServiceBinding } from './serve';

const HANDLER = /^wasi:http\/handler@0\.3\.\d+/;

export const p3HttpBinding: HttpServiceBinding = {
  accepts: (name) => HANDLER.test(name),
  create(bytes: Uint8Array, info: ComponentInfo, opts: RunOptions) {
    void bytes;
    const host = new WasiP3({ args: [basename(opts.file)], env: opts.env, preopens: opts.dirs, io: createNodeIO(), net: opts.net });
    const rt = host.runtime;
    const instance = instantiateComponent(info, host, { features: opts.features, runtime: rt });
    const name = info.exports.find((e) => HANDLER.test(e.name))!.name;
    const handle = findExportFunc(instance, [name, 'handle']);
    if (!handle || !handle.opts.async) throw new Error(`${name} has no async lifted handle function`);
    const lock = new InstanceLock();
    // The request tasks in flight: on SIGINT/SIGTERM each is asked to cancel (TASK_CANCELLED).
    const live = new Set<AsyncCall>();
    const handler: HttpHandler = async (req) => {
      const call = prepareAsyncLifted(handle, [incomingRequest(rt, req)], callCore({ features: opts.features }));
      const returned = new Promise<unknown>((resolve, reject) => {
        call.task.onReturn = resolve;
        live.add(call);
        // The task may go on after task.return (streaming the body); its end or failure is logged.
        driveAsyncCall(call, rt, lock, { features: opts.features }).then(
          () => reject(new Error(`${name}: the task ended without returning a response${call.task.cancelled ? ' (it was cancelled)' : ''}`)),
          (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))),
        ).finally(() => live.delete(call));
      });
      const result = (await returned) as { tag: string; val?: unknown };
      if (result.tag !== 'ok') throw new Error(`${name} returned error-code ${JSON.stringify(result.val)}`);
      return outgoingResponse(rt, result.val as Response);
    };
    const cancelAll = (): void => {
      for (const call of live) call.requestCancel();
    };
    return Promise.resolve({ handler, dispose: () => host.dispose(), cancelAll });
  },
};
