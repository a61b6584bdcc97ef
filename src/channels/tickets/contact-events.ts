// Events of a contact's life that a channel adapter publishes, in no channel's own terms
// (docs/events.md): a contact arrived on a channel, and it ended. The interaction recorder builds
// the record's first and last facts from them, as it does from CallArrived and CallEnded for calls.

export type ContactEvents = {
  /**
   * `contactId` is the interaction's id; `from`: the customer (for a task: the ticket's CRM customer)
   * or null; `to`: where it was addressed (for a task: its queue); `reference`: the channel's own object
   * the contact is about (a ticket).
   */
  ContactArrived: {
    tenantId: string; contactId: string; channel: string; direction: 'inbound' | 'outbound' | 'internal'; from: string | null; to: string;
    reference: { kind: string; id: string } | null; at: string;
  };
  /** The contact is over: its agent released it, or it left its queue another way (`reason`). */
  ContactEnded: { tenantId: string; contactId: string; endedBy: 'customer' | 'agent' | 'system'; reason: string; at: string };
};
