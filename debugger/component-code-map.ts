// A component's core modules as one code index for the debugger: each module keeps its own
// CodeMap, and its functions and byte offsets are moved into one space (module k's offsets start
// at k·2^28, its functions after the previous modules'), so the runtime, breakpoints and the
// disassembly view work on a component as on one module. The module with DWARF comes first, at
// offset 0 and function 0, so its DWARF addresses need no translation.
import type { CodeIndex, CodeMap, Instruction, Mapped, ProgramSource, ResolvedLine } from './code-map';

/** Where each core module's offsets begin: module k at k · OFFSET_STRIDE (a module is far smaller). */
export const OFFSET_STRIDE = 2 ** 28;
/** Source references per module (k · REF_STRIDE + the module's own; DAP references stay below 2^31). */
export const REF_STRIDE = 2 ** 24;

export interface CoreModulePart {
  codeMap: CodeMap;
  /** The module's functions, imports included, in its own index space. */
  funcCount: number;
  /** Its first function in the combined space (0 for the first module). */
  funcBase: number;
  /** Its byte offset 0 in the combined space (k · OFFSET_STRIDE). */
  offsetBase: number;
}

export class ComponentCodeMap implements CodeIndex {
  private readonly moved = new Map<number, { list: Instruction[]; byOffset: Map<number, Instruction> }>();

  constructor(readonly parts: readonly CoreModulePart[]) {}

  /** The part holding a combined function index. */
  partOfFunc(funcIndex: number): CoreModulePart | undefined {
    for (const p of this.parts) if (funcIndex >= p.funcBase && funcIndex < p.funcBase + p.funcCount) return p;
    return undefined;
  }

  /** The part holding a combined offset. */
  partOfOffset(offset: number): CoreModulePart | undefined {
    return this.parts[Math.floor(offset / OFFSET_STRIDE)];
  }

  get sources(): ProgramSource[] {
    return this.parts.flatMap((p) => p.codeMap.sources);
  }

  get wholeListing(): ProgramSource | undefined {
    return this.parts[0]?.codeMap.wholeListing;
  }

  sourceByRef(ref: number): ProgramSource | undefined {
    return this.parts[Math.floor(ref / REF_STRIDE)]?.codeMap.sourceByRef(ref);
  }

  funcOf(offset: number): number | undefined {
    const p = this.partOfOffset(offset);
    const f = p?.codeMap.funcOf(offset - p.offsetBase);
    return f === undefined ? undefined : f + p!.funcBase;
  }

  position(offset: number): Mapped | undefined {
    const p = this.partOfOffset(offset);
    return p?.codeMap.position(offset - p.offsetBase);
  }

  instruction(offset: number): Instruction | undefined {
    const f = this.funcOf(offset);
    if (f === undefined) return undefined;
    this.instructionsOf(f);
    return this.moved.get(f)?.byOffset.get(offset);
  }

  instructionsOf(funcIndex: number): Instruction[] {
    const known = this.moved.get(funcIndex);
    if (known) return known.list;
    const p = this.partOfFunc(funcIndex);
    if (!p) return [];
    const list = p.codeMap.instructionsOf(funcIndex - p.funcBase).map((i) => ({ ...i, offset: i.offset + p.offsetBase, end: i.end + p.offsetBase, funcIndex }));
    this.moved.set(funcIndex, { list, byOffset: new Map(list.map((i) => [i.offset, i])) });
    return list;
  }

  positionAtOrBefore(offset: number): Mapped | undefined {
    const p = this.partOfOffset(offset);
    return p?.codeMap.positionAtOrBefore(offset - p.offsetBase);
  }

  /** The disassembly view around an offset, within that offset's module. */
  instructionsAround(offset: number, instructionOffset: number, count: number): { ins: Instruction | undefined; address: number }[] {
    const p = this.partOfOffset(offset) ?? this.parts[this.parts.length - 1];
    if (!p) return [];
    return p.codeMap.instructionsAround(Math.max(0, offset - p.offsetBase), instructionOffset, count).map((slot) => {
      const ins = slot.ins ? this.instruction(slot.ins.offset + p.offsetBase) : undefined;
      return { ins, address: slot.address + p.offsetBase };
    });
  }

  resolveLine(source: ProgramSource, line: number, column?: number): ResolvedLine | undefined {
    for (const p of this.parts) {
      const r = p.codeMap.resolveLine(source, line, column);
      if (r) return { ...r, offset: r.offset + p.offsetBase, funcIndex: r.funcIndex + p.funcBase };
    }
    return undefined;
  }

  locationsOn(source: ProgramSource, line: number): { line: number; column: number }[] {
    for (const p of this.parts) {
      const found = p.codeMap.locationsOn(source, line);
      if (found.length > 0) return found;
    }
    return [];
  }
}
