// `wasmscope run` for a wasi-threads program (it imports `wasi` `thread-spawn` or a shared memory):
// every thread on the deterministic scheduler of core/wasi/threads.ts. Input never blocks the
// process (a thread waiting for stdin just does not run), so the other threads go on meanwhile.
import { basename } from 'node:path';
import { CliError } from '../command';
import { WOULD_BLOCK, compileModule } from '../../core/interp';
import { BufferSource, ThreadScheduler, Wasi, WasiExit, createNodeIO, type ProgramResult } from '../../core/wasi';
import { OutputTail } from '../../core/debuginfo';
import { printTrap, reporter, type Loaded, type RunOptions } from './run';
import { TRAP_STATUS, exitStatus, failureStatus, missingEntry } from './run-failure';

/** Feeds the process's stdin into a source that never blocks (reads return null until data comes). */
function asyncStdin(): { source: BufferSource; changed: () => Promise<void>; close: () => void } {
  const source = new BufferSource('', { ended: false });
  let notify: (() => void) | undefined;
  const onData = (chunk: Buffer): void => { source.feed(new Uint8Array(chunk)); notify?.(); };
  const onEnd = (): void => { source.end(); notify?.(); };
  process.stdin.on('data', onData);
  process.stdin.on('end', onEnd);
  process.stdin.on('error', onEnd);
  return {
    source,
    // Input, its end, or a millisecond (a WASI clock poll may have come due) may unblock a thread.
    changed: () => new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1);
      notify = () => { clearTimeout(timer); resolve(); };
    }),
    close: () => {
      process.stdin.off('data', onData);
      process.stdin.off('end', onEnd);
      process.stdin.off('error', onEnd);
      process.stdin.destroy();
    },
  };
}

export async function runThreaded(loaded: Loaded, opts: RunOptions): Promise<number> {
  if (opts.invoke !== undefined) throw new CliError(`${opts.file}: --invoke is not supported for a wasi-threads program; it runs _start`);
  const { module } = loaded;
  const stdin = asyncStdin();
  const io = createNodeIO();
  const stderrTail = new OutputTail();
  const stderr = io.stderr;
  io.stderr = { isTTY: stderr.isTTY, write: (bytes) => (stderrTail.push(bytes), stderr.write(bytes)) };
  io.stdin = stdin.source;
  // poll_oneoff must not sleep the process (every thread would stop): it defers like stdin.
  const clock = io.clock;
  io.clock = { now: (k) => clock.now(k), resolution: (k) => clock.resolution(k) };
  const wasi = new Wasi({ args: [basename(opts.file), ...opts.args], env: opts.env, preopens: opts.dirs, io, wouldBlock: WOULD_BLOCK });
  try {
    let scheduler: ThreadScheduler;
    try {
      const compiled = compileModule(module, { features: opts.features });
      scheduler = new ThreadScheduler(compiled, wasi.imports, { quantum: opts.quantum, seed: opts.seed });
      if (scheduler.memory !== undefined) wasi.memory = scheduler.memory;
      if (!module.exports.some((e) => e.kind === 'func' && e.name === '_start')) throw missingEntry(opts.file, undefined, '');
      const main = scheduler.startMain('_start', []);
      const exported = main.instance.exports.memory;
      if (exported?.kind === 'memory') wasi.memory = exported;
    } catch (err) {
      return failureStatus(err, opts.file, reporter(loaded, opts.file));
    }
    for (;;) {
      let r: ProgramResult;
      try {
        r = scheduler.run(opts.fuel);
      } catch (err) {
        if (err instanceof WasiExit) return exitStatus(err.code);
        throw err;
      }
      switch (r.reason) {
        case 'finished':
          return 0;
        case 'trap': {
          const where = r.thread.id === 0 ? '' : ` (in ${r.thread.name})`;
          printTrap(`${r.trap.message}${where}`, r.trap.frames, loaded, opts.file, stderrTail);
          return TRAP_STATUS;
        }
        case 'exception':
          printTrap(`${r.exception.message}${r.thread.id === 0 ? '' : ` (in ${r.thread.name})`}`, r.exception.frames, loaded, opts.file, undefined, '');
          return TRAP_STATUS;
        case 'deadlock':
          process.stderr.write(`wasmscope run: ${r.message}\n`);
          return TRAP_STATUS;
        case 'budget':
          printTrap(`all fuel consumed: stopped after ${opts.fuel} units of fuel (--fuel; one unit per call and per loop iteration, all threads together)`, [], loaded, opts.file);
          return TRAP_STATUS;
        case 'blocked':
          await stdin.changed();
          break;
        case 'breakpoint':
        case 'step':
          break;
      }
    }
  } finally {
    stdin.close();
    wasi.dispose();
  }
}
