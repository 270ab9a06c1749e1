// The section table of a binary (id, name, header offset, payload size), read directly from the
// bytes because the decoded `Module` keeps contents, not layout.
import { ByteReader } from '../binary';

export interface SectionInfo {
  id: number;
  /** `type`, `import`, ... or the custom section's own name for id 0. */
  name: string;
  custom: boolean;
  /** Offset of the section id byte. */
  start: number;
  /** Payload range (for custom sections, after the name). */
  payloadStart: number;
  end: number;
  /** Payload size in bytes as declared in the header (custom sections include their name). */
  size: number;
}

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount', 'tag'];

export function sectionName(id: number): string {
  return SECTION_NAMES[id] ?? `unknown(${id})`;
}

/** Lists the sections; stops quietly at the first malformed header (the decoder reports those). */
export function listSections(bytes: Uint8Array): SectionInfo[] {
  const out: SectionInfo[] = [];
  const r = new ByteReader(bytes, Math.min(8, bytes.length));
  try {
    while (!r.atEnd) {
      const start = r.pos;
      const id = r.u8();
      const size = r.u32();
      const payload = r.pos;
      const end = payload + size;
      if (end > bytes.length) break;
      let name = sectionName(id);
      let payloadStart = payload;
      if (id === 0) {
        name = r.name();
        payloadStart = r.pos;
      }
      out.push({ id, name, custom: id === 0, start, payloadStart, end, size });
      r.pos = end;
    }
  } catch {
    // Truncated header: what was read so far is still useful to show.
  }
  return out;
}
