// Tickets as other domains and the API see them: a complaint, inquiry or work order tracked to its end.
import type { FieldDefinition, FieldValue } from '../crm/index.ts';
import type { Workflow } from './workflow.ts';

export const Priority = { Low: 'low', Normal: 'normal', High: 'high', Urgent: 'urgent' } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];
export const PRIORITIES: readonly Priority[] = Object.values(Priority);

/** Public comments are for the customer; internal notes are for the team only. */
export const Visibility = { Public: 'public', Internal: 'internal' } as const;
export type Visibility = (typeof Visibility)[keyof typeof Visibility];
export const VISIBILITIES: readonly Visibility[] = Object.values(Visibility);

/** Who wrote a comment: an agent (a user of the workspace) or the customer (relayed by an integration). */
export const AuthorKind = { Agent: 'agent', Customer: 'customer' } as const;
export type AuthorKind = (typeof AuthorKind)[keyof typeof AuthorKind];
export const AUTHOR_KINDS: readonly AuthorKind[] = Object.values(AuthorKind);

/** The two SLA clocks of a ticket. */
export const SlaMetric = { FirstResponse: 'first_response', Resolution: 'resolution' } as const;
export type SlaMetric = (typeof SlaMetric)[keyof typeof SlaMetric];
export const SLA_METRICS: readonly SlaMetric[] = Object.values(SlaMetric);

/** running -> paused (pending status) -> running ...; met / stopped end it; breached once its target passed. */
export const ClockState = { Running: 'running', Paused: 'paused', Met: 'met', Stopped: 'stopped', Breached: 'breached' } as const;
export type ClockState = (typeof ClockState)[keyof typeof ClockState];
export const CLOCK_STATES: readonly ClockState[] = Object.values(ClockState);

export interface TicketActor {
  userId: string | null;
  name: string;
  ip: string | null;
}

/** A kind of ticket (inquiry, complaint, work order, ...) with its own workflow, categories and custom fields. */
export interface TicketType {
  id: string;
  key: string;
  name: string;
  workflow: Workflow;
  /** Allowed categories; empty means free text. */
  categories: string[];
  fields: FieldDefinition[];
  /** The ACD queue that works new unassigned tickets of this type (routed as tasks); null: not routed. */
  queueId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What an admin sends to create or replace a ticket type. */
export interface TicketTypeInput {
  key: string;
  name: string;
  workflow: Workflow;
  categories?: string[] | undefined;
  fields?: { key: string; label: string; type: FieldDefinition['type']; options?: string[] | undefined; required?: boolean | undefined }[] | undefined;
  /** A queue of the workspace; absent or null: tickets of the type are not routed. */
  queueId?: string | null | undefined;
}

/** Where a breached ticket goes and who hears of it. */
export interface Escalation {
  assigneeUserId: string | null;
  assigneeTeamId: string | null;
  notifySupervisors: boolean;
}

/** Targets for one type and priority, in business minutes of a calendar (none: around the clock). */
export interface SlaPolicy {
  typeId: string;
  priority: Priority;
  calendarId: string | null;
  firstResponseMinutes: number | null;
  resolutionMinutes: number | null;
  /** A TicketSlaWarning is published when this share of a target has passed; null: no warning. */
  warnAtPercent: number | null;
  escalation: Escalation;
  updatedAt: string;
}

export type SlaPolicyInput = Omit<SlaPolicy, 'typeId' | 'updatedAt' | 'escalation'> & { escalation?: Partial<Escalation> | undefined };

/** One SLA clock as the API shows it. */
export interface ClockView {
  targetMinutes: number;
  state: ClockState;
  /** When the target is (or was) reached, while the clock runs; null when paused or done. */
  dueAt: string | null;
  warnAt: string | null;
  warnedAt: string | null;
  breachedAt: string | null;
  metAt: string | null;
  /** Business time counted up to the last change of the clock. */
  elapsedMs: number;
}

export interface TicketSla {
  calendarId: string | null;
  warnAtPercent: number | null;
  firstResponse: ClockView | null;
  resolution: ClockView | null;
}

export interface Ticket {
  id: string;
  /** 1, 2, 3, ... per workspace. */
  number: number;
  typeId: string;
  subject: string;
  description: string;
  status: string;
  statusCategory: string;
  priority: Priority;
  category: string | null;
  fields: Record<string, FieldValue>;
  customerId: string | null;
  interactionIds: string[];
  assigneeUserId: string | null;
  assigneeTeamId: string | null;
  watcherIds: string[];
  createdBy: { id: string | null; name: string };
  createdAt: string;
  updatedAt: string;
  firstRespondedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  breached: boolean;
  sla: TicketSla | null;
}

export interface NewTicket {
  /** The type's id or key; default: the workspace's first type. */
  type?: string | undefined;
  subject: string;
  description?: string | undefined;
  priority?: Priority | undefined;
  category?: string | null | undefined;
  fields?: Record<string, FieldValue | null> | undefined;
  customerId?: string | null | undefined;
  interactionIds?: string[] | undefined;
  assigneeUserId?: string | null | undefined;
  assigneeTeamId?: string | null | undefined;
  watcherIds?: string[] | undefined;
}

export interface TicketChanges {
  subject?: string | undefined;
  description?: string | undefined;
  priority?: Priority | undefined;
  category?: string | null | undefined;
  fields?: Record<string, FieldValue | null> | undefined;
  status?: string | undefined;
  customerId?: string | null | undefined;
  interactionIds?: string[] | undefined;
  assigneeUserId?: string | null | undefined;
  assigneeTeamId?: string | null | undefined;
}

export interface Comment {
  id: string;
  ticketId: string;
  visibility: Visibility;
  author: { kind: AuthorKind; id: string | null; name: string };
  body: string;
  at: string;
}

export interface NewComment {
  body: string;
  visibility?: Visibility | undefined;
  /** Default `agent` (the caller). `customer`: the ticket's customer wrote it and the caller relays it. */
  from?: AuthorKind | undefined;
}

export interface Attachment {
  id: string;
  ticketId: string;
  name: string;
  /** Sniffed from the content. */
  mime: string;
  size: number;
  sha256: string;
  uploadedBy: { id: string | null; name: string };
  at: string;
}

/** One change of a ticket: who, when, which field, from what to what (values as JSON). */
export interface HistoryEntry {
  id: string;
  seq: number;
  at: string;
  actor: { id: string | null; name: string };
  field: string;
  from: unknown;
  to: unknown;
}

/** A missed SLA target, kept for reports. */
export interface SlaBreach {
  id: string;
  ticketId: string;
  ticketNumber: number;
  typeId: string;
  priority: Priority;
  metric: SlaMetric;
  targetMinutes: number;
  dueAt: string;
  detectedAt: string;
  assigneeUserId: string | null;
  assigneeTeamId: string | null;
  escalation: Escalation | null;
}

/** The port to the ACD: decides who should work a new, unassigned ticket of a type with a queue (see README.md). */
export interface TicketRouter {
  /**
   * Answers the assignment to apply now, or undefined to leave the ticket unassigned (a router that
   * queues the ticket assigns it later, when an agent accepts it).
   */
  route(tenantId: string, ticket: Ticket, queueId: string): Promise<{ assigneeUserId?: string | null; assigneeTeamId?: string | null } | undefined>;
}

export const isPriority = (v: unknown): v is Priority => typeof v === 'string' && (PRIORITIES as readonly string[]).includes(v);
