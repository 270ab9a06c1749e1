// `wasmscope spec`: runs WebAssembly spec test scripts (.wast) on our engine and counts assertions.
import { readFileSync } from 'node:fs';
import { CliError, type Command } from '../command';
import { listWastTests, runWast, type SpecOutcome } from '../../core/wast';
import type { Features } from '../../core/features';
import { FEATURE_FLAGS_HELP, applyFeatureFlag } from '../feature-flags';

const USAGE = 'wasmscope spec [--quiet | --verbose | --json] [FEATURE FLAGS] FILE.wast...';

export const specCommand: Command = {
  name: 'spec',
  summary: 'Run WebAssembly spec test scripts (.wast) and count assertions',
  usage: `${USAGE}

Runs every command of each script (modules, register, invoke/get, assert_return, assert_trap,
assert_exhaustion, assert_invalid, assert_malformed, assert_unlinkable, assert_uninstantiable)
with the spectest host module. Prints each failure as FILE:LINE: MESSAGE, then a closing line
"N passed, N failed" counting assertions, actions and modules that must load. Exits 1 if any
failed. --quiet prints only the closing line and the failures. --verbose prints every counted
command as FILE:LINE: ok|FAIL LABEL. --json prints one JSON object per line instead: per command
{"file","line","endLine","kind","label","ok","message"?,"expected"?,"actual"?}, then per file
{"file","passed","failed"} (what the editor's Testing view reads).

${FEATURE_FLAGS_HELP}`,
  async run(argv: string[]): Promise<number> {
    const features: Features = {};
    argv = argv.filter((a) => !applyFeatureFlag(a, features));
    const files = argv.filter((a) => !a.startsWith('-'));
    const quiet = argv.includes('--quiet') || argv.includes('-q');
    const verbose = argv.includes('--verbose') || argv.includes('-v');
    const json = argv.includes('--json');
    const known = new Set(['--quiet', '-q', '--verbose', '-v', '--json']);
    const unknown = argv.find((a) => a.startsWith('-') && !known.has(a));
    if (unknown) throw new CliError(`unknown option ${unknown}\nUsage: ${USAGE}`);
    if ([quiet, verbose, json].filter(Boolean).length > 1) throw new CliError(`--quiet, --verbose and --json exclude each other\nUsage: ${USAGE}`);
    const out = (line: string): void => void process.stdout.write(`${line}\n`);
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
      let onCommand: ((o: SpecOutcome) => void) | undefined;
      if (json || verbose) {
        const labels = new Map(listWastTests(text).map((t) => [t.line, t.label]));
        const label = (o: SpecOutcome): string => labels.get(o.line) ?? o.kind;
        onCommand = json
          ? (o) => out(JSON.stringify({ file, ...o, label: label(o) }))
          : (o) => out(`${file}:${o.line}: ${o.ok ? 'ok' : 'FAIL'} ${label(o)}${o.ok ? '' : `: ${o.message ?? ''}`}`);
      }
      // Under --json, spectest.print output would break the one-object-per-line stream.
      const print = quiet || json ? undefined : out;
      const r = runWast(text, file, { features, print, onCommand });
      if (json) {
        out(JSON.stringify({ file, passed: r.passed, failed: r.failed }));
      } else {
        if (!verbose) for (const f of r.failures) out(`${file}:${f.line}: ${f.message}`);
        if (!quiet && files.length > 1) out(`${file}: ${r.passed} passed, ${r.failed} failed`);
      }
      passed += r.passed;
      failed += r.failed;
    }
    if (!json) out(`${passed} passed, ${failed} failed`);
    return failed > 0 ? 1 : 0;
  },
};
