// Differential fuzzing against binaryen: `wasm-opt -ttf` turns random bytes into a random valid
// module (GC, reference types, exceptions, tail calls ...), `wasm-opt --fuzz-exec-before` runs
// every export in binaryen's interpreter and prints what happened; we run the same module on our
// engine with the same "fuzzing-support" host (log-*, throw, table-get/set, call-export*, call-ref*,
// sleep) and compare, export by export: results, traps, exceptions and every logged value.
// Like binaryen's own comparison, references compare by kind only (null, i31 value, function, other).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModule, ValType } from '../../core/binary/index';
import { Trap, WasmException } from '../../core/errors';
import {
  compileModule, FuncInstance, GlobalInstance, instantiate, invoke, TableInstance, TagInstance,
  type Extern, type Imports, type Instance, type Value,
} from '../../core/interp/index';
import { I31Ref } from '../../core/interp/gc-objects';
import { HeapCode, heapOf, isNullable, isRef, topOf } from '../../core/types';
import { Random } from './random';

const root = join(import.meta.dirname, '..', '..');
export const WASM_OPT = join(root, 'node_modules', '.bin', 'wasm-opt');

/** The proposals the generated modules use: all of Wasm 3.0 that binaryen's fuzzer emits and both
 * sides run deterministically (SIMD and relaxed SIMD are left out: NaN lanes and relaxed results
 * are not defined to agree). */
export const FEATURES = [
  '--enable-gc', '--enable-reference-types', '--enable-bulk-memory', '--enable-multivalue', '--enable-sign-ext',
  '--enable-nontrapping-float-to-int', '--enable-mutable-globals', '--enable-exception-handling', '--enable-tail-call',
  '--enable-extended-const',
];

/** One observable step of an export's run. */
export type Event =
  | { kind: 'log'; values: Obs[] }
  | { kind: 'result'; values: Obs[] }
  | { kind: 'trap'; message: string }
  | { kind: 'exception' };

/** A value as both sides can print it: numbers in full (floats as a JS number, NaN any NaN), i64
 * as a bigint, references by kind. */
export type Obs =
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'null' }
  | { t: 'i31'; v: number }
  | { t: 'ref' };

export interface Run {
  /** Instantiation trapped: no export ran. */
  instantiateTrap?: string;
  /** By export name, in export order. */
  exports: Map<string, Event[]>;
  /** An engine limit (array too large, ...) was hit: binaryen ignores such runs from there on. */
  hostLimit?: boolean;
}

// ---- binaryen's side ------------------------------------------------------------------------

/** Makes a module from `seed` (4 KiB of seeded random bytes through wasm-opt -ttf). */
export function generate(seed: number, dir: string, extra: readonly string[] = [], size = 4096): Uint8Array {
  const rng = new Random(seed);
  const input = new Uint8Array(size);
  for (let i = 0; i < size; i++) input[i] = rng.int(256);
  const inFile = join(dir, `in-${seed}.dat`);
  const outFile = join(dir, `m-${seed}.wasm`);
  writeFileSync(inFile, input);
  execFileSync(WASM_OPT, ['-ttf', inFile, ...FEATURES, ...extra, '--emit-target-features', '-o', outFile], { stdio: 'pipe' });
  return readFileSync(outFile);
}

/** Runs binaryen's interpreter on the module and parses its report. */
export function binaryenRun(wasmFile: string, extra: readonly string[] = []): Run {
  const out = execFileSync(WASM_OPT, [wasmFile, ...FEATURES, ...extra, '--fuzz-exec-before', '-q'], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, timeout: 60_000,
  });
  return parseBinaryen(out);
}

function parseToken(tok: string): Obs {
  // `null`, or `nullref`, `nullfuncref` ...; a struct prints as `object(null)`, which is not null.
  if (/^null/.test(tok)) return { t: 'null' };
  const i31 = /i31ref\((-?\d+)\)/.exec(tok);
  if (i31) return { t: 'i31', v: Number(i31[1]) };
  if (/^[a-z]+\(/.test(tok) || /^[a-z]+$/.test(tok) && !/^(-?nan|inf)/.test(tok)) return { t: 'ref' };
  if (/^-?nan/.test(tok)) return { t: 'float', v: NaN };
  if (tok === 'inf' || tok === '-inf') return { t: 'float', v: tok === 'inf' ? Infinity : -Infinity };
  if (/^-?\d+$/.test(tok)) return { t: 'int', v: BigInt(tok) };
  if (/^-?[\d.]+(e[-+]?\d+)?$/.test(tok)) return { t: 'float', v: Number(tok) };
  return { t: 'ref' };
}

/** Splits a printed value list; a reference may print with spaces inside parentheses. */
function tokens(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s.trim()) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ' ' && depth === 0) {
      if (cur !== '') out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur !== '') out.push(cur);
  return out;
}

export function parseBinaryen(out: string): Run {
  const run: Run = { exports: new Map() };
  let cur: Event[] | undefined;
  let pendingResult: Event | undefined;
  for (const line of out.split('\n')) {
    const m = /^\[fuzz-exec\] (?:export|calling) (.*)$/.exec(line);
    if (m) {
      cur = [];
      run.exports.set(m[1]!, cur);
      pendingResult = undefined;
      continue;
    }
    if (cur === undefined) continue;
    const log = /^\[LoggingExternalInterface (?:logging|log-branch)(.*)\]$/.exec(line);
    if (log) {
      cur.push({ kind: 'log', values: tokens(log[1]!).map(parseToken) });
      pendingResult = undefined;
      continue;
    }
    const res = /^\[fuzz-exec\] note result: .* => (.*)$/.exec(line);
    if (res) {
      pendingResult = { kind: 'result', values: [parseToken(res[1]!.trim())] };
      cur.push(pendingResult);
      continue;
    }
    const trap = /^\[trap (.*)\]$/.exec(line);
    if (trap) {
      cur.push({ kind: 'trap', message: trap[1]! });
      pendingResult = undefined;
      continue;
    }
    if (line.startsWith('[exception thrown')) {
      cur.push({ kind: 'exception' });
      pendingResult = undefined;
      continue;
    }
    // The further values of a multi-value result come one a line.
    if (pendingResult !== undefined && line.trim() !== '' && !line.startsWith('[') && pendingResult.kind === 'result') {
      pendingResult.values.push(parseToken(line.trim()));
    }
  }
  return run;
}

// ---- our side -------------------------------------------------------------------------------

function observe(v: Value): Obs {
  switch (v.type) {
    case 'i32': return { t: 'int', v: BigInt(v.value) };
    case 'i64': return { t: 'int', v: v.value };
    case 'f32': {
      const b = new DataView(new ArrayBuffer(4));
      b.setUint32(0, v.bits);
      return { t: 'float', v: b.getFloat32(0) };
    }
    case 'f64': {
      const b = new DataView(new ArrayBuffer(8));
      b.setBigUint64(0, v.bits);
      return { t: 'float', v: b.getFloat64(0) };
    }
    case 'v128': return { t: 'ref' };
    default: return observeRef(v.value);
  }
}

function observeRef(x: unknown): Obs {
  if (x === null || x === undefined) return { t: 'null' };
  if (x instanceof I31Ref) return { t: 'i31', v: x.value };
  return { t: 'ref' };
}

/** A host argument (JS-API convention) of a log import as an observation. */
function observeArg(name: string, x: unknown): Obs[] {
  switch (name) {
    case 'log-i32': return [{ t: 'int', v: BigInt(x as number) }];
    case 'log-i64': {
      // binaryen logs an i64 as its two i32 halves (what JS legalization would pass).
      const b = BigInt.asIntN(64, x as bigint);
      return [{ t: 'int', v: BigInt.asIntN(32, b) }, { t: 'int', v: BigInt.asIntN(32, b >> 32n) }];
    }
    case 'log-f32': case 'log-f64': return [{ t: 'float', v: x as number }];
    default: return [observeRef(x)];
  }
}

function defaultable(t: ValType): boolean {
  return !isRef(t) || isNullable(t);
}

function zero(t: ValType): Value {
  switch (t) {
    case ValType.i32: return { type: 'i32', value: 0 };
    case ValType.i64: return { type: 'i64', value: 0n };
    case ValType.f32: return { type: 'f32', bits: 0 };
    case ValType.f64: return { type: 'f64', bits: 0n };
    case ValType.v128: return { type: 'v128', bytes: new Uint8Array(16) };
  }
  switch (topOf(heapOf(t))) {
    case HeapCode.func: return { type: 'funcref', value: null };
    case HeapCode.extern: return { type: 'externref', value: null };
    case HeapCode.exn: return { type: 'exnref', value: null };
    default: return { type: 'anyref', value: null };
  }
}

/** Runs the module on our engine with binaryen's fuzzing host. */
export function ourRun(bytes: Uint8Array): Run {
  const module = decodeModule(bytes);
  const compiled = compileModule(module);
  const run: Run = { exports: new Map() };
  let events: Event[] = [];
  let instance: Instance | undefined;
  const jsTagType = { params: [ValType.externref], results: [] };
  let jsTag = new TagInstance(jsTagType, 'jstag');
  let wasmTag = new TagInstance({ params: [ValType.i32], results: [] }, 'wasmtag');
  const jsError = (): never => {
    throw new WasmException(jsTag, [{ type: 'externref', value: { jsError: true } }], 'a JS exception');
  };
  const callAsJS = (f: FuncInstance): void => {
    // As JS would: i64, v128 and exnref parameters (JS passes 0, not a BigInt) and non-defaultable
    // ones throw before the call, and so do v128 and exnref results.
    const isExn = (t: ValType): boolean => isRef(t) && topOf(heapOf(t)) === HeapCode.exn;
    for (const t of f.type.params) if (t === ValType.i64 || t === ValType.v128 || isExn(t) || !defaultable(t)) jsError();
    for (const t of f.type.results) if (t === ValType.v128 || isExn(t)) jsError();
    callFunc(f, f.type.params.map(zero));
  };
  const exportList = module.exports;
  const table = (): TableInstance => {
    const t = instance?.exports.table;
    return t instanceof TableInstance ? t : jsError();
  };
  const host: Record<string, (...args: never[]) => unknown> = {
    throw: (x: number) => {
      if (x === 0) jsError();
      throw new WasmException(wasmTag, [{ type: 'i32', value: x }], 'wasmtag');
    },
    'table-get': (i: number) => {
      const t = table();
      if (i >>> 0 >= t.size) jsError();
      return t.elements[i >>> 0];
    },
    'table-set': (i: number, v: unknown) => {
      const t = table();
      if (i >>> 0 >= t.size) jsError();
      t.elements[i >>> 0] = v;
    },
    'call-export': (i: number) => { callExport(i); },
    'call-export-catch': (i: number) => catching(() => { callExport(i); }),
    'call-ref': (f: unknown) => { callRef(f); },
    'call-ref-catch': (f: unknown) => catching(() => { callRef(f); }),
    sleep: (_ms: number, id: number) => id,
  };
  const callExport = (i: number): void => {
    const e = exportList[i >>> 0];
    const v = e === undefined ? undefined : instance?.exports[e.name];
    if (!(v instanceof FuncInstance)) jsError();
    callAsJS(v as FuncInstance);
  };
  const callRef = (f: unknown): void => {
    if (!(f instanceof FuncInstance)) jsError();
    callAsJS(f as FuncInstance);
  };
  const catching = (f: () => void): number => {
    try {
      f();
      return 0;
    } catch (e) {
      if (e instanceof WasmException) return 1;
      throw e;
    }
  };
  const callFunc = (f: FuncInstance, args: Value[]): Value[] => {
    const name = [...Object.entries(instance!.exports)].find(([, x]) => x === f)?.[0];
    if (name !== undefined) return invoke(instance!, name, args);
    // A function reference that is not an export: call it through a one-entry export view.
    const tmp = '\u0000ref';
    instance!.exports[tmp] = f;
    try {
      return invoke(instance!, tmp, args);
    } finally {
      delete instance!.exports[tmp];
    }
  };
  const imports: Imports = {};
  let globalIndex = 0;
  for (const imp of module.imports) {
    const g = imp.desc.kind === 'global' ? compiled.ctx.globals[globalIndex++]! : undefined;
    let v: Imports[string][string] | undefined;
    if (imp.module === 'fuzzing-support') {
      if (imp.desc.kind === 'tag') {
        const type = compiled.ctx.types[imp.desc.typeIndex]!;
        if (imp.name === 'jstag') v = jsTag = new TagInstance(type, 'jstag');
        else v = wasmTag = new TagInstance(type, 'wasmtag');
      } else if (imp.name.startsWith('log')) {
        const name = imp.name;
        v = (...args: unknown[]) => {
          events.push({ kind: 'log', values: args.flatMap((a) => observeArg(name, a)) });
        };
      } else v = host[imp.name] as Imports[string][string] | undefined;
    } else if (g !== undefined) {
      // binaryen's harness gives each imported extern global a host object.
      v = new GlobalInstance(g.type, g.mutable, isRef(g.type) ? { type: 'externref', value: { host: imp.name } } : zero(g.type));
    }
    if (v === undefined) throw new Error(`unsupported import ${imp.module}.${imp.name}`);
    (imports[imp.module] ??= {})[imp.name] = v;
  }
  try {
    instance = instantiate(compiled, imports);
  } catch (e) {
    if (e instanceof Trap) {
      run.instantiateTrap = e.message;
      return run;
    }
    throw e;
  }
  for (const e of module.exports) {
    events = [];
    run.exports.set(e.name, events);
    const x: Extern | undefined = instance.exports[e.name];
    if (x instanceof GlobalInstance) {
      events.push({ kind: 'log', values: [observe(x.value)] });
      continue;
    }
    if (!(x instanceof FuncInstance)) continue;
    if (!x.type.params.every(defaultable)) {
      events.push({ kind: 'trap', message: 'fuzzer can only send defaultable parameters to exports' });
      continue;
    }
    try {
      const rs = invoke(instance, e.name, x.type.params.map(zero));
      if (rs.length > 0) events.push({ kind: 'result', values: rs.map(observe) });
    } catch (err) {
      if (err instanceof WasmException) events.push({ kind: 'exception' });
      else if (err instanceof Trap) {
        if (/out of memory|exceeds the engine limit/.test(err.message)) {
          run.hostLimit = true;
          return run;
        }
        events.push({ kind: 'trap', message: err.message });
      } else throw err;
    }
  }
  return run;
}

// ---- comparison -------------------------------------------------------------------------------

function sameObs(a: Obs, b: Obs): boolean {
  if (a.t === 'float' || b.t === 'float') {
    // A float that happens to be integral prints as an integer.
    const x = a.t === 'float' ? a.v : a.t === 'int' ? Number(a.v) : undefined;
    const y = b.t === 'float' ? b.v : b.t === 'int' ? Number(b.v) : undefined;
    if (x === undefined || y === undefined) return false;
    return (Number.isNaN(x) && Number.isNaN(y)) || x === y;
  }
  if (a.t !== b.t) return false;
  if (a.t === 'int') return a.v === (b as { v: bigint }).v;
  if (a.t === 'i31') {
    const v = (b as { v: number }).v;
    return a.v === v || (a.v & 0x7fffffff) === (v & 0x7fffffff);
  }
  return true;
}

function show(e: Event | undefined): string {
  if (e === undefined) return '(nothing)';
  if (e.kind === 'trap') return `trap ${e.message}`;
  if (e.kind === 'exception') return 'exception';
  return `${e.kind} ${e.values.map((o) => ('v' in o ? `${o.t}:${String(o.v)}` : o.t)).join(' ')}`;
}

/** The first difference between binaryen's run and ours, or undefined when they agree. */
export function compareRuns(theirs: Run, ours: Run): string | undefined {
  if (ours.instantiateTrap !== undefined) {
    return theirs.exports.size === 0 ? undefined : `we trapped at instantiation (${ours.instantiateTrap}); binaryen ran the exports`;
  }
  if (theirs.exports.size === 0 && ours.exports.size > 0 && [...ours.exports.values()].some((e) => e.length > 0)) {
    return 'binaryen did not instantiate (a trap in initialization); we did';
  }
  for (const [name, ourEvents] of ours.exports) {
    const theirEvents = theirs.exports.get(name) ?? [];
    const n = Math.max(ourEvents.length, theirEvents.length);
    for (let i = 0; i < n; i++) {
      const a = theirEvents[i];
      const b = ourEvents[i];
      const same = a !== undefined && b !== undefined && a.kind === b.kind &&
        (a.kind === 'trap' || a.kind === 'exception' ||
          ((a as { values: Obs[] }).values.length === (b as { values: Obs[] }).values.length &&
            (a as { values: Obs[] }).values.every((o, k) => sameObs(o, (b as { values: Obs[] }).values[k]!))));
      if (!same) return `export ${name}, event ${i}: binaryen ${show(a)}, ours ${show(b)}`;
    }
  }
  return undefined;
}

export interface CaseResult {
  seed: number;
  /** Why the case was not compared (an engine limit both sides treat differently). */
  skipped?: string;
  mismatch?: string;
  exportsRun: number;
}

/** Generates, runs on both sides and compares one seed (the module stays in `dir` as m-SEED.wasm).
 * `extra`: more wasm-opt feature flags (`--enable-multimemory`, `--enable-memory64`, ...). */
export function runCase(seed: number, dir: string, extra: readonly string[] = []): CaseResult {
  const bytes = generate(seed, dir, extra);
  const file = join(dir, `m-${seed}.wasm`);
  const theirs = binaryenRun(file, extra);
  let ours: Run;
  try {
    ours = ourRun(bytes);
  } catch (e) {
    return { seed, mismatch: `our engine threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, exportsRun: 0 };
  }
  if (ours.hostLimit) return { seed, skipped: 'engine limit', exportsRun: ours.exports.size };
  return { seed, mismatch: compareRuns(theirs, ours), exportsRun: ours.exports.size };
}

/** A scratch directory for generated modules. */
export function scratchDir(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-diff-'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export const haveWasmOpt = (): boolean => existsSync(WASM_OPT);
