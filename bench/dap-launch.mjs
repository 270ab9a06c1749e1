// F5 on a big program: time from the DAP `launch` request to the first `stopped` event at a
// function breakpoint, and the adapter's peak memory, over the bundled adapter on stdio as VS Code
// runs it. Exported for bench/real-programs.mjs; run alone with
//   node bench/dap-launch.mjs FILE.wasm [FUNCTION] [ARG...]
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');

/** Peak resident memory (VmHWM) of a live process in MB, or undefined where /proc is missing. */
function peakMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Launches `program` with a function breakpoint on `func` and waits for the stop (or the end, if
 * the function never runs). Returns { stopMs, reason, peakMb, verified }.
 */
export async function measureLaunch(program, func, args = [], extra = {}) {
  const dc = new DebugClient('node', join(root, 'dist', 'debugAdapter.js'), 'wasmscope');
  dc.defaultTimeout = 120_000;
  await dc.start();
  try {
    let t0 = 0;
    const stopped = dc.waitForEvent('stopped');
    const ended = dc.waitForEvent('terminated');
    let verified = false;
    await Promise.all([
      dc.initializeRequest({ adapterID: 'wasmscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' }),
      dc.waitForEvent('initialized').then(async () => {
        const r = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: func }] });
        verified = r.body.breakpoints[0]?.verified === true;
        await dc.configurationDoneRequest();
      }),
      (async () => {
        t0 = performance.now();
        await dc.launchRequest({ program, args, ...extra });
      })(),
    ]);
    const first = await Promise.race([stopped.then((e) => e.body.reason), ended.then(() => 'terminated')]);
    const stopMs = performance.now() - t0;
    // The private field is the spawned adapter; its peak RSS is what the user's machine pays.
    const pid = dc._adapterProcess?.pid;
    const mb = pid === undefined ? undefined : peakMb(pid);
    return { stopMs, reason: first, peakMb: mb, verified };
  } finally {
    await dc.stop().catch(() => {});
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [program, func = '_start', ...args] = process.argv.slice(2);
  if (!program) {
    console.error('usage: node bench/dap-launch.mjs FILE.wasm [FUNCTION] [ARG...]');
    process.exit(2);
  }
  const r = await measureLaunch(program, func, args);
  const mem = r.peakMb === undefined ? '' : `, adapter peak ${r.peakMb.toFixed(0)} MB`;
  console.log(`  launch → ${r.reason} at ${func}${r.verified ? '' : ' (breakpoint not verified)'}: ${r.stopMs.toFixed(0)} ms${mem}`);
  process.exit(0);
}
