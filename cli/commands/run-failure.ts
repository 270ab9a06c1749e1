// How `run` ends when loading or running fails, the same for core modules (run.ts), wasi-threads
// programs (run-threads.ts) and components (run-component.ts): one chain from error to status.
import { CliError } from '../command';
import { DecodeError, LinkError, Trap, ValidationError, WasmException, type TrapFrame } from '../../core/errors';
import { WasiExit } from '../../core/wasi';

/** The status of a run that trapped (as a process killed by SIGABRT, what Wasmtime reports). */
export const TRAP_STATUS = 134;

/** The process status for proc_exit(code): statuses above 255 would wrap (256 → 0), so they become 1. */
export function exitStatus(code: number): number {
  return code > 255 ? 1 : code;
}

/** How a run prints a trap's (or an uncaught exception's) message and backtrace. */
export interface FailureReport {
  trap(message: string, frames: readonly TrapFrame[]): void;
  exception(e: WasmException): void;
}

/**
 * The status an error from loading or running the program means: an invalid program (`what`: a
 * module, a component) or an unlinkable one is a CliError naming the file; proc_exit is its exit
 * status; a trap or an uncaught Wasm exception prints its backtrace and gives TRAP_STATUS. Any
 * other error is not the program's doing and is thrown on.
 */
export function failureStatus(err: unknown, file: string, report: FailureReport, what = 'module'): number {
  if (err instanceof DecodeError || err instanceof ValidationError) throw new CliError(`${file}: invalid ${what}: ${err.message}`);
  if (err instanceof LinkError) throw new CliError(`${file}: ${err.message}`);
  if (err instanceof WasiExit) return exitStatus(err.code);
  if (err instanceof Trap) {
    report.trap(err.message, err.frames);
    return TRAP_STATUS;
  }
  if (err instanceof WasmException) {
    report.exception(err);
    return TRAP_STATUS;
  }
  throw err;
}

/** The program has no entry to run: `_start` (or the export --invoke names). */
export function missingEntry(file: string, invoke: string | undefined, hint = ' (use --invoke NAME to call an export)'): CliError {
  return new CliError(invoke !== undefined ? `${file}: no exported function "${invoke}"` : `${file}: no _start function${hint}`);
}
