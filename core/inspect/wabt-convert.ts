// Text ↔ binary conversions through wabt (wat2wasm / wasm2wat), used by the editor's convert
// commands and by `wasmscope inspect` on .wat files. wabt is passed in: loading it is async.
import type { Wabt } from '../check/wabt-loader';
import { wabtOptions, type Features } from '../check/features';

/** wabt's own message for a text or binary it rejects, e.g. `sample.wat:3:5: error: unexpected token`. */
export class ConversionError extends Error {
  override name = 'ConversionError';
}

function describe(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).trim();
}

/** Assembles WAT into a binary that keeps its `$names` in a name section. */
export function watToWasm(wabt: Wabt, text: string, fileName: string, features: Features = {}): Uint8Array {
  let module: ReturnType<Wabt['parseWat']>;
  try {
    module = wabt.parseWat(fileName, text, wabtOptions(features));
  } catch (err) {
    throw new ConversionError(describe(err));
  }
  try {
    module.resolveNames();
    module.validate();
    return module.toBinary({ write_debug_names: true }).buffer;
  } catch (err) {
    throw new ConversionError(describe(err));
  } finally {
    module.destroy();
  }
}

/** Disassembles a binary into WAT, naming unnamed items (`$f0`...) so the text reads well. */
export function wasmToWat(wabt: Wabt, bytes: Uint8Array, features: Features = {}): string {
  let module: ReturnType<Wabt['readWasm']>;
  try {
    module = wabt.readWasm(bytes, { readDebugNames: true, ...wabtOptions(features) });
  } catch (err) {
    throw new ConversionError(describe(err));
  }
  try {
    module.generateNames();
    module.applyNames();
    return module.toText({ foldExprs: false, inlineExport: true });
  } catch (err) {
    throw new ConversionError(describe(err));
  } finally {
    module.destroy();
  }
}
