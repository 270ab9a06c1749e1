// Validation of GC instructions (0xFB prefix): structs, arrays, i31, casts and the extern/any
// conversions, over the body validator's stacks with canonical types (core/types).
import { ValType } from '../../binary/module';
import type { InstrReader } from '../../binary/instructions';
import {
  concreteHeap, HeapCode, heapOf, isNullable, isPacked, isRef, matchValType, refOf, topOf, unpacked,
  type CanonType, type FieldType,
} from '../../types';
import { UNKNOWN, type FunctionValidator } from '../function-body';

function structDef(v: FunctionValidator, i: number): { t: CanonType; fields: FieldType[] } {
  const t = v.defType(i);
  if (t.comp.kind !== 'struct') v.error('type mismatch: not a struct type');
  return { t, fields: t.comp.fields };
}

function arrayDef(v: FunctionValidator, i: number): { t: CanonType; field: FieldType } {
  const t = v.defType(i);
  if (t.comp.kind !== 'array') v.error('type mismatch: not an array type');
  return { t, field: t.comp.field };
}

const ref = (nullable: boolean, id: number): ValType => refOf(nullable, concreteHeap(id)) as ValType;

function defaultable(t: number): boolean {
  return !isRef(t) || isNullable(t);
}

function field(v: FunctionValidator, fields: FieldType[], i: number): FieldType {
  const f = fields[i];
  if (f === undefined) v.error(`unknown field ${i}`);
  return f;
}

/** get vs get_s/get_u: packed fields need the sign, others must not have one. */
function checkPacked(v: FunctionValidator, f: FieldType, signed: boolean | undefined): void {
  if (isPacked(f.type) !== (signed !== undefined)) v.error(signed === undefined ? 'type mismatch: packed field' : 'type mismatch: field is not packed');
}

function isNumericOrVector(t: number): boolean {
  return isPacked(t) || (t >= 0x7b && t <= 0x7f);
}

/** A ref.test/ref.cast/br_on_cast operand type: the top of the target's hierarchy, nullable. */
function topRef(t: number): ValType {
  return refOf(true, topOf(heapOf(t))) as ValType;
}

export function checkGc(v: FunctionValidator, ir: InstrReader): void {
  const sub = ir.op & 0xffff;
  const ctx = v.ctx;
  switch (sub) {
    case 0: { // struct.new
      const { t, fields } = structDef(v, ir.a);
      for (let k = fields.length - 1; k >= 0; k--) v.pop(unpacked(fields[k]!.type) as ValType);
      v.push(ref(false, t.id));
      return;
    }
    case 1: { // struct.new_default
      const { t, fields } = structDef(v, ir.a);
      if (!fields.every((f) => defaultable(f.type))) v.error('type mismatch: field type is not defaultable');
      v.push(ref(false, t.id));
      return;
    }
    case 2: case 3: case 4: { // struct.get, _s, _u
      const { t, fields } = structDef(v, ir.a);
      const f = field(v, fields, ir.b);
      checkPacked(v, f, sub === 2 ? undefined : sub === 3);
      v.pop(ref(true, t.id));
      v.push(unpacked(f.type) as ValType);
      return;
    }
    case 5: { // struct.set
      const { t, fields } = structDef(v, ir.a);
      const f = field(v, fields, ir.b);
      if (!f.mutable) v.error('field is immutable');
      v.pop(unpacked(f.type) as ValType);
      v.pop(ref(true, t.id));
      return;
    }
    case 6: case 7: case 8: case 9: case 10: { // array.new, _default, _fixed, _data, _elem
      const { t, field: f } = arrayDef(v, ir.a);
      const et = unpacked(f.type) as ValType;
      if (sub === 6) {
        v.pop(ValType.i32);
        v.pop(et);
      } else if (sub === 7) {
        if (!defaultable(f.type)) v.error('type mismatch: array type is not defaultable');
        v.pop(ValType.i32);
      } else if (sub === 8) {
        for (let k = 0; k < ir.b; k++) v.pop(et);
      } else if (sub === 9) {
        if (!isNumericOrVector(f.type)) v.error('type mismatch: array type is not numeric or vector');
        if (ir.b >= ctx.datas) v.error(`unknown data segment ${ir.b}`);
        v.pop(ValType.i32);
        v.pop(ValType.i32);
      } else {
        const e = ctx.elems[ir.b];
        if (e === undefined) v.error(`unknown elem segment ${ir.b}`);
        if (!matchValType(e, et)) v.error('type mismatch');
        v.pop(ValType.i32);
        v.pop(ValType.i32);
      }
      v.push(ref(false, t.id));
      return;
    }
    case 11: case 12: case 13: { // array.get, _s, _u
      const { t, field: f } = arrayDef(v, ir.a);
      checkPacked(v, f, sub === 11 ? undefined : sub === 12);
      v.pop(ValType.i32);
      v.pop(ref(true, t.id));
      v.push(unpacked(f.type) as ValType);
      return;
    }
    case 14: { // array.set
      const { t, field: f } = arrayDef(v, ir.a);
      if (!f.mutable) v.error('array is immutable');
      v.pop(unpacked(f.type) as ValType);
      v.pop(ValType.i32);
      v.pop(ref(true, t.id));
      return;
    }
    case 15: // array.len
      v.pop(ValType.arrayref);
      v.push(ValType.i32);
      return;
    case 16: { // array.fill
      const { t, field: f } = arrayDef(v, ir.a);
      if (!f.mutable) v.error('array is immutable');
      v.pop(ValType.i32);
      v.pop(unpacked(f.type) as ValType);
      v.pop(ValType.i32);
      v.pop(ref(true, t.id));
      return;
    }
    case 17: { // array.copy
      const dst = arrayDef(v, ir.a);
      const src = arrayDef(v, ir.b);
      if (!dst.field.mutable) v.error('array is immutable');
      const ok = isPacked(dst.field.type) || isPacked(src.field.type) ? dst.field.type === src.field.type : matchValType(src.field.type, dst.field.type);
      if (!ok) v.error('type mismatch');
      v.pop(ValType.i32);
      v.pop(ValType.i32);
      v.pop(ref(true, src.t.id));
      v.pop(ValType.i32);
      v.pop(ref(true, dst.t.id));
      return;
    }
    case 18: case 19: { // array.init_data, array.init_elem
      const { t, field: f } = arrayDef(v, ir.a);
      if (!f.mutable) v.error('array is immutable');
      if (sub === 18) {
        if (!isNumericOrVector(f.type)) v.error('type mismatch: array type is not numeric or vector');
        if (ir.b >= ctx.datas) v.error(`unknown data segment ${ir.b}`);
      } else {
        const e = ctx.elems[ir.b];
        if (e === undefined) v.error(`unknown elem segment ${ir.b}`);
        if (!matchValType(e, f.type)) v.error('type mismatch');
      }
      v.pop(ValType.i32);
      v.pop(ValType.i32);
      v.pop(ValType.i32);
      v.pop(ref(true, t.id));
      return;
    }
    case 20: case 21: case 22: case 23: { // ref.test, ref.test null, ref.cast, ref.cast null
      const rt = refOf(sub === 21 || sub === 23, v.canonHeap(ir.a)) as ValType;
      v.pop(topRef(rt));
      v.push(sub <= 21 ? ValType.i32 : rt);
      return;
    }
    case 24: case 25: { // br_on_cast, br_on_cast_fail
      const rt1 = v.canonVal(ir.lo);
      const rt2 = v.canonVal(ir.hi);
      if (!matchValType(rt2, rt1)) v.error(`type mismatch: the target type ${v.typeText(rt2)} is not a subtype of the source type ${v.typeText(rt1)}`);
      const ts = v.labelTypes(v.label(ir.a));
      const last = ts[ts.length - 1];
      if (last === undefined) v.error('type mismatch: the label takes no reference to branch with');
      const diff = refOf(isNullable(rt1) && !isNullable(rt2), heapOf(rt1)) as ValType;
      const sent = sub === 24 ? rt2 : diff;
      if (!matchValType(sent, last)) v.error(`type mismatch: the label takes ${v.typeText(last)} but the branch passes ${v.typeText(sent)}`);
      v.pop(rt1);
      const rest = ts.slice(0, -1);
      v.popAll(rest);
      v.pushAll(rest);
      v.push(sub === 24 ? diff : rt2);
      return;
    }
    case 26: case 27: { // any.convert_extern, extern.convert_any
      const from = sub === 26 ? HeapCode.extern : HeapCode.any;
      const t = v.pop(refOf(true, from) as ValType);
      const nullable = t === UNKNOWN || isNullable(t);
      v.push(refOf(nullable, sub === 26 ? HeapCode.any : HeapCode.extern) as ValType);
      return;
    }
    case 28: // ref.i31
      v.pop(ValType.i32);
      v.push(refOf(false, HeapCode.i31) as ValType);
      return;
    case 29: case 30: // i31.get_s, i31.get_u
      v.pop(ValType.i31ref);
      v.push(ValType.i32);
      return;
  }
  v.error(`unsupported instruction ${ir.info?.name ?? ir.op.toString(16)}`);
}

