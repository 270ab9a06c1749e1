// The module tree on Rust and C++ binaries: mangled function symbols read demangled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../core/binary';
import { watToBinary } from '../../core/text';
import { modelFromWasm, type TreeNode } from '../../client/module-tree/model';

const MANGLED = '(module (func $_ZN6values4main17h0123456789abcdefE (call $plain)) (func $plain))';

test('the module tree labels a mangled function by its demangled name, the symbol in its tooltip', () => {
  const m = decodeModule(watToBinary(MANGLED).bytes);
  const funcs = modelFromWasm(m).roots.find((n) => n.label === 'Functions')?.children?.() ?? [];
  assert.deepEqual(funcs.map((n: TreeNode) => [n.label, n.tooltip]), [['values::main', '$_ZN6values4main17h0123456789abcdefE'], ['$plain', undefined]]);
});
