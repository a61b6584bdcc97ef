// What a ticket means for its work item in the ACD (pure): the routing priority of a ticket's
// priority, and when a routed ticket is no longer the ACD's to hand out (while it waits) or no longer
// its agent's (once accepted).
import { StatusCategory, type Priority } from '../../tickets/index.ts';

/** urgent > high > normal > low, added to the queue's priority in the routing core's rank. */
export const TASK_PRIORITY: Readonly<Record<Priority, number>> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** Why a work item ended (ContactEnded `reason`), besides `overflow:<target>`. */
export const TASK_END_REASONS = {
  Resolved: 'resolved',
  Closed: 'closed',
  /** Accepted, then assigned to someone else (by a person or an SLA escalation). */
  Reassigned: 'reassigned',
  /** Assigned to someone some other way while it waited. */
  AssignedElsewhere: 'assigned-elsewhere',
  /** The agent accepted but the ticket could not be assigned to them. */
  AssignmentFailed: 'assignment-failed',
  /** Restored after a restart without the ticket it was for (its routing data names none). */
  NoTicket: 'no-ticket',
} as const;
export type TaskEndReason = (typeof TASK_END_REASONS)[keyof typeof TASK_END_REASONS];

export interface TicketState {
  statusCategory: string;
  assigneeUserId: string | null;
  assigneeTeamId: string | null;
}

const finished = (t: TicketState): TaskEndReason | null =>
  t.statusCategory === StatusCategory.Resolved ? TASK_END_REASONS.Resolved : t.statusCategory === StatusCategory.Closed ? TASK_END_REASONS.Closed : null;

/** A waiting or offered ticket leaves its queue once resolved, closed or assigned another way; null while it still waits for an agent. */
export function waitingEnds(t: TicketState): TaskEndReason | null {
  return finished(t) ?? (t.assigneeUserId !== null || t.assigneeTeamId !== null ? TASK_END_REASONS.AssignedElsewhere : null);
}

/** The agent who accepted the ticket is released once it is resolved, closed, or assigned to another user; null while it is still theirs. */
export function heldEnds(t: TicketState, agentId: string): TaskEndReason | null {
  return finished(t) ?? (t.assigneeUserId !== agentId ? TASK_END_REASONS.Reassigned : null);
}
