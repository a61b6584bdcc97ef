// What each agent is doing right now, folded from the events of voice, IVR, routing and
// interactions (no I/O, no clock): the offer ringing for them, the call they are connected to
// (held or not), their wrap-up, the tasks (routed tickets) offered to them and those they hold; and,
// per contact, the facts a screen pop shows before the interaction record is written (caller, IVR
// path and language, queue, the ticket of a task).
//   offer:  OfferCreated -> OfferAccepted | OfferDeclined
//   call:   CallConnected -> CallHeld <-> CallResumed -> CallTransferred | CallEnded | WrapUpStarted
//   wrapUp: WrapUpStarted -> WrapUpEnded
//   task:   OfferCreated (channel task) -> OfferDeclined | OfferAccepted -> ContactEnded; after a restart ContactRestored -> ContactEnded
import type { ContactEvents } from '../channels/tickets/index.ts';
import type { IvrEvents } from '../ivr/index.ts';
import type { InteractionEvents } from '../interactions/index.ts';
import type { RoutingEvents } from '../routing/index.ts';
import type { VoiceEvents } from '../voice/index.ts';

export const TRACKED_EVENTS = [
  'CallArrived', 'CallbackRequested', 'IvrLeft', 'ContactQueued', 'OfferCreated', 'OfferAccepted', 'OfferDeclined',
  'CallConnected', 'CallHeld', 'CallResumed', 'CallTransferred', 'CallEnded', 'WrapUpStarted', 'WrapUpEnded', 'InteractionClosed',
  'ContactArrived', 'ContactEnded', 'ContactRestored',
] as const;
export type TrackedEvent = (typeof TRACKED_EVENTS)[number];
type AllEvents = VoiceEvents & IvrEvents & RoutingEvents & InteractionEvents & ContactEvents;

/** The channel whose offers are tasks: shown on the desktop with their ticket, accepted there. */
export const TASK_CHANNEL = 'task';
export type TrackedEvents = { [K in TrackedEvent]: AllEvents[K] };

export interface IvrStep { node: string; type: string; input?: string | undefined; outcome?: string | undefined }

export interface ContactFacts {
  caller: string | null;
  dialled: string | null;
  direction: 'inbound' | 'outbound' | 'internal' | null;
  language: string | null;
  ivrPath: IvrStep[];
  queueId: string | null;
  channel: string | null;
  /** The ticket a task is about. */
  ticketId: string | null;
}

export interface OfferWork { offerId: string; contactId: string; queueId: string; at: string }
export interface TaskWork { contactId: string; queueId: string; acceptedAt: string }
export interface CallWork { callId: string; queueId: string | null; connectedAt: string; held: boolean; heldSince: string | null }
export interface WrapUpWork { contactId: string; queueId: string | null; startedAt: string }

export interface AgentWork {
  offer: OfferWork | null;
  call: CallWork | null;
  wrapUp: WrapUpWork | null;
  /** Task offers open now, oldest first (an agent with task capacity may have several, and a call's offer besides). */
  taskOffers: OfferWork[];
  /** Tasks accepted and not yet released, oldest first. */
  tasks: TaskWork[];
}

const IDLE: AgentWork = Object.freeze({ offer: null, call: null, wrapUp: null, taskOffers: [], tasks: [] });

/** Contacts whose facts are kept at most (oldest dropped first) should closures be missed. */
export const MAX_CONTACTS = 50_000;

const key = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;

export class CurrentWork {
  readonly #agents = new Map<string, AgentWork>();
  readonly #facts = new Map<string, ContactFacts>();
  /** Call id -> the agent connected to it now. */
  readonly #callAgent = new Map<string, string>();
  /** Contact id -> every agent offered or connected to it, until it closes. */
  readonly #touched = new Map<string, Set<string>>();
  readonly #maxContacts: number;

  constructor(maxContacts = MAX_CONTACTS) {
    this.#maxContacts = maxContacts;
  }

  work(tenantId: string, agentId: string): AgentWork {
    return this.#agents.get(key(tenantId, agentId)) ?? IDLE;
  }

  facts(tenantId: string, contactId: string): ContactFacts | undefined {
    return this.#facts.get(key(tenantId, contactId));
  }

  agentOfCall(tenantId: string, callId: string): string | undefined {
    return this.#callAgent.get(key(tenantId, callId));
  }

  /** Every agent offered or connected to the contact (until it closes). */
  agentsOf(tenantId: string, contactId: string): string[] {
    return [...(this.#touched.get(key(tenantId, contactId)) ?? [])];
  }

  /** Applies one event; returns the agents it concerns (whose work changed, or whose contact it is). */
  apply<K extends TrackedEvent>(name: K, payload: TrackedEvents[K]): string[] {
    const p = payload as TrackedEvents[TrackedEvent];
    const t = p.tenantId;
    switch (name) {
      case 'CallArrived': {
        const e = p as TrackedEvents['CallArrived'];
        this.#setFacts(t, e.callId, { caller: e.from, dialled: e.to, direction: e.direction });
        return [];
      }
      case 'CallbackRequested': {
        const e = p as TrackedEvents['CallbackRequested'];
        this.#setFacts(t, e.callId, { caller: e.number, dialled: e.number, direction: 'outbound', queueId: e.queueId });
        return [];
      }
      case 'IvrLeft': {
        // Published once the call is queued: an agent may already be offered it, and their screen pop gains the path.
        const e = p as TrackedEvents['IvrLeft'];
        this.#setFacts(t, e.callId, { language: e.language, ivrPath: e.path.map((s) => ({ node: s.node, type: s.type, input: s.input, outcome: s.outcome })) });
        return this.agentsOf(t, e.callId).filter((a) => {
          const w = this.work(t, a);
          return w.offer?.contactId === e.callId || w.call?.callId === e.callId || w.wrapUp?.contactId === e.callId;
        });
      }
      case 'ContactQueued': {
        const e = p as TrackedEvents['ContactQueued'];
        this.#setFacts(t, e.contactId, { queueId: e.queueId, channel: e.channel });
        return [];
      }
      case 'ContactArrived': {
        const e = p as TrackedEvents['ContactArrived'];
        this.#setFacts(t, e.contactId, { direction: e.direction, channel: e.channel, ticketId: e.reference?.kind === 'ticket' ? e.reference.id : null });
        return [];
      }
      case 'OfferCreated': {
        const e = p as TrackedEvents['OfferCreated'];
        this.#touch(t, e.contactId, e.agentId);
        this.#setFacts(t, e.contactId, { channel: e.channel });
        const offer = { offerId: e.offerId, contactId: e.contactId, queueId: e.queueId, at: e.at };
        this.#update(t, e.agentId, (w) => (e.channel === TASK_CHANNEL ? { ...w, taskOffers: [...w.taskOffers, offer] } : { ...w, offer }));
        return [e.agentId];
      }
      case 'OfferAccepted':
      case 'OfferDeclined': {
        const e = p as TrackedEvents['OfferAccepted'];
        this.#update(t, e.agentId, (w) => {
          const task = w.taskOffers.find((o) => o.offerId === e.offerId);
          if (!task) return w.offer?.offerId === e.offerId ? { ...w, offer: null } : w;
          const taskOffers = w.taskOffers.filter((o) => o !== task);
          return name === 'OfferAccepted' ? { ...w, taskOffers, tasks: [...w.tasks, { contactId: e.contactId, queueId: e.queueId, acceptedAt: e.at }] } : { ...w, taskOffers };
        });
        return [e.agentId];
      }
      case 'ContactRestored': {
        // A task the agent held before a restart is theirs again; the time it was accepted is not kept, so it shows from the restart.
        const e = p as TrackedEvents['ContactRestored'];
        if (e.channel !== TASK_CHANNEL) return [];
        this.#touch(t, e.contactId, e.agentId);
        this.#setFacts(t, e.contactId, { channel: e.channel, queueId: e.queueId });
        this.#update(t, e.agentId, (w) => (w.tasks.some((x) => x.contactId === e.contactId) ? w : { ...w, tasks: [...w.tasks, { contactId: e.contactId, queueId: e.queueId, acceptedAt: e.at }] }));
        return [e.agentId];
      }
      case 'ContactEnded': {
        const e = p as TrackedEvents['ContactEnded'];
        const holders = this.agentsOf(t, e.contactId).filter((a) => this.work(t, a).tasks.some((x) => x.contactId === e.contactId));
        for (const a of holders) this.#update(t, a, (w) => ({ ...w, tasks: w.tasks.filter((x) => x.contactId !== e.contactId) }));
        return holders;
      }
      case 'CallConnected': {
        const e = p as TrackedEvents['CallConnected'];
        const previous = this.#callAgent.get(key(t, e.callId));
        const concerned: string[] = [];
        if (previous && previous !== e.agentId) {
          this.#update(t, previous, (w) => (w.call?.callId === e.callId ? { ...w, call: null } : w));
          concerned.push(previous);
        }
        if (!e.agentId) {
          this.#callAgent.delete(key(t, e.callId));
          return concerned;
        }
        this.#touch(t, e.callId, e.agentId);
        this.#callAgent.set(key(t, e.callId), e.agentId);
        const queueId = this.facts(t, e.callId)?.queueId ?? null;
        this.#update(t, e.agentId, (w) => ({
          ...w, offer: w.offer?.contactId === e.callId ? null : w.offer,
          call: { callId: e.callId, queueId, connectedAt: e.at, held: false, heldSince: null },
        }));
        return [...concerned, e.agentId];
      }
      case 'CallHeld':
      case 'CallResumed': {
        const e = p as TrackedEvents['CallHeld'];
        const agentId = this.#callAgent.get(key(t, e.callId));
        if (!agentId) return [];
        const held = name === 'CallHeld';
        this.#update(t, agentId, (w) => (w.call?.callId === e.callId ? { ...w, call: { ...w.call, held, heldSince: held ? e.at : null } } : w));
        return [agentId];
      }
      case 'CallTransferred': {
        const e = p as TrackedEvents['CallTransferred'];
        const agentId = e.fromAgentId ?? this.#callAgent.get(key(t, e.callId));
        if (!agentId) return [];
        if (this.#callAgent.get(key(t, e.callId)) === agentId) this.#callAgent.delete(key(t, e.callId));
        this.#update(t, agentId, (w) => (w.call?.callId === e.callId ? { ...w, call: null } : w));
        return [agentId];
      }
      case 'CallEnded': {
        const e = p as TrackedEvents['CallEnded'];
        const agentId = this.#callAgent.get(key(t, e.callId));
        this.#callAgent.delete(key(t, e.callId));
        if (!agentId) return [];
        this.#update(t, agentId, (w) => (w.call?.callId === e.callId ? { ...w, call: null } : w));
        return [agentId];
      }
      case 'WrapUpStarted': {
        const e = p as TrackedEvents['WrapUpStarted'];
        const queueId = this.facts(t, e.contactId)?.queueId ?? null;
        if (this.#callAgent.get(key(t, e.contactId)) === e.agentId) this.#callAgent.delete(key(t, e.contactId));
        this.#update(t, e.agentId, (w) => ({
          ...w, call: w.call?.callId === e.contactId ? null : w.call, wrapUp: { contactId: e.contactId, queueId, startedAt: e.at },
        }));
        return [e.agentId];
      }
      case 'WrapUpEnded': {
        const e = p as TrackedEvents['WrapUpEnded'];
        this.#update(t, e.agentId, (w) => (w.wrapUp?.contactId === e.contactId ? { ...w, wrapUp: null } : w));
        return [e.agentId];
      }
      case 'InteractionClosed': {
        const e = p as TrackedEvents['InteractionClosed'];
        const concerned = this.agentsOf(t, e.interactionId);
        this.#facts.delete(key(t, e.interactionId));
        this.#touched.delete(key(t, e.interactionId));
        return concerned;
      }
      default:
        return [];
    }
  }

  #setFacts(tenantId: string, contactId: string, change: Partial<ContactFacts>): void {
    const k = key(tenantId, contactId);
    const known = this.#facts.get(k) ?? { caller: null, dialled: null, direction: null, language: null, ivrPath: [], queueId: null, channel: null, ticketId: null };
    this.#facts.set(k, { ...known, ...change });
    while (this.#facts.size > this.#maxContacts) {
      const oldest = this.#facts.keys().next().value as string;
      this.#facts.delete(oldest);
      this.#touched.delete(oldest);
    }
  }

  #touch(tenantId: string, contactId: string, agentId: string): void {
    const k = key(tenantId, contactId);
    let set = this.#touched.get(k);
    if (!set) { set = new Set(); this.#touched.set(k, set); }
    set.add(agentId);
    while (this.#touched.size > this.#maxContacts) this.#touched.delete(this.#touched.keys().next().value as string);
  }

  #update(tenantId: string, agentId: string, change: (w: AgentWork) => AgentWork): void {
    const k = key(tenantId, agentId);
    const next = change(this.#agents.get(k) ?? IDLE);
    if (!next.offer && !next.call && !next.wrapUp && next.taskOffers.length === 0 && next.tasks.length === 0) this.#agents.delete(k);
    else this.#agents.set(k, next);
  }
}
