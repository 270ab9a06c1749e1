// Debugging one assertion of a .wast script: the script's commands before it run (on the engine,
// as `wasmscope spec` runs them), then the assertion's invoke runs under the debugger, in the
// module under test, with breakpoints on the script's own lines.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { featuresFromSettings } from '../core/features';
import { Machine, type EngineOptions } from '../core/interp';
import { prepareWastInvoke, type WastInvoke } from '../core/wast';
import { CodeMap, type Mapped, type ProgramSource } from './code-map';
import { ProgramLocations } from './locations';
import { MachineTarget } from './machine-target';
import { LaunchError, functionNamer, type LaunchConfig, type OutputHooks } from './program';
import type { LoadedProgram } from './runtime';
import { StdinQueue } from './stdin-queue';
import { formatValue } from './value-format';

export async function loadWastProgram(config: LaunchConfig, programPath: string, hooks: OutputHooks): Promise<LoadedProgram> {
  const line = config.wastLine!;
  const name = path.basename(programPath);
  const text = await fs.promises.readFile(programPath, 'utf8');
  const features = featuresFromSettings(config.features);
  // Every instruction a stop position, as for a .wat program.
  const engine: EngineOptions = { fuse: false, features };
  if (config.maxCallDepth !== undefined) engine.maxCallDepth = config.maxCallDepth;
  if (config.maxMemoryPages !== undefined) engine.maxMemoryPages = config.maxMemoryPages;
  let prepared: WastInvoke;
  try {
    prepared = prepareWastInvoke(text, programPath, line, { engine, features, print: (l) => hooks.stdout(`${l}\n`) });
  } catch (err) {
    throw new LaunchError(`${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const before = prepared.before;
  if (before.failed > 0) {
    const first = before.failures[0]!;
    hooks.stderr(`${before.failed} command(s) before line ${line} failed (first: line ${first.line}: ${first.message})\n`);
  }

  const instance = prepared.instance;
  const module = instance.module;
  const source: ProgramSource = { name, path: programPath };
  // The module's instructions at their places in the script (a binary or quoted module has none:
  // its disassembly is shown instead).
  const positions = new Map<number, Mapped>();
  const map = prepared.sourceMap;
  for (const m of map?.instrs ?? []) {
    if (m.implicit) continue;
    const r = map!.rangeOf(m);
    positions.set(m.offset, { source, range: { line: r.start.line, column: r.start.character, endLine: r.end.line, endColumn: r.end.character } });
  }
  const funcName = functionNamer(module);
  const codeMap = new CodeMap(module, { positions: map ? positions : undefined, name, funcName });
  const mainSource = map ? source : codeMap.wholeListing ?? { name: `${name} (disassembly)` };
  const stdin = new StdinQueue();
  stdin.close();
  // The instance is the script runner's: no WASI, no recording (its host is spectest).
  const target = new MachineTarget(new Machine(engine), instance, module, { start: undefined, entry: prepared.name, args: prepared.args, bindMemory: () => {} });
  const call = `${prepared.name}(${prepared.args.map(formatValue).join(', ')})`;
  return {
    kind: map ? 'wat' : 'wasm',
    path: programPath,
    bytes: module.bytes,
    codeMap,
    locations: new ProgramLocations(codeMap, undefined),
    mainSource,
    target,
    stdin,
    funcName,
    findFunction: (q) => {
      const n = q.startsWith('$') ? q.slice(1) : q;
      const exp = module.exports.find((e) => e.kind === 'func' && e.name === n);
      if (exp) return exp.index;
      for (const [i, fn] of module.names.functions) if (fn === n) return i;
      return /^\d+$/.test(n) ? Number(n) : undefined;
    },
    funcEntry: (index) => codeMap.instructionsOf(index)[0]?.offset,
    globalName: (i) => module.names.globals.get(i),
    judge: (end) => ({ line: prepared.line, kind: prepared.kind, ...prepared.judge(end) }),
    describeResults: (results) => {
      const shown = results.length ? results.map(formatValue).join(', ') : 'nothing';
      const verdict = prepared.check === undefined ? '' : prepared.check(results) === undefined ? ' — the assertion holds' : ` — the assertion fails: ${prepared.check(results)}`;
      return `line ${prepared.line} (${prepared.kind}): ${call} returned ${shown}${verdict}`;
    },
  };
}
