// The bounded differential run of `npm test`: a fixed set of seeds, each made into a random Wasm 3.0
// module by binaryen's `wasm-opt -ttf` (GC, reference types, exceptions, tail calls, extended
// constants) and run on binaryen's interpreter and ours; results, traps, exceptions and logged values
// must agree export by export. A failure names its seed: `node --import tsx scripts/fuzz-diff.mjs
// --seed S --count 1 --keep` reproduces it. Longer runs: scripts/fuzz-diff.mjs --minutes M.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns, haveWasmOpt, parseBinaryen, runCase, scratchDir, type Run } from './differential';

const SEEDS = [1, 2, 3, 5, 8, 13, 21, 34];
const skip = haveWasmOpt() ? false : 'node_modules/.bin/wasm-opt (npm binaryen) is not installed';
const scratch = skip ? undefined : scratchDir();
after(() => scratch?.dispose());

for (const seed of SEEDS) {
  test(`binaryen and our engine agree on the -ttf module of seed ${seed}`, { skip }, () => {
    const r = runCase(seed, scratch!.dir);
    assert.equal(r.mismatch, undefined, `seed ${seed}: ${r.mismatch}`);
    assert.ok(r.skipped !== undefined || r.exportsRun > 0, 'no export ran');
  });
}

test('the comparison sees a difference: a changed result, a missing trap, a changed log', () => {
  const theirs = parseBinaryen([
    '[fuzz-exec] export f', '[LoggingExternalInterface logging 1 0]', '[fuzz-exec] note result: f => 42',
    '[fuzz-exec] export g', '[trap unreachable]',
    '[fuzz-exec] export h', '[LoggingExternalInterface logging object(null)]', '[fuzz-exec] note result: h => null',
  ].join('\n'));
  const ours = (f: bigint, g: 'trap' | 'result', hLog: 'ref' | 'null'): Run => ({
    exports: new Map([
      ['f', [{ kind: 'log', values: [{ t: 'int', v: 1n }, { t: 'int', v: 0n }] }, { kind: 'result', values: [{ t: 'int', v: f }] }]],
      ['g', [g === 'trap' ? { kind: 'trap', message: 'unreachable' } : { kind: 'result', values: [{ t: 'int', v: 0n }] }]],
      ['h', [{ kind: 'log', values: [hLog === 'ref' ? { t: 'ref' } : { t: 'null' }] }, { kind: 'result', values: [{ t: 'null' }] }]],
    ]),
  });
  assert.equal(compareRuns(theirs, ours(42n, 'trap', 'ref')), undefined);
  assert.match(compareRuns(theirs, ours(41n, 'trap', 'ref')) ?? '', /export f, event 1/);
  assert.match(compareRuns(theirs, ours(42n, 'result', 'ref')) ?? '', /export g, event 0/);
  assert.match(compareRuns(theirs, ours(42n, 'trap', 'null')) ?? '', /export h, event 0/);
});
