// What the agent desktop shows: the contact behind an offer, a call or a wrap-up (the screen pop's
// facts), the tickets behind task offers and tasks, the agent's settings, their history; and the
// reason codes an agent picks for NotReady.
import type { IvrStep } from './current-work.ts';

/** Reason codes an agent chooses from for NotReady (the routing engine sets missed, rejected, unreachable, restart itself). */
export const NOT_READY_REASONS = ['break', 'lunch', 'meeting', 'training', 'coaching', 'personal'] as const;
export type NotReadyReason = (typeof NOT_READY_REASONS)[number];

export interface ContactView {
  contactId: string;
  /** The customer's number (a caller's, or the one a callback calls). */
  caller: string | null;
  dialled: string | null;
  direction: 'inbound' | 'outbound' | 'internal' | null;
  /** The language the caller chose in the IVR. */
  language: string | null;
  /** The IVR nodes the caller went through, with the keys pressed. */
  ivrPath: IvrStep[];
  queueId: string | null;
  queueName: string | null;
}

export interface OfferView extends ContactView {
  offerId: string;
  at: string;
  /** How long the offer rings before it counts as missed. */
  timeoutSeconds: number | null;
}

export interface CallView extends ContactView {
  callId: string;
  connectedAt: string;
  held: boolean;
  heldSince: string | null;
}

export interface WrapUpView extends ContactView {
  startedAt: string;
  /** The queue's wrap-up time (0: none); it ends by itself after that. */
  wrapUpSeconds: number | null;
  dispositions: string[];
}

/** The ticket behind a task (src/channels/tickets gives it). */
export interface TaskTicketView {
  id: string;
  number: number;
  subject: string;
  priority: string;
  status: string;
  statusName: string;
  statusCategory: string;
  customerId: string | null;
  customerName: string | null;
  /** The statuses Resolve moves the ticket through, the resolved one last; null when its workflow leads to none. */
  resolveThrough: string[] | null;
}

export interface TaskOfferView {
  offerId: string;
  contactId: string;
  queueId: string;
  queueName: string | null;
  at: string;
  timeoutSeconds: number | null;
  /** null when the ticket cannot be read. */
  ticket: TaskTicketView | null;
}

export interface TaskView {
  contactId: string;
  queueId: string;
  queueName: string | null;
  acceptedAt: string;
  ticket: TaskTicketView | null;
}

export interface WorkView {
  offer: OfferView | null;
  call: CallView | null;
  wrapUp: WrapUpView | null;
  /** Tasks offered to the agent now, oldest first; accepted on the desktop. */
  taskOffers: TaskOfferView[];
  /** Tasks the agent holds until the ticket is resolved, closed or reassigned. */
  tasks: TaskView[];
}

export interface DeskSettings {
  /** The phone the agent works on; null: every phone of theirs rings. */
  stationPhoneId: string | null;
  /** The agent's phone answers offers by itself. */
  autoAnswer: boolean;
}

export interface DeskPhone { id: string; username: string; displayName: string }

export interface HistoryEntry {
  interactionId: string;
  connectedAt: string;
  direction: string;
  caller: string | null;
  queueId: string | null;
  queueName: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  /** The agent's own talk time (their talk segments), in milliseconds. */
  talkMs: number;
  outcome: string | null;
  disposition: string | null;
  notes: string | null;
  /** Whether the call was recorded (the agent may hear their own calls). */
  recorded: boolean;
  /** Whether the agent was the last to have the contact (else it was transferred on). */
  handledLast: boolean;
}
