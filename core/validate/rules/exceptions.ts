// Validation of exception handling: Wasm 3.0's throw/throw_ref/try_table and the legacy
// try/catch/catch_all/rethrow/delegate, over the body validator's operand and control stacks.
import { ValType, type FuncType } from '../../binary/module';
import { CatchKind } from '../../binary/opcodes';
import type { InstrReader } from '../../binary/instructions';
import { tagTypeOf } from '../context';
import { HeapCode, matchValType, refOf } from '../../types';
import type { FunctionValidator } from '../function-body';

/** Control-frame kinds of the legacy form (the opcodes that open them). */
export const KIND_TRY = 0x06;
export const KIND_CATCH = 0x07;
export const KIND_CATCH_ALL = 0x19;
export const KIND_TRY_TABLE = 0x1f;

function tagType(v: FunctionValidator, tag: number): FuncType {
  return tagTypeOf(v.ctx, tag, v.offset, v.funcIndex);
}

/** `(ref exn)`: the _ref catch clauses never hand over a null exnref. */
const EXN_REF = refOf(false, HeapCode.exn) as ValType;

/** What a try_table catch clause hands its label: the tag's params, then an exnref for the _ref forms. */
export function catchClauseTypes(v: FunctionValidator, kind: number, tag: number): ValType[] {
  const params = kind === CatchKind.Catch || kind === CatchKind.CatchRef ? tagType(v, tag).params : [];
  return kind === CatchKind.CatchRef || kind === CatchKind.CatchAllRef ? [...params, EXN_REF] : params;
}

/** A catch clause's values fit its label when each is a subtype of the label's (try_table.wast:
 * a `(ref $t)` tag parameter goes to a `(ref null $t)` block result). */
function matchTypes(a: readonly ValType[], b: readonly ValType[]): boolean {
  return a.length === b.length && a.every((t, i) => matchValType(t, b[i]!));
}

/** Checks one exception-handling instruction (its opcode is one of those listed in function-body.ts). */
export function checkException(v: FunctionValidator, ir: InstrReader): void {
  switch (ir.op) {
    case 0x08: { // throw x
      v.popAll(tagType(v, ir.a).params);
      v.setUnreachable();
      return;
    }
    case 0x0a: // throw_ref
      v.pop(ValType.exnref);
      v.setUnreachable();
      return;
    case 0x1f: { // try_table bt catch*
      const bt = v.blockType(ir.a);
      const list = ir.list;
      // Catch labels are resolved outside the try_table (its own label is not yet pushed).
      for (let i = 0; i < list.length; i += 3) {
        const ts = catchClauseTypes(v, list[i]!, list[i + 1]!);
        const target = v.label(list[i + 2]!);
        const want = v.labelTypes(target);
        if (!matchTypes(ts, want)) {
          const list = (xs: readonly number[]): string => `[${xs.map((t) => v.typeText(t)).join(', ')}]`;
          v.error(`type mismatch: catch clause ${i / 3} passes ${list(ts)} but its label takes ${list(want)}`);
        }
      }
      v.popAll(bt.params);
      v.pushCtrl(KIND_TRY_TABLE, bt.params, bt.results);
      return;
    }
    case 0x06: { // try bt (legacy)
      const bt = v.blockType(ir.a);
      v.popAll(bt.params);
      v.pushCtrl(KIND_TRY, bt.params, bt.results);
      return;
    }
    case 0x07: { // catch x (legacy)
      const t = tagType(v, ir.a);
      const f = v.popCtrl();
      if (f.kind !== KIND_TRY && f.kind !== KIND_CATCH) v.error('catch found outside a try block');
      v.pushCtrl(KIND_CATCH, t.params, f.results);
      return;
    }
    case 0x19: { // catch_all (legacy)
      const f = v.popCtrl();
      if (f.kind !== KIND_TRY && f.kind !== KIND_CATCH) v.error('catch_all found outside a try block');
      v.pushCtrl(KIND_CATCH_ALL, [], f.results);
      return;
    }
    case 0x18: { // delegate l (legacy): ends a try without catches; l counts from outside it
      const f = v.popCtrl();
      if (f.kind !== KIND_TRY) v.error('delegate found outside a try block');
      v.label(ir.a);
      v.pushAll(f.results);
      return;
    }
    case 0x09: { // rethrow l (legacy): l must name an enclosing catch or catch_all
      const f = v.label(ir.a);
      if (f.kind !== KIND_CATCH && f.kind !== KIND_CATCH_ALL) v.error('invalid rethrow label');
      v.setUnreachable();
      return;
    }
  }
}
