// The shapes of what the reports and staffing pages read (src/analytics/README.md,
// src/wfm/README.md); requests go through the shared client (`api` in web/src/api.ts).

export const DIMENSIONS = ['queue', 'agent', 'team', 'channel', 'disposition', 'did'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const GRAINS = ['interval', 'day', 'week', 'month'] as const;
export type Grain = (typeof GRAINS)[number];
export const INTERVAL_MINUTES = [15, 30, 60] as const;
export type IntervalMinutes = (typeof INTERVAL_MINUTES)[number];

export interface Period { start: string; label: string }

/** One row of a report: its period, key and name, then the figures of REPORT_COLUMNS (null: nothing to divide by). */
export type ReportRow = { periodStart: string; period: string; key: string; name: string } & Record<string, number | null | string>;

export interface Report {
  by: Dimension;
  grain: Grain;
  intervalMinutes: IntervalMinutes | null;
  timeZone: string;
  from: string;
  to: string;
  periods: Period[];
  rows: ReportRow[];
  totals: ReportRow[];
}

export interface AgentStateRow { periodStart: string; period: string; agentId: string; name: string; state: string; reason: string; seconds: number }
export interface AgentStates {
  timeZone: string; grain: Grain; intervalMinutes: IntervalMinutes | null; from: string; to: string; periods: Period[]; rows: AgentStateRow[];
}

export const SERVICE_LEVEL_FORMULAS = [
  'answered-of-answered-and-abandoned',
  'answered-of-answered-and-late-abandoned',
  'answered-of-offered',
  'answered-and-early-abandoned-of-answered-and-abandoned',
] as const;
export type ServiceLevelFormula = (typeof SERVICE_LEVEL_FORMULAS)[number];
export const COUNTING = { Include: 'include', Exclude: 'exclude' } as const;
export type Counting = (typeof COUNTING)[keyof typeof COUNTING];

export interface CountingOptions { formula: ServiceLevelFormula; shortAbandons: Counting; overflows: Counting }
export interface QueueOverrides { formula?: ServiceLevelFormula; shortAbandons?: Counting; overflows?: Counting; shortAbandonSeconds?: number }
export interface KpiSettings {
  shortAbandonSeconds: number;
  fcrWindowDays: number;
  serviceLevel: CountingOptions;
  queues: Record<string, QueueOverrides>;
}
export interface RebuildResult { from: string; to: string; interactions: number; stateStretches: number }

export interface ErlangCAnswer {
  erlangs: number;
  agents: number;
  stable: boolean;
  probabilityOfWaiting: number;
  serviceLevel: { seconds: number; percent: number } | null;
  asaSeconds: number | null;
  occupancy: number;
  agentsNeeded: number | null;
  scheduledAgentsNeeded: number | null;
}

export interface HistoryInterval { start: string; contacts: number }
export interface IntervalStaffing {
  agents: number; scheduledAgents: number; erlangs: number; probabilityOfWaiting: number; serviceLevel: number; asaSeconds: number; occupancy: number;
}
export interface ForecastAnswer {
  timeZone: string;
  intervalMinutes: number;
  trend: number;
  intervals: { start: string; localStart: string; contacts: number; staffing?: IntervalStaffing }[];
}

export interface NamedItem { id: string; name: string }
