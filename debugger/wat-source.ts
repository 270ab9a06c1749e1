// Assembles a .wat program with core/text and turns its instruction → text-range map into the
// debugger's positions, so breakpoints on .wat lines bind to exact instructions.
import type { Features } from '../core/features';
import { watToBinary, ParseError } from '../core/text';
import type { Mapped, ProgramSource } from './code-map';
import { LaunchError } from './program';

export function assembleWat(text: string, file: string, source: ProgramSource, features: Features = {}): { bytes: Uint8Array; positions: Map<number, Mapped> } {
  let result;
  try {
    result = watToBinary(text, { features });
  } catch (err) {
    if (err instanceof ParseError) throw new LaunchError(`${file}:${err.range.start.line + 1}:${err.range.start.character + 1}: ${err.reason}`);
    throw new LaunchError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const map = result.sourceMap;
  const positions = new Map<number, Mapped>();
  for (const m of map.instrs) {
    // An implicit `end` has no text of its own; the runtime shows the nearest mapped instruction.
    if (m.implicit) continue;
    const r = map.rangeOf(m);
    positions.set(m.offset, {
      source,
      range: { line: r.start.line, column: r.start.character, endLine: r.end.line, endColumn: r.end.character },
    });
  }
  return { bytes: result.bytes, positions };
}
