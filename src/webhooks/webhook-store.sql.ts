// Subscriptions and the outbox in SQLite/PostgreSQL (webhooks_subscription, webhooks_delivery).
// The delivery rows are the queue: a pending row is sent until a receiver answers 2xx or its
// attempts run out, so nothing written is lost across a restart. Tenant-scoped through TenantScope,
// except the worker's scans for due rows and its retention sweep, which span every tenant and
// read only ids.
import type { Kysely } from 'kysely';
import { tables, type SqlDatabase } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';
import { isWebhookEventType } from './webhook-events.ts';
import {
  DeliveryStatus, MAX_DELIVERY_PAGE, type Delivery, type DeliveryPage, type DeliveryQuery, type Subscription, type SubscriptionChanges,
} from './webhook-model.ts';

interface WebhooksTables {
  webhooks_subscription: {
    id: string; tenant_id: string; url: string; description: string | null; events: string; secret: string; active: number;
    allow_private_network: number; created_at: string; updated_at: string;
  };
  webhooks_delivery: {
    id: string; tenant_id: string; subscription_id: string; event_id: string; event_type: string; payload: string; customer_id: string | null;
    status: string; attempts: number; next_attempt_at: string | null; last_attempt_at: string | null; last_status_code: number | null;
    last_error: string | null; delivered_at: string | null; created_at: string;
  };
}
type SubscriptionRow = WebhooksTables['webhooks_subscription'];
type DeliveryRow = WebhooksTables['webhooks_delivery'];

/** A subscription with what sending needs. */
export interface SubscriptionTarget extends Subscription {
  secret: string;
}

/** A delivery with its stored body. */
export interface StoredDelivery extends Delivery {
  payload: string;
  customerId: string | null;
}

export type NewDeliveryRow = Omit<DeliveryRow, 'tenant_id'>;

/** A due delivery found by the worker's scan. */
export interface DueDelivery {
  id: string;
  tenantId: string;
  subscriptionId: string;
}

const toSubscription = (r: SubscriptionRow): SubscriptionTarget => ({
  id: r.id, url: r.url, description: r.description, events: (JSON.parse(r.events) as unknown[]).filter(isWebhookEventType),
  active: Number(r.active) === 1, allowPrivateNetwork: Number(r.allow_private_network) === 1, createdAt: r.created_at, updatedAt: r.updated_at,
  secret: r.secret,
});

const toDelivery = (r: DeliveryRow): StoredDelivery => ({
  id: r.id, subscriptionId: r.subscription_id, eventId: r.event_id, eventType: r.event_type, status: r.status as DeliveryStatus,
  attempts: Number(r.attempts), nextAttemptAt: r.next_attempt_at, lastAttemptAt: r.last_attempt_at,
  lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code), lastError: r.last_error, deliveredAt: r.delivered_at,
  createdAt: r.created_at, payload: r.payload, customerId: r.customer_id,
});

export const withoutSecret = ({ secret: _secret, ...s }: SubscriptionTarget): Subscription => s;
export const withoutPayload = ({ payload: _payload, customerId: _customerId, ...d }: StoredDelivery): Delivery => d;

const encodeCursor = (d: Delivery): string => Buffer.from(`${d.createdAt}\n${d.id}`).toString('base64url');
function decodeCursor(cursor: string): { createdAt: string; id: string } | undefined {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('\n');
  return createdAt && id ? { createdAt, id } : undefined;
}

export class WebhookStore {
  readonly #db: Kysely<WebhooksTables>;

  constructor(db: SqlDatabase) {
    this.#db = tables<WebhooksTables>(db);
  }

  #scope(tenantId: string) {
    return new TenantScope(this.#db, tenantId);
  }

  async subscriptions(tenantId: string): Promise<SubscriptionTarget[]> {
    const rows = await this.#scope(tenantId).selectFrom('webhooks_subscription').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toSubscription);
  }

  async subscription(tenantId: string, id: string): Promise<SubscriptionTarget | undefined> {
    const row = await this.#scope(tenantId).selectFrom('webhooks_subscription').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toSubscription(row) : undefined;
  }

  /** The tenant's active subscriptions to an event type. */
  async subscribers(tenantId: string, eventType: string): Promise<SubscriptionTarget[]> {
    const rows = await this.#scope(tenantId).selectFrom('webhooks_subscription').selectAll().where('active', '=', 1).execute();
    return rows.map(toSubscription).filter((s) => (s.events as string[]).includes(eventType));
  }

  async createSubscription(tenantId: string, s: SubscriptionTarget): Promise<void> {
    await this.#scope(tenantId).insertInto('webhooks_subscription', {
      id: s.id, url: s.url, description: s.description, events: JSON.stringify(s.events), secret: s.secret, active: s.active ? 1 : 0,
      allow_private_network: s.allowPrivateNetwork ? 1 : 0, created_at: s.createdAt, updated_at: s.updatedAt,
    }).execute();
  }

  async updateSubscription(tenantId: string, id: string, c: SubscriptionChanges & { secret?: string }, at: string): Promise<boolean> {
    const set: Partial<SubscriptionRow> = { updated_at: at };
    if (c.url !== undefined) set.url = c.url;
    if (c.events !== undefined) set.events = JSON.stringify(c.events);
    if (c.description !== undefined) set.description = c.description;
    if (c.active !== undefined) set.active = c.active ? 1 : 0;
    if (c.allowPrivateNetwork !== undefined) set.allow_private_network = c.allowPrivateNetwork ? 1 : 0;
    if (c.secret !== undefined) set.secret = c.secret;
    const r = await this.#scope(tenantId).updateTable('webhooks_subscription').set(set).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async removeSubscription(tenantId: string, id: string): Promise<boolean> {
    return this.#scope(tenantId).transaction(async (s) => {
      await s.deleteFrom('webhooks_delivery').where('subscription_id', '=', id).execute();
      const r = await s.deleteFrom('webhooks_subscription').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  async insertDeliveries(tenantId: string, rows: NewDeliveryRow[]): Promise<void> {
    if (rows.length > 0) await this.#scope(tenantId).insertInto('webhooks_delivery', rows).execute();
  }

  async delivery(tenantId: string, id: string): Promise<StoredDelivery | undefined> {
    const row = await this.#scope(tenantId).selectFrom('webhooks_delivery').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toDelivery(row) : undefined;
  }

  /** Newest first. */
  async deliveries(tenantId: string, subscriptionId: string, q: DeliveryQuery): Promise<DeliveryPage> {
    const limit = Math.min(Math.max(q.limit ?? 50, 1), MAX_DELIVERY_PAGE);
    let sel = this.#scope(tenantId).selectFrom('webhooks_delivery').selectAll().where('subscription_id', '=', subscriptionId);
    if (q.status) sel = sel.where('status', '=', q.status);
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (after) {
      sel = sel.where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]));
    }
    const rows = await sel.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    const items = rows.slice(0, limit).map((r) => withoutPayload(toDelivery(r)));
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null };
  }

  /** Records an attempt's outcome on a delivery that is still pending; false when it no longer is (or is gone). */
  async recordAttempt(tenantId: string, id: string, r: {
    status: DeliveryStatus; attempts: number; at: string; statusCode: number | null; error: string | null; nextAttemptAt: string | null;
  }): Promise<boolean> {
    const res = await this.#scope(tenantId).updateTable('webhooks_delivery').set({
      status: r.status, attempts: r.attempts, last_attempt_at: r.at, last_status_code: r.statusCode, last_error: r.error, next_attempt_at: r.nextAttemptAt,
      delivered_at: r.status === DeliveryStatus.Delivered ? r.at : null,
    }).where('id', '=', id).where('status', '=', DeliveryStatus.Pending).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Deliveries holding a customer's data, for erasure. */
  async ofCustomer(tenantId: string, customerId: string): Promise<StoredDelivery[]> {
    const rows = await this.#scope(tenantId).selectFrom('webhooks_delivery').selectAll().where('customer_id', '=', customerId).execute();
    return rows.map(toDelivery);
  }

  async replacePayload(tenantId: string, id: string, payload: string): Promise<void> {
    await this.#scope(tenantId).updateTable('webhooks_delivery').set({ payload, customer_id: null }).where('id', '=', id).execute();
  }

  /**
   * Due pending deliveries of active subscriptions, across tenants, oldest due first; skips the
   * deliveries and subscriptions given (in flight, or at their concurrency limit).
   */
  async due(now: string, skipDeliveries: string[], skipSubscriptions: string[], limit: number): Promise<DueDelivery[]> {
    let q = this.#db.selectFrom('webhooks_delivery as d')
      .innerJoin('webhooks_subscription as s', (j) => j.onRef('s.id', '=', 'd.subscription_id').onRef('s.tenant_id', '=', 'd.tenant_id'))
      .select(['d.id as id', 'd.tenant_id as tenantId', 'd.subscription_id as subscriptionId'])
      .where('d.status', '=', DeliveryStatus.Pending).where('d.next_attempt_at', '<=', now).where('s.active', '=', 1);
    if (skipDeliveries.length > 0) q = q.where('d.id', 'not in', skipDeliveries);
    if (skipSubscriptions.length > 0) q = q.where('d.subscription_id', 'not in', skipSubscriptions);
    return q.orderBy('d.next_attempt_at').orderBy('d.id').limit(limit).execute();
  }

  /** When the earliest pending delivery of an active subscription is due, leaving out the deliveries and subscriptions given. */
  async nextDue(skipDeliveries: string[], skipSubscriptions: string[]): Promise<string | undefined> {
    let q = this.#db.selectFrom('webhooks_delivery as d')
      .innerJoin('webhooks_subscription as s', (j) => j.onRef('s.id', '=', 'd.subscription_id').onRef('s.tenant_id', '=', 'd.tenant_id'))
      .select((eb) => eb.fn.min('d.next_attempt_at').as('at'))
      .where('d.status', '=', DeliveryStatus.Pending).where('s.active', '=', 1);
    if (skipDeliveries.length > 0) q = q.where('d.id', 'not in', skipDeliveries);
    if (skipSubscriptions.length > 0) q = q.where('d.subscription_id', 'not in', skipSubscriptions);
    const row = await q.executeTakeFirst();
    return row?.at ?? undefined;
  }

  /** Removes finished deliveries created before `before`, in every tenant; answers how many. */
  async prune(before: string): Promise<number> {
    const r = await this.#db.deleteFrom('webhooks_delivery')
      .where('status', 'in', [DeliveryStatus.Delivered, DeliveryStatus.Failed]).where('created_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
