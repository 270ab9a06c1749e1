// Source places for expressions: a C, C++ or Rust value (from DWARF) that `p.x`, `v[2]`,
// `m["k"]`, `*ptr`, `&x` and `s.len()` walk through, members and elements as the Variables view
// shows them (the language formatters' children), so `v[2]` on a Vec or std::vector is its element.
import { byteSizeOf, pointerTarget, resolveType, typeName, valueLength, type WasmStateAccessor } from '../core/debuginfo';
import type { Value } from './engine';
import { ExpressionError, type Place } from './expression';
import { childrenOf, scalarValue, showValue, type SourceValue } from './source-variables';

/** Children listed when looking for an element or entry past the first `index + 1`. */
const MAX_SEARCH = 100_000;
/** Transparent wrappers (Box, Rc, RefCell, unique_ptr, references) looked through for a member. */
const MAX_AUTODEREF = 4;

export function sourcePlace(source: SourceValue, accessor: WasmStateAccessor): Place {
  const child = (v: SourceValue, name: string, max: number): SourceValue | undefined => {
    const first = childrenOf(v, accessor, max);
    const hit = first.find((c) => c.name === name);
    // only a list cut at `max` may hold it further on
    const cut = first.filter((c) => c.name !== '[raw]').length >= max;
    return hit ?? (cut && max < MAX_SEARCH ? childrenOf(v, accessor, MAX_SEARCH).find((c) => c.name === name) : undefined);
  };
  /** What `*v` is: a pointer's target, a Box/unique_ptr's `*`, an Rc/Arc/Cell's `value`. */
  const pointee = (v: SourceValue): SourceValue | undefined => {
    const kids = childrenOf(v, accessor, 2).filter((c) => c.name !== '[raw]');
    return kids.find((c) => c.name.startsWith('*')) ?? (kids.length === 1 && kids[0]!.name === 'value' ? kids[0] : undefined);
  };
  const isReference = (v: SourceValue): boolean => {
    const t = resolveType(v.type);
    // C++ `T &`, and Rust's `&T` (a pointer type named `&…`)
    return t.kind === 'pointer' && (t.reference !== undefined || (t.name ?? '').startsWith('&'));
  };
  const name = source.name;
  return {
    source,
    field(member) {
      let v: SourceValue | undefined = source;
      for (let i = 0; v && i <= MAX_AUTODEREF; i++) {
        const hit = child(v, member, 1000);
        if (hit) return sourcePlace({ ...hit, name: `${name}.${member}` }, accessor);
        v = pointee(v);
      }
      throw new ExpressionError(`${name} has no member ${member}`);
    },
    index(i) {
      if (i < 0) throw new ExpressionError(`index ${i} is negative`);
      // an element, or a map's entry whose key is `i` (so the key is looked for before the bound)
      const hit = child(source, `[${i}]`, i + 1);
      if (hit) return sourcePlace({ ...hit, name: `${name}[${i}]` }, accessor);
      const len = valueLength(source, { readMemory: accessor.readMemory });
      if (len !== undefined && i >= len) throw new ExpressionError(`index ${i} is out of bounds: ${name} has ${len} element(s)`);
      // a C pointer indexes the memory it points into
      const t = resolveType(source.type);
      const target = source.bytes && t.kind === 'pointer' && t.reference === undefined ? pointerTarget(t, source.bytes) : undefined;
      if (target) {
        const size = byteSizeOf(target.type);
        const address = target.address + i * size;
        const bytes = size > 0 ? accessor.readMemory(address, size) : undefined;
        if (!bytes) throw new ExpressionError(`${name}[${i}] at 0x${address.toString(16)} is outside memory`);
        return sourcePlace({ name: `${name}[${i}]`, type: target.type, bytes, address }, accessor);
      }
      throw new ExpressionError(`${name} has no element [${i}]`);
    },
    key(k) {
      const hit = child(source, `[${JSON.stringify(k)}]`, MAX_SEARCH);
      if (!hit) throw new ExpressionError(`${name} has no entry ${JSON.stringify(k)}`);
      return sourcePlace({ ...hit, name: `${name}[${JSON.stringify(k)}]` }, accessor);
    },
    deref() {
      const t = resolveType(source.type);
      if (t.kind === 'pointer' && source.bytes && pointerTarget(t, source.bytes)?.address === 0) throw new ExpressionError(`${name} is a null pointer`);
      const p = pointee(source);
      if (!p) throw new ExpressionError(`${name} (${typeName(source.type)}) is not a pointer`);
      return sourcePlace({ ...p, name: `*${name}` }, accessor);
    },
    call(method) {
      // through Rc, Box, RefCell and references to the value that has a length
      let len: number | undefined;
      for (let v: SourceValue | undefined = source, i = 0; v && len === undefined && i <= MAX_AUTODEREF; v = pointee(v), i++) {
        len = valueLength(v, { readMemory: accessor.readMemory });
      }
      const known = ['len', 'size', 'length', 'count', 'is_empty', 'empty'];
      if (!known.includes(method)) throw new ExpressionError(`${method}() is not known: expressions call len(), size(), is_empty() or empty()`);
      if (len === undefined) throw new ExpressionError(`${name} (${typeName(source.type)}) has no length`);
      return { type: 'i32', value: method === 'is_empty' || method === 'empty' ? (len === 0 ? 1 : 0) : len };
    },
    scalar(): Value {
      let v: SourceValue | undefined = source;
      // a reference reads as what it refers to (`&10` in a closure, `int &` in C++)
      for (let i = 0; v && isReference(v) && i < MAX_AUTODEREF; i++) v = pointee(v);
      const n = v && scalarValue(v);
      if (!n) throw new ExpressionError(`${name} is a ${typeName(source.type)}, not a number`);
      return n;
    },
    address() {
      if (source.address !== undefined) return source.address;
      const where = source.location?.kind;
      throw new ExpressionError(`${name} has no address: it lives in a Wasm ${where === 'local' || where === 'global' ? where : 'value'}, not in memory`);
    },
    render: () => showValue(source, accessor),
  };
}
