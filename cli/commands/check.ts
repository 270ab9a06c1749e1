// `wasmscope check`: validates .wat/.wast/.wasm files with the language server's checker and prints compiler-style lines.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { componentTextDiagnostics, isComponentText } from '../../core/component/text';
import { checkDocument, checkWasm, loadWabt, type CheckDiagnostic, type Features } from '../../core/check/index';
import { CliError, type Command } from '../command';
import { FEATURE_FLAGS_HELP, applyFeatureFlag } from '../feature-flags';

const USAGE = `wasmscope check [--enable-FEATURE | --disable-FEATURE | --enable-all | --features=LIST]... FILE...

Validates each file with wabt (the parser and validator behind wat2wasm) and prints
  FILE:LINE:COLUMN: error: MESSAGE
for every problem (a .wasm file reports FILE:0x<offset>: error: MESSAGE). In a .wast script each
module is checked on its own; modules under assert_invalid / assert_malformed are expected to fail.
Exit status: 0 when every file is valid, 1 when any has an error, 2 for a usage mistake.

${FEATURE_FLAGS_HELP.replace('(default: all of Wasm 3.0)', "(default: wabt's, Wasm 2.0, and threads)")}
`;

export const checkCommand: Command = {
  name: 'check',
  summary: 'Validate .wat/.wast/.wasm files and print diagnostics',
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    const { files, features } = parseArguments(argv);
    const wabt = await loadWabt();
    let errors = 0;
    for (const file of files) {
      let found: CheckDiagnostic[];
      let lines: string[];
      try {
        const bytes = await readFile(file);
        if (extname(file).toLowerCase() === '.wasm') {
          found = checkWasm(wabt, bytes, features);
          lines = found.map((d) => `${file}:0x${(d.offset ?? 0).toString(16)}: ${d.severity}: ${d.message}`);
        } else {
          const language = extname(file).toLowerCase() === '.wast' ? 'wast' : 'wat';
          const text = bytes.toString('utf8');
          found = language === 'wat' && isComponentText(text) ? componentTextDiagnostics(text, { features }) : checkDocument(wabt, text, { language, features });
          lines = found.map((d) => `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message}`);
        }
      } catch (err) {
        found = [];
        lines = [`${file}: error: cannot read: ${err instanceof Error ? err.message : String(err)}`];
        errors++;
      }
      errors += found.filter((d) => d.severity === 'error').length;
      if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
    }
    return errors > 0 ? 1 : 0;
  },
};

function parseArguments(argv: string[]): { files: string[]; features: Features } {
  const files: string[] = [];
  const features: Features = {};
  for (const arg of argv) {
    if (applyFeatureFlag(arg, features)) continue;
    if (arg.startsWith('-') && arg !== '-') {
      throw new CliError(`unknown option ${arg}`);
    } else files.push(arg);
  }
  if (files.length === 0) throw new CliError('no input files (usage: wasmscope check FILE...)');
  return { files, features };
}
