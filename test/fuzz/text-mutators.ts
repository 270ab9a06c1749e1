// Mutations of WAT/WAST text at the token level (delete, duplicate, swap, replace with a token from
// elsewhere), of its bracket structure, and of its characters (random Unicode, lone surrogates, NULs,
// CRs), plus truncation and splices between texts: what a half-typed or badly pasted file looks like.
import type { Random } from './random';

export type TextMutator = (rng: Random, input: string, other: string) => string;

/** Atoms, strings, comments and whitespace as the mutators see them (a rough, never-failing split). */
function tokens(text: string): string[] {
  return text.match(/\(;[\s\S]*?;\)|;;[^\n]*|"(?:[^"\\]|\\.)*"?|[()]|\s+|[^\s()";]+|./g) ?? [];
}

const ODD_ATOMS = [
  '0x', '-0x8000_0000', '0xffff_ffff_ffff_ffff_f', '1e400', 'nan:0x0', 'nan:0x7fffff_f', '-inf', '+0x1p-1075', '1_', '__1',
  '$', '$"', '$"\\u{d800}"', '"\\u{110000}"', '"\\', 'offset=', 'align=3', 'align=0', 'offset=0x1_0000_0000', '4294967296',
  '(;', ';)', '(;(;', '(@', '(@custom', 'i32.const', 'end', 'else', 'then', 'block', 'loop', 'if', 'br_table', 'local.get',
  'call_indirect', '(type', '(param', '(result', '(export', '(import', 'v128.const', 'i8x16', 'f32x4', 'ref.null', 'func', 'extern',
];

const ODD_CHARS = ['\u0000', '\ufeff', '\r', '\r\n', '\t', '\u2028', '\ud800', '\udc00', '😀', 'é', '\u0301', '\uffff', '\\', '"', ';', '@'];

function pieceOf(rng: Random, list: string[]): number {
  return rng.int(list.length);
}

function deleteToken(rng: Random, input: string): string {
  const t = tokens(input);
  for (let n = rng.small(4); n > 0 && t.length > 0; n--) t.splice(pieceOf(rng, t), 1);
  return t.join('');
}

function duplicateToken(rng: Random, input: string): string {
  const t = tokens(input);
  if (t.length === 0) return input;
  const i = pieceOf(rng, t);
  const span = t.slice(i, i + rng.small(8));
  t.splice(pieceOf(rng, t), 0, ...span);
  return t.join('');
}

function swapTokens(rng: Random, input: string): string {
  const t = tokens(input);
  if (t.length < 2) return input;
  const i = pieceOf(rng, t);
  const j = pieceOf(rng, t);
  [t[i], t[j]] = [t[j]!, t[i]!];
  return t.join('');
}

/** A token replaced by one from the other text or by an odd literal/keyword. */
function replaceToken(rng: Random, input: string, other: string): string {
  const t = tokens(input);
  if (t.length === 0) return input;
  const o = tokens(other);
  t[pieceOf(rng, t)] = rng.chance(0.5) && o.length > 0 ? rng.pick(o) : rng.pick(ODD_ATOMS);
  return t.join('');
}

function parenImbalance(rng: Random, input: string): string {
  let out = input;
  for (let n = rng.small(6); n > 0; n--) {
    const at = rng.int(out.length + 1);
    if (rng.chance(0.5)) {
      out = out.slice(0, at) + rng.pick(['(', ')', '((', '))', '(module', '(func']) + out.slice(at);
    } else {
      const p = out.indexOf(rng.chance(0.5) ? '(' : ')', at);
      if (p >= 0) out = out.slice(0, p) + out.slice(p + 1);
    }
  }
  return out;
}

function randomUnicode(rng: Random, input: string): string {
  let out = input;
  for (let n = rng.small(6); n > 0; n--) {
    const at = rng.int(out.length + 1);
    const ch = rng.chance(0.6) ? rng.pick(ODD_CHARS) : String.fromCharCode(rng.int(0x10000));
    out = out.slice(0, at) + ch + out.slice(rng.chance(0.3) ? at + 1 : at);
  }
  return out;
}

function truncate(rng: Random, input: string): string {
  return input.slice(0, rng.int(input.length + 1));
}

function splice(rng: Random, input: string, other: string): string {
  return input.slice(0, rng.int(input.length + 1)) + other.slice(rng.int(other.length + 1));
}

/** Deep nesting in one place: recursion limits in the parser, model builder and features. */
function deepNesting(rng: Random, input: string): string {
  const at = rng.int(input.length + 1);
  const depth = rng.pick([50, 500, 5000]);
  const open = rng.pick(['(', '(block ', '(i32.add ', '(if (then ']);
  return input.slice(0, at) + open.repeat(depth) + (rng.chance(0.5) ? ')'.repeat(depth * (open.split('(').length - 1)) : '') + input.slice(at);
}

export const TEXT_MUTATORS: Record<string, TextMutator> = {
  deleteToken, duplicateToken, swapTokens, replaceToken, parenImbalance, randomUnicode, truncate, splice, deepNesting,
};

export function mutateText(rng: Random, input: string, other: string): string {
  const names = Object.keys(TEXT_MUTATORS).filter((n) => n !== 'deepNesting');
  let out = input;
  for (let n = rng.small(3); n > 0; n--) out = TEXT_MUTATORS[rng.chance(0.03) ? 'deepNesting' : rng.pick(names)]!(rng, out, other);
  return out;
}
