// Running a `wasi:cli/command` component: instantiate it against a host and prepare the call of
// its `wasi:cli/run@0.2.x` export, leaving the machine loop to the caller (the CLI's run loop,
// or the debugger, which steps it).
import { LinkError } from '../errors';
import { decodeComponent } from './decode';
import type { AsyncCall } from './async/lift';
import {
  callCore, findExportFunc, instantiateComponent, prepareAsyncLifted, prepareLifted, type ComponentEngineOptions, type ComponentInstance,
  type HostImports, type PreparedCall,
} from './instantiate';
import { validateComponent, type ComponentInfo } from './validate';

export interface CommandRun {
  info: ComponentInfo;
  instance: ComponentInstance;
  /** The export that runs the program, e.g. `wasi:cli/run@0.2.12`. */
  entry: string;
  call: PreparedCall;
}

/** The name of the component's `wasi:cli/run` export, if it is a command. */
export function runExportName(info: ComponentInfo): string | undefined {
  return info.exports.find((e) => /^wasi:cli\/run@0\.2\.\d+/.test(e.name) && e.type.kind === 'instance')?.name;
}

/** The name of its WASI 0.3 `wasi:cli/run@0.3.x` export, if it has one. */
export function asyncRunExportName(info: ComponentInfo): string | undefined {
  return info.exports.find((e) => /^wasi:cli\/run@0\.3\.\d+/.test(e.name) && e.type.kind === 'instance')?.name;
}

/** A command prepared to run: the 0.2 `run` as one core call, or the 0.3 `run` as an async task. */
export type PreparedRun =
  | ({ kind: 'sync' } & CommandRun)
  | { kind: 'async'; info: ComponentInfo; instance: ComponentInstance; entry: string; call: AsyncCall };

/**
 * Decodes, validates and instantiates a command component and prepares its run export,
 * preferring `wasi:cli/run@0.3.x` (an async task) when present, else `wasi:cli/run@0.2.x`.
 */
export function prepareRun(bytes: Uint8Array, host: HostImports, options: ComponentEngineOptions = {}): PreparedRun {
  const info = validateComponent(decodeComponent(bytes, { features: options.features }), { features: options.features });
  const entry = asyncRunExportName(info) ?? runExportName(info);
  if (entry === undefined) {
    const names = info.exports.map((e) => e.name).join(', ') || 'nothing';
    throw new LinkError(`not a wasi:cli/command component: no wasi:cli/run@0.2.x or @0.3.x export (it exports ${names})`, '', '');
  }
  const instance = instantiateComponent(info, host, options);
  const run = findExportFunc(instance, [entry, 'run']);
  if (!run) throw new LinkError(`${entry} has no lifted run function`, entry, 'run');
  if (run.opts.async) return { kind: 'async', info, instance, entry, call: prepareAsyncLifted(run, [], callCore(options)) };
  return { kind: 'sync', info, instance, entry, call: prepareLifted(run, [], callCore(options)) };
}

/** Decodes, validates and instantiates a command component, and prepares its `run` call. */
export function prepareCommand(bytes: Uint8Array, host: HostImports, options: ComponentEngineOptions = {}): CommandRun {
  const info = validateComponent(decodeComponent(bytes, { features: options.features }), { features: options.features });
  const entry = runExportName(info);
  if (entry === undefined) {
    const names = info.exports.map((e) => e.name).join(', ') || 'nothing';
    throw new LinkError(`not a wasi:cli/command component: no wasi:cli/run@0.2.x export (it exports ${names})`, '', '');
  }
  const instance = instantiateComponent(info, host, options);
  const run = findExportFunc(instance, [entry, 'run']);
  if (!run) throw new LinkError(`${entry} has no lifted run function`, entry, 'run');
  return { info, instance, entry, call: prepareLifted(run, [], callCore(options)) };
}

/** The exit status `run`'s result means: ok → 0, err → 1 (as Wasmtime). */
export function runStatus(result: unknown): number {
  return (result as { tag?: string } | undefined)?.tag === 'ok' ? 0 : 1;
}
