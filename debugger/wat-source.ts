// Assembles a .wat program with core/text and turns its instruction → text-range map into the
// debugger's positions, so breakpoints on .wat lines bind to exact instructions.
import type { Mapped, ProgramSource } from './code-map';
import { LaunchError } from './program';

export function assembleWat(_text: string, file: string, _source: ProgramSource): { bytes: Uint8Array; positions: Map<number, Mapped> } {
  throw new LaunchError(`Cannot debug '${file}': the WAT assembler is not available in this build yet.`);
}
