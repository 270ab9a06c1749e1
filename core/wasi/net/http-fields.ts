// HTTP header and trailer fields with wasi:http's rules: names are tokens (RFC 9110), compared
// without case and kept lower-case; values are bytes without CR, LF or NUL; the hop-by-hop and
// Host headers a guest may not set are forbidden (Wasmtime's list); a frozen set is immutable.

export type HeaderErrorCode = 'invalid-syntax' | 'forbidden' | 'immutable';

export class HeaderError extends Error {
  constructor(readonly code: HeaderErrorCode, message: string) {
    super(message);
    this.name = 'HeaderError';
  }
}

/** Headers the host manages itself (framing, connection, routing); a guest may not set them. */
export const FORBIDDEN_HEADERS: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection',
  'transfer-encoding', 'upgrade', 'host', 'http2-settings',
]);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isValidFieldName(name: string): boolean {
  return TOKEN.test(name);
}

/** A field value: visible ASCII, obs-text and tab/space inside, no control bytes. */
export function isValidFieldValue(value: Uint8Array): boolean {
  for (const b of value) if ((b < 0x20 && b !== 0x09) || b === 0x7f) return false;
  return true;
}

export type FieldEntry = [name: string, value: Uint8Array];

const latin1 = (v: Uint8Array): string => Buffer.from(v.buffer, v.byteOffset, v.length).toString('latin1');

export class Fields {
  private readonly entries: FieldEntry[] = [];
  private frozen = false;

  /** Fields from a list of entries, every name and value checked; forbidden names refused when `guard`. */
  static fromList(list: readonly FieldEntry[], guard = true): Fields {
    const f = new Fields(guard);
    for (const [n, v] of list) f.append(n, v);
    return f;
  }

  /** `guard`: the guest's own fields, where forbidden names are refused (false for what the host received). */
  constructor(private readonly guard = true) {}

  get immutable(): boolean {
    return this.frozen;
  }

  /** No more changes (a request's or response's headers once they are attached, received fields). */
  freeze(): this {
    this.frozen = true;
    return this;
  }

  get(name: string): Uint8Array[] {
    const n = name.toLowerCase();
    if (!isValidFieldName(name)) return [];
    return this.entries.filter((e) => e[0] === n).map((e) => e[1]);
  }

  has(name: string): boolean {
    return this.get(name).length > 0;
  }

  set(name: string, values: readonly Uint8Array[]): void {
    const n = this.checkName(name);
    for (const v of values) this.checkValue(name, v);
    this.removeAll(n);
    for (const v of values) this.entries.push([n, v.slice()]);
  }

  append(name: string, value: Uint8Array): void {
    const n = this.checkName(name);
    this.checkValue(name, value);
    this.entries.push([n, value.slice()]);
  }

  delete(name: string): void {
    this.removeAll(this.checkName(name));
  }

  getAndDelete(name: string): Uint8Array[] {
    const n = this.checkName(name);
    const values = this.get(n);
    this.removeAll(n);
    return values;
  }

  /** Every entry in order, names lower-case. */
  entriesList(): FieldEntry[] {
    return this.entries.map(([n, v]) => [n, v.slice()]);
  }

  /** A mutable copy (wasi:http's `clone` gives a fresh, mutable fields). */
  clone(): Fields {
    const f = new Fields(this.guard);
    for (const [n, v] of this.entries) f.entries.push([n, v.slice()]);
    return f;
  }

  /** For node:http: a flat [name, value, name, value, ...] list (values as latin1 text). */
  toRawHeaders(): string[] {
    return this.entries.flatMap(([n, v]) => [n, latin1(v)]);
  }

  /** For node:http trailers and headers objects: repeated names joined as Node expects. */
  toObject(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [n, v] of this.entries) (out[n] ??= []).push(latin1(v));
    return out;
  }

  /** Received fields (Node's rawHeaders list), as the host got them: names lower-cased, immutable. */
  static fromRaw(raw: readonly string[]): Fields {
    const f = new Fields(false);
    for (let i = 0; i + 1 < raw.length; i += 2) f.entries.push([raw[i]!.toLowerCase(), new Uint8Array(Buffer.from(raw[i + 1]!, 'latin1'))]);
    return f.freeze();
  }

  private checkName(name: string): string {
    if (this.frozen) throw new HeaderError('immutable', `fields: the fields are immutable (setting '${name}')`);
    if (!isValidFieldName(name)) throw new HeaderError('invalid-syntax', `fields: '${name}' is not a valid field name`);
    const n = name.toLowerCase();
    if (this.guard && FORBIDDEN_HEADERS.has(n)) throw new HeaderError('forbidden', `fields: '${n}' is managed by the host and may not be set`);
    return n;
  }

  private checkValue(name: string, value: Uint8Array): void {
    if (!isValidFieldValue(value)) throw new HeaderError('invalid-syntax', `fields: the value of '${name}' has a control character`);
  }

  private removeAll(n: string): void {
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]![0] === n) this.entries.splice(i, 1);
  }
}
