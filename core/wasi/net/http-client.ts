// The HTTP client a wasi:http host sends outgoing requests with, over node:http and node:https:
// the request head is checked (method token, scheme, authority, path, the sandbox policy) before
// anything goes out; the body streams in from the guest with backpressure and may end with
// trailers; the response head comes back with a streaming body. Failures are wasi:http error
// codes (HttpError), timeouts included: connect, first byte, between bytes.
import * as http from 'node:http';
import * as https from 'node:https';
import { isIPv6 } from 'node:net';
import { BodyStream, bodyFromNode } from './body';
import { HttpError, httpError, httpErrorOf } from './http-errors';
import { Fields } from './http-fields';
import type { NetPolicy } from './policy';

export interface HttpRequestHead {
  /** A token: GET, POST, ... or any other method. */
  method: string;
  /** 'http' or 'https'. */
  scheme: string;
  /** host[:port], the host an IP, [IPv6] or a name. */
  authority: string;
  /** Starts with '/' (or is '*'), query included. */
  pathWithQuery: string;
  headers: Fields;
}

export interface HttpClientOptions {
  policy: NetPolicy;
  /** Milliseconds; Wasmtime's defaults are 600 s each. */
  connectTimeoutMs?: number;
  firstByteTimeoutMs?: number;
  betweenBytesTimeoutMs?: number;
}

export interface IncomingResponse {
  status: number;
  headers: Fields;
  /** Streams the response body; its trailers are there when it ends. */
  body: BodyStream;
}

const DEFAULT_TIMEOUT_MS = 600_000;
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** host and port of an authority, or undefined when it is not one. */
export function parseAuthority(authority: string, scheme: string): { host: string; port: number } | undefined {
  const m = /^(?:[^@/?#]*@)?(\[[0-9A-Fa-f:.]+\]|[^:[\]/?#@]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!m) return undefined;
  const host = m[1]!.startsWith('[') ? m[1]!.slice(1, -1) : m[1]!;
  if (m[1]!.startsWith('[') && !isIPv6(host)) return undefined;
  const port = m[2] !== undefined ? Number(m[2]) : scheme === 'https' ? 443 : 80;
  if (port > 65535) return undefined;
  return { host, port };
}

/** Checks the head as wasi:http would refuse it, without sending anything. */
export function checkRequestHead(head: HttpRequestHead, policy: NetPolicy): { host: string; port: number } {
  if (!METHOD.test(head.method)) throw httpError('HTTP-request-method-invalid', `request: '${head.method}' is not a valid method`);
  if (head.scheme !== 'http' && head.scheme !== 'https') throw httpError('HTTP-protocol-error', `request: unsupported scheme '${head.scheme}' (http or https)`);
  const target = parseAuthority(head.authority, head.scheme);
  if (!target) throw httpError('HTTP-request-URI-invalid', `request: '${head.authority}' is not a valid authority`);
  const p = head.pathWithQuery;
  if (!(p === '*' || p.startsWith('/')) || [...p].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f)) throw httpError('HTTP-request-URI-invalid', `request: '${p}' is not a valid path`);
  if (!policy.allowsAuthority(target.host, target.port)) {
    throw httpError('HTTP-request-denied', `request to ${head.authority} is not allowed (wasmscope --allow-net=${target.host}:${target.port} grants it)`);
  }
  return target;
}

/**
 * Sends a request. `body` (when given) is read until it finishes; its trailers go out after it
 * (chunked). The promise resolves with the response head once it arrives.
 */
export function sendRequest(head: HttpRequestHead, body: BodyStream | undefined, options: HttpClientOptions): Promise<IncomingResponse> {
  let target: { host: string; port: number };
  try {
    target = checkRequestHead(head, options.policy);
  } catch (e) {
    return Promise.reject(e instanceof HttpError ? e : httpErrorOf(e, 'request'));
  }
  const declared = head.headers.get('content-length');
  let expected: number | undefined;
  if (declared.length > 0) {
    const text = Buffer.from(declared[0]!).toString('latin1').trim();
    if (!/^\d+$/.test(text) || declared.length > 1) return Promise.reject(httpError('HTTP-request-body-size', `request: bad content-length '${text}'`));
    expected = Number(text);
  }
  const connectMs = options.connectTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const firstByteMs = options.firstByteTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const betweenMs = options.betweenBytesTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const where = `${head.method} ${head.scheme}://${head.authority}${head.pathWithQuery === '*' ? '' : head.pathWithQuery}`;

  return new Promise<IncomingResponse>((resolve, reject) => {
    const mod = head.scheme === 'https' ? https : http;
    const headers: Record<string, string | string[]> = { ...head.headers.toObject(), host: head.authority.replace(/^[^@]*@/, '') };
    let req: http.ClientRequest;
    try {
      req = mod.request({
        method: head.method, host: target.host, port: target.port, path: head.pathWithQuery, headers,
        setHost: false, agent: false, servername: isIPv6(target.host) || /^\d+\.\d+\.\d+\.\d+$/.test(target.host) ? undefined : target.host,
      });
    } catch (e) {
      reject(httpErrorOf(e, where));
      return;
    }
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number, tag: string, what: string, destroy: (e: Error) => void): void => {
      clearTimeout(timer);
      timer = setTimeout(() => destroy(httpError(tag, `${where}: ${what} after ${ms} ms`)), ms);
    };
    const fail = (e: unknown): void => {
      clearTimeout(timer);
      const err = httpErrorOf(e, where);
      if (!settled) {
        settled = true;
        reject(err);
      }
    };
    req.on('error', fail);
    req.on('socket', (s) => {
      if ((s as { connecting?: boolean }).connecting) {
        arm(connectMs, 'connection-timeout', 'no connection', (e) => req.destroy(e));
        s.once('connect', () => clearTimeout(timer));
      }
    });
    req.on('finish', () => arm(firstByteMs, 'connection-read-timeout', 'no response', (e) => req.destroy(e)));
    req.on('response', (res) => {
      clearTimeout(timer);
      const rearm = (): void => arm(betweenMs, 'connection-read-timeout', 'the response body stalled', (e) => res.destroy(e));
      rearm();
      const resBody = bodyFromNode(res, (raw) => Fields.fromRaw(raw), (e) => httpErrorOf(e, where), rearm);
      res.on('end', () => clearTimeout(timer));
      res.on('close', () => clearTimeout(timer));
      settled = true;
      resolve({ status: res.statusCode ?? 0, headers: Fields.fromRaw(res.rawHeaders), body: resBody });
    });

    if (!body) {
      if (expected !== undefined && expected !== 0) {
        req.destroy(httpError('HTTP-request-body-size', `${where}: content-length ${expected} but no body`, 0));
        return;
      }
      req.end();
      return;
    }
    void (async () => {
      try {
        for (;;) {
          const chunk = await body.read();
          if (chunk === 'end') break;
          if (expected !== undefined && body.written > expected) throw httpError('HTTP-request-body-size', `${where}: the body is longer than its content-length ${expected}`, body.written);
          if (!req.write(chunk)) await new Promise<void>((r) => req.once('drain', () => r()));
          if (settled && req.destroyed) return;
        }
        if (expected !== undefined && body.written !== expected) throw httpError('HTTP-request-body-size', `${where}: the body has ${body.written} bytes, content-length says ${expected}`, body.written);
        const trailers = body.trailers;
        if (trailers) req.addTrailers(trailers.toObject());
        req.end();
      } catch (e) {
        req.destroy(e instanceof Error ? e : new Error(String(e)));
      }
    })();
  });
}
