// Server side of SIP digest authentication (RFC 3261 §22.4, RFC 7616, RFC 8760): challenges,
// verification against stored HA1 values, per-user-and-address failure blocking, flood limiting.
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { Clock } from '../../kernel/index.ts';
import { parseAuthHeader, serializeChallenge, toDigestCredentials } from './auth-params.ts';
import type { DigestCredentials } from './auth-params.ts';
import { DigestAlgorithm, hashOf, parseAlgorithm, verifyResponse } from './digest.ts';
import type { DigestHash } from './digest.ts';
import { FloodLimiter } from './flood-limiter.ts';
import { NonceService } from './nonce.ts';

export interface DigestAuthenticatorDeps {
  clock: Clock;
  /** Server secret for nonces (at least 16 bytes); nodes sharing it accept each other's nonces. */
  secret: string | Uint8Array;
  /** The realm a request must authenticate in; when absent, the realm passed to `verify` is used. */
  realmFor?: (request: { requestUri: string; method: string }) => string;
  /**
   * The stored H(username:realm:password) for the hash, or undefined for an unknown user.
   * Its own timing should not depend on whether the user exists.
   */
  lookupHa1: (realm: string, username: string, algorithm: DigestHash) => Promise<string | undefined>;
  nonceTtlMs: number;
  /** Failed attempts from one (username, address) pair within `failureWindowMs` before it is blocked. */
  failureLimit: number;
  failureWindowMs: number;
  blockMs: number;
  /** When set, more than this many `verify` calls per second from one address answer `blocked`. */
  floodLimitPerSecond?: number;
  /** Most (username, address) pairs whose failures are remembered (default 100,000). */
  maxTrackedPairs?: number;
}

export interface ChallengeRequest {
  realm: string;
  stale?: boolean;
  /** Offered in this order, one challenge each (RFC 8760 §2.4: SHA-256 before MD5). */
  algorithms?: readonly DigestAlgorithm[];
}

export interface VerifyRequest {
  method: string;
  /** The Request-URI exactly as in the request line. */
  requestUri: string;
  /** The Authorization / Proxy-Authorization value, or undefined when the request carried none. */
  credentialsHeader: string | undefined;
  sourceIp: string;
  /** The realm expected when `realmFor` is not configured. */
  realm?: string;
  /** The message body, needed only for qop=auth-int. */
  body?: string;
}

/**
 * What to answer:
 * - `ok`: authenticated as `username`.
 * - `challenge`: send 401/407 with `challenge({ realm, stale })`; stale=true means the password
 *   was right but the nonce had expired or been used (RFC 7616 §3.3), so the UA retries silently.
 * - `forbidden`: the credentials were checked and are wrong (unknown user or wrong password alike).
 * - `blocked`: too many failures from this user and address, or a flood from this address:
 *   answer 403 without a challenge; the password was not checked.
 * - `bad-request`: malformed credentials or a `uri` that is not the Request-URI: answer 400.
 */
export type VerifyResult =
  | { outcome: 'ok'; username: string }
  | { outcome: 'challenge'; stale: boolean }
  | { outcome: 'forbidden' | 'blocked' | 'bad-request' };

interface FailureRecord {
  failures: number[];
  blockedUntil: number;
}

const MAX_USERNAME_LENGTH = 256;
const DEFAULT_ALGORITHMS: readonly DigestAlgorithm[] = [DigestAlgorithm.SHA256, DigestAlgorithm.MD5];

export class DigestAuthenticator {
  readonly #deps: DigestAuthenticatorDeps;
  readonly #clock: Clock;
  readonly #nonces: NonceService;
  readonly #flood: FloodLimiter | undefined;
  readonly #decoyKey: KeyObject;
  readonly #maxPairs: number;
  // Insertion order is last-failure order: a pair is re-inserted on each failure.
  readonly #failures = new Map<string, FailureRecord>();

  constructor(deps: DigestAuthenticatorDeps) {
    this.#deps = deps;
    this.#clock = deps.clock;
    this.#nonces = new NonceService({ clock: deps.clock, secret: deps.secret, ttlMs: deps.nonceTtlMs });
    this.#flood = deps.floodLimitPerSecond === undefined
      ? undefined
      : new FloodLimiter({ clock: deps.clock, ratePerSecond: deps.floodLimitPerSecond });
    this.#decoyKey = createSecretKey(createHmac('sha256', deps.secret).update('decoy-ha1').digest());
    this.#maxPairs = deps.maxTrackedPairs ?? 100_000;
  }

  /** Header values for a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate), one per algorithm. */
  challenge(request: ChallengeRequest): string[] {
    const nonce = this.#nonces.issue();
    return (request.algorithms ?? DEFAULT_ALGORITHMS).map((algorithm) =>
      serializeChallenge({
        realm: request.realm,
        nonce,
        algorithm,
        qop: ['auth'],
        ...(request.stale === true ? { stale: true } : {}),
      }),
    );
  }

  async verify(request: VerifyRequest): Promise<VerifyResult> {
    if (this.#flood !== undefined && !this.#flood.allow(request.sourceIp)) return { outcome: 'blocked' };
    if (request.credentialsHeader === undefined || request.credentialsHeader.trim() === '') {
      return { outcome: 'challenge', stale: false };
    }
    const header = parseAuthHeader(request.credentialsHeader);
    if (!header.ok) return { outcome: 'bad-request' };
    // RFC 3261 §22.1: a scheme we do not support is answered with our challenge.
    if (header.value.scheme.toLowerCase() !== 'digest') return { outcome: 'challenge', stale: false };
    const parsed = toDigestCredentials(header.value);
    if (!parsed.ok) return { outcome: 'bad-request' };
    const creds = parsed.value;
    if (creds.username === '' || creds.username.length > MAX_USERNAME_LENGTH) return { outcome: 'bad-request' };
    const algorithm = parseAlgorithm(creds.algorithm);
    if (algorithm === undefined) return { outcome: 'challenge', stale: false };
    if (creds.qop !== undefined && creds.qop !== 'auth' && creds.qop !== 'auth-int') return { outcome: 'bad-request' };
    // RFC 2617 §3.2.2.5: the digest-uri must name the Request-URI, else 400.
    if (creds.uri !== request.requestUri) return { outcome: 'bad-request' };

    const pair = `${creds.username}\u0000${request.sourceIp}`;
    const now = this.#clock.now();
    if (this.#isBlocked(pair, now)) return { outcome: 'blocked' };

    const realm = this.#deps.realmFor?.({ requestUri: request.requestUri, method: request.method }) ?? request.realm;
    if (realm !== undefined && creds.realm !== realm) return { outcome: 'challenge', stale: false };

    // An unauthentic nonce gets a fresh challenge without counting a failure: after a secret
    // rotation every UA holds one, and without a nonce of ours no password can be tested.
    const nonceState = this.#nonces.check(creds.nonce);
    if (nonceState === 'invalid') return { outcome: 'challenge', stale: false };

    const matched = await this.#responseMatches(creds, algorithm, request);
    if (!matched) {
      this.#recordFailure(pair, this.#clock.now());
      return { outcome: 'forbidden' };
    }
    const nc = creds.nc === undefined ? undefined : Number.parseInt(creds.nc, 16);
    const use = this.#nonces.use(creds.nonce, nc);
    if (use === 'invalid') return { outcome: 'challenge', stale: false };
    if (use !== 'accepted') return { outcome: 'challenge', stale: true };
    this.#failures.delete(pair);
    return { outcome: 'ok', username: creds.username };
  }

  // The same lookup and hash work for every username; a decoy HA1 stands in for an unknown one.
  async #responseMatches(creds: DigestCredentials, algorithm: DigestAlgorithm, request: VerifyRequest): Promise<boolean> {
    const hash = hashOf(algorithm);
    const stored = await this.#deps.lookupHa1(creds.realm, creds.username, hash);
    const decoy = this.#decoyHa1(creds.realm, creds.username, hash);
    const ha1 = stored ?? decoy;
    const input = {
      algorithm,
      ha1,
      nonce: creds.nonce,
      method: request.method,
      uri: creds.uri,
      ...(creds.qop === undefined ? {} : { qop: creds.qop }),
      ...(creds.nc === undefined ? {} : { nc: creds.nc }),
      ...(creds.cnonce === undefined ? {} : { cnonce: creds.cnonce }),
      ...(request.body === undefined ? {} : { body: request.body }),
    };
    const ok = verifyResponse(input, creds.response);
    return ok && stored !== undefined;
  }

  #decoyHa1(realm: string, username: string, hash: DigestHash): string {
    const mac = createHmac('sha256', this.#decoyKey).update(`${hash}:${realm}:${username}`).digest('hex');
    return hash === 'MD5' ? mac.slice(0, 32) : mac;
  }

  #isBlocked(pair: string, now: number): boolean {
    const record = this.#failures.get(pair);
    return record !== undefined && record.blockedUntil > now;
  }

  #recordFailure(pair: string, now: number): void {
    const record = this.#failures.get(pair) ?? { failures: [], blockedUntil: 0 };
    this.#failures.delete(pair);
    record.failures = record.failures.filter((t) => now - t < this.#deps.failureWindowMs);
    record.failures.push(now);
    if (record.failures.length >= this.#deps.failureLimit) {
      record.blockedUntil = now + this.#deps.blockMs;
      record.failures = [];
    }
    this.#sweep(now);
    this.#failures.set(pair, record);
  }

  // Drops pairs with neither a live block nor a failure inside the window; the oldest go first at the cap.
  #sweep(now: number): void {
    for (const [key, record] of this.#failures) {
      const last = record.failures.at(-1) ?? 0;
      const live = record.blockedUntil > now || now - last < this.#deps.failureWindowMs;
      if (live && this.#failures.size < this.#maxPairs) break;
      this.#failures.delete(key);
    }
  }
}
