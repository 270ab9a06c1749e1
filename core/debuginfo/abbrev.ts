// .debug_abbrev: the abbreviation tables that give each DIE its tag, child flag and attribute forms.

import { ByteReader } from './byte-reader';
import { DW_FORM } from './dwarf-constants';

export interface AbbrevAttr {
  at: number;
  form: number;
  /** DW_FORM_implicit_const keeps its value in the abbreviation, not in .debug_info. */
  implicitConst?: number;
}

export interface Abbrev {
  code: number;
  tag: number;
  hasChildren: boolean;
  attrs: AbbrevAttr[];
}

/** Parses the table at `offset`; a truncated table yields the abbreviations read before the cut. */
export function parseAbbrevTable(bytes: Uint8Array, offset: number, warn: (m: string) => void): Map<number, Abbrev> {
  const table = new Map<number, Abbrev>();
  const r = new ByteReader(bytes, '.debug_abbrev', offset);
  try {
    for (;;) {
      const code = r.uleb();
      if (code === 0) break;
      const tag = r.uleb();
      const hasChildren = r.u8() !== 0;
      const attrs: AbbrevAttr[] = [];
      for (;;) {
        const at = r.uleb();
        const form = r.uleb();
        if (at === 0 && form === 0) break;
        const attr: AbbrevAttr = { at, form };
        if (form === DW_FORM.implicit_const) attr.implicitConst = r.sleb();
        attrs.push(attr);
      }
      table.set(code, { code, tag, hasChildren, attrs });
    }
  } catch (e) {
    warn(`abbreviation table at 0x${offset.toString(16)} is truncated: ${(e as Error).message}`);
  }
  return table;
}
