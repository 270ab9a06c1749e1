// Peer runner for our engine, bundled by bench/run.mjs: prints one JSON line for the given module.
//   ours.js FILE                      decode + compile + instantiate + invoke `run` → {result, ms, cpuMs}
//   ours.js FILE --machine            the same through a Machine (the debugger's path)
//   ours.js FILE --machine --breakpoints-in-unused   ... with a breakpoint in each `unused*` export
//   ours.js --compile-only FILE...    decode + compile (eagerly) every function of the FILE with the biggest code
//                                     section → {file, coldNsPerByte, warmNsPerByte, codeBytes, compiledBytes}
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { decodeModule, type Module } from '../core/binary';
import { compileModule, instantiate, invoke, Machine, type Value } from '../core/interp';

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) throw new Error('usage: ours.js FILE.wasm [--machine] [--breakpoints-in-unused] | ours.js --compile-only FILE...');

/** Bytes of the code section's function entries: what "ns per byte" divides by. */
const codeBytesOf = (m: Module): number => m.funcs.reduce((n, f) => n + (f.bodyEnd - f.entryStart), 0);

function i32Of(results: Value[]): number {
  const r = results[0];
  if (r?.type !== 'i32') throw new Error(`run() returned ${JSON.stringify(results)}`);
  return r.value;
}

if (flags.includes('--compile-only')) {
  // The programs at hand are mostly DWARF: time the one with the most code.
  const candidates = files.map((file) => {
    const bytes = new Uint8Array(readFileSync(file));
    return { file, bytes, codeBytes: codeBytesOf(decodeModule(bytes)) };
  });
  const { file, bytes, codeBytes } = candidates.reduce((a, b) => (b.codeBytes > a.codeBytes ? b : a));
  // The first round is what a user pays once (cold JIT); the median of later rounds is the steady state.
  const times: number[] = [];
  let compiledBytes = 0;
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    const compiled = compileModule(decodeModule(bytes), { lazy: false });
    times.push(performance.now() - t0);
    compiledBytes = compiled.funcs.reduce((n, f) => n + f.code.byteLength + f.pcs.byteLength + f.offsets.byteLength, 0);
  }
  const cold = times[0]!;
  const warmRounds = times.slice(5).sort((a, b) => a - b);
  const warm = warmRounds[warmRounds.length >> 1]!;
  process.stdout.write(JSON.stringify({
    file, coldMs: cold, warmMs: warm, codeBytes, compiledBytes,
    coldNsPerByte: (cold * 1e6) / codeBytes, warmNsPerByte: (warm * 1e6) / codeBytes,
  }) + '\n');
} else {
  const bytes = new Uint8Array(readFileSync(files[0]!));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const module = decodeModule(bytes);
  const instance = instantiate(compileModule(module), {});
  let result: number;
  let breakpoints = 0;
  if (flags.includes('--machine')) {
    const machine = new Machine();
    machine.start(instance, 'run', []);
    if (flags.includes('--breakpoints-in-unused')) {
      for (const e of module.exports) {
        if (e.kind !== 'func' || !e.name.startsWith('unused')) continue;
        const f = module.funcs[e.index - module.importedFuncs];
        if (f && machine.setBreakpoint(e.index, f.bodyStart) !== undefined) breakpoints++;
      }
    }
    const r = machine.run();
    if (r.reason !== 'finished') throw new Error(`run() stopped: ${r.reason}`);
    result = i32Of(r.results);
  } else {
    result = i32Of(invoke(instance, 'run', []));
  }
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ result, ms, cpuMs: (c.user + c.system) / 1000, breakpoints }) + '\n');
}
