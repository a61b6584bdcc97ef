// Tickets: complaints, inquiries and work orders with per-type workflows, SLA clocks in business hours
// (warnings, breaches, escalation), comments, attachments, watchers and a full history. Callers handle
// DomainErrors: SB_NOT_FOUND (also for another workspace's ids), SB_VALIDATION naming the field,
// SB_TICKETS_TRANSITION_FORBIDDEN with `details.allowed`, attachment 413/415. Register `timelineSource`
// with the CRM, call `start()` after wiring and `stop()` on shutdown.
export {
  Priority, PRIORITIES, Visibility, VISIBILITIES, AuthorKind, AUTHOR_KINDS, SlaMetric, SLA_METRICS, ClockState, CLOCK_STATES, isPriority,
  type Ticket, type TicketType, type TicketTypeInput, type NewTicket, type TicketChanges, type Comment, type NewComment, type Attachment, type HistoryEntry,
  type SlaPolicy, type SlaPolicyInput, type SlaBreach, type Escalation, type ClockView, type TicketSla, type TicketActor, type TicketRouter,
} from './ticket-model.ts';
export { StatusCategory, STATUS_CATEGORIES, MAX_STATUSES, pathTo, statusOf, type Workflow, type WorkflowStatus, type Transition } from './workflow.ts';
export { DEFAULT_ATTACHMENT_LIMITS, tooLarge as attachmentTooLarge, type AttachmentLimits } from './attachment-check.ts';
export { MAX_FIELDS } from './ticket-fields.ts';
export {
  Tickets, MAX_PAGE, type TicketsDeps, type TicketReferences, type TicketQuery, type TicketPage, type BreachQuery, type BreachPage,
} from './tickets.ts';
export { type TicketsTables } from './ticket-store.sql.ts';
export { type TicketEvents } from './ticket-events.ts';
