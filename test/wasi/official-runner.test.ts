// The wasi-testsuite's own runner (../shared/wasi-testsuite/runner, Python) with our adapter
// (runner-adapter/wasmscope.py) over the bundled CLI, one run per row of SUITES on copies of the
// suites (the runner deletes *.cleanup files in a test's root). Each case must pass, or fail if
// its row's known-failures file lists it (a listed case that passes fails the check, so the list
// cannot go stale). Adding a suite is one row (and its known-failures file, if any).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

interface SuiteRow {
  label: string;
  /** Suite directories, relative to `root` (inside ../shared/wasi-testsuite). */
  dirs: string[];
  root: string;
  /** Lines `DIR/NAME.wasm<TAB>why`, DIR relative to `root`; in this folder. */
  knownFailures?: string;
}

const SUITES: SuiteRow[] = [
  { label: 'preview1', root: '', dirs: ['c', 'assemblyscript'] },
  { label: 'p2', root: 'p2', dirs: ['c', 'assemblyscript'], knownFailures: 'p2-known-failures.txt' },
  { label: 'threads', root: '', dirs: ['threads'] },
];

const repo = join(import.meta.dirname, '..', '..');
const testsuite = join(repo, '..', 'shared', 'wasi-testsuite');
const runner = join(testsuite, 'runner', 'wasi_test_runner.py');
const adapter = join(import.meta.dirname, 'runner-adapter', 'wasmscope.py');
const cli = join(repo, 'dist', 'cli.js');

interface RunnerCase {
  name: string;
  outcome: string;
  duration_s: number;
  failures: string[];
}
interface RunnerSuite {
  name: string;
  duration_s: number;
  tests: RunnerCase[];
}

function missingPrerequisite(): string | undefined {
  if (!existsSync(runner)) return '../shared/wasi-testsuite/runner is absent';
  if (!existsSync(cli)) return 'dist/cli.js is missing (npm run build)';
  const py = spawnSync('python3', ['-c', 'import colorama, requests, tomllib'], { encoding: 'utf8' });
  if (py.error) return 'python3 is not installed (scripts/install-system-deps.sh)';
  if (py.status !== 0) return `python3 lacks the runner's modules (colorama, requests; Python >= 3.11): ${py.stderr.trim().split('\n').pop()}`;
  return undefined;
}

function knownFailures(row: SuiteRow): Map<string, string> {
  if (!row.knownFailures) return new Map();
  const text = readFileSync(join(import.meta.dirname, row.knownFailures), 'utf8');
  return new Map(text.split('\n').filter((l) => l.trim() !== '').map((l) => {
    const [name, why] = l.split('\t');
    return [name!, why ?? ''] as const;
  }));
}

const skip = missingPrerequisite();
for (const row of SUITES) {
  const present = row.dirs.every((d) => existsSync(join(testsuite, row.root, d)));
  test(`official wasi-testsuite runner: ${row.label}`, { skip: skip ?? (!present && `${row.dirs.join(', ')} absent`) }, async (t) => {
    const tmp = mkdtempSync(join(tmpdir(), `wasi-runner-${row.label}-`));
    try {
      const copies = row.dirs.map((d, i) => {
        const to = join(tmp, String(i), basename(d));
        cpSync(join(testsuite, row.root, d), to, { recursive: true, filter: (src) => !src.endsWith('.cleanup') });
        return to;
      });
      const out = join(tmp, 'results.json');
      const started = Date.now();
      const r = spawnSync('python3', [runner, '-t', ...copies, '-r', adapter, '--disable-colors', '--json-output-location', out], {
        cwd: join(testsuite, 'runner'), encoding: 'utf8', timeout: 30 * 60_000,
      });
      assert.ok(existsSync(out), `the runner wrote no results (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
      const results = (JSON.parse(readFileSync(out, 'utf8')) as { results: RunnerSuite[] }).results;
      assert.equal(results.length, copies.length, 'one result per suite');
      const known = knownFailures(row);
      const seen = new Set<string>();
      results.forEach((suite, i) => {
        const dir = row.dirs[i]!;
        const cases = readdirSync(copies[i]!).filter((f) => f.endsWith('.wasm')).length;
        const passed = suite.tests.filter((c) => c.outcome === 'pass').length;
        t.diagnostic(`${row.label} ${dir} (${suite.name}): ${passed}/${suite.tests.length} passed in ${suite.duration_s.toFixed(1)} s`);
        assert.equal(suite.tests.length, cases, `${dir}: the runner reported ${suite.tests.length} of ${cases} cases`);
        for (const c of suite.tests) {
          const key = `${dir}/${c.name}.wasm`;
          seen.add(key);
          const why = known.get(key);
          if (why === undefined) {
            assert.equal(c.outcome, 'pass', `${key}: ${c.outcome}\n${c.failures.join('\n')}`);
          } else {
            assert.equal(c.outcome, 'fail', `${key} passes now: delete its line from ${row.knownFailures} (${why})`);
          }
        }
      });
      for (const key of known.keys()) assert.ok(seen.has(key), `${row.knownFailures} lists ${key}, which the runner did not run`);
      t.diagnostic(`${row.label}: ${((Date.now() - started) / 1000).toFixed(1)} s through the official runner`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}
