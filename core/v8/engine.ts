// Running a module on the host's own WebAssembly (V8 under Node and VS Code) instead of our
// interpreter, for runs that need no debugging: whether V8 can take the module, instantiating it
// with our host imports, calling an export with tagged values, and turning V8's errors into our
// Trap (the spec's wording, a backtrace parsed from the error's stack) so output stays the same.
import { ValType, type FuncType } from '../binary';
import { Exhaustion, Trap, type TrapFrame } from '../errors';
import type { Value } from '../interp/values';

/** The little of the WebAssembly JS API we use (the ES2022 lib does not declare it). */
interface V8WebAssembly {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<unknown>;
  instantiate(module: unknown, imports: object): Promise<V8Instance>;
  RuntimeError: new (...args: never[]) => Error;
  CompileError: new (...args: never[]) => Error;
  Exception?: new (...args: never[]) => object;
}

export interface V8Instance {
  exports: Record<string, unknown>;
}

const wasm = (globalThis as unknown as { WebAssembly?: V8WebAssembly }).WebAssembly;

/** Why V8 cannot run these bytes (its own compile error), or undefined when it can. */
export async function v8Rejects(bytes: Uint8Array): Promise<string | undefined> {
  if (!wasm) return 'this host has no WebAssembly';
  if (wasm.validate(bytes)) return undefined;
  try {
    await wasm.compile(bytes);
    return 'it does not validate on V8';
  } catch (err) {
    return err instanceof Error ? err.message.replace(/^WebAssembly\.compile\(\): /, '') : String(err);
  }
}

/** The value types a JS call cannot carry (the JS API throws a TypeError for them). */
const NOT_IN_JS = new Set<number>([ValType.v128, ValType.exnref]);

/** Why an export of this type cannot be called from JS, or undefined. */
export function jsCallBarrier(type: FuncType): string | undefined {
  const bad = [...type.params, ...type.results].find((t) => NOT_IN_JS.has(t));
  if (bad === undefined) return undefined;
  return `a ${bad === ValType.v128 ? 'v128' : 'exnref'} cannot cross the JavaScript API`;
}

/** Compiles and instantiates on V8 (the start function runs here, as instantiate does on ours). */
export async function instantiateOnV8(bytes: Uint8Array, imports: object): Promise<V8Instance> {
  if (!wasm) throw new Error('this host has no WebAssembly');
  const module = await wasm.compile(bytes);
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = MAX_FRAMES;
  try {
    return await wasm.instantiate(module, imports);
  } catch (err) {
    throw v8Error(err);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const scratch = new DataView(new ArrayBuffer(8));

function toJs(v: Value): unknown {
  switch (v.type) {
    case 'i32':
    case 'i64':
      return v.value;
    case 'f32':
      scratch.setUint32(0, v.bits, true);
      return scratch.getFloat32(0, true);
    case 'f64':
      scratch.setBigUint64(0, v.bits, true);
      return scratch.getFloat64(0, true);
    case 'v128':
      throw new Trap('a v128 cannot cross the JavaScript API');
    default:
      return v.value;
  }
}

function fromJs(x: unknown, t: ValType): Value {
  switch (t) {
    case ValType.i32:
      return { type: 'i32', value: Number(x) | 0 };
    case ValType.i64:
      return { type: 'i64', value: BigInt.asIntN(64, x as bigint) };
    case ValType.f32:
      scratch.setFloat32(0, x as number, true);
      return { type: 'f32', bits: scratch.getUint32(0, true) };
    case ValType.f64:
      scratch.setFloat64(0, x as number, true);
      return { type: 'f64', bits: scratch.getBigUint64(0, true) };
    case ValType.externref:
      return { type: 'externref', value: x };
    default:
      // A funcref (or any other reference) from V8 is opaque to us: only null-ness means something.
      return { type: 'funcref', value: x === null ? null : (x as never) };
  }
}

/** Calls export `fn` (of `type`) on V8 with tagged arguments; tagged results; errors as our Trap. */
export function callOnV8(fn: unknown, type: FuncType, args: readonly Value[]): Value[] {
  if (typeof fn !== 'function') throw new Error('not a function');
  const out = runOnV8(() => (fn as (...a: unknown[]) => unknown)(...args.map(toJs)));
  if (type.results.length === 0) return [];
  if (type.results.length === 1) return [fromJs(out, type.results[0]!)];
  const xs = out as unknown[];
  return type.results.map((t, i) => fromJs(xs[i], t));
}

/** Runs `body` with deep stack traces kept (V8 keeps 10 frames by default; a backtrace wants them all). */
function runOnV8<T>(body: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = MAX_FRAMES;
  try {
    return body();
  } catch (err) {
    throw v8Error(err);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** As many frames as a trap's backtrace shows (a runaway recursion would otherwise print thousands). */
const MAX_FRAMES = 200;

/** V8's trap messages in the spec's wording (core/README.md's table). */
const TRAP_MESSAGES: Record<string, string> = {
  'unreachable': 'unreachable',
  'divide by zero': 'integer divide by zero',
  'remainder by zero': 'integer divide by zero',
  'divide result unrepresentable': 'integer overflow',
  'float unrepresentable in integer range': 'integer overflow',
  'memory access out of bounds': 'out of bounds memory access',
  'operation does not support unaligned accesses': 'out of bounds memory access',
  'table index is out of bounds': 'undefined element',
  'invalid index into function table': 'undefined element',
  'null function or function signature mismatch': 'indirect call type mismatch (or uninitialized element)',
  'function signature mismatch': 'indirect call type mismatch',
  'table access out of bounds': 'out of bounds table access',
  'data segment out of bounds': 'out of bounds memory access',
  'element segment out of bounds': 'out of bounds table access',
  'dereferencing a null pointer': 'null reference',
  'illegal cast': 'cast failure',
  'array element access out of bounds': 'out of bounds array access',
};

const FRAME = /wasm-function\[(\d+)\]:0x([0-9a-f]+)/;

/** The Wasm frames of a V8 stack trace, innermost first (JS frames are the host's, not the program's). */
export function framesOfStack(stack: string | undefined): TrapFrame[] {
  const frames: TrapFrame[] = [];
  for (const line of (stack ?? '').split('\n')) {
    const m = FRAME.exec(line);
    if (m) frames.push({ funcIndex: Number(m[1]), offset: parseInt(m[2]!, 16) });
  }
  return frames;
}

/**
 * A V8 trap becomes our Trap, with frames; our own Trap thrown by a host function gets the Wasm
 * frames that called it; anything else (WasiExit, a Wasm exception, a host bug) passes unchanged.
 */
export function v8Error(err: unknown): unknown {
  if (err instanceof Trap) {
    if (err.frames.length === 0) err.frames = framesOfStack(err.stack);
    return err;
  }
  if (!(err instanceof Error)) return err;
  const frames = framesOfStack(err.stack);
  let trap: Trap | undefined;
  if (wasm && err instanceof wasm.RuntimeError) {
    trap = new Trap(TRAP_MESSAGES[err.message] ?? err.message);
  } else if (err instanceof RangeError && /Maximum call stack size exceeded/.test(err.message) && frames.length > 0) {
    trap = new Exhaustion();
  }
  if (!trap) return err;
  trap.frames = frames;
  if (frames[0]) {
    trap.funcIndex = frames[0].funcIndex;
    trap.offset = frames[0].offset;
  }
  return trap;
}

/** An uncaught Wasm exception from V8 (a WebAssembly.Exception): its tag and payload are opaque to us. */
export function isV8Exception(err: unknown): boolean {
  return wasm?.Exception !== undefined && err instanceof wasm.Exception;
}
