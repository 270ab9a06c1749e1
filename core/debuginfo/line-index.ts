// Address ↔ source-line lookups over every unit's line table, in module-relative byte offsets:
// the forward map for stack frames and stepping, the reverse map for line breakpoints.

import type { LineProgram, LineRow } from './line-program';
import { matchPath } from './source-paths';

export interface SourceLocation {
  /** Full path as DWARF records it (join of comp_dir, directory and name). */
  file: string;
  /** 1-based; 0 means compiler-generated code with no source line. */
  line: number;
  /** 1-based; 0 when unknown. */
  column: number;
  isStmt: boolean;
  /** Module-relative offset where this row's code starts. */
  offset: number;
}

export interface LineBreakpoint {
  /** The DWARF path that matched. */
  file: string;
  /** The line bound: the requested one, or the next line below it that has code. */
  line: number;
  /**
   * Where to break: the lowest statement offset of the line in each function and in each inlined
   * copy (as gdb and lldb choose), so a `for` header stops once per loop, not on every increment.
   */
  offsets: number[];
  /** Every offset where control enters the line at a statement (loop back edges included). */
  allOffsets: number[];
}

interface Sequence {
  start: number;
  end: number;
  rows: LineRow[];
  files: (string | undefined)[];
}

export class LineIndex {
  private readonly sequences: Sequence[] = [];
  private byFile: Map<string, Map<number, number[]>> | undefined;

  constructor(
    programs: LineProgram[],
    private readonly codeOffset: number,
  ) {
    for (const p of programs) {
      for (const s of p.sequences) this.sequences.push({ start: s.start, end: s.end, rows: s.rows, files: p.files });
    }
    this.sequences.sort((a, b) => a.start - b.start || b.end - a.end);
  }

  /** The sequence containing a code-relative address; overlapping sequences prefer the later start. */
  private sequenceAt(address: number): Sequence | undefined {
    const seqs = this.sequences;
    let lo = 0;
    let hi = seqs.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (seqs[mid]!.start <= address) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = found; i >= 0 && i > found - 8; i--) {
      const s = seqs[i]!;
      if (address >= s.start && address < s.end) return s;
    }
    return undefined;
  }

  private rowIndexAt(seq: Sequence, address: number): number {
    const rows = seq.rows;
    let lo = 0;
    let hi = rows.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid]!.address <= address) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  private location(seq: Sequence, row: LineRow): SourceLocation {
    return {
      file: seq.files[row.file] ?? '<unknown>',
      line: row.line,
      column: row.column,
      isStmt: row.isStmt,
      offset: row.address + this.codeOffset,
    };
  }

  /** The row covering a module-relative offset (the last row at or before it in its sequence). */
  lineForOffset(moduleOffset: number): SourceLocation | undefined {
    const address = moduleOffset - this.codeOffset;
    const seq = this.sequenceAt(address);
    if (!seq) return undefined;
    const i = this.rowIndexAt(seq, address);
    const row = seq.rows[i];
    return row ? this.location(seq, row) : undefined;
  }

  /**
   * The module-relative [start, end) of the run of rows around `moduleOffset` that share its file
   * and line: a source-level step over runs until the pc leaves it.
   */
  lineRangeAt(moduleOffset: number): { start: number; end: number } | undefined {
    const address = moduleOffset - this.codeOffset;
    const seq = this.sequenceAt(address);
    if (!seq) return undefined;
    const i = this.rowIndexAt(seq, address);
    const row = seq.rows[i];
    if (!row) return undefined;
    let a = i;
    while (a > 0 && sameLine(seq.rows[a - 1]!, row)) a--;
    let b = i + 1;
    while (b < seq.rows.length && sameLine(seq.rows[b]!, row)) b++;
    const end = b < seq.rows.length ? seq.rows[b]!.address : seq.end;
    return { start: seq.rows[a]!.address + this.codeOffset, end: end + this.codeOffset };
  }

  /**
   * Where a function's body starts, for function breakpoints and step-into: the first row flagged
   * prologue_end in [start, end), else the second statement row (the first is the opening line),
   * else `start`. Offsets are module-relative.
   */
  bodyStart(start: number, end: number): number {
    const seq = this.sequenceAt(start - this.codeOffset);
    if (!seq) return start;
    let i = Math.max(0, this.rowIndexAt(seq, start - this.codeOffset));
    const rows = seq.rows;
    let firstStmt: LineRow | undefined;
    let secondStmt: LineRow | undefined;
    for (; i < rows.length; i++) {
      const row = rows[i]!;
      const offset = row.address + this.codeOffset;
      if (offset < start) continue;
      if (offset >= end) break;
      if (row.prologueEnd) return offset;
      if (!row.isStmt || row.line === 0) continue;
      if (!firstStmt) firstStmt = row;
      else if (!secondStmt && !sameLine(firstStmt, row)) secondStmt = row;
    }
    return secondStmt ? secondStmt.address + this.codeOffset : start;
  }

  /** Every file with at least one statement row (where a breakpoint can bind), sorted. */
  files(): string[] {
    return [...this.fileIndex().keys()].sort();
  }

  /**
   * Binds a line breakpoint: `file` matches a DWARF path exactly or as a path suffix (exact matches
   * win). When the line has no code, the next line below that has code is bound instead.
   */
  offsetsForLine(file: string, line: number): LineBreakpoint | undefined {
    const index = this.fileIndex();
    let best = 0;
    let matches: string[] = [];
    for (const path of index.keys()) {
      const score = matchPath(file, path);
      if (score > best) {
        best = score;
        matches = [path];
      } else if (score === best && score > 0) matches.push(path);
    }
    if (best === 0) return undefined;
    let bound: number | undefined;
    for (const path of matches) {
      for (const l of index.get(path)!.keys()) {
        if (l >= line && (bound === undefined || l < bound)) bound = l;
      }
    }
    if (bound === undefined) return undefined;
    const offsets = new Set<number>();
    let boundFile = matches[0]!;
    for (const path of matches) {
      const o = index.get(path)!.get(bound);
      if (!o) continue;
      if (offsets.size === 0) boundFile = path;
      for (const x of o) offsets.add(x);
    }
    const all = [...offsets].sort((a, b) => a - b);
    return { file: boundFile, line: bound, offsets: all, allOffsets: all };
  }

  /** file → line → entry offsets: the first is_stmt row each time a run of rows enters a line. */
  private fileIndex(): Map<string, Map<number, number[]>> {
    if (this.byFile) return this.byFile;
    const byFile = new Map<string, Map<number, number[]>>();
    for (const seq of this.sequences) {
      let prev: LineRow | undefined;
      let taken = false;
      for (const row of seq.rows) {
        if (!prev || !sameLine(prev, row)) taken = false;
        prev = row;
        if (taken || !row.isStmt || row.line === 0) continue;
        taken = true;
        const file = seq.files[row.file];
        if (file === undefined) continue;
        let lines = byFile.get(file);
        if (!lines) byFile.set(file, (lines = new Map()));
        let list = lines.get(row.line);
        if (!list) lines.set(row.line, (list = []));
        list.push(row.address + this.codeOffset);
      }
    }
    this.byFile = byFile;
    return byFile;
  }
}

function sameLine(a: LineRow, b: LineRow): boolean {
  return a.line === b.line && a.file === b.file;
}
