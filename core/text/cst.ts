// The concrete syntax tree: balanced s-expressions over the lexer's tokens, with offsets.
// Error tolerant: a stray `)` is reported and skipped, unclosed lists are closed at the end.
import { decodeString, lex, utf8ToString, type LexError, type Token } from './lexer';
import { Anchor, LineIndex, type Range } from './line-index';

export interface SList {
  readonly kind: 'list';
  /** The `(` token, or the `(@name` token of an annotation. */
  readonly open: Token;
  /** The `)` token; undefined when the list is unclosed. */
  readonly close: Token | undefined;
  readonly children: SNode[];
  /** Offset of the `(`. */
  readonly start: number;
  /** Offset after the `)` (or after the last child when unclosed). */
  readonly end: number;
  /** Set for `(@name ...)`: the annotation's name without `@`. Annotations carry no module meaning. */
  readonly annotation: string | undefined;
}

/** A list of the tree: its offsets are its tokens', so it moves when they do (see {@link Anchor}). */
class ListNode implements SList {
  readonly kind = 'list';
  close: Token | undefined = undefined;
  /** The token the list ends with: its `)`, or the last token inside it when it is unclosed. */
  last: Token;
  children: SNode[] = [];

  constructor(
    readonly open: Token,
    readonly annotation: string | undefined,
  ) {
    this.last = open;
  }

  get start(): number {
    return this.open.start;
  }

  get end(): number {
    return this.last.end;
  }
}

export type SNode = SList | Token;

/** After its child `old` was replaced by `fresh` (an incremental re-parse): an unclosed `parent` that
 * ended where `old` did ends where `fresh` does. */
export function replacedChild(parent: SList, old: SList, fresh: SList): void {
  if (parent instanceof ListNode && old instanceof ListNode && fresh instanceof ListNode && parent.last === old.last) parent.last = fresh.last;
}

export function isList(n: SNode | undefined): n is SList {
  return n !== undefined && n.kind === 'list';
}

/** The keyword a list starts with (`func` for `(func ...)`), or undefined. */
export function headKeyword(list: SList): string | undefined {
  const first = list.children[0];
  return first !== undefined && first.kind === 'keyword' ? first.text : undefined;
}

export interface Diagnostic {
  message: string;
  start: number;
  end: number;
}

export interface ParseTree {
  text: string;
  lines: LineIndex;
  /** Every significant token, in order. */
  tokens: Token[];
  comments: Token[];
  /** Top-level nodes (lists, and any stray atoms). */
  nodes: SNode[];
  /** Lexical and bracket errors. */
  errors: Diagnostic[];
  /** Every `(@name ...)` annotation, in order. They carry no module meaning, so they are not
   * among their parent's `children` (nor in `nodes`): the spec allows them between any tokens. */
  annotations: SList[];
  /** The origins its tokens' offsets are relative to, in text order (see {@link Anchor}): one at 0
   * for every token, until parseWat gives each top-level field its own (core/text/incremental.ts). */
  anchors: Anchor[];
  /** Range of offsets as line/character positions. */
  range(start: number, end: number): Range;
}

/** The name of an annotation's `(@name` or `(@"name"` token. */
function annotationName(tok: Token): string {
  const raw = tok.text.slice(2);
  if (!raw.startsWith('"')) return raw;
  return utf8ToString(decodeString(raw).bytes) ?? raw;
}

export function parseTree(text: string): ParseTree {
  const lines = new LineIndex(text);
  const anchor = new Anchor(lines, 0);
  const lexed = lex(text, lines, 0, text.length, anchor);
  const errors: Diagnostic[] = lexed.errors.map((e: LexError) => ({ ...e }));
  const { nodes, annotations } = buildLists(lexed.tokens, errors);
  return {
    text,
    lines,
    tokens: lexed.tokens,
    comments: lexed.comments,
    nodes,
    errors,
    annotations,
    anchors: [anchor],
    range: (s, e) => lines.range(s, e),
  };
}

/** The s-expressions over `tokens`; bracket errors are added to `errors`. */
export function buildLists(tokens: readonly Token[], errors: Diagnostic[]): { nodes: SNode[]; annotations: SList[] } {
  const root: SNode[] = [];
  const annotations: SList[] = [];
  const stack: ListNode[] = [];
  let current: SNode[] = root;
  for (const tok of tokens) {
    if (tok.kind === 'lparen' || tok.kind === 'annot') {
      const list = new ListNode(tok, tok.kind === 'annot' ? annotationName(tok) : undefined);
      current.push(list);
      stack.push(list);
      current = list.children;
    } else if (tok.kind === 'rparen') {
      const list = stack.pop();
      if (!list) {
        errors.push({ message: "unexpected token ')'", start: tok.start, end: tok.end });
        continue;
      }
      list.close = tok;
      list.last = tok;
      // Lists stay alive as long as the tree; drop the spare capacity `push` left behind.
      if (list.children.length < 8) list.children = list.children.slice();
      const parent = stack[stack.length - 1];
      current = parent ? parent.children : root;
      if (list.annotation !== undefined) {
        current.pop();
        annotations.push(list);
      }
    } else {
      current.push(tok);
    }
  }
  // Unclosed lists end at their last child.
  while (stack.length > 0) {
    const list = stack.pop() as ListNode;
    const last = list.children[list.children.length - 1];
    if (last) {
      const tok = last.kind === 'list' ? (last as ListNode).last : last;
      if (tok.end > list.last.end) list.last = tok;
    }
    errors.push({ message: list.annotation !== undefined ? 'unclosed annotation' : "unclosed '(': expected ')'", start: list.start, end: list.open.end });
  }
  return { nodes: root, annotations };
}
