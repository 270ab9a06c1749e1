// Step round trip of the debug adapter: time from a `next` request to its `stopped` event, over
// the bundled adapter (node dist/debugAdapter.js) on stdio, as VS Code sees it. Prints the median.
// Usage: node esbuild.mjs && node bench/dap-step.mjs [steps]
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const steps = Number(process.argv[2] ?? 300);

export async function measureSteps(count, granularity = 'line') {
  const dc = new DebugClient('node', join(root, 'dist', 'debugAdapter.js'), 'wasmscope');
  await dc.start();
  try {
    const program = join(root, 'test', 'fixtures', 'dap', 'spin.wat');
    const entry = dc.waitForEvent('stopped');
    await Promise.all([
      dc.initializeRequest({ adapterID: 'wasmscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' }),
      dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
      dc.launch({ program, stopOnEntry: true }),
    ]);
    await entry;
    const times = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const stopped = dc.waitForEvent('stopped');
      await dc.nextRequest({ threadId: 1, granularity });
      await stopped;
      times.push(performance.now() - t0);
      // VS Code asks for the stack after every stop; include it as the editor would, untimed.
      await dc.stackTraceRequest({ threadId: 1, levels: 1 });
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    return { median: at(0.5), p90: at(0.9), max: times[times.length - 1], count };
  } finally {
    await dc.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const g of ['line', 'instruction']) {
    const r = await measureSteps(steps, g);
    console.log(`dap step (${g}): median ${r.median.toFixed(2)} ms, p90 ${r.p90.toFixed(2)} ms, max ${r.max.toFixed(2)} ms over ${r.count} steps`);
  }
}
