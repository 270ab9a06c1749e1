// Runs a WASI command's _start on V8 (Node's WebAssembly, the cross-check) or on our engine.
import type { Wasi, WasiMemory } from '../../core/wasi';
import { decodeModule } from '../../core/binary';
import { Machine, WOULD_BLOCK, compileModule, instantiate } from '../../core/interp';

export type EngineName = 'v8' | 'ours';

/** The little of the WebAssembly JS API we use (the ES2022 lib does not declare it). */
interface V8WebAssembly {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const V8 = (globalThis as unknown as { WebAssembly: V8WebAssembly }).WebAssembly;

export async function runStart(engine: EngineName, bytes: Uint8Array, wasi: Wasi): Promise<void> {
  if (engine === 'v8') {
    const { instance } = await V8.instantiate(bytes, wasi.imports);
    wasi.memory = instance.exports.memory as WasiMemory;
    (instance.exports._start as () => void)();
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
