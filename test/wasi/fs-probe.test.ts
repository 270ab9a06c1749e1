// A C program (test/fixtures/wasi/fs-probe.c) calls the WASI filesystem functions through
// wasi-libc's raw API and prints every result; on our engine and on V8 it must print exactly
// fs-probe.expected. This checks i64 arguments, out-pointers and errnos end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferSink, BufferSource, NodeFileSystem, Wasi, WasiExit, nodeClock, nodeRandom } from '../../core/wasi';
import { runStart, type EngineName } from './engines';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'wasi');
const expected = readFileSync(join(fixtures, 'fs-probe.expected'), 'utf8');

for (const engine of ['ours', 'v8'] as EngineName[]) {
  test(`fs-probe prints the expected results on ${engine}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasi-probe-'));
    const stdout = new BufferSink();
    const wasi = new Wasi({
      args: ['fs-probe.wasm'], preopens: [{ host: dir, guest: '/scratch' }],
      io: { stdin: new BufferSource(''), stdout, stderr: new BufferSink(), fs: new NodeFileSystem(), clock: nodeClock, random: nodeRandom },
    });
    let code = 0;
    try {
      await runStart(engine, readFileSync(join(fixtures, 'fs-probe.wasm')), wasi);
    } catch (err) {
      if (err instanceof WasiExit) code = err.code;
      else throw err;
    } finally {
      wasi.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(code, 0);
    assert.equal(stdout.text(), expected);
  });
}
