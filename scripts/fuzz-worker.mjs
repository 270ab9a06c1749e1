// Child side of scripts/fuzz.mjs: runs one target's iterations and reports each one before it starts,
// so the parent can name the input of a hang or an out-of-memory that kills this process.

// scripts/fuzz.mjs forks this with `--import tsx`, so the .ts sources load as they are.
const { loadCorpus } = await import('../test/fuzz/corpus.ts');
const { fuzzTarget } = await import('../test/fuzz/fuzz-loop.ts');
const { TARGETS } = await import('../test/fuzz/targets.ts');

const { target: name, seed, from, iterations, seconds, perInputMs, specStride } = JSON.parse(process.argv[2]);
const target = TARGETS.find((t) => t.name === name);
const corpus = loadCorpus({ specStride });
if (!target || !process.send) throw new Error(`unknown target ${name}, or not forked`);
const port = { postMessage: (m) => process.send(m) };

// Chunks of one: the parent learns which iteration is running, and crashes arrive as they happen.
let typedErrors = 0;
let done = 0;
// The time box starts after the corpus is loaded (seconds on a busy machine); JSON has no Infinity: null = none.
const until = seconds === null ? Infinity : Date.now() + seconds * 1000;
for (let i = from; i < from + (iterations ?? Infinity) && Date.now() < until; i++) {
  port.postMessage({ kind: 'at', iteration: i });
  const stats = fuzzTarget(target, corpus, { seed, iterations: 1, from: i, perInputMs });
  typedErrors += stats.typedErrors;
  done++;
  for (const c of stats.crashes) port.postMessage({ kind: 'crash', crash: c });
}
// Exit only once the last message is out, or the parent may see the exit first.
process.send({ kind: 'done', iterations: done, typedErrors }, () => process.exit(0));
