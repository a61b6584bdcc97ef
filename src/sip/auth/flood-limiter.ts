// Per-source token bucket: each address earns `ratePerSecond` tokens up to `burst`; a message costs one.
import type { Clock } from '../../kernel/index.ts';

export interface FloodLimiterDeps {
  clock: Clock;
  /** Sustained messages per second allowed from one address. */
  ratePerSecond: number;
  /** Messages one address may send at once after being quiet (default: ratePerSecond). */
  burst?: number;
  /** Most addresses tracked at once (default 65,536); the least recently seen is forgotten first. */
  maxSources?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class FloodLimiter {
  readonly #clock: Clock;
  readonly #rate: number;
  readonly #burst: number;
  readonly #maxSources: number;
  // Map order is least-recently-seen first: each access re-inserts its entry at the end.
  readonly #buckets = new Map<string, Bucket>();

  constructor(deps: FloodLimiterDeps) {
    if (!(deps.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    this.#clock = deps.clock;
    this.#rate = deps.ratePerSecond;
    this.#burst = Math.max(1, deps.burst ?? deps.ratePerSecond);
    this.#maxSources = deps.maxSources ?? 65_536;
  }

  /** Takes one token for `source`; false when its bucket is empty (drop or refuse the message). */
  allow(source: string): boolean {
    const now = this.#clock.now();
    this.#evictIdle(now);
    const bucket = this.#buckets.get(source);
    let tokens = this.#burst;
    if (bucket !== undefined) {
      tokens = this.#refilled(bucket, now);
      this.#buckets.delete(source);
    } else if (this.#buckets.size >= this.#maxSources) {
      const oldest = this.#buckets.keys().next();
      if (oldest.done !== true) this.#buckets.delete(oldest.value);
    }
    const allowed = tokens >= 1;
    this.#buckets.set(source, { tokens: allowed ? tokens - 1 : tokens, at: now });
    return allowed;
  }

  /** How many addresses are tracked right now. */
  get size(): number {
    return this.#buckets.size;
  }

  #refilled(bucket: Bucket, now: number): number {
    return Math.min(this.#burst, bucket.tokens + ((now - bucket.at) * this.#rate) / 1000);
  }

  // An address whose bucket has refilled is indistinguishable from a new one, so it is dropped.
  #evictIdle(now: number): void {
    for (const [source, bucket] of this.#buckets) {
      if (this.#refilled(bucket, now) < this.#burst) break;
      this.#buckets.delete(source);
    }
  }
}
