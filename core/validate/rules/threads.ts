// Validation of the threads proposal's atomic instructions (0xFE prefix), over the body validator's
// operand stack: an atomic memarg must state exactly the natural alignment, and the address has the
// memory's address type. Wait/notify validate on unshared memories too (they trap or return 0 then).
import { ValType } from '../../binary/module';
import type { InstrReader } from '../../binary/instructions';
import { ATOMIC_BY_SUB, AtomicKind } from '../../isa/threads';
import type { FunctionValidator } from '../function-body';

/** Checks one 0xFE instruction. */
export function checkAtomic(v: FunctionValidator, ir: InstrReader): void {
  const a = ATOMIC_BY_SUB[ir.op & 0xffff];
  if (a === undefined) v.error(`unsupported instruction ${ir.info?.name ?? ir.op.toString(16)}`);
  if (a.kind === AtomicKind.Fence) return;
  const mem = v.ctx.memories[ir.mem];
  if (mem === undefined) v.error(`unknown memory ${ir.mem}`);
  if (ir.a !== a.align) v.error('alignment must be equal to natural alignment');
  const at = mem.limits.i64 ? ValType.i64 : ValType.i32;
  if (at === ValType.i32 && ir.offHi !== 0) v.error('offset out of range');
  const t = a.bits === 64 ? ValType.i64 : ValType.i32;
  switch (a.kind) {
    case AtomicKind.Notify: v.pop(ValType.i32); v.pop(at); v.push(ValType.i32); return;
    case AtomicKind.Wait32: case AtomicKind.Wait64:
      v.pop(ValType.i64); v.pop(t); v.pop(at); v.push(ValType.i32);
      return;
    case AtomicKind.Load: v.pop(at); v.push(t); return;
    case AtomicKind.Store: v.pop(t); v.pop(at); return;
    case AtomicKind.Rmw: v.pop(t); v.pop(at); v.push(t); return;
    case AtomicKind.Cmpxchg: v.pop(t); v.pop(t); v.pop(at); v.push(t); return;
  }
}
