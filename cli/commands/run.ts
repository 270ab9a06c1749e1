// `wasmscope run`: Run a WASI program (.wasm or .wat) on the Wasmscope interpreter.
import { CliError, type Command } from '../command';

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a WASI program (.wasm or .wat) on the Wasmscope interpreter',
  usage: 'wasmscope run [--dir HOST[::GUEST]]... [--env NAME=VALUE]... [--invoke NAME] [--fuel N] FILE.wasm|FILE.wat [ARG...]',
  async run(_argv: string[]): Promise<number> {
    throw new CliError('wasmscope run is not available in this build yet', 2);
  },
};
