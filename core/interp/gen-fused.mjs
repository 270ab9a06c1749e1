// Generates the fused super-instructions of the interpreter (enum entries in ops.ts, dispatch
// cases in machine.ts, peephole tables in fusion.ts) from one description, so the ~100 near-identical
// cases stay consistent. Run: node core/interp/gen-fused.mjs  (rewrites the marked regions).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const L = (k) => `i32[fp + code[pc + ${k}]!]!`;
const C = (k) => `code[pc + ${k}]!`;
const S = (k) => `i32[sp - ${k}]!`;

const alu = {
  I32_ADD: (a, b) => `(${a} + ${b}) | 0`,
  I32_SUB: (a, b) => `(${a} - ${b}) | 0`,
  I32_MUL: (a, b) => `Math.imul(${a}, ${b})`,
  I32_AND: (a, b) => `${a} & ${b}`,
  I32_OR: (a, b) => `${a} | ${b}`,
  I32_XOR: (a, b) => `${a} ^ ${b}`,
  I32_SHL: (a, b) => `${a} << ${b}`,
  I32_SHR_S: (a, b) => `${a} >> ${b}`,
  I32_SHR_U: (a, b) => `${a} >>> ${b}`,
};
const cmp = {
  I32_EQ: (a, b) => `${a} === ${b}`,
  I32_NE: (a, b) => `${a} !== ${b}`,
  I32_LT_S: (a, b) => `${a} < ${b}`,
  I32_LT_U: (a, b) => `${a} >>> 0 < ${b} >>> 0`,
  I32_GT_S: (a, b) => `${a} > ${b}`,
  I32_GT_U: (a, b) => `${a} >>> 0 > ${b} >>> 0`,
  I32_LE_S: (a, b) => `${a} <= ${b}`,
  I32_LE_U: (a, b) => `${a} >>> 0 <= ${b} >>> 0`,
  I32_GE_S: (a, b) => `${a} >= ${b}`,
  I32_GE_U: (a, b) => `${a} >>> 0 >= ${b} >>> 0`,
};
const f64alu = { F64_ADD: '+', F64_SUB: '-', F64_MUL: '*', F64_DIV: '/' };

const names = [];
const cases = [];
const tables = { alu: {}, aluSet: {}, cmp: {}, brcmp: {}, f64: {}, i64: {}, load: {}, store: {}, loop: {}, cmpSet: {} };

// Taken backward branches spend fuel, like BR_LOOP. (Reading both targets before the condition
// picks one, so that neither arm lacks type feedback, saved sieve's deoptimisations of exec but made
// hash64 8-12% slower: measured and dropped.)
const branch = (cond, k) => `if (${cond}) {
            const t = ${C(k)};
            if (t < pc && --fuel <= 0) {
              pc = t;
              break budget;
            }
            pc = t;
          } else pc += ${k + 1};`;

// `x - c` compiles as `x + (-c)` (compile.ts binary: one family of forms and loop tails serves
// both), so i32.sub has no forms with a constant operand: they could never be produced.
const withConstant = (op, form) => op === 'I32_SUB' && (form === 'LC' || form === 'SC');

for (const [op, f] of Object.entries(alu)) {
  const forms = {
    LL: `i32[sp] = ${f(L(0), L(1))}; pc += 2; sp += 2;`,
    LC: `i32[sp] = ${f(L(0), C(1))}; pc += 2; sp += 2;`,
    SC: `i32[sp - 2] = ${f(S(2), C(0))}; pc++;`,
    SL: `i32[sp - 2] = ${f(S(2), L(0))}; pc++;`,
  };
  tables.alu[op] = {};
  for (const [form, body] of Object.entries(forms)) {
    if (withConstant(op, form)) continue;
    const name = `${op}_${form}`;
    names.push(name);
    tables.alu[op][form] = name;
    cases.push(`          case Op.${name}: ${body} break;`);
  }
}
// The same with the result stored straight into a local (`local.set`/`local.tee` after the op):
// the local's offset comes first.
for (const [op, f] of Object.entries(alu)) {
  const forms = {
    LL: `i32[fp + code[pc]!] = ${f(L(1), L(2))}; pc += 3;`,
    LC: `i32[fp + code[pc]!] = ${f(L(1), C(2))}; pc += 3;`,
    SC: `sp -= 2; i32[fp + code[pc]!] = ${f('i32[sp]!', C(1))}; pc += 2;`,
    SL: `sp -= 2; i32[fp + code[pc]!] = ${f('i32[sp]!', L(1))}; pc += 2;`,
    SS: `sp -= 4; i32[fp + code[pc]!] = ${f('i32[sp]!', 'i32[sp + 2]!')}; pc++;`,
  };
  tables.aluSet[op] = {};
  for (const [form, body] of Object.entries(forms)) {
    if (withConstant(op, form)) continue;
    const name = `${op}_${form}_SET`;
    names.push(name);
    tables.aluSet[op][form] = name;
    cases.push(`          case Op.${name}: ${body} break;`);
  }
}

// i64 operations on (lo, hi) halves: operands from locals (LL), stack + constant (SC, the constant
// as two immediates) or stack + local (SL). Each body reads al, ah, bl, bh and writes the result at d.
const i64ops = {
  I64_ADD: `const lo = (al + bl) | 0; i32[d + 1] = (ah + bh + (lo >>> 0 < al >>> 0 ? 1 : 0)) | 0; i32[d] = lo;`,
  I64_SUB: `i32[d + 1] = (ah - bh - (al >>> 0 < bl >>> 0 ? 1 : 0)) | 0; i32[d] = (al - bl) | 0;`,
  I64_MUL: `i64MulTo(i32, d, al, ah, bl, bh);`,
  I64_AND: `i32[d] = al & bl; i32[d + 1] = ah & bh;`,
  I64_OR: `i32[d] = al | bl; i32[d + 1] = ah | bh;`,
  I64_XOR: `i32[d] = al ^ bl; i32[d + 1] = ah ^ bh;`,
  I64_SHL: `i64ShiftTo(i32, d, al, ah, bl, 0);`,
  I64_SHR_S: `i64ShiftTo(i32, d, al, ah, bl, 1);`,
  I64_SHR_U: `i64ShiftTo(i32, d, al, ah, bl, 2);`,
  I64_ROTL: `i64ShiftTo(i32, d, al, ah, bl, 3);`,
};
for (const [op, body] of Object.entries(i64ops)) {
  const forms = {
    LL: `{ const a = fp + code[pc]!, b = fp + code[pc + 1]!; const al = i32[a]!, ah = i32[a + 1]!, bl = i32[b]!, bh = i32[b + 1]!; const d = sp; ${body} pc += 2; sp += 2; }`,
    SC: `{ const d = sp - 2; const al = i32[d]!, ah = i32[d + 1]!, bl = code[pc]!, bh = code[pc + 1]!; ${body} pc += 2; }`,
    SL: `{ const d = sp - 2, b = fp + code[pc]!; const al = i32[d]!, ah = i32[d + 1]!, bl = i32[b]!, bh = i32[b + 1]!; ${body} pc++; }`,
  };
  tables.i64[op] = {};
  for (const [form, b] of Object.entries(forms)) {
    const name = `${op}_${form}`;
    names.push(name);
    tables.i64[op][form] = name;
    // Shifts use only the low word of the count.
    const code = body.includes('bh') ? b : b.replace(/, bh = [^;]+;/, ';');
    cases.push(`          case Op.${name}: ${code} break;`);
  }
}

for (const [op, f] of Object.entries(cmp)) {
  const forms = {
    LL: `i32[sp] = ${f(L(0), L(1))} ? 1 : 0; pc += 2; sp += 2;`,
    LC: `i32[sp] = ${f(L(0), C(1))} ? 1 : 0; pc += 2; sp += 2;`,
    SC: `i32[sp - 2] = ${f(S(2), C(0))} ? 1 : 0; pc++;`,
  };
  tables.cmp[op] = {};
  for (const [form, body] of Object.entries(forms)) {
    const name = `${op}_${form}`;
    names.push(name);
    tables.cmp[op][form] = name;
    cases.push(`          case Op.${name}: ${body} break;`);
  }
  const br = {
    SS: ['sp -= 4;\n          ', f('i32[sp]!', 'i32[sp + 2]!'), 0],
    SC: ['sp -= 2;\n          ', f('i32[sp]!', C(0)), 1],
    LL: ['', f(L(0), L(1)), 2],
    LC: ['', f(L(0), C(1)), 2],
  };
  tables.brcmp[op] = {};
  for (const [form, [head, cond, k]] of Object.entries(br)) {
    const name = `BRIF_${op}_${form}`;
    names.push(name);
    tables.brcmp[op][form] = name;
    cases.push(`          case Op.${name}:\n          ${head}${branch(`(${cond})`, k)}\n          break;`);
  }
}
names.push('BRIF_EQZ', 'BRIF_L', 'BRIFNOT_L');
cases.push(`          case Op.BRIF_EQZ:\n          sp -= 2;\n          ${branch('i32[sp] === 0', 0)}\n          break;`);
cases.push(`          case Op.BRIF_L:\n          ${branch(`${L(0)} !== 0`, 1)}\n          break;`);
cases.push(`          case Op.BRIFNOT_L:\n          ${branch(`${L(0)} === 0`, 1)}\n          break;`);

// Loads whose address is a local (_L: local, offset) or a local plus a constant (_A: local,
// constant, offset; from `local.get; i32.const; i32.add`, wrapping at 2^32 before the offset is
// added, as Wasm does). The value is pushed.
const loads = {
  I32_LOAD: [4, (ea) => `i32[sp] = dv.getInt32(${ea}, true);`],
  I64_LOAD: [8, (ea) => `i32[sp] = dv.getInt32(${ea}, true); i32[sp + 1] = dv.getInt32(${ea} + 4, true);`],
  I32_LOAD8_U: [1, (ea) => `i32[sp] = u8[${ea}]!;`],
  I32_LOAD8_S: [1, (ea) => `i32[sp] = (u8[${ea}]! << 24) >> 24;`],
  I32_LOAD16_U: [2, (ea) => `i32[sp] = dv.getUint16(${ea}, true);`],
  I32_LOAD16_S: [2, (ea) => `i32[sp] = dv.getInt16(${ea}, true);`],
  I64_LOAD8_U: [1, (ea) => `i32[sp] = u8[${ea}]!; i32[sp + 1] = 0;`],
  I64_LOAD32_U: [4, (ea) => `i32[sp] = dv.getInt32(${ea}, true); i32[sp + 1] = 0;`],
  I64_LOAD32_S: [4, (ea) => `{ const v = dv.getInt32(${ea}, true); i32[sp] = v; i32[sp + 1] = v >> 31; }`],
};
const bound = (n) => (n === 1 ? 'ea >= memLen' : `ea + ${n} > memLen`);
tables.load = {};
for (const [op, [n, body]] of Object.entries(loads)) {
  const forms = {
    L: [`(${L(0)} >>> 0) + (${C(1)} >>> 0)`, 2],
    A: [`((${L(0)} + ${C(1)}) >>> 0) + (${C(2)} >>> 0)`, 3],
  };
  tables.load[op] = {};
  for (const [form, [ea, k]] of Object.entries(forms)) {
    const name = `${op}_${form}`;
    names.push(name);
    tables.load[op][form] = name;
    cases.push(`          case Op.${name}: {
            const ea = ${ea};
            if (${bound(n)}) throw new Trap('out of bounds memory access');
            ${body('ea')}
            pc += ${k}; sp += 2;
            break;
          }`);
  }
}

// Stores of a local (_xL) or a constant (_xC) to an address from a local (L), the stack (S) or a
// local plus a constant (A). Immediates: [address local [, constant]], value, offset.
const stores = {
  I32_STORE: [4, (ea, v) => `dv.setInt32(${ea}, ${v}, true);`],
  I32_STORE8: [1, (ea, v) => `u8[${ea}] = ${v};`],
  I32_STORE16: [2, (ea, v) => `dv.setInt16(${ea}, ${v}, true);`],
};
tables.store = {};
for (const [op, [n, body]] of Object.entries(stores)) {
  tables.store[op] = {};
  for (const [af, addr, na] of [['L', (k) => `(${L(k)} >>> 0)`, 1], ['S', () => `(i32[sp]! >>> 0)`, 0], ['A', (k) => `((${L(k)} + ${C(k + 1)}) >>> 0)`, 2]]) {
    for (const [vf, val] of [['L', L], ['C', C]]) {
      const name = `${op}_${af}${vf}`;
      names.push(name);
      tables.store[op][af + vf] = name;
      cases.push(`          case Op.${name}: {
            ${af === 'S' ? 'sp -= 2;\n            ' : ''}const ea = ${addr(0)} + (${C(na + 1)} >>> 0);
            if (${bound(n)}) throw new Trap('out of bounds memory access');
            ${body('ea', val(na))}
            pc += ${na + 2};
            break;
          }`);
    }
  }
}
// Loop tails: `local.set x (i32.add ...)` (or a tee) followed by a branch on x — non-zero (BRNZ,
// from `local.tee x; br_if`) or compared with a constant (from `local.get x; i32.const N; i32.lt_u;
// br_if`). Immediates: dst, a, b [, N], target.
tables.loop = {};
for (const form of ['LL', 'LC']) {
  const b = form === 'LL' ? L(2) : C(2);
  const name = `I32_ADD_${form}_SET_BRNZ`;
  names.push(name);
  (tables.loop.BRNZ ??= {})[form] = name;
  cases.push(`          case Op.${name}: {
            const v = (${L(1)} + ${b}) | 0;
            i32[fp + code[pc]!] = v;
            ${branch('v !== 0', 3)}
            break;
          }`);
  for (const [cop, f] of Object.entries(cmp)) {
    const cname = `I32_ADD_${form}_SET_BR_${cop.slice(4)}`;
    names.push(cname);
    (tables.loop[cop] ??= {})[form] = cname;
    cases.push(`          case Op.${cname}: {
            const v = (${L(1)} + ${b}) | 0;
            i32[fp + code[pc]!] = v;
            ${branch(`(${f('v', C(3))})`, 4)}
            break;
          }`);
  }
}
// A comparison of a local with a constant stored into a local: dst, a, constant.
tables.cmpSet = {};
for (const [op, f] of Object.entries(cmp)) {
  const name = `${op}_LC_SET`;
  names.push(name);
  tables.cmpSet[op] = { LC: name };
  cases.push(`          case Op.${name}: i32[fp + code[pc]!] = ${f(L(1), C(2))} ? 1 : 0; pc += 3; break;`);
}

for (const [op, sym] of Object.entries(f64alu)) {
  const LF = (k) => `f64[(fp + code[pc + ${k}]!) >> 1]!`;
  tables.f64[op] = { LL: `${op}_LL`, SL: `${op}_SL` };
  names.push(`${op}_LL`, `${op}_SL`);
  cases.push(`          case Op.${op}_LL: f64[sp >> 1] = ${LF(0)} ${sym} ${LF(1)}; pc += 2; sp += 2; break;`);
  cases.push(`          case Op.${op}_SL: f64[(sp - 2) >> 1] = f64[(sp - 2) >> 1]! ${sym} ${LF(0)}; pc++; break;`);
}

// Exec's scratch variables, declared once at the top of Machine.exec (`let t = 0, n = 0, ...`, keep
// the two lists the same): each is one Ignition register for all cases instead of one per `const`
// in every case (438 registers were 77: smaller bytecode and deoptimisation frames, cheaper
// recompiles). The generated cases assign them instead of declaring their own.
const SCRATCH = ['a', 'al', 'ah', 'at', 'b', 'bl', 'bh', 'count', 'd', 'dst', 'dstRel', 'e', 'ea', 'end', 'hi', 'idx', 'imms', 'k', 'l', 'lo', 'n', 'nfp', 'nh', 'r', 'src', 'target', 't', 'ti', 'v'];

/** Rewrites `const x = A, y = B;` (every declarator a scratch name) as `x = A; y = B;`, and
 * `for (let k = ` as `for (k = `. Other declarations are left alone. */
function hoistScratch(code) {
  const names = new Set(SCRATCH);
  let out = '';
  let i = 0;
  const re = /\b(const|let) (?=[A-Za-z_$])/g;
  for (let m; (m = re.exec(code)) !== null;) {
    const start = m.index;
    // find the end of the statement: `;` at depth 0
    let depth = 0, j = re.lastIndex, cut = [j];
    for (; j < code.length; j++) {
      const ch = code[j];
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') { if (depth === 0) break; depth--; }
      else if (ch === ',' && depth === 0) cut.push(j + 1);
      else if (ch === ';' && depth === 0) break;
    }
    if (code[j] !== ';') continue;
    const parts = cut.map((c, k) => code.slice(c, k + 1 < cut.length ? cut[k + 1] - 1 : j).trim());
    const ok = parts.every((p) => { const mm = /^([A-Za-z_$][\w$]*)\s*=[^=]/.exec(p); return mm && names.has(mm[1]); });
    if (!ok) continue;
    out += code.slice(i, start) + parts.join('; ');
    i = j;
    re.lastIndex = j;
  }
  return out + code.slice(i);
}

function replaceRegion(file, body) {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const begin = text.indexOf('// <generated by gen-fused.mjs>');
  const end = text.indexOf('// </generated by gen-fused.mjs>');
  if (begin < 0 || end < 0) throw new Error(`no generated region in ${file}`);
  const lineStart = text.lastIndexOf('\n', begin) + 1;
  const indent = text.slice(lineStart, begin);
  writeFileSync(path, text.slice(0, begin) + '// <generated by gen-fused.mjs>\n' + body + '\n' + indent + text.slice(end));
}

replaceRegion('ops.ts', names.map((n) => `  ${n},`).join('\n'));
replaceRegion('machine.ts', hoistScratch(cases.join('\n')));
const table = (obj) => '{\n' + Object.entries(obj).map(([k, forms]) =>
  `  [Op.${k}]: { ${Object.entries(forms).map(([f, n]) => `${f}: Op.${n}`).join(', ')} },`).join('\n') + '\n}';
replaceRegion('fusion.ts', [
  `export const ALU_FORMS: Record<number, { LL: Op; LC?: Op; SC?: Op; SL: Op }> = ${table(tables.alu)};`,
  `export const CMP_FORMS: Record<number, { LL: Op; LC: Op; SC: Op }> = ${table(tables.cmp)};`,
  `export const BRCMP_FORMS: Record<number, { SS: Op; SC: Op; LL: Op; LC: Op }> = ${table(tables.brcmp)};`,
  `export const F64_FORMS: Record<number, { LL: Op; SL: Op }> = ${table(tables.f64)};`,
  `export const ALU_SET_FORMS: Record<number, { LL: Op; LC?: Op; SC?: Op; SL: Op; SS: Op }> = ${table(tables.aluSet)};`,
  `export const I64_FORMS: Record<number, { LL: Op; SC: Op; SL: Op }> = ${table(tables.i64)};`,
  `export const LOOP_FORMS: Record<number | 'BRNZ', { LL: Op; LC: Op }> = ${table(tables.loop).replace('[Op.BRNZ]', 'BRNZ')};`,
  `export const CMP_SET_FORMS: Record<number, { LC: Op }> = ${table(tables.cmpSet)};`,
  `export const LOAD_FORMS: Record<number, { L: Op; A: Op }> = ${table(tables.load)};`,
  `export const STORE_FORMS: Record<number, { LL: Op; LC: Op; SL: Op; SC: Op; AL: Op; AC: Op }> = ${table(tables.store)};`,
].join('\n'));
