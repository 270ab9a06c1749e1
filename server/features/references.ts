// textDocument/references: every use of a definition, by name or by index, in its module.
import type { Location, Position } from 'vscode-languageserver/node';
import type { Analysis } from '../documents';
import { occurrences, symbolAt } from '../symbol-at';

/** textDocument/references */
export function references(analysis: Analysis, position: Position, includeDeclaration: boolean): Location[] | null {
  const hit = symbolAt(analysis, analysis.offsetAt(position));
  if (!hit?.def) return null;
  return occurrences(hit.def, includeDeclaration).map((o) => ({ uri: analysis.uri, range: analysis.range(o.start, o.end) }));
}
