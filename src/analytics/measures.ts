// The counts and sums a rollup row holds (pure). Every KPI (kpi.ts) is a ratio of these, so rows of
// any period, queue or agent add up before a KPI is taken. Durations are milliseconds.

export const MEASURES = [
  /** Interactions counted in the row (every arrival, for channel and DID rows). */
  'contacts',
  /** Contacts that entered the queue (every entry, including short abandons and overflows out). */
  'offered',
  'answered',
  /** Answered with a wait ≤ the queue's service-level threshold T. */
  'answeredInSl',
  /** Abandoned after waiting at least the short-abandon threshold. */
  'abandoned',
  /** Of those, abandoned with a wait ≤ T. */
  'abandonedInSl',
  /** Abandoned within the short-abandon threshold (strictly less than it). */
  'shortAbandoned',
  'shortAbandonedInSl',
  /** Left the queue for another queue, voicemail, callback or hang-up after its longest wait. */
  'overflowed',
  /** Left the queue any other way (closed by the system). */
  'otherEnded',
  /** Sum of the waits of answered contacts (for ASA) and of abandoned ones (short or not). */
  'waitAnsweredMs',
  'waitAbandonedMs',
  /** Contacts an agent talked to, and their talk (hold excluded), hold and wrap-up time. */
  'handled',
  'talkMs',
  'holdMs',
  'wrapMs',
  /** Handled contacts an agent transferred on. */
  'transferred',
  /** Offers made to agents; accepted; missed (rang out, rejected or unreachable). */
  'offers',
  'offersAccepted',
  'offersMissed',
  /** First-contact resolution: handled inbound contacts of a known customer, and those with no repeat contact. */
  'fcrEligible',
  'fcrResolved',
  /** Survey answers, those scoring 4 or 5 of 5, and the sum of scores. */
  'csatResponses',
  'csatSatisfied',
  'csatScoreSum',
] as const;
export type Measure = (typeof MEASURES)[number];
export type Measures = Record<Measure, number>;

const ZERO = Object.freeze(Object.fromEntries(MEASURES.map((m) => [m, 0]))) as Measures;

export const emptyMeasures = (): Measures => ({ ...ZERO });

/** Adds `b` (times `sign`) into `a`, in place. */
export function addInto(a: Measures, b: Partial<Measures>, sign = 1): Measures {
  for (const m in b) {
    const v = b[m as Measure];
    if (v) a[m as Measure] += sign * v;
  }
  return a;
}

export const isZero = (m: Measures): boolean => MEASURES.every((k) => m[k] === 0);

/** Agent time by state (AgentStateChanged), milliseconds. */
export interface StateTime {
  availableMs: number;
  busyMs: number;
  afterCallWorkMs: number;
  notReadyMs: number;
  offlineMs: number;
}

export const emptyStateTime = (): StateTime => ({ availableMs: 0, busyMs: 0, afterCallWorkMs: 0, notReadyMs: 0, offlineMs: 0 });

const STATE_FIELD: Record<string, keyof StateTime> = {
  Available: 'availableMs', Busy: 'busyMs', AfterCallWork: 'afterCallWorkMs', NotReady: 'notReadyMs', Offline: 'offlineMs',
};

export function addStateTime(t: StateTime, state: string, ms: number): void {
  const f = STATE_FIELD[state];
  if (f) t[f] += ms;
}

export function addStateTimes(a: StateTime, b: StateTime): void {
  for (const k of Object.keys(a) as (keyof StateTime)[]) a[k] += b[k];
}
