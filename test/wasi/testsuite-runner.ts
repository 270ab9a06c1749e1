// Runs one wasi-testsuite case as its specification.md says: parse foo.json (legacy or
// operation-based), copy the preopened root to a temp dir, run _start, compare exit code and output.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, chmodSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { BufferSink, BufferSource, Wasi, WasiExit, nodeClock, nodeRandom, NodeFileSystem, type Preopen } from '../../core/wasi';
import { runStart, type EngineName } from './engines';

export interface Expectation {
  args: string[];
  env: Record<string, string>;
  root: string | null;
  dirs: string[];
  exitCode: number;
  stdout: string | null;
  stderr: string | null;
  stdin: string;
}

interface Operation {
  type: string;
  args?: string[];
  env?: Record<string, string>;
  root?: string | null;
  exit_code?: number;
  id?: string;
  payload?: string;
}

/** The spec of `foo.wasm`: foo.json if present, defaults otherwise; operations folded into one run. */
export function readSpec(wasmPath: string): Expectation {
  const jsonPath = wasmPath.replace(/\.wasm$/, '.json');
  const raw = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>) : {};
  const spec: Expectation = { args: [], env: {}, root: null, dirs: [], exitCode: 0, stdout: '', stderr: null, stdin: '' };
  if (Array.isArray(raw.operations)) {
    spec.stdout = null;
    for (const op of raw.operations as Operation[]) {
      if (op.type === 'run') {
        spec.args = op.args ?? [];
        spec.env = op.env ?? {};
        spec.root = op.root ?? null;
      } else if (op.type === 'wait') {
        spec.exitCode = op.exit_code ?? 0;
      } else if (op.type === 'read') {
        if ((op.id ?? 'stdout') === 'stdout') spec.stdout = (spec.stdout ?? '') + (op.payload ?? '');
        else spec.stderr = (spec.stderr ?? '') + (op.payload ?? '');
      } else {
        throw new Error(`unsupported operation ${op.type} (needs a proposal we do not implement)`);
      }
    }
    return spec;
  }
  if (Array.isArray(raw.args)) spec.args = raw.args as string[];
  if (raw.env && typeof raw.env === 'object') spec.env = raw.env as Record<string, string>;
  if (typeof raw.root === 'string') spec.root = raw.root;
  if (Array.isArray(raw.dirs)) spec.dirs = raw.dirs as string[];
  if (typeof raw.exit_code === 'number') spec.exitCode = raw.exit_code;
  if (typeof raw.stdout === 'string') spec.stdout = raw.stdout;
  if (typeof raw.stderr === 'string') spec.stderr = raw.stderr;
  if (typeof raw.stdin === 'string') spec.stdin = raw.stdin;
  return spec;
}

/** chmod u+w, recursively: the shared copy is read-only, the tests write into their preopens. */
export function makeWritable(path: string): void {
  chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
  if (statSync(path).isDirectory()) for (const e of readdirSync(path)) makeWritable(join(path, e));
}

export interface CaseResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Why it failed, or null when it passed. */
  failure: string | null;
}

/**
 * Copies a case's `dirs` (and its `root`, preopened as `/`) from `dir` into `tmp`: preopens are
 * copies, so a run never changes the shared folder and runs stay independent.
 */
export function copyPreopens(spec: { dirs: readonly string[]; root: string | null }, dir: string, tmp: string): Preopen[] {
  const copy = (rel: string): string => {
    const to = join(tmp, rel);
    // specification.md: *.cleanup files are artifacts of earlier runs and are removed first.
    cpSync(join(dir, rel), to, { recursive: true, filter: (src) => !src.endsWith('.cleanup') });
    makeWritable(to);
    return to;
  };
  const preopens: Preopen[] = spec.dirs.map((d) => ({ host: copy(d), guest: d }));
  if (spec.root !== null) preopens.push({ host: copy(spec.root), guest: '/' });
  return preopens;
}

/** Runs one test case on `engine` and judges it. */
export async function runCase(wasmPath: string, engine: EngineName | CliEngine): Promise<CaseResult> {
  const spec = readSpec(wasmPath);
  const dir = join(wasmPath, '..');
  const tmp = mkdtempSync(join(tmpdir(), 'wasi-testsuite-'));
  try {
    const preopens = copyPreopens(spec, dir, tmp);
    if (typeof engine === 'object') return judge(spec, runCli(wasmPath, spec, preopens, engine.cli));
    const stdout = new BufferSink();
    const stderr = new BufferSink();
    const wasi = new Wasi({
      args: [basename(wasmPath), ...spec.args],
      env: spec.env,
      preopens,
      io: { stdin: new BufferSource(spec.stdin), stdout, stderr, fs: new NodeFileSystem(), clock: nodeClock, random: nodeRandom },
    });
    let exitCode = 0;
    try {
      await runStart(engine, readFileSync(wasmPath), wasi);
    } catch (err) {
      if (err instanceof WasiExit) exitCode = err.code;
      else {
        exitCode = 134;
        stderr.write(new TextEncoder().encode(`trap: ${err instanceof Error ? err.message : String(err)}\n`));
      }
    } finally {
      wasi.dispose();
    }
    return judge(spec, { exitCode, stdout: stdout.text(), stderr: stderr.text() });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** `wasmscope run --engine ENGINE` (the bundled CLI, dist/cli.js) instead of the in-process host. */
export interface CliEngine {
  cli: 'v8' | 'interp';
}

const cliJs = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

/** One case through the CLI: the same args, env, preopens and stdin as flags and the process's own. */
function runCli(wasmPath: string, spec: Expectation, preopens: Preopen[], engine: 'v8' | 'interp'): Omit<CaseResult, 'failure'> {
  const flags = ['--engine', engine];
  for (const p of preopens) flags.push('--dir', `${p.host}::${p.guest}`);
  for (const [k, v] of Object.entries(spec.env)) flags.push('--env', `${k}=${v}`);
  // argv[0] is the file as given: run from its directory so it is the basename, as in runCase.
  const r = spawnSync(process.execPath, [cliJs, 'run', ...flags, basename(wasmPath), ...spec.args], {
    cwd: join(wasmPath, '..'), input: spec.stdin, encoding: 'utf8', timeout: 60_000, env: {},
  });
  return { exitCode: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function judge(spec: Expectation, r: Omit<CaseResult, 'failure'>): CaseResult {
  const result: CaseResult = { ...r, failure: null };
  if (r.exitCode !== spec.exitCode) result.failure = `exit code ${r.exitCode}, expected ${spec.exitCode}`;
  else if (spec.stdout !== null && result.stdout !== spec.stdout) result.failure = `stdout ${JSON.stringify(result.stdout)}, expected ${JSON.stringify(spec.stdout)}`;
  else if (spec.stderr !== null && spec.stderr !== '' && result.stderr !== spec.stderr) result.failure = `stderr ${JSON.stringify(result.stderr)}, expected ${JSON.stringify(spec.stderr)}`;
  return result;
}

/** Every test case (*.wasm) of one language directory, sorted. */
export function listCases(languageDir: string): string[] {
  return readdirSync(languageDir).filter((f) => f.endsWith('.wasm')).sort().map((f) => join(languageDir, f));
}
