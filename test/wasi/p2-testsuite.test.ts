// The WASI 0.2 test suite (../shared/wasi-testsuite/p2: the preview1 tests wrapped as
// wasi:cli/command components with jco's preview1 adapter), every case through the bundled
// `wasmscope run` (dist/cli.js), judged by the same .json expectations as the preview1 suite.
// p2-known-failures.txt lists the cases that fail because of the component itself (they fail the
// same way under jco on V8), each with why; a listed case that passes fails the check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { copyPreopens, listCases, readSpec } from './testsuite-runner';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const suite = join(root, '..', 'shared', 'wasi-testsuite', 'p2');

/** `lang/case.wasm` → why it cannot pass, from p2-known-failures.txt (case TAB reason). */
const knownFailures = new Map(
  readFileSync(join(import.meta.dirname, 'p2-known-failures.txt'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => {
    const [name, reason] = l.split('\t');
    return [name!, reason ?? ''] as const;
  }),
);

function runCase(wasm: string): string | null {
  const spec = readSpec(wasm);
  const dir = join(wasm, '..');
  const tmp = mkdtempSync(join(tmpdir(), 'wasi-p2-'));
  try {
    const flags: string[] = [];
    for (const p of copyPreopens(spec, dir, tmp)) flags.push('--dir', `${p.host}::${p.guest}`);
    for (const [k, v] of Object.entries(spec.env)) flags.push('--env', `${k}=${v}`);
    const r = spawnSync(process.execPath, [cli, 'run', ...flags, basename(wasm), ...spec.args], {
      cwd: dir, input: spec.stdin, encoding: 'utf8', timeout: 120_000, env: { ...process.env },
    });
    if (r.status !== spec.exitCode) return `exit code ${r.status}, expected ${spec.exitCode}\nstderr: ${r.stderr}`;
    if (spec.stdout !== null && r.stdout !== spec.stdout) return `stdout ${JSON.stringify(r.stdout)}, expected ${JSON.stringify(spec.stdout)}`;
    if (spec.stderr !== null && spec.stderr !== '' && r.stderr !== spec.stderr) return `stderr ${JSON.stringify(r.stderr)}, expected ${JSON.stringify(spec.stderr)}`;
    return null;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (!existsSync(suite)) {
  test('wasi-testsuite p2', { skip: '../shared/wasi-testsuite/p2 is absent' }, () => {});
} else if (!existsSync(cli)) {
  test('wasi-testsuite p2', { skip: 'dist/cli.js is missing (npm run build)' }, () => {});
} else {
  for (const lang of ['c', 'assemblyscript']) {
    if (!existsSync(join(suite, lang))) continue;
    for (const wasm of listCases(join(suite, lang))) {
      const name = `${lang}/${basename(wasm)}`;
      const known = knownFailures.get(name);
      test(`wasi-testsuite p2 ${name} through wasmscope run${known === undefined ? '' : ' (known failure)'}`, () => {
        const failure = runCase(wasm);
        if (known === undefined) assert.equal(failure, null);
        else assert.notEqual(failure, null, `${name} passes now: delete its line from p2-known-failures.txt (${known})`);
      });
    }
  }
}
