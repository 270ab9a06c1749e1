// Typed errors of the engine: every failure a caller can act on carries the byte offset and, where
// there is one, the function. Messages use the spec's wording so spec scripts can match them.
import type { Value } from './interp/values';

/** Base of every engine error. */
export class WasmError extends Error {
  override name = 'WasmError';
}

/** Malformed binary (`assert_malformed`). `offset` is module-relative. */
export class DecodeError extends WasmError {
  override name = 'DecodeError';
  constructor(message: string, readonly offset: number) {
    super(`${message} (at byte 0x${offset.toString(16)})`);
    this.reason = message;
  }
  /** The message without the position, in the spec's wording. */
  readonly reason: string;
}

/** Invalid module (`assert_invalid`). */
export class ValidationError extends WasmError {
  override name = 'ValidationError';
  readonly reason: string;
  constructor(message: string, readonly offset: number, readonly funcIndex?: number) {
    super(`${message} (at byte 0x${offset.toString(16)}${funcIndex !== undefined ? `, func ${funcIndex}` : ''})`);
    this.reason = message;
  }
}

/** Missing or mismatched import (`assert_unlinkable`). */
export class LinkError extends WasmError {
  override name = 'LinkError';
  constructor(message: string, readonly module: string, readonly field: string) {
    super(`${message}: ${module}.${field}`);
  }
}

/** One entry of a trap's backtrace, innermost first. */
export interface TrapFrame {
  funcIndex: number;
  offset: number;
  name?: string;
}

/** Runtime trap (`assert_trap`). `message` is exactly the spec's wording. */
export class Trap extends WasmError {
  override name = 'Trap';
  funcIndex?: number;
  offset?: number;
  frames: TrapFrame[] = [];
  constructor(message: string) {
    super(message);
  }
}

/** `call stack exhausted` (`assert_exhaustion`): a Trap, never a JS RangeError. */
export class Exhaustion extends Trap {
  override name = 'Exhaustion';
  constructor(message = 'call stack exhausted') {
    super(message);
  }
}

/** The tag of a WasmException as errors see it: a `TagInstance` (core/interp) in practice. */
export interface ExceptionTag {
  readonly kind: 'tag';
  readonly name?: string | undefined;
}

/**
 * A Wasm exception (exception handling) that no handler caught: it leaves `invoke` (and `run`, as
 * `{ reason: 'exception' }`) naming the tag and its payload, with the backtrace of the throw. A host
 * function may also throw one to raise that exception in the Wasm code that called it. Unlike a
 * `Trap`, Wasm code can catch it.
 */
export class WasmException extends WasmError {
  override name = 'WasmException';
  funcIndex?: number;
  offset?: number;
  frames: TrapFrame[] = [];
  constructor(readonly tag: ExceptionTag, readonly payload: Value[], description?: string) {
    super(`uncaught exception: ${description ?? `tag ${tag.name ?? '?'}`}`);
  }
}
