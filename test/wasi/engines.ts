// Runs a WASI command's _start on V8 (Node's WebAssembly, the cross-check) or on our engine.
import type { Wasi, WasiMemory } from '../../core/wasi';
import { decodeModule } from '../../core/binary';
import { Machine, WOULD_BLOCK, compileModule, instantiate } from '../../core/interp';
import { callOnV8, instantiateOnV8 } from '../../core/v8/engine';

export type EngineName = 'v8' | 'ours';

export async function runStart(engine: EngineName, bytes: Uint8Array, wasi: Wasi): Promise<void> {
  if (engine === 'v8') {
    // The path `wasmscope run --engine v8` takes: core/v8's instantiate and call, traps as ours.
    const instance = await instantiateOnV8(bytes, wasi.imports);
    wasi.memory = instance.exports.memory as WasiMemory;
    callOnV8(instance.exports._start, { params: [], results: [] }, []);
    return;
  }
  const instance = instantiate(compileModule(decodeModule(bytes)), wasi.imports);
  const memory = instance.exports.memory;
  if (memory?.kind === 'memory') wasi.memory = memory;
  const m = new Machine();
  m.start(instance, '_start', []);
  for (;;) {
    const r = m.run();
    if (r.reason === 'finished') return;
    if (r.reason === 'trap') throw r.trap;
    if (r.reason === 'blocked') throw new Error('stdin not ready (test input is fixed, so this is a bug)');
  }
}

export { WOULD_BLOCK };

/** The engine `npm test` uses: ours, unless WASMSCOPE_WASI_ENGINE says otherwise. */
export function defaultEngine(): EngineName {
  const e = process.env.WASMSCOPE_WASI_ENGINE;
  if (e === 'v8' || e === 'ours') return e;
  return 'ours';
}
