// F5 against `wasmscope run`, in CPU time: the bundled adapter, spawned as VS Code spawns it,
// launches each bench module's `run` export with a function breakpoint that never binds (so it runs
// to the end, recording for time travel as F5 does); the whole adapter process's CPU (start-up
// included, user + system, all threads) ÷ `wasmscope run --engine interp --invoke run`'s, each less
// `node -e 0`'s. Best of N each, same run. Goal ≤ 1.1.
//   node esbuild.mjs && node bench/dap-cpu.mjs [runs] [module|FILE.wasm...]
// BENCH_DAP_BASE=DIR also measures DIR/dist/debugAdapter.js (another build, e.g. a `git archive` of
// an earlier commit) in the same run, interleaved, for before → after figures.
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const runs = Math.max(1, Number(process.argv[2] ?? 5));
const only = process.argv.slice(3).filter((a) => !a.endsWith('.wasm'));
const extra = process.argv.slice(3).filter((a) => a.endsWith('.wasm'));
const preload = join(import.meta.dirname, 'dap-cpu-report.cjs');
const dir = mkdtempSync(join(tmpdir(), 'wasmscope-dap-cpu-'));
const report = join(dir, 'cpu');
const env = { ...process.env, WASMSCOPE_CPU_REPORT: report };

/** The CPU ms the last measured process reported (the report file is emptied before each). */
function takeCpuMs() {
  const lines = readFileSync(report, 'utf8').trim().split('\n');
  if (lines.length !== 1 || !lines[0]) throw new Error(`expected one CPU report, got ${JSON.stringify(lines)}`);
  return Number(lines[0]) / 1000;
}

function processCpuMs(args) {
  writeFileSync(report, '');
  const r = spawnSync(process.execPath, ['--require', preload, ...args], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return takeCpuMs();
}

async function adapterCpuMs(program, adapter = join(root, 'dist', 'debugAdapter.js')) {
  writeFileSync(report, '');
  const dc = new DebugClient(process.execPath, adapter, 'wasmscope', {
    env: { ...env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(preload)}`.trim() },
  });
  dc.defaultTimeout = 120_000;
  await dc.start();
  const exited = new Promise((resolve) => dc._adapterProcess.once('exit', resolve));
  const ended = dc.waitForEvent('terminated');
  await Promise.all([
    dc.initializeRequest({ adapterID: 'wasmscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' }),
    dc.waitForEvent('initialized').then(async () => {
      await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'no_such_function' }] });
      await dc.configurationDoneRequest();
    }),
    dc.launchRequest({ program, invoke: { export: 'run', args: [] } }),
  ]);
  await ended;
  await dc.stop();
  await exited;
  return takeCpuMs();
}

const modules = [join(root, '..', 'shared', 'bench'), join(root, 'bench', 'modules')]
  .filter((d) => existsSync(d))
  .flatMap((d) => spawnSync('ls', [d], { encoding: 'utf8' }).stdout.split('\n').filter((f) => f.endsWith('.wasm')).map((f) => join(d, f)))
  .filter((f) => (only.length === 0 && extra.length === 0) || only.includes(basename(f, '.wasm')));
modules.push(...extra);
const cli = join(root, 'dist', 'cli.js');
const fmt = (ms) => `${ms.toFixed(0).padStart(5)} ms`;
console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; best of ${runs}, CPU ms less \`node -e 0\``);
const node0 = Math.min(...Array.from({ length: Math.max(5, runs) }, () => processCpuMs(['-e', '0'])));
const baseDir = process.env.BENCH_DAP_BASE;
const baseAdapter = baseDir ? join(baseDir, 'dist', 'debugAdapter.js') : undefined;
const ratios = [];
const baseRatios = [];
const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
for (const file of modules) {
  const name = basename(file, '.wasm');
  const dap = [];
  const base = [];
  const run = [];
  for (let i = 0; i < runs; i++) {
    dap.push(await adapterCpuMs(file));
    if (baseAdapter) base.push(await adapterCpuMs(file, baseAdapter));
    run.push(processCpuMs([cli, 'run', '--engine', 'interp', '--invoke', 'run', file]));
  }
  const d = Math.min(...dap) - node0;
  const r = Math.min(...run) - node0;
  ratios.push(d / r);
  let before = '';
  if (baseAdapter) {
    const b = Math.min(...base) - node0;
    baseRatios.push(b / r);
    before = `  (base debugger ${fmt(b)}, ratio ${(b / r).toFixed(3)})`;
  }
  console.log(`  ${name.padEnd(12)} debugger ${fmt(d)}  run ${fmt(r)}  ratio ${(d / r).toFixed(3)}${before}`);
}
const baseText = baseRatios.length ? ` (base ${geomean(baseRatios).toFixed(3)})` : '';
console.log(`  geomean ratio ${geomean(ratios).toFixed(3)}${baseText} (goal ≤ 1.1); \`node -e 0\` ${node0.toFixed(0)} ms; load average after ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
rmSync(dir, { recursive: true, force: true });
process.exit(0);
