// How proc_exit leaves the program: an exception that is not a Trap, so engines pass it through.

/** Thrown by `proc_exit`; the engine lets it propagate out of run/invoke unchanged. */
export class WasiExit extends Error {
  constructor(readonly code: number) {
    super(`exit status ${code}`);
    this.name = 'WasiExit';
  }
}
