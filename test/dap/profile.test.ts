// The `profile` launch option: when the program ends, a .cpuprofile with exact instruction counts
// per function and call path, at each function's .wat line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CpuProfile } from '../../core/interp';
import { collectOutput, fixture, launch, lineOf, withClient } from './dap-harness';

test('a profiled launch writes the run\'s exact counts when the program exits', () => withClient(async (dc) => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-dap-profile-'));
  try {
    const out = join(dir, 'p.cpuprofile');
    const output = collectOutput(dc);
    const exited = dc.waitForEvent('exited');
    const program = fixture('timetravel.wat');
    await launch(dc, { program, profile: out, stdin: program });
    await exited;
    const p = JSON.parse(readFileSync(out, 'utf8')) as CpuProfile;
    const node = (name: string) => p.nodes.filter((n) => n.callFrame.functionName === name);
    assert.equal(node('init')[0]?.hitCount, 2);
    assert.deepEqual(node('print').map((n) => n.hitCount).sort((a, b) => a - b), [13, 65]);
    // 0-based: the line of $work's first instruction (its `block`, just above the loop test).
    const text = readFileSync(program, 'utf8').split('\n');
    assert.equal(node('work')[0]?.callFrame.lineNumber, text.findIndex((l) => l.includes('(block $done')));
    assert.ok(lineOf('timetravel.wat', 'test') - 1 > text.findIndex((l) => l.includes('(block $done')));
    assert.equal(node('work')[0]?.callFrame.url, program);
    assert.match(output.text('console'), /Profile written to .*p\.cpuprofile: \d+ instructions counted/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}));
