// The DWARF reader's entry point: `readDwarf` over a module's custom sections, and DwarfInfo's
// queries (lines, breakpoints, functions with inline frames, scoped variables) in module offsets.

import { type AddressRange, readLocationList, readRanges } from './address-lists';
import { DW_AT, DW_FORM, DW_TAG } from './dwarf-constants';
import { LineIndex, type LineBreakpoint, type SourceLocation } from './line-index';
import { type LineProgram, parseLineProgram } from './line-program';
import {
  bigIntToBytes,
  evaluateLocation,
  type Location,
  readLocation,
  type WasmStateAccessor,
} from './location-expression';
import { byteSizeOf, type DwarfType, scopedName, TypeBuilder, typeName } from './types';
import { type Die, DwarfContext, type DwarfSections, isConstantForm, type Unit } from './units';
import { type CustomSection, splitSections } from './wasm-sections';

export interface CompileUnitInfo {
  name: string | undefined;
  compDir: string | undefined;
  producer: string | undefined;
  /** DW_LANG_* code. */
  language: number | undefined;
  version: number;
}

export interface SourceFunction {
  name: string | undefined;
  /** C++/Rust name with its namespaces and classes (`geo::Vec::dot`); the plain name elsewhere. */
  qualifiedName: string | undefined;
  linkageName: string | undefined;
  declFile: string | undefined;
  declLine: number | undefined;
  /** Module-relative [start, end) ranges of this instance's code. */
  ranges: AddressRange[];
  /** True for an inlined copy (DW_TAG_inlined_subroutine). */
  inlined: boolean;
  /** For an inlined copy: the call site it was inlined at, in the caller's source. */
  callFile?: string;
  callLine?: number;
  callColumn?: number;
  /** DW_AT_frame_base of an out-of-line function (see `formatExpression` to show it). */
  frameBase?: Uint8Array;
  /** Offset of the DIE in .debug_info: a stable key. */
  dieOffset: number;
}

export interface InlineFrame {
  function: SourceFunction;
  /** Where this frame is: the pc's row for the innermost frame, the call site for the others. */
  location: SourceLocation | undefined;
}

export interface FunctionAt {
  /** The out-of-line function the pc is in (the physical Wasm frame). */
  function: SourceFunction;
  /** Innermost first; the last is `function` itself. A frame without inlining has one. */
  frames: InlineFrame[];
}

/** One source-level stack frame of a physical stack expanded by `expandFrames`. */
export interface SourceFrame {
  /** Index of the physical (Wasm) frame it belongs to, innermost 0. */
  physical: number;
  /** Its position in that frame's inline chain: 0 = innermost; pass to `variablesAt`. */
  inlineDepth: number;
  /** The module offset of the physical frame (its pc, or its call instruction for callers). */
  offset: number;
  /** Undefined for a physical frame without DWARF (show the Wasm function and disassembly). */
  function: SourceFunction | undefined;
  location: SourceLocation | undefined;
}

export interface SourceVariable {
  name: string;
  type: DwarfType;
  typeName: string;
  isParameter: boolean;
  declFile: string | undefined;
  declLine: number | undefined;
  /** The location expression in effect at the pc asked about; undefined when there is none. */
  expression: Uint8Array | undefined;
  /** Where the value is at this pc; evaluates the expression against the paused program. */
  locate(accessor?: WasmStateAccessor): Location;
  /**
   * The value's bytes (byteSizeOf(type) long). Without bytes, `reason` says why; with bytes, a
   * `reason` marks a value only partly available (missing pieces read as zero).
   */
  read(accessor: WasmStateAccessor): { location: Location; bytes?: Uint8Array; reason?: string };
}

export interface Scope {
  /** 'function' for the (possibly inlined) function's own parameters and locals. */
  kind: 'function' | 'block';
  /** Module-relative ranges of a lexical block. */
  ranges: AddressRange[];
  variables: SourceVariable[];
}

const SECTION_KEYS: Record<string, keyof DwarfSections> = {
  '.debug_info': 'info',
  '.debug_types': 'types',
  '.debug_abbrev': 'abbrev',
  '.debug_str': 'str',
  '.debug_line_str': 'lineStr',
  '.debug_str_offsets': 'strOffsets',
  '.debug_addr': 'addr',
  '.debug_line': 'line',
  '.debug_ranges': 'ranges',
  '.debug_rnglists': 'rnglists',
  '.debug_loc': 'loc',
  '.debug_loclists': 'loclists',
};

/**
 * Reads the DWARF in a module's custom sections. `codeSectionOffset` is the module-relative
 * offset of the code section's contents, where DWARF for Wasm puts address 0. Returns undefined
 * when the module has no DWARF; never throws on malformed DWARF (see `warnings`).
 */
export function readDwarf(sections: readonly CustomSection[], codeSectionOffset: number): DwarfInfo | undefined;
/** Reads the DWARF of a whole module's bytes (sections split here). */
export function readDwarf(module: Uint8Array): DwarfInfo | undefined;
export function readDwarf(input: readonly CustomSection[] | Uint8Array, codeOffset = 0): DwarfInfo | undefined {
  if (input instanceof Uint8Array) {
    const split = splitSections(input);
    return split.codeSectionOffset === undefined ? undefined : readDwarf(split.customSections, split.codeSectionOffset);
  }
  const sections = input;
  const codeSectionOffset = codeOffset;
  const s: DwarfSections = {};
  for (const { name, bytes } of sections) {
    const key = SECTION_KEYS[name];
    if (key && !s[key]) s[key] = bytes;
  }
  if (!s.info && !s.line) return undefined;
  return new DwarfInfo(s, codeSectionOffset);
}

interface FunctionEntry {
  start: number;
  end: number;
  die: Die;
}

interface UnitState {
  unit: Unit;
  /** Code-relative ranges of the unit, or undefined when it declares none. */
  ranges: AddressRange[] | undefined;
  program: LineProgram | undefined | null;
  functions: FunctionEntry[] | undefined;
}

export class DwarfInfo {
  readonly warnings: string[] = [];
  private readonly ctx: DwarfContext;
  private readonly states: UnitState[] = [];
  private lineIndex: LineIndex | undefined;
  private readonly types = new TypeBuilder();
  private readonly rangeCache = new WeakMap<Die, AddressRange[] | undefined>();

  constructor(
    sections: DwarfSections,
    readonly codeSectionOffset: number,
  ) {
    this.ctx = new DwarfContext(sections, this.warnings);
    this.ctx.readUnitHeaders();
    for (const unit of this.ctx.units) {
      const root = unit.root();
      if (!root || (root.tag !== DW_TAG.compile_unit && root.tag !== DW_TAG.partial_unit && root.tag !== DW_TAG.skeleton_unit)) continue;
      this.states.push({ unit, ranges: undefined, program: undefined, functions: undefined });
    }
    for (const st of this.states) {
      const root = st.unit.root()!;
      // a unit's low_pc alone is only the base address for its lists, not a one-byte range
      const declares = st.unit.attr(root, DW_AT.high_pc) || st.unit.attr(root, DW_AT.ranges);
      st.ranges = declares ? this.dieRanges(root) : undefined;
    }
  }

  /** The compile units, in .debug_info order. */
  compileUnits(): CompileUnitInfo[] {
    return this.states.map(({ unit }) => {
      const root = unit.root()!;
      return {
        name: unit.string(root, DW_AT.name),
        compDir: unit.string(root, DW_AT.comp_dir),
        producer: unit.string(root, DW_AT.producer),
        language: unit.uint(root, DW_AT.language),
        version: unit.version,
      };
    });
  }

  // ---- lines ---------------------------------------------------------------------------

  private programOf(st: UnitState): LineProgram | undefined {
    if (st.program !== undefined) return st.program ?? undefined;
    const root = st.unit.root()!;
    const stmt = st.unit.uint(root, DW_AT.stmt_list);
    st.program =
      stmt === undefined
        ? null
        : (parseLineProgram(
            this.ctx.sections,
            stmt,
            { compDir: st.unit.string(root, DW_AT.comp_dir), name: st.unit.string(root, DW_AT.name), addressSize: st.unit.addressSize },
            this.ctx.warn,
          ) ?? null);
    return st.program ?? undefined;
  }

  private lines(): LineIndex {
    if (this.lineIndex) return this.lineIndex;
    this.lineIndex = this.guard('line tables', new LineIndex([], this.codeSectionOffset), () => this.buildLines());
    return this.lineIndex;
  }

  private buildLines(): LineIndex {
    const programs: LineProgram[] = [];
    if (this.states.length > 0) {
      for (const st of this.states) {
        const p = this.programOf(st);
        if (p) programs.push(p);
      }
    } else {
      programs.push(...this.scanLinePrograms());
    }
    return new LineIndex(programs, this.codeSectionOffset);
  }

  /**
   * Runs a query so that nothing escapes: each reader catches what it expects, this catches the
   * rest (say, a JS stack overflow on an absurdly deep chain of type DIEs) as a warning.
   */
  private guard<T>(what: string, fallback: T, run: () => T): T {
    try {
      return run();
    } catch (e) {
      this.ctx.warn(`${what}: ${(e as Error).message}`);
      return fallback;
    }
  }

  /** Without .debug_info, walks .debug_line unit by unit (a line-tables-only module). */
  private scanLinePrograms(): LineProgram[] {
    const line = this.ctx.sections.line;
    const out: LineProgram[] = [];
    if (!line) return out;
    let offset = 0;
    while (offset + 4 <= line.length) {
      const view = new DataView(line.buffer, line.byteOffset + offset, 4);
      const length = view.getUint32(0, true);
      if (length === 0 || length >= 0xfffffff0) break;
      const p = parseLineProgram(this.ctx.sections, offset, { compDir: undefined, name: undefined, addressSize: 4 }, this.ctx.warn);
      if (p) out.push(p);
      offset += 4 + length;
    }
    return out;
  }

  lineForOffset(moduleOffset: number): SourceLocation | undefined {
    return this.lines().lineForOffset(moduleOffset);
  }

  /** Module-relative [start, end) of the rows around the offset that share its line. */
  lineRangeAt(moduleOffset: number): { start: number; end: number } | undefined {
    return this.lines().lineRangeAt(moduleOffset);
  }

  /** Binds a line breakpoint; see `LineBreakpoint` for `offsets` versus `allOffsets`. */
  offsetsForLine(file: string, line: number): LineBreakpoint | undefined {
    const bp = this.lines().offsetsForLine(file, line);
    if (!bp) return undefined;
    const lowest = new Map<string, number>();
    const all: number[] = [];
    for (const offset of bp.allOffsets) {
      const at = this.functionAt(offset);
      // a line without code slides down only within its function (as lldb's move-to-nearest-code
      // does): optimised code may have no rows left for a whole function, and sliding into the
      // next function would stop somewhere the user never asked for
      if (bp.line !== line && at && !at.frames.some((f) => f.function.declFile === bp.file && (f.function.declLine ?? Infinity) <= line)) continue;
      all.push(offset);
      // keep the lowest entry per innermost function instance; without DWARF functions, per offset
      const inner = at?.frames[0]?.function;
      const key = inner ? `d${inner.dieOffset}` : `o${offset}`;
      if (!lowest.has(key)) lowest.set(key, offset);
    }
    if (all.length === 0) return undefined;
    return { ...bp, offsets: [...lowest.values()].sort((a, b) => a - b), allOffsets: all };
  }

  /** Where a function's body starts past its prologue (module offset): for function breakpoints. */
  bodyStart(fn: SourceFunction): number | undefined {
    const r = fn.ranges[0];
    return r && this.lines().bodyStart(r.start, r.end);
  }

  /** Source files with statement rows (where breakpoints bind), as full DWARF paths. */
  files(): string[] {
    return this.lines().files();
  }

  // ---- functions -----------------------------------------------------------------------

  /** Code-relative ranges of a DIE from low_pc/high_pc or DW_AT_ranges; undefined when it has none. */
  private dieRanges(die: Die): AddressRange[] | undefined {
    // every stop asks again for the same functions and blocks: keep each DIE's ranges
    if (this.rangeCache.has(die)) return this.rangeCache.get(die);
    const ranges = this.computeRanges(die);
    this.rangeCache.set(die, ranges);
    return ranges;
  }

  private computeRanges(die: Die): AddressRange[] | undefined {
    const u = die.unit;
    const rangesAttr = u.attr(die, DW_AT.ranges);
    if (rangesAttr) return readRanges(u, rangesAttr);
    const low = u.address(die, DW_AT.low_pc);
    if (low === undefined) return undefined;
    if (low >= 0xfffffffe) return [];
    const highAttr = u.attr(die, DW_AT.high_pc);
    if (!highAttr) return [{ start: low, end: low + 1 }];
    const high = isConstantForm(highAttr.form) ? low + (u.uint(die, DW_AT.high_pc) ?? 0) : u.address(die, DW_AT.high_pc);
    return high !== undefined && high > low ? [{ start: low, end: high }] : [];
  }

  private toModule(ranges: AddressRange[]): AddressRange[] {
    return ranges.map((r) => ({ start: r.start + this.codeSectionOffset, end: r.end + this.codeSectionOffset }));
  }

  private functionsOf(st: UnitState): FunctionEntry[] {
    if (st.functions) return st.functions;
    const out: FunctionEntry[] = [];
    const visit = (die: Die): void => {
      for (const child of die.children) {
        if (child.tag === DW_TAG.subprogram) {
          for (const r of this.dieRanges(child) ?? []) out.push({ start: r.start, end: r.end, die: child });
        } else if (
          child.tag === DW_TAG.namespace ||
          child.tag === DW_TAG.structure_type ||
          child.tag === DW_TAG.class_type ||
          child.tag === DW_TAG.union_type ||
          child.tag === DW_TAG.enumeration_type
        ) {
          // C++ in-class definitions and Rust's methods nest functions inside scopes and types
          visit(child);
        }
      }
    };
    const root = st.unit.tree();
    if (root) visit(root);
    out.sort((a, b) => a.start - b.start);
    st.functions = out;
    return out;
  }

  private statesAt(address: number): UnitState[] {
    const hit = this.states.filter((st) => st.ranges?.some((r) => address >= r.start && address < r.end));
    // units that declare no ranges may still own code: look there only when no unit claims the pc
    return hit.length > 0 ? hit : this.states.filter((st) => st.ranges === undefined);
  }

  /**
   * The function whose code holds the address. When several claim it, the widest wins: linkers
   * leave a discarded weak definition's DIE pointing at the start of the definition that
   * replaced it (seen in wasi-libc's `__wasilibc_populate_preopens`).
   */
  private subprogramAt(address: number): Die | undefined {
    let best: FunctionEntry | undefined;
    for (const st of this.statesAt(address)) {
      for (const f of this.functionsOf(st)) {
        if (f.start > address) break;
        if (address < f.end && (!best || f.end - f.start > best.end - best.start)) best = f;
      }
    }
    return best?.die;
  }

  /** Every out-of-line function with code, in address order. */
  functions(): SourceFunction[] {
    return this.guard('functions', [], () => this.collectFunctions());
  }

  private collectFunctions(): SourceFunction[] {
    const out: { start: number; fn: SourceFunction }[] = [];
    const seen = new Set<number>();
    for (const st of this.states) {
      for (const f of this.functionsOf(st)) {
        if (seen.has(f.die.offset)) continue;
        seen.add(f.die.offset);
        out.push({ start: f.start, fn: this.describeFunction(f.die) });
      }
    }
    return out.sort((a, b) => a.start - b.start).map((x) => x.fn);
  }

  /** The function at a module-relative offset, expanded into its inline frames. */
  functionAt(moduleOffset: number): FunctionAt | undefined {
    return this.guard('functionAt', undefined, () => this.findFunction(moduleOffset));
  }

  private findFunction(moduleOffset: number): FunctionAt | undefined {
    const address = moduleOffset - this.codeSectionOffset;
    const sub = this.subprogramAt(address);
    if (!sub) return undefined;
    const chain = [sub];
    for (;;) {
      const next = this.inlinedChildAt(chain[chain.length - 1]!, address);
      if (!next) break;
      chain.push(next);
    }
    const fns = chain.map((d) => this.describeFunction(d)).reverse();
    const frames: InlineFrame[] = [];
    let location = this.lineForOffset(moduleOffset);
    for (const fn of fns) {
      frames.push({ function: fn, location });
      location =
        fn.inlined && fn.callFile !== undefined && fn.callLine !== undefined
          ? { file: fn.callFile, line: fn.callLine, column: fn.callColumn ?? 0, isStmt: true, offset: moduleOffset }
          : undefined;
    }
    return { function: fns[fns.length - 1]!, frames };
  }

  /**
   * Expands a physical call stack (module offsets, innermost first: the pc, then each caller's
   * call instruction, as `Machine.frames()` gives them) into source frames with inline frames.
   */
  expandFrames(offsets: readonly number[]): SourceFrame[] {
    const out: SourceFrame[] = [];
    offsets.forEach((offset, physical) => {
      const at = this.functionAt(offset);
      if (!at) {
        out.push({ physical, inlineDepth: 0, offset, function: undefined, location: this.lineForOffset(offset) });
        return;
      }
      at.frames.forEach((f, inlineDepth) => out.push({ physical, inlineDepth, offset, function: f.function, location: f.location }));
    });
    return out;
  }

  /** The inlined subroutine directly under `die` (through lexical blocks) that covers the address. */
  private inlinedChildAt(die: Die, address: number): Die | undefined {
    for (const child of die.children) {
      if (child.tag === DW_TAG.inlined_subroutine) {
        if (this.covers(child, address)) return child;
      } else if (child.tag === DW_TAG.lexical_block) {
        const ranges = this.dieRanges(child);
        if (ranges === undefined || ranges.some((r) => address >= r.start && address < r.end)) {
          const found = this.inlinedChildAt(child, address);
          if (found) return found;
        }
      }
    }
    return undefined;
  }

  private covers(die: Die, address: number): boolean {
    return (this.dieRanges(die) ?? []).some((r) => address >= r.start && address < r.end);
  }

  /** Follows abstract_origin and specification links to the DIE that carries an attribute. */
  private origin(die: Die, at: number): Die | undefined {
    let cur: Die | undefined = die;
    for (let i = 0; cur && i < 8; i++) {
      if (cur.unit.attr(cur, at)) return cur;
      cur = cur.unit.ref(cur, DW_AT.abstract_origin) ?? cur.unit.ref(cur, DW_AT.specification);
    }
    return undefined;
  }

  private originString(die: Die, at: number): string | undefined {
    const d = this.origin(die, at);
    return d && d.unit.string(d, at);
  }

  /** Resolves a file-index attribute through the line table of the DIE's own unit. */
  private fileAttr(die: Die, at: number): string | undefined {
    const d = this.origin(die, at);
    if (!d) return undefined;
    const index = d.unit.uint(d, at);
    // before DWARF 5, file 0 means "no file"
    if (index === undefined || (index === 0 && d.unit.version < 5)) return undefined;
    const st = this.states.find((s) => s.unit === d.unit);
    return st ? this.programOf(st)?.files[index] : undefined;
  }

  private describeFunction(die: Die): SourceFunction {
    const u = die.unit;
    const inlined = die.tag === DW_TAG.inlined_subroutine;
    const lineDie = this.origin(die, DW_AT.decl_line);
    const named = this.origin(die, DW_AT.name);
    const fn: SourceFunction = {
      name: named && named.unit.string(named, DW_AT.name),
      qualifiedName: named && (scopedName(named) ?? named.unit.string(named, DW_AT.name)),
      linkageName: this.originString(die, DW_AT.linkage_name) ?? this.originString(die, DW_AT.MIPS_linkage_name),
      declFile: this.fileAttr(die, DW_AT.decl_file),
      declLine: lineDie && lineDie.unit.uint(lineDie, DW_AT.decl_line),
      ranges: this.toModule(this.dieRanges(die) ?? []),
      inlined,
      dieOffset: die.offset,
    };
    if (!inlined) {
      const frameBase = this.frameBaseOf(die);
      if (frameBase) fn.frameBase = frameBase;
    } else {
      const file = this.fileAttr(die, DW_AT.call_file);
      if (file !== undefined) fn.callFile = file;
      const line = u.uint(die, DW_AT.call_line);
      if (line !== undefined) fn.callLine = line;
      const column = u.uint(die, DW_AT.call_column);
      if (column !== undefined) fn.callColumn = column;
    }
    return fn;
  }

  // ---- variables -----------------------------------------------------------------------

  /**
   * The variables visible at a module offset in one frame of `functionAt(offset).frames`
   * (0 = innermost): the lexical blocks around the pc, innermost first, then the function's own
   * parameters and locals. Variables of deeper inline frames are not included.
   */
  variablesAt(moduleOffset: number, inlineDepth = 0): Scope[] {
    return this.guard('variablesAt', [], () => this.scopesAt(moduleOffset, inlineDepth));
  }

  private scopesAt(moduleOffset: number, inlineDepth: number): Scope[] {
    const address = moduleOffset - this.codeSectionOffset;
    const sub = this.subprogramAt(address);
    if (!sub) return [];
    const chain = [sub];
    for (;;) {
      const next = this.inlinedChildAt(chain[chain.length - 1]!, address);
      if (!next) break;
      chain.push(next);
    }
    const fnDie = chain[chain.length - 1 - inlineDepth];
    if (!fnDie) return [];
    const frameBase = this.frameBaseOf(sub, address);
    const scopes: Scope[] = [];
    const fnScope: Scope = { kind: 'function', ranges: [], variables: [] };
    this.collect(fnDie, fnScope, address, frameBase);
    scopes.push(fnScope);
    let block: Die | undefined = fnDie;
    while (block) {
      const inner: Die | undefined = this.blockAt(block, address);
      if (!inner) break;
      const scope: Scope = { kind: 'block', ranges: this.toModule(this.dieRanges(inner) ?? []), variables: [] };
      this.collect(inner, scope, address, frameBase);
      if (scope.variables.length > 0) scopes.push(scope);
      block = inner;
    }
    return scopes.reverse();
  }

  /** File-scope variables of the unit that contains the offset (globals and statics). */
  globalsAt(moduleOffset: number): SourceVariable[] {
    return this.guard('globalsAt', [], () => this.unitVariables(moduleOffset));
  }

  private unitVariables(moduleOffset: number): SourceVariable[] {
    const address = moduleOffset - this.codeSectionOffset;
    const st = this.statesAt(address)[0];
    const root = st?.unit.tree();
    if (!root) return [];
    const scope: Scope = { kind: 'block', ranges: [], variables: [] };
    // namespace-scope variables (C++) are globals too
    const visit = (die: Die): void => {
      this.collect(die, scope, address, undefined);
      for (const child of die.children) if (child.tag === DW_TAG.namespace) visit(child);
    };
    visit(root);
    return scope.variables;
  }

  private blockAt(die: Die, address: number): Die | undefined {
    for (const child of die.children) {
      if (child.tag === DW_TAG.lexical_block && this.covers(child, address)) return child;
    }
    return undefined;
  }

  /** DW_AT_frame_base; a location-list frame base is chosen for `address` (else its first entry). */
  private frameBaseOf(sub: Die, address?: number): Uint8Array | undefined {
    const d = this.origin(sub, DW_AT.frame_base) ?? sub;
    const a = d.unit.attr(d, DW_AT.frame_base);
    if (!a) return undefined;
    if (a.value instanceof Uint8Array) return a.value;
    const list = readLocationList(d.unit, a);
    const hit = address === undefined ? undefined : list.entries.find((e) => address >= e.start && address < e.end);
    return (hit ?? list.entries[0])?.expr ?? list.defaultExpr;
  }

  private collect(scopeDie: Die, scope: Scope, address: number, frameBase: Uint8Array | undefined): void {
    const params: SourceVariable[] = [];
    const locals: SourceVariable[] = [];
    const isVariable = (d: Die): boolean => d.tag === DW_TAG.formal_parameter || d.tag === DW_TAG.variable;
    const covered = new Set<number>();
    /** Each variable's abstract DIE, for declaration order. */
    const originOf = new Map<SourceVariable, number>();
    for (const child of scopeDie.children) {
      if (!isVariable(child)) continue;
      const origin = child.unit.ref(child, DW_AT.abstract_origin);
      if (origin) covered.add(origin.offset);
      const name = this.originString(child, DW_AT.name);
      if (name === undefined) continue;
      const v = this.makeVariable(child, name, address, frameBase);
      originOf.set(v, origin?.offset ?? child.offset);
      (v.isParameter ? params : locals).push(v);
    }
    // an inlined or out-of-line copy omits the variables optimisation removed entirely; list them
    // from the abstract function anyway, as optimized out, so the source's names all appear
    const abstract = scopeDie.unit.ref(scopeDie, DW_AT.abstract_origin);
    if (abstract && abstract !== scopeDie) {
      for (const child of abstract.children) {
        if (!isVariable(child) || covered.has(child.offset)) continue;
        const name = this.originString(child, DW_AT.name);
        if (name === undefined) continue;
        const v = this.makeVariable(child, name, address, frameBase);
        originOf.set(v, child.offset);
        (v.isParameter ? params : locals).push(v);
      }
    }
    if (abstract && abstract !== scopeDie) {
      // declaration order comes from the abstract function, whichever copy a variable came from
      const order = new Map(abstract.children.map((c, i) => [c.offset, i]));
      const rank = (v: SourceVariable): number => order.get(originOf.get(v) ?? -1) ?? Infinity;
      params.sort((a, b) => rank(a) - rank(b));
      locals.sort((a, b) => rank(a) - rank(b));
    }
    scope.variables.push(...params, ...locals);
  }

  private makeVariable(die: Die, name: string, address: number, frameBase: Uint8Array | undefined): SourceVariable {
    const u = die.unit;
    const typeDie = this.origin(die, DW_AT.type);
    const type = typeDie ? this.types.typeOf(typeDie) : this.types.typeOf(die);
    const lineDie = this.origin(die, DW_AT.decl_line);
    let expression: Uint8Array | undefined;
    let constant: Location | undefined;
    const locAttr = u.attr(die, DW_AT.location);
    if (locAttr) {
      if (locAttr.value instanceof Uint8Array && locAttr.form !== DW_FORM.sec_offset) {
        expression = locAttr.value;
      } else {
        const list = readLocationList(u, locAttr);
        expression = list.entries.find((e) => address >= e.start && address < e.end)?.expr ?? list.defaultExpr;
      }
    } else {
      const constDie = this.origin(die, DW_AT.const_value);
      const c = constDie && constDie.unit.attr(constDie, DW_AT.const_value);
      if (c) {
        const size = byteSizeOf(type);
        if (c.value instanceof Uint8Array) constant = { kind: 'bytes', bytes: c.value };
        else if (typeof c.value === 'string') constant = { kind: 'bytes', bytes: new TextEncoder().encode(c.value + '\0') };
        else if (typeof c.value === 'number' || typeof c.value === 'bigint') {
          // data forms are unsigned in the encoding; the type's size restores the sign
          constant = { kind: 'bytes', bytes: bigIntToBytes(BigInt(c.value), size || 8) };
        }
      }
    }
    const addressSize = u.addressSize;
    const addrx = (i: number): number | undefined => u.addrx(i);
    const locate = (accessor?: WasmStateAccessor): Location => {
      if (constant) return constant;
      if (!expression) return { kind: 'unavailable', reason: 'optimized out' };
      return evaluateLocation(expression, { addressSize, frameBase, addrx, accessor });
    };
    return {
      name,
      type,
      typeName: typeName(type),
      isParameter: die.tag === DW_TAG.formal_parameter,
      declFile: this.fileAttr(die, DW_AT.decl_file),
      declLine: lineDie && lineDie.unit.uint(lineDie, DW_AT.decl_line),
      expression: constant ? undefined : expression,
      locate,
      read(accessor) {
        let location: Location;
        try {
          location = locate(accessor);
        } catch (e) {
          // the accessor is the debugger's; report its failure as this variable's
          return { location: { kind: 'unavailable', reason: (e as Error).message }, reason: (e as Error).message };
        }
        if (location.kind === 'unavailable') return { location, reason: location.reason };
        const size = byteSizeOf(type);
        if (size === 0) return { location, reason: `unknown size of ${typeName(type)}` };
        let bytes: Uint8Array | undefined;
        try {
          bytes = readLocation(location, size, accessor);
        } catch (e) {
          return { location, reason: (e as Error).message };
        }
        if (!bytes) return { location, reason: 'not readable' };
        const partial =
          location.kind === 'pieces' &&
          (location.pieces.some((p) => p.location.kind === 'unavailable') ||
            location.pieces.reduce((n, p) => n + p.size, 0) < size);
        return partial ? { location, bytes, reason: 'partly optimized out' } : { location, bytes };
      },
    };
  }
}
