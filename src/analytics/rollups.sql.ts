// Analytics tables in SQLite/PostgreSQL, tenant-scoped through TenantScope; only this file names
// them (and analytics_setting, in settings.sql.ts):
// - analytics_rollup: measures per (grain '15m' | 'day', dimension, period, key), added to by upsert;
// - analytics_state_rollup: agent time per (grain, period, agent, state, reason);
// - analytics_contact: one row per rolled-up interaction (idempotence, first-contact resolution, surveys),
//   found by customer through `customerHash`; whether a contact is resolved is worked out from the
//   contacts stored, not kept;
// - analytics_agent_state: the agent state log, one row per stretch of a state;
// - analytics_survey: one survey score per interaction.
// Rollup rows and contacts are written many per statement: on PostgreSQL one `INSERT … SELECT FROM
// json_populate_recordset(…)` per batch, a JSON document of the rows read as the table's own row
// type (only the values that are not empty are sent); on SQLite multi-row `VALUES` whose text Kysely
// compiles once per row count and statement, bound chunk by chunk.
import { CompiledQuery, sql, type InsertQueryBuilder, type InsertResult, type Kysely } from 'kysely';
import { newId } from '../kernel/index.ts';
import { tables, type SqlDatabase, type SqlDialectName } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';
import type { ContactRecord, StoredDimension } from './contact-facts.ts';
import { emptyMeasures, MEASURES, type Measure, type Measures } from './measures.ts';

export const ROLLUP_GRAINS = ['15m', 'day'] as const;
export type RollupGrain = (typeof ROLLUP_GRAINS)[number];

const column = (m: Measure): string => m.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const COLUMNS = MEASURES.map(column);

type MeasureColumns = Record<string, number | string>;

interface AnalyticsTables {
  analytics_rollup: { tenant_id: string; grain: string; dimension: string; period: string; key: string } & MeasureColumns;
  analytics_state_rollup: { tenant_id: string; grain: string; period: string; agent_id: string; state: string; reason: string; ms: number | string };
  analytics_contact: {
    tenant_id: string; interaction_id: string; arrived_at: string; customer_key: string | null; customer_hash: number | string | null; inbound: number; fcr_eligible: number;
    channel: string; did: string | null; disposition: string | null; queue_id: string | null; queue_at: string | null; agent_id: string | null; agent_at: string | null;
    csat_score: number | null;
  };
  analytics_agent_state: { id: string; tenant_id: string; agent_id: string; state: string; reason: string | null; started_at: string; ended_at: string | null };
  analytics_survey: { tenant_id: string; interaction_id: string; score: number; answered_at: string };
}

export interface RollupRow {
  grain: RollupGrain;
  dimension: StoredDimension;
  period: string;
  key: string;
  measures: Measures;
}

export interface StateRow {
  grain: RollupGrain;
  period: string;
  agentId: string;
  state: string;
  /** '' when the state has no reason. */
  reason: string;
  ms: number;
}

/** A contact as kept: its record and its survey score. */
export interface StoredContact extends ContactRecord {
  csatScore: number | null;
}

/** A stored contact and whether it is resolved so far (no repeat stored), which is worked out from the contacts stored, never kept. */
export interface ResolvedContact extends StoredContact {
  fcrResolved: boolean;
}

export interface StateStretch {
  id: string;
  agentId: string;
  state: string;
  reason: string | null;
  startedAt: number;
  endedAt: number | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
const msOrNull = (s: string | null) => (s === null ? null : Date.parse(s));

/**
 * The index key contacts are found by customer with: the first 48 bits of the customer digest, as
 * an integer. Smaller than the digest and the tenant, so adding a contact touches fewer index pages;
 * a lookup compares the whole key (and the tenant) on the row.
 */
export const customerHash = (key: string): number => {
  const b = Buffer.from(key.slice(0, 8), 'base64url');
  return b.length === 0 ? 0 : b.readUIntBE(0, Math.min(6, b.length));
};

/** A column written in bulk, and what it holds when a row leaves it out: counts are 0, anything else null. */
type BulkColumn = readonly [name: string, empty: 'null' | 'zero'];

const ROLLUP_COLUMNS: readonly BulkColumn[] = [['grain', 'null'], ['dimension', 'null'], ['period', 'null'], ['key', 'null'], ...COLUMNS.map((c) => [c, 'zero'] as const)];
const CONTACT_COLUMNS: readonly BulkColumn[] = [
  'interaction_id', 'arrived_at', 'customer_key', 'customer_hash', 'inbound', 'fcr_eligible', 'channel', 'did', 'disposition', 'queue_id', 'queue_at',
  'agent_id', 'agent_at', 'csat_score',
].map((c) => [c, 'null'] as const);

const rollupValues = (r: RollupRow): unknown[] => {
  const v: unknown[] = [r.grain, r.dimension, r.period, r.key];
  for (const m of MEASURES) v.push(r.measures[m]);
  return v;
};

const contactValues = (c: StoredContact): unknown[] => [
  c.interactionId, iso(c.arrivedAt), c.customerKey, c.customerKey === null ? null : customerHash(c.customerKey), c.inbound ? 1 : 0, c.fcrEligible ? 1 : 0, c.channel, c.did, c.disposition,
  c.queueId, isoOrNull(c.queueAt), c.agentId, isoOrNull(c.agentAt), c.csatScore,
];

/** Values bound per statement on SQLite, far below its limit (32,766): larger statements bind no faster. */
const SQLITE_VALUES_PER_STATEMENT = 2000;

type AnyInsert = InsertQueryBuilder<AnalyticsTables, keyof AnalyticsTables, unknown>;

/** How a bulk statement ends (plain, or adding to the rows it meets), named so that its SQLite text is compiled once. */
interface BulkTail {
  name: string;
  apply(qb: AnyInsert): AnyInsert;
}

const SKIP_KNOWN_CONTACT: BulkTail = {
  name: 'skip-known', apply: (qb) => qb.onConflict((oc) => oc.columns(['tenant_id', 'interaction_id'] as never[]).doNothing()) as never,
};
const ADD_TO_ROLLUP: BulkTail = {
  name: 'add',
  apply: (qb) => qb.onConflict((oc) => oc.columns(['tenant_id', 'grain', 'dimension', 'period', 'key'] as never[])
    .doUpdateSet(Object.fromEntries(COLUMNS.map((c) => [c, sql`${sql.ref(`analytics_rollup.${c}`)} + ${sql.ref(`excluded.${c}`)}`])) as never)) as never,
};

/** SQLite statement texts of full chunks, by table and tail. */
const sqliteTexts = new Map<string, string>();

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const toContact = (r: AnalyticsTables['analytics_contact']): StoredContact => ({
  interactionId: r.interaction_id, arrivedAt: Date.parse(r.arrived_at), customerKey: r.customer_key, inbound: Number(r.inbound) === 1,
  fcrEligible: Number(r.fcr_eligible) === 1, channel: r.channel, did: r.did, disposition: r.disposition,
  queueId: r.queue_id, queueAt: msOrNull(r.queue_at), agentId: r.agent_id, agentAt: msOrNull(r.agent_at), csatScore: r.csat_score === null ? null : Number(r.csat_score),
});

const toStretch = (r: AnalyticsTables['analytics_agent_state']): StateStretch => ({
  id: r.id, agentId: r.agent_id, state: r.state, reason: r.reason, startedAt: Date.parse(r.started_at), endedAt: msOrNull(r.ended_at),
});

/** The analytics tables of one tenant, on the database or inside a transaction. */
export class AnalyticsScope {
  readonly #s: TenantScope<AnalyticsTables>;
  readonly #postgres: boolean;

  constructor(scope: TenantScope<AnalyticsTables>, dialect: SqlDialectName) {
    this.#s = scope;
    this.#postgres = dialect === 'postgres';
  }

  /** `column IN (values)`; on PostgreSQL one array parameter (`= ANY`), which it plans far faster than a long list. */
  #in(column: string, values: readonly string[]) {
    return this.#postgres ? sql<boolean>`${sql.ref(column)} = any(${[...values]}::text[])` : sql<boolean>`${sql.ref(column)} in (${sql.join([...values])})`;
  }

  /** `column IN (integers)`, as `#in`. */
  #inNumbers(column: string, values: readonly number[]) {
    return this.#postgres ? sql<boolean>`${sql.ref(column)} = any(${[...values]}::bigint[])` : sql<boolean>`${sql.ref(column)} in (${sql.join([...values])})`;
  }

  /**
   * Lookups per statement: SQLite's parameter limit, or one PostgreSQL array of a size it still looks
   * up by index (past some thousands it plans a scan of the whole table).
   */
  get #lookupChunk(): number {
    return this.#postgres ? 5000 : 1000;
  }

  // ---- Rollups ---------------------------------------------------------------------------------

  /** Adds each row's measures to the stored row with the same grain, dimension, period and key (creating it). */
  async addRollups(rows: readonly RollupRow[]): Promise<void> {
    await this.#write('analytics_rollup', ROLLUP_COLUMNS, rows.map(rollupValues), ADD_TO_ROLLUP);
  }

  /** Writes rows of values (in `columns` order), each stamped with the scope's tenant, many per statement; resolves with the rows written. */
  async #write(table: keyof AnalyticsTables, columns: readonly BulkColumn[], rows: readonly unknown[][], tail: BulkTail): Promise<number> {
    if (rows.length === 0) return 0;
    const names = columns.map(([name]) => name);
    if (this.#postgres) {
      const doc = JSON.stringify(rows.map((r) => {
        const o: Record<string, unknown> = {};
        columns.forEach(([name, empty], i) => { if (r[i] !== null && !(empty === 'zero' && r[i] === 0)) o[name] = r[i]; });
        return o;
      }));
      const read = columns.map(([name, empty]) => (empty === 'zero' ? sql`coalesce(${sql.ref(name)}, 0)` : sql.ref(name)));
      const insert = this.#s.db.insertInto(table).columns(['tenant_id', ...names] as never)
        .expression(sql`select ${this.#s.tenantId}::text, ${sql.join(read)} from json_populate_recordset(null::${sql.table(table)}, ${doc}::json)` as never);
      const [result] = await tail.apply(insert as unknown as AnyInsert).execute() as InsertResult[];
      return Number(result?.numInsertedOrUpdatedRows ?? 0);
    }
    let written = 0;
    const per = Math.max(1, Math.floor(SQLITE_VALUES_PER_STATEMENT / (columns.length + 1)));
    for (let k = 0; k < rows.length; k += per) {
      const chunk = rows.slice(k, k + per);
      const params: unknown[] = [];
      for (const r of chunk) params.push(...r, this.#s.tenantId);
      const id = `${table}\u0000${tail.name}\u0000${chunk.length}`;
      let text = sqliteTexts.get(id);
      if (text === undefined) {
        const sample = Object.fromEntries(names.map((n) => [n, null]));
        text = tail.apply(this.#s.insertInto(table, Array.from({ length: chunk.length }, () => sample) as never) as unknown as AnyInsert).compile().sql;
        if (chunk.length === per) sqliteTexts.set(id, text);
      }
      written += Number((await this.#s.db.executeQuery(CompiledQuery.raw(text, params))).numAffectedRows ?? 0);
    }
    return written;
  }

  async rollups(q: { grain: RollupGrain; dimension: StoredDimension; from: string; to: string; keys?: readonly string[] | undefined }): Promise<RollupRow[]> {
    let sel = this.#s.selectFrom('analytics_rollup').selectAll()
      .where('grain', '=', q.grain).where('dimension', '=', q.dimension).where('period', '>=', q.from).where('period', '<', q.to);
    if (q.keys) {
      if (q.keys.length === 0) return [];
      sel = sel.where(this.#in('key', q.keys));
    }
    const rows = await sel.execute();
    return rows.map((r) => {
      const measures = emptyMeasures();
      MEASURES.forEach((m, i) => { measures[m] = Number(r[COLUMNS[i]!]); });
      return { grain: r.grain as RollupGrain, dimension: r.dimension as StoredDimension, period: String(r.period), key: String(r.key), measures };
    });
  }

  /** Removes rollups of 15-minute periods in [fromQuarter, toQuarter) and days in [fromDay, toDay). */
  async deleteRollups(fromQuarter: string, toQuarter: string, fromDay: string, toDay: string): Promise<void> {
    await this.#s.deleteFrom('analytics_rollup').where('grain', '=', '15m').where('period', '>=', fromQuarter).where('period', '<', toQuarter).execute();
    await this.#s.deleteFrom('analytics_rollup').where('grain', '=', 'day').where('period', '>=', fromDay).where('period', '<', toDay).execute();
    await this.#s.deleteFrom('analytics_state_rollup').where('grain', '=', '15m').where('period', '>=', fromQuarter).where('period', '<', toQuarter).execute();
    await this.#s.deleteFrom('analytics_state_rollup').where('grain', '=', 'day').where('period', '>=', fromDay).where('period', '<', toDay).execute();
  }

  async addStateTime(rows: readonly StateRow[]): Promise<void> {
    for (const batch of chunks(rows, 2000)) {
      const values = batch.map((r) => ({ grain: r.grain, period: r.period, agent_id: r.agentId, state: r.state, reason: r.reason, ms: r.ms }));
      await this.#s.insertInto('analytics_state_rollup', values)
        .onConflict((oc) => oc.columns(['tenant_id', 'grain', 'period', 'agent_id', 'state', 'reason'] as never[])
          .doUpdateSet({ ms: sql`${sql.ref('analytics_state_rollup.ms')} + ${sql.ref('excluded.ms')}` } as never))
        .execute();
    }
  }

  async stateTime(q: { grain: RollupGrain; from: string; to: string; agentIds?: readonly string[] | undefined }): Promise<StateRow[]> {
    let sel = this.#s.selectFrom('analytics_state_rollup').selectAll().where('grain', '=', q.grain).where('period', '>=', q.from).where('period', '<', q.to);
    if (q.agentIds) {
      if (q.agentIds.length === 0) return [];
      sel = sel.where(this.#in('agent_id', q.agentIds));
    }
    const rows = await sel.execute();
    return rows.map((r) => ({ grain: r.grain as RollupGrain, period: r.period, agentId: r.agent_id, state: r.state, reason: r.reason, ms: Number(r.ms) }));
  }

  // ---- Contacts ----------------------------------------------------------------------------------

  async knownContacts(ids: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const batch of chunks(ids, this.#lookupChunk)) {
      const rows = await this.#s.selectFrom('analytics_contact').select('interaction_id').where(this.#in('interaction_id', batch)).execute();
      for (const r of rows) out.add(r.interaction_id);
    }
    return out;
  }

  async contact(id: string): Promise<StoredContact | undefined> {
    const r = await this.#s.selectFrom('analytics_contact').selectAll().where('interaction_id', '=', id).executeTakeFirst();
    return r ? toContact(r) : undefined;
  }

  /** Stores contacts, leaving out any already stored; resolves with how many were stored. */
  async insertContacts(rows: readonly StoredContact[]): Promise<number> {
    return this.#write('analytics_contact', CONTACT_COLUMNS, rows.map(contactValues), SKIP_KNOWN_CONTACT);
  }

  /**
   * Contacts of these customers that arrived in [from, to], whole: resolution needs their arrivals,
   * and the rows an outcome counts in of those it takes back, so no second lookup by id is needed.
   */
  async contactsOfCustomers(keys: readonly string[], from: number, to: number): Promise<StoredContact[]> {
    const out: StoredContact[] = [];
    const wanted = new Set(keys);
    for (const batch of this.#hashChunks(wanted)) {
      const rows = await this.#byCustomer().selectAll()
        .where(this.#inNumbers('customer_hash', batch)).where('arrived_at', '>=', iso(from)).where('arrived_at', '<=', iso(to)).execute();
      for (const r of rows) if (r.customer_key !== null && wanted.has(r.customer_key)) out.push(toContact(r));
    }
    return out;
  }

  /**
   * The tenant's contacts, to be found by customer hash: the tenant is compared as `tenant_id || ''`,
   * which no index serves, so that the planner looks the hashes up in their index rather than
   * scanning the tenant's arrivals (SQLite has no statistics to tell them apart).
   */
  #byCustomer() {
    return this.#s.db.selectFrom('analytics_contact').where(sql`${sql.ref('tenant_id')} || ''`, '=', this.#s.tenantId);
  }

  /** The customers' hashes, a statement's worth at a time; rows found by them are kept only when their whole key is one of the customers'. */
  #hashChunks(keys: ReadonlySet<string>): number[][] {
    return chunks([...new Set(Array.from(keys, customerHash))], this.#lookupChunk);
  }

  /** Contacts that arrived in [from, to), in arrival order, `limit` at a time after `after`. */
  async contactsArrived(from: number, to: number, limit: number, after?: { arrivedAt: number; interactionId: string }): Promise<StoredContact[]> {
    let sel = this.#s.selectFrom('analytics_contact').selectAll().where('arrived_at', '>=', iso(from)).where('arrived_at', '<', iso(to));
    if (after) {
      const at = iso(after.arrivedAt);
      sel = sel.where((eb) => eb.or([eb('arrived_at', '>', at), eb.and([eb('arrived_at', '=', at), eb('interaction_id', '>', after.interactionId)])]));
    }
    const rows = await sel.orderBy('arrived_at').orderBy('interaction_id').limit(limit).execute();
    return rows.map(toContact);
  }

  async deleteContactsArrived(from: number, to: number): Promise<void> {
    await this.#s.deleteFrom('analytics_contact').where('arrived_at', '>=', iso(from)).where('arrived_at', '<', iso(to)).execute();
  }

  /** The customer's data was erased: their contacts no longer match anyone for resolution. */
  async forgetCustomer(customerKey: string): Promise<void> {
    await this.#s.updateTable('analytics_contact').set({ customer_key: null, customer_hash: null })
      .where('customer_hash', '=', customerHash(customerKey)).where('customer_key', '=', customerKey).execute();
  }

  async setCsat(id: string, score: number): Promise<void> {
    await this.#s.updateTable('analytics_contact').set({ csat_score: score }).where('interaction_id', '=', id).execute();
  }

  // ---- Surveys -----------------------------------------------------------------------------------

  /** Stores a score; false when the interaction already has one. */
  async insertSurvey(interactionId: string, score: number, at: string): Promise<boolean> {
    const rows = await this.#s.insertInto('analytics_survey', { interaction_id: interactionId, score, answered_at: at })
      .onConflict((oc) => oc.columns(['tenant_id', 'interaction_id'] as never[]).doNothing()).returning('interaction_id' as never).execute();
    return rows.length === 1;
  }

  async surveys(ids: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const batch of chunks(ids, this.#lookupChunk)) {
      const rows = await this.#s.selectFrom('analytics_survey').select(['interaction_id', 'score']).where(this.#in('interaction_id', batch)).execute();
      for (const r of rows) out.set(r.interaction_id, Number(r.score));
    }
    return out;
  }

  // ---- Agent state log ---------------------------------------------------------------------------------

  async openStretch(agentId: string): Promise<StateStretch | undefined> {
    const r = await this.#s.selectFrom('analytics_agent_state').selectAll().where('agent_id', '=', agentId).where('ended_at', 'is', null)
      .orderBy('started_at', 'desc').executeTakeFirst();
    return r ? toStretch(r) : undefined;
  }

  async openStretches(): Promise<StateStretch[]> {
    return (await this.#s.selectFrom('analytics_agent_state').selectAll().where('ended_at', 'is', null).execute()).map(toStretch);
  }

  async endStretch(id: string, at: number): Promise<void> {
    await this.#s.updateTable('analytics_agent_state').set({ ended_at: iso(at) }).where('id', '=', id).execute();
  }

  async startStretch(agentId: string, state: string, reason: string | null, at: number): Promise<void> {
    await this.#s.insertInto('analytics_agent_state', { id: newId(), agent_id: agentId, state, reason, started_at: iso(at), ended_at: null }).execute();
  }

  /** Ended stretches that overlap [from, to). */
  async endedStretches(from: number, to: number): Promise<StateStretch[]> {
    const rows = await this.#s.selectFrom('analytics_agent_state').selectAll()
      .where('started_at', '<', iso(to)).where('ended_at', 'is not', null).where('ended_at', '>', iso(from)).execute();
    return rows.map(toStretch);
  }
}

export class RollupStore {
  readonly #db: Kysely<AnalyticsTables>;
  readonly #dialect: SqlDialectName;

  constructor(db: SqlDatabase, dialect: SqlDialectName) {
    this.#db = tables<AnalyticsTables>(db);
    this.#dialect = dialect;
  }

  scope(tenantId: string): AnalyticsScope {
    return new AnalyticsScope(new TenantScope(this.#db, tenantId), this.#dialect);
  }

  /** Runs `fn` in one transaction; every query inside must go through the scope it is given. */
  transaction<R>(tenantId: string, fn: (scope: AnalyticsScope) => Promise<R>): Promise<R> {
    return new TenantScope(this.#db, tenantId).transaction((s) => fn(new AnalyticsScope(s, this.#dialect)));
  }
}
