// `wasmscope spec`: Run WebAssembly spec test scripts (.wast) and count assertions.
import { CliError, type Command } from '../command';

export const specCommand: Command = {
  name: 'spec',
  summary: 'Run WebAssembly spec test scripts (.wast) and count assertions',
  usage: 'wasmscope spec FILE.wast...',
  async run(_argv: string[]): Promise<number> {
    throw new CliError('wasmscope spec is not available in this build yet', 2);
  },
};
