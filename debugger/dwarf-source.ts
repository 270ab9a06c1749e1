// Source-level positions from DWARF (C, C++, Rust built with -g): which source line an offset is,
// which offsets a line breakpoint binds to, and where source stepping may stop.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { matchPath, PathMapper, type DwarfInfo } from '../core/debuginfo';
import type { CodeIndex, Mapped, ProgramSource } from './code-map';

export interface DwarfProgramSource extends ProgramSource {
  /** The file as DWARF names it (breakpoints are looked up by this). */
  dwarfPath: string;
  /** Found on disk. Code whose source is missing (a prebuilt libc) is shown and stepped as disassembly. */
  exists: boolean;
}

/** How many lines past a function's end a breakpoint may move to reach the next one. */
const BETWEEN_FUNCTIONS = 20;

export class DwarfSources {
  private readonly byDwarfPath = new Map<string, DwarfProgramSource>();
  private readonly funcHasLines = new Map<number, boolean>();

  constructor(
    readonly info: DwarfInfo,
    private readonly codeMap: CodeIndex,
    private readonly mapper: PathMapper,
    private readonly programDir: string,
  ) {}

  /** The editor's file for a DWARF path: mapped by `sourceMap`, else found beside the program. */
  source(dwarfPath: string): DwarfProgramSource {
    let s = this.byDwarfPath.get(dwarfPath);
    if (!s) {
      let local = this.mapper.toLocal(dwarfPath);
      if (!fs.existsSync(local)) {
        // Built elsewhere (another checkout, a CI machine): try the program's own directory, with
        // the path's trailing segments (`src/main.rs` under it), longest first.
        const parts = dwarfPath.split(/[\\/]/).filter(Boolean);
        for (let k = Math.min(parts.length - 1, 4); k >= 1; k--) {
          const beside = path.join(this.programDir, ...parts.slice(parts.length - k));
          if (fs.existsSync(beside)) {
            local = beside;
            break;
          }
        }
      }
      s = { name: path.basename(dwarfPath), path: local, dwarfPath, exists: fs.existsSync(local) };
      this.byDwarfPath.set(dwarfPath, s);
    }
    return s;
  }

  /** The DWARF file a client path names (exact path first, then a path-suffix match). */
  find(clientPath: string): DwarfProgramSource | undefined {
    const asDwarf = this.mapper.toDwarf(clientPath);
    let best: { file: string; score: number } | undefined;
    for (const file of this.info.files()) {
      const score = Math.max(matchPath(asDwarf, file), matchPath(clientPath, this.source(file).path ?? file) === 2 ? 3 : 0);
      if (score > 0 && (!best || score > best.score)) best = { file, score };
    }
    return best ? this.source(best.file) : undefined;
  }

  /**
   * The source line of the row containing `offset`; none for compiler-generated code (line 0)
   * and for files that are not on disk.
   */
  position(offset: number): Mapped | undefined {
    const loc = this.info.lineForOffset(offset);
    if (!loc || loc.line === 0) return undefined;
    const source = this.source(loc.file);
    if (!source.exists) return undefined;
    const column = Math.max(0, loc.column - 1);
    return { source, range: { line: loc.line - 1, column, endLine: loc.line - 1, endColumn: column } };
  }

  /** Line identity for "step until the line changes". */
  lineKey(offset: number): string | undefined {
    const loc = this.info.lineForOffset(offset);
    return loc && loc.line !== 0 ? `${loc.file}:${loc.line}` : undefined;
  }

  /** A step may stop only where a statement row of a real line begins. */
  stopKey(offset: number): string | undefined {
    const loc = this.info.lineForOffset(offset);
    return loc && loc.line !== 0 && loc.isStmt && loc.offset === offset ? `${loc.file}:${loc.line}` : undefined;
  }

  /** Whether a function has source lines we can show (library code built without -g, or whose sources are elsewhere, has not). */
  hasLines(funcIndex: number): boolean {
    let has = this.funcHasLines.get(funcIndex);
    if (has === undefined) {
      has = this.codeMap.instructionsOf(funcIndex).some((ins) => this.position(ins.offset) !== undefined);
      this.funcHasLines.set(funcIndex, has);
    }
    return has;
  }

  /** The source function (innermost inlined one) at an offset, as the source names it. */
  functionName(offset: number): string | undefined {
    const at = this.info.functionAt(offset);
    const fn = at?.frames[0]?.function ?? at?.function;
    return fn ? (fn.qualifiedName ?? fn.name) : undefined;
  }

  /**
   * The source frames one Wasm frame stands for, innermost first: inlined calls each get a frame
   * at their own line, the last is the out-of-line function at the call site of the one inside it.
   */
  inlineFrames(offset: number): { name: string; position: Mapped | undefined }[] | undefined {
    const at = this.info.functionAt(offset);
    if (!at || at.frames.length < 2) return undefined;
    return at.frames.map((f) => {
      const loc = f.location;
      let position: Mapped | undefined;
      if (loc && loc.line !== 0) {
        const source = this.source(loc.file);
        const column = Math.max(0, loc.column - 1);
        if (source.exists) position = { source, range: { line: loc.line - 1, column, endLine: loc.line - 1, endColumn: column } };
      }
      return { name: f.function.qualifiedName ?? f.function.name ?? '<inlined>', position };
    });
  }

  /** Every place a breakpoint on `line` (0-based) binds: each entry into the line (loops, inlined copies). */
  resolveLine(source: DwarfProgramSource, line: number): { line: number; offsets: number[] } | undefined {
    // The reader moves within a function; a line between functions looks a little further down.
    for (let l = line + 1; l <= line + 1 + BETWEEN_FUNCTIONS; l++) {
      const bp = this.info.offsetsForLine(source.dwarfPath, l);
      if (bp && bp.offsets.length > 0) return { line: bp.line - 1, offsets: bp.offsets };
    }
    return undefined;
  }
}
