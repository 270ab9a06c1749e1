// The shape every `wasmscope` sub-command has; cli.ts dispatches over a table of these.

export interface Command {
  /** The word typed after `wasmscope`. */
  readonly name: string;
  /** One line for `wasmscope --help`. */
  readonly summary: string;
  /** The full usage text for `wasmscope NAME --help`. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit status. */
  run(argv: string[]): Promise<number>;
}

/** A user mistake on the command line or in the input: printed as one line, never a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'CliError';
  }
}
