// In a .wast script, resolves the export an `(invoke "f")` / `(get "g")` names to the module field it exports.
import { decodeString, headKeyword, isList, utf8ToString, type ExportField, type SList, type TextModule } from '../core/text/index';
import type { Analysis } from './documents';

const WRAPPERS = new Set(['assert_return', 'assert_trap', 'assert_exhaustion', 'assert_exception']);

export interface ActionTarget {
  module: TextModule;
  export: ExportField;
  /** Offsets of the export name string in the action. */
  start: number;
  end: number;
}

/** The export named by the action string at `offset`, in the module the action runs against. */
export function actionTargetAt(analysis: Analysis, offset: number): ActionTarget | undefined {
  if (analysis.language !== 'wast') return undefined;
  const byNode = new Map<SList, TextModule>();
  for (const m of analysis.modules) if (m.node) byNode.set(m.node, m);
  let current: TextModule | undefined;
  const named = new Map<string, TextModule | undefined>();
  for (const node of analysis.tree.nodes) {
    if (!isList(node)) continue;
    const head = headKeyword(node);
    if (head === 'module') {
      current = byNode.get(node);
      const id = node.children[1];
      if (id?.kind === 'id') named.set(id.text, current);
      continue;
    }
    if (node.start > offset) return undefined;
    if (node.end < offset) continue;
    const action = head === 'invoke' || head === 'get' ? node : WRAPPERS.has(head ?? '') ? node.children[1] : undefined;
    if (!isList(action) || (headKeyword(action) !== 'invoke' && headKeyword(action) !== 'get')) return undefined;
    let k = 1;
    let target = current;
    const id = action.children[1];
    if (id?.kind === 'id') {
      target = named.get(id.text);
      k = 2;
    }
    const name = action.children[k];
    if (!target || !name || name.kind !== 'string' || offset < name.start || offset > name.end) return undefined;
    const decoded = utf8ToString(decodeString(name.text).bytes);
    const e = target.exports.find((x) => x.name === decoded);
    return e ? { module: target, export: e, start: name.start, end: name.end } : undefined;
  }
  return undefined;
}
