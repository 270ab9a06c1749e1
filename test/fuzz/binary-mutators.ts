// Mutations of Wasm binaries: raw byte damage (bit flips, inserts, deletes, truncation, splices) and
// structure-aware damage (LEB128s rewritten in place, sections shuffled, dropped, duplicated, or damaged
// inside with their size fixed up, so the decoder gets past the framing and deeper code is reached).
import type { Random } from './random';

export type BinaryMutator = (rng: Random, input: Uint8Array, other: Uint8Array) => Uint8Array;

/** Values that sit on boundaries the decoder and the engine check. */
const INTERESTING = [
  0, 1, 2, 0x3f, 0x40, 0x7f, 0x80, 0xff, 0x100, 0x3fff, 0x4000, 0xffff, 0x10000, 0x10001, 0x7fffffff, 0x80000000, 0xffffffff,
  0x100000000, -1, -0x40, -0x41, -0x80000000,
];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Unsigned or signed LEB128 of `value`, padded with continuation bytes to `minLength` (overlong forms). */
export function leb128(value: number, signed: boolean, minLength = 1): Uint8Array {
  const out: number[] = [];
  let v = BigInt(value);
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const done = signed ? (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0) : v === 0n;
    if (done && out.length + 1 >= minLength) {
      out.push(byte);
      break;
    }
    out.push(byte | 0x80);
    if (out.length > 12) break;
  }
  return Uint8Array.from(out);
}

/** The byte length of the LEB128 starting at `at` (at most 10 bytes; the rest of the input if unterminated). */
function lebLength(bytes: Uint8Array, at: number): number {
  let n = 0;
  while (at + n < bytes.length && n < 10) {
    if ((bytes[at + n]! & 0x80) === 0) return n + 1;
    n++;
  }
  return n;
}

export interface Section {
  id: number;
  payload: Uint8Array;
}

/** Splits a module into its sections; undefined when the framing itself is already broken. */
export function splitSections(bytes: Uint8Array): Section[] | undefined {
  if (bytes.length < 8) return undefined;
  const out: Section[] = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at]!;
    let size = 0;
    let shift = 0;
    let p = at + 1;
    for (;;) {
      if (p >= bytes.length || shift > 28) return undefined;
      const b = bytes[p++]!;
      size += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    if (p + size > bytes.length) return undefined;
    out.push({ id, payload: bytes.subarray(p, p + size) });
    at = p + size;
  }
  return out;
}

export function joinSections(header: Uint8Array, sections: readonly Section[]): Uint8Array {
  return concat(header.subarray(0, 8), ...sections.flatMap((s) => [Uint8Array.of(s.id), leb128(s.payload.length, false), s.payload]));
}

function bitFlip(rng: Random, input: Uint8Array): Uint8Array {
  const out = input.slice();
  for (let n = rng.small(8); n > 0 && out.length > 0; n--) {
    const i = rng.int(out.length);
    out[i] = out[i]! ^ (1 << rng.int(8));
  }
  return out;
}

function byteSet(rng: Random, input: Uint8Array): Uint8Array {
  const out = input.slice();
  for (let n = rng.small(4); n > 0 && out.length > 0; n--) out[rng.int(out.length)] = rng.pick([0, 0x7f, 0x80, 0xff, 0x0b, 0x40, rng.int(256)]);
  return out;
}

function insertBytes(rng: Random, input: Uint8Array): Uint8Array {
  const at = rng.int(input.length + 1);
  const junk = Uint8Array.from({ length: rng.small(16) }, () => rng.int(256));
  return concat(input.subarray(0, at), junk, input.subarray(at));
}

function deleteBytes(rng: Random, input: Uint8Array): Uint8Array {
  const at = rng.int(input.length);
  const n = rng.small(16);
  return concat(input.subarray(0, at), input.subarray(Math.min(input.length, at + n)));
}

function truncate(rng: Random, input: Uint8Array): Uint8Array {
  return input.slice(0, rng.int(input.length));
}

/** A prefix of one input followed by a suffix of another: grafts valid pieces into foreign contexts. */
function splice(rng: Random, input: Uint8Array, other: Uint8Array): Uint8Array {
  return concat(input.subarray(0, rng.int(input.length + 1)), other.subarray(rng.int(other.length + 1)));
}

/** Replaces the LEB128 at a random position by another value, same length (overlong) or natural length. */
function rewriteLeb(rng: Random, input: Uint8Array): Uint8Array {
  if (input.length === 0) return input;
  const at = rng.int(input.length);
  const len = lebLength(input, at);
  const value = rng.chance(0.8) ? rng.pick(INTERESTING) : rng.int(0x100000) - 0x80000;
  const signed = value < 0 || rng.chance(0.3);
  const encoded = leb128(value, signed, rng.chance(0.5) ? len : 1);
  return concat(input.subarray(0, at), encoded, input.subarray(at + len));
}

/** Section-level edits: shuffle, drop, duplicate, or damage one payload and fix its size. */
function sections(rng: Random, input: Uint8Array, other: Uint8Array): Uint8Array {
  const list = splitSections(input);
  if (list === undefined || list.length === 0) return bitFlip(rng, input);
  const out = [...list];
  const i = rng.int(out.length);
  switch (rng.int(6)) {
    case 0: // swap two sections (out-of-order sections)
      [out[i], out[rng.int(out.length)]] = [out[rng.int(out.length)]!, out[i]!];
      break;
    case 1:
      out.splice(i, 1);
      break;
    case 2:
      out.splice(i, 0, out[i]!);
      break;
    case 3: {
      // a section borrowed from another module (type/function/code counts no longer agree)
      const foreign = splitSections(other);
      if (foreign && foreign.length > 0) out.splice(i, rng.chance(0.5) ? 1 : 0, rng.pick(foreign));
      break;
    }
    default: {
      const s = out[i]!;
      const inner: BinaryMutator = rng.pick<BinaryMutator>([bitFlip, byteSet, rewriteLeb, rewriteLeb, insertBytes, deleteBytes, truncate]);
      out[i] = { id: s.id, payload: inner(rng, s.payload, other) };
    }
  }
  return joinSections(input, out);
}

export const BINARY_MUTATORS: Record<string, BinaryMutator> = {
  bitFlip, byteSet, insertBytes, deleteBytes, truncate, splice, rewriteLeb, sections,
};

/** One to three stacked mutations; section-aware ones are weighted up since they reach further. */
export function mutateBinary(rng: Random, input: Uint8Array, other: Uint8Array): Uint8Array {
  const names = ['bitFlip', 'byteSet', 'insertBytes', 'deleteBytes', 'truncate', 'splice', 'rewriteLeb', 'rewriteLeb', 'sections', 'sections', 'sections'];
  let out = input;
  for (let n = rng.small(3); n > 0; n--) out = BINARY_MUTATORS[rng.pick(names)]!(rng, out, other);
  return out;
}
