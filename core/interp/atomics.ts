// The threads proposal's atomic instructions, out of the machine's hot loop behind one Op.ATOMIC
// case. Our threads share one JavaScript thread, so every access is atomic by construction; what is
// left is the spec's traps (bounds, then alignment), wait/notify through the scheduler's hooks, and
// the i64 forms over two stack words.
import { Trap } from '../errors';
import { ATOMIC_BY_SUB, AtomicKind, RmwOp } from '../isa/threads';
import type { Instance, MemoryInstance } from './runtime';

/** Code words an Op.ATOMIC instruction takes after its opcode: the sub-opcode, the offset (low and
 * high words), the memory index and whether its addresses are i64 (memory64). */
export const ATOMIC_WIDTH = 5;

const TWO32 = 4294967296;

/** execAtomic's result when the thread must block in memory.atomic.wait: the machine stops with
 * 'blocked' at the wait, and the scheduler resumes it with Machine.finishWait. */
export const ATOMIC_BLOCKED = -1;

/** What a scheduler of Wasm threads gives each thread's machine (core/wasi/threads.ts). */
export interface ThreadHooks {
  /** The running thread waits at byte `address` of shared `memory` (the value matched): `timeoutNs`
   * is -1 for no timeout. Return true when the thread is parked (the scheduler will call finishWait
   * with 0 when notified or 2 when timed out); false to let it time out at once. */
  wait(memory: MemoryInstance, address: number, timeoutNs: number): boolean;
  /** Wakes up to `count` threads waiting at `address`; returns how many it woke. */
  notify(memory: MemoryInstance, address: number, count: number): number;
}

/**
 * The effective address of an access of `size` bytes whose address operand is at word `w`: traps
 * when out of bounds, then when unaligned. An i64 address (and a 64-bit offset) is read as a JS
 * number: exact below 2^53, and anything near that is far beyond every memory, so still a trap.
 */
function address(i32: Int32Array, w: number, offset: number, size: number, memory: MemoryInstance, is64: boolean): number {
  const base = is64 ? (i32[w + 1]! >>> 0) * TWO32 + (i32[w]! >>> 0) : i32[w]! >>> 0;
  const ea = base + offset;
  if (ea + size > memory.u8.length) throw new Trap('out of bounds memory access');
  if (ea % size !== 0) throw new Trap('unaligned atomic');
  return ea;
}

/** Reads `size` bytes at `ea` as an unsigned integer (8 bytes: a bigint through the i64 path). */
function read32(memory: MemoryInstance, ea: number, size: number): number {
  const dv = memory.dv;
  return size === 4 ? dv.getUint32(ea, true) : size === 2 ? dv.getUint16(ea, true) : dv.getUint8(ea);
}

function write32(memory: MemoryInstance, ea: number, size: number, v: number): void {
  const dv = memory.dv;
  if (size === 4) dv.setUint32(ea, v >>> 0, true);
  else if (size === 2) dv.setUint16(ea, v & 0xffff, true);
  else dv.setUint8(ea, v & 0xff);
}

function rmw32(op: RmwOp, old: number, v: number): number {
  switch (op) {
    case RmwOp.Add: return (old + v) | 0;
    case RmwOp.Sub: return (old - v) | 0;
    case RmwOp.And: return old & v;
    case RmwOp.Or: return old | v;
    case RmwOp.Xor: return old ^ v;
    case RmwOp.Xchg: return v;
  }
}

const MASK64 = (1n << 64n) - 1n;

function rmw64(op: RmwOp, old: bigint, v: bigint): bigint {
  switch (op) {
    case RmwOp.Add: return (old + v) & MASK64;
    case RmwOp.Sub: return (old - v) & MASK64;
    case RmwOp.And: return old & v;
    case RmwOp.Or: return old | v;
    case RmwOp.Xor: return old ^ v;
    case RmwOp.Xchg: return v;
  }
}

function getU64(i32: Int32Array, at: number): bigint {
  return (BigInt(i32[at + 1]! >>> 0) << 32n) | BigInt(i32[at]! >>> 0);
}

function setU64(i32: Int32Array, at: number, v: bigint): void {
  i32[at] = Number(v & 0xffffffffn) | 0;
  i32[at + 1] = Number((v >> 32n) & 0xffffffffn) | 0;
}

/** An unsigned value of `size` bytes (1, 2, 4 or 8) at `ea`, as a bigint. */
function readWide(memory: MemoryInstance, ea: number, size: number): bigint {
  return size === 8 ? memory.dv.getBigUint64(ea, true) : BigInt(read32(memory, ea, size));
}

function writeWide(memory: MemoryInstance, ea: number, size: number, v: bigint): void {
  if (size === 8) memory.dv.setBigUint64(ea, v & MASK64, true);
  else write32(memory, ea, size, Number(v & 0xffffffffn));
}

/** Timeout operand of wait: ns, or -1 for none (any negative i64). */
function timeoutOf(i32: Int32Array, at: number): number {
  const hi = i32[at + 1]!;
  if (hi < 0) return -1;
  return hi * 2 ** 32 + (i32[at]! >>> 0);
}

/**
 * Executes the atomic instruction whose sub-opcode is at code[pc] (offset at code[pc + 1]) on the
 * operands ending at `sp`. Returns the new stack top, or ATOMIC_BLOCKED when a wait parks the thread.
 */
export function execAtomic(code: Int32Array, pc: number, sp: number, i32: Int32Array, inst: Instance, hooks: ThreadHooks | null): number {
  const a = ATOMIC_BY_SUB[code[pc]!]!;
  const offset = (code[pc + 2]! >>> 0) * TWO32 + (code[pc + 1]! >>> 0);
  const memory = inst.memories[code[pc + 3]!]!;
  const is64 = code[pc + 4] === 1;
  const size = 1 << a.align;
  if (a.kind === AtomicKind.Fence) return sp;
  switch (a.kind) {
    case AtomicKind.Notify: {
      const count = i32[sp - 2]! >>> 0;
      sp -= 2;
      const ea = address(i32, sp - 2, offset, 4, memory, is64);
      i32[sp - 2] = memory.shared && hooks !== null ? hooks.notify(memory, ea, count) : 0;
      i32[sp - 1] = 0;
      return sp;
    }
    case AtomicKind.Wait32: case AtomicKind.Wait64: {
      const ea = address(i32, sp - 6, offset, size, memory, is64);
      if (!memory.shared) throw new Trap('expected shared memory');
      const equal = size === 4 ? (memory.dv.getInt32(ea, true) === i32[sp - 4]!)
        : memory.dv.getBigUint64(ea, true) === getU64(i32, sp - 4);
      const timeout = timeoutOf(i32, sp - 2);
      let result = 1; // not-equal
      if (equal) {
        if (hooks !== null && hooks.wait(memory, ea, timeout)) return ATOMIC_BLOCKED;
        // No scheduler: no other thread exists to notify this one.
        if (timeout < 0) throw new Trap(`deadlock: ${a.name} without a timeout and no other thread to notify it`);
        result = 2; // timed-out
      }
      sp -= 4;
      i32[sp - 2] = result;
      i32[sp - 1] = 0;
      return sp;
    }
    case AtomicKind.Load: {
      const ea = address(i32, sp - 2, offset, size, memory, is64);
      if (a.bits === 32) {
        i32[sp - 2] = read32(memory, ea, size) | 0;
        i32[sp - 1] = 0;
      } else if (size === 8) setU64(i32, sp - 2, memory.dv.getBigUint64(ea, true));
      else {
        i32[sp - 2] = read32(memory, ea, size) | 0;
        i32[sp - 1] = 0;
      }
      return sp;
    }
    case AtomicKind.Store: {
      const ea = address(i32, sp - 4, offset, size, memory, is64);
      if (size === 8) memory.dv.setBigUint64(ea, getU64(i32, sp - 2), true);
      else write32(memory, ea, size, i32[sp - 2]!);
      return sp - 4;
    }
    case AtomicKind.Rmw: {
      const ea = address(i32, sp - 4, offset, size, memory, is64);
      if (size <= 4) {
        // Narrow i64 forms work on the low word: the result zero-extends.
        const old = read32(memory, ea, size);
        write32(memory, ea, size, rmw32(a.rmw!, old | 0, i32[sp - 2]!));
        sp -= 2;
        i32[sp - 2] = old | 0;
        i32[sp - 1] = 0;
        return sp;
      }
      const old = readWide(memory, ea, 8);
      writeWide(memory, ea, 8, rmw64(a.rmw!, old, getU64(i32, sp - 2)));
      sp -= 2;
      setU64(i32, sp - 2, old);
      return sp;
    }
    case AtomicKind.Cmpxchg: {
      const ea = address(i32, sp - 6, offset, size, memory, is64);
      const old = readWide(memory, ea, size);
      // The expected value is compared after wrapping to the access width.
      const mask = size === 8 ? MASK64 : (1n << BigInt(size * 8)) - 1n;
      const expected = (a.bits === 64 ? getU64(i32, sp - 4) : BigInt(i32[sp - 4]! >>> 0)) & mask;
      if (old === expected) writeWide(memory, ea, size, a.bits === 64 ? getU64(i32, sp - 2) : BigInt(i32[sp - 2]! >>> 0));
      sp -= 4;
      if (a.bits === 64) setU64(i32, sp - 2, old);
      else {
        i32[sp - 2] = Number(old) | 0;
        i32[sp - 1] = 0;
      }
      return sp;
    }
  }
}
