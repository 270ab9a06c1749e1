// C values a C debugger user expects to read at a glance: `char *` as its text (the whole string,
// not just the first bytes) and arrays with their length, `len=4 [1, 2, 3, 4]`.

import { byteSizeOf, resolveType, type DwarfType } from '../types';
import { readUint, type TypeFormatter } from './formatter';

const utf8 = new TextDecoder('utf-8', { fatal: false });

function isChar(t: DwarfType): boolean {
  const r = resolveType(t);
  return r.kind === 'base' && r.byteSize === 1 && (r.encoding === 'signed-char' || r.encoding === 'unsigned-char');
}

/** Longest C string read for a summary. */
const MAX_C_STRING = 512;

export const C_FORMATTERS: TypeFormatter[] = [
  {
    name: 'char *',
    language: 'c',
    pattern: /\*$/,
    accepts: (t) => t.kind === 'pointer' && !t.reference && !t.name && isChar(t.target),
    plain: true,
    summary(v, cx) {
      const address = Number(readUint(v.bytes));
      const hex = `0x${address.toString(16).padStart(v.bytes.length * 2, '0')}`;
      if (address === 0) return hex;
      // read in chunks so a string near the end of memory still shows
      let text = '';
      for (let a = address; a < address + MAX_C_STRING; a += 64) {
        const chunk = cx.readMemory(a, 64) ?? cx.readMemory(a, 1);
        if (!chunk) return a === address ? hex : `${hex} ${JSON.stringify(text)}…`;
        const end = chunk.indexOf(0);
        text += utf8.decode(chunk.subarray(0, end < 0 ? chunk.length : end));
        if (end >= 0) return `${hex} ${JSON.stringify(text)}`;
      }
      return `${hex} ${JSON.stringify(text)}…`;
    },
  },
  {
    // only the array the user looks at carries its length; nested ones stay `[1, 2]`
    name: 'array',
    language: 'c',
    pattern: /\]$/,
    accepts: (t) => t.kind === 'array' && t.counts[0] !== undefined && t.counts.length === 1 && !isChar(t.element) && byteSizeOf(t.element) > 0,
    plain: true,
    summary(v, cx) {
      if (cx.depth > 0) return undefined;
      const n = v.type.kind === 'array' ? (v.type.counts[0] ?? 0) : 0;
      return `len=${n} ${cx.summary({ ...v, raw: true })}`;
    },
  },
];
