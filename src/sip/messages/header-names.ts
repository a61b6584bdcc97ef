// Header names: compact forms (RFC 3261 §7.3.3 and later RFCs) and the headers whose values are
// comma-separated lists (§7.3.1). Names compare case-insensitively (§7.3.1).

const COMPACT: Record<string, string> = {
  i: 'call-id', m: 'contact', e: 'content-encoding', l: 'content-length', c: 'content-type', f: 'from', s: 'subject',
  k: 'supported', t: 'to', v: 'via', o: 'event', u: 'allow-events', r: 'refer-to', b: 'referred-by', x: 'session-expires',
  y: 'identity', a: 'accept-contact', d: 'request-disposition', j: 'reject-contact',
};

/** Lower-case long form of a header name. */
export const canonicalName = (name: string): string => {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? lower;
};

/**
 * Headers defined as comma-separated lists; others (and unknown ones) are never split. Credentials
 * and challenges are left whole: their parameters are comma-separated too (§25.1).
 */
export const LIST_HEADERS: ReadonlySet<string> = new Set([
  'via', 'contact', 'route', 'record-route', 'allow', 'supported', 'require', 'proxy-require', 'unsupported',
  'accept', 'accept-encoding', 'accept-language', 'content-encoding', 'allow-events', 'path', 'service-route',
  'in-reply-to', 'alert-info', 'call-info', 'error-info', 'warning',
]);

const PRETTY: Record<string, string> = {
  'call-id': 'Call-ID', cseq: 'CSeq', 'www-authenticate': 'WWW-Authenticate', 'mime-version': 'MIME-Version', 'rack': 'RAck', 'rseq': 'RSeq',
};

/** The conventional spelling of a header name for messages we write. */
export const prettyName = (canonical: string): string =>
  PRETTY[canonical] ?? canonical.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
