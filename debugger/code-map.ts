// Maps instructions (module-relative byte offsets) to source positions and back: .wat text via the
// assembler's source map, a .wasm's generated disassembly, later DWARF line tables.

/** A text the debugger shows: a file on disk (`path`) or generated text served by reference. */
export interface ProgramSource {
  name: string;
  path?: string;
  /** Generated text (disassembly) served through the DAP `source` request. */
  text?: string;
}

/** 0-based line and column, as everywhere in core; the session converts at the protocol edge. */
export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Instruction {
  offset: number;
  /** Offset just past the instruction. */
  end: number;
  funcIndex: number;
  /** Disassembled text (`i32.add`, `call $f`). */
  text: string;
}

export interface Mapped {
  source: ProgramSource;
  range: SourceRange;
}

export interface ResolvedLine {
  offset: number;
  funcIndex: number;
  line: number;
  column: number;
  /** True when the requested line had no instruction and the breakpoint moved on. */
  moved: boolean;
}

export class CodeMap {
  /** Sorted by offset. */
  readonly instructions: Instruction[];
  private readonly positions = new Map<number, Mapped>();
  private readonly byOffset = new Map<number, number>();
  /** Per source, per start line: the mapped instructions starting there, sorted by column then offset. */
  private readonly lines = new Map<ProgramSource, Map<number, { offset: number; column: number }[]>>();

  constructor(instructions: Instruction[], positions: Iterable<[number, Mapped]>) {
    this.instructions = [...instructions].sort((a, b) => a.offset - b.offset);
    this.instructions.forEach((ins, i) => this.byOffset.set(ins.offset, i));
    for (const [offset, m] of positions) {
      this.positions.set(offset, m);
      let perLine = this.lines.get(m.source);
      if (!perLine) this.lines.set(m.source, (perLine = new Map()));
      let list = perLine.get(m.range.line);
      if (!list) perLine.set(m.range.line, (list = []));
      list.push({ offset, column: m.range.column });
    }
    for (const perLine of this.lines.values()) {
      for (const list of perLine.values()) list.sort((a, b) => a.column - b.column || a.offset - b.offset);
    }
  }

  get sources(): ProgramSource[] {
    return [...this.lines.keys()];
  }

  position(offset: number): Mapped | undefined {
    return this.positions.get(offset);
  }

  instruction(offset: number): Instruction | undefined {
    const i = this.byOffset.get(offset);
    return i === undefined ? undefined : this.instructions[i];
  }

  /** Index in `instructions` of the first instruction at or after `offset`. */
  indexAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.instructions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.instructions[mid]!.offset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The function whose code holds `offset`; an offset before a body's first instruction (DWARF
   * puts a function's first row at its locals) belongs to that body. */
  funcOf(offset: number): number | undefined {
    const i = this.indexAtOrAfter(offset);
    const ins = this.instructions[i];
    if (ins && ins.offset === offset) return ins.funcIndex;
    const prev = this.instructions[i - 1];
    if (prev && offset < prev.end) return prev.funcIndex;
    return ins?.funcIndex;
  }

  /**
   * The instruction a breakpoint on `line` binds to: the first to execute among those starting on
   * that line (lowest offset: with folded operands that is not the leftmost), or with a column the
   * first starting at or after it; a line with none moves to the next line that has one.
   */
  resolveLine(source: ProgramSource, line: number, column?: number): ResolvedLine | undefined {
    const perLine = this.lines.get(source);
    if (!perLine) return undefined;
    const candidates = [...perLine.keys()].filter((l) => l >= line).sort((a, b) => a - b);
    for (const l of candidates) {
      let list = perLine.get(l)!;
      if (column !== undefined && l === line) {
        const at = list.filter((e) => e.column >= column);
        const first = at[0];
        if (first) list = at.filter((e) => e.column === first.column);
      }
      const hit = list.reduce<{ offset: number; column: number } | undefined>((best, e) => (!best || e.offset < best.offset ? e : best), undefined);
      if (!hit) continue;
      const funcIndex = this.funcOf(hit.offset);
      if (funcIndex === undefined) continue;
      return { offset: hit.offset, funcIndex, line: l, column: hit.column, moved: l !== line };
    }
    return undefined;
  }

  /** Columns on `line` where a breakpoint can bind (breakpointLocations). */
  locationsOn(source: ProgramSource, line: number): { line: number; column: number }[] {
    const list = this.lines.get(source)?.get(line) ?? [];
    const seen = new Set<number>();
    return list.filter((e) => !seen.has(e.column) && seen.add(e.column)).map((e) => ({ line, column: e.column }));
  }
}
