// The checks a UAS makes before any processing (RFC 3261 §8.2.1–§8.2.3, §16.3), as a pure function:
// which error response, if any, a well-formed request needs.
import { field, header, headerValues, type HeaderField, type SipRequest } from './sip-message.ts';
import { isSipUri, isTelUri } from './sip-uri.ts';

/** Methods defined by RFC 3261 and its extensions; others answer 501, these 405 when not allowed. */
const KNOWN_METHODS = new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'INFO', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'UPDATE', 'MESSAGE', 'REFER', 'PUBLISH']);

export interface RequestPolicy {
  /** Methods this element handles (the Allow header). */
  allow: readonly string[];
  /** Option tags it supports (§8.2.2.3). */
  supported: readonly string[];
  /** Body types an INVITE may carry (§8.2.3). */
  accept: readonly string[];
}

export type RequestCheck = { ok: true } | { ok: false; status: number; reason?: string; headers: HeaderField[] };

const fail = (status: number, headers: HeaderField[] = [], reason?: string): RequestCheck => ({ ok: false, status, reason, headers });

export function checkRequest(req: SipRequest, policy: RequestPolicy): RequestCheck {
  if (req.version !== 'SIP/2.0') return fail(505);
  // §8.2.2.1: a Request-URI scheme we do not understand.
  if (!isSipUri(req.uri) && !isTelUri(req.uri)) return fail(416);
  // §19.1.5: headers are not allowed in a Request-URI.
  if (isSipUri(req.uri) && req.uri.headers.length > 0) return fail(400, [], 'Headers Not Allowed In Request-URI');
  const branch = req.via[0]?.branch;
  if (branch !== undefined && branch.toLowerCase() === 'z9hg4bk') return fail(400, [], 'Bad Via Branch');
  const known = KNOWN_METHODS.has(req.method);
  if (req.cseq.method !== req.method) return known ? fail(400, [], 'CSeq Method Mismatch') : fail(501);
  if (!policy.allow.includes(req.method)) {
    return known ? fail(405, [field('Allow', policy.allow.join(', '))]) : fail(501, [field('Allow', policy.allow.join(', '))]);
  }
  if (req.method !== 'ACK' && req.method !== 'CANCEL') {
    const unsupported = headerValues(req, 'Require').filter((tag) => !policy.supported.includes(tag.toLowerCase()));
    if (unsupported.length > 0) return fail(420, [field('Unsupported', unsupported.join(', '))]);
  }
  if (req.method === 'INVITE') {
    const accept = headerValues(req, 'Accept').map((a) => a.split(';')[0]!.trim().toLowerCase());
    if (accept.length > 0 && !accept.some((a) => a === '*/*' || a === 'application/*' || policy.accept.includes(a))) {
      return fail(406, [field('Warning', '399 switchboard "an INVITE UA must accept application/sdp"')]);
    }
    if (req.body.length > 0) {
      const type = (header(req, 'Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
      const encoding = (header(req, 'Content-Encoding') ?? 'identity').trim().toLowerCase();
      if (!policy.accept.includes(type) || encoding !== 'identity') {
        return fail(415, [field('Accept', policy.accept.join(', ')), field('Accept-Encoding', 'identity')]);
      }
    }
  }
  return { ok: true };
}
