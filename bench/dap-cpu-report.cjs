// Preloaded (node --require; --import would start Node 20's module-loader thread and cost CPU of
// its own) into a measured process by bench/dap-cpu.mjs: when the process ends (or the debug client
// kills the adapter with SIGTERM), its CPU time (user + system, all threads, µs) is appended to the
// file named by WASMSCOPE_CPU_REPORT.
'use strict';
const { appendFileSync } = process.getBuiltinModule('node:fs');

const out = process.env.WASMSCOPE_CPU_REPORT;
if (out) {
  let written = false;
  const report = () => {
    if (written) return;
    written = true;
    const u = process.cpuUsage();
    appendFileSync(out, `${u.user + u.system}\n`);
  };
  process.on('exit', report);
  process.on('SIGTERM', () => {
    report();
    process.exit(143);
  });
}
