// Child side of scripts/fuzz.mjs: runs one target's iterations and reports each one before it starts,
// so the parent can name the input of a hang or an out-of-memory that kills this process.

// scripts/fuzz.mjs forks this with `--import tsx`, so the .ts sources load as they are.
const { loadCorpus } = await import('../test/fuzz/corpus.ts');
const { fuzzTarget } = await import('../test/fuzz/fuzz-loop.ts');
const { TARGETS } = await import('../test/fuzz/targets.ts');

const { target: name, seed, from, iterations, deadline, perInputMs, specStride } = JSON.parse(process.argv[2]);
const target = TARGETS.find((t) => t.name === name);
const corpus = loadCorpus({ specStride });
if (!target || !process.send) throw new Error(`unknown target ${name}, or not forked`);
const port = { postMessage: (m) => process.send(m) };

// Chunks of one: the parent learns which iteration is running, and crashes arrive as they happen.
let typedErrors = 0;
let done = 0;
const until = deadline ?? Infinity; // JSON has no Infinity: null means no deadline
for (let i = from; i < from + (iterations ?? Infinity) && Date.now() < until; i++) {
  port.postMessage({ kind: 'at', iteration: i });
  const stats = fuzzTarget(target, corpus, { seed, iterations: 1, from: i, perInputMs });
  typedErrors += stats.typedErrors;
  done++;
  for (const c of stats.crashes) port.postMessage({ kind: 'crash', crash: c });
}
port.postMessage({ kind: 'done', iterations: done, typedErrors });
process.disconnect();
