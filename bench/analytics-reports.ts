// Historical reports on a month of contacts: N seeded interaction records (default 10 million over
// 30 days, 200 queues, 1,000 agents, in America/New_York so the month holds a DST change) are
// loaded in bulk into SQLite (a file) and PostgreSQL (a schema of its own, dropped afterwards), a
// batch at a time: the raw records by `InteractionStore.insertMany`, their rollups by
// `RollupWriter.apply` (the same rows as rolling each up when it closes); then the standard reports
// run from the rollups on both databases, and DuckDB computes the same aggregations straight from
// the same raw rows as the reference: every figure must be equal.
// Prints the ingestion rates (raw rows, rollups, both), where ingestion's time goes (each kind of
// statement's time per record, and each part's time outside statements), each report's time on
// each database and the ratios. Targets: a 1-day report ≤ 500 ms and a 30-day report ≤ 2 s on
// both databases; ingestion ≥ 50,000 records/s. Figures only, no limits.
// On SQLite (one connection) a batch's raw rows are written, then its rollups; on PostgreSQL both
// at once on two connections, so "both" is the time until the later of the two is done.
// With `--segments memory` (the default) raw records are interaction rows and their segments
// (queue, offer, talk, hold, wrap-up) exist in memory only, where the writer reads them, since the
// reports never read raw records; `--segments stored` stores the segments too, as an import does.
// Run: node bench/analytics-reports.ts [--records 10000000 --days 30 --queues 200 --agents 1000
//      --batch 100000 --seed 1 --dialects sqlite,postgres --segments memory|stored
//      --database-url postgres://root@127.0.0.1:5432/test --runs 3]
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { Reports, RollupStore, RollupWriter, type Dimension, type Grain, type ReportRow, type WriterContext } from '../src/analytics/index.ts';
import { SettingsStore } from '../src/analytics/settings.sql.ts';
import { InteractionStore, type Interaction, type Segment } from '../src/interactions/index.ts';
import { silentLogger, systemClock } from '../src/kernel/index.ts';
import type { Storage } from '../src/storage/index.ts';
import { TenantStore } from '../src/tenancy/index.ts';
import { openBenchStorage } from './support/storage.ts';
import { integerFlag } from './support/flags.ts';

const { values: flags } = parseArgs({
  options: {
    records: { type: 'string', default: '10000000' },
    days: { type: 'string', default: '30' },
    queues: { type: 'string', default: '200' },
    agents: { type: 'string', default: '1000' },
    batch: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    segments: { type: 'string', default: 'memory' },
    'database-url': { type: 'string', default: 'postgres://root@127.0.0.1:5432/test' },
  },
});
const num = (name: 'records' | 'days' | 'queues' | 'agents' | 'batch' | 'seed' | 'runs'): number => integerFlag(name, flags[name]);
const N = num('records');
const DAYS = num('days');
const QUEUES = num('queues');
const AGENTS = num('agents');
const BATCH = num('batch');
const RUNS = num('runs');
const DIALECTS = flags.dialects.split(',').map((d) => d.trim()) as ('sqlite' | 'postgres')[];
if (flags.segments !== 'stored' && flags.segments !== 'memory') throw new Error('--segments must be stored or memory');
/** Whether the raw records are stored with their segments, or as interaction rows only (the writer always reads them whole). */
const SEGMENTS = flags.segments === 'stored';

const ZONE = 'America/New_York';
/** 2026-03-01 00:00 EST; the month holds the change to EDT on the 8th. */
const START = Date.UTC(2026, 2, 1, 5);
const SPAN = DAYS * 86_400_000;
const DATE = (d: number) => new Date(Date.UTC(2026, 2, 1 + d)).toISOString().slice(0, 10);
const LAST_DAY = DATE(DAYS - 1);
const ONE_DAY = DATE(Math.min(9, DAYS - 1));
const T_OF = [20, 30, 60];
const QUEUE_LIST = Array.from({ length: QUEUES }, (_, q) => ({ id: `q${q}`, name: `Queue ${q}`, settings: { serviceLevelSeconds: T_OF[q % 3]! } }));
const DISPOSITIONS = ['sale', 'support', 'billing', 'complaint', 'info', 'callback', 'cancel', 'upgrade', 'order', 'other'];

// ---- The records ------------------------------------------------------------------------------

const rng = xoroshiro128plus(num('seed'));
const int = (min: number, max: number) => uniformInt(rng, min, max);
const iso = (ms: number) => new Date(ms).toISOString();
/** An id shaped and ordered as `newId`'s (a version 7 UUID of the arrival time, RFC 9562 §5.7), with the record's number for its random bits so runs repeat. */
const idOf = (arrived: number, i: number) => {
  const t = arrived.toString(16).padStart(12, '0');
  const r = i.toString(16).padStart(15, '0');
  return `${t.slice(0, 8)}-${t.slice(8)}-7${r.slice(0, 3)}-8${r.slice(3, 6)}-${r.slice(6).padStart(12, '0')}`;
};

/** One seeded contact: 3% self-service, 12% abandoned, 5% overflowed to voicemail, 80% answered. */
function contact(i: number): Interaction {
  const arrived = START + Math.floor((i * SPAN) / N) + int(0, Math.max(0, Math.floor(SPAN / N) - 1));
  const kind = int(0, 99);
  const ivr = int(5, 30) * 1000;
  const queued = arrived + ivr;
  const q = int(0, QUEUES - 1);
  const queueId = `q${q}`;
  const agentId = `a${int(0, AGENTS - 1)}`;
  const customer = `+1212${String(int(0, Math.max(1, Math.floor(N / 4)))).padStart(8, '0')}`;
  const did = `800${int(0, 19)}`;
  const segments: Segment[] = [];
  const seg = (kind: Segment['kind'], from: number, to: number, p: Partial<Segment> = {}) => {
    segments.push({ seq: segments.length + 1, kind, agentId: null, queueId: null, startedAt: iso(from), endedAt: iso(to), outcome: null, data: null, ...p });
  };
  const base: Interaction = {
    id: idOf(arrived, i), channel: 'voice', direction: 'inbound', customerAddress: customer, customerId: null, dialled: did, flowId: 'flow', language: 'en',
    queueId: null, agentId: null, arrivedAt: iso(arrived), ivrEnteredAt: iso(arrived), ivrLeftAt: iso(queued), queuedAt: null, firstOfferedAt: null,
    answeredAt: null, endedAt: null, wrapUpEndedAt: null, outcome: null, endedBy: 'customer', offers: 0, transfers: 0, holds: 0, holdMs: 0,
    disposition: null, notes: null, recordingId: null, ivrPath: [], segments,
  };
  if (kind < 3) {
    seg('ivr', arrived, queued, { outcome: 'hangup' });
    return { ...base, endedAt: iso(queued), outcome: 'self-service', endedBy: 'system' };
  }
  seg('ivr', arrived, queued, { outcome: 'queue' });
  if (kind < 15) {
    const wait = int(0, 120_000);
    seg('queue', queued, queued + wait, { queueId, outcome: 'abandoned' });
    return { ...base, queueId, queuedAt: iso(queued), endedAt: iso(queued + wait), outcome: 'abandoned' };
  }
  if (kind < 20) {
    const wait = 300_000;
    seg('queue', queued, queued + wait, { queueId, outcome: 'overflow:voicemail' });
    seg('voicemail', queued + wait, queued + wait + 30_000, { outcome: 'recorded' });
    return { ...base, queueId, queuedAt: iso(queued), endedAt: iso(queued + wait + 30_000), outcome: 'voicemail' };
  }
  const wait = int(0, 90_000);
  const answered = queued + wait;
  const offered = Math.max(queued, answered - int(1000, 10_000));
  const talk = int(30, 600) * 1000;
  const ended = answered + talk;
  // A hold starts 10 s into the talk and ends before it does.
  const holdMs = talk >= 80_000 && int(0, 4) === 0 ? int(10, 60) * 1000 : 0;
  const wrapEnd = ended + int(0, 60) * 1000;
  const disposition = int(0, 9) === 0 ? null : DISPOSITIONS[int(0, DISPOSITIONS.length - 1)]!;
  seg('queue', queued, answered, { queueId, outcome: 'answered' });
  seg('offer', offered, answered, { agentId, queueId, outcome: 'accepted' });
  seg('talk', answered, ended, { agentId, outcome: 'ended-by-customer' });
  if (holdMs) seg('hold', answered + 10_000, answered + 10_000 + holdMs, { agentId, outcome: 'resumed' });
  seg('wrap-up', ended, wrapEnd, { agentId, outcome: disposition });
  return {
    ...base, queueId, agentId, queuedAt: iso(queued), firstOfferedAt: iso(offered), answeredAt: iso(answered), endedAt: iso(ended), wrapUpEndedAt: iso(wrapEnd),
    outcome: 'answered', offers: 1, holds: holdMs ? 1 : 0, holdMs, disposition,
  };
}

// ---- Targets ------------------------------------------------------------------------------------

interface Target {
  name: string;
  storage: Storage;
  tenantId: string;
  interactions: InteractionStore;
  writer: RollupWriter;
  reports: Reports;
  context: WriterContext;
  rawMs: number;
  rollupMs: number;
  bothMs: number;
  /** Statements run while ingesting, by part and kind: calls and ms. */
  statements: Map<string, { part: Part; kind: string; calls: number; ms: number }>;
  cleanup(): Promise<void>;
}

type Part = 'raw rows' | 'rollups';
/** Which part of ingestion the running code is in; statements run outside ingestion are not counted. */
const ingesting = new AsyncLocalStorage<Part>();

/** A statement's kind: its verb and table (`insert analytics_contact`), else its first word (`begin`, `commit`). */
function statementKind(text: string): string {
  const m = /^\s*(insert into|select\b[\s\S]*?\bfrom|update|delete from)\s+"?(\w+)"?/i.exec(text);
  return m ? `${m[1]!.split(/\s/)[0]!.toLowerCase()} ${m[2]}` : (text.trim().split(/\s/)[0] ?? '').toLowerCase();
}

async function openTarget(dialect: 'sqlite' | 'postgres'): Promise<Target> {
  const statements: Target['statements'] = new Map();
  const { storage, cleanup } = await openBenchStorage(dialect, 'analytics', flags['database-url'], (text, ms) => {
    const part = ingesting.getStore();
    if (!part) return;
    const kind = statementKind(text);
    const id = `${part}\u0000${kind}`;
    const s = statements.get(id);
    if (s) { s.calls++; s.ms += ms; } else statements.set(id, { part, kind, calls: 1, ms });
  });
  const tenantId = (await new TenantStore(storage.db).create({ slug: 'bench', name: 'Bench', timeZone: ZONE }, new Date(START))).id;
  const rollups = new RollupStore(storage.db, storage.dialect);
  const settings = new SettingsStore(storage.db);
  const queues = { queues: async () => QUEUE_LIST };
  const none = () => Promise.reject(new Error('the bench reads no raw record back'));
  const writer = new RollupWriter({
    store: rollups, settings, queues, timeZoneOf: async () => ZONE, clock: systemClock, log: silentLogger,
    interactions: { get: none, exists: none, list: none, arrivedBetween: none },
  });
  const reports = new Reports({
    rollups, settings, timeZoneOf: async () => ZONE, clock: { now: () => START + SPAN, setTimeout: systemClock.setTimeout },
    directory: { queues: queues.queues, listUsers: async () => [], listTeams: async () => [] },
  });
  const interactions = new InteractionStore(storage.db);
  return { name: dialect, storage, tenantId, interactions, writer, reports, context: await writer.context(tenantId), rawMs: 0, rollupMs: 0, bothMs: 0, statements, cleanup };
}

// ---- DuckDB, the reference ------------------------------------------------------------------------

async function openDuck(): Promise<{ conn: DuckDBConnection; appender: DuckDBAppender; ms: number }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(`CREATE TABLE interaction (
    id VARCHAR, arrived BIGINT, queue_id VARCHAR, agent_id VARCHAR, queued BIGINT, offered BIGINT, answered BIGINT, ended BIGINT,
    wrap_end BIGINT, outcome VARCHAR, hold_ms BIGINT, disposition VARCHAR, dialled VARCHAR)`);
  await conn.run(`CREATE TABLE queue_setting (queue_id VARCHAR, t_ms BIGINT)`);
  for (const q of QUEUE_LIST) await conn.run(`INSERT INTO queue_setting VALUES ('${q.id}', ${q.settings.serviceLevelSeconds * 1000})`);
  return { conn, appender: await conn.createAppender('interaction'), ms: 0 };
}

const msOf = (s: string | null) => (s === null ? null : Date.parse(s));

function appendDuck(appender: DuckDBAppender, batch: readonly Interaction[]): void {
  const v = (x: string | null) => (x === null ? appender.appendNull() : appender.appendVarchar(x));
  const n = (x: number | null) => (x === null ? appender.appendNull() : appender.appendBigInt(BigInt(x)));
  for (const i of batch) {
    v(i.id); n(msOf(i.arrivedAt)); v(i.queueId); v(i.agentId); n(msOf(i.queuedAt)); n(msOf(i.firstOfferedAt)); n(msOf(i.answeredAt)); n(msOf(i.endedAt));
    n(msOf(i.wrapUpEndedAt)); v(i.outcome); n(i.holdMs); v(i.disposition); v(i.dialled);
    appender.endRow();
  }
}

/** A local date label of an instant (epoch ms column), computed by DuckDB's own time zone rules (ICU). */
const localDay = (col: string) => `strftime((make_timestamptz(${col} * 1000) AT TIME ZONE '${ZONE}')::DATE, '%Y-%m-%d')`;
const localWeek = (col: string) => `strftime(date_trunc('week', (make_timestamptz(${col} * 1000) AT TIME ZONE '${ZONE}')::DATE), '%Y-%m-%d')`;

/** The KPIs of the standard reports, straight from the raw rows, by their definitions (kpi.ts). */
function referenceSql(by: 'queue' | 'agent', period: string, from: string, to: string): string {
  if (by === 'queue') {
    return `WITH f AS (
      SELECT i.queue_id AS key, i.queued AS anchor, i.outcome,
        CASE WHEN i.outcome = 'answered' THEN i.answered - i.queued WHEN i.outcome = 'abandoned' THEN i.ended - i.queued END AS wait,
        s.t_ms, i.ended - i.answered - i.hold_ms AS talk, i.hold_ms, i.wrap_end - i.ended AS wrap
      FROM interaction i JOIN queue_setting s ON s.queue_id = i.queue_id WHERE i.queue_id IS NOT NULL),
    g AS (
      SELECT ${period} AS period, key,
        count(*) AS entered,
        count(*) FILTER (WHERE outcome = 'answered') AS answered,
        count(*) FILTER (WHERE outcome = 'answered' AND wait <= t_ms) AS answered_in_sl,
        count(*) FILTER (WHERE outcome = 'abandoned' AND wait >= 5000) AS abandoned,
        count(*) FILTER (WHERE outcome = 'abandoned' AND wait < 5000) AS short_abandoned,
        count(*) FILTER (WHERE outcome = 'voicemail') AS overflowed,
        coalesce(sum(wait) FILTER (WHERE outcome = 'answered'), 0) AS wait_answered,
        coalesce(sum(talk) FILTER (WHERE outcome = 'answered'), 0) AS talk,
        coalesce(sum(hold_ms) FILTER (WHERE outcome = 'answered'), 0) AS hold,
        coalesce(sum(wrap) FILTER (WHERE outcome = 'answered'), 0) AS wrap
      FROM f WHERE anchor >= ${from} AND anchor < ${to} GROUP BY 1, 2)
    SELECT period, key, entered - short_abandoned - overflowed AS offered, answered, answered_in_sl, abandoned, short_abandoned, overflowed, answered AS handled,
      CASE WHEN answered + abandoned > 0 THEN answered_in_sl::DOUBLE / (answered + abandoned) END AS service_level,
      CASE WHEN answered > 0 THEN wait_answered::DOUBLE / answered / 1000 END AS asa,
      CASE WHEN answered > 0 THEN (talk + hold + wrap)::DOUBLE / answered / 1000 END AS aht,
      talk::DOUBLE / 1000 AS talk_s, hold::DOUBLE / 1000 AS hold_s, wrap::DOUBLE / 1000 AS wrap_s
    FROM g`;
  }
  return `WITH f AS (
      SELECT agent_id AS key, offered AS anchor, ended - answered - hold_ms AS talk, hold_ms, wrap_end - ended AS wrap FROM interaction WHERE agent_id IS NOT NULL),
    g AS (SELECT ${period} AS period, key, count(*) AS handled, sum(talk) AS talk, sum(hold_ms) AS hold, sum(wrap) AS wrap FROM f WHERE anchor >= ${from} AND anchor < ${to} GROUP BY 1, 2)
    SELECT period, key, handled, handled AS offers, handled AS offers_accepted, (talk + hold + wrap)::DOUBLE / handled / 1000 AS aht,
      talk::DOUBLE / 1000 AS talk_s, hold::DOUBLE / 1000 AS hold_s, wrap::DOUBLE / 1000 AS wrap_s
    FROM g`;
}

const QUEUE_FIELDS: [keyof ReportRow, string][] = [
  ['offered', 'offered'], ['answered', 'answered'], ['answeredInSl', 'answered_in_sl'], ['abandoned', 'abandoned'], ['shortAbandoned', 'short_abandoned'],
  ['overflowed', 'overflowed'], ['handled', 'handled'], ['serviceLevel', 'service_level'], ['asaSeconds', 'asa'], ['ahtSeconds', 'aht'],
  ['talkSeconds', 'talk_s'], ['holdSeconds', 'hold_s'], ['wrapUpSeconds', 'wrap_s'],
];
const AGENT_FIELDS: [keyof ReportRow, string][] = [
  ['handled', 'handled'], ['offers', 'offers'], ['offersAccepted', 'offers_accepted'], ['ahtSeconds', 'aht'], ['talkSeconds', 'talk_s'], ['holdSeconds', 'hold_s'], ['wrapUpSeconds', 'wrap_s'],
];

interface StandardReport {
  name: string;
  days: number;
  query: { by: Dimension; grain: Grain; intervalMinutes?: 15; from: string; to: string };
  /** The DuckDB period expression over the anchor column `anchor`, and how a report row names its period. */
  reference: { period: string; rowPeriod: (r: ReportRow) => string };
}

const dayBounds = (from: string, to: string) => {
  const start = `(epoch_ms(TIMESTAMPTZ '${from} 00:00:00 ${ZONE}'))`;
  const end = `(epoch_ms(TIMESTAMPTZ '${to} 00:00:00 ${ZONE}' + INTERVAL 1 DAY))`;
  return { start, end };
};

const STANDARD: StandardReport[] = [
  { name: '1 day, 15-minute intervals, by queue', days: 1, query: { by: 'queue', grain: 'interval', intervalMinutes: 15, from: ONE_DAY, to: ONE_DAY }, reference: { period: 'CAST(floor(anchor / 900000) AS BIGINT) * 900000', rowPeriod: (r) => String(Date.parse(r.periodStart)) } },
  { name: '1 day, daily, by agent', days: 1, query: { by: 'agent', grain: 'day', from: ONE_DAY, to: ONE_DAY }, reference: { period: localDay('anchor'), rowPeriod: (r) => r.period } },
  { name: `${DAYS} days, daily, by queue`, days: DAYS, query: { by: 'queue', grain: 'day', from: DATE(0), to: LAST_DAY }, reference: { period: localDay('anchor'), rowPeriod: (r) => r.period } },
  { name: `${DAYS} days, daily, by agent`, days: DAYS, query: { by: 'agent', grain: 'day', from: DATE(0), to: LAST_DAY }, reference: { period: localDay('anchor'), rowPeriod: (r) => r.period } },
  { name: `${DAYS} days, weekly, by queue`, days: DAYS, query: { by: 'queue', grain: 'week', from: DATE(0), to: LAST_DAY }, reference: { period: localWeek('anchor'), rowPeriod: (r) => r.period } },
];

async function reference(conn: DuckDBConnection, s: StandardReport): Promise<{ rows: Map<string, Record<string, unknown>>; ms: number }> {
  const { start, end } = dayBounds(s.query.from, s.query.to);
  const t0 = performance.now();
  const reader = await conn.runAndReadAll(referenceSql(s.query.by as 'queue' | 'agent', s.reference.period, start, end));
  const ms = performance.now() - t0;
  const rows = new Map<string, Record<string, unknown>>();
  for (const r of reader.getRowObjectsJS()) rows.set(`${String(r['period'])}|${String(r['key'])}`, r as Record<string, unknown>);
  return { rows, ms };
}

function compare(s: StandardReport, rows: readonly ReportRow[], ref: Map<string, Record<string, unknown>>, where: string): void {
  const fields = s.query.by === 'queue' ? QUEUE_FIELDS : AGENT_FIELDS;
  if (rows.length !== ref.size) throw new Error(`${where} ${s.name}: ${rows.length} rows, the reference has ${ref.size}`);
  for (const r of rows) {
    const id = `${s.reference.rowPeriod(r)}|${r.key}`;
    const want = ref.get(id);
    if (!want) throw new Error(`${where} ${s.name}: row ${id} is not in the reference`);
    for (const [ours, theirs] of fields) {
      const a = r[ours] ?? null;
      const b = want[theirs] === null || want[theirs] === undefined ? null : Number(want[theirs]);
      if (a !== b) throw new Error(`${where} ${s.name}, ${id}: ${ours} = ${a}, the reference says ${b}`);
    }
  }
}

// ---- Run ----------------------------------------------------------------------------------------

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const targets: Target[] = [];
for (const d of DIALECTS) targets.push(await openTarget(d));
const duck = await openDuck();
console.log(`analytics reports: ${fmt(N)} records over ${DAYS} days, ${QUEUES} queues, ${AGENTS} agents, batches of ${fmt(BATCH)}, ${ZONE}, segments ${SEGMENTS ? 'stored' : 'in memory'}; ${targets.map((t) => t.name).join(' and ')}, DuckDB as the reference`);

/** What `work` resolves with, and how long it took (ms). */
async function timed<R>(work: () => Promise<R>): Promise<[R, number]> {
  const t0 = performance.now();
  const r = await work();
  return [r, performance.now() - t0];
}

const genStart = performance.now();
let genMs = 0;
for (let i = 0; i < N; i += BATCH) {
  const g0 = performance.now();
  const batch: Interaction[] = [];
  for (let k = i; k < Math.min(N, i + BATCH); k++) batch.push(contact(k));
  genMs += performance.now() - g0;
  const raw = SEGMENTS ? batch : batch.map((r) => ({ ...r, segments: [] }));
  for (const t of targets) {
    // The raw rows and the rollups of a batch are independent writes, each its own transaction.
    const rawRows = () => ingesting.run('raw rows', () => timed(() => t.interactions.insertMany(t.tenantId, raw)));
    const rollups = () => ingesting.run('rollups', () => timed(() => t.writer.apply(t.tenantId, batch, t.context)));
    const r0 = performance.now();
    const [[, rawMs], [added, rollupMs]] = t.storage.dialect === 'postgres'
      ? await Promise.all([rawRows(), rollups()])
      : [await rawRows(), await rollups()];
    t.bothMs += performance.now() - r0;
    t.rawMs += rawMs;
    t.rollupMs += rollupMs;
    if (added !== batch.length) throw new Error(`${t.name}: ${added} of ${batch.length} records rolled up`);
  }
  const d0 = performance.now();
  appendDuck(duck.appender, batch);
  duck.ms += performance.now() - d0;
  if ((i + BATCH) % 1_000_000 < BATCH && i + BATCH < N) {
    const done = i + batch.length;
    console.log(`  ${fmt(done)} records, ${fmt((performance.now() - genStart) / 1000, 1)} s: ${targets.map((t) => `${t.name} ${fmt(done / (t.bothMs / 1000))}/s`).join(', ')}`);
  }
}
const d0 = performance.now();
duck.appender.closeSync();
duck.ms += performance.now() - d0;

console.log('\ningestion (records per second; generating them took %s s)', fmt(genMs / 1000, 1));
console.log(`| database | raw rows${SEGMENTS ? ' and segments' : ''} (insertMany) | rollups (apply, batches) | both | target ≥ 50,000/s |`);
console.log('| --- | --- | --- | --- | --- |');
for (const t of targets) {
  const both = N / (t.bothMs / 1000);
  console.log(`| ${t.name} | ${fmt(N / (t.rawMs / 1000))} | ${fmt(N / (t.rollupMs / 1000))} | ${fmt(both)} | ${both >= 50_000 ? 'met' : 'missed'} |`);
}
console.log(`| DuckDB (appender, reference only) | ${fmt(N / (duck.ms / 1000))} | — | — | — |`);

const perRecord = (ms: number) => fmt((ms * 1000) / N, 1);
for (const t of targets) {
  const overlap = t.storage.dialect === 'postgres' ? '; the parts run at once, so a statement\'s time includes waiting for the other part\'s JavaScript' : '';
  console.log(`\nwhere ingestion's time goes on ${t.name} (µs per record; each statement timed from the driver's call to its answer${overlap})`);
  console.log('| part | statement | calls | µs per record |');
  console.log('| --- | --- | --- | --- |');
  for (const part of ['raw rows', 'rollups'] as const) {
    const rows = [...t.statements.values()].filter((s) => s.part === part).sort((a, b) => b.ms - a.ms);
    for (const s of rows) console.log(`| ${part} | ${s.kind} | ${fmt(s.calls)} | ${perRecord(s.ms)} |`);
    const inStatements = rows.reduce((sum, s) => sum + s.ms, 0);
    const partMs = part === 'raw rows' ? t.rawMs : t.rollupMs;
    console.log(`| ${part} | all statements | ${fmt(rows.reduce((sum, s) => sum + s.calls, 0))} | ${perRecord(inStatements)} |`);
    console.log(`| ${part} | outside statements (JavaScript, the driver) | — | ${perRecord(partMs - inStatements)} |`);
  }
}

console.log(`\nreports (median of ${RUNS} runs; each compared with DuckDB over the raw rows)`);
console.log(`| report | ${targets.map((t) => t.name).join(' | ')} | DuckDB | ${targets.map((t) => `${t.name} / DuckDB`).join(' | ')} | target |`);
console.log(`| --- | ${targets.map(() => '---').join(' | ')} | --- | ${targets.map(() => '---').join(' | ')} | --- |`);
let failed = false;
for (const s of STANDARD) {
  const ref = await reference(duck.conn, s);
  const refMs = [ref.ms];
  for (let k = 1; k < RUNS; k++) refMs.push((await reference(duck.conn, s)).ms);
  const limit = s.days === 1 ? 500 : 2000;
  const cells: string[] = [];
  const ratios: string[] = [];
  let met = true;
  for (const t of targets) {
    const times: number[] = [];
    let rows: ReportRow[] = [];
    for (let k = 0; k < RUNS; k++) {
      const t0 = performance.now();
      rows = (await t.reports.report(t.tenantId, s.query)).rows;
      times.push(performance.now() - t0);
    }
    try {
      compare(s, rows, ref.rows, t.name);
    } catch (err) {
      failed = true;
      console.error(`MISMATCH ${(err as Error).message}`);
    }
    const m = median(times);
    if (m > limit) met = false;
    cells.push(`${fmt(m, 1)} ms (${fmt(rows.length)} rows)`);
    ratios.push(`${fmt(m / median(refMs), 2)}×`);
  }
  console.log(`| ${s.name} | ${cells.join(' | ')} | ${fmt(median(refMs), 1)} ms | ${ratios.join(' | ')} | ≤ ${fmt(limit)} ms ${met ? 'met' : 'missed'} |`);
}
console.log(failed ? '\nresults DIFFER from the reference' : '\nevery report equals the DuckDB reference');
for (const t of targets) await t.cleanup();
duck.conn.closeSync();
process.exitCode = failed ? 1 : 0;
