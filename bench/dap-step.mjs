// Step round trip of the debug adapter: time from a `next` request to its `stopped` event, over
// the bundled adapter (node dist/debugAdapter.js) on stdio, as VS Code sees it. Prints the median,
// and the cost of a breakpoint that is set but never hit (a hot loop run with and without one).
// Usage: node esbuild.mjs && node bench/dap-step.mjs [steps]
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const root = join(import.meta.dirname, '..');
const steps = Number(process.argv[2] ?? 300);

/**
 * `count` steps from the entry of spin.wat (an endless loop), or with `c: true` from a breakpoint
 * in the loop of dwarf.c (C lines from DWARF; the program is restarted when it ends).
 */
export async function measureSteps(count, granularity = 'line', { c = false } = {}) {
  const dc = new DebugClient('node', join(root, 'dist', 'debugAdapter.js'), 'wasmscope');
  dc.defaultTimeout = 30000;
  await dc.start();
  try {
    const program = join(root, 'test', 'fixtures', 'dap', c ? 'dwarf.wasm' : 'spin.wat');
    const source = join(root, 'test', 'fixtures', 'dap', 'dwarf.c');
    const entry = dc.waitForEvent('stopped');
    await Promise.all([
      dc.initializeRequest({ adapterID: 'wasmscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' }),
      dc.waitForEvent('initialized').then(async () => {
        // The loop body of sum_squares; its breakpoint stays, so each round stops there again.
        const line = readFileSync(source, 'utf8').split('\n').findIndex((l) => l.includes('// @sum-loop')) + 1;
        if (c) await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line }] });
        await dc.configurationDoneRequest();
      }),
      dc.launch({ program, stopOnEntry: !c }),
    ]);
    await entry;
    const times = [];
    // One listener for the end of the program, so steps do not pile up listeners.
    let onEnd = () => {};
    dc.on('terminated', () => onEnd());
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const stopped = dc.waitForEvent('stopped');
      const ended = new Promise((resolve) => (onEnd = resolve));
      await dc.nextRequest({ threadId: 1, granularity });
      if ((await Promise.race([stopped, ended.then(() => 'ended')])) === 'ended') {
        // dwarf.c ran to its end: start it again and carry on measuring.
        const again = dc.waitForEvent('stopped');
        await dc.restartRequest({ arguments: { program } });
        await again;
        continue;
      }
      times.push(performance.now() - t0);
      // VS Code asks for the stack after every stop; include it as the editor would, untimed.
      await dc.stackTraceRequest({ threadId: 1, levels: 1 });
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    return { median: at(0.5), p90: at(0.9), max: times[times.length - 1], count: times.length };
  } finally {
    await dc.stop();
  }
}

/** Milliseconds from configurationDone to the exit of busy.wat, with or without an unhit breakpoint. */
export async function measureRun(withBreakpoint) {
  const dc = new DebugClient('node', join(root, 'dist', 'debugAdapter.js'), 'wasmscope');
  await dc.start();
  try {
    const program = join(root, 'test', 'fixtures', 'dap', 'busy.wat');
    let t0 = 0;
    const exited = dc.waitForEvent('exited', 60000);
    await Promise.all([
      dc.initializeRequest({ adapterID: 'wasmscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' }),
      dc.waitForEvent('initialized').then(async () => {
        // `(i32.const 1)` in $never, which _start never calls.
        const line = readFileSync(program, 'utf8').split('\n').findIndex((l) => l.includes(';; @never')) + 1;
        if (withBreakpoint) await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line }] });
        t0 = performance.now();
        await dc.configurationDoneRequest();
      }),
      dc.launch({ program }),
    ]);
    await exited;
    return performance.now() - t0;
  } finally {
    await dc.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [label, g, opts] of [['wat line', 'line', {}], ['wat instruction', 'instruction', {}], ['C line (DWARF)', 'line', { c: true }]]) {
    const r = await measureSteps(steps, g, opts);
    console.log(`dap step (${label}): median ${r.median.toFixed(2)} ms, p90 ${r.p90.toFixed(2)} ms, max ${r.max.toFixed(2)} ms over ${r.count} steps`);
  }
  const runs = { plain: [], armed: [] };
  for (let i = 0; i < 5; i++) {
    runs.plain.push(await measureRun(false));
    runs.armed.push(await measureRun(true));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const plain = median(runs.plain);
  const armed = median(runs.armed);
  console.log(`busy.wat in the adapter: ${plain.toFixed(0)} ms plain, ${armed.toFixed(0)} ms with a breakpoint set but not hit (ratio ${(armed / plain).toFixed(2)})`);
}
