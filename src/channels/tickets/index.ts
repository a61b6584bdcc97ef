// The task channel: tickets routed through the ACD like calls, offered and accepted on the agent
// desktop (README.md). Register the channel with the routing engine (`registerChannel('task', …)`),
// give it to Tickets as its router, and route the desktop's accept through `accept` (SB_NOT_FOUND,
// SB_TASKS_OFFER_NOT_TASK). Publishes ContactArrived and ContactEnded.
export { TicketChannel, TASK_CHANNEL, type TaskRouting, type TaskTicket, type TaskTickets, type TicketChannelDeps } from './ticket-channel.ts';
export { TASK_END_REASONS, TASK_PRIORITY, type TaskEndReason } from './task-work.ts';
export type { ContactEvents } from './contact-events.ts';
