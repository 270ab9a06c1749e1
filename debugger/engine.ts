// The debugger's view of a running program: the narrow slice of core/interp's Machine, instance
// and module that the runtime needs, so the rest of debugger/ codes against one small interface.
export type FuncRef = unknown;

export type Value =
  | { type: 'i32'; value: number }
  | { type: 'i64'; value: bigint }
  | { type: 'f32'; bits: number }
  | { type: 'f64'; bits: bigint }
  | { type: 'v128'; bytes: Uint8Array }
  | { type: 'funcref'; value: FuncRef | null }
  | { type: 'externref'; value: unknown };

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

/** A started program that can be run in slices, stepped and inspected. */
export interface DebugTarget {
  run(budget: number): StepResult;
  stepInstruction(): StepResult;
  setBreakpoint(funcIndex: number, offset: number): void;
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
}
