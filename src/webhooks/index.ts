// Outbound webhooks: signed POSTs of bus events to a tenant's own systems, through an outbox that
// survives restarts. Callers start it once (`Webhooks.start`) and stop it before the storage closes;
// receivers verify with `verifySignature` (the scheme is in README.md).
export { Webhooks, MAX_SUBSCRIPTIONS, type WebhooksDeps, type WebhookActor, type SubscriptionWithSecret } from './webhooks.ts';
export { DEFAULT_DELIVERY, type DeliveryOptions } from './delivery-worker.ts';
export { DEFAULT_RETRY, retryDelayMs, type RetrySchedule } from './retry-schedule.ts';
export {
  sign, signatureHeader, verifySignature, SIGNATURE_HEADER, EVENT_HEADER, DELIVERY_HEADER, DEFAULT_TOLERANCE_SECONDS, type VerifyInput,
} from './signature.ts';
export {
  WEBHOOK_EVENTS, WEBHOOK_EVENT_TYPES, PING_EVENT, isWebhookEventType, type WebhookEventType, type WebhookEvents,
} from './webhook-events.ts';
export {
  DeliveryStatus, DELIVERY_STATUSES, MAX_DELIVERY_PAGE, type Subscription, type NewSubscription, type SubscriptionChanges, type Delivery, type DeliveryPage,
  type DeliveryQuery, type WebhookEnvelope,
} from './webhook-model.ts';
