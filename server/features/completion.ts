// textDocument/completion: names in scope after `local.get $`, `call $`, `br $`..., field keywords after `(`, instructions in code.
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Position } from 'vscode-languageserver/node';
import { allInstructions, headKeyword, type SymbolDef, type TextModule } from '../../core/text/index';
import { describeDef, signatureOf, storageText } from '../describe';
import type { Analysis } from '../documents';
import { instructionDoc } from '../instruction-docs';
import { funcAt, labelsAt } from '../scope';
import { enclosingLists, tokenIndexBefore } from '../token-at';

type NameSpace = 'local' | 'global' | 'func' | 'label' | 'type' | 'table' | 'memory' | 'elem' | 'data' | 'tag';

/** Which index space an instruction's immediate names. */
const IMMEDIATE_SPACE: Record<string, NameSpace> = {
  'local.get': 'local', 'local.set': 'local', 'local.tee': 'local',
  'global.get': 'global', 'global.set': 'global',
  call: 'func', return_call: 'func', 'ref.func': 'func',
  br: 'label', br_if: 'label', br_table: 'label',
  'table.get': 'table', 'table.set': 'table', 'table.size': 'table', 'table.grow': 'table', 'table.fill': 'table', 'table.copy': 'table', 'table.init': 'elem',
  'elem.drop': 'elem', 'data.drop': 'data', 'memory.init': 'data',
  'memory.size': 'memory', 'memory.grow': 'memory', 'memory.fill': 'memory', 'memory.copy': 'memory',
  call_indirect: 'table', return_call_indirect: 'table',
  call_ref: 'type', return_call_ref: 'type', throw: 'tag', br_on_cast: 'label', br_on_cast_fail: 'label',
  'struct.new': 'type', 'struct.new_default': 'type', 'struct.get': 'type', 'struct.get_s': 'type', 'struct.get_u': 'type', 'struct.set': 'type',
  'array.new': 'type', 'array.new_default': 'type', 'array.new_fixed': 'type', 'array.new_data': 'type', 'array.new_elem': 'type',
  'array.get': 'type', 'array.get_s': 'type', 'array.get_u': 'type', 'array.set': 'type', 'array.fill': 'type', 'array.copy': 'type',
  'array.init_data': 'type', 'array.init_elem': 'type',
  catch: 'tag', catch_ref: 'tag', catch_all: 'label', catch_all_ref: 'label',
};

/** The second immediate of a two-index instruction: `array.new_data $t $|` names a data segment, `struct.get $t $|` a field. */
const SECOND_SPACE: Record<string, NameSpace | 'field'> = {
  'struct.get': 'field', 'struct.get_s': 'field', 'struct.get_u': 'field', 'struct.set': 'field',
  'array.new_data': 'data', 'array.init_data': 'data', 'array.new_elem': 'elem', 'array.init_elem': 'elem', 'array.copy': 'type',
  catch: 'label', catch_ref: 'label', 'table.copy': 'table', 'memory.copy': 'memory',
};

/** Loads, stores and the other instructions whose first immediate may be a memory (multi-memory). */
function isMemoryInstr(op: string): boolean {
  return /^(i32|i64|f32|f64|v128)\.(load|store)|^memory\.(size|grow|fill|copy|init)$|^(i32|i64)\.atomic\.|^memory\.atomic\./.test(op);
}

/** After `(kw` inside these lists, a name of this space follows. */
const LIST_SPACE: Record<string, NameSpace> = { type: 'type', func: 'func', global: 'global', table: 'table', memory: 'memory', start: 'func' };

const MODULE_FIELDS = ['func', 'type', 'import', 'export', 'memory', 'table', 'global', 'data', 'elem', 'start'];
const FUNC_HEADS = ['param', 'result', 'local', 'type', 'export', 'import'];
const SCRIPT_COMMANDS = ['module', 'assert_return', 'assert_trap', 'assert_invalid', 'assert_malformed', 'assert_unlinkable', 'assert_exhaustion', 'invoke', 'get', 'register'];
const VALUE_TYPES = ['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref', 'exnref', 'anyref', 'eqref', 'i31ref', 'structref', 'arrayref', 'nullref', 'nullfuncref', 'nullexternref', 'nullexnref'];
/** Struct fields and array elements may also be packed. */
const STORAGE_TYPES = [...VALUE_TYPES, 'i8', 'i16'];
const CONST_INSTRUCTIONS = ['i32.const', 'i64.const', 'f32.const', 'f64.const', 'v128.const', 'global.get', 'ref.null', 'ref.func', 'i32.add', 'i32.sub', 'i32.mul', 'i64.add', 'i64.sub', 'i64.mul'];

const KIND: Record<SymbolDef['kind'], CompletionItemKind> = {
  func: CompletionItemKind.Function, global: CompletionItemKind.Variable, param: CompletionItemKind.Variable, local: CompletionItemKind.Variable,
  label: CompletionItemKind.Reference, type: CompletionItemKind.Interface, table: CompletionItemKind.Struct, memory: CompletionItemKind.Struct,
  elem: CompletionItemKind.Value, data: CompletionItemKind.Value, tag: CompletionItemKind.Event, field: CompletionItemKind.Field,
};

/** textDocument/completion */
export function completion(analysis: Analysis, position: Position): CompletionItem[] {
  const offset = analysis.offsetAt(position);
  const tree = analysis.tree;
  const tokens = tree.tokens;
  let i = tokenIndexBefore(tree, offset);
  // The word being typed (ends at the cursor) is replaced; what precedes it decides the context.
  const current = tokens[i];
  let word: { start: number; end: number } | undefined;
  if (current && current.end >= offset && current.start < offset && (current.kind === 'keyword' || current.kind === 'id' || current.kind === 'reserved' || current.kind === 'number')) {
    word = { start: current.start, end: current.end };
    i--;
  }
  const prev = tokens[i];
  const typed = word ? analysis.text.slice(word.start, offset) : '';
  const module = analysis.moduleAt(offset);
  const range = word ? analysis.range(word.start, word.end) : analysis.range(offset, offset);
  const withEdit = (items: CompletionItem[]): CompletionItem[] => items.map((item) => ({ ...item, textEdit: { range, newText: item.insertText ?? item.label } }));

  if (prev && module) {
    const prevText = prev.text;
    const space = IMMEDIATE_SPACE[prevText] ?? (isMemoryInstr(prevText) && typed.startsWith('$') ? 'memory' : undefined);
    const beforePrev = tokens[i - 1];
    if (space) return withEdit(names(module, space, offset, prevText));
    // `struct.get $t |`: the fields of $t; `array.new_data $t |`: data segments; `(catch $e |`: labels.
    const second = beforePrev ? SECOND_SPACE[beforePrev.text] : undefined;
    if (second && (prev.kind === 'id' || prev.kind === 'number')) {
      if (second !== 'field') return withEdit(names(module, second, offset));
      return withEdit(fieldNames(module, prev.text));
    }
    // `(ref $|`, `(ref null $|` in a type, and the `(type $|` of a type use.
    if (prevText === 'ref' || (prevText === 'null' && beforePrev?.text === 'ref') || ((prevText === 'sub' || prevText === 'final') && typed.startsWith('$'))) {
      return withEdit(names(module, 'type', offset));
    }
    // `(type $|`, `(func $|` inside an export / elem / start, `(call $f $|`...
    if (prev.kind === 'keyword' && beforePrev?.kind === 'lparen' && typed.startsWith('$')) {
      const lists = enclosingLists(tree, offset);
      const parent = lists[lists.length - 2];
      const listSpace = LIST_SPACE[prevText];
      const parentHead = parent ? headKeyword(parent) : undefined;
      const defining = (prevText === 'func' || prevText === 'global' || prevText === 'table' || prevText === 'memory') && (parentHead === 'module' || parent === undefined);
      if (listSpace && !defining && !(prevText === 'type' && parentHead === 'module')) return withEdit(names(module, listSpace, offset));
    }
    if (prev.kind === 'lparen') return withEdit(listHeads(analysis, offset));
    // `(elem ... func $a $|`: function names follow the `func` keyword of an element segment.
    const innermostList = enclosingLists(tree, offset).at(-1);
    if (innermostList && headKeyword(innermostList) === 'elem' && innermostList.children.some((c) => c.kind === 'keyword' && c.text === 'func' && c.end <= offset)) {
      return withEdit(names(module, 'func', offset));
    }
    if (typed.startsWith('$')) {
      // After a name or index immediate (`br_table $a $b |`), more of the same space follow.
      const j = tokens.slice(Math.max(0, i - 8), i + 1).reverse().find((t) => IMMEDIATE_SPACE[t.text] !== undefined);
      if (j) return withEdit(names(module, IMMEDIATE_SPACE[j.text] as NameSpace, offset));
      return [];
    }
  }
  if (prev?.kind === 'lparen' || (!module && analysis.language === 'wast')) return withEdit(listHeads(analysis, offset));
  const lists = enclosingLists(tree, offset);
  const innermost = lists[lists.length - 1];
  const head = innermost ? headKeyword(innermost) : undefined;
  const valueTypes = (): CompletionItem[] => VALUE_TYPES.map((t) => ({ label: t, kind: CompletionItemKind.TypeParameter }));
  const parentHead = lists.length >= 2 ? headKeyword(lists[lists.length - 2]!) : undefined;
  const storage = head === 'field' || head === 'array' || (head === 'mut' && (parentHead === 'field' || parentHead === 'array'));
  if (storage) return withEdit(STORAGE_TYPES.map((t) => ({ label: t, kind: CompletionItemKind.TypeParameter })));
  if (head === 'param' || head === 'result' || head === 'local' || head === 'mut') return withEdit(valueTypes());
  if (head === 'global' && innermost && !innermost.children.slice(1).some((c) => c.kind === 'list' || (c.kind === 'keyword' && VALUE_TYPES.includes(c.text)))) {
    // `(global $g |`: the type comes first.
    return withEdit(valueTypes());
  }
  if (head === 'global' || head === 'offset' || head === 'item' || head === 'elem' || head === 'data') return withEdit(instructionItems(CONST_INSTRUCTIONS));
  if (module && funcAt(module, offset)) return withEdit(instructionItems(allInstructions().map((x) => x.name)));
  return [];
}

function names(module: TextModule, space: NameSpace, offset: number, op?: string): CompletionItem[] {
  const f = funcAt(module, offset);
  let defs: SymbolDef[];
  if (space === 'local') defs = f ? [...f.params, ...f.locals].map((l) => l.def) : [];
  else if (space === 'label') defs = f ? labelsAt(f, offset) : [];
  else defs = module.symbols.defs.filter((d) => d.space === space && d.funcIndex === undefined && !(space === 'type' && module.types[d.index]?.implicit));
  // struct.* and array.* take a type of that kind: offer those first.
  if (space === 'type') {
    const before = op ? (op.startsWith('struct.') ? 'struct' : op.startsWith('array.') ? 'array' : op.includes('call_ref') ? 'func' : undefined) : undefined;
    if (before) defs = defs.filter((d) => (module.types[d.index]?.gc?.kind ?? 'func') === before);
  }
  return defs.map((d, order) => ({
    label: d.name ?? String(space === 'label' ? order : d.index),
    kind: KIND[d.kind],
    detail: signatureOf(module, d),
    documentation: { kind: 'markdown', value: ['```wasm', describeDef(module, d), '```'].join('\n') },
    // Labels innermost first (that is the order of their depths); everything else in index order.
    sortText: String(order).padStart(5, '0'),
  }));
}

/** The fields of the struct type named `typeText` (a `$name` or an index). */
function fieldNames(module: TextModule, typeText: string): CompletionItem[] {
  const t = /^\d+$/.test(typeText) ? module.types[Number(typeText)] : module.types.find((x) => x.def.name === typeText);
  if (t?.gc?.kind !== 'struct') return [];
  return t.gc.fields.map((f, i) => ({
    label: f.name ?? String(i),
    kind: CompletionItemKind.Field,
    detail: storageText(module, f),
    documentation: { kind: 'markdown', value: `Field ${i} of \`${t.def.name ?? t.index}\`${f.mutable ? ', mutable' : ''}.` },
    sortText: String(i).padStart(5, '0'),
  }));
}

function instructionItems(namesToOffer: readonly string[]): CompletionItem[] {
  return namesToOffer.map((name) => {
    const doc = instructionDoc(name);
    return {
      label: name,
      kind: CompletionItemKind.Keyword,
      detail: doc?.signature,
      documentation: doc?.doc,
    };
  });
}

/** Keywords that may open a list here: module fields, func parts, script commands, or folded instructions. */
function listHeads(analysis: Analysis, offset: number): CompletionItem[] {
  const lists = enclosingLists(analysis.tree, offset);
  // The innermost list is the one just opened at the cursor; its parent decides.
  const parent = lists.length >= 2 ? lists[lists.length - 2] : undefined;
  const head = parent ? headKeyword(parent) : undefined;
  const keyword = (label: string, snippet?: string): CompletionItem =>
    snippet ? { label, kind: CompletionItemKind.Keyword, insertText: snippet, insertTextFormat: InsertTextFormat.Snippet } : { label, kind: CompletionItemKind.Keyword };
  if (head === undefined) return (analysis.language === 'wast' ? SCRIPT_COMMANDS : ['module', ...MODULE_FIELDS]).map((k) => keyword(k));
  if (head === 'module') return MODULE_FIELDS.map((k) => keyword(k));
  const module = analysis.moduleAt(offset);
  if (head === 'func' && module && funcAt(module, offset)) return [...FUNC_HEADS.map((k) => keyword(k)), ...instructionItems(allInstructions().map((x) => x.name))];
  if (head === 'func') return FUNC_HEADS.map((k) => keyword(k));
  if (module && funcAt(module, offset)) return [...['then', 'else'].map((k) => keyword(k)), ...instructionItems(allInstructions().map((x) => x.name))];
  if (head === 'global' || head === 'elem' || head === 'data') return [...['mut', 'offset', 'item'].map((k) => keyword(k)), ...instructionItems(CONST_INSTRUCTIONS)];
  if (head === 'import') return ['func', 'memory', 'table', 'global'].map((k) => keyword(k));
  if (head === 'export') return ['func', 'memory', 'table', 'global'].map((k) => keyword(k));
  return [];
}
