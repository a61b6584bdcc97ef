// The contact center's calls: a call to one of a workspace's numbers (DIDs) is answered and handed
// to the number's IVR flow; the routing engine's offers for voice contacts ring agents through the
// calls they belong to; overflow sends a waiting caller to voicemail, a callback or a goodbye. A
// number the workspace does not have is announced as early media (RFC 3960) and then refused with
// the workspace's chosen status, so a caller never hears dead air or an endless ring.
import type { Clock, EventPublisher, Logger } from '../kernel/index.ts';
import { holdMusic, TONE_PLANS, type MediaEngine, type PromptItem } from '../media/index.ts';
import type { InviteServerSession, Registrar, UserAgent } from '../sip/index.ts';
import { agentPhones, autoAnswerHeaders, ContactCall, registeredTargets, rejection, trunkTarget } from './contact-call.ts';
import { DomainError, newId } from '../kernel/index.ts';
import { ring, type Answered, type Ringing } from './ring.ts';
import type { AgentStations, ContactRouting, VoiceChannel, VoiceOffer } from './contact-routing.ts';
import { MediaLeg } from './media-leg.ts';
import type { DialledNumber, Numbers } from './numbers.sql.ts';
import type { PhoneStore } from './phone-store.ts';
import { PHRASES } from './phrases.ts';
import type { Trunks } from './trunks.ts';
import type { VoiceEvents } from './voice-events.ts';

/** Runs a call through a flow; false when the flow has no published version. */
export interface FlowRunner {
  run(call: ContactCall, flowId: string): Promise<boolean>;
}

export interface ContactCallsDeps {
  ua: () => UserAgent;
  media: MediaEngine;
  registrar: Registrar;
  phones: PhoneStore;
  trunks: Trunks;
  numbers: Numbers;
  routing: () => ContactRouting;
  flows: () => FlowRunner;
  prompts: { path(tenantId: string, id: string): Promise<string | undefined> };
  bus: EventPublisher<VoiceEvents>;
  clock: Clock;
  log: Logger;
  record: boolean;
  /** The digest realm (slug) of a workspace. */
  realmOf(tenantId: string): Promise<string>;
  /** The agent desktop's station and auto-answer settings (absent: ring every phone of the agent). */
  stations?: (() => AgentStations | undefined) | undefined;
}

export class ContactCalls implements VoiceChannel {
  readonly #d: ContactCallsDeps;
  readonly #calls = new Map<string, ContactCall>();
  readonly #offers = new Map<string, ContactCall | Ringing>();
  readonly #music: PromptItem[] = [{ kind: 'samples', samples: holdMusic(), label: 'hold music' }];

  constructor(deps: ContactCallsDeps) {
    this.#d = deps;
  }

  get active(): number {
    return this.#calls.size;
  }

  /** A live call of a workspace, for the agent desktop's controls. */
  call(tenantId: string, callId: string): ContactCall | undefined {
    const c = this.#calls.get(callId);
    return c && c.tenantId === tenantId ? c : undefined;
  }

  /** The live calls an agent is on (normally one). */
  callsOfAgent(tenantId: string, agentId: string): ContactCall[] {
    return [...this.#calls.values()].filter((c) => c.tenantId === tenantId && c.agentId === agentId);
  }

  /** Answers a call to a workspace's number and runs its flow. */
  async incoming(session: InviteServerSession, number: DialledNumber & { tenantId: string }, realm: string): Promise<void> {
    if (!number.flowId) { await this.unknownNumber(session, number.tenantId); return; }
    const m = session.request;
    const caller = 'user' in m.from.uri && m.from.uri.user ? m.from.uri.user : 'anonymous';
    const call = await ContactCall.answer(this.#callDeps(), session, { tenantId: number.tenantId, realm, caller, dialled: number.number, holdMusic: this.#music });
    if (!call) return;
    this.#calls.set(call.callId, call);
    const ran = await this.#d.flows().run(call, number.flowId).catch((err: unknown) => {
      this.#d.log.error({ err, callId: call.callId }, 'IVR flow could not run');
      return false;
    });
    if (!ran) {
      this.#d.log.warn({ callId: call.callId, flowId: number.flowId }, 'number has no published flow; announcing it as not in service');
      await call.play([{ kind: 'say', text: PHRASES.notInService.en(), language: 'en' }], { bargeIn: false });
      await call.hangup();
    }
  }

  /** The workspace's treatment of a number it does not have: an announcement, then 404 or 480. */
  async unknownNumber(session: InviteServerSession, tenantId: string): Promise<void> {
    const t = await this.#d.numbers.unknownNumberTreatment(tenantId);
    if (!t.announce) { session.reject(t.status); return; }
    const leg = await MediaLeg.open(this.#d.media);
    try {
      const answer = leg.answer(session.offer);
      if (!answer.ok) { session.reject(t.status); return; }
      const prompt = await this.#d.media.promptFromText(PHRASES.notInService.en(), 'en');
      let done = false;
      const player = this.#d.media.player(leg.session);
      session.events = { cancelled: () => { done = true; player.stop(); } };
      session.progress(183, answer.value);
      await player.play([{ kind: 'silence', ms: 200 }, prompt.ok ? prompt.item : prompt.fallback]);
      if (!done) session.reject(t.status);
    } finally {
      leg.close();
    }
  }

  #callDeps() {
    return {
      ua: this.#d.ua, media: this.#d.media, registrar: this.#d.registrar, phones: this.#d.phones, trunks: this.#d.trunks,
      routing: this.#d.routing(), bus: this.#d.bus, clock: this.#d.clock, log: this.#d.log, record: this.#d.record, prompts: this.#d.prompts, stations: this.#d.stations?.(),
      forget: (c: ContactCall) => {
        this.#calls.delete(c.callId);
        for (const [offerId, owner] of this.#offers) if (owner === c) this.#offers.delete(offerId);
      },
    };
  }

  // ---- The voice channel of the routing engine ----------------------------------------------------

  offer(offer: VoiceOffer): void {
    if (offer.kind === 'callback') { void this.#callback(offer); return; }
    const call = this.#calls.get(offer.contactId);
    if (!call || call.tenantId !== offer.tenantId) {
      void this.#d.routing().offerFailed(offer.tenantId, offer.offerId, 'unreachable');
      return;
    }
    this.#offers.set(offer.offerId, call);
    void call.ring(offer).catch((err: unknown) => {
      this.#d.log.error({ err, callId: call.callId }, 'ringing the agent failed');
      void this.#d.routing().offerFailed(offer.tenantId, offer.offerId, 'unreachable');
    });
  }

  withdraw(_tenantId: string, offerId: string): void {
    const owner = this.#offers.get(offerId);
    this.#offers.delete(offerId);
    if (owner instanceof ContactCall) owner.withdraw(offerId);
    else owner?.cancel();
  }

  overflow(tenantId: string, contactId: string, target: 'voicemail' | 'callback' | 'hangup'): void {
    const call = this.call(tenantId, contactId);
    if (!call) return;
    void call.leaveQueue(target).catch((err: unknown) => this.#d.log.error({ err, callId: contactId }, 'overflow failed'));
  }

  alive(tenantId: string, contactId: string, kind: 'contact' | 'callback'): boolean {
    return kind === 'callback' || this.call(tenantId, contactId) !== undefined;
  }

  // ---- Calls Switchboard places for an agent: callbacks and click-to-dial -------------------------

  /** A callback's turn has come: ring the agent, then call the customer back. */
  async #callback(offer: VoiceOffer): Promise<void> {
    const number = typeof offer.data['number'] === 'string' ? offer.data['number'] : '';
    const routing = this.#d.routing();
    const agentRinging = await this.#agentFirst(offer.tenantId, offer.agentId, number, offer.contactId, {
      agentAnswered: () => { void routing.offerAccepted(offer.tenantId, offer.offerId); },
      agentFailed: (status) => { void routing.offerFailed(offer.tenantId, offer.offerId, rejection(status)); },
      released: () => { void routing.agentReleased(offer.tenantId, offer.contactId, offer.agentId); },
    });
    if (agentRinging) this.#offers.set(offer.offerId, agentRinging);
  }

  /**
   * Click-to-dial: the agent's phone rings first (showing the number), then Switchboard calls the
   * customer through the workspace's first trunk and joins them. Returns the new interaction's id.
   */
  async dialOut(tenantId: string, agentId: string, number: string): Promise<string> {
    if (!(await trunkTarget(this.#d.trunks, tenantId, number))) throw new DomainError('SB_VOICE_NO_TRUNK', 409, 'the workspace has no trunk to call out through');
    const callId = newId();
    this.#d.bus.publish('CallArrived', { tenantId, callId, direction: 'outbound', from: number, to: number, at: new Date(this.#d.clock.now()).toISOString() });
    const routing = this.#d.routing();
    const r = await this.#agentFirst(tenantId, agentId, number, callId, {
      agentAnswered: () => { void routing.assign(tenantId, callId, agentId); },
      agentFailed: () => this.#d.bus.publish('CallEnded', { tenantId, callId, endedBy: 'agent', reason: 'agent-unreachable', at: new Date(this.#d.clock.now()).toISOString() }),
      released: () => { void routing.agentReleased(tenantId, callId, agentId); },
    });
    if (!r) throw new DomainError('SB_VOICE_AGENT_UNREACHABLE', 409, 'the agent has no registered phone');
    return callId;
  }

  /** Rings the agent; once they answer, they hear ringback while the customer's number is called. */
  async #agentFirst(tenantId: string, agentId: string, number: string, callId: string, on: {
    agentAnswered(): void; agentFailed(status: number): void; released(): void;
  }): Promise<Ringing | undefined> {
    const realm = await this.#realm(tenantId);
    const stations = { phones: this.#d.phones, stations: this.#d.stations?.() };
    const targets = await registeredTargets(this.#d, tenantId, realm, await agentPhones(stations, tenantId, agentId));
    if (targets.length === 0) { on.agentFailed(480); return undefined; }
    const shown = /^\+?[0-9]{3,20}$/.test(number) ? number : 'unknown';
    const headers = await autoAnswerHeaders(stations, tenantId, realm, agentId);
    return ring(this.#d, targets, { from: `"Callback" <sip:${shown}@${realm}>`, realm, headers }, {
      failed: (status) => on.agentFailed(status),
      answered: (agent) => {
        on.agentAnswered();
        void this.#callCustomer(tenantId, realm, agentId, number, callId, agent, on.released);
      },
    });
  }

  async #callCustomer(tenantId: string, realm: string, agentId: string, number: string, callId: string, agent: Answered, released: () => void): Promise<void> {
    const at = () => new Date(this.#d.clock.now()).toISOString();
    const player = this.#d.media.player(agent.leg.session);
    void player.play([{ kind: 'tone', spec: TONE_PLANS.us.ringback }], { loop: true });
    const giveUp = async (endedBy: 'agent' | 'system', reason: string) => {
      player.stop();
      if (endedBy === 'system') {
        const sorry = await this.#d.media.promptFromText('The customer could not be reached.', 'en');
        await player.play([sorry.ok ? sorry.item : sorry.fallback]);
        void agent.party.bye();
      }
      agent.leg.close();
      released();
      this.#d.bus.publish('CallEnded', { tenantId, callId, endedBy, reason, at: at() });
    };
    const target = await trunkTarget(this.#d.trunks, tenantId, number);
    if (!target) { await giveUp('system', 'no-trunk'); return; }
    const customer = ring(this.#d, [target], { from: `<sip:${number}@${realm}>`, realm, codec: agent.leg.negotiated?.codec.name }, {
      failed: (status) => { void giveUp('system', `customer-${status}`); },
      answered: (c) => {
        player.stop();
        const call = ContactCall.connected(this.#callDeps(), c.party, c.leg, { callId, tenantId, realm, number, holdMusic: this.#music }, { agentId, party: agent.party, leg: agent.leg });
        this.#calls.set(call.callId, call);
      },
    });
    agent.party.events = { ended: () => { if (!customer.settled) { customer.cancel(); void giveUp('agent', 'agent-hung-up'); } } };
  }

  #realm(tenantId: string): Promise<string> {
    return this.#d.realmOf(tenantId);
  }

  /** The digest realm (slug) of a workspace. */
  realmOf(tenantId: string): Promise<string> {
    return this.#d.realmOf(tenantId);
  }
}
