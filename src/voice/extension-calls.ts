// Calls placed by phones and carriers: Switchboard answers the caller as UAS and places the other
// leg as UAC, relaying progress, answer, failure, cancel, re-INVITEs (hold) and hang-up between the
// two (a signalling B2BUA, RFC 7092 §3.1). SDP passes through unchanged, so media flows between the
// endpoints; anchoring media on Switchboard's RTP engine comes with the media work.
// Dial plan: a registered extension rings its phone; any other number goes out through the
// tenant's first trunk, for phones that authenticate (407, RFC 3261 §22.3) and never for calls
// that came in from a trunk (an inbound number, routed by the IVR work, is not found here yet).
// Transfer (RFC 3515): a REFER from either party rings the Refer-To extension with the other
// party's media; when it answers, the other party is re-INVITEd towards it and the referrer is
// told (NOTIFY 200) and released. Attended transfer: a Refer-To carrying Replaces (RFC 3891)
// names the referrer's other call; its far party and this call's are joined, both of the
// referrer's legs released.
import type { Clock, Logger } from '../kernel/index.ts';
import {
  aorOf, header, isSipUri, parseNameAddr, type Binding, type CallHandler, type ClientCredentials, type DigestGate, type Endpoint,
  type InviteClientSession, type InviteServerSession, type Registrar, type SipDomains, type SipRequest, type UserAgent,
} from '../sip/index.ts';
import type { PhoneStore } from './phone-store.ts';
import type { Trunks } from './trunks.ts';

export interface ExtensionCallsDeps {
  ua: () => UserAgent;
  domains: SipDomains;
  registrar: Registrar;
  phones: PhoneStore;
  trunks: Trunks;
  gate: DigestGate;
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

/** The tenant a call belongs to, for REFER targets. */
interface CallScope { tenantId: string; realm: string }

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
      session.reject(500);
    });
  }

  async #route(session: InviteServerSession): Promise<void> {
    const m = session.request;
    if (!isSipUri(m.uri) || !m.uri.user) { session.reject(404); return; }
    const domain = await this.#d.domains.resolve(m.uri.host);
    if (!domain) { session.reject(404); return; }
    const dialled = m.uri.user;
    const callerUser = isSipUri(m.from.uri) && m.from.uri.user ? m.from.uri.user : 'anonymous';
    const display = m.from.displayName ? `"${m.from.displayName.replace(/["\\]/g, '')}" ` : '';

    const binding = await this.#registered(domain, dialled);
    if (binding) {
      this.#bridge(session, domain, {
        requestUri: binding.contact, destination: binding.source,
        from: `${display}<sip:${callerUser}@${domain.realm}>`, to: `<sip:${dialled}@${domain.realm}>`,
      });
      return;
    }
    // A phone that exists but is not registered is unavailable.
    if (await this.#d.phones.byUsername(domain.tenantId, dialled)) { session.reject(480); return; }
    if (!NUMBER.test(dialled) || await this.#d.trunks.bySource(domain.tenantId, session.peer.address, session.peer.port)) { session.reject(404); return; }
    const [trunk] = await this.#d.trunks.list(domain.tenantId);
    if (!trunk) { session.reject(404); return; }
    // Toll-fraud guard: only the tenant's own authenticated phones reach a trunk.
    const gate = await this.#d.gate.check(m, session.peer.address, domain.realm, 'proxy');
    if (!gate.ok) { session.reject(gate.status, gate.reason, gate.headers); return; }
    const { password } = await this.#d.trunks.withCredentials(domain.tenantId, trunk.id);
    const host = trunk.port === 5060 ? trunk.host : `${trunk.host}:${trunk.port}`;
    this.#bridge(session, domain, {
      requestUri: `sip:${dialled}@${host}`,
      destination: { protocol: trunk.transport, address: trunk.host, port: trunk.port },
      from: `${display}<sip:${trunk.callerId ?? gate.username}@${trunk.host}>`,
      to: `<sip:${dialled}@${trunk.host}>`,
      credentials: trunk.username && password ? { username: trunk.username, password, realm: trunk.realm } : undefined,
    });
  }

  async #registered(scope: CallScope, extension: string): Promise<Binding | undefined> {
    const [binding] = await this.#d.registrar.lookup(scope.tenantId, aorOf(extension, scope.realm), this.#d.clock.now());
    return binding;
  }

  #bridge(caller: InviteServerSession, scope: CallScope, leg: Leg): void {
    const callee = this.#d.ua().call({ ...leg, sdp: caller.offer });
    this.#active++;
    let done = false;
    const finish = () => { if (!done) { done = true; this.#active--; } };
    callee.events = {
      progress: (status, sdp) => caller.progress(status === 183 && sdp ? 183 : 180, sdp),
      answered: (sdp) => { caller.accept(sdp); this.#link(caller, callee, scope, finish); },
      failed: (status, reason) => { caller.reject(callerStatus(status), callerStatus(status) === status ? reason : undefined); finish(); },
    };
    caller.events = { cancelled: () => { callee.cancel(); finish(); } };
  }

  /** Joins two answered parties: hang-up, re-INVITEs (§14: hold, resume) and REFERs cross over. */
  #link(x: Party, y: Party, scope: CallScope, finish: () => void): void {
    const join = (from: Party, to: Party) => {
      from.events.ended = () => { void to.bye(); finish(); };
      from.events.reinvite = (offer) => to.reinvite(offer).then((r) => (r.status < 300 ? r.sdp : undefined));
      from.events.request = (m) => (m.method === 'REFER' ? this.#refer(from, to, m, scope, finish) : m.method === 'INFO' || m.method === 'NOTIFY' ? 200 : 501);
    };
    join(x, y);
    join(y, x);
    this.#partners.set(x, y);
    this.#partners.set(y, x);
  }

  /** RFC 3515 §2.4.2: accept the REFER (202), then carry it out and report by NOTIFY. */
  #refer(referrer: Party, transferee: Party, m: SipRequest, scope: CallScope, finish: () => void): number {
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
      ? () => this.#join(referrer, transferee, replaced, scope, finish)
      : () => this.#transfer(referrer, transferee, target, scope, finish);
    // Started after this handler returns, so the 202 leaves before the first NOTIFY.
    void Promise.resolve().then(work).catch((err: unknown) => {
      this.#d.log.error({ err, callId: m.callId }, 'transfer failed');
    });
    return 202;
  }

  async #transfer(referrer: Party, transferee: Party, extension: string, scope: CallScope, finish: () => void): Promise<void> {
    await referrer.notifyRefer('SIP/2.0 100 Trying', false);
    const binding = await this.#registered(scope, extension);
    const offer = transferee.remoteSdp;
    if (!binding || !offer) {
      await referrer.notifyRefer(binding ? 'SIP/2.0 488 Not Acceptable Here' : 'SIP/2.0 404 Not Found', true);
      return;
    }
    const target = this.#d.ua().call({
      requestUri: binding.contact, destination: binding.source, sdp: offer,
      from: `<sip:transfer@${scope.realm}>`, to: `<sip:${extension}@${scope.realm}>`,
    });
    target.events = {
      failed: (status, reason) => { void referrer.notifyRefer(`SIP/2.0 ${status} ${reason}`, true); },
      answered: (sdp) => {
        void (async () => {
          // The transferee's media now goes to the new party (§14 re-INVITE with its answer).
          const moved = await transferee.reinvite(sdp);
          if (moved.status >= 300) {
            void target.bye();
            await referrer.notifyRefer(`SIP/2.0 ${moved.status} Transfer Failed`, true);
            return;
          }
          referrer.events.ended = () => {};
          this.#link(transferee, target, scope, finish);
          await referrer.notifyRefer('SIP/2.0 200 OK', true);
          await referrer.bye();
        })();
      },
    };
  }

  /** Attended transfer: `transferee` (this call's far party) and the far party of `replaced` meet. */
  async #join(referrer: Party, transferee: Party, replaced: Party, scope: CallScope, finish: () => void): Promise<void> {
    await referrer.notifyRefer('SIP/2.0 100 Trying', false);
    const other = this.#partners.get(replaced)!;
    const [a, b] = [transferee.remoteSdp, other.remoteSdp];
    if (!a || !b) { await referrer.notifyRefer('SIP/2.0 488 Not Acceptable Here', true); return; }
    const first = await transferee.reinvite(b);
    const second = first.status < 300 ? await other.reinvite(a) : first;
    if (second.status >= 300) { await referrer.notifyRefer(`SIP/2.0 ${second.status} Transfer Failed`, true); return; }
    referrer.events.ended = () => {};
    replaced.events.ended = () => {};
    this.#link(transferee, other, scope, finish);
    await referrer.notifyRefer('SIP/2.0 200 OK', true);
    await Promise.all([referrer.bye(), replaced.bye()]);
  }
}
