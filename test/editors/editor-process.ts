// Runs a headless editor (nvim, emacs) on a checks script in isolation — a fresh HOME and XDG dirs, so no
// user config or plugin takes part — and returns the JSON it wrote; kills it if it outlives the timeout.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');
export const fixtures = join(root, 'test', 'fixtures', 'editors');
export const serverScript = join(root, 'dist', 'server.js');

/** False when `command --version` runs, else why the tests skip. */
export function skipUnless(command: string, install: string): false | string {
  const probe = spawnSync(command, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? false : `${command} is not installed (${install}; scripts/install-system-deps.sh does it)`;
}

export interface EditorRun {
  command: string;
  args: string[];
  /** The environment variable through which the checks script learns where to write its JSON. */
  outVariable: string;
  timeoutMs: number;
}

export async function runEditor<T>({ command, args, outVariable, timeoutMs }: EditorRun): Promise<T> {
  if (!existsSync(serverScript)) throw new Error('dist/server.js is missing: run `node esbuild.mjs` first');
  const home = mkdtempSync(join(tmpdir(), `wasmscope-${command}-`));
  const xdg = Object.fromEntries(
    ['CONFIG', 'DATA', 'STATE', 'CACHE', 'RUNTIME'].map((k) => {
      const dir = join(home, k.toLowerCase());
      mkdirSync(dir);
      return [`XDG_${k}_HOME`, dir];
    }),
  );
  const outPath = join(home, 'observations.json');
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...xdg, HOME: home, WASMSCOPE_SERVER: serverScript, WASMSCOPE_FIXTURES: fixtures, [outVariable]: outPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  try {
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const status = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (status === 'timeout') {
      child.kill('SIGKILL');
      throw new Error(`${command} did not finish in ${timeoutMs} ms; its output:\n${output}`);
    }
    if (!existsSync(outPath)) throw new Error(`${command} exited (${status}) without writing observations; its output:\n${output}`);
    return JSON.parse(readFileSync(outPath, 'utf8')) as T;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** The fenced block after `heading` in server/README.md, and the README block of a test config (between markers). */
export function readmeBlock(heading: RegExp, fence: string): string | undefined {
  const readme = readFileSync(join(root, 'server', 'README.md'), 'utf8');
  const at = readme.search(heading);
  if (at < 0) return undefined;
  return new RegExp('```' + fence + '\\n([\\s\\S]*?)```').exec(readme.slice(at))?.[1];
}

export function markedBlock(file: string, comment: string): string | undefined {
  const text = readFileSync(join(import.meta.dirname, file), 'utf8');
  return new RegExp(`${comment} README begin\\n([\\s\\S]*?)${comment} README end`).exec(text)?.[1];
}
