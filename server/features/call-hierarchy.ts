// textDocument/prepareCallHierarchy, callHierarchy/incomingCalls and /outgoingCalls: who calls a function and whom it calls
// (`call`, `return_call` and `ref.func`, direct references only; call_indirect has no static callee).
import { SymbolKind, type CallHierarchyIncomingCall, type CallHierarchyItem, type CallHierarchyOutgoingCall, type Position } from 'vscode-languageserver/node';
import type { FuncField, SymbolRef, TextModule } from '../../core/text/index';
import { signatureOf } from '../describe';
import type { Analysis } from '../documents';
import { symbolAt } from '../symbol-at';

/** What an item carries between prepare and the calls requests: the module (by its start) and the function index. */
interface ItemData {
  moduleStart: number;
  funcIndex: number;
}

function item(analysis: Analysis, m: TextModule, f: FuncField): CallHierarchyItem {
  const def = f.def;
  const selection = def.name !== undefined ? analysis.range(def.nameStart, def.nameEnd) : analysis.range(f.node.start, f.node.start + 1);
  return {
    name: def.name ?? `func ${f.index}`,
    kind: SymbolKind.Function,
    detail: signatureOf(m, def),
    uri: analysis.uri,
    range: analysis.range(f.node.start, f.node.end),
    selectionRange: selection,
    data: { moduleStart: m.node?.start ?? 0, funcIndex: f.index } satisfies ItemData,
  };
}

function resolve(analysis: Analysis, data: unknown): { m: TextModule; f: FuncField } | undefined {
  const d = data as Partial<ItemData> | undefined;
  if (typeof d?.funcIndex !== 'number') return undefined;
  const m = analysis.modules.find((x) => (x.node?.start ?? 0) === d.moduleStart) ?? analysis.modules[0];
  const f = m?.funcs[d.funcIndex];
  return m && f ? { m, f } : undefined;
}

/** textDocument/prepareCallHierarchy */
export function prepareCallHierarchy(analysis: Analysis, position: Position): CallHierarchyItem[] | null {
  const hit = symbolAt(analysis, analysis.offsetAt(position));
  if (!hit?.def || hit.def.kind !== 'func') return null;
  const f = hit.module.funcs[hit.def.index];
  return f ? [item(analysis, hit.module, f)] : null;
}

/** callHierarchy/incomingCalls */
export function incomingCalls(analysis: Analysis, target: CallHierarchyItem): CallHierarchyIncomingCall[] {
  const found = resolve(analysis, target.data);
  if (!found) return [];
  const byCaller = new Map<number, SymbolRef[]>();
  for (const ref of found.f.def.references) {
    if (ref.funcIndex === undefined) continue; // an export or elem segment, not a call
    byCaller.set(ref.funcIndex, [...(byCaller.get(ref.funcIndex) ?? []), ref]);
  }
  const out: CallHierarchyIncomingCall[] = [];
  for (const [caller, refs] of byCaller) {
    const f = found.m.funcs[caller];
    if (f) out.push({ from: item(analysis, found.m, f), fromRanges: refs.map((r) => analysis.range(r.start, r.end)) });
  }
  return out;
}

/** callHierarchy/outgoingCalls */
export function outgoingCalls(analysis: Analysis, source: CallHierarchyItem): CallHierarchyOutgoingCall[] {
  const found = resolve(analysis, source.data);
  if (!found) return [];
  const byCallee = new Map<number, SymbolRef[]>();
  for (const instr of found.f.body) {
    if (instr.op !== 'call' && instr.op !== 'return_call' && instr.op !== 'ref.func') continue;
    const ref = instr.refs?.[0];
    if (!ref?.def) continue;
    byCallee.set(ref.def.index, [...(byCallee.get(ref.def.index) ?? []), ref]);
  }
  const out: CallHierarchyOutgoingCall[] = [];
  for (const [callee, refs] of byCallee) {
    const f = found.m.funcs[callee];
    if (f) out.push({ to: item(analysis, found.m, f), fromRanges: refs.map((r) => analysis.range(r.start, r.end)) });
  }
  return out;
}
