// `wasmscope run COMPONENT`: a wasi:cli/command component on our interpreter with the WASI 0.3
// host (which serves the 0.2 interfaces too), with the same flags and exit statuses as for core
// modules. A 0.3 `run` export is an async task: its core calls (the export, then its callback
// per event) run on the machine one after another, and between them the loop awaits the host.
import { basename } from 'node:path';
import { CliError } from '../command';
import { prepareRun, runStatus, type PreparedRun } from '../../core/component';
import { Machine, type FuncInstance, type Value } from '../../core/interp';
import { createNodeIO } from '../../core/wasi';
import { WasiP3 } from '../../core/wasi/p3';
import { driveTask } from '../../core/component/async/drive';
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

type Outcome = { kind: 'results'; results: Value[] } | { kind: 'status'; status: number };

/** Runs one core call to its end; a host call that blocks (WOULD_BLOCK) waits for the async runtime. */
async function runCore(m: Machine, host: WasiP3, core: FuncInstance, args: Value[], fuel: number | undefined): Promise<Outcome> {
  const rt = host.runtime;
  m.startFunc(core, args);
  for (;;) {
    const r = m.run(fuel);
    if (r.reason === 'finished') return { kind: 'results', results: r.results };
    if (r.reason === 'trap') {
      report.trap(r.trap.message, r.trap.frames);
      return { kind: 'status', status: TRAP_STATUS };
    }
    if (r.reason === 'exception') {
      report.exception(r.exception);
      return { kind: 'status', status: TRAP_STATUS };
    }
    if (r.reason === 'budget' && fuel !== undefined) {
      const frames = m.frames().map((f) => ({ funcIndex: f.funcIndex, offset: f.offset, name: f.name }));
      printTrap(`all fuel consumed: stopped after ${fuel} units of fuel (--fuel; one unit per call and per loop iteration)`, frames);
      return { kind: 'status', status: TRAP_STATUS };
    }
    if (r.reason !== 'blocked') continue;
    // A 0.2 socket call that must wait (a poll, a blocking read or write) parked its wait in the
    // 0.2 host; otherwise the async runtime has the host operation that will wake the guest.
    if (host.p2.waiting) await host.p2.waitForIO();
    else await rt.progress(`${core.name ?? 'the guest'} waits for the host`);
  }
}

async function drive(prepared: PreparedRun, host: WasiP3, opts: RunOptions): Promise<number> {
  const m = new Machine({ features: opts.features });
  if (prepared.kind === 'sync') {
    const { call } = prepared;
    const out = await runCore(m, host, call.core, call.args, opts.fuel);
    return out.kind === 'status' ? out.status : runStatus(call.finish(out.results));
  }
  const out = await driveTask<number>(prepared.call, async (core, args) => {
    const o = await runCore(m, host, core, args, opts.fuel);
    return o.kind === 'status' ? { kind: 'stop', stop: o.status } : o;
  });
  return out.kind === 'stop' ? out.stop : runStatus(out.result);
}

export async function runComponent(bytes: Uint8Array, opts: RunOptions): Promise<number> {
  if (opts.invoke !== undefined) throw new CliError(`${opts.file}: --invoke is for core modules; a component runs its wasi:cli/run export`);
  // argv[0] is the file's name without its directories, as Wasmtime gives it to components.
  const host = new WasiP3({ args: [basename(opts.file), ...opts.args], env: opts.env, preopens: opts.dirs, io: createNodeIO(), net: opts.net });
  try {
    let prepared;
    try {
      prepared = prepareRun(bytes, host, { features: opts.features, runtime: host.runtime });
    } catch (err) {
      return failureStatus(err, opts.file, report, 'component');
    }
    try {
      return await drive(prepared, host, opts);
    } catch (err) {
      return failureStatus(err, opts.file, report, 'component');
    }
  } finally {
    host.dispose();
  }
}
