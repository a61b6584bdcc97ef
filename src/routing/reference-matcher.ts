// The routing rules read literally: every decision scans every agent and every contact and
// recomputes effective requirements, ranks and occupancy from their definitions. Slow on purpose;
// the oracle for RoutingCore in tests and its peer in bench/routing-engine.ts.
import {
  AGENT_STATES, CONTACT_STATUSES, agentHasContacts, checkAgent, checkAgentState, checkContact, checkQueue, checkTime,
  contactExists, contactState, perChannel, queueInUse, unknownAgent, unknownContact, unknownQueue,
  type Agent, type AgentState, type AgentStatus, type Channel, type CheckedQueue, type Contact, type ContactDistributor,
  type ContactStatus, type ContactStatusKind, type Queue, type QueueStats, type RoutingDecision, type SkillRequirement,
} from './routing-model.ts';

interface RefAgent {
  id: string;
  skills: Record<string, number>;
  capacity: Record<Channel, number>;
  state: AgentState;
  reason: string | null;
  stateSince: number;
  idleSince: number | null;
  load: Record<Channel, number>;
  handled: number;
  busyMs: number;
  availableMs: number;
}

interface RefQueue {
  def: CheckedQueue;
  offers: number;
  lastOffer: Map<string, number>;
}

interface RefContact {
  id: string;
  queueId: string;
  channel: Channel;
  enqueuedAt: number;
  queuedAt: number;
  priority: number;
  requirements: SkillRequirement[];
  status: ContactStatusKind;
  agentId: string | null;
  /** The relaxation stage at which rule 1 last ran for it. */
  matchedStage: number;
}

export class ReferenceMatcher implements ContactDistributor {
  readonly #agents = new Map<string, RefAgent>();
  readonly #queues = new Map<string, RefQueue>();
  readonly #contacts = new Map<string, RefContact>();
  #now = Number.MIN_SAFE_INTEGER;

  /** `now`, never earlier than a time already seen; the caller commits it with `this.#now = t` once the call is valid. */
  #time(now: number): number {
    return Math.max(checkTime('now', now), this.#now);
  }

  #queue(id: string): RefQueue {
    const q = this.#queues.get(id);
    if (!q) throw unknownQueue(id);
    return q;
  }

  #agentRec(id: string): RefAgent {
    const a = this.#agents.get(id);
    if (!a) throw unknownAgent(id);
    return a;
  }

  #contactRec(id: string): RefContact {
    const c = this.#contacts.get(id);
    if (!c) throw unknownContact(id);
    return c;
  }

  // Effective requirements: queue ∪ contact (higher minimum), then each due relaxation step in order.
  #effective(c: RefContact, now: number): Map<string, number> {
    const q = this.#queue(c.queueId).def;
    const m = new Map<string, number>();
    for (const r of q.requirements) m.set(r.skill, r.minProficiency);
    for (const r of c.requirements) m.set(r.skill, Math.max(m.get(r.skill) ?? 0, r.minProficiency));
    for (const step of q.relaxation) {
      if (now - c.queuedAt < step.afterSeconds * 1000) break;
      for (const d of step.drop) m.delete(d);
      for (const l of step.lower) if (m.has(l.skill)) m.set(l.skill, l.minProficiency);
    }
    return m;
  }

  #stage(c: RefContact, now: number): number {
    let n = 0;
    for (const step of this.#queue(c.queueId).def.relaxation) if (now - c.queuedAt >= step.afterSeconds * 1000) n++;
    return n;
  }

  #rank(c: RefContact, now: number): number {
    const q = this.#queue(c.queueId).def;
    const aging = q.agingSecondsPerLevel === undefined ? 0 : Math.floor((now - c.enqueuedAt) / (q.agingSecondsPerLevel * 1000));
    return q.priority + c.priority + aging;
  }

  /** Rule 2's order: rank, then enqueuedAt, then id. */
  #ahead(a: RefContact, b: RefContact, now: number): boolean {
    const ra = this.#rank(a, now);
    const rb = this.#rank(b, now);
    if (ra !== rb) return ra > rb;
    if (a.enqueuedAt !== b.enqueuedAt) return a.enqueuedAt < b.enqueuedAt;
    return a.id < b.id;
  }

  #byRank(list: RefContact[], now: number): RefContact[] {
    return list.sort((a, b) => (this.#ahead(a, b, now) ? -1 : this.#ahead(b, a, now) ? 1 : 0));
  }

  // Occupancy = handle time (Busy + AfterCallWork) / (handle time + Available time), since login.
  #occupancy(a: RefAgent, now: number): number {
    const current = now - a.stateSince;
    const busy = a.busyMs + (a.state === AGENT_STATES.Busy || a.state === AGENT_STATES.AfterCallWork ? current : 0);
    const available = a.availableMs + (a.state === AGENT_STATES.Available ? current : 0);
    const total = busy + available;
    return total === 0 ? 0 : busy / total;
  }

  #matches(a: RefAgent, reqs: Map<string, number>): boolean {
    for (const [skill, min] of reqs) if ((a.skills[skill] ?? 0) < min) return false;
    return true;
  }

  // Rule 1: the eligible matching agent with the highest proficiency sum, then the queue's strategy, then id.
  #bestAgent(c: RefContact, now: number): RefAgent | undefined {
    const reqs = this.#effective(c, now);
    const q = this.#queue(c.queueId);
    let best: RefAgent | undefined;
    let bestKey: number[] = [];
    for (const a of this.#agents.values()) {
      if (a.state !== AGENT_STATES.Available || a.load[c.channel] >= a.capacity[c.channel] || c.agentId === a.id) continue;
      if (!this.#matches(a, reqs)) continue;
      let sum = 0;
      for (const skill of reqs.keys()) sum += a.skills[skill] ?? 0;
      const idle = a.idleSince ?? 0;
      const key = q.def.strategy === 'longest-idle' ? [-sum, idle]
        : q.def.strategy === 'least-occupied' ? [-sum, this.#occupancy(a, now), idle]
        : [-sum, q.lastOffer.get(a.id) ?? 0];
      if (!best || lexLess(key, bestKey) || (!lexLess(bestKey, key) && a.id < best.id)) {
        best = a;
        bestKey = key;
      }
    }
    return best;
  }

  // Rule 2: the waiting contact with the highest rank on a channel with free capacity that the agent matches.
  #bestContact(a: RefAgent, now: number): RefContact | undefined {
    let best: RefContact | undefined;
    for (const c of this.#contacts.values()) {
      if (c.status !== CONTACT_STATUSES.Waiting || a.load[c.channel] >= a.capacity[c.channel]) continue;
      if (!this.#matches(a, this.#effective(c, now))) continue;
      if (!best || this.#ahead(c, best, now)) best = c;
    }
    return best;
  }

  #offer(c: RefContact, a: RefAgent, out: RoutingDecision[]): void {
    const q = this.#queue(c.queueId);
    c.status = CONTACT_STATUSES.Offered;
    c.agentId = a.id;
    a.load[c.channel]++;
    q.offers++;
    q.lastOffer.set(a.id, q.offers);
    out.push({ type: 'offer', contactId: c.id, agentId: a.id, queueId: c.queueId });
  }

  #route(c: RefContact, now: number, out: RoutingDecision[]): void {
    c.matchedStage = this.#stage(c, now);
    const a = this.#bestAgent(c, now);
    if (a) this.#offer(c, a, out);
  }

  #fill(a: RefAgent, now: number, out: RoutingDecision[]): void {
    if (a.state !== AGENT_STATES.Available) return;
    for (let c = this.#bestContact(a, now); c; c = this.#bestContact(a, now)) this.#offer(c, a, out);
  }

  #release(c: RefContact): RefAgent {
    const a = this.#agentRec(c.agentId ?? '');
    a.load[c.channel]--;
    c.agentId = null;
    return a;
  }

  upsertQueue(queue: Queue, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const def = checkQueue(queue, (id) => this.#queues.has(id));
    this.#now = t;
    const existing = this.#queues.get(def.id);
    if (!existing) {
      this.#queues.set(def.id, { def, offers: 0, lastOffer: new Map() });
      return [];
    }
    existing.def = def;
    const out: RoutingDecision[] = [];
    const waiting = [...this.#contacts.values()].filter((c) => c.queueId === def.id && c.status === CONTACT_STATUSES.Waiting);
    for (const c of this.#byRank(waiting, t)) this.#route(c, t, out);
    return out;
  }

  removeQueue(queueId: string, now: number): RoutingDecision[] {
    const t = this.#time(now);
    this.#queue(queueId);
    for (const q of this.#queues.values()) {
      if (q.def.overflow?.kind === 'queue' && q.def.overflow.queueId === queueId) throw queueInUse(queueId, q.def.id);
    }
    this.#now = t;
    const out: RoutingDecision[] = [];
    const inQueue = [...this.#contacts.values()].filter((c) => c.queueId === queueId && c.status !== CONTACT_STATUSES.Assigned);
    const released: RefAgent[] = [];
    for (const c of this.#byRank(inQueue, t)) {
      out.push({ type: 'overflow', contactId: c.id, queueId, target: { kind: 'hangup' } });
      if (c.status === CONTACT_STATUSES.Offered) released.push(this.#release(c));
      this.#contacts.delete(c.id);
    }
    this.#queues.delete(queueId);
    for (const a of [...new Set(released)].sort((x, y) => (x.id < y.id ? -1 : 1))) this.#fill(a, t, out);
    return out;
  }

  upsertAgent(agent: Agent, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const def = checkAgent(agent);
    this.#now = t;
    const existing = this.#agents.get(def.id);
    if (!existing) {
      this.#agents.set(def.id, {
        id: def.id, skills: def.skills, capacity: def.capacity, state: AGENT_STATES.Offline, reason: null, stateSince: t, idleSince: null,
        load: perChannel(0), handled: 0, busyMs: 0, availableMs: 0,
      });
      return [];
    }
    existing.skills = def.skills;
    existing.capacity = def.capacity;
    const out: RoutingDecision[] = [];
    this.#fill(existing, t, out);
    return out;
  }

  removeAgent(agentId: string, now: number): RoutingDecision[] {
    const t = this.#time(now);
    this.#agentRec(agentId);
    for (const c of this.#contacts.values()) if (c.agentId === agentId) throw agentHasContacts(agentId);
    this.#now = t;
    this.#agents.delete(agentId);
    for (const q of this.#queues.values()) q.lastOffer.delete(agentId);
    return [];
  }

  setAgentState(agentId: string, state: AgentState, now: number, reason?: string): RoutingDecision[] {
    const t = this.#time(now);
    const a = this.#agentRec(agentId);
    const next = checkAgentState(state, reason);
    this.#now = t;
    if (next.state === a.state && next.reason === a.reason) return [];
    const elapsed = t - a.stateSince;
    if (a.state === AGENT_STATES.Busy || a.state === AGENT_STATES.AfterCallWork) a.busyMs += elapsed;
    if (a.state === AGENT_STATES.Available) a.availableMs += elapsed;
    if (a.state === AGENT_STATES.Offline) {
      a.busyMs = 0;
      a.availableMs = 0;
    }
    a.state = next.state;
    a.reason = next.reason;
    a.stateSince = t;
    a.idleSince = next.state === AGENT_STATES.Available ? t : null;
    const out: RoutingDecision[] = [];
    this.#fill(a, t, out);
    return out;
  }

  enqueue(contact: Contact, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const def = checkContact(contact, t);
    this.#queue(def.queueId);
    if (this.#contacts.has(def.id)) throw contactExists(def.id);
    this.#now = t;
    const c: RefContact = { ...def, queuedAt: def.enqueuedAt, status: CONTACT_STATUSES.Waiting, agentId: null, matchedStage: 0 };
    this.#contacts.set(c.id, c);
    const out: RoutingDecision[] = [];
    this.#route(c, t, out);
    return out;
  }

  restoreAssigned(contact: Contact, agentId: string, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const def = checkContact(contact, t);
    this.#queue(def.queueId);
    const a = this.#agentRec(agentId);
    if (this.#contacts.has(def.id)) throw contactExists(def.id);
    this.#now = t;
    this.#contacts.set(def.id, { ...def, queuedAt: def.enqueuedAt, status: CONTACT_STATUSES.Assigned, agentId, matchedStage: 0 });
    a.load[def.channel]++;
    return [];
  }

  remove(contactId: string, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const c = this.#contactRec(contactId);
    if (c.status === CONTACT_STATUSES.Assigned) throw contactState(contactId, c.status, 'waiting or offered');
    this.#now = t;
    const out: RoutingDecision[] = [];
    const a = c.status === CONTACT_STATUSES.Offered ? this.#release(c) : undefined;
    this.#contacts.delete(contactId);
    if (a) this.#fill(a, t, out);
    return out;
  }

  offerAccepted(contactId: string, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const c = this.#contactRec(contactId);
    if (c.status !== CONTACT_STATUSES.Offered) throw contactState(contactId, c.status, 'offered');
    this.#now = t;
    c.status = CONTACT_STATUSES.Assigned;
    this.#agentRec(c.agentId ?? '').handled++;
    return [];
  }

  offerDeclined(contactId: string, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const c = this.#contactRec(contactId);
    if (c.status !== CONTACT_STATUSES.Offered) throw contactState(contactId, c.status, 'offered');
    this.#now = t;
    const a = this.#release(c);
    c.status = CONTACT_STATUSES.Waiting;
    const out: RoutingDecision[] = [];
    this.#route(c, t, out);
    this.#fill(a, t, out);
    return out;
  }

  contactEnded(contactId: string, now: number): RoutingDecision[] {
    const t = this.#time(now);
    const c = this.#contactRec(contactId);
    if (c.status !== CONTACT_STATUSES.Assigned) throw contactState(contactId, c.status, 'assigned');
    this.#now = t;
    const a = this.#release(c);
    this.#contacts.delete(contactId);
    if (a.state === AGENT_STATES.Available) a.idleSince = t;
    const out: RoutingDecision[] = [];
    this.#fill(a, t, out);
    return out;
  }

  tick(now: number): RoutingDecision[] {
    const t = this.#time(now);
    this.#now = t;
    const out: RoutingDecision[] = [];
    const dueAt = (c: RefContact): number => c.queuedAt + (this.#queue(c.queueId).def.maxWaitSeconds ?? 0) * 1000;
    const overflowing = [...this.#contacts.values()].filter((c) => {
      if (c.status !== CONTACT_STATUSES.Waiting) return false;
      const max = this.#queue(c.queueId).def.maxWaitSeconds;
      return max !== undefined && t - c.queuedAt >= max * 1000;
    });
    overflowing.sort((x, y) => dueAt(x) - dueAt(y) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    for (const c of overflowing) {
      const target = this.#queue(c.queueId).def.overflow ?? { kind: 'hangup' };
      out.push({ type: 'overflow', contactId: c.id, queueId: c.queueId, target });
      if (target.kind === 'queue') {
        c.queueId = target.queueId;
        c.queuedAt = t;
        this.#route(c, t, out);
      } else {
        this.#contacts.delete(c.id);
      }
    }
    const relaxed = [...this.#contacts.values()].filter((c) => c.status === CONTACT_STATUSES.Waiting && this.#stage(c, t) > c.matchedStage);
    for (const c of this.#byRank(relaxed, t)) this.#route(c, t, out);
    return out;
  }

  agent(agentId: string): AgentStatus | undefined {
    const a = this.#agents.get(agentId);
    if (!a) return undefined;
    const mine = [...this.#contacts.values()].filter((c) => c.agentId === agentId);
    const ids = (status: ContactStatusKind): string[] => mine.filter((c) => c.status === status).map((c) => c.id).sort();
    return {
      id: a.id, skills: { ...a.skills }, capacity: { ...a.capacity }, state: a.state, reason: a.reason, stateSince: a.stateSince,
      idleSince: a.idleSince, load: { ...a.load }, handled: a.handled, busyMs: a.busyMs, availableMs: a.availableMs,
      offered: ids(CONTACT_STATUSES.Offered), assigned: ids(CONTACT_STATUSES.Assigned),
    };
  }

  contact(contactId: string): ContactStatus | undefined {
    const c = this.#contacts.get(contactId);
    if (!c) return undefined;
    return {
      id: c.id, queueId: c.queueId, channel: c.channel, enqueuedAt: c.enqueuedAt, queuedAt: c.queuedAt, priority: c.priority,
      requirements: c.requirements.map((r) => ({ ...r })), status: c.status, agentId: c.agentId,
    };
  }

  #waitingIn(queueId: string): RefContact[] {
    return [...this.#contacts.values()].filter((c) => c.queueId === queueId && c.status === CONTACT_STATUSES.Waiting);
  }

  waiting(queueId: string, now: number): string[] {
    this.#queue(queueId);
    const t = this.#time(now);
    return this.#byRank(this.#waitingIn(queueId), t).map((c) => c.id);
  }

  position(contactId: string, now: number): number {
    const c = this.#contactRec(contactId);
    if (c.status !== CONTACT_STATUSES.Waiting) return 0;
    const t = this.#time(now);
    return 1 + this.#waitingIn(c.queueId).filter((o) => this.#ahead(o, c, t)).length;
  }

  queueStats(queueId: string, now: number): QueueStats {
    this.#queue(queueId);
    const t = this.#time(now);
    const waiting = this.#waitingIn(queueId);
    const offered = [...this.#contacts.values()].filter((c) => c.queueId === queueId && c.status === CONTACT_STATUSES.Offered).length;
    const longestWaitMs = waiting.reduce((m, c) => Math.max(m, t - c.enqueuedAt), 0);
    return { waiting: waiting.length, longestWaitMs, offered };
  }

  agentsByState(): Record<AgentState, number> {
    const counts = { Offline: 0, Available: 0, Busy: 0, AfterCallWork: 0, NotReady: 0 };
    for (const a of this.#agents.values()) counts[a.state]++;
    return counts;
  }
}

function lexLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}
