// Maps UTF-16 offsets in a text to 0-based line / UTF-16 character positions and back (LSP's convention).

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 code unit within the line. */
  character: number;
  /** 0-based UTF-16 code unit offset into the whole text. */
  offset: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * A movable origin for offsets. The tokens, lists and symbols of one top-level field store their
 * offsets relative to the field's anchor, so when an edit before the field changes the text's
 * length, moving the whole field is one write to {@link base} (see core/text/incremental.ts).
 */
export class Anchor {
  constructor(
    readonly lines: LineIndex,
    /** The offset the relative offsets count from. */
    public base: number,
  ) {}
}

export class LineIndex {
  /** Offset at which each line starts; lineStarts[0] === 0. */
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      // The common case, scanned natively.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // \r\n, \r and \n all end a line, like LSP.
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  /**
   * Makes this the index of `text`, which differs from the current text only where `[start, oldEnd)`
   * became `[start, newEnd)`: line starts before the edit stay, those after it move. Used by
   * incremental parsing, where every token reads the text through one shared index.
   */
  applyEdit(text: string, start: number, oldEnd: number, newEnd: number): void {
    const self = this as { text: string; lineStarts: number[] };
    if (this.text.indexOf('\r') >= 0 || text.slice(start, newEnd).includes('\r')) {
      self.lineStarts = new LineIndex(text).lineStarts;
      self.text = text;
      return;
    }
    const starts = this.lineStarts;
    const delta = newEnd - oldEnd;
    // Line starts p with start < p <= oldEnd came from a `\n` in the edited text.
    const first = this.lineAt(start) + 1;
    let last = first;
    while (last < starts.length && (starts[last] as number) <= oldEnd) last++;
    const fresh: number[] = [];
    for (let i = text.indexOf('\n', start); i >= 0 && i < newEnd; i = text.indexOf('\n', i + 1)) fresh.push(i + 1);
    self.text = text;
    if (delta === 0 && fresh.length === last - first && fresh.every((p, k) => p === starts[first + k])) return;
    for (let i = last; i < starts.length; i++) starts[i] = (starts[i] as number) + delta;
    starts.splice(first, last - first, ...fresh);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The 0-based line containing `offset` (binary search). */
  lineAt(offset: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineAt(o);
    return { line, character: o - (this.lineStarts[line] as number), offset: o };
  }

  /** Offset of a line/character, clamped to the text and to the end of the line. */
  offsetAt(line: number, character: number): number {
    if (line < 0) return 0;
    if (line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[line] as number;
    const next = line + 1 < this.lineStarts.length ? (this.lineStarts[line + 1] as number) : this.text.length;
    return Math.max(start, Math.min(start + character, next));
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** Start and end offset of a line, excluding its line break. */
  lineSpan(line: number): { start: number; end: number } {
    const start = this.lineStarts[line] ?? this.text.length;
    let end = line + 1 < this.lineStarts.length ? (this.lineStarts[line + 1] as number) : this.text.length;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return { start, end };
  }
}
