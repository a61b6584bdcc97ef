// Calls placed by phones and carriers: Switchboard answers the caller as UAS and places the other
// leg as UAC, relaying progress, answer, failure, cancel, hold and hang-up between the two (a
// media-anchoring B2BUA, RFC 7092 §3.2): each leg's SDP is our own, and its audio runs through
// an RTP session of the media engine, bridged to the other leg (transcoding µ-law/A-law where the
// legs differ), recorded in stereo when recording is on, and watched for DTMF (RFC 4733, in-band
// or SIP INFO).
// Dial plan: a registered extension rings its phone; any other number goes out through the
// tenant's first trunk, for phones that authenticate (407, RFC 3261 §22.3) and never for calls
// that came in from a trunk (an inbound number, routed by the IVR work, is not found here yet).
// Hold: a party's re-INVITE is answered by us and mirrored to the other party as our own hold or
// resume offer (RFC 3264 §8.4). Transfer (RFC 3515): a REFER from either party rings the Refer-To
// extension; when it answers, the other party's media is bridged to it (no re-INVITE needed, the
// media stays on Switchboard) and the referrer is told (NOTIFY 200) and released. Attended
// transfer: a Refer-To carrying Replaces (RFC 3891) names the referrer's other call; its far party
// and this call's are bridged, both of the referrer's legs released.
import type { Clock, EventPublisher, Logger } from '../kernel/index.ts';
import { newId } from '../kernel/index.ts';
import type { Bridge, MediaEngine, Recorder, RecordingChannel } from '../media/index.ts';
import {
  aorOf, header, isSipUri, parseNameAddr, type Binding, type CallHandler, type ClientCredentials, type DigestGate, type Endpoint,
  type InviteClientSession, type InviteServerSession, type Registrar, type SipDomains, type SipRequest, type UserAgent,
} from '../sip/index.ts';
import { MediaLeg } from './media-leg.ts';
import type { PhoneStore } from './phone-store.ts';
import type { Trunks } from './trunks.ts';
import type { ContactCalls } from './contact-calls.ts';
import type { Numbers } from './numbers.sql.ts';
import type { VoiceEvents } from './voice-events.ts';
import { parseDtmfRelay } from './dtmf-relay.ts';

export interface ExtensionCallsDeps {
  ua: () => UserAgent;
  domains: SipDomains;
  registrar: Registrar;
  phones: PhoneStore;
  trunks: Trunks;
  gate: DigestGate;
  media: MediaEngine;
  bus: EventPublisher<VoiceEvents>;
  /** Record every answered call in stereo (caller left, called party right). */
  record: boolean;
  /** The contact center: numbers (DIDs) answered by IVR flows. */
  contactCenter?: { numbers: Numbers; calls: ContactCalls; realmOf(tenantId: string): Promise<string> } | undefined;
  clock: Clock;
  log: Logger;
}

/** The far leg of a call: where and how to send its INVITE. */
interface Leg {
  requestUri: string;
  destination: Endpoint;
  from: string;
  to: string;
  credentials?: ClientCredentials | undefined;
}

/** Either side of an answered call. */
type Party = InviteServerSession | InviteClientSession;

/** The tenant a call belongs to, for REFER targets, events and recordings. */
interface CallScope { tenantId: string; realm: string; callId: string }

/** What one call has on the media side: a leg per party, their bridge, the recording. */
interface CallMedia {
  scope: CallScope;
  bridge: Bridge | undefined;
  recorder: Recorder | undefined;
  recordingId: string | undefined;
  /** Which recording channel each leg feeds (a transferred-to leg takes its predecessor's). */
  channels: Map<MediaLeg, RecordingChannel>;
  ended: boolean;
}

/** A dialled string that is a telephone number rather than an extension name. */
const NUMBER = /^\+?[0-9]{3,20}$/;

/** Failures of the far leg as the caller should see them. */
function callerStatus(status: number): number {
  if (status === 408 || status === 503) return 480;
  if (status === 401 || status === 407) return 403;
  return status;
}

export class ExtensionCalls implements CallHandler {
  readonly #d: ExtensionCallsDeps;
  /** Each answered party and the party it is joined to. */
  readonly #partners = new WeakMap<Party, Party>();
  /** Each party's anchored media leg. */
  readonly #legs = new WeakMap<Party, MediaLeg>();
  /** The call (media) each party belongs to. */
  readonly #calls = new WeakMap<Party, CallMedia>();
  /** Parties we have put on hold for their partner (to take them off hold after a transfer). */
  readonly #held = new WeakSet<Party>();
  #active = 0;

  constructor(deps: ExtensionCallsDeps) {
    this.#d = deps;
  }

  get activeCalls(): number {
    return this.#active;
  }

  incomingCall(session: InviteServerSession): void {
    this.#route(session).catch((err: unknown) => {
      this.#d.log.error({ err, callId: session.request.callId }, 'routing a call failed');
      session.reject(err instanceof Error && 'status' in err && err.status === 503 ? 503 : 500);
    });
  }

  async #route(session: InviteServerSession): Promise<void> {
    const m = session.request;
    if (!isSipUri(m.uri) || !m.uri.user) { session.reject(404); return; }
    // A workspace's number: whoever calls it (a carrier, a phone) reaches its IVR flow.
    const did = await this.#d.contactCenter?.numbers.resolve(m.uri.user);
    if (did) {
      await this.#d.contactCenter!.calls.incoming(session, did, await this.#d.contactCenter!.realmOf(did.tenantId));
      return;
    }
    const domain = await this.#d.domains.resolve(m.uri.host);
    if (!domain) { session.reject(404); return; }
    const scope: CallScope = { tenantId: domain.tenantId, realm: domain.realm, callId: newId() };
    const dialled = m.uri.user;
    const callerUser = isSipUri(m.from.uri) && m.from.uri.user ? m.from.uri.user : 'anonymous';
    const display = m.from.displayName ? `"${m.from.displayName.replace(/["\\]/g, '')}" ` : '';

    const binding = await this.#registered(domain, dialled);
    if (binding) {
      await this.#bridge(session, scope, {
        requestUri: binding.contact, destination: binding.source,
        from: `${display}<sip:${callerUser}@${domain.realm}>`, to: `<sip:${dialled}@${domain.realm}>`,
      });
      return;
    }
    // A phone that exists but is not registered is unavailable.
    if (await this.#d.phones.byUsername(domain.tenantId, dialled)) { session.reject(480); return; }
    if (await this.#d.trunks.bySource(domain.tenantId, session.peer.address, session.peer.port)) {
      // A carrier's call to a number this workspace does not have.
      if (this.#d.contactCenter) await this.#d.contactCenter.calls.unknownNumber(session, domain.tenantId);
      else session.reject(404);
      return;
    }
    if (!NUMBER.test(dialled)) { session.reject(404); return; }
    const [trunk] = await this.#d.trunks.list(domain.tenantId);
    if (!trunk) { session.reject(404); return; }
    // Toll-fraud guard: only the tenant's own authenticated phones reach a trunk.
    const gate = await this.#d.gate.check(m, session.peer.address, domain.realm, 'proxy');
    if (!gate.ok) { session.reject(gate.status, gate.reason, gate.headers); return; }
    const { password } = await this.#d.trunks.withCredentials(domain.tenantId, trunk.id);
    const host = trunk.port === 5060 ? trunk.host : `${trunk.host}:${trunk.port}`;
    await this.#bridge(session, scope, {
      requestUri: `sip:${dialled}@${host}`,
      destination: { protocol: trunk.transport, address: trunk.host, port: trunk.port },
      from: `${display}<sip:${trunk.callerId ?? gate.username}@${trunk.host}>`,
      to: `<sip:${dialled}@${trunk.host}>`,
      credentials: trunk.username && password ? { username: trunk.username, password, realm: trunk.realm } : undefined,
    });
  }

  async #registered(scope: { tenantId: string; realm: string }, extension: string): Promise<Binding | undefined> {
    const [binding] = await this.#d.registrar.lookup(scope.tenantId, aorOf(extension, scope.realm), this.#d.clock.now());
    return binding;
  }

  /** Answers the caller's offer with our own media, offers ours to the far leg, and joins them. */
  async #bridge(caller: InviteServerSession, scope: CallScope, leg: Leg): Promise<void> {
    const media = this.#d.media;
    const a = await MediaLeg.open(media);
    const answer = a.answer(caller.offer);
    if (!answer.ok) { a.close(); caller.reject(answer.status); return; }
    let b: MediaLeg;
    try {
      b = await MediaLeg.open(media);
    } catch (err) {
      a.close();
      throw err;
    }
    const call: CallMedia = { scope, bridge: undefined, recorder: undefined, recordingId: undefined, channels: new Map([[a, 'left'], [b, 'right']]), ended: false };
    const callee = this.#d.ua().call({ ...leg, sdp: b.offer(a.negotiated!.codec.name) });
    this.#adopt(caller, a, call);
    this.#adopt(callee, b, call);
    this.#active++;
    let done = false;
    const finish = () => { if (!done) { done = true; this.#active--; } };
    const join = () => { call.bridge ??= media.bridge(a.session, b.session); };
    callee.events = {
      progress: (status, sdp) => {
        // Early media (RFC 3960): the far end's 183 with SDP is bridged before the answer.
        if (status === 183 && sdp && b.answered(sdp).ok) { join(); caller.progress(183, answer.value); }
        else caller.progress(180);
      },
      answered: (sdp) => {
        const r = b.answered(sdp);
        if (!r.ok) {
          void callee.bye();
          caller.reject(r.status === 400 ? 502 : 488);
          this.#end(call, [a, b]);
          finish();
          return;
        }
        join();
        caller.accept(answer.value);
        this.#link(caller, callee, finish);
        void this.#startRecording(call, a, b);
      },
      failed: (status, reason) => {
        caller.reject(callerStatus(status), callerStatus(status) === status ? reason : undefined);
        this.#end(call, [a, b]);
        finish();
      },
    };
    caller.events = { cancelled: () => { callee.cancel(); this.#end(call, [a, b]); finish(); } };
  }

  /** Ties a party to its media leg and call; its digits become events. */
  #adopt(party: Party, leg: MediaLeg, call: CallMedia): void {
    this.#legs.set(party, leg);
    this.#calls.set(party, call);
    leg.session.onDigit = (digit, source) => this.#digit(party, digit, source);
  }

  #digit(party: Party, digit: string, source: 'rfc4733' | 'inband' | 'info'): void {
    const call = this.#calls.get(party);
    if (!call) return;
    this.#d.bus.publish('CallDigitReceived', { tenantId: call.scope.tenantId, callId: call.scope.callId, sipCallId: 'request' in party ? party.request.callId : party.callId, digit, source });
  }

  async #startRecording(call: CallMedia, caller: MediaLeg, callee: MediaLeg): Promise<void> {
    if (!this.#d.record || call.ended) return;
    const recordingId = newId();
    try {
      const recorder = await this.#d.media.record(call.scope.tenantId, recordingId);
      if (call.ended) { await recorder.stop(); return; }
      for (const leg of [caller, callee]) recorder.attach(call.channels.get(leg) ?? 'right', leg.session);
      call.recorder = recorder;
      call.recordingId = recordingId;
      this.#d.bus.publish('CallRecordingStarted', { tenantId: call.scope.tenantId, callId: call.scope.callId, recordingId });
    } catch (err) {
      this.#d.log.error({ err, callId: call.scope.callId }, 'could not start recording');
    }
  }

  /** Releases a call's media: the bridge, the recording (finished and reported), every leg. */
  #end(call: CallMedia, legs: MediaLeg[]): void {
    if (call.ended) { for (const l of legs) l.close(); return; }
    call.ended = true;
    call.bridge?.close();
    const quality = legs.map((l) => ({ ...l.session.stats }));
    for (const l of legs) l.close();
    this.#d.bus.publish('CallMediaEnded', { tenantId: call.scope.tenantId, callId: call.scope.callId, legs: quality });
    const { recorder, recordingId } = call;
    if (recorder && recordingId) {
      recorder.stop().then(
        (r) => this.#d.bus.publish('CallRecordingStopped', { tenantId: call.scope.tenantId, callId: call.scope.callId, recordingId, ...r }),
        (err: unknown) => this.#d.log.error({ err, callId: call.scope.callId, recordingId }, 'recording could not be finished'),
      );
    }
  }

  /** Joins two answered parties: hang-up, re-INVITEs (hold, resume), INFO DTMF and REFERs cross over. */
  #link(x: Party, y: Party, finish: () => void): void {
    const join = (from: Party, to: Party) => {
      from.events.ended = () => {
        void to.bye();
        const call = this.#calls.get(from);
        if (call) this.#end(call, [this.#legs.get(from), this.#legs.get(to)].filter((l) => l !== undefined));
        finish();
      };
      from.events.reinvite = (offer) => this.#reinvite(from, to, offer);
      from.events.request = (m) => {
        if (m.method === 'REFER') return this.#refer(from, to, m, finish);
        if (m.method === 'INFO') return this.#info(from, m);
        return m.method === 'NOTIFY' ? 200 : 501;
      };
    };
    join(x, y);
    join(y, x);
    this.#partners.set(x, y);
    this.#partners.set(y, x);
  }

  /** SIP INFO with application/dtmf-relay (the way some phones send keys). */
  #info(from: Party, m: SipRequest): number {
    const type = header(m, 'Content-Type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/dtmf-relay' && type !== 'application/dtmf') return 200;
    const digit = parseDtmfRelay(type, m.body.toString('utf8'));
    if (digit === undefined) return 400;
    this.#digit(from, digit, 'info');
    return 200;
  }

  /**
   * A party's re-INVITE: we answer it ourselves; when it puts the call on hold (or takes it off),
   * the partner gets our own hold (or resume) offer first, so both phones show the same state.
   */
  async #reinvite(from: Party, to: Party, offer: Buffer): Promise<Buffer | undefined> {
    const fromLeg = this.#legs.get(from);
    const toLeg = this.#legs.get(to);
    if (!fromLeg || !toLeg) return undefined;
    if (offer.length === 0) return undefined;
    const wasHeld = this.#held.has(to);
    const r = fromLeg.answer(offer);
    if (!r.ok) return undefined;
    const direction = fromLeg.negotiated!.direction;
    const holds = direction === 'recvonly' || direction === 'inactive';
    if (holds !== wasHeld) {
      const reoffer = toLeg.reoffer(holds ? (direction === 'inactive' ? 'inactive' : 'hold') : 'resume');
      if (reoffer) {
        const res = await to.reinvite(reoffer);
        if (res.status < 300 && res.sdp) toLeg.answered(res.sdp);
        if (holds) this.#held.add(to); else this.#held.delete(to);
      }
    }
    return r.value;
  }

  /** Takes a party we put on hold off hold (its partner changed under it). */
  async #unhold(party: Party): Promise<void> {
    if (!this.#held.has(party)) return;
    const leg = this.#legs.get(party);
    const reoffer = leg?.reoffer('resume');
    if (!leg || !reoffer) return;
    this.#held.delete(party);
    const res = await party.reinvite(reoffer);
    if (res.status < 300 && res.sdp) leg.answered(res.sdp);
  }

  /** RFC 3515 §2.4.2: accept the REFER (202), then carry it out and report by NOTIFY. */
  #refer(referrer: Party, transferee: Party, m: SipRequest, finish: () => void): number {
    const referTo = header(m, 'Refer-To');
    let target: string | undefined;
    let replaces: string | undefined;
    try {
      const na = referTo ? parseNameAddr(referTo) : undefined;
      if (na && isSipUri(na.uri)) {
        target = na.uri.user;
        replaces = na.uri.headers.find(([n]) => n.toLowerCase() === 'replaces')?.[1];
      }
    } catch {
      target = undefined;
    }
    if (!target) return 400;
    let replaced: Party | undefined;
    if (replaces !== undefined) {
      // RFC 3891 §3: call-id;to-tag=…;from-tag=… names a dialog whose local tag is to-tag.
      const [callId = '', ...params] = replaces.split(';').map((x) => x.trim());
      const param = (k: string) => params.find((p) => p.toLowerCase().startsWith(`${k}=`))?.slice(k.length + 1) ?? '';
      const owner = this.#d.ua().dialogOwner(callId, param('to-tag'), param('from-tag'));
      replaced = owner as Party | undefined;
      if (!replaced || !this.#partners.has(replaced) || replaced === referrer) return 481;
    }
    const work = replaced
      ? () => this.#join(referrer, transferee, replaced, finish)
      : () => this.#transfer(referrer, transferee, target, finish);
    // Started after this handler returns, so the 202 leaves before the first NOTIFY.
    void Promise.resolve().then(work).catch((err: unknown) => {
      this.#d.log.error({ err, callId: m.callId }, 'transfer failed');
    });
    return 202;
  }

  /** Moves `party`'s media from its current bridge to a new one with `other`. */
  #rebridge(party: Party, other: Party, call: CallMedia): void {
    call.bridge?.close();
    const a = this.#legs.get(party)!;
    const b = this.#legs.get(other)!;
    call.bridge = this.#d.media.bridge(a.session, b.session);
    this.#calls.set(party, call);
    this.#calls.set(other, call);
  }

  /** `joining` takes over the recording channel `leaving` had. */
  #takeChannel(call: CallMedia, leaving: MediaLeg | undefined, joining: MediaLeg): void {
    const channel = (leaving && call.channels.get(leaving)) ?? 'right';
    if (leaving) call.channels.delete(leaving);
    call.channels.set(joining, channel);
    call.recorder?.attach(channel, joining.session);
  }

  async #transfer(referrer: Party, transferee: Party, extension: string, finish: () => void): Promise<void> {
    await referrer.notifyRefer('SIP/2.0 100 Trying', false);
    const call = this.#calls.get(referrer)!;
    const binding = await this.#registered(call.scope, extension);
    const transfereeLeg = this.#legs.get(transferee);
    if (!binding || !transfereeLeg?.negotiated) {
      await referrer.notifyRefer(binding ? 'SIP/2.0 488 Not Acceptable Here' : 'SIP/2.0 404 Not Found', true);
      return;
    }
    const c = await MediaLeg.open(this.#d.media);
    const target = this.#d.ua().call({
      requestUri: binding.contact, destination: binding.source, sdp: c.offer(transfereeLeg.negotiated.codec.name),
      from: `<sip:transfer@${call.scope.realm}>`, to: `<sip:${extension}@${call.scope.realm}>`,
    });
    target.events = {
      failed: (status, reason) => { c.close(); void referrer.notifyRefer(`SIP/2.0 ${status} ${reason}`, true); },
      answered: (sdp) => {
        void (async () => {
          if (!c.answered(sdp).ok) {
            void target.bye();
            c.close();
            await referrer.notifyRefer('SIP/2.0 488 Not Acceptable Here', true);
            return;
          }
          // The referrer's leg leaves the call; the transferee's media is bridged to the target.
          const referrerLeg = this.#legs.get(referrer);
          referrer.events.ended = () => {};
          this.#legs.set(target, c);
          c.session.onDigit = (digit, source) => this.#digit(target, digit, source);
          this.#rebridge(transferee, target, call);
          this.#takeChannel(call, referrerLeg, c);
          this.#link(transferee, target, finish);
          await referrer.notifyRefer('SIP/2.0 200 OK', true);
          await referrer.bye();
          referrerLeg?.close();
          await this.#unhold(transferee);
        })();
      },
    };
  }

  /** Attended transfer: `transferee` (this call's far party) and the far party of `replaced` meet. */
  async #join(referrer: Party, transferee: Party, replaced: Party, finish: () => void): Promise<void> {
    await referrer.notifyRefer('SIP/2.0 100 Trying', false);
    const other = this.#partners.get(replaced)!;
    const call = this.#calls.get(referrer)!;
    const otherCall = this.#calls.get(other);
    const [referrerLeg, replacedLeg] = [this.#legs.get(referrer), this.#legs.get(replaced)];
    referrer.events.ended = () => {};
    replaced.events.ended = () => {};
    // The referrer's second call ends here: its bridge and recording close with it.
    if (otherCall && otherCall !== call) {
      otherCall.bridge?.close();
      otherCall.bridge = undefined;
      this.#end(otherCall, replacedLeg ? [replacedLeg] : []);
    }
    this.#rebridge(transferee, other, call);
    const otherLeg = this.#legs.get(other);
    if (otherLeg) this.#takeChannel(call, referrerLeg, otherLeg);
    this.#link(transferee, other, finish);
    await referrer.notifyRefer('SIP/2.0 200 OK', true);
    await Promise.all([referrer.bye(), replaced.bye()]);
    referrerLeg?.close();
    await Promise.all([this.#unhold(transferee), this.#unhold(other)]);
  }
}
