// Events the interactions domain publishes (docs/events.md).

export type InteractionEvents = {
  /** The record is final: the contact ended and, when an agent handled it, wrap-up is over. */
  InteractionClosed: { tenantId: string; interactionId: string; outcome: string; at: string };
};
