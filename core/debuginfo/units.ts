// .debug_info: unit headers (DWARF 2-5) and DIE trees, parsed lazily per unit, with attribute
// accessors that resolve the indirect DWARF 5 forms (strx, addrx, rnglistx, loclistx).

import { type Abbrev, parseAbbrevTable } from './abbrev';
import { ByteReader, stringAt } from './byte-reader';
import { DW_AT, DW_FORM } from './dwarf-constants';

/** The raw DWARF sections of one module, by their names without the leading dot. */
export interface DwarfSections {
  info?: Uint8Array;
  /** DWARF 4 type units. */
  types?: Uint8Array;
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
 * An attribute value as stored: string offsets (strp, line_strp) and index forms (strx, addrx,
 * *listx) stay numbers until an accessor resolves them — the bases for the index forms may be
 * declared after the attribute in the same DIE, and most strings are never looked at.
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
  /** The abbreviation gives attribute names and forms; `values` holds them in the same order. */
  abbrev: Abbrev;
  values: AttrValue[];
  children: Die[];
  parent: Die | undefined;
  unit: Unit;
}

/** Shared state of one module's DWARF: sections, caches and collected warnings. */
export class DwarfContext {
  private readonly abbrevCache = new Map<number, Map<number, Abbrev>>();
  readonly units: Unit[] = [];
  /** DWARF 5 type units (-fdebug-types-section) by signature: the unit and its type DIE's offset. */
  private readonly typeUnits = new Map<bigint, { unit: Unit; typeOffset: number }>();

  constructor(
    readonly sections: DwarfSections,
    readonly warnings: string[],
  ) {}

  private readonly strCache = new Map<number, string>();

  /** A .debug_str string by offset, decoded once. */
  str(offset: number): string {
    let v = this.strCache.get(offset);
    if (v === undefined) {
      v = stringAt(this.sections.str, offset) ?? '';
      this.strCache.set(offset, v);
    }
    return v;
  }

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
    if (this.sections.info) this.readUnits(this.sections.info, '.debug_info');
    // DWARF 4 keeps type units in their own section, with DIE offsets of its own
    if (this.sections.types) this.readUnits(this.sections.types, '.debug_types');
  }

  private readUnits(bytes: Uint8Array, section: '.debug_info' | '.debug_types'): void {
    const r = new ByteReader(bytes, section);
    while (r.pos < bytes.length) {
      const offset = r.pos;
      try {
        const { offsetSize, end } = r.unitLength();
        if (end > bytes.length) this.warn(`${section} unit at 0x${offset.toString(16)} runs past the section end`);
        r.end = Math.min(end, bytes.length);
        const version = r.u16();
        let unitType = section === '.debug_types' ? 0x02 : 0x01; // DW_UT_type : DW_UT_compile
        let addressSize: number;
        let abbrevOffset: number;
        if (version >= 5) {
          unitType = r.u8();
          addressSize = r.u8();
          abbrevOffset = r.offset(offsetSize);
          // skeleton/split units carry a dwo_id
          if (unitType === 0x04 || unitType === 0x05) r.skip(8);
        } else if (version >= 2) {
          abbrevOffset = r.offset(offsetSize);
          addressSize = r.u8();
        } else {
          this.warn(`${section} unit at 0x${offset.toString(16)} has unsupported version ${version}`);
          r.pos = r.end;
          r.end = bytes.length;
          continue;
        }
        let signature: bigint | undefined;
        let typeOffset = 0;
        if (unitType === 0x02 || unitType === 0x06) {
          signature = r.u64();
          typeOffset = r.offset(offsetSize);
        }
        const unit = new Unit(this, bytes, section, offset, version, unitType, addressSize, offsetSize, abbrevOffset, r.pos, r.end);
        if (section === '.debug_info') this.units.push(unit);
        if (signature !== undefined) this.typeUnits.set(signature, { unit, typeOffset: offset + typeOffset });
        r.pos = r.end;
        r.end = bytes.length;
        if (end <= offset) break;
      } catch (e) {
        this.warn(`${section} unit header at 0x${offset.toString(16)}: ${(e as Error).message}`);
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

  /** The type DIE a DW_FORM_ref_sig8 signature names. */
  typeBySignature(signature: bigint): Die | undefined {
    const t = this.typeUnits.get(signature);
    return t && t.unit.dieAt(t.typeOffset);
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
    /** The section the unit lives in: .debug_info, or .debug_types for DWARF 4 type units. */
    readonly sectionBytes: Uint8Array,
    readonly section: '.debug_info' | '.debug_types',
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
    const r = new ByteReader(this.sectionBytes, this.section, this.dieStart, this.end);
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
    die.abbrev.attrs.forEach(({ at }, i) => {
      const value = die.values[i];
      const v = typeof value === 'number' ? value : 0;
      if (at === DW_AT.str_offsets_base) this.strOffsetsBase = v;
      else if (at === DW_AT.addr_base || at === DW_AT.GNU_addr_base) this.addrBase = v;
      else if (at === DW_AT.rnglists_base || at === DW_AT.GNU_ranges_base) this.rnglistsBase = v;
      else if (at === DW_AT.loclists_base) this.loclistsBase = v;
    });
    // low_pc may be an addrx, which needs addr_base: resolve it after the bases are known
    this.baseAddress = this.address(die, DW_AT.low_pc) ?? 0;
  }

  /** Parses the whole DIE tree once and returns the unit DIE with its descendants. */
  tree(): Die | undefined {
    if (this.byOffset) return this.rootDie;
    this.byOffset = new Map();
    this.abbrevs ??= this.ctx.abbrevTable(this.abbrevOffset);
    const r = new ByteReader(this.sectionBytes, this.section, this.dieStart, this.end);
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
    const specs = abbrev.attrs;
    const values: AttrValue[] = new Array(specs.length);
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i]!;
      values[i] = spec.form === 0x21 /* implicit_const */ ? (spec.implicitConst ?? 0) : this.readForm(r, spec.form);
    }
    if (hasChildren) hasChildren.value = abbrev.hasChildren;
    // most DIEs are leaves: they share one empty (frozen) child list instead of allocating their own
    return { offset, tag: abbrev.tag, abbrev, values, children: abbrev.hasChildren ? [] : NO_CHILDREN, parent, unit: this };
  }

  // Form codes are literals here: this switch runs for every attribute of every DIE, and a
  // constant-object lookup per case showed up in profiles.
  private readForm(r: ByteReader, form: number): AttrValue {
    switch (form) {
      case 0x01: // addr
        return r.address(this.addressSize);
      case 0x03: // block2
        return r.slice(r.u16());
      case 0x04: // block4
        return r.slice(r.u32());
      case 0x05: // data2
        return r.u16();
      case 0x06: // data4
        return r.u32();
      case 0x07: { // data8
        const v = r.u64();
        return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      }
      case 0x1e: // data16
        return r.slice(16);
      case 0x08: // string
        return r.cstring();
      case 0x09: // block
      case 0x18: // exprloc
        return r.slice(r.uleb());
      case 0x0a: // block1
        return r.slice(r.u8());
      case 0x0b: // data1
        return r.u8();
      case 0x0c: // flag
        return r.u8() !== 0;
      case 0x19: // flag_present
        return true;
      case 0x0d: // sdata
        return r.sleb();
      case 0x0f: // udata
        return r.uleb();
      case 0x0e: // strp
      case 0x1f: // line_strp
        return r.offset(this.offsetSize);
      case 0x1d: // strp_sup
      case 0x1f21: // GNU_strp_alt
        r.offset(this.offsetSize);
        return ''; // supplementary object files are not available to us
      case 0x10: // ref_addr
        // DWARF 2 encoded ref_addr with the address size
        return this.version <= 2 ? r.address(this.addressSize) : r.offset(this.offsetSize);
      case 0x11: // ref1
        return this.offset + r.u8();
      case 0x12: // ref2
        return this.offset + r.u16();
      case 0x13: // ref4
        return this.offset + r.u32();
      case 0x14: // ref8
        return this.offset + r.u64n();
      case 0x15: // ref_udata
        return this.offset + r.uleb();
      case 0x20: // ref_sig8
        return r.u64();
      case 0x1c: // ref_sup4
        return r.u32();
      case 0x24: // ref_sup8
        return r.u64n();
      case 0x1f20: // GNU_ref_alt
        return r.offset(this.offsetSize);
      case 0x17: // sec_offset
        return r.offset(this.offsetSize);
      case 0x1a: // strx
      case 0x1b: // addrx
      case 0x22: // loclistx
      case 0x23: // rnglistx
      case 0x1f01: // GNU_addr_index
      case 0x1f02: // GNU_str_index
        return r.uleb();
      case 0x25: // strx1
      case 0x29: // addrx1
        return r.u8();
      case 0x26: // strx2
      case 0x2a: // addrx2
        return r.u16();
      case 0x27: // strx3
      case 0x2b: // addrx3
        return r.u24();
      case 0x28: // strx4
      case 0x2c: // addrx4
        return r.u32();
      case 0x16: // indirect
        return this.readForm(r, r.uleb());
      default:
        throw new Error(`unknown attribute form 0x${form.toString(16)}`);
    }
  }

  // ---- attribute accessors -------------------------------------------------------------

  /** An attribute with string-offset forms already resolved to their strings. */
  attr(die: Die, at: number): Attr | undefined {
    const specs = die.abbrev.attrs;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i]!;
      if (spec.at !== at) continue;
      let value = die.values[i]!;
      if (typeof value === 'number') {
        if (spec.form === DW_FORM.strp) value = this.ctx.str(value);
        else if (spec.form === DW_FORM.line_strp) value = stringAt(this.ctx.sections.lineStr, value) ?? '';
      }
      return { at, form: spec.form, value };
    }
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
    if (a && typeof a.value === 'bigint' && a.form === DW_FORM.ref_sig8) return this.ctx.typeBySignature(a.value);
    if (!a || typeof a.value !== 'number') return undefined;
    if (a.form === DW_FORM.ref_sup4 || a.form === DW_FORM.ref_sup8 || a.form === DW_FORM.GNU_ref_alt) return undefined;
    if (a.form === DW_FORM.ref_addr) return this.ctx.dieAt(a.value);
    if (a.value >= this.offset && a.value < this.end) return this.dieAt(a.value);
    // unit-relative references never leave their unit, least of all a .debug_types unit
    return this.section === '.debug_info' ? this.ctx.dieAt(a.value) : undefined;
  }

  bytes(die: Die, at: number): Uint8Array | undefined {
    const a = this.attr(die, at);
    return a && a.value instanceof Uint8Array ? a.value : undefined;
  }
}

const NO_CHILDREN: Die[] = Object.freeze([]) as unknown as Die[];

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
