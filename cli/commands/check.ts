// `wasmscope check`: Validate .wat/.wast/.wasm files and print diagnostics.
import { CliError, type Command } from '../command';

export const checkCommand: Command = {
  name: 'check',
  summary: 'Validate .wat/.wast/.wasm files and print diagnostics',
  usage: 'wasmscope check FILE...',
  async run(_argv: string[]): Promise<number> {
    throw new CliError('wasmscope check is not available in this build yet', 2);
  },
};
