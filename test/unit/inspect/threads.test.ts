// Threads in the module views: shared memories say `shared` (defined, imported, exported), atomic
// instructions disassemble with their memarg (offset, and align only when not natural), and the
// text form round-trips through our assembler and decoder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { disassemble, formatSummary, summarizeModule } from '../../../core/inspect';
import { watToBinary } from '../../../core/text';

const wat = `(module
  (import "env" "memory" (memory 1 4 shared))
  (memory $own 2 2 shared)
  (export "own" (memory 1))
  (func (param i32) (result i64)
    (atomic.fence)
    (drop (memory.atomic.notify offset=8 (local.get 0) (i32.const 1)))
    (drop (i32.atomic.rmw8.cmpxchg_u (local.get 0) (i32.const 1) (i32.const 2)))
    (i64.atomic.rmw32.xor_u offset=16 (local.get 0) (i64.const 3))))`;

test('shared memories and atomic instructions in the summary and the disassembly', () => {
  const m = decodeModule(watToBinary(wat, { features: { threads: true, multiMemory: true } }).bytes);
  assert.equal(m.memories[0]?.limits.shared, true);
  const summary = formatSummary(summarizeModule(m));
  assert.match(summary, /"env" "memory"\s+memory 0\s+1 4 shared/);
  assert.match(summary, /"own"\s+memory \$own\s+2 2 shared/);
  const text = disassemble(m).lines.join('\n') + '\n';
  assert.match(text, /\(import "env" "memory" \(memory \(;0;\) 1 4 shared\)\)/);
  assert.match(text, /\(memory \$own \(;1;\) 2 2 shared\)/);
  for (const line of ['atomic.fence', 'memory.atomic.notify offset=8', 'i32.atomic.rmw8.cmpxchg_u', 'i64.atomic.rmw32.xor_u offset=16']) {
    assert.match(text, new RegExp(`:\\s+${line.replace(/\./g, '\\.')}\\n`), line);
  }
});
