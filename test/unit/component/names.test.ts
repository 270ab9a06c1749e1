// The component-name section: decoded for the printer (items print as `$name (;N;)`), encoded from
// component text's `$names` — the same section bytes jco parse writes for the same text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeComponent, printComponent } from '../../../core/component';
import { decodeComponentNames, encodeComponentNames } from '../../../core/component/names';
import { parseComponentText } from '../../../core/component/text';

const root = join(import.meta.dirname, '..', '..', '..');
const lseek = join(root, '..', 'shared', 'wasi-testsuite', 'p2', 'c', 'lseek.wasm');
const stubCore = (): string => '(module)';

test('names of a wit-component component print as $names, quoted where a character is not an idchar', { skip: !existsSync(lseek) }, () => {
  const c = decodeComponent(new Uint8Array(readFileSync(lseek)));
  const names = decodeComponentNames(c);
  assert.equal(names.spaces.get('core module')?.get(0), 'main');
  const text = printComponent(c, { coreModule: stubCore });
  assert.match(text, /\(core module \$main \(;0;\)\)/);
  assert.match(text, /\(import "wasi:cli\/exit@0\.2\.12" \(instance \$wasi:cli\/exit@0\.2\.12 \(;0;\) \(type 0\)\)\)/);
  assert.match(text, /\(func \$run \(;22;\) \(type 34\)/);
});

test('$names of component text (plain and quoted) are written to component-name and read back', () => {
  const text = '(component $top (type $"my type" u8) (type $t2 (list $"my type")) (component $inner (type $x u32)))';
  const r = parseComponentText(text);
  assert.deepEqual(r.errors, []);
  const c = decodeComponent(r.bytes!);
  const names = decodeComponentNames(c);
  assert.equal(names.component, 'top');
  assert.deepEqual([...names.spaces.get('type')!], [[0, 'my type'], [1, 't2']]);
  assert.deepEqual([...names.spaces.get('component')!], [[0, 'inner']]);
  const inner = c.definitions.find((d) => d.kind === 'component');
  assert.ok(inner?.kind === 'component');
  assert.equal(decodeComponentNames(inner.component).component, 'inner');
  const printed = printComponent(c, { coreModule: stubCore });
  assert.match(printed, /^\(component \$top\n {2}\(type \$"my type" \(;0;\) u8\)\n {2}\(type \$t2 \(;1;\) \(list 0\)\)\n {2}\(component \$inner \(;0;\)\n {4}\(type \$x \(;0;\) u32\)\)\)\n$/);
  // print → parse gives the same names again
  assert.deepEqual(decodeComponentNames(decodeComponent(parseComponentText(printed).bytes!)), names);
});

test('a name printed once per space: a duplicate name would not read back, so it is left out', () => {
  const enc = encodeComponentNames({ component: undefined, spaces: new Map([['type', new Map([[0, 'a'], [1, 'a']])]]) })!;
  const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 7, 3, 2, 0x7d, 0x7d, ...section('component-name', enc)]);
  const text = printComponent(decodeComponent(bytes), { coreModule: stubCore });
  assert.match(text, /\(type \$a \(;0;\) u8\)\n {2}\(type \(;1;\) u8\)/);
  assert.deepEqual(parseComponentText(text).errors, []);
});

const jco = join(root, 'node_modules', '.bin', 'jco');
test('the section jco parse writes for a hand-written component is the one we write (nested components too)', { skip: !existsSync(jco) && 'jco is not installed' }, () => {
  const fixture = join(root, 'test', 'fixtures', 'component', 'text', 'run-result.wat');
  const ours = parseComponentText(readFileSync(fixture, 'utf8')).bytes!;
  const tmp = mkdtempSync(join(tmpdir(), 'wasmscope-names-'));
  try {
    const out = join(tmp, 'c.wasm');
    const r = spawnSync(jco, ['parse', fixture, '-o', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const theirs = new Uint8Array(readFileSync(out));
    const sections = (b: Uint8Array): string[] => {
      const c = decodeComponent(b);
      const all = [c, ...c.definitions.flatMap((d) => (d.kind === 'component' ? [d.component] : []))];
      return all.flatMap((x) => x.customSections.filter((s) => s.name === 'component-name').map((s) => Buffer.from(b.subarray(s.offset, s.offset + s.size)).toString('hex')));
    };
    assert.equal(sections(ours).length, 2);
    assert.deepEqual(sections(ours), sections(theirs));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

function section(name: string, data: Uint8Array): number[] {
  const n = [...new TextEncoder().encode(name)];
  const body = [n.length, ...n, ...data];
  return [0, body.length, ...body];
}
