// .debug_info: unit headers (DWARF 2-5) and DIE trees, parsed lazily per unit, with attribute
// accessors that resolve the indirect DWARF 5 forms (strx, addrx, rnglistx, loclistx).

import { type Abbrev, parseAbbrevTable } from './abbrev';
import { ByteReader, stringAt } from './byte-reader';
import { DW_AT, DW_FORM } from './dwarf-constants';

/** The raw DWARF sections of one module, by their names without the leading dot. */
export interface DwarfSections {
  info?: Uint8Array;
  abbrev?: Uint8Array;
  str?: Uint8Array;
  lineStr?: Uint8Array;
  strOffsets?: Uint8Array;
  addr?: Uint8Array;
  line?: Uint8Array;
  ranges?: Uint8Array;
  rnglists?: Uint8Array;
  loc?: Uint8Array;
  loclists?: Uint8Array;
}

/**
 * An attribute value as stored: strings from strp/line_strp are resolved at once, while index
 * forms (strx, addrx, *listx) keep their index until a Unit accessor resolves them against the
 * unit's bases (which may be declared after the attribute in the same DIE).
 */
export type AttrValue = number | bigint | string | boolean | Uint8Array;

export interface Attr {
  at: number;
  form: number;
  value: AttrValue;
}

export interface Die {
  /** Offset in .debug_info; also the DIE's identity for references. */
  offset: number;
  tag: number;
  attrs: Attr[];
  children: Die[];
  parent: Die | undefined;
  unit: Unit;
}

/** Shared state of one module's DWARF: sections, caches and collected warnings. */
export class DwarfContext {
  private readonly abbrevCache = new Map<number, Map<number, Abbrev>>();
  readonly units: Unit[] = [];

  constructor(
    readonly sections: DwarfSections,
    readonly warnings: string[],
  ) {}

  warn = (message: string): void => {
    if (this.warnings.length < 200) this.warnings.push(message);
  };

  abbrevTable(offset: number): Map<number, Abbrev> {
    let t = this.abbrevCache.get(offset);
    if (!t) {
      t = this.sections.abbrev ? parseAbbrevTable(this.sections.abbrev, offset, this.warn) : new Map();
      this.abbrevCache.set(offset, t);
    }
    return t;
  }

  /** Reads every unit header; DIEs are parsed later, on first use of each unit. */
  readUnitHeaders(): void {
    const info = this.sections.info;
    if (!info) return;
    const r = new ByteReader(info, '.debug_info');
    while (r.pos < info.length) {
      const offset = r.pos;
      try {
        const { offsetSize, end } = r.unitLength();
        if (end > info.length) this.warn(`.debug_info unit at 0x${offset.toString(16)} runs past the section end`);
        r.end = Math.min(end, info.length);
        const version = r.u16();
        let unitType = 0x01; // DW_UT_compile
        let addressSize: number;
        let abbrevOffset: number;
        if (version >= 5) {
          unitType = r.u8();
          addressSize = r.u8();
          abbrevOffset = r.offset(offsetSize);
          // skeleton/split units carry a dwo_id, type units a signature and type offset
          if (unitType === 0x04 || unitType === 0x05) r.skip(8);
          else if (unitType === 0x02 || unitType === 0x06) {
            r.skip(8);
            r.offset(offsetSize);
          }
        } else if (version >= 2) {
          abbrevOffset = r.offset(offsetSize);
          addressSize = r.u8();
        } else {
          this.warn(`.debug_info unit at 0x${offset.toString(16)} has unsupported version ${version}`);
          r.pos = r.end;
          r.end = info.length;
          continue;
        }
        this.units.push(new Unit(this, offset, version, unitType, addressSize, offsetSize, abbrevOffset, r.pos, r.end));
        r.pos = r.end;
        r.end = info.length;
        if (end <= offset) break;
      } catch (e) {
        this.warn(`.debug_info unit header at 0x${offset.toString(16)}: ${(e as Error).message}`);
        break;
      }
    }
  }

  /** The unit whose bytes contain `offset` (for DW_FORM_ref_addr and abstract origins). */
  unitContaining(offset: number): Unit | undefined {
    let lo = 0;
    let hi = this.units.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const u = this.units[mid]!;
      if (offset < u.offset) hi = mid - 1;
      else if (offset >= u.end) lo = mid + 1;
      else return u;
    }
    return undefined;
  }

  dieAt(offset: number): Die | undefined {
    return this.unitContaining(offset)?.dieAt(offset);
  }
}

export class Unit {
  private rootDie: Die | undefined;
  private byOffset: Map<number, Die> | undefined;
  private abbrevs: Map<number, Abbrev> | undefined;
  /** Bases from the unit DIE; DWARF 5 defaults str_offsets_base past its 8-byte header. */
  strOffsetsBase = 0;
  addrBase = 0;
  rnglistsBase = 0;
  loclistsBase = 0;
  /** The unit's base address (DW_AT_low_pc of the unit DIE) for range and location lists. */
  baseAddress = 0;

  constructor(
    readonly ctx: DwarfContext,
    readonly offset: number,
    readonly version: number,
    readonly unitType: number,
    readonly addressSize: number,
    readonly offsetSize: 4 | 8,
    readonly abbrevOffset: number,
    /** Offset of the first DIE. */
    readonly dieStart: number,
    readonly end: number,
  ) {}

  /** The unit DIE alone, without parsing the rest of the unit. */
  root(): Die | undefined {
    if (this.rootDie) return this.rootDie;
    this.abbrevs ??= this.ctx.abbrevTable(this.abbrevOffset);
    const r = new ByteReader(this.ctx.sections.info!, '.debug_info', this.dieStart, this.end);
    try {
      const die = this.readDie(r, undefined);
      if (die) this.setRoot(die);
    } catch (e) {
      this.ctx.warn(`unit DIE at 0x${this.dieStart.toString(16)}: ${(e as Error).message}`);
    }
    return this.rootDie;
  }

  private setRoot(die: Die): void {
    this.rootDie = die;
    this.strOffsetsBase = this.version >= 5 ? 8 : 0;
    for (const a of die.attrs) {
      const v = typeof a.value === 'number' ? a.value : 0;
      if (a.at === DW_AT.str_offsets_base) this.strOffsetsBase = v;
      else if (a.at === DW_AT.addr_base || a.at === DW_AT.GNU_addr_base) this.addrBase = v;
      else if (a.at === DW_AT.rnglists_base || a.at === DW_AT.GNU_ranges_base) this.rnglistsBase = v;
      else if (a.at === DW_AT.loclists_base) this.loclistsBase = v;
    }
    // low_pc may be an addrx, which needs addr_base: resolve it after the bases are known
    this.baseAddress = this.address(die, DW_AT.low_pc) ?? 0;
  }

  /** Parses the whole DIE tree once and returns the unit DIE with its descendants. */
  tree(): Die | undefined {
    if (this.byOffset) return this.rootDie;
    this.byOffset = new Map();
    this.abbrevs ??= this.ctx.abbrevTable(this.abbrevOffset);
    const r = new ByteReader(this.ctx.sections.info!, '.debug_info', this.dieStart, this.end);
    const byOffset = this.byOffset;
    let parent: Die | undefined;
    let root: Die | undefined;
    try {
      while (r.pos < this.end) {
        const hasChildren = { value: false };
        const die = this.readDie(r, parent, hasChildren);
        if (!die) {
          // a null entry closes the current sibling list
          if (!parent) break;
          parent = parent.parent;
          continue;
        }
        byOffset.set(die.offset, die);
        if (parent) parent.children.push(die);
        else if (!root) root = die;
        else break; // trailing DIEs after the unit DIE closed: padding
        if (hasChildren.value) parent = die;
        else if (!parent) break;
      }
    } catch (e) {
      this.ctx.warn(`unit at 0x${this.offset.toString(16)}: DIE tree is truncated: ${(e as Error).message}`);
    }
    if (root) {
      // the root parsed here replaces one parsed alone by root(); the bases are the same
      this.setRoot(root);
    }
    return this.rootDie;
  }

  dieAt(offset: number): Die | undefined {
    this.tree();
    return this.byOffset?.get(offset);
  }

  private readDie(r: ByteReader, parent: Die | undefined, hasChildren?: { value: boolean }): Die | undefined {
    const offset = r.pos;
    const code = r.uleb();
    if (code === 0) return undefined;
    const abbrev = this.abbrevs!.get(code);
    if (!abbrev) throw new Error(`unknown abbreviation code ${code} at 0x${offset.toString(16)}`);
    const attrs: Attr[] = new Array(abbrev.attrs.length);
    for (let i = 0; i < abbrev.attrs.length; i++) {
      const spec = abbrev.attrs[i]!;
      const value = spec.form === DW_FORM.implicit_const ? (spec.implicitConst ?? 0) : this.readForm(r, spec.form);
      attrs[i] = { at: spec.at, form: spec.form, value };
    }
    if (hasChildren) hasChildren.value = abbrev.hasChildren;
    return { offset, tag: abbrev.tag, attrs, children: [], parent, unit: this };
  }

  private readForm(r: ByteReader, form: number): AttrValue {
    const s = this.ctx.sections;
    switch (form) {
      case DW_FORM.addr:
        return r.address(this.addressSize);
      case DW_FORM.block2:
        return r.slice(r.u16());
      case DW_FORM.block4:
        return r.slice(r.u32());
      case DW_FORM.data2:
        return r.u16();
      case DW_FORM.data4:
        return r.u32();
      case DW_FORM.data8: {
        const v = r.u64();
        return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      }
      case DW_FORM.data16:
        return r.slice(16);
      case DW_FORM.string:
        return r.cstring();
      case DW_FORM.block:
      case DW_FORM.exprloc:
        return r.slice(r.uleb());
      case DW_FORM.block1:
        return r.slice(r.u8());
      case DW_FORM.data1:
        return r.u8();
      case DW_FORM.flag:
        return r.u8() !== 0;
      case DW_FORM.flag_present:
        return true;
      case DW_FORM.sdata:
        return r.sleb();
      case DW_FORM.udata:
        return r.uleb();
      case DW_FORM.strp:
        return stringAt(s.str, r.offset(this.offsetSize)) ?? '';
      case DW_FORM.line_strp:
        return stringAt(s.lineStr, r.offset(this.offsetSize)) ?? '';
      case DW_FORM.strp_sup:
      case DW_FORM.GNU_strp_alt:
        r.offset(this.offsetSize);
        return ''; // supplementary object files are not available to us
      case DW_FORM.ref_addr:
        // DWARF 2 encoded ref_addr with the address size
        return this.version <= 2 ? r.address(this.addressSize) : r.offset(this.offsetSize);
      case DW_FORM.ref1:
        return this.offset + r.u8();
      case DW_FORM.ref2:
        return this.offset + r.u16();
      case DW_FORM.ref4:
        return this.offset + r.u32();
      case DW_FORM.ref8:
        return this.offset + r.u64n();
      case DW_FORM.ref_udata:
        return this.offset + r.uleb();
      case DW_FORM.ref_sig8:
        return r.u64();
      case DW_FORM.ref_sup4:
        return r.u32();
      case DW_FORM.ref_sup8:
        return r.u64n();
      case DW_FORM.GNU_ref_alt:
        return r.offset(this.offsetSize);
      case DW_FORM.sec_offset:
        return r.offset(this.offsetSize);
      case DW_FORM.strx:
      case DW_FORM.addrx:
      case DW_FORM.loclistx:
      case DW_FORM.rnglistx:
      case DW_FORM.GNU_addr_index:
      case DW_FORM.GNU_str_index:
        return r.uleb();
      case DW_FORM.strx1:
      case DW_FORM.addrx1:
        return r.u8();
      case DW_FORM.strx2:
      case DW_FORM.addrx2:
        return r.u16();
      case DW_FORM.strx3:
      case DW_FORM.addrx3:
        return r.u24();
      case DW_FORM.strx4:
      case DW_FORM.addrx4:
        return r.u32();
      case DW_FORM.indirect:
        return this.readForm(r, r.uleb());
      default:
        throw new Error(`unknown attribute form 0x${form.toString(16)}`);
    }
  }

  // ---- attribute accessors -------------------------------------------------------------

  attr(die: Die, at: number): Attr | undefined {
    for (const a of die.attrs) if (a.at === at) return a;
    return undefined;
  }

  /** A string attribute, resolving strx forms through .debug_str_offsets. */
  string(die: Die, at: number): string | undefined {
    const a = this.attr(die, at);
    return a && this.stringValue(a);
  }

  stringValue(a: Attr): string | undefined {
    if (typeof a.value === 'string') return a.value;
    if (isStrx(a.form) && typeof a.value === 'number') return this.strx(a.value);
    return undefined;
  }

  strx(index: number): string | undefined {
    const so = this.ctx.sections.strOffsets;
    const at = this.strOffsetsBase + index * this.offsetSize;
    if (!so || at + this.offsetSize > so.length) return undefined;
    const r = new ByteReader(so, '.debug_str_offsets', at);
    return stringAt(this.ctx.sections.str, r.offset(this.offsetSize));
  }

  /** An unsigned constant attribute (data*, udata, sdata, implicit_const, sec_offset). */
  uint(die: Die, at: number): number | undefined {
    const a = this.attr(die, at);
    if (!a) return undefined;
    if (typeof a.value === 'number') return a.value;
    if (typeof a.value === 'bigint') return Number(a.value);
    if (typeof a.value === 'boolean') return a.value ? 1 : 0;
    return undefined;
  }

  flag(die: Die, at: number): boolean {
    const a = this.attr(die, at);
    return a !== undefined && a.value !== false && a.value !== 0;
  }

  /** An address attribute (DW_FORM_addr or addrx*). */
  address(die: Die, at: number): number | undefined {
    const a = this.attr(die, at);
    if (!a || typeof a.value !== 'number') return undefined;
    return isAddrx(a.form) ? this.addrx(a.value) : a.value;
  }

  addrx(index: number): number | undefined {
    const sec = this.ctx.sections.addr;
    const at = this.addrBase + index * this.addressSize;
    if (!sec || at + this.addressSize > sec.length) return undefined;
    return new ByteReader(sec, '.debug_addr', at).address(this.addressSize);
  }

  /** The DIE a reference attribute points to, in this unit or (ref_addr) another. */
  ref(die: Die, at: number): Die | undefined {
    const a = this.attr(die, at);
    if (!a || typeof a.value !== 'number') return undefined;
    if (a.form === DW_FORM.ref_sup4 || a.form === DW_FORM.ref_sup8 || a.form === DW_FORM.GNU_ref_alt) return undefined;
    if (a.form === DW_FORM.ref_addr) return this.ctx.dieAt(a.value);
    if (a.value >= this.offset && a.value < this.end) return this.dieAt(a.value);
    return this.ctx.dieAt(a.value);
  }

  bytes(die: Die, at: number): Uint8Array | undefined {
    const a = this.attr(die, at);
    return a && a.value instanceof Uint8Array ? a.value : undefined;
  }
}

function isStrx(form: number): boolean {
  return (
    form === DW_FORM.strx ||
    form === DW_FORM.GNU_str_index ||
    (form >= DW_FORM.strx1 && form <= DW_FORM.strx4)
  );
}

function isAddrx(form: number): boolean {
  return (
    form === DW_FORM.addrx ||
    form === DW_FORM.GNU_addr_index ||
    (form >= DW_FORM.addrx1 && form <= DW_FORM.addrx4)
  );
}

/** Whether an attribute's form is a constant class (DW_AT_high_pc as a length, not an address). */
export function isConstantForm(form: number): boolean {
  return (
    form === DW_FORM.data1 ||
    form === DW_FORM.data2 ||
    form === DW_FORM.data4 ||
    form === DW_FORM.data8 ||
    form === DW_FORM.udata ||
    form === DW_FORM.sdata ||
    form === DW_FORM.implicit_const
  );
}
