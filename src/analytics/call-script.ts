// A contact told as the events voice, IVR and routing publish for it, each at a given instant, so
// that tests drive the real interaction recorder (and through it the rollups) through exact
// scenarios: abandons at chosen waits, holds, transfers, overflows, calls across midnight.
import type { EventPublisher } from '../kernel/index.ts';
import type { IvrEvents } from '../ivr/index.ts';
import type { RoutingEvents } from '../routing/index.ts';
import type { VoiceEvents } from '../voice/index.ts';

type Published = VoiceEvents & IvrEvents & RoutingEvents;

export class CallScript {
  readonly #bus: EventPublisher<Published>;
  readonly tenantId: string;
  readonly id: string;
  #t: number;
  #queueId: string | null = null;
  #firstQueuedAt: number | null = null;
  #offers = 0;
  #offer: { offerId: string; agentId: string } | null = null;

  constructor(bus: EventPublisher<Published>, tenantId: string, id: string, at: number) {
    this.#bus = bus;
    this.tenantId = tenantId;
    this.id = id;
    this.#t = at;
  }

  get at(): number {
    return this.#t;
  }

  #iso(): string {
    return new Date(this.#t).toISOString();
  }

  /** Lets `seconds` pass. */
  wait(seconds: number): this {
    this.#t += Math.round(seconds * 1000);
    return this;
  }

  arrive(from: string, to: string, direction: 'inbound' | 'outbound' = 'inbound'): this {
    this.#bus.publish('CallArrived', { tenantId: this.tenantId, callId: this.id, direction, from, to, at: this.#iso() });
    return this;
  }

  /** Enters the IVR, stays `seconds`, and leaves it by `exit`. */
  ivr(seconds: number, exit: 'queue' | 'hangup' | 'caller-hung-up' = 'queue'): this {
    this.#bus.publish('IvrEntered', { tenantId: this.tenantId, callId: this.id, flowId: 'flow', flowVersion: 1, at: this.#iso() });
    this.wait(seconds);
    this.#bus.publish('IvrLeft', { tenantId: this.tenantId, callId: this.id, flowId: 'flow', at: this.#iso(), exit, language: 'en', path: [] });
    return this;
  }

  queue(queueId: string): this {
    this.#queueId = queueId;
    this.#firstQueuedAt ??= this.#t;
    this.#bus.publish('ContactQueued', { tenantId: this.tenantId, contactId: this.id, queueId, channel: 'voice', priority: 0, kind: 'contact', at: this.#iso() });
    return this;
  }

  offer(agentId: string): this {
    this.#offer = { offerId: `${this.id}-offer-${++this.#offers}`, agentId };
    this.#bus.publish('OfferCreated', { tenantId: this.tenantId, contactId: this.id, offerId: this.#offer.offerId, agentId, queueId: this.#queueId!, channel: 'voice', at: this.#iso() });
    return this;
  }

  decline(reason: 'timeout' | 'rejected' | 'unreachable' | 'withdrawn'): this {
    const o = this.#offer!;
    this.#bus.publish('OfferDeclined', { tenantId: this.tenantId, contactId: this.id, offerId: o.offerId, agentId: o.agentId, queueId: this.#queueId!, reason, at: this.#iso() });
    this.#offer = null;
    return this;
  }

  /** The offered agent answers: accepted and connected. */
  answer(): this {
    const o = this.#offer!;
    this.#bus.publish('OfferAccepted', { tenantId: this.tenantId, contactId: this.id, offerId: o.offerId, agentId: o.agentId, queueId: this.#queueId!, at: this.#iso() });
    this.#bus.publish('CallConnected', { tenantId: this.tenantId, callId: this.id, agentId: o.agentId, at: this.#iso() });
    this.#offer = null;
    return this;
  }

  hold(agentId: string, seconds: number): this {
    this.#bus.publish('CallHeld', { tenantId: this.tenantId, callId: this.id, agentId, at: this.#iso() });
    this.wait(seconds);
    this.#bus.publish('CallResumed', { tenantId: this.tenantId, callId: this.id, agentId, at: this.#iso() });
    return this;
  }

  /** The caller leaves while queued or offered. */
  abandon(): this {
    if (this.#offer) this.decline('withdrawn');
    const waitMs = this.#t - this.#firstQueuedAt!;
    this.#bus.publish('ContactAbandoned', { tenantId: this.tenantId, contactId: this.id, queueId: this.#queueId!, waitMs, at: this.#iso() });
    this.#bus.publish('CallEnded', { tenantId: this.tenantId, callId: this.id, endedBy: 'customer', reason: 'hangup', at: this.#iso() });
    return this;
  }

  /** The queue's longest wait passed: to another queue, or out to voicemail, callback or hang-up. */
  overflow(target: { queueId: string } | 'voicemail' | 'callback' | 'hangup'): this {
    const from = this.#queueId!;
    if (typeof target === 'object') {
      this.#bus.publish('ContactOverflowed', { tenantId: this.tenantId, contactId: this.id, fromQueueId: from, target: 'queue', toQueueId: target.queueId, at: this.#iso() });
      return this.queue(target.queueId);
    }
    this.#bus.publish('ContactOverflowed', { tenantId: this.tenantId, contactId: this.id, fromQueueId: from, target, toQueueId: null, at: this.#iso() });
    return this;
  }

  /** A blind transfer by the agent to another agent (who is connected at once) or to a queue. */
  transfer(fromAgentId: string, to: { agentId: string } | { queueId: string }): this {
    const target = 'agentId' in to ? { kind: 'agent' as const, id: to.agentId } : { kind: 'queue' as const, id: to.queueId };
    this.#bus.publish('CallTransferred', { tenantId: this.tenantId, callId: this.id, fromAgentId, target, mode: 'blind', at: this.#iso() });
    this.#bus.publish('WrapUpStarted', { tenantId: this.tenantId, contactId: this.id, agentId: fromAgentId, at: this.#iso() });
    if ('agentId' in to) this.#bus.publish('CallConnected', { tenantId: this.tenantId, callId: this.id, agentId: to.agentId, at: this.#iso() });
    else this.queue(to.queueId);
    return this;
  }

  /** A wrap-up of an agent who left the call earlier (a transfer), ended now. */
  endWrapUp(agentId: string, disposition: string | null = null): this {
    this.#bus.publish('WrapUpEnded', { tenantId: this.tenantId, contactId: this.id, agentId, disposition, at: this.#iso() });
    return this;
  }

  /** The call ends; with an agent on it, their wrap-up follows for `wrapSeconds`. */
  hangUp(endedBy: 'customer' | 'agent' | 'system', agent?: { agentId: string; wrapSeconds: number; disposition?: string | null }): this {
    this.#bus.publish('CallEnded', { tenantId: this.tenantId, callId: this.id, endedBy, reason: 'hangup', at: this.#iso() });
    if (agent) {
      this.#bus.publish('WrapUpStarted', { tenantId: this.tenantId, contactId: this.id, agentId: agent.agentId, at: this.#iso() });
      this.wait(agent.wrapSeconds);
      this.endWrapUp(agent.agentId, agent.disposition ?? null);
    }
    return this;
  }
}
