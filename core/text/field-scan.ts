// The top-level fields of a module's text found by paren depth alone, without tokenising it: the
// cheap first step of incremental checking and parsing (which field did an edit touch, where does
// a function's private part — its locals and instructions — begin).

/** One top-level `( ... )` field. Offsets are into the scanned text. */
export interface FieldSpan {
  /** Offset of the `(`. */
  start: number;
  /** Offset after the `)`. */
  end: number;
  /** The head keyword (`func`, `type`, ...); `@` for an annotation, '' when there is none. */
  head: string;
  /**
   * For `func`: where its locals and instructions begin (the first child that is neither its `$id`
   * nor an export, import, type, param or result list); `end - 1` when it has none. Text before it
   * decides the function's index, name and signature; text after it concerns the function alone.
   * For other fields, `start`.
   */
  privateStart: number;
  /** `func` only: its instructions declare a type (a `(param ...)` or multi-value `(result ...)` list), as call_indirect's and multi-value blocks' inline type uses do. */
  declaresTypes: boolean;
}

const HEADER_LISTS = new Set(['export', 'import', 'type', 'param', 'result']);

function isDelimiter(c: number): boolean {
  // whitespace, parentheses, quote, `;` (comments)
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 40 || c === 41 || c === 34 || c === 59;
}

/**
 * The fields between `from` and `to`, or undefined when the text there is not a sequence of
 * balanced lists (an atom outside any list, an unclosed list, string or block comment, a stray `)`).
 */
/** The index just past the string whose opening quote is at `at`; undefined if it does not end on
 * its line before `to` (the scan gives up on such text and the caller parses in full). */
function stringEnd(text: string, at: number, to: number): number | undefined {
  let j = at + 1;
  for (;;) {
    if (j >= to) return undefined;
    const e = text.charCodeAt(j);
    if (e === 34) return j + 1;
    if (e === 10 || e === 13) return undefined;
    j += e === 92 ? 2 : 1;
  }
}

export function scanFields(text: string, from = 0, to = text.length): FieldSpan[] | undefined {
  const fields: FieldSpan[] = [];
  let depth = 0;
  let i = from;
  let field: FieldSpan | undefined;
  // Per open list inside the current func: its head and how many children it has so far.
  const heads: string[] = [];
  const counts: number[] = [];
  let headerChildSeen = false; // the func's `$id` (its first child) has been passed
  const word = (at: number): string => {
    let j = at;
    while (j < to && !isDelimiter(text.charCodeAt(j))) j++;
    return text.slice(at, j);
  };
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    if (c === 59 && text.charCodeAt(i + 1) === 59) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl >= to ? to : nl + 1;
      continue;
    }
    if (c === 40 && text.charCodeAt(i + 1) === 59) {
      let d = 1;
      let j = i + 2;
      while (j < to && d > 0) {
        const e = text.charCodeAt(j);
        if (e === 40 && text.charCodeAt(j + 1) === 59) {
          d++;
          j += 2;
        } else if (e === 59 && text.charCodeAt(j + 1) === 41) {
          d--;
          j += 2;
        } else j++;
      }
      if (d > 0) return undefined;
      i = j;
      continue;
    }
    if (c === 40) {
      const head = text.charCodeAt(i + 1) === 64 ? '@' : word(i + 1);
      if (depth === 0) {
        field = { start: i, end: i, head, privateStart: i, declaresTypes: false };
        headerChildSeen = false;
        heads.length = 0;
        counts.length = 0;
      } else if (field?.head === 'func') {
        if (depth >= 2) counts[counts.length - 1]! += 1;
        if (depth === 1 && field.privateStart === field.start && head !== '@') {
          if (!HEADER_LISTS.has(head)) field.privateStart = i;
          headerChildSeen = true;
        }
        if (field.privateStart !== field.start && head === 'param') field.declaresTypes = true;
      }
      heads.push(head);
      counts.push(0);
      depth++;
      i++;
      // The head word is consumed with the paren, so it is not counted as a child.
      if (head !== '@') i += head.length;
      else i += 1 + word(i + 1).length;
      continue;
    }
    if (c === 41) {
      if (depth === 0) return undefined;
      depth--;
      const head = heads.pop();
      const count = counts.pop() ?? 0;
      i++;
      if (field?.head === 'func' && head === 'result' && depth >= 2 && count > 1) field.declaresTypes = true;
      if (depth === 0 && field) {
        field.end = i;
        if (field.privateStart === field.start && field.head === 'func') field.privateStart = i - 1;
        fields.push(field);
        field = undefined;
      }
      continue;
    }
    // An atom (or a string).
    if (depth === 0) return undefined;
    const atomStart = i;
    if (c === 34) {
      const end = stringEnd(text, i, to);
      if (end === undefined) return undefined;
      i = end;
    } else {
      // A lone `;` is no comment: a one-character (erroneous) atom.
      if (c === 59) i++;
      while (i < to && !isDelimiter(text.charCodeAt(i))) i++;
      // `$"quoted id"`: the string belongs to the atom.
      if (text.charCodeAt(i) === 34 && i === atomStart + 1 && c === 36) {
        const end = stringEnd(text, i, to);
        if (end === undefined) return undefined;
        i = end;
      }
    }
    if (field?.head === 'func') {
      if (depth >= 2) counts[counts.length - 1]! += 1;
      if (depth === 1 && field.privateStart === field.start) {
        const isId = text.charCodeAt(atomStart) === 36;
        if (!(isId && !headerChildSeen)) field.privateStart = atomStart;
        headerChildSeen = true;
      }
    }
  }
  return depth === 0 ? fields : undefined;
}

/** Where a `.wat` text's fields are: inside its `(module ...)`, or the whole text (bare fields). */
export interface ModuleShape {
  /** Offsets of the field sequence: after `(module $id?`, before its `)`; or 0 and the text's length. */
  from: number;
  to: number;
  fields: FieldSpan[];
}

/** The fields of a `.wat` module text; undefined when it is not one balanced module (or is a component). */
export function scanModule(text: string): ModuleShape | undefined {
  const top = scanFields(text);
  if (!top) return undefined;
  const real = top.filter((f) => f.head !== '@');
  const first = real[0];
  if (!first) return { from: 0, to: text.length, fields: top };
  if (first.head === 'component') return undefined;
  if (first.head !== 'module') return { from: 0, to: text.length, fields: top };
  if (real.length > 1) return undefined;
  // `(module $id? field*)`: skip the keyword and an optional id; `binary`/`quote` modules are scripts' business.
  let from = first.start + 1 + 'module'.length;
  while (from < first.end && /\s/.test(text[from] ?? '')) from++;
  if (text.charCodeAt(from) === 36) {
    while (from < first.end && !isDelimiter(text.charCodeAt(from))) from++;
    if (text.charCodeAt(from) === 34) return undefined;
  }
  const to = first.end - 1;
  const fields = scanFields(text, from, to);
  return fields ? { from, to, fields } : undefined;
}
