// Component-level (WIT) values as the debugger shows them: `"hello"`, `list<u8> [len 12]`,
// `ok(7)`, `{ seconds: 3, nanoseconds: 0 }`, `own<output-stream>`; typed by the WIT function.
import type { ValType } from '../core/component';

/** Longest list shown element by element; longer ones show their length and first elements. */
const LIST_SHOWN = 16;

/** The WIT spelling of a type (`list<u8>`, `result<u64, stream-error>`, `own<descriptor>`). */
export function witTypeName(t: ValType | undefined): string {
  if (t === undefined) return '_';
  switch (t.kind) {
    case 'prim': return t.prim;
    case 'list': return t.length === undefined ? `list<${witTypeName(t.elem)}>` : `list<${witTypeName(t.elem)}, ${t.length}>`;
    case 'tuple': return `tuple<${t.elems.map(witTypeName).join(', ')}>`;
    case 'option': return `option<${witTypeName(t.elem)}>`;
    case 'result': return t.ok === undefined && t.err === undefined ? 'result' : `result<${witTypeName(t.ok)}, ${witTypeName(t.err)}>`;
    case 'own': return t.resource.name ?? 'resource';
    case 'borrow': return `borrow<${t.resource.name ?? 'resource'}>`;
    case 'record': return `record { ${t.fields.map((f) => f.name).join(', ')} }`;
    case 'variant': return `variant { ${t.cases.map((c) => c.name).join(', ')} }`;
    case 'enum': return `enum { ${t.names.join(', ')} }`;
    case 'flags': return `flags { ${t.names.join(', ')} }`;
    case 'stream': return `stream<${witTypeName(t.elem)}>`;
    case 'future': return `future<${witTypeName(t.elem)}>`;
    case 'map': return `map<${witTypeName(t.key)}, ${witTypeName(t.value)}>`;
  }
}

/** A lifted value, read with its WIT type. */
export function formatWitValue(t: ValType | undefined, v: unknown): string {
  if (t === undefined) return v === undefined ? '_' : String(v);
  switch (t.kind) {
    case 'prim':
      if (t.prim === 'string') return JSON.stringify(String(v));
      if (t.prim === 'char') return `'${String(v)}'`;
      return String(v);
    case 'list': {
      const items = listItems(v);
      if (t.elem.kind === 'prim' && t.elem.prim === 'u8' && t.length === undefined) {
        const bytes = items.slice(0, LIST_SHOWN).map((b) => Number(b).toString(16).padStart(2, '0')).join(' ');
        const text = printable(items);
        return `[len ${items.length}] ${bytes}${items.length > LIST_SHOWN ? ' …' : ''}${text !== undefined ? ` ${JSON.stringify(text)}` : ''}`;
      }
      const shown = items.slice(0, LIST_SHOWN).map((x) => formatWitValue(t.elem, x)).join(', ');
      return `[len ${items.length}] [${shown}${items.length > LIST_SHOWN ? ', …' : ''}]`;
    }
    case 'tuple': {
      const items = listItems(v);
      return `(${t.elems.map((e, i) => formatWitValue(e, items[i])).join(', ')})`;
    }
    case 'record': {
      const o = (v ?? {}) as Record<string, unknown>;
      return `{ ${t.fields.map((f) => `${f.name}: ${formatWitValue(f.type, o[f.name])}`).join(', ')} }`;
    }
    case 'option': case 'result': case 'variant': {
      const tagged = v as { tag?: string; val?: unknown } | undefined;
      const tag = tagged?.tag ?? '?';
      const caseType = t.kind === 'option' ? (tag === 'some' ? t.elem : undefined)
        : t.kind === 'result' ? (tag === 'ok' ? t.ok : t.err)
          : t.cases.find((c) => c.name === tag)?.type;
      return caseType === undefined ? tag : `${tag}(${formatWitValue(caseType, tagged?.val)})`;
    }
    case 'enum': return String(v);
    case 'flags': {
      const o = (v ?? {}) as Record<string, boolean>;
      return `{ ${t.names.filter((n) => o[n]).join(', ')} }`;
    }
    case 'own': case 'borrow': return `${t.kind}<${t.resource.name ?? 'resource'}>`;
    default: return String(v);
  }
}

function listItems(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (ArrayBuffer.isView(v)) return Array.from(v as Uint8Array);
  return [];
}

/** Bytes that read as text (what a write to stdout usually is), decoded; else undefined. */
function printable(items: readonly unknown[]): string | undefined {
  if (items.length === 0) return undefined;
  const bytes = Uint8Array.from(items.slice(0, 64).map(Number));
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  // eslint-disable-next-line no-control-regex
  return /^[^\u0000-\u0008\u000e-\u001f\ufffd]*$/.test(text) ? text + (items.length > 64 ? '…' : '') : undefined;
}
