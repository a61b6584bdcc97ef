// The wallboard: live figures per queue and per agent. Waiting contacts, the longest wait and
// agents' states come from the ACD as they are now; today's counts (the tenant's local day) follow
// routing's events as they happen, with the rollups' definitions: a contact counts on the day it
// entered the queue, its wait runs from that entry, T is the queue's serviceLevelSeconds and the
// short-abandon threshold and counting options are the workspace's (settings.ts). Handle time is
// known when the contact closes, so AHT comes from the contacts rolled up today. After a restart,
// today's figures are read back from the rollups and from today's records not yet closed.
// Every change is announced as WallboardChanged, at most once per queue every 250 ms.
import type { Clock, EventPublisher, EventSubscriber, Logger, TimerHandle } from '../kernel/index.ts';
import { notFound } from '../kernel/index.ts';
import type { RoutingEvents } from '../routing/index.ts';
import type { AnalyticsEvents } from './analytics-events.ts';
import { isFinal, queueMeasures, queueOutcome, type ContactFacts } from './contact-facts.ts';
import { abandoned, abandonRate, answerRate, averageHandleTime, averageSpeedOfAnswer, offered, serviceLevel, type CountingOptions } from './kpi.ts';
import { addInto, emptyMeasures, type Measures } from './measures.ts';
import { addDays, dayPeriod, dayStart } from './periods.ts';
import { scanInteractions, type InteractionSource } from './interaction-scan.ts';
import { REBUILD_MARGIN_MS, type WriterContext } from './rollup-writer.ts';
import type { RollupStore } from './rollups.sql.ts';
import { DEFAULT_SERVICE_LEVEL_SECONDS, queueSettings } from './settings.ts';

export const WALLBOARD_COALESCE_MS = 250;
export const AGENT_STATE_NAMES = ['Offline', 'Available', 'Busy', 'AfterCallWork', 'NotReady'] as const;

/** The live ACD, as routing answers it. */
export interface LiveAcd {
  queues(tenantId: string): Promise<readonly { id: string; name: string; settings: { serviceLevelSeconds: number; requirements: readonly { skill: string; minProficiency: number }[] } }[]>;
  queueStats(tenantId: string, queueId: string): Promise<{ waiting: number; longestWaitMs: number }>;
  agents(tenantId: string): Promise<readonly {
    id: string; state: string; reason: string | null; stateSince: number; skills: Readonly<Record<string, number>>;
    offered: readonly string[]; assigned: readonly string[]; wrapUpContactId: string | null;
  }[]>;
}

export interface People {
  listUsers(tenantId: string): Promise<readonly { id: string; displayName: string }[]>;
}

export interface WallboardDeps {
  acd: LiveAcd;
  people: People;
  rollups: RollupStore;
  interactions: InteractionSource;
  /** The writer's context (time zone, settings, thresholds) and its news of contacts rolled up. */
  writer: { context(tenantId: string): Promise<WriterContext>; onApplied(l: (tenantId: string, facts: readonly ContactFacts[]) => void): () => void };
  bus: EventSubscriber<RoutingEvents> & EventPublisher<AnalyticsEvents>;
  clock: Clock;
  log: Logger;
}

export interface TodayFigures {
  /** The local date the figures are for. */
  date: string;
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  overflowed: number;
  handled: number;
  serviceLevel: number | null;
  answerRate: number | null;
  abandonRate: number | null;
  asaSeconds: number | null;
  ahtSeconds: number | null;
}

export interface QueueBoard {
  queueId: string;
  name: string;
  serviceLevelSeconds: number;
  waiting: number;
  longestWaitMs: number;
  agentsByState: Record<(typeof AGENT_STATE_NAMES)[number], number>;
  today: TodayFigures;
}

export interface AgentBoard {
  agentId: string;
  displayName: string;
  state: string;
  reason: string | null;
  stateSince: string;
  /** The contact they are handling, being offered, or wrapping up. */
  contactId: string | null;
}

interface Entry { queueId: string; enteredAt: number; date: string }

interface TenantDay {
  ctx: WriterContext;
  date: string;
  queues: Map<string, Measures>;
  /** Contacts in a queue now: their entry. */
  entries: Map<string, Entry>;
  /** Contacts answered and not yet closed: the queue that answered. */
  handling: Map<string, string>;
}

export function figuresOf(date: string, m: Measures, o: CountingOptions): TodayFigures {
  return {
    date, offered: offered(m, o), answered: m.answered, abandoned: abandoned(m, o), shortAbandoned: m.shortAbandoned, overflowed: m.overflowed, handled: m.handled,
    serviceLevel: serviceLevel(m, o), answerRate: answerRate(m, o), abandonRate: abandonRate(m, o), asaSeconds: averageSpeedOfAnswer(m), ahtSeconds: averageHandleTime(m),
  };
}

export class Wallboard {
  readonly #d: WallboardDeps;
  readonly #days = new Map<string, Promise<TenantDay>>();
  readonly #chains = new Map<string, Promise<void>>();
  readonly #last = new Map<string, number>();
  readonly #pending = new Map<string, TimerHandle>();
  readonly #unsubscribe: (() => void)[] = [];

  constructor(deps: WallboardDeps) {
    this.#d = deps;
    const on = <K extends keyof RoutingEvents & string>(name: K, apply: (day: TenantDay, p: RoutingEvents[K]) => Promise<void> | void) => {
      this.#unsubscribe.push(deps.bus.subscribe(name, (p) => this.#enqueue(p.tenantId, async () => apply(await this.#day(p.tenantId, Date.parse(p.at)), p))));
    };
    on('ContactQueued', (day, p) => {
      const at = Date.parse(p.at);
      const entry = { queueId: p.queueId, enteredAt: at, date: dayPeriod(day.ctx.timeZone, at) };
      day.entries.set(p.contactId, entry);
      if (entry.date === day.date) this.#add(day, p.queueId, { offered: 1 });
      this.#mark(p.tenantId, p.queueId);
    });
    on('OfferAccepted', async (day, p) => {
      await this.#left(p.tenantId, day, p.contactId, p.queueId, 'answered', Date.parse(p.at));
      day.handling.set(p.contactId, p.queueId);
      this.#mark(p.tenantId, p.queueId);
    });
    on('ContactAbandoned', async (day, p) => { await this.#left(p.tenantId, day, p.contactId, p.queueId, 'abandoned', Date.parse(p.at)); this.#mark(p.tenantId, p.queueId); });
    on('ContactOverflowed', async (day, p) => {
      await this.#left(p.tenantId, day, p.contactId, p.fromQueueId, 'overflowed', Date.parse(p.at));
      this.#mark(p.tenantId, p.fromQueueId);
      if (p.toQueueId) this.#mark(p.tenantId, p.toQueueId);
    });
    on('ContactClosed', async (day, p) => { await this.#left(p.tenantId, day, p.contactId, p.queueId, 'other', Date.parse(p.at)); this.#mark(p.tenantId, p.queueId); });
    on('OfferCreated', (_day, p) => this.#mark(p.tenantId, p.queueId));
    on('OfferDeclined', (_day, p) => this.#mark(p.tenantId, p.queueId));
    on('WrapUpStarted', (day, p) => { const q = day.handling.get(p.contactId); if (q) this.#mark(p.tenantId, q); });
    on('WrapUpEnded', (day, p) => { const q = day.handling.get(p.contactId); if (q) this.#mark(p.tenantId, q); });
    on('AgentStateChanged', async (_day, p) => {
      const [queues, agents] = await Promise.all([deps.acd.queues(p.tenantId), deps.acd.agents(p.tenantId)]);
      const agent = agents.find((a) => a.id === p.agentId);
      for (const q of queues) if (!agent || serves(agent.skills, q.settings.requirements)) this.#mark(p.tenantId, q.id);
    });
    this.#unsubscribe.push(deps.writer.onApplied((tenantId, facts) => this.#enqueue(tenantId, async () => {
      const day = await this.#day(tenantId, this.#d.clock.now());
      for (const f of facts) {
        for (const c of f.contributions) {
          if (c.dimension !== 'queue' || dayPeriod(day.ctx.timeZone, c.at) !== day.date) continue;
          const m = c.measures;
          this.#add(day, c.key, { handled: m.handled ?? 0, talkMs: m.talkMs ?? 0, holdMs: m.holdMs ?? 0, wrapMs: m.wrapMs ?? 0, transferred: m.transferred ?? 0 });
          this.#mark(tenantId, c.key);
        }
        day.handling.delete(f.record.interactionId);
      }
    })));
  }

  #enqueue(tenantId: string, work: () => Promise<void>): void {
    const prev = this.#chains.get(tenantId) ?? Promise.resolve();
    const next = prev.then(work).catch((err: unknown) => this.#d.log.error({ err, tenantId }, 'wallboard could not follow an event'));
    this.#chains.set(tenantId, next);
    void next.then(() => { if (this.#chains.get(tenantId) === next) this.#chains.delete(tenantId); });
  }

  /** Resolves once every event received so far is counted (tests). */
  async settled(): Promise<void> {
    while (this.#chains.size > 0) await Promise.all([...this.#chains.values()]);
  }

  #add(day: TenantDay, queueId: string, m: Partial<Measures>): void {
    let q = day.queues.get(queueId);
    if (!q) { q = emptyMeasures(); day.queues.set(queueId, q); }
    addInto(q, m);
  }

  /** A contact left its queue entry (answered, abandoned, overflowed, closed): it counts on the day of the entry. */
  async #left(tenantId: string, day: TenantDay, contactId: string, queueId: string, outcome: ReturnType<typeof queueOutcome>, at: number): Promise<void> {
    const entry = day.entries.get(contactId);
    if (!entry || entry.queueId !== queueId) return;
    day.entries.delete(contactId);
    if (entry.date !== day.date) return;
    const t = await this.#serviceLevelSeconds(tenantId, queueId);
    const { offered: _entered, ...left } = queueMeasures(outcome, Math.max(0, at - entry.enteredAt), t, day.ctx.facts.shortAbandonSeconds(queueId));
    this.#add(day, queueId, left);
  }

  /** The queue's threshold T as routing has it now. */
  async #serviceLevelSeconds(tenantId: string, queueId: string): Promise<number> {
    const q = (await this.#d.acd.queues(tenantId)).find((x) => x.id === queueId);
    return q?.settings.serviceLevelSeconds ?? DEFAULT_SERVICE_LEVEL_SECONDS;
  }

  /** The tenant's figures for the local day of `at`, loaded at first use and started afresh at midnight. */
  async #day(tenantId: string, at: number): Promise<TenantDay> {
    let loading = this.#days.get(tenantId);
    if (!loading) {
      loading = this.#load(tenantId);
      this.#days.set(tenantId, loading);
      loading.catch(() => this.#days.delete(tenantId));
    }
    const day = await loading;
    const date = dayPeriod(day.ctx.timeZone, Math.max(at, this.#d.clock.now()));
    if (date > day.date) {
      day.date = date;
      day.queues = new Map();
    }
    return day;
  }

  async #load(tenantId: string): Promise<TenantDay> {
    const ctx = await this.#d.writer.context(tenantId);
    const now = this.#d.clock.now();
    const date = dayPeriod(ctx.timeZone, now);
    const day: TenantDay = { ctx, date, queues: new Map(), entries: new Map(), handling: new Map() };
    for (const r of await this.#d.rollups.scope(tenantId).rollups({ grain: 'day', dimension: 'queue', from: date, to: addDays(date, 1) })) {
      day.queues.set(r.key, r.measures);
    }
    // Today's contacts not yet closed (so not in the rollups): what they did so far.
    await scanInteractions(this.#d.interactions, tenantId, dayStart(ctx.timeZone, date) - REBUILD_MARGIN_MS, now + 1, async (listed) => {
      if (isFinal(listed)) return;
      const i = await this.#d.interactions.get(tenantId, listed.id);
      for (const s of i.segments) {
        if (s.kind !== 'queue' || !s.queueId) continue;
        const enteredAt = Date.parse(s.startedAt);
        const entry = { queueId: s.queueId, enteredAt, date: dayPeriod(ctx.timeZone, enteredAt) };
        if (!s.endedAt) {
          day.entries.set(i.id, entry);
          if (entry.date === date) this.#add(day, s.queueId, { offered: 1 });
          continue;
        }
        if (entry.date !== date) continue;
        const outcome = queueOutcome(s.outcome);
        const t = await this.#serviceLevelSeconds(tenantId, s.queueId);
        this.#add(day, s.queueId, queueMeasures(outcome, Math.max(0, Date.parse(s.endedAt) - enteredAt), t, ctx.facts.shortAbandonSeconds(s.queueId)));
        if (outcome === 'answered') day.handling.set(i.id, s.queueId);
      }
    });
    return day;
  }

  /** Settings changed: counting reloads them. */
  async refresh(tenantId: string): Promise<void> {
    const day = await this.#days.get(tenantId);
    if (day) day.ctx = await this.#d.writer.context(tenantId);
  }

  #mark(tenantId: string, queueId: string): void {
    const k = `${tenantId}\u0000${queueId}`;
    if (this.#pending.has(k)) return;
    const now = this.#d.clock.now();
    const last = this.#last.get(k);
    const publish = () => {
      this.#pending.delete(k);
      this.#last.set(k, this.#d.clock.now());
      this.#d.bus.publish('WallboardChanged', { tenantId, queueId });
    };
    if (last === undefined || now - last >= WALLBOARD_COALESCE_MS) { publish(); return; }
    this.#pending.set(k, this.#d.clock.setTimeout(publish, last + WALLBOARD_COALESCE_MS - now));
  }

  async wallboard(tenantId: string): Promise<{ queues: QueueBoard[]; agents: AgentBoard[] }> {
    const day = await this.#current(tenantId);
    const [queues, agents, users] = await Promise.all([this.#d.acd.queues(tenantId), this.#d.acd.agents(tenantId), this.#d.people.listUsers(tenantId)]);
    const names = new Map(users.map((u) => [u.id, u.displayName]));
    const boards = await Promise.all(queues.map((q) => this.#queueBoard(tenantId, day, q, agents)));
    const agentBoards = agents.map((a): AgentBoard => ({
      agentId: a.id, displayName: names.get(a.id) ?? a.id, state: a.state, reason: a.reason, stateSince: new Date(a.stateSince).toISOString(),
      contactId: a.assigned[0] ?? a.offered[0] ?? a.wrapUpContactId ?? null,
    })).sort((x, y) => x.displayName.localeCompare(y.displayName));
    return { queues: boards, agents: agentBoards };
  }

  async queue(tenantId: string, queueId: string): Promise<QueueBoard> {
    const day = await this.#current(tenantId);
    const [queues, agents] = await Promise.all([this.#d.acd.queues(tenantId), this.#d.acd.agents(tenantId)]);
    const q = queues.find((x) => x.id === queueId);
    if (!q) throw notFound('queue');
    return this.#queueBoard(tenantId, day, q, agents);
  }

  /** The day's figures once every event received so far is counted. */
  async #current(tenantId: string): Promise<TenantDay> {
    await this.#chains.get(tenantId);
    return this.#day(tenantId, this.#d.clock.now());
  }

  async #queueBoard(
    tenantId: string, day: TenantDay, q: Awaited<ReturnType<LiveAcd['queues']>>[number], agents: Awaited<ReturnType<LiveAcd['agents']>>,
  ): Promise<QueueBoard> {
    const stats = await this.#d.acd.queueStats(tenantId, q.id);
    const agentsByState = Object.fromEntries(AGENT_STATE_NAMES.map((s) => [s, 0])) as QueueBoard['agentsByState'];
    for (const a of agents) {
      if (serves(a.skills, q.settings.requirements) && a.state in agentsByState) agentsByState[a.state as keyof QueueBoard['agentsByState']] += 1;
    }
    const o = queueSettings(day.ctx.settings, q.id);
    return {
      queueId: q.id, name: q.name, serviceLevelSeconds: q.settings.serviceLevelSeconds ?? DEFAULT_SERVICE_LEVEL_SECONDS,
      waiting: stats.waiting, longestWaitMs: stats.longestWaitMs, agentsByState, today: figuresOf(day.date, day.queues.get(q.id) ?? emptyMeasures(), o),
    };
  }

  stop(): void {
    for (const u of this.#unsubscribe) u();
    for (const t of this.#pending.values()) t.cancel();
    this.#pending.clear();
  }
}

/** An agent serves a queue when they have every skill it requires at the minimum proficiency. */
const serves = (skills: Readonly<Record<string, number>>, requirements: readonly { skill: string; minProficiency: number }[]): boolean =>
  requirements.every((r) => (skills[r.skill] ?? 0) >= r.minProficiency);
