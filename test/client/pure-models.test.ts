// The small pure pieces of the client: status text, F5 configurations, export lenses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeStatus } from '../../client/status-model';
import { defaultLaunchConfig, findLaunchConfig, invokeLaunchConfig, isEmptyConfig, isRunnable, parseInvokeArgs } from '../../client/launch-config';
import { exportLenses, paramTypes } from '../../client/export-lens-model';
import type { ModuleTree } from '../../server/lsp-ext';

test('the status item shows the server state, and a failure with its message and a restart', () => {
  assert.match(describeStatus({ kind: 'starting' }).text, /sync~spin/);
  const running = describeStatus({ kind: 'running', version: '0.1.0', detail: '2 open document(s)' });
  assert.equal(running.error, false);
  assert.match(running.tooltip, /running \(0\.1\.0\)\n2 open document/);
  const failed = describeStatus({ kind: 'failed', error: 'spawn ENOENT' });
  assert.equal(failed.error, true);
  assert.equal(failed.command, 'wasmscope.restartServer');
  assert.match(failed.tooltip, /spawn ENOENT/);
  assert.equal(describeStatus({ kind: 'stopped' }).command, 'wasmscope.restartServer');
});

test('F5 with no launch.json runs the open .wat or .wasm', () => {
  assert.equal(isEmptyConfig({}), true);
  assert.equal(isEmptyConfig({ type: 'wasmscope', request: 'launch', name: 'x' }), false);
  assert.deepEqual(defaultLaunchConfig('/w/hello.wat'), { type: 'wasmscope', request: 'launch', name: 'Run hello.wat', program: '${file}' });
  assert.equal(defaultLaunchConfig('C:\\w\\a.wasm', 'C:\\w\\a.wasm').name, 'Run a.wasm');
  assert.ok(isRunnable('/x/a.WASM') && isRunnable('/x/a.wat'));
  assert.ok(!isRunnable('/x/a.wast') && !isRunnable('/x/a.c'));
  assert.deepEqual(invokeLaunchConfig('/w/m.wat', 'add', ['1', '2']), {
    type: 'wasmscope', request: 'launch', name: 'add(1, 2) in m.wat', program: '/w/m.wat', invoke: { export: 'add', args: ['1', '2'] },
  });
  assert.deepEqual(parseInvokeArgs(' 1, -2  0x7fff_ffff -nan:0x1 '), ['1', '-2', '0x7fff_ffff', '-nan:0x1']);
  assert.deepEqual(parseInvokeArgs(''), []);
});

const r = (line: number) => ({ start: { line, character: 2 }, end: { line: line + 3, character: 3 } });

test('code lenses go on exported, module-defined functions of a single-module document', () => {
  assert.deepEqual(paramTypes('(param $a i32) (param i64 f32) (result i32)'), ['i32', 'i64', 'f32']);
  assert.deepEqual(paramTypes('(result i32)'), []);
  const tree: ModuleTree = {
    uri: 'file:///m.wat',
    version: 1,
    modules: [{
      range: r(0), imports: [], exports: [], types: [], tables: [], memories: [], globals: [], tags: [], data: [], elements: [],
      functions: [
        { kind: 'func', index: 0, signature: '(param i32)', range: r(1), selectionRange: r(1), import: { module: 'env', name: 'f' }, exportNames: ['reexported'] },
        { kind: 'func', index: 1, id: '$add', signature: '(param i32 i32) (result i32)', range: r(5), selectionRange: r(5), exportNames: ['add', 'plus'] },
        { kind: 'func', index: 2, signature: '', range: r(9), selectionRange: r(9) },
      ],
    }],
  };
  assert.deepEqual(exportLenses(tree).map((l) => `${l.exportName}@${l.range.start.line}:${l.params.join(',')}`), ['add@5:i32,i32', 'plus@5:i32,i32']);
  assert.deepEqual(exportLenses(null), []);
  assert.deepEqual(exportLenses({ ...tree, modules: [tree.modules[0]!, tree.modules[0]!] }), []);
});

test('the Run/Debug buttons use the launch.json entry written for the file', () => {
  const configs = [
    { name: 'Current file', type: 'wasmscope', request: 'launch', program: '${file}' },
    { name: 'Other', type: 'node', request: 'launch', program: '${workspaceFolder}/c/primes.wasm' },
    { name: 'Primes', type: 'wasmscope', request: 'launch', program: '${workspaceFolder}/c/primes.wasm', args: ['100'] },
    { name: 'Relative', type: 'wasmscope', request: 'launch', program: 'hello.wat' },
  ];
  assert.deepEqual(findLaunchConfig(configs, '/ws/c/primes.wasm', '/ws'), { name: 'Primes' });
  assert.deepEqual(findLaunchConfig(configs, '/ws/hello.wat', '/ws'), { name: 'Relative' });
  assert.equal(findLaunchConfig(configs, '/ws/other.wat', '/ws'), undefined);
  assert.equal(findLaunchConfig(undefined, '/ws/hello.wat', '/ws'), undefined);
});
