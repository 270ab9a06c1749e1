// `wasmscope inspect`: show a module's imports, exports, sections and disassembly.
import { CliError, type Command } from '../command';

export const inspectCommand: Command = {
  name: 'inspect',
  summary: "Show a module's imports, exports, sections and disassembly",
  usage: 'wasmscope inspect [--disassemble] FILE.wasm|FILE.wat',
  async run(_argv: string[]): Promise<number> {
    throw new CliError('wasmscope inspect is not available in this build yet', 2);
  },
};
