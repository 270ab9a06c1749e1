// textDocument/selectionRange: the token under the cursor, then each enclosing list out to the module.
import type { Position, SelectionRange } from 'vscode-languageserver/node';
import type { Analysis } from '../documents';
import { enclosingLists, tokenAt } from '../token-at';

/** textDocument/selectionRange */
export function selectionRanges(analysis: Analysis, positions: Position[]): SelectionRange[] {
  return positions.map((position) => {
    const offset = analysis.offsetAt(position);
    let range: SelectionRange | undefined;
    for (const list of enclosingLists(analysis.tree, offset)) range = { range: analysis.range(list.start, list.end), ...(range ? { parent: range } : {}) };
    const token = tokenAt(analysis.tree, offset);
    if (token && token.kind !== 'lparen' && token.kind !== 'rparen') range = { range: analysis.range(token.start, token.end), ...(range ? { parent: range } : {}) };
    return range ?? { range: analysis.range(offset, offset) };
  });
}
