// Time travel for one machine and its instance: snapshots at intervals (memory by 64 KiB pages, GC
// objects by their words, each shared with the previous snapshot when unchanged) and a log of every host call's result and memory writes.
// Going back restores the nearest earlier snapshot and replays forward to the exact point with host
// calls answered from the log (no output twice, no input read twice); past the log's end calls go live.
import { runTicks } from './engine-calls';
import { plainForm } from './forms';
import { instrAtOrAfter, offsetAt, type Machine, type MachinePoint, type MachineState, type Tracer } from './machine';
import { PAGE_SIZE, WOULD_BLOCK, type CompiledFunc, type HostFunction, type Instance, type MemoryInstance } from './runtime';
import { GcArray, GcStruct, allocationCount, setAllocationCount } from './gc-objects';

/** The memory ranges `[address, length]` a host call may write, from its arguments, read before the
 * call; 'all' compares the whole memory before and after (for calls whose writes are not known). */
export type HostWrites = (args: readonly unknown[], memory: DataView) => [number, number][] | 'all';

/** One host call's outcome and the memory it wrote: enough to answer it again without the host. */
export interface HostEntry {
  result?: unknown;
  threw?: { error: unknown };
  writes: { at: number; bytes: Uint8Array }[];
}

/** Calls a host function and captures its result (or error) and what it wrote to `mem` (the
 * ranges `writes` names, or a whole-memory comparison). A WOULD_BLOCK answer writes nothing. */
export function captureHostCall(call: (...a: unknown[]) => unknown, args: unknown[], mem: MemoryInstance | undefined, writes?: HostWrites): HostEntry {
  let regions: [number, number][] | 'all' = [];
  if (mem !== undefined && writes !== undefined) {
    try {
      regions = writes(args, mem.dv);
    } catch {
      regions = 'all'; // a bad pointer: the call traps or fails; compare everything to be sure
    }
  }
  const before = regions === 'all' && mem !== undefined ? mem.u8.slice() : undefined;
  const entry: HostEntry = { writes: [] };
  try {
    entry.result = call(...args);
  } catch (error) {
    entry.threw = { error };
  }
  if (!entry.threw && entry.result === WOULD_BLOCK) return entry;
  if (mem !== undefined) {
    const u8 = mem.u8;
    if (before !== undefined) entry.writes = diffRanges(before, u8);
    else if (regions !== 'all') {
      for (const [at, len] of regions) {
        const end = Math.min(u8.length, at + len);
        if (at >= 0 && at < end) entry.writes.push({ at, bytes: u8.slice(at, end) });
      }
    }
  }
  return entry;
}

/** Answers a host call from its entry: the memory it wrote, then its result (or its error again). */
export function replayHostCall(entry: HostEntry, mem: MemoryInstance | undefined): unknown {
  if (mem !== undefined) for (const w of entry.writes) mem.u8.set(w.bytes, w.at);
  if (entry.threw) throw entry.threw.error;
  return entry.result;
}

interface Page {
  bytes: Uint8Array;
  refs: number;
}

interface Snapshot {
  point: MachinePoint;
  state: MachineState;
  /** Absolute index of the next host call. */
  host: number;
  memories: { length: number; pages: Page[] }[];
  globals: Int32Array[];
  tables: unknown[][];
  elemSegs: (unknown[] | null)[];
  dataSegs: (Uint8Array | null)[];
  /** The GC heap: each struct's and array's words (a copy shared with the previous snapshot while
   * unchanged). Objects made later are unreachable from the restored state, so they are not kept. */
  heap: Map<GcStruct | GcArray, Int32Array>;
  /** GC objects allocated so far (a replay numbers its new objects from here). */
  allocations: number;
  /** Bytes this snapshot holds besides shared pages. */
  own: number;
  extra: unknown;
}

/** Where to look: every instruction of a function, or some of its instruction offsets. */
export interface Site {
  funcIndex: number;
  offsets?: readonly number[];
}

/** A time the machine passed a site. `depth` is the machine's (0 = entry frame). */
export interface Hit extends MachinePoint {
  funcIndex: number;
  offset: number;
}

export interface RecorderOptions {
  /** Bound on the snapshots' memory, in bytes (default 512 MiB); the oldest history goes first. */
  maxBytes?: number;
  /** Least engine time between snapshots, in ms (default 1.5); at least 20× the last snapshot's cost.
   * Recorded time runs fused code, a replay often unfused (2-4× slower), so a window between
   * snapshots costs a step back a few times its recording time. */
  minIntervalMs?: number;
}

/** State outside the machine and instance that a snapshot must carry (a target's call sequence). */
export interface ExtraState {
  save(): unknown;
  restore(saved: unknown): void;
  /** The machine finished a call: start the program's next one (true), or it has ended (false). */
  next?(): boolean;
}

/** Code positions (by compiled function; unfused code indices, forms.ts) where a tracer looks. */
export type SiteSet = Map<CompiledFunc, Set<number>>;

/** The code positions of `sites` in an instance: every instruction of a function, or some offsets. */
export function siteSet(instance: Instance, sites: readonly Site[]): SiteSet {
  const set: SiteSet = new Map();
  for (const site of sites) {
    const c = instance.funcs[site.funcIndex]?.compiled;
    if (c === undefined) continue;
    const form = plainForm(c);
    let pcs = set.get(c);
    if (pcs === undefined) set.set(c, (pcs = new Set()));
    if (site.offsets === undefined) {
      for (const pc of form.pcs) pcs.add(pc);
      continue;
    }
    for (const offset of site.offsets) {
      const i = instrAtOrAfter(form, offset);
      if (i >= 0 && form.offsetBase + form.offsets[i]! === offset) pcs.add(form.pcs[i]!);
    }
  }
  return set;
}

function samePoint(a: MachinePoint, b: MachinePoint): boolean {
  return a.ticks === b.ticks && a.depth === b.depth && a.func === b.func && a.pc === b.pc;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const n = a.length >> 2;
  const a32 = new Int32Array(a.buffer, a.byteOffset, n);
  const b32 = new Int32Array(b.buffer, b.byteOffset, n);
  for (let i = 0; i < n; i++) if (a32[i] !== b32[i]) return false;
  for (let i = n << 2; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameWords(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Byte ranges where `after` differs from `before` (same length), as copies of the new bytes. */
function diffRanges(before: Uint8Array, after: Uint8Array): { at: number; bytes: Uint8Array }[] {
  const out: { at: number; bytes: Uint8Array }[] = [];
  const n = Math.min(before.length, after.length);
  let i = 0;
  while (i < n) {
    if (before[i] === after[i]) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && before[i] !== after[i]) i++;
    out.push({ at: start, bytes: after.slice(start, i) });
  }
  return out;
}

/** Most ticks a replay runs in one engine call: the debugger turns V8's on-stack replacement off
 * while it travels (debugger/runtime.ts), so the engine's loop is optimised where it is entered. */
export class Recorder {
  private readonly snapshots: Snapshot[] = [];
  /** The state where the last tail look-back began (see replay). */
  private scratch: Snapshot | undefined;
  private log: HostEntry[] = [];
  /** Absolute index of log[0] (earlier entries went with the oldest snapshots). */
  private logBase = 0;
  /** Absolute index of the next host call. */
  private cursor = 0;
  private bytes = 0;
  private sinceSnapshotMs = 0;
  private lastCostMs = 0;
  private readonly maxBytes: number;
  private readonly minIntervalMs: number;
  /** The oldest history was dropped to stay within maxBytes. */
  truncatedStart = false;
  extra: ExtraState | undefined;

  constructor(readonly machine: Machine, readonly instance: Instance, options: RecorderOptions = {}) {
    this.maxBytes = options.maxBytes ?? 512 * 1024 * 1024;
    this.minIntervalMs = options.minIntervalMs ?? 1.5;
  }

  // ---- host calls -------------------------------------------------------------------------

  /** Wraps a host function so its results are logged live and answered from the log in replay. */
  wrapHost(fn: HostFunction, writes?: HostWrites): HostFunction {
    const call = fn as (...a: unknown[]) => unknown;
    return ((...args: unknown[]): unknown => {
      const logged = this.log[this.cursor - this.logBase];
      if (logged !== undefined) {
        this.cursor++;
        return replayHostCall(logged, this.instance.memories[0]);
      }
      const entry = captureHostCall(call, args, this.instance.memories[0], writes);
      if (!entry.threw && entry.result === WOULD_BLOCK) return WOULD_BLOCK; // it is called again
      this.log.push(entry);
      this.cursor++;
      if (entry.threw) throw entry.threw.error;
      return entry.result;
    }) as HostFunction;
  }

  /** Whether host calls are being answered from the log (the machine is in recorded time). */
  get replaying(): boolean {
    return this.cursor - this.logBase < this.log.length;
  }

  // ---- snapshots ----------------------------------------------------------------------------

  /** After a live engine call that took `ms`: snapshots when enough engine time has passed. */
  ran(ms: number): void {
    this.sinceSnapshotMs += ms;
    if (this.sinceSnapshotMs < Math.max(this.minIntervalMs, 20 * this.lastCostMs)) return;
    if (this.snapshot()) this.sinceSnapshotMs = 0;
  }

  /** Snapshots the current point if it is past the last snapshot; false when it is not. */
  snapshot(): boolean {
    const point = this.machine.position();
    if (point === undefined) return false;
    const last = this.snapshots[this.snapshots.length - 1];
    if (last !== undefined && point.ticks <= last.point.ticks) return false;
    const t0 = performance.now();
    this.snapshots.push(this.capture(point, last));
    this.dropOldest();
    this.lastCostMs = performance.now() - t0;
    return true;
  }

  /** The state now. With `last`, pages equal to its pages are shared (and counted in `bytes`);
   * without, everything is copied and not counted (a scratch snapshot). */
  private capture(point: MachinePoint, last: Snapshot | undefined): Snapshot {
    const counted = last !== undefined || this.snapshots.length === 0;
    let own = 0;
    const memories = this.instance.memories.map((mem, k) => {
      const prev = last?.memories[k];
      const u8 = mem.u8;
      const pages: Page[] = [];
      for (let at = 0, p = 0; at < u8.length; at += PAGE_SIZE, p++) {
        const now = u8.subarray(at, Math.min(u8.length, at + PAGE_SIZE));
        const old = prev?.pages[p];
        if (old !== undefined && sameBytes(old.bytes, now)) {
          old.refs++;
          pages.push(old);
        } else {
          pages.push({ bytes: now.slice(), refs: counted ? 1 : 0 });
          if (counted) this.bytes += now.length;
        }
      }
      return { length: u8.length, pages };
    });
    const state = this.machine.saveState();
    own += state.stack.byteLength + 64 * (state.depth + 1);
    const tables = this.instance.tables.map((t) => t.elements.slice());
    for (const t of tables) own += 8 * t.length;
    const heap = new Map<GcStruct | GcArray, Int32Array>();
    const refs = this.instance.store.entries();
    for (let h = 1; h < refs.length; h++) {
      const o = refs[h];
      if (!(o instanceof GcStruct) && !(o instanceof GcArray)) continue;
      const old = last?.heap.get(o);
      if (old !== undefined && sameWords(old, o.words)) heap.set(o, old);
      else {
        heap.set(o, o.words.slice());
        own += o.words.byteLength;
      }
    }
    own += 16 * heap.size;
    if (counted) this.bytes += own;
    return {
      point, state, host: this.cursor, memories,
      globals: this.instance.globals.map((g) => g.w.slice()),
      tables,
      elemSegs: this.instance.elemSegs.slice(),
      dataSegs: this.instance.dataSegs.slice(),
      heap,
      allocations: allocationCount(),
      own,
      extra: this.extra?.save(),
    };
  }

  private dropOldest(): void {
    while (this.bytes > this.maxBytes && this.snapshots.length > 1) {
      const s = this.snapshots.shift()!;
      this.bytes -= s.own;
      for (const m of s.memories) for (const p of m.pages) if (--p.refs === 0) this.bytes -= p.bytes.length;
      const first = this.snapshots[0]!;
      this.log.splice(0, first.host - this.logBase);
      this.logBase = first.host;
      this.truncatedStart = true;
      if (this.scratch !== undefined && this.scratch.host < this.logBase) this.scratch = undefined;
    }
  }

  /** Bytes the history holds now. */
  get size(): number {
    return this.bytes;
  }

  get snapshotCount(): number {
    return this.snapshots.length;
  }

  /** The earliest point that can be gone back to. */
  get start(): MachinePoint | undefined {
    return this.snapshots[0]?.point;
  }

  private restore(s: Snapshot): void {
    this.machine.restoreState(s.state);
    this.instance.memories.forEach((mem, k) => {
      const saved = s.memories[k];
      if (saved === undefined) return;
      if (mem.buffer.byteLength !== saved.length) {
        // memory.grow since: back to the old size (a new buffer, as grow makes one)
        mem.reset(saved.length / PAGE_SIZE);
      }
      saved.pages.forEach((p, i) => mem.u8.set(p.bytes, i * PAGE_SIZE));
    });
    this.instance.globals.forEach((g, k) => {
      const w = s.globals[k];
      if (w !== undefined) g.w.set(w);
    });
    this.instance.tables.forEach((t, k) => {
      const e = s.tables[k];
      if (e !== undefined) t.elements = e.slice();
    });
    this.instance.elemSegs = s.elemSegs.slice();
    this.instance.dataSegs = s.dataSegs.slice();
    for (const [o, words] of s.heap) o.words.set(words);
    setAllocationCount(s.allocations);
    this.cursor = s.host;
    this.extra?.restore(s.extra);
  }

  /** The state changed by hand (a variable or memory set) in recorded time: the recorded future no
   * longer follows, so it is dropped and host calls go live from here. */
  forgetFuture(): void {
    this.scratch = undefined;
    const now = this.machine.ticks;
    while (this.snapshots.length > 1 && this.snapshots[this.snapshots.length - 1]!.point.ticks > now) {
      const s = this.snapshots.pop()!;
      this.bytes -= s.own;
      for (const m of s.memories) for (const p of m.pages) if (--p.refs === 0) this.bytes -= p.bytes.length;
    }
    this.log.length = Math.max(0, this.cursor - this.logBase);
  }

  // ---- going back ---------------------------------------------------------------------------

  private siteSet(sites: readonly Site[]): SiteSet {
    return siteSet(this.instance, sites);
  }

  private hitAt(p: MachinePoint): Hit {
    return { ...p, funcIndex: p.func.index, offset: offsetAt(plainForm(p.func.compiled!), p.pc) };
  }

  /** Index of the snapshot to replay from to reach `goal`, or -1 when it is before the history. */
  private snapshotBefore(goal: MachinePoint): number {
    for (let k = this.snapshots.length - 1; k >= 0; k--) {
      const p = this.snapshots[k]!.point;
      if (p.ticks < goal.ticks || samePoint(p, goal)) return k;
    }
    // Within the first snapshot's tick the order is unknown: try it (the replay says if it was not).
    return this.snapshots.length > 0 && this.snapshots[0]!.point.ticks === goal.ticks ? 0 : -1;
  }

  /**
   * Restores snapshot `k` and runs to `goal` with host calls replayed, collecting the passes of
   * `sites` at depth ≤ maxDepth on the way (the goal itself excluded), from tick `fromTicks` on (the
   * run there is plain, at full speed). Returns the point the collecting began at, or undefined when
   * the goal is not reached (it is not later than the snapshot).
   */
  private replay(s: Snapshot, goal: MachinePoint, sites?: SiteSet, maxDepth = Infinity, hits?: Hit[], fromTicks = -1): MachinePoint | undefined {
    this.restore(s);
    if (samePoint(s.point, goal)) return s.point;
    if (goal.ticks < s.point.ticks) return undefined;
    const m = this.machine;
    const goalC = goal.func.compiled!;
    const funcs = this.instance.funcs;
    try {
      if (fromTicks > s.point.ticks && fromTicks < goal.ticks) {
        // Steps and breakpoints have no say in a replay: a tracer that answers no to every BREAK.
        const pop = m.pushTracer({ hit: () => false });
        try {
          let r = runTicks(m, fromTicks - s.point.ticks);
          while (r.reason === 'finished' && this.extra?.next?.() === true) r = runTicks(m, fromTicks - m.ticks);
        } finally {
          pop();
        }
      }
      const begin = m.position();
      if (begin === undefined) return undefined;
      if (samePoint(begin, goal)) return begin;
      // A tail replay began later than its snapshot: keep that state, so going to a hit in the tail
      // (what a step back does next) replays the tail only.
      if (hits !== undefined && begin.ticks > s.point.ticks) this.scratch = this.capture(begin, undefined);
      // The run resumes past the instruction it stands on: the start counts here or never.
      if (hits !== undefined && begin.depth <= maxDepth && sites?.get(begin.func.compiled!)?.has(begin.pc)) hits.push(this.hitAt(begin));
      let reached = false;
      const tracer: Tracer = {
        hit: (c, pc, depth, ticks) => {
          if (ticks === goal.ticks && depth === goal.depth && pc === goal.pc && c === goalC) {
            reached = true;
            return true;
          }
          if (ticks > goal.ticks) return true;
          if (hits !== undefined && depth <= maxDepth && sites?.get(c)?.has(pc)) {
            const func = funcs[c.funcIndex]!;
            hits.push({ ticks, depth, func, pc, funcIndex: func.index, offset: offsetAt(plainForm(c), pc) });
          }
          return false;
        },
      };
      const patches: [CompiledFunc, number][] = [[goalC, goal.pc]];
      if (sites !== undefined) for (const [c, pcs] of sites) for (const pc of pcs) patches.push([c, pc]);
      const pop = m.pushTracer(tracer, patches);
      try {
        let r = runTicks(m, goal.ticks - m.ticks + 1);
        while (!reached && r.reason === 'finished' && this.extra?.next?.() === true) r = runTicks(m, goal.ticks - m.ticks + 1);
      } finally {
        pop();
      }
      return reached ? begin : undefined;
    } catch {
      return undefined; // an exit or host error replayed before the goal: the goal is not in this window
    }
  }

  /** Puts the machine at an earlier point (a Hit, or the start of history). */
  goTo(point: MachinePoint): void {
    const sc = this.scratch;
    if (sc !== undefined && (sc.point.ticks < point.ticks || samePoint(sc.point, point)) && this.replay(sc, point) !== undefined) return;
    const k = this.snapshotBefore(point);
    if (k < 0 || this.replay(this.snapshots[k]!, point) === undefined) throw new Error(`internal error: cannot replay to tick ${point.ticks}`);
  }

  /** Back to the oldest point recorded. */
  goToStart(): void {
    const s = this.snapshots[0];
    if (s !== undefined) this.restore(s);
  }

  /**
   * The passes of `sites` (at machine depth ≤ maxDepth) before now, newest first. Each window between
   * snapshots is replayed when the iteration reaches it; the machine is left anywhere: end with goTo
   * (or goToStart). With `tail`, a window is looked at from its end backwards in spans of 4, 32, 256...
   * ticks, each reached by a plain replay: a step back in a hot loop then traces a few ticks, not a
   * whole window.
   */
  *hitsBefore(sites: readonly Site[], maxDepth = Infinity, tail = false): Generator<Hit> {
    let end = this.machine.position();
    if (end === undefined) return;
    this.scratch = undefined;
    const set = this.siteSet(sites);
    let k = this.snapshotBefore(end);
    if (k >= 0 && samePoint(this.snapshots[k]!.point, end)) k--;
    while (k >= 0) {
      const start = this.snapshots[k]!.point;
      // 4 ticks: a few loop iterations, so a line step back seldom needs a second look.
      let span = 4;
      let subEnd = end;
      for (;;) {
        const from = tail ? subEnd.ticks - span : -1;
        const hits: Hit[] = [];
        const begin = this.replay(this.snapshots[k]!, subEnd, set, maxDepth, hits, from > start.ticks ? from : -1);
        if (begin === undefined) return;
        for (let i = hits.length - 1; i >= 0; i--) yield hits[i]!;
        if (samePoint(begin, start)) break;
        subEnd = begin;
        span *= 8;
      }
      end = start;
      k--;
    }
  }
}
