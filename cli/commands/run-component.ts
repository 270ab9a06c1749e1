// `wasmscope run COMPONENT`: a wasi:cli/command component on our interpreter with the WASI 0.2
// host, with the same flags and exit statuses as for core modules.
import { CliError } from '../command';
import { prepareCommand, runStatus } from '../../core/component';
import { Machine, type FuncInstance } from '../../core/interp';
import { createNodeIO } from '../../core/wasi';
import { WasiP2 } from '../../core/wasi/p2';
import type { RunOptions } from './run';
import { TRAP_STATUS, failureStatus, type FailureReport } from './run-failure';

function frameName(f: { funcIndex: number; name?: string }, func: FuncInstance | undefined): string {
  const module = func?.instance?.module;
  const name = f.name ?? module?.names.functions.get(f.funcIndex);
  return `${name !== undefined ? `${name} ` : ''}(func ${f.funcIndex})`;
}

function printTrap(message: string, frames: readonly { funcIndex: number; offset: number; name?: string }[]): void {
  const lines = [`wasmscope run: trap: ${message}`, ...frames.map((f) => `    at ${frameName(f, undefined)} @ 0x${f.offset.toString(16)}`)];
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** Traps and uncaught exceptions of a component's core code, by function name and offset. */
const report: FailureReport = {
  trap: (message, frames) => printTrap(message, frames),
  exception: (e) => printTrap(e.message, e.frames),
};

export function runComponent(bytes: Uint8Array, opts: RunOptions): number {
  if (opts.invoke !== undefined) throw new CliError(`${opts.file}: --invoke is for core modules; a component runs its wasi:cli/run export`);
  const host = new WasiP2({ args: [opts.file, ...opts.args], env: opts.env, preopens: opts.dirs, io: createNodeIO() });
  try {
    let prepared;
    try {
      prepared = prepareCommand(bytes, host, { features: opts.features });
    } catch (err) {
      return failureStatus(err, opts.file, report, 'component');
    }
    const m = new Machine({ features: opts.features });
    const { call } = prepared;
    try {
      m.startFunc(call.core, call.args);
      for (;;) {
        const r = m.run(opts.fuel);
        if (r.reason === 'finished') return runStatus(call.finish(r.results));
        if (r.reason === 'trap') {
          report.trap(r.trap.message, r.trap.frames);
          return TRAP_STATUS;
        }
        if (r.reason === 'exception') {
          report.exception(r.exception);
          return TRAP_STATUS;
        }
        if (r.reason === 'budget' && opts.fuel !== undefined) {
          const frames = m.frames().map((f) => ({ funcIndex: f.funcIndex, offset: f.offset, name: f.name }));
          printTrap(`all fuel consumed: stopped after ${opts.fuel} units of fuel (--fuel; one unit per call and per loop iteration)`, frames);
          return TRAP_STATUS;
        }
        // 'blocked' cannot last under the CLI: stdin blocks inside the read.
      }
    } catch (err) {
      return failureStatus(err, opts.file, report, 'component');
    }
  } finally {
    host.dispose();
  }
}
