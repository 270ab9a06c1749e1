// Checks a `.wat` module again after an edit inside one function body without making wabt (or our
// validator) read the whole text: every other body whose diagnostics are known is replaced by
// `unreachable` in a compact copy of the module, and its known diagnostics are added back.
import { scanFields, scanModule, type FieldSpan } from '../text/field-scan';
import { lex } from '../text/lexer';
import { LineIndex } from '../text/line-index';
import { changedRegion, type TextChange } from '../text/text-change';
import { checkDocument, checkModuleTextDetailed, type CheckOptions, type ModuleCheck } from './check-document';
import { mayUseNewSyntax, usesNewSyntax } from './new-syntax';
import type { CheckDiagnostic } from './types';
import type { Wabt } from './wabt-loader';

/** A diagnostic inside a function body, at offsets relative to its field's start (fields move; bodies keep their text). */
interface BodyDiagnostic {
  start: number;
  end: number;
  message: string;
  severity: CheckDiagnostic['severity'];
  source: CheckDiagnostic['source'];
}

interface Field extends FieldSpan {
  /** The body's diagnostics are {@link diagnostics}, complete (it was last checked by a validating run). */
  known: boolean;
  diagnostics: BodyDiagnostic[];
  /** mayUseNewSyntax / usesNewSyntax of the field's text, computed once per field text. */
  hint?: boolean;
  uses?: boolean;
  /** Line breaks in the private part (a replaced body keeps them). */
  lineBreaks?: number;
}

/** Where a stretch of the compact text came from: `[at, at + length)` of it is `[from, from + length)` of the document. */
interface Segment {
  at: number;
  from: number;
  length: number;
}

/** How the last check went (the tests and the server status read it). */
export type CheckKind = 'full' | 'incremental' | 'unchanged';

/** The diagnostics of one document over its versions; holds the last version's text and layout. */
export class IncrementalChecker {
  private text: string | undefined;
  private optionsKey = '';
  private from = 0;
  private to = 0;
  private fields: Field[] = [];
  private last: CheckDiagnostic[] = [];
  /** The lines of {@link text}, moved through each edit rather than built again. */
  private lines: LineIndex | undefined;
  /** What the last {@link check} did. */
  lastKind: CheckKind = 'full';
  /** Why the last check was a full one. */
  lastReason = '';
  /** How many bodies the last incremental check replaced by `unreachable`. */
  lastStubbed = 0;

  /** Exactly {@link checkDocument}'s diagnostics for `text` (sorted by position when checked incrementally). */
  check(wabt: Wabt, text: string, options: CheckOptions): CheckDiagnostic[] {
    const key = JSON.stringify([options.language, options.features, options.maxDiagnostics]);
    if (options.language !== 'wat' || this.text === undefined || key !== this.optionsKey) return this.full(wabt, text, options, key, this.text === undefined ? 'no earlier layout' : 'other options');
    if (text === this.text) {
      this.lastKind = 'unchanged';
      return this.last;
    }
    const change = changedRegion(this.text, text);
    const edited = this.editedBody(text, change);
    if (edited === undefined) return this.full(wabt, text, options, key, 'the edit is not inside one function body');
    const result = this.compactCheck(wabt, text, options, edited, change);
    return result ?? this.full(wabt, text, options, key, 'an error in another body is not known exactly');
  }

  /** The index of the function whose private part (locals and instructions) holds the whole change, with the layout moved past it; undefined otherwise. */
  private editedBody(text: string, change: TextChange): number | undefined {
    const fields = this.fields;
    let lo = 0;
    let hi = fields.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((fields[mid] as Field).start <= change.start) lo = mid;
      else hi = mid - 1;
    }
    const f = fields[lo];
    // Strictly inside: the `(func` header before privateStart and the closing `)` untouched.
    if (!f || f.head !== 'func' || change.start < f.privateStart || f.privateStart >= f.end - 1 || change.oldEnd > f.end - 1) return undefined;
    const delta = change.newEnd - change.oldEnd;
    const rescanned = scanFields(text, f.start, f.end + delta);
    const g = rescanned?.length === 1 ? rescanned[0] : undefined;
    if (!g || g.head !== 'func' || g.end !== f.end + delta || g.privateStart !== f.privateStart) return undefined;
    fields[lo] = { ...g, known: false, diagnostics: [] };
    for (let i = lo + 1; i < fields.length; i++) {
      const h = fields[i] as Field;
      h.start += delta;
      h.end += delta;
      h.privateStart += delta;
    }
    this.to += delta;
    return lo;
  }

  /** Checks everything, and learns the layout and each body's diagnostics from the result. */
  private full(wabt: Wabt, text: string, options: CheckOptions, key: string, why: string): CheckDiagnostic[] {
    this.lastKind = 'full';
    this.lastReason = why;
    this.text = undefined;
    this.lines = undefined;
    this.fields = [];
    if (options.language !== 'wat') return checkDocument(wabt, text, options);
    const shape = scanModule(text);
    if (!shape) return checkDocument(wabt, text, options);
    const result = checkModuleTextDetailed(wabt, text, options.features);
    const lines = new LineIndex(text);
    this.lines = lines;
    this.fields = shape.fields.map((f) => ({ ...f, known: false, diagnostics: [] }));
    this.from = shape.from;
    this.to = shape.to;
    this.learn(result, this.fields, result.diagnostics.map((d) => offsetsOf(d, lines)));
    this.text = text;
    this.optionsKey = key;
    const max = options.maxDiagnostics ?? 1000;
    this.last = result.diagnostics.length > max ? result.diagnostics.slice(0, max) : result.diagnostics;
    return this.last;
  }

  /** After a check of `real` bodies: which of them now have known diagnostics (offsets are the document's). */
  private learn(result: ModuleCheck, real: Field[], offsets: { start: number; end: number }[]): void {
    for (const f of real) {
      f.known = false;
      f.diagnostics = [];
    }
    if (!result.perBody) return;
    const bodies = real.filter((f) => f.head === 'func' && f.privateStart < f.end - 1);
    let b = 0;
    const order = offsets.map((o, i) => ({ o, d: result.diagnostics[i] as CheckDiagnostic })).sort((x, y) => x.o.start - y.o.start);
    for (const { o, d } of order) {
      while (b < bodies.length && (bodies[b] as Field).end <= o.start) b++;
      const f = bodies[b];
      if (f && o.start >= f.privateStart && o.start < f.end) {
        f.diagnostics.push({ start: o.start - f.start, end: o.end - f.start, message: d.message, severity: d.severity, source: d.source });
      }
    }
    for (const f of bodies) f.known = true;
  }

  /** The compact check after an edit in body `edited`; undefined when its answer would not be exact. */
  private compactCheck(wabt: Wabt, text: string, options: CheckOptions, edited: number, change: TextChange): CheckDiagnostic[] | undefined {
    const pieces: string[] = [];
    const segments: Segment[] = [];
    let at = 0;
    const verbatim = (from: number, to: number): void => {
      if (to <= from) return;
      segments.push({ at, from, length: to - from });
      pieces.push(text.slice(from, to));
      at += to - from;
    };
    const synthetic = (s: string): void => {
      pieces.push(s);
      at += s.length;
    };
    // Lines are kept (a message may name one: "line 23: unknown operator"); a replaced body keeps its line breaks.
    const stubbed: Field[] = [];
    const real: Field[] = [];
    let copied = 0;
    for (let i = 0; i < this.fields.length; i++) {
      const f = this.fields[i] as Field;
      if (i !== edited && f.head === 'func' && f.known && !f.declaresTypes && f.privateStart < f.end - 1) {
        stubbed.push(f);
        verbatim(copied, f.privateStart);
        synthetic(` unreachable${'\n'.repeat((f.lineBreaks ??= lineBreaks(text, f.privateStart, f.end)))})`);
        copied = f.end;
      } else real.push(f);
    }
    verbatim(copied, text.length);
    const compact = pieces.join('');
    const outside = text.slice(0, this.from) + text.slice(this.to);
    const result = checkModuleTextDetailed(wabt, compact, options.features, {
      mayUseNew: mayUseNewSyntax(outside) || this.fields.some((f) => this.hint(text, f)),
      usesNew: () => this.fields.some((f) => this.uses(text, f)) || usesNewSyntax(lex(outside).tokens, outside),
    });
    // Our validator stops at its first error, and after a parse error wabt does not validate: an
    // error in a replaced body would then be missing, or extra.
    if (!result.perBody && stubbed.some((f) => f.diagnostics.length > 0)) return undefined;
    const compactLines = new LineIndex(compact);
    let lines = this.lines;
    if (lines && lines.text === this.text) lines.applyEdit(text, change.start, change.oldEnd, change.newEnd);
    else lines = new LineIndex(text);
    this.lines = lines;
    const toDocument = (offset: number): number => {
      let lo = 0;
      let hi = segments.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((segments[mid] as Segment).at <= offset) lo = mid;
        else hi = mid - 1;
      }
      const s = segments[lo];
      if (!s) return 0;
      return s.from + Math.min(offset - s.at, s.length);
    };
    const offsets = result.diagnostics.map((d) => {
      const o = offsetsOf(d, compactLines);
      return { start: toDocument(o.start), end: toDocument(o.end) };
    });
    this.learn(result, real, offsets);
    const out: { start: number; d: CheckDiagnostic }[] = result.diagnostics.map((d, i) => {
      const o = offsets[i] as { start: number; end: number };
      return { start: o.start, d: { ...d, range: plain(lines, o.start, o.end) } };
    });
    if (result.perBody) {
      for (const f of stubbed) {
        for (const d of f.diagnostics) {
          out.push({ start: f.start + d.start, d: { range: plain(lines, f.start + d.start, f.start + d.end), message: d.message, severity: d.severity, source: d.source } });
        }
      }
    }
    out.sort((a, b) => a.start - b.start);
    this.text = text;
    this.lastKind = 'incremental';
    this.lastStubbed = stubbed.length;
    const max = options.maxDiagnostics ?? 1000;
    this.last = out.slice(0, max).map((x) => x.d);
    return this.last;
  }

  private hint(text: string, f: Field): boolean {
    return (f.hint ??= mayUseNewSyntax(text.slice(f.start, f.end)));
  }

  private uses(text: string, f: Field): boolean {
    if (f.uses === undefined) {
      const own = text.slice(f.start, f.end);
      f.uses = this.hint(text, f) && usesNewSyntax(lex(own).tokens, own);
    }
    return f.uses;
  }
}

function lineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function offsetsOf(d: CheckDiagnostic, lines: LineIndex): { start: number; end: number } {
  return { start: lines.offsetAt(d.range.start.line, d.range.start.character), end: lines.offsetAt(d.range.end.line, d.range.end.character) };
}

function plain(lines: LineIndex, start: number, end: number): CheckDiagnostic['range'] {
  const s = lines.positionAt(start);
  const e = lines.positionAt(end);
  return { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } };
}
