// textDocument/semanticTokens/full and /range: names coloured by what they resolve to (function, param, local, global, type, label, ...).
import type { SemanticTokens, SemanticTokensLegend, Range } from 'vscode-languageserver/node';
import type { SymbolDef, SymbolKind, TextModule } from '../../core/text/index';
import type { Analysis } from '../documents';

export const SEMANTIC_LEGEND: SemanticTokensLegend = {
  tokenTypes: ['function', 'parameter', 'variable', 'type', 'label', 'struct', 'string', 'enumMember', 'property', 'event'],
  tokenModifiers: ['declaration', 'readonly', 'static', 'defaultLibrary'],
};

const TYPE_OF: Record<SymbolKind, number> = { func: 0, param: 1, local: 2, global: 2, type: 3, label: 4, table: 5, memory: 5, data: 6, elem: 7, tag: 9, field: 8 };
const DECLARATION = 1;
const READONLY = 2;
const STATIC = 4;
const IMPORTED = 8;

function modifiers(def: SymbolDef | undefined, declaration: boolean): number {
  let m = declaration ? DECLARATION : 0;
  if (def?.kind === 'global') m |= STATIC | (def.mutable ? 0 : READONLY);
  if (def?.kind === 'field' && !def.mutable) m |= READONLY;
  // Imported items are "library" items: themes usually tint them.
  if (def?.import) m |= IMPORTED;
  return m;
}

/** textDocument/semanticTokens/full (and /range when `range` is given) */
export function semanticTokens(analysis: Analysis, range?: Range): SemanticTokens {
  const lo = range ? analysis.offsetAt(range.start) : 0;
  const hi = range ? analysis.offsetAt(range.end) : analysis.text.length;
  const entries: [number, number, number, number][] = [];
  const collect = (m: TextModule): void => {
    for (const def of m.symbols.defs) {
      if (def.name === undefined || def.nameEnd < lo || def.nameStart > hi) continue;
      entries.push([def.nameStart, def.nameEnd, TYPE_OF[def.kind], modifiers(def, true)]);
    }
    for (const ref of m.symbols.refs) {
      if (ref.end < lo || ref.start > hi || !ref.def) continue;
      entries.push([ref.start, ref.end, TYPE_OF[ref.def.kind], modifiers(ref.def, false)]);
    }
  };
  for (const m of analysis.modules) collect(m);
  entries.sort((a, b) => a[0] - b[0]);
  const data: number[] = [];
  const lines = analysis.tree.lines;
  let prevLine = 0;
  let prevChar = 0;
  let lastStart = -1;
  for (const [start, end, type, mods] of entries) {
    if (start === lastStart) continue; // a def that is also recorded as a ref: one token
    lastStart = start;
    const p = lines.positionAt(start);
    data.push(p.line - prevLine, p.line === prevLine ? p.character - prevChar : p.character, end - start, type, mods);
    prevLine = p.line;
    prevChar = p.character;
  }
  return { data };
}
