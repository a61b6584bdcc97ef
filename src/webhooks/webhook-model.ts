// Subscriptions and deliveries as the API and the worker see them.
import type { WebhookEventType } from './webhook-events.ts';

/** pending -> delivered (a 2xx answer) | failed (attempts used up); a redelivery is a new pending delivery. */
export const DeliveryStatus = {
  Pending: 'pending',
  Delivered: 'delivered',
  Failed: 'failed',
} as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = Object.values(DeliveryStatus);

/** A subscription without its secret (the secret is shown once, when created or rotated). */
export interface Subscription {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  active: boolean;
  /** Loopback, private and link-local addresses are refused unless this is set. */
  allowPrivateNetwork: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NewSubscription {
  url: string;
  events: WebhookEventType[];
  description?: string | null | undefined;
  active?: boolean | undefined;
  allowPrivateNetwork?: boolean | undefined;
}

export type SubscriptionChanges = Partial<{ url: string; events: WebhookEventType[]; description: string | null; active: boolean; allowPrivateNetwork: boolean }>;

export interface Delivery {
  id: string;
  subscriptionId: string;
  /** The event's id (the body's `id`): the same in every delivery of that event, redeliveries included. */
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  /** When the next attempt is due (pending only). */
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** The body a receiver gets: `{ id, type, tenantId, occurredAt, data }`. */
export interface WebhookEnvelope {
  id: string;
  type: string;
  tenantId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface DeliveryQuery {
  status?: DeliveryStatus | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
  limit?: number | undefined;
}

export interface DeliveryPage {
  items: Delivery[];
  /** Pass as `cursor` for older deliveries; null on the last page. */
  nextCursor: string | null;
}

export const MAX_DELIVERY_PAGE = 100;
