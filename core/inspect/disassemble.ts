// The readable listing of a binary: a summary of its sections, imports, exports and definitions,
// then every function with one instruction per line and its byte offset, using the name section.
// The line ↔ byte offset map serves the .wasm view, the module tree and the debugger's
// generated disassembly source.
import { ByteReader, Imm, InstrReader, valTypeName, type ConstExpr, type Module } from '../binary';
import {
  funcTypeText, globalTypeText, recGroupOf, subTypeText, idText, importDescText, memoryTypeText, tableTypeText, exportTargetText,
} from './describe';
import { instructionText } from './format-instruction';
import { listSections } from './sections';
import { formatType } from '../types';
import { demangle } from '../debuginfo/demangle';

/** Where a tree item or a caller wants to land: `func:3`, `import:0`, `export:2`, `data:1`, `custom:0`... */
export type AnchorKey = `${'type' | 'import' | 'export' | 'func' | 'table' | 'memory' | 'global' | 'elem' | 'data' | 'custom' | 'section' | 'start' | 'tag'}:${number}`;

export interface Disassembly {
  lines: string[];
  /** Module-relative byte offset each line stands for; -1 for lines with no single place. */
  lineOffsets: Int32Array;
  /** Function index of each instruction line; -1 for every other line. */
  lineFuncs: Int32Array;
  /** First line of each item, by {@link AnchorKey}. */
  anchors: Map<AnchorKey, number>;
}

export interface DisassembleOptions {
  /** Include the summary (sections, imports, exports, tables, memories, globals, segments); default true. */
  header?: boolean;
  /** Include the functions; default true (false gives the summary alone). */
  functions?: boolean;
}

/** Width of the offset column: enough hex digits for the largest offset, at least 6. */
function offsetWidth(size: number): number {
  return Math.max(6, size.toString(16).length);
}

export function disassemble(module: Module, options: DisassembleOptions = {}): Disassembly {
  const lines: string[] = [];
  const offsets: number[] = [];
  const funcs: number[] = [];
  const anchors = new Map<AnchorKey, number>();
  const width = offsetWidth(module.bytes.length);
  const blank = ' '.repeat(width + 1);
  const hex = (n: number) => n.toString(16).padStart(width, '0');
  const emit = (text: string, offset = -1, func = -1) => {
    lines.push((offset >= 0 ? `${hex(offset)}:${text}` : `${blank}${text}`).trimEnd());
    offsets.push(offset);
    funcs.push(func);
  };
  const anchor = (key: AnchorKey) => anchors.set(key, lines.length);
  const names = module.names;

  if (options.header !== false) {
    emit(` ;; module${names.module !== undefined ? ` ${idText(names.module)}` : ''}, ${module.bytes.length} bytes`);
    const sections = listSections(module.bytes);
    let custom = 0;
    emit(' ;; sections:');
    sections.forEach((s, i) => {
      if (s.custom) anchor(`custom:${custom++}`);
      anchor(`section:${i}`);
      emit(` ;;   ${s.custom ? `custom "${s.name}"` : s.name}, ${s.size} bytes`, s.start);
    });
    module.types.forEach((_, i) => {
      const group = recGroupOf(module, i);
      if (group?.start === i) emit(` (rec ;; ${group.size} types`);
      anchor(`type:${i}`);
      emit(`${group ? '   ' : ''} (type ${idText(names.types.get(i)) ?? i} ${subTypeText(module, i)})`);
      if (group && i === group.start + group.size - 1) emit(' )');
    });
    const counters = { func: 0, table: 0, memory: 0, global: 0, tag: 0 };
    module.imports.forEach((imp, i) => {
      const index = counters[imp.desc.kind]++;
      const nameMap = { func: names.functions, table: names.tables, memory: names.memories, global: names.globals, tag: names.tags }[imp.desc.kind];
      const id = idText(nameMap.get(index));
      anchor(`import:${i}`);
      if (imp.desc.kind === 'func') anchor(`func:${index}`);
      emit(` (import ${JSON.stringify(imp.module)} ${JSON.stringify(imp.name)} (${imp.desc.kind}${id ? ` ${id}` : ''} (;${index};) ${importDescText(module, imp.desc)}))`);
    });
    module.tables.forEach((t, i) => {
      const index = module.importedTables + i;
      anchor(`table:${index}`);
      emit(` (table ${withId(names.tables.get(index), index)} ${tableTypeText(t)})`);
    });
    module.memories.forEach((m, i) => {
      const index = module.importedMemories + i;
      anchor(`memory:${index}`);
      emit(` (memory ${withId(names.memories.get(index), index)} ${memoryTypeText(m)})`);
    });
    module.tags.forEach((t, i) => {
      const index = module.importedTags + i;
      anchor(`tag:${index}`);
      emit(` (tag ${withId(names.tags.get(index), index)} ${funcTypeText(module.types[t.typeIndex])}`.trimEnd() + ')');
    });
    module.globals.forEach((g, i) => {
      const index = module.importedGlobals + i;
      anchor(`global:${index}`);
      emit(` (global ${withId(names.globals.get(index), index)} ${globalTypeText(g.type)} (${constExprText(module, g.init)}))`);
    });
    module.exports.forEach((e, i) => {
      const nameMap = { func: names.functions, table: names.tables, memory: names.memories, global: names.globals, tag: names.tags }[e.kind];
      anchor(`export:${i}`);
      emit(` (export ${JSON.stringify(e.name)} (${e.kind} ${idText(nameMap.get(e.index)) ?? e.index}))  ;; ${exportTargetText(module, e.kind, e.index)}`.trimEnd().replace(/ ;;$/, ''));
    });
    if (module.start !== undefined) {
      anchor('start:0');
      emit(` (start ${idText(names.functions.get(module.start)) ?? module.start})`);
    }
    module.elems.forEach((e, i) => {
      anchor(`elem:${i}`);
      const mode = e.mode.kind === 'active' ? ` (table ${e.mode.table}) (offset ${constExprText(module, e.mode.offset)})` : ` ${e.mode.kind}`;
      const items = e.funcIndices
        ? (e.init as number[]).map((f) => idText(names.functions.get(f)) ?? String(f))
        : (e.init as ConstExpr[]).map((x) => `(${constExprText(module, x)})`);
      const shown = items.length > 16 ? [...items.slice(0, 16), `... ${items.length - 16} more`] : items;
      emit(` (elem ${withId(names.elems.get(i), i)}${mode} ${e.funcIndices ? 'funcref' : valTypeName(e.type)} ${shown.join(' ')})`, e.offset);
    });
    module.datas.forEach((d, i) => {
      anchor(`data:${i}`);
      const mode = d.mode.kind === 'active' ? ` (memory ${d.mode.memory}) (offset ${constExprText(module, d.mode.offset)})` : ' passive';
      emit(` (data ${withId(names.datas.get(i), i)}${mode} ${d.end - d.start} bytes ${dataPreview(module.bytes.subarray(d.start, d.end))})`, d.offset);
    });
    emit('');
  }

  const exportsByFunc = funcExports(module);
  if (options.functions !== false) module.funcs.forEach((_f, i) => {
    anchor(`func:${module.importedFuncs + i}`);
    emitFunction(module, module.importedFuncs + i, exportsByFunc, emit);
  });

  return { lines, lineOffsets: Int32Array.from(offsets), lineFuncs: Int32Array.from(funcs), anchors };
}

/** One function's lines as {@link disassemble} prints them (header, locals, one per instruction),
 * with each line's byte offset (-1 for the locals line): what a per-function view shows. */
export interface FunctionListing {
  lines: string[];
  lineOffsets: Int32Array;
}

export function disassembleFunction(module: Module, funcIndex: number, exportsByFunc = funcExports(module)): FunctionListing {
  const width = offsetWidth(module.bytes.length);
  const blank = ' '.repeat(width + 1);
  const lines: string[] = [];
  const offsets: number[] = [];
  emitFunction(module, funcIndex, exportsByFunc, (text, offset = -1) => {
    lines.push((offset >= 0 ? `${offset.toString(16).padStart(width, '0')}:${text}` : `${blank}${text}`).trimEnd());
    offsets.push(offset);
  });
  return { lines, lineOffsets: Int32Array.from(offsets) };
}

/**
 * The listing of {@link disassemble} as text chunks, one per function (the header first), so a
 * writer can stream a module of any size: the whole text of a 30 MB module does not fit in one
 * JavaScript string.
 */
export function* disassemblyChunks(module: Module, options: DisassembleOptions = {}): Generator<string> {
  if (options.header !== false) yield disassemble(module, { functions: false }).lines.join('\n') + '\n';
  if (options.functions === false) return;
  const exportsByFunc = funcExports(module);
  for (let i = 0; i < module.funcs.length; i++) {
    yield disassembleFunction(module, module.importedFuncs + i, exportsByFunc).lines.join('\n') + '\n';
  }
}

type Emit = (text: string, offset?: number, func?: number) => void;

/** ` (export "a") (export "b")` per function index, built once rather than searched per function. */
function funcExports(module: Module): Map<number, string> {
  const out = new Map<number, string>();
  for (const e of module.exports) {
    if (e.kind === 'func') out.set(e.index, `${out.get(e.index) ?? ''} (export ${JSON.stringify(e.name)})`);
  }
  return out;
}

/** A mangled symbol keeps its $id (the text must assemble again); its reading goes in a comment. */
function demangledComment(module: Module, funcIndex: number): string {
  const symbol = module.names.functions.get(funcIndex);
  const readable = symbol === undefined ? undefined : demangle(symbol);
  return readable !== undefined ? `  ;; ${readable}` : '';
}

/** One function: its header line, its locals line (if any) and one line per instruction. */
function emitFunction(module: Module, funcIndex: number, exportsByFunc: Map<number, string>, emit: Emit): void {
  const f = module.funcs[funcIndex - module.importedFuncs]!;
  const names = module.names;
  const localNames = names.locals.get(funcIndex);
  const type = module.types[f.typeIndex];
  const params = type?.params ?? [];
  // Concrete reference types by their type's name: `(ref null $point)`.
  const vt = (t: number): string => formatType(t, (i) => idText(names.types.get(i)));
  const sig = [
    ...params.map((t, p) => `(param${localNames?.has(p) ? ` ${idText(localNames.get(p))}` : ''} ${vt(t)})`),
    ...(type?.results.length ? [`(result ${type.results.map(vt).join(' ')})`] : []),
  ];
  const exported = exportsByFunc.get(funcIndex) ?? '';
  emit(` (func ${withId(names.functions.get(funcIndex), funcIndex)}${exported} (type ${idText(names.types.get(f.typeIndex)) ?? f.typeIndex}) ${sig.join(' ')}`.trimEnd() + demangledComment(module, funcIndex), f.entryStart);
  if (f.locals.length) {
    const locals = f.locals.map((t, l) => {
      const id = idText(localNames?.get(params.length + l));
      return `(local${id ? ` ${id}` : ''} ${vt(t)})`;
    });
    emit(`   ${locals.join(' ')}`);
  }
  const ins = new InstrReader(new ByteReader(module.bytes, f.bodyStart, f.bodyEnd));
  const scope = { module, funcIndex };
  let depth = 1;
  try {
    while (ins.pos < f.bodyEnd) {
      ins.read();
      const name = ins.info?.name;
      if (name === 'end' || name === 'else' || name === 'catch' || name === 'catch_all' || name === 'delegate') depth--;
      // The function's own closing `end` shows as `)` of the func header, as in WAT.
      let text = name === 'end' && depth === 0 ? ')' : instructionText(ins, scope);
      if (ins.info?.imm === Imm.Func) text += demangledComment(module, ins.a);
      emit(` ${'  '.repeat(depth)}${text}`, ins.start, funcIndex);
      if (name === 'block' || name === 'loop' || name === 'if' || name === 'else' || name === 'try' || name === 'try_table' || name === 'catch' || name === 'catch_all') depth++;
    }
  } catch (err) {
    emit(`   ;; cannot decode the rest: ${err instanceof Error ? err.message : String(err)}`, ins.start, funcIndex);
  }
}

/** How many lines {@link emitFunction} writes, found by reading the instructions without formatting them. */
function countFunctionLines(module: Module, funcIndex: number): number {
  const f = module.funcs[funcIndex - module.importedFuncs]!;
  let n = f.locals.length ? 2 : 1;
  const ins = new InstrReader(new ByteReader(module.bytes, f.bodyStart, f.bodyEnd));
  try {
    while (ins.pos < f.bodyEnd) {
      ins.read();
      n++;
    }
  } catch {
    n++; // the "cannot decode the rest" line
  }
  return n;
}

/**
 * The listing of a large module without holding it all: the header and the line count of each
 * function are computed up front, and a function's lines are formatted only when asked for.
 */
export interface LazyDisassembly {
  readonly lineCount: number;
  /** Lines [start, end), formatted as in {@link disassemble}. */
  lines(start: number, end: number): string[];
  /** The first line of an item, as {@link Disassembly.anchors} would give it. */
  lineOfAnchor(key: AnchorKey): number | undefined;
}

/**
 * A {@link LazyDisassembly} whose functions are counted a slice at a time, so a viewer shows the
 * header at once and the listing grows as counting goes on: `lineCount` covers the header and the
 * functions counted so far, and the anchor of a function not counted yet is undefined.
 */
export interface ProgressiveDisassembly extends LazyDisassembly {
  /** Functions whose lines are counted. */
  readonly counted: number;
  readonly done: boolean;
  /** Counts the next functions, about `bodyBytes` of code; true once every function is counted. */
  count(bodyBytes: number): boolean;
}

export function openDisassembly(module: Module): LazyDisassembly {
  const listing = openDisassemblyProgressive(module);
  listing.count(Infinity);
  return listing;
}

/**
 * {@link openDisassembly} that yields to the event loop while it counts lines, so an editor's
 * extension host stays responsive while a multi-megabyte module opens.
 */
export async function openDisassemblyAsync(module: Module, bytesPerSlice = 256 * 1024): Promise<LazyDisassembly> {
  const listing = openDisassemblyProgressive(module);
  while (!listing.count(bytesPerSlice)) await new Promise<void>((resolve) => setTimeout(resolve, 0));
  return listing;
}

export function openDisassemblyProgressive(module: Module): ProgressiveDisassembly {
  const header = disassemble(module, { functions: false });
  const headerLines = header.lines;
  const funcCount = module.funcs.length;
  // first[k]: the first line of function k, known for k <= counted.
  const first = new Float64Array(funcCount + 1);
  first[0] = headerLines.length;
  let counted = 0;
  const exportsByFunc = funcExports(module);
  const width = offsetWidth(module.bytes.length);
  const blank = ' '.repeat(width + 1);
  // A few formatted functions, since scrolling asks for neighbouring lines again and again.
  const cache = new Map<number, string[]>();
  const functionLines = (k: number): string[] => {
    let out = cache.get(k);
    if (!out) {
      const lines: string[] = [];
      emitFunction(module, module.importedFuncs + k, exportsByFunc, (text, offset = -1) => {
        lines.push((offset >= 0 ? `${offset.toString(16).padStart(width, '0')}:${text}` : `${blank}${text}`).trimEnd());
      });
      out = lines;
      if (cache.size >= 64) cache.delete(cache.keys().next().value as number);
      cache.set(k, out);
    }
    return out;
  };
  /** The counted function holding a line past the header. */
  const funcAtLine = (line: number): number => {
    let lo = 0;
    let hi = counted - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (first[mid]! <= line) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    get lineCount() {
      return first[counted]!;
    },
    get counted() {
      return counted;
    },
    get done() {
      return counted === funcCount;
    },
    count(bodyBytes) {
      let budget = bodyBytes;
      while (counted < funcCount && budget > 0) {
        const f = module.funcs[counted]!;
        first[counted + 1] = first[counted]! + countFunctionLines(module, module.importedFuncs + counted);
        budget -= f.bodyEnd - f.entryStart;
        counted++;
      }
      return counted === funcCount;
    },
    lines(start, end) {
      const out: string[] = [];
      const lineCount = first[counted]!;
      for (let line = Math.max(0, start); line < Math.min(end, lineCount); ) {
        if (line < headerLines.length) {
          out.push(headerLines[line++]!);
          continue;
        }
        const k = funcAtLine(line);
        const lines = functionLines(k);
        const from = line - first[k]!;
        const take = Math.min(lines.length - from, end - line);
        for (let j = 0; j < take; j++) out.push(lines[from + j] ?? '');
        line += Math.max(1, take);
      }
      return out;
    },
    lineOfAnchor(key) {
      const m = /^func:(\d+)$/.exec(key);
      if (m) {
        const k = Number(m[1]) - module.importedFuncs;
        if (k >= 0) return k < counted ? first[k] : undefined;
      }
      return header.anchors.get(key);
    },
  };
}

function withId(name: string | undefined, index: number): string {
  const id = idText(name);
  return id ? `${id} (;${index};)` : `(;${index};)`;
}

/** `i32.const 1024`, `global.get $base`: a constant expression on one line. */
export function constExprText(module: Module, expr: ConstExpr): string {
  const ins = new InstrReader(new ByteReader(module.bytes, expr.start, Math.max(expr.end, expr.start)));
  const parts: string[] = [];
  try {
    while (ins.pos < module.bytes.length && parts.length < 64) {
      ins.read();
      if (ins.info?.name === 'end') break;
      parts.push(instructionText(ins, { module, funcIndex: -1 }));
      if (ins.pos >= expr.end && expr.end > expr.start) break;
    }
  } catch {
    parts.push('<malformed>');
  }
  return parts.join(') (');
}

/** The first bytes of a data segment as a WAT string, so the listing shows what it holds. */
function dataPreview(bytes: Uint8Array): string {
  const max = 48;
  let s = '';
  for (const b of bytes.subarray(0, max)) {
    if (b === 0x22) s += '\\"';
    else if (b === 0x5c) s += '\\\\';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\${b.toString(16).padStart(2, '0')}`;
  }
  return `"${s}"${bytes.length > max ? '...' : ''}`;
}

/** The instruction line at or before a byte offset (the nearest earlier one when between instructions). */
export function lineOfOffset(d: Disassembly, offset: number): number | undefined {
  let best: number | undefined;
  let bestOffset = -1;
  // Instruction lines are in increasing offset order, but header lines are not: a linear scan of
  // the header is cheap, and the bodies are searched by bisection.
  const firstBody = d.lineFuncs.findIndex((f) => f >= 0);
  const headerEnd = firstBody < 0 ? d.lines.length : firstBody;
  for (let i = 0; i < headerEnd; i++) {
    const o = d.lineOffsets[i]!;
    if (o === offset) return i;
  }
  let lo = headerEnd;
  let hi = d.lines.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    let m = mid;
    while (m >= lo && d.lineOffsets[m]! < 0) m--;
    if (m < lo) {
      lo = mid + 1;
      continue;
    }
    const o = d.lineOffsets[m]!;
    if (o <= offset) {
      if (o > bestOffset) {
        best = m;
        bestOffset = o;
      }
      lo = mid + 1;
    } else {
      hi = m - 1;
    }
  }
  return best;
}

/** The instruction a line shows, for breakpoints on the generated source. */
export function instructionAtLine(d: Disassembly, line: number): { funcIndex: number; offset: number } | undefined {
  const funcIndex = d.lineFuncs[line];
  const offset = d.lineOffsets[line];
  if (funcIndex === undefined || offset === undefined || funcIndex < 0 || offset < 0) return undefined;
  return { funcIndex, offset };
}
