// The `component-name` custom section (wasm-tools' names for a component's index spaces): decoded
// for the printer and the WIT view, encoded from the `$names` of component text. Subsection 0 is
// the component's own name, subsection 1 a sort and a name map (index → name) of that sort.
import { ByteReader } from '../binary/leb128';
import { ByteWriter } from '../text/byte-writer';
import type { Component, CoreSort, Sort } from './model';

/** Names by index space (`core func`, `type`, ... as the printer and parser key them). */
export interface ComponentNames {
  component: string | undefined;
  spaces: Map<string, Map<number, string>>;
}

const CORE_SORT_BY_CODE: Record<number, CoreSort> = {
  0x00: 'func', 0x01: 'table', 0x02: 'memory', 0x03: 'global', 0x04: 'tag', 0x10: 'type', 0x11: 'module', 0x12: 'instance',
};
const SORT_BY_CODE: Record<number, Exclude<Sort, { core: CoreSort }>> = { 0x01: 'func', 0x02: 'value', 0x03: 'type', 0x04: 'component', 0x05: 'instance' };

/** The order wasm-tools writes the sorts in. */
const SPACE_ORDER = [
  'core func', 'core table', 'core memory', 'core global', 'core tag', 'core type', 'core module', 'core instance',
  'func', 'value', 'type', 'component', 'instance',
];

/** The component's names (empty when it has no section; a malformed section is ignored, as the spec says). */
export function decodeComponentNames(c: Component): ComponentNames {
  const names: ComponentNames = { component: undefined, spaces: new Map() };
  for (const s of c.customSections) {
    if (s.name !== 'component-name') continue;
    try {
      const r = new ByteReader(c.bytes, s.offset, s.offset + s.size);
      while (!r.atEnd) {
        const id = r.u8();
        const size = r.u32();
        const end = r.pos + size;
        if (id === 0) names.component = r.name();
        else if (id === 1) {
          const sortByte = r.u8();
          const space = sortByte === 0 ? coreSpace(r.u8()) : SORT_BY_CODE[sortByte];
          const map = new Map<number, string>();
          const n = r.u32();
          for (let i = 0; i < n; i++) {
            const idx = r.u32();
            map.set(idx, r.name());
          }
          if (space !== undefined) names.spaces.set(space, map);
        }
        r.pos = end;
      }
    } catch {
      // An invalid name section never makes a component invalid; what was read before stands.
    }
  }
  return names;
}

function coreSpace(code: number): string | undefined {
  const s = CORE_SORT_BY_CODE[code];
  return s === undefined ? undefined : `core ${s}`;
}

function sortBytes(space: string): number[] {
  if (space.startsWith('core ')) {
    const core = space.slice(5);
    const code = Object.entries(CORE_SORT_BY_CODE).find(([, s]) => s === core)?.[0];
    return [0x00, Number(code)];
  }
  const code = Object.entries(SORT_BY_CODE).find(([, s]) => s === space)?.[0];
  return [Number(code)];
}

const utf8 = new TextEncoder();

/** The section's contents (without its name), or undefined when there is no name to write. */
export function encodeComponentNames(names: ComponentNames): Uint8Array | undefined {
  const w = new ByteWriter();
  const sub = (id: number, body: ByteWriter): void => {
    const bytes = body.toBytes();
    w.byte(id);
    w.u32(bytes.length);
    w.bytes(bytes);
  };
  if (names.component !== undefined) {
    const b = new ByteWriter();
    b.name(utf8.encode(names.component));
    sub(0, b);
  }
  for (const space of SPACE_ORDER) {
    const map = names.spaces.get(space);
    if (!map || map.size === 0) continue;
    const b = new ByteWriter();
    for (const x of sortBytes(space)) b.byte(x);
    const entries = [...map].sort((x, y) => x[0] - y[0]);
    b.u32(entries.length);
    for (const [idx, name] of entries) {
      b.u32(idx);
      b.name(utf8.encode(name));
    }
    sub(1, b);
  }
  return w.length > 0 ? w.toBytes() : undefined;
}
