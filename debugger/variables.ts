// The Variables view: scopes (Locals, Operand Stack, Globals, Memory, Tables) and their children
// behind DAP variable handles, which are thrown away on every stop; also setVariable.
import { Handles } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Value } from './engine';
import type { WasmRuntime } from './runtime';
import { watchObject, type WatchPlace } from './data-breakpoints';
import { formatValue, hexOf, laneShapes, parseValue, v128Lanes } from './value-format';
import { childCount, children, fieldLabel, gcObjectOf, objectType, setChild, showValue, typeText, type GcObject } from './gc-values';
import { GcArray, GcStruct } from '../core/interp';
import { memoryReference } from './memory-refs';
import { resolveType } from '../core/debuginfo';
import { childrenOf, frameAccessor, hasChildren, readVariable, showValue as showSourceValue, typeNameOf, variablesInScope, writeSourceValue, type SourceValue } from './source-variables';

type Container =
  | { kind: 'locals'; frame: number }
  | { kind: 'stack'; frame: number }
  | { kind: 'globals' }
  | { kind: 'memory' }
  | { kind: 'tables' }
  | { kind: 'table'; index: number }
  | { kind: 'lanes'; value: Extract<Value, { type: 'v128' }> }
  /** A struct, array or exception package: one handle per object per stop. */
  | { kind: 'gc'; object: GcObject }
  /** The exception the program is stopped at: its tag and payload. */
  | { kind: 'thrown' }
  | { kind: 'source'; frame: number; inlineDepth: number }
  | { kind: 'sourceGlobals'; frame: number }
  | { kind: 'sourceValue'; frame: number; value: SourceValue; evaluateName?: string }
  | { kind: 'component' }
  | { kind: 'componentCall'; index: number };

export interface ScopeInfo {
  name: string;
  reference: number;
  expensive: boolean;
  hint?: 'arguments' | 'locals' | 'registers';
  count?: number;
}

/** Most rows one request returns for a table; the view pages through the rest. */
const TABLE_PAGE = 1000;

export class VariableStore {
  private handles = new Handles<Container>();
  /** The thread each handle's values belong to (wasi-threads: locals and globals are per thread). */
  private readonly threadOf = new Map<number, number>();
  /** The handle of each GC object shown since the stop: an object reached twice is one entry. */
  private readonly objects = new Map<GcObject, number>();

  reset(): void {
    this.handles.reset();
    this.threadOf.clear();
    this.objects.clear();
  }

  private objectHandle(rt: WasmRuntime, object: GcObject): number {
    let ref = this.objects.get(object);
    if (ref === undefined) {
      ref = this.handle(rt, { kind: 'gc', object });
      this.objects.set(object, ref);
    }
    return ref;
  }

  private handle(rt: WasmRuntime, c: Container): number {
    const ref = this.handles.create(c);
    const thread = rt.program.target.selectedThread?.();
    if (thread !== undefined) this.threadOf.set(ref, thread);
    return ref;
  }

  /** Selects the thread a handle was made in, before its values are read or written. */
  private enter(rt: WasmRuntime, ref: number): void {
    const thread = this.threadOf.get(ref);
    if (thread !== undefined) rt.program.target.selectThread?.(thread);
  }

  scopes(rt: WasmRuntime, { index: frame, inlineDepth }: { index: number; inlineDepth: number }): ScopeInfo[] {
    const t = rt.program.target;
    const out: ScopeInfo[] = [];
    const dwarf = rt.program.locations.dwarf;
    const at = t.frames()[frame];
    // Stopped at a throw: the exception comes first, with its tag and payload.
    if (rt.thrown && frame === 0) out.push({ name: 'Exception', reference: this.handle(rt, { kind: 'thrown' }), expensive: false });
    // Source-level variables come first (VS Code expands the first scope); the raw Wasm state follows.
    if (dwarf && at && dwarf.hasLines(at.funcIndex)) {
      out.push({ name: 'Source Locals', reference: this.handle(rt, { kind: 'source', frame, inlineDepth }), expensive: false, hint: 'locals' });
      out.push({ name: 'Source Globals', reference: this.handle(rt, { kind: 'sourceGlobals', frame }), expensive: true });
    }
    out.push(
      { name: 'Locals', reference: this.handle(rt, { kind: 'locals', frame }), expensive: false, hint: 'locals' },
      { name: 'Operand Stack', reference: this.handle(rt, { kind: 'stack', frame }), expensive: false, hint: 'registers' },
      { name: 'Globals', reference: this.handle(rt, { kind: 'globals' }), expensive: false },
    );
    if (t.componentCalls) out.push({ name: 'Component call', reference: this.handle(rt, { kind: 'component' }), expensive: false, hint: 'arguments' });
    if (t.memoryCount() > 0) out.push({ name: 'Memory', reference: this.handle(rt, { kind: 'memory' }), expensive: false });
    if (t.tables().length > 0) out.push({ name: 'Tables', reference: this.handle(rt, { kind: 'tables' }), expensive: true });
    return out;
  }

  /** A value as a DAP variable; v128 gets lane children, i32 a memory reference (it may be a pointer),
   * a struct its fields and an array its elements (paged); `staticType` is its declared type. */
  describe(rt: WasmRuntime, value: Value, name: string, evaluateName?: string, staticType?: number): DebugProtocol.Variable {
    const names = rt.program.target.refNames;
    const v: DebugProtocol.Variable = {
      name,
      value: showValue(value, staticType, names),
      type: staticType !== undefined ? typeText(staticType, names) : value.type,
      variablesReference: 0,
    };
    if (evaluateName) v.evaluateName = evaluateName;
    const object = gcObjectOf(value);
    if (object !== undefined) {
      v.variablesReference = this.objectHandle(rt, object);
      v.type = objectType(object, names);
      if (object instanceof GcArray) v.indexedVariables = object.length;
      else v.namedVariables = childCount(object);
    }
    if (value.type === 'v128') v.variablesReference = this.handle(rt, { kind: 'lanes', value });
    const is64 = rt.program.target.memoryIs64?.(0) === true;
    if (value.type === (is64 ? 'i64' : 'i32')) {
      // Any address-sized integer inside memory may be a pointer: VS Code then offers to open the hex view there.
      const address = value.type === 'i32' ? value.value >>> 0 : Number(BigInt.asUintN(64, value.value as bigint));
      const mem = rt.program.target.memory(0);
      if (mem && address > 0 && address < mem.length) v.memoryReference = memoryReference(0, address, is64);
    }
    return v;
  }

  /** The declared type of what a plain `$name`, `local N` or `global N` expression names (for
   * hovers and watches: a null then shows its type). */
  staticTypeOf(rt: WasmRuntime, frame: number, expression: string): number | undefined {
    const m = /^\s*(?:\$([^\s()]+)|local (\d+)|global (\d+))\s*$/.exec(expression);
    if (!m) return undefined;
    const t = rt.program.target;
    if (m[3] !== undefined) return t.globals().find((g) => g.index === Number(m[3]))?.valType;
    const locals = t.locals(frame);
    if (m[2] !== undefined) return locals.find((l) => l.index === Number(m[2]))?.valType;
    return locals.find((l) => l.name === m[1])?.valType ?? t.globals().find((g) => g.name === m[1])?.valType;
  }

  /** The global or local a Variables-view row shows, for a data breakpoint on it. */
  watchPlace(rt: WasmRuntime, ref: number, name: string): WatchPlace | undefined {
    const c = this.handles.get(ref);
    const t = rt.program.target;
    if (c?.kind === 'globals') {
      const g = t.globals().find((x) => (x.name ? `$${x.name}` : `global ${x.index}`) === name);
      return g && g.mutable ? { kind: 'global', index: g.index, name } : undefined;
    }
    if (c?.kind === 'gc' && c.object instanceof GcStruct) {
      // A struct field: watched on this one object, wherever it is reached from.
      const s = c.object;
      const fields = s.type.comp.kind === 'struct' ? s.type.comp.fields : [];
      const k = fields.findIndex((_, i) => fieldLabel(s.type, i, t.refNames) === name);
      if (k < 0 || !fields[k]!.mutable) return undefined;
      const owner = t.refNames?.type(s.type.id);
      watchObject(s);
      return { kind: 'field', serial: s.serial, field: k, name: `${owner !== undefined ? `$${owner}` : 'struct'}.${name}` };
    }
    if (c?.kind === 'gc' && c.object instanceof GcArray) {
      // An array element (`[3]` in the Variables view): watched on this one object.
      const a = c.object;
      const m = /^\[(\d+)\]$/.exec(name);
      const index = m ? Number(m[1]) : -1;
      if (index < 0 || index >= a.length || !a.elemType.mutable) return undefined;
      const owner = t.refNames?.type(a.type.id);
      watchObject(a);
      return { kind: 'element', serial: a.serial, index, name: `${owner !== undefined ? `$${owner}` : 'array'}${name}` };
    }
    if (c?.kind === 'locals') {
      const l = t.locals(c.frame).find((x) => (x.name ? `$${x.name}` : `${x.isParam ? 'param' : 'local'} ${x.index}`) === name);
      const f = t.frames()[c.frame];
      return l && f ? { kind: 'local', funcIndex: f.funcIndex, index: l.index, depth: t.depth() - c.frame, name } : undefined;
    }
    return undefined;
  }

  list(rt: WasmRuntime, ref: number, start = 0, count = 0): DebugProtocol.Variable[] {
    const c = this.handles.get(ref);
    if (!c) return [];
    this.enter(rt, ref);
    const t = rt.program.target;
    switch (c.kind) {
      case 'locals':
        return t.locals(c.frame).map((l) => {
          const name = l.name ? `$${l.name}` : `${l.isParam ? 'param' : 'local'} ${l.index}`;
          const v = this.describe(rt, l.value, name, l.name ? `$${l.name}` : `local ${l.index}`, l.valType);
          v.type = l.isParam ? `param ${v.type}` : v.type;
          const hex = hexOf(l.value);
          if (hex) v.value = `${v.value} (${hex})`;
          return v;
        });
      case 'stack': {
        const s = t.operandStack(c.frame);
        const types = t.operandTypes?.(c.frame);
        // Top of stack first, as `stack[0]` in expressions.
        return s.map((_, i) => {
          const value = s[s.length - 1 - i]!;
          return this.describe(rt, value, `[${i}]`, c.frame === 0 ? `stack[${i}]` : undefined, types?.[s.length - 1 - i]);
        });
      }
      case 'component':
        // The calls at the component boundary: the export being run and the last call out, with WIT values.
        return (t.componentCalls?.() ?? []).map((call, index) => {
          const args = call.params.map((p) => `${p.name}: ${p.value}`).join(', ');
          return {
            name: call.role,
            value: `${call.name}(${args})${call.result ? ` -> ${call.result.value}` : ''}`,
            type: 'component function',
            variablesReference: call.params.length > 0 || call.result ? this.handle(rt, { kind: 'componentCall', index }) : 0,
            presentationHint: { attributes: ['readOnly'] },
          };
        });
      case 'componentCall': {
        const call = t.componentCalls?.()[c.index];
        if (!call) return [];
        const rows = call.params.map((p): DebugProtocol.Variable => ({ name: p.name, value: p.value, type: p.type, variablesReference: 0, presentationHint: { attributes: ['readOnly'] } }));
        if (call.result) rows.push({ name: 'result', value: call.result.value, type: call.result.type, variablesReference: 0, presentationHint: { attributes: ['readOnly'] } });
        return rows;
      }
      case 'globals':
        return t.globals().map((g) => {
          const name = g.name ? `$${g.name}` : `global ${g.index}`;
          const v = this.describe(rt, g.value, name, g.name ? `$${g.name}` : `global ${g.index}`, g.valType);
          v.type = g.mutable ? `mut ${v.type}` : v.type;
          if (!g.mutable) v.presentationHint = { attributes: ['readOnly'] };
          return v;
        });
      case 'memory': {
        const out: DebugProtocol.Variable[] = [];
        for (let i = 0; i < t.memoryCount(); i++) {
          const m = t.memory(i);
          const size = m?.length ?? 0;
          const is64 = t.memoryIs64?.(i) === true;
          out.push({
            name: `memory ${i}`,
            value: `${size / 65536} pages (${size} bytes)${is64 ? ', i64 addresses' : ''}`,
            type: is64 ? 'memory i64' : 'memory',
            variablesReference: 0,
            // Each memory opens in the Memory view (multi-memory: the reference names it).
            memoryReference: memoryReference(i, 0, is64),
            presentationHint: { attributes: ['readOnly'] },
          });
        }
        return out;
      }
      case 'tables':
        return t.tables().map((tb) => ({
          name: tb.name ? `$${tb.name}` : `table ${tb.index}`,
          value: `${tb.elemType}[${tb.elements.length}]`,
          variablesReference: tb.elements.length ? this.handle(rt, { kind: 'table', index: tb.index }) : 0,
          indexedVariables: tb.elements.length,
        }));
      case 'table': {
        const tb = t.tables().find((x) => x.index === c.index);
        if (!tb) return [];
        const end = Math.min(tb.elements.length, start + (count || TABLE_PAGE));
        const out: DebugProtocol.Variable[] = [];
        for (let i = start; i < end; i++) out.push(this.describe(rt, tb.elements[i]!, `[${i}]`));
        return out;
      }
      case 'source': {
        const info = rt.program.locations.dwarf?.info;
        const at = t.frames()[c.frame];
        if (!info || !at) return [];
        const accessor = frameAccessor(t, c.frame);
        return variablesInScope(info.variablesAt(at.offset, c.inlineDepth)).map((v) => this.sourceVariable(readVariable(v, accessor), c.frame, rt));
      }
      case 'sourceGlobals': {
        // The file-scope variables of the compile unit the frame is in.
        const info = rt.program.locations.dwarf?.info;
        const at = t.frames()[c.frame];
        if (!info || !at) return [];
        const accessor = frameAccessor(t, c.frame);
        return info.globalsAt(at.offset).map((v) => this.sourceVariable(readVariable(v, accessor), c.frame, rt));
      }
      case 'sourceValue': {
        // Arrays page (the view asks for start/count when it knows indexedVariables).
        const accessor = frameAccessor(t, c.frame);
        const end = count ? start + count : Math.max(start + 100, 100);
        return childrenOf(c.value, accessor, end).slice(start).map((v) => this.sourceVariable(v, c.frame, rt, childExpression(c.evaluateName, v.name)));
      }
      case 'gc': {
        const names = t.refNames;
        const paged = c.object instanceof GcArray;
        return children(c.object, names, paged ? start : 0, paged ? count || TABLE_PAGE : Infinity).map((x) => {
          const v = this.describe(rt, x.value, x.name, undefined, x.type);
          if (!x.mutable) v.presentationHint = { attributes: ['readOnly'] };
          return v;
        });
      }
      case 'thrown': {
        const e = rt.thrown;
        if (!e) return [];
        const tag: DebugProtocol.Variable = { name: 'tag', value: e.tag, variablesReference: 0, presentationHint: { attributes: ['readOnly'] } };
        return [tag, ...e.payload.map((v, i) => {
          const row = this.describe(rt, v, `[${i}]`, undefined, e.types[i]);
          row.presentationHint = { attributes: ['readOnly'] };
          return row;
        })];
      }
      case 'lanes':
        return laneShapes.map((shape) => ({ name: shape, value: v128Lanes(c.value.bytes, shape).join(' '), variablesReference: 0 }));
    }
  }

  /** A source-level value as a DAP variable; structs, arrays and pointers expand. */
  sourceVariable(v: SourceValue, frame: number, rt: WasmRuntime, evaluateName?: string): DebugProtocol.Variable {
    const accessor = frameAccessor(rt.program.target, frame);
    const expression = evaluateName ?? (/^[A-Za-z_]\w*$/.test(v.name) ? v.name : undefined);
    const out: DebugProtocol.Variable = {
      name: v.name,
      value: showSourceValue(v, accessor),
      type: typeNameOf(v),
      variablesReference: hasChildren(v, accessor)
        ? this.handle(rt, { kind: 'sourceValue', frame, value: v, ...(expression !== undefined ? { evaluateName: expression } : {}) })
        : 0,
    };
    if (expression !== undefined) out.evaluateName = expression;
    const resolved = resolveType(v.type);
    if (out.variablesReference && resolved.kind === 'array' && (resolved.counts[0] ?? 0) > 100) out.indexedVariables = resolved.counts[0];
    if (v.address !== undefined) out.memoryReference = `0x${v.address.toString(16).padStart(8, '0')}`;
    return out;
  }

  /** Names an expression at this frame can use, with their kind, for console completion. */
  completionNames(rt: WasmRuntime, { index: frame, inlineDepth }: { index: number; inlineDepth: number }): [string, DebugProtocol.CompletionItemType][] {
    const t = rt.program.target;
    const out: [string, DebugProtocol.CompletionItemType][] = [];
    for (const l of t.locals(frame)) if (l.name) out.push([`$${l.name}`, 'variable']);
    for (const g of t.globals()) if (g.name) out.push([`$${g.name}`, 'variable']);
    const info = rt.program.locations.dwarf?.info;
    const at = t.frames()[frame];
    if (info && at) {
      for (const v of variablesInScope(info.variablesAt(at.offset, inlineDepth))) out.push([v.name, 'variable']);
      for (const v of info.globalsAt(at.offset)) out.push([v.name, 'variable']);
    }
    return out;
  }

  /** setVariable: a local, a global (if mutable) or an operand stack slot. */
  set(rt: WasmRuntime, ref: number, name: string, text: string): DebugProtocol.SetVariableResponse['body'] {
    const c = this.handles.get(ref);
    this.enter(rt, ref);
    const t = rt.program.target;
    if (!c) throw new Error('That variable no longer exists (the program moved on).');
    switch (c.kind) {
      case 'locals': {
        const l = t.locals(c.frame).find((x) => (x.name ? `$${x.name}` : `${x.isParam ? 'param' : 'local'} ${x.index}`) === name);
        if (!l) throw new Error(`No local ${name}.`);
        const value = parseValue(l.type, text);
        t.setLocal(c.frame, l.index, value);
        return { value: formatValue(value), type: l.type };
      }
      case 'stack': {
        const i = Number(/^\[(\d+)\]$/.exec(name)?.[1]);
        const s = t.operandStack(c.frame);
        const old = s[s.length - 1 - i];
        if (!old) throw new Error(`No stack slot ${name}.`);
        const value = parseValue(old.type, text);
        t.setStackValue(c.frame, s.length - 1 - i, value);
        return { value: formatValue(value), type: old.type };
      }
      case 'globals': {
        const g = t.globals().find((x) => (x.name ? `$${x.name}` : `global ${x.index}`) === name);
        if (!g) throw new Error(`No global ${name}.`);
        if (!g.mutable) throw new Error(`${name} is immutable.`);
        const value = parseValue(g.type, text);
        t.setGlobal(g.index, value);
        return { value: formatValue(value), type: g.type };
      }
      case 'gc': {
        const names = t.refNames;
        const { value, type } = setChild(c.object, name, text, names);
        // The recorded future no longer follows from here.
        t.memoryChanged?.();
        const shown = this.describe(rt, value, name, undefined, type);
        return { value: shown.value, type: shown.type, variablesReference: shown.variablesReference };
      }
      case 'source':
      case 'sourceGlobals':
      case 'sourceValue': {
        const accessor = frameAccessor(t, c.frame);
        let target: SourceValue | undefined;
        if (c.kind !== 'sourceValue') {
          const info = rt.program.locations.dwarf?.info;
          const at = t.frames()[c.frame];
          const candidates = info && at ? (c.kind === 'source' ? variablesInScope(info.variablesAt(at.offset, c.inlineDepth)) : info.globalsAt(at.offset)) : [];
          const v = candidates.find((x) => x.name === name);
          target = v ? readVariable(v, accessor) : undefined;
        } else {
          target = childrenOf(c.value, accessor).find((x) => x.name === name);
        }
        if (!target) throw new Error(`No variable ${name}.`);
        const location = target.location ?? (target.address !== undefined ? { kind: 'memory' as const, address: target.address } : undefined);
        if (!location) throw new Error(`${name} has no location to write to.`);
        writeSourceValue(t, c.frame, target, location, text);
        const after = c.kind !== 'sourceValue' ? this.list(rt, ref).find((x) => x.name === name) : undefined;
        return { value: after?.value ?? text.trim(), type: typeNameOf(target) };
      }
      default:
        throw new Error('This value cannot be changed here.');
    }
  }
}

/**
 * The source expression for a child in the Variables view (Add to Watch, Copy as Expression):
 * `v[2]`, `m["k"]`, `p.x`, `t.0`, `*p`; undefined for `[raw]` and for a parent without one.
 */
function childExpression(parent: string | undefined, child: string): string | undefined {
  if (parent === undefined || child === '[raw]') return undefined;
  const operand = /^[\w.[\]"]+$/.test(parent) ? parent : `(${parent})`;
  if (child.startsWith('[')) return `${operand}${child}`;
  if (child.startsWith('*')) return `*${operand}`;
  return /^\w+$/.test(child) ? `${operand}.${child}` : undefined;
}
