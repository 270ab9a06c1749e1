// The canonical type registry holds its rec groups weakly: a long-running language server or debug
// session that builds many modules with ever new types does not grow with them, while the ids of
// types still in use stay what they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { canonRegistrySize, canonType } from '../../../core/types';
import { decodeModule } from '../../../core/binary';
import { buildContext } from '../../../core/validate/context';
import { watToBinary } from '../../../core/text';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Full collections until the registry's finalizers have run (they run after a collection, on a later turn). */
async function collect(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
}

/** A module with one struct type whose shape encodes `n` (bit k of n: field k is i64, else i32),
 * a function type over it, and an array type: distinct n, distinct rec groups. */
const moduleWith = (n: number): Uint8Array => {
  const fields = Array.from({ length: 12 }, (_, k) => ((n >> k) & 1 ? '(field i64)' : '(field i32)')).join(' ');
  return watToBinary(`(module (type $t (struct ${fields} (field (ref null $t)))) (type $f (func (param (ref $t)) (result i32))) (type $a (array (mut (ref null $t)))))`).bytes;
};

test('groups nothing holds leave the registry; held ones keep their ids', async () => {
  const kept = buildContext(decodeModule(moduleWith(7)));
  const keptIds = [...kept.canon];
  await collect();
  const before = canonRegistrySize();
  for (let round = 0; round < 20; round++) {
    for (let n = 0; n < 50; n++) buildContext(decodeModule(moduleWith(100 + n + round * 50)));
  }
  await collect();
  const after = canonRegistrySize();
  // 1000 modules, each with types of its own (3000 rec groups) made and dropped; what remains is
  // the held module's types (plus what other tests in this process hold), not one entry per module.
  assert.ok(after.groups <= before.groups + 5, `registry grew from ${before.groups} to ${after.groups} groups`);
  assert.deepEqual(buildContext(decodeModule(moduleWith(7))).canon, keptIds, 'an equal module still gets the held ids');
  assert.equal(canonType(keptIds[0]!), kept.defs[0], 'the held context still has its registered type');
});

test('a dropped group that is made again gets a fresh id, never a stale one of another type', async () => {
  const first = buildContext(decodeModule(moduleWith(3))).canon[0]!;
  await collect();
  assert.throws(() => canonType(first), /no canonical type/);
  const again = buildContext(decodeModule(moduleWith(3))).canon[0]!;
  assert.notEqual(again, first);
  assert.equal(canonType(again).comp.kind, 'struct');
});
