// The published list of events a webhook can carry (listened for by name on the bus, so this domain
// depends on no publisher's types), and the event this domain publishes itself.

/** Event name -> what it tells a receiver. `data` is the bus event's payload (docs/events.md). */
export const WEBHOOK_EVENTS = {
  InteractionClosed: 'an interaction ended and its record is final; data.interaction is the record with its segments',
  CustomersMerged: 'one customer was merged into another',
  CustomersUnmerged: 'a merge was undone',
  CustomerErased: 'a customer\'s personal data was erased; erase your copies',
  AgentStateChanged: 'an agent\'s state changed (Available, Busy, AfterCallWork, NotReady with its reason, Offline)',
  CallbackRequested: 'a caller asked to be called back',
  VoicemailRecorded: 'a caller left a voicemail',
  TicketCreated: 'a ticket was opened',
  TicketUpdated: 'a ticket changed; data.changed names the fields',
  TicketCommented: 'a comment was added to a ticket',
  TicketSlaWarning: 'a ticket is close to an SLA target',
  TicketSlaBreached: 'a ticket missed an SLA target',
} as const;
export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as WebhookEventType[];
export const isWebhookEventType = (v: unknown): v is WebhookEventType => typeof v === 'string' && Object.hasOwn(WEBHOOK_EVENTS, v);

/** The type of the test delivery an admin sends; it is not a bus event and cannot be subscribed to. */
export const PING_EVENT = 'WebhookPing';

export type WebhookEvents = {
  /** A delivery used up its attempts without a 2xx answer; an admin may redeliver it. */
  WebhookDeliveryFailed: {
    tenantId: string; subscriptionId: string; deliveryId: string; eventType: string; attempts: number; lastStatusCode: number | null; at: string;
  };
};
