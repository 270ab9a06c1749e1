// The `spectest` host module every spec script may import: print functions (silent), globals,
// a table and a memory, with the values and limits the spec's test harness defines.
import { ValType } from '../binary/module';
import { GlobalInstance, MemoryInstance, TableInstance, type ImportValue } from '../interp';

/** A fresh `spectest` module (each script gets its own, so writes do not leak between files). */
export function createSpectest(print: (line: string) => void = () => {}): Record<string, ImportValue> {
  const show = (...args: unknown[]): undefined => {
    print(args.map((a) => String(a)).join(' '));
    return undefined;
  };
  return {
    print: show,
    print_i32: show,
    print_i64: show,
    print_f32: show,
    print_f64: show,
    print_i32_f32: show,
    print_f64_f64: show,
    global_i32: new GlobalInstance(ValType.i32, false, { type: 'i32', value: 666 }),
    global_i64: new GlobalInstance(ValType.i64, false, { type: 'i64', value: 666n }),
    global_f32: new GlobalInstance(ValType.f32, false, { type: 'f32', bits: f32Bits(666.6) }),
    global_f64: new GlobalInstance(ValType.f64, false, { type: 'f64', bits: f64Bits(666.6) }),
    table64: table64(10, 20),
    table: new TableInstance(ValType.funcref, 10, 20),
    memory: new MemoryInstance(1, 2),
    shared_memory: sharedMemory(1, 2),
  };
}

/** The spec harness's `table64`: a funcref table with i64 indices. */
function table64(min: number, max: number): TableInstance {
  const t = new TableInstance(ValType.funcref, min, max);
  t.i64 = true;
  return t;
}

function sharedMemory(min: number, max: number): MemoryInstance {
  const m = new MemoryInstance(min, max);
  m.shared = true;
  return m;
}

function f32Bits(x: number): number {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setFloat32(0, x, true);
  return dv.getUint32(0, true);
}

function f64Bits(x: number): bigint {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x, true);
  return dv.getBigUint64(0, true);
}
