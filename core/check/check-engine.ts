// Checks a text module with the engine's own parser, assembler, decoder and validator: for the
// Wasm 3.0 modules wabt cannot read. Errors land on the failing instruction through the assembler's
// source map, or on the module when they are not in a function body.
import { decodeModule } from '../binary';
import { WasmError } from '../errors';
import { FeatureError, type Features } from '../features';
import { assemble, ParseError, type TextModule } from '../text';
import type { Range } from '../text/line-index';
import { validateModule } from '../validate';
import type { CheckDiagnostic } from './types';

export type EngineCheck =
  /** Our parser cannot read the module either (its errors are returned, unfiltered). */
  | { kind: 'unparsed'; errors: { message: string; start: number; end: number }[] }
  /** Fully checked: an empty list means the module is valid. */
  | { kind: 'checked'; diagnostics: CheckDiagnostic[] };

/** `module` is the model of the module's text; its offsets are offsets into the document. */
export function checkWithEngine(module: TextModule, features: Features): EngineCheck {
  if (module.errors.length > 0) {
    // Unknown or duplicate names, literals out of range, ... are the text's errors; an unexpected
    // token or operator may be Wasm 3.0 syntax our parser does not read yet.
    if (module.errors.some((e) => UNREAD.test(e.message))) return { kind: 'unparsed', errors: module.errors };
    return {
      kind: 'checked',
      diagnostics: [...module.errors].sort((a, b) => a.start - b.start).map((e) => diagnostic(module.lines.range(e.start, Math.max(e.start, e.end)), e.message)),
    };
  }
  const whole = module.lines.range(module.node?.start ?? 0, module.node?.open.end ?? 0);
  let assembled: ReturnType<typeof assemble>;
  try {
    assembled = assemble(module, { features });
  } catch (e) {
    if (e instanceof ParseError) return checked(e.range, e.reason);
    throw e;
  }
  const map = assembled.sourceMap;
  const fieldRange = (offset: number): Range | undefined => {
    const f = offset > 0 ? map.fieldAt(offset) : undefined;
    return f ? module.lines.range(f.start, f.end) : undefined;
  };
  const at = (offset: number, reason = ''): Range =>
    map.rangeAt(offset) ?? funcRange(offset) ?? fieldRange(offset) ?? modelRange(module, reason) ?? whole;
  // wabt-style context: `type mismatch in i32.add`, `... at the end of the block or function`.
  const what = (offset: number, reason: string): string => {
    const m = map.instrAt(offset);
    if (!m || reason.includes(m.op)) return reason;
    return m.implicit ? `${reason} at the end of the block or function` : `${reason} in ${m.op}`;
  };
  const funcRange = (offset: number): Range | undefined => {
    const f = map.funcAt(offset);
    return f ? module.lines.range(f.start, f.end) : undefined;
  };
  try {
    const decoded = decodeModule(assembled.bytes, { features });
    validateModule(decoded, undefined, undefined, features);
  } catch (e) {
    if (e instanceof FeatureError) return checked(at(e.offset), e.message);
    if (e instanceof WasmError && 'offset' in e && typeof e.offset === 'number') {
      const reason = 'reason' in e && typeof e.reason === 'string' ? e.reason : e.message;
      return checked(at(e.offset, reason), what(e.offset, reason));
    }
    throw e;
  }
  return { kind: 'checked', diagnostics: [] };
}

/** For the module-level errors the validator reports without a byte offset: the text they concern. */
function modelRange(module: TextModule, reason: string): Range | undefined {
  const node = ((): { start: number; end: number } | undefined => {
    if (reason === 'duplicate export name') {
      const seen = new Set<string>();
      return module.exports.find((e) => seen.size === seen.add(e.name).size)?.node;
    }
    if (reason === 'multiple memories') return module.memories[1]?.node;
    if (reason === 'start function' || reason.startsWith('unknown function')) return module.start;
    return undefined;
  })();
  return node ? module.lines.range(node.start, node.end) : undefined;
}

const UNREAD = /^(unexpected token|unknown operator)/;

function checked(range: Range, message: string): EngineCheck {
  return { kind: 'checked', diagnostics: [diagnostic(range, message)] };
}

function diagnostic(range: Range, message: string): CheckDiagnostic {
  return {
    range: { start: { line: range.start.line, character: range.start.character }, end: { line: range.end.line, character: range.end.character } },
    message,
    severity: 'error',
    source: 'wasmscope',
  };
}
