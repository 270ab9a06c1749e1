// Time travel in the debug adapter: the recording's overhead running to a breakpoint (history.wat,
// ~100M instructions, with and without "timeTravel"), and the Step Back round trip (request →
// stopped event) once all of that is recorded, by line and by instruction. Goals: ≤ 1.5× and ≤ 50 ms.
// Usage: node esbuild.mjs && node bench/dap-timetravel.mjs [runs]
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const root = join(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 3);
const program = join(root, 'test', 'fixtures', 'dap', 'history.wat');
const endLine = readFileSync(program, 'utf8').split('\n').findIndex((l) => l.includes(';; @end')) + 1;

/** Launches, runs to the @end breakpoint; returns the ms from configurationDone to the stop, and the client. */
async function runToEnd(timeTravel) {
  const dc = new DebugClient('node', join(root, 'dist', 'debugAdapter.js'), 'wasmscope');
  dc.defaultTimeout = 120000;
  await dc.start();
  let t0 = 0;
  const stopped = dc.waitForEvent('stopped', 120000);
  await Promise.all([
    dc.initializeRequest({ adapterID: 'wasmscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' }),
    dc.waitForEvent('initialized').then(async () => {
      await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: endLine }] });
      t0 = performance.now();
      await dc.configurationDoneRequest();
    }),
    dc.launchRequest({ program, timeTravel }),
  ]);
  await stopped;
  return { ms: performance.now() - t0, dc };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const plain = [];
const recorded = [];
const backs = { line: [], instruction: [] };
for (let i = 0; i < runs; i++) {
  const p = await runToEnd(false);
  plain.push(p.ms);
  await p.dc.stop();
  const r = await runToEnd(true);
  recorded.push(r.ms);
  for (const granularity of ['line', 'instruction']) {
    for (let k = 0; k < 10; k++) {
      const t0 = performance.now();
      const s = r.dc.waitForEvent('stopped');
      await r.dc.stepBackRequest({ threadId: 1, granularity });
      await s;
      backs[granularity].push(performance.now() - t0);
      await r.dc.stackTraceRequest({ threadId: 1, levels: 1 });
    }
  }
  await r.dc.stop();
}
const p = median(plain);
const r = median(recorded);
console.log(`history.wat (~100M instructions) to a breakpoint: ${p.toFixed(0)} ms without recording, ${r.toFixed(0)} ms recorded (overhead ${(r / p).toFixed(2)}×, goal ≤ 1.5×)`);
for (const g of ['line', 'instruction']) {
  const xs = backs[g];
  console.log(`step back (${g}) after ~100M recorded instructions: median ${median(xs).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms over ${xs.length} (goal ≤ 50 ms)`);
}
