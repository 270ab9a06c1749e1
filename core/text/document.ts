// Entry points for a `.wat` text: one parse (tokens, CST, model, symbols) shared by every consumer.
import { isList, parseTree, type Diagnostic, type ParseTree, type SList, type SNode } from './cst';
import type { LineIndex } from './line-index';
import type { Features } from '../features';
import type { TextModule } from './model';
import { buildModule as buildModuleUnsafe } from './module-builder';
import { anchorFields } from './incremental';

/**
 * The model builder, with a last-resort guard: an editor must never see an exception from a
 * parse, so an internal failure becomes an empty model with one error (and is not hidden).
 */
export function buildModule(lines: LineIndex, fields: SNode[], node: SList | undefined, name: string | undefined, features?: Features): TextModule {
  try {
    return buildModuleUnsafe(lines, fields, node, name, features);
  } catch (e) {
    const empty = buildModuleUnsafe(lines, [], node, name);
    const at = node ?? fields[0];
    empty.errors.push({
      message: `internal parser error: ${e instanceof Error ? e.message : String(e)}`,
      start: at?.start ?? 0,
      end: at?.end ?? 0,
    });
    return empty;
  }
}

export interface WatDocument {
  tree: ParseTree;
  module: TextModule;
  /** Every error: lexical, bracket and model errors, sorted by position. */
  errors: Diagnostic[];
}

/** Parses a `.wat` text: a single `(module ...)` or a sequence of bare module fields. Never throws.
 * `features` (default: the engine's) decides where the text format changed (memory64 offsets). */
export function parseWat(text: string, features?: Features): WatDocument {
  const tree = parseTree(text);
  const nodes = tree.nodes.filter((n) => !(isList(n) && n.annotation !== undefined));
  const first = nodes[0];
  let module: TextModule;
  if (isList(first) && first.children[0]?.kind === 'keyword' && text.slice(first.children[0].start, first.children[0].end) === 'module') {
    // Each field's offsets relative to its own start, so that an edit moves later fields cheaply.
    if (nodes.length === 1) anchorFields(tree, first.children);
    module = moduleFromList(tree.lines, first, features);
    for (const extra of nodes.slice(1)) {
      module.errors.push({ message: 'unexpected token: only one module per .wat file', start: extra.start, end: extra.end });
    }
  } else if (isList(first) && first.children[0]?.kind === 'keyword' && text.slice(first.children[0].start, first.children[0].end) === 'component') {
    // Component text is read by core/component/text.ts, not as a core module: say so rather than "unexpected token".
    module = buildModule(tree.lines, [], undefined, undefined, features);
    const kw = first.children[0];
    module.errors.push({
      message: 'component text (component ...) is not a core module: it is read by the component text parser (parseComponentText), not parseWat',
      start: kw.start,
      end: kw.end,
    });
  } else {
    anchorFields(tree, nodes);
    module = buildModule(tree.lines, nodes, undefined, undefined, features);
  }
  const errors = [...tree.errors, ...module.errors].sort((a, b) => a.start - b.start);
  return { tree, module, errors };
}

/**
 * Builds the model of a `(module $id? field*)` list. `binary` and `quote` modules (scripts only)
 * yield an empty model with an error; parseWast handles them itself.
 */
export function moduleFromList(lines: LineIndex, list: SList, features?: Features): TextModule {
  // `(module definition $id? ...)` (a script command) holds an ordinary module.
  const def = list.children[1];
  let i = def !== undefined && def.kind === 'keyword' && lines.text.slice(def.start, def.end) === 'definition' ? 2 : 1;
  let name: string | undefined;
  const id = list.children[i];
  if (id !== undefined && id.kind === 'id') {
    name = lines.text.slice(id.start, id.end);
    i++;
  }
  const kw = list.children[i];
  const fields: SNode[] = list.children.slice(i);
  const m = buildModule(lines, kw !== undefined && kw.kind === 'keyword' ? [] : fields, list, name, features);
  if (kw !== undefined && kw.kind === 'keyword') {
    const word = lines.text.slice(kw.start, kw.end);
    m.errors.push({
      message: word === 'binary' || word === 'quote' ? `a ${word} module is only allowed in a .wast script` : `unexpected token '${word}': expected a module field`,
      start: kw.start,
      end: kw.end,
    });
  }
  return m;
}
