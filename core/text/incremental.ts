// Incremental re-parsing of a `.wat` module: after an edit inside one function's locals and
// instructions, only that function is lexed and read again; everything after it moves by the
// edit's length, and the rest of the tree, the model and the symbol table are kept. Moving is
// cheap: each top-level field's tokens, lists and symbols keep offsets relative to the field's
// {@link Anchor}, so a field moves by one write to its anchor, whatever its size.
import { buildLists, isList, replacedChild, type Diagnostic, type ParseTree, type SList, type SNode } from './cst';
import { scanFields } from './field-scan';
import { lex, type Token } from './lexer';
import { Anchor } from './line-index';
import type { Instr, TextModule } from './model';
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

  // The field's anchor (its start does not move), and the anchors after it, which move by `delta`.
  const anchor = list.open.anchor;
  const anchors = tree.anchors;
  const k = anchorIndex(anchors, anchor);
  if (k < 0 || anchor.base !== list.start) return false;

  // The one LineIndex every token, definition and reference reads the text through.
  const lines = tree.lines;
  lines.applyEdit(text, change.start, change.oldEnd, change.newEnd);
  (tree as { text: string }).text = text;

  const lexed = lex(text, lines, list.start, oldEnd + delta, anchor);
  const errors: Diagnostic[] = lexed.errors.map((e) => ({ ...e }));
  const built = buildLists(lexed.tokens, errors);
  const node = built.nodes[0];
  if (built.nodes.length !== 1 || !isList(node)) throw new Error('incremental parse: the rescanned function is not one list');

  // Where the old function's tokens and annotations are, found before anything moves.
  const tokenSpan = [lowerBound(tree.tokens, list.start), lowerBound(tree.tokens, oldEnd)] as const;
  const commentSpan = [lowerBound(tree.comments, list.start), lowerBound(tree.comments, oldEnd)] as const;
  const annotations = tree.annotations.filter((a) => a.start < list.start || a.start >= oldEnd);
  // Move everything after the old function (tokens, lists and symbols with their anchors; errors and
  // instructions, plain offsets, one by one), then put the new function's parts in place of the old ones.
  if (delta !== 0) {
    for (let i = k + 1; i < anchors.length; i++) (anchors[i] as Anchor).base += delta;
    shiftModule(module, list, oldEnd, delta);
  }
  tree.tokens.splice(tokenSpan[0], tokenSpan[1] - tokenSpan[0], ...lexed.tokens);
  tree.comments.splice(commentSpan[0], commentSpan[1] - commentSpan[0], ...lexed.comments);
  tree.errors = [...tree.errors.filter((e) => e.start < list.start || e.start >= oldEnd).map((e) => shifted(e, oldEnd, delta)), ...errors].sort((a, b) => a.start - b.start);
  tree.annotations = [...annotations, ...built.annotations].sort((a, b) => a.start - b.start);
  fields[at] = node;
  if (module.node) replacedChild(module.node, list, node);
  for (const e of module.exports) if (e.node === list) e.node = node;
  for (const t of module.types) if (t.node === list) t.node = node;
  if (!ModuleBuilder.rebuildFunc(module, fn, node, features)) throw new Error('incremental parse: the function could not be read again');
  return true;
}

/**
 * Gives each top-level field of a parsed `.wat` text its own {@link Anchor} (at its `(`): its tokens
 * (and the comments and tokens between it and the previous field) keep offsets relative to it from
 * now on, and so do the lists and symbols built over them. The tokens after the last field get one
 * more. Called by parseWat before the model is built.
 */
export function anchorFields(tree: ParseTree, fields: readonly SNode[]): void {
  const lists = fields.filter(isList);
  const anchors = lists.map((f) => new Anchor(tree.lines, f.start));
  const last = lists[lists.length - 1];
  anchors.push(new Anchor(tree.lines, last ? last.end : 0));
  const ends = lists.map((f) => f.end);
  for (const tokens of [tree.tokens, tree.comments]) {
    let f = 0;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as Token;
      while (f < ends.length && t.start >= (ends[f] as number)) f++;
      t.rebase(anchors[f] as Anchor);
    }
  }
  tree.anchors = anchors;
}

/** The index of `anchor` in `anchors` (sorted by base), or -1. */
function anchorIndex(anchors: readonly Anchor[], anchor: Anchor): number {
  let lo = 0;
  let hi = anchors.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((anchors[mid] as Anchor).base < anchor.base) lo = mid + 1;
    else hi = mid;
  }
  return anchors[lo] === anchor ? lo : -1;
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

/** Moves the model's plain offsets after `from` by `delta`: errors and instructions (its symbols
 * moved with their anchors); the function `skip` is read again instead. */
function shiftModule(m: TextModule, skip: SList, from: number, delta: number): void {
  const fnIndex = m.funcs.findIndex((f) => f.node === skip);
  const ownErrors = new Set(m.funcs[fnIndex]?.owned?.errors);
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

function shiftInstrs(list: Instr[], from: number, delta: number): void {
  for (let k = 0; k < list.length; k++) {
    const i = list[k] as Instr;
    if (i.end < from) continue;
    if (i.start >= from) i.start += delta;
    i.end += delta;
  }
}
