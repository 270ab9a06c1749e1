// Loads wabt.js once per process: its WebAssembly instantiation is asynchronous and takes tens of ms.
// Imported on first use: half of each bundle is wabt, and a command that never checks (`run`) should
// not pay for evaluating it at start-up.
import type wabtInit from 'wabt';

export type Wabt = Awaited<ReturnType<typeof wabtInit>>;

let loading: Promise<Wabt> | undefined;

/** The shared wabt instance; every caller awaits the same promise. */
export function loadWabt(): Promise<Wabt> {
  loading ??= import('wabt').then((m) => m.default()).catch((err: unknown) => {
    // Let a later call retry rather than caching a failure forever.
    loading = undefined;
    throw err;
  });
  return loading;
}

/** Drops the instance after wabt aborted (its memory may be corrupt); the next load starts fresh. */
export function discardWabt(): void {
  loading = undefined;
}
