// Login throttling: failed attempts are counted per account (workspace + username, whether or not
// the account exists) and per source IP in a sliding window; past the limit further attempts are
// refused for the lockout time, with the same answer for known and unknown accounts.
import type { Clock } from '../kernel/index.ts';

export interface LoginThrottleOptions {
  clock: Clock;
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  windowMs: number;
  lockoutMs: number;
  /** Bound on tracked keys; the oldest are forgotten first. */
  maxKeys?: number;
}

interface Entry {
  failures: number[];
  lockedUntil: number;
}

export class LoginThrottle {
  readonly #o: LoginThrottleOptions;
  readonly #accounts = new Map<string, Entry>();
  readonly #ips = new Map<string, Entry>();

  constructor(options: LoginThrottleOptions) {
    this.#o = options;
  }

  /** Seconds to wait before another attempt is accepted, or 0 when allowed now. */
  retryAfterSeconds(account: string, ip: string): number {
    const now = this.#o.clock.now();
    const until = Math.max(this.#accounts.get(account)?.lockedUntil ?? 0, this.#ips.get(ip)?.lockedUntil ?? 0);
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  recordFailure(account: string, ip: string): void {
    this.#count(this.#accounts, account, this.#o.maxFailuresPerAccount);
    this.#count(this.#ips, ip, this.#o.maxFailuresPerIp);
  }

  /** A successful login clears the account's failures (the IP's stay counted). */
  recordSuccess(account: string): void {
    this.#accounts.delete(account);
  }

  #count(map: Map<string, Entry>, key: string, limit: number): void {
    const now = this.#o.clock.now();
    const e = map.get(key) ?? { failures: [], lockedUntil: 0 };
    map.delete(key);
    e.failures = e.failures.filter((t) => t > now - this.#o.windowMs);
    e.failures.push(now);
    if (e.failures.length >= limit) {
      e.lockedUntil = now + this.#o.lockoutMs;
      e.failures = [];
    }
    map.set(key, e);
    const max = this.#o.maxKeys ?? 100_000;
    while (map.size > max) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) break;
      map.delete(oldest);
    }
  }
}
