// Validation of typed function references: call_ref, return_call_ref, ref.as_non_null,
// br_on_null, br_on_non_null (and ref.eq from GC), over the body validator's stacks.
import { ValType } from '../../binary/module';
import type { InstrReader } from '../../binary/instructions';
import { concreteHeap, isRef, matchValType, refOf, withNullable } from '../../types';
import { UNKNOWN, type FunctionValidator, type StackType } from '../function-body';

/** Pops a reference (any reference type); UNKNOWN in unreachable code. */
function popRef(v: FunctionValidator): StackType {
  const t = v.popAny();
  if (t !== UNKNOWN && !isRef(t)) v.error('type mismatch');
  return t;
}

export function checkTypedRef(v: FunctionValidator, ir: InstrReader): void {
  switch (ir.op) {
    case 0x14: case 0x15: {
      const t = v.funcType(ir.a);
      v.pop(refOf(true, concreteHeap(v.defType(ir.a).id)) as ValType);
      if (ir.op === 0x15) {
        v.tailCall(t);
        return;
      }
      v.popAll(t.params);
      v.pushAll(t.results);
      return;
    }
    case 0xd3:
      v.pop(ValType.eqref);
      v.pop(ValType.eqref);
      v.push(ValType.i32);
      return;
    case 0xd4: {
      const t = popRef(v);
      v.push(t === UNKNOWN ? UNKNOWN : (withNullable(t, false) as ValType));
      return;
    }
    case 0xd5: {
      const t = popRef(v);
      const ts = v.labelTypes(v.label(ir.a));
      v.popAll(ts);
      v.pushAll(ts);
      v.push(t === UNKNOWN ? UNKNOWN : (withNullable(t, false) as ValType));
      return;
    }
    case 0xd6: {
      const t = popRef(v);
      const ts = v.labelTypes(v.label(ir.a));
      const last = ts[ts.length - 1];
      if (last === undefined || !isRef(last)) v.error('type mismatch');
      if (t !== UNKNOWN && !matchValType(withNullable(t, false), last)) v.error('type mismatch');
      const rest = ts.slice(0, -1);
      v.popAll(rest);
      v.pushAll(rest);
      return;
    }
  }
}

