// The task channel of the ACD: a new unassigned ticket of a type that names a queue becomes a work
// item routed like a call (src/routing), offered on the agent desktop and accepted there. Each routing
// is an interaction of channel `task` (ContactArrived … ContactEnded). The ticket stays unassigned
// until an agent accepts; it is then assigned to them (history actor `router`), and their unit of task
// capacity is released when the ticket is resolved or closed, or assigned away from them.
import { DomainError, newId, notFound, type Clock, type EventPublisher, type EventSubscriber, type Logger } from '../../kernel/index.ts';
import type { ChannelAdapter, RoutingEngine } from '../../routing/index.ts';
import {
  pathTo, StatusCategory, statusOf, type Priority, type Ticket, type TicketActor, type TicketChanges, type TicketEvents, type TicketRouter, type TicketType,
} from '../../tickets/index.ts';
import type { ContactEvents } from './contact-events.ts';
import { heldEnds, TASK_END_REASONS, TASK_PRIORITY, waitingEnds } from './task-work.ts';

export const TASK_CHANNEL = 'task';

/** The ACD as the task channel uses it. */
export type TaskRouting = Pick<RoutingEngine, 'queue' | 'enqueue' | 'abandon' | 'offer' | 'offerAccepted' | 'agentReleased'>;

/** Tickets as the task channel uses them. */
export interface TaskTickets {
  get(tenantId: string, id: string): Promise<Ticket>;
  type(tenantId: string, id: string): Promise<TicketType>;
  update(tenantId: string, id: string, changes: TicketChanges, actor?: TicketActor): Promise<Ticket>;
}

export interface TicketChannelDeps {
  routing: TaskRouting;
  /** Read when first needed: Tickets is built with this channel as its router. */
  tickets: () => TaskTickets;
  bus: EventSubscriber<Pick<TicketEvents, 'TicketUpdated'>> & EventPublisher<ContactEvents>;
  clock: Clock;
  log: Logger;
  /** A CRM customer's name for the desktop (null: none known). */
  customerName?(tenantId: string, customerId: string): Promise<string | null>;
}

/** What the desktop shows of the ticket behind a task. */
export interface TaskTicket {
  id: string;
  number: number;
  subject: string;
  priority: Priority;
  status: string;
  statusName: string;
  statusCategory: string;
  customerId: string | null;
  customerName: string | null;
  /** The statuses a Resolve moves through (the workflow's fewest transitions to a resolved status); null when none leads there. */
  resolveThrough: string[] | null;
}

interface WorkItem {
  tenantId: string;
  contactId: string;
  ticketId: string;
  /** The agent who accepted it; null while it waits or is offered. */
  agentId: string | null;
}

const ROUTER: TicketActor = { userId: null, name: 'router', ip: null };
const key = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;
const ROUTING_FIELDS: ReadonlySet<string> = new Set(['status', 'assigneeUserId', 'assigneeTeamId']);

export class TicketChannel implements TicketRouter, ChannelAdapter {
  readonly #d: TicketChannelDeps;
  /** Work items by contact id and by ticket id (in memory: after a restart a queued item is relearnt from its offer, a held one from the ACD's restore). */
  readonly #byContact = new Map<string, WorkItem>();
  readonly #byTicket = new Map<string, WorkItem>();
  /** The tail of each ticket's changes, so accepting and the ticket's own updates apply one at a time. */
  readonly #chains = new Map<string, Promise<unknown>>();
  readonly #offs: (() => void)[];

  constructor(deps: TicketChannelDeps) {
    this.#d = deps;
    this.#offs = [deps.bus.subscribe('TicketUpdated', (e) => {
      if (!e.changed.some((f) => ROUTING_FIELDS.has(f)) || !this.#byTicket.has(key(e.tenantId, e.ticketId))) return;
      void this.#serial(e.tenantId, e.ticketId, () => this.#review(e.tenantId, e.ticketId, e.actorId === null ? 'system' : 'agent'))
        .catch((err: unknown) => this.#d.log.error({ err, ticketId: e.ticketId }, 'a routed ticket\'s change could not be applied to its work item'));
    })];
  }

  #iso(): string {
    return new Date(this.#d.clock.now()).toISOString();
  }

  #remember(tenantId: string, contactId: string, ticketId: string): WorkItem {
    const known = this.#byContact.get(key(tenantId, contactId));
    if (known) return known;
    const item: WorkItem = { tenantId, contactId, ticketId, agentId: null };
    this.#byContact.set(key(tenantId, contactId), item);
    this.#byTicket.set(key(tenantId, ticketId), item);
    return item;
  }

  #forget(item: WorkItem): void {
    this.#byContact.delete(key(item.tenantId, item.contactId));
    if (this.#byTicket.get(key(item.tenantId, item.ticketId)) === item) this.#byTicket.delete(key(item.tenantId, item.ticketId));
  }

  #serial<T>(tenantId: string, ticketId: string, work: () => Promise<T>): Promise<T> {
    const k = key(tenantId, ticketId);
    const run = (this.#chains.get(k) ?? Promise.resolve()).then(work);
    const tail = run.catch(() => undefined);
    this.#chains.set(k, tail);
    void tail.then(() => { if (this.#chains.get(k) === tail) this.#chains.delete(k); });
    return run;
  }

  #ended(item: WorkItem, endedBy: ContactEvents['ContactEnded']['endedBy'], reason: string): void {
    this.#d.bus.publish('ContactEnded', { tenantId: item.tenantId, contactId: item.contactId, endedBy, reason, at: this.#iso() });
  }

  // ---- TicketRouter: a new ticket is queued; nobody is assigned until an agent accepts --------------

  async route(tenantId: string, ticket: Ticket, queueId: string): Promise<undefined> {
    await this.#d.routing.queue(tenantId, queueId);
    const contactId = newId();
    this.#remember(tenantId, contactId, ticket.id);
    this.#d.bus.publish('ContactArrived', {
      tenantId, contactId, channel: TASK_CHANNEL, direction: 'inbound', from: ticket.customerId, to: queueId, reference: { kind: 'ticket', id: ticket.id }, at: this.#iso(),
    });
    await this.#d.routing.enqueue(tenantId, {
      id: contactId, queueId, channel: TASK_CHANNEL, priority: TASK_PRIORITY[ticket.priority], requirements: [], kind: 'contact', data: { ticketId: ticket.id },
    });
    return undefined;
  }

  // ---- ChannelAdapter: the desktop learns of an offer from OfferCreated; there is nothing to ring ----

  offer(o: Parameters<ChannelAdapter['offer']>[0]): void {
    const ticketId = o.data['ticketId'];
    if (typeof ticketId !== 'string') {
      this.#d.log.error({ contactId: o.contactId }, 'a task offer without a ticket');
      return;
    }
    this.#remember(o.tenantId, o.contactId, ticketId);
    // A ticket taken another way while it waited (or while the server was down) is withdrawn now.
    void this.#serial(o.tenantId, ticketId, () => this.#review(o.tenantId, ticketId, 'system'))
      .catch((err: unknown) => this.#d.log.error({ err, ticketId }, 'an offered ticket could not be checked'));
  }

  withdraw(): void {}

  overflow(tenantId: string, contactId: string, target: 'voicemail' | 'callback' | 'hangup'): void {
    const item = this.#byContact.get(key(tenantId, contactId)) ?? { tenantId, contactId, ticketId: '', agentId: null };
    this.#forget(item);
    this.#d.log.info({ tenantId, contactId, ticketId: item.ticketId || undefined, target }, 'a queued ticket waited its queue\'s longest wait; it stays unassigned');
    this.#ended(item, 'system', `overflow:${target}`);
  }

  /** A queued ticket survives a restart, in its place. */
  alive(): boolean {
    return true;
  }

  /** After a restart: a ticket its agent had accepted is still theirs; one resolved or reassigned meanwhile releases them now. */
  restored(o: Parameters<NonNullable<ChannelAdapter['restored']>>[0]): void {
    const ticketId = o.data['ticketId'];
    if (typeof ticketId !== 'string') {
      // Nothing could ever end it: free the agent's unit now rather than hold it forever.
      this.#d.log.error({ contactId: o.contactId }, 'a restored task names no ticket: its agent is released');
      void this.#release({ tenantId: o.tenantId, contactId: o.contactId, ticketId: '', agentId: o.agentId }, TASK_END_REASONS.NoTicket, 'system')
        .catch((err: unknown) => this.#d.log.error({ err, contactId: o.contactId }, 'a restored task without a ticket could not be released'));
      return;
    }
    this.#remember(o.tenantId, o.contactId, ticketId).agentId = o.agentId;
    void this.#serial(o.tenantId, ticketId, () => this.#review(o.tenantId, ticketId, 'system'))
      .catch((err: unknown) => this.#d.log.error({ err, ticketId }, 'a restored task\'s ticket could not be checked'));
  }

  /** The ticket behind a work item this channel knows (queued, offered or held), if any. */
  ticketOf(tenantId: string, contactId: string): string | undefined {
    return this.#byContact.get(key(tenantId, contactId))?.ticketId;
  }

  // ---- The agent accepts on the desktop ------------------------------------------------------------

  /**
   * The agent takes a task offered to them: the ticket is assigned to them. SB_NOT_FOUND for an offer
   * that is not theirs (or no longer open); SB_TASKS_OFFER_NOT_TASK (409) for a call's offer, which is
   * answered on the phone.
   */
  async accept(tenantId: string, agentId: string, offerId: string): Promise<{ contactId: string; ticketId: string }> {
    const offer = this.#d.routing.offer(tenantId, offerId);
    if (!offer || offer.agentId !== agentId) throw notFound('offer');
    if (offer.channel !== TASK_CHANNEL) throw new DomainError('SB_TASKS_OFFER_NOT_TASK', 409, 'this offer is a call: it is answered on the phone', { channel: offer.channel });
    const item = this.#byContact.get(key(tenantId, offer.contactId));
    if (!item) throw notFound('offer');
    return this.#serial(tenantId, item.ticketId, async () => {
      if (this.#d.routing.offer(tenantId, offerId)?.agentId !== agentId) throw notFound('offer');
      const ticket = await this.#d.tickets().get(tenantId, item.ticketId);
      const taken = waitingEnds(ticket);
      if (taken) {
        await this.#leaveQueue(item, taken, 'system');
        throw notFound('offer');
      }
      await this.#d.routing.offerAccepted(tenantId, offerId);
      item.agentId = agentId;
      try {
        await this.#d.tickets().update(tenantId, item.ticketId, { assigneeUserId: agentId }, ROUTER);
      } catch (err) {
        await this.#release(item, TASK_END_REASONS.AssignmentFailed, 'system');
        throw err;
      }
      return { contactId: item.contactId, ticketId: item.ticketId };
    });
  }

  /** The ticket behind a task as the desktop shows it; undefined when it cannot be read. */
  async task(tenantId: string, ticketId: string): Promise<TaskTicket | undefined> {
    const tickets = this.#d.tickets();
    const t = await tickets.get(tenantId, ticketId).catch(() => undefined);
    if (!t) return undefined;
    const type = await tickets.type(tenantId, t.typeId).catch(() => undefined);
    const customerName = t.customerId && this.#d.customerName ? await this.#d.customerName(tenantId, t.customerId).catch(() => null) : null;
    return {
      id: t.id, number: t.number, subject: t.subject, priority: t.priority, status: t.status, statusName: (type && statusOf(type.workflow, t.status)?.name) ?? t.status,
      statusCategory: t.statusCategory, customerId: t.customerId, customerName, resolveThrough: type ? pathTo(type.workflow, t.status, StatusCategory.Resolved) : null,
    };
  }

  // ---- The ticket changed: does its work item end? ------------------------------------------------

  async #review(tenantId: string, ticketId: string, endedBy: 'agent' | 'system'): Promise<void> {
    const item = this.#byTicket.get(key(tenantId, ticketId));
    if (!item) return;
    const ticket = await this.#d.tickets().get(tenantId, ticketId);
    if (item.agentId === null) {
      const why = waitingEnds(ticket);
      if (why) await this.#leaveQueue(item, why, endedBy);
      return;
    }
    const why = heldEnds(ticket, item.agentId);
    if (why) await this.#release(item, why, endedBy);
  }

  /** A ticket taken another way leaves its queue (an offer of it is withdrawn). */
  async #leaveQueue(item: WorkItem, reason: string, endedBy: 'agent' | 'system'): Promise<void> {
    this.#forget(item);
    await this.#d.routing.abandon(item.tenantId, item.contactId);
    this.#ended(item, endedBy, reason);
  }

  /** The agent's unit of task capacity is free again. */
  async #release(item: WorkItem, reason: string, endedBy: 'agent' | 'system'): Promise<void> {
    this.#forget(item);
    await this.#d.routing.agentReleased(item.tenantId, item.contactId, item.agentId!);
    this.#ended(item, endedBy, reason);
  }

  /** Resolves when every change received so far has been applied (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#chains.size > 0) await Promise.all([...this.#chains.values()]);
  }

  stop(): void {
    for (const off of this.#offs) off();
  }
}
