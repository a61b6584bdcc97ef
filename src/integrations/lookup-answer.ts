// What the company's system answered to a customer lookup, read into a result (pure, no I/O).
// 2xx with a JSON body: found; 404, 410 (RFC 9110 §15.5.5, §15.5.11), 204, or a JSON `null` or
// empty array: not found; any other status, a body that is not JSON, or a network failure: error.
import type { OutboundResult } from './outbound-request.ts';

export const LOOKUP_FAILURES = ['not-configured', 'timeout', 'error', 'not-found'] as const;
export type LookupFailure = (typeof LOOKUP_FAILURES)[number];

export type LookupResult = { ok: true; data: unknown; cached: boolean } | { ok: false; reason: LookupFailure };

/** The answer and, for the admin's test, why it was read that way (never the URL or headers). */
export interface ReadAnswer {
  result: LookupResult;
  detail: string;
  /** The JSON text of a found answer, for the cache. */
  json?: string;
}

export function readLookupAnswer(r: OutboundResult, timeoutMs: number): ReadAnswer {
  switch (r.kind) {
    case 'timeout': return { result: { ok: false, reason: 'timeout' }, detail: `no answer within ${timeoutMs} ms` };
    case 'aborted': return { result: { ok: false, reason: 'error' }, detail: 'abandoned' };
    case 'error': return { result: { ok: false, reason: 'error' }, detail: r.message };
    case 'response': break;
  }
  if (r.status === 404 || r.status === 410 || r.status === 204) return { result: { ok: false, reason: 'not-found' }, detail: `answered ${r.status}` };
  if (r.status < 200 || r.status > 299) return { result: { ok: false, reason: 'error' }, detail: `answered ${r.status}` };
  const text = r.body.toString('utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { result: { ok: false, reason: 'error' }, detail: `answered ${r.status} with a body that is not JSON` };
  }
  if (data === null || (Array.isArray(data) && data.length === 0)) return { result: { ok: false, reason: 'not-found' }, detail: `answered ${r.status} with no customer` };
  return { result: { ok: true, data, cached: false }, detail: `answered ${r.status}`, json: text };
}
