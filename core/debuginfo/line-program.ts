// .debug_line: runs a unit's line-number program (DWARF 2-5) into rows, and reads its
// directory and file tables in both the v2-4 string lists and the v5 entry-format encoding.

import { ByteReader, stringAt } from './byte-reader';
import { DW_FORM, DW_LNCT } from './dwarf-constants';
import { joinPath } from './source-paths';
import type { DwarfSections } from './units';

export interface LineRow {
  /** Code-section-relative address, as DWARF for Wasm records it. */
  address: number;
  /** Index into the program's `files` (already resolved to a path there). */
  file: number;
  line: number;
  column: number;
  isStmt: boolean;
  prologueEnd: boolean;
}

/** A contiguous run of rows; `end` is the exclusive address of its end_sequence row. */
export interface LineSequence {
  start: number;
  end: number;
  rows: LineRow[];
}

export interface LineProgram {
  version: number;
  /** Full paths by DWARF file index; v2-4 has no file 0, which maps to the unit's own name. */
  files: (string | undefined)[];
  sequences: LineSequence[];
}

export interface LineProgramUnit {
  compDir: string | undefined;
  name: string | undefined;
  addressSize: number;
}

/**
 * wasm-ld writes these "tombstone" addresses for code it removed (and older linkers wrote 0 or
 * -1); such sequences would otherwise overlay live code.
 */
function isTombstone(address: number): boolean {
  return address >= 0xfffffffe;
}

export function parseLineProgram(
  sections: DwarfSections,
  offset: number,
  unit: LineProgramUnit,
  warn: (m: string) => void,
): LineProgram | undefined {
  const bytes = sections.line;
  if (!bytes || offset >= bytes.length) {
    if (bytes) warn(`.debug_line offset 0x${offset.toString(16)} is out of range`);
    return undefined;
  }
  const r = new ByteReader(bytes, '.debug_line', offset);
  const program: LineProgram = { version: 0, files: [], sequences: [] };
  try {
    const { offsetSize, end } = r.unitLength();
    r.end = Math.min(end, bytes.length);
    const version = r.u16();
    program.version = version;
    if (version < 2 || version > 5) {
      warn(`.debug_line at 0x${offset.toString(16)}: unsupported version ${version}`);
      return program;
    }
    let addressSize = unit.addressSize;
    if (version >= 5) {
      addressSize = r.u8();
      r.u8(); // segment_selector_size
    }
    const headerLength = r.offset(offsetSize);
    const programStart = r.pos + headerLength;
    const minInstLength = r.u8();
    const maxOps = version >= 4 ? r.u8() || 1 : 1;
    const defaultIsStmt = r.u8() !== 0;
    const lineBase = r.i8();
    const lineRange = r.u8();
    const opcodeBase = r.u8();
    const stdLengths: number[] = [];
    for (let i = 1; i < opcodeBase; i++) stdLengths.push(r.u8());
    if (lineRange === 0) {
      warn(`.debug_line at 0x${offset.toString(16)}: line_range is 0`);
      return program;
    }

    if (version >= 5) {
      const dirs = readEntryTable(r, sections, offsetSize).map((e) => e.path ?? '');
      const files = readEntryTable(r, sections, offsetSize);
      const dir0 = dirs[0] ?? unit.compDir;
      program.files = files.map((f) => {
        if (f.path === undefined) return undefined;
        const dir = dirs[f.dir ?? 0];
        return joinPath(dir === undefined ? undefined : joinPath(dir0, dir), f.path);
      });
    } else {
      const dirs: string[] = [];
      for (;;) {
        const d = r.cstring();
        if (d === '') break;
        dirs.push(d);
      }
      const fileEntries: { name: string; dir: number }[] = [];
      for (;;) {
        const name = r.cstring();
        if (name === '') break;
        const dir = r.uleb();
        r.uleb(); // mtime
        r.uleb(); // length
        fileEntries.push({ name, dir });
      }
      const dirPath = (i: number): string | undefined =>
        i === 0 ? unit.compDir : joinPath(unit.compDir, dirs[i - 1] ?? '');
      program.files = [
        unit.name === undefined ? undefined : joinPath(unit.compDir, unit.name),
        ...fileEntries.map((f) => joinPath(dirPath(f.dir), f.name)),
      ];
    }

    r.pos = programStart;
    runProgram(r, program, {
      version,
      addressSize,
      minInstLength,
      maxOps,
      defaultIsStmt,
      lineBase,
      lineRange,
      opcodeBase,
      stdLengths,
      compDir: unit.compDir,
    });
  } catch (e) {
    warn(`.debug_line at 0x${offset.toString(16)} is truncated: ${(e as Error).message}`);
  }
  return program;
}

interface EntryFields {
  path?: string;
  dir?: number;
}

/** A DWARF 5 directory or file table: entry formats, then entries of those (content, form) pairs. */
function readEntryTable(r: ByteReader, sections: DwarfSections, offsetSize: 4 | 8): EntryFields[] {
  const formatCount = r.u8();
  const formats: [number, number][] = [];
  for (let i = 0; i < formatCount; i++) formats.push([r.uleb(), r.uleb()]);
  const count = r.uleb();
  const entries: EntryFields[] = [];
  for (let i = 0; i < count; i++) {
    const entry: EntryFields = {};
    for (const [content, form] of formats) {
      const v = readEntryForm(r, form, sections, offsetSize);
      if (content === DW_LNCT.path && typeof v === 'string') entry.path = v;
      else if (content === DW_LNCT.directory_index && typeof v === 'number') entry.dir = v;
    }
    entries.push(entry);
  }
  return entries;
}

function readEntryForm(r: ByteReader, form: number, s: DwarfSections, offsetSize: 4 | 8): string | number | undefined {
  switch (form) {
    case DW_FORM.string:
      return r.cstring();
    case DW_FORM.line_strp:
      return stringAt(s.lineStr, r.offset(offsetSize));
    case DW_FORM.strp:
      return stringAt(s.str, r.offset(offsetSize));
    case DW_FORM.udata:
      return r.uleb();
    case DW_FORM.data1:
      return r.u8();
    case DW_FORM.data2:
      return r.u16();
    case DW_FORM.data4:
      return r.u32();
    case DW_FORM.data8:
      return r.u64n();
    case DW_FORM.data16:
      r.skip(16);
      return undefined;
    case DW_FORM.block:
      r.skip(r.uleb());
      return undefined;
    // strx forms would need the unit's str_offsets_base, which the line table does not know
    case DW_FORM.strx:
      r.uleb();
      return undefined;
    case DW_FORM.strx1:
      r.skip(1);
      return undefined;
    case DW_FORM.strx2:
      r.skip(2);
      return undefined;
    case DW_FORM.strx3:
      r.skip(3);
      return undefined;
    case DW_FORM.strx4:
      r.skip(4);
      return undefined;
    default:
      throw new Error(`unsupported form 0x${form.toString(16)} in a line table entry`);
  }
}

interface ProgramHeader {
  version: number;
  addressSize: number;
  minInstLength: number;
  maxOps: number;
  defaultIsStmt: boolean;
  lineBase: number;
  lineRange: number;
  opcodeBase: number;
  stdLengths: number[];
  compDir: string | undefined;
}

function runProgram(r: ByteReader, program: LineProgram, h: ProgramHeader): void {
  // the file register starts at 1 even in DWARF 5, where file 0 also exists
  const firstFile = 1;
  let address = 0;
  let opIndex = 0;
  let file = firstFile;
  let line = 1;
  let column = 0;
  let isStmt = h.defaultIsStmt;
  let prologueEnd = false;
  let rows: LineRow[] = [];

  const reset = (): void => {
    address = 0;
    opIndex = 0;
    file = firstFile;
    line = 1;
    column = 0;
    isStmt = h.defaultIsStmt;
    prologueEnd = false;
    rows = [];
  };
  const emit = (): void => {
    rows.push({ address, file, line, column, isStmt, prologueEnd });
    prologueEnd = false;
  };
  const advance = (operationAdvance: number): void => {
    if (h.maxOps === 1) {
      address += h.minInstLength * operationAdvance;
    } else {
      address += h.minInstLength * Math.floor((opIndex + operationAdvance) / h.maxOps);
      opIndex = (opIndex + operationAdvance) % h.maxOps;
    }
  };

  while (r.pos < r.end) {
    const op = r.u8();
    if (op >= h.opcodeBase) {
      const adjusted = op - h.opcodeBase;
      advance(Math.floor(adjusted / h.lineRange));
      line += h.lineBase + (adjusted % h.lineRange);
      emit();
      continue;
    }
    switch (op) {
      case 0: {
        const len = r.uleb();
        const next = r.pos + len;
        if (len === 0) break;
        const sub = r.u8();
        if (sub === 1) {
          // DW_LNE_end_sequence
          if (rows.length > 0 && !isTombstone(rows[0]!.address)) {
            program.sequences.push({ start: rows[0]!.address, end: address, rows });
          }
          reset();
        } else if (sub === 2) {
          address = r.address(len - 1);
          opIndex = 0;
        } else if (sub === 3) {
          // DW_LNE_define_file (v2-4): appends to the file table
          const name = r.cstring();
          r.uleb();
          r.uleb();
          r.uleb();
          program.files.push(joinPath(h.compDir, name));
        }
        // DW_LNE_set_discriminator and vendor opcodes are skipped by length
        r.pos = next;
        break;
      }
      case 1: // copy
        emit();
        break;
      case 2: // advance_pc
        advance(r.uleb());
        break;
      case 3: // advance_line
        line += r.sleb();
        break;
      case 4: // set_file
        file = r.uleb();
        break;
      case 5: // set_column
        column = r.uleb();
        break;
      case 6: // negate_stmt
        isStmt = !isStmt;
        break;
      case 7: // set_basic_block
        break;
      case 8: // const_add_pc
        advance(Math.floor((255 - h.opcodeBase) / h.lineRange));
        break;
      case 9: // fixed_advance_pc
        address += r.u16();
        opIndex = 0;
        break;
      case 10: // set_prologue_end
        prologueEnd = true;
        break;
      case 11: // set_epilogue_begin
        break;
      case 12: // set_isa
        r.uleb();
        break;
      default: {
        // an opcode this reader does not know: skip its declared ULEB operands
        const n = h.stdLengths[op - 1] ?? 0;
        for (let i = 0; i < n; i++) r.uleb();
      }
    }
  }
}
