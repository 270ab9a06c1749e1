// encodeComponent: the inverse of decodeComponent. Every component we have (the hand-written
// fixture, wasi-testsuite's p2/c and rust-wasip3 components) re-encodes byte for byte, custom
// sections aside (the encoder writes only the ones it is given, after the definitions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeComponent } from '../../../core/component/decode';
import { encodeComponent, toEncodable } from '../../../core/component/encode';
import { ByteReader } from '../../../core/binary/leb128';

const root = join(import.meta.dirname, '..', '..', '..');
const shared = join(root, '..', 'shared', 'wasi-testsuite');

/** The component's bytes without its top-level custom sections. */
function withoutCustomSections(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  const r = new ByteReader(bytes, 8, bytes.length);
  while (!r.atEnd) {
    const start = r.pos;
    const id = r.u8();
    const size = r.u32();
    if (id !== 0) parts.push(bytes.subarray(start, r.pos + size));
    r.pos += size;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const files = [
  join(root, 'test', 'fixtures', 'component', 'print', 'small.wasm'),
  ...[join(shared, 'p2', 'c'), join(shared, 'rust-wasip3')]
    .filter((d) => existsSync(d))
    .flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.wasm')).map((f) => join(d, f))),
];

test(`decode → encode gives the same bytes (${files.length} components)`, () => {
  assert.ok(files.length > 1);
  for (const file of files) {
    const bytes = new Uint8Array(readFileSync(file));
    const out = encodeComponent(toEncodable(decodeComponent(bytes)));
    assert.ok(Buffer.from(out).equals(Buffer.from(withoutCustomSections(bytes))), file);
  }
});

test('custom sections are written after the definitions', () => {
  const out = encodeComponent({ definitions: [], customSections: [{ name: 'x', data: new Uint8Array([1, 2]) }] });
  assert.deepEqual([...out], [0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 0, 4, 1, 0x78, 1, 2]);
});

test('a value type index of 64 or more is a signed LEB (s33), as the decoder reads it', () => {
  const out = encodeComponent({ definitions: [{ kind: 'type', type: { kind: 'defval', type: { kind: 'option', elem: { index: 64, offset: 0 } } }, offset: 0 }] });
  assert.deepEqual([...out.subarray(8)], [7, 4, 1, 0x6b, 0xc0, 0x00]);
  const back = decodeComponent(out).definitions[0];
  assert.ok(back?.kind === 'type' && back.type.kind === 'defval' && back.type.type.kind === 'option');
  assert.deepEqual(back.type.type.elem, { index: 64, offset: 12 });
});
