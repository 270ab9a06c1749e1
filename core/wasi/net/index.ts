// core/wasi/net: the host's network services (TCP, UDP, name lookup, HTTP client and server)
// for the WASI 0.2 and 0.3 hosts, with no WIT or ABI knowledge, behind one sandbox policy.
export * from './address';
export { NetError, codeOfErrno, netErrorOf, type NetErrorCode } from './errors';
export { NetPolicy, type NetUse } from './policy';
export { Signal } from './signal';
export { TcpSocket, type TcpOptions, type TcpState } from './tcp';
export { UdpSocket, type Datagram, type UdpState } from './udp';
export { resolveAddresses, type ResolvedAddress } from './dns';
export { Fields, HeaderError, FORBIDDEN_HEADERS, isValidFieldName, isValidFieldValue, type FieldEntry, type HeaderErrorCode } from './http-fields';
export { HttpError, httpError, httpErrorOf, type HttpErrorCode } from './http-errors';
export { BodyStream } from './body';
export { sendRequest, checkRequestHead, parseAuthority, type HttpRequestHead, type HttpClientOptions, type IncomingResponse } from './http-client';
export { startHttpServer, type HttpServer, type HttpHandler, type HttpServerOptions, type IncomingRequest, type OutgoingResponse } from './http-server';
