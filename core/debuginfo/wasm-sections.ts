// A minimal Wasm section splitter: the custom sections and the code section's position, so the
// DWARF reader (and its tests) need not depend on the full module decoder.

export interface CustomSection {
  name: string;
  bytes: Uint8Array;
}

export interface SectionSplit {
  customSections: CustomSection[];
  /** Module-relative offset of the code section's contents (after its id and size): DWARF's address 0. */
  codeSectionOffset: number | undefined;
}

const utf8 = new TextDecoder('utf-8');

/** Splits a module into sections; stops quietly at the first malformed one. */
export function splitSections(bytes: Uint8Array): SectionSplit {
  const out: SectionSplit = { customSections: [], codeSectionOffset: undefined };
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) return out;
  let pos = 8;
  const uleb = (): number => {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (pos >= bytes.length) throw new RangeError('truncated');
      const b = bytes[pos++]!;
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
  };
  try {
    while (pos < bytes.length) {
      const id = bytes[pos++]!;
      const size = uleb();
      const start = pos;
      const end = start + size;
      if (end > bytes.length) break;
      if (id === 0) {
        const nameLength = uleb();
        const name = utf8.decode(bytes.subarray(pos, pos + nameLength));
        pos += nameLength;
        if (pos <= end) out.customSections.push({ name, bytes: bytes.subarray(pos, end) });
      } else if (id === 10) {
        out.codeSectionOffset = start;
      }
      pos = end;
    }
  } catch {
    // a truncated section header ends the walk; what was found is still useful
  }
  return out;
}

/**
 * The URL in an `external_debug_info` section (emscripten's `-gseparate-dwarf`): the DWARF then
 * lives in that file's custom sections, while addresses stay relative to this module's code
 * section — read it with `readDwarf(thatFile.customSections, thisModule.codeSectionOffset)`.
 */
export function externalDebugInfoUrl(sections: readonly CustomSection[]): string | undefined {
  const s = sections.find((c) => c.name === 'external_debug_info');
  if (!s) return undefined;
  let pos = 0;
  let length = 0;
  let mul = 1;
  for (;;) {
    const b = s.bytes[pos++];
    if (b === undefined) return undefined;
    length += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) break;
    mul *= 128;
  }
  if (pos + length > s.bytes.length) return undefined;
  return utf8.decode(s.bytes.subarray(pos, pos + length));
}
