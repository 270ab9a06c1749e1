// The module view of a 50 MB module with DWARF (bench/module-view.ts), bundled with `vscode`
// aliased to test/client/fake-vscode.ts and run in its own process so nothing else shares its event loop.
// Usage: node esbuild.mjs && node bench/module-view.mjs [--json]   (BENCH_RUNS=N, default 3)
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { bundleWithFakeVscode } from '../test/client/bundle-with-fake-vscode.mjs';

const root = join(import.meta.dirname, '..');
const json = process.argv.includes('--json');
if (!existsSync(join(root, 'dist', 'moduleWorker.js'))) {
  console.error('bench/module-view.mjs: dist/moduleWorker.js is missing: `node esbuild.mjs` first');
  process.exit(1);
}
const out = join(root, 'out', 'bench', 'module-view.js');
await bundleWithFakeVscode(root, join('bench', 'module-view.ts'), out);
const made = spawnSync(process.execPath, [out, root, '--generate'], { stdio: 'inherit' });
if (made.status !== 0) process.exit(made.status ?? 1);

// Each run in a fresh process. On a shared machine the host's longest block includes time the OS
// did not schedule it at all, so every run is printed, with the load average, beside the median.
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const results = [];
for (let i = 0; i < runs; i++) {
  const r = spawnSync(process.execPath, [out, root], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) {
    console.error(`bench/module-view: run ${i + 1} failed:\n${r.stdout}`);
    process.exit(r.status ?? 1);
  }
  results.push(JSON.parse(r.stdout.trim().split('\n').pop()));
}
const median = (key) => {
  const xs = results.map((r) => r[key]).sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)];
};
const summary = Object.fromEntries(Object.keys(results[0]).map((k) => [k, median(k)]));
writeFileSync(join(root, 'out', 'bench', 'module-view.json'), JSON.stringify({ runs: results, median: summary, loadAverage: loadavg()[0] }, null, 2) + '\n');
if (json) {
  console.log(JSON.stringify(summary));
  process.exit(0);
}
const ms = (n) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
const each = (key) => results.map((r) => ms(r[key])).join(' / ');
const s = summary;
console.log(`  ${(s.bytes / 1e6).toFixed(1)} MB module (${s.functions} functions, DWARF custom sections), ${s.lines} listing lines; median of ${runs} runs, load average ${loadavg()[0].toFixed(1)}`);
console.log(`  tree first level ${ms(s.treeFirstLevelMs)} (goal ≤ 1 s; runs ${each('treeFirstLevelMs')}), a Functions page ${ms(s.expandFunctionsPageMs)}, .wasm view header ${ms(s.viewHeaderMs)}`);
console.log(`  a function's lines in the view: an early one ${ms(s.revealEarlyFunctionMs)}, one in the middle ${ms(s.revealMiddleFunctionMs)} (waits for the count), once counted ${ms(s.revealCountedFunctionMs)}; whole listing counted after ${ms(s.listingCountedMs)}`);
console.log(`  longest block of the host's event loop ${ms(s.longestBlockMs)} (goal ≤ 50 ms; runs ${each('longestBlockMs')}); the same ticker idle for 1 s before: ${each('idleLongestBlockMs')} (what the machine's load alone costs)`);
