// Interactions in SQLite/PostgreSQL (interaction, interaction_segment): one row per contact with
// its timestamps and outcome, and its segments in order. Tenant-scoped; only this file names the
// tables. Records that arrive in bulk (an import of history) are written many rows per statement:
// on PostgreSQL one `INSERT … SELECT FROM json_populate_recordset(…)` per table, a JSON document of
// the rows read as the table's own row type (empty values left out); on SQLite multi-row `VALUES`
// whose text Kysely compiles once per row count, bound chunk by chunk.
import { CompiledQuery, PostgresIntrospector, sql, type Kysely } from 'kysely';
import { notFound } from '../kernel/index.ts';
import { tables, type SqlDatabase } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';
import type { Interaction, InteractionOutcome, InteractionQuery, Segment, SegmentKind } from './interaction.ts';

interface InteractionTables {
  interaction: {
    id: string; tenant_id: string; channel: string; direction: string; customer_address: string | null; customer_id: string | null; dialled: string | null;
    flow_id: string | null; language: string | null; queue_id: string | null; agent_id: string | null;
    arrived_at: string; ivr_entered_at: string | null; ivr_left_at: string | null; queued_at: string | null; first_offered_at: string | null;
    answered_at: string | null; ended_at: string | null; wrap_up_ended_at: string | null; outcome: string | null; ended_by: string | null;
    offers: number; transfers: number; holds: number; hold_ms: number; disposition: string | null; notes: string | null; recording_id: string | null;
    ivr_path: string | null; updated_at: string;
  };
  interaction_segment: {
    interaction_id: string; seq: number; tenant_id: string; kind: string; agent_id: string | null; queue_id: string | null;
    started_at: string; ended_at: string | null; outcome: string | null; data: string | null;
  };
}

type Row = InteractionTables['interaction'];
type SegmentRow = InteractionTables['interaction_segment'];

/** Columns written in bulk, in the order of the values of each row. */
const ROW_COLUMNS: readonly (keyof Row & string)[] = [
  'id', 'channel', 'direction', 'customer_address', 'customer_id', 'dialled', 'flow_id', 'language', 'queue_id', 'agent_id', 'arrived_at', 'ivr_entered_at',
  'ivr_left_at', 'queued_at', 'first_offered_at', 'answered_at', 'ended_at', 'wrap_up_ended_at', 'outcome', 'ended_by', 'offers', 'transfers', 'holds',
  'hold_ms', 'disposition', 'notes', 'recording_id', 'ivr_path', 'updated_at',
];
const SEGMENT_COLUMNS: readonly (keyof SegmentRow & string)[] = ['interaction_id', 'seq', 'kind', 'agent_id', 'queue_id', 'started_at', 'ended_at', 'outcome', 'data'];

/** Values bound per statement on SQLite, far below its limit (32,766): larger statements bind no faster. */
const SQLITE_VALUES_PER_STATEMENT = 2000;
/** Ids per lookup: SQLite's `IN` list, or one PostgreSQL array of a size it still looks up by index. */
const SQLITE_LOOKUP = 1000;
const POSTGRES_LOOKUP = 5000;

const latest = (...isos: (string | null)[]): string => isos.reduce<string>((a, b) => (b !== null && b > a ? b : a), '');

/** A record's row values in ROW_COLUMNS order; `updated_at` is its latest timestamp. */
const rowValues = (i: Interaction): unknown[] => [
  i.id, i.channel, i.direction, i.customerAddress, i.customerId, i.dialled, i.flowId, i.language, i.queueId, i.agentId, i.arrivedAt, i.ivrEnteredAt,
  i.ivrLeftAt, i.queuedAt, i.firstOfferedAt, i.answeredAt, i.endedAt, i.wrapUpEndedAt, i.outcome, i.endedBy, i.offers, i.transfers, i.holds,
  i.holdMs, i.disposition, i.notes, i.recordingId, i.ivrPath.length > 0 ? JSON.stringify(i.ivrPath) : null,
  latest(i.arrivedAt, i.ivrLeftAt, i.endedAt, i.wrapUpEndedAt),
];

const segmentValues = (interactionId: string, s: Segment): unknown[] => [
  interactionId, s.seq, s.kind, s.agentId, s.queueId, s.startedAt, s.endedAt, s.outcome, s.data ? JSON.stringify(s.data) : null,
];

/** Columns a recorder may set on an interaction. */
export type InteractionPatch = Partial<Omit<Row, 'id' | 'tenant_id' | 'offers' | 'transfers' | 'holds' | 'hold_ms'>>;
/** Counters a recorder may add to. */
export type InteractionCounters = Partial<Pick<Row, 'offers' | 'transfers' | 'holds' | 'hold_ms'>>;

const toSegment = (r: SegmentRow): Segment => ({
  seq: Number(r.seq), kind: r.kind as SegmentKind, agentId: r.agent_id, queueId: r.queue_id, startedAt: r.started_at, endedAt: r.ended_at,
  outcome: r.outcome, data: r.data ? JSON.parse(r.data) as Record<string, unknown> : null,
});

const toInteraction = (r: Row, segments: Segment[]): Interaction => ({
  id: r.id, channel: r.channel, direction: r.direction as Interaction['direction'], customerAddress: r.customer_address, customerId: r.customer_id,
  dialled: r.dialled, flowId: r.flow_id, language: r.language, queueId: r.queue_id, agentId: r.agent_id,
  arrivedAt: r.arrived_at, ivrEnteredAt: r.ivr_entered_at, ivrLeftAt: r.ivr_left_at, queuedAt: r.queued_at, firstOfferedAt: r.first_offered_at,
  answeredAt: r.answered_at, endedAt: r.ended_at, wrapUpEndedAt: r.wrap_up_ended_at, outcome: r.outcome as InteractionOutcome | null,
  endedBy: r.ended_by as Interaction['endedBy'], offers: Number(r.offers), transfers: Number(r.transfers), holds: Number(r.holds), holdMs: Number(r.hold_ms),
  disposition: r.disposition, notes: r.notes, recordingId: r.recording_id, ivrPath: r.ivr_path ? JSON.parse(r.ivr_path) as unknown[] : [], segments,
});

export class InteractionStore {
  readonly #db: Kysely<InteractionTables>;
  readonly #postgres: boolean;
  /** SQLite statement texts of a full chunk, per table. */
  readonly #chunkSql = new Map<string, string>();

  constructor(db: SqlDatabase) {
    this.#db = tables<InteractionTables>(db);
    // The handle's dialect, as Kysely's own introspector for it tells.
    this.#postgres = db.introspection instanceof PostgresIntrospector;
  }

  #scope(tenantId: string) {
    return new TenantScope(this.#db, tenantId);
  }

  async create(tenantId: string, row: Omit<Row, 'tenant_id' | 'offers' | 'transfers' | 'holds' | 'hold_ms'>): Promise<void> {
    await this.#scope(tenantId).insertInto('interaction', { ...row, offers: 0, transfers: 0, holds: 0, hold_ms: 0 }).execute();
  }

  async exists(tenantId: string, id: string): Promise<boolean> {
    return !!(await this.#scope(tenantId).selectFrom('interaction').select('id').where('id', '=', id).executeTakeFirst());
  }

  async row(tenantId: string, id: string): Promise<Row | undefined> {
    return this.#scope(tenantId).selectFrom('interaction').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Sets columns, and adds to counters, in one statement. */
  async update(tenantId: string, id: string, patch: InteractionPatch, add: InteractionCounters = {}): Promise<void> {
    const set: Record<string, unknown> = { ...patch };
    const q = this.#scope(tenantId).updateTable('interaction');
    const withCounters = q.set((eb) => {
      for (const [k, v] of Object.entries(add)) if (v) set[k] = eb(k as keyof Row & string, '+', v);
      return set as never;
    });
    await withCounters.where('id', '=', id).execute();
  }

  /** Sets a column only where it is still empty (the first time something happened). */
  async setFirst(tenantId: string, id: string, column: 'ivr_entered_at' | 'queued_at' | 'first_offered_at' | 'answered_at' | 'outcome' | 'ended_by' | 'ended_at', value: string): Promise<void> {
    await this.#scope(tenantId).updateTable('interaction').set({ [column]: value } as never).where('id', '=', id).where(column, 'is', null).execute();
  }

  async openSegment(tenantId: string, s: { interactionId: string; kind: SegmentKind; agentId?: string | null; queueId?: string | null; at: string; data?: Record<string, unknown> }): Promise<number> {
    const scope = this.#scope(tenantId);
    const last = await scope.selectFrom('interaction_segment').select((eb) => eb.fn.max('seq').as('seq')).where('interaction_id', '=', s.interactionId).executeTakeFirst();
    const seq = Number(last?.seq ?? 0) + 1;
    await scope.insertInto('interaction_segment', {
      interaction_id: s.interactionId, seq, kind: s.kind, agent_id: s.agentId ?? null, queue_id: s.queueId ?? null,
      started_at: s.at, ended_at: null, outcome: null, data: s.data ? JSON.stringify(s.data) : null,
    }).execute();
    return seq;
  }

  /** Closes the newest open segment of a kind (and agent, when given); returns it, or undefined. */
  async closeSegment(tenantId: string, interactionId: string, kind: SegmentKind, at: string, outcome: string | null, agentId?: string): Promise<Segment | undefined> {
    const scope = this.#scope(tenantId);
    let q = scope.selectFrom('interaction_segment').selectAll().where('interaction_id', '=', interactionId).where('kind', '=', kind).where('ended_at', 'is', null);
    if (agentId !== undefined) q = q.where('agent_id', '=', agentId);
    const open = await q.orderBy('seq', 'desc').executeTakeFirst();
    if (!open) return undefined;
    await scope.updateTable('interaction_segment').set({ ended_at: at, outcome }).where('interaction_id', '=', interactionId).where('seq', '=', open.seq).execute();
    return toSegment({ ...open, ended_at: at, outcome });
  }

  /** Closes every open segment (the interaction ended). */
  async closeAll(tenantId: string, interactionId: string, at: string, outcome: string): Promise<void> {
    await this.#scope(tenantId).updateTable('interaction_segment').set({ ended_at: at, outcome }).where('interaction_id', '=', interactionId).where('ended_at', 'is', null).execute();
  }

  async get(tenantId: string, id: string): Promise<Interaction> {
    const scope = this.#scope(tenantId);
    const r = await scope.selectFrom('interaction').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('interaction');
    const segs = await scope.selectFrom('interaction_segment').selectAll().where('interaction_id', '=', id).orderBy('seq').execute();
    return toInteraction(r, segs.map(toSegment));
  }

  /** A customer's interactions (over every id merged into them), older than `before`, newest first. */
  async byCustomers(tenantId: string, customerIds: string[], before: string | undefined, limit: number): Promise<Interaction[]> {
    if (customerIds.length === 0) return [];
    let q = this.#scope(tenantId).selectFrom('interaction').selectAll().where('customer_id', 'in', customerIds);
    if (before) q = q.where('arrived_at', '<', before);
    const rows = await q.orderBy('arrived_at', 'desc').orderBy('id', 'asc').limit(limit).execute();
    return rows.map((r) => toInteraction(r, []));
  }

  /** The recordings of a customer's interactions (calls and voicemails), for erasure. */
  async recordingsOf(tenantId: string, customerId: string): Promise<{ interactionId: string; recordingIds: string[] }[]> {
    const scope = this.#scope(tenantId);
    const rows = await scope.selectFrom('interaction').select(['id', 'recording_id']).where('customer_id', '=', customerId).execute();
    const out: { interactionId: string; recordingIds: string[] }[] = [];
    for (const r of rows) {
      const segs = await scope.selectFrom('interaction_segment').select(['data']).where('interaction_id', '=', r.id).where('kind', '=', 'voicemail').execute();
      const voicemails = segs.map((x) => (x.data ? (JSON.parse(x.data) as { recordingId?: string }).recordingId : undefined)).filter((x): x is string => !!x);
      out.push({ interactionId: r.id, recordingIds: [...(r.recording_id ? [r.recording_id] : []), ...voicemails] });
    }
    return out;
  }

  /** Personal data of a customer's interactions made unreadable (privacy erasure): the caller's address, notes, IVR path. */
  async erase(tenantId: string, customerId: string, at: string): Promise<number> {
    const r = await this.#scope(tenantId).updateTable('interaction')
      .set({ customer_address: null, dialled: null, notes: null, ivr_path: null, recording_id: null, updated_at: at })
      .where('customer_id', '=', customerId).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Newest first; segments are not included (ask `get`). */
  async list(tenantId: string, q: InteractionQuery): Promise<Interaction[]> {
    let sel = this.#scope(tenantId).selectFrom('interaction').selectAll();
    if (q.from) sel = sel.where('arrived_at', '>=', q.from);
    if (q.to) sel = sel.where('arrived_at', '<', q.to);
    if (q.agentId) sel = sel.where('agent_id', '=', q.agentId);
    if (q.queueId) sel = sel.where('queue_id', '=', q.queueId);
    if (q.customerId) sel = sel.where('customer_id', '=', q.customerId);
    if (q.before) sel = sel.where('arrived_at', '<', q.before);
    const rows = await sel.orderBy('arrived_at', 'desc').orderBy('id', 'desc').limit(Math.min(q.limit ?? 50, 500)).execute();
    return rows.map((r) => toInteraction(r, []));
  }

  /**
   * Stores records that arrive in bulk (an import of history), each with its segments, in one
   * transaction; the counters are the records' own and `updated_at` is each record's latest
   * timestamp. A record whose id exists fails the whole call (nothing is written).
   */
  async insertMany(tenantId: string, records: readonly Interaction[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map(rowValues);
    const segments: unknown[][] = [];
    for (const i of records) for (const s of i.segments) segments.push(segmentValues(i.id, s));
    await this.#scope(tenantId).transaction(async (scope) => {
      await this.#insertRows(scope, 'interaction', ROW_COLUMNS, rows);
      await this.#insertRows(scope, 'interaction_segment', SEGMENT_COLUMNS, segments);
    });
  }

  /**
   * Records that arrived in [from, to), oldest first (by arrival, then id), each with its segments in
   * order; `limit` at a time, after the record `after` (the last of the previous page).
   */
  async arrivedBetween(tenantId: string, q: { from: string; to: string; limit: number; after?: { arrivedAt: string; id: string } | undefined }): Promise<Interaction[]> {
    const scope = this.#scope(tenantId);
    let sel = scope.selectFrom('interaction').selectAll().where('arrived_at', '>=', q.from).where('arrived_at', '<', q.to);
    const after = q.after;
    if (after) sel = sel.where((eb) => eb.or([eb('arrived_at', '>', after.arrivedAt), eb.and([eb('arrived_at', '=', after.arrivedAt), eb('id', '>', after.id)])]));
    const rows = await sel.orderBy('arrived_at').orderBy('id').limit(q.limit).execute();
    const segments = new Map<string, Segment[]>(rows.map((r) => [r.id, []]));
    const ids = [...segments.keys()];
    const size = this.#postgres ? POSTGRES_LOOKUP : SQLITE_LOOKUP;
    for (let k = 0; k < ids.length; k += size) {
      const part = ids.slice(k, k + size);
      const of = this.#postgres ? sql<boolean>`${sql.ref('interaction_id')} = any(${part}::text[])` : sql<boolean>`${sql.ref('interaction_id')} in (${sql.join(part)})`;
      for (const s of await scope.selectFrom('interaction_segment').selectAll().where(of).orderBy('interaction_id').orderBy('seq').execute()) {
        segments.get(s.interaction_id)!.push(toSegment(s));
      }
    }
    return rows.map((r) => toInteraction(r, segments.get(r.id)!));
  }

  /** Inserts rows of values (in `columns` order), each stamped with the scope's tenant. */
  async #insertRows(scope: TenantScope<InteractionTables>, table: keyof InteractionTables & string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
    if (rows.length === 0) return;
    if (this.#postgres) {
      const doc = JSON.stringify(rows.map((r) => {
        const o: Record<string, unknown> = {};
        columns.forEach((name, i) => { if (r[i] !== null) o[name] = r[i]; });
        return o;
      }));
      const names = sql.join(columns.map((c) => sql.ref(c)));
      await scope.db.insertInto(table).columns(['tenant_id', ...columns] as never)
        .expression(sql`select ${scope.tenantId}::text, ${names} from json_populate_recordset(null::${sql.table(table)}, ${doc}::json)` as never).execute();
      return;
    }
    const per = Math.max(1, Math.floor(SQLITE_VALUES_PER_STATEMENT / (columns.length + 1)));
    for (let k = 0; k < rows.length; k += per) {
      const chunk = rows.slice(k, k + per);
      const params: unknown[] = [];
      for (const r of chunk) params.push(...r, scope.tenantId);
      await scope.db.executeQuery(CompiledQuery.raw(this.#sqliteInsert(scope, table, columns, chunk.length, per), params));
    }
  }

  /** The text of a SQLite insert of `count` rows, compiled by Kysely: columns in order, then tenant_id. */
  #sqliteInsert(scope: TenantScope<InteractionTables>, table: string, names: readonly string[], count: number, per: number): string {
    const cached = count === per ? this.#chunkSql.get(table) : undefined;
    if (cached) return cached;
    const sample = Object.fromEntries(names.map((n) => [n, null]));
    const text = scope.insertInto(table as never, Array.from({ length: count }, () => sample) as never).compile().sql;
    if (count === per) this.#chunkSql.set(table, text);
    return text;
  }
}
