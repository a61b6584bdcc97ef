// Erlang C: the M/M/N queue (Poisson arrivals, exponential handle times, N agents, callers who
// never abandon), as used for contact-center staffing. Pure functions, no I/O.
//
// Unstable queues (N ≤ A): calls arrive faster than N agents can answer them and the queue grows
// without bound, so probability of waiting = 1, service level = 0, ASA = Infinity (the HTTP API
// answers null) and occupancy = 1.
import { DomainError } from '../kernel/index.ts';

const invalid = (field: string, rule: string): DomainError =>
  new DomainError('SB_VALIDATION', 400, `${field} must be ${rule}`, { field });

const finite = (field: string, v: number): void => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(field, 'a finite number');
};
const positive = (field: string, v: number): void => {
  finite(field, v);
  if (v <= 0) throw invalid(field, 'greater than 0');
};
const nonNegative = (field: string, v: number): void => {
  finite(field, v);
  if (v < 0) throw invalid(field, 'at least 0');
};
const agentCount = (field: string, v: number): void => {
  if (!Number.isSafeInteger(v) || v < 0) throw invalid(field, 'a whole number of at least 0');
};

/**
 * Traffic intensity A = λ·AHT in Erlangs, with the arrival rate λ = calls / interval seconds
 * (ITU-T E.600: the mean number of simultaneous occupations).
 */
export function trafficIntensity(callsPerInterval: number, intervalSeconds: number, ahtSeconds: number): number {
  nonNegative('callsPerInterval', callsPerInterval);
  positive('intervalSeconds', intervalSeconds);
  positive('ahtSeconds', ahtSeconds);
  return (callsPerInterval * ahtSeconds) / intervalSeconds;
}

/**
 * Erlang B by its recursion B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)), carried forward one agent at a
 * time. Every step stays in [0, 1], so A^N/N! is never formed and nothing overflows; for large N it
 * underflows towards 0, the true limit.
 */
class ErlangBSeries {
  readonly erlangs: number;
  #agents = 0;
  #blocking = 1;

  constructor(erlangs: number) {
    this.erlangs = erlangs;
  }

  /** B(n) for n ≥ the last n asked (the series only moves forward). */
  at(n: number): number {
    if (n < this.#agents) throw new RangeError(`the Erlang B series is at ${this.#agents}, past ${n}`);
    const a = this.erlangs;
    let b = this.#blocking;
    for (let k = this.#agents + 1; k <= n; k++) b = (a * b) / (k + a * b);
    this.#agents = n;
    this.#blocking = b;
    return b;
  }
}

/** Erlang C from Erlang B for N > A: C = N·B / (N − A·(1 − B)). */
const erlangCFromB = (agents: number, erlangs: number, b: number): number => (agents * b) / (agents - erlangs * (1 - b));

/** Erlang B (loss) formula E1,N(A): the probability that a call finds all N agents busy and is lost. */
export function erlangB(agents: number, erlangs: number): number {
  agentCount('agents', agents);
  nonNegative('erlangs', erlangs);
  return new ErlangBSeries(erlangs).at(agents);
}

/**
 * Erlang C (delay) formula E2,N(A) = (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A)):
 * the probability that a call has to wait. Computed from Erlang B; 1 when N ≤ A (unstable), 0 when A = 0.
 */
export function erlangC(agents: number, erlangs: number): number {
  agentCount('agents', agents);
  nonNegative('erlangs', erlangs);
  if (erlangs === 0) return 0;
  if (agents <= erlangs) return 1;
  return erlangCFromB(agents, erlangs, new ErlangBSeries(erlangs).at(agents));
}

/** What a queue of `agents` agents answers at a load of `erlangs`. */
export interface QueueMetrics {
  erlangs: number;
  agents: number;
  /** false when N ≤ A: the queue grows without bound. */
  stable: boolean;
  /** P_w = Erlang C(N, A), in [0, 1]. */
  probabilityOfWaiting: number;
  /** Fraction of calls answered within `answerWithinSeconds`, in [0, 1]. */
  serviceLevel: number;
  answerWithinSeconds: number;
  /** Average speed of answer over all calls, waiting or not; Infinity when unstable. */
  asaSeconds: number;
  /** A/N, in [0, 1]. */
  occupancy: number;
}

function metricsFrom(agents: number, erlangs: number, ahtSeconds: number, answerWithinSeconds: number, pw: number): QueueMetrics {
  const base = { erlangs, agents, answerWithinSeconds };
  if (erlangs === 0) return { ...base, stable: true, probabilityOfWaiting: 0, serviceLevel: 1, asaSeconds: 0, occupancy: 0 };
  if (agents <= erlangs) return { ...base, stable: false, probabilityOfWaiting: 1, serviceLevel: 0, asaSeconds: Infinity, occupancy: 1 };
  const spare = agents - erlangs;
  return {
    ...base,
    stable: true,
    probabilityOfWaiting: pw,
    // M/M/N waiting time: P(W > t) = P_w · e^{−(N−A)·t/AHT}, so SL(t) = 1 − P_w · e^{−(N−A)·t/AHT}.
    serviceLevel: 1 - pw * Math.exp((-spare * answerWithinSeconds) / ahtSeconds),
    // E[W] = P_w · AHT / (N − A).
    asaSeconds: (pw * ahtSeconds) / spare,
    occupancy: erlangs / agents,
  };
}

/** Probability of waiting, service level within `answerWithinSeconds`, ASA and occupancy for N agents. */
export function queueMetrics(q: { callsPerInterval: number; intervalSeconds: number; ahtSeconds: number; agents: number; answerWithinSeconds: number }): QueueMetrics {
  const erlangs = trafficIntensity(q.callsPerInterval, q.intervalSeconds, q.ahtSeconds);
  agentCount('agents', q.agents);
  nonNegative('answerWithinSeconds', q.answerWithinSeconds);
  const pw = erlangs > 0 && q.agents > erlangs ? erlangCFromB(q.agents, erlangs, new ErlangBSeries(erlangs).at(q.agents)) : 0;
  return metricsFrom(q.agents, erlangs, q.ahtSeconds, q.answerWithinSeconds, pw);
}

/** Service level SL(t) = 1 − P_w · e^{−(N−A)·t/AHT} for N agents at A Erlangs; 0 when N ≤ A. */
export function serviceLevel(agents: number, erlangs: number, ahtSeconds: number, answerWithinSeconds: number): number {
  positive('ahtSeconds', ahtSeconds);
  nonNegative('answerWithinSeconds', answerWithinSeconds);
  return metricsFrom(agents, erlangs, ahtSeconds, answerWithinSeconds, erlangC(agents, erlangs)).serviceLevel;
}

/** Average speed of answer ASA = P_w · AHT / (N − A); Infinity when N ≤ A. */
export function averageSpeedOfAnswer(agents: number, erlangs: number, ahtSeconds: number): number {
  positive('ahtSeconds', ahtSeconds);
  return metricsFrom(agents, erlangs, ahtSeconds, 0, erlangC(agents, erlangs)).asaSeconds;
}

/** Occupancy A/N: the share of logged-in time agents spend handling calls; 1 when N ≤ A. */
export function occupancy(agents: number, erlangs: number): number {
  agentCount('agents', agents);
  nonNegative('erlangs', erlangs);
  if (erlangs === 0) return 0;
  return agents <= erlangs ? 1 : erlangs / agents;
}

export interface StaffingOptions {
  /** Share of paid time agents are not available for calls (breaks, training, absence), in [0, 1). */
  shrinkage?: number;
  /** Highest occupancy A/N allowed, in (0, 1]; more agents are staffed to stay under it. */
  maxOccupancy?: number;
}

/** The smallest number of agents meeting a target, and what that many agents answer. */
export interface Staffing extends QueueMetrics {
  /** Agents needed on the phones. */
  agents: number;
  /** Agents to schedule: ceil(N / (1 − shrinkage)). */
  scheduledAgents: number;
}

// ceil with a guard against binary rounding: 14 / (1 − 0.3) must give 20, not 21.
const ceilCount = (x: number): number => Math.max(0, Math.ceil(x - 1e-9 * Math.max(1, x)));

/** Agents to schedule so that N remain after shrinkage s: ceil(N / (1 − s)). */
export function scheduledAgents(agents: number, shrinkage: number): number {
  agentCount('agents', agents);
  finite('shrinkage', shrinkage);
  if (shrinkage < 0 || shrinkage >= 1) throw invalid('shrinkage', 'at least 0 and below 1');
  return ceilCount(agents / (1 - shrinkage));
}

function staffingOptions(o: StaffingOptions): { shrinkage: number; maxOccupancy: number } {
  const shrinkage = o.shrinkage ?? 0;
  const maxOccupancy = o.maxOccupancy ?? 1;
  finite('shrinkage', shrinkage);
  if (shrinkage < 0 || shrinkage >= 1) throw invalid('shrinkage', 'at least 0 and below 1');
  finite('maxOccupancy', maxOccupancy);
  if (maxOccupancy <= 0 || maxOccupancy > 1) throw invalid('maxOccupancy', 'above 0 and at most 1');
  return { shrinkage, maxOccupancy };
}

/**
 * The smallest stable N (N > A, A/N ≤ max occupancy) whose probability of waiting meets `meets`.
 * The search starts just above A (or at A / max occupancy) and carries the Erlang B recursion forward
 * one agent at a time, so the whole search costs O(N). It ends: P_w falls monotonically in N and, in
 * floating point, reaches 0, which meets every admissible target (SL below 100 %, ASA above 0).
 */
function smallestAgents(erlangs: number, maxOccupancy: number, meets: (agents: number, pw: number) => boolean): { agents: number; pw: number } {
  if (erlangs === 0) return { agents: 0, pw: 0 };
  const series = new ErlangBSeries(erlangs);
  for (let n = Math.max(Math.floor(erlangs) + 1, Math.floor(erlangs / maxOccupancy)); ; n++) {
    const b = series.at(n);
    if (erlangs / n > maxOccupancy) continue;
    const pw = erlangCFromB(n, erlangs, b);
    if (meets(n, pw)) return { agents: n, pw };
  }
}

/**
 * The smallest number of agents answering `targetPercent` % of calls within `targetSeconds`
 * (e.g. 80/20), and the agents to schedule after shrinkage.
 */
export function agentsForServiceLevel(
  callsPerInterval: number, ahtSeconds: number, intervalSeconds: number, targetPercent: number, targetSeconds: number, options: StaffingOptions = {},
): Staffing {
  const erlangs = trafficIntensity(callsPerInterval, intervalSeconds, ahtSeconds);
  finite('targetPercent', targetPercent);
  if (targetPercent <= 0 || targetPercent >= 100) throw invalid('targetPercent', 'above 0 and below 100');
  nonNegative('targetSeconds', targetSeconds);
  const o = staffingOptions(options);
  const target = targetPercent / 100;
  const found = smallestAgents(erlangs, o.maxOccupancy, (n, pw) => 1 - pw * Math.exp((-(n - erlangs) * targetSeconds) / ahtSeconds) >= target);
  return { ...metricsFrom(found.agents, erlangs, ahtSeconds, targetSeconds, found.pw), scheduledAgents: ceilCount(found.agents / (1 - o.shrinkage)) };
}

/**
 * The smallest number of agents whose average speed of answer is at most `targetAsaSeconds`, and the
 * agents to schedule after shrinkage. The result's service level is measured at 0 s (answered at once).
 */
export function agentsForAsa(
  callsPerInterval: number, ahtSeconds: number, intervalSeconds: number, targetAsaSeconds: number, options: StaffingOptions = {},
): Staffing {
  const erlangs = trafficIntensity(callsPerInterval, intervalSeconds, ahtSeconds);
  positive('targetAsaSeconds', targetAsaSeconds);
  const o = staffingOptions(options);
  const found = smallestAgents(erlangs, o.maxOccupancy, (n, pw) => (pw * ahtSeconds) / (n - erlangs) <= targetAsaSeconds);
  return { ...metricsFrom(found.agents, erlangs, ahtSeconds, 0, found.pw), scheduledAgents: ceilCount(found.agents / (1 - o.shrinkage)) };
}
