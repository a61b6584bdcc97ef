// Events the analytics domain publishes (docs/events.md).

export type AnalyticsEvents = {
  /** A queue's wallboard figures changed; at most one per queue every 250 ms. */
  WallboardChanged: { tenantId: string; queueId: string };
};
