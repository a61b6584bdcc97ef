// The ACD around the pure routing core: one core per workspace, fed from and written back to the
// store, with the timers the core does not keep (an offer rings for the queue's offer timeout;
// wrap-up lasts the queue's wrap-up time; relaxation and longest-wait are checked every second),
// the channels that carry offers out (voice rings phones; chat, e-mail and messages later), and
// the events every other domain learns from. An offer that is not answered in time, rejected, or
// cannot reach the agent sets the agent NotReady (missed, rejected, unreachable) and the contact is
// offered again with its place kept. A restart reloads every queued contact: those whose channel
// still has them keep their original enqueue time; the others are closed with a reason.
import type { Clock, EventPublisher, Logger, TimerHandle } from '../kernel/index.ts';
import { DomainError, newId, notFound } from '../kernel/index.ts';
import { RoutingCore } from './routing-core.ts';
import type { RoutingEvents } from './routing-events.ts';
import { BACKGROUND_CHANNELS, type AgentState, type AgentStatus, type Channel, type QueueStats, type RoutingDecision, type SkillRequirement } from './routing-model.ts';
import { coreQueue, DEFAULT_QUEUE_SETTINGS, withDefaults, type QueueSettings } from './queue-settings.ts';
import type { RoutingStore, StoredAgent, StoredContact, StoredQueue } from './routing-store.sql.ts';

/** What a channel does with the engine's decisions. */
export interface ChannelAdapter {
  offer(offer: { tenantId: string; offerId: string; contactId: string; agentId: string; queueId: string; kind: 'contact' | 'callback'; data: Record<string, unknown> }): void;
  withdraw(tenantId: string, offerId: string): void;
  overflow(tenantId: string, contactId: string, target: 'voicemail' | 'callback' | 'hangup'): void;
  alive(tenantId: string, contactId: string, kind: 'contact' | 'callback'): boolean;
  /** After a restart: a work item of this (background) channel that the agent had accepted is theirs again. */
  restored?(item: { tenantId: string; contactId: string; agentId: string; queueId: string; data: Record<string, unknown> }): void;
}

export interface NewContact {
  id: string;
  queueId: string;
  channel?: Channel;
  priority: number;
  requirements: SkillRequirement[];
  kind: 'contact' | 'callback';
  enqueuedAt?: number | undefined;
  data: Record<string, unknown>;
}

/** The states an agent (or a supervisor for them) may choose; Busy and AfterCallWork are the engine's. */
export type ChosenState = 'Available' | 'NotReady' | 'Offline';

export interface AgentView extends AgentStatus {
  /** The state the agent asked for while busy, applied when their wrap-up ends. */
  pending: { state: ChosenState; reason: string | null } | null;
  /** The contact in wrap-up, if any. */
  wrapUpContactId: string | null;
}

export interface RoutingEngineDeps {
  store: RoutingStore;
  bus: EventPublisher<RoutingEvents>;
  clock: Clock;
  log: Logger;
}

interface Offer { id: string; contactId: string; agentId: string; queueId: string; timer: TimerHandle }

interface Acd {
  core: RoutingCore;
  queues: Map<string, StoredQueue>;
  agents: Map<string, StoredAgent>;
  contacts: Map<string, StoredContact>;
  offers: Map<string, Offer>;
  offerOf: Map<string, string>;
  /** Contacts handed straight to an agent (a transfer), outside any queue. */
  direct: Map<string, Set<string>>;
  wrapUps: Map<string, { contactId: string; queueId: string | undefined; timer: TimerHandle | undefined }>;
  pending: Map<string, { state: ChosenState; reason: string | null }>;
  /** Handle time (accept to wrap-up end) per queue, for expected-wait estimates. */
  handle: Map<string, { totalMs: number; count: number }>;
  acceptedAt: Map<string, number>;
}

const TICK_MS = 1000;
/** Assumed average handle time before a queue has history. */
const DEFAULT_HANDLE_MS = 180_000;

export class RoutingEngine {
  readonly #d: RoutingEngineDeps;
  readonly #acds = new Map<string, Acd>();
  readonly #channels = new Map<Channel, ChannelAdapter>();
  #writes = Promise.resolve();
  #ticker: TimerHandle | undefined;
  #stopped = false;

  constructor(deps: RoutingEngineDeps) {
    this.#d = deps;
  }

  registerChannel(channel: Channel, adapter: ChannelAdapter): void {
    this.#channels.set(channel, adapter);
  }

  #now(): number {
    return this.#d.clock.now();
  }

  #iso(ms = this.#now()): string {
    return new Date(ms).toISOString();
  }

  /** Writes happen in order, after the in-memory decision; a failure is logged, never thrown into a call. */
  #write(work: () => Promise<void>): Promise<void> {
    this.#writes = this.#writes.then(work).catch((err: unknown) => this.#d.log.error({ err }, 'routing state could not be saved'));
    return this.#writes;
  }

  /** Resolves once every write so far is in the store. */
  flushed(): Promise<void> {
    return this.#writes;
  }

  // ---- Loading ---------------------------------------------------------------------------------

  /** Loads every workspace's queues, agents and contacts; contacts their channel lost are closed. */
  async start(): Promise<void> {
    for (const tenantId of await this.#d.store.tenants()) await this.#load(tenantId);
    this.#scheduleTick();
  }

  async #acd(tenantId: string): Promise<Acd> {
    return this.#acds.get(tenantId) ?? this.#load(tenantId);
  }

  #acdNow(tenantId: string): Acd | undefined {
    return this.#acds.get(tenantId);
  }

  async #load(tenantId: string): Promise<Acd> {
    const existing = this.#acds.get(tenantId);
    if (existing) return existing;
    const acd: Acd = {
      core: new RoutingCore(), queues: new Map(), agents: new Map(), contacts: new Map(), offers: new Map(), offerOf: new Map(),
      direct: new Map(), wrapUps: new Map(), pending: new Map(), handle: new Map(), acceptedAt: new Map(),
    };
    this.#acds.set(tenantId, acd);
    const now = this.#now();
    const decisions: RoutingDecision[] = [];
    for (const q of await this.#d.store.queues(tenantId)) {
      acd.queues.set(q.id, q);
      decisions.push(...acd.core.upsertQueue(coreQueue(q.id, q.settings), now));
    }
    for (const a of await this.#d.store.agents(tenantId)) {
      // Calls do not survive a restart: an agent who was on one is not offered work until they say so.
      const restored: StoredAgent = a.state === 'Busy' || a.state === 'AfterCallWork' ? { ...a, state: 'NotReady', reason: 'restart', stateSince: this.#iso(now) } : a;
      acd.agents.set(a.id, restored);
      acd.core.upsertAgent({ id: a.id, skills: a.skills, capacity: a.capacity }, now);
      decisions.push(...acd.core.setAgentState(a.id, restored.state, now, restored.reason ?? undefined));
      if (restored !== a) await this.#d.store.putAgent(tenantId, restored, now);
    }
    const held: StoredContact[] = [];
    for (const c of await this.#d.store.contacts(tenantId)) {
      const channel = this.#channels.get(c.channel);
      const kept = !!channel?.alive(tenantId, c.id, c.kind) && acd.queues.has(c.queueId);
      // A background channel's work item (a ticket) outlives the process, and so does its agent's hold on it; a call does not.
      if (kept && c.state === 'assigned' && BACKGROUND_CHANNELS.has(c.channel) && c.agentId !== null && acd.agents.has(c.agentId)) {
        acd.contacts.set(c.id, c);
        decisions.push(...acd.core.restoreAssigned({ id: c.id, queueId: c.queueId, channel: c.channel, enqueuedAt: c.enqueuedAt, priority: c.priority, requirements: c.requirements }, c.agentId, now));
        held.push(c);
        continue;
      }
      if (!kept || c.state === 'assigned') {
        await this.#d.store.removeContact(tenantId, c.id);
        this.#d.bus.publish('ContactClosed', { tenantId, contactId: c.id, queueId: c.queueId, reason: c.state === 'assigned' ? 'lost-on-restart-while-assigned' : 'lost-on-restart', at: this.#iso(now) });
        continue;
      }
      const restored: StoredContact = { ...c, state: 'waiting', agentId: null };
      acd.contacts.set(c.id, restored);
      decisions.push(...acd.core.enqueue({ id: c.id, queueId: c.queueId, channel: c.channel, enqueuedAt: c.enqueuedAt, priority: c.priority, requirements: c.requirements }, now));
      if (c.state !== 'waiting') await this.#d.store.setContactState(tenantId, c.id, 'waiting', null);
    }
    for (const c of held) {
      this.#channels.get(c.channel)?.restored?.({ tenantId, contactId: c.id, agentId: c.agentId!, queueId: c.queueId, data: c.data });
      this.#d.bus.publish('ContactRestored', { tenantId, contactId: c.id, queueId: c.queueId, channel: c.channel, agentId: c.agentId!, at: this.#iso(now) });
    }
    this.#apply(tenantId, acd, decisions);
    return acd;
  }

  // ---- Queues ------------------------------------------------------------------------------------

  async queues(tenantId: string): Promise<StoredQueue[]> {
    return [...(await this.#acd(tenantId)).queues.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async queue(tenantId: string, id: string): Promise<StoredQueue> {
    const q = (await this.#acd(tenantId)).queues.get(id);
    if (!q) throw notFound('queue');
    return q;
  }

  async saveQueue(tenantId: string, input: { id?: string; name: string; settings: Partial<QueueSettings> }): Promise<StoredQueue> {
    const acd = await this.#acd(tenantId);
    const previous = input.id ? acd.queues.get(input.id) : undefined;
    if (input.id && !previous) throw notFound('queue');
    if (await this.#d.store.queueNameTaken(tenantId, input.name, input.id)) throw new DomainError('SB_QUEUE_EXISTS', 409, `a queue named ${input.name} already exists`);
    const settings = withDefaults(input.settings, previous?.settings ?? DEFAULT_QUEUE_SETTINGS);
    if (settings.overflow?.kind === 'queue') {
      const target = settings.overflow.queueId;
      if (target === input.id || !acd.queues.has(target)) throw new DomainError('SB_VALIDATION', 400, 'overflow.queueId names no other queue of this workspace', { field: 'overflow.queueId' });
    }
    const now = this.#now();
    const q: StoredQueue = { id: previous?.id ?? newId(), name: input.name, settings, createdAt: previous?.createdAt ?? this.#iso(now), updatedAt: this.#iso(now) };
    const decisions = acd.core.upsertQueue(coreQueue(q.id, settings), now);
    acd.queues.set(q.id, q);
    await this.#d.store.putQueue(tenantId, q);
    this.#apply(tenantId, acd, decisions);
    return q;
  }

  async removeQueue(tenantId: string, id: string): Promise<void> {
    const acd = await this.#acd(tenantId);
    if (!acd.queues.has(id)) throw notFound('queue');
    if ([...acd.contacts.values()].some((c) => c.queueId === id)) throw new DomainError('SB_QUEUE_IN_USE', 409, 'the queue has waiting contacts');
    if ([...acd.queues.values()].some((q) => q.settings.overflow?.kind === 'queue' && q.settings.overflow.queueId === id)) {
      throw new DomainError('SB_QUEUE_IN_USE', 409, 'another queue overflows into this one');
    }
    const decisions = acd.core.removeQueue(id, this.#now());
    acd.queues.delete(id);
    await this.#d.store.removeQueue(tenantId, id);
    this.#apply(tenantId, acd, decisions);
  }

  async queueStats(tenantId: string, id: string): Promise<QueueStats> {
    const acd = await this.#acd(tenantId);
    if (!acd.queues.has(id)) throw notFound('queue');
    return acd.core.queueStats(id, this.#now());
  }

  /** A queue's settings the caller hears (synchronous: calls ask while playing). */
  queueSettings(tenantId: string, queueId: string): { announceEverySeconds: number | null; holdMusicPromptId: string | null } | undefined {
    const q = this.#acdNow(tenantId)?.queues.get(queueId);
    return q ? { announceEverySeconds: q.settings.announceEverySeconds, holdMusicPromptId: q.settings.holdMusicPromptId } : undefined;
  }

  // ---- Agents --------------------------------------------------------------------------------------

  async #ensureAgent(tenantId: string, acd: Acd, agentId: string): Promise<StoredAgent> {
    const known = acd.agents.get(agentId);
    if (known) return known;
    const now = this.#now();
    const a: StoredAgent = { id: agentId, skills: {}, capacity: { voice: 1 }, state: 'Offline', reason: null, stateSince: this.#iso(now) };
    acd.agents.set(agentId, a);
    acd.core.upsertAgent({ id: agentId, skills: a.skills, capacity: a.capacity }, now);
    await this.#d.store.putAgent(tenantId, a, now);
    return a;
  }

  async agents(tenantId: string): Promise<AgentView[]> {
    const acd = await this.#acd(tenantId);
    return [...acd.agents.keys()].flatMap((id) => this.#view(acd, id) ?? []);
  }

  async agent(tenantId: string, agentId: string): Promise<AgentView> {
    const acd = await this.#acd(tenantId);
    await this.#ensureAgent(tenantId, acd, agentId);
    return this.#view(acd, agentId)!;
  }

  #view(acd: Acd, id: string): AgentView | undefined {
    const s = acd.core.agent(id);
    if (!s) return undefined;
    return { ...s, pending: acd.pending.get(id) ?? null, wrapUpContactId: acd.wrapUps.get(id)?.contactId ?? null };
  }

  async setProfile(tenantId: string, agentId: string, p: { skills: Record<string, number>; capacity?: Partial<Record<Channel, number>> }): Promise<AgentView> {
    const acd = await this.#acd(tenantId);
    const a = await this.#ensureAgent(tenantId, acd, agentId);
    const updated: StoredAgent = { ...a, skills: p.skills, capacity: p.capacity ?? a.capacity };
    const decisions = acd.core.upsertAgent({ id: agentId, skills: updated.skills, capacity: updated.capacity }, this.#now());
    acd.agents.set(agentId, updated);
    await this.#d.store.putAgent(tenantId, updated, this.#now());
    this.#apply(tenantId, acd, decisions);
    return this.#view(acd, agentId)!;
  }

  /**
   * An agent's chosen state (or a supervisor's for them). While the agent is Busy or in wrap-up,
   * the choice waits and applies when wrap-up ends.
   */
  async setAgentState(tenantId: string, agentId: string, state: ChosenState, reason: string | null = null): Promise<AgentView> {
    const acd = await this.#acd(tenantId);
    const a = await this.#ensureAgent(tenantId, acd, agentId);
    // Busy with background work only (every channel full of tasks) does not hold the choice back.
    const busy = a.state === 'AfterCallWork' || this.#holds(acd, agentId) || (a.state === 'Busy' && !this.#holdsBackground(acd, agentId));
    if (busy) {
      acd.pending.set(agentId, { state, reason: state === 'NotReady' ? reason ?? 'break' : null });
      return this.#view(acd, agentId)!;
    }
    acd.pending.delete(agentId);
    this.#changeState(tenantId, acd, agentId, state, state === 'NotReady' ? reason ?? 'break' : null);
    return this.#view(acd, agentId)!;
  }

  /** Whether the agent has a contact offered, assigned, or handed to them directly, outside the background channels. */
  #holds(acd: Acd, agentId: string): boolean {
    const s = acd.core.agent(agentId);
    const live = (id: string) => !this.#background(acd, id);
    return !!s && (s.offered.some(live) || s.assigned.some(live) || (acd.direct.get(agentId)?.size ?? 0) > 0);
  }

  #holdsBackground(acd: Acd, agentId: string): boolean {
    const s = acd.core.agent(agentId);
    return !!s && [...s.offered, ...s.assigned].some((id) => this.#background(acd, id));
  }

  #background(acd: Acd, contactId: string): boolean {
    return BACKGROUND_CHANNELS.has(acd.contacts.get(contactId)?.channel ?? 'voice');
  }

  #changeState(tenantId: string, acd: Acd, agentId: string, state: AgentState, reason: string | null): void {
    const a = acd.agents.get(agentId);
    if (!a) return;
    const previous = a.state;
    if (previous === state && a.reason === reason) return;
    const now = this.#now();
    const updated: StoredAgent = { ...a, state, reason, stateSince: this.#iso(now) };
    acd.agents.set(agentId, updated);
    const decisions = acd.core.setAgentState(agentId, state, now, reason ?? undefined);
    this.#d.bus.publish('AgentStateChanged', { tenantId, agentId, state, reason, previous, at: this.#iso(now) });
    void this.#write(() => this.#d.store.putAgent(tenantId, updated, now));
    this.#apply(tenantId, acd, decisions);
    // Busy only because every channel is full of background work is not leaving: its offers stand.
    if (state !== 'Available' && (state !== 'Busy' || this.#holds(acd, agentId))) this.#withdrawBackgroundOffers(tenantId, acd, agentId);
  }

  /** An agent who leaves Available (a call, a break, Offline) does not keep background offers waiting: they go to the next agent, in their place. */
  #withdrawBackgroundOffers(tenantId: string, acd: Acd, agentId: string): void {
    for (const offer of [...acd.offers.values()]) {
      if (offer.agentId !== agentId || !this.#background(acd, offer.contactId)) continue;
      this.#dropOffer(tenantId, acd, offer.id, 'withdrawn');
      if (acd.core.contact(offer.contactId)?.status !== 'offered') continue;
      const decisions = acd.core.offerDeclined(offer.contactId, this.#now());
      const c = acd.contacts.get(offer.contactId);
      if (c) { c.state = 'waiting'; c.agentId = null; }
      void this.#write(() => this.#d.store.setContactState(tenantId, offer.contactId, 'waiting', null));
      this.#apply(tenantId, acd, decisions);
    }
  }

  // ---- Contacts ------------------------------------------------------------------------------------

  async enqueue(tenantId: string, c: NewContact): Promise<void> {
    const acd = await this.#acd(tenantId);
    const queue = acd.queues.get(c.queueId);
    if (!queue) throw notFound('queue');
    const now = this.#now();
    const contact: StoredContact = {
      id: c.id, queueId: c.queueId, channel: c.channel ?? 'voice', enqueuedAt: c.enqueuedAt ?? now, queuedAt: now, priority: c.priority,
      requirements: c.requirements, state: 'waiting', agentId: null, kind: c.kind, data: c.data,
    };
    acd.contacts.set(c.id, contact);
    this.#d.bus.publish('ContactQueued', { tenantId, contactId: c.id, queueId: c.queueId, channel: contact.channel, priority: c.priority, kind: c.kind, at: this.#iso(now) });
    const decisions = acd.core.enqueue({
      id: c.id, queueId: c.queueId, channel: contact.channel, enqueuedAt: contact.enqueuedAt, priority: c.priority, requirements: c.requirements,
    }, now);
    await this.#write(() => this.#d.store.putContact(tenantId, contact));
    this.#apply(tenantId, acd, decisions);
    this.#scheduleTick();
  }

  /**
   * The customer left before an agent took the contact; with `callback`, they did not abandon but
   * chose to be called back (a callback contact takes their place).
   */
  async abandon(tenantId: string, contactId: string, reason: 'abandoned' | 'callback' = 'abandoned'): Promise<void> {
    const acd = await this.#acd(tenantId);
    const c = acd.contacts.get(contactId);
    const status = acd.core.contact(contactId);
    if (!c || !status || status.status === 'assigned') return;
    const now = this.#now();
    const offerId = acd.offerOf.get(contactId);
    if (offerId) this.#dropOffer(tenantId, acd, offerId, 'withdrawn');
    const decisions = acd.core.remove(contactId, now);
    acd.contacts.delete(contactId);
    if (reason === 'callback') this.#d.bus.publish('ContactOverflowed', { tenantId, contactId, fromQueueId: c.queueId, target: 'callback', toQueueId: null, at: this.#iso(now) });
    else this.#d.bus.publish('ContactAbandoned', { tenantId, contactId, queueId: c.queueId, waitMs: now - c.enqueuedAt, at: this.#iso(now) });
    await this.#write(() => this.#d.store.removeContact(tenantId, contactId));
    this.#apply(tenantId, acd, decisions);
  }

  async offerAccepted(tenantId: string, offerId: string): Promise<void> {
    const acd = await this.#acd(tenantId);
    const offer = acd.offers.get(offerId);
    if (!offer) return;
    offer.timer.cancel();
    acd.offers.delete(offerId);
    acd.offerOf.delete(offer.contactId);
    const now = this.#now();
    const decisions = acd.core.offerAccepted(offer.contactId, now);
    const c = acd.contacts.get(offer.contactId);
    if (c) { c.state = 'assigned'; c.agentId = offer.agentId; }
    acd.acceptedAt.set(offer.contactId, now);
    this.#d.bus.publish('OfferAccepted', { tenantId, contactId: offer.contactId, offerId, agentId: offer.agentId, queueId: offer.queueId, at: this.#iso(now) });
    this.#busyIfFull(tenantId, acd, offer.agentId);
    await this.#write(() => this.#d.store.setContactState(tenantId, offer.contactId, 'assigned', offer.agentId));
    this.#apply(tenantId, acd, decisions);
  }

  /** A voice agent with a call is Busy; a chat agent stays Available while they have room. */
  #busyIfFull(tenantId: string, acd: Acd, agentId: string): void {
    const s = acd.core.agent(agentId);
    if (!s || s.state !== 'Available') return;
    const full = (Object.keys(s.capacity) as Channel[]).every((ch) => s.capacity[ch] === 0 || s.load[ch] >= s.capacity[ch]);
    const onVoice = s.load.voice > 0;
    if (full || onVoice) this.#changeState(tenantId, acd, agentId, 'Busy', null);
  }

  async offerFailed(tenantId: string, offerId: string, reason: 'rejected' | 'unreachable'): Promise<void> {
    const acd = await this.#acd(tenantId);
    if (acd.offers.has(offerId)) this.#declineOffer(tenantId, acd, offerId, reason);
  }

  /** The agent turned the offer down on the desktop: their phone stops ringing, the next agent is tried. */
  async rejectOffer(tenantId: string, agentId: string, offerId: string): Promise<boolean> {
    const acd = await this.#acd(tenantId);
    const offer = acd.offers.get(offerId);
    if (!offer || offer.agentId !== agentId) return false;
    this.#declineOffer(tenantId, acd, offerId, 'rejected', true);
    return true;
  }

  /** Ends an offer that nobody answered: the agent goes NotReady, the contact is offered again, in its place. */
  #declineOffer(tenantId: string, acd: Acd, offerId: string, reason: 'timeout' | 'rejected' | 'unreachable', withdraw = false): void {
    const offer = acd.offers.get(offerId);
    if (!offer) return;
    if (withdraw) this.#channels.get(acd.contacts.get(offer.contactId)?.channel ?? 'voice')?.withdraw(tenantId, offerId);
    this.#dropOffer(tenantId, acd, offerId, reason);
    this.#changeState(tenantId, acd, offer.agentId, 'NotReady', reason === 'timeout' ? 'missed' : reason);
    const status = acd.core.contact(offer.contactId);
    if (status?.status !== 'offered') return;
    const decisions = acd.core.offerDeclined(offer.contactId, this.#now());
    const c = acd.contacts.get(offer.contactId);
    if (c) { c.state = 'waiting'; c.agentId = null; }
    void this.#write(() => this.#d.store.setContactState(tenantId, offer.contactId, 'waiting', null));
    this.#apply(tenantId, acd, decisions);
  }

  /** Forgets an offer, stops it ringing, and says why. */
  #dropOffer(tenantId: string, acd: Acd, offerId: string, reason: 'timeout' | 'rejected' | 'unreachable' | 'withdrawn'): void {
    const offer = acd.offers.get(offerId);
    if (!offer) return;
    offer.timer.cancel();
    acd.offers.delete(offerId);
    acd.offerOf.delete(offer.contactId);
    const channel = acd.contacts.get(offer.contactId)?.channel ?? 'voice';
    if (reason === 'timeout' || reason === 'withdrawn') this.#channels.get(channel)?.withdraw(tenantId, offerId);
    this.#d.bus.publish('OfferDeclined', { tenantId, contactId: offer.contactId, offerId, agentId: offer.agentId, queueId: offer.queueId, reason, at: this.#iso() });
  }

  /** A contact handed straight to an agent (a transfer to them): they are Busy with it. */
  async assign(tenantId: string, contactId: string, agentId: string): Promise<void> {
    const acd = await this.#acd(tenantId);
    if (!acd.agents.has(agentId)) return;
    let set = acd.direct.get(agentId);
    if (!set) { set = new Set(); acd.direct.set(agentId, set); }
    set.add(contactId);
    this.#cancelWrapUp(tenantId, acd, agentId);
    acd.acceptedAt.set(contactId, this.#now());
    this.#changeState(tenantId, acd, agentId, 'Busy', null);
  }

  /**
   * The agent's part of a contact is over (hang-up or transfer): wrap-up starts. A contact of a
   * background channel only frees its unit: no wrap-up, and an agent Busy because every channel
   * was full is Available again.
   */
  async agentReleased(tenantId: string, contactId: string, agentId: string): Promise<void> {
    const acd = await this.#acd(tenantId);
    const now = this.#now();
    const status = acd.core.contact(contactId);
    const c = acd.contacts.get(contactId);
    if (c && BACKGROUND_CHANNELS.has(c.channel)) {
      this.#releaseBackground(tenantId, acd, contactId, agentId);
      return;
    }
    const queueId = c?.queueId ?? status?.queueId;
    let decisions: RoutingDecision[] = [];
    if (status?.status === 'assigned' && status.agentId === agentId) {
      decisions = acd.core.contactEnded(contactId, now);
      acd.contacts.delete(contactId);
      void this.#write(() => this.#d.store.removeContact(tenantId, contactId));
    } else if (!acd.direct.get(agentId)?.delete(contactId)) {
      return;
    }
    const accepted = acd.acceptedAt.get(contactId);
    acd.acceptedAt.delete(contactId);
    const queue = queueId ? acd.queues.get(queueId) : undefined;
    const wrapUpSeconds = queue?.settings.wrapUpSeconds ?? DEFAULT_QUEUE_SETTINGS.wrapUpSeconds;
    this.#d.bus.publish('WrapUpStarted', { tenantId, contactId, agentId, at: this.#iso(now) });
    const timer = wrapUpSeconds > 0 ? this.#d.clock.setTimeout(() => { void this.endWrapUp(tenantId, agentId, null); }, wrapUpSeconds * 1000) : undefined;
    acd.wrapUps.set(agentId, { contactId, queueId, timer });
    if (accepted !== undefined && queueId) {
      const h = acd.handle.get(queueId) ?? { totalMs: 0, count: 0 };
      acd.handle.set(queueId, { totalMs: h.totalMs + (now - accepted) + wrapUpSeconds * 1000, count: h.count + 1 });
    }
    const a = acd.agents.get(agentId);
    if (a && a.state !== 'Offline') this.#changeState(tenantId, acd, agentId, 'AfterCallWork', null);
    this.#apply(tenantId, acd, decisions);
    if (!timer) await this.endWrapUp(tenantId, agentId, null);
  }

  #releaseBackground(tenantId: string, acd: Acd, contactId: string, agentId: string): void {
    const status = acd.core.contact(contactId);
    if (status?.status !== 'assigned' || status.agentId !== agentId) return;
    const decisions = acd.core.contactEnded(contactId, this.#now());
    acd.contacts.delete(contactId);
    acd.acceptedAt.delete(contactId);
    void this.#write(() => this.#d.store.removeContact(tenantId, contactId));
    if (acd.agents.get(agentId)?.state === 'Busy' && !this.#holds(acd, agentId) && !acd.wrapUps.has(agentId)) {
      const next = acd.pending.get(agentId) ?? { state: 'Available' as const, reason: null };
      acd.pending.delete(agentId);
      this.#changeState(tenantId, acd, agentId, next.state, next.reason);
    }
    this.#apply(tenantId, acd, decisions);
  }

  /** An offer still open: whose it is and on which channel (undefined once accepted, declined or withdrawn, and for another workspace's ids). */
  offer(tenantId: string, offerId: string): { offerId: string; contactId: string; agentId: string; queueId: string; channel: Channel } | undefined {
    const acd = this.#acdNow(tenantId);
    const o = acd?.offers.get(offerId);
    if (!acd || !o) return undefined;
    return { offerId, contactId: o.contactId, agentId: o.agentId, queueId: o.queueId, channel: acd.contacts.get(o.contactId)?.channel ?? 'voice' };
  }

  /** Wrap-up is over (its time ran out, or the agent finished it with a disposition). */
  async endWrapUp(tenantId: string, agentId: string, disposition: string | null): Promise<boolean> {
    const acd = await this.#acd(tenantId);
    const w = acd.wrapUps.get(agentId);
    if (!w) return false;
    if (disposition !== null) {
      const allowed = w.queueId ? acd.queues.get(w.queueId)?.settings.dispositions : undefined;
      if (allowed && allowed.length > 0 && !allowed.includes(disposition)) {
        throw new DomainError('SB_VALIDATION', 400, `disposition must be one of ${allowed.join(', ')}`, { field: 'disposition' });
      }
    }
    w.timer?.cancel();
    acd.wrapUps.delete(agentId);
    this.#d.bus.publish('WrapUpEnded', { tenantId, contactId: w.contactId, agentId, disposition, at: this.#iso() });
    const a = acd.agents.get(agentId);
    if (!a || a.state === 'Offline' || this.#holds(acd, agentId)) return true;
    const next = acd.pending.get(agentId) ?? { state: 'Available' as const, reason: null };
    acd.pending.delete(agentId);
    this.#changeState(tenantId, acd, agentId, next.state, next.reason);
    return true;
  }

  #cancelWrapUp(tenantId: string, acd: Acd, agentId: string): void {
    const w = acd.wrapUps.get(agentId);
    if (!w) return;
    w.timer?.cancel();
    acd.wrapUps.delete(agentId);
    this.#d.bus.publish('WrapUpEnded', { tenantId, contactId: w.contactId, agentId, disposition: null, at: this.#iso() });
  }

  /** Where a waiting contact stands: 1 = next; expected wait = position × handle time ÷ agents serving the queue. */
  position(tenantId: string, contactId: string): { position: number; expectedWaitSeconds: number | null } | undefined {
    const acd = this.#acdNow(tenantId);
    const c = acd?.contacts.get(contactId);
    if (!acd || !c) return undefined;
    const position = acd.core.position(contactId, this.#now());
    if (position === 0) return undefined;
    const h = acd.handle.get(c.queueId);
    const handleMs = h && h.count > 0 ? h.totalMs / h.count : DEFAULT_HANDLE_MS;
    const serving = this.#serving(acd, c.queueId);
    return { position, expectedWaitSeconds: serving === 0 ? null : Math.round((position * handleMs) / serving / 1000) };
  }

  /** Agents logged in (not Offline) who have the queue's skills. */
  #serving(acd: Acd, queueId: string): number {
    const q = acd.queues.get(queueId);
    if (!q) return 0;
    let n = 0;
    for (const a of acd.agents.values()) {
      if (a.state === 'Offline') continue;
      if (q.settings.requirements.every((r) => (a.skills[r.skill] ?? 0) >= r.minProficiency)) n++;
    }
    return n;
  }

  // ---- Decisions ------------------------------------------------------------------------------------

  #apply(tenantId: string, acd: Acd, decisions: RoutingDecision[]): void {
    for (const d of decisions) {
      if (d.type === 'offer') this.#offer(tenantId, acd, d.contactId, d.agentId, d.queueId);
      else this.#overflow(tenantId, acd, d.contactId, d.queueId, d.target);
    }
  }

  #offer(tenantId: string, acd: Acd, contactId: string, agentId: string, queueId: string): void {
    const c = acd.contacts.get(contactId);
    const channel = this.#channels.get(c?.channel ?? 'voice');
    const offerId = newId();
    const timeoutMs = (acd.queues.get(queueId)?.settings.offerTimeoutSeconds ?? DEFAULT_QUEUE_SETTINGS.offerTimeoutSeconds) * 1000;
    const timer = this.#d.clock.setTimeout(() => this.#declineOffer(tenantId, acd, offerId, 'timeout'), timeoutMs);
    acd.offers.set(offerId, { id: offerId, contactId, agentId, queueId, timer });
    acd.offerOf.set(contactId, offerId);
    if (c) { c.state = 'offered'; c.agentId = agentId; }
    this.#d.bus.publish('OfferCreated', { tenantId, contactId, offerId, agentId, queueId, channel: c?.channel ?? 'voice', at: this.#iso() });
    void this.#write(() => this.#d.store.setContactState(tenantId, contactId, 'offered', agentId));
    if (!channel) { this.#d.log.error({ contactId }, 'no channel to deliver the offer'); return; }
    // Delivered after the current decision round, so the channel sees a consistent engine.
    queueMicrotask(() => { if (acd.offers.has(offerId)) channel.offer({ tenantId, offerId, contactId, agentId, queueId, kind: c?.kind ?? 'contact', data: c?.data ?? {} }); });
  }

  #overflow(tenantId: string, acd: Acd, contactId: string, fromQueueId: string, target: { kind: string; queueId?: string }): void {
    const c = acd.contacts.get(contactId);
    const now = this.#now();
    if (target.kind === 'queue' && target.queueId) {
      // The core has moved it; the caller keeps their place (enqueuedAt) in the new queue.
      if (c) { c.queueId = target.queueId; c.queuedAt = now; }
      this.#d.bus.publish('ContactOverflowed', { tenantId, contactId, fromQueueId, target: 'queue', toQueueId: target.queueId, at: this.#iso(now) });
      this.#d.bus.publish('ContactQueued', { tenantId, contactId, queueId: target.queueId, channel: c?.channel ?? 'voice', priority: c?.priority ?? 0, kind: c?.kind ?? 'contact', at: this.#iso(now) });
      void this.#write(() => this.#d.store.setContactState(tenantId, contactId, 'waiting', null, target.queueId, now));
      return;
    }
    acd.contacts.delete(contactId);
    this.#d.bus.publish('ContactOverflowed', { tenantId, contactId, fromQueueId, target: target.kind, toQueueId: null, at: this.#iso(now) });
    void this.#write(() => this.#d.store.removeContact(tenantId, contactId));
    const kind = target.kind === 'voicemail' || target.kind === 'callback' ? target.kind : 'hangup';
    this.#channels.get(c?.channel ?? 'voice')?.overflow(tenantId, contactId, kind);
  }

  #scheduleTick(): void {
    if (this.#ticker || this.#stopped) return;
    this.#ticker = this.#d.clock.setTimeout(() => {
      this.#ticker = undefined;
      const now = this.#now();
      let waiting = false;
      for (const [tenantId, acd] of this.#acds) {
        try {
          this.#apply(tenantId, acd, acd.core.tick(now));
        } catch (err) {
          this.#d.log.error({ err, tenantId }, 'routing tick failed');
        }
        if (acd.contacts.size > 0) waiting = true;
      }
      if (waiting) this.#scheduleTick();
    }, TICK_MS);
  }

  stop(): void {
    this.#stopped = true;
    this.#ticker?.cancel();
    for (const acd of this.#acds.values()) {
      for (const o of acd.offers.values()) o.timer.cancel();
      for (const w of acd.wrapUps.values()) w.timer?.cancel();
    }
  }
}

