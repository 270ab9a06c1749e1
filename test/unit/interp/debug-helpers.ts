// Loads the engine test fixture and finds instruction byte offsets with the shared instruction
// reader, so the tests do not hard-code offsets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteReader, InstrReader, decodeModule, type Module } from '../../../core/binary';
import { compileModule, instantiate, type Imports, type Instance } from '../../../core/interp';

export const fixtureDir = join(import.meta.dirname, '..', '..', 'fixtures', 'engine');

/** Compiles without fused super-instructions by default, so every instruction is a stop position. */
export function loadFixture(name: string, imports: Imports, fuse = false): { module: Module; instance: Instance } {
  const module = decodeModule(readFileSync(join(fixtureDir, name)));
  return { module, instance: instantiate(compileModule(module, { fuse }), imports) };
}

/** Byte offsets of every instruction named `opName` in function `funcIndex`. */
export function offsetsOf(module: Module, funcIndex: number, opName: string): number[] {
  const f = module.funcs[funcIndex - module.importedFuncs]!;
  const ir = new InstrReader(new ByteReader(module.bytes, f.bodyStart, f.bodyEnd));
  const out: number[] = [];
  while (ir.pos < f.bodyEnd) {
    ir.read();
    if (ir.info!.name === opName) out.push(ir.start);
  }
  return out;
}

export function funcIndexByName(module: Module, name: string): number {
  for (const [i, n] of module.names.functions) if (n === name) return i;
  throw new Error(`no function named ${name}`);
}
