// Staffing: the Erlang C calculator and the seasonal contact forecast (src/wfm). Stateless: nothing
// is read or stored, so the tenant plays no part beyond the caller's permission.
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../kernel/index.ts';
import {
  agentsForAsa, agentsForServiceLevel, forecastContacts, INTERVAL_MINUTES, MAX_HORIZON_DAYS, MAX_WEEKS, queueMetrics, staffingPlan,
  trafficIntensity, type Forecast, type QueueMetrics, type Staffing, type StaffingTarget,
} from '../../wfm/index.ts';
import { requires } from '../fastify-types.ts';

/** The largest load one request may size: the agents search costs O(A) per interval. */
export const MAX_ERLANGS = 100_000;
const MAX_HISTORY = 50_000;

const seconds = { type: 'number', minimum: 0, maximum: 86_400 } as const;
const positiveSeconds = { type: 'number', exclusiveMinimum: 0, maximum: 86_400 } as const;
const shrinkage = { type: 'number', minimum: 0, exclusiveMaximum: 1, description: 'share of paid time not available for calls, e.g. 0.3' } as const;
const maxOccupancy = { type: 'number', exclusiveMinimum: 0, maximum: 1, description: 'highest occupancy A/N allowed, e.g. 0.85' } as const;
const percent = { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 100 } as const;

const erlangCBody = {
  type: 'object',
  required: ['callsPerInterval', 'intervalSeconds', 'ahtSeconds'],
  additionalProperties: false,
  properties: {
    callsPerInterval: { type: 'number', minimum: 0, maximum: 100_000_000 },
    intervalSeconds: positiveSeconds,
    ahtSeconds: positiveSeconds,
    agents: { type: 'integer', minimum: 0, maximum: 1_000_000, description: 'evaluate this many agents' },
    serviceLevel: {
      type: 'object', required: ['seconds'], additionalProperties: false,
      description: 'answer within `seconds`; with `percent`, also the target that agentsNeeded must meet',
      properties: { percent, seconds },
    },
    asaSeconds: { ...positiveSeconds, description: 'target average speed of answer' },
    shrinkage,
    maxOccupancy,
  },
} as const;

interface ErlangCBody {
  callsPerInterval: number;
  intervalSeconds: number;
  ahtSeconds: number;
  agents?: number;
  serviceLevel?: { percent?: number; seconds: number };
  asaSeconds?: number;
  shrinkage?: number;
  maxOccupancy?: number;
}

const nullableNumber = { type: ['number', 'null'] } as const;
const nullableInteger = { type: ['integer', 'null'] } as const;

const erlangCAnswer = {
  type: 'object',
  required: ['erlangs', 'agents', 'stable', 'probabilityOfWaiting', 'serviceLevel', 'asaSeconds', 'occupancy', 'agentsNeeded', 'scheduledAgentsNeeded'],
  properties: {
    erlangs: { type: 'number', description: 'traffic intensity A = λ·AHT' },
    agents: { type: 'integer', description: 'the agents evaluated: those given, else agentsNeeded' },
    stable: { type: 'boolean', description: 'false when agents ≤ Erlangs: the queue grows without bound' },
    probabilityOfWaiting: { type: 'number', description: 'Erlang C, 0 to 1' },
    serviceLevel: {
      type: ['object', 'null'], required: ['seconds', 'percent'], description: 'percent answered within seconds; null without serviceLevel.seconds',
      properties: { seconds: { type: 'number' }, percent: { type: 'number' } },
    },
    asaSeconds: { ...nullableNumber, description: 'average speed of answer; null when unstable (infinite)' },
    occupancy: { type: 'number', description: 'A/N, 0 to 1' },
    agentsNeeded: { ...nullableInteger, description: 'smallest N meeting the target; null without a target' },
    scheduledAgentsNeeded: { ...nullableInteger, description: 'ceil(agentsNeeded / (1 − shrinkage))' },
  },
} as const;

const staffingBody = {
  type: 'object',
  required: ['ahtSeconds'],
  additionalProperties: false,
  properties: {
    ahtSeconds: positiveSeconds,
    serviceLevel: { type: 'object', required: ['percent', 'seconds'], additionalProperties: false, properties: { percent, seconds } },
    asaSeconds: positiveSeconds,
    shrinkage,
    maxOccupancy,
  },
} as const;

const forecastBody = {
  type: 'object',
  required: ['history', 'intervalMinutes', 'horizonDays', 'timeZone'],
  additionalProperties: false,
  properties: {
    history: {
      type: 'array', minItems: 1, maxItems: MAX_HISTORY,
      items: {
        type: 'object', required: ['start', 'contacts'], additionalProperties: false,
        properties: { start: { type: 'string', format: 'date-time', maxLength: 40 }, contacts: { type: 'number', minimum: 0, maximum: 100_000_000 } },
      },
    },
    intervalMinutes: { type: 'integer', enum: [...INTERVAL_MINUTES] },
    horizonDays: { type: 'integer', minimum: 1, maximum: MAX_HORIZON_DAYS },
    timeZone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. America/New_York' },
    weeks: { type: 'integer', minimum: 1, maximum: MAX_WEEKS, description: 'weeks of history per slot (default 4)' },
    weights: { type: 'array', maxItems: MAX_WEEKS, items: { type: 'number', minimum: 0 }, description: 'one per week, most recent first (default K … 1)' },
    trend: { type: 'boolean', description: 'scale by recent weeks against earlier weeks (default true)' },
    staffing: staffingBody,
  },
} as const;

interface ForecastBody {
  history: { start: string; contacts: number }[];
  intervalMinutes: number;
  horizonDays: number;
  timeZone: string;
  weeks?: number;
  weights?: number[];
  trend?: boolean;
  staffing?: { ahtSeconds: number; serviceLevel?: { percent: number; seconds: number }; asaSeconds?: number; shrinkage?: number; maxOccupancy?: number };
}

const staffingAnswer = {
  type: 'object',
  required: ['agents', 'scheduledAgents', 'erlangs', 'probabilityOfWaiting', 'serviceLevel', 'asaSeconds', 'occupancy'],
  properties: {
    agents: { type: 'integer' }, scheduledAgents: { type: 'integer' }, erlangs: { type: 'number' }, probabilityOfWaiting: { type: 'number' },
    serviceLevel: { type: 'number', description: 'fraction answered within the target seconds (0 s for an ASA target)' },
    asaSeconds: { type: 'number' }, occupancy: { type: 'number' },
  },
} as const;

const forecastAnswer = {
  type: 'object',
  required: ['timeZone', 'intervalMinutes', 'trend', 'intervals'],
  properties: {
    timeZone: { type: 'string' }, intervalMinutes: { type: 'integer' }, trend: { type: 'number', description: 'trend factor applied' },
    intervals: {
      type: 'array',
      items: {
        type: 'object', required: ['start', 'localStart', 'contacts'],
        properties: { start: { type: 'string' }, localStart: { type: 'string' }, contacts: { type: 'number' }, staffing: staffingAnswer },
      },
    },
  },
} as const;

const invalid = (field: string, message: string): DomainError => new DomainError('SB_VALIDATION', 400, message, { field });

function boundedLoad(field: string, calls: number, intervalSeconds: number, ahtSeconds: number): void {
  if (trafficIntensity(calls, intervalSeconds, ahtSeconds) > MAX_ERLANGS) {
    throw invalid(field, `${field} gives a traffic intensity above ${MAX_ERLANGS} Erlangs`);
  }
}

// JSON has no Infinity: an unstable queue's ASA is answered as null.
const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

function erlangCAnswerOf(b: ErlangCBody) {
  const sl = b.serviceLevel;
  const slTarget = sl?.percent;
  if (slTarget !== undefined && b.asaSeconds !== undefined) throw invalid('asaSeconds', 'give serviceLevel.percent or asaSeconds as the target, not both');
  if (b.agents === undefined && slTarget === undefined && b.asaSeconds === undefined) throw invalid('agents', 'give agents, serviceLevel.percent or asaSeconds');
  boundedLoad('callsPerInterval', b.callsPerInterval, b.intervalSeconds, b.ahtSeconds);
  const options = { shrinkage: b.shrinkage ?? 0, maxOccupancy: b.maxOccupancy ?? 1 };
  let needed: Staffing | undefined;
  if (sl && slTarget !== undefined) needed = agentsForServiceLevel(b.callsPerInterval, b.ahtSeconds, b.intervalSeconds, slTarget, sl.seconds, options);
  else if (b.asaSeconds !== undefined) needed = agentsForAsa(b.callsPerInterval, b.ahtSeconds, b.intervalSeconds, b.asaSeconds, options);
  const agents = b.agents ?? needed?.agents ?? 0;
  const m: QueueMetrics = queueMetrics({
    callsPerInterval: b.callsPerInterval, intervalSeconds: b.intervalSeconds, ahtSeconds: b.ahtSeconds, agents, answerWithinSeconds: b.serviceLevel?.seconds ?? 0,
  });
  return {
    erlangs: m.erlangs,
    agents,
    stable: m.stable,
    probabilityOfWaiting: m.probabilityOfWaiting,
    serviceLevel: b.serviceLevel ? { seconds: b.serviceLevel.seconds, percent: m.serviceLevel * 100 } : null,
    asaSeconds: finiteOrNull(m.asaSeconds),
    occupancy: m.occupancy,
    agentsNeeded: needed?.agents ?? null,
    scheduledAgentsNeeded: needed?.scheduledAgents ?? null,
  };
}

function forecastAnswerOf(b: ForecastBody) {
  const forecast: Forecast = forecastContacts({
    history: b.history, intervalMinutes: b.intervalMinutes, horizonDays: b.horizonDays, timeZone: b.timeZone,
    ...(b.weeks !== undefined ? { weeks: b.weeks } : {}), ...(b.weights !== undefined ? { weights: b.weights } : {}), ...(b.trend !== undefined ? { trend: b.trend } : {}),
  });
  const s = b.staffing;
  if (!s) return forecast;
  if (s.serviceLevel && s.asaSeconds !== undefined) throw invalid('staffing.asaSeconds', 'give staffing.serviceLevel or staffing.asaSeconds as the target, not both');
  const common = { ...(s.shrinkage !== undefined ? { shrinkage: s.shrinkage } : {}), ...(s.maxOccupancy !== undefined ? { maxOccupancy: s.maxOccupancy } : {}) };
  let target: StaffingTarget;
  if (s.serviceLevel) target = { serviceLevel: s.serviceLevel, ...common };
  else if (s.asaSeconds !== undefined) target = { asaSeconds: s.asaSeconds, ...common };
  else throw invalid('staffing.serviceLevel', 'staffing needs serviceLevel or asaSeconds');
  const peak = forecast.intervals.reduce((max, i) => Math.max(max, i.contacts), 0);
  boundedLoad('staffing.ahtSeconds', peak, forecast.intervalMinutes * 60, s.ahtSeconds);
  const intervals = staffingPlan(forecast, s.ahtSeconds, target).map((i) => ({
    start: i.start, localStart: i.localStart, contacts: i.contacts,
    staffing: {
      agents: i.staffing.agents, scheduledAgents: i.staffing.scheduledAgents, erlangs: i.staffing.erlangs, probabilityOfWaiting: i.staffing.probabilityOfWaiting,
      serviceLevel: i.staffing.serviceLevel, asaSeconds: i.staffing.asaSeconds, occupancy: i.staffing.occupancy,
    },
  }));
  return { ...forecast, intervals };
}

export async function wfmRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: ErlangCBody }>('/api/wfm/erlang-c', {
    config: requires('wfm.read'),
    schema: {
      tags: ['wfm'],
      summary: 'Erlang C: probability of waiting, service level, ASA and occupancy for given agents, and the agents a service level or ASA target needs',
      body: erlangCBody,
      response: { 200: erlangCAnswer },
    },
  }, async (req) => erlangCAnswerOf(req.body));

  app.post<{ Body: ForecastBody }>('/api/wfm/forecast', {
    config: requires('wfm.read'),
    schema: {
      tags: ['wfm'],
      summary: 'Contacts per interval forecast from history, by day of week and time of day in the given time zone; with staffing, agents per interval by Erlang C',
      body: forecastBody,
      response: { 200: forecastAnswer },
    },
  }, async (req) => forecastAnswerOf(req.body));
}
