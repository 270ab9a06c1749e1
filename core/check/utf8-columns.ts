// Converts wabt's 1-based UTF-8 byte columns into UTF-16 code-unit columns, the unit of LSP and core.

/** The UTF-16 column of the character that starts at byte `byteColumn` (0-based) of `line`. */
export function byteToUtf16Column(line: string, byteColumn: number): number {
  let bytes = 0;
  let i = 0;
  while (i < line.length && bytes < byteColumn) {
    const cp = line.codePointAt(i) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/** Finds line texts by 0-based number without splitting a 1.5 MB document on every check. */
export class LineTable {
  private starts: number[] | undefined;

  constructor(private readonly text: string) {}

  lineCount(): number {
    return this.lineStarts().length;
  }

  /** The text of line `line` without its `\n` (a trailing `\r` stays: it is one byte and one unit). */
  line(line: number): string {
    const starts = this.lineStarts();
    const start = starts[line];
    if (start === undefined) return '';
    const next = starts[line + 1];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1);
  }

  private lineStarts(): number[] {
    if (this.starts) return this.starts;
    const starts = [0];
    for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
    return starts;
  }
}
