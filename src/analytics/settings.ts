// A workspace's KPI settings, pure: the short-abandon threshold, the first-contact-resolution
// window, and how service level counts abandons, short abandons and overflows, with per-queue
// overrides. The service-level threshold T itself is the queue's `serviceLevelSeconds` (routing).
// Thresholds (short abandon, FCR window, T) classify contacts as they are rolled up, so a change
// applies to contacts closed from then on and to history after POST /api/reports/rebuild; the
// counting options are applied when a report is read.
import { DomainError } from '../kernel/index.ts';
import { COUNTING, DEFAULT_COUNTING, SERVICE_LEVEL_FORMULAS, type CountingOptions } from './kpi.ts';

export interface QueueKpiSettings extends CountingOptions {
  shortAbandonSeconds: number;
}

export interface AnalyticsSettings {
  /** Callers who leave the queue strictly before this many seconds are short abandons. */
  shortAbandonSeconds: number;
  /** A repeat contact by the same customer within this many days makes a contact unresolved. */
  fcrWindowDays: number;
  serviceLevel: CountingOptions;
  /** Overrides by queue id. */
  queues: Record<string, Partial<QueueKpiSettings>>;
}

export const DEFAULT_SETTINGS: AnalyticsSettings = { shortAbandonSeconds: 5, fcrWindowDays: 7, serviceLevel: DEFAULT_COUNTING, queues: {} };

/** The default service-level threshold T for contacts of a queue that no longer exists. */
export const DEFAULT_SERVICE_LEVEL_SECONDS = 20;

export function queueSettings(s: AnalyticsSettings, queueId: string | null): QueueKpiSettings {
  const o = queueId ? s.queues[queueId] : undefined;
  return {
    formula: o?.formula ?? s.serviceLevel.formula,
    shortAbandons: o?.shortAbandons ?? s.serviceLevel.shortAbandons,
    overflows: o?.overflows ?? s.serviceLevel.overflows,
    shortAbandonSeconds: o?.shortAbandonSeconds ?? s.shortAbandonSeconds,
  };
}

const counting = { type: 'string', enum: Object.values(COUNTING) } as const;
const formula = { type: 'string', enum: [...SERVICE_LEVEL_FORMULAS] } as const;
const shortAbandonSeconds = { type: 'integer', minimum: 0, maximum: 600 } as const;

/** The JSON Schema of the settings document in the API (PUT replaces it; absent fields take defaults). */
export const SETTINGS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    shortAbandonSeconds,
    fcrWindowDays: { type: 'integer', minimum: 1, maximum: 90 },
    serviceLevel: {
      type: 'object', additionalProperties: false,
      properties: { formula, shortAbandons: counting, overflows: counting },
    },
    queues: {
      type: 'object', maxProperties: 1000, propertyNames: { minLength: 1, maxLength: 64 },
      additionalProperties: {
        type: 'object', additionalProperties: false,
        properties: { formula, shortAbandons: counting, overflows: counting, shortAbandonSeconds },
      },
    },
  },
} as const;

export interface SettingsInput {
  shortAbandonSeconds?: number;
  fcrWindowDays?: number;
  serviceLevel?: Partial<CountingOptions>;
  queues?: Record<string, Partial<QueueKpiSettings>>;
}

/** Fills defaults; every queue named must exist (`details.field` names the first that does not). */
export function settingsOf(input: SettingsInput, queueIds: ReadonlySet<string>): AnalyticsSettings {
  for (const id of Object.keys(input.queues ?? {})) {
    if (!queueIds.has(id)) throw new DomainError('SB_VALIDATION', 400, `queues.${id} names no queue of this workspace`, { field: `queues.${id}` });
  }
  return {
    shortAbandonSeconds: input.shortAbandonSeconds ?? DEFAULT_SETTINGS.shortAbandonSeconds,
    fcrWindowDays: input.fcrWindowDays ?? DEFAULT_SETTINGS.fcrWindowDays,
    serviceLevel: { ...DEFAULT_COUNTING, ...input.serviceLevel },
    queues: { ...input.queues },
  };
}
