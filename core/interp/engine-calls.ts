// How a long run enters the engine: in calls of at most ENGINE_CALL_TICKS ticks, with V8's
// on-stack replacement off. `Machine.exec` is one big function; with OSR, V8 compiles an OSR
// version where a long call loops besides the version for the function's entry, and recompiles
// both after each deoptimisation (a case reached for the first time). Entered every 2,000 ticks, it
// is optimised at its entry only: 10-25% less CPU on most bench modules than one call with OSR
// (the debugger's slices, bench/dap-cpu.mjs; `wasmscope run` and invoke, npm run bench).
import { setFlagsFromString } from 'node:v8';
import type { Machine, RunResult } from './machine';

/** Ticks (calls and loop iterations) per engine call of a long run. */
export const ENGINE_CALL_TICKS = 2_000;

/**
 * Runs `f` (engine calls) with V8's OSR off. V8's flags are the process's: while `f` runs, a
 * worker thread's loop (the module view's decoder in an extension host) does not start OSR either;
 * it is optimised where it is next entered instead. Long one-off loops elsewhere keep OSR.
 */
export function withoutOsr<T>(f: () => T): T {
  setFlagsFromString('--no-use-osr');
  try {
    return f();
  } finally {
    setFlagsFromString('--use-osr');
  }
}

/** `m.run(ticks)` as several calls of at most ENGINE_CALL_TICKS ticks (a budget stop in between is transparent). */
export function runTicks(m: Machine, ticks = Infinity): RunResult {
  let left = ticks;
  for (;;) {
    const before = m.ticks;
    const r = m.run(left < ENGINE_CALL_TICKS ? left : ENGINE_CALL_TICKS);
    const ran = m.ticks - before;
    left -= ran;
    if (r.reason !== 'budget' || left <= 0 || ran === 0) return r;
  }
}
