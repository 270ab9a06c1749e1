// `npm run bench`: times our interpreter against its peers (wabt's C++ interpreter, wabt's
// interpreter compiled to Wasm, V8) on the same modules in one run, checks they agree, prints
// best-of-N CPU times and ratios with the geometric mean (and against BENCH_PREV, our engine at a git ref), then `run --engine v8` against bare Node, the engine's
// compile figures, the cost of armed-but-unhit breakpoints, real programs from npm (YoWASP yosys, nextpnr) against
// Node's WASI (bench/realprog.mjs), the language server's and debug adapter's latencies, and
// the module view of a 50 MB .wasm (bench/module-view.mjs: tree, .wasm view, the extension host's longest block).
// Writes bench/results.json. Options: BENCH_RUNS=N (default 5), BENCH_ONLY=name[,name], BENCH_PREV=<git ref>,
// BENCH_QUICK=1 (the interpreter table only), BENCH_REAL=0 (no real programs), BENCH_REAL_RUNS=N (default 1).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { join, basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';

const root = join(import.meta.dirname, '..');
const shared = join(root, '..', 'shared');
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);

// Our engine runs from a bundle of bench/ours.ts, built here so the bench measures what ships.
const oursJs = join(root, 'out', 'bench', 'ours.js');
mkdirSync(join(root, 'out', 'bench'), { recursive: true });
await esbuild.build({
  entryPoints: [join(root, 'bench', 'ours.ts')],
  outfile: oursJs,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});

const modules = [];
for (const dir of [join(shared, 'bench'), join(root, 'bench', 'modules')]) {
  if (!existsSync(dir)) {
    console.log(`(skipping ${dir}: not present — the shared benchmark modules live in ../shared/bench)`);
    continue;
  }
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.wasm') && (!only || only.includes(basename(f, '.wasm')))) modules.push(join(dir, f));
  }
}
if (modules.length === 0) {
  console.error('bench: no modules to run');
  process.exit(1);
}

// wabt's C++ wasm-interp from PATH, skipping node_modules/.bin: under `npm run bench` that comes
// first and its wasm-interp is wabt.js (the npm package), which would be timed as the C++ one.
const wasmInterpNative = (process.env.PATH ?? '').split(':')
  .filter((d) => d && !d.split('/').includes('node_modules'))
  .map((d) => join(d, 'wasm-interp'))
  .find((p) => existsSync(p) && spawnSync(p, ['--version'], { encoding: 'utf8' }).status === 0);
const wabtJsInterp = join(root, 'node_modules', 'wabt', 'bin', 'wasm-interp');
// `(module (func (export "run") (result i32) i32.const 0))`: what a peer costs before it runs anything.
const trivial = join(root, 'out', 'bench', 'trivial.wasm');
writeFileSync(trivial, Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00,
  0x07, 0x07, 0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x00, 0x0b,
]));

// The machine is shared: CPU time (user + system) is what a peer costs, whatever else runs. GNU
// time reports a child's; without it, wall time is used (and said so).
const gnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%U', 'true'], { encoding: 'utf8' }).status === 0;
if (!gnuTime) console.log('(/usr/bin/time not found: external peers are timed by wall clock)');

/** Runs a child process; returns its stdout, its wall time and its CPU time in ms. */
function timed(cmd, args) {
  const t0 = performance.now();
  const r = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', 'WSCPU %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  const m = /WSCPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '');
  const cpuMs = m ? (Number(m[1]) + Number(m[2])) * 1000 : ms;
  return { stdout: r.stdout, ms, cpuMs };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs });

/** wabt's interpreters print `run() => i32:N` (unsigned); we compare as signed i32. */
function parseWabtResult(stdout) {
  const m = /^run\(\) => i32:(\d+)/m.exec(stdout);
  if (!m) throw new Error(`unexpected wasm-interp output: ${stdout.slice(0, 200)}`);
  return Number(m[1]) | 0;
}

// Process start-up is not the interpreter's speed: subtract each external peer's median time on
// a module whose `run` returns at once.
const baselines = new Map();
function baseline(key, cmd, args) {
  if (!baselines.has(key)) {
    const xs = [];
    for (let i = 0; i < Math.max(3, runs); i++) xs.push(timed(cmd, [...args, trivial]).cpuMs);
    baselines.set(key, Math.min(...xs));
  }
  return baselines.get(key);
}

// The previous version of our engine (BENCH_PREV=<git ref>, default the newest tag): its core/ from
// `git archive`, bundled with this tree's bench/ours.ts (the same runner, CPU-timed in the process).
const prevRef = process.env.BENCH_PREV ?? (spawnSync('git', ['describe', '--tags', '--abbrev=0'], { cwd: root, encoding: 'utf8' }).stdout ?? '').trim();
let prevJs;
if (prevRef) {
  const sha = spawnSync('git', ['rev-parse', '--short', prevRef], { cwd: root, encoding: 'utf8' }).stdout.trim();
  const dir = join(root, 'out', 'bench', `prev-${sha}`);
  const tar = spawnSync('sh', ['-c', `mkdir -p "${dir}" && git archive "${sha}" tsconfig.base.json core | tar -x -C "${dir}" && mkdir -p "${dir}/bench" && cp bench/ours.ts "${dir}/bench/"`], { cwd: root, encoding: 'utf8' });
  if (sha && tar.status === 0) {
    prevJs = join(dir, 'ours.js');
    await esbuild.build({ entryPoints: [join(dir, 'bench', 'ours.ts')], outfile: prevJs, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
    console.log(`(prev = our engine at ${prevRef} (${sha}))`);
  } else console.log(`(BENCH_PREV=${prevRef}: cannot check it out (${tar.stderr.trim()}); the prev column is skipped)`);
} else console.log('(no git tag and no BENCH_PREV=<ref>: the previous-version column is skipped)');

const peers = {
  ours: (file, extra = []) => {
    const out = JSON.parse(timed(process.execPath, [oursJs, file, ...extra]).stdout);
    return { result: out.result, ms: out.cpuMs, detail: out };
  },
  prev: prevJs
    ? (file) => {
        const out = JSON.parse(timed(process.execPath, [prevJs, file]).stdout);
        return { result: out.result, ms: out.cpuMs };
      }
    : undefined,
  v8: (file) => {
    const out = JSON.parse(timed(process.execPath, [join(root, 'bench', 'v8.mjs'), file]).stdout);
    return { result: out.result, ms: out.cpuMs };
  },
  wabtNative: wasmInterpNative
    ? (file) => {
        const base = baseline('native', wasmInterpNative, ['--run-all-exports']);
        const { stdout, cpuMs } = timed(wasmInterpNative, ['--run-all-exports', file]);
        return { result: parseWabtResult(stdout), ms: Math.max(0.01, cpuMs - base) };
      }
    : undefined,
  wabtJs: (file) => {
    const base = baseline('wabtjs', process.execPath, [wabtJsInterp, '--run-all-exports']);
    const { stdout, cpuMs } = timed(process.execPath, [wabtJsInterp, '--run-all-exports', file]);
    return { result: parseWabtResult(stdout), ms: Math.max(0.01, cpuMs - base) };
  },
};
if (!wasmInterpNative) console.log('(wabt C++ interpreter not found: `apt-get install wabt` — its column is skipped)');

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const ratio = (a, b) => (b ? (a / b).toFixed(2) : '—');
const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);

const results = { date: new Date().toISOString(), runs, node: process.version, modules: {}, summary: {} };
console.log(`\nInterpreter speed — CPU time, best of ${runs} runs each (ratios: ours ÷ peer; < 1 means we are faster)\n`);
const header = ['module', 'ours', 'wabt C++', 'wabt.js', 'V8', ...(prevJs ? ['prev'] : []), 'ours/C++', 'ours/wabt.js', 'ours/V8', ...(prevJs ? ['ours/prev'] : [])];
const rows = [header];
const ratios = { wabtNative: [], wabtJs: [], v8: [], prev: [] };

for (const file of modules) {
  const name = basename(file, '.wasm');
  const times = {};
  let expected;
  for (const [peer, run] of Object.entries(peers)) {
    if (!run) continue;
    const xs = [];
    for (let i = 0; i < runs; i++) {
      const r = run(file);
      if (expected === undefined) expected = r.result;
      if (r.result !== expected) throw new Error(`${name}: ${peer} returned ${r.result}, expected ${expected}`);
      xs.push(r.ms);
    }
    times[peer] = stats(xs);
  }
  results.modules[name] = { result: expected, times };
  const o = times.ours.min;
  for (const p of ['wabtNative', 'wabtJs', 'v8', 'prev']) if (times[p]) ratios[p].push(o / times[p].min);
  rows.push([
    name, fmt(o), times.wabtNative ? fmt(times.wabtNative.min) : '—', fmt(times.wabtJs.min), fmt(times.v8.min),
    ...(prevJs ? [fmt(times.prev.min)] : []),
    ratio(o, times.wabtNative?.min), ratio(o, times.wabtJs.min), ratio(o, times.v8.min),
    ...(prevJs ? [ratio(o, times.prev.min)] : []),
  ]);
}
const gm = Object.fromEntries(Object.entries(ratios).filter(([, xs]) => xs.length).map(([k, xs]) => [k, geomean(xs)]));
rows.push(['geomean', '', '', '', '', ...(prevJs ? [''] : []), gm.wabtNative?.toFixed(2) ?? '—', gm.wabtJs?.toFixed(2) ?? '—', gm.v8?.toFixed(2) ?? '—',
  ...(prevJs ? [gm.prev?.toFixed(2) ?? '—'] : [])]);
printTable(rows);
results.summary.geomean = gm;
console.log('\nmin / median / max per peer (ms):');
for (const [name, m] of Object.entries(results.modules)) {
  console.log(`  ${name.padEnd(12)} ${Object.entries(m.times).map(([p, s]) => `${p} ${s.min.toFixed(0)}/${s.median.toFixed(0)}/${s.max.toFixed(0)}`).join('  ')}`);
}

if (process.env.BENCH_QUICK) {
  writeFileSync(join(root, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  process.exit(0);
}

// Run without debugging: `wasmscope run --engine v8` (the CLI, our WASI host, the trap mapping)
// against bare Node doing WebAssembly.instantiate + run() (bench/v8.mjs), both as whole processes,
// as a user runs them. Node's own start-up (`node -e 0`) is shown so the CLI's load cost is visible.
console.log(`\nRun on V8: \`wasmscope run --engine v8 --invoke run\` ÷ bare Node instantiate + call (process wall time, median of ${runs}; goal ≤ 1.5)`);
const cliJs = join(root, 'dist', 'cli.js');
if (!existsSync(cliJs)) {
  console.log('  (dist/cli.js is missing: `node esbuild.mjs` first)');
} else {
  const nodeStart = median(Array.from({ length: Math.max(3, runs) }, () => timed(process.execPath, ['-e', '0']).ms));
  const v8Ratios = [];
  for (const file of modules) {
    const name = basename(file, '.wasm');
    const cli = [];
    const bare = [];
    for (let i = 0; i < runs; i++) {
      const c = timed(process.execPath, [cliJs, 'run', '--engine', 'v8', '--invoke', 'run', file]);
      if ((Number(c.stdout.trim()) | 0) !== results.modules[name].result) throw new Error(`${name}: run --engine v8 printed ${c.stdout.trim()}, expected ${results.modules[name].result}`);
      cli.push(c.ms);
      bare.push(timed(process.execPath, [join(root, 'bench', 'v8.mjs'), file]).ms);
    }
    const r = median(cli) / median(bare);
    v8Ratios.push(r);
    results.modules[name].runV8 = { cli: stats(cli), bare: stats(bare), ratio: r };
    console.log(`  ${name.padEnd(12)} run --engine v8 ${fmt(median(cli))}  bare Node ${fmt(median(bare))}  ratio ${r.toFixed(2)}`);
  }
  results.summary.runV8Ratio = geomean(v8Ratios);
  results.summary.nodeStartMs = nodeStart;
  console.log(`  geomean ratio ${results.summary.runV8Ratio.toFixed(2)} (goal ≤ 1.5); \`node -e 0\` alone takes ${fmt(nodeStart)}`);
}

// Armed-but-unhit breakpoints: ten breakpoints in the `unused*` exports our own modules carry.
console.log('\nCost of debugging: ten breakpoints set in never-called functions, ÷ the same run without (CPU, best of N)');
const bpRatios = [];
for (const file of modules) {
  const name = basename(file, '.wasm');
  const plain = [];
  const armed = [];
  for (let i = 0; i < runs; i++) {
    plain.push(peers.ours(file, ['--machine']).ms);
    const r = peers.ours(file, ['--machine', '--breakpoints-in-unused']);
    if (!r.detail.breakpoints) break;
    armed.push(r.ms);
  }
  if (armed.length === 0) continue;
  const rr = Math.min(...armed) / Math.min(...plain);
  bpRatios.push(rr);
  results.modules[name].breakpoints = { plain: stats(plain), armed: stats(armed), ratio: rr };
  console.log(`  ${name.padEnd(12)} plain ${fmt(Math.min(...plain))}  armed ${fmt(Math.min(...armed))}  ratio ${rr.toFixed(3)}`);
}
if (bpRatios.length) {
  results.summary.breakpointRatio = geomean(bpRatios);
  console.log(`  geomean ratio ${results.summary.breakpointRatio.toFixed(3)} (target ≤ 1.05)`);
}

// F5 against `wasmscope run` (bench/dap-cpu.mjs): the debug adapter launches each module's `run`
// with a function breakpoint that never binds (so it runs to the end, recording for time travel as
// F5 does); the adapter process's CPU time ÷ `run --engine interp --invoke run`'s, each less
// `node -e 0`'s. Goal ≤ 1.1.
if (existsSync(join(root, 'dist', 'debugAdapter.js')) && existsSync(cliJs)) {
  const { measureDebuggerCpu } = await import('./dap-cpu.mjs');
  console.log(`\nDebugger (F5, run to the end) ÷ \`wasmscope run --engine interp\` (CPU less \`node -e 0\`, best of ${runs}; goal ≤ 1.1)`);
  const r = await measureDebuggerCpu(modules, runs, { log: (line) => console.log(line) });
  for (const [name, m] of Object.entries(r.modules)) results.modules[name].debugger = m;
  results.summary.debuggerRatio = r.geomean;
  console.log(`  geomean ratio ${r.geomean.toFixed(2)} (goal ≤ 1.1)`);
}

// Decode + compile on the wasi-testsuite C program with the most code (ours.js picks it).
const cDir = join(shared, 'wasi-testsuite', 'c');
const cModules = existsSync(cDir) ? readdirSync(cDir).filter((f) => f.endsWith('.wasm')).map((f) => join(cDir, f)) : [];
if (cModules.length) {
  const out = JSON.parse(timed(process.execPath, [oursJs, '--compile-only', ...cModules]).stdout);
  results.summary.compile = { ...out, file: basename(out.file) };
  console.log(`\nDecode + compile of ${basename(out.file)} (${(statSync(out.file).size / 1024).toFixed(0)} KB, code section ${out.codeBytes} bytes):`);
  console.log(`  ${out.warmNsPerByte.toFixed(1)} ns per code byte warm, ${out.coldNsPerByte.toFixed(1)} cold (first compile in a fresh process) (target ≤ 200)`);
  console.log(`  compiled code ${out.compiledBytes} bytes = ${(out.compiledBytes / out.codeBytes).toFixed(2)}× the code section (target ≤ 4)`);
}

// `inspect` on a component of about 7 MB: the Rust fixture (8 MB of code and DWARF) made a
// wasi:cli/command component by `jco new`, timed as the user runs it (process wall time).
const rustCore = join(root, 'test', 'fixtures', 'lang', 'values-rs.wasm');
const jco = join(root, 'node_modules', '.bin', 'jco');
if (existsSync(rustCore) && existsSync(jco) && existsSync(join(root, 'dist', 'cli.js'))) {
  const comp = join(root, 'out', 'bench', 'values-comp.wasm');
  timed(process.execPath, [jco, 'new', rustCore, '--wasi-command', '-o', comp]);
  const cli = join(root, 'dist', 'cli.js');
  const times = [];
  const jsonTimes = [];
  for (let i = 0; i < runs; i++) {
    const r = timed(process.execPath, [cli, 'inspect', comp]);
    if (!r.stdout.includes('export wasi:cli/run@0.2.')) throw new Error(`inspect ${comp} did not show the run export`);
    times.push(r.ms);
    jsonTimes.push(timed(process.execPath, [cli, 'inspect', '--json', comp]).ms);
  }
  results.summary.inspectComponent = { bytes: statSync(comp).size, text: stats(times), json: stats(jsonTimes) };
  console.log(`
Inspect a ${(statSync(comp).size / 1e6).toFixed(1)} MB component (process wall time, median of ${runs}; goal ≤ 1 s):`);
  console.log(`  inspect ${fmt(median(times))}  inspect --json ${fmt(median(jsonTimes))}`);
}

// Real WASI programs from npm against Node's WASI (bench/realprog.mjs; BENCH_REAL=0 skips them).
const { realPrograms } = await import('./realprog.mjs');
const real = await realPrograms();
if (real) results.summary.realPrograms = real;

const moduleViewJson = join(root, 'out', 'bench', 'module-view.json');
rmSync(moduleViewJson, { force: true });
for (const [label, script] of [['Language server', 'lsp-latency.mjs'], ['Debug adapter', 'dap-step.mjs'], ['Time travel', 'dap-timetravel.mjs'], ['Module view of a 50 MB .wasm', 'module-view.mjs']]) {
  const p = join(root, 'bench', script);
  if (!existsSync(p)) continue;
  console.log(`\n${label} (bench/${script}):`);
  const r = spawnSync(process.execPath, [p], { stdio: 'inherit' });
  if (r.status !== 0) console.log(`  (${script} exited with ${r.status})`);
}
// The module view's figures, as bench/module-view.ts wrote them in this run.
if (existsSync(moduleViewJson)) results.summary.moduleView = JSON.parse(readFileSync(moduleViewJson, 'utf8'));

writeFileSync(join(root, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
console.log('\nwrote bench/results.json');

function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const [k, r] of rows.entries()) {
    console.log(r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  '));
    if (k === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
