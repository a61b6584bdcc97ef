// Builds each interaction's record from the events of the domains a contact passes through (voice,
// IVR, routing, and the ContactArrived/ContactEnded of other channels), in the order they were
// published: every event is applied after the previous one for the same interaction has been
// written, and timestamps are the events' own `at`, not the time of writing. When the record is final it publishes InteractionClosed (the cue for reports).
import type { ContactEvents } from '../channels/tickets/index.ts';
import type { EventPublisher, EventSubscriber, Logger } from '../kernel/index.ts';
import type { IvrEvents } from '../ivr/index.ts';
import type { RoutingEvents } from '../routing/index.ts';
import type { VoiceEvents } from '../voice/index.ts';
import type { InteractionEvents } from './interaction-events.ts';
import type { InteractionStore } from './interaction-store.sql.ts';

type Consumed = VoiceEvents & IvrEvents & RoutingEvents & ContactEvents & { CustomerErased: { tenantId: string; customerId: string } };

export interface InteractionRecorderDeps {
  store: InteractionStore;
  bus: EventSubscriber<Consumed> & EventPublisher<InteractionEvents>;
  log: Logger;
  /** The customer a caller's number belongs to (the CRM), if any. */
  resolveCustomer?(tenantId: string, address: string): Promise<string | undefined>;
  /** Deletes a recording (erasure of a customer's personal data). */
  removeRecording?(tenantId: string, recordingId: string): Promise<unknown>;
  /** Epoch ms, for changes not stamped by an event (erasure). */
  now?(): number;
}

const ms = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from));

export class InteractionRecorder {
  readonly #d: InteractionRecorderDeps;
  readonly #chains = new Map<string, Promise<void>>();
  readonly #unsubscribe: (() => void)[] = [];

  constructor(deps: InteractionRecorderDeps) {
    this.#d = deps;
    const s = this.#d.store;
    const on = <K extends keyof Consumed & string>(name: K, id: (p: Consumed[K]) => string, apply: (p: Consumed[K]) => Promise<void>) => {
      this.#unsubscribe.push(deps.bus.subscribe(name, (p) => this.#enqueue(id(p), name, () => apply(p))));
    };

    on('CallArrived', (p) => p.callId, async (p) => {
      if (await s.exists(p.tenantId, p.callId)) return;
      await s.create(p.tenantId, {
        id: p.callId, channel: 'voice', direction: p.direction, customer_address: p.from, customer_id: await this.#customer(p.tenantId, p.from), dialled: p.to, flow_id: null, language: null,
        queue_id: null, agent_id: null, arrived_at: p.at, ivr_entered_at: null, ivr_left_at: null, queued_at: null, first_offered_at: null, answered_at: null,
        ended_at: null, wrap_up_ended_at: null, outcome: null, ended_by: null, disposition: null, notes: null, recording_id: null, ivr_path: null, updated_at: p.at,
      });
    });
    // A contact of another channel (a ticket's work item): `from` is the customer's id, `to` its queue; the record's notes name what it is about.
    on('ContactArrived', (p) => p.contactId, async (p) => {
      if (await s.exists(p.tenantId, p.contactId)) return;
      await s.create(p.tenantId, {
        id: p.contactId, channel: p.channel, direction: p.direction, customer_address: null, customer_id: p.from, dialled: null, flow_id: null, language: null,
        queue_id: p.to, agent_id: null, arrived_at: p.at, ivr_entered_at: null, ivr_left_at: null, queued_at: null, first_offered_at: null, answered_at: null,
        ended_at: null, wrap_up_ended_at: null, outcome: null, ended_by: null, disposition: null, notes: p.reference ? `${p.reference.kind} ${p.reference.id}` : null,
        recording_id: null, ivr_path: null, updated_at: p.at,
      });
    });
    on('CallbackRequested', (p) => p.callId, async (p) => {
      await s.create(p.tenantId, {
        id: p.callId, channel: 'voice', direction: 'outbound', customer_address: p.number, customer_id: await this.#customer(p.tenantId, p.number), dialled: p.number, flow_id: null, language: null,
        queue_id: p.queueId, agent_id: null, arrived_at: p.at, ivr_entered_at: null, ivr_left_at: null, queued_at: null, first_offered_at: null, answered_at: null,
        ended_at: null, wrap_up_ended_at: null, outcome: null, ended_by: null, disposition: null, notes: `callback for ${p.originalCallId}`, recording_id: null, ivr_path: null, updated_at: p.at,
      });
    });
    on('IvrEntered', (p) => p.callId, async (p) => {
      await s.update(p.tenantId, p.callId, { flow_id: p.flowId, updated_at: p.at });
      await s.setFirst(p.tenantId, p.callId, 'ivr_entered_at', p.at);
      await s.openSegment(p.tenantId, { interactionId: p.callId, kind: 'ivr', at: p.at, data: { flowId: p.flowId, version: p.flowVersion } });
    });
    on('IvrLeft', (p) => p.callId, async (p) => {
      await s.update(p.tenantId, p.callId, { ivr_left_at: p.at, language: p.language, ivr_path: JSON.stringify(p.path), updated_at: p.at });
      await s.closeSegment(p.tenantId, p.callId, 'ivr', p.at, p.exit);
      if (p.exit === 'hangup') await s.setFirst(p.tenantId, p.callId, 'outcome', 'self-service');
      if (p.exit === 'caller-hung-up') await s.setFirst(p.tenantId, p.callId, 'outcome', 'abandoned-ivr');
      if (p.exit === 'failed') await s.setFirst(p.tenantId, p.callId, 'outcome', 'failed');
      if (p.exit === 'callback') await s.setFirst(p.tenantId, p.callId, 'outcome', 'callback');
    });
    on('ContactQueued', (p) => p.contactId, async (p) => {
      await s.update(p.tenantId, p.contactId, { queue_id: p.queueId, updated_at: p.at });
      await s.setFirst(p.tenantId, p.contactId, 'queued_at', p.at);
      await s.openSegment(p.tenantId, { interactionId: p.contactId, kind: 'queue', queueId: p.queueId, at: p.at, data: { priority: p.priority, kind: p.kind } });
    });
    on('OfferCreated', (p) => p.contactId, async (p) => {
      await s.update(p.tenantId, p.contactId, { updated_at: p.at }, { offers: 1 });
      await s.setFirst(p.tenantId, p.contactId, 'first_offered_at', p.at);
      await s.openSegment(p.tenantId, { interactionId: p.contactId, kind: 'offer', agentId: p.agentId, queueId: p.queueId, at: p.at, data: { offerId: p.offerId } });
    });
    on('OfferDeclined', (p) => p.contactId, async (p) => {
      await s.closeSegment(p.tenantId, p.contactId, 'offer', p.at, p.reason, p.agentId);
    });
    on('OfferAccepted', (p) => p.contactId, async (p) => {
      await s.closeSegment(p.tenantId, p.contactId, 'offer', p.at, 'accepted', p.agentId);
      await s.closeSegment(p.tenantId, p.contactId, 'queue', p.at, 'answered');
      // A new agent: the wrap-up that counts is theirs, still to come.
      await s.update(p.tenantId, p.contactId, { agent_id: p.agentId, wrap_up_ended_at: null, updated_at: p.at });
      await s.setFirst(p.tenantId, p.contactId, 'answered_at', p.at);
    });
    on('CallConnected', (p) => p.callId, async (p) => {
      await s.openSegment(p.tenantId, { interactionId: p.callId, kind: 'talk', agentId: p.agentId, at: p.at });
      // Whoever the customer talks to now has the contact (a transfer hands it on without an offer).
      if (p.agentId) await s.update(p.tenantId, p.callId, { agent_id: p.agentId, wrap_up_ended_at: null, updated_at: p.at });
      // A call without an offer (click-to-dial, a transfer from the IVR) is answered when it connects.
      await s.setFirst(p.tenantId, p.callId, 'answered_at', p.at);
    });
    on('CallHeld', (p) => p.callId, async (p) => {
      await s.update(p.tenantId, p.callId, { updated_at: p.at }, { holds: 1 });
      await s.openSegment(p.tenantId, { interactionId: p.callId, kind: 'hold', agentId: p.agentId, at: p.at });
    });
    on('CallResumed', (p) => p.callId, async (p) => {
      const seg = await s.closeSegment(p.tenantId, p.callId, 'hold', p.at, 'resumed');
      if (seg) await s.update(p.tenantId, p.callId, { updated_at: p.at }, { hold_ms: ms(seg.startedAt, p.at) });
    });
    on('CallTransferred', (p) => p.callId, async (p) => {
      await this.#endHold(p.tenantId, p.callId, p.at);
      if (p.fromAgentId) await s.closeSegment(p.tenantId, p.callId, 'talk', p.at, 'transferred', p.fromAgentId);
      await s.openSegment(p.tenantId, { interactionId: p.callId, kind: 'transfer', agentId: p.fromAgentId, at: p.at, data: { target: p.target, mode: p.mode } });
      await s.closeSegment(p.tenantId, p.callId, 'transfer', p.at, p.target.kind);
      await s.update(p.tenantId, p.callId, { updated_at: p.at }, { transfers: 1 });
      if (p.target.kind === 'number' && !p.fromAgentId) await s.setFirst(p.tenantId, p.callId, 'outcome', 'transferred-out');
    });
    on('ContactAbandoned', (p) => p.contactId, async (p) => {
      await s.closeSegment(p.tenantId, p.contactId, 'offer', p.at, 'abandoned');
      await s.closeSegment(p.tenantId, p.contactId, 'queue', p.at, 'abandoned');
      await s.setFirst(p.tenantId, p.contactId, 'outcome', 'abandoned');
    });
    on('ContactOverflowed', (p) => p.contactId, async (p) => {
      await s.closeSegment(p.tenantId, p.contactId, 'queue', p.at, `overflow:${p.target}`);
      if (!p.toQueueId) await s.setFirst(p.tenantId, p.contactId, 'outcome', p.target === 'voicemail' ? 'voicemail' : p.target === 'callback' ? 'callback' : 'overflowed');
    });
    on('ContactClosed', (p) => p.contactId, async (p) => {
      await s.closeSegment(p.tenantId, p.contactId, 'queue', p.at, p.reason);
      await s.setFirst(p.tenantId, p.contactId, 'outcome', 'failed');
      await s.setFirst(p.tenantId, p.contactId, 'ended_at', p.at);
      await s.setFirst(p.tenantId, p.contactId, 'ended_by', 'system');
      await this.#closeIfFinal(p.tenantId, p.contactId, p.at);
    });
    on('VoicemailRecorded', (p) => p.callId, async (p) => {
      await s.openSegment(p.tenantId, { interactionId: p.callId, kind: 'voicemail', at: new Date(Date.parse(p.at) - p.durationMs).toISOString(), data: { recordingId: p.recordingId } });
      await s.closeSegment(p.tenantId, p.callId, 'voicemail', p.at, 'recorded');
      await s.update(p.tenantId, p.callId, { outcome: 'voicemail', updated_at: p.at });
    });
    on('CallRecordingStarted', (p) => p.callId, async (p) => {
      const row = await s.row(p.tenantId, p.callId);
      if (row && !row.recording_id) await s.update(p.tenantId, p.callId, { recording_id: p.recordingId });
    });
    on('CallEnded', (p) => p.callId, async (p) => {
      if (!(await s.exists(p.tenantId, p.callId))) return;
      await this.#endHold(p.tenantId, p.callId, p.at);
      await s.closeSegment(p.tenantId, p.callId, 'talk', p.at, `ended-by-${p.endedBy}`);
      await s.closeSegment(p.tenantId, p.callId, 'offer', p.at, 'abandoned');
      await s.closeSegment(p.tenantId, p.callId, 'ivr', p.at, 'caller-hung-up');
      await s.closeSegment(p.tenantId, p.callId, 'queue', p.at, 'abandoned');
      await s.update(p.tenantId, p.callId, { updated_at: p.at });
      await s.setFirst(p.tenantId, p.callId, 'ended_at', p.at);
      await s.setFirst(p.tenantId, p.callId, 'ended_by', p.endedBy);
      const row = await s.row(p.tenantId, p.callId);
      if (row && !row.outcome) {
        const outcome = row.answered_at ? 'answered' : row.queued_at ? 'abandoned' : row.ivr_entered_at ? 'abandoned-ivr' : 'failed';
        await s.setFirst(p.tenantId, p.callId, 'outcome', outcome);
      }
      await this.#closeIfFinal(p.tenantId, p.callId, p.at);
    });
    // The end of a contact of another channel: its agent released it (it has no wrap-up: that ends with it), or it left its queue.
    on('ContactEnded', (p) => p.contactId, async (p) => {
      if (!(await s.exists(p.tenantId, p.contactId))) return;
      await s.closeSegment(p.tenantId, p.contactId, 'offer', p.at, 'withdrawn');
      await s.closeSegment(p.tenantId, p.contactId, 'queue', p.at, p.reason);
      await s.update(p.tenantId, p.contactId, { updated_at: p.at });
      await s.setFirst(p.tenantId, p.contactId, 'ended_at', p.at);
      await s.setFirst(p.tenantId, p.contactId, 'ended_by', p.endedBy);
      const row = await s.row(p.tenantId, p.contactId);
      if (row && !row.outcome) await s.setFirst(p.tenantId, p.contactId, 'outcome', row.answered_at ? 'answered' : p.reason.startsWith('overflow:') ? 'overflowed' : 'abandoned');
      if (row?.answered_at && !row.wrap_up_ended_at) await s.update(p.tenantId, p.contactId, { wrap_up_ended_at: p.at });
      await this.#closeIfFinal(p.tenantId, p.contactId, p.at);
    });
    on('CustomerErased', (p) => `erase:${p.customerId}`, async (p) => {
      for (const { recordingIds } of await s.recordingsOf(p.tenantId, p.customerId)) {
        for (const id of recordingIds) await deps.removeRecording?.(p.tenantId, id);
      }
      await s.erase(p.tenantId, p.customerId, new Date(deps.now?.() ?? Date.now()).toISOString());
    });
    on('WrapUpStarted', (p) => p.contactId, async (p) => {
      await s.closeSegment(p.tenantId, p.contactId, 'talk', p.at, 'agent-left', p.agentId);
      await s.openSegment(p.tenantId, { interactionId: p.contactId, kind: 'wrap-up', agentId: p.agentId, at: p.at });
    });
    on('WrapUpEnded', (p) => p.contactId, async (p) => {
      await s.closeSegment(p.tenantId, p.contactId, 'wrap-up', p.at, p.disposition, p.agentId);
      const row = await s.row(p.tenantId, p.contactId);
      // Only the wrap-up of the agent who has the contact now closes it (an earlier agent's, before a transfer, does not).
      if (row && row.agent_id === p.agentId) {
        await s.update(p.tenantId, p.contactId, { wrap_up_ended_at: p.at, updated_at: p.at, ...(p.disposition ? { disposition: p.disposition } : {}) });
      }
      await this.#closeIfFinal(p.tenantId, p.contactId, p.at);
    });
  }

  async #customer(tenantId: string, address: string): Promise<string | null> {
    if (!this.#d.resolveCustomer) return null;
    try {
      return (await this.#d.resolveCustomer(tenantId, address)) ?? null;
    } catch (err) {
      this.#d.log.warn({ err }, 'customer lookup failed');
      return null;
    }
  }

  /** The interactions as a customer timeline source (the CRM's port). */
  timeline() {
    const store = this.#d.store;
    return {
      async entries(tenantId: string, customerIds: string[], opts: { before?: string; limit: number }) {
        const rows = await store.byCustomers(tenantId, customerIds, opts.before, opts.limit);
        return rows.map((r) => ({
          at: r.arrivedAt, kind: 'interaction', id: r.id, channel: r.channel,
          summary: `${r.direction} ${r.channel}: ${r.outcome ?? 'in progress'}`,
          data: { outcome: r.outcome, direction: r.direction, queueId: r.queueId, agentId: r.agentId, answeredAt: r.answeredAt, endedAt: r.endedAt, disposition: r.disposition, recordingId: r.recordingId },
        }));
      },
    };
  }

  async #endHold(tenantId: string, id: string, at: string): Promise<void> {
    const seg = await this.#d.store.closeSegment(tenantId, id, 'hold', at, 'ended');
    if (seg) await this.#d.store.update(tenantId, id, {}, { hold_ms: ms(seg.startedAt, at) });
  }

  /** Final once the contact ended and, if an agent answered, that agent's wrap-up is over. */
  async #closeIfFinal(tenantId: string, id: string, at: string): Promise<void> {
    const row = await this.#d.store.row(tenantId, id);
    if (!row || !row.ended_at) return;
    if (row.answered_at && !row.wrap_up_ended_at) return;
    this.#d.bus.publish('InteractionClosed', { tenantId, interactionId: id, outcome: row.outcome ?? 'failed', at });
  }

  #enqueue(id: string, event: string, work: () => Promise<void>): void {
    const prev = this.#chains.get(id) ?? Promise.resolve();
    const next = prev.then(work).catch((err: unknown) => this.#d.log.error({ err, interactionId: id, event }, 'interaction record could not be updated'));
    this.#chains.set(id, next);
    void next.then(() => { if (this.#chains.get(id) === next) this.#chains.delete(id); });
  }

  /** Resolves when every event received so far has been written (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#chains.size > 0) await Promise.all([...this.#chains.values()]);
  }

  stop(): void {
    for (const u of this.#unsubscribe) u();
  }
}
