// Every row of the formatter table takes some variable's type in the Rust and C++ fixtures, so
// the DAP value tests (test/dap/rust-values, cpp-values) exercise each formatter on real DWARF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORMATTERS, findFormatter, readDwarf, resolveType, type DwarfType } from '../../../core/debuginfo';

const lang = join(import.meta.dirname, '..', '..', 'fixtures', 'lang');

/** Formatter names reached from `t`: itself, its members, variants' fields, pointees and elements. */
function collect(t: DwarfType, into: Set<string>, seen: Set<DwarfType>, depth = 0): void {
  const r = resolveType(t);
  if (seen.has(r) || depth > 6) return;
  seen.add(r);
  const f = findFormatter(r);
  if (f) into.add(f.name);
  if (r.kind === 'struct') for (const m of r.members) collect(m.type, into, seen, depth + 1);
  else if (r.kind === 'pointer') collect(r.target, into, seen, depth + 1);
  else if (r.kind === 'array') collect(r.element, into, seen, depth + 1);
}

test('each formatter row is exercised by a fixture variable', () => {
  const used = new Set<string>();
  for (const file of ['values-rs.wasm', 'values-cpp.wasm']) {
    const info = readDwarf(readFileSync(join(lang, file)));
    assert.ok(info, file);
    const seen = new Set<DwarfType>();
    for (const fn of info.functions()) {
      if (!/^(values::|main$|c_strings$|geo::)/.test(fn.qualifiedName ?? fn.name ?? '')) continue;
      for (const r of fn.ranges) {
        for (let o = r.start; o < r.end; o += 8) for (const s of info.variablesAt(o)) for (const v of s.variables) collect(v.type, used, seen);
      }
    }
  }
  const missing = FORMATTERS.map((f) => f.name).filter((n) => !used.has(n));
  assert.deepEqual(missing, []);
});
