// Peer runner for our engine, bundled by bench/run.mjs: prints one JSON line for the given module.
//   ours.js FILE                      decode + compile + instantiate + invoke `run` → {result, ms}
//   ours.js FILE --machine            the same through a Machine (the debugger's path)
//   ours.js FILE --machine --breakpoints-in-unused   ... with a breakpoint in each `unused*` export
//   ours.js FILE --compile-only       decode + compile every function → {coldNsPerByte, warmNsPerByte, codeBytes, compiledBytes}
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { decodeModule } from '../core/binary';
import { compileModule, instantiate, invoke, Machine, type Value } from '../core/interp';

const [file, ...flags] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: ours.js FILE.wasm [--machine] [--breakpoints-in-unused] [--compile-only]');
const bytes = new Uint8Array(readFileSync(file));

function i32Of(results: Value[]): number {
  const r = results[0];
  if (r?.type !== 'i32') throw new Error(`run() returned ${JSON.stringify(results)}`);
  return r.value;
}

if (flags.includes('--compile-only')) {
  // The first round is what a user pays once (cold JIT); the median of later rounds is the steady state.
  const times: number[] = [];
  let compiledBytes = 0;
  let codeBytes = 0;
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    const module = decodeModule(bytes);
    const compiled = compileModule(module);
    times.push(performance.now() - t0);
    codeBytes = module.funcs.reduce((n, f) => n + (f.bodyEnd - f.entryStart), 0);
    compiledBytes = compiled.funcs.reduce((n, f) => n + f.code.byteLength + f.pcs.byteLength + f.offsets.byteLength, 0);
  }
  const cold = times[0]!;
  const warmRounds = times.slice(5).sort((a, b) => a - b);
  const warm = warmRounds[warmRounds.length >> 1]!;
  process.stdout.write(JSON.stringify({
    coldMs: cold, warmMs: warm, codeBytes, compiledBytes,
    coldNsPerByte: (cold * 1e6) / codeBytes, warmNsPerByte: (warm * 1e6) / codeBytes,
  }) + '\n');
} else {
  const t0 = performance.now();
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
  process.stdout.write(JSON.stringify({ result, ms, breakpoints }) + '\n');
}
