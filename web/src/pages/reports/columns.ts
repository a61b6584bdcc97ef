// The figures of a report row (src/analytics/README.md, "Definitions"), grouped as the table shows
// them, each with its kind of value and how it is written: counts, ratios as percentages, average
// seconds, summed durations (h:mm:ss) and the 1–5 survey score. A missing figure (null: nothing to
// divide by, or not measured for this dimension) is written as an em dash. Pure.
import type { Dimension } from './reports-api.ts';

export const KINDS = { Count: 'count', Ratio: 'ratio', Seconds: 'seconds', Duration: 'duration', Score: 'score' } as const;
export type Kind = (typeof KINDS)[keyof typeof KINDS];

export const COLUMN_GROUPS = {
  volume: ['contacts', 'offered', 'answered', 'answeredInSl', 'abandoned', 'shortAbandoned', 'overflowed'],
  service: ['serviceLevelSeconds', 'serviceLevel', 'answerRate', 'abandonRate', 'asaSeconds', 'averageAbandonSeconds'],
  handling: [
    'handled', 'ahtSeconds', 'averageTalkSeconds', 'averageHoldSeconds', 'averageWrapUpSeconds', 'talkSeconds', 'holdSeconds', 'wrapUpSeconds',
    'transferred', 'transferRate',
  ],
  offers: ['offers', 'offersAccepted', 'offersMissed', 'offerAcceptance'],
  quality: ['fcrEligible', 'fcrResolved', 'fcr', 'csatResponses', 'csatSatisfied', 'csat', 'averageSurveyScore'],
  agentTime: ['availableSeconds', 'busySeconds', 'afterCallWorkSeconds', 'notReadySeconds', 'occupancy'],
} as const satisfies Record<string, readonly string[]>;
export type ColumnGroup = keyof typeof COLUMN_GROUPS;
export const GROUPS = Object.keys(COLUMN_GROUPS) as ColumnGroup[];
export type Column = (typeof COLUMN_GROUPS)[ColumnGroup][number];

const RATIOS = new Set<string>(['serviceLevel', 'answerRate', 'abandonRate', 'transferRate', 'offerAcceptance', 'fcr', 'csat', 'occupancy']);
const AVERAGE_SECONDS = new Set<string>(['serviceLevelSeconds', 'asaSeconds', 'averageAbandonSeconds', 'ahtSeconds', 'averageTalkSeconds', 'averageHoldSeconds', 'averageWrapUpSeconds']);
const DURATIONS = new Set<string>(['talkSeconds', 'holdSeconds', 'wrapUpSeconds', 'availableSeconds', 'busySeconds', 'afterCallWorkSeconds', 'notReadySeconds']);

export function kindOf(column: string): Kind {
  if (RATIOS.has(column)) return KINDS.Ratio;
  if (AVERAGE_SECONDS.has(column)) return KINDS.Seconds;
  if (DURATIONS.has(column)) return KINDS.Duration;
  if (column === 'averageSurveyScore') return KINDS.Score;
  return KINDS.Count;
}

/** The groups shown at first: what the dimension measures (agent time only exists for agents and teams). */
export function defaultGroups(by: Dimension): ColumnGroup[] {
  if (by === 'agent' || by === 'team') return ['handling', 'offers', 'agentTime', 'quality'];
  if (by === 'disposition') return ['volume', 'handling', 'quality'];
  return ['volume', 'service', 'handling', 'quality'];
}

export function columnsOf(groups: readonly ColumnGroup[]): Column[] {
  return GROUPS.filter((g) => groups.includes(g)).flatMap((g) => [...COLUMN_GROUPS[g]]);
}

export const MISSING = '—';

/** 75 -> "1:15"; 3725 -> "1:02:05" (whole seconds, rounded). */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h > 0 ? `${h}:${String(m).padStart(2, '0')}` : String(m)}:${String(s).padStart(2, '0')}`;
}

/** A figure as the table writes it in language `lang`. */
export function formatValue(kind: Kind, value: number | null | undefined, lang: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  switch (kind) {
    case KINDS.Ratio:
      return new Intl.NumberFormat(lang, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
    case KINDS.Seconds:
      return new Intl.NumberFormat(lang, { style: 'unit', unit: 'second', unitDisplay: 'narrow', maximumFractionDigits: 1 }).format(value);
    case KINDS.Duration:
      return formatDuration(value);
    case KINDS.Score:
      return new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
    default:
      return new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(value);
  }
}

export const formatColumn = (column: string, value: number | null | undefined, lang: string): string => formatValue(kindOf(column), value, lang);
