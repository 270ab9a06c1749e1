// Recognises a Rust panic, a C/C++ abort() or a failed assert() in a trapped program: the frames
// of the runtime's machinery (so a debugger can show the frame that panicked), and the message the
// runtime printed on stderr just before the trap.

import { displayName } from './demangle';

export interface PanicInfo {
  kind: 'panic' | 'abort' | 'assert';
  /** The panic message (`total 60 is over the limit 23`), the failed assertion, or `abort()`. */
  message: string;
  /** Where the runtime says it happened (`src/values.rs:34:9`), when it says. */
  location?: string;
  /** Index (innermost first) of the first frame outside the runtime's machinery. */
  userFrame: number;
}

/** Functions that end a program on purpose: finding one of these innermost makes a trap a panic or abort. */
const TERMINAL = new Set([
  '__rust_start_panic', 'rust_panic', '__rust_abort', 'abort', '__assert_fail', '__builtin_trap', '_Exit', 'raise',
  'std::process::abort', 'std::sys::wasi::abort_internal', 'std::sys::unix::abort_internal', 'panic_abort::__rust_start_panic::abort',
  '__cxa_throw', 'std::terminate', 'std::__terminate', 'abort_message',
]);

/** The runtime's own frames between the user's code and the trap. */
export function isRuntimeFrame(name: string | undefined): boolean {
  if (name === undefined) return false;
  const n = displayName(name);
  if (TERMINAL.has(n)) return true;
  if (/^(rust_begin_unwind|__rust_[a-z_]+|__assert_fail|__cxa_[a-z_]+|__libc_[a-z_]+|__wasi_[a-z_]+)$/.test(n)) return true;
  // Rust's std/core/alloc (panicking, unwrap, expect, the rt entry), as plain or impl paths
  if (/^<?(std|core|alloc|panic_abort|panic_unwind)::/.test(n)) return true;
  // libc++'s assertion and termination helpers
  return /^std::__\d+::(__libcpp_verbose_abort|__throw_[a-z_]+|terminate)/.test(n);
}

/** Rust 1.63: `thread 'main' panicked at 'msg', src/x.rs:3:5`; Rust 1.73+: `thread 'main' panicked at src/x.rs:3:5:\nmsg`. */
const RUST_OLD = /thread '[^']*' panicked at '([\s\S]*)', ([^\s,]+:\d+:\d+)\s*(?:\n|$)/;
const RUST_NEW = /thread '[^']*' panicked at ([^\s]+:\d+:\d+):\n([^\n]*)/;
/** wasi-libc and musl: `Assertion failed: x > 0 (main.c: main: 12)`. */
const C_ASSERT = /Assertion failed: ([^\n]*?) \(([^:)]+): [^:)]*: (\d+)\)/;

/**
 * What ended the program, given the trapped frames' names (innermost first) and the stderr the
 * program wrote before the trap; undefined when the trap is an ordinary one (a bug in user code).
 */
export function detectPanic(frameNames: readonly (string | undefined)[], stderr: string): PanicInfo | undefined {
  const names = frameNames.map((n) => (n === undefined ? undefined : displayName(n)));
  // only a trap raised inside the runtime's machinery counts: a user's own `unreachable` does not
  let i = 0;
  let terminal = false;
  while (i < names.length && isRuntimeFrame(names[i])) {
    if (TERMINAL.has(names[i]!) || /^(rust_panic|__rust_start_panic)$/.test(names[i]!)) terminal = true;
    i++;
  }
  if (!terminal || i === 0) return undefined;
  const userFrame = i < names.length ? i : 0;
  const tail = stderr.slice(-8192);
  const isRust = names.some((n) => n !== undefined && /^(rust_panic|__rust_start_panic|rust_begin_unwind|core::panicking::|std::panicking::)/.test(n));
  if (isRust) {
    const lastPanic = tail.lastIndexOf('panicked at ');
    const text = lastPanic >= 0 ? tail.slice(tail.lastIndexOf('thread ', lastPanic)) : '';
    const old = RUST_OLD.exec(text);
    if (old) return { kind: 'panic', message: old[1]!, location: old[2]!, userFrame };
    const neu = RUST_NEW.exec(text);
    if (neu) return { kind: 'panic', message: neu[2]!, location: neu[1]!, userFrame };
    return { kind: 'panic', message: 'panicked (no message on stderr)', userFrame };
  }
  const assert = C_ASSERT.exec(tail);
  if (assert && names.includes('__assert_fail')) return { kind: 'assert', message: `assertion failed: ${assert[1]}`, location: `${assert[2]}:${assert[3]}`, userFrame };
  return { kind: 'abort', message: 'abort() called', userFrame };
}

/** Keeps the last bytes a program wrote to a stream, as text, for `detectPanic`. */
export class OutputTail {
  private text = '';
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(private readonly limit = 8192) {}

  push(bytes: Uint8Array | string): void {
    this.text += typeof bytes === 'string' ? bytes : this.decoder.decode(bytes, { stream: true });
    if (this.text.length > 2 * this.limit) this.text = this.text.slice(-this.limit);
  }

  toString(): string {
    return this.text.slice(-this.limit);
  }
}
