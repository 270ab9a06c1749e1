// textDocument/formatting and /rangeFormatting: re-indents by nesting (lists and flat blocks) and normalizes spacing.
// Line breaks, comments and token text are kept as written, so the result is stable and formatting twice changes nothing.
import type { FormattingOptions, Range, TextEdit } from 'vscode-languageserver/node';
import type { Token } from '../../core/text/index';
import type { Analysis } from '../documents';

const FLAT_OPEN = new Set(['block', 'loop', 'if', 'try', 'try_table']);

/** A line longer than this that holds a whole struct or rec group is split: one field (or type) per line. */
const LONG_LINE = 100;

/** List heads whose children of the given kind go on their own lines when the line is long. */
const SPLIT_CHILD: Record<string, string> = { struct: 'field', rec: 'type' };

/** textDocument/formatting */
export function formatDocument(analysis: Analysis, options: FormattingOptions): TextEdit[] {
  const lines = formatLines(analysis, options);
  // Whole-document formatting also collapses runs of blank lines and ends the file with one newline.
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  const eol = analysis.text.includes('\r\n') ? '\r\n' : '\n';
  const formatted = out.length === 0 ? '' : out.join(eol) + eol;
  if (formatted === analysis.text) return [];
  return [{ range: analysis.range(0, analysis.text.length), newText: formatted }];
}

/** textDocument/rangeFormatting: the lines the range touches, re-indented in the context of the whole document. */
export function formatRange(analysis: Analysis, range: Range, options: FormattingOptions): TextEdit[] {
  const lines = formatLines(analysis, options);
  const index = analysis.tree.lines;
  const edits: TextEdit[] = [];
  const last = Math.min(range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line, lines.length - 1);
  for (let line = range.start.line; line <= last; line++) {
    const span = index.lineSpan(line);
    const before = analysis.text.slice(span.start, span.end);
    const after = lines[line] ?? before;
    if (after !== before) edits.push({ range: analysis.range(span.start, span.end), newText: after });
  }
  return edits;
}

/** One formatted string per line of the document, line for line. */
function formatLines(analysis: Analysis, options: FormattingOptions): string[] {
  const tree = analysis.tree;
  const text = analysis.text;
  const index = tree.lines;
  const unit = options.insertSpaces === false ? '\t' : ' '.repeat(Math.max(1, Math.min(options.tabSize || 2, 8)));
  const all: Token[] = mergeByStart(tree.tokens, tree.comments);
  const result: string[] = [];
  for (let line = 0; line < index.lineCount; line++) {
    const span = index.lineSpan(line);
    result.push(text.slice(span.start, span.end).trimEnd());
  }
  let depth = 0;
  // Flat blocks open inside a list; each remembers the list depth it belongs to, so a missing `end` cannot leak out.
  const flat: number[] = [];
  let i = 0;
  while (i < all.length) {
    const first = all[i] as Token;
    const line = index.lineAt(first.start);
    const lineTokens: Token[] = [];
    let multiLineTail = false;
    while (i < all.length && index.lineAt((all[i] as Token).start) === line) {
      const t = all[i] as Token;
      lineTokens.push(t);
      i++;
      if (index.lineAt(t.end) !== line) {
        multiLineTail = true;
        break;
      }
    }
    // Dedent for the closers and flat `end`/`else` that start the line.
    let leadingClose = 0;
    for (const t of lineTokens) {
      if (t.kind === 'rparen') leadingClose++;
      else break;
    }
    const firstWord = lineTokens[0]?.kind === 'keyword' ? text.slice(lineTokens[0].start, lineTokens[0].end) : '';
    let flatDepth = flat.length;
    if ((firstWord === 'end' || firstWord === 'else' || firstWord === 'catch' || firstWord === 'catch_all' || firstWord === 'delegate') && flat.length > 0 && flat[flat.length - 1] === depth) flatDepth--;
    const indent = unit.repeat(Math.max(0, depth - leadingClose) + flatDepth);
    // A line that starts inside a multi-line block comment was left out of `all`; it keeps its text.
    const joined = (splitAt?: Set<number>): string => {
      let body = '';
      let prev: Token | undefined;
      let open = 0;
      lineTokens.forEach((t, k) => {
        const piece = index.lineAt(t.end) === line ? text.slice(t.start, t.end) : text.slice(t.start, index.lineSpan(line).end);
        if (splitAt?.has(k)) body = `${body.trimEnd()}\n${indent}${unit.repeat(open)}`;
        // `(@name` carries its name, so a space follows it as after any word; `( ;;` must keep its space or it becomes `(;;`, a block comment.
        else if (prev && (prev.kind !== 'lparen' || t.kind === 'lineComment' || t.kind === 'blockComment') && t.kind !== 'rparen') body += ' ';
        body += piece;
        if (t.kind === 'lparen' || t.kind === 'annot') open++;
        else if (t.kind === 'rparen') open = Math.max(0, open - 1);
        prev = t;
      });
      return indent + body.trimEnd();
    };
    const plain = joined();
    const splits = plain.length > LONG_LINE ? splitPoints(lineTokens, text) : undefined;
    result[line] = splits && splits.size > 0 ? joined(splits) : plain;
    // Update nesting with this line's tokens.
    for (let k = 0; k < lineTokens.length; k++) {
      const t = lineTokens[k] as Token;
      if (t.kind === 'lparen' || t.kind === 'annot') depth++;
      else if (t.kind === 'rparen') {
        depth = Math.max(0, depth - 1);
        while (flat.length > 0 && (flat[flat.length - 1] as number) > depth) flat.pop();
      } else if (t.kind === 'keyword') {
        const word = text.slice(t.start, t.end);
        const folded = lineTokens[k - 1]?.kind === 'lparen';
        if (FLAT_OPEN.has(word) && !folded) flat.push(depth);
        else if (word === 'end' && !folded && flat.length > 0 && flat[flat.length - 1] === depth) flat.pop();
      }
    }
    if (multiLineTail) {
      // Lines covered by a multi-line block comment stay verbatim, and so does the rest of its last line.
      const comment = lineTokens[lineTokens.length - 1] as Token;
      const endLine = index.lineAt(comment.end);
      while (i < all.length && index.lineAt((all[i] as Token).start) === endLine) {
        const t = all[i] as Token;
        if (t.kind === 'lparen' || t.kind === 'annot') depth++;
        else if (t.kind === 'rparen') depth = Math.max(0, depth - 1);
        i++;
      }
    }
  }
  return result;
}

/**
 * Where a long line breaks: before each `(field` of a struct with two or more fields and each
 * `(type` of a rec group, when that struct or rec group opens and closes on this line (token indices).
 */
function splitPoints(tokens: Token[], text: string): Set<number> {
  const out = new Set<number>();
  const stack: { head: string; children: number[] }[] = [];
  tokens.forEach((t, k) => {
    if (t.kind === 'lparen') {
      const next = tokens[k + 1];
      const head = next?.kind === 'keyword' ? text.slice(next.start, next.end) : '';
      const parent = stack[stack.length - 1];
      if (parent && SPLIT_CHILD[parent.head] === head) parent.children.push(k);
      stack.push({ head, children: [] });
    } else if (t.kind === 'rparen') {
      const list = stack.pop();
      if (list && list.children.length >= 2) for (const c of list.children) out.add(c);
    }
  });
  return out;
}

function mergeByStart(a: Token[], b: Token[]): Token[] {
  const out: Token[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && (a[i] as Token).start < (b[j] as Token).start)) out.push(a[i++] as Token);
    else out.push(b[j++] as Token);
  }
  return out;
}
