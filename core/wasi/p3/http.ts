// wasi:http@0.3 on the network: wasi:http/client's `send` over core/wasi/net's Node HTTP client,
// and the glue `wasmscope serve` uses to hand each incoming request to a component's
// wasi:http/handler export and stream its response back. Bodies are 0.3 streams on both sides;
// trailers travel in the futures next to them.
import type { AsyncRuntime } from '../../component/async/runtime';
import { CopyResult, HostSink, type SharedFuture, type SharedStream } from '../../component/async/waitables';
import {
  BodyStream, Fields as NetFields, HttpError, httpErrorOf, sendRequest, type HttpErrorCode, type IncomingRequest, type IncomingResponse,
  type NetPolicy, type OutgoingResponse,
} from '../net';
import { none, ok, some, type Tagged } from '../p2/values';
import { Fields, Request, Response } from './http-types';
import { drainAsync, feedAsync, newFuture, newStream, resolveFuture } from './streams';

const opt = (v: unknown): Tagged => (v === undefined || v === null ? none : some(v));

const OPTION_PAYLOAD = new Set([
  'HTTP-request-body-size', 'HTTP-request-header-section-size', 'HTTP-request-trailer-section-size', 'HTTP-response-header-section-size',
  'HTTP-response-body-size', 'HTTP-response-trailer-section-size', 'HTTP-response-transfer-coding', 'HTTP-response-content-coding',
  'internal-error',
]);
const FIELD_SIZE = new Set(['HTTP-request-trailer-size', 'HTTP-response-header-size', 'HTTP-response-trailer-size']);

/** The net layer's error code (plain JS payloads) as the WIT value of wasi:http/types error-code. */
export function errorCodeWit(c: HttpErrorCode): Tagged {
  const v = c.val as Record<string, unknown> | number | string | undefined;
  const fieldSize = (p: unknown): Tagged | Record<string, Tagged> => {
    const o = (p ?? {}) as { fieldName?: string; fieldSize?: number };
    return { 'field-name': opt(o.fieldName), 'field-size': opt(o.fieldSize) };
  };
  if (c.tag === 'DNS-error') {
    const o = (v ?? {}) as { rcode?: string; infoCode?: number };
    return { tag: c.tag, val: { rcode: opt(o.rcode), 'info-code': opt(o.infoCode) } };
  }
  if (c.tag === 'TLS-alert-received') {
    const o = (v ?? {}) as { alertId?: number; alertMessage?: string };
    return { tag: c.tag, val: { 'alert-id': opt(o.alertId), 'alert-message': opt(o.alertMessage) } };
  }
  if (c.tag === 'HTTP-request-header-size') return { tag: c.tag, val: v === undefined ? none : some(fieldSize(v)) };
  if (FIELD_SIZE.has(c.tag)) return { tag: c.tag, val: fieldSize(v) };
  if (OPTION_PAYLOAD.has(c.tag)) return { tag: c.tag, val: opt(typeof v === 'number' && c.tag.endsWith('size') ? (c.tag.includes('body') ? BigInt(v) : v) : v) };
  return { tag: c.tag };
}

function toNetFields(f: Fields): NetFields {
  return NetFields.fromList(f.copyAll(), false).freeze();
}

function fromNetFields(f: NetFields): Fields {
  const out = new Fields(true);
  out.entries.push(...f.entriesList());
  return out;
}

/** Reads a guest-written future of trailers (result<option<fields>, error-code>) into the net layer's. */
function readTrailers(f: SharedFuture, done: (r: { trailers?: NetFields; error?: HttpError }) => void): void {
  const sink = new HostSink(1);
  f.read(undefined, sink, (result) => {
    if (result !== CopyResult.COMPLETED) {
      done({});
      return;
    }
    const v = sink.values()[0] as Tagged;
    if (v.tag === 'err') {
      done({ error: new HttpError(v.val as HttpErrorCode, 'the component ended the body with an error') });
      return;
    }
    const t = v.val as Tagged | undefined;
    done({ trailers: t?.tag === 'some' ? toNetFields(t.val as Fields) : undefined });
  });
}

/** A guest's body (stream + trailers future) as a BodyStream the net layer writes out. */
function bodyOf(rt: AsyncRuntime, contents: SharedStream | undefined, trailers: SharedFuture, onDone: (error?: unknown) => void): BodyStream {
  const body = new BodyStream();
  const finish = (): void => readTrailers(trailers, (r) => {
    if (r.error) body.fail(r.error);
    else body.finish(r.trailers);
    onDone(r.error);
  });
  if (!contents) finish();
  else {
    drainAsync(rt, contents, (b) => body.writeAll(b), (e) => {
      if (e !== undefined) {
        body.fail(httpErrorOf(e, 'the component body'));
        onDone(e);
      } else finish();
    });
  }
  return body;
}

/** A body the net layer reads (incoming) as a 0.3 stream and its trailers future. */
function streamOfBody(rt: AsyncRuntime, body: BodyStream): [SharedStream, SharedFuture] {
  const s = newStream(rt);
  const f = newFuture(rt);
  feedAsync(rt, s, async () => {
    const r = await body.read(64 * 1024);
    return r === 'end' ? null : r;
  }, (e) => {
    if (e !== undefined) resolveFuture(f, { tag: 'err', val: errorCodeWit(httpErrorOf(e, 'body').code) });
    else {
      const t = body.trailers;
      resolveFuture(f, ok(t ? some(fromNetFields(t)) : none));
    }
  });
  return [s, f];
}

function methodOf(m: string): Tagged {
  const std = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];
  return std.includes(m) ? { tag: m.toLowerCase() } : { tag: 'other', val: m };
}

function methodName(m: Tagged): string {
  return m.tag === 'other' ? String(m.val) : m.tag.toUpperCase();
}

/** An incoming request (from `wasmscope serve`) as the request resource a handler export takes. */
export function incomingRequest(rt: AsyncRuntime, req: IncomingRequest): Request {
  const [contents, trailers] = streamOfBody(rt, req.body);
  const r = new Request(fromNetFields(req.headers), contents, trailers, undefined);
  r.method = methodOf(req.method);
  r.scheme = { tag: 'HTTP' };
  r.authority = req.authority;
  r.pathWithQuery = req.pathWithQuery;
  return r;
}

/** The response a handler returned, for the server to write out. */
export function outgoingResponse(rt: AsyncRuntime, r: Response): OutgoingResponse {
  const body = bodyOf(rt, r.contents, r.trailers, (e) => resolveFuture(r.transmitted, e === undefined ? ok() : { tag: 'err', val: { tag: 'internal-error', val: none } }));
  return { status: r.status, headers: toNetFields(r.headers), body };
}

/** wasi:http/client's `send`: the guest's request over Node's HTTP client; the response as a resource. */
export function clientSend(rt: AsyncRuntime, policy: NetPolicy, track: <T extends object>(r: T) => T) {
  return async (req: Request): Promise<Tagged> => {
    const scheme = req.scheme?.tag === 'HTTPS' ? 'https' : req.scheme?.tag === 'other' ? String(req.scheme.val) : 'http';
    const body = req.contents ? bodyOf(rt, req.contents, req.trailers, (e) => resolveFuture(req.transmitted, e === undefined ? ok() : { tag: 'err', val: { tag: 'internal-error', val: none } })) : undefined;
    if (!body) readTrailers(req.trailers, () => resolveFuture(req.transmitted, ok()));
    let res: IncomingResponse;
    try {
      res = await sendRequest({
        method: methodName(req.method), scheme, authority: req.authority ?? '', pathWithQuery: req.pathWithQuery ?? '/', headers: toNetFields(req.headers),
      }, body, { policy });
    } catch (e) {
      return { tag: 'err', val: errorCodeWit(httpErrorOf(e, 'send').code) };
    }
    const [contents, trailers] = streamOfBody(rt, res.body);
    const out = track(new Response(fromNetFields(res.headers), contents, trailers));
    out.status = res.status;
    return ok(out);
  };
}
