// Maps instructions (module-relative byte offsets) to source positions and back: .wat text via the
// assembler's source map, a .wasm's generated disassembly, later DWARF line tables. Instructions
// are listed per function, the first time a function is asked about, so a 30 MB module costs
// nothing until the debugger looks into one of its functions.
import type { Module } from '../core/binary';
import { disassemble, disassembleFunction } from '../core/inspect';

/** A text the debugger shows: a file on disk (`path`) or generated text served by reference. */
export interface ProgramSource {
  name: string;
  path?: string;
  /** Generated text (disassembly): the DAP `source` request's reference for it (> 0)... */
  ref?: number;
  /** ...and its text, built when the client asks. */
  content?: () => string;
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

/** One entry per start line: the mapped instructions starting there, sorted by column then offset. */
type LineIndex = Map<number, { offset: number; column: number }[]>;

/** What the debugger knows about one function, built on first use. */
interface FunctionCode {
  /** Sorted by offset. */
  instructions: Instruction[];
  byOffset: Map<number, number>;
  /** Positions in the generated listing (when the program has no text of its own). */
  positions: Map<number, Mapped>;
  lines: LineIndex;
  /** The listing's source and the line range the function occupies in it. */
  source: ProgramSource | undefined;
  firstLine: number;
  lineCount: number;
}

/** Above this much code a .wasm gets one generated source per function: one listing of the whole
 * module would be hundreds of megabytes, past what one JavaScript string can hold. */
export const WHOLE_LISTING_MAX_CODE_BYTES = 2 << 20;

/** Source reference of the whole-module listing; per-function listings use FUNCTION_REF_BASE + index. */
export const MODULE_LISTING_REF = 1;
const FUNCTION_REF_BASE = 2;

export interface CodeMapOptions {
  /** Positions from the program's own text (a .wat's source map); without them the generated
   * disassembly is the program's source. */
  positions?: Iterable<[number, Mapped]>;
  /** Name of the program file, for the generated sources' names. */
  name: string;
  /** A function's display name, for the per-function sources' names. */
  funcName(index: number): string;
  /** Code size above which the listing is per function (default WHOLE_LISTING_MAX_CODE_BYTES). */
  wholeListingMaxCodeBytes?: number;
  /** Added to this map's source references, so several maps (a component's core modules) can share one reference space. */
  refBase?: number;
}

/** What the runtime and the session ask of a program's code: one module's CodeMap, or a component's core modules together. */
export type CodeIndex = Pick<CodeMap, 'sources' | 'wholeListing' | 'sourceByRef' | 'funcOf' | 'position' | 'instruction' | 'instructionsOf'
  | 'positionAtOrBefore' | 'instructionsAround' | 'resolveLine' | 'locationsOn'>;

export class CodeMap {
  private readonly functions = new Map<number, FunctionCode>();
  private readonly staticPositions = new Map<number, Mapped>();
  private readonly staticLines = new Map<ProgramSource, LineIndex>();
  /** The whole-module listing (small modules without text of their own). */
  private readonly whole: { source: ProgramSource; lines: string[]; lineOffsets: Int32Array; firstLines: Int32Array } | undefined;
  private readonly perFunction: boolean;
  private readonly generatedSources = new Map<number, ProgramSource>();
  private readonly hasText: boolean;

  constructor(readonly module: Module, private readonly options: CodeMapOptions) {
    const hasText = options.positions !== undefined;
    this.hasText = hasText;
    for (const [offset, m] of options.positions ?? []) {
      this.staticPositions.set(offset, m);
      let perLine = this.staticLines.get(m.source);
      if (!perLine) this.staticLines.set(m.source, (perLine = new Map()));
      addToLine(perLine, m.range.line, offset, m.range.column);
    }
    for (const perLine of this.staticLines.values()) sortLines(perLine);
    const codeBytes = module.funcs.reduce((n, f) => n + (f.bodyEnd - f.entryStart), 0);
    this.perFunction = !hasText && codeBytes > (options.wholeListingMaxCodeBytes ?? WHOLE_LISTING_MAX_CODE_BYTES);
    if (!hasText && !this.perFunction) {
      const listing = disassemble(module, { header: true });
      const firstLines = new Int32Array(module.funcs.length);
      for (let k = 0; k < module.funcs.length; k++) firstLines[k] = listing.anchors.get(`func:${module.importedFuncs + k}`) ?? 0;
      const ref = (options.refBase ?? 0) + MODULE_LISTING_REF;
      const source: ProgramSource = { name: `${options.name} (disassembly)`, ref, content: () => listing.lines.join('\n') };
      this.whole = { source, lines: listing.lines, lineOffsets: listing.lineOffsets, firstLines };
      this.generatedSources.set(ref, source);
    }
  }

  /** The sources known so far (generated per-function ones appear as their functions are visited). */
  get sources(): ProgramSource[] {
    return [...this.staticLines.keys(), ...this.generatedSources.values()];
  }

  /** The program's main source when it is generated: the whole-module listing (undefined when
   * the listing is per function, or the program has its own text). */
  get wholeListing(): ProgramSource | undefined {
    return this.whole?.source;
  }

  /** A generated source by its DAP source reference. */
  sourceByRef(ref: number): ProgramSource | undefined {
    const known = this.generatedSources.get(ref);
    if (known || !this.perFunction) return known;
    const fi = ref - (this.options.refBase ?? 0) - FUNCTION_REF_BASE;
    if (fi < this.module.importedFuncs || fi >= this.module.importedFuncs + this.module.funcs.length) return undefined;
    return this.code(fi)?.source;
  }

  /** The function whose code (locals included: DWARF puts a function's first row there) holds `offset`. */
  funcOf(offset: number): number | undefined {
    const funcs = this.module.funcs;
    let lo = 0;
    let hi = funcs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = funcs[mid]!;
      if (offset < f.entryStart) hi = mid - 1;
      else if (offset >= f.bodyEnd) lo = mid + 1;
      else return this.module.importedFuncs + mid;
    }
    return undefined;
  }

  position(offset: number): Mapped | undefined {
    const m = this.staticPositions.get(offset);
    if (m || this.hasText) return m;
    const fi = this.funcOf(offset);
    return fi === undefined ? undefined : this.code(fi)?.positions.get(offset);
  }

  instruction(offset: number): Instruction | undefined {
    const fi = this.funcOf(offset);
    const c = fi === undefined ? undefined : this.code(fi);
    const i = c?.byOffset.get(offset);
    return i === undefined ? undefined : c!.instructions[i];
  }

  /** The function's instructions in offset order (empty for imports). */
  instructionsOf(funcIndex: number): Instruction[] {
    return this.code(funcIndex)?.instructions ?? [];
  }

  /** The nearest mapped position at `offset` or up to three instructions before it in its function
   * (an outer frame sits after its call; the call's line is the one to show). */
  positionAtOrBefore(offset: number): Mapped | undefined {
    const fi = this.funcOf(offset);
    if (fi === undefined) return undefined;
    const list = this.instructionsOf(fi);
    const i = atOrAfter(list, offset);
    for (let j = Math.min(i, list.length - 1); j >= 0 && j > i - 4; j--) {
      const m = this.position(list[j]!.offset);
      if (m) return m;
    }
    return undefined;
  }

  /**
   * `count` instruction slots starting `instructionOffset` instructions from the first one at or
   * after `offset`, across function boundaries (the disassembly view); slots outside the code
   * are undefined, with the address they stand for.
   */
  instructionsAround(offset: number, instructionOffset: number, count: number): { ins: Instruction | undefined; address: number }[] {
    const module = this.module;
    const out: { ins: Instruction | undefined; address: number }[] = [];
    if (module.funcs.length === 0) {
      for (let k = 0; k < count; k++) out.push({ ins: undefined, address: Math.max(0, offset + instructionOffset + k) });
      return out;
    }
    // A cursor (function k, index i) over every instruction of the module, and how far it is
    // outside the code (negative before the first instruction, positive past the last).
    let k = this.funcOf(offset);
    let i: number;
    if (k === undefined) {
      const first = module.funcs[0]!;
      if (offset < first.entryStart) { k = module.importedFuncs; i = 0; } else { k = module.importedFuncs + module.funcs.length - 1; i = this.instructionsOf(k).length; }
    } else i = atOrAfter(this.instructionsOf(k), offset);
    const firstK = module.importedFuncs;
    const lastK = module.importedFuncs + module.funcs.length - 1;
    const move = (delta: number): void => {
      i += delta;
      while (i < 0 && k! > firstK) { k!--; i += this.instructionsOf(k!).length; }
      while (i >= this.instructionsOf(k!).length && k! < lastK) { i -= this.instructionsOf(k!).length; k!++; }
    };
    move(instructionOffset);
    for (let n = 0; n < count; n++) {
      const list = this.instructionsOf(k);
      const ins = i >= 0 && i < list.length ? list[i] : undefined;
      if (ins) out.push({ ins, address: ins.offset });
      else if (i < 0) out.push({ ins: undefined, address: Math.max(0, (list[0]?.offset ?? 0) + i) });
      else out.push({ ins: undefined, address: (list[list.length - 1]?.end ?? 0) + (i - list.length) });
      move(1);
    }
    return out;
  }

  /**
   * The instruction a breakpoint on `line` binds to: the first to execute among those starting on
   * that line (lowest offset: with folded operands that is not the leftmost), or with a column the
   * first starting at or after it; a line with none moves to the next line that has one.
   */
  resolveLine(source: ProgramSource, line: number, column?: number): ResolvedLine | undefined {
    for (const perLine of this.lineIndexesFrom(source, line)) {
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
    }
    return undefined;
  }

  /** Columns on `line` where a breakpoint can bind (breakpointLocations). */
  locationsOn(source: ProgramSource, line: number): { line: number; column: number }[] {
    const first = this.lineIndexesFrom(source, line).next();
    const list = first.done ? [] : first.value.get(line) ?? [];
    const seen = new Set<number>();
    return list.filter((e) => !seen.has(e.column) && seen.add(e.column)).map((e) => ({ line, column: e.column }));
  }

  /** The line indexes to search for `line` of `source` and on: a text's one index, or the
   * listing's functions from the one holding the line to the end of the source. */
  private *lineIndexesFrom(source: ProgramSource, line: number): Generator<LineIndex> {
    const own = this.staticLines.get(source);
    if (own) {
      yield own;
      return;
    }
    if (source.ref === undefined) return;
    if (this.whole && source === this.whole.source) {
      const firsts = this.whole.firstLines;
      let k = 0;
      while (k + 1 < firsts.length && firsts[k + 1]! <= line) k++;
      for (; k < firsts.length; k++) {
        const c = this.code(this.module.importedFuncs + k);
        if (c) yield c.lines;
      }
      return;
    }
    const c = this.perFunction ? this.code(source.ref - (this.options.refBase ?? 0) - FUNCTION_REF_BASE) : undefined;
    if (c && c.source === source) yield c.lines;
  }

  private code(funcIndex: number): FunctionCode | undefined {
    let c = this.functions.get(funcIndex);
    if (c) return c;
    const k = funcIndex - this.module.importedFuncs;
    const body = this.module.funcs[k];
    if (!body) return undefined;
    let lines: readonly string[];
    let lineOffsets: Int32Array;
    let firstLine = 0;
    let source: ProgramSource | undefined;
    if (this.whole) {
      firstLine = this.whole.firstLines[k]!;
      const end = k + 1 < this.whole.firstLines.length ? this.whole.firstLines[k + 1]! : this.whole.lines.length;
      lines = this.whole.lines.slice(firstLine, end);
      lineOffsets = this.whole.lineOffsets.subarray(firstLine, end);
      source = this.whole.source;
    } else {
      const listing = disassembleFunction(this.module, funcIndex);
      lines = listing.lines;
      lineOffsets = listing.lineOffsets;
      if (this.perFunction) {
        const text = listing.lines.join('\n');
        source = {
          name: `${this.options.funcName(funcIndex)} (func ${funcIndex}) — ${this.options.name} (disassembly)`,
          ref: (this.options.refBase ?? 0) + FUNCTION_REF_BASE + funcIndex,
          content: () => text,
        };
        this.generatedSources.set(source.ref!, source);
      }
    }
    const instructions: Instruction[] = [];
    const positions = new Map<number, Mapped>();
    const perLine: LineIndex = new Map();
    // Line 0 is the function's header (it carries the entry offset); instructions follow.
    for (let j = 1; j < lines.length; j++) {
      const o = lineOffsets[j]!;
      if (o < 0) continue;
      const line = lines[j]!;
      instructions.push({ offset: o, end: o, funcIndex, text: instructionTextOf(line) });
      if (source) {
        const colon = line.indexOf(':');
        const rest = line.slice(colon + 1);
        const column = colon + 1 + (rest.length - rest.trimStart().length);
        positions.set(o, { source, range: { line: firstLine + j, column, endLine: firstLine + j, endColumn: line.length } });
        addToLine(perLine, firstLine + j, o, column);
      }
    }
    instructions.sort((a, b) => a.offset - b.offset);
    const byOffset = new Map<number, number>();
    for (let i = 0; i < instructions.length; i++) {
      const next = instructions[i + 1];
      instructions[i]!.end = next ? next.offset : body.bodyEnd;
      byOffset.set(instructions[i]!.offset, i);
    }
    sortLines(perLine);
    c = { instructions, byOffset, positions, lines: perLine, source, firstLine, lineCount: lines.length };
    this.functions.set(funcIndex, c);
    return c;
  }
}

function addToLine(perLine: LineIndex, line: number, offset: number, column: number): void {
  let list = perLine.get(line);
  if (!list) perLine.set(line, (list = []));
  list.push({ offset, column });
}

function sortLines(perLine: LineIndex): void {
  for (const list of perLine.values()) list.sort((a, b) => a.column - b.column || a.offset - b.offset);
}

/** Index of the first instruction at or after `offset` (list sorted by offset). */
function atOrAfter(list: readonly Instruction[], offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The listing prints `0000a3:    i32.add`; the view wants the instruction alone. */
function instructionTextOf(line: string): string {
  const colon = line.indexOf(':');
  const text = (colon >= 0 ? line.slice(colon + 1) : line).trim();
  return text === ')' ? 'end' : text;
}
