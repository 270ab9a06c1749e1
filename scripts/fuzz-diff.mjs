#!/usr/bin/env node
// Differential fuzzing against binaryen (test/fuzz/differential.ts): `node --import tsx
// scripts/fuzz-diff.mjs [--seed N] [--count N] [--minutes M] [--features a,b]` generates modules from seeds N, N+1 ...
// with `wasm-opt -ttf`, runs each on binaryen's interpreter and ours, and prints every mismatch with
// its seed (reproduce one with --seed S --count 1 --keep, which leaves the module in .fuzz-crashes/).
// --features adds wasm-opt --enable-<a> flags (e.g. multimemory,memory64) to the default set.
// Exit status 1 when anything disagreed.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const { runCase, scratchDir, haveWasmOpt } = await import('../test/fuzz/differential.ts');

const args = process.argv.slice(2);
const opt = (name, d) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const seed = opt('--seed', 1);
const minutes = opt('--minutes', undefined);
const count = opt('--count', minutes === undefined ? 100 : Infinity);
const keep = args.includes('--keep');
const fi = args.indexOf('--features');
const extra = fi >= 0 ? args[fi + 1].split(',').map((f) => `--enable-${f}`) : [];
if (!haveWasmOpt()) {
  console.error('node_modules/.bin/wasm-opt is missing (npm install: binaryen is a devDependency)');
  process.exit(2);
}
const until = minutes === undefined ? Infinity : Date.now() + minutes * 60_000;
const scratch = scratchDir();
let tried = 0, skipped = 0, mismatches = 0, exportsRun = 0;
try {
  for (let s = seed; s < seed + count && Date.now() < until; s++) {
    const r = runCase(s, scratch.dir, extra);
    tried++;
    exportsRun += r.exportsRun;
    if (r.skipped) skipped++;
    if (r.mismatch) {
      mismatches++;
      console.log(`seed ${s}: ${r.mismatch}`);
    }
    if (keep || r.mismatch) {
      const dir = join(import.meta.dirname, '..', '.fuzz-crashes');
      mkdirSync(dir, { recursive: true });
      copyFileSync(join(scratch.dir, `m-${s}.wasm`), join(dir, `diff-${s}.wasm`));
    }
  }
} finally {
  scratch.dispose();
}
console.log(`${tried} modules, ${exportsRun} exports compared, ${skipped} skipped at an engine limit, ${mismatches} mismatches`);
process.exit(mismatches > 0 ? 1 : 0);
