// What one closed interaction adds to the rollups, pure: its record and segments
// (src/interactions/README.md) turned into contributions per dimension, each placed at the instant
// that puts it in a period.
//
// - queue: one contribution per entry into a queue (a `queue` segment), at the entry. Its wait runs
//   from the entry to the answer, abandon or overflow. It carries the handling of the agents who
//   took the contact from that entry: an agent belongs to the latest answered queue entry before
//   their first talk (so a blind transfer to another agent stays with the queue that answered).
// - agent: one per agent with an offer or a talk segment, at their first one: talk (hold
//   excluded), hold (a hold belongs to the talk it falls in), wrap-up, offers, transfers.
// - channel, did (the number dialled, inbound only), disposition (handled contacts; '' for none):
//   one per interaction, at its arrival, with the customer's view of the queue: the wait from the
//   first entry to the answer (or abandon), against T of the queue that answered (or was left).
// First-contact resolution and survey scores are added by `outcomeContributions` at the contact's
// final queue entry and agent (see `ContactRecord`), once they are known.
import { hash } from 'node:crypto';
import type { Interaction, Segment } from '../interactions/index.ts';
import { isShortAbandon, withinServiceLevel } from './kpi.ts';
import type { Measures } from './measures.ts';

export const DIMENSIONS = ['queue', 'agent', 'team', 'channel', 'did', 'disposition'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
/** Dimensions stored in rollups; team rows are the sums of their members' agent rows. */
export type StoredDimension = Exclude<Dimension, 'team'>;

export interface Contribution {
  dimension: StoredDimension;
  key: string;
  /** Epoch ms that places it in a period. */
  at: number;
  measures: Partial<Measures>;
}

/** What is kept of a closed contact to count its resolution and survey later, and where they count. */
export interface ContactRecord {
  interactionId: string;
  arrivedAt: number;
  /** A digest of customer_id, else of customer_address. */
  customerKey: string | null;
  inbound: boolean;
  /** Handled inbound with a known customer. */
  fcrEligible: boolean;
  channel: string;
  did: string | null;
  /** Handled contacts only ('' for none); null when not handled. */
  disposition: string | null;
  /** The queue entry and agent that handled it last (null when none). */
  queueId: string | null;
  queueAt: number | null;
  agentId: string | null;
  agentAt: number | null;
}

export interface QueueFact {
  queueId: string;
  enteredAt: number;
  outcome: 'answered' | 'abandoned' | 'overflowed' | 'other';
  waitMs: number;
}

export interface ContactFacts {
  record: ContactRecord;
  queueFacts: QueueFact[];
  contributions: Contribution[];
}

export interface FactContext {
  /** The queue's service-level threshold T, seconds. */
  serviceLevelSeconds(queueId: string): number;
  /** The queue's short-abandon threshold, seconds. */
  shortAbandonSeconds(queueId: string): number;
}

const ms = (iso: string): number => Date.parse(iso);
const MISSED = new Set(['timeout', 'rejected', 'unreachable']);

/** A record is final (and rolled up) once it ended and, if an agent answered it, their wrap-up is over. */
export const isFinal = (i: Pick<Interaction, 'endedAt' | 'answeredAt' | 'wrapUpEndedAt'>): boolean => !!i.endedAt && (!i.answeredAt || !!i.wrapUpEndedAt);

/** A customer as first-contact resolution matches them: a digest of customer_id, else of customer_address (no number is kept). */
export const customerKeyOf = (i: Pick<Interaction, 'customerId' | 'customerAddress'>): string | null => {
  const key = i.customerId ?? i.customerAddress;
  return key ? customerDigest(key) : null;
};

export const customerDigest = (key: string): string => hash('sha256', key, 'base64url').slice(0, 22);

interface AgentWork {
  agentId: string;
  firstAt: number;
  /** The earliest start of the agent's offers and talks. */
  firstOfferOrTalk: number;
  firstTalkSeq: number | null;
  talkMs: number;
  holdMs: number;
  wrapMs: number;
  offers: number;
  offersAccepted: number;
  offersMissed: number;
  transfers: number;
}

/** A queue segment's outcome as the rollups count it. */
export function queueOutcome(outcome: string | null): QueueFact['outcome'] {
  if (outcome === 'answered' || outcome === 'abandoned') return outcome;
  if (outcome?.startsWith('overflow:')) return 'overflowed';
  return 'other';
}

/** What one queue entry adds: its outcome, and whether its wait was within T and under the short-abandon threshold. */
export function queueMeasures(outcome: QueueFact['outcome'], waitMs: number, t: number, short: number): Partial<Measures> {
  switch (outcome) {
    case 'answered': return { offered: 1, answered: 1, answeredInSl: withinServiceLevel(waitMs, t) ? 1 : 0, waitAnsweredMs: waitMs };
    case 'abandoned': {
      const inSl = withinServiceLevel(waitMs, t) ? 1 : 0;
      return isShortAbandon(waitMs, short)
        ? { offered: 1, shortAbandoned: 1, shortAbandonedInSl: inSl, waitAbandonedMs: waitMs }
        : { offered: 1, abandoned: 1, abandonedInSl: inSl, waitAbandonedMs: waitMs };
    }
    case 'overflowed': return { offered: 1, overflowed: 1 };
    case 'other': return { offered: 1, otherEnded: 1 };
  }
}

/** The handling of the agents who took a contact (from one queue entry, or all of them), added to `m`. */
function addHandling(m: Partial<Measures>, agents: readonly AgentWork[]): Partial<Measures> {
  let talked = false;
  let talkMs = 0;
  let holdMs = 0;
  let wrapMs = 0;
  let transferred = 0;
  for (const a of agents) {
    wrapMs += a.wrapMs;
    if (a.firstTalkSeq === null) continue;
    talked = true;
    talkMs += a.talkMs;
    holdMs += a.holdMs;
    if (a.transfers > 0) transferred = 1;
  }
  if (!talked) return m;
  m.handled = 1;
  m.talkMs = talkMs;
  m.holdMs = holdMs;
  m.wrapMs = wrapMs;
  m.transferred = transferred;
  return m;
}

const bySeq = (a: Segment, b: Segment): number => a.seq - b.seq;

function inSeqOrder(segments: readonly Segment[]): readonly Segment[] {
  for (let k = 1; k < segments.length; k++) if (segments[k - 1]!.seq > segments[k]!.seq) return [...segments].sort(bySeq);
  return segments;
}

export function contactFacts(i: Interaction, ctx: FactContext): ContactFacts {
  const segs = inSeqOrder(i.segments);
  const n = segs.length;
  // Each segment's start and end, parsed once; an open segment ends when the interaction did (or at its start).
  const endedAt = i.endedAt != null ? ms(i.endedAt) : null;
  const starts = new Array<number>(n);
  const ends = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    const s = segs[k]!;
    starts[k] = ms(s.startedAt);
    ends[k] = s.endedAt != null ? ms(s.endedAt) : endedAt ?? starts[k]!;
  }
  const arrivedAt = ms(i.arrivedAt);

  // Agents' work, segment by segment.
  const agents = new Map<string, AgentWork>();
  const agentOf = (id: string, at: number): AgentWork => {
    let a = agents.get(id);
    if (!a) {
      a = { agentId: id, firstAt: at, firstOfferOrTalk: Infinity, firstTalkSeq: null, talkMs: 0, holdMs: 0, wrapMs: 0, offers: 0, offersAccepted: 0, offersMissed: 0, transfers: 0 };
      agents.set(id, a);
    }
    return a;
  };
  const talks: number[] = [];
  const holds: number[] = [];
  const queues: number[] = [];
  for (let k = 0; k < n; k++) {
    const s = segs[k]!;
    const start = starts[k]!;
    if (s.kind === 'queue') {
      if (s.queueId) queues.push(k);
    } else if (s.kind === 'hold') {
      holds.push(k);
    } else if (!s.agentId) {
      continue;
    } else if (s.kind === 'offer') {
      const a = agentOf(s.agentId, start);
      a.firstOfferOrTalk = Math.min(a.firstOfferOrTalk, start);
      a.offers += 1;
      if (s.outcome === 'accepted') a.offersAccepted += 1;
      if (s.outcome && MISSED.has(s.outcome)) a.offersMissed += 1;
    } else if (s.kind === 'talk') {
      talks.push(k);
      const a = agentOf(s.agentId, start);
      a.firstOfferOrTalk = Math.min(a.firstOfferOrTalk, start);
      a.firstTalkSeq ??= s.seq;
      a.talkMs += ends[k]! - start;
    } else if (s.kind === 'wrap-up') {
      agentOf(s.agentId, start).wrapMs += ends[k]! - start;
    } else if (s.kind === 'transfer') {
      agentOf(s.agentId, start).transfers += 1;
    }
  }
  // A hold belongs to the talk it falls in (the holding agent's, when theirs is among them).
  for (const h of holds) {
    const start = starts[h]!;
    let talk: number | undefined;
    for (const t of talks) {
      if (!(starts[t]! <= start && start < ends[t]!)) continue;
      if (segs[t]!.agentId === segs[h]!.agentId) { talk = t; break; }
      talk = t;
    }
    if (talk === undefined) continue;
    const held = Math.max(0, Math.min(ends[h]!, ends[talk]!) - start);
    const a = agents.get(segs[talk]!.agentId!)!;
    a.holdMs += held;
    a.talkMs -= held;
  }
  for (const a of agents.values()) if (a.firstOfferOrTalk !== Infinity) a.firstAt = Math.min(a.firstAt, a.firstOfferOrTalk);

  // Queue entries, and which agents each one's answer led to.
  const entryOfAgent = new Map<string, number>();
  for (const a of agents.values()) {
    if (a.firstTalkSeq === null) continue;
    let entry: number | undefined;
    for (const q of queues) if (segs[q]!.seq < a.firstTalkSeq && segs[q]!.outcome === 'answered') entry = q;
    if (entry !== undefined) entryOfAgent.set(a.agentId, entry);
  }
  const queueFacts: QueueFact[] = [];
  const contributions: Contribution[] = [];
  for (const q of queues) {
    const s = segs[q]!;
    const queueId = s.queueId!;
    const enteredAt = starts[q]!;
    const outcome = queueOutcome(s.outcome);
    const waitMs = Math.max(0, ends[q]! - enteredAt);
    queueFacts.push({ queueId, enteredAt, outcome, waitMs });
    const measures = queueMeasures(outcome, waitMs, ctx.serviceLevelSeconds(queueId), ctx.shortAbandonSeconds(queueId));
    if (entryOfAgent.size > 0) {
      const handledHere: AgentWork[] = [];
      for (const a of agents.values()) if (entryOfAgent.get(a.agentId) === q) handledHere.push(a);
      addHandling(measures, handledHere);
    }
    contributions.push({ dimension: 'queue', key: queueId, at: enteredAt, measures });
  }
  let offers = 0;
  let offersAccepted = 0;
  let offersMissed = 0;
  for (const a of agents.values()) {
    const talked = a.firstTalkSeq !== null;
    offers += a.offers;
    offersAccepted += a.offersAccepted;
    offersMissed += a.offersMissed;
    contributions.push({
      dimension: 'agent', key: a.agentId, at: a.firstAt,
      measures: {
        handled: talked ? 1 : 0, talkMs: talked ? a.talkMs : 0, holdMs: talked ? a.holdMs : 0, wrapMs: a.wrapMs,
        transferred: talked && a.transfers > 0 ? 1 : 0, offers: a.offers, offersAccepted: a.offersAccepted, offersMissed: a.offersMissed,
      },
    });
  }

  // The customer's view: first entry to answer (or to leaving the last queue).
  const customer: Partial<Measures> = { contacts: 1 };
  if (queues.length > 0) {
    let last = queues[queues.length - 1]!;
    for (const q of queues) if (segs[q]!.outcome === 'answered') { last = q; break; }
    const lastQueue = segs[last]!.queueId!;
    const waitMs = Math.max(0, ends[last]! - starts[queues[0]!]!);
    Object.assign(customer, queueMeasures(queueOutcome(segs[last]!.outcome), waitMs, ctx.serviceLevelSeconds(lastQueue), ctx.shortAbandonSeconds(lastQueue)));
  }
  const all = [...agents.values()];
  const handled = all.some((a) => a.firstTalkSeq !== null);
  addHandling(customer, all);
  customer.offers = offers;
  customer.offersAccepted = offersAccepted;
  customer.offersMissed = offersMissed;
  const inbound = i.direction === 'inbound';
  const did = inbound && i.dialled ? i.dialled : null;
  const disposition = handled ? i.disposition ?? '' : null;
  contributions.push({ dimension: 'channel', key: i.channel, at: arrivedAt, measures: customer });
  if (did) contributions.push({ dimension: 'did', key: did, at: arrivedAt, measures: customer });
  if (disposition !== null) contributions.push({ dimension: 'disposition', key: disposition, at: arrivedAt, measures: customer });

  // Who handled it last: the record's agent when they talked to the customer, else the last who did.
  let finalAgent: string | null = talks.length > 0 ? segs[talks[talks.length - 1]!]!.agentId! : null;
  if (i.agentId && talks.some((t) => segs[t]!.agentId === i.agentId)) finalAgent = i.agentId;
  const entry = finalAgent ? entryOfAgent.get(finalAgent) : undefined;
  const finalEntry = entry ?? (queues.length > 0 ? queues[queues.length - 1]! : undefined);
  const customerKey = customerKeyOf(i);
  const record: ContactRecord = {
    interactionId: i.id, arrivedAt, customerKey, inbound, fcrEligible: inbound && handled && customerKey !== null,
    channel: i.channel, did, disposition,
    queueId: finalEntry !== undefined ? segs[finalEntry]!.queueId : null, queueAt: finalEntry !== undefined ? starts[finalEntry]! : null,
    agentId: finalAgent, agentAt: finalAgent ? agents.get(finalAgent)!.firstAt : null,
  };
  return { record, queueFacts, contributions };
}

/** Where a contact's resolution and survey count: its final queue entry and agent, its channel, DID and disposition. */
export function outcomeContributions(r: ContactRecord, measures: Partial<Measures>): Contribution[] {
  const out: Contribution[] = [{ dimension: 'channel', key: r.channel, at: r.arrivedAt, measures }];
  if (r.queueId && r.queueAt !== null) out.push({ dimension: 'queue', key: r.queueId, at: r.queueAt, measures });
  if (r.agentId && r.agentAt !== null) out.push({ dimension: 'agent', key: r.agentId, at: r.agentAt, measures });
  if (r.did) out.push({ dimension: 'did', key: r.did, at: r.arrivedAt, measures });
  if (r.disposition !== null) out.push({ dimension: 'disposition', key: r.disposition, at: r.arrivedAt, measures });
  return out;
}

/** Which earlier contacts a contact repeats: same customer, inbound, arrived within the window before it. */
export function repeats(later: Pick<ContactRecord, 'customerKey' | 'inbound' | 'arrivedAt'>, earlier: Pick<ContactRecord, 'customerKey' | 'arrivedAt'>, windowDays: number): boolean {
  return later.inbound && later.customerKey !== null && later.customerKey === earlier.customerKey
    && later.arrivedAt > earlier.arrivedAt && later.arrivedAt - earlier.arrivedAt <= windowDays * 86_400_000;
}

type Arrival = Pick<ContactRecord, 'interactionId' | 'customerKey' | 'inbound' | 'arrivedAt'>;

/**
 * The ids of `contacts` that a contact of `later` repeats (`repeats`): for each contact, the first
 * inbound contact of the same customer that arrived after it, if within the window.
 */
export function repeatedBy(contacts: readonly Arrival[], later: readonly Arrival[], windowDays: number): Set<string> {
  const arrivals = new Map<string, number[]>();
  for (const l of later) {
    if (!l.inbound || l.customerKey === null) continue;
    const list = arrivals.get(l.customerKey);
    if (list) list.push(l.arrivedAt);
    else arrivals.set(l.customerKey, [l.arrivedAt]);
  }
  for (const list of arrivals.values()) if (list.length > 1) list.sort((a, b) => a - b);
  const windowMs = windowDays * 86_400_000;
  const out = new Set<string>();
  for (const c of contacts) {
    const list = c.customerKey === null ? undefined : arrivals.get(c.customerKey);
    if (!list) continue;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]! > c.arrivedAt) hi = mid;
      else lo = mid + 1;
    }
    const next = list[lo];
    if (next !== undefined && next - c.arrivedAt <= windowMs) out.add(c.interactionId);
  }
  return out;
}
