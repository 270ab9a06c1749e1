// F5 against `wasmscope run`, in CPU time: the bundled adapter, spawned as VS Code spawns it,
// launches each bench module's `run` export with a function breakpoint that never binds (so it runs
// to the end, recording for time travel as F5 does); the whole adapter process's CPU (start-up
// included, user + system, all threads) ÷ `wasmscope run --engine interp --invoke run`'s, each less
// `node -e 0`'s. Best of N each, same run. Goal ≤ 1.1. Exported for bench/run.mjs; run alone with
//   node esbuild.mjs && node bench/dap-cpu.mjs [runs] [module|FILE.wasm...]
// BENCH_DAP_BASE=DIR also measures DIR/dist/debugAdapter.js (another build, e.g. a `git archive` of
// an earlier commit) in the same run, interleaved, for before → after figures.
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const preload = join(import.meta.dirname, 'dap-cpu-report.cjs');
const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);

/** A place the measured processes report their CPU time to (see dap-cpu-report.cjs). */
class CpuReports {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'wasmscope-dap-cpu-'));
    this.file = join(this.dir, 'cpu');
    this.env = { ...process.env, WASMSCOPE_CPU_REPORT: this.file };
  }

  /** The CPU ms the last measured process reported (the file is emptied before each). */
  take() {
    const lines = readFileSync(this.file, 'utf8').trim().split('\n');
    if (lines.length !== 1 || !lines[0]) throw new Error(`expected one CPU report, got ${JSON.stringify(lines)}`);
    return Number(lines[0]) / 1000;
  }

  process(args) {
    writeFileSync(this.file, '');
    const r = spawnSync(process.execPath, ['--require', preload, ...args], { env: this.env, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return this.take();
  }

  async adapter(adapter, program) {
    writeFileSync(this.file, '');
    const dc = new DebugClient(process.execPath, adapter, 'wasmscope', {
      env: { ...this.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(preload)}`.trim() },
    });
    dc.defaultTimeout = 120_000;
    await dc.start();
    const exited = new Promise((resolve) => dc._adapterProcess.once('exit', resolve));
    const ended = dc.waitForEvent('terminated');
    const stopped = dc.waitForEvent('stopped').then((e) => e.body.reason);
    await Promise.all([
      dc.initializeRequest({ adapterID: 'wasmscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' }),
      dc.waitForEvent('initialized').then(async () => {
        await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'no_such_function' }] });
        await dc.configurationDoneRequest();
      }),
      dc.launchRequest({ program, invoke: { export: 'run', args: [] } }),
    ]);
    const first = await Promise.race([ended.then(() => 'terminated'), stopped]);
    if (first !== 'terminated') throw new Error(`${program}: the debugger stopped (${first}) instead of running to the end`);
    await dc.stop();
    await exited;
    return this.take();
  }

  dispose() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Measures each module (best of `runs`); `log` gets one line per module. Returns
 * { nodeMs, modules: { name: { debugger, run, ratio, base?, baseRatio? } }, geomean, baseGeomean? }
 * with CPU ms less `node -e 0`'s.
 */
export async function measureDebuggerCpu(files, runs, { base, log = () => {} } = {}) {
  const cpu = new CpuReports();
  const adapter = join(root, 'dist', 'debugAdapter.js');
  const baseAdapter = base ? join(base, 'dist', 'debugAdapter.js') : undefined;
  const cli = join(root, 'dist', 'cli.js');
  const fmt = (ms) => `${ms.toFixed(0).padStart(5)} ms`;
  try {
    const nodeMs = Math.min(...Array.from({ length: Math.max(5, runs) }, () => cpu.process(['-e', '0'])));
    const modules = {};
    for (const file of files) {
      const name = basename(file, '.wasm');
      const dap = [];
      const before = [];
      const run = [];
      for (let i = 0; i < runs; i++) {
        dap.push(await cpu.adapter(adapter, file));
        if (baseAdapter) before.push(await cpu.adapter(baseAdapter, file));
        run.push(cpu.process([cli, 'run', '--engine', 'interp', '--invoke', 'run', file]));
      }
      const d = Math.min(...dap) - nodeMs;
      const r = Math.min(...run) - nodeMs;
      const m = (modules[name] = { debugger: d, run: r, ratio: d / r });
      let text = '';
      if (baseAdapter) {
        m.base = Math.min(...before) - nodeMs;
        m.baseRatio = m.base / r;
        text = `  (base debugger ${fmt(m.base)}, ratio ${m.baseRatio.toFixed(3)})`;
      }
      log(`  ${name.padEnd(12)} debugger ${fmt(d)}  run ${fmt(r)}  ratio ${m.ratio.toFixed(3)}${text}`);
    }
    const all = Object.values(modules);
    const out = { nodeMs, modules, geomean: geomean(all.map((m) => m.ratio)) };
    if (baseAdapter) out.baseGeomean = geomean(all.map((m) => m.baseRatio));
    return out;
  } finally {
    cpu.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const runs = Math.max(1, Number(process.argv[2] ?? 5));
  const names = process.argv.slice(3).filter((a) => !a.endsWith('.wasm'));
  const extra = process.argv.slice(3).filter((a) => a.endsWith('.wasm'));
  const files = [join(root, '..', 'shared', 'bench'), join(root, 'bench', 'modules')]
    .filter((d) => existsSync(d))
    .flatMap((d) => readdirSync(d).sort().filter((f) => f.endsWith('.wasm')).map((f) => join(d, f)))
    .filter((f) => (names.length === 0 && extra.length === 0) || names.includes(basename(f, '.wasm')));
  files.push(...extra);
  const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`F5 (run to the end, recording) ÷ \`wasmscope run --engine interp\`, CPU ms less \`node -e 0\`, best of ${runs}; load average ${load()}`);
  const r = await measureDebuggerCpu(files, runs, { base: process.env.BENCH_DAP_BASE, log: (l) => console.log(l) });
  const baseText = r.baseGeomean !== undefined ? ` (base ${r.baseGeomean.toFixed(3)})` : '';
  console.log(`  geomean ratio ${r.geomean.toFixed(3)}${baseText} (goal ≤ 1.1); \`node -e 0\` ${r.nodeMs.toFixed(0)} ms; load average after ${load()}`);
  process.exit(0);
}
