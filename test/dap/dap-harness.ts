// Starts the bundled debug adapter (dist/debugAdapter.js) under DebugClient for the DAP tests,
// and small helpers to launch a fixture and wait for the events a test cares about.
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

export const root = join(import.meta.dirname, '..', '..');
export const adapter = join(root, 'dist', 'debugAdapter.js');
export const fixtures = join(root, 'test', 'fixtures', 'dap');
export const fixture = (name: string): string => join(fixtures, name);

export async function startClient(): Promise<DebugClient> {
  const dc = new DebugClient('node', adapter, 'wasmscope');
  // Two cores shared by many processes: give slow moments room (no test waits for a timeout).
  dc.defaultTimeout = 30000;
  await dc.start();
  return dc;
}

/** Collects output events by category as they arrive. */
/** Runs `f` against a fresh adapter process, stopping it however `f` ends. */
export async function withClient(f: (dc: DebugClient) => Promise<void>): Promise<void> {
  const dc = await startClient();
  try {
    await f(dc);
  } finally {
    await dc.stop();
  }
}

export function collectOutput(dc: DebugClient): { text(category?: string): string; events: DebugProtocol.OutputEvent[] } {
  const events: DebugProtocol.OutputEvent[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => events.push(e));
  return {
    events,
    text: (category?: string) => events.filter((e) => category === undefined || e.body.category === category).map((e) => e.body.output).join(''),
  };
}

/** Launches and finishes configuration (breakpoints set by `configure` before configurationDone). */
export async function launch(dc: DebugClient, args: Record<string, unknown>, configure?: () => Promise<unknown>): Promise<void> {
  await Promise.all([
    dc.initializeRequest({ adapterID: 'wasmscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', supportsMemoryReferences: true, supportsInvalidatedEvent: true }),
    dc.waitForEvent('initialized').then(async () => {
      await configure?.();
      await dc.configurationDoneRequest();
    }),
    // launchRequest, not launch(): DebugClient.launch() sends a second, bare initialize.
    dc.launchRequest(args as DebugProtocol.LaunchRequestArguments),
  ]);
}

export async function topFrame(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  const st = await dc.stackTraceRequest({ threadId: 1 });
  const f = st.body.stackFrames[0];
  if (!f) throw new Error('no stack frames');
  return f;
}

/** Variables of a named scope of the top frame, as name → value. */
export async function scopeValues(dc: DebugClient, scopeName: string, frameId?: number): Promise<Map<string, DebugProtocol.Variable>> {
  const id = frameId ?? (await topFrame(dc)).id;
  const scopes = await dc.scopesRequest({ frameId: id });
  const scope = scopes.body.scopes.find((s) => s.name === scopeName);
  if (!scope) throw new Error(`no scope ${scopeName}`);
  const vars = await dc.variablesRequest({ variablesReference: scope.variablesReference });
  return new Map(vars.body.variables.map((v) => [v.name, v]));
}

/** 1-based line of the fixture line carrying `;; @marker`. */
export function lineOf(file: string, marker: string): number {
  const lines = readFileSync(fixture(file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(`;; @${marker}`) && !l.includes(`;; @${marker}-`));
  if (i < 0) throw new Error(`no marker @${marker} in ${file}`);
  return i + 1;
}

/** Waits for a stopped event and returns it with the top frame. */
export async function stopped(dc: DebugClient, reason?: string): Promise<{ event: DebugProtocol.StoppedEvent; frame: DebugProtocol.StackFrame }> {
  const event = (await dc.waitForEvent('stopped')) as DebugProtocol.StoppedEvent;
  if (reason !== undefined && event.body.reason !== reason) throw new Error(`stopped for '${event.body.reason}' (${event.body.text ?? ''}), expected '${reason}'`);
  return { event, frame: await topFrame(dc) };
}

export async function evaluate(dc: DebugClient, expression: string, context = 'watch'): Promise<string> {
  const frame = await topFrame(dc);
  const r = await dc.evaluateRequest({ expression, frameId: frame.id, context });
  return r.body.result;
}

/** Launches `program` with breakpoints on the lines carrying `;; @marker` (each of `markers`) and
 * waits for the first stop. */
export async function launchAt(dc: DebugClient, program: string, markers: string[], extra: Record<string, unknown> = {}) {
  const file = program.slice(fixtures.length + 1);
  const first = stopped(dc);
  await launch(dc, { program, ...extra }, () => dc.setBreakpointsRequest({ source: { path: program }, breakpoints: markers.map((m) => ({ line: lineOf(file, m) })) }));
  return first;
}

/** Sends `request` and waits for the stop it causes (with `reason`, if given). */
export async function after(dc: DebugClient, request: () => Promise<unknown>, reason?: string) {
  const s = stopped(dc, reason);
  await request();
  return s;
}
