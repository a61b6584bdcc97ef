// The client side of digest authentication (RFC 3261 §22.2, RFC 7616 §3.4, RFC 8760): answering a
// 401/407 from a peer we sent a request to, but only a challenge for the realm we hold credentials
// for, so a hostile hop cannot collect a response for another realm.
import { randomBytes } from 'node:crypto';
import { parseAuthHeader, serializeCredentials, toDigestChallenge, type DigestChallenge } from './auth-params.ts';
import { digestResponse, ha1, parseAlgorithm, DigestAlgorithm } from './digest.ts';

export interface ClientCredentials {
  username: string;
  password: string;
  /** The only realm these credentials are given to. */
  realm: string;
}

/** Our preference among the algorithms a peer offers (RFC 8760 §2.4: SHA-256 over MD5). */
const PREFERENCE: readonly DigestAlgorithm[] = [DigestAlgorithm.SHA256, DigestAlgorithm.MD5];

/**
 * The Authorization / Proxy-Authorization value answering one of `challenges` (the values of
 * WWW-Authenticate or Proxy-Authenticate), or undefined when none is for `creds.realm` with an
 * algorithm and qop we can do.
 */
export function answerChallenge(challenges: readonly string[], creds: ClientCredentials, method: string, uri: string): string | undefined {
  const usable: { c: DigestChallenge; algorithm: DigestAlgorithm }[] = [];
  for (const value of challenges) {
    const header = parseAuthHeader(value);
    if (!header.ok) continue;
    const challenge = toDigestChallenge(header.value);
    if (!challenge.ok || challenge.value.realm !== creds.realm) continue;
    const algorithm = parseAlgorithm(challenge.value.algorithm);
    if (algorithm !== DigestAlgorithm.MD5 && algorithm !== DigestAlgorithm.SHA256) continue;
    if (challenge.value.qop !== undefined && !challenge.value.qop.includes('auth')) continue;
    usable.push({ c: challenge.value, algorithm });
  }
  usable.sort((a, b) => PREFERENCE.indexOf(a.algorithm) - PREFERENCE.indexOf(b.algorithm));
  const pick = usable[0];
  if (!pick) return undefined;
  const qop = pick.c.qop !== undefined ? 'auth' : undefined;
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  const response = digestResponse({
    algorithm: pick.algorithm, ha1: ha1(pick.algorithm, creds.username, creds.realm, creds.password), nonce: pick.c.nonce, method, uri,
    ...(qop ? { qop, nc, cnonce } : {}),
  });
  return serializeCredentials({
    username: creds.username, realm: creds.realm, nonce: pick.c.nonce, uri, response, algorithm: pick.algorithm,
    ...(qop ? { qop, nc, cnonce } : {}), ...(pick.c.opaque !== undefined ? { opaque: pick.c.opaque } : {}),
  });
}
