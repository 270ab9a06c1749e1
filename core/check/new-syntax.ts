// Recognizes Wasm 3.0 syntax that wabt 1.0.39 cannot parse or validate (GC, typed function references,
// string identifiers, annotations, custom page sizes, ...), so its errors there are not shown as real ones.
import type { Token } from '../text/lexer';

const NEW_KEYWORDS = new Set([
  // GC
  'rec', 'sub', 'final', 'struct', 'array', 'field',
  'anyref', 'eqref', 'i31ref', 'structref', 'arrayref', 'nullref', 'nullfuncref', 'nullexternref', 'nullexnref',
  'any', 'eq', 'i31', 'none', 'noextern', 'nofunc', 'noexn',
  'ref.i31', 'ref.test', 'ref.cast', 'ref.eq', 'br_on_cast', 'br_on_cast_fail', 'any.convert_extern', 'extern.convert_any',
  // typed function references
  'call_ref', 'return_call_ref', 'ref.as_non_null', 'br_on_null', 'br_on_non_null',
  // custom descriptors, custom page sizes, wide arithmetic
  'exact', 'pagesize', 'i64.add128', 'i64.sub128', 'i64.mul_wide_s', 'i64.mul_wide_u',
]);
const NEW_PREFIXES = ['struct.', 'array.', 'i31.'];

/**
 * A cheap first look at the raw text: without any of these there is no such syntax, and the
 * tokenizer (hundreds of ms on a 1.5 MB module) need not run after every failed check.
 * Words count only as whole keywords (`i32.sub` is not `sub`).
 */
const NEW_SYNTAX_HINT =
  /(?<![\w.$])(?:rec|sub|final|struct|array|field|anyref|eqref|i31ref|structref|arrayref|nullref|nullfuncref|nullexternref|nullexnref|any|eq|i31|none|noextern|nofunc|noexn|ref\.i31|ref\.test|ref\.cast|ref\.eq|br_on_cast(?:_fail)?|any\.convert_extern|extern\.convert_any|(?:struct|array|i31)\.[a-z_]+|call_ref|return_call_ref|ref\.as_non_null|br_on_null|br_on_non_null|exact|pagesize|i64\.(?:add128|sub128|mul_wide_[su]))(?![\w.])|\(ref\s|\$"|\(@/;

export function mayUseNewSyntax(text: string): boolean {
  return NEW_SYNTAX_HINT.test(text);
}

/** Whether the tokens use such syntax; checked only after wabt failed, so a scan over tokens is fine. */
export function usesNewSyntax(tokens: readonly Token[], text: string): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    // `(@name ...)` annotations and `$"..."` identifiers are Wasm 3.0 text.
    if (t.kind === 'annot') return true;
    if (t.kind === 'id' && text.charCodeAt(t.start + 1) === 34) return true;
    if (t.kind !== 'keyword') continue;
    const word = text.slice(t.start, t.end);
    if (NEW_KEYWORDS.has(word)) return true;
    for (const p of NEW_PREFIXES) if (word.startsWith(p)) return true;
    // `(ref null $t)`, `(ref $t)`, `(ref func)`: typed references.
    if (word === 'ref' && tokens[i - 1]?.kind === 'lparen' && tokens[i + 1] !== undefined && tokens[i + 1]?.kind !== 'rparen') return true;
  }
  return false;
}
