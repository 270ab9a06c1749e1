// The `wasmscope` command's entry (dist/cli.js): small, so that what it decides costs little before
// the CLI itself (dist/cliMain.js, cli.ts) is loaded.
//
// `wasmscope run` re-executes itself once with MALLOC_ARENA_MAX=1 on glibc. glibc gives each thread
// that allocates its own malloc arena (up to 8 per core) and seldom hands their memory back; V8's
// background threads, recompiling the interpreter's big dispatch loop, fill several of them, which
// was most of a long run's peak RSS beyond the JS heap (nextpnr: 227-413 MB over three runs, 189 MB
// in each with one arena, Node's own WASI 147 MB; no measurable CPU cost). glibc reads the variable
// when the process starts, hence a second process; this one only waits for it and passes its exit
// status (or signal) on. A MALLOC_ARENA_MAX already set (any value) is left as it is, and so is any
// platform but glibc's; other commands run here.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LAUNCHER_ENV } from './launch-cost';

function isGlibc(): boolean {
  if (process.platform !== 'linux') return false;
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return typeof header?.glibcVersionRuntime === 'string';
}

/** Whether to hand this command line to a child with one malloc arena. */
function shouldRelaunch(argv: readonly string[]): boolean {
  if (argv[0] !== 'run' || argv[1] === '--help' || argv[1] === '-h') return false;
  // Node's inspector on this process (node --inspect dist/cli.js run ...): debugging the CLI
  // means this process, and a child could not have the same port.
  if (process.execArgv.some((a) => a.startsWith('--inspect'))) return false;
  return process.env.MALLOC_ARENA_MAX === undefined && process.env[LAUNCHER_ENV] === undefined && isGlibc();
}

/** Runs the same command line in a child with MALLOC_ARENA_MAX=1; resolves to its exit status (a
 * signal that ended it is raised again here, so whoever waits for us sees the same end). */
function relaunch(): Promise<number> {
  const cpu = process.cpuUsage();
  const env = { ...process.env, MALLOC_ARENA_MAX: '1', [LAUNCHER_ENV]: `${performance.timeOrigin},${cpu.user + cpu.system}` };
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  // A signal sent to this process alone (kill PID) reaches the program too; one from the terminal
  // reaches both, and the second copy is harmless.
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, forward);
  return new Promise((resolve, reject) => {
    child.on('error', (err) => {
      for (const s of signals) process.off(s, forward);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      if (signal !== null) {
        process.kill(process.pid, signal);
        // the signal's default action ends this process; should it not, the shell's status for it
        resolve(128 + (constants.signals[signal] ?? 0));
        return;
      }
      resolve(code ?? 1);
    });
  });
}

/** The CLI in this process (cli.ts, bundled beside this file). */
function runHere(): void {
  import(pathToFileURL(join(__dirname, 'cliMain.js')).href).catch((err: unknown) => {
    process.stderr.write(`wasmscope: cannot load the CLI: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 70;
  });
}

if (shouldRelaunch(process.argv.slice(2))) {
  relaunch().then(
    (code) => {
      process.exitCode = code;
    },
    // the child could not be started: run here
    () => runHere(),
  );
} else {
  runHere();
}
