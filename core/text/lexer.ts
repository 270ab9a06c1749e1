// The WebAssembly text-format lexer: every token (comments included) with its offsets; never throws.
// Follows the spec's token rules, so `1x`, `data"a"` and `$l$l`-style runs are single tokens.
import { Anchor, LineIndex, type Range } from './line-index';

export type TokenKind =
  | 'lparen'
  | 'rparen'
  /** `(@name`: opens an annotation; `text` includes the parenthesis. */
  | 'annot'
  | 'keyword'
  | 'id'
  | 'number'
  | 'string'
  /** Any other run of identifier characters (spec: "reserved"), e.g. `1x`, `data"a"`. */
  | 'reserved'
  | 'lineComment'
  | 'blockComment'
  /** A character that starts no token, or an unterminated string / comment. */
  | 'error';

export class Token {
  /** Offsets relative to the anchor's base (see {@link Anchor}). */
  private s: number;
  private e: number;

  constructor(
    readonly kind: TokenKind,
    /** UTF-16 offset of the first character. */
    start: number,
    /** UTF-16 offset just past the last character. */
    end: number,
    /** The origin the offsets are kept relative to (and the text, through its line index). */
    private anchorRef: Anchor,
    /** For a quoted identifier (`$"..."`): the identifier it denotes, so `$"fh"` and `$fh` are one
     * name (Wasm 3.0 text). */
    private readonly canonical?: string,
  ) {
    this.s = start - anchorRef.base;
    this.e = end - anchorRef.base;
  }

  /** UTF-16 offset of the first character. */
  get start(): number {
    return this.s + this.anchorRef.base;
  }

  /** UTF-16 offset just past the last character. */
  get end(): number {
    return this.e + this.anchorRef.base;
  }

  get anchor(): Anchor {
    return this.anchorRef;
  }

  /** Keeps the token's offsets relative to `anchor` from now on (they stay where they are). */
  rebase(anchor: Anchor): void {
    const d = this.anchorRef.base - anchor.base;
    this.s += d;
    this.e += d;
    this.anchorRef = anchor;
  }

  get text(): string {
    return this.canonical ?? this.anchorRef.lines.text.slice(this.start, this.end);
  }

  /** Whether the token's text is exactly `word` (no string allocated). */
  is(word: string): boolean {
    return this.e - this.s === word.length && this.anchorRef.lines.text.startsWith(word, this.start);
  }

  /** 0-based line / UTF-16 character positions (computed on demand; cheap). */
  get range(): Range {
    return this.anchorRef.lines.range(this.start, this.end);
  }
}

export interface LexError {
  message: string;
  start: number;
  end: number;
}

export interface LexResult {
  /** Significant tokens (no comments, no whitespace). */
  tokens: Token[];
  comments: Token[];
  errors: LexError[];
  lines: LineIndex;
}

// idchar per the spec: 0-9 A-Z a-z and ! # $ % & ' * + - . / : < = > ? @ \ ^ _ ` | ~
const IDCHAR = new Uint8Array(128);
for (let c = 48; c <= 57; c++) IDCHAR[c] = 1;
for (let c = 65; c <= 90; c++) IDCHAR[c] = 1;
for (let c = 97; c <= 122; c++) IDCHAR[c] = 1;
for (const ch of "!#$%&'*+-./:<=>?@\\^_`|~") IDCHAR[ch.charCodeAt(0)] = 1;

/** `,` `;` `[` `]` `{` `}`: not idchars, but part of reserved tokens in Wasm 3.0's text format. */
function isReservedChar(c: number): boolean {
  return c === 44 || c === 59 || c === 91 || c === 93 || c === 123 || c === 125;
}

export function isIdChar(c: number): boolean {
  return c < 128 && IDCHAR[c] === 1;
}

const NUMBER_RE =
  /^[+-]?(?:(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][+-]?\d(?:_?\d)*)?)|(?:0x[0-9a-fA-F](?:_?[0-9a-fA-F])*(?:\.(?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?)?(?:[pP][+-]?\d(?:_?\d)*)?)|inf|nan|nan:0x[0-9a-fA-F](?:_?[0-9a-fA-F])*)$/;

/** Whether a run of idchars is a number literal (integer or float, any form). */
export function isNumberText(s: string): boolean {
  return NUMBER_RE.test(s);
}

/** The tokens of `text`, or of `[from, to)` of it (offsets stay the whole text's: an incremental re-parse lexes one field).
 * The tokens keep their offsets relative to `anchor` (by default one at 0 over `lines`). */
export function lex(text: string, lines: LineIndex = new LineIndex(text), from = 0, to = text.length, anchor: Anchor = new Anchor(lines, 0)): LexResult {
  const tokens: Token[] = [];
  const comments: Token[] = [];
  const errors: LexError[] = [];
  const n = to;
  let i = from;

  // Scans a string body starting at the opening quote; returns the offset after the closing quote,
  // or -1 when the string is unterminated (errors are recorded by the caller).
  const scanString = (from: number): number => {
    let j = from + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 34) return j + 1;
      if (c === 10 || c === 13) return -1;
      if (c === 92) j += 2;
      else j++;
    }
    return -1;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    if (c === 40) {
      const next = text.charCodeAt(i + 1);
      if (next === 59) {
        // block comment, nesting
        const start = i;
        let depth = 1;
        i += 2;
        while (i < n && depth > 0) {
          const d = text.charCodeAt(i);
          if (d === 40 && text.charCodeAt(i + 1) === 59) {
            depth++;
            i += 2;
          } else if (d === 59 && text.charCodeAt(i + 1) === 41) {
            depth--;
            i += 2;
          } else i++;
        }
        if (depth > 0) {
          errors.push({ message: 'unclosed block comment', start, end: n });
          comments.push(new Token('blockComment', start, n, anchor));
        } else comments.push(new Token('blockComment', start, i, anchor));
        continue;
      }
      if (next === 64 /* @ */ && isIdChar(text.charCodeAt(i + 2))) {
        let j = i + 2;
        while (j < n && isIdChar(text.charCodeAt(j))) j++;
        tokens.push(new Token('annot', i, j, anchor));
        i = j;
        continue;
      }
      if (next === 64 && text.charCodeAt(i + 2) === 34) {
        // `(@"name"`: the name must be non-empty UTF-8.
        const e = scanString(i + 2);
        if (e > 0) {
          const d = decodeString(text.slice(i + 2, e));
          const name = d.error ? undefined : utf8ToString(d.bytes);
          if (d.error) errors.push({ message: d.error, start: i, end: e });
          else if (d.bytes.length === 0) errors.push({ message: 'empty annotation id', start: i, end: e });
          else if (name === undefined) errors.push({ message: 'malformed UTF-8 encoding', start: i, end: e });
          tokens.push(new Token('annot', i, e, anchor));
          i = e;
          continue;
        }
      }
      if (next === 64) errors.push({ message: 'empty annotation id', start: i, end: i + 2 });
      tokens.push(new Token('lparen', i, i + 1, anchor));
      i++;
      continue;
    }
    if (c === 41) {
      tokens.push(new Token('rparen', i, i + 1, anchor));
      i++;
      continue;
    }
    if (c === 59 && text.charCodeAt(i + 1) === 59) {
      const start = i;
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      comments.push(new Token('lineComment', start, i, anchor));
      continue;
    }
    if (c === 34 || isIdChar(c) || (isReservedChar(c) && !(c === 59 && text.charCodeAt(i + 1) === 59))) {
      // A maximal run of idchars and strings; its shape decides its kind.
      const start = i;
      let sawString = false;
      let sawIdChar = false;
      let sawReserved = false;
      let broken = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 34) {
          const e = scanString(i);
          sawString = true;
          if (e < 0) {
            errors.push({ message: 'unclosed string', start: i, end: Math.min(n, lineEnd(text, i)) });
            i = lineEnd(text, i);
            broken = true;
            break;
          }
          i = e;
        } else if (isIdChar(d)) {
          sawIdChar = true;
          i++;
        } else if (isReservedChar(d) && !(d === 59 && text.charCodeAt(i + 1) === 59)) {
          // Wasm 3.0: `, ; [ ] { }` are reserved-token characters (meaningful only in annotations).
          sawReserved = true;
          i++;
        } else break;
      }
      let kind: TokenKind;
      if (broken) kind = 'error';
      else if (sawReserved) kind = 'reserved';
      else if (sawString && !sawIdChar) {
        // a single string, or adjacent strings (`"a""b"`, reserved)
        kind = scanString(start) === i ? 'string' : 'reserved';
      } else if (sawString) {
        // `$"name"` is an identifier (Wasm 3.0 text); anything else mixing is reserved
        kind = text.charCodeAt(start) === 36 && scanString(start + 1) === i ? 'id' : 'reserved';
      } else {
        const first = c;
        if (first === 36) kind = i - start > 1 ? 'id' : 'reserved';
        else if (
          (first >= 48 && first <= 57) || first === 43 || first === 45 ||
          // only `inf`, `nan` and `nan:0x...` among words starting with i / n can be numbers
          (first === 105 && i - start === 3 && text.startsWith('inf', start)) ||
          (first === 110 && text.startsWith('nan', start) && (i - start === 3 || text.charCodeAt(start + 3) === 58))
        ) {
          kind = isPlainDecimal(text, start, i) || isNumberText(text.slice(start, i)) ? 'number' : first >= 97 ? 'keyword' : 'reserved';
        } else if (first >= 97 && first <= 122) kind = 'keyword';
        else kind = 'reserved';
      }
      if (kind === 'id' && sawString) {
        tokens.push(quotedId(text, start, i, anchor, errors));
        continue;
      }
      tokens.push(new Token(kind, start, i, anchor));
      continue;
    }
    // Any other character (non-ASCII outside strings/comments, control chars, `,`, `[`, ...).
    const start = i;
    const cp = text.codePointAt(i) ?? c;
    i += cp > 0xffff ? 2 : 1;
    errors.push({ message: `unexpected character '${String.fromCodePoint(cp)}'`, start, end: i });
    tokens.push(new Token('error', start, i, anchor));
  }
  return { tokens, comments, errors, lines };
}

/** Fast path for the most common literal: digits only (optionally signed). */
function isPlainDecimal(text: string, start: number, end: number): boolean {
  let i = start;
  const c0 = text.charCodeAt(i);
  if (c0 === 43 || c0 === 45) i++;
  if (i >= end) return false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function lineEnd(text: string, from: number): number {
  let j = from;
  while (j < text.length && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
  return j;
}

/**
 * The bytes a string literal denotes (escapes decoded, other characters UTF-8 encoded).
 * `error` is set for an invalid escape or a control character; the bytes are best effort then.
 */
/** A `$"..."` identifier: its name must be non-empty UTF-8. It denotes the same identifier as the
 * plain `$name` when every character is an idchar; otherwise its canonical text is `$"` + the
 * decoded name + `"` (escapes resolved, so `$"\41"` and `$"A"` are one name). */
function quotedId(text: string, start: number, end: number, anchor: Anchor, errors: LexError[]): Token {
  const d = decodeString(text.slice(start + 1, end));
  const name = d.error ? undefined : utf8ToString(d.bytes);
  if (d.error) errors.push({ message: d.error, start, end });
  else if (d.bytes.length === 0) errors.push({ message: 'empty identifier', start, end });
  else if (name === undefined) errors.push({ message: 'malformed UTF-8 encoding', start, end });
  if (name === undefined || name.length === 0) return new Token('id', start, end, anchor);
  let plain = true;
  for (let k = 0; k < name.length; k++) if (!isIdChar(name.charCodeAt(k))) plain = false;
  return new Token('id', start, end, anchor, plain ? `$${name}` : `$"${name}"`);
}

export function decodeString(literal: string): { bytes: Uint8Array; error?: string } {
  const out: number[] = [];
  let error: string | undefined;
  const end = literal.length - 1; // skip the closing quote
  for (let i = 1; i < end; i++) {
    const c = literal.charCodeAt(i);
    if (c === 92) {
      const e = literal.charCodeAt(++i);
      switch (e) {
        case 116: out.push(9); break; // \t
        case 110: out.push(10); break; // \n
        case 114: out.push(13); break; // \r
        case 34: out.push(34); break;
        case 39: out.push(39); break;
        case 92: out.push(92); break;
        case 117: { // \u{hex}
          const m = /^\{([0-9a-fA-F](?:_?[0-9a-fA-F])*)\}/.exec(literal.slice(i + 1, end));
          if (!m || !m[1]) {
            error ??= 'malformed escape in string';
            break;
          }
          const cp = parseInt(m[1].replace(/_/g, ''), 16);
          if (cp >= 0x110000 || (cp >= 0xd800 && cp < 0xe000)) error ??= 'malformed escape in string';
          else pushUtf8(out, cp);
          i += m[0].length;
          break;
        }
        default: {
          const h1 = hexVal(e);
          const h2 = hexVal(literal.charCodeAt(i + 1));
          if (h1 < 0 || h2 < 0) {
            error ??= 'malformed escape in string';
            break;
          }
          out.push(h1 * 16 + h2);
          i++;
        }
      }
      continue;
    }
    if (c < 0x20 || c === 0x7f) error ??= 'malformed string: control character';
    if (c < 0x80) out.push(c);
    else {
      const cp = literal.codePointAt(i) ?? c;
      if (cp > 0xffff) i++;
      pushUtf8(out, cp);
    }
  }
  return error === undefined ? { bytes: Uint8Array.from(out) } : { bytes: Uint8Array.from(out), error };
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

/** Decodes UTF-8 strictly; undefined when the bytes are not valid UTF-8 (names must be). */
// ignoreBOM: a leading U+FEFF is part of a name (names.wast exports one), not a byte-order mark.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8ToString(bytes: Uint8Array): string | undefined {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) >= 0x80) ascii = false;
  if (ascii) return String.fromCharCode(...bytes);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}
