// What the launching process (cli/launcher.ts) spent before it started this one, so that `run
// --time-to-first-instruction` counts from the first process's start, its CPU included.

/** Set in the child by the launcher: the parent's performance.timeOrigin (ms) and the CPU it used before spawning (µs). */
export const LAUNCHER_ENV = 'WASMSCOPE_LAUNCHER';

export interface LauncherCost {
  timeOrigin: number;
  cpuMicros: number;
}

/** In a child the launcher started: what the launcher cost before it; undefined otherwise. */
export const launcherCost: LauncherCost | undefined = readLauncherCost();

function readLauncherCost(): LauncherCost | undefined {
  const v = process.env[LAUNCHER_ENV];
  if (v === undefined) return undefined;
  delete process.env[LAUNCHER_ENV];
  const [origin, cpu] = v.split(',').map(Number);
  return origin !== undefined && cpu !== undefined && Number.isFinite(origin) && Number.isFinite(cpu) ? { timeOrigin: origin, cpuMicros: cpu } : undefined;
}
