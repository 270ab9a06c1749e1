// Recognizes syntax wabt 1.0.39 cannot parse (the GC proposal), so its errors there are not shown as real ones.
import type { Token } from '../text/lexer';

// Keywords and instruction prefixes only the GC (and typed-function-references) text format has.
const GC_KEYWORDS = new Set([
  'rec', 'sub', 'final', 'struct', 'array', 'field',
  'anyref', 'eqref', 'i31ref', 'structref', 'arrayref', 'nullref', 'nullfuncref', 'nullexternref', 'exnref', 'nullexnref',
  'any', 'eq', 'i31', 'none', 'noextern', 'nofunc', 'noexn',
  'ref.i31', 'ref.test', 'ref.cast', 'ref.eq', 'br_on_cast', 'br_on_cast_fail', 'any.convert_extern', 'extern.convert_any',
]);
const GC_PREFIXES = ['struct.', 'array.', 'i31.'];

/**
 * A cheap first look at the raw text: without any of these words there is no GC syntax, and the
 * tokenizer (hundreds of ms on a 1.5 MB module) need not run after every failed check.
 */
const GC_HINT = /(?<![\w.$])(?:rec|sub|struct|array|field|anyref|eqref|i31ref|structref|arrayref|nullref|nullfuncref|nullexternref|exnref|nullexnref|any|eq|i31|none|noextern|nofunc|noexn|ref\.i31|ref\.test|ref\.cast|ref\.eq|br_on_cast(?:_fail)?|any\.convert_extern|extern\.convert_any|(?:struct|array|i31)\.[a-z_]+)(?![\w.])/;

export function mayUseGcSyntax(text: string): boolean {
  return GC_HINT.test(text);
}

/** Whether the tokens use GC syntax; checked only after wabt failed, so a scan over tokens is fine. */
export function usesGcSyntax(tokens: readonly Token[], text: string): boolean {
  for (const t of tokens) {
    if (t.kind !== 'keyword') continue;
    const word = text.slice(t.start, t.end);
    if (GC_KEYWORDS.has(word)) return true;
    for (const p of GC_PREFIXES) if (word.startsWith(p)) return true;
  }
  return false;
}
