// One customer call in the contact center, from the moment Switchboard answers it to hang-up: the
// IVR speaks and listens on the customer's leg (the IvrCall port of src/ivr), the call waits in a
// queue with music and position announcements, an agent's phones ring in parallel (every registered
// contact of every phone the agent works on, RFC 3261 §16.7 style forking done as a B2BUA: the
// first to answer wins, the others are cancelled), the customer and agent are bridged and recorded
// in stereo (customer left, agent right), the agent may hold (the customer hears music) and
// transfer (REFER, RFC 3515, or the API), and the call ends with a record of who hung up.
//   ivr -> queued -> connected <-> held -> ended        (ivr -> ended; queued -> ended: abandoned)
import type { Clock, EventPublisher, Logger, TimerHandle } from '../kernel/index.ts';
import { newId } from '../kernel/index.ts';
import { dtmfTone, TONE_PLANS, type Bridge, type MediaEngine, type Mixer, type MonitorMode, type Player, type PromptItem, type Recorder, type RecordingChannel } from '../media/index.ts';
import {
  aorOf, field, header, isSipUri, parseNameAddr, type HeaderField, type InviteClientSession, type InviteServerSession,
  type Registrar, type SipRequest, type UserAgent,
} from '../sip/index.ts';
import type { AgentStations, ContactRouting, SkillRequirement, VoiceOffer } from './contact-routing.ts';
import { ring, type RingTarget, type Ringing } from './ring.ts';
import { parseDtmfRelay } from './dtmf-relay.ts';
import { MediaLeg } from './media-leg.ts';
import type { Phone, PhoneStore } from './phone-store.ts';
import { PHRASES, type PhraseLanguage } from './phrases.ts';
import type { Trunks } from './trunks.ts';
import type { CallEndedBy, CallTarget, VoiceEvents } from './voice-events.ts';

export type CallLanguage = PhraseLanguage;

/** A prompt ready to play (the IVR's SpokenPrompt). */
export type CallPrompt =
  | { kind: 'say'; text: string; language: CallLanguage }
  | { kind: 'recording'; id: string }
  | { kind: 'tone'; name: 'beep' | 'ringback' | 'busy' }
  | { kind: 'silence'; ms: number };

export type Destination = { extension: string } | { number: string } | { queue: string } | { agent: string };

export interface ContactCallDeps {
  ua: () => UserAgent;
  media: MediaEngine;
  registrar: Registrar;
  phones: PhoneStore;
  trunks: Trunks;
  routing: ContactRouting;
  bus: EventPublisher<VoiceEvents>;
  clock: Clock;
  log: Logger;
  record: boolean;
  /** The file of an uploaded prompt of a workspace. */
  prompts: { path(tenantId: string, id: string): Promise<string | undefined> };
  /** Called when the call is over, so its owner can forget it. */
  forget(call: ContactCall): void;
  stations?: AgentStations | undefined;
}

type Phase = 'ivr' | 'queued' | 'connected' | 'held' | 'conference' | 'ended';

/** A party on the agent side of the bridge: an agent's phone, a plain extension or an outside number. */
interface FarLeg {
  agentId: string | null;
  party: InviteClientSession;
  leg: MediaLeg;
}

/** The agent talking to a colleague (or an outside number) while the customer holds. */
interface Consultation { far: FarLeg | undefined; ringing: Ringing | undefined; bridge: Bridge | undefined }
/** A third party mixed in with the customer and the agent. */
interface Conference { far: FarLeg | undefined; ringing: Ringing | undefined; mixer: Mixer | undefined }
/** A supervisor listening, whispering to the agent, or barged in. */
interface Monitoring { supervisorId: string; mode: MonitorMode; far: FarLeg | undefined; ringing: Ringing | undefined; mixer: Mixer | undefined }

/** The customer's side: a caller Switchboard answered, or a customer it called (callback, click-to-dial). */
type Customer = InviteServerSession | InviteClientSession;

const at = (clock: Clock) => new Date(clock.now()).toISOString();

export class ContactCall {
  readonly callId: string;
  readonly tenantId: string;
  readonly realm: string;
  readonly caller: string;
  readonly dialled: string;
  readonly #d: ContactCallDeps;
  readonly #customer: Customer;
  readonly #leg: MediaLeg;
  readonly #player: Player;
  readonly #log: Logger;
  #phase: Phase = 'ivr';
  #language: CallLanguage = 'en';
  #digits = '';
  #digitWaiter: (() => void) | undefined;
  #far: FarLeg | undefined;
  #bridge: Bridge | undefined;
  #recorder: Recorder | undefined;
  #recordingId: string | undefined;
  #ringing: (Ringing & { offerId: string | undefined }) | undefined;
  #queueId: string | undefined;
  #queuedAt: number | undefined;
  #callbackKey: string | undefined;
  #announceTimer: TimerHandle | undefined;
  #holdMusic: PromptItem[] = [{ kind: 'tone', spec: TONE_PLANS.us.ringback }];
  #consultation: Consultation | undefined;
  #conference: Conference | undefined;
  #monitor: Monitoring | undefined;
  #muted = false;

  private constructor(d: ContactCallDeps, customer: Customer, leg: MediaLeg, init: { callId?: string; tenantId: string; realm: string; caller: string; dialled: string }) {
    this.#d = d;
    this.callId = init.callId ?? newId();
    this.tenantId = init.tenantId;
    this.realm = init.realm;
    this.caller = init.caller;
    this.dialled = init.dialled;
    this.#customer = customer;
    this.#leg = leg;
    this.#player = d.media.player(leg.session);
    this.#log = d.log.child({ callId: this.callId, sipCallId: this.#sipCallId() });
  }

  #sipCallId(): string {
    return 'request' in this.#customer ? this.#customer.request.callId : this.#customer.callId;
  }

  /**
   * A customer Switchboard called on an agent's behalf (a callback, a click-to-dial) has answered:
   * the call starts connected to the agent, who is already on the line.
   */
  static connected(d: ContactCallDeps, customer: InviteClientSession, leg: MediaLeg, init: { callId: string; tenantId: string; realm: string; number: string; holdMusic: PromptItem[] }, agent: { agentId: string; party: InviteClientSession; leg: MediaLeg }): ContactCall {
    const call = new ContactCall(d, customer, leg, { callId: init.callId, tenantId: init.tenantId, realm: init.realm, caller: init.number, dialled: init.number });
    call.#holdMusic = init.holdMusic;
    leg.session.onDigit = (digit, source) => call.#key(digit, source);
    customer.events = {
      ended: () => call.#end('customer', 'hang-up'),
      reinvite: (offer) => call.#customerReinvite(offer),
      request: (m) => call.#customerRequest(m),
    };
    call.#connect(agent);
    return call;
  }

  /** Answers an incoming call with our own media; undefined when its offer cannot be met (rejected). */
  static async answer(d: ContactCallDeps, customer: InviteServerSession, init: { tenantId: string; realm: string; caller: string; dialled: string; holdMusic: PromptItem[] }): Promise<ContactCall | undefined> {
    const leg = await MediaLeg.open(d.media);
    const answer = leg.answer(customer.offer);
    if (!answer.ok) { leg.close(); customer.reject(answer.status); return undefined; }
    const call = new ContactCall(d, customer, leg, init);
    call.#holdMusic = init.holdMusic;
    d.bus.publish('CallArrived', { tenantId: init.tenantId, callId: call.callId, direction: 'inbound', from: init.caller, to: init.dialled, at: at(d.clock) });
    leg.session.onDigit = (digit, source) => call.#key(digit, source);
    customer.events = {
      cancelled: () => call.#end('customer', 'cancelled'),
      ended: (by) => call.#end(by === 'remote' ? 'customer' : 'system', by === 'remote' ? 'hang-up' : 'no-ack'),
      reinvite: (offer) => call.#customerReinvite(offer),
      request: (m) => call.#customerRequest(m),
    };
    customer.accept(answer.value);
    d.bus.publish('CallAnswered', { tenantId: init.tenantId, callId: call.callId, at: at(d.clock) });
    return call;
  }

  get hungUp(): boolean {
    return this.#phase === 'ended';
  }

  get phase(): Phase {
    return this.#phase;
  }

  get agentId(): string | null {
    return this.#far?.agentId ?? null;
  }

  get language(): CallLanguage {
    return this.#language;
  }

  /** What the agent desktop shows of the call. */
  summary(): { callId: string; phase: Phase; caller: string; dialled: string; agentId: string | null; queueId: string | null; language: CallLanguage; muted: boolean; recording: boolean; consulting: boolean; conference: boolean; monitoredBy: string | null } {
    return {
      callId: this.callId, phase: this.#phase, caller: this.caller, dialled: this.dialled, agentId: this.agentId, queueId: this.#queueId ?? null,
      language: this.#language, muted: this.#muted, recording: !!this.#recorder, consulting: !!this.#consultation, conference: !!this.#conference,
      monitoredBy: this.#monitor?.far ? this.#monitor.supervisorId : null,
    };
  }

  // ---- The IVR's port -------------------------------------------------------------------------

  async play(prompts: CallPrompt[], opts: { bargeIn: boolean }): Promise<{ outcome: 'finished' | 'interrupted' | 'hung-up'; failures: string[] }> {
    if (this.hungUp) return { outcome: 'hung-up', failures: [] };
    const failures: string[] = [];
    const items: PromptItem[] = [];
    for (const p of prompts) {
      const r = await this.#prompt(p);
      if (!r.ok) failures.push(r.message);
      items.push(r.item);
    }
    if (this.hungUp) return { outcome: 'hung-up', failures };
    // A key already typed (type-ahead) skips a prompt that allows barge-in.
    if (opts.bargeIn && this.#digits.length > 0) return { outcome: 'interrupted', failures };
    const outcome = await this.#player.play(items, { bargeIn: opts.bargeIn });
    return { outcome: this.hungUp ? 'hung-up' : outcome === 'interrupted' ? 'interrupted' : 'finished', failures };
  }

  async #prompt(p: CallPrompt): Promise<{ ok: true; item: PromptItem } | { ok: false; item: PromptItem; message: string }> {
    if (p.kind === 'tone') return { ok: true, item: { kind: 'tone', spec: TONE_PLANS.us[p.name], ms: p.name === 'beep' ? undefined : 3000 } };
    if (p.kind === 'silence') return { ok: true, item: { kind: 'silence', ms: p.ms } };
    const r = p.kind === 'say'
      ? await this.#d.media.promptFromText(p.text, p.language)
      : await this.#recording(p.id);
    return r.ok ? { ok: true, item: r.item } : { ok: false, item: r.fallback, message: r.message };
  }

  async #recording(id: string) {
    const path = await this.#d.prompts.path(this.tenantId, id);
    if (!path) return { ok: false as const, code: 'prompt-unreadable' as const, message: `no uploaded prompt ${id}`, fallback: { kind: 'tone', spec: TONE_PLANS.us.beep } as PromptItem };
    return this.#d.media.promptFromFile(path);
  }

  collect(opts: { maxDigits: number; terminator?: string | undefined; firstDigitTimeoutMs: number; interDigitTimeoutMs: number }): Promise<{ digits: string; ended: 'max' | 'terminator' | 'timeout' | 'hung-up' }> {
    return new Promise((resolve) => {
      let timer: TimerHandle | undefined;
      const finish = (ended: 'max' | 'terminator' | 'timeout' | 'hung-up') => {
        timer?.cancel();
        this.#digitWaiter = undefined;
        let digits = this.#digits;
        if (ended === 'terminator') {
          const i = digits.indexOf(opts.terminator!);
          this.#digits = digits.slice(i + 1);
          digits = digits.slice(0, i);
        } else {
          this.#digits = digits.slice(opts.maxDigits);
          digits = digits.slice(0, opts.maxDigits);
        }
        resolve({ digits, ended });
      };
      const check = () => {
        if (this.hungUp) { finish('hung-up'); return; }
        if (opts.terminator && this.#digits.slice(0, opts.maxDigits + 1).includes(opts.terminator)) { finish('terminator'); return; }
        if (this.#digits.length >= opts.maxDigits) { finish('max'); return; }
        timer?.cancel();
        timer = this.#d.clock.setTimeout(() => finish('timeout'), this.#digits.length === 0 ? opts.firstDigitTimeoutMs : opts.interDigitTimeoutMs);
      };
      this.#digitWaiter = check;
      check();
    });
  }

  clearDigits(): void {
    this.#digits = '';
  }

  setLanguage(language: CallLanguage): void {
    this.#language = language;
  }

  async enqueue(r: { queueId: string; priority: number; requirements: SkillRequirement[]; language: CallLanguage; callbackKey?: string | undefined }): Promise<void> {
    if (this.hungUp) return;
    this.#language = r.language;
    await this.#enterQueue(r.queueId, r.priority, r.requirements, r.callbackKey);
  }

  async transfer(target: { extension: string } | { number: string } | { queue: string }): Promise<void> {
    const ok = await this.sendTo(target, null);
    if (!ok && !this.hungUp) await this.hangup();
  }

  async voicemail(opts: { maxSeconds: number; language: CallLanguage }): Promise<void> {
    if (this.hungUp) return;
    this.#language = opts.language;
    const recordingId = newId();
    let recorder: Recorder;
    try {
      recorder = await this.#d.media.record(this.tenantId, recordingId);
    } catch (err) {
      this.#log.error({ err }, 'voicemail could not be recorded');
      await this.hangup();
      return;
    }
    await this.#player.play([{ kind: 'tone', spec: TONE_PLANS.us.beep }]);
    this.clearDigits();
    recorder.attach('left', this.#leg.session);
    // Recording ends at hang-up, at '#', or after maxSeconds.
    await this.collect({ maxDigits: 64, terminator: '#', firstDigitTimeoutMs: opts.maxSeconds * 1000, interDigitTimeoutMs: opts.maxSeconds * 1000 });
    const result = await recorder.stop();
    this.#d.bus.publish('VoicemailRecorded', { tenantId: this.tenantId, callId: this.callId, recordingId, durationMs: result.durationMs, at: at(this.#d.clock) });
    if (!this.hungUp) {
      await this.play([{ kind: 'say', text: PHRASES.voicemailSaved[this.#language](), language: this.#language }], { bargeIn: false });
      await this.hangup();
    }
  }

  async requestCallback(opts: { queueId: string; number: string; language: CallLanguage }): Promise<void> {
    if (this.hungUp) return;
    this.#language = opts.language;
    const callbackId = newId();
    this.#d.bus.publish('CallbackRequested', { tenantId: this.tenantId, callId: callbackId, originalCallId: this.callId, number: opts.number, queueId: opts.queueId, at: at(this.#d.clock) });
    await this.#d.routing.enqueue(this.tenantId, {
      id: callbackId, queueId: opts.queueId, priority: 0, requirements: [], kind: 'callback', enqueuedAt: this.#queuedAt,
      data: { language: opts.language, number: opts.number, originalCallId: this.callId },
    });
  }

  async hangup(): Promise<void> {
    if (this.hungUp) return;
    void this.#customer.bye();
    this.#end('system', 'hang-up');
  }

  // ---- Queue ------------------------------------------------------------------------------------

  async #enterQueue(queueId: string, priority: number, requirements: SkillRequirement[], callbackKey: string | undefined): Promise<void> {
    this.#phase = 'queued';
    this.#queueId = queueId;
    this.#queuedAt ??= this.#d.clock.now();
    this.#callbackKey = callbackKey;
    this.clearDigits();
    const settings = this.#d.routing.queueSettings(this.tenantId, queueId);
    if (settings?.holdMusicPromptId) {
      const music = await this.#recording(settings.holdMusicPromptId);
      if (music.ok) this.#holdMusic = [music.item];
    }
    await this.#d.routing.enqueue(this.tenantId, {
      id: this.callId, queueId, priority, requirements, kind: 'contact', data: { language: this.#language, caller: this.caller },
    });
    void this.#waitWithMusic(settings?.announceEverySeconds ?? null);
  }

  /**
   * Music on hold while queued, broken every so often by the caller's position and expected wait
   * (and the callback offer); the first announcement comes a few seconds after joining.
   */
  async #waitWithMusic(announceEverySeconds: number | null): Promise<void> {
    const announces = announceEverySeconds !== null || this.#callbackKey !== undefined;
    const everyMs = (announceEverySeconds ?? 30) * 1000;
    let delayMs = Math.min(5000, everyMs);
    while (this.#phase === 'queued') {
      if (announces) this.#announceTimer = this.#d.clock.setTimeout(() => { if (this.#phase === 'queued') this.#player.stop(); }, delayMs);
      await this.#player.play(this.#holdMusic, { loop: true });
      this.#announceTimer?.cancel();
      if (this.#phase !== 'queued' || !announces) return;
      delayMs = everyMs;
      const where = this.#d.routing.position(this.tenantId, this.callId);
      const sentences: CallPrompt[] = [];
      if (where && announceEverySeconds !== null) {
        const minutes = where.expectedWaitSeconds === null ? null : Math.max(1, Math.round(where.expectedWaitSeconds / 60));
        sentences.push({ kind: 'say', text: PHRASES.position[this.#language](where.position, minutes), language: this.#language });
      }
      if (this.#callbackKey) sentences.push({ kind: 'say', text: PHRASES.callbackOffer[this.#language](this.#callbackKey), language: this.#language });
      if (sentences.length > 0 && this.#phase === 'queued') await this.play(sentences, { bargeIn: false });
    }
  }

  /** A key from the customer: for the IVR's collect, or the callback key while queued. */
  #key(digit: string, source: 'rfc4733' | 'inband' | 'info'): void {
    if (this.hungUp) return;
    this.#d.bus.publish('CallDigitReceived', { tenantId: this.tenantId, callId: this.callId, sipCallId: this.#sipCallId(), digit, source });
    if (this.#phase === 'queued' && this.#callbackKey === digit) { void this.#callbackFromQueue(); return; }
    if (this.#phase !== 'ivr') return;
    this.#digits += digit;
    this.#player.interrupt();
    this.#digitWaiter?.();
  }

  /** The caller keeps their place: the call leaves the queue, a callback takes its place and time. */
  async #callbackFromQueue(): Promise<void> {
    if (this.#phase !== 'queued' || !this.#queueId) return;
    const queueId = this.#queueId;
    this.#phase = 'ivr';
    this.#player.stop();
    this.#cancelRinging();
    await this.#d.routing.abandon(this.tenantId, this.callId, 'callback');
    await this.requestCallback({ queueId, number: this.caller, language: this.#language });
    await this.play([{ kind: 'say', text: PHRASES.callbackConfirmed[this.#language](), language: this.#language }], { bargeIn: false });
    await this.hangup();
  }

  /** Overflow: the queue's longest wait has passed; the routing engine has already taken the call out. */
  async leaveQueue(target: 'voicemail' | 'callback' | 'hangup'): Promise<void> {
    if (this.#phase !== 'queued') return;
    const queueId = this.#queueId!;
    this.#phase = 'ivr';
    this.#player.stop();
    this.#cancelRinging();
    if (target === 'voicemail') { await this.voicemail({ maxSeconds: 120, language: this.#language }); return; }
    if (target === 'callback') {
      await this.requestCallback({ queueId, number: this.caller, language: this.#language });
      await this.play([{ kind: 'say', text: PHRASES.callbackConfirmed[this.#language](), language: this.#language }], { bargeIn: false });
    } else {
      await this.play([{ kind: 'say', text: PHRASES.allAgentsBusy[this.#language](), language: this.#language }], { bargeIn: false });
    }
    await this.hangup();
  }

  // ---- Offers: ringing an agent -----------------------------------------------------------------

  /** Rings every registered phone of the offered agent at once; the first to answer is bridged. */
  async ring(offer: VoiceOffer): Promise<void> {
    if (this.#phase !== 'queued' || this.#ringing) { await this.#d.routing.offerFailed(this.tenantId, offer.offerId, 'unreachable'); return; }
    const targets = await this.#targetsOf(await agentPhones(this.#d, this.tenantId, offer.agentId));
    const headers = await autoAnswerHeaders(this.#d, this.tenantId, this.realm, offer.agentId);
    if (targets.length === 0 || this.#phase !== 'queued') {
      this.#log.info({ agentId: offer.agentId }, 'offered agent has no registered phone');
      await this.#d.routing.offerFailed(this.tenantId, offer.offerId, 'unreachable');
      return;
    }
    this.#ring(targets, offer.offerId, headers, {
      answered: (far) => {
        void this.#d.routing.offerAccepted(this.tenantId, offer.offerId);
        this.#connect({ ...far, agentId: offer.agentId });
      },
      failed: (status) => { void this.#d.routing.offerFailed(this.tenantId, offer.offerId, rejection(status)); },
    });
  }

  /** The offer timed out or was taken back: stop ringing. */
  withdraw(offerId: string): void {
    if (this.#ringing?.offerId === offerId) this.#cancelRinging();
  }

  #targetsOf(phones: Phone[]): Promise<RingTarget[]> {
    return registeredTargets(this.#d, this.tenantId, this.realm, phones);
  }

  #fromHeader(): string {
    const user = /^[A-Za-z0-9+._-]{1,64}$/.test(this.caller) ? this.caller : 'anonymous';
    return `<sip:${user}@${this.realm}>`;
  }

  /** Rings the targets at once (ring.ts); the first to answer is reported, or the failure of all. */
  #ring(targets: RingTarget[], offerId: string | undefined, headers: HeaderField[], on: { answered(far: { party: InviteClientSession; leg: MediaLeg }): void; failed(status: number): void }): void {
    const r: Ringing & { offerId: string | undefined } = Object.assign(ring(this.#d, targets, { from: this.#fromHeader(), realm: this.realm, codec: this.#leg.negotiated?.codec.name, headers }, {
      answered: (a) => {
        if (this.#ringing === r) this.#ringing = undefined;
        if (this.hungUp) { void a.party.bye(); a.leg.close(); return; }
        on.answered(a);
      },
      failed: (status) => {
        if (this.#ringing === r) this.#ringing = undefined;
        on.failed(status);
      },
    }), { offerId });
    this.#ringing = r;
  }

  #cancelRinging(): void {
    const r = this.#ringing;
    this.#ringing = undefined;
    r?.cancel();
  }

  // ---- Connected ----------------------------------------------------------------------------------

  /** The far party answered: music stops, the two are bridged and recorded. */
  #connect(far: FarLeg): void {
    if (this.hungUp) { void far.party.bye(); far.leg.close(); return; }
    const previous = this.#far;
    this.#phase = 'connected';
    this.#player.stop();
    this.#bridge?.close();
    this.#far = far;
    this.#muted = false;
    this.#bridge = this.#d.media.bridge(this.#leg.session, far.leg.session);
    far.party.events = {
      ended: () => this.#farHungUp(far),
      reinvite: (offer) => this.#farReinvite(far, offer),
      request: (m) => this.#farRequest(far, m),
    };
    if (previous) previous.leg.close();
    this.#d.bus.publish('CallConnected', { tenantId: this.tenantId, callId: this.callId, agentId: far.agentId, at: at(this.#d.clock) });
    if (this.#recorder) this.#recorder.attach('right', far.leg.session);
    else void this.#startRecording();
  }

  async #startRecording(): Promise<void> {
    if (!this.#d.record || this.#recordingId) return;
    const recordingId = newId();
    this.#recordingId = recordingId;
    try {
      const recorder = await this.#d.media.record(this.tenantId, recordingId);
      if (this.hungUp) { await recorder.stop(); return; }
      recorder.attach('left' satisfies RecordingChannel, this.#leg.session);
      if (this.#far) recorder.attach('right', this.#far.leg.session);
      this.#recorder = recorder;
      this.#d.bus.publish('CallRecordingStarted', { tenantId: this.tenantId, callId: this.callId, recordingId });
    } catch (err) {
      this.#log.error({ err }, 'could not start recording');
    }
  }

  /** Pauses or resumes the recording (card numbers): silence is written meanwhile. */
  setRecordingPaused(paused: boolean): boolean {
    if (!this.#recorder) return false;
    if (paused) this.#recorder.pause(); else this.#recorder.resume();
    return true;
  }

  #farHungUp(far: FarLeg): void {
    if (this.#far !== far) return;
    // The agent hanging up during a consultation hands the customer to the colleague (as PBXs do).
    if (this.#consultation?.far) { this.#completeConsult(far); return; }
    // The agent leaving a conference leaves the customer with the third party.
    if (this.#conference?.far) { this.#leaveConference(far); return; }
    void this.#customer.bye();
    this.#end(far.agentId ? 'agent' : 'customer', 'far-hang-up');
  }

  /** The agent's phone holds (sendonly/inactive) or resumes: the customer hears music meanwhile. */
  #farReinvite(far: FarLeg, offer: Buffer): Buffer | undefined {
    if (offer.length === 0) return undefined;
    const r = far.leg.answer(offer);
    if (!r.ok) return undefined;
    const direction = far.leg.negotiated!.direction;
    const holds = direction === 'recvonly' || direction === 'inactive';
    if (holds && this.#phase === 'connected') this.#hold();
    else if (!holds && this.#phase === 'held') this.#resume();
    return r.value;
  }

  #hold(): void {
    if (this.#phase !== 'connected') return;
    this.#stopMonitor();
    this.#phase = 'held';
    this.#bridge?.close();
    this.#bridge = undefined;
    void this.#player.play(this.#holdMusic, { loop: true });
    this.#d.bus.publish('CallHeld', { tenantId: this.tenantId, callId: this.callId, agentId: this.agentId, at: at(this.#d.clock) });
  }

  #resume(): void {
    if (this.#phase !== 'held' || !this.#far || this.#consultation) return;
    this.#phase = 'connected';
    this.#player.stop();
    this.#bridge = this.#d.media.bridge(this.#leg.session, this.#far.leg.session);
    if (this.#muted) this.#bridge.mute(this.#far.leg.session, true);
    this.#d.bus.publish('CallResumed', { tenantId: this.tenantId, callId: this.callId, agentId: this.agentId, at: at(this.#d.clock) });
  }

  /** Hold and resume from the agent desktop (the agent's phone is not re-INVITEd). */
  setHeld(held: boolean): boolean {
    if (held) { if (this.#phase !== 'connected') return false; this.#hold(); return true; }
    if (this.#phase !== 'held') return false;
    this.#resume();
    return true;
  }

  #farRequest(far: FarLeg, m: SipRequest): number {
    if (m.method === 'REFER') return this.#refer(far, m);
    if (m.method === 'INFO') {
      const type = header(m, 'Content-Type')?.split(';')[0]?.trim().toLowerCase();
      if (type === 'application/dtmf-relay' || type === 'application/dtmf') return parseDtmfRelay(type, m.body.toString('utf8')) === undefined ? 400 : 200;
      return 200;
    }
    return m.method === 'NOTIFY' ? 200 : 501;
  }

  #customerRequest(m: SipRequest): number {
    if (m.method === 'INFO') {
      const type = header(m, 'Content-Type')?.split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/dtmf-relay' && type !== 'application/dtmf') return 200;
      const digit = parseDtmfRelay(type, m.body.toString('utf8'));
      if (digit === undefined) return 400;
      this.#key(digit, 'info');
      return 200;
    }
    // A customer cannot transfer the contact center's call.
    return m.method === 'REFER' ? 403 : m.method === 'NOTIFY' ? 200 : 501;
  }

  /** The customer's phone holds or resumes: answered; the bridge carries on. */
  #customerReinvite(offer: Buffer): Buffer | undefined {
    if (offer.length === 0) return undefined;
    const r = this.#leg.answer(offer);
    return r.ok ? r.value : undefined;
  }

  // ---- Transfers ------------------------------------------------------------------------------------

  /** RFC 3515 §2.4.2: 202 at once, then NOTIFY the referrer of the outcome (a blind transfer). */
  #refer(far: FarLeg, m: SipRequest): number {
    const referTo = header(m, 'Refer-To');
    let target: string | undefined;
    try {
      const na = referTo ? parseNameAddr(referTo) : undefined;
      if (na && isSipUri(na.uri)) {
        if (na.uri.headers.some(([n]) => n.toLowerCase() === 'replaces')) return 501;
        target = na.uri.user;
      }
    } catch {
      target = undefined;
    }
    if (!target) return 400;
    const dest: Destination = /^\+?[0-9]{5,20}$/.test(target) ? { number: target } : { extension: target };
    void Promise.resolve().then(async () => {
      await far.party.notifyRefer('SIP/2.0 100 Trying', false);
      // The referrer is released after the final NOTIFY (RFC 3515 §2.4.5), not by the transfer itself.
      const ok = await this.sendTo(dest, far.agentId, {
        releasePrevious: false,
        failed: (status) => { void far.party.notifyRefer(`SIP/2.0 ${status} ${status === 404 ? 'Not Found' : 'Failed'}`, true); },
      });
      if (ok) {
        await far.party.notifyRefer('SIP/2.0 200 OK', true);
        await far.party.bye();
      }
    }).catch((err: unknown) => this.#log.error({ err }, 'transfer failed'));
    return 202;
  }

  /**
   * Sends the customer on (blind transfer): to an agent (their phones ring), an extension, an
   * outside number (first trunk) or a queue. Until the target answers, the customer stays with
   * whoever they are with; when it answers, the previous party is released. Resolves true once
   * the customer is with the target (or in the queue).
   */
  async sendTo(dest: Destination, fromAgentId: string | null, opts: { failed?: (status: number) => void; releasePrevious?: boolean } = {}): Promise<boolean> {
    const failed = opts.failed;
    if (this.hungUp) return false;
    const previous = this.#far;
    const targetOf = (): CallTarget => 'queue' in dest ? { kind: 'queue', id: dest.queue } : 'agent' in dest ? { kind: 'agent', id: dest.agent }
      : 'number' in dest ? { kind: 'number', id: dest.number } : { kind: 'extension', id: dest.extension };
    const announce = () => this.#d.bus.publish('CallTransferred', { tenantId: this.tenantId, callId: this.callId, fromAgentId, target: targetOf(), mode: 'blind', at: at(this.#d.clock) });
    if ('queue' in dest) {
      announce();
      if (previous) {
        this.#far = undefined;
        this.#bridge?.close();
        this.#bridge = undefined;
        if (previous.agentId) await this.#d.routing.agentReleased(this.tenantId, this.callId, previous.agentId);
        void previous.party.bye();
        previous.leg.close();
      }
      await this.#enterQueue(dest.queue, 0, [], undefined);
      return true;
    }
    const { targets, agentId } = await this.#targetsFor(dest);
    if (targets.length === 0) { failed?.(404); return false; }
    const wasIvr = this.#phase === 'ivr';
    if (wasIvr) void this.#player.play([{ kind: 'tone', spec: TONE_PLANS.us.ringback }], { loop: true });
    return new Promise((resolve) => {
      this.#ring(targets, undefined, [], {
        answered: (far) => {
          announce();
          if (previous?.agentId) void this.#d.routing.agentReleased(this.tenantId, this.callId, previous.agentId);
          if (agentId) void this.#d.routing.assign(this.tenantId, this.callId, agentId);
          if (previous && opts.releasePrevious !== false) void previous.party.bye();
          this.#connect({ ...far, agentId });
          resolve(true);
        },
        failed: (status) => {
          if (wasIvr) this.#player.stop();
          failed?.(status);
          resolve(false);
        },
      });
    });
  }

  /** The phones a destination rings, and the user (agent) it reaches, if any. */
  async #targetsFor(dest: Exclude<Destination, { queue: string }>): Promise<{ targets: RingTarget[]; agentId: string | null }> {
    if ('agent' in dest) return { targets: await this.#targetsOf(await agentPhones(this.#d, this.tenantId, dest.agent)), agentId: dest.agent };
    if ('extension' in dest) {
      const phone = await this.#d.phones.byUsername(this.tenantId, dest.extension);
      return phone ? { targets: await this.#targetsOf([phone]), agentId: phone.userId } : { targets: [], agentId: null };
    }
    const target = await trunkTarget(this.#d.trunks, this.tenantId, dest.number);
    return { targets: target ? [target] : [], agentId: null };
  }

  /** Rings a destination for a side conversation (consultation, conference, supervisor). */
  async #ringSide(dest: Exclude<Destination, { queue: string }>, from: string, on: { answered(far: FarLeg): void; failed(status: number): void }): Promise<Ringing | undefined> {
    const { targets, agentId } = await this.#targetsFor(dest);
    if (targets.length === 0) { on.failed(404); return undefined; }
    return ring(this.#d, targets, { from: `<sip:${from}@${this.realm}>`, realm: this.realm, codec: this.#leg.negotiated?.codec.name }, {
      answered: (a) => {
        if (this.hungUp) { void a.party.bye(); a.leg.close(); return; }
        on.answered({ ...a, agentId });
      },
      failed: (status) => on.failed(status),
    });
  }

  // ---- Agent controls: mute, keys, hang-up ------------------------------------------------------------

  /** The customer stops hearing the agent (the recording still does). */
  setMuted(muted: boolean): boolean {
    if (!this.#far || (this.#phase !== 'connected' && this.#phase !== 'held')) return false;
    this.#muted = muted;
    this.#bridge?.mute(this.#far.leg.session, muted);
    return true;
  }

  /** Keys sent to the customer's side (another company's IVR): RFC 4733 when negotiated, else tones. */
  async sendDigits(digits: string): Promise<boolean> {
    if (this.#phase !== 'connected' || !/^[0-9*#A-D]{1,32}$/.test(digits)) return false;
    const session = this.#leg.session;
    if (digits.split('').every((d) => session.sendDigit(d, 120))) return true;
    const tones: PromptItem[] = digits.split('').flatMap((d) => [{ kind: 'samples' as const, samples: dtmfTone(d, 120) }, { kind: 'silence' as const, ms: 80 }]);
    await this.#player.play(tones);
    return true;
  }

  /** The agent ends the call from the desktop. */
  async hangupByAgent(): Promise<boolean> {
    if (this.hungUp || !this.#far) return false;
    void this.#customer.bye();
    this.#end('agent', 'desktop-hang-up');
    return true;
  }

  // ---- Consultation (attended transfer) ----------------------------------------------------------------

  /**
   * The customer holds (music) while the agent talks to the target; `completeConsult` hands the
   * customer over, `cancelConsult` takes the agent back to the customer. Resolves true once the
   * target answered.
   */
  async consult(dest: Exclude<Destination, { queue: string }>): Promise<boolean> {
    const agent = this.#far;
    if (!agent || this.#consultation || this.#conference || (this.#phase !== 'connected' && this.#phase !== 'held')) return false;
    this.#hold();
    const consultation: Consultation = { far: undefined, ringing: undefined, bridge: undefined };
    this.#consultation = consultation;
    return new Promise((resolve) => {
      void this.#ringSide(dest, 'consult', {
        answered: (target) => {
          if (this.#consultation !== consultation || this.#far !== agent) { void target.party.bye(); target.leg.close(); resolve(false); return; }
          consultation.far = target;
          consultation.bridge = this.#d.media.bridge(agent.leg.session, target.leg.session);
          target.party.events = { ended: () => { if (this.#consultation === consultation) this.#dropConsult(); } };
          resolve(true);
        },
        failed: () => { if (this.#consultation === consultation) this.#consultation = undefined; resolve(false); },
      }).then((r) => { consultation.ringing = r; });
    });
  }

  completeConsult(): boolean {
    const agent = this.#far;
    if (!agent || !this.#consultation?.far) return false;
    this.#completeConsult(agent);
    return true;
  }

  #completeConsult(agent: FarLeg): void {
    const target = this.#consultation!.far!;
    this.#consultation!.bridge?.close();
    this.#consultation = undefined;
    this.#d.bus.publish('CallTransferred', {
      tenantId: this.tenantId, callId: this.callId, fromAgentId: agent.agentId, mode: 'attended', at: at(this.#d.clock),
      target: target.agentId ? { kind: 'agent', id: target.agentId } : { kind: 'number', id: target.party.peer.address },
    });
    if (agent.agentId) void this.#d.routing.agentReleased(this.tenantId, this.callId, agent.agentId);
    if (target.agentId) void this.#d.routing.assign(this.tenantId, this.callId, target.agentId);
    void agent.party.bye();
    this.#phase = 'connected';
    this.#connect(target);
  }

  cancelConsult(): boolean {
    if (!this.#consultation) return false;
    const target = this.#consultation.far;
    this.#consultation.ringing?.cancel();
    if (target) void target.party.bye();
    this.#dropConsult();
    return true;
  }

  /** The consultation is over without a transfer: the agent is back with the customer. */
  #dropConsult(): void {
    const c = this.#consultation;
    if (!c) return;
    this.#consultation = undefined;
    c.bridge?.close();
    c.far?.leg.close();
    this.#resume();
  }

  // ---- Conference ---------------------------------------------------------------------------------------

  /** A third party joins: the three hear each other (the media engine's mixer). */
  async conference(dest: Exclude<Destination, { queue: string }>): Promise<boolean> {
    const agent = this.#far;
    if (!agent || this.#phase !== 'connected' || this.#consultation || this.#conference) return false;
    this.#stopMonitor();
    const conf: Conference = { far: undefined, ringing: undefined, mixer: undefined };
    this.#conference = conf;
    return new Promise((resolve) => {
      void this.#ringSide(dest, 'conference', {
        answered: (third) => {
          if (this.#conference !== conf || this.#far !== agent || this.#phase !== 'connected') { void third.party.bye(); third.leg.close(); resolve(false); return; }
          this.#bridge?.close();
          this.#bridge = undefined;
          const mixer = this.#d.media.mixer();
          for (const s of [this.#leg.session, agent.leg.session, third.leg.session]) mixer.add(s);
          mixer.hearAll();
          conf.far = third;
          conf.mixer = mixer;
          this.#phase = 'conference';
          third.party.events = { ended: () => this.#thirdLeft(conf) };
          this.#d.bus.publish('CallConferenced', {
            tenantId: this.tenantId, callId: this.callId, agentId: agent.agentId, at: at(this.#d.clock),
            target: third.agentId ? { kind: 'agent', id: third.agentId } : { kind: 'number', id: third.party.peer.address },
          });
          resolve(true);
        },
        failed: () => { if (this.#conference === conf) this.#conference = undefined; resolve(false); },
      }).then((r) => { conf.ringing = r; });
    });
  }

  /** The third party hung up (or was asked to leave): customer and agent carry on alone. */
  #thirdLeft(conf: Conference): void {
    if (this.#conference !== conf) return;
    this.#conference = undefined;
    conf.mixer?.close();
    conf.far?.leg.close();
    if (this.#phase === 'conference' && this.#far) {
      this.#phase = 'connected';
      this.#bridge = this.#d.media.bridge(this.#leg.session, this.#far.leg.session);
    }
  }

  /** Ends the conference from the desktop: the third party is hung up. */
  endConference(): boolean {
    const conf = this.#conference;
    if (!conf) return false;
    conf.ringing?.cancel();
    if (conf.far) void conf.far.party.bye();
    this.#thirdLeft(conf);
    return true;
  }

  /** The agent left the conference: the customer stays with the third party. */
  #leaveConference(agent: FarLeg): void {
    const conf = this.#conference!;
    const third = conf.far!;
    this.#conference = undefined;
    conf.mixer?.close();
    if (agent.agentId) void this.#d.routing.agentReleased(this.tenantId, this.callId, agent.agentId);
    if (third.agentId) void this.#d.routing.assign(this.tenantId, this.callId, third.agentId);
    this.#d.bus.publish('CallTransferred', {
      tenantId: this.tenantId, callId: this.callId, fromAgentId: agent.agentId, mode: 'attended', at: at(this.#d.clock),
      target: third.agentId ? { kind: 'agent', id: third.agentId } : { kind: 'number', id: third.party.peer.address },
    });
    this.#phase = 'connected';
    this.#connect(third);
  }

  // ---- Supervisor monitoring ----------------------------------------------------------------------------

  /**
   * A supervisor's phones ring; once answered they listen (hear both, heard by none), whisper
   * (the agent hears them, the customer does not) or barge in (all three hear each other).
   */
  async monitor(supervisorId: string, mode: MonitorMode): Promise<boolean> {
    const agent = this.#far;
    if (!agent || this.#phase !== 'connected' || this.#monitor || this.#conference || this.#consultation) return false;
    const mon: Monitoring = { supervisorId, mode, far: undefined, ringing: undefined, mixer: undefined };
    this.#monitor = mon;
    return new Promise((resolve) => {
      void this.#ringSide({ agent: supervisorId }, 'monitor', {
        answered: (sup) => {
          if (this.#monitor !== mon || this.#far !== agent || this.#phase !== 'connected') { void sup.party.bye(); sup.leg.close(); resolve(false); return; }
          this.#bridge?.close();
          this.#bridge = undefined;
          const mixer = this.#d.media.mixer();
          mixer.monitor({ caller: this.#leg.session, agent: agent.leg.session, supervisor: sup.leg.session }, mon.mode);
          mon.far = sup;
          mon.mixer = mixer;
          sup.party.events = { ended: () => { if (this.#monitor === mon) this.#stopMonitor(); } };
          this.#d.bus.publish('CallMonitored', { tenantId: this.tenantId, callId: this.callId, supervisorId, agentId: agent.agentId, mode: mon.mode, at: at(this.#d.clock) });
          resolve(true);
        },
        failed: () => { if (this.#monitor === mon) this.#monitor = undefined; resolve(false); },
      }).then((r) => { mon.ringing = r; });
    });
  }

  setMonitorMode(mode: MonitorMode): boolean {
    const mon = this.#monitor;
    if (!mon?.mixer || !mon.far || !this.#far) return false;
    mon.mode = mode;
    mon.mixer.monitor({ caller: this.#leg.session, agent: this.#far.leg.session, supervisor: mon.far.leg.session }, mode);
    this.#d.bus.publish('CallMonitored', { tenantId: this.tenantId, callId: this.callId, supervisorId: mon.supervisorId, agentId: this.#far.agentId, mode, at: at(this.#d.clock) });
    return true;
  }

  /** The supervisor leaves (hang-up or the desktop): customer and agent are bridged again. */
  stopMonitor(): boolean {
    if (!this.#monitor) return false;
    this.#stopMonitor();
    return true;
  }

  #stopMonitor(): void {
    const mon = this.#monitor;
    if (!mon) return;
    this.#monitor = undefined;
    mon.ringing?.cancel();
    mon.mixer?.close();
    if (mon.far) { void mon.far.party.bye(); mon.far.leg.close(); }
    if (mon.mixer && this.#phase === 'connected' && this.#far) {
      this.#bridge = this.#d.media.bridge(this.#leg.session, this.#far.leg.session);
      if (this.#muted) this.#bridge.mute(this.#far.leg.session, true);
    }
  }

  // ---- The end -----------------------------------------------------------------------------------------

  /** Ends the call once: stops music and ringing, leaves the queue, releases the agent, records why. */
  #end(by: CallEndedBy, reason: string): void {
    if (this.#phase === 'ended') return;
    const phase = this.#phase;
    this.#phase = 'ended';
    this.#announceTimer?.cancel();
    this.#player.stop();
    this.#digitWaiter?.();
    this.#cancelRinging();
    this.#bridge?.close();
    this.#stopMonitor();
    for (const side of [this.#consultation, this.#conference]) {
      if (!side) continue;
      side.ringing?.cancel();
      if (side.far) { void side.far.party.bye(); side.far.leg.close(); }
    }
    this.#consultation?.bridge?.close();
    this.#conference?.mixer?.close();
    this.#consultation = undefined;
    this.#conference = undefined;
    const far = this.#far;
    if (far) void far.party.bye();
    if (phase === 'queued' && !far) void this.#d.routing.abandon(this.tenantId, this.callId);
    if (far?.agentId) void this.#d.routing.agentReleased(this.tenantId, this.callId, far.agentId);
    this.#d.bus.publish('CallEnded', { tenantId: this.tenantId, callId: this.callId, endedBy: by, reason, at: at(this.#d.clock) });
    const legs = [this.#leg, ...(far ? [far.leg] : [])];
    this.#d.bus.publish('CallMediaEnded', { tenantId: this.tenantId, callId: this.callId, legs: legs.map((l) => ({ ...l.session.stats })) });
    for (const l of legs) l.close();
    const recorder = this.#recorder;
    const recordingId = this.#recordingId;
    if (recorder && recordingId) {
      recorder.stop().then(
        (r) => this.#d.bus.publish('CallRecordingStopped', { tenantId: this.tenantId, callId: this.callId, recordingId, ...r }),
        (err: unknown) => this.#log.error({ err, recordingId }, 'recording could not be finished'),
      );
    }
    this.#d.forget(this);
  }
}

/** How an agent's phone turned an offer down: a person (or a busy phone) rejected it, or it could not be reached. */
export function rejection(status: number): 'rejected' | 'unreachable' {
  return status === 486 || status === 600 || status === 603 || status === 403 ? 'rejected' : 'unreachable';
}

/** Every registered contact of the phones (an agent's desk phone and softphones ring together). */
export async function registeredTargets(d: { registrar: Registrar; clock: Clock }, tenantId: string, realm: string, phones: Phone[]): Promise<RingTarget[]> {
  const now = d.clock.now();
  const out: RingTarget[] = [];
  for (const p of phones) {
    for (const b of await d.registrar.lookup(tenantId, aorOf(p.username, realm), now)) out.push({ contact: b.contact, source: b.source, username: p.username });
  }
  return out;
}

/** An outside number through the workspace's first trunk, with the carrier's credentials. */
export async function trunkTarget(trunks: Trunks, tenantId: string, number: string): Promise<RingTarget | undefined> {
  const [trunk] = await trunks.list(tenantId);
  if (!trunk) return undefined;
  const { password } = await trunks.withCredentials(tenantId, trunk.id);
  const host = trunk.port === 5060 ? trunk.host : `${trunk.host}:${trunk.port}`;
  return {
    contact: `sip:${number}@${host}`, source: { protocol: trunk.transport, address: trunk.host, port: trunk.port }, username: number, toHost: trunk.host,
    fromUser: trunk.callerId ?? undefined,
    credentials: trunk.username && password ? { username: trunk.username, password, realm: trunk.realm } : undefined,
  };
}

/** The phones that ring for an agent: their chosen station, else every phone of theirs. */
export async function agentPhones(d: { phones: PhoneStore; stations?: AgentStations | undefined }, tenantId: string, agentId: string): Promise<Phone[]> {
  const station = await d.stations?.stationOf(tenantId, agentId);
  const phone = station ? await d.phones.byUsername(tenantId, station.username) : undefined;
  return phone ? [phone] : d.phones.byUser(tenantId, agentId);
}

/** Headers asking the agent's phone to answer by itself, when the agent chose auto-answer. */
export async function autoAnswerHeaders(d: { stations?: AgentStations | undefined }, tenantId: string, realm: string, agentId: string): Promise<HeaderField[]> {
  if (!(await d.stations?.autoAnswer(tenantId, agentId))) return [];
  return [field('Call-Info', `<sip:${realm}>;answer-after=0`), field('Alert-Info', `<sip:${realm}>;info=alert-autoanswer;delay=0`)];
}
