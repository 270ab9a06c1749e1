// Peer runner: V8 (Node's WebAssembly). Prints {result, ms, cpuMs} for `run()` of the given module,
// timing compile + instantiate + run, as bench/ours.ts does for our engine.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const bytes = readFileSync(process.argv[2]);
const t0 = performance.now();
const c0 = process.cpuUsage();
const { instance } = await WebAssembly.instantiate(bytes, {});
const result = instance.exports.run();
const ms = performance.now() - t0;
const c = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ result: result | 0, ms, cpuMs: (c.user + c.system) / 1000 }) + '\n');
