// libc++ (LLVM 17–19, namespace std::__2) types as C++ programmers read them: `"hi"`,
// `size=3 [10, 20, 30]`, `size=2 {1: "one", 2: "two"}`, `nullopt`, found by member names in DWARF.

import { byteSizeOf, resolveType, type DwarfType } from '../types';
import {
  alignOf, alignUp, at, child, elements, entries, innerPointer, list, member, path, quotedBytes, quotedText,
  templateArg, uintOf, type FormatContext, type NamedValue, type TypeFormatter, type Val,
} from './formatter';

/** The characters of a libc++ string: the short form keeps them inline, the long form on the heap. */
function stringText(v: Val, cx: FormatContext): { text: string; size: number } | undefined {
  const rep = path(v, '__r_.__value_');
  const s = rep && member(rep, '__s');
  const l = rep && member(rep, '__l');
  const isLong = s && member(s, '__is_long_');
  if (!s || !l || !isLong) return undefined;
  if (uintOf(isLong)) {
    const data = member(l, '__data_');
    const size = member(l, '__size_');
    if (!data || !size) return undefined;
    const n = uintOf(size);
    const text = quotedText(cx, uintOf(data), n);
    return text === undefined ? undefined : { text, size: n };
  }
  const data = member(s, '__data_');
  const size = member(s, '__size_');
  if (!data || !size) return undefined;
  const n = uintOf(size);
  if (n > data.bytes.length) return undefined;
  return { text: quotedBytes(data.bytes.subarray(0, n)), size: n };
}

/** A vector's elements: `__begin_` to `__end_`. */
function vectorParts(v: Val): { address: number; element: DwarfType; len: number } | undefined {
  const begin = member(v, '__begin_');
  const end = member(v, '__end_');
  if (!begin || !end || begin.type.kind !== 'pointer') return undefined;
  const size = byteSizeOf(begin.type.target);
  if (size === 0) return undefined;
  const a = uintOf(begin);
  const b = uintOf(end);
  if (b < a) return undefined;
  return { address: a, element: begin.type.target, len: Math.floor((b - a) / size) };
}

function arrayParts(v: Val): { address: number; element: DwarfType; len: number; inline: Val } | undefined {
  const elems = member(v, '__elems_');
  if (!elems || elems.type.kind !== 'array') return undefined;
  return { address: elems.address ?? 0, element: elems.type.element, len: elems.type.counts[0] ?? 0, inline: elems };
}

/** The payload of a map/set or unordered container node: `__cc_` of a `__value_type` pair, or the key itself. */
function keyValue(payload: Val): { key: Val; value?: Val } {
  const pair = member(payload, '__cc_') ?? (member(payload, 'first') ? payload : undefined);
  const first = pair && member(pair, 'first');
  const second = pair && member(pair, 'second');
  return first && second ? { key: first, value: second } : { key: payload };
}

/** A red-black tree's payloads in order: from the end node's `__left_` (the root), walked with a stack. */
function treeItems(v: Val, cx: FormatContext, max: number): { items: { key: Val; value?: Val }[]; len: number } | undefined {
  const tree = member(v, '__tree_');
  const payloadType = tree && templateArg(tree.type, 0);
  const endNode = tree && path(tree, '__pair1_.__value_');
  const sizeV = tree && path(tree, '__pair3_.__value_');
  const root = endNode && member(endNode, '__left_');
  if (!payloadType || !sizeV || !root || root.type.kind !== 'pointer') return undefined;
  const base = resolveType(root.type.target); // __tree_node_base<void *>: __left_, __right_, __parent_, __is_black_
  if (base.kind !== 'struct') return undefined;
  const off = (n: string): number | undefined => base.members.find((m) => m.name === n)?.offset;
  const left = off('__left_') ?? 0;
  const right = off('__right_');
  if (right === undefined) return undefined;
  const valueAt = alignUp(base.byteSize, alignOf(payloadType));
  const len = uintOf(sizeV);
  const items: { key: Val; value?: Val }[] = [];
  const word = (address: number, o: number): number | undefined => {
    const b = cx.readMemory(address + o, 4);
    return b && new DataView(b.buffer, b.byteOffset).getUint32(0, true);
  };
  const stack: number[] = [];
  let node = uintOf(root);
  let steps = 0;
  while ((node !== 0 || stack.length > 0) && items.length < Math.min(max, len) && steps++ < 200_000) {
    while (node !== 0 && stack.length < 64) {
      stack.push(node);
      node = word(node, left) ?? 0;
    }
    const n = stack.pop();
    if (n === undefined) break;
    const payload = at(cx, payloadType, n + valueAt);
    if (payload) items.push(keyValue(payload));
    node = word(n, right) ?? 0;
  }
  return { items, len };
}

/** A hash table's payloads in bucket-chain order: `__p1_`'s first node, then each `__next_`. */
function hashItems(v: Val, cx: FormatContext, max: number): { items: { key: Val; value?: Val }[]; len: number } | undefined {
  const table = member(v, '__table_');
  const payloadType = table && templateArg(table.type, 0);
  const first = table && path(table, '__p1_.__value_.__next_');
  const sizeV = table && path(table, '__p2_.__value_');
  if (!payloadType || !first || !sizeV) return undefined;
  // __hash_node: __next_ (a pointer), __hash_ (size_t), then the payload
  const valueAt = alignUp(2 * first.bytes.length, alignOf(payloadType));
  const len = uintOf(sizeV);
  const items: { key: Val; value?: Val }[] = [];
  let node = uintOf(first);
  for (let steps = 0; node !== 0 && items.length < Math.min(max, len) && steps < 200_000; steps++) {
    const payload = at(cx, payloadType, node + valueAt);
    if (payload) items.push(keyValue(payload));
    const next = cx.readMemory(node, 4);
    node = next ? new DataView(next.buffer, next.byteOffset).getUint32(0, true) : 0;
  }
  return { items, len };
}

function associative(name: string, pattern: RegExp, walk: typeof treeItems): TypeFormatter {
  return {
    name,
    language: 'c++',
    pattern,
    summary(v, cx) {
      const w = walk(v, cx, cx.maxElements);
      return w && `size=${w.len} ${entries(cx, w.items, w.len)}`;
    },
    children(v, cx, max) {
      const w = walk(v, cx, max);
      return w?.items.map((it, i) => (it.value ? child(`[${cx.summary(it.key)}]`, it.value) : child(`[${i}]`, it.key)));
    },
    length: (v, cx) => walk(v, cx, 0)?.len,
  };
}

/** The pointer a smart pointer holds (`__ptr_`, a compressed pair for unique_ptr). */
function heldPointer(v: Val): { address: number; target: DwarfType } | undefined {
  return innerPointer(member(v, '__ptr_'));
}

function pointee(v: Val, cx: FormatContext): Val | undefined {
  const p = heldPointer(v);
  return p && p.address !== 0 ? at(cx, p.target, p.address) : undefined;
}

/** shared_ptr's counts: `__shared_weak_count` is a vtable pointer, then owners - 1, then weak owners - 1. */
function sharedCounts(v: Val, cx: FormatContext): { strong: number; weak: number } | undefined {
  const ctrl = member(v, '__cntrl_');
  if (!ctrl || ctrl.type.kind !== 'pointer') return undefined;
  const a = uintOf(ctrl);
  if (a === 0) return { strong: 0, weak: 0 };
  const ptr = ctrl.bytes.length;
  const b = cx.readMemory(a + ptr, 2 * ptr);
  if (!b) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset);
  return { strong: dv.getInt32(0, true) + 1, weak: dv.getInt32(ptr, true) };
}

/** std::variant's active alternative: `__index`, then `__tail` that many times, then `__head.__value`. */
function variantAlternative(v: Val): { index: number; value?: Val } | undefined {
  const impl = member(v, '__impl_') ?? v;
  const index = member(impl, '__index');
  let u = member(impl, '__data');
  if (!index || !u) return undefined;
  const i = uintOf(index);
  if (i >= 2 ** (index.bytes.length * 8) - 1) return { index: -1 };
  for (let k = 0; k < i && u; k++) u = member(u, '__tail');
  const value = u && path(u, '__head.__value');
  return value ? { index: i, value } : undefined;
}

export const CPP_FORMATTERS: TypeFormatter[] = [
  {
    name: 'std::string',
    language: 'c++',
    pattern: /^std::__\d+::basic_string<char,/,
    summary: (v, cx) => stringText(v, cx)?.text,
    length: (v, cx) => stringText(v, cx)?.size,
  },
  {
    name: 'std::string_view',
    language: 'c++',
    pattern: /^std::__\d+::basic_string_view<char,/,
    summary(v, cx) {
      const data = member(v, '__data_');
      const size = member(v, '__size_');
      return data && size ? quotedText(cx, uintOf(data), uintOf(size)) : undefined;
    },
    length: (v) => {
      const size = member(v, '__size_');
      return size && uintOf(size);
    },
  },
  {
    name: 'std::vector',
    language: 'c++',
    pattern: /^std::__\d+::vector<(?!bool[,>])/,
    summary(v, cx) {
      const p = vectorParts(v);
      return p && `size=${p.len} ${list(cx, elements(cx, p.element, p.address, p.len, cx.maxElements), p.len)}`;
    },
    children(v, cx, max) {
      const p = vectorParts(v);
      return p && elements(cx, p.element, p.address, p.len, max);
    },
    length: (v) => vectorParts(v)?.len,
  },
  {
    name: 'std::array',
    language: 'c++',
    pattern: /^std::__\d+::array<.*>$/,
    summary(v, cx) {
      const p = arrayParts(v);
      return p && `size=${p.len} ${cx.summary(p.inline)}`;
    },
    children(v, cx, max) {
      const p = arrayParts(v);
      if (!p) return undefined;
      const size = byteSizeOf(p.element);
      const out: NamedValue[] = [];
      for (let i = 0; i < Math.min(p.len, max); i++) {
        const e: NamedValue = { name: `[${i}]`, type: p.element, bytes: p.inline.bytes.subarray(i * size, (i + 1) * size) };
        if (p.inline.address !== undefined) e.address = p.inline.address + i * size;
        out.push(e);
      }
      return out;
    },
    length: (v) => arrayParts(v)?.len,
  },
  associative('std::map / std::set', /^std::__\d+::(multi)?(map|set)<.*>$/, treeItems),
  associative('std::unordered_map / std::unordered_set', /^std::__\d+::unordered_(multi)?(map|set)<.*>$/, hashItems),
  {
    name: 'std::optional',
    language: 'c++',
    pattern: /^std::__\d+::optional<.*>$/,
    summary(v, cx) {
      const engaged = member(v, '__engaged_');
      const value = member(v, '__val_');
      if (!engaged || !value) return undefined;
      return uintOf(engaged) ? cx.summary(value) : 'nullopt';
    },
    children(v) {
      const engaged = member(v, '__engaged_');
      const value = member(v, '__val_');
      if (!engaged || !value) return undefined;
      return uintOf(engaged) ? [child('value', value)] : [];
    },
  },
  {
    name: 'std::variant',
    language: 'c++',
    pattern: /^std::__\d+::variant<.*>$/,
    summary(v, cx) {
      const alt = variantAlternative(v);
      if (!alt) return undefined;
      return alt.value ? `[${alt.index}] ${cx.summary(alt.value)}` : 'valueless_by_exception';
    },
    children(v) {
      const alt = variantAlternative(v);
      return alt && (alt.value ? [child('value', alt.value), { name: 'index', type: { kind: 'base', name: 'size_t', byteSize: 4, encoding: 'unsigned' }, bytes: new Uint8Array(new Uint32Array([alt.index]).buffer) }] : []);
    },
  },
  {
    name: 'std::unique_ptr',
    language: 'c++',
    pattern: /^std::__\d+::unique_ptr<.*>$/,
    summary(v, cx) {
      const p = heldPointer(v);
      if (!p) return undefined;
      if (p.address === 0) return 'nullptr';
      const target = pointee(v, cx);
      return target ? cx.summary(target) : undefined;
    },
    children(v, cx) {
      const target = pointee(v, cx);
      return target ? [child('*', target)] : [];
    },
  },
  {
    name: 'std::shared_ptr / std::weak_ptr',
    language: 'c++',
    pattern: /^std::__\d+::(shared|weak)_ptr<.*>$/,
    summary(v, cx) {
      const p = heldPointer(v);
      const counts = sharedCounts(v, cx);
      if (!p || !counts) return undefined;
      if (p.address === 0) return 'nullptr';
      const target = pointee(v, cx);
      return `strong=${counts.strong}, weak=${counts.weak} ${target ? cx.summary(target) : `0x${p.address.toString(16)}`}`;
    },
    children(v, cx) {
      const target = pointee(v, cx);
      return target ? [child('*', target)] : [];
    },
  },
];
