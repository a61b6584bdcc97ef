// Tickets: complaints, inquiries and work orders tracked to their end. Each type has its workflow,
// categories and custom fields; SLA clocks count business time of a tenant calendar, pause while the
// ticket waits on the customer, warn before and escalate on a breach (SlaScheduler wakes them). Every
// change is written to the ticket's history in the same transaction; events go out after the commit.
import { createHash } from 'node:crypto';
import type { AuditRecord } from '../audit/index.ts';
import type { BusinessCalendar } from '../calendar/index.ts';
import type { TimelineSource } from '../crm/index.ts';
import { DomainError, newId, notFound, runOnce, type Clock, type EventPublisher, type IdempotentResult, type Logger } from '../kernel/index.ts';
import type { SqlDatabase } from '../storage/index.ts';
import { checkUpload, DEFAULT_ATTACHMENT_LIMITS, safeName, type AttachmentLimits } from './attachment-check.ts';
import { AttachmentFiles } from './attachment-files.ts';
import { aroundTheClock, businessTimeOf, catchUp, nextDue, onCategory, onFirstResponse, snapshot, stateOf, type BusinessTime, type Crossing, type SlaClock } from './sla.ts';
import { SlaScheduler } from './sla-scheduler.ts';
import { DEFAULT_TICKET_TYPES } from './ticket-defaults.ts';
import type { TicketEvents } from './ticket-events.ts';
import { applyFieldValues, checkFieldDefinitions } from './ticket-fields.ts';
import {
  AuthorKind, PRIORITIES, Priority, Visibility, type Attachment, type ClockView, type Comment, type Escalation, type HistoryEntry, type NewComment,
  type NewTicket, type SlaBreach, type SlaPolicy, type SlaPolicyInput, type Ticket, type TicketActor, type TicketChanges, type TicketRouter, type TicketType,
  type TicketTypeInput,
} from './ticket-model.ts';
import {
  dueTickets, isUniqueViolation, nextDueAt, TicketStore, TicketTimelineSource, type BreachFilter, type HistoryItem, type TicketFilter, type TicketRecord,
} from './ticket-store.sql.ts';
import { checkTransition, checkWorkflow, StatusCategory, statusOf } from './workflow.ts';

/** What the service asks of other domains about the ids a ticket names (all tenant-scoped). */
export interface TicketReferences {
  hasUser(tenantId: string, userId: string): Promise<boolean>;
  hasTeam(tenantId: string, teamId: string): Promise<boolean>;
  hasCustomer(tenantId: string, customerId: string): Promise<boolean>;
  hasInteraction(tenantId: string, interactionId: string): Promise<boolean>;
  hasQueue(tenantId: string, queueId: string): Promise<boolean>;
}

export interface TicketsDeps {
  db: SqlDatabase;
  clock: Clock;
  bus: EventPublisher<TicketEvents>;
  audit: { append(rec: AuditRecord): Promise<void> };
  log: Logger;
  /** The tenant's business calendars (Calendars fits); throws SB_NOT_FOUND for an unknown id. */
  calendars: { get(tenantId: string, id: string): Promise<BusinessCalendar> };
  references: TicketReferences;
  /** Directory of the attachment files (`<dataDir>/attachments`). */
  attachmentsDir: string;
  attachmentLimits?: AttachmentLimits | undefined;
  /** Assigns new unassigned tickets of the types that name a queue; none by default. */
  router?: TicketRouter | undefined;
}

export interface TicketQuery extends Omit<TicketFilter, 'typeId'> {
  /** A type's id or key. */
  type?: string | undefined;
  /** 1 to 200, default 50. */
  limit?: number | undefined;
  /** `nextCursor` of the previous page. */
  cursor?: string | undefined;
}

/** Newest first (by number): a stable order, so pages never skip or repeat a ticket. */
export interface TicketPage {
  items: Ticket[];
  nextCursor: string | null;
}

export interface BreachQuery extends Omit<BreachFilter, 'ticketId'> {
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface BreachPage {
  items: SlaBreach[];
  nextCursor: string | null;
}

export const MAX_PAGE = 200;
const DEFAULT_PAGE = 50;
const MAX_SUBJECT = 300;
const MAX_DESCRIPTION = 20_000;
const MAX_COMMENT = 20_000;
const MAX_CATEGORY = 100;
const MAX_CATEGORIES = 100;
const MAX_TARGET_MINUTES = 366 * 24 * 60;
/** A change that keeps meeting a concurrent one (from another node) is given up after this many tries. */
const MAX_ATTEMPTS = 8;
const DUE_BATCH = 100;

const SYSTEM: TicketActor = { userId: null, name: 'system', ip: null };
const SLA_ACTOR = { id: null, name: 'SLA' };
const ROUTER_ACTOR: TicketActor = { userId: null, name: 'router', ip: null };

const invalid = (field: string, message: string) => new DomainError('SB_VALIDATION', 400, `${field} ${message}`, { field });
const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function text(value: string, field: string, max: number, allowEmpty: boolean): string {
  const s = value.normalize('NFC').trim();
  if (!s && !allowEmpty) throw invalid(field, 'must not be empty');
  if (s.length > max) throw invalid(field, `must be at most ${max} characters`);
  return s;
}

function encodeCursor(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

function decodeCursor<T>(cursor: string | undefined, ok: (v: unknown) => v is T): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (ok(v)) return v;
  } catch { /* falls through to the error below */ }
  throw invalid('cursor', 'is not a cursor from a previous page');
}

const pageSize = (limit: number | undefined) => Math.min(Math.max(Math.trunc(limit ?? DEFAULT_PAGE), 1), MAX_PAGE);

function clockView(c: SlaClock | null): ClockView | null {
  if (!c) return null;
  return {
    targetMinutes: c.targetMs / 60_000, state: stateOf(c), dueAt: isoOrNull(c.breachedAt ?? c.dueAt), warnAt: isoOrNull(c.warnAt), warnedAt: isoOrNull(c.warnedAt),
    breachedAt: isoOrNull(c.breachedAt), metAt: isoOrNull(c.metAt), elapsedMs: c.elapsedMs,
  };
}

function toTicket(r: TicketRecord, watcherIds: string[]): Ticket {
  return {
    id: r.id, number: r.number, typeId: r.typeId, subject: r.subject, description: r.description, status: r.status, statusCategory: r.statusCategory,
    priority: r.priority, category: r.category, fields: r.fields, customerId: r.customerId, interactionIds: r.interactionIds,
    assigneeUserId: r.assigneeUserId, assigneeTeamId: r.assigneeTeamId, watcherIds, createdBy: { id: r.createdById, name: r.createdByName },
    createdAt: r.createdAt, updatedAt: r.updatedAt, firstRespondedAt: r.firstRespondedAt, resolvedAt: r.resolvedAt, closedAt: r.closedAt, breached: r.breached,
    sla: r.sla && {
      calendarId: r.sla.calendarId, warnAtPercent: r.sla.warnAtPercent, firstResponse: clockView(r.sla.firstResponse), resolution: clockView(r.sla.resolution),
    },
  };
}

type Emit = { [K in keyof TicketEvents]: { name: K; payload: TicketEvents[K] } }[keyof TicketEvents];

/** What one change of a ticket does; `next` is written over the row if nobody changed it meanwhile. */
interface Mutation {
  next: TicketRecord;
  history: HistoryItem[];
  /** Names for TicketUpdated (empty: no TicketUpdated). */
  changed: string[];
  /** The business time of `next.sla` when the change moved the ticket to another policy's calendar. */
  time?: BusinessTime;
  writes?: (tx: TicketStore) => Promise<void>;
  events?: Emit[];
}

interface MutationContext {
  rec: TicketRecord;
  type: TicketType;
  time: BusinessTime;
  now: number;
  store: TicketStore;
}

/** Warnings, breaches and escalations that fell due by a change or a scheduler run. */
interface SlaOutcome {
  rec: TicketRecord;
  history: HistoryItem[];
  changed: string[];
  breaches: SlaBreach[];
  events: Emit[];
}

export class Tickets {
  readonly #db: SqlDatabase;
  readonly #clock: Clock;
  readonly #bus: EventPublisher<TicketEvents>;
  readonly #audit: TicketsDeps['audit'];
  readonly #log: Logger;
  readonly #calendars: TicketsDeps['calendars'];
  readonly #refs: TicketReferences;
  readonly #files: AttachmentFiles;
  readonly #limits: AttachmentLimits;
  readonly #router: TicketRouter | undefined;
  readonly #scheduler: SlaScheduler;
  readonly #seeded = new Set<string>();
  /** The tail of each ticket's queue of changes in this process. */
  readonly #queues = new Map<string, Promise<unknown>>();
  /** The crm timeline source for tickets: register it with `Customers.addTimelineSource`. */
  readonly timelineSource: TimelineSource;

  constructor(deps: TicketsDeps) {
    this.#db = deps.db;
    this.#clock = deps.clock;
    this.#bus = deps.bus;
    this.#audit = deps.audit;
    this.#log = deps.log;
    this.#calendars = deps.calendars;
    this.#refs = deps.references;
    this.#files = new AttachmentFiles(deps.attachmentsDir);
    this.#limits = deps.attachmentLimits ?? DEFAULT_ATTACHMENT_LIMITS;
    this.#router = deps.router;
    this.timelineSource = new TicketTimelineSource(deps.db);
    this.#scheduler = new SlaScheduler({ clock: deps.clock, log: deps.log, nextDue: () => nextDueAt(this.#db), process: (now) => this.#processDue(now) });
  }

  get attachmentLimits(): AttachmentLimits {
    return this.#limits;
  }

  /** Starts the SLA scheduler from the due instants stored (what fell due while stopped is handled at once). */
  start(): Promise<void> {
    return this.#scheduler.start();
  }

  /** Stops the scheduler and waits for a run in progress. */
  async stop(): Promise<void> {
    this.#scheduler.stop();
    await this.#scheduler.settled();
  }

  /** Erasure of a customer (CustomerErased): their tickets keep their facts, lose their personal data and attachment files. */
  async eraseCustomer(tenantId: string, customerId: string): Promise<void> {
    const files = await this.#store(tenantId).eraseCustomer(customerId, iso(this.#clock.now()));
    for (const f of files) await this.#files.remove(tenantId, f.ticketId, f.attachmentId);
  }

  /** Resolves when the scheduler has nothing running or queued (tests advance a clock, then wait for this). */
  settled(): Promise<void> {
    return this.#scheduler.settled();
  }

  #store(tenantId: string): TicketStore {
    return TicketStore.of(this.#db, tenantId);
  }

  /** The first use of tickets in a workspace gives it the default types. */
  async #ready(tenantId: string): Promise<TicketStore> {
    const store = this.#store(tenantId);
    if (this.#seeded.has(tenantId) || await store.isSeeded()) {
      this.#seeded.add(tenantId);
      return store;
    }
    const now = iso(this.#clock.now());
    try {
      await store.transaction(async (tx) => {
        await tx.markSeeded(now);
        for (const input of DEFAULT_TICKET_TYPES) await tx.insertType({ id: newId(), ...checkType(input), createdAt: now, updatedAt: now });
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    this.#seeded.add(tenantId);
    return store;
  }

  async #time(tenantId: string, calendarId: string | null): Promise<BusinessTime> {
    if (calendarId === null) return aroundTheClock;
    try {
      return businessTimeOf(await this.#calendars.get(tenantId, calendarId));
    } catch (err) {
      if (!(err instanceof DomainError) || err.status !== 404) throw err;
      this.#log.warn({ tenantId, calendarId }, 'SLA calendar is gone; counting around the clock');
      return aroundTheClock;
    }
  }

  // ---- types, workflows, SLA policies

  async types(tenantId: string): Promise<TicketType[]> {
    return (await this.#ready(tenantId)).types();
  }

  async type(tenantId: string, id: string): Promise<TicketType> {
    const t = await (await this.#ready(tenantId)).type(id);
    if (!t) throw notFound('ticket type');
    return t;
  }

  /** Throws SB_VALIDATION naming the field, or SB_TICKETS_TYPE_EXISTS for a key the workspace has. */
  async createType(tenantId: string, input: TicketTypeInput, actor?: TicketActor): Promise<TicketType> {
    const store = await this.#ready(tenantId);
    const checked = checkType(input);
    await this.#checkQueue(tenantId, checked.queueId);
    if (await store.typeByKey(checked.key)) throw typeExists(checked.key);
    const now = iso(this.#clock.now());
    const type: TicketType = { id: newId(), ...checked, createdAt: now, updatedAt: now };
    try {
      await store.insertType(type);
    } catch (err) {
      if (isUniqueViolation(err)) throw typeExists(checked.key);
      throw err;
    }
    await this.#record(tenantId, actor, 'ticket_type.created', type.id, { key: type.key });
    return type;
  }

  /**
   * Replaces a type's name, key, workflow, categories and fields. A status that tickets are in must stay,
   * in the same category (SB_TICKETS_STATUS_IN_USE); stored field values are checked when next written.
   */
  async updateType(tenantId: string, id: string, input: TicketTypeInput, actor?: TicketActor): Promise<TicketType> {
    const store = await this.#ready(tenantId);
    const current = await this.type(tenantId, id);
    const checked = checkType(input);
    await this.#checkQueue(tenantId, checked.queueId);
    const holder = await store.typeByKey(checked.key);
    if (holder && holder.id !== id) throw typeExists(checked.key);
    const inUse = await store.statusesInUse(id);
    const broken = [...inUse.keys()].filter((key) => statusOf(checked.workflow, key)?.category !== statusOf(current.workflow, key)?.category);
    if (broken.length > 0) {
      throw new DomainError('SB_TICKETS_STATUS_IN_USE', 409, `tickets are in ${broken.join(', ')}: keep those statuses, in the same category`, { statuses: broken });
    }
    const type: TicketType = { ...current, ...checked, updatedAt: iso(this.#clock.now()) };
    try {
      if (!await store.replaceType(type)) throw notFound('ticket type');
    } catch (err) {
      if (isUniqueViolation(err)) throw typeExists(checked.key);
      throw err;
    }
    await this.#record(tenantId, actor, 'ticket_type.updated', id, { key: type.key });
    return type;
  }

  async #checkQueue(tenantId: string, queueId: string | null): Promise<void> {
    if (queueId !== null && !await this.#refs.hasQueue(tenantId, queueId)) throw invalid('queueId', 'is not a queue of this workspace');
  }

  /** A type that tickets use cannot be deleted (SB_TICKETS_TYPE_IN_USE). */
  async deleteType(tenantId: string, id: string, actor?: TicketActor): Promise<void> {
    const store = await this.#ready(tenantId);
    const current = await this.type(tenantId, id);
    const inUse = [...(await store.statusesInUse(id)).values()].reduce((a, b) => a + b, 0);
    if (inUse > 0) throw new DomainError('SB_TICKETS_TYPE_IN_USE', 409, `${inUse} tickets are of type ${current.key}`, { tickets: inUse });
    await store.transaction(async (tx) => { if (!await tx.deleteType(id)) throw notFound('ticket type'); });
    await this.#record(tenantId, actor, 'ticket_type.deleted', id, { key: current.key });
  }

  async policies(tenantId: string, typeId: string): Promise<SlaPolicy[]> {
    await this.type(tenantId, typeId);
    const list = await this.#store(tenantId).policies(typeId);
    return list.sort((a, b) => PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority));
  }

  /**
   * Replaces the SLA policies of a type (one per priority). New tickets, and tickets whose priority
   * changes, take them; other tickets keep the targets they were started under.
   */
  async setPolicies(tenantId: string, typeId: string, items: readonly SlaPolicyInput[], actor?: TicketActor): Promise<SlaPolicy[]> {
    await this.type(tenantId, typeId);
    const now = iso(this.#clock.now());
    const seen = new Set<string>();
    const list: SlaPolicy[] = [];
    for (const [i, p] of items.entries()) {
      const at = `items.${i}`;
      if (!PRIORITIES.includes(p.priority)) throw invalid(`${at}.priority`, `must be one of ${PRIORITIES.join(', ')}`);
      if (seen.has(p.priority)) throw invalid(`${at}.priority`, `${p.priority} has a policy already`);
      seen.add(p.priority);
      for (const key of ['firstResponseMinutes', 'resolutionMinutes'] as const) {
        const v = p[key];
        if (v !== null && (!Number.isInteger(v) || v < 1 || v > MAX_TARGET_MINUTES)) throw invalid(`${at}.${key}`, `must be a whole number of minutes from 1 to ${MAX_TARGET_MINUTES}`);
      }
      if (p.warnAtPercent !== null && (!Number.isInteger(p.warnAtPercent) || p.warnAtPercent < 1 || p.warnAtPercent > 99)) throw invalid(`${at}.warnAtPercent`, 'must be a whole percentage from 1 to 99');
      if (p.calendarId !== null) {
        try {
          await this.#calendars.get(tenantId, p.calendarId);
        } catch (err) {
          if (err instanceof DomainError && err.status === 404) throw invalid(`${at}.calendarId`, 'is not a calendar of this workspace');
          throw err;
        }
      }
      const escalation: Escalation = {
        assigneeUserId: p.escalation?.assigneeUserId ?? null, assigneeTeamId: p.escalation?.assigneeTeamId ?? null, notifySupervisors: p.escalation?.notifySupervisors ?? false,
      };
      if (escalation.assigneeUserId !== null && !await this.#refs.hasUser(tenantId, escalation.assigneeUserId)) throw invalid(`${at}.escalation.assigneeUserId`, 'is not a user of this workspace');
      if (escalation.assigneeTeamId !== null && !await this.#refs.hasTeam(tenantId, escalation.assigneeTeamId)) throw invalid(`${at}.escalation.assigneeTeamId`, 'is not a team of this workspace');
      list.push({
        typeId, priority: p.priority, calendarId: p.calendarId, firstResponseMinutes: p.firstResponseMinutes, resolutionMinutes: p.resolutionMinutes,
        warnAtPercent: p.warnAtPercent, escalation, updatedAt: now,
      });
    }
    await this.#store(tenantId).transaction((tx) => tx.replacePolicies(typeId, list));
    await this.#record(tenantId, actor, 'ticket_sla.changed', typeId, { priorities: list.map((p) => p.priority) }, 'ticket_type');
    return this.policies(tenantId, typeId);
  }

  // ---- reading tickets

  async get(tenantId: string, id: string): Promise<Ticket> {
    const store = this.#store(tenantId);
    const rec = await store.ticket(id);
    if (!rec) throw notFound('ticket');
    return toTicket(rec, (await store.watchers([id])).get(id) ?? []);
  }

  async list(tenantId: string, q: TicketQuery = {}): Promise<TicketPage> {
    const limit = pageSize(q.limit);
    const store = await this.#ready(tenantId);
    const before = decodeCursor(q.cursor, (v): v is number => Number.isInteger(v));
    let typeId: string | undefined;
    if (q.type !== undefined) {
      typeId = ((await store.type(q.type)) ?? (await store.typeByKey(q.type)))?.id;
      if (typeId === undefined) return { items: [], nextCursor: null };
    }
    const { type: _type, limit: _limit, cursor: _cursor, ...filter } = q;
    const rows = await store.list({ ...filter, typeId }, limit + 1, before);
    const page = rows.slice(0, limit);
    const watchers = await store.watchers(page.map((r) => r.id));
    const last = page.at(-1);
    return { items: page.map((r) => toTicket(r, watchers.get(r.id) ?? [])), nextCursor: rows.length > limit && last ? encodeCursor(last.number) : null };
  }

  async history(tenantId: string, id: string): Promise<HistoryEntry[]> {
    const store = this.#store(tenantId);
    if (!await store.ticket(id)) throw notFound('ticket');
    return store.history(id);
  }

  async comments(tenantId: string, id: string): Promise<Comment[]> {
    const store = this.#store(tenantId);
    if (!await store.ticket(id)) throw notFound('ticket');
    return store.comments(id);
  }

  async attachments(tenantId: string, id: string): Promise<Attachment[]> {
    const store = this.#store(tenantId);
    if (!await store.ticket(id)) throw notFound('ticket');
    return store.attachments(id);
  }

  /** The attachment and its bytes. */
  async download(tenantId: string, id: string, attachmentId: string): Promise<{ attachment: Attachment; bytes: Buffer }> {
    const store = this.#store(tenantId);
    if (!await store.ticket(id)) throw notFound('ticket');
    const attachment = await store.attachment(id, attachmentId);
    if (!attachment) throw notFound('attachment');
    return { attachment, bytes: await this.#files.read(tenantId, id, attachmentId) };
  }

  /** Missed SLA targets by due time, oldest first, for reports. */
  async breaches(tenantId: string, q: BreachQuery = {}): Promise<BreachPage> {
    const limit = pageSize(q.limit);
    const after = decodeCursor(q.cursor, (v): v is { dueAt: string; id: string } =>
      typeof v === 'object' && v !== null && typeof (v as { dueAt?: unknown }).dueAt === 'string' && typeof (v as { id?: unknown }).id === 'string');
    const rows = await this.#store(tenantId).breaches({ from: q.from, to: q.to, metric: q.metric }, limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page, nextCursor: rows.length > limit && last ? encodeCursor({ dueAt: last.dueAt, id: last.id }) : null };
  }

  // ---- creating and changing tickets

  async #checkRefs(tenantId: string, c: Pick<TicketChanges, 'customerId' | 'interactionIds' | 'assigneeUserId' | 'assigneeTeamId'> & { watcherIds?: string[] | undefined }): Promise<void> {
    if (c.customerId && !await this.#refs.hasCustomer(tenantId, c.customerId)) throw invalid('customerId', 'is not a customer of this workspace');
    for (const [i, id] of (c.interactionIds ?? []).entries()) {
      if (!await this.#refs.hasInteraction(tenantId, id)) throw invalid(`interactionIds.${i}`, 'is not an interaction of this workspace');
    }
    if (c.assigneeUserId && !await this.#refs.hasUser(tenantId, c.assigneeUserId)) throw invalid('assigneeUserId', 'is not a user of this workspace');
    if (c.assigneeTeamId && !await this.#refs.hasTeam(tenantId, c.assigneeTeamId)) throw invalid('assigneeTeamId', 'is not a team of this workspace');
    for (const [i, id] of (c.watcherIds ?? []).entries()) {
      if (!await this.#refs.hasUser(tenantId, id)) throw invalid(`watcherIds.${i}`, 'is not a user of this workspace');
    }
  }

  async create(tenantId: string, input: NewTicket, actor: TicketActor = SYSTEM): Promise<Ticket> {
    const store = await this.#ready(tenantId);
    const type = input.type === undefined ? (await store.types())[0] : (await store.type(input.type)) ?? (await store.typeByKey(input.type));
    if (!type) throw invalid('type', input.type === undefined ? 'is needed: the workspace has no ticket types' : `'${input.type}' is not a ticket type of this workspace`);
    const priority = input.priority ?? Priority.Normal;
    const interactionIds = [...new Set(input.interactionIds ?? [])];
    const watcherIds = [...new Set(input.watcherIds ?? [])];
    const subject = text(input.subject, 'subject', MAX_SUBJECT, false);
    const description = text(input.description ?? '', 'description', MAX_DESCRIPTION, true);
    const category = checkCategory(type, input.category ?? null);
    const fields = applyFieldValues(type.fields, {}, input.fields ?? {}, true);
    await this.#checkRefs(tenantId, { ...input, interactionIds, watcherIds });
    const policy = await store.policy(type.id, priority);
    const time = await this.#time(tenantId, policy?.calendarId ?? null);
    const now = this.#clock.now();
    const initial = statusOf(type.workflow, type.workflow.initial)!;
    const sla = snapshot(policy, now, initial.category, null, null, time);
    const at = iso(now);
    const id = newId();
    const rec: TicketRecord = {
      id, number: 0, typeId: type.id, subject, description, status: initial.key, statusCategory: initial.category, priority, category, fields,
      customerId: input.customerId ?? null, interactionIds, assigneeUserId: input.assigneeUserId ?? null, assigneeTeamId: input.assigneeTeamId ?? null,
      createdById: actor.userId, createdByName: actor.name, createdAt: at, updatedAt: at, firstRespondedAt: null,
      resolvedAt: initial.category === StatusCategory.Resolved ? at : null, closedAt: initial.category === StatusCategory.Closed ? at : null,
      sla: sla && catchUp(sla, time, now).state, breached: false, version: 1,
    };
    const due = nextDue(rec.sla);
    rec.number = await store.transaction(async (tx) => {
      const number = await tx.takeNumber();
      await tx.insertTicket({ ...rec, number }, due);
      await tx.addWatchers(id, watcherIds, at);
      await tx.appendHistory(id, at, { id: actor.userId, name: actor.name }, [{
        field: 'created', from: null, to: { number, typeId: type.id, status: rec.status, priority, subject },
      }], newId);
      return number;
    });
    this.#bus.publish('TicketCreated', { tenantId, ticketId: id, number: rec.number, typeId: type.id, priority, customerId: rec.customerId, at });
    this.#scheduler.notify(due);
    if (this.#router && type.queueId !== null && rec.assigneeUserId === null && rec.assigneeTeamId === null) await this.#route(tenantId, toTicket(rec, watcherIds), type.queueId);
    return this.get(tenantId, id);
  }

  async #route(tenantId: string, ticket: Ticket, queueId: string): Promise<void> {
    try {
      const a = await this.#router!.route(tenantId, ticket, queueId);
      if (a) await this.update(tenantId, ticket.id, { assigneeUserId: a.assigneeUserId, assigneeTeamId: a.assigneeTeamId }, ROUTER_ACTOR);
    } catch (err) {
      this.#log.error({ err, tenantId, ticketId: ticket.id }, 'ticket routing failed; the ticket stays unassigned');
    }
  }

  /**
   * `create` under an Idempotency-Key (draft-ietf-httpapi-idempotency-key-header, through the kernel's
   * runOnce): the same key and body within 24 h answer the first answer again; another body is a 422
   * (SB_TICKETS_IDEMPOTENCY_MISMATCH), a request still running a 409.
   */
  async createOnce(tenantId: string, key: string, input: NewTicket, actor: TicketActor = SYSTEM): Promise<IdempotentResult<Ticket>> {
    const store = await this.#ready(tenantId);
    return runOnce(store.idempotencyKeys(), { key, body: input, now: this.#clock.now(), codePrefix: 'SB_TICKETS' }, async () => {
      const ticket = await this.create(tenantId, input, actor);
      return { status: 201, value: ticket, id: ticket.id };
    });
  }

  /**
   * Changes fields, moves the status along the workflow (SB_TICKETS_TRANSITION_FORBIDDEN with
   * `details.allowed` otherwise), reassigns. A priority change puts the SLA clocks under that
   * priority's policy, keeping the time they counted.
   */
  async update(tenantId: string, id: string, changes: TicketChanges, actor: TicketActor = SYSTEM): Promise<Ticket> {
    const interactionIds = changes.interactionIds === undefined ? undefined : [...new Set(changes.interactionIds)];
    await this.#checkRefs(tenantId, { ...changes, interactionIds });
    await this.#mutate(tenantId, id, actor, async ({ rec, type, time, now, store }) => {
      const next: TicketRecord = { ...rec };
      const history: HistoryItem[] = [];
      const set = <K extends keyof TicketRecord>(field: K, value: TicketRecord[K]) => {
        if (same(next[field], value)) return;
        history.push({ field, from: next[field], to: value });
        next[field] = value;
      };
      if (changes.subject !== undefined) set('subject', text(changes.subject, 'subject', MAX_SUBJECT, false));
      if (changes.description !== undefined) set('description', text(changes.description, 'description', MAX_DESCRIPTION, true));
      if (changes.category !== undefined) set('category', checkCategory(type, changes.category));
      if (changes.fields !== undefined) {
        const fields = applyFieldValues(type.fields, rec.fields, changes.fields, false);
        for (const key of new Set([...Object.keys(rec.fields), ...Object.keys(fields)])) {
          if (rec.fields[key] !== fields[key]) history.push({ field: `fields.${key}`, from: rec.fields[key] ?? null, to: fields[key] ?? null });
        }
        next.fields = fields;
      }
      if (changes.customerId !== undefined) set('customerId', changes.customerId);
      if (interactionIds !== undefined) set('interactionIds', interactionIds);
      if (changes.assigneeUserId !== undefined) set('assigneeUserId', changes.assigneeUserId);
      if (changes.assigneeTeamId !== undefined) set('assigneeTeamId', changes.assigneeTeamId);
      let slaTime = time;
      if (changes.priority !== undefined && changes.priority !== rec.priority) {
        set('priority', changes.priority);
        const policy = await store.policy(type.id, changes.priority);
        slaTime = await this.#time(tenantId, policy?.calendarId ?? null);
        const responded = rec.firstRespondedAt === null ? null : Date.parse(rec.firstRespondedAt);
        next.sla = snapshot(policy, now, rec.statusCategory, responded, rec.sla, time);
      }
      if (changes.status !== undefined && changes.status !== rec.status) {
        const target = checkTransition(type.workflow, rec.status, changes.status);
        set('status', target.key);
        next.statusCategory = target.category;
        if (next.sla) next.sla = onCategory(next.sla, slaTime, rec.statusCategory, target.category, now);
        if (target.category === StatusCategory.Resolved) next.resolvedAt = iso(now);
        else if (target.category !== StatusCategory.Closed) next.resolvedAt = null;
        next.closedAt = target.category === StatusCategory.Closed ? iso(now) : null;
      }
      return { next, history, changed: history.map((h) => h.field), time: slaTime };
    });
    return this.get(tenantId, id);
  }

  /**
   * Adds a comment. A public comment by an agent is the first response when none came before (it stops
   * the first-response clock); a customer's comment is public and relayed by the caller.
   */
  async comment(tenantId: string, id: string, input: NewComment, actor: TicketActor): Promise<Comment> {
    const body = text(input.body, 'body', MAX_COMMENT, false);
    const visibility = input.visibility ?? Visibility.Public;
    const from = input.from ?? AuthorKind.Agent;
    if (from === AuthorKind.Customer && visibility !== Visibility.Public) throw invalid('visibility', 'of a customer\'s comment is public');
    let comment: Comment | undefined;
    await this.#mutate(tenantId, id, actor, ({ rec, time, now }) => {
      const at = iso(now);
      const c: Comment = {
        id: newId(), ticketId: id, visibility, body, at,
        author: from === AuthorKind.Agent ? { kind: from, id: actor.userId, name: actor.name } : { kind: from, id: rec.customerId, name: 'customer' },
      };
      comment = c;
      const next: TicketRecord = { ...rec };
      const history: HistoryItem[] = [{ field: 'comment', from: null, to: { id: c.id, visibility, from } }];
      const changed: string[] = [];
      if (from === AuthorKind.Agent && visibility === Visibility.Public && rec.firstRespondedAt === null) {
        next.firstRespondedAt = at;
        if (next.sla) next.sla = onFirstResponse(next.sla, time, now);
        history.push({ field: 'firstRespondedAt', from: null, to: at });
        changed.push('firstRespondedAt');
      }
      return {
        next, history, changed, writes: (tx) => tx.insertComment(c),
        events: [{ name: 'TicketCommented', payload: { tenantId, ticketId: id, commentId: c.id, visibility, from, at } }],
      };
    });
    return comment!;
  }

  /**
   * Stores an upload: its type is sniffed from the bytes (SB_TICKETS_ATTACHMENT_TYPE, 415, for a type not
   * accepted; SB_TICKETS_ATTACHMENT_TOO_LARGE, 413, beyond the size limit); the name is sanitized.
   */
  async attach(tenantId: string, id: string, name: string, bytes: Uint8Array, actor: TicketActor): Promise<Attachment> {
    if (!await this.#store(tenantId).ticket(id)) throw notFound('ticket');
    const mime = await checkUpload(bytes, this.#limits);
    const attachment: Attachment = {
      id: newId(), ticketId: id, name: safeName(name), mime, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'),
      uploadedBy: { id: actor.userId, name: actor.name }, at: iso(this.#clock.now()),
    };
    await this.#files.write(tenantId, id, attachment.id, bytes);
    try {
      await this.#mutate(tenantId, id, actor, ({ rec }) => ({
        next: rec, history: [{ field: 'attachment', from: null, to: { id: attachment.id, name: attachment.name, mime, size: attachment.size } }],
        changed: ['attachments'], writes: (tx) => tx.insertAttachment(attachment),
      }));
    } catch (err) {
      await this.#files.remove(tenantId, id, attachment.id);
      throw err;
    }
    return attachment;
  }

  /** Adds a watcher (a user of the workspace; 404 otherwise). Watching twice is one watch. */
  async watch(tenantId: string, id: string, userId: string, actor: TicketActor): Promise<Ticket> {
    await this.#mutate(tenantId, id, actor, async ({ rec, store }) => {
      if (!await this.#refs.hasUser(tenantId, userId)) throw notFound('user');
      const current = (await store.watchers([id])).get(id) ?? [];
      if (current.includes(userId)) return { next: rec, history: [], changed: [] };
      return {
        next: rec, history: [{ field: 'watcherIds', from: current, to: [...current, userId] }], changed: ['watcherIds'],
        writes: (tx) => tx.addWatchers(id, [userId], iso(this.#clock.now())),
      };
    });
    return this.get(tenantId, id);
  }

  async unwatch(tenantId: string, id: string, userId: string, actor: TicketActor): Promise<Ticket> {
    await this.#mutate(tenantId, id, actor, async ({ rec, store }) => {
      const current = (await store.watchers([id])).get(id) ?? [];
      if (!current.includes(userId)) return { next: rec, history: [], changed: [] };
      return {
        next: rec, history: [{ field: 'watcherIds', from: current, to: current.filter((u) => u !== userId) }], changed: ['watcherIds'],
        writes: (tx) => tx.removeWatcher(id, userId),
      };
    });
    return this.get(tenantId, id);
  }

  // ---- the change pipeline and SLA processing

  /**
   * Applies one change: reads the ticket, marks SLA crossings due by now, lets `build` change it, plans
   * the clocks again, and writes everything in one transaction if the ticket's version is unchanged
   * (otherwise starts over). Nothing is read from other services inside the transaction.
   */
  #mutate(tenantId: string, id: string, actor: TicketActor, build: (ctx: MutationContext) => Mutation | Promise<Mutation>): Promise<TicketRecord> {
    // Changes of one ticket in this process run one after another; the version check covers other nodes.
    const key = `${tenantId}\u0000${id}`;
    const run = (this.#queues.get(key) ?? Promise.resolve()).then(() => this.#apply(tenantId, id, actor, build));
    const tail = run.catch(() => undefined);
    this.#queues.set(key, tail);
    void tail.then(() => { if (this.#queues.get(key) === tail) this.#queues.delete(key); });
    return run;
  }

  async #apply(tenantId: string, id: string, actor: TicketActor, build: (ctx: MutationContext) => Mutation | Promise<Mutation>): Promise<TicketRecord> {
    const store = this.#store(tenantId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const rec = await store.ticket(id);
      if (!rec) throw notFound('ticket');
      const type = await store.type(rec.typeId);
      if (!type) throw new Error(`ticket ${id} has no type ${rec.typeId}`);
      const time = await this.#time(tenantId, rec.sla?.calendarId ?? null);
      const now = this.#clock.now();
      const before = this.#settle(tenantId, rec, time, now);
      const m = await build({ rec: before.rec, type, time, now, store });
      const after = this.#settle(tenantId, m.next, m.time ?? time, now);
      const next = after.rec;
      const sla = { history: [...before.history, ...after.history], changed: [...before.changed, ...after.changed] };
      const changed = [...new Set([...sla.changed, ...m.changed])];
      const touched = sla.history.length > 0 || m.history.length > 0;
      const at = iso(now);
      if (touched) next.updatedAt = at;
      const due = nextDue(next.sla);
      const written = await store.transaction(async (tx) => {
        if (!await tx.updateTicket(next, rec.version, due)) return false;
        await tx.appendHistory(id, at, SLA_ACTOR, sla.history, newId);
        for (const b of [...before.breaches, ...after.breaches]) await tx.insertBreach(b);
        await tx.appendHistory(id, at, { id: actor.userId, name: actor.name }, m.history, newId);
        await m.writes?.(tx);
        return true;
      });
      if (!written) continue;
      for (const e of [...before.events, ...after.events]) this.#emit(e);
      if (changed.length > 0) this.#bus.publish('TicketUpdated', { tenantId, ticketId: id, changed, actorId: m.changed.length > 0 ? actor.userId : null, at });
      for (const e of m.events ?? []) this.#emit(e);
      this.#scheduler.notify(due);
      return { ...next, version: rec.version + 1 };
    }
    throw new DomainError('SB_TICKETS_CONFLICT', 409, 'the ticket kept changing while this change was made; retry');
  }

  #emit(e: Emit): void {
    (this.#bus.publish as (name: string, payload: unknown) => void)(e.name, e.payload);
  }

  /** Marks the warnings and breaches due by `now`, escalating a breached ticket as its policy says. */
  #settle(tenantId: string, rec: TicketRecord, time: BusinessTime, now: number): SlaOutcome {
    const out: SlaOutcome = { rec: { ...rec }, history: [], changed: [], breaches: [], events: [] };
    if (!rec.sla) return out;
    const { state, crossings } = catchUp(rec.sla, time, now);
    out.rec.sla = state;
    for (const c of crossings) this.#cross(tenantId, out, c, now);
    return out;
  }

  #cross(tenantId: string, out: SlaOutcome, c: Crossing, now: number): void {
    const rec = out.rec;
    const dueAt = iso(c.dueAt);
    if (c.kind === 'warning') {
      out.events.push({ name: 'TicketSlaWarning', payload: { tenantId, ticketId: rec.id, metric: c.metric, dueAt, at: iso(c.at) } });
      return;
    }
    const policy = rec.sla!.escalation;
    const acts = policy.assigneeUserId !== null || policy.assigneeTeamId !== null || policy.notifySupervisors;
    const breach: SlaBreach = {
      id: newId(), ticketId: rec.id, ticketNumber: rec.number, typeId: rec.typeId, priority: rec.priority, metric: c.metric, targetMinutes: c.targetMs / 60_000,
      dueAt, detectedAt: iso(now), assigneeUserId: rec.assigneeUserId, assigneeTeamId: rec.assigneeTeamId, escalation: acts ? { ...policy } : null,
    };
    out.breaches.push(breach);
    out.history.push({ field: `sla.${c.metric}`, from: null, to: { state: 'breached', dueAt } });
    out.changed.push(`sla.${c.metric}`);
    if (!rec.breached) {
      rec.breached = true;
      out.changed.push('breached');
    }
    for (const [field, value] of [['assigneeUserId', policy.assigneeUserId], ['assigneeTeamId', policy.assigneeTeamId]] as const) {
      if (value === null || rec[field] === value) continue;
      out.history.push({ field, from: rec[field], to: value });
      out.changed.push(field);
      rec[field] = value;
    }
    out.events.push({ name: 'TicketSlaBreached', payload: { tenantId, ticketId: rec.id, breachId: breach.id, metric: c.metric, dueAt, at: iso(c.at), escalation: breach.escalation } });
  }

  /** One scheduler run: every ticket due by `now`, in due order, each in its own tenant's scope. */
  async #processDue(now: number): Promise<void> {
    const tried = new Set<string>();
    for (;;) {
      const due = (await dueTickets(this.#db, now, DUE_BATCH)).filter((t) => !tried.has(t.id));
      if (due.length === 0) return;
      for (const t of due) {
        tried.add(t.id);
        try {
          await this.#mutate(t.tenantId, t.id, SYSTEM, ({ rec }) => ({ next: rec, history: [], changed: [] }));
        } catch (err) {
          this.#log.error({ err, tenantId: t.tenantId, ticketId: t.id }, 'SLA check of a ticket failed');
        }
      }
    }
  }

  #record(tenantId: string, actor: TicketActor | undefined, action: string, targetId: string, details: Record<string, unknown>, targetType = 'ticket_type'): Promise<void> {
    return this.#audit.append({
      tenantId, action, targetType, targetId, details, actorId: actor?.userId ?? null, actorName: actor?.name ?? 'system', ip: actor?.ip ?? null,
    });
  }
}

const typeExists = (key: string) => new DomainError('SB_TICKETS_TYPE_EXISTS', 409, `a ticket type with key ${key} already exists`);

function checkType(input: TicketTypeInput): Omit<TicketType, 'id' | 'createdAt' | 'updatedAt'> {
  if (!/^[a-z][a-z0-9_-]{0,39}$/.test(input.key)) throw invalid('key', 'must be lower-case letters, digits, _ and - (starting with a letter), at most 40');
  const name = text(input.name, 'name', 100, false);
  const workflow = checkWorkflow(input.workflow);
  const categories = (input.categories ?? []).map((c, i) => text(c, `categories.${i}`, MAX_CATEGORY, false));
  if (categories.length > MAX_CATEGORIES) throw invalid('categories', `can hold at most ${MAX_CATEGORIES}`);
  if (new Set(categories).size !== categories.length) throw invalid('categories', 'must be distinct');
  return { key: input.key, name, workflow, categories, fields: checkFieldDefinitions(input.fields ?? []), queueId: input.queueId ?? null };
}

function checkCategory(type: TicketType, category: string | null): string | null {
  if (category === null) return null;
  const c = text(category, 'category', MAX_CATEGORY, true);
  if (!c) return null;
  if (type.categories.length > 0 && !type.categories.includes(c)) throw invalid('category', `must be one of ${type.categories.join(', ')}`);
  return c;
}
