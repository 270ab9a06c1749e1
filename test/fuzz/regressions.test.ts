// Every input the fuzzers once crashed on (test/fuzz/regressions/<target>-<what>.<ext>) is run through
// its target again: each must now end normally or with a typed error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from './random';
import { isTypedError, TARGETS } from './targets';

const dir = join(import.meta.dirname, 'regressions');

for (const file of readdirSync(dir).sort()) {
  const target = TARGETS.find((t) => file.startsWith(`${t.name}-`));
  test(`regression ${file}`, () => {
    assert.ok(target, `${file}: the name must start with a target (${TARGETS.map((t) => t.name).join(', ')})`);
    const bytes = readFileSync(join(dir, file));
    const input = target.input === 'wasm' || target.input === 'dwarf' || target.input === 'component' ? new Uint8Array(bytes) : bytes.toString('utf8');
    try {
      target.run(input, new Random(0));
    } catch (err) {
      assert.ok(isTypedError(err), `${file}: ${err instanceof Error ? err.stack : String(err)}`);
    }
  });
}
