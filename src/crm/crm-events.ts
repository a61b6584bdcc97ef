// Events the crm domain publishes (docs/events.md). Payloads are ids and facts, published after commit.
export type CrmEvents = {
  /** `mergedId` now resolves to `survivorId`; its identities and notes moved there. */
  CustomersMerged: { tenantId: string; survivorId: string; mergedId: string; mergeId: string };
  /** The merge was undone: `mergedId` is its own customer again, with what had moved. */
  CustomersUnmerged: { tenantId: string; survivorId: string; mergedId: string; mergeId: string };
  /** The customer's personal data was erased; other domains erase theirs (recordings, message bodies). */
  CustomerErased: { tenantId: string; customerId: string };
};
