// The disassembly of multi-memory and memory64 modules: memory indices on every memory
// instruction, u64 offsets, and i64 limits on memories and tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { disassemble } from '../../../core/inspect';
import { watToBinary } from '../../../core/text';

test('disassembly names the memory of each instruction and prints i64 limits and u64 offsets', () => {
  const m = decodeModule(watToBinary(`(module
    (memory $m0 1) (memory $m1 i64 2 10) (table $t i64 4 funcref) (data $d "x")
    (func
      (i32.store offset=4 (i32.const 0) (i32.const 7))
      (memory.copy $m0 $m1 (i32.const 0) (i64.const 8) (i32.const 2))
      (v128.store $m1 (i64.const 16) (v128.load (i32.const 0)))
      (drop (memory.grow $m1 (i64.const 1)))
      (memory.init $m1 $d (i64.const 0) (i32.const 0) (i32.const 0))
      (drop (i32.load8_u $m1 offset=0x1_0000_0000 (i64.const 0)))))`).bytes);
  const text = disassemble(m).lines.join('\n');
  assert.match(text, /\(memory \$m1 \(;1;\) i64 2 10\)/);
  assert.match(text, /\(table \$t \(;0;\) i64 4 funcref\)/);
  assert.match(text, /: {3}i32\.store offset=4$/m);
  assert.match(text, /memory\.copy \$m0 \$m1$/m);
  assert.match(text, /v128\.store \$m1$/m);
  assert.match(text, /v128\.load$/m);
  assert.match(text, /memory\.grow \$m1$/m);
  assert.match(text, /memory\.init \$m1 \$d$/m);
  assert.match(text, /i32\.load8_u \$m1 offset=4294967296$/m);
});
