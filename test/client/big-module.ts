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

/**
 * A module of about `targetBytes` shaped like a clang `-g` build: many functions with loops, loads,
 * stores and calls, a name section, and DWARF custom sections (`.debug_info`, `.debug_line`,
 * `.debug_abbrev`, `.debug_str`) holding about 30% of the bytes. Deterministic: the same size
 * gives the same bytes. Written into one preallocated buffer, so 50 MB builds in well under a second.
 */
export function bigModuleWithDebug(targetBytes: number): Uint8Array {
  const debugBytes = Math.floor(targetBytes * 0.3);
  // One body: a counted loop over memory with a call, about 120 bytes; the callee varies.
  const bodyFor = (i: number, funcs: number): number[] => {
    const callee = (i * 7919 + 1) % funcs;
    const b = [1, 2, 0x7f, 0x20, 0x00, 0x21, 0x01, 0x02, 0x40, 0x03, 0x40];
    for (let k = 0; k < 6; k++) {
      b.push(0x20, 0x01, 0x20, 0x01, 0x28, 0x02, ...uleb(k * 4), 0x41, ...uleb((i + k) & 0x3fff), 0x6a, 0x36, 0x02, ...uleb(k * 4 + 64));
      b.push(0x20, 0x02, 0x41, 0x01, 0x6a, 0x21, 0x02);
    }
    b.push(0x20, 0x02, 0x10, ...uleb(callee), 0x1a);
    b.push(0x20, 0x02, 0x41, 0xe4, 0x00, 0x49, 0x0d, 0x00, 0x0b, 0x0b, 0x20, 0x02, 0x0b);
    return [...uleb(b.length), ...b];
  };
  const perFunc = bodyFor(1, 2).length + 16; // code entry + its name and DWARF share
  const funcs = Math.max(1, Math.floor((targetBytes - debugBytes) / perFunc));
  const parts: ArrayLike<number>[] = [[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]];
  parts.push(section(1, [1, 0x60, 1, 0x7f, 1, 0x7f]));
  const fsec = new Uint8Array(uleb(funcs).length + funcs);
  fsec.set(uleb(funcs));
  parts.push([3, ...uleb(fsec.length)], fsec);
  parts.push(section(5, [1, 0x00, 1]));
  const esec = [...uleb(Math.ceil(funcs / 100) + 1), ...name('memory'), 0x02, 0x00];
  for (let i = 0; i < funcs; i += 100) esec.push(...name(`f${i}`), 0x00, ...uleb(i));
  parts.push(section(7, esec));
  const bodies: number[][] = [];
  let codeSize = uleb(funcs).length;
  for (let i = 0; i < funcs; i++) {
    const body = bodyFor(i, funcs);
    bodies.push(body);
    codeSize += body.length;
  }
  parts.push([10, ...uleb(codeSize), ...uleb(funcs)]);
  for (const b of bodies) parts.push(b);
  const names: number[][] = [uleb(funcs)];
  let namesSize = names[0]!.length;
  for (let i = 0; i < funcs; i++) {
    const entry = [...uleb(i), ...name(`_ZN4prog6module4func${i}E`)];
    names.push(entry);
    namesSize += entry.length;
  }
  const nameHead = [...name('name'), 0x01, ...uleb(namesSize)];
  parts.push([0, ...uleb(nameHead.length + namesSize), ...nameHead]);
  for (const e of names) parts.push(e);
  // DWARF: .debug_str holds real strings; the other sections deterministic filler of their share.
  const strs: number[][] = [];
  let strsSize = 0;
  for (let i = 0; strsSize < debugBytes * 0.2; i++) {
    const s = new TextEncoder().encode(`func${i}\0src/module${i % 97}.c\0`);
    strs.push([...s]);
    strsSize += s.length;
  }
  let seed = 0x2545f491;
  for (const [s, len] of [['.debug_abbrev', 4096], ['.debug_info', Math.floor(debugBytes * 0.45)], ['.debug_line', Math.floor(debugBytes * 0.35)]] as const) {
    const n = name(s);
    const filler = new Uint8Array(len);
    for (let k = 0; k < len; k++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      filler[k] = seed >>> 24;
    }
    parts.push([0, ...uleb(n.length + len), ...n], filler);
  }
  const n = name('.debug_str');
  parts.push([0, ...uleb(n.length + strsSize), ...n]);
  for (const e of strs) parts.push(e);
  const out = new Uint8Array(parts.reduce((k, p) => k + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
