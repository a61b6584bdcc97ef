// Analytics: the live wallboard, historical reports (JSON or CSV) read from rollups, agent state
// time, the KPI settings, rebuilding rollups from raw records, and survey scores (src/analytics).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  AGENT_STATE_NAMES, agentStatesCsv, DIMENSIONS, GRAINS, INTERVAL_MINUTES, REPORT_COLUMNS, reportCsv, SETTINGS_SCHEMA,
  type Analytics, type Dimension, type Grain, type IntervalMinutes, type SettingsInput,
} from '../../analytics/index.ts';
import { principalOf } from '../auth-hook.ts';
import { requires } from '../fastify-types.ts';
import { idParams } from '../schemas.ts';

const tenant = (req: FastifyRequest) => principalOf(req).tenantId;

const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a local date of the workspace\'s time zone, YYYY-MM-DD' } as const;
const nullableNumber = { type: ['number', 'null'] } as const;

const todaySchema = {
  type: 'object',
  required: ['date', 'offered', 'answered', 'abandoned', 'shortAbandoned', 'overflowed', 'handled', 'serviceLevel', 'answerRate', 'abandonRate', 'asaSeconds', 'ahtSeconds'],
  properties: {
    date: { type: 'string' }, offered: { type: 'integer' }, answered: { type: 'integer' }, abandoned: { type: 'integer' }, shortAbandoned: { type: 'integer' },
    overflowed: { type: 'integer' }, handled: { type: 'integer' }, serviceLevel: nullableNumber, answerRate: nullableNumber, abandonRate: nullableNumber,
    asaSeconds: nullableNumber, ahtSeconds: nullableNumber,
  },
} as const;
const queueBoardSchema = {
  type: 'object',
  required: ['queueId', 'name', 'serviceLevelSeconds', 'waiting', 'longestWaitMs', 'agentsByState', 'today'],
  properties: {
    queueId: { type: 'string' }, name: { type: 'string' }, serviceLevelSeconds: { type: 'integer' }, waiting: { type: 'integer' }, longestWaitMs: { type: 'integer' },
    agentsByState: { type: 'object', required: [...AGENT_STATE_NAMES], properties: Object.fromEntries(AGENT_STATE_NAMES.map((s) => [s, { type: 'integer' }])) },
    today: todaySchema,
  },
} as const;
const agentBoardSchema = {
  type: 'object', required: ['agentId', 'displayName', 'state', 'reason', 'stateSince', 'contactId'],
  properties: {
    agentId: { type: 'string' }, displayName: { type: 'string' }, state: { type: 'string' }, reason: { type: ['string', 'null'] },
    stateSince: { type: 'string' }, contactId: { type: ['string', 'null'] },
  },
} as const;

const TEXT_COLUMNS = new Set(['periodStart', 'period', 'key', 'name']);
const reportRowSchema = {
  type: 'object',
  required: [...REPORT_COLUMNS],
  properties: Object.fromEntries(REPORT_COLUMNS.map((c) => [c, TEXT_COLUMNS.has(c) ? { type: 'string' } : nullableNumber])),
} as const;
const periodSchema = { type: 'object', required: ['start', 'label'], properties: { start: { type: 'string' }, label: { type: 'string' } } } as const;
const reportSchema = {
  type: 'object',
  required: ['by', 'grain', 'intervalMinutes', 'timeZone', 'from', 'to', 'periods', 'rows', 'totals'],
  properties: {
    by: { type: 'string' }, grain: { type: 'string' }, intervalMinutes: { type: ['integer', 'null'] }, timeZone: { type: 'string' },
    from: { type: 'string' }, to: { type: 'string' }, periods: { type: 'array', items: periodSchema },
    rows: { type: 'array', items: reportRowSchema }, totals: { type: 'array', items: reportRowSchema },
  },
} as const;
const stateRowSchema = {
  type: 'object', required: ['periodStart', 'period', 'agentId', 'name', 'state', 'reason', 'seconds'],
  properties: {
    periodStart: { type: 'string' }, period: { type: 'string' }, agentId: { type: 'string' }, name: { type: 'string' }, state: { type: 'string' },
    reason: { type: 'string' }, seconds: { type: 'number' },
  },
} as const;
const statesSchema = {
  type: 'object', required: ['timeZone', 'grain', 'intervalMinutes', 'from', 'to', 'periods', 'rows'],
  properties: {
    timeZone: { type: 'string' }, grain: { type: 'string' }, intervalMinutes: { type: ['integer', 'null'] }, from: { type: 'string' }, to: { type: 'string' },
    periods: { type: 'array', items: periodSchema }, rows: { type: 'array', items: stateRowSchema },
  },
} as const;
const countingSchema = { type: 'object', properties: { formula: { type: 'string' }, shortAbandons: { type: 'string' }, overflows: { type: 'string' } } } as const;
const settingsAnswer = {
  type: 'object', required: ['shortAbandonSeconds', 'fcrWindowDays', 'serviceLevel', 'queues'],
  properties: {
    shortAbandonSeconds: { type: 'integer' }, fcrWindowDays: { type: 'integer' }, serviceLevel: countingSchema,
    queues: { type: 'object', additionalProperties: { type: 'object', properties: { ...countingSchema.properties, shortAbandonSeconds: { type: 'integer' } } } },
  },
} as const;

const keysParam = { type: 'string', minLength: 1, maxLength: 4096, description: 'comma-separated ids (queues, agents, teams) or values (channels, dispositions, numbers) to keep' } as const;
const common = {
  grain: { type: 'string', enum: [...GRAINS] },
  interval: { type: 'string', enum: INTERVAL_MINUTES.map(String), description: 'minutes per interval (grain=interval; default 15)' },
  from: date, to: date,
  format: { type: 'string', enum: ['json', 'csv'] },
} as const;

interface ReportQuerystring { by: Dimension; grain: Grain; interval?: string; from: string; to: string; keys?: string; format?: 'json' | 'csv' }
type StatesQuerystring = Omit<ReportQuerystring, 'by' | 'keys'> & { agents?: string };

const list = (s: string | undefined) => (s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter((x) => x !== ''));
const minutesOf = (s: string | undefined) => (s === undefined ? undefined : Number(s) as IntervalMinutes);

export async function analyticsRoutes(app: FastifyInstance, d: { analytics: Analytics }): Promise<void> {
  const a = d.analytics;

  app.get('/api/wallboard', {
    config: requires('supervisor.monitor'),
    schema: {
      tags: ['analytics'],
      summary: 'Live figures per queue (waiting, longest wait, agents by state, today in the workspace\'s time zone) and per agent; WallboardChanged tells when to ask again',
      response: { 200: { type: 'object', required: ['queues', 'agents'], properties: { queues: { type: 'array', items: queueBoardSchema }, agents: { type: 'array', items: agentBoardSchema } } } },
    },
  }, async (req) => a.wallboard.wallboard(tenant(req)));

  app.get<{ Params: { id: string } }>('/api/wallboard/queues/:id', {
    config: requires('supervisor.monitor'),
    schema: { tags: ['analytics'], summary: 'Live figures of one queue', params: idParams, response: { 200: queueBoardSchema } },
  }, async (req) => a.wallboard.queue(tenant(req), req.params.id));

  app.get<{ Querystring: ReportQuerystring }>('/api/reports', {
    config: requires('reports.read'),
    schema: {
      tags: ['analytics'],
      summary: 'KPIs by period (interval, day, week, month of the workspace\'s time zone) and by queue, agent, team, channel, disposition or DID, from the rollups; format=csv for a CSV file',
      querystring: {
        type: 'object', required: ['by', 'grain', 'from', 'to'], additionalProperties: false,
        properties: { by: { type: 'string', enum: [...DIMENSIONS] }, ...common, keys: keysParam },
      },
      response: { 200: reportSchema },
    },
  }, async (req, reply) => {
    const q = req.query;
    const report = await a.reports.report(tenant(req), { by: q.by, grain: q.grain, intervalMinutes: minutesOf(q.interval), from: q.from, to: q.to, keys: list(q.keys) });
    if (q.format !== 'csv') return report;
    return reply.type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="report-${q.by}-${q.grain}-${q.from}-${q.to}.csv"`)
      .send(reportCsv(report));
  });

  app.get<{ Querystring: StatesQuerystring }>('/api/reports/agent-states', {
    config: requires('reports.read'),
    schema: {
      tags: ['analytics'], summary: 'Time per agent state and reason code by period (adherence data); format=csv for a CSV file',
      querystring: { type: 'object', required: ['grain', 'from', 'to'], additionalProperties: false, properties: { ...common, agents: keysParam } },
      response: { 200: statesSchema },
    },
  }, async (req, reply) => {
    const q = req.query;
    const states = await a.reports.agentStates(tenant(req), { grain: q.grain, intervalMinutes: minutesOf(q.interval), from: q.from, to: q.to, agentIds: list(q.agents) });
    if (q.format !== 'csv') return states;
    return reply.type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="agent-states-${q.grain}-${q.from}-${q.to}.csv"`)
      .send(agentStatesCsv(states.rows));
  });

  app.get('/api/reports/settings', {
    config: requires('reports.read'),
    schema: { tags: ['analytics'], summary: 'KPI settings: short-abandon threshold, FCR window, service-level formula and counting, per-queue overrides', response: { 200: settingsAnswer } },
  }, async (req) => a.settings(tenant(req)));

  app.put<{ Body: SettingsInput }>('/api/reports/settings', {
    config: requires('reports.manage'),
    schema: {
      tags: ['analytics'],
      summary: 'Replace the KPI settings; thresholds apply to contacts closed from now on (rebuild to apply them to history), counting options at once',
      body: SETTINGS_SCHEMA, response: { 200: settingsAnswer },
    },
  }, async (req) => a.putSettings(tenant(req), req.body));

  app.post<{ Body: { from: string; to: string } }>('/api/reports/rebuild', {
    config: requires('reports.manage'),
    schema: {
      tags: ['analytics'], summary: 'Recompute the rollups of the local days from..to (both included) from the raw records',
      body: { type: 'object', required: ['from', 'to'], additionalProperties: false, properties: { from: date, to: date } },
      response: {
        200: {
          type: 'object', required: ['from', 'to', 'interactions', 'stateStretches'],
          properties: { from: { type: 'string' }, to: { type: 'string' }, interactions: { type: 'integer' }, stateStretches: { type: 'integer' } },
        },
      },
    },
  }, async (req) => a.rebuild(tenant(req), req.body.from, req.body.to));

  app.post<{ Params: { id: string }; Body: { score: number } }>('/api/interactions/:id/survey', {
    config: requires('surveys.record'),
    schema: {
      tags: ['analytics'], summary: 'Record the customer\'s survey score (1-5) for an interaction; CSAT counts 4 and 5 as satisfied', params: idParams,
      body: { type: 'object', required: ['score'], additionalProperties: false, properties: { score: { type: 'integer', minimum: 1, maximum: 5 } } },
      response: { 201: { type: 'object', required: ['interactionId', 'score', 'answeredAt'], properties: { interactionId: { type: 'string' }, score: { type: 'integer' }, answeredAt: { type: 'string' } } } },
    },
  }, async (req, reply) => reply.status(201).send(await a.recordSurvey(tenant(req), req.params.id, req.body.score)));
}
