// DWARF expressions (DWARF 5 §2.5-2.6) decoded and evaluated for WebAssembly: the result is
// where a variable lives (a Wasm local, global, operand-stack slot, linear memory) or its value.

import { ByteReader } from './byte-reader';
import { DW_OP } from './dwarf-constants';

/** A Wasm value as the machine reports it; structurally the numeric part of core's `Value`. */
export type WasmScalar =
  | { type: 'i32'; value: number }
  | { type: 'i64'; value: bigint }
  | { type: 'f32'; bits: number }
  | { type: 'f64'; bits: bigint }
  | { type: 'v128'; bytes: Uint8Array };

/** What the evaluator may read from a paused program; the debugger implements it on the Machine. */
export interface WasmStateAccessor {
  /** A local of the frame being inspected (the physical frame an inline frame belongs to). */
  local(index: number): WasmScalar | undefined;
  global(index: number): WasmScalar | undefined;
  /**
   * An operand-stack slot of that frame, as DW_OP_WASM_location kind 2 numbers it: counted from
   * the bottom of the frame's own operand stack (0 = the first value the function pushed), the
   * way LLVM's WebAssemblyDebugFixup assigns it.
   */
  stack(index: number): WasmScalar | undefined;
  /** Linear memory 0; undefined when out of bounds. */
  readMemory(address: number, length: number): Uint8Array | undefined;
}

export type Location =
  | { kind: 'local'; index: number }
  | { kind: 'global'; index: number }
  | { kind: 'stack'; index: number }
  | { kind: 'memory'; address: number }
  /** A computed value (DW_OP_stack_value): the variable has no storage. */
  | { kind: 'value'; value: bigint }
  /** A constant byte image (DW_OP_implicit_value, DW_AT_const_value blocks). */
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'pieces'; pieces: { size: number; location: Location }[] }
  | { kind: 'unavailable'; reason: string };

export interface Operation {
  /** Offset of the opcode in the expression. */
  offset: number;
  op: number;
  operands: (number | bigint)[];
  /** DW_OP_implicit_value's bytes. */
  block?: Uint8Array;
}

/** Decodes an expression into operations; a truncated tail is reported, not thrown. */
export function decodeExpression(expr: Uint8Array, addressSize = 4): { ops: Operation[]; error?: string } {
  const r = new ByteReader(expr, 'expression');
  const ops: Operation[] = [];
  try {
    while (!r.atEnd) {
      const offset = r.pos;
      const op = r.u8();
      const operands: (number | bigint)[] = [];
      let block: Uint8Array | undefined;
      if (op >= DW_OP.lit0 && op <= DW_OP.reg31) {
        // literals and registers carry no operands
      } else if (op >= DW_OP.breg0 && op <= DW_OP.breg31) {
        operands.push(r.sleb());
      } else {
        switch (op) {
          case DW_OP.addr:
            operands.push(r.address(addressSize));
            break;
          case DW_OP.const1u:
          case DW_OP.pick:
          case DW_OP.deref_size:
          case DW_OP.xderef_size:
            operands.push(r.u8());
            break;
          case DW_OP.const1s:
            operands.push(r.i8());
            break;
          case DW_OP.const2u:
          case DW_OP.call2:
            operands.push(r.u16());
            break;
          case DW_OP.const2s:
          case DW_OP.skip:
          case DW_OP.bra:
            operands.push(r.i16());
            break;
          case DW_OP.const4u:
          case DW_OP.call4:
            operands.push(r.u32());
            break;
          case DW_OP.const4s:
            operands.push(r.i32());
            break;
          case DW_OP.const8u:
            operands.push(r.u64());
            break;
          case DW_OP.const8s:
            operands.push(r.i64());
            break;
          case DW_OP.constu:
            operands.push(r.ulebBig());
            break;
          case DW_OP.consts:
            operands.push(r.slebBig());
            break;
          case DW_OP.plus_uconst:
            operands.push(r.ulebBig());
            break;
          case DW_OP.regx:
          case DW_OP.piece:
          case DW_OP.addrx:
          case DW_OP.constx:
          case DW_OP.convert:
          case DW_OP.reinterpret:
            operands.push(r.uleb());
            break;
          case DW_OP.fbreg:
            operands.push(r.sleb());
            break;
          case DW_OP.bregx:
            operands.push(r.uleb(), r.sleb());
            break;
          case DW_OP.bit_piece:
            operands.push(r.uleb(), r.uleb());
            break;
          case DW_OP.implicit_value: {
            const n = r.uleb();
            operands.push(n);
            block = r.slice(n);
            break;
          }
          case DW_OP.call_ref:
            operands.push(r.u32());
            break;
          case DW_OP.implicit_pointer:
            operands.push(r.u32(), r.sleb());
            break;
          case DW_OP.entry_value:
          case DW_OP.GNU_entry_value: {
            const n = r.uleb();
            operands.push(n);
            block = r.slice(n);
            break;
          }
          case DW_OP.const_type: {
            operands.push(r.uleb());
            const n = r.u8();
            block = r.slice(n);
            break;
          }
          case DW_OP.regval_type:
            operands.push(r.uleb(), r.uleb());
            break;
          case DW_OP.deref_type:
            operands.push(r.u8(), r.uleb());
            break;
          case DW_OP.WASM_location: {
            const kind = r.u8();
            operands.push(kind);
            // kind 3 is a global index as a fixed u32, so linkers can relocate it in place
            operands.push(kind === 3 ? r.u32() : r.uleb());
            break;
          }
          default:
            if (!isNoOperandOp(op)) throw new Error(`unknown DWARF operation 0x${op.toString(16)}`);
        }
      }
      ops.push(block ? { offset, op, operands, block } : { offset, op, operands });
    }
  } catch (e) {
    return { ops, error: (e as Error).message };
  }
  return { ops };
}

function isNoOperandOp(op: number): boolean {
  return (
    op === DW_OP.deref ||
    (op >= DW_OP.dup && op <= DW_OP.xderef && op !== DW_OP.pick) ||
    (op >= DW_OP.abs && op <= DW_OP.xor && op !== DW_OP.plus_uconst) ||
    (op >= DW_OP.eq && op <= DW_OP.ne) ||
    op === DW_OP.nop ||
    op === DW_OP.push_object_address ||
    op === DW_OP.form_tls_address ||
    op === DW_OP.call_frame_cfa ||
    op === DW_OP.stack_value
  );
}

const OP_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(DW_OP).map(([name, code]) => [code, `DW_OP_${name}`]),
);

/** llvm-dwarfdump-style text of an expression, e.g. `DW_OP_WASM_location 0x0 0x1, DW_OP_stack_value`. */
export function formatExpression(expr: Uint8Array, addressSize = 4): string {
  const { ops, error } = decodeExpression(expr, addressSize);
  const parts = ops.map(({ op, operands }) => {
    let name = OP_NAMES[op];
    if (!name) {
      if (op > DW_OP.lit0 && op < DW_OP.lit31) name = `DW_OP_lit${op - DW_OP.lit0}`;
      else if (op >= DW_OP.reg0 && op <= DW_OP.reg31) name = `DW_OP_reg${op - DW_OP.reg0}`;
      else if (op >= DW_OP.breg0 && op <= DW_OP.breg31) name = `DW_OP_breg${op - DW_OP.breg0}`;
      else name = `DW_OP_0x${op.toString(16)}`;
    }
    const args = operands.map((v) => {
      if (op === DW_OP.WASM_location || op === DW_OP.addr || op === DW_OP.plus_uconst || op === DW_OP.constu) {
        return `0x${v.toString(16)}`;
      }
      return typeof v === 'bigint' || v < 0 || op === DW_OP.fbreg || op === DW_OP.consts ? signed(v) : String(v);
    });
    return [name, ...args].join(' ');
  });
  if (error) parts.push(`<${error}>`);
  return parts.join(', ');
}

function signed(v: number | bigint): string {
  return v < 0 ? String(v) : `+${v}`;
}

export interface EvaluateOptions {
  addressSize?: number;
  /** The enclosing subprogram's DW_AT_frame_base, for DW_OP_fbreg. */
  frameBase?: Uint8Array;
  /** Resolves DW_OP_addrx / DW_OP_constx through .debug_addr. */
  addrx?: (index: number) => number | undefined;
  /** Without an accessor, only locations that need no program state can be resolved. */
  accessor?: WasmStateAccessor;
}

/** A DWARF stack entry: a number, or a Wasm storage place not yet read (so a bare one stays a location). */
type Entry = bigint | { wasm: 'local' | 'global' | 'stack'; index: number };

class Unavailable extends Error {}

const WASM_KINDS = ['local', 'global', 'stack', 'global'] as const;

/** Converts a Wasm value to the integer DWARF arithmetic works on (i32 as unsigned, as an address). */
export function scalarToBigInt(v: WasmScalar): bigint {
  switch (v.type) {
    case 'i32':
      return BigInt(v.value >>> 0);
    case 'i64':
      return v.value;
    case 'f32':
      return BigInt(v.bits >>> 0);
    case 'f64':
      return v.bits;
    case 'v128': {
      let x = 0n;
      for (let i = Math.min(v.bytes.length, 16) - 1; i >= 0; i--) x = (x << 8n) | BigInt(v.bytes[i]!);
      return x;
    }
  }
}

/**
 * Evaluates a location expression. Never throws: anything it cannot resolve (registers, entry
 * values, missing state) is `{ kind: 'unavailable', reason }`.
 */
export function evaluateLocation(expr: Uint8Array, options: EvaluateOptions = {}, depth = 0): Location {
  const addressSize = options.addressSize ?? 4;
  const addressMask = (1n << BigInt(addressSize * 8)) - 1n;
  const { ops, error } = decodeExpression(expr, addressSize);
  if (error) return { kind: 'unavailable', reason: `malformed expression: ${error}` };
  if (ops.length === 0) return { kind: 'unavailable', reason: 'optimized out' };

  const stack: Entry[] = [];
  const pieces: { size: number; location: Location }[] = [];
  // set by stack_value / implicit_value; cleared when a piece consumes it
  let isValue = false;
  let implicit: Uint8Array | undefined;

  const read = (e: Entry): bigint => {
    if (typeof e === 'bigint') return e;
    const a = options.accessor;
    if (!a) throw new Unavailable(`needs the value of a Wasm ${e.wasm}`);
    const v = e.wasm === 'local' ? a.local(e.index) : e.wasm === 'global' ? a.global(e.index) : a.stack(e.index);
    if (!v) throw new Unavailable(`Wasm ${e.wasm} ${e.index} is not available`);
    return scalarToBigInt(v);
  };
  const pop = (): bigint => {
    const e = stack.pop();
    if (e === undefined) throw new Unavailable('DWARF stack underflow');
    return read(e);
  };
  const push = (v: bigint): void => {
    stack.push(v);
  };
  const toSigned = (v: bigint): bigint => BigInt.asIntN(addressSize * 8, v);
  const memory = (address: bigint, size: number): bigint => {
    const a = options.accessor;
    if (!a) throw new Unavailable('needs memory');
    const bytes = a.readMemory(Number(address & addressMask), size);
    if (!bytes || bytes.length < size) throw new Unavailable(`memory at 0x${address.toString(16)} is out of bounds`);
    let x = 0n;
    for (let i = size - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]!);
    return x;
  };
  /** The location the stack describes now: the end of the expression or of a piece. */
  const current = (): Location => {
    if (implicit) return { kind: 'bytes', bytes: implicit };
    const top = stack[stack.length - 1];
    if (top === undefined) return { kind: 'unavailable', reason: 'optimized out' };
    if (typeof top !== 'bigint') return { kind: top.wasm, index: top.index };
    return isValue ? { kind: 'value', value: top } : { kind: 'memory', address: Number(top & addressMask) };
  };

  try {
    // backward branches can loop; a location never needs many steps
    let budget = 1000;
    for (let pc = 0; pc < ops.length; pc++) {
      if (--budget < 0) return { kind: 'unavailable', reason: 'expression does not terminate' };
      const { op, operands, block } = ops[pc]!;
      const n0 = operands[0] ?? 0;
      if (op >= DW_OP.lit0 && op <= DW_OP.lit31) {
        push(BigInt(op - DW_OP.lit0));
        continue;
      }
      if (op >= DW_OP.reg0 && op <= DW_OP.breg31) {
        return { kind: 'unavailable', reason: 'machine registers do not exist in WebAssembly' };
      }
      switch (op) {
        case DW_OP.WASM_location: {
          const kind = WASM_KINDS[Number(n0)];
          if (!kind) return { kind: 'unavailable', reason: `unknown DW_OP_WASM_location kind ${n0}` };
          stack.push({ wasm: kind, index: Number(operands[1] ?? 0) });
          break;
        }
        case DW_OP.addr:
        case DW_OP.const1u:
        case DW_OP.const1s:
        case DW_OP.const2u:
        case DW_OP.const2s:
        case DW_OP.const4u:
        case DW_OP.const4s:
        case DW_OP.const8u:
        case DW_OP.const8s:
        case DW_OP.constu:
        case DW_OP.consts:
          push(BigInt(n0));
          break;
        case DW_OP.addrx:
        case DW_OP.constx: {
          const v = options.addrx?.(Number(n0));
          if (v === undefined) return { kind: 'unavailable', reason: `.debug_addr entry ${n0} is missing` };
          push(BigInt(v));
          break;
        }
        case DW_OP.fbreg: {
          if (!options.frameBase) return { kind: 'unavailable', reason: 'no frame base' };
          if (depth > 2) return { kind: 'unavailable', reason: 'frame base refers to itself' };
          const fb = evaluateLocation(options.frameBase, { ...options, frameBase: undefined }, depth + 1);
          const base = locationAsNumber(fb, options.accessor);
          if (typeof base === 'string') return { kind: 'unavailable', reason: `frame base: ${base}` };
          push((base + BigInt(n0)) & addressMask);
          break;
        }
        case DW_OP.dup: {
          const top = stack[stack.length - 1];
          if (top === undefined) throw new Unavailable('DWARF stack underflow');
          stack.push(top);
          break;
        }
        case DW_OP.drop:
          stack.pop();
          break;
        case DW_OP.over: {
          const e = stack[stack.length - 2];
          if (e === undefined) throw new Unavailable('DWARF stack underflow');
          stack.push(e);
          break;
        }
        case DW_OP.pick: {
          const e = stack[stack.length - 1 - Number(n0)];
          if (e === undefined) throw new Unavailable('DWARF stack underflow');
          stack.push(e);
          break;
        }
        case DW_OP.swap: {
          const a = stack.pop();
          const b = stack.pop();
          if (a === undefined || b === undefined) throw new Unavailable('DWARF stack underflow');
          stack.push(a, b);
          break;
        }
        case DW_OP.rot: {
          const a = stack.pop();
          const b = stack.pop();
          const c = stack.pop();
          if (a === undefined || b === undefined || c === undefined) throw new Unavailable('DWARF stack underflow');
          stack.push(a, c, b);
          break;
        }
        case DW_OP.deref:
          push(memory(pop(), addressSize));
          break;
        case DW_OP.deref_size:
          push(memory(pop(), Number(n0)));
          break;
        case DW_OP.abs: {
          const v = toSigned(pop());
          push(v < 0n ? -v : v);
          break;
        }
        case DW_OP.neg:
          push(-pop());
          break;
        case DW_OP.not:
          push(~pop() & addressMask);
          break;
        case DW_OP.plus_uconst:
          push(BigInt.asIntN(64, pop() + BigInt(n0)));
          break;
        case DW_OP.and:
        case DW_OP.div:
        case DW_OP.minus:
        case DW_OP.mod:
        case DW_OP.mul:
        case DW_OP.or:
        case DW_OP.plus:
        case DW_OP.shl:
        case DW_OP.shr:
        case DW_OP.shra:
        case DW_OP.xor:
        case DW_OP.eq:
        case DW_OP.ge:
        case DW_OP.gt:
        case DW_OP.le:
        case DW_OP.lt:
        case DW_OP.ne: {
          const b = pop();
          const a = pop();
          // 64 bits is the widest generic value any producer emits; wrapping also bounds BigInt growth
          push(BigInt.asIntN(64, binary(op, a, b, toSigned)));
          break;
        }
        case DW_OP.skip:
          pc = jump(ops, pc, Number(n0), expr.length);
          break;
        case DW_OP.bra:
          if (pop() !== 0n) pc = jump(ops, pc, Number(n0), expr.length);
          break;
        case DW_OP.nop:
          break;
        case DW_OP.stack_value:
          isValue = true;
          break;
        case DW_OP.implicit_value:
          implicit = block;
          break;
        case DW_OP.piece: {
          pieces.push({ size: Number(n0), location: current() });
          stack.length = 0;
          isValue = false;
          implicit = undefined;
          break;
        }
        case DW_OP.bit_piece:
          return { kind: 'unavailable', reason: 'bit pieces are not supported' };
        case DW_OP.implicit_pointer:
          return { kind: 'unavailable', reason: 'optimized out (implicit pointer)' };
        case DW_OP.entry_value:
        case DW_OP.GNU_entry_value:
          return { kind: 'unavailable', reason: 'optimized out (entry value)' };
        case DW_OP.call_frame_cfa:
          return { kind: 'unavailable', reason: 'no call frame information in WebAssembly' };
        default:
          return { kind: 'unavailable', reason: `unsupported operation ${OP_NAMES[op] ?? `0x${op.toString(16)}`}` };
      }
    }
  } catch (e) {
    if (e instanceof Unavailable) return { kind: 'unavailable', reason: e.message };
    return { kind: 'unavailable', reason: (e as Error).message };
  }
  if (pieces.length > 0) return { kind: 'pieces', pieces };
  return current();
}

/** The index before the branch target (the loop increments); the 2-byte delta counts from after itself. */
function jump(ops: Operation[], pc: number, delta: number, length: number): number {
  const target = ops[pc]!.offset + 3 + delta;
  if (target === length) return ops.length - 1;
  const i = ops.findIndex((o) => o.offset === target);
  if (i < 0) throw new Unavailable('branch into the middle of an operation');
  return i - 1;
}

function binary(op: number, a: bigint, b: bigint, toSigned: (v: bigint) => bigint): bigint {
  const bool = (x: boolean): bigint => (x ? 1n : 0n);
  switch (op) {
    case DW_OP.and:
      return a & b;
    case DW_OP.div:
      if (b === 0n) throw new Unavailable('division by zero');
      return toSigned(a) / toSigned(b);
    case DW_OP.minus:
      return a - b;
    case DW_OP.mod:
      if (b === 0n) throw new Unavailable('division by zero');
      return a % b;
    case DW_OP.mul:
      return a * b;
    case DW_OP.or:
      return a | b;
    case DW_OP.plus:
      return a + b;
    case DW_OP.shl:
      return b >= 64n || b < 0n ? 0n : a << b;
    case DW_OP.shr:
      return b >= 64n || b < 0n ? 0n : BigInt.asUintN(64, a) >> b;
    case DW_OP.shra:
      return toSigned(a) >> (b >= 64n || b < 0n ? 63n : b);
    case DW_OP.xor:
      return a ^ b;
    case DW_OP.eq:
      return bool(toSigned(a) === toSigned(b));
    case DW_OP.ge:
      return bool(toSigned(a) >= toSigned(b));
    case DW_OP.gt:
      return bool(toSigned(a) > toSigned(b));
    case DW_OP.le:
      return bool(toSigned(a) <= toSigned(b));
    case DW_OP.lt:
      return bool(toSigned(a) < toSigned(b));
    default:
      return bool(toSigned(a) !== toSigned(b));
  }
}

/** The number a location stands for when used as a base (frame base): its content or address. */
function locationAsNumber(loc: Location, accessor: WasmStateAccessor | undefined): bigint | string {
  switch (loc.kind) {
    case 'memory':
      return BigInt(loc.address);
    case 'value':
      return loc.value;
    case 'local':
    case 'global':
    case 'stack': {
      if (!accessor) return `needs the value of a Wasm ${loc.kind}`;
      const v = loc.kind === 'local' ? accessor.local(loc.index) : loc.kind === 'global' ? accessor.global(loc.index) : accessor.stack(loc.index);
      return v ? scalarToBigInt(v) : `Wasm ${loc.kind} ${loc.index} is not available`;
    }
    case 'unavailable':
      return loc.reason;
    default:
      return `a ${loc.kind} location cannot be a base`;
  }
}

/**
 * The bytes of `size` at a location, little-endian as in linear memory: a Wasm local's value is
 * laid out the way a store instruction would write it.
 */
export function readLocation(loc: Location, size: number, accessor: WasmStateAccessor): Uint8Array | undefined {
  switch (loc.kind) {
    case 'memory':
      return accessor.readMemory(loc.address, size);
    case 'value':
      return bigIntToBytes(loc.value, size);
    case 'bytes':
      return fit(loc.bytes, size);
    case 'local':
    case 'global':
    case 'stack': {
      const v = loc.kind === 'local' ? accessor.local(loc.index) : loc.kind === 'global' ? accessor.global(loc.index) : accessor.stack(loc.index);
      if (!v) return undefined;
      if (v.type === 'v128') return fit(v.bytes, size);
      return bigIntToBytes(scalarToBigInt(v), size);
    }
    case 'pieces': {
      // pieces that are optimized out read as zero; only a value with no readable piece is unavailable
      const out = new Uint8Array(size);
      let at = 0;
      let any = false;
      for (const p of loc.pieces) {
        const part = readLocation(p.location, p.size, accessor);
        if (part) {
          out.set(part.subarray(0, Math.max(0, Math.min(p.size, size - at))), at);
          any = true;
        }
        at += p.size;
        if (at >= size) break;
      }
      return any ? out : undefined;
    }
    case 'unavailable':
      return undefined;
  }
}

export function bigIntToBytes(v: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = BigInt.asUintN(Math.max(size, 1) * 8, v);
  for (let i = 0; i < size; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

function fit(bytes: Uint8Array, size: number): Uint8Array {
  if (bytes.length === size) return bytes;
  const out = new Uint8Array(size);
  out.set(bytes.subarray(0, size));
  return out;
}
