// Checks a binary module with wabt (readWasm, then validate); messages carry byte offsets, not ranges.
import { wabtOptions, type Features } from './features';
import type { CheckDiagnostic } from './types';
import { discardWabt, type Wabt } from './wabt-loader';
import { parseWabtBinaryErrors } from './wabt-messages';

/** wabt's diagnostics for the binary `bytes`; an empty list means the module is valid. */
export function checkWasm(wabt: Wabt, bytes: Uint8Array, features: Features): CheckDiagnostic[] {
  const options = wabtOptions(features);
  let module: ReturnType<Wabt['readWasm']> | undefined;
  try {
    module = wabt.readWasm(bytes, { readDebugNames: false, check: true, ...options });
    // wabt.js takes the feature set here too (its .d.ts omits the parameter); without it validation ignores the flags.
    (module as unknown as { validate(features: object): void }).validate(options);
    return [];
  } catch (err) {
    const report = err instanceof Error ? err.message : String(err);
    const found = parseWabtBinaryErrors(report);
    if (found.length > 0) return found;
    if (!/^(readWasm|validate) failed/.test(report)) discardWabt();
    return [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: report.split('\n').filter(Boolean).join('; '), severity: 'error', source: 'wabt', offset: 0 }];
  } finally {
    try {
      module?.destroy();
    } catch {
      // See check-wat.ts: after an abort the instance is discarded anyway.
    }
  }
}
