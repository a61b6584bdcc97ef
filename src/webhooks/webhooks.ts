// Outbound webhooks: a tenant's subscriptions (target URL, events, secret, active flag), the outbox
// that records each subscribed event as a delivery, and the worker that sends the deliveries.
// Secrets are shown once (create, rotate) and never again, nor logged; changes are audited.
import type { AuditRecord } from '../audit/index.ts';
import { checkOutboundUrl } from '../integrations/index.ts';
import { DomainError, notFound, randomToken, newId, type Clock, type EventPublisher, type Logger } from '../kernel/index.ts';
import type { SqlDatabase } from '../storage/index.ts';
import { DEFAULT_DELIVERY, DeliveryWorker, type DeliveryOptions } from './delivery-worker.ts';
import { Outbox, type EventSource } from './outbox.ts';
import { isWebhookEventType, PING_EVENT, type WebhookEvents, type WebhookEventType } from './webhook-events.ts';
import {
  DeliveryStatus, type Delivery, type DeliveryPage, type DeliveryQuery, type NewSubscription, type Subscription, type SubscriptionChanges,
} from './webhook-model.ts';
import { WebhookStore, withoutPayload, withoutSecret, type NewDeliveryRow, type SubscriptionTarget } from './webhook-store.sql.ts';

export interface WebhookActor {
  userId: string | null;
  name: string;
  ip: string | null;
}

export interface WebhooksDeps {
  db: SqlDatabase;
  clock: Clock;
  audit: { append(rec: AuditRecord): Promise<void> };
  log: Logger;
  bus: EventSource & EventPublisher<WebhookEvents>;
  interactions: { get(tenantId: string, id: string): Promise<unknown> };
  delivery?: Partial<DeliveryOptions> | undefined;
  /** Uniform in [0, 1), for the retry jitter (default Math.random). */
  random?: (() => number) | undefined;
}

/** A subscription as created or re-keyed: the only time its secret is shown. */
export type SubscriptionWithSecret = Subscription & { secret: string };

export const MAX_SUBSCRIPTIONS = 50;

const newSecret = (): string => `whsec_${randomToken(32)}`;
const iso = (ms: number): string => new Date(ms).toISOString();
const hostOf = (url: string): string => (URL.canParse(url) ? new URL(url).host : 'invalid URL');

function checkUrl(url: string, allowPrivateNetwork: boolean): void {
  const problem = checkOutboundUrl(url, allowPrivateNetwork);
  if (problem) {
    throw new DomainError(problem.kind === 'private' ? 'SB_WEBHOOKS_URL_PRIVATE' : 'SB_WEBHOOKS_URL_INVALID', 400, `url ${problem.message}`, { field: 'url' });
  }
}

function checkEvents(events: readonly string[]): WebhookEventType[] {
  if (events.length === 0) throw new DomainError('SB_VALIDATION', 400, 'events needs at least one event', { field: 'events' });
  events.forEach((e, i) => {
    if (!isWebhookEventType(e)) throw new DomainError('SB_VALIDATION', 400, `events.${i} is not an event webhooks carry`, { field: `events.${i}` });
  });
  return [...new Set(events as WebhookEventType[])];
}

export class Webhooks {
  readonly #store: WebhookStore;
  readonly #clock: Clock;
  readonly #audit: WebhooksDeps['audit'];
  readonly #outbox: Outbox;
  readonly #worker: DeliveryWorker;

  constructor(deps: WebhooksDeps) {
    this.#store = new WebhookStore(deps.db);
    this.#clock = deps.clock;
    this.#audit = deps.audit;
    const options: DeliveryOptions = { ...DEFAULT_DELIVERY, ...deps.delivery };
    this.#worker = new DeliveryWorker({
      store: this.#store, clock: deps.clock, log: deps.log, options, random: deps.random ?? Math.random,
      onFailed: (e) => deps.bus.publish('WebhookDeliveryFailed', e),
    });
    this.#outbox = new Outbox({
      bus: deps.bus, store: this.#store, clock: deps.clock, log: deps.log, interactions: deps.interactions, onWritten: () => this.#worker.nudge(),
    });
  }

  /** Listens to the bus and starts delivering, due rows left from before a restart first. */
  start(): void {
    this.#outbox.start();
    this.#worker.start();
  }

  /** Stops listening, writes what was received, abandons attempts in flight (they stay pending). */
  async stop(): Promise<void> {
    await this.#outbox.stop();
    await this.#worker.stop();
  }

  /** Resolves when every event received so far is written and no attempt is in flight. */
  async settled(): Promise<void> {
    await this.#outbox.settled();
    await this.#worker.settled();
  }

  /** Attempts in flight now, across tenants. */
  inFlight(): number {
    return this.#worker.inFlight();
  }

  async list(tenantId: string): Promise<Subscription[]> {
    return (await this.#store.subscriptions(tenantId)).map(withoutSecret);
  }

  async get(tenantId: string, id: string): Promise<Subscription> {
    return withoutSecret(await this.#target(tenantId, id));
  }

  async create(tenantId: string, input: NewSubscription, actor?: WebhookActor): Promise<SubscriptionWithSecret> {
    const allowPrivateNetwork = input.allowPrivateNetwork ?? false;
    checkUrl(input.url, allowPrivateNetwork);
    const events = checkEvents(input.events);
    if ((await this.#store.subscriptions(tenantId)).length >= MAX_SUBSCRIPTIONS) {
      throw new DomainError('SB_WEBHOOKS_LIMIT', 409, `a workspace has at most ${MAX_SUBSCRIPTIONS} webhook subscriptions`);
    }
    const now = iso(this.#clock.now());
    const target: SubscriptionTarget = {
      id: newId(), url: input.url, description: input.description ?? null, events, active: input.active ?? true, allowPrivateNetwork,
      createdAt: now, updatedAt: now, secret: newSecret(),
    };
    await this.#store.createSubscription(tenantId, target);
    await this.#record(tenantId, actor, 'webhook.created', target.id, { host: hostOf(target.url), events, allowPrivateNetwork });
    return { ...withoutSecret(target), secret: target.secret };
  }

  async update(tenantId: string, id: string, changes: SubscriptionChanges, actor?: WebhookActor): Promise<Subscription> {
    const current = await this.#target(tenantId, id);
    if (changes.url !== undefined || changes.allowPrivateNetwork !== undefined) {
      checkUrl(changes.url ?? current.url, changes.allowPrivateNetwork ?? current.allowPrivateNetwork);
    }
    const events = changes.events === undefined ? undefined : checkEvents(changes.events);
    await this.#store.updateSubscription(tenantId, id, { ...changes, ...(events ? { events } : {}) }, iso(this.#clock.now()));
    await this.#record(tenantId, actor, 'webhook.updated', id, {
      fields: Object.keys(changes).sort(), ...(changes.url !== undefined ? { host: hostOf(changes.url) } : {}),
    });
    if (changes.active) this.#worker.nudge();
    return this.get(tenantId, id);
  }

  async remove(tenantId: string, id: string, actor?: WebhookActor): Promise<void> {
    if (!(await this.#store.removeSubscription(tenantId, id))) throw notFound('webhook subscription');
    await this.#record(tenantId, actor, 'webhook.deleted', id, {});
  }

  /** A new secret, effective for the next attempt; shown this once. */
  async rotateSecret(tenantId: string, id: string, actor?: WebhookActor): Promise<SubscriptionWithSecret> {
    await this.#target(tenantId, id);
    const secret = newSecret();
    await this.#store.updateSubscription(tenantId, id, { secret }, iso(this.#clock.now()));
    await this.#record(tenantId, actor, 'webhook.secret_rotated', id, {});
    return { ...(await this.get(tenantId, id)), secret };
  }

  async deliveries(tenantId: string, subscriptionId: string, query: DeliveryQuery): Promise<DeliveryPage> {
    await this.#target(tenantId, subscriptionId);
    return this.#store.deliveries(tenantId, subscriptionId, query);
  }

  /** One delivery with the body it sends. */
  async delivery(tenantId: string, id: string): Promise<Delivery & { payload: unknown }> {
    const d = await this.#store.delivery(tenantId, id);
    if (!d) throw notFound('webhook delivery');
    return { ...withoutPayload(d), payload: JSON.parse(d.payload) as unknown };
  }

  /** Sends a delivery's event again as a new delivery (new Switchboard-Delivery id, same event id and body), with a full set of attempts. */
  async redeliver(tenantId: string, deliveryId: string, actor?: WebhookActor): Promise<Delivery> {
    const original = await this.#store.delivery(tenantId, deliveryId);
    if (!original) throw notFound('webhook delivery');
    await this.#activeTarget(tenantId, original.subscriptionId);
    const now = iso(this.#clock.now());
    const row: NewDeliveryRow = {
      id: newId(), subscription_id: original.subscriptionId, event_id: original.eventId, event_type: original.eventType, payload: original.payload,
      customer_id: original.customerId, status: DeliveryStatus.Pending, attempts: 0, next_attempt_at: now, last_attempt_at: null,
      last_status_code: null, last_error: null, delivered_at: null, created_at: now,
    };
    await this.#store.insertDeliveries(tenantId, [row]);
    // Read back before the worker may send it, so the answer is the delivery as queued.
    const queued = withoutPayload((await this.#store.delivery(tenantId, row.id))!);
    this.#worker.nudge();
    await this.#record(tenantId, actor, 'webhook.redelivered', original.subscriptionId, { deliveryId: original.id, redeliveryId: row.id });
    return queued;
  }

  /** Queues a test delivery of type WebhookPing to one subscription. */
  async ping(tenantId: string, subscriptionId: string, actor?: WebhookActor): Promise<Delivery> {
    const target = await this.#activeTarget(tenantId, subscriptionId);
    const now = iso(this.#clock.now());
    const [id] = await this.#outbox.write(tenantId, PING_EVENT, { subscriptionId, at: now }, now, [target], { nudge: false });
    const queued = withoutPayload((await this.#store.delivery(tenantId, id!))!);
    this.#worker.nudge();
    await this.#record(tenantId, actor, 'webhook.pinged', subscriptionId, { deliveryId: id });
    return queued;
  }

  async #target(tenantId: string, id: string): Promise<SubscriptionTarget> {
    const s = await this.#store.subscription(tenantId, id);
    if (!s) throw notFound('webhook subscription');
    return s;
  }

  async #activeTarget(tenantId: string, id: string): Promise<SubscriptionTarget> {
    const s = await this.#target(tenantId, id);
    if (!s.active) throw new DomainError('SB_WEBHOOKS_INACTIVE', 409, 'the subscription is not active; activate it first');
    return s;
  }

  #record(tenantId: string, actor: WebhookActor | undefined, action: string, targetId: string, details: Record<string, unknown>): Promise<void> {
    return this.#audit.append({
      tenantId, action, targetType: 'webhook', targetId, details, actorId: actor?.userId ?? null, actorName: actor?.name ?? 'system', ip: actor?.ip ?? null,
    });
  }
}
