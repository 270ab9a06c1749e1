// The HTTP server behind `wasmscope serve`: each request goes to a handler with its head, a
// streaming body and trailers; the handler's response (status, headers, a body stream that may
// end with trailers) goes back with backpressure. A handler failure is a 500 for that request,
// never the end of the server.
import * as http from 'node:http';
import { fromNode, type SocketAddress } from './address';
import { BodyStream, bodyFromNode } from './body';
import { httpErrorOf } from './http-errors';
import { Fields } from './http-fields';

export interface IncomingRequest {
  method: string;
  scheme: 'http';
  /** The Host header, when the client sent one. */
  authority: string | undefined;
  pathWithQuery: string;
  headers: Fields;
  body: BodyStream;
  remote: SocketAddress;
}

export interface OutgoingResponse {
  status: number;
  headers: Fields;
  /** Written by the handler; finish(trailers) ends it. Absent: an empty body. */
  body?: BodyStream;
}

export type HttpHandler = (request: IncomingRequest) => Promise<OutgoingResponse>;

export interface HttpServerOptions {
  host: string;
  port: number;
  handler: HttpHandler;
  /** Told about failures the client only sees as a 500 or a cut connection. */
  onError?: (message: string) => void;
}

export interface HttpServer {
  address: SocketAddress;
  /** http://HOST:PORT/ with IPv6 hosts bracketed. */
  url: string;
  /** Stops accepting, ends open connections, resolves once the server is closed. */
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const server = http.createServer({ requireHostHeader: false }, (req, res) => {
    void handle(req, res, options);
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (e: Error): void => {
      server.off('listening', up);
      reject(e);
    };
    const up = (): void => {
      server.off('error', fail);
      resolve();
    };
    server.once('error', fail);
    server.once('listening', up);
    server.listen(options.port, options.host);
  });
  // Later server errors (a failed accept) are reported, never an unhandled 'error' event.
  server.on('error', (e) => options.onError?.(`server: ${e.message}`));
  const a = server.address();
  if (a === null || typeof a === 'string') throw new Error('serve: the server has no TCP address');
  const address = fromNode(a.address, a.port, a.family);
  const host = address.family === 'ipv6' ? `[${address.address}]` : address.address;
  return {
    address,
    url: `http://${host}:${address.port}/`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** Resolves at 'drain' or 'close', whichever comes first, leaving no listener behind. */
function drained(res: http.ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, options: HttpServerOptions): Promise<void> {
  const where = `${req.method} ${req.url}`;
  const request: IncomingRequest = {
    method: req.method ?? 'GET',
    scheme: 'http',
    authority: req.headers.host,
    pathWithQuery: req.url ?? '/',
    headers: Fields.fromRaw(req.rawHeaders),
    body: bodyFromNode(req, (raw) => Fields.fromRaw(raw), (e) => httpErrorOf(e, where)),
    remote: fromNode(req.socket.remoteAddress ?? '', req.socket.remotePort ?? 0, req.socket.remoteFamily),
  };
  let response: OutgoingResponse;
  try {
    response = await options.handler(request);
    if (!Number.isInteger(response.status) || response.status < 100 || response.status > 999) throw new Error(`the handler answered with status ${response.status}`);
  } catch (e) {
    options.onError?.(`${where}: ${e instanceof Error ? e.message : String(e)}`);
    if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    } else res.destroy();
    return;
  }
  try {
    res.writeHead(response.status, response.headers.toObject());
    const body = response.body;
    if (body && req.method !== 'HEAD') {
      for (;;) {
        const chunk = await body.read();
        if (chunk === 'end') break;
        if (!res.write(chunk)) await drained(res);
        if (res.destroyed) return;
      }
      const trailers = body.trailers;
      if (trailers) res.addTrailers(trailers.toObject());
    }
    res.end();
  } catch (e) {
    options.onError?.(`${where}: the response failed: ${e instanceof Error ? e.message : String(e)}`);
    res.destroy();
  }
}
