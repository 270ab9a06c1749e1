// Data breakpoints: watches on a global, a local of one frame, a range of memory 0 bytes, a field
// of one GC struct or an element of one GC array, for writes, reads or both. They cost nothing in the engine's loop: every instruction that can touch a
// watched place (global.set/get, local.set/tee/get, loads, stores, bulk memory, calls of imports)
// becomes an engine breakpoint, and only there the runtime works out what the access touches.
import { ByteReader, InstrReader, type Module } from '../core/binary';
import type { DebugTarget, Value } from './engine';
import { formatValue } from './value-format';
import { GcArray, GcStruct, structLayout } from '../core/interp';
import { fieldValue } from './gc-values';

export type AccessType = 'read' | 'write' | 'readWrite';

export type WatchPlace =
  | { kind: 'global'; index: number; name: string }
  /** `depth` in frames (1 = entry function): the local of that one activation. */
  | { kind: 'local'; funcIndex: number; index: number; depth: number; name: string }
  | { kind: 'memory'; address: number; length: number }
  /** Field `field` of the struct allocated `serial`-th (GcStruct.serial: the same object in a
   * replay after going back), as the Variables view names it (`$point.x`). */
  | { kind: 'field'; serial: number; field: number; name: string }
  /** Element `index` of the array allocated `serial`-th, named as the Variables view shows it (`$vec[3]`). */
  | { kind: 'element'; serial: number; index: number; name: string };

export interface Watch {
  id: number;
  place: WatchPlace;
  access: AccessType;
}

/** What an instruction may touch. Memory accesses name where their address is on the operand stack. */
type Access =
  | { kind: 'global'; rw: 'read' | 'write'; index: number }
  | { kind: 'local'; rw: 'read' | 'write'; index: number }
  /** `addr` / `len`: operand positions from the top (0 = top); `size` fixed bytes when len is absent. */
  | { kind: 'memory'; rw: 'read' | 'write'; addr: number; size?: number; len?: number; offset: number }
  /** A host call may write anywhere: compared before and after. */
  | { kind: 'host' }
  /** struct.get/set of field `field`: the struct reference is operand `ref` from the top. */
  | { kind: 'field'; rw: 'read' | 'write'; field: number; ref: number }
  /** Array elements: the array reference is operand `ref` from the top, the first index operand
   * `index`, the count operand `len` (absent: one element). */
  | { kind: 'element'; rw: 'read' | 'write'; ref: number; index: number; len?: number };

interface Site {
  funcIndex: number;
  offset: number;
  accesses: Access[];
}

const WIDTH: Record<string, number> = { i32: 4, i64: 8, f32: 4, f64: 8, v128: 16 };

/** The accesses of one instruction (memory 0 only), or none. */
function accessesOf(name: string, a: number, b: number, mem: number, importedFuncs: number): Access[] {
  switch (name) {
    case 'global.get': return [{ kind: 'global', rw: 'read', index: a }];
    case 'global.set': return [{ kind: 'global', rw: 'write', index: a }];
    case 'local.get': return [{ kind: 'local', rw: 'read', index: a }];
    case 'local.set': case 'local.tee': return [{ kind: 'local', rw: 'write', index: a }];
    case 'call': return a < importedFuncs ? [{ kind: 'host' }] : [];
    case 'struct.set': return [{ kind: 'field', rw: 'write', field: b, ref: 1 }];
    case 'struct.get': case 'struct.get_s': case 'struct.get_u': return [{ kind: 'field', rw: 'read', field: b, ref: 0 }];
    case 'array.set': return [{ kind: 'element', rw: 'write', ref: 2, index: 1 }];
    case 'array.get': case 'array.get_s': case 'array.get_u': return [{ kind: 'element', rw: 'read', ref: 1, index: 0 }];
    case 'array.fill': return [{ kind: 'element', rw: 'write', ref: 3, index: 2, len: 0 }];
    case 'array.init_data': case 'array.init_elem': return [{ kind: 'element', rw: 'write', ref: 3, index: 2, len: 0 }];
    case 'array.copy': return [{ kind: 'element', rw: 'write', ref: 4, index: 3, len: 0 }, { kind: 'element', rw: 'read', ref: 2, index: 1, len: 0 }];
    case 'memory.fill': return a === 0 ? [{ kind: 'memory', rw: 'write', addr: 2, len: 0, offset: 0 }] : [];
    case 'memory.init': return b === 0 ? [{ kind: 'memory', rw: 'write', addr: 2, len: 0, offset: 0 }] : [];
    case 'memory.copy': {
      const out: Access[] = [];
      if (a === 0) out.push({ kind: 'memory', rw: 'write', addr: 2, len: 0, offset: 0 });
      if (b === 0) out.push({ kind: 'memory', rw: 'read', addr: 1, len: 0, offset: 0 });
      return out;
    }
  }
  if (mem !== 0) return [];
  const m = /^(i32|i64|f32|f64|v128)\.(load|store)(8|16|32|64)?(?:x(\d+))?(_[su]|_splat|_zero|_lane)?$/.exec(name);
  if (m === null) return [];
  const [, type, what, bits, count, suffix] = m;
  let size = bits !== undefined ? Number(bits) / 8 : WIDTH[type!]!;
  if (count !== undefined) size *= Number(count);
  // A lane access has the v128 on top, the address below it; a store has its value on top.
  const addr = what === 'store' || suffix === '_lane' ? 1 : 0;
  return [{ kind: 'memory', rw: what === 'load' ? 'read' : 'write', addr, size, offset: b >>> 0 }];
}

/** Every instruction of the module that may touch a place a data breakpoint can watch, by offset. */
export function dataSites(module: Module): Map<number, Site> {
  const out = new Map<number, Site>();
  module.funcs.forEach((f, i) => {
    const funcIndex = module.importedFuncs + i;
    const ir = new InstrReader(new ByteReader(module.bytes, f.bodyStart, f.bodyEnd));
    while (ir.pos < f.bodyEnd) {
      ir.read();
      const info = ir.info;
      if (info === undefined) continue;
      const accesses = accessesOf(info.name, ir.a, ir.b, ir.mem, module.importedFuncs);
      if (accesses.length > 0) out.set(ir.start, { funcIndex, offset: ir.start, accesses });
    }
  });
  return out;
}

function num(v: Value | undefined): number | undefined {
  if (v?.type === 'i32') return v.value >>> 0;
  if (v?.type === 'i64') return Number(v.value);
  return undefined;
}

/** Whether an access could touch the watch at all (what needs an engine breakpoint). */
function mayTouch(site: Site, a: Access, w: Watch): boolean {
  const p = w.place;
  if (a.kind === 'host') return p.kind === 'memory' && w.access !== 'read';
  if ((a.rw === 'read' && w.access === 'write') || (a.rw === 'write' && w.access === 'read')) return false;
  switch (a.kind) {
    case 'global': return p.kind === 'global' && p.index === a.index;
    case 'local': return p.kind === 'local' && p.index === a.index && p.funcIndex === site.funcIndex;
    case 'memory': return p.kind === 'memory';
    // Any struct.set of that field index (a supertype's instruction may write a subtype's object).
    case 'field': return p.kind === 'field' && p.field === a.field;
    case 'element': return p.kind === 'element';
  }
}

/** Whether the access at this site (the machine stands before it) touches the watched place, and how. */
function touches(t: DebugTarget, site: Site, w: Watch): 'read' | 'write' | 'maybe' | undefined {
  const p = w.place;
  const wantRead = w.access !== 'write';
  const wantWrite = w.access !== 'read';
  let found: 'read' | 'write' | 'maybe' | undefined;
  for (const a of site.accesses) {
    if (a.kind === 'host') {
      if (p.kind === 'memory' && wantWrite) found ??= 'maybe';
      continue;
    }
    if ((a.rw === 'read' && !wantRead) || (a.rw === 'write' && !wantWrite)) continue;
    if (a.kind === 'global') {
      if (p.kind === 'global' && p.index === a.index) return a.rw;
    } else if (a.kind === 'local') {
      if (p.kind === 'local' && p.index === a.index && p.funcIndex === site.funcIndex && t.depth() === p.depth) return a.rw;
    } else if (a.kind === 'field') {
      if (p.kind !== 'field' || p.field !== a.field) continue;
      const s = t.operandStack(0);
      const ref = s[s.length - 1 - a.ref];
      if (ref !== undefined && ref.type === 'anyref' && ref.value instanceof GcStruct && ref.value.serial === p.serial) {
        watchedObjects.set(p.serial, ref.value);
        return a.rw;
      }
    } else if (a.kind === 'element') {
      if (p.kind !== 'element') continue;
      const s = t.operandStack(0);
      const ref = s[s.length - 1 - a.ref];
      if (ref === undefined || ref.type !== 'anyref' || !(ref.value instanceof GcArray) || ref.value.serial !== p.serial) continue;
      const start = num(s[s.length - 1 - a.index]);
      const len = a.len !== undefined ? num(s[s.length - 1 - a.len]) : 1;
      if (start === undefined || len === undefined || !(start <= p.index && p.index < start + len)) continue;
      watchedObjects.set(p.serial, ref.value);
      return a.rw;
    } else if (p.kind === 'memory') {
      const s = t.operandStack(0);
      const base = num(s[s.length - 1 - a.addr]);
      const len = a.len !== undefined ? num(s[s.length - 1 - a.len]) : a.size;
      if (base === undefined || len === undefined) continue;
      const start = base + a.offset;
      if (start < p.address + p.length && p.address < start + len) return a.rw;
    }
  }
  return found;
}

/** The struct or array each field or element watch was last seen on (a replay makes the object
 * anew, with the same serial). */
const watchedObjects = new Map<number, GcStruct | GcArray>();

/** Starts following a struct or an array for a field or element watch. */
export function watchObject(o: GcStruct | GcArray): void {
  watchedObjects.set(o.serial, o);
}

/** The watched place's current value, as text. */
function valueOf(t: DebugTarget, p: WatchPlace): string {
  switch (p.kind) {
    case 'global': {
      const g = t.globals()[p.index];
      return g ? formatValue(g.value) : '?';
    }
    case 'local': {
      const frame = t.depth() - p.depth;
      const l = frame >= 0 ? t.locals(frame).find((x) => x.index === p.index) : undefined;
      return l ? formatValue(l.value) : '?';
    }
    case 'field': {
      const s = watchedObjects.get(p.serial);
      if (!(s instanceof GcStruct) || s.type.comp.kind !== 'struct') return '?';
      const f = s.type.comp.fields[p.field];
      return f ? formatValue(fieldValue(f, s.words, structLayout(s.type).offsets[p.field]!, s.store)) : '?';
    }
    case 'element': {
      const a = watchedObjects.get(p.serial);
      return a instanceof GcArray && p.index < a.length ? formatValue(fieldValue(a.elemType, a.words, p.index * a.stride, a.store)) : '?';
    }
    case 'memory': {
      const mem = t.memory(0);
      if (!mem) return '?';
      const bytes = [...mem.subarray(p.address, p.address + p.length)].map((x) => x.toString(16).padStart(2, '0')).join(' ');
      return p.length === 4 && p.address + 4 <= mem.length
        ? `${bytes} (${new DataView(mem.buffer, mem.byteOffset).getInt32(p.address, true)})` : bytes;
    }
  }
}

export function placeName(p: WatchPlace): string {
  switch (p.kind) {
    case 'global': case 'local': case 'field': case 'element': return p.name;
    case 'memory': return `mem[0x${p.address.toString(16)}..0x${(p.address + p.length).toString(16)}]`;
  }
}

/** What happened at a data site: stop here before a read, or after a write (the machine stepped it). */
export interface DataHit {
  ids: number[];
  text: string;
}

export class DataBreakpoints {
  private watches: Watch[] = [];
  private sites: Map<number, Site> | undefined;

  constructor(private readonly module: Module) {}

  get active(): boolean {
    return this.watches.length > 0;
  }

  set(watches: Watch[]): void {
    this.watches = watches;
  }

  private allSites(): Map<number, Site> {
    this.sites ??= dataSites(this.module);
    return this.sites;
  }

  /** The engine breakpoints the current watches need: instructions that may touch their places. */
  offsets(): { funcIndex: number; offset: number }[] {
    if (this.watches.length === 0) return [];
    const out: { funcIndex: number; offset: number }[] = [];
    for (const s of this.allSites().values()) {
      if (s.accesses.some((a) => this.watches.some((w) => mayTouch(s, a, w)))) out.push({ funcIndex: s.funcIndex, offset: s.offset });
    }
    return out;
  }

  has(offset: number): boolean {
    return this.watches.length > 0 && this.allSites().has(offset);
  }

  /**
   * At a data site (the machine before its instruction): a watched read stops here; a watched write
   * is executed with `stepOver` and stops after it when it wrote the place (a host call when it
   * changed it). Undefined: carry on. `stepOver` returns false when the step did not complete.
   */
  check(t: DebugTarget, offset: number, stepOver: () => boolean): DataHit | undefined {
    const site = this.allSites().get(offset);
    if (site === undefined) return undefined;
    const reads: Watch[] = [];
    const writes: { w: Watch; how: 'write' | 'maybe'; before: string }[] = [];
    for (const w of this.watches) {
      const how = touches(t, site, w);
      if (how === 'read') reads.push(w);
      else if (how !== undefined) writes.push({ w, how, before: valueOf(t, w.place) });
    }
    if (reads.length > 0) {
      return { ids: reads.map((w) => w.id), text: reads.map((w) => `read ${placeName(w.place)} = ${valueOf(t, w.place)}`).join('; ') };
    }
    if (writes.length === 0 || !stepOver()) return undefined;
    const hit: { id: number; text: string }[] = [];
    for (const { w, how, before } of writes) {
      const after = valueOf(t, w.place);
      if (how === 'maybe' && after === before) continue;
      hit.push({ id: w.id, text: `${placeName(w.place)}: ${before} → ${after}` });
    }
    return hit.length > 0 ? { ids: hit.map((h) => h.id), text: hit.map((h) => h.text).join('; ') } : undefined;
  }
}
