// wasi:http/types error-code as a typed error: `code.tag` is the WIT case name
// ('DNS-error', 'connection-refused', 'HTTP-request-denied', ...), `code.val` its payload as plain
// JS (DNS-error: { rcode?, infoCode? }; the size cases: a number or undefined; internal-error: text).
export interface HttpErrorCode {
  tag: string;
  val?: unknown;
}

export class HttpError extends Error {
  constructor(readonly code: HttpErrorCode, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

export const httpError = (tag: string, message: string, val?: unknown): HttpError =>
  new HttpError(val === undefined ? { tag } : { tag, val }, message);

const TLS_CERT = /CERT|UNABLE_TO_VERIFY|SELF_SIGNED|UNABLE_TO_GET_ISSUER/;

/** What a node:http client failure means in wasi:http's terms. */
export function httpErrorOf(e: unknown, what: string): HttpError {
  if (e instanceof HttpError) return e;
  const code = String((e as { code?: unknown } | null)?.code ?? '');
  const msg = `${what}: ${e instanceof Error ? e.message : String(e)}`;
  switch (code) {
    case 'ENOTFOUND': case 'EAI_NONAME': case 'EAI_NODATA': case 'EAI_FAIL': case 'EAI_AGAIN':
      return httpError('DNS-error', msg, { rcode: code, infoCode: undefined });
    case 'ECONNREFUSED': return httpError('connection-refused', msg);
    case 'ECONNRESET': case 'EPIPE': return httpError('connection-terminated', msg);
    case 'ETIMEDOUT': return httpError('connection-timeout', msg);
    case 'EHOSTUNREACH': case 'ENETUNREACH': case 'EHOSTDOWN': case 'ENETDOWN': return httpError('destination-unavailable', msg);
    case 'EADDRNOTAVAIL': return httpError('destination-IP-unroutable', msg);
    case 'EMFILE': case 'ENFILE': return httpError('connection-limit-reached', msg);
    case 'ERR_INVALID_HTTP_TOKEN': return httpError('HTTP-request-method-invalid', msg);
    case 'ERR_UNESCAPED_CHARACTERS': case 'ERR_INVALID_URL': return httpError('HTTP-request-URI-invalid', msg);
    case 'ERR_INVALID_CHAR': return httpError('HTTP-request-header-size', msg);
    case 'HPE_HEADER_OVERFLOW': return httpError('HTTP-response-header-section-size', msg);
    case 'HPE_INVALID_TRANSFER_ENCODING': return httpError('HTTP-response-transfer-coding', msg, code);
    case 'HPE_INVALID_CONSTANT': case 'HPE_INVALID_VERSION': case 'HPE_INVALID_STATUS': case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH': case 'HPE_INVALID_CHUNK_SIZE': case 'HPE_INVALID_CONTENT_LENGTH':
      return httpError('HTTP-protocol-error', msg);
    case 'HPE_INVALID_EOF_STATE': return httpError('HTTP-response-incomplete', msg);
    case 'EPROTO': return httpError('TLS-protocol-error', msg);
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return httpError(TLS_CERT.test(code) ? 'TLS-certificate-error' : 'TLS-protocol-error', msg);
  if (TLS_CERT.test(code)) return httpError('TLS-certificate-error', msg);
  if (code.startsWith('HPE_')) return httpError('HTTP-protocol-error', msg);
  return httpError('internal-error', msg, msg);
}
