// The ACD decision core: the rules of README.md over incremental indexes, so that an event costs
// time in what it touches rather than in the size of the center. Same decisions as
// ReferenceMatcher, which reads the rules literally.
//
// Indexes:
// - waiting contacts in buckets of one (queue, channel, contact priority, effective requirements),
//   each ordered by (enqueuedAt, id); inside a bucket rank never decreases towards the head, so a
//   bucket's head is its best contact (rule 2);
// - buckets grouped by (channel, effective requirements), each group listed under its "anchor",
//   the required skill fewest agents have: a free agent scans only the groups anchored on its own
//   skills, tests the group's requirements once, and compares the heads of its buckets;
// - eligible agents (Available, load below capacity) per channel and per channel and skill: a new
//   contact scans the smallest set among its required skills (rule 1);
// - two binary heaps (flatqueue) of the next relaxation step and the max-wait deadline per contact,
//   entries checked against the contact on the way out instead of deleted; the relaxation heap is
//   drained on every call, so buckets always hold the requirements in force at `now`.
import FlatQueue from 'flatqueue';
import {
  AGENT_STATES, CHANNELS, CONTACT_STATUSES, ROUTING_STRATEGIES, agentHasContacts, perChannel, checkAgent, checkAgentState, checkContact, checkQueue,
  checkTime, contactExists, contactState, queueInUse, unknownAgent, unknownContact, unknownQueue,
  type Agent, type AgentState, type AgentStatus, type Channel, type CheckedAgent, type CheckedContact, type CheckedQueue, type Contact, type ContactDistributor,
  type ContactStatus, type ContactStatusKind, type Queue, type QueueStats, type RoutingDecision, type RoutingStrategy, type SkillRequirement,
} from './routing-model.ts';

const CHANNEL_COUNT = CHANNELS.length;
const CHANNEL_INDEX = Object.fromEntries(CHANNELS.map((ch, i) => [ch, i])) as Record<Channel, number>;

/** An effective requirement set in skill-name order; one shared object per distinct set. */
interface Requirements {
  key: string;
  skills: number[];
  mins: number[];
}

interface AgentRec {
  id: string;
  def: CheckedAgent;
  /** Proficiency by interned skill index; indexes past the end are skills the agent lacks. */
  prof: Int8Array;
  skillIds: number[];
  cap: Int32Array;
  load: Int32Array;
  /** 1 where the agent is in the eligible index of that channel. */
  listed: Uint8Array;
  state: AgentState;
  reason: string | null;
  stateSince: number;
  idleSince: number;
  handled: number;
  busyMs: number;
  availableMs: number;
  offered: Set<ContactRec>;
  assigned: Set<ContactRec>;
}

interface QueueRec {
  id: string;
  def: CheckedQueue;
  priority: number;
  strategy: RoutingStrategy;
  /** 0: no aging. */
  agingMs: number;
  maxWaitMs: number;
  stepMs: number[];
  /** Effective requirements per relaxation stage, by the contact's own requirement key. */
  stages: Map<string, Requirements[]>;
  /** Non-empty buckets of this queue. */
  buckets: Map<string, Bucket>;
  /** Contacts waiting or offered. */
  members: Set<ContactRec>;
  waiting: number;
  offered: number;
  offers: number;
  lastOffer: Map<string, number>;
}

interface Bucket {
  key: string;
  queue: QueueRec;
  /** queue priority + contact priority. */
  base: number;
  /** The queue's, kept here with the head's enqueuedAt so that comparing heads reads one object. */
  agingMs: number;
  headAt: number;
  items: ContactRec[];
  group: Group;
  slot: number;
}

interface Group {
  key: string;
  skills: number[];
  mins: number[];
  buckets: Bucket[];
  list: Group[];
  slot: number;
}

interface ContactRec {
  id: string;
  queue: QueueRec;
  channel: Channel;
  ch: number;
  enqueuedAt: number;
  queuedAt: number;
  priority: number;
  requirements: SkillRequirement[];
  ownKey: string;
  status: ContactStatusKind;
  agent: AgentRec | null;
  stages: Requirements[];
  stage: number;
  matchedStage: number;
  bucket: Bucket | null;
  live: boolean;
  stageDueAt: number;
  overflowDueAt: number;
  pending: boolean;
  collected: boolean;
}

/** Bucket order: earlier enqueuedAt first, then contact id. */
const before = (a: ContactRec, b: ContactRec): boolean => a.enqueuedAt < b.enqueuedAt || (a.enqueuedAt === b.enqueuedAt && a.id < b.id);

function matches(prof: Int8Array, reqs: { skills: number[]; mins: number[] }): boolean {
  const skills = reqs.skills;
  const mins = reqs.mins;
  for (let i = 0; i < skills.length; i++) if ((prof[skills[i]!] ?? 0) < mins[i]!) return false;
  return true;
}

const rankOf = (c: ContactRec, now: number): number => {
  const q = c.queue;
  return q.agingMs === 0 ? q.priority + c.priority : q.priority + c.priority + Math.floor((now - c.enqueuedAt) / q.agingMs);
};

/** Rule 2's order: higher rank, then earlier enqueuedAt, then id. */
const byRank = (now: number) => (a: ContactRec, b: ContactRec): number => {
  const d = rankOf(b, now) - rankOf(a, now);
  if (d !== 0) return d;
  return before(a, b) ? -1 : before(b, a) ? 1 : 0;
};

export class RoutingCore implements ContactDistributor {
  readonly #agents = new Map<string, AgentRec>();
  readonly #queues = new Map<string, QueueRec>();
  readonly #contacts = new Map<string, ContactRec>();
  readonly #skillIndex = new Map<string, number>();
  /** Agents having each skill, to pick a group's anchor. */
  readonly #skillAgents: number[] = [];
  readonly #requirements = new Map<string, Requirements>();
  readonly #eligible: Set<AgentRec>[] = CHANNELS.map(() => new Set());
  readonly #eligibleBySkill: (Set<AgentRec> | undefined)[][] = CHANNELS.map(() => []);
  readonly #groups = new Map<string, Group>();
  /** Per channel, per anchor skill index + 1 (0: groups with no requirement). */
  readonly #groupsByAnchor: (Group[] | undefined)[][] = CHANNELS.map(() => []);
  readonly #stageDue = new FlatQueue<ContactRec>();
  readonly #overflowDue = new FlatQueue<ContactRec>();
  /** Waiting contacts whose relaxation stage moved since the last tick. */
  #pending: ContactRec[] = [];
  readonly #stateCounts: Record<AgentState, number> = { Offline: 0, Available: 0, Busy: 0, AfterCallWork: 0, NotReady: 0 };
  #now = Number.MIN_SAFE_INTEGER;
  #found: ContactRec | null = null;
  #foundRank = 0;

  /** `now`, never earlier than a time already seen; committed by #advance once the call is valid. */
  #time(now: number): number {
    return Math.max(checkTime('now', now), this.#now);
  }

  // Applies every relaxation step due by `now`, moving waiting contacts to the buckets of their new requirements.
  #advance(now: number): void {
    this.#now = now;
    const heap = this.#stageDue;
    for (let due = heap.peekValue(); due !== undefined && due <= now; due = heap.peekValue()) {
      const c = heap.pop()!;
      if (!c.live || c.stageDueAt !== due) continue;
      const stage = this.#stageAt(c, now);
      if (c.status === CONTACT_STATUSES.Waiting) {
        this.#unplace(c);
        c.stage = stage;
        this.#place(c);
        if (!c.pending) {
          c.pending = true;
          this.#pending.push(c);
        }
      } else {
        c.stage = stage;
      }
      this.#scheduleStage(c);
    }
  }

  #stageAt(c: ContactRec, now: number): number {
    const steps = c.queue.stepMs;
    const waited = now - c.queuedAt;
    let n = 0;
    while (n < steps.length && waited >= steps[n]!) n++;
    return n;
  }

  #scheduleStage(c: ContactRec): void {
    const steps = c.queue.stepMs;
    if (c.stage < steps.length) {
      c.stageDueAt = c.queuedAt + steps[c.stage]!;
      this.#stageDue.push(c, c.stageDueAt);
    } else {
      c.stageDueAt = Infinity;
    }
  }

  #scheduleOverflow(c: ContactRec): void {
    c.overflowDueAt = c.queuedAt + c.queue.maxWaitMs;
    if (c.overflowDueAt !== Infinity) this.#overflowDue.push(c, c.overflowDueAt);
  }

  #skill(name: string): number {
    let i = this.#skillIndex.get(name);
    if (i === undefined) {
      i = this.#skillIndex.size;
      this.#skillIndex.set(name, i);
      this.#skillAgents.push(0);
    }
    return i;
  }

  #requirementsOf(m: Map<string, number>): Requirements {
    const entries = [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const key = JSON.stringify(entries);
    let r = this.#requirements.get(key);
    if (!r) {
      r = { key, skills: entries.map(([s]) => this.#skill(s)), mins: entries.map(([, v]) => v) };
      this.#requirements.set(key, r);
    }
    return r;
  }

  // Effective requirements: queue ∪ contact (higher minimum), then each relaxation step in order.
  #stageTable(q: QueueRec, own: SkillRequirement[], ownKey: string): Requirements[] {
    const cached = q.stages.get(ownKey);
    if (cached) return cached;
    const m = new Map<string, number>();
    for (const r of q.def.requirements) m.set(r.skill, r.minProficiency);
    for (const r of own) m.set(r.skill, Math.max(m.get(r.skill) ?? 0, r.minProficiency));
    const table = [this.#requirementsOf(m)];
    for (const step of q.def.relaxation) {
      for (const d of step.drop) m.delete(d);
      for (const l of step.lower) if (m.has(l.skill)) m.set(l.skill, l.minProficiency);
      table.push(this.#requirementsOf(m));
    }
    q.stages.set(ownKey, table);
    return table;
  }

  #group(ch: number, reqs: Requirements): Group {
    const key = `${ch}:${reqs.key}`;
    let g = this.#groups.get(key);
    if (!g) {
      let anchor = -1;
      for (const s of reqs.skills) if (anchor < 0 || this.#skillAgents[s]! < this.#skillAgents[anchor]!) anchor = s;
      const lists = this.#groupsByAnchor[ch]!;
      const list = lists[anchor + 1] ?? (lists[anchor + 1] = []);
      g = { key, skills: reqs.skills, mins: reqs.mins, buckets: [], list, slot: -1 };
      this.#groups.set(key, g);
    }
    return g;
  }

  #place(c: ContactRec): void {
    const q = c.queue;
    const reqs = c.stages[c.stage]!;
    const key = `${c.ch}:${c.priority}:${reqs.key}`;
    let b = q.buckets.get(key);
    if (!b) {
      const group = this.#group(c.ch, reqs);
      b = { key, queue: q, base: q.priority + c.priority, agingMs: q.agingMs, headAt: c.enqueuedAt, items: [], group, slot: group.buckets.length };
      q.buckets.set(key, b);
      group.buckets.push(b);
      if (group.buckets.length === 1) {
        group.slot = group.list.length;
        group.list.push(group);
      }
    }
    const items = b.items;
    const n = items.length;
    if (n === 0 || before(items[n - 1]!, c)) {
      items.push(c);
    } else {
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (before(c, items[mid]!)) hi = mid;
        else lo = mid + 1;
      }
      items.splice(lo, 0, c);
    }
    b.headAt = items[0]!.enqueuedAt;
    c.bucket = b;
  }

  #unplace(c: ContactRec): void {
    const b = c.bucket;
    if (!b) return;
    c.bucket = null;
    const items = b.items;
    if (items[0] === c) {
      items.shift();
    } else {
      let lo = 0;
      let hi = items.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (before(items[mid]!, c)) lo = mid + 1;
        else hi = mid;
      }
      items.splice(lo, 1);
    }
    if (items.length > 0) {
      b.headAt = items[0]!.enqueuedAt;
      return;
    }
    b.queue.buckets.delete(b.key);
    const g = b.group;
    const last = g.buckets.pop()!;
    if (last !== b) {
      g.buckets[b.slot] = last;
      last.slot = b.slot;
    }
    if (g.buckets.length > 0) return;
    const lastGroup = g.list.pop()!;
    if (lastGroup !== g) {
      g.list[g.slot] = lastGroup;
      lastGroup.slot = g.slot;
    }
    this.#groups.delete(g.key);
  }

  // Keeps the agent in the eligible index of each channel where it is Available with free capacity.
  #list(a: AgentRec): void {
    for (let ch = 0; ch < CHANNEL_COUNT; ch++) {
      const want = a.state === AGENT_STATES.Available && a.load[ch]! < a.cap[ch]! ? 1 : 0;
      if (want === a.listed[ch]) continue;
      a.listed[ch] = want;
      const bySkill = this.#eligibleBySkill[ch]!;
      if (want) {
        this.#eligible[ch]!.add(a);
        for (const s of a.skillIds) (bySkill[s] ?? (bySkill[s] = new Set())).add(a);
      } else {
        this.#eligible[ch]!.delete(a);
        for (const s of a.skillIds) bySkill[s]?.delete(a);
      }
    }
  }

  #unlist(a: AgentRec): void {
    for (let ch = 0; ch < CHANNEL_COUNT; ch++) {
      if (!a.listed[ch]) continue;
      a.listed[ch] = 0;
      this.#eligible[ch]!.delete(a);
      for (const s of a.skillIds) this.#eligibleBySkill[ch]![s]?.delete(a);
    }
  }

  #setSkills(a: AgentRec, def: CheckedAgent): void {
    for (const s of a.skillIds) this.#skillAgents[s]!--;
    const ids = Object.keys(def.skills).map((name) => this.#skill(name));
    const prof = new Int8Array(this.#skillIndex.size);
    for (const [name, p] of Object.entries(def.skills)) prof[this.#skill(name)] = p;
    for (const s of ids) this.#skillAgents[s]!++;
    a.def = def;
    a.prof = prof;
    a.skillIds = ids;
    CHANNELS.forEach((ch, i) => { a.cap[i] = def.capacity[ch]; });
  }

  // Occupancy = handle time (Busy + AfterCallWork) / (handle time + Available time), since login; the agent is Available.
  #occupancy(a: AgentRec, now: number): number {
    const busy = a.busyMs;
    const total = busy + (a.availableMs + (now - a.stateSince));
    return total === 0 ? 0 : busy / total;
  }

  // Rule 1: the eligible matching agent with the highest proficiency sum, then the queue's strategy, then id.
  #bestAgent(c: ContactRec, now: number): AgentRec | null {
    const reqs = c.stages[c.stage]!;
    const ch = c.ch;
    let pool: Set<AgentRec> | undefined;
    if (reqs.skills.length === 0) {
      pool = this.#eligible[ch]!;
    } else {
      const bySkill = this.#eligibleBySkill[ch]!;
      for (const s of reqs.skills) {
        const set = bySkill[s];
        if (!set || set.size === 0) return null;
        if (!pool || set.size < pool.size) pool = set;
      }
    }
    if (!pool) return null;
    const q = c.queue;
    const strategy = q.strategy;
    const skills = reqs.skills;
    let best: AgentRec | null = null;
    let bestSum = 0;
    let bestK1 = 0;
    let bestK2 = 0;
    for (const a of pool) {
      const prof = a.prof;
      if (!matches(prof, reqs)) continue;
      let sum = 0;
      for (let i = 0; i < skills.length; i++) sum += prof[skills[i]!] ?? 0;
      let k1: number;
      let k2 = 0;
      if (strategy === ROUTING_STRATEGIES.LongestIdle) {
        k1 = a.idleSince;
      } else if (strategy === ROUTING_STRATEGIES.LeastOccupied) {
        k1 = this.#occupancy(a, now);
        k2 = a.idleSince;
      } else {
        k1 = q.lastOffer.get(a.id) ?? 0;
      }
      if (best === null || sum > bestSum || (sum === bestSum && (k1 < bestK1 || (k1 === bestK1 && (k2 < bestK2 || (k2 === bestK2 && a.id < best.id)))))) {
        best = a;
        bestSum = sum;
        bestK1 = k1;
        bestK2 = k2;
      }
    }
    return best;
  }

  #scan(groups: Group[] | undefined, prof: Int8Array, now: number): void {
    if (!groups) return;
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (!matches(prof, g)) continue;
      const buckets = g.buckets;
      for (let j = 0; j < buckets.length; j++) {
        const b = buckets[j]!;
        const agingMs = b.agingMs;
        const rank = agingMs === 0 ? b.base : b.base + Math.floor((now - b.headAt) / agingMs);
        if (rank < this.#foundRank) continue;
        const found = this.#found;
        if (found === null || rank > this.#foundRank || b.headAt < found.enqueuedAt || (b.headAt === found.enqueuedAt && b.items[0]!.id < found.id)) {
          this.#found = b.items[0]!;
          this.#foundRank = rank;
        }
      }
    }
  }

  // Rule 2: the best-ranked waiting contact the agent matches on a channel where it has free capacity.
  #bestContact(a: AgentRec, now: number): ContactRec | null {
    this.#found = null;
    this.#foundRank = -Infinity;
    for (let ch = 0; ch < CHANNEL_COUNT; ch++) {
      if (a.load[ch]! >= a.cap[ch]!) continue;
      const lists = this.#groupsByAnchor[ch]!;
      this.#scan(lists[0], a.prof, now);
      for (const s of a.skillIds) this.#scan(lists[s + 1], a.prof, now);
    }
    const found = this.#found;
    this.#found = null;
    return found;
  }

  #setStatus(c: ContactRec, status: ContactStatusKind): void {
    const q = c.queue;
    if (c.status === CONTACT_STATUSES.Waiting) q.waiting--;
    else if (c.status === CONTACT_STATUSES.Offered) q.offered--;
    c.status = status;
    if (status === CONTACT_STATUSES.Waiting) q.waiting++;
    else if (status === CONTACT_STATUSES.Offered) q.offered++;
  }

  #offer(c: ContactRec, a: AgentRec, out: RoutingDecision[]): void {
    const q = c.queue;
    this.#unplace(c);
    this.#setStatus(c, CONTACT_STATUSES.Offered);
    c.agent = a;
    a.offered.add(c);
    a.load[c.ch]!++;
    this.#list(a);
    q.offers++;
    q.lastOffer.set(a.id, q.offers);
    out.push({ type: 'offer', contactId: c.id, agentId: a.id, queueId: q.id });
  }

  /** Rule 1 for a waiting contact: offer it, or leave it in its bucket. */
  #route(c: ContactRec, now: number, out: RoutingDecision[]): void {
    c.matchedStage = c.stage;
    const a = this.#bestAgent(c, now);
    if (a) this.#offer(c, a, out);
    else if (!c.bucket) this.#place(c);
  }

  /** Rule 2, repeated while the agent has free capacity. */
  #fill(a: AgentRec, now: number, out: RoutingDecision[]): void {
    if (a.state !== AGENT_STATES.Available) return;
    for (let c = this.#bestContact(a, now); c; c = this.#bestContact(a, now)) this.#offer(c, a, out);
  }

  #release(c: ContactRec): AgentRec {
    const a = c.agent!;
    a.offered.delete(c);
    a.assigned.delete(c);
    a.load[c.ch]!--;
    this.#list(a);
    c.agent = null;
    return a;
  }

  #drop(c: ContactRec): void {
    this.#unplace(c);
    const q = c.queue;
    if (c.status === CONTACT_STATUSES.Waiting) q.waiting--;
    else if (c.status === CONTACT_STATUSES.Offered) q.offered--;
    q.members.delete(c);
    c.live = false;
    this.#contacts.delete(c.id);
  }

  /** Puts a contact into a queue it was not in, as waiting, with its relaxation and max wait measured from `queuedAt`. */
  #join(c: ContactRec, q: QueueRec, queuedAt: number, now: number): void {
    c.queue = q;
    c.queuedAt = queuedAt;
    c.stages = this.#stageTable(q, c.requirements, c.ownKey);
    c.stage = this.#stageAt(c, now);
    this.#scheduleStage(c);
    this.#scheduleOverflow(c);
    q.members.add(c);
    c.status = CONTACT_STATUSES.Waiting;
    q.waiting++;
  }

  #queueRec(def: CheckedQueue): QueueRec {
    return {
      id: def.id, def, priority: def.priority, strategy: def.strategy, agingMs: (def.agingSecondsPerLevel ?? 0) * 1000,
      maxWaitMs: def.maxWaitSeconds === undefined ? Infinity : def.maxWaitSeconds * 1000, stepMs: def.relaxation.map((s) => s.afterSeconds * 1000),
      stages: new Map(), buckets: new Map(), members: new Set(), waiting: 0, offered: 0, offers: 0, lastOffer: new Map(),
    };
  }

  #queue(id: string): QueueRec {
    const q = this.#queues.get(id);
    if (!q) throw unknownQueue(id);
    return q;
  }

  /** A contact's record, in no bucket and with no deadline yet. */
  #contactRecOf(def: CheckedContact, q: QueueRec, status: ContactStatusKind, agent: AgentRec | null): ContactRec {
    return {
      id: def.id, queue: q, channel: def.channel, ch: CHANNEL_INDEX[def.channel], enqueuedAt: def.enqueuedAt, queuedAt: def.enqueuedAt,
      priority: def.priority, requirements: def.requirements, ownKey: JSON.stringify(def.requirements), status,
      agent, stages: [], stage: 0, matchedStage: 0, bucket: null, live: true, stageDueAt: Infinity, overflowDueAt: Infinity,
      pending: false, collected: false,
    };
  }

  #agentRec(id: string): AgentRec {
    const a = this.#agents.get(id);
    if (!a) throw unknownAgent(id);
    return a;
  }

  #contactRec(id: string): ContactRec {
    const c = this.#contacts.get(id);
    if (!c) throw unknownContact(id);
    return c;
  }

  upsertQueue(queue: Queue, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const def = checkQueue(queue, (id) => this.#queues.has(id));
    this.#advance(t);
    const q = this.#queues.get(def.id);
    if (!q) {
      this.#queues.set(def.id, this.#queueRec(def));
      return [];
    }
    const members = [...q.members];
    for (const c of members) this.#unplace(c);
    Object.assign(q, this.#queueRec(def), { members: q.members, waiting: q.waiting, offered: q.offered, offers: q.offers, lastOffer: q.lastOffer });
    for (const c of members) {
      c.stages = this.#stageTable(q, c.requirements, c.ownKey);
      c.stage = this.#stageAt(c, t);
      this.#scheduleStage(c);
      this.#scheduleOverflow(c);
    }
    const out: RoutingDecision[] = [];
    for (const c of members.filter((m) => m.status === CONTACT_STATUSES.Waiting).sort(byRank(t))) this.#route(c, t, out);
    return out;
  }

  removeQueue(queueId: string, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const q = this.#queue(queueId);
    for (const o of this.#queues.values()) if (o.def.overflow?.kind === 'queue' && o.def.overflow.queueId === queueId) throw queueInUse(queueId, o.id);
    this.#advance(t);
    const out: RoutingDecision[] = [];
    const released = new Set<AgentRec>();
    for (const c of [...q.members].sort(byRank(t))) {
      out.push({ type: 'overflow', contactId: c.id, queueId, target: { kind: 'hangup' } });
      if (c.status === CONTACT_STATUSES.Offered) released.add(this.#release(c));
      this.#drop(c);
    }
    this.#queues.delete(queueId);
    for (const a of [...released].sort((x, y) => (x.id < y.id ? -1 : 1))) this.#fill(a, t, out);
    return out;
  }

  upsertAgent(agent: Agent, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const def = checkAgent(agent);
    this.#advance(t);
    const existing = this.#agents.get(def.id);
    if (!existing) {
      const a: AgentRec = {
        id: def.id, def, prof: new Int8Array(0), skillIds: [], cap: new Int32Array(CHANNEL_COUNT), load: new Int32Array(CHANNEL_COUNT),
        listed: new Uint8Array(CHANNEL_COUNT), state: AGENT_STATES.Offline, reason: null, stateSince: t, idleSince: 0, handled: 0,
        busyMs: 0, availableMs: 0, offered: new Set(), assigned: new Set(),
      };
      this.#setSkills(a, def);
      this.#agents.set(a.id, a);
      this.#stateCounts.Offline++;
      return [];
    }
    this.#unlist(existing);
    this.#setSkills(existing, def);
    this.#list(existing);
    const out: RoutingDecision[] = [];
    this.#fill(existing, t, out);
    return out;
  }

  removeAgent(agentId: string, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const a = this.#agentRec(agentId);
    if (a.offered.size > 0 || a.assigned.size > 0) throw agentHasContacts(agentId);
    this.#advance(t);
    this.#unlist(a);
    for (const s of a.skillIds) this.#skillAgents[s]!--;
    this.#stateCounts[a.state]--;
    this.#agents.delete(agentId);
    for (const q of this.#queues.values()) q.lastOffer.delete(agentId);
    return [];
  }

  setAgentState(agentId: string, state: AgentState, now: number, reason?: string): RoutingDecision[] {
    const t = this.#time(now);
    const a = this.#agentRec(agentId);
    const next = checkAgentState(state, reason);
    this.#advance(t);
    if (next.state === a.state && next.reason === a.reason) return [];
    const elapsed = t - a.stateSince;
    if (a.state === AGENT_STATES.Busy || a.state === AGENT_STATES.AfterCallWork) a.busyMs += elapsed;
    else if (a.state === AGENT_STATES.Available) a.availableMs += elapsed;
    else if (a.state === AGENT_STATES.Offline) {
      a.busyMs = 0;
      a.availableMs = 0;
    }
    this.#stateCounts[a.state]--;
    this.#stateCounts[next.state]++;
    a.state = next.state;
    a.reason = next.reason;
    a.stateSince = t;
    a.idleSince = t;
    this.#list(a);
    const out: RoutingDecision[] = [];
    this.#fill(a, t, out);
    return out;
  }

  enqueue(contact: Contact, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const def = checkContact(contact, t);
    const q = this.#queue(def.queueId);
    if (this.#contacts.has(def.id)) throw contactExists(def.id);
    this.#advance(t);
    const c = this.#contactRecOf(def, q, CONTACT_STATUSES.Waiting, null);
    this.#join(c, q, def.enqueuedAt, t);
    this.#contacts.set(c.id, c);
    const out: RoutingDecision[] = [];
    this.#route(c, t, out);
    return out;
  }

  /**
   * A contact an agent had accepted before a restart (a background channel's work item they still
   * hold): assigned to them again, their capacity taken, never offered.
   */
  restoreAssigned(contact: Contact, agentId: string, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const def = checkContact(contact, t);
    const q = this.#queue(def.queueId);
    const a = this.#agentRec(agentId);
    if (this.#contacts.has(def.id)) throw contactExists(def.id);
    this.#advance(t);
    const c = this.#contactRecOf(def, q, CONTACT_STATUSES.Assigned, a);
    this.#contacts.set(c.id, c);
    a.assigned.add(c);
    a.load[c.ch]!++;
    this.#list(a);
    return [];
  }

  remove(contactId: string, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const c = this.#contactRec(contactId);
    if (c.status === CONTACT_STATUSES.Assigned) throw contactState(contactId, c.status, 'waiting or offered');
    this.#advance(t);
    const a = c.status === CONTACT_STATUSES.Offered ? this.#release(c) : null;
    this.#drop(c);
    const out: RoutingDecision[] = [];
    if (a) this.#fill(a, t, out);
    return out;
  }

  offerAccepted(contactId: string, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const c = this.#contactRec(contactId);
    if (c.status !== CONTACT_STATUSES.Offered) throw contactState(contactId, c.status, 'offered');
    this.#advance(t);
    this.#setStatus(c, CONTACT_STATUSES.Assigned);
    c.queue.members.delete(c);
    c.stageDueAt = Infinity;
    c.overflowDueAt = Infinity;
    const a = c.agent!;
    a.offered.delete(c);
    a.assigned.add(c);
    a.handled++;
    return [];
  }

  offerDeclined(contactId: string, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const c = this.#contactRec(contactId);
    if (c.status !== CONTACT_STATUSES.Offered) throw contactState(contactId, c.status, 'offered');
    this.#advance(t);
    const a = this.#release(c);
    this.#setStatus(c, CONTACT_STATUSES.Waiting);
    // Its deadline may have been taken off the heap by a tick while it was offered.
    if (c.overflowDueAt <= t) this.#overflowDue.push(c, c.overflowDueAt);
    const out: RoutingDecision[] = [];
    this.#route(c, t, out);
    this.#fill(a, t, out);
    return out;
  }

  contactEnded(contactId: string, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const c = this.#contactRec(contactId);
    if (c.status !== CONTACT_STATUSES.Assigned) throw contactState(contactId, c.status, 'assigned');
    this.#advance(t);
    const a = this.#release(c);
    this.#drop(c);
    if (a.state === AGENT_STATES.Available) a.idleSince = t;
    const out: RoutingDecision[] = [];
    this.#fill(a, t, out);
    return out;
  }

  tick(now: number): RoutingDecision[] {
    const t = this.#time(now);
    this.#advance(t);
    const out: RoutingDecision[] = [];
    const heap = this.#overflowDue;
    const due: ContactRec[] = [];
    for (let at = heap.peekValue(); at !== undefined && at <= t; at = heap.peekValue()) {
      const c = heap.pop()!;
      if (!c.live || c.overflowDueAt !== at || c.status !== CONTACT_STATUSES.Waiting || c.collected) continue;
      c.collected = true;
      due.push(c);
    }
    due.sort((x, y) => x.overflowDueAt - y.overflowDueAt || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    for (const c of due) {
      c.collected = false;
      const from = c.queue;
      const target = from.def.overflow ?? { kind: 'hangup' };
      out.push({ type: 'overflow', contactId: c.id, queueId: from.id, target });
      if (target.kind === 'queue') {
        this.#unplace(c);
        from.members.delete(c);
        from.waiting--;
        this.#join(c, this.#queue(target.queueId), t, t);
        this.#route(c, t, out);
      } else {
        this.#drop(c);
      }
    }
    const pending = this.#pending;
    this.#pending = [];
    const relaxed: ContactRec[] = [];
    for (const c of pending) {
      c.pending = false;
      if (c.live && c.status === CONTACT_STATUSES.Waiting && c.stage > c.matchedStage) relaxed.push(c);
    }
    relaxed.sort(byRank(t));
    for (const c of relaxed) this.#route(c, t, out);
    return out;
  }

  agent(agentId: string): AgentStatus | undefined {
    const a = this.#agents.get(agentId);
    if (!a) return undefined;
    const ids = (s: Set<ContactRec>): string[] => [...s].map((c) => c.id).sort();
    const load = perChannel(0);
    CHANNELS.forEach((ch, i) => { load[ch] = a.load[i]!; });
    return {
      id: a.id, skills: { ...a.def.skills }, capacity: { ...a.def.capacity }, state: a.state, reason: a.reason, stateSince: a.stateSince,
      idleSince: a.state === AGENT_STATES.Available ? a.idleSince : null, load, handled: a.handled, busyMs: a.busyMs,
      availableMs: a.availableMs, offered: ids(a.offered), assigned: ids(a.assigned),
    };
  }

  contact(contactId: string): ContactStatus | undefined {
    const c = this.#contacts.get(contactId);
    if (!c) return undefined;
    return {
      id: c.id, queueId: c.queue.id, channel: c.channel, enqueuedAt: c.enqueuedAt, queuedAt: c.queuedAt, priority: c.priority,
      requirements: c.requirements.map((r) => ({ ...r })), status: c.status, agentId: c.agent?.id ?? null,
    };
  }

  waiting(queueId: string, now: number): string[] {
    const q = this.#queue(queueId);
    const t = this.#time(now);
    const all: ContactRec[] = [];
    for (const b of q.buckets.values()) for (const c of b.items) all.push(c);
    return all.sort(byRank(t)).map((c) => c.id);
  }

  position(contactId: string, now: number): number {
    const c = this.#contactRec(contactId);
    if (c.status !== CONTACT_STATUSES.Waiting) return 0;
    const t = this.#time(now);
    const rank = rankOf(c, t);
    let ahead = 0;
    // Inside a bucket the contacts ahead of c form a prefix: rank does not increase along it.
    for (const b of c.queue.buckets.values()) {
      const items = b.items;
      const agingMs = b.queue.agingMs;
      let lo = 0;
      let hi = items.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const x = items[mid]!;
        const r = agingMs === 0 ? b.base : b.base + Math.floor((t - x.enqueuedAt) / agingMs);
        if (r > rank || (r === rank && before(x, c))) lo = mid + 1;
        else hi = mid;
      }
      ahead += lo;
    }
    return ahead + 1;
  }

  queueStats(queueId: string, now: number): QueueStats {
    const q = this.#queue(queueId);
    const t = this.#time(now);
    let longestWaitMs = 0;
    for (const b of q.buckets.values()) longestWaitMs = Math.max(longestWaitMs, t - b.items[0]!.enqueuedAt);
    return { waiting: q.waiting, longestWaitMs, offered: q.offered };
  }

  agentsByState(): Record<AgentState, number> {
    return { ...this.#stateCounts };
  }
}
