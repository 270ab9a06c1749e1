// The static half of the Canonical ABI (CanonicalABI.md): sizes, alignments and flattening of
// component value types, and the core signature a lifted or lowered function has.
import type { FuncType, ValType } from './types';

export type CoreNum = 'i32' | 'i64' | 'f32' | 'f64';

export const MAX_FLAT_PARAMS = 16;
export const MAX_FLAT_RESULTS = 1;

export function alignTo(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

/** Bytes of a discriminant for `n` cases. */
export function discriminantSize(n: number): 1 | 2 | 4 {
  return n <= 0x100 ? 1 : n <= 0x10000 ? 2 : 4;
}

function flagsSize(n: number): number {
  return n <= 8 ? 1 : n <= 16 ? 2 : 4 * Math.ceil(n / 32);
}

const layoutCache = new WeakMap<ValType, { size: number; align: number }>();

export function alignment(t: ValType): number {
  return layout(t).align;
}
export function elemSize(t: ValType): number {
  return layout(t).size;
}

function maxCaseAlign(types: readonly (ValType | undefined)[]): number {
  let a = 1;
  for (const c of types) if (c !== undefined) a = Math.max(a, alignment(c));
  return a;
}

/** Size and alignment of a value in linear memory. */
export function layout(t: ValType): { size: number; align: number } {
  const cached = layoutCache.get(t);
  if (cached) return cached;
  let size: number;
  let align: number;
  switch (t.kind) {
    case 'prim':
      switch (t.prim) {
        case 'bool': case 's8': case 'u8': size = align = 1; break;
        case 's16': case 'u16': size = align = 2; break;
        case 's64': case 'u64': case 'f64': size = align = 8; break;
        case 'string': size = 8; align = 4; break;
        default: size = align = 4; break;
      }
      break;
    case 'list':
      if (t.length !== undefined) {
        align = alignment(t.elem);
        size = t.length * elemSize(t.elem);
      } else {
        size = 8;
        align = 4;
      }
      break;
    case 'map': size = 8; align = 4; break;
    case 'record':
    case 'tuple': {
      const types = t.kind === 'record' ? t.fields.map((f) => f.type) : t.elems;
      size = 0;
      align = 1;
      for (const f of types) {
        const l = layout(f);
        size = alignTo(size, l.align) + l.size;
        align = Math.max(align, l.align);
      }
      size = alignTo(size, align);
      break;
    }
    case 'variant':
    case 'option':
    case 'result': {
      const cases = variantCases(t);
      const d = discriminantSize(cases.length);
      const caseAlign = maxCaseAlign(cases);
      align = Math.max(d, caseAlign);
      let payload = 0;
      for (const c of cases) if (c !== undefined) payload = Math.max(payload, elemSize(c));
      size = alignTo(alignTo(d, caseAlign) + payload, align);
      break;
    }
    case 'enum': size = align = discriminantSize(t.names.length); break;
    case 'flags': size = flagsSize(t.names.length); align = Math.min(4, size); break;
    default: size = align = 4; break; // own, borrow, stream, future: i32 handles
  }
  const l = { size, align };
  layoutCache.set(t, l);
  return l;
}

/** Case payload types of a variant-like type, in discriminant order. */
export function variantCases(t: ValType): (ValType | undefined)[] {
  switch (t.kind) {
    case 'variant': return t.cases.map((c) => c.type);
    case 'option': return [undefined, t.elem];
    case 'result': return [t.ok, t.err];
    default: return [];
  }
}

function join(a: CoreNum, b: CoreNum): CoreNum {
  if (a === b) return a;
  if ((a === 'i32' && b === 'f32') || (a === 'f32' && b === 'i32')) return 'i32';
  return 'i64';
}

const flatCache = new WeakMap<ValType, CoreNum[]>();

/** The core values one component value flattens to. */
export function flatten(t: ValType): CoreNum[] {
  const cached = flatCache.get(t);
  if (cached) return cached;
  let out: CoreNum[];
  switch (t.kind) {
    case 'prim':
      switch (t.prim) {
        case 's64': case 'u64': out = ['i64']; break;
        case 'f32': out = ['f32']; break;
        case 'f64': out = ['f64']; break;
        case 'string': out = ['i32', 'i32']; break;
        default: out = ['i32']; break;
      }
      break;
    case 'list':
      if (t.length !== undefined) {
        const e = flatten(t.elem);
        out = [];
        for (let i = 0; i < t.length; i++) out.push(...e);
      } else out = ['i32', 'i32'];
      break;
    case 'map': out = ['i32', 'i32']; break;
    case 'record': out = t.fields.flatMap((f) => flatten(f.type)); break;
    case 'tuple': out = t.elems.flatMap((e) => flatten(e)); break;
    case 'variant': case 'option': case 'result': {
      const flat: CoreNum[] = [];
      for (const c of variantCases(t)) {
        if (c === undefined) continue;
        flatten(c).forEach((ft, i) => {
          if (i < flat.length) flat[i] = join(flat[i]!, ft);
          else flat.push(ft);
        });
      }
      // The discriminant is a u8/u16/u32, always one i32.
      out = ['i32', ...flat];
      break;
    }
    case 'flags': out = Array<CoreNum>(Math.max(1, Math.ceil(t.names.length / 32))).fill('i32'); break;
    default: out = ['i32']; break;
  }
  flatCache.set(t, out);
  return out;
}

export interface CoreSignature {
  params: CoreNum[];
  results: CoreNum[];
  /** Parameters travel in memory (one i32 pointer) because they flatten to more than 16 values. */
  paramsInMemory: boolean;
  /** Results travel in memory: lift returns a pointer, lower passes an out-pointer as the last parameter. */
  resultsInMemory: boolean;
}

export const MAX_FLAT_ASYNC_PARAMS = 4;

/**
 * flatten_functype: the core signature of `canon lift` (context 'lift') or `canon lower` ('lower').
 * With the async option a lift returns the callback code (one i32, or nothing for a stackful
 * export) and passes its result to task.return; an async lower takes at most 4 flat parameters,
 * gets an out-pointer for any result and returns the subtask status.
 */
export function coreSignature(ft: FuncType, context: 'lift' | 'lower', async: { callback: boolean } | undefined = undefined): CoreSignature {
  let params = ft.params.flatMap((p) => flatten(p.type));
  let results = ft.result === undefined ? [] : flatten(ft.result);
  if (async) {
    const maxParams = context === 'lift' ? MAX_FLAT_PARAMS : MAX_FLAT_ASYNC_PARAMS;
    const paramsInMemory = params.length > maxParams;
    if (paramsInMemory) params = ['i32'];
    let resultsInMemory = false;
    if (context === 'lift') results = async.callback ? ['i32'] : [];
    else {
      resultsInMemory = results.length > 0;
      if (resultsInMemory) params = [...params, 'i32'];
      results = ['i32'];
    }
    return { params, results, paramsInMemory, resultsInMemory };
  }
  const paramsInMemory = params.length > MAX_FLAT_PARAMS;
  const resultsInMemory = results.length > MAX_FLAT_RESULTS;
  if (paramsInMemory) params = ['i32'];
  if (resultsInMemory) {
    if (context === 'lift') results = ['i32'];
    else {
      params = [...params, 'i32'];
      results = [];
    }
  }
  return { params, results, paramsInMemory, resultsInMemory };
}

/** Does lifting or lowering a value of this type touch linear memory (strings, lists, or spilled values)? */
export function usesMemory(t: ValType, seen = new Set<ValType>()): boolean {
  if (seen.has(t)) return false;
  seen.add(t);
  switch (t.kind) {
    case 'prim': return t.prim === 'string';
    case 'list': return t.length === undefined || usesMemory(t.elem, seen);
    case 'map': return true;
    case 'record': return t.fields.some((f) => usesMemory(f.type, seen));
    case 'tuple': return t.elems.some((e) => usesMemory(e, seen));
    case 'variant': case 'option': case 'result':
      return variantCases(t).some((c) => c !== undefined && usesMemory(c, seen));
    default: return false;
  }
}
