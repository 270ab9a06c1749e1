// Finds the token under the cursor (binary search over the sorted token list) and the lists enclosing it.
import { isList, type ParseTree, type SList, type SNode, type Token } from '../core/text/index';

/** The token containing `offset`, or the one ending exactly there (a cursor just after a word). */
export function tokenAt(tree: ParseTree, offset: number): Token | undefined {
  const tokens = tree.tokens;
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tokens[mid] as Token;
    if (t.end < offset) lo = mid + 1;
    else if (t.start > offset) hi = mid - 1;
    else {
      // Touching two tokens (`a|)`): prefer the one that starts at the cursor unless it is a parenthesis.
      const next = tokens[mid + 1];
      if (t.end === offset && next && next.start === offset && next.kind !== 'rparen' && next.kind !== 'lparen') return next;
      return t;
    }
  }
  return undefined;
}

/** Index of the last token that starts before `offset` (-1 when none). */
export function tokenIndexBefore(tree: ParseTree, offset: number): number {
  const tokens = tree.tokens;
  let lo = 0;
  let hi = tokens.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((tokens[mid] as Token).start < offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The lists containing `offset`, outermost first. */
export function enclosingLists(tree: ParseTree, offset: number): SList[] {
  const out: SList[] = [];
  let level: SNode[] = tree.nodes;
  for (;;) {
    const list = findList(level, offset);
    if (!list) return out;
    out.push(list);
    level = list.children;
  }
}

function findList(nodes: SNode[], offset: number): SList | undefined {
  let lo = 0;
  let hi = nodes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const n = nodes[mid] as SNode;
    if (n.end <= offset && !(isList(n) && n.close === undefined && n.end === offset)) lo = mid + 1;
    else if (n.start >= offset) hi = mid - 1;
    else return isList(n) ? n : undefined;
  }
  return undefined;
}
