// The threads proposal's instruction table (0xFE prefix): one row per atomic instruction with its
// sub-opcode, text name, natural alignment (log2 bytes), the kind of access and its value type.
// The opcode table, validator, compiler and interpreter (core/interp/atomics.ts) all read it.

export const PREFIX_FE = 0xfe;

export const enum AtomicKind {
  Notify, // [addr i32] -> [count woken i32]
  Wait32, // [addr, expected i32, timeout i64] -> [0 ok | 1 not-equal | 2 timed-out]
  Wait64, // [addr, expected i64, timeout i64] -> [i32]
  Fence, // [] -> []
  Load, // [addr] -> [t]
  Store, // [addr, t] -> []
  Rmw, // [addr, t] -> [t] (the old value)
  Cmpxchg, // [addr, expected t, replacement t] -> [t] (the old value)
}

/** The read-modify-write operations, in encoding order. */
export const enum RmwOp { Add, Sub, And, Or, Xor, Xchg }

export interface AtomicInfo {
  sub: number;
  name: string;
  kind: AtomicKind;
  /** log2 of the access width in bytes: the alignment the memarg must state exactly. */
  align: number;
  /** 64: the value is an i64 (even when the access is narrower); 32: an i32. */
  bits: 32 | 64;
  /** For Rmw: which operation. */
  rmw?: RmwOp;
}

export const ATOMICS: AtomicInfo[] = [
  { sub: 0x00, name: 'memory.atomic.notify', kind: AtomicKind.Notify, align: 2, bits: 32 },
  { sub: 0x01, name: 'memory.atomic.wait32', kind: AtomicKind.Wait32, align: 2, bits: 32 },
  { sub: 0x02, name: 'memory.atomic.wait64', kind: AtomicKind.Wait64, align: 3, bits: 64 },
  { sub: 0x03, name: 'atomic.fence', kind: AtomicKind.Fence, align: 0, bits: 32 },
];

/** i32, i64, then the narrow forms: [type prefix, width suffix, value bits, align]. */
const SHAPES: [string, string, 32 | 64, number][] = [
  ['i32', '', 32, 2], ['i64', '', 64, 3], ['i32', '8', 32, 0], ['i32', '16', 32, 1],
  ['i64', '8', 64, 0], ['i64', '16', 64, 1], ['i64', '32', 64, 2],
];

// Loads 0x10–0x16 and stores 0x17–0x1d.
SHAPES.forEach(([t, w, bits, align], i) => {
  ATOMICS.push({ sub: 0x10 + i, name: `${t}.atomic.load${w}${w ? '_u' : ''}`, kind: AtomicKind.Load, align, bits });
});
SHAPES.forEach(([t, w, bits, align], i) => {
  ATOMICS.push({ sub: 0x17 + i, name: `${t}.atomic.store${w}`, kind: AtomicKind.Store, align, bits });
});
// Read-modify-write 0x1e–0x47 (seven shapes per operation), then cmpxchg 0x48–0x4e.
const RMW_NAMES = ['add', 'sub', 'and', 'or', 'xor', 'xchg'];
RMW_NAMES.forEach((opName, r) => {
  SHAPES.forEach(([t, w, bits, align], i) => {
    ATOMICS.push({
      sub: 0x1e + r * 7 + i, name: `${t}.atomic.rmw${w}.${opName}${w ? '_u' : ''}`, kind: AtomicKind.Rmw, align, bits, rmw: r as RmwOp,
    });
  });
});
SHAPES.forEach(([t, w, bits, align], i) => {
  ATOMICS.push({ sub: 0x48 + i, name: `${t}.atomic.rmw${w}.cmpxchg${w ? '_u' : ''}`, kind: AtomicKind.Cmpxchg, align, bits });
});

/** Atomic rows by sub-opcode (undefined for the gaps). */
export const ATOMIC_BY_SUB: (AtomicInfo | undefined)[] = new Array<AtomicInfo | undefined>(0x4f).fill(undefined);
for (const a of ATOMICS) ATOMIC_BY_SUB[a.sub] = a;

const RMW_DOCS = ['adds', 'subtracts', 'ands', 'ors', 'xors', 'exchanges'];

/** Stack effect and one line of documentation of an atomic instruction (hover, completion). */
export function atomicDoc(a: AtomicInfo): { signature: string; doc: string } {
  const t = a.bits === 64 ? 'i64' : 'i32';
  const bits = 8 << a.align;
  const narrow = bits < a.bits ? ` the low ${bits} bits (zero-extended)` : '';
  switch (a.kind) {
    case AtomicKind.Notify:
      return { signature: 'memarg : [i32 i32] -> [i32]', doc: 'Wakes up to count threads waiting at the address; returns how many woke (0 on an unshared memory).' };
    case AtomicKind.Wait32: case AtomicKind.Wait64:
      return {
        signature: `memarg : [i32 ${t} i64] -> [i32]`,
        doc: `If the ${bits}-bit value at the address equals the expected one, waits until notified or the timeout (ns, negative: none) passes; 0 woken, 1 not equal, 2 timed out. Traps on an unshared memory.`,
      };
    case AtomicKind.Fence:
      return { signature: '[] -> []', doc: 'Orders memory accesses: every access before it happens before every access after it.' };
    case AtomicKind.Load:
      return { signature: `memarg : [i32] -> [${t}]`, doc: `Atomically loads${narrow || ` ${bits} bits`}; traps when unaligned or out of bounds.` };
    case AtomicKind.Store:
      return { signature: `memarg : [i32 ${t}] -> []`, doc: `Atomically stores ${bits < a.bits ? `the low ${bits} bits` : `${bits} bits`}; traps when unaligned or out of bounds.` };
    case AtomicKind.Rmw:
      return {
        signature: `memarg : [i32 ${t}] -> [${t}]`,
        doc: `Atomically ${RMW_DOCS[a.rmw!]!} the operand ${a.rmw === RmwOp.Xchg ? 'with' : 'into'} the ${bits}-bit value in memory; returns the old value${narrow}.`,
      };
    case AtomicKind.Cmpxchg:
      return {
        signature: `memarg : [i32 ${t} ${t}] -> [${t}]`,
        doc: `Atomically replaces the ${bits}-bit value in memory when it equals the expected one (wrapped to ${bits} bits); returns the old value${narrow}.`,
      };
  }
}
