// What the agent desktop reads from the API and the live socket (src/http/routes/desktop-routes.ts,
// docs/events.md "Browser messages").

export interface IvrStep { node: string; type: string; input?: string; outcome?: string }

export interface ContactView {
  contactId: string;
  caller: string | null;
  dialled: string | null;
  direction: string | null;
  language: string | null;
  ivrPath: IvrStep[];
  queueId: string | null;
  queueName: string | null;
}
export interface OfferView extends ContactView { offerId: string; at: string; timeoutSeconds: number | null }
export interface CallView extends ContactView { callId: string; connectedAt: string; held: boolean; heldSince: string | null }
export interface WrapUpView extends ContactView { startedAt: string; wrapUpSeconds: number | null; dispositions: string[] }
/** The ticket behind a task (a ticket the ACD routes to agents like a call). */
export interface TaskTicket {
  id: string;
  number: number;
  subject: string;
  priority: string;
  status: string;
  statusName: string;
  statusCategory: string;
  customerId: string | null;
  customerName: string | null;
  /** The statuses Resolve moves the ticket through, the resolved one last; null: its workflow leads to none. */
  resolveThrough: string[] | null;
}
export interface TaskOfferView { offerId: string; contactId: string; queueId: string; queueName: string | null; at: string; timeoutSeconds: number | null; ticket: TaskTicket | null }
export interface TaskView { contactId: string; queueId: string; queueName: string | null; acceptedAt: string; ticket: TaskTicket | null }
export interface WorkView {
  offer: OfferView | null;
  call: CallView | null;
  wrapUp: WrapUpView | null;
  taskOffers: TaskOfferView[];
  tasks: TaskView[];
}

/** A ticket as GET /api/tickets/:id gives it (the fields the task panel shows). */
export interface TicketDetail {
  id: string;
  number: number;
  subject: string;
  description: string;
  status: string;
  statusCategory: string;
  priority: string;
  customerId: string | null;
  assigneeUserId: string | null;
  createdAt: string;
}

export interface AgentStateView {
  state: string;
  reason: string | null;
  stateSince: string;
  pending: { state: string; reason: string | null } | null;
}

export interface DeskPhone { id: string; username: string; displayName: string }
export interface DeskSettings { stationPhoneId: string | null; autoAnswer: boolean }

export interface DeskState {
  agent: AgentStateView;
  settings: DeskSettings;
  phones: DeskPhone[];
  reasons: string[];
  work: WorkView;
}

/** A live call as the call-control API describes it. */
export interface LiveCall {
  callId: string;
  muted?: boolean;
  recording?: boolean;
  consulting?: boolean;
  conference?: boolean;
}

export interface HistoryEntry {
  interactionId: string;
  connectedAt: string;
  direction: string;
  caller: string | null;
  queueId: string | null;
  queueName: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  talkMs: number;
  outcome: string | null;
  disposition: string | null;
  notes: string | null;
  recorded: boolean;
  handledLast: boolean;
}

export interface TransferTargets {
  agents: { id: string; displayName: string; state: string }[];
  queues: { id: string; name: string }[];
}

export interface Customer {
  id: string;
  name: string | null;
  company: string | null;
  language: string | null;
  tags: string[];
  identities: { id: string; kind: string; value: string }[];
}

export interface OpenTicket { id: string; number: number; subject: string; status: string; statusCategory: string }

export interface TimelineEntry { at: string; kind: string; id: string; summary: string; channel?: string; data?: Record<string, unknown> }

/** A message of the live socket (`type` names it; the rest is its payload). */
export interface LiveMessage { type: string; [key: string]: unknown }
