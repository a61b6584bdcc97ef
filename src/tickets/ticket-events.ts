// Events the tickets domain publishes (docs/events.md). Payloads are ids and facts, published after commit;
// `at` is ISO UTC (for SLA events: the instant the threshold was crossed, in business time of the policy).
import type { Escalation, SlaMetric } from './ticket-model.ts';

export type TicketEvents = {
  TicketCreated: { tenantId: string; ticketId: string; number: number; typeId: string; priority: string; customerId: string | null; at: string };
  /** `changed` names the ticket's fields that changed (status, priority, assigneeUserId, fields.<key>, watcherIds, ...). */
  TicketUpdated: { tenantId: string; ticketId: string; changed: string[]; actorId: string | null; at: string };
  TicketCommented: { tenantId: string; ticketId: string; commentId: string; visibility: string; from: string; at: string };
  /** `warnAtPercent` of a target has passed; `dueAt` is when it will be breached if nothing changes. */
  TicketSlaWarning: { tenantId: string; ticketId: string; metric: SlaMetric; dueAt: string; at: string };
  /** A target was missed; `escalation` says whom the ticket went to and whether supervisors are to be told. */
  TicketSlaBreached: {
    tenantId: string; ticketId: string; breachId: string; metric: SlaMetric; dueAt: string; at: string; escalation: Escalation | null;
  };
};
