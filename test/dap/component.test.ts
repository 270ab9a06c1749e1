// F5 on a component: the Rust fixture (rustc 1.63 --target wasm32-wasi -g) made a wasi:cli/command
// component by `jco new` with the preview1 adapter (built here, into a temporary directory), debugged
// on our interpreter with the WASI 0.2 host: a DWARF line breakpoint, source variables, the Call
// Stack naming core modules, the "Component call" scope, stepping across host calls, output, exit.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { collectOutput, launch, root, scopeValues, stopped, withClient } from './dap-harness';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { children, langFixture, langFixtures, markerLine } from './lang-harness';

const source = langFixture('src/values.rs');
/** A frame name with its core module: `values::main [core module 0 "main"]`. */
const MODULE_FRAME = (fn: string): RegExp => new RegExp(`^${fn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\[core module \\d+( "[^"]*")?\\]$`);
let dir: string;
let component: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wasmscope-component-'));
  component = join(dir, 'values-comp.wasm');
  execFileSync(process.execPath, [join(root, 'node_modules', '.bin', 'jco'), 'new', langFixture('values-rs.wasm'), '--wasi-command', '-o', component], { stdio: 'pipe' });
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** Launches the component (its DWARF paths mapped to the fixture's sources) and stops at `marker`. */
async function stopAtMarker(dc: DebugClient, marker: string): Promise<DebugProtocol.StackFrame> {
  const first = stopped(dc, 'breakpoint');
  let verified: boolean | undefined;
  await launch(dc, { program: component, sourceMap: { '/fixtures/lang': langFixtures } }, async () => {
    const r = await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: markerLine(source, marker) }] });
    verified = r.body.breakpoints[0]?.verified;
  });
  assert.equal(verified, true, `breakpoint at @${marker} binds`);
  return (await first).frame;
}

test('a Rust component: a line breakpoint in the .rs binds in its core module, source variables read, frames name their core module', () => withClient(async (dc) => {
  const frame = await stopAtMarker(dc, 'main-values');
  assert.match(frame.name, MODULE_FRAME('values::main'));
  assert.equal(frame.line, markerLine(source, 'main-values'));
  const vars = await scopeValues(dc, 'Source Locals');
  assert.equal(vars.get('rect')?.value, 'Rect { w: 3, h: 4 }');
  assert.equal(vars.get('text')?.value, '"hello"');
  const st = await dc.stackTraceRequest({ threadId: 1 });
  const names = st.body.stackFrames.map((f) => f.name);
  // The adapter's run export (another core module) called the program's _start.
  const adapterFrame = names.find((n) => n.startsWith('wasi:cli/run@0.2.'));
  assert.ok(adapterFrame, names.join('\n'));
  const programModule = /\[(core module [^\]]+)\]$/.exec(frame.name)![1];
  assert.ok(!adapterFrame.endsWith(`[${programModule}]`), `the adapter's frame names another module: ${adapterFrame}`);
}));

test('a component: the Component call scope shows the run export and the last host call with WIT values; output and exit status', () => withClient(async (dc) => {
  const out = collectOutput(dc);
  await stopAtMarker(dc, 'main-values');
  // Run over the println to the next line: the host calls of the write happen under it.
  const next = stopped(dc, 'breakpoint');
  await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: markerLine(source, 'main-panic') }] });
  await dc.continueRequest({ threadId: 1 });
  assert.equal((await next).frame.line, markerLine(source, 'main-panic'));
  assert.match(out.text('stdout'), /^hello world \[10, 20, 30\]/);
  const frameId = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]!.id;
  const scope = await scopeValues(dc, 'Component call', frameId);
  assert.match(scope.get('export')?.value ?? '', /^wasi:cli\/run@0\.2\.\d+#run\(\)$/);
  const last = scope.get('last host call');
  assert.ok(last, [...scope.keys()].join(', '));
  assert.match(last.value, /^wasi:io\/streams@0\.2\.\d+#\[method\]output-stream\.blocking-write-and-flush\(self: borrow<output-stream>, contents: \[len \d+\]/);
  const params = await children(dc, last);
  assert.equal(params.get('contents')?.type, 'list<u8>');
  assert.match(params.get('contents')?.value ?? '', /"hello world/);
  assert.equal(params.get('result')?.value, 'ok');
  // The program panics next: a stop as an exception, then the run ends with the trap's status.
  const panicked = stopped(dc, 'exception');
  await dc.continueRequest({ threadId: 1 });
  await panicked;
  const exited = dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
  await dc.continueRequest({ threadId: 1 });
  assert.notEqual((await exited).body.exitCode, 0);
  assert.match(out.text('stderr'), /panicked at 'total 60 is over the limit 23'/);
}));

test('a component: a function breakpoint in the adapter module, a step into another core module\'s export lands there', () => withClient(async (dc) => {
  const bp = stopped(dc, 'function breakpoint');
  await launch(dc, { program: component }, async () => {
    const r = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'wasi:cli/run@0.2.12#run' }] });
    assert.equal(r.body.breakpoints[0]?.verified, true);
  });
  const { frame } = await bp;
  assert.match(frame.name, MODULE_FRAME('wasi:cli/run@0.2.12#run'));
  // Step in by instruction until the call enters another function (the program's main).
  let top = frame;
  for (let i = 0; i < 50 && top.name === frame.name; i++) {
    const s = stopped(dc, 'step');
    await dc.stepInRequest({ threadId: 1, granularity: 'instruction' });
    top = (await s).frame;
  }
  assert.match(top.name, MODULE_FRAME('_start.command_export'));
  assert.notEqual(/\[.*\]$/.exec(top.name)![0], /\[.*\]$/.exec(frame.name)![0], 'the step crossed into the program\'s module');
}));
