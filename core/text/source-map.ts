// The assembler's instruction ↔ source map: for each instruction of each function body, its
// module-relative byte offset and its own source range. The debugger binds `.wat` lines with it.
import type { LineIndex, Range } from './line-index';

export interface InstrMapping {
  /** Module-relative byte offset of the instruction's opcode. */
  offset: number;
  funcIndex: number;
  op: string;
  /** UTF-16 offsets of the instruction's own text (a folded block's implicit `end` is its `)`). */
  start: number;
  end: number;
  /** No keyword of its own in the source (implicit `end`). */
  implicit: boolean;
}

export interface FuncMapping {
  funcIndex: number;
  name: string | undefined;
  /** Module-relative byte range of the body (from the locals vector to just after the final `end`). */
  bodyStart: number;
  bodyEnd: number;
  /** Source offsets of the `(func ...)` field. */
  start: number;
  end: number;
}

/** A module field outside the code section (global, export, elem or data segment): its bytes
 * and its source, for errors a validator reports there. */
export interface FieldMapping {
  offset: number;
  endOffset: number;
  start: number;
  end: number;
}

export class SourceMap {
  /** Sorted by offset. */
  readonly instrs: InstrMapping[];
  private byLine: Map<number, InstrMapping[]> | undefined;

  constructor(
    readonly lines: LineIndex,
    instrs: InstrMapping[],
    readonly funcs: FuncMapping[],
    /** Sorted by offset. */
    readonly fields: FieldMapping[] = [],
  ) {
    this.instrs = [...instrs].sort((a, b) => a.offset - b.offset);
  }

  rangeOf(m: { start: number; end: number }): Range {
    return this.lines.range(m.start, m.end);
  }

  /** Instructions whose own source text starts on `line` (0-based), in byte order; implicit ends excluded. */
  instructionsOnLine(line: number): InstrMapping[] {
    if (!this.byLine) {
      const map = new Map<number, InstrMapping[]>();
      for (const m of this.instrs) {
        if (m.implicit) continue;
        const l = this.lines.lineAt(m.start);
        let list = map.get(l);
        if (!list) map.set(l, (list = []));
        list.push(m);
      }
      this.byLine = map;
    }
    return this.byLine.get(line) ?? [];
  }

  /** Byte offsets of the instructions starting on `line`. */
  offsetsOnLine(line: number): number[] {
    return this.instructionsOnLine(line).map((m) => m.offset);
  }

  /**
   * The first line at or after `line` that has an instruction (a breakpoint on a blank or
   * declaration line moves there), with its instructions; undefined past the last instruction.
   */
  nearestLineWithCode(line: number): { line: number; instrs: InstrMapping[] } | undefined {
    const last = this.lines.lineCount;
    for (let l = Math.max(0, line); l < last; l++) {
      const list = this.instructionsOnLine(l);
      if (list.length > 0) return { line: l, instrs: list };
    }
    return undefined;
  }

  /** The instruction at exactly `offset`, or the one containing it (the last starting before it in the same body). */
  instrAt(offset: number): InstrMapping | undefined {
    const a = this.instrs;
    let lo = 0;
    let hi = a.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((a[mid] as InstrMapping).offset <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    const m = a[found] as InstrMapping;
    const f = this.funcAt(offset);
    return f && f.funcIndex === m.funcIndex ? m : undefined;
  }

  /** Source range of the instruction at (or containing) `offset`. */
  rangeAt(offset: number): Range | undefined {
    const m = this.instrAt(offset);
    return m ? this.rangeOf(m) : undefined;
  }

  /** The global, export, elem or data field whose bytes contain `offset`. */
  fieldAt(offset: number): FieldMapping | undefined {
    return this.fields.find((f) => offset >= f.offset && offset < f.endOffset);
  }

  /** The function whose body contains `offset` (binary search: bodies are laid out in order). */
  funcAt(offset: number): FuncMapping | undefined {
    const a = this.funcs;
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = a[mid] as FuncMapping;
      if (offset < f.bodyStart) hi = mid - 1;
      else if (offset >= f.bodyEnd) lo = mid + 1;
      else return f;
    }
    return undefined;
  }
}
