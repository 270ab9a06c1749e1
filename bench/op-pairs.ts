// Which internal instructions run most, and which pairs and triples of them run back to back: the
// measurements that say which superinstruction to fuse next. Counts over the compiled (already
// fused) stream, so a pair that is fused today no longer shows. Run:
//   npx tsx bench/op-pairs.ts [FILE.wasm ...]     (default: the `npm run bench` modules)
// Env: OPS_LIMIT=N instructions per module (default 20e6; the hot loops show long before), OPS_TOP=N.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../core/binary';
import { compileModule, instantiate, Machine, type CompiledFunc } from '../core/interp';
import { ensureCompiled } from '../core/interp/compile';

const root = join(import.meta.dirname, '..');
const limit = Number(process.env.OPS_LIMIT ?? 20e6);
const top = Number(process.env.OPS_TOP ?? 30);

// Op is a const enum (no names at run time): read them from its declaration, in order.
const opsText = readFileSync(join(root, 'core', 'interp', 'ops.ts'), 'utf8');
const enumBody = /export const enum Op \{([\s\S]*?)\n\}/.exec(opsText)![1]!;
const opNames = enumBody
  .replace(/\/\/.*$/gm, '')
  .split(',')
  .map((s) => s.trim())
  .filter((s) => /^[A-Z_0-9]+$/.test(s));
const nameOf = (op: number): string => opNames[op] ?? `op${op}`;

const files = process.argv.slice(2);
if (files.length === 0) {
  for (const dir of [join(root, '..', 'shared', 'bench'), join(root, 'bench', 'modules')]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.wasm')) files.push(join(dir, f));
  }
}
if (files.length === 0) throw new Error('op-pairs: no modules (pass FILE.wasm or provide ../shared/bench)');

const singles = new Map<number, number>();
const pairs = new Map<number, number>();
const triples = new Map<number, number>();
const bump = (m: Map<number, number>, k: number): void => void m.set(k, (m.get(k) ?? 0) + 1);
let total = 0;

for (const file of files) {
  const module = decodeModule(new Uint8Array(readFileSync(file)));
  const compiled = compileModule(module, { lazy: false });
  const instance = instantiate(compiled, {});
  const machine = new Machine();
  machine.start(instance, 'run', []);
  // A tracer on every instruction of every function: BREAK reports each one before it runs.
  const sites: [CompiledFunc, number][] = [];
  for (const f of instance.funcs) {
    const c = f.compiled;
    if (c === undefined) continue;
    ensureCompiled(c);
    for (const pc of c.pcs) sites.push([c, pc]);
  }
  let a = -1;
  let b = -1;
  let n = 0;
  const pop = machine.pushTracer({
    hit(c, pc) {
      const op = c.patched.get(pc)!.op;
      bump(singles, op);
      if (b >= 0) bump(pairs, b * 1024 + op);
      if (a >= 0) bump(triples, (a * 1024 + b) * 1024 + op);
      a = b;
      b = op;
      return ++n >= limit;
    },
  }, sites);
  const r = machine.run();
  pop();
  total += n;
  console.log(`${file.replace(root + '/', '')}: ${n} instructions counted (${r.reason})`);
}

function print(title: string, m: Map<number, number>, names: (k: number) => string): void {
  console.log(`\n${title} (of ${total} instructions)`);
  const rows = [...m].sort((x, y) => y[1] - x[1]).slice(0, top);
  for (const [k, c] of rows) console.log(`  ${((100 * c) / total).toFixed(2).padStart(6)}%  ${names(k)}`);
}
print('top instructions', singles, nameOf);
print('top pairs', pairs, (k) => `${nameOf(Math.floor(k / 1024))} → ${nameOf(k % 1024)}`);
print('top triples', triples, (k) => `${nameOf(Math.floor(k / 1048576))} → ${nameOf(Math.floor(k / 1024) % 1024)} → ${nameOf(k % 1024)}`);
