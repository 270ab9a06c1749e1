// Test helper: loads the clang-built DWARF fixtures and, when llvm-dwarfdump is installed,
// parses its line-table dump as the reference the reader is checked against.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DwarfInfo, readDwarf, splitSections } from '../../../core/debuginfo';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/debuginfo');

export interface LoadedModule {
  info: DwarfInfo;
  codeOffset: number;
  bytes: Uint8Array;
}

export function loadWasm(path: string): LoadedModule {
  const bytes = new Uint8Array(readFileSync(path));
  const { customSections, codeSectionOffset } = splitSections(bytes);
  if (codeSectionOffset === undefined) throw new Error(`${path}: no code section`);
  const info = readDwarf(customSections, codeSectionOffset);
  if (!info) throw new Error(`${path}: no DWARF`);
  return { info, codeOffset: codeSectionOffset, bytes };
}

export function loadFixture(opt: 'O0' | 'O2', version: 4 | 5): LoadedModule {
  return loadWasm(join(FIXTURES, `shapes-${opt}-dwarf${version}.wasm`));
}

export const dwarfdump = ((): string | undefined => {
  for (const exe of ['llvm-dwarfdump', 'llvm-dwarfdump-14', 'llvm-dwarfdump-15', 'llvm-dwarfdump-16']) {
    const r = spawnSync(exe, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return exe;
  }
  return undefined;
})();

export interface DumpRow {
  address: number;
  line: number;
  column: number;
  /** Base name of the row's file. */
  file: string;
  isStmt: boolean;
  endSequence: boolean;
}

/** Rows of every line table in `llvm-dwarfdump --debug-line`, with file indexes resolved to base names. */
export function dumpLineRows(path: string): DumpRow[] {
  const out = spawnSync(dwarfdump!, ['--debug-line', path], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
  const rows: DumpRow[] = [];
  let files = new Map<number, string>();
  let pendingIndex: number | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith('debug_line[')) {
      files = new Map();
      continue;
    }
    const f = /^file_names\[\s*(\d+)\]:/.exec(line);
    if (f) {
      pendingIndex = Number(f[1]);
      continue;
    }
    const n = /^\s+name: "(.*)"$/.exec(line);
    if (n && pendingIndex !== undefined) {
      files.set(pendingIndex, n[1]!.split('/').pop()!);
      pendingIndex = undefined;
      continue;
    }
    const r = /^0x([0-9a-f]{16})\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s*(.*)$/.exec(line);
    if (r) {
      rows.push({
        address: parseInt(r[1]!, 16),
        line: Number(r[2]),
        column: Number(r[3]),
        file: files.get(Number(r[4])) ?? '?',
        isStmt: r[5]!.includes('is_stmt'),
        endSequence: r[5]!.includes('end_sequence'),
      });
    }
  }
  return rows;
}

/** A fake paused program: locals, globals, operand stack and a linear memory the test fills in. */
export class FakeMachine {
  locals = new Map<number, number>();
  globals = new Map<number, number>();
  stackSlots = new Map<number, number>();
  memory = new Uint8Array(65536);

  local = (i: number) => (this.locals.has(i) ? { type: 'i32' as const, value: this.locals.get(i)! } : undefined);
  global = (i: number) => (this.globals.has(i) ? { type: 'i32' as const, value: this.globals.get(i)! } : undefined);
  stack = (i: number) => (this.stackSlots.has(i) ? { type: 'i32' as const, value: this.stackSlots.get(i)! } : undefined);
  readMemory = (address: number, length: number): Uint8Array | undefined =>
    address + length <= this.memory.length ? this.memory.slice(address, address + length) : undefined;

  view(): DataView {
    return new DataView(this.memory.buffer);
  }
}
