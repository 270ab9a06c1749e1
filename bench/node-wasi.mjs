// Peer runner: Node's own WASI (node:wasi, preview1, on V8), the reference for `wasmscope run` on
// real programs (bench/realprog.mjs). Usage:
//   node-wasi.mjs [--dir HOST::GUEST]... FILE.wasm ARGV0 [ARG...]
// preopens as `wasmscope run --dir HOST::GUEST` does; the program sees ARGV0 ARG... as its argv.
// It prints `wasmscope: first instruction at N ms (from process start), M ms CPU` on stderr just
// before wasi.start() (performance.now(), process.cpuUsage()), as `wasmscope run --time-to-first-instruction` does.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { WASI } from 'node:wasi';

const argv = process.argv.slice(2);
const preopens = {};
while (argv[0] === '--dir') {
  const spec = argv[1] ?? '';
  const sep = spec.indexOf('::');
  if (sep < 0) throw new Error(`--dir ${spec}: expected HOST::GUEST`);
  preopens[spec.slice(sep + 2)] = spec.slice(0, sep);
  argv.splice(0, 2);
}
const [file, argv0, ...args] = argv;
if (!file || !argv0) throw new Error('usage: node-wasi.mjs [--dir HOST::GUEST]... FILE.wasm ARGV0 [ARG...]');
const wasi = new WASI({ version: 'preview1', args: [argv0, ...args], env: {}, preopens, returnOnExit: true });
const module = await WebAssembly.compile(readFileSync(file));
const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
const cpu = process.cpuUsage();
process.stderr.write(`wasmscope: first instruction at ${performance.now().toFixed(1)} ms (from process start), ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms CPU\n`);
process.exitCode = wasi.start(instance);
