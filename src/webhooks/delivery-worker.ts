// Sends the outbox: each due pending delivery is POSTed to its subscription's URL, signed
// (signature.ts), within a per-attempt timeout; a 2xx answer delivers it, anything else schedules
// the next attempt (retry-schedule.ts) until the attempts run out and it is failed. Concurrency is
// bounded overall and per subscription, and the scan for due rows skips subscriptions at their
// limit, so a slow or dead receiver holds at most its own slots and never delays another's
// deliveries. Time (due times, timeouts) comes from the Clock. A delivery in flight when the
// process stops stays pending and is sent again after the start (at least once: receivers drop
// repeats by the Switchboard-Delivery header).
import { outboundRequest } from '../integrations/index.ts';
import type { Clock, Logger, TimerHandle } from '../kernel/index.ts';
import { nextRetry, DEFAULT_RETRY, type RetrySchedule } from './retry-schedule.ts';
import { DELIVERY_HEADER, EVENT_HEADER, signatureHeader, SIGNATURE_HEADER } from './signature.ts';
import { DeliveryStatus } from './webhook-model.ts';
import type { WebhookEvents } from './webhook-events.ts';
import type { DueDelivery, WebhookStore } from './webhook-store.sql.ts';

export interface DeliveryOptions {
  /** Per attempt, connection to answer. */
  timeoutMs: number;
  retry: RetrySchedule;
  /** Attempts in flight at once, all subscriptions together. */
  concurrency: number;
  /** Attempts in flight at once to one subscription. */
  perSubscription: number;
  /** Longest pause between scans for due rows when nothing is scheduled sooner. */
  pollMs: number;
  /** Delivered and failed rows older than this are removed. */
  retentionMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  timeoutMs: 5000, retry: DEFAULT_RETRY, concurrency: 16, perSubscription: 4, pollMs: 60_000, retentionMs: 30 * 24 * 3600_000,
};

const PRUNE_EVERY_MS = 3600_000;

export interface DeliveryWorkerDeps {
  store: WebhookStore;
  clock: Clock;
  log: Logger;
  options: DeliveryOptions;
  /** Uniform in [0, 1), for the retry jitter. */
  random: () => number;
  onFailed(event: WebhookEvents['WebhookDeliveryFailed']): void;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const hostOf = (url: string): string => (URL.canParse(url) ? new URL(url).host : 'invalid URL');

export class DeliveryWorker {
  readonly #d: DeliveryWorkerDeps;
  readonly #inFlight = new Map<string, { subscriptionId: string; abort: AbortController }>();
  readonly #perSubscription = new Map<string, number>();
  /** Deliveries whose attempt broke (not a receiver's failure): left alone until the time given. */
  readonly #resting = new Map<string, number>();
  readonly #work = new Set<Promise<unknown>>();
  #running = false;
  #pumping = false;
  #again = false;
  #timer: TimerHandle | undefined;
  #prunedAt = Number.NEGATIVE_INFINITY;

  constructor(deps: DeliveryWorkerDeps) {
    this.#d = deps;
  }

  /** Starts sending; rows already due (written before a restart) go first. */
  start(): void {
    this.#running = true;
    this.nudge();
  }

  /** Rows were written or became due: scan now. */
  nudge(): void {
    if (!this.#running) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    this.#track(this.#pump().finally(() => {
      this.#pumping = false;
      if (this.#again) this.nudge();
    }));
  }

  /** Deliveries in flight now. */
  inFlight(): number {
    return this.#inFlight.size;
  }

  /** Stops scanning, abandons attempts in flight (their rows stay pending) and waits for the worker to rest. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#timer?.cancel();
    this.#timer = undefined;
    for (const f of this.#inFlight.values()) f.abort.abort();
    await this.settled();
  }

  /** Resolves when no scan and no attempt is running. */
  async settled(): Promise<void> {
    while (this.#work.size > 0) await Promise.allSettled([...this.#work]);
  }

  #track(p: Promise<unknown>): void {
    this.#work.add(p);
    void p.finally(() => this.#work.delete(p));
  }

  async #pump(): Promise<void> {
    try {
      for (;;) {
        this.#again = false;
        await this.#prune();
        await this.#fill();
        if (this.#again) continue;
        await this.#arm();
        if (!this.#again || !this.#running) break;
      }
    } catch (err) {
      this.#d.log.error({ err }, 'webhook delivery scan failed');
      this.#schedule(this.#d.options.pollMs);
    }
  }

  /** Starts due deliveries until the limits are reached or nothing more is due. */
  async #fill(): Promise<void> {
    const { concurrency, perSubscription } = this.#d.options;
    while (this.#running && this.#inFlight.size < concurrency) {
      const now = this.#d.clock.now();
      for (const [id, until] of this.#resting) if (until <= now) this.#resting.delete(id);
      const free = concurrency - this.#inFlight.size;
      const due = await this.#d.store.due(iso(now), [...this.#inFlight.keys(), ...this.#resting.keys()], this.#fullSubscriptions(), free * perSubscription);
      let started = 0;
      for (const row of due) {
        if (!this.#running || this.#inFlight.size >= concurrency) break;
        if (this.#inFlight.has(row.id) || (this.#perSubscription.get(row.subscriptionId) ?? 0) >= perSubscription) continue;
        this.#begin(row);
        started++;
      }
      if (started === 0) return;
    }
  }

  /** Sets the timer for the next due row (or the next safety scan); a row that fell due meanwhile makes the pump scan again. */
  async #arm(): Promise<void> {
    if (!this.#running) return;
    const { pollMs, concurrency } = this.#d.options;
    // Every slot is taken: the attempt that frees one scans again.
    if (this.#inFlight.size >= concurrency) return this.#schedule(pollMs);
    const next = await this.#d.store.nextDue([...this.#inFlight.keys(), ...this.#resting.keys()], this.#fullSubscriptions());
    const now = this.#d.clock.now();
    if (next === undefined) this.#schedule(pollMs);
    else if (Date.parse(next) <= now) this.#again = true;
    else this.#schedule(Math.min(Date.parse(next) - now, pollMs));
  }

  /** Subscriptions with every one of their slots in flight. */
  #fullSubscriptions(): string[] {
    return [...this.#perSubscription].filter(([, n]) => n >= this.#d.options.perSubscription).map(([id]) => id);
  }

  #schedule(ms: number): void {
    if (!this.#running) return;
    this.#timer?.cancel();
    this.#timer = this.#d.clock.setTimeout(() => { this.#timer = undefined; this.nudge(); }, ms);
  }

  async #prune(): Promise<void> {
    const now = this.#d.clock.now();
    if (now - this.#prunedAt < PRUNE_EVERY_MS) return;
    this.#prunedAt = now;
    const removed = await this.#d.store.prune(iso(now - this.#d.options.retentionMs));
    if (removed > 0) this.#d.log.info({ removed }, 'old webhook deliveries removed');
  }

  #begin(row: DueDelivery): void {
    const abort = new AbortController();
    this.#inFlight.set(row.id, { subscriptionId: row.subscriptionId, abort });
    this.#perSubscription.set(row.subscriptionId, (this.#perSubscription.get(row.subscriptionId) ?? 0) + 1);
    this.#track(this.#attempt(row, abort.signal)
      .catch((err: unknown) => {
        this.#resting.set(row.id, this.#d.clock.now() + this.#d.options.pollMs);
        this.#d.log.error({ err, deliveryId: row.id, tenantId: row.tenantId }, 'webhook delivery attempt failed');
      })
      .finally(() => {
        this.#inFlight.delete(row.id);
        const n = (this.#perSubscription.get(row.subscriptionId) ?? 1) - 1;
        if (n > 0) this.#perSubscription.set(row.subscriptionId, n);
        else this.#perSubscription.delete(row.subscriptionId);
        this.nudge();
      }));
  }

  async #attempt(row: DueDelivery, signal: AbortSignal): Promise<void> {
    const { store, clock, log, options } = this.#d;
    const [sub, d] = await Promise.all([store.subscription(row.tenantId, row.subscriptionId), store.delivery(row.tenantId, row.id)]);
    if (!sub || !sub.active || !d || d.status !== DeliveryStatus.Pending) return;
    const timestamp = Math.floor(clock.now() / 1000);
    const result = await outboundRequest({
      method: 'POST', url: sub.url, body: d.payload, timeoutMs: options.timeoutMs, allowPrivateNetwork: sub.allowPrivateNetwork, maxResponseBytes: 0, signal,
      headers: {
        'content-type': 'application/json', 'user-agent': 'Switchboard-Webhooks',
        [EVENT_HEADER]: d.eventType, [DELIVERY_HEADER]: d.id, [SIGNATURE_HEADER]: signatureHeader(sub.secret, timestamp, d.payload),
      },
    }, clock);
    // Stopping: the row stays due and is sent after the start.
    if (result.kind === 'aborted') return;
    const at = clock.now();
    const attempts = d.attempts + 1;
    const statusCode = result.kind === 'response' ? result.status : null;
    if (statusCode !== null && statusCode >= 200 && statusCode <= 299) {
      await store.recordAttempt(row.tenantId, d.id, { status: DeliveryStatus.Delivered, attempts, at: iso(at), statusCode, error: null, nextAttemptAt: null });
      return;
    }
    const error = result.kind === 'response' ? `answered ${result.status}` : result.kind === 'timeout' ? `no answer within ${options.timeoutMs} ms` : result.message;
    const wait = nextRetry(attempts, options.retry, this.#d.random());
    const recorded = await store.recordAttempt(row.tenantId, d.id, {
      status: wait === undefined ? DeliveryStatus.Failed : DeliveryStatus.Pending, attempts, at: iso(at), statusCode, error,
      nextAttemptAt: wait === undefined ? null : iso(at + wait),
    });
    log.warn({
      tenantId: row.tenantId, subscriptionId: sub.id, deliveryId: d.id, eventType: d.eventType, attempt: attempts, statusCode, error,
      host: hostOf(sub.url), retryInMs: wait ?? null,
    }, wait === undefined ? 'webhook delivery failed for good' : 'webhook delivery failed; will retry');
    if (wait === undefined && recorded) {
      this.#d.onFailed({ tenantId: row.tenantId, subscriptionId: sub.id, deliveryId: d.id, eventType: d.eventType, attempts, lastStatusCode: statusCode, at: iso(at) });
    }
  }
}
