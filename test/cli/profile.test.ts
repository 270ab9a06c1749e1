// `wasmscope run --profile`: a .cpuprofile with the call tree, each function's .wat line, and exact
// instruction counts (the start function included: it runs as an ordinary call).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CpuProfile } from '../../core/interp';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const program = join(root, 'test', 'fixtures', 'dap', 'timetravel.wat');
const lines = readFileSync(program, 'utf8').split('\n');
const defLine = (name: string): number => lines.findIndex((l) => l.includes(`(func $${name}`));

test('a profile counts every instruction of every function, by call path, at the functions\' lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-profile-'));
  try {
    const out = join(dir, 'run.cpuprofile');
    const r = spawnSync(process.execPath, [cli, 'run', '--profile', out, program], { encoding: 'utf8', input: 'hi\n' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'tick\n'.repeat(5) + 'hi\n');
    const p = JSON.parse(readFileSync(out, 'utf8')) as CpuProfile;
    const byName = (n: string) => p.nodes.filter((x) => x.callFrame.functionName === n);
    // $init: global.set + i32.const; $print: 13 per call, called 5 times from $work and once from $main.
    assert.equal(byName('init')[0]?.hitCount, 2);
    const prints = byName('print').map((x) => x.hitCount).sort((a, b) => a - b);
    assert.deepEqual(prints, [13, 65]);
    const work = byName('work')[0]!;
    assert.deepEqual(work.children.map((id) => p.nodes.find((x) => x.id === id)?.callFrame.functionName), ['print']);
    // The line (0-based) of the function's first instruction to run: the loop test, in $work.
    assert.equal(work.callFrame.lineNumber, lines.findIndex((l) => l.includes(';; @test')));
    assert.ok(work.callFrame.lineNumber > defLine('work'));
    assert.equal(work.callFrame.url, program);
    const total = p.nodes.reduce((n, x) => n + x.hitCount, 0);
    assert.equal(p.endTime, total);
    assert.equal(p.timeDeltas.reduce((a, b) => a + b, 0) + (p.nodes.find((x) => x.id === p.samples.at(-1))?.hitCount ?? 0), total);
    assert.match(r.stderr, new RegExp(`profile written to .*\\(${total} instructions counted`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
