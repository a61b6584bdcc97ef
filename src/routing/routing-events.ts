// Events the routing engine publishes (docs/events.md): a contact's way through queues and offers,
// and agents' states. Channel-agnostic; `contactId` is the interaction's id; `at` is ISO UTC.

export type RoutingEvents = {
  ContactQueued: { tenantId: string; contactId: string; queueId: string; channel: string; priority: number; kind: 'contact' | 'callback'; at: string };
  OfferCreated: { tenantId: string; contactId: string; offerId: string; agentId: string; queueId: string; channel: string; at: string };
  OfferAccepted: { tenantId: string; contactId: string; offerId: string; agentId: string; queueId: string; at: string };
  /** The offer ended unanswered: the agent rejected it, let it ring out, could not be reached, or it was withdrawn. */
  OfferDeclined: { tenantId: string; contactId: string; offerId: string; agentId: string; queueId: string; reason: 'rejected' | 'timeout' | 'unreachable' | 'withdrawn'; at: string };
  /** The customer left while waiting or being offered. */
  ContactAbandoned: { tenantId: string; contactId: string; queueId: string; waitMs: number; at: string };
  /** The contact left its queue for another treatment: its longest wait passed, or the caller chose a callback. */
  ContactOverflowed: { tenantId: string; contactId: string; fromQueueId: string; target: string; toQueueId: string | null; at: string };
  /** A contact the engine closed itself (its channel lost it across a restart). */
  ContactClosed: { tenantId: string; contactId: string; queueId: string; reason: string; at: string };
  /** After a restart, a background channel's work item an agent had accepted is theirs again (their capacity taken). */
  ContactRestored: { tenantId: string; contactId: string; queueId: string; channel: string; agentId: string; at: string };
  /** The customer's contact with the agent is over; wrap-up (after-call work) begins. */
  WrapUpStarted: { tenantId: string; contactId: string; agentId: string; at: string };
  WrapUpEnded: { tenantId: string; contactId: string; agentId: string; disposition: string | null; at: string };
  AgentStateChanged: { tenantId: string; agentId: string; state: string; reason: string | null; previous: string; at: string };
};
