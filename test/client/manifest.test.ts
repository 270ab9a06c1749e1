// package.json's contributions agree with the code: commands, settings, grammars, views, packaging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_IDS } from '../../client/command-ids';
import { ENGINE_DEFAULT_FEATURES, FEATURE_NAMES } from '../../core/check/features';

const root = join(import.meta.dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as any;
const contributes = pkg.contributes;

test('every contributed command has a handler and every handler is contributed', () => {
  const contributed = (contributes.commands as { command: string }[]).map((c) => c.command).sort();
  assert.deepEqual(contributed, [...COMMAND_IDS].sort());
  for (const [menu, items] of Object.entries(contributes.menus as Record<string, { command: string }[]>)) {
    for (const item of items) assert.ok(COMMAND_IDS.includes(item.command as never), `${menu} names unknown ${item.command}`);
  }
});

test('every Wasm feature flag is a setting with the engine default', () => {
  const props = contributes.configuration.properties as Record<string, { type: string; default: unknown; enum?: string[] }>;
  for (const name of FEATURE_NAMES) {
    const setting = props[`wasmscope.features.${name}`];
    assert.ok(setting, `wasmscope.features.${name} missing`);
    assert.equal(setting.type, 'boolean');
    assert.equal(setting.default, ENGINE_DEFAULT_FEATURES[name], name);
  }
  const launch = contributes.debuggers[0].configurationAttributes.launch.properties;
  assert.deepEqual(Object.keys(launch.features.properties).sort(), [...FEATURE_NAMES].sort());
  for (const key of ['wasmscope.trace.server', 'wasmscope.interpreter.maxCallDepth', 'wasmscope.interpreter.maxMemoryPages', 'wasmscope.debug.adapter']) {
    assert.ok(props[key], `${key} missing`);
  }
  // Run Without Debugging's engine: the setting (auto by default) and the launch attribute offer the same values.
  assert.equal(props['wasmscope.run.engine']?.default, 'auto');
  assert.deepEqual([...(props['wasmscope.run.engine']?.enum ?? [])].sort(), ['auto', 'interp', 'v8']);
  assert.deepEqual([...launch.engine.enum].sort(), ['auto', 'interp', 'v8']);
});

test('grammars, language configuration, icon and entry point exist', () => {
  for (const g of contributes.grammars as { path: string }[]) assert.ok(existsSync(join(root, g.path)), g.path);
  for (const l of contributes.languages as { configuration: string }[]) assert.ok(existsSync(join(root, l.configuration)), l.configuration);
  assert.ok(existsSync(join(root, pkg.icon)));
  assert.equal(pkg.main, './dist/extension.js');
  const langConfig = JSON.parse(readFileSync(join(root, 'syntaxes', 'language-configuration.json'), 'utf8')) as { wordPattern: string };
  const word = new RegExp(langConfig.wordPattern, 'g');
  assert.deepEqual('(local.get $my-name) i32.add 0x1_F i64x2.extract_lane'.match(word), ['local.get', '$my-name', 'i32.add', '0x1_F', 'i64x2.extract_lane']);
});

test('the module tree, the .wasm view and the debugger are contributed and activate the extension', () => {
  assert.ok((contributes.views.explorer as { id: string }[]).some((v) => v.id === 'wasmscope.moduleTree'));
  assert.deepEqual(contributes.customEditors[0].selector, [{ filenamePattern: '*.wasm' }]);
  const dbg = contributes.debuggers[0];
  assert.equal(dbg.type, 'wasmscope');
  assert.ok(dbg.initialConfigurations.length > 0 && dbg.configurationSnippets.length >= 2);
  for (const e of ['onLanguage:wat', 'onLanguage:wast', 'onCustomEditor:wasmscope.wasmView', 'onDebugResolve:wasmscope']) {
    assert.ok(pkg.activationEvents.includes(e), e);
  }
});

test('.vscodeignore keeps sources, tests and node_modules out of the package', () => {
  const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8');
  assert.match(ignore, /^\*\*$/m);
  for (const keep of ['!dist/extension.js', '!dist/server.js', '!dist/debugAdapter.js', '!dist/debugAdapterMain.js', '!dist/v8Worker.js', '!dist/moduleWorker.js', '!dist/cli.js', '!dist/cliMain.js', '!syntaxes/**', '!images/icon.png']) {
    assert.ok(ignore.includes(keep), keep);
  }
});
