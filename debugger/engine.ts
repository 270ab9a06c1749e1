// The debugger's view of a running program: the narrow slice of core/interp's Machine, instance
// and module that the runtime needs, so the rest of debugger/ codes against one small interface.
import type { Value } from '../core/interp';

export type { Value };

export type ValueType = Value['type'];

export type StepResult =
  | { reason: 'finished'; results: Value[] }
  | { reason: 'breakpoint' }
  | { reason: 'step' }
  | { reason: 'budget' }
  | { reason: 'trap'; message: string; funcIndex?: number; offset?: number }
  | { reason: 'blocked' }
  | { reason: 'exit'; code: number };

export interface FrameView {
  funcIndex: number;
  /** Module-relative byte offset of the instruction the frame is at (the next to execute). */
  offset: number;
}

export interface LocalView {
  index: number;
  name?: string;
  type: ValueType;
  value: Value;
  isParam: boolean;
}

export interface GlobalView {
  index: number;
  name?: string;
  type: ValueType;
  mutable: boolean;
  value: Value;
}

export interface TableView {
  index: number;
  name?: string;
  elemType: 'funcref' | 'externref';
  elements: Value[];
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
  /** Returns the offset it bound to (the next instruction the engine keeps), if any. */
  setBreakpoint(funcIndex: number, offset: number): number | undefined;
  clearBreakpoint(funcIndex: number, offset: number): void;
  /** Innermost first. */
  frames(): FrameView[];
  depth(): number;
  locals(frame: number): LocalView[];
  operandStack(frame: number): Value[];
  setLocal(frame: number, index: number, value: Value): void;
  setStackValue(frame: number, index: number, value: Value): void;
  globals(): GlobalView[];
  setGlobal(index: number, value: Value): void;
  /** Current bytes of memory `index` (a live view; refetch after a run, memory may grow). */
  memory(index: number): Uint8Array | undefined;
  memoryCount(): number;
  tables(): TableView[];
  /** wasi-threads: the program's live threads, main first (absent: one thread, `main`). Frames,
   * locals, the operand stack, globals and steps are those of the selected thread. */
  threads?(): ThreadView[];
  /** The selected thread: the one that stopped last, or the one the client asked about. */
  selectedThread?(): number;
  selectThread?(id: number): void;
}

export interface ThreadView {
  /** 0 = main; spawned threads count from 1 (their wasi-threads tid). */
  id: number;
  name: string;
}
