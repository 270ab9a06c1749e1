// The stack signature of one written instruction with its immediates resolved, for hover:
// `struct.get $point $x` → `[(ref null $point)] -> [f64]`, `throw $e` → `[i32] -> [t*]`.
import type { FuncType, Instr, TextModule, TypeField } from '../core/text/index';
import { typeName, typeText } from './describe';

/** The instruction written at `start` in the function or constant expression holding it. */
export function instrAt(module: TextModule, start: number): Instr | undefined {
  for (const f of module.funcs) {
    if (f.import || start < f.node.start || start > f.node.end) continue;
    return f.body.find((i) => i.start === start && !i.implicit);
  }
  for (const g of module.globals) {
    const hit = g.init.find((i) => i.start === start);
    if (hit) return hit;
  }
  return undefined;
}

const list = (module: TextModule, ts: readonly string[]): string => `[${ts.map((t) => typeText(module, t)).join(' ')}]`;

/** An unpacked field type on the stack: i8/i16 read as i32. */
const unpacked = (t: string): string => (t === 'i8' || t === 'i16' ? 'i32' : t);

/** `[params] -> [results]` for this instruction, or undefined when nothing resolves beyond the generic doc. */
export function resolvedSignature(module: TextModule, instr: Instr): string | undefined {
  const ref0 = instr.refs?.[0];
  const type = (i: number | undefined): TypeField | undefined => (i === undefined || i < 0 ? undefined : module.types[i]);
  const typeRef = (nullable: boolean, i: number): string => `(ref ${nullable ? 'null ' : ''}${typeName(module, i)})`;
  const fn = (t: FuncType | undefined, pre: string[] = [], post: string[] = [], results?: string[]): string | undefined =>
    t ? `${list(module, [...pre, ...t.params, ...post])} -> ${results ? `[${results.join(' ')}]` : list(module, t.results)}` : undefined;
  const memAddr = (): string => {
    const memRef = instr.refs?.find((r) => r.space === 'memory');
    const m = module.memories[memRef ? memRef.index : 0];
    return m?.limits.i64 ? 'i64' : 'i32';
  };
  const op = instr.op;
  switch (op) {
    case 'call':
    case 'return_call': {
      const f = ref0 ? module.funcs[ref0.index] : undefined;
      return fn(f?.type, [], [], op === 'return_call' ? ['t*'] : undefined);
    }
    case 'call_ref':
    case 'return_call_ref': {
      const t = type(ref0?.index);
      return t && ref0 ? fn(t.type, [], [typeRef(true, ref0.index)], op === 'return_call_ref' ? ['t*'] : undefined) : undefined;
    }
    case 'throw': {
      const tag = ref0 ? module.tags[ref0.index] : undefined;
      return tag ? `${list(module, tag.type.params)} -> [t*]` : undefined;
    }
    case 'struct.new':
    case 'struct.new_default': {
      const t = type(ref0?.index);
      if (!t?.gc || t.gc.kind !== 'struct' || !ref0) return undefined;
      const ins = op === 'struct.new' ? t.gc.fields.map((f) => unpacked(f.type)) : [];
      return `${list(module, ins)} -> [${typeRef(false, ref0.index)}]`;
    }
    case 'struct.get':
    case 'struct.get_s':
    case 'struct.get_u':
    case 'struct.set': {
      const t = type(ref0?.index);
      const f = t?.gc?.fields[instr.fieldIndex ?? 0];
      if (!f || !ref0) return undefined;
      const field = unpacked(f.type);
      return op === 'struct.set' ? `[${typeRef(true, ref0.index)} ${typeText(module, field)}] -> []` : `[${typeRef(true, ref0.index)}] -> [${typeText(module, field)}]`;
    }
    case 'array.new':
    case 'array.new_default':
    case 'array.new_fixed':
    case 'array.new_data':
    case 'array.new_elem':
    case 'array.get':
    case 'array.get_s':
    case 'array.get_u':
    case 'array.set':
    case 'array.fill':
    case 'array.init_data':
    case 'array.init_elem': {
      const t = type(ref0?.index);
      const f = t?.gc?.kind === 'array' ? t.gc.fields[0] : undefined;
      if (!f || !ref0) return undefined;
      const el = typeText(module, unpacked(f.type));
      const r = typeRef(true, ref0.index);
      const made = `[${typeRef(false, ref0.index)}]`;
      switch (op) {
        case 'array.new': return `[${el} i32] -> ${made}`;
        case 'array.new_default': return `[i32] -> ${made}`;
        case 'array.new_fixed': return `[${Array.from({ length: Math.min(instr.fieldIndex ?? 0, 8) }, () => el).join(' ')}${(instr.fieldIndex ?? 0) > 8 ? ` … (${instr.fieldIndex} values)` : ''}] -> ${made}`;
        case 'array.new_data':
        case 'array.new_elem': return `[i32 i32] -> ${made}`;
        case 'array.get':
        case 'array.get_s':
        case 'array.get_u': return `[${r} i32] -> [${el}]`;
        case 'array.set': return `[${r} i32 ${el}] -> []`;
        case 'array.fill': return `[${r} i32 ${el} i32] -> []`;
        default: return `[${r} i32 i32 i32] -> []`;
      }
    }
    case 'array.copy': {
      const dst = instr.refs?.[0];
      const src = instr.refs?.[1];
      if (!dst || !src || dst.index < 0 || src.index < 0) return undefined;
      return `[${typeRef(true, dst.index)} i32 ${typeRef(true, src.index)} i32 i32] -> []`;
    }
    case 'ref.cast':
    case 'ref.test': {
      const rt = instr.refTypes?.[0];
      if (!rt) return undefined;
      const top = topOf(module, rt);
      return op === 'ref.cast' ? `[${top}] -> [${typeText(module, rt)}]` : `[${top}] -> [i32]`;
    }
    case 'br_on_cast':
    case 'br_on_cast_fail': {
      const [a, b] = instr.refTypes ?? [];
      if (!a || !b) return undefined;
      const from = typeText(module, a);
      const to = typeText(module, b);
      return op === 'br_on_cast' ? `[t* ${from}] -> [t* ${from} \\ ${to}] (branches with ${to})` : `[t* ${from}] -> [t* ${to}] (branches with ${from} \\ ${to})`;
    }
    case 'ref.null':
      return instr.heapType ? `[] -> [(ref null ${/^\d+$/.test(instr.heapType) ? typeName(module, Number(instr.heapType)) : instr.heapType})]` : undefined;
    case 'ref.func': {
      const f = ref0 ? module.funcs[ref0.index] : undefined;
      return f ? `[] -> [(ref ${typeName(module, f.typeIndex)})]` : undefined;
    }
    case 'local.get':
    case 'local.set':
    case 'local.tee':
    case 'global.get':
    case 'global.set': {
      const t = ref0?.def?.valType;
      if (!t) return undefined;
      const tt = typeText(module, t);
      return op.endsWith('.get') ? `[] -> [${tt}]` : op === 'local.tee' ? `[${tt}] -> [${tt}]` : `[${tt}] -> []`;
    }
  }
  if (instr.memarg || op.startsWith('memory.')) {
    const addr = memAddr();
    if (addr === 'i32') return undefined; // the generic signature already says i32
    const m = /^(i32|i64|f32|f64|v128)\.(load|store)/.exec(op);
    if (m) return m[2] === 'load' ? `[i64] -> [${m[1]}]` : `[i64 ${m[1]}] -> []`;
    if (op === 'memory.size') return '[] -> [i64]';
    if (op === 'memory.grow') return '[i64] -> [i64]';
    if (op === 'memory.fill') return '[i64 i32 i64] -> []';
    if (op === 'memory.copy') return '[i64 i64 i64] -> []';
    if (op === 'memory.init') return '[i64 i32 i32] -> []';
  }
  return undefined;
}

const TOPS: Record<string, string> = {
  any: 'anyref', eq: 'anyref', i31: 'anyref', struct: 'anyref', array: 'anyref', none: 'anyref',
  null: 'anyref', func: 'funcref', nofunc: 'funcref', nullfunc: 'funcref', nullextern: 'externref', nullexn: 'exnref', extern: 'externref', noextern: 'externref', exn: 'exnref', noexn: 'exnref',
};

/** The top of a reference type's hierarchy (what a cast to it accepts), nullable. */
function topOf(module: TextModule, rt: string): string {
  const m = /^\(ref (?:null )?(.+)\)$/.exec(rt);
  const heap = m ? m[1]! : rt.replace(/ref$/, '');
  const top = TOPS[heap];
  if (top) return top;
  const t = /^\d+$/.test(heap) ? module.types[Number(heap)] : module.types.find((x) => x.def.name === heap);
  return t?.gc?.kind === 'struct' || t?.gc?.kind === 'array' ? 'anyref' : 'funcref';
}
