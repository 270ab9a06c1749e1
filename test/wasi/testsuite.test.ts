// The WASI test suite (../shared/wasi-testsuite): every C and AssemblyScript case, one test each,
// run as specification.md says. WASMSCOPE_WASI_ENGINE=v8 runs them on V8 as a cross-check;
// WASMSCOPE_WASI_SUITES=c,assemblyscript,rust picks the language directories (e.g. to add the
// Rust filesystem tests of WebAssembly/wasi-testsuite when they are copied beside the others).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { listCases, runCase } from './testsuite-runner';
import { defaultEngine } from './engines';

const suite = join(import.meta.dirname, '..', '..', '..', 'shared', 'wasi-testsuite');
const engine = defaultEngine();
const languages = (process.env.WASMSCOPE_WASI_SUITES ?? 'c,assemblyscript').split(',').map((l) => l.trim()).filter(Boolean);

if (!existsSync(suite)) {
  test('wasi-testsuite', { skip: `../shared/wasi-testsuite is absent (get it from WebAssembly/wasi-testsuite prebuilt tests)` }, () => {});
} else {
  for (const lang of languages) {
    if (!existsSync(join(suite, lang))) {
      test(`wasi-testsuite ${lang}`, { skip: `no ${lang} directory in ${suite}` }, () => {});
      continue;
    }
    for (const wasm of listCases(join(suite, lang))) {
      test(`wasi-testsuite ${lang}/${basename(wasm)} on ${engine}`, async () => {
        const r = await runCase(wasm, engine);
        assert.equal(r.failure, null, `${r.failure}\nstderr: ${r.stderr}`);
      });
    }
  }

  // The same host on V8: if a case fails here too, the fault is in core/wasi, not the engine.
  if (engine !== 'v8') {
    test('wasi-testsuite cross-check: every case also passes on V8', async () => {
      const failures: string[] = [];
      for (const lang of languages.filter((l) => existsSync(join(suite, l)))) {
        for (const wasm of listCases(join(suite, lang))) {
          const r = await runCase(wasm, 'v8');
          if (r.failure) failures.push(`${lang}/${basename(wasm)}: ${r.failure}`);
        }
      }
      assert.deepEqual(failures, []);
    });
  }

  // `wasmscope run --engine v8`, the CLI's own path onto V8 (flags, process stdin, exit status).
  test('wasi-testsuite through `wasmscope run --engine v8`: every case passes', async () => {
    const failures: string[] = [];
    for (const lang of languages.filter((l) => existsSync(join(suite, l)))) {
      for (const wasm of listCases(join(suite, lang))) {
        const r = await runCase(wasm, { cli: 'v8' });
        if (r.failure) failures.push(`${lang}/${basename(wasm)}: ${r.failure} (stderr: ${r.stderr.trim()})`);
      }
    }
    assert.deepEqual(failures, []);
  });
}
