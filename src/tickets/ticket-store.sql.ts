// Tickets in SQLite/PostgreSQL (tables tickets_*), every tenant query through TenantScope. A ticket row
// carries a version that every change checks and bumps (optimistic concurrency), its SLA clocks as JSON
// and the next instant they need attention in `sla_next_due_at`, the index the scheduler reads.
import type { Kysely } from 'kysely';
import type { FieldDefinition, FieldValue, TimelineEntry, TimelineSource } from '../crm/index.ts';
import type { IdempotencyKeys, IdempotencyRecord } from '../kernel/index.ts';
import { tables, type SqlDatabase } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';
import type { SlaClock, SlaState } from './sla.ts';
import type {
  Attachment, AuthorKind, Comment, Escalation, HistoryEntry, Priority, SlaBreach, SlaMetric, SlaPolicy, TicketType, Visibility,
} from './ticket-model.ts';
import type { Workflow } from './workflow.ts';

export interface TicketsTables {
  tickets_tenant: { tenant_id: string; next_number: number; seeded_at: string };
  tickets_type: {
    id: string; tenant_id: string; key: string; name: string; workflow: string; categories: string; fields: string; position: number;
    queue_id: string | null; created_at: string; updated_at: string;
  };
  tickets_sla_policy: {
    tenant_id: string; type_id: string; priority: string; calendar_id: string | null; first_response_minutes: number | null; resolution_minutes: number | null;
    warn_at_percent: number | null; escalate_user_id: string | null; escalate_team_id: string | null; notify_supervisors: number; updated_at: string;
  };
  tickets_ticket: {
    id: string; tenant_id: string; number: number; type_id: string; subject: string; description: string; status: string; status_category: string;
    priority: string; category: string | null; fields: string; customer_id: string | null; interaction_ids: string; assignee_user_id: string | null;
    assignee_team_id: string | null; created_by_id: string | null; created_by_name: string; created_at: string; updated_at: string;
    first_responded_at: string | null; resolved_at: string | null; closed_at: string | null; sla: string | null; sla_next_due_at: string | null;
    breached: number; version: number;
  };
  tickets_comment: {
    id: string; tenant_id: string; ticket_id: string; seq: number; visibility: string; author_kind: string; author_id: string | null; author_name: string; body: string; at: string;
  };
  tickets_attachment: {
    id: string; tenant_id: string; ticket_id: string; seq: number; name: string; mime: string; size: number; sha256: string; uploaded_by_id: string | null;
    uploaded_by_name: string; at: string;
  };
  tickets_watcher: { tenant_id: string; ticket_id: string; user_id: string; added_at: string };
  tickets_history: {
    id: string; tenant_id: string; ticket_id: string; seq: number; at: string; actor_id: string | null; actor_name: string; field: string;
    old_value: string | null; new_value: string | null;
  };
  tickets_sla_breach: {
    id: string; tenant_id: string; ticket_id: string; ticket_number: number; type_id: string; priority: string; metric: string; target_minutes: number;
    due_at: string; detected_at: string; assignee_user_id: string | null; assignee_team_id: string | null; escalation: string | null;
  };
  tickets_idempotency: {
    tenant_id: string; key: string; fingerprint: string; ticket_id: string | null; status: number | null; response: string | null; created_at: string;
  };
}

type TicketRow = TicketsTables['tickets_ticket'];

/** A ticket as stored: the API view is built from it (ticket-view in tickets.ts). */
export interface TicketRecord {
  id: string;
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
  createdById: string | null;
  createdByName: string;
  createdAt: string;
  updatedAt: string;
  firstRespondedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  sla: SlaState | null;
  breached: boolean;
  version: number;
}

export interface TicketFilter {
  status?: string | undefined;
  statusCategory?: string | undefined;
  category?: string | undefined;
  typeId?: string | undefined;
  assigneeUserId?: string | undefined;
  assigneeTeamId?: string | undefined;
  customerId?: string | undefined;
  breached?: boolean | undefined;
  /** Changed at or after this ISO time. */
  updatedSince?: string | undefined;
}

export interface BreachFilter {
  /** Due at or after (ISO). */
  from?: string | undefined;
  /** Due before (ISO). */
  to?: string | undefined;
  metric?: SlaMetric | undefined;
  ticketId?: string | undefined;
}

/** A change to record in a ticket's history; values are stored as JSON. */
export interface HistoryItem {
  field: string;
  from: unknown;
  to: unknown;
}

/** True for a unique-index violation on either dialect (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; errcode?: unknown } | null;
  return e?.code === '23505' || e?.errcode === 2067 || e?.errcode === 1555;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const ms = (text: unknown): number | null => (typeof text === 'string' ? Date.parse(text) : null);

type StoredClock = Record<keyof SlaClock, string | number | null>;

function encodeClock(c: SlaClock): StoredClock {
  return {
    targetMs: c.targetMs, elapsedMs: c.elapsedMs, runningSince: iso(c.runningSince), warnAt: iso(c.warnAt), dueAt: iso(c.dueAt),
    warnedAt: iso(c.warnedAt), breachedAt: iso(c.breachedAt), metAt: iso(c.metAt), stoppedAt: iso(c.stoppedAt),
  };
}

function decodeClock(c: StoredClock | null): SlaClock | null {
  if (!c) return null;
  return {
    targetMs: Number(c.targetMs), elapsedMs: Number(c.elapsedMs), runningSince: ms(c.runningSince), warnAt: ms(c.warnAt), dueAt: ms(c.dueAt),
    warnedAt: ms(c.warnedAt), breachedAt: ms(c.breachedAt), metAt: ms(c.metAt), stoppedAt: ms(c.stoppedAt),
  };
}

export const encodeSla = (s: SlaState | null): string | null => (s === null ? null : JSON.stringify({
  ...s, firstResponse: s.firstResponse && encodeClock(s.firstResponse), resolution: s.resolution && encodeClock(s.resolution),
}));

export function decodeSla(text: string | null): SlaState | null {
  if (text === null) return null;
  const s = JSON.parse(text) as Omit<SlaState, 'firstResponse' | 'resolution'> & { firstResponse: StoredClock | null; resolution: StoredClock | null };
  return { ...s, firstResponse: decodeClock(s.firstResponse), resolution: decodeClock(s.resolution) };
}

function toRecord(r: TicketRow): TicketRecord {
  return {
    id: r.id, number: Number(r.number), typeId: r.type_id, subject: r.subject, description: r.description, status: r.status, statusCategory: r.status_category,
    priority: r.priority as Priority, category: r.category, fields: JSON.parse(r.fields) as Record<string, FieldValue>, customerId: r.customer_id,
    interactionIds: JSON.parse(r.interaction_ids) as string[], assigneeUserId: r.assignee_user_id, assigneeTeamId: r.assignee_team_id,
    createdById: r.created_by_id, createdByName: r.created_by_name, createdAt: r.created_at, updatedAt: r.updated_at,
    firstRespondedAt: r.first_responded_at, resolvedAt: r.resolved_at, closedAt: r.closed_at, sla: decodeSla(r.sla), breached: Number(r.breached) === 1,
    version: Number(r.version),
  };
}

function toColumns(t: TicketRecord, nextDueAt: number | null): Omit<TicketRow, 'tenant_id'> {
  return {
    id: t.id, number: t.number, type_id: t.typeId, subject: t.subject, description: t.description, status: t.status, status_category: t.statusCategory,
    priority: t.priority, category: t.category, fields: JSON.stringify(t.fields), customer_id: t.customerId, interaction_ids: JSON.stringify(t.interactionIds),
    assignee_user_id: t.assigneeUserId, assignee_team_id: t.assigneeTeamId, created_by_id: t.createdById, created_by_name: t.createdByName,
    created_at: t.createdAt, updated_at: t.updatedAt, first_responded_at: t.firstRespondedAt, resolved_at: t.resolvedAt, closed_at: t.closedAt,
    sla: encodeSla(t.sla), sla_next_due_at: iso(nextDueAt), breached: t.breached ? 1 : 0, version: t.version,
  };
}

const toType = (r: TicketsTables['tickets_type']): TicketType => ({
  id: r.id, key: r.key, name: r.name, workflow: JSON.parse(r.workflow) as Workflow, categories: JSON.parse(r.categories) as string[],
  fields: JSON.parse(r.fields) as FieldDefinition[], queueId: r.queue_id, createdAt: r.created_at, updatedAt: r.updated_at,
});

const toPolicy = (r: TicketsTables['tickets_sla_policy']): SlaPolicy => ({
  typeId: r.type_id, priority: r.priority as Priority, calendarId: r.calendar_id,
  firstResponseMinutes: r.first_response_minutes === null ? null : Number(r.first_response_minutes),
  resolutionMinutes: r.resolution_minutes === null ? null : Number(r.resolution_minutes),
  warnAtPercent: r.warn_at_percent === null ? null : Number(r.warn_at_percent),
  escalation: { assigneeUserId: r.escalate_user_id, assigneeTeamId: r.escalate_team_id, notifySupervisors: Number(r.notify_supervisors) === 1 },
  updatedAt: r.updated_at,
});

const toComment = (r: TicketsTables['tickets_comment']): Comment => ({
  id: r.id, ticketId: r.ticket_id, visibility: r.visibility as Visibility, author: { kind: r.author_kind as AuthorKind, id: r.author_id, name: r.author_name },
  body: r.body, at: r.at,
});

const toAttachment = (r: TicketsTables['tickets_attachment']): Attachment => ({
  id: r.id, ticketId: r.ticket_id, name: r.name, mime: r.mime, size: Number(r.size), sha256: r.sha256,
  uploadedBy: { id: r.uploaded_by_id, name: r.uploaded_by_name }, at: r.at,
});

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

const toBreach = (r: TicketsTables['tickets_sla_breach']): SlaBreach => ({
  id: r.id, ticketId: r.ticket_id, ticketNumber: Number(r.ticket_number), typeId: r.type_id, priority: r.priority as Priority, metric: r.metric as SlaMetric,
  targetMinutes: Number(r.target_minutes), dueAt: r.due_at, detectedAt: r.detected_at, assigneeUserId: r.assignee_user_id, assigneeTeamId: r.assignee_team_id,
  escalation: parseJson(r.escalation) as Escalation | null,
});

/** Tickets whose SLA clocks need attention by `now`, across tenants: the one unscoped read, on the index tickets_ticket_next_due. */
export async function dueTickets(db: SqlDatabase, now: number, limit: number): Promise<{ tenantId: string; id: string }[]> {
  const rows = await tables<TicketsTables>(db).selectFrom('tickets_ticket').select(['tenant_id', 'id'])
    .where('sla_next_due_at', 'is not', null).where('sla_next_due_at', '<=', new Date(now).toISOString())
    .orderBy('sla_next_due_at').limit(limit).execute();
  return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id }));
}

/** The earliest instant any ticket's SLA clocks need attention, across tenants (same index). */
export async function nextDueAt(db: SqlDatabase): Promise<number | null> {
  const row = await tables<TicketsTables>(db).selectFrom('tickets_ticket').select('sla_next_due_at')
    .where('sla_next_due_at', 'is not', null).orderBy('sla_next_due_at').limit(1).executeTakeFirst();
  return row?.sla_next_due_at ? Date.parse(row.sla_next_due_at) : null;
}

/** One tenant's ticket tables; `transaction` hands out the same API bound to a transaction. */
export class TicketStore {
  readonly #scope: TenantScope<TicketsTables>;

  constructor(scope: TenantScope<TicketsTables>) {
    this.#scope = scope;
  }

  static of(db: SqlDatabase, tenantId: string): TicketStore {
    return new TicketStore(new TenantScope(tables<TicketsTables>(db), tenantId));
  }

  transaction<R>(fn: (store: TicketStore) => Promise<R>): Promise<R> {
    return this.#scope.transaction((scope) => fn(new TicketStore(scope)));
  }

  // ---- the tenant's numbering and first-use seeding

  async isSeeded(): Promise<boolean> {
    return (await this.#scope.selectFrom('tickets_tenant').select('tenant_id').executeTakeFirst()) !== undefined;
  }

  async markSeeded(now: string): Promise<void> {
    await this.#scope.insertInto('tickets_tenant', { next_number: 1, seeded_at: now }).execute();
  }

  /** The next ticket number; the row lock held by the update serializes concurrent creates. */
  async takeNumber(): Promise<number> {
    await this.#scope.updateTable('tickets_tenant').set((eb) => ({ next_number: eb('next_number', '+', 1) })).execute();
    const row = await this.#scope.selectFrom('tickets_tenant').select('next_number').executeTakeFirstOrThrow();
    return Number(row.next_number) - 1;
  }

  // ---- types and SLA policies

  async types(): Promise<TicketType[]> {
    return (await this.#scope.selectFrom('tickets_type').selectAll().orderBy('position').orderBy('created_at').execute()).map(toType);
  }

  async type(id: string): Promise<TicketType | undefined> {
    const r = await this.#scope.selectFrom('tickets_type').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toType(r) : undefined;
  }

  async typeByKey(key: string): Promise<TicketType | undefined> {
    const r = await this.#scope.selectFrom('tickets_type').selectAll().where('key', '=', key).executeTakeFirst();
    return r ? toType(r) : undefined;
  }

  async insertType(t: TicketType): Promise<void> {
    const last = await this.#scope.selectFrom('tickets_type').select((eb) => eb.fn.max<number | null>('position').as('p')).executeTakeFirst();
    await this.#scope.insertInto('tickets_type', {
      id: t.id, key: t.key, name: t.name, workflow: JSON.stringify(t.workflow), categories: JSON.stringify(t.categories), fields: JSON.stringify(t.fields),
      position: Number(last?.p ?? 0) + 1, queue_id: t.queueId, created_at: t.createdAt, updated_at: t.updatedAt,
    }).execute();
  }

  async replaceType(t: TicketType): Promise<boolean> {
    const r = await this.#scope.updateTable('tickets_type').set({
      key: t.key, name: t.name, workflow: JSON.stringify(t.workflow), categories: JSON.stringify(t.categories), fields: JSON.stringify(t.fields), queue_id: t.queueId,
      updated_at: t.updatedAt,
    }).where('id', '=', t.id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteType(id: string): Promise<boolean> {
    await this.#scope.deleteFrom('tickets_sla_policy').where('type_id', '=', id).execute();
    const r = await this.#scope.deleteFrom('tickets_type').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** The statuses tickets of a type are in now, with how many each. */
  async statusesInUse(typeId: string): Promise<Map<string, number>> {
    const rows = await this.#scope.selectFrom('tickets_ticket').select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('type_id', '=', typeId).groupBy('status').execute();
    return new Map(rows.map((r) => [r.status, Number(r.n)]));
  }

  async policies(typeId: string): Promise<SlaPolicy[]> {
    return (await this.#scope.selectFrom('tickets_sla_policy').selectAll().where('type_id', '=', typeId).execute()).map(toPolicy);
  }

  async policy(typeId: string, priority: Priority): Promise<SlaPolicy | undefined> {
    const r = await this.#scope.selectFrom('tickets_sla_policy').selectAll().where('type_id', '=', typeId).where('priority', '=', priority).executeTakeFirst();
    return r ? toPolicy(r) : undefined;
  }

  async replacePolicies(typeId: string, list: readonly SlaPolicy[]): Promise<void> {
    await this.#scope.deleteFrom('tickets_sla_policy').where('type_id', '=', typeId).execute();
    if (list.length === 0) return;
    await this.#scope.insertInto('tickets_sla_policy', list.map((p) => ({
      type_id: typeId, priority: p.priority, calendar_id: p.calendarId, first_response_minutes: p.firstResponseMinutes, resolution_minutes: p.resolutionMinutes,
      warn_at_percent: p.warnAtPercent, escalate_user_id: p.escalation.assigneeUserId, escalate_team_id: p.escalation.assigneeTeamId,
      notify_supervisors: p.escalation.notifySupervisors ? 1 : 0, updated_at: p.updatedAt,
    }))).execute();
  }

  // ---- tickets

  async ticket(id: string): Promise<TicketRecord | undefined> {
    const r = await this.#scope.selectFrom('tickets_ticket').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRecord(r) : undefined;
  }

  async insertTicket(t: TicketRecord, nextDueAt: number | null): Promise<void> {
    const { id, ...rest } = toColumns(t, nextDueAt);
    await this.#scope.insertInto('tickets_ticket', { id, ...rest }).execute();
  }

  /** Writes `t` over the row if it still has `version` (and bumps it); false when someone changed it meanwhile. */
  async updateTicket(t: TicketRecord, version: number, nextDueAt: number | null): Promise<boolean> {
    const { id, number: _number, created_at: _createdAt, ...rest } = toColumns({ ...t, version: version + 1 }, nextDueAt);
    const r = await this.#scope.updateTable('tickets_ticket').set(rest).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** A page of tickets, newest first (by number), after the ticket numbered `before`. */
  async list(filter: TicketFilter, limit: number, before: number | undefined): Promise<TicketRecord[]> {
    let q = this.#scope.selectFrom('tickets_ticket').selectAll();
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.statusCategory !== undefined) q = q.where('status_category', '=', filter.statusCategory);
    if (filter.category !== undefined) q = q.where('category', '=', filter.category);
    if (filter.typeId !== undefined) q = q.where('type_id', '=', filter.typeId);
    if (filter.assigneeUserId !== undefined) q = q.where('assignee_user_id', '=', filter.assigneeUserId);
    if (filter.assigneeTeamId !== undefined) q = q.where('assignee_team_id', '=', filter.assigneeTeamId);
    if (filter.customerId !== undefined) q = q.where('customer_id', '=', filter.customerId);
    if (filter.breached !== undefined) q = q.where('breached', '=', filter.breached ? 1 : 0);
    if (filter.updatedSince !== undefined) q = q.where('updated_at', '>=', filter.updatedSince);
    if (before !== undefined) q = q.where('number', '<', before);
    return (await q.orderBy('number', 'desc').limit(limit).execute()).map(toRecord);
  }

  // ---- watchers, comments, attachments, history, breaches

  async watchers(ticketIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(ticketIds.map((id) => [id, []]));
    if (ticketIds.length === 0) return out;
    const rows = await this.#scope.selectFrom('tickets_watcher').select(['ticket_id', 'user_id']).where('ticket_id', 'in', [...ticketIds])
      .orderBy('added_at').orderBy('user_id').execute();
    for (const r of rows) out.get(r.ticket_id)?.push(r.user_id);
    return out;
  }

  async addWatchers(ticketId: string, userIds: readonly string[], now: string): Promise<void> {
    if (userIds.length === 0) return;
    await this.#scope.insertInto('tickets_watcher', userIds.map((user_id) => ({ ticket_id: ticketId, user_id, added_at: now }))).execute();
  }

  async removeWatcher(ticketId: string, userId: string): Promise<void> {
    await this.#scope.deleteFrom('tickets_watcher').where('ticket_id', '=', ticketId).where('user_id', '=', userId).execute();
  }

  /** The next position in one of a ticket's ordered lists (the caller holds the ticket's version). */
  /**
   * A customer's personal data in their tickets made unreadable (privacy erasure): subject,
   * description, custom field values, comment bodies, attachment names, and the old and new values
   * in the history of those fields. The tickets themselves stay (numbers, statuses, SLA facts).
   * Returns the attachments whose files must go.
   */
  async eraseCustomer(customerId: string, at: string): Promise<{ ticketId: string; attachmentId: string }[]> {
    const tickets = (await this.#scope.selectFrom('tickets_ticket').select('id').where('customer_id', '=', customerId).execute()).map((r) => r.id);
    if (tickets.length === 0) return [];
    await this.#scope.updateTable('tickets_ticket').set({ subject: '[erased]', description: '', fields: '{}', updated_at: at }).where('id', 'in', tickets).execute();
    await this.#scope.updateTable('tickets_comment').set({ body: '[erased]' }).where('ticket_id', 'in', tickets).execute();
    await this.#scope.updateTable('tickets_history').set({ old_value: null, new_value: null })
      .where('ticket_id', 'in', tickets).where((eb) => eb.or([eb('field', 'in', ['subject', 'description']), eb('field', 'like', 'fields.%')])).execute();
    const files = await this.#scope.selectFrom('tickets_attachment').select(['ticket_id', 'id']).where('ticket_id', 'in', tickets).execute();
    await this.#scope.updateTable('tickets_attachment').set({ name: '[erased]' }).where('ticket_id', 'in', tickets).execute();
    return files.map((f) => ({ ticketId: f.ticket_id, attachmentId: f.id }));
  }

  async #nextSeq(table: 'tickets_comment' | 'tickets_attachment' | 'tickets_history', ticketId: string): Promise<number> {
    const last = await this.#scope.selectFrom(table).select((eb) => eb.fn.max<number | null>('seq').as('seq')).where('ticket_id', '=', ticketId).executeTakeFirst();
    return Number(last?.seq ?? 0) + 1;
  }

  async insertComment(c: Comment): Promise<void> {
    await this.#scope.insertInto('tickets_comment', {
      id: c.id, ticket_id: c.ticketId, seq: await this.#nextSeq('tickets_comment', c.ticketId), visibility: c.visibility, author_kind: c.author.kind, author_id: c.author.id, author_name: c.author.name, body: c.body, at: c.at,
    }).execute();
  }

  async comments(ticketId: string): Promise<Comment[]> {
    return (await this.#scope.selectFrom('tickets_comment').selectAll().where('ticket_id', '=', ticketId).orderBy('seq').execute()).map(toComment);
  }

  async insertAttachment(a: Attachment): Promise<void> {
    await this.#scope.insertInto('tickets_attachment', {
      id: a.id, ticket_id: a.ticketId, seq: await this.#nextSeq('tickets_attachment', a.ticketId), name: a.name, mime: a.mime, size: a.size, sha256: a.sha256, uploaded_by_id: a.uploadedBy.id,
      uploaded_by_name: a.uploadedBy.name, at: a.at,
    }).execute();
  }

  async attachments(ticketId: string): Promise<Attachment[]> {
    return (await this.#scope.selectFrom('tickets_attachment').selectAll().where('ticket_id', '=', ticketId).orderBy('seq').execute()).map(toAttachment);
  }

  async attachment(ticketId: string, id: string): Promise<Attachment | undefined> {
    const r = await this.#scope.selectFrom('tickets_attachment').selectAll().where('ticket_id', '=', ticketId).where('id', '=', id).executeTakeFirst();
    return r ? toAttachment(r) : undefined;
  }

  async appendHistory(ticketId: string, at: string, actor: { id: string | null; name: string }, items: readonly HistoryItem[], newId: () => string): Promise<void> {
    if (items.length === 0) return;
    const start = await this.#nextSeq('tickets_history', ticketId);
    await this.#scope.insertInto('tickets_history', items.map((h, i) => ({
      id: newId(), ticket_id: ticketId, seq: start + i, at, actor_id: actor.id, actor_name: actor.name, field: h.field,
      old_value: h.from === undefined ? null : JSON.stringify(h.from), new_value: h.to === undefined ? null : JSON.stringify(h.to),
    }))).execute();
  }

  async history(ticketId: string): Promise<HistoryEntry[]> {
    const rows = await this.#scope.selectFrom('tickets_history').selectAll().where('ticket_id', '=', ticketId).orderBy('seq').execute();
    return rows.map((r) => ({
      id: r.id, seq: Number(r.seq), at: r.at, actor: { id: r.actor_id, name: r.actor_name }, field: r.field, from: parseJson(r.old_value), to: parseJson(r.new_value),
    }));
  }

  async insertBreach(b: SlaBreach): Promise<void> {
    await this.#scope.insertInto('tickets_sla_breach', {
      id: b.id, ticket_id: b.ticketId, ticket_number: b.ticketNumber, type_id: b.typeId, priority: b.priority, metric: b.metric, target_minutes: b.targetMinutes,
      due_at: b.dueAt, detected_at: b.detectedAt, assignee_user_id: b.assigneeUserId, assignee_team_id: b.assigneeTeamId,
      escalation: b.escalation === null ? null : JSON.stringify(b.escalation),
    }).execute();
  }

  /** Breaches by due time, oldest first, after the (dueAt, id) position `after`. */
  async breaches(filter: BreachFilter, limit: number, after: { dueAt: string; id: string } | undefined): Promise<SlaBreach[]> {
    let q = this.#scope.selectFrom('tickets_sla_breach').selectAll();
    if (filter.from !== undefined) q = q.where('due_at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('due_at', '<', filter.to);
    if (filter.metric !== undefined) q = q.where('metric', '=', filter.metric);
    if (filter.ticketId !== undefined) q = q.where('ticket_id', '=', filter.ticketId);
    if (after) q = q.where((eb) => eb.or([eb('due_at', '>', after.dueAt), eb.and([eb('due_at', '=', after.dueAt), eb('id', '>', after.id)])]));
    return (await q.orderBy('due_at').orderBy('id').limit(limit).execute()).map(toBreach);
  }

  // ---- idempotency keys (the kernel's IdempotencyKeys port)

  idempotencyKeys(): IdempotencyKeys {
    return {
      purge: async (olderThan) => { await this.#scope.deleteFrom('tickets_idempotency').where('created_at', '<', olderThan).execute(); },
      claim: async (key, fingerprint, now) => {
        try {
          await this.#scope.insertInto('tickets_idempotency', { key, fingerprint, ticket_id: null, status: null, response: null, created_at: now }).execute();
          return true;
        } catch (err) {
          if (isUniqueViolation(err)) return false;
          throw err;
        }
      },
      get: async (key): Promise<IdempotencyRecord | undefined> => {
        const r = await this.#scope.selectFrom('tickets_idempotency').selectAll().where('key', '=', key).executeTakeFirst();
        return r ? { fingerprint: r.fingerprint, status: r.status === null ? null : Number(r.status), response: r.response } : undefined;
      },
      complete: async (key, ticketId, status, response) => {
        await this.#scope.updateTable('tickets_idempotency').set({ ticket_id: ticketId, status, response }).where('key', '=', key).execute();
      },
      release: async (key) => { await this.#scope.deleteFrom('tickets_idempotency').where('key', '=', key).where('response', 'is', null).execute(); },
    };
  }
}

const SUMMARY_CHARS = 140;
const TIMELINE_FIELDS = ['created', 'status'];
const line = (s: string) => {
  const text = s.replace(/\s+/g, ' ').trim();
  return text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS - 1)}…` : text;
};

/**
 * Tickets on a customer's timeline: each ticket's creation and status changes (from its history) and its
 * public comments, newest first, ties by ascending id (the crm TimelineSource contract).
 */
export class TicketTimelineSource implements TimelineSource {
  readonly #db: Kysely<TicketsTables>;

  constructor(db: SqlDatabase) {
    this.#db = tables<TicketsTables>(db);
  }

  async entries(tenantId: string, customerIds: string[], opts: { before?: string; limit: number }): Promise<TimelineEntry[]> {
    if (customerIds.length === 0) return [];
    const scope = new TenantScope(this.#db, tenantId);
    let changes = scope.selectFrom('tickets_history')
      .innerJoin('tickets_ticket', 'tickets_ticket.id', 'tickets_history.ticket_id')
      .select(['tickets_history.id', 'tickets_history.at', 'tickets_history.field', 'tickets_history.new_value', 'tickets_history.actor_name',
        'tickets_ticket.id as ticket_id', 'tickets_ticket.number', 'tickets_ticket.subject', 'tickets_ticket.customer_id'])
      .where('tickets_ticket.tenant_id', '=', tenantId)
      .where('tickets_ticket.customer_id', 'in', customerIds)
      .where('tickets_history.field', 'in', TIMELINE_FIELDS);
    let comments = scope.selectFrom('tickets_comment')
      .innerJoin('tickets_ticket', 'tickets_ticket.id', 'tickets_comment.ticket_id')
      .select(['tickets_comment.id', 'tickets_comment.at', 'tickets_comment.body', 'tickets_comment.author_kind', 'tickets_comment.author_name',
        'tickets_ticket.id as ticket_id', 'tickets_ticket.number', 'tickets_ticket.customer_id'])
      .where('tickets_ticket.tenant_id', '=', tenantId)
      .where('tickets_ticket.customer_id', 'in', customerIds)
      .where('tickets_comment.visibility', '=', 'public');
    if (opts.before !== undefined) {
      changes = changes.where('tickets_history.at', '<', opts.before);
      comments = comments.where('tickets_comment.at', '<', opts.before);
    }
    const [changeRows, commentRows] = await Promise.all([
      changes.orderBy('tickets_history.at', 'desc').orderBy('tickets_history.id', 'asc').limit(opts.limit).execute(),
      comments.orderBy('tickets_comment.at', 'desc').orderBy('tickets_comment.id', 'asc').limit(opts.limit).execute(),
    ]);
    const entries: TimelineEntry[] = [
      ...changeRows.map((r): TimelineEntry => {
        const status = r.field === 'status' ? String(parseJson(r.new_value)) : null;
        return {
          at: r.at, kind: 'ticket', id: r.id,
          summary: status === null ? `Ticket #${Number(r.number)} opened: ${line(r.subject)}` : `Ticket #${Number(r.number)} is now ${status}`,
          data: { ticketId: r.ticket_id, number: Number(r.number), event: r.field === 'status' ? 'status' : 'created', status, customerId: r.customer_id, by: r.actor_name },
        };
      }),
      ...commentRows.map((r): TimelineEntry => ({
        at: r.at, kind: 'ticket', id: r.id, summary: `Ticket #${Number(r.number)}: ${line(r.body)}`,
        data: { ticketId: r.ticket_id, number: Number(r.number), event: 'comment', from: r.author_kind, by: r.author_name, customerId: r.customer_id },
      })),
    ];
    entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return entries.slice(0, opts.limit);
  }
}
