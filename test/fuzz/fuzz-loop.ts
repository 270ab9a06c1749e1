// The fuzzing loop shared by the bounded test run and scripts/fuzz.mjs: deterministic inputs from
// (seed, target, iteration), a per-input time limit, and crashes grouped by their cause.
import { mutateBinary } from './binary-mutators';
import type { Corpus } from './corpus';
import { Random } from './random';
import { isTypedError, type Target } from './targets';
import { mutateText } from './text-mutators';

export interface Crash {
  target: string;
  seed: number;
  iteration: number;
  /** 'exception': a non-typed error escaped; 'slow': one input took longer than the limit. */
  kind: 'exception' | 'slow';
  message: string;
  /** First lines of the stack: what groups crashes with one cause. */
  where: string;
  input: Uint8Array | string;
}

export interface FuzzStats {
  target: string;
  iterations: number;
  typedErrors: number;
  crashes: Crash[];
  slowestMs: number;
}

export interface FuzzOptions {
  seed: number;
  /** Iterations to run (the bounded test run fixes this so it is deterministic). */
  iterations: number;
  /** Stop early at this time (Date.now()), for time-boxed runs. */
  deadline?: number;
  /** An input that takes longer than this is reported as 'slow' (a hang in the making). */
  perInputMs?: number;
  /** First iteration number (scripts/fuzz.mjs resumes in chunks). */
  from?: number;
}

/** The input of one iteration, and the generator the target then uses for positions. */
export function inputFor(target: Target, corpus: Corpus, seed: number, iteration: number): { input: Uint8Array | string; rng: Random } {
  const rng = Random.forIteration(seed, target.name, iteration);
  const pool: readonly (Uint8Array | string)[] = corpus[target.input];
  if (pool.length === 0) throw new Error(`empty corpus for ${target.name} (${target.input})`);
  const base = rng.pick(pool);
  const other = rng.pick(pool);
  if (rng.chance(0.03)) return { input: base, rng };
  const input = typeof base === 'string' ? mutateText(rng, base, other as string) : mutateBinary(rng, base, other as Uint8Array);
  return { input, rng };
}

function describe(err: unknown): { message: string; where: string } {
  if (err instanceof Error) {
    const frames = (err.stack ?? '').split('\n').filter((l) => l.trimStart().startsWith('at ')).slice(0, 3).map((l) => l.trim());
    return { message: `${err.name}: ${err.message}`.slice(0, 300), where: frames.join(' | ') };
  }
  return { message: `non-Error thrown: ${String(err)}`.slice(0, 300), where: '' };
}

export function fuzzTarget(target: Target, corpus: Corpus, options: FuzzOptions): FuzzStats {
  const stats: FuzzStats = { target: target.name, iterations: 0, typedErrors: 0, crashes: [], slowestMs: 0 };
  const from = options.from ?? 0;
  for (let i = from; i < from + options.iterations; i++) {
    if (options.deadline !== undefined && Date.now() > options.deadline) break;
    const { input, rng } = inputFor(target, corpus, options.seed, i);
    const t0 = performance.now();
    try {
      target.run(input, rng);
    } catch (err) {
      if (isTypedError(err)) stats.typedErrors++;
      else stats.crashes.push({ target: target.name, seed: options.seed, iteration: i, kind: 'exception', ...describe(err), input });
    }
    const ms = performance.now() - t0;
    stats.slowestMs = Math.max(stats.slowestMs, ms);
    if (options.perInputMs !== undefined && ms > options.perInputMs) {
      stats.crashes.push({ target: target.name, seed: options.seed, iteration: i, kind: 'slow', message: `took ${Math.round(ms)} ms`, where: '', input });
    }
    stats.iterations++;
  }
  return stats;
}

/** Crashes with the same message shape and place count once. */
export function distinctCrashes(crashes: readonly Crash[]): Crash[] {
  const seen = new Map<string, Crash>();
  for (const c of crashes) {
    const key = `${c.target}|${c.kind}|${c.message.replace(/\d+/g, 'N').slice(0, 80)}|${c.where}`;
    if (!seen.has(key)) seen.set(key, c);
  }
  return [...seen.values()];
}
