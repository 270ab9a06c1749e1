// Exception handling at run time: tag instances, exception packages (a tag and its payload words),
// and the handler tables the compiler builds per function (code ranges resolved at compile time,
// searched only when something is thrown: a throw costs nothing on the paths that do not throw).
import type { FuncType } from '../binary/module';
import { canonType, type CanonType } from '../types';
import { slotWords } from '../validate/function-body';
import { typeIdOf } from './runtime';
import type { Store } from './store';
import type { Value } from './values';

/** A tag (exception handling): its identity is the object; imports share the exporter's. */
export class TagInstance {
  readonly kind = 'tag';
  readonly typeId: number;
  /** Keeps the tag's canonical type registered while the tag lives (core/types). */
  readonly canon: CanonType;
  /** Value-stack words of the payload. */
  readonly words: number;
  constructor(readonly type: FuncType, readonly name?: string) {
    this.typeId = typeIdOf(type);
    this.canon = canonType(this.typeId);
    let w = 0;
    for (const t of type.params) w += slotWords(t);
    this.words = w;
  }
}

/** A thrown exception: the tag and its payload as value-stack words (laid out like operands). */
export class ExceptionPackage {
  /** `store`: the one the payload's reference handles belong to (the throwing instance's). */
  constructor(readonly tag: TagInstance, readonly words: Int32Array, readonly store: Store) {}
}

/** One catch of a handler: where control goes and what it receives. */
export interface CatchClause {
  /** Module tag index to match, or -1 for catch_all / catch_all_ref. */
  tag: number;
  /** Also push the exnref (catch_ref, catch_all_ref). */
  ref: boolean;
  /** Code index to continue at (a label's target, a legacy catch body, or the return stub). */
  target: number;
  /** Operand words (above the locals) to keep below the pushed payload. */
  base: number;
  /** Legacy catch: the frame slot that keeps the caught package for `rethrow`; else -1. */
  slot: number;
}

/** A code range guarded by a try_table, a legacy try body, or a legacy try…delegate. */
export interface Handler {
  /** [start, end) in code indices. */
  start: number;
  end: number;
  /** Nesting depth of the try in the function's control stack (the function itself is 0). */
  depth: number;
  /** Delegate: the depth of the label it delegates to (handlers deeper than it are skipped); else -1. */
  delegate: number;
  clauses: CatchClause[];
}

/** Sub-opcodes of Op.EH (one internal opcode for the family keeps the dispatch loop small). */
export const enum EhOp {
  Throw, // tag index
  ThrowRef,
  Rethrow, // legacy catch slot
}

/** Words Op.EH takes with its sub-opcode and immediates. */
export const EH_WIDTH: readonly number[] = [2, 1, 2];

/** The first clause of `handlers` that catches `tag` thrown at code index `pos`, or undefined. */
export function findCatch(handlers: readonly Handler[], tags: readonly TagInstance[], tag: TagInstance, pos: number): CatchClause | undefined {
  let limit = Infinity;
  for (const h of handlers) {
    if (pos < h.start || pos >= h.end || h.depth > limit) continue;
    if (h.delegate >= 0) {
      limit = h.delegate;
      continue;
    }
    for (const c of h.clauses) if (c.tag < 0 || tags[c.tag] === tag) return c;
  }
  return undefined;
}

/** `(i32 42) (f64 1.5)`: a payload as the message of an uncaught exception shows it. */
export function payloadText(values: readonly Value[]): string {
  return values.map((v) => {
    switch (v.type) {
      case 'i32': case 'i64': return `(${v.type} ${v.value})`;
      case 'f32': {
        const f = new Float32Array(new Uint32Array([v.bits]).buffer)[0]!;
        return `(f32 ${f})`;
      }
      case 'f64': {
        const f = new Float64Array(new BigUint64Array([v.bits]).buffer)[0]!;
        return `(f64 ${f})`;
      }
      case 'v128': return `(v128 ${[...v.bytes].map((b) => b.toString(16).padStart(2, '0')).join('')})`;
      default: return `(${v.type} ${v.value === null ? 'null' : 'ref'})`;
    }
  }).join(' ');
}
