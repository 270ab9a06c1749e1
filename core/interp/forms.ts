// A function's two compiled forms (compile.ts): the fused one every function runs by default, and
// the unfused one (each Wasm instruction its own stop position) a debugger switches a function to
// before it needs every instruction (Machine.unfuse). At a fused group's start both forms stand
// before the same Wasm instruction with the same state, so a machine paused there, or a caller's
// return address, names one place in either; the code indices a debugger keeps (MachinePoint,
// MachineState, tracer sites) are always the unfused form's, whichever form runs.
import { compileUnfused, ensureCompiled } from './compile';
import { Op } from './ops';
import type { CodeForm, CompiledFunc } from './runtime';

/** The unfused form of `c`: the live code when it runs unfused, else compiled once and kept. */
export function plainForm(c: CompiledFunc): CodeForm {
  ensureCompiled(c);
  if (!c.fused) return c;
  return (c.plain ??= compileUnfused(c));
}

/** Index of the instruction containing code index `pc` (pcs ascend). */
export function instrIndexAt(form: Pick<CodeForm, 'pcs'>, pc: number): number {
  const pcs = form.pcs;
  let lo = 0;
  let hi = pcs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pcs[mid]! <= pc) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Index of the first instruction at body-relative offset `rel` exactly, or -1. */
function firstAtOffset(form: CodeForm, rel: number): number {
  const offs = form.offsets;
  let lo = 0;
  let hi = offs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offs[mid]! < rel) lo = mid + 1;
    else hi = mid;
  }
  return lo < offs.length && offs[lo] === rel ? lo : -1;
}

/** The code index in `to` of the instruction starting at code index `pc` of `from` (the same Wasm
 * instruction: the first one `to` emits at its byte offset). Only instruction starts translate. */
export function translatePc(from: CodeForm, to: CodeForm, pc: number): number {
  const i = instrIndexAt(from, pc);
  if (from.pcs[i] !== pc) throw new Error(`internal error: code index ${pc} is not an instruction start`);
  return pcAtOffset(to, from.offsetBase + from.offsets[i]!);
}

/** The code index of the first instruction at module offset `offset` in `form`. */
export function pcAtOffset(form: CodeForm, offset: number): number {
  const j = firstAtOffset(form, offset - form.offsetBase);
  if (j < 0) throw new Error(`internal error: no instruction starts at offset ${offset} in this form`);
  return form.pcs[j]!;
}

/** The unfused code index of the instruction starting at code index `pc` of the live code. */
export function canonicalPc(c: CompiledFunc, pc: number): number {
  return c.fused ? translatePc(c, plainForm(c), pc) : pc;
}

/** The live code index of the instruction at unfused code index `pc` (one a fused stop came from). */
export function livePc(c: CompiledFunc, pc: number): number {
  return c.fused ? translatePc(plainForm(c), c, pc) : pc;
}

/** The live code index of the first instruction at module offset `offset`, or -1. */
export function livePcAt(c: CompiledFunc, offset: number): number {
  const j = firstAtOffset(c, offset - c.offsetBase);
  return j < 0 ? -1 : c.pcs[j]!;
}

const TEES: ReadonlySet<number> = new Set([Op.LOCAL_TEE1, Op.LOCAL_TEE2, Op.LOCAL_TEE4]);

/**
 * Whether a BREAK at module offset `offset` of fused `c` stops exactly where the unfused form
 * would: a fused group starts there (control only enters groups at their start, so it runs as often
 * as the unfused instruction), and it is not the re-read half of a `local.tee` whose write went
 * into the group before (there the local is already written and the value is off the stack).
 */
export function fusedStopAt(c: CompiledFunc, offset: number): boolean {
  const pc = livePcAt(c, offset);
  if (pc < 0) return false;
  const plain = plainForm(c);
  const op = c.code[pc] === Op.BREAK ? c.patched.get(pc)!.op : c.code[pc]!;
  return !(TEES.has(plain.code[pcAtOffset(plain, offset)]!) && !TEES.has(op));
}
