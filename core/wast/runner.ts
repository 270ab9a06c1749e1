// Runs a `.wast` spec script on our engine: modules, register, actions and every assertion, with
// the `spectest` host module. Counts one result per module that must load, action and assertion.
import { decodeModule } from '../binary';
import { DecodeError, LinkError, Trap, ValidationError, Exhaustion, WasmException } from '../errors';
import { compileModule, instantiate, invoke, GlobalInstance, Store, type EngineOptions, type ImportValue, type Instance, type Value } from '../interp';
import { assemble, parseWast, parseWat, type SourceMap, type WastAction, type WastCommand, type WastModule } from '../text';
import { ExternRefs, describeExpected, describeValue, matches, toValue } from './expected-values';
import { createSpectest } from './spectest';
import type { Features } from '../features';

export interface SpecFailure {
  /** 1-based line of the command. */
  line: number;
  message: string;
}

/** The outcome of one counted command (a module that must load, an action, an assertion), or of a
 * script-level syntax error (kind `syntax`), in script order: what the Testing view and
 * `wasmscope spec --json` show per assertion. */
export interface SpecOutcome {
  /** 1-based first and last line of the command. */
  line: number;
  endLine: number;
  kind: WastCommand['kind'] | 'syntax';
  ok: boolean;
  message?: string;
  /** For a result mismatch: the expected and the actual values, as the script writes them. */
  expected?: string;
  actual?: string;
}

export interface SpecResult {
  file: string;
  passed: number;
  failed: number;
  failures: SpecFailure[];
}

export interface SpecOptions {
  engine?: EngineOptions;
  /** Proposals the script's modules may use (default: the engine's, all of Wasm 3.0); the Wasm 2.0
   * suite runs with Wasm 2.0's set, where later encodings read as 2.0 says. */
  features?: Features;
  /** Receives what `spectest.print*` prints (default: discarded). */
  print?: (line: string) => void;
  /** Receives each counted command's outcome as soon as it ran. */
  onCommand?: (outcome: SpecOutcome) => void;
}

/** Thrown inside the runner to fail one command with a message (and, for a wrong result, the
 * expected and actual values). */
class Failure extends Error {
  constructor(message: string, readonly expected?: string, readonly actual?: string) {
    super(message);
  }
}

export function runWast(text: string, file: string, options: SpecOptions = {}): SpecResult {
  return new Runner(file, options).run(text);
}

/** An assertion (or action) made ready to run under a debugger: the script ran up to it. */
export interface WastInvoke {
  /** The instance the action calls, after every command before it ran. */
  instance: Instance;
  /** The export and its arguments. */
  name: string;
  args: Value[];
  /** The command's kind and 1-based first line (`assert_return`, `action`, ...). */
  kind: WastCommand['kind'];
  line: number;
  /** What an assert_return expects, as the script writes it. */
  expected?: string;
  /** For assert_return: undefined when `results` are what it expects, else why not. */
  check?(results: Value[]): string | undefined;
  /** Whether the command holds when its invoke ended with `end` (the spec runner's judgement). */
  judge(end: WastEnd): WastVerdict;
  /** The instance's module text positions in the script, when it was a text module. */
  sourceMap?: SourceMap;
  /** The result of the commands before (their failures too). */
  before: SpecResult;
}

/** Thrown by the runner at the command a WastInvoke stops before. */
class StopBefore {
  constructor(readonly cmd: WastCommand) {}
}

/**
 * Runs the script's commands before the one on 1-based `line` (an assertion or action that invokes
 * an export), then hands that invoke over instead of running it. Error (with a message naming the
 * line) when no such command is there.
 */
export function prepareWastInvoke(text: string, file: string, line: number, options: SpecOptions = {}): WastInvoke {
  const runner = new Runner(file, options);
  runner.stopLine = line;
  let cmd: WastCommand;
  try {
    runner.run(text);
    throw new Error(`line ${line} of ${file} has no command (a module, an assertion or an action starts there)`);
  } catch (e) {
    if (!(e instanceof StopBefore)) throw e;
    cmd = e.cmd;
  }
  return runner.prepare(cmd);
}

class Runner {
  private readonly registry: Record<string, Record<string, ImportValue>>;
  private readonly named = new Map<string, Instance>();
  /** `module definition`s by name, and the last one (what `module instance` without a name takes). */
  private readonly definitions = new Map<string, ReturnType<typeof compileModule>>();
  private lastDefinition: ReturnType<typeof compileModule> | undefined;
  private current: Instance | undefined;
  private failedModuleLine: number | undefined;
  private readonly externs = new ExternRefs();
  private readonly result: SpecResult;
  /** Engine options for instantiate: every module of a script lives in one store, as in the spec. */
  private readonly linking: EngineOptions;
  /** prepareWastInvoke: the command on this line is not run but handed over. */
  stopLine: number | undefined;
  /** Each text module's positions, by its bytes (the instance's module keeps them). */
  private readonly maps = new WeakMap<Uint8Array, SourceMap>();

  constructor(file: string, private readonly options: SpecOptions) {
    this.registry = { spectest: createSpectest(options.print) };
    this.linking = { ...options.engine, store: options.engine?.store ?? new Store() };
    this.result = { file, passed: 0, failed: 0, failures: [] };
  }

  run(text: string): SpecResult {
    const script = parseWast(text);
    const lines = script.tree.lines;
    const onCommand = this.options.onCommand;
    for (const cmd of script.commands) {
      const line = cmd.line + 1;
      const endLine = lines.lineAt(Math.max(cmd.start, cmd.end - 1)) + 1;
      if (this.stopLine !== undefined && line <= this.stopLine && this.stopLine <= endLine) throw new StopBefore(cmd);
      try {
        if (this.command(cmd)) {
          this.result.passed++;
          onCommand?.({ line, endLine, kind: cmd.kind, ok: true });
        }
      } catch (e) {
        this.result.failed++;
        const message = e instanceof Failure ? e.message : `internal error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
        this.result.failures.push({ line, message });
        const outcome: SpecOutcome = { line, endLine, kind: cmd.kind, ok: false, message };
        if (e instanceof Failure && e.expected !== undefined) outcome.expected = e.expected;
        if (e instanceof Failure && e.actual !== undefined) outcome.actual = e.actual;
        onCommand?.(outcome);
      }
    }
    // Script-level syntax errors outside commands (stray tokens, unbalanced parentheses).
    for (const err of script.errors) {
      if (script.commands.some((c) => err.start >= c.start && err.end <= c.end)) continue;
      this.result.failed++;
      const line = lines.lineAt(err.start) + 1;
      this.result.failures.push({ line, message: err.message });
      onCommand?.({ line, endLine: lines.lineAt(Math.max(err.start, err.end - 1)) + 1, kind: 'syntax', ok: false, message: err.message });
    }
    return this.result;
  }

  /** Runs one command; true when it counts as a pass, false when it is not counted (register). */
  private command(cmd: WastCommand): boolean {
    switch (cmd.kind) {
      case 'module': {
        if (cmd.definition) {
          // Compiled (so validated) now, instantiated by `module instance` commands.
          const compiled = this.compile(cmd.module);
          this.lastDefinition = compiled;
          if (cmd.module.name) this.definitions.set(cmd.module.name, compiled);
          return true;
        }
        // Until this one loads, actions must not silently run against the previous module.
        this.current = undefined;
        this.failedModuleLine = cmd.line + 1;
        const inst = this.load(cmd.module);
        this.current = inst;
        this.failedModuleLine = undefined;
        if (cmd.module.name) this.named.set(cmd.module.name, inst);
        return true;
      }
      case 'module_instance': {
        const def = cmd.definition === undefined ? this.lastDefinition : this.definitions.get(cmd.definition);
        if (!def) throw new Failure(cmd.definition === undefined ? 'module instance: no module definition yet' : `module instance: unknown module definition ${cmd.definition}`);
        this.current = undefined;
        this.failedModuleLine = cmd.line + 1;
        let inst: Instance;
        try {
          inst = instantiate(def, this.registry, this.linking);
        } catch (e) {
          throw new Failure(`module failed to instantiate: ${describeError(e)}`);
        }
        this.current = inst;
        this.failedModuleLine = undefined;
        if (cmd.instance !== undefined) this.named.set(cmd.instance, inst);
        return true;
      }
      case 'register': {
        const inst = this.instance(cmd.module);
        this.registry[cmd.as] = inst.exports as Record<string, ImportValue>;
        return false;
      }
      case 'action':
      case 'assert_return':
      case 'assert_trap':
      case 'assert_exhaustion':
      case 'assert_exception': {
        const failure = judgeEnd(cmd, this.endOf(cmd), this.externs);
        if (failure) throw failure;
        return true;
      }
      case 'assert_trap_module':
      case 'assert_uninstantiable': {
        const compiled = this.compile(cmd.module);
        try {
          const inst = instantiate(compiled, this.registry, this.linking);
          void inst;
        } catch (e) {
          if (e instanceof Trap) {
            // Trap messages are compared like the reference interpreter does: the expected text is a prefix.
            if (!e.message.startsWith(cmd.message)) throw new Failure(`instantiation: expected trap "${cmd.message}", got trap "${e.message}"`);
            return true;
          }
          throw new Failure(`expected instantiation to trap "${cmd.message}", got ${describeError(e)}`);
        }
        throw new Failure(`expected instantiation to trap "${cmd.message}", but it succeeded`);
      }
      case 'assert_unlinkable': {
        const compiled = this.compile(cmd.module);
        try {
          instantiate(compiled, this.registry, this.linking);
        } catch (e) {
          if (e instanceof LinkError) return true;
          throw new Failure(`expected link error "${cmd.message}", got ${describeError(e)}`);
        }
        throw new Failure(`expected link error "${cmd.message}", but the module linked`);
      }
      case 'assert_invalid': {
        const bytes = this.bytes(cmd.module);
        try {
          this.decodeAndCompile(bytes);
        } catch (e) {
          if (e instanceof ValidationError) return true;
          throw new Failure(`expected invalid module "${cmd.message}", got ${describeError(e)}`);
        }
        throw new Failure(`expected invalid module "${cmd.message}", but it validated`);
      }
      case 'assert_malformed': {
        const m = cmd.module;
        if (m.kind === 'quote') {
          if (parseWat(m.text, this.options.features).errors.length > 0) return true;
          throw new Failure(`expected malformed text "${cmd.message}", but it parsed`);
        }
        if (m.kind === 'text') {
          if (m.module.errors.length > 0) return true;
          throw new Failure(`expected malformed text "${cmd.message}", but it parsed`);
        }
        try {
          decodeModule(m.bytes, { features: this.options.features });
        } catch (e) {
          if (!(e instanceof DecodeError)) throw new Failure(`expected malformed binary "${cmd.message}", got ${describeError(e)}`);
          // The engine's path (bodies checked as they are validated) must reject it as malformed too.
          try {
            this.decodeAndCompile(m.bytes);
          } catch (e2) {
            if (e2 instanceof DecodeError && e2.message === e.message) return true;
            throw new Failure(`expected malformed binary "${cmd.message}" (${e.message}) from decode + validate, got ${describeError(e2)}`);
          }
          throw new Failure(`expected malformed binary "${cmd.message}" (${e.message}) from decode + validate, but it validated`);
        }
        throw new Failure(`expected malformed binary "${cmd.message}", but it decoded`);
      }
      case 'unsupported':
        throw new Failure(cmd.message);
    }
  }

  /** The binary of a script module: assembled text, quoted text, or the bytes given. */
  private bytes(m: WastModule): Uint8Array {
    if (m.kind === 'binary') return m.bytes;
    if (m.kind === 'quote') {
      const doc = parseWat(m.text, this.options.features);
      const err = doc.errors[0];
      if (err) throw new Failure(`module quote: ${err.message}`);
      return assemble(doc.module).bytes;
    }
    const err = m.module.errors[0];
    if (err) throw new Failure(`line ${m.module.lines.lineAt(err.start) + 1}: ${err.message}`);
    const assembled = assemble(m.module);
    this.maps.set(assembled.bytes, assembled.sourceMap);
    return assembled.bytes;
  }

  /** The WastInvoke for `cmd`, whose action is run by a debugger instead. */
  prepare(cmd: WastCommand): WastInvoke {
    const line = cmd.line + 1;
    if (!('action' in cmd)) throw new Error(`line ${line}: ${cmd.kind} does not call a function (debug an assertion or an action that invokes an export)`);
    const a = cmd.action;
    if (a.kind !== 'invoke') throw new Error(`line ${line}: ${cmd.kind} reads global "${a.name}"; only an invoke runs code to debug`);
    let instance: Instance;
    try {
      instance = this.instance(a.module);
    } catch (e) {
      throw new Error(`line ${line}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (instance.exports[a.name]?.kind !== 'func') throw new Error(`line ${line}: invoke ${a.name}: no such function export`);
    const invoking = cmd;
    const judge = (end: WastEnd): WastVerdict => {
      const f = judgeEnd(invoking, end, this.externs);
      if (!f) return { ok: true };
      const v: WastVerdict = { ok: false, message: f.message };
      if (f.expected !== undefined) v.expected = f.expected;
      if (f.actual !== undefined) v.actual = f.actual;
      return v;
    };
    const out: WastInvoke = { instance, name: a.name, args: a.args.map((v) => toValue(v, this.externs)), kind: cmd.kind, line, before: this.result, judge };
    if (cmd.kind === 'assert_return') {
      const expected = cmd.expected;
      out.expected = expected.map(describeExpected).join(', ');
      out.check = (got) => (got.length === expected.length && got.every((v, i) => matches(v, expected[i]!, this.externs))
        ? undefined : `expected ${out.expected}, got ${got.map(describeValue).join(', ') || 'nothing'}`);
    }
    const map = this.maps.get(instance.module.bytes);
    if (map !== undefined) out.sourceMap = map;
    return out;
  }

  private compile(m: WastModule): ReturnType<typeof compileModule> {
    const bytes = this.bytes(m);
    try {
      return this.decodeAndCompile(bytes);
    } catch (e) {
      throw new Failure(`module failed to load: ${describeError(e)}`);
    }
  }

  private decodeAndCompile(bytes: Uint8Array): ReturnType<typeof compileModule> {
    const features = this.options.features;
    // as `run` does: the bodies' structure is checked in the validator's pass
    return compileModule(decodeModule(bytes, { features, deferBodyCheck: true }), features !== undefined ? { ...this.options.engine, features } : this.options.engine);
  }

  private load(m: WastModule): Instance {
    const compiled = this.compile(m);
    try {
      return instantiate(compiled, this.registry, this.linking);
    } catch (e) {
      throw new Failure(`module failed to instantiate: ${describeError(e)}`);
    }
  }

  private instance(name: string | undefined): Instance {
    const inst = name === undefined ? this.current : this.named.get(name);
    if (!inst) {
      if (name !== undefined) throw new Failure(`unknown module ${name}`);
      throw new Failure(this.failedModuleLine !== undefined ? `no module: the one at line ${this.failedModuleLine} failed to load` : 'no module instantiated yet');
    }
    return inst;
  }

  private act(a: WastAction): Value[] {
    const inst = this.instance(a.module);
    if (a.kind === 'get') {
      const g = inst.exports[a.name];
      if (!(g instanceof GlobalInstance)) throw new Failure(`get ${a.name}: no such global export`);
      return [g.value];
    }
    if (!inst.exports[a.name]) throw new Failure(`invoke ${a.name}: no such export`);
    return invoke(inst, a.name, a.args.map((v) => toValue(v, this.externs)));
  }

  /** How the command's action ends; a failure to run it at all (no such export) is an assertion's
   * failure, and for an action or assert_return an error as before. */
  private endOf(cmd: InvokingCommand): WastEnd {
    try {
      return { kind: 'results', results: this.act(cmd.action) };
    } catch (e) {
      if (e instanceof Trap) return { kind: 'trap', message: e.message, exhaustion: e instanceof Exhaustion };
      if (e instanceof WasmException) return { kind: 'exception', message: e.message };
      if (cmd.kind === 'assert_trap') throw new Failure(`${describeAction(cmd.action)}: expected trap "${cmd.message}", got ${describeError(e)}`);
      if (cmd.kind === 'assert_exhaustion') throw new Failure(`${describeAction(cmd.action)}: expected call stack exhaustion, got ${describeError(e)}`);
      if (cmd.kind === 'assert_exception') throw new Failure(`${describeAction(cmd.action)}: expected an exception, got ${describeError(e)}`);
      throw e;
    }
  }

}

type InvokingCommand = Extract<WastCommand, { kind: 'action' | 'assert_return' | 'assert_trap' | 'assert_exhaustion' | 'assert_exception' }>;

/** How an action ended, as the runner or a debugger saw it. */
export type WastEnd =
  | { kind: 'results'; results: Value[] }
  | { kind: 'trap'; message: string; exhaustion: boolean }
  | { kind: 'exception'; message: string };

/** What an assertion's run came to: its spec --json outcome fields. */
export interface WastVerdict {
  ok: boolean;
  message?: string;
  expected?: string;
  actual?: string;
}

function describeAction(a: WastAction): string {
  return a.kind === 'get' ? `get "${a.name}"` : `invoke "${a.name}"`;
}

/** Whether `cmd` holds when its action ended with `end`: undefined, or the Failure saying why. */
function judgeEnd(cmd: InvokingCommand, end: WastEnd, externs: ExternRefs): Failure | undefined {
  const what = describeAction(cmd.action);
  const describeEnd = (e: WastEnd, none: string): string => e.kind === 'results' ? e.results.map(describeValue).join(', ') || none
    : e.kind === 'trap' ? `${e.exhaustion ? 'Exhaustion' : 'Trap'}: ${e.message}` : `WasmException: ${e.message}`;
  switch (cmd.kind) {
    case 'action':
    case 'assert_return': {
      if (end.kind === 'trap') return new Failure(`${what}: unexpected trap "${end.message}"`);
      if (end.kind === 'exception') return new Failure(`${what}: unexpected ${end.message}`);
      if (cmd.kind === 'action') return undefined;
      const got = end.results;
      const expected = cmd.expected.map(describeExpected).join('\n');
      const actual = got.map(describeValue).join('\n');
      if (got.length !== cmd.expected.length) {
        return new Failure(`${what}: expected ${cmd.expected.length} results, got ${got.length} (${got.map(describeValue).join(', ')})`, expected, actual);
      }
      const i = cmd.expected.findIndex((e, k) => !matches(got[k]!, e, externs));
      return i < 0 ? undefined : new Failure(`${what}: result ${i}: expected ${describeExpected(cmd.expected[i]!)}, got ${describeValue(got[i]!)}`, expected, actual);
    }
    case 'assert_trap':
    case 'assert_exhaustion': {
      const wanted = cmd.kind === 'assert_trap' ? `trap "${cmd.message}"` : 'call stack exhaustion';
      if (end.kind !== 'trap' || (cmd.kind === 'assert_exhaustion' && !end.exhaustion)) {
        return new Failure(`${what}: expected ${wanted}, got ${describeEnd(end, 'no trap')}`, wanted, describeEnd(end, 'no trap'));
      }
      if (!end.message.startsWith(cmd.message)) return new Failure(`${what}: expected trap "${cmd.message}", got trap "${end.message}"`, `trap "${cmd.message}"`, `trap "${end.message}"`);
      return undefined;
    }
    case 'assert_exception':
      return end.kind === 'exception' ? undefined
        : new Failure(`${what}: expected an exception, got ${describeEnd(end, 'no exception')}`, 'an exception', describeEnd(end, 'no exception'));
  }
}

function describeError(e: unknown): string {
  if (e instanceof Failure) return e.message;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
