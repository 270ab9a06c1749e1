// Finds the definition or reference under the cursor in the symbol table core/text builds.
import type { SymbolDef, SymbolRef, TextModule } from '../core/text/index';
import type { Analysis } from './documents';

export interface SymbolHit {
  module: TextModule;
  /** The definition named or referenced; undefined for a reference that does not resolve. */
  def: SymbolDef | undefined;
  /** Set when the cursor is on a reference rather than on the definition's name. */
  ref: SymbolRef | undefined;
  /** Offsets of the token under the cursor. */
  start: number;
  end: number;
}

/** The symbol whose token touches `offset` (either edge counts, like VS Code's word ranges). */
export function symbolAt(analysis: Analysis, offset: number): SymbolHit | undefined {
  const module = analysis.moduleAt(offset);
  if (!module) return undefined;
  for (const ref of module.symbols.refs) {
    if (ref.start <= offset && offset <= ref.end && ref.end > ref.start) return { module, def: ref.def, ref, start: ref.start, end: ref.end };
  }
  for (const def of module.symbols.defs) {
    if (def.name !== undefined && def.nameStart <= offset && offset <= def.nameEnd) return { module, def, ref: undefined, start: def.nameStart, end: def.nameEnd };
  }
  return undefined;
}

/** Where a definition is named and used: its `$name` (if any) and every reference that resolved to it. */
export function occurrences(def: SymbolDef, includeDeclaration: boolean): { start: number; end: number; isName: boolean; isDef: boolean }[] {
  const out: { start: number; end: number; isName: boolean; isDef: boolean }[] = [];
  if (includeDeclaration && def.name !== undefined) out.push({ start: def.nameStart, end: def.nameEnd, isName: true, isDef: true });
  for (const r of def.references) out.push({ start: r.start, end: r.end, isName: r.isName, isDef: false });
  return out.sort((a, b) => a.start - b.start);
}
