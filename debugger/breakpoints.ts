// The breakpoints of one running program: line (.wat, disassembly or DWARF source), function and
// instruction breakpoints bound to engine offsets, with conditions, hit counts and log messages.
import type { ProgramSource } from './code-map';
import { evaluateExpression, isTruthy, parseExpression, parseLogMessage, renderResult, type EvalScope, type Expr } from './expression';
import type { LoadedProgram, StopReason } from './runtime';
import { messageOf } from './error-message';

export type BreakpointKind = 'line' | 'function' | 'instruction';

export interface BreakpointOptions {
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export interface BoundBreakpoint {
  id: number;
  verified: boolean;
  message?: string;
  offset?: number;
  /** Where it bound (0-based), for line breakpoints and any breakpoint in mapped code. */
  location?: { source: ProgramSource; line: number; column: number };
}

interface BreakpointEntry {
  id: number;
  kind: BreakpointKind;
  offset: number;
  funcIndex: number;
  condition?: Expr;
  hit?: (n: number) => boolean;
  log?: (string | Expr)[];
  /** Shared by the places one breakpoint binds to (a C line entered from several places). */
  counter: { hits: number };
}

/** What reaching a breakpoint place decided: lines to log, and whether (and why) to stop. */
export interface BreakpointCheck {
  messages: string[];
  stop?: { reason: StopReason; ids: number[] };
}

export class BreakpointTable {
  private readonly lineBps = new Map<string, BreakpointEntry[]>();
  private functionBps: BreakpointEntry[] = [];
  private instructionBps: BreakpointEntry[] = [];
  private readonly byOffset = new Map<number, BreakpointEntry[]>();

  constructor(private readonly program: LoadedProgram) {}

  /** Whether a user breakpoint sits at this offset. */
  has(offset: number): boolean {
    return this.byOffset.has(offset);
  }

  /** Every place a user breakpoint is bound, by function (what Reverse Continue looks back for). */
  places(): { funcIndex: number; offsets: number[] }[] {
    const byFunc = new Map<number, number[]>();
    for (const [offset, entries] of this.byOffset) {
      const f = entries[0]!.funcIndex;
      let list = byFunc.get(f);
      if (list === undefined) byFunc.set(f, (list = []));
      list.push(offset);
    }
    return [...byFunc].map(([funcIndex, offsets]) => ({ funcIndex, offsets }));
  }

  /** Going backwards: the breakpoints at `offset` whose condition holds stop (hit counts and
   * logpoints count forward runs only, so they are passed over). */
  checkBackward(offset: number, scope: () => EvalScope): BreakpointCheck['stop'] {
    const hit: BreakpointEntry[] = [];
    for (const e of this.byOffset.get(offset) ?? []) {
      if (e.log) continue;
      if (e.condition) {
        let ok: boolean;
        try {
          ok = isTruthy(evaluateExpression(e.condition, scope()));
        } catch {
          ok = true;
        }
        if (!ok) continue;
      }
      hit.push(e);
    }
    const first = hit[0];
    if (!first) return undefined;
    const reason: StopReason = first.kind === 'line' ? 'breakpoint' : first.kind === 'function' ? 'function breakpoint' : 'instruction breakpoint';
    return { reason, ids: [...new Set(hit.map((h) => h.id))] };
  }

  /**
   * Evaluates the breakpoints at `offset`: a condition that is false skips one, a hit count counts
   * only the hits that pass the condition, a logpoint logs and never stops. A condition that
   * cannot be evaluated stops, so the user sees why.
   */
  check(offset: number, scope: () => EvalScope): BreakpointCheck {
    const out: BreakpointCheck = { messages: [] };
    const hit: BreakpointEntry[] = [];
    for (const e of this.byOffset.get(offset) ?? []) {
      if (e.condition) {
        let ok: boolean;
        try {
          ok = isTruthy(evaluateExpression(e.condition, scope()));
        } catch (err) {
          out.messages.push(`Breakpoint condition failed: ${messageOf(err)}`);
          ok = true;
        }
        if (!ok) continue;
      }
      e.counter.hits++;
      if (e.hit && !e.hit(e.counter.hits)) continue;
      if (e.log) {
        out.messages.push(renderLog(e.log, scope));
        continue;
      }
      hit.push(e);
    }
    const first = hit[0];
    if (first) {
      const reason: StopReason = first.kind === 'line' ? 'breakpoint' : first.kind === 'function' ? 'function breakpoint' : 'instruction breakpoint';
      out.stop = { reason, ids: [...new Set(hit.map((h) => h.id))] };
    }
    return out;
  }

  /** Ids come from the session, so a restart can bind the same breakpoints under the same ids. */
  setLine(source: ProgramSource, key: string, requests: ({ id: number; line: number; column?: number } & BreakpointOptions)[]): BoundBreakpoint[] {
    for (const e of this.lineBps.get(key) ?? []) this.unbind(e);
    const entries: BreakpointEntry[] = [];
    const out = requests.map((req): BoundBreakpoint => {
      const id = req.id;
      const r = this.program.locations.resolveLine(source, req.line, req.column);
      if (!r) return { id, verified: false, message: 'No code on or after this line.' };
      const counter = { hits: 0 };
      let first: BreakpointEntry | undefined;
      for (const place of r.places) {
        const built = this.buildEntry(id, 'line', place.offset, place.funcIndex, req, counter);
        if (typeof built === 'string') return { id, verified: false, message: built };
        if (!this.bind(built)) continue;
        entries.push(built);
        first ??= built;
      }
      if (!first) return { id, verified: false, message: 'The interpreter has no code for this line.' };
      // The engine may keep only the next instruction (some compile to nothing); report where it stops.
      const moved = first.offset !== r.places[0]!.offset;
      const at = moved ? this.program.locations.position(first.offset) : undefined;
      const line = at && at.source === source ? at.range.line : r.line;
      const column = at && at.source === source ? at.range.column : r.column;
      return {
        id,
        verified: true,
        offset: first.offset,
        location: { source, line, column },
        message: line !== req.line ? `No code on line ${req.line + 1}; moved to line ${line + 1}.` : undefined,
      };
    });
    this.lineBps.set(key, entries);
    return out;
  }

  setFunction(requests: ({ id: number; name: string } & BreakpointOptions)[]): BoundBreakpoint[] {
    for (const e of this.functionBps) this.unbind(e);
    this.functionBps = [];
    return requests.map((req) => {
      const id = req.id;
      const fn = this.program.findFunction(req.name.trim());
      if (fn === undefined) return { id, verified: false, message: `No function named '${req.name}' (by export, name section, demangled or source name, or index).` };
      const offset = this.program.funcEntry(fn);
      if (offset === undefined) return { id, verified: false, message: `'${req.name}' is an imported function; it has no code to stop in.` };
      return this.bindOne(id, 'function', offset, fn, req, this.functionBps);
    });
  }

  setInstruction(requests: ({ id: number; instructionReference: string; offset?: number } & BreakpointOptions)[]): BoundBreakpoint[] {
    for (const e of this.instructionBps) this.unbind(e);
    this.instructionBps = [];
    return requests.map((req) => {
      const id = req.id;
      const base = parseAddress(req.instructionReference);
      const offset = base === undefined ? undefined : base + (req.offset ?? 0);
      const ins = offset === undefined ? undefined : this.program.codeMap.instruction(offset);
      if (offset === undefined || !ins) return { id, verified: false, message: `No instruction starts at ${req.instructionReference}${req.offset ? `+${req.offset}` : ''}.` };
      return this.bindOne(id, 'instruction', offset, ins.funcIndex, req, this.instructionBps);
    });
  }

  private bindOne(id: number, kind: BreakpointKind, offset: number, funcIndex: number, req: BreakpointOptions, list: BreakpointEntry[]): BoundBreakpoint {
    const built = this.buildEntry(id, kind, offset, funcIndex, req);
    if (typeof built === 'string') return { id, verified: false, message: built };
    if (!this.bind(built)) return { id, verified: false, message: 'The interpreter has no code at this place.' };
    list.push(built);
    const m = this.program.locations.position(built.offset);
    return { id, verified: true, offset: built.offset, location: m ? { source: m.source, line: m.range.line, column: m.range.column } : undefined };
  }

  private buildEntry(id: number, kind: BreakpointKind, offset: number, funcIndex: number, req: BreakpointOptions, counter = { hits: 0 }): BreakpointEntry | string {
    const entry: BreakpointEntry = { id, kind, offset, funcIndex, counter };
    try {
      if (req.condition?.trim()) entry.condition = parseExpression(req.condition);
      if (req.logMessage) entry.log = parseLogMessage(req.logMessage);
    } catch (err) {
      return `Invalid ${req.logMessage ? 'log message' : 'condition'}: ${messageOf(err)}`;
    }
    if (req.hitCondition?.trim()) {
      const hit = parseHitCondition(req.hitCondition);
      if (!hit) return `Invalid hit count '${req.hitCondition}': use N, >=N, >N, ==N, <N, <=N or %N.`;
      entry.hit = hit;
    }
    return entry;
  }

  /** Arms the engine; the entry moves to the offset the engine bound. False when it has no code there. */
  private bind(e: BreakpointEntry): boolean {
    const actual = this.program.target.setBreakpoint(e.funcIndex, e.offset);
    if (actual === undefined) return false;
    e.offset = actual;
    const list = this.byOffset.get(actual);
    if (list) list.push(e);
    else this.byOffset.set(actual, [e]);
    return true;
  }

  private unbind(e: BreakpointEntry): void {
    const list = this.byOffset.get(e.offset);
    if (!list) return;
    const rest = list.filter((x) => x !== e);
    if (rest.length) this.byOffset.set(e.offset, rest);
    else {
      // The engine keeps one breakpoint per place however often it is set, so clear it once.
      this.byOffset.delete(e.offset);
      this.program.target.clearBreakpoint(e.funcIndex, e.offset);
    }
  }

}

function renderLog(parts: (string | Expr)[], scope: () => EvalScope): string {
  return parts.map((p) => {
    if (typeof p === 'string') return p;
    try {
      return renderResult(evaluateExpression(p, scope()));
    } catch (err) {
      return `<${messageOf(err)}>`;
    }
  }).join('');
}

/** `0x1a2b`, `1234`: instruction and memory references are byte offsets. */
export function parseAddress(ref: string): number | undefined {
  const t = ref.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16);
  if (/^\d+$/.test(t)) return Number(t);
  return undefined;
}

/** Hit counts: a bare N breaks on the N-th hit and every later one (like `>=N`). */
export function parseHitCondition(text: string): ((n: number) => boolean) | undefined {
  const m = /^\s*(>=|<=|==|=|>|<|%)?\s*(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const k = Number(m[2]);
  switch (m[1]) {
    case undefined: case '>=': return (n) => n >= k;
    case '>': return (n) => n > k;
    case '<': return (n) => n < k;
    case '<=': return (n) => n <= k;
    case '==': case '=': return (n) => n === k;
    case '%': return k === 0 ? undefined : (n) => n % k === 0;
    default: return undefined;
  }
}
