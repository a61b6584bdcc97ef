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
import { createHash } from 'node:crypto';
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

export const customerDigest = (key: string): string => createHash('sha256').update(key).digest('base64url').slice(0, 22);

interface AgentWork {
  agentId: string;
  firstAt: number;
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

function handling(agents: AgentWork[]): Partial<Measures> {
  const talked = agents.filter((a) => a.firstTalkSeq !== null);
  if (talked.length === 0) return {};
  return {
    handled: 1,
    talkMs: talked.reduce((s, a) => s + a.talkMs, 0),
    holdMs: talked.reduce((s, a) => s + a.holdMs, 0),
    wrapMs: agents.reduce((s, a) => s + a.wrapMs, 0),
    transferred: talked.some((a) => a.transfers > 0) ? 1 : 0,
  };
}

export function contactFacts(i: Interaction, ctx: FactContext): ContactFacts {
  const segs = [...i.segments].sort((a, b) => a.seq - b.seq);
  const endOf = (s: Segment): number => ms(s.endedAt ?? i.endedAt ?? s.startedAt);
  const arrivedAt = ms(i.arrivedAt);

  // Agents' work, segment by segment.
  const agents = new Map<string, AgentWork>();
  const agentOf = (id: string, at: number): AgentWork => {
    let a = agents.get(id);
    if (!a) {
      a = { agentId: id, firstAt: at, firstTalkSeq: null, talkMs: 0, holdMs: 0, wrapMs: 0, offers: 0, offersAccepted: 0, offersMissed: 0, transfers: 0 };
      agents.set(id, a);
    }
    return a;
  };
  const talks = segs.filter((s) => s.kind === 'talk' && s.agentId);
  for (const s of segs) {
    const start = ms(s.startedAt);
    if (s.kind === 'offer' && s.agentId) {
      const a = agentOf(s.agentId, start);
      a.offers += 1;
      if (s.outcome === 'accepted') a.offersAccepted += 1;
      if (s.outcome && MISSED.has(s.outcome)) a.offersMissed += 1;
    } else if (s.kind === 'talk' && s.agentId) {
      const a = agentOf(s.agentId, start);
      a.firstTalkSeq ??= s.seq;
      a.talkMs += endOf(s) - start;
    } else if (s.kind === 'wrap-up' && s.agentId) {
      agentOf(s.agentId, start).wrapMs += endOf(s) - start;
    } else if (s.kind === 'transfer' && s.agentId) {
      agentOf(s.agentId, start).transfers += 1;
    }
  }
  // A hold belongs to the talk it falls in (the holding agent's, when theirs is among them).
  for (const h of segs.filter((s) => s.kind === 'hold')) {
    const start = ms(h.startedAt);
    const containing = talks.filter((t) => ms(t.startedAt) <= start && start < endOf(t));
    const talk = containing.find((t) => t.agentId === h.agentId) ?? containing[containing.length - 1];
    if (!talk) continue;
    const held = Math.max(0, Math.min(endOf(h), endOf(talk)) - start);
    const a = agents.get(talk.agentId!)!;
    a.holdMs += held;
    a.talkMs -= held;
  }
  for (const a of agents.values()) a.firstAt = Math.min(a.firstAt, ...segs.filter((s) => s.agentId === a.agentId && (s.kind === 'offer' || s.kind === 'talk')).map((s) => ms(s.startedAt)));

  // Queue entries, and which agents each one's answer led to.
  const queues = segs.filter((s) => s.kind === 'queue' && s.queueId);
  const entryOfAgent = new Map<string, Segment>();
  for (const a of agents.values()) {
    if (a.firstTalkSeq === null) continue;
    const entry = queues.filter((q) => q.seq < a.firstTalkSeq! && q.outcome === 'answered').pop();
    if (entry) entryOfAgent.set(a.agentId, entry);
  }
  const queueFacts: QueueFact[] = [];
  const contributions: Contribution[] = [];
  for (const q of queues) {
    const queueId = q.queueId!;
    const enteredAt = ms(q.startedAt);
    const outcome = queueOutcome(q.outcome);
    const waitMs = Math.max(0, endOf(q) - enteredAt);
    queueFacts.push({ queueId, enteredAt, outcome, waitMs });
    const handledHere = [...agents.values()].filter((a) => entryOfAgent.get(a.agentId) === q);
    contributions.push({
      dimension: 'queue', key: queueId, at: enteredAt,
      measures: { ...queueMeasures(outcome, waitMs, ctx.serviceLevelSeconds(queueId), ctx.shortAbandonSeconds(queueId)), ...handling(handledHere) },
    });
  }
  for (const a of agents.values()) {
    const talked = a.firstTalkSeq !== null;
    contributions.push({
      dimension: 'agent', key: a.agentId, at: a.firstAt,
      measures: {
        handled: talked ? 1 : 0, talkMs: talked ? a.talkMs : 0, holdMs: talked ? a.holdMs : 0, wrapMs: a.wrapMs,
        transferred: talked && a.transfers > 0 ? 1 : 0, offers: a.offers, offersAccepted: a.offersAccepted, offersMissed: a.offersMissed,
      },
    });
  }

  // The customer's view: first entry to answer (or to leaving the last queue).
  let customer: Partial<Measures> = { contacts: 1 };
  const first = queues[0];
  if (first) {
    const answeredEntry = queues.find((q) => q.outcome === 'answered');
    const last = answeredEntry ?? queues[queues.length - 1]!;
    const lastOutcome = queueOutcome(last.outcome);
    const waitMs = Math.max(0, endOf(last) - ms(first.startedAt));
    customer = { ...customer, ...queueMeasures(lastOutcome, waitMs, ctx.serviceLevelSeconds(last.queueId!), ctx.shortAbandonSeconds(last.queueId!)) };
  }
  const all = [...agents.values()];
  const handled = all.some((a) => a.firstTalkSeq !== null);
  customer = {
    ...customer, ...handling(all),
    offers: all.reduce((s, a) => s + a.offers, 0), offersAccepted: all.reduce((s, a) => s + a.offersAccepted, 0), offersMissed: all.reduce((s, a) => s + a.offersMissed, 0),
  };
  const inbound = i.direction === 'inbound';
  const did = inbound && i.dialled ? i.dialled : null;
  const disposition = handled ? i.disposition ?? '' : null;
  contributions.push({ dimension: 'channel', key: i.channel, at: arrivedAt, measures: customer });
  if (did) contributions.push({ dimension: 'did', key: did, at: arrivedAt, measures: customer });
  if (disposition !== null) contributions.push({ dimension: 'disposition', key: disposition, at: arrivedAt, measures: customer });

  // Who handled it last: the record's agent when they talked to the customer, else the last who did.
  const talkedAgents = talks.map((t) => t.agentId!);
  const finalAgent = i.agentId && talkedAgents.includes(i.agentId) ? i.agentId : talkedAgents[talkedAgents.length - 1] ?? null;
  const finalEntry = (finalAgent ? entryOfAgent.get(finalAgent) : undefined) ?? queues[queues.length - 1];
  const customerKey = customerKeyOf(i);
  const record: ContactRecord = {
    interactionId: i.id, arrivedAt, customerKey, inbound, fcrEligible: inbound && handled && customerKey !== null,
    channel: i.channel, did, disposition,
    queueId: finalEntry?.queueId ?? null, queueAt: finalEntry ? ms(finalEntry.startedAt) : null,
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
