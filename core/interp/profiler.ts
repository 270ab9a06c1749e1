// An exact profiler: every instruction of the instance becomes a BREAK that the profiler counts (by
// function and call path) before the machine runs it, so the counts are instructions executed, not
// samples. Written as a .cpuprofile (Chrome's format, which VS Code opens as a flame graph) in which
// one microsecond stands for one instruction. Profiled functions run unfused (Machine.unfuse), so each instruction counts.
import { plainForm } from './forms';
import type { Machine, Tracer } from './machine';
import type { CompiledFunc, Instance } from './runtime';

interface Node {
  id: number;
  funcIndex: number;
  self: number;
  children: Map<number, Node>;
  parent: Node | undefined;
}

/** Where a function is shown: its name and the file and 0-based line of its definition. */
export interface ProfileSite {
  name: string;
  url: string;
  line: number;
  column: number;
}

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; scriptId: string; url: string; lineNumber: number; columnNumber: number }; hitCount: number; children: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export class Profiler {
  private readonly root: Node = { id: 1, funcIndex: -1, self: 0, children: new Map(), parent: undefined };
  private nextId = 2;
  /** The node of each frame depth on the current path. */
  private readonly path: Node[] = [];
  private readonly funcOf = new Map<CompiledFunc, number>();
  private detach: (() => void) | undefined;
  total = 0;

  constructor(private readonly machine: Machine, private readonly instance: Instance) {}

  /** Starts counting: compiles every function and puts a BREAK on each of its instructions. */
  start(): void {
    const sites: [CompiledFunc, number][] = [];
    for (const f of this.instance.funcs) {
      const c = f.compiled;
      if (c === undefined || f.instance !== this.instance) continue;
      this.funcOf.set(c, f.index);
      // unfused code indices: pushTracer unfuses each function, so every instruction is counted
      for (const pc of plainForm(c).pcs) sites.push([c, pc]);
    }
    const tracer: Tracer = { hit: (c, _pc, depth) => this.count(c, depth) };
    this.detach = this.machine.pushTracer(tracer, sites);
  }

  stop(): void {
    this.detach?.();
    this.detach = undefined;
  }

  private count(c: CompiledFunc, depth: number): undefined {
    const path = this.path;
    const funcIndex = this.funcOf.get(c);
    if (funcIndex === undefined) return undefined;
    if (path.length > depth + 1) path.length = depth + 1;
    let node = path[depth];
    if (node === undefined || node.funcIndex !== funcIndex || path.length < depth + 1) {
      // A call (one deeper), a tail call (same depth, other function) or the first instruction.
      const parent = depth > 0 ? path[depth - 1] ?? this.root : this.root;
      let child = parent.children.get(funcIndex);
      if (child === undefined) {
        child = { id: this.nextId++, funcIndex, self: 0, children: new Map(), parent };
        parent.children.set(funcIndex, child);
      }
      node = child;
      path[depth] = node;
    }
    node.self++;
    this.total++;
    return undefined;
  }

  /** Instructions executed in each function itself (all call paths together). */
  selfCounts(): Map<number, number> {
    const out = new Map<number, number>();
    const walk = (n: Node): void => {
      if (n.funcIndex >= 0) out.set(n.funcIndex, (out.get(n.funcIndex) ?? 0) + n.self);
      for (const c of n.children.values()) walk(c);
    };
    walk(this.root);
    return out;
  }

  /** The call tree as a .cpuprofile: each node's hitCount and time (µs) are its own instructions. */
  toCpuProfile(site: (funcIndex: number) => ProfileSite): CpuProfile {
    const nodes: CpuProfile['nodes'] = [];
    const samples: number[] = [];
    const timeDeltas: number[] = [];
    const walk = (n: Node): void => {
      const s = n.funcIndex < 0 ? { name: '(root)', url: '', line: -1, column: -1 } : site(n.funcIndex);
      nodes.push({
        id: n.id,
        callFrame: { functionName: s.name, scriptId: n.funcIndex < 0 ? '0' : String(n.funcIndex + 1), url: s.url, lineNumber: s.line, columnNumber: s.column },
        hitCount: n.self,
        children: [...n.children.values()].map((c) => c.id),
      });
      if (n.self > 0) {
        samples.push(n.id);
        timeDeltas.push(n.self);
      }
      for (const c of n.children.values()) walk(c);
    };
    walk(this.root);
    // Each sample's delta is the time before it: shift so every node's time is its own count.
    const deltas = samples.length > 0 ? [0, ...timeDeltas.slice(0, -1)] : [];
    return { nodes, startTime: 0, endTime: this.total, samples, timeDeltas: deltas };
  }
}
