// The debugger's view of a running program: the narrow slice of core/interp's Machine, instance
// and module that the runtime needs, so the rest of debugger/ codes against one small interface.
import type { Profiler, Value } from '../core/interp';
import type { RefNames } from './gc-values';

export type { Value };

export type ValueType = Value['type'];

export type StepResult =
  | { reason: 'finished'; results: Value[] }
  | { reason: 'breakpoint' }
  | { reason: 'step' }
  | { reason: 'budget' }
  | { reason: 'trap'; message: string; funcIndex?: number; offset?: number; exhausted?: true }
  /** A Wasm exception no handler caught: the machine stays at its throw. */
  | { reason: 'exception'; message: string; thrown: ThrownView }
  | { reason: 'blocked' }
  | { reason: 'exit'; code: number }
  /** The start function returned and the entry function begins (at its first instruction). */
  | { reason: 'entered' };

/** A thrown Wasm exception: its tag's name and payload (with the tag's parameter types). */
export interface ThrownView {
  tag: string;
  payload: Value[];
  types: number[];
  /** A handler in the stack catches it. */
  caught: boolean;
}

export interface FrameView {
  funcIndex: number;
  /** Module-relative byte offset of the instruction the frame is at (the next to execute). */
  offset: number;
  /** Entered by a tail call: the function index of the frame it replaced (the machine records it). */
  tailCallOf?: number;
}

export interface LocalView {
  index: number;
  name?: string;
  type: ValueType;
  value: Value;
  isParam: boolean;
  /** The declared value type (core/types code, canonical ids): a null shows its `(ref null $t)`. */
  valType?: number;
}

export interface GlobalView {
  index: number;
  name?: string;
  type: ValueType;
  mutable: boolean;
  value: Value;
  /** The declared value type (core/types code, canonical ids). */
  valType?: number;
}

export interface TableView {
  index: number;
  name?: string;
  elemType: 'funcref' | 'externref';
  elements: Value[];
}

/** A time the program passed a place, found by looking back (depth in frames, 1 = entry function). */
export interface HitView {
  funcIndex: number;
  offset: number;
  depth: number;
  ticks: number;
  point: unknown;
}

/** Going back in time over the recorded execution. */
export interface TimeTravel {
  /** Passes of the sites (whole functions, or some offsets) before now at depth ≤ maxDepth, newest
   * first; the program is left anywhere until goTo or goToStart. `tail`: the nearest are wanted
   * (a step back), so each stretch of history is searched from its end. */
  hitsBefore(sites: { funcIndex: number; offsets?: readonly number[] }[], maxDepth?: number, tail?: boolean): Iterable<HitView>;
  goTo(hit: HitView): void;
  goToStart(): void;
  /** Where the program is now, as a moment (`point` compared with `samePlace`). */
  now(): unknown;
  samePlace(a: unknown, b: unknown): boolean;
  /** The oldest history was dropped to stay within the memory bound. */
  readonly truncatedStart: boolean;
  /** The program is in recorded time (running forward replays). */
  readonly replaying: boolean;
}

/**
 * A started program that can be run in slices, stepped and inspected. `budget` is the engine's
 * fuel; a step that spends it returns 'budget' and the next `run` carries on with the same step.
 */
export interface DebugTarget {
  run(budget: number): StepResult;
  /** One instruction, entering calls. */
  stepInstruction(budget: number): StepResult;
  /** One instruction, running calls to completion (breakpoints inside still stop). */
  stepOver(budget: number): StepResult;
  /** Until the current function returns. */
  stepOut(budget: number): StepResult;
  /** Returns the offset it bound to (the next instruction the engine keeps), if any. `temporary`:
   * a line step's waypoint, for the thread that steps only (the others run past it). */
  setBreakpoint(funcIndex: number, offset: number, temporary?: boolean): number | undefined;
  clearBreakpoint(funcIndex: number, offset: number): void;
  /** Innermost first. */
  frames(): FrameView[];
  depth(): number;
  locals(frame: number): LocalView[];
  operandStack(frame: number): Value[];
  /** The static types of operandStack(frame)'s values (core/types codes), bottom first. */
  operandTypes?(frame: number): number[];
  /** Names of GC types, fields and tags (for structs, arrays and exceptions in the views). */
  readonly refNames?: RefNames;
  setLocal(frame: number, index: number, value: Value): void;
  setStackValue(frame: number, index: number, value: Value): void;
  globals(): GlobalView[];
  setGlobal(index: number, value: Value): void;
  /** Current bytes of memory `index` (a live view; refetch after a run, memory may grow). */
  memory(index: number): Uint8Array | undefined;
  memoryCount(): number;
  /** The index of the memory the name section calls `name` (without `$`). */
  memoryIndex?(name: string): number | undefined;
  /** memory64: memory `index` takes i64 addresses (shown with 16 hex digits). */
  memoryIs64?(index: number): boolean;
  /** The function the outermost frame was called as (the start function, then the entry), so a
   * tail call that replaced it shows. */
  entryFunction?(): number | undefined;
  tables(): TableView[];
  /** Memory was written by hand (the recorded future no longer follows). */
  memoryChanged?(): void;
  /** Stopped before a throw, throw_ref or rethrow: what it throws and whether it is caught. */
  thrownHere?(): ThrownView | undefined;
  /** Present when the execution is recorded (time travel). */
  readonly history?: TimeTravel;
  /** Present when the run is profiled (the `profile` launch option). */
  readonly profiler?: Profiler;
  /** wasi-threads: the program's live threads, main first (absent: one thread, `main`). Frames,
   * locals, the operand stack, globals and steps are those of the selected thread. */
  threads?(): ThreadView[];
  /** The selected thread: the one that stopped last, or the one the client asked about. */
  selectedThread?(): number;
  selectThread?(id: number): void;
  /** A component: the calls at its boundary (the export being run, the last call out through the canonical ABI). */
  componentCalls?(): ComponentCallView[];
}

/** A call across the component boundary, with its WIT values by parameter name. */
export interface ComponentCallView {
  /** What the call is to the program: `export` (the run being debugged) or `last host call`. */
  role: string;
  /** The component function (`wasi:cli/run@0.2.12#run`). */
  name: string;
  params: { name: string; type: string; value: string }[];
  /** Absent while the call is under way (or when it returns nothing). */
  result?: { type: string; value: string };
}

export interface ThreadView {
  /** 0 = main; spawned threads count from 1 (their wasi-threads tid). */
  id: number;
  name: string;
}
