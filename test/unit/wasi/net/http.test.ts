// core/wasi/net HTTP over loopback: fields (names, values, forbidden headers, immutability),
// the client and the server against each other (streaming bodies both ways, trailers both
// ways, status and headers), the client's wasi:http error codes (refused, denied, invalid
// method/authority/scheme, DNS, body size, timeouts) and a failing handler giving a 500.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { once } from 'node:events';
import {
  BodyStream, Fields, HeaderError, HttpError, NetPolicy, sendRequest, startHttpServer,
  type HttpRequestHead, type HttpServer,
} from '../../../../core/wasi/net';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const open = { policy: NetPolicy.allowAll() };

function head(authority: string, more: Partial<HttpRequestHead> = {}): HttpRequestHead {
  return { method: 'GET', scheme: 'http', authority, pathWithQuery: '/', headers: new Fields(), ...more };
}

async function httpCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HttpError) return e.code.tag;
    throw e;
  }
  return undefined;
}

function headerCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof HeaderError) return e.code;
    throw e;
  }
  return undefined;
}

test('fields: token names without case, byte values, forbidden and immutable', () => {
  const f = new Fields();
  f.append('Foo', enc('a'));
  f.append('foo', enc('b'));
  assert.deepEqual(f.get('FOO').map(dec), ['a', 'b']);
  assert.ok(f.has('foo'));
  f.set('foo', [enc('c')]);
  assert.deepEqual(f.entriesList().map(([n, v]) => [n, dec(v)]), [['foo', 'c']]);
  assert.deepEqual(f.getAndDelete('foo').map(dec), ['c']);
  assert.ok(!f.has('foo'));
  assert.equal(headerCode(() => f.append('bad name', enc('x'))), 'invalid-syntax');
  assert.equal(headerCode(() => f.append('', enc('x'))), 'invalid-syntax');
  assert.equal(headerCode(() => f.append('x', enc('a\r\nb'))), 'invalid-syntax');
  f.append("!#$%&'*+-.^_`|~x", enc('tab\tok'));
  for (const name of ['connection', 'Host', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'transfer-encoding', 'upgrade', 'http2-settings']) {
    assert.equal(headerCode(() => f.set(name, [enc('x')])), 'forbidden', name);
  }
  const copy = f.clone();
  f.freeze();
  assert.equal(headerCode(() => f.append('y', enc('1'))), 'immutable');
  copy.append('y', enc('1'));
  assert.equal(copy.get('y').length, 1);
  assert.equal(f.get('y').length, 0);
  assert.equal(headerCode(() => Fields.fromList([['connection', enc('close')]])), 'forbidden');
});

async function echoServer(): Promise<HttpServer> {
  return startHttpServer({
    host: '127.0.0.1',
    port: 0,
    handler: async (req) => {
      const body = await req.body.readAll();
      const h = new Fields();
      h.append('content-type', enc('text/plain'));
      h.append('x-method', enc(req.method));
      h.append('x-path', enc(req.pathWithQuery));
      h.append('x-authority', enc(req.authority ?? ''));
      for (const v of req.headers.get('x-in')) h.append('x-in-echo', v);
      const out = new BodyStream();
      void (async () => {
        await out.writeAll(enc('got '));
        await out.writeAll(body);
        const t = new Fields();
        for (const [n, v] of req.body.trailers?.entriesList() ?? []) t.append(`x-trailer-${n}`, v);
        t.append('x-done', enc('yes'));
        out.finish(t);
      })();
      return { status: req.pathWithQuery === '/missing' ? 404 : 201, headers: h, body: out };
    },
  });
}

test('client and server: streaming bodies and trailers both ways, status and headers', async () => {
  const server = await echoServer();
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const authority = `127.0.0.1:${server.address.port}`;
  const headers = new Fields();
  headers.append('x-in', enc('one'));
  headers.append('x-in', enc('two'));
  const body = new BodyStream();
  const response = sendRequest(head(authority, { method: 'POST', pathWithQuery: '/echo?q=1', headers }), body, open);
  await body.writeAll(enc('hello '));
  await body.writeAll(enc('world'));
  const trailers = new Fields();
  trailers.append('checksum', enc('abc'));
  body.finish(trailers);
  const r = await response;
  assert.equal(r.status, 201);
  assert.equal(dec(r.headers.get('x-method')[0]!), 'POST');
  assert.equal(dec(r.headers.get('x-path')[0]!), '/echo?q=1');
  assert.equal(dec(r.headers.get('x-authority')[0]!), authority);
  assert.deepEqual(r.headers.get('x-in-echo').map(dec), ['one', 'two']);
  assert.ok(r.headers.immutable);
  assert.equal(dec(await r.body.readAll()), 'got hello world');
  assert.equal(dec(r.body.trailers!.get('x-trailer-checksum')[0]!), 'abc');
  assert.equal(dec(r.body.trailers!.get('x-done')[0]!), 'yes');

  const missing = await sendRequest(head(authority, { pathWithQuery: '/missing' }), undefined, open);
  assert.equal(missing.status, 404);
  assert.equal(dec(await missing.body.readAll()), 'got ');
  await server.close();
});

test('a large body streams through the server and back with backpressure', async () => {
  const server = await echoServer();
  const body = new BodyStream();
  const response = sendRequest(head(`127.0.0.1:${server.address.port}`, { method: 'PUT' }), body, open);
  const big = new Uint8Array(3 << 20).map((_, i) => i & 255);
  await body.writeAll(big);
  body.finish();
  const r = await response;
  const got = await r.body.readAll();
  assert.equal(got.length, big.length + 4);
  assert.deepEqual(got.subarray(4, 1004), big.subarray(0, 1000));
  await server.close();
});

test('client errors are wasi:http error codes', async () => {
  const probe = net.createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const deadPort = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  assert.equal(await httpCode(sendRequest(head(`127.0.0.1:${deadPort}`), undefined, open)), 'connection-refused');
  assert.equal(await httpCode(sendRequest(head('127.0.0.1:80'), undefined, { policy: NetPolicy.deny() })), 'HTTP-request-denied');
  assert.equal(await httpCode(sendRequest(head('127.0.0.1:80'), undefined, { policy: NetPolicy.parse(['127.0.0.1:81']) })), 'HTTP-request-denied');
  assert.equal(await httpCode(sendRequest(head('127.0.0.1:80', { method: 'GE T' }), undefined, open)), 'HTTP-request-method-invalid');
  assert.equal(await httpCode(sendRequest(head('127.0.0.1:99999'), undefined, open)), 'HTTP-request-URI-invalid');
  assert.equal(await httpCode(sendRequest(head(''), undefined, open)), 'HTTP-request-URI-invalid');
  assert.equal(await httpCode(sendRequest(head('127.0.0.1:80', { pathWithQuery: 'no-slash' }), undefined, open)), 'HTTP-request-URI-invalid');
  assert.equal(await httpCode(sendRequest(head('127.0.0.1:80', { scheme: 'ftp' }), undefined, open)), 'HTTP-protocol-error');
  assert.equal(await httpCode(sendRequest(head('no-such-host.invalid'), undefined, open)), 'DNS-error');

  const server = await echoServer();
  const authority = `127.0.0.1:${server.address.port}`;
  const h = new Fields();
  h.append('content-length', enc('10'));
  const short = new BodyStream();
  const p = sendRequest(head(authority, { method: 'POST', headers: h }), short, open);
  short.write(enc('abc'));
  short.finish();
  assert.equal(await httpCode(p), 'HTTP-request-body-size');
  await server.close();
});

test('timeouts: first byte and between bytes', async () => {
  let hold: http.ServerResponse[] = [];
  const slow = http.createServer((req, res) => {
    if (req.url === '/stall') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('part');
    }
    hold.push(res);
  });
  slow.listen(0, '127.0.0.1');
  await once(slow, 'listening');
  const authority = `127.0.0.1:${(slow.address() as net.AddressInfo).port}`;
  assert.equal(await httpCode(sendRequest(head(authority), undefined, { ...open, firstByteTimeoutMs: 100 })), 'connection-read-timeout');
  const r = await sendRequest(head(authority, { pathWithQuery: '/stall' }), undefined, { ...open, betweenBytesTimeoutMs: 100 });
  assert.equal(dec((await r.body.read()) as Uint8Array), 'part');
  assert.equal(await httpCode(r.body.read()), 'connection-read-timeout');
  for (const res of hold) res.destroy();
  hold = [];
  slow.closeAllConnections();
  await new Promise<void>((res) => slow.close(() => res()));
});

test('server: a failing handler is a 500 and the server goes on; HEAD has no body', async () => {
  const errors: string[] = [];
  const server = await startHttpServer({
    host: '127.0.0.1', port: 0, onError: (m) => errors.push(m),
    handler: async (req) => {
      if (req.pathWithQuery === '/boom') throw new Error('boom');
      const body = new BodyStream();
      body.write(enc('text'));
      body.finish();
      const h = new Fields();
      h.append('content-length', enc('4'));
      return { status: 200, headers: h, body };
    },
  });
  const authority = `127.0.0.1:${server.address.port}`;
  const boom = await sendRequest(head(authority, { pathWithQuery: '/boom' }), undefined, open);
  assert.equal(boom.status, 500);
  await boom.body.readAll();
  assert.match(errors[0]!, /GET \/boom: boom/);
  const headOnly = await sendRequest(head(authority, { method: 'HEAD' }), undefined, open);
  assert.equal(headOnly.status, 200);
  assert.equal((await headOnly.body.readAll()).length, 0);
  const ok = await sendRequest(head(authority), undefined, open);
  assert.equal(dec(await ok.body.readAll()), 'text');
  await server.close();
});
