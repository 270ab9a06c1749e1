// The pure half of the Testing view for `.wast` scripts (no `vscode`, tested headless): the
// command line that runs a script, and the reading of `wasmscope spec --json`'s output lines.
import { FEATURE_NAMES, featureFlagName, type Features } from '../core/features';

/** One counted command's result as `wasmscope spec --json` prints it. */
export interface SpecOutcomeLine {
  line: number;
  endLine: number;
  kind: string;
  label: string;
  ok: boolean;
  message?: string;
  expected?: string;
  actual?: string;
}

export type SpecLine = { type: 'outcome'; outcome: SpecOutcomeLine } | { type: 'summary'; passed: number; failed: number };

/** A test item's id inside its file: the command's kind and 1-based line, as core/wast's listWastTests gives them. */
export function childId(kind: string, line: number): string {
  return `${kind}@${line}`;
}

/** The CLI arguments that run `file` with the editor's feature settings. */
export function specArgs(file: string, features: Features): string[] {
  const list = FEATURE_NAMES.filter((n) => features[n] !== undefined).map((n) => (features[n] ? featureFlagName(n) : `-${featureFlagName(n)}`));
  return ['spec', '--json', ...(list.length > 0 ? [`--features=${list.join(',')}`] : []), file];
}

/** Reads one output line; undefined for anything that is not one of ours (never throws). */
export function parseSpecLine(text: string): SpecLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.passed === 'number' && typeof v.failed === 'number') return { type: 'summary', passed: v.passed, failed: v.failed };
  const outcome = readOutcome(v);
  return outcome && { type: 'outcome', outcome };
}

/** A command's outcome from a JSON object (a spec --json line, the adapter's wastResult event). */
function readOutcome(v: Record<string, unknown>): SpecOutcomeLine | undefined {
  if (typeof v.line !== 'number' || typeof v.kind !== 'string' || typeof v.ok !== 'boolean') return undefined;
  const outcome: SpecOutcomeLine = {
    line: v.line,
    endLine: typeof v.endLine === 'number' ? v.endLine : v.line,
    kind: v.kind,
    label: typeof v.label === 'string' ? v.label : v.kind,
    ok: v.ok,
  };
  if (typeof v.message === 'string') outcome.message = v.message;
  if (typeof v.expected === 'string') outcome.expected = v.expected;
  if (typeof v.actual === 'string') outcome.actual = v.actual;
  return outcome;
}

/** How the Testing view marks a test it debugged, once the debug session ended. */
export type DebuggedTestState =
  | { state: 'passed' }
  | { state: 'failed'; message: string; expected?: string; actual?: string }
  /** The session ended before the assertion's invoke finished (stopped by the user). */
  | { state: 'skipped' };

/** The state of the debugged test `id` (`kind@line`) from the `wastResult` event the debug adapter
 * sent before the session ended (undefined: it sent none), ignoring a result for another command. */
export function debuggedTestState(id: string, result: unknown): DebuggedTestState {
  const o = typeof result === 'object' && result !== null ? readOutcome(result as Record<string, unknown>) : undefined;
  if (o === undefined || childId(o.kind, o.line) !== id) return { state: 'skipped' };
  if (o.ok) return { state: 'passed' };
  const failed: DebuggedTestState = { state: 'failed', message: o.message ?? 'failed' };
  if (o.expected !== undefined) failed.expected = o.expected;
  if (o.actual !== undefined) failed.actual = o.actual;
  return failed;
}

/** Splits a growing stdout stream into whole lines; the rest waits for the next chunk. */
export class LineSplitter {
  private rest = '';

  push(chunk: string): string[] {
    const parts = (this.rest + chunk).split('\n');
    this.rest = parts.pop() ?? '';
    return parts.filter((l) => l.trim() !== '');
  }

  end(): string[] {
    const last = this.rest.trim();
    this.rest = '';
    return last === '' ? [] : [last];
  }
}

/** The kinds of test that run code a debugger can stop in (an invoke). */
const DEBUGGABLE = new Set(['assert_return', 'assert_trap', 'assert_exhaustion', 'assert_exception', 'action']);

/** The launch configuration that debugs the test `id` (`kind@line`) of `file`, or why it cannot be. */
export function wastDebugConfiguration(file: string, id: string): { type: string; request: 'launch'; name: string; program: string; wastLine: number } | { error: string } {
  const m = /^(\w+)@(\d+)$/.exec(id);
  if (!m) return { error: `not a test of ${file}` };
  const [, kind, line] = m;
  if (!DEBUGGABLE.has(kind!)) return { error: `a ${kind} runs no function to debug: debug an assertion or an action` };
  return { type: 'wasmscope', request: 'launch', name: `Debug ${kind} at line ${line}`, program: file, wastLine: Number(line) };
}
