// What the fuzzers feed: each target takes one (mutated) input and drives one part of the product the
// way its real callers do. Any exception that is not a WasmError (DecodeError, ValidationError,
// LinkError, Trap, ParseError, ...) is a crash; fuel and small engine limits keep each input bounded.
import { decodeModule, ValType, type Module } from '../../core/binary/index';
import { readDwarf, byteSizeOf, childSlots, formatValue } from '../../core/debuginfo/index';
import { WasmError } from '../../core/errors';
import { disassemble, listSections, openDisassembly, summarizeModule } from '../../core/inspect/index';
import {
  compileModule, GlobalInstance, instantiate, Machine, MemoryInstance, TableInstance, TagInstance,
  type EngineOptions, type ImportValue, type Imports, type Value,
} from '../../core/interp/index';
import { assemble, lex, parseTree, parseWast, parseWat, watToBinary } from '../../core/text/index';
import { Analysis } from '../../server/documents';
import { DOCUMENT_ROUTES } from '../../server/routes';
import { decodeComponent, describeWorld, formatWit, prepareCommand, validateComponent } from '../../core/component/index';
import { WasiExit } from '../../core/wasi/index';
import { WasiP2 } from '../../core/wasi/p2/index';
import type { WasiIO } from '../../core/wasi/wasi-io';
import type { Random } from './random';

export type InputKind = 'wasm' | 'dwarf' | 'wat' | 'wast' | 'component';

export interface Target {
  name: string;
  input: InputKind;
  /** Runs one input; `rng` chooses positions for targets that take them (the LSP features). */
  run(input: Uint8Array | string, rng: Random): void;
}

/** Errors a target may throw: the engine's and the text tooling's typed errors. */
export function isTypedError(err: unknown): boolean {
  return err instanceof WasmError;
}

/** Bounds for running mutated programs: small memories and tables, little fuel per export. */
const ENGINE: EngineOptions = { maxMemoryPages: 256, maxTablePages: 100_000, maxCallDepth: 10_000 };
const FUEL = 2_500;

function zero(type: ValType): Value {
  switch (type) {
    case ValType.i32: return { type: 'i32', value: 0 };
    case ValType.i64: return { type: 'i64', value: 0n };
    case ValType.f32: return { type: 'f32', bits: 0 };
    case ValType.f64: return { type: 'f64', bits: 0n };
    case ValType.v128: return { type: 'v128', bytes: new Uint8Array(16) };
    case ValType.funcref: return { type: 'funcref', value: null };
    case ValType.exnref: return { type: 'exnref', value: null };
    default: return { type: 'externref', value: null };
  }
}

/** JS-API zero for a host function's result. */
function jsZero(type: ValType): unknown {
  return type === ValType.i64 ? 0n : type === ValType.funcref || type === ValType.externref || type === ValType.exnref ? null : 0;
}

/** An import object that satisfies every import of `m` with a do-nothing host item of its type. */
function stubImports(m: Module): Imports | undefined {
  const imports: Record<string, Record<string, ImportValue>> = {};
  for (const imp of m.imports) {
    let v: ImportValue;
    const d = imp.desc;
    switch (d.kind) {
      case 'func': {
        const type = m.types[d.typeIndex];
        if (type === undefined) return undefined;
        const results = type.results.map(jsZero);
        v = () => (results.length === 0 ? undefined : results.length === 1 ? results[0] : results);
        break;
      }
      case 'memory':
        if (d.type.limits.min > 256) return undefined;
        v = new MemoryInstance(d.type.limits.min, d.type.limits.max);
        break;
      case 'table':
        if (d.type.limits.min > 100_000) return undefined;
        v = new TableInstance(d.type.elemType, d.type.limits.min, d.type.limits.max);
        break;
      case 'global':
        v = new GlobalInstance(d.type.type, d.type.mutable, zero(d.type.type));
        break;
      case 'tag': {
        const type = m.types[d.typeIndex];
        if (type === undefined) return undefined;
        v = new TagInstance(type);
        break;
      }
    }
    (imports[imp.module] ??= {})[imp.name] = v;
  }
  return imports;
}

/** Runs a started machine until it finishes, traps, or its fuel is spent. */
function drive(machine: Machine): void {
  for (let slices = 0; slices < 4; slices++) {
    const r = machine.run(FUEL);
    if (r.reason === 'trap' || r.reason === 'finished') return;
  }
}

function runModule(bytes: Uint8Array): void {
  const module = decodeModule(bytes);
  const imports = stubImports(module);
  if (imports === undefined) return;
  // The start function runs under fuel here (instantiate would run it unbounded), so it is taken out.
  // (validated as it is: the start function's type is checked there)
  const compiled = compileModule(module, ENGINE);
  const instance = instantiate({ ...compiled, module: { ...module, start: undefined } }, imports, ENGINE);
  const machine = new Machine(ENGINE);
  if (module.start !== undefined) {
    const f = instance.funcs[module.start];
    if (f) {
      machine.startFunc(f, []);
      drive(machine);
    }
  }
  for (const [name, e] of Object.entries(instance.exports)) {
    if (e.kind !== 'func') continue;
    machine.start(instance, name, e.type.params.map(zero));
    drive(machine);
  }
}

function disassembleModule(bytes: Uint8Array): void {
  listSections(bytes);
  const module = decodeModule(bytes);
  summarizeModule(module);
  disassemble(module);
  const lazy = openDisassembly(module);
  lazy.lines(0, Math.min(lazy.lineCount, 200));
  lazy.lines(Math.max(0, lazy.lineCount - 50), lazy.lineCount);
}

function dwarf(bytes: Uint8Array, rng: Random): void {
  const info = readDwarf(bytes);
  if (info === undefined) return;
  info.compileUnits();
  const files = info.files();
  for (const fn of info.functions().slice(0, 50)) info.bodyStart(fn);
  for (let n = 0; n < 20; n++) {
    const offset = rng.int(bytes.length + 16);
    info.lineForOffset(offset);
    info.lineRangeAt(offset);
    info.functionAt(offset);
    info.expandFrames([offset, rng.int(bytes.length)]);
    info.globalsAt(offset);
    for (const scope of info.variablesAt(offset)) {
      for (const v of scope.variables.slice(0, 20)) {
        const size = Math.min(64, byteSizeOf(v.type) ?? 8);
        formatValue(v.type, new Uint8Array(size));
        childSlots(v.type);
      }
    }
    if (files.length > 0) info.offsetsForLine(rng.pick(files), rng.int(200));
  }
}

function parseText(text: string): void {
  lex(text);
  parseTree(text);
  const doc = parseWat(text);
  const lines = doc.tree.lines;
  for (const def of doc.module.symbols.defs) void def.range;
  for (const ref of doc.module.symbols.refs) void ref.range;
  lines.positionAt(text.length);
  lines.offsetAt(1e9, 1e9);
}

function assembleText(text: string): void {
  const doc = parseWat(text);
  if (doc.errors.length > 0) {
    // The convenience entry must refuse it with a ParseError, never anything else.
    watToBinary(text);
    return;
  }
  const { bytes } = assemble(doc.module, { names: true, labelNames: true });
  // What we assemble from error-free text must at least decode (it may still be invalid).
  const module = decodeModule(bytes);
  compileModule(module);
}

/** Every LSP feature of the server at a few random positions of the document, in process. */
function languageFeatures(text: string, rng: Random, language: 'wat' | 'wast'): void {
  const analysis = new Analysis(`file:///fuzz.${language}`, 1, language, text);
  const lines = analysis.tree.lines;
  const lineCount = lines.positionAt(text.length).line + 1;
  const position = (): { line: number; character: number } => {
    if (rng.chance(0.1)) return { line: rng.pick([-1, lineCount, 1e9]), character: rng.pick([-1, 0, 1e9]) };
    const offset = rng.int(text.length + 1);
    const p = lines.positionAt(offset);
    return { line: p.line, character: p.character };
  };
  const options = { tabSize: rng.pick([0, 2, 4]), insertSpaces: rng.chance(0.5) };
  // Follow-up requests (call hierarchy) take an item from the prepare request, as a client sends them.
  let item: unknown;
  for (const [method, feature] of Object.entries(DOCUMENT_ROUTES)) {
    if (method.startsWith('callHierarchy/') && item === undefined) continue;
    const p = position();
    const q = position();
    const range = { start: p, end: q };
    const params = {
      textDocument: { uri: analysis.uri },
      position: p,
      positions: [p, q],
      range,
      options,
      newName: rng.pick(['$x', '$ok_name', 'bad name', '$', '$"quoted"']),
      context: { includeDeclaration: rng.chance(0.5), diagnostics: [] },
      item,
    };
    try {
      const answer = feature(analysis, params as never);
      if (method === 'textDocument/prepareCallHierarchy' && Array.isArray(answer)) item = answer[0];
    } catch (err) {
      // rename refuses bad names with a ResponseError (an answer to the client, not a crash).
      if (method === 'textDocument/rename' && (err as { code?: unknown }).code !== undefined) continue;
      throw err;
    }
  }
}

/** What `inspect` does with a component: decode, validate, the WIT world and its text. */
function inspectComponent(bytes: Uint8Array): void {
  const info = validateComponent(decodeComponent(bytes));
  formatWit(describeWorld(info));
}

/** WASI 0.2 over buffers: no files, empty stdin, output dropped, a fixed clock. */
function bufferIO(): WasiIO {
  return {
    stdin: { read: () => 0 },
    stdout: { write: () => undefined },
    stderr: { write: () => undefined },
    clock: { now: () => 0n, resolution: () => 1n, sleep: () => undefined },
    random: { fill: (b) => b.fill(4) },
  };
}

/** What `run` does with a component, under fuel: instantiate against the WASI 0.2 host, run `wasi:cli/run`. */
function runComponent(bytes: Uint8Array): void {
  const host = new WasiP2({ args: ['fuzz'], io: bufferIO() });
  try {
    const { call } = prepareCommand(bytes, host, ENGINE);
    const machine = new Machine(ENGINE);
    machine.startFunc(call.core, call.args);
    for (let slices = 0; slices < 4; slices++) {
      const r = machine.run(FUEL);
      if (r.reason === 'finished') {
        call.finish(r.results);
        return;
      }
      if (r.reason !== 'budget') return;
    }
  } catch (err) {
    if (err instanceof WasiExit) return;
    throw err;
  } finally {
    host.dispose();
  }
}

const asBytes = (x: Uint8Array | string): Uint8Array => (typeof x === 'string' ? new TextEncoder().encode(x) : x);
const asText = (x: Uint8Array | string): string => (typeof x === 'string' ? x : new TextDecoder().decode(x));

export const TARGETS: Target[] = [
  { name: 'decode', input: 'wasm', run: (x) => void decodeModule(asBytes(x)) },
  { name: 'compile', input: 'wasm', run: (x) => void compileModule(decodeModule(asBytes(x))) },
  { name: 'run', input: 'wasm', run: (x) => runModule(asBytes(x)) },
  { name: 'disassemble', input: 'wasm', run: (x) => disassembleModule(asBytes(x)) },
  { name: 'dwarf', input: 'dwarf', run: (x, rng) => dwarf(asBytes(x), rng) },
  { name: 'component-inspect', input: 'component', run: (x) => inspectComponent(asBytes(x)) },
  { name: 'component-run', input: 'component', run: (x) => runComponent(asBytes(x)) },
  { name: 'wat', input: 'wat', run: (x) => parseText(asText(x)) },
  { name: 'assemble', input: 'wat', run: (x) => assembleText(asText(x)) },
  { name: 'wast', input: 'wast', run: (x) => void parseWast(asText(x)) },
  { name: 'lsp-wat', input: 'wat', run: (x, rng) => languageFeatures(asText(x), rng, 'wat') },
  { name: 'lsp-wast', input: 'wast', run: (x, rng) => languageFeatures(asText(x), rng, 'wast') },
];
