// Checks one text module with wabt (parseWat, then validate), exactly as wat2wasm would, with LSP-ready ranges.
import { wabtOptions, type Features } from './features';
import type { CheckDiagnostic } from './types';
import { LineTable } from './utf8-columns';
import { discardWabt, type Wabt } from './wabt-loader';
import { parseWabtTextErrors, WABT_FILE_NAME } from './wabt-messages';

/** Where a module's text starts in its document (a `.wast` script holds many). */
export interface Placement {
  line: number;
  character: number;
}

const encoder = new TextEncoder();

/**
 * wabt's diagnostics for `text`, a module (or a bare list of module fields). wabt.js mangles
 * non-ASCII JavaScript strings, so it gets UTF-8 bytes; its byte columns come back as UTF-16.
 */
export function checkWat(
  wabt: Wabt, text: string, features: Features, at: Placement = { line: 0, character: 0 },
  /** Told which stage the errors came from: `parse` (validation did not run), `validate`, or `crash`. */
  outcome?: { stage?: 'parse' | 'validate' | 'crash' },
): CheckDiagnostic[] {
  const options = wabtOptions(features);
  const lines = new LineTable(text);
  let module: ReturnType<Wabt['parseWat']> | undefined;
  try {
    module = wabt.parseWat(WABT_FILE_NAME, encoder.encode(text), options);
    // wabt.js takes the feature set here too (its .d.ts omits the parameter); without it validation ignores the flags.
    (module as unknown as { validate(features: object): void }).validate(options);
    return [];
  } catch (err) {
    const report = err instanceof Error ? err.message : String(err);
    const found = parseWabtTextErrors(report, lines, at.line, at.character);
    if (outcome) outcome.stage = report.startsWith('parseWat failed') ? 'parse' : report.startsWith('validate failed') ? 'validate' : 'crash';
    if (found.length > 0 || /^(parseWat|validate) failed/.test(report)) return found;
    // Not a report but a crash inside wabt (an abort): its memory may be unusable, so reload next time.
    discardWabt();
    return [internalError(report, at)];
  } finally {
    try {
      module?.destroy();
    } catch {
      // Destroying after an abort can throw too; the instance is discarded either way.
    }
  }
}

function internalError(report: string, at: Placement): CheckDiagnostic {
  return {
    range: { start: { line: at.line, character: at.character }, end: { line: at.line, character: at.character + 1 } },
    message: `wabt could not check this module: ${report.split('\n')[0] ?? report}`,
    severity: 'warning',
    source: 'wasmscope',
  };
}
