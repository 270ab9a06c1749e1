// `wasmscope spec`: runs WebAssembly spec test scripts (.wast) on our engine and counts assertions.
import { readFileSync } from 'node:fs';
import { CliError, type Command } from '../command';
import { runWast } from '../../core/wast';
import type { Features } from '../../core/features';
import { FEATURE_FLAGS_HELP, applyFeatureFlag } from '../feature-flags';

const USAGE = 'wasmscope spec [--quiet] [FEATURE FLAGS] FILE.wast...';

export const specCommand: Command = {
  name: 'spec',
  summary: 'Run WebAssembly spec test scripts (.wast) and count assertions',
  usage: `${USAGE}

Runs every command of each script (modules, register, invoke/get, assert_return, assert_trap,
assert_exhaustion, assert_invalid, assert_malformed, assert_unlinkable, assert_uninstantiable)
with the spectest host module. Prints each failure as FILE:LINE: MESSAGE, then a closing line
"N passed, N failed" counting assertions, actions and modules that must load. Exits 1 if any
failed. --quiet prints only the closing line and the failures.

${FEATURE_FLAGS_HELP}`,
  async run(argv: string[]): Promise<number> {
    const features: Features = {};
    argv = argv.filter((a) => !applyFeatureFlag(a, features));
    const files = argv.filter((a) => !a.startsWith('-'));
    const quiet = argv.includes('--quiet') || argv.includes('-q');
    const unknown = argv.find((a) => a.startsWith('-') && a !== '--quiet' && a !== '-q');
    if (unknown) throw new CliError(`unknown option ${unknown}\nUsage: ${USAGE}`);
    if (files.length === 0) throw new CliError(`no .wast file given\nUsage: ${USAGE}`);
    let passed = 0;
    let failed = 0;
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
      const r = runWast(text, file, { features, print: quiet ? undefined : (line) => process.stdout.write(`${line}\n`) });
      for (const f of r.failures) process.stdout.write(`${file}:${f.line}: ${f.message}\n`);
      if (!quiet && files.length > 1) process.stdout.write(`${file}: ${r.passed} passed, ${r.failed} failed\n`);
      passed += r.passed;
      failed += r.failed;
    }
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
    return failed > 0 ? 1 : 0;
  },
};
