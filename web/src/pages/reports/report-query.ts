// The query of a report as the API takes it (GET /api/reports, GET /api/reports/agent-states), and
// the grain choices of the form: 15-, 30- and 60-minute intervals, day, ISO week, month. Pure.
import type { Dimension, Grain, IntervalMinutes } from './reports-api.ts';

export interface ReportParams {
  by: Dimension;
  grain: Grain;
  /** Minutes per interval when grain is 'interval'. */
  interval: IntervalMinutes;
  /** Local dates of the workspace, YYYY-MM-DD, both included. */
  from: string;
  to: string;
  /** Only these keys; none means every key. */
  keys: readonly string[];
}

export const GRAIN_CHOICES = ['interval-15', 'interval-30', 'interval-60', 'day', 'week', 'month'] as const;
export type GrainChoice = (typeof GRAIN_CHOICES)[number];

export function grainChoice(p: Pick<ReportParams, 'grain' | 'interval'>): GrainChoice {
  return p.grain === 'interval' ? `interval-${p.interval}` : p.grain;
}

export function fromGrainChoice(c: GrainChoice): Pick<ReportParams, 'grain' | 'interval'> {
  if (c === 'interval-15') return { grain: 'interval', interval: 15 };
  if (c === 'interval-30') return { grain: 'interval', interval: 30 };
  if (c === 'interval-60') return { grain: 'interval', interval: 60 };
  return { grain: c, interval: 15 };
}

function common(p: Pick<ReportParams, 'grain' | 'interval' | 'from' | 'to'>): URLSearchParams {
  const q = new URLSearchParams({ grain: p.grain });
  if (p.grain === 'interval') q.set('interval', String(p.interval));
  q.set('from', p.from);
  q.set('to', p.to);
  return q;
}

/** `/api/reports?...`; with format 'csv' the same report as a CSV file. */
export function reportPath(p: ReportParams, format: 'json' | 'csv' = 'json'): string {
  const q = new URLSearchParams({ by: p.by });
  for (const [k, v] of common(p)) q.set(k, v);
  if (p.keys.length > 0) q.set('keys', p.keys.join(','));
  if (format === 'csv') q.set('format', 'csv');
  return `/api/reports?${q.toString()}`;
}

/** `/api/reports/agent-states?...` for the same span and grain, optionally some agents only. */
export function agentStatesPath(p: Pick<ReportParams, 'grain' | 'interval' | 'from' | 'to'>, agents: readonly string[] = [], format: 'json' | 'csv' = 'json'): string {
  const q = common(p);
  if (agents.length > 0) q.set('agents', agents.join(','));
  if (format === 'csv') q.set('format', 'csv');
  return `/api/reports/agent-states?${q.toString()}`;
}
