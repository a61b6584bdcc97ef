// The KPI settings form (GET/PUT /api/reports/settings): the workspace's values as text to edit,
// and back into the document the API replaces. A queue override left on "as the workspace" is not
// sent, so a queue with none has no entry. Numbers go as typed (empty: null) for the server to check. Pure.
import type { Counting, KpiSettings, QueueOverrides, ServiceLevelFormula } from './reports-api.ts';
import { required } from './staffing-form.ts';

export interface QueueDraft { formula: ServiceLevelFormula | ''; shortAbandons: Counting | ''; overflows: Counting | ''; shortAbandonSeconds: string }
export interface SettingsDraft {
  shortAbandonSeconds: string;
  fcrWindowDays: string;
  formula: ServiceLevelFormula;
  shortAbandons: Counting;
  overflows: Counting;
  queues: Record<string, QueueDraft>;
}

export const EMPTY_QUEUE: QueueDraft = { formula: '', shortAbandons: '', overflows: '', shortAbandonSeconds: '' };

export function settingsDraft(s: KpiSettings): SettingsDraft {
  return {
    shortAbandonSeconds: String(s.shortAbandonSeconds),
    fcrWindowDays: String(s.fcrWindowDays),
    formula: s.serviceLevel.formula,
    shortAbandons: s.serviceLevel.shortAbandons,
    overflows: s.serviceLevel.overflows,
    queues: Object.fromEntries(Object.entries(s.queues).map(([id, o]) => [id, {
      formula: o.formula ?? '', shortAbandons: o.shortAbandons ?? '', overflows: o.overflows ?? '',
      shortAbandonSeconds: o.shortAbandonSeconds === undefined ? '' : String(o.shortAbandonSeconds),
    }])),
  };
}

type OverridesBody = Omit<QueueOverrides, 'shortAbandonSeconds'> & { shortAbandonSeconds?: number | null };

function overrides(q: QueueDraft): OverridesBody {
  const out: OverridesBody = {};
  if (q.formula !== '') out.formula = q.formula;
  if (q.shortAbandons !== '') out.shortAbandons = q.shortAbandons;
  if (q.overflows !== '') out.overflows = q.overflows;
  if (q.shortAbandonSeconds.trim() !== '') out.shortAbandonSeconds = required(q.shortAbandonSeconds);
  return out;
}

export function settingsBody(d: SettingsDraft): Record<string, unknown> {
  const queues: Record<string, unknown> = {};
  for (const [id, q] of Object.entries(d.queues)) {
    const o = overrides(q);
    if (Object.keys(o).length > 0) queues[id] = o;
  }
  return {
    shortAbandonSeconds: required(d.shortAbandonSeconds),
    fcrWindowDays: required(d.fcrWindowDays),
    serviceLevel: { formula: d.formula, shortAbandons: d.shortAbandons, overflows: d.overflows },
    queues,
  };
}
