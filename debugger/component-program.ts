// Loads a wasi:cli/command component for debugging: the CLI's loader (prepareCommand) instantiates
// it against the WASI 0.2 host, each core instance gets a code map of its module, and the module
// with DWARF (else the one with the most code) leads the combined index, so source lines work.
import * as path from 'node:path';
import type { Module } from '../core/binary';
import { describeWorld, findExportFunc, prepareRun, type PreparedRun } from '../core/component';
import { FunctionNameIndex, readDwarf } from '../core/debuginfo';
import { DecodeError, LinkError, Trap, ValidationError } from '../core/errors';
import { Machine } from '../core/interp';
import { WasiExit } from '../core/wasi';
import { WasiP3 } from '../core/wasi/p3';
import { CodeMap } from './code-map';
import { ComponentCodeMap, OFFSET_STRIDE, REF_STRIDE } from './component-code-map';
import { ComponentTarget, type ComponentPart } from './component-target';
import { ProgramLocations } from './locations';
import { debugIO, debugLimits } from './machine-target';
import { dwarfFunctionNames, functionNamer, LaunchError, openDwarf, netPolicyOf, parseDirs, type LaunchConfig, type OutputHooks } from './program';
import type { LoadedProgram } from './runtime';

export interface ComponentLaunch {
  config: LaunchConfig;
  hooks: OutputHooks;
  programPath: string;
  cwd: string;
  bytes: Uint8Array;
}

function codeBytes(m: Module): number {
  return m.funcs.reduce((n, f) => n + (f.bodyEnd - f.entryStart), 0);
}

export function loadComponentProgram(l: ComponentLaunch): LoadedProgram {
  const { config, cwd } = l;
  const name = path.basename(l.programPath);
  if (config.invoke !== undefined) throw new LaunchError(`'${name}' is a component: it runs its wasi:cli/run export ("invoke" is for core modules).`);
  if (config.profile !== undefined) throw new LaunchError(`'${name}' is a component: profiles are made of core modules only for now (remove "profile").`);
  const { io, stdin } = debugIO(config, cwd, l.hooks);
  // The 0.3 host serves the 0.2 interfaces too; a 0.3 component's run@0.3 is preferred, as the CLI does.
  const host = new WasiP3({ args: [name, ...(config.args ?? [])], env: config.env ?? {}, preopens: parseDirs(config.dirs ?? [], cwd), io, net: netPolicyOf(config) });
  const limits = debugLimits(config);
  const holder: { target?: ComponentTarget } = {};
  let run: PreparedRun;
  try {
    run = prepareRun(l.bytes, host, { ...limits, runtime: host.runtime, onLoweredCall: ComponentTarget.recordCalls(holder) });
  } catch (err) {
    if (err instanceof DecodeError || err instanceof ValidationError) throw new LaunchError(`'${name}' is not a valid component: ${err.message}`);
    if (err instanceof LinkError) throw new LaunchError(`'${name}': ${err.message}`);
    if (err instanceof WasiExit) throw new LaunchError(`'${name}' exited with code ${err.code} while it was instantiated, before anything could be debugged`);
    if (err instanceof Trap) throw new LaunchError(`'${name}': trap while it was instantiated (a core module's start function): ${err.message}`);
    throw err;
  }

  // Labels by the component's core module definitions (with their component-name names).
  const world = describeWorld(run.info);
  const rootModules = run.info.component.definitions.flatMap((d) => (d.kind === 'core-module' ? [d.module] : []));
  const label = (m: Module): string => {
    const i = rootModules.indexOf(m);
    if (i < 0) return 'nested core module';
    const n = world.coreModules[i]?.name;
    return n !== undefined ? `core module ${i} "${n}"` : `core module ${i}`;
  };

  const instances = [...run.instance.coreInstances];
  const hasDwarf = (i: (typeof instances)[number]): boolean => (readDwarf(i.compiled.module.bytes)?.files().length ?? 0) > 0;
  const lead = instances.find(hasDwarf) ?? instances.reduce<(typeof instances)[number] | undefined>(
    (best, i) => (!best || codeBytes(i.compiled.module) > codeBytes(best.compiled.module) ? i : best), undefined);
  if (!lead) throw new LaunchError(`'${name}' has no core code to debug.`);
  const ordered = [lead, ...instances.filter((i) => i !== lead)];

  const parts: (ComponentPart & { label: string; localName(i: number): string })[] = [];
  let funcBase = 0;
  ordered.forEach((instance, k) => {
    const module = instance.compiled.module;
    const localName = functionNamer(module);
    const partLabel = label(module);
    const codeMap = new CodeMap(module, { name: `${name} ${partLabel}`, funcName: localName, refBase: k * REF_STRIDE });
    const funcCount = module.importedFuncs + module.funcs.length;
    parts.push({ codeMap, instance, funcCount, funcBase, offsetBase: k * OFFSET_STRIDE, label: partLabel, localName });
    funcBase += funcCount;
  });
  const codeMap = new ComponentCodeMap(parts);
  const primary = parts[0]!;
  const dwarf = openDwarf(primary.instance.compiled.module.bytes, primary.codeMap, config, l.programPath);
  const locations = new ProgramLocations(codeMap, dwarf);

  const partOf = (index: number) => parts.find((p) => index >= p.funcBase && index < p.funcBase + p.funcCount);
  const funcName = (index: number): string => {
    const p = partOf(index);
    return p ? p.localName(index - p.funcBase) : `func[${index}]`;
  };
  let nameIndex: FunctionNameIndex | undefined;
  const findFunction = (query: string): number | undefined => {
    const q = query.startsWith('$') ? query.slice(1) : query;
    if (!nameIndex) {
      const entries: [number, string][] = [];
      for (const p of parts) {
        const m = p.instance.compiled.module;
        for (const e of m.exports) if (e.kind === 'func') entries.push([p.funcBase + e.index, e.name]);
        for (const [i, n] of m.names.functions) entries.push([p.funcBase + i, n]);
      }
      entries.push(...dwarfFunctionNames(dwarf, primary.codeMap));
      nameIndex = new FunctionNameIndex(entries);
    }
    const named = nameIndex.find(q);
    if (named !== undefined) return named;
    const m = /^(?:func\[)?(\d+)\]?$/.exec(q);
    return m && partOf(Number(m[1])) ? Number(m[1]) : undefined;
  };

  const entryFunc = findExportFunc(run.instance, [run.entry, 'run'])!;
  const call = run.kind === 'sync' ? { kind: 'sync' as const, call: run.call } : { kind: 'async' as const, call: run.call, rt: host.runtime };
  const target = new ComponentTarget(new Machine(limits), parts, { name: `${run.entry}#run`, type: entryFunc.type, args: [], call });
  holder.target = target;
  return {
    kind: 'wasm',
    path: l.programPath,
    // The lead module's bytes: data breakpoints read its instructions.
    bytes: primary.instance.compiled.module.bytes,
    codeMap,
    locations,
    mainSource: codeMap.wholeListing ?? { name: `${name} (disassembly, one source per function)` },
    target,
    stdin,
    funcName,
    frameModule: (index) => partOf(index)?.label,
    findFunction,
    funcEntry: (index) => codeMap.instructionsOf(index)[0]?.offset,
    globalName: (i) => primary.instance.compiled.module.names.globals.get(i),
    describeResults: () => undefined,
    waitForIO: () => (host.p2.waiting ? host.p2.waitForIO() : target.hostWait()),
  };
}
