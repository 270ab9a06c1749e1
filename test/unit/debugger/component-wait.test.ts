// A 0.3 component's task waiting for a host timer under the debugger (sleep-2s.wasm: run waits on
// monotonic-clock wait-for(2 s)): the target answers 'blocked' and hands the runtime the async
// runtime's wake-up to await, so the wait costs no CPU; asked again before the timer fired it
// stays blocked without running; once woken the callback runs and the command exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadComponentProgram } from '../../../debugger/component-program';
import type { StepResult } from '../../../debugger/engine';

const file = join(import.meta.dirname, '..', '..', 'fixtures', 'component', 'async', 'sleep-2s.wasm');

test('a task waiting on a host timer blocks on the wake-up (no polling), then runs its callback and exits 0', async () => {
  const program = loadComponentProgram({
    config: { program: file },
    hooks: { stdout: () => undefined, stderr: () => undefined },
    programPath: file,
    cwd: import.meta.dirname,
    bytes: new Uint8Array(readFileSync(file)),
  });
  const t = program.target;
  let r: StepResult = t.run(1_000_000);
  for (let i = 0; r.reason === 'budget' && i < 100; i++) r = t.run(1_000_000);
  assert.equal(r.reason, 'blocked', 'the task waits for the timer');
  const wake = program.waitForIO?.();
  assert.ok(wake, 'the wait is the host runtime\'s: there is a wake-up to await');
  assert.equal(t.run(1_000_000).reason, 'blocked', 'before the timer fired nothing runs');
  program.waitForIO?.();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await wake;
  const waited = performance.now() - started;
  const used = process.cpuUsage(cpu);
  assert.ok(waited >= 1900, `waited ${waited} ms for a 2 s timer`);
  assert.ok((used.user + used.system) / 1000 < 300, `the wait cost ${(used.user + used.system) / 1000} ms of CPU`);
  for (let i = 0; i < 100; i++) {
    r = t.run(1_000_000);
    if (r.reason !== 'budget') break;
  }
  assert.deepEqual(r, { reason: 'exit', code: 0 });
});
