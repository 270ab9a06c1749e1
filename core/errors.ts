// Typed errors of the engine: every failure a caller can act on carries the byte offset and, where
// there is one, the function. Messages use the spec's wording so spec scripts can match them.

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
