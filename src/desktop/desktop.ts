// The agent desktop's service: each user's station (the phone they work on) and auto-answer
// preference, what every agent is doing now (CurrentWork, fed from the bus) with the facts a
// screen pop needs and the tickets behind tasks, the log of contacts each agent was connected to
// (their history, the notes they may write and the recordings they may hear).
import { localDate, startOfLocalDay } from '../calendar/index.ts';
import type { Interaction } from '../interactions/index.ts';
import { notFound, type Clock, type EventSubscriber, type Logger } from '../kernel/index.ts';
import type { SqlDatabase } from '../storage/index.ts';
import { CurrentWork, TASK_CHANNEL, TRACKED_EVENTS, type AgentWork, type TrackedEvent, type TrackedEvents } from './current-work.ts';
import type { CallView, ContactView, DeskPhone, DeskSettings, HistoryEntry, OfferView, TaskOfferView, TaskTicketView, TaskView, WorkView, WrapUpView } from './desktop-model.ts';
import { DesktopStore } from './desktop-store.sql.ts';

export interface DesktopQueue {
  id: string;
  name: string;
  settings: { dispositions: string[]; wrapUpSeconds: number; offerTimeoutSeconds: number };
}

export interface DesktopDeps {
  db: SqlDatabase;
  clock: Clock;
  log: Logger;
  bus: EventSubscriber<TrackedEvents>;
  /** The user's phone endpoints (voice_phone rows with their user id). */
  phonesOf(tenantId: string, userId: string): Promise<DeskPhone[]>;
  interactions: {
    get(tenantId: string, id: string): Promise<Interaction>;
    update(tenantId: string, id: string, patch: { notes: string | null; updated_at: string }): Promise<void>;
  };
  /** Rejects (SB_NOT_FOUND) for a queue the workspace does not have. */
  queue(tenantId: string, queueId: string): Promise<DesktopQueue>;
  timeZoneOf(tenantId: string): Promise<string>;
  /** The ticket behind a task (undefined: cannot be read); without it tasks show no ticket. */
  taskTicket?(tenantId: string, ticketId: string): Promise<TaskTicketView | undefined>;
  /** The ticket id of a task the events did not name (one queued or held across a restart). */
  ticketOfTask?(tenantId: string, contactId: string): string | undefined;
}

/** One applied event, with the agents it concerns (CurrentWork already reflects it). */
export interface WorkChange<K extends TrackedEvent = TrackedEvent> {
  name: K;
  payload: TrackedEvents[K];
  tenantId: string;
  agentIds: string[];
  /** The event concerns a task (a contact of the task channel). */
  task: boolean;
}

/** The most contacts a day's history lists. */
export const HISTORY_LIMIT = 200;

/** The disposition the agent gave at their own wrap-up (an earlier agent's differs from the record's last one). */
const ownDisposition = (r: Interaction, userId: string) => r.segments.filter((s) => s.kind === 'wrap-up' && s.agentId === userId).at(-1)?.outcome ?? null;

/** The agent's own talk time: the sum of their finished talk segments. */
const ownTalkMs = (r: Interaction, userId: string) => r.segments
  .filter((s) => s.kind === 'talk' && s.agentId === userId && s.endedAt)
  .reduce((sum, s) => sum + Math.max(0, Date.parse(s.endedAt!) - Date.parse(s.startedAt)), 0);

const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export class Desktop {
  readonly #d: DesktopDeps;
  readonly #store: DesktopStore;
  readonly #work = new CurrentWork();
  readonly #listeners = new Set<(change: WorkChange) => void>();
  readonly #offs: (() => void)[];
  #writes = Promise.resolve();

  constructor(deps: DesktopDeps) {
    this.#d = deps;
    this.#store = new DesktopStore(deps.db);
    this.#offs = TRACKED_EVENTS.map((name) => deps.bus.subscribe(name, (payload) => this.#apply(name, payload)));
  }

  #apply<K extends TrackedEvent>(name: K, payload: TrackedEvents[K]): void {
    const agentIds = this.#work.apply(name, payload);
    if (name === 'CallConnected') {
      const e = payload as TrackedEvents['CallConnected'];
      const agentId = e.agentId;
      if (agentId) this.#write(() => this.#store.addHandled(e.tenantId, agentId, e.callId, e.at));
    }
    const contactId = 'contactId' in payload ? payload.contactId : undefined;
    const task = typeof contactId === 'string' && this.#work.facts(payload.tenantId, contactId)?.channel === TASK_CHANNEL;
    const change: WorkChange = { name, payload, tenantId: payload.tenantId, agentIds, task };
    for (const l of this.#listeners) {
      try { l(change); } catch (err) { this.#d.log.error({ err, event: name }, 'desktop listener failed'); }
    }
  }

  #write(work: () => Promise<void>): void {
    this.#writes = this.#writes.then(work).catch((err: unknown) => this.#d.log.error({ err }, 'desktop state could not be saved'));
  }

  /** Called after each tracked event is applied; returns the unsubscribe function. */
  onChange(listener: (change: WorkChange) => void): () => void {
    this.#listeners.add(listener);
    return () => { this.#listeners.delete(listener); };
  }

  /** Resolves once every write so far is stored (tests, shutdown). */
  settled(): Promise<void> {
    return this.#writes;
  }

  stop(): void {
    for (const off of this.#offs) off();
    this.#listeners.clear();
  }

  // ---- Station and preferences -----------------------------------------------------------------

  phones(tenantId: string, userId: string): Promise<DeskPhone[]> {
    return this.#d.phonesOf(tenantId, userId);
  }

  /** The user's settings; a station that is no longer their phone reads as none. */
  async settings(tenantId: string, userId: string): Promise<DeskSettings> {
    const s = await this.#store.settings(tenantId, userId);
    if (s.stationPhoneId && !(await this.phones(tenantId, userId)).some((p) => p.id === s.stationPhoneId)) return { ...s, stationPhoneId: null };
    return s;
  }

  /** Changes the given settings; a station must be one of the user's phones (else SB_NOT_FOUND). */
  async saveSettings(tenantId: string, userId: string, change: Partial<DeskSettings>): Promise<DeskSettings> {
    const current = await this.settings(tenantId, userId);
    const next: DeskSettings = { ...current, ...change };
    if (change.stationPhoneId && !(await this.phones(tenantId, userId)).some((p) => p.id === change.stationPhoneId)) throw notFound('phone');
    await this.#store.putSettings(tenantId, userId, next, new Date(this.#d.clock.now()).toISOString());
    return next;
  }

  /**
   * The phone an offer to this user should ring: their chosen station, while it is still theirs.
   * Undefined when none is chosen (then every phone of theirs rings).
   */
  async stationOf(tenantId: string, userId: string): Promise<DeskPhone | undefined> {
    const { stationPhoneId } = await this.#store.settings(tenantId, userId);
    if (!stationPhoneId) return undefined;
    return (await this.phones(tenantId, userId)).find((p) => p.id === stationPhoneId);
  }

  /** Whether the user's phone should answer offers by itself (an auto-answer header on the INVITE). */
  async autoAnswer(tenantId: string, userId: string): Promise<boolean> {
    return (await this.#store.settings(tenantId, userId)).autoAnswer;
  }

  // ---- What agents are doing -----------------------------------------------------------------------

  work(tenantId: string, agentId: string): AgentWork {
    return this.#work.work(tenantId, agentId);
  }

  agentOfCall(tenantId: string, callId: string): string | undefined {
    return this.#work.agentOfCall(tenantId, callId);
  }

  agentsOf(tenantId: string, contactId: string): string[] {
    return this.#work.agentsOf(tenantId, contactId);
  }

  /** The agent's offer, call and wrap-up with what the screen pop shows of each contact, and their tasks. */
  async workView(tenantId: string, agentId: string): Promise<WorkView> {
    const w = this.work(tenantId, agentId);
    const [offer, call, wrapUp, tasks] = await Promise.all([
      w.offer ? this.offerView(tenantId, w.offer) : null,
      w.call ? this.callView(tenantId, w.call) : null,
      w.wrapUp ? this.wrapUpView(tenantId, w.wrapUp) : null,
      this.taskViews(tenantId, w),
    ]);
    return { offer, call, wrapUp, ...tasks };
  }

  /** The task offers and tasks of a work state, each with its queue and ticket. */
  async taskViews(tenantId: string, w: AgentWork): Promise<Pick<WorkView, 'taskOffers' | 'tasks'>> {
    const [taskOffers, tasks] = await Promise.all([
      Promise.all(w.taskOffers.map(async (o): Promise<TaskOfferView> => {
        const [queue, ticket] = await Promise.all([this.#queue(tenantId, o.queueId), this.#ticketOf(tenantId, o.contactId)]);
        return { offerId: o.offerId, contactId: o.contactId, queueId: o.queueId, queueName: queue?.name ?? null, at: o.at, timeoutSeconds: queue?.settings.offerTimeoutSeconds ?? null, ticket };
      })),
      Promise.all(w.tasks.map(async (x): Promise<TaskView> => {
        const [queue, ticket] = await Promise.all([this.#queue(tenantId, x.queueId), this.#ticketOf(tenantId, x.contactId)]);
        return { contactId: x.contactId, queueId: x.queueId, queueName: queue?.name ?? null, acceptedAt: x.acceptedAt, ticket };
      })),
    ]);
    return { taskOffers, tasks };
  }

  /** The ticket of a task, as the events named it (ContactArrived), else as the task channel knows it. */
  async #ticketOf(tenantId: string, contactId: string): Promise<TaskTicketView | null> {
    const ticketId = this.#work.facts(tenantId, contactId)?.ticketId ?? this.#d.ticketOfTask?.(tenantId, contactId);
    if (!ticketId || !this.#d.taskTicket) return null;
    return (await this.#d.taskTicket(tenantId, ticketId).catch(() => undefined)) ?? null;
  }

  async offerView(tenantId: string, o: NonNullable<AgentWork['offer']>): Promise<OfferView> {
    const [contact, queue] = await Promise.all([this.#contact(tenantId, o.contactId), this.#queue(tenantId, o.queueId)]);
    return { ...contact, queueId: o.queueId, queueName: queue?.name ?? null, offerId: o.offerId, at: o.at, timeoutSeconds: queue?.settings.offerTimeoutSeconds ?? null };
  }

  async callView(tenantId: string, c: NonNullable<AgentWork['call']>): Promise<CallView> {
    const contact = await this.#contact(tenantId, c.callId);
    const queueId = c.queueId ?? contact.queueId;
    const queue = queueId ? await this.#queue(tenantId, queueId) : undefined;
    return { ...contact, queueId, queueName: queue?.name ?? null, callId: c.callId, connectedAt: c.connectedAt, held: c.held, heldSince: c.heldSince };
  }

  async wrapUpView(tenantId: string, w: NonNullable<AgentWork['wrapUp']>): Promise<WrapUpView> {
    const contact = await this.#contact(tenantId, w.contactId);
    const queueId = w.queueId ?? contact.queueId;
    const queue = queueId ? await this.#queue(tenantId, queueId) : undefined;
    return {
      ...contact, queueId, queueName: queue?.name ?? null, startedAt: w.startedAt,
      wrapUpSeconds: queue?.settings.wrapUpSeconds ?? null, dispositions: queue?.settings.dispositions ?? [],
    };
  }

  /** The contact's facts: from the events while it is live, else from its interaction record. */
  async #contact(tenantId: string, contactId: string): Promise<ContactView> {
    const f = this.#work.facts(tenantId, contactId);
    if (f) return { contactId, caller: f.caller, dialled: f.dialled, direction: f.direction, language: f.language, ivrPath: f.ivrPath, queueId: f.queueId, queueName: null };
    const r = await this.#d.interactions.get(tenantId, contactId).catch(() => undefined);
    return {
      contactId, caller: r?.customerAddress ?? null, dialled: r?.dialled ?? null, direction: r?.direction ?? null, language: r?.language ?? null,
      ivrPath: (r?.ivrPath ?? []) as ContactView['ivrPath'], queueId: r?.queueId ?? null, queueName: null,
    };
  }

  #queue(tenantId: string, queueId: string): Promise<DesktopQueue | undefined> {
    return this.#d.queue(tenantId, queueId).catch(() => undefined);
  }

  // ---- The agent's own contacts ----------------------------------------------------------------------

  /** Whether the agent was ever connected to the interaction. */
  handled(tenantId: string, userId: string, interactionId: string): Promise<boolean> {
    return this.#store.handled(tenantId, userId, interactionId);
  }

  /** The interaction, if the agent handled it; SB_NOT_FOUND otherwise (as for an id that never existed). */
  async ownInteraction(tenantId: string, userId: string, interactionId: string): Promise<Interaction> {
    if (!(await this.handled(tenantId, userId, interactionId))) throw notFound('interaction');
    return this.#d.interactions.get(tenantId, interactionId);
  }

  /** Writes the notes of an interaction the agent handled. */
  async saveNotes(tenantId: string, userId: string, interactionId: string, notes: string | null): Promise<Interaction> {
    await this.ownInteraction(tenantId, userId, interactionId);
    await this.#d.interactions.update(tenantId, interactionId, { notes, updated_at: new Date(this.#d.clock.now()).toISOString() });
    return this.#d.interactions.get(tenantId, interactionId);
  }

  /** The contacts the agent was connected to today (the workspace's local day), newest first. */
  async history(tenantId: string, userId: string): Promise<HistoryEntry[]> {
    const zone = await this.#d.timeZoneOf(tenantId);
    const today = localDate(zone, this.#d.clock.now());
    const from = new Date(startOfLocalDay(zone, today)).toISOString();
    const to = new Date(startOfLocalDay(zone, nextDate(today))).toISOString();
    const handled = await this.#store.handledBetween(tenantId, userId, from, to, HISTORY_LIMIT);
    const queues = new Map<string, Promise<DesktopQueue | undefined>>();
    const queueName = async (id: string | null) => {
      if (!id) return null;
      if (!queues.has(id)) queues.set(id, this.#queue(tenantId, id));
      return (await queues.get(id))?.name ?? null;
    };
    const out: HistoryEntry[] = [];
    for (const h of handled) {
      const r = await this.#d.interactions.get(tenantId, h.interactionId).catch(() => undefined);
      if (!r) continue;
      out.push({
        interactionId: r.id, connectedAt: h.connectedAt, direction: r.direction, caller: r.customerAddress, queueId: r.queueId, queueName: await queueName(r.queueId),
        answeredAt: r.answeredAt, endedAt: r.endedAt, talkMs: ownTalkMs(r, userId), outcome: r.outcome, disposition: ownDisposition(r, userId), notes: r.notes,
        recorded: r.recordingId !== null, handledLast: r.agentId === userId,
      });
    }
    return out;
  }
}
