// Answers a point request (hover, definition) on the last parsed version of a document while the
// newest is not parsed yet, when the edits since then cannot change the answer: they lie inside one
// function's instructions, change no list structure, string or comment, and the request is outside
// that function. Positions are mapped through the edit both ways; an answer touching it is dropped.
import { LineIndex } from '../core/text/index';
import type { Analysis } from './documents';
import { funcAt } from './scope';

/** The methods whose answer depends only on the text at the position and on module-level definitions. */
export const STALE_SAFE = new Set(['textDocument/hover', 'textDocument/definition', 'textDocument/declaration', 'textDocument/typeDefinition']);

import { changedRegion, type TextChange } from '../core/text/text-change';


/** Characters whose editing can change lists, strings, comments or annotations. */
const STRUCTURAL = /[()";@]/;

export interface StaleView {
  previous: Analysis;
  change: TextChange;
  /** The newest text's lines (the newest version itself is not parsed). */
  lines: LineIndex;
  /** New-text offsets a request must stay out of. */
  avoid: { start: number; end: number };
}

/** Whether `previous` can stand in for `current` at all, and around which region. */
export function staleView(current: Analysis, previous: Analysis): StaleView | undefined {
  const change = changedRegion(previous.text, current.text);
  // Edited back to the parsed text: the previous parse is this version's, exactly.
  if (change.start === change.oldEnd && change.start === change.newEnd) return { previous, change, lines: previous.tree.lines, avoid: { start: 1, end: 0 } };
  const before = previous.text.slice(change.start, change.oldEnd);
  const after = current.text.slice(change.start, change.newEnd);
  if (STRUCTURAL.test(before) || STRUCTURAL.test(after)) return undefined;
  const module = previous.moduleAt(change.start);
  const f = module ? funcAt(module, change.start) : undefined;
  // Inside the instructions of one function: past its params, locals and type use, before its `)`.
  const first = f?.body.find((i) => !i.implicit);
  if (!f || !first || change.start < first.start || change.oldEnd >= f.node.end) return undefined;
  // Any word of a body can change how the rest of that body reads (a label's block kind, an index,
  // a local's name): requests anywhere in the edited function wait for the new parse.
  const delta = change.newEnd - change.oldEnd;
  const avoid = { start: f.node.start, end: f.node.end + delta };
  return { previous, change, lines: new LineIndex(current.text), avoid };
}

interface Pos {
  line: number;
  character: number;
}

/**
 * The route's answer computed on the previous version, positions mapped to the newest text; undefined
 * when the request or any position in the answer touches the edited region.
 */
export function staleAnswer(view: StaleView, params: { position?: Pos }, run: (a: Analysis, params: unknown) => unknown): unknown {
  const pos = params.position;
  if (!pos) return undefined;
  const { change, lines, previous } = view;
  const delta = change.newEnd - change.oldEnd;
  const offset = lines.offsetAt(pos.line, pos.character);
  if (offset >= view.avoid.start && offset <= view.avoid.end) return undefined;
  const oldOffset = offset < change.start ? offset : offset - delta;
  const oldLines = previous.tree.lines;
  const at = oldLines.positionAt(oldOffset);
  const answer = run(previous, { ...params, position: { line: at.line, character: at.character } });
  let touched = false;
  const toNew = (p: Pos): Pos => {
    const o = oldLines.offsetAt(p.line, p.character);
    if (o > change.start && o < change.oldEnd) touched = true;
    const n = lines.positionAt(o <= change.start ? o : o + delta);
    return { line: n.line, character: n.character };
  };
  const mapped = mapPositions(answer, toNew);
  return touched ? undefined : mapped;
}

/** A copy of `value` with every `{ line, character }` object replaced by `f` of it. */
function mapPositions(value: unknown, f: (p: Pos) => Pos): unknown {
  if (Array.isArray(value)) return value.map((v) => mapPositions(v, f));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if (typeof o.line === 'number' && typeof o.character === 'number' && Object.keys(o).length === 2) return f(o as unknown as Pos);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = mapPositions(v, f);
  return out;
}
