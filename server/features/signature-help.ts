// textDocument/signatureHelp: the callee's parameters inside `(call $f ...)` and `(call_indirect (type $t) ...)`, the active one highlighted.
import type { Position, SignatureHelp } from 'vscode-languageserver/node';
import { headKeyword, isList, type FuncType, type SList } from '../../core/text/index';
import { paramNamesOf } from '../describe';
import type { Analysis } from '../documents';
import { enclosingLists } from '../token-at';

const CALLS = new Set(['call', 'return_call', 'call_indirect', 'return_call_indirect']);

/** textDocument/signatureHelp */
export function signatureHelp(analysis: Analysis, position: Position): SignatureHelp | null {
  const offset = analysis.offsetAt(position);
  const module = analysis.moduleAt(offset);
  if (!module) return null;
  const lists = enclosingLists(analysis.tree, offset);
  let call: SList | undefined;
  for (let i = lists.length - 1; i >= 0; i--) {
    const list = lists[i] as SList;
    if (CALLS.has(headKeyword(list) ?? '')) {
      call = list;
      break;
    }
  }
  if (!call) return null;
  const head = headKeyword(call) as string;
  let label: string;
  let type: FuncType | undefined;
  let names: (string | undefined)[] = [];
  let argsFrom: number;
  if (head === 'call' || head === 'return_call') {
    const target = call.children[1];
    if (!target || isList(target)) return null;
    const ref = module.symbols.refs.find((r) => r.start === target.start);
    const f = ref?.def ? module.funcs[ref.def.index] : undefined;
    if (!f) return null;
    type = f.type;
    names = paramNamesOf(module, f.index);
    label = f.def.name ?? `func ${f.index}`;
    argsFrom = 2;
  } else {
    const use = call.children.find((c): c is SList => isList(c) && headKeyword(c) === 'type');
    const ref = use ? module.symbols.refs.find((r) => r.start === use.children[1]?.start) : undefined;
    const t = ref?.def ? module.types[ref.def.index] : undefined;
    if (!t) return null;
    type = t.type;
    names = t.paramNames;
    label = `${head} ${t.def.name ?? t.index}`;
    argsFrom = call.children.indexOf(use as SList) + 1;
  }
  const params = type.params.map((p, i) => (names[i] ? `(param ${names[i]} ${p})` : `(param ${p})`));
  const results = type.results.length > 0 ? ` (result ${type.results.join(' ')})` : '';
  // Operands written so far (folded arguments that end before the cursor) pick the active parameter.
  const written = call.children.slice(argsFrom).filter((c) => isList(c) && headKeyword(c) !== 'type' && c.end <= offset).length;
  const parameters: { label: [number, number] }[] = [];
  let text = `${label}(`;
  params.forEach((p, i) => {
    if (i > 0) text += ', ';
    parameters.push({ label: [text.length, text.length + p.length] });
    text += p;
  });
  text += `)${results}`;
  return { signatures: [{ label: text, parameters }], activeSignature: 0, activeParameter: Math.min(written, Math.max(0, params.length - 1)) };
}
