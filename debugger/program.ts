// Loads the program a launch configuration names: reads and checks the file, assembles .wat with
// its source map or decodes .wasm with a generated disassembly, then starts it under WASI.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeModule, type Module } from '../core/binary';
import { WasmError } from '../core/errors';
import { NetPolicy } from '../core/wasi/net';
import { CodeMap, type Mapped, type ProgramSource } from './code-map';
import type { LoadedProgram } from './runtime';
import { assembleWat } from './wat-source';
import { startTarget } from './machine-target';
import { ProgramLocations } from './locations';
import { DwarfSources } from './dwarf-source';
import { displayName, FunctionNameIndex, readDwarf, PathMapper } from '../core/debuginfo';
import { featuresFromSettings } from '../core/features';
import { isComponent } from '../core/component';
import { loadComponentProgram } from './component-program';
import { loadWastProgram } from './wast-program';

/** The `launch` attributes of a `wasmscope` debug configuration (see package.json). */
export interface LaunchConfig {
  program?: string;
  /** A .wast program: the 1-based line of the assertion (or action) to debug; the script's commands
   * before it run first, then its invoke runs under the debugger. */
  wastLine?: number;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  dirs?: string[];
  /** What the program's sockets may reach: true for everything, or `--allow-net` entries ("127.0.0.1:8080"). Default: nothing. */
  allowNet?: boolean | string[];
  stopOnEntry?: boolean;
  invoke?: { export: string; args?: (string | number)[] };
  stdin?: string;
  /** Run without stopping: no breakpoints, no break on trap (VS Code's "Run Without Debugging"). */
  noDebug?: boolean;
  /** Where a noDebug run runs (the client fills it from wasmscope.run.engine): our interpreter (the
   * default here), V8 (Node's WebAssembly, with our WASI host), or V8 when it can take the program. */
  engine?: 'interp' | 'v8' | 'auto';
  /** Interpreter limits (the client fills them from the wasmscope.interpreter settings). */
  maxCallDepth?: number;
  maxMemoryPages?: number;
  /** DWARF source paths → local paths, for modules built in another tree: { "/build/src": "${workspaceFolder}/src" }. */
  sourceMap?: Record<string, string>;
  /** Proposals the program may use (the client fills them from the wasmscope.features.* settings;
   * missing ones take the engine's defaults, all of Wasm 3.0). */
  features?: Record<string, boolean>;
  /** Write an exact profile (instruction counts by function and call path) here when the program ends. */
  profile?: string;
  /** Record the execution for Step Back and Reverse Continue (default true). */
  timeTravel?: boolean;
  /** Bound on the recording's memory in MiB (default 512); the oldest history is dropped first. */
  historyMB?: number;
  /** wasi-threads: the scheduler's seed and fuel per turn (as the CLI's --seed and --quantum). */
  seed?: number;
  quantum?: number;
}

/** A launch that cannot start; the message is shown to the user as is. */
export class LaunchError extends Error {}

export interface OutputHooks {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface Preopen {
  host: string;
  guest: string;
}

/** `HOST::GUEST` or just `HOST` (guest = host as written), as the CLI's --dir. */
/** The network the program may reach, from "allowNet" (nothing when absent or false). */
export function netPolicyOf(config: LaunchConfig): NetPolicy {
  const a = config.allowNet;
  if (a === undefined || a === false) return NetPolicy.deny();
  if (a === true) return NetPolicy.allowAll();
  try {
    return a.length === 0 ? NetPolicy.deny() : NetPolicy.parse(a);
  } catch (e) {
    throw new LaunchError(`"allowNet": ${(e as Error).message.replace(/^--allow-net: /, '')}`);
  }
}

export function parseDirs(dirs: readonly string[], cwd: string): Preopen[] {
  return dirs.map((d) => {
    if (typeof d !== 'string' || d === '') throw new LaunchError(`"dirs" entries must be "HOST::GUEST" strings, got ${JSON.stringify(d)}`);
    const i = d.indexOf('::');
    const host = i < 0 ? d : d.slice(0, i);
    const guest = i < 0 ? d : d.slice(i + 2);
    const hostPath = path.resolve(cwd, host);
    if (!fs.existsSync(hostPath) || !fs.statSync(hostPath).isDirectory()) throw new LaunchError(`"dirs": '${host}' is not a directory (resolved to ${hostPath})`);
    return { host: hostPath, guest: guest || '.' };
  });
}

/** Shapes first (every attribute), then what they name on disk. */
export function validateLaunchConfig(config: LaunchConfig): { programPath: string; cwd: string } {
  if (typeof config.program !== 'string' || config.program.trim() === '') {
    throw new LaunchError(config.program === undefined || config.program === ''
      ? 'Set "program" in the launch configuration to the .wasm or .wat file to debug.'
      : '"program" must be the path of a .wasm or .wat file (a string).');
  }
  if (config.cwd !== undefined && typeof config.cwd !== 'string') throw new LaunchError('"cwd" must be a directory path (a string).');
  if (config.args !== undefined && (!Array.isArray(config.args) || config.args.some((a) => typeof a !== 'string'))) {
    throw new LaunchError('"args" must be an array of strings.');
  }
  if (config.env !== undefined && (typeof config.env !== 'object' || config.env === null || Object.values(config.env).some((v) => typeof v !== 'string'))) {
    throw new LaunchError('"env" must map names to string values.');
  }
  if (config.invoke !== undefined && (typeof config.invoke !== 'object' || config.invoke === null || typeof config.invoke.export !== 'string'
    || (config.invoke.args !== undefined && !Array.isArray(config.invoke.args)))) {
    throw new LaunchError('"invoke" must be { "export": NAME, "args": [...] }.');
  }
  if (config.dirs !== undefined && (!Array.isArray(config.dirs) || config.dirs.some((d) => typeof d !== 'string'))) {
    throw new LaunchError('"dirs" must be an array of "HOST::GUEST" strings.');
  }
  if (config.allowNet !== undefined && typeof config.allowNet !== 'boolean' && (!Array.isArray(config.allowNet) || config.allowNet.some((d) => typeof d !== 'string'))) {
    throw new LaunchError('"allowNet" must be true or an array of "HOST:PORT" strings.');
  }
  if (config.engine !== undefined && !['interp', 'v8', 'auto'].includes(config.engine)) {
    throw new LaunchError('"engine" must be "interp", "v8" or "auto".');
  }
  if (config.stdin !== undefined && typeof config.stdin !== 'string') throw new LaunchError('"stdin" must be a file path (a string).');
  if (config.profile !== undefined && (typeof config.profile !== 'string' || config.profile === '')) throw new LaunchError('"profile" must be the path of a .cpuprofile file to write.');
  if (config.wastLine !== undefined && (typeof config.wastLine !== 'number' || !Number.isInteger(config.wastLine) || config.wastLine < 1)) {
    throw new LaunchError('"wastLine" must be the 1-based line of an assertion in the .wast script.');
  }
  if (config.timeTravel !== undefined && typeof config.timeTravel !== 'boolean') throw new LaunchError('"timeTravel" must be true or false.');
  if (config.seed !== undefined && (typeof config.seed !== 'number' || !Number.isInteger(config.seed))) throw new LaunchError('"seed" must be an integer.');
  for (const key of ['maxCallDepth', 'maxMemoryPages', 'historyMB', 'quantum'] as const) {
    const v = config[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) throw new LaunchError(`"${key}" must be a positive integer.`);
  }
  if (config.sourceMap !== undefined && (typeof config.sourceMap !== 'object' || config.sourceMap === null || Object.values(config.sourceMap).some((v) => typeof v !== 'string'))) {
    throw new LaunchError('"sourceMap" must map DWARF path prefixes to local path prefixes (strings).');
  }
  if (config.features !== undefined && (typeof config.features !== 'object' || config.features === null || Array.isArray(config.features)
    || Object.values(config.features).some((v) => typeof v !== 'boolean'))) {
    throw new LaunchError('"features" must map proposal names to true or false, e.g. { "tailCall": false }.');
  }

  // Without "cwd", an absolute program's own directory: the adapter's cwd means nothing when it
  // runs inside the extension host.
  const cwd = config.cwd ? path.resolve(config.cwd) : path.isAbsolute(config.program) ? path.dirname(config.program) : process.cwd();
  if (config.cwd && !fs.existsSync(cwd)) throw new LaunchError(`"cwd" does not exist: ${cwd}`);
  const programPath = path.resolve(cwd, config.program);
  if (/\.wast$/i.test(programPath) && config.wastLine === undefined) {
    throw new LaunchError(`'${config.program}' is a spec-test script; run it with \`wasmscope spec\`, or set "wastLine" to the line of the assertion to debug.`);
  }
  if (!fs.existsSync(programPath)) throw new LaunchError(`Cannot find the program '${config.program}' (looked at ${programPath}).`);
  if (!fs.statSync(programPath).isFile()) throw new LaunchError(`The program '${config.program}' is not a file.`);
  if (config.stdin !== undefined) {
    const p = path.resolve(cwd, config.stdin);
    if (!fs.existsSync(p)) throw new LaunchError(`"stdin": cannot find '${config.stdin}' (looked at ${p}).`);
  }
  return { programPath, cwd };
}

/** Reads, assembles or decodes, instantiates and starts the program; LaunchError on any failure. */
export async function loadProgram(config: LaunchConfig, hooks: OutputHooks): Promise<LoadedProgram> {
  const { programPath, cwd } = validateLaunchConfig(config);
  if (config.wastLine !== undefined) return loadWastProgram(config, programPath, hooks);
  const features = featuresFromSettings(config.features);
  const name = path.basename(programPath);
  const raw = await fs.promises.readFile(programPath);
  const isBinary = raw.length >= 4 && raw[0] === 0 && raw[1] === 0x61 && raw[2] === 0x73 && raw[3] === 0x6d;

  let bytes: Uint8Array;
  let watSource: ProgramSource | undefined;
  let watPositions: Map<number, Mapped> | undefined;
  if (isBinary) {
    bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  } else if (/\.wat$/i.test(programPath) || /^\s*(\(|;;)/.test(raw.toString('utf8', 0, 256))) {
    watSource = { name, path: programPath };
    const assembled = assembleWat(raw.toString('utf8'), programPath, watSource, features);
    bytes = assembled.bytes;
    watPositions = assembled.positions;
  } else {
    throw new LaunchError(`'${name}' is neither a WebAssembly binary (no \\0asm header) nor WebAssembly text.`);
  }
  if (isComponent(bytes)) return loadComponentProgram({ config, hooks, programPath, cwd, bytes });

  let module: Module;
  try {
    module = decodeModule(bytes, { features });
  } catch (err) {
    throw new LaunchError(`'${name}' is not a valid WebAssembly module: ${err instanceof Error ? err.message : String(err)}`);
  }

  const names = module.names;
  const funcName = functionNamer(module);
  let nameIndex: FunctionNameIndex | undefined;
  const findFunction = (query: string): number | undefined => {
    const q = query.startsWith('$') ? query.slice(1) : query;
    const exp = module.exports.find((e) => e.kind === 'func' && e.name === q);
    if (exp) return exp.index;
    nameIndex ??= new FunctionNameIndex([...names.functions, ...dwarfFunctionNames(locations.dwarf, codeMap)]);
    const named = nameIndex.find(q);
    if (named !== undefined) return named;
    if (/^\d+$/.test(q)) {
      const i = Number(q);
      if (i < module.importedFuncs + module.funcs.length) return i;
    }
    const m = /^func\[(\d+)\]$/.exec(q);
    return m ? Number(m[1]) : undefined;
  };
  // Instructions are listed per function when first needed: a big module costs nothing here.
  const codeMap = new CodeMap(module, { positions: watPositions, name, funcName });
  const mainSource: ProgramSource = watSource ?? codeMap.wholeListing ?? { name: `${name} (disassembly, one source per function)` };
  const locations = new ProgramLocations(codeMap, openDwarf(bytes, codeMap, config, programPath));
  const funcEntry = (index: number): number | undefined => codeMap.instructionsOf(index)[0]?.offset;

  let started;
  try {
    started = startTarget({ module, bytes, config, cwd, programPath, hooks, funcName });
  } catch (err) {
    if (err instanceof LaunchError) throw err;
    if (err instanceof WasmError) throw new LaunchError(`'${name}': ${err.message}`);
    throw err;
  }

  return {
    kind: watSource ? 'wat' : 'wasm',
    path: programPath,
    bytes,
    codeMap,
    locations,
    mainSource,
    target: started.target,
    stdin: started.stdin,
    funcName,
    findFunction,
    funcEntry,
    globalName: (i) => names.globals.get(i),
    describeResults: started.describeResults,
    ...(config.profile !== undefined ? { profilePath: path.resolve(cwd, config.profile) } : {}),
  };
}

/** A function's display name: its name-section name (demangled), export name, import name or `func[N]`. */
export function functionNamer(module: Module): (index: number) => string {
  const names = module.names;
  return (index) => {
    const n = names.functions.get(index);
    if (n !== undefined) return displayName(n);
    const exp = module.exports.find((e) => e.kind === 'func' && e.index === index);
    if (exp) return exp.name;
    if (index < module.importedFuncs) {
      let k = 0;
      for (const imp of module.imports) {
        if (imp.desc.kind !== 'func') continue;
        if (k++ === index) return `${imp.module}.${imp.name}`;
      }
    }
    return `func[${index}]`;
  };
}

/** Each DWARF function's source name (`main`, `geo::Shape::sides`) with the Wasm function holding its code. */
export function dwarfFunctionNames(dwarf: DwarfSources | undefined, codeMap: CodeMap): [number, string][] {
  const out: [number, string][] = [];
  for (const fn of dwarf?.info.functions() ?? []) {
    const name = fn.qualifiedName ?? fn.name;
    const start = dwarf!.info.bodyStart(fn);
    const funcIndex = start === undefined ? undefined : codeMap.funcOf(start);
    if (name !== undefined && funcIndex !== undefined) out.push([funcIndex, name]);
  }
  return out;
}

/** Source-level positions when the module carries DWARF line tables (built with -g). */
export function openDwarf(bytes: Uint8Array, codeMap: CodeMap, config: LaunchConfig, programPath: string): DwarfSources | undefined {
  const info = readDwarf(bytes);
  if (!info || info.files().length === 0) return undefined;
  const pairs = Object.entries(config.sourceMap ?? {}).filter(([from, to]) => typeof from === 'string' && typeof to === 'string');
  return new DwarfSources(info, codeMap, new PathMapper(pairs), path.dirname(programPath));
}
