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
  /** Suite directories, relative to `root` (inside ../shared/wasi-testsuite); '' is root itself. */
  dirs: string[];
  root: string;
  /** Lines `DIR/NAME.wasm<TAB>why` (`NAME.wasm` for the dir ''), DIR relative to `root`; in this folder. */
  knownFailures?: string;
  /**
   * Give each case a fresh copy of the suite's directories: the runner deletes only *.cleanup
   * files and dirs between cases, not symlinks, and the 0.3 filesystem tests leave a
   * `parent.cleanup` symlink that filesystem-read-directory then lists (in the runner's glob order).
   */
  isolate?: boolean;
}

const SUITES: SuiteRow[] = [
  { label: 'preview1', root: '', dirs: ['c', 'assemblyscript'] },
  { label: 'p2', root: 'p2', dirs: ['c', 'assemblyscript'], knownFailures: 'p2-known-failures.txt' },
  { label: 'threads', root: '', dirs: ['threads'] },
  { label: 'p3', root: 'rust-wasip3', dirs: [''], knownFailures: 'p3-known-failures.txt', isolate: true },
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
      // One runner suite per copy: a suite directory, or (isolate) one case with the suite's manifest and data.
      const copies: { path: string; dir: string }[] = [];
      row.dirs.forEach((d, i) => {
        const from = join(testsuite, row.root, d);
        const name = basename(from);
        const copy = (to: string, only?: (f: string) => boolean): void =>
          cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('.cleanup') && (only === undefined || src === from || only(src.slice(from.length + 1))) });
        if (!row.isolate) {
          const to = join(tmp, String(i), name);
          copy(to);
          copies.push({ path: to, dir: d });
          return;
        }
        for (const wasm of readdirSync(from).filter((f) => f.endsWith('.wasm'))) {
          const to = join(tmp, `${i}-${wasm}`, name);
          const stem = wasm.slice(0, -'.wasm'.length);
          copy(to, (rel) => rel === wasm || rel === `${stem}.json` || !/\.(wasm|json)$/.test(rel.split('/')[0]!) || rel === 'manifest.json');
          copies.push({ path: to, dir: d });
        }
      });
      const out = join(tmp, 'results.json');
      const started = Date.now();
      const r = spawnSync('python3', [runner, '-t', ...copies.map((c) => c.path), '-r', adapter, '--disable-colors', '--json-output-location', out], {
        cwd: join(testsuite, 'runner'), encoding: 'utf8', timeout: 30 * 60_000,
      });
      assert.ok(existsSync(out), `the runner wrote no results (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
      const results = (JSON.parse(readFileSync(out, 'utf8')) as { results: RunnerSuite[] }).results;
      assert.equal(results.length, copies.length, 'one result per suite');
      const known = knownFailures(row);
      const seen = new Set<string>();
      const problems: string[] = [];
      const tally = new Map<string, { passed: number; total: number; seconds: number; name: string }>();
      results.forEach((suite, i) => {
        const dir = copies[i]!.dir;
        const cases = readdirSync(copies[i]!.path).filter((f) => f.endsWith('.wasm')).length;
        if (suite.tests.length !== cases) problems.push(`${dir || row.root}: the runner reported ${suite.tests.length} of ${cases} cases`);
        const sum = tally.get(dir) ?? { passed: 0, total: 0, seconds: 0, name: suite.name };
        sum.passed += suite.tests.filter((c) => c.outcome === 'pass').length;
        sum.total += suite.tests.length;
        sum.seconds += suite.duration_s;
        tally.set(dir, sum);
        for (const c of suite.tests) {
          const key = `${dir === '' ? '' : `${dir}/`}${c.name}.wasm`;
          seen.add(key);
          const why = known.get(key);
          if (why === undefined && c.outcome !== 'pass') problems.push(`${key}: ${c.outcome}\n${c.failures.join('\n')}`);
          if (why !== undefined && c.outcome !== 'fail') problems.push(`${key} ${c.outcome === 'pass' ? 'passes now' : `is ${c.outcome}`}: delete its line from ${row.knownFailures} (${why})`);
        }
      });
      for (const [dir, sum] of tally) {
        t.diagnostic(`${row.label} ${dir || row.root} (${sum.name}): ${sum.passed}/${sum.total} passed in ${sum.seconds.toFixed(1)} s`);
      }
      for (const key of known.keys()) if (!seen.has(key)) problems.push(`${row.knownFailures} lists ${key}, which the runner did not run`);
      t.diagnostic(`${row.label}: ${((Date.now() - started) / 1000).toFixed(1)} s through the official runner`);
      assert.deepEqual(problems, []);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}
