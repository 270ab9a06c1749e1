// wabt's view of the feature set lives with the one feature set of the engine (core/features.ts).
import { toWabtFeatures, type Features } from '../features';

export * from '../features';

/**
 * wabt's options for a check or a conversion: what the user set, over wabt's defaults with threads
 * on — threads are phase 4, run by every browser engine and Wasmtime, and by ours by default, so a
 * shared memory or an atomic instruction is no error unless threads are switched off.
 */
export function wabtOptions(features: Features): Record<string, boolean> {
  return toWabtFeatures({ threads: true, ...features });
}
