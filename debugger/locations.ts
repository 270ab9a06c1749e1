// Where the program is, in the user's terms: DWARF source lines when the module has them, else the
// .wat text or the generated disassembly. Stepping, breakpoints and stack frames all ask here.
import type { CodeIndex, Mapped, ProgramSource } from './code-map';
import type { DwarfProgramSource, DwarfSources } from './dwarf-source';

export interface BoundLine {
  line: number;
  column: number;
  places: { offset: number; funcIndex: number }[];
}

export class ProgramLocations {
  constructor(readonly codeMap: CodeIndex, readonly dwarf: DwarfSources | undefined) {}

  position(offset: number): Mapped | undefined {
    return this.dwarf?.position(offset) ?? this.codeMap.position(offset);
  }

  private usesDwarf(offset: number): boolean {
    const f = this.codeMap.funcOf(offset);
    return this.dwarf !== undefined && f !== undefined && this.dwarf.hasLines(f);
  }

  private codeKey(offset: number): string | undefined {
    const m = this.codeMap.position(offset);
    return m ? `${m.source.path ?? m.source.name}:${m.range.line}` : undefined;
  }

  /** The line a step starts from. */
  lineKey(offset: number): string | undefined {
    return this.usesDwarf(offset) ? this.dwarf!.lineKey(offset) : this.codeKey(offset);
  }

  /** The line a step may stop on here, if it may stop here at all. */
  stopKey(offset: number): string | undefined {
    return this.usesDwarf(offset) ? this.dwarf!.stopKey(offset) : this.codeKey(offset);
  }

  /** Step in enters this function (with DWARF, library code without source lines is stepped over). */
  stepsInto(funcIndex: number): boolean {
    return this.dwarf === undefined || this.dwarf.hasLines(funcIndex);
  }

  /** The places a line breakpoint binds to, and the line they are on (a later one when moved). */
  resolveLine(source: ProgramSource, line: number, column?: number): BoundLine | undefined {
    if ('dwarfPath' in source && this.dwarf) {
      const r = this.dwarf.resolveLine(source as DwarfProgramSource, line);
      if (!r) return undefined;
      const places = r.offsets.flatMap((offset) => {
        const funcIndex = this.codeMap.funcOf(offset);
        return funcIndex === undefined ? [] : [{ offset, funcIndex }];
      });
      return places.length ? { line: r.line, column: 0, places } : undefined;
    }
    const r = this.codeMap.resolveLine(source, line, column);
    return r ? { line: r.line, column: r.column, places: [{ offset: r.offset, funcIndex: r.funcIndex }] } : undefined;
  }

  /** A frame's name from DWARF (`main` rather than the linker's `__original_main`). */
  functionName(offset: number): string | undefined {
    return this.usesDwarf(offset) ? this.dwarf!.functionName(offset) : undefined;
  }

  /** Inlined source frames at an offset (innermost first), when DWARF says there are any. */
  inlineFrames(offset: number): { name: string; position: Mapped | undefined }[] | undefined {
    return this.usesDwarf(offset) ? this.dwarf!.inlineFrames(offset) : undefined;
  }

  /** Whether lines here are the generated disassembly's, one instruction each. */
  linePerInstruction(offset: number): boolean {
    return !this.usesDwarf(offset) && this.codeMap.position(offset)?.source.ref !== undefined;
  }

  /** How many source functions (the function plus inlined ones) are active at an offset. */
  inlineCount(offset: number): number {
    return this.usesDwarf(offset) ? this.dwarf!.info.functionAt(offset)?.frames.length ?? 1 : 1;
  }

  /** The DWARF source for a client path, when the module has one. */
  dwarfSource(clientPath: string): ProgramSource | undefined {
    return this.dwarf?.find(clientPath);
  }
}
