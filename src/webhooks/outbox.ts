// The outbox's writing side. For each bus event webhooks carry, it writes one pending delivery row
// per active subscription of the event's tenant and nudges the worker: nothing else runs in the
// publisher's path, so a failing receiver never slows the platform. The body is fixed when the row
// is written: `{ id, type, tenantId, occurredAt, data }`, where `data` is the event's payload
// (InteractionClosed adds the interaction record). On CustomerErased the stored bodies that carry
// that customer's record are replaced by `{ erased: true }` data, as the CRM asks of every domain.
import { newId, type Clock, type Logger } from '../kernel/index.ts';
import { isWebhookEventType } from './webhook-events.ts';
import { DeliveryStatus, type WebhookEnvelope } from './webhook-model.ts';
import type { NewDeliveryRow, SubscriptionTarget, WebhookStore } from './webhook-store.sql.ts';

/** What the outbox needs of the bus: every event, by name (so events of domains not wired yet are caught once they are published). */
export interface EventSource {
  subscribeAll(listener: (name: string, payload: { tenantId: string }) => void): () => void;
}

export interface OutboxDeps {
  bus: EventSource;
  store: WebhookStore;
  clock: Clock;
  log: Logger;
  /** The interaction record sent with InteractionClosed. */
  interactions: { get(tenantId: string, id: string): Promise<unknown> };
  /** Rows were written. */
  onWritten(): void;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** The customer whose personal data a body carries, if any. */
function customerOf(type: string, data: Record<string, unknown>): string | null {
  if (type === 'CustomerErased') return null;
  const record = data['interaction'];
  const fromRecord = record && typeof record === 'object' ? text((record as Record<string, unknown>)['customerId']) : undefined;
  return fromRecord ?? text(data['customerId']) ?? null;
}

export class Outbox {
  readonly #d: OutboxDeps;
  readonly #work = new Set<Promise<unknown>>();
  #unsubscribe: (() => void) | undefined;

  constructor(deps: OutboxDeps) {
    this.#d = deps;
  }

  start(): void {
    this.#unsubscribe ??= this.#d.bus.subscribeAll((name, payload) => {
      if (!isWebhookEventType(name) || typeof payload?.tenantId !== 'string') return;
      this.#track(this.#fromEvent(name, payload as { tenantId: string } & Record<string, unknown>));
    });
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.settled();
  }

  /** Resolves when every event received so far has its rows written. */
  async settled(): Promise<void> {
    while (this.#work.size > 0) await Promise.allSettled([...this.#work]);
  }

  /** Writes one delivery of a new event to each of `subscriptions`; answers the rows' ids. With
   * `nudge: false` the caller wakes the worker itself (to read the rows back as queued first). */
  async write(
    tenantId: string, type: string, data: Record<string, unknown>, occurredAt: string, subscriptions: SubscriptionTarget[], opts: { nudge?: boolean } = {},
  ): Promise<string[]> {
    if (subscriptions.length === 0) return [];
    const envelope: WebhookEnvelope = { id: newId(), type, tenantId, occurredAt, data };
    const payload = JSON.stringify(envelope);
    const now = iso(this.#d.clock.now());
    const rows: NewDeliveryRow[] = subscriptions.map((s) => ({
      id: newId(), subscription_id: s.id, event_id: envelope.id, event_type: type, payload, customer_id: customerOf(type, data),
      status: DeliveryStatus.Pending, attempts: 0, next_attempt_at: now, last_attempt_at: null, last_status_code: null, last_error: null,
      delivered_at: null, created_at: now,
    }));
    await this.#d.store.insertDeliveries(tenantId, rows);
    if (opts.nudge !== false) this.#d.onWritten();
    return rows.map((r) => r.id);
  }

  #track(p: Promise<unknown>): void {
    this.#work.add(p);
    void p.finally(() => this.#work.delete(p));
  }

  async #fromEvent(type: string, payload: { tenantId: string } & Record<string, unknown>): Promise<void> {
    const { tenantId } = payload;
    try {
      const subscriptions = await this.#d.store.subscribers(tenantId, type);
      let data: Record<string, unknown> = payload;
      if (subscriptions.length > 0 && type === 'InteractionClosed' && typeof payload['interactionId'] === 'string') {
        const interaction = await this.#d.interactions.get(tenantId, payload['interactionId']).catch(() => null);
        data = { ...payload, interaction };
      }
      await this.write(tenantId, type, data, text(payload['at']) ?? iso(this.#d.clock.now()), subscriptions);
      if (type === 'CustomerErased' && typeof payload['customerId'] === 'string') await this.#erase(tenantId, payload['customerId']);
    } catch (err) {
      this.#d.log.error({ err, tenantId, eventType: type }, 'webhook deliveries could not be written');
    }
  }

  async #erase(tenantId: string, customerId: string): Promise<void> {
    for (const d of await this.#d.store.ofCustomer(tenantId, customerId)) {
      const envelope = JSON.parse(d.payload) as WebhookEnvelope;
      await this.#d.store.replacePayload(tenantId, d.id, JSON.stringify({ ...envelope, data: { erased: true } }));
    }
  }
}
