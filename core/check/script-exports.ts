// Finds `invoke`/`get` commands in a .wast script that name an export the targeted module does not have.
import { decodeString, headKeyword, isList, moduleFromList, utf8ToString, type ParseTree, type SList, type SNode } from '../text/index';

export interface MissingExport {
  /** The export name as written (decoded). */
  name: string;
  /** Offsets of the name string in the command. */
  start: number;
  end: number;
  /** The module that lacks it (its `(module` list), for a fix that adds the export. */
  module: SList;
}

const WRAPPERS = new Set(['assert_return', 'assert_trap', 'assert_exhaustion', 'assert_exception']);

/** Every action whose export is missing from its module; modules we cannot read (binary, quote) are skipped. */
export function missingExports(tree: ParseTree): MissingExport[] {
  const out: MissingExport[] = [];
  const named = new Map<string, { list: SList; exports: Set<string> } | undefined>();
  let current: { list: SList; exports: Set<string> } | undefined;
  for (const node of tree.nodes) {
    if (!isList(node)) continue;
    const head = headKeyword(node);
    if (head === 'module') {
      current = readable(node) ? { list: node, exports: new Set(moduleFromList(tree.lines, node).exports.map((e) => e.name)) } : undefined;
      const id = node.children[1];
      if (id?.kind === 'id') named.set(id.text, current);
      continue;
    }
    const action = head === 'invoke' || head === 'get' ? node : WRAPPERS.has(head ?? '') ? node.children[1] : undefined;
    if (!isList(action)) continue;
    const actionHead = headKeyword(action);
    if (actionHead !== 'invoke' && actionHead !== 'get') continue;
    let k = 1;
    let target = current;
    const id: SNode | undefined = action.children[1];
    if (id?.kind === 'id') {
      target = named.get(id.text);
      k = 2;
    }
    const name = action.children[k];
    if (!target || !name || name.kind !== 'string') continue;
    const decoded = utf8ToString(decodeString(name.text).bytes);
    if (decoded !== undefined && !target.exports.has(decoded)) out.push({ name: decoded, start: name.start, end: name.end, module: target.list });
  }
  return out;
}

function readable(module: SList): boolean {
  let i = 1;
  if (module.children[i]?.kind === 'id') i++;
  const word = module.children[i];
  return !(word?.kind === 'keyword' && (word.text === 'binary' || word.text === 'quote' || word.text === 'instance' || word.text === 'definition'));
}
