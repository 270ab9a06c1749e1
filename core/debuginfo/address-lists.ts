// Range lists (.debug_ranges, .debug_rnglists) and location lists (.debug_loc,
// .debug_loclists), decoded to code-section-relative address intervals.

import { ByteReader } from './byte-reader';
import { DW_FORM } from './dwarf-constants';
import type { Attr, Unit } from './units';

export interface AddressRange {
  start: number;
  /** Exclusive. */
  end: number;
}

export interface LocationListEntry extends AddressRange {
  expr: Uint8Array;
}

/** A location list: entries, plus a DWARF 5 default location for addresses no entry covers. */
export interface LocationList {
  entries: LocationListEntry[];
  defaultExpr?: Uint8Array;
}

/** Addresses wasm-ld writes for removed code (see the line-table reader); ranges there are dropped. */
function dead(address: number): boolean {
  return address >= 0xfffffffe;
}

function maxAddress(size: number): number {
  return size === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (size * 8) - 1;
}

/** Resolves a *listx index through the offsets table that follows a v5 list header. */
function listxOffset(unit: Unit, sec: Uint8Array, base: number, index: number): number {
  const r = new ByteReader(sec, 'list offsets', base + index * unit.offsetSize);
  return base + r.offset(unit.offsetSize);
}

/** The ranges named by a DW_AT_ranges attribute. */
/** DWARF 4's .debug_ranges and .debug_loc share one list format: address pairs relative to a base,
 * a base-address selection entry (start = the largest address), and 0,0 at the end. .debug_loc
 * follows each pair with an expression, which `readExtra` consumes even for entries that are skipped. */
function readV4List<T>(
  unit: Unit,
  r: ByteReader,
  readExtra: (r: ByteReader) => T,
  push: (start: number, end: number, extra: T) => void,
): void {
  const size = unit.addressSize;
  const max = maxAddress(size);
  let base = unit.baseAddress;
  for (;;) {
    const start = r.address(size);
    const end = r.address(size);
    if (start === 0 && end === 0) return;
    if (start === max) {
      base = end;
      continue;
    }
    const extra = readExtra(r);
    if (dead(start) || dead(base)) continue;
    if (end > start) push(base + start, base + end, extra);
  }
}

export function readRanges(unit: Unit, attr: Attr): AddressRange[] {
  if (typeof attr.value !== 'number') return [];
  const s = unit.ctx.sections;
  const out: AddressRange[] = [];
  try {
    if (unit.version >= 5) {
      const sec = s.rnglists;
      if (!sec) return [];
      const offset =
        attr.form === DW_FORM.rnglistx ? listxOffset(unit, sec, unit.rnglistsBase, attr.value) : attr.value;
      readRnglist(unit, sec, offset, out);
    } else {
      const sec = s.ranges;
      if (!sec) return [];
      readV4List(unit, new ByteReader(sec, '.debug_ranges', attr.value), () => undefined, (start, end) => out.push({ start, end }));
    }
  } catch (e) {
    unit.ctx.warn(`range list for unit 0x${unit.offset.toString(16)}: ${(e as Error).message}`);
  }
  return out;
}

function readRnglist(unit: Unit, sec: Uint8Array, offset: number, out: AddressRange[]): void {
  const r = new ByteReader(sec, '.debug_rnglists', offset);
  const size = unit.addressSize;
  let base = unit.baseAddress;
  const push = (start: number | undefined, end: number | undefined): void => {
    if (start === undefined || end === undefined || dead(start)) return;
    if (end > start) out.push({ start, end });
  };
  for (;;) {
    const kind = r.u8();
    switch (kind) {
      case 0: // end_of_list
        return;
      case 1: // base_addressx
        base = unit.addrx(r.uleb()) ?? 0;
        break;
      case 2: {
        // startx_endx
        const a = unit.addrx(r.uleb());
        push(a, unit.addrx(r.uleb()));
        break;
      }
      case 3: {
        // startx_length
        const a = unit.addrx(r.uleb());
        const len = r.uleb();
        push(a, a === undefined ? undefined : a + len);
        break;
      }
      case 4: {
        // offset_pair
        const a = r.uleb();
        const b = r.uleb();
        if (!dead(base)) push(base + a, base + b);
        break;
      }
      case 5: // base_address
        base = r.address(size);
        break;
      case 6: {
        // start_end
        const a = r.address(size);
        push(a, r.address(size));
        break;
      }
      case 7: {
        // start_length
        const a = r.address(size);
        push(a, a + r.uleb());
        break;
      }
      default:
        throw new Error(`unknown range list entry kind ${kind}`);
    }
  }
}

/** The location list named by a DW_AT_location (or similar) attribute of loclist class. */
export function readLocationList(unit: Unit, attr: Attr): LocationList {
  const list: LocationList = { entries: [] };
  if (typeof attr.value !== 'number') return list;
  const s = unit.ctx.sections;
  try {
    if (unit.version >= 5) {
      const sec = s.loclists;
      if (!sec) return list;
      const offset =
        attr.form === DW_FORM.loclistx ? listxOffset(unit, sec, unit.loclistsBase, attr.value) : attr.value;
      readLoclist(unit, sec, offset, list);
    } else {
      const sec = s.loc;
      if (!sec) return list;
      readV4List(unit, new ByteReader(sec, '.debug_loc', attr.value), (r) => r.slice(r.u16()), (start, end, expr) => list.entries.push({ start, end, expr }));
    }
  } catch (e) {
    unit.ctx.warn(`location list for unit 0x${unit.offset.toString(16)}: ${(e as Error).message}`);
  }
  return list;
}

function readLoclist(unit: Unit, sec: Uint8Array, offset: number, list: LocationList): void {
  const r = new ByteReader(sec, '.debug_loclists', offset);
  const size = unit.addressSize;
  let base = unit.baseAddress;
  const push = (start: number | undefined, end: number | undefined, expr: Uint8Array): void => {
    if (start === undefined || end === undefined || dead(start)) return;
    if (end > start) list.entries.push({ start, end, expr });
  };
  for (;;) {
    const kind = r.u8();
    switch (kind) {
      case 0: // end_of_list
        return;
      case 1: // base_addressx
        base = unit.addrx(r.uleb()) ?? 0;
        break;
      case 2: {
        // startx_endx
        const a = unit.addrx(r.uleb());
        const b = unit.addrx(r.uleb());
        push(a, b, r.slice(r.uleb()));
        break;
      }
      case 3: {
        // startx_length
        const a = unit.addrx(r.uleb());
        const len = r.uleb();
        push(a, a === undefined ? undefined : a + len, r.slice(r.uleb()));
        break;
      }
      case 4: {
        // offset_pair
        const a = r.uleb();
        const b = r.uleb();
        const expr = r.slice(r.uleb());
        if (!dead(base)) push(base + a, base + b, expr);
        break;
      }
      case 5: // default_location
        list.defaultExpr = r.slice(r.uleb());
        break;
      case 6: // base_address
        base = r.address(size);
        break;
      case 7: {
        // start_end
        const a = r.address(size);
        const b = r.address(size);
        push(a, b, r.slice(r.uleb()));
        break;
      }
      case 8: {
        // start_length
        const a = r.address(size);
        const len = r.uleb();
        push(a, a + len, r.slice(r.uleb()));
        break;
      }
      default:
        throw new Error(`unknown location list entry kind ${kind}`);
    }
  }
}
