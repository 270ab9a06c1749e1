// The assembler: module model → Wasm binary (with a `name` section) and an instruction source map.
// Section and segment encodings follow wabt's choices so output is byte-identical to wat2wasm's.
import { ByteWriter } from './byte-writer';
import { decodeModule } from '../binary/decode';
import { FeatureError, type Features } from '../features';
import { parseWat } from './document';
import { ParseError } from './errors';
import type { BlockType, ElemField, Instr, Limits, SymbolDef, TextModule, ValType } from './model';
import { SourceMap, type FieldMapping, type FuncMapping, type InstrMapping } from './source-map';
import { HEAP_BY_NAME, SHORTHAND_BY_NAME } from '../types';

export interface AssembleOptions {
  /** Emit the `name` section (default true). */
  names?: boolean;
  /** Include block label names (subsection 3; default false — wat2wasm does not write them). */
  labelNames?: boolean;
  /** When given, a module using a proposal that is off is a ParseError at the text that uses it
   * (`tail calls are disabled: return_call at 0x..`), as the decoder would reject its binary. */
  features?: Features;
}

export interface AssembleResult {
  bytes: Uint8Array;
  sourceMap: SourceMap;
}

const VALTYPE_BYTE: Record<string, number> = {
  i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, i8: 0x78, i16: 0x77, ...SHORTHAND_BY_NAME,
};

const CATCH_KIND: Record<string, number> = { catch: 0, catch_ref: 1, catch_all: 2, catch_all_ref: 3 };

/** Assembles a model; throws ParseError when the model has errors. */
export function assemble(m: TextModule, options: AssembleOptions = {}): AssembleResult {
  const first = m.errors[0];
  if (first) throw new ParseError(first.message, m.lines.range(first.start, first.end));
  const out = new Assembler(m, options).run();
  if (options.features !== undefined) checkFeatures(m, out, options.features);
  return out;
}

/** Decodes the binary with `features`; a FeatureError becomes a ParseError at its instruction (or
 * the module, for a section-level use). Other decode errors are not the text's to report here. */
function checkFeatures(m: TextModule, out: AssembleResult, features: Features): void {
  try {
    decodeModule(out.bytes, { features });
  } catch (e) {
    if (!(e instanceof FeatureError)) return;
    const range = out.sourceMap.rangeAt(e.offset) ?? m.lines.range(0, 0);
    throw new ParseError(e.message, range);
  }
}

/** Parses and assembles a `.wat` text; throws ParseError on the first error. */
export function watToBinary(text: string, options: AssembleOptions = {}): AssembleResult & { module: TextModule } {
  const doc = parseWat(text, options.features);
  const first = doc.errors[0];
  if (first) throw new ParseError(first.message, doc.tree.lines.range(first.start, first.end));
  return { ...assemble(doc.module, options), module: doc.module };
}

class Assembler {
  private readonly out = new ByteWriter();
  private readonly instrs: InstrMapping[] = [];
  private readonly funcMaps: FuncMapping[] = [];
  private readonly fieldMaps: FieldMapping[] = [];
  /** Fields marked while a section is filled: offsets relative to the section's content. */
  private marks: { at: number; node: { start: number; end: number } }[] = [];

  /** Type indices by `$name`, for reference types written with names. */
  private readonly typeNames = new Map<string, number>();

  constructor(private readonly m: TextModule, private readonly options: AssembleOptions) {
    for (const t of m.types) if (t.def.name !== undefined) this.typeNames.set(t.def.name, t.index);
  }

  /** A heap type's encoding: an abstract type's byte, or a type index (s33). */
  private heapType(w: ByteWriter, h: string): void {
    const code = HEAP_BY_NAME[h];
    if (code !== undefined) w.byte(code);
    else w.s64(BigInt(h.startsWith('$') ? (this.typeNames.get(h) ?? 0) : Number(h)));
  }

  /** A value or storage type: one byte, or 0x63/0x64 and a heap type. */
  private valType(w: ByteWriter, t: string): void {
    const b = VALTYPE_BYTE[t];
    if (b !== undefined) {
      w.byte(b);
      return;
    }
    const m = /^\(ref (null )?(\S+)\)$/.exec(t);
    if (!m) throw new Error(`not a value type: ${t}`);
    w.byte(m[1] ? 0x63 : 0x64);
    this.heapType(w, m[2]!);
  }

  private isNullableRef(t: string): boolean {
    return VALTYPE_BYTE[t] !== undefined || t.startsWith('(ref null ');
  }

  run(): AssembleResult {
    const m = this.m;
    const out = this.out;
    out.bytes(Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00));

    if (m.types.length > 0) {
      this.section(1, (w) => {
        // Consecutive types of one `(rec ...)` are one entry.
        let entries = 0;
        for (let k = 0; k < m.types.length; k++) {
          const rec = m.types[k]!.gc?.rec ?? -1;
          if (rec < 0 || k === 0 || m.types[k - 1]!.gc?.rec !== rec) entries++;
        }
        w.u32(entries);
        for (let k = 0; k < m.types.length; k++) {
          const t = m.types[k]!;
          const rec = t.gc?.rec ?? -1;
          if (rec >= 0 && (k === 0 || m.types[k - 1]!.gc?.rec !== rec)) {
            let n = 0;
            while (k + n < m.types.length && m.types[k + n]!.gc?.rec === rec) n++;
            w.byte(0x4e);
            w.u32(n);
          }
          const gc = t.gc;
          if (gc && (!gc.final || gc.supers.length > 0)) {
            w.byte(gc.final ? 0x4f : 0x50);
            w.u32(gc.supers.length);
            for (const sup of gc.supers) w.u32(sup.startsWith('$') ? (this.typeNames.get(sup) ?? 0) : Number(sup));
          }
          if (gc && gc.kind !== 'func') {
            if (gc.kind === 'struct') {
              w.byte(0x5f);
              w.u32(gc.fields.length);
            } else w.byte(0x5e);
            for (const f of gc.kind === 'struct' ? gc.fields : gc.fields.slice(0, 1)) {
              this.valType(w, f.type);
              w.byte(f.mutable ? 1 : 0);
            }
            continue;
          }
          w.byte(0x60);
          this.valTypes(w, t.type.params);
          this.valTypes(w, t.type.results);
        }
      });
    }
    if (m.imports.length > 0) {
      this.section(2, (w) => {
        w.u32(m.imports.length);
        for (const entry of m.imports) {
          const imp = entry.field.import;
          if (!imp) continue;
          w.name(imp.moduleBytes);
          w.name(imp.nameBytes);
          switch (entry.kind) {
            case 'func':
              w.byte(0);
              w.u32(entry.field.typeIndex);
              break;
            case 'table':
              w.byte(1);
              this.valType(w, entry.field.refType);
              this.limits(w, entry.field.limits);
              break;
            case 'memory':
              w.byte(2);
              this.limits(w, entry.field.limits);
              break;
            case 'global':
              w.byte(3);
              this.valType(w, entry.field.type);
              w.byte(entry.field.mutable ? 1 : 0);
              break;
            case 'tag':
              w.byte(4);
              w.byte(0); // attribute: exception
              w.u32(entry.field.typeIndex);
              break;
          }
        }
      });
    }
    const funcs = m.funcs.filter((f) => !f.import);
    if (funcs.length > 0) {
      this.section(3, (w) => {
        w.u32(funcs.length);
        for (const f of funcs) w.u32(f.typeIndex);
      });
    }
    const tables = m.tables.filter((t) => !t.import);
    if (tables.length > 0) {
      this.section(4, (w) => {
        w.u32(tables.length);
        for (const t of tables) {
          if (t.init !== undefined) w.bytes(Uint8Array.of(0x40, 0x00));
          this.valType(w, t.refType);
          this.limits(w, t.limits);
          if (t.init !== undefined) this.constExpr(w, t.init);
        }
      });
    }
    const mems = m.memories.filter((x) => !x.import);
    if (mems.length > 0) {
      this.section(5, (w) => {
        w.u32(mems.length);
        for (const x of mems) this.limits(w, x.limits);
      });
    }
    const tags = m.tags.filter((t) => !t.import);
    if (tags.length > 0) {
      this.section(13, (w) => {
        w.u32(tags.length);
        for (const t of tags) {
          w.byte(0);
          w.u32(t.typeIndex);
        }
      });
    }
    const globals = m.globals.filter((g) => !g.import);
    if (globals.length > 0) {
      this.section(6, (w) => {
        w.u32(globals.length);
        for (const g of globals) {
          this.mark(w, g.node);
          this.valType(w, g.type);
          w.byte(g.mutable ? 1 : 0);
          this.constExpr(w, g.init);
        }
      });
    }
    if (m.exports.length > 0) {
      this.section(7, (w) => {
        w.u32(m.exports.length);
        for (const e of m.exports) {
          this.mark(w, e.node);
          w.name(e.nameBytes);
          w.byte({ func: 0, table: 1, memory: 2, global: 3, tag: 4 }[e.kind]);
          w.u32(e.ref.index);
        }
      });
    }
    if (m.start) {
      const start = m.start;
      this.section(8, (w) => w.u32(start.index));
    }
    if (m.elems.length > 0) {
      // A segment's exact type (`(ref func)` or `funcref`) matters only to a typed table or an array
      // type (array.new_elem / init_elem); elsewhere both encodings mean the same.
      const typedSegments = m.tables.some((t) => t.refType !== 'funcref' && t.refType !== 'externref')
        || m.types.some((t) => t.gc?.kind === 'array');
      this.section(9, (w) => {
        w.u32(m.elems.length);
        for (const e of m.elems) {
          this.mark(w, e.node);
          this.elem(w, e, typedSegments);
        }
      });
    }
    // A data count section only when code needs it (memory.init / data.drop), like wabt — but also
    // with zero segments (wabt omits it then), so `data.drop 0` stays invalid rather than malformed.
    const needsDataCount = funcs.some((f) => f.body.some((i) => i.op === 'memory.init' || i.op === 'data.drop'));
    if (needsDataCount) this.section(12, (w) => w.u32(m.datas.length));
    if (funcs.length > 0) this.codeSection(funcs);
    if (m.datas.length > 0) {
      this.section(11, (w) => {
        w.u32(m.datas.length);
        for (const d of m.datas) {
          this.mark(w, d.node);
          if (d.mode === 'passive') w.byte(1);
          else if (d.memoryIndex === 0) {
            w.byte(0);
            this.constExpr(w, d.offset);
          } else {
            w.byte(2);
            w.u32(d.memoryIndex);
            this.constExpr(w, d.offset);
          }
          w.u32(d.bytes.length);
          w.bytes(d.bytes);
        }
      });
    }
    if (this.options.names !== false) this.nameSection();
    return { bytes: out.toBytes(), sourceMap: new SourceMap(m.lines, this.instrs, this.funcMaps, this.fieldMaps) };
  }

  /** Writes a section whose content is produced by `fill`; returns the content's start offset. */
  private section(id: number, fill: (w: ByteWriter) => void): number {
    const w = new ByteWriter();
    this.marks = [];
    fill(w);
    this.out.byte(id);
    this.out.u32(w.length);
    const start = this.out.length;
    this.out.bytes(w.toBytes());
    this.marks.forEach((mk, i) => {
      const next = this.marks[i + 1]?.at ?? w.length;
      this.fieldMaps.push({ offset: start + mk.at, endOffset: start + next, start: mk.node.start, end: mk.node.end });
    });
    this.marks = [];
    return start;
  }

  /** Records that the field written next to `w` comes from `node` (for errors outside code). */
  private mark(w: ByteWriter, node: { start: number; end: number } | undefined): void {
    if (node) this.marks.push({ at: w.length, node });
  }

  private valTypes(w: ByteWriter, types: ValType[]): void {
    w.u32(types.length);
    for (const t of types) this.valType(w, t);
  }

  /** Flags (bit 0: a maximum follows, bit 1: shared (threads), bit 2: i64 addresses), then u64
   * bounds: Wasm 3.0 writes every bound as a u64 (an i32 bound past 2^32 is for validation to
   * reject); below 2^32 the LEB128 bytes are the same as a u32's. */
  private limits(w: ByteWriter, l: Limits): void {
    const min = l.exact?.min ?? BigInt(l.min);
    const max = l.max === undefined ? undefined : (l.exact?.max ?? BigInt(l.max));
    w.byte((l.i64 ? 4 : 0) | (l.shared ? 2 : 0) | (max === undefined ? 0 : 1));
    w.u64(min);
    if (max !== undefined) w.u64(max);
  }

  private constExpr(w: ByteWriter, instrs: Instr[]): void {
    for (const i of instrs) this.instr(w, i);
    w.byte(0x0b);
  }

  private elem(w: ByteWriter, e: ElemField, typed: boolean): void {
    // Wasm 3.0 decodes function indices as a `(ref func)` segment, `funcref (ref.func $f)*` as a
    // `funcref` one (flags 4-7, nullable), which does not fit a `(ref func)` table (elem.wast). Where
    // the difference cannot matter, `funcref (ref.func $f)*` is written as indices, like wabt.
    const asIndices = (e.funcIndices || !typed) &&
      e.refType === 'funcref' && e.items.every((it) => it.length === 1 && it[0]?.op === 'ref.func');
    let flags = asIndices ? 0 : 4;
    if (e.mode === 'passive') flags |= 1;
    else if (e.mode === 'declarative') flags |= 3;
    // flags 0 and 4 imply table 0 and funcref; anything else needs the explicit form
    else if (e.tableIndex !== 0 || e.refType !== 'funcref') flags |= 2;
    w.u32(flags);
    if (e.mode === 'active') {
      if (flags & 2) w.u32(e.tableIndex);
      this.constExpr(w, e.offset);
    }
    if (flags & 3) {
      if (asIndices) w.byte(0x00);
      else this.valType(w, e.refType);
    }
    w.u32(e.items.length);
    for (const it of e.items) {
      if (asIndices) w.u32(it[0]?.refs?.[0]?.index ?? 0);
      else this.constExpr(w, it);
    }
  }

  private codeSection(funcs: TextModule['funcs']): void {
    const w = new ByteWriter();
    w.u32(funcs.length);
    const pending: InstrMapping[] = [];
    const bodies: { f: (typeof funcs)[number]; bodyStart: number; bodyEnd: number }[] = [];
    for (const f of funcs) {
      const body = new ByteWriter();
      // locals, run-length compressed
      const groups: [number, ValType][] = [];
      for (const l of f.locals) {
        const last = groups[groups.length - 1];
        if (last && last[1] === l.type) last[0]++;
        else groups.push([1, l.type]);
      }
      body.u32(groups.length);
      for (const [n, t] of groups) {
        body.u32(n);
        this.valType(body, t);
      }
      const marks: { at: number; i: Instr }[] = [];
      for (let k = 0; k < f.body.length; k++) {
        const i = f.body[k] as Instr;
        // Like wabt: an empty else branch is not written (`else` directly followed by its `end`).
        if (i.op === 'else' && f.body[k + 1]?.op === 'end') continue;
        marks.push({ at: body.length, i });
        this.instr(body, i);
      }
      w.u32(body.length);
      const bodyStart = w.length;
      w.bytes(body.toBytes());
      bodies.push({ f, bodyStart, bodyEnd: w.length });
      for (const { at, i } of marks) {
        pending.push({ offset: bodyStart + at, funcIndex: f.index, op: i.op, start: i.start, end: i.end, implicit: i.implicit === true });
      }
    }
    const base = this.section(10, (s) => s.bytes(w.toBytes()));
    for (const p of pending) {
      p.offset += base;
      this.instrs.push(p);
    }
    for (const b of bodies) {
      this.funcMaps.push({
        funcIndex: b.f.index, name: b.f.def.name, bodyStart: base + b.bodyStart, bodyEnd: base + b.bodyEnd,
        start: b.f.node.start, end: b.f.node.end,
      });
    }
  }

  private blockType(w: ByteWriter, bt: BlockType | undefined): void {
    if (!bt || bt.kind === 'empty') w.byte(0x40);
    else if (bt.kind === 'value') this.valType(w, bt.type);
    else w.s64(BigInt(bt.index));
  }

  private instr(w: ByteWriter, i: Instr): void {
    const info = i.info;
    if (info.name === 'select' && i.types !== undefined && i.types.length > 0) {
      w.byte(0x1c);
      this.valTypes(w, i.types);
      return;
    }
    let code = info.code;
    // ref.test / ref.cast: the nullable form is the next opcode
    if (info.imm === 'reftype' && this.isNullableRef(i.refTypes?.[0] ?? 'anyref')) code++;
    if (info.prefix !== 0) {
      w.byte(info.prefix);
      w.u32(code);
    } else w.byte(code);
    const refs = i.refs ?? [];
    const idx = (k: number): number => Math.max(0, refs[k]?.index ?? 0);
    switch (info.imm) {
      case 'none':
      case 'else':
      case 'end':
      case 'select':
        return;
      case 'block':
        this.blockType(w, i.blockType);
        return;
      case 'try_table': {
        this.blockType(w, i.blockType);
        const catches = i.catches ?? [];
        w.u32(catches.length);
        for (const cl of catches) {
          const kind = CATCH_KIND[cl.kind] ?? 0;
          w.byte(kind);
          if (kind < 2) w.u32(Math.max(0, cl.tag?.index ?? 0));
          w.u32(Math.max(0, cl.label.index));
        }
        return;
      }
      case 'catch_all':
        return;
      case 'tag':
      case 'catch':
      case 'delegate':
      case 'label':
      case 'func':
      case 'local':
      case 'global':
      case 'elem':
      case 'data':
      case 'table':
        w.u32(idx(0));
        return;
      case 'memory':
        w.u32(idx(0));
        return;
      case 'zero':
        w.byte(0);
        return;
      case 'br_table': {
        w.u32(refs.length - 1);
        for (const r of refs) w.u32(Math.max(0, r.index));
        return;
      }
      case 'call_indirect':
        w.u32(i.typeIndex ?? 0);
        w.u32(idx(0));
        return;
      case 'table.init':
      case 'memory.init':
        w.u32(idx(1));
        w.u32(idx(0));
        return;
      case 'table.copy':
      case 'memory.copy':
        w.u32(idx(0));
        w.u32(idx(1));
        return;
      case 'memarg':
      case 'memarg_lane': {
        const ma = i.memarg ?? { align: 0, offset: 0n };
        const mem = idx(0);
        if (mem !== 0) {
          // multi-memory: bit 6 of the alignment flags says a memory index follows
          w.u32(ma.align | 0x40);
          w.u32(mem);
        } else w.u32(ma.align);
        w.u64(ma.offset);
        if (info.imm === 'memarg_lane') w.byte(i.lanes?.[0] ?? 0);
        return;
      }
      case 'i32':
        w.s32(Number(i.value ?? 0));
        return;
      case 'i64':
        w.s64(BigInt(i.value as bigint));
        return;
      case 'f32':
        w.f32Bits(Number(i.value ?? 0));
        return;
      case 'f64':
        w.f64Bits(BigInt(i.value as bigint));
        return;
      case 'v128':
        w.bytes(i.value instanceof Uint8Array ? i.value : new Uint8Array(16));
        return;
      case 'shuffle': {
        const lanes = i.lanes ?? [];
        for (let k = 0; k < 16; k++) w.byte(lanes[k] ?? 0);
        return;
      }
      case 'lane':
        w.byte(i.lanes?.[0] ?? 0);
        return;
      case 'heaptype':
        this.heapType(w, i.heapType ?? 'func');
        return;
      case 'typeidx':
        w.u32(idx(0));
        return;
      case 'typefield':
      case 'type_count':
        w.u32(idx(0));
        w.u32(i.fieldIndex ?? 0);
        return;
      case 'type_data':
      case 'type_elem':
      case 'type_type':
        w.u32(idx(0));
        w.u32(idx(1));
        return;
      case 'reftype':
        this.heapType(w, heapOfText(i.refTypes?.[0] ?? 'anyref'));
        return;
      case 'br_on_cast': {
        const [a, b] = i.refTypes ?? ['anyref', 'anyref'];
        w.byte((this.isNullableRef(a!) ? 1 : 0) | (this.isNullableRef(b!) ? 2 : 0));
        w.u32(idx(0));
        this.heapType(w, heapOfText(a!));
        this.heapType(w, heapOfText(b!));
        return;
      }
    }
  }

  /** The `name` section: module, function, local, label, type, table, memory, global, elem, data, field and tag names. */
  private nameSection(): void {
    const m = this.m;
    const enc = new TextEncoder();
    const w = new ByteWriter();
    const sub = (id: number, fill: (s: ByteWriter) => void): void => {
      const s = new ByteWriter();
      fill(s);
      w.byte(id);
      w.u32(s.length);
      w.bytes(s.toBytes());
    };
    // `$"a b"` (a quoted id's canonical text) names `a b`, as `$ab` names `ab`.
    const idName = (id: string): string => (id.startsWith('$"') ? id.slice(2, -1) : id.slice(1));
    const nameOf = (d: SymbolDef): Uint8Array => enc.encode(d.name === undefined ? '' : idName(d.name));
    const nameMap = (s: ByteWriter, defs: SymbolDef[]): void => {
      s.u32(defs.length);
      for (const d of defs) {
        s.u32(d.index);
        s.name(nameOf(d));
      }
    };
    const named = (defs: SymbolDef[]): SymbolDef[] => defs.filter((d) => d.name !== undefined);
    if (m.name !== undefined) sub(0, (s) => s.name(enc.encode(idName(m.name!))));
    const fnames = named(m.funcs.map((f) => f.def));
    if (fnames.length > 0) sub(1, (s) => nameMap(s, fnames));
    // Like wat2wasm --debug-names: the local-name subsection is always written, and every function
    // (imports too) gets an entry, maybe empty.
    {
      sub(2, (s) => {
        s.u32(m.funcs.length);
        for (const f of m.funcs) {
          s.u32(f.index);
          nameMap(s, named([...f.params, ...f.locals].map((l) => l.def)));
        }
      });
    }
    const withLabels = this.options.labelNames ? m.funcs.filter((f) => f.labels.some((l) => l.name !== undefined)) : [];
    if (withLabels.length > 0) {
      sub(3, (s) => {
        s.u32(withLabels.length);
        for (const f of withLabels) {
          s.u32(f.index);
          nameMap(s, named(f.labels));
        }
      });
    }
    // Subsection 10 (between datas and tags): struct field names, by type index.
    const fieldNames = (): void => {
      const structs = m.types.filter((t) => t.gc?.kind === 'struct' && t.gc.fields.some((f) => f.name !== undefined));
      if (structs.length === 0) return;
      sub(10, (s) => {
        s.u32(structs.length);
        for (const t of structs) {
          s.u32(t.index);
          const fields = t.gc!.fields.flatMap((f, i) => (f.name === undefined ? [] : [[i, f.name] as const]));
          s.u32(fields.length);
          for (const [i, name] of fields) {
            s.u32(i);
            s.name(enc.encode(idName(name)));
          }
        }
      });
    };
    const spaces: [number, SymbolDef[]][] = [
      [4, m.types.map((t) => t.def)],
      [5, m.tables.map((t) => t.def)],
      [6, m.memories.map((x) => x.def)],
      [7, m.globals.map((g) => g.def)],
      [8, m.elems.map((e) => e.def)],
      [9, m.datas.map((d) => d.def)],
      [11, m.tags.map((t) => t.def)],
    ];
    for (const [id, defs] of spaces) {
      if (id === 11) fieldNames();
      const n = named(defs);
      if (n.length > 0) sub(id, (s) => nameMap(s, n));
    }
    const content = new ByteWriter();
    content.name(enc.encode('name'));
    content.bytes(w.toBytes());
    this.out.byte(0);
    this.out.u32(content.length);
    this.out.bytes(content.toBytes());
  }
}

/** The heap type of a reference type's text (`anyref` → any, `(ref null $t)` → $t). */
function heapOfText(t: string): string {
  const m = /^\(ref (?:null )?(\S+)\)$/.exec(t);
  if (m) return m[1]!;
  const code = SHORTHAND_BY_NAME[t];
  for (const [name, c] of Object.entries(HEAP_BY_NAME)) if (c === code) return name;
  return 'any';
}
