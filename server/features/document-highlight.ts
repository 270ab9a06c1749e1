// textDocument/documentHighlight: the definition (write) and uses (read) of the symbol under the cursor.
import { DocumentHighlightKind, type DocumentHighlight, type Position } from 'vscode-languageserver/node';
import type { Analysis } from '../documents';
import { occurrences, symbolAt } from '../symbol-at';

/** textDocument/documentHighlight */
export function documentHighlight(analysis: Analysis, position: Position): DocumentHighlight[] | null {
  const hit = symbolAt(analysis, analysis.offsetAt(position));
  if (!hit) return null;
  // An unresolved name still highlights where the cursor is, so the user sees it is not found elsewhere.
  if (!hit.def) return [{ range: analysis.range(hit.start, hit.end), kind: DocumentHighlightKind.Text }];
  return occurrences(hit.def, true).map((o) => ({
    range: analysis.range(o.start, o.end),
    kind: o.isDef ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
  }));
}
