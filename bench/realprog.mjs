// Real programs nobody here wrote, from npm: YoWASP's yosys synthesizing a small counter for the
// iCE40 (`synth_ice40`) and nextpnr-ice40 placing and routing yosys' netlist, each run on our
// interpreter (`wasmscope run`), on `wasmscope run --engine v8`, and on Node's own WASI
// (bench/node-wasi.mjs), as whole processes with the same argv, preopens and inputs. Per run:
// wall and CPU time, time to first instruction, peak memory (the child's max RSS from GNU time: on
// glibc `wasmscope run` is two processes, cli/launcher.ts, and this is the larger one's; the CPU
// times are both's), and whether stdout, stderr, the exit status and the files written are
// identical to Node's.
//
// The packages are fetched into .cache/realprog/ (gitignored) with `npm install --prefix` on
// first use; offline, the section is skipped with one line. Imported by bench/run.mjs;
// `node bench/realprog.mjs` runs it alone. BENCH_REAL_RUNS=N (default 1: yosys takes minutes on
// the interpreter), BENCH_REAL=0 skips it, BENCH_REAL_ONLY=yosys|nextpnr one program.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
/** Pinned, so that a figure in the README names the program it measured. */
const PACKAGES = { '@yowasp/yosys': '0.55.944', '@yowasp/nextpnr-ice40': '0.8.621' };

const COUNTER_V = `// an 8-bit counter with synchronous reset
module counter(input clk, input rst, output [7:0] q);
  reg [7:0] n = 0;
  always @(posedge clk) n <= rst ? 8'd0 : n + 8'd1;
  assign q = n;
endmodule
`;

/** Installs the pinned packages into .cache/realprog; a reason string when it cannot. */
function fetchPackages(cache) {
  const missing = Object.entries(PACKAGES).filter(([name, version]) => {
    const pj = join(cache, 'node_modules', name, 'package.json');
    return !existsSync(pj) || JSON.parse(readFileSync(pj, 'utf8')).version !== version;
  });
  if (missing.length === 0) return undefined;
  mkdirSync(cache, { recursive: true });
  console.log(`  (fetching ${missing.map(([n, v]) => `${n}@${v}`).join(', ')} into ${relative(root, cache)}/ — once)`);
  const r = spawnSync('npm', ['install', '--prefix', cache, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', ...missing.map(([n, v]) => `${n}@${v}`)], { encoding: 'utf8', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    const why = (r.stderr || r.stdout || String(r.error ?? '')).split('\n').find((l) => /ERR|error/i.test(l)) ?? `npm exited with ${r.status}`;
    return `cannot fetch them from the npm registry (offline?): ${why.trim()}`;
  }
  return undefined;
}

/**
 * Writes a YoWASP package's resource tree (gen/resources-*.js: `filesystem`, file contents inline
 * or as URLs of files in the package) under `dir`; `keep` picks which files to write.
 */
async function materialize(resourcesJs, dir, keep = () => true) {
  const { filesystem } = await import(pathToFileURL(resourcesJs).href);
  const write = (tree, at) => {
    mkdirSync(at, { recursive: true });
    for (const [name, v] of Object.entries(tree)) {
      const p = join(at, name);
      if (typeof v === 'string' || v instanceof Uint8Array) {
        if (keep(p)) writeFileSync(p, v);
      } else if (v instanceof URL) {
        if (keep(p)) copyFileSync(fileURLToPath(v), p);
      } else write(v, p);
    }
  };
  write(filesystem, dir);
}

const gnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;

/** One process: wall and CPU ms and max RSS (MB) from GNU time, the first-instruction line, and what it printed. */
function runOnce(args, cwd) {
  const t0 = performance.now();
  const cmd = gnuTime ? '/usr/bin/time' : process.execPath;
  const argv = gnuTime ? ['-f', 'WSREAL %M %U %S', process.execPath, ...args] : args;
  const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', maxBuffer: 256 << 20 });
  const ms = performance.now() - t0;
  let stderr = r.stderr ?? '';
  let rssMb;
  let cpuMs;
  const m = /(?:^|\n)WSREAL (\d+) ([\d.]+) ([\d.]+)\n?$/.exec(stderr);
  if (m) {
    rssMb = Number(m[1]) / 1024;
    cpuMs = (Number(m[2]) + Number(m[3])) * 1000;
    stderr = stderr.slice(0, m.index + (m[0].startsWith('\n') ? 1 : 0));
  }
  // GNU time says so when the child failed; the status is compared, not the note.
  stderr = stderr.replace(/^Command (exited with non-zero status \d+|terminated by signal \d+)\n/m, '');
  let firstMs;
  let firstCpuMs;
  stderr = stderr.replace(/^wasmscope: first instruction at ([\d.]+) ms \(from process start\), ([\d.]+) ms CPU\n/m, (_, n, c) => {
    firstMs = Number(n);
    firstCpuMs = Number(c);
    return '';
  });
  return { ms, cpuMs, rssMb, firstMs, firstCpuMs, status: r.status ?? (r.signal ? `signal ${r.signal}` : 'error'), stdout: r.stdout ?? '', stderr };
}

/** Every file under `dir` (relative path → bytes), the inputs included. */
function filesOf(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** The first line where two logs differ, both sides quoted. */
function firstDiff(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return `line ${i + 1}: ${JSON.stringify(x[i] ?? '(end)')} vs ${JSON.stringify(y[i] ?? '(end)')}`;
}

/** Why run `a` differs from the reference `b` (undefined: identical); `mask` hides what a log
 * may differ in from run to run (nextpnr prints the seconds each step took). */
function difference(a, b, mask = (s) => s) {
  if (a.status !== b.status) return `exit status ${a.status} vs ${b.status}`;
  if (a.stdout !== b.stdout) return `stdout differs at ${firstDiff(a.stdout, b.stdout)}`;
  if (mask(a.stderr) !== mask(b.stderr)) return `stderr differs at ${firstDiff(mask(a.stderr), mask(b.stderr))}`;
  for (const [name, bytes] of b.files) {
    const mine = a.files.get(name);
    if (!mine) return `${name} not written`;
    if (!mine.equals(bytes)) return `${name} differs`;
  }
  for (const name of a.files.keys()) if (!b.files.has(name)) return `${name} written only here`;
  return undefined;
}

const fmt = (ms) => (ms === undefined ? '—' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const mb = (x) => (x === undefined ? '—' : `${x.toFixed(0)} MB`);

/**
 * Runs the section; returns its figures (undefined when skipped). `runs` processes per engine;
 * each figure is the median (time) or the maximum (memory) over them.
 */
export async function realPrograms({ runs = Number(process.env.BENCH_REAL_RUNS ?? 1) } = {}) {
  console.log('\nReal programs from npm (YoWASP yosys and nextpnr-ice40): `wasmscope run` (interp and --engine v8) against Node\'s WASI, whole processes');
  if (process.env.BENCH_REAL === '0') {
    console.log('  (BENCH_REAL=0: skipped)');
    return undefined;
  }
  const cli = join(root, 'dist', 'cli.js');
  if (!existsSync(cli)) {
    console.log('  (dist/cli.js is missing: `node esbuild.mjs` first)');
    return undefined;
  }
  const cache = join(root, '.cache', 'realprog');
  const why = fetchPackages(cache);
  if (why) {
    console.log(`  (real programs skipped: ${why})`);
    return undefined;
  }
  if (!gnuTime) console.log('  (/usr/bin/time not found: peak memory is not measured)');
  const pkg = (name) => join(cache, 'node_modules', name, 'gen');
  // Each program's share/ tree as the YoWASP runtime mounts it (at /share), written once.
  const yosysShare = join(cache, 'share-yosys');
  const pnrShare = join(cache, 'share-nextpnr-ice40');
  if (!existsSync(join(yosysShare, 'share'))) await materialize(join(pkg('@yowasp/yosys'), 'resources-yosys.js'), yosysShare);
  // Only the chip this design targets (hx1k): nextpnr loads every chipdb present at start-up, and
  // Node 20's WASI aborts (SIGABRT/SIGSEGV in V8's GC on memory.grow) after the 230 MB of all five.
  if (!existsSync(join(pnrShare, 'share'))) {
    await materialize(join(pkg('@yowasp/nextpnr-ice40'), 'resources-nextpnr-ice40.js'), pnrShare, (p) => basename(p) === 'chipdb-1k.bin');
  }

  const work = join(root, 'out', 'bench', 'realprog');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const programs = [
    {
      name: 'yosys',
      package: '@yowasp/yosys',
      wasm: join(pkg('@yowasp/yosys'), 'yosys.core.wasm'),
      share: join(yosysShare, 'share'),
      // abc writes its scratch files under /tmp
      inputs: (dir) => {
        writeFileSync(join(dir, 'counter.v'), COUNTER_V);
        mkdirSync(join(dir, 'tmp'));
      },
      args: ['-q', '-p', 'read_verilog counter.v; synth_ice40 -top counter -json counter.json'],
      what: 'synth_ice40 of an 8-bit counter',
    },
    {
      name: 'nextpnr',
      package: '@yowasp/nextpnr-ice40',
      wasm: join(pkg('@yowasp/nextpnr-ice40'), 'nextpnr-ice40.core.wasm'),
      share: join(pnrShare, 'share'),
      // yosys' netlist from Node's run above (the reference), so nextpnr's input is the same everywhere
      inputs: (dir, prev) => {
        const json = prev.get('yosys')?.files.get('counter.json');
        if (!json) throw new Error('nextpnr needs yosys\' counter.json (run yosys first)');
        writeFileSync(join(dir, 'counter.json'), json);
      },
      args: ['--hx1k', '--package', 'vq100', '--json', 'counter.json', '--asc', 'counter.asc'],
      what: 'place and route it on an HX1K',
      // its log gives each step's time in seconds (`time = 0.05s`, `Router1 time 0.07s`, the router's table)
      mask: (log) => log.replace(/\b\d+\.\d\ds?\b/g, '#'),
      masked: 'timings in the log masked',
    },
  ];
  const only = process.env.BENCH_REAL_ONLY?.split(',').filter(Boolean);
  const engines = [
    { key: 'node', label: 'Node WASI', argv: (p, dir) => ['--no-warnings', join(root, 'bench', 'node-wasi.mjs'), '--dir', `${dir}::/`, '--dir', `${p.share}::/share`, p.wasm, basename(p.wasm), ...p.args] },
    { key: 'v8', label: 'run --engine v8', argv: (p, dir) => [cli, 'run', '--engine', 'v8', '--time-to-first-instruction', '--dir', `${dir}::/`, '--dir', `${p.share}::/share`, p.wasm, ...p.args] },
    { key: 'interp', label: 'run (interp)', argv: (p, dir) => [cli, 'run', '--time-to-first-instruction', '--dir', `${dir}::/`, '--dir', `${p.share}::/share`, p.wasm, ...p.args] },
  ];
  const references = new Map();
  const results = {};
  for (const p of programs) {
    // BENCH_REAL_ONLY=nextpnr still needs yosys' netlist: yosys then runs on Node's WASI only, unprinted.
    const inputOnly = only !== undefined && !only.includes(p.name);
    if (inputOnly && !(p.name === 'yosys' && only.includes('nextpnr'))) continue;
    if (!inputOnly) console.log(`  ${p.name} ${p.package}@${PACKAGES[p.package]} (${(statSync(p.wasm).size / 1e6).toFixed(1)} MB): ${p.what}`);
    const figures = {};
    for (const e of inputOnly ? engines.slice(0, 1) : engines) {
      const done = [];
      for (let i = 0; i < runs; i++) {
        // the work directories stay under out/bench/realprog, to look at
        const dir = join(work, `${p.name}-${e.key}-${i}`);
        mkdirSync(dir);
        p.inputs(dir, references);
        const r = runOnce(e.argv(p, dir), dir);
        r.files = filesOf(dir);
        done.push(r);
      }
      if (e.key === 'node') {
        references.set(p.name, done[0]);
        if (done[0].status !== 0) console.log(`    (Node's WASI exited with ${done[0].status}: ${done[0].stderr.trim().split('\n').slice(-1)[0] ?? ''})`);
      }
      const diff = e.key === 'node' ? undefined : done.map((r) => difference(r, references.get(p.name), p.mask)).find((d) => d !== undefined);
      figures[e.key] = {
        ms: median(done.map((r) => r.ms)),
        cpuMs: done.every((r) => r.cpuMs !== undefined) ? median(done.map((r) => r.cpuMs)) : undefined,
        firstMs: done.every((r) => r.firstMs !== undefined) ? median(done.map((r) => r.firstMs)) : undefined,
        firstCpuMs: done.every((r) => r.firstCpuMs !== undefined) ? median(done.map((r) => r.firstCpuMs)) : undefined,
        rssMb: done.every((r) => r.rssMb !== undefined) ? Math.max(...done.map((r) => r.rssMb)) : undefined,
        status: done[0].status,
        identical: diff === undefined,
        ...(diff ? { difference: diff } : {}),
        runs: done.map((r) => ({ ms: r.ms, cpuMs: r.cpuMs, firstMs: r.firstMs, firstCpuMs: r.firstCpuMs, rssMb: r.rssMb })),
      };
    }
    if (inputOnly) continue;
    const n = figures.node;
    const rows = [['engine', 'wall', 'CPU', 'first instr. (wall / CPU)', 'peak RSS', 'CPU ÷ Node', 'memory ÷ Node', 'output']];
    for (const e of engines) {
      const f = figures[e.key];
      const ref = e.key === 'node';
      const ratio = (a, b) => (a === undefined || b === undefined ? '—' : (a / b).toFixed(2));
      rows.push([e.label, fmt(f.ms), fmt(f.cpuMs), `${fmt(f.firstMs)} / ${fmt(f.firstCpuMs)}`, mb(f.rssMb),
        ref ? '1.00' : ratio(f.cpuMs, n.cpuMs),
        ref ? '1.00' : ratio(f.rssMb, n.rssMb),
        ref ? `status ${f.status} (the reference)` : f.identical ? `identical${p.masked ? ` (${p.masked})` : ''}` : `DIFFERS: ${f.difference}`]);
    }
    printTable(rows, '    ');
    results[p.name] = { package: `${p.package}@${PACKAGES[p.package]}`, wasmBytes: statSync(p.wasm).size, args: p.args, ...figures };
  }
  console.log('  goals: run reaches yosys\' first instruction in ≤ 1 s; interpreter peak memory ≤ 1.5x Node\'s WASI');
  return results;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function printTable(rows, indent) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const [k, r] of rows.entries()) {
    console.log(indent + r.map((c, i) => (i === 0 || i === r.length - 1 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ').trimEnd());
    if (k === 0) console.log(indent + widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await realPrograms();
  if (r) {
    const out = join(root, 'out', 'bench', 'realprog.json');
    writeFileSync(out, JSON.stringify(r, null, 2) + '\n');
    console.log(`  wrote ${relative(root, out)}`);
  }
}
