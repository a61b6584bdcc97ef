// Contact-center KPIs, pure: one function per KPI, each a ratio of recorded counts and durations
// (measures.ts) so that every report and the wallboard compute it the same way. A ratio with
// nothing to divide by is null (no contacts: no service level), never 0 or NaN. Ratios are
// fractions 0..1; times are seconds.
import type { Measures, StateTime } from './measures.ts';

/**
 * How service level treats abandoned contacts (the industry has no single formula). With A≤T the
 * contacts answered within T, A all answered, Ab all abandoned, Ab≤T those abandoned within T:
 * - answered-of-answered-and-abandoned: A≤T / (A + Ab): every abandon counts against.
 * - answered-of-answered-and-late-abandoned: A≤T / (A + Ab − Ab≤T): abandons within T are left out
 *   (the caller gave up before the target was missed).
 * - answered-of-offered: A≤T / offered: every contact that entered the queue is in the denominator.
 * - answered-and-early-abandoned-of-answered-and-abandoned: (A≤T + Ab≤T) / (A + Ab): abandons
 *   within T count as met.
 */
export const SERVICE_LEVEL_FORMULAS = [
  'answered-of-answered-and-abandoned',
  'answered-of-answered-and-late-abandoned',
  'answered-of-offered',
  'answered-and-early-abandoned-of-answered-and-abandoned',
] as const;
export type ServiceLevelFormula = (typeof SERVICE_LEVEL_FORMULAS)[number];

export const COUNTING = { Include: 'include', Exclude: 'exclude' } as const;
export type Counting = (typeof COUNTING)[keyof typeof COUNTING];

/**
 * Per queue: the service-level formula; whether short abandons (callers who hung up within the
 * short-abandon threshold, often misdials) count as offered and abandoned at all; whether contacts
 * that overflowed out of the queue count as offered (and so as not answered within T).
 */
export interface CountingOptions {
  formula: ServiceLevelFormula;
  shortAbandons: Counting;
  overflows: Counting;
}

export const DEFAULT_COUNTING: CountingOptions = { formula: 'answered-of-answered-and-abandoned', shortAbandons: 'exclude', overflows: 'exclude' };

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);
const seconds = (ms: number, n: number): number | null => (n > 0 ? ms / n / 1000 : null);

/** Offered: contacts that entered the queue, less short abandons and overflows when the queue leaves them out. */
export function offered(m: Measures, o: CountingOptions = DEFAULT_COUNTING): number {
  return m.offered - (o.shortAbandons === 'exclude' ? m.shortAbandoned : 0) - (o.overflows === 'exclude' ? m.overflowed : 0);
}

/** Answered: contacts an agent accepted from the queue, whatever the wait. */
export function answered(m: Measures): number {
  return m.answered;
}

/** Abandoned: callers who left while waiting or being offered; short abandons only when the queue counts them. */
export function abandoned(m: Measures, o: CountingOptions = DEFAULT_COUNTING): number {
  return m.abandoned + (o.shortAbandons === 'include' ? m.shortAbandoned : 0);
}

/** Short abandons: callers who left within the short-abandon threshold (default 5 s), always counted apart. */
export function shortAbandoned(m: Measures): number {
  return m.shortAbandoned;
}

/** Service level: the share answered within T, by the queue's formula (SERVICE_LEVEL_FORMULAS); overflows out count as missed when included. */
export function serviceLevel(m: Measures, o: CountingOptions = DEFAULT_COUNTING): number | null {
  const ab = abandoned(m, o);
  const abInSl = m.abandonedInSl + (o.shortAbandons === 'include' ? m.shortAbandonedInSl : 0);
  const ov = o.overflows === 'include' ? m.overflowed : 0;
  switch (o.formula) {
    case 'answered-of-answered-and-abandoned': return ratio(m.answeredInSl, m.answered + ab + ov);
    case 'answered-of-answered-and-late-abandoned': return ratio(m.answeredInSl, m.answered + ab - abInSl + ov);
    case 'answered-of-offered': return ratio(m.answeredInSl, offered(m, o));
    case 'answered-and-early-abandoned-of-answered-and-abandoned': return ratio(m.answeredInSl + abInSl, m.answered + ab + ov);
  }
}

/** Answer rate: answered / offered (offered as the queue counts it). */
export function answerRate(m: Measures, o: CountingOptions = DEFAULT_COUNTING): number | null {
  return ratio(m.answered, offered(m, o));
}

/** Abandonment rate: abandoned / offered, both as the queue counts them. */
export function abandonRate(m: Measures, o: CountingOptions = DEFAULT_COUNTING): number | null {
  return ratio(abandoned(m, o), offered(m, o));
}

/** ASA (average speed of answer): total wait of answered contacts / answered, from entering the queue to the agent's acceptance. */
export function averageSpeedOfAnswer(m: Measures): number | null {
  return seconds(m.waitAnsweredMs, m.answered);
}

/** Average time to abandon: total wait of abandoned contacts (short ones included) / those abandons. */
export function averageTimeToAbandon(m: Measures): number | null {
  return seconds(m.waitAbandonedMs, m.abandoned + m.shortAbandoned);
}

/** AHT (average handle time): (talk + hold + wrap-up) / handled contacts. */
export function averageHandleTime(m: Measures): number | null {
  return seconds(m.talkMs + m.holdMs + m.wrapMs, m.handled);
}

/** Average talk time: time connected to the customer, hold excluded, per handled contact. */
export function averageTalkTime(m: Measures): number | null {
  return seconds(m.talkMs, m.handled);
}

/** Average hold time per handled contact. */
export function averageHoldTime(m: Measures): number | null {
  return seconds(m.holdMs, m.handled);
}

/** Average wrap-up (after-call work) time per handled contact. */
export function averageWrapUpTime(m: Measures): number | null {
  return seconds(m.wrapMs, m.handled);
}

/** Transfer rate: handled contacts the agent transferred on / handled contacts. */
export function transferRate(m: Measures): number | null {
  return ratio(m.transferred, m.handled);
}

/** Offer acceptance: offers accepted / offers made to agents (missed: rang out, rejected, unreachable). */
export function offerAcceptance(m: Measures): number | null {
  return ratio(m.offersAccepted, m.offers);
}

/** Occupancy: handle time / (handle time + available idle time), by agent state: Busy and AfterCallWork are handling, Available is idle. */
export function occupancy(t: StateTime): number | null {
  const handling = t.busyMs + t.afterCallWorkMs;
  return ratio(handling, handling + t.availableMs);
}

/** CSAT: the share of survey answers scoring 4 or 5 on the 1–5 scale ("top-two box"). */
export function customerSatisfaction(m: Measures): number | null {
  return ratio(m.csatSatisfied, m.csatResponses);
}

/** Average survey score (1–5). */
export function averageSurveyScore(m: Measures): number | null {
  return ratio(m.csatScoreSum, m.csatResponses);
}

/** FCR: handled inbound contacts of a known customer with no repeat contact from that customer within the window / all such contacts. */
export function firstContactResolution(m: Measures): number | null {
  return ratio(m.fcrResolved, m.fcrEligible);
}

/** A survey score that counts as satisfied (4 or 5 of 5). */
export const isSatisfied = (score: number): boolean => score >= 4;

/** Within the service-level threshold: a wait of at most T seconds. */
export const withinServiceLevel = (waitMs: number, thresholdSeconds: number): boolean => waitMs <= thresholdSeconds * 1000;

/** A short abandon: the caller left strictly before the short-abandon threshold. */
export const isShortAbandon = (waitMs: number, thresholdSeconds: number): boolean => waitMs < thresholdSeconds * 1000;

/** Every KPI of a row, as the API answers them. */
export interface Kpis {
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  serviceLevel: number | null;
  answerRate: number | null;
  abandonRate: number | null;
  asaSeconds: number | null;
  averageAbandonSeconds: number | null;
  ahtSeconds: number | null;
  averageTalkSeconds: number | null;
  averageHoldSeconds: number | null;
  averageWrapUpSeconds: number | null;
  transferRate: number | null;
  offerAcceptance: number | null;
  csat: number | null;
  averageSurveyScore: number | null;
  fcr: number | null;
}

export function kpisOf(m: Measures, o: CountingOptions = DEFAULT_COUNTING): Kpis {
  return {
    offered: offered(m, o), answered: answered(m), abandoned: abandoned(m, o), shortAbandoned: shortAbandoned(m),
    serviceLevel: serviceLevel(m, o), answerRate: answerRate(m, o), abandonRate: abandonRate(m, o),
    asaSeconds: averageSpeedOfAnswer(m), averageAbandonSeconds: averageTimeToAbandon(m), ahtSeconds: averageHandleTime(m),
    averageTalkSeconds: averageTalkTime(m), averageHoldSeconds: averageHoldTime(m), averageWrapUpSeconds: averageWrapUpTime(m),
    transferRate: transferRate(m), offerAcceptance: offerAcceptance(m), csat: customerSatisfaction(m), averageSurveyScore: averageSurveyScore(m),
    fcr: firstContactResolution(m),
  };
}
