// Turns wabt's formatted error text (`file:line:col: error: msg`, the source line, a caret line) into ranges.
import type { CheckDiagnostic } from './types';
import { byteToUtf16Column, type LineTable } from './utf8-columns';

/** The file name we hand wabt; it only appears in the text we parse back. */
export const WABT_FILE_NAME = 'wasmscope-input';

const HEADER = /^wasmscope-input:(\d+):(\d+): (error|warning): (.*)$/;
const BINARY_HEADER = /^(?:<binary>:)?([0-9a-f]{7,}): (error|warning): (.*)$/;

/**
 * The diagnostics in one wabt error report. `lines` is the checked text (to convert byte columns);
 * `lineOffset`/`firstLineColumn` place a module that starts part-way into a `.wast` script.
 */
export function parseWabtTextErrors(
  report: string,
  lines: LineTable,
  lineOffset = 0,
  firstLineColumn = 0,
): CheckDiagnostic[] {
  const out: CheckDiagnostic[] = [];
  const rows = report.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const m = HEADER.exec(rows[i] ?? '');
    if (!m) continue;
    const line = Number(m[1]) - 1;
    const byteStart = Number(m[2]) - 1;
    // The caret row two lines down marks the token's width in bytes; wabt omits it for some errors.
    const carets = /\^+/.exec(rows[i + 2] ?? '');
    const byteEnd = byteStart + (carets ? carets[0].length : 1);
    const text = lines.line(line);
    const shift = line === 0 ? firstLineColumn : 0;
    out.push({
      range: {
        start: { line: line + lineOffset, character: byteToUtf16Column(text, byteStart) + shift },
        end: { line: line + lineOffset, character: Math.max(byteToUtf16Column(text, byteEnd), byteToUtf16Column(text, byteStart) + 1) + shift },
      },
      message: m[4] ?? '',
      severity: m[3] === 'warning' ? 'warning' : 'error',
      source: 'wabt',
    });
  }
  return out;
}

/** The diagnostics in a wabt report on a binary module (`000000a: error: msg`), with byte offsets. */
export function parseWabtBinaryErrors(report: string): CheckDiagnostic[] {
  const out: CheckDiagnostic[] = [];
  for (const row of report.split('\n')) {
    const m = BINARY_HEADER.exec(row);
    if (!m) continue;
    out.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: m[3] ?? '',
      severity: m[2] === 'warning' ? 'warning' : 'error',
      source: 'wabt',
      offset: parseInt(m[1] ?? '0', 16),
    });
  }
  return out;
}
