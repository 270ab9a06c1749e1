// Runs every headless test layer with Node's test runner (TypeScript through tsx), prints the
// runner's summary, and fails when no test ran at all (a glob that matches nothing must not pass).
// Usage: node test/run.mjs [substring-filter ...]   e.g. `node test/run.mjs test/lsp`
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';

const root = join(import.meta.dirname, '..');
const filters = process.argv.slice(2);

/** Every *.test.ts under test/, except the real-editor layer (npm run test:e2e). */
function findTests(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'e2e' || entry.name === 'fixtures' || entry.name === 'node_modules') continue;
      findTests(p, out);
    } else if (entry.name.endsWith('.test.ts')) {
      out.push(relative(root, p));
    }
  }
  return out;
}

const files = findTests(join(root, 'test'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`test/run.mjs: no test files found${filters.length ? ` for ${filters.join(' ')}` : ''}`);
  process.exit(1);
}

const tmp = mkdtempSync(join(tmpdir(), 'wasmscope-test-'));
const tap = join(tmp, 'results.tap');
const result = spawnSync(
  process.execPath,
  [
    '--import', 'tsx',
    '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, WASMSCOPE_TEST: '1' } },
);

let pass = 0;
let fail = 0;
try {
  const text = readFileSync(tap, 'utf8');
  pass = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  fail = Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0);
} catch {
  // No TAP file: the runner itself failed; its exit status below says so.
}
rmSync(tmp, { recursive: true, force: true });

if (result.status !== 0 || fail > 0) process.exit(result.status || 1);
if (pass === 0) {
  console.error('test/run.mjs: the runner executed zero passing tests — treating as failure');
  process.exit(1);
}
