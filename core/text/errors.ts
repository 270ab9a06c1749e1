// ParseError: malformed WebAssembly text (the text-format counterpart of the engine's DecodeError).
import { WasmError } from '../errors';
import type { Range } from './line-index';

export class ParseError extends WasmError {
  override name = 'ParseError';
  /** The message without the position. */
  readonly reason: string;
  constructor(message: string, readonly range: Range) {
    super(`${range.start.line + 1}:${range.start.character + 1}: ${message}`);
    this.reason = message;
  }
}
