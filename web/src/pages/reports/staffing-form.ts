// The staffing forms as the API takes them (POST /api/wfm/erlang-c, POST /api/wfm/forecast): the
// numbers typed, percentages as fractions where the API wants them (shrinkage, maximum occupancy),
// minutes as seconds. Nothing is checked here: an empty or wrong value goes as it is (an empty
// required field as null) so the server names the field and says what is wrong. Pure.
import type { HistoryInterval } from './reports-api.ts';

export const TARGETS = { ServiceLevel: 'serviceLevel', Asa: 'asa' } as const;
export type Target = (typeof TARGETS)[keyof typeof TARGETS];

/** A required number: empty text is null (JSON has no NaN either, so a bad number goes as null). */
export function required(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** An optional number: empty text leaves the field out. */
export function optional(text: string): number | null | undefined {
  return text.trim() === '' ? undefined : required(text);
}

const times = (n: number | null | undefined, by: number): number | null | undefined => (n === null || n === undefined ? n : n * by);
/** A percentage as a fraction, by division: 35 / 100 is 0.35, where 35 × 0.01 is 0.35000000000000003. */
const fraction = (n: number | null | undefined): number | null | undefined => (n === null || n === undefined ? n : n / 100);
const defined = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export interface TargetDraft { target: Target; slPercent: string; slSeconds: string; asaSeconds: string }

export interface ErlangCDraft extends TargetDraft {
  callsPerInterval: string;
  intervalMinutes: string;
  ahtSeconds: string;
  shrinkagePercent: string;
  maxOccupancyPercent: string;
  agents: string;
}

export const WORKED_EXAMPLE: ErlangCDraft = {
  callsPerInterval: '100', intervalMinutes: '30', ahtSeconds: '180', target: TARGETS.ServiceLevel, slPercent: '80', slSeconds: '20', asaSeconds: '20',
  shrinkagePercent: '30', maxOccupancyPercent: '', agents: '',
};

export function erlangCBody(d: ErlangCDraft): Record<string, unknown> {
  const slSeconds = d.target === TARGETS.ServiceLevel ? required(d.slSeconds) : optional(d.slSeconds);
  return defined({
    callsPerInterval: required(d.callsPerInterval),
    intervalSeconds: times(required(d.intervalMinutes), 60),
    ahtSeconds: required(d.ahtSeconds),
    serviceLevel: d.target === TARGETS.ServiceLevel
      ? { percent: required(d.slPercent), seconds: slSeconds }
      : slSeconds === undefined ? undefined : { seconds: slSeconds },
    asaSeconds: d.target === TARGETS.Asa ? required(d.asaSeconds) : undefined,
    shrinkage: fraction(optional(d.shrinkagePercent)),
    maxOccupancy: fraction(optional(d.maxOccupancyPercent)),
    agents: optional(d.agents),
  });
}

export interface ForecastDraft extends TargetDraft {
  /** '' for every queue. */
  queueId: string;
  weeks: string;
  intervalMinutes: '15' | '30' | '60';
  horizonDays: string;
  ahtSeconds: string;
  shrinkagePercent: string;
}

export const DEFAULT_FORECAST: ForecastDraft = {
  queueId: '', weeks: '4', intervalMinutes: '30', horizonDays: '1', ahtSeconds: '180', target: TARGETS.ServiceLevel, slPercent: '80', slSeconds: '20',
  asaSeconds: '20', shrinkagePercent: '30',
};

export function forecastBody(d: ForecastDraft, history: readonly HistoryInterval[], timeZone: string): Record<string, unknown> {
  return {
    history,
    intervalMinutes: Number(d.intervalMinutes),
    horizonDays: required(d.horizonDays),
    timeZone,
    weeks: required(d.weeks),
    staffing: defined({
      ahtSeconds: required(d.ahtSeconds),
      serviceLevel: d.target === TARGETS.ServiceLevel ? { percent: required(d.slPercent), seconds: required(d.slSeconds) } : undefined,
      asaSeconds: d.target === TARGETS.Asa ? required(d.asaSeconds) : undefined,
      shrinkage: fraction(optional(d.shrinkagePercent)),
    }),
  };
}

/** Whole weeks of history the page can read (the API takes 1 to 52). */
export function weeksOf(text: string): number | null {
  const n = required(text);
  return n !== null && Number.isSafeInteger(n) && n >= 1 && n <= 52 ? n : null;
}
