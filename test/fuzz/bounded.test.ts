// The bounded, seeded fuzz run of `npm test`: a fixed number of mutated inputs per target (about a
// minute in all on two cores). Any non-typed exception or an input slower than the limit fails the
// test, naming the seed and iteration so `node scripts/fuzz.mjs --stride 4 --target T --seed S
// --from I --iterations 1` reproduces it. Longer runs: scripts/fuzz.mjs.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus, type Corpus } from './corpus';
import { distinctCrashes, fuzzTarget } from './fuzz-loop';
import { TARGETS } from './targets';

const SEED = 20261121;
/** Iterations per target, sized by each target's cost per input (the LSP and DWARF ones are the slow ones). */
const ITERATIONS: Record<string, number> = {
  decode: 3000, compile: 3000, run: 2000, disassemble: 2000, dwarf: 300, 'component-inspect': 300, 'component-run': 150,
  wat: 2000, assemble: 2000, wast: 1500, 'lsp-wat': 1000, 'lsp-wast': 800,
};
/** Generous for a shared CI machine: the slowest inputs take ~0.3 s here. */
const PER_INPUT_MS = 5000;

let corpus: Corpus;
before(() => {
  // Every 4th spec script: about 1000 module texts and 1200 binaries, loaded in under a second.
  corpus = loadCorpus({ specStride: 4 });
});

for (const target of TARGETS) {
  test(`fuzz ${target.name}`, () => {
    const iterations = ITERATIONS[target.name] ?? 500;
    const stats = fuzzTarget(target, corpus, { seed: SEED, iterations, perInputMs: PER_INPUT_MS });
    const crashes = distinctCrashes(stats.crashes);
    const report = crashes
      .map((c) => `  --stride 4 --target ${c.target} --seed ${c.seed} --from ${c.iteration}: ${c.kind} ${c.message}\n    ${c.where}`)
      .join('\n');
    assert.equal(crashes.length, 0, `${stats.crashes.length} crashing inputs of ${stats.iterations}:\n${report}`);
    assert.equal(stats.iterations, iterations);
  });
}
