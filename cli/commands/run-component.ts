// `wasmscope run COMPONENT`: a wasi:cli/command component on our interpreter with the WASI 0.2
// host, with the same flags and exit statuses as for core modules.
import { CliError } from '../command';
import { prepareCommand, runStatus } from '../../core/component';
import { DecodeError, LinkError, Trap, ValidationError } from '../../core/errors';
import { Machine, type FuncInstance } from '../../core/interp';
import { WasiExit, createNodeIO } from '../../core/wasi';
import { WasiP2 } from '../../core/wasi/p2';
import type { RunOptions } from './run';

const TRAP_STATUS = 134;

function exitStatus(code: number): number {
  return code > 255 ? 1 : code;
}

function frameName(f: { funcIndex: number; name?: string }, func: FuncInstance | undefined): string {
  const module = func?.instance?.module;
  const name = f.name ?? module?.names.functions.get(f.funcIndex);
  return `${name !== undefined ? `${name} ` : ''}(func ${f.funcIndex})`;
}

function printTrap(message: string, frames: readonly { funcIndex: number; offset: number; name?: string }[]): void {
  const lines = [`wasmscope run: trap: ${message}`, ...frames.map((f) => `    at ${frameName(f, undefined)} @ 0x${f.offset.toString(16)}`)];
  process.stderr.write(`${lines.join('\n')}\n`);
}

export async function runComponent(bytes: Uint8Array, opts: RunOptions): Promise<number> {
  if (opts.invoke !== undefined) throw new CliError(`${opts.file}: --invoke is for core modules; a component runs its wasi:cli/run export`);
  const host = new WasiP2({ args: [opts.file, ...opts.args], env: opts.env, preopens: opts.dirs, io: createNodeIO(), net: opts.net });
  try {
    let prepared;
    try {
      prepared = prepareCommand(bytes, host, { features: opts.features });
    } catch (err) {
      if (err instanceof DecodeError) throw new CliError(`${opts.file}: invalid component: ${err.message}`);
      if (err instanceof ValidationError) throw new CliError(`${opts.file}: invalid component: ${err.message}`);
      if (err instanceof LinkError) throw new CliError(`${opts.file}: ${err.message}`);
      if (err instanceof WasiExit) return exitStatus(err.code);
      if (err instanceof Trap) {
        printTrap(err.message, err.frames);
        return TRAP_STATUS;
      }
      throw err;
    }
    const m = new Machine({ features: opts.features });
    const { call } = prepared;
    try {
      m.startFunc(call.core, call.args);
      for (;;) {
        const r = m.run(opts.fuel);
        if (r.reason === 'finished') return runStatus(call.finish(r.results));
        if (r.reason === 'trap') {
          printTrap(r.trap.message, r.trap.frames);
          return TRAP_STATUS;
        }
        if (r.reason === 'budget' && opts.fuel !== undefined) {
          const frames = m.frames().map((f) => ({ funcIndex: f.funcIndex, offset: f.offset, name: f.name }));
          printTrap(`all fuel consumed: stopped after ${opts.fuel} units of fuel (--fuel; one unit per call and per loop iteration)`, frames);
          return TRAP_STATUS;
        }
        // stdin blocks inside the read; a socket call that must wait stops the machine instead,
        // and the network gets Node's event loop until that call can go on.
        if (r.reason === 'blocked' && host.waiting) await host.waitForIO();
      }
    } catch (err) {
      if (err instanceof WasiExit) return exitStatus(err.code);
      if (err instanceof Trap) {
        printTrap(err.message, err.frames);
        return TRAP_STATUS;
      }
      throw err;
    }
  } finally {
    host.dispose();
  }
}
