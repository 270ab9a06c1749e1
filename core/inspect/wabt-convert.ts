// Text ↔ binary conversions through wabt (wat2wasm / wasm2wat), used by the editor's convert
// commands and by `wasmscope inspect` on .wat files. wabt is passed in: loading it is async.
import { concatBytes } from '../binary/bytes';
import type { Wabt } from '../check/wabt-loader';
import { wabtOptions, type Features } from '../check/features';
import { listSections } from './sections';
import { printModule } from './print-module';
import { decodeModule } from '../binary/decode';
import { WasmError } from '../errors';

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

/**
 * {@link wasmToWat} for a core module nested in a component. wabt rejects some name sections
 * that other tools write (wit-component's adapters name one function more than they define):
 * such a module is printed without its names rather than not at all. A module wabt cannot read
 * at all (Wasm 3.0: GC, exceptions with exnref) is printed by our own printer (print-module.ts).
 */
export function nestedModuleToWat(wabt: Wabt, bytes: Uint8Array, features: Features = {}): string {
  try {
    return wasmToWat(wabt, bytes, features);
  } catch (err) {
    if (!(err instanceof ConversionError)) throw err;
    const stripped = withoutNameSection(bytes);
    try {
      if (stripped.length === bytes.length) throw err;
      return wasmToWat(wabt, stripped, features);
    } catch (again) {
      if (!(again instanceof ConversionError)) throw again;
      // wabt 1.0.39 cannot print Wasm 3.0 (GC types, exnref, ...): our own printer can.
      try {
        return printModule(decodeModule(bytes, { features }));
      } catch (own) {
        if (own instanceof WasmError) throw new ConversionError(`${err.message}; and the module does not decode: ${own.message}`);
        throw own;
      }
    }
  }
}

/** The module's bytes without its `name` custom sections. */
function withoutNameSection(bytes: Uint8Array): Uint8Array {
  const names = listSections(bytes).filter((s) => s.custom && s.name === 'name');
  if (names.length === 0) return bytes;
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const s of names) {
    parts.push(bytes.subarray(at, s.start));
    at = s.end;
  }
  parts.push(bytes.subarray(at));
  return concatBytes(parts);
}
