// Builds a large synthetic binary (about 5 MB: many functions, a name section) for speed tests.

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

/** `funcs` functions of type (i32) → i32 whose bodies add 1 `adds` times; every 100th is exported. */
export function bigModule(funcs: number, adds: number): Uint8Array {
  const parts: ArrayLike<number>[] = [[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]];
  parts.push(section(1, [1, 0x60, 1, 0x7f, 1, 0x7f]));
  const fsec = [...uleb(funcs)];
  for (let i = 0; i < funcs; i++) fsec.push(0);
  parts.push(section(3, fsec));
  const exported = Math.ceil(funcs / 100);
  const esec = [...uleb(exported)];
  for (let i = 0; i < funcs; i += 100) esec.push(...name(`f${i}`), 0x00, ...uleb(i));
  parts.push(section(7, esec));
  const body = [0x00, 0x20, 0x00];
  for (let k = 0; k < adds; k++) body.push(0x41, 0x01, 0x6a);
  body.push(0x0b);
  const entry = [...uleb(body.length), ...body];
  // The code section is most of the module: fill it as bytes rather than pushing numbers.
  const count = uleb(funcs);
  const size = count.length + funcs * entry.length;
  const code = new Uint8Array(1 + uleb(size).length + size);
  code.set([10, ...uleb(size), ...count]);
  for (let i = 0, at = 1 + uleb(size).length + count.length; i < funcs; i++, at += entry.length) code.set(entry, at);
  parts.push(code);
  const names: number[] = [...uleb(funcs)];
  for (let i = 0; i < funcs; i++) names.push(...uleb(i), ...name(`func_${i}`));
  parts.push(section(0, [...name('name'), 0x01, ...uleb(names.length), ...names]));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
