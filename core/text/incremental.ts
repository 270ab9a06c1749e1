// Incremental re-parsing of a `.wat` module: after an edit inside one function's locals and
// instructions, only that function is lexed and read again; everything after it moves by the
// edit's length, and the rest of the tree, the model and the symbol table are kept.
import { buildLists, isList, type Diagnostic, type ParseTree, type SList, type SNode } from './cst';
import { scanFields } from './field-scan';
import { lex, type Token } from './lexer';
import type { Instr, SymbolDef, SymbolRef, TextModule } from './model';
import { ModuleBuilder } from './module-builder';
import { changedRegion } from './text-change';
import type { Features } from '../features';

/** A parsed `.wat` text: the tree and its one module (what parseWat returns, less the merged errors). */
export interface ParsedText {
  tree: ParseTree;
  module: TextModule;
}

/**
 * Brings `parsed` (of `parsed.tree.text`) to `text` in place, when the texts differ only inside one
 * function's private part (its locals and instructions) and that function stays one balanced list
 * with the same header. Returns false, having changed nothing, otherwise (parse `text` afresh then).
 * Everything reachable from `parsed` is updated, so the previous version's parse is gone.
 */
export function reparseIncrementally(parsed: ParsedText, text: string, features?: Features): boolean {
  const { tree, module } = parsed;
  const old = tree.text;
  if (old === text) return true;
  const change = changedRegion(old, text);
  const fields: SNode[] = module.node ? module.node.children : tree.nodes;
  const at = fieldIndexAt(fields, change.start);
  const list = fields[at];
  if (!isList(list) || !list.close || list.annotation !== undefined) return false;
  const fn = module.funcs.find((f) => f.node === list);
  if (!fn || fn.import || !fn.owned || fn.owned.bodyTypes > 0) return false;
  const oldEnd = list.end;
  const delta = change.newEnd - change.oldEnd;
  // The header (name, exports, type use, params, results) and the closing `)` are untouched, and the
  // function is still one list with the same header: scanned by paren depth before anything changes.
  const before = scanFields(old, list.start, oldEnd);
  const privateStart = before?.[0]?.privateStart;
  if (privateStart === undefined || change.start < privateStart || privateStart >= oldEnd - 1 || change.oldEnd > oldEnd - 1) return false;
  const after = scanFields(text, list.start, oldEnd + delta);
  const g = after?.length === 1 ? after[0] : undefined;
  if (!g || g.head !== 'func' || g.end !== oldEnd + delta || g.privateStart !== privateStart || g.declaresTypes) return false;

  // The one LineIndex every token, definition and reference reads the text through.
  const lines = tree.lines;
  lines.applyEdit(text, change.start, change.oldEnd, change.newEnd);
  (tree as { text: string }).text = text;

  const lexed = lex(text, lines, list.start, oldEnd + delta);
  const errors: Diagnostic[] = lexed.errors.map((e) => ({ ...e }));
  const built = buildLists(lexed.tokens, errors);
  const node = built.nodes[0];
  if (built.nodes.length !== 1 || !isList(node)) throw new Error('incremental parse: the rescanned function is not one list');

  // Move everything after the old function, then put the new function's parts in place of the old ones.
  if (delta !== 0) {
    shiftModule(module, list, oldEnd, delta);
    shiftTree(tree, oldEnd, delta);
  }
  spliceSorted(tree.tokens, list.start, oldEnd, delta, lexed.tokens);
  spliceSorted(tree.comments, list.start, oldEnd, delta, lexed.comments);
  tree.errors = [...tree.errors.filter((e) => e.start < list.start || e.start >= oldEnd).map((e) => shifted(e, oldEnd, delta)), ...errors].sort((a, b) => a.start - b.start);
  const annotations = tree.annotations.filter((a) => a.start < list.start || a.start >= oldEnd);
  tree.annotations = [...annotations, ...built.annotations].sort((a, b) => a.start - b.start);
  fields[at] = node;
  for (const e of module.exports) if (e.node === list) e.node = node;
  for (const t of module.types) if (t.node === list) t.node = node;
  if (!ModuleBuilder.rebuildFunc(module, fn, node, features)) throw new Error('incremental parse: the function could not be read again');
  return true;
}

/** The index of the field whose span holds `offset` (the last one starting at or before it). */
function fieldIndexAt(fields: SNode[], offset: number): number {
  let lo = 0;
  let hi = fields.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((fields[mid] as SNode).start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function shifted<T extends { start: number; end: number }>(x: T, from: number, delta: number): T {
  if (x.start >= from) (x as { start: number }).start += delta;
  if (x.end >= from) (x as { end: number }).end += delta;
  return x;
}

/** Replaces the tokens in `[start, end)` by `fresh` and moves the ones after by `delta`. */
function spliceSorted(tokens: Token[], start: number, end: number, delta: number, fresh: Token[]): void {
  const first = lowerBound(tokens, start);
  const last = lowerBound(tokens, end);
  if (delta !== 0) for (let i = last; i < tokens.length; i++) {
    const t = tokens[i] as { start: number; end: number };
    t.start += delta;
    t.end += delta;
  }
  tokens.splice(first, last - first, ...fresh);
}

function lowerBound(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tokens[mid] as Token).start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Moves the lists after `from` (and the ends of those around it) by `delta`; tokens move with the token array. */
function shiftTree(tree: ParseTree, from: number, delta: number): void {
  // The lists around the field (the module) and every list after it; annotations are not
  // children of any list, so they (and the lists inside them) are walked on their own.
  const stack: SList[] = [];
  for (const n of tree.nodes) if (isList(n) && n.end >= from) stack.push(n);
  for (const a of tree.annotations) if (a.start >= from) stack.push(a);
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (n.start >= from) (n as { start: number }).start += delta;
    n.end += delta;
    const children = n.children;
    // Children are in order: the ones ending before `from` are untouched.
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i] as SNode;
      if (c.end < from) break;
      if (c.kind === 'list') stack.push(c);
    }
  }
}

/** Moves every offset after `from` in the model by `delta`; the function `skip` is read again instead.
 * One loop per kind of object, so that each stays monomorphic (a 1.5 MB module has ~150,000 of them). */
function shiftModule(m: TextModule, skip: SList, from: number, delta: number): void {
  const fnIndex = m.funcs.findIndex((f) => f.node === skip);
  const owned = m.funcs[fnIndex]?.owned;
  const ownRefs = new Set<SymbolRef>(owned?.refs);
  const ownDefs = new Set<SymbolDef>(owned?.defs);
  const ownErrors = new Set(owned?.errors);
  // References outside the symbol table: inline exports' and abbreviations' (at a definition's name).
  const loose = new Set<SymbolRef>();
  for (const e of m.exports) loose.add(e.ref);
  for (const e of m.elems) if (e.table) loose.add(e.table);
  for (const d of m.datas) if (d.memory) loose.add(d.memory);
  if (m.start) loose.add(m.start);
  const refs = m.symbols.refs;
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i] as SymbolRef;
    if (loose.size > 0) loose.delete(r);
    if (r.end < from || ownRefs.has(r)) continue;
    const w = r as { start: number; end: number };
    if (r.start >= from) w.start += delta;
    w.end += delta;
  }
  for (const r of loose) moveRef(r, from, delta);
  const defs = m.symbols.defs;
  for (let i = 0; i < defs.length; i++) {
    const d = defs[i] as SymbolDef;
    if (d.end < from || ownDefs.has(d)) continue;
    const w = d as { start: number; end: number; nameStart: number; nameEnd: number };
    if (d.start >= from) w.start += delta;
    w.end += delta;
    if (d.nameStart >= from) w.nameStart += delta;
    if (d.nameEnd >= from) w.nameEnd += delta;
  }
  for (const e of m.errors) {
    if (e.end < from || ownErrors.has(e)) continue;
    if (e.start >= from) e.start += delta;
    e.end += delta;
  }
  // Functions are in source order: only those after the edited one hold later instructions.
  for (let f = fnIndex + 1; f < m.funcs.length; f++) shiftInstrs((m.funcs[f] as { body: Instr[] }).body, from, delta);
  for (const g of m.globals) shiftInstrs(g.init, from, delta);
  for (const t of m.tables) if (t.init) shiftInstrs(t.init, from, delta);
  for (const e of m.elems) {
    shiftInstrs(e.offset, from, delta);
    for (const item of e.items) shiftInstrs(item, from, delta);
  }
  for (const d of m.datas) shiftInstrs(d.offset, from, delta);
}

function moveRef(r: SymbolRef, from: number, delta: number): void {
  const w = r as { start: number; end: number };
  if (r.start >= from) w.start += delta;
  if (r.end >= from) w.end += delta;
}

function shiftInstrs(list: Instr[], from: number, delta: number): void {
  for (let k = 0; k < list.length; k++) {
    const i = list[k] as Instr;
    if (i.end < from) continue;
    if (i.start >= from) i.start += delta;
    i.end += delta;
    // `memory.size` without an index: a zero-width reference kept only on its instruction.
    const refs = i.refs;
    if (refs) for (const r of refs) if (r.start === r.end && r.start >= from && r.text === '0') moveRef(r, from, delta);
  }
}
