// SipMessage → bytes, and responses built from requests (RFC 3261 §8.2.6, §20.14). Fields received
// from a peer are written back exactly as they came; Content-Length is always recomputed.
import { randomUUID } from 'node:crypto';
import { field, type HeaderField, type SipMessage } from './sip-message.ts';

/** A response reason phrase for the codes this stack sends (§21). */
export const REASONS: Record<number, string> = {
  100: 'Trying', 180: 'Ringing', 181: 'Call Is Being Forwarded', 182: 'Queued', 183: 'Session Progress',
  200: 'OK', 202: 'Accepted', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout',
  415: 'Unsupported Media Type', 416: 'Unsupported URI Scheme', 420: 'Bad Extension', 423: 'Interval Too Brief',
  480: 'Temporarily Unavailable', 481: 'Call/Transaction Does Not Exist', 482: 'Loop Detected', 483: 'Too Many Hops',
  486: 'Busy Here', 487: 'Request Terminated', 488: 'Not Acceptable Here', 491: 'Request Pending',
  500: 'Server Internal Error', 501: 'Not Implemented', 503: 'Service Unavailable', 504: 'Server Time-out',
  505: 'Version Not Supported', 513: 'Message Too Large', 600: 'Busy Everywhere', 603: 'Decline',
};

const CRLF = '\r\n';
const line = (h: HeaderField): string => h.raw ?? `${h.name}: ${h.value}`;

/** Serializes a start line, header fields (minus any Content-Length) and the body. */
export function serialize(startLine: string, headers: readonly HeaderField[], body: Buffer = Buffer.alloc(0)): Buffer {
  let head = Buffer.from(startLine, 'utf8').toString('latin1') + CRLF;
  for (const h of headers) if (h.key !== 'content-length') head += line(h) + CRLF;
  head += `Content-Length: ${body.length}${CRLF}${CRLF}`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

export const startLineOf = (m: SipMessage): string =>
  m.kind === 'request' ? `${m.method} ${m.uriText} SIP/2.0` : `SIP/2.0 ${m.status} ${m.reason}`;

export const serializeMessage = (m: SipMessage): Buffer => serialize(startLineOf(m), m.headers, m.body);

/**
 * A fresh tag for From/To (§19.3: at least 32 bits of randomness): 48 random bits, taken from
 * randomUUID, which draws from a cached entropy pool (cheaper than randomBytes per call).
 */
export const newTag = (): string => randomUUID().replace('-', '').slice(0, 12);

export interface ResponseOptions {
  reason?: string | undefined;
  /** Added to To when the request's To has no tag (§8.2.6.2); not for 100 Trying. */
  toTag?: string | undefined;
  headers?: HeaderField[] | undefined;
  body?: Buffer | undefined;
}

/**
 * §8.2.6.2: the response copies every Via (in order), From, Call-ID and CSeq, and To with a tag.
 * Works from whatever header fields a malformed request yielded, so a stateless 400 can be sent.
 */
export function buildResponse(request: { headers: readonly HeaderField[] }, status: number, o: ResponseOptions = {}): Buffer {
  const out: HeaderField[] = [];
  for (const h of request.headers) {
    if (h.key === 'via' || h.key === 'from' || h.key === 'call-id' || h.key === 'cseq') out.push(h);
    else if (h.key === 'to') {
      const needsTag = o.toTag !== undefined && status > 100 && !/;\s*tag\s*=/i.test(h.value);
      out.push(needsTag ? { ...h, raw: undefined, value: `${h.value};tag=${o.toTag}` } : h);
    }
  }
  out.push(...(o.headers ?? []));
  if (!out.some((h) => h.key === 'server')) out.push(field('Server', 'Switchboard'));
  return serialize(`SIP/2.0 ${status} ${o.reason ?? REASONS[status] ?? 'Unknown'}`, out, o.body);
}
