// Shared steps of the Rust and C++ value tests: stop at a `// @marker` line of a fixture in
// test/fixtures/lang, and read a scope's variables (and their children) by name.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launch, root, stopped } from './dap-harness';

export const langFixtures = join(root, 'test', 'fixtures', 'lang');
export const langFixture = (name: string): string => join(langFixtures, name);

export function markerLine(file: string, marker: string): number {
  const i = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(`// @${marker}`));
  if (i < 0) throw new Error(`no marker @${marker} in ${file}`);
  return i + 1;
}

/** Launches `program` with a breakpoint at `marker` of `source` and waits until it is hit. */
export async function stopAtMarker(dc: DebugClient, program: string, source: string, marker: string): Promise<DebugProtocol.StackFrame> {
  const first = stopped(dc, 'breakpoint');
  let verified: boolean | undefined;
  await launch(dc, { program }, async () => {
    const r = await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: markerLine(source, marker) }] });
    verified = r.body.breakpoints[0]?.verified;
  });
  assert.equal(verified, true, `breakpoint at @${marker} binds`);
  return (await first).frame;
}

export async function children(dc: DebugClient, v: DebugProtocol.Variable | undefined): Promise<Map<string, DebugProtocol.Variable>> {
  assert.ok(v && v.variablesReference > 0, `${v?.name} expands`);
  const r = await dc.variablesRequest({ variablesReference: v.variablesReference });
  return new Map(r.body.variables.map((c) => [c.name, c]));
}
