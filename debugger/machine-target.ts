// Instantiates a decoded module under WASI on core/interp's Machine and wraps the machine as the
// runtime's DebugTarget (frames, locals, stack, globals, memory, breakpoints, run/step).
import type { Module } from '../core/binary';
import type { DebugTarget, Value } from './engine';
import { LaunchError, type LaunchConfig, type OutputHooks } from './program';
import { StdinQueue } from './stdin-queue';

export interface TargetOptions {
  module: Module;
  bytes: Uint8Array;
  config: LaunchConfig;
  cwd: string;
  programPath: string;
  hooks: OutputHooks;
  funcName(index: number): string;
}

export interface StartedTarget {
  target: DebugTarget;
  stdin: StdinQueue;
  describeResults(results: Value[]): string | undefined;
}

export function startTarget(_options: TargetOptions): StartedTarget {
  throw new LaunchError('The interpreter is not available in this build yet.');
}
