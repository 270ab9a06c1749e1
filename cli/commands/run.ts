// `wasmscope run`: runs a WASI program (.wasm or .wat) on the Wasmscope interpreter, with
// Wasmtime's meaning for --dir, --env, --invoke and --fuel. Every user mistake is one line.
import { closeSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { CliError, type Command } from '../command';
import { ValType, decodeModule, moduleFuncType, type Module } from '../../core/binary';
import { DecodeError, Trap, ValidationError, WasmException, type TrapFrame } from '../../core/errors';
import { Machine, Profiler, compileModule, instantiate, type Instance, type Value } from '../../core/interp';
import { ParseError, watToBinary, type SourceMap } from '../../core/text';
import { WASI_SIGNATURES, Wasi, createNodeIO, usesWasiThreads, type Preopen, type WasiMemory, type WasiSignature } from '../../core/wasi';
import { validateModule } from '../../core/validate';
import { launcherCost } from '../launch-cost';
import { callOnV8, instantiateOnV8, isV8Exception, jsCallBarrier, v8Rejects, type V8Instance } from '../../core/v8/engine';
import { detectPanic, displayName, OutputTail, readDwarf, type DwarfInfo } from '../../core/debuginfo';
import { isComponent } from '../../core/component/decode';
import { componentTextToBinary, isComponentText } from '../../core/component/text';
import { runTicks, withoutOsr } from '../../core/interp/engine-calls';
import type { Features } from '../../core/features';
import { FEATURE_FLAGS_HELP, applyFeatureFlag } from '../feature-flags';
import { runComponent } from './run-component';
import { failureStatus, missingEntry, TRAP_STATUS, type FailureReport } from './run-failure';
import { runThreaded } from './run-threads';
import { NetPolicy } from '../../core/wasi/net';

/** wasi-threads' one import: `wasi` `thread-spawn` (start_arg) -> tid. */
const THREAD_SPAWN: WasiSignature = { params: ['i32'], results: ['i32'] };

const USAGE =
  'wasmscope run [--engine interp|v8|auto] [--time-to-first-instruction] [--dir HOST[::GUEST]]... [--env NAME[=VALUE]]... [--allow-net[=HOST:PORT,...]] [--invoke NAME] [--fuel N] [--seed N] [--quantum N] [--profile OUT.cpuprofile] [FEATURE FLAGS] FILE.wasm|FILE.wat [ARG...]';

/** Which engine runs the program: our interpreter, the host's V8, or V8 when it can and ours otherwise. */
export type EngineChoice = 'interp' | 'v8' | 'auto';
const ENGINES: readonly EngineChoice[] = ['interp', 'v8', 'auto'];

/** Wasmtime's status for a trap (128 + SIGABRT). */
export { TRAP_STATUS, exitStatus } from './run-failure';

export interface RunOptions {
  file: string;
  args: string[];
  dirs: Preopen[];
  env: Record<string, string>;
  invoke?: string;
  fuel?: number;
  /** Write an exact profile (instruction counts per function and call path) to this .cpuprofile. */
  profile?: string;
  /** --engine (default interp). */
  engine: EngineChoice;
  /** The proposals the program may use (--enable-NAME, --disable-NAME, --features=LIST). */
  features: Features;
  /** wasi-threads: the scheduler's seed and fuel per turn (core/wasi/threads.ts). */
  seed?: number;
  quantum?: number;
  /** --allow-net: which addresses sockets and HTTP may reach (nothing by default). */
  net: NetPolicy;
  /** --time-to-first-instruction: say on stderr when the program's first instruction is about to run. */
  timeToFirstInstruction?: boolean;
}

/** Options come before FILE; everything after FILE belongs to the program (or to --invoke). */
export function parseRunArgs(argv: readonly string[]): RunOptions {
  const opts: Omit<RunOptions, 'file' | 'args' | 'net'> = { dirs: [], env: {}, features: {}, engine: 'interp' };
  const allowNet: string[] = [];
  let i = 0;
  const value = (flag: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    const v = argv[++i];
    if (v === undefined) throw new CliError(`${flag} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('--') || arg === '-') break;
    if (applyFeatureFlag(arg, opts.features)) continue;
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    switch (flag) {
      case '--dir': {
        const spec = value(flag, inline);
        const sep = spec.indexOf('::');
        const host = sep < 0 ? spec : spec.slice(0, sep);
        const guest = sep < 0 ? spec : spec.slice(sep + 2);
        let isDir = false;
        try {
          isDir = statSync(host).isDirectory();
        } catch {
          // reported below
        }
        if (!isDir) throw new CliError(`--dir ${spec}: ${host} is not a directory`);
        opts.dirs.push({ host: resolve(host), guest });
        break;
      }
      case '--env': {
        const spec = value(flag, inline);
        const e = spec.indexOf('=');
        // As in Wasmtime, a bare NAME passes the host's value through.
        if (e < 0) {
          const v = process.env[spec];
          if (v !== undefined) opts.env[spec] = v;
        } else {
          opts.env[spec.slice(0, e)] = spec.slice(e + 1);
        }
        break;
      }
      case '--invoke':
        opts.invoke = value(flag, inline);
        break;
      case '--allow-net':
        // Bare --allow-net opens everything; --allow-net=LIST only those hosts and ports.
        allowNet.push(inline ?? '');
        break;
      case '--engine': {
        const v = value(flag, inline);
        if (!ENGINES.includes(v as EngineChoice)) throw new CliError(`--engine ${v}: expected one of ${ENGINES.join(', ')}`);
        opts.engine = v as EngineChoice;
        break;
      }
      case '--fuel': {
        const v = value(flag, inline);
        const n = Number(v);
        if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) throw new CliError(`--fuel ${v}: expected a number of fuel units (a whole number)`);
        opts.fuel = n;
        break;
      }
      case '--profile':
        opts.profile = value(flag, inline);
        break;
      case '--time-to-first-instruction':
        if (inline !== undefined) throw new CliError('--time-to-first-instruction takes no value');
        opts.timeToFirstInstruction = true;
        break;
      case '--seed': case '--quantum': {
        const v = value(flag, inline);
        const n = Number(v);
        if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || (flag === '--quantum' && n === 0)) {
          throw new CliError(`${flag} ${v}: expected a ${flag === '--seed' ? 'whole number' : 'positive whole number of fuel units'}`);
        }
        if (flag === '--seed') opts.seed = n;
        else opts.quantum = n;
        break;
      }
      default:
        throw new CliError(`unknown option ${flag}\nUsage: ${USAGE}`);
    }
  }
  const file = argv[i];
  if (file === undefined) throw new CliError(`no program given\nUsage: ${USAGE}`);
  let net: NetPolicy;
  try {
    net = NetPolicy.parse(allowNet);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  return { ...opts, net, file, args: argv.slice(i + 1) };
}

export interface Loaded {
  module: Module;
  sourceMap?: SourceMap;
}

/** The bytes of FILE; a failure to read it is one line. */
function readProgramFile(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new CliError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : 'cannot be read'}`);
  }
}

/** Reads FILE (or takes its bytes, already read) as a binary module or as WebAssembly text; every
 * failure is one line. `deferBodyCheck`: the bodies' structure is left to the validator, which
 * must then run (compileModule does), so a big program's bodies are read once before it starts. */
export function loadProgram(file: string, features: Features = {}, read: Uint8Array = readProgramFile(file), deferBodyCheck = false): Loaded {
  let bytes = read;
  let sourceMap: SourceMap | undefined;
  const isBinary = bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
  if (!isBinary) {
    const text = new TextDecoder().decode(bytes);
    if (!file.endsWith('.wat') && !/^\s*(\(|;;)/.test(text)) {
      throw new CliError(`${file}: not a WebAssembly module (no \\0asm header, and not .wat text)`);
    }
    try {
      const out = watToBinary(text, { features });
      bytes = out.bytes;
      sourceMap = out.sourceMap;
    } catch (err) {
      if (err instanceof ParseError) throw new CliError(`${file}:${err.message}`);
      throw err;
    }
  }
  try {
    return { module: decodeModule(bytes, { features, deferBodyCheck }), sourceMap };
  } catch (err) {
    if (err instanceof DecodeError) throw new CliError(`${file}: invalid module: ${err.message}`);
    throw err;
  }
}

/** The binary of a .wat FILE's `source` when it holds (component ...) text; undefined for anything else. */
function componentTextOf(file: string, source: Uint8Array, features: Features): Uint8Array | undefined {
  const text = new TextDecoder().decode(source);
  if (!isComponentText(text)) return undefined;
  try {
    return componentTextToBinary(text, { features });
  } catch (err) {
    if (err instanceof ParseError) throw new CliError(`${file}:${err.message}`);
    throw err;
  }
}

/** The first 8 bytes of FILE (undefined when it cannot be read: loadProgram reports that). Only
 * those are read: the whole of a 30 MB program is read once, by loadProgram. */
function readHead(file: string): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = new Uint8Array(8);
    return head.subarray(0, readSync(fd, head, 0, 8, 0));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** "$name (func 3) @ 0x1f2 file.wat:12:5" for one backtrace frame. */
function describeFrame(f: TrapFrame, module: Module, file: string, sourceMap: SourceMap | undefined): string {
  const name = f.name ?? module.names.functions.get(f.funcIndex);
  let where = `${name !== undefined ? `${displayName(name)} ` : ''}(func ${f.funcIndex}) @ 0x${f.offset.toString(16)}`;
  const range = sourceMap?.rangeAt(f.offset);
  if (range) where += ` ${file}:${range.start.line + 1}:${range.start.character + 1}`;
  return where;
}

/** A DWARF path as the build saw it: relative to its unit's compilation directory (`src/values.rs`). */
function shortPath(info: DwarfInfo, file: string): string {
  let best = '';
  for (const u of info.compileUnits()) {
    const dir = u.compDir?.replace(/\/+$/, '');
    if (dir && dir !== '.' && file.startsWith(`${dir}/`) && dir.length > best.length) best = dir;
  }
  return best ? file.slice(best.length + 1) : file;
}

/**
 * With DWARF: each source frame (inlined calls too) as `values::main at src/values.rs:26:9 (func 12 @ 0x1f2)`;
 * frames without lines (library code built without -g) keep the Wasm form.
 */
function dwarfBacktrace(info: DwarfInfo, frames: readonly TrapFrame[], loaded: Loaded, file: string): string[] {
  const lines: string[] = [];
  const expanded = info.expandFrames(frames.map((f) => f.offset));
  for (const sf of expanded) {
    const f = frames[sf.physical]!;
    const loc = sf.location;
    if (!sf.function || !loc || loc.line === 0) {
      if (sf.inlineDepth === 0) lines.push(describeFrame(f, loaded.module, file, loaded.sourceMap));
      continue;
    }
    const fn = sf.function;
    const rawName = fn.qualifiedName ?? fn.name ?? f.name ?? loaded.module.names.functions.get(f.funcIndex) ?? `func ${f.funcIndex}`;
    const column = loc.column > 0 ? `:${loc.column}` : '';
    const inlined = sf.inlineDepth < expanded.filter((x) => x.physical === sf.physical).length - 1 ? ', inlined' : '';
    lines.push(`${displayName(rawName)} at ${shortPath(info, loc.file)}:${loc.line}${column} (func ${f.funcIndex} @ 0x${f.offset.toString(16)}${inlined})`);
  }
  return lines;
}

export function printTrap(message: string, frames: readonly TrapFrame[], loaded: Loaded, file: string, stderrTail?: OutputTail, kind = 'trap: '): void {
  let info: DwarfInfo | undefined;
  if (!loaded.sourceMap) {
    try {
      info = readDwarf(loaded.module.bytes);
    } catch {
      info = undefined; // a backtrace without source lines is still a backtrace
    }
  }
  const names = frames.map((f) => f.name ?? loaded.module.names.functions.get(f.funcIndex));
  const panic = stderrTail ? detectPanic(names, stderrTail.toString()) : undefined;
  const head = panic
    ? `wasmscope run: ${panic.kind}: ${panic.message}${panic.location ? ` at ${panic.location}` : ''} (${kind}${message})`
    : `wasmscope run: ${kind}${message}`;
  const body = info && info.functions().length > 0 ? dwarfBacktrace(info, frames, loaded, file) : frames.map((f) => describeFrame(f, loaded.module, file, loaded.sourceMap));
  const lines = [head, ...body.map((l) => `    at ${l}`)];
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** An uncaught Wasm exception: its message names the tag and payload; the backtrace is the throw's. */
function printException(e: WasmException, loaded: Loaded, file: string): void {
  printTrap(e.message, e.frames, loaded, file, undefined, '');
}

const TYPE_NAMES: Record<number, string> = {
  [ValType.i32]: 'i32', [ValType.i64]: 'i64', [ValType.f32]: 'f32', [ValType.f64]: 'f64',
  [ValType.v128]: 'v128', [ValType.funcref]: 'funcref', [ValType.externref]: 'externref', [ValType.exnref]: 'exnref',
};

/** Parses a command-line argument as a value of type `t`. */
function parseValue(text: string, t: string): Value {
  const bad = () => new CliError(`--invoke: ${JSON.stringify(text)} is not a valid ${t}`);
  switch (t) {
    case 'i32': {
      if (!/^[+-]?(0x[0-9a-f]+|\d+)$/i.test(text)) throw bad();
      const n = text.startsWith('-') ? -Number(text.slice(1)) : Number(text.replace(/^\+/, ''));
      return { type: 'i32', value: n | 0 };
    }
    case 'i64': {
      if (!/^[+-]?(0x[0-9a-f]+|\d+)$/i.test(text)) throw bad();
      const neg = text.startsWith('-');
      const n = BigInt(text.replace(/^[+-]/, ''));
      return { type: 'i64', value: BigInt.asIntN(64, neg ? -n : n) };
    }
    case 'f32':
    case 'f64': {
      const n = Number(text);
      if (text.trim() === '' || (Number.isNaN(n) && !/^[+-]?nan$/i.test(text))) throw bad();
      if (t === 'f32') {
        const f = new Float32Array([n]);
        return { type: 'f32', bits: new Uint32Array(f.buffer)[0]! };
      }
      const d = new Float64Array([n]);
      return { type: 'f64', bits: new BigUint64Array(d.buffer)[0]! };
    }
    default:
      throw new CliError(`--invoke: cannot pass a ${t} from the command line`);
  }
}

function formatValue(v: Value): string {
  switch (v.type) {
    case 'i32':
    case 'i64':
      return String(v.value);
    case 'f32':
      return String(new Float32Array(new Uint32Array([v.bits]).buffer)[0]);
    case 'f64':
      return String(new Float64Array(new BigUint64Array([v.bits]).buffer)[0]);
    case 'v128':
      return `0x${[...v.bytes].reverse().map((b) => b.toString(16).padStart(2, '0')).join('')}`;
    default:
      return v.value === null ? 'null' : `<${v.type}>`;
  }
}

/** Refuses imports nobody provides, or WASI functions of the wrong type, naming the first (before anything runs). */
function checkImports(module: Module, file: string): void {
  const threads = usesWasiThreads(module);
  for (const imp of module.imports) {
    // wasi-threads: the host makes the shared memory the module imports, and gives thread-spawn.
    if (threads && imp.desc.kind === 'memory' && imp.desc.type.limits.shared) continue;
    const wanted = imp.module === 'wasi_snapshot_preview1' ? WASI_SIGNATURES[imp.name]
      : imp.module === 'wasi' && imp.name === 'thread-spawn' ? THREAD_SPAWN : undefined;
    if (!wanted) {
      throw new CliError(`${file}: unknown import "${imp.module}" "${imp.name}" (only wasi_snapshot_preview1 and wasi-threads are provided)`);
    }
    const type = imp.desc.kind === 'func' ? module.types[imp.desc.typeIndex] : undefined;
    const shape = (ts: readonly number[]) => ts.map((t) => TYPE_NAMES[t] ?? '?').join(' ');
    if (!type || shape(type.params) !== wanted.params.join(' ') || shape(type.results) !== wanted.results.join(' ')) {
      const sig = (p: readonly string[], r: readonly string[]) => `(${p.join(' ')}) -> (${r.join(' ')})`;
      throw new CliError(`${file}: import "${imp.module}" "${imp.name}" has the wrong type: expected ${sig(wanted.params, wanted.results)}`);
    }
  }
}

/** Prints failures of a core module's run against its names and source lines. */
export function reporter(loaded: Loaded, file: string, stderrTail?: OutputTail): FailureReport {
  return {
    trap: (message, frames) => printTrap(message, frames, loaded, file, stderrTail),
    exception: (e) => printException(e, loaded, file),
  };
}

/** Runs a prepared machine to the end, under the fuel budget when there is one. */
function runMachine(m: Machine, fuel: number | undefined): { results: Value[] } | { trap: Trap } | { exception: WasmException } | { fuelOut: true } {
  for (;;) {
    // In engine calls of 2,000 ticks with V8's OSR off: 10-25% less CPU (core/interp/engine-calls.ts).
    const r = withoutOsr(() => runTicks(m, fuel));
    switch (r.reason) {
      case 'finished':
        return { results: r.results };
      case 'trap':
        return { trap: r.trap };
      case 'exception':
        return { exception: r.exception };
      case 'budget':
        if (fuel !== undefined) return { fuelOut: true };
        break;
      default:
        // 'blocked' cannot last under the CLI (stdin blocks inside the read); steps and breakpoints are not set.
        break;
    }
  }
}

/** --invoke's arguments, parsed as the export's parameter types (none for _start). */
function invokeArgs(opts: RunOptions, entry: string, params: readonly ValType[]): Value[] {
  if (!opts.invoke) return [];
  if (opts.args.length !== params.length) {
    const types = params.map((p) => TYPE_NAMES[p]).join(', ');
    throw new CliError(`--invoke ${entry}: expects ${params.length} argument${params.length === 1 ? '' : 's'} (${types}), got ${opts.args.length}`);
  }
  return opts.args.map((a, k) => parseValue(a, TYPE_NAMES[params[k]!] ?? '?'));
}

/**
 * --time-to-first-instruction: the time (wall and CPU) from process start (Node's performance.now() origin) to
 * the moment the program's first instruction runs: everything is loaded, decoded, validated,
 * instantiated and the first function compiled; the next thing the engine does is execute it.
 */
function firstInstruction(opts: RunOptions): void {
  if (!opts.timeToFirstInstruction) return;
  // CPU time too: on a shared machine the wall time says more about the other jobs
  const cpu = process.cpuUsage();
  // Launched by `wasmscope` itself (cli/launcher.ts): from the first process's start, its CPU included.
  const launched = launcherCost;
  const wall = launched ? performance.timeOrigin + performance.now() - launched.timeOrigin : performance.now();
  const cpuMicros = cpu.user + cpu.system + (launched?.cpuMicros ?? 0);
  process.stderr.write(`wasmscope: first instruction at ${wall.toFixed(1)} ms (from process start), ${(cpuMicros / 1000).toFixed(1)} ms CPU\n`);
}

/** Says once, on stderr, that --engine auto fell back to our interpreter, and why. */
function engineNote(reason: string): void {
  process.stderr.write(`wasmscope run: running on the Wasmscope interpreter: ${reason}\n`);
}

/** Why this run cannot go to V8 (undefined: it can): our interpreter's features, or what V8 lacks. */
async function v8Barrier(opts: RunOptions, loaded: Loaded): Promise<string | undefined> {
  if (opts.fuel !== undefined) return '--fuel needs it (V8 has no fuel)';
  const { module } = loaded;
  // Feature flags switch proposals off, which V8 knows nothing of: our validator holds them.
  if (Object.keys(opts.features).length > 0) validateOrExplain(loaded, opts);
  const rejected = await v8Rejects(module.bytes);
  if (rejected !== undefined) {
    validateOrExplain(loaded, opts);
    return `V8 ${process.versions.v8} cannot compile it (${rejected})`;
  }
  for (const name of opts.invoke ? ['_initialize', opts.invoke] : ['_start']) {
    const exp = module.exports.find((e) => e.kind === 'func' && e.name === name);
    const type = exp && moduleFuncType(module, exp.index);
    const barrier = type && jsCallBarrier(type);
    if (barrier) return `export "${name}": ${barrier}`;
  }
  return undefined;
}

/** Our validator's verdict, as `run` on the interpreter words it (an invalid module is the user's error, not V8's). */
function validateOrExplain(loaded: Loaded, opts: RunOptions): void {
  try {
    validateModule(loaded.module, undefined, undefined, opts.features);
  } catch (err) {
    if (err instanceof ValidationError) throw new CliError(`${opts.file}: invalid module: ${err.message}`);
    throw err;
  }
}

/** Prints a trap (or an uncaught exception) the way the interpreter's run does; its status. */
function reportFailure(err: unknown, loaded: Loaded, file: string, stderrTail?: OutputTail): number {
  if (isV8Exception(err)) {
    process.stderr.write('wasmscope run: uncaught exception (V8 does not show its tag and payload: --engine interp does)\n');
    return TRAP_STATUS;
  }
  return failureStatus(err, file, reporter(loaded, file, stderrTail));
}

/** `run` on V8: the same checks, WASI host, output and statuses as on the interpreter. */
async function runV8(opts: RunOptions, loaded: Loaded, wasi: Wasi, stderrTail: OutputTail): Promise<number> {
  const { module } = loaded;
  let instance: V8Instance;
  try {
    instance = await instantiateOnV8(module.bytes, wasi.imports);
  } catch (err) {
    return reportFailure(err, loaded, opts.file);
  }
  const memory = instance.exports.memory as WasiMemory | undefined;
  if (memory && memory.buffer instanceof ArrayBuffer) wasi.memory = memory;
  const entry = opts.invoke ?? '_start';
  const exp = module.exports.find((e) => e.kind === 'func' && e.name === entry);
  const type = exp && moduleFuncType(module, exp.index);
  if (!type) {
    throw missingEntry(opts.file, opts.invoke);
  }
  const args = invokeArgs(opts, entry, type.params);
  let results: Value[];
  try {
    const init = module.exports.find((e) => e.kind === 'func' && e.name === '_initialize');
    const initType = init && moduleFuncType(module, init.index);
    firstInstruction(opts);
    if (opts.invoke && initType && initType.params.length === 0) callOnV8(instance.exports._initialize, initType, []);
    results = callOnV8(instance.exports[entry], type, args);
  } catch (err) {
    return reportFailure(err, loaded, opts.file, stderrTail);
  }
  if (opts.invoke) for (const v of results) process.stdout.write(`${formatValue(v)}\n`);
  return 0;
}

async function run(argv: string[]): Promise<number> {
  const opts = parseRunArgs(argv);
  const head = readHead(opts.file);
  // A .wat is read once here: as component text, or handed to loadProgram as a core module's.
  const source = head && !isComponent(head) && opts.file.toLowerCase().endsWith('.wat') ? readProgramFile(opts.file) : undefined;
  const component = head && isComponent(head) ? readProgramFile(opts.file) : source && componentTextOf(opts.file, source, opts.features);
  if (component) {
    if (opts.engine === 'v8') throw new CliError(`${opts.file}: a component needs --engine interp (V8 runs core modules only)`);
    if (opts.engine === 'auto') engineNote('a component needs it (V8 runs core modules only)');
    return runComponent(component, opts);
  }
  if (opts.engine === 'v8' && opts.fuel !== undefined) throw new CliError('--fuel needs --engine interp (V8 has no fuel)');
  if (opts.engine === 'v8' && opts.profile !== undefined) throw new CliError('--profile needs --engine interp (it counts the interpreter\'s instructions)');
  // On the interpreter, compileModule validates every body right after: one pass reads them (V8
  // checks the bytes itself, and `auto` may hand them to it).
  const loaded = loadProgram(opts.file, opts.features, source, opts.engine === 'interp');
  const { module } = loaded;
  // the last of the program's stderr: a Rust panic's message is there when the trap comes
  const io = createNodeIO();
  const stderrTail = new OutputTail();
  const stderr = io.stderr;
  io.stderr = { isTTY: stderr.isTTY, write: (bytes) => (stderrTail.push(bytes), stderr.write(bytes)) };
  checkImports(module, opts.file);
  if (usesWasiThreads(module)) {
    // wasi-threads runs on our deterministic scheduler (one interpreter instance per thread)
    if (opts.engine === 'v8') throw new CliError(`${opts.file}: cannot run on V8: wasi-threads programs run on the interpreter's thread scheduler (use --engine interp)`);
    if (opts.engine === 'auto') engineNote('wasi-threads programs run on its deterministic thread scheduler');
    if (opts.profile !== undefined) throw new CliError(`${opts.file}: --profile does not profile wasi-threads programs yet`);
    return runThreaded(loaded, opts);
  }
  // argv[0] is the base name of the file, as Wasmtime gives it: the host's directories stay private.
  const wasi = new Wasi({ args: [basename(opts.file), ...(opts.invoke ? [] : opts.args)], env: opts.env, preopens: opts.dirs, io });
  // A profile counts the interpreter's instructions: auto keeps to the interpreter.
  if (opts.engine !== 'interp' && opts.profile === undefined) {
    const barrier = await v8Barrier(opts, loaded);
    if (barrier === undefined) return runV8(opts, loaded, wasi, stderrTail);
    if (opts.engine === 'v8') throw new CliError(`${opts.file}: cannot run on V8: ${barrier} (use --engine interp)`);
    engineNote(barrier);
  }

  let instance: Instance;
  try {
    // Instantiate, then start: the start function runs on the machine below as an ordinary call, as
    // under the debugger, so --fuel bounds it and --profile counts it.
    const bounded = module.start !== undefined;
    // Compiled (so validated, the start function's type included) as it is; only instantiation skips the start.
    // A profile counts every instruction, so none may be fused into another.
    const compiled = compileModule(module, { features: opts.features, ...(opts.profile !== undefined ? { fuse: false } : {}) });
    instance = instantiate(bounded ? { ...compiled, module: { ...module, start: undefined } } : compiled, wasi.imports);
  } catch (err) {
    return failureStatus(err, opts.file, reporter(loaded, opts.file));
  }
  const memory = instance.exports.memory;
  // WASI sees the memory once the start function has returned, as when start runs inside
  // instantiation (and on V8): WASI called from a start function traps the same on both engines.
  const bindMemory = (): void => {
    if (memory?.kind === 'memory') wasi.memory = memory;
  };

  const entry = opts.invoke ?? '_start';
  const fn = instance.exports[entry];
  if (fn === undefined || fn.kind !== 'func') {
    throw missingEntry(opts.file, opts.invoke);
  }
  const args = invokeArgs(opts, entry, fn.type.params);

  const m = new Machine();
  const profiler = opts.profile !== undefined ? new Profiler(m, instance) : undefined;
  profiler?.start();
  try {
    return finish(m, opts, loaded, instance, entry, args, stderrTail, bindMemory);
  } finally {
    if (profiler !== undefined) writeProfile(profiler, opts.profile!, loaded, instance, opts.file);
  }
}

/** Writes the profile; a note on stderr says where and how many instructions it counted. */
function writeProfile(profiler: Profiler, out: string, loaded: Loaded, instance: Instance, file: string): void {
  profiler.stop();
  const { module, sourceMap } = loaded;
  const exportNames = new Map<number, string>();
  for (const e of module.exports) if (e.kind === 'func') exportNames.set(e.index, e.name);
  const url = resolve(file);
  const profile = profiler.toCpuProfile((funcIndex) => {
    const c = instance.funcs[funcIndex]?.compiled;
    const at = c !== undefined && c.offsets.length > 0 ? c.offsetBase + c.offsets[0]! : undefined;
    const range = at !== undefined ? sourceMap?.rangeAt(at) : undefined;
    const name = module.names.functions.get(funcIndex);
    return {
      name: name !== undefined ? displayName(name) : exportNames.get(funcIndex) ?? `func[${funcIndex}]`,
      url,
      // .wat: the line of the function's first instruction; .wasm: its byte offset as the column.
      line: range ? range.start.line : 0,
      column: range ? range.start.character : at ?? 0,
    };
  });
  try {
    writeFileSync(out, JSON.stringify(profile));
  } catch (err) {
    throw new CliError(`--profile ${out}: cannot write (${(err as { code?: string }).code ?? String(err)})`);
  }
  process.stderr.write(`wasmscope: profile written to ${out} (${profiler.total} instructions counted; 1 µs in it = 1 instruction)\n`);
}

function finish(
  m: Machine, opts: RunOptions, loaded: Loaded, instance: Instance, entry: string, args: Value[], stderrTail: OutputTail, bindMemory: () => void,
): number {
  const { module } = loaded;
  let outcome: ReturnType<typeof runMachine> | undefined;
  let first = true;
  const firstOnce = (): void => {
    if (first) firstInstruction(opts);
    first = false;
  };
  try {
    const start = module.start === undefined ? undefined : instance.funcs[module.start];
    if (start !== undefined) {
      m.startFunc(start, []);
      firstOnce();
      const done = runMachine(m, opts.fuel);
      if (!('results' in done)) outcome = done;
    }
    bindMemory();
    // A reactor initialises itself before any export is called (as Wasmtime does for --invoke).
    const init = instance.exports._initialize;
    if (outcome === undefined && opts.invoke && init?.kind === 'func' && init.type.params.length === 0) {
      m.start(instance, '_initialize', []);
      firstOnce();
      const done = runMachine(m, opts.fuel);
      if (!('results' in done)) outcome = done;
    }
    if (outcome === undefined) {
      m.start(instance, entry, args);
      firstOnce();
      outcome = runMachine(m, opts.fuel);
    }
  } catch (err) {
    return failureStatus(err, opts.file, reporter(loaded, opts.file, stderrTail));
  }
  if ('trap' in outcome) {
    printTrap(outcome.trap.message, outcome.trap.frames, loaded, opts.file, stderrTail);
    return TRAP_STATUS;
  }
  if ('exception' in outcome) {
    printException(outcome.exception, loaded, opts.file);
    return TRAP_STATUS;
  }
  if ('fuelOut' in outcome) {
    const frames = m.frames().map((f) => ({ funcIndex: f.funcIndex, offset: f.offset, name: f.name }));
    printTrap(`all fuel consumed: stopped after ${opts.fuel} units of fuel (--fuel; one unit per call and per loop iteration)`, frames, loaded, opts.file);
    return TRAP_STATUS;
  }
  if (opts.invoke) for (const v of outcome.results) process.stdout.write(`${formatValue(v)}\n`);
  return 0;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a WASI program (.wasm or .wat, or a wasi:cli/command component) on the Wasmscope interpreter (or on V8: --engine)',
  usage: `${USAGE}

  --dir HOST[::GUEST]  preopen host directory HOST, seen by the program as GUEST (default: HOST)
  --env NAME=VALUE     set an environment variable (NAME alone passes the host's value)
  --allow-net[=LIST]   let sockets and HTTP reach the network: all of it, or only LIST, comma-
                       separated HOST[:PORT] (HOST an IP, [IPv6], IP/prefix, a name or *; PORT
                       a number, a range 8000-8099 or *; none: any port). Default: no network
  --invoke NAME        call export NAME with ARG... instead of _start, and print its results
  --fuel N             stop after N units of fuel, one spent per call and per loop iteration,
                       so any long-running program runs out (exit status 134; needs --engine interp)
  --engine ENGINE      interp (default): the Wasmscope interpreter; v8: Node's own WebAssembly
                       (much faster, same WASI host, output and statuses; no --fuel, no components);
                       auto: V8 when it can run the module, else the interpreter (saying so on stderr)
  --seed N             wasi-threads: interleave threads pseudo-randomly from seed N (the same
                       seed gives the same interleaving); default: plain round robin
  --quantum N          wasi-threads: fuel units a thread runs per turn (default 1000)
  --profile OUT        write OUT (.cpuprofile, opens in VS Code as a flame graph): exact counts of
                       the instructions each function executed, by call path (1 µs = 1 instruction;
                       needs --engine interp)
  --time-to-first-instruction
                       print on stderr the time from process start until the program's first
                       instruction runs (loading, validation, instantiation, WASI set-up)

${FEATURE_FLAGS_HELP}

A component (wasi:cli/command, WASI 0.2) runs its wasi:cli/run export with the same flags.

Exit status: the program's proc_exit code (0 when _start returns); 134 on a trap or an
uncaught exception.`,
  run,
};
