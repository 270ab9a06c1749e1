// Decoder of the component binary format (Binary.md: preamble 0x0d 0x00 0x01 0x00). Nested core
// modules go through core/binary's decodeModule; every malformed byte is a DecodeError at its
// offset in the outermost binary.
import { decodeModule, type DecodeOptions } from '../binary/decode';
import { ByteReader } from '../binary/leb128';
import { DecodeError } from '../errors';
import type {
  Alias, BuiltinDef, CanonDef, CanonOpts, Component, CoreExternDesc, CoreInstanceDef, CoreModuleDecl, CoreSort, CoreTypeDef, Decl,
  DefValType, Definition, ExternDesc, ExternName, InstanceDef, PrimValType, Sort, SortIdx, TypeDef, ValTypeRef,
} from './model';

/** The component-model binary version this decoder reads. */
export const COMPONENT_VERSION = 0x0d;

/** True when `bytes` start with the preamble of a component (layer 1), of any version. */
export function isComponent(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d
    && bytes[6] === 1 && bytes[7] === 0;
}

/** `options.features` applies to every nested core module, as decodeModule's does. */
export function decodeComponent(bytes: Uint8Array, options: DecodeOptions = {}): Component {
  return decodeAt(bytes, 0, bytes.length, 0, options);
}

/** Deepest nesting of components (and component/instance types) accepted: bounds the recursion. */
const MAX_DEPTH = 100;

const PRIMS: Record<number, PrimValType> = {
  0x7f: 'bool', 0x7e: 's8', 0x7d: 'u8', 0x7c: 's16', 0x7b: 'u16', 0x7a: 's32', 0x79: 'u32', 0x78: 's64', 0x77: 'u64',
  0x76: 'f32', 0x75: 'f64', 0x74: 'char', 0x73: 'string', 0x64: 'error-context',
};

const CORE_SORTS: Record<number, CoreSort> = {
  0x00: 'func', 0x01: 'table', 0x02: 'memory', 0x03: 'global', 0x04: 'tag', 0x10: 'type', 0x11: 'module', 0x12: 'instance',
};

/** Names of the async/thread built-ins by opcode (decoded so inspect can show them). */
const BUILTINS: Record<number, string> = {
  0x05: 'task.cancel', 0x06: 'subtask.cancel', 0x09: 'task.return', 0x0a: 'context.get', 0x0b: 'context.set',
  0x0c: 'thread.yield', 0x0d: 'subtask.drop', 0x0e: 'stream.new', 0x0f: 'stream.read', 0x10: 'stream.write',
  0x11: 'stream.cancel-read', 0x12: 'stream.cancel-write', 0x13: 'stream.drop-readable', 0x14: 'stream.drop-writable',
  0x15: 'future.new', 0x16: 'future.read', 0x17: 'future.write', 0x18: 'future.cancel-read', 0x19: 'future.cancel-write',
  0x1a: 'future.drop-readable', 0x1b: 'future.drop-writable', 0x1c: 'error-context.new',
  0x1d: 'error-context.debug-message', 0x1e: 'error-context.drop', 0x1f: 'waitable-set.new', 0x20: 'waitable-set.wait',
  0x21: 'waitable-set.poll', 0x22: 'waitable-set.drop', 0x23: 'waitable.join', 0x24: 'backpressure.inc',
  0x25: 'backpressure.dec', 0x26: 'thread.index', 0x27: 'thread.new-indirect', 0x28: 'thread.resume-later',
  0x29: 'thread.suspend', 0x2a: 'thread.suspend-then-resume', 0x2b: 'thread.yield-then-resume',
  0x2c: 'thread.suspend-then-promote', 0x2d: 'thread.yield-then-promote',
};

/** Opcodes of the async/thread built-ins by name (for the text parser). */
export const BUILTIN_CODES: Readonly<Record<string, number>> = Object.fromEntries(Object.entries(BUILTINS).map(([code, name]) => [name, Number(code)]));

function decodeAt(bytes: Uint8Array, start: number, end: number, depth: number, options: DecodeOptions): Component {
  if (depth > MAX_DEPTH) throw new DecodeError('components nested too deeply', start);
  const r = new ByteReader(bytes, start, end);
  const at = (i: number): number | undefined => (start + i < end ? bytes[start + i] : undefined);
  if (end - start < 4 || at(0) !== 0 || at(1) !== 0x61 || at(2) !== 0x73 || at(3) !== 0x6d) {
    throw new DecodeError('magic header not detected', start);
  }
  if (end - start < 8) throw new DecodeError('unexpected end', end);
  if (at(6) !== 1 || at(7) !== 0) throw new DecodeError('not a component (layer field is not 1)', start + 6);
  if (at(4) !== COMPONENT_VERSION || at(5) !== 0) {
    throw new DecodeError(`unknown component binary version 0x${(at(4)! | (at(5)! << 8)).toString(16)} (this reader knows 0x${COMPONENT_VERSION.toString(16)})`, start + 4);
  }
  r.pos = start + 8;
  const c: Component = { bytes, offset: start, size: end - start, definitions: [], customSections: [] };
  const defs = c.definitions;
  while (!r.atEnd) {
    const idStart = r.pos;
    const id = r.u8();
    const size = r.u32();
    const sStart = r.pos;
    const sEnd = sStart + size;
    if (sEnd > end) r.fail('section size out of bounds', sStart);
    const s = new ByteReader(bytes, sStart, sEnd);
    const vec = (each: () => void): void => {
      const n = s.u32();
      for (let i = 0; i < n; i++) each();
    };
    switch (id) {
      case 0: {
        const name = s.name();
        c.customSections.push({ name, offset: s.pos, size: sEnd - s.pos });
        s.pos = sEnd;
        break;
      }
      case 1: {
        let module;
        try {
          module = decodeModule(bytes.subarray(sStart, sEnd), options);
        } catch (err) {
          if (err instanceof DecodeError) throw new DecodeError(`in core module: ${err.reason}`, err.offset + sStart);
          throw err;
        }
        defs.push({ kind: 'core-module', module, offset: sStart, size });
        s.pos = sEnd;
        break;
      }
      case 2:
        vec(() => {
          const offset = s.pos;
          defs.push({ kind: 'core-instance', def: coreInstance(s), offset });
        });
        break;
      case 3:
        vec(() => {
          const offset = s.pos;
          defs.push({ kind: 'core-type', type: coreType(s, depth), offset });
        });
        break;
      case 4:
        defs.push({ kind: 'component', component: decodeAt(bytes, sStart, sEnd, depth + 1, options), offset: sStart });
        s.pos = sEnd;
        break;
      case 5:
        vec(() => {
          const offset = s.pos;
          defs.push({ kind: 'instance', def: instance(s), offset });
        });
        break;
      case 6:
        vec(() => {
          const offset = s.pos;
          defs.push({ kind: 'alias', alias: alias(s), offset });
        });
        break;
      case 7:
        vec(() => {
          const offset = s.pos;
          defs.push({ kind: 'type', type: typeDef(s, depth), offset });
        });
        break;
      case 8:
        vec(() => {
          const offset = s.pos;
          defs.push({ kind: 'canon', def: canon(s), offset });
        });
        break;
      case 9: {
        const offset = s.pos;
        const func = s.u32();
        const args: number[] = [];
        vec(() => args.push(s.u32()));
        const results = s.u32();
        defs.push({ kind: 'start', func, args, results, offset });
        break;
      }
      case 10:
        vec(() => {
          const offset = s.pos;
          const name = externName(s);
          defs.push({ kind: 'import', name, desc: externDesc(s), offset });
        });
        break;
      case 11:
        vec(() => {
          const offset = s.pos;
          const name = externName(s);
          const item = sortIdx(s);
          const desc = optional(s, () => externDesc(s));
          defs.push({ kind: 'export', name, item, desc, offset });
        });
        break;
      case 12:
        s.fail('value definitions (section 12) are not supported', idStart);
        break;
      default:
        r.fail(`malformed component section id ${id}`, idStart);
    }
    if (s.pos !== sEnd) s.fail('section size mismatch', s.pos);
    r.pos = sEnd;
  }
  return c;
}

function optional<T>(r: ByteReader, read: () => T): T | undefined {
  const at = r.pos;
  const b = r.u8();
  if (b === 0) return undefined;
  if (b === 1) return read();
  return r.fail(`malformed optional (0x${b.toString(16)})`, at);
}

function coreSort(r: ByteReader): CoreSort {
  const at = r.pos;
  const b = r.u8();
  const s = CORE_SORTS[b];
  if (s === undefined) r.fail(`malformed core sort 0x${b.toString(16)}`, at);
  return s;
}

function sort(r: ByteReader): Sort {
  const at = r.pos;
  const b = r.u8();
  switch (b) {
    case 0x00: return { core: coreSort(r) };
    case 0x01: return 'func';
    case 0x02: return 'value';
    case 0x03: return 'type';
    case 0x04: return 'component';
    case 0x05: return 'instance';
    default: return r.fail(`malformed sort 0x${b.toString(16)}`, at);
  }
}

function sortIdx(r: ByteReader): SortIdx {
  const s = sort(r);
  return { sort: s, index: r.u32() };
}

/** nameattributes: 0x00/0x01 name, or 0x02 name + attributes (implements, versionsuffix, external-id). */
function externName(r: ByteReader): ExternName {
  const at = r.pos;
  const tag = r.u8();
  if (tag > 2) r.fail(`malformed import/export name tag 0x${tag.toString(16)}`, at);
  const offset = r.pos;
  const name = r.name();
  if (name === '') r.fail('empty import/export name', offset);
  if (tag === 2) {
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const aAt = r.pos;
      const a = r.u8();
      if (a > 2) r.fail(`malformed name attribute 0x${a.toString(16)}`, aAt);
      r.name();
    }
  }
  return { name, offset };
}

function coreInstance(r: ByteReader): CoreInstanceDef {
  const at = r.pos;
  const tag = r.u8();
  if (tag === 0x00) {
    const module = r.u32();
    const args: { name: string; instance: number }[] = [];
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const name = r.name();
      const sAt = r.pos;
      if (r.u8() !== 0x12) r.fail('core instantiate argument must be an instance', sAt);
      args.push({ name, instance: r.u32() });
    }
    return { kind: 'instantiate', module, args };
  }
  if (tag === 0x01) {
    const exports: { name: string; item: { sort: CoreSort; index: number } }[] = [];
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const name = r.name();
      const s = coreSort(r);
      exports.push({ name, item: { sort: s, index: r.u32() } });
    }
    return { kind: 'exports', exports };
  }
  return r.fail(`malformed core instance 0x${tag.toString(16)}`, at);
}

function instance(r: ByteReader): InstanceDef {
  const at = r.pos;
  const tag = r.u8();
  if (tag === 0x00) {
    const component = r.u32();
    const args: { name: string; item: SortIdx }[] = [];
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const name = r.name();
      args.push({ name, item: sortIdx(r) });
    }
    return { kind: 'instantiate', component, args };
  }
  if (tag === 0x01) {
    const exports: { name: ExternName; item: SortIdx }[] = [];
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const name = externName(r);
      exports.push({ name, item: sortIdx(r) });
    }
    return { kind: 'exports', exports };
  }
  return r.fail(`malformed instance 0x${tag.toString(16)}`, at);
}

function alias(r: ByteReader): Alias {
  const s = sort(r);
  const at = r.pos;
  const tag = r.u8();
  switch (tag) {
    case 0x00: {
      const inst = r.u32();
      return { kind: 'export', sort: s, instance: inst, name: r.name() };
    }
    case 0x01: {
      if (typeof s === 'string') r.fail('core export alias of a component sort', at);
      const inst = r.u32();
      return { kind: 'core-export', sort: s.core, instance: inst, name: r.name() };
    }
    case 0x02: {
      const count = r.u32();
      return { kind: 'outer', sort: s, count, index: r.u32() };
    }
    default:
      return r.fail(`malformed alias target 0x${tag.toString(16)}`, at);
  }
}

function coreValType(r: ByteReader): number {
  const at = r.pos;
  const b = r.u8();
  if (b >= 0x7b && b <= 0x7f) return b;
  if (b === 0x70 || b === 0x6f) return b;
  return r.fail(`malformed core value type 0x${b.toString(16)}`, at);
}

function limits(r: ByteReader): { min: number; max: number | undefined; flags: number } {
  const at = r.pos;
  const flags = r.u8();
  if (flags > 7) r.fail('malformed limits flags', at);
  // memory64 limits are u64; they still fit a u32 reader only when small, so read them as s64 halves.
  const read = (): number => ((flags & 4) !== 0 ? Number(BigInt.asUintN(64, r.s64Big())) : r.u32());
  const min = read();
  const max = (flags & 1) !== 0 ? read() : undefined;
  return { min, max, flags };
}

function coreExternDesc(r: ByteReader): CoreExternDesc {
  const at = r.pos;
  const tag = r.u8();
  switch (tag) {
    case 0x00: return { kind: 'func', typeIndex: r.u32() };
    case 0x01: {
      const elemType = coreValType(r);
      if (elemType !== 0x70 && elemType !== 0x6f) r.fail('malformed reference type', at + 1);
      const l = limits(r);
      return { kind: 'table', elemType, min: l.min, max: l.max };
    }
    case 0x02: {
      const l = limits(r);
      return { kind: 'memory', min: l.min, max: l.max, shared: (l.flags & 2) !== 0, memory64: (l.flags & 4) !== 0 };
    }
    case 0x03: {
      const type = coreValType(r);
      const mAt = r.pos;
      const m = r.u8();
      if (m > 1) r.fail('malformed mutability', mAt);
      return { kind: 'global', type, mutable: m === 1 };
    }
    case 0x04: {
      const zAt = r.pos;
      if (r.u8() !== 0) r.fail('malformed tag attribute', zAt);
      return { kind: 'tag', typeIndex: r.u32() };
    }
    default:
      return r.fail(`malformed core import kind 0x${tag.toString(16)}`, at);
  }
}

function coreFuncType(r: ByteReader): CoreTypeDef {
  const params: number[] = [];
  const results: number[] = [];
  let n = r.u32();
  for (let i = 0; i < n; i++) params.push(coreValType(r));
  n = r.u32();
  for (let i = 0; i < n; i++) results.push(coreValType(r));
  return { kind: 'func', params, results };
}

function coreType(r: ByteReader, depth: number): CoreTypeDef {
  const at = r.pos;
  const b = r.u8();
  if (b === 0x60) return coreFuncType(r);
  if (b === 0x50) {
    if (depth > MAX_DEPTH) r.fail('types nested too deeply', at);
    const decls: CoreModuleDecl[] = [];
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const dAt = r.pos;
      const tag = r.u8();
      switch (tag) {
        case 0x00: {
          const module = r.name();
          const name = r.name();
          decls.push({ kind: 'import', module, name, desc: coreExternDesc(r) });
          break;
        }
        case 0x01: {
          const t = coreType(r, depth + 1);
          if (t.kind === 'module') r.fail('module types cannot nest', dAt + 1);
          decls.push({ kind: 'type', type: t });
          break;
        }
        case 0x02: {
          const sAt = r.pos;
          if (r.u8() !== 0x10 || r.u8() !== 0x01) r.fail('core alias declarators must be outer type aliases', sAt);
          const outer = r.u32();
          decls.push({ kind: 'alias', outer, index: r.u32() });
          break;
        }
        case 0x03: {
          const name = r.name();
          decls.push({ kind: 'export', name, desc: coreExternDesc(r) });
          break;
        }
        default:
          r.fail(`malformed module type declaration 0x${tag.toString(16)}`, dAt);
      }
    }
    return { kind: 'module', decls };
  }
  if (b === 0x4e || b === 0x4f || b === 0x5f || b === 0x5e || b === 0x00) {
    return r.fail('core GC types (rec/sub/struct/array) in components are not supported', at);
  }
  return r.fail(`malformed core type 0x${b.toString(16)}`, at);
}

function valType(r: ByteReader): ValTypeRef {
  const at = r.pos;
  const v = r.s33();
  if (v >= 0) return { index: v, offset: at };
  const code = v & 0x7f;
  const prim = PRIMS[code];
  if (prim === undefined) r.fail(`malformed value type 0x${code.toString(16)}`, at);
  return { prim };
}

function label(r: ByteReader): string {
  const at = r.pos;
  const s = r.name();
  if (s === '') r.fail('empty label', at);
  return s;
}

function defValType(r: ByteReader, code: number, at: number): DefValType {
  const prim = PRIMS[code];
  if (prim !== undefined) return { kind: 'prim', prim };
  const vec = <T>(each: () => T): T[] => {
    const n = r.u32();
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(each());
    return out;
  };
  switch (code) {
    case 0x72: return { kind: 'record', fields: vec(() => ({ name: label(r), type: valType(r) })) };
    case 0x71:
      return {
        kind: 'variant',
        cases: vec(() => {
          const name = label(r);
          const type = optional(r, () => valType(r));
          const zAt = r.pos;
          if (r.u8() !== 0) r.fail('malformed variant case (refines is not supported)', zAt);
          return { name, type };
        }),
      };
    case 0x70: return { kind: 'list', elem: valType(r) };
    case 0x67: {
      const elem = valType(r);
      return { kind: 'list', elem, length: r.u32() };
    }
    case 0x6f: return { kind: 'tuple', elems: vec(() => valType(r)) };
    case 0x6e: return { kind: 'flags', names: vec(() => label(r)) };
    case 0x6d: return { kind: 'enum', names: vec(() => label(r)) };
    case 0x6b: return { kind: 'option', elem: valType(r) };
    case 0x6a: {
      const ok = optional(r, () => valType(r));
      return { kind: 'result', ok, err: optional(r, () => valType(r)) };
    }
    case 0x69: return { kind: 'own', index: r.u32() };
    case 0x68: return { kind: 'borrow', index: r.u32() };
    case 0x66: return { kind: 'stream', elem: optional(r, () => valType(r)) };
    case 0x65: return { kind: 'future', elem: optional(r, () => valType(r)) };
    case 0x63: {
      const key = valType(r);
      return { kind: 'map', key, value: valType(r) };
    }
    default:
      return r.fail(`malformed type 0x${code.toString(16)}`, at);
  }
}

function decls(r: ByteReader, depth: number, component: boolean): Decl[] {
  const out: Decl[] = [];
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    const offset = r.pos;
    const tag = r.u8();
    switch (tag) {
      case 0x00: out.push({ kind: 'core-type', type: coreType(r, depth + 1), offset }); break;
      case 0x01: out.push({ kind: 'type', type: typeDef(r, depth + 1), offset }); break;
      case 0x02: out.push({ kind: 'alias', alias: alias(r), offset }); break;
      case 0x03: {
        if (!component) r.fail('instance types cannot declare imports', offset);
        const name = externName(r);
        out.push({ kind: 'import', name, desc: externDesc(r), offset });
        break;
      }
      case 0x04: {
        const name = externName(r);
        out.push({ kind: 'export', name, desc: externDesc(r), offset });
        break;
      }
      default:
        r.fail(`malformed ${component ? 'component' : 'instance'} type declaration 0x${tag.toString(16)}`, offset);
    }
  }
  return out;
}

function typeDef(r: ByteReader, depth: number): TypeDef {
  const at = r.pos;
  if (depth > MAX_DEPTH) r.fail('types nested too deeply', at);
  const code = r.u8();
  switch (code) {
    case 0x40:
    case 0x43: {
      const params: { name: string; type: ValTypeRef }[] = [];
      const n = r.u32();
      for (let i = 0; i < n; i++) params.push({ name: label(r), type: valType(r) });
      const rAt = r.pos;
      const tag = r.u8();
      let result: ValTypeRef | undefined;
      if (tag === 0x00) result = valType(r);
      else if (tag === 0x01) {
        if (r.u8() !== 0x00) r.fail('named function results are not supported', rAt);
      } else r.fail(`malformed function result list 0x${tag.toString(16)}`, rAt);
      return { kind: 'func', async: code === 0x43, params, result };
    }
    case 0x41: return { kind: 'component', decls: decls(r, depth, true) };
    case 0x42: return { kind: 'instance', decls: decls(r, depth, false) };
    case 0x3f:
    case 0x3e: {
      const rep = coreValType(r);
      if (code === 0x3e) {
        const dtor = r.u32();
        optional(r, () => r.u32());
        return { kind: 'resource', rep, dtor, async: true };
      }
      return { kind: 'resource', rep, dtor: optional(r, () => r.u32()), async: false };
    }
    default:
      return { kind: 'defval', type: defValType(r, code, at) };
  }
}

function externDesc(r: ByteReader): ExternDesc {
  const at = r.pos;
  const tag = r.u8();
  switch (tag) {
    case 0x00: {
      const mAt = r.pos;
      if (r.u8() !== 0x11) r.fail('malformed core module type descriptor', mAt);
      return { kind: 'module', typeIndex: r.u32() };
    }
    case 0x01: return { kind: 'func', typeIndex: r.u32() };
    case 0x02: {
      const bAt = r.pos;
      const b = r.u8();
      if (b === 0) return { kind: 'value', bound: { eq: r.u32() } };
      if (b === 1) return { kind: 'value', bound: { type: valType(r) } };
      return r.fail('malformed value bound', bAt);
    }
    case 0x03: {
      const bAt = r.pos;
      const b = r.u8();
      if (b === 0) return { kind: 'type', bound: { eq: r.u32() } };
      if (b === 1) return { kind: 'type', bound: 'sub-resource' };
      return r.fail('malformed type bound', bAt);
    }
    case 0x04: return { kind: 'component', typeIndex: r.u32() };
    case 0x05: return { kind: 'instance', typeIndex: r.u32() };
    default:
      return r.fail(`malformed extern descriptor 0x${tag.toString(16)}`, at);
  }
}

function canonOpts(r: ByteReader): CanonOpts {
  const o: CanonOpts = { stringEncoding: 'utf8', memory: undefined, realloc: undefined, postReturn: undefined, async: false, callback: undefined };
  let sawEncoding = false;
  const order: number[] = [];
  o.order = order;
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const tag = r.u8();
    order.push(tag);
    const once = (v: unknown, what: string): void => {
      if (v !== undefined && v !== false) r.fail(`duplicate canonical option ${what}`, at);
    };
    switch (tag) {
      case 0x00: case 0x01: case 0x02:
        if (sawEncoding) r.fail('duplicate canonical option string-encoding', at);
        sawEncoding = true;
        o.stringEncoding = tag === 0 ? 'utf8' : tag === 1 ? 'utf16' : 'latin1+utf16';
        break;
      case 0x03: once(o.memory, 'memory'); o.memory = r.u32(); break;
      case 0x04: once(o.realloc, 'realloc'); o.realloc = r.u32(); break;
      case 0x05: once(o.postReturn, 'post-return'); o.postReturn = r.u32(); break;
      case 0x06: once(o.async, 'async'); o.async = true; break;
      case 0x07: once(o.callback, 'callback'); o.callback = r.u32(); break;
      default: r.fail(`malformed canonical option 0x${tag.toString(16)}`, at);
    }
  }
  return o;
}

function canon(r: ByteReader): CanonDef {
  const at = r.pos;
  const code = r.u8();
  switch (code) {
    case 0x00: {
      const sAt = r.pos;
      if (r.u8() !== 0x00) r.fail('canon lift takes a core func', sAt);
      const coreFunc = r.u32();
      const opts = canonOpts(r);
      return { kind: 'lift', coreFunc, opts, typeIndex: r.u32() };
    }
    case 0x01: {
      const sAt = r.pos;
      if (r.u8() !== 0x00) r.fail('canon lower takes a func', sAt);
      const func = r.u32();
      return { kind: 'lower', func, opts: canonOpts(r) };
    }
    case 0x02: return { kind: 'resource.new', typeIndex: r.u32() };
    case 0x03: return { kind: 'resource.drop', typeIndex: r.u32() };
    case 0x07: return { kind: 'resource.drop', typeIndex: r.u32(), async: true };
    case 0x04: return { kind: 'resource.rep', typeIndex: r.u32() };
    default: {
      const name = BUILTINS[code];
      if (name === undefined) return r.fail(`malformed canonical definition 0x${code.toString(16)}`, at);
      const def: BuiltinDef = { kind: 'builtin', code, name };
      const flag = (what: string): boolean => {
        const fAt = r.pos;
        const b = r.u8();
        if (b > 1) r.fail(`malformed ${what} flag 0x${b.toString(16)} of canon ${name}`, fAt);
        return b === 1;
      };
      // The `cancellable` immediate was taken out of the Component Model (component-model#716):
      // the binary keeps its byte, which must be 0.
      const noCancellable = (): void => {
        const fAt = r.pos;
        const b = r.u8();
        if (b !== 0) r.fail(`canon ${name}: the cancellable immediate must be 0 (cancellable was removed from the Component Model), found 0x${b.toString(16)}`, fAt);
      };
      switch (code) {
        case 0x09: {
          const rAt = r.pos;
          const tag = r.u8();
          if (tag === 0) def.result = valType(r);
          else if (tag !== 1 || r.u8() !== 0) r.fail('malformed result list', rAt);
          else def.result = null;
          def.opts = canonOpts(r);
          break;
        }
        case 0x0a: case 0x0b: def.slotType = coreValType(r); def.slot = r.u32(); break;
        case 0x06: def.flag = flag('async'); break;
        case 0x0c: case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x2d: noCancellable(); break;
        case 0x0e: case 0x13: case 0x14: case 0x15: case 0x1a: case 0x1b: def.type = r.u32(); break;
        case 0x0f: case 0x10: case 0x16: case 0x17: def.type = r.u32(); def.opts = canonOpts(r); break;
        case 0x11: case 0x12: case 0x18: case 0x19: def.type = r.u32(); def.flag = flag('async'); break;
        case 0x1c: case 0x1d: def.opts = canonOpts(r); break;
        case 0x20: case 0x21: noCancellable(); def.memory = r.u32(); break;
        case 0x27: def.type = r.u32(); def.table = r.u32(); break;
        default: break;
      }
      return def;
    }
  }
}

export type { Definition, TypeDef };
