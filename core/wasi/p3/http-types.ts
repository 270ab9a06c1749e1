// wasi:http/types@0.3.0 without the network: fields (headers and trailers), request and
// response resources with the checks the interface asks for (field names are HTTP tokens, values
// have no control bytes, forbidden and immutable fields, methods, schemes, authorities, paths and
// status codes validated). Sending a request (wasi:http/client) and serving one
// (`wasmscope serve`) build on these.
import type { SharedFuture, SharedStream, Wake } from '../../component/async/waitables';
import { none, ok, some, type Tagged } from '../p2/values';
import { newFuture, newStream } from './streams';

const err = (val?: unknown): Tagged => (val === undefined ? { tag: 'err' } : { tag: 'err', val });
const headerError = (tag: string): Tagged => err({ tag });

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Hop-by-hop headers a guest may not set (as Wasmtime's default forbidden list). */
const FORBIDDEN = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'transfer-encoding', 'upgrade', 'http2-settings', 'host']);

function validValue(v: Uint8Array): boolean {
  for (const b of v) if ((b < 0x20 && b !== 0x09) || b === 0x7f) return false;
  return true;
}

export class Fields {
  /** Lower-cased name → values, in insertion order. */
  readonly entries: [string, Uint8Array][] = [];
  constructor(public immutable = false) {}

  static fromList(list: unknown): Tagged {
    const f = new Fields();
    for (const [name, value] of list as [string, Uint8Array][]) {
      const e = f.check(name, value, false);
      if (e) return e;
      f.entries.push([name.toLowerCase(), value]);
    }
    return ok(f);
  }

  /** The error for setting `name` (and `value`), or undefined when allowed. */
  private check(name: string, value: Uint8Array | undefined, mutating = true): Tagged | undefined {
    if (mutating && this.immutable) return headerError('immutable');
    if (!TOKEN.test(name)) return headerError('invalid-syntax');
    if (FORBIDDEN.has(name.toLowerCase())) return headerError('forbidden');
    if (value !== undefined && !validValue(value)) return headerError('invalid-syntax');
    return undefined;
  }

  get(name: string): Uint8Array[] {
    const n = name.toLowerCase();
    return this.entries.filter(([k]) => k === n).map(([, v]) => v);
  }

  has(name: string): boolean {
    const n = name.toLowerCase();
    return this.entries.some(([k]) => k === n);
  }

  set(name: string, values: Uint8Array[]): Tagged {
    for (const v of values) {
      const e = this.check(name, v);
      if (e) return e;
    }
    const e = this.check(name, undefined);
    if (e) return e;
    this.remove(name);
    for (const v of values) this.entries.push([name.toLowerCase(), v]);
    return ok();
  }

  delete(name: string): Tagged {
    if (this.immutable) return headerError('immutable');
    if (!TOKEN.test(name)) return headerError('invalid-syntax');
    if (FORBIDDEN.has(name.toLowerCase())) return headerError('forbidden');
    this.remove(name);
    return ok();
  }

  getAndDelete(name: string): Tagged {
    if (this.immutable) return headerError('immutable');
    if (!TOKEN.test(name)) return headerError('invalid-syntax');
    if (FORBIDDEN.has(name.toLowerCase())) return headerError('forbidden');
    const values = this.get(name);
    this.remove(name);
    return ok(values);
  }

  append(name: string, value: Uint8Array): Tagged {
    const e = this.check(name, value);
    if (e) return e;
    this.entries.push([name.toLowerCase(), value]);
    return ok();
  }

  copyAll(): [string, Uint8Array][] {
    return this.entries.map(([k, v]) => [k, v.slice()]);
  }

  /** A mutable copy. */
  clone(): Fields {
    const f = new Fields();
    f.entries.push(...this.copyAll());
    return f;
  }

  private remove(name: string): void {
    const n = name.toLowerCase();
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]![0] === n) this.entries.splice(i, 1);
  }
}

const METHODS = new Set(['get', 'head', 'post', 'put', 'delete', 'connect', 'options', 'trace', 'patch']);

function validMethod(m: Tagged): boolean {
  return METHODS.has(m.tag) || (m.tag === 'other' && typeof m.val === 'string' && TOKEN.test(m.val));
}

function validScheme(s: Tagged | undefined): boolean {
  if (!s || s.tag !== 'other') return true;
  return typeof s.val === 'string' && /^[A-Za-z][A-Za-z0-9+\-.]*$/.test(s.val);
}

/** An authority: [userinfo@]host[:port], host a name, IPv4 or [IPv6] (the http crate's rules, roughly). */
function validAuthority(a: string): boolean {
  if (a === '' || /[\s/?#\\]/.test(a)) return false;
  const at = a.lastIndexOf('@');
  const userinfo = at >= 0 ? a.slice(0, at) : '';
  if (userinfo.includes('@') || !/^[A-Za-z0-9\-._~!$&'()*+,;=:%]*$/.test(userinfo)) return false;
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=]*)(?::(\d*))?$/.exec(a.slice(at + 1));
  if (!m || m[1] === '') return false;
  return m[2] === undefined || m[2] === '' || Number(m[2]) <= 65535;
}

/** A path and query as the http crate's PathAndQuery accepts them (its byte tables). */
function validPath(p: string): boolean {
  let query = false;
  for (let i = 0; i < p.length; i++) {
    const b = p.charCodeAt(i);
    if (!query && b === 0x3f) {
      query = true;
      continue;
    }
    const ok = query
      ? b === 0x21 || (b >= 0x24 && b <= 0x3b) || b === 0x3d || (b >= 0x3f && b <= 0x7e)
      : b === 0x21 || (b >= 0x24 && b <= 0x3b) || b === 0x3d || (b >= 0x40 && b <= 0x5f) || (b >= 0x61 && b <= 0x7a) || b === 0x7c || b === 0x7e
        || b === 0x22 || b === 0x7b || b === 0x7d;
    // Non-ASCII (UTF-8 in the guest's string) passes, as in http 1.x.
    if (!ok && b < 0x80) return false;
  }
  return true;
}

export class Request {
  /** The future request.new returned: resolved once the body was sent. */
  transmitted: SharedFuture;
  method: Tagged = { tag: 'get' };
  pathWithQuery: string | undefined;
  scheme: Tagged | undefined;
  authority: string | undefined;
  constructor(readonly headers: Fields, readonly contents: SharedStream | undefined, readonly trailers: SharedFuture, readonly options: RequestOptions | undefined) {
    headers.immutable = true;
    this.transmitted = newFuture(trailers.rt);
  }

  /** Dropped unsent: the body and trailers are never read, so the guest's writes of them end (DROPPED). */
  drop(): void {
    this.contents?.drop();
    this.trailers.drop();
  }
}

export class RequestOptions {
  connectTimeout: bigint | undefined;
  firstByteTimeout: bigint | undefined;
  betweenBytesTimeout: bigint | undefined;
  immutable = false;
}

export class Response {
  status = 200;
  /** The future response.new returned: resolved once the body was sent. */
  transmitted: SharedFuture;
  constructor(readonly headers: Fields, readonly contents: SharedStream | undefined, readonly trailers: SharedFuture) {
    headers.immutable = true;
    this.transmitted = newFuture(trailers.rt);
  }

  drop(): void {
    this.contents?.drop();
    this.trailers.drop();
  }
}

/** A body stream that ends at once (a request or response made without contents). */
function closedStream(rt: Wake): SharedStream {
  const s = newStream(rt);
  s.drop();
  return s;
}

const opt = (v: unknown): Tagged => (v === undefined ? none : some(v));
const fromOpt = (t: unknown): unknown => ((t as Tagged).tag === 'some' ? (t as Tagged).val : undefined);

/** The function table of wasi:http/types@0.3.0 (fields, request, request-options, response). */
export function httpTypes(rt: Wake, track: <T extends object>(r: T) => T): Record<string, (...a: never[]) => unknown> {
  const view = (f: Fields): Fields => {
    // get-headers hands out a handle of its own to the same immutable fields.
    const v = Object.create(f) as Fields;
    return track(v);
  };
  return {
    '[constructor]fields': () => track(new Fields()),
    '[static]fields.from-list': (list: unknown) => {
      const r = Fields.fromList(list);
      if (r.tag === 'ok') track(r.val as Fields);
      return r;
    },
    '[method]fields.get': (f: Fields, n: string) => f.get(n),
    '[method]fields.has': (f: Fields, n: string) => f.has(n),
    '[method]fields.set': (f: Fields, n: string, v: Uint8Array[]) => f.set(n, v),
    '[method]fields.delete': (f: Fields, n: string) => f.delete(n),
    '[method]fields.get-and-delete': (f: Fields, n: string) => f.getAndDelete(n),
    '[method]fields.append': (f: Fields, n: string, v: Uint8Array) => f.append(n, v),
    '[method]fields.copy-all': (f: Fields) => f.copyAll(),
    '[method]fields.clone': (f: Fields) => track(f.clone()),
    '[static]request.new': (headers: Fields, contents: unknown, trailers: SharedFuture, options: unknown) => {
      const r = track(new Request(headers, fromOpt(contents) as SharedStream | undefined, trailers, fromOpt(options) as RequestOptions | undefined));
      return [r, r.transmitted];
    },
    '[method]request.get-method': (r: Request) => r.method,
    '[method]request.set-method': (r: Request, m: Tagged) => {
      if (!validMethod(m)) return err();
      // other("GET") is the standard method (the names are case-sensitive, as the http crate parses them).
      const std = m.tag === 'other' && METHODS.has((m.val as string).toLowerCase()) && m.val === (m.val as string).toUpperCase();
      r.method = std ? { tag: (m.val as string).toLowerCase() } : m;
      return ok();
    },
    '[method]request.get-path-with-query': (r: Request) => opt(r.pathWithQuery),
    '[method]request.set-path-with-query': (r: Request, p: unknown) => {
      const v = fromOpt(p) as string | undefined;
      if (v !== undefined && !validPath(v)) return err();
      r.pathWithQuery = v === '' ? '/' : v;
      return ok();
    },
    '[method]request.get-scheme': (r: Request) => opt(r.scheme),
    '[method]request.set-scheme': (r: Request, s: unknown) => {
      const v = fromOpt(s) as Tagged | undefined;
      if (!validScheme(v)) return err();
      // "http"/"https" spelled as other(...) are the known schemes (as the http crate parses them).
      const known = v?.tag === 'other' ? ({ http: 'HTTP', https: 'HTTPS' } as Record<string, string>)[(v.val as string).toLowerCase()] : undefined;
      r.scheme = known ? { tag: known } : v;
      return ok();
    },
    '[method]request.get-authority': (r: Request) => opt(r.authority),
    '[method]request.set-authority': (r: Request, a: unknown) => {
      const v = fromOpt(a) as string | undefined;
      if (v !== undefined && !validAuthority(v)) return err();
      r.authority = v;
      return ok();
    },
    '[method]request.get-options': (r: Request) => {
      if (!r.options) return none;
      const o = track(new RequestOptions());
      Object.assign(o, r.options, { immutable: true });
      return some(o);
    },
    '[method]request.get-headers': (r: Request) => view(r.headers),
    '[constructor]request-options': () => track(new RequestOptions()),
    '[method]request-options.get-connect-timeout': (o: RequestOptions) => opt(o.connectTimeout),
    '[method]request-options.set-connect-timeout': (o: RequestOptions, d: unknown) => {
      if (o.immutable) return err({ tag: 'immutable' });
      o.connectTimeout = fromOpt(d) as bigint | undefined;
      return ok();
    },
    '[method]request-options.get-first-byte-timeout': (o: RequestOptions) => opt(o.firstByteTimeout),
    '[method]request-options.set-first-byte-timeout': (o: RequestOptions, d: unknown) => {
      if (o.immutable) return err({ tag: 'immutable' });
      o.firstByteTimeout = fromOpt(d) as bigint | undefined;
      return ok();
    },
    '[method]request-options.get-between-bytes-timeout': (o: RequestOptions) => opt(o.betweenBytesTimeout),
    '[method]request-options.set-between-bytes-timeout': (o: RequestOptions, d: unknown) => {
      if (o.immutable) return err({ tag: 'immutable' });
      o.betweenBytesTimeout = fromOpt(d) as bigint | undefined;
      return ok();
    },
    '[method]request-options.clone': (o: RequestOptions) => {
      const c = track(new RequestOptions());
      Object.assign(c, o, { immutable: false });
      return c;
    },
    '[static]response.new': (headers: Fields, contents: unknown, trailers: SharedFuture) => {
      const r = track(new Response(headers, fromOpt(contents) as SharedStream | undefined, trailers));
      return [r, r.transmitted];
    },
    '[method]response.get-status-code': (r: Response) => r.status,
    '[method]response.set-status-code': (r: Response, s: number) => {
      if (s < 100 || s > 599) return err();
      r.status = s;
      return ok();
    },
    '[method]response.get-headers': (r: Response) => view(r.headers),
    '[static]request.consume-body': (r: Request) => [r.contents ?? closedStream(rt), r.trailers],
    '[static]response.consume-body': (r: Response) => [r.contents ?? closedStream(rt), r.trailers],
  };
}
