// decodeModule: the Wasm 2.0 binary format into the immutable `Module` model. Bodies are checked
// instruction by instruction here (opcodes, immediates, block nesting) so every malformed input
// fails with a DecodeError at its byte offset; typing is the validator's job.
import { DecodeError } from '../errors';
import { InstrReader, valTypeAt } from './instructions';
import { ByteReader } from './leb128';
import {
  ValType, type ConstExpr, type Data, type Elem, type Export, type Func, type FuncType,
  type GlobalType, type Import, type Limits, type MemoryType, type Module, type Names, type RefType, type TableType,
} from './module';
import { decodeNames, emptyNames } from './names';
import { FeatureError, requireFeature, resolveFeatures, type FeatureName, type Features } from '../features';
import {
  HeapCode, isAbstractCode, PACKED_I16, refOf, PACKED_I8, type CompositeType, type FieldType, type SubType,
} from '../types';

export interface DecodeOptions {
  /** Proposals the module may use (default: the engine's, all of Wasm 3.0). A module using one that
   * is off fails with a FeatureError naming it; encodings a later proposal reinterpreted (memory
   * indices, memarg flags, u64 offsets) read as the older spec says. */
  features?: Features;
  /** Skip the structural check of function bodies (their locals are still read) and read the name
   * section only when a name is first asked for: for viewers that read a body's instructions only
   * when it is shown, so a 50 MB module opens at once. A malformed body then fails where it is
   * read, not here; the engine never decodes this way. */
  skipBodies?: boolean;
  /** Leave the structural check of function bodies to the validator, which reads each body once
   * for both (validateModule checks `bodiesUnchecked` modules so; a malformed body still fails
   * with its DecodeError, before any ValidationError): for callers that validate right after
   * decoding (the engine's `run`), so a 30 MB program's bodies are read once, not twice. */
  deferBodyCheck?: boolean;
}

type FeatureSet = Readonly<Record<FeatureName, boolean>>;

// The tag section (13, exception handling) sits between memory and global.
const SECTION_ORDER: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 5.5, 6: 6, 7: 7, 8: 8, 9: 9, 12: 10, 10: 11, 11: 12 };

/** A malformed name section is not a malformed module (spec: custom sections are ignored). */
function namesOrEmpty(bytes: Uint8Array, start: number, end: number, otherwise: Names): Names {
  try {
    return decodeNames(new ByteReader(bytes, start, end));
  } catch {
    return otherwise;
  }
}

/** For viewers (skipBodies): the name section is read when a name is first asked for. */
function lazyNames(m: Module, bytes: Uint8Array, start: number, end: number): void {
  let names: Names | undefined;
  const fallback = m.names;
  Object.defineProperty(m, 'names', {
    configurable: true,
    enumerable: true,
    get: () => (names ??= namesOrEmpty(bytes, start, end, fallback)),
    set: (value: Names) => {
      names = value;
    },
  });
}

export function decodeModule(bytes: Uint8Array, options: DecodeOptions = {}): Module {
  if (!options.deferBodyCheck || options.skipBodies) return decodeWhole(bytes, options);
  const partial: { m?: Module } = {};
  try {
    return decodeWhole(bytes, options, partial);
  } catch (err) {
    // A malformed body comes before what is malformed after it: the bodies decoded so far are
    // checked (the error path alone), so the error is the one decodeModule gives without deferring.
    if (partial.m !== undefined && err instanceof DecodeError) checkBodies(partial.m, false);
    throw err;
  }
}

function decodeWhole(bytes: Uint8Array, options: DecodeOptions, partial?: { m?: Module }): Module {
  const features = resolveFeatures(options.features);
  const r = new ByteReader(bytes);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new DecodeError('magic header not detected', 0);
  }
  if (bytes.length < 8) throw new DecodeError('unexpected end', bytes.length);
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) throw new DecodeError('unknown binary version', 4);
  r.pos = 8;

  const m: Module = {
    bytes, types: [], subTypes: [], recGroups: [], imports: [], funcs: [], tables: [], memories: [], globals: [], tags: [], exports: [], elems: [], datas: [],
    customSections: [], names: emptyNames(), importedFuncs: 0, importedTables: 0, importedMemories: 0, importedGlobals: 0, importedTags: 0,
    declaredFuncRefs: new Set(), features,
  };
  if (partial !== undefined) partial.m = m;
  let funcTypeIndices: number[] = [];
  let sawCode = false;
  let lastOrder = 0;
  let needsDataCount = false;

  while (!r.atEnd) {
    const idStart = r.pos;
    const id = r.u8();
    if (id > 13) r.fail('malformed section id', idStart);
    const size = r.u32();
    const start = r.pos;
    const end = start + size;
    if (end > bytes.length) r.fail('length out of bounds', start);
    if (id !== 0) {
      const order = SECTION_ORDER[id]!;
      if (order <= lastOrder) r.fail('unexpected content after last section', idStart);
      lastOrder = order;
    }
    const s = new ByteReader(bytes, start, end);
    switch (id) {
      case 0: {
        const name = s.name();
        m.customSections.push({ name, start: s.pos, end });
        if (name === 'name' && options.skipBodies) lazyNames(m, bytes, s.pos, end);
        else if (name === 'name') m.names = namesOrEmpty(bytes, s.pos, end, m.names);
        s.pos = end;
        break;
      }
      case 1: vec(s, () => {
        const at = s.pos;
        const start = m.subTypes.length;
        if (s.pos < s.end && bytes[s.pos] === 0x4e) {
          requireFeature(features, 'gc', 'a recursion group (rec)', at);
          s.pos++;
          vec(s, () => pushSubType(m, subType(s, features)));
        } else {
          const st = subType(s, features);
          if (st.comp.kind === 'func' && st.comp.results.length > 1 && !features.multiValue) {
            throw new FeatureError('multiValue', 'a function type with several results', at);
          }
          pushSubType(m, st);
        }
        m.recGroups.push({ start, size: m.subTypes.length - start });
      }); break;
      case 2: vec(s, () => {
        const module = s.name();
        const name = s.name();
        const kindAt = s.pos;
        const kind = s.u8();
        let imp: Import;
        switch (kind) {
          case 0: imp = { module, name, desc: { kind: 'func', typeIndex: s.u32() } }; m.importedFuncs++; break;
          case 1: imp = { module, name, desc: { kind: 'table', type: tableType(s, features) } }; m.importedTables++; break;
          case 2: imp = { module, name, desc: { kind: 'memory', type: memType(s, features) } }; m.importedMemories++; break;
          case 3: imp = { module, name, desc: { kind: 'global', type: globalType(s) } }; m.importedGlobals++; break;
          case 4:
            requireFeature(features, 'exceptions', 'a tag import', kindAt);
            imp = { module, name, desc: { kind: 'tag', typeIndex: tagType(s) } }; m.importedTags++; break;
          default: throw new DecodeError('malformed import kind', kindAt);
        }
        m.imports.push(imp);
      }); break;
      case 3: vec(s, () => funcTypeIndices.push(s.u32())); break;
      case 4: vec(s, () => {
        const at = s.pos;
        if (s.pos < s.end && bytes[s.pos] === 0x40) {
          // 0x40 0x00 tabletype expr: a table with an initializer expression.
          s.pos++;
          if (s.u8() !== 0) s.fail('malformed table', at);
          const t = tableType(s, features);
          t.init = constExpr(s, m);
          m.tables.push(t);
        } else m.tables.push(tableType(s, features));
      }); break;
      case 5: vec(s, () => m.memories.push(memType(s, features))); break;
      case 13:
        requireFeature(features, 'exceptions', 'the tag section', idStart);
        vec(s, () => m.tags.push({ typeIndex: tagType(s) }));
        break;
      case 6: vec(s, () => {
        const type = globalType(s);
        m.globals.push({ type, init: constExpr(s, m) });
      }); break;
      case 7: vec(s, () => {
        const name = s.name();
        const kindAt = s.pos;
        const k = s.u8();
        const index = s.u32();
        const kind = (['func', 'table', 'memory', 'global', 'tag'] as const)[k];
        if (kind === undefined) throw new DecodeError('malformed export kind', kindAt);
        if (kind === 'tag') requireFeature(features, 'exceptions', 'a tag export', kindAt);
        if (kind === 'func') m.declaredFuncRefs.add(index);
        m.exports.push({ name, kind, index } satisfies Export);
      }); break;
      case 8: m.start = s.u32(); break;
      case 9: vec(s, () => m.elems.push(elemSegment(s, m))); break;
      case 12: m.dataCount = s.u32(); break;
      case 10: {
        sawCode = true;
        const n = s.u32();
        if (n !== funcTypeIndices.length) s.fail('function and code section have inconsistent lengths', start);
        const ir = new InstrReader(s, features);
        for (let i = 0; i < n; i++) {
          const entryStart = s.pos;
          const bodySize = s.u32();
          const bodyEnd = s.pos + bodySize;
          if (bodyEnd > end) s.fail('unexpected end of section or function', s.pos);
          const saveEnd = s.end;
          s.end = bodyEnd;
          const locals: ValType[] = [];
          let total = 0;
          const groups = s.u32();
          for (let g = 0; g < groups; g++) {
            const count = s.u32();
            total += count;
            if (total > 0xffffffff || total > 50000) s.fail('too many locals', s.pos);
            const t = valType(s);
            for (let k = 0; k < count; k++) locals.push(t);
          }
          const bodyStart = s.pos;
          if (options.skipBodies || options.deferBodyCheck) s.pos = bodyEnd;
          else if (checkBody(ir, bodyEnd, features)) needsDataCount = true;
          s.end = saveEnd;
          m.funcs.push({ typeIndex: funcTypeIndices[i]!, locals, bodyStart, bodyEnd, entryStart } satisfies Func);
        }
        break;
      }
      case 11: {
        const n = s.u32();
        if (m.dataCount !== undefined && n !== m.dataCount) s.fail('data count and data section have inconsistent lengths', start);
        for (let i = 0; i < n; i++) m.datas.push(dataSegment(s, m));
        break;
      }
    }
    if (s.pos !== end) s.fail('section size mismatch', s.pos);
    r.pos = end;
  }
  if (!sawCode && funcTypeIndices.length > 0) throw new DecodeError('function and code section have inconsistent lengths', bytes.length);
  if (m.dataCount !== undefined && m.datas.length !== m.dataCount) {
    throw new DecodeError('data count and data section have inconsistent lengths', bytes.length);
  }
  if (needsDataCount && m.dataCount === undefined) throw new DecodeError('data count section required', bytes.length);
  if (options.deferBodyCheck && !options.skipBodies && m.funcs.length > 0) m.bodiesUnchecked = true;
  funcTypeIndices = [];
  return m;
}

function vec(s: ByteReader, each: () => void): void {
  const n = s.u32();
  for (let i = 0; i < n; i++) each();
}

function valType(s: ByteReader): ValType {
  return valTypeAt(s) as ValType;
}

function refType(s: ByteReader): RefType {
  const at = s.pos;
  const b = at < s.end ? s.bytes[at] : undefined;
  if (b === 0x63 || b === 0x64) return valTypeAt(s) as RefType;
  const t = s.u8();
  if (!isAbstractCode(t)) s.fail('malformed reference type', at);
  return t as RefType;
}

function storageType(s: ByteReader): ValType {
  const b = s.pos < s.end ? s.bytes[s.pos] : undefined;
  if (b === PACKED_I8 || b === PACKED_I16) {
    s.pos++;
    return b as ValType;
  }
  return valType(s);
}

function fieldType(s: ByteReader): FieldType {
  const type = storageType(s);
  const at = s.pos;
  const mut = s.u8();
  if (mut > 1) s.fail('malformed mutability', at);
  return { type, mutable: mut === 1 };
}

function compositeType(s: ByteReader, features: FeatureSet): CompositeType {
  const at = s.pos;
  const form = s.u8();
  switch (form) {
    case 0x60: {
      const params: ValType[] = [];
      const results: ValType[] = [];
      vec(s, () => params.push(valType(s)));
      vec(s, () => results.push(valType(s)));
      return { kind: 'func', params, results };
    }
    case 0x5f: {
      requireFeature(features, 'gc', 'a struct type', at);
      const fields: FieldType[] = [];
      vec(s, () => fields.push(fieldType(s)));
      return { kind: 'struct', fields };
    }
    case 0x5e:
      requireFeature(features, 'gc', 'an array type', at);
      return { kind: 'array', field: fieldType(s) };
    default:
      return s.fail('integer representation too long', at);
  }
}

/** `sub final? supers comptype` (0x50 / 0x4f), or a bare composite type (final, no supertypes). */
function subType(s: ByteReader, features: FeatureSet): SubType {
  const at = s.pos;
  const b = at < s.end ? s.bytes[at] : undefined;
  if (b === 0x50 || b === 0x4f) {
    requireFeature(features, 'gc', b === 0x50 ? 'a subtype (sub)' : 'a final subtype (sub final)', at);
    s.pos++;
    const supers: number[] = [];
    vec(s, () => supers.push(s.u32()));
    return { final: b === 0x4f, supers, comp: compositeType(s, features) };
  }
  return { final: true, supers: [], comp: compositeType(s, features) };
}

function pushSubType(m: Module, st: SubType): void {
  m.subTypes.push(st);
  const c = st.comp;
  m.types.push(c.kind === 'func' ? { params: c.params, results: c.results } satisfies FuncType : { params: [], results: [], kind: c.kind });
}

/** A tag type: attribute 0 (exception), then a function type index. */
function tagType(s: ByteReader): number {
  const at = s.pos;
  if (s.u8() !== 0) s.fail('malformed tag attribute', at);
  return s.u32();
}

/** Limits: flag bit 0 = a maximum follows, bit 1 = shared (threads; memories only), bit 2 = i64
 * addresses (memory64/table64, u64 bounds). */
function limits(s: ByteReader, features: FeatureSet, what: 'memory' | 'table'): Limits {
  const at = s.pos;
  const flag = s.u8();
  const allowed = what === 'memory' && features.threads ? 7 : 5;
  if ((flag & ~allowed) !== 0) {
    if ((flag & ~7) === 0 && what === 'memory') throw new FeatureError('threads', 'a shared memory', at);
    s.fail(flag & 0x80 ? 'integer representation too long' : 'integer too large', at);
  }
  const i64 = (flag & 4) !== 0;
  if (i64 && !features.memory64) throw new FeatureError('memory64', `an i64 ${what} type`, at);
  // Wasm 3.0 (memory64) encodes every bound as a u64; validation bounds i32 memories and tables.
  const bound = (): number => (i64 || features.memory64 ? u64Number(s) : s.u32());
  const min = bound();
  const l: Limits = (flag & 1) !== 0 ? { min, max: bound() } : { min };
  if (i64) l.i64 = true;
  if ((flag & 2) !== 0) l.shared = true;
  return l;
}

/** A u64 as a JS number: exact up to 2^53, and larger values stay larger than any real size. */
function u64Number(s: ByteReader): number {
  const pair = [0, 0];
  s.u64(pair);
  return (pair[1]! >>> 0) * 2 ** 32 + (pair[0]! >>> 0);
}

function tableType(s: ByteReader, features: FeatureSet): TableType {
  const elemType = refType(s);
  return { elemType, limits: limits(s, features, 'table') };
}

function memType(s: ByteReader, features: FeatureSet): MemoryType {
  return { limits: limits(s, features, 'memory') };
}

function globalType(s: ByteReader): GlobalType {
  const type = valType(s);
  const at = s.pos;
  const mut = s.u8();
  if (mut > 1) s.fail('malformed mutability', at);
  return { type, mutable: mut === 1 };
}

/** Reads a constant expression up to and including its `end`; records ref.func uses. */
function constExpr(s: ByteReader, m: Module): ConstExpr {
  const start = s.pos;
  const ir = new InstrReader(s, m.features);
  let depth = 0;
  for (;;) {
    ir.read();
    if (ir.op === 0xd2) m.declaredFuncRefs.add(ir.a);
    if (ir.op === 0x02 || ir.op === 0x03 || ir.op === 0x04) depth++;
    if (ir.op === 0x0b) {
      if (depth === 0) break;
      depth--;
    }
  }
  return { start, end: s.pos };
}

function elemSegment(s: ByteReader, m: Module): Elem {
  const offset = s.pos;
  const flags = s.u32();
  if (flags > 7) s.fail('malformed elements segment kind', offset);
  const passiveOrDecl = (flags & 1) !== 0;
  const explicitTable = (flags & 2) !== 0;
  const usesExprs = (flags & 4) !== 0;
  let table = 0;
  let offExpr: ConstExpr | undefined;
  if (!passiveOrDecl) {
    if (explicitTable) table = s.u32();
    offExpr = constExpr(s, m);
  }
  // Function-index forms (Wasm 3.0) hold `(ref func)`: never null.
  let type: RefType = usesExprs ? ValType.funcref : (refOf(false, HeapCode.func) as RefType);
  if (passiveOrDecl || explicitTable) {
    if (usesExprs) type = refType(s);
    else {
      const at = s.pos;
      if (s.u8() !== 0) s.fail('malformed element kind', at);
    }
  }
  let init: ConstExpr[] | number[];
  if (usesExprs) {
    const exprs: ConstExpr[] = [];
    vec(s, () => exprs.push(constExpr(s, m)));
    init = exprs;
  } else {
    const idx: number[] = [];
    vec(s, () => {
      const f = s.u32();
      m.declaredFuncRefs.add(f);
      idx.push(f);
    });
    init = idx;
  }
  const mode: Elem['mode'] = offExpr !== undefined ? { kind: 'active', table, offset: offExpr }
    : explicitTable ? { kind: 'declarative' } : { kind: 'passive' };
  return { type, mode, init, funcIndices: !usesExprs, offset };
}

function dataSegment(s: ByteReader, m: Module): Data {
  const offset = s.pos;
  const flags = s.u32();
  let mode: Data['mode'];
  if (flags === 0) mode = { kind: 'active', memory: 0, offset: constExpr(s, m) };
  else if (flags === 1) mode = { kind: 'passive' };
  else if (flags === 2) {
    const memory = s.u32();
    mode = { kind: 'active', memory, offset: constExpr(s, m) };
  } else throw new DecodeError('malformed data segment kind', offset);
  const len = s.u32();
  const start = s.pos;
  if (start + len > s.end) s.fail('unexpected end of section or function', start);
  s.pos += len;
  return { mode, start, end: start + len, offset };
}

/** The structural check decodeModule leaves out with `deferBodyCheck`, of every body in order, and
 * (`dataCountRule`) the data count rule: throws the DecodeError decodeModule would have thrown for
 * a malformed body. */
export function checkBodies(m: Module, dataCountRule = true): void {
  const features = m.features ?? resolveFeatures();
  const s = new ByteReader(m.bytes);
  const ir = new InstrReader(s, features);
  let needsDataCount = false;
  for (const f of m.funcs) {
    s.pos = f.bodyStart;
    s.end = f.bodyEnd;
    if (checkBody(ir, f.bodyEnd, features)) needsDataCount = true;
  }
  if (dataCountRule && needsDataCount && m.dataCount === undefined) throw new DecodeError('data count section required', m.bytes.length);
}

/** Structural check of a body: known opcodes, well-formed immediates, balanced blocks ending at
 * `bodyEnd`. Returns whether it uses memory.init/data.drop (which need a data count section). */
function checkBody(ir: InstrReader, bodyEnd: number, features: FeatureSet): boolean {
  const s = ir.r;
  let depth = 0;
  let usesData = false;
  for (;;) {
    if (s.pos >= bodyEnd) s.fail('END opcode expected', s.pos);
    ir.read();
    const op = ir.op;
    const feature = ir.info!.feature;
    if (feature !== undefined && !features[feature]) throw new FeatureError(feature, ir.info!.name, ir.start);
    // try_table and legacy try open blocks; `delegate` closes a legacy try as `end` does.
    if (op === 0x02 || op === 0x03 || op === 0x04 || op === 0x1f || op === 0x06) depth++;
    else if (op === 0x0b || op === 0x18) {
      if (op === 0x18 && depth === 0) s.fail('illegal opcode', ir.start);
      if (depth === 0) {
        if (s.pos !== bodyEnd) s.fail('section size mismatch', s.pos);
        return usesData;
      }
      depth--;
    } else if (op === 0xfc0008 || op === 0xfc0009) usesData = true;
  }
}
