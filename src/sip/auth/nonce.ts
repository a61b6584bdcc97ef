// Self-validating server nonces (RFC 7616 §3.3 "nonce", §5.4 replay) with nonce-count tracking.
//
// nonce = base64url( issuedAt (8 bytes, ms, big-endian) | random (12 bytes) | HMAC-SHA-256(secret, first 20 bytes)[0..16] )
//
// Authenticity and age are checked from the nonce alone. Replay protection needs memory: the
// highest nc seen per nonce, kept only until the nonce expires and capped in size. When the cap
// forces out a nonce that is still live, every untracked nonce issued up to that one is answered
// as stale, so a forgotten nonce can never be replayed.
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Clock } from '../../kernel/index.ts';

export interface NonceServiceDeps {
  clock: Clock;
  /** HMAC key; every node sharing it accepts each other's nonces. */
  secret: string | Uint8Array;
  /** Lifetime of a nonce; older ones are answered with stale=true. */
  ttlMs: number;
  /** Most nonces whose nc is remembered at once (default 100,000). */
  maxTracked?: number;
}

/** The state of a nonce as read from its bytes. */
export type NonceCheck = 'valid' | 'stale' | 'invalid';

/** The result of using a nonce with a nonce-count. */
export type NonceUse = 'accepted' | 'replay' | 'stale' | 'invalid';

const TIME_BYTES = 8;
const RANDOM_BYTES = 12;
const MAC_BYTES = 16;
const PAYLOAD_BYTES = TIME_BYTES + RANDOM_BYTES;
const NONCE_BYTES = PAYLOAD_BYTES + MAC_BYTES;
const NONCE_CHARS = Math.ceil((NONCE_BYTES * 4) / 3);
// A nonce dated this far ahead of our clock was not issued by us (clock steps between nodes aside).
const FUTURE_SKEW_MS = 5_000;

interface Tracked {
  issuedAt: number;
  /** Highest nc accepted; 0 for a use without nc (RFC 2069 form, which may be used once). */
  nc: number;
}

export class NonceService {
  readonly #clock: Clock;
  readonly #secret: KeyObject;
  readonly #ttlMs: number;
  readonly #maxTracked: number;
  readonly #tracked = new Map<string, Tracked>();
  /** Untracked nonces issued at or before this instant are stale (their memory was dropped). */
  #forgottenUpTo = Number.NEGATIVE_INFINITY;

  constructor(deps: NonceServiceDeps) {
    this.#clock = deps.clock;
    const secret = typeof deps.secret === 'string' ? Buffer.from(deps.secret, 'utf8') : deps.secret;
    if (secret.length < 16) throw new RangeError('nonce secret must be at least 16 bytes');
    // One key object for the life of the service: building it per HMAC is most of the cost.
    this.#secret = createSecretKey(secret);
    this.#ttlMs = deps.ttlMs;
    this.#maxTracked = deps.maxTracked ?? 100_000;
  }

  /** A fresh nonce; token characters only (base64url), so it may also travel unquoted. */
  issue(): string {
    const payload = Buffer.alloc(PAYLOAD_BYTES);
    payload.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(this.#clock.now()))), 0);
    randomBytes(RANDOM_BYTES).copy(payload, TIME_BYTES);
    return Buffer.concat([payload, this.#mac(payload)]).toString('base64url');
  }

  /** Whether the nonce is ours and still live, without touching nonce-count memory. */
  check(nonce: string): NonceCheck {
    const issuedAt = this.#issuedAt(nonce);
    if (issuedAt === undefined) return 'invalid';
    return this.#expired(issuedAt) ? 'stale' : 'valid';
  }

  /**
   * Records a use of `nonce` with nonce-count `nc` (undefined for the RFC 2069 form).
   * RFC 7616 §3.4: nc must grow with each request on one nonce; a repeat or smaller one is a replay.
   * A nonce used without nc may be used once only.
   * Call this only after the response digest is verified, so that forged requests cannot burn counts.
   */
  use(nonce: string, nc: number | undefined): NonceUse {
    const issuedAt = this.#issuedAt(nonce);
    if (issuedAt === undefined) return 'invalid';
    if (this.#expired(issuedAt)) return 'stale';
    const seen = this.#tracked.get(nonce);
    if (seen === undefined) {
      if (issuedAt <= this.#forgottenUpTo) return 'stale';
      if (nc !== undefined && nc < 1) return 'replay';
      this.#remember(nonce, { issuedAt, nc: nc ?? 0 });
      return 'accepted';
    }
    if (nc === undefined || nc <= seen.nc) return 'replay';
    seen.nc = nc;
    return 'accepted';
  }

  /** How many nonces currently have nc memory. */
  get trackedCount(): number {
    return this.#tracked.size;
  }

  #remember(nonce: string, entry: Tracked): void {
    this.#sweepExpired();
    while (this.#tracked.size >= this.#maxTracked) {
      const oldest = this.#tracked.entries().next();
      if (oldest.done === true) break;
      const [key, value] = oldest.value;
      this.#tracked.delete(key);
      this.#forgottenUpTo = Math.max(this.#forgottenUpTo, value.issuedAt);
    }
    this.#tracked.set(nonce, entry);
  }

  // Entries sit in first-use order, which follows issue order closely; expired ones are refused
  // by their timestamp anyway, so sweeping from the front until a live one is enough.
  #sweepExpired(): void {
    for (const [key, value] of this.#tracked) {
      if (!this.#expired(value.issuedAt)) break;
      this.#tracked.delete(key);
    }
  }

  #expired(issuedAt: number): boolean {
    return this.#clock.now() - issuedAt > this.#ttlMs;
  }

  #issuedAt(nonce: string): number | undefined {
    if (nonce.length !== NONCE_CHARS || !/^[A-Za-z0-9_-]+$/.test(nonce)) return undefined;
    const bytes = Buffer.from(nonce, 'base64url');
    if (bytes.length !== NONCE_BYTES) return undefined;
    const payload = bytes.subarray(0, PAYLOAD_BYTES);
    if (!timingSafeEqual(bytes.subarray(PAYLOAD_BYTES), this.#mac(payload))) return undefined;
    const issuedAt = Number(payload.readBigUInt64BE(0));
    if (issuedAt > this.#clock.now() + FUTURE_SKEW_MS) return undefined;
    return issuedAt;
  }

  #mac(payload: Uint8Array): Buffer {
    return createHmac('sha256', this.#secret).update(payload).digest().subarray(0, MAC_BYTES);
  }
}
