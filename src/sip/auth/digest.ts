// Digest response computation (RFC 7616 §3.4.1-§3.4.3, RFC 8760 for SIP, RFC 2069 no-qop form).
import { createHash, timingSafeEqual } from 'node:crypto';

/** Algorithms this stack computes (RFC 7616 §6.1 registry names). */
export const DigestAlgorithm = {
  MD5: 'MD5',
  MD5_SESS: 'MD5-sess',
  SHA256: 'SHA-256',
  SHA256_SESS: 'SHA-256-sess',
} as const;
export type DigestAlgorithm = (typeof DigestAlgorithm)[keyof typeof DigestAlgorithm];

/** The hash function under an algorithm; stored HA1 values are keyed by this. */
export type DigestHash = 'MD5' | 'SHA-256';

const ALGORITHMS: readonly DigestAlgorithm[] = Object.values(DigestAlgorithm);

/**
 * The algorithm named in a header, matched case-insensitively; an absent value means MD5
 * (RFC 7616 §3.3). Undefined for an algorithm this stack does not compute.
 */
export function parseAlgorithm(value: string | undefined): DigestAlgorithm | undefined {
  if (value === undefined) return DigestAlgorithm.MD5;
  const lower = value.toLowerCase();
  return ALGORITHMS.find((a) => a.toLowerCase() === lower);
}

export const hashOf = (algorithm: DigestAlgorithm): DigestHash =>
  algorithm === DigestAlgorithm.SHA256 || algorithm === DigestAlgorithm.SHA256_SESS ? 'SHA-256' : 'MD5';

const isSession = (algorithm: DigestAlgorithm): boolean => algorithm.endsWith('-sess');

/** Lower-case hex digest of a UTF-8 string. */
export function h(hash: DigestHash, data: string): string {
  return createHash(hash === 'SHA-256' ? 'sha256' : 'md5').update(data, 'utf8').digest('hex');
}

/**
 * H(username:realm:password), what a registrar stores instead of the password (RFC 7616 §3.4.2).
 * For a `-sess` algorithm this is the same value as for its base hash: the session part is added
 * per request from nonce and cnonce.
 */
export function ha1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return h(hashOf(algorithm), `${username}:${realm}:${password}`);
}

export interface DigestResponseInput {
  algorithm: DigestAlgorithm;
  /** The stored H(username:realm:password) for the algorithm's hash. */
  ha1: string;
  nonce: string;
  method: string;
  uri: string;
  /** 'auth' or 'auth-int'; absent for the RFC 2069 form. */
  qop?: string;
  nc?: string;
  cnonce?: string;
  /** The message body, used only with qop=auth-int. */
  body?: string;
}

/**
 * The request-digest (RFC 7616 §3.4.1):
 *   with qop:    H(HA1:nonce:nc:cnonce:qop:HA2)
 *   RFC 2069:    H(HA1:nonce:HA2)
 *   HA2 = H(method:uri), or H(method:uri:H(body)) for auth-int (§3.4.3)
 *   -sess HA1 = H(H(user:realm:pw):nonce:cnonce) (§3.4.2)
 */
export function digestResponse(input: DigestResponseInput): string {
  const hash = hashOf(input.algorithm);
  const cnonce = input.cnonce ?? '';
  const a1 = isSession(input.algorithm) ? h(hash, `${input.ha1}:${input.nonce}:${cnonce}`) : input.ha1;
  const a2 = input.qop === 'auth-int'
    ? h(hash, `${input.method}:${input.uri}:${h(hash, input.body ?? '')}`)
    : h(hash, `${input.method}:${input.uri}`);
  if (input.qop === undefined) return h(hash, `${a1}:${input.nonce}:${a2}`);
  return h(hash, `${a1}:${input.nonce}:${input.nc ?? ''}:${cnonce}:${input.qop}:${a2}`);
}

/** Compares two strings in time that depends only on the length of `expected`. */
export function constantTimeEqual(given: string, expected: string): boolean {
  const e = Buffer.from(expected, 'utf8');
  const g = Buffer.from(given, 'utf8');
  if (g.length !== e.length) {
    timingSafeEqual(e, e);
    return false;
  }
  return timingSafeEqual(g, e);
}

/** True when `response` is the request-digest for `input` (hex compared case-insensitively). */
export function verifyResponse(input: DigestResponseInput, response: string): boolean {
  return constantTimeEqual(response.toLowerCase(), digestResponse(input));
}
