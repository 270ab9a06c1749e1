// Rust's standard library types as Rust prints them (`"hello"`, `len=3 [10, 20, 30]`, `Some(7)`,
// `Rect { w: 3, h: 4 }`), read from the layouts rustc 1.63+ describes in DWARF. One row per type.

import { byteSizeOf, resolveType, typeName, type DwarfType, type Member } from '../types';
import {
  alignUp, at, child, element, elements, entries, innerPointer, list, liveVariant, member, memberValue, path, quotedText,
  templateArg, uintOf, intOf, type FormatContext, type NamedValue, type TypeFormatter, type Val,
} from './formatter';

/** A Vec's buffer: address, element type, length and capacity (String and Vec share it). */
function vecParts(v: Val): { address: number; element: DwarfType; len: number; cap: number } | undefined {
  const buf = member(v, 'buf');
  const ptr = innerPointer(buf && member(buf, 'ptr'));
  const len = member(v, 'len');
  if (!ptr || !len) return undefined;
  const cap = buf && member(buf, 'cap');
  return { address: ptr.address, element: ptr.target, len: uintOf(len), cap: cap ? uintOf(cap) : 0 };
}

/** `&str` / `&[T]` fat pointers: `data_ptr` and `length`. */
function fatPointer(v: Val): { address: number; element: DwarfType; len: number } | undefined {
  const p = member(v, 'data_ptr');
  const n = member(v, 'length');
  if (!p || !n || p.type.kind !== 'pointer') return undefined;
  return { address: uintOf(p), element: p.type.target, len: uintOf(n) };
}

function sequence(name: string, pattern: RegExp, parts: (v: Val) => { address: number; element: DwarfType; len: number } | undefined): TypeFormatter {
  return {
    name,
    language: 'rust',
    pattern,
    summary(v, cx) {
      const p = parts(v);
      if (!p) return undefined;
      return `len=${p.len} ${list(cx, elements(cx, p.element, p.address, p.len, cx.maxElements), p.len)}`;
    },
    children(v, cx, max) {
      const p = parts(v);
      return p && elements(cx, p.element, p.address, p.len, max);
    },
    length: (v) => parts(v)?.len,
  };
}

/** VecDeque's live elements in order: rustc 1.63 keeps `tail`..`head` (wrapping), newer ones `head` + `len`. */
function dequeElements(v: Val, cx: FormatContext, max: number): { items: NamedValue[]; len: number } | undefined {
  const buf = member(v, 'buf');
  const ptr = innerPointer(buf && member(buf, 'ptr'));
  const capV = buf && member(buf, 'cap');
  const headV = member(v, 'head');
  if (!ptr || !capV || !headV) return undefined;
  const cap = uintOf(capV);
  const tailV = member(v, 'tail');
  const lenV = member(v, 'len');
  let start: number;
  let len: number;
  if (tailV) {
    start = uintOf(tailV);
    len = cap === 0 ? 0 : (uintOf(headV) - start + cap) % cap;
  } else if (lenV) {
    start = uintOf(headV);
    len = uintOf(lenV);
  } else return undefined;
  if (cap === 0 || len > cap) return { items: [], len: 0 };
  const size = byteSizeOf(ptr.target);
  const items: NamedValue[] = [];
  for (let i = 0; i < Math.min(len, max); i++) items.push(element(cx, `[${i}]`, ptr.target, ptr.address + ((start + i) % cap) * size));
  return { items, len };
}

/** hashbrown's table: the full buckets' `(K, V)` tuples, read through the control bytes. */
function hashEntries(table: Val, cx: FormatContext, max: number): { items: Val[]; len: number } | undefined {
  // RawTable<T> { table: RawTableInner { bucket_mask, ctrl, growth_left, items }, marker }
  const raw = member(table, 'table');
  const mask = raw && member(raw, 'bucket_mask');
  const ctrl = innerPointer(raw && member(raw, 'ctrl'));
  const itemsV = raw && member(raw, 'items');
  // the element type: RawTable<T>'s type argument (or its PhantomData<T>'s)
  const marker = member(table, 'marker');
  const elem = templateArg(table.type, 0) ?? (marker && templateArg(marker.type, 0));
  if (!mask || !ctrl || !itemsV || !elem) return undefined;
  const len = uintOf(itemsV);
  if (len === 0) return { items: [], len };
  const buckets = uintOf(mask) + 1;
  if (buckets > 1 << 24) return undefined;
  const control = cx.readMemory(ctrl.address, buckets);
  if (!control) return undefined;
  const size = byteSizeOf(elem);
  const items: Val[] = [];
  for (let i = 0; i < buckets && items.length < Math.min(len, max); i++) {
    if (control[i]! & 0x80) continue; // EMPTY (0xff) or DELETED (0x80); a full bucket holds the hash's top 7 bits
    const e = at(cx, elem, ctrl.address - (i + 1) * size);
    if (e) items.push(e);
  }
  return { items, len };
}

function tupleField(v: Val, i: number): Val | undefined {
  return member(v, `__${i}`);
}

function hashMap(name: string, pattern: RegExp, table: (v: Val) => Val | undefined, isSet: boolean): TypeFormatter {
  return {
    name,
    language: 'rust',
    pattern,
    summary(v, cx) {
      const t = table(v);
      const e = t && hashEntries(t, cx, cx.maxElements);
      if (!e) return undefined;
      const pairs = e.items.map((x) => {
        const key = tupleField(x, 0) ?? x;
        const value = tupleField(x, 1);
        return isSet || !value ? { key } : { key, value };
      });
      return `len=${e.len} ${entries(cx, pairs, e.len)}`;
    },
    children(v, cx, max) {
      const t = table(v);
      const e = t && hashEntries(t, cx, max);
      if (!e) return undefined;
      return e.items.map((x, i) => {
        const key = tupleField(x, 0) ?? x;
        const value = tupleField(x, 1);
        return isSet || !value ? child(`[${i}]`, key) : child(`[${cx.summary(key)}]`, value);
      });
    },
    length(v, cx) {
      const t = table(v);
      return t ? hashEntries(t, cx, 0)?.len : undefined;
    },
  };
}

/** A BTreeMap's entries in key order: an in-order walk of its nodes (keys/vals arrays, edges after the leaf part). */
function btreeEntries(v: Val, cx: FormatContext, max: number): { pairs: { key: Val; value: Val }[]; len: number } | undefined {
  const K = templateArg(v.type, 0);
  const V = templateArg(v.type, 1);
  const rootOpt = member(v, 'root');
  const lenV = member(v, 'length');
  if (!K || !V || !rootOpt || !lenV || rootOpt.type.kind !== 'struct' || !rootOpt.type.variants) return undefined;
  const len = uintOf(lenV);
  const some = liveVariant(rootOpt.type.variants, rootOpt.bytes);
  const rootRef = some && some.name === 'Some' ? memberValue(rootOpt, some) : undefined;
  const nodeRef = rootRef && member(rootRef, '__0');
  if (!nodeRef) return { pairs: [], len: 0 };
  const heightV = member(nodeRef, 'height');
  const node = innerPointer(member(nodeRef, 'node'));
  const leaf = node && resolveType(node.target);
  if (!heightV || !node || !leaf || leaf.kind !== 'struct') return undefined;
  const field = (n: string): Member | undefined => leaf.members.find((m) => m.name === n);
  const keys = field('keys');
  const vals = field('vals');
  const lenF = field('len');
  if (!keys || !vals || !lenF) return undefined;
  const edgesAt = alignUp(leaf.byteSize, 4);
  const kSize = byteSizeOf(K);
  const vSize = byteSizeOf(V);
  const pairs: { key: Val; value: Val }[] = [];
  let visited = 0;
  const walk = (address: number, height: number): void => {
    if (pairs.length >= max || ++visited > 100_000 || height > 64) return;
    const nodeBytes = cx.readMemory(address, leaf.byteSize + (height > 0 ? 12 * 4 : 0));
    if (!nodeBytes) return;
    const n = Math.min(11, Number(nodeBytes[lenF.offset]! | (nodeBytes[lenF.offset + 1]! << 8)));
    const edge = (i: number): number => new DataView(nodeBytes.buffer, nodeBytes.byteOffset).getUint32(edgesAt + i * 4, true);
    for (let i = 0; i < n && pairs.length < max; i++) {
      if (height > 0) walk(edge(i), height - 1);
      if (pairs.length >= max) return;
      const key = at(cx, K, address + keys.offset + i * kSize);
      const value = vSize === 0 ? { type: resolveType(V), bytes: new Uint8Array(0) } : at(cx, V, address + vals.offset + i * vSize);
      if (key && value) pairs.push({ key, value });
    }
    if (height > 0) walk(edge(n), height - 1);
  };
  walk(node.address, uintOf(heightV));
  return { pairs, len };
}

function btree(name: string, pattern: RegExp, map: (v: Val) => Val | undefined, isSet: boolean): TypeFormatter {
  return {
    name,
    language: 'rust',
    pattern,
    summary(v, cx) {
      const m = map(v);
      const e = m && btreeEntries(m, cx, cx.maxElements);
      if (!e) return undefined;
      return `len=${e.len} ${entries(cx, e.pairs.map((p) => (isSet ? { key: p.key } : p)), e.len)}`;
    },
    children(v, cx, max) {
      const m = map(v);
      const e = m && btreeEntries(m, cx, max);
      return e?.pairs.map((p, i) => (isSet ? child(`[${i}]`, p.key) : child(`[${cx.summary(p.key)}]`, p.value)));
    },
    length(v, cx) {
      const m = map(v);
      return m ? btreeEntries(m, cx, 0)?.len : undefined;
    },
  };
}

/** What an Rc/Arc points at: counts and the value. */
function counted(v: Val, cx: FormatContext, valueField: string): { strong: number; weak: number; value: NamedValue } | undefined {
  const p = innerPointer(member(v, 'ptr'));
  const box = p && at(cx, p.target, p.address);
  if (!box) return undefined;
  const strong = member(box, 'strong');
  const weak = member(box, 'weak');
  const value = member(box, valueField);
  if (!strong || !weak || !value) return undefined;
  // the strong references together hold one weak count (Rc::weak_count leaves it out)
  return { strong: uintOf(strong), weak: Math.max(0, uintOf(weak) - 1), value: child('value', value) };
}

function refCounted(name: string, pattern: RegExp, valueField: string): TypeFormatter {
  return {
    name,
    language: 'rust',
    pattern,
    summary(v, cx) {
      const c = counted(v, cx, valueField);
      return c && `strong=${c.strong}, weak=${c.weak} ${cx.summary(c.value)}`;
    },
    children(v, cx) {
      const c = counted(v, cx, valueField);
      return c && [c.value];
    },
  };
}

/** The field of a one-field wrapper (`Cell`'s `value`, `UnsafeCell`'s `value`, atomics' `v`). */
function unwrap(v: Val, ...names: string[]): Val | undefined {
  let cur: Val | undefined = v;
  for (const n of names) cur = cur && member(cur, n);
  return cur;
}

/** A struct's fields `a: 1, b: 2` (tuple fields `__0` shown by position), for structs and enum variants. */
function fields(v: Val, cx: FormatContext): { named: boolean; text: string[] } {
  const t = v.type;
  if (t.kind !== 'struct') return { named: false, text: [] };
  const ms = t.members.filter((m) => !(byteSizeOf(m.type) === 0 && /^(_marker|phantom|marker|alloc)$/.test(m.name ?? '')));
  const positional = ms.length > 0 && ms.every((m) => /^__\d+$/.test(m.name ?? ''));
  const text = ms.map((m) => {
    const mv = memberValue(v, m);
    const s = mv ? cx.summary(mv) : '<unavailable>';
    return positional ? s : `${m.name ?? '_'}: ${s}`;
  });
  return { named: !positional, text };
}

function fieldChildren(v: Val): NamedValue[] {
  const t = v.type;
  if (t.kind !== 'struct') return [];
  const out: NamedValue[] = [];
  for (const m of t.members) {
    const mv = memberValue(v, m);
    const name = /^__\d+$/.test(m.name ?? '') ? m.name!.slice(2) : (m.name ?? '_');
    if (mv) out.push(child(name, mv));
  }
  return out;
}

/** The short name of a type: `values::Shape::Square` → `Square`, generics dropped. */
function shortName(t: DwarfType): string {
  const full = typeName(t).replace(/<.*$/, '');
  return full.slice(full.lastIndexOf('::') + 2) || full;
}

/** A Rust enum's live variant as a value of the variant's struct type. */
function variantOf(v: Val): { name: string; value: Val } | undefined {
  if (v.type.kind !== 'struct' || !v.type.variants) return undefined;
  const live = liveVariant(v.type.variants, v.bytes);
  const value = live && memberValue(v, live);
  return live && value ? { name: live.name ?? '?', value } : undefined;
}

const isRust = (t: DwarfType): boolean => t.kind === 'struct' && t.language === 'rust';

export const RUST_FORMATTERS: TypeFormatter[] = [
  {
    name: 'String',
    language: 'rust',
    pattern: /^alloc::string::String$/,
    summary(v, cx) {
      const vec = member(v, 'vec');
      const p = vec && vecParts(vec);
      return p && quotedText(cx, p.address, p.len);
    },
    length: (v) => {
      const vec = member(v, 'vec');
      return vec && vecParts(vec)?.len;
    },
  },
  {
    name: '&str',
    language: 'rust',
    pattern: /^&(mut )?str$/,
    summary(v, cx) {
      const p = fatPointer(v);
      return p && quotedText(cx, p.address, p.len);
    },
    length: (v) => fatPointer(v)?.len,
  },
  sequence('&[T]', /^&(mut )?\[.*\]$/, fatPointer),
  sequence('Vec<T>', /^alloc::vec::Vec<.*>$/, vecParts),
  {
    name: 'VecDeque<T>',
    language: 'rust',
    pattern: /^alloc::collections::vec_deque::VecDeque<.*>$/,
    summary(v, cx) {
      const d = dequeElements(v, cx, cx.maxElements);
      return d && `len=${d.len} ${list(cx, d.items, d.len)}`;
    },
    children: (v, cx, max) => dequeElements(v, cx, max)?.items,
    length: (v, cx) => dequeElements(v, cx, 0)?.len,
  },
  hashMap('HashMap<K, V>', /^std::collections::hash::map::HashMap<.*>$/, (v) => path(v, 'base.table'), false),
  hashMap('HashSet<T>', /^std::collections::hash::set::HashSet<.*>$/, (v) => path(v, 'base.map.table'), true),
  hashMap('hashbrown::HashMap<K, V>', /^hashbrown::map::HashMap<.*>$/, (v) => member(v, 'table'), false),
  btree('BTreeMap<K, V>', /^alloc::collections::btree::map::BTreeMap<.*>$/, (v) => v, false),
  btree('BTreeSet<T>', /^alloc::collections::btree::set::BTreeSet<.*>$/, (v) => member(v, 'map'), true),
  refCounted('Rc<T>', /^alloc::rc::Rc<.*>$/, 'value'),
  refCounted('Arc<T>', /^alloc::sync::Arc<.*>$/, 'data'),
  {
    name: 'Cell<T>',
    language: 'rust',
    pattern: /^core::cell::Cell<.*>$/,
    summary(v, cx) {
      const inner = unwrap(v, 'value', 'value');
      return inner && `Cell { value: ${cx.summary(inner)} }`;
    },
    children(v) {
      const inner = unwrap(v, 'value', 'value');
      return inner && [child('value', inner)];
    },
  },
  {
    name: 'RefCell<T>',
    language: 'rust',
    pattern: /^core::cell::RefCell<.*>$/,
    summary(v, cx) {
      const inner = unwrap(v, 'value', 'value');
      const borrow = unwrap(v, 'borrow', 'value', 'value');
      if (!inner || !borrow) return undefined;
      const b = intOf(borrow);
      const state = b < 0 ? ' (mutably borrowed)' : b > 0 ? ` (borrowed ${b}×)` : '';
      return `RefCell { value: ${cx.summary(inner)} }${state}`;
    },
    children(v) {
      const inner = unwrap(v, 'value', 'value');
      const borrow = unwrap(v, 'borrow', 'value', 'value');
      return inner && borrow ? [child('value', inner), child('borrow', borrow)] : undefined;
    },
  },
  {
    name: 'UnsafeCell<T> / atomics',
    language: 'rust',
    pattern: /^core::(cell::UnsafeCell<.*>|sync::atomic::Atomic\w+)$/,
    summary(v, cx) {
      const inner = member(v, 'value') ?? member(v, 'v');
      return inner && cx.summary(inner);
    },
  },
  {
    // Box<T> is a named pointer type: transparent, as Rust's Debug prints it
    name: 'Box<T>',
    language: 'rust',
    pattern: /^alloc::boxed::Box<.*>$/,
    accepts: (t) => t.kind === 'pointer',
    summary(v, cx) {
      if (v.type.kind !== 'pointer') return undefined;
      const target = at(cx, v.type.target, uintOf(v));
      return target ? cx.summary(target) : undefined;
    },
    children(v, cx, max) {
      if (v.type.kind !== 'pointer') return undefined;
      const target = at(cx, v.type.target, uintOf(v));
      if (!target) return undefined;
      const inner = cx.children(target, max);
      return inner.length > 0 ? inner : [child('*', target)];
    },
  },
  {
    name: '&T',
    language: 'rust',
    pattern: /^&(mut )?[^[]/,
    accepts: (t) => t.kind === 'pointer',
    summary(v, cx) {
      if (v.type.kind !== 'pointer') return undefined;
      const target = at(cx, v.type.target, uintOf(v));
      return target ? `&${cx.summary(target)}` : undefined;
    },
    children(v, cx) {
      if (v.type.kind !== 'pointer') return undefined;
      const target = at(cx, v.type.target, uintOf(v));
      return target ? [child('*', target)] : undefined;
    },
  },
  {
    name: 'closure',
    language: 'rust',
    plain: true,
    pattern: /\{closure_env#\d+\}/,
    summary(v, cx) {
      if (v.type.kind !== 'struct') return undefined;
      const caps = v.type.members.map((m) => {
        const mv = memberValue(v, m);
        return `${(m.name ?? '_').replace(/^_ref__/, '')}: ${mv ? cx.summary(mv) : '<unavailable>'}`;
      });
      return `closure { ${caps.join(', ')} }`.replace('{  }', '{}');
    },
    children: (v) => fieldChildren(v).map((c) => ({ ...c, name: c.name.replace(/^_ref__/, '') })),
  },
  {
    name: 'tuple',
    language: 'rust',
    plain: true,
    pattern: /^\(.*\)$/,
    accepts: isRust,
    summary(v, cx) {
      const f = fields(v, cx);
      return `(${f.text.join(', ')}${f.text.length === 1 ? ',' : ''})`;
    },
    children: (v) => fieldChildren(v),
  },
  {
    // Option, Result and every user enum: the live variant, `Some(7)`, `Named { name: "tri", sides: 3 }`, `None`
    name: 'enum',
    language: 'rust',
    pattern: /./,
    accepts: (t) => isRust(t) && t.kind === 'struct' && t.variants !== undefined,
    summary(v, cx) {
      const live = variantOf(v);
      if (!live) return undefined;
      const f = fields(live.value, cx);
      if (f.text.length === 0) return live.name;
      return f.named ? `${live.name} { ${f.text.join(', ')} }` : `${live.name}(${f.text.join(', ')})`;
    },
    children(v) {
      const live = variantOf(v);
      return live && fieldChildren(live.value);
    },
  },
  {
    name: 'struct',
    language: 'rust',
    plain: true,
    pattern: /./,
    accepts: (t) => isRust(t) && t.kind === 'struct' && !t.variants && !t.declaration,
    summary(v, cx) {
      const f = fields(v, cx);
      const name = shortName(v.type);
      if (f.text.length === 0) return name;
      return f.named ? `${name} { ${f.text.join(', ')} }` : `${name}(${f.text.join(', ')})`;
    },
    children: (v) => fieldChildren(v),
  },
];
