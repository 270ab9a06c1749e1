// Checks a text module with the engine's own parser, assembler, decoder and validator: for the
// Wasm 3.0 modules wabt cannot read. Errors land on the failing instruction through the assembler's
// source map, or on the module when they are not in a function body.
import { decodeModule } from '../binary';
import { WasmError } from '../errors';
import { FeatureError, type Features } from '../features';
import { assemble, ParseError, type TextModule } from '../text';
import type { Range } from '../text/line-index';
import { validateModule } from '../validate';
import type { CheckDiagnostic } from './types';

export type EngineCheck =
  /** Our parser cannot read the module either (its errors are returned, unfiltered). */
  | { kind: 'unparsed'; errors: { message: string; start: number; end: number }[] }
  /** Fully checked: an empty list means the module is valid. */
  | { kind: 'checked'; diagnostics: CheckDiagnostic[] };

/** `module` is the model of the module's text; its offsets are offsets into the document. */
export function checkWithEngine(module: TextModule, features: Features): EngineCheck {
  if (module.errors.length > 0) {
    // Unknown or duplicate names, literals out of range, ... are the text's errors; an unexpected
    // token or operator may be Wasm 3.0 syntax our parser does not read yet.
    if (module.errors.some((e) => UNREAD.test(e.message))) return { kind: 'unparsed', errors: module.errors };
    return {
      kind: 'checked',
      diagnostics: [...module.errors].sort((a, b) => a.start - b.start).map((e) => diagnostic(module.lines.range(e.start, Math.max(e.start, e.end)), e.message)),
    };
  }
  const whole = module.lines.range(module.node?.start ?? 0, module.node?.open.end ?? 0);
  let assembled: ReturnType<typeof assemble>;
  try {
    assembled = assemble(module, { features });
  } catch (e) {
    if (e instanceof ParseError) return checked(e.range, e.reason);
    throw e;
  }
  const map = assembled.sourceMap;
  const fieldRange = (offset: number): Range | undefined => {
    const f = offset > 0 ? map.fieldAt(offset) : undefined;
    return f ? module.lines.range(f.start, f.end) : undefined;
  };
  const at = (offset: number, reason = ''): Range =>
    map.rangeAt(offset) ?? funcRange(offset) ?? fieldRange(offset) ?? modelRange(module, reason) ?? whole;
  // wabt-style context: `type mismatch in i32.add`, `... at the end of the block or function`.
  const what = (offset: number, reason: string): string => {
    const m = map.instrAt(offset);
    const said = named(module, explain(module, m, reason));
    if (!m || said.includes(m.op)) return said;
    // `type mismatch in struct.get, expected [...] but got [...]`, as wabt words it.
    const where = m.implicit ? ' at the end of the block or function' : ` in ${m.op}`;
    const head = 'type mismatch';
    return said.startsWith(head) ? `${head}${where}${said.slice(head.length)}` : `${said}${where}`;
  };
  const funcRange = (offset: number): Range | undefined => {
    const f = map.funcAt(offset);
    return f ? module.lines.range(f.start, f.end) : undefined;
  };
  try {
    const decoded = decodeModule(assembled.bytes, { features });
    validateModule(decoded, undefined, undefined, features);
  } catch (e) {
    if (e instanceof FeatureError) return checked(at(e.offset), e.message);
    if (e instanceof WasmError && 'offset' in e && typeof e.offset === 'number') {
      const reason = 'reason' in e && typeof e.reason === 'string' ? e.reason : e.message;
      // an instruction the engine does not run yet (GC) is not the text's error
      if (reason.startsWith('unsupported instruction')) {
        const m = map.instrAt(e.offset);
        return { kind: 'unparsed', errors: [{ message: reason, start: m?.start ?? 0, end: m?.end ?? 0 }] };
      }
      return checked(at(e.offset, reason), e.offset > 0 ? what(e.offset, reason) : named(module, reason));
    }
    throw e;
  }
  return { kind: 'checked', diagnostics: [] };
}

/** For the module-level errors the validator reports without a byte offset: the text they concern. */
function modelRange(module: TextModule, reason: string): Range | undefined {
  const node = ((): { start: number; end: number } | undefined => {
    if (reason === 'duplicate export name') {
      const seen = new Set<string>();
      return module.exports.find((e) => seen.size === seen.add(e.name).size)?.node;
    }
    if (reason === 'multiple memories') return module.memories[1]?.node;
    if (reason === 'start function' || reason.startsWith('unknown function')) return module.start;
    // Type-section errors name the type (core/types): the reference or `sub` clause at fault.
    const rec = /^unknown type (\d+): type (\d+)/.exec(reason);
    if (rec) return typeRefIn(module, Number(rec[2]), Number(rec[1]));
    const sub = /^sub type (\d+)(?:: super type | does not match super type )(-?\d+)/.exec(reason);
    if (sub) return typeRefIn(module, Number(sub[1]), Number(sub[2]));
    const multi = /^multiple supertypes: type (\d+)/.exec(reason);
    if (multi) return module.types[Number(multi[1])]?.node;
    return undefined;
  })();
  return node ? module.lines.range(node.start, node.end) : undefined;
}

/** The reference to type `target` inside type `owner`'s definition, else that definition. */
function typeRefIn(module: TextModule, owner: number, target: number): { start: number; end: number } | undefined {
  const node = module.types[owner]?.node;
  if (!node) return undefined;
  return module.symbols.refs.find((r) => r.space === 'type' && r.index === target && r.start >= node.start && r.end <= node.end) ?? node;
}

/** Type indices in a validator message by the text's names: `(ref null 2)` → `(ref null $node)`, `sub type 1` → `sub type $b`. */
export function named(module: TextModule, message: string): string {
  const nameOf = (i: string): string | undefined => module.types[Number(i)]?.def.name;
  const forward = /^unknown type (\d+): type (\d+) refers to a type after its rec group$/.exec(message);
  if (forward) {
    const [, to, from] = forward as unknown as [string, string, string];
    return `unknown type: type ${nameOf(from) ?? from} refers to type ${nameOf(to) ?? to}, defined after its rec group (put both in one (rec ...) or reorder them)`;
  }
  return message
    .replace(/\(ref (null )?(\d+)\)/g, (whole, nul: string | undefined, i: string) => {
      const n = nameOf(i);
      return n ? `(ref ${nul ?? ''}${n})` : whole;
    })
    .replace(/\b(sub type|super type|unknown type|: type) (\d+)\b/g, (whole, word: string, i: string) => {
      const n = nameOf(i);
      return n ? `${word} ${n}` : whole;
    })
    .replace(/\bglobal (\d+) is mutable\b/, (whole, i: string) => {
      const n = module.globals[Number(i)]?.def.name;
      return n ? `global ${n} is mutable` : whole;
    });
}

/** Adds what the text knows to a body error: the local's or field's name and type. */
function explain(module: TextModule, m: { start: number; op: string } | undefined, reason: string): string {
  if (!m) return reason;
  const instr = module.funcs.find((f) => f.node.start <= m.start && m.start <= f.node.end)?.body.find((i) => i.start === m.start && !i.implicit);
  if (!instr) return reason;
  if (reason === 'uninitialized local') {
    const def = instr.refs?.[0]?.def;
    if (def) return `uninitialized local ${def.name ?? def.index} of non-defaultable type ${def.valType ?? '?'}: set it before ${m.op} reads it`;
  }
  if (reason === 'field is immutable') {
    const t = instr.refs?.[0]?.def;
    const f = instr.refs?.[1]?.def;
    if (t && f) return `field ${f.name ?? f.index} of type ${t.name ?? t.index} is immutable`;
  }
  if (reason === 'array is immutable') {
    const t = instr.refs?.[0]?.def;
    if (t) return `array type ${t.name ?? t.index} is immutable (its element is not mut)`;
  }
  return reason;
}

const UNREAD = /^(unexpected token|unknown operator)/;

function checked(range: Range, message: string): EngineCheck {
  return { kind: 'checked', diagnostics: [diagnostic(range, message)] };
}

function diagnostic(range: Range, message: string): CheckDiagnostic {
  return {
    range: { start: { line: range.start.line, character: range.start.character }, end: { line: range.end.line, character: range.end.character } },
    message,
    severity: 'error',
    source: 'wasmscope',
  };
}
