// Measures the step round trip (next request → stopped event) through the bundled adapter and
// prints the median; the figure is reported, not asserted, so a loaded machine cannot fail it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { root } from './dap-harness';

test('step round trip median (printed)', async (t) => {
  const { measureSteps } = (await import(join(root, 'bench', 'dap-step.mjs'))) as {
    measureSteps(count: number, granularity?: string): Promise<{ median: number; p90: number; max: number; count: number }>;
  };
  const r = await measureSteps(100);
  t.diagnostic(`step round trip: median ${r.median.toFixed(2)} ms, p90 ${r.p90.toFixed(2)} ms over ${r.count} steps`);
  console.log(`step round trip: median ${r.median.toFixed(2)} ms, p90 ${r.p90.toFixed(2)} ms over ${r.count} steps`);
  assert.equal(r.count, 100);
});
